package dev.satchel.devices.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One result of a check: a stable code, a severity, a plain-words message that says what, where,
 * expected vs. actual, the nodes involved (possibly empty) and a suggested fix where one exists.
 * Immutable.
 */
public record Finding(FindingCode code, Severity severity, String message, List<String> nodes, Optional<String> fix) {
    public Finding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(fix, "fix");
    }

    static Finding of(FindingCode code, Severity severity, String message) {
        return new Finding(code, severity, message, List.of(), Optional.empty());
    }
}
