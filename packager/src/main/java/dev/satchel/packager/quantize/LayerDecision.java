package dev.satchel.packager.quantize;

import java.util.Objects;

/**
 * What happened to one weight-carrying node.
 *
 * @param node the node's name (or op type and first output when unnamed)
 * @param op its operator type in the source model
 * @param precision how it is stored and computed now
 * @param format the operator format emitted ({@code DynamicQuantizeMatMul}, {@code MatMulNBits(8)}, ...);
 *     empty when left in float
 * @param reason why, in one phrase (for kept layers: the exclusion, size or gate that kept it)
 * @param floatBytes bytes of the node's weights in the source model
 * @param storedBytes bytes of its weights (with scales and zero points) in the output
 */
public record LayerDecision(String node, String op, Precision precision, String format, String reason, long floatBytes,
        long storedBytes) {
    public LayerDecision {
        Objects.requireNonNull(node);
        Objects.requireNonNull(op);
        Objects.requireNonNull(precision);
        format = format == null ? "" : format;
        reason = reason == null ? "" : reason;
    }
}
