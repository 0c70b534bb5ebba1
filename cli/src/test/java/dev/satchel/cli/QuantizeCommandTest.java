package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {
    @TempDir
    Path dir;

    private Path mlp;

    @BeforeEach
    void writeModel() throws Exception {
        mlp = dir.resolve("mlp.onnx");
        Files.write(mlp, TinyModels.mlp().toByteArray());
    }

    @Test
    void help_showsAnExample() {
        CliRun r = CliRun.of("quantize", "--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Examples:"), r.out());
        assertTrue(r.out().contains("satchel quantize model.onnx -o model-int8.onnx"), r.out());
    }

    @Test
    void quantize_unknownMode_isUsageError() {
        CliRun r = CliRun.of("quantize", mlp.toString(), "-o", dir.resolve("q.onnx").toString(), "--mode", "int3");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("unknown mode 'int3'"), r.err());
        assertFalse(Files.exists(dir.resolve("q.onnx")));
    }

    @Test
    void quantize_mlpInt8_passesDefaultGateAndWritesReport() throws Exception {
        Path out = dir.resolve("q.onnx");
        Path report = dir.resolve("q.json");
        CliRun r = CliRun.of("quantize", mlp.toString(), "-o", out.toString(), "--min-weight-size", "0", "--dim", "batch=4",
                "--report", report.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("2 layers quantized"), r.out());
        assertTrue(r.out().contains("gate min cosine 0.9900: passed"), r.out());
        String json = Files.readString(report);
        assertTrue(json.contains("\"schema\": \"satchel.quantize.report/v1\""), json);
        assertTrue(json.contains("\"format\": \"DynamicQuantizeMatMul\""), json);
        assertTrue(Files.size(out) > 0);
    }

    @Test
    void quantize_alreadyQuantized_exitsThreeUnlessForced() {
        Path once = dir.resolve("once.onnx");
        // The first pass leaves the second MatMul in float.
        assertEquals(0, CliRun.of("quantize", mlp.toString(), "-o", once.toString(), "--min-weight-size", "0", "--no-eval",
                "--exclude-node", "MatMul_h3").exit());
        Path twice = dir.resolve("twice.onnx");
        CliRun r = CliRun.of("quantize", once.toString(), "-o", twice.toString(), "--min-weight-size", "0", "--no-eval");
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("already quantized") && r.err().contains("--force"), r.err());
        assertFalse(Files.exists(twice));
        CliRun forced = CliRun.of("quantize", once.toString(), "-o", twice.toString(), "--min-weight-size", "0", "--no-eval",
                "--force");
        assertEquals(0, forced.exit(), forced.err());
        assertTrue(forced.out().contains("1 layers quantized"), forced.out());
    }

    @Test
    void quantize_gateWithoutEvaluation_isUsageError() {
        CliRun r = CliRun.of("quantize", mlp.toString(), "-o", dir.resolve("q.onnx").toString(), "--no-eval", "--min-cosine", "0.9");
        assertEquals(2, r.exit(), r.err());
    }
}
