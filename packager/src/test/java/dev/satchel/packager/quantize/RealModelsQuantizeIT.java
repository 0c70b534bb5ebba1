package dev.satchel.packager.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.satchel.model.examples.ExampleModel;
import dev.satchel.testing.RealModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The other real models in every mode: each either quantizes, loads in ONNX Runtime and passes the
 * default gate, or is refused with a stated reason. Which outcome is expected is part of the test.
 */
class RealModelsQuantizeIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "HELLO_DEEPA, int8, 0.99, ok",
        "HELLO_DEEPA, int4, 0.98, ok",
        "HELLO_DEEPA, fp16, 0.995, ok",
        "SILERO_VAD, int8, 0.99, ok",
        "SILERO_VAD, int4, 0.98, ok",
        "SILERO_VAD, fp16, 0.995, UNSUPPORTED",
        "PPOCR_DET, int8, 0.99, ok",
        "PPOCR_DET, int4, 0.98, ok",
        "PPOCR_DET, fp16, 0.995, ok",
        "HELLO_DEEPA, int8-static, 0.99, ok",
        "SILERO_VAD, int8-static, 0.99, UNSUPPORTED",
    })
    void quantize_realModel_passesGateOrIsRefusedWithReason(ExampleModel m, String mode, double gate, String expected)
            throws Exception {
        Map<String, Long> dims = new HashMap<>(RealModels.defaultDims(m));
        if (m == ExampleModel.PPOCR_DET) {
            dims.put("p2o.DynamicDimension.1", 64L);
            dims.put("p2o.DynamicDimension.2", 64L);
        }
        EvalSpec eval = EvalSpec.defaults().withDims(dims).withIntRanges(Map.of("sr", new long[] {16000, 16000}));
        Path out = dir.resolve(m.id() + "-" + mode + ".onnx");
        try {
            QuantizeReport r = QuantizeSession.run(new QuantizeSession.Request(RealModels.path(m), out,
                    QuantizeOptions.of(QuantizeMode.of(mode)), eval, true, gate), QuantizeListener.none());
            if (!expected.equals("ok")) {
                fail("expected " + expected + " but quantized: " + r.toJson());
            }
            assertTrue(r.gatePassed(), r.toJson());
            assertTrue(Files.size(out) < Files.size(RealModels.path(m)), "output is not smaller");
        } catch (QuantizeException e) {
            if (expected.equals("ok")) {
                throw e;
            }
            assertEquals(QuantizeException.Code.valueOf(expected), e.code());
            assertTrue(e.getMessage().contains("control-flow subgraphs stay float32"), e.getMessage());
            assertTrue(Files.notExists(out));
        }
    }
}
