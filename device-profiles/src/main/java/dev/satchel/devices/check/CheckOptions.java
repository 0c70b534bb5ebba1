package dev.satchel.devices.check;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How to check: symbolic dimension bindings for shape inference ({@code batch_size=1}) and, for
 * decoder models with {@code past_key_values} inputs, the context length the KV cache is sized for.
 * Immutable.
 */
public record CheckOptions(Map<String, Long> dims, OptionalLong context) {
    public CheckOptions {
        dims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(dims, "dims")));
        Objects.requireNonNull(context, "context");
        dims.forEach((k, v) -> {
            if (v < 0) {
                throw new IllegalArgumentException("dim " + k + " must be >= 0");
            }
        });
        if (context.isPresent() && context.getAsLong() < 0) {
            throw new IllegalArgumentException("context must be >= 0");
        }
    }

    public static CheckOptions defaults() {
        return new CheckOptions(Map.of(), OptionalLong.empty());
    }
}
