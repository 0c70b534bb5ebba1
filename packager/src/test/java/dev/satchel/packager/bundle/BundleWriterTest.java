package dev.satchel.packager.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.bundle.BundleFormat;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.VerificationPolicy;
import dev.satchel.verifier.bundle.VerifiedBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriterTest {
    @TempDir
    Path tmp;

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    Path inputs(String dirName, Instant mtime, String perms) throws Exception {
        Path d = tmp.resolve(dirName);
        Files.createDirectories(d.resolve("tok"));
        Files.write(d.resolve("model.onnx"), random(100_000, 1));
        Files.write(d.resolve("tok/vocab.txt"), random(5_000, 2));
        for (Path p : List.of(d.resolve("model.onnx"), d.resolve("tok/vocab.txt"))) {
            Files.setLastModifiedTime(p, FileTime.from(mtime));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
        return d;
    }

    static BundleSpec spec(Path d) {
        return BundleSpec.of("tiny", 3, List.of(BundleInput.of("tok/vocab.txt", d.resolve("tok/vocab.txt")),
                        BundleInput.of("model.onnx", d.resolve("model.onnx"))))
                .withDisplayVersion("1.2.0")
                .withCompatibility(List.of(new BundleSpec.DeviceClaim("rpi-4", false, "too slow"),
                        new BundleSpec.DeviceClaim("pixel-8", true, null)), 1L << 30, List.of("cpu"))
                .withQuantization(Map.of("method", "dynamic-int8", "accuracy", Map.of("top1", 0.91, "delta", -0.004)));
    }

    @Test
    void write_sameInputsDifferentMtimesAndModes_identicalBytes() throws Exception {
        Path a = inputs("a", Instant.parse("2020-01-01T00:00:00Z"), "rw-r--r--");
        Path b = inputs("b", Instant.parse("2026-11-25T12:34:56Z"), "rwx------");
        TestSigner signer = new TestSigner();
        PreparedBundle pa = BundleWriter.prepare(spec(a));
        PreparedBundle pb = BundleWriter.prepare(spec(b));
        assertArrayEquals(pa.manifestBytes(), pb.manifestBytes());
        // ECDSA signatures are randomised, so reproducibility is checked on the signed content and
        // on the whole archive with a fixed signature.
        byte[] sig = signer.sign(pa.signedDigests());
        BundleWriter.write(pa, sig, tmp.resolve("out/a.bundle"));
        BundleWriter.write(pb, sig, tmp.resolve("out/b.bundle"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("out/a.bundle")), Files.readAllBytes(tmp.resolve("out/b.bundle")));
        assertEquals(List.of("a.bundle", "b.bundle"), Files.list(tmp.resolve("out")).map(p -> p.getFileName().toString()).sorted().toList());
    }

    @Test
    void write_verifiesWithDeviceVerifier_payloadsAlignedAndSorted() throws Exception {
        Path d = inputs("a", Instant.now(), "rw-r--r--");
        TestSigner signer = new TestSigner();
        PreparedBundle p = BundleWriter.prepare(spec(d));
        Path out = tmp.resolve("t.bundle");
        BundleWriter.write(p, signer.sign(p.signedDigests()), out);
        VerifiedBundle v = BundleVerifier.create(signer.policy()).verify(out);
        assertEquals(List.of("model.sig", "satchel.json", "model.onnx", "tok/vocab.txt"),
                v.entries().stream().map(VerifiedBundle.Entry::name).toList());
        v.entries().forEach(e -> assertEquals(0, e.offset() % BundleFormat.ALIGNMENT));
        assertEquals("dynamic-int8", v.manifest().quantization().get("method"));
        assertEquals("pixel-8", v.manifest().compatibility().devices().get(0).profile());
        assertEquals(1L << 30, v.manifest().compatibility().minRamBytes());
        assertEquals("model", v.manifest().file("model.onnx").kind());
        assertEquals("data", v.manifest().file("tok/vocab.txt").kind());
    }

    @Test
    void write_standardZipReaderSeesSameEntriesAndBytes() throws Exception {
        Path d = inputs("a", Instant.now(), "rw-r--r--");
        TestSigner signer = new TestSigner();
        PreparedBundle p = BundleWriter.prepare(spec(d));
        Path out = tmp.resolve("z.bundle");
        BundleWriter.write(p, signer.sign(p.signedDigests()), out);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(out.toFile())) {
            List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
            assertEquals(List.of("model.sig", "satchel.json", "model.onnx", "tok/vocab.txt"), names);
            java.util.zip.ZipEntry e = zip.getEntry("model.onnx");
            assertEquals(java.util.zip.ZipEntry.STORED, e.getMethod());
            assertArrayEquals(Files.readAllBytes(d.resolve("model.onnx")), zip.getInputStream(e).readAllBytes());
            assertArrayEquals(p.manifestBytes(), zip.getInputStream(zip.getEntry("satchel.json")).readAllBytes());
        }
    }

    @Test
    void write_unsigned_acceptedOnlyByTestingPolicy() throws Exception {
        Path d = inputs("a", Instant.now(), "rw-r--r--");
        Path out = tmp.resolve("u.bundle");
        BundleWriter.write(BundleWriter.prepare(spec(d)), null, out);
        assertFalse(BundleVerifier.create(VerificationPolicy.allowUnsignedForTesting().build()).verify(out).signatureVerified());
    }

    @Test
    void write_inputChangedAfterPrepare_failsAndLeavesNothing() throws Exception {
        Path d = inputs("a", Instant.now(), "rw-r--r--");
        PreparedBundle p = BundleWriter.prepare(spec(d));
        Files.write(d.resolve("model.onnx"), random(100_000, 99));
        Path outDir = tmp.resolve("out");
        BundleWriteException ex = assertThrows(BundleWriteException.class,
                () -> BundleWriter.write(p, null, outDir.resolve("x.bundle")));
        assertEquals(BundleWriteException.Code.INPUT_CHANGED, ex.code());
        assertEquals(0, Files.list(outDir).count());
    }

    @Test
    void prepare_collidingOrReservedOrSymlinkInputs_invalidInput() throws Exception {
        Path d = inputs("a", Instant.now(), "rw-r--r--");
        Path m = d.resolve("model.onnx");
        assertEquals(BundleWriteException.Code.INVALID_INPUT, assertThrows(BundleWriteException.class,
                () -> BundleWriter.prepare(BundleSpec.of("x", 1, List.of(BundleInput.of("a.onnx", m), BundleInput.of("A.onnx", m))))).code());
        assertTrue(assertThrows(BundleWriteException.class,
                () -> BundleWriter.prepare(BundleSpec.of("x", 1, List.of(BundleInput.of("satchel.json", m))))).getMessage().contains("reserved"));
        assertEquals(BundleWriteException.Code.INVALID_INPUT, assertThrows(BundleWriteException.class,
                () -> BundleWriter.prepare(BundleSpec.of("x", 1, List.of(BundleInput.of("../m.onnx", m))))).code());
        Path link = d.resolve("link.onnx");
        Files.createSymbolicLink(link, m);
        assertTrue(assertThrows(BundleWriteException.class,
                () -> BundleWriter.prepare(BundleSpec.of("x", 1, List.of(BundleInput.of("link.onnx", link))))).getMessage().contains("not a regular file"));
        assertEquals(BundleWriteException.Code.INVALID_MANIFEST, assertThrows(BundleWriteException.class,
                () -> BundleWriter.prepare(BundleSpec.of("Bad Name", 1, List.of(BundleInput.of("m.onnx", m))))).code());
    }
}
