package dev.satchel.packager.bundle;

/** A bundle cannot be written from these inputs. The message says which input and why. */
public final class BundleWriteException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Stable reason codes. */
    public enum Code {
        /** An input name or file breaks the bundle rules (name, symlink, duplicate, size). */
        INVALID_INPUT,
        /** An input changed between hashing and writing. */
        INPUT_CHANGED,
        /** The manifest the spec describes does not parse with the device verifier. */
        INVALID_MANIFEST
    }

    private final Code code;

    public BundleWriteException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public BundleWriteException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
