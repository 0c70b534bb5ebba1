package dev.satchel.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satchel.reports.internal.HtmlRenderer;
import dev.satchel.reports.internal.JUnitRenderer;
import dev.satchel.reports.internal.LabSection;
import dev.satchel.reports.internal.Json;
import dev.satchel.reports.internal.MarkdownRenderer;
import dev.satchel.reports.internal.ReportBuilder;
import dev.satchel.reports.internal.SarifRenderer;

/**
 * A build report ({@code schema: satchel.report/v1}, docs/report-schema.md). {@code report.json}
 * is the single source: every other format renders from the JSON document alone, so
 * {@code satchel report report.json} reproduces them byte for byte. Immutable and thread-safe.
 */
public final class Report {
    public static final String SCHEMA = ReportBuilder.SCHEMA;

    private final ObjectNode root;
    private final String json;

    private Report(ObjectNode root) {
        this.root = root;
        this.json = Json.write(root);
    }

    /**
     * Builds a report from typed inputs.
     *
     * @throws ReportException {@code INVALID_INPUT} when the quantization report is not a
     *     satchel.quantize.report/v1 document, or the lab report not a readable satchel.lab/v1 one
     * @throws IllegalArgumentException when a requirement names a device that was not checked
     */
    public static Report build(ReportInputs inputs) throws ReportException {
        return new Report(ReportBuilder.build(inputs));
    }

    /**
     * Reads a report.json document.
     *
     * @throws ReportException {@code NOT_JSON}, {@code WRONG_SCHEMA} (not satchel.report/v1), or
     *     {@code INVALID_FIELD} naming the JSON pointer of a missing or mistyped field (the optional
     *     {@code lab} section included)
     */
    public static Report parse(String text) throws ReportException {
        JsonNode n;
        try {
            n = Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new ReportException(ReportException.Code.NOT_JSON, "line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new ReportException(ReportException.Code.NOT_JSON, "expected a JSON object");
        }
        String schema = n.path("schema").asText("");
        if (!schema.equals(SCHEMA)) {
            throw new ReportException(ReportException.Code.WRONG_SCHEMA,
                    "/schema: expected " + SCHEMA + ", got " + (schema.isEmpty() ? "none" : "'" + schema + "'"));
        }
        require(n, "/passed", JsonNode::isBoolean, "a boolean");
        require(n, "/tool", JsonNode::isTextual, "a string");
        require(n, "/model", JsonNode::isObject, "an object");
        require(n, "/model/source", JsonNode::isTextual, "a string");
        require(n, "/sizes/sourceBytes", JsonNode::isIntegralNumber, "an integer");
        require(n, "/sizes/modelBytes", JsonNode::isIntegralNumber, "an integer");
        require(n, "/gates", JsonNode::isArray, "an array");
        require(n, "/check", JsonNode::isObject, "an object");
        require(n, "/check/devices", JsonNode::isArray, "an array");
        int i = 0;
        for (JsonNode d : n.at("/check/devices")) {
            String p = "/check/devices/" + i++;
            require(n, p + "/id", JsonNode::isTextual, "a string");
            require(n, p + "/verdict", JsonNode::isTextual, "a string");
            require(n, p + "/memory/totalBytes", JsonNode::isIntegralNumber, "an integer");
            require(n, p + "/accelerators", JsonNode::isArray, "an array");
            require(n, p + "/findings", JsonNode::isArray, "an array");
        }
        JsonNode lab = n.path("lab");
        if (!lab.isMissingNode() && !lab.isNull()) {
            require(n, "/lab", JsonNode::isObject, "an object");
            if (!lab.path("schema").asText("").equals(ReportBuilder.LAB_SCHEMA)) {
                throw new ReportException(ReportException.Code.INVALID_FIELD, "/lab/schema: expected "
                        + ReportBuilder.LAB_SCHEMA + ", got " + lab.path("schema"));
            }
            String problem = LabSection.problem(lab, "/lab");
            if (problem != null) {
                throw new ReportException(ReportException.Code.INVALID_FIELD, problem);
            }
        }
        return new Report((ObjectNode) n);
    }

    private static void require(JsonNode root, String pointer, java.util.function.Predicate<JsonNode> ok,
            String expected) throws ReportException {
        JsonNode v = root.at(pointer);
        if (v.isMissingNode() || !ok.test(v)) {
            throw new ReportException(ReportException.Code.INVALID_FIELD, pointer + ": expected " + expected + ", got "
                    + (v.isMissingNode() ? "nothing" : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    /** The report.json text (two-space indent, "\n" line ends, trailing newline). */
    public String json() {
        return json;
    }

    /** True when every required gate (quantization accuracy, device requirements) passed. */
    public boolean passed() {
        return root.path("passed").asBoolean(false);
    }

    /** The text of one output file. */
    public String render(ReportFormat format) {
        return switch (format) {
            case JSON -> json;
            case MARKDOWN -> MarkdownRenderer.render(root);
            case HTML -> HtmlRenderer.render(root);
            case JUNIT -> JUnitRenderer.render(root);
            case SARIF -> SarifRenderer.render(root);
        };
    }
}
