package dev.satchel.packager.quantize;

/**
 * How one layer is stored and computed, from smallest/fastest to most precise. Automatic mixed
 * precision moves the most harmful layers up this ladder.
 */
public enum Precision {
    /** The mode's quantized operator (int8 with per-tensor dynamic activations, 4-bit blocks, float16). */
    QUANTIZED("quantized"),
    /**
     * int8 weights with activations quantized per row in blocks of K (com.microsoft:MatMulNBits,
     * bits=8, accuracy_level=4): slower than {@link #QUANTIZED} int8 but much closer to float on
     * heavy-tailed activations. MatMul and Gemm only.
     */
    BLOCKED_INT8("int8-blocked"),
    /** int8 weights dequantized once when the runtime loads the model; float32 compute (Conv). */
    WEIGHT_ONLY("weight-only-int8"),
    /** Left exactly as in the source model. */
    FLOAT("float32");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
