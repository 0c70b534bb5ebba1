package dev.satchel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's python3 with python3-onnx as an independent oracle. Tests fail (not skip) when it
 * is missing: .ci/run installs it.
 */
public final class Python {
    public static final String PYTHON = "/usr/bin/python3";

    private Python() {}

    /**
     * Graph facts of a model computed by python3-onnx (nodes and op types over all subgraphs,
     * opsets, parameters by type), as JSON; with {@code check}, also runs onnx.checker on the file.
     */
    public static String onnxFacts(java.nio.file.Path model, boolean check) throws IOException, InterruptedException {
        String script;
        try (java.io.InputStream in = Python.class.getResourceAsStream("onnx_facts.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return check ? run(script, model.toString(), "check") : run(script, model.toString());
    }

    /** Runs {@code script} with {@code args}; returns stdout; throws with stderr on failure. */
    public static String run(String script, String... args) throws IOException, InterruptedException {
        Path f = Files.createTempFile("satchel-oracle", ".py");
        try {
            Files.writeString(f, script);
            List<String> cmd = new ArrayList<>(List.of(PYTHON, f.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("python oracle failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
