package dev.satchel.devices;

import java.util.Objects;

/**
 * A vendor peak-throughput figure: the value, its unit and the precision it was quoted at (vendors
 * often quote sparse int8 or leave the precision unstated). Immutable.
 */
public record Throughput(double value, Unit unit, String precision) {
    /** Tera-operations (integer) or tera-floating-point-operations per second. */
    public enum Unit {
        TOPS,
        TFLOPS
    }

    public Throughput {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(precision, "precision");
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("throughput must be a positive number: " + value);
        }
    }

    /** Operations per second. */
    public double opsPerSecond() {
        return value * 1e12;
    }
}
