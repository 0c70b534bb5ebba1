package dev.satchel.signing.tuf;

import dev.satchel.signing.SigningException;
import dev.satchel.signing.SigningKey;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.signature.PublicKeyInfo;
import dev.satchel.verifier.update.CanonicalJson;
import dev.satchel.verifier.update.TufKey;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes a static TUF repository of Satchel bundles (TUF specification 1.0, §4 metadata, §6.2
 * consistent snapshots): {@code metadata/N.root.json}, {@code metadata/N.targets.json},
 * {@code metadata/N.snapshot.json}, {@code metadata/timestamp.json}, and bundles as
 * {@code targets/DIR/SHA256.NAME}. Any static web server or object store can host the directory;
 * the device reads it with {@code dev.satchel.verifier.update.UpdateClient}, tuf-js reads it too.
 *
 * <p>Metadata is signed over OLPC canonical JSON of {@code signed} ({@link CanonicalJson}); key
 * ids are the SHA-256 of the canonical key object ({@link TufKey}); files are written pretty
 * (clients canonicalise before verifying). Every file is written to a temporary name, fsynced and
 * renamed. Files are written in the order that keeps what a client can see consistent: bundle,
 * then targets, then snapshot (new versioned names nobody refers to yet), then root, and
 * {@code timestamp.json} last: its rename publishes the new state at once. Versioned files are
 * never rewritten. An exclusive lock on {@code .lock} serialises writers.
 *
 * <p>Not thread-safe; one instance per operation. Keys: Ed25519 or ECDSA P-256 (what tuf-js and
 * securesystemslib both verify; tuf-js verifies ECDSA with SHA-256 only, so P-384 is refused).
 */
public final class TufRepository {
    /** The TUF specification version written into {@code spec_version}. */
    public static final String SPEC_VERSION = "1.0.31";
    private static final Pattern TARGET_PATH = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*");
    private static final String[] ROLES = {"root", "targets", "snapshot", "timestamp"};

    private final Path metadata;
    private final Path targets;
    private final Clock clock;
    private final Map<String, Duration> expiry = new LinkedHashMap<>();

    private TufRepository(Path dir, Clock clock) {
        this.metadata = dir.resolve("metadata");
        this.targets = dir.resolve("targets");
        this.clock = clock;
        expiry.put("root", Duration.ofDays(365));
        expiry.put("targets", Duration.ofDays(365));
        expiry.put("snapshot", Duration.ofDays(90));
        expiry.put("timestamp", Duration.ofDays(1));
    }

    /** A writer for the repository in {@code dir} (which need not exist yet for {@link #init}). */
    public static TufRepository at(Path dir, Clock clock) {
        return new TufRepository(dir, clock);
    }

    /** Sets how long newly signed metadata of {@code role} stays valid (defaults: 365, 365, 90, 1 days). */
    public TufRepository expiry(String role, Duration d) {
        if (!expiry.containsKey(role) || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("expiry: unknown role or non-positive duration: " + role + "=" + d);
        }
        expiry.put(role, d);
        return this;
    }

    /**
     * Keys and threshold of one role. Only Ed25519 and ECDSA P-256 keys (what tuf-js and
     * securesystemslib both verify; tuf-js verifies ECDSA with SHA-256 only), threshold in
     * 1..number of distinct keys.
     */
    public record RoleKeys(List<PublicKeyInfo> keys, int threshold) {
        /** @throws IllegalArgumentException for another key type or a threshold out of range */
        public RoleKeys {
            keys = List.copyOf(keys);
            Set<String> ids = new LinkedHashSet<>();
            for (PublicKeyInfo k : keys) {
                if (k.algorithm() != KeyAlgorithm.ED25519 && k.algorithm() != KeyAlgorithm.ECDSA_P256) {
                    throw new IllegalArgumentException(k + ": TUF metadata keys are ed25519 or ecdsa-p256"
                            + " (tuf-js verifies ECDSA with SHA-256 only)");
                }
                ids.add(TufKey.keyIdOf(k));
            }
            if (threshold < 1 || threshold > ids.size()) {
                throw new IllegalArgumentException("threshold " + threshold + " with " + ids.size() + " distinct key(s)");
            }
        }

