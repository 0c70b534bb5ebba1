package dev.satchel.devices;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A compute unit on the device and how ONNX Runtime reaches it. Immutable.
 *
 * @param id short id unique within the profile ({@code npu}, {@code gpu}, {@code cpu})
 * @param executionProviders ids of the execution providers that reach this unit, in the order an
 *     app would try them (ids as in the execution-provider data: {@code qnn-htp}, {@code coreml},
 *     {@code nnapi}, {@code xnnpack}, {@code cpu}...); empty when ONNX Runtime cannot reach it
 * @param computeTypes the number formats the unit computes in natively
 * @param attributes vendor capability attributes, e.g. {@code hexagon: v75},
 *     {@code htp-supports-fp16: true}
 */
public record Accelerator(String id, String name, Kind kind, List<String> executionProviders,
        Fact<List<ComputeType>> computeTypes, Optional<Fact<Throughput>> peak, Map<String, String> attributes,
        Optional<String> notes) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /** The kind of compute unit. */
    public enum Kind {
        CPU,
        GPU,
        NPU,
        DSP;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Accelerator {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("accelerator id must match " + ID + ": " + id);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        executionProviders = List.copyOf(executionProviders);
        computeTypes = computeTypes.withValue(List.copyOf(computeTypes.value()));
        Objects.requireNonNull(peak, "peak");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(notes, "notes");
    }

    /** Whether ONNX Runtime can place work on this unit at all. */
    public boolean reachableFromOnnxRuntime() {
        return !executionProviders.isEmpty();
    }
}
