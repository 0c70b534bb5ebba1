package dev.satchel.packager.bundle;

import static dev.satchel.verifier.bundle.BundleFormat.ALIGNMENT;
import static dev.satchel.verifier.bundle.BundleFormat.MANIFEST_ENTRY;
import static dev.satchel.verifier.bundle.BundleFormat.SIGNATURE_ENTRY;

import dev.satchel.verifier.bundle.BundleFormat;
import dev.satchel.verifier.bundle.EntryNames;
import dev.satchel.verifier.bundle.ManifestParser;
import dev.satchel.verifier.bundle.VerificationException;
import dev.satchel.verifier.bundle.VerificationPolicy;
import dev.satchel.verifier.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Writes Satchel bundles (docs/bundle-format.md) reproducibly: the same inputs give the same bytes
 * on any machine, whatever the files' mtimes, owners or modes, because nothing host-specific is
 * recorded (fixed 1980-01-01 timestamps, fixed Unix mode 0644, entries sorted by UTF-8 bytes,
 * manifest members in schema order, input names instead of host paths).
 *
 * <p>Two phases so signing can sit between them without this module knowing about signing:
 * {@link #prepare} hashes the inputs and builds the manifest; the caller signs
 * {@link PreparedBundle#signedDigests()}; {@link #write} writes the archive atomically (temporary
 * file, fsync, rename), re-hashing every input on the way and failing if one changed since
 * {@code prepare}. Stateless and thread-safe.
 */
public final class BundleWriter {
    private static final int BUFFER = 1 << 20;
    private static final long MAX_OFFSET = 0xFFFF_FFFEL;

    private BundleWriter() {}

    /**
     * Hashes every input and builds {@code satchel.json}; the manifest is parsed back with the
     * device verifier's parser before it is accepted.
     *
     * @throws BundleWriteException {@code INVALID_INPUT} (bad or colliding name, not a regular
     *     file, too large), {@code INVALID_MANIFEST} (the spec breaks the manifest schema)
     */
    public static PreparedBundle prepare(BundleSpec spec) throws IOException, BundleWriteException {
        List<BundleInput> inputs = new ArrayList<>(spec.files());
        inputs.sort((a, b) -> EntryNames.compare(a.path(), b.path()));
        Map<String, String> keys = new HashMap<>();
        for (BundleInput in : inputs) {
            try {
                EntryNames.validate(in.path());
            } catch (VerificationException ex) {
                throw new BundleWriteException(BundleWriteException.Code.INVALID_INPUT, ex.getMessage(), ex);
            }
            if (in.path().equals(MANIFEST_ENTRY) || in.path().equals(SIGNATURE_ENTRY)) {
                throw new BundleWriteException(BundleWriteException.Code.INVALID_INPUT,
                        "entry name '" + in.path() + "' is reserved for the bundle's own " + in.path());
            }
            String other = keys.put(EntryNames.collisionKey(in.path()), in.path());
            if (other != null) {
                throw new BundleWriteException(BundleWriteException.Code.INVALID_INPUT, "entry names '" + other
                        + "' and '" + in.path() + "' collide (same name, or differ only in case or normalisation)");
            }
            if (!Files.isRegularFile(in.source(), LinkOption.NOFOLLOW_LINKS)) {
                throw new BundleWriteException(BundleWriteException.Code.INVALID_INPUT, in.source()
                        + ": not a regular file (symlinks and special files are not packed)");
            }
        }
        if (inputs.size() + 2 > VerificationPolicy.DEFAULT_MAX_ENTRIES) {
            throw new BundleWriteException(BundleWriteException.Code.INVALID_INPUT, inputs.size()
                    + " files; the default device policy accepts " + (VerificationPolicy.DEFAULT_MAX_ENTRIES - 2));
        }
        List<PreparedBundle.Payload> payloads = new ArrayList<>();
        byte[] buf = new byte[BUFFER];
        for (BundleInput in : inputs) {
            MessageDigest sha = sha256();
            CRC32 crc = new CRC32();
            long size = 0;
            try (InputStream s = Files.newInputStream(in.source(), LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = s.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    crc.update(buf, 0, n);
                    size += n;
                }
            }
            if (size > MAX_OFFSET) {
                throw new BundleWriteException(BundleWriteException.Code.INVALID_INPUT, in.source() + ": " + size
                        + " bytes; bundles are below 4 GiB (no ZIP64)");
            }
            payloads.add(new PreparedBundle.Payload(in.path(), in.source(), size, crc.getValue(), sha.digest()));
        }
        byte[] manifest = (Json.writePretty(manifestMap(spec, inputs, payloads)) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ManifestParser.parse(manifest, VerificationPolicy.DEFAULT_MAX_MANIFEST_BYTES);
        } catch (VerificationException ex) {
            throw new BundleWriteException(BundleWriteException.Code.INVALID_MANIFEST, ex.getMessage(), ex);
        }
        return new PreparedBundle(spec, manifest, sha256().digest(manifest), payloads);
    }

    private static Map<String, Object> manifestMap(BundleSpec spec, List<BundleInput> inputs,
            List<PreparedBundle.Payload> payloads) {
        HexFormat hex = HexFormat.of();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", dev.satchel.verifier.bundle.Manifest.FORMAT);
        m.put("name", spec.name());
        m.put("version", spec.version());
        m.put("displayVersion", spec.displayVersion());
        m.put("minOnnxRuntime", spec.minOnnxRuntime());
        List<Object> files = new ArrayList<>();
        List<Object> created = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            PreparedBundle.Payload p = payloads.get(i);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", p.name());
            f.put("size", p.size());
            f.put("sha256", hex.formatHex(p.sha256()));
            f.put("kind", inputs.get(i).kind());
            files.add(f);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("path", p.name());
            c.put("sha256", hex.formatHex(p.sha256()));
            created.add(c);
        }
        m.put("files", files);
        Map<String, Object> compat = new LinkedHashMap<>();
        List<Object> devices = new ArrayList<>();
        List<BundleSpec.DeviceClaim> claims = new ArrayList<>(spec.devices());
        claims.sort((a, b) -> EntryNames.compare(a.profile(), b.profile()));
        for (BundleSpec.DeviceClaim d : claims) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("profile", d.profile());
            o.put("compatible", d.compatible());
            if (!d.reason().isEmpty()) {
                o.put("reason", d.reason());
            }
            devices.add(o);
        }
        compat.put("devices", devices);
        if (spec.minRamBytes() > 0) {
            compat.put("minRamBytes", spec.minRamBytes());
        }
        compat.put("executionProviders", spec.executionProviders());
        m.put("compatibility", compat);
        m.put("quantization", sorted(spec.quantization()));
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("tool", spec.tool());
        from.put("inputs", created);
        m.put("createdFrom", from);
        return m;
    }

    /** Maps with sorted keys, recursively, so a report built from a HashMap serialises the same everywhere. */
    @SuppressWarnings("unchecked")
    private static Object sorted(Object v) {
        if (v instanceof Map<?, ?> map) {
            TreeMap<String, Object> t = new TreeMap<>(EntryNames::compare);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                t.put((String) e.getKey(), sorted(e.getValue()));
            }
            return t;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(sorted(o));
            }
            return out;
        }
        return v;
    }

    /**
     * Writes the bundle to {@code out} atomically: a temporary file next to it, fsync, rename,
     * directory fsync. {@code signature} is the {@code model.sig} content, or {@code null} for an
     * unsigned bundle (accepted only by unsigned-for-testing verifier policies).
     *
     * @throws BundleWriteException {@code INPUT_CHANGED} if an input's bytes differ from
     *     {@code prepare}'s; {@code INVALID_INPUT} if the archive would exceed 4 GiB
     */
    public static void write(PreparedBundle bundle, byte[] signature, Path out) throws IOException, BundleWriteException {
        Path abs = out.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        String suffix = Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
        Path tmp = dir.resolve("." + abs.getFileName() + ".tmp-" + suffix);
        boolean done = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Sink sink = new Sink(ch);
            List<long[]> central = new ArrayList<>();
            List<byte[]> names = new ArrayList<>();
            if (signature != null) {
                writeSmall(sink, SIGNATURE_ENTRY, signature, central, names);
            }
            writeSmall(sink, MANIFEST_ENTRY, bundle.manifestBytes(), central, names);
            byte[] buf = new byte[BUFFER];
            for (PreparedBundle.Payload p : bundle.payloads()) {
                byte[] name = p.name().getBytes(StandardCharsets.UTF_8);
                long header = localHeader(sink, name, p.crc32(), p.size());
                MessageDigest sha = sha256();
                long left = p.size();
                try (InputStream s = Files.newInputStream(p.source(), LinkOption.NOFOLLOW_LINKS)) {
                    while (left > 0) {
                        int n = s.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            break;
                        }
                        sha.update(buf, 0, n);
                        sink.put(buf, 0, n);
                        left -= n;
                    }
                    if (left != 0 || s.read() >= 0 || !Arrays.equals(sha.digest(), p.sha256())) {
                        throw new BundleWriteException(BundleWriteException.Code.INPUT_CHANGED, p.source()
                                + ": changed since it was hashed for the manifest");
                    }
                }
                central.add(new long[] {header, p.crc32(), p.size()});
                names.add(name);
            }
            long cdStart = sink.position();
            for (int i = 0; i < central.size(); i++) {
                long[] c = central.get(i);
                byte[] name = names.get(i);
                ByteBuffer h = le(46 + name.length);
                h.putInt(BundleFormat.CENTRAL_HEADER).putShort((short) BundleFormat.VERSION_MADE_BY)
                        .putShort((short) BundleFormat.VERSION_NEEDED).putShort((short) BundleFormat.FLAGS)
                        .putShort((short) 0).putShort((short) BundleFormat.DOS_TIME).putShort((short) BundleFormat.DOS_DATE)
                        .putInt((int) c[1]).putInt((int) c[2]).putInt((int) c[2]).putShort((short) name.length)
                        .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                        .putInt((int) BundleFormat.EXTERNAL_ATTRIBUTES).putInt((int) c[0]).put(name);
                sink.put(h.array(), 0, h.capacity());
            }
            long cdEnd = sink.position();
            ByteBuffer e = le(22);
            e.putInt(BundleFormat.END_OF_CENTRAL_DIRECTORY).putShort((short) 0).putShort((short) 0)
                    .putShort((short) central.size()).putShort((short) central.size())
                    .putInt((int) (cdEnd - cdStart)).putInt((int) cdStart).putShort((short) 0);
            sink.put(e.array(), 0, 22);
            if (sink.position() > MAX_OFFSET) {
                throw new BundleWriteException(BundleWriteException.Code.INVALID_INPUT, "bundle would be "
                        + sink.position() + " bytes; the format is limited to 4 GiB (no ZIP64)");
            }
            sink.flush();
            ch.force(true);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ex) {
            Files.deleteIfExists(tmp);
            throw ex;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Directories cannot be opened for sync on every platform; the rename is still atomic.
        }
    }

    private static void writeSmall(Sink sink, String entry, byte[] data, List<long[]> central, List<byte[]> names)
            throws IOException {
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(data);
        long header = localHeader(sink, name, crc.getValue(), data.length);
        sink.put(data, 0, data.length);
        central.add(new long[] {header, crc.getValue(), data.length});
        names.add(name);
    }

    private static long localHeader(Sink sink, byte[] name, long crc, long size) throws IOException {
        long at = sink.position();
        int extra = BundleFormat.alignmentExtraLength(at, name.length);
        ByteBuffer h = le(30 + name.length + extra);
        h.putInt(BundleFormat.LOCAL_HEADER).putShort((short) BundleFormat.VERSION_NEEDED)
                .putShort((short) BundleFormat.FLAGS).putShort((short) 0).putShort((short) BundleFormat.DOS_TIME)
                .putShort((short) BundleFormat.DOS_DATE).putInt((int) crc).putInt((int) size).putInt((int) size)
                .putShort((short) name.length).putShort((short) extra).put(name);
        if (extra > 0) {
            // zipalign-style padding record: id, data size, alignment, zero bytes.
            h.putShort((short) BundleFormat.ALIGNMENT_EXTRA_ID).putShort((short) (extra - 4)).putShort((short) ALIGNMENT);
        }
        sink.put(h.array(), 0, h.capacity());
        return at;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** A buffered channel writer that knows its position. */
    private static final class Sink {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        private long written;

        Sink(FileChannel ch) {
            this.ch = ch;
        }

        long position() {
            return written + buf.position();
        }

        void put(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int k = Math.min(len, buf.remaining());
                buf.put(b, off, k);
                off += k;
                len -= k;
                if (!buf.hasRemaining()) {
                    flush();
                }
            }
        }

        void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                written += ch.write(buf);
            }
            buf.clear();
        }
    }
}
