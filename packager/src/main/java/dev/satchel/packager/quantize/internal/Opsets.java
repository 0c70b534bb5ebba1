package dev.satchel.packager.quantize.internal;

import dev.satchel.model.onnx.Onnx;

/** Opset-import helpers. */
public final class Opsets {
    private Opsets() {}

    public static void ensure(Onnx.ModelProto.Builder b, String domain, long version) {
        for (Onnx.OperatorSetIdProto o : b.getOpsetImportList()) {
            if (o.getDomain().equals(domain)) {
                return;
            }
        }
        b.addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version));
    }

    /** The default-domain opset version, 0 if absent. */
    public static long onnxVersion(Onnx.ModelProto m) {
        for (Onnx.OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return o.getVersion();
            }
        }
        return 0;
    }
}
