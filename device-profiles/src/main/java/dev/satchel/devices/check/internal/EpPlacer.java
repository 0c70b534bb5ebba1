package dev.satchel.devices.check.internal;

import dev.satchel.devices.check.EpCoverage;
import dev.satchel.devices.ep.Constraint;
import dev.satchel.devices.ep.ExecutionProvider;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.devices.ep.OpSupport;
import dev.satchel.model.DataType;
import dev.satchel.model.TensorType;
import dev.satchel.model.onnx.Onnx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, node by node, whether an execution provider takes a node of the main graph, and counts
 * the partitions the taken nodes form. A node is taken only if every check passes: the op is in the
 * EP's table for the node's domain, the release has it ({@code since_ort}), the model's opset lies
 * in the registered ranges, the EP's global rules (static shapes, max rank, control flow) and dtype
 * rules hold, and every evaluable constraint holds. Unevaluable constraints become caveats.
 */
public final class EpPlacer {
    /** Stable fallback reason codes (docs/checker.md). */
    public static final String OP_NOT_SUPPORTED = "op-not-supported";
    public static final String RUNTIME_TOO_OLD = "runtime-too-old";
    public static final String OPSET_NOT_REGISTERED = "opset-not-registered";
    public static final String DYNAMIC_SHAPE = "dynamic-shape";
    public static final String RANK_TOO_HIGH = "rank-too-high";
    public static final String CONTROL_FLOW = "control-flow";
    public static final String NEEDS_QUANTIZATION = "needs-quantization";
    public static final String QUANTIZED_DTYPE = "quantized-dtype-not-supported";
    public static final String DTYPE_NOT_SUPPORTED = "dtype-not-supported";
    public static final String CONSTRAINT = "constraint";

    private static final Set<String> QDQ_OPS = Set.of("QuantizeLinear", "DequantizeLinear");

    private EpPlacer() {}

    public static EpCoverage place(GraphView g, ExecutionProvider ep, String acceleratorId, String ortVersion) {
        int n = g.nodeCount();
        boolean[] taken = new boolean[n];
        List<EpCoverage.NodeFallback> fallbacks = new ArrayList<>();
        Set<String> caveats = new LinkedHashSet<>();
        long macsTaken = 0;
        long macsTotal = 0;
        int takenCount = 0;
        boolean[] folded = new boolean[n];
        int foldedCount = 0;
        Map<String, OpSupport> table = index(ep);
        for (int i : g.order()) {
            Onnx.NodeProto node = g.node(i);
            if (g.isFolded(i)) {
                // ONNX Runtime folds nodes whose outputs depend on constants only (graph transformer
                // level BASIC, on by default) before any EP sees the graph.
                folded[i] = true;
                foldedCount++;
                continue;
            }
            long macs = Math.max(0, g.macs(i));
            macsTotal += macs;
            List<String> nodeCaveats = new ArrayList<>();
            Optional<String[]> reason = evaluate(g, ep, table, node, ortVersion, nodeCaveats);
            if (reason.isEmpty()) {
                taken[i] = true;
                takenCount++;
                macsTaken += macs;
                caveats.addAll(nodeCaveats);
            } else {
                fallbacks.add(new EpCoverage.NodeFallback(g.name(i), qualified(node), reason.get()[0], reason.get()[1],
                        macs));
            }
        }
        return new EpCoverage(ep.id(), acceleratorId, takenCount, n - foldedCount, partitions(g, taken, folded),
                macsTaken, macsTotal, fallbacks, new ArrayList<>(caveats));
    }

    private static String qualified(Onnx.NodeProto node) {
        return node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx") ? node.getOpType()
                : node.getDomain() + ":" + node.getOpType();
    }

    /**
     * The EP's entries by {@code domain:opType}, the first entry winning as in
     * {@link ExecutionProvider#op}: one hash lookup per node instead of a scan of the table.
     */
    private static Map<String, OpSupport> index(ExecutionProvider ep) {
        Map<String, OpSupport> out = new HashMap<>();
        for (OpSupport o : ep.ops()) {
            out.putIfAbsent(o.domain() + ':' + o.opType(), o);
        }
        return out;
    }

