package dev.satchel.reports.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satchel.devices.check.CheckReport;
import dev.satchel.devices.check.CheckReportJson;
import dev.satchel.devices.check.DeviceReport;
import dev.satchel.devices.check.EpCoverage;
import dev.satchel.devices.check.Verdict;
import dev.satchel.model.ModelFacts;
import dev.satchel.model.ValueInfo;
import dev.satchel.reports.BundleInfo;
import dev.satchel.reports.DeviceRequirement;
import dev.satchel.reports.ReportException;
import dev.satchel.reports.ReportInputs;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** Builds the {@code satchel.report/v1} tree from typed inputs. Stateless. */
public final class ReportBuilder {
    public static final String SCHEMA = "satchel.report/v1";
    public static final String QUANTIZE_SCHEMA_PREFIX = "satchel.quantize.report/";
    public static final String LAB_SCHEMA = "satchel.lab/v1";

    private ReportBuilder() {}

    public static ObjectNode build(ReportInputs in) throws ReportException {
        Map<String, DeviceRequirement> reqs = new LinkedHashMap<>();
        for (DeviceRequirement r : in.requirements()) {
            if (reqs.put(r.deviceId(), r) != null) {
                throw new IllegalArgumentException("two requirements for device '" + r.deviceId() + "'");
            }
        }
        for (String id : reqs.keySet()) {
            if (in.check().devices().stream().noneMatch(d -> d.deviceId().equals(id))) {
                throw new IllegalArgumentException("requirement for device '" + id + "', which was not checked");
            }
        }
        ObjectNode o = Json.object();
        o.put("schema", SCHEMA);
        if (in.generatedAt().isPresent()) {
            o.put("generatedAt", in.generatedAt().get().toString());
        } else {
            o.putNull("generatedAt");
        }
        o.put("tool", in.tool());
        o.put("passed", false); // set below, kept near the top for readers
        o.set("model", model(in));

        JsonNode quant = null;
        if (in.quantizationJson().isPresent()) {
            try {
                quant = Json.parse(in.quantizationJson().get());
            } catch (JsonProcessingException e) {
                throw new ReportException(ReportException.Code.INVALID_INPUT,
                        "quantization report is not JSON: " + e.getOriginalMessage(), e);
            }
            if (!quant.isObject() || !quant.path("schema").asText("").startsWith(QUANTIZE_SCHEMA_PREFIX)) {
                throw new ReportException(ReportException.Code.INVALID_INPUT,
                        "quantization report: schema expected " + QUANTIZE_SCHEMA_PREFIX + "v1, got "
                                + quant.path("schema"));
            }
        }
        ObjectNode sizes = o.putObject("sizes");
        sizes.put("sourceBytes", in.sourceBytes());
        sizes.put("modelBytes", in.facts().fileBytes() + in.facts().externalDataBytes());

        ArrayNode gates = o.putArray("gates");
        boolean passed = true;
        if (quant != null) {
            ObjectNode g = gates.addObject();
            g.put("id", "quantization");
            g.put("kind", "quantization");
            g.putNull("device");
            g.put("required", true);
            JsonNode gate = quant.path("gate");
            ArrayNode reasons = Json.MAPPER.createArrayNode();
            boolean ok;
            if (gate.isObject()) {
                ok = gate.path("passed").asBoolean(false);
                if (!ok) {
                    // A gate met only with every layer back in float32 fails too: nothing would be quantized.
                    reasons.add(quant.path("layers_quantized").asLong(1) == 0
                            ? "the gate's " + gate.path("min_cosine").asText() + " is met only with every layer kept in float32 "
                                    + "(nothing quantized); evaluate on inputs that exercise the model"
                            : "worst mean cosine " + worstCosine(quant) + " below the gate's " + gate.path("min_cosine").asText());
                }
            } else {
                ok = true;
                reasons.add("no accuracy gate configured");
            }
            g.put("passed", ok);
            g.set("reasons", reasons);
            passed &= ok;
        }
        for (DeviceReport d : in.check().devices()) {
            DeviceRequirement r = reqs.getOrDefault(d.deviceId(), DeviceRequirement.defaults(d.deviceId()));
            ObjectNode g = gates.addObject();
            g.put("id", "device/" + d.deviceId());
            g.put("kind", "device");
            g.put("device", d.deviceId());
            g.put("required", r.mustPass());
            g.put("mayWarn", r.mayWarn());
            put(g, "minAcceleratorShare", r.minAcceleratorShare());
            OptionalDouble share = d.preferredCoverage().map(EpCoverage::macShare).orElse(OptionalDouble.empty());
            put(g, "acceleratorShare", share.isPresent() ? OptionalDouble.of(round(share.getAsDouble()))
                    : OptionalDouble.empty());
            ArrayNode reasons = Json.MAPPER.createArrayNode();
            if (d.verdict() == Verdict.FAIL) {
                reasons.add("verdict fail");
            } else if (d.verdict() == Verdict.WARN && !r.mayWarn()) {
                reasons.add("verdict warn, and this device may not warn");
            }
            if (r.minAcceleratorShare().isPresent()) {
                double want = r.minAcceleratorShare().getAsDouble();
                if (share.isEmpty()) {
                    reasons.add("accelerator share wanted " + Fmt.percent(want) + ", but no accelerator takes any MACs");
                } else if (share.getAsDouble() < want) {
                    reasons.add("accelerator share " + Fmt.percent(share.getAsDouble()) + " of MACs on "
                            + d.preferredExecutionProvider().orElse("?") + ", wanted at least " + Fmt.percent(want));
                }
            }
            boolean ok = reasons.isEmpty();
            g.put("passed", ok);
            g.set("reasons", reasons);
            if (r.mustPass()) {
                passed &= ok;
            }
        }
        o.put("passed", passed);
        if (quant != null) {
            o.set("quantization", quant);
        } else {
            o.putNull("quantization");
        }
        try {
            o.set("check", Json.parse(CheckReportJson.toJson(in.check())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("check report JSON did not parse", e);
        }
        if (in.bundle().isPresent()) {
            BundleInfo b = in.bundle().get();
            ObjectNode bn = o.putObject("bundle");
            bn.put("name", b.name());
            bn.put("version", b.version());
            bn.put("file", b.file());
            b.modelSha256().ifPresentOrElse(s -> bn.put("modelSha256", s), () -> bn.putNull("modelSha256"));
        } else {
            o.putNull("bundle");
        }
        if (in.labJson().isPresent()) {
            o.set("lab", lab(in.labJson().get()));
        }
        return o;
    }

    /**
     * The device lab section: the {@code satchel.lab/v1} document, embedded unchanged after a check
     * of the members the renderers read. Absent (not null) without a lab run, so reports of
     * {@code satchel build} keep their bytes.
     */
    private static JsonNode lab(String text) throws ReportException {
        JsonNode lab;
        try {
            lab = Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new ReportException(ReportException.Code.INVALID_INPUT, "lab report is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (lab == null || !lab.isObject() || !lab.path("schema").asText("").equals(LAB_SCHEMA)) {
            throw new ReportException(ReportException.Code.INVALID_INPUT, "lab report: schema expected " + LAB_SCHEMA
                    + ", got " + (lab == null ? "nothing" : lab.path("schema")));
        }
        String problem = LabSection.problem(lab, "");
        if (problem != null) {
            throw new ReportException(ReportException.Code.INVALID_INPUT, "lab report: " + problem);
        }
        return lab;
    }

    private static String worstCosine(JsonNode quant) {
        BigDecimal worst = null;
        for (JsonNode q : quant.path("quality")) {
            JsonNode c = q.path("mean_cosine");
            if (c.isNumber() && (worst == null || c.decimalValue().compareTo(worst) < 0)) {
                worst = c.decimalValue();
            }
        }
        return worst == null ? "unknown" : worst.toPlainString();
    }

    private static ObjectNode model(ReportInputs in) {
        ModelFacts f = in.facts();
        ObjectNode m = Json.object();
        m.put("source", in.modelSource());
        m.put("sha256", in.modelSha256());
        m.put("bytes", f.fileBytes());
        m.put("externalDataBytes", f.externalDataBytes());
        m.put("irVersion", f.irVersion());
        ObjectNode p = m.putObject("producer");
        p.put("name", f.producerName());
        p.put("version", f.producerVersion());
        ObjectNode opsets = m.putObject("opsets");
        f.opsets().forEach((k, v) -> opsets.put(k.isEmpty() ? "ai.onnx" : k, v));
        m.put("nodes", f.nodeCount());
        m.put("parameters", f.parameterCount());
        m.put("parameterBytes", f.parameterBytes());
        ArrayNode ins = m.putArray("inputs");
        f.inputs().forEach(v -> value(ins, v));
        ArrayNode outs = m.putArray("outputs");
        f.outputs().forEach(v -> value(outs, v));
        return m;
    }

    private static void value(ArrayNode a, ValueInfo v) {
        ObjectNode n = a.addObject();
        n.put("name", v.name());
        n.put("type", v.type().toString());
    }

    private static void put(ObjectNode o, String field, OptionalDouble v) {
        if (v.isPresent()) {
            o.put(field, BigDecimal.valueOf(v.getAsDouble()));
        } else {
            o.putNull(field);
        }
    }

    private static double round(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
    }
}
