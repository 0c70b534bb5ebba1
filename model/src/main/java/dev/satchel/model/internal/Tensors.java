package dev.satchel.model.internal;

import dev.satchel.model.onnx.Onnx;
import java.util.function.Consumer;

/** Walks every tensor a model holds, wherever the ONNX schema allows one to live. */
public final class Tensors {
    private Tensors() {}

    /**
     * Visits initializers, sparse initializers, tensor-valued attributes (Constant nodes and
     * others), in the main graph, all nested subgraphs, training graphs and functions.
     */
    public static void forEach(Onnx.ModelProto model, Consumer<Onnx.TensorProto> visitor) {
        if (model.hasGraph()) {
            forEach(model.getGraph(), visitor);
        }
        for (Onnx.TrainingInfoProto ti : model.getTrainingInfoList()) {
            forEach(ti.getInitialization(), visitor);
            forEach(ti.getAlgorithm(), visitor);
        }
        for (Onnx.FunctionProto f : model.getFunctionsList()) {
            for (Onnx.NodeProto n : f.getNodeList()) {
                forEach(n, visitor);
            }
        }
    }

    public static void forEach(Onnx.GraphProto g, Consumer<Onnx.TensorProto> visitor) {
        for (Onnx.TensorProto t : g.getInitializerList()) {
            visitor.accept(t);
        }
        for (Onnx.SparseTensorProto s : g.getSparseInitializerList()) {
            visitor.accept(s.getValues());
            visitor.accept(s.getIndices());
        }
        for (Onnx.NodeProto n : g.getNodeList()) {
            forEach(n, visitor);
        }
    }

    private static void forEach(Onnx.NodeProto n, Consumer<Onnx.TensorProto> visitor) {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            if (a.hasT()) {
                visitor.accept(a.getT());
            }
            for (Onnx.TensorProto t : a.getTensorsList()) {
                visitor.accept(t);
            }
            if (a.hasSparseTensor()) {
                visitor.accept(a.getSparseTensor().getValues());
                visitor.accept(a.getSparseTensor().getIndices());
            }
            for (Onnx.SparseTensorProto s : a.getSparseTensorsList()) {
                visitor.accept(s.getValues());
                visitor.accept(s.getIndices());
            }
            if (a.hasG()) {
                forEach(a.getG(), visitor);
            }
            for (Onnx.GraphProto g : a.getGraphsList()) {
                forEach(g, visitor);
            }
        }
    }
}
