package dev.satchel.devices;

import java.util.Objects;
import java.util.Optional;

/**
 * How much memory a model may use on the device, in MiB (2^20 bytes). Immutable.
 *
 * @param appBudgetMb the ceiling an app normally gets before the OS kills it (jetsam, lmkd, tab
 *     kill), or RAM minus OS on platforms without a per-app cap
 * @param extendedBudgetMb the ceiling with an opt-in, described by {@code extendedCondition}
 * @param extendedCondition what the opt-in is (an entitlement, raised WebGPU limits, headless)
 * @param modelBudgetMb what one ONNX Runtime session (weights, activations, arena) should stay under
 *     so the rest of the app survives; the number a pass/fail memory check uses
 * @param bandwidthGbps peak DRAM bandwidth in GB/s (10^9 bytes per second)
 */
public record MemoryBudget(Optional<Fact<Long>> appBudgetMb, Optional<Fact<Long>> extendedBudgetMb,
        Optional<String> extendedCondition, Optional<Fact<Long>> modelBudgetMb,
        Optional<Fact<Double>> bandwidthGbps) {
    public MemoryBudget {
        Objects.requireNonNull(appBudgetMb, "appBudgetMb");
        Objects.requireNonNull(extendedBudgetMb, "extendedBudgetMb");
        Objects.requireNonNull(extendedCondition, "extendedCondition");
        Objects.requireNonNull(modelBudgetMb, "modelBudgetMb");
        Objects.requireNonNull(bandwidthGbps, "bandwidthGbps");
        if (extendedBudgetMb.isPresent() && extendedCondition.isEmpty()) {
            throw new IllegalArgumentException("an extended budget needs the condition that unlocks it");
        }
        if (modelBudgetMb.isPresent() && appBudgetMb.isPresent()
                && modelBudgetMb.get().value() > appBudgetMb.get().value()) {
            throw new IllegalArgumentException("model budget exceeds the app budget");
        }
    }

    /** No memory facts known (e.g. automotive head units whose OEM policy is unpublished). */
    public static MemoryBudget unknown() {
        return new MemoryBudget(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
