#!/usr/bin/env python3
"""One-off importer: turns the research snapshot execution-provider-ops.json (kept outside the
repository, in the team's shared reference folder) into Satchel's execution-provider data files
under src/main/resources/dev/satchel/devices/ep/.

The free-text caveats of the snapshot are mapped to evaluable constraints here, op by op, because
input indices differ per operator (ONNX operator docs give the input order). Text that cannot be
evaluated statically is kept as an 'unevaluated' constraint so the checker can print it as a caveat.
Re-running it overwrites the data files; hand edits belong in this script.

usage: import-ep-data.py REFERENCE_DIR OUT_DIR
"""
import json, re, sys, os

ref_dir, out_dir = sys.argv[1], sys.argv[2]
snap = json.load(open(os.path.join(ref_dir, 'execution-provider-ops.json')))

def c(kind, text, **kw):
    d = {'kind': kind}
    d.update(kw)
    d['text'] = text
    return d

# Input indices of scale/zero-point inputs per quantized op (ONNX / com.microsoft operator docs).
QPARAMS = {
    'DequantizeLinear': [1, 2], 'QuantizeLinear': [1, 2],
    'QLinearConv': [1, 2, 4, 5, 6, 7], 'QLinearMatMul': [1, 2, 4, 5, 6, 7],
    'QLinearAdd': [1, 2, 4, 5, 6, 7], 'QLinearMul': [1, 2, 4, 5, 6, 7],
    'QLinearAveragePool': [1, 2, 3, 4], 'QLinearSigmoid': [1, 2, 3, 4], 'QLinearSoftmax': [1, 2, 3, 4],
    'QLinearConvTranspose': [1, 2, 4, 5, 6, 7],
}
# Weight/bias inputs.
WEIGHTS = {'Conv': [1, 2], 'ConvTranspose': [1, 2], 'QLinearConv': [3, 8], 'QLinearConvTranspose': [3, 8]}
RANK4 = lambda t: c('input-rank', t, input=0, min=4, max=4)

