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
