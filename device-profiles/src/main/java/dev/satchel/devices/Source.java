package dev.satchel.devices;

import java.util.Objects;

/**
 * A reference behind profile facts: a short key used by facts, and what it points to (a URL, or
 * {@code repo/path@commit} for code read in a repository). Immutable.
 */
public record Source(String key, String ref) {
    public Source {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ref, "ref");
        if (key.isBlank() || ref.isBlank()) {
            throw new IllegalArgumentException("source key and ref must not be blank");
        }
    }
}
