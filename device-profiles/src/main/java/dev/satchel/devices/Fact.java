package dev.satchel.devices;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One fact about a device with its provenance: the value, how it is known, the sources behind it
 * and, for estimates and computed values, the reasoning. Immutable when {@code T} is.
 *
 * <p>The compact constructor enforces the catalogue's rules: vendor, reported, community-measured
 * and computed facts name at least one source; estimates and computed facts carry a basis.
 *
 * @param <T> the value type (Long for MiB and counts, Double for rates, String, List...)
 */
public record Fact<T>(T value, Evidence evidence, List<Source> sources, Optional<String> basis,
        Optional<String> note) {
    public Fact {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(evidence, "evidence");
        sources = List.copyOf(sources);
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(note, "note");
        if (evidence.needsSource() && sources.isEmpty()) {
            throw new IllegalArgumentException(evidence.label() + " fact needs at least one source");
        }
        if (evidence.needsBasis() && basis.map(String::isBlank).orElse(true)) {
            throw new IllegalArgumentException(evidence.label() + " fact needs a basis");
        }
    }

    /** A fact whose value is our judgement; printed with an "estimate" label. */
    public boolean isEstimate() {
        return evidence == Evidence.ESTIMATE;
    }

    /** The same provenance with another value (used when a value is converted, not re-sourced). */
    public <U> Fact<U> withValue(U newValue) {
        return new Fact<>(newValue, evidence, sources, basis, note);
    }
}
