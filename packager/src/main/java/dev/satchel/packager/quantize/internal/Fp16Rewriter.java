package dev.satchel.packager.quantize.internal;

import dev.satchel.model.DataType;
import dev.satchel.model.Graphs;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.ShapeInference;
import dev.satchel.model.ShapeResult;
import dev.satchel.model.TensorType;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.packager.quantize.LayerDecision;
import dev.satchel.packager.quantize.Precision;
import dev.satchel.packager.quantize.QuantizeOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * float16 weights and compute. Every float32 value of the main graph becomes float16 except where
 * an operator is numerically unsafe in float16 (reductions, normalisation arithmetic, exponentials,
 * Softmax) or takes a float32-only input (Resize scales): those nodes stay float32 and Cast nodes are
 * inserted at the boundaries. Graph inputs and outputs keep their float32 type. Values read by a
 * control-flow subgraph stay float32 (their producers are kept), and subgraphs are left as they are.
 */
public final class Fp16Rewriter {
    private static final int FLOAT = 1;
    private static final int FLOAT16 = 10;
    /**
     * Kept in float32. Pow, the Reduce family, Sqrt, Div, Reciprocal: LayerNorm variance and norms overflow or lose
     * their small differences in float16 (max 65504, 11-bit mantissa); Exp/Log/Softmax/Erf: range and
     * saturation; Resize/Upsample/Range/RandomX/EyeLike: float32-only or dtype-attributed inputs
     * (ONNX Operators.md: Resize "scales" is tensor(float)). BatchNormalization: measured on
     * PP-OCRv4 det in ONNX Runtime 1.24 CPU, a float16 BatchNormalization drops the output cosine
     * from 0.998 to 0.12.
     */
    static final Set<String> UNSAFE = Set.of("Pow", "ReduceMean", "ReduceSum", "ReduceSumSquare", "ReduceL1", "ReduceL2",
            "ReduceLogSum", "ReduceLogSumExp", "ReduceProd", "Sqrt", "Reciprocal", "Div", "Exp", "Log", "Softmax", "LogSoftmax",
            "Erf", "CumSum", "Resize", "Upsample", "Range", "RandomNormal", "RandomUniform", "RandomNormalLike",
            "RandomUniformLike", "Multinomial", "EyeLike", "NonMaxSuppression", "TopK", "LSTM", "GRU", "RNN",
            "InstanceNormalization", "BatchNormalization", "LpNormalization", "MeanVarianceNormalization", "Det", "Einsum", "STFT", "DFT");

    private final OnnxModel model;
    private final QuantizeOptions opts;
    private final List<LayerDecision> decisions = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int fresh;

    public Fp16Rewriter(OnnxModel model, QuantizeOptions opts) {
        this.model = model;
        this.opts = opts;
    }

    public List<LayerDecision> decisions() {
        return decisions;
    }

