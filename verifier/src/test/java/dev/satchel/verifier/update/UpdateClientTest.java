package dev.satchel.verifier.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.bundle.BundleTestSupport;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.DeviceFacts;
import dev.satchel.verifier.bundle.TestKeys;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.store.ModelStore;
import dev.satchel.verifier.update.UpdateException.Code;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack catalogue of issue 8 against the device's TUF client, over HTTP on 127.0.0.1. Each
 * attack asserts its own error code, a message naming the file, and that the store still holds
 * the version it had (nothing installed).
 */
class UpdateClientTest {
    private static final TestKeys RELEASE = TestKeys.generate(8);

    @TempDir
    Path tmp;
    TufFixture repo;
    Path store;
    Path meta;

    @BeforeEach
    void setUp() throws Exception {
        repo = new TufFixture();
        store = tmp.resolve("store");
        meta = tmp.resolve("tuf");
        repo.publishRoot(repo.key("root"));
        repo.addTarget("tiny", 1, BundleTestSupport.bundle(RELEASE, "tiny", 1, BundleTestSupport.payload(1)), null);
        repo.publish();
        UpdateClient.trustRoot(meta, repo.root1());
        assertEquals(1, update().installed().manifest().version());
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private UpdateClient.Builder client() {
        return UpdateClient.builder(repo.url, meta).clock(Clock.fixed(TufFixture.NOW, ZoneOffset.UTC))
                .timeouts(2000, 2000, 10_000);
    }

    private UpdateResult update() throws Exception {
        return update(client().build());
    }

    private UpdateResult update(UpdateClient c) throws Exception {
        try (ModelStore s = ModelStore.open(store, null, BundleVerifier.create(RELEASE.policy()))) {
            return c.update(s);
        }
    }

    private long installedVersion() throws Exception {
        try (ModelStore s = ModelStore.open(store, null, BundleVerifier.create(RELEASE.policy()))) {
            return s.status().current();
        }
    }

    private UpdateException refused(Code code, String messagePart) throws Exception {
        return refused(client().build(), code, messagePart);
    }

    private UpdateException refused(UpdateClient c, Code code, String messagePart) throws Exception {
        long before = installedVersion();
        UpdateException ex = assertThrows(UpdateException.class, () -> update(c));
        assertEquals(code, ex.code(), ex.toString());
        assertTrue(ex.getMessage().contains(messagePart), ex.getMessage());
        assertEquals(before, installedVersion(), "the store must keep its version");
        return ex;
    }

    private void addVersion2() {
        repo.addTarget("tiny", 2, BundleTestSupport.bundle(RELEASE, "tiny", 2, BundleTestSupport.payload(2)), null);
    }

    private byte[] bundle2() {
        return repo.served.get(repo.served.keySet().stream().filter(k -> k.endsWith("tiny-2.bundle")).findFirst().get());
    }

    private String bundle2Path() {
        return repo.served.keySet().stream().filter(k -> k.endsWith("tiny-2.bundle")).findFirst().get();
    }

    @Test
    void update_newBundle_installsNewestThatFitsDevice() throws Exception {
        addVersion2();
        Map<String, Object> notPi = Map.of("devices", List.of(Map.of("profile", "raspberry-pi-4", "compatible", false)));
        repo.addTarget("tiny", 3, BundleTestSupport.bundle(RELEASE, "tiny", 3, BundleTestSupport.payload(3)), notPi);
        repo.publish();
        UpdateResult r = update(client().device(DeviceFacts.ofProfile("raspberry-pi-4")).build());
        assertEquals(2, r.installed().manifest().version());
        assertEquals("tiny/tiny-2.bundle", r.targetPath());
        assertNull(update(client().device(DeviceFacts.ofProfile("raspberry-pi-4")).build()).installed(), "up to date");
        assertEquals(3, update().installed().manifest().version());
        assertTrue(Files.exists(meta.resolve("targets.json")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void update_bundleNeedsNewerOnnxRuntime_notDownloaded() throws Exception {
        addVersion2();
        ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) repo.targets.get("tiny/tiny-2.bundle"))
                .get("custom")).get("satchel")).put("minOnnxRuntime", "1.20.0");
        repo.publish();
        assertNull(update(client().device(DeviceFacts.unknown().withOnnxRuntime("1.19.9")).build()).installed());
        assertFalse(repo.requests.stream().anyMatch(r -> r.contains("tiny-2.bundle")), "nothing downloaded");
        assertEquals(2, update(client().device(DeviceFacts.unknown().withOnnxRuntime("1.22.0")).build())
                .installed().manifest().version());
    }

