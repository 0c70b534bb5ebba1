#!/usr/bin/env python3
"""One-off importer: turns the research snapshot device-facts.json (kept outside the repository, in
the team's shared reference folder) into the built-in profile YAML files under
src/main/resources/dev/satchel/devices/profiles/.

Evidence labels are carried over from the snapshot. The snapshot records sources per device, not
per fact; where a fact cannot be tied to a specific URL by the rules below, it cites the device's
whole source list (the URLs the research pass read for that device). Variants (other RAM sizes)
are emitted as small files that 'extends' the base profile. Hand edits belong in this script.

usage: import-device-facts.py REFERENCE_DIR OUT_DIR
"""
import json, os, re, sys
from urllib.parse import urlparse

ref_dir, out_dir = sys.argv[1], sys.argv[2]
facts = json.load(open(os.path.join(ref_dir, 'device-facts.json')))

ORT_DEFAULT = '1.20'
ORT_BASIS = ('The ONNX Runtime version is chosen by the app, not the device. Satchel assumes ' + ORT_DEFAULT +
             ', the newest release whose maximum opset the ORT compatibility table documents; '
             'set onnxruntime in your own profile to the version you ship.')
ORT_COMPAT = 'https://onnxruntime.ai/docs/reference/compatibility.html'

# ---- tiny YAML emitter (block style; strings always double-quoted unless a plain token) ----------
PLAIN = re.compile(r'^[A-Za-z][A-Za-z0-9._/-]*$')
RESERVED = {'yes', 'no', 'on', 'off', 'true', 'false', 'null', 'y', 'n', '~'}

def scalar(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    s = str(v)
    if PLAIN.match(s) and s.lower() not in RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)

def flow_ok(lst):
    return all(not isinstance(x, (dict, list)) for x in lst) and len(', '.join(scalar(x) for x in lst)) < 90

def emit(obj, indent=0):
    pad = '  ' * indent
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, dict):
                if not v:
                    out.append(f'{pad}{k}: {{}}')
                else:
                    out.append(f'{pad}{k}:')
                    out += emit(v, indent + 1)
            elif isinstance(v, list):
                if not v:
                    out.append(f'{pad}{k}: []')
                elif flow_ok(v):
                    out.append(f'{pad}{k}: [' + ', '.join(scalar(x) for x in v) + ']')
                else:
                    out.append(f'{pad}{k}:')
                    for item in v:
                        if isinstance(item, dict):
                            sub = emit(item, indent + 2)
                            sub[0] = pad + '  - ' + sub[0].lstrip()
                            out += sub
                        else:
                            out.append(f'{pad}  - {scalar(item)}')
            else:
                out.append(f'{pad}{k}: {scalar(v)}')
    return out

# ---- helpers --------------------------------------------------------------------------------------
def source_keys(urls):
    keys, seen = {}, {}
    for u in urls:
        host = urlparse(u).hostname or 'src'
        host = host.lower().removeprefix('www.').rstrip('.')
        base = re.sub(r'[^a-z0-9]+', '-', host.split('.')[-2] if host.count('.') >= 1 else host)
        if host.endswith('.github.io'):
            base = re.sub(r'[^a-z0-9]+', '-', host.split('.')[0])
        elif host == 'onnxruntime.ai':
            seg = [x for x in urlparse(u).path.strip('/').split('/') if x][-1]
            base = 'ort-' + re.sub(r'[^a-z0-9]+', '-', seg.lower().removesuffix('.html').replace('-executionprovider', ''))
        elif host.endswith('github.com') or host.endswith('githubusercontent.com'):
            parts = urlparse(u).path.strip('/').split('/')
            base = re.sub(r'[^a-z0-9]+', '-', (parts[1] if len(parts) > 1 else parts[0]).lower())
        n = seen.get(base, 0) + 1
        seen[base] = n
        if n == 1:
            keys[u] = base
        else:
            segs = [x for x in re.split(r'[/?=&#]+', urlparse(u).path) if x]
            slug = re.sub(r'[^a-z0-9]+', '-', (segs[-1] if segs else str(n)).lower().removesuffix('.html').removesuffix('.md'))[:28].strip('-')
            keys[u] = f'{base}-{slug}' if f'{base}-{slug}' not in keys.values() else f'{base}-{n}'
    return keys