        /** Like the constructor, with {@code BAD_KEYS} instead of {@link IllegalArgumentException}. */
        public static RoleKeys of(List<PublicKeyInfo> keys, int threshold) throws RepositoryException {
            try {
                return new RoleKeys(keys, threshold);
            } catch (IllegalArgumentException ex) {
                throw new RepositoryException(RepositoryException.Code.BAD_KEYS, ex.getMessage(), ex);
            }
        }
    }

    /** What {@link #publish} added: the target and the new metadata versions. */
    public record Published(String targetPath, long length, String sha256, long targetsVersion, long timestampVersion) {}

    /**
     * Creates version 1 of every role: root naming the keys, empty targets, snapshot, timestamp.
     *
     * @param roles keys and threshold for each of root, targets, snapshot, timestamp
     * @param signers private keys meeting every role's threshold
     * @return the path of {@code 1.root.json}, the root to ship with devices
     */
    public Path init(Map<String, RoleKeys> roles, List<SigningKey> signers) throws RepositoryException, IOException {
        Files.createDirectories(metadata);
        Files.createDirectories(targets);
        try (Lock l = lock()) {
            if (Files.exists(metadata.resolve("1.root.json"))) {
                throw new RepositoryException(RepositoryException.Code.ALREADY_INITIALISED,
                        metadata.resolve("1.root.json") + " exists");
            }
            Map<String, Object> keys = new TreeMap<>();
            Map<String, Object> roleMap = new LinkedHashMap<>();
            for (String role : ROLES) {
                RoleKeys rk = roles.get(role);
                if (rk == null) {
                    throw new RepositoryException(RepositoryException.Code.BAD_KEYS, "no keys for role " + role);
                }
                roleMap.put(role, roleObject(rk, keys));
            }
            Map<String, Object> root = signed("root", 1, "root");
            root.put("keys", keys);
            root.put("roles", roleMap);
            root.put("consistent_snapshot", true);
            State s = new State();
            s.root = root;
            s.targets = signed("targets", 0, "targets");
            s.targets.put("targets", new TreeMap<String, Object>());
            s.snapshot = signed("snapshot", 0, "snapshot");
            s.timestamp = signed("timestamp", 0, "timestamp");
            checkSigners(root, null, signers, "targets", "snapshot", "timestamp");
            checkSigners(root, root, signers, "root");
            writeChain(s, true, signers);
            write("1.root.json", envelope(root, root, null, signers));
            commitTimestamp(s, signers);
            return metadata.resolve("1.root.json");
        }
    }

