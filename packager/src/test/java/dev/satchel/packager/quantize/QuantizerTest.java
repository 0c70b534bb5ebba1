package dev.satchel.packager.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.model.DataType;
import dev.satchel.model.ModelWriter;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.WriteOptions;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.packager.quantize.internal.Weights;
import dev.satchel.testing.TinyModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizerTest {
    @TempDir
    Path dir;

    private static OnnxModel mlp(Path dir) {
        return OnnxModel.of(TinyModels.mlp(), dir);
    }

    private static Set<String> ops(Onnx.GraphProto g) {
        return g.getNodeList().stream().map(Onnx.NodeProto::getOpType).collect(Collectors.toSet());
    }

    @Test
    void quantize_int8Mlp_rewritesInitializerAndConstantWeights() throws Exception {
        Quantizer.Result r = Quantizer.quantize(mlp(dir), QuantizeOptions.of(QuantizeMode.INT8).withMinWeightElements(0));
        Onnx.ModelProto p = r.model().proto();
        assertEquals(2, p.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("DynamicQuantizeMatMul")).count());
        assertFalse(ops(p.getGraph()).contains("MatMul"));
        // The Constant node holding W2 is gone, W1 is replaced by its int8 form.
        assertFalse(ops(p.getGraph()).contains("Constant"));
        assertTrue(p.getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals("W1")));
        assertTrue(p.getOpsetImportList().stream().anyMatch(o -> o.getDomain().equals("com.microsoft")));
        assertEquals(2, r.decisions().stream().filter(d -> d.precision() == Precision.QUANTIZED).count());
    }

    @Test
    void quantize_smallWeights_areKeptWithReason() throws Exception {
        Quantizer.Result r = Quantizer.quantize(mlp(dir), QuantizeOptions.of(QuantizeMode.INT8));
        assertTrue(r.decisions().stream().allMatch(d -> d.precision() == Precision.FLOAT && d.reason().contains("under the minimum")));
        assertTrue(ops(r.model().proto().getGraph()).contains("MatMul"));
    }

    @Test
    void quantize_excludedNode_staysFloat() throws Exception {
        Onnx.ModelProto m = TinyModels.mlp();
        Onnx.GraphProto.Builder g = m.getGraph().toBuilder();
        g.setNode(1, g.getNode(1).toBuilder().setName("first"));
        OnnxModel model = OnnxModel.of(m.toBuilder().setGraph(g).build(), dir);
        Quantizer.Result r = Quantizer.quantize(model,
                QuantizeOptions.of(QuantizeMode.INT8).withMinWeightElements(0).withExcludeNodes(Set.of("first")));
        LayerDecision first = r.decisions().stream().filter(d -> d.node().equals("first")).findFirst().orElseThrow();
        assertEquals(Precision.FLOAT, first.precision());
        assertEquals("excluded by name", first.reason());
    }

    @Test
    void quantize_alreadyQuantized_isRefusedUnlessForced() throws Exception {
        QuantizeOptions o = QuantizeOptions.of(QuantizeMode.INT8).withMinWeightElements(0);
        OnnxModel once = Quantizer.quantize(mlp(dir), o).model();
        QuantizeException e = assertThrows(QuantizeException.class, () -> Quantizer.quantize(once, o));
        assertEquals(QuantizeException.Code.ALREADY_QUANTIZED, e.code());
        assertTrue(e.getMessage().contains("DynamicQuantizeMatMul"), e.getMessage());
        Quantizer.quantize(once, o.withForce(true));
    }

    @Test
    void quantize_sameInput_writesIdenticalBytes() throws Exception {
        for (QuantizeMode mode : List.of(QuantizeMode.INT8, QuantizeMode.INT4, QuantizeMode.FP16)) {
            QuantizeOptions o = QuantizeOptions.of(mode).withMinWeightElements(0).withBlockSize(16);
            Path a = dir.resolve(mode + "-a.onnx");
            Path b = dir.resolve(mode + "-b.onnx");
            ModelWriter.write(Quantizer.quantize(mlp(dir), o).model(), a, WriteOptions.allInline());
            ModelWriter.write(Quantizer.quantize(mlp(dir), o).model(), b, WriteOptions.allInline());
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), mode.id());
        }
    }

    @Test
    void quantize_int4_emitsMatMulNBitsWithPackedShape() throws Exception {
        Quantizer.Result r = Quantizer.quantize(mlp(dir), QuantizeOptions.of(QuantizeMode.INT4).withMinWeightElements(0).withBlockSize(16));
        Onnx.NodeProto n = r.model().proto().getGraph().getNodeList().stream().filter(x -> x.getOpType().equals("MatMulNBits"))
                .findFirst().orElseThrow();
        Onnx.TensorProto b = r.model().proto().getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals(n.getInput(1))).findFirst().orElseThrow();
        // W1 is [K=16, N=32]: B is [N, K/16 blocks, 16 * 4 / 8 bytes].
        assertEquals(List.of(32L, 1L, 8L), b.getDimsList());
    }

    @Test
    void quantize_fp16_keepsGraphInterfaceFloat32() throws Exception {
        Quantizer.Result r = Quantizer.quantize(mlp(dir), QuantizeOptions.of(QuantizeMode.FP16).withMinWeightElements(0));
        Onnx.GraphProto g = r.model().proto().getGraph();
        assertEquals(DataType.FLOAT.code(), g.getInput(0).getType().getTensorType().getElemType());
        assertEquals(DataType.FLOAT.code(), g.getOutput(0).getType().getTensorType().getElemType());
        assertTrue(g.getInitializerList().stream().allMatch(t -> t.getDataType() == DataType.FLOAT16.code()));
        // y is produced in float16 and cast back under its own name.
        Onnx.NodeProto last = g.getNodeList().stream().filter(n -> n.getOutputList().contains("y")).findFirst().orElseThrow();
        assertEquals("Cast", last.getOpType());
    }

    @Test
    void quantize_matMulInsideIf_quantizesSubgraphConstant() throws Exception {
        Onnx.GraphProto then = Onnx.GraphProto.newBuilder().setName("then")
                .addOutput(TinyModels.tensor("t", DataType.FLOAT, "n", 8))
                .addNode(TinyModels.node("Constant", List.of(), List.of("Wt"),
                        TinyModels.tensorAttr("value", TinyModels.randomFloats("Wt", 5, 16, 8))))
                .addNode(TinyModels.node("MatMul", List.of("x", "Wt"), List.of("t")))
                .build();
        Onnx.GraphProto other = Onnx.GraphProto.newBuilder().setName("else")
                .addOutput(TinyModels.tensor("e", DataType.FLOAT, "n", 8))
                .addNode(TinyModels.node("Constant", List.of(), List.of("We"),
                        TinyModels.tensorAttr("value", TinyModels.randomFloats("We", 6, 16, 8))))
                .addNode(TinyModels.node("MatMul", List.of("x", "We"), List.of("e")))
                .build();
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("branchy")
                .addInput(TinyModels.tensor("x", DataType.FLOAT, "n", 16))
                .addInput(TinyModels.tensor("cond", DataType.BOOL))
                .addOutput(TinyModels.tensor("y", DataType.FLOAT, "n", 8))
                .addNode(TinyModels.node("If", List.of("cond"), List.of("y"), TinyModels.graphAttr("then_branch", then),
                        TinyModels.graphAttr("else_branch", other)))
                .build();
        OnnxModel model = OnnxModel.of(TinyModels.model(g, 13), dir);
        Quantizer.Result r = Quantizer.quantize(model, QuantizeOptions.of(QuantizeMode.INT8).withMinWeightElements(0));
        assertEquals(2, r.decisions().stream().filter(d -> d.precision() == Precision.QUANTIZED).count());
        Onnx.GraphProto thenOut = r.model().proto().getGraph().getNode(0).getAttribute(0).getG();
        assertFalse(ops(thenOut).contains("Constant"));
        assertTrue(ops(thenOut).contains("DynamicQuantizeMatMul"));
    }

    @Test
    void nbits_symmetric4Bit_reconstructsWithinHalfStep() {
        int k = 64;
        int n = 3;
        ByteBuffer w = ByteBuffer.allocate(4 * k * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < k * n; i++) {
            w.putFloat(i * 4, (float) Math.sin(i * 0.37));
        }
        Weights.NBits q = Weights.nbits(w.asFloatBuffer(), k, n, 4, 32, true);
        assertEquals(n * 2 * 16, q.data().capacity());
        for (int c = 0; c < n; c++) {
            for (int r = 0; r < k; r++) {
                int blk = r / 32;
                int i = r % 32;
                int b = q.data().get((c * 2 + blk) * 16 + i / 2) & 0xff;
                int code = i % 2 == 0 ? b & 0xf : b >>> 4;
                float scale = q.scales()[c * 2 + blk];
                float back = (code - 8) * scale;
                float orig = w.getFloat((r * n + c) * 4);
                // Range clipping may clip the block's largest values by up to 30%.
                assertTrue(Math.abs(back - orig) <= Math.max(scale / 2 + 1e-6f, 0.3f * Math.abs(orig)), "r=" + r + " c=" + c);
            }
        }
    }

    @Test
    void toHalf_matchesIeee754Binary16() {
        assertEquals(0x3c00, Weights.toHalf(1f) & 0xffff);
        assertEquals(0xc000, Weights.toHalf(-2f) & 0xffff);
        assertEquals(0x7bff, Weights.toHalf(65504f) & 0xffff);
        assertEquals(0x7c00, Weights.toHalf(1e6f) & 0xffff);
        assertEquals(0x0001, Weights.toHalf(0x1p-24f) & 0xffff);
        assertEquals(0x3555, Weights.toHalf(1f / 3) & 0xffff);
        for (float f : new float[] {0.1f, -7.25f, 1e-5f, 300.5f}) {
            assertEquals(f, Weights.fromHalf(Weights.toHalf(f)), Math.abs(f) * 1e-3 + 1e-7);
        }
    }

    @Test
    void report_json_isDeterministicAndNamesTheGate() {
        LayerDecision d = new LayerDecision("n1", "MatMul", Precision.BLOCKED_INT8, "MatMulNBits(bits=8,block=128)",
                "kept in higher precision by mixed precision", 4096, 1100);
        QuantizeReport r = new QuantizeReport(QuantizeMode.INT8, 10, 5, List.of(d),
                List.of(new OutputQuality("y", 0.995, 0.99, 20, 0.1, Double.NaN)), 0.99, List.of(d), 76, List.of("w \"q\""));
        String json = r.toJson();
        assertEquals(json, r.toJson());
        assertTrue(json.contains("\"gate\": {\"min_cosine\": 0.990000, \"passed\": true, \"kept_bytes\": 76"), json);
        assertTrue(json.contains("\"top1_agreement\": null"), json);
        assertTrue(json.contains("\"w \\\"q\\\"\""), json);
    }
}
