package dev.satchel.cli;

import dev.satchel.model.Dim;
import dev.satchel.model.ModelFacts;
import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.ShapeInference;
import dev.satchel.model.ShapeResult;
import dev.satchel.model.TensorType;
import dev.satchel.model.ValueInfo;
import dev.satchel.verifier.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code satchel inspect}: what a model is, without running it. */
@Command(name = "inspect",
        description = {
            "Summarise an ONNX model: versions, inputs and outputs, operators, parameters.",
            "Reads the graph through a memory map; weights are never loaded into memory.",
            "With --dim, binds symbolic dimensions and shows the inferred output shapes."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel inspect model.onnx",
            "  satchel inspect model.onnx --format json --dim batch=1 --dim seq=128",
            "  satchel inspect example:minilm    (a pinned real model, fetched once)",
        })
final class InspectCommand implements Callable<Integer> {
    static final String SCHEMA = "satchel.inspect/v1";

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Path to an .onnx file, or example:ID (${sys:satchel.examples}).")
    String model;

    @Mixin
    FormatOption format;

    @Mixin
    DimOptions dims;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Long> bindings = dims.bindings();
        Path path = ModelPaths.resolve(model);
        OnnxModel m = ModelReader.read(path);
        ModelFacts f = m.facts();
        ShapeResult shapes = bindings.isEmpty() ? null : ShapeInference.infer(m, bindings);
        PrintWriter out = spec.commandLine().getOut();
        if (format.format() == OutputFormat.json) {
            out.println(Json.writePretty(toJson(path, f, bindings, shapes)));
        } else {
            printText(out, path, f, bindings, shapes);
        }
        out.flush();
        return ExitCode.OK.code();
    }

    /**
     * The JSON document (docs/inspect-json.md). Written with the verifier's small JSON writer
     * rather than Jackson: inspect is run often and Jackson's start-up cost is most of a run.
     */
    static Map<String, Object> toJson(Path path, ModelFacts f, Map<String, Long> bindings, ShapeResult shapes) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("file", path.getFileName().toString());
        root.put("fileBytes", f.fileBytes());
        root.put("externalDataBytes", f.externalDataBytes());
        root.put("irVersion", f.irVersion());
        Map<String, Object> producer = new LinkedHashMap<>();
        producer.put("name", f.producerName());
        producer.put("version", f.producerVersion());
        root.put("producer", producer);
        root.put("domain", f.domain());
        root.put("modelVersion", f.modelVersion());
        root.put("opsets", new LinkedHashMap<>(f.opsets()));
        root.put("inputs", values(f.inputs(), null));
        root.put("outputs", values(f.outputs(), shapes));
        Map<String, Object> nodes = new LinkedHashMap<>();
        nodes.put("total", f.nodeCount());
        nodes.put("mainGraph", f.mainGraphNodeCount());
        nodes.put("subgraphs", f.subgraphCount());
        root.put("nodes", nodes);
        root.put("opTypes", new LinkedHashMap<>(f.opTypes()));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("count", f.parameterCount());
        params.put("bytes", f.parameterBytes());
        params.put("initializers", f.initializerCount());
        params.put("constantNodes", f.constantNodeCount());
        Map<String, Object> byType = new LinkedHashMap<>();
        f.parametersByType().forEach((k, v) -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("count", v.count());
            t.put("bytes", v.bytes());
            byType.put(k, t);
        });
        params.put("byType", byType);
        root.put("parameters", params);
        root.put("metadata", new LinkedHashMap<>(f.metadata()));
        if (shapes != null) {
            root.put("dimBindings", new LinkedHashMap<>(bindings));
            Map<String, Object> inf = new LinkedHashMap<>();
            inf.put("values", shapes.types().size());
            inf.put("known", shapes.countFullyKnown());
            inf.put("unknown", shapes.unknownValues().size());
            inf.put("unsupportedOps", List.copyOf(shapes.unsupportedOps()));
            root.put("shapeInference", inf);
        }
        return root;
    }

    private static List<Object> values(List<ValueInfo> list, ShapeResult shapes) {
        List<Object> arr = new ArrayList<>();
        for (ValueInfo v : list) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", v.name());
            o.put("kind", v.kind());
            if (v.type() != null) {
                o.put("dtype", v.type().elementType() == null ? null : v.type().elementType().displayName());
                o.put("shape", shapeJson(v.type()));
            }
            if (shapes != null) {
                TensorType t = shapes.type(v.name());
                o.put("inferredShape", t == null ? null : shapeJson(t));
            }
            arr.add(o);
        }
        return arr;
    }

    /** Known dims as numbers, symbols as strings, unknown as null; null when the rank is unknown. */
    static List<Object> shapeJson(TensorType t) {
        if (!t.hasRank()) {
            return null;
        }
        List<Object> s = new ArrayList<>();
        for (Dim d : t.shape()) {
            s.add(d.isKnown() ? (Object) d.value() : d.isSymbolic() ? d.symbol() : null);
        }
        return s;
    }

    private static void printText(PrintWriter out, Path path, ModelFacts f, Map<String, Long> bindings, ShapeResult shapes) {
        String opsets = f.opsets().entrySet().stream()
                .map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        String producer = f.producerName().isEmpty() ? "unknown producer"
                : (f.producerName() + " " + f.producerVersion()).trim();
        out.printf("%s  %s%s%n", path.getFileName(), Sizes.bytes(f.fileBytes()),
                f.externalDataBytes() > 0 ? " + " + Sizes.bytes(f.externalDataBytes()) + " external data" : "");
        out.printf("  ONNX IR %d, opsets: %s; produced by %s%n", f.irVersion(), opsets, producer);
        int width = Math.max(12, List.of(f.inputs(), f.outputs()).stream().flatMap(List::stream)
                .mapToInt(v -> v.name().length()).max().orElse(0));
        out.println("inputs");
        for (ValueInfo v : f.inputs()) {
            out.printf("  %-" + width + "s  %s%n", v.name(), v.type() == null ? v.kind() : v.type());
        }
        out.println("outputs");
        for (ValueInfo v : f.outputs()) {
            String inferred = "";
            if (shapes != null && shapes.type(v.name()) != null) {
                inferred = "  -> " + shapes.type(v.name());
            }
            out.printf("  %-" + width + "s  %s%s%n", v.name(), v.type() == null ? v.kind() : v.type(), inferred);
        }
        out.printf("nodes       %d%s%n", f.nodeCount(), f.subgraphCount() > 0
                ? " (" + f.mainGraphNodeCount() + " in the main graph, the rest in " + f.subgraphCount() + " subgraphs)" : "");
        String ops = f.opTypes().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        out.printf("operators   %d types: %s%n", f.opTypes().size(), ops);
        String types = f.parametersByType().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, ModelFacts.ParameterStats> e) -> e.getValue().bytes()).reversed())
                .map(e -> e.getKey() + " " + Sizes.count(e.getValue().count()) + " (" + Sizes.bytes(e.getValue().bytes()) + ")")
                .collect(Collectors.joining(", "));
        out.printf("parameters  %s in %s: %s%n", Sizes.count(f.parameterCount()), Sizes.bytes(f.parameterBytes()), types);
        out.printf("            %d initializers, %d Constant nodes%n", f.initializerCount(), f.constantNodeCount());
        if (shapes != null) {
            String b = bindings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
            out.printf("shapes      with %s: %d of %d values fully known%s%n", b, shapes.countFullyKnown(), shapes.types().size(),
                    shapes.unsupportedOps().isEmpty() ? "" : "; no shape rule for " + String.join(", ", shapes.unsupportedOps()));
        }
    }
}
