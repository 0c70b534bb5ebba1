package dev.satchel.testing;

import com.google.protobuf.ByteString;
import dev.satchel.model.DataType;
import dev.satchel.model.onnx.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small ONNX models built in code, for tests that need a model with a particular property
 * (a cycle, a dangling input, external data, a Constant-node weight, an If subgraph).
 * Deterministic: the same call gives the same bytes.
 */
public final class TinyModels {
    private TinyModels() {}

    public static Onnx.OperatorSetIdProto opset(long v) {
        return Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(v).build();
    }

    public static Onnx.ModelProto model(Onnx.GraphProto g, long opset) {
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("satchel-tests").setProducerVersion("1")
                .addOpsetImport(opset(opset)).setGraph(g).build();
    }

    public static Onnx.ValueInfoProto tensor(String name, DataType t, Object... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            Onnx.TensorShapeProto.Dimension.Builder db = Onnx.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number) {
                db.setDimValue(((Number) d).longValue());
            } else {
                db.setDimParam(d.toString());
            }
            s.addDim(db);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(t.code()).setShape(s))).build();
    }

    public static Onnx.NodeProto node(String op, List<String> in, List<String> out, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder b = Onnx.NodeProto.newBuilder().setOpType(op).setName(op + "_" + out.get(0))
                .addAllInput(in).addAllOutput(out);
        for (Onnx.AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    public static Onnx.AttributeProto intAttr(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static Onnx.AttributeProto tensorAttr(String name, Onnx.TensorProto t) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    public static Onnx.AttributeProto graphAttr(String name, Onnx.GraphProto g) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(g).build();
    }

    /** A float32 tensor of seeded random values in [-1, 1). */
    public static Onnx.TensorProto randomFloats(String name, long seed, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        ByteBuffer b = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < n; i++) {
            b.putFloat((float) (r.nextDouble() * 2 - 1));
        }
        b.flip();
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.code())
                .setRawData(ByteString.copyFrom(b));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    public static Onnx.TensorProto int64s(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        b.flip();
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(DataType.INT64.code()).addDims(values.length)
                .setRawData(ByteString.copyFrom(b)).build();
    }

    /**
     * y = Relu(x @ W1 + b1) @ W2 + b2, with x float32[batch, 16]; W1 is an initializer and W2 a
     * Constant node, so both ways of storing weights are covered.
     */
    public static Onnx.ModelProto mlp() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("mlp")
                .addInput(tensor("x", DataType.FLOAT, "batch", 16))
                .addOutput(tensor("y", DataType.FLOAT, "batch", 4))
                .addInitializer(randomFloats("W1", 1, 16, 32))
                .addInitializer(randomFloats("b1", 2, 32))
                .addInitializer(randomFloats("b2", 3, 4))
                .addNode(node("Constant", List.of(), List.of("W2"), tensorAttr("value", randomFloats("W2v", 4, 32, 4))))
                .addNode(node("MatMul", List.of("x", "W1"), List.of("h0")))
                .addNode(node("Add", List.of("h0", "b1"), List.of("h1")))
                .addNode(node("Relu", List.of("h1"), List.of("h2")))
                .addNode(node("MatMul", List.of("h2", "W2"), List.of("h3")))
                .addNode(node("Add", List.of("h3", "b2"), List.of("y")))
                .build();
        return model(g, 13);
    }

    /** A model whose two nodes feed each other. */
    public static Onnx.ModelProto cycle() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("cyclic")
                .addInput(tensor("x", DataType.FLOAT, 4))
                .addOutput(tensor("b", DataType.FLOAT, 4))
                .addNode(node("Add", List.of("x", "b"), List.of("a")))
                .addNode(node("Relu", List.of("a"), List.of("b")))
                .build();
        return model(g, 13);
    }

    /** A node consuming a value nothing produces. */
    public static Onnx.ModelProto dangling() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("dangling")
                .addInput(tensor("x", DataType.FLOAT, 4))
                .addOutput(tensor("y", DataType.FLOAT, 4))
                .addNode(node("Add", List.of("x", "ghost"), List.of("y")))
                .build();
        return model(g, 13);
    }

    /**
     * One initializer W (float32[4]) stored externally at {@code location}, offset and length as
     * given; y = x + W.
     */
    public static Onnx.ModelProto externalWeight(String location, long offset, long length) {
        Onnx.TensorProto w = Onnx.TensorProto.newBuilder().setName("W").setDataType(DataType.FLOAT.code()).addDims(4)
                .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Long.toString(length)))
                .build();
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("external")
                .addInput(tensor("x", DataType.FLOAT, 4))
                .addOutput(tensor("y", DataType.FLOAT, 4))
                .addInitializer(w)
                .addNode(node("Add", List.of("x", "W"), List.of("y")))
                .build();
        return model(g, 13);
    }

    /**
     * An If whose branches hold a Constant weight each: y = cond ? x * Wt : x + We.
     */
    public static Onnx.ModelProto ifWithConstants() {
        Onnx.GraphProto thenG = Onnx.GraphProto.newBuilder().setName("then")
                .addOutput(tensor("t_out", DataType.FLOAT, "n", 8))
                .addNode(node("Constant", List.of(), List.of("Wt"), tensorAttr("value", randomFloats("Wt", 7, 8))))
                .addNode(node("Mul", List.of("x", "Wt"), List.of("t_out")))
                .build();
        Onnx.GraphProto elseG = Onnx.GraphProto.newBuilder().setName("else")
                .addOutput(tensor("e_out", DataType.FLOAT, "n", 8))
                .addNode(node("Constant", List.of(), List.of("We"), tensorAttr("value", randomFloats("We", 8, 8))))
                .addNode(node("Add", List.of("x", "We"), List.of("e_out")))
                .build();
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("branchy")
                .addInput(tensor("x", DataType.FLOAT, "n", 8))
                .addInput(tensor("cond", DataType.BOOL))
                .addOutput(tensor("y", DataType.FLOAT, "n", 8))
                .addNode(node("If", List.of("cond"), List.of("y"), graphAttr("then_branch", thenG), graphAttr("else_branch", elseG)))
                .build();
        return model(g, 13);
    }

    public static Onnx.StringStringEntryProto entry(String k, String v) {
        return Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }
}