def part(op, p):
    """Constraints for one ';'-separated clause of a caveat. Returns (constraints, notes)."""
    t = p.strip()
    if not t:
        return [], []
    low = t.lower()
    if t in ('2D only', '2D only currently'):
        if op in ('MatMul', 'Gemm'):
            return [c('input-rank', t, input=0, min=2, max=2), c('input-rank', t, input=1, min=2, max=2)], []
        return [RANK4(t)], []
    if t == '1D/2D only':
        return [c('input-rank', t, input=0, min=3, max=4)], []
    if t in ('weights and bias constant', 'weights/bias constant', 'weight and bias constant'):
        return [c('const-inputs', t, inputs=WEIGHTS.get(op, [1, 2]))], []
    if t == 'bias constant if provided':
        return [c('const-inputs', t, inputs=[2])], []
    if t in ('scales and zero points constant', 'all scales and zero points constant'):
        return [c('const-inputs', t, inputs=QPARAMS[op])], []
    if t == 'uint8 or int8':
        return [c('input-dtypes', t, input=0, allowed=['uint8', 'int8'])], []
    if t == 'DCR mode only':
        return [c('attribute-in', t, name='mode', allowed=['DCR'], default='DCR')], []
    if t == 'input B constant':
        return [c('const-inputs', t, inputs=[1])], []
    if t in ('axes input constant', 'axes constant', 'axis input constant', "'split' input constant if given",
             'split input constant if given', 'split input constant', 'shape input constant', 'repeats constant',
             'k constant'):
        return [c('const-inputs', t, inputs=[1])], []
    if t in ('starts/ends/axes/steps constant', 'starts/ends/axes/steps constant initializers'):
        return [c('const-inputs', t, inputs=[1, 2, 3, 4])], []
    if t == 'shape constant':
        return [c('const-inputs', t, inputs=[1])], []
    if t == 'constant mode only':
        return [c('attribute-in', t, name='mode', allowed=['constant'], default='constant')], []
    if t == 'constant mode, padding of last two dims only':
        return [c('attribute-in', t, name='mode', allowed=['constant'], default='constant'),
                c('unevaluated', 'padding of last two dims only')], []
    if t == 'pads and constant_value constant':
        return [c('const-inputs', t, inputs=[1, 2])], []
    if t == 'axes constant if given':
        return [c('const-inputs', t, inputs=[3])], []
    if t == "scalar 'indices' not supported":
        return [c('input-rank', t, input=1, min=1, max=None)], []
    if t == 'both inputs fp32':
        return [c('input-dtypes', t, input=0, allowed=['float32']), c('input-dtypes', t, input=1, allowed=['float32'])], []
    if t == 'slope constant with shape [C,1,1] or 1 element':
        return [c('const-inputs', t, inputs=[1]), c('unevaluated', 'slope shape [C,1,1] or 1 element')], []
    if t in ('4D input', '4-D input'):
        return [RANK4(t)], []
    if t == 'coordinate_transformation_mode asymmetric':
        return [c('attribute-in', t, name='coordinate_transformation_mode', allowed=['asymmetric'], default='half_pixel')], []
    if t in ('mode linear or nearest', 'linear/nearest'):
        return [c('attribute-in', t, name='mode', allowed=['linear', 'nearest'], default='nearest')], []
    if t == 'bilinear mode':
        return [c('attribute-in', t, name='mode', allowed=['linear'], default='nearest')], []
    if t == 'nearest_mode floor':
        return [c('attribute-in', t, name='nearest_mode', allowed=['floor'], default='round_prefer_floor')], []
    if t in ('exclude_outside false', 'exclude_outside 0'):
        return [c('attribute-in', t, name='exclude_outside', allowed=['0'], default='0')], []
    if t == 'antialias 0':
        return [c('attribute-in', t, name='antialias', allowed=['0'], default='0')], []
    if t == 'keep_aspect_ratio_policy stretch':
        return [c('attribute-in', t, name='keep_aspect_ratio_policy', allowed=['stretch'], default='stretch')], []
    if t == 'scales/sizes constant':
        return [c('const-inputs', t, inputs=[2, 3])], []
    if t == '2D/4D, bilinear mode':
        return [RANK4('2D/4D'), c('attribute-in', 'bilinear mode', name='mode', allowed=['linear'], default='nearest')], []
    if t == '3-D or 4-D input and weight':
        return [c('input-rank', t, input=0, min=3, max=4), c('input-rank', t, input=1, min=3, max=4)], []
    if t == 'C input must be 1-D':
        return [c('input-rank', t, input=2, min=1, max=1)], []
    if t.startswith('4-D input, 2-D kernel'):
        out = [RANK4(t)]
        if 'storage_order' in t:
            out.append(c('attribute-in', 'storage_order != 1', name='storage_order', allowed=['0'], default='0'))
        if 'one output' in t:
            out.append(c('max-outputs', 'one output', max=1))
        if 'p=2' in t:
            out.append(c('attribute-in', 'p=2', name='p', allowed=['2'], default='2'))
        return out, []
    if t == '4-D input, p=2':
        return [RANK4(t), c('attribute-in', 'p=2', name='p', allowed=['2'], default='2')], []
    if t in ('p == 2',):
        return [c('attribute-in', t, name='p', allowed=['2'], default='2')], []
    if t in ('batch_dims 0', 'batch_dims must be 0'):
        return [c('attribute-in', t, name='batch_dims', allowed=['0'], default='0')], []
    if t == 'training_mode 0, one output':
        return [c('attribute-in', 'training_mode 0', name='training_mode', allowed=['0'], default='0'),
                c('max-outputs', 'one output', max=1)], []
    if t == 'reduction none':
        return [c('attribute-in', t, name='reduction', allowed=['none'], default='none')], []
    if t == "mode 'wrap' unsupported":
        return [c('attribute-not-in', t, name='mode', forbidden=['wrap'], default='constant')], []
    if t.startswith('HTP input dtype pairs'):
        return [c('quantized-inputs', t, inputs=[0, 1], dtypes=['uint8', 'uint16'])], []
    if t.startswith('opset <13 any axis'):
        return [c('last-axis', t, attribute='axis', default=-1, since_opset=13)], []
    if t == "non-default 'start' and any 'end' not supported":
        return [c('attribute-in', t, name='start', allowed=['0'], default='0'), c('attribute-absent', t, names=['end'])], []
    if t == 'input rank <= 5':
        return [c('input-rank', t, input=0, min=0, max=5)], []
    if t in ('conv3d not supported', 'ConvTranspose3d not supported'):
        return [c('input-rank', t, input=0, min=0, max=4)], []
    if t == 'no SAME_UPPER/SAME_LOWER':
        return [c('attribute-not-in', t, name='auto_pad', forbidden=['SAME_UPPER', 'SAME_LOWER'], default='NOTSET')], []
    if t in ('no output_shape',):
        return [c('attribute-absent', t, names=['output_shape'])], []
    if t == 'B and zero_points constant':
        return [c('const-inputs', t, inputs=[1, 3])], []
    if t == 'bits=4 only':
        return [c('attribute-in', t, name='bits', allowed=['4'], default='4')], []
    if t == 'total_sequence_length constant':
        return [c('const-inputs', t, inputs=[6])], []
    if t == 'layout 0':
        return [c('attribute-in', t, name='layout', allowed=['0'], default='0')], []
    # Informational: version notes, fusion provenance, upstream table spelling problems.
    if t.startswith('many attribute combinations'):
        return [c('unevaluated', t)], []
    if re.search(r'op-builder factory|since ORT|decomposed|contrib op|produced by ORT|lowered to MIL|epsilon|16-bit integer|no GPU kernel|misspelled|spelled|^doc: ', t):
        return [], [t]
    return [c('unevaluated', t)], []

