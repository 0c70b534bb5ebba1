package dev.satchel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.model.examples.ExampleModel;
import dev.satchel.model.internal.Protos;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.Ort;
import dev.satchel.testing.RealModels;
import dev.satchel.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shape inference against what ONNX Runtime actually computes: every intermediate value of the
 * main graph is exposed as an extra graph output, the model runs, and each actual shape must equal
 * the inferred one.
 */
class ShapeInferenceIT {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(ExampleModel.class)
    void infer_realModel_matchesOrtIntermediateShapes(ExampleModel m) throws Exception {
        OnnxModel model = ModelReader.read(RealModels.path(m));
        Map<String, Long> dims = RealModels.defaultDims(m);
        ShapeResult shapes = ShapeInference.infer(model, dims);
        assertTrue(shapes.unsupportedOps().isEmpty(), "no op without a rule: " + shapes.unsupportedOps());

        Onnx.GraphProto g = model.proto().getGraph();
        Set<String> already = new HashSet<>();
        g.getOutputList().forEach(o -> already.add(o.getName()));
        Onnx.GraphProto.Builder gb = g.toBuilder();
        List<String> checked = new ArrayList<>(already);
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                if (o.isEmpty() || already.contains(o)) {
                    continue;
                }
                TensorType t = shapes.type(o);
                assertTrue(t != null && t.elementType() != null, "dtype inferred for " + o);
                gb.addOutput(Onnx.ValueInfoProto.newBuilder().setName(o).setType(Onnx.TypeProto.newBuilder()
                        .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(t.elementType().code()))));
                checked.add(o);
                already.add(o);
            }
        }
        OnnxModel exposed = model.withProto(model.proto().toBuilder().setGraph(gb).build());
        Path file = tmp.resolve("exposed.onnx");
        ModelWriter.write(exposed, file, WriteOptions.preserveLayout());
        Map<String, Ort.Tensor> actual = Ort.run(file, RoundTripIT.inputsFor(m, model));

        List<String> wrong = new ArrayList<>();
        for (String name : checked) {
            Ort.Tensor a = actual.get(name);
            TensorType t = shapes.type(name);
            long[] inferred = t.isFullyKnown() ? t.shape().stream().mapToLong(Dim::value).toArray() : null;
            if (a == null || inferred == null || !Arrays.equals(inferred, a.shape()) || t.elementType() != a.type()) {
                wrong.add(name + ": inferred " + t + ", ONNX Runtime " + a);
            }
        }
        assertEquals(List.of(), wrong.subList(0, Math.min(wrong.size(), 15)), wrong.size() + " of " + checked.size() + " values differ");
    }

    @Test
    void infer_symbolicDims_flowThroughReshapeChains() throws Exception {
        OnnxModel model = ModelReader.read(RealModels.path(ExampleModel.MINILM));
        ShapeResult unbound = ShapeInference.infer(model, Map.of());
        TensorType out = unbound.type("last_hidden_state");
        assertEquals("float32[batch_size,sequence_length,384]", out.toString());
        ShapeResult bound = ShapeInference.infer(model, Map.of("batch_size", 2L, "sequence_length", 7L));
        assertEquals("float32[2,7,384]", bound.type("last_hidden_state").toString());
    }

    @Test
    void infer_unsupportedOp_isUnknownNotGuessed() throws Exception {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("g")
                .addInput(TinyModels.tensor("x", DataType.FLOAT, 3, 4))
                .addOutput(TinyModels.tensor("y", DataType.FLOAT, 3, 4))
                .addNode(TinyModels.node("Einsum", List.of("x"), List.of("e"),
                        Onnx.AttributeProto.newBuilder().setName("equation").setS(com.google.protobuf.ByteString.copyFromUtf8("ij->ji")).build()))
                .addNode(TinyModels.node("Relu", List.of("e"), List.of("y")))
                .build();
        ShapeResult r = ShapeInference.infer(OnnxModel.of(TinyModels.model(g, 13), tmp), Map.of());
        assertEquals(Set.of("Einsum"), r.unsupportedOps());
        assertTrue(!r.type("e").hasRank(), "no rank invented for an op without a rule");
    }

    @Test
    void infer_ifBranches_inferredInsideSubgraphs() throws Exception {
        ShapeResult r = ShapeInference.infer(OnnxModel.of(TinyModels.ifWithConstants(), tmp), Map.of("n", 5L));
        assertEquals("float32[5,8]", r.type("y").toString());
        assertEquals("float32[5,8]", r.type("t_out").toString());
    }

    static String describe(Onnx.NodeProto n) {
        return Protos.describe(n, 0);
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
