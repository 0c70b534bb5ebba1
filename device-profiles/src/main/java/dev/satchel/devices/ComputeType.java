package dev.satchel.devices;

import java.util.Optional;

/**
 * Number formats an accelerator computes in natively. Storage-only formats (palettized or int4
 * weights expanded before compute) are not compute types; profiles mention them in notes.
 */
public enum ComputeType {
    FP32("fp32"),
    TF32("tf32"),
    FP16("fp16"),
    BF16("bf16"),
    INT16("int16"),
    UINT16("uint16"),
    INT8("int8"),
    UINT8("uint8"),
    INT4("int4");

    private final String label;

    ComputeType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** True for integer types, which an fp32 model reaches only after quantization. */
    public boolean isInteger() {
        return this == INT16 || this == UINT16 || this == INT8 || this == UINT8 || this == INT4;
    }

    public static Optional<ComputeType> fromLabel(String label) {
        for (ComputeType t : values()) {
            if (t.label.equals(label)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
