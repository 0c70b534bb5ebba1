package dev.satchel.packager.quantize.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.satchel.model.ModelException;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.packager.quantize.QuantizeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads input samples (int8-static calibration data and user-supplied evaluation inputs): a folder
 * with one sub-folder per sample, each holding one file per graph input named {@code <input>.npy}
 * (NumPy format 1.0-3.0, C order, little-endian or single-byte dtypes) or {@code <input>.pb} (a
 * serialized ONNX TensorProto). Every problem is a {@code BAD_INPUTS} exception whose one-line
 * message starts with the file or folder at fault. The caller owns (and closes) the tensors.
 */
public final class CalibrationData {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /**
     * What a graph input accepts.
     *
     * @param type element type
     * @param shape dimensions, negative for symbolic ones
     * @param symbols per dimension its symbol name ("" when fixed or unnamed)
     * @param tableRows for an integer input used as Gather indices into a constant table (token
     *     ids), the table's row count; 0 otherwise. Values must then lie in [-rows, rows - 1]
     *     (ONNX Gather), or the model cannot run on them.
     */
    public record Signature(OnnxJavaType type, long[] shape, List<String> symbols, long tableRows) {
        public Signature {
            shape = shape.clone();
            symbols = List.copyOf(symbols);
        }
    }

    private CalibrationData() {}

    /** Reads every sample as it is, without checking it against a model. */
    public static List<Map<String, OnnxTensor>> read(Path dir) throws IOException {
        return read(dir, null, "calibration data");
    }

