package dev.satchel.verifier.bundle;

import dev.satchel.verifier.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds canonical test bundles (manifest, signature, payloads) that tests then corrupt. */
final class Bundles {
    final TestKeys keys;
    String name = "tiny";
    long version = 1;
    final Map<String, byte[]> payloads = new TreeMap<>(EntryNames::compare);
    final Map<String, Object> manifest = new LinkedHashMap<>();
    final List<Object> devices = new ArrayList<>();
    Long minRamBytes;
    List<String> eps = Collections.emptyList();

    Bundles(TestKeys keys) {
        this.keys = keys;
        payloads.put("model.onnx", bytes(40000, 7));
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }

    Bundles version(long v) {
        this.version = v;
        return this;
    }

    Bundles name(String n) {
        this.name = n;
        return this;
    }

    Bundles device(String profile, boolean compatible) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("profile", profile);
        d.put("compatible", compatible);
        if (!compatible) {
            d.put("reason", "operator NonMaxSuppression unsupported");
        }
        devices.add(d);
        return this;
    }

    /** The manifest as a mutable map: tests may change members before {@link #forge()}. */
    Map<String, Object> manifestMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", Manifest.FORMAT);
        m.put("name", name);
        m.put("version", version);
        m.put("displayVersion", "1.0." + version);
        m.put("minOnnxRuntime", "1.17.0");
        List<Object> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : payloads.entrySet()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", e.getKey());
            f.put("size", (long) e.getValue().length);
            f.put("sha256", BundleVerifier.hex(sha256(e.getValue())));
            f.put("kind", e.getKey().endsWith(".onnx") ? "model" : "data");
            files.add(f);
        }
        m.put("files", files);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("devices", devices);
        if (minRamBytes != null) {
            c.put("minRamBytes", minRamBytes);
        }
        c.put("executionProviders", eps);
        m.put("compatibility", c);
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("method", "none");
        m.put("quantization", q);
        Map<String, Object> cf = new LinkedHashMap<>();
        cf.put("tool", "satchel-test");
        cf.put("inputs", Collections.emptyList());
        m.put("createdFrom", cf);
        return m;
    }

    /** A forge holding the canonical, correctly signed bundle. */
    ZipForge forge() {
        return forge(manifestMap());
    }

    ZipForge forge(Map<String, Object> manifestMap) {
        ZipForge z = new ZipForge();
        z.recs.add(new ZipForge.Rec(BundleFormat.SIGNATURE_ENTRY, new byte[0]));
        z.recs.add(new ZipForge.Rec(BundleFormat.MANIFEST_ENTRY,
                Json.writePretty(manifestMap).getBytes(StandardCharsets.UTF_8)));
        for (Map.Entry<String, byte[]> e : payloads.entrySet()) {
            z.recs.add(new ZipForge.Rec(e.getKey(), e.getValue()));
        }
        resign(z);
        return z;
    }

    /** Recomputes model.sig over the current data of every other record. */
    void resign(ZipForge z) {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        for (ZipForge.Rec r : z.recs) {
            if (!r.nameString().equals(BundleFormat.SIGNATURE_ENTRY)) {
                digests.put(r.nameString(), sha256(r.data));
            }
        }
        z.rec(BundleFormat.SIGNATURE_ENTRY).data = keys.sign(digests);
    }

    byte[] build() {
        return forge().build();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static List<String> list(String... s) {
        return Arrays.asList(s);
    }
}
