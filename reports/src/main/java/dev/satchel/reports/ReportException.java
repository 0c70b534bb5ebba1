package dev.satchel.reports;

import java.util.Objects;

/** A report document that cannot be read or rendered. Carries a stable {@link Code}. */
public final class ReportException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Stable failure codes. */
    public enum Code {
        /** The document is not JSON. */
        NOT_JSON,
        /** The {@code schema} field is missing or names another schema or major version. */
        WRONG_SCHEMA,
        /** A required field is missing or has the wrong type; the message names its JSON pointer. */
        INVALID_FIELD,
        /** An embedded input (check or quantization report) is not valid. */
        INVALID_INPUT
    }

    private final Code code;

    public ReportException(Code code, String message, Throwable cause) {
        super(code.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + message, cause);
        this.code = Objects.requireNonNull(code);
    }

    public ReportException(Code code, String message) {
        this(code, message, null);
    }

    public Code code() {
        return code;
    }
}
