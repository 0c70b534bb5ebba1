package dev.satchel.model;

import dev.satchel.model.internal.GraphValidator;
import dev.satchel.model.onnx.Onnx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Graph utilities shared by shape inference, the memory planner and the quantizer. */
public final class Graphs {
    private Graphs() {}

    /**
     * Node indices in a topological order (stable: ties keep file order). ONNX asks producers to
     * list nodes sorted, but not every exporter does. Values consumed by a node's subgraphs count
     * as its inputs.
     *
     * @throws IllegalArgumentException if the graph has a cycle (models from {@link ModelReader}
     *     are already checked)
     */
    public static int[] topologicalOrder(Onnx.GraphProto g) {
        int n = g.getNodeCount();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (String o : g.getNode(i).getOutputList()) {
                if (!o.isEmpty()) {
                    producer.put(o, i);
                }
            }
        }
        List<List<Integer>> consumers = new ArrayList<>(n);
        int[] indegree = new int[n];
        for (int i = 0; i < n; i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Set<String> needs = new HashSet<>(implicitAndExplicitInputs(g.getNode(i)));
            for (String in : needs) {
                Integer p = producer.get(in);
                if (p != null && p != i) {
                    consumers.get(p).add(i);
                    indegree[i]++;
                }
            }
        }
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order[k++] = i;
            for (int c : consumers.get(i)) {
                if (--indegree[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (k < n) {
            throw new IllegalArgumentException("graph '" + g.getName() + "' has a cycle");
        }
        return order;
    }

    /** A node's explicit inputs plus the outer-scope names its subgraphs read. */
    public static List<String> implicitAndExplicitInputs(Onnx.NodeProto node) {
        List<String> out = new ArrayList<>();
        for (String in : node.getInputList()) {
            if (!in.isEmpty()) {
                out.add(in);
            }
        }
        Set<String> free = new HashSet<>();
        dev.satchel.model.internal.Protos.forEachSubgraph(node, sub -> GraphValidator.freeNames(sub, free));
        out.addAll(free);
        return out;
    }
}
