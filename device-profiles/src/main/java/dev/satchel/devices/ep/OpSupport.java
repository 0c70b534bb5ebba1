package dev.satchel.devices.ep;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator an execution provider can take: domain ({@code ""} is ai.onnx), op type, the opset
 * versions it covers (empty when the source lists op types only), the first ONNX Runtime release
 * that has it, and the conditions on the node. Immutable.
 *
 * @param sourceText the caveat wording of the source table, kept verbatim
 * @param notes information that is not a condition (upstream table typos, fusion provenance)
 */
public record OpSupport(String domain, String opType, Optional<OpsetRanges> opsets, Optional<String> sinceOrt,
        List<Constraint> constraints, List<String> notes, Optional<String> sourceText) {
    public OpSupport {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(opType, "opType");
        if (opType.isBlank()) {
            throw new IllegalArgumentException("blank op type");
        }
        Objects.requireNonNull(opsets, "opsets");
        Objects.requireNonNull(sinceOrt, "sinceOrt");
        constraints = List.copyOf(constraints);
        notes = List.copyOf(notes);
        Objects.requireNonNull(sourceText, "sourceText");
    }

    /** {@code ai.onnx:Conv}, {@code com.microsoft:QLinearAdd}. */
    public String qualifiedName() {
        return (domain.isEmpty() ? "ai.onnx" : domain) + ":" + opType;
    }
}