    /**
     * Adds a bundle as target {@code targetPath} with {@code custom} data and publishes new
     * targets, snapshot and timestamp metadata.
     */
    public Published publish(Path bundle, String targetPath, Map<String, Object> custom, List<SigningKey> signers)
            throws RepositoryException, IOException {
        if (!TARGET_PATH.matcher(targetPath).matches()) {
            throw new IllegalArgumentException("target path '" + targetPath + "': lower-case letters, digits, . _ - and /");
        }
        try (Lock l = lock()) {
            State s = load();
            checkSigners(s.root, null, signers, "targets", "snapshot", "timestamp");
            // Stage the copy first and hash what was copied: the published bytes are exactly the
            // hashed bytes even if the source file changes meanwhile.
            Files.createDirectories(targets);
            Path staged = Files.createTempFile(targets, ".publish-", ".tmp");
            Path file;
            long length;
            String sha;
            try {
                Files.copy(bundle, staged, StandardCopyOption.REPLACE_EXISTING);
                fsync(staged);
                length = Files.size(staged);
                sha = sha256(staged);
                @SuppressWarnings("unchecked")
                Map<String, Object> existing = (Map<String, Object>) s.targets.get("targets");
                Object old = existing.get(targetPath);
                if (old != null) {
                    Object oldSha = ((Map<?, ?>) ((Map<?, ?>) old).get("hashes")).get("sha256");
                    throw new RepositoryException(RepositoryException.Code.TARGET_EXISTS, "target " + targetPath
                            + " is already published" + (sha.equals(oldSha) ? " with these bytes"
                                    : " with other bytes (sha256 " + oldSha + ")"));
                }
                int slash = targetPath.lastIndexOf('/');
                file = targets.resolve(targetPath.substring(0, slash + 1) + sha + "." + targetPath.substring(slash + 1));
                Files.createDirectories(file.getParent());
                Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(staged);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> entries = new TreeMap<>((Map<String, Object>) s.targets.get("targets"));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("length", length);
            entry.put("hashes", Map.of("sha256", sha));
            entry.put("custom", custom);
            entries.put(targetPath, entry);
            s.targets.put("targets", entries);
            writeChain(s, true, signers);
            commitTimestamp(s, signers);
            return new Published(targetPath, length, sha, version(s.targets), version(s.timestamp));
        }
    }

    /**
     * Replaces the keys of {@code role} with {@code newKeys}: writes root version N+1 signed by a
     * threshold of the old and of the new root keys (§5.3.4), then re-signs the role's metadata
     * and those that pin it (targets → snapshot → timestamp) with the new keys.
     *
     * @return the new root version
     */
    public long rotate(String role, RoleKeys newKeys, List<SigningKey> signers) throws RepositoryException, IOException {
        try (Lock l = lock()) {
            State s = load();
            Map<String, Object> oldRoot = s.root;
            Map<String, Object> root = copy(oldRoot);
            root.put("version", version(oldRoot) + 1);
            root.put("expires", expires("root"));
            @SuppressWarnings("unchecked")
            Map<String, Object> roleMap = new LinkedHashMap<>((Map<String, Object>) root.get("roles"));
            Map<String, Object> keys = new TreeMap<>();
            roleMap.put(role, roleObject(newKeys, keys));
            // Keep only keys some role still names.
            @SuppressWarnings("unchecked")
            Map<String, Object> oldKeys = (Map<String, Object>) oldRoot.get("keys");
            for (String r : ROLES) {
                if (!r.equals(role)) {
                    for (Object id : (List<?>) ((Map<?, ?>) roleMap.get(r)).get("keyids")) {
                        keys.put((String) id, oldKeys.get(id));
                    }
                }
            }
            root.put("keys", keys);
            root.put("roles", roleMap);
            s.root = root;
            checkSigners(oldRoot, root, signers, "root");
            List<String> resign = new ArrayList<>();
            if (role.equals("targets")) {
                resign.add("targets");
            }
            if (!role.equals("root") && !role.equals("timestamp")) {
                resign.add("snapshot");
            }
            if (!role.equals("root")) {
                resign.add("timestamp");
            }
            checkSigners(root, null, signers, resign.toArray(new String[0]));
            if (role.equals("targets") || role.equals("snapshot")) {
                writeChain(s, role.equals("targets"), signers);
            }
            write(version(root) + ".root.json", envelope(root, oldRoot, root, signers));
            commitTimestamp(s, signers);
            return version(root);
        }
    }

    /** Re-signs {@code timestamp.json} with a new version and expiry, pinning the same snapshot. */
    public long refreshTimestamp(List<SigningKey> signers) throws RepositoryException, IOException {
        try (Lock l = lock()) {
            State s = load();
            checkSigners(s.root, null, signers, "timestamp");
            commitTimestamp(s, signers);
            return version(s.timestamp);
        }
    }

    // ------------------------------------------------------------------ state

    private static final class State {
        Map<String, Object> root;
        Map<String, Object> targets;
        Map<String, Object> snapshot;
        Map<String, Object> timestamp;
        byte[] snapshotBytes;
    }

    private State load() throws RepositoryException, IOException {
        if (!Files.exists(metadata.resolve("1.root.json"))) {
            throw new RepositoryException(RepositoryException.Code.NOT_INITIALISED,
                    metadata + ": no repository here (run 'satchel repo init')");
        }
        State s = new State();
        long n = 1;
        while (Files.exists(metadata.resolve((n + 1) + ".root.json"))) {
            n++;
        }
        s.root = read(n + ".root.json");
        s.timestamp = read("timestamp.json");
        s.snapshot = read(metaVersion(s.timestamp, "snapshot.json") + ".snapshot.json");
        s.targets = read(metaVersion(s.snapshot, "targets.json") + ".targets.json");
        return s;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String name) throws RepositoryException, IOException {
        try {
            Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readAllBytes(metadata.resolve(name)));
            return copy((Map<String, Object>) doc.get("signed"));
        } catch (JsonException | ClassCastException | java.nio.file.NoSuchFileException ex) {
            throw new RepositoryException(RepositoryException.Code.CORRUPT, metadata.resolve(name) + ": " + ex.getMessage(), ex);
        }
    }

