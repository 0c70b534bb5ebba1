#!/usr/bin/env bash
# Benchmark (issue 6): verify, and verify+install, a 1 GiB bundle with the device verifier under
# -Xmx32m, side by side with `openssl dgst -sha256` over the same file (target: >= 0.8x its
# throughput). Page cache is warmed first and each figure is the best of RUNS runs, so the numbers
# compare CPU work, not the disk. Install (copy) includes writing and fsyncing 1 GiB into the
# store; install --move is the device path (download already in app storage, moved into the store).
# Wall and CPU seconds (user + sys) are reported, with the load average before and after: the
# build box is shared, so compare figures taken at a quiet moment.
#
# Usage: bench/bundle.sh [SIZE_MIB (default 1024)] [RUNS (default 3)]
# SATCHEL_BENCH_BASELINE_JAR=path/to/older/satchel-verifier.jar adds that jar's verify and
# install --move to every round, for a before/after comparison under the same load.
# Needs: java 17, openssl, bc, /usr/bin/python3 with python3-onnx and numpy, the built verifier jar
# (mvn -pl verifier install -DskipTests) and ./satchel (builds the CLI on first use).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
work="${SATCHEL_BENCH_DIR:-/tmp/satchel-bench-bundle}"
jar="$(ls "$root"/verifier/target/satchel-verifier-*.jar | grep -v -e sources -e javadoc | head -1)"
baseline="${SATCHEL_BENCH_BASELINE_JAR:-}"
mkdir -p "$work"
cd "$work"

# The payload is a real ONNX model (pack validates models): one float32 initializer of SIZE_MIB
# MiB feeding an Identity node, written with python3-onnx (Debian package; the same interpreter
# the checker's oracle tests use).
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
  rm -f big.bundle
fi
if [ ! -f bench.key ]; then
  "$root/satchel" keygen --algorithm ecdsa-p256 --out "$work/bench" >/dev/null
fi
if [ ! -f big.bundle ]; then
  echo "== packing" >&2
  /usr/bin/time -f "pack: %e s, max RSS %M KB" "$root/satchel" pack model.onnx --name bench --version 1 \
    --key bench.key -o big.bundle >/dev/null
fi
bytes=$(stat -c %s big.bundle)
cat big.bundle > /dev/null  # warm the page cache

# Each round runs every contender once, back to back, so that all of them see the same machine
# load (the CI box is shared); each figure is the best of the rounds, wall time and CPU time
# (user + sys, all threads) separately. "dd conv=fsync" copies the bundle into a new file and
# fsyncs it: the raw write speed of the disk, the floor of the copying install.
declare -A wall cpu
timed() { # name command...: keeps the best wall and CPU seconds of "$@"
  local name="$1" t; shift
  /usr/bin/time -o time.out -f "%e %U %S" "$@" >/dev/null 2>&1
  t=$(tail -1 time.out)
  local w c
  w=$(echo "$t" | cut -d' ' -f1)
  c=$(echo "$t" | awk '{print $2 + $3}')
  if [ -z "${wall[$name]:-}" ] || [ "$(echo "$w < ${wall[$name]}" | bc -l)" = 1 ]; then wall[$name]=$w; fi
  if [ -z "${cpu[$name]:-}" ] || [ "$(echo "$c < ${cpu[$name]}" | bc -l)" = 1 ]; then cpu[$name]=$c; fi
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$runs"); do
  timed openssl openssl dgst -sha256 big.bundle
  timed verify java -Xmx32m -jar "$jar" verify big.bundle --trust bench.pub
  if [ -n "$baseline" ]; then
    timed verify0 java -Xmx32m -jar "$baseline" verify big.bundle --trust bench.pub
  fi
  rm -rf store
  sync
  timed install java -Xmx32m -jar "$jar" install big.bundle --store store --trust bench.pub
  # The device path: the download is already in app storage and is moved into the store (no
  # second copy). Preparing the download (copy + sync) is outside the timed region.
  rm -rf store
  cp big.bundle download.bundle && sync
  timed move java -Xmx32m -jar "$jar" install download.bundle --move --store store --trust bench.pub
  if [ -n "$baseline" ]; then
    rm -rf store
    cp big.bundle download.bundle && sync
    timed move0 java -Xmx32m -jar "$baseline" install download.bundle --move --store store --trust bench.pub
  fi
  rm -rf store dd.out
  sync
  timed dd dd if=big.bundle of=dd.out bs=1M conv=fsync
  rm -f dd.out
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
rss=$( { /usr/bin/time -f "%M" java -Xmx32m -jar "$jar" verify big.bundle --trust bench.pub >/dev/null; } 2>&1 | tail -1)

mibps() { echo "scale=0; $bytes / 1048576 / $1" | bc -l; }
ratio() { echo "scale=2; ${wall[openssl]} / $1" | bc -l | sed 's/^\./0./'; }
row() { # label name
  printf "%-42s %6.2f s %6s MiB/s  cpu %5.2f s  %sx openssl\n" "$1" "${wall[$2]}" "$(mibps "${wall[$2]}")" \
    "${cpu[$2]}" "$(ratio "${wall[$2]}")"
}
echo "bundle: $bytes bytes; best of $runs; $(nproc) cores; $(java -version 2>&1 | head -1); $(openssl version)"
echo "load average before: $load_before; after: $load_after"
row "openssl dgst -sha256" openssl
row "satchel-verify verify (-Xmx32m)" verify
row "satchel-verify install (-Xmx32m)" install
row "satchel-verify install --move (-Xmx32m)" move
row "dd bs=1M conv=fsync (disk write + fsync)" dd
if [ -n "$baseline" ]; then
  row "baseline jar: verify" verify0
  row "baseline jar: install --move" move0
fi
echo "verify peak RSS: ${rss} KB"
rm -rf store download.bundle time.out
