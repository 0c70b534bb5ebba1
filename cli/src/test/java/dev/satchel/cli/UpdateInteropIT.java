package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.SigningKey;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.DeviceFacts;
import dev.satchel.verifier.bundle.OmsSignatureCheck;
import dev.satchel.verifier.bundle.VerificationPolicy;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonObject;
import dev.satchel.verifier.signature.TrustConfig;
import dev.satchel.verifier.store.ModelStore;
import dev.satchel.verifier.tool.SatchelVerify;
import dev.satchel.verifier.update.CanonicalJson;
import dev.satchel.verifier.update.TufKey;
import dev.satchel.verifier.update.UpdateClient;
import dev.satchel.verifier.update.UpdateException;
import dev.satchel.verifier.update.UpdateResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 interop: the repository {@code satchel repo init} / {@code satchel publish} write is read
 * by tuf-js 5.x (an independent TUF client, npm-installed into target/ by this test) and by
 * Satchel's own client, both over HTTP on 127.0.0.1; every attack of the catalogue is refused by
 * both. Attacks forge metadata with the repository's own keys where the attack assumes a
 * compromised key, and otherwise only replay or alter bytes on the server.
 */
class UpdateInteropIT {
    static Path tufJs;
    static Path work;

    @TempDir
    Path tmp;
    Path site;
    Server server;
    Path rel;
    Path root;
    Path online;
    Path targetsKey;

