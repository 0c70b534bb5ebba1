package dev.satchel.cli.build;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** One problem in a satchel.yaml: where, a stable code, and what is wrong. */
public record ConfigProblem(Path file, int line, Code code, String message) {
    /** Stable problem codes (docs/satchel-yaml.md). */
    public enum Code {
        YAML_SYNTAX, UNKNOWN_KEY, MISSING_KEY, WRONG_TYPE, BAD_VALUE, FILE_NOT_FOUND, UNKNOWN_DEVICE;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public ConfigProblem {
        Objects.requireNonNull(file);
        Objects.requireNonNull(code);
        Objects.requireNonNull(message);
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + code.label() + ": " + message;
    }
}
