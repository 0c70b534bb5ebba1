package dev.satchel.packager.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.testing.RealModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's acceptance numbers on all-minilm-l6-v2, measured with ONNX Runtime Java on one thread
 * ({@link MiniLmBench} holds the method; bench/quantize.sh prints the same figures).
 */
class MiniLmQuantizeIT {
    static final EvalSpec EVAL = EvalSpec.defaults().withDims(Map.of("batch_size", 1L, "sequence_length", 128L));

    @TempDir
    Path dir;

    static QuantizeReport quantize(Path out, QuantizeOptions o, double gate) throws Exception {
        return QuantizeSession.run(new QuantizeSession.Request(RealModels.path(ExampleModel.MINILM), out, o, EVAL, true, gate),
                QuantizeListener.none());
    }

    @Test
    void int8_withDefaultGate_beatsOnnxRuntimeQuantizer() throws Exception {
        Path out = dir.resolve("int8.onnx");
        QuantizeReport r = quantize(out, QuantizeOptions.of(QuantizeMode.INT8), 0.99);
        assertTrue(r.gatePassed(), r.toJson());
        MiniLmBench.Figures f = MiniLmBench.measure("int8", RealModels.path(ExampleModel.MINILM), out, false, 0);
        assertTrue(f.bytes() <= 23_000_000L, "size " + f.bytes());
        assertTrue(f.sentences().mean() >= 0.995, "sentences " + f.sentences());
        assertTrue(f.random().mean() >= 0.985, "random " + f.random());
        try (OrtSession q = MiniLmBench.session(out); OrtSession ort = MiniLmBench.session(RealModels.path(ExampleModel.MINILM_Q))) {
            // Interleaved medians; retried once because other processes share this machine's cores.
            double ratio = 0;
            for (int attempt = 0; attempt < 2; attempt++) {
                long[] med = MiniLmBench.latency(List.of(q, ort), 101);
                ratio = (double) med[0] / med[1];
                if (ratio <= 1.10) {
                    break;
                }
            }
            assertTrue(ratio <= 1.10, "latency ratio to ORT int8 " + ratio);
        }
    }

    @Test
    void fp16_keepsEmbeddingsWithinTarget() throws Exception {
        Path out = dir.resolve("fp16.onnx");
        QuantizeReport r = quantize(out, QuantizeOptions.of(QuantizeMode.FP16), 0.995);
        assertTrue(r.gatePassed(), r.toJson());
        MiniLmBench.Figures f = MiniLmBench.measure("fp16", RealModels.path(ExampleModel.MINILM), out, false, 0);
        assertTrue(f.bytes() <= 46_000_000L, "size " + f.bytes());
        assertTrue(f.sentences().mean() >= 0.9999, "sentences " + f.sentences());
    }

    @Test
    void int4_withGate_fitsSizeAndSentenceTarget() throws Exception {
        Path out = dir.resolve("int4.onnx");
        QuantizeReport r = quantize(out, QuantizeOptions.of(QuantizeMode.INT4).withSymmetric(false), MiniLmBench.INT4_GATE);
        assertTrue(r.gatePassed(), r.toJson());
        // Mixed precision kept layers at 8 bits; each carries the quality it alone bought.
        assertTrue(!r.kept().isEmpty(), r.toJson());
        for (LayerDecision k : r.kept()) {
            assertTrue(r.keptGains().containsKey(k.node()), k.node() + " has no measured gain: " + r.keptGains());
        }
        assertTrue(r.keptGains().values().stream().anyMatch(g -> g > 0), r.keptGains().toString());
        assertTrue(r.toJson().contains("\"cosine_gain\": "), r.toJson());
        MiniLmBench.Figures f = MiniLmBench.measure("int4", RealModels.path(ExampleModel.MINILM), out, false, 0);
        assertTrue(f.bytes() <= 15_000_000L, "size " + f.bytes());
        assertTrue(f.sentences().mean() >= 0.985, "sentences " + f.sentences());
    }

    @Test
    void int8_twoRuns_writeIdenticalBytes() throws Exception {
        Path a = dir.resolve("a.onnx");
        Path b = dir.resolve("b.onnx");
        for (Path p : List.of(a, b)) {
            QuantizeSession.run(new QuantizeSession.Request(RealModels.path(ExampleModel.MINILM), p,
                    QuantizeOptions.of(QuantizeMode.INT8), EVAL, false, Double.NaN), QuantizeListener.none());
        }
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }
}
