# Independent oracle for Satchel's graph facts, using python3-onnx (Debian). Prints JSON.
# Definitions mirror docs/model-layer.md: nodes and op types include every subgraph; parameters
# are initializers (dense and sparse values) plus Constant-node values, wherever they live.
import json, sys
import onnx
from onnx import AttributeProto, TensorProto

BITS = {TensorProto.FLOAT: 32, TensorProto.UINT8: 8, TensorProto.INT8: 8, TensorProto.UINT16: 16,
        TensorProto.INT16: 16, TensorProto.INT32: 32, TensorProto.INT64: 64, TensorProto.BOOL: 8,
        TensorProto.FLOAT16: 16, TensorProto.DOUBLE: 64, TensorProto.UINT32: 32, TensorProto.UINT64: 64,
        TensorProto.COMPLEX64: 64, TensorProto.COMPLEX128: 128, TensorProto.BFLOAT16: 16}
NAMES = {TensorProto.FLOAT: "float32", TensorProto.UINT8: "uint8", TensorProto.INT8: "int8",
         TensorProto.UINT16: "uint16", TensorProto.INT16: "int16", TensorProto.INT32: "int32",
         TensorProto.INT64: "int64", TensorProto.BOOL: "bool", TensorProto.FLOAT16: "float16",
         TensorProto.DOUBLE: "float64", TensorProto.UINT32: "uint32", TensorProto.UINT64: "uint64",
         TensorProto.BFLOAT16: "bfloat16", TensorProto.STRING: "string"}

facts = {"nodes": 0, "subgraphs": 0, "opTypes": {}, "byType": {}}

def add(dtype, count, nbytes):
    e = facts["byType"].setdefault(NAMES[dtype], {"count": 0, "bytes": 0})
    e["count"] += count
    e["bytes"] += nbytes

def tensor(t):
    n = 1
    for d in t.dims:
        n *= d
    if t.data_type == TensorProto.STRING:
        add(t.data_type, n, sum(len(s) for s in t.string_data))
    else:
        add(t.data_type, n, (n * BITS[t.data_type] + 7) // 8)

def graph(g):
    for t in g.initializer:
        tensor(t)
    for s in g.sparse_initializer:
        tensor(s.values)
    for node in g.node:
        facts["nodes"] += 1
        key = node.op_type if node.domain in ("", "ai.onnx") else node.domain + ":" + node.op_type
        facts["opTypes"][key] = facts["opTypes"].get(key, 0) + 1
        if node.op_type == "Constant" and node.domain in ("", "ai.onnx"):
            for a in node.attribute:
                if a.name == "value": tensor(a.t)
                elif a.name == "value_float": add(TensorProto.FLOAT, 1, 4)
                elif a.name == "value_floats": add(TensorProto.FLOAT, len(a.floats), 4 * len(a.floats))
                elif a.name == "value_int": add(TensorProto.INT64, 1, 8)
                elif a.name == "value_ints": add(TensorProto.INT64, len(a.ints), 8 * len(a.ints))
        for a in node.attribute:
            if a.type == AttributeProto.GRAPH:
                facts["subgraphs"] += 1
                graph(a.g)
            elif a.type == AttributeProto.GRAPHS:
                for sub in a.graphs:
                    facts["subgraphs"] += 1
                    graph(sub)

m = onnx.load(sys.argv[1], load_external_data=False)
graph(m.graph)
facts["irVersion"] = m.ir_version
facts["opsets"] = {o.domain if o.domain != "ai.onnx" else "": o.version for o in m.opset_import}
facts["parameterCount"] = sum(e["count"] for e in facts["byType"].values())
facts["parameterBytes"] = sum(e["bytes"] for e in facts["byType"].values())
facts["inputs"] = [i.name for i in m.graph.input if i.name not in {t.name for t in m.graph.initializer}]
facts["outputs"] = [o.name for o in m.graph.output]
if len(sys.argv) > 2 and sys.argv[2] == "check":
    onnx.checker.check_model(sys.argv[1])  # by path, so external data is checked too
    facts["checker"] = "ok"
print(json.dumps(facts, sort_keys=True))
