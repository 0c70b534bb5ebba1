#!/usr/bin/env bash
# Benchmark: `satchel check MODEL --all` (every built-in device profile) vs python3-onnx load +
# check_model on the same model, run interleaved on the same machine. Reports, for N runs each, the
# best and the median wall time, the best and median CPU time (user + system, less sensitive to a
# busy machine) and the median peak RSS, measured by GNU time for the whole process (JVM start-up
# included), plus the load average before and after.
#
# Usage: bench/check.sh [MODEL] [RUNS]     (default: the pinned all-minilm-l6-v2.onnx, 9 runs)
# Needs: /usr/bin/time (Debian package "time"), /usr/bin/python3 with python3-onnx.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${2:-9}"
model="${1:-}"
if [ -z "$model" ]; then
  "$root/satchel" inspect example:minilm >/dev/null   # fetch and cache the example, build the CLI
  model="$(find "${SATCHEL_CACHE:-$HOME/.cache/satchel}/models" -name all-minilm-l6-v2.onnx | head -1)"
fi
# Build if needed and record the class-data archive; check exits 1 when a device fails, as MiniLM
# does on the 1 GB phone, so only its output matters here.
"$root/satchel" check "$model" --all >/dev/null || [ $? -eq 1 ]
export SATCHEL_SKIP_BUILD_CHECK=1
satchel=("$root/satchel" check "$model" --all)
python=(/usr/bin/python3 -c "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m)" "$model")

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
# wall seconds, peak RSS in KiB, CPU seconds (user + system)
measure() {
  /usr/bin/time -o "$tmp" -f "%e %M %U %S" "$@" >/dev/null 2>&1 || true
  tail -1 "$tmp" | awk '{print $1, $2, $3 + $4}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
best() { sort -n | head -1; }

load_before="$(cut -d' ' -f1 /proc/loadavg)"
s_t=(); s_m=(); s_c=(); p_t=(); p_m=(); p_c=()
for i in $(seq "$runs"); do
  read -r t m c < <(measure "${satchel[@]}"); s_t+=("$t"); s_m+=("$m"); s_c+=("$c")
  read -r t m c < <(measure "${python[@]}"); p_t+=("$t"); p_m+=("$m"); p_c+=("$c")
done
stats() { # name, wall values, cpu values, rss values
  local name="$1" w="$2" c="$3" m="$4"
  printf '%-34s wall best %5s median %5s s   CPU best %5s median %5s s   peak RSS %4s MB\n' "$name" \
    "$(tr ' ' '\n' <<< "$w" | best)" "$(tr ' ' '\n' <<< "$w" | median)" \
    "$(tr ' ' '\n' <<< "$c" | best)" "$(tr ' ' '\n' <<< "$c" | median)" \
    "$(tr ' ' '\n' <<< "$m" | median | awk '{printf "%.0f", $1/1024}')"
}
echo "model: $model ($(stat -c %s "$model") bytes), $runs interleaved runs each;" \
  "load average $load_before before, $(cut -d' ' -f1 /proc/loadavg) after"
stats "satchel check --all" "${s_t[*]}" "${s_c[*]}" "${s_m[*]}"
stats "python3 onnx.load + check_model" "${p_t[*]}" "${p_c[*]}" "${p_m[*]}"
sb="$(printf '%s\n' "${s_t[@]}" | best)"; pb="$(printf '%s\n' "${p_t[@]}" | best)"
sm="$(printf '%s\n' "${s_t[@]}" | median)"; pm="$(printf '%s\n' "${p_t[@]}" | median)"
awk -v sb="$sb" -v pb="$pb" -v sm="$sm" -v pm="$pm" \
  'BEGIN{printf "satchel/python wall: best %.2fx, median %.2fx\n", sb/pb, sm/pm}'
