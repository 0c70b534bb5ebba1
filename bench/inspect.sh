#!/usr/bin/env bash
# Benchmark: `satchel inspect --format json` vs python3-onnx load + check_model on the same model,
# run interleaved on the same machine. Reports the median wall time and median peak RSS of N runs
# each, measured by GNU time (/usr/bin/time -f "%e %M"), whole process including JVM start-up.
#
# Usage: bench/inspect.sh [MODEL] [RUNS]     (default: the pinned all-minilm-l6-v2.onnx, 7 runs)
# Needs: /usr/bin/time (Debian package "time"), /usr/bin/python3 with python3-onnx.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${2:-7}"
model="${1:-}"
if [ -z "$model" ]; then
  "$root/satchel" inspect example:minilm >/dev/null   # fetch and cache the example, build the CLI
  model="$(find "${SATCHEL_CACHE:-$HOME/.cache/satchel}/models" -name all-minilm-l6-v2.onnx | head -1)"
fi
"$root/satchel" inspect "$model" --format json >/dev/null   # build, and record the class-data archive
export SATCHEL_SKIP_BUILD_CHECK=1
cp_file="$root/cli/target/satchel-launcher.classpath"
satchel=("$root/satchel" inspect "$model" --format json)
python=(/usr/bin/python3 -c "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m)" "$model")

# wall seconds, peak RSS in KiB, CPU seconds (user + system: less sensitive to a busy machine)
measure() { /usr/bin/time -f "%e %M %U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1, $2, $3 + $4}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

s_t=(); s_m=(); s_c=(); p_t=(); p_m=(); p_c=()
for i in $(seq "$runs"); do
  read -r t m c < <(measure "${satchel[@]}"); s_t+=("$t"); s_m+=("$m"); s_c+=("$c")
  read -r t m c < <(measure "${python[@]}"); p_t+=("$t"); p_m+=("$m"); p_c+=("$c")
done
st=$(printf '%s\n' "${s_t[@]}" | median); sm=$(printf '%s\n' "${s_m[@]}" | median); sc=$(printf '%s\n' "${s_c[@]}" | median)
pt=$(printf '%s\n' "${p_t[@]}" | median); pm=$(printf '%s\n' "${p_m[@]}" | median); pc=$(printf '%s\n' "${p_c[@]}" | median)
echo "model: $model ($(stat -c %s "$model") bytes), $runs interleaved runs each, medians; load average $(cut -d' ' -f1 /proc/loadavg)"
printf '%-34s %7s s wall %7s s CPU %7s MB peak RSS\n' "satchel inspect --format json" "$st" "$sc" "$(awk -v k="$sm" 'BEGIN{printf "%.0f", k/1024}')"
printf '%-34s %7s s wall %7s s CPU %7s MB peak RSS\n' "python3 onnx.load + check_model" "$pt" "$pc" "$(awk -v k="$pm" 'BEGIN{printf "%.0f", k/1024}')"
awk -v st="$st" -v pt="$pt" -v sm="$sm" -v pm="$pm" 'BEGIN{printf "satchel/python: wall %.2fx, peak RSS %.2fx\n", st/pt, sm/pm}'
