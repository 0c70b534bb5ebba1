package dev.satchel.verifier.update;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonArray;
import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.json.JsonLimits;
import dev.satchel.verifier.json.JsonObject;
import dev.satchel.verifier.update.UpdateException.Code;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One parsed TUF metadata file (spec §4): the envelope, the common fields of {@code signed}, and
 * the role-specific parts this client uses. Immutable. Parsing checks shape only; signatures,
 * versions and expiry are checked by {@link UpdateClient} in the order of the client workflow.
 */
final class Metadata {
    static final String ROOT = "root";
    static final String TIMESTAMP = "timestamp";
    static final String SNAPSHOT = "snapshot";
    static final String TARGETS = "targets";
    private static final Pattern SPEC_VERSION = Pattern.compile("1\\.[0-9]+(\\.[0-9]+)?");
    private static final Pattern EXPIRES = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");

    final String name;          // file name for messages, e.g. "3.root.json"
    final String type;
    final long version;
    final Instant expires;
    final JsonObject signed;
    final byte[] raw;
    private final byte[] canonical;
    private final List<String[]> signatures = new ArrayList<>(); // {keyid, sig}
    // root only
    final Map<String, TufKey> keys = new LinkedHashMap<>();
    final Map<String, Role> roles = new LinkedHashMap<>();
    final boolean consistentSnapshot;
    // timestamp and snapshot: meta; targets: targets
    final Map<String, FileInfo> files = new LinkedHashMap<>();

    /** A role's key ids and threshold, as root names them. */
    static final class Role {
        final Set<String> keyIds;
        final int threshold;

        Role(Set<String> keyIds, int threshold) {
            this.keyIds = keyIds;
            this.threshold = threshold;
        }
    }

    /** A METAFILES or TARGETS entry: version (-1 for targets), length (-1 if absent), hashes, custom. */
    static final class FileInfo {
        final String path;
        final long version;
        final long length;
        final Map<String, String> hashes;
        final JsonObject custom;

        FileInfo(String path, long version, long length, Map<String, String> hashes, JsonObject custom) {
            this.path = path;
            this.version = version;
            this.length = length;
            this.hashes = hashes;
            this.custom = custom;
        }
    }

