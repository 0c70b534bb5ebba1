package dev.satchel.reports;

import dev.satchel.devices.check.CheckReport;
import dev.satchel.model.ModelFacts;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a report is built from. Immutable; the same inputs give byte-identical reports
 * ({@code generatedAt} is the only field that may differ between runs, and only when set).
 *
 * @param modelSource how the model was named (a path relative to the config, or {@code example:ID})
 * @param modelSha256 hex SHA-256 of the checked (shipped) model file
 * @param facts facts of the checked model
 * @param sourceBytes size of the model before quantization (equal to the shipped size without it)
 * @param check per-device results of the compatibility checker
 * @param quantizationJson the {@code satchel.quantize.report/v1} document when the model was quantized
 * @param requirements per-device requirements; devices without one get {@link DeviceRequirement#defaults}
 * @param bundle the bundle when one was packed
 * @param tool tool name and version recorded in the report, e.g. {@code satchel 0.1.0}
 * @param generatedAt explicit timestamp; empty for fully reproducible output
 * @param labJson the {@code satchel.lab/v1} document of a device lab run of this model
 *     (docs/device-lab.md), embedded as the optional {@code lab} section; empty for none
 */
public record ReportInputs(String modelSource, String modelSha256, ModelFacts facts, long sourceBytes,
        CheckReport check, Optional<String> quantizationJson, List<DeviceRequirement> requirements,
        Optional<BundleInfo> bundle, String tool, Optional<Instant> generatedAt, Optional<String> labJson) {
    public ReportInputs {
        Objects.requireNonNull(modelSource, "modelSource");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(quantizationJson, "quantizationJson");
        requirements = List.copyOf(requirements);
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(labJson, "labJson");
        if (sourceBytes < 0) {
            throw new IllegalArgumentException("sourceBytes must be >= 0");
        }
    }

    /** Inputs without a device lab section (what {@code satchel build} reports). */
    public ReportInputs(String modelSource, String modelSha256, ModelFacts facts, long sourceBytes, CheckReport check,
            Optional<String> quantizationJson, List<DeviceRequirement> requirements, Optional<BundleInfo> bundle,
            String tool, Optional<Instant> generatedAt) {
        this(modelSource, modelSha256, facts, sourceBytes, check, quantizationJson, requirements, bundle, tool,
                generatedAt, Optional.empty());
    }

    /** The same inputs with a device lab document ({@code satchel.lab/v1} JSON text). */
    public ReportInputs withLab(String labJson) {
        return new ReportInputs(modelSource, modelSha256, facts, sourceBytes, check, quantizationJson, requirements,
                bundle, tool, generatedAt, Optional.of(labJson));
    }
}
