package dev.satchel.devices.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.model.DataType;
import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.RealModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * all-minilm-l6-v2 against the Snapdragon phone: as shipped (fp32) the QNN HTP accelerator takes none
 * of the MatMuls; with every MatMul input wrapped in QuantizeLinear/DequantizeLinear (uint8, the QDQ
 * form a static quantizer emits for MatMul) it takes them, and the report's MAC share shows it.
 * The QDQ rewrite here is structural only (scale 1, zero point 0): it tests placement, not accuracy.
 */
class QdqCoverageIT {
    @TempDir
    Path dir;

    private static EpCoverage htp(CheckReport r) {
        return r.devices().get(0).coverage().stream().filter(c -> c.executionProvider().equals("qnn-htp")).findFirst()
                .orElseThrow();
    }

    @Test
    void minilm_qdqMatMuls_raiseTheHtpShareOfMacs() throws Exception {
        Path fp32 = RealModels.path(ExampleModel.MINILM);
        CheckOptions dims = new CheckOptions(RealModels.defaultDims(ExampleModel.MINILM), OptionalLong.empty());
        CompatibilityChecker checker = new CompatibilityChecker(ExecutionProviderCatalogue.builtIn());
        List<dev.satchel.devices.DeviceProfile> s24 =
                List.of(ProfileCatalogue.builtIn().find("samsung-galaxy-s24-snapdragon").get());

        CheckReport before = checker.check(ModelReader.read(fp32), s24, dims);
        assertEquals(0, htp(before).macsTaken());
        assertTrue(htp(before).macsTotal() > 1_000_000_000L, "MiniLM at sequence 128 is ~1.4 GMACs");
        assertTrue(before.devices().get(0).findings().stream()
                .anyMatch(f -> f.code() == FindingCode.ACCELERATOR_UNUSED && f.message().contains("needs-quantization")));

        OnnxModel original = ModelReader.read(fp32);
        Path qdq = dir.resolve("minilm-qdq-matmul.onnx");
        Files.write(qdq, wrapMatMulsInQdq(original.proto()).toByteArray());
        // the rewrite keeps weights inline; copy nothing else (MiniLM has no external data)
        CheckReport after = checker.check(ModelReader.read(qdq), s24, dims);
        EpCoverage h = htp(after);
        assertTrue(h.macShare().getAsDouble() > 0.99, "HTP share after QDQ: " + h.macShare());
        assertTrue(after.devices().get(0).findings().stream().noneMatch(f -> f.code() == FindingCode.ACCELERATOR_UNUSED));
    }

    /** Every MatMul input x becomes DequantizeLinear(QuantizeLinear(x, 1.0, 0u8), 1.0, 0u8). */
    static Onnx.ModelProto wrapMatMulsInQdq(Onnx.ModelProto m) {
        Onnx.GraphProto.Builder g = m.getGraph().toBuilder();
        g.addInitializer(Onnx.TensorProto.newBuilder().setName("qdq_scale").setDataType(DataType.FLOAT.code())
                .addFloatData(1.0f));
        g.addInitializer(Onnx.TensorProto.newBuilder().setName("qdq_zero").setDataType(DataType.UINT8.code())
                .setRawData(ByteString.copyFrom(new byte[] {0})));
        List<Onnx.NodeProto> nodes = List.copyOf(g.getNodeList());
        g.clearNode();
        int k = 0;
        for (Onnx.NodeProto n : nodes) {
            if (!n.getOpType().equals("MatMul")) {
                g.addNode(n);
                continue;
            }
            Onnx.NodeProto.Builder mm = n.toBuilder();
            for (int i = 0; i < n.getInputCount(); i++) {
                String in = n.getInput(i);
                String q = "qdq_q_" + k + "_" + i;
                String dq = "qdq_dq_" + k + "_" + i;
                g.addNode(Onnx.NodeProto.newBuilder().setOpType("QuantizeLinear").setName(q)
                        .addInput(in).addInput("qdq_scale").addInput("qdq_zero").addOutput(q));
                g.addNode(Onnx.NodeProto.newBuilder().setOpType("DequantizeLinear").setName(dq)
                        .addInput(q).addInput("qdq_scale").addInput("qdq_zero").addOutput(dq));
                mm.setInput(i, dq);
            }
            g.addNode(mm);
            k++;
        }
        return m.toBuilder().setGraph(g).build();
    }
}
