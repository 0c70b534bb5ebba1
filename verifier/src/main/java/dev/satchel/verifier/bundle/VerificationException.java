package dev.satchel.verifier.bundle;

/**
 * A bundle or install was refused. {@link #code()} is stable; the message says what, where, and
 * expected versus actual, e.g. {@code entry 'model.onnx': sha256 expected ab12..., got 9f3c...}.
 */
public final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final RejectionCode code;

    public VerificationException(RejectionCode code, String message) {
        super(message);
        this.code = code;
    }

    public VerificationException(RejectionCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public RejectionCode code() {
        return code;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
