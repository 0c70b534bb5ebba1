package dev.satchel.devices.ep;

import java.util.Objects;
import java.util.Optional;

/**
 * What one ONNX Runtime release accepts: the ONNX version it builds against, the highest ai.onnx
 * opset it officially supports, the ai.onnx.ml opset and IR version where known, and how sure we
 * are ({@code documented}, {@code inferred}, {@code uncertain}, {@code unverified}, {@code reported}).
 * Immutable.
 */
public record OrtRelease(String version, String onnx, int maxOpset, Optional<String> maxOpsetNote,
        Optional<Integer> maxMlOpset, Optional<Integer> maxIrVersion, String confidence, Optional<String> evidence) {
    public OrtRelease {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(onnx, "onnx");
        if (maxOpset < 7) {
            throw new IllegalArgumentException("max opset below ORT's minimum of 7: " + maxOpset);
        }
        Objects.requireNonNull(maxOpsetNote, "maxOpsetNote");
        Objects.requireNonNull(maxMlOpset, "maxMlOpset");
        Objects.requireNonNull(maxIrVersion, "maxIrVersion");
        Objects.requireNonNull(confidence, "confidence");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** True when the compatibility table documents this row (not inferred from release dates). */
    public boolean documented() {
        return "documented".equals(confidence);
    }
}
