package dev.satchel.reports.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The report's optional {@code lab} section (a {@code satchel.lab/v1} document, docs/device-lab.md):
 * the members the renderers read, checked once, and one {@link Row} per lab case with the
 * measured-vs-estimated cells every format shows. Stateless.
 */
public final class LabSection {
    private LabSection() {}

    /** One lab case as the renderers show it. */
    public record Row(String device, long limitBytes, String cpus, int threads, String model, long estimateBytes,
            long budgetBytes, boolean predictedFit, String verdict, String outcome, String enforcement,
            long peakBytes, boolean peakForced, long sessionRssIncreaseBytes, Double medianMs, Double estimatedMs,
            Double latencyRatio, boolean agrees) {

        /** Outcome cell: {@code refused; forced: oom_killed (exit 137)} when a forced run happened. */
        public String outcomeText() {
            return enforcement == null ? outcome : outcome + "; forced: " + enforcement;
        }

        /** Peak memory cell: the smoke (or forced) container's cgroup peak. */
        public String peakText() {
            return peakBytes < 0 ? "-" : Fmt.bytes(peakBytes) + (peakForced ? " (forced)" : "");
        }

        public String rssText() {
            return sessionRssIncreaseBytes < 0 ? "-" : Fmt.bytes(sessionRssIncreaseBytes);
        }

        public String latencyText() {
            return medianMs == null ? "-" : ms(medianMs);
        }

        public String estimatedLatencyText() {
            return estimatedMs == null ? "-" : ms(estimatedMs);
        }

        public String ratioText() {
            return latencyRatio == null ? "-" : String.format(Locale.ROOT, "%.2f", latencyRatio);
        }

        /** Why the case disagrees, for JUnit and SARIF; null when it agrees. */
        public String disagreement() {
            if (agrees) {
                return null;
            }
            if (predictedFit) {
                return "predicted to fit (estimate " + Fmt.bytes(estimateBytes) + " of a " + Fmt.bytes(budgetBytes)
                        + " budget) but the run ended " + outcomeText() + " under the " + Fmt.bytes(limitBytes)
                        + " limit";
            }
            return "predicted not to fit (estimate " + Fmt.bytes(estimateBytes) + " over the " + Fmt.bytes(budgetBytes)
                    + " budget) but the run ended " + outcomeText() + " under the " + Fmt.bytes(limitBytes)
                    + " limit: the estimate is pessimistic for this device";
        }

        /** One line with the figures, for JUnit's system-out. */
        public String summary() {
            return "outcome " + outcomeText() + "; estimate " + Fmt.bytes(estimateBytes) + ", budget "
                    + Fmt.bytes(budgetBytes) + ", limit " + Fmt.bytes(limitBytes) + ", " + cpus + " CPUs; cgroup peak "
                    + peakText() + ", session RSS increase " + rssText() + "; latency " + latencyText() + ", estimated "
                    + estimatedLatencyText() + ", ratio " + ratioText();
        }
    }

    /**
     * The first problem of a lab section (a JSON pointer under {@code base} and what was expected),
     * or null when the renderers can read it.
     */
    public static String problem(JsonNode lab, String base) {
        List<String> out = new ArrayList<>();
        check(out, lab, base, "/schema", JsonNode::isTextual, "a string");
        check(out, lab, base, "/results", JsonNode::isArray, "an array");
        int i = 0;
        for (JsonNode r : lab.path("results")) {
            String p = "/results/" + i++;
            check(out, lab, base, p + "/device", JsonNode::isTextual, "a string");
            check(out, lab, base, p + "/memoryLimitBytes", JsonNode::isIntegralNumber, "an integer");
            check(out, lab, base, p + "/cpus", JsonNode::isNumber, "a number");
            check(out, lab, base, p + "/model", JsonNode::isTextual, "a string");
            check(out, lab, base, p + "/estimate/totalBytes", JsonNode::isIntegralNumber, "an integer");
            check(out, lab, base, p + "/estimate/budgetBytes", JsonNode::isIntegralNumber, "an integer");
            check(out, lab, base, p + "/estimate/fits", JsonNode::isBoolean, "a boolean");
            check(out, lab, base, p + "/outcome", JsonNode::isTextual, "a string");
            check(out, lab, base, p + "/cgroupPeakBytes", JsonNode::isIntegralNumber, "an integer");
            check(out, lab, base, p + "/measured", n -> n.isNull() || n.isObject(), "an object or null");
            check(out, lab, base, p + "/enforcement", n -> n.isNull() || n.isObject(), "an object or null");
            check(out, lab, base, p + "/agrees", JsonNode::isBoolean, "a boolean");
            if (r.path("measured").isObject()) {
                check(out, lab, base, p + "/measured/cgroupPeakBytes", JsonNode::isIntegralNumber, "an integer");
                check(out, lab, base, p + "/measured/sessionRssIncreaseBytes", JsonNode::isIntegralNumber, "an integer");
            }
            if (r.path("enforcement").isObject()) {
                check(out, lab, base, p + "/enforcement/outcome", JsonNode::isTextual, "a string");
                check(out, lab, base, p + "/enforcement/cgroupPeakBytes", JsonNode::isIntegralNumber, "an integer");
            }
        }
        return out.isEmpty() ? null : out.get(0);
    }

    private static void check(List<String> out, JsonNode root, String base, String pointer, Predicate<JsonNode> ok,
            String expected) {
        JsonNode v = root.at(pointer);
        if (v.isMissingNode() || !ok.test(v)) {
            out.add(base + pointer + ": expected " + expected + ", got "
                    + (v.isMissingNode() ? "nothing" : v.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
    }

    /** The rows of a report's lab section, in run order; empty when the report has none. */
    public static List<Row> rows(JsonNode report) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : report.path("lab").path("results")) {
            JsonNode est = r.path("estimate");
            JsonNode m = r.path("measured");
            JsonNode e = r.path("enforcement");
            String outcome = r.path("outcome").asText();
            long peak = r.path("cgroupPeakBytes").asLong(-1);
            boolean forced = false;
            if (outcome.equals("refused")) {
                peak = -1;
            }
            String enforcement = null;
            if (e.isObject()) {
                enforcement = e.path("outcome").asText() + (e.has("exitCode") ? " (exit " + e.path("exitCode").asLong() + ")" : "");
                peak = e.path("cgroupPeakBytes").asLong(-1);
                forced = true;
            }
            long rss = -1;
            Double median = null;
            if (m.isObject()) {
                peak = m.path("cgroupPeakBytes").asLong(-1);
                rss = m.path("sessionRssIncreaseBytes").asLong(-1);
                median = number(m.path("medianRunMs"));
            }
            rows.add(new Row(r.path("device").asText(), r.path("memoryLimitBytes").asLong(), plain(r.path("cpus")),
                    r.path("threads").asInt(0), r.path("model").asText(), est.path("totalBytes").asLong(),
                    est.path("budgetBytes").asLong(), est.path("fits").asBoolean(), est.path("verdict").asText("?"),
                    outcome, enforcement, peak, forced, rss, median, number(est.path("latencyMs")),
                    number(r.path("latencyRatio")), r.path("agrees").asBoolean()));
        }
        return rows;
    }

    private static Double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    private static String plain(JsonNode n) {
        return n.isNumber() ? n.decimalValue().stripTrailingZeros().toPlainString() : n.asText();
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, v < 1 ? "%.2f ms" : "%.1f ms", v);
    }
}