def constraints(op, text):
    if not text:
        return [], []
    cons, notes = [], []
    # Split on ';' but keep clauses that contain commas inside one rule together.
    whole = text.startswith(('4-D input, 2-D kernel', 'opset <13 any axis', 'lowered to MIL', 'produced by ORT', 'table row', 'many attribute combinations')) \
        or text in ('4-D input, p=2', 'training_mode 0, one output', '2D/4D, bilinear mode')
    clauses = [text] if whole else text.split(';')
    for cl in clauses:
        cl = cl.strip()
        # sub-clauses joined by ', ' that we know separately
        if cl.startswith('repeats constant or runtime tensor'):
            notes.append(cl.split(';')[0])
            continue
        cs, ns = part(op, cl)
        cons += cs
        notes += ns
    return cons, notes

def opsets(s):
    """'6-12,13+' / '11, 12+' / '17+ (plus legacy 1-16)' / '11,12,13+ (float, float16)' -> (ranges, note)."""
    if not s:
        return None, None
    note = None
    m = re.match(r'^([0-9 ,+\-]+)(.*)$', s)
    core, rest = m.group(1), m.group(2).strip()
    if rest:
        note = rest.strip('() ')
        if 'plus legacy 1-16' in rest:
            core = '1-16,' + core
    parts = [p.strip() for p in core.split(',') if p.strip()]
    return ','.join(parts), note

def op_entries(ops):
    out = []
    for o in ops:
        if isinstance(o, str):
            out.append({'op': o, 'domain': ''})
            continue
        e = {'op': o['op'], 'domain': o['domain']}
        rng, onote = opsets(o.get('opsets'))
        if rng:
            e['opsets'] = rng
        if o.get('since_ort'):
            e['since_ort'] = o['since_ort']
        cons, notes = constraints(o['op'], o.get('constraints'))
        if onote:
            if 'no 21+ kernel' in onote:
                notes.append(onote)
            else:
                notes.append('opset note: ' + onote)
        if cons:
            e['constraints'] = cons
        if notes:
            e['notes'] = notes
        if o.get('constraints'):
            e['source_text'] = o['constraints']
        out.append(e)
    return out