    public Onnx.ModelProto run() throws IOException {
        Onnx.GraphProto g = model.proto().getGraph();
        ShapeResult shapes = ShapeInference.infer(model, Map.of());
        for (Onnx.NodeProto n : g.getNodeList()) {
            names.add(n.getName());
            names.addAll(n.getOutputList());
        }
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        g.getInputList().forEach(v -> names.add(v.getName()));

        Map<String, Onnx.TensorProto> inits = new LinkedHashMap<>();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        Map<String, Onnx.TensorProto> weights = new LinkedHashMap<>(inits);
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (isConstant(n) && constantTensor(n) != null) {
                weights.put(n.getOutput(0), constantTensor(n));
            }
        }
        Set<String> floats = new HashSet<>();
        for (Map.Entry<String, TensorType> e : shapes.types().entrySet()) {
            if (e.getValue().elementType() == DataType.FLOAT) {
                floats.add(e.getKey());
            }
        }
        // Constant node tensors are values too.
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (isConstant(n) && constantTensor(n) != null && constantTensor(n).getDataType() == FLOAT) {
                floats.add(n.getOutput(0));
            }
        }
        Set<String> subgraphReads = new HashSet<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (hasSubgraph(n)) {
                List<String> all = Graphs.implicitAndExplicitInputs(n);
                subgraphReads.addAll(all.subList(n.getInputCount() - (int) n.getInputList().stream().filter(String::isEmpty).count(), all.size()));
            }
        }
        // Decide which nodes compute in float16.
        Set<Integer> half = new HashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            Onnx.NodeProto n = g.getNode(i);
            String why = keepReason(n, floats, subgraphReads);
            String key = WeightRewriter.key(n);
            long wb = weightBytes(n, weights, floats);
            if (why == null && opts.precisions().get(key) == Precision.FLOAT) {
                why = "kept in higher precision by mixed precision";
            }
            if (why == null) {
                half.add(i);
                if (wb > 0) {
                    decisions.add(new LayerDecision(key, n.getOpType(), Precision.QUANTIZED, "float16", "", wb, wb / 2));
                }
            } else if (wb > 0 || UNSAFE.contains(n.getOpType())) {
                decisions.add(new LayerDecision(key, n.getOpType(), Precision.FLOAT, "", why, wb, wb));
            }
        }
        // Where each float value lives: float16 if produced by a float16 node, or an initializer or
        // Constant read only by float16 nodes.
        Map<String, List<Integer>> consumers = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            for (String in : g.getNode(i).getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
        }
        Set<String> outputs = new HashSet<>();
        g.getOutputList().forEach(o -> outputs.add(o.getName()));
        Set<String> halfValues = new HashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            Onnx.NodeProto n = g.getNode(i);
            boolean h = half.contains(i);
            if (isConstant(n) && floats.contains(n.getOutput(0))) {
                h = !outputs.contains(n.getOutput(0)) && !subgraphReads.contains(n.getOutput(0))
                        && consumers.getOrDefault(n.getOutput(0), List.of()).stream().allMatch(half::contains)
                        && !consumers.getOrDefault(n.getOutput(0), List.of()).isEmpty();
                if (h) {
                    half.add(i);
                } else {
                    half.remove(i);
                }
            }
            if (h) {
                for (String o : n.getOutputList()) {
                    if (floats.contains(o)) {
                        halfValues.add(o);
                    }
                }
            }
        }
        Set<String> halfInits = new HashSet<>();
        for (String name : inits.keySet()) {
            List<Integer> c = consumers.getOrDefault(name, List.of());
            if (floats.contains(name) && !c.isEmpty() && c.stream().allMatch(half::contains) && !outputs.contains(name)
                    && !subgraphReads.contains(name) && inits.get(name).getDataType() == FLOAT) {
                halfInits.add(name);
                halfValues.add(name);
            }
        }
        // Rebuild.
        Onnx.GraphProto.Builder b = g.toBuilder().clearNode().clearInitializer().clearValueInfo();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            b.addInitializer(halfInits.contains(t.getName()) ? toHalf(t) : t);
        }
        Map<String, String> casts = new HashMap<>();
        List<Onnx.NodeProto> nodes = new ArrayList<>();
        Map<String, String> renamedOutputs = new HashMap<>();
        for (String o : outputs) {
            if (halfValues.contains(o)) {
                renamedOutputs.put(o, name(o + "_fp16"));
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            Onnx.NodeProto n = g.getNode(i);
            boolean h = half.contains(i);
            Onnx.NodeProto.Builder nb = n.toBuilder();
            for (int k = 0; k < nb.getInputCount(); k++) {
                String in = nb.getInput(k);
                if (in.isEmpty() || !floats.contains(in)) {
                    continue;
                }
                String src = renamedOutputs.getOrDefault(in, in);
                boolean have = halfValues.contains(in);
                if (have == h) {
                    nb.setInput(k, src);
                    continue;
                }
                String key = (h ? "h:" : "f:") + in;
                String c = casts.get(key);
                if (c == null) {
                    c = name(in + (h ? "_to_fp16" : "_to_fp32"));
                    nodes.add(WeightRewriter.node("Cast", name(c + "_node"), "", List.of(src), List.of(c)).toBuilder()
                            .addAttribute(WeightRewriter.intA("to", h ? FLOAT16 : FLOAT)).build());
                    casts.put(key, c);
                }
                nb.setInput(k, c);
            }
            for (int k = 0; k < nb.getOutputCount(); k++) {
                String r = renamedOutputs.get(nb.getOutput(k));
                if (r != null) {
                    nb.setOutput(k, r);
                }
            }
            if (h) {
                retype(nb);
            }
            nodes.add(nb.build());
        }
        for (Onnx.ValueInfoProto o : g.getOutputList()) {
            String r = renamedOutputs.get(o.getName());
            if (r != null) {
                nodes.add(WeightRewriter.node("Cast", name(o.getName() + "_to_fp32_node"), "", List.of(r), List.of(o.getName()))
                        .toBuilder().addAttribute(WeightRewriter.intA("to", FLOAT)).build());
            }
        }
        Onnx.GraphProto unsorted = Onnx.GraphProto.newBuilder().addAllNode(nodes).build();
        for (int idx : Graphs.topologicalOrder(unsorted)) {
            b.addNode(nodes.get(idx));
        }
        return model.proto().toBuilder().setGraph(b).build();
    }

    /** Why a node stays float32, or null if it computes in float16. */
    private String keepReason(Onnx.NodeProto n, Set<String> floats, Set<String> subgraphReads) {
        boolean touchesFloat = n.getInputList().stream().anyMatch(floats::contains)
                || n.getOutputList().stream().anyMatch(floats::contains);
        if (!touchesFloat) {
            return "no float32 values";
        }
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            return "custom-domain operator " + n.getDomain() + ":" + n.getOpType();
        }
        if (hasSubgraph(n)) {
            return "control flow: subgraphs are left in float32";
        }
        if (UNSAFE.contains(n.getOpType())) {
            return "numerically unsafe or float32-only in float16";
        }
        if (opts.excludeOps().contains(n.getOpType())) {
            return "operator type excluded";
        }
        if (opts.excludeNodes().contains(n.getName())) {
            return "excluded by name";
        }
        for (String o : n.getOutputList()) {
            if (subgraphReads.contains(o)) {
                return "its output is read inside a subgraph";
            }
        }
        if (n.getOpType().equals("Cast") && WeightRewriter.intAttr(n, "to", 0) != FLOAT
                && n.getInputList().stream().noneMatch(floats::contains)) {
            return "no float32 values";
        }
        return null;
    }

    /** Attributes that name float32 as a type or hold float32 tensors become float16. */
    private void retype(Onnx.NodeProto.Builder nb) throws IOException {
        for (int i = 0; i < nb.getAttributeCount(); i++) {
            Onnx.AttributeProto a = nb.getAttribute(i);
            if (nb.getOpType().equals("Cast") && a.getName().equals("to") && a.getI() == FLOAT) {
                nb.setAttribute(i, a.toBuilder().setI(FLOAT16));
            } else if (a.hasT() && a.getT().getDataType() == FLOAT) {
                nb.setAttribute(i, a.toBuilder().setT(toHalf(a.getT())));
            }
        }
    }

    private Onnx.TensorProto toHalf(Onnx.TensorProto t) throws IOException {
        FloatBuffer f = model.tensorData(t).asFloatBuffer();
        int n = f.remaining();
        ByteBuffer h = Weights.allocate(2L * n);
        for (int i = 0; i < n; i++) {
            // Finite values beyond float16's range saturate to +-65504 instead of becoming infinite:
            // masks built as (1 - mask) * float32.min would otherwise turn 0 * -inf into NaN.
            float v = f.get(i);
            if (Float.isFinite(v)) {
                v = Math.max(-65504f, Math.min(65504f, v));
            }
            h.putShort(2 * i, Weights.toHalf(v));
        }
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        return Weights.tensor(t.getName(), FLOAT16, h, dims).toBuilder().setDocString(t.getDocString()).build();
    }

    private long weightBytes(Onnx.NodeProto n, Map<String, Onnx.TensorProto> inits, Set<String> floats) {
        long bytes = 0;
        for (String in : n.getInputList()) {
            Onnx.TensorProto t = inits.get(in);
            if (t != null && t.getDataType() == FLOAT) {
                long e = 1;
                for (long d : t.getDimsList()) {
                    e *= d;
                }
                if (e >= opts.minWeightElements()) {
                    bytes += 4 * e;
                }
            }
        }
        return bytes;
    }

    private static boolean isConstant(Onnx.NodeProto n) {
        return n.getOpType().equals("Constant") && n.getDomain().isEmpty() && n.getOutputCount() == 1;
    }

    private static Onnx.TensorProto constantTensor(Onnx.NodeProto n) {
        Onnx.AttributeProto a = WeightRewriter.attr(n, "value");
        return a != null && a.hasT() ? a.getT() : null;
    }

    private static boolean hasSubgraph(Onnx.NodeProto n) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.hasG() || a.getGraphsCount() > 0) {
                return true;
            }
        }
        return false;
    }

    private String name(String base) {
        String n = base;
        while (!names.add(n)) {
            n = base + "_" + (++fresh);
        }
        return n;
    }
}
