#!/usr/bin/env bash
# Benchmark for issue 3 (satchel quantize) on all-minilm-l6-v2, ONNX Runtime Java 1.24.2, one thread.
#  1. quantizes the model with `satchel quantize` in int8, int4 and fp16 (with the gates used for the
#     acceptance figures, timing each run) and, for reference, reads ONNX Runtime's own int8 model;
#  2. measures each against fp32 with MiniLmBench (packager test code): mean-pooled last_hidden_state
#     cosine on 60 WordPiece-tokenised sentences and on 64 random 128-token sequences, file size, and
#     int8 latency at 128 tokens interleaved with ONNX Runtime's int8 model;
#  3. times `satchel quantize --mode int8 --no-eval` against
#     `python3 -c "import onnx; onnx.save(onnx.load(P), Q)"`, interleaved, whole processes.
#
# Usage: bench/quantize.sh [RUNS]     (default 5 timing runs each)
#        bench/quantize.sh [RUNS] speed   (step 3 only)
# Needs: /usr/bin/time, /usr/bin/python3 with python3-onnx, Maven (offline is fine once dependencies are cached).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
only="${2:-all}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
int4_gate=0.977

"$root/satchel" inspect example:minilm >/dev/null   # fetch and cache the example, build the CLI
# Run what was just built: an edit made elsewhere mid-run must not trigger a rebuild inside the run.
export SATCHEL_SKIP_BUILD_CHECK=1
model="$(find "${SATCHEL_CACHE:-$HOME/.cache/satchel}/models" -name all-minilm-l6-v2.onnx | head -1)"
dims=(--dim batch_size=1 --dim sequence_length=128)
if [ "$only" != speed ]; then
echo "== quantizing $model (each with its accuracy gate; wall and CPU seconds on stderr)"
gated() { /usr/bin/time -f "   $1 with the gate: %e s wall, %U s user CPU" "$root/satchel" quantize "$model" "${@:2}"; }
gated int8 -o "$out/int8.onnx" --mode int8 --min-cosine 0.99 "${dims[@]}" --report "$out/int8.json"
gated int4 -o "$out/int4.onnx" --mode int4 --zero-points --min-cosine "$int4_gate" "${dims[@]}" --report "$out/int4.json"
gated fp16 -o "$out/fp16.onnx" --mode fp16 --min-cosine 0.995 "${dims[@]}" --report "$out/fp16.json"

echo "== accuracy and latency (ONNX Runtime Java, 1 thread)"
(cd "$root" && mvn -B -q -o -pl packager test-compile >&2 \
  && mvn -B -q -o -pl packager dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/cp.txt" >&2)
cp="$root/packager/target/test-classes:$root/packager/target/classes:$(cat "$out/cp.txt")"
java -cp "$cp" dev.satchel.packager.quantize.MiniLmBench
java -cp "$cp" dev.satchel.packager.quantize.MiniLmBench "int8=$out/int8.onnx" "int4=$out/int4.onnx" "fp16=$out/fp16.onnx"
fi

echo "== speed: satchel quantize --mode int8 --no-eval vs python3 onnx load+save ($runs interleaved runs, medians)"
echo "   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# wall seconds, CPU seconds (user + sys), peak RSS in KB
measure() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
"$root/satchel" quantize "$model" -o "$out/speed.onnx" --mode int8 --no-eval >/dev/null   # first run records the CDS archive
s_t=(); s_c=(); s_m=(); p_t=(); p_c=(); p_m=()
for i in $(seq "$runs"); do
  read -r t c m < <(measure "$root/satchel" quantize "$model" -o "$out/speed.onnx" --mode int8 --no-eval); s_t+=("$t"); s_c+=("$c"); s_m+=("$m")
  read -r t c m < <(measure /usr/bin/python3 -c "import onnx, sys; onnx.save(onnx.load(sys.argv[1]), sys.argv[2])" "$model" "$out/py.onnx"); p_t+=("$t"); p_c+=("$c"); p_m+=("$m")
done
st=$(printf '%s\n' "${s_t[@]}" | median); sc=$(printf '%s\n' "${s_c[@]}" | median); sm=$(printf '%s\n' "${s_m[@]}" | median)
pt=$(printf '%s\n' "${p_t[@]}" | median); pc=$(printf '%s\n' "${p_c[@]}" | median); pm=$(printf '%s\n' "${p_m[@]}" | median)
printf '%-44s %6s s wall %6s s CPU %6s MB peak RSS\n' "satchel quantize --mode int8 --no-eval" "$st" "$sc" "$(awk -v k="$sm" 'BEGIN{printf "%.0f", k/1024}')"
printf '%-44s %6s s wall %6s s CPU %6s MB peak RSS\n' "python3 onnx.save(onnx.load(P), Q)" "$pt" "$pc" "$(awk -v k="$pm" 'BEGIN{printf "%.0f", k/1024}')"
echo "   satchel wall: ${s_t[*]}"
echo "   python wall:  ${p_t[*]}"
awk -v st="$st" -v pt="$pt" 'BEGIN{printf "satchel/python wall: %.2fx (load average after %s)\n", st/pt, "'"$(cut -d' ' -f1 /proc/loadavg)"'"}'
