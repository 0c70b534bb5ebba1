package dev.satchel.model;

import java.util.Objects;

/**
 * A graph input or output as declared in the model. {@code kind} is {@code tensor} for tensors
 * (then {@code type} is set), otherwise the ONNX type kind ({@code sequence}, {@code map},
 * {@code optional}, {@code sparse_tensor}, {@code opaque}) with {@code type} possibly null.
 */
public record ValueInfo(String name, String kind, TensorType type) {
    public ValueInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
