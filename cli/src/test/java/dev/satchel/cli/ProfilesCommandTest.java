package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesCommandTest {
    @TempDir
    Path dir;

    @Test
    void list_text_listsEveryBuiltInProfile() {
        CliRun r = CliRun.of("profiles", "list");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("ID "), r.out());
        assertTrue(r.out().contains("samsung-galaxy-s24-snapdragon"));
        assertTrue(r.out().contains("qnn-htp"));
        assertTrue(r.out().contains("(estimate)"));
        assertTrue(r.out().contains("37 profiles."), r.out());
    }

    @Test
    void list_jsonWithClassFilter_returnsOnlyThatClass() throws Exception {
        CliRun r = CliRun.of("profiles", "list", "--class", "board", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("satchel.profiles.list/v1", root.get("schema").asText());
        assertTrue(root.get("profiles").size() >= 5);
        root.get("profiles").forEach(p -> assertEquals("board", p.get("class").asText()));
    }

    @Test
    void list_unknownClass_isUsageError() {
        assertEquals(2, CliRun.of("profiles", "list", "--class", "fridge").exit());
    }

    @Test
    void show_text_marksEstimatesAndNamesProviders() {
        CliRun r = CliRun.of("profiles", "show", "samsung-galaxy-s24-snapdragon");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("model budget   1.8 GiB (estimate)"), r.out());
        assertTrue(r.out().contains("via qnn-htp, nnapi"), r.out());
        assertTrue(r.out().contains("hexagon=v75"), r.out());
    }

    @Test
    void show_json_matchesGolden() throws Exception {
        CliRun r = CliRun.of("profiles", "show", "raspberry-pi-5", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        Golden.assertMatches("profiles-show-raspberry-pi-5.json", r.out());
    }

    @Test
    void show_unknownId_isInvalidInput() {
        CliRun r = CliRun.of("profiles", "show", "nokia-3310");
        assertEquals(3, r.exit());
        assertTrue(r.err().contains("no profile 'nokia-3310'"), r.err());
    }

    @Test
    void show_userProfileExtendingBuiltIn_isShown() throws Exception {
        Path f = dir.resolve("our-pixel.yaml");
        Files.writeString(f, "extends: google-pixel-8\nid: our-pixel\nname: Our Pixel\n"
                + "memory:\n  model_budget_mb: {value: 1000, evidence: estimate, basis: our QA}\n");
        CliRun r = CliRun.of("profiles", "show", "our-pixel", "--profile", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("extends google-pixel-8"), r.out());
        assertTrue(r.out().contains("model budget   1000 MiB (estimate)"), r.out());
    }

    @Test
    void validate_validFile_printsOkAndExitsZero() throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, "extends: raspberry-pi-5\nid: pi-lab\nname: Our Pi\n");
        CliRun r = CliRun.of("profiles", "validate", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(f + ": ok (pi-lab, extends raspberry-pi-5)\n", r.out());
    }

    @Test
    void validate_invalidFile_printsOneLinePerProblemAndExitsThree() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, String.join("\n",
                "extends: raspberry-pi-5",
                "id: pi-bad",
                "name: Bad Pi",
                "colour: red",
                "memory:",
                "  model_budget_mb: {value: 100, evidence: vendor}",
                ""));
        CliRun r = CliRun.of("profiles", "validate", f.toString());
        assertEquals(3, r.exit());
        List<String> lines = Arrays.stream(r.err().split("\n")).filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertEquals(List.of(
                f + ":4: unknown-field: unknown field 'colour' in profile; expected one of [accelerators, class, cpu,"
                        + " dims, example_devices, extends, id, limits, memory, name, notes, onnxruntime, os, ram_gb, soc,"
                        + " sources, storage]",
                f + ":6: missing-source: vendor fact needs 'sources' naming where it comes from"), lines);
        assertTrue(r.out().contains("invalid, 2 problems"), r.out());
    }

    @Test
    void validate_json_listsProblemsWithLines() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "id: x\nname: x\nclass: phone\n");
        CliRun r = CliRun.of("profiles", "validate", f.toString(), "--format", "json");
        assertEquals(3, r.exit());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode file = root.get("files").get(0);
        assertEquals(false, file.get("valid").asBoolean());
        assertTrue(file.get("problems").size() >= 3); // accelerators, os, onnxruntime
        assertEquals("missing-field", file.get("problems").get(0).get("code").asText());
        assertEquals(1, file.get("problems").get(0).get("line").asInt());
    }

    @Test
    void validate_missingFile_isInvalidInput() {
        assertEquals(3, CliRun.of("profiles", "validate", dir.resolve("nope.yaml").toString()).exit());
    }

    @Test
    void help_everyProfilesCommand_matchesGolden() throws Exception {
        Golden.assertMatches("help-profiles.txt", CliRun.of("profiles", "--help").out());
        for (String sub : List.of("list", "show", "validate")) {
            Golden.assertMatches("help-profiles-" + sub + ".txt", CliRun.of("profiles", sub, "--help").out());
        }
    }

    @Test
    void help_everyProfilesCommand_showsAnExample() {
        for (String sub : List.of("list", "show", "validate")) {
            CliRun r = CliRun.of("profiles", sub, "--help");
            assertEquals(0, r.exit(), sub);
            assertTrue(r.out().contains("Examples:") && r.out().contains("satchel profiles " + sub), sub + r.out());
        }
    }
}
