package dev.satchel.verifier.signature;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonArray;
import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The in-toto Statement v1 an OMS signature carries: one subject whose sha256 is the root digest,
 * predicate type {@value #PREDICATE_TYPE}, the per-resource digests and the serialization. Immutable.
 *
 * <p>Root digest = SHA-256 over the concatenated raw resource digests in listed order (OMS v1.0).
 */
public final class OmsStatement {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";
    static final String LEGACY_PREDICATE_TYPE = "https://model_signing/Digests/v0.1";

    private final String subjectName;
    private final String rootDigest;
    private final List<ResourceDigest> resources;
    private final Serialization serialization;

    private OmsStatement(String subjectName, String rootDigest, List<ResourceDigest> resources, Serialization serialization) {
        this.subjectName = subjectName;
        this.rootDigest = rootDigest;
        this.resources = Collections.unmodifiableList(new ArrayList<>(resources));
        this.serialization = serialization;
    }

    /** A new statement; the root digest is computed from the resources in the given order. */
    public static OmsStatement of(String subjectName, List<ResourceDigest> resources, Serialization serialization) {
        if (subjectName == null || subjectName.isEmpty()) {
            throw new IllegalArgumentException("subject name must not be empty");
        }
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("a model with no files cannot be signed (OMS spec 6.1)");
        }
        return new OmsStatement(subjectName, rootDigest(resources), resources, serialization);
    }

    /** SHA-256 over the raw bytes of every resource digest, in order; lower-case hex. */
    public static String rootDigest(List<ResourceDigest> resources) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (ResourceDigest r : resources) {
                md.update(r.digestBytes());
            }
            return Hex.encode(md.digest());
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public String subjectName() {
        return subjectName;
    }

    /** The signed root digest ({@code subject[0].digest.sha256}), lower-case hex. */
    public String rootDigest() {
        return rootDigest;
    }

    public List<ResourceDigest> resources() {
        return resources;
    }

    public Serialization serialization() {
        return serialization;
    }

    /** The statement as UTF-8 JSON (2-space indented, as the reference implementation writes it). */
    public byte[] toJson() {
        Map<String, Object> ser = new LinkedHashMap<>();
        ser.put("method", serialization.method());
        ser.put("hash_type", serialization.hashType());
        ser.put("allow_symlinks", serialization.allowSymlinks());
        if (serialization.sharded()) {
            ser.put("shard_size", serialization.shardSize());
        }
        ser.put("ignore_paths", serialization.ignorePaths());
        List<Object> res = new ArrayList<>();
        for (ResourceDigest r : resources) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("algorithm", r.algorithm());
            m.put("digest", r.digest());
            res.add(m);
        }
        Map<String, Object> predicate = new LinkedHashMap<>();
        predicate.put("resources", res);
        predicate.put("serialization", ser);
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("name", subjectName);
        subject.put("digest", Collections.singletonMap("sha256", rootDigest));
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("_type", STATEMENT_TYPE);
        st.put("subject", List.of(subject));
        st.put("predicateType", PREDICATE_TYPE);
        st.put("predicate", predicate);
        return Json.writePretty(st).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses and checks a signed payload.
     *
     * @throws ModelSignatureException {@code MALFORMED} (not a Statement v1, not exactly one subject,
     *     bad names, duplicates), {@code UNSUPPORTED_ALGORITHM} (legacy predicate, unknown method or
     *     hash), {@code DIGEST_MISMATCH} (subject digest differs from the digest of the resources)
     */
    public static OmsStatement parse(byte[] payload) throws ModelSignatureException {
        try {
            return parseChecked(payload);
        } catch (JsonException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                    "signed payload " + ex.getMessage(), ex);
        }
    }

    private static OmsStatement parseChecked(byte[] payload) throws JsonException, ModelSignatureException {
        JsonObject st = Json.parseObject(payload);
        String type = st.string("_type");
        if (!STATEMENT_TYPE.equals(type)) {
            throw malformed("payload /_type: expected " + STATEMENT_TYPE + ", got " + type);
        }
        String predicateType = st.string("predicateType");
        if (LEGACY_PREDICATE_TYPE.equals(predicateType)) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                    "payload /predicateType: legacy " + LEGACY_PREDICATE_TYPE + " signatures are not supported, expected "
                            + PREDICATE_TYPE);
        }
        if (!PREDICATE_TYPE.equals(predicateType)) {
            throw malformed("payload /predicateType: expected " + PREDICATE_TYPE + ", got " + predicateType);
        }
        JsonArray subjects = st.array("subject");
        if (subjects.size() != 1) {
            throw malformed("payload /subject: expected exactly one subject, got " + subjects.size());
        }
        JsonObject subject = subjects.object(0);
        String subjectName = subject.string("name");
        if (subjectName.isEmpty()) {
            throw malformed("payload /subject/0/name: must not be empty");
        }
        String root = subject.object("digest").string("sha256");
        if (root.length() != 64 || Hex.decodeOrNull(root) == null) {
            throw malformed("payload /subject/0/digest/sha256: expected 64 lower-case hex digits, got '" + root + "'");
        }
        JsonObject predicate = st.object("predicate");
        JsonObject ser = predicate.object("serialization");
        String method = ser.string("method");
        String hashType = ser.string("hash_type");
        boolean allowSymlinks = ser.bool("allow_symlinks");
        long shardSize = 0;
        if (Serialization.SHARDS.equals(method)) {
            shardSize = ser.longValue("shard_size", 1, Long.MAX_VALUE / 2);
        } else if (!Serialization.FILES.equals(method)) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                    "payload " + ser.pointerOf("method") + ": expected 'files' or 'shards', got '" + method + "'");
        }
        if (!"sha256".equals(hashType)) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                    "payload " + ser.pointerOf("hash_type") + ": only sha256 is supported, got '" + hashType + "'");
        }
        List<String> ignore = new ArrayList<>();
        JsonArray ignoreArr = ser.optArray("ignore_paths");
        if (ignoreArr != null) {
            for (int i = 0; i < ignoreArr.size(); i++) {
                ignore.add(ignoreArr.string(i));
            }
        }
        Serialization serialization = Serialization.read(method, hashType, allowSymlinks, shardSize, ignore);
        JsonArray res = predicate.array("resources");
        if (res.size() == 0) {
            throw malformed("payload " + res.pointer() + ": no resources (an empty model cannot be signed)");
        }
        List<ResourceDigest> resources = new ArrayList<>(res.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < res.size(); i++) {
            JsonObject r = res.object(i);
            String name = r.string("name");
            String algorithm = r.string("algorithm");
            String digest = r.string("digest");
            String where = "payload " + r.pointer();
            if (!names.add(name)) {
                throw malformed(where + "/name: duplicate resource '" + name + "'");
            }
            String path = serialization.sharded() ? ShardName.parse(name, where).path() : name;
            checkName(path, where);
            boolean algOk = "sha256".equals(algorithm)
                    || (serialization.sharded() && serialization.resourceAlgorithm().equals(algorithm));
            if (!algOk) {
                throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                        where + "/algorithm: expected '" + serialization.resourceAlgorithm() + "', got '" + algorithm + "'");
            }
            if (digest.length() != 64 || Hex.decodeOrNull(digest) == null) {
                throw malformed(where + "/digest: expected 64 lower-case hex digits, got '" + digest + "'");
            }
            resources.add(ResourceDigest.of(name, algorithm, digest));
        }
        String recomputed = rootDigest(resources);
        if (!recomputed.equals(root)) {
            throw new ModelSignatureException(ModelSignatureException.Code.DIGEST_MISMATCH,
                    "payload /subject/0/digest/sha256: root digest expected " + recomputed
                            + " (recomputed from the signed resources), got " + root);
        }
        return new OmsStatement(subjectName, root, resources, serialization);
    }

    /** OMS spec 6.1.2: relative POSIX names, no empty, '.' or '..' components, no leading '/'. */
    private static void checkName(String path, String where) throws ModelSignatureException {
        if (".".equals(path)) {
            return; // a single-file model, as the reference implementation names it
        }
        if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            throw malformed(where + "/name: not a relative POSIX path: '" + path + "'");
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || ".".equals(part) || "..".equals(part)) {
                throw malformed(where + "/name: not a normalized relative path: '" + path + "'");
            }
        }
    }

    private static ModelSignatureException malformed(String message) {
        return new ModelSignatureException(ModelSignatureException.Code.MALFORMED, message);
    }
}
