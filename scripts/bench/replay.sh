#!/bin/sh
# Multi-function trace replay: a synthesized Azure-2019-format day replayed through a
# serverless deployment, at 1e6, 1e7 and 1e8 invocations (1e8 skipped with
# BENCH_QUICK=1): invocations per second (parsed and simulated, both passes of the
# reader) and peak RSS, which must not grow with the trace: the 1e8 replay's is
# guarded against the 1e6 replay's (within 8 MiB). Target: >= 2M invocations/s on one core.
# Usage: scripts/bench/replay.sh BIN OUTDIR RSS_WRAPPER
set -eu
bin=$1
out=$2
rss=$3
sizes="1000000 10000000"
[ "${BENCH_QUICK:-0}" = 1 ] || sizes="$sizes 100000000"
first_kb=
echo
echo "replay: a synthesized day, 5000 functions, one core (--jobs 1)"
printf '  %-14s %14s %12s %14s\n' invocations "invocations/s" "wall s" "peak RSS MiB"
for n in $sizes; do
    dir="$out/replay-$n"
    rm -rf "$dir"
    mkdir -p "$dir"
    "$bin" trace synth --out "$dir" --functions 5000 --invocations "$n" --seed 7 >/dev/null
    cat >"$dir/replay.yaml" <<YAML
name: replay-bench
duration: 1d
model: {service: 100ms}
workload:
  arrival: trace
  trace: {format: azure2019, path: $dir/invocations.csv, durations: $dir/durations.csv,
          within_minute: poisson}
deployments: [{name: s, keep_alive: 10m, coldstart: {dist: constant, value: 250ms}}]
YAML
    "$rss" "$dir/rss.txt" "$bin" run "$dir/replay.yaml" --jobs 1 --quiet --format csv \
        >"$dir/out.csv" || { echo "replay of $n failed" >&2; exit 1; }
    line=$(cat "$dir/rss.txt")
    wall=$(echo "$line" | awk '{for (i = 1; i < NF; i++) if ($i == "wall_s") print $(i + 1)}')
    kb=$(echo "$line" | awk '{for (i = 1; i < NF; i++) if ($i == "maxrss_kb") print $(i + 1)}')
    req=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "requests") c = i }
                   NR == 2 { print $c }' "$dir/out.csv")
    awk -v n="$req" -v w="$wall" -v k="$kb" 'BEGIN {
        printf "  %-14d %14.0f %12.2f %14.1f   %s\n", n, n / w, w, k / 1024,
            ((n / w >= 2e6) ? "PASS (>= 2M/s)" : "MISS (< 2M/s)") }'
    [ -n "$first_kb" ] || first_kb=$kb
    if [ "$n" = 100000000 ]; then
        awk -v k="$kb" -v f="$first_kb" 'BEGIN { d = (k - f) / 1024
            printf "  %-14s peak RSS %+.1f MiB against 1e6 invocations   %s\n", "1e8 guard", d,
                (d <= 8 ? "PASS (bounded)" : "MISS (grows with the trace)") }'
    fi
    rm -f "$dir/invocations.csv" "$dir/durations.csv" "$dir/memory.csv"
done
