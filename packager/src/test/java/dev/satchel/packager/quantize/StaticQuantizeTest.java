package dev.satchel.packager.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.model.OnnxModel;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.TinyModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticQuantizeTest {
    @TempDir
    Path dir;

    @Test
    void quantizeStatic_mlp_insertsQdqAroundActivationsAndWeights() throws Exception {
        OnnxModel m = OnnxModel.of(TinyModels.mlp(), dir);
        QuantizeOptions o = QuantizeOptions.of(QuantizeMode.INT8_STATIC).withMinWeightElements(0);
        Set<String> acts = Quantizer.staticActivations(m, o);
        assertEquals(Set.of("x", "h2"), acts);
        Quantizer.Result r = Quantizer.quantizeStatic(m, o, Map.of("x", new float[] {-1, 1}, "h2", new float[] {0, 3}));
        Onnx.GraphProto g = r.model().proto().getGraph();
        assertEquals(2, g.getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).count());
        // Two activation and two weight DequantizeLinear nodes; opset 13 gives per-channel weights.
        assertEquals(4, g.getNodeList().stream().filter(n -> n.getOpType().equals("DequantizeLinear")).count());
        assertTrue(g.getNodeList().stream().filter(n -> n.getOpType().equals("DequantizeLinear"))
                .anyMatch(n -> n.getAttributeList().stream().anyMatch(a -> a.getName().equals("axis") && a.getI() == 1)));
        // h2 is a ReLU output: its range [0, 3] gives zero point 0.
        Onnx.TensorProto zp = g.getInitializerList().stream().filter(t -> t.getName().equals("h2_zero_point")).findFirst().orElseThrow();
        assertEquals(0, zp.getRawData().byteAt(0));
    }

    @Test
    void calibrationNpy_readsShapeAndValues() throws Exception {
        Path sample = Files.createDirectories(dir.resolve("calib").resolve("0"));
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 16), }";
        int pad = 64 - (10 + header.length() + 1) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 32; i++) {
            b.putFloat(i * 0.5f);
        }
        Files.write(sample.resolve("x.npy"), b.array());
        var samples = dev.satchel.packager.quantize.internal.CalibrationData.read(dir.resolve("calib"));
        try {
            assertEquals(1, samples.size());
            var t = samples.get(0).get("x");
            assertEquals(2, t.getInfo().getShape()[0]);
            assertEquals(16, t.getInfo().getShape()[1]);
            assertEquals(15.5f, t.getFloatBuffer().get(31));
        } finally {
            samples.forEach(s -> s.values().forEach(ai.onnxruntime.OnnxTensor::close));
        }
    }
}
