package dev.satchel.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.satchel.model.DataType;
import dev.satchel.model.Dim;
import dev.satchel.model.TensorType;
import dev.satchel.model.ValueInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Runs models in ONNX Runtime for tests: inputs generated from the signature, outputs as bytes. */
public final class Ort {
    private Ort() {}

    /** One tensor: element type, shape and little-endian bytes. */
    public record Tensor(DataType type, long[] shape, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && type == t.type && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return type + Arrays.toString(shape) + " (" + data.length + " bytes)";
        }
    }

    public static OrtEnvironment env() {
        return OrtEnvironment.getEnvironment();
    }

    public static OrtSession.SessionOptions singleThread() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        return o;
    }

    /** Random inputs for a signature; integer inputs get values in [0, intRange). */
    public static Map<String, Tensor> inputs(List<ValueInfo> signature, Map<String, Long> dims, long seed, int intRange) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (ValueInfo v : signature) {
            TensorType t = v.type();
            long[] shape = new long[t.shape().size()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                Dim d = t.shape().get(i);
                shape[i] = d.isKnown() ? d.value() : dims.getOrDefault(d.symbol(), 1L);
                n *= shape[i];
            }
            ByteBuffer b = ByteBuffer.allocate((int) t.elementType().storageBytes(n)).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; i++) {
                switch (t.elementType()) {
                    case FLOAT: b.putFloat((float) (r.nextDouble() * 2 - 1)); break;
                    case DOUBLE: b.putDouble(r.nextDouble() * 2 - 1); break;
                    case INT64: b.putLong(r.nextInt(intRange)); break;
                    case INT32: b.putInt(r.nextInt(intRange)); break;
                    case BOOL: b.put((byte) r.nextInt(2)); break;
                    case UINT8: case INT8: b.put((byte) r.nextInt(Math.min(intRange, 127))); break;
                    default: throw new IllegalArgumentException("no generator for " + t.elementType());
                }
            }
            out.put(v.name(), new Tensor(t.elementType(), shape, b.array()));
        }
        return out;
    }

    public static Map<String, Tensor> run(Path model, Map<String, Tensor> inputs) throws OrtException {
        try (OrtSession.SessionOptions o = singleThread(); OrtSession s = env().createSession(model.toString(), o)) {
            return run(s, inputs);
        }
    }

    public static Map<String, Tensor> run(OrtSession s, Map<String, Tensor> inputs) throws OrtException {
        OrtEnvironment env = env();
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                feed.put(e.getKey(), toOrt(env, e.getValue()));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (OrtSession.Result res = s.run(feed)) {
                for (Map.Entry<String, OnnxValue> e : res) {
                    out.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
                }
            }
            return out;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    public static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        ByteBuffer b = ByteBuffer.allocateDirect(t.data().length).order(ByteOrder.nativeOrder());
        b.put(t.data()).flip();
        return OnnxTensor.createTensor(env, b, t.shape(), ortType(t.type()));
    }

    public static Tensor fromOrt(OnnxTensor t) {
        ByteBuffer b = t.getByteBuffer();
        byte[] data = new byte[b.remaining()];
        b.get(data);
        DataType dt = dataType(t.getInfo().type);
        return new Tensor(dt, t.getInfo().getShape(), data);
    }

    private static ai.onnxruntime.OnnxJavaType ortType(DataType t) {
        switch (t) {
            case FLOAT: return ai.onnxruntime.OnnxJavaType.FLOAT;
            case DOUBLE: return ai.onnxruntime.OnnxJavaType.DOUBLE;
            case INT64: return ai.onnxruntime.OnnxJavaType.INT64;
            case INT32: return ai.onnxruntime.OnnxJavaType.INT32;
            case INT16: return ai.onnxruntime.OnnxJavaType.INT16;
            case INT8: return ai.onnxruntime.OnnxJavaType.INT8;
            case UINT8: return ai.onnxruntime.OnnxJavaType.UINT8;
            case BOOL: return ai.onnxruntime.OnnxJavaType.BOOL;
            case FLOAT16: return ai.onnxruntime.OnnxJavaType.FLOAT16;
            case BFLOAT16: return ai.onnxruntime.OnnxJavaType.BFLOAT16;
            default: throw new IllegalArgumentException("ONNX Runtime Java has no tensor type for " + t);
        }
    }

    private static DataType dataType(ai.onnxruntime.OnnxJavaType t) {
        switch (t) {
            case FLOAT: return DataType.FLOAT;
            case DOUBLE: return DataType.DOUBLE;
            case INT8: return DataType.INT8;
            case INT16: return DataType.INT16;
            case INT32: return DataType.INT32;
            case INT64: return DataType.INT64;
            case UINT8: return DataType.UINT8;
            case BOOL: return DataType.BOOL;
            case FLOAT16: return DataType.FLOAT16;
            case BFLOAT16: return DataType.BFLOAT16;
            case STRING: return DataType.STRING;
            default: return DataType.UNDEFINED;
        }
    }

    /** Output names in session order. */
    public static List<String> outputNames(OrtSession s) {
        return new ArrayList<>(s.getOutputNames());
    }
}
