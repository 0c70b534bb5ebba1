package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.model.DataType;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM too small for the quantized weights fails with one line naming the remedy and the usual
 * exit code for the environment (5), not a stack trace, and leaves no output behind; given the
 * direct memory the same run succeeds.
 */
class QuantizeOutOfMemoryIT {
    @TempDir
    Path dir;

    @Test
    void quantize_directMemoryTooSmall_oneLineAndExit5_thenEnoughMemory_writesModel() throws Exception {
        // A 1024 x 1024 float weight: 1 MiB of int8 codes, more than the 256 KiB of direct memory allowed.
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("big-matmul")
                .addInput(TinyModels.tensor("x", DataType.FLOAT, 1, 1024))
                .addOutput(TinyModels.tensor("y", DataType.FLOAT, 1, 1024))
                .addInitializer(TinyModels.randomFloats("w", 7, 1024, 1024))
                .addNode(TinyModels.node("MatMul", List.of("x", "w"), List.of("y")))
                .build();
        Path model = dir.resolve("big.onnx");
        Files.write(model, TinyModels.model(g, 13).toByteArray());
        Path out = dir.resolve("big-int8.onnx");

        Result small = quantize("-XX:MaxDirectMemorySize=256k", model, out);
        assertEquals(ExitCode.IO_ERROR.code(), small.code, small.err);
        List<String> lines = small.err.lines().toList();
        assertEquals(1, lines.size(), "one line, no stack trace: " + small.err);
        assertTrue(lines.get(0).startsWith("satchel: out of memory ("), lines.get(0));
        assertTrue(lines.get(0).contains("-XX:MaxDirectMemorySize="), lines.get(0));
        assertFalse(Files.exists(out), "no output after a failed run");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("big.onnx"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        }

        Result enough = quantize("-XX:MaxDirectMemorySize=16m", model, out);
        assertEquals(0, enough.code, enough.err);
        assertTrue(Files.size(out) > 1 << 20, "int8 weight written: " + Files.size(out));
    }

    private record Result(int code, String err) {}

    private static Result quantize(String memory, Path model, Path out) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx64m", memory, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "quantize", model.toString(), "-o", out.toString(), "--no-eval")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return new Result(p.exitValue(), err);
    }
}
