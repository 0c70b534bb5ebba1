package dev.satchel.devices;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing wrong with a profile file: where (file and 1-based line), a stable code, and a message
 * saying what was expected and what was found. Immutable. {@link #toString()} gives the
 * compiler-style line {@code file:line: code: message} that {@code satchel profiles validate}
 * prints.
 */
public record ProfileProblem(String file, int line, Code code, String message) {
    /** Stable problem codes; documented in docs/profile-schema.md. */
    public enum Code {
        /** The file is not well-formed YAML. */
        YAML_SYNTAX,
        /** A required field is absent. */
        MISSING_FIELD,
        /** A field the schema does not define (often a typo). */
        UNKNOWN_FIELD,
        /** The same key appears twice in one mapping. */
        DUPLICATE_KEY,
        /** A value has the wrong YAML type (a list where a number belongs, ...). */
        WRONG_TYPE,
        /** A value has the right type but is not allowed (negative memory, unknown class...). */
        INVALID_VALUE,
        /** A fact names a source key that the profile's {@code sources} map does not define. */
        UNKNOWN_SOURCE,
        /** A vendor, reported, measured or computed fact names no source. */
        MISSING_SOURCE,
        /** An estimate or computed fact does not say how it was reasoned. */
        MISSING_BASIS,
        /** An accelerator names an execution provider that Satchel has no data for. */
        UNKNOWN_EXECUTION_PROVIDER,
        /** {@code extends} names a profile that cannot be found. */
        UNKNOWN_PARENT,
        /** Following {@code extends} comes back to a profile already on the chain. */
        EXTENDS_CYCLE,
        /** Two profiles in one catalogue share an id. */
        DUPLICATE_ID,
        /** Values that are fine alone but contradict each other (model budget above app budget). */
        INCONSISTENT;

        /** The spelling printed in messages and JSON: {@code unknown-field}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public ProfileProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0 (0 = whole file): " + line);
        }
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + code.label() + ": " + message;
    }
}
