package dev.satchel.devices.internal;

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
import dev.satchel.devices.ProfileProblem;
import dev.satchel.devices.ProfileProblem.Code;
import dev.satchel.devices.Source;
import dev.satchel.devices.StorageBudget;
import dev.satchel.devices.Throughput;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a (merged) profile tree into a {@link DeviceProfile}, collecting every problem instead of
 * stopping at the first. Field names and rules are those of docs/profile-schema.md; keep the two in
 * step (ProfileSchemaDocTest checks the key sets against docs/profile.schema.json).
 */
public final class ProfileBinder {
    public static final Set<String> TOP_KEYS = Set.of("id", "name", "class", "extends", "soc", "example_devices",
            "sources", "ram_gb", "memory", "storage", "cpu", "accelerators", "os", "onnxruntime", "limits", "dims", "notes");
    public static final Set<String> FACT_KEYS = Set.of("value", "evidence", "sources", "basis", "note");
    public static final Set<String> MEMORY_KEYS =
            Set.of("app_budget_mb", "extended_budget_mb", "extended_condition", "model_budget_mb", "bandwidth_gbps");
    public static final Set<String> STORAGE_KEYS = Set.of("download_budget_mb", "install_limit_mb", "notes");
    public static final Set<String> CPU_KEYS = Set.of("cores", "layout", "isa", "features");
    public static final Set<String> ACCELERATOR_KEYS =
            Set.of("id", "name", "kind", "execution_providers", "compute_types", "peak", "attributes", "notes");
    public static final Set<String> PEAK_KEYS =
            Set.of("value", "unit", "precision", "evidence", "sources", "basis", "note");
    public static final Set<String> OS_KEYS = Set.of("platform", "version", "requirements");

    private static final Pattern FEATURE = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern SOURCE_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Set<String> knownExecutionProviders;
    private final List<ProfileProblem> problems = new ArrayList<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();

    public ProfileBinder(Set<String> knownExecutionProviders) {
        this.knownExecutionProviders = Set.copyOf(knownExecutionProviders);
    }

    public List<ProfileProblem> problems() {
        return List.copyOf(problems);
    }

    /** Reports duplicate keys in one file's tree, at every depth. Run on each file before merging. */
    public void checkDuplicates(YNode node) {
        if (node instanceof YNode.YMap) {
            Map<String, Integer> seen = new HashMap<>();
            for (YNode.Entry e : ((YNode.YMap) node).entries()) {
                Integer first = seen.putIfAbsent(e.key(), e.keyLine());
                if (first != null) {
                    problem(node.file(), e.keyLine(), Code.DUPLICATE_KEY,
                            "key '" + e.key() + "' already appears on line " + first);
                }
                checkDuplicates(e.value());
            }
        } else if (node instanceof YNode.YSeq) {
            for (YNode item : ((YNode.YSeq) node).items()) {
                checkDuplicates(item);
            }
        }
    }

