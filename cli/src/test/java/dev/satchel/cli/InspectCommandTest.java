package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    /** Set -Dsatchel.updateGolden=true to rewrite golden files from the current output. */
    static final boolean UPDATE = Boolean.getBoolean("satchel.updateGolden");

    @TempDir
    Path dir;

    static void assertGolden(String name, String actual) throws Exception {
        Path golden = Paths.get("src/test/resources/golden").resolve(name);
        if (UPDATE) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual, "golden file " + golden + " (regenerate with -Dsatchel.updateGolden=true)");
    }

    @Test
    void inspect_json_matchesGolden() throws Exception {
        Path m = dir.resolve("mlp.onnx");
        Files.write(m, TinyModels.mlp().toByteArray());
        CliRunner.Result r = CliRunner.run("inspect", m.toString(), "--format", "json", "--dim", "batch=3");
        assertEquals(0, r.exitCode(), r.err());
        assertGolden("inspect-mlp.json", r.out());
    }

    @Test
    void inspect_text_summarisesModel() throws Exception {
        Path m = dir.resolve("mlp.onnx");
        Files.write(m, TinyModels.mlp().toByteArray());
        CliRunner.Result r = CliRunner.run("inspect", m.toString(), "--dim", "batch=3");
        assertEquals(0, r.exitCode(), r.err());
        assertGolden("inspect-mlp.txt", r.out());
    }

    @Test
    void inspect_badDim_exit2() throws Exception {
        Path m = dir.resolve("mlp.onnx");
        Files.write(m, TinyModels.mlp().toByteArray());
        CliRunner.Result r = CliRunner.run("inspect", m.toString(), "--dim", "batch");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("expected NAME=VALUE"), r.err());
    }

    @Test
    void inspect_unknownExample_exit2ListsKnown() {
        CliRunner.Result r = CliRunner.run("inspect", "example:nope");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("example:minilm"), r.err());
    }

    @Test
    void version_printsVersion() {
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("satchel 0."), r.out());
    }

    @Test
    void unknownOption_exit2WithHint() {
        CliRunner.Result r = CliRunner.run("inspect", "--bogus");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Try 'satchel inspect --help'"), r.err());
    }

    @Test
    void help_inspect_showsExample() {
        CliRunner.Result r = CliRunner.run("inspect", "--help");
        assertEquals(0, r.exitCode());
        assertGoldenNoThrow("help-inspect.txt", r.out());
    }

    private static void assertGoldenNoThrow(String name, String actual) {
        try {
            assertGolden(name, actual);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
