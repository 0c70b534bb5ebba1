package dev.satchel.packager.quantize.internal;

import dev.satchel.model.OnnxModel;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static int8 in QDQ form (ONNX QuantizeLinear/DequantizeLinear, opset 10+): activations feeding
 * MatMul, Gemm and Conv get a QuantizeLinear -> DequantizeLinear pair with a calibrated uint8
 * range; their constant weights are stored uint8 with a zero point (the default: QNN's HTP takes
 * uint8 x uint8 MatMul only, and ONNX Runtime's CPU kernels run it), or int8 (symmetric, zero
 * point 0) when the options ask for signed weights, behind a DequantizeLinear, per output channel from opset 13 (per-axis DequantizeLinear) and per tensor
 * before. ONNX Runtime fuses these patterns into integer kernels. Main graph only.
 */
public final class StaticRewriter {
    private static final int FLOAT = 1;
    private static final int UINT8 = 2;
    private static final int INT8 = 3;

    private final OnnxModel model;
    private final QuantizeOptions opts;
    private final Map<String, float[]> ranges;
    private final List<LayerDecision> decisions = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int fresh;

    /** @param ranges activation name to {min, max}; null to only list the activations to calibrate */
    public StaticRewriter(OnnxModel model, QuantizeOptions opts, Map<String, float[]> ranges) {
        this.model = model;
        this.opts = opts;
        this.ranges = ranges;
    }

    public List<LayerDecision> decisions() {
        return decisions;
    }

