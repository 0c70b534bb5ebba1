package dev.satchel.devices.check.internal;

import dev.satchel.devices.check.MemoryEstimate;
import dev.satchel.model.TensorType;
import dev.satchel.model.onnx.Onnx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Peak-memory estimate from a memory plan over the topologically ordered main graph: every
 * non-constant value is live from the step that produces it to the last step that reads it (graph
 * inputs and outputs: the whole run, as the caller holds them); the peak is the largest sum of live bytes at
 * any step. Weights are initializers and Constant tensors at their stored dtype. ONNX Runtime's
 * arena rounds and pools allocations, and the runtime itself costs memory; both are added as
 * documented constants (docs/checker.md, "Memory estimate vs reality"). Values inside subgraphs are not planned.
 */
public final class MemoryPlanner {
    /*
     * The constants below were fitted to ONNX Runtime 1.24.2 (CPU EP, default BFC arena and
     * memory pattern, one intra-op thread, Java binding): peak RSS increase over a baseline taken
     * after the native library is loaded, across session creation and one run (and three runs for
     * the memory pattern). The table and the
     * method are in docs/checker.md ("Memory estimate vs reality").
     */
    /**
     * Weights count 1.5 times: while the session is created ORT holds the parsed model (its
     * initializer bytes) and the initializer tensors it builds from them at the same time.
     */
    public static final double WEIGHTS_FACTOR = 1.5;
    /** Activations count twice: BFC arena chunk growth plus kernel workspaces (im2col for Conv). */
    public static final double ARENA_FACTOR = 2.0;
    /**
     * From the second run on, ORT allocates its memory pattern (one block laid out for the
     * activations it traced in the first run) from the BFC arena, which cannot carve the block out
     * of the first run's freed chunks and grows: measured +1.34x (int8 MiniLM) and +1.39x
     * (PP-OCRv4 det, +47% of the whole session) the planned activation peak; apps run a model
     * more than once, so the budget check uses this steady state.
     */
    public static final double MEMORY_PATTERN_FACTOR = 1.35;
    /** Session state, thread pool and allocator bookkeeping of one session. */
    public static final long RUNTIME_OVERHEAD_BYTES = 10L << 20;
    /** ORT builds a session state (kernels, allocation plan) for every subgraph of If/Loop/Scan. */
    public static final long PER_SUBGRAPH_BYTES = 256L << 10;
    private static final int TOP = 5;

    private MemoryPlanner() {}

    public static MemoryEstimate plan(GraphView g, long weightsBytes, int subgraphs, Map<String, Long> initializerBytes) {
        Onnx.GraphProto graph = g.graph();
        int[] order = g.order();
        int steps = order.length;
        int[] position = new int[graph.getNodeCount()];
        for (int p = 0; p < steps; p++) {
            position[order[p]] = p;
        }
        Set<String> outputs = new HashSet<>();
        graph.getOutputList().forEach(o -> outputs.add(o.getName()));
        Map<String, long[]> lifetimes = new LinkedHashMap<>(); // name -> {start, end, bytes}
        Map<String, String> kinds = new HashMap<>();
        int unknown = 0;
        long kv = 0;
        for (Onnx.ValueInfoProto in : graph.getInputList()) {
            String name = in.getName();
            if (g.isInitializer(name)) {
                continue;
            }
            long bytes = bytes(g.type(name));
            if (bytes < 0) {
                unknown++;
                continue;
            }
            // The caller owns graph inputs: they stay allocated for the whole run.
            lifetimes.put(name, new long[] {0, Math.max(0, steps - 1), bytes});
            boolean isKv = isKvName(name);
            kinds.put(name, isKv ? "kv-cache" : "input");
            if (isKv) {
                kv += bytes;
            }
        }
        for (int p = 0; p < steps; p++) {
            Onnx.NodeProto n = graph.getNode(order[p]);
            boolean constantNode = n.getOpType().equals("Constant");
            for (String o : n.getOutputList()) {
                if (o.isEmpty() || constantNode || g.isConstant(o)) {
                    continue; // weights, or folded into weights at session creation
                }
                long bytes = bytes(g.type(o));
                if (bytes < 0) {
                    unknown++;
                    continue;
                }
                lifetimes.put(o, new long[] {p, lastUse(g, o, position, outputs, steps, p), bytes});
                boolean isKv = outputs.contains(o) && isKvName(o);
                kinds.put(o, isKv ? "kv-cache" : "activation");
                if (isKv) {
                    kv += bytes;
                }
            }
        }
        long[] delta = new long[steps + 2];
        for (long[] l : lifetimes.values()) {
            delta[(int) l[0]] += l[2];
            delta[(int) l[1] + 1] -= l[2];
        }
        // Control flow: while an If/Loop/Scan runs, its body's own activations are live too.
        int[] subUnknown = new int[1];
        for (int p = 0; p < steps; p++) {
            long sub = subgraphPeak(g, graph.getNode(order[p]), subUnknown);
            delta[p] += sub;
            delta[p + 1] -= sub;
        }
        unknown += subUnknown[0];
        long live = 0;
        long peak = 0;
        int peakStep = -1;
        for (int p = 0; p < steps; p++) {
            live += delta[p];
            if (live > peak) {
                peak = live;
                peakStep = p;
            }
        }
        // What is live at the peak, plus the biggest weights: the contributors a person can act on.
        List<MemoryEstimate.Contributor> contributors = new ArrayList<>();
        if (peakStep >= 0) {
            final int ps = peakStep;
            lifetimes.forEach((name, l) -> {
                if (l[0] <= ps && l[1] >= ps) {
                    contributors.add(new MemoryEstimate.Contributor(name, kinds.get(name), l[2]));
                }
            });
        }
        initializerBytes.forEach((name, b) -> contributors.add(new MemoryEstimate.Contributor(name, "weight", b)));
        contributors.sort(Comparator.comparingLong(MemoryEstimate.Contributor::bytes).reversed()
                .thenComparing(MemoryEstimate.Contributor::name));
        String largest = "";
        long largestBytes = 0;
        for (MemoryEstimate.Contributor c : contributors) {
            if (c.bytes() > largestBytes) {
                largestBytes = c.bytes();
                largest = c.name();
            }
        }
        for (long[] l : lifetimes.values()) {
            largestBytes = Math.max(largestBytes, l[2]);
        }
        if (largest.isEmpty()) {
            for (Map.Entry<String, long[]> e : lifetimes.entrySet()) {
                if (e.getValue()[2] == largestBytes) {
                    largest = e.getKey();
                    break;
                }
            }
        }
        long runtime = RUNTIME_OVERHEAD_BYTES + subgraphs * PER_SUBGRAPH_BYTES;
        long firstRun = (long) Math.ceil(weightsBytes * WEIGHTS_FACTOR) + (long) Math.ceil(peak * ARENA_FACTOR) + runtime;
        long total = firstRun + (long) Math.ceil(peak * MEMORY_PATTERN_FACTOR);
        Optional<String> at = peakStep >= 0 ? Optional.of(g.name(order[peakStep])) : Optional.empty();
        return new MemoryEstimate(weightsBytes, peak, at, kv, runtime, total, unknown, largestBytes,
                largest, contributors.subList(0, Math.min(TOP, contributors.size())), firstRun);
    }

