package dev.satchel.devices.ep;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What Satchel knows about one ONNX Runtime execution provider (or one model format of it, such as
 * CoreML's NeuralNetwork and MLProgram): the operators it takes and under which conditions, and
 * its dtype rules. Loaded from the data files in this jar; immutable.
 *
 * @param id data id ({@code coreml-mlprogram})
 * @param provider the provider id device profiles name ({@code coreml}); several data ids may share it
 * @param ortName how ONNX Runtime names it ({@code CoreMLExecutionProvider})
 * @param coverage whether {@link #ops()} is a list, or the EP runs every standard op, or the list
 *     was not extracted (then a checker cannot predict coverage)
 * @param sources where the tables came from (repo, path, commit, or URL), as written in the data
 */
public record ExecutionProvider(String id, String provider, String ortName, Coverage coverage, String listOrigin,
        List<Map<String, String>> sources, ProviderRules rules, DtypeRules dtypeRules, List<String> constraintsText,
        List<OpSupport> ops) {
    /** How complete {@link #ops()} is. */
    public enum Coverage {
        /** Every standard ai.onnx / ai.onnx.ml op up to the release's max opset (CPU EP). */
        ALL_STANDARD,
        /** Exactly the ops listed. */
        LISTED,
        /** The EP exists but its op table was not extracted; coverage is unknown. */
        NOT_EXTRACTED
    }

    public ExecutionProvider {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(ortName, "ortName");
        Objects.requireNonNull(coverage, "coverage");
        Objects.requireNonNull(listOrigin, "listOrigin");
        sources = sources.stream().map(Map::copyOf).toList();
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(dtypeRules, "dtypeRules");
        constraintsText = List.copyOf(constraintsText);
        ops = List.copyOf(ops);
    }

    /** The entry for {@code domain:opType} ({@code ""} and {@code ai.onnx} both mean the default domain). */
    public Optional<OpSupport> op(String domain, String opType) {
        String d = "ai.onnx".equals(domain) ? "" : domain;
        for (OpSupport o : ops) {
            if (o.domain().equals(d) && o.opType().equals(opType)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
