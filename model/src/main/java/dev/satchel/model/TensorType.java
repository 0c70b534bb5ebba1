package dev.satchel.model;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The type of a tensor value: element type and shape. {@code shape} is {@code null} when even the
 * rank is unknown; {@code elementType} is {@code null} when unknown.
 */
public record TensorType(DataType elementType, List<Dim> shape) {
    public TensorType {
        shape = shape == null ? null : List.copyOf(shape);
    }

    public static TensorType unknown() {
        return new TensorType(null, null);
    }

    public boolean hasRank() {
        return shape != null;
    }

    public int rank() {
        if (shape == null) {
            throw new IllegalStateException("rank unknown");
        }
        return shape.size();
    }

    /** True when every dimension is a known size. */
    public boolean isFullyKnown() {
        return shape != null && shape.stream().allMatch(Dim::isKnown);
    }

    /** Number of elements, or -1 when not every dimension is known. */
    public long elementCount() {
        if (!isFullyKnown()) {
            return -1;
        }
        long n = 1;
        for (Dim d : shape) {
            n = Math.multiplyExact(n, d.value());
        }
        return n;
    }

    /** {@code float32[batch_size,128,384]}; {@code ?} for unknown parts. */
    @Override
    public String toString() {
        String t = elementType == null ? "?" : elementType.displayName();
        if (shape == null) {
            return t + "[?]";
        }
        return t + shape.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
    }

    public TensorType withShape(List<Dim> newShape) {
        return new TensorType(elementType, newShape);
    }

    public TensorType withElementType(DataType t) {
        return new TensorType(t, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && elementType == t.elementType && Objects.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(elementType, shape);
    }
}
