package dev.satchel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.Python;
import dev.satchel.testing.RealModels;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Graph facts of real models against python3-onnx as an independent oracle. */
class RealModelFactsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(ExampleModel.class)
    void facts_realModel_matchPythonOnnx(ExampleModel example) throws Exception {
        Path path = RealModels.path(example);
        JsonNode oracle = JSON.readTree(Python.onnxFacts(path, false));

        ModelFacts f = ModelReader.read(path).facts();

        assertEquals(oracle.get("nodes").asInt(), f.nodeCount(), "node count incl. subgraphs");
        assertEquals(oracle.get("subgraphs").asInt(), f.subgraphCount(), "subgraph count");
        Map<String, Integer> ops = new TreeMap<>();
        oracle.get("opTypes").fields().forEachRemaining(e -> ops.put(e.getKey(), e.getValue().asInt()));
        assertEquals(ops, f.opTypes(), "op-type histogram");
        Map<String, Long> opsets = new TreeMap<>();
        oracle.get("opsets").fields().forEachRemaining(e -> opsets.put(e.getKey(), e.getValue().asLong()));
        assertEquals(opsets, f.opsets(), "opsets");
        assertEquals(oracle.get("irVersion").asLong(), f.irVersion());
        assertEquals(oracle.get("parameterCount").asLong(), f.parameterCount(), "parameter count");
        assertEquals(oracle.get("parameterBytes").asLong(), f.parameterBytes(), "parameter bytes");
        oracle.get("byType").fields().forEachRemaining(e -> {
            ModelFacts.ParameterStats s = f.parametersByType().get(e.getKey());
            assertEquals(e.getValue().get("count").asLong(), s.count(), e.getKey() + " count");
            assertEquals(e.getValue().get("bytes").asLong(), s.bytes(), e.getKey() + " bytes");
        });
        assertEquals(oracle.get("inputs").size(), f.inputs().size());
        for (int i = 0; i < f.inputs().size(); i++) {
            assertEquals(oracle.get("inputs").get(i).asText(), f.inputs().get(i).name());
        }
    }

    @ParameterizedTest
    @EnumSource(value = ExampleModel.class, names = {"MINILM", "PPOCR_DET"})
    void read_largeWeights_areViewsIntoTheMapNotHeapCopies(ExampleModel example) throws Exception {
        OnnxModel m = ModelReader.read(RealModels.path(example));
        long direct = 0;
        long total = 0;
        for (Onnx.TensorProto t : m.proto().getGraph().getInitializerList()) {
            if (t.getRawData().size() >= 4096) {
                total++;
                if (t.getRawData().asReadOnlyByteBuffer().isDirect()) {
                    direct++;
                }
            }
        }
        for (Onnx.NodeProto n : m.proto().getGraph().getNodeList()) {
            for (Onnx.AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && a.getT().getRawData().size() >= 4096) {
                    total++;
                    if (a.getT().getRawData().asReadOnlyByteBuffer().isDirect()) {
                        direct++;
                    }
                }
            }
        }
        assertTrue(total > 10, "the model has large tensors");
        assertEquals(total, direct, "every large tensor's raw_data aliases the memory map");
    }
}
