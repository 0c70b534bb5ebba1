package dev.satchel.devices.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.satchel.devices.Accelerator;
import dev.satchel.devices.ComputeType;
import dev.satchel.devices.Cpu;
import dev.satchel.devices.DeviceClass;
import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.Evidence;
import dev.satchel.devices.Fact;
import dev.satchel.devices.MemoryBudget;
import dev.satchel.devices.OperatingSystem;
import dev.satchel.devices.PlatformLimit;
import dev.satchel.devices.Source;
import dev.satchel.devices.StorageBudget;
import dev.satchel.devices.Throughput;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads profiles back from the JSON that {@code ProfileJson} writes. Used only for the compiled
 * built-in catalogue ({@code profiles/catalogue.json}), which a test keeps equal to what the YAML
 * reader makes of the built-in YAML files; record constructors still validate every value.
 */
public final class ProfileJsonReader {
    private ProfileJsonReader() {}

    public static DeviceProfile read(JsonNode o) {
        Map<PlatformLimit, Fact<Long>> limits = new EnumMap<>(PlatformLimit.class);
        o.path("limits").properties().forEach(e -> limits.put(PlatformLimit.fromLabel(e.getKey()).orElseThrow(),
                fact(e.getValue(), JsonNode::asLong)));
        Map<String, Long> dims = new LinkedHashMap<>();
        o.path("dims").properties().forEach(e -> dims.put(e.getKey(), e.getValue().asLong()));
        List<Source> sources = new ArrayList<>();
        o.path("sources").properties().forEach(e -> sources.add(new Source(e.getKey(), e.getValue().asText())));
        JsonNode mem = o.path("memory");
        JsonNode st = o.path("storage");
        JsonNode cpu = o.path("cpu");
        List<Accelerator> accs = new ArrayList<>();
        for (JsonNode a : o.path("accelerators")) {
            Map<String, String> attrs = new LinkedHashMap<>();
            a.path("attributes").properties().forEach(e -> attrs.put(e.getKey(), e.getValue().asText()));
            Optional<Fact<Throughput>> peak = a.has("peak") ? Optional.of(fact(a.get("peak"),
                    v -> new Throughput(v.asDouble(), Throughput.Unit.valueOf(a.get("peak").get("unit").asText()),
                            a.get("peak").get("precision").asText()))) : Optional.empty();
            accs.add(new Accelerator(a.get("id").asText(), a.get("name").asText(),
                    Accelerator.Kind.valueOf(a.get("kind").asText().toUpperCase(java.util.Locale.ROOT)),
                    strings(a.path("execution_providers")),
                    fact(a.get("compute_types"), v -> {
                        List<ComputeType> types = new ArrayList<>();
                        v.forEach(t -> types.add(ComputeType.fromLabel(t.asText()).orElseThrow()));
                        return types;
                    }), peak, attrs, text(a, "notes")));
        }
        JsonNode os = o.path("os");
        return new DeviceProfile(o.get("id").asText(), o.get("name").asText(),
                DeviceClass.fromLabel(o.get("class").asText()).orElseThrow(), text(o, "soc"),
                strings(o.path("example_devices")), optFact(o, "ram_gb", JsonNode::asLong),
                new MemoryBudget(optFact(mem, "app_budget_mb", JsonNode::asLong),
                        optFact(mem, "extended_budget_mb", JsonNode::asLong), text(mem, "extended_condition"),
                        optFact(mem, "model_budget_mb", JsonNode::asLong), optFact(mem, "bandwidth_gbps", JsonNode::asDouble)),
                new StorageBudget(optFact(st, "download_budget_mb", JsonNode::asLong),
                        optFact(st, "install_limit_mb", JsonNode::asLong), text(st, "notes")),
                new Cpu(optFact(cpu, "cores", JsonNode::asLong), text(cpu, "layout"), optFact(cpu, "isa", JsonNode::asText),
                        optFact(cpu, "features", ProfileJsonReader::strings)),
                accs,
                new OperatingSystem(os.get("platform").asText(), optFact(os, "version", JsonNode::asText),
                        strings(os.path("requirements"))),
                fact(o.get("onnxruntime"), JsonNode::asText), limits, dims, sources, text(o, "extends"),
                o.get("origin").asText());
    }

    private static <T> Optional<Fact<T>> optFact(JsonNode parent, String key, Function<JsonNode, T> value) {
        return parent.has(key) ? Optional.of(fact(parent.get(key), value)) : Optional.empty();
    }

    private static <T> Fact<T> fact(JsonNode f, Function<JsonNode, T> value) {
        List<Source> src = new ArrayList<>();
        f.path("sources").forEach(s -> src.add(new Source(s.get("key").asText(), s.get("ref").asText())));
        return new Fact<>(value.apply(f.get("value")), Evidence.fromLabel(f.get("evidence").asText()).orElseThrow(), src,
                text(f, "basis"), text(f, "note"));
    }

    private static Optional<String> text(JsonNode n, String key) {
        return n.hasNonNull(key) ? Optional.of(n.get(key).asText()) : Optional.empty();
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.asText()));
        return out;
    }
}
