package dev.satchel.devices.check;

import static dev.satchel.testing.TinyModels.entry;
import static dev.satchel.testing.TinyModels.int64s;
import static dev.satchel.testing.TinyModels.intAttr;
import static dev.satchel.testing.TinyModels.node;
import static dev.satchel.testing.TinyModels.randomFloats;
import static dev.satchel.testing.TinyModels.tensor;

import com.google.protobuf.ByteString;
import dev.satchel.model.DataType;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.onnx.Onnx;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small models for checker tests, built with the generated ONNX protobuf classes. */
final class Models {
    private Models() {}

    static Onnx.ModelProto model(Onnx.GraphProto g, long opset) {
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("satchel-tests").setProducerVersion("1")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }

    static OnnxModel load(Onnx.ModelProto proto, Path dir) throws IOException {
        Path f = dir.resolve("m.onnx");
        Files.write(f, proto.toByteArray());
        return dev.satchel.model.ModelReader.read(f);
    }

    /** y = x[1,16] @ W[16,32] + b: one fp32 MatMul of 512 MACs. */
    static Onnx.ModelProto fp32MatMul(Object batch) {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("fp32")
                .addInput(tensor("x", DataType.FLOAT, batch, 16))
                .addOutput(tensor("y", DataType.FLOAT, batch, 32))
                .addInitializer(randomFloats("W", 1, 16, 32))
                .addInitializer(randomFloats("b", 2, 32))
                .addNode(named(node("MatMul", List.of("x", "W"), List.of("h")), "matmul"))
                .addNode(named(node("Add", List.of("h", "b"), List.of("y")), "bias"))
                .build();
        return model(g, 13);
    }

    /**
     * The same MatMul in QDQ form: x is quantized and dequantized (uint8), W is stored as uint8 with a
     * DequantizeLinear, and the output is re-quantized. This is what a static int8 quantizer emits.
     */
    static Onnx.ModelProto qdqMatMul() {
        return qdqMatMul(DataType.UINT8);
    }

    /** As {@link #qdqMatMul()} with the weight stored as {@code weightType} (uint8 or int8). */
    static Onnx.ModelProto qdqMatMul(DataType weightType) {
        Onnx.TensorProto wq = Onnx.TensorProto.newBuilder().setName("W_q").setDataType(weightType.code())
                .addDims(16).addDims(32).setRawData(ByteString.copyFrom(new byte[16 * 32])).build();
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("qdq")
                .addInput(tensor("x", DataType.FLOAT, 1, 16))
                .addOutput(tensor("y", DataType.FLOAT, 1, 32))
                .addInitializer(wq)
                .addInitializer(scalar("s", 0.02f))
                .addInitializer(zeroPoint("z"))
                .addNode(named(node("QuantizeLinear", List.of("x", "s", "z"), List.of("x_q")), "q_x"))
                .addNode(named(node("DequantizeLinear", List.of("x_q", "s", "z"), List.of("x_dq")), "dq_x"))
                .addInitializer(weightType == DataType.UINT8 ? zeroPoint("zw") : Onnx.TensorProto.newBuilder().setName("zw")
                        .setDataType(DataType.INT8.code()).setRawData(ByteString.copyFrom(new byte[] {0})).build())
                .addNode(named(node("DequantizeLinear", List.of("W_q", "s", "zw"), List.of("W_dq")), "dq_w"))
                .addNode(named(node("MatMul", List.of("x_dq", "W_dq"), List.of("h")), "matmul"))
                .addNode(named(node("QuantizeLinear", List.of("h", "s", "z"), List.of("h_q")), "q_h"))
                .addNode(named(node("DequantizeLinear", List.of("h_q", "s", "z"), List.of("y")), "dq_h"))
                .build();
        return model(g, 13);
    }

