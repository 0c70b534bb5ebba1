package dev.satchel.devices.check;

import dev.satchel.devices.Accelerator;
import dev.satchel.devices.ComputeType;
import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.PlatformLimit;
import dev.satchel.devices.Fact;
import dev.satchel.devices.check.internal.EpPlacer;
import dev.satchel.devices.check.internal.GraphView;
import dev.satchel.devices.check.internal.MemoryPlanner;
import dev.satchel.devices.ep.ExecutionProvider;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.devices.ep.OrtRelease;
import dev.satchel.model.DataType;
import dev.satchel.model.Dim;
import dev.satchel.model.ModelException;
import dev.satchel.model.ModelFacts;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.ShapeInference;
import dev.satchel.model.ShapeResult;
import dev.satchel.model.ValueInfo;
import dev.satchel.model.onnx.Onnx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Static compatibility check of one ONNX model against device profiles: memory plan against the
 * model budget, storage against download and install limits, platform per-object limits, opset and
 * IR version against the device's ONNX Runtime release, accelerator coverage per execution provider
 * (nodes, partitions, share of MACs, per-node fallback reasons), dtype fit, and a rough latency.
 * The method is described in docs/checker.md. Stateless apart from the immutable data it holds;
 * thread-safe.
 */
public final class CompatibilityChecker {
    /** Share of the model budget above which memory is a warning. */
    static final double NEAR_BUDGET = 0.8;
    /**
     * Assumed fraction of a vendor's peak TOPS reached on small real models (estimate: peak figures
     * are often sparse int8 and assume perfect utilisation; small graphs are dispatch-bound).
     */
    static final double ACCELERATOR_EFFICIENCY = 0.1;
    /** Assumed CPU clock when profiles give none (estimate). */
    static final double CPU_HZ = 2.0e9;
    static final double CPU_EFFICIENCY = 0.3;
    private static final Set<String> KNOWN_DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml", "com.microsoft",
            "com.microsoft.nchwc", "com.ms.internal.nhwc", "ai.onnx.training", "ai.onnx.preview.training");
    private static final Set<String> QUANTIZED_OPS = Set.of("DequantizeLinear", "QLinearConv", "QLinearMatMul",
            "MatMulInteger", "ConvInteger", "MatMulNBits", "DynamicQuantizeLinear", "QLinearAdd", "DynamicQuantizeMatMul",
            "MatMulIntegerToFloat");

    private final ExecutionProviderCatalogue eps;

    public CompatibilityChecker(ExecutionProviderCatalogue eps) {
        this.eps = eps;
    }

    /**
     * Checks the model against every device.
     *
     * @throws ModelException if shape inference cannot read the model (code as thrown by the model layer)
     */
    public CheckReport check(OnnxModel model, List<DeviceProfile> devices, CheckOptions options) throws ModelException {
        ModelFacts facts = model.facts();
        Map<String, Long> reportDims = effectiveDims(facts, Map.of(), options);
        Map<Map<String, Long>, Analysis> analyses = new LinkedHashMap<>();
        List<DeviceReport> reports = new ArrayList<>();
        for (DeviceProfile d : devices) {
            // Profile defaults first, the caller's --dim bindings over them, then --context.
            Map<String, Long> dims = effectiveDims(facts, d.dims(), options);
            Analysis a = analyses.get(dims);
            if (a == null) {
                a = analyze(model, facts, dims);
                analyses.put(dims, a);
            }
            reports.add(checkDevice(a, d));
        }
        Analysis first = analyses.isEmpty() ? analyze(model, facts, reportDims) : analyses.values().iterator().next();
        Map<String, Long> opsets = new TreeMap<>(facts.opsets());
        return new CheckReport(model.file() == null ? "<memory>" : model.file().getFileName().toString(),
                facts.fileBytes() + facts.externalDataBytes(), opsets, facts.irVersion(), reportDims, first.totalMacs(),
                first.graph().nodeCount(), reports);
    }

    private static Map<String, Long> effectiveDims(ModelFacts facts, Map<String, Long> profileDims, CheckOptions options) {
        Map<String, Long> dims = new TreeMap<>(profileDims);
        dims.putAll(options.dims());
        if (options.context().isPresent()) {
            bindContext(facts, dims, options.context().getAsLong());
        }
        return dims;
    }

    private static Analysis analyze(OnnxModel model, ModelFacts facts, Map<String, Long> dims) throws ModelException {
        ShapeResult shapes = ShapeInference.infer(model, dims);
        GraphView g = new GraphView(model.proto(), shapes);
        MemoryEstimate memory = MemoryPlanner.plan(g, facts.parameterBytes(), facts.subgraphCount(),
                initializerBytes(model.proto().getGraph()));
        long totalMacs = 0;
        for (int i = 0; i < g.nodeCount(); i++) {
            totalMacs += Math.max(0, g.macs(i));
        }
        return new Analysis(model, facts, g, memory, totalMacs, isQuantized(facts), Map.copyOf(dims),
                new java.util.HashMap<>(), new java.util.HashMap<>());
    }

    /**
     * Placements are shared by devices with the same dims, EP table, accelerator and ORT version;
     * so are the findings and texts derived from the model alone (memo), since most of the built-in
     * devices share an ONNX Runtime version and execution providers. Used by one thread.
     */
    private record Analysis(OnnxModel model, ModelFacts facts, GraphView graph, MemoryEstimate memory, long totalMacs,
            boolean quantized, Map<String, Long> dims, Map<String, EpCoverage> placements, Map<String, Object> memo) {
        @SuppressWarnings("unchecked")
        <T> T memo(String key, java.util.function.Supplier<T> compute) {
            Object v = memo.get(key);
            if (v == null) {
                v = compute.get();
                memo.put(key, v);
            }
            return (T) v;
        }
    }

    /** Binds the sequence axis (axis 2) of past_key_values inputs to the context length. */
    private static void bindContext(ModelFacts facts, Map<String, Long> dims, long context) {
        for (ValueInfo in : facts.inputs()) {
            if (!MemoryPlanner.isKvName(in.name()) || in.type() == null || !in.type().hasRank()
                    || in.type().rank() != 4) {
                continue;
            }
            Dim seq = in.type().shape().get(2);
            if (seq.isSymbolic()) {
                dims.putIfAbsent(seq.symbol(), context);
            }
        }
    }

    private static boolean isQuantized(ModelFacts facts) {
        return facts.opTypes().keySet().stream().map(k -> k.contains(":") ? k.substring(k.indexOf(':') + 1) : k)
                .anyMatch(QUANTIZED_OPS::contains);
    }

    private static Map<String, Long> initializerBytes(Onnx.GraphProto g) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            long n = 1;
            for (long d : t.getDimsList()) {
                n = Math.multiplyExact(n, d);
            }
            try {
                out.put(t.getName(), DataType.ofCode(t.getDataType()).storageBytes(n));
            } catch (RuntimeException e) {
                // unknown element type: leave it out of the contributor list; it is in parameterBytes
            }
        }
        return out;
    }

    private DeviceReport checkDevice(Analysis a, DeviceProfile d) {
        Map<String, EpCoverage> placements = a.placements();
        List<Finding> findings = new ArrayList<>();
        runtime(a, d, findings);
        Optional<Long> budget = memory(a, d, findings);
        storage(a, d, findings);
        limits(a, d, findings);
        List<EpCoverage> coverage = coverage(a, d, findings, placements);
        cpuDtypes(a, d, findings);
        Optional<LatencyEstimate> latency = latency(a, d, coverage);
        latency.ifPresent(l -> findings.add(new Finding(FindingCode.LATENCY_ESTIMATE, Severity.INFO,
                String.format(Locale.ROOT, "about %s per inference (estimate: %s)", ms(l.milliseconds()), l.basis()),
                List.of(), Optional.empty())));
        findings.sort(Comparator.comparing(Finding::severity).reversed());
        return new DeviceReport(d.id(), d.name(), d.onnxRuntime().value(), a.dims(), Verdict.of(findings), findings,
                a.memory(),
                budget, a.facts().fileBytes() + a.facts().externalDataBytes(), coverage,
                preferred(coverage).map(EpCoverage::executionProvider), latency);
    }

    // ---- runtime: opset, IR, domains ----------------------------------------------------------

    private void runtime(Analysis a, DeviceProfile d, List<Finding> out) {
        // Depends on the model and the ORT version only.
        out.addAll(a.<List<Finding>>memo("runtime|" + d.onnxRuntime().value(), () -> {
            List<Finding> found = new ArrayList<>();
            runtime(a, d.onnxRuntime().value(), found);
            return List.copyOf(found);
        }));
    }

    private void runtime(Analysis a, String ort, List<Finding> out) {
        Optional<OrtRelease> release = eps.release(ort);
        long opset = a.facts().opsets().getOrDefault("", a.facts().opsets().getOrDefault("ai.onnx", -1L));
        if (opset >= 0 && opset < 7) {
            out.add(new Finding(FindingCode.OPSET_TOO_OLD, Severity.FAIL, "model uses ai.onnx opset " + opset
                    + "; ONNX Runtime loads opset 7 and later", List.of(),
                    Optional.of("convert the model to a newer opset (onnx.version_converter)")));
        }
        Set<String> domains = new LinkedHashSet<>();
        for (int i = 0; i < a.graph().nodeCount(); i++) {
            String dom = a.graph().node(i).getDomain();
            if (!KNOWN_DOMAINS.contains(dom)) {
                domains.add(dom);
            }
        }
        for (String dom : domains) {
            out.add(new Finding(FindingCode.CUSTOM_OP_DOMAIN, Severity.FAIL, "operators in domain '" + dom
                    + "' are not part of ONNX Runtime; they need a custom-op library registered in the app",
                    List.of(), Optional.of("ship and register the custom-op library, or replace the custom ops")));
        }
        if (release.isEmpty()) {
            out.add(Finding.of(FindingCode.RUNTIME_VERSION_UNCERTAIN, Severity.WARN, "ONNX Runtime " + ort
                    + " is not in Satchel's release table (known: " + eps.releases().stream().map(OrtRelease::version)
                            .collect(Collectors.joining(", ")) + "); opset and IR limits were not checked"));
            return;
        }
        OrtRelease r = release.get();
        Severity sev = r.documented() ? Severity.FAIL : Severity.WARN;
        if (!r.documented()) {
            out.add(Finding.of(FindingCode.RUNTIME_VERSION_UNCERTAIN, Severity.INFO, "ONNX Runtime " + r.version()
                    + " limits are " + r.confidence() + ", not from the compatibility table (max opset "
                    + r.maxOpset() + r.maxOpsetNote().map(n -> ", '" + n + "'").orElse("") + ")"));
        }
        if (opset > r.maxOpset()) {
            out.add(new Finding(FindingCode.OPSET_TOO_NEW, sev, "model uses ai.onnx opset " + opset + "; ONNX Runtime "
                    + ort + " supports up to opset " + r.maxOpset() + " and refuses to load newer models", List.of(),
                    Optional.of("export with opset " + r.maxOpset() + " or lower, or ship a newer ONNX Runtime")));
        }
        Long ml = a.facts().opsets().get("ai.onnx.ml");
        if (ml != null && r.maxMlOpset().isPresent() && ml > r.maxMlOpset().get()) {
            out.add(new Finding(FindingCode.OPSET_TOO_NEW, sev, "model uses ai.onnx.ml opset " + ml + "; ONNX Runtime "
                    + ort + " supports up to " + r.maxMlOpset().get(), List.of(),
                    Optional.of("export with ai.onnx.ml opset " + r.maxMlOpset().get() + " or lower")));
        }
        if (r.maxIrVersion().isPresent() && a.facts().irVersion() > r.maxIrVersion().get()) {
            out.add(new Finding(FindingCode.IR_TOO_NEW, sev, "model has IR version " + a.facts().irVersion()
                    + "; ONNX Runtime " + ort + " reads IR up to " + r.maxIrVersion().get(), List.of(),
                    Optional.of("re-save the model with IR version " + r.maxIrVersion().get())));
        }
    }

    // ---- memory --------------------------------------------------------------------------------

    private Optional<Long> memory(Analysis a, DeviceProfile d, List<Finding> out) {
        MemoryEstimate m = a.memory();
        if (m.unknownValues() > 0) {
            out.add(new Finding(FindingCode.MEMORY_SHAPES_UNKNOWN, Severity.WARN, m.unknownValues()
                    + " intermediate values have unknown shapes and count as 0 bytes in the activation estimate",
                    List.of(), Optional.of("bind symbolic dimensions with --dim NAME=VALUE (see satchel inspect)")));
        }
        String total = a.memo("memory-total", () -> mib(m.totalBytes()));
        Optional<Fact<Long>> budget = d.memory().modelBudgetMb().or(() -> d.memory().appBudgetMb());
        if (budget.isEmpty()) {
            out.add(Finding.of(FindingCode.MEMORY_BUDGET_UNKNOWN, Severity.WARN, "profile " + d.id()
                    + " has no memory budget; estimated peak " + total + " was not judged"));
            return Optional.empty();
        }
        long limit = budget.get().value() << 20;
        List<String> nodes = m.peakAtNode().map(List::of).orElse(List.of());
        if (m.totalBytes() > limit) {
            out.add(new Finding(FindingCode.MEMORY_OVER_BUDGET, Severity.FAIL, "estimated peak " + total
                    + " exceeds the " + budgetLabel(d, budget.get(), limit) + ": " + memoryBreakdown(a) + "; biggest: "
                    + a.memo("memory-biggest", () -> m.topContributors().stream().limit(3)
                            .map(c -> c.name() + " " + mib(c.bytes()) + " (" + c.kind() + ")")
                            .collect(Collectors.joining(", "))), nodes,
                    Optional.of(a.quantized() ? "choose a smaller model or a device with more memory"
                            : "quantize the weights (satchel quantize --mode int8-static shrinks fp32 weights about 4x)"
                                    + ", or lower --dim sizes / --context")));
        } else if (m.totalBytes() > NEAR_BUDGET * limit) {
            out.add(new Finding(FindingCode.MEMORY_NEAR_BUDGET, Severity.WARN, "estimated peak " + total
                    + " is over " + Math.round(NEAR_BUDGET * 100) + "% of the " + budgetLabel(d, budget.get(), limit)
                    + ": " + memoryBreakdown(a), nodes,
                    Optional.of("leave headroom: quantize, or measure on the device")));
        }
        Fact<Long> wasm = d.limits().get(PlatformLimit.WASM_MAX_MEMORY_BYTES);
        if (wasm != null && m.totalBytes() > wasm.value()) {
            out.add(new Finding(FindingCode.MEMORY_OVER_PLATFORM_LIMIT, Severity.FAIL, "estimated peak "
                    + total + " exceeds WebAssembly's " + mib(wasm.value()) + " linear-memory ceiling",
                    List.of(), Optional.of("quantize or split the model")));
        }
        return Optional.of(limit);
    }

    private static String budgetLabel(DeviceProfile d, Fact<Long> budget, long limit) {
        return (d.memory().modelBudgetMb().isPresent() ? "model budget " : "app budget ")
                + mib(limit) + (budget.isEstimate() ? " (estimate)" : " (" + budget.evidence().label() + ")");
    }

    private static String memoryBreakdown(Analysis a) {
        MemoryEstimate m = a.memory();
        return a.memo("memory-breakdown", () -> "weights " + mib(m.weightsBytes()) + " x"
                + MemoryPlanner.WEIGHTS_FACTOR + " while loading"
                + " + activations " + mib(m.activationPeakBytes())
                + (m.kvCacheBytes() > 0 ? " (KV cache " + mib(m.kvCacheBytes()) + ")" : "")
                + " x" + MemoryPlanner.ARENA_FACTOR + " arena + runtime " + mib(m.runtimeOverheadBytes()));
    }

    // ---- storage and per-object limits ---------------------------------------------------------

    private void storage(Analysis a, DeviceProfile d, List<Finding> out) {
        long bytes = a.facts().fileBytes() + a.facts().externalDataBytes();
        d.storage().installLimitMb().ifPresent(f -> {
            if (bytes > (f.value() << 20)) {
                out.add(new Finding(FindingCode.STORAGE_OVER_INSTALL_LIMIT, Severity.FAIL, "model is " + mib(bytes)
                        + "; the install limit is " + mib(f.value() << 20) + f.note().map(n -> " (" + n + ")").orElse(""),
                        List.of(), Optional.of("download the model after install, or quantize it")));
            }
        });
        d.storage().downloadBudgetMb().ifPresent(f -> {
            if (bytes > (f.value() << 20)) {
                out.add(new Finding(FindingCode.STORAGE_OVER_DOWNLOAD_BUDGET, Severity.WARN, "model is " + mib(bytes)
                        + "; the download budget is " + mib(f.value() << 20) + f.note().map(n -> " (" + n + ")").orElse(""),
                        List.of(), Optional.of(d.storage().notes().orElse("quantize, or split the download"))));
            }
        });
    }

    private void limits(Analysis a, DeviceProfile d, List<Finding> out) {
        MemoryEstimate m = a.memory();
        for (PlatformLimit l : List.of(PlatformLimit.GPU_MAX_BUFFER_BYTES, PlatformLimit.GPU_MAX_STORAGE_BINDING_BYTES)) {
            Fact<Long> f = d.limits().get(l);
            if (f != null && m.largestTensorBytes() > f.value()) {
                out.add(new Finding(FindingCode.TENSOR_OVER_PLATFORM_LIMIT, Severity.WARN, "largest tensor '"
                        + m.largestTensor() + "' is " + mib(m.largestTensorBytes()) + "; " + l.label() + " is "
                        + mib(f.value()) + f.note().map(n -> " (" + n + ")").orElse(""), List.of(m.largestTensor()),
                        Optional.of("request higher limits with requiredLimits where the adapter allows, or split the tensor")));
            }
        }
        Fact<Long> file = d.limits().get(PlatformLimit.MODEL_FILE_MAX_BYTES);
        if (file != null && a.facts().fileBytes() > file.value()) {
            out.add(new Finding(FindingCode.TENSOR_OVER_PLATFORM_LIMIT, Severity.FAIL, "the .onnx file is "
                    + mib(a.facts().fileBytes()) + "; the limit is " + mib(file.value()), List.of(),
                    Optional.of("store weights as external data")));
        }
    }

    // ---- accelerators --------------------------------------------------------------------------

    private List<EpCoverage> coverage(Analysis a, DeviceProfile d, List<Finding> out,
            Map<String, EpCoverage> placements) {
        List<EpCoverage> all = new ArrayList<>();
        // One evaluation per provider: several accelerators can sit behind one EP (CoreML reaches
        // both the Neural Engine and the GPU), and the EP, not the unit, decides what it takes.
        Map<String, List<Accelerator>> byProvider = new LinkedHashMap<>();
        for (Accelerator acc : d.accelerators()) {
            if (acc.kind() == Accelerator.Kind.CPU) {
                continue;
            }
            if (!acc.reachableFromOnnxRuntime()) {
                if (!a.quantized() && !acc.computeTypes().value().isEmpty()
                        && acc.computeTypes().value().stream().allMatch(ComputeType::isInteger)) {
                    out.add(Finding.of(FindingCode.DTYPE_NEEDS_QUANTIZATION, Severity.INFO, acc.name()
                            + " is not reachable from ONNX Runtime and computes only "
                            + acc.computeTypes().value().stream().map(ComputeType::label).collect(Collectors.joining("/"))
                            + "; this float model would need full-integer quantization and a vendor compiler"));
                }
                continue;
            }
            for (String provider : acc.executionProviders()) {
                byProvider.computeIfAbsent(provider, k -> new ArrayList<>()).add(acc);
            }
            if (!a.quantized() && a.facts().parametersByType().containsKey(DataType.FLOAT.displayName())
                    && acc.computeTypes().value().equals(List.of(ComputeType.FP16))) {
                out.add(Finding.of(FindingCode.DTYPE_PRECISION_CHANGE, Severity.INFO, acc.name()
                        + " computes in fp16 only: the parts of this fp32 model placed on it run at fp16 precision"
                        + " (expect small numeric differences; validate accuracy on the device)"));
            }
        }
        for (Map.Entry<String, List<Accelerator>> e : byProvider.entrySet()) {
            String units = e.getValue().stream().map(Accelerator::name).collect(Collectors.joining(" / "));
            EpCoverage best = null;
            ExecutionProvider bestEp = null;
            String bestKey = null;
            for (ExecutionProvider ep : eps.forProvider(e.getKey())) {
                if (ep.coverage() == ExecutionProvider.Coverage.NOT_EXTRACTED) {
                    out.add(Finding.of(FindingCode.ACCELERATOR_COVERAGE_UNKNOWN, Severity.INFO, units + " via "
                            + ep.id() + ": Satchel has no operator table for this execution provider; coverage unknown"));
                    continue;
                }
                if (ep.coverage() == ExecutionProvider.Coverage.ALL_STANDARD) {
                    continue;
                }
                // Placement depends only on the model, the EP table, the accelerator and the ORT
                // version, so devices sharing them share one evaluation.
                String acc = e.getValue().get(0).id();
                String key = ep.id() + "|" + acc + "|" + d.onnxRuntime().value();
                EpCoverage c = placements.computeIfAbsent(key,
                        k -> EpPlacer.place(a.graph(), ep, acc, d.onnxRuntime().value()));
                all.add(c);
                if (best == null || c.macsTaken() > best.macsTaken()
                        || (c.macsTaken() == best.macsTaken() && c.nodesTaken() > best.nodesTaken())) {
                    best = c;
                    bestEp = ep;
                    bestKey = key;
                }
            }
            if (best != null) {
                bestEp.rules().deprecated().ifPresent(why -> out.add(Finding.of(FindingCode.ACCELERATOR_DEPRECATED,
                        Severity.INFO, e.getKey() + " is not one to rely on: " + why)));
                EpCoverage chosen = best;
                ExecutionProvider chosenEp = bestEp;
                // The same placement seen through the same units gives the same findings.
                out.addAll(a.<List<Finding>>memo("accelerator|" + bestKey + "|" + units, () -> {
                    List<Finding> found = new ArrayList<>();
                    accelerationFindings(a, units, chosen, chosenEp, found);
                    List<Finding> shown = new ArrayList<>();
                    for (Finding f : found) {
                        // A deprecated or off-by-default EP's shortcomings are context, not a warning.
                        shown.add(chosenEp.rules().deprecated().isPresent() && f.severity() == Severity.WARN
                                ? new Finding(f.code(), Severity.INFO, f.message(), f.nodes(), f.fix()) : f);
                    }
                    return List.copyOf(shown);
                }));
            }
        }
        return all;
    }

    /** The coverage the app would most likely use: most MACs, preferring EPs that are not deprecated. */
    Optional<EpCoverage> preferred(List<EpCoverage> coverage) {
        Comparator<EpCoverage> byWork = Comparator.comparingLong(EpCoverage::macsTaken)
                .thenComparingInt(EpCoverage::nodesTaken);
        Optional<EpCoverage> current = coverage.stream()
                .filter(c -> eps.byId(c.executionProvider()).map(ep -> ep.rules().deprecated().isEmpty()).orElse(true))
                .max(byWork);
        return current.isPresent() ? current : coverage.stream().max(byWork);
    }

    private void accelerationFindings(Analysis a, String units, EpCoverage c, ExecutionProvider ep, List<Finding> out) {
        double share = c.macShare().orElse(c.nodesTotal() == 0 ? 0 : (double) c.nodesTaken() / c.nodesTotal());
        String basis = c.macsTotal() > 0 ? "MACs" : "nodes";
        // Reasons weighted by MACs (nodes when the model has no countable MACs).
        Map<String, long[]> byReason = new LinkedHashMap<>();
        for (EpCoverage.NodeFallback f : c.fallbacks()) {
            long[] v = byReason.computeIfAbsent(f.reason(), k -> new long[2]);
            v[0] += f.macs();
            v[1]++;
        }
        Optional<Map.Entry<String, long[]>> top = byReason.entrySet().stream()
                .max(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0])
                        .thenComparingLong(e -> e.getValue()[1]));
        String head = ep.id() + " (" + units + ")";
        List<EpCoverage.NodeFallback> heavy = c.fallbacks().stream().filter(f -> f.macs() > 0)
                .sorted(Comparator.comparingLong(EpCoverage.NodeFallback::macs).reversed()).toList();
        String why = top.map(e -> describeReason(c, e.getKey())).orElse("");
        List<String> nodes = heavy.stream().limit(10).map(EpCoverage.NodeFallback::node).toList();
        Optional<String> fix = top.map(e -> fixFor(e.getKey(), ep.id()));
        String pct = String.format(Locale.ROOT, "%.0f%%", share * 100);
        if (c.nodesTaken() == 0 || (c.macsTotal() > 0 && c.macsTaken() == 0)) {
            out.add(new Finding(FindingCode.ACCELERATOR_UNUSED, Severity.WARN, head + " takes 0% of " + basis + " ("
                    + c.nodesTaken() + " of " + c.nodesTotal() + " nodes, none with MACs); the compute falls back to"
                    + " the CPU. " + why, nodes, fix));
        } else if (share < 0.9) {
            out.add(new Finding(FindingCode.ACCELERATOR_PARTIAL, Severity.WARN, head + " takes " + pct + " of " + basis
                    + " (" + c.nodesTaken() + " of " + c.nodesTotal() + " nodes, " + c.partitions() + " partitions); the"
                    + " rest falls back to the CPU. " + why, nodes, fix));
        } else {
            out.add(Finding.of(FindingCode.ACCELERATOR_PARTIAL, Severity.INFO, head + " takes " + pct + " of " + basis
                    + " (" + c.nodesTaken() + " of " + c.nodesTotal() + " nodes, " + c.partitions() + " partitions)"));
        }
        if (ep.rules().deviceCopyAtBoundaries() && c.partitions() > 3) {
            out.add(new Finding(FindingCode.ACCELERATOR_FRAGMENTED, Severity.WARN, head + " would run " + c.partitions()
                    + " separate partitions; every boundary copies tensors between CPU and accelerator memory",
                    List.of(), Optional.of("make the unsupported nodes supported (see fallbacks) or run on the CPU")));
        }
        long quantNodes = c.fallbacks().stream().filter(f -> f.reason().equals(EpPlacer.NEEDS_QUANTIZATION)).count();
        if (quantNodes > 0) {
            out.add(new Finding(FindingCode.DTYPE_NEEDS_QUANTIZATION, Severity.WARN, head + " computes "
                    + String.join("/", ep.dtypeRules().quantizedTypes()) + "; " + quantNodes
                    + " nodes have float inputs that are not QDQ-quantized", List.of(),
                    Optional.of("quantize to QDQ: satchel quantize --mode int8-static")));
        }
        if (!c.caveats().isEmpty()) {
            out.add(Finding.of(FindingCode.CAVEATS_UNEVALUATED, Severity.INFO, head + " takes nodes under conditions"
                    + " Satchel cannot decide statically: " + String.join("; ", c.caveats().subList(0,
                            Math.min(5, c.caveats().size()))) + (c.caveats().size() > 5 ? "; ..." : "")));
        }
    }

    private static String describeReason(EpCoverage c, String reason) {
        List<EpCoverage.NodeFallback> fs = c.fallbacks().stream().filter(f -> f.reason().equals(reason)).toList();
        Map<String, long[]> ops = new TreeMap<>();
        for (EpCoverage.NodeFallback f : fs) {
            long[] v = ops.computeIfAbsent(f.opType(), k -> new long[2]);
            v[0] += f.macs();
            v[1]++;
        }
        long macs = fs.stream().mapToLong(EpCoverage.NodeFallback::macs).sum();
        String share = c.macsTotal() > 0 ? String.format(Locale.ROOT, " (%.0f%% of MACs)", 100.0 * macs / c.macsTotal()) : "";
        String opList = ops.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0])
                        .thenComparingLong(e -> e.getValue()[1]).reversed())
                .limit(4).map(e -> e.getValue()[1] + " " + e.getKey()).collect(Collectors.joining(", "));
        EpCoverage.NodeFallback example = fs.stream().max(Comparator.comparingLong(EpCoverage.NodeFallback::macs)).get();
        return "Main reason" + share + ": " + reason + " in " + opList + "; e.g. " + example.node() + ": "
                + example.detail() + ".";
    }

    private static String fixFor(String reason, String epId) {
        switch (reason) {
            case EpPlacer.NEEDS_QUANTIZATION:
                return "quantize to QDQ (satchel quantize --mode int8-static)";
            case EpPlacer.QUANTIZED_DTYPE:
                // QNN's HTP runs MatMul on (uint8, uint8)-type pairs: int8 weights need re-quantizing.
                return epId.startsWith("qnn")
                        ? "re-quantize with uint8 weights (satchel quantize --mode int8-static, without --signed-weights): QNN takes uint8/uint16 activations and weights"
                        : "re-quantize with the types this EP takes";
            case EpPlacer.DYNAMIC_SHAPE:
                return "fix the input shapes (export with static dims, or bind them with --dim and make them static)";
            case EpPlacer.OPSET_NOT_REGISTERED:
                return "export with an opset the execution provider registers, or ship a newer ONNX Runtime";
            case EpPlacer.RUNTIME_TOO_OLD:
                return "ship a newer ONNX Runtime";
            case EpPlacer.DTYPE_NOT_SUPPORTED:
                return "convert the model to a dtype the accelerator computes (e.g. fp32 or fp16)";
            default:
                return "choose another execution provider, or replace the unsupported operators";
        }
    }

    private void cpuDtypes(Analysis a, DeviceProfile d, List<Finding> out) {
        List<String> cpuEps = d.accelerators().stream().filter(x -> x.kind() == Accelerator.Kind.CPU)
                .flatMap(x -> x.executionProviders().stream()).toList();
        if (!cpuEps.contains("wasm") || cpuEps.contains("cpu")) {
            return;
        }
        ExecutionProvider wasm = eps.forProvider("wasm").get(0);
        Set<String> bad = new LinkedHashSet<>();
        a.facts().parametersByType().keySet().forEach(t -> {
            DataType dt = DataType.ofName(t);
            if (dt != null && dt.isFloatingPoint() && !wasm.dtypeRules().floatTypes().contains(t)) {
                bad.add(t);
            }
        });
        if (!bad.isEmpty()) {
            out.add(new Finding(FindingCode.DTYPE_UNSUPPORTED, Severity.WARN, "weights are " + String.join(", ", bad)
                    + "; the WebAssembly CPU path computes " + String.join("/", wasm.dtypeRules().floatTypes())
                    + " (fp16 is storage-only there)", List.of(), Optional.of("ship an fp32 or int8 model for this target")));
        }
    }

    // ---- latency ---------------------------------------------------------------------------------

    private Optional<LatencyEstimate> latency(Analysis a, DeviceProfile d, List<EpCoverage> coverage) {
        if (a.totalMacs() <= 0) {
            return Optional.empty();
        }
        EpCoverage best = preferred(coverage).orElse(null);
        long accMacs = 0;
        double accOps = 0;
        String accName = null;
        if (best != null && best.macsTaken() > 0) {
            Optional<Accelerator> acc = d.accelerator(best.accelerator());
            if (acc.isPresent() && acc.get().peak().isPresent()) {
                accMacs = best.macsTaken();
                accOps = acc.get().peak().get().value().opsPerSecond() * ACCELERATOR_EFFICIENCY;
                accName = acc.get().name() + " at " + Math.round(ACCELERATOR_EFFICIENCY * 100) + "% of "
                        + acc.get().peak().get().value().value() + " " + acc.get().peak().get().value().unit();
            }
        }
        long cpuMacs = a.totalMacs() - accMacs;
        long cores = d.cpu().cores().map(Fact::value).orElse(4L);
        boolean x86 = d.cpu().hasFeature("avx2");
        boolean wasm = d.cpu().hasFeature("wasm-simd128") && !d.cpu().hasFeature("neon") && !x86;
        double macsPerCycle = x86 ? 16 : wasm ? 4 : 8;
        boolean fastInt8 = a.quantized() && (d.cpu().hasFeature("dotprod") || d.cpu().hasFeature("i8mm")
                || d.cpu().hasFeature("avx-vnni"));
        if (fastInt8) {
            macsPerCycle *= 4;
        }
        double cpuMacsPerSecond = cores * CPU_HZ * macsPerCycle * CPU_EFFICIENCY;
        double seconds = cpuMacs / cpuMacsPerSecond + (accMacs > 0 ? 2.0 * accMacs / accOps : 0);
        StringBuilder basis = new StringBuilder(String.format(Locale.ROOT, "%.2f GMACs; CPU %d cores x %.1f GHz x %.0f"
                + " MACs/cycle x %.0f%%", a.totalMacs() / 1e9, cores, CPU_HZ / 1e9, macsPerCycle, CPU_EFFICIENCY * 100));
        if (accName != null) {
            basis.append(String.format(Locale.ROOT, "; %.0f%% of MACs on %s", 100.0 * accMacs / a.totalMacs(), accName));
        }
        Optional<Fact<Double>> bw = d.memory().bandwidthGbps();
        if (bw.isPresent()) {
            double streaming = a.memory().weightsBytes() / (bw.get().value() * 1e9);
            if (streaming > seconds) {
                seconds = streaming;
                basis.append("; bound by reading the weights once at ").append(bw.get().value()).append(" GB/s");
            }
        }
        return Optional.of(new LatencyEstimate(seconds * 1000, basis.toString()));
    }

    static String ms(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String mib(long bytes) {
        if (bytes < (1 << 20)) {
            return bytes < 1024 ? bytes + " B" : String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
        }
        double m = bytes / (double) (1 << 20);
        if (m >= 1024) {
            return String.format(Locale.ROOT, "%.2f GiB", m / 1024);
        }
        return String.format(Locale.ROOT, m >= 10 ? "%.0f MiB" : "%.1f MiB", m);
    }
}
