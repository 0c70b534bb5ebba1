package dev.satchel.verifier.bundle;

import static dev.satchel.verifier.bundle.BundleFormat.ALIGNMENT;
import static dev.satchel.verifier.bundle.BundleFormat.CENTRAL_HEADER;
import static dev.satchel.verifier.bundle.BundleFormat.END_OF_CENTRAL_DIRECTORY;
import static dev.satchel.verifier.bundle.BundleFormat.LOCAL_HEADER;
import static dev.satchel.verifier.bundle.BundleFormat.MANIFEST_ENTRY;
import static dev.satchel.verifier.bundle.BundleFormat.SIGNATURE_ENTRY;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32;

/**
 * Verifies a Satchel bundle (docs/bundle-format.md) in one sequential pass with constant memory
 * (a 256 KiB buffer, four 256 KiB direct buffers for entries of 8 MiB or more, and per-entry
 * records bounded by {@link VerificationPolicy#maxEntries()}).
 *
 * <p>The bundle is read front to back exactly once, like a stream: local headers and data first,
 * then the central directory, which must repeat the local headers exactly, then the end record,
 * then end of input. Because the format is canonical (one valid encoding per content), the
 * verifier never has to choose between two readings of the archive: any ambiguity that ZIP
 * readers have historically disagreed on (Android "Master Key" bugs 8219321 and 9695860, hidden
 * local entries, overlapping entries, prepended or appended data) is a rejection with its own
 * {@link RejectionCode}. {@code model.sig} and {@code satchel.json} come first, so the manifest
 * is known before any payload byte is read, and payloads are checked against it as they stream.
 * The signature is checked last over the digests computed during the pass.
 *
 * <p>Thread-safe: an instance holds only its immutable policy. A call uses up to two short-lived
 * daemon threads besides the caller's: one reads (and tees) large entries while the caller hashes
 * them, one checks the signature while the payloads are hashed (docs/bundle-format.md §11).
 */
public final class BundleVerifier {
    private static final int BUFFER = 256 * 1024;
    /** Entries at least this large are hashed with a reader thread alongside (see Source#pipelined). */
    private static final long PIPELINE_MIN_BYTES = 8L << 20;
    private static final int PIPE_BUFFERS = 4;
    private static final long U32 = 0xFFFF_FFFFL;

    private final VerificationPolicy policy;

    private BundleVerifier(VerificationPolicy policy) {
        this.policy = policy;
    }

    public static BundleVerifier create(VerificationPolicy policy) {
        if (policy == null) {
            throw new NullPointerException("policy");
        }
        return new BundleVerifier(policy);
    }

    public VerificationPolicy policy() {
        return policy;
    }

