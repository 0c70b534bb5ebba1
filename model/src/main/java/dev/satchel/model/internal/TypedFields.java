package dev.satchel.model.internal;

import dev.satchel.model.DataType;
import dev.satchel.model.onnx.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes tensors stored in ONNX's typed repeated fields into the little-endian layout raw_data
 * would have (onnx.proto, TensorProto: int32_data also carries int8/uint8/int16/uint16/bool/
 * float16/bfloat16/float8 values, one per entry, and 4-bit types two per entry; uint64_data
 * carries uint32 and uint64).
 */
public final class TypedFields {
    private TypedFields() {}

    public static ByteBuffer encode(Onnx.TensorProto t) {
        DataType dt = DataType.ofCode(t.getDataType());
        if (dt == null || dt == DataType.STRING) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        long count = Protos.elementCount(t);
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "': dims " + t.getDimsList() + " are negative or too large");
        }
        long have = (long) t.getFloatDataCount() + t.getDoubleDataCount() + t.getInt32DataCount() + t.getInt64DataCount()
                + t.getUint64DataCount();
        long needEntries = dt.bits() < 8 ? (count + 1) / 2 : dt == DataType.COMPLEX64 || dt == DataType.COMPLEX128 ? 2 * count : count;
        if (have != needEntries) {
            throw new IllegalArgumentException("tensor '" + t.getName() + "': dims " + t.getDimsList() + " need " + needEntries
                    + " values but the typed data fields hold " + have);
        }
        ByteBuffer b = ByteBuffer.allocate((int) dt.storageBytes(count)).order(ByteOrder.LITTLE_ENDIAN);
        switch (dt) {
            case FLOAT:
            case COMPLEX64:
                for (int i = 0; i < t.getFloatDataCount() && b.remaining() >= 4; i++) {
                    b.putFloat(t.getFloatData(i));
                }
                break;
            case DOUBLE:
            case COMPLEX128:
                for (int i = 0; i < t.getDoubleDataCount() && b.remaining() >= 8; i++) {
                    b.putDouble(t.getDoubleData(i));
                }
                break;
            case INT64:
                for (int i = 0; i < t.getInt64DataCount() && b.remaining() >= 8; i++) {
                    b.putLong(t.getInt64Data(i));
                }
                break;
            case UINT64:
                for (int i = 0; i < t.getUint64DataCount() && b.remaining() >= 8; i++) {
                    b.putLong(t.getUint64Data(i));
                }
                break;
            case UINT32:
                for (int i = 0; i < t.getUint64DataCount() && b.remaining() >= 4; i++) {
                    b.putInt((int) t.getUint64Data(i));
                }
                break;
            case INT32:
                for (int i = 0; i < t.getInt32DataCount() && b.remaining() >= 4; i++) {
                    b.putInt(t.getInt32Data(i));
                }
                break;
            case INT16:
            case UINT16:
            case FLOAT16:
            case BFLOAT16:
                for (int i = 0; i < t.getInt32DataCount() && b.remaining() >= 2; i++) {
                    b.putShort((short) t.getInt32Data(i));
                }
                break;
            case INT4:
            case UINT4:
            case FLOAT4E2M1:
                // Already packed two per entry in int32_data.
                for (int i = 0; i < t.getInt32DataCount() && b.hasRemaining(); i++) {
                    b.put((byte) t.getInt32Data(i));
                }
                break;
            default:
                for (int i = 0; i < t.getInt32DataCount() && b.hasRemaining(); i++) {
                    b.put((byte) t.getInt32Data(i));
                }
                break;
        }
        b.flip();
        return b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
