package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.testing.Python;
import dev.satchel.testing.RealModels;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * `satchel inspect --format json` on each real model against an independent count by
 * python3-onnx: node counts, op-type counts, opsets and parameter bytes.
 */
class InspectRealModelsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(ExampleModel.class)
    void inspectJson_realModel_matchesPythonOnnx(ExampleModel m) throws Exception {
        Path path = RealModels.path(m);
        JsonNode oracle = JSON.readTree(Python.onnxFacts(path, false));

        CliRunner.Result r = CliRunner.run("inspect", path.toString(), "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode ours = JSON.readTree(r.out());

        assertEquals(oracle.get("nodes").asInt(), ours.at("/nodes/total").asInt(), "nodes");
        assertEquals(oracle.get("subgraphs").asInt(), ours.at("/nodes/subgraphs").asInt(), "subgraphs");
        assertEquals(oracle.get("opTypes"), ours.get("opTypes"), "op types");
        assertEquals(oracle.get("opsets"), ours.get("opsets"), "opsets");
        assertEquals(oracle.get("parameterBytes").asLong(), ours.at("/parameters/bytes").asLong(), "parameter bytes");
        assertEquals(oracle.get("parameterCount").asLong(), ours.at("/parameters/count").asLong(), "parameter count");
        assertEquals(oracle.get("byType"), ours.at("/parameters/byType"), "parameters by type");
        assertEquals(oracle.get("irVersion").asLong(), ours.get("irVersion").asLong());
    }
}
