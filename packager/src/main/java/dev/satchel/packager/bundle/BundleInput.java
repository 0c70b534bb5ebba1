package dev.satchel.packager.bundle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One payload file for a bundle: its entry name inside the bundle, the file to read, and its
 * kind ({@code model} for an ONNX model the app loads, {@code data} for anything else).
 */
public record BundleInput(String path, Path source, String kind) {
    public BundleInput {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(source, "source");
        if (!"model".equals(kind) && !"data".equals(kind)) {
            throw new IllegalArgumentException("kind must be 'model' or 'data': " + kind);
        }
    }

    /** {@code model} for {@code *.onnx}, else {@code data}. */
    public static BundleInput of(String path, Path source) {
        return new BundleInput(path, source, path.endsWith(".onnx") ? "model" : "data");
    }
}
