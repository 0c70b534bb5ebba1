package dev.satchel.verifier.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleVerifierTest {
    static final TestKeys KEYS = TestKeys.generate(1);

    @TempDir
    Path tmp;

    @Test
    void verify_canonicalBundle_entriesAlignedWithManifestAndDigests() throws Exception {
        Bundles b = new Bundles(KEYS).version(3).device("pixel-8", true);
        b.payloads.put("tokenizer/vocab.txt", Bundles.bytes(123, 5));
        Path f = tmp.resolve("b.bundle");
        Files.write(f, b.build());
        VerifiedBundle v = BundleVerifier.create(KEYS.policy()).verify(f);
        assertTrue(v.signatureVerified());
        assertEquals(Files.size(f), v.size());
        assertEquals(Arrays.asList("model.sig", "satchel.json", "model.onnx", "tokenizer/vocab.txt"),
                v.entries().stream().map(VerifiedBundle.Entry::name).collect(java.util.stream.Collectors.toList()));
        for (VerifiedBundle.Entry e : v.entries()) {
            assertEquals(0, e.offset() % BundleFormat.ALIGNMENT, e.toString());
        }
        assertEquals(1, v.models().size());
        Manifest m = v.manifest();
        assertEquals("tiny", m.name());
        assertEquals(3, m.version());
        assertEquals("1.0.3", m.displayVersion());
        assertEquals("1.17.0", m.minOnnxRuntime());
        assertEquals("none", m.quantization().get("method"));
        assertEquals(m.file("model.onnx").sha256(), v.entry("model.onnx").sha256());
        assertNull(m.compatibility().excludes(DeviceFacts.ofProfile("pixel-8")));
    }

    @Test
    void verify_fromChannel_noFileToMap() throws Exception {
        byte[] bytes = new Bundles(KEYS).build();
        VerifiedBundle v = BundleVerifier.create(KEYS.policy()).verify(Channels.newChannel(new ByteArrayInputStream(bytes)));
        assertNull(v.file());
        assertThrows(IllegalStateException.class, () -> v.map("model.onnx"));
    }

    @Test
    void verify_unsignedPolicy_acceptsBundleWithoutSignature() throws Exception {
        ZipForge z = new Bundles(KEYS).forge();
        z.recs.remove(0);
        Path f = tmp.resolve("u.bundle");
        Files.write(f, z.build());
        VerifiedBundle v = BundleVerifier.create(VerificationPolicy.allowUnsignedForTesting().build()).verify(f);
        assertFalse(v.signatureVerified());
        VerificationException ex = assertThrows(VerificationException.class,
                () -> BundleVerifier.create(KEYS.policy()).verify(f));
        assertEquals(RejectionCode.SIGNATURE_MISSING, ex.code());
    }

    @Test
    void verify_bundleLargerThanPolicy_tooLargeBeforeReading() throws Exception {
        Path f = tmp.resolve("b.bundle");
        Files.write(f, new Bundles(KEYS).build());
        VerificationPolicy small = VerificationPolicy.builder(KEYS.check()).maxBundleBytes(50_000).build();
        VerificationException ex = assertThrows(VerificationException.class, () -> BundleVerifier.create(small).verify(f));
        assertEquals(RejectionCode.TOO_LARGE, ex.code());
        assertTrue(ex.getMessage().contains("policy allows 50000"), ex.getMessage());
    }

    @Test
    void alignmentExtraLength_alignsEveryHeaderEnd() {
        for (long off = 0; off < 3 * BundleFormat.ALIGNMENT; off += 97) {
            for (int name = 1; name < 256; name += 31) {
                int x = BundleFormat.alignmentExtraLength(off, name);
                assertEquals(0, (off + 30 + name + x) % BundleFormat.ALIGNMENT);
                assertTrue(x == 0 || (x >= 6 && x < 6 + BundleFormat.ALIGNMENT));
            }
        }
    }

    @Test
    void excludes_onnxRuntimeVersionComparedNumerically() throws Exception {
        Manifest m = ManifestParser.parse(dev.satchel.verifier.json.Json.writePretty(new Bundles(KEYS).manifestMap())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), 1 << 20);
        assertNull(m.excludes(DeviceFacts.unknown().withOnnxRuntime("1.17.0")));
        assertNull(m.excludes(DeviceFacts.unknown().withOnnxRuntime("1.24.2")));
        assertNull(m.excludes(DeviceFacts.unknown().withOnnxRuntime("2.0.0-rc1")));
        assertEquals("device ONNX Runtime 1.9.0 is older than the required 1.17.0",
                m.excludes(DeviceFacts.unknown().withOnnxRuntime("1.9.0")));
        assertThrows(IllegalArgumentException.class, () -> DeviceFacts.unknown().withOnnxRuntime("1.x.0"));
    }

    @Test
    void entryNames_collisionKeyFoldsCaseAndNormalisation() {
        assertEquals(EntryNames.collisionKey("Model.ONNX"), EntryNames.collisionKey("model.onnx"));
        assertEquals(EntryNames.collisionKey("caf\u00e9"), EntryNames.collisionKey("cafe\u0301"));
        assertTrue(EntryNames.compare("a/b", "a-b") > 0);
        assertTrue(EntryNames.compare("\uffff", "\ud83d\ude00") < 0);
    }

    @Test
    void entryNames_asciiFastPath_sameKeyAsFullNormalisation() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
            String one = String.valueOf(c);
            assertEquals(fullCollisionKey(one), EntryNames.collisionKey(one), "U+" + Integer.toHexString(c));
        }
        for (String name : Arrays.asList(all.toString(), "Model.ONNX", "weights/LAYER_01.Bin", "I.i")) {
            assertEquals(fullCollisionKey(name), EntryNames.collisionKey(name), name);
        }
        assertEquals(fullCollisionKey("DATA/\u212A.bin"), EntryNames.collisionKey("DATA/\u212A.bin"));
    }

    private static String fullCollisionKey(String name) {
        String k = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKC)
                .toLowerCase(java.util.Locale.ROOT).toUpperCase(java.util.Locale.ROOT).toLowerCase(java.util.Locale.ROOT);
        return java.text.Normalizer.normalize(k, java.text.Normalizer.Form.NFC);
    }
}
