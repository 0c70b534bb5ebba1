package dev.satchel.verifier.signature;

/**
 * A model signature did not verify, or could not be checked. Carries a stable {@link Code}; the
 * message says what, where, and expected vs. actual. The cause is kept when there is one.
 */
public final class ModelSignatureException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Stable failure codes. Names are part of the CLI output and must not change. */
    public enum Code {
        /** There is no signature: no signature file, or an envelope without signatures. */
        UNSIGNED,
        /** The signing key (or its certificate chain) is not trusted by the trust configuration. */
        UNTRUSTED_KEY,
        /** The signature does not verify over the DSSE PAE bytes with the signing key. */
        BAD_SIGNATURE,
        /** A file's content (or the signed root digest) differs from what was signed. */
        DIGEST_MISMATCH,
        /** A signed file is missing from the model. */
        MISSING_FILE,
        /** The model holds a file the signature does not cover. */
        UNLISTED_FILE,
        /** The model holds something that cannot be signed: a symlink (unless allowed), a special file, a bad name. */
        INVALID_MODEL_FILE,
        /** The signature file or the trust configuration is not in the expected format. */
        MALFORMED,
        /** A key type, curve, hash or serialization method this verifier does not implement. */
        UNSUPPORTED_ALGORITHM,
        /** The signing key or certificate is outside its validity period. */
        KEY_EXPIRED,
        /** The signing key is on a signed revocation list. */
        KEY_REVOKED
    }

    private final Code code;

    public ModelSignatureException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public ModelSignatureException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    @Override
    public String getMessage() {
        return code + ": " + super.getMessage();
    }

    /** The message without the code prefix. */
    public String detail() {
        return super.getMessage();
    }
}
