package dev.satchel.verifier.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.bundle.BundleTestSupport;
import dev.satchel.verifier.bundle.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on its own ({@code java -jar}, nothing else on the class path) verifies and
 * installs a signed bundle: the verifier really needs only the JDK at run time, and the jar's
 * Main-Class is the satchel-verify tool.
 */
class VerifierJarIT {
    @TempDir
    Path tmp;

    @Test
    void javaJar_aloneVerifiesAndInstallsSignedBundle() throws Exception {
        Path jar;
        try (Stream<Path> s = Files.list(Paths.get("target"))) {
            jar = s.filter(p -> p.getFileName().toString().matches("satchel-verifier-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no verifier jar in target/"));
        }
        assertTrue(Files.size(jar) <= 153_600, "jar is " + Files.size(jar) + " bytes");
        TestKeys keys = TestKeys.generate(1);
        Path trust = tmp.resolve("release.pub");
        Files.write(trust, keys.publicKey().canonicalPem().getBytes(StandardCharsets.US_ASCII));
        Path bundle = tmp.resolve("tiny-1.bundle");
        Files.write(bundle, BundleTestSupport.bundle(keys, "tiny", 1, BundleTestSupport.payload(1)));
        Path copy = tmp.resolve("satchel-verifier.jar");
        Files.copy(jar, copy);

        Result v = run(copy, "verify", bundle.toString(), "--trust", trust.toString());
        assertEquals(0, v.code, v.out);
        assertTrue(v.out.startsWith("OK tiny version 1"), v.out);
        Result i = run(copy, "install", bundle.toString(), "--store", tmp.resolve("store").toString(), "--trust", trust.toString());
        assertEquals(0, i.code, i.out);
        Result again = run(copy, "install", bundle.toString(), "--store", tmp.resolve("store").toString(), "--trust", trust.toString());
        assertEquals(4, again.code, again.out);
        assertTrue(again.out.contains("ROLLBACK"), again.out);
    }

    private static final class Result {
        final int code;
        final String out;

        Result(int code, String out) {
            this.code = code;
            this.out = out;
        }
    }

    private static Result run(Path jar, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx32m");
        cmd.add("-jar");
        cmd.add(jar.toString());
        for (String a : args) {
            cmd.add(a);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