def evidence_of(text, unverified=False):
    if unverified or text is None:
        return 'unverified'
    t = text.lower()
    if 'unverified' in t and not t.startswith('vendor via press'):
        return 'unverified'
    for label in ('community-measured', 'computed', 'estimate', 'vendor', 'reported'):
        if t.startswith(label):
            return label
    if 'press' in t or 'launch coverage' in t or 'reported' in t or 'datasheet' in t:
        return 'reported'
    return 'unverified'

def fact(value, evidence, sources=None, basis=None, note=None):
    f = {'value': value, 'evidence': evidence}
    if evidence in ('vendor', 'reported', 'community-measured', 'computed') and not sources:
        raise SystemExit(f'no sources for {evidence} fact {value!r}')
    if sources:
        f['sources'] = sources
    if evidence in ('estimate', 'computed'):
        f['basis'] = basis or note or 'see note'
        if basis and note and note != basis:
            f['note'] = note
    elif note:
        f['note'] = note
    return f

def pick(keys, *needles):
    return [k for u, k in keys.items() if any(n.lower() in u.lower() for n in needles)]

EP_MAP = [
    ('CoreMLExecutionProvider', 'coreml'), ('XnnpackExecutionProvider', 'xnnpack'), ('CPUExecutionProvider', 'cpu'),
    ('NnapiExecutionProvider', 'nnapi'), ('QNNExecutionProvider (backend: HTP)', 'qnn-htp'),
    ('QNNExecutionProvider (backend: GPU)', 'qnn-gpu'), ('DmlExecutionProvider', 'directml'),
    ('TensorrtExecutionProvider', 'tensorrt'), ('CUDAExecutionProvider', 'cuda'),
    ('OpenVINOExecutionProvider', 'openvino'), ('webgpu (onnxruntime-web)', 'webgpu'),
    ('WebGpuExecutionProvider', 'webgpu'), ('webnn', 'webnn'), ('wasm (onnxruntime-web)', 'wasm'),
]

def eps_of(routes):
    out, dropped = [], []
    for r in routes:
        for prefix, ep in EP_MAP:
            if r.startswith(prefix):
                if ep not in out:
                    out.append(ep)
                break
        else:
            dropped.append(r)
    return out, dropped

SKIP_WORDS = ('unverified', 'partial', 'weights', 'not confirmed', 'check ', 'requires', 'backend-dependent',
              'storage only', 'dequantized')

def compute_types(dtypes):
    out, noted = [], []
    for d in dtypes:
        if any(w in d for w in SKIP_WORDS):
            noted.append(d)
            continue
        head = d.split(' ')[0].split(':')[0]
        for t in head.split('/'):
            t = t.strip()
            if t in ('fp32', 'fp16', 'bf16', 'tf32', 'int8', 'uint8', 'int16', 'uint16', 'int4') and t not in out:
                out.append(t)
        if d != head:
            noted.append(d)
    return out, noted

PLATFORM = [('iPadOS', 'ipados'), ('iOS', 'ios'), ('macOS', 'macos'), ('Android Automotive', 'android-automotive'),
            ('Android', 'android'), ('Windows', 'windows'), ('Chromium', 'browser'), ('any browser', 'browser'),
            ('Linux', 'linux'), ('Mendel Linux', 'linux')]

CLASS = {'phone': 'phone', 'tablet': 'tablet', 'laptop': 'laptop', 'sbc': 'board', 'edge-module': 'board',
         'browser': 'browser', 'automotive': 'automotive'}

def accel_id(a, used):
    name = a['name']
    if a['kind'] == 'cpu':
        base = 'cpu'
    elif name.startswith('Hailo'):
        base = re.sub(r'[^a-z0-9]+', '-', name.split(' (')[0].lower()).strip('-')
    elif name.startswith('NVDLA'):
        base = 'dla'
    elif name.startswith('WebNN'):
        base = 'webnn'
    else:
        base = a['kind']
    i, cand = 1, base
    while cand in used:
        i += 1
        cand = f'{base}-{i}'
    used.add(cand)
    return cand

def budget_key(dev, ram):
    return str(ram) if ram is not None else None

