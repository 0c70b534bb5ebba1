package dev.satchel.verifier.bundle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the app knows about the device it runs on, matched against a bundle's compatibility
 * claims ({@link Manifest.Compatibility#excludes}). Immutable. Any fact may be unknown; an unknown
 * fact never excludes a bundle.
 */
public final class DeviceFacts {
    private static final DeviceFacts UNKNOWN = new DeviceFacts(null, -1, Collections.<String>emptyList(), null);

    private final String profileId;
    private final long ramBytes;
    private final List<String> executionProviders;
    private final int[] onnxRuntime;

    private DeviceFacts(String profileId, long ramBytes, List<String> eps, int[] onnxRuntime) {
        this.profileId = profileId;
        this.ramBytes = ramBytes;
        this.executionProviders = eps;
        this.onnxRuntime = onnxRuntime;
    }

    /** Nothing known: only bundles with no applicable claim are accepted, i.e. all bundles. */
    public static DeviceFacts unknown() {
        return UNKNOWN;
    }

    /** A device identified by its Satchel device-profile id (e.g. {@code pixel-8}). */
    public static DeviceFacts ofProfile(String profileId) {
        if (profileId == null || profileId.isEmpty()) {
            throw new IllegalArgumentException("profileId must be non-empty");
        }
        return new DeviceFacts(profileId, -1, Collections.<String>emptyList(), null);
    }

    /**
     * A device described by its RAM and the ONNX Runtime execution providers available on it
     * (names as in the manifest, compared case-insensitively, e.g. {@code cpu}, {@code nnapi}).
     * {@code ramBytes} -1 and an empty list mean unknown.
     */
    public static DeviceFacts of(long ramBytes, List<String> executionProviders) {
        if (ramBytes < -1) {
            throw new IllegalArgumentException("ramBytes must be >= 0, or -1 for unknown: " + ramBytes);
        }
        return new DeviceFacts(null, ramBytes, normalise(executionProviders), null);
    }

    /** Adds a profile id to RAM and EP facts. */
    public DeviceFacts withProfile(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("profileId must be non-empty");
        }
        return new DeviceFacts(id, ramBytes, executionProviders, onnxRuntime);
    }

    /**
     * Adds the ONNX Runtime version the app ships ({@code MAJOR.MINOR.PATCH}, e.g. from
     * {@code OrtEnvironment.getVersion()}; a suffix after the patch number is ignored), so that
     * bundles needing a newer runtime are refused.
     */
    public DeviceFacts withOnnxRuntime(String version) {
        return new DeviceFacts(profileId, ramBytes, executionProviders, parseVersion(version));
    }

    /** Parses {@code MAJOR.MINOR.PATCH[anything]}; throws IllegalArgumentException otherwise. */
    static int[] parseVersion(String version) {
        String[] parts = version.split("\\.", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected MAJOR.MINOR.PATCH, got '" + version + "'");
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            String p = parts[i];
            int end = 0;
            while (end < p.length() && end < 6 && Character.isDigit(p.charAt(end))) {
                end++;
            }
            if (end == 0 || (i < 2 && end != p.length())) {
                throw new IllegalArgumentException("expected MAJOR.MINOR.PATCH, got '" + version + "'");
            }
            v[i] = Integer.parseInt(p.substring(0, end));
        }
        return v;
    }

    /**
     * The ONNX Runtime version as {major, minor, patch}, or {@code null} when unknown. Public for
     * the update client, which applies the same rule before downloading a bundle.
     */
    public int[] onnxRuntime() {
        return onnxRuntime == null ? null : onnxRuntime.clone();
    }

    private static List<String> normalise(List<String> eps) {
        List<String> out = new ArrayList<>();
        for (String ep : eps) {
            out.add(ep.toLowerCase(Locale.ROOT));
        }
        return Collections.unmodifiableList(out);
    }

    /** The profile id, or {@code null} when unknown. */
    public String profileId() {
        return profileId;
    }

    /** RAM in bytes, or -1 when unknown. */
    public long ramBytes() {
        return ramBytes;
    }

    /** Lower-cased execution provider names; empty when unknown. */
    public List<String> executionProviders() {
        return executionProviders;
    }

    @Override
    public String toString() {
        return "DeviceFacts{profile=" + profileId + ", ramBytes=" + ramBytes + ", eps=" + executionProviders
                + (onnxRuntime == null ? "" : ", onnxRuntime=" + onnxRuntime[0] + "." + onnxRuntime[1] + "." + onnxRuntime[2])
                + "}";
    }
}
