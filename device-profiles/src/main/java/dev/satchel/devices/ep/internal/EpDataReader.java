package dev.satchel.devices.ep.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import dev.satchel.devices.ep.Constraint;
import dev.satchel.devices.ep.DtypeRules;
import dev.satchel.devices.ep.ExecutionProvider;
import dev.satchel.devices.ep.OpSupport;
import dev.satchel.devices.ep.OpsetRanges;
import dev.satchel.devices.ep.OrtRelease;
import dev.satchel.devices.ep.ProviderRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strict reader for the execution-provider data files: unknown keys, wrong types, unknown
 * constraint kinds, unknown dtype names and malformed opset ranges are all reported, each as
 * {@code file: /json/pointer: message}. Never returns half-read data for a file with problems.
 */
public final class EpDataReader {

    /** ONNX element type names (TensorProto.DataType, as dev.satchel.model.DataType prints them). */
    public static final Set<String> DTYPES = Set.of("float32", "float16", "bfloat16", "float64", "uint8", "int8",
            "uint16", "int16", "int32", "int64", "uint32", "uint64", "bool", "int4", "uint4", "float8e4m3fn",
            "float8e5m2");

    private static final Set<String> TOP = Set.of("id", "provider", "ort_name", "coverage", "list_origin",
            "derived_from", "sources", "rules", "dtype_rules", "global_constraints_text", "approach", "ops",
            "ops_in_factory_but_not_in_doc_table", "factory_ops_not_in_tables", "factory_ops", "factory_note");
    private static final Set<String> RULES = Set.of("static_shapes", "max_rank", "subgraphs", "partition_cost",
            "min_os", "deprecated");
    private static final Set<String> DTYPE_RULES = Set.of("float", "quantized", "float_needs_quantization",
            "fp16_option", "text");
    private static final Set<String> OP = Set.of("op", "domain", "opsets", "since_ort", "constraints", "notes",
            "source_text");
    private static final Set<String> RELEASE = Set.of("ort", "onnx", "max_opset", "max_opset_note", "ml_opset", "ir",
            "confidence", "evidence");

    private EpDataReader() {}

