package dev.satchel.devices.ep;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which tensor element types an execution provider computes on, by ONNX name ({@code float32},
 * {@code float16}, {@code uint8}...). Immutable.
 *
 * @param floatTypes floating-point types nodes may compute in
 * @param quantizedTypes integer types a quantized (QDQ or QLinear) node may use
 * @param floatNeedsQuantization true when float compute nodes are taken only inside QDQ node units
 *     (QNN HTP: "the HTP backend only supports quantized models")
 * @param fp16Option an EP option that changes the rule, described in words
 * @param text the source's wording
 */
public record DtypeRules(List<String> floatTypes, List<String> quantizedTypes, boolean floatNeedsQuantization,
        Optional<String> fp16Option, String text) {
    public DtypeRules {
        floatTypes = List.copyOf(floatTypes);
        quantizedTypes = List.copyOf(quantizedTypes);
        Objects.requireNonNull(fp16Option, "fp16Option");
        Objects.requireNonNull(text, "text");
    }
}
