package dev.satchel.reports.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satchel.devices.check.FindingCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * report.sarif: SARIF 2.1.0 (OASIS). Rule ids are the stable finding codes
 * ({@code memory-over-budget}, ...) plus {@code gate-quantization} and {@code gate-device-requirement};
 * the rule list is every code in a fixed order, so a rule's index never depends on the model.
 * Levels: fail -> error, warn -> warning, info -> note (SARIF §3.27.10).
 */
public final class SarifRenderer {
    public static final String GATE_QUANTIZATION = "gate-quantization";
    public static final String GATE_DEVICE = "gate-device-requirement";
    public static final String LAB_DISAGREEMENT = "lab-disagreement";

    private SarifRenderer() {}

    public static String render(JsonNode r) {
        ObjectNode log = Json.object();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        String tool = r.path("tool").asText("satchel");
        int sp = tool.indexOf(' ');
        driver.put("name", "satchel");
        if (sp > 0) {
            driver.put("version", tool.substring(sp + 1));
        }
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> index = new HashMap<>();
        for (FindingCode c : FindingCode.values()) {
            rule(rules, index, c.label(), "Device check '" + Checks.of(c.label()) + "': " + c.label().replace('-', ' '));
        }
        rule(rules, index, GATE_QUANTIZATION, "The quantized model's accuracy is below the configured gate");
        rule(rules, index, GATE_DEVICE, "A target device does not meet its requirements in satchel.yaml");
        boolean lab = r.path("lab").isObject();
        if (lab) {
            // Last, and only with a lab section: the other rules keep their indices either way.
            rule(rules, index, LAB_DISAGREEMENT, "A device lab run disagrees with the check's memory prediction");
        }

        String uri = r.path("model").path("source").asText();
        ArrayNode results = run.putArray("results");
        for (JsonNode d : r.path("check").path("devices")) {
            String device = d.path("id").asText();
            for (JsonNode f : d.path("findings")) {
                String code = f.path("code").asText();
                ObjectNode res = result(results, index, code, level(f.path("severity").asText()),
                        "[" + device + "] " + f.path("message").asText()
                                + (Fmt.has(f, "fix") ? " Fix: " + f.path("fix").asText() : ""), uri);
                ArrayNode logical = null;
                for (JsonNode node : f.path("nodes")) {
                    if (logical == null) {
                        logical = ((ObjectNode) res.path("locations").get(0)).putArray("logicalLocations");
                    }
                    ObjectNode l = logical.addObject();
                    l.put("name", node.asText());
                    l.put("kind", "member");
                }
                res.putObject("partialFingerprints").put("satchelFinding/v1",
                        fingerprint(device + "\n" + code + "\n" + String.join(",", texts(f.path("nodes")))));
                ObjectNode props = res.putObject("properties");
                props.put("device", device);
                props.put("check", Checks.of(code));
                props.put("severity", f.path("severity").asText());
            }
        }
        for (JsonNode g : r.path("gates")) {
            if (g.path("passed").asBoolean()) {
                continue;
            }
            boolean quant = g.path("kind").asText().equals("quantization");
            String level = g.path("required").asBoolean() ? "error" : "note";
            StringBuilder msg = new StringBuilder(quant ? "Quantization accuracy gate failed: "
                    : "[" + g.path("device").asText() + "] requirement not met: ");
            int i = 0;
            for (JsonNode reason : g.path("reasons")) {
                msg.append(i++ == 0 ? "" : "; ").append(reason.asText());
            }
            ObjectNode res = result(results, index, quant ? GATE_QUANTIZATION : GATE_DEVICE, level, msg.toString(), uri);
            res.putObject("partialFingerprints").put("satchelFinding/v1", fingerprint(g.path("id").asText()));
        }
        if (lab) {
            labResults(results, index, r, uri);
        }
        return Json.write(log);
    }

    /**
     * One result per device lab run that disagrees with the check: {@code error} when a model
     * predicted to fit did not run (it would fail on the device), {@code warning} when one
     * predicted not to fit ran when forced (the estimate is pessimistic).
     */
    private static void labResults(ArrayNode results, Map<String, Integer> index, JsonNode r, String uri) {
        for (LabSection.Row x : LabSection.rows(r)) {
            String why = x.disagreement();
            if (why == null) {
                continue;
            }
            ObjectNode res = result(results, index, LAB_DISAGREEMENT, x.predictedFit() ? "error" : "warning",
                    "[" + x.device() + "] device lab, " + x.model() + ": " + why, uri);
            res.putObject("partialFingerprints").put("satchelFinding/v1",
                    fingerprint(x.device() + "\n" + LAB_DISAGREEMENT + "\n" + x.model()));
            ObjectNode props = res.putObject("properties");
            props.put("device", x.device());
            props.put("check", "lab");
            props.put("model", x.model());
            props.put("outcome", x.outcomeText());
        }
    }

    private static java.util.List<String> texts(JsonNode a) {
        java.util.List<String> out = new java.util.ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static void rule(ArrayNode rules, Map<String, Integer> index, String id, String description) {
        index.put(id, rules.size());
        ObjectNode rule = rules.addObject();
        rule.put("id", id);
        rule.put("name", camel(id));
        rule.putObject("shortDescription").put("text", description);
        rule.putObject("help").put("text", id.startsWith("gate-")
                ? "See docs/report-schema.md (gates) and docs/satchel-yaml.md (requirements)."
                : id.equals(LAB_DISAGREEMENT) ? "See docs/device-lab.md (outcomes and agreement)."
                : "See docs/checker.md: finding code '" + id + "', its meaning and fix.");
    }

    private static ObjectNode result(ArrayNode results, Map<String, Integer> index, String ruleId, String level,
            String message, String uri) {
        ObjectNode res = results.addObject();
        res.put("ruleId", ruleId);
        if (index.containsKey(ruleId)) {
            res.put("ruleIndex", index.get(ruleId));
        }
        res.put("level", level);
        res.putObject("message").put("text", message);
        ObjectNode loc = res.putArray("locations").addObject();
        loc.putObject("physicalLocation").putObject("artifactLocation").put("uri", uri);
        return res;
    }

    private static String level(String severity) {
        return switch (severity) {
            case "fail" -> "error";
            case "warn" -> "warning";
            default -> "note";
        };
    }

    private static String camel(String id) {
        StringBuilder b = new StringBuilder();
        for (String part : id.split("-")) {
            if (!part.isEmpty()) {
                b.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        return b.toString();
    }

    private static String fingerprint(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
