package dev.satchel.devices.ep;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One condition an execution provider puts on a node before it takes it, in a form a checker can
 * evaluate against the graph. {@code text} is the wording of the source the condition came from.
 * All implementations are immutable records.
 */
public sealed interface Constraint {
    /** The source wording ("2D only", "weights and bias constant"). */
    String text();

    /** The stable spelling used in the data files ({@code const-inputs}). */
    String kind();

    /** The listed inputs, when present on the node, must be initializers or Constant outputs. */
    record ConstInputs(List<Integer> inputs, String text) implements Constraint {
        public ConstInputs {
            inputs = List.copyOf(inputs);
            inputs.forEach(i -> requireIndex(i));
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "const-inputs";
        }
    }

    /** The rank of input {@code input} must lie in [min, max]; an empty max means no upper limit. */
    record InputRank(int input, int min, Optional<Integer> max, String text) implements Constraint {
        public InputRank {
            requireIndex(input);
            if (min < 0 || max.map(m -> m < min).orElse(false)) {
                throw new IllegalArgumentException("bad rank range " + min + ".." + max);
            }
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "input-rank";
        }
    }

    /** Input {@code input} must have one of the ONNX element types {@code allowed} (float32, uint8...). */
    record InputDtypes(int input, List<String> allowed, String text) implements Constraint {
        public InputDtypes {
            requireIndex(input);
            allowed = List.copyOf(allowed);
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException("empty dtype set");
            }
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "input-dtypes";
        }
    }

    /**
     * The listed inputs must carry quantized values of one of {@code dtypes}: produced by a
     * DequantizeLinear whose quantized input has that type (a QDQ node unit), or of that type
     * themselves.
     */
    record QuantizedInputs(List<Integer> inputs, List<String> dtypes, String text) implements Constraint {
        public QuantizedInputs {
            inputs = List.copyOf(inputs);
            inputs.forEach(i -> requireIndex(i));
            dtypes = List.copyOf(dtypes);
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "quantized-inputs";
        }
    }

    /** Attribute {@code name} (or its ONNX default when absent) must be one of {@code allowed}. */
    record AttributeIn(String name, List<String> allowed, Optional<String> defaultValue, String text)
            implements Constraint {
        public AttributeIn {
            Objects.requireNonNull(name);
            allowed = List.copyOf(allowed);
            Objects.requireNonNull(defaultValue);
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "attribute-in";
        }
    }

    /** Attribute {@code name} (or its ONNX default when absent) must not be one of {@code forbidden}. */
    record AttributeNotIn(String name, List<String> forbidden, Optional<String> defaultValue, String text)
            implements Constraint {
        public AttributeNotIn {
            Objects.requireNonNull(name);
            forbidden = List.copyOf(forbidden);
            Objects.requireNonNull(defaultValue);
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "attribute-not-in";
        }
    }

    /** None of the listed attributes may be set. */
    record AttributeAbsent(List<String> names, String text) implements Constraint {
        public AttributeAbsent {
            names = List.copyOf(names);
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "attribute-absent";
        }
    }

    /** From opset {@code sinceOpset} on, attribute {@code attribute} must name the last axis. */
    record LastAxis(String attribute, int defaultValue, int sinceOpset, String text) implements Constraint {
        public LastAxis {
            Objects.requireNonNull(attribute);
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "last-axis";
        }
    }

    /** The node may use at most {@code max} of its outputs. */
    record MaxOutputs(int max, String text) implements Constraint {
        public MaxOutputs {
            if (max < 1) {
                throw new IllegalArgumentException("max outputs must be >= 1");
            }
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "max-outputs";
        }
    }

    /**
     * A documented condition that cannot be decided from the graph alone (data-dependent, or
     * conditional on other facts). Checkers report it as a caveat, never as a pass or a fail.
     */
    record Unevaluated(String text) implements Constraint {
        public Unevaluated {
            Objects.requireNonNull(text);
        }

        @Override
        public String kind() {
            return "unevaluated";
        }
    }

    private static void requireIndex(int i) {
        if (i < 0 || i > 64) {
            throw new IllegalArgumentException("input index out of range: " + i);
        }
    }
}