    @Test
    void update_sameTimestamp_isUpToDateWithoutError() throws Exception {
        UpdateResult r = update();
        assertNull(r.installed());
        assertEquals(1, r.rootVersion());
    }

    @Test
    void rollback_timestamp_refused() throws Exception {
        byte[] old = repo.served.get("repo/metadata/timestamp.json");
        addVersion2();
        repo.publish();
        update();
        repo.served.put("repo/metadata/timestamp.json", old);
        refused(Code.ROLLBACK, "timestamp.json: version 1 is below the trusted version 2");
    }

    @Test
    void rollback_snapshotNamedByNewTimestamp_refused() throws Exception {
        Map<String, Object> oldSnapshot = repo.lastSnapshotMeta;
        addVersion2();
        repo.publish();
        update();
        repo.lastSnapshotMeta = oldSnapshot; // timestamp v3 pins snapshot v1
        repo.publishTimestamp(repo.key("timestamp"));
        refused(Code.ROLLBACK, "names snapshot version 1, below the trusted 2");
    }

    @Test
    void rollback_targetsInNewSnapshot_refused() throws Exception {
        addVersion2();
        repo.publish();
        update();
        repo.targetsVersion = 0; // the next snapshot names targets version 1 < trusted 2
        repo.targets.remove("tiny/tiny-2.bundle");
        repo.served.remove("repo/metadata/1.targets.json");
        repo.publish();
        refused(Code.ROLLBACK, "targets.json version 1, the trusted snapshot has 2");
    }

    @Test
    void rollback_root_oldRootServedAsNext_refused() throws Exception {
        repo.served.put("repo/metadata/2.root.json", repo.root1());
        refused(Code.ROLLBACK, "2.root.json: version expected 2, got 1");
    }

    @Test
    void freeze_expiredTimestamp_refused() throws Exception {
        addVersion2();
        repo.timestampExpires = "2026-05-31T12:00:00Z";
        repo.publish();
        UpdateException ex = refused(Code.EXPIRED, "timestamp.json: expired at 2026-05-31T12:00:00Z");
        assertTrue(ex.getMessage().contains("2026-06-01T12:00:00Z"));
    }

    @Test
    void mixAndMatch_snapshotChangedAfterTimestamp_refused() throws Exception {
        addVersion2();
        repo.publish();
        // A validly signed snapshot of the same version, but not the bytes timestamp pinned.
        Map<String, Object> s = TufFixture.signed("snapshot", 2, "2026-12-31T00:00:00Z");
        s.put("meta", Map.of("targets.json", Map.of("version", 1)));
        repo.served.put("repo/metadata/2.snapshot.json", TufFixture.envelope(s, repo.key("snapshot")));
        refused(Code.METADATA_MISMATCH, "2.snapshot.json:");
    }

    @Test
    void endlessData_oversizedTarget_refused() throws Exception {
        addVersion2();
        repo.publish();
        byte[] b = bundle2();
        repo.served.put(bundle2Path(), Arrays.copyOf(b, b.length + (1 << 20)));
        refused(Code.TOO_LARGE, "target tiny/tiny-2.bundle: server announces");
    }

    @Test
    void endlessData_oversizedTimestamp_refused() throws Exception {
        repo.served.put("repo/metadata/timestamp.json", new byte[64 * 1024]);
        refused(Code.TOO_LARGE, "timestamp.json: server announces 65536 bytes, limit is 16384");
    }

    @Test
    void endlessData_deviceCapBelowSignedLength_refusedBeforeDownload() throws Exception {
        addVersion2();
        repo.publish();
        refused(client().maxBundleBytes(1000).build(), Code.TOO_LARGE, "this device accepts at most 1000");
        assertFalse(repo.requests.stream().anyMatch(r -> r.contains("tiny-2.bundle")));
    }

