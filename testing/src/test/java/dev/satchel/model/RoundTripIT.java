package dev.satchel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.model.examples.ExampleModel;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.Ort;
import dev.satchel.testing.RealModels;
import dev.satchel.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Read-then-write round trips: ONNX Runtime must load the result and give bit-identical outputs. */
class RoundTripIT {
    @TempDir
    Path tmp;

    static Map<String, Ort.Tensor> inputsFor(ExampleModel m, OnnxModel model) {
        Map<String, Ort.Tensor> in = new HashMap<>(Ort.inputs(model.facts().inputs(), RealModels.defaultDims(m), 42, 2));
        if (m == ExampleModel.SILERO_VAD) {
            in.put("sr", new Ort.Tensor(DataType.INT64, new long[0],
                    java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(16000).array()));
        }
        return in;
    }

    @ParameterizedTest
    @EnumSource(ExampleModel.class)
    void write_realModel_inlineAndExternal_runBitIdentical(ExampleModel m) throws Exception {
        Path src = RealModels.path(m);
        OnnxModel model = ModelReader.read(src);
        Map<String, Ort.Tensor> inputs = inputsFor(m, model);
        Map<String, Ort.Tensor> expected = Ort.run(src, inputs);

        Path inline = tmp.resolve("inline.onnx");
        ModelWriter.Result r1 = ModelWriter.write(model, inline, WriteOptions.preserveLayout());
        assertNull(r1.dataFile());
        assertEquals(Files.size(src), Files.size(inline), "an untouched model keeps its size");
        assertEquals(expected, Ort.run(inline, inputs));

        Path ext = tmp.resolve("ext").resolve("model.onnx");
        ModelWriter.Result r2 = ModelWriter.write(model, ext, WriteOptions.externalAbove(1024));
        assertNotNull(r2.dataFile());
        assertTrue(r2.externalTensors() > 0);
        assertTrue(Files.size(ext) < Files.size(src), "weights moved out of the .onnx file");
        assertEquals(expected, Ort.run(ext, inputs), "external-data copy runs identically");
        assertTrue(dev.satchel.testing.Python.onnxFacts(ext, true).contains("\"checker\": \"ok\""),
                "python3-onnx's checker accepts the external-data model Satchel wrote");

        // And back: external in, all inline out, through the reader's external-data path.
        OnnxModel reread = ModelReader.read(ext);
        assertEquals(model.facts().parameterBytes(), reread.facts().parameterBytes());
        Path back = tmp.resolve("back.onnx");
        ModelWriter.write(reread, back, WriteOptions.allInline());
        assertEquals(expected, Ort.run(back, inputs), "re-inlined copy runs identically");
    }

    @Test
    void write_sameModelTwice_givesIdenticalBytes() throws Exception {
        OnnxModel m = OnnxModel.of(TinyModels.mlp(), tmp);
        Path a = tmp.resolve("a").resolve("m.onnx");
        Path b = tmp.resolve("b").resolve("m.onnx");
        ModelWriter.write(m, a, WriteOptions.externalAbove(64));
        ModelWriter.write(m, b, WriteOptions.externalAbove(64));
        assertTrue(Files.mismatch(a, b) < 0);
        assertTrue(Files.mismatch(a.resolveSibling("m.onnx.data"), b.resolveSibling("m.onnx.data")) < 0);
    }

    @Test
    void roundTrip_unknownFields_survive() throws Exception {
        // Field 99 on ModelProto and field 77 on a NodeProto are not in our schema (a future ONNX
        // version). Protobuf concatenation merges them into the messages as unknown fields.
        Onnx.ModelProto base = TinyModels.mlp();
        byte[] nodeExtra = {(byte) 0xE8, 0x04, (byte) 0xB9, 0x60}; // field 77 varint 12345
        byte[] nodeBytes = concat(base.getGraph().getNode(1).toByteArray(), nodeExtra);
        Onnx.NodeProto nodeWithUnknown = Onnx.NodeProto.parseFrom(nodeBytes);
        Onnx.GraphProto g = base.getGraph().toBuilder().setNode(1, nodeWithUnknown).build();
        byte[] topExtra = {(byte) 0x9A, 0x06, 0x06, 'f', 'u', 't', 'u', 'r', 'e'}; // field 99 bytes "future"
        byte[] model = concat(base.toBuilder().setGraph(g).build().toByteArray(), topExtra);
        Path src = tmp.resolve("u.onnx");
        Files.write(src, model);

        Path out = tmp.resolve("u2.onnx");
        ModelWriter.write(ModelReader.read(src), out, WriteOptions.preserveLayout());

        assertTrue(Files.mismatch(src, out) < 0, "byte-identical after a round trip");
        byte[] written = Files.readAllBytes(out);
        assertTrue(indexOf(written, topExtra) >= 0, "top-level unknown field kept");
        assertTrue(indexOf(written, nodeExtra) >= 0, "nested unknown field kept");
        assertEquals(nodeWithUnknown, Onnx.ModelProto.parseFrom(written).getGraph().getNode(1));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void write_failure_leavesNoTemporaryFiles() throws Exception {
        Path dir = tmp.resolve("out");
        Files.createDirectories(dir);
        // External data that does not exist: the writer must fail and leave the folder empty.
        OnnxModel broken = OnnxModel.of(TinyModels.externalWeight("missing.bin", 0, 16), tmp);
        try {
            ModelWriter.write(broken, dir.resolve("m.onnx"), WriteOptions.allInline());
        } catch (ModelException e) {
            assertEquals(ModelException.Code.EXTERNAL_DATA_MISSING, e.code());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "nothing half-written is left behind");
        }
    }
}
