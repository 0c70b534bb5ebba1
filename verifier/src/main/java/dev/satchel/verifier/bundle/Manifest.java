package dev.satchel.verifier.bundle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parsed {@code satchel.json} of a bundle (schema in docs/bundle-format.md §5). Immutable and
 * thread-safe. Obtain one from {@link ManifestParser#parse} or, verified, from
 * {@link VerifiedBundle#manifest()}; a {@code Manifest} on its own proves nothing.
 */
public final class Manifest {
    /** The value of the {@code format} member this version of the verifier reads. */
    public static final String FORMAT = "satchel-bundle/1";

    private final String name;
    private final long version;
    private final String displayVersion;
    private final String minOnnxRuntime;
    private final List<FileEntry> files;
    private final Compatibility compatibility;
    private final Map<String, Object> quantization;
    private final CreatedFrom createdFrom;

    Manifest(String name, long version, String displayVersion, String minOnnxRuntime, List<FileEntry> files,
            Compatibility compatibility, Map<String, Object> quantization, CreatedFrom createdFrom) {
        this.name = name;
        this.version = version;
        this.displayVersion = displayVersion;
        this.minOnnxRuntime = minOnnxRuntime;
        this.files = Collections.unmodifiableList(new ArrayList<>(files));
        this.compatibility = compatibility;
        this.quantization = Collections.unmodifiableMap(new LinkedHashMap<>(quantization));
        this.createdFrom = createdFrom;
    }

    /** The model name; a store holds one name. */
    public String name() {
        return name;
    }

    /** The monotonic release counter used for rollback protection (1 to 2^53-1). */
    public long version() {
        return version;
    }

    /** The human version, e.g. {@code 1.4.0-rc1}; never compared. */
    public String displayVersion() {
        return displayVersion;
    }

    /** Lowest ONNX Runtime version ({@code major.minor.patch}) the models need. */
    public String minOnnxRuntime() {
        return minOnnxRuntime;
    }

    /** The payload files, sorted by UTF-8 bytes of their path. */
    public List<FileEntry> files() {
        return files;
    }

    /** The file entry with this path, or {@code null}. */
    public FileEntry file(String path) {
        for (FileEntry f : files) {
            if (f.path.equals(path)) {
                return f;
            }
        }
        return null;
    }

    public Compatibility compatibility() {
        return compatibility;
    }

    /**
     * Why this bundle excludes {@code device}, or {@code null} if it does not: a known ONNX Runtime
     * version below {@link #minOnnxRuntime()} excludes, then the compatibility claims decide
     * ({@link Compatibility#excludes}).
     */
    public String excludes(DeviceFacts device) {
        int[] have = device.onnxRuntime();
        if (have != null) {
            int[] need = DeviceFacts.parseVersion(minOnnxRuntime);
            for (int i = 0; i < 3; i++) {
                if (have[i] != need[i]) {
                    if (have[i] < need[i]) {
                        return "device ONNX Runtime " + have[0] + "." + have[1] + "." + have[2]
                                + " is older than the required " + minOnnxRuntime;
                    }
                    break;
                }
            }
        }
        return compatibility.excludes(device);
    }

    /**
     * The quantization report as parsed JSON values (String, BigDecimal, Boolean, Map, List);
     * always has a string {@code method}.
     */
    public Map<String, Object> quantization() {
        return quantization;
    }

    public CreatedFrom createdFrom() {
        return createdFrom;
    }

    /** One payload file: path, size and SHA-256 as listed in the manifest. */
    public static final class FileEntry {
        private final String path;
        private final long size;
        private final String sha256;
        private final String kind;

        FileEntry(String path, long size, String sha256, String kind) {
            this.path = path;
            this.size = size;
            this.sha256 = sha256;
            this.kind = kind;
        }

        public String path() {
            return path;
        }

        public long size() {
            return size;
        }

        /** Lower-case hex. */
        public String sha256() {
            return sha256;
        }

        /** {@code model} (an ONNX model the app can map and load) or {@code data}. */
        public String kind() {
            return kind;
        }

        public boolean isModel() {
            return "model".equals(kind);
        }
    }

    /** A claim from {@code satchel check} about one device profile. */
    public static final class DeviceClaim {
        private final String profile;
        private final boolean compatible;
        private final String reason;

        DeviceClaim(String profile, boolean compatible, String reason) {
            this.profile = profile;
            this.compatible = compatible;
            this.reason = reason;
        }

        public String profile() {
            return profile;
        }

        public boolean compatible() {
            return compatible;
        }

        /** Why, or empty. */
        public String reason() {
            return reason;
        }
    }

    /** Compatibility claims: per-profile verdicts plus RAM and execution-provider requirements. */
    public static final class Compatibility {
        private final List<DeviceClaim> devices;
        private final long minRamBytes;
        private final List<String> executionProviders;

        Compatibility(List<DeviceClaim> devices, long minRamBytes, List<String> executionProviders) {
            this.devices = Collections.unmodifiableList(new ArrayList<>(devices));
            this.minRamBytes = minRamBytes;
            this.executionProviders = Collections.unmodifiableList(new ArrayList<>(executionProviders));
        }

        public List<DeviceClaim> devices() {
            return devices;
        }

        /** Minimum RAM in bytes, or 0 when not claimed. */
        public long minRamBytes() {
            return minRamBytes;
        }

        /** Execution providers any one of which runs the models (lower case); empty when not claimed. */
        public List<String> executionProviders() {
            return executionProviders;
        }

        /**
         * Why these claims exclude {@code device}, or {@code null} if they do not. Rules, in order
         * (docs/bundle-format.md §5.3): a claim for the device's profile decides; otherwise known
         * RAM below {@code minRamBytes} excludes; otherwise known EPs disjoint from a non-empty
         * {@code executionProviders} exclude. Unknown facts never exclude.
         */
        public String excludes(DeviceFacts device) {
            if (device.profileId() != null) {
                for (DeviceClaim c : devices) {
                    if (c.profile.equals(device.profileId())) {
                        return c.compatible ? null
                                : "profile '" + c.profile + "' is claimed incompatible"
                                        + (c.reason.isEmpty() ? "" : ": " + c.reason);
                    }
                }
            }
            if (device.ramBytes() >= 0 && minRamBytes > 0 && device.ramBytes() < minRamBytes) {
                return "device RAM " + device.ramBytes() + " bytes is below the required " + minRamBytes;
            }
            if (!device.executionProviders().isEmpty() && !executionProviders.isEmpty()) {
                for (String ep : device.executionProviders()) {
                    if (executionProviders.contains(ep.toLowerCase(Locale.ROOT))) {
                        return null;
                    }
                }
                return "device execution providers " + device.executionProviders()
                        + " include none of the required " + executionProviders;
            }
            return null;
        }
    }

    /** An input the bundle was built from (informational provenance). */
    public static final class Input {
        private final String path;
        private final String sha256;

        Input(String path, String sha256) {
            this.path = path;
            this.sha256 = sha256;
        }

        public String path() {
            return path;
        }

        public String sha256() {
            return sha256;
        }
    }

    /** How the bundle was made: the tool and the inputs (with digests). */
    public static final class CreatedFrom {
        private final String tool;
        private final List<Input> inputs;

        CreatedFrom(String tool, List<Input> inputs) {
            this.tool = tool;
            this.inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
        }

        public String tool() {
            return tool;
        }

        public List<Input> inputs() {
            return inputs;
        }
    }
}
