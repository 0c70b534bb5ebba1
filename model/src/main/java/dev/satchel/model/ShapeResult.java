package dev.satchel.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The outcome of {@link ShapeInference}: a type for every value in the model (graph inputs,
 * initializers, node outputs, subgraph values). A value whose shape could not be derived has
 * unknown dims or an unknown rank; it is never guessed. Immutable.
 *
 * @param types every value's type, in the order values were visited
 * @param unsupportedOps operator types with no shape rule (their outputs are unknown, or taken
 *     from the model's own value_info declarations where present)
 * @param declared values whose type came from the model's value_info instead of inference
 * @param constants values whose content is known at build time (initializers, Constant nodes
 *     and what is computed from them alone)
 */
public record ShapeResult(Map<String, TensorType> types, Set<String> unsupportedOps, Set<String> declared,
        Set<String> constants) {
    public ShapeResult {
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        unsupportedOps = Collections.unmodifiableSet(new TreeSet<>(unsupportedOps));
        declared = Collections.unmodifiableSet(new TreeSet<>(declared));
        constants = Collections.unmodifiableSet(new TreeSet<>(constants));
    }

    /** The type of a value, or {@code null} if the model has no value of that name. */
    public TensorType type(String name) {
        return types.get(name);
    }

    public boolean isConstant(String name) {
        return constants.contains(name);
    }

    /** Values whose shape is not fully known. */
    public List<String> unknownValues() {
        return types.entrySet().stream().filter(e -> !e.getValue().isFullyKnown()).map(Map.Entry::getKey).toList();
    }

    public long countFullyKnown() {
        return types.values().stream().filter(TensorType::isFullyKnown).count();
    }
}