def memory_block(dev, key, keys, all_src):
    b = dev['app_memory_budget_mb']
    ANDROID = ('Android heuristic: roughly 30% of RAM on 8 GB phones, 33-35% on 12-16 GB, 25-30% on 6 GB and '
               '15-20% on 3 GB or less, leaving the rest to the OS, SystemUI, on-device AI services and cached apps '
               '(uncalibrated estimate from the research notes)')
    ev = b.get('evidence') or {}
    basis = (b.get('basis') or '').replace('Android heuristic (see notes.md)', ANDROID).replace('Android heuristic;', ANDROID + ';').replace('(see notes.md)', '').replace('see raspberry-pi-4', 'Linux, budget = RAM minus OS').strip() or None
    mem = {}
    measured = pick(keys, 'pocketpal', 'rtabmap', 'NX2Apple', 'UTM', 'forums') or all_src
    def one(field, evkey):
        m = b.get(field) or {}
        if key not in m:
            return None
        e = evidence_of(ev.get(evkey, 'estimate'))
        note = ev.get(evkey) if ev.get(evkey, '').strip() not in ('estimate', 'community-measured', '') else None
        src = measured if e == 'community-measured' else (pick(keys, 'v8.dev', 'large-models') if e == 'vendor' else None)
        if e == 'unverified':
            e = 'estimate'
        return fact(m[key], e, src, basis=basis, note=note)
    app = one('default', 'default')
    if app:
        mem['app_budget_mb'] = app
    ext = one('extended', 'extended')
    if ext:
        mem['extended_budget_mb'] = ext
        mem['extended_condition'] = b['extended_condition']
    model = one('recommended_model_peak', 'recommended_model_peak')
    if model:
        mem['model_budget_mb'] = model
    bw = dev['memory_bandwidth_gbps']
    if bw.get('value'):
        e = evidence_of(bw['evidence'], 'memory_bandwidth_gbps' in ' '.join(dev['unverified_fields']))
        mem['bandwidth_gbps'] = fact(bw['value'], e, all_src if e in ('vendor', 'reported', 'computed') else None,
                                     basis=bw['evidence'] if e == 'computed' else None,
                                     note=None if e == 'computed' else bw['evidence'])
    return mem

def storage_block(dev, keys, all_src):
    s = dev.get('storage_budget_mb')
    if not s:
        return None
    out = {}
    if 'app_max_uncompressed' in s:
        out['download_budget_mb'] = fact(s['cellular_download_default_limit'], 'reported',
            pick(keys, 'simplymac') or pick(keys, 'app-store-connect'),
            note='iOS asks before cellular downloads above this size (secondary sources; users can allow larger downloads in Settings)')
        out['install_limit_mb'] = fact(s['app_max_uncompressed'], 'vendor', pick(keys, 'app-store-connect'),
            note='App Store: total uncompressed app size')
        out['notes'] = (s.get('notes') if s.get('notes') and not s['notes'].startswith('see ') else None) or 'Large models: On-Demand Resources, Background Assets, or first-run download.'
    elif 'play_asset_pack_each' in s:
        play = pick(keys, 'googleplay', 'support.google.com')
        ev = 'vendor' if play else 'reported'
        src = play or all_src
        out['download_budget_mb'] = fact(s['play_asset_pack_each'], ev, src,
            note='Google Play: each asset pack (a model shipped as an asset pack)')
        out['install_limit_mb'] = fact(s['play_install_time_total'], ev, src,
            note='Google Play: modules plus install-time asset packs, cumulative')
        out['notes'] = 'Play for On-device AI can deliver models install-time, fast-follow or on-demand, targeted by device model or RAM.' + (' ' + s['notes'] if s.get('notes') else '')
    elif 'single_arraybuffer_max_chrome' in s:
        out['download_budget_mb'] = fact(s['single_arraybuffer_max_chrome'], 'vendor', pick(keys, 'large-models'),
            note='Chrome caps a plain ArrayBuffer at 0x7fe00000 bytes, so fetch().arrayBuffer() of a larger model fails')
        out['notes'] = 'Persist weights with Cache Storage or OPFS; origin quotas are browser-dependent (unverified).'
    elif 'copilot_plus_min_storage' in s:
        out['install_limit_mb'] = fact(s['copilot_plus_min_storage'], 'reported', pick(keys, 'windowsnews', 'sipoch') or all_src,
            note='Copilot+ PC minimum storage (256 GB); not a per-app limit')
    elif 'emmc_total' in s:
        out['install_limit_mb'] = fact(s['emmc_total'], 'reported', pick(keys, 'extremetech') or all_src,
            note='on-board eMMC, shared with the OS')
    return out or None