    private static long metaVersion(Map<String, Object> signed, String file) throws RepositoryException {
        try {
            return ((BigDecimal) ((Map<?, ?>) ((Map<?, ?>) signed.get("meta")).get(file)).get("version")).longValueExact();
        } catch (RuntimeException ex) {
            throw new RepositoryException(RepositoryException.Code.CORRUPT, "no version for " + file, ex);
        }
    }

    private static long version(Map<String, Object> signed) {
        Object v = signed.get("version");
        return v instanceof BigDecimal ? ((BigDecimal) v).longValueExact() : ((Number) v).longValue();
    }

    /** Deep mutable copy of parsed JSON (parsed maps are unmodifiable). */
    @SuppressWarnings("unchecked")
    private static <T> T copy(T v) {
        if (v instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                m.put(e.getKey(), copy(e.getValue()));
            }
            return (T) m;
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object o : (List<Object>) v) {
                l.add(copy(o));
            }
            return (T) l;
        }
        return v;
    }

    // ------------------------------------------------------------------ writing

    private Map<String, Object> signed(String type, long version, String expiryRole) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_type", type);
        m.put("spec_version", SPEC_VERSION);
        m.put("version", version);
        m.put("expires", expires(expiryRole));
        return m;
    }

    private String expires(String role) {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(expiry.get(role)).toString();
    }

    private static Map<String, Object> roleObject(RoleKeys rk, Map<String, Object> keys) {
        List<Object> ids = new ArrayList<>();
        for (PublicKeyInfo k : rk.keys()) {
            String id = TufKey.keyIdOf(k);
            keys.put(id, TufKey.keyObject(k));
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        ids.sort(null);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("keyids", ids);
        r.put("threshold", rk.threshold());
        return r;
    }

    /** Writes new targets (if {@code targetsChanged}) and snapshot versions, not yet referenced by timestamp. */
    private void writeChain(State s, boolean targetsChanged, List<SigningKey> signers) throws RepositoryException, IOException {
        if (targetsChanged) {
            s.targets.put("version", version(s.targets) + 1);
            s.targets.put("expires", expires("targets"));
        }
        byte[] t = envelope(s.targets, s.root, null, signers);
        if (targetsChanged) {
            write(version(s.targets) + ".targets.json", t);
        }
        s.snapshot.put("version", version(s.snapshot) + 1);
        s.snapshot.put("expires", expires("snapshot"));
        s.snapshot.put("meta", Map.of("targets.json", metaFile(version(s.targets), readBack(version(s.targets) + ".targets.json"))));
        s.snapshotBytes = envelope(s.snapshot, s.root, null, signers);
        write(version(s.snapshot) + ".snapshot.json", s.snapshotBytes);
    }

    /** The last write: its atomic rename is what publishes the new state to clients. */
    private void commitTimestamp(State s, List<SigningKey> signers) throws RepositoryException, IOException {
        byte[] snap = s.snapshotBytes != null ? s.snapshotBytes : readBack(version(s.snapshot) + ".snapshot.json");
        s.timestamp.put("version", version(s.timestamp) + 1);
        s.timestamp.put("expires", expires("timestamp"));
        s.timestamp.put("meta", Map.of("snapshot.json", metaFile(version(s.snapshot), snap)));
        write("timestamp.json", envelope(s.timestamp, s.root, null, signers));
    }

    private byte[] readBack(String name) throws IOException {
        return Files.readAllBytes(metadata.resolve(name));
    }

    private static Map<String, Object> metaFile(long version, byte[] bytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("length", (long) bytes.length);
        m.put("hashes", Map.of("sha256", TufKey.hex(sha256(bytes))));
        return m;
    }

    /**
     * Signs {@code signed} with every given key that {@code root} (and {@code newRoot}, for a root
     * rotation) lists for the role; one signature per key.
     */
    private static byte[] envelope(Map<String, Object> signed, Map<String, Object> root, Map<String, Object> newRoot,
            List<SigningKey> signers) throws RepositoryException {
        String role = (String) signed.get("_type");
        Set<String> allowed = new LinkedHashSet<>(keyIds(root, role));
        if (newRoot != null) {
            allowed.addAll(keyIds(newRoot, role));
        }
        byte[] canonical = CanonicalJson.encode(signed);
        List<Object> sigs = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (SigningKey k : signers) {
            String id = TufKey.keyIdOf(k.publicKey());
            if (allowed.contains(id) && done.add(id)) {
                try {
                    Map<String, Object> sig = new LinkedHashMap<>();
                    sig.put("keyid", id);
                    sig.put("sig", TufKey.hex(k.sign(canonical)));
                    sigs.add(sig);
                } catch (SigningException ex) {
                    throw new RepositoryException(RepositoryException.Code.SIGNING_FAILED, ex.getMessage(), ex);
                }
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("signatures", sigs);
        doc.put("signed", signed);
        return (Json.writePretty(doc) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> keyIds(Map<String, Object> root, String role) {
        List<String> out = new ArrayList<>();
        for (Object id : (List<?>) ((Map<?, ?>) ((Map<?, ?>) root.get("roles")).get(role)).get("keyids")) {
            out.add((String) id);
        }
        return out;
    }

    private static int threshold(Map<String, Object> root, String role) {
        Object t = ((Map<?, ?>) ((Map<?, ?>) root.get("roles")).get(role)).get("threshold");
        return t instanceof BigDecimal ? ((BigDecimal) t).intValueExact() : ((Number) t).intValue();
    }

    /** Fails before anything is written unless the signers meet each role's threshold (and the new root's). */
    private static void checkSigners(Map<String, Object> root, Map<String, Object> newRoot, List<SigningKey> signers,
            String... roles) throws RepositoryException {
        Set<String> have = new LinkedHashSet<>();
        for (SigningKey k : signers) {
            have.add(TufKey.keyIdOf(k.publicKey()));
        }
        List<Map<String, Object>> roots = new ArrayList<>();
        roots.add(root);
        if (newRoot != null && newRoot != root) {
            roots.add(newRoot);
        }
        for (Map<String, Object> r : roots) {
            for (String role : roles) {
                List<String> ids = keyIds(r, role);
                int count = 0;
                for (String id : ids) {
                    count += have.contains(id) ? 1 : 0;
                }
                if (count < threshold(r, role)) {
                    throw new RepositoryException(RepositoryException.Code.KEYS_MISSING, role + " (root version "
                            + version(r) + ") needs " + threshold(r, role) + " of the keys " + ids + "; given "
                            + count + " of them");
                }
            }
        }
    }

    private void write(String name, byte[] bytes) throws IOException {
        Path file = metadata.resolve(name);
        if (!name.equals("timestamp.json") && Files.exists(file)) {
            throw new IOException(file + " exists: versioned metadata is never rewritten");
        }
        Path tmp = metadata.resolve("." + name + ".tmp");
        Files.write(tmp, bytes);
        fsync(tmp);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = sha();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return TufKey.hex(md.digest());
    }

    private static byte[] sha256(byte[] b) {
        return sha().digest(b);
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private interface Lock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private Lock lock() throws IOException {
        Files.createDirectories(metadata);
        FileChannel ch = FileChannel.open(metadata.getParent().resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock fl;
        try {
            fl = ch.tryLock();
        } catch (IOException ex) {
            ch.close();
            throw ex;
        }
        if (fl == null) {
            ch.close();
            throw new IOException(metadata.getParent() + ": another satchel process is writing this repository");
        }
        return () -> {
            fl.release();
            ch.close();
        };
    }
}