    /** The largest activation peak among a node's subgraphs (0 for ordinary nodes). */
    private static long subgraphPeak(GraphView g, Onnx.NodeProto node, int[] unknown) {
        long max = 0;
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            List<Onnx.GraphProto> subs = new ArrayList<>();
            if (a.getType() == Onnx.AttributeProto.AttributeType.GRAPH) {
                subs.add(a.getG());
            } else if (a.getType() == Onnx.AttributeProto.AttributeType.GRAPHS) {
                subs.addAll(a.getGraphsList());
            }
            for (Onnx.GraphProto sg : subs) {
                max = Math.max(max, graphPeak(g, sg, unknown));
            }
        }
        return max;
    }

    /** Peak of live values produced inside one subgraph, in its topological order (nested bodies too). */
    private static long graphPeak(GraphView g, Onnx.GraphProto sg, int[] unknown) {
        int[] order = dev.satchel.model.Graphs.topologicalOrder(sg);
        int steps = order.length;
        if (steps == 0) {
            return 0;
        }
        Map<String, Integer> lastUse = new HashMap<>();
        for (int p = 0; p < steps; p++) {
            for (String in : dev.satchel.model.Graphs.implicitAndExplicitInputs(sg.getNode(order[p]))) {
                lastUse.put(in, p);
            }
        }
        Set<String> outs = new HashSet<>();
        sg.getOutputList().forEach(o -> outs.add(o.getName()));
        long[] delta = new long[steps + 2];
        for (int p = 0; p < steps; p++) {
            Onnx.NodeProto n = sg.getNode(order[p]);
            if (!n.getOpType().equals("Constant")) {
                for (String o : n.getOutputList()) {
                    if (o.isEmpty() || g.isConstant(o)) {
                        continue;
                    }
                    long b = bytes(g.type(o));
                    if (b < 0) {
                        unknown[0]++;
                        continue;
                    }
                    int end = outs.contains(o) ? steps - 1 : Math.max(p, lastUse.getOrDefault(o, p));
                    delta[p] += b;
                    delta[end + 1] -= b;
                }
            }
            long nested = subgraphPeak(g, n, unknown);
            delta[p] += nested;
            delta[p + 1] -= nested;
        }
        long live = 0;
        long peak = 0;
        for (int p = 0; p < steps; p++) {
            live += delta[p];
            peak = Math.max(peak, live);
        }
        return peak;
    }

    private static int lastUse(GraphView g, String value, int[] position, Set<String> outputs, int steps, int from) {
        if (outputs.contains(value)) {
            return steps - 1;
        }
        int last = from;
        for (int c : g.consumers(value)) {
            last = Math.max(last, position[c]);
        }
        return last;
    }

    /** Bytes of a fully known tensor, -1 otherwise. */
    static long bytes(TensorType t) {
        if (t.elementType() == null || !t.isFullyKnown()) {
            return -1;
        }
        return t.elementType().storageBytes(t.elementCount());
    }

    /** Decoder KV-cache names as exported by Optimum / onnxruntime-genai. */
    public static boolean isKvName(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.startsWith("past_key_values") || n.startsWith("present") || n.startsWith("past_key")
                || n.startsWith("past_value") || n.startsWith("past.");
    }
}
