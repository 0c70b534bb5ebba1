package dev.satchel.verifier.bundle;

/**
 * Why a bundle (or an install) was refused. Stable: apps, scripts and telemetry branch on these
 * names, so a code is never renamed or reused for a different meaning (docs/bundle-format.md §7).
 */
public enum RejectionCode {
    /** The input ended inside a record or an entry's data. */
    TRUNCATED,
    /** Offset 0 does not hold a local file header (not a ZIP, or data prepended to it). */
    NOT_A_BUNDLE,
    /** Bytes between entries or between the last entry and the central directory. */
    DATA_OUTSIDE_ENTRIES,
    /** A central directory record points at another entry's bytes or out of order. */
    OVERLAPPING_ENTRIES,
    /** Bytes after the end-of-central-directory record. */
    TRAILING_DATA,
    /** Local and central headers of one entry disagree. */
    HEADER_MISMATCH,
    /** The central directory does not list exactly the local entries, or the end record lies about it. */
    CENTRAL_DIRECTORY_MISMATCH,
    /** An entry is not stored (compression method other than 0). */
    COMPRESSED_ENTRY,
    /** General-purpose flags other than UTF-8 names: encryption, data descriptors, patches. */
    UNSUPPORTED_FLAGS,
    /** A ZIP64 record or 0xFFFF/0xFFFFFFFF marker; the format does not use ZIP64. */
    ZIP64_UNSUPPORTED,
    /** A multi-disk (spanned) archive. */
    MULTI_DISK,
    /** A header field differs from the one canonical value the format allows (time, version, extra, comment). */
    NONCANONICAL_HEADER,
    /** An entry's data does not start at a multiple of the alignment. */
    MISALIGNED_ENTRY,
    /** Compressed and uncompressed sizes differ, or an entry's size differs from the manifest. */
    SIZE_MISMATCH,
    /** The CRC-32 in the headers does not match the entry's bytes. */
    CRC_MISMATCH,
    /** The SHA-256 of an entry differs from the manifest. */
    DIGEST_MISMATCH,
    /** A name starts with '/' or a drive letter. */
    ABSOLUTE_PATH,
    /** A name has a "." or ".." segment or an empty segment. */
    PATH_TRAVERSAL,
    /** A name contains a backslash. */
    BACKSLASH_IN_NAME,
    /** A name contains NUL or another control character. */
    CONTROL_CHARACTER_IN_NAME,
    /** A name is empty, too long, not UTF-8, or uses a character the format reserves. */
    INVALID_NAME,
    /** Two entries have the same name. */
    DUPLICATE_NAME,
    /** Two names differ only in case or Unicode normalisation (they collide on many filesystems). */
    CASE_COLLISION,
    /** An entry is a directory (name ends in '/' or directory mode). */
    DIRECTORY_ENTRY,
    /** An entry is a symbolic link (Unix mode in external attributes). */
    SYMLINK_ENTRY,
    /** An entry is a device, FIFO or socket, or has other non-regular-file attributes. */
    SPECIAL_FILE_ENTRY,
    /** Entries are not in the canonical order (model.sig, satchel.json, then payloads by UTF-8 bytes). */
    ENTRY_ORDER,
    /** More entries than the policy allows. */
    TOO_MANY_ENTRIES,
    /** The bundle, an entry, the manifest or the signature is larger than the policy allows. */
    TOO_LARGE,
    /** No satchel.json entry. */
    MANIFEST_MISSING,
    /** satchel.json is not valid JSON or breaks the manifest schema. */
    MANIFEST_INVALID,
    /** An entry the manifest does not list. */
    UNLISTED_FILE,
    /** A file the manifest lists is not in the bundle. */
    MISSING_FILE,
    /** No model.sig entry and the policy requires a signature. */
    SIGNATURE_MISSING,
    /** model.sig does not verify against the trusted keys or does not cover exactly the other entries. */
    SIGNATURE_INVALID,
    /** The bundle's version is not above the installed one. */
    ROLLBACK,
    /** The bundle is for another model name than the store's. */
    WRONG_MODEL,
    /** The bundle's compatibility claims exclude this device. */
    DEVICE_EXCLUDED,
    /** The store's state file or installed bundle is damaged and no verified version remains. */
    STORE_CORRUPT
}
