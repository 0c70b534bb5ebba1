package dev.satchel.packager.quantize;

import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.packager.quantize.internal.Fp16Rewriter;
import dev.satchel.packager.quantize.internal.StaticRewriter;
import dev.satchel.packager.quantize.internal.WeightRewriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Rewrites a float32 model into a quantized one, in memory: new tensors live in direct buffers and
 * untouched tensors stay views of the source file, so heap use is bounded by the largest tensor
 * being converted, not the model. Deterministic. Stateless and thread-safe.
 *
 * <p>This step does not run the model; {@link QuantizeSession} adds the ONNX Runtime accuracy gate
 * and automatic mixed precision on top.
 */
public final class Quantizer {
    /** Operators whose presence means the model is already quantized. */
    static final Set<String> QUANTIZED_OPS = Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
            "MatMulInteger", "ConvInteger", "QLinearConv", "QLinearMatMul", "MatMulNBits", "DynamicQuantizeMatMul",
            "MatMulIntegerToFloat", "QLinearAdd", "QLinearMul", "GatherBlockQuantized", "MatMulBnb4", "QGemm");

    private Quantizer() {}

    /** The result of a rewrite: the new model and a decision per weight-carrying node. */
    public record Result(OnnxModel model, List<LayerDecision> decisions) {
        public Result {
            decisions = List.copyOf(decisions);
        }
    }

    /**
     * @throws QuantizeException ALREADY_QUANTIZED (without {@code force}), UNSUPPORTED
     * @throws IOException if a weight cannot be read (external data missing)
     */
    /**
     * Optional: compiles the int8 kernels ahead of a run, for a caller with a spare core and a
     * moment to spare (the CLI calls it while it parses its arguments).
     */
    public static void warmUp() {
        dev.satchel.packager.quantize.internal.Weights.warmUp();
    }

    public static Result quantize(OnnxModel model, QuantizeOptions options) throws IOException {
        return quantize(model, options, s -> { });
    }

    /** As {@link #quantize(OnnxModel, QuantizeOptions)}, reporting steps to {@code progress}. */
    public static Result quantize(OnnxModel model, QuantizeOptions options, Consumer<String> progress) throws IOException {
        if (!options.force()) {
            String why = alreadyQuantized(model.proto());
            if (why != null) {
                throw new QuantizeException(QuantizeException.Code.ALREADY_QUANTIZED,
                        "the model is already quantized (" + why + "); quantizing again compounds the error. Use --force to go on anyway");
            }
        }
        progress.accept("rewriting weights for " + options.mode());
        Onnx.ModelProto out;
        List<LayerDecision> decisions = new ArrayList<>();
        switch (options.mode()) {
            case INT8:
            case INT4: {
                WeightRewriter r = new WeightRewriter(model, options);
                out = r.run();
                decisions.addAll(r.decisions());
                break;
            }
            case FP16: {
                Fp16Rewriter r = new Fp16Rewriter(model, options);
                out = r.run();
                decisions.addAll(r.decisions());
                break;
            }
            case INT8_STATIC:
            default:
                throw new QuantizeException(QuantizeException.Code.UNSUPPORTED,
                        "int8-static needs calibrated activation ranges: use QuantizeSession, or quantizeStatic with ranges");
        }
        OnnxModel result = model.withProto(out);
        ModelReader.validate(result);
        return new Result(result, decisions);
    }

    /**
     * {@link QuantizeMode#INT8_STATIC}: QDQ int8 with the given activation ranges ({min, max} per
     * activation name, from calibration).
     */
    public static Result quantizeStatic(OnnxModel model, QuantizeOptions options, Map<String, float[]> ranges) throws IOException {
        if (!options.force()) {
            String why = alreadyQuantized(model.proto());
            if (why != null) {
                throw new QuantizeException(QuantizeException.Code.ALREADY_QUANTIZED,
                        "the model is already quantized (" + why + "); quantizing again compounds the error. Use --force to go on anyway");
            }
        }
        StaticRewriter r = new StaticRewriter(model, options, ranges);
        OnnxModel qdq = model.withProto(r.run());
        // Embedding tables get the same int8 rows as in dynamic int8 (activations of a Gather need
        // no calibration).
        Set<String> onlyGather = new TreeSet<>(options.excludeOps());
        onlyGather.addAll(Set.of("MatMul", "Gemm", "Conv"));
        WeightRewriter w = new WeightRewriter(qdq, options.withExcludeOps(onlyGather));
        OnnxModel result = model.withProto(w.run());
        ModelReader.validate(result);
        List<LayerDecision> decisions = new ArrayList<>(r.decisions());
        w.decisions().stream().filter(d -> d.op().equals("Gather")).forEach(decisions::add);
        return new Result(result, decisions);
    }

    /** The activation values static quantization needs ranges for. */
    public static Set<String> staticActivations(OnnxModel model, QuantizeOptions options) {
        return new StaticRewriter(model, options, null).activations();
    }

    /** Why the model counts as quantized, or null. */
    static String alreadyQuantized(Onnx.ModelProto m) {
        Set<String> ops = new TreeSet<>();
        collectOps(m.getGraph(), ops);
        ops.retainAll(QUANTIZED_OPS);
        if (!ops.isEmpty()) {
            return "it has " + String.join(", ", ops) + " nodes";
        }
        long lowPrecision = 0;
        long total = 0;
        for (Onnx.TensorProto t : m.getGraph().getInitializerList()) {
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= d;
            }
            if (n < 1024) {
                continue;
            }
            total++;
            int dt = t.getDataType();
            if (dt == 2 || dt == 3 || dt == 10 || dt == 16 || dt == 21 || dt == 22) {
                lowPrecision++;
            }
        }
        if (total > 0 && lowPrecision * 2 > total) {
            return lowPrecision + " of its " + total + " large weights are 8-bit, 4-bit or 16-bit";
        }
        return null;
    }

    private static void collectOps(Onnx.GraphProto g, Set<String> ops) {
        for (Onnx.NodeProto n : g.getNodeList()) {
            ops.add(n.getOpType());
            for (Onnx.AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    collectOps(a.getG(), ops);
                }
                for (Onnx.GraphProto sg : a.getGraphsList()) {
                    collectOps(sg, ops);
                }
            }
        }
    }
}
