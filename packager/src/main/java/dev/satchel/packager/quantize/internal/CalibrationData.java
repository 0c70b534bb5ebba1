package dev.satchel.packager.quantize.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads calibration samples: a folder with one sub-folder per sample, each holding one file per
 * graph input named {@code <input>.npy} (NumPy format 1.0-3.0, C order, little-endian or
 * single-byte dtypes) or {@code <input>.pb} (a serialized ONNX TensorProto).
 */
public final class CalibrationData {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private CalibrationData() {}

    public static List<Map<String, OnnxTensor>> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new QuantizeException(QuantizeException.Code.BAD_INPUTS, dir + ": calibration data must be a folder of sample folders");
        }
        List<Path> samples;
        try (Stream<Path> s = Files.list(dir)) {
            samples = s.filter(Files::isDirectory).sorted().toList();
        }
        if (samples.isEmpty()) {
            throw new QuantizeException(QuantizeException.Code.BAD_INPUTS, dir + ": no sample folders (one folder per sample, "
                    + "holding <input>.npy or <input>.pb files)");
        }
        List<Map<String, OnnxTensor>> out = new ArrayList<>();
        for (Path sample : samples) {
            Map<String, OnnxTensor> m = new LinkedHashMap<>();
            List<Path> files;
            try (Stream<Path> s = Files.list(sample)) {
                files = s.filter(p -> p.toString().endsWith(".npy") || p.toString().endsWith(".pb")).sorted().toList();
            }
            for (Path f : files) {
                String file = f.getFileName().toString();
                String input = file.substring(0, file.lastIndexOf('.'));
                try {
                    m.put(input, file.endsWith(".npy") ? npy(f) : pb(f));
                } catch (OrtException e) {
                    throw new QuantizeException(QuantizeException.Code.BAD_INPUTS, f + ": " + e.getMessage(), e);
                }
            }
            out.add(m);
        }
        return out;
    }

    static OnnxTensor npy(Path f) throws IOException, OrtException {
        byte[] all = Files.readAllBytes(f);
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new QuantizeException(QuantizeException.Code.BAD_INPUTS, f + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher fo = FORTRAN.matcher(header);
        Matcher sh = SHAPE.matcher(header);
        if (!d.find() || !fo.find() || !sh.find()) {
            throw new QuantizeException(QuantizeException.Code.BAD_INPUTS, f + ": unreadable .npy header " + header.trim());
        }
        if (fo.group(1).equals("True")) {
            throw new QuantizeException(QuantizeException.Code.BAD_INPUTS, f + ": Fortran-order arrays are not supported; save with C order");
        }
        List<Long> dims = new ArrayList<>();
        for (String p : sh.group(1).split(",")) {
            if (!p.isBlank()) {
                dims.add(Long.parseLong(p.trim()));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        OnnxJavaType type;
        switch (d.group(1)) {
            case "<f4": type = OnnxJavaType.FLOAT; break;
            case "<f8": type = OnnxJavaType.DOUBLE; break;
            case "<i8": type = OnnxJavaType.INT64; break;
            case "<i4": type = OnnxJavaType.INT32; break;
            case "|u1": type = OnnxJavaType.UINT8; break;
            case "|i1": type = OnnxJavaType.INT8; break;
            case "|b1": type = OnnxJavaType.BOOL; break;
            default:
                throw new QuantizeException(QuantizeException.Code.BAD_INPUTS, f + ": dtype " + d.group(1) + " is not supported");
        }
        int dataStart = start + headerLen;
        ByteBuffer data = ByteBuffer.allocateDirect(all.length - dataStart).order(ByteOrder.nativeOrder());
        data.put(all, dataStart, all.length - dataStart).flip();
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), data, shape, type);
    }

    static OnnxTensor pb(Path f) throws IOException, OrtException {
        Onnx.TensorProto t = Onnx.TensorProto.parseFrom(Files.readAllBytes(f));
        ByteBuffer le = OnnxModel.of(Onnx.ModelProto.getDefaultInstance(), f.getParent()).tensorData(t);
        ByteBuffer data = ByteBuffer.allocateDirect(le.remaining()).order(ByteOrder.nativeOrder());
        data.put(le).flip();
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        OnnxJavaType type;
        switch (t.getDataType()) {
            case 1: type = OnnxJavaType.FLOAT; break;
            case 11: type = OnnxJavaType.DOUBLE; break;
            case 7: type = OnnxJavaType.INT64; break;
            case 6: type = OnnxJavaType.INT32; break;
            case 2: type = OnnxJavaType.UINT8; break;
            case 3: type = OnnxJavaType.INT8; break;
            case 9: type = OnnxJavaType.BOOL; break;
            default:
                throw new QuantizeException(QuantizeException.Code.BAD_INPUTS, f + ": tensor data type " + t.getDataType() + " is not supported");
        }
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), data, shape, type);
    }
}
