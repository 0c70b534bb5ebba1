#!/usr/bin/env bash
# Benchmark (issue 6): verify, and verify+install, a 1 GiB bundle with the device verifier under
# -Xmx32m, side by side with `openssl dgst -sha256` over the same file (target: >= 0.8x its
# throughput). Page cache is warmed first and each figure is the best of RUNS runs, so the numbers
# compare CPU work, not the disk. Install (copy) includes writing and fsyncing 1 GiB into the
# store; install --move is the device path (download already in app storage, moved into the store).
#
# Usage: bench/bundle.sh [SIZE_MIB (default 1024)] [RUNS (default 3)]
# Needs: java 17, openssl, bc, /usr/bin/python3 with python3-onnx and numpy, the built verifier jar
# (mvn -pl verifier install -DskipTests) and ./satchel (builds the CLI on first use).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
work="${SATCHEL_BENCH_DIR:-/tmp/satchel-bench-bundle}"
jar="$(ls "$root"/verifier/target/satchel-verifier-*.jar | grep -v -e sources -e javadoc | head -1)"
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
# load (the CI box is shared); each figure is the best of the rounds.
t_openssl=""; t_verify=""; t_install=""; t_move=""
timed() { # prints the wall time of "$@"
  local s e
  s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
  echo "$e - $s" | bc -l
}
keep_min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
for _ in $(seq "$runs"); do
  t_openssl=$(keep_min "$t_openssl" "$(timed openssl dgst -sha256 big.bundle)")
  t_verify=$(keep_min "$t_verify" "$(timed java -Xmx32m -jar "$jar" verify big.bundle --trust bench.pub)")
  rm -rf store
  t_install=$(keep_min "$t_install" "$(timed java -Xmx32m -jar "$jar" install big.bundle --store store --trust bench.pub)")
  # The device path: the download is already in app storage and is moved into the store (no
  # second copy). Preparing the download (copy + sync) is outside the timed region.
  rm -rf store
  cp big.bundle download.bundle && sync download.bundle
  t_move=$(keep_min "$t_move" "$(timed java -Xmx32m -jar "$jar" install download.bundle --move --store store --trust bench.pub)")
done
rss=$( { /usr/bin/time -f "%M" java -Xmx32m -jar "$jar" verify big.bundle --trust bench.pub >/dev/null; } 2>&1 | tail -1)

mibps() { echo "scale=0; $bytes / 1048576 / $1" | bc -l; }
ratio() { echo "scale=2; $t_openssl / $1" | bc -l; }
echo "bundle: $bytes bytes; best of $runs; $(nproc) cores; $(java -version 2>&1 | head -1); $(openssl version)"
printf "%-38s %8.2f s %6s MiB/s\n" "openssl dgst -sha256" "$t_openssl" "$(mibps "$t_openssl")"
printf "%-38s %8.2f s %6s MiB/s  %sx openssl\n" "satchel-verify verify (-Xmx32m)" "$t_verify" "$(mibps "$t_verify")" "$(ratio "$t_verify")"
printf "%-38s %8.2f s %6s MiB/s  %sx openssl\n" "satchel-verify install (-Xmx32m)" "$t_install" "$(mibps "$t_install")" "$(ratio "$t_install")"
printf "%-38s %8.2f s %6s MiB/s  %sx openssl\n" "satchel-verify install --move (-Xmx32m)" "$t_move" "$(mibps "$t_move")" "$(ratio "$t_move")"
echo "verify peak RSS: ${rss} KB"
rm -rf store download.bundle
