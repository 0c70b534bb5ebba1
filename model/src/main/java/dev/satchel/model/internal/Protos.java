package dev.satchel.model.internal;

import dev.satchel.model.DataType;
import dev.satchel.model.Dim;
import dev.satchel.model.TensorType;
import dev.satchel.model.ValueInfo;
import dev.satchel.model.onnx.Onnx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Conversions between the ONNX protobuf schema and Satchel's own value types. */
public final class Protos {
    private Protos() {}

    public static ValueInfo valueInfo(Onnx.ValueInfoProto v) {
        Onnx.TypeProto t = v.getType();
        switch (t.getValueCase()) {
            case TENSOR_TYPE:
                return new ValueInfo(v.getName(), "tensor", tensorType(t.getTensorType()));
            case SEQUENCE_TYPE:
                return new ValueInfo(v.getName(), "sequence", null);
            case MAP_TYPE:
                return new ValueInfo(v.getName(), "map", null);
            case OPTIONAL_TYPE:
                return new ValueInfo(v.getName(), "optional", null);
            case SPARSE_TENSOR_TYPE:
                return new ValueInfo(v.getName(), "sparse_tensor", null);
            case OPAQUE_TYPE:
                return new ValueInfo(v.getName(), "opaque", null);
            default:
                return new ValueInfo(v.getName(), "unknown", null);
        }
    }

    public static TensorType tensorType(Onnx.TypeProto.Tensor t) {
        DataType et = t.hasElemType() ? DataType.ofCode(t.getElemType()) : null;
        if (!t.hasShape()) {
            return new TensorType(et, null);
        }
        List<Dim> dims = new ArrayList<>();
        for (Onnx.TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            dims.add(dim(d));
        }
        return new TensorType(et, dims);
    }

    public static Dim dim(Onnx.TensorShapeProto.Dimension d) {
        switch (d.getValueCase()) {
            case DIM_VALUE:
                return d.getDimValue() >= 0 ? Dim.of(d.getDimValue()) : Dim.unknown();
            case DIM_PARAM:
                return Dim.symbol(d.getDimParam());
            default:
                return Dim.unknown();
        }
    }

    public static Onnx.TypeProto typeProto(TensorType t) {
        Onnx.TypeProto.Tensor.Builder tb = Onnx.TypeProto.Tensor.newBuilder();
        if (t.elementType() != null) {
            tb.setElemType(t.elementType().code());
        }
        if (t.shape() != null) {
            Onnx.TensorShapeProto.Builder sb = Onnx.TensorShapeProto.newBuilder();
            for (Dim d : t.shape()) {
                Onnx.TensorShapeProto.Dimension.Builder db = Onnx.TensorShapeProto.Dimension.newBuilder();
                if (d.isKnown()) {
                    db.setDimValue(d.value());
                } else if (d.isSymbolic()) {
                    db.setDimParam(d.symbol());
                }
                sb.addDim(db);
            }
            tb.setShape(sb);
        }
        return Onnx.TypeProto.newBuilder().setTensorType(tb).build();
    }

    /**
     * Element count of a tensor from its dims (empty dims: a scalar, 1 element); -1 when a dim is
     * negative or the product overflows (a damaged or hostile file).
     */
    public static long elementCount(Onnx.TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /** Visits every subgraph held by a node's attributes (If branches, Loop/Scan bodies). */
    public static void forEachSubgraph(Onnx.NodeProto node, Consumer<Onnx.GraphProto> visitor) {
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) {
                visitor.accept(a.getG());
            }
            for (Onnx.GraphProto g : a.getGraphsList()) {
                visitor.accept(g);
            }
        }
    }

    public static Onnx.AttributeProto attribute(Onnx.NodeProto node, String name) {
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** "MatMul" for the default domain, "com.microsoft:MatMulNBits" otherwise. */
    public static String qualifiedOpType(Onnx.NodeProto n) {
        String d = n.getDomain();
        return d.isEmpty() || d.equals("ai.onnx") ? n.getOpType() : d + ":" + n.getOpType();
    }

    /** A short name for a node in messages: its name, else its op type and first output. */
    public static String describe(Onnx.NodeProto n, int index) {
        String name = n.getName().isEmpty() ? "" : "'" + n.getName() + "' ";
        String out = n.getOutputCount() > 0 ? " -> '" + n.getOutput(0) + "'" : "";
        return "node " + name + "#" + index + " (" + qualifiedOpType(n) + out + ")";
    }
}
