package dev.satchel.devices.ep;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Conditions an execution provider puts on every node it takes. Immutable.
 *
 * @param staticShapes nodes with any input of unknown shape are refused (NNAPI, QNN)
 * @param maxRank inputs above this rank are refused (CoreML: 5)
 * @param subgraphs whether nodes inside If/Loop/Scan bodies can be taken
 * @param deviceCopyAtBoundaries whether each partition boundary costs a copy between memories
 *     (true for NPU/GPU EPs; false for CPU-side EPs such as XNNPACK)
 * @param minOs minimum OS version per platform label ({@code ios -> 15})
 * @param deprecated why the EP should not be relied on, if it is deprecated
 */
public record ProviderRules(boolean staticShapes, Optional<Integer> maxRank, boolean subgraphs,
        boolean deviceCopyAtBoundaries, Map<String, String> minOs, Optional<String> deprecated) {
    public ProviderRules {
        Objects.requireNonNull(maxRank, "maxRank");
        minOs = Map.copyOf(minOs);
        Objects.requireNonNull(deprecated, "deprecated");
    }
}
