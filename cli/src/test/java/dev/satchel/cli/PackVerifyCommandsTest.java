package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code satchel pack} and {@code satchel verify} end to end, through the real signing module. */
class PackVerifyCommandsTest {
    @TempDir
    Path tmp;

    Path modelDir(String name, Instant mtime, String perms, int uid) throws Exception {
        Path d = tmp.resolve(name);
        Files.createDirectories(d.resolve("tokenizer"));
        Files.write(d.resolve("model.onnx"), dev.satchel.testing.TinyModels.mlp().toByteArray());
        Files.write(d.resolve("tokenizer/vocab.txt"), "hello\nworld\n".getBytes());
        for (Path p : new Path[] {d.resolve("model.onnx"), d.resolve("tokenizer/vocab.txt")}) {
            Files.setLastModifiedTime(p, FileTime.from(mtime));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
            try {
                Files.setAttribute(p, "unix:uid", uid);
            } catch (Exception notRootOrNotUnix) {
                // Owner changes need root; mtimes and modes still differ.
            }
        }
        return d;
    }

    Path keygen(String algorithm) {
        Path prefix = tmp.resolve("key-" + algorithm);
        CliRunner.Result r = CliRunner.run("keygen", "--algorithm", algorithm, "--out", prefix.toString());
        assertEquals(0, r.exitCode(), r.err());
        return prefix;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ed25519", "ecdsa-p256"})
    void pack_twiceDifferentMtimesModesOwners_byteIdentical(String algorithm) throws Exception {
        // ECDSA too: key-file signatures use RFC 6979 deterministic nonces.
        Path key = keygen(algorithm);
        Path a = modelDir("a", Instant.parse("2019-05-01T10:00:00Z"), "rw-r--r--", 0);
        Path b = modelDir("b", Instant.parse("2026-11-25T23:59:59Z"), "rwxr-x---", 1234);
        String[] common = {"--name", "tiny", "--version", "3", "--device", "pixel-8=compatible",
            "--device", "rpi-4=incompatible:too slow", "--ep", "cpu", "--key", key + ".key"};
        CliRunner.Result ra = CliRunner.run(concat(new String[] {"pack", a.toString(), "-o", tmp.resolve("a.bundle").toString()}, common));
        assertEquals(0, ra.exitCode(), ra.err());
        CliRunner.Result rb = CliRunner.run(concat(new String[] {"pack", b.toString(), "-o", tmp.resolve("b.bundle").toString()}, common));
        assertEquals(0, rb.exitCode(), rb.err());
        assertTrue(ra.out().startsWith("Packed tiny version 3 (2 files, "), ra.out());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a.bundle")), Files.readAllBytes(tmp.resolve("b.bundle")));
    }

    @Test
    void packAndKeygen_outputWhereNoFileCanBe_exit5NamingTheOutput() throws Exception {
        Path key = keygen("ecdsa-p256");
        Path a = modelDir("a", Instant.now(), "rw-r--r--", 0);
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Path bundle = file.resolve("t.bundle"); // a file where the output's folder should be
        CliRunner.Result r = CliRunner.run("pack", a.resolve("model.onnx").toString(), "--name", "tiny", "--version", "1",
                "--key", key + ".key", "-o", bundle.toString());
        assertEquals(5, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("satchel: cannot write " + bundle + ": " + file + " is in the way"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        CliRunner.Result k = CliRunner.run("keygen", "--out", file.resolve("k").toString());
        assertEquals(5, k.exitCode(), k.err());
        assertTrue(k.err().startsWith("satchel: cannot write " + file.resolve("k.key") + ": "), k.err());
        assertFalse(k.err().contains("no such file"), k.err());
        Path sig = file.resolve("model.sig");
        CliRunner.Result sign = CliRunner.run("sign", a.resolve("model.onnx").toString(), "--key", key + ".key", "-o", sig.toString());
        assertEquals(5, sign.exitCode(), sign.err());
        assertTrue(sign.err().startsWith("satchel: cannot write " + sig + ": "), sign.err());
        assertFalse(sign.err().contains(".tmp"), sign.err());
    }

    @Test
    void verify_packedWithEcdsa_okThenTamperedExit4() throws Exception {
        Path key = keygen("ecdsa-p256");
        Path a = modelDir("a", Instant.now(), "rw-r--r--", 0);
        Path bundle = tmp.resolve("t.bundle");
        CliRunner.Result r = CliRunner.run("pack", a.resolve("model.onnx").toString(), "--name", "tiny", "--version", "1",
                "--key", key + ".key", "-o", bundle.toString());
        assertEquals(0, r.exitCode(), r.err());
        CliRunner.Result v = CliRunner.run("verify", bundle.toString(), "--public-key", key + ".pub");
        assertEquals(0, v.exitCode(), v.err());
        assertTrue(v.out().startsWith("OK "), v.out());
        assertTrue(v.out().contains("model.onnx  offset 49152"), v.out());

        byte[] bytes = Files.readAllBytes(bundle);
        bytes[49152 + 7] ^= 1;
        Files.write(bundle, bytes);
        CliRunner.Result bad = CliRunner.run("verify", bundle.toString(), "--public-key", key + ".pub");
        assertEquals(4, bad.exitCode());
        assertTrue(bad.err().contains("DIGEST_MISMATCH: entry 'model.onnx'"), bad.err());
        assertEquals(1, bad.errLines().length, bad.err());
    }

    @Test
    void pack_checkReport_claimsInManifest() throws Exception {
        Path a = modelDir("a", Instant.now(), "rw-r--r--", 0);
        Path report = tmp.resolve("check.json");
        Files.writeString(report, "{\"schema\": \"satchel.check/v1\", \"devices\": ["
                + "{\"id\": \"pixel-8\", \"verdict\": \"warn\", \"findings\": []},"
                + "{\"id\": \"rpi-4\", \"verdict\": \"fail\", \"findings\": [{\"code\": \"memory-over-budget\","
                + " \"severity\": \"fail\", \"message\": \"needs 3 GiB, budget 1 GiB\"}]}]}");
        Path bundle = tmp.resolve("c.bundle");
        CliRunner.Result r = CliRunner.run("pack", a.toString(), "--name", "tiny", "--version", "2",
                "--check-report", report.toString(), "--unsigned-for-testing", "-o", bundle.toString());
        assertEquals(0, r.exitCode(), r.err());
        dev.satchel.verifier.bundle.VerifiedBundle v = dev.satchel.verifier.bundle.BundleVerifier.create(
                dev.satchel.verifier.bundle.VerificationPolicy.allowUnsignedForTesting().build()).verify(bundle);
        var devices = v.manifest().compatibility().devices();
        assertEquals("pixel-8", devices.get(0).profile());
        assertTrue(devices.get(0).compatible());
        assertEquals("rpi-4", devices.get(1).profile());
        assertFalse(devices.get(1).compatible());
        assertEquals("memory-over-budget: needs 3 GiB, budget 1 GiB", devices.get(1).reason());
        assertEquals("profile 'rpi-4' is claimed incompatible: memory-over-budget: needs 3 GiB, budget 1 GiB",
                v.manifest().compatibility().excludes(dev.satchel.verifier.bundle.DeviceFacts.ofProfile("rpi-4")));
    }

    @Test
    void verify_otherKey_exit4SignatureInvalid() throws Exception {
        Path key = keygen("ecdsa-p256");
        Path other = keygen("ecdsa-p384");
        Path a = modelDir("a", Instant.now(), "rw-r--r--", 0);
        Path bundle = tmp.resolve("t.bundle");
        assertEquals(0, CliRunner.run("pack", a.toString(), "--name", "tiny", "--version", "1", "--key", key + ".key",
                "-o", bundle.toString()).exitCode());
        CliRunner.Result bad = CliRunner.run("verify", bundle.toString(), "--public-key", other + ".pub");
        assertEquals(4, bad.exitCode());
        assertTrue(bad.err().contains("SIGNATURE_INVALID"), bad.err());
    }

    @Test
    void pack_notAnOnnxModel_exit3AndNoOutput() throws Exception {
        Path bad = tmp.resolve("model.onnx");
        byte[] junk = new byte[5000];
        new Random(3).nextBytes(junk);
        Files.write(bad, junk);
        Path out = tmp.resolve("bad.bundle");
        CliRunner.Result r = CliRunner.run("pack", bad.toString(), "--name", "tiny", "--version", "1",
                "--unsigned-for-testing", "-o", out.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("model.onnx"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void pack_badInputs_exit2or3AndNoOutput() throws Exception {
        Path a = modelDir("a", Instant.now(), "rw-r--r--", 0);
        Path out = tmp.resolve("x.bundle");
        CliRunner.Result r = CliRunner.run("pack", a.toString(), "--name", "Bad Name", "--version", "1",
                "--unsigned-for-testing", "-o", out.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("/name"), r.err());
        assertFalse(Files.exists(out));
        CliRunner.Result u = CliRunner.run("pack", a.toString(), "--name", "tiny", "--version", "1", "-o", out.toString());
        assertEquals(2, u.exitCode());
        CliRunner.Result h = CliRunner.run("pack", "--help");
        assertTrue(h.out().contains("Examples:"), h.out() + h.err());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"pack", "verify"})
    void help_matchesGoldenWithExample(String command) throws Exception {
        CliRunner.Result r = CliRunner.run(command, "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("Examples:\n  satchel " + command), r.out());
        Golden.assertMatches("help-" + command + ".txt", r.out());
    }

    @Test
    void errorReporter_bundleExceptions_mappedToExitCodes() {
        var refused = new dev.satchel.verifier.bundle.VerificationException(
                dev.satchel.verifier.bundle.RejectionCode.ROLLBACK, "bundle tiny version 1 is not above 2");
        assertEquals(ExitCode.VERIFICATION_FAILED, ErrorReporter.exitCodeFor(refused));
        assertEquals("ROLLBACK: bundle tiny version 1 is not above 2", ErrorReporter.messageOf(refused));
        assertEquals(ExitCode.INPUT_INVALID, ErrorReporter.exitCodeFor(new dev.satchel.packager.bundle.BundleWriteException(
                dev.satchel.packager.bundle.BundleWriteException.Code.INVALID_INPUT, "x")));
    }

    static String[] concat(String[] a, String[] b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
