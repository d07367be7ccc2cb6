#!/bin/sh
# Multi-function trace replay: a synthesized Azure-2019-format day (5000 functions, seed
# 7) replayed on one core (--jobs 1) at 1e6, 1e7 and 1e8 invocations (1e8 skipped with
# BENCH_QUICK=1). Invocations per second = the trace's invocations / wall time of the
# whole `slsim run` process (both passes of the reader, the simulation, the report).
#
# At 1e7 the day is replayed by one deployment (keep-alive 10m) and by four (10m, 1m,
# 5m, hybrid-histogram), alternating, BENCH_RUNS rounds (default 3), fastest of each
# kept. Targets: one deployment >= 4M invocations/s; four take <= 2x the time of one
# (what decoding the trace once for all deployments buys). 1e6 and 1e8 are one run of
# one deployment each; their peak RSS must not grow with the trace: the 1e8 replay's is
# guarded against the 1e6 replay's (within 8 MiB). Verdicts use wall times; the CPU time
# of each run (user + system, rss.c) is printed beside it, with the four-to-one ratio by
# CPU time, not judged (a busy machine inflates wall times, not CPU times).
# Usage: scripts/bench/replay.sh BIN OUTDIR RSS_WRAPPER (targets go to OUTDIR/summary.txt)
set -eu
bin=$1
out=$2
rss=$3
# shellcheck source=scripts/bench/lib.sh
. "$(dirname "$0")/lib.sh"
summary=$out/summary.txt
runs=${BENCH_RUNS:-3}
target=4000000
sizes="1000000 10000000"
[ "${BENCH_QUICK:-0}" = 1 ] || sizes="$sizes 100000000"

# scenario DIR NAME DEPLOYMENTS: DIR/NAME.yaml replaying DIR's trace into DEPLOYMENTS.
scenario() {
    cat >"$1/$2.yaml" <<YAML
name: replay-bench-$2
duration: 1d
model: {service: 100ms}
workload:
  arrival: trace
  trace: {format: azure2019, path: $1/invocations.csv, durations: $1/durations.csv,
          within_minute: poisson}
deployments:
$3
YAML
}
cold='coldstart: {dist: constant, value: 250ms}'

# replay DIR NAME: one run of DIR/NAME.yaml; prints "wall_s W cpu_s C kb K requests R" where R
# is deployments[0]'s requests (every deployment replays the whole trace; checked).
replay() {
    "$rss" "$1/rss.txt" "$bin" run "$1/$2.yaml" --jobs 1 --quiet --format csv \
        >"$1/$2.csv" || die "replay of $1/$2.yaml failed"
    req=$(csv_requests "$1/$2.csv")
    rows=$(awk -F, 'END { print NR - 1 }' "$1/$2.csv")
    r=2
    while [ "$r" -le "$rows" ]; do
        [ "$(csv_requests "$1/$2.csv" "$r")" = "$req" ] ||
            die "$1/$2.csv: deployment $r replayed other requests than deployment 1"
        r=$((r + 1))
    done
    echo "wall_s $(wall_of "$1/rss.txt") cpu_s $(cpu_of "$1/rss.txt") kb $(kb_of "$1/rss.txt") requests $req"
}

# show INVOCATIONS DEPLOYMENTS LINE [NOTE]
show() {
    awk -v n="$(field requests "$3")" -v w="$(field wall_s "$3")" -v k="$(field kb "$3")" \
        -v c="$(field cpu_s "$3")" -v d="$2" -v note="${4:-}" 'BEGIN {
        printf "  %-12d %11d %14.0f %9.2f %9.2f %13.1f   %s\n", n, d, n / w, w, c, k / 1024, note }'
}

first_kb=
echo
echo "replay: a synthesized day, 5000 functions, one core (--jobs 1); at 1e7 one and four" \
    "deployments alternating, $runs rounds (fastest kept)"
printf '  %-12s %11s %14s %9s %9s %13s\n' invocations deployments "invocations/s" "wall s" "cpu s" \
    "peak RSS MiB"
for n in $sizes; do
    dir="$out/replay-$n"
    rm -rf "$dir"
    mkdir -p "$dir"
    "$bin" trace synth --out "$dir" --functions 5000 --invocations "$n" --seed 7 >/dev/null ||
        die "trace synth of $n invocations failed"
    scenario "$dir" one "  - {name: s, keep_alive: 10m, $cold}"
    if [ "$n" != 10000000 ]; then
        line=$(replay "$dir" one)
        show "$n" 1 "$line"
        kb=$(field kb "$line")
    else
        scenario "$dir" four "  - {name: s10m, keep_alive: 10m, $cold}
  - {name: s1m, keep_alive: 1m, $cold}
  - {name: s5m, keep_alive: 5m, $cold}
  - {name: shh, keep_alive: {policy: hybrid-histogram}, $cold}"
        one_w='' four_w='' one_c='' four_c='' kb=0
        i=1
        while [ "$i" -le "$runs" ]; do
            line=$(replay "$dir" one)
            show "$n" 1 "$line" "round $i/$runs"
            one_w=$(min "$one_w" "$(field wall_s "$line")")
            one_c=$(min "$one_c" "$(field cpu_s "$line")")
            kb=$(max "$kb" "$(field kb "$line")")
            req=$(field requests "$line")
            line=$(replay "$dir" four)
            show "$n" 4 "$line" "round $i/$runs"
            four_w=$(min "$four_w" "$(field wall_s "$line")")
            four_c=$(min "$four_c" "$(field cpu_s "$line")")
            i=$((i + 1))
        done
        rate=$(awk -v n="$req" -v w="$one_w" 'BEGIN { printf "%.0f", n / w }')
        ratio=$(awk -v a="$four_w" -v b="$one_w" 'BEGIN { printf "%.3f", a / b }')
        printf '  1e7, one deployment: %s invocations/s (%.2f s)   target >= %s   %s\n' \
            "$rate" "$one_w" "$target" \
            "$(summarize "replay 1e7, one deployment: invocations/s" "$rate" '>=' "$target")"
        printf '  1e7, four deployments: %.2f s, %s x the time of one   target <= 2   %s\n' \
            "$four_w" "$ratio" \
            "$(summarize "replay 1e7, 4 deployments / 1: time" "$ratio" '<=' 2)"
        awk -v n="$req" -v a="$one_c" -v b="$four_c" 'BEGIN {
            printf "  by CPU time (not judged): one %.0f invocations/s; four / one %.3f\n", n / a, b / a }'
    fi
    [ -n "$first_kb" ] || first_kb=$kb
    if [ "$n" = 100000000 ]; then
        d=$(awk -v k="$kb" -v f="$first_kb" 'BEGIN { printf "%.1f", (k - f) / 1024 }')
        printf '  %-12s peak RSS %+.1f MiB against 1e6 invocations   target <= 8   %s\n' \
            "1e8 guard" "$d" "$(summarize "replay 1e8: peak RSS - 1e6's (MiB)" "$d" '<=' 8)"
    fi
    rm -f "$dir/invocations.csv" "$dir/durations.csv" "$dir/memory.csv"
done
[ "${BENCH_QUICK:-0}" != 1 ] || skipped "replay 1e8: peak RSS - 1e6's (MiB)" '<=' 8
