#!/usr/bin/env bash
# Signing benchmark: sign + verify a 1 GB model file with Satchel (whole-file and sharded SHA-256)
# next to `openssl dgst -sha256` on the same file from page cache. Heap is capped at 64 MB (-Xmx64m):
# the run fails if hashing needs more.
#
#   bench/signing.sh [SIZE_MB] [RUNS]        (defaults: 1024 MB, 3 runs; best run reported)
#
# Env: BENCH_DIR (default /tmp/satchel-bench), SHARD_SIZE (default 67108864 = 64 MiB).
# Results go to stdout; record them in docs/signing.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size_mb="${1:-1024}"
runs="${2:-3}"
dir="${BENCH_DIR:-/tmp/satchel-bench}"
shard="${SHARD_SIZE:-67108864}"
mkdir -p "$dir"
model="$dir/model-${size_mb}m.bin"

if [ ! -f "$model" ] || [ "$(stat -c %s "$model")" -ne $((size_mb * 1048576)) ]; then
  echo "creating $model ($size_mb MiB of random bytes)..." >&2
  openssl rand -out "$model" $((size_mb * 1048576))
fi

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$dir/signing.classpath" ]; then
echo "building signing test classes (SKIP_BUILD=1 reuses the last build)..." >&2
(cd "$root" && mvn -B -q -pl verifier,signing -am install -DskipTests >&2 \
  && mvn -B -q -pl signing test-compile dependency:build-classpath -Dmdep.includeScope=test \
       -Dmdep.outputFile="$dir/signing.classpath" >&2)
fi
cp="$root/signing/target/test-classes:$root/signing/target/classes:$(cat "$dir/signing.classpath")"

cat "$model" > /dev/null   # page cache

best() { sort -n | head -1; }
echo "== openssl dgst -sha256 ($runs runs, best)"
ossl=$(for _ in $(seq "$runs"); do
  s=$(date +%s.%N); openssl dgst -sha256 "$model" > /dev/null; e=$(date +%s.%N)
  echo "$e - $s" | bc -l
done | best)
bytes=$(stat -c %s "$model")
ossl_cpu=$(for _ in $(seq "$runs"); do
  /usr/bin/time -f '%U %S' openssl dgst -sha256 "$model" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'
done | best)
printf 'openssl_s=%.3f openssl_MBps=%.0f openssl_cpu_s=%.3f\n' "$ossl" "$(echo "$bytes / $ossl / 1000000" | bc -l)" "$ossl_cpu"

echo "== satchel in-process, -Xmx64m (sign includes writing model.sig and the verifier self-check)"
for mode in files sharded; do
  java -Xmx64m -cp "$cp" dev.satchel.signing.SigningBench "$model" "$mode" "$shard" "$runs" "$dir/model.sig" \
    | tee "$dir/result-$mode.txt"
done

ratio() { echo "$(grep -o "$2=[0-9.]*" "$dir/result-$1.txt" | cut -d= -f2) $ossl" | awk '{printf "%.2f", $2 / $1}'; }
echo "== throughput relative to openssl (time_openssl / time_satchel)"
echo "files:   sign $(ratio files sign_s)x  verify $(ratio files verify_s)x   (target >= 0.9x)"
echo "sharded: sign $(ratio sharded sign_s)x  verify $(ratio sharded verify_s)x   (target >= 1.6x on 2 cores)"
echo "cores: $(nproc)   load: $(cut -d' ' -f1-3 /proc/loadavg)"
# On a shared machine wall time is noisy; CPU seconds are not. Sharded verify on N idle cores takes
# about verify_cpu_s / N of wall time.
echo "cpu: openssl ${ossl_cpu}s; satchel verify files $(grep -o 'verify_cpu_s=[0-9.]*' "$dir/result-files.txt" | cut -d= -f2)s," \
     "sharded $(grep -o 'verify_cpu_s=[0-9.]*' "$dir/result-sharded.txt" | cut -d= -f2)s (spread over the cores)"

# End to end through the CLI (JVM start-up and JIT warm-up included, first run), when the CLI is built.
if [ -f "$root/cli/target/classes/dev/satchel/cli/Main.class" ] \
   && (cd "$root" && mvn -B -q -o -pl cli dependency:build-classpath -Dmdep.includeScope=runtime \
        -Dmdep.outputFile="$dir/cli.classpath" >&2); then
  satchel=(java -Xmx64m -cp "$root/cli/target/classes:$(cat "$dir/cli.classpath")" dev.satchel.cli.Main)
  [ -f "$dir/ci.key" ] || "${satchel[@]}" keygen --out "$dir/ci" > /dev/null
  echo "== satchel CLI end to end, -Xmx64m (wall seconds incl. JVM start)"
  for mode in files sharded; do
    s=$(date +%s.%N)
    "${satchel[@]}" sign "$model" --key "$dir/ci.key" -o "$dir/cli.sig" --hash "$mode" --shard-size "$shard" > /dev/null
    m=$(date +%s.%N)
    "${satchel[@]}" verify-signature "$model" --sig "$dir/cli.sig" --public-key "$dir/ci.pub" > /dev/null
    e=$(date +%s.%N)
    printf 'cli %s: sign_s=%.3f verify_s=%.3f\n' "$mode" "$(echo "$m - $s" | bc -l)" "$(echo "$e - $m" | bc -l)"
  done
fi
