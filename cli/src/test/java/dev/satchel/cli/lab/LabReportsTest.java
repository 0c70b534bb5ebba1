package dev.satchel.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.reports.Report;
import dev.satchel.reports.ReportFormat;
import dev.satchel.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab run in the report format, without Docker: fixed {@link LabResult} values for the tiny MLP
 * on the lab's three memory classes become a satchel.report/v1 with a lab section. Golden files
 * src/test/resources/golden/lab-report.json and .md; regenerate with
 * {@code -Dsatchel.updateGoldens=true} and review the diff.
 */
class LabReportsTest {
    private static final long MIB = 1024L * 1024;
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final Instant CREATED = Instant.parse("2026-11-26T02:00:00Z");

    @TempDir
    Path dir;

    private static void golden(String name, String actual) throws Exception {
        Path f = GOLDEN.resolve(name);
        if (Boolean.getBoolean("satchel.updateGoldens") || !Files.exists(f)) {
            Files.writeString(f, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(f, StandardCharsets.UTF_8), actual, name + " differs from its golden file");
    }

    private static LabResult ran(String device, long limitMib, CpuQuota q, long estimate, long budgetMib, double rssMib,
            List<Double> runs) {
        return new LabResult(device, limitMib * MIB, q, "mlp", 3044, Map.of("batch", 1L), estimate, budgetMib * MIB,
                "pass", Optional.of(0.3), 0, "installed mlp/mlp-1.bundle", 48 * MIB, 57 * MIB, LabResult.Outcome.RAN,
                Optional.of(new LabResult.Measured(57 * MIB, 60 * MIB + (long) (rssMib * MIB), 60 * MIB, 12.5, runs)),
                Optional.empty());
    }

    private DeviceLab.Model model() throws Exception {
        Path f = dir.resolve("mlp.onnx");
        Files.write(f, TinyModels.mlp().toByteArray());
        return new DeviceLab.Model(f, Map.of("batch", 1L), "mlp.onnx");
    }

    private LabReport lab(long estimate) {
        CpuQuota.Host host = new CpuQuota.Host(2, 2.6e9, java.util.Set.of("avx2", "avx-vnni"));
        CpuQuota q = new CpuQuota(1.54, 2, 64e9, 41.6e9);
        return new LabReport("satchel-lab-base:latest", host, "v1", List.of(
                ran("android-go-1gb", 120, q, estimate, 80, 1.5, List.of(0.21, 0.2, 0.22)),
                ran("android-go-2gb", 300, q, estimate, 200, 1.4, List.of(0.2, 0.2, 0.21)),
                // A run the check predicted to fit that the limit killed: the report must show it.
                new LabResult("raspberry-pi-4", 3200 * MIB, q, "mlp", 3044, Map.of("batch", 1L), estimate, 2500 * MIB,
                        "pass", Optional.of(0.3), 0, "installed mlp/mlp-1.bundle", 48 * MIB, 3200 * MIB,
                        LabResult.Outcome.OOM_KILLED, Optional.empty(), Optional.empty())));
    }

    @Test
    void report_fixedLabResults_matchesGoldenJsonAndMarkdown() throws Exception {
        DeviceLab.Model m = model();
        long estimate = 10 * MIB;
        Report r = LabReports.report(lab(estimate), m, CREATED, "satchel 0.1.0-test");
        golden("lab-report.json", r.json());
        golden("lab-report.md", r.render(ReportFormat.MARKDOWN));
        assertTrue(r.json().contains("\"schema\" : \"satchel.lab/v1\""), r.json());
        assertTrue(r.render(ReportFormat.MARKDOWN).contains(
                "| android-go-1gb | 120.0 MiB | 1.54 | mlp | 10.0 MiB | 80.0 MiB | fits | ran | 57.0 MiB | 1.5 MiB "
                        + "| 0.21 ms | 0.30 ms | 0.70 | yes |"), r.render(ReportFormat.MARKDOWN));
        assertTrue(r.render(ReportFormat.JUNIT).contains("<failure type=\"lab-disagreement\""));
    }

    @Test
    void write_oneModel_allFormatsInTheFolder_labRowsInEach() throws Exception {
        DeviceLab.Model m = model();
        Map<DeviceLab.Model, Path> out = LabReports.write(lab(10 * MIB), List.of(m), CREATED, "satchel 0.1.0-test",
                dir.resolve("out"));
        assertEquals(dir.resolve("out").resolve("report.json"), out.get(m));
        for (ReportFormat f : ReportFormat.values()) {
            String text = Files.readString(dir.resolve("out").resolve(f.fileName()));
            assertTrue(text.contains("raspberry-pi-4"), f.fileName());
        }
        assertTrue(Files.readString(dir.resolve("out/report.html")).contains("data-chart=\"lab-memory\""));
        assertTrue(Files.readString(dir.resolve("out/report.sarif")).contains("\"ruleId\" : \"lab-disagreement\""));
    }

    @Test
    void report_modelNotInTheRun_illegalArgument() throws Exception {
        Path other = dir.resolve("other.onnx");
        Files.write(other, TinyModels.mlp().toByteArray());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LabReports.report(
                lab(MIB), new DeviceLab.Model(other, Map.of()), CREATED, "satchel test"));
    }
}
