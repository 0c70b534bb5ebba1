package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code satchel build} with the two key sources CI systems use besides a key file (issue 7): a
 * PEM held in an environment variable (a CI secret) and a key inside a PKCS#11 token (SoftHSM2
 * here). Each build runs in a child JVM so that it sees the environment the test sets; the bundle
 * it writes verifies with the matching public key, and no private key lands in the outputs.
 */
class BuildSigningIT {
    @TempDir
    Path dir;

    private static final String CONFIG = """
            model: mlp.onnx
            dims:
              batch: 1
            devices:
              - apple-iphone-15-pro
            bundle:
              name: mlp
              version: 1
            outputs: out
            signing:
            """;

    private SoftHsmToken token() throws Exception {
        SoftHsmToken t = SoftHsmToken.create(dir);
        Files.write(dir.resolve("mlp.onnx"), TinyModels.mlp().toByteArray());
        return t;
    }

    private static void assertNoPrivateKeyUnder(Path folder) throws Exception {
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("PRIVATE KEY"), "private key material in " + p);
            }
        }
    }

    @Test
    void build_keyFromEnvironmentVariable_signsAndVerifiesAndKeepsTheKeyOffDisk() throws Exception {
        SoftHsmToken t = token();
        t.ok(SoftHsmToken.satchel("keygen", "--out", "ci").toArray(String[]::new));
        String pem = Files.readString(dir.resolve("ci.key"));
        Files.delete(dir.resolve("ci.key"));
        Files.writeString(dir.resolve("satchel.yaml"), CONFIG + "  key-env: SATCHEL_RELEASE_KEY\n");

        SoftHsmToken.Run missing = t.run(Map.of(), SoftHsmToken.satchel("build", "satchel.yaml"));
        assertEquals(4, missing.exit(), missing.out());
        assertTrue(missing.out().contains("signing.key-env: environment variable SATCHEL_RELEASE_KEY is not set"),
                missing.out());
        assertFalse(Files.exists(dir.resolve("out/mlp-1.satchel")));

        SoftHsmToken.Run built = t.run(Map.of("SATCHEL_RELEASE_KEY", pem), SoftHsmToken.satchel("build", "satchel.yaml"));
        assertEquals(0, built.exit(), built.out());
        assertFalse(built.out().contains("THROWAWAY"), built.out());
        t.ok(SoftHsmToken.satchel("verify", "out/mlp-1.satchel", "--public-key", "ci.pub").toArray(String[]::new));
        assertNoPrivateKeyUnder(dir.resolve("out"));

        SoftHsmToken.Run wrong = t.run(Map.of("SATCHEL_RELEASE_KEY", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
                SoftHsmToken.satchel("build", "satchel.yaml", "--no-cache"));
        assertEquals(4, wrong.exit(), wrong.out());
        assertTrue(wrong.out().contains("environment variable SATCHEL_RELEASE_KEY"), wrong.out());
    }

    @Test
    void build_keyInPkcs11Token_signsAndVerifies() throws Exception {
        SoftHsmToken t = token();
        Files.writeString(dir.resolve("satchel.yaml"), CONFIG
                + "  pkcs11:\n    config: hsm.cfg\n    alias: release\n  pin-file: pin.txt\n");
        SoftHsmToken.Run built = t.run(Map.of(), SoftHsmToken.satchel("build", "satchel.yaml"));
        assertEquals(0, built.exit(), built.out());
        t.ok(SoftHsmToken.satchel("verify", "out/mlp-1.satchel", "--public-key", "release.pub").toArray(String[]::new));
        byte[] first = Files.readAllBytes(dir.resolve("out/mlp-1.satchel"));

        // Nothing changed: the signed bundle is reused, not signed again (HSM ECDSA is randomised).
        SoftHsmToken.Run again = t.run(Map.of(), SoftHsmToken.satchel("build", "satchel.yaml"));
        assertEquals(0, again.exit(), again.out());
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("out/mlp-1.satchel")));

        Files.writeString(dir.resolve("pin.txt"), "000000\n");
        SoftHsmToken.Run wrongPin = t.run(Map.of(), SoftHsmToken.satchel("build", "satchel.yaml", "--no-cache"));
        assertTrue(wrongPin.exit() == 3 || wrongPin.exit() == 4, wrongPin.out());
        assertTrue(wrongPin.out().contains("SoftHSM"), wrongPin.out());
        List<String> lines = wrongPin.out().lines().filter(l -> l.startsWith("satchel:")).toList();
        assertEquals(1, lines.size(), wrongPin.out());
    }
}