def cpu_block(dev, cores, keys, all_src):
    c = dev['cpu']
    unv = 'cpu' in dev['unverified_fields']
    out = {}
    if cores is not None:
        e = evidence_of(c['evidence'], unv)
        if e == 'estimate':
            out['cores'] = fact(cores, 'estimate', basis=c['evidence'])
        else:
            out['cores'] = fact(cores, e, all_src if e != 'unverified' else None, note=c['evidence'])
    out['layout'] = c['layout']
    out['isa'] = fact(c['isa'], 'unverified', note=c['evidence'])
    feats, notes = [], []
    for f in c['isa_features']:
        tok = f.split(' ')[0].lower()
        if f.startswith('no '):
            notes.append(f)
            continue
        if f != tok:
            notes.append(f)
            if 'only' in f:
                continue
        feats.append(tok)
    out['features'] = fact(feats, 'unverified', note=('; '.join(notes) if notes else None))
    return out

def accelerators(dev, keys, all_src, overrides=None):
    out, used = [], set()
    ort_src = pick(keys, 'execution-providers', 'ReadMeOV', 'tutorials/web') or all_src
    for i, a in enumerate(dev['accelerators']):
        eps, dropped = eps_of(a['ort_execution_provider'])
        ct, ct_notes = compute_types(a['dtypes'])
        unv = any(u.startswith(f'accelerators[{i}]') and ('dtypes' in u or u == f'accelerators[{i}]')
                  for u in dev['unverified_fields'])
        acc = {'id': accel_id(a, used), 'name': a['name'], 'kind': a['kind'], 'execution_providers': eps}
        note = 'source wording: ' + ', '.join(a['dtypes']) if ct_notes else None
        if a['kind'] == 'cpu':
            acc['compute_types'] = fact(ct, 'vendor', ort_src, note=note) if pick(keys, 'execution-providers', 'ReadMeOV', 'tutorials/web') else fact(ct, 'unverified', note=note)
        else:
            acc['compute_types'] = fact(ct, 'unverified' if unv or not ct else 'reported',
                                        None if unv or not ct else all_src, note=note)
        t = a['tops_or_tflops']
        if t.get('value'):
            unv_peak = any(u.startswith(f'accelerators[{i}]') and ('tops' in u or u == f'accelerators[{i}]')
                           for u in dev['unverified_fields'])
            e = evidence_of(t['evidence'], unv_peak)
            peak = {'value': t['value'], 'unit': t['unit'], 'precision': t.get('precision', 'unstated'), 'evidence': e}
            if e in ('vendor', 'reported'):
                peak['sources'] = all_src
            peak['note'] = t['evidence']
            acc['peak'] = peak
        attrs = {}
        m = re.search(r'HTP (v\d+)', a['name'])
        if m:
            attrs['hexagon'] = m.group(1)
        if 'htp-supports-fp16:true' in (a.get('notes') or ''):
            attrs['htp-supports-fp16'] = 'true'
        if attrs:
            acc['attributes'] = attrs
        n = (a.get('notes') or '').strip()
        if dropped:
            n = (n + ' ' if n else '') + 'Routes outside the execution-provider data: ' + '; '.join(dropped) + '.'
        if n:
            acc['notes'] = n
        out.append(acc)
    return out

def os_block(dev, keys):
    o = dev['os_min']
    plat = next(v for k, v in PLATFORM if o['platform'].startswith(k))
    out = {'platform': plat}
    v = o['shipped_version']
    if v and v != 'n/a':
        unv = any(u.startswith('os_min') for u in dev['unverified_fields'])
        out['version'] = fact(v, 'unverified', note=None if unv else 'shipped OS version as recorded by the research pass; launch coverage')
    out['requirements'] = o['requirements']
    return out

