package dev.satchel.model.internal;

import dev.satchel.model.DataType;
import dev.satchel.model.Dim;
import dev.satchel.model.Graphs;
import dev.satchel.model.ModelException;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.ShapeResult;
import dev.satchel.model.TensorType;
import dev.satchel.model.onnx.Onnx;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape-inference engine behind {@link dev.satchel.model.ShapeInference}. Rules follow the
 * ONNX operator specifications (onnx/docs/Operators.md) for each opset in which the operator's
 * signature changed (for example Squeeze/Unsqueeze axes move from an attribute to an input in
 * opset 13, Slice's starts/ends in opset 10, Reduce* axes in opsets 13/18).
 */
public final class ShapeEngine {
    /** Integer tensors up to this many elements have their content tracked (shape arithmetic). */
    private static final int MAX_TRACKED = 4096;

    /** What is known about one value. */
    static final class Info {
        final TensorType type;
        final List<Dim> ints;
        final double[] floats;
        final boolean constant;

        Info(TensorType type, List<Dim> ints, double[] floats, boolean constant) {
            this.type = type;
            this.ints = ints;
            this.floats = floats;
            this.constant = constant;
        }

        static Info of(TensorType t) {
            return new Info(t, null, null, false);
        }

        List<Dim> shape() {
            return type.shape();
        }

        DataType dtype() {
            return type.elementType();
        }

        boolean hasRank() {
            return type.hasRank();
        }
    }

    private final OnnxModel model;
    private final Map<String, Long> bindings;
    private final Map<String, TensorType> results = new LinkedHashMap<>();
    private final Set<String> unsupported = new HashSet<>();
    private final Set<String> declared = new HashSet<>();
    private final Set<String> constants = new HashSet<>();
    private final Map<String, Long> opsets = new HashMap<>();

    public ShapeEngine(OnnxModel model, Map<String, Long> bindings) {
        this.model = model;
        this.bindings = Map.copyOf(bindings);
        for (Onnx.OperatorSetIdProto o : model.proto().getOpsetImportList()) {
            opsets.put(o.getDomain().equals("ai.onnx") ? "" : o.getDomain(), o.getVersion());
        }
    }

    public ShapeResult run() throws ModelException {
        Map<String, Info> env = new HashMap<>();
        graph(model.proto().getGraph(), env, true);
        return new ShapeResult(results, unsupported, declared, constants);
    }

    private long opset() {
        return opsets.getOrDefault("", 1L);
    }

    /** Infers a graph; {@code env} holds the outer scope and receives this graph's values. */
    private List<Info> graph(Onnx.GraphProto g, Map<String, Info> env, boolean main) throws ModelException {
        for (Onnx.TensorProto t : g.getInitializerList()) {
            put(env, t.getName(), initializer(t));
        }
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            if (env.containsKey(v.getName()) && main) {
                continue; // an initializer also listed as input (IR < 4): the initializer is the default
            }
            TensorType t = v.getType().hasTensorType() ? bind(Protos.tensorType(v.getType().getTensorType())) : TensorType.unknown();
            put(env, v.getName(), Info.of(t));
        }
        Map<String, Onnx.ValueInfoProto> valueInfo = new HashMap<>();
        for (Onnx.ValueInfoProto v : g.getValueInfoList()) {
            valueInfo.put(v.getName(), v);
        }
        for (Onnx.ValueInfoProto v : g.getOutputList()) {
            valueInfo.putIfAbsent(v.getName(), v);
        }
        for (int idx : Graphs.topologicalOrder(g)) {
            Onnx.NodeProto n = g.getNode(idx);
            List<Info> outs;
            try {
                outs = node(n, env);
            } catch (ArithmeticException | IndexOutOfBoundsException | IllegalArgumentException e) {
                // Inconsistent shapes in the model itself: leave the outputs unknown rather than guess.
                outs = null;
            }
            boolean ruleMissing = outs == null;
            for (int i = 0; i < n.getOutputCount(); i++) {
                String name = n.getOutput(i);
                if (name.isEmpty()) {
                    continue;
                }
                Info info = outs != null && i < outs.size() && outs.get(i) != null ? outs.get(i) : Info.of(TensorType.unknown());
                if ((ruleMissing || !info.type.hasRank()) && valueInfo.containsKey(name)
                        && valueInfo.get(name).getType().hasTensorType()) {
                    TensorType d = bind(Protos.tensorType(valueInfo.get(name).getType().getTensorType()));
                    if (d.hasRank()) {
                        info = Info.of(info.type.elementType() != null && d.elementType() == null
                                ? d.withElementType(info.type.elementType()) : d);
                        declared.add(name);
                    }
                }
                put(env, name, info);
            }
        }
        List<Info> outputs = new ArrayList<>();
        for (Onnx.ValueInfoProto v : g.getOutputList()) {
            Info i = env.get(v.getName());
            outputs.add(i == null ? Info.of(TensorType.unknown()) : i);
        }
        return outputs;
    }

    private void put(Map<String, Info> env, String name, Info info) {
        env.put(name, info);
        results.put(name, info.type);
        if (info.constant) {
            constants.add(name);
        } else {
            constants.remove(name);
        }
    }

    private TensorType bind(TensorType t) {
        if (!t.hasRank()) {
            return t;
        }
        List<Dim> dims = new ArrayList<>();
        for (Dim d : t.shape()) {
            if (d.isSymbolic() && bindings.containsKey(d.symbol())) {
                dims.add(Dim.of(bindings.get(d.symbol())));
            } else {
                dims.add(d);
            }
        }
        return t.withShape(dims);
    }

    private Info initializer(Onnx.TensorProto t) throws ModelException {
        List<Dim> dims = new ArrayList<>();
        for (long d : t.getDimsList()) {
            dims.add(Dim.of(d));
        }
        DataType dt = DataType.ofCode(t.getDataType());
        TensorType type = new TensorType(dt, dims);
        long count = Protos.elementCount(t);
        List<Dim> ints = null;
        double[] floats = null;
        if (dt != null && count >= 0 && count <= MAX_TRACKED) {
            ByteBuffer b = model.tensorData(t);
            if (isIntLike(dt)) {
                ints = readInts(b, dt, (int) count);
            } else if (dt == DataType.FLOAT || dt == DataType.DOUBLE) {
                floats = readFloats(b, dt, (int) count);
            }
        }
        return new Info(type, ints, floats, true);
    }

    private static boolean isIntLike(DataType dt) {
        return dt == DataType.INT64 || dt == DataType.INT32 || dt == DataType.BOOL || dt == DataType.UINT8
                || dt == DataType.INT8 || dt == DataType.INT16 || dt == DataType.UINT16 || dt == DataType.UINT32;
    }

    private static List<Dim> readInts(ByteBuffer b, DataType dt, int count) {
        List<Dim> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long v;
            switch (dt) {
                case INT64: v = b.getLong(i * 8); break;
                case INT32: v = b.getInt(i * 4); break;
                case UINT32: v = b.getInt(i * 4) & 0xffffffffL; break;
                case INT16: v = b.getShort(i * 2); break;
                case UINT16: v = b.getShort(i * 2) & 0xffff; break;
                case INT8: v = b.get(i); break;
                default: v = b.get(i) & 0xff; break;
            }
            out.add(v >= 0 ? Dim.of(v) : Dim.symbol("#" + v));
        }
        return out;
    }

    private static double[] readFloats(ByteBuffer b, DataType dt, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = dt == DataType.FLOAT ? b.getFloat(i * 4) : b.getDouble(i * 8);
        }
        return out;
    }

    // ---- integer content helpers: negative numbers are stored as the symbol "#-n" ----

    static long asLong(Dim d) {
        if (d.isKnown()) {
            return d.value();
        }
        if (d.isSymbolic() && d.symbol().startsWith("#")) {
            return Long.parseLong(d.symbol().substring(1));
        }
        throw new IllegalStateException("not a number: " + d);
    }

    static boolean isNumber(Dim d) {
        return d.isKnown() || d.isSymbolic() && d.symbol().startsWith("#");
    }

    static Dim num(long v) {
        return v >= 0 ? Dim.of(v) : Dim.symbol("#" + v);
    }

    /** Integer content as longs when every element is a plain number, else null. */
    static long[] longs(Info i) {
        if (i == null || i.ints == null) {
            return null;
        }
        long[] out = new long[i.ints.size()];
        for (int k = 0; k < out.length; k++) {
            if (!isNumber(i.ints.get(k))) {
                return null;
            }
            out[k] = asLong(i.ints.get(k));
        }
        return out;
    }

    // ---- node rules ----

    private List<Info> node(Onnx.NodeProto n, Map<String, Info> env) throws ModelException {
        List<Info> in = new ArrayList<>();
        for (String s : n.getInputList()) {
            in.add(s.isEmpty() ? null : env.get(s));
        }
        String domain = n.getDomain().equals("ai.onnx") ? "" : n.getDomain();
        String op = n.getOpType();
        List<Info> out = null;
        if (domain.isEmpty()) {
            out = onnxOp(n, op, in, env);
        } else if (domain.equals("com.microsoft")) {
            out = microsoftOp(n, op, in);
        }
        if (out == null) {
            unsupported.add(Protos.qualifiedOpType(n));
            return null;
        }
        boolean allConst = !in.isEmpty() && in.stream().allMatch(i -> i == null || i.constant) && !op.equals("If")
                && !op.equals("Loop") && !op.equals("Scan") && !isRandom(op);
        if (op.equals("Constant")) {
            allConst = true;
        }
        List<Info> fixed = new ArrayList<>();
        for (Info i : out) {
            if (i == null) {
                fixed.add(null);
            } else if (allConst != i.constant) {
                fixed.add(new Info(i.type, i.ints, i.floats, allConst));
            } else {
                fixed.add(i);
            }
        }
        return fixed;
    }

    private static boolean isRandom(String op) {
        return op.startsWith("Random") || op.equals("Bernoulli") || op.equals("Multinomial");
    }

    private List<Info> onnxOp(Onnx.NodeProto n, String op, List<Info> in, Map<String, Info> env) throws ModelException {
        Info x = in.isEmpty() ? null : in.get(0);
        switch (op) {
            case "Identity":
                return List.of(x);
            case "Relu": case "Sigmoid": case "Tanh": case "Erf": case "Sqrt": case "Exp": case "Log": case "Neg":
            case "Abs": case "Reciprocal": case "Floor": case "Ceil": case "Round": case "Sign": case "HardSigmoid":
            case "HardSwish": case "LeakyRelu": case "Elu": case "Selu": case "Celu": case "Gelu": case "Softplus":
            case "Softsign": case "Sin": case "Cos": case "Tan": case "Asin": case "Acos": case "Atan": case "Sinh":
            case "Cosh": case "Asinh": case "Acosh": case "Atanh": case "Clip": case "Softmax": case "LogSoftmax":
            case "Hardmax": case "LRN": case "InstanceNormalization": case "MeanVarianceNormalization": case "Mish":
            case "Shrink": case "ThresholdedRelu": case "CumSum": case "Trilu": case "ReverseSequence":
            case "LpNormalization": case "BitwiseNot": case "ScatterND": case "ScatterElements": case "Scatter":
            case "RandomNormalLike": case "RandomUniformLike": case "Bernoulli":
                return List.of(same(x));
            case "EyeLike": {
                long dt = attrI(n, "dtype", 0);
                return List.of(Info.of(dt == 0 ? x.type : x.type.withElementType(DataType.ofCode((int) dt))));
            }
            case "Not": case "IsNaN": case "IsInf":
                return List.of(Info.of(x.type.withElementType(DataType.BOOL)));
            case "Dropout":
                return List.of(same(x), Info.of(x.type.withElementType(DataType.BOOL)));
            case "BatchNormalization":
                return Arrays.asList(same(x), null, null, null, null);
            case "LayerNormalization":
                return layerNorm(n, x);
            case "Cast":
                return List.of(cast(x, DataType.ofCode((int) attrI(n, "to", 1))));
            case "CastLike":
                return List.of(cast(x, in.get(1).dtype()));
            case "Add": case "Sub": case "Mul": case "Div":
                return List.of(arith(op, in.get(0), in.get(1)));
            case "Pow": case "Mod": case "BitShift": case "BitwiseAnd": case "BitwiseOr": case "BitwiseXor": case "PRelu":
                return List.of(Info.of(new TensorType(x.dtype(), broadcast(in.get(0), in.get(1)))));
            case "Max": case "Min": case "Mean": case "Sum":
                return List.of(Info.of(new TensorType(x.dtype(), broadcastAll(in))));
            case "Equal": case "Less": case "Greater": case "LessOrEqual": case "GreaterOrEqual": case "And": case "Or":
            case "Xor":
                return List.of(compare(op, in.get(0), in.get(1)));
            case "Where":
                return List.of(where(in));
            case "MatMul":
                return List.of(Info.of(new TensorType(x.dtype(), matmul(in.get(0).type, in.get(1).type))));
            case "MatMulInteger":
                return List.of(Info.of(new TensorType(DataType.INT32, matmul(in.get(0).type, in.get(1).type))));
            case "QLinearMatMul":
                return List.of(Info.of(new TensorType(in.get(7).dtype(), matmul(in.get(0).type, in.get(3).type))));
            case "Gemm":
                return List.of(gemm(n, in));
            case "Conv":
                return List.of(conv(n, x, in.get(1), x.dtype(), false));
            case "ConvInteger":
                return List.of(conv(n, x, in.get(1), DataType.INT32, false));
            case "QLinearConv":
                return List.of(conv(n, x, in.get(3), in.get(7).dtype(), false));
            case "ConvTranspose":
                return List.of(conv(n, x, in.get(1), x.dtype(), true));
            case "MaxPool": {
                Info o = pool(n, x);
                return List.of(o, Info.of(o.type.withElementType(DataType.INT64)));
            }
            case "AveragePool": case "LpPool":
                return List.of(pool(n, x));
            case "GlobalAveragePool": case "GlobalMaxPool": case "GlobalLpPool":
                return List.of(globalPool(x));
            case "Reshape":
                return List.of(reshape(n, x, in.get(1)));
            case "Flatten":
                return List.of(flatten(n, x));
            case "Transpose":
                return List.of(transpose(n, x));
            case "Squeeze":
                return List.of(squeeze(n, in));
            case "Unsqueeze":
                return List.of(unsqueeze(n, in));
            case "Concat":
                return List.of(concat(n, in));
            case "Split":
                return split(n, in);
            case "Slice":
                return List.of(slice(n, in));
            case "Gather":
                return List.of(gather(n, x, in.get(1)));
            case "GatherElements":
                return List.of(Info.of(new TensorType(x.dtype(), in.get(1).shape())));
            case "GatherND":
                return List.of(gatherNd(n, x, in.get(1)));
            case "Expand":
                return List.of(expand(x, in.get(1)));
            case "Tile":
                return List.of(tile(x, in.get(1)));
            case "Pad":
                return List.of(pad(n, in));
            case "Shape":
                return List.of(shapeOp(n, x));
            case "Size": {
                Dim total = Dim.of(1);
                if (x.hasRank()) {
                    for (Dim d : x.shape()) {
                        total = total.times(d);
                    }
                }
                return List.of(new Info(new TensorType(DataType.INT64, List.of()), x.hasRank() ? List.of(total) : null, null, false));
            }
            case "ConstantOfShape":
                return List.of(constantOfShape(n, x));
            case "Constant":
                return List.of(constant(n));
            case "Range":
                return List.of(range(in));
            case "ReduceMean": case "ReduceSum": case "ReduceMax": case "ReduceMin": case "ReduceProd": case "ReduceL1":
            case "ReduceL2": case "ReduceLogSum": case "ReduceLogSumExp": case "ReduceSumSquare":
                return List.of(reduce(n, op, in));
            case "ArgMax": case "ArgMin":
                return List.of(argReduce(n, x));
            case "TopK":
                return topK(n, in);
            case "Resize": case "Upsample":
                return List.of(resize(n, op, in));
            case "DepthToSpace": case "SpaceToDepth":
                return List.of(depthSpace(n, op, x));
            case "NonZero":
                return List.of(Info.of(new TensorType(DataType.INT64, x.hasRank() ? List.of(Dim.of(x.shape().size()), Dim.unknown()) : null)));
            case "NonMaxSuppression":
                return List.of(Info.of(new TensorType(DataType.INT64, List.of(Dim.unknown(), Dim.of(3)))));
            case "OneHot":
                return List.of(oneHot(n, in));
            case "LSTM": case "GRU": case "RNN":
                return rnn(n, op, in);
            case "QuantizeLinear": {
                DataType t = in.size() > 2 && in.get(2) != null ? in.get(2).dtype() : DataType.UINT8;
                long od = attrI(n, "output_dtype", 0);
                if (od != 0) {
                    t = DataType.ofCode((int) od);
                }
                return List.of(Info.of(x.type.withElementType(t)));
            }
            case "DequantizeLinear":
                return List.of(Info.of(x.type.withElementType(in.get(1).dtype())));
            case "DynamicQuantizeLinear":
                return List.of(Info.of(x.type.withElementType(DataType.UINT8)),
                        Info.of(new TensorType(DataType.FLOAT, List.of())), Info.of(new TensorType(DataType.UINT8, List.of())));
            case "If":
                return ifOp(n, in, env);
            case "Loop":
                return loop(n, in, env);
            case "Compress": {
                if (!x.hasRank()) {
                    return List.of(Info.of(new TensorType(x.dtype(), null)));
                }
                Onnx.AttributeProto axis = Protos.attribute(n, "axis");
                if (axis == null) {
                    return List.of(Info.of(new TensorType(x.dtype(), List.of(Dim.unknown()))));
                }
                List<Dim> s = new ArrayList<>(x.shape());
                s.set(axis(axis.getI(), s.size()), Dim.unknown());
                return List.of(Info.of(new TensorType(x.dtype(), s)));
            }
            case "GridSample": {
                List<Dim> g = in.get(1).shape();
                return List.of(Info.of(new TensorType(x.dtype(), List.of(x.shape().get(0), x.shape().get(1), g.get(1), g.get(2)))));
            }
            default:
                return null;
        }
    }

    private List<Info> microsoftOp(Onnx.NodeProto n, String op, List<Info> in) {
        Info x = in.isEmpty() ? null : in.get(0);
        switch (op) {
            case "Gelu": case "FastGelu": case "BiasGelu": case "QuickGelu":
                return List.of(same(x));
            case "SkipLayerNormalization": case "SkipSimplifiedLayerNormalization":
                return Arrays.asList(same(x), null, null, same(x));
            case "SimplifiedLayerNormalization":
                return layerNorm(n, x);
            case "MatMulNBits": {
                long nOut = attrI(n, "N", -1);
                if (!x.hasRank() || nOut < 0) {
                    return List.of(Info.of(new TensorType(x.dtype(), null)));
                }
                List<Dim> s = new ArrayList<>(x.shape());
                s.set(s.size() - 1, Dim.of(nOut));
                return List.of(Info.of(new TensorType(x.dtype(), s)));
            }
            case "MatMulIntegerToFloat": case "DynamicQuantizeMatMul":
                return List.of(Info.of(new TensorType(DataType.FLOAT, matmul(in.get(0).type, in.get(1).type))));
            case "FusedMatMul": {
                TensorType a = transposeLast2(in.get(0).type, attrI(n, "transA", 0) != 0);
                TensorType b = transposeLast2(in.get(1).type, attrI(n, "transB", 0) != 0);
                return List.of(Info.of(new TensorType(x.dtype(), matmul(a, b))));
            }
            case "QuantizeLinear":
                return List.of(Info.of(x.type.withElementType(in.size() > 2 && in.get(2) != null ? in.get(2).dtype() : DataType.UINT8)));
            case "DequantizeLinear":
                return List.of(Info.of(x.type.withElementType(in.get(1).dtype())));
            default:
                return null;
        }
    }

    // ---- rule implementations ----

    private static Info same(Info x) {
        return Info.of(x.type);
    }

    private static List<Info> layerNorm(Onnx.NodeProto n, Info x) {
        if (!x.hasRank()) {
            return Arrays.asList(same(x), null, null);
        }
        int r = x.shape().size();
        int axis = axis(attrI(n, "axis", -1), r);
        List<Dim> stat = new ArrayList<>(x.shape().subList(0, axis));
        for (int i = axis; i < r; i++) {
            stat.add(Dim.of(1));
        }
        TensorType st = new TensorType(DataType.FLOAT, stat);
        return List.of(same(x), Info.of(st), Info.of(st));
    }

    private static Info cast(Info x, DataType to) {
        List<Dim> ints = x.ints != null && to != null && isIntLike(to) ? x.ints : null;
        double[] floats = null;
        if (to != null && (to == DataType.FLOAT || to == DataType.DOUBLE)) {
            long[] l = longs(x);
            if (l != null) {
                floats = Arrays.stream(l).asDoubleStream().toArray();
            } else if (x.floats != null) {
                floats = x.floats;
            }
        }
        return new Info(x.type.withElementType(to), ints, floats, false);
    }

    private static Info arith(String op, Info a, Info b) {
        List<Dim> shape = broadcast(a, b);
        DataType t = a.dtype() != null ? a.dtype() : b.dtype();
        List<Dim> ints = null;
        if (a.ints != null && b.ints != null && shape != null && (a.ints.size() == b.ints.size() || a.ints.size() == 1 || b.ints.size() == 1)) {
            int len = Math.max(a.ints.size(), b.ints.size());
            ints = new ArrayList<>(len);
            for (int i = 0; i < len; i++) {
                Dim p = a.ints.get(a.ints.size() == 1 ? 0 : i);
                Dim q = b.ints.get(b.ints.size() == 1 ? 0 : i);
                Dim r = intArith(op, p, q);
                if (r == null) {
                    ints = null;
                    break;
                }
                ints.add(r);
            }
        }
        double[] floats = null;
        if (a.floats != null && b.floats != null && (a.floats.length == b.floats.length || a.floats.length == 1 || b.floats.length == 1)) {
            int len = Math.max(a.floats.length, b.floats.length);
            floats = new double[len];
            for (int i = 0; i < len; i++) {
                double p = a.floats[a.floats.length == 1 ? 0 : i];
                double q = b.floats[b.floats.length == 1 ? 0 : i];
                floats[i] = op.equals("Add") ? p + q : op.equals("Sub") ? p - q : op.equals("Mul") ? p * q : p / q;
            }
        }
        return new Info(new TensorType(t, shape), ints, floats, false);
    }

    /** Integer arithmetic on known values; symbolic operands give an expression. */
    private static Dim intArith(String op, Dim p, Dim q) {
        if (isNumber(p) && isNumber(q)) {
            long x = asLong(p);
            long y = asLong(q);
            switch (op) {
                case "Add": return num(Math.addExact(x, y));
                case "Sub": return num(Math.subtractExact(x, y));
                case "Mul": return num(Math.multiplyExact(x, y));
                default: return y == 0 ? null : num(Math.floorDiv(x, y));
            }
        }
        if (p.isUnknown() || q.isUnknown() || isNumber(p) && asLong(p) < 0 || isNumber(q) && asLong(q) < 0) {
            return null;
        }
        switch (op) {
            case "Add": return p.plus(q);
            case "Mul": return p.times(q);
            case "Sub": return q.isKnown() && q.value() == 0 ? p : Dim.symbol(p + "-" + wrapSym(q));
            default: return q.isKnown() && q.value() == 1 ? p : Dim.symbol(wrapSym(p) + "/" + wrapSym(q));
        }
    }

    private static String wrapSym(Dim d) {
        String s = d.toString();
        return s.matches("[A-Za-z0-9_.:]+") ? s : "(" + s + ")";
    }

    private static Info compare(String op, Info a, Info b) {
        List<Dim> shape = broadcast(a, b);
        List<Dim> ints = null;
        long[] x = longs(a);
        long[] y = longs(b);
        if (x != null && y != null && (x.length == y.length || x.length == 1 || y.length == 1)
                && (op.equals("Equal") || op.equals("Less") || op.equals("Greater"))) {
            int len = Math.max(x.length, y.length);
            ints = new ArrayList<>();
            for (int i = 0; i < len; i++) {
                long p = x[x.length == 1 ? 0 : i];
                long q = y[y.length == 1 ? 0 : i];
                boolean r = op.equals("Equal") ? p == q : op.equals("Less") ? p < q : p > q;
                ints.add(Dim.of(r ? 1 : 0));
            }
        }
        return new Info(new TensorType(DataType.BOOL, shape), ints, null, false);
    }

    private static Info where(List<Info> in) {
        List<Dim> shape = broadcastAll(in);
        Info c = in.get(0);
        Info a = in.get(1);
        Info b = in.get(2);
        List<Dim> ints = null;
        long[] cond = longs(c);
        if (cond != null && a.ints != null && b.ints != null) {
            int len = Math.max(cond.length, Math.max(a.ints.size(), b.ints.size()));
            if ((cond.length == len || cond.length == 1) && (a.ints.size() == len || a.ints.size() == 1)
                    && (b.ints.size() == len || b.ints.size() == 1)) {
                ints = new ArrayList<>();
                for (int i = 0; i < len; i++) {
                    boolean t = cond[cond.length == 1 ? 0 : i] != 0;
                    ints.add(t ? a.ints.get(a.ints.size() == 1 ? 0 : i) : b.ints.get(b.ints.size() == 1 ? 0 : i));
                }
            }
        }
        return new Info(new TensorType(a.dtype(), shape), ints, null, false);
    }

    /** Multidirectional (numpy) broadcasting, ONNX docs/Broadcasting.md. */
    static List<Dim> broadcast(Info a, Info b) {
        if (a == null || b == null || !a.hasRank() || !b.hasRank()) {
            return null;
        }
        return broadcastShapes(a.shape(), b.shape());
    }

    static List<Dim> broadcastShapes(List<Dim> x, List<Dim> y) {
        int r = Math.max(x.size(), y.size());
        List<Dim> out = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            int ix = x.size() - r + i;
            int iy = y.size() - r + i;
            Dim p = ix >= 0 ? x.get(ix) : Dim.of(1);
            Dim q = iy >= 0 ? y.get(iy) : Dim.of(1);
            out.add(broadcastDim(p, q));
        }
        return out;
    }

    private static Dim broadcastDim(Dim p, Dim q) {
        if (p.equals(q)) {
            return p;
        }
        if (p.isKnown() && p.value() == 1) {
            return q;
        }
        if (q.isKnown() && q.value() == 1) {
            return p;
        }
        if (p.isKnown() && q.isKnown()) {
            throw new IllegalArgumentException("cannot broadcast " + p + " with " + q);
        }
        // A known size other than 1 wins: the symbolic side must equal it (or be 1).
        if (p.isKnown()) {
            return p;
        }
        if (q.isKnown()) {
            return q;
        }
        return Dim.unknown();
    }

    private static List<Dim> broadcastAll(List<Info> in) {
        List<Dim> s = null;
        for (Info i : in) {
            if (i == null) {
                continue;
            }
            if (!i.hasRank()) {
                return null;
            }
            s = s == null ? i.shape() : broadcastShapes(s, i.shape());
        }
        return s;
    }

    static List<Dim> matmul(TensorType a, TensorType b) {
        if (!a.hasRank() || !b.hasRank()) {
            return null;
        }
        List<Dim> x = new ArrayList<>(a.shape());
        List<Dim> y = new ArrayList<>(b.shape());
        boolean aVec = x.size() == 1;
        boolean bVec = y.size() == 1;
        if (aVec) {
            x.add(0, Dim.of(1));
        }
        if (bVec) {
            y.add(Dim.of(1));
        }
        List<Dim> batch = broadcastShapes(x.subList(0, x.size() - 2), y.subList(0, y.size() - 2));
        List<Dim> out = new ArrayList<>(batch);
        if (!aVec) {
            out.add(x.get(x.size() - 2));
        }
        if (!bVec) {
            out.add(y.get(y.size() - 1));
        }
        return out;
    }

    private static TensorType transposeLast2(TensorType t, boolean trans) {
        if (!trans || !t.hasRank() || t.shape().size() < 2) {
            return t;
        }
        List<Dim> s = new ArrayList<>(t.shape());
        Collections.swap(s, s.size() - 1, s.size() - 2);
        return t.withShape(s);
    }

    private static Info gemm(Onnx.NodeProto n, List<Info> in) {
        Info a = in.get(0);
        Info b = in.get(1);
        if (!a.hasRank() || !b.hasRank()) {
            return Info.of(new TensorType(a.dtype(), null));
        }
        Dim m = attrI(n, "transA", 0) != 0 ? a.shape().get(1) : a.shape().get(0);
        Dim nn = attrI(n, "transB", 0) != 0 ? b.shape().get(0) : b.shape().get(1);
        return Info.of(new TensorType(a.dtype(), List.of(m, nn)));
    }

    private static Info conv(Onnx.NodeProto n, Info x, Info w, DataType outType, boolean transpose) {
        if (!x.hasRank() || w == null || !w.hasRank()) {
            return Info.of(new TensorType(outType, null));
        }
        int spatial = x.shape().size() - 2;
        long[] kernel = attrInts(n, "kernel_shape");
        if (kernel == null) {
            kernel = new long[spatial];
            for (int i = 0; i < spatial; i++) {
                Dim d = w.shape().get(2 + i);
                if (!d.isKnown()) {
                    return Info.of(new TensorType(outType, null));
                }
                kernel[i] = d.value();
            }
        }
        long[] strides = attrIntsOr(n, "strides", spatial, 1);
        long[] dil = attrIntsOr(n, "dilations", spatial, 1);
        long[] pads = attrIntsOr(n, "pads", 2 * spatial, 0);
        String autoPad = attrS(n, "auto_pad", "NOTSET");
        long group = attrI(n, "group", 1);
        List<Dim> out = new ArrayList<>();
        out.add(x.shape().get(0));
        if (transpose) {
            Dim c = w.shape().get(1);
            out.add(c.isKnown() ? Dim.of(c.value() * group) : Dim.unknown());
        } else {
            out.add(w.shape().get(0));
        }
        long[] outputShape = attrInts(n, "output_shape");
        long[] outPad = attrIntsOr(n, "output_padding", spatial, 0);
        for (int i = 0; i < spatial; i++) {
            Dim in = x.shape().get(2 + i);
            long effK = dil[i] * (kernel[i] - 1) + 1;
            if (transpose) {
                if (outputShape != null) {
                    out.add(Dim.of(outputShape[outputShape.length - spatial + i]));
                } else if (!in.isKnown()) {
                    out.add(autoPad.startsWith("SAME") ? in.times(Dim.of(strides[i])) : Dim.unknown());
                } else if (autoPad.startsWith("SAME")) {
                    out.add(Dim.of(in.value() * strides[i]));
                } else {
                    out.add(Dim.of(strides[i] * (in.value() - 1) + outPad[i] + effK - pads[i] - pads[i + spatial]));
                }
            } else {
                out.add(slidingOut(in, effK, strides[i], pads[i] + pads[i + spatial], autoPad, false));
            }
        }
        return Info.of(new TensorType(outType, out));
    }

    /** Output size of a sliding window (Conv, pooling), per the ONNX Conv/MaxPool specs. */
    private static Dim slidingOut(Dim in, long effK, long stride, long padSum, String autoPad, boolean ceil) {
        if (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER")) {
            if (!in.isKnown()) {
                return stride == 1 ? in : Dim.unknown();
            }
            return Dim.of(ceilDiv(in.value(), stride));
        }
        if (autoPad.equals("VALID")) {
            padSum = 0;
        }
        if (!in.isKnown()) {
            return stride == 1 && padSum - effK + 1 == 0 ? in : Dim.unknown();
        }
        long span = in.value() + padSum - effK;
        long o = ceil ? ceilDiv(span, stride) + 1 : Math.floorDiv(span, stride) + 1;
        if (ceil && (o - 1) * stride >= in.value() + padSum / 2) {
            o--; // the last window must start inside the input or left padding (ORT's pool rule)
        }
        return Dim.of(Math.max(o, 0));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static Info pool(Onnx.NodeProto n, Info x) {
        if (!x.hasRank()) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        int spatial = x.shape().size() - 2;
        long[] kernel = attrInts(n, "kernel_shape");
        if (kernel == null) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        long[] strides = attrIntsOr(n, "strides", spatial, 1);
        long[] dil = attrIntsOr(n, "dilations", spatial, 1);
        long[] pads = attrIntsOr(n, "pads", 2 * spatial, 0);
        String autoPad = attrS(n, "auto_pad", "NOTSET");
        boolean ceil = attrI(n, "ceil_mode", 0) != 0;
        List<Dim> out = new ArrayList<>(x.shape().subList(0, 2));
        for (int i = 0; i < spatial; i++) {
            long effK = dil[i] * (kernel[i] - 1) + 1;
            out.add(slidingOut(x.shape().get(2 + i), effK, strides[i], pads[i] + pads[i + spatial], autoPad, ceil));
        }
        return Info.of(new TensorType(x.dtype(), out));
    }

    private static Info globalPool(Info x) {
        if (!x.hasRank()) {
            return same(x);
        }
        List<Dim> out = new ArrayList<>(x.shape().subList(0, 2));
        for (int i = 2; i < x.shape().size(); i++) {
            out.add(Dim.of(1));
        }
        return Info.of(new TensorType(x.dtype(), out));
    }

    private static Info reshape(Onnx.NodeProto n, Info x, Info shapeIn) {
        List<Dim> target = shapeIn == null ? null : shapeIn.ints;
        if (target == null) {
            if (shapeIn != null && shapeIn.hasRank() && shapeIn.shape().size() == 1 && shapeIn.shape().get(0).isKnown()) {
                List<Dim> unk = new ArrayList<>();
                for (long i = 0; i < shapeIn.shape().get(0).value(); i++) {
                    unk.add(Dim.unknown());
                }
                return Info.of(new TensorType(x.dtype(), unk));
            }
            return Info.of(new TensorType(x.dtype(), null));
        }
        boolean allowZero = attrI(n, "allowzero", 0) != 0;
        List<Dim> out = new ArrayList<>();
        int inferAt = -1;
        for (int i = 0; i < target.size(); i++) {
            Dim d = target.get(i);
            if (isNumber(d) && asLong(d) == -1) {
                inferAt = i;
                out.add(null);
            } else if (isNumber(d) && asLong(d) == 0 && !allowZero) {
                out.add(x.hasRank() && i < x.shape().size() ? x.shape().get(i) : Dim.unknown());
            } else if (isNumber(d) && asLong(d) < 0) {
                throw new IllegalArgumentException("bad reshape dim " + d);
            } else {
                out.add(d);
            }
        }
        if (inferAt >= 0) {
            out.set(inferAt, x.hasRank() ? divideOut(x.shape(), out) : Dim.unknown());
        }
        return new Info(new TensorType(x.dtype(), out), x.ints, x.floats, false);
    }

    /** The size that makes {@code out} (one slot null) hold as many elements as {@code in}. */
    private static Dim divideOut(List<Dim> in, List<Dim> out) {
        long knownIn = 1;
        List<Dim> symIn = new ArrayList<>();
        for (Dim d : in) {
            if (d.isKnown()) {
                knownIn *= d.value();
            } else if (d.isSymbolic()) {
                symIn.add(d);
            } else {
                return Dim.unknown();
            }
        }
        long knownOut = 1;
        for (Dim d : out) {
            if (d == null) {
                continue;
            }
            if (d.isKnown()) {
                knownOut *= d.value();
            } else if (d.isSymbolic() && symIn.contains(d)) {
                symIn.remove(d);
            } else {
                return Dim.unknown();
            }
        }
        if (knownOut == 0 || knownIn % knownOut != 0) {
            return Dim.unknown();
        }
        Dim r = Dim.of(knownIn / knownOut);
        for (Dim s : symIn) {
            r = r.times(s);
        }
        return r;
    }

    private static Info flatten(Onnx.NodeProto n, Info x) {
        if (!x.hasRank()) {
            return Info.of(new TensorType(x.dtype(), List.of(Dim.unknown(), Dim.unknown())));
        }
        // Flatten's axis lies in [-r, r]: a negative axis counts from the end (axis + r).
        long rawAxis = attrI(n, "axis", 1);
        int axis = (int) (rawAxis < 0 ? rawAxis + x.shape().size() : rawAxis);
        Dim a = Dim.of(1);
        Dim b = Dim.of(1);
        for (int i = 0; i < x.shape().size(); i++) {
            if (i < axis) {
                a = a.times(x.shape().get(i));
            } else {
                b = b.times(x.shape().get(i));
            }
        }
        return Info.of(new TensorType(x.dtype(), List.of(a, b)));
    }

    private static Info transpose(Onnx.NodeProto n, Info x) {
        if (!x.hasRank()) {
            return same(x);
        }
        long[] perm = attrInts(n, "perm");
        int r = x.shape().size();
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            out.add(x.shape().get(perm == null ? r - 1 - i : (int) perm[i]));
        }
        return Info.of(new TensorType(x.dtype(), out));
    }

    private long[] axesFrom(Onnx.NodeProto n, List<Info> in, int inputIndex, long fromOpset) {
        if (opset() >= fromOpset || Protos.attribute(n, "axes") == null) {
            if (in.size() > inputIndex && in.get(inputIndex) != null) {
                long[] v = longs(in.get(inputIndex));
                if (v == null) {
                    throw new IllegalStateException("axes not constant");
                }
                return v;
            }
            return null;
        }
        return attrInts(n, "axes");
    }

    private Info squeeze(Onnx.NodeProto n, List<Info> in) {
        Info x = in.get(0);
        long[] axes;
        try {
            axes = axesFrom(n, in, 1, 13);
        } catch (IllegalStateException e) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        if (!x.hasRank()) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        int r = x.shape().size();
        Set<Integer> drop = new HashSet<>();
        if (axes == null) {
            for (int i = 0; i < r; i++) {
                Dim d = x.shape().get(i);
                if (!d.isKnown()) {
                    return Info.of(new TensorType(x.dtype(), null));
                }
                if (d.value() == 1) {
                    drop.add(i);
                }
            }
        } else {
            for (long a : axes) {
                drop.add(axis(a, r));
            }
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (!drop.contains(i)) {
                out.add(x.shape().get(i));
            }
        }
        return new Info(new TensorType(x.dtype(), out), x.ints, x.floats, false);
    }

    private Info unsqueeze(Onnx.NodeProto n, List<Info> in) {
        Info x = in.get(0);
        long[] axes;
        try {
            axes = axesFrom(n, in, 1, 13);
        } catch (IllegalStateException e) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        if (!x.hasRank() || axes == null) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        int r = x.shape().size() + axes.length;
        Set<Integer> add = new HashSet<>();
        for (long a : axes) {
            add.add(axis(a, r));
        }
        List<Dim> out = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < r; i++) {
            out.add(add.contains(i) ? Dim.of(1) : x.shape().get(k++));
        }
        return new Info(new TensorType(x.dtype(), out), x.ints, x.floats, false);
    }

    private static Info concat(Onnx.NodeProto n, List<Info> in) {
        Info first = in.get(0);
        DataType t = first.dtype();
        List<Dim> ref = null;
        for (Info i : in) {
            if (i != null && i.hasRank()) {
                ref = i.shape();
                break;
            }
        }
        if (ref == null) {
            return Info.of(new TensorType(t, null));
        }
        int r = ref.size();
        int axis = axis(attrI(n, "axis", 0), r);
        List<Dim> out = new ArrayList<>();
        for (int d = 0; d < r; d++) {
            if (d == axis) {
                Dim sum = Dim.of(0);
                for (Info i : in) {
                    sum = i.hasRank() ? sum.plus(i.shape().get(d)) : Dim.unknown();
                }
                out.add(sum);
            } else {
                Dim v = null;
                for (Info i : in) {
                    if (!i.hasRank()) {
                        continue;
                    }
                    Dim c = i.shape().get(d);
                    v = v == null ? c : v.equals(c) ? v : c.isKnown() ? c : v;
                }
                out.add(v);
            }
        }
        List<Dim> ints = null;
        if (r == 1 && in.stream().allMatch(i -> i.ints != null)) {
            ints = new ArrayList<>();
            for (Info i : in) {
                ints.addAll(i.ints);
            }
        }
        return new Info(new TensorType(t, out), ints, null, false);
    }

    private List<Info> split(Onnx.NodeProto n, List<Info> in) {
        Info x = in.get(0);
        int outs = n.getOutputCount();
        List<Info> res = new ArrayList<>();
        if (!x.hasRank()) {
            for (int i = 0; i < outs; i++) {
                res.add(Info.of(new TensorType(x.dtype(), null)));
            }
            return res;
        }
        int axis = axis(attrI(n, "axis", 0), x.shape().size());
        boolean sizesGiven = opset() >= 13 ? in.size() > 1 && in.get(1) != null : Protos.attribute(n, "split") != null;
        long[] sizes = opset() >= 13 ? (sizesGiven ? longs(in.get(1)) : null) : attrInts(n, "split");
        Dim total = sizesGiven && sizes == null ? Dim.unknown() : x.shape().get(axis); // sizes computed at run time
        for (int i = 0; i < outs; i++) {
            List<Dim> s = new ArrayList<>(x.shape());
            if (sizes != null) {
                s.set(axis, Dim.of(sizes[i]));
            } else if (total.isKnown()) {
                long chunk = ceilDiv(total.value(), outs);
                long size = i < outs - 1 ? chunk : total.value() - chunk * (outs - 1);
                s.set(axis, Dim.of(size));
            } else {
                s.set(axis, Dim.unknown());
            }
            res.add(Info.of(new TensorType(x.dtype(), s)));
        }
        return res;
    }

    private Info slice(Onnx.NodeProto n, List<Info> in) {
        Info x = in.get(0);
        List<Dim> starts;
        List<Dim> ends;
        long[] axes;
        long[] steps = null;
        boolean paramsKnown = true;
        if (opset() < 10) {
            starts = dims(attrInts(n, "starts"));
            ends = dims(attrInts(n, "ends"));
            axes = attrInts(n, "axes");
        } else {
            starts = in.get(1).ints;
            ends = in.get(2).ints;
            axes = in.size() > 3 && in.get(3) != null ? longs(in.get(3)) : null;
            if (in.size() > 3 && in.get(3) != null && axes == null) {
                paramsKnown = false;
            }
            if (in.size() > 4 && in.get(4) != null) {
                steps = longs(in.get(4));
                paramsKnown &= steps != null;
            }
        }
        if (!x.hasRank()) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        int r = x.shape().size();
        if (starts == null || ends == null || !paramsKnown) {
            // Which axes are sliced is known only with constant axes; otherwise every dim may change.
            List<Dim> out = new ArrayList<>(x.shape());
            int count = in.size() > 1 && in.get(1) != null && in.get(1).hasRank() && in.get(1).shape().size() == 1
                    && in.get(1).shape().get(0).isKnown() ? (int) in.get(1).shape().get(0).value() : -1;
            if (axes != null && paramsKnown) {
                for (long a : axes) {
                    out.set(axis(a, r), Dim.unknown());
                }
            } else if (axes == null && count >= 0 && paramsKnown) {
                for (int i = 0; i < count; i++) {
                    out.set(i, Dim.unknown());
                }
            } else {
                out = unknownDims(r);
            }
            return Info.of(new TensorType(x.dtype(), out));
        }
        List<Dim> out = new ArrayList<>(x.shape());
        List<Dim> ints = x.ints != null && r == 1 ? new ArrayList<>(x.ints) : null;
        for (int k = 0; k < starts.size(); k++) {
            int a = axis(axes == null ? k : axes[k], r);
            long step = steps == null ? 1 : steps[k];
            Dim d = x.shape().get(a);
            Dim sd = starts.get(k);
            Dim ed = ends.get(k);
            if (!isNumber(sd) || !isNumber(ed) || !d.isKnown()) {
                boolean fromZero = isNumber(sd) && asLong(sd) == 0 && step == 1;
                if (fromZero && isNumber(ed) && asLong(ed) >= Integer.MAX_VALUE) {
                    out.set(a, d); // x[0:] keeps the dim, symbolic or not
                } else if (fromZero && ed.isSymbolic() && !isNumber(ed)) {
                    // x[0:n] with n symbolic: n (a valid model keeps n within the dim).
                    out.set(a, ed);
                } else {
                    out.set(a, Dim.unknown());
                }
                ints = null;
                continue;
            }
            long dim = d.value();
            long s0 = clampStart(asLong(sd), dim, step);
            long e0 = clampStart(asLong(ed), dim, step);
            long len = step > 0 ? Math.max(0, ceilDiv(e0 - s0, step)) : Math.max(0, ceilDiv(s0 - e0, -step));
            out.set(a, Dim.of(len));
            if (ints != null && ints.size() == dim) {
                List<Dim> sliced = new ArrayList<>();
                for (long i = 0, p = s0; i < len; i++, p += step) {
                    sliced.add(ints.get((int) p));
                }
                ints = sliced;
            } else {
                ints = null;
            }
        }
        return new Info(new TensorType(x.dtype(), out), ints, null, false);
    }

    private static List<Dim> dims(long[] v) {
        if (v == null) {
            return null;
        }
        List<Dim> l = new ArrayList<>();
        for (long x : v) {
            l.add(num(x));
        }
        return l;
    }

    private static long clampStart(long v, long dim, long step) {
        if (v < 0) {
            v += dim;
        }
        if (step > 0) {
            return Math.max(0, Math.min(v, dim));
        }
        return Math.max(-1, Math.min(v, dim - 1));
    }

    private static Info gather(Onnx.NodeProto n, Info data, Info idx) {
        if (!data.hasRank() || !idx.hasRank()) {
            return Info.of(new TensorType(data.dtype(), null));
        }
        int r = data.shape().size();
        int axis = axis(attrI(n, "axis", 0), r);
        List<Dim> out = new ArrayList<>(data.shape().subList(0, axis));
        out.addAll(idx.shape());
        out.addAll(data.shape().subList(axis + 1, r));
        List<Dim> ints = null;
        long[] ix = longs(idx);
        if (data.ints != null && r == 1 && ix != null) {
            ints = new ArrayList<>();
            for (long i : ix) {
                long j = i < 0 ? i + data.ints.size() : i;
                ints.add(data.ints.get((int) j));
            }
        }
        return new Info(new TensorType(data.dtype(), out), ints, null, false);
    }

    private static Info gatherNd(Onnx.NodeProto n, Info data, Info idx) {
        if (!data.hasRank() || !idx.hasRank()) {
            return Info.of(new TensorType(data.dtype(), null));
        }
        int b = (int) attrI(n, "batch_dims", 0);
        Dim last = idx.shape().get(idx.shape().size() - 1);
        if (!last.isKnown()) {
            return Info.of(new TensorType(data.dtype(), null));
        }
        List<Dim> out = new ArrayList<>(idx.shape().subList(0, idx.shape().size() - 1));
        out.addAll(data.shape().subList(b + (int) last.value(), data.shape().size()));
        return Info.of(new TensorType(data.dtype(), out));
    }

    private static Info expand(Info x, Info shape) {
        if (shape == null || shape.ints == null || !x.hasRank()) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        return Info.of(new TensorType(x.dtype(), broadcastShapes(x.shape(), shape.ints)));
    }

    private static Info tile(Info x, Info repeats) {
        long[] rep = longs(repeats);
        if (!x.hasRank() || rep == null) {
            return Info.of(new TensorType(x.dtype(), x.hasRank() ? unknownDims(x.shape().size()) : null));
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < rep.length; i++) {
            out.add(x.shape().get(i).times(Dim.of(rep[i])));
        }
        return Info.of(new TensorType(x.dtype(), out));
    }

    private static List<Dim> unknownDims(int r) {
        List<Dim> l = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            l.add(Dim.unknown());
        }
        return l;
    }

    private Info pad(Onnx.NodeProto n, List<Info> in) {
        Info x = in.get(0);
        if (!x.hasRank()) {
            return same(x);
        }
        int r = x.shape().size();
        long[] pads = opset() >= 11 ? longs(in.size() > 1 ? in.get(1) : null) : attrInts(n, "pads");
        if (pads == null) {
            return Info.of(new TensorType(x.dtype(), unknownDims(r)));
        }
        long[] axes = null;
        if (in.size() > 3 && in.get(3) != null) {
            axes = longs(in.get(3));
            if (axes == null) {
                return Info.of(new TensorType(x.dtype(), unknownDims(r)));
            }
        }
        List<Dim> out = new ArrayList<>(x.shape());
        int k = axes == null ? r : axes.length;
        for (int i = 0; i < k; i++) {
            int a = axes == null ? i : axis(axes[i], r);
            long add = pads[i] + pads[i + k];
            Dim d = out.get(a);
            out.set(a, d.isKnown() ? Dim.of(d.value() + add) : add == 0 ? d : add > 0 ? d.plus(Dim.of(add)) : Dim.unknown());
        }
        return Info.of(new TensorType(x.dtype(), out));
    }

    private static Info shapeOp(Onnx.NodeProto n, Info x) {
        if (!x.hasRank()) {
            return Info.of(new TensorType(DataType.INT64, List.of(Dim.unknown())));
        }
        int r = x.shape().size();
        long start = attrI(n, "start", 0);
        long end = attrI(n, "end", r);
        int s = (int) Math.max(0, Math.min(r, start < 0 ? start + r : start));
        int e = (int) Math.max(0, Math.min(r, end < 0 ? end + r : end));
        List<Dim> dims = new ArrayList<>(x.shape().subList(s, Math.max(s, e)));
        boolean anyUnknown = dims.stream().anyMatch(Dim::isUnknown);
        return new Info(new TensorType(DataType.INT64, List.of(Dim.of(dims.size()))), anyUnknown ? null : dims, null, false);
    }

    private static Info constantOfShape(Onnx.NodeProto n, Info shape) {
        Onnx.AttributeProto v = Protos.attribute(n, "value");
        DataType t = v != null && v.hasT() ? DataType.ofCode(v.getT().getDataType()) : DataType.FLOAT;
        if (shape == null || shape.ints == null) {
            return Info.of(new TensorType(t, shape != null && shape.hasRank() && shape.shape().get(0).isKnown()
                    ? unknownDims((int) shape.shape().get(0).value()) : null));
        }
        List<Dim> ints = null;
        TensorType type = new TensorType(t, shape.ints);
        long count = type.elementCount();
        if (isIntLike(t) && count >= 0 && count <= MAX_TRACKED && v != null && v.hasT()) {
            long val = v.getT().getInt64DataCount() > 0 ? v.getT().getInt64Data(0)
                    : v.getT().hasRawData() && v.getT().getRawData().size() >= 8 && t == DataType.INT64
                            ? v.getT().getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0)
                            : Long.MIN_VALUE;
            if (val != Long.MIN_VALUE) {
                ints = Collections.nCopies((int) count, num(val));
            }
        }
        return new Info(type, ints, null, false);
    }

    private Info constant(Onnx.NodeProto n) throws ModelException {
        for (Onnx.AttributeProto a : n.getAttributeList()) {
            switch (a.getName()) {
                case "value":
                    return initializer(a.getT());
                case "value_float":
                    return new Info(new TensorType(DataType.FLOAT, List.of()), null, new double[] {a.getF()}, true);
                case "value_floats": {
                    double[] f = new double[a.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = a.getFloats(i);
                    }
                    return new Info(new TensorType(DataType.FLOAT, List.of(Dim.of(f.length))), null, f, true);
                }
                case "value_int":
                    return new Info(new TensorType(DataType.INT64, List.of()), List.of(num(a.getI())), null, true);
                case "value_ints": {
                    List<Dim> l = new ArrayList<>();
                    for (long v : a.getIntsList()) {
                        l.add(num(v));
                    }
                    return new Info(new TensorType(DataType.INT64, List.of(Dim.of(l.size()))), l, null, true);
                }
                case "value_string":
                    return new Info(new TensorType(DataType.STRING, List.of()), null, null, true);
                case "value_strings":
                    return new Info(new TensorType(DataType.STRING, List.of(Dim.of(a.getStringsCount()))), null, null, true);
                case "sparse_value": {
                    List<Dim> dims = new ArrayList<>();
                    for (long d : a.getSparseTensor().getDimsList()) {
                        dims.add(Dim.of(d));
                    }
                    return new Info(new TensorType(DataType.ofCode(a.getSparseTensor().getValues().getDataType()), dims), null, null, true);
                }
                default:
                    break;
            }
        }
        return null;
    }

    private static Info range(List<Info> in) {
        DataType t = in.get(0).dtype();
        long[] s = longs(in.get(0));
        long[] l = longs(in.get(1));
        long[] d = longs(in.get(2));
        if (s != null && l != null && d != null && d[0] != 0) {
            long count = Math.max(ceilDiv(l[0] - s[0], d[0]), 0);
            List<Dim> ints = null;
            if (count <= MAX_TRACKED) {
                ints = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    ints.add(num(s[0] + i * d[0]));
                }
            }
            return new Info(new TensorType(t, List.of(Dim.of(count))), ints, null, false);
        }
        if (in.get(0).floats != null && in.get(1).floats != null && in.get(2).floats != null && in.get(2).floats[0] != 0) {
            long count = (long) Math.max(Math.ceil((in.get(1).floats[0] - in.get(0).floats[0]) / in.get(2).floats[0]), 0);
            return Info.of(new TensorType(t, List.of(Dim.of(count))));
        }
        // limit given symbolically (start 0, step 1): the length is the limit itself.
        if (s != null && s[0] == 0 && d != null && d[0] == 1 && in.get(1).ints != null && in.get(1).ints.size() == 1) {
            return Info.of(new TensorType(t, List.of(in.get(1).ints.get(0))));
        }
        return Info.of(new TensorType(t, List.of(Dim.unknown())));
    }

    private Info reduce(Onnx.NodeProto n, String op, List<Info> in) {
        Info x = in.get(0);
        long axesFrom = op.equals("ReduceSum") ? 13 : 18;
        long[] axes;
        boolean axesUnknown = false;
        if (opset() >= axesFrom) {
            if (in.size() > 1 && in.get(1) != null) {
                axes = longs(in.get(1));
                axesUnknown = axes == null;
            } else {
                axes = null;
            }
        } else {
            axes = attrInts(n, "axes");
        }
        boolean keep = attrI(n, "keepdims", 1) != 0;
        if (!x.hasRank() || axesUnknown) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        int r = x.shape().size();
        Set<Integer> ax = new HashSet<>();
        if (axes == null || axes.length == 0) {
            if (attrI(n, "noop_with_empty_axes", 0) != 0) {
                return same(x);
            }
            for (int i = 0; i < r; i++) {
                ax.add(i);
            }
        } else {
            for (long a : axes) {
                ax.add(axis(a, r));
            }
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (ax.contains(i)) {
                if (keep) {
                    out.add(Dim.of(1));
                }
            } else {
                out.add(x.shape().get(i));
            }
        }
        return Info.of(new TensorType(x.dtype(), out));
    }

    private static Info argReduce(Onnx.NodeProto n, Info x) {
        if (!x.hasRank()) {
            return Info.of(new TensorType(DataType.INT64, null));
        }
        int r = x.shape().size();
        int axis = axis(attrI(n, "axis", 0), r);
        boolean keep = attrI(n, "keepdims", 1) != 0;
        List<Dim> out = new ArrayList<>(x.shape());
        if (keep) {
            out.set(axis, Dim.of(1));
        } else {
            out.remove(axis);
        }
        return Info.of(new TensorType(DataType.INT64, out));
    }

    private List<Info> topK(Onnx.NodeProto n, List<Info> in) {
        Info x = in.get(0);
        if (!x.hasRank()) {
            return List.of(same(x), Info.of(new TensorType(DataType.INT64, null)));
        }
        long[] k = opset() >= 10 ? longs(in.get(1)) : new long[] {attrI(n, "k", -1)};
        List<Dim> out = new ArrayList<>(x.shape());
        int axis = axis(attrI(n, "axis", -1), out.size());
        out.set(axis, k == null || k[0] < 0 ? Dim.unknown() : Dim.of(k[0]));
        return List.of(Info.of(new TensorType(x.dtype(), out)), Info.of(new TensorType(DataType.INT64, out)));
    }

    private Info resize(Onnx.NodeProto n, String op, List<Info> in) {
        Info x = in.get(0);
        if (!x.hasRank()) {
            return same(x);
        }
        int r = x.shape().size();
        Info scalesIn;
        Info sizesIn = null;
        if (op.equals("Upsample")) {
            scalesIn = opset() >= 9 ? in.get(1) : null;
        } else if (opset() >= 11) {
            scalesIn = in.size() > 2 ? in.get(2) : null;
            sizesIn = in.size() > 3 ? in.get(3) : null;
        } else {
            scalesIn = in.get(1);
        }
        long[] axes = attrInts(n, "axes");
        List<Dim> out = new ArrayList<>(x.shape());
        if (sizesIn != null && sizesIn.hasRank() && sizesIn.shape().get(0).isKnown() && sizesIn.shape().get(0).value() > 0) {
            if (sizesIn.ints == null) {
                return Info.of(new TensorType(x.dtype(), unknownDims(r)));
            }
            if (!attrS(n, "keep_aspect_ratio_policy", "stretch").equals("stretch")) {
                return Info.of(new TensorType(x.dtype(), unknownDims(r)));
            }
            for (int i = 0; i < sizesIn.ints.size(); i++) {
                out.set(axes == null ? i : axis(axes[i], r), sizesIn.ints.get(i));
            }
            return Info.of(new TensorType(x.dtype(), out));
        }
        double[] scales = null;
        if (scalesIn != null) {
            scales = scalesIn.floats;
        } else if (op.equals("Upsample")) {
            float[] f = attrFloats(n, "scales");
            if (f != null) {
                scales = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    scales[i] = f[i];
                }
            }
        }
        if (scales == null || scales.length == 0) {
            return Info.of(new TensorType(x.dtype(), unknownDims(r)));
        }
        for (int i = 0; i < scales.length; i++) {
            int a = axes == null ? i : axis(axes[i], r);
            Dim d = x.shape().get(a);
            double s = scales[i];
            if (d.isKnown()) {
                out.set(a, Dim.of((long) Math.floor(d.value() * s)));
            } else if (s == Math.rint(s) && s >= 1) {
                out.set(a, d.times(Dim.of((long) s)));
            } else {
                out.set(a, Dim.unknown());
            }
        }
        return Info.of(new TensorType(x.dtype(), out));
    }

    private static Info depthSpace(Onnx.NodeProto n, String op, Info x) {
        if (!x.hasRank() || x.shape().size() != 4) {
            return Info.of(new TensorType(x.dtype(), null));
        }
        long b = attrI(n, "blocksize", 1);
        List<Dim> s = x.shape();
        Dim c = s.get(1);
        if (op.equals("DepthToSpace")) {
            return Info.of(new TensorType(x.dtype(), List.of(s.get(0), c.isKnown() ? Dim.of(c.value() / (b * b)) : Dim.unknown(),
                    s.get(2).times(Dim.of(b)), s.get(3).times(Dim.of(b)))));
        }
        return Info.of(new TensorType(x.dtype(), List.of(s.get(0), c.times(Dim.of(b * b)),
                s.get(2).isKnown() ? Dim.of(s.get(2).value() / b) : Dim.unknown(),
                s.get(3).isKnown() ? Dim.of(s.get(3).value() / b) : Dim.unknown())));
    }

    private static Info oneHot(Onnx.NodeProto n, List<Info> in) {
        Info idx = in.get(0);
        long[] depth = longs(in.get(1));
        if (depth == null && in.get(1).floats != null) {
            depth = new long[] {(long) in.get(1).floats[0]};
        }
        DataType t = in.get(2).dtype();
        if (!idx.hasRank()) {
            return Info.of(new TensorType(t, null));
        }
        List<Dim> out = new ArrayList<>(idx.shape());
        int axis = axis(attrI(n, "axis", -1), out.size() + 1);
        out.add(axis, depth == null ? Dim.unknown() : Dim.of(depth[0]));
        return Info.of(new TensorType(t, out));
    }

    private static List<Info> rnn(Onnx.NodeProto n, String op, List<Info> in) {
        Info x = in.get(0);
        long hidden = attrI(n, "hidden_size", -1);
        String dir = attrS(n, "direction", "forward");
        long dirs = dir.equals("bidirectional") ? 2 : 1;
        boolean batchFirst = attrI(n, "layout", 0) != 0;
        Dim h = hidden >= 0 ? Dim.of(hidden) : Dim.unknown();
        if (!x.hasRank()) {
            return List.of(Info.of(new TensorType(x.dtype(), null)), Info.of(new TensorType(x.dtype(), null)),
                    Info.of(new TensorType(x.dtype(), null)));
        }
        Dim seq = x.shape().get(batchFirst ? 1 : 0);
        Dim batch = x.shape().get(batchFirst ? 0 : 1);
        TensorType y = new TensorType(x.dtype(), batchFirst ? List.of(batch, seq, Dim.of(dirs), h) : List.of(seq, Dim.of(dirs), batch, h));
        TensorType state = new TensorType(x.dtype(), batchFirst ? List.of(batch, Dim.of(dirs), h) : List.of(Dim.of(dirs), batch, h));
        List<Info> out = new ArrayList<>();
        out.add(Info.of(y));
        out.add(Info.of(state));
        if (op.equals("LSTM")) {
            out.add(Info.of(state));
        }
        return out;
    }

    private List<Info> ifOp(Onnx.NodeProto n, List<Info> in, Map<String, Info> env) throws ModelException {
        Onnx.AttributeProto thenA = Protos.attribute(n, "then_branch");
        Onnx.AttributeProto elseA = Protos.attribute(n, "else_branch");
        if (thenA == null || elseA == null) {
            return null;
        }
        long[] cond = longs(in.get(0));
        List<Info> thenOut = graph(thenA.getG(), new HashMap<>(env), false);
        List<Info> elseOut = graph(elseA.getG(), new HashMap<>(env), false);
        if (cond != null && cond.length == 1) {
            return cond[0] != 0 ? thenOut : elseOut;
        }
        List<Info> out = new ArrayList<>();
        for (int i = 0; i < thenOut.size(); i++) {
            out.add(Info.of(merge(thenOut.get(i).type, i < elseOut.size() ? elseOut.get(i).type : TensorType.unknown())));
        }
        return out;
    }

    /** The type that covers both branches: equal dims stay, differing ones become unknown. */
    private static TensorType merge(TensorType a, TensorType b) {
        DataType t = a.elementType() == b.elementType() ? a.elementType() : a.elementType() == null ? b.elementType() : a.elementType();
        if (!a.hasRank() || !b.hasRank() || a.shape().size() != b.shape().size()) {
            return new TensorType(t, null);
        }
        List<Dim> s = new ArrayList<>();
        for (int i = 0; i < a.shape().size(); i++) {
            s.add(a.shape().get(i).equals(b.shape().get(i)) ? a.shape().get(i) : Dim.unknown());
        }
        return new TensorType(t, s);
    }

    private List<Info> loop(Onnx.NodeProto n, List<Info> in, Map<String, Info> env) throws ModelException {
        Onnx.AttributeProto body = Protos.attribute(n, "body");
        if (body == null) {
            return null;
        }
        Onnx.GraphProto g = body.getG();
        Map<String, Info> inner = new HashMap<>(env);
        // Body inputs: iteration number, condition, then the loop-carried values (ONNX Loop spec).
        for (int i = 0; i < g.getInputCount(); i++) {
            Onnx.ValueInfoProto v = g.getInput(i);
            Info init = i >= 2 && i < in.size() ? in.get(i) : null;
            TensorType declaredType = v.getType().hasTensorType() ? bind(Protos.tensorType(v.getType().getTensorType())) : TensorType.unknown();
            TensorType t = init != null ? merge(init.type, declaredType.hasRank() ? declaredType : init.type)
                    : i == 0 ? new TensorType(DataType.INT64, List.of()) : i == 1 ? new TensorType(DataType.BOOL, List.of()) : declaredType;
            inner.put(v.getName(), Info.of(t));
        }
        Onnx.GraphProto noInputs = g.toBuilder().clearInput().build();
        List<Info> bodyOut = graph(noInputs, inner, false);
        int carried = Math.max(0, in.size() - 2);
        List<Info> out = new ArrayList<>();
        for (int i = 1; i < bodyOut.size(); i++) {
            Info b = bodyOut.get(i);
            if (i - 1 < carried) {
                Info init = in.get(i + 1);
                out.add(Info.of(init == null ? b.type : merge(init.type, b.type)));
            } else {
                long[] trip = in.get(0) == null ? null : longs(in.get(0));
                Dim lead = trip != null && in.get(1) == null ? Dim.of(trip[0]) : Dim.unknown();
                List<Dim> s = null;
                if (b.hasRank()) {
                    s = new ArrayList<>();
                    s.add(lead);
                    s.addAll(b.shape());
                }
                out.add(Info.of(new TensorType(b.dtype(), s)));
            }
        }
        return out;
    }

    // ---- attribute helpers ----

    static int axis(long a, int rank) {
        long r = a < 0 ? a + rank : a;
        if (r < 0 || r >= Math.max(rank, 1)) {
            throw new IllegalArgumentException("axis " + a + " out of range for rank " + rank);
        }
        return (int) r;
    }

    static long attrI(Onnx.NodeProto n, String name, long def) {
        Onnx.AttributeProto a = Protos.attribute(n, name);
        return a == null ? def : a.getI();
    }

    static String attrS(Onnx.NodeProto n, String name, String def) {
        Onnx.AttributeProto a = Protos.attribute(n, name);
        return a == null ? def : a.getS().toStringUtf8();
    }

    static long[] attrInts(Onnx.NodeProto n, String name) {
        Onnx.AttributeProto a = Protos.attribute(n, name);
        if (a == null) {
            return null;
        }
        long[] out = new long[a.getIntsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getInts(i);
        }
        return out;
    }

    static float[] attrFloats(Onnx.NodeProto n, String name) {
        Onnx.AttributeProto a = Protos.attribute(n, name);
        if (a == null) {
            return null;
        }
        float[] out = new float[a.getFloatsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getFloats(i);
        }
        return out;
    }

    static long[] attrIntsOr(Onnx.NodeProto n, String name, int len, long def) {
        long[] v = attrInts(n, name);
        if (v != null && v.length == len) {
            return v;
        }
        long[] out = new long[len];
        Arrays.fill(out, def);
        return out;
    }
}
