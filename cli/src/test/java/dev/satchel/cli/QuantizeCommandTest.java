package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.testing.TinyModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
    void help_matchesGoldenAndFits80Columns() throws Exception {
        CliRun r = CliRun.of("quantize", "--help");
        assertTrue(r.out().lines().allMatch(l -> l.length() <= 80), r.out());
        assertTrue(r.out().contains("--eval-inputs"), r.out());
        Golden.assertMatches("help-quantize.txt", r.out());
    }

    /** A float32 .npy (format 1.0) as numpy.save writes it. */
    private static void npy(Path file, String descr, long rows, long cols, int elementBytes) throws Exception {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        header = header + " ".repeat(64 - (10 + header.length() + 1) % 64) + "\n";
        int n = (int) (rows * cols);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + elementBytes * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < n; i++) {
            if (elementBytes == 4) {
                b.putFloat((i % 7) * 0.25f - 0.5f);
            } else {
                b.putDouble(i);
            }
        }
        Files.createDirectories(file.getParent());
        Files.write(file, b.array());
    }

    @Test
    void quantize_evalInputs_gateRunsOnTheSamplesAndReportSaysSo() throws Exception {
        Path samples = dir.resolve("samples");
        npy(samples.resolve("a").resolve("x.npy"), "<f4", 2, 16, 4);
        npy(samples.resolve("b").resolve("x.npy"), "<f4", 5, 16, 4);
        Path report = dir.resolve("q.json");
        CliRun r = CliRun.of("quantize", mlp.toString(), "-o", dir.resolve("q.onnx").toString(), "--min-weight-size", "0",
                "--eval-inputs", samples.toString(), "--report", report.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("evaluated on 2 user-supplied samples from " + samples), r.out());
        assertTrue(r.out().contains("gate min cosine 0.9900: passed"), r.out());
        assertFalse(r.err().contains("generated"), r.err());
        assertTrue(Files.readString(report).contains("\"evaluation\": {\"inputs\": \"user-supplied\", \"samples\": 2, \"seed\": null}"),
                Files.readString(report));
    }

    @Test
    void quantize_evalInputsWrongDtype_exitsThreeWithOneLineNamingTheFile() throws Exception {
        Path samples = dir.resolve("samples");
        npy(samples.resolve("a").resolve("x.npy"), "<f8", 1, 16, 8);
        CliRun r = CliRun.of("quantize", mlp.toString(), "-o", dir.resolve("q.onnx").toString(), "--min-weight-size", "0",
                "--eval-inputs", samples.toString());
        assertEquals(3, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(samples.resolve("a").resolve("x.npy") + ": element type float64 (<f8), but the model's "
                + "input 'x' is float32"), r.err());
        assertFalse(Files.exists(dir.resolve("q.onnx")));
    }

    @Test
    void quantize_evalInputsWithNoEvalOrGeneratorFlags_isUsageError() throws Exception {
        Path samples = Files.createDirectories(dir.resolve("samples"));
        for (String[] extra : new String[][] {{"--no-eval"}, {"--samples", "3"}, {"--input-range", "x=0:1"}}) {
            String[] args = {"quantize", mlp.toString(), "-o", dir.resolve("q.onnx").toString(), "--eval-inputs", samples.toString()};
            String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
            System.arraycopy(extra, 0, all, args.length, extra.length);
            CliRun r = CliRun.of(all);
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains(extra[0]), r.err());
        }
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
    void quantize_outputWhereNoFileCanBe_exitsFiveNamingTheOutputNotATemporaryFile() throws Exception {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        Path out = file.resolve("q.onnx"); // a file where the output's folder should be
        CliRun r = CliRun.of("quantize", mlp.toString(), "-o", out.toString(), "--min-weight-size", "0", "--no-eval");
        assertEquals(5, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("satchel: cannot write " + out + ": " + file + " is in the way"), r.err());
        assertFalse(r.err().contains(".tmp-"), r.err());
    }

    @Test
    void quantize_gateWithoutEvaluation_isUsageError() {
        CliRun r = CliRun.of("quantize", mlp.toString(), "-o", dir.resolve("q.onnx").toString(), "--no-eval", "--min-cosine", "0.9");
        assertEquals(2, r.exit(), r.err());
    }
}
