package dev.satchel.packager.quantize.internal;

import dev.satchel.model.OnnxModel;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.packager.quantize.Int8Format;
import dev.satchel.packager.quantize.LayerDecision;
import dev.satchel.packager.quantize.Precision;
import dev.satchel.packager.quantize.QuantizeMode;
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
 * Rewrites constant-weight MatMul, Gemm, Gather (embedding tables) and Conv nodes for the int8 and
 * int4 modes, in the main graph and every subgraph. Deterministic: output depends only on the model
 * and the options.
 */
public final class WeightRewriter {
    static final String MS = "com.microsoft";
    private static final int FLOAT = 1;
    private static final int UINT8 = 2;
    private static final int INT8 = 3;
    private static final int FLOAT16 = 10;

    private final OnnxModel model;
    private final QuantizeOptions opts;
    private final List<LayerDecision> decisions = new ArrayList<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, String> cache = new HashMap<>();
    private boolean usedContrib;
    /** Quantization jobs of the current run; tensors made from their buffers are complete after join. */
    private Weights.Jobs jobs;
    private int fresh;

    public WeightRewriter(OnnxModel model, QuantizeOptions opts) {
        this.model = model;
        this.opts = opts;
    }

    public List<LayerDecision> decisions() {
        return decisions;
    }

    public Onnx.ModelProto run() throws IOException {
        try (Weights.Jobs j = new Weights.Jobs()) {
            jobs = j;
            collectNames(model.proto().getGraph());
            Onnx.ModelProto src = model.proto();
            Onnx.GraphProto g = graph(src.getGraph(), null);
            Onnx.ModelProto.Builder b = src.toBuilder().setGraph(g);
            if (usedContrib) {
                Opsets.ensure(b, MS, 1);
            }
            // The new weight tensors alias buffers the jobs fill: nothing reads them before this.
            jobs.join();
            return b.build();
        } finally {
            jobs = null;
        }
    }

