package dev.satchel.devices;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A declared target device (or device class): memory and storage budgets, CPU, accelerators and the
 * execution providers that reach them, OS and ONNX Runtime version, each fact with its evidence and
 * sources. Built by {@link ProfileReader} from YAML (docs/profile-schema.md); immutable and safe to
 * share between threads.
 *
 * @param id stable lowercase id ({@code google-pixel-8})
 * @param ramGb installed RAM in (decimal, marketing) GB; empty for host-dependent targets (browsers)
 * @param onnxRuntime the ONNX Runtime version the app ships on this device ({@code 1.20});
 *     decides the maximum opset and which operator tables apply
 * @param limits hard per-object platform ceilings in bytes
 * @param dims default bindings for symbolic model dimensions on this target ({@code batch_size: 1});
 *     {@code satchel check --dim} overrides them
 * @param extendsId the profile this one was derived from, if any (already merged in)
 * @param origin where the profile was read from (a path, or {@code built-in:ID})
 */
public record DeviceProfile(String id, String name, DeviceClass deviceClass, Optional<String> soc,
        List<String> exampleDevices, Optional<Fact<Long>> ramGb, MemoryBudget memory, StorageBudget storage,
        Cpu cpu, List<Accelerator> accelerators, OperatingSystem os, Fact<String> onnxRuntime,
        Map<PlatformLimit, Fact<Long>> limits, Map<String, Long> dims, List<Source> sources, Optional<String> extendsId,
        String origin) {
    /** Profile ids: lowercase letters, digits and dashes, starting with a letter or digit. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    /** ONNX Runtime versions as {@code MAJOR.MINOR} or {@code MAJOR.MINOR.PATCH}. */
    public static final Pattern ORT_VERSION = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?");

    public DeviceProfile {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("profile id must match " + ID + ": " + id);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(deviceClass, "deviceClass");
        Objects.requireNonNull(soc, "soc");
        exampleDevices = List.copyOf(exampleDevices);
        Objects.requireNonNull(ramGb, "ramGb");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(cpu, "cpu");
        accelerators = List.copyOf(accelerators);
        Set<String> seen = new HashSet<>();
        for (Accelerator a : accelerators) {
            if (!seen.add(a.id())) {
                throw new IllegalArgumentException("duplicate accelerator id: " + a.id());
            }
        }
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(onnxRuntime, "onnxRuntime");
        if (!ORT_VERSION.matcher(onnxRuntime.value()).matches()) {
            throw new IllegalArgumentException("onnxruntime version must look like 1.20: " + onnxRuntime.value());
        }
        limits = Map.copyOf(limits);
        dims = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(dims));
        dims.forEach((k, v) -> {
            if (v < 0) {
                throw new IllegalArgumentException("dim " + k + " must be >= 0");
            }
        });
        sources = List.copyOf(sources);
        Objects.requireNonNull(extendsId, "extendsId");
        Objects.requireNonNull(origin, "origin");
    }

    /** The accelerator with the given id, if the profile has one. */
    public Optional<Accelerator> accelerator(String acceleratorId) {
        return accelerators.stream().filter(a -> a.id().equals(acceleratorId)).findFirst();
    }

    /** Every execution provider id some accelerator on this device is reachable through, in order. */
    public List<String> executionProviders() {
        return accelerators.stream().flatMap(a -> a.executionProviders().stream()).distinct().toList();
    }
}