    @Test
    void arbitraryPackage_targetBytesChanged_refused() throws Exception {
        addVersion2();
        repo.publish();
        byte[] b = bundle2().clone();
        b[b.length / 2] ^= 1;
        repo.served.put(bundle2Path(), b);
        refused(Code.TARGET_MISMATCH, "target tiny/tiny-2.bundle: sha256 expected");
        assertFalse(Files.list(meta.resolve("downloads")).findAny().isPresent(), "bad download deleted");
    }

    @Test
    void untrustedRootRotation_refused() throws Exception {
        KeyPair attacker = TufFixture.ed25519();
        repo.roleKeys.put("root", List.of(attacker));
        repo.publishRoot(attacker);
        refused(Code.UNTRUSTED_ROOT, "2.root.json: signed by 0 of the 1 root key(s) required by root version 1");
    }

    @Test
    void rootRotation_signedByOldAndNew_followed() throws Exception {
        KeyPair old = repo.key("root");
        KeyPair next = TufFixture.ed25519();
        repo.roleKeys.put("root", List.of(next));
        repo.publishRoot(old, next);
        repo.publishRoot(next);
        addVersion2();
        repo.publish();
        UpdateResult r = update();
        assertEquals(3, r.rootVersion());
        assertEquals(2, r.installed().manifest().version());
    }

    @Test
    void rootRotation_notSignedByNewKeys_refused() throws Exception {
        KeyPair old = repo.key("root");
        repo.roleKeys.put("root", List.of(TufFixture.ed25519()));
        repo.publishRoot(old);
        refused(Code.THRESHOLD_NOT_MET, "2.root.json: signed by 0 of the 1 root key(s) required by root version 2");
    }

    @Test
    void thresholdNotMet_targetsSignedByOneOfTwo_refused() throws Exception {
        repo.roleKeys.put("targets", List.of(repo.key("targets"), TufFixture.ed25519()));
        repo.thresholds.put("targets", 2);
        repo.publishRoot(repo.key("root"));
        addVersion2();
        repo.thresholds.put("targets", 1); // the fixture signs with one key only
        repo.publish();
        refused(Code.THRESHOLD_NOT_MET, "targets.json: signed by 1 of the 2 targets key(s)");
    }

    @Test
    void duplicateKeyIds_oneKeySigningTwice_refused() throws Exception {
        KeyPair k = repo.key("targets");
        repo.roleKeys.put("targets", List.of(k, TufFixture.ed25519()));
        repo.thresholds.put("targets", 2);
        repo.publishRoot(repo.key("root"));
        addVersion2();
        repo.roleKeys.put("targets", List.of(k, k)); // the same key twice fills the threshold of 2
        repo.publish();
        refused(Code.DUPLICATE_SIGNATURE, "targets.json: two signatures carry key id " + TufFixture.keyId(k));
    }

    @Test
    void compromisedTimestampKey_fastForward_recoveredByRotation() throws Exception {
        // The attacker holds the timestamp key and fast-forwards the device to timestamp v99.
        long genuine = repo.timestampVersion;
        repo.timestampVersion = 98;
        repo.publishTimestamp(repo.key("timestamp"));
        update();
        // The repository publishes genuine timestamp v2: refused as a rollback while the key is the same.
        repo.timestampVersion = genuine;
        addVersion2();
        repo.publish();
        refused(Code.ROLLBACK, "below the trusted version 99");
        // Rotating the timestamp key (root v2) makes the device forget timestamp v99.
        repo.roleKeys.put("timestamp", List.of(TufFixture.ed25519()));
        repo.publishRoot(repo.key("root"));
        repo.timestampVersion = genuine + 1;
        repo.publishTimestamp(repo.key("timestamp"));
        assertEquals(2, update().installed().manifest().version());
        assertEquals(3, Json.parseObject(Files.readAllBytes(meta.resolve("timestamp.json"))).object("signed")
                .longValue("version", 0, 100));
    }

    @Test
    void slowServer_readTimeout_refused() throws Exception {
        addVersion2();
        repo.publish();
        repo.faultPath = bundle2Path();
        repo.delayMsPerChunk = 1500;
        refused(client().timeouts(1000, 300, 10_000).build(), Code.TIMEOUT, "target tiny/tiny-2.bundle");
    }

