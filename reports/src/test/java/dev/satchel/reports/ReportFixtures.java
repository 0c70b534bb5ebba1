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
                  {"node": "MatMul_1", "op": "MatMul", "precision": "float", "format": "", "reason": "mean cosine 0.9812 when int8", "float_bytes": 512, "stored_bytes": 512}
                ]},
              "warnings": []
            }
            """;

    private ReportFixtures() {}

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
