package dev.satchel.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.testing.RealModels;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonArray;
import dev.satchel.verifier.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 device lab on a real Docker engine (lab/setup.sh starts it and builds the image), driven
 * through Testcontainers: an nginx container serves the TUF repository; device containers of three
 * memory classes (android-go-1gb: 120 MiB, android-go-2gb: 300 MiB, raspberry-pi-4: 3200 MiB) run
 * the update client and an ONNX Runtime smoke inference on what it installed. A model the check
 * says fits runs within the limit; the fp32 MiniLM, which the check says does not fit the
 * 1 GB phone, is refused by the update client (the bundle's claims) and, forced under the same
 * limit, is killed by it. Writes lab.json, lab.md and the build report files of each model
 * (target/device-lab/reports/MODEL/) and checks that they carry the lab rows.
 */
class DeviceLabIT {
    private static final long MIB = 1024L * 1024;

    @Test
    void lab_threeMemoryClasses_outcomesMatchTheCheck() throws Exception {
        TestcontainersEngine engine = new TestcontainersEngine();
        StringBuilder why = new StringBuilder();
        assertTrue(engine.available(why), "the device lab needs Docker: run lab/setup.sh first (" + why + ")");
        assertTrue(engine.hasImage(DeviceLab.DEFAULT_IMAGE), "image " + DeviceLab.DEFAULT_IMAGE + " missing: run lab/setup.sh");

        ProfileCatalogue catalogue = ProfileCatalogue.builtIn();
        DeviceProfile go1 = catalogue.find("android-go-1gb").orElseThrow();
        DeviceProfile go2 = catalogue.find("android-go-2gb").orElseThrow();
        DeviceProfile rpi = catalogue.find("raspberry-pi-4").orElseThrow();
        DeviceLab.Model q = new DeviceLab.Model(RealModels.path(ExampleModel.MINILM_Q), RealModels.defaultDims(ExampleModel.MINILM_Q));
        DeviceLab.Model fp32 = new DeviceLab.Model(RealModels.path(ExampleModel.MINILM), RealModels.defaultDims(ExampleModel.MINILM));
        // PP-OCRv4 det: conv-heavy, its memory grows from the second run on (ORT's memory pattern);
        // the lab caught the one-run estimate saying it fits the 1 GB phone.
        DeviceLab.Model ocr = new DeviceLab.Model(RealModels.path(ExampleModel.PPOCR_DET), RealModels.defaultDims(ExampleModel.PPOCR_DET));
        List<DeviceLab.Case> cases = List.of(new DeviceLab.Case(go1, q), new DeviceLab.Case(go1, fp32),
                new DeviceLab.Case(go2, fp32), new DeviceLab.Case(rpi, fp32), new DeviceLab.Case(go1, ocr));

        Path work = Paths.get("target", "device-lab").toAbsolutePath();
        Path ortJar = DeviceLab.codeSource(OrtEnvironment.class);
        DeviceLab lab = new DeviceLab(engine, new DeviceLab.Options(work, DeviceLab.DEFAULT_IMAGE, ortJar, 3,
                Duration.ofSeconds(150), Math.min(2, Runtime.getRuntime().availableProcessors())),
                line -> System.out.println("lab: " + line));
        LabReport report = lab.run(cases);
        String json = report.toJson(Instant.now());
        Files.writeString(work.resolve("lab.json"), json + "\n");
        Files.writeString(work.resolve("lab.md"), report.toText());
        System.out.println(report.toText());
        Path reports = work.resolve("reports");
        Map<DeviceLab.Model, Path> written = LabReports.write(report, List.of(q, fp32, ocr), Instant.now(),
                "satchel DeviceLabIT", reports);

        List<LabResult> r = report.results();
        assertEquals(5, r.size());
        // Predicted to fit: installed by the update client and ran, inside the container's limit.
        for (LabResult x : List.of(r.get(0), r.get(2), r.get(3))) {
            assertTrue(x.predictedFit(), x.deviceId() + "/" + x.model() + " predicted " + x.estimateBytes());
            assertEquals(LabResult.Outcome.RAN, x.outcome(), x.deviceId() + "/" + x.model() + ": " + x.updateOutput());
            assertEquals(0, x.updateExitCode(), x.updateOutput());
            assertTrue(x.updateOutput().startsWith("installed " + x.model() + "/" + x.model() + "-1.bundle"), x.updateOutput());
            LabResult.Measured m = x.measured().orElseThrow();
            assertTrue(m.cgroupPeakBytes() > 32 * MIB && m.cgroupPeakBytes() <= x.memoryLimitBytes(),
                    "cgroup peak " + m.cgroupPeakBytes() + " of limit " + x.memoryLimitBytes());
            // The session's RSS increase (mapped model pages included) is within a factor 2 of the
            // estimate: the estimate is the right order, which is all a budget check needs.
            double ratio = (double) m.sessionRssIncreaseBytes() / x.estimateBytes();
            assertTrue(ratio > 0.5 && ratio < 2.0, x.deviceId() + "/" + x.model() + " measured/estimate " + ratio);
            assertEquals(3, m.runMs().size());
            assertTrue(x.enforcement().isEmpty());
        }
        // Predicted not to fit: the update client refuses it (the bundle claims android-go-1gb
        // incompatible), and forced under the same 120 MiB limit it does not run.
        for (LabResult no : List.of(r.get(1), r.get(4))) {
            assertEquals("android-go-1gb", no.deviceId());
            assertTrue(!no.predictedFit() && no.estimateBytes() > no.budgetBytes(), no.model() + " " + no.estimateBytes());
            assertEquals("fail", no.verdict());
            assertEquals(LabResult.Outcome.REFUSED, no.outcome(), no.updateOutput());
            assertTrue(no.updateOutput().startsWith("up to date"), no.updateOutput());
            assertTrue(no.measured().isEmpty());
            LabResult.Run forced = no.enforcement().orElseThrow();
            assertTrue(forced.outcome().didNotFit(), no.model() + " forced run: " + forced);
            if (forced.outcome() == LabResult.Outcome.OOM_KILLED) {
                assertEquals(137, forced.exitCode());
            }
        }
        assertTrue(report.allAgree(), report.toText());

        // The JSON carries the same figures (satchel.lab/v1, docs/device-lab.md).
        JsonObject doc = Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(LabReport.SCHEMA, doc.string("schema"));
        assertTrue(doc.bool("allAgree"));
        JsonArray rows = doc.array("results");
        assertEquals(5, rows.size());
        assertEquals("refused", rows.object(1).string("outcome"));
        assertNotNull(rows.object(0).object("measured"));
        assertEquals(120 * MIB, ((Number) rows.object(0).get("memoryLimitBytes")).longValue());

        // The quota follows the profile's CPU facts: the same rule DeviceLab applied, per model.
        CpuQuota.Host host = CpuQuota.Host.detect(Math.min(2, Runtime.getRuntime().availableProcessors()),
                Paths.get("/proc/cpuinfo"));
        assertEquals(CpuQuota.of(go1, true, host).cpus(), r.get(0).cpus());
        assertEquals(CpuQuota.of(rpi, false, host).cpus(), r.get(3).cpus());

        // The build report format (docs/report-schema.md): one report per model, each with its lab rows.
        for (LabResult x : r) {
            DeviceLab.Model m = List.of(q, fp32, ocr).stream().filter(k -> k.name().equals(x.model())).findFirst().orElseThrow();
            Path dir = written.get(m).getParent();
            assertEquals(reports.resolve(m.name()), dir);
            String md = Files.readString(dir.resolve("report.md"));
            String cpus = new java.math.BigDecimal(Double.toString(x.cpus())).stripTrailingZeros().toPlainString();
            assertTrue(md.lines().anyMatch(l -> l.startsWith("| " + x.deviceId() + " | ")
                    && l.contains(" | " + cpus + " | " + x.model() + " | ")
                    && l.contains(" | " + x.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    && l.endsWith(" | yes |")), x.deviceId() + "/" + x.model() + " not in\n" + md);
            JsonObject rj = Json.parseObject(Files.readAllBytes(dir.resolve("report.json")));
            assertEquals("satchel.report/v1", rj.string("schema"));
            assertEquals("satchel.lab/v1", rj.object("lab").string("schema"));
            String html = Files.readString(dir.resolve("report.html"));
            assertTrue(html.contains("<tr><td>" + x.deviceId() + "</td>"), html);
            assertTrue(html.contains("data-chart=\"lab-memory\""));
            String junit = Files.readString(dir.resolve("junit.xml"));
            assertTrue(junit.contains("<testcase classname=\"satchel.lab." + x.deviceId() + "\" name=\"" + x.model() + "\""),
                    junit);
            assertTrue(!junit.contains("lab-disagreement"), junit);
            assertTrue(!Files.readString(dir.resolve("report.sarif")).contains("\"ruleId\" : \"lab-disagreement\""));
        }
        assertEquals(3, Json.parseObject(Files.readAllBytes(written.get(fp32))).object("lab").array("results").size());
    }
}
