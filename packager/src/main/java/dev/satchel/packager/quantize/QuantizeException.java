package dev.satchel.packager.quantize;

import java.io.IOException;
import java.util.Objects;

/** Quantization could not be done, or its result failed the accuracy gate. Carries a stable code. */
public class QuantizeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Stable failure codes (docs/quantize.md). */
    public enum Code {
        /** The model already holds quantized operators or weights; pass force to go on anyway. */
        ALREADY_QUANTIZED,
        /** The model or mode cannot be handled (reason in the message). */
        UNSUPPORTED,
        /** Evaluation or calibration inputs are invalid or cannot be generated. */
        BAD_INPUTS,
        /** ONNX Runtime could not load or run the original or the quantized model. */
        RUNTIME_FAILED,
        /** The quality gate was not met even with every layer kept in higher precision. */
        GATE_FAILED
    }

    private final Code code;

    public QuantizeException(Code code, String message) {
        this(code, message, null);
    }

    public QuantizeException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    public Code code() {
        return code;
    }
}
