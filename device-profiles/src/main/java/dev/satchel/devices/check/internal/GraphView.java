package dev.satchel.devices.check.internal;

import dev.satchel.model.DataType;
import dev.satchel.model.Graphs;
import dev.satchel.model.ShapeResult;
import dev.satchel.model.TensorType;
import dev.satchel.model.onnx.Onnx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The main graph of a model with inferred shapes, in topological order, plus the derived facts
 * every device check needs: producers, consumers, constness, QDQ sources and MACs per node.
 * Computed once per model; read-only afterwards.
 */
public final class GraphView {
    private final Onnx.GraphProto graph;
    private final ShapeResult shapes;
    private final int[] order;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final Set<String> initializers = new HashSet<>();
    private final Map<String, Long> opsets;
    private final long[] macs;
    private final Set<String> foldedValues = new HashSet<>();
    private final boolean[] folded;
    /** Node-to-node edges (a consumer once per distinct producer), ascending; shared by every placement. */
    private final int[][] nodeConsumers;
    private final int[] indegree;

    public GraphView(Onnx.ModelProto model, ShapeResult shapes) {
        this.graph = model.getGraph();
        this.shapes = shapes;
        this.order = Graphs.topologicalOrder(graph);
        Map<String, Long> os = new HashMap<>();
        for (Onnx.OperatorSetIdProto o : model.getOpsetImportList()) {
            os.put(o.getDomain().equals("ai.onnx") ? "" : o.getDomain(), o.getVersion());
        }
        this.opsets = Map.copyOf(os);
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            initializers.add(t.getName());
        }
        List<List<String>> inputs = new ArrayList<>(graph.getNodeCount());
        for (int i = 0; i < graph.getNodeCount(); i++) {
            Onnx.NodeProto n = graph.getNode(i);
            for (String o : n.getOutputList()) {
                if (!o.isEmpty()) {
                    producer.put(o, i);
                }
            }
            List<String> in = Graphs.implicitAndExplicitInputs(n);
            inputs.add(in);
            for (String v : in) {
                consumers.computeIfAbsent(v, k -> new ArrayList<>()).add(i);
            }
        }
        this.nodeConsumers = new int[graph.getNodeCount()][];
        this.indegree = new int[graph.getNodeCount()];
        nodeEdges(inputs);
        this.folded = fold();
        this.macs = new long[graph.getNodeCount()];
        for (int i = 0; i < macs.length; i++) {
            macs[i] = Macs.of(this, graph.getNode(i));
        }
    }

    private void nodeEdges(List<List<String>> inputs) {
        int n = graph.getNodeCount();
        List<List<Integer>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Set<Integer> producers = new HashSet<>();
            for (String in : inputs.get(i)) {
                Integer p = producer.get(in);
                if (p != null && p != i) {
                    producers.add(p);
                }
            }
            for (int p : producers) {
                out.get(p).add(i);
                indegree[i]++;
            }
        }
        for (int i = 0; i < n; i++) {
            nodeConsumers[i] = out.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** The nodes that read an output of node i (each once), ascending. Shared: callers must not write. */
    int[] nodeConsumers(int i) {
        return nodeConsumers[i];
    }

    /** For each node, how many distinct other nodes it reads from. */
    int[] indegrees() {
        return indegree.clone();
    }

    public Onnx.GraphProto graph() {
        return graph;
    }

    public int[] order() {
        return order.clone();
    }

    public int nodeCount() {
        return graph.getNodeCount();
    }

    public Onnx.NodeProto node(int i) {
        return graph.getNode(i);
    }

    /** The node's name, or {@code OpType#index} when it has none. */
    public String name(int i) {
        Onnx.NodeProto n = graph.getNode(i);
        return n.getName().isEmpty() ? n.getOpType() + "#" + i : n.getName();
    }

    public TensorType type(String value) {
        TensorType t = shapes.type(value);
        return t == null ? TensorType.unknown() : t;
    }

    /** An initializer, a Constant output, or computed from those alone. */
    public boolean isConstant(String value) {
        return initializers.contains(value) || shapes.isConstant(value) || foldedValues.contains(value);
    }

    public boolean isInitializer(String value) {
        return initializers.contains(value);
    }

    public Optional<Integer> producer(String value) {
        return Optional.ofNullable(producer.get(value));
    }

    public List<Integer> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** For a value produced by DequantizeLinear, the element type of the quantized input. */
    public Optional<DataType> dequantizedFrom(String value) {
        Integer p = producer.get(value);
        if (p == null) {
            return Optional.empty();
        }
        Onnx.NodeProto n = graph.getNode(p);
        if (!n.getOpType().equals("DequantizeLinear") || n.getInputCount() == 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(type(n.getInput(0)).elementType());
    }

    /** The opset the model imports for a domain ({@code ""} = ai.onnx), or -1. */
    public long opset(String domain) {
        return opsets.getOrDefault(domain.equals("ai.onnx") ? "" : domain, -1L);
    }

    public Map<String, Long> opsets() {
        return opsets;
    }

    /**
     * True when every output of node i is a build-time constant (a Constant node, or computed from
     * constants alone, e.g. Shape of a fully bound tensor): ONNX Runtime folds such nodes away.
     */
    public boolean isFolded(int i) {
        return folded[i];
    }

    /**
     * Constant folding as ONNX Runtime's ConstantFolding transformer does it: a deterministic node
     * whose inputs are all constants is computed once at session creation, and so is Shape/Size of
     * a tensor whose shape is fully known.
     */
    private boolean[] fold() {
        boolean[] out = new boolean[graph.getNodeCount()];
        Set<String> constant = new HashSet<>(initializers);
        for (int i : order) {
            Onnx.NodeProto n = graph.getNode(i);
            String op = n.getOpType();
            boolean foldable;
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                foldable = false;
            } else if (op.equals("Constant")) {
                foldable = true;
            } else if (NONDETERMINISTIC.contains(op) || hasSubgraph(n)) {
                foldable = false;
            } else if ((op.equals("Shape") || op.equals("Size")) && n.getInputCount() > 0) {
                foldable = type(n.getInput(0)).isFullyKnown() || constant.contains(n.getInput(0));
            } else {
                foldable = n.getInputCount() > 0;
                for (String in : n.getInputList()) {
                    if (!in.isEmpty() && !constant.contains(in) && !shapes.isConstant(in)) {
                        foldable = false;
                        break;
                    }
                }
            }
            if (foldable) {
                out[i] = true;
                for (String o : n.getOutputList()) {
                    if (!o.isEmpty()) {
                        constant.add(o);
                    }
                }
            }
        }
        foldedValues.addAll(constant);
        return out;
    }

    /**
     * Never folded: random ops, and Q/DQ, which ORT's ConstantFolding leaves in place so that QDQ
     * node units survive for the EPs that need them (onnxruntime/core/optimizer/constant_folding.cc).
     */
    private static final Set<String> NONDETERMINISTIC = Set.of("RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout", "QuantizeLinear", "DequantizeLinear");

    /** MACs of node i, or -1 when its shapes are not known well enough. */
    public long macs(int i) {
        return macs[i];
    }

    /** Attribute value as text (ints and floats printed, strings decoded), if set. */
    public static Optional<String> attribute(Onnx.NodeProto n, String name) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                switch (a.getType()) {
                    case INT:
                        return Optional.of(Long.toString(a.getI()));
                    case FLOAT:
                        float f = a.getF();
                        return Optional.of(f == Math.rint(f) ? Long.toString((long) f) : Float.toString(f));
                    case STRING:
                        return Optional.of(a.getS().toString(StandardCharsets.UTF_8));
                    default:
                        return Optional.of(a.getType().name());
                }
            }
        }
        return Optional.empty();
    }

    public static boolean hasSubgraph(Onnx.NodeProto n) {
        return n.getAttributeList().stream().anyMatch(a -> a.getType() == Onnx.AttributeProto.AttributeType.GRAPH
                || a.getType() == Onnx.AttributeProto.AttributeType.GRAPHS);
    }
}
