package dev.satchel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.Ort;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX's own per-operator test cases (Debian libonnx-testdata): every case is read and written
 * back by Satchel, both files run in ONNX Runtime on the case's inputs, and the outputs must be
 * bit-identical. Outputs are also compared with the reference outputs shipped with the case, to
 * show the harness feeds real data. Random-number operators and cases ONNX Runtime cannot run
 * even from the original file are skipped and counted.
 */
class OnnxTestDataIT {
    static final Path ROOT = Paths.get("/usr/share/libonnx-testdata/data");

    @TempDir
    Path tmp;

    @Test
    void roundTrip_everyOperatorCase_runsBitIdenticalInOrt() throws Exception {
        assertTrue(Files.isDirectory(ROOT), ROOT + " missing: install Debian package libonnx-testdata (.ci/run does)");
        List<Path> cases;
        try (Stream<Path> s = Files.walk(ROOT, 3)) {
            cases = s.filter(p -> p.getFileName().toString().equals("model.onnx")).map(Path::getParent).sorted().toList();
        }
        Map<String, Integer> skipped = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int ran = 0;
        int matchReference = 0;
        int shapeAgree = 0;
        int shapeUnknown = 0;
        List<String> shapeWrong = new ArrayList<>();
        for (Path dir : cases) {
            String name = ROOT.relativize(dir).toString();
            if (name.contains("random") || name.contains("bernoulli")) {
                skipped.merge("random output", 1, Integer::sum);
                continue;
            }
            Path data = dir.resolve("test_data_set_0");
            Map<String, Ort.Tensor> inputs;
            List<Ort.Tensor> reference;
            OnnxModel model;
            try {
                model = ModelReader.read(dir.resolve("model.onnx"));
                inputs = readInputs(model, data);
                reference = readTensors(data, "output_");
            } catch (UnsupportedOperationException | ModelException | com.google.protobuf.InvalidProtocolBufferException e) {
                skipped.merge("input that is not a tensor ONNX Runtime Java can feed", 1, Integer::sum);
                continue;
            }
            Map<String, Ort.Tensor> original;
            try {
                original = Ort.run(dir.resolve("model.onnx"), inputs);
            } catch (OrtException | RuntimeException e) {
                skipped.merge("ONNX Runtime cannot run the original", 1, Integer::sum);
                continue;
            }
            Path out = tmp.resolve(name.replace('/', '_') + ".onnx");
            ModelWriter.write(model, out, WriteOptions.preserveLayout());
            Map<String, Ort.Tensor> roundTripped;
            try {
                roundTripped = Ort.run(out, inputs);
            } catch (OrtException | RuntimeException e) {
                failures.add(name + ": round-tripped model does not run: " + e.getMessage());
                continue;
            }
            ran++;
            // Shape inference on the same case: a shape it claims must be the one ONNX Runtime computed.
            ShapeResult shapes = ShapeInference.infer(model, Map.of());
            for (Map.Entry<String, Ort.Tensor> o : original.entrySet()) {
                TensorType t = shapes.type(o.getKey());
                if (t == null || !t.isFullyKnown()) {
                    shapeUnknown++;
                    continue;
                }
                long[] inferred = t.shape().stream().mapToLong(Dim::value).toArray();
                if (java.util.Arrays.equals(inferred, o.getValue().shape())
                        && (t.elementType() == o.getValue().type() || o.getValue().type() == DataType.UNDEFINED)) {
                    shapeAgree++;
                } else if (!inputsHaveDeclaredShapes(model, inputs)) {
                    shapeUnknown++; // the case feeds shapes its model does not declare
                } else {
                    shapeWrong.add(name + " " + o.getKey() + ": inferred " + t + ", ONNX Runtime " + o.getValue());
                }
            }
            if (!original.equals(roundTripped)) {
                failures.add(name + ": outputs differ after the round trip");
            }
            if (matches(new ArrayList<>(original.values()), reference)) {
                matchReference++;
            }
            Files.delete(out);
        }
        System.out.printf("libonnx-testdata: %d cases, %d ran bit-identical after round trip, %d also match ONNX's reference outputs; skipped %s%n",
                cases.size(), ran, matchReference, skipped);
        System.out.printf("shape inference on those cases: %d outputs agree with ONNX Runtime, %d left unknown, %d wrong%n",
                shapeAgree, shapeUnknown, shapeWrong.size());
        assertEquals(List.of(), failures);
        assertEquals(List.of(), shapeWrong.subList(0, Math.min(20, shapeWrong.size())), shapeWrong.size() + " wrong shapes");
        assertTrue(shapeAgree > shapeUnknown * 4, "shape rules cover most operator cases");
        assertTrue(ran > 700, "most cases ran: " + ran + " of " + cases.size());
        assertTrue(matchReference > ran * 0.9, "the harness feeds the real case data: " + matchReference + " of " + ran);
    }

