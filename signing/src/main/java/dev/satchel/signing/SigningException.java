package dev.satchel.signing;

/**
 * Signing could not be done. Carries a stable {@link Code}; the message says what and where. The
 * cause is kept.
 */
public final class SigningException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Stable failure codes. */
    public enum Code {
        /** A key or certificate file cannot be read as one: bad PEM, wrong passphrase, mismatched chain. */
        KEY_INVALID,
        /** The key type or curve is not one we sign with (ECDSA P-256/P-384, Ed25519). */
        KEY_UNSUPPORTED,
        /** The model cannot be signed: empty, symlinks, special files, names unusable in shard mode. */
        MODEL_INVALID,
        /** The PKCS#11 token or its configuration failed (library, slot, PIN, alias). */
        TOKEN_ERROR,
        /** The written signature did not re-verify with the device verifier: a bug, the file was removed. */
        SELF_CHECK_FAILED
    }

    private final Code code;

    public SigningException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public SigningException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
