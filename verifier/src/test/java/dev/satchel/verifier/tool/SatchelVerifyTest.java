package dev.satchel.verifier.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.bundle.BundleTestSupport;
import dev.satchel.verifier.bundle.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SatchelVerifyTest {
    static final TestKeys KEYS = TestKeys.generate(1);

    @TempDir
    Path tmp;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        out.reset();
        err.reset();
        return SatchelVerify.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void verifyInstallStatus_endToEnd() throws Exception {
        Path trust = tmp.resolve("release.pub");
        Files.write(trust, KEYS.publicKey().canonicalPem().getBytes(StandardCharsets.US_ASCII));
        Path b1 = tmp.resolve("tiny-1.bundle");
        Files.write(b1, BundleTestSupport.bundle(KEYS, "tiny", 1, BundleTestSupport.payload(1)));
        Path store = tmp.resolve("store");

        assertEquals(0, run("verify", b1.toString(), "--trust", trust.toString()), err.toString());
        assertTrue(out.toString().startsWith("OK tiny version 1 (1.0.1)"), out.toString());
        assertEquals(0, run("install", b1.toString(), "--store", store.toString(), "--trust", trust.toString(),
                "--profile", "rpi-4", "--ram", "1000000000", "--ep", "cpu"), err.toString());
        assertEquals(4, run("install", b1.toString(), "--store", store.toString(), "--trust", trust.toString()));
        assertTrue(err.toString().startsWith("satchel-verify: ROLLBACK: "), err.toString());
        assertEquals(0, run("status", "--store", store.toString(), "--trust", trust.toString()));
        assertTrue(out.toString().contains("name=tiny current=1 previous=0 highest=1"), out.toString());
    }

    @Test
    void trialInstall_attemptWithoutConfirm_returnsToLastGood_confirmKeeps() throws Exception {
        Path trust = tmp.resolve("release.pub");
        Files.write(trust, KEYS.publicKey().canonicalPem().getBytes(StandardCharsets.US_ASCII));
        Path[] b = new Path[4];
        for (int v = 1; v <= 3; v++) {
            b[v] = tmp.resolve("tiny-" + v + ".bundle");
            Files.write(b[v], BundleTestSupport.bundle(KEYS, "tiny", v, BundleTestSupport.payload(v)));
        }
        String store = tmp.resolve("store").toString();
        String t = trust.toString();
        assertEquals(0, run("install", b[1].toString(), "--store", store, "--trust", t, "--ort", "1.24.2"), err.toString());
        assertEquals(0, run("install", b[2].toString(), "--store", store, "--trust", t, "--trial", "1"), err.toString());
        assertTrue(out.toString().contains("current=2 previous=1 highest=2 trial=1"), out.toString());
        assertEquals(0, run("attempt", "--store", store, "--trust", t), err.toString());
        assertEquals(tmp.resolve("store").resolve("v2.bundle").toString(), out.toString().trim());
        // The load failed (no confirm): the next attempt loads the last-good version.
        assertEquals(0, run("attempt", "--store", store, "--trust", t), err.toString());
        assertEquals(tmp.resolve("store").resolve("v1.bundle").toString(), out.toString().trim());
        assertEquals(0, run("status", "--store", store, "--trust", t));
        assertTrue(out.toString().contains("current=1 previous=0 highest=2 rejected=2"), out.toString());
        assertEquals(4, run("install", b[2].toString(), "--store", store, "--trust", t));
        assertTrue(err.toString().startsWith("satchel-verify: ROLLBACK: bundle tiny version 2 was abandoned on this device"),
                err.toString());
        assertEquals(0, run("install", b[3].toString(), "--store", store, "--trust", t, "--trial", "2"), err.toString());
        assertEquals(0, run("attempt", "--store", store, "--trust", t), err.toString());
        assertEquals(0, run("confirm", "--store", store, "--trust", t), err.toString());
        assertTrue(out.toString().contains("name=tiny current=3 previous=1 highest=3 rejected=2\n"), out.toString());
        assertEquals(2, run("install", b[3].toString(), "--store", store, "--trust", t, "--trial", "none"));
        assertTrue(err.toString().contains("--trial takes a number of attempts, at least 1: 'none'"), err.toString());
    }

    @Test
    void usageErrors_exit2() {
        assertEquals(2, run());
        assertEquals(2, run("verify", "x.bundle"));
        assertTrue(err.toString().contains("--trust TRUST is required"));
        assertEquals(2, run("frobnicate", "--trust", "t"));
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("Example:"));
    }

    @Test
    void tamperedBundle_exit4WithCode() throws Exception {
        Path trust = tmp.resolve("release.pub");
        Files.write(trust, KEYS.publicKey().canonicalPem().getBytes(StandardCharsets.US_ASCII));
        byte[] b = BundleTestSupport.bundle(KEYS, "tiny", 1, BundleTestSupport.payload(1));
        b[3 * 16384 + 10] ^= 1;
        Path f = tmp.resolve("bad.bundle");
        Files.write(f, b);
        assertEquals(4, run("verify", f.toString(), "--trust", trust.toString()));
        assertTrue(err.toString().startsWith("satchel-verify: DIGEST_MISMATCH: entry 'model.onnx'"), err.toString());
    }

    @Test
    void brokenTrustFile_reportedBeforeTheBundle() throws Exception {
        Path trust = tmp.resolve("broken.pub");
        Files.write(trust, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".getBytes(StandardCharsets.US_ASCII));
        Path good = tmp.resolve("tiny-1.bundle");
        Files.write(good, BundleTestSupport.bundle(KEYS, "tiny", 1, BundleTestSupport.payload(1)));
        Path store = tmp.resolve("store");

        // The trust file is parsed on a helper thread while the bundle is read; its failure still
        // decides the exit code, whether the bundle is good, broken or missing.
        assertEquals(3, run("verify", good.toString(), "--trust", trust.toString()));
        assertTrue(err.toString().startsWith("satchel-verify: trust: "), err.toString());
        assertEquals(3, run("verify", tmp.resolve("missing.bundle").toString(), "--trust", trust.toString()));
        assertTrue(err.toString().startsWith("satchel-verify: trust: "), err.toString());
        assertEquals(3, run("install", good.toString(), "--store", store.toString(), "--trust", trust.toString()));
        assertEquals(3, run("status", "--store", store.toString(), "--trust", trust.toString()));
        assertEquals("", out.toString());
        assertTrue(Files.notExists(store), "a refused install or status must not create the store");
        assertEquals(5, run("verify", good.toString(), "--trust", tmp.resolve("missing.pub").toString()));
        assertTrue(err.toString().contains("missing.pub: no such file"), err.toString());
    }
}