def limits_block(dev, keys):
    pl = dev.get('platform_limits') or {}
    out = {}
    if 'webgpu_default_maxBufferSize_bytes' in pl:
        src = pick(keys, 'gpuweb')
        out['gpu_max_buffer_bytes'] = fact(pl['webgpu_default_maxBufferSize_bytes'], 'vendor', src,
            note='WebGPU default maxBufferSize; higher only via requestDevice({requiredLimits}) up to the adapter limit')
        out['gpu_max_storage_binding_bytes'] = fact(pl['webgpu_default_maxStorageBufferBindingSize_bytes'], 'vendor', src,
            note='WebGPU default maxStorageBufferBindingSize')
    if 'wasm32_max_bytes' in pl:
        out['wasm_max_memory_bytes'] = fact(pl['wasm32_max_bytes'], 'vendor', pick(keys, 'v8.dev', 'large-models'),
            note='wasm32 linear memory ceiling (65536 pages of 64 KiB); ORT Web instantiates wasm even with WebGPU')
    if 'chrome_arraybuffer_max_bytes' in pl:
        out['array_buffer_max_bytes'] = fact(pl['chrome_arraybuffer_max_bytes'], 'vendor', pick(keys, 'large-models'),
            note='Chrome ArrayBuffer maximum (0x7fe00000)')
    if dev['class'] == 'browser':
        out['model_file_max_bytes'] = fact(2147483648, 'vendor', pick(keys, 'large-models'),
            note='protobuf limit of 2 GB per .onnx file; larger models need external data')
    return out

def profile(dev, pid, name, ram, cores, onnxruntime_version=ORT_DEFAULT):
    urls = list(dev['sources'])
    urls += extra_urls(dev)
    urls.append(ORT_COMPAT)
    keys = source_keys(urls)
    all_src = [keys[u] for u in dev['sources']]
    p = {'id': pid, 'name': name, 'class': CLASS[dev['class']], 'soc': dev['soc'],
         'example_devices': dev['example_devices']}
    p['sources'] = {k: u for u, k in keys.items()}
    if ram is not None:
        p['ram_gb'] = fact(ram, evidence_of(dev['ram_evidence'], any(u.startswith('ram_gb') for u in dev['unverified_fields'])),
                           all_src, basis=dev['ram_evidence'], note=dev['ram_evidence'])
        if p['ram_gb']['evidence'] == 'unverified':
            p['ram_gb'].pop('sources', None)
    mem = memory_block(dev, budget_key(dev, ram), keys, all_src)
    if mem:
        p['memory'] = mem
    st = storage_block(dev, keys, all_src)
    if st:
        p['storage'] = st
    p['cpu'] = cpu_block(dev, cores, keys, all_src)
    p['accelerators'] = accelerators(dev, keys, all_src)
    p['os'] = os_block(dev, keys)
    p['onnxruntime'] = fact(onnxruntime_version, 'estimate', basis=ORT_BASIS)
    lim = limits_block(dev, keys)
    if lim:
        p['limits'] = lim
    extra = []
    if dev.get('refs_to_verify'):
        extra.append('Canonical pages not yet read (verify before relying on unverified facts): ' + ', '.join(dev['refs_to_verify']))
    if extra:
        p['notes'] = ' '.join(extra)
    return p

PLAY = 'https://support.google.com/googleplay/android-developer/answer/9859372?hl=en&authuser=7&ref_topic=7071528'
APP_STORE = 'https://developer.apple.com/help/app-store-connect/reference/maximum-build-file-sizes'

def extra_urls(dev):
    '''URLs read in the research pass for another device that back platform-wide facts of this one.'''
    out = []
    if dev['os_min']['platform'] in ('iOS', 'iPadOS') and APP_STORE not in dev['sources']:
        out.append(APP_STORE)
    if (dev.get('storage_budget_mb') or {}).get('play_asset_pack_each') and PLAY not in dev['sources']:
        out.append(PLAY)
    return out

