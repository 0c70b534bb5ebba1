package dev.satchel.verifier.update;

import dev.satchel.verifier.bundle.DeviceFacts;
import dev.satchel.verifier.bundle.VerificationException;
import dev.satchel.verifier.bundle.VerifiedBundle;
import dev.satchel.verifier.json.JsonArray;
import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.json.JsonObject;
import dev.satchel.verifier.store.ModelStore;
import dev.satchel.verifier.store.StoreStatus;
import dev.satchel.verifier.update.Metadata.FileInfo;
import dev.satchel.verifier.update.UpdateException.Code;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The device's TUF client (spec §5 "Detailed client workflow"): from a trusted root it updates
 * root, timestamp, snapshot and targets metadata, picks the newest bundle for this model whose
 * device claims fit, downloads it within its signed length, checks its hashes, and installs it
 * through a {@link ModelStore} (which verifies the bundle's own signature and refuses rollbacks).
 *
 * <p>Repository layout (docs/update-repository.md): {@code REPO/metadata/} holds
 * {@code N.root.json}, {@code timestamp.json}, {@code N.snapshot.json}, {@code N.targets.json};
 * {@code REPO/targets/} holds {@code DIR/SHA256.NAME} files. Trusted metadata persists in a local
 * directory ({@code root.json}, {@code timestamp.json}, {@code snapshot.json}, {@code targets.json},
 * partial downloads in {@code downloads/}).
 *
 * <p>Guarantees: nothing is installed unless a threshold of the keys of a root chain leading back
 * to the trusted root signed (through timestamp, snapshot and targets) its exact length and
 * hashes, with no version going down and no metadata expired at the update's start time (the
 * injected {@link Clock}, read once). Each failure has its own {@link UpdateException.Code}; after
 * any failure the trusted metadata and the store are consistent and the update can be retried.
 * Not guaranteed: freshness on a device whose clock is wrong; delegated targets roles are not
 * followed (only bundles listed by the top-level targets role are considered).
 *
 * <p>Immutable; {@link #update} is not meant to run concurrently on one metadata directory.
 */
public final class UpdateClient {
    private static final Pattern TARGET_PATH = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private final URL metadataBase;
    private final URL targetBase;
    private final Path dir;
    private final Clock clock;
    private final DeviceFacts device;
    private final String modelName;
    private final HttpFetcher fetcher;
    private final long maxBundleBytes;

    private UpdateClient(Builder b) throws MalformedURLException {
        String base = b.repository.toString().endsWith("/") ? b.repository.toString() : b.repository + "/";
        metadataBase = new URL(base + "metadata/");
        targetBase = new URL(base + "targets/");
        dir = b.metadataDir;
        clock = b.clock;
        device = b.device;
        modelName = b.modelName;
        fetcher = new HttpFetcher(b.connectTimeoutMs, b.readTimeoutMs, b.fileBudgetMs);
        maxBundleBytes = b.maxBundleBytes;
    }

    /** A client for the repository at {@code repository} keeping trusted metadata in {@code metadataDir}. */
    public static Builder builder(URL repository, Path metadataDir) {
        return new Builder(repository, metadataDir);
    }

    /** Options; secure defaults. Not thread-safe. */
    public static final class Builder {
        private final URL repository;
        private final Path metadataDir;
        private Clock clock = Clock.systemUTC();
        private DeviceFacts device = DeviceFacts.unknown();
        private String modelName;
        private int connectTimeoutMs = 15_000;
        private int readTimeoutMs = 30_000;
        private long fileBudgetMs = 30 * 60_000L;
        private long maxBundleBytes = 4L << 30;

        private Builder(URL repository, Path metadataDir) {
            this.repository = repository;
            this.metadataDir = metadataDir;
        }

        /** The clock read once at the start of each update for every expiry check. */
        public Builder clock(Clock c) {
            clock = c;
            return this;
        }

        public Builder device(DeviceFacts d) {
            device = d;
            return this;
        }

        /** The model to update; by default the store's, or the only model the repository lists. */
        public Builder modelName(String name) {
            modelName = name;
            return this;
        }

        /**
         * Connect and per-read timeouts, and the time budget of one whole file (metadata or bundle);
         * defaults 15 s, 30 s and 30 min.
         */
        public Builder timeouts(int connectMs, int readMs, long perFileMs) {
            if (connectMs < 1 || readMs < 1 || perFileMs < 1) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            connectTimeoutMs = connectMs;
            readTimeoutMs = readMs;
            fileBudgetMs = perFileMs;
            return this;
        }

        /** The largest bundle this device downloads, whatever targets metadata says; default 4 GiB. */
        public Builder maxBundleBytes(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxBundleBytes must be positive");
            }
            maxBundleBytes = n;
            return this;
        }

        public UpdateClient build() {
            try {
                return new UpdateClient(this);
            } catch (MalformedURLException ex) {
                throw new IllegalArgumentException("repository URL: " + ex.getMessage(), ex);
            }
        }
    }

    /**
     * Installs the trusted root shipped with the app into {@code metadataDir} unless a root of
     * the same or a newer version is already trusted there (§5.2: the shipped root is where trust
     * starts; roots learnt since then are newer).
     *
     * @throws UpdateException {@code TRUSTED_ROOT_INVALID} if {@code rootJson} is not root
     *     metadata signed by a threshold of its own root keys
     */
    public static void trustRoot(Path metadataDir, byte[] rootJson) throws UpdateException, IOException {
        Metadata shipped;
        try {
            shipped = Metadata.parse("trusted root", rootJson, Metadata.ROOT);
            shipped.verifySignedBy(shipped, Metadata.ROOT, Code.TRUSTED_ROOT_INVALID);
        } catch (UpdateException ex) {
            throw new UpdateException(Code.TRUSTED_ROOT_INVALID, ex.getMessage(), ex);
        }
        Files.createDirectories(metadataDir);
        Path current = metadataDir.resolve("root.json");
        if (Files.exists(current)) {
            try {
                if (Metadata.parse("root.json", Files.readAllBytes(current), Metadata.ROOT).version >= shipped.version) {
                    return;
                }
            } catch (UpdateException ex) {
                // a damaged local root is replaced by the shipped one
            }
        }
        writeAtomically(current, rootJson);
    }

    /**
     * Runs one update cycle against {@code store}.
     *
     * @return what was installed, or that nothing newer fits this device
     * @throws UpdateException with the code of the first check that failed
     * @throws IOException if the local metadata directory cannot be read or written
     */
    public UpdateResult update(ModelStore store) throws UpdateException, IOException {
        Instant now = clock.instant(); // §5.1: one fixed update start time for every expiry check
        Metadata root = loadRoot();
        // §5.3 root chain: N+1 signed by a threshold of N's root keys and of its own, version exactly N+1.
        for (int i = 0; i < 256; i++) {
            long next = root.version + 1;
            String name = next + ".root.json";
            byte[] bytes = fetcher.fetch(meta(name), 512_000, name);
            if (bytes == null) {
                break;
            }
            Metadata newRoot = Metadata.parse(name, bytes, Metadata.ROOT);
            newRoot.verifySignedBy(root, Metadata.ROOT, Code.UNTRUSTED_ROOT);
            newRoot.verifySignedBy(newRoot, Metadata.ROOT, Code.THRESHOLD_NOT_MET);
            if (newRoot.version != next) {
                throw new UpdateException(newRoot.version < next ? Code.ROLLBACK : Code.VERSION_MISMATCH,
                        name + ": version expected " + next + ", got " + newRoot.version);
            }
            writeAtomically(dir.resolve("root.json"), bytes);
            // §5.3.11: after a timestamp or snapshot key rotation, forget what the old keys signed
            // (recovery from a fast-forward attack with a compromised key).
            if (!sameKeys(root, newRoot, Metadata.TIMESTAMP) || !sameKeys(root, newRoot, Metadata.SNAPSHOT)) {
                Files.deleteIfExists(dir.resolve("timestamp.json"));
                Files.deleteIfExists(dir.resolve("snapshot.json"));
            }
            root = newRoot;
        }
        root.checkNotExpired(now); // §5.3.10 freeze check on the final root

        // §5.4 timestamp
        Metadata trustedTs = loadTrusted("timestamp.json", Metadata.TIMESTAMP, root);
        byte[] tsBytes = require(fetcher.fetch(meta("timestamp.json"), 16_384, "timestamp.json"), "timestamp.json");
        Metadata ts = Metadata.parse("timestamp.json", tsBytes, Metadata.TIMESTAMP);
        ts.verifySignedBy(root, Metadata.TIMESTAMP, Code.THRESHOLD_NOT_MET);
        if (trustedTs != null) {
            if (ts.version < trustedTs.version) {
                throw new UpdateException(Code.ROLLBACK, "timestamp.json: version " + ts.version
                        + " is below the trusted version " + trustedTs.version);
            }
            long trustedSnap = trustedTs.files.get("snapshot.json").version;
            if (ts.version == trustedTs.version) {
                // §5.4.3.1: an equal version is discarded; we go on with the trusted one, so nothing
                // new is accepted but a target it already pins can still be installed.
                ts = trustedTs;
            } else if (ts.files.get("snapshot.json").version < trustedSnap) {
                throw new UpdateException(Code.ROLLBACK, "timestamp.json: names snapshot version "
                        + ts.files.get("snapshot.json").version + ", below the trusted " + trustedSnap);
            }
        }
        ts.checkNotExpired(now);
        if (ts != trustedTs) {
            writeAtomically(dir.resolve("timestamp.json"), ts.raw);
        }

        // §5.5 snapshot
        FileInfo snapInfo = ts.files.get("snapshot.json");
        Metadata snap = fetchPinned(root, snapInfo, Metadata.SNAPSHOT, 2_000_000);
        Metadata trustedSnap = loadTrusted("snapshot.json", Metadata.SNAPSHOT, root);
        if (trustedSnap != null) {
            for (FileInfo old : trustedSnap.files.values()) {
                FileInfo now2 = snap.files.get(old.path);
                if (now2 == null || now2.version < old.version) {
                    throw new UpdateException(Code.ROLLBACK, snap.name + ": " + old.path + " version "
                            + (now2 == null ? "missing" : now2.version) + ", the trusted snapshot has " + old.version);
                }
            }
        }
        snap.checkNotExpired(now);
        writeAtomically(dir.resolve("snapshot.json"), snap.raw);

        // §5.6 targets (top-level role only; delegations are not followed)
        Metadata targets = fetchPinned(root, snap.files.get("targets.json"), Metadata.TARGETS, 5_000_000);
        targets.checkNotExpired(now);
        writeAtomically(dir.resolve("targets.json"), targets.raw);

        FileInfo chosen = choose(targets, store.status());
        if (chosen == null) {
            return new UpdateResult(root.version, targets.version, null, null);
        }
        Path part = download(root, chosen);
        VerifiedBundle installed;
        try {
            try {
                installed = store.installByMove(part, device); // no second copy of a large model
            } catch (java.nio.file.AtomicMoveNotSupportedException ex) {
                installed = store.install(part, device); // the store is on another filesystem
            }
        } catch (VerificationException ex) {
            String code = ex.code().name();
            if (!code.equals("DEVICE_EXCLUDED") && !code.equals("STORE_CORRUPT")) {
                // Refused for what the bytes are (signature, format, model name, below the rollback
                // floor): never download them again. Device facts can change, so that refusal is not kept.
                Path refused = dir.resolve("refused");
                String before = Files.exists(refused) ? new String(Files.readAllBytes(refused), StandardCharsets.UTF_8) : "";
                writeAtomically(refused, (before + chosen.hashes.get("sha256") + " " + code + " " + chosen.path + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            throw new UpdateException(Code.INSTALL_REFUSED, "target " + chosen.path + ": " + ex.code() + ": "
                    + ex.getMessage(), ex);
        } finally {
            Files.deleteIfExists(part);
        }
        return new UpdateResult(root.version, targets.version, chosen.path, installed);
    }

    private Metadata loadRoot() throws UpdateException, IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve("root.json"));
        } catch (NoSuchFileException ex) {
            throw new UpdateException(Code.TRUSTED_ROOT_INVALID, dir.resolve("root.json") + ": no trusted root", ex);
        }
        try {
            Metadata root = Metadata.parse("root.json", bytes, Metadata.ROOT);
            root.verifySignedBy(root, Metadata.ROOT, Code.TRUSTED_ROOT_INVALID);
            return root;
        } catch (UpdateException ex) {
            throw new UpdateException(Code.TRUSTED_ROOT_INVALID, ex.getMessage(), ex);
        }
    }

    /** A persisted file that still verifies with the current root, else {@code null} (treated as absent). */
    private Metadata loadTrusted(String file, String type, Metadata root) throws IOException {
        Path p = dir.resolve(file);
        if (!Files.exists(p)) {
            return null;
        }
        try {
            Metadata m = Metadata.parse(file, Files.readAllBytes(p), type);
            m.verifySignedBy(root, type, Code.THRESHOLD_NOT_MET);
            return m;
        } catch (UpdateException ex) {
            return null;
        }
    }

    /** Fetches snapshot or targets as pinned by its referrer: length cap, hashes, signatures, version. */
    private Metadata fetchPinned(Metadata root, FileInfo pin, String type, long defaultCap) throws UpdateException {
        String name = root.consistentSnapshot ? pin.version + "." + type + ".json" : type + ".json";
        byte[] bytes = require(fetcher.fetch(meta(name), pin.length >= 0 ? pin.length : defaultCap, name), name);
        String mismatch = Metadata.mismatch(pin, bytes);
        if (mismatch != null) {
            throw new UpdateException(Code.METADATA_MISMATCH, name + ": " + mismatch + " (as pinned by "
                    + (type.equals(Metadata.SNAPSHOT) ? "timestamp" : "snapshot") + ")");
        }
        Metadata m = Metadata.parse(name, bytes, type);
        m.verifySignedBy(root, type, Code.THRESHOLD_NOT_MET);
        if (m.version != pin.version) {
            throw new UpdateException(Code.VERSION_MISMATCH, name + ": version " + m.version + ", expected "
                    + pin.version);
        }
        return m;
    }

    private static boolean sameKeys(Metadata a, Metadata b, String role) {
        return a.roles.get(role).keyIds.equals(b.roles.get(role).keyIds)
                && a.roles.get(role).threshold == b.roles.get(role).threshold;
    }

    /** The newest target for this model above the store's rollback floor whose claims fit the device. */
    private FileInfo choose(Metadata targets, StoreStatus status) throws UpdateException, IOException {
        String name = modelName != null ? modelName : status.name();
        long floor = Math.max(status.highest(), status.current());
        FileInfo best = null;
        long bestVersion = 0;
        String onlyName = null;
        Path refusedFile = dir.resolve("refused");
        String refused = Files.exists(refusedFile) ? new String(Files.readAllBytes(refusedFile), StandardCharsets.UTF_8) : "";
        try {
            for (FileInfo t : targets.files.values()) {
                JsonObject s = t.custom == null ? null : t.custom.optObject("satchel");
                String sha = t.hashes.get("sha256");
                if (s == null || !TARGET_PATH.matcher(t.path).matches() || (sha != null && refused.contains(sha + " "))) {
                    continue;
                }
                String n = s.string("name");
                if (name == null) {
                    if (onlyName != null && !onlyName.equals(n)) {
                        throw new IllegalArgumentException("the repository lists several models ('" + onlyName
                                + "', '" + n + "'): name the one to update");
                    }
                    onlyName = n;
                } else if (!n.equals(name)) {
                    continue;
                }
                long v = s.longValue("version", 1, Long.MAX_VALUE);
                if (v > floor && v > bestVersion && runtimeFits(s.optString("minOnnxRuntime"))
                        && excludes(s.optObject("compatibility"), device) == null) {
                    best = t;
                    bestVersion = v;
                }
            }
        } catch (JsonException ex) {
            throw new UpdateException(Code.METADATA_INVALID, targets.name + ": " + ex.getMessage(), ex);
        }
        return best;
    }

    /**
     * Whether the device's ONNX Runtime (if known) is at least {@code min} ({@code MAJOR.MINOR.PATCH},
     * the manifest's {@code minOnnxRuntime}); the store applies the same rule to the signed manifest.
     */
    private boolean runtimeFits(String min) {
        int[] have = device.onnxRuntime();
        if (have == null || min == null) {
            return true;
        }
        String[] need = min.split("\\.");
        for (int i = 0; i < 3 && i < need.length; i++) {
            int n;
            try {
                n = Integer.parseInt(need[i]);
            } catch (NumberFormatException ex) {
                return false;
            }
            if (have[i] != n) {
                return have[i] > n;
            }
        }
        return true;
    }

    /**
     * Why a target's device claims ({@code custom.satchel.compatibility}, the manifest's
     * {@code compatibility} object) exclude {@code d}, or {@code null}. The same rules as
     * {@code Manifest.Compatibility#excludes} (docs/bundle-format.md §5.3), applied before download;
     * the store applies them again to the signed manifest.
     */
    static String excludes(JsonObject compat, DeviceFacts d) throws JsonException {
        if (compat == null) {
            return null;
        }
        JsonArray devices = compat.optArray("devices");
        if (d.profileId() != null && devices != null) {
            for (int i = 0; i < devices.size(); i++) {
                JsonObject c = devices.object(i);
                if (c.string("profile").equals(d.profileId())) {
                    return c.bool("compatible") ? null : "profile '" + d.profileId() + "' is claimed incompatible";
                }
            }
        }
        long minRam = compat.has("minRamBytes") ? compat.longValue("minRamBytes", 0, Long.MAX_VALUE) : 0;
        if (d.ramBytes() >= 0 && minRam > 0 && d.ramBytes() < minRam) {
            return "device RAM " + d.ramBytes() + " is below " + minRam;
        }
        JsonArray eps = compat.optArray("executionProviders");
        if (!d.executionProviders().isEmpty() && eps != null && eps.size() > 0) {
            for (int i = 0; i < eps.size(); i++) {
                if (d.executionProviders().contains(eps.string(i).toLowerCase(Locale.ROOT))) {
                    return null;
                }
            }
            return "no execution provider in common";
        }
        return null;
    }

    /** §5.7: download at most the signed length (resuming a partial file), then check length and hashes. */
    private Path download(Metadata root, FileInfo t) throws UpdateException, IOException {
        if (t.length > maxBundleBytes) {
            throw new UpdateException(Code.TOO_LARGE, "target " + t.path + ": " + t.length
                    + " bytes, this device accepts at most " + maxBundleBytes);
        }
        String sha = t.hashes.get("sha256");
        if (sha == null || !sha.matches("[0-9a-f]{64}")) {
            throw new UpdateException(Code.METADATA_INVALID, "target " + t.path + ": no sha256 hash");
        }
        Path downloads = dir.resolve("downloads");
        Files.createDirectories(downloads);
        Path part = downloads.resolve(sha + ".part");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(downloads)) {
            for (Path p : ds) {
                if (!p.equals(part)) {
                    Files.deleteIfExists(p); // a partial download of another target is never resumed
                }
            }
        }
        int slash = t.path.lastIndexOf('/');
        // §6.2 consistent snapshots: targets are fetched as DIR/HASH.NAME.
        String remote = root.consistentSnapshot
                ? t.path.substring(0, slash + 1) + sha + "." + t.path.substring(slash + 1) : t.path;
        String sha256 = TufKey.hex(fetcher.download(new URL(targetBase, remote), part, t.length, "target " + t.path));
        String mismatch = null;
        long size = Files.size(part);
        if (size != t.length) {
            mismatch = "length expected " + t.length + ", got " + size;
        } else {
            for (Map.Entry<String, String> h : t.hashes.entrySet()) {
                // SHA-256 was computed while downloading; other listed algorithms read the file again.
                String got = h.getKey().equals("sha256") ? sha256 : digest(part, h.getKey());
                if (got != null && !got.equalsIgnoreCase(h.getValue())) {
                    mismatch = h.getKey() + " expected " + h.getValue() + ", got " + got;
                    break;
                }
            }
        }
        if (mismatch != null) {
            Files.deleteIfExists(part);
            throw new UpdateException(Code.TARGET_MISMATCH, "target " + t.path + ": " + mismatch);
        }
        return part;
    }

    private static String digest(Path file, String alg) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(alg.toUpperCase(Locale.ROOT).replace("SHA", "SHA-"));
        } catch (NoSuchAlgorithmException ex) {
            return null;
        }
        byte[] buf = new byte[256 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return TufKey.hex(md.digest());
    }

    private URL meta(String name) throws UpdateException {
        try {
            return new URL(metadataBase, name);
        } catch (MalformedURLException ex) {
            throw new UpdateException(Code.METADATA_INVALID, name + ": " + ex.getMessage(), ex);
        }
    }

    private static byte[] require(byte[] bytes, String name) throws UpdateException {
        if (bytes == null) {
            throw new UpdateException(Code.NETWORK, name + ": not found on the server (HTTP 404/403)");
        }
        return bytes;
    }

    /** Temp file, fsync, atomic rename: a reader sees the old or the new file, never a mix. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