    private Map<String, Onnx.TensorProto> constants(Onnx.GraphProto g) {
        Map<String, Onnx.TensorProto> c = new HashMap<>();
        g.getInitializerList().forEach(t -> c.put(t.getName(), t));
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                Onnx.AttributeProto a = WeightRewriter.attr(n, "value");
                if (a != null && a.hasT()) {
                    c.put(n.getOutput(0), a.getT());
                }
            }
        }
        return c;
    }

    /** Weight input index and output-channel axis of a node we quantize, or null. */
    private int[] target(Onnx.NodeProto n, Map<String, Onnx.TensorProto> consts) {
        if (!n.getDomain().isEmpty() || n.getInputCount() < 2 || consts.containsKey(n.getInput(0))) {
            return null;
        }
        Onnx.TensorProto w = consts.get(n.getInput(1));
        if (w == null || w.getDataType() != FLOAT) {
            return null;
        }
        switch (n.getOpType()) {
            case "MatMul":
                return w.getDimsCount() == 2 ? new int[] {1, 1} : null;
            case "Gemm":
                if (w.getDimsCount() != 2 || WeightRewriter.intAttr(n, "transA", 0) != 0) {
                    return null;
                }
                return new int[] {1, WeightRewriter.intAttr(n, "transB", 0) != 0 ? 0 : 1};
            case "Conv":
                return w.getDimsCount() >= 3 ? new int[] {1, 0} : null;
            default:
                return null;
        }
    }

    /** The activations whose ranges calibration must provide. */
    public Set<String> activations() {
        Onnx.GraphProto g = model.proto().getGraph();
        Map<String, Onnx.TensorProto> consts = constants(g);
        Set<String> out = new LinkedHashSet<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (target(n, consts) != null && eligible(n, consts.get(n.getInput(1)), false)) {
                out.add(n.getInput(0));
            }
        }
        return out;
    }

    private boolean eligible(Onnx.NodeProto n, Onnx.TensorProto w, boolean record) {
        String key = WeightRewriter.key(n);
        long e = 1;
        for (long d : w.getDimsList()) {
            e *= d;
        }
        String why = null;
        if (opts.excludeNodes().contains(n.getName()) || opts.excludeNodes().contains(key)) {
            why = "excluded by name";
        } else if (opts.excludeOps().contains(n.getOpType())) {
            why = "operator type excluded";
        } else if (e < opts.minWeightElements()) {
            why = "weight has " + e + " elements, under the minimum of " + opts.minWeightElements();
        } else if (opts.precisions().get(key) == Precision.FLOAT) {
            why = "kept in higher precision by mixed precision";
        }
        if (why != null && record) {
            decisions.add(new LayerDecision(key, n.getOpType(), Precision.FLOAT, "", why, 4 * e, 4 * e));
        }
        return why == null;
    }

    public Onnx.ModelProto run() throws IOException {
        Onnx.ModelProto src = model.proto();
        Onnx.GraphProto g = src.getGraph();
        long opset = Opsets.onnxVersion(src);
        boolean perAxis = opset >= 13 && opts.perChannel();
        for (Onnx.NodeProto n : g.getNodeList()) {
            names.add(n.getName());
            names.addAll(n.getOutputList());
        }
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        Map<String, Onnx.TensorProto> consts = constants(g);
        Set<String> replaced = new HashSet<>();
        Map<String, String> dq = new HashMap<>();
        List<Onnx.NodeProto> nodes = new ArrayList<>();
        List<Onnx.TensorProto> inits = new ArrayList<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            int[] t = target(n, consts);
            if (t == null || !eligible(n, consts.get(n.getInput(1)), true) || !ranges.containsKey(n.getInput(0))) {
                nodes.add(n);
                continue;
            }
            String x = n.getInput(0);
            String xdq = dq.get(x);
            if (xdq == null) {
                float[] r = ranges.get(x);
                float lo = Math.min(0f, r[0]);
                float hi = Math.max(0f, r[1]);
                float scale = hi > lo ? (hi - lo) / 255f : 1f;
                int zp = Weights.clamp(Math.round(-lo / scale), 0, 255);
                String sn = name(x + "_scale");
                String zn = name(x + "_zero_point");
                inits.add(Weights.floats(sn, new float[] {scale}));
                ByteBuffer z = Weights.allocate(1);
                z.put(0, (byte) zp);
                inits.add(Weights.tensor(zn, UINT8, z));
                String xq = name(x + "_quantized");
                xdq = name(x + "_dequantized");
                nodes.add(WeightRewriter.node("QuantizeLinear", name(xq + "_node"), "", List.of(x, sn, zn), List.of(xq)));
                nodes.add(WeightRewriter.node("DequantizeLinear", name(xdq + "_node"), "", List.of(xq, sn, zn), List.of(xdq)));
                dq.put(x, xdq);
            }
            Onnx.TensorProto w = consts.get(n.getInput(1));
            long[] dims = w.getDimsList().stream().mapToLong(Long::longValue).toArray();
            int axis = t[1];
            int channels = (int) dims[axis];
            long total = 1;
            for (long d : dims) {
                total *= d;
            }
            int inner = 1;
            for (int i = axis + 1; i < dims.length; i++) {
                inner *= (int) dims[i];
            }
            FloatBuffer f = model.tensorData(w).asFloatBuffer();
            int groups = perAxis ? channels : 1;
            // Per group: the largest magnitude (symmetric int8) or the range widened to include 0
            // (asymmetric uint8 with a zero point, the weight type QNN's HTP takes).
            float[] lo = new float[groups];
            float[] hi = new float[groups];
            for (int i = 0; i < total; i++) {
                int c = perAxis ? (i / inner) % channels : 0;
                float v = f.get(i);
                lo[c] = Math.min(lo[c], v);
                hi[c] = Math.max(hi[c], v);
            }
            boolean symmetric = opts.signedStaticWeights();
            float[] scales = new float[groups];
            int[] zps = new int[groups];
            for (int c = 0; c < groups; c++) {
                if (symmetric) {
                    float amax = Math.max(-lo[c], hi[c]);
                    scales[c] = amax == 0 ? 1f : amax / 127f;
                } else {
                    scales[c] = hi[c] > lo[c] ? (hi[c] - lo[c]) / 255f : 1f;
                    zps[c] = Weights.clamp(Math.round(-lo[c] / scales[c]), 0, 255);
                }
            }
            ByteBuffer q = Weights.allocate(total);
            for (int i = 0; i < total; i++) {
                int c = perAxis ? (i / inner) % channels : 0;
                int v = Math.round(f.get(i) / scales[c]);
                q.put(i, (byte) (symmetric ? Weights.clamp(v, -127, 127) : Weights.clamp(v + zps[c], 0, 255)));
            }
            int wtype = symmetric ? INT8 : UINT8;
            String wq = name(w.getName() + (symmetric ? "_int8" : "_uint8"));
            String ws = name(w.getName() + "_scale");
            String wz = name(w.getName() + "_zero_point");
            ByteBuffer z = Weights.allocate(groups);
            for (int c = 0; c < groups; c++) {
                z.put(c, (byte) zps[c]);
            }
            inits.add(Weights.tensor(wq, wtype, q, dims));
            inits.add(perAxis ? Weights.floats(ws, scales, channels) : Weights.floats(ws, scales));
            inits.add(Weights.tensor(wz, wtype, z, perAxis ? new long[] {channels} : new long[0]));
            String wdq = name(w.getName() + "_dequantized");
            Onnx.NodeProto.Builder d = WeightRewriter.node("DequantizeLinear", name(wdq + "_node"), "", List.of(wq, ws, wz),
                    List.of(wdq)).toBuilder();
            if (perAxis) {
                d.addAttribute(WeightRewriter.intA("axis", axis));
            }
            nodes.add(d.build());
            List<String> ins = new ArrayList<>(n.getInputList());
            ins.set(0, xdq);
            ins.set(1, wdq);
            nodes.add(n.toBuilder().clearInput().addAllInput(ins).build());
            replaced.add(n.getInput(1));
            decisions.add(new LayerDecision(WeightRewriter.key(n), n.getOpType(), Precision.QUANTIZED,
                    "QDQ(" + (perAxis ? "per-channel" : "per-tensor") + (symmetric ? " int8" : " uint8") + " weight, uint8 activation)", "", 4 * total,
                    total + 5L * scales.length));
        }
        Set<String> read = new HashSet<>();
        nodes.forEach(n -> read.addAll(n.getInputList()));
        g.getOutputList().forEach(o -> read.add(o.getName()));
        Onnx.GraphProto.Builder b = g.toBuilder().clearNode().clearInitializer();
        for (Onnx.NodeProto n : nodes) {
            boolean dead = n.getOpType().equals("Constant") && n.getOutputCount() == 1 && replaced.contains(n.getOutput(0))
                    && !read.contains(n.getOutput(0));
            if (!dead) {
                b.addNode(n);
            }
        }
        for (Onnx.TensorProto t : g.getInitializerList()) {
            if (!(replaced.contains(t.getName()) && !read.contains(t.getName()))) {
                b.addInitializer(t);
            }
        }
        b.addAllInitializer(inits);
        return src.toBuilder().setGraph(b).build();
    }

    private String name(String base) {
        String n = base;
        while (!names.add(n)) {
            n = base + "_" + (++fresh);
        }
        return n;
    }
}