    /** y = ReduceSum(x[1,8,4], axes=[2]) (opset 13: axes is an input). */
    static Onnx.ModelProto reduceSum() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("reduce")
                .addInput(tensor("x", DataType.FLOAT, 1, 8, 4))
                .addOutput(tensor("y", DataType.FLOAT, 1, 8, 1))
                .addInitializer(int64s("axes", 2))
                .addNode(named(node("ReduceSum", List.of("x", "axes"), List.of("y")), "reduce"))
                .build();
        return model(g, 13);
    }

    /** y = Transpose(x[2,3,4], perm=[2,1,0]) at the given opset. */
    static Onnx.ModelProto transpose(long opset) {
        Onnx.AttributeProto perm = Onnx.AttributeProto.newBuilder().setName("perm")
                .setType(Onnx.AttributeProto.AttributeType.INTS).addInts(2).addInts(1).addInts(0).build();
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("transpose")
                .addInput(tensor("x", DataType.FLOAT, 2, 3, 4))
                .addOutput(tensor("y", DataType.FLOAT, 4, 3, 2))
                .addNode(named(node("Transpose", List.of("x"), List.of("y"), perm), "transpose"))
                .build();
        return model(g, opset);
    }

    /** Relu -> Erf -> Relu on x[1,8]: CoreML NeuralNetwork has no Erf, so two partitions. */
    static Onnx.ModelProto reluErfRelu() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("split")
                .addInput(tensor("x", DataType.FLOAT, 1, 8))
                .addOutput(tensor("y", DataType.FLOAT, 1, 8))
                .addNode(named(node("Relu", List.of("x"), List.of("a")), "relu1"))
                .addNode(named(node("Erf", List.of("a"), List.of("b")), "erf"))
                .addNode(named(node("Relu", List.of("b"), List.of("y")), "relu2"))
                .build();
        return model(g, 13);
    }

    /**
     * An embedding-style model whose two tables (2 x 1 GiB, float32[4194304, 64]) live in a sparse
     * external file: 2 GiB of weights without using 2 GiB of disk or heap.
     */
    static Onnx.ModelProto twoGigabyteEmbeddings(Path dir) throws IOException {
        long rows = 4_194_304L;
        long bytes = rows * 64 * 4;
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("weights.bin").toFile(), "rw")) {
            f.setLength(2 * bytes);
        }
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("big")
                .addInput(tensor("ids", DataType.INT64, 1, 16))
                .addOutput(tensor("y", DataType.FLOAT, 1, 16, 64))
                .addInitializer(external("E1", rows, 0, bytes))
                .addInitializer(external("E2", rows, bytes, bytes))
                .addNode(named(node("Gather", List.of("E1", "ids"), List.of("a")), "gather1"))
                .addNode(named(node("Gather", List.of("E2", "ids"), List.of("b")), "gather2"))
                .addNode(named(node("Add", List.of("a", "b"), List.of("y")), "add"))
                .build();
        return model(g, 13);
    }

    /**
     * A decoder step: past_key_values.0.key [1, 4, past_sequence_length, 8] concatenated with the new
     * key [1, 4, 1, 8] gives present.0.key.
     */
    static Onnx.ModelProto decoderStep() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("decoder")
                .addInput(tensor("past_key_values.0.key", DataType.FLOAT, 1, 4, "past_sequence_length", 8))
                .addInput(tensor("k", DataType.FLOAT, 1, 4, 1, 8))
                .addOutput(tensor("present.0.key", DataType.FLOAT, 1, 4, "total_sequence_length", 8))
                .addNode(named(node("Concat", List.of("past_key_values.0.key", "k"), List.of("present.0.key"),
                        intAttr("axis", 2)), "concat"))
                .build();
        return model(g, 13);
    }

    /** One node in a custom domain. */
    static Onnx.ModelProto customOp() {
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("custom")
                .addInput(tensor("x", DataType.FLOAT, 1, 8))
                .addOutput(tensor("y", DataType.FLOAT, 1, 8))
                .addNode(node("Frobnicate", List.of("x"), List.of("y")).toBuilder().setDomain("com.example.ops"))
                .build();
        return model(g, 13).toBuilder()
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("com.example.ops").setVersion(1)).build();
    }

    private static Onnx.TensorProto external(String name, long rows, long offset, long length) {
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.code()).addDims(rows).addDims(64)
                .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", "weights.bin"))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Long.toString(length))).build();
    }

    private static Onnx.TensorProto scalar(String name, float v) {
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.code()).addFloatData(v).build();
    }

    private static Onnx.TensorProto zeroPoint(String name) {
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(DataType.UINT8.code())
                .setRawData(ByteString.copyFrom(new byte[] {(byte) 128})).build();
    }

    private static Onnx.NodeProto named(Onnx.NodeProto n, String name) {
        return n.toBuilder().setName(name).build();
    }
}
