package dev.satchel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import dev.satchel.model.onnx.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules of the shape engine on graphs small enough to reason about by hand. */
class ShapeInferenceTest {
    private static Onnx.ValueInfoProto input(String name, DataType t, Object... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            s.addDim(d instanceof Number
                    ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue())
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(d.toString()));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(t.code()).setShape(s))).build();
    }

    private static Onnx.TensorProto int64s(String name, long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(DataType.INT64.code()).addDims(v.length)
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static Onnx.NodeProto node(String op, List<String> in, String out, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder b = Onnx.NodeProto.newBuilder().setOpType(op).addAllInput(in).addOutput(out);
        for (Onnx.AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    private static Onnx.AttributeProto ints(String name, long... v) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static ShapeResult infer(Onnx.GraphProto.Builder g, long opset, Map<String, Long> dims) throws ModelException {
        Onnx.ModelProto m = Onnx.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g.setName("t")).build();
        return ShapeInference.infer(OnnxModel.of(m, Path.of(".")), dims);
    }

    @Test
    void reshape_minusOneWithSymbols_cancelsSymbolicFactors() throws Exception {
        // [b, s, 384] -> [0, 0, 12, -1]  gives [b, s, 12, 32]
        ShapeResult r = infer(Onnx.GraphProto.newBuilder()
                .addInput(input("x", DataType.FLOAT, "b", "s", 384))
                .addInitializer(int64s("shape", 0, 0, 12, -1))
                .addNode(node("Reshape", List.of("x", "shape"), "y")), 13, Map.of());
        assertEquals("float32[b,s,12,32]", r.type("y").toString());
    }

    @Test
    void shapeArithmetic_shapeGatherConcat_feedsReshape() throws Exception {
        // y = Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1]))  ==  [b, s*384]
        ShapeResult r = infer(Onnx.GraphProto.newBuilder()
                .addInput(input("x", DataType.FLOAT, "b", "s", 384))
                .addInitializer(int64s("zero", 0).toBuilder().clearDims().build())
                .addInitializer(int64s("axes", 0))
                .addInitializer(int64s("minus1", -1))
                .addNode(node("Shape", List.of("x"), "shp"))
                .addNode(node("Gather", List.of("shp", "zero"), "b0"))
                .addNode(node("Unsqueeze", List.of("b0", "axes"), "b1"))
                .addNode(node("Concat", List.of("b1", "minus1"), "target",
                        Onnx.AttributeProto.newBuilder().setName("axis").setI(0).build()))
                .addNode(node("Reshape", List.of("x", "target"), "y")), 13, Map.of());
        assertEquals("float32[b,384*s]", r.type("y").toString());
        ShapeResult bound = infer(Onnx.GraphProto.newBuilder()
                .addInput(input("x", DataType.FLOAT, "b", "s", 384))
                .addInitializer(int64s("zero", 0).toBuilder().clearDims().build())
                .addInitializer(int64s("axes", 0))
                .addInitializer(int64s("minus1", -1))
                .addNode(node("Shape", List.of("x"), "shp"))
                .addNode(node("Gather", List.of("shp", "zero"), "b0"))
                .addNode(node("Unsqueeze", List.of("b0", "axes"), "b1"))
                .addNode(node("Concat", List.of("b1", "minus1"), "target",
                        Onnx.AttributeProto.newBuilder().setName("axis").setI(0).build()))
                .addNode(node("Reshape", List.of("x", "target"), "y")), 13, Map.of("b", 2L, "s", 10L));
        assertEquals("float32[2,3840]", bound.type("y").toString());
    }

    @Test
    void conv_stridedWithPads_matchesFormula() throws Exception {
        // 224x224, kernel 3, stride 2, pads 1: floor((224 + 2 - 3) / 2) + 1 = 112
        ShapeResult r = infer(Onnx.GraphProto.newBuilder()
                .addInput(input("x", DataType.FLOAT, 1, 3, 224, 224))
                .addInput(input("w", DataType.FLOAT, 16, 3, 3, 3))
                .addNode(node("Conv", List.of("x", "w"), "y", ints("strides", 2, 2), ints("pads", 1, 1, 1, 1))), 13, Map.of());
        assertEquals("float32[1,16,112,112]", r.type("y").toString());
    }

    @Test
    void broadcast_symbolicAgainstKnown_takesKnownSize() throws Exception {
        ShapeResult r = infer(Onnx.GraphProto.newBuilder()
                .addInput(input("a", DataType.FLOAT, "n", 1))
                .addInput(input("b", DataType.FLOAT, 5))
                .addNode(node("Add", List.of("a", "b"), "y")), 13, Map.of());
        assertEquals("float32[n,5]", r.type("y").toString());
    }

    @Test
    void squeezeOpset13_axesFromRuntimeInput_isUnknownNotGuessed() throws Exception {
        ShapeResult r = infer(Onnx.GraphProto.newBuilder()
                .addInput(input("x", DataType.FLOAT, 1, 4, 1))
                .addInput(input("axes", DataType.INT64, 1))
                .addNode(node("Squeeze", List.of("x", "axes"), "y")), 13, Map.of());
        assertFalse(r.type("y").hasRank());
    }

    @Test
    void dim_arithmetic_symbolsAndNumbers() {
        assertEquals(Dim.of(12), Dim.of(3).times(Dim.of(4)));
        assertEquals("s", Dim.of(1).times(Dim.symbol("s")).toString());
        assertEquals("b*s", Dim.symbol("b").times(Dim.symbol("s")).toString());
        assertEquals("?", Dim.unknown().times(Dim.symbol("s")).toString());
        assertEquals(Dim.of(0), Dim.of(0).times(Dim.symbol("s")));
    }
}
