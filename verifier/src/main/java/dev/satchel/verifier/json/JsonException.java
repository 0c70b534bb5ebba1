package dev.satchel.verifier.json;

/**
 * A JSON document is not acceptable: it is not RFC 8259 JSON, breaks a strictness rule (duplicate
 * key, lone surrogate, trailing data), exceeds a {@link JsonLimits limit}, or a value has the wrong
 * type or is missing where a caller expects it.
 *
 * <p>The message always says where: a position ({@code line 3, column 7 (byte 41)}) for syntax
 * errors, a JSON pointer ({@code /dsseEnvelope/signatures/0/sig}) for shape errors.
 */
public final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Stable reason codes. */
    public enum Code {
        /** Not JSON: unexpected character, bad literal, bad number, unterminated string. */
        SYNTAX,
        /** Invalid string content: bad escape, lone surrogate, control character, invalid UTF-8. */
        BAD_STRING,
        /** An object repeats a member name. */
        DUPLICATE_KEY,
        /** Non-whitespace after the top-level value. */
        TRAILING_DATA,
        /** Nesting deeper than the limit. */
        TOO_DEEP,
        /** Input larger than the limit. */
        TOO_LARGE,
        /** A value is missing or has the wrong type or range for the caller. */
        SHAPE
    }

    private final Code code;
    private final String location;

    JsonException(Code code, String location, String message) {
        super(location + ": " + message);
        this.code = code;
        this.location = location;
    }

    /** Creates a shape error at a JSON pointer; for callers mapping JSON to their own values. */
    public static JsonException shape(String pointer, String message) {
        return new JsonException(Code.SHAPE, pointer.isEmpty() ? "/" : pointer, message);
    }

    public Code code() {
        return code;
    }

    /** Where: a JSON pointer for {@link Code#SHAPE}, otherwise {@code line L, column C (byte B)}. */
    public String location() {
        return location;
    }
}
