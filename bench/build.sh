#!/usr/bin/env bash
# satchel build on the MiniLM example: a first build from an empty outputs folder, then a second
# with nothing changed. Prints wall and CPU seconds of each and checks that the second run left
# byte-identical outputs. Acceptance (issue 7): second < first / 5.
#   bench/build.sh            (SKIP_BUILD=1 to reuse the CLI built last)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cfg="$root/examples/minilm/satchel.yaml"
dist="$root/examples/minilm/dist"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  "$root/satchel" --version >/dev/null
fi
export SATCHEL_SKIP_BUILD_CHECK=1 SATCHEL_NO_PROGRESS=1
rm -rf "$dist"
run() {
  local t0 t1 c0 c1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o /tmp/satchel-build-bench.cpu "$root/satchel" build "$cfg" >/dev/null
  t1=$(date +%s.%N)
  read -r u s < /tmp/satchel-build-bench.cpu
  echo "$(echo "$t1 - $t0" | bc) $(echo "$u + $s" | bc)"
}
read -r w1 c1 < <(run)
sums1=$(cd "$dist" && find . -type f | sort | xargs sha256sum)
read -r w2 c2 < <(run)
sums2=$(cd "$dist" && find . -type f | sort | xargs sha256sum)
printf 'first build:  %6.2f s wall, %6.2f s CPU\n' "$w1" "$c1"
printf 'second build: %6.2f s wall, %6.2f s CPU (%.1f%% of the first)\n' "$w2" "$c2" "$(echo "100 * $w2 / $w1" | bc -l)"
if [ "$sums1" = "$sums2" ]; then echo "outputs: byte-identical"; else echo "outputs DIFFER"; exit 1; fi
if (( $(echo "$w2 * 5 < $w1" | bc) )); then echo "acceptance: second < first / 5: yes"; else echo "acceptance: NO"; exit 1; fi