def variant(base_dev, base_id, pid, name, budget_key_value, ram=None, cores=None, extra=None):
    """A profile extending base_id with another RAM size (and its budgets)."""
    keys = source_keys(list(base_dev['sources']) + extra_urls(base_dev) + [ORT_COMPAT])
    all_src = [keys[u] for u in base_dev['sources']]
    v = {'extends': base_id, 'id': pid, 'name': name}
    if ram is not None:
        v['ram_gb'] = fact(ram, evidence_of(base_dev['ram_evidence'], any(u.startswith('ram_gb') for u in base_dev['unverified_fields'])),
                           all_src, basis=base_dev['ram_evidence'], note=base_dev['ram_evidence'])
        if v['ram_gb']['evidence'] == 'unverified':
            v['ram_gb'].pop('sources', None)
    mem = memory_block(base_dev, budget_key_value, keys, all_src)
    if mem:
        v['memory'] = mem
    if cores is not None:
        v['cpu'] = {'cores': fact(cores, evidence_of(base_dev['cpu']['evidence'], 'cpu' in base_dev['unverified_fields']),
                                  all_src, note=base_dev['cpu']['evidence'])}
        if v['cpu']['cores']['evidence'] == 'unverified':
            v['cpu']['cores'].pop('sources', None)
    if extra:
        v.update(extra)
    return v

devs = {d['id']: d for d in facts['devices']}
written = []

def write(p, header):
    path = os.path.join(out_dir, p['id'] + '.yaml')
    with open(path, 'w') as f:
        f.write('# ' + header + '\n')
        f.write('# Generated by device-profiles/tools/import-device-facts.py from the research snapshot\n')
        f.write('# device-facts.json; evidence labels as recorded there. Schema: docs/profile-schema.md\n')
        f.write('\n'.join(emit(p)) + '\n')
    written.append(p['id'] + '.yaml')

def first_ram(d):
    return d['ram_gb'][0] if d['ram_gb'] else None

def first_cores(d):
    c = d['cpu']['cores']
    return c[0] if isinstance(c, list) else c

BASE_RAM = {'android-go-low-ram': 2, 'raspberry-pi-4': 4, 'raspberry-pi-5': 8, 'nvidia-jetson-orin-nx': 16,
            'android-mid-snapdragon-7': 8}
BASE_ID = {'android-go-low-ram': 'android-go-2gb'}
BASE_NAME = {
    'google-pixel-8': 'Google Pixel 8 (Tensor G3, 8 GB)',
    'google-pixel-9': 'Google Pixel 9 (Tensor G4, 12 GB)',
    'samsung-galaxy-s24-snapdragon': 'Samsung Galaxy S24, Snapdragon 8 Gen 3 for Galaxy (8 GB)',
    'samsung-galaxy-s24-exynos': 'Samsung Galaxy S24, Exynos 2400 (8 GB)',
    'apple-ipad-pro-m4': 'Apple iPad Pro (M4, 8 GB)',
    'apple-macbook-air-m2': 'Apple MacBook Air (M2, 8 GB)',
    'apple-macbook-air-m3': 'Apple MacBook Air (M3, 8 GB)',
    'android-mid-dimensity-7200': 'Mid-range Android, MediaTek Dimensity 7200 class (8 GB)',
    'android-mid-snapdragon-7': 'Mid-range Android, Snapdragon 7 Gen 4 class (8 GB)',
    'android-go-low-ram': 'Low-end Android Go edition phone (2 GB)',
    'raspberry-pi-4': 'Raspberry Pi 4 Model B (4 GB)',
    'raspberry-pi-5': 'Raspberry Pi 5 (8 GB)',
    'nvidia-jetson-orin-nx': 'NVIDIA Jetson Orin NX 16GB',
    'google-coral-dev-board': 'Google Coral Dev Board (Edge TPU, 1 GB)',
    'windows-copilot-pc-snapdragon-x-elite': 'Windows Copilot+ PC, Snapdragon X Elite (16 GB)',
    'windows-copilot-pc-intel-lunar-lake': 'Windows Copilot+ PC, Intel Core Ultra 200V (Lunar Lake, 16 GB)',
    'browser-chrome-webgpu': 'Chrome/Edge tab with WebGPU, desktop (ONNX Runtime Web)',
    'browser-wasm-only': 'Browser tab, WebAssembly only, desktop (ONNX Runtime Web)',
}
BROWSER_KEY = {'browser-chrome-webgpu': 'desktop', 'browser-wasm-only': 'desktop'}

