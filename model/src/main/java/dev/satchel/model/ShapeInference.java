package dev.satchel.model;

import dev.satchel.model.internal.ShapeEngine;
import java.util.Map;

/**
 * Infers the type and shape of every value in a model, with symbolic dimensions bound by the
 * caller ({@code batch_size=1, sequence_length=128}).
 *
 * <p>Covers the operators of common CNN, transformer and RNN models (the list is in
 * docs/model-layer.md), including shape arithmetic: {@code Shape -> Gather -> Concat -> Reshape}
 * chains are evaluated, so symbolic dims flow through reshapes. Control flow ({@code If}) is
 * inferred branch by branch. An operator without a rule leaves its outputs unknown (or as the
 * model declares them in value_info) and is listed in {@link ShapeResult#unsupportedOps()}; the
 * engine never guesses.
 *
 * <p>Stateless and thread-safe.
 */
public final class ShapeInference {
    private ShapeInference() {}

    /**
     * @param bindings values for symbolic dimension names; unbound symbols stay symbolic
     */
    public static ShapeResult infer(OnnxModel model, Map<String, Long> bindings) throws ModelException {
        return new ShapeEngine(model, bindings).run();
    }
}
