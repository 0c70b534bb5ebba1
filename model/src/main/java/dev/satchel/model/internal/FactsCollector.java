package dev.satchel.model.internal;

import dev.satchel.model.DataType;
import dev.satchel.model.ModelFacts;
import dev.satchel.model.ValueInfo;
import dev.satchel.model.onnx.Onnx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Computes {@link ModelFacts} in one walk over the graph and its subgraphs. */
public final class FactsCollector {
    private final TreeMap<String, Integer> opTypes = new TreeMap<>();
    private final TreeMap<String, long[]> byType = new TreeMap<>();
    private int nodes;
    private int subgraphs;
    private long initializers;
    private long constants;
    private long externalBytes;

    public static ModelFacts collect(Onnx.ModelProto m, long fileBytes, ExternalData external) {
        FactsCollector c = new FactsCollector();
        Onnx.GraphProto g = m.getGraph();
        c.walk(g, external);
        TreeMap<String, Long> opsets = new TreeMap<>();
        for (Onnx.OperatorSetIdProto o : m.getOpsetImportList()) {
            String d = o.getDomain().equals("ai.onnx") ? "" : o.getDomain();
            opsets.put(d, o.getVersion());
        }
        // Inputs that are also initializers are parameters with defaults, not real model inputs
        // (IR version < 4 models list every initializer as an input).
        java.util.Set<String> inits = new java.util.HashSet<>();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            inits.add(t.getName());
        }
        List<ValueInfo> inputs = new ArrayList<>();
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            if (!inits.contains(v.getName())) {
                inputs.add(Protos.valueInfo(v));
            }
        }
        List<ValueInfo> outputs = new ArrayList<>();
        for (Onnx.ValueInfoProto v : g.getOutputList()) {
            outputs.add(Protos.valueInfo(v));
        }
        long paramCount = 0;
        long paramBytes = 0;
        TreeMap<String, ModelFacts.ParameterStats> stats = new TreeMap<>();
        for (Map.Entry<String, long[]> e : c.byType.entrySet()) {
            paramCount += e.getValue()[0];
            paramBytes += e.getValue()[1];
            stats.put(e.getKey(), new ModelFacts.ParameterStats(e.getValue()[0], e.getValue()[1]));
        }
        Map<String, String> meta = new HashMap<>();
        for (Onnx.StringStringEntryProto e : m.getMetadataPropsList()) {
            meta.put(e.getKey(), e.getValue());
        }
        return new ModelFacts(m.getIrVersion(), m.getProducerName(), m.getProducerVersion(), m.getDomain(),
                m.getModelVersion(), opsets, inputs, outputs, fileBytes, c.externalBytes, c.nodes, g.getNodeCount(),
                c.subgraphs, c.opTypes, c.initializers, c.constants, paramCount, paramBytes, stats, meta);
    }

    private void walk(Onnx.GraphProto g, ExternalData external) {
        for (Onnx.TensorProto t : g.getInitializerList()) {
            initializers++;
            addTensor(t, external);
        }
        for (Onnx.SparseTensorProto s : g.getSparseInitializerList()) {
            initializers++;
            addTensor(s.getValues(), external);
        }
        for (Onnx.NodeProto n : g.getNodeList()) {
            nodes++;
            opTypes.merge(Protos.qualifiedOpType(n), 1, Integer::sum);
            if (n.getOpType().equals("Constant") && (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx"))) {
                constants++;
                addConstant(n, external);
            }
            Protos.forEachSubgraph(n, sub -> {
                subgraphs++;
                walk(sub, external);
            });
        }
    }

    private void addConstant(Onnx.NodeProto n, ExternalData external) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    addTensor(a.getT(), external);
                    break;
                case "sparse_value":
                    addTensor(a.getSparseTensor().getValues(), external);
                    break;
                case "value_float":
                    add(DataType.FLOAT, 1, 4);
                    break;
                case "value_floats":
                    add(DataType.FLOAT, a.getFloatsCount(), 4L * a.getFloatsCount());
                    break;
                case "value_int":
                    add(DataType.INT64, 1, 8);
                    break;
                case "value_ints":
                    add(DataType.INT64, a.getIntsCount(), 8L * a.getIntsCount());
                    break;
                case "value_string":
                    add(DataType.STRING, 1, a.getS().size());
                    break;
                case "value_strings":
                    long len = 0;
                    for (com.google.protobuf.ByteString s : a.getStringsList()) {
                        len += s.size();
                    }
                    add(DataType.STRING, a.getStringsCount(), len);
                    break;
                default:
                    break;
            }
        }
    }

    private void addTensor(Onnx.TensorProto t, ExternalData external) {
        DataType dt = DataType.ofCode(t.getDataType());
        String key = dt == null ? "type" + t.getDataType() : dt.displayName();
        long count = Protos.elementCount(t);
        if (count < 0) {
            count = 0;
        }
        long bytes;
        if (dt == DataType.STRING) {
            bytes = 0;
            for (com.google.protobuf.ByteString s : t.getStringDataList()) {
                bytes += s.size();
            }
        } else if (dt != null) {
            bytes = dt.storageBytes(count);
        } else {
            bytes = t.getRawData().size();
        }
        if (ExternalData.isExternal(t)) {
            externalBytes += bytes;
        }
        add(key, count, bytes);
    }

    private void add(DataType t, long count, long bytes) {
        add(t.displayName(), count, bytes);
    }

    private void add(String key, long count, long bytes) {
        long[] s = byType.computeIfAbsent(key, k -> new long[2]);
        s[0] += count;
        s[1] += bytes;
    }
}