    /**
     * Binds the tree. Returns empty when any problem was found; {@link #problems()} then lists them.
     */
    public Optional<DeviceProfile> bind(YNode.YMap root, String origin, Optional<String> extendsId) {
        keys(root, TOP_KEYS, "profile");
        bindSources(root);
        Optional<String> id = string(root, "id", true);
        id.ifPresent(v -> {
            if (!DeviceProfile.ID.matcher(v).matches()) {
                invalid(root.get("id").get(), "id '" + v + "' must be lowercase letters, digits and dashes"
                        + " (pattern " + DeviceProfile.ID + ")");
            }
        });
        Optional<String> name = string(root, "name", true);
        Optional<DeviceClass> deviceClass = string(root, "class", true).flatMap(c -> {
            Optional<DeviceClass> dc = DeviceClass.fromLabel(c);
            if (dc.isEmpty()) {
                invalid(root.get("class").get(), "class '" + c + "' is not one of " + labels(DeviceClass.values(),
                        DeviceClass::label));
            }
            return dc;
        });
        Optional<String> soc = string(root, "soc", false);
        List<String> examples = stringList(root, "example_devices");
        Optional<Fact<Long>> ram = longFact(root, "ram_gb", false, 1, 4096);
        MemoryBudget memory = memory(root);
        StorageBudget storage = storage(root);
        Cpu cpu = cpu(root);
        List<Accelerator> accelerators = accelerators(root);
        Optional<OperatingSystem> os = os(root);
        Optional<Fact<String>> ort = stringFact(root, "onnxruntime", true);
        ort.ifPresent(f -> {
            if (!DeviceProfile.ORT_VERSION.matcher(f.value()).matches()) {
                invalid(root.get("onnxruntime").get(), "onnxruntime version '" + f.value()
                        + "' must look like 1.20 or 1.20.1");
            }
        });
        Map<PlatformLimit, Fact<Long>> limits = limits(root);
        Map<String, Long> dims = dims(root);
        string(root, "notes", false);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DeviceProfile(id.get(), name.get(), deviceClass.get(), soc, examples, ram, memory,
                    storage, cpu, accelerators, os.get(), ort.get(), limits, dims, List.copyOf(sources.values()),
                    extendsId, origin));
        } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
            // The checks above mirror the record invariants; reaching this is a bug in the binder.
            problem(root.file(), root.line(), Code.INCONSISTENT, String.valueOf(e.getMessage()));
            return Optional.empty();
        }
    }

    private void bindSources(YNode.YMap root) {
        Optional<YNode> node = root.get("sources");
        if (node.isEmpty()) {
            return;
        }
        Optional<YNode.YMap> map = asMap(node.get(), "sources");
        if (map.isEmpty()) {
            return;
        }
        for (YNode.Entry e : map.get().entries()) {
            if (!SOURCE_KEY.matcher(e.key()).matches()) {
                problem(map.get().file(), e.keyLine(), Code.INVALID_VALUE, "source key '" + e.key()
                        + "' must be letters, digits, '.', '_' or '-'");
                continue;
            }
            scalarText(e.value(), "sources." + e.key()).ifPresent(ref -> {
                if (ref.isBlank()) {
                    invalid(e.value(), "source '" + e.key() + "' is empty; give a URL or repo/path@commit");
                } else {
                    sources.put(e.key(), new Source(e.key(), ref.trim()));
                }
            });
        }
    }

    private MemoryBudget memory(YNode.YMap root) {
        Optional<YNode.YMap> m = root.get("memory").flatMap(n -> asMap(n, "memory"));
        if (m.isEmpty()) {
            return MemoryBudget.unknown();
        }
        keys(m.get(), MEMORY_KEYS, "memory");
        Optional<Fact<Long>> app = longFact(m.get(), "app_budget_mb", false, 1, 1L << 24);
        Optional<Fact<Long>> ext = longFact(m.get(), "extended_budget_mb", false, 1, 1L << 24);
        Optional<String> cond = string(m.get(), "extended_condition", false);
        Optional<Fact<Long>> model = longFact(m.get(), "model_budget_mb", false, 1, 1L << 24);
        Optional<Fact<Double>> bw = doubleFact(m.get(), "bandwidth_gbps", false);
        if (ext.isPresent() && cond.isEmpty()) {
            problem(m.get().file(), m.get().entry("extended_budget_mb").get().keyLine(), Code.MISSING_FIELD,
                    "extended_budget_mb needs extended_condition saying what unlocks it");
        }
        if (model.isPresent() && app.isPresent() && model.get().value() > app.get().value()) {
            problem(m.get().file(), m.get().entry("model_budget_mb").get().keyLine(), Code.INCONSISTENT,
                    "model_budget_mb " + model.get().value() + " is above app_budget_mb " + app.get().value());
        }
        if (ext.isPresent() && app.isPresent() && ext.get().value() < app.get().value()) {
            problem(m.get().file(), m.get().entry("extended_budget_mb").get().keyLine(), Code.INCONSISTENT,
                    "extended_budget_mb " + ext.get().value() + " is below app_budget_mb " + app.get().value());
        }
        if (!problems.isEmpty()) {
            return MemoryBudget.unknown();
        }
        return new MemoryBudget(app, ext, cond, model, bw);
    }

    private StorageBudget storage(YNode.YMap root) {
        Optional<YNode.YMap> m = root.get("storage").flatMap(n -> asMap(n, "storage"));
        if (m.isEmpty()) {
            return StorageBudget.unknown();
        }
        keys(m.get(), STORAGE_KEYS, "storage");
        return new StorageBudget(longFact(m.get(), "download_budget_mb", false, 1, 1L << 30),
                longFact(m.get(), "install_limit_mb", false, 1, 1L << 30), string(m.get(), "notes", false));
    }

    private Cpu cpu(YNode.YMap root) {
        Optional<YNode.YMap> m = root.get("cpu").flatMap(n -> asMap(n, "cpu"));
        if (m.isEmpty()) {
            return new Cpu(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        keys(m.get(), CPU_KEYS, "cpu");
        Optional<Fact<List<String>>> features = fact(m.get(), "features", false, v -> {
            Optional<List<String>> list = stringItems(v, "cpu.features");
            list.ifPresent(l -> {
                for (String f : l) {
                    if (!FEATURE.matcher(f).matches()) {
                        invalid(v, "cpu feature '" + f + "' must be a lowercase token such as dotprod, i8mm, avx2");
                    }
                }
            });
            return list;
        });
        return new Cpu(longFact(m.get(), "cores", false, 1, 1024), string(m.get(), "layout", false),
                stringFact(m.get(), "isa", false), features);
    }

    private List<Accelerator> accelerators(YNode.YMap root) {
        Optional<YNode> node = root.get("accelerators");
        if (node.isEmpty()) {
            problem(root.file(), root.line(), Code.MISSING_FIELD,
                    "missing 'accelerators': list at least the CPU and the execution providers that reach it");
            return List.of();
        }
        if (!(node.get() instanceof YNode.YSeq)) {
            wrongType(node.get(), "accelerators", "a list");
            return List.of();
        }
        YNode.YSeq seq = (YNode.YSeq) node.get();
        if (seq.items().isEmpty()) {
            invalid(seq, "'accelerators' is empty; list at least the CPU");
        }
        List<Accelerator> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YNode item : seq.items()) {
            Optional<YNode.YMap> m = asMap(item, "accelerators[]");
            if (m.isEmpty()) {
                continue;
            }
            int before = problems.size();
            keys(m.get(), ACCELERATOR_KEYS, "accelerator");
            Optional<String> id = string(m.get(), "id", true);
            id.ifPresent(v -> {
                if (!v.matches("[a-z0-9][a-z0-9-]*")) {
                    invalid(m.get().get("id").get(), "accelerator id '" + v + "' must be lowercase letters, digits, '-'");
                } else if (!ids.add(v)) {
                    invalid(m.get().get("id").get(), "accelerator id '" + v + "' is used twice in this profile");
                }
            });
            Optional<String> name = string(m.get(), "name", true);
            Optional<Accelerator.Kind> kind = string(m.get(), "kind", true).flatMap(k -> {
                for (Accelerator.Kind c : Accelerator.Kind.values()) {
                    if (c.label().equals(k)) {
                        return Optional.of(c);
                    }
                }
                invalid(m.get().get("kind").get(), "kind '" + k + "' is not one of [cpu, gpu, npu, dsp]");
                return Optional.empty();
            });
            List<String> eps = stringList(m.get(), "execution_providers");
            if (m.get().get("execution_providers").isEmpty()) {
                problem(m.get().file(), m.get().line(), Code.MISSING_FIELD, "accelerator '" + id.orElse("?")
                        + "' needs execution_providers (an empty list [] if ONNX Runtime cannot reach it)");
            }
            for (String ep : eps) {
                if (!knownExecutionProviders.contains(ep)) {
                    problem(m.get().file(), m.get().get("execution_providers").get().line(),
                            Code.UNKNOWN_EXECUTION_PROVIDER, "execution provider '" + ep + "' is not one of "
                                    + new java.util.TreeSet<>(knownExecutionProviders));
                }
            }
            Optional<Fact<List<ComputeType>>> types = fact(m.get(), "compute_types", true, v -> {
                Optional<List<String>> list = stringItems(v, "compute_types");
                if (list.isEmpty()) {
                    return Optional.empty();
                }
                List<ComputeType> ct = new ArrayList<>();
                for (String s : list.get()) {
                    Optional<ComputeType> t = ComputeType.fromLabel(s);
                    if (t.isEmpty()) {
                        invalid(v, "compute type '" + s + "' is not one of "
                                + labels(ComputeType.values(), ComputeType::label));
                    } else {
                        ct.add(t.get());
                    }
                }
                return Optional.of(ct);
            });
            Optional<Fact<Throughput>> peak = peak(m.get());
            Map<String, String> attributes = new LinkedHashMap<>();
            m.get().get("attributes").flatMap(n -> asMap(n, "attributes")).ifPresent(am -> {
                for (YNode.Entry e : am.entries()) {
                    if (!ATTRIBUTE_KEY.matcher(e.key()).matches()) {
                        problem(am.file(), e.keyLine(), Code.INVALID_VALUE,
                                "attribute key '" + e.key() + "' must be a lowercase token");
                    }
                    scalarText(e.value(), "attributes." + e.key()).ifPresent(t -> attributes.put(e.key(), t));
                }
            });
            Optional<String> notes = string(m.get(), "notes", false);
            if (problems.size() == before) {
                out.add(new Accelerator(id.get(), name.get(), kind.get(), eps, types.get(), peak, attributes, notes));
            }
        }
        return out;
    }

    private Optional<Fact<Throughput>> peak(YNode.YMap accelerator) {
        Optional<YNode> node = accelerator.get("peak");
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Optional<YNode.YMap> m = asMap(node.get(), "peak");
        if (m.isEmpty()) {
            return Optional.empty();
        }
        keys(m.get(), PEAK_KEYS, "peak");
        Optional<Double> value = m.get().get("value").flatMap(v -> number(v, "peak.value"));
        if (m.get().get("value").isEmpty()) {
            problem(m.get().file(), m.get().line(), Code.MISSING_FIELD, "peak needs a value");
        }
        value.ifPresent(v -> {
            if (!(v > 0)) {
                invalid(m.get().get("value").get(), "peak value must be positive, found " + v);
            }
        });
        Optional<Throughput.Unit> unit = string(m.get(), "unit", true).flatMap(u -> {
            try {
                return Optional.of(Throughput.Unit.valueOf(u));
            } catch (IllegalArgumentException e) {
                invalid(m.get().get("unit").get(), "unit '" + u + "' is not TOPS or TFLOPS");
                return Optional.empty();
            }
        });
        String precision = string(m.get(), "precision", false).orElse("unstated");
        Optional<Provenance> prov = provenance(m.get());
        if (value.isEmpty() || unit.isEmpty() || prov.isEmpty() || !(value.get() > 0)) {
            return Optional.empty();
        }
        return Optional.of(prov.get().fact(new Throughput(value.get(), unit.get(), precision)));
    }

    private Optional<OperatingSystem> os(YNode.YMap root) {
        Optional<YNode> node = root.get("os");
        if (node.isEmpty()) {
            problem(root.file(), root.line(), Code.MISSING_FIELD, "missing 'os' (platform, version)");
            return Optional.empty();
        }
        Optional<YNode.YMap> m = asMap(node.get(), "os");
        if (m.isEmpty()) {
            return Optional.empty();
        }
        keys(m.get(), OS_KEYS, "os");
        Optional<String> platform = string(m.get(), "platform", true);
        platform.ifPresent(p -> {
            if (!OperatingSystem.PLATFORMS.contains(p)) {
                invalid(m.get().get("platform").get(), "platform '" + p + "' is not one of " + OperatingSystem.PLATFORMS);
            }
        });
        Optional<Fact<String>> version = stringFact(m.get(), "version", false);
        List<String> req = stringList(m.get(), "requirements");
        if (platform.isEmpty() || !OperatingSystem.PLATFORMS.contains(platform.get())) {
            return Optional.empty();
        }
        return Optional.of(new OperatingSystem(platform.get(), version, req));
    }

    private Map<PlatformLimit, Fact<Long>> limits(YNode.YMap root) {
        Map<PlatformLimit, Fact<Long>> out = new EnumMap<>(PlatformLimit.class);
        Optional<YNode.YMap> m = root.get("limits").flatMap(n -> asMap(n, "limits"));
        if (m.isEmpty()) {
            return out;
        }
        for (YNode.Entry e : m.get().entries()) {
            Optional<PlatformLimit> limit = PlatformLimit.fromLabel(e.key());
            if (limit.isEmpty()) {
                problem(m.get().file(), e.keyLine(), Code.UNKNOWN_FIELD, "unknown limit '" + e.key() + "'; known: "
                        + labels(PlatformLimit.values(), PlatformLimit::label));
                continue;
            }
            longFact(m.get(), e.key(), true, 1, Long.MAX_VALUE).ifPresent(f -> out.put(limit.get(), f));
        }
        return out;
    }

    /** {@code dims}: symbolic dimension name to a whole number >= 0 (a choice, not a fact). */
    private Map<String, Long> dims(YNode.YMap root) {
        Map<String, Long> out = new LinkedHashMap<>();
        Optional<YNode.YMap> m = root.get("dims").flatMap(n -> asMap(n, "dims"));
        if (m.isEmpty()) {
            return out;
        }
        for (YNode.Entry e : m.get().entries()) {
            YNode v = e.value();
            if (!(v instanceof YNode.YScalar) || ((YNode.YScalar) v).type() != YNode.YScalar.Type.INT) {
                wrongType(v, "dims." + e.key(), "a whole number");
                continue;
            }
            try {
                long n = Long.parseLong(((YNode.YScalar) v).text().replace("_", ""));
                if (n < 0) {
                    invalid(v, "dims." + e.key() + " must be 0 or more, found " + n);
                } else {
                    out.put(e.key(), n);
                }
            } catch (NumberFormatException ex) {
                invalid(v, "dims." + e.key() + " '" + ((YNode.YScalar) v).text() + "' is not a decimal whole number");
            }
        }
        return out;
    }

    // ---- facts ---------------------------------------------------------------------------------

    /** The provenance half of a fact mapping: evidence, sources, basis, note. */
    private record Provenance(Evidence evidence, List<Source> sources, Optional<String> basis, Optional<String> note) {
        <T> Fact<T> fact(T value) {
            return new Fact<>(value, evidence, sources, basis, note);
        }
    }

    private Optional<Provenance> provenance(YNode.YMap m) {
        int before = problems.size();
        Optional<Evidence> evidence = string(m, "evidence", true).flatMap(e -> {
            Optional<Evidence> ev = Evidence.fromLabel(e);
            if (ev.isEmpty()) {
                invalid(m.get("evidence").get(), "evidence '" + e + "' is not one of "
                        + labels(Evidence.values(), Evidence::label));
            }
            return ev;
        });
        List<Source> refs = new ArrayList<>();
        Optional<YNode> srcNode = m.get("sources");
        int beforeSources = problems.size();
        for (String key : stringList(m, "sources")) {
            Source s = sources.get(key);
            if (s == null) {
                problem(m.file(), srcNode.get().line(), Code.UNKNOWN_SOURCE, "source '" + key
                        + "' is not defined in the profile's 'sources' map");
            } else {
                refs.add(s);
            }
        }
        Optional<String> basis = string(m, "basis", false);
        Optional<String> note = string(m, "note", false);
        if (evidence.isPresent()) {
            if (evidence.get().needsSource() && refs.isEmpty() && problems.size() == beforeSources) {
                problem(m.file(), m.line(), Code.MISSING_SOURCE, evidence.get().label()
                        + " fact needs 'sources' naming where it comes from");
            }
            if (evidence.get().needsBasis() && basis.map(String::isBlank).orElse(true)) {
                problem(m.file(), m.line(), Code.MISSING_BASIS, evidence.get().label()
                        + " fact needs a 'basis' saying how it was reasoned or computed");
            }
        }
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new Provenance(evidence.get(), refs, basis, note));
    }

    /** A fact mapping under {@code key}; {@code valueParser} turns the 'value' node into T. */
    private <T> Optional<Fact<T>> fact(YNode.YMap parent, String key, boolean required,
            Function<YNode, Optional<T>> valueParser) {
        Optional<YNode> node = parent.get(key);
        if (node.isEmpty()) {
            if (required) {
                problem(parent.file(), parent.line(), Code.MISSING_FIELD, "missing '" + key + "'");
            }
            return Optional.empty();
        }
        if (!(node.get() instanceof YNode.YMap)) {
            problem(node.get().file(), node.get().line(), Code.WRONG_TYPE, "'" + key
                    + "' must be a fact mapping {value: ..., evidence: ..., sources: [...]}, found "
                    + node.get().describe());
            return Optional.empty();
        }
        YNode.YMap m = (YNode.YMap) node.get();
        keys(m, FACT_KEYS, key);
        Optional<YNode> valueNode = m.get("value");
        Optional<T> value = Optional.empty();
        if (valueNode.isEmpty()) {
            problem(m.file(), m.line(), Code.MISSING_FIELD, "fact '" + key + "' needs a value");
        } else {
            value = valueParser.apply(valueNode.get());
        }
        Optional<Provenance> prov = provenance(m);
        if (value.isEmpty() || prov.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(prov.get().fact(value.get()));
    }

    private Optional<Fact<Long>> longFact(YNode.YMap parent, String key, boolean required, long min, long max) {
        return fact(parent, key, required, v -> {
            if (!(v instanceof YNode.YScalar) || ((YNode.YScalar) v).type() != YNode.YScalar.Type.INT) {
                wrongType(v, key + ".value", "a whole number");
                return Optional.empty();
            }
            long n;
            try {
                n = Long.parseLong(((YNode.YScalar) v).text().replace("_", ""));
            } catch (NumberFormatException e) {
                invalid(v, key + " value '" + ((YNode.YScalar) v).text() + "' is not a decimal whole number");
                return Optional.empty();
            }
            if (n < min || n > max) {
                invalid(v, key + " must be between " + min + " and " + max + ", found " + n);
                return Optional.empty();
            }
            return Optional.of(n);
        });
    }

    private Optional<Fact<Double>> doubleFact(YNode.YMap parent, String key, boolean required) {
        return fact(parent, key, required, v -> number(v, key + ".value").flatMap(d -> {
            if (!(d > 0) || d.isInfinite()) {
                invalid(v, key + " must be a positive number, found " + d);
                return Optional.empty();
            }
            return Optional.of(d);
        }));
    }

    private Optional<Fact<String>> stringFact(YNode.YMap parent, String key, boolean required) {
        return fact(parent, key, required, v -> scalarText(v, key + ".value"));
    }

    // ---- plain values --------------------------------------------------------------------------

    private Optional<Double> number(YNode v, String what) {
        if (v instanceof YNode.YScalar) {
            YNode.YScalar s = (YNode.YScalar) v;
            if (s.type() == YNode.YScalar.Type.INT || s.type() == YNode.YScalar.Type.FLOAT) {
                try {
                    return Optional.of(Double.parseDouble(s.text().replace("_", "")));
                } catch (NumberFormatException e) {
                    invalid(v, what + " '" + s.text() + "' is not a decimal number");
                    return Optional.empty();
                }
            }
        }
        wrongType(v, what, "a number");
        return Optional.empty();
    }

    private Optional<String> string(YNode.YMap m, String key, boolean required) {
        Optional<YNode> node = m.get(key);
        if (node.isEmpty()) {
            if (required) {
                problem(m.file(), m.line(), Code.MISSING_FIELD, "missing '" + key + "'");
            }
            return Optional.empty();
        }
        return scalarText(node.get(), key);
    }

    /** Any non-null scalar as written (so {@code version: 14} and {@code platform: no} stay text). */
    private Optional<String> scalarText(YNode v, String what) {
        if (v instanceof YNode.YScalar && ((YNode.YScalar) v).type() != YNode.YScalar.Type.NULL) {
            return Optional.of(((YNode.YScalar) v).text());
        }
        wrongType(v, what, "a string");
        return Optional.empty();
    }

    private List<String> stringList(YNode.YMap m, String key) {
        return m.get(key).flatMap(n -> stringItems(n, key)).orElse(List.of());
    }

    private Optional<List<String>> stringItems(YNode n, String what) {
        if (!(n instanceof YNode.YSeq)) {
            wrongType(n, what, "a list");
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (YNode item : ((YNode.YSeq) n).items()) {
            scalarText(item, what + "[]").ifPresent(out::add);
        }
        return Optional.of(out);
    }

    private Optional<YNode.YMap> asMap(YNode n, String what) {
        if (n instanceof YNode.YMap) {
            return Optional.of((YNode.YMap) n);
        }
        wrongType(n, what, "a mapping");
        return Optional.empty();
    }

    private void keys(YNode.YMap m, Set<String> allowed, String where) {
        for (YNode.Entry e : m.entries()) {
            if (!allowed.contains(e.key())) {
                problem(m.file(), e.keyLine(), Code.UNKNOWN_FIELD, "unknown field '" + e.key() + "' in " + where
                        + "; expected one of " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private void wrongType(YNode n, String what, String expected) {
        problem(n.file(), n.line(), Code.WRONG_TYPE, "'" + what + "' must be " + expected + ", found " + n.describe());
    }

    private void invalid(YNode n, String message) {
        problem(n.file(), n.line(), Code.INVALID_VALUE, message);
    }

    private void problem(String file, int line, Code code, String message) {
        problems.add(new ProfileProblem(file, line, code, message));
    }

    private static <E> String labels(E[] values, Function<E, String> label) {
        List<String> out = new ArrayList<>();
        for (E v : values) {
            out.add(label.apply(v));
        }
        return out.toString();
    }
}
