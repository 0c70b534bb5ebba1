#!/usr/bin/env bash
# Benchmark (issue 8): one TUF update cycle of the device client over HTTP on 127.0.0.1, against
# what it is made of: the download alone (curl) and a local `satchel-verify install --move` of the
# same bundle. The difference is the TUF overhead (metadata round trips, hashing the download once
# more before the store verifies it). Each figure is the best of RUNS runs with a fresh store.
#
# Usage: bench/update.sh [SIZE_MIB (default 256)] [RUNS (default 3)]
# Needs: java 17, curl, /usr/bin/python3 with python3-onnx and numpy, the built verifier jar
# (mvn -pl verifier install -DskipTests) and ./satchel (builds the CLI on first use).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-256}"
runs="${2:-3}"
work="${SATCHEL_BENCH_DIR:-/tmp/satchel-bench-update}"
jar="$(ls "$root"/verifier/target/satchel-verifier-*.jar | grep -v -e sources -e javadoc | head -1)"
mkdir -p "$work"
cd "$work"

if [ ! -f model.onnx ] || [ "$(cat model.size 2>/dev/null)" != "$size_mib" ]; then
  echo "== creating a ${size_mib} MiB ONNX model" >&2
  /usr/bin/python3 - "$size_mib" <<'PY'
import sys
import numpy as np
from onnx import TensorProto, helper, numpy_helper, save
n = int(sys.argv[1]) * 1048576 // 4
w = np.random.default_rng(0).random(n, dtype=np.float32)
graph = helper.make_graph([helper.make_node("Identity", ["W"], ["y"])], "bench", [],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [n])],
                          [numpy_helper.from_array(w, "W")])
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), "model.onnx")
PY
  echo "$size_mib" > model.size
  rm -rf site big.bundle
fi
if [ ! -d site ]; then
  for k in rel root online; do "$root/satchel" keygen --algorithm ed25519 --out "$work/$k" >/dev/null 2>&1 || true; done
  mkdir -p m && cp model.onnx m/model.onnx
  "$root/satchel" pack m -o big.bundle --name bench --version 1 --key rel.key >/dev/null
  "$root/satchel" repo init --repo site --root-key root.key --targets-key root.key --snapshot-key online.key \
    --timestamp-key online.key >/dev/null
  "$root/satchel" publish big.bundle --repo site --public-key rel.pub --keys root.key,online.key >/dev/null
fi
target="$(ls site/targets/bench/)"

/usr/bin/python3 -m http.server 0 --bind 127.0.0.1 --directory site > server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "port" server.log 2>/dev/null && break; sleep 0.1; done
port="$(sed -n 's/.*port \([0-9]*\).*/\1/p' server.log | head -1)"
url="http://127.0.0.1:$port/"

best() { sort -n | head -1; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

dl=$(for _ in $(seq "$runs"); do rm -f dl.bin; ms curl -sf -o dl.bin "${url}targets/bench/$target"; done | best)
mv_=$(for _ in $(seq "$runs"); do rm -rf st; cp big.bundle in.bundle
      ms java -jar "$jar" install in.bundle --move --store st --trust rel.pub; done | best)
up=$(for _ in $(seq "$runs"); do rm -rf st
      ms java -jar "$jar" update --repo "$url" --store st --root site/metadata/1.root.json --trust rel.pub; done | best)
bytes=$(stat -c %s big.bundle)
echo "bundle: $bytes bytes; best of $runs runs"
printf '%-44s %8s ms\n' "download only (curl)" "$dl" "install --move (verify + commit, local)" "$mv_" \
  "satchel-verify update (TUF + download + install)" "$up"
