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
            StringWriter sink = new StringWriter();
            PrintWriter w = new PrintWriter(sink);
            for (String[] args : new String[][] {
                {"inspect", model.toString()},
                {"inspect", model.toString(), "--format", "json", "--dim", "n=2"},
                {"check", model.toString(), "--all", "--dim", "n=2"},
                {"check", model.toString(), "--device", "google-pixel-8", "--format", "json", "--dim", "n=2"},
                {"quantize", quantizeModel(dir).toString(), "-o", dir.resolve("warmup-int8.onnx").toString(), "--mode", "int8",
                    "--no-eval", "--min-weight-size", "0"},
                {"--help"},
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
                        .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(32)));
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("warmup-quantize")
                .addInput(Onnx.ValueInfoProto.newBuilder().setName("ids").setType(Onnx.TypeProto.newBuilder().setTensorType(ids)))
                .addOutput(Onnx.ValueInfoProto.newBuilder().setName("y").setType(Onnx.TypeProto.newBuilder().setTensorType(y)))
                .addInitializer(floats("table", 64, 32))
                .addInitializer(floats("w", 32, 32))
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
