package dev.satchel.verifier.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.store.ModelStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input catalogue (docs/bundle-format.md §7): one fixture per attack. Each test
 * asserts the rejection code and message, and that installing the fixture over an installed v1
 * leaves the store exactly as it was and writes nothing outside it.
 */
class HostileBundleCatalogueTest {
    static final TestKeys KEYS = TestKeys.generate(1);
    static final TestKeys MALLORY = TestKeys.generate(666);

    static final class Attack {
        final String name;
        final Function<Bundles, byte[]> fixture;
        final RejectionCode code;
        final String message;
        final DeviceFacts device;

        Attack(String name, Function<Bundles, byte[]> fixture, RejectionCode code, String message, DeviceFacts device) {
            this.name = name;
            this.fixture = fixture;
            this.code = code;
            this.message = message;
            this.device = device;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    interface Mutation {
        void apply(Bundles b, ZipForge z);
    }

    static Attack zip(String name, RejectionCode code, String message, Mutation m) {
        return new Attack(name, b -> {
            ZipForge z = b.forge();
            m.apply(b, z);
            return z.build();
        }, code, message, DeviceFacts.unknown());
    }

    static Attack bundle(String name, RejectionCode code, String message, Function<Bundles, byte[]> f) {
        return new Attack(name, f, code, message, DeviceFacts.unknown());
    }

    static final String MODEL = "model.onnx";

    static Stream<Attack> verifierAttacks() {
        List<Attack> a = new ArrayList<>();
        a.add(zip("prepended data", RejectionCode.NOT_A_BUNDLE, "offset 0: expected a local file header",
                (b, z) -> z.prefix = "#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.US_ASCII)));
        a.add(zip("trailing data", RejectionCode.TRAILING_DATA, "data after the end of central directory",
                (b, z) -> z.trailing = new byte[] {1, 2, 3}));
        a.add(zip("archive comment", RejectionCode.NONCANONICAL_HEADER, "archive comment of 5 bytes",
                (b, z) -> z.endComment = "hello".getBytes(StandardCharsets.US_ASCII)));
        a.add(zip("data between last entry and central directory", RejectionCode.DATA_OUTSIDE_ENTRIES,
                "expected a local file header or the central directory",
                (b, z) -> z.rec(MODEL).gapAfter = "junkjunk".getBytes(StandardCharsets.US_ASCII)));
        a.add(zip("compressed entry", RejectionCode.COMPRESSED_ENTRY, "compression method 8",
                (b, z) -> z.rec(MODEL).method = 8));
        a.add(zip("encrypted entry", RejectionCode.UNSUPPORTED_FLAGS, "encrypted",
                (b, z) -> z.rec(MODEL).flags = 0x0801));
        a.add(zip("data descriptor", RejectionCode.UNSUPPORTED_FLAGS, "data descriptor",
                (b, z) -> z.rec(MODEL).flags = 0x0808));
        a.add(zip("names not flagged UTF-8", RejectionCode.UNSUPPORTED_FLAGS, "general-purpose flags 0x0000",
                (b, z) -> z.rec(MODEL).flags = 0));
        a.add(zip("central crc disagrees with local", RejectionCode.HEADER_MISMATCH, "central crc-32",
                (b, z) -> z.rec(MODEL).centralCrc = 0x12345678L));
        a.add(zip("central name disagrees with local (Master Key style)", RejectionCode.HEADER_MISMATCH,
                "central name 'modex.onnx' differs",
                (b, z) -> z.rec(MODEL).centralName = "modex.onnx".getBytes(StandardCharsets.UTF_8)));
        a.add(zip("central size disagrees with local", RejectionCode.HEADER_MISMATCH, "central compressed size 10",
                (b, z) -> z.rec(MODEL).centralSize = 10L));
        a.add(zip("central method disagrees with local", RejectionCode.HEADER_MISMATCH, "central compression method 8",
                (b, z) -> z.rec(MODEL).centralMethod = 8));
        a.add(bundle("duplicate name", RejectionCode.DUPLICATE_NAME, "entry 'model.onnx' (local header at offset", b -> {
            ZipForge z = b.forge();
            z.recs.add(new ZipForge.Rec(MODEL, Bundles.bytes(100, 9)));
            return z.build();
        }));
        a.add(bundle("case-colliding names", RejectionCode.CASE_COLLISION, "collides with 'model.onnx'", b -> {
            ZipForge z = b.forge();
            z.recs.add(new ZipForge.Rec("MODEL.onnx", Bundles.bytes(100, 3)));
            return z.build();
        }));
        a.add(bundle("normalisation-colliding names", RejectionCode.CASE_COLLISION, "collides with", b -> {
            b.payloads.put("caf\u00e9.onnx", Bundles.bytes(100, 3));
            ZipForge z = b.forge();
            z.recs.add(new ZipForge.Rec("cafe\u0301.onnx", Bundles.bytes(100, 4)));
            return z.build();
        }));
        a.add(renamed("absolute path", "/etc/cron.d/evil", RejectionCode.ABSOLUTE_PATH, "is absolute"));
        a.add(renamed("drive letter", "C:/evil.onnx", RejectionCode.ABSOLUTE_PATH, "drive letter"));
        a.add(renamed("dot-dot traversal", "../../evil.onnx", RejectionCode.PATH_TRAVERSAL, "'..' path segment"));
        a.add(renamed("empty segment", "models//evil.onnx", RejectionCode.PATH_TRAVERSAL, "empty path segment"));
        a.add(renamed("backslash", "models\\..\\evil.onnx", RejectionCode.BACKSLASH_IN_NAME, "backslash"));
        a.add(renamed("NUL in name", "model.onnx\u0000.txt", RejectionCode.CONTROL_CHARACTER_IN_NAME, "U+0000"));
        a.add(renamed("escape sequence in name", "model\u001b[2J.onnx", RejectionCode.CONTROL_CHARACTER_IN_NAME, "U+001B"));
        a.add(zip("invalid UTF-8 name", RejectionCode.INVALID_NAME, "is not valid UTF-8",
                (b, z) -> z.rec(MODEL).name = new byte[] {'m', (byte) 0xC0, (byte) 0xAF, 'x'}));
        a.add(zip("symlink entry", RejectionCode.SYMLINK_ENTRY, "is a symbolic link (mode 120777)",
                (b, z) -> z.rec(MODEL).external = 0120777L << 16));
        a.add(zip("character device entry", RejectionCode.SPECIAL_FILE_ENTRY, "is not a regular file (mode 20644)",
                (b, z) -> z.rec(MODEL).external = 020644L << 16));
        a.add(zip("directory attributes", RejectionCode.DIRECTORY_ENTRY, "is a directory (mode 40755)",
                (b, z) -> z.rec(MODEL).external = 040755L << 16));
        a.add(renamed("directory name", "models/", RejectionCode.DIRECTORY_ENTRY, "is a directory"));
        a.add(zip("executable mode bits", RejectionCode.NONCANONICAL_HEADER, "external 0x81ed0000",
                (b, z) -> z.rec(MODEL).external = 0100755L << 16));
        a.add(zip("made by MS-DOS host", RejectionCode.NONCANONICAL_HEADER, "made by host 0",
                (b, z) -> z.rec(MODEL).madeBy = 20));
        a.add(zip("central record points at another entry (overlap)", RejectionCode.OVERLAPPING_ENTRIES,
                "points at local header offset", (b, z) -> z.rec(MODEL).centralOffset = 0L));
        a.add(zip("hidden local entry missing from central directory", RejectionCode.CENTRAL_DIRECTORY_MISMATCH,
                "central directory lists 2 entries, local headers 3", (b, z) -> z.rec(MODEL).omitCentral = true));
        a.add(zip("extra central record without local entry", RejectionCode.CENTRAL_DIRECTORY_MISMATCH,
                "more records than the 3 local entries", (b, z) -> z.extraCentral.add(new ZipForge.Rec("ghost.onnx", new byte[0]))));
        a.add(zip("end record count lies", RejectionCode.CENTRAL_DIRECTORY_MISMATCH, "says 7 entries",
                (b, z) -> z.endCount = 7));
        a.add(zip("end record central offset lies", RejectionCode.CENTRAL_DIRECTORY_MISMATCH, "central directory offset 16",
                (b, z) -> z.endCentralOffset = 16L));
        a.add(zip("end record central size lies", RejectionCode.CENTRAL_DIRECTORY_MISMATCH, "central directory size 1",
                (b, z) -> z.endCentralSize = 1L));
        a.add(zip("compressed size differs from size", RejectionCode.SIZE_MISMATCH, "compressed size 5 differs",
                (b, z) -> z.rec(MODEL).csize = 5L));
        a.add(zip("size lie that swallows the central directory", RejectionCode.SIZE_MISMATCH, "size 40100 bytes",
                (b, z) -> {
                    z.rec(MODEL).usize = 40100L;
                    z.rec(MODEL).csize = 40100L;
                }));
        a.add(bundle("manifest size lie", RejectionCode.SIZE_MISMATCH, "lists 40001", b -> {
            Map<String, Object> m = b.manifestMap();
            fileOf(m).put("size", 40001L);
            return b.forge(m).build();
        }));
        a.add(bundle("truncated", RejectionCode.TRUNCATED, "input ends at offset", b -> {
            byte[] full = b.build();
            return java.util.Arrays.copyOf(full, full.length - 100);
        }));
        a.add(bundle("truncated inside payload", RejectionCode.TRUNCATED, "inside entry 'model.onnx'", b -> {
            byte[] full = b.build();
            return java.util.Arrays.copyOf(full, 3 * BundleFormat.ALIGNMENT + 1000);
        }));
        a.add(zip("ZIP64 size markers", RejectionCode.ZIP64_UNSUPPORTED, "ZIP64",
                (b, z) -> {
                    z.rec(MODEL).csize = 0xFFFFFFFFL;
                    z.rec(MODEL).usize = 0xFFFFFFFFL;
                }));
        a.add(zip("ZIP64 end locator", RejectionCode.ZIP64_UNSUPPORTED, "ZIP64 record",
                (b, z) -> z.beforeEnd = new byte[] {0x50, 0x4b, 0x06, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}));
        a.add(zip("multi-disk archive", RejectionCode.MULTI_DISK, "disk numbers 1/1", (b, z) -> z.endDisk = 1));
        a.add(zip("payload not aligned", RejectionCode.MISALIGNED_ENTRY, "is not a multiple of 16384",
                (b, z) -> z.rec(MODEL).localExtra = new byte[0]));
        a.add(zip("padding in a foreign extra field", RejectionCode.NONCANONICAL_HEADER, "is not the canonical",
                (b, z) -> {
                    ZipForge.Rec r = z.rec(MODEL);
                    z.build(); // lays out the records so the entry's header offset is known
                    byte[] real = ZipForge.alignment(r.headerOffset, r.name.length);
                    real[0] = 0x55;
                    r.localExtra = real;
                }));
        a.add(zip("timestamp from the build host", RejectionCode.NONCANONICAL_HEADER, "timestamp",
                (b, z) -> z.rec(MODEL).time = 0x6000));
        a.add(zip("version needed 2.0", RejectionCode.NONCANONICAL_HEADER, "version needed 20",
                (b, z) -> z.rec(MODEL).version = 20));
        a.add(zip("central extra field", RejectionCode.NONCANONICAL_HEADER, "central extra field 4 bytes",
                (b, z) -> z.rec(MODEL).centralExtra = new byte[] {0x34, 0x12, 0, 0}));
        a.add(bundle("unlisted file (signed)", RejectionCode.UNLISTED_FILE, "entry 'zextra.so'", b -> {
            Map<String, Object> m = b.manifestMap();
            b.payloads.put("zextra.so", Bundles.bytes(10, 1));
            ZipForge z = b.forge(m);
            return z.build();
        }));
        a.add(bundle("missing file (signed)", RejectionCode.MISSING_FILE, "'tokenizer.json' is listed", b -> {
            b.payloads.put("tokenizer.json", Bundles.bytes(10, 1));
            Map<String, Object> m = b.manifestMap();
            b.payloads.remove("tokenizer.json");
            return b.forge(m).build();
        }));
        a.add(zip("payload tampered, crc fixed up", RejectionCode.DIGEST_MISMATCH, "sha256 expected", (b, z) -> {
            z.rec(MODEL).data[100] ^= 1;
        }));
        a.add(zip("payload tampered, crc stale", RejectionCode.DIGEST_MISMATCH, "sha256 expected", (b, z) -> {
            z.rec(MODEL).crc = ZipForge.crc(z.rec(MODEL).data);
            z.rec(MODEL).data[100] ^= 1;
        }));
        a.add(zip("crc lie on intact data", RejectionCode.CRC_MISMATCH, "crc-32 expected 00c0ffee",
                (b, z) -> z.rec(MODEL).crc = 0xC0FFEEL));
        a.add(bundle("manifest tampered after signing", RejectionCode.SIGNATURE_INVALID, "signed sha256", b -> {
            ZipForge z = b.forge();
            Map<String, Object> m = b.manifestMap();
            m.put("displayVersion", "9.9.9");
            z.rec(BundleFormat.MANIFEST_ENTRY).data = dev.satchel.verifier.json.Json.writePretty(m)
                    .getBytes(StandardCharsets.UTF_8);
            return z.build();
        }));
        a.add(bundle("signed by an untrusted key", RejectionCode.SIGNATURE_INVALID, "UNTRUSTED_KEY", b -> {
            Bundles evil = new Bundles(MALLORY).version(2);
            return evil.build();
        }));
        a.add(bundle("signature over a subset of entries", RejectionCode.SIGNATURE_INVALID, "not signed: [model.onnx]", b -> {
            ZipForge z = b.forge();
            Map<String, byte[]> d = new java.util.LinkedHashMap<>();
            d.put(BundleFormat.MANIFEST_ENTRY, Bundles.sha256(z.rec(BundleFormat.MANIFEST_ENTRY).data));
            z.rec(BundleFormat.SIGNATURE_ENTRY).data = KEYS.sign(d);
            return z.build();
        }));
        a.add(bundle("signature entry garbage", RejectionCode.SIGNATURE_INVALID, "MALFORMED", b -> {
            ZipForge z = b.forge();
            z.rec(BundleFormat.SIGNATURE_ENTRY).data = "{\"mediaType\": 1}".getBytes(StandardCharsets.UTF_8);
            return z.build();
        }));
        a.add(bundle("no signature", RejectionCode.SIGNATURE_MISSING, "a signed bundle starts with model.sig", b -> {
            ZipForge z = b.forge();
            z.recs.remove(0);
            return z.build();
        }));
        a.add(bundle("payloads out of order", RejectionCode.ENTRY_ORDER, "payloads are sorted by UTF-8 bytes", b -> {
            b.payloads.put("a.onnx", Bundles.bytes(10, 2));
            ZipForge z = b.forge();
            ZipForge.Rec first = z.recs.remove(2);
            z.recs.add(first);
            return z.build();
        }));
        a.add(bundle("manifest after payload", RejectionCode.MANIFEST_MISSING, "payload before any satchel.json", b -> {
            ZipForge z = b.forge();
            ZipForge.Rec m = z.recs.remove(1);
            z.recs.add(m);
            return z.build();
        }));
        a.add(bundle("more entries than the policy allows", RejectionCode.TOO_MANY_ENTRIES, "policy allows 64", b -> {
            for (int i = 0; i < 63; i++) {
                b.payloads.put(String.format("data/%03d.bin", i), new byte[] {(byte) i});
            }
            return b.build();
        }));
        a.add(bundle("oversized manifest", RejectionCode.TOO_LARGE, "policy allows 1048576", b -> {
            Map<String, Object> m = b.manifestMap();
            Map<String, Object> q = new java.util.LinkedHashMap<>();
            q.put("method", "none");
            q.put("padding", new String(new char[1100000]).replace('\0', 'x'));
            m.put("quantization", q);
            return b.forge(m).build();
        }));
        a.add(bundle("manifest not JSON", RejectionCode.MANIFEST_INVALID, "satchel.json: line 1", b -> {
            ZipForge z = b.forge();
            z.rec(BundleFormat.MANIFEST_ENTRY).data = "{\"format\": satchel}".getBytes(StandardCharsets.UTF_8);
            b.resign(z);
            return z.build();
        }));
        a.add(bundle("manifest duplicate key", RejectionCode.MANIFEST_INVALID, "duplicate", b -> {
            ZipForge z = b.forge();
            String json = new String(z.rec(BundleFormat.MANIFEST_ENTRY).data, StandardCharsets.UTF_8);
            json = json.replaceFirst("\\{", "{\"version\": 99,");
            z.rec(BundleFormat.MANIFEST_ENTRY).data = json.getBytes(StandardCharsets.UTF_8);
            b.resign(z);
            return z.build();
        }));
        a.add(bundle("manifest unknown member", RejectionCode.MANIFEST_INVALID, "/postInstall: unknown member", b -> {
            Map<String, Object> m = b.manifestMap();
            m.put("postInstall", "rm -rf /");
            return b.forge(m).build();
        }));
        a.add(bundle("manifest version not an integer", RejectionCode.MANIFEST_INVALID, "/version: expected an integer", b -> {
            Map<String, Object> m = b.manifestMap();
            m.put("version", new java.math.BigDecimal("2.5"));
            return b.forge(m).build();
        }));
        return a.stream();
    }

    static Attack renamed(String name, String entryName, RejectionCode code, String message) {
        return zip(name, code, message, (b, z) -> z.rec(MODEL).name = entryName.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> fileOf(Map<String, Object> manifest) {
        return (Map<String, Object>) ((List<Object>) manifest.get("files")).get(0);
    }

    static Stream<Attack> storeAttacks() {
        List<Attack> a = new ArrayList<>();
        a.add(bundle("rollback to the installed version", RejectionCode.ROLLBACK,
                "version 1 is not above the highest installed version 1", b -> b.version(1).build()));
        a.add(bundle("wrong model for this store", RejectionCode.WRONG_MODEL, "bundle is model 'other'",
                b -> b.name("other").build()));
        a.add(new Attack("compatibility claims exclude this device", b -> b.device("pixel-8", false).build(),
                RejectionCode.DEVICE_EXCLUDED, "profile 'pixel-8' is claimed incompatible", DeviceFacts.ofProfile("pixel-8")));
        a.add(new Attack("device RAM below the claim", b -> {
            b.minRamBytes = 4L << 30;
            return b.build();
        }, RejectionCode.DEVICE_EXCLUDED, "below the required 4294967296", DeviceFacts.of(2L << 30, Bundles.list("cpu"))));
        a.add(new Attack("device has none of the execution providers", b -> {
            b.eps = Bundles.list("qnn", "coreml");
            return b.build();
        }, RejectionCode.DEVICE_EXCLUDED, "include none of the required [qnn, coreml]",
                DeviceFacts.of(8L << 30, Bundles.list("cpu", "xnnpack"))));
        a.add(new Attack("device ONNX Runtime older than required", b -> b.build(), RejectionCode.DEVICE_EXCLUDED,
                "device ONNX Runtime 1.16.3 is older than the required 1.17.0",
                DeviceFacts.ofProfile("pixel-8").withOnnxRuntime("1.16.3")));
        return a.stream();
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("verifierAttacks")
    void verify_hostileBundle_rejectedWithCodeAndMessage(Attack attack) throws Exception {
        byte[] fixture = attack.fixture.apply(new Bundles(KEYS).version(2));
        Path file = tmp.resolve("hostile.bundle");
        Files.write(file, fixture);
        BundleVerifier verifier = BundleVerifier.create(KEYS.policy());
        VerificationException ex = assertThrows(VerificationException.class, () -> verifier.verify(file));
        assertEquals(attack.code, ex.code(), ex.getMessage());
        assertTrue(ex.getMessage().contains(attack.message), "message: " + ex.getMessage());
        assertStoreUnchanged(attack, file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storeAttacks")
    void install_refusedBundle_rejectedWithCodeAndMessage(Attack attack) throws Exception {
        byte[] fixture = attack.fixture.apply(new Bundles(KEYS).version(2));
        Path file = tmp.resolve("refused.bundle");
        Files.write(file, fixture);
        BundleVerifier.create(KEYS.policy()).verify(file); // valid as a bundle: only the store refuses it
        assertStoreUnchanged(attack, file);
    }

    private void assertStoreUnchanged(Attack attack, Path file) throws IOException, VerificationException {
        Path storeDir = tmp.resolve("store");
        BundleVerifier verifier = BundleVerifier.create(KEYS.policy());
        Path v1 = tmp.resolve("v1.bundle");
        Files.write(v1, new Bundles(KEYS).version(1).build());
        try (ModelStore store = ModelStore.open(storeDir, "tiny", verifier)) {
            store.install(v1, DeviceFacts.unknown());
        }
        Map<String, String> before = snapshot(tmp);
        try (ModelStore store = ModelStore.open(storeDir, "tiny", verifier)) {
            VerificationException ex = assertThrows(VerificationException.class, () -> store.install(file, attack.device));
            assertEquals(attack.code, ex.code(), ex.getMessage());
            assertTrue(ex.getMessage().contains(attack.message), "message: " + ex.getMessage());
            assertEquals(1, store.status().current());
            assertEquals(1, store.current().manifest().version());
        }
        assertEquals(before, snapshot(tmp), "files under the test directory changed");
        try (ModelStore store = ModelStore.open(storeDir, "tiny", verifier)) {
            assertNotNull(store.current());
            assertEquals(1, store.status().current());
        }
    }

    /** Every regular file under root with its SHA-256 (the lock file excluded: it is empty and stays). */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    out.put(rel + "/", "dir");
                } else {
                    out.put(rel, BundleVerifier.hex(sha(Files.readAllBytes(p))));
                }
            }
        }
        return out;
    }

    static byte[] sha(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @BeforeAll
    static void catalogueIsLargeEnough() {
        assertTrue(verifierAttacks().count() + storeAttacks().count() >= 30);
    }
}
