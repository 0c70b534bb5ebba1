package dev.satchel.verifier.bundle;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A bundle that passed {@link BundleVerifier}: its manifest and where each entry's bytes lie in
 * the file, so an app can memory-map a model straight out of the bundle. Immutable and
 * thread-safe.
 *
 * <p>Guarantee: at verification time, the bytes at each entry's offset and length had the digest
 * the signed manifest lists. Not guaranteed: that the file has not changed since. Keep bundles in
 * app-private storage (as {@code ModelStore} does) and do not hand the path to other writers.
 */
public final class VerifiedBundle {
    private final Path file;
    private final long size;
    private final Manifest manifest;
    private final List<Entry> entries;
    private final boolean signatureVerified;

    VerifiedBundle(Path file, long size, Manifest manifest, List<Entry> entries, boolean signatureVerified) {
        this.file = file;
        this.size = size;
        this.manifest = manifest;
        this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
        this.signatureVerified = signatureVerified;
    }

    /** The verified file, or {@code null} when verified from a channel without a file. */
    public Path file() {
        return file;
    }

    /** Total bundle size in bytes. */
    public long size() {
        return size;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** True if model.sig was verified against trusted keys (false only under an unsigned-for-testing policy). */
    public boolean signatureVerified() {
        return signatureVerified;
    }

    /** Every entry in bundle order, model.sig and satchel.json included. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entry with this name. */
    public Entry entry(String name) {
        for (Entry e : entries) {
            if (e.name.equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no entry '" + name + "' in bundle " + manifest.name());
    }

    /** The payload entries whose manifest kind is {@code model}, in bundle order. */
    public List<Entry> models() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            Manifest.FileEntry f = manifest.file(e.name);
            if (f != null && f.isModel()) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Maps an entry's bytes read-only (no copy, no extraction). The buffer is direct, so ONNX
     * Runtime's {@code OrtEnvironment.createSession(ByteBuffer)} takes it as is.
     *
     * @throws IllegalStateException if this bundle was verified from a channel without a file
     */
    public MappedByteBuffer map(String name) throws IOException {
        if (file == null) {
            throw new IllegalStateException("bundle was verified from a stream; there is no file to map");
        }
        Entry e = entry(name);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, e.offset, e.length);
        }
    }

    /** One entry: name, data offset and length in the bundle file, and its SHA-256. */
    public static final class Entry {
        private final String name;
        private final long offset;
        private final long length;
        private final String sha256;

        Entry(String name, long offset, long length, String sha256) {
            this.name = name;
            this.offset = offset;
            this.length = length;
            this.sha256 = sha256;
        }

        public String name() {
            return name;
        }

        /** Offset of the first data byte in the file; a multiple of {@link BundleFormat#ALIGNMENT}. */
        public long offset() {
            return offset;
        }

        public long length() {
            return length;
        }

        /** Lower-case hex SHA-256 of the data. */
        public String sha256() {
            return sha256;
        }

        @Override
        public String toString() {
            return name + " @" + offset + "+" + length + " sha256:" + sha256;
        }
    }
}
