package dev.satchel.cli;

import dev.satchel.model.DataType;
import dev.satchel.model.onnx.Onnx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Hidden: exercises the common command paths once so that the launcher can record the classes
 * they load into a class-data-sharing archive (see ./satchel). Writes only to a temporary folder.
 */
@Command(name = "__cds-training", hidden = true, description = "Internal: warm-up run for the launcher's class-data archive.")
final class CdsTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("satchel-cds");
        try {
            Path model = dir.resolve("warmup.onnx");
            Files.write(model, warmupModel().toByteArray());
            Path encoder = dir.resolve("warmup-encoder.onnx");
            Files.write(encoder, encoderModel().toByteArray());
            StringWriter sink = new StringWriter();
            PrintWriter w = new PrintWriter(sink);
            for (String[] args : new String[][] {
                {"inspect", model.toString()},
                {"inspect", model.toString(), "--format", "json", "--dim", "n=2"},
                {"check", model.toString(), "--all", "--dim", "n=2"},
                {"check", model.toString(), "--device", "google-pixel-8", "--format", "json", "--dim", "n=2"},
                {"check", encoder.toString(), "--all"},
                {"check", encoder.toString(), "--all", "--dim", "batch_size=1", "--dim", "sequence_length=8",
                    "--format", "json"},
                {"quantize", quantizeModel(dir).toString(), "-o", dir.resolve("warmup-int8.onnx").toString(), "--mode", "int8",
                    "--no-eval", "--min-weight-size", "0"},
                {"--help"},
                {"--version"},
            }) {
                CommandLine cli = new CommandLine(new SatchelCommand());
                Main.registerSubcommands(cli, args);
                cli.setOut(w);
                cli.setErr(w);
                cli.execute(args);
            }
            return 0;
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * A model with an embedding table (Gather) and a MatMul, so that an int8 quantize run loads the
     * rewrite and write path (and its lambdas) that a real model takes.
     */
    private static Path quantizeModel(Path dir) throws java.io.IOException {
        Onnx.TypeProto.Tensor.Builder ids = Onnx.TypeProto.Tensor.newBuilder().setElemType(DataType.INT64.code())
                .setShape(Onnx.TensorShapeProto.newBuilder().addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(4)));
        Onnx.TypeProto.Tensor.Builder y = Onnx.TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.code())
                .setShape(Onnx.TensorShapeProto.newBuilder().addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(4))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(512)));
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("warmup-quantize")
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("ids").setType(Onnx.TypeProto.newBuilder().setTensorType(ids)))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("y").setType(Onnx.TypeProto.newBuilder().setTensorType(y)))
                // Large enough (128K floats each) for the rewrite to split them across cores.
                .addInitializer(floats("table", 512, 256))
                .addInitializer(floats("w", 256, 512))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Gather").setName("embed").addInput("table").addInput("ids").addOutput("e"))
                .addNode(Onnx.NodeProto.newBuilder().setOpType("MatMul").setName("proj").addInput("e").addInput("w").addOutput("y"))
                .build();
        Path model = dir.resolve("warmup-quantize.onnx");
        Files.write(model, Onnx.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build().toByteArray());
        return model;
    }

    /** A float32 [rows, cols] initializer in raw_data, as exporters write weights. */
    private static Onnx.TensorProto floats(String name, int rows, int cols) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * rows * cols).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * cols; i++) {
            b.putFloat(i * 4, (i % 17) * 0.1f - 0.8f);
        }
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT.code()).addDims(rows).addDims(cols)
                .setRawData(com.google.protobuf.ByteString.copyFrom(b.array())).build();
    }

    /**
     * A miniature transformer encoder layer with the operator types of an exported BERT-style model
     * (embedding Gather, layer norm spelled out, MatMul, Erf, the Shape-Gather-Unsqueeze-Concat-
     * Reshape chain that constant folding removes, Transpose, Softmax, Cast, Slice) and symbolic
     * batch and sequence dims, so that {@code check} runs shape inference, folding, every EP
     * placement path and the finding texts as on a real model.
     */
    private static Onnx.ModelProto encoderModel() {
        Onnx.TypeProto ids = tensorType(DataType.INT64, "batch_size", "sequence_length");
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("warmup-encoder")
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("input_ids").setType(ids))
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("attention_mask").setType(ids))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("out")
                        .setType(tensorType(DataType.FLOAT, "batch_size", "2", "sequence_length", "1")))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("mask")
                        .setType(tensorType(DataType.FLOAT, "batch_size", "sequence_length")))
                .addInitializer(floats("emb", 32, 8))
                .addInitializer(floats("w", 8, 8))
                .addInitializer(floats("gamma", 1, 8).toBuilder().clearDims().addDims(8));
        constant(g, "two", Onnx.TensorProto.newBuilder().setDataType(DataType.FLOAT.code()).addFloatData(2f));
        constant(g, "eps", Onnx.TensorProto.newBuilder().setDataType(DataType.FLOAT.code()).addFloatData(1e-12f));
        constant(g, "zero", Onnx.TensorProto.newBuilder().setDataType(DataType.INT64.code()).addInt64Data(0));
        constant(g, "rest", longs(-1, 2, 4));
        constant(g, "starts", longs(0));
        constant(g, "ends", longs(1));
        constant(g, "axes", longs(3));
        node(g, "Gather", "embed", new String[] {"emb", "input_ids"}, "e");
        node(g, "ReduceMean", "mean", new String[] {"e"}, "mu", ints("axes", -1));
        node(g, "Sub", "centre", new String[] {"e", "mu"}, "d");
        node(g, "Pow", "square", new String[] {"d", "two"}, "d2");
        node(g, "ReduceMean", "variance", new String[] {"d2"}, "var", ints("axes", -1));
        node(g, "Add", "add_eps", new String[] {"var", "eps"}, "ve");
        node(g, "Sqrt", "sqrt", new String[] {"ve"}, "sd");
        node(g, "Div", "normalise", new String[] {"d", "sd"}, "nrm");
        node(g, "Mul", "scale", new String[] {"nrm", "gamma"}, "g1");
        node(g, "MatMul", "dense", new String[] {"g1", "w"}, "h");
        node(g, "Erf", "gelu_erf", new String[] {"h"}, "er");
        node(g, "Shape", "shape", new String[] {"h"}, "sh");
        node(g, "Gather", "batch", new String[] {"sh", "zero"}, "b0", Onnx.AttributeProto.newBuilder().setName("axis")
                .setType(Onnx.AttributeProto.AttributeType.INT).setI(0).build());
        node(g, "Unsqueeze", "batch_1d", new String[] {"b0"}, "b1", ints("axes", 0));
        node(g, "Concat", "heads_shape", new String[] {"b1", "rest"}, "hs", Onnx.AttributeProto.newBuilder()
                .setName("axis").setType(Onnx.AttributeProto.AttributeType.INT).setI(0).build());
        node(g, "Reshape", "split_heads", new String[] {"er", "hs"}, "r");
        node(g, "Transpose", "heads_first", new String[] {"r"}, "tr", ints("perm", 0, 2, 1, 3));
        node(g, "Softmax", "softmax", new String[] {"tr"}, "sm", Onnx.AttributeProto.newBuilder().setName("axis")
                .setType(Onnx.AttributeProto.AttributeType.INT).setI(-1).build());
        node(g, "Slice", "first", new String[] {"sm", "starts", "ends", "axes"}, "out");
        node(g, "Cast", "mask_float", new String[] {"attention_mask"}, "mask", Onnx.AttributeProto.newBuilder()
                .setName("to").setType(Onnx.AttributeProto.AttributeType.INT).setI(DataType.FLOAT.code()).build());
        return Onnx.ModelProto.newBuilder().setIrVersion(6).setProducerName("satchel-warmup")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(11)).setGraph(g).build();
    }

    private static Onnx.TypeProto tensorType(DataType type, String... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (String d : dims) {
            shape.addDim(Character.isDigit(d.charAt(0))
                    ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(Long.parseLong(d))
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(d));
        }
        return Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(type.code()).setShape(shape)).build();
    }

    private static Onnx.TensorProto.Builder longs(long... values) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setDataType(DataType.INT64.code()).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t;
    }

    private static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static void constant(Onnx.GraphProto.Builder g, String name, Onnx.TensorProto.Builder value) {
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("Constant").setName(name + "_const").addOutput(name)
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("value")
                        .setType(Onnx.AttributeProto.AttributeType.TENSOR).setT(value)));
    }

    private static void node(Onnx.GraphProto.Builder g, String op, String name, String[] inputs, String output,
            Onnx.AttributeProto... attributes) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (Onnx.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        g.addNode(n);
    }

    private static Onnx.ModelProto warmupModel() {
        Onnx.TypeProto.Tensor.Builder t = Onnx.TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.code())
                .setShape(Onnx.TensorShapeProto.newBuilder()
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("n"))
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(4)));
        Onnx.ValueInfoProto x = Onnx.ValueInfoProto.newBuilder().setName("x").setType(Onnx.TypeProto.newBuilder().setTensorType(t)).build();
        Onnx.ValueInfoProto y = x.toBuilder().setName("y").build();
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("warmup").addInput(x).addOutput(y)
                .addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y"))
                .build();
        return Onnx.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
    }
}
