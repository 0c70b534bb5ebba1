package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabCommandTest {
    @Test
    void lab_dockerNotAvailable_oneLineAndExit5() {
        CliRunner.Result r = CliRunner.run("lab", "model.onnx", "--device", "android-go-1gb",
                "--docker", "/nonexistent/docker");
        assertEquals(5, r.exitCode(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().startsWith("satchel: Docker is not available (cannot run '/nonexistent/docker'"), r.err());
        assertTrue(r.err().contains("lab/setup.sh"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void lab_noDevice_usageError() {
        CliRunner.Result r = CliRunner.run("lab", "model.onnx");
        assertEquals(2, r.exitCode(), r.err());
    }

    @Test
    void lab_help_showsExampleMatchesGoldenAndFits80Columns() throws Exception {
        CliRunner.Result r = CliRunner.run("lab", "--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("satchel lab example:minilm-q"), r.out());
        for (String line : r.out().split("\n")) {
            assertTrue(line.length() <= 80, line);
        }
        Golden.assertMatches("help-lab.txt", r.out());
    }
}
