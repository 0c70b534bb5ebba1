package dev.satchel.packager.quantize.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.packager.quantize.EvalSpec;
import dev.satchel.packager.quantize.OutputQuality;
import dev.satchel.packager.quantize.QuantizeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs a reference model once on the evaluation inputs (generated from the signature, or
 * user-supplied samples) and compares candidate models against it, in ONNX Runtime on the CPU with
 * one thread (results do not depend on thread scheduling).
 * Not thread-safe; close it to release the native tensors.
 */
public final class OrtEvaluator implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final List<Map<String, OnnxTensor>> inputs = new ArrayList<>();
    private final List<Map<String, float[]>> reference = new ArrayList<>();
    /** Per sample, the reference outputs' shapes (user-supplied samples may differ in size). */
    private final List<Map<String, long[]>> shapes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** Sizes made up for unbound dimensions: what the failure hint and the warnings name. */
    private final Map<String, Long> guessed = new LinkedHashMap<>();
    private Map<String, CalibrationData.Signature> signature = Map.of();

    /**
     * @param source the float model (graph proto used to find embedding-table index inputs)
     */
    public OrtEvaluator(Path referenceModel, Onnx.GraphProto source, EvalSpec spec) throws java.io.IOException {
        boolean ok = false;
        try (OrtSession s = open(referenceModel)) {
            signature = signature(s, source);
            if (spec.userSupplied()) {
                inputs.addAll(CalibrationData.read(spec.inputs(), signature, "evaluation inputs"));
            } else {
                Map<String, Long> tableRows = indexedTables(source);
                for (int i = 0; i < spec.samples(); i++) {
                    inputs.add(generate(s, spec, tableRows, symbols(source), spec.seed() + i));
                }
            }
            for (Map<String, OnnxTensor> in : inputs) {
                Map<String, long[]> sh = new LinkedHashMap<>();
                reference.add(run(s, in, sh));
                shapes.add(sh);
            }
            warnNearZeroOutputs();
            ok = true;
        } catch (OrtException e) {
            throw new QuantizeException(QuantizeException.Code.RUNTIME_FAILED,
                    "ONNX Runtime could not run the original model: " + e.getMessage() + generatedHint(spec), e);
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    /**
     * Below this largest magnitude over every evaluation input, an output is "off" (a detector that
     * detects nothing, a gate that stays closed): its cosine to the quantized model's output
     * measures rounding noise, not the model.
     */
    static final double NEAR_ZERO = 1e-3;

    private void warnNearZeroOutputs() {
        Map<String, Double> largest = new LinkedHashMap<>();
        for (Map<String, float[]> outputs : reference) {
            for (Map.Entry<String, float[]> e : outputs.entrySet()) {
                double m = largest.getOrDefault(e.getKey(), 0.0);
                for (float v : e.getValue()) {
                    m = Math.max(m, Math.abs(v));
                }
                largest.put(e.getKey(), m);
            }
        }
        largest.forEach((name, m) -> {
            if (m < NEAR_ZERO) {
                warnings.add(String.format(java.util.Locale.US, "the original model's output '%s' is near zero on every "
                        + "evaluation input (largest magnitude %.2g), so its cosine measures rounding noise, not the model: "
                        + "evaluate on inputs that exercise it (--eval-inputs DIR)", name, m));
            }
        });
    }

    /** What a failure on generated inputs should point at: the sizes and values that were made up. */
    private String generatedHint(EvalSpec spec) {
        if (spec.userSupplied()) {
            return "";
        }
        List<String> sizes = new ArrayList<>();
        guessed.forEach((what, size) -> sizes.add(what + " = " + size + (size == 1 ? " (a batch)" : "")));
        return " (on generated inputs" + (sizes.isEmpty() ? "" : ", " + String.join(", ", sizes))
                + "; bind symbolic dimensions with --dim NAME=VALUE, set integer inputs with --input-range NAME=LO:HI, "
                + "or pass real inputs with --eval-inputs DIR)";
    }

    /** How many input sets the models are evaluated on. */
    public int samples() {
        return inputs.size();
    }

    /**
     * Reads a folder of samples (see {@link CalibrationData}) checked against the reference model's
     * inputs. The caller closes the tensors.
     */
    public List<Map<String, OnnxTensor>> readSamples(Path dir, String what) throws java.io.IOException {
        return CalibrationData.read(dir, signature, what);
    }

    /** The model's inputs as ONNX Runtime reports them, with symbol names from the graph. */
    private static Map<String, CalibrationData.Signature> signature(OrtSession s, Onnx.GraphProto g) throws OrtException,
            QuantizeException {
        Map<String, List<String>> symbols = symbols(g);
        Map<String, Long> tables = indexedTables(g);
        Map<String, CalibrationData.Signature> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : s.getInputInfo().entrySet()) {
            if (!(e.getValue().getInfo() instanceof TensorInfo ti)) {
                throw new QuantizeException(QuantizeException.Code.BAD_INPUTS,
                        "input '" + e.getKey() + "' is not a tensor; the models cannot be evaluated on it");
            }
            out.put(e.getKey(), new CalibrationData.Signature(ti.type, ti.getShape(), symbols.getOrDefault(e.getKey(), List.of()),
                    tables.getOrDefault(e.getKey(), 0L)));
        }
        return out;
    }

    /**
     * Runs {@code calibrationModel} (the float model with the activations as extra outputs) on
     * {@code samples} (the evaluation inputs when null) and returns each activation's range.
     */
    public Map<String, float[]> calibrate(Path calibrationModel, java.util.Set<String> activations,
            List<Map<String, OnnxTensor>> samples, dev.satchel.packager.quantize.CalibrationMethod method) throws QuantizeException {
        Map<String, float[]> ranges = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (OrtSession s = open(calibrationModel)) {
            for (Map<String, OnnxTensor> in : samples == null ? inputs : samples) {
                try (OrtSession.Result r = s.run(in, activations)) {
                    for (Map.Entry<String, OnnxValue> e : r) {
                        float[] v = toFloats((OnnxTensor) e.getValue());
                        float lo;
                        float hi;
                        if (method == dev.satchel.packager.quantize.CalibrationMethod.PERCENTILE && v.length > 100) {
                            float[] sorted = v.clone();
                            java.util.Arrays.sort(sorted);
                            int cut = (int) Math.floor(sorted.length * 1e-4);
                            lo = sorted[cut];
                            hi = sorted[sorted.length - 1 - cut];
                        } else {
                            lo = Float.POSITIVE_INFINITY;
                            hi = Float.NEGATIVE_INFINITY;
                            for (float x : v) {
                                lo = Math.min(lo, x);
                                hi = Math.max(hi, x);
                            }
                        }
                        float[] acc = ranges.get(e.getKey());
                        if (acc == null) {
                            ranges.put(e.getKey(), new float[] {lo, hi});
                            counts.put(e.getKey(), 1);
                        } else if (method == dev.satchel.packager.quantize.CalibrationMethod.PERCENTILE) {
                            int n = counts.merge(e.getKey(), 1, Integer::sum);
                            acc[0] += (lo - acc[0]) / n;
                            acc[1] += (hi - acc[1]) / n;
                        } else {
                            acc[0] = Math.min(acc[0], lo);
                            acc[1] = Math.max(acc[1], hi);
                        }
                    }
                }
            }
            return ranges;
        } catch (OrtException e) {
            throw new QuantizeException(QuantizeException.Code.RUNTIME_FAILED,
                    "ONNX Runtime could not run the calibration model: " + e.getMessage(), e);
        }
    }

    public List<String> warnings() {
        return warnings;
    }

    static OrtSession open(Path model) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            // ORT warns about unused initializers and the like on stderr, and logs a failed run
            // before it throws; Satchel reports the failure itself, in one line.
            o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            o.setInterOpNumThreads(1);
            return OrtEnvironment.getEnvironment().createSession(model.toString(), o);
        }
    }

    /** Loads a candidate and measures every float output against the reference. */
    public List<OutputQuality> compare(Path candidate) throws QuantizeException {
        try (OrtSession s = open(candidate)) {
            Map<String, double[]> acc = new LinkedHashMap<>();
            Map<String, List<Double>> cos = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, float[]> out = run(s, inputs.get(i), new LinkedHashMap<>());
                for (Map.Entry<String, float[]> e : reference.get(i).entrySet()) {
                    float[] ref = e.getValue();
                    float[] q = out.get(e.getKey());
                    if (q == null || q.length != ref.length) {
                        throw new QuantizeException(QuantizeException.Code.RUNTIME_FAILED,
                                "quantized model's output '" + e.getKey() + "' has a different size than the original's");
                    }
                    double[] a = acc.computeIfAbsent(e.getKey(), k -> new double[5]);
                    double dot = 0;
                    double nr = 0;
                    double nq = 0;
                    double err = 0;
                    for (int j = 0; j < ref.length; j++) {
                        double d = (double) ref[j] - q[j];
                        dot += (double) ref[j] * q[j];
                        nr += (double) ref[j] * ref[j];
                        nq += (double) q[j] * q[j];
                        err += d * d;
                        a[2] = Math.max(a[2], Math.abs(d));
                    }
                    a[0] += nr;
                    a[1] += err;
                    double c = nr == 0 && nq == 0 ? 1 : (nr == 0 || nq == 0 ? 0 : dot / Math.sqrt(nr * nq));
                    cos.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(c);
                    long[] shape = shapes.get(i).get(e.getKey());
                    if (shape != null && shape.length == 2 && shape[1] > 1) {
                        int rows = (int) shape[0];
                        int cols = (int) shape[1];
                        for (int r = 0; r < rows; r++) {
                            a[3] += argmax(ref, r * cols, cols) == argmax(q, r * cols, cols) ? 1 : 0;
                            a[4] += 1;
                        }
                    }
                }
            }
            List<OutputQuality> res = new ArrayList<>();
            for (Map.Entry<String, double[]> e : acc.entrySet()) {
                double[] a = e.getValue();
                List<Double> c = cos.get(e.getKey());
                double mean = c.stream().mapToDouble(Double::doubleValue).average().orElse(1);
                double min = c.stream().mapToDouble(Double::doubleValue).min().orElse(1);
                double sqnr = a[1] == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(a[0] / a[1]);
                res.add(new OutputQuality(e.getKey(), mean, min, sqnr, a[2], a[4] > 0 ? a[3] / a[4] : Double.NaN));
            }
            return res;
        } catch (OrtException e) {
            throw new QuantizeException(QuantizeException.Code.RUNTIME_FAILED,
                    "ONNX Runtime could not load or run the quantized model: " + e.getMessage(), e);
        }
    }

    private static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }

    private static Map<String, float[]> run(OrtSession s, Map<String, OnnxTensor> in, Map<String, long[]> shapes)
            throws OrtException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (OrtSession.Result r = s.run(in)) {
            for (Map.Entry<String, OnnxValue> e : r) {
                if (!(e.getValue() instanceof OnnxTensor t)) {
                    continue;
                }
                OnnxJavaType type = t.getInfo().type;
                if (type != OnnxJavaType.FLOAT && type != OnnxJavaType.FLOAT16 && type != OnnxJavaType.DOUBLE) {
                    continue;
                }
                shapes.put(e.getKey(), t.getInfo().getShape());
                out.put(e.getKey(), toFloats(t));
            }
        }
        return out;
    }

    private static float[] toFloats(OnnxTensor t) {
        ByteBuffer b = t.getByteBuffer().order(ByteOrder.nativeOrder());
        OnnxJavaType type = t.getInfo().type;
        int n = (int) t.getInfo().getNumElements();
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            if (type == OnnxJavaType.FLOAT) {
                f[i] = b.getFloat(4 * i);
            } else if (type == OnnxJavaType.DOUBLE) {
                f[i] = (float) b.getDouble(8 * i);
            } else {
                f[i] = Weights.fromHalf(b.getShort(2 * i));
            }
        }
        return f;
    }

    /** Integer graph inputs used as Gather indices into a constant table, with the table's row count. */
    static Map<String, Long> indexedTables(Onnx.GraphProto g) {
        Map<String, Onnx.TensorProto> consts = new LinkedHashMap<>();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            consts.put(t.getName(), t);
        }
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                for (Onnx.AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("value") && a.hasT()) {
                        consts.put(n.getOutput(0), a.getT());
                    }
                }
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Gather") && n.getInputCount() == 2) {
                Onnx.TensorProto table = consts.get(n.getInput(0));
                if (table != null && table.getDimsCount() >= 1) {
                    rows.merge(n.getInput(1), table.getDims(0), Math::min);
                }
            }
        }
        return rows;
    }

    private static Map<String, List<String>> symbols(Onnx.GraphProto g) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            List<String> dims = new ArrayList<>();
            for (Onnx.TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
                dims.add(d.getDimParam());
            }
            out.put(v.getName(), dims);
        }
        return out;
    }

    private Map<String, OnnxTensor> generate(OrtSession s, EvalSpec spec, Map<String, Long> tableRows,
            Map<String, List<String>> symbols, long seed)
            throws OrtException, QuantizeException {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : s.getInputInfo().entrySet()) {
            if (!(e.getValue().getInfo() instanceof TensorInfo ti)) {
                throw new QuantizeException(QuantizeException.Code.BAD_INPUTS,
                        "input '" + e.getKey() + "' is not a tensor; evaluation inputs cannot be generated for it");
            }
            List<String> names = symbols.getOrDefault(e.getKey(), List.of());
            long[] shape = ti.getShape().clone();
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    String sym = i < names.size() ? names.get(i) : "";
                    Long bound = sym.isEmpty() ? null : spec.dims().get(sym);
                    if (bound == null) {
                        // A batch (the leading axis of some input) gets 1; a sequence, image side
                        // or sample count a representative size.
                        bound = sym.isEmpty() ? (i == 0 ? 1 : EvalSpec.UNBOUND_SIZE) : EvalSpec.unboundSize(sym, symbols.values());
                        String what = sym.isEmpty() ? "dimension " + i + " of input '" + e.getKey() + "' (unnamed)"
                                : "symbolic dimension '" + sym + "'";
                        if (guessed.put(what, bound) == null) {
                            warnings.add(what + " was not bound with --dim; evaluated with " + bound + (bound == 1 ? " (a batch)" : ""));
                        }
                    }
                    shape[i] = bound;
                }
                n *= shape[i];
            }
            String name = e.getKey();
            long[] range = spec.intRanges().get(name);
            if (range == null) {
                Long rows = tableRows.get(name);
                range = rows != null ? new long[] {0, rows - 1}
                        : name.toLowerCase(java.util.Locale.ROOT).contains("mask") ? new long[] {1, 1} : new long[] {0, 0};
            }
            ByteBuffer b;
            switch (ti.type) {
                case FLOAT: {
                    b = ByteBuffer.allocateDirect((int) (4 * n)).order(ByteOrder.nativeOrder());
                    for (long i = 0; i < n; i++) {
                        b.putFloat((float) (r.nextDouble() * 2 - 1));
                    }
                    break;
                }
                case INT64: {
                    b = ByteBuffer.allocateDirect((int) (8 * n)).order(ByteOrder.nativeOrder());
                    for (long i = 0; i < n; i++) {
                        b.putLong(range[0] == range[1] ? range[0] : r.nextLong(range[0], range[1] + 1));
                    }
                    break;
                }
                case INT32: {
                    b = ByteBuffer.allocateDirect((int) (4 * n)).order(ByteOrder.nativeOrder());
                    for (long i = 0; i < n; i++) {
                        b.putInt((int) (range[0] == range[1] ? range[0] : r.nextLong(range[0], range[1] + 1)));
                    }
                    break;
                }
                case BOOL:
                case UINT8:
                case INT8: {
                    b = ByteBuffer.allocateDirect((int) n).order(ByteOrder.nativeOrder());
                    for (long i = 0; i < n; i++) {
                        b.put((byte) (range[0] == range[1] ? range[0] : r.nextLong(range[0], range[1] + 1)));
                    }
                    break;
                }
                default:
                    throw new QuantizeException(QuantizeException.Code.BAD_INPUTS,
                            "input '" + name + "' has element type " + ti.type + ", for which inputs cannot be generated");
            }
            b.flip();
            out.put(name, OnnxTensor.createTensor(env, b, shape, ti.type));
        }
        return out;
    }

    @Override
    public void close() {
        for (Map<String, OnnxTensor> m : inputs) {
            m.values().forEach(OnnxTensor::close);
        }
        inputs.clear();
    }
}
