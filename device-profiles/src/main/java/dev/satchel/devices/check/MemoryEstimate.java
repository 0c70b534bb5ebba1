package dev.satchel.devices.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The estimated peak memory of one ONNX Runtime session running the model repeatedly, in bytes.
 * Always an estimate: {@code firstRun = weights × 1.5 + activationPeak × 2 + 10 MiB + 256 KiB per
 * subgraph}, and {@code total = firstRun + activationPeak × 1.35}, the memory pattern ORT allocates
 * from the second run on (docs/checker.md, "memory"). Budgets are checked against {@code total}.
 *
 * @param weightsBytes initializers and Constant tensors at their stored dtype
 * @param activationPeakBytes the largest sum of live intermediate tensors over the topologically
 *     ordered graph (graph inputs and outputs included)
 * @param peakAtNode the node at which that peak is reached
 * @param kvCacheBytes of the activation peak, the past/present key-value tensors (decoders)
 * @param unknownValues values whose shape is unknown and so counted as zero
 * @param largestTensorBytes the biggest single tensor (weight or activation)
 * @param largestTensor its name
 * @param topContributors the biggest weights and live activations at the peak, largest first
 * @param firstRunBytes the peak of session creation plus the first run alone
 */
public record MemoryEstimate(long weightsBytes, long activationPeakBytes, Optional<String> peakAtNode,
        long kvCacheBytes, long runtimeOverheadBytes, long totalBytes, int unknownValues, long largestTensorBytes,
        String largestTensor, List<Contributor> topContributors, long firstRunBytes) {
    /** One tensor and what it is ({@code weight}, {@code activation}, {@code input}, {@code kv-cache}). */
    public record Contributor(String name, String kind, long bytes) {
        public Contributor {
            Objects.requireNonNull(name);
            Objects.requireNonNull(kind);
        }
    }

    public MemoryEstimate {
        Objects.requireNonNull(peakAtNode);
        Objects.requireNonNull(largestTensor);
        topContributors = List.copyOf(topContributors);
    }
}
