package dev.satchel.packager.quantize;

import java.util.List;
import java.util.Locale;

/**
 * What {@link QuantizeSession} did: mode, per-layer decisions, sizes, measured quality and the
 * gate's outcome. Immutable; {@link #toJson()} is deterministic (no timestamps), so the same model
 * and options give the same report bytes. The schema is in docs/quantize.md.
 *
 * @param mode the mode asked for
 * @param sourceBytes bytes of the source model (with external data)
 * @param outputBytes bytes written (model plus external data)
 * @param decisions one entry per weight-carrying node
 * @param quality per-output agreement with the original; empty when not evaluated
 * @param minCosine the gate's threshold, NaN without a gate
 * @param kept layers mixed precision moved to a higher precision to pass the gate
 * @param keptBytes extra bytes those layers cost over their quantized form
 * @param warnings things the user should know (generated inputs, unbound dims)
 * @param evaluation which inputs {@link #quality} was measured on; null when not evaluated
 * @param keptGains per kept layer (node name), the worst-output mean cosine gained when mixed
 *     precision moved that layer alone up a precision step: the per-layer quality figure
 */
public record QuantizeReport(QuantizeMode mode, long sourceBytes, long outputBytes, List<LayerDecision> decisions,
        List<OutputQuality> quality, double minCosine, List<LayerDecision> kept, long keptBytes, List<String> warnings,
        Evaluation evaluation, java.util.Map<String, Double> keptGains) {
    public QuantizeReport {
        decisions = List.copyOf(decisions);
        quality = List.copyOf(quality);
        kept = List.copyOf(kept);
        warnings = List.copyOf(warnings);
        keptGains = java.util.Map.copyOf(keptGains);
    }

    /** A report without per-layer gains (no mixed precision ran). */
    public QuantizeReport(QuantizeMode mode, long sourceBytes, long outputBytes, List<LayerDecision> decisions,
            List<OutputQuality> quality, double minCosine, List<LayerDecision> kept, long keptBytes, List<String> warnings,
            Evaluation evaluation) {
        this(mode, sourceBytes, outputBytes, decisions, quality, minCosine, kept, keptBytes, warnings, evaluation,
                java.util.Map.of());
    }

    /** A report without evaluation inputs (not evaluated). */
    public QuantizeReport(QuantizeMode mode, long sourceBytes, long outputBytes, List<LayerDecision> decisions,
            List<OutputQuality> quality, double minCosine, List<LayerDecision> kept, long keptBytes, List<String> warnings) {
        this(mode, sourceBytes, outputBytes, decisions, quality, minCosine, kept, keptBytes, warnings, null, java.util.Map.of());
    }

    /**
     * The inputs the models were evaluated on.
     *
     * @param userSupplied true for samples read from a folder ({@link EvalSpec#withInputs}), false
     *     for inputs generated from the input signature
     * @param samples how many input sets
     * @param seed the generator's seed; meaningless (0) for user-supplied inputs
     */
    public record Evaluation(boolean userSupplied, int samples, long seed) {
        public Evaluation {
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be >= 1, got " + samples);
            }
        }
    }

    /**
     * True when a gate was set and the final model meets it with something quantized: a gate met
     * only by keeping every layer in float32 is not passed (the model would ship unquantized).
     */
    public boolean gatePassed() {
        return !Double.isNaN(minCosine) && worstCosine() >= minCosine && quantizedLayers() > 0;
    }

    /** The lowest mean cosine over outputs; NaN when not evaluated. */
    public double worstCosine() {
        return quality.stream().mapToDouble(o -> Double.isNaN(o.meanCosine()) ? -1 : o.meanCosine()).min().orElse(Double.NaN);
    }

    public long quantizedLayers() {
        return decisions.stream().filter(d -> d.precision() != Precision.FLOAT).count();
    }

    public String toJson() {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"schema\": \"satchel.quantize.report/v1\",\n");
        b.append("  \"mode\": ").append(str(mode.id())).append(",\n");
        b.append("  \"source_bytes\": ").append(sourceBytes).append(",\n");
        b.append("  \"output_bytes\": ").append(outputBytes).append(",\n");
        b.append("  \"layers_quantized\": ").append(quantizedLayers()).append(",\n");
        b.append("  \"layers_float\": ").append(decisions.size() - quantizedLayers()).append(",\n");
        b.append("  \"decisions\": [");
        for (int i = 0; i < decisions.size(); i++) {
            b.append(i == 0 ? "\n" : ",\n").append("    ").append(decision(decisions.get(i)));
        }
        b.append(decisions.isEmpty() ? "],\n" : "\n  ],\n");
        b.append("  \"quality\": [");
        for (int i = 0; i < quality.size(); i++) {
            OutputQuality q = quality.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"output\": ").append(str(q.name()))
                    .append(", \"mean_cosine\": ").append(num(q.meanCosine()))
                    .append(", \"min_cosine\": ").append(num(q.minCosine()))
                    .append(", \"sqnr_db\": ").append(num(q.sqnrDb()))
                    .append(", \"max_abs_error\": ").append(num(q.maxAbsError()))
                    .append(", \"top1_agreement\": ").append(num(q.top1Agreement())).append("}");
        }
        b.append(quality.isEmpty() ? "],\n" : "\n  ],\n");
        b.append("  \"evaluation\": ");
        if (evaluation == null) {
            b.append("null,\n");
        } else {
            b.append("{\"inputs\": ").append(str(evaluation.userSupplied() ? "user-supplied" : "generated"))
                    .append(", \"samples\": ").append(evaluation.samples())
                    .append(", \"seed\": ").append(evaluation.userSupplied() ? "null" : Long.toString(evaluation.seed())).append("},\n");
        }
        b.append("  \"gate\": ");
        if (Double.isNaN(minCosine)) {
            b.append("null,\n");
        } else {
            b.append("{\"min_cosine\": ").append(num(minCosine)).append(", \"passed\": ").append(gatePassed())
                    .append(", \"kept_bytes\": ").append(keptBytes).append(", \"kept\": [");
            for (int i = 0; i < kept.size(); i++) {
                String d = decision(kept.get(i));
                Double gain = keptGains.get(kept.get(i).node());
                if (gain != null) {
                    d = d.substring(0, d.length() - 1) + ", \"cosine_gain\": " + num(gain) + "}";
                }
                b.append(i == 0 ? "\n" : ",\n").append("      ").append(d);
            }
            b.append(kept.isEmpty() ? "]},\n" : "\n    ]},\n");
        }
        b.append("  \"warnings\": [");
        for (int i = 0; i < warnings.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(str(warnings.get(i)));
        }
        b.append("]\n}\n");
        return b.toString();
    }

    private static String decision(LayerDecision d) {
        return "{\"node\": " + str(d.node()) + ", \"op\": " + str(d.op()) + ", \"precision\": " + str(d.precision().id())
                + ", \"format\": " + str(d.format()) + ", \"reason\": " + str(d.reason()) + ", \"float_bytes\": "
                + d.floatBytes() + ", \"stored_bytes\": " + d.storedBytes() + "}";
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6f", v);
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
