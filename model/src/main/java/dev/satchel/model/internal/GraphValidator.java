package dev.satchel.model.internal;

import dev.satchel.model.ModelException;
import dev.satchel.model.onnx.Onnx;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural checks ONNX Runtime would otherwise fail on later with a less helpful message: every
 * value a node consumes is produced somewhere in scope (ONNX IR spec, "Graphs": names are SSA and
 * subgraphs may reference outer-scope values), no value is produced twice, and the node graph
 * is acyclic (nodes need not be listed in topological order, but an order must exist).
 */
public final class GraphValidator {
    private final Path file;

    public GraphValidator(Path file) {
        this.file = file;
    }

    public void validate(Onnx.GraphProto graph) throws ModelException {
        validate(graph, Set.of(), "graph '" + graph.getName() + "'");
    }

    private void validate(Onnx.GraphProto g, Set<String> outer, String where) throws ModelException {
        Set<String> available = new HashSet<>(outer);
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            available.add(v.getName());
        }
        for (Onnx.TensorProto t : g.getInitializerList()) {
            available.add(t.getName());
        }
        for (Onnx.SparseTensorProto s : g.getSparseInitializerList()) {
            available.add(s.getValues().getName());
        }
        int n = g.getNodeCount();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (String out : g.getNode(i).getOutputList()) {
                if (out.isEmpty()) {
                    continue;
                }
                Integer prev = producer.put(out, i);
                if (prev != null) {
                    throw new ModelException(ModelException.Code.MALFORMED, file, where + ": value '" + out
                            + "' is produced by both " + Protos.describe(g.getNode(prev), prev) + " and "
                            + Protos.describe(g.getNode(i), i));
                }
            }
        }
        Set<String> innerScope = new HashSet<>(available);
        innerScope.addAll(producer.keySet());

        List<List<Integer>> consumers = new ArrayList<>(n);
        int[] indegree = new int[n];
        for (int i = 0; i < n; i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Onnx.NodeProto node = g.getNode(i);
            Set<String> needs = new HashSet<>();
            for (String in : node.getInputList()) {
                if (in.isEmpty()) {
                    continue; // an omitted optional input
                }
                if (!producer.containsKey(in) && !available.contains(in)) {
                    throw new ModelException(ModelException.Code.DANGLING_INPUT, file, where + ": "
                            + Protos.describe(node, i) + " consumes '" + in
                            + "', which no node, graph input or initializer produces");
                }
                needs.add(in);
            }
            // Subgraphs see this graph's values: their free names are implicit inputs of the node.
            for (Onnx.AttributeProto a : node.getAttributeList()) {
                List<Onnx.GraphProto> subs = new ArrayList<>(a.getGraphsList());
                if (a.hasG()) {
                    subs.add(a.getG());
                }
                for (Onnx.GraphProto sub : subs) {
                    validate(sub, innerScope, where + " > " + Protos.describe(node, i) + " attribute '" + a.getName() + "'");
                    collectFreeNames(sub, needs);
                }
            }
            for (String in : needs) {
                Integer p = producer.get(in);
                if (p != null && !available.contains(in)) {
                    consumers.get(p).add(i);
                    indegree[i]++;
                }
            }
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        int visited = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            visited++;
            for (int c : consumers.get(i)) {
                if (--indegree[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (visited < n) {
            for (int i = 0; i < n; i++) {
                if (indegree[i] > 0) {
                    throw new ModelException(ModelException.Code.GRAPH_CYCLE, file, where + ": the node graph has a cycle through "
                            + Protos.describe(g.getNode(i), i) + " (" + (n - visited) + " nodes are on or behind it)");
                }
            }
        }
    }

    /** Names a subgraph uses that it does not define itself (references to outer scope). */
    public static void freeNames(Onnx.GraphProto g, Set<String> into) {
        collectFreeNames(g, into);
    }

    static void collectFreeNames(Onnx.GraphProto g, Set<String> into) {
        Set<String> defined = new HashSet<>();
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            defined.add(v.getName());
        }
        for (Onnx.TensorProto t : g.getInitializerList()) {
            defined.add(t.getName());
        }
        for (Onnx.NodeProto node : g.getNodeList()) {
            defined.addAll(node.getOutputList());
        }
        for (Onnx.NodeProto node : g.getNodeList()) {
            for (String in : node.getInputList()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    into.add(in);
                }
            }
            Protos.forEachSubgraph(node, sub -> {
                Set<String> inner = new HashSet<>();
                collectFreeNames(sub, inner);
                for (String s : inner) {
                    if (!defined.contains(s)) {
                        into.add(s);
                    }
                }
            });
        }
    }
}
