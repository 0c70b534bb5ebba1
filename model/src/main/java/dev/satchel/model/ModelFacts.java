package dev.satchel.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a model is, counted from the graph: versions, signature, operators and parameters. Counts
 * include nodes inside subgraphs ({@code If}, {@code Loop}, {@code Scan}); parameters include
 * both initializers and {@code Constant} nodes, wherever they live.
 *
 * @param fileBytes size of the .onnx file itself
 * @param externalDataBytes bytes of tensor data stored in external files
 * @param nodeCount all nodes, subgraphs included
 * @param mainGraphNodeCount nodes of the top-level graph only
 * @param subgraphCount graphs held by node attributes, at any depth
 * @param opTypes node count per operator, keyed {@code Op} for the default domain and
 *     {@code domain:Op} otherwise
 * @param opsets opset version per domain ({@code ""} is the default ONNX domain)
 * @param parameterCount elements in initializers and Constant-node tensors
 * @param parameterBytes stored bytes of those tensors, all types together
 * @param parametersByType element count and bytes per element type
 */
public record ModelFacts(
        long irVersion,
        String producerName,
        String producerVersion,
        String domain,
        long modelVersion,
        SortedMap<String, Long> opsets,
        List<ValueInfo> inputs,
        List<ValueInfo> outputs,
        long fileBytes,
        long externalDataBytes,
        int nodeCount,
        int mainGraphNodeCount,
        int subgraphCount,
        SortedMap<String, Integer> opTypes,
        long initializerCount,
        long constantNodeCount,
        long parameterCount,
        long parameterBytes,
        SortedMap<String, ParameterStats> parametersByType,
        Map<String, String> metadata) {

    /** Elements and bytes of one element type. */
    public record ParameterStats(long count, long bytes) {}

    public ModelFacts {
        Objects.requireNonNull(producerName);
        Objects.requireNonNull(producerVersion);
        Objects.requireNonNull(domain);
        opsets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(opsets));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        opTypes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(opTypes));
        parametersByType = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(parametersByType));
        metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    }
}
