package dev.satchel.verifier.bundle;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonArray;
import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.json.JsonLimits;
import dev.satchel.verifier.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses {@code satchel.json} (docs/bundle-format.md §5) into a {@link Manifest}, with the strict
 * JSON reader of {@code dev.satchel.verifier.json}. Reports every schema problem at once, each with
 * its JSON pointer. Unknown members are errors: the manifest is signed, and a member this verifier
 * does not understand could carry a promise it cannot keep. Stateless and thread-safe.
 */
public final class ManifestParser {
    /** Entry name of the manifest inside a bundle. */
    public static final String ENTRY_NAME = BundleFormat.MANIFEST_ENTRY;
    /** Largest version: the largest integer a JSON double holds exactly (2^53 - 1). */
    public static final long MAX_VERSION = (1L << 53) - 1;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ORT_VERSION = Pattern.compile("(0|[1-9][0-9]{0,4})\\.(0|[1-9][0-9]{0,4})\\.(0|[1-9][0-9]{0,4})");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]{1,64}");
    private static final Pattern EP = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Set<String> TOP = set("format", "name", "version", "displayVersion", "minOnnxRuntime",
            "files", "compatibility", "quantization", "createdFrom");
    private static final Set<String> FILE = set("path", "size", "sha256", "kind");
    private static final Set<String> COMPAT = set("devices", "minRamBytes", "executionProviders");
    private static final Set<String> DEVICE = set("profile", "compatible", "reason");
    private static final Set<String> CREATED = set("tool", "inputs");
    private static final Set<String> INPUT = set("path", "sha256");
    private static final int MAX_DEPTH = 16;

    private ManifestParser() {}

    /**
     * Parses manifest bytes.
     *
     * @throws VerificationException {@link RejectionCode#TOO_LARGE} over {@code maxBytes},
     *     {@link RejectionCode#MANIFEST_INVALID} for JSON or schema errors (all listed, '; '-separated)
     */
    public static Manifest parse(byte[] utf8, int maxBytes) throws VerificationException {
        if (utf8.length > maxBytes) {
            throw new VerificationException(RejectionCode.TOO_LARGE,
                    ENTRY_NAME + ": " + utf8.length + " bytes, policy allows " + maxBytes);
        }
        JsonObject root;
        try {
            root = Json.parseObject(utf8, JsonLimits.of(Math.max(1, maxBytes), MAX_DEPTH));
        } catch (JsonException ex) {
            throw new VerificationException(RejectionCode.MANIFEST_INVALID, ENTRY_NAME + ": " + ex.getMessage(), ex);
        }
        Problems p = new Problems();
        try {
            root.requireOnly(TOP);
        } catch (JsonException ex) {
            p.add(ex);
        }
        try {
            String format = root.string("format");
            if (!Manifest.FORMAT.equals(format)) {
                p.add(root.pointerOf("format"), "expected '" + Manifest.FORMAT + "', got '" + format + "'");
            }
        } catch (JsonException ex) {
            p.add(ex);
        }
        String name = null;
        try {
            name = root.string("name");
            if (!NAME.matcher(name).matches()) {
                p.add(root.pointerOf("name"), "expected [a-z0-9][a-z0-9._-]{0,127}, got '" + name + "'");
            }
        } catch (JsonException ex) {
            p.add(ex);
        }
        long version = 0;
        try {
            version = root.longValue("version", 1, MAX_VERSION);
            if (!root.number("version").toPlainString().equals(Long.toString(version))) {
                p.add(root.pointerOf("version"), "expected a plain integer, got " + root.number("version"));
            }
        } catch (JsonException ex) {
            p.add(ex);
        }
        String displayVersion = printable(root, "displayVersion", p);
        String minOrt = null;
        try {
            minOrt = root.string("minOnnxRuntime");
            if (!ORT_VERSION.matcher(minOrt).matches()) {
                p.add(root.pointerOf("minOnnxRuntime"), "expected MAJOR.MINOR.PATCH, got '" + minOrt + "'");
            }
        } catch (JsonException ex) {
            p.add(ex);
        }
        List<Manifest.FileEntry> files = files(root, p);
        Manifest.Compatibility compat = compatibility(root, p);
        Map<String, Object> quant = Collections.emptyMap();
        try {
            JsonObject q = root.object("quantization");
            q.string("method");
            quant = q.asMap();
        } catch (JsonException ex) {
            p.add(ex);
        }
        Manifest.CreatedFrom created = createdFrom(root, p);
        p.throwIfAny();
        return new Manifest(name, version, displayVersion, minOrt, files, compat, quant, created);
    }

    private static List<Manifest.FileEntry> files(JsonObject root, Problems p) {
        List<Manifest.FileEntry> out = new ArrayList<>();
        JsonArray arr;
        try {
            arr = root.array("files");
        } catch (JsonException ex) {
            p.add(ex);
            return out;
        }
        if (arr.size() == 0) {
            p.add(arr.pointer(), "must list at least one file");
        }
        Set<String> seen = new HashSet<>();
        String previous = null;
        boolean anyModel = false;
        for (int i = 0; i < arr.size(); i++) {
            try {
                JsonObject f = arr.object(i);
                f.requireOnly(FILE);
                String path = f.string("path");
                try {
                    EntryNames.validate(path);
                } catch (VerificationException ex) {
                    p.add(f.pointerOf("path"), ex.getMessage());
                }
                if (path.equals(ENTRY_NAME) || path.equals(BundleFormat.SIGNATURE_ENTRY)) {
                    p.add(f.pointerOf("path"), "'" + path + "' is reserved and must not be listed");
                }
                if (!seen.add(EntryNames.collisionKey(path))) {
                    p.add(f.pointerOf("path"), "'" + path + "' is listed twice (or collides in case)");
                } else if (previous != null && EntryNames.compare(previous, path) >= 0) {
                    p.add(f.pointerOf("path"), "files must be sorted by UTF-8 bytes of path: '" + path
                            + "' after '" + previous + "'");
                }
                previous = path;
                long size = f.longValue("size", 0, VerificationPolicy.DEFAULT_MAX_BUNDLE_BYTES);
                String sha = f.string("sha256");
                if (!SHA256.matcher(sha).matches()) {
                    p.add(f.pointerOf("sha256"), "expected 64 lower-case hex digits, got '" + sha + "'");
                }
                String kind = f.string("kind");
                if (!kind.equals("model") && !kind.equals("data")) {
                    p.add(f.pointerOf("kind"), "expected 'model' or 'data', got '" + kind + "'");
                }
                anyModel |= kind.equals("model");
                out.add(new Manifest.FileEntry(path, size, sha, kind));
            } catch (JsonException ex) {
                p.add(ex);
            }
        }
        if (arr.size() > 0 && !anyModel) {
            p.add(arr.pointer(), "no file has kind 'model'");
        }
        return out;
    }

    private static Manifest.Compatibility compatibility(JsonObject root, Problems p) {
        List<Manifest.DeviceClaim> devices = new ArrayList<>();
        long minRam = 0;
        List<String> eps = new ArrayList<>();
        try {
            JsonObject c = root.object("compatibility");
            c.requireOnly(COMPAT);
            JsonArray d = c.array("devices");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < d.size(); i++) {
                try {
                    JsonObject o = d.object(i);
                    o.requireOnly(DEVICE);
                    String profile = o.string("profile");
                    if (!NAME.matcher(profile).matches()) {
                        p.add(o.pointerOf("profile"), "expected [a-z0-9][a-z0-9._-]{0,127}, got '" + profile + "'");
                    }
                    if (!seen.add(profile)) {
                        p.add(o.pointerOf("profile"), "profile '" + profile + "' has two claims");
                    }
                    boolean ok = o.bool("compatible");
                    String reason = o.optString("reason");
                    devices.add(new Manifest.DeviceClaim(profile, ok, reason == null ? "" : reason));
                } catch (JsonException ex) {
                    p.add(ex);
                }
            }
            if (c.has("minRamBytes")) {
                minRam = c.longValue("minRamBytes", 0, Long.MAX_VALUE);
            }
            JsonArray e = c.optArray("executionProviders");
            if (e != null) {
                for (int i = 0; i < e.size(); i++) {
                    String ep = e.string(i);
                    if (!EP.matcher(ep).matches()) {
                        p.add(e.pointerOf(i), "expected a lower-case provider name like 'cpu', got '" + ep + "'");
                    }
                    eps.add(ep.toLowerCase(Locale.ROOT));
                }
            }
        } catch (JsonException ex) {
            p.add(ex);
        }
        return new Manifest.Compatibility(devices, minRam, eps);
    }

    private static Manifest.CreatedFrom createdFrom(JsonObject root, Problems p) {
        String tool = "";
        List<Manifest.Input> inputs = new ArrayList<>();
        try {
            JsonObject c = root.object("createdFrom");
            c.requireOnly(CREATED);
            tool = c.string("tool");
            JsonArray arr = c.array("inputs");
            for (int i = 0; i < arr.size(); i++) {
                JsonObject in = arr.object(i);
                in.requireOnly(INPUT);
                String sha = in.string("sha256");
                if (!SHA256.matcher(sha).matches()) {
                    p.add(in.pointerOf("sha256"), "expected 64 lower-case hex digits, got '" + sha + "'");
                }
                inputs.add(new Manifest.Input(in.string("path"), sha));
            }
        } catch (JsonException ex) {
            p.add(ex);
        }
        return new Manifest.CreatedFrom(tool, inputs);
    }

    private static String printable(JsonObject o, String key, Problems p) {
        try {
            String s = o.string(key);
            if (!PRINTABLE.matcher(s).matches()) {
                p.add(o.pointerOf(key), "expected 1 to 64 printable ASCII characters, got " + EntryNames.quote(s));
            }
            return s;
        } catch (JsonException ex) {
            p.add(ex);
            return null;
        }
    }

    private static Set<String> set(String... names) {
        return Collections.unmodifiableSet(new HashSet<>(Arrays.asList(names)));
    }

    private static final class Problems {
        private final List<String> list = new ArrayList<>();

        void add(JsonException ex) {
            list.add(ex.getMessage());
        }

        void add(String pointer, String message) {
            list.add((pointer.isEmpty() ? "/" : pointer) + ": " + message);
        }

        void throwIfAny() throws VerificationException {
            if (!list.isEmpty()) {
                StringBuilder sb = new StringBuilder(ENTRY_NAME).append(": ");
                for (int i = 0; i < list.size() && i < 20; i++) {
                    if (i > 0) {
                        sb.append("; ");
                    }
                    sb.append(list.get(i));
                }
                if (list.size() > 20) {
                    sb.append("; and ").append(list.size() - 20).append(" more");
                }
                throw new VerificationException(RejectionCode.MANIFEST_INVALID, sb.toString());
            }
        }
    }
}
