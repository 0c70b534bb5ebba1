package dev.satchel.packager.quantize;

import java.util.Arrays;
import java.util.Locale;

/** What {@link Quantizer} turns a float32 model into. */
public enum QuantizeMode {
    /** Dynamic int8: constant-weight MatMul/Gemm, embedding tables and Conv weights stored as int8. */
    INT8("int8"),
    /** Block-wise 4-bit MatMul weights (com.microsoft:MatMulNBits), 4-bit embedding tables, other weights int8. */
    INT4("int4"),
    /** float16 weights and compute; graph inputs/outputs and numerically unsafe ops stay float32. */
    FP16("fp16"),
    /** QDQ int8 with activation ranges calibrated in ONNX Runtime. */
    INT8_STATIC("int8-static");

    private final String id;

    QuantizeMode(String id) {
        this.id = id;
    }

    /** The name used on the command line and in reports. */
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException for an unknown name, listing the valid ones */
    public static QuantizeMode of(String id) {
        String key = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.id.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown mode '" + id + "'; expected one of "
                        + Arrays.stream(values()).map(QuantizeMode::id).toList()));
    }

    @Override
    public String toString() {
        return id;
    }
}