def write(name, data):
    with open(os.path.join(out_dir, name), 'w') as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write('\n')

SNAPSHOT = 'research snapshot execution-provider-ops.json (operator tables read from microsoft/onnxruntime; commits per source)'
eps = snap['eps']

def base(ep_id, provider, key, coverage, rules, dtype_rules, ops=None, extra=None):
    e = eps[key] if key else {}
    d = {
        'id': ep_id,
        'provider': provider,
        'ort_name': e.get('ep_name', ''),
        'coverage': coverage,
        'list_origin': e.get('list_origin', ''),
        'derived_from': SNAPSHOT,
        'sources': e.get('sources', [e['source']] if 'source' in e else []),
        'rules': rules,
        'dtype_rules': dtype_rules,
        'global_constraints_text': e.get('global_constraints', []),
    }
    if e.get('approach'):
        d['approach'] = e['approach']
    if extra:
        d.update(extra)
    d['ops'] = op_entries(ops if ops is not None else (e.get('ops') if isinstance(e.get('ops'), list) else []))
    return d

DEVICE_COPY = 'device-copy'
CPU_SIDE = 'none'

write('cpu.json', base('cpu', 'cpu', 'CPU', 'all-standard',
    {'static_shapes': False, 'max_rank': None, 'subgraphs': True, 'partition_cost': CPU_SIDE},
    {'float': ['float32', 'float16', 'float64', 'bfloat16'], 'quantized': ['uint8', 'int8', 'uint16', 'int16', 'int4', 'uint4'],
     'float_needs_quantization': False, 'text': 'CPU EP implements every standard ai.onnx and ai.onnx.ml op up to the release max opset; fp16 kernels are partial (many ops upcast).'}))
write('wasm.json', base('wasm', 'wasm', 'CPU', 'all-standard',
    {'static_shapes': False, 'max_rank': None, 'subgraphs': True, 'partition_cost': CPU_SIDE},
    {'float': ['float32'], 'quantized': ['uint8', 'int8'], 'float_needs_quantization': False,
     'text': 'onnxruntime-web wasm backend is the CPU EP compiled to WebAssembly (wasm32); fp16 is storage-only (unverified).'},
    extra={'ort_name': "'wasm' in onnxruntime-web (CPUExecutionProvider compiled to WebAssembly)"}))
write('xnnpack.json', base('xnnpack', 'xnnpack', 'XNNPACK', 'listed',
    {'static_shapes': False, 'max_rank': None, 'subgraphs': False, 'partition_cost': CPU_SIDE},
    {'float': ['float32'], 'quantized': ['uint8', 'int8'], 'float_needs_quantization': False,
     'text': 'fp32 ops plus QLinear* quantized ops (uint8 and int8).'}))
write('nnapi.json', base('nnapi', 'nnapi', 'NNAPI', 'listed',
    {'static_shapes': True, 'max_rank': None, 'subgraphs': False, 'partition_cost': DEVICE_COPY,
     'deprecated': 'NNAPI is deprecated from Android 15 (Android NNAPI migration guide)'},
    {'float': ['float32', 'float16'], 'quantized': ['uint8'], 'float_needs_quantization': False,
     'text': 'Quantized support via QLinear* ops and QDQ with constant scales/zero points. What the driver runs on the NPU is vendor-dependent.'},
    extra={'ops_in_factory_but_not_in_doc_table': eps['NNAPI']['ops_in_factory_but_not_in_doc_table']},
    ops=eps['NNAPI']['ops'] + eps['NNAPI']['ops_in_factory_but_not_in_doc_table']))
