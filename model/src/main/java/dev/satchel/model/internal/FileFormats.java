package dev.satchel.model.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Recognises files that are clearly not ONNX by their leading bytes, so the error can say what
 * the file is instead of a protobuf parse failure.
 */
public final class FileFormats {
    private FileFormats() {}

    /** A short description of a known non-ONNX format, or {@code null} if none matches. */
    public static String identifyForeign(ByteBuffer head) {
        int n = Math.min(head.remaining(), 16);
        byte[] b = new byte[n];
        head.duplicate().get(b);
        if (startsWith(b, 0, "PK\u0003\u0004")) {
            return "a ZIP archive (a PyTorch .pt/.pth checkpoint, a Satchel bundle or a jar?), not an ONNX model";
        }
        if (startsWith(b, 4, "TFL3")) {
            return "a TensorFlow Lite flatbuffer, not an ONNX model";
        }
        if (startsWith(b, 4, "ORTM")) {
            return "an ONNX Runtime ORT-format model; Satchel reads .onnx protobuf models";
        }
        if (startsWith(b, 0, "GGUF")) {
            return "a GGUF file, not an ONNX model";
        }
        if (startsWith(b, 0, "\u0089HDF")) {
            return "an HDF5 (Keras .h5) file, not an ONNX model";
        }
        if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            return "a gzip-compressed file; decompress it first";
        }
        if (n >= 2 && (b[0] & 0xff) == 0x80 && (b[1] & 0xff) <= 5) {
            return "a Python pickle, not an ONNX model";
        }
        if (n >= 1 && (b[0] == '{' || b[0] == '<' || b[0] == '#')) {
            return "a text file (JSON, XML or script?), not an ONNX model";
        }
        if (n >= 9 && b[8] == '{' && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            return "a safetensors file, not an ONNX model";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int offset, String ascii) {
        byte[] m = ascii.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length < offset + m.length) {
            return false;
        }
        for (int i = 0; i < m.length; i++) {
            if (b[offset + i] != m[i]) {
                return false;
            }
        }
        return true;
    }
}
