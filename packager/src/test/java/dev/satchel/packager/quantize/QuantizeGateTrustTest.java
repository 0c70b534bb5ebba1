package dev.satchel.packager.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.model.DataType;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes a gate's verdict worth trusting on generated inputs: representative sizes for unbound
 * dimensions, a warning when the original model's output is "off", and no pass for a run that
 * only passes by quantizing nothing. ONNX Runtime runs every model.
 */
class QuantizeGateTrustTest {
    @TempDir
    Path dir;

    /** x [batch, seq, 16] -> MatMul W [16, 64] -> y [batch, seq, 64], weights scaled by {@code scale}. */
    private Path sequenceModel(String name, float scale) throws Exception {
        Onnx.TensorProto w = TinyModels.randomFloats("W", 3, 16, 64);
        float[] v = new float[16 * 64];
        java.nio.ByteBuffer.wrap(w.getRawData().toByteArray()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x * scale);
        }
        w = w.toBuilder().clearFloatData().setRawData(com.google.protobuf.ByteString.copyFrom(b.array())).build();
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("seq")
                .addInput(TinyModels.tensor("x", DataType.FLOAT, "batch", "seq", 16))
                .addOutput(TinyModels.tensor("y", DataType.FLOAT, "batch", "seq", 64))
                .addInitializer(w)
                .addNode(TinyModels.node("MatMul", List.of("x", "W"), List.of("y")))
                .build();
        Path p = dir.resolve(name + ".onnx");
        Files.write(p, TinyModels.model(g, 13).toByteArray());
        return p;
    }

    private static QuantizeOptions int8() {
        return QuantizeOptions.of(QuantizeMode.INT8).withMinWeightElements(0);
    }

    @Test
    void unboundDims_batchGetsOne_otherAxesARepresentativeSize_andTheWarningsSaySo() throws Exception {
        Path m = sequenceModel("seq", 1f);
        QuantizeReport r = QuantizeSession.run(new QuantizeSession.Request(m, dir.resolve("q.onnx"), int8(), EvalSpec.defaults(),
                true, 0.9), QuantizeListener.none());
        assertTrue(r.warnings().contains("symbolic dimension 'batch' was not bound with --dim; evaluated with 1 (a batch)"),
                r.warnings().toString());
        assertTrue(r.warnings().contains("symbolic dimension 'seq' was not bound with --dim; evaluated with "
                + EvalSpec.UNBOUND_SIZE), r.warnings().toString());
        assertFalse(r.warnings().stream().anyMatch(w -> w.contains("near zero")), r.warnings().toString());
        // Bound dims give no warning.
        QuantizeReport bound = QuantizeSession.run(new QuantizeSession.Request(m, dir.resolve("q2.onnx"), int8(),
                EvalSpec.defaults().withDims(Map.of("batch", 2L, "seq", 5L)), true, 0.9), QuantizeListener.none());
        assertFalse(bound.warnings().stream().anyMatch(w -> w.contains("not bound")), bound.warnings().toString());
    }

    @Test
    void outputNearZero_warnsThatTheCosineMeasuresNoise() throws Exception {
        Path m = sequenceModel("tiny", 1e-7f);
        QuantizeReport r = QuantizeSession.run(new QuantizeSession.Request(m, dir.resolve("q.onnx"), int8(),
                EvalSpec.defaults().withDims(Map.of("batch", 1L, "seq", 8L)), true, Double.NaN), QuantizeListener.none());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("the original model's output 'y' is near zero on every "
                + "evaluation input") && w.contains("--eval-inputs")), r.warnings().toString());
    }

    @Test
    void gatedSearch_measuredInParallel_isReproducible() throws Exception {
        // Layer sensitivities and promotion prefixes are measured several at a time; the search
        // must end where a one-at-a-time search ends, whatever the scheduling. A gate int8 cannot
        // reach (its error here is about 1e-5) runs the whole search: every layer up the ladder.
        Path m = dir.resolve("mlp.onnx");
        Files.write(m, TinyModels.mlp().toByteArray());
        EvalSpec eval = EvalSpec.defaults().withDims(Map.of("batch", 4L));
        String[] json = new String[2];
        for (int i = 0; i < 2; i++) {
            Path out = dir.resolve("q.onnx");
            QuantizeSession.GateFailedException e = assertThrows(QuantizeSession.GateFailedException.class,
                    () -> QuantizeSession.run(new QuantizeSession.Request(m, out, int8(), eval, true, 0.9999999),
                            QuantizeListener.none()));
            json[i] = e.report().toJson();
            assertEquals(2, e.report().kept().size(), json[i]);
            assertFalse(Files.exists(out));
        }
        assertEquals(json[0], json[1]);
    }

    @Test
    void gateMetOnlyWithEverythingInFloat_isAFailure_andNothingIsWritten() throws Exception {
        Path m = sequenceModel("seq", 1f);
        Path out = dir.resolve("q.onnx");
        // No int8 layer reaches this cosine; the original model itself does.
        QuantizeSession.GateFailedException e = assertThrows(QuantizeSession.GateFailedException.class,
                () -> QuantizeSession.run(new QuantizeSession.Request(m, out, int8(),
                        EvalSpec.defaults().withDims(Map.of("batch", 1L, "seq", 8L)), true, 0.9999999), QuantizeListener.none()));
        assertEquals(QuantizeException.Code.GATE_FAILED, e.code());
        assertTrue(e.getMessage().contains("is met only with every layer kept in float32, so nothing would be quantized"),
                e.getMessage());
        assertTrue(e.floatOnly());
        assertTrue(e.report().decisions().stream().allMatch(d -> d.precision() == Precision.FLOAT));
        // The report says so too (satchel build fails on it): not passed, though the cosine is met.
        assertTrue(e.report().worstCosine() >= 0.9999999, e.report().toJson());
        assertFalse(e.report().gatePassed());
        assertTrue(e.report().toJson().contains("\"passed\": false"), e.report().toJson());
        assertFalse(Files.exists(out));
    }
}