coreml_rules = {'static_shapes': False, 'max_rank': 5, 'subgraphs': False, 'partition_cost': DEVICE_COPY}
write('coreml-neuralnetwork.json', base('coreml-neuralnetwork', 'coreml', 'CoreML_NeuralNetwork', 'listed',
    dict(coreml_rules, min_os={'ios': '13', 'ipados': '13', 'macos': '10.15'}),
    {'float': ['float32', 'float16'], 'quantized': [], 'float_needs_quantization': False,
     'text': 'Core ML computes in fp16 on the Neural Engine and fp16/fp32 on the GPU; int8 weights are a storage format expanded before compute.'}))
write('coreml-mlprogram.json', base('coreml-mlprogram', 'coreml', 'CoreML_MLProgram', 'listed',
    dict(coreml_rules, min_os={'ios': '15', 'ipados': '15', 'macos': '12'}),
    {'float': ['float32', 'float16'], 'quantized': [], 'float_needs_quantization': False,
     'text': 'As NeuralNetwork; the W8A8 int8 compute path exists on A17 Pro / M4 and later but ORT QDQ models are not known to reach it (unverified).'},
    extra={'factory_ops_not_in_tables': eps['CoreML_op_builder_factory']['in_factory_not_in_either_table']}))
qnn = eps['QNN_HTP']
# The doc table is a subset of the op-builder factory (snapshot's factory_note); like ORT's own
# GetCapability, the factory decides. Factory-only ops get no documented constraints.
CONTRIB = {'FusedMatMul', 'MatMulNBits', 'QuickGelu', 'RotaryEmbedding'}
doc_ops = {(o['op'], o['domain']) for o in qnn['ops']}
qnn_ops = list(qnn['ops'])
for op in qnn['ops_from_op_builder_factory']:
    dom = 'com.microsoft' if op in CONTRIB else ''
    if (op, dom) not in doc_ops:
        qnn_ops.append({'op': op, 'domain': dom, 'constraints': 'from the op-builder factory, not in the doc table'})
write('qnn-htp.json', base('qnn-htp', 'qnn-htp', 'QNN_HTP', 'listed',
    {'static_shapes': True, 'max_rank': None, 'subgraphs': False, 'partition_cost': DEVICE_COPY},
    {'float': [], 'quantized': ['uint8', 'uint16', 'int8', 'int16'], 'float_needs_quantization': True,
     'fp16_option': 'enable_htp_fp16_precision runs an fp32 model in fp16 on HTP where the device has htp-supports-fp16; Satchel assumes the documented quantized path unless a profile says otherwise',
     'text': 'Docs: HTP backend only supports quantized models; fp32 weights/activations must first be quantized to 8- or 16-bit integers (QDQ format). QNN ops typically support uint8 and uint16.'},
    extra={'factory_ops': qnn['ops_from_op_builder_factory'], 'factory_note': qnn['factory_note']}, ops=qnn_ops))
write('webgpu.json', base('webgpu', 'webgpu', 'WebGPU_native', 'listed',
    {'static_shapes': False, 'max_rank': None, 'subgraphs': False, 'partition_cost': DEVICE_COPY},
    {'float': ['float32', 'float16'], 'quantized': ['uint8', 'int8'], 'float_needs_quantization': False,
     'text': 'fp32; fp16 needs the shader-f16 feature (unverified); int4/int8 weights dequantized in shaders for some ops (MatMulNBits, DequantizeLinear).'}))
write('webgpu-jsep.json', base('webgpu-jsep', 'webgpu', 'WebGPU_JSEP', 'listed',
    {'static_shapes': False, 'max_rank': None, 'subgraphs': False, 'partition_cost': DEVICE_COPY},
    {'float': ['float32', 'float16'], 'quantized': ['uint8', 'int8'], 'float_needs_quantization': False,
     'text': 'Older onnxruntime-web WebGPU implementation (JSEP); treat list as a floor.'}))
write('webnn.json', base('webnn', 'webnn', 'WebNN', 'listed',
    {'static_shapes': False, 'max_rank': None, 'subgraphs': False, 'partition_cost': DEVICE_COPY,
     'deprecated': 'WebNN is a W3C Candidate Recommendation, Chromium-only and not enabled by default (ORT WebNN docs); not a production path yet'},
    {'float': ['float32', 'float16'], 'quantized': ['uint8', 'int8'], 'float_needs_quantization': False,
     'text': 'Backend-dependent (Core ML, Windows ML, LiteRT/XNNPACK); see webmachinelearning.github.io/webnn-status.'}))
