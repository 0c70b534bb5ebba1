package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satchel.model.DataType;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.TinyModels;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model with more than 2 GB of weights (beyond protobuf's single-file limit) in external data
 * inspects in a JVM limited to 256 MB of heap: weights are mapped, never loaded.
 */
class HugeModelIT {
    static final int TENSORS = 9;
    static final long ELEMENTS = 64L << 20; // 64 Mi float32 = 256 MiB per tensor, 2.25 GiB in all

    @TempDir
    Path dir;

    @Test
    void inspect_over2GbExternalWeights_runsIn256MbHeap() throws Exception {
        long bytesPer = ELEMENTS * 4;
        Path data = dir.resolve("big.onnx.data");
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.setLength(bytesPer * TENSORS); // sparse: no disk is spent on the zeros
        }
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("big")
                .addInput(TinyModels.tensor("x", DataType.FLOAT, ELEMENTS))
                .addOutput(TinyModels.tensor("y" + (TENSORS - 1), DataType.FLOAT, ELEMENTS));
        String prev = "x";
        for (int i = 0; i < TENSORS; i++) {
            g.addInitializer(Onnx.TensorProto.newBuilder().setName("w" + i).setDataType(DataType.FLOAT.code()).addDims(ELEMENTS)
                    .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(TinyModels.entry("location", "big.onnx.data"))
                    .addExternalData(TinyModels.entry("offset", Long.toString(i * bytesPer)))
                    .addExternalData(TinyModels.entry("length", Long.toString(bytesPer))));
            g.addNode(TinyModels.node("Add", List.of(prev, "w" + i), List.of("y" + i)));
            prev = "y" + i;
        }
        Path model = dir.resolve("big.onnx");
        Files.write(model, TinyModels.model(g.build(), 13).toByteArray());

        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "inspect", model.toString(), "--format", "json"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), err);
        JsonNode json = new ObjectMapper().readTree(out);
        long total = bytesPer * TENSORS;
        assertTrue(total > (2L << 30), "more than 2 GiB of weights");
        assertEquals(total, json.at("/parameters/bytes").asLong());
        assertEquals(total, json.at("/externalDataBytes").asLong());
        assertEquals(ELEMENTS * TENSORS, json.at("/parameters/count").asLong());

        // And the writer: the same model written again with its weights in a new external data
        // file (offsets beyond 2 GiB) reads back with the same facts and the same tensor bytes.
        dev.satchel.model.OnnxModel src = dev.satchel.model.ModelReader.read(model);
        Path copy = dir.resolve("copy").resolve("big2.onnx");
        dev.satchel.model.ModelWriter.Result w = dev.satchel.model.ModelWriter.write(src, copy,
                dev.satchel.model.WriteOptions.externalAbove(1024));
        assertEquals(TENSORS, w.externalTensors());
        assertTrue(w.dataBytes() >= total, "data file holds every tensor: " + w.dataBytes());
        dev.satchel.model.OnnxModel back = dev.satchel.model.ModelReader.read(copy);
        assertEquals(src.facts().parameterBytes(), back.facts().parameterBytes());
        Onnx.TensorProto last = back.proto().getGraph().getInitializer(TENSORS - 1);
        long offset = Long.parseLong(last.getExternalDataList().stream()
                .filter(e -> e.getKey().equals("offset")).findFirst().orElseThrow().getValue());
        assertTrue(offset >= (2L << 30), "the last tensor starts at or past 2 GiB: " + offset);
        assertEquals(bytesPer, back.tensorData(last).remaining());
    }
}
