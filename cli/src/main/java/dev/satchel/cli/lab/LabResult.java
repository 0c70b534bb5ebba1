package dev.satchel.cli.lab;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one lab case (a model on a device container) predicted and what happened. Immutable.
 *
 * @param deviceId profile id
 * @param memoryLimitBytes the container's hard memory limit (the profile's app budget)
 * @param quota the container's CPU quota and the smoke run's ONNX Runtime intra-op threads
 * @param model bundle name of the model
 * @param modelBytes size of the model file
 * @param dims dimension bindings used by the check and the smoke run
 * @param estimateBytes {@code satchel check}'s memory estimate for the session
 * @param budgetBytes the profile's model budget the estimate is compared with
 * @param verdict the check's overall verdict for the device ({@code pass|warn|fail})
 * @param estimatedLatencyMs the check's latency estimate for the real device, if any
 * @param updateExitCode exit code of {@code satchel-verify update} in the device container
 * @param updateOutput its output (one or two lines)
 * @param updateCgroupPeakBytes the update container's cgroup peak memory (JVM plus the page cache
 *     of the downloaded bundle), or -1 when unknown
 * @param smokeCgroupPeakBytes the smoke container's cgroup peak whatever the outcome (for a
 *     killed run: how far it got), or -1 when unknown
 * @param outcome what happened on the device after the update
 * @param measured figures of the smoke run on the installed model ({@link Outcome#RAN})
 * @param enforcement when the update client refused the model: the same smoke run forced on the
 *     bundle file under the same limits, to show what the refusal prevented
 */
public record LabResult(String deviceId, long memoryLimitBytes, CpuQuota quota, String model, long modelBytes,
        Map<String, Long> dims, long estimateBytes, long budgetBytes, String verdict, Optional<Double> estimatedLatencyMs,
        int updateExitCode, String updateOutput, long updateCgroupPeakBytes, long smokeCgroupPeakBytes, Outcome outcome, Optional<Measured> measured,
        Optional<Run> enforcement) {

    /** What a device did with the model. */
    public enum Outcome {
        /** Installed and the smoke inference completed. */
        RAN,
        /** The update client did not install it (device claims exclude the device, or install refused). */
        REFUSED,
        /** The kernel's OOM killer ended the process at the memory limit (exit 137, oom_kill counted). */
        OOM_KILLED,
        /** The process sat at the memory limit, thrashing, until the lab's deadline killed it. */
        STALLED_AT_LIMIT,
        /** Anything else (crash, update error); the output says what. */
        FAILED;

        /** Whether the model did not fit in the limit (killed or stalled). */
        public boolean didNotFit() {
            return this == OOM_KILLED || this == STALLED_AT_LIMIT;
        }
    }

    /**
     * Figures of one smoke run.
     *
     * @param cgroupPeakBytes the container cgroup's peak memory ({@code memory.peak} on cgroup v2,
     *     {@code memory.max_usage_in_bytes} on v1): JVM, ONNX Runtime and page cache charged to it
     * @param processPeakRssBytes the JVM's peak RSS ({@code VmHWM})
     * @param baselineRssBytes its RSS after loading ONNX Runtime, before the session
     * @param sessionMs session creation time
     * @param runMs every timed run's latency (after one warm-up run)
     */
    public record Measured(long cgroupPeakBytes, long processPeakRssBytes, long baselineRssBytes, double sessionMs,
            List<Double> runMs) {
        public Measured {
            runMs = List.copyOf(runMs);
        }

        /** Peak RSS increase across session creation and runs: what the estimate predicts. */
        public long sessionRssIncreaseBytes() {
            return processPeakRssBytes - baselineRssBytes;
        }

        public double medianRunMs() {
            List<Double> s = runMs.stream().sorted().toList();
            return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
        }
    }

    /** One forced run: its outcome, exit code and the cgroup's peak memory. */
    public record Run(Outcome outcome, int exitCode, long cgroupPeakBytes) {
        public Run {
            Objects.requireNonNull(outcome);
        }
    }

    public LabResult {
        Objects.requireNonNull(deviceId);
        Objects.requireNonNull(quota);
        Objects.requireNonNull(model);
        dims = Map.copyOf(dims);
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(estimatedLatencyMs);
        Objects.requireNonNull(updateOutput);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(measured);
        Objects.requireNonNull(enforcement);
    }

    /** The container's CPU quota, in host CPUs. */
    public double cpus() {
        return quota.cpus();
    }

    /** ONNX Runtime intra-op threads of the smoke run. */
    public int threads() {
        return quota.threads();
    }

    /**
     * Measured median latency over the check's latency estimate, when both exist: 1 when the
     * container, given the device's nominal CPU throughput ({@link CpuQuota}), ran the model as
     * fast as the checker predicts for the device. Informational: it measures the checker's
     * efficiency constant on this host's CPU, not the device.
     */
    public java.util.OptionalDouble latencyRatio() {
        // Below 0.1 ms the estimate rounds to 0 in the JSON and timer and JNI overheads dominate.
        if (measured.isEmpty() || estimatedLatencyMs.isEmpty() || estimatedLatencyMs.get() < 0.1
                || !Double.isFinite(measured.get().medianRunMs())) {
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of(measured.get().medianRunMs() / estimatedLatencyMs.get());
    }

    /** Whether the check predicted the model fits: estimate at or under the model budget. */
    public boolean predictedFit() {
        return estimateBytes <= budgetBytes;
    }

    /**
     * Whether reality agreed with the prediction: a model predicted to fit ran; one predicted not
     * to fit was refused by the update client and, forced, did not fit in the limit either.
     */
    public boolean agrees() {
        if (predictedFit()) {
            return outcome == Outcome.RAN;
        }
        return outcome == Outcome.REFUSED && enforcement.map(r -> r.outcome().didNotFit()).orElse(false)
                || outcome.didNotFit();
    }
}