    /**
     * Verifies a bundle file.
     *
     * @throws VerificationException with the code of the first rule the bundle breaks
     * @throws IOException if the file cannot be read
     */
    public VerifiedBundle verify(Path file) throws VerificationException, IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > policy.maxBundleBytes()) {
                throw new VerificationException(RejectionCode.TOO_LARGE,
                        "bundle is " + size + " bytes, policy allows " + policy.maxBundleBytes());
            }
            return run(ch, null, file, null);
        }
    }

    /**
     * Verifies a bundle read from a blocking channel positioned at its first byte (a download, a
     * pipe); transport timeouts (slow-retrieval attacks) are the channel's business.
     * The result has no file, so {@link VerifiedBundle#map} is unavailable; offsets are relative
     * to the start of the stream.
     */
    public VerifiedBundle verify(ReadableByteChannel in) throws VerificationException, IOException {
        return run(in, null, null, null);
    }

    /**
     * Verifies a bundle while writing every byte read to {@code copy}, in one pass: the bytes
     * verified are exactly the bytes written, so a source changing under us cannot swap content
     * after the check. On failure the copy holds garbage and the caller must discard it.
     *
     * <p>{@code target} is called as soon as the manifest is parsed, before any payload byte is
     * read. It returns where the copy will live once the caller has moved it into place (the
     * result's {@link VerifiedBundle#file()}), and may throw to refuse a bundle early (rollback,
     * wrong model, excluded device) without reading or writing gigabytes. The manifest is not yet
     * authenticated when {@code target} sees it: it may only reject early, and the caller must
     * repeat its checks on the verified result.
     */
    public VerifiedBundle verifyAndCopy(ReadableByteChannel in, WritableByteChannel copy, CopyTarget target)
            throws VerificationException, IOException {
        if (copy == null || target == null) {
            throw new NullPointerException(copy == null ? "copy" : "target");
        }
        return run(in, copy, null, target);
    }

    /**
     * Verifies a bundle the caller is about to move to a final name, without copying it: as
     * {@link #verify(ReadableByteChannel)}, with {@code target} called once the manifest is parsed
     * (see {@link #verifyAndCopy}) and the result located at the path it returns.
     */
    public VerifiedBundle verifyForMove(ReadableByteChannel in, CopyTarget target)
            throws VerificationException, IOException {
        if (target == null) {
            throw new NullPointerException("target");
        }
        return run(in, null, null, target);
    }

    /** Where a verified copy will live; see {@link #verifyAndCopy}. */
    public interface CopyTarget {
        Path locate(Manifest unauthenticated) throws VerificationException;
    }

    private static final class Local {
        final String name;
        final byte[] rawName;
        final long headerOffset;
        final int version;
        final int flags;
        final int method;
        final int time;
        final int date;
        final long crc;
        final long size;

        Local(String name, byte[] rawName, long headerOffset, int version, int flags, int method, int time,
                int date, long crc, long size) {
            this.name = name;
            this.rawName = rawName;
            this.headerOffset = headerOffset;
            this.version = version;
            this.flags = flags;
            this.method = method;
            this.time = time;
            this.date = date;
            this.crc = crc;
            this.size = size;
        }
    }

    private VerifiedBundle run(ReadableByteChannel ch, WritableByteChannel tee, Path file, CopyTarget target)
            throws VerificationException, IOException {
        Source src = new Source(ch, tee, policy.maxBundleBytes());
        MessageDigest sha = sha256();
        CRC32 crc32 = new CRC32();
        List<Local> locals = new ArrayList<>();
        List<VerifiedBundle.Entry> entries = new ArrayList<>();
        Map<String, byte[]> digests = new LinkedHashMap<>();
        Map<String, String> collisionKeys = new HashMap<>();
        Set<String> names = new HashSet<>();
        byte[] signature = null;
        EarlySignature early = null;
        Manifest manifest = null;
        String previousPayload = null;

        int record = src.readInt("the first local file header");
        if (record != LOCAL_HEADER) {
            throw new VerificationException(RejectionCode.NOT_A_BUNDLE, String.format(
                    "offset 0: expected a local file header (0x%08x), got 0x%08x; not a bundle, or data prepended",
                    LOCAL_HEADER, record));
        }
        while (record == LOCAL_HEADER) {
            long headerOffset = src.offset() - 4;
            if (locals.size() >= policy.maxEntries()) {
                throw new VerificationException(RejectionCode.TOO_MANY_ENTRIES, "local header at offset "
                        + headerOffset + " is entry " + (locals.size() + 1) + ", policy allows " + policy.maxEntries());
            }
            byte[] h = src.read(26, "local file header at offset " + headerOffset);
            int version = u16(h, 0);
            int flags = u16(h, 2);
            int method = u16(h, 4);
            int time = u16(h, 6);
            int date = u16(h, 8);
            long crc = u32(h, 10);
            long csize = u32(h, 14);
            long usize = u32(h, 18);
            int nameLength = u16(h, 22);
            int extraLength = u16(h, 24);
            if (nameLength > EntryNames.MAX_NAME_BYTES || nameLength == 0) {
                throw new VerificationException(RejectionCode.INVALID_NAME, "local header at offset " + headerOffset
                        + ": name is " + nameLength + " bytes, expected 1 to " + EntryNames.MAX_NAME_BYTES);
            }
            byte[] rawName = src.read(nameLength, "entry name at offset " + (headerOffset + 30));
            String name = EntryNames.decode(rawName);
            String where = "entry " + EntryNames.quote(name) + " (local header at offset " + headerOffset + ")";
            checkLocalFields(where, version, flags, method, time, date, csize, usize);
            byte[] extra = src.read(extraLength, where + " extra field");
            long dataOffset = src.offset();
            checkAlignmentExtra(where, headerOffset, nameLength, extra, dataOffset);

            if (!names.add(name)) {
                throw new VerificationException(RejectionCode.DUPLICATE_NAME, where + ": name appears twice");
            }
            String key = EntryNames.collisionKey(name);
            String other = collisionKeys.put(key, name);
            if (other != null) {
                throw new VerificationException(RejectionCode.CASE_COLLISION, where + ": collides with "
                        + EntryNames.quote(other) + " on case-insensitive or normalising filesystems");
            }
            int index = locals.size();
            if (name.equals(SIGNATURE_ENTRY)) {
                if (index != 0) {
                    throw new VerificationException(RejectionCode.ENTRY_ORDER, where + ": is entry " + (index + 1)
                            + ", " + SIGNATURE_ENTRY + " must be the first entry");
                }
            } else if (name.equals(MANIFEST_ENTRY)) {
                boolean afterSig = index == 1 && locals.get(0).name.equals(SIGNATURE_ENTRY);
                if (index != 0 && !afterSig) {
                    throw new VerificationException(RejectionCode.ENTRY_ORDER, where + ": is entry " + (index + 1)
                            + ", " + MANIFEST_ENTRY + " must directly follow " + SIGNATURE_ENTRY);
                }
                if (index == 0 && policy.requiresSignature()) {
                    throw new VerificationException(RejectionCode.SIGNATURE_MISSING,
                            "bundle starts with " + MANIFEST_ENTRY + "; a signed bundle starts with " + SIGNATURE_ENTRY);
                }
            } else {
                if (manifest == null) {
                    if (index == 0 && policy.requiresSignature()) {
                        throw new VerificationException(RejectionCode.SIGNATURE_MISSING, where
                                + ": first entry is not " + SIGNATURE_ENTRY);
                    }
                    throw new VerificationException(RejectionCode.MANIFEST_MISSING, where
                            + ": payload before any " + MANIFEST_ENTRY + " (the manifest must precede payloads)");
                }
                if (previousPayload != null && EntryNames.compare(previousPayload, name) > 0) {
                    throw new VerificationException(RejectionCode.ENTRY_ORDER, where + ": comes after "
                            + EntryNames.quote(previousPayload) + "; payloads are sorted by UTF-8 bytes");
                }
                previousPayload = name;
            }
            if (usize > policy.maxBundleBytes() - dataOffset) {
                throw new VerificationException(RejectionCode.TOO_LARGE, where + ": " + usize
                        + " bytes of data would end past the policy's " + policy.maxBundleBytes() + "-byte limit");
            }

            sha.reset();
            crc32.reset();
            if (name.equals(SIGNATURE_ENTRY) || name.equals(MANIFEST_ENTRY)) {
                boolean isSig = name.equals(SIGNATURE_ENTRY);
                int max = isSig ? policy.maxSignatureBytes() : policy.maxManifestBytes();
                if (usize > max) {
                    throw new VerificationException(RejectionCode.TOO_LARGE, where + ": " + usize
                            + " bytes, policy allows " + max);
                }
                byte[] data = src.read((int) usize, where + " data");
                crc32.update(data, 0, data.length);
                checkCrc(where, crc, crc32.getValue());
                byte[] digest = sha.digest(data);
                if (isSig) {
                    signature = data;
                    if (policy.requiresSignature()) {
                        early = new EarlySignature(policy.signatureCheck(), data);
                        early.start();
                    }
                } else {
                    manifest = ManifestParser.parse(data, policy.maxManifestBytes());
                    if (target != null) {
                        file = target.locate(manifest);
                    }
                    digests.put(name, digest);
                }
                entries.add(new VerifiedBundle.Entry(name, dataOffset, usize, hex(digest)));
            } else {
                Manifest.FileEntry listed = manifest.file(name);
                if (listed == null) {
                    throw new VerificationException(RejectionCode.UNLISTED_FILE, where + ": not listed in "
                            + MANIFEST_ENTRY);
                }
                if (listed.size() != usize) {
                    throw new VerificationException(RejectionCode.SIZE_MISMATCH, where + ": size "
                            + usize + " bytes, " + MANIFEST_ENTRY + " lists " + listed.size());
                }
                src.digest(usize, sha, crc32, where + " data");
                byte[] digest = sha.digest();
                String actual = hex(digest);
                if (!actual.equals(listed.sha256())) {
                    throw new VerificationException(RejectionCode.DIGEST_MISMATCH, where + ": sha256 expected "
                            + listed.sha256() + ", got " + actual);
                }
                checkCrc(where, crc, crc32.getValue());
                digests.put(name, digest);
                entries.add(new VerifiedBundle.Entry(name, dataOffset, usize, actual));
            }
            locals.add(new Local(name, rawName, headerOffset, version, flags, method, time, date, crc, usize));
            record = src.readInt("the record after entry " + EntryNames.quote(name));
        }

        long centralStart = src.offset() - 4;
        if (record != CENTRAL_HEADER) {
            throw unexpected(record, centralStart, "a local file header or the central directory");
        }
        for (int i = 0; i < locals.size(); i++) {
            long at = src.offset() - 4;
            if (i > 0) {
                record = src.readInt("central directory record " + (i + 1));
                at = src.offset() - 4;
                if (record != CENTRAL_HEADER) {
                    if (record == BundleFormat.ZIP64_END || record == BundleFormat.ZIP64_LOCATOR) {
                        throw zip64(at);
                    }
                    throw new VerificationException(RejectionCode.CENTRAL_DIRECTORY_MISMATCH, String.format(
                            "offset %d: central directory lists %d entries, local headers %d (got record 0x%08x)",
                            at, i, locals.size(), record));
                }
            }
            checkCentral(src, locals.get(i), at);
        }
        long centralEnd = src.offset();
        record = src.readInt("the end of central directory record");
        if (record == CENTRAL_HEADER) {
            throw new VerificationException(RejectionCode.CENTRAL_DIRECTORY_MISMATCH, "offset " + centralEnd
                    + ": central directory has more records than the " + locals.size() + " local entries");
        }
        if (record == BundleFormat.ZIP64_END || record == BundleFormat.ZIP64_LOCATOR) {
            throw zip64(centralEnd);
        }
        if (record != END_OF_CENTRAL_DIRECTORY) {
            throw unexpected(record, centralEnd, "the end of central directory record");
        }
        byte[] e = src.read(18, "end of central directory record at offset " + centralEnd);
        String endWhere = "end of central directory at offset " + centralEnd;
        if (u16(e, 0) != 0 || u16(e, 2) != 0) {
            throw new VerificationException(RejectionCode.MULTI_DISK, endWhere + ": disk numbers "
                    + u16(e, 0) + "/" + u16(e, 2) + ", expected 0/0");
        }
        if (u16(e, 4) == 0xFFFF || u16(e, 6) == 0xFFFF || u32(e, 8) == U32 || u32(e, 12) == U32) {
            throw zip64(centralEnd);
        }
        if (u16(e, 4) != locals.size() || u16(e, 6) != locals.size()) {
            throw new VerificationException(RejectionCode.CENTRAL_DIRECTORY_MISMATCH, endWhere + ": says "
                    + u16(e, 6) + " entries (" + u16(e, 4) + " on this disk), the archive has " + locals.size());
        }
        if (u32(e, 12) != centralStart) {
            throw new VerificationException(RejectionCode.CENTRAL_DIRECTORY_MISMATCH, endWhere
                    + ": central directory offset " + u32(e, 12) + ", actual " + centralStart);
        }
        if (u32(e, 8) != centralEnd - centralStart) {
            throw new VerificationException(RejectionCode.CENTRAL_DIRECTORY_MISMATCH, endWhere
                    + ": central directory size " + u32(e, 8) + ", actual " + (centralEnd - centralStart));
        }
        if (u16(e, 16) != 0) {
            throw new VerificationException(RejectionCode.NONCANONICAL_HEADER, endWhere + ": archive comment of "
                    + u16(e, 16) + " bytes, the format allows none");
        }
        long end = src.offset();
        if (!src.atEnd()) {
            throw new VerificationException(RejectionCode.TRAILING_DATA, "offset " + end
                    + ": data after the end of central directory record");
        }

        if (manifest == null) {
            throw new VerificationException(RejectionCode.MANIFEST_MISSING, "bundle has no " + MANIFEST_ENTRY);
        }
        for (Manifest.FileEntry f : manifest.files()) {
            if (!names.contains(f.path())) {
                throw new VerificationException(RejectionCode.MISSING_FILE, "file " + EntryNames.quote(f.path())
                        + " is listed in " + MANIFEST_ENTRY + " but not in the bundle");
            }
        }
        if (policy.requiresSignature()) {
            if (signature == null) {
                throw new VerificationException(RejectionCode.SIGNATURE_MISSING, "bundle has no " + SIGNATURE_ENTRY);
            }
            early.finish(digests);
        }
        return new VerifiedBundle(file, end, manifest, entries, policy.requiresSignature());
    }

    private static void checkLocalFields(String where, int version, int flags, int method, int time, int date,
            long csize, long usize) throws VerificationException {
        if (csize == U32 || usize == U32 || version >= 45) {
            throw new VerificationException(RejectionCode.ZIP64_UNSUPPORTED, where
                    + ": ZIP64 sizes or version " + version + "; the format does not use ZIP64");
        }
        if ((flags & 0x0001) != 0) {
            throw new VerificationException(RejectionCode.UNSUPPORTED_FLAGS, where + ": entry is encrypted (flag bit 0)");
        }
        if ((flags & 0x0008) != 0) {
            throw new VerificationException(RejectionCode.UNSUPPORTED_FLAGS, where
                    + ": sizes deferred to a data descriptor (flag bit 3)");
        }
        if (flags != BundleFormat.FLAGS) {
            throw new VerificationException(RejectionCode.UNSUPPORTED_FLAGS, String.format(
                    "%s: general-purpose flags 0x%04x, expected 0x%04x (UTF-8 names only)", where, flags, BundleFormat.FLAGS));
        }
        if (method != 0) {
            throw new VerificationException(RejectionCode.COMPRESSED_ENTRY, where + ": compression method " + method
                    + ", expected 0 (stored)");
        }
        if (csize != usize) {
            throw new VerificationException(RejectionCode.SIZE_MISMATCH, where + ": compressed size " + csize
                    + " differs from uncompressed size " + usize + " for a stored entry");
        }
        if (version != BundleFormat.VERSION_NEEDED) {
            throw new VerificationException(RejectionCode.NONCANONICAL_HEADER, where + ": version needed "
                    + version + ", expected " + BundleFormat.VERSION_NEEDED);
        }
        if (time != BundleFormat.DOS_TIME || date != BundleFormat.DOS_DATE) {
            throw new VerificationException(RejectionCode.NONCANONICAL_HEADER, String.format(
                    "%s: timestamp 0x%04x/0x%04x, expected 1980-01-01 00:00 (0x%04x/0x%04x)",
                    where, date, time, BundleFormat.DOS_DATE, BundleFormat.DOS_TIME));
        }
    }

    private static void checkAlignmentExtra(String where, long headerOffset, int nameLength, byte[] extra,
            long dataOffset) throws VerificationException {
        for (int i = 0; i + 4 <= extra.length; ) {
            int id = u16(extra, i);
            if (id == 0x0001) {
                throw new VerificationException(RejectionCode.ZIP64_UNSUPPORTED, where + ": ZIP64 extra field");
            }
            i += 4 + u16(extra, i + 2);
        }
        if (dataOffset % ALIGNMENT != 0) {
            throw new VerificationException(RejectionCode.MISALIGNED_ENTRY, where + ": data at offset " + dataOffset
                    + " is not a multiple of " + ALIGNMENT);
        }
        int expected = BundleFormat.alignmentExtraLength(headerOffset, nameLength);
        boolean ok = extra.length == expected;
        if (ok && expected > 0) {
            ok = u16(extra, 0) == BundleFormat.ALIGNMENT_EXTRA_ID && u16(extra, 2) == expected - 4
                    && u16(extra, 4) == ALIGNMENT;
            for (int i = 6; ok && i < extra.length; i++) {
                ok = extra[i] == 0;
            }
        }
        if (!ok) {
            throw new VerificationException(RejectionCode.NONCANONICAL_HEADER, where + ": extra field of "
                    + extra.length + " bytes is not the canonical " + expected + "-byte alignment padding");
        }
    }

    private static void checkCentral(Source src, Local local, long at) throws VerificationException, IOException {
        byte[] c = src.read(42, "central directory record at offset " + at);
        String where = "entry " + EntryNames.quote(local.name) + " (central record at offset " + at + ")";
        int madeBy = u16(c, 0);
        int nameLength = u16(c, 24);
        int extraLength = u16(c, 26);
        int commentLength = u16(c, 28);
        long headerOffset = u32(c, 38);
        if (u32(c, 16) == U32 || u32(c, 20) == U32 || headerOffset == U32) {
            throw zip64(at);
        }
        if (nameLength != local.rawName.length) {
            throw new VerificationException(RejectionCode.HEADER_MISMATCH, where + ": name is " + nameLength
                    + " bytes, the local header's " + local.rawName.length);
        }
        byte[] rawName = src.read(nameLength, where + " name");
        if (!Arrays.equals(rawName, local.rawName)) {
            throw new VerificationException(RejectionCode.HEADER_MISMATCH, where + ": central name "
                    + EntryNames.quote(new String(rawName, java.nio.charset.StandardCharsets.UTF_8))
                    + " differs from the local header's");
        }
        if (headerOffset != local.headerOffset) {
            throw new VerificationException(RejectionCode.OVERLAPPING_ENTRIES, where + ": points at local header offset "
                    + headerOffset + ", but the entry's local header is at " + local.headerOffset);
        }
        mismatch(where, "version needed", u16(c, 2), local.version);
        mismatch(where, "flags", u16(c, 4), local.flags);
        mismatch(where, "compression method", u16(c, 6), local.method);
        mismatch(where, "time", u16(c, 8), local.time);
        mismatch(where, "date", u16(c, 10), local.date);
        mismatch(where, "crc-32", u32(c, 12), local.crc);
        mismatch(where, "compressed size", u32(c, 16), local.size);
        mismatch(where, "uncompressed size", u32(c, 20), local.size);
        if (u16(c, 30) != 0) {
            throw new VerificationException(RejectionCode.MULTI_DISK, where + ": disk number " + u16(c, 30));
        }
        long attributes = u32(c, 34);
        int mode = (int) (attributes >>> 16);
        int type = mode & 0170000;
        if ((madeBy >>> 8) != 3) {
            throw new VerificationException(RejectionCode.NONCANONICAL_HEADER, where + ": made by host "
                    + (madeBy >>> 8) + ", expected 3 (Unix)");
        }
        if (type == 0120000) {
            throw new VerificationException(RejectionCode.SYMLINK_ENTRY, where + ": is a symbolic link (mode "
                    + Integer.toOctalString(mode) + ")");
        }
        if (type == 0040000 || (attributes & 0x10) != 0) {
            throw new VerificationException(RejectionCode.DIRECTORY_ENTRY, where + ": is a directory (mode "
                    + Integer.toOctalString(mode) + ")");
        }
        if (type != 0100000) {
            throw new VerificationException(RejectionCode.SPECIAL_FILE_ENTRY, where + ": is not a regular file (mode "
                    + Integer.toOctalString(mode) + ")");
        }
        if (attributes != BundleFormat.EXTERNAL_ATTRIBUTES || madeBy != BundleFormat.VERSION_MADE_BY
                || u16(c, 32) != 0) {
            throw new VerificationException(RejectionCode.NONCANONICAL_HEADER, String.format(
                    "%s: made-by 0x%04x, internal 0x%04x, external 0x%08x; expected 0x%04x, 0, 0x%08x",
                    where, madeBy, u16(c, 32), attributes, BundleFormat.VERSION_MADE_BY,
                    BundleFormat.EXTERNAL_ATTRIBUTES));
        }
        if (extraLength != 0 || commentLength != 0) {
            byte[] extra = src.read(Math.min(extraLength, 65535), where + " extra field");
            for (int i = 0; i + 4 <= extra.length; i += 4 + u16(extra, i + 2)) {
                if (u16(extra, i) == 0x0001) {
                    throw zip64(at);
                }
            }
            throw new VerificationException(RejectionCode.NONCANONICAL_HEADER, where + ": central extra field "
                    + extraLength + " bytes and comment " + commentLength + " bytes, expected none");
        }
    }

    private static void mismatch(String where, String field, long central, long local) throws VerificationException {
        if (central != local) {
            throw new VerificationException(RejectionCode.HEADER_MISMATCH, where + ": central " + field + " "
                    + central + " differs from the local header's " + local);
        }
    }

    private static void checkCrc(String where, long expected, long actual) throws VerificationException {
        if (expected != actual) {
            throw new VerificationException(RejectionCode.CRC_MISMATCH, String.format(
                    "%s: crc-32 expected %08x, got %08x", where, expected, actual));
        }
    }

    private static VerificationException zip64(long at) {
        return new VerificationException(RejectionCode.ZIP64_UNSUPPORTED, "offset " + at
                + ": ZIP64 record or marker; the format does not use ZIP64 (bundles are below 4 GiB)");
    }

    private static VerificationException unexpected(int record, long at, String expected) {
        return new VerificationException(RejectionCode.DATA_OUTSIDE_ENTRIES, String.format(
                "offset %d: expected %s, got 0x%08x (data outside any entry)", at, expected, record));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int i) {
        return ((b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24);
    }

    static String hex(byte[] b) {
        char[] digits = "0123456789abcdef".toCharArray();
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = digits[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[b[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Runs {@link SignatureCheck#begin} on a helper thread, so that checking the signature and its
     * signer overlaps with hashing the payloads; the result is only looked at after every
     * structural check has passed, so rejections keep their order.
     */
    private static final class EarlySignature extends Thread {
        private final SignatureCheck check;
        private final byte[] signature;
        private SignatureCheck.Pending pending;
        private Throwable failure;

        EarlySignature(SignatureCheck check, byte[] signature) {
            super("satchel-verifier-signature");
            setDaemon(true);
            this.check = check;
            this.signature = signature;
        }

        @Override
        public void run() {
            try {
                pending = check.begin(signature);
            } catch (Throwable t) {
                failure = t;
            }
        }

        void finish(Map<String, byte[]> digests) throws VerificationException, IOException {
            try {
                join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while checking the signature");
            }
            if (failure instanceof VerificationException) {
                throw (VerificationException) failure;
            }
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure != null) {
                throw (Error) failure;
            }
            pending.finish(digests);
        }
    }

    /** Sequential reader with a fixed buffer, a byte budget and an optional tee. */
    private static final class Source {
        private final ReadableByteChannel ch;
        private final WritableByteChannel tee;
        private final long limit;
        private final byte[] buf = new byte[BUFFER];
        private ByteBuffer[] pipe;
        private int pos;
        private int lim;
        private long base;
        private boolean eof;

        Source(ReadableByteChannel ch, WritableByteChannel tee, long limit) {
            this.ch = ch;
            this.tee = tee;
            this.limit = limit;
        }

        long offset() {
            return base + pos;
        }

        private boolean fill() throws IOException, VerificationException {
            if (eof) {
                return false;
            }
            base += lim;
            pos = 0;
            lim = 0;
            ByteBuffer bb = ByteBuffer.wrap(buf);
            int n;
            do {
                n = ch.read(bb);
            } while (n == 0);
            if (n < 0) {
                eof = true;
                return false;
            }
            lim = n;
            if (base + lim > limit) {
                throw new VerificationException(RejectionCode.TOO_LARGE, "bundle is larger than the policy's "
                        + limit + " bytes");
            }
            if (tee != null) {
                ByteBuffer w = ByteBuffer.wrap(buf, 0, n);
                while (w.hasRemaining()) {
                    tee.write(w);
                }
            }
            return true;
        }

        byte[] read(int n, String what) throws IOException, VerificationException {
            byte[] out = new byte[n];
            int done = 0;
            while (done < n) {
                if (pos == lim && !fill()) {
                    throw truncated(what);
                }
                int k = Math.min(n - done, lim - pos);
                System.arraycopy(buf, pos, out, done, k);
                pos += k;
                done += k;
            }
            return out;
        }

        int readInt(String what) throws IOException, VerificationException {
            byte[] b = read(4, what);
            return (int) u32(b, 0);
        }

        void digest(long n, MessageDigest md, CRC32 crc, String what) throws IOException, VerificationException {
            long left = n;
            int buffered = (int) Math.min(left, lim - pos);
            if (buffered > 0) {
                md.update(buf, pos, buffered);
                crc.update(buf, pos, buffered);
                pos += buffered;
                left -= buffered;
            }
            if (left >= PIPELINE_MIN_BYTES && !eof) {
                pipelined(left, md, crc, what);
                return;
            }
            while (left > 0) {
                if (pos == lim && !fill()) {
                    throw truncated(what);
                }
                int k = (int) Math.min(left, lim - pos);
                md.update(buf, pos, k);
                crc.update(buf, pos, k);
                pos += k;
                left -= k;
            }
        }

        /**
         * Large entries: a helper thread reads, CRCs and tees the bytes while this thread computes
         * SHA-256, the dominant cost. Direct buffers, so that the channel reads into and writes from
         * them without the JDK's copy through a temporary direct buffer on each call; the digest
         * copies 4 KiB at a time into its own array, which stays in L1. Bytes reach the tee in order
         * and are hashed in order. Only called with {@link #buf} fully consumed.
         */
        private void pipelined(long n, MessageDigest md, CRC32 crc, String what)
                throws IOException, VerificationException {
            base += lim;
            pos = 0;
            lim = 0;
            final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(PIPE_BUFFERS);
            final BlockingQueue<Object> full = new ArrayBlockingQueue<>(PIPE_BUFFERS + 1);
            if (pipe == null) {
                pipe = new ByteBuffer[PIPE_BUFFERS];
                for (int i = 0; i < PIPE_BUFFERS; i++) {
                    pipe[i] = ByteBuffer.allocateDirect(BUFFER);
                }
            }
            free.addAll(Arrays.asList(pipe));
            final Object end = new Object();
            final Object truncatedMark = new Object();
            final IOException[] failure = new IOException[1];
            Thread producer = new Thread(() -> {
                long remaining = n;
                try {
                    while (remaining > 0) {
                        ByteBuffer b = free.take();
                        int want = (int) Math.min(remaining, BUFFER);
                        // Buffer methods through Buffer: Java 9+ overrides returning ByteBuffer
                        // do not exist on Android 26 (nor on Java 8).
                        Buffer bb = b;
                        bb.clear().limit(want);
                        while (b.hasRemaining() && ch.read(b) >= 0) {
                            // a channel may return fewer bytes than asked
                        }
                        bb.flip();
                        int got = b.remaining();
                        if (got > 0) {
                            crc.update(b);
                            if (tee != null) {
                                bb.rewind();
                                while (b.hasRemaining()) {
                                    tee.write(b);
                                }
                            }
                            bb.rewind();
                            full.put(b);
                            remaining -= got;
                        }
                        if (got < want) {
                            full.put(truncatedMark);
                            return;
                        }
                    }
                    full.put(end);
                } catch (IOException ex) {
                    failure[0] = ex;
                    full.offer(end);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }, "satchel-verifier-reader");
            producer.setDaemon(true);
            producer.start();
            long consumed = 0;
            boolean done = false;
            try {
                while (true) {
                    Object o = full.take();
                    if (o == end) {
                        break;
                    }
                    if (o == truncatedMark) {
                        base += consumed;
                        eof = true;
                        throw truncated(what);
                    }
                    ByteBuffer b = (ByteBuffer) o;
                    consumed += b.remaining();
                    md.update(b);
                    free.put(b);
                }
                done = true;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while verifying " + what);
            } finally {
                if (!done) {
                    producer.interrupt();
                }
                try {
                    producer.join();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            base += consumed;
        }

        boolean atEnd() throws IOException, VerificationException {
            return pos == lim && !fill();
        }

        private VerificationException truncated(String what) {
            return new VerificationException(RejectionCode.TRUNCATED, "input ends at offset " + offset()
                    + " inside " + what);
        }
    }
}
