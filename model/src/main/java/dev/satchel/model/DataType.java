package dev.satchel.model;

import java.util.HashMap;
import java.util.Map;

/**
 * ONNX tensor element types (TensorProto.DataType), with the names Satchel prints and their storage
 * width. Sub-byte types (int4, uint4, float4, int2, uint2) pack several elements per byte.
 */
public enum DataType {
    UNDEFINED(0, "undefined", 0),
    FLOAT(1, "float32", 32),
    UINT8(2, "uint8", 8),
    INT8(3, "int8", 8),
    UINT16(4, "uint16", 16),
    INT16(5, "int16", 16),
    INT32(6, "int32", 32),
    INT64(7, "int64", 64),
    STRING(8, "string", 0),
    BOOL(9, "bool", 8),
    FLOAT16(10, "float16", 16),
    DOUBLE(11, "float64", 64),
    UINT32(12, "uint32", 32),
    UINT64(13, "uint64", 64),
    COMPLEX64(14, "complex64", 64),
    COMPLEX128(15, "complex128", 128),
    BFLOAT16(16, "bfloat16", 16),
    FLOAT8E4M3FN(17, "float8e4m3fn", 8),
    FLOAT8E4M3FNUZ(18, "float8e4m3fnuz", 8),
    FLOAT8E5M2(19, "float8e5m2", 8),
    FLOAT8E5M2FNUZ(20, "float8e5m2fnuz", 8),
    UINT4(21, "uint4", 4),
    INT4(22, "int4", 4),
    FLOAT4E2M1(23, "float4e2m1", 4),
    FLOAT8E8M0(24, "float8e8m0", 8),
    UINT2(25, "uint2", 2),
    INT2(26, "int2", 2);

    private static final Map<Integer, DataType> BY_CODE = new HashMap<>();
    private static final Map<String, DataType> BY_NAME = new HashMap<>();

    static {
        for (DataType t : values()) {
            BY_CODE.put(t.code, t);
            BY_NAME.put(t.displayName, t);
        }
    }

    private final int code;
    private final String displayName;
    private final int bits;

    DataType(int code, String displayName, int bits) {
        this.code = code;
        this.displayName = displayName;
        this.bits = bits;
    }

    /** The ONNX enum value (TensorProto.DataType). */
    public int code() {
        return code;
    }

    /** Lower-case name as printed by Satchel and used in JSON: {@code float32}, {@code int8}. */
    public String displayName() {
        return displayName;
    }

    /** Storage bits per element; 0 for variable-width STRING and UNDEFINED. */
    public int bits() {
        return bits;
    }

    public boolean isFloatingPoint() {
        switch (this) {
            case FLOAT: case FLOAT16: case DOUBLE: case BFLOAT16: case FLOAT8E4M3FN: case FLOAT8E4M3FNUZ:
            case FLOAT8E5M2: case FLOAT8E5M2FNUZ: case FLOAT4E2M1: case FLOAT8E8M0:
                return true;
            default:
                return false;
        }
    }

    public boolean isInteger() {
        switch (this) {
            case UINT8: case INT8: case UINT16: case INT16: case INT32: case INT64: case UINT32: case UINT64:
            case UINT4: case INT4: case UINT2: case INT2:
                return true;
            default:
                return false;
        }
    }

    /** Bytes needed to store {@code elements} densely (sub-byte types round up). */
    public long storageBytes(long elements) {
        return (elements * bits + 7) / 8;
    }

    /** The type for an ONNX code; {@code null} if the code is not one ONNX defines. */
    public static DataType ofCode(int code) {
        return BY_CODE.get(code);
    }

    /** The type for a display name such as {@code float32}; {@code null} if unknown. */
    public static DataType ofName(String name) {
        return BY_NAME.get(name);
    }

    @Override
    public String toString() {
        return displayName;
    }
}
