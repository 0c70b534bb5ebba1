package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluation: inputs:} in satchel.yaml: the accuracy gate runs the real MiniLM and its int8
 * version in ONNX Runtime on the user's token-id samples (.npy, as numpy.save writes them), the
 * quantization report says so, and a sample that does not fit the model fails the build with one
 * line naming the file.
 */
class BuildEvalInputsIT {
    @TempDir
    Path dir;

    /** A .npy file (format 1.0) of int64 values, as numpy.save writes it. */
    private static void npyLongs(Path file, long[] shape, long... values) throws Exception {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + dims.substring(0, dims.length() - (shape.length == 1 ? 1 : 2))
                + "), }";
        header = header + " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (long v : values) {
            b.putLong(v);
        }
        Files.createDirectories(file.getParent());
        Files.write(file, b.array());
    }

    /** One tokenised sentence: [CLS] tokens [SEP], all attended, segment 0. */
    private static void sample(Path folder, long... tokens) throws Exception {
        long[] ids = new long[tokens.length + 2];
        ids[0] = 101;
        System.arraycopy(tokens, 0, ids, 1, tokens.length);
        ids[ids.length - 1] = 102;
        long[] ones = new long[ids.length];
        java.util.Arrays.fill(ones, 1);
        long[] shape = {1, ids.length};
        npyLongs(folder.resolve("input_ids.npy"), shape, ids);
        npyLongs(folder.resolve("attention_mask.npy"), shape, ones);
        npyLongs(folder.resolve("token_type_ids.npy"), shape, new long[ids.length]);
    }

    @Test
    void build_userEvaluationInputs_gateRunsOnThemAndABadSampleFailsWithItsFile() throws Exception {
        // "the cat sat on the mat" in the model's WordPiece vocabulary, and six other token ids
        sample(dir.resolve("samples/0"), 1996, 4937, 2938, 2006, 1996, 13523);
        sample(dir.resolve("samples/1"), 2938, 15937, 3719, 4275, 2000, 5733);
        Path config = dir.resolve("satchel.yaml");
        Files.writeString(config, """
                model: example:minilm
                quantize:
                  mode: int8
                  gate:
                    min-cosine: 0.98
                evaluation:
                  inputs: samples
                devices:
                  - raspberry-pi-5
                bundle:
                  name: minilm
                  version: 1
                outputs: dist
                """);
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        String q = Files.readString(dir.resolve("dist/quantize-report.json"));
        assertTrue(q.contains("\"evaluation\": {\"inputs\": \"user-supplied\", \"samples\": 2, \"seed\": null}"), q);

        // A sample for an input the model does not have: exit 3, one line naming the file.
        npyLongs(dir.resolve("samples/1/position_ids.npy"), new long[] {1, 8}, 0, 1, 2, 3, 4, 5, 6, 7);
        CliRun bad = CliRun.of("build", config.toString());
        assertEquals(3, bad.exit(), bad.out() + bad.err());
        assertTrue(bad.err().contains("position_ids.npy"), bad.err());
        assertEquals(1, bad.err().strip().split("\n").length, bad.err());
        assertFalse(bad.out().contains("Shipped"), bad.out());
    }

    @Test
    void parse_inputsWithGeneratedOnlyKeys_listsBothProblems() throws Exception {
        Files.createDirectories(dir.resolve("samples"));
        Path config = dir.resolve("satchel.yaml");
        Files.writeString(config, """
                model: example:minilm
                evaluation:
                  inputs: samples
                  samples: 4
                  input-ranges:
                    input_ids: "0:30521"
                devices:
                  - raspberry-pi-5
                bundle:
                  name: minilm
                  version: 1
                """);
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("satchel.yaml:4: bad-value: evaluation.samples applies to generated inputs"), r.err());
        assertTrue(r.err().contains("satchel.yaml:6: bad-value: evaluation.input-ranges applies to generated inputs"), r.err());
    }
}
