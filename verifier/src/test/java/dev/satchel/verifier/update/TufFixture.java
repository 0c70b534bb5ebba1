package dev.satchel.verifier.update;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.satchel.verifier.signature.PublicKeyInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hand-built TUF repository served from memory by the JDK's HTTP server on 127.0.0.1, with
 * fault injection (slow responses, connections cut mid-body) for the attack catalogue. The
 * metadata is written here independently of the build-side writer, so attacks can forge any of it.
 */
final class TufFixture implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String FUTURE = "2027-01-01T00:00:00Z";

    final Map<String, byte[]> served = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final HttpServer server;
    final URL url;
    /** Path (without leading slash) whose response is faulty, or null. */
    volatile String faultPath;
    volatile long cutAfterBytes = -1;
    volatile int delayMsPerChunk;

    final Map<String, List<KeyPair>> roleKeys = new LinkedHashMap<>();
    final Map<String, Integer> thresholds = new LinkedHashMap<>();
    final Map<String, Object> targets = new TreeMap<>();
    long rootVersion;
    long targetsVersion;
    long snapshotVersion;
    long timestampVersion;
    String timestampExpires = FUTURE;
    Map<String, Object> lastSnapshotMeta;

    TufFixture() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/repo/");
        for (String role : new String[] {"root", "targets", "snapshot", "timestamp"}) {
            roleKeys.put(role, new ArrayList<>(List.of(ed25519())));
            thresholds.put(role, 1);
        }
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static Map<String, Object> keyObject(KeyPair k) {
        try {
            return TufKey.keyObject(PublicKeyInfo.of(k.getPublic()));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String keyId(KeyPair k) {
        return TufKey.keyIdOf(keyObject(k));
    }

    static Map<String, Object> signed(String type, long version, String expires) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_type", type);
        m.put("spec_version", "1.0.31");
        m.put("version", version);
        m.put("expires", expires);
        return m;
    }

    /** The envelope with one signature per key (repeats allowed: attacks use them). */
    static byte[] envelope(Map<String, Object> signed, KeyPair... signers) {
        byte[] canonical = CanonicalJson.encode(signed);
        List<Object> sigs = new ArrayList<>();
        for (KeyPair k : signers) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(k.getPrivate());
                s.update(canonical);
                Map<String, Object> sig = new LinkedHashMap<>();
                sig.put("keyid", keyId(k));
                sig.put("sig", TufKey.hex(s.sign()));
                sigs.add(sig);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("signed", signed);
        doc.put("signatures", sigs);
        return dev.satchel.verifier.json.Json.writePretty(doc).getBytes(StandardCharsets.UTF_8);
    }

    /** Root metadata for the current role keys, at {@code version}. */
    Map<String, Object> rootSigned(long version) {
        Map<String, Object> s = signed("root", version, FUTURE);
        Map<String, Object> keys = new TreeMap<>();
        Map<String, Object> roles = new LinkedHashMap<>();
        for (Map.Entry<String, List<KeyPair>> e : roleKeys.entrySet()) {
            List<Object> ids = new ArrayList<>();
            for (KeyPair k : e.getValue()) {
                keys.put(keyId(k), keyObject(k));
                ids.add(keyId(k));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("keyids", ids);
            r.put("threshold", thresholds.get(e.getKey()));
            roles.put(e.getKey(), r);
        }
        s.put("keys", keys);
        s.put("roles", roles);
        s.put("consistent_snapshot", true);
        return s;
    }

    /** Writes root version N+1 for the current role keys, signed by {@code signers}. */
    byte[] publishRoot(KeyPair... signers) {
        rootVersion++;
        byte[] b = envelope(rootSigned(rootVersion), signers);
        served.put("repo/metadata/" + rootVersion + ".root.json", b);
        return b;
    }

    KeyPair key(String role) {
        return roleKeys.get(role).get(0);
    }

    /** Adds a bundle as a target with Satchel custom data; not published until {@link #publish}. */
    void addTarget(String name, long version, byte[] bundle, Map<String, Object> compatibility) {
        String path = name + "/" + name + "-" + version + ".bundle";
        String sha = TufKey.hex(sha256(bundle));
        Map<String, Object> satchel = new LinkedHashMap<>();
        satchel.put("name", name);
        satchel.put("version", version);
        if (compatibility != null) {
            satchel.put("compatibility", compatibility);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("length", (long) bundle.length);
        entry.put("hashes", Map.of("sha256", sha));
        entry.put("custom", Map.of("satchel", satchel));
        targets.put(path, entry);
        served.put("repo/targets/" + name + "/" + sha + "." + name + "-" + version + ".bundle", bundle);
    }

    /** New targets, snapshot and timestamp versions, each signed by its role's first key(s). */
    void publish() {
        Map<String, Object> t = signed("targets", ++targetsVersion, FUTURE);
        t.put("targets", new TreeMap<>(targets));
        byte[] tb = envelope(t, signers("targets"));
        served.put("repo/metadata/" + targetsVersion + ".targets.json", tb);
        Map<String, Object> s = signed("snapshot", ++snapshotVersion, FUTURE);
        s.put("meta", Map.of("targets.json", meta(targetsVersion, tb)));
        byte[] sb = envelope(s, signers("snapshot"));
        served.put("repo/metadata/" + snapshotVersion + ".snapshot.json", sb);
        lastSnapshotMeta = meta(snapshotVersion, sb);
        publishTimestamp(signers("timestamp"));
    }

    /** A new timestamp version pinning the last snapshot. */
    byte[] publishTimestamp(KeyPair... signers) {
        Map<String, Object> ts = signed("timestamp", ++timestampVersion, timestampExpires);
        ts.put("meta", Map.of("snapshot.json", lastSnapshotMeta));
        byte[] b = envelope(ts, signers);
        served.put("repo/metadata/timestamp.json", b);
        return b;
    }

    KeyPair[] signers(String role) {
        List<KeyPair> ks = roleKeys.get(role);
        return ks.subList(0, thresholds.get(role)).toArray(new KeyPair[0]);
    }

    static Map<String, Object> meta(long version, byte[] bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("length", (long) bytes.length);
        m.put("hashes", Map.of("sha256", TufKey.hex(sha256(bytes))));
        return m;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    byte[] root1() {
        return served.get("repo/metadata/1.root.json");
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring(1);
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add("GET " + path + (range == null ? "" : " " + range));
        byte[] body = served.get(path);
        try {
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            int from = 0;
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Integer.parseInt(range.substring(6, range.length() - 1));
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
            }
            boolean faulty = path.equals(faultPath);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = from; i < body.length; i += 4096) {
                    if (faulty && cutAfterBytes >= 0 && i - from >= cutAfterBytes) {
                        throw new IOException("fixture: cut");
                    }
                    if (faulty && delayMsPerChunk > 0) {
                        Thread.sleep(delayMsPerChunk);
                    }
                    out.write(body, i, Math.min(4096, body.length - i));
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
