package dev.satchel.signing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external tools for interop tests. A missing tool fails the test loudly: CI installs them. */
final class Tools {
    private Tools() {}

    record Result(int exit, String output) {}

    static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            fail("'" + command[0] + "' is required for this test and was not found (see .ci/run): " + ex.getMessage());
            throw ex;
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Result run(Path dir, String... command) throws Exception {
        return run(dir, Map.of(), command);
    }

    static Result sh(Path dir, String script) throws Exception {
        return run(dir, Map.of(), "bash", "-c", "set -o pipefail; " + script);
    }

    /** Runs and requires exit 0, returning the output. */
    static String ok(Path dir, String... command) throws Exception {
        Result r = run(dir, command);
        if (r.exit() != 0) {
            fail(String.join(" ", command) + " exited " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    static String shOk(Path dir, String script) throws Exception {
        Result r = sh(dir, script);
        if (r.exit() != 0) {
            fail(script + " exited " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }
}
