package dev.satchel.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Writes a {@link DeviceProfile} as JSON in the same field names as the YAML format
 * (docs/profile-schema.md), with sources resolved to their references inside each fact. The key
 * order is fixed, so the same profile always gives the same bytes. Stateless; thread-safe.
 */
public final class ProfileJson {
    /** The {@code schema} value of the JSON written here. */
    public static final String SCHEMA = "satchel.profile/v1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ProfileJson() {}

    /** Pretty-printed JSON, ending without a newline. */
    public static String toJson(DeviceProfile p) {
        try {
            return JSON.writeValueAsString(tree(p));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(DeviceProfile p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("id", p.id());
        o.put("name", p.name());
        p.extendsId().ifPresent(e -> o.put("extends", e));
        o.put("origin", p.origin());
        o.put("class", p.deviceClass().label());
        p.soc().ifPresent(s -> o.put("soc", s));
        strings(o.putArray("example_devices"), p.exampleDevices());
        p.ramGb().ifPresent(f -> o.set("ram_gb", fact(f)));
        ObjectNode mem = o.putObject("memory");
        p.memory().appBudgetMb().ifPresent(f -> mem.set("app_budget_mb", fact(f)));
        p.memory().extendedBudgetMb().ifPresent(f -> mem.set("extended_budget_mb", fact(f)));
        p.memory().extendedCondition().ifPresent(s -> mem.put("extended_condition", s));
        p.memory().modelBudgetMb().ifPresent(f -> mem.set("model_budget_mb", fact(f)));
        p.memory().bandwidthGbps().ifPresent(f -> mem.set("bandwidth_gbps", fact(f)));
        ObjectNode st = o.putObject("storage");
        p.storage().downloadBudgetMb().ifPresent(f -> st.set("download_budget_mb", fact(f)));
        p.storage().installLimitMb().ifPresent(f -> st.set("install_limit_mb", fact(f)));
        p.storage().notes().ifPresent(s -> st.put("notes", s));
        ObjectNode cpu = o.putObject("cpu");
        p.cpu().cores().ifPresent(f -> cpu.set("cores", fact(f)));
        p.cpu().layout().ifPresent(s -> cpu.put("layout", s));
        p.cpu().isa().ifPresent(f -> cpu.set("isa", fact(f)));
        p.cpu().features().ifPresent(f -> cpu.set("features", fact(f)));
        ArrayNode accs = o.putArray("accelerators");
        for (Accelerator a : p.accelerators()) {
            ObjectNode n = accs.addObject();
            n.put("id", a.id());
            n.put("name", a.name());
            n.put("kind", a.kind().label());
            strings(n.putArray("execution_providers"), a.executionProviders());
            n.set("compute_types", fact(a.computeTypes().withValue(
                    a.computeTypes().value().stream().map(ComputeType::label).toList())));
            a.peak().ifPresent(f -> {
                ObjectNode peak = fact(f.withValue(f.value().value()));
                peak.put("unit", f.value().unit().name());
                peak.put("precision", f.value().precision());
                n.set("peak", peak);
            });
            ObjectNode attrs = n.putObject("attributes");
            new java.util.TreeMap<>(a.attributes()).forEach(attrs::put);
            a.notes().ifPresent(s -> n.put("notes", s));
        }
        ObjectNode os = o.putObject("os");
        os.put("platform", p.os().platform());
        p.os().version().ifPresent(f -> os.set("version", fact(f)));
        strings(os.putArray("requirements"), p.os().requirements());
        o.set("onnxruntime", fact(p.onnxRuntime()));
        ObjectNode limits = o.putObject("limits");
        for (PlatformLimit l : PlatformLimit.values()) {
            Optional.ofNullable(p.limits().get(l)).ifPresent(f -> limits.set(l.label(), fact(f)));
        }
        ObjectNode dims = o.putObject("dims");
        p.dims().forEach(dims::put);
        ObjectNode sources = o.putObject("sources");
        p.sources().forEach(s -> sources.put(s.key(), s.ref()));
        return o;
    }

    static ObjectNode fact(Fact<?> f) {
        ObjectNode n = JSON.createObjectNode();
        Object v = f.value();
        if (v instanceof Long) {
            n.put("value", (Long) v);
        } else if (v instanceof Double) {
            n.put("value", (Double) v);
        } else if (v instanceof List) {
            ArrayNode arr = n.putArray("value");
            ((List<?>) v).forEach(x -> arr.add(String.valueOf(x)));
        } else {
            n.put("value", String.valueOf(v));
        }
        n.put("evidence", f.evidence().label());
        ArrayNode src = n.putArray("sources");
        f.sources().forEach(s -> {
            ObjectNode sn = src.addObject();
            sn.put("key", s.key());
            sn.put("ref", s.ref());
        });
        f.basis().ifPresent(b -> n.put("basis", b));
        f.note().ifPresent(b -> n.put("note", b));
        return n;
    }

    private static void strings(ArrayNode arr, List<String> values) {
        values.forEach(arr::add);
    }

}
