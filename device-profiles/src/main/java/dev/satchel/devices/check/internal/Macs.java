package dev.satchel.devices.check.internal;

import dev.satchel.model.Dim;
import dev.satchel.model.TensorType;
import dev.satchel.model.onnx.Onnx;
import java.util.List;

/**
 * Multiply-accumulates per node for the operators that carry nearly all of a model's compute
 * (ONNX operator docs give the shapes): MatMul-like ops cost output elements × K; convolutions
 * cost output elements × (input channels / group) × kernel size. Other ops count as 0: element-wise
 * work is small next to these and is not what accelerators are chosen for.
 */
final class Macs {
    private Macs() {}

    static long of(GraphView g, Onnx.NodeProto n) {
        try {
            switch (n.getOpType()) {
                case "MatMul":
                case "FusedMatMul":
                case "MatMulInteger":
                case "DynamicQuantizeMatMul":
                case "MatMulIntegerToFloat":
                    return matMul(g, n, 0, out(g, n));
                case "QLinearMatMul":
                    return matMul(g, n, 0, out(g, n));
                case "MatMulNBits": {
                    long k = Long.parseLong(GraphView.attribute(n, "K").orElse("-1"));
                    long o = out(g, n);
                    return k > 0 && o >= 0 ? Math.multiplyExact(o, k) : -1;
                }
                case "Gemm": {
                    TensorType a = g.type(n.getInput(0));
                    if (!a.hasRank() || a.rank() != 2) {
                        return -1;
                    }
                    boolean transA = GraphView.attribute(n, "transA").orElse("0").equals("1");
                    Dim k = a.shape().get(transA ? 0 : 1);
                    long o = out(g, n);
                    return k.isKnown() && o >= 0 ? Math.multiplyExact(o, k.value()) : -1;
                }
                case "Conv":
                case "ConvInteger":
                case "FusedConv":
                    return conv(g, n, 1, out(g, n));
                case "QLinearConv":
                    return conv(g, n, 3, out(g, n));
                case "ConvTranspose": {
                    long in = g.type(n.getInput(0)).elementCount();
                    long w = perOutput(g.type(n.getInput(1)));
                    return in >= 0 && w >= 0 ? Math.multiplyExact(in, w) : -1;
                }
                default:
                    return 0;
            }
        } catch (ArithmeticException | IndexOutOfBoundsException | NumberFormatException e) {
            return -1;
        }
    }

    private static long out(GraphView g, Onnx.NodeProto n) {
        return n.getOutputCount() == 0 ? -1 : g.type(n.getOutput(0)).elementCount();
    }

    private static long matMul(GraphView g, Onnx.NodeProto n, int aIndex, long outElements) {
        TensorType a = g.type(n.getInput(aIndex));
        if (!a.hasRank() || a.rank() == 0 || outElements < 0) {
            return -1;
        }
        Dim k = a.shape().get(a.rank() - 1);
        return k.isKnown() ? Math.multiplyExact(outElements, k.value()) : -1;
    }

    private static long conv(GraphView g, Onnx.NodeProto n, int wIndex, long outElements) {
        long w = perOutput(g.type(n.getInput(wIndex)));
        return w >= 0 && outElements >= 0 ? Math.multiplyExact(outElements, w) : -1;
    }

    /** Product of a weight's dims after the first: (C/group) × kernel. */
    private static long perOutput(TensorType w) {
        if (!w.isFullyKnown() || w.rank() < 2) {
            return -1;
        }
        List<Dim> s = w.shape();
        long p = 1;
        for (int i = 1; i < s.size(); i++) {
            p = Math.multiplyExact(p, s.get(i).value());
        }
        return p;
    }
}
