package dev.satchel.reports;

import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.check.CheckOptions;
import dev.satchel.devices.check.CheckReport;
import dev.satchel.devices.check.CompatibilityChecker;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** The fixed model and device list behind the golden reports. */
final class ReportFixtures {
    static final List<String> DEVICES = List.of("samsung-galaxy-s24-snapdragon", "apple-iphone-15-pro",
            "android-go-1gb", "browser-wasm-only");

    /** Shaped like QuantizeReport.toJson (satchel.quantize.report/v1) for the tiny MLP. */
    static final String QUANTIZATION = """
            {
              "schema": "satchel.quantize.report/v1",
              "mode": "int8",
              "source_bytes": 12000,
              "output_bytes": 3044,
              "layers_quantized": 1,
              "layers_float": 1,
              "decisions": [
                {"node": "MatMul_0", "op": "MatMul", "precision": "int8", "format": "DynamicQuantizeMatMul", "reason": "weight 16x32", "float_bytes": 2048, "stored_bytes": 520},
                {"node": "MatMul_1", "op": "MatMul", "precision": "float", "format": "", "reason": "kept by the accuracy gate", "float_bytes": 512, "stored_bytes": 512}
              ],
              "quality": [
                {"output": "y", "mean_cosine": 0.998731, "min_cosine": 0.991020, "sqnr_db": 31.250000, "max_abs_error": 0.012500, "top1_agreement": 1.000000}
              ],
              "gate": {"min_cosine": 0.995000, "passed": true, "kept_bytes": 512, "kept": [
                  {"node": "MatMul_1", "op": "MatMul", "precision": "float", "format": "", "reason": "mean cosine 0.9812 when int8", "float_bytes": 512, "stored_bytes": 512, "cosine_gain": 0.012100}
                ]},
              "warnings": []
            }
            """;

    /**
     * Shaped like LabReport.toJson (satchel.lab/v1, docs/device-lab.md) for the tiny MLP: two runs
     * that agree, one predicted to fit but OOM-killed, and one predicted not to fit that ran when
     * forced (a pessimistic estimate). Figures are made up; the shape is the lab's.
     */
    static final String LAB = """
            {
              "schema" : "satchel.lab/v1",
              "createdAt" : "2026-11-26T02:00:00Z",
              "image" : "satchel-lab-base:latest",
              "hostCpus" : 2,
              "hostCpu" : {"mhz" : 2596.1, "features" : ["avx-vnni", "avx2"]},
              "cgroup" : "v1",
              "allAgree" : false,
              "results" : [ %s, %s, %s, %s ]
            }
            """.formatted(
            labRow("android-go-1gb", 120, "1.54", 2, 1, 80, true, "pass", "0.1", "ran", 58_720_256L,
                    "{\"cgroupPeakBytes\" : 58720256, \"processPeakRssBytes\" : 61865984, \"baselineRssBytes\" : 60817408,"
                            + " \"sessionRssIncreaseBytes\" : 1048576, \"sessionMs\" : 12.5, \"runMs\" : [0.05, 0.04, 0.05],"
                            + " \"medianRunMs\" : 0.05}", null, "0.5", true),
            labRow("apple-iphone-15-pro", 3000, "2", 2, 1, 2000, true, "pass", "0.1", "ran", 57_671_680L,
                    "{\"cgroupPeakBytes\" : 57671680, \"processPeakRssBytes\" : 61865984, \"baselineRssBytes\" : 60817408,"
                            + " \"sessionRssIncreaseBytes\" : 1048576, \"sessionMs\" : 11.9, \"runMs\" : [0.04, 0.04, 0.05],"
                            + " \"medianRunMs\" : 0.04}", null, "0.4", true),
            labRow("samsung-galaxy-s24-snapdragon", 64, "2", 2, 1, 40, true, "warn", null, "oom_killed", 67_108_864L,
                    "null", null, null, false),
            labRow("browser-wasm-only", 100, "0.25", 2, 90, 80, false, "fail", "0.3", "refused", 41_943_040L,
                    "null", "{\"outcome\" : \"ran\", \"exitCode\" : 0, \"cgroupPeakBytes\" : 73400320}", null, false));

    private static String labRow(String device, long limitMib, String cpus, int threads, long estimateMib, long budgetMib,
            boolean fits, String verdict, String latencyMs, String outcome, long peak, String measured, String enforcement,
            String ratio, boolean agrees) {
        long mib = 1024L * 1024;
        return "{\"device\" : \"" + device + "\", \"memoryLimitBytes\" : " + limitMib * mib + ", \"cpus\" : " + cpus
                + ", \"threads\" : " + threads + ", \"cpuRule\" : {\"deviceGmacPerSecond\" : 64, \"hostGmacPerSecondPerCpu\" : 41.5},"
                + " \"model\" : \"mlp\", \"modelBytes\" : 3044, \"dims\" : {\"batch\" : 1},"
                + " \"estimate\" : {\"totalBytes\" : " + estimateMib * mib + ", \"budgetBytes\" : " + budgetMib * mib
                + ", \"fits\" : " + fits + ", \"verdict\" : \"" + verdict + "\", \"latencyMs\" : " + latencyMs + "},"
                + " \"update\" : {\"exitCode\" : 0, \"output\" : \"" + (outcome.equals("refused") ? "up to date"
                        : "installed mlp/mlp-1.bundle") + "\", \"cgroupPeakBytes\" : 48234496},"
                + " \"outcome\" : \"" + outcome + "\", \"cgroupPeakBytes\" : " + peak + ", \"measured\" : " + measured
                + ", \"latencyRatio\" : " + ratio + ", \"enforcement\" : " + enforcement + ", \"agrees\" : " + agrees + "}";
    }

    private ReportFixtures() {}

    /** The quantized report's inputs with the lab section. */
    static ReportInputs labInputs(Path dir) throws Exception {
        return inputs(dir, true).withLab(LAB);
    }

    static Path writeModel(Path dir) throws Exception {
        Path f = dir.resolve("mlp.onnx");
        Files.write(f, TinyModels.mlp().toByteArray());
        return f;
    }

    static CheckReport check(OnnxModel m) throws Exception {
        ProfileCatalogue cat = ProfileCatalogue.builtIn();
        List<DeviceProfile> targets = DEVICES.stream().map(id -> cat.find(id).orElseThrow()).toList();
        return new CompatibilityChecker(ExecutionProviderCatalogue.builtIn()).check(m, targets,
                new CheckOptions(Map.of("batch", 1L), OptionalLong.empty()));
    }

    static ReportInputs inputs(Path dir, boolean quantized) throws Exception {
        Path f = writeModel(dir);
        OnnxModel m = ModelReader.read(f);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        List<DeviceRequirement> reqs = List.of(
                new DeviceRequirement("samsung-galaxy-s24-snapdragon", true, true, OptionalDouble.of(0.5)),
                new DeviceRequirement("android-go-1gb", false, true, OptionalDouble.empty()));
        return new ReportInputs("mlp.onnx", sha, m.facts(), quantized ? 12_000 : Files.size(f), check(m),
                quantized ? Optional.of(QUANTIZATION) : Optional.empty(), reqs,
                Optional.of(new BundleInfo("mlp", "1.0.0", "mlp-1.0.0.satchel", Optional.of(sha))),
                "satchel 0.1.0-test", Optional.empty());
    }

    static Report report(Path dir) throws Exception {
        return Report.build(inputs(dir, true));
    }
}
