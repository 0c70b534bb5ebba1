package dev.satchel.verifier.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.bundle.BundleFormat;
import dev.satchel.verifier.bundle.BundleTestSupport;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.DeviceFacts;
import dev.satchel.verifier.bundle.RejectionCode;
import dev.satchel.verifier.bundle.TestKeys;
import dev.satchel.verifier.bundle.VerificationException;
import dev.satchel.verifier.bundle.VerifiedBundle;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    static final TestKeys KEYS = TestKeys.generate(1);
    final BundleVerifier verifier = BundleVerifier.create(KEYS.policy());

    @TempDir
    Path tmp;

    Path bundle(long version) throws Exception {
        Path p = tmp.resolve("in-" + version + ".bundle");
        Files.write(p, BundleTestSupport.bundle(KEYS, "tiny", version, BundleTestSupport.payload(version)));
        return p;
    }

    @Test
    void install_upgrade_keepsPreviousAsLastGoodAndDeletesOlder() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            assertNull(s.current());
            s.install(bundle(1), DeviceFacts.unknown());
            s.install(bundle(2), DeviceFacts.unknown());
            VerifiedBundle b = s.install(bundle(5), DeviceFacts.unknown());
            assertEquals(5, b.manifest().version());
            assertEquals(dir.resolve("v5.bundle"), b.file());
            assertEquals("name=tiny current=5 previous=2 highest=5", s.status().toString());
        }
        assertTrue(Files.exists(dir.resolve("v2.bundle")));
        assertFalse(Files.exists(dir.resolve("v1.bundle")));
        assertEquals(0, Files.list(dir.resolve(ModelStore.STAGING)).count());
    }

    @Test
    void install_mapsModelAlignedAndIdenticalToPayload() throws Exception {
        try (ModelStore s = ModelStore.open(tmp.resolve("store"), "tiny", verifier)) {
            VerifiedBundle b = s.install(bundle(3), DeviceFacts.unknown());
            VerifiedBundle.Entry e = b.models().get(0);
            assertEquals(0, e.offset() % BundleFormat.ALIGNMENT);
            ByteBuffer mapped = b.map(e.name());
            byte[] got = new byte[mapped.remaining()];
            mapped.get(got);
            assertArrayEquals(BundleTestSupport.payload(3), got);
        }
    }

    @Test
    void install_fromStream_sameAsFromFile() throws Exception {
        byte[] bytes = Files.readAllBytes(bundle(4));
        try (ModelStore s = ModelStore.open(tmp.resolve("store"), "tiny", verifier)) {
            VerifiedBundle b = s.install(Channels.newChannel(new ByteArrayInputStream(bytes)), DeviceFacts.unknown());
            assertEquals(4, b.manifest().version());
            assertArrayEquals(bytes, Files.readAllBytes(b.file()));
        }
    }

    @Test
    void installByMove_consumesFileOnSuccessAndOnRefusal() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            Path download = bundle(2);
            byte[] bytes = Files.readAllBytes(download);
            VerifiedBundle b = s.installByMove(download, DeviceFacts.unknown());
            assertFalse(Files.exists(download));
            assertEquals(dir.resolve("v2.bundle"), b.file());
            assertArrayEquals(bytes, Files.readAllBytes(b.file()));
            Path old = bundle(1);
            VerificationException ex = assertThrows(VerificationException.class, () -> s.installByMove(old, DeviceFacts.unknown()));
            assertEquals(RejectionCode.ROLLBACK, ex.code());
            assertFalse(Files.exists(old));
            assertEquals(2, s.status().current());
            assertEquals(0, Files.list(dir.resolve(ModelStore.STAGING)).count());
        }
    }

    @Test
    void open_committedBundleCorrupted_fallsBackToLastGood() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            s.install(bundle(1), DeviceFacts.unknown());
            s.install(bundle(2), DeviceFacts.unknown());
        }
        flipByte(dir.resolve("v2.bundle"), 3 * BundleFormat.ALIGNMENT + 10);
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            assertEquals(1, s.current().manifest().version());
            assertEquals(1, s.status().current());
            assertEquals(2, s.status().highest());
            assertTrue(s.status().fallbackReason().contains("DIGEST_MISMATCH"), s.status().fallbackReason());
            // Repair: the highest version may come back, an older one may not.
            assertEquals(2, s.install(bundle(2), DeviceFacts.unknown()).manifest().version());
        }
    }

    @Test
    void open_committedAndLastGoodCorrupted_storeCorrupt() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            s.install(bundle(1), DeviceFacts.unknown());
            s.install(bundle(2), DeviceFacts.unknown());
        }
        flipByte(dir.resolve("v1.bundle"), 3 * BundleFormat.ALIGNMENT + 10);
        flipByte(dir.resolve("v2.bundle"), 3 * BundleFormat.ALIGNMENT + 10);
        VerificationException ex = assertThrows(VerificationException.class, () -> ModelStore.open(dir, "tiny", verifier));
        assertEquals(RejectionCode.STORE_CORRUPT, ex.code());
        assertTrue(ex.getMessage().contains("neither v2"), ex.getMessage());
        ModelStore.reset(dir);
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            assertNull(s.current());
        }
    }

    @Test
    void open_damagedRecord_storeCorrupt() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            s.install(bundle(1), DeviceFacts.unknown());
        }
        String rec = new String(Files.readAllBytes(dir.resolve(ModelStore.STATE)), StandardCharsets.US_ASCII);
        Files.write(dir.resolve(ModelStore.STATE), rec.replace("highest 1", "highest 0").getBytes(StandardCharsets.US_ASCII));
        VerificationException ex = assertThrows(VerificationException.class, () -> ModelStore.open(dir, "tiny", verifier));
        assertEquals(RejectionCode.STORE_CORRUPT, ex.code());
        assertTrue(ex.getMessage().contains("checksum mismatch"), ex.getMessage());
    }

    @Test
    void revertToPrevious_thenAbandonedVersionRefusedNewerAccepted() throws Exception {
        try (ModelStore s = ModelStore.open(tmp.resolve("store"), "tiny", verifier)) {
            s.install(bundle(1), DeviceFacts.unknown());
            s.install(bundle(2), DeviceFacts.unknown());
            assertEquals(1, s.revertToPrevious().manifest().version());
            assertEquals("name=tiny current=1 previous=0 highest=2 rejected=2", s.status().toString());
            VerificationException ex = assertThrows(VerificationException.class,
                    () -> s.install(bundle(1), DeviceFacts.unknown()));
            assertEquals(RejectionCode.ROLLBACK, ex.code());
            // The abandoned version itself is refused too (it is the highest, but not a repair).
            VerificationException again = assertThrows(VerificationException.class,
                    () -> s.install(bundle(2), DeviceFacts.unknown()));
            assertEquals(RejectionCode.ROLLBACK, again.code());
            assertTrue(again.getMessage().contains("version 2 was abandoned on this device (reverted)"), again.getMessage());
            assertEquals(3, s.install(bundle(3), DeviceFacts.unknown()).manifest().version());
        }
    }

    /** v1 installed confirmed, then v2 on trial with {@code attempts} loads to confirm it. */
    private void installV1ThenV2OnTrial(ModelStore s, int attempts) throws Exception {
        s.install(bundle(1), DeviceFacts.unknown());
        s.trialAttempts(attempts);
        s.install(bundle(2), DeviceFacts.unknown());
    }

    @Test
    void trial_attemptsUsedUpWithoutConfirm_revertsOnTheNextAttempt_andTheVersionIsRefusedAfterwards() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            installV1ThenV2OnTrial(s, 2);
            assertEquals("name=tiny current=2 previous=1 highest=2 trial=2", s.status().toString());
        }
        // Two app starts that load v2 and crash before confirming it; the count is durable.
        for (int left = 1; left >= 0; left--) {
            try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
                assertEquals(2, s.attempt().manifest().version());
                assertEquals(left, s.status().trialAttemptsLeft());
            }
        }
        // Opening alone (a status tool) does not count; the third attempt returns to v1.
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            assertEquals(1, s.current().manifest().version(), "no attempts left: open already returned to v1");
            assertEquals(1, s.attempt().manifest().version());
            assertEquals(2, s.status().rejected());
            assertEquals("v2 was not confirmed within its trial attempts", s.status().fallbackReason());
            assertEquals(-1, s.status().trialAttemptsLeft());
            assertFalse(Files.exists(dir.resolve("v2.bundle")), "abandoned bundle deleted");
            VerificationException ex = assertThrows(VerificationException.class, () -> s.install(bundle(2), DeviceFacts.unknown()));
            assertEquals(RejectionCode.ROLLBACK, ex.code());
            assertTrue(ex.getMessage().contains("version 2 was abandoned on this device"), ex.getMessage());
            assertEquals(3, s.install(bundle(3), DeviceFacts.unknown()).manifest().version());
        }
        // The rejection is remembered, so the record stays in format 2.
        String rec = new String(Files.readAllBytes(dir.resolve(ModelStore.STATE)), StandardCharsets.US_ASCII);
        assertTrue(rec.startsWith("satchel-store 2\n") && rec.contains("\nrejected 2\n"), rec);
    }

    @Test
    void trial_lastAttemptInTheSameRun_revertsThere() throws Exception {
        try (ModelStore s = ModelStore.open(tmp.resolve("store"), "tiny", verifier)) {
            installV1ThenV2OnTrial(s, 1);
            assertEquals(2, s.attempt().manifest().version());
            assertEquals(1, s.attempt().manifest().version(), "second load without confirm: back to v1");
            assertEquals("name=tiny current=1 previous=0 highest=2 rejected=2 fallback=v2 was not confirmed within its trial attempts",
                    s.status().toString());
        }
    }

    @Test
    void trial_confirmed_staysForGood_andTheRecordIsReadableByOlderVerifiers() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            installV1ThenV2OnTrial(s, 1);
        }
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            assertEquals(2, s.attempt().manifest().version());
            assertEquals(0, s.status().trialAttemptsLeft());
            s.confirm();
            assertEquals("name=tiny current=2 previous=1 highest=2", s.status().toString());
        }
        for (int i = 0; i < 3; i++) {
            try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
                assertEquals(2, s.attempt().manifest().version());
                assertNull(s.status().fallbackReason());
            }
        }
        // Confirmed and nothing rejected: format 1, as before trials existed.
        String rec = new String(Files.readAllBytes(dir.resolve(ModelStore.STATE)), StandardCharsets.US_ASCII);
        assertTrue(rec.startsWith("satchel-store 1\n"), rec);
    }

    @Test
    void trial_firstInstall_hasNothingToReturnTo_soItIsNotOnTrial() throws Exception {
        try (ModelStore s = ModelStore.open(tmp.resolve("store"), "tiny", verifier)) {
            s.trialAttempts(1);
            s.install(bundle(1), DeviceFacts.unknown());
            assertEquals(-1, s.status().trialAttemptsLeft());
            for (int i = 0; i < 3; i++) {
                assertEquals(1, s.attempt().manifest().version());
            }
            assertThrows(IllegalArgumentException.class, () -> s.trialAttempts(-1));
        }
    }

    @Test
    void trial_usedUp_lastGoodBroken_storeCorruptNamingBoth() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            installV1ThenV2OnTrial(s, 1);
            s.attempt();
        }
        flipByte(dir.resolve("v1.bundle"), 3 * BundleFormat.ALIGNMENT + 10);
        VerificationException ex = assertThrows(VerificationException.class, () -> ModelStore.open(dir, "tiny", verifier));
        assertEquals(RejectionCode.STORE_CORRUPT, ex.code());
        assertTrue(ex.getMessage().contains("v2 was not confirmed within its trial attempts and last-good v1 fails verification"),
                ex.getMessage());
    }

    @Test
    void open_interruptedInstallLeftovers_removed() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            s.install(bundle(1), DeviceFacts.unknown());
        }
        Files.write(dir.resolve(ModelStore.STAGING).resolve("install-1.tmp"), new byte[100]);
        Files.copy(bundle(2), dir.resolve("v2.bundle"));
        Files.write(dir.resolve(ModelStore.STATE_TMP), new byte[] {1});
        try (ModelStore s = ModelStore.open(dir, "tiny", verifier)) {
            assertEquals(1, s.current().manifest().version());
        }
        assertFalse(Files.exists(dir.resolve("v2.bundle")));
        assertFalse(Files.exists(dir.resolve(ModelStore.STATE_TMP)));
        assertEquals(0, Files.list(dir.resolve(ModelStore.STAGING)).count());
    }

    @Test
    void open_otherModelsStore_wrongModel() throws Exception {
        Path dir = tmp.resolve("store");
        try (ModelStore s = ModelStore.open(dir, null, verifier)) {
            s.install(bundle(1), DeviceFacts.unknown());
        }
        VerificationException ex = assertThrows(VerificationException.class, () -> ModelStore.open(dir, "other", verifier));
        assertEquals(RejectionCode.WRONG_MODEL, ex.code());
    }

    @Test
    void install_profileClaimedCompatible_acceptedDespiteLowRam() throws Exception {
        Path p = tmp.resolve("c.bundle");
        Files.write(p, BundleTestSupport.bundleWithClaims(KEYS, 1, "pixel-8", 1L << 40));
        try (ModelStore s = ModelStore.open(tmp.resolve("store"), "tiny", verifier)) {
            assertNotNull(s.install(p, DeviceFacts.of(1L << 30, java.util.Collections.singletonList("cpu")).withProfile("pixel-8")));
        }
    }

    static void flipByte(Path file, long offset) throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= 0x40;
        Files.write(file, b);
    }
}