    /**
     * Reads every sample and checks it against the model's inputs: every input present, no other
     * files named like inputs, element types equal, fixed dimensions equal, and a symbolic dimension
     * the same size everywhere it appears within a sample.
     *
     * @param inputs the model's inputs in order, or null to skip the checks
     * @param what what the folder is, for messages ("evaluation inputs", "calibration data")
     */
    public static List<Map<String, OnnxTensor>> read(Path dir, Map<String, Signature> inputs, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw bad(dir + ": " + what + " must be a folder of sample folders");
        }
        List<Path> samples;
        try (Stream<Path> s = Files.list(dir)) {
            samples = s.filter(Files::isDirectory).sorted().toList();
        }
        if (samples.isEmpty()) {
            throw bad(dir + ": no sample folders in the " + what + " (one folder per sample, holding <input>.npy or <input>.pb files)");
        }
        List<Map<String, OnnxTensor>> out = new ArrayList<>();
        boolean ok = false;
        try {
            for (Path sample : samples) {
                Map<String, OnnxTensor> m = new LinkedHashMap<>();
                out.add(m);
                readSample(sample, inputs, m);
            }
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.forEach(m -> m.values().forEach(OnnxTensor::close));
            }
        }
    }

    private static void readSample(Path sample, Map<String, Signature> inputs, Map<String, OnnxTensor> m) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(sample)) {
            files = s.filter(p -> Files.isRegularFile(p) && (p.toString().endsWith(".npy") || p.toString().endsWith(".pb")))
                    .sorted().toList();
        }
        Map<String, Path> byInput = new LinkedHashMap<>();
        for (Path f : files) {
            String file = f.getFileName().toString();
            String input = file.substring(0, file.lastIndexOf('.'));
            if (inputs != null && !inputs.containsKey(input)) {
                throw bad(f + ": '" + input + "' is not an input of the model (its inputs: " + String.join(", ", inputs.keySet()) + ")");
            }
            Path other = byInput.putIfAbsent(input, f);
            if (other != null) {
                throw bad(f + ": input '" + input + "' is also given by " + other.getFileName() + "; keep one of the two");
            }
        }
        if (inputs != null) {
            for (String input : inputs.keySet()) {
                if (!byInput.containsKey(input)) {
                    throw bad(sample.resolve(input + ".npy") + ": missing; every sample folder needs a file for the model's input '"
                            + input + "' (" + input + ".npy or " + input + ".pb)");
                }
            }
        }
        // Symbol name -> {size, file that fixed it}.
        Map<String, Object[]> symbols = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : byInput.entrySet()) {
            Path f = e.getValue();
            Tensor t = f.toString().endsWith(".npy") ? npy(f) : pb(f);
            if (inputs != null) {
                check(f, e.getKey(), inputs.get(e.getKey()), t, symbols);
            }
            try {
                m.put(e.getKey(), OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), t.data, t.shape, t.type));
            } catch (OrtException ex) {
                throw new QuantizeException(QuantizeException.Code.BAD_INPUTS, f + ": " + ex.getMessage(), ex);
            }
        }
    }

    private static void check(Path f, String input, Signature sig, Tensor t, Map<String, Object[]> symbols) throws QuantizeException {
        if (sig.type() != t.type) {
            throw bad(f + ": element type " + t.typeText + ", but the model's input '" + input + "' is " + typeName(sig.type()));
        }
        boolean fits = sig.shape().length == t.shape.length;
        for (int i = 0; fits && i < t.shape.length; i++) {
            fits = sig.shape()[i] < 0 || sig.shape()[i] == t.shape[i];
        }
        if (!fits) {
            throw bad(f + ": shape " + Arrays.toString(t.shape) + " does not match the model's input '" + input + "' "
                    + shapeText(sig));
        }
        if (sig.tableRows() > 0 && (t.type == OnnxJavaType.INT64 || t.type == OnnxJavaType.INT32)) {
            int size = t.type == OnnxJavaType.INT64 ? 8 : 4;
            for (int i = 0; i < t.data.limit() / size; i++) {
                long v = size == 8 ? t.data.getLong(8 * i) : t.data.getInt(4 * i);
                if (v < -sig.tableRows() || v >= sig.tableRows()) {
                    throw bad(f + ": value " + v + " at position " + i + " is not a row of the table that the model's input '"
                            + input + "' indexes (" + sig.tableRows() + " rows: ids 0 to " + (sig.tableRows() - 1) + ")");
                }
            }
        }
        for (int i = 0; i < t.shape.length; i++) {
            String sym = i < sig.symbols().size() ? sig.symbols().get(i) : "";
            if (sig.shape()[i] >= 0 || sym.isEmpty()) {
                continue;
            }
            Object[] seen = symbols.putIfAbsent(sym, new Object[] {t.shape[i], f.getFileName().toString()});
            if (seen != null && (long) seen[0] != t.shape[i]) {
                throw bad(f + ": dimension '" + sym + "' is " + t.shape[i] + " here but " + seen[0] + " in " + seen[1]
                        + " of the same sample");
            }
        }
    }

    private static String shapeText(Signature sig) {
        List<String> d = new ArrayList<>();
        for (int i = 0; i < sig.shape().length; i++) {
            String sym = i < sig.symbols().size() ? sig.symbols().get(i) : "";
            d.add(sig.shape()[i] >= 0 ? Long.toString(sig.shape()[i]) : sym.isEmpty() ? "?" : sym);
        }
        return "[" + String.join(", ", d) + "]";
    }

    /** The ONNX name of an element type (float32, int64, ...). */
    static String typeName(OnnxJavaType t) {
        switch (t) {
            case FLOAT: return "float32";
            case DOUBLE: return "float64";
            default: return t.name().toLowerCase(Locale.ROOT);
        }
    }

    private static QuantizeException bad(String message) {
        return new QuantizeException(QuantizeException.Code.BAD_INPUTS, message);
    }

    /** A decoded file: native-order data ready for ONNX Runtime. */
    private record Tensor(ByteBuffer data, long[] shape, OnnxJavaType type, String typeText) {}

    private static Tensor npy(Path f) throws IOException {
        byte[] all = Files.readAllBytes(f);
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw bad(f + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = all[6];
        if (major < 1 || major > 3) {
            throw bad(f + ": unreadable .npy: format version " + major + "." + all[7] + " (supported: 1.0 to 3.0)");
        }
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int start = major == 1 ? 10 : 12;
        long headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : all.length < 12 ? -1 : Integer.toUnsignedLong(b.getInt(8));
        if (headerLen < 0 || start + headerLen > all.length) {
            throw bad(f + ": unreadable .npy: the header is cut short (file of " + all.length + " bytes)");
        }
        String header = new String(all, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher fo = FORTRAN.matcher(header);
        Matcher sh = SHAPE.matcher(header);
        if (!d.find() || !fo.find() || !sh.find()) {
            throw bad(f + ": unreadable .npy header " + header.trim().replaceAll("\\s+", " "));
        }
        if (fo.group(1).equals("True")) {
            throw bad(f + ": Fortran-order arrays are not supported; save with C order");
        }
        long[] shape;
        try {
            shape = Arrays.stream(sh.group(1).split(",")).map(String::trim).filter(p -> !p.isEmpty())
                    .mapToLong(p -> Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p)).toArray();
        } catch (NumberFormatException e) {
            throw bad(f + ": unreadable .npy: shape (" + sh.group(1) + ") is not a tuple of whole numbers");
        }
        String descr = d.group(1);
        OnnxJavaType type;
        int size;
        switch (descr) {
            case "<f4": type = OnnxJavaType.FLOAT; size = 4; break;
            case "<f8": type = OnnxJavaType.DOUBLE; size = 8; break;
            case "<i8": type = OnnxJavaType.INT64; size = 8; break;
            case "<i4": type = OnnxJavaType.INT32; size = 4; break;
            case "|u1": type = OnnxJavaType.UINT8; size = 1; break;
            case "|i1": type = OnnxJavaType.INT8; size = 1; break;
            case "|b1": type = OnnxJavaType.BOOL; size = 1; break;
            default:
                throw bad(f + ": dtype " + descr + " is not supported (use <f4, <f8, <i8, <i4, |u1, |i1 or |b1"
                        + (descr.startsWith(">") ? "; this one is big-endian" : "") + ")");
        }
        int dataStart = (int) (start + headerLen);
        long need = size;
        for (long dim : shape) {
            if (dim < 0) {
                throw bad(f + ": unreadable .npy: negative dimension in shape (" + sh.group(1) + ")");
            }
            need = Math.multiplyExact(need, dim);
        }
        if (all.length - dataStart != need) {
            throw bad(f + ": unreadable .npy: " + (all.length - dataStart) + " data bytes, but shape " + Arrays.toString(shape)
                    + " of " + descr + " needs " + need);
        }
        ByteBuffer data = ByteBuffer.allocateDirect(all.length - dataStart).order(ByteOrder.nativeOrder());
        data.put(all, dataStart, all.length - dataStart).flip();
        return new Tensor(data, shape, type, typeName(type) + " (" + descr + ")");
    }

    private static Tensor pb(Path f) throws IOException {
        Onnx.TensorProto t;
        ByteBuffer le;
        try {
            t = Onnx.TensorProto.parseFrom(Files.readAllBytes(f));
            le = OnnxModel.of(Onnx.ModelProto.getDefaultInstance(), f.getParent()).tensorData(t);
        } catch (com.google.protobuf.InvalidProtocolBufferException | ModelException e) {
            throw bad(f + ": not a readable ONNX TensorProto: " + e.getMessage());
        }
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        OnnxJavaType type;
        int size;
        switch (t.getDataType()) {
            case 1: type = OnnxJavaType.FLOAT; size = 4; break;
            case 11: type = OnnxJavaType.DOUBLE; size = 8; break;
            case 7: type = OnnxJavaType.INT64; size = 8; break;
            case 6: type = OnnxJavaType.INT32; size = 4; break;
            case 2: type = OnnxJavaType.UINT8; size = 1; break;
            case 3: type = OnnxJavaType.INT8; size = 1; break;
            case 9: type = OnnxJavaType.BOOL; size = 1; break;
            default:
                throw bad(f + ": tensor data type " + t.getDataType() + " is not supported (float32, float64, int64, int32, "
                        + "uint8, int8, bool)");
        }
        long need = size;
        for (long dim : shape) {
            need = Math.multiplyExact(need, Math.max(0, dim));
        }
        if (le.remaining() != need) {
            throw bad(f + ": the tensor holds " + le.remaining() + " data bytes, but shape " + Arrays.toString(shape) + " of "
                    + typeName(type) + " needs " + need);
        }
        ByteBuffer data = ByteBuffer.allocateDirect(le.remaining()).order(ByteOrder.nativeOrder());
        data.put(le).flip();
        return new Tensor(data, shape, type, typeName(type));
    }
}
