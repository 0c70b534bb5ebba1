package dev.satchel.verifier.bundle;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The rules for entry names (docs/bundle-format.md §3): relative POSIX paths of at most 255 UTF-8
 * bytes, segments separated by '/', no empty, "." or ".." segment, no backslash, colon, control
 * character or NUL. Shared by the verifier and the packager so both apply the same rules.
 * Stateless and thread-safe.
 */
public final class EntryNames {
    /** Longest name in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 255;

    private EntryNames() {}

    /** Decodes a raw ZIP name strictly as UTF-8 and validates it. */
    public static String decode(byte[] raw) throws VerificationException {
        if (raw.length == 0 || raw.length > MAX_NAME_BYTES) {
            throw new VerificationException(RejectionCode.INVALID_NAME,
                    "entry name is " + raw.length + " bytes, expected 1 to " + MAX_NAME_BYTES);
        }
        String name;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            name = cb.toString();
        } catch (CharacterCodingException ex) {
            throw new VerificationException(RejectionCode.INVALID_NAME,
                    "entry name " + hex(raw) + " is not valid UTF-8", ex);
        }
        validate(name);
        return name;
    }

    /** Validates a decoded name. */
    public static void validate(String name) throws VerificationException {
        String shown = quote(name);
        if (name.isEmpty()) {
            throw new VerificationException(RejectionCode.INVALID_NAME, "entry name is empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new VerificationException(RejectionCode.INVALID_NAME,
                    "entry name " + shown + " is longer than " + MAX_NAME_BYTES + " UTF-8 bytes");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new VerificationException(RejectionCode.CONTROL_CHARACTER_IN_NAME,
                        "entry name " + shown + ": control character U+" + String.format("%04X", (int) c)
                                + " at index " + i);
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1)))) {
                if (!(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(name.charAt(i - 1)))) {
                    throw new VerificationException(RejectionCode.INVALID_NAME,
                            "entry name " + shown + ": lone surrogate at index " + i);
                }
            }
        }
        if (name.indexOf('\\') >= 0) {
            throw new VerificationException(RejectionCode.BACKSLASH_IN_NAME,
                    "entry name " + shown + " contains a backslash; names use '/' only");
        }
        if (name.charAt(0) == '/') {
            throw new VerificationException(RejectionCode.ABSOLUTE_PATH,
                    "entry name " + shown + " is absolute; names are relative paths");
        }
        if (name.length() >= 2 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0))) {
            throw new VerificationException(RejectionCode.ABSOLUTE_PATH,
                    "entry name " + shown + " starts with a drive letter");
        }
        if (name.endsWith("/")) {
            throw new VerificationException(RejectionCode.DIRECTORY_ENTRY,
                    "entry name " + shown + " is a directory; bundles hold regular files only");
        }
        if (name.indexOf(':') >= 0) {
            throw new VerificationException(RejectionCode.INVALID_NAME,
                    "entry name " + shown + " contains ':' (reserved: drive letters, NTFS streams, OMS shard names)");
        }
        int start = 0;
        while (start <= name.length()) {
            int end = name.indexOf('/', start);
            if (end < 0) {
                end = name.length();
            }
            String seg = name.substring(start, end);
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new VerificationException(RejectionCode.PATH_TRAVERSAL,
                        "entry name " + shown + " has a " + (seg.isEmpty() ? "empty" : "'" + seg + "'")
                                + " path segment");
            }
            start = end + 1;
        }
    }

    /**
     * The key under which two names collide on case-insensitive or normalising filesystems
     * (NTFS, APFS, HFS+, FAT, ext4 casefold): NFKC then lower case (root locale) then NFC again.
     */
    public static String collisionKey(String name) {
        if (isAscii(name)) {
            // Identical result: ASCII is stable under NFC and NFKC, and root-locale case mapping
            // keeps it ASCII. Skips loading the ICU normalisation data (milliseconds at start-up,
            // on the verifier's critical path; issue 6).
            return name.toLowerCase(Locale.ROOT);
        }
        String k = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(k, Normalizer.Form.NFC);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Compares names by their UTF-8 bytes (unsigned), the canonical entry order. */
    public static int compare(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            int c = (x[i] & 0xff) - (y[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return x.length - y.length;
    }

    /** A name quoted for messages, with control characters escaped. */
    public static String quote(String name) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < name.length() && i < 300; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length && i < 64; i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