    @Test
    void slowServer_tricklingUnderReadTimeout_stoppedByFileBudget() throws Exception {
        addVersion2();
        repo.publish();
        repo.faultPath = bundle2Path();
        repo.delayMsPerChunk = 100; // every read returns in time, the whole file does not
        refused(client().timeouts(1000, 1000, 500).build(), Code.TIMEOUT, "not complete within 500 ms");
    }

    @Test
    void serverGoneMidDownload_storeKeepsOldVersion_thenResumes() throws Exception {
        addVersion2();
        repo.publish();
        repo.faultPath = bundle2Path();
        repo.cutAfterBytes = 16384;
        refused(Code.NETWORK, "target tiny/tiny-2.bundle");
        assertEquals(1, installedVersion());
        repo.faultPath = null;
        assertEquals(2, update().installed().manifest().version());
        assertTrue(repo.requests.stream().anyMatch(r -> r.endsWith("tiny-2.bundle bytes=16384-")), repo.requests.toString());
    }

    @Test
    void versionMismatch_snapshotNotThePinnedVersion_refused() throws Exception {
        addVersion2();
        repo.publish();
        // Validly signed snapshot v7 served under the pinned name, with the timestamp pinning its bytes.
        Map<String, Object> s = TufFixture.signed("snapshot", 7, TufFixture.FUTURE);
        s.put("meta", Map.of("targets.json", Map.of("version", 2)));
        byte[] b = TufFixture.envelope(s, repo.key("snapshot"));
        repo.served.put("repo/metadata/2.snapshot.json", b);
        repo.lastSnapshotMeta = TufFixture.meta(2, b);
        repo.publishTimestamp(repo.key("timestamp"));
        refused(Code.VERSION_MISMATCH, "2.snapshot.json: version 7, expected 2");
    }

    @Test
    void metadataInvalid_otherSpecMajorVersion_refused() throws Exception {
        Map<String, Object> ts = TufFixture.signed("timestamp", 9, TufFixture.FUTURE);
        ts.put("spec_version", "2.0.0");
        ts.put("meta", Map.of("snapshot.json", repo.lastSnapshotMeta));
        repo.served.put("repo/metadata/timestamp.json", TufFixture.envelope(ts, repo.key("timestamp")));
        refused(Code.METADATA_INVALID, "timestamp.json: /signed/spec_version: expected 1.x, got '2.0.0'");
    }

    @Test
    void installRefused_bundleSignedByUntrustedKey_reportsStoreCode() throws Exception {
        repo.addTarget("tiny", 2, BundleTestSupport.bundle(TestKeys.generate(99), "tiny", 2, BundleTestSupport.payload(2)), null);
        repo.publish();
        UpdateException ex = refused(Code.INSTALL_REFUSED, "SIGNATURE_INVALID");
        assertEquals("SIGNATURE_INVALID", ((dev.satchel.verifier.bundle.VerificationException) ex.getCause()).code().name());
        // The refused bytes are remembered: the next cycle does not download them again.
        assertNull(update().installed());
        assertEquals(1, repo.requests.stream().filter(r -> r.contains("tiny-2.bundle")).count(), repo.requests.toString());
    }

    @Test
    void trustRoot_notSelfSigned_refused() throws Exception {
        Map<String, Object> root = repo.rootSigned(1);
        byte[] unsigned = TufFixture.envelope(root);
        UpdateException ex = assertThrows(UpdateException.class, () -> UpdateClient.trustRoot(tmp.resolve("x"), unsigned));
        assertEquals(Code.TRUSTED_ROOT_INVALID, ex.code());
    }

    @Test
    void keyId_notHashOfKey_refused() throws Exception {
        String text = new String(repo.root1(), StandardCharsets.UTF_8);
        String id = TufFixture.keyId(repo.key("targets"));
        // Change the id's first byte whatever it is (a fixed "00" would be a no-op for 1 key in 256).
        String other = (id.startsWith("00") ? "11" : "00") + id.substring(2);
        byte[] forged = text.replace(id, other).getBytes(StandardCharsets.UTF_8);
        UpdateException ex = assertThrows(UpdateException.class, () -> UpdateClient.trustRoot(tmp.resolve("y"), forged));
        assertEquals(Code.TRUSTED_ROOT_INVALID, ex.code());
        assertTrue(ex.getMessage().contains("is not the SHA-256 of the key's canonical JSON"), ex.getMessage());
    }
}
