package dev.satchel.verifier.update;

/**
 * An update was refused or could not complete. {@link #code()} is stable (docs/update-repository.md
 * §6); the message says which file, expected versus actual. After any failure the trusted metadata
 * and the model store are as they were before the failing step, so the update can be retried.
 */
public final class UpdateException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Stable failure codes; never renamed or reused. */
    public enum Code {
        /** The trusted root given to the client is not TUF root metadata signed by its own keys. */
        TRUSTED_ROOT_INVALID,
        /** A metadata file is not TUF metadata: bad JSON, wrong {@code _type}, spec major version, key id. */
        METADATA_INVALID,
        /** {@code N+1.root.json} is not signed by a threshold of the trusted root's root keys (§5.3.4). */
        UNTRUSTED_ROOT,
        /** A role's metadata is not signed by a threshold of the keys the root names for it. */
        THRESHOLD_NOT_MET,
        /** Two signatures of one metadata file carry the same key id (each key counts once). */
        DUPLICATE_SIGNATURE,
        /** A version went down: root, timestamp, the snapshot it names, or a targets file (§5.3.5, §5.4.3, §5.5.5). */
        ROLLBACK,
        /** A version is not the one the referring metadata names (snapshot vs timestamp, targets vs snapshot). */
        VERSION_MISMATCH,
        /** Metadata expired before the update started: a freeze attack or a stale repository (§5.4.4). */
        EXPIRED,
        /** Snapshot or targets bytes differ from the length or hashes their referrer pinned: mix-and-match. */
        METADATA_MISMATCH,
        /** A file is longer than its limit: the length in metadata, or the client's cap (endless data). */
        TOO_LARGE,
        /** Downloaded target bytes differ from the length or hashes in targets metadata (arbitrary package). */
        TARGET_MISMATCH,
        /** A server was too slow: connect or read timeout, or a whole download over its time budget. */
        TIMEOUT,
        /** The server failed: connection refused or reset, HTTP error status, body ended early. */
        NETWORK,
        /** The bundle passed TUF but the model store or bundle verifier refused it; see the cause. */
        INSTALL_REFUSED
    }

    private final Code code;

    public UpdateException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public UpdateException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