    /** Empty when the EP takes the node; else {reason code, detail}. */
    static Optional<String[]> evaluate(GraphView g, ExecutionProvider ep, Map<String, OpSupport> table,
            Onnx.NodeProto node, String ortVersion, List<String> caveats) {
        String domain = node.getDomain().equals("ai.onnx") ? "" : node.getDomain();
        OpSupport op = table.get(domain + ':' + node.getOpType());
        if (op == null) {
            return reason(OP_NOT_SUPPORTED, ep.id() + " has no kernel or builder for " + qualified(node));
        }
        if (op.sinceOrt().isPresent() && ExecutionProviderCatalogue.compareVersions(op.sinceOrt().get(), ortVersion) > 0) {
            return reason(RUNTIME_TOO_OLD, qualified(node) + " needs ONNX Runtime " + op.sinceOrt().get()
                    + " or later on " + ep.id() + "; the device ships " + ortVersion);
        }
        long opset = g.opset(domain);
        if (op.opsets().isPresent() && opset > 0 && !op.opsets().get().contains((int) opset)) {
            return reason(OPSET_NOT_REGISTERED, ep.id() + " registers " + node.getOpType() + " for opsets "
                    + op.opsets().get() + "; the model uses opset " + opset);
        }
        if (GraphView.hasSubgraph(node) && !ep.rules().subgraphs()) {
            return reason(CONTROL_FLOW, ep.id() + " does not take control-flow subgraphs");
        }
        for (String in : node.getInputList()) {
            if (in.isEmpty()) {
                continue;
            }
            TensorType t = g.type(in);
            if (ep.rules().staticShapes() && !t.isFullyKnown()) {
                return reason(DYNAMIC_SHAPE, ep.id() + " needs static shapes; input '" + in + "' is " + t
                        + " (bind dims with --dim)");
            }
            if (ep.rules().maxRank().isPresent() && t.hasRank() && t.rank() > ep.rules().maxRank().get()) {
                return reason(RANK_TOO_HIGH, "input '" + in + "' has rank " + t.rank() + "; " + ep.id()
                        + " takes rank <= " + ep.rules().maxRank().get());
            }
        }
        Optional<String[]> dtype = dtypeRule(g, ep, node);
        if (dtype.isPresent()) {
            return dtype;
        }
        for (Constraint c : op.constraints()) {
            Optional<String[]> r = constraint(g, node, c, opset, caveats);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    private static Optional<String[]> dtypeRule(GraphView g, ExecutionProvider ep, Onnx.NodeProto node) {
        if (QDQ_OPS.contains(node.getOpType())) {
            return Optional.empty();
        }
        for (String in : node.getInputList()) {
            if (in.isEmpty()) {
                continue;
            }
            DataType t = g.type(in).elementType();
            if (t == null || !t.isFloatingPoint()) {
                continue;
            }
            if (ep.dtypeRules().floatNeedsQuantization()) {
                if (g.dequantizedFrom(in).isEmpty()) {
                    return reason(NEEDS_QUANTIZATION, "input '" + in + "' is " + t.displayName()
                            + ", not produced by DequantizeLinear (not QDQ-quantized); " + ep.id()
                            + " computes " + String.join("/", ep.dtypeRules().quantizedTypes()) + " only");
                }
            } else if (!ep.dtypeRules().floatTypes().isEmpty() && !ep.dtypeRules().floatTypes().contains(t.displayName())) {
                return reason(DTYPE_NOT_SUPPORTED, "input '" + in + "' is " + t.displayName() + "; " + ep.id()
                        + " computes " + String.join("/", ep.dtypeRules().floatTypes()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String[]> constraint(GraphView g, Onnx.NodeProto node, Constraint c, long opset,
            List<String> caveats) {
        String op = node.getOpType();
        if (c instanceof Constraint.ConstInputs) {
            for (int i : ((Constraint.ConstInputs) c).inputs()) {
                if (i < node.getInputCount() && !node.getInput(i).isEmpty() && !g.isConstant(node.getInput(i))) {
                    return reason(CONSTRAINT, op + " input " + i + " ('" + node.getInput(i)
                            + "') must be a constant (" + c.text() + ")");
                }
            }
        } else if (c instanceof Constraint.InputRank) {
            Constraint.InputRank r = (Constraint.InputRank) c;
            if (r.input() < node.getInputCount() && !node.getInput(r.input()).isEmpty()) {
                TensorType t = g.type(node.getInput(r.input()));
                if (!t.hasRank()) {
                    caveats.add(op + ": " + c.text() + " (rank unknown)");
                } else if (t.rank() < r.min() || r.max().map(m -> t.rank() > m).orElse(false)) {
                    return reason(CONSTRAINT, op + " input " + r.input() + " has rank " + t.rank() + " (" + c.text() + ")");
                }
            }
        } else if (c instanceof Constraint.InputDtypes) {
            Constraint.InputDtypes d = (Constraint.InputDtypes) c;
            if (d.input() < node.getInputCount() && !node.getInput(d.input()).isEmpty()) {
                DataType t = g.type(node.getInput(d.input())).elementType();
                if (t != null && !d.allowed().contains(t.displayName())) {
                    return reason(DTYPE_NOT_SUPPORTED, op + " input " + d.input() + " is " + t.displayName()
                            + "; allowed " + d.allowed() + " (" + c.text() + ")");
                }
            }
        } else if (c instanceof Constraint.QuantizedInputs) {
            Constraint.QuantizedInputs q = (Constraint.QuantizedInputs) c;
            for (int i : q.inputs()) {
                if (i >= node.getInputCount() || node.getInput(i).isEmpty()) {
                    continue;
                }
                String in = node.getInput(i);
                Optional<DataType> src = g.dequantizedFrom(in);
                DataType own = g.type(in).elementType();
                boolean ok = src.map(s -> q.dtypes().contains(s.displayName())).orElse(false)
                        || (own != null && q.dtypes().contains(own.displayName()));
                if (!ok) {
                    String is = src.map(s -> "dequantized from " + s.displayName())
                            .orElse(own == null ? "of unknown type" : own.displayName() + ", not QDQ-quantized");
                    return reason(src.isPresent() ? QUANTIZED_DTYPE : NEEDS_QUANTIZATION, op + " input " + i + " ('" + in
                            + "') is " + is + "; needs " + String.join(" or ", q.dtypes()) + " (" + c.text() + ")");
                }
            }
        } else if (c instanceof Constraint.AttributeIn) {
            Constraint.AttributeIn a = (Constraint.AttributeIn) c;
            Optional<String> v = GraphView.attribute(node, a.name()).or(a::defaultValue);
            if (v.isEmpty()) {
                caveats.add(op + ": " + c.text());
            } else if (!a.allowed().contains(v.get())) {
                return reason(CONSTRAINT, op + " " + a.name() + "=" + v.get() + "; allowed " + a.allowed()
                        + " (" + c.text() + ")");
            }
        } else if (c instanceof Constraint.AttributeNotIn) {
            Constraint.AttributeNotIn a = (Constraint.AttributeNotIn) c;
            Optional<String> v = GraphView.attribute(node, a.name()).or(a::defaultValue);
            if (v.isPresent() && a.forbidden().contains(v.get())) {
                return reason(CONSTRAINT, op + " " + a.name() + "=" + v.get() + " (" + c.text() + ")");
            }
        } else if (c instanceof Constraint.AttributeAbsent) {
            for (String name : ((Constraint.AttributeAbsent) c).names()) {
                if (GraphView.attribute(node, name).isPresent()) {
                    return reason(CONSTRAINT, op + " sets '" + name + "' (" + c.text() + ")");
                }
            }
        } else if (c instanceof Constraint.LastAxis) {
            Constraint.LastAxis l = (Constraint.LastAxis) c;
            if (opset >= l.sinceOpset() && node.getInputCount() > 0) {
                TensorType t = g.type(node.getInput(0));
                long axis = Long.parseLong(GraphView.attribute(node, l.attribute()).orElse(Integer.toString(l.defaultValue())));
                if (!t.hasRank()) {
                    caveats.add(op + ": " + c.text() + " (rank unknown)");
                } else if ((axis < 0 ? axis + t.rank() : axis) != t.rank() - 1) {
                    return reason(CONSTRAINT, op + " " + l.attribute() + "=" + axis + " is not the last axis ("
                            + c.text() + ")");
                }
            }
        } else if (c instanceof Constraint.MaxOutputs) {
            long used = node.getOutputList().stream().filter(o -> !o.isEmpty()).count();
            if (used > ((Constraint.MaxOutputs) c).max()) {
                return reason(CONSTRAINT, op + " uses " + used + " outputs (" + c.text() + ")");
            }
        } else if (c instanceof Constraint.Unevaluated) {
            caveats.add(op + ": " + c.text());
        }
        return Optional.empty();
    }

    private static Optional<String[]> reason(String code, String detail) {
        return Optional.of(new String[] {code, detail});
    }

    /**
     * Partition count as ONNX Runtime's CreateSupportedPartitionNodeGroups forms groups
     * (onnxruntime/core/providers/partitioning_utils.cc): a Kahn walk where taken nodes join the
     * current group; a not-taken node that consumes the group's output waits until the group
     * closes, which happens when nothing else is ready.
     */
    static int partitions(GraphView g, boolean[] taken, boolean[] folded) {
        int n = g.nodeCount();
        int[] indegree = g.indegrees();
        int[][] consumers = new int[n][];
        for (int i = 0; i < n; i++) {
            consumers[i] = g.nodeConsumers(i);
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> deferred = new ArrayList<>();
        Set<Integer> border = new HashSet<>();
        int groupSize = 0;
        int groups = 0;
        while (true) {
            while (!ready.isEmpty()) {
                int i = ready.poll();
                if (taken[i]) {
                    groupSize++;
                    for (int c : consumers[i]) {
                        border.add(c);
                    }
                } else if (border.contains(i) && !folded[i]) {
                    deferred.add(i);
                    continue;
                }
                for (int c : consumers[i]) {
                    if (--indegree[c] == 0) {
                        ready.add(c);
                    }
                }
            }
            if (groupSize > 0) {
                groups++;
                groupSize = 0;
            }
            border.clear();
            if (deferred.isEmpty()) {
                break;
            }
            ready.addAll(deferred);
            deferred.clear();
        }
        return groups;
    }
}
