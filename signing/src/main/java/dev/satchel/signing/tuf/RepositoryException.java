package dev.satchel.signing.tuf;

/** A repository operation was refused; nothing was written. Stable {@link Code}; the cause is kept. */
public final class RepositoryException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Stable failure codes. */
    public enum Code {
        /** {@code repo init} on a directory that already holds a repository. */
        ALREADY_INITIALISED,
        /** The directory holds no repository (no {@code 1.root.json}). */
        NOT_INITIALISED,
        /** Existing metadata cannot be read or does not chain together. */
        CORRUPT,
        /** The keys given cannot meet a role's threshold (names the role and the key ids it needs). */
        KEYS_MISSING,
        /** A key or threshold is unusable: unsupported type, threshold above the number of keys. */
        BAD_KEYS,
        /** The target path is already published with other bytes. */
        TARGET_EXISTS,
        /** A signing key failed. */
        SIGNING_FAILED
    }

    private final Code code;

    public RepositoryException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public RepositoryException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
