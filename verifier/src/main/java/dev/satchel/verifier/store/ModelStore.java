package dev.satchel.verifier.store;

import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.DeviceFacts;
import dev.satchel.verifier.bundle.Manifest;
import dev.satchel.verifier.bundle.RejectionCode;
import dev.satchel.verifier.bundle.VerificationException;
import dev.satchel.verifier.bundle.VerifiedBundle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Installs verified bundles of one model into a directory on the device (docs/bundle-format.md §8).
 *
 * <p>Layout: {@code store.state} (the commit record), {@code v<N>.bundle} (installed bundles,
 * immutable once renamed into place), {@code staging/} (installs in progress), {@code store.lock}.
 *
 * <p>Guarantees, following the A/B promises of Mender, RAUC and SWUpdate for files rather than
 * partitions:
 * <ul>
 *   <li>Verify before touching the live copy: a bundle is verified while it is copied into
 *       {@code staging/} (one pass; the bytes verified are the bytes written), then fsynced,
 *       renamed to {@code v<N>.bundle} and the directory fsynced. Only then is the commit record
 *       replaced (write temp, fsync, rename, fsync directory). The rename of {@code store.state}
 *       is the commit point: before it the store is the old version, after it the new one.</li>
 *   <li>Power loss at any instant: {@link #open} re-verifies the committed bundle with the
 *       device code, deletes staging leftovers and bundles the record does not reference, and
 *       falls back to the last-good version if the committed one fails verification.</li>
 *   <li>Rollback: a bundle must have a version above the highest ever committed (persisted in
 *       the record), except that the highest version itself may be re-installed after a
 *       fallback (a repair, not a downgrade). A different model name is refused.</li>
 *   <li>Device fit: a bundle whose compatibility claims exclude the device facts is refused.</li>
 * </ul>
 * Not guaranteed: protection against an attacker who can write the store directory (they can
 * reset the rollback floor); keep the store in app-private storage.
 *
 * <p>Thread-safe (methods synchronise); across processes an exclusive file lock on
 * {@code store.lock} serialises opens and installs.
 */
public final class ModelStore implements AutoCloseable {
    static final String STATE = "store.state";
    static final String STATE_TMP = "store.state.tmp";
    static final String STAGING = "staging";
    static final String LOCK = "store.lock";
    private static final String MAGIC = "satchel-store 1";
    private static final String MAGIC_2 = "satchel-store 2";

    private final Path dir;
    private final BundleVerifier verifier;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private State state;
    private VerifiedBundle current;
    private String fallbackReason;
    private int trialAttempts = -1;

    private ModelStore(Path dir, BundleVerifier verifier, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.verifier = verifier;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) the store in {@code dir}, recovering from any interrupted install.
     * Holds an exclusive lock on the store until {@link #close()}.
     *
     * @param expectedName the model this store holds, or {@code null} to accept whatever it holds
     *     (the first install then decides)
     * @throws VerificationException {@link RejectionCode#WRONG_MODEL} if the store holds another
     *     model; {@link RejectionCode#STORE_CORRUPT} if the commit record is damaged, or if neither
     *     the committed nor the last-good bundle verifies (the store is then unusable until
     *     {@link #reset})
     */
    public static ModelStore open(Path dir, String expectedName, BundleVerifier verifier)
            throws IOException, VerificationException {
        Files.createDirectories(dir.resolve(STAGING));
        FileChannel lc = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lc.lock();
        } catch (IOException | RuntimeException ex) {
            lc.close();
            throw ex;
        }
        ModelStore store = new ModelStore(dir, verifier, lc, lock);
        try {
            store.recover(expectedName);
            return store;
        } catch (IOException | VerificationException | RuntimeException ex) {
            store.close();
            throw ex;
        }
    }

    private void recover(String expectedName) throws IOException, VerificationException {
        deleteQuietly(dir.resolve(STATE_TMP));
        clearStaging();
        state = State.read(dir.resolve(STATE));
        if (expectedName != null && state.name != null && !state.name.equals(expectedName)) {
            throw new VerificationException(RejectionCode.WRONG_MODEL, "store " + dir + " holds model '"
                    + state.name + "', expected '" + expectedName + "'");
        }
        if (state.current != 0) {
            try {
                current = verifyInstalled(state.current);
            } catch (VerificationException | IOException ex) {
                fallbackReason = "v" + state.current + ": " + ex;
                if (state.previous == 0) {
                    throw new VerificationException(RejectionCode.STORE_CORRUPT, "store " + dir + ": installed v"
                            + state.current + " fails verification and there is no last-good version: " + ex, ex);
                }
                try {
                    current = verifyInstalled(state.previous);
                } catch (VerificationException | IOException ex2) {
                    throw new VerificationException(RejectionCode.STORE_CORRUPT, "store " + dir + ": neither v"
                            + state.current + " (" + ex + ") nor last-good v" + state.previous + " (" + ex2
                            + ") verifies", ex2);
                }
                commit(new State(state.name, state.previous, 0, state.highest, -1, state.rejected));
            }
        }
        if (state.trial == 0 && fallbackReason == null) {
            endTrial();
        }
        deleteUnreferenced();
    }

    /**
     * The version on trial used up its attempts without {@link #confirm()}: every load of it failed
     * or crashed before the app confirmed it. Back to the last-good version, and never again to this one.
     */
    private void endTrial() throws IOException, VerificationException {
        long failed = state.current;
        VerifiedBundle b;
        try {
            b = verifyInstalled(state.previous);
        } catch (VerificationException | IOException ex) {
            throw new VerificationException(RejectionCode.STORE_CORRUPT, "store " + dir + ": v" + failed
                    + " was not confirmed within its trial attempts and last-good v" + state.previous + " fails verification: "
                    + ex, ex);
        }
        commit(new State(state.name, state.previous, 0, state.highest, -1, failed));
        current = b;
        fallbackReason = "v" + failed + " was not confirmed within its trial attempts";
    }

    private VerifiedBundle verifyInstalled(long version) throws IOException, VerificationException {
        VerifiedBundle b = verifier.verify(bundlePath(version));
        Manifest m = b.manifest();
        if (m.version() != version || (state.name != null && !m.name().equals(state.name))) {
            throw new VerificationException(RejectionCode.STORE_CORRUPT, "file " + bundlePath(version).getFileName()
                    + " holds " + m.name() + " v" + m.version() + ", the store record expects " + state.name + " v" + version);
        }
        return b;
    }

    /** The installed, verified bundle, or {@code null} when the store is empty. */
    public synchronized VerifiedBundle current() {
        return current;
    }

    public synchronized StoreStatus status() {
        return new StoreStatus(state.name, state.current, state.previous, state.highest, fallbackReason, state.trial,
                state.rejected);
    }

    /** The store directory. */
    public Path directory() {
        return dir;
    }

    /** Verifies and installs a bundle file; see {@link #install(ReadableByteChannel, DeviceFacts)}. */
    public VerifiedBundle install(Path bundle, DeviceFacts device) throws IOException, VerificationException {
        try (FileChannel in = FileChannel.open(bundle, StandardOpenOption.READ)) {
            return install(in, device);
        }
    }

    /**
     * Verifies the bundle read from {@code in} while copying it into the store, then commits it
     * atomically as the current version; the version it replaces becomes the last-good version.
     * On any failure the store is unchanged and nothing is left in it.
     *
     * @throws VerificationException any {@link RejectionCode} of {@link BundleVerifier}, or
     *     {@link RejectionCode#ROLLBACK}, {@link RejectionCode#WRONG_MODEL},
     *     {@link RejectionCode#DEVICE_EXCLUDED}
     */
    public synchronized VerifiedBundle install(ReadableByteChannel in, DeviceFacts device)
            throws IOException, VerificationException {
        Path staging = dir.resolve(STAGING).resolve("install-" + System.nanoTime() + ".tmp");
        VerifiedBundle verified;
        try {
            try (FileChannel out = FileChannel.open(staging, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                WritebackChannel copy = new WritebackChannel(out);
                try {
                    // Located at its final name: the result is handed out only after the rename.
                    verified = verifier.verifyAndCopy(in, copy, m -> {
                        admit(m, device);
                        return bundlePath(m.version());
                    });
                } finally {
                    copy.awaitFlush();
                }
                admit(verified.manifest(), device);
                out.force(true);
            }
        } catch (IOException | VerificationException | RuntimeException ex) {
            deleteQuietly(staging);
            throw ex;
        }
        return commitStaged(staging, verified);
    }

    private VerifiedBundle commitStaged(Path staging, VerifiedBundle verified) throws IOException {
        long version = verified.manifest().version();
        Path target = bundlePath(version);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
        long previous = state.current == version ? state.previous : state.current;
        commit(new State(verified.manifest().name(), version, previous, Math.max(state.highest, version),
                previous == 0 ? -1 : trialAttempts, state.rejected));
        current = verified;
        fallbackReason = null;
        deleteUnreferenced();
        return current;
    }

    /**
     * Installs a bundle file by moving it into the store instead of copying it: for a download
     * written on the store's filesystem (e.g. in the app's private storage). The file is consumed:
     * first renamed into {@code staging/} (so its name is the store's), verified there in one pass,
     * fsynced, renamed to {@code v<N>.bundle} and committed; on any failure it is deleted. Same
     * checks and guarantees as {@link #install(ReadableByteChannel, DeviceFacts)}, one read
     * instead of a read and a write.
     *
     * @throws java.nio.file.AtomicMoveNotSupportedException if the file is on another filesystem
     */
    public synchronized VerifiedBundle installByMove(Path bundle, DeviceFacts device)
            throws IOException, VerificationException {
        Path staging = dir.resolve(STAGING).resolve("install-" + System.nanoTime() + ".tmp");
        Files.move(bundle, staging, StandardCopyOption.ATOMIC_MOVE);
        VerifiedBundle verified;
        try {
            try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                verified = verifier.verifyForMove(ch, m -> {
                    admit(m, device);
                    return bundlePath(m.version());
                });
                admit(verified.manifest(), device);
                ch.force(true);
            }
        } catch (IOException | VerificationException | RuntimeException ex) {
            deleteQuietly(staging);
            throw ex;
        }
        return commitStaged(staging, verified);
    }

    /**
     * Makes the last-good version current again, e.g. after the new model failed its trial load.
     * The rollback floor stays: the abandoned version cannot be re-installed, a newer one can.
     *
     * @throws VerificationException {@link RejectionCode#STORE_CORRUPT} if there is no last-good
     *     version or it no longer verifies
     */
    public synchronized VerifiedBundle revertToPrevious() throws IOException, VerificationException {
        if (state.previous == 0) {
            throw new VerificationException(RejectionCode.STORE_CORRUPT, "store " + dir + " has no last-good version");
        }
        VerifiedBundle b = verifyInstalled(state.previous);
        commit(new State(state.name, state.previous, 0, state.highest, -1, state.current));
        current = b;
        deleteUnreferenced();
        return b;
    }

    /**
     * From now on, installs are on trial (A/B "boot counting" for a model): committed as usual, but
     * the new version gets {@code attempts} loads, each announced by {@link #attempt()}, to be
     * {@link #confirm()}ed. When they are used up, the next {@code attempt()} or {@link #open}
     * returns to the last-good version and records the abandoned one as rejected: it is never
     * installed again, a newer version is. A first install (no last-good version) is not on trial.
     *
     * @param attempts loads the new version gets before it must be confirmed, at least 1; or 0 to
     *     install confirmed (the default)
     */
    public synchronized void trialAttempts(int attempts) {
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be 0 or more: " + attempts);
        }
        trialAttempts = attempts == 0 ? -1 : attempts;
    }

    /**
     * Call before loading the current model: counts one attempt if it is on trial (durably, so a
     * load that crashes the app still counts) and, when none are left, first returns to the
     * last-good version. Returns the bundle to load (the current one when not on trial).
     */
    public synchronized VerifiedBundle attempt() throws IOException, VerificationException {
        if (state.trial == 0) {
            endTrial();
            deleteUnreferenced();
        } else if (state.trial > 0) {
            commit(new State(state.name, state.current, state.previous, state.highest, state.trial - 1, state.rejected));
        }
        return current;
    }

    /** Confirms the current version after a good load: it stays for good. Does nothing if it is not on trial. */
    public synchronized void confirm() throws IOException {
        if (state.trial >= 0) {
            commit(new State(state.name, state.current, state.previous, state.highest, -1, state.rejected));
        }
    }

    private void admit(Manifest m, DeviceFacts device) throws VerificationException {
        if (state.name != null && !state.name.equals(m.name())) {
            throw new VerificationException(RejectionCode.WRONG_MODEL, "bundle is model '" + m.name()
                    + "', this store holds '" + state.name + "'");
        }
        boolean repair = m.version() == state.highest && state.current != state.highest && m.version() != state.rejected;
        if (m.version() <= state.highest && !repair) {
            throw new VerificationException(RejectionCode.ROLLBACK, "bundle " + m.name() + " version " + m.version()
                    + (m.version() == state.rejected ? " was abandoned on this device (reverted); a newer version is needed"
                    : " is not above the highest installed version " + state.highest
                    + (state.current != 0 ? " (current " + state.current + ")" : "")));
        }
        String why = m.excludes(device);
        if (why != null) {
            throw new VerificationException(RejectionCode.DEVICE_EXCLUDED, "bundle " + m.name() + " v" + m.version()
                    + " excludes this device: " + why);
        }
    }


    private void commit(State next) throws IOException {
        Path tmp = dir.resolve(STATE_TMP);
        byte[] bytes = next.encode();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(bytes);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
        state = next;
    }

    private void deleteUnreferenced() throws IOException {
        boolean deleted = false;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "v*.bundle")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.equals(bundleName(state.current)) && !n.equals(bundleName(state.previous))) {
                    Files.deleteIfExists(p);
                    deleted = true;
                }
            }
        }
        if (deleted) {
            syncDirectory(dir);
        }
    }

    private void clearStaging() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve(STAGING))) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Deletes the store's record and bundles (not the directory), for a device whose store is
     * {@link RejectionCode#STORE_CORRUPT}. The rollback floor is lost with the record.
     */
    public static void reset(Path dir) throws IOException {
        deleteQuietly(dir.resolve(STATE));
        deleteQuietly(dir.resolve(STATE_TMP));
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "v*.bundle")) {
                for (Path p : ds) {
                    Files.deleteIfExists(p);
                }
            }
        }
        syncDirectory(dir);
    }

    Path bundlePath(long version) {
        return dir.resolve(bundleName(version));
    }

    private static String bundleName(long version) {
        return "v" + version + ".bundle";
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: leftovers are removed again on the next open.
        }
    }

    /** fsync a directory so a rename in it is durable (POSIX; a no-op where unsupported). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ex) {
            // Some platforms cannot open or sync directories (Windows); rename durability then
            // rests on the filesystem's own ordering.
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                throw ex;
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
        }
    }

    /**
     * Starts write-back of the data written so far every 64 MiB, on a helper thread, so that the
     * final fsync does not have to write a whole bundle at once and the pipeline that feeds this
     * channel never waits for the disk. Errors surface in the caller's final {@code force(true)}.
     */
    private static final class WritebackChannel implements java.nio.channels.WritableByteChannel {
        private static final long STEP = 64L << 20;
        private final FileChannel ch;
        private long sinceFlush;
        private Thread flusher;

        WritebackChannel(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = ch.write(src);
            sinceFlush += n;
            if (sinceFlush >= STEP && (flusher == null || !flusher.isAlive())) {
                sinceFlush = 0;
                flusher = new Thread(() -> {
                    try {
                        ch.force(false);
                    } catch (IOException ignored) {
                        // The install's final force(true) reports any write error.
                    }
                }, "satchel-store-writeback");
                flusher.setDaemon(true);
                flusher.start();
            }
            return n;
        }

        /** Waits for a write-back in progress (before the final fsync and close). */
        void awaitFlush() throws java.io.InterruptedIOException {
            if (flusher != null) {
                try {
                    flusher.join();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while flushing the staged bundle");
                }
            }
        }

        @Override
        public boolean isOpen() {
            return ch.isOpen();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** The commit record: a small text file with a CRC so a damaged record is detected, not misread. */
    static final class State {
        final String name;
        final long current;
        final long previous;
        final long highest;
        /** Loads ({@link #attempt}s) the current version may still take without {@link #confirm}, or -1: confirmed. */
        final long trial;
        /** A version abandoned on this device (reverted after its trial), never re-installed; or 0. */
        final long rejected;

        State(String name, long current, long previous, long highest) {
            this(name, current, previous, highest, -1, 0);
        }

        State(String name, long current, long previous, long highest, long trial, long rejected) {
            this.name = name;
            this.current = current;
            this.previous = previous;
            this.highest = highest;
            this.trial = trial;
            this.rejected = rejected;
        }

        /** Format 1 while no trial or rejection is recorded, so that older verifiers still read it. */
        byte[] encode() {
            boolean v2 = trial >= 0 || rejected != 0;
            String body = (v2 ? MAGIC_2 : MAGIC) + "\nname " + (name == null ? "-" : name) + "\ncurrent " + current
                    + "\nprevious " + previous + "\nhighest " + highest + "\n"
                    + (v2 ? "trial " + (trial < 0 ? "-" : Long.toString(trial)) + "\nrejected " + rejected + "\n" : "");
            CRC32 crc = new CRC32();
            byte[] b = body.getBytes(StandardCharsets.US_ASCII);
            crc.update(b, 0, b.length);
            return (body + "crc32 " + String.format("%08x", crc.getValue()) + "\n").getBytes(StandardCharsets.US_ASCII);
        }

        static State read(Path file) throws IOException, VerificationException {
            byte[] bytes;
            try {
                if (Files.size(file) > 4096) {
                    throw corrupt(file, "larger than 4096 bytes");
                }
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException ex) {
                return new State(null, 0, 0, 0);
            }
            String text = new String(bytes, StandardCharsets.US_ASCII);
            String[] lines = text.split("\n", -1);
            int n = lines.length;
            boolean v2 = n == 9 && lines[0].equals(MAGIC_2);
            if (!(v2 || (n == 7 && lines[0].equals(MAGIC))) || !lines[n - 1].isEmpty()) {
                throw corrupt(file, "not a store record");
            }
            int cut = text.lastIndexOf("crc32 ");
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, cut);
            if (!lines[n - 2].equals("crc32 " + String.format("%08x", crc.getValue()))) {
                throw corrupt(file, "checksum mismatch");
            }
            try {
                String name = field(lines[1], "name");
                String trial = v2 ? field(lines[5], "trial") : "-";
                State s = new State(name.equals("-") ? null : name, Long.parseLong(field(lines[2], "current")),
                        Long.parseLong(field(lines[3], "previous")), Long.parseLong(field(lines[4], "highest")),
                        trial.equals("-") ? -1 : Long.parseLong(trial), v2 ? Long.parseLong(field(lines[6], "rejected")) : 0);
                if (s.current < 0 || s.previous < 0 || s.highest < s.current || s.highest < s.previous || s.trial < -1
                        || (s.trial >= 0 && s.previous == 0) || s.rejected < 0 || s.rejected > s.highest) {
                    throw corrupt(file, "inconsistent versions");
                }
                return s;
            } catch (NumberFormatException ex) {
                throw corrupt(file, "bad number");
            }
        }

        private static String field(String line, String key) throws VerificationException {
            if (!line.startsWith(key + " ")) {
                throw new VerificationException(RejectionCode.STORE_CORRUPT, "store record: expected '" + key + "'");
            }
            return line.substring(key.length() + 1);
        }

        private static VerificationException corrupt(Path file, String why) {
            return new VerificationException(RejectionCode.STORE_CORRUPT, "store record " + file + ": " + why);
        }
    }

    /** Lists installed bundle files (for tests and status tools). */
    static List<Path> bundleFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "v*.bundle")) {
            for (Path p : ds) {
                out.add(p);
            }
        }
        return out;
    }
}
