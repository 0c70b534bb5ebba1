package dev.satchel.cli.lab;

import dev.satchel.verifier.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The results of one lab run: a measured-vs-estimated row per case, as a text table and as
 * {@code satchel.lab/v1} JSON (docs/device-lab.md), the form the report module takes in. Immutable.
 *
 * @param image the base image the containers ran
 * @param host the build machine's CPUs, as the CPU quota rule saw them ({@link CpuQuota})
 * @param cgroup the host's cgroup version ({@code v1} or {@code v2})
 * @param results one per case, in run order
 */
public record LabReport(String image, CpuQuota.Host host, String cgroup, List<LabResult> results) {
    public static final String SCHEMA = "satchel.lab/v1";
    private static final double MIB = 1024.0 * 1024;

    public LabReport {
        Objects.requireNonNull(image);
        Objects.requireNonNull(host);
        Objects.requireNonNull(cgroup);
        results = List.copyOf(results);
    }

    /** CPUs the containers could use at most. */
    public int hostCpus() {
        return host.cpus();
    }

    /** Whether every case agreed with the check's prediction. */
    public boolean allAgree() {
        return results.stream().allMatch(LabResult::agrees);
    }

    /** The JSON form; {@code createdAt} is the only field that differs between identical runs. */
    public String toJson(Instant createdAt) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("createdAt", createdAt.toString());
        root.put("image", image);
        root.put("hostCpus", host.cpus());
        Map<String, Object> hostCpu = new LinkedHashMap<>();
        hostCpu.put("mhz", decimal(host.hz() / 1e6, 1));
        hostCpu.put("features", new ArrayList<>(new java.util.TreeSet<>(host.features())));
        root.put("hostCpu", hostCpu);
        root.put("cgroup", cgroup);
        root.put("allAgree", allAgree());
        List<Object> rows = new ArrayList<>();
        for (LabResult r : results) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("device", r.deviceId());
            o.put("memoryLimitBytes", r.memoryLimitBytes());
            o.put("cpus", decimal(r.cpus(), 2));
            o.put("threads", r.threads());
            Map<String, Object> cpuRule = new LinkedHashMap<>();
            cpuRule.put("deviceGmacPerSecond", decimal(r.quota().deviceMacsPerSecond() / 1e9, 1));
            cpuRule.put("hostGmacPerSecondPerCpu", decimal(r.quota().hostMacsPerSecondPerCpu() / 1e9, 1));
            o.put("cpuRule", cpuRule);
            o.put("model", r.model());
            o.put("modelBytes", r.modelBytes());
            o.put("dims", new TreeMap<>(r.dims()));
            Map<String, Object> est = new LinkedHashMap<>();
            est.put("totalBytes", r.estimateBytes());
            est.put("budgetBytes", r.budgetBytes());
            est.put("fits", r.predictedFit());
            est.put("verdict", r.verdict());
            est.put("latencyMs", r.estimatedLatencyMs().map(v -> (Object) decimal(v, 1)).orElse(null));
            o.put("estimate", est);
            Map<String, Object> upd = new LinkedHashMap<>();
            upd.put("exitCode", r.updateExitCode());
            upd.put("output", r.updateOutput());
            upd.put("cgroupPeakBytes", r.updateCgroupPeakBytes());
            o.put("update", upd);
            o.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
            o.put("cgroupPeakBytes", r.smokeCgroupPeakBytes());
            o.put("measured", r.measured().map(m -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("cgroupPeakBytes", m.cgroupPeakBytes());
                x.put("processPeakRssBytes", m.processPeakRssBytes());
                x.put("baselineRssBytes", m.baselineRssBytes());
                x.put("sessionRssIncreaseBytes", m.sessionRssIncreaseBytes());
                x.put("sessionMs", decimal(m.sessionMs(), 1));
                List<Object> runs = new ArrayList<>();
                m.runMs().forEach(v -> runs.add(decimal(v, 2)));
                x.put("runMs", runs);
                x.put("medianRunMs", decimal(m.medianRunMs(), 2));
                return (Object) x;
            }).orElse(null));
            o.put("latencyRatio", r.latencyRatio().isPresent() ? decimal(r.latencyRatio().getAsDouble(), 2) : null);
            o.put("enforcement", r.enforcement().map(e -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
                x.put("exitCode", e.exitCode());
                x.put("cgroupPeakBytes", e.cgroupPeakBytes());
                return (Object) x;
            }).orElse(null));
            o.put("agrees", r.agrees());
            rows.add(o);
        }
        root.put("results", rows);
        return Json.writePretty(root);
    }

    /** The measured-vs-estimated table (Markdown, so it pastes into docs as is). */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("| device | limit | cpus | model | estimate | budget | predicted | outcome | cgroup peak "
                + "| session RSS Δ | latency (median) | est. latency | measured/est. latency | agrees |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (LabResult r : results) {
            String outcome = r.outcome().name().toLowerCase(Locale.ROOT);
            String peak = r.smokeCgroupPeakBytes() > 0 && r.outcome() != LabResult.Outcome.REFUSED
                    ? mib(r.smokeCgroupPeakBytes()) : "-";
            String rss = "-";
            String lat = "-";
            if (r.measured().isPresent()) {
                LabResult.Measured m = r.measured().get();
                peak = mib(m.cgroupPeakBytes());
                rss = mib(m.sessionRssIncreaseBytes());
                lat = ms(m.medianRunMs());
            }
            if (r.enforcement().isPresent()) {
                LabResult.Run e = r.enforcement().get();
                outcome += "; forced: " + e.outcome().name().toLowerCase(Locale.ROOT) + " (exit " + e.exitCode() + ")";
                peak = mib(e.cgroupPeakBytes()) + " (forced)";
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.deviceId(), mib(r.memoryLimitBytes()), r.cpus(), r.model(), mib(r.estimateBytes()),
                    mib(r.budgetBytes()), r.predictedFit() ? "fits" : "does not fit", outcome, peak, rss, lat,
                    r.estimatedLatencyMs().map(LabReport::ms).orElse("-"),
                    r.latencyRatio().isPresent() ? String.format(Locale.ROOT, "%.2f", r.latencyRatio().getAsDouble()) : "-",
                    r.agrees() ? "yes" : "NO"));
        }
        return b.toString();
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v < 1 ? "%.2f ms" : "%.1f ms", v);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
    }

    private static BigDecimal decimal(double v, int scale) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_EVEN) : null;
    }
}