    /** True when every fed input has the same shape the model declares (static cases). */
    private static boolean inputsHaveDeclaredShapes(OnnxModel model, Map<String, Ort.Tensor> inputs) {
        for (ValueInfo v : model.facts().inputs()) {
            Ort.Tensor t = inputs.get(v.name());
            if (t == null || v.type() == null || !v.type().isFullyKnown()) {
                return false;
            }
            long[] declared = v.type().shape().stream().mapToLong(Dim::value).toArray();
            if (!java.util.Arrays.equals(declared, t.shape())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Ort.Tensor> readInputs(OnnxModel model, Path data) throws Exception {
        List<Ort.Tensor> tensors = readTensors(data, "input_");
        Map<String, Ort.Tensor> in = new LinkedHashMap<>();
        List<ValueInfo> sig = model.facts().inputs();
        for (int i = 0; i < tensors.size() && i < sig.size(); i++) {
            in.put(sig.get(i).name(), tensors.get(i));
        }
        return in;
    }

    private static List<Ort.Tensor> readTensors(Path data, String prefix) throws Exception {
        List<Ort.Tensor> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            Path f = data.resolve(prefix + i + ".pb");
            if (!Files.exists(f)) {
                return out;
            }
            Onnx.TensorProto t = Onnx.TensorProto.parseFrom(Files.readAllBytes(f));
            DataType dt = DataType.ofCode(t.getDataType());
            if (dt == null || t.getDimsCount() == 0 && t.getDataType() == 0 || dt == DataType.STRING || dt == DataType.UINT16
                    || dt == DataType.UINT32 || dt == DataType.UINT64 || dt.bits() < 8 || dt.name().startsWith("FLOAT8")
                    || dt.name().startsWith("COMPLEX") || dt == DataType.UNDEFINED) {
                throw new UnsupportedOperationException(String.valueOf(dt));
            }
            ByteBuffer b = OnnxModel.of(Onnx.ModelProto.getDefaultInstance(), data).tensorData(t);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            out.add(new Ort.Tensor(dt, shape, bytes));
        }
    }

    /** Reference comparison with the tolerances of ONNX's backend test runner (rtol 1e-3, atol 1e-7). */
    private static boolean matches(List<Ort.Tensor> actual, List<Ort.Tensor> reference) {
        if (actual.size() < reference.size()) {
            return false;
        }
        for (int i = 0; i < reference.size(); i++) {
            Ort.Tensor a = actual.get(i);
            Ort.Tensor r = reference.get(i);
            if (a.type() != r.type() || a.data().length != r.data().length) {
                return false;
            }
            if (a.type() == DataType.FLOAT || a.type() == DataType.DOUBLE) {
                ByteBuffer x = ByteBuffer.wrap(a.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                ByteBuffer y = ByteBuffer.wrap(r.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                int n = a.type() == DataType.FLOAT ? a.data().length / 4 : a.data().length / 8;
                for (int k = 0; k < n; k++) {
                    double p = a.type() == DataType.FLOAT ? x.getFloat(k * 4) : x.getDouble(k * 8);
                    double q = a.type() == DataType.FLOAT ? y.getFloat(k * 4) : y.getDouble(k * 8);
                    if (Double.isNaN(p) && Double.isNaN(q)) {
                        continue;
                    }
                    if (Math.abs(p - q) > 1e-7 + 1e-3 * Math.abs(q) && !(Double.isInfinite(p) && p == q)) {
                        return false;
                    }
                }
            } else if (!java.util.Arrays.equals(a.data(), r.data())) {
                return false;
            }
        }
        return true;
    }
}