    private void collectNames(Onnx.GraphProto g) {
        for (Onnx.TensorProto t : g.getInitializerList()) {
            usedNames.add(t.getName());
        }
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            usedNames.add(v.getName());
        }
        for (Onnx.NodeProto n : g.getNodeList()) {
            usedNames.add(n.getName());
            usedNames.addAll(n.getOutputList());
            for (Onnx.AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    collectNames(a.getG());
                }
                for (Onnx.GraphProto sg : a.getGraphsList()) {
                    collectNames(sg);
                }
            }
        }
    }

    private String name(String base) {
        String n = base;
        while (!usedNames.add(n)) {
            n = base + "_" + (++fresh);
        }
        return n;
    }

    /** The per-graph state of a rewrite. */
    private final class Scope {
        final Map<String, Onnx.TensorProto> consts;
        /** The scope whose initializer or Constant holds each constant (outer scopes for captured weights). */
        final Map<String, Scope> owner = new HashMap<>();
        final Map<String, Onnx.NodeProto> producer = new HashMap<>();
        final List<Onnx.NodeProto> nodes = new ArrayList<>();
        final List<Onnx.TensorProto> inits = new ArrayList<>();
        final Set<String> replaced = new HashSet<>();
        final Map<String, Integer> uses = new HashMap<>();
        final Map<String, Onnx.NodeProto> onlyConsumer = new HashMap<>();
        final Set<String> graphOutputs = new HashSet<>();
        /** Add nodes folded into the MatMul before them (by output name). */
        final Set<String> foldedAdds = new HashSet<>();
        final Map<Onnx.NodeProto, Integer> position = new java.util.IdentityHashMap<>();

        Scope(Map<String, Onnx.TensorProto> consts) {
            this.consts = consts;
        }

        String init(Onnx.TensorProto t) {
            inits.add(t);
            return t.getName();
        }

        /** The scope that owns {@code weight}; new tensors derived from it go there, shared by every subgraph. */
        Scope home(String weight) {
            return owner.getOrDefault(weight, this);
        }
    }

    private Onnx.GraphProto graph(Onnx.GraphProto g, Scope outer) throws IOException {
        Map<String, Onnx.TensorProto> consts = new HashMap<>(outer == null ? Map.of() : outer.consts);
        Scope s = new Scope(consts);
        if (outer != null) {
            for (String k : consts.keySet()) {
                s.owner.put(k, outer.home(k));
            }
        }
        for (Onnx.ValueInfoProto in : g.getInputList()) {
            consts.remove(in.getName());
            s.owner.remove(in.getName());
        }
        for (Onnx.TensorProto t : g.getInitializerList()) {
            consts.put(t.getName(), t);
            s.owner.remove(t.getName());
        }
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                s.producer.put(o, n);
                consts.remove(o);
                s.owner.remove(o);
            }
            if (n.getOpType().equals("Constant") && n.getDomain().isEmpty() && n.getOutputCount() == 1) {
                Onnx.AttributeProto v = attr(n, "value");
                if (v != null && v.hasT()) {
                    consts.put(n.getOutput(0), v.getT());
                }
            }
        }
        for (Onnx.NodeProto n : g.getNodeList()) {
            Set<String> read = new HashSet<>();
            collectReads(n, read);
            for (String in : read) {
                s.uses.merge(in, 1, Integer::sum);
                s.onlyConsumer.put(in, n);
            }
        }
        g.getOutputList().forEach(o -> s.graphOutputs.add(o.getName()));
        for (int i = 0; i < g.getNodeCount(); i++) {
            s.position.put(g.getNode(i), i);
        }
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Add") && n.getOutputCount() == 1 && s.foldedAdds.contains(n.getOutput(0))) {
                continue;
            }
            if (hasSubgraph(n)) {
                Onnx.NodeProto.Builder nb = n.toBuilder();
                for (int i = 0; i < nb.getAttributeCount(); i++) {
                    Onnx.AttributeProto a = nb.getAttribute(i);
                    if (a.hasG()) {
                        nb.setAttribute(i, a.toBuilder().setG(graph(a.getG(), s)));
                    }
                    if (a.getGraphsCount() > 0) {
                        Onnx.AttributeProto.Builder ab = a.toBuilder().clearGraphs();
                        for (Onnx.GraphProto sg : a.getGraphsList()) {
                            ab.addGraphs(graph(sg, s));
                        }
                        nb.setAttribute(i, ab);
                    }
                }
                s.nodes.add(nb.build());
                continue;
            }
            if (!rewrite(s, n)) {
                s.nodes.add(n);
            }
        }
        return prune(g, s);
    }

    /** Drops initializers and Constant nodes whose weights were replaced and are no longer read. */
    private Onnx.GraphProto prune(Onnx.GraphProto g, Scope s) {
        Set<String> read = new HashSet<>();
        for (Onnx.NodeProto n : s.nodes) {
            collectReads(n, read);
        }
        for (Onnx.ValueInfoProto o : g.getOutputList()) {
            read.add(o.getName());
        }
        Onnx.GraphProto.Builder b = g.toBuilder().clearNode().clearInitializer();
        for (Onnx.NodeProto n : s.nodes) {
            boolean deadConstant = n.getOpType().equals("Constant") && n.getOutputCount() == 1
                    && s.replaced.contains(n.getOutput(0)) && !read.contains(n.getOutput(0));
            if (!deadConstant) {
                b.addNode(n);
            }
        }
        for (Onnx.TensorProto t : g.getInitializerList()) {
            if (!(s.replaced.contains(t.getName()) && !read.contains(t.getName()))) {
                b.addInitializer(t);
            }
        }
        b.addAllInitializer(s.inits);
        // value_info for a replaced weight would now describe a value that does not exist.
        List<Onnx.ValueInfoProto> vi = new ArrayList<>(b.getValueInfoList());
        b.clearValueInfo();
        for (Onnx.ValueInfoProto v : vi) {
            if (!(s.replaced.contains(v.getName()) && !read.contains(v.getName()))) {
                b.addValueInfo(v);
            }
        }
        return b.build();
    }

    private static void collectReads(Onnx.NodeProto n, Set<String> read) {
        read.addAll(n.getInputList());
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.hasG()) {
                a.getG().getNodeList().forEach(x -> collectReads(x, read));
                a.getG().getOutputList().forEach(o -> read.add(o.getName()));
            }
            for (Onnx.GraphProto sg : a.getGraphsList()) {
                sg.getNodeList().forEach(x -> collectReads(x, read));
                sg.getOutputList().forEach(o -> read.add(o.getName()));
            }
        }
    }

    private static boolean hasSubgraph(Onnx.NodeProto n) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.hasG() || a.getGraphsCount() > 0) {
                return true;
            }
        }
        return false;
    }

    static String key(Onnx.NodeProto n) {
        if (!n.getName().isEmpty()) {
            return n.getName();
        }
        return n.getOpType() + ":" + (n.getOutputCount() > 0 ? n.getOutput(0) : "");
    }

    private boolean rewrite(Scope s, Onnx.NodeProto n) throws IOException {
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            return false;
        }
        switch (n.getOpType()) {
            case "MatMul":
                return matMul(s, n);
            case "Gemm":
                return gemm(s, n);
            case "Gather":
                return gather(s, n);
            case "Conv":
                return conv(s, n);
            default:
                return false;
        }
    }

    /** Returns the float weight tensor behind {@code name}, or null if it is not a constant float tensor. */
    private Onnx.TensorProto floatConst(Scope s, String name) {
        Onnx.TensorProto t = s.consts.get(name);
        return t != null && t.getDataType() == FLOAT ? t : null;
    }

    private static long elements(Onnx.TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    /** Precision for a node, or null (with a recorded decision) if it must be left alone. */
    private Precision precisionFor(Onnx.NodeProto n, Onnx.TensorProto w) {
        String key = key(n);
        long bytes = elements(w) * 4;
        if (opts.excludeNodes().contains(n.getName()) || opts.excludeNodes().contains(key)) {
            decisions.add(new LayerDecision(key, n.getOpType(), Precision.FLOAT, "", "excluded by name", bytes, bytes));
            return null;
        }
        if (opts.excludeOps().contains(n.getOpType())) {
            decisions.add(new LayerDecision(key, n.getOpType(), Precision.FLOAT, "", "operator type excluded", bytes, bytes));
            return null;
        }
        if (elements(w) < opts.minWeightElements()) {
            decisions.add(new LayerDecision(key, n.getOpType(), Precision.FLOAT, "",
                    "weight has " + elements(w) + " elements, under the minimum of " + opts.minWeightElements(), bytes, bytes));
            return null;
        }
        Precision p = opts.precisions().getOrDefault(key, Precision.QUANTIZED);
        if (p == Precision.FLOAT) {
            decisions.add(new LayerDecision(key, n.getOpType(), Precision.FLOAT, "", "kept by mixed precision", bytes, bytes));
            return null;
        }
        return p;
    }

    private FloatBuffer floats(Onnx.TensorProto t) throws IOException {
        return model.tensorData(t).asFloatBuffer();
    }

    private boolean matMul(Scope s, Onnx.NodeProto n) throws IOException {
        if (n.getInputCount() != 2 || floatConst(s, n.getInput(0)) != null) {
            return false;
        }
        Onnx.TensorProto w = floatConst(s, n.getInput(1));
        if (w == null || w.getDimsCount() != 2) {
            return false;
        }
        Precision p = precisionFor(n, w);
        if (p == null) {
            return false;
        }
        int k = (int) w.getDims(0);
        int cols = (int) w.getDims(1);
        String y = n.getOutput(0);
        String bias = null;
        Onnx.NodeProto add = s.onlyConsumer.get(y);
        if (p == Precision.QUANTIZED && opts.mode() == QuantizeMode.INT8 && opts.int8Format() == Int8Format.PER_TENSOR
                && s.uses.getOrDefault(y, 0) == 1 && !s.graphOutputs.contains(y) && add != null && add.getOpType().equals("Add")
                && add.getDomain().isEmpty() && add.getInputCount() == 2 && add.getOutputCount() == 1
                && s.position.getOrDefault(add, -1) > s.position.getOrDefault(n, Integer.MAX_VALUE)) {
            String other = add.getInput(0).equals(y) ? add.getInput(1) : add.getInput(0);
            Onnx.TensorProto b = floatConst(s, other);
            if (b != null && b.getDimsCount() == 1 && b.getDims(0) == cols && !other.equals(y)) {
                // DynamicQuantizeMatMul adds a 1-D bias itself (ORT contrib op input 4): one pass
                // over the output fewer.
                bias = other;
                y = add.getOutput(0);
                s.foldedAdds.add(y);
            }
        }
        emitLinear(s, n, n.getInput(0), y, n.getInput(1), w.getName(), floats(w), k, cols, p, elements(w) * 4, bias);
        s.home(n.getInput(1)).replaced.add(n.getInput(1));
        return true;
    }

    private boolean gemm(Scope s, Onnx.NodeProto n) throws IOException {
        if (n.getInputCount() < 2 || floatConst(s, n.getInput(0)) != null) {
            return false;
        }
        Onnx.TensorProto w = floatConst(s, n.getInput(1));
        if (w == null || w.getDimsCount() != 2 || intAttr(n, "transA", 0) != 0) {
            return false;
        }
        float alpha = floatAttr(n, "alpha", 1f);
        float beta = floatAttr(n, "beta", 1f);
        boolean hasC = n.getInputCount() > 2 && !n.getInput(2).isEmpty();
        if (hasC && beta != 1f) {
            return false;
        }
        Precision p = precisionFor(n, w);
        if (p == null) {
            return false;
        }
        boolean transB = intAttr(n, "transB", 0) != 0;
        int k = (int) (transB ? w.getDims(1) : w.getDims(0));
        int cols = (int) (transB ? w.getDims(0) : w.getDims(1));
        FloatBuffer src = floats(w);
        FloatBuffer kn = src;
        if (transB || alpha != 1f) {
            ByteBuffer t = Weights.allocate(4L * k * cols);
            FloatBuffer tf = t.asFloatBuffer();
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < cols; c++) {
                    tf.put(r * cols + c, alpha * (transB ? src.get(c * k + r) : src.get(r * cols + c)));
                }
            }
            kn = tf;
        }
        String y = hasC ? name(n.getOutput(0) + "_matmul") : n.getOutput(0);
        emitLinear(s, n, n.getInput(0), y, n.getInput(1), w.getName() + (transB ? "_t" : "") + (alpha != 1f ? "_a" + alpha : ""), kn, k, cols, p, elements(w) * 4, null);
        if (hasC) {
            s.nodes.add(node("Add", name(key(n) + "_bias"), "", List.of(y, n.getInput(2)), List.of(n.getOutput(0))));
        }
        s.home(n.getInput(1)).replaced.add(n.getInput(1));
        return true;
    }

    /** Emits Y = A x W for a [K, N] weight in the format the mode and precision ask for. */
    private void emitLinear(Scope s, Onnx.NodeProto n, String a, String y, String wKey, String wName, FloatBuffer w, int k, int cols,
            Precision p, long floatBytes, String bias) {
        String key = key(n);
        if (p == Precision.WEIGHT_ONLY) {
            String wf = weightOnly(s, wKey, wName, w, k, cols);
            s.nodes.add(node("MatMul", name(key + "_wo"), "", List.of(a, wf), List.of(y)));
            decisions.add(new LayerDecision(key, n.getOpType(), p, "MatMul(int8 weight)", reasonFor(key, "weight-only int8"),
                    floatBytes, (long) k * cols + 4L * cols));
            return;
        }
        if (p == Precision.BLOCKED_INT8) {
            nbits(s, n, a, y, wKey, wName, w, k, cols, 8, blockFor(k), true, floatBytes, p);
            return;
        }
        if (opts.mode() == QuantizeMode.INT4) {
            int block = opts.blockSize();
            nbits(s, n, a, y, wKey, wName, w, k, cols, 4, block, opts.symmetric(), floatBytes, p);
            return;
        }
        if (opts.int8Format() == Int8Format.BLOCKED) {
            nbits(s, n, a, y, wKey, wName, w, k, cols, 8, blockFor(k), true, floatBytes, p);
            return;
        }
        List<String> t = shared(s, wKey, wName + "/dq" + opts.perChannel(), () -> {
            ByteBuffer q = Weights.allocate((long) k * cols);
            ByteBuffer scales = Weights.allocate(4L * (opts.perChannel() ? cols : 1));
            Weights.int8Columns(jobs, w, k, cols, opts.perChannel(), q, scales.asFloatBuffer());
            return List.of(Weights.tensor(name(wName + "_int8"), INT8, q, k, cols), opts.perChannel()
                    ? Weights.tensor(name(wName + "_scale"), FLOAT, scales, cols)
                    : Weights.tensor(name(wName + "_scale"), FLOAT, scales));
        });
        String qn = t.get(0);
        String sn = t.get(1);
        s.nodes.add(node("DynamicQuantizeMatMul", name(key + "_quant"), MS,
                bias == null ? List.of(a, qn, sn) : List.of(a, qn, sn, "", bias), List.of(y)));
        usedContrib = true;
        decisions.add(new LayerDecision(key, n.getOpType(), p, "DynamicQuantizeMatMul", reasonFor(key, null), floatBytes,
                (long) k * cols + 4L * (opts.perChannel() ? cols : 1)));
    }

    /**
     * Tensors derived from one weight, created once in the scope that owns the weight so that If
     * branches reading the same outer weight share them.
     */
    private List<String> shared(Scope s, String weight, String kind, java.util.function.Supplier<List<Onnx.TensorProto>> make) {
        String k = kind + ":" + weight;
        String joined = cache.get(k);
        if (joined != null) {
            return List.of(joined.split("\u0000", -1));
        }
        Scope home = s.home(weight);
        List<String> names = new ArrayList<>();
        for (Onnx.TensorProto t : make.get()) {
            names.add(home.init(t));
        }
        cache.put(k, String.join("\u0000", names));
        return names;
    }

    private String reasonFor(String key, String fallback) {
        if (opts.precisions().containsKey(key)) {
            return "kept in higher precision by mixed precision";
        }
        return fallback == null ? "" : fallback;
    }

    private void nbits(Scope s, Onnx.NodeProto n, String a, String y, String wKey, String wName, FloatBuffer w, int k, int cols, int bits,
            int block, boolean symmetric, long floatBytes, Precision p) {
        String key = key(n);
        List<String> ins = new ArrayList<>();
        ins.add(a);
        long[] storedBox = new long[1];
        List<String> t = shared(s, wKey, wName + "/nb" + bits + "/" + block + "/" + symmetric, () -> {
            Weights.NBits q = Weights.nbits(w, k, cols, bits, block, symmetric);
            List<Onnx.TensorProto> out = new ArrayList<>();
            out.add(Weights.tensor(name(wName + "_q" + bits), UINT8, q.data(), cols, q.blocks(), q.blob()));
            // Scales stored as float16 and cast to float when the runtime loads the model (constant
            // folding runs before MatMulNBits pre-packs its weights): half the bytes of the scales,
            // whose relative error (2^-11) is far below the 4- or 8-bit rounding they describe.
            ByteBuffer half = Weights.allocate(2L * q.scales().length);
            for (int i = 0; i < q.scales().length; i++) {
                half.putShort(2 * i, Weights.toHalf(q.scales()[i]));
            }
            out.add(Weights.tensor(name(wName + "_scales16"), FLOAT16, half, (long) cols * q.blocks()));
            if (q.zeroPoints() != null) {
                out.add(Weights.tensor(name(wName + "_zp"), UINT8, q.zeroPoints(), q.zeroPoints().capacity()));
            }
            return out;
        });
        String scales = name(t.get(1) + "_float");
        s.nodes.add(node("Cast", name(scales + "_node"), "", List.of(t.get(1)), List.of(scales)).toBuilder()
                .addAttribute(intA("to", FLOAT)).build());
        ins.add(t.get(0));
        ins.add(scales);
        ins.addAll(t.subList(2, t.size()));
        int blocks = (k + block - 1) / block;
        long stored = (long) cols * blocks * (block * bits / 8) + 2L * cols * blocks
                + (symmetric ? 0 : (long) cols * ((blocks * bits + 7) / 8));
        Onnx.NodeProto.Builder nb = node("MatMulNBits", name(key + "_q" + bits), MS, ins, List.of(y)).toBuilder()
                .addAttribute(intA("K", k)).addAttribute(intA("N", cols)).addAttribute(intA("bits", bits))
                .addAttribute(intA("block_size", block))
                // accuracy_level 4: activations quantized to int8 per block of each row, int8 dot products.
                .addAttribute(intA("accuracy_level", 4));
        s.nodes.add(nb.build());
        usedContrib = true;
        String fmt = "MatMulNBits(bits=" + bits + ",block=" + block + (symmetric ? "" : ",zero points") + ")";
        String why = p != Precision.QUANTIZED ? reasonFor(key, "") : bits == 8 ? "int8 format BLOCKED asked for" : "";
        decisions.add(new LayerDecision(key, n.getOpType(), bits == 8 ? Precision.BLOCKED_INT8 : p, fmt, why, floatBytes, stored));
    }

    /** int8 weight dequantized by Cast and Mul; runtimes fold this into a float constant at load time. */
    /** Largest power-of-two block up to 128 for MatMulNBits; K need not be a multiple (the tail block is padded). */
    private static int blockFor(int k) {
        return Math.max(16, Math.min(128, Integer.highestOneBit(k)));
    }

    private String weightOnly(Scope s, String wKey, String wName, FloatBuffer w, int k, int cols) {
        // The Cast/Mul nodes live in this scope; another branch makes its own from the shared tensors.
        String scopeKey = "wo@" + System.identityHashCode(s) + ":" + wKey;
        String cached = cache.get(scopeKey);
        if (cached != null) {
            return cached;
        }
        List<String> t = shared(s, wKey, wName + "/wo", () -> {
            ByteBuffer q = Weights.allocate((long) k * cols);
            ByteBuffer scales = Weights.allocate(4L * cols);
            Weights.int8Columns(jobs, w, k, cols, true, q, scales.asFloatBuffer());
            return List.of(Weights.tensor(name(wName + "_int8"), INT8, q, k, cols), Weights.tensor(name(wName + "_scale"), FLOAT, scales, cols));
        });
        String qn = t.get(0);
        String sn = t.get(1);
        String cast = name(wName + "_cast");
        String out = name(wName + "_dequant");
        s.nodes.add(node("Cast", name(cast + "_node"), "", List.of(qn), List.of(cast)).toBuilder()
                .addAttribute(intA("to", FLOAT)).build());
        s.nodes.add(node("Mul", name(out + "_node"), "", List.of(cast, sn), List.of(out)));
        cache.put(scopeKey, out);
        return out;
    }

    private boolean gather(Scope s, Onnx.NodeProto n) throws IOException {
        if (n.getInputCount() != 2 || intAttr(n, "axis", 0) != 0) {
            return false;
        }
        Onnx.TensorProto w = floatConst(s, n.getInput(0));
        if (w == null || w.getDimsCount() != 2 || s.consts.containsKey(n.getInput(1))) {
            return false;
        }
        Precision p = precisionFor(n, w);
        if (p == null) {
            return false;
        }
        String key = key(n);
        int v = (int) w.getDims(0);
        int d = (int) w.getDims(1);
        String ids = n.getInput(1);
        FloatBuffer src = floats(w);
        long floatBytes = elements(w) * 4;
        // Embedding rows tolerate 4 bits well (measured on all-minilm-l6-v2: sentence cosine 0.9972
        // with 4-bit rows and int8 MatMuls); blocks of 64 with float16 scales keep the scales small.
        int block = 64;
        if (opts.mode() == QuantizeMode.INT4 && p == Precision.QUANTIZED && d % block == 0 && d % 2 == 0) {
            // Byte j of a row holds element j (low nibble) and element j + D/2 (high nibble), so
            // unpacking is two element-wise ops and one Concat, whatever the rank of the indices.
            int blocks = d / block;
            float[] scales = new float[v * blocks];
            ByteBuffer interleaved = Weights.rows(src, v, d, 4, block, scales);
            ByteBuffer packed = Weights.allocate((long) v * d / 2);
            for (int r = 0; r < v; r++) {
                for (int j = 0; j < d / 2; j++) {
                    int lo = nibble(interleaved, r * d + j);
                    int hi = nibble(interleaved, r * d + j + d / 2);
                    packed.put(r * (d / 2) + j, (byte) (lo | (hi << 4)));
                }
            }
            String qn = s.init(Weights.tensor(name(w.getName() + "_q4"), UINT8, packed, v, d / 2));
            ByteBuffer half = Weights.allocate(2L * scales.length);
            for (int i = 0; i < scales.length; i++) {
                half.putShort(2 * i, Weights.toHalf(scales[i]));
            }
            String sn = s.init(Weights.tensor(name(w.getName() + "_scales"), FLOAT16, half, v, blocks));
            float[] expand = new float[blocks * d];
            for (int b = 0; b < blocks; b++) {
                for (int i = 0; i < block; i++) {
                    expand[b * d + b * block + i] = 1f;
                }
            }
            String en = s.init(Weights.floats(name(w.getName() + "_expand"), expand, blocks, d));
            String sixteen = s.init(Weights.tensor(name(w.getName() + "_16"), UINT8, bytes((byte) 16)));
            String four = s.init(Weights.tensor(name(w.getName() + "_4"), UINT8, bytes((byte) 4)));
            String eight = s.init(Weights.floats(name(w.getName() + "_8"), new float[] {8f}));
            String g = name(key + "_codes");
            String lo = name(key + "_lo");
            String hi = name(key + "_hi");
            String cat = name(key + "_unpacked");
            String f = name(key + "_float");
            String c = name(key + "_centered");
            String gs16 = name(key + "_row_scales16");
            String gs = name(key + "_row_scales");
            String es = name(key + "_scales_expanded");
            s.nodes.add(node("Gather", name(key + "_q4"), "", List.of(qn, ids), List.of(g)));
            s.nodes.add(node("Mod", name(lo + "_node"), "", List.of(g, sixteen), List.of(lo)));
            s.nodes.add(node("BitShift", name(hi + "_node"), "", List.of(g, four), List.of(hi)).toBuilder()
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("direction").setType(Onnx.AttributeProto.AttributeType.STRING)
                            .setS(com.google.protobuf.ByteString.copyFromUtf8("RIGHT")))
                    .build());
            s.nodes.add(node("Concat", name(cat + "_node"), "", List.of(lo, hi), List.of(cat)).toBuilder()
                    .addAttribute(intA("axis", -1)).build());
            s.nodes.add(node("Cast", name(f + "_node"), "", List.of(cat), List.of(f)).toBuilder()
                    .addAttribute(intA("to", FLOAT)).build());
            s.nodes.add(node("Sub", name(c + "_node"), "", List.of(f, eight), List.of(c)));
            s.nodes.add(node("Gather", name(gs16 + "_node"), "", List.of(sn, ids), List.of(gs16)));
            s.nodes.add(node("Cast", name(gs + "_node"), "", List.of(gs16), List.of(gs)).toBuilder().addAttribute(intA("to", FLOAT)).build());
            s.nodes.add(node("MatMul", name(es + "_node"), "", List.of(gs, en), List.of(es)));
            s.nodes.add(node("Mul", name(key + "_dequant"), "", List.of(c, es), List.of(n.getOutput(0))));
            s.home(n.getInput(0)).replaced.add(n.getInput(0));
            decisions.add(new LayerDecision(key, "Gather", Precision.QUANTIZED, "Gather(uint4 rows, block=" + block + ")",
                    "embedding table", floatBytes, (long) v * d / 2 + 2L * scales.length + 4L * expand.length));
            return true;
        }
        List<String> t = shared(s, n.getInput(0), w.getName() + "/rows8", () -> {
            ByteBuffer q = Weights.allocate((long) v * d);
            // Row scales as float16: halves their size (60 KB saved on a 30k vocabulary) at a relative
            // error of 2^-11 on the scale, far below the int8 rounding of the rows themselves.
            ByteBuffer half = Weights.allocate(2L * v);
            Weights.rows(jobs, src, v, d, 8, d, q, null, half);
            return List.of(Weights.tensor(name(w.getName() + "_int8"), INT8, q, v, d),
                    Weights.tensor(name(w.getName() + "_scale"), FLOAT16, half, v, 1));
        });
        String qn = t.get(0);
        String sn = t.get(1);
        String g = name(key + "_codes");
        String f = name(key + "_float");
        String gs = name(key + "_row_scale16");
        String gsf = name(key + "_row_scale");
        s.nodes.add(node("Gather", name(key + "_int8"), "", List.of(qn, ids), List.of(g)));
        s.nodes.add(node("Cast", name(f + "_node"), "", List.of(g), List.of(f)).toBuilder().addAttribute(intA("to", FLOAT)).build());
        s.nodes.add(node("Gather", name(gs + "_node"), "", List.of(sn, ids), List.of(gs)));
        s.nodes.add(node("Cast", name(gsf + "_node"), "", List.of(gs), List.of(gsf)).toBuilder().addAttribute(intA("to", FLOAT)).build());
        s.nodes.add(node("Mul", name(key + "_dequant"), "", List.of(f, gsf), List.of(n.getOutput(0))));
        s.home(n.getInput(0)).replaced.add(n.getInput(0));
        decisions.add(new LayerDecision(key, "Gather", p, "Gather(int8 rows)",
                p == Precision.QUANTIZED ? "embedding table" : reasonFor(key, "embedding table"), floatBytes, (long) v * d + 2L * v));
        return true;
    }

    private static int nibble(ByteBuffer b, long index) {
        int v = b.get((int) (index / 2)) & 0xff;
        return index % 2 == 0 ? v & 0xf : v >>> 4;
    }

    private static ByteBuffer bytes(byte... v) {
        ByteBuffer b = Weights.allocate(v.length);
        b.put(v);
        return b;
    }

    /**
     * Conv weights are stored int8 per output channel and dequantized when the runtime loads the
     * model: ConvInteger on ONNX Runtime's CPU provider takes only uint8 activations with per-tensor
     * weight zero points and has no fused bias, so an integer Conv would lose accuracy for little
     * speed; weight-only keeps float compute and shrinks the file 4x.
     */
    private boolean conv(Scope s, Onnx.NodeProto n) throws IOException {
        if (n.getInputCount() < 2) {
            return false;
        }
        Onnx.TensorProto w = floatConst(s, n.getInput(1));
        if (w == null || w.getDimsCount() < 3) {
            return false;
        }
        Precision p = precisionFor(n, w);
        if (p == null) {
            return false;
        }
        String key = key(n);
        int m = (int) w.getDims(0);
        int per = (int) (elements(w) / m);
        // Per output channel: treat the weight as [M, rest] and scale each row.
        FloatBuffer src = floats(w);
        long[] dims = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long[] scaleDims = new long[dims.length];
        java.util.Arrays.fill(scaleDims, 1);
        scaleDims[0] = m;
        List<String> t = shared(s, n.getInput(1), w.getName() + "/conv", () -> {
            ByteBuffer q = Weights.allocate((long) m * per);
            ByteBuffer scales = Weights.allocate(4L * m);
            Weights.rows(jobs, src, m, per, 8, per, q, scales.asFloatBuffer(), null);
            return List.of(Weights.tensor(name(w.getName() + "_int8"), INT8, q, dims),
                    Weights.tensor(name(w.getName() + "_scale"), FLOAT, scales, scaleDims));
        });
        String qn = t.get(0);
        String sn = t.get(1);
        String cast = name(w.getName() + "_cast");
        String wf = name(w.getName() + "_dequant");
        s.nodes.add(node("Cast", name(cast + "_node"), "", List.of(qn), List.of(cast)).toBuilder().addAttribute(intA("to", FLOAT)).build());
        s.nodes.add(node("Mul", name(wf + "_node"), "", List.of(cast, sn), List.of(wf)));
        List<String> ins = new ArrayList<>(n.getInputList());
        ins.set(1, wf);
        s.nodes.add(n.toBuilder().clearInput().addAllInput(ins).build());
        s.home(n.getInput(1)).replaced.add(n.getInput(1));
        decisions.add(new LayerDecision(key, "Conv", Precision.WEIGHT_ONLY, "Conv(int8 weight)",
                "ConvInteger on ONNX Runtime CPU has no per-channel int8 path; weight-only keeps float compute",
                elements(w) * 4, elements(w) + 4L * m));
        return true;
    }

    static Onnx.NodeProto node(String op, String name, String domain, List<String> in, List<String> out) {
        Onnx.NodeProto.Builder b = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addAllOutput(out);
        if (!domain.isEmpty()) {
            b.setDomain(domain);
        }
        return b.build();
    }

    static Onnx.AttributeProto intA(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v).build();
    }

    static Onnx.AttributeProto attr(Onnx.NodeProto n, String name) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    static long intAttr(Onnx.NodeProto n, String name, long dflt) {
        Onnx.AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getI();
    }

    static float floatAttr(Onnx.NodeProto n, String name, float dflt) {
        Onnx.AttributeProto a = attr(n, name);
        return a == null ? dflt : a.getF();
    }

    static Map<String, Integer> unused() {
        return new LinkedHashMap<>();
    }
}
