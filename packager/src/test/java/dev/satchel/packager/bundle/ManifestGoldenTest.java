package dev.satchel.packager.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact manifest bytes the packager writes for a fixed spec, against a golden file
 * ({@code -Dsatchel.golden.regenerate=true} rewrites it). A change here is a format change:
 * docs/bundle-format.md §5 must say so.
 */
class ManifestGoldenTest {
    static final Path GOLDEN = Paths.get("src/test/resources/golden/satchel.json");

    @TempDir
    Path tmp;

    @Test
    void prepare_fixedSpec_manifestMatchesGolden() throws Exception {
        Files.write(tmp.resolve("model.onnx"), "not really onnx".getBytes(StandardCharsets.US_ASCII));
        Files.write(tmp.resolve("vocab.txt"), "a\nb\n".getBytes(StandardCharsets.US_ASCII));
        BundleSpec spec = BundleSpec.of("tiny-classifier", 42, List.of(BundleInput.of("model.onnx", tmp.resolve("model.onnx")),
                        BundleInput.of("tokenizer/vocab.txt", tmp.resolve("vocab.txt"))))
                .withDisplayVersion("1.4.0-rc1")
                .withMinOnnxRuntime("1.17.0")
                .withCompatibility(List.of(new BundleSpec.DeviceClaim("rpi-4", false, "memory-over-budget: needs 3 GiB"),
                        new BundleSpec.DeviceClaim("pixel-8", true, null)), 2147483648L, List.of("cpu", "nnapi"))
                .withQuantization(Map.of("method", "dynamic-int8", "weights", "int8", "accuracy", Map.of("top1Delta", -0.004)))
                .withTool("satchel 0.1.0");
        String actual = new String(BundleWriter.prepare(spec).manifestBytes(), StandardCharsets.UTF_8);
        if (Boolean.getBoolean("satchel.golden.regenerate")) {
            Files.writeString(GOLDEN, actual);
        }
        assertEquals(Files.readString(GOLDEN), actual);
    }
}