for d in facts['devices']:
    pid = BASE_ID.get(d['id'], d['id'])
    ram = BASE_RAM.get(d['id'], first_ram(d))
    cores = first_cores(d)
    if d['id'] == 'nvidia-jetson-orin-nx':
        cores = 8
    if d['id'] == 'apple-ipad-pro-m4':
        cores = 9
    p = profile(d, pid, BASE_NAME.get(d['id'], d['name']), ram, cores)
    if d['id'] in BROWSER_KEY:
        p['memory'] = memory_block(d, BROWSER_KEY[d['id']], source_keys(list(d['sources']) + extra_urls(d) + [ORT_COMPAT]), [])
    if d['id'] == 'nvidia-jetson-orin-nx':
        # The snapshot's 100 TOPS is the 16GB module figure (GPU + DLA); 70 for the 8GB module.
        p['accelerators'][0]['peak']['note'] = 'whole-module figure incl. DLA for the 16GB module; ' + p['accelerators'][0]['peak']['note']
    write(p, d['name'])

V = [
    ('apple-ipad-pro-m4', 'apple-ipad-pro-m4-16gb', 'Apple iPad Pro (M4, 16 GB; 1 TB and 2 TB models)', '16', 16, 10, None),
    ('apple-macbook-air-m3', 'apple-macbook-air-m3-16gb', 'Apple MacBook Air (M3, 16 GB)', '16', 16, None, None),
    ('google-pixel-8', 'google-pixel-8-pro', 'Google Pixel 8 Pro (Tensor G3, 12 GB)', '12', 12, None, None),
    ('google-pixel-9', 'google-pixel-9-pro', 'Google Pixel 9 Pro / 9 Pro XL (Tensor G4, 16 GB)', '16', 16, None, None),
    ('samsung-galaxy-s24-snapdragon', 'samsung-galaxy-s24-ultra', 'Samsung Galaxy S24 Ultra / S24+ Snapdragon (12 GB)', '12', 12, None, None),
    ('android-mid-snapdragon-7', 'android-mid-snapdragon-7-6gb', 'Mid-range Android, Snapdragon 7 Gen 4 class (6 GB)', '6', 6, None, None),
    ('android-go-low-ram', 'android-go-1gb', 'Low-end Android Go edition phone (1 GB)', '1', 1, None, None),
    ('android-go-low-ram', 'android-entry-3gb', 'Entry-level Android phone (3 GB)', '3', 3, None, None),
    ('raspberry-pi-4', 'raspberry-pi-4-8gb', 'Raspberry Pi 4 Model B (8 GB)', '8', 8, None, None),
    ('raspberry-pi-5', 'raspberry-pi-5-4gb', 'Raspberry Pi 5 (4 GB)', '4', 4, None, None),
    ('nvidia-jetson-orin-nx', 'nvidia-jetson-orin-nx-8gb', 'NVIDIA Jetson Orin NX 8GB', '8', 8, 6, None),
    ('windows-copilot-pc-snapdragon-x-elite', 'windows-copilot-pc-snapdragon-x-elite-32gb', 'Windows Copilot+ PC, Snapdragon X Elite (32 GB)', '32', 32, None, None),
    ('browser-chrome-webgpu', 'browser-chrome-webgpu-android', 'Chrome tab with WebGPU on Android (ONNX Runtime Web)', 'android', None, None, None),
    ('browser-wasm-only', 'browser-wasm-only-mobile', 'Browser tab, WebAssembly only, on a phone (Android Chrome or iOS Safari)', 'android', None, None, None),
]
for base, vid, name, key, ram, cores, extra in V:
    d = devs[base]
    v = variant(d, BASE_ID.get(base, base), vid, name, key, ram, cores, extra)
    write(v, name + ' (variant of ' + BASE_ID.get(base, base) + ')')

# Catalogue order: each base profile followed by its variants.
order = []
for name in written:
    if name[:-5] in [BASE_ID.get(b, b) for b, *_ in V] or not any(name[:-5] == vid for _, vid, *__ in V):
        if not any(name[:-5] == vid for _, vid, *__ in V):
            order.append(name)
            order += [vid + '.yaml' for b, vid, *__ in V if BASE_ID.get(b, b) == name[:-5]]
written = order
with open(os.path.join(out_dir, 'index.txt'), 'w') as f:
    f.write('# Built-in profiles, one file per line, in catalogue order (resources cannot be listed from a jar).\n')
    f.write('\n'.join(written) + '\n')
print(len(written), 'profiles')
