package dev.satchel.packager.quantize;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which inputs the original and the quantized model are evaluated on: user-supplied samples read
 * from a folder ({@link #withInputs(Path)}), or input sets generated from the model's input
 * signature. Immutable.
 *
 * @param dims values for symbolic dimensions of generated inputs. An unbound one becomes 1 when it
 *     is the leading axis of some input (a batch), and {@link #UNBOUND_SIZE} otherwise (a sequence,
 *     an image side, a number of audio samples): measured at size 1 a transformer attends to one
 *     token and a CNN sees one pixel, and the measurement says little
 * @param samples how many input sets to generate (ignored with user-supplied inputs: every sample
 *     folder is used)
 * @param seed random seed (generated inputs are a pure function of spec and signature)
 * @param intRanges per integer input, the inclusive range {@code [lo, hi]} to draw generated values
 *     from; inputs without an entry get {@code [0, rows-1]} when they index an embedding table, 1
 *     when their name contains "mask", and 0 otherwise
 * @param inputs a folder of user-supplied samples, or null to generate inputs. It holds one
 *     sub-folder per sample (taken in name order), each with one file per graph input named
 *     {@code <input>.npy} (NumPy, C order, little-endian) or {@code <input>.pb} (a serialized ONNX
 *     TensorProto), the same format as int8-static calibration data. Each file's element type must
 *     be the input's and its shape must match the input's fixed dimensions; symbolic dimensions
 *     take any size, the same within a sample, and {@link #dims} does not constrain them.
 */
public record EvalSpec(Map<String, Long> dims, int samples, long seed, Map<String, long[]> intRanges, Path inputs) {
    /** Size given to an unbound symbolic dimension that is not a batch (see {@link #dims}). */
    public static final long UNBOUND_SIZE = 128;

    /**
     * The size an unbound symbolic dimension is evaluated with: 1 when it leads the shape of some
     * input (a batch), {@link #UNBOUND_SIZE} otherwise.
     *
     * @param inputDims each input's dimension names, in order ("" for a fixed or unnamed dimension)
     */
    public static long unboundSize(String symbol, java.util.Collection<? extends java.util.List<String>> inputDims) {
        for (java.util.List<String> dims : inputDims) {
            if (!dims.isEmpty() && dims.get(0).equals(symbol)) {
                return 1;
            }
        }
        return UNBOUND_SIZE;
    }

    public EvalSpec {
        dims = Map.copyOf(new TreeMap<>(dims));
        intRanges = Map.copyOf(new TreeMap<>(intRanges));
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        for (Map.Entry<String, long[]> e : intRanges.entrySet()) {
            if (e.getValue().length != 2 || e.getValue()[0] > e.getValue()[1]) {
                throw new IllegalArgumentException("range for '" + e.getKey() + "' must be lo:hi with lo <= hi");
            }
        }
    }

    /** Generated inputs (no sample folder). */
    public EvalSpec(Map<String, Long> dims, int samples, long seed, Map<String, long[]> intRanges) {
        this(dims, samples, seed, intRanges, null);
    }

    /** Eight generated samples, seed 42, no bindings. */
    public static EvalSpec defaults() {
        return new EvalSpec(Map.of(), 8, 42, Map.of(), null);
    }

    public EvalSpec withDims(Map<String, Long> d) {
        return new EvalSpec(d, samples, seed, intRanges, inputs);
    }

    public EvalSpec withSamples(int n) {
        return new EvalSpec(dims, n, seed, intRanges, inputs);
    }

    public EvalSpec withIntRanges(Map<String, long[]> r) {
        return new EvalSpec(dims, samples, seed, r, inputs);
    }

    /**
     * Evaluates on the user-supplied samples in {@code dir} (format in {@link #inputs}) instead of
     * generated inputs; null goes back to generated inputs. The folder is read when the session
     * runs, and a missing input, a wrong element type, a shape that does not fit the model's input
     * or an unreadable file fails the run with {@link QuantizeException.Code#BAD_INPUTS}.
     */
    public EvalSpec withInputs(Path dir) {
        return new EvalSpec(dims, samples, seed, intRanges, dir);
    }

    /** True when evaluation uses the samples in {@link #inputs} rather than generated ones. */
    public boolean userSupplied() {
        return inputs != null;
    }
}
