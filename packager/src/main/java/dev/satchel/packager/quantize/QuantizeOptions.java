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
 * @param symmetric int4 without zero points (true) or with one zero point per block (false)
 * @param int8Format operator format for int8 MatMul
 * @param precisions per-node precision overrides (node name to precision); automatic mixed
 *     precision fills this in
 * @param signedStaticWeights int8-static weights as symmetric int8 (true) instead of the default
 *     uint8 with a zero point per channel (false): uint8 x uint8 is the MatMul type pair QNN's
 *     HTP takes, and ONNX Runtime's CPU kernels run it too
 */
public record QuantizeOptions(QuantizeMode mode, Set<String> excludeOps, Set<String> excludeNodes, long minWeightElements,
        boolean perChannel, boolean force, int blockSize, boolean symmetric, Int8Format int8Format,
        Map<String, Precision> precisions, boolean signedStaticWeights) {
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
                Int8Format.PER_TENSOR, Map.of(), false);
    }

    public QuantizeOptions withExcludeOps(Set<String> ops) {
        return new QuantizeOptions(mode, ops, excludeNodes, minWeightElements, perChannel, force, blockSize, symmetric,
                int8Format, precisions, signedStaticWeights);
    }

    public QuantizeOptions withExcludeNodes(Set<String> nodes) {
        return new QuantizeOptions(mode, excludeOps, nodes, minWeightElements, perChannel, force, blockSize, symmetric,
                int8Format, precisions, signedStaticWeights);
    }

    public QuantizeOptions withMinWeightElements(long n) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, n, perChannel, force, blockSize, symmetric, int8Format,
                precisions, signedStaticWeights);
    }

    public QuantizeOptions withPerChannel(boolean v) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, v, force, blockSize, symmetric,
                int8Format, precisions, signedStaticWeights);
    }

    /** Quantize a model that already holds quantized operators or weights. */
    public QuantizeOptions withForce(boolean v) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, v, blockSize, symmetric,
                int8Format, precisions, signedStaticWeights);
    }

    public QuantizeOptions withBlockSize(int b) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, force, b, symmetric,
                int8Format, precisions, signedStaticWeights);
    }

    public QuantizeOptions withSymmetric(boolean v) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, force, blockSize, v,
                int8Format, precisions, signedStaticWeights);
    }

    public QuantizeOptions withInt8Format(Int8Format f) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, force, blockSize, symmetric,
                f, precisions, signedStaticWeights);
    }

    /** int8-static with symmetric int8 weights instead of uint8 ones with zero points. */
    public QuantizeOptions withSignedStaticWeights(boolean v) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, force, blockSize, symmetric,
                int8Format, precisions, v);
    }

    public QuantizeOptions withPrecisions(Map<String, Precision> p) {
        return new QuantizeOptions(mode, excludeOps, excludeNodes, minWeightElements, perChannel, force, blockSize, symmetric,
                int8Format, p, signedStaticWeights);
    }
}
