package dev.satchel.devices;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The CPU. {@code features} are lowercase ISA feature tokens as the OS reports them where possible
 * ({@code neon}, {@code dotprod}, {@code i8mm}, {@code sve2}, {@code avx2}, {@code avx-vnni},
 * {@code wasm-simd128}); they decide which int8 kernels ORT's CPU EP can use. Immutable.
 */
public record Cpu(Optional<Fact<Long>> cores, Optional<String> layout, Optional<Fact<String>> isa,
        Optional<Fact<List<String>>> features) {
    public Cpu {
        Objects.requireNonNull(cores, "cores");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(isa, "isa");
        Objects.requireNonNull(features, "features");
        features = features.map(f -> f.withValue(List.copyOf(f.value())));
    }

    /** Whether the CPU is known to have the feature (unknown counts as absent). */
    public boolean hasFeature(String feature) {
        return features.map(f -> f.value().contains(feature)).orElse(false);
    }
}
