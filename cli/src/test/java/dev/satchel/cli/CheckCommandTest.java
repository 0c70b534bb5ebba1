package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satchel.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    Path dir;

    private Path mlp;

    @BeforeEach
    void writeModel() throws Exception {
        mlp = dir.resolve("mlp.onnx");
        Files.write(mlp, TinyModels.mlp().toByteArray());
    }

    @Test
    void check_fp32ModelOnSnapdragonPhone_warnsThatHtpTakesNoMacsAndExitsZero() {
        CliRun r = CliRun.of("check", mlp.toString(), "--device", "samsung-galaxy-s24-snapdragon", "--dim", "batch=1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("DEVICE"), r.out());
        assertTrue(r.out().contains("qnn-htp 0%"), r.out());
        assertTrue(r.out().contains("warn accelerator-unused: qnn-htp"), r.out());
        assertTrue(r.out().contains("fix: quantize to QDQ"), r.out());
    }

    @Test
    void check_strict_warningDeviceExitsOne() {
        CliRun r = CliRun.of("check", mlp.toString(), "--device", "samsung-galaxy-s24-snapdragon", "--dim", "batch=1",
                "--strict");
        assertEquals(1, r.exit(), r.out());
    }

    @Test
    void check_overBudget_failsWithExitOne() throws Exception {
        Path p = dir.resolve("tiny-phone.yaml");
        Files.writeString(p, "extends: android-go-1gb\nid: tiny-phone\nname: Tiny phone\n"
                + "memory:\n  model_budget_mb: {value: 1, evidence: estimate, basis: test}\n");
        CliRun r = CliRun.of("check", mlp.toString(), "--profile", p.toString(), "--device", "tiny-phone",
                "--dim", "batch=1");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("fail memory-over-budget: estimated peak"), r.out());
        assertTrue(r.out().contains("model budget 1.0 MiB (estimate)"), r.out());
    }

    @Test
    void check_json_matchesGolden() throws Exception {
        CliRun r = CliRun.of("check", mlp.toString(), "--device", "samsung-galaxy-s24-snapdragon",
                "--device", "apple-iphone-15-pro", "--dim", "batch=1", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("satchel.check/v1", root.get("schema").asText());
        assertEquals(2, root.get("devices").size());
        Golden.assertMatches("check-mlp.json", r.out());
    }

    @Test
    void check_allDevices_coversTheCatalogue() throws Exception {
        CliRun r = CliRun.of("check", mlp.toString(), "--all", "--dim", "batch=1", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(37, new ObjectMapper().readTree(r.out()).get("devices").size());
    }

    @Test
    void check_unknownDevice_isInvalidInput() {
        CliRun r = CliRun.of("check", mlp.toString(), "--device", "nokia-3310");
        assertEquals(3, r.exit());
        assertTrue(r.err().contains("no profile 'nokia-3310'"), r.err());
    }

    @Test
    void check_noDevice_isUsageError() {
        assertEquals(2, CliRun.of("check", mlp.toString()).exit());
    }

    @Test
    void check_notAModel_isInvalidInput() throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "this is not a model");
        assertEquals(3, CliRun.of("check", junk.toString(), "--device", "raspberry-pi-5").exit());
    }

    @Test
    void check_invalidProfile_printsProblemLinesAndExitsThree() throws Exception {
        Path p = dir.resolve("bad.yaml");
        Files.writeString(p, "extends: raspberry-pi-5\nid: bad\nname: Bad\nram_gb: {value: 8, evidence: vendor}\n");
        CliRun r = CliRun.of("check", mlp.toString(), "--profile", p.toString(), "--device", "bad");
        assertEquals(3, r.exit());
        assertTrue(r.err().contains(p + ":4: missing-source:"), r.err());
    }

    @Test
    void check_help_matchesGolden() throws Exception {
        Golden.assertMatches("help-check.txt", CliRun.of("check", "--help").out());
    }

    @Test
    void check_help_showsExamplesAndExitCodes() {
        CliRun r = CliRun.of("check", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("Examples:") && r.out().contains("satchel check model.onnx --device"), r.out());
        assertTrue(r.out().contains("--context"), r.out());
    }
}