for ep_id, key, fl, q in (('directml', 'DirectML', ['float32', 'float16'], ['uint8', 'int8']),
                          ('tensorrt', 'TensorRT', ['float32', 'float16', 'bfloat16'], ['int8']),
                          ('cuda', 'CUDA', ['float32', 'float16', 'bfloat16'], ['int8', 'uint8'])):
    write(ep_id + '.json', base(ep_id, ep_id, key, 'not-extracted',
        {'static_shapes': False, 'max_rank': None, 'subgraphs': True, 'partition_cost': DEVICE_COPY},
        {'float': fl, 'quantized': q, 'float_needs_quantization': False, 'text': 'see sources'}))

# Execution providers named by device facts but absent from the operator snapshot.
def stub(ep_id, name, sources, rules, dtype_rules, text):
    write(ep_id + '.json', {
        'id': ep_id, 'provider': ep_id, 'ort_name': name, 'coverage': 'not-extracted',
        'list_origin': 'not extracted', 'derived_from': 'device-facts.json (accelerator routes); no operator table read',
        'sources': sources, 'rules': rules, 'dtype_rules': dtype_rules, 'global_constraints_text': text, 'ops': []})
stub('qnn-gpu', 'QNNExecutionProvider (backend_path QnnGpu)', [{'url': 'https://onnxruntime.ai/docs/execution-providers/QNN-ExecutionProvider'}],
     {'static_shapes': True, 'max_rank': None, 'subgraphs': False, 'partition_cost': DEVICE_COPY},
     {'float': ['float32', 'float16'], 'quantized': [], 'float_needs_quantization': False, 'text': 'Adreno GPU backend of QNN.'},
     ['Static shapes required (QNN EP)'])
stub('openvino', 'OpenVINOExecutionProvider', [{'url': 'https://onnxruntime.ai/docs/api/python/ReadMeOV.html'},
     {'url': 'https://docs.openvino.ai/2025/documentation/compatibility-and-support/supported-devices.html'}],
     {'static_shapes': False, 'max_rank': None, 'subgraphs': False, 'partition_cost': DEVICE_COPY},
     {'float': ['float32', 'float16'], 'quantized': ['uint8', 'int8'], 'float_needs_quantization': False, 'text': 'device_type CPU/GPU/NPU chosen by EP option.'},
     ['device_type=NPU: static shapes only, no heterogeneous execution on NPU (OpenVINO supported-devices table)'])

rows = []
for r in snap['ort_version_to_max_ai_onnx_opset']['rows']:
    row = {'ort': r['ort'], 'onnx': r['onnx']}
    mo = r['max_opset']
    if isinstance(mo, str):
        # '24 or 25': keep the lower bound and say so.
        row['max_opset'] = int(mo.split()[0])
        row['max_opset_note'] = mo
    else:
        row['max_opset'] = mo
    for k in ('ml_opset', 'ir'):
        if k in r:
            row[k] = r[k]
    row['confidence'] = r['confidence']
    if r.get('evidence'):
        row['evidence'] = r['evidence']
    rows.append(row)
rows.append({'ort': '1.26', 'onnx': '1.21.0', 'max_opset': 26, 'confidence': 'reported',
             'evidence': 'onnxruntime/onnxruntime-qnn#379 states ORT v1.26.0 pins ONNX 1.21.0 (opset 26).'})
write('../ort-versions.json', {
    'note': snap['ort_version_to_max_ai_onnx_opset']['note'],
    'source': snap['ort_version_to_max_ai_onnx_opset']['source_documented'],
    'open_item': snap['ort_version_to_max_ai_onnx_opset']['open_item'],
    'min_opset': 7,
    'rows': rows})
