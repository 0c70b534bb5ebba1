package dev.satchel.packager.quantize;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What to quantize and how. Immutable; build with {@link #of(QuantizeMode)} and the {@code with*}
 * methods.
 *
 * @param mode the target format
 * @param excludeOps operator types left in float (for example {@code Gather})
 * @param excludeNodes node names left in float
 * @param minWeightElements weights with fewer elements are left in float
 * @param perChannel one scale per output channel (true) or per tensor (false) for int8 weights
 * @param force quantize even if the model already holds quantized operators or weights
 * @param blockSize int4 block length along K (16, 32, 64 or 128)
 * @param symmetric weights without zero points (true) or with zero points (false): int4 with one
 *     zero point per block; int8-static with uint8 weights and a zero point per channel (the
 *     weight type QNN's HTP takes) instead of symmetric int8
 * @param int8Format operator format for int8 MatMul
 * @param precisions per-node precision overrides (node name to precision); automatic mixed
 *     precision fills this in
 */
public record QuantizeOptions(QuantizeMode mode, Set<String> excludeOps, Set<String> excludeNodes, long minWeightElements,
        boolean perChannel, boolean force, int blockSize, boolean symmetric, Int8Format int8Format,
        Map<String, Precision> precisions) {
    public static final long DEFAULT_MIN_WEIGHT_ELEMENTS = 1024;

    public QuantizeOptions {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (minWeightElements < 0) {
            throw new IllegalArgumentException("minWeightElements must be >= 0, got " + minWeightElements);
        }
        if (blockSize != 16 && blockSize != 32 && blockSize != 64 && blockSize != 128) {
            throw new IllegalArgumentException("block size must be 16, 32, 64 or 128, got " + blockSize);
        }
        excludeOps = Set.copyOf(new TreeSet<>(excludeOps));
        excludeNodes = Set.copyOf(new TreeSet<>(excludeNodes));
        int8Format = int8Format == null ? Int8Format.PER_TENSOR : int8Format;
        precisions = Map.copyOf(new TreeMap<>(precisions));
    }

    /** Defaults: per-channel int8, int4 blocks of 32 without zero points, weights of 1024+ elements. */
    public static QuantizeOptions of(QuantizeMode mode) {
        return new QuantizeOptions(mode, Set.of(), Set.of(), DEFAULT_MIN_WEIGHT_ELEMENTS, true, false, 32, true,
                Int8Format.PER_TENSOR, Map.of());
    }

    public QuantizeOptions withExcludeOps(Set<String> ops) {
        return new QuantizeOptions(mode, ops, excludeNodes, minWeightElements, perChannel, force, blockSize, symmetric,
                int8Format, precisions);
    }

    public QuantizeOptions withExcludeNodes(Set<String> nodes) {
        return new QuantizeOptions(mode, excludeOps, nodes, minWeightElements, perChannel, force, blockSize, symmetric,
                int8Format, precisions);
    }

    public QuantizeOptions withMinWeightElements(long n) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, n, perChannel, force, blockSize, symmetric, int8Format,
                precisions);
    }

    public QuantizeOptions withPerChannel(boolean v) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, v, force, blockSize, symmetric,
                int8Format, precisions);
    }

    /** Quantize a model that already holds quantized operators or weights. */
    public QuantizeOptions withForce(boolean v) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, v, blockSize, symmetric,
                int8Format, precisions);
    }

    public QuantizeOptions withBlockSize(int b) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, force, b, symmetric,
                int8Format, precisions);
    }

    public QuantizeOptions withSymmetric(boolean v) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, force, blockSize, v,
                int8Format, precisions);
    }

    public QuantizeOptions withInt8Format(Int8Format f) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, force, blockSize, symmetric,
                f, precisions);
    }

    public QuantizeOptions withPrecisions(Map<String, Precision> p) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, force, blockSize, symmetric,
                int8Format, p);
    }
}
