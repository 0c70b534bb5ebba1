package dev.satchel.signing.tuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.SigningKey;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonObject;
import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.update.TufKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TufRepositoryTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00.123Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    SigningKey root;
    SigningKey targets;
    SigningKey online;
    TufRepository repo;

    static SigningKey key(KeyAlgorithm a) throws Exception {
        return KeyFiles.signingKey(KeyFiles.generate(a), a.id());
    }

    @BeforeEach
    void setUp() throws Exception {
        root = key(KeyAlgorithm.ED25519);
        targets = key(KeyAlgorithm.ED25519);
        online = key(KeyAlgorithm.ECDSA_P256);
        repo = TufRepository.at(tmp.resolve("site"), CLOCK);
        repo.init(Map.of("root", TufRepository.RoleKeys.of(List.of(root.publicKey()), 1),
                "targets", TufRepository.RoleKeys.of(List.of(targets.publicKey()), 1),
                "snapshot", TufRepository.RoleKeys.of(List.of(online.publicKey()), 1),
                "timestamp", TufRepository.RoleKeys.of(List.of(online.publicKey()), 1)), List.of(root, targets, online));
    }

    JsonObject signed(String file) throws Exception {
        return Json.parseObject(Files.readAllBytes(tmp.resolve("site/metadata").resolve(file))).object("signed");
    }

    List<String> files() throws Exception {
        try (Stream<Path> s = Files.walk(tmp.resolve("site"))) {
            return s.filter(Files::isRegularFile).map(p -> tmp.resolve("site").relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    Path bundle(String text) throws Exception {
        Path b = tmp.resolve(text + ".bundle");
        Files.writeString(b, text);
        return b;
    }

    @Test
    void init_version1OfEveryRole_expiryFromClock() throws Exception {
        assertEquals(List.of(".lock", "metadata/1.root.json", "metadata/1.snapshot.json", "metadata/1.targets.json",
                "metadata/timestamp.json"), files());
        JsonObject r = signed("1.root.json");
        assertTrue(r.bool("consistent_snapshot"));
        assertEquals("2027-06-01T12:00:00Z", r.string("expires"));
        assertEquals("2026-06-02T12:00:00Z", signed("timestamp.json").string("expires"));
        assertEquals(List.of(TufKey.keyIdOf(online.publicKey())),
                r.object("roles").object("timestamp").array("keyids").asList());
        RepositoryException ex = assertThrows(RepositoryException.class, () -> repo.init(Map.of(), List.of(root)));
        assertEquals(RepositoryException.Code.ALREADY_INITIALISED, ex.code());
    }

    @Test
    void publish_pinsEachFileByLengthAndHash_inConsistentSnapshotNames() throws Exception {
        TufRepository.Published p = repo.publish(bundle("one"), "tiny/tiny-1.bundle",
                Map.of("satchel", Map.of("name", "tiny", "version", 1L)), List.of(targets, online));
        assertEquals(2, p.targetsVersion());
        assertTrue(files().contains("targets/tiny/" + p.sha256() + ".tiny-1.bundle"));
        JsonObject ts = signed("timestamp.json").object("meta").object("snapshot.json");
        byte[] snap = Files.readAllBytes(tmp.resolve("site/metadata/2.snapshot.json"));
        assertEquals(2, ts.longValue("version", 0, 9));
        assertEquals(snap.length, ts.longValue("length", 0, Long.MAX_VALUE));
        assertEquals(TufKey.hex(MessageDigest.getInstance("SHA-256").digest(snap)), ts.object("hashes").string("sha256"));
        JsonObject entry = signed("2.targets.json").object("targets").object("tiny/tiny-1.bundle");
        assertEquals(3, entry.longValue("length", 0, 9));
        assertEquals("tiny", entry.object("custom").object("satchel").string("name"));
    }

    @Test
    void publish_keysBelowThreshold_refusedAndNothingWritten() throws Exception {
        List<String> before = files();
        RepositoryException ex = assertThrows(RepositoryException.class,
                () -> repo.publish(bundle("one"), "tiny/tiny-1.bundle", Map.of(), List.of(online)));
        assertEquals(RepositoryException.Code.KEYS_MISSING, ex.code());
        assertTrue(ex.getMessage().startsWith("targets (root version 1) needs 1 of the keys"), ex.getMessage());
        assertEquals(before, files());
    }

    @Test
    void publish_samePathAgain_refused() throws Exception {
        repo.publish(bundle("one"), "tiny/tiny-1.bundle", Map.of(), List.of(targets, online));
        RepositoryException ex = assertThrows(RepositoryException.class,
                () -> repo.publish(bundle("two"), "tiny/tiny-1.bundle", Map.of(), List.of(targets, online)));
        assertEquals(RepositoryException.Code.TARGET_EXISTS, ex.code());
        assertTrue(ex.getMessage().contains("with other bytes"), ex.getMessage());
    }

    @Test
    void rotate_root_signedByOldAndNewKeys_keysOfOtherRolesKept() throws Exception {
        SigningKey next = key(KeyAlgorithm.ECDSA_P256);
        assertEquals(2, repo.rotate("root", TufRepository.RoleKeys.of(List.of(next.publicKey()), 1), List.of(root, next)));
        JsonObject doc = Json.parseObject(Files.readAllBytes(tmp.resolve("site/metadata/2.root.json")));
        List<String> sigIds = doc.array("signatures").asList().stream().map(o -> (String) ((Map<?, ?>) o).get("keyid"))
                .sorted().collect(Collectors.toList());
        assertEquals(Stream.of(root, next).map(k -> TufKey.keyIdOf(k.publicKey())).sorted().collect(Collectors.toList()), sigIds);
        JsonObject keys = doc.object("signed").object("keys");
        assertTrue(keys.has(TufKey.keyIdOf(targets.publicKey())) && keys.has(TufKey.keyIdOf(online.publicKey())));
        assertFalse(keys.has(TufKey.keyIdOf(root.publicKey())), "a key no role names is dropped");
    }

    @Test
    void rotate_rootWithoutNewKey_refusedBeforeWriting() throws Exception {
        SigningKey next = key(KeyAlgorithm.ED25519);
        RepositoryException ex = assertThrows(RepositoryException.class,
                () -> repo.rotate("root", TufRepository.RoleKeys.of(List.of(next.publicKey()), 1), List.of(root)));
        assertEquals(RepositoryException.Code.KEYS_MISSING, ex.code());
        assertFalse(Files.exists(tmp.resolve("site/metadata/2.root.json")));
    }

    @Test
    void roleKeys_p384OrThresholdAboveKeys_refused() throws Exception {
        assertEquals(RepositoryException.Code.BAD_KEYS, assertThrows(RepositoryException.class,
                () -> TufRepository.RoleKeys.of(List.of(key(KeyAlgorithm.ECDSA_P384).publicKey()), 1)).code());
        assertEquals(RepositoryException.Code.BAD_KEYS, assertThrows(RepositoryException.class,
                () -> TufRepository.RoleKeys.of(List.of(root.publicKey(), root.publicKey()), 2)).code());
    }

    @Test
    void refreshTimestamp_newVersionSameSnapshot() throws Exception {
        assertEquals(2, repo.refreshTimestamp(List.of(online)));
        assertEquals(1, signed("timestamp.json").object("meta").object("snapshot.json").longValue("version", 0, 9));
    }
}
