package dev.satchel.devices.check;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The checker's result for one device: verdict, findings and the numbers behind them. Immutable.
 *
 * @param dims the dimension bindings shapes were inferred with for this device (profile defaults,
 *     then {@code --dim}, then {@code --context})
 * @param coverage one entry per evaluated execution-provider table (both CoreML formats, ...)
 * @param preferredExecutionProvider the entry an app would most likely use: most MACs taken,
 *     preferring EPs that are not deprecated; empty when the device has no accelerator EP
 */
public record DeviceReport(String deviceId, String deviceName, String onnxRuntime, Map<String, Long> dims,
        Verdict verdict,
        List<Finding> findings, MemoryEstimate memory, Optional<Long> modelBudgetBytes, long storageBytes,
        List<EpCoverage> coverage, Optional<String> preferredExecutionProvider, Optional<LatencyEstimate> latency) {
    public DeviceReport {
        Objects.requireNonNull(deviceId);
        Objects.requireNonNull(deviceName);
        Objects.requireNonNull(onnxRuntime);
        dims = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(dims));
        Objects.requireNonNull(verdict);
        findings = List.copyOf(findings);
        Objects.requireNonNull(memory);
        Objects.requireNonNull(modelBudgetBytes);
        coverage = List.copyOf(coverage);
        Objects.requireNonNull(preferredExecutionProvider);
        Objects.requireNonNull(latency);
    }

    /** The coverage entry of {@link #preferredExecutionProvider()}. */
    public Optional<EpCoverage> preferredCoverage() {
        return preferredExecutionProvider.flatMap(id -> coverage.stream()
                .filter(c -> c.executionProvider().equals(id)).findFirst());
    }
}
