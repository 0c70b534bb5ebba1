package dev.satchel.model;

import java.util.Objects;

/**
 * One tensor dimension: a known size, a symbol ({@code batch_size}, or an expression such as
 * {@code sequence_length*2} derived by shape inference), or unknown.
 *
 * <p>Immutable.
 */
public final class Dim {
    private static final Dim UNKNOWN = new Dim(-1, null);

    private final long value;
    private final String symbol;

    private Dim(long value, String symbol) {
        this.value = value;
        this.symbol = symbol;
    }

    public static Dim of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("dimension must be >= 0, got " + value);
        }
        return new Dim(value, null);
    }

    public static Dim symbol(String symbol) {
        if (symbol == null || symbol.isEmpty()) {
            return UNKNOWN;
        }
        return new Dim(-1, symbol);
    }

    public static Dim unknown() {
        return UNKNOWN;
    }

    public boolean isKnown() {
        return value >= 0;
    }

    public boolean isSymbolic() {
        return symbol != null;
    }

    public boolean isUnknown() {
        return value < 0 && symbol == null;
    }

    /** The size; only meaningful when {@link #isKnown()}. */
    public long value() {
        if (value < 0) {
            throw new IllegalStateException("dimension " + this + " is not a known size");
        }
        return value;
    }

    /** The symbol or expression; {@code null} unless {@link #isSymbolic()}. */
    public String symbol() {
        return symbol;
    }

    /** Product of two dims; symbolic operands give a symbolic expression. */
    public Dim times(Dim other) {
        if (isKnown() && other.isKnown()) {
            return of(Math.multiplyExact(value, other.value));
        }
        if (isKnown() && value == 1) {
            return other;
        }
        if (other.isKnown() && other.value == 1) {
            return this;
        }
        if (isKnown() && value == 0 || other.isKnown() && other.value == 0) {
            return of(0);
        }
        if (isUnknown() || other.isUnknown()) {
            return UNKNOWN;
        }
        return symbol(wrap(this) + "*" + wrap(other));
    }

    public Dim plus(Dim other) {
        if (isKnown() && other.isKnown()) {
            return of(Math.addExact(value, other.value));
        }
        if (isKnown() && value == 0) {
            return other;
        }
        if (other.isKnown() && other.value == 0) {
            return this;
        }
        if (isUnknown() || other.isUnknown()) {
            return UNKNOWN;
        }
        return symbol(wrap(this) + "+" + wrap(other));
    }

    private static String wrap(Dim d) {
        if (d.isKnown()) {
            return Long.toString(d.value);
        }
        return d.symbol.matches("[A-Za-z0-9_.:]+") ? d.symbol : "(" + d.symbol + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Dim)) {
            return false;
        }
        Dim d = (Dim) o;
        return value == d.value && Objects.equals(symbol, d.symbol);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value) * 31 + Objects.hashCode(symbol);
    }

    /** {@code 384}, {@code batch_size}, or {@code ?}. */
    @Override
    public String toString() {
        return isKnown() ? Long.toString(value) : symbol != null ? symbol : "?";
    }
}
