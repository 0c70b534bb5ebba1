package dev.satchel.packager.bundle;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a bundle's manifest says besides the file digests (docs/bundle-format.md §5).
 * Immutable.
 *
 * @param devices per-profile verdicts from {@code satchel check}
 * @param minRamBytes 0 when not claimed
 * @param executionProviders lower-case EP names any one of which runs the models; empty when not claimed
 * @param quantization the quantization report; must hold a string {@code method}
 * @param tool the producing tool and version, e.g. {@code satchel 0.1.0}
 */
public record BundleSpec(String name, long version, String displayVersion, String minOnnxRuntime,
        List<BundleInput> files, List<DeviceClaim> devices, long minRamBytes, List<String> executionProviders,
        Map<String, Object> quantization, String tool) {
    public BundleSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(displayVersion, "displayVersion");
        Objects.requireNonNull(minOnnxRuntime, "minOnnxRuntime");
        Objects.requireNonNull(tool, "tool");
        files = List.copyOf(files);
        devices = List.copyOf(devices);
        executionProviders = List.copyOf(executionProviders);
        quantization = Map.copyOf(quantization);
        if (!(quantization.get("method") instanceof String)) {
            throw new IllegalArgumentException("quantization must have a string 'method'");
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a bundle needs at least one file");
        }
    }

    /** A spec with no compatibility claims and quantization method {@code none}. */
    public static BundleSpec of(String name, long version, List<BundleInput> files) {
        return new BundleSpec(name, version, Long.toString(version), "1.17.0", files, List.of(), 0, List.of(),
                Map.of("method", "none"), "satchel");
    }

    public BundleSpec withDisplayVersion(String v) {
        return new BundleSpec(name, version, v, minOnnxRuntime, files, devices, minRamBytes, executionProviders,
                quantization, tool);
    }

    public BundleSpec withMinOnnxRuntime(String v) {
        return new BundleSpec(name, version, displayVersion, v, files, devices, minRamBytes, executionProviders,
                quantization, tool);
    }

    public BundleSpec withCompatibility(List<DeviceClaim> d, long minRam, List<String> eps) {
        return new BundleSpec(name, version, displayVersion, minOnnxRuntime, files, d, minRam, eps, quantization, tool);
    }

    public BundleSpec withQuantization(Map<String, Object> q) {
        return new BundleSpec(name, version, displayVersion, minOnnxRuntime, files, devices, minRamBytes,
                executionProviders, q, tool);
    }

    public BundleSpec withTool(String t) {
        return new BundleSpec(name, version, displayVersion, minOnnxRuntime, files, devices, minRamBytes,
                executionProviders, quantization, t);
    }

    /** A device-profile verdict. */
    public record DeviceClaim(String profile, boolean compatible, String reason) {
        public DeviceClaim {
            Objects.requireNonNull(profile, "profile");
            reason = reason == null ? "" : reason;
        }
    }
}