    private Metadata(String name, byte[] raw, JsonObject doc, String expectedType) throws JsonException, UpdateException {
        this.name = name;
        this.raw = raw;
        signed = doc.object("signed");
        type = signed.string("_type");
        if (!type.equals(expectedType)) {
            throw invalid("/signed/_type: expected '" + expectedType + "', got '" + type + "'");
        }
        String spec = signed.string("spec_version");
        if (!SPEC_VERSION.matcher(spec).matches()) {
            // §4.2: a client refuses metadata of another major spec version.
            throw invalid("/signed/spec_version: expected 1.x, got '" + spec + "'");
        }
        version = signed.longValue("version", 1, Long.MAX_VALUE);
        String exp = signed.string("expires");
        try {
            if (!EXPIRES.matcher(exp).matches()) {
                throw new DateTimeParseException("not YYYY-MM-DDTHH:MM:SSZ", exp, 0);
            }
            expires = Instant.parse(exp);
        } catch (DateTimeParseException ex) {
            throw invalid("/signed/expires: expected YYYY-MM-DDTHH:MM:SSZ, got '" + exp + "'");
        }
        try {
            canonical = CanonicalJson.encode(signed.asMap());
        } catch (IllegalArgumentException ex) {
            throw invalid("/signed: " + ex.getMessage());
        }
        JsonArray sigs = doc.array("signatures");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sigs.size(); i++) {
            JsonObject s = sigs.object(i);
            String keyId = s.string("keyid");
            // A key contributes at most one signature (§4.2: "a threshold of unique keys"); a
            // repeated key id is refused outright, as tuf-js does, not silently counted once.
            if (!seen.add(keyId)) {
                throw new UpdateException(Code.DUPLICATE_SIGNATURE, name + ": two signatures carry key id " + keyId);
            }
            signatures.add(new String[] {keyId, s.string("sig")});
        }
        boolean cs = false;
        if (type.equals(ROOT)) {
            JsonObject k = signed.object("keys");
            for (String id : k.keys()) {
                keys.put(id, TufKey.parse(id, k.object(id)));
            }
            JsonObject r = signed.object("roles");
            for (String role : new String[] {ROOT, TARGETS, SNAPSHOT, TIMESTAMP}) {
                JsonObject ro = r.object(role);
                JsonArray ids = ro.array("keyids");
                Set<String> idSet = new HashSet<>();
                for (int i = 0; i < ids.size(); i++) {
                    idSet.add(ids.string(i));
                }
                roles.put(role, new Role(idSet, (int) ro.longValue("threshold", 1, 1000)));
            }
            cs = signed.bool("consistent_snapshot");
        } else if (type.equals(TARGETS)) {
            JsonObject t = signed.object("targets");
            for (String path : t.keys()) {
                JsonObject f = t.object(path);
                files.put(path, new FileInfo(path, -1, f.longValue("length", 0, Long.MAX_VALUE), hashes(f, true),
                        f.optObject("custom")));
            }
        } else {
            JsonObject m = signed.object("meta");
            for (String file : m.keys()) {
                JsonObject f = m.object(file);
                files.put(file, new FileInfo(file, f.longValue("version", 1, Long.MAX_VALUE),
                        f.has("length") ? f.longValue("length", 0, Long.MAX_VALUE) : -1, hashes(f, false), null));
            }
            if (type.equals(TIMESTAMP) && !files.containsKey("snapshot.json")) {
                throw invalid("/signed/meta: no 'snapshot.json'");
            }
            if (type.equals(SNAPSHOT) && !files.containsKey("targets.json")) {
                throw invalid("/signed/meta: no 'targets.json'");
            }
        }
        consistentSnapshot = cs;
    }

    private static Map<String, String> hashes(JsonObject f, boolean required) throws JsonException {
        JsonObject h = required ? f.object("hashes") : f.optObject("hashes");
        Map<String, String> out = new LinkedHashMap<>();
        if (h != null) {
            for (String alg : h.keys()) {
                out.put(alg, h.string(alg));
            }
        }
        return out;
    }

    /**
     * Parses a metadata file.
     *
     * @throws UpdateException {@code METADATA_INVALID}, {@code DUPLICATE_SIGNATURE}
     */
    static Metadata parse(String name, byte[] raw, String expectedType) throws UpdateException {
        try {
            return new Metadata(name, raw, Json.parseObject(raw, JsonLimits.of(Math.max(raw.length, 1), 32)),
                    expectedType);
        } catch (JsonException ex) {
            throw new UpdateException(Code.METADATA_INVALID, name + ": " + ex.getMessage(), ex);
        }
    }

    private UpdateException invalid(String message) {
        return new UpdateException(Code.METADATA_INVALID, name + ": " + message);
    }

    /**
     * Checks that a threshold of the role's keys, as {@code root} lists them, signed this file.
     * Each distinct public key counts once, whatever ids it is listed under.
     */
    void verifySignedBy(Metadata root, String role, Code failure) throws UpdateException {
        Role r = root.roles.get(role);
        Set<Object> valid = new HashSet<>();
        for (String[] s : signatures) {
            TufKey k = root.keys.get(s[0]);
            if (k != null && r.keyIds.contains(s[0]) && k.verify(canonical, s[1])) {
                valid.add(k.publicKey());
            }
        }
        if (valid.size() < r.threshold) {
            throw new UpdateException(failure, name + ": signed by " + valid.size() + " of the " + r.threshold
                    + " " + role + " key(s) required by root version " + root.version);
        }
    }

    /** Whether this file has expired at {@code now} (§5.3.10, §5.4.4: expired when now >= expires). */
    void checkNotExpired(Instant now) throws UpdateException {
        if (!now.isBefore(expires)) {
            throw new UpdateException(Code.EXPIRED, name + ": expired at " + expires + " (update started " + now + ")");
        }
    }

    /**
     * Checks bytes against a METAFILES or TARGETS entry: length (if given) and every hash whose
     * algorithm this JDK knows; at least one hash must be known when any is listed.
     *
     * @return a description of the mismatch, or {@code null} if they match
     */
    static String mismatch(FileInfo expected, byte[] actual) {
        if (expected.length >= 0 && expected.length != actual.length) {
            return "length expected " + expected.length + ", got " + actual.length;
        }
        int known = 0;
        for (Map.Entry<String, String> h : expected.hashes.entrySet()) {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance(h.getKey().toUpperCase(java.util.Locale.ROOT).replace("SHA", "SHA-"));
            } catch (NoSuchAlgorithmException ex) {
                continue;
            }
            known++;
            String got = TufKey.hex(md.digest(actual));
            if (!got.equalsIgnoreCase(h.getValue())) {
                return h.getKey() + " expected " + h.getValue() + ", got " + got;
            }
        }
        return known == 0 && !expected.hashes.isEmpty() ? "no hash algorithm this client knows: " + expected.hashes.keySet() : null;
    }
}