    @BeforeAll
    static void installTufJs() throws Exception {
        work = Paths.get("target", "tuf-interop").toAbsolutePath();
        tufJs = work.resolve("node_modules");
        if (!Files.isDirectory(tufJs.resolve("tuf-js"))) {
            Files.createDirectories(work);
            Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", work.toString(), "tuf-js@5")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "npm install tuf-js@5 failed: " + out);
        }
        for (String script : new String[] {"tuf-client.js", "tufjs-repo.js"}) {
            Files.copy(Paths.get("src/test/resources/tuf", script), work.resolve(script),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        rel = keygen("rel", "ed25519");
        root = keygen("root", "ed25519");
        online = keygen("online", "ecdsa-p256");
        targetsKey = keygen("targets", "ed25519");
        site = tmp.resolve("site");
        ok("repo", "init", "--repo", site.toString(), "--root-key", root + ".key", "--targets-key", targetsKey + ".key",
                "--snapshot-key", online + ".key", "--timestamp-key", online + ".key");
        publish(1);
        server = new Server(site);
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
    }

    // ------------------------------------------------------------------ helpers

    Path keygen(String name, String alg) {
        Path prefix = tmp.resolve(name);
        ok("keygen", "--algorithm", alg, "--out", prefix.toString());
        return prefix;
    }

    static CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    Path bundle(long version) throws Exception {
        Path m = tmp.resolve("model-" + version);
        Files.createDirectories(m);
        Files.write(m.resolve("model.onnx"), dev.satchel.testing.TinyModels.mlp().toByteArray());
        byte[] data = new byte[150_000]; // makes the bundle big enough to cut and resume mid-download
        new Random(version).nextBytes(data);
        Files.write(m.resolve("data.bin"), data);
        Path out = tmp.resolve("tiny-" + version + ".bundle");
        ok("pack", m.toString(), "-o", out.toString(), "--name", "tiny", "--version", Long.toString(version),
                "--device", "rpi-4=compatible", "--key", rel + ".key");
        return out;
    }

    void publish(long version) throws Exception {
        ok("publish", bundle(version).toString(), "--repo", site.toString(), "--public-key", rel + ".pub",
                "--keys", targetsKey + ".key," + online + ".key");
    }

    /** A client pair (tuf-js and Satchel) with its own trusted state, starting from 1.root.json. */
    final class Clients {
        final Path js;
        final Path jsTargets;
        final Path meta;
        final Path store;

        Clients(String name) throws Exception {
            js = tmp.resolve(name + "-js");
            jsTargets = tmp.resolve(name + "-js-targets");
            Files.createDirectories(js);
            Files.createDirectories(jsTargets);
            Files.copy(site.resolve("metadata/1.root.json"), js.resolve("root.json"));
            meta = tmp.resolve(name + "-tuf");
            store = tmp.resolve(name + "-store");
            UpdateClient.trustRoot(meta, Files.readAllBytes(site.resolve("metadata/1.root.json")));
        }

        JsonObject tufJs(String target) throws Exception {
            return tufJs(target, 100_000);
        }

        JsonObject tufJs(String target, int timeoutMs) throws Exception {
            Process p = new ProcessBuilder("node", work.resolve("tuf-client.js").toString(), server.url.toString(),
                    js.toString(), jsTargets.toString(), target, Integer.toString(timeoutMs))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish");
            return Json.parseObject(out.getBytes(StandardCharsets.UTF_8));
        }

        UpdateResult satchel() throws Exception {
            return satchel(UpdateClient.builder(server.url, meta).clock(Clock.systemUTC()));
        }

        UpdateResult satchel(UpdateClient.Builder b) throws Exception {
            try (ModelStore s = ModelStore.open(store, "tiny", verifier())) {
                return b.device(DeviceFacts.ofProfile("rpi-4")).build().update(s);
            }
        }

        long installed() throws Exception {
            try (ModelStore s = ModelStore.open(store, "tiny", verifier())) {
                return s.status().current();
            }
        }

        /** Both clients refuse: tuf-js with {@code jsError} (a regex found in its error name and message), Satchel with {@code code}. */
        void bothRefuse(String target, String jsError, UpdateException.Code code) throws Exception {
            bothRefuse(target, jsError, code, UpdateClient.builder(server.url, meta).clock(Clock.systemUTC()), 100_000);
        }

        void bothRefuse(String target, String jsError, UpdateException.Code code, UpdateClient.Builder b, int jsTimeout)
                throws Exception {
            Files.deleteIfExists(jsTargets.resolve(target.replace("/", "%2F")));
            JsonObject r = tufJs(target, jsTimeout);
            assertFalse(r.bool("ok"), "tuf-js accepted: " + r);
            assertTrue((r.string("error") + " " + r.string("message")).matches("(?s).*(" + jsError + ").*"), "tuf-js: " + r);
            assertFalse(Files.exists(jsTargets.resolve(target.replace("/", "%2F"))), "tuf-js wrote the target");
            long before = installed();
            UpdateException ex = org.junit.jupiter.api.Assertions.assertThrows(UpdateException.class, () -> satchel(b));
            assertEquals(code, ex.code(), ex.toString());
            assertEquals(before, installed(), "store changed");
        }
    }

    BundleVerifier verifier() throws Exception {
        return BundleVerifier.create(VerificationPolicy.requireSignature(
                OmsSignatureCheck.of(TrustConfig.ofPublicKey(KeyFiles.readPublicKey(Paths.get(rel + ".pub"))))));
    }

    /** Forges a metadata file: edits {@code signed}, re-signs with the given private keys (repeats allowed). */
    byte[] forge(String file, Consumer<Map<String, Object>> edit, Path... keys) throws Exception {
        Map<String, Object> doc = copy(Json.parseObject(Files.readAllBytes(site.resolve("metadata").resolve(file))).asMap());
        @SuppressWarnings("unchecked")
        Map<String, Object> signed = (Map<String, Object>) doc.get("signed");
        edit.accept(signed);
        byte[] canonical = CanonicalJson.encode(signed);
        List<Object> sigs = new ArrayList<>();
        for (Path k : keys) {
            SigningKey sk = KeyFiles.readPrivateKey(Paths.get(k + ".key"), null);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("keyid", TufKey.keyIdOf(sk.publicKey()));
            s.put("sig", TufKey.hex(sk.sign(canonical)));
            sigs.add(s);
        }
        doc.put("signatures", sigs);
        return Json.writePretty(doc).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static <T> T copy(T v) {
        if (v instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            ((Map<String, Object>) v).forEach((k, x) -> m.put(k, copy(x)));
            return (T) m;
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            ((List<Object>) v).forEach(x -> l.add(copy(x)));
            return (T) l;
        }
        return v;
    }

    static Map<String, Object> metaFile(long version, byte[] bytes) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("length", (long) bytes.length);
        m.put("hashes", Map.of("sha256", TufKey.hex(MessageDigest.getInstance("SHA-256").digest(bytes))));
        return m;
    }

    static long version(Map<String, Object> signed) {
        return ((BigDecimal) signed.get("version")).longValueExact();
    }

    /** Serves a forged timestamp pinning {@code snapshotBytes} as {@code snapshotVersion}. */
    void serveTimestampFor(long snapshotVersion, byte[] snapshotBytes, long timestampVersion) throws Exception {
        byte[] ts = forge("timestamp.json", s -> {
            s.put("version", timestampVersion);
            try {
                s.put("meta", Map.of("snapshot.json", metaFile(snapshotVersion, snapshotBytes)));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }, online);
        server.overrides.put("metadata/timestamp.json", ts);
    }

    String target2() throws Exception {
        try (var s = Files.list(site.resolve("targets/tiny"))) {
            return "targets/tiny/" + s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("tiny-2.bundle"))
                    .findFirst().get();
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void satchelRepository_readByTufJsAndSatchel_bundleVerifies() throws Exception {
        publish(2);
        Clients c = new Clients("a");
        JsonObject r = c.tufJs("tiny/tiny-2.bundle");
        assertTrue(r.bool("ok"), r.toString());
        CliRunner.Result v = CliRunner.run("verify", r.string("file"), "--public-key", rel + ".pub");
        assertEquals(0, v.exitCode(), v.err());
        assertTrue(v.out().startsWith("OK "), v.out());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SatchelVerify.run(new String[] {"update", "--repo", server.url.toString(), "--store", c.store.toString(),
            "--root", site.resolve("metadata/1.root.json").toString(), "--trust", rel + ".pub", "--profile", "rpi-4"},
                new PrintStream(out, true, "UTF-8"), new PrintStream(err, true, "UTF-8"));
        assertEquals(0, code, err.toString("UTF-8"));
        assertTrue(out.toString("UTF-8").startsWith("installed tiny/tiny-2.bundle (tiny version 2"), out.toString("UTF-8"));
        assertTrue(Arrays.equals(Files.readAllBytes(Paths.get(r.string("file"))), Files.readAllBytes(site.resolve(target2()))));

        // The next update goes in on trial: two loads to confirm it, or the store returns to v2.
        publish(3);
        out.reset();
        code = SatchelVerify.run(new String[] {"update", "--repo", server.url.toString(), "--store", c.store.toString(),
            "--root", site.resolve("metadata/1.root.json").toString(), "--trust", rel + ".pub", "--profile", "rpi-4",
            "--trial", "2"}, new PrintStream(out, true, "UTF-8"), new PrintStream(err, true, "UTF-8"));
        assertEquals(0, code, err.toString("UTF-8"));
        String o = out.toString("UTF-8");
        assertTrue(o.startsWith("installed tiny/tiny-3.bundle (tiny version 3") && o.contains("; on trial: confirm it within 2 attempts"),
                o);
    }

    @Test
    void keyRotationAndTimestampRefresh_followedByBoth() throws Exception {
        Clients c = new Clients("b");
        assertTrue(c.tufJs("tiny/tiny-1.bundle").bool("ok"));
        assertEquals(1, c.satchel().installed().manifest().version());
        Path newRoot = keygen("root2", "ecdsa-p256");
        Path newTs = keygen("ts2", "ed25519");
        ok("repo", "rotate-key", "--repo", site.toString(), "--role", "root", "--new-key", newRoot + ".key", "--keys", root + ".key");
        ok("repo", "rotate-key", "--repo", site.toString(), "--role", "timestamp", "--new-key", newTs + ".key",
                "--keys", newRoot + ".key");
        ok("repo", "refresh-timestamp", "--repo", site.toString(), "--keys", newTs + ".key");
        ok("publish", bundle(2).toString(), "--repo", site.toString(), "--public-key", rel + ".pub",
                "--keys", targetsKey + ".key," + online + ".key," + newTs + ".key");
        assertTrue(c.tufJs("tiny/tiny-2.bundle").bool("ok"));
        UpdateResult r = c.satchel();
        assertEquals(3, r.rootVersion());
        assertEquals(2, r.installed().manifest().version());
    }

    @Test
    void satchelRepository_canonicalJsonKeyIdsSignatures_checkedBySecuresystemslib() throws Exception {
        publish(2);
        Path newRoot = keygen("root2", "ecdsa-p256");
        ok("repo", "rotate-key", "--repo", site.toString(), "--role", "root", "--new-key", newRoot + ".key", "--keys", root + ".key");
        ok("repo", "refresh-timestamp", "--repo", site.toString(), "--keys", online + ".key");
        // Debian's interpreter: python3-securesystemslib is an apt package (a pyenv python3 would not see it).
        Process p = new ProcessBuilder("/usr/bin/python3", Paths.get("src/test/resources/tuf/sslib-check.py").toAbsolutePath().toString(),
                site.resolve("metadata").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), "securesystemslib check (CI: apt-get install python3-securesystemslib): " + out);
        // 1.root, 2.root (old + new key), 3 targets, 3 snapshots, timestamp
        assertTrue(out.startsWith("OK 10 signatures"), out);
    }

    @Test
    void tufJsWrittenRepository_readBySatchelClient() throws Exception {
        // Metadata written by @tufjs/models (its canonical JSON, its key encodings), with custom
        // strings that only canonicalise identically if quotes, backslashes, newlines and non-ASCII
        // are handled as OLPC canonical JSON says.
        Path jsSite = tmp.resolve("js-site");
        String custom = "{\"satchel\":{\"name\":\"tiny\",\"version\":2,\"note\":\"q \\\" b \\\\ n \\n \u00e9\"}}";
        Process p = new ProcessBuilder("node", work.resolve("tufjs-repo.js").toString(), jsSite.toString(),
                bundle(2).toString(), "tiny/tiny-2.bundle", custom).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        assertTrue(new String(Files.readAllBytes(jsSite.resolve("metadata/1.targets.json")), StandardCharsets.UTF_8)
                .contains("\\n \u00e9"), "custom note written with an escaped newline and a raw e-acute");
        Server js = new Server(jsSite);
        try {
            Path meta = tmp.resolve("js-tuf");
            UpdateClient.trustRoot(meta, Files.readAllBytes(jsSite.resolve("metadata/1.root.json")));
            try (ModelStore s = ModelStore.open(tmp.resolve("js-store"), "tiny", verifier())) {
                UpdateResult r = UpdateClient.builder(js.url, meta).build().update(s);
                assertEquals(2, r.installed().manifest().version());
            }
        } finally {
            js.stop();
        }
    }

    /** Runs the attack set-up after both clients trusted the current repository state. */
    Clients trusted(String name) throws Exception {
        Clients c = new Clients(name);
        assertTrue(c.tufJs("tiny/tiny-1.bundle").bool("ok"));
        c.satchel();
        assertTrue(c.installed() >= 1);
        return c;
    }

    @Test
    void rollback_timestamp_refusedByBoth() throws Exception {
        byte[] old = Files.readAllBytes(site.resolve("metadata/timestamp.json"));
        publish(2);
        Clients c = trusted("rt");
        server.overrides.put("metadata/timestamp.json", old);
        c.bothRefuse("tiny/tiny-2.bundle", "BadVersionError", UpdateException.Code.ROLLBACK);
    }

    @Test
    void rollback_snapshot_refusedByBoth() throws Exception {
        byte[] oldSnap = Files.readAllBytes(site.resolve("metadata/1.snapshot.json"));
        publish(2);
        Clients c = trusted("rs");
        serveTimestampFor(1, oldSnap, 10);
        c.bothRefuse("tiny/tiny-2.bundle", "BadVersionError", UpdateException.Code.ROLLBACK);
    }

    @Test
    void rollback_targets_refusedByBoth() throws Exception {
        byte[] oldTargets = Files.readAllBytes(site.resolve("metadata/2.targets.json"));
        publish(2);
        Clients c = trusted("rg"); // trusts snapshot 3 naming targets 3
        byte[] snap = forge("3.snapshot.json", s -> {
            s.put("version", 4L);
            try {
                s.put("meta", Map.of("targets.json", metaFile(2, oldTargets)));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }, online);
        server.overrides.put("metadata/4.snapshot.json", snap);
        serveTimestampFor(4, snap, 10);
        c.bothRefuse("tiny/tiny-2.bundle", "New version 2 of targets.json is less than current version 3", UpdateException.Code.ROLLBACK);
    }

    @Test
    void rollback_root_refusedByBoth() throws Exception {
        Clients c = trusted("rr");
        server.overrides.put("metadata/2.root.json", Files.readAllBytes(site.resolve("metadata/1.root.json")));
        c.bothRefuse("tiny/tiny-1.bundle", "BadVersionError", UpdateException.Code.ROLLBACK);
    }

    @Test
    void freeze_expiredTimestamp_refusedByBoth() throws Exception {
        publish(2);
        Clients c = trusted("fz");
        server.overrides.put("metadata/timestamp.json", forge("timestamp.json", s -> {
            s.put("version", version(s) + 1);
            s.put("expires", "2020-01-01T00:00:00Z");
        }, online));
        c.bothRefuse("tiny/tiny-2.bundle", "ExpiredMetadataError", UpdateException.Code.EXPIRED);
    }

    @Test
    void mixAndMatch_snapshotEditedAfterTimestamp_refusedByBoth() throws Exception {
        Clients c = trusted("mm");
        publish(2);
        // Same length as the pinned file (compact JSON padded with spaces), other bytes: only the hash differs.
        int pinned = (int) Files.size(site.resolve("metadata/3.snapshot.json"));
        byte[] forged = Json.writeBytes(Json.parse(forge("3.snapshot.json", s -> s.put("expires", "2030-01-01T00:00:00Z"), online)));
        byte[] padded = Arrays.copyOf(forged, pinned);
        Arrays.fill(padded, forged.length, pinned, (byte) ' ');
        server.overrides.put("metadata/3.snapshot.json", padded);
        // tuf-js wraps its LengthOrHashMismatchError in a RuntimeError; the message survives.
        c.bothRefuse("tiny/tiny-2.bundle", "Expected hash [0-9a-f]{64} but got", UpdateException.Code.METADATA_MISMATCH);
    }

    @Test
    void endlessData_oversizedTarget_refusedByBoth() throws Exception {
        Clients c = trusted("ed");
        publish(2);
        byte[] b = Files.readAllBytes(site.resolve(target2()));
        server.overrides.put(target2(), Arrays.copyOf(b, b.length + (1 << 20)));
        c.bothRefuse("tiny/tiny-2.bundle", "DownloadLengthMismatchError", UpdateException.Code.TOO_LARGE);
    }

    @Test
    void endlessData_oversizedTimestamp_refusedByBoth() throws Exception {
        Clients c = trusted("em");
        byte[] ts = Files.readAllBytes(site.resolve("metadata/timestamp.json"));
        byte[] padded = Arrays.copyOf(ts, 40_000);
        Arrays.fill(padded, ts.length, padded.length, (byte) ' ');
        server.overrides.put("metadata/timestamp.json", padded);
        c.bothRefuse("tiny/tiny-1.bundle", "DownloadLengthMismatchError", UpdateException.Code.TOO_LARGE);
    }

    @Test
    void arbitraryPackage_targetBytesChanged_refusedByBoth() throws Exception {
        Clients c = trusted("ap");
        publish(2);
        byte[] b = Files.readAllBytes(site.resolve(target2()));
        b[b.length - 100] ^= 1;
        server.overrides.put(target2(), b);
        c.bothRefuse("tiny/tiny-2.bundle", "LengthOrHashMismatchError", UpdateException.Code.TARGET_MISMATCH);
    }

    @Test
    void untrustedRootRotation_refusedByBoth() throws Exception {
        Clients c = trusted("ur");
        Path attacker = keygen("attacker", "ed25519");
        String attackerId = TufKey.keyIdOf(KeyFiles.readPublicKey(Paths.get(attacker + ".pub")));
        Map<String, Object> attackerKey = TufKey.keyObject(KeyFiles.readPublicKey(Paths.get(attacker + ".pub")));
        server.overrides.put("metadata/2.root.json", forge("1.root.json", s -> {
            s.put("version", 2L);
            @SuppressWarnings("unchecked")
            Map<String, Object> keys = (Map<String, Object>) s.get("keys");
            keys.put(attackerId, attackerKey);
            @SuppressWarnings("unchecked")
            Map<String, Object> roles = (Map<String, Object>) s.get("roles");
            roles.put("root", Map.of("keyids", List.of(attackerId), "threshold", 1L));
        }, attacker));
        c.bothRefuse("tiny/tiny-1.bundle", "UnsignedMetadataError", UpdateException.Code.UNTRUSTED_ROOT);
    }

    /** Two targets keys, threshold 2 (via repo rotate-key), then the given signatures on a new targets file. */
    Clients twoTargetKeys(String name, Path... targetSigners) throws Exception {
        Path t2 = keygen("targets2", "ed25519");
        ok("repo", "rotate-key", "--repo", site.toString(), "--role", "targets", "--new-key", targetsKey + ".key",
                "--new-key", t2 + ".key", "--threshold", "2", "--keys", root + ".key," + online + ".key");
        Clients c = trusted(name);
        // The online keys (snapshot, timestamp) are compromised; one targets key is not enough.
        byte[] targets = forge("3.targets.json", s -> s.put("version", 4L), targetSigners);
        server.overrides.put("metadata/4.targets.json", targets);
        byte[] snap = forge("3.snapshot.json", s -> {
            s.put("version", 4L);
            try {
                s.put("meta", Map.of("targets.json", metaFile(4, targets)));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }, online);
        server.overrides.put("metadata/4.snapshot.json", snap);
        serveTimestampFor(4, snap, 10);
        return c;
    }

    @Test
    void thresholdNotMet_refusedByBoth() throws Exception {
        Clients c = twoTargetKeys("tn", targetsKey);
        c.bothRefuse("tiny/tiny-1.bundle", "targets was signed by 1/2 keys", UpdateException.Code.THRESHOLD_NOT_MET);
    }

    @Test
    void duplicateKeyIds_countedOnce_refusedByBoth() throws Exception {
        Clients c = twoTargetKeys("dk", targetsKey, targetsKey);
        c.bothRefuse("tiny/tiny-1.bundle", "multiple signatures found for keyid", UpdateException.Code.DUPLICATE_SIGNATURE);
    }

    @Test
    void compromisedTimestampKey_recoveredByRotation_inBoth() throws Exception {
        Clients c = trusted("ck");
        // The attacker holds the timestamp key and fast-forwards both clients to timestamp v1000.
        server.overrides.put("metadata/timestamp.json", forge("timestamp.json", s -> s.put("version", 1000L), online));
        assertTrue(c.tufJs("tiny/tiny-1.bundle").bool("ok"));
        c.satchel();
        server.overrides.clear();
        publish(2); // genuine timestamp v3: both refuse it as a rollback
        c.bothRefuse("tiny/tiny-2.bundle", "BadVersionError", UpdateException.Code.ROLLBACK);
        Path newTs = keygen("ts-new", "ed25519");
        ok("repo", "rotate-key", "--repo", site.toString(), "--role", "timestamp", "--new-key", newTs + ".key",
                "--keys", root + ".key");
        assertTrue(c.tufJs("tiny/tiny-2.bundle").bool("ok"));
        assertEquals(2, c.satchel().installed().manifest().version());
    }

    @Test
    void slowServer_timeout_inBoth() throws Exception {
        Clients c = trusted("ss");
        publish(2);
        server.faultPath = target2();
        server.delayMsPerChunk = 3000;
        c.bothRefuse("tiny/tiny-2.bundle", "aborted due to timeout", UpdateException.Code.TIMEOUT,
                UpdateClient.builder(server.url, c.meta).timeouts(1000, 1000, 60_000), 1000);
    }

    @Test
    void serverGoneMidDownload_bothFailAndKeepOldVersion() throws Exception {
        Clients c = trusted("sg");
        publish(2);
        server.faultPath = target2();
        server.cutAfterBytes = 65536;
        c.bothRefuse("tiny/tiny-2.bundle", "", UpdateException.Code.NETWORK);
        assertEquals(1, c.installed());
        server.faultPath = null;
        assertEquals(2, c.satchel().installed().manifest().version());
    }

    /** Serves the repository directory, with per-path overrides and faults for attacks. */
    static final class Server {
        final HttpServer http;
        final URL url;
        final Path dir;
        final Map<String, byte[]> overrides = new ConcurrentHashMap<>();
        volatile String faultPath;
        volatile long cutAfterBytes = -1;
        volatile int delayMsPerChunk;

        Server(Path dir) throws IOException {
            this.dir = dir;
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", this::handle);
            http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            http.start();
            url = new URL("http://127.0.0.1:" + http.getAddress().getPort() + "/");
        }

        void stop() {
            http.stop(0);
        }

        private void handle(HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getPath().substring(1);
            byte[] body = overrides.get(path);
            Path f = dir.resolve(path).normalize();
            if (body == null && f.startsWith(dir) && Files.isRegularFile(f)) {
                body = Files.readAllBytes(f);
            }
            try {
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                String range = ex.getRequestHeaders().getFirst("Range");
                int from = 0;
                if (range != null && range.matches("bytes=[0-9]+-")) {
                    from = Integer.parseInt(range.substring(6, range.length() - 1));
                    ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                    ex.sendResponseHeaders(206, body.length - from);
                } else {
                    ex.sendResponseHeaders(200, body.length);
                }
                boolean faulty = path.equals(faultPath);
                try (OutputStream out = ex.getResponseBody()) {
                    for (int i = from; i < body.length; i += 8192) {
                        if (faulty && cutAfterBytes >= 0 && i - from >= cutAfterBytes) {
                            throw new IOException("fixture: connection cut");
                        }
                        if (faulty && delayMsPerChunk > 0) {
                            Thread.sleep(delayMsPerChunk);
                        }
                        out.write(body, i, Math.min(8192, body.length - i));
                        out.flush();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        }
    }

}
