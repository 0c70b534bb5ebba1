package dev.satchel.packager.quantize;

/**
 * Operator format for dynamic int8 MatMul in {@link QuantizeMode#INT8}.
 *
 * <p>Both run on ONNX Runtime's CPU provider with int8 kernels (VNNI/AVX2/NEON dot products).
 * They differ in how activations are quantized at run time: {@link #PER_TENSOR} quantizes the
 * whole activation with one uint8 scale (com.microsoft:DynamicQuantizeMatMul, per-column weight
 * scales), which loses precision on heavy-tailed activations such as a GELU output;
 * {@link #BLOCKED} uses com.microsoft:MatMulNBits with bits=8 and accuracy_level=4, which
 * quantizes activations per row in blocks along K, at the cost of one float scale per weight block.
 */
public enum Int8Format {
    /**
     * The default. Measured on all-minilm-l6-v2 it matches ONNX Runtime's int8 speed; the accuracy
     * gate then moves the layers whose activations suffer most to {@link Precision#BLOCKED_INT8}.
     */
    PER_TENSOR,
    BLOCKED
}
