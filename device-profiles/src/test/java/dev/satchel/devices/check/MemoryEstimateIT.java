package dev.satchel.devices.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.model.ModelReader;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.testing.RealModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance: for each real test model, the estimated peak memory is within 25% of what ONNX
 * Runtime actually uses on this machine (peak RSS increase of a fresh JVM across session creation
 * and one run, see {@link OrtPeakRss}), and the steady-state estimate the budget check uses is
 * within 25% of the same over three runs. The measured table is recorded in docs/checker.md.
 */
@EnabledOnOs(OS.LINUX)
class MemoryEstimateIT {
    /** ORT input axis bindings matching RealModels.defaultDims for each model. */
    private static List<String> ortDims(ExampleModel m) {
        switch (m) {
            case MINILM:
            case MINILM_Q:
                return List.of("input_ids:1=128", "attention_mask:1=128", "token_type_ids:1=128");
            case SILERO_VAD:
                return List.of("input:1=512");
            case PPOCR_DET:
                return List.of("x:2=640", "x:3=480");
            default:
                return List.of();
        }
    }

    @ParameterizedTest
    @EnumSource(ExampleModel.class)
    void estimate_realModel_isWithin25PercentOfOrtPeakRss(ExampleModel model) throws Exception {
        Path file = RealModels.path(model);
        Map<String, Long> dims = RealModels.defaultDims(model);
        CheckReport report = new CompatibilityChecker(ExecutionProviderCatalogue.builtIn()).check(
                ModelReader.read(file), List.of(ProfileCatalogue.builtIn().find("raspberry-pi-5").get()),
                new CheckOptions(dims, OptionalLong.empty()));
        MemoryEstimate m = report.devices().get(0).memory();
        // The method: session creation and one inference, against the first-run figure.
        assertWithin25Percent(model, "one run", m.firstRunBytes(), measure(file, ortDims(model), 1));
        // What an app lives with (the budget check's figure): three inferences, memory pattern included.
        assertWithin25Percent(model, "three runs", m.totalBytes(), measure(file, ortDims(model), 3));
    }

    private static void assertWithin25Percent(ExampleModel model, String what, long estimate, long measured) {
        double error = (double) (estimate - measured) / measured;
        System.out.printf(Locale.ROOT, "%s, %s: estimate %.1f MiB, ORT peak RSS increase %.1f MiB, error %+.1f%%%n",
                model.id(), what, estimate / 1048576.0, measured / 1048576.0, error * 100);
        assertTrue(Math.abs(error) <= 0.25, model.id() + ", " + what + ": estimate " + estimate + " vs measured " + measured);
    }

    private static long measure(Path model, List<String> dims, int runs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dsatchel.runs=" + runs, "-cp", System.getProperty("java.class.path"), OrtPeakRss.class.getName(), model.toString()));
        cmd.addAll(dims);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("measurement failed for " + model + ": " + out);
        }
        String[] lines = out.split("\n");
        return Long.parseLong(lines[lines.length - 1].trim());
    }

}
