package dev.satchel.packager.quantize;

import java.util.Map;
import java.util.TreeMap;

/**
 * How evaluation inputs are generated from the model's input signature. Immutable.
 *
 * @param dims values for symbolic dimensions; an unbound symbol becomes 1
 * @param samples how many input sets to generate
 * @param seed random seed (inputs are a pure function of spec and signature)
 * @param intRanges per integer input, the inclusive range {@code [lo, hi]} to draw from; inputs
 *     without an entry get {@code [0, rows-1]} when they index an embedding table, 1 when their
 *     name contains "mask", and 0 otherwise
 */
public record EvalSpec(Map<String, Long> dims, int samples, long seed, Map<String, long[]> intRanges) {
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

    /** Eight samples, seed 42, no bindings. */
    public static EvalSpec defaults() {
        return new EvalSpec(Map.of(), 8, 42, Map.of());
    }

    public EvalSpec withDims(Map<String, Long> d) {
        return new EvalSpec(d, samples, seed, intRanges);
    }

    public EvalSpec withSamples(int n) {
        return new EvalSpec(dims, n, seed, intRanges);
    }

    public EvalSpec withIntRanges(Map<String, long[]> r) {
        return new EvalSpec(dims, samples, seed, r);
    }
}
