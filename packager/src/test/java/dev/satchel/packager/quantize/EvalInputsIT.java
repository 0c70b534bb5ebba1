package dev.satchel.packager.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.RealModels;
import dev.satchel.testing.TinyModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User-supplied evaluation inputs ({@link EvalSpec#withInputs}): the accuracy measurement and gate
 * run on them rather than on generated inputs, the report says so, and bad sample files fail with
 * one line naming the file and the problem.
 */
class EvalInputsIT {
    @TempDir
    Path dir;

    private Path mlp;
    private Path samples;

    @BeforeEach
    void writeModel() throws Exception {
        mlp = dir.resolve("mlp.onnx");
        Files.write(mlp, TinyModels.mlp().toByteArray());
        samples = dir.resolve("samples");
    }

    private QuantizeReport run(Path model, EvalSpec eval, double gate, Path out) throws Exception {
        return QuantizeSession.run(new QuantizeSession.Request(model, out, QuantizeOptions.of(QuantizeMode.INT8)
                .withMinWeightElements(0), eval, true, gate), QuantizeListener.none());
    }

    private static float[] floats(long seed, int n, float scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1) * scale;
        }
        return v;
    }

    @Test
    void run_userSuppliedMlpSamples_measuresOnThemAndReportsCount() throws Exception {
        // Inputs 100x larger than the generated ones ([-1, 1)): dynamic int8 error grows with them.
        Npy.floats(samples.resolve("0").resolve("x.npy"), new long[] {2, 16}, floats(1, 32, 100));
        Npy.floats(samples.resolve("1").resolve("x.npy"), new long[] {3, 16}, floats(2, 48, 100));
        // One sample as an ONNX TensorProto.
        ByteBuffer b = ByteBuffer.allocate(4 * 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : floats(3, 16, 100)) {
            b.putFloat(v);
        }
        Files.createDirectories(samples.resolve("2"));
        Files.write(samples.resolve("2").resolve("x.pb"), Onnx.TensorProto.newBuilder().setName("x").setDataType(1).addDims(1)
                .addDims(16).setRawData(ByteString.copyFrom(b.array())).build().toByteArray());

        QuantizeReport generated = run(mlp, EvalSpec.defaults().withDims(Map.of("batch", 4L)), Double.NaN, dir.resolve("g.onnx"));
        QuantizeReport user = run(mlp, EvalSpec.defaults().withDims(Map.of("batch", 4L)).withInputs(samples), 0.9,
                dir.resolve("u.onnx"));

        assertEquals(new QuantizeReport.Evaluation(true, 3, 0), user.evaluation());
        assertEquals(new QuantizeReport.Evaluation(false, 8, 42), generated.evaluation());
        assertTrue(user.toJson().contains("\"evaluation\": {\"inputs\": \"user-supplied\", \"samples\": 3, \"seed\": null}"),
                user.toJson());
        assertTrue(generated.toJson().contains("\"evaluation\": {\"inputs\": \"generated\", \"samples\": 8, \"seed\": 42}"),
                generated.toJson());
        assertTrue(user.warnings().stream().noneMatch(w -> w.contains("generated")), user.warnings().toString());
        assertTrue(generated.warnings().stream().anyMatch(w -> w.contains("generated")), generated.warnings().toString());
        double g = generated.quality().get(0).maxAbsError();
        double u = user.quality().get(0).maxAbsError();
        assertTrue(u > 10 * g, "max abs error on 100x inputs " + u + " vs generated " + g);
        assertTrue(user.gatePassed(), user.toJson());
        assertTrue(Files.exists(dir.resolve("u.onnx")));
    }

    private QuantizeException failure(String... expected) throws Exception {
        Path out = dir.resolve("q.onnx");
        QuantizeException e = assertThrows(QuantizeException.class,
                () -> run(mlp, EvalSpec.defaults().withInputs(samples), Double.NaN, out));
        assertEquals(QuantizeException.Code.BAD_INPUTS, e.code(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), e.getMessage());
        }
        assertFalse(Files.exists(out));
        return e;
    }

    @Test
    void run_sampleWithoutAnInput_failsNamingTheMissingFile() throws Exception {
        Npy.floats(samples.resolve("0").resolve("x.npy"), new long[] {1, 16}, floats(1, 16, 1));
        Files.createDirectories(samples.resolve("1"));
        Files.writeString(samples.resolve("1").resolve("notes.txt"), "not a sample file");
        QuantizeException e = failure(samples.resolve("1").resolve("x.npy") + ": missing", "input 'x'", "x.npy or x.pb");
        assertTrue(e.getMessage().startsWith(samples.resolve("1").resolve("x.npy").toString()), e.getMessage());
    }

    @Test
    void run_wrongDtype_failsNamingFileAndBothTypes() throws Exception {
        Npy.doubles(samples.resolve("0").resolve("x.npy"), new long[] {1, 16}, new double[16]);
        failure(samples.resolve("0").resolve("x.npy") + ": element type float64 (<f8)", "input 'x' is float32");
    }

    @Test
    void run_shapeNotMatchingTheInput_failsNamingBothShapes() throws Exception {
        Npy.floats(samples.resolve("0").resolve("x.npy"), new long[] {2, 15}, new float[30]);
        failure(samples.resolve("0").resolve("x.npy") + ": shape [2, 15] does not match the model's input 'x' [batch, 16]");
        Npy.floats(samples.resolve("0").resolve("x.npy"), new long[] {32}, new float[32]);
        failure("shape [32] does not match");
    }

    @Test
    void run_unreadableNpy_failsNamingTheFile() throws Exception {
        Path f = samples.resolve("0").resolve("x.npy");
        Npy.floats(f, new long[] {1, 16}, new float[16]);
        byte[] whole = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(whole, whole.length - 5));
        failure(f + ": unreadable .npy: 59 data bytes, but shape [1, 16] of <f4 needs 64");
        Files.write(f, Arrays.copyOf(whole, 20));
        failure(f + ": unreadable .npy: the header is cut short");
        Files.writeString(f, "x,y\n1,2\n");
        failure(f + ": not a .npy file");
        Npy.write(f, ">f4", new long[] {1, 16}, new byte[64]);
        failure(f + ": dtype >f4 is not supported", "big-endian");
    }

    @Test
    void run_fileForNoInput_failsListingTheInputs() throws Exception {
        Npy.floats(samples.resolve("0").resolve("x.npy"), new long[] {1, 16}, new float[16]);
        Npy.floats(samples.resolve("0").resolve("y.npy"), new long[] {1, 4}, new float[4]);
        failure(samples.resolve("0").resolve("y.npy") + ": 'y' is not an input of the model (its inputs: x)");
    }

    @Test
    void run_noSampleFolders_fails() throws Exception {
        Files.createDirectories(samples);
        failure(samples + ": no sample folders in the evaluation inputs");
    }

    /** MiniLM on tokenised English sentences written as numpy.save would write them. */
    @Test
    void run_miniLmTokenIdSamples_gateMeasuresTheSentences() throws Exception {
        Path model = RealModels.path(ExampleModel.MINILM);
        WordPiece wp = MiniLmBench.tokenizer();
        List<String> sentences = MiniLmBench.SENTENCES.subList(0, 5);
        for (int i = 0; i < sentences.size(); i++) {
            long[] ids = wp.encode(sentences.get(i));
            long[] shape = {1, ids.length};
            Path s = samples.resolve(String.format("%02d", i));
            Npy.longs(s.resolve("input_ids.npy"), shape, ids);
            long[] ones = new long[ids.length];
            Arrays.fill(ones, 1);
            Npy.longs(s.resolve("attention_mask.npy"), shape, ones);
            Npy.longs(s.resolve("token_type_ids.npy"), shape, new long[ids.length]);
        }
        QuantizeOptions int8 = QuantizeOptions.of(QuantizeMode.INT8);
        QuantizeReport user = QuantizeSession.run(new QuantizeSession.Request(model, dir.resolve("u.onnx"), int8,
                MiniLmQuantizeIT.EVAL.withInputs(samples), true, Double.NaN), QuantizeListener.none());
        QuantizeReport generated = QuantizeSession.run(new QuantizeSession.Request(model, dir.resolve("g.onnx"), int8,
                MiniLmQuantizeIT.EVAL, true, Double.NaN), QuantizeListener.none());

        assertEquals(new QuantizeReport.Evaluation(true, 5, 0), user.evaluation());
        assertTrue(user.toJson().contains("\"inputs\": \"user-supplied\", \"samples\": 5"), user.toJson());
        OutputQuality u = user.quality().stream().filter(q -> q.name().equals("last_hidden_state")).findFirst().orElseThrow();
        OutputQuality g = generated.quality().stream().filter(q -> q.name().equals("last_hidden_state")).findFirst().orElseThrow();
        // Same quantized bytes, different inputs: the figures must differ.
        assertTrue(Math.abs(u.meanCosine() - g.meanCosine()) > 1e-5 && u.maxAbsError() != g.maxAbsError(),
                "user " + u + " vs generated " + g);
        assertTrue(u.meanCosine() > 0.98, u.toString());
        assertTrue(Arrays.equals(Files.readAllBytes(dir.resolve("u.onnx")), Files.readAllBytes(dir.resolve("g.onnx"))));

        // A token-id file saved as int32 (numpy's default on some platforms) is refused by name.
        Path ids = samples.resolve("03").resolve("input_ids.npy");
        Npy.write(ids, "<i4", new long[] {1, 2}, new byte[8]);
        QuantizeException e = assertThrows(QuantizeException.class, () -> QuantizeSession.run(new QuantizeSession.Request(model,
                dir.resolve("x.onnx"), int8, MiniLmQuantizeIT.EVAL.withInputs(samples), true, 0.99), QuantizeListener.none()));
        assertEquals(QuantizeException.Code.BAD_INPUTS, e.code());
        assertTrue(e.getMessage().startsWith(ids + ": element type int32 (<i4), but the model's input 'input_ids' is int64"),
                e.getMessage());

        // A token id past the vocabulary would fail inside ONNX Runtime's Gather; it is named first.
        Npy.longs(ids, new long[] {1, 2}, 101, 40000);
        Npy.longs(samples.resolve("03").resolve("attention_mask.npy"), new long[] {1, 2}, 1, 1);
        Npy.longs(samples.resolve("03").resolve("token_type_ids.npy"), new long[] {1, 2}, 0, 0);
        e = assertThrows(QuantizeException.class, () -> QuantizeSession.run(new QuantizeSession.Request(model,
                dir.resolve("x.onnx"), int8, MiniLmQuantizeIT.EVAL.withInputs(samples), true, 0.99), QuantizeListener.none()));
        assertEquals(QuantizeException.Code.BAD_INPUTS, e.code());
        assertEquals(ids + ": value 40000 at position 1 is not a row of the table that the model's input 'input_ids' indexes "
                + "(30522 rows: ids 0 to 30521)", e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.onnx")));
    }
}