    public static Optional<ExecutionProvider> readProvider(String file, String json, List<String> problems) {
        Ctx c = new Ctx(file, problems);
        JsonNode root = c.parse(json);
        if (root == null) {
            return Optional.empty();
        }
        c.keys(root, "", TOP);
        String id = c.text(root, "", "id");
        String provider = c.text(root, "", "provider");
        String ortName = c.text(root, "", "ort_name");
        String coverageText = c.text(root, "", "coverage");
        ExecutionProvider.Coverage coverage = null;
        if (coverageText != null) {
            try {
                coverage = ExecutionProvider.Coverage.valueOf(coverageText.toUpperCase(java.util.Locale.ROOT)
                        .replace('-', '_'));
            } catch (IllegalArgumentException e) {
                c.problem("/coverage", "unknown coverage '" + coverageText + "'");
            }
        }
        List<Map<String, String>> sources = new ArrayList<>();
        JsonNode src = root.path("sources");
        if (!src.isArray()) {
            c.problem("/sources", "must be a list");
        } else {
            for (int i = 0; i < src.size(); i++) {
                Map<String, String> m = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : src.get(i).properties()) {
                    m.put(e.getKey(), e.getValue().asText());
                }
                if (!m.containsKey("url") && !m.containsKey("repo")) {
                    c.problem("/sources/" + i, "a source needs 'repo' (with path) or 'url'");
                }
                sources.add(m);
            }
        }
        ProviderRules rules = rules(c, root.path("rules"));
        DtypeRules dtypes = dtypeRules(c, root.path("dtype_rules"));
        List<String> gtext = c.strings(root, "", "global_constraints_text");
        List<OpSupport> ops = new ArrayList<>();
        JsonNode opsNode = root.path("ops");
        Set<String> seen = new HashSet<>();
        if (!opsNode.isArray()) {
            c.problem("/ops", "must be a list");
        } else {
            for (int i = 0; i < opsNode.size(); i++) {
                Optional<OpSupport> op = op(c, "/ops/" + i, opsNode.get(i));
                op.ifPresent(o -> {
                    if (!seen.add(o.qualifiedName())) {
                        c.problem("/ops", "op " + o.qualifiedName() + " is listed twice");
                    }
                    ops.add(o);
                });
            }
            if (coverage == ExecutionProvider.Coverage.LISTED && opsNode.size() == 0) {
                c.problem("/ops", "coverage 'listed' with no ops");
            }
        }
        if (c.failed()) {
            return Optional.empty();
        }
        return Optional.of(new ExecutionProvider(id, provider, ortName, coverage, c.text(root, "", "list_origin"),
                sources, rules, dtypes, gtext, ops));
    }

    private static ProviderRules rules(Ctx c, JsonNode n) {
        if (!n.isObject()) {
            c.problem("/rules", "must be an object");
            return null;
        }
        c.keys(n, "/rules", RULES);
        Map<String, String> minOs = new LinkedHashMap<>();
        n.path("min_os").properties().forEach(e -> minOs.put(e.getKey(), e.getValue().asText()));
        String cost = c.text(n, "/rules", "partition_cost");
        if (cost != null && !cost.equals("device-copy") && !cost.equals("none")) {
            c.problem("/rules/partition_cost", "must be 'device-copy' or 'none', found '" + cost + "'");
        }
        Optional<Integer> maxRank = n.path("max_rank").isInt() ? Optional.of(n.get("max_rank").asInt()) : Optional.empty();
        Optional<String> deprecated = n.hasNonNull("deprecated") ? Optional.of(n.get("deprecated").asText())
                : Optional.empty();
        return new ProviderRules(c.bool(n, "/rules", "static_shapes"), maxRank, c.bool(n, "/rules", "subgraphs"),
                "device-copy".equals(cost), minOs, deprecated);
    }

    private static DtypeRules dtypeRules(Ctx c, JsonNode n) {
        if (!n.isObject()) {
            c.problem("/dtype_rules", "must be an object");
            return null;
        }
        c.keys(n, "/dtype_rules", DTYPE_RULES);
        List<String> fl = c.dtypes(n, "/dtype_rules", "float");
        List<String> q = c.dtypes(n, "/dtype_rules", "quantized");
        boolean needsQ = c.bool(n, "/dtype_rules", "float_needs_quantization");
        if (needsQ && q.isEmpty()) {
            c.problem("/dtype_rules", "float_needs_quantization without any quantized type");
        }
        Optional<String> fp16 = n.hasNonNull("fp16_option") ? Optional.of(n.get("fp16_option").asText())
                : Optional.empty();
        String text = c.text(n, "/dtype_rules", "text");
        return new DtypeRules(fl, q, needsQ, fp16, text == null ? "" : text);
    }

    private static Optional<OpSupport> op(Ctx c, String ptr, JsonNode n) {
        int before = c.count();
        c.keys(n, ptr, OP);
        String op = c.text(n, ptr, "op");
        String domain = c.text(n, ptr, "domain");
        if (domain != null && !domain.isEmpty() && !domain.equals("com.microsoft") && !domain.equals("ai.onnx.ml")) {
            c.problem(ptr + "/domain", "unexpected domain '" + domain + "' (use \"\" for ai.onnx)");
        }
        Optional<OpsetRanges> opsets = Optional.empty();
        if (n.hasNonNull("opsets")) {
            try {
                OpsetRanges r = OpsetRanges.parse(n.get("opsets").asText());
                if (!r.isContiguous()) {
                    c.problem(ptr + "/opsets", "ranges '" + r + "' have holes; opset matching assumes contiguous ranges");
                }
                opsets = Optional.of(r);
            } catch (IllegalArgumentException e) {
                c.problem(ptr + "/opsets", e.getMessage());
            }
        }
        Optional<String> sinceOrt = Optional.empty();
        if (n.hasNonNull("since_ort")) {
            String v = n.get("since_ort").asText();
            if (!v.matches("\\d+\\.\\d+(\\.\\d+)?")) {
                c.problem(ptr + "/since_ort", "not a version: '" + v + "'");
            }
            sinceOrt = Optional.of(v);
        }
        List<Constraint> cons = new ArrayList<>();
        JsonNode cs = n.path("constraints");
        if (!cs.isMissingNode()) {
            if (!cs.isArray()) {
                c.problem(ptr + "/constraints", "must be a list");
            } else {
                for (int i = 0; i < cs.size(); i++) {
                    constraint(c, ptr + "/constraints/" + i, cs.get(i)).ifPresent(cons::add);
                }
            }
        }
        List<String> notes = n.has("notes") ? c.strings(n, ptr, "notes") : List.of();
        Optional<String> sourceText = n.hasNonNull("source_text") ? Optional.of(n.get("source_text").asText())
                : Optional.empty();
        if (c.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new OpSupport(domain, op, opsets, sinceOrt, cons, notes, sourceText));
    }

    private static Optional<Constraint> constraint(Ctx c, String ptr, JsonNode n) {
        String kind = c.text(n, ptr, "kind");
        String text = n.path("text").asText("");
        if (text.isEmpty()) {
            c.problem(ptr + "/text", "every constraint keeps the source wording in 'text'");
        }
        if (kind == null) {
            return Optional.empty();
        }
        try {
            switch (kind) {
                case "const-inputs":
                    c.keys(n, ptr, Set.of("kind", "inputs", "text"));
                    return Optional.of(new Constraint.ConstInputs(c.ints(n, ptr, "inputs"), text));
                case "input-rank": {
                    c.keys(n, ptr, Set.of("kind", "input", "min", "max", "text"));
                    Optional<Integer> max = n.path("max").isInt() ? Optional.of(n.get("max").asInt()) : Optional.empty();
                    return Optional.of(new Constraint.InputRank(c.integer(n, ptr, "input"), c.integer(n, ptr, "min"),
                            max, text));
                }
                case "input-dtypes":
                    c.keys(n, ptr, Set.of("kind", "input", "allowed", "text"));
                    return Optional.of(new Constraint.InputDtypes(c.integer(n, ptr, "input"),
                            c.dtypes(n, ptr, "allowed"), text));
                case "quantized-inputs":
                    c.keys(n, ptr, Set.of("kind", "inputs", "dtypes", "text"));
                    return Optional.of(new Constraint.QuantizedInputs(c.ints(n, ptr, "inputs"),
                            c.dtypes(n, ptr, "dtypes"), text));
                case "attribute-in":
                    c.keys(n, ptr, Set.of("kind", "name", "allowed", "default", "text"));
                    return Optional.of(new Constraint.AttributeIn(c.text(n, ptr, "name"), c.strings(n, ptr, "allowed"),
                            optText(n, "default"), text));
                case "attribute-not-in":
                    c.keys(n, ptr, Set.of("kind", "name", "forbidden", "default", "text"));
                    return Optional.of(new Constraint.AttributeNotIn(c.text(n, ptr, "name"),
                            c.strings(n, ptr, "forbidden"), optText(n, "default"), text));
                case "attribute-absent":
                    c.keys(n, ptr, Set.of("kind", "names", "text"));
                    return Optional.of(new Constraint.AttributeAbsent(c.strings(n, ptr, "names"), text));
                case "last-axis":
                    c.keys(n, ptr, Set.of("kind", "attribute", "default", "since_opset", "text"));
                    return Optional.of(new Constraint.LastAxis(c.text(n, ptr, "attribute"), c.integer(n, ptr, "default"),
                            c.integer(n, ptr, "since_opset"), text));
                case "max-outputs":
                    c.keys(n, ptr, Set.of("kind", "max", "text"));
                    return Optional.of(new Constraint.MaxOutputs(c.integer(n, ptr, "max"), text));
                case "unevaluated":
                    c.keys(n, ptr, Set.of("kind", "text"));
                    return Optional.of(new Constraint.Unevaluated(text));
                default:
                    c.problem(ptr + "/kind", "unknown constraint kind '" + kind + "'");
                    return Optional.empty();
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            c.problem(ptr, "invalid " + kind + " constraint: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> optText(JsonNode n, String key) {
        return n.hasNonNull(key) ? Optional.of(n.get(key).asText()) : Optional.empty();
    }

    public static List<OrtRelease> readReleases(String file, String json, List<String> problems) {
        Ctx c = new Ctx(file, problems);
        JsonNode root = c.parse(json);
        List<OrtRelease> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        JsonNode rows = root.path("rows");
        if (!rows.isArray() || rows.size() == 0) {
            c.problem("/rows", "must be a non-empty list");
            return out;
        }
        for (int i = 0; i < rows.size(); i++) {
            String ptr = "/rows/" + i;
            JsonNode r = rows.get(i);
            c.keys(r, ptr, RELEASE);
            String ort = c.text(r, ptr, "ort");
            if (ort != null && !ort.matches("\\d+\\.\\d+")) {
                c.problem(ptr + "/ort", "not a MAJOR.MINOR version: " + ort);
                continue;
            }
            String conf = c.text(r, ptr, "confidence");
            int max = c.integer(r, ptr, "max_opset");
            Optional<Integer> ml = r.path("ml_opset").isInt() ? Optional.of(r.get("ml_opset").asInt()) : Optional.empty();
            Optional<Integer> ir = r.path("ir").isInt() ? Optional.of(r.get("ir").asInt()) : Optional.empty();
            try {
                out.add(new OrtRelease(ort, c.text(r, ptr, "onnx"), max, optText(r, "max_opset_note"), ml, ir, conf,
                        optText(r, "evidence")));
            } catch (IllegalArgumentException | NullPointerException e) {
                c.problem(ptr, e.getMessage());
            }
        }
        return out;
    }

    /** Problem collector with typed accessors. */
    private static final class Ctx {
        private final String file;
        private final List<String> problems;
        private int count;

        Ctx(String file, List<String> problems) {
            this.file = file;
            this.problems = problems;
        }

        JsonNode parse(String json) {
            try {
                JsonNode n = dev.satchel.devices.internal.JsonTrees.parse(json);
                if (!n.isObject()) {
                    problem("", "top level must be a JSON object");
                    return null;
                }
                return n;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                problem("", "not valid JSON: " + e.getOriginalMessage());
                return null;
            } catch (IOException e) {
                problem("", "not valid JSON: " + e.getMessage());
                return null;
            }
        }

        void problem(String ptr, String message) {
            problems.add(file + ": " + (ptr.isEmpty() ? "/" : ptr) + ": " + message);
            count++;
        }

        int count() {
            return count;
        }

        boolean failed() {
            return count > 0;
        }

        void keys(JsonNode n, String ptr, Set<String> allowed) {
            n.fieldNames().forEachRemaining(k -> {
                if (!allowed.contains(k)) {
                    problem(ptr + "/" + k, "unknown key");
                }
            });
        }

        String text(JsonNode n, String ptr, String key) {
            JsonNode v = n.get(key);
            if (v == null || !v.isTextual()) {
                problem(ptr + "/" + key, "must be a string");
                return null;
            }
            return v.asText();
        }

        boolean bool(JsonNode n, String ptr, String key) {
            JsonNode v = n.get(key);
            if (v == null || !v.isBoolean()) {
                problem(ptr + "/" + key, "must be true or false");
                return false;
            }
            return v.asBoolean();
        }

        int integer(JsonNode n, String ptr, String key) {
            JsonNode v = n.get(key);
            if (v == null || !v.isInt()) {
                problem(ptr + "/" + key, "must be an integer");
                return 0;
            }
            return v.asInt();
        }

        List<Integer> ints(JsonNode n, String ptr, String key) {
            JsonNode v = n.get(key);
            List<Integer> out = new ArrayList<>();
            if (v == null || !v.isArray() || v.size() == 0) {
                problem(ptr + "/" + key, "must be a non-empty list of integers");
                return out;
            }
            for (JsonNode i : v) {
                if (!i.isInt()) {
                    problem(ptr + "/" + key, "must contain integers only");
                } else {
                    out.add(i.asInt());
                }
            }
            return out;
        }

        List<String> strings(JsonNode n, String ptr, String key) {
            JsonNode v = n.get(key);
            List<String> out = new ArrayList<>();
            if (v == null || !v.isArray()) {
                problem(ptr + "/" + key, "must be a list of strings");
                return out;
            }
            for (JsonNode i : v) {
                if (!i.isTextual()) {
                    problem(ptr + "/" + key, "must contain strings only");
                } else {
                    out.add(i.asText());
                }
            }
            return out;
        }

        List<String> dtypes(JsonNode n, String ptr, String key) {
            List<String> out = strings(n, ptr, key);
            for (String d : out) {
                if (!DTYPES.contains(d)) {
                    problem(ptr + "/" + key, "unknown ONNX element type '" + d + "'");
                }
            }
            return out;
        }
    }
}
