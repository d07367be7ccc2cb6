#!/bin/sh
# scripts/bench/run.sh BIN - slsim's simulation throughput and peak memory (`make bench`).
#
# Runs scenarios/bench/probe.yaml with BIN (build/slsim) and, on the same model, our own
# minimal loop scripts/bench/reference.c, and the common yardstick scripts/bench/limit.c
# (the least work a simulator of this model must do per request). Each is run 3 times,
# alternating, and the best requests/s of each is kept:
#   slsim:     requests of deployments[0] in its JSON report / wall time of the whole
#              `slsim run` process (start-up, YAML, simulation, report);
#   reference: what it prints (wall time of its simulation loop only, the stricter yardstick);
#   limit:     what it prints.
# Wall time and peak RSS of slsim come from scripts/bench/rss.c (fork, exec, wait4,
# ru_maxrss), so no GNU time package is needed.
#
# Targets: slsim/reference >= 0.6 (stretch 0.8), slsim peak RSS <= 64 MiB, and the
# long-run guards: a 1e9-request run and a 1e8-invocation replay (replay.sh) within
# 8 MiB of the peak RSS of their short counterparts. A miss is reported, not failed:
# exits 0 unless something fails to build or run. BENCH_QUICK=1 skips the long runs.
set -eu

die() { echo "bench: $*" >&2; exit 1; }

[ $# -eq 1 ] || { echo "usage: $0 BIN" >&2; exit 2; }
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
[ -x "$bin" ] || die "$1: not an executable (run: make build/slsim)"
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

# The probe's model; keep in step with scenarios/bench/probe.yaml.
scenario=scenarios/bench/probe.yaml
requests=20000000  # duration 200000 s at 100/s
rate=100
warm_mean=1.991
cold=0.253
keep_alive=600
limit_cold_mean=2.244  # limit.c draws cold service as one exponential: 0.253 + 1.991
runs=3
[ -f "$scenario" ] || die "$scenario: missing"

out=build/bench
mkdir -p "$out"
cc=${CC:-cc}
"$cc" -O2 -o "$out/reference" scripts/bench/reference.c -lm || die "cannot build reference.c"
"$cc" -O2 -o "$out/rss" scripts/bench/rss.c || die "cannot build rss.c"
"$cc" -O2 -o "$out/limit" scripts/bench/limit.c -lm || die "cannot build limit.c"

# field NAME LINE: the value after the word NAME in a "name value name value" line.
field() { echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'; }
# max A B
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a ? b : a) }'; }

ref_best=0 ref_cold=''
slsim_best=0 slsim_cold='' slsim_rss_kb=0 slsim_requests=''
limit_best=0 limit_cold=''

run_reference() {
    line=$("$out/reference" "$requests" "$rate" "$warm_mean" "$cold" "$keep_alive") ||
        die "reference failed"
    rps=$(field requests_per_s "$line")
    ref_cold=$(field cold_ratio "$line")
    [ -n "$rps" ] && [ -n "$ref_cold" ] || die "reference: unexpected output: $line"
    ref_best=$(max "$ref_best" "$rps")
    printf '  %-9s %12.0f req/s   cold ratio %.3e\n' reference "$rps" "$ref_cold"
}

run_slsim() {
    "$out/rss" "$out/rss.txt" "$bin" run "$scenario" --format json >"$out/slsim.json" ||
        die "slsim run $scenario failed"
    # First "requests" and "cold_starts" after "deployments": those of deployments[0].
    counts=$(tr ',{}[]' '\n\n\n\n\n' <"$out/slsim.json" | awk -F: '
        /"deployments"/ { d = 1 }
        d && $1 ~ /"requests"/ && r == "" { r = $2 }
        d && $1 ~ /"cold_starts"/ && c == "" { c = $2 }
        END { gsub(/[ \t\r"]/, "", r); gsub(/[ \t\r"]/, "", c); print "requests", r, "cold", c }')
    slsim_requests=$(field requests "$counts")
    cold_starts=$(field cold "$counts")
    rss_line=$(cat "$out/rss.txt")
    wall=$(field wall_s "$rss_line")
    kb=$(field maxrss_kb "$rss_line")
    [ -n "$slsim_requests" ] && [ -n "$cold_starts" ] && [ -n "$wall" ] && [ -n "$kb" ] ||
        die "slsim: cannot read requests/cold_starts from $out/slsim.json or $out/rss.txt"
    [ "$slsim_requests" -gt 0 ] || die "slsim simulated no requests"
    rps=$(awk -v n="$slsim_requests" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
    slsim_cold=$(awk -v c="$cold_starts" -v n="$slsim_requests" 'BEGIN { printf "%.6e", c / n }')
    slsim_best=$(max "$slsim_best" "$rps")
    slsim_rss_kb=$(max "$slsim_rss_kb" "$kb")
    printf '  %-9s %12.0f req/s   cold ratio %.3e   %d requests in %.3f s, peak RSS %.1f MiB\n' \
        slsim "$rps" "$slsim_cold" "$slsim_requests" "$wall" \
        "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
}

run_limit() {
    line=$("$out/limit" "$requests" "$rate" "$warm_mean" "$limit_cold_mean" "$keep_alive") ||
        die "limit failed"
    rps=$(field requests_per_s "$line")
    limit_cold=$(field cold_ratio "$line")
    [ -n "$rps" ] && [ -n "$limit_cold" ] || die "limit: unexpected output: $line"
    limit_best=$(max "$limit_best" "$rps")
    printf '  %-9s %12.0f req/s   cold ratio %.3e\n' limit "$rps" "$limit_cold"
}

echo "bench: $scenario, $runs runs each, alternating (best of each kept)"
i=1
while [ "$i" -le "$runs" ]; do
    echo "run $i/$runs"
    run_reference
    run_slsim
    run_limit
    i=$((i + 1))
done

# verdict VALUE OP TARGET -> PASS or MISS
verdict() { awk -v v="$1" -v op="$2" -v t="$3" \
    'BEGIN { ok = (op == ">=") ? (v >= t) : (v <= t); print ok ? "PASS" : "MISS" }'; }

ratio=$(awk -v a="$slsim_best" -v b="$ref_best" 'BEGIN { printf "%.3f", a / b }')
rss_mib=$(awk -v k="$slsim_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
echo
echo "slsim $bin"
printf '  %-28s %14s   %s\n' "" "requests/s" "cold-start ratio"
printf '  %-28s %14.0f   %.3e\n' "slsim" "$slsim_best" "$slsim_cold"
printf '  %-28s %14.0f   %.3e\n' "reference (same model)" "$ref_best" "$ref_cold"
printf '  %-28s %14.0f   %.3e  (cold service exponential, mean %s s)\n' \
    "limit (shared yardstick)" "$limit_best" "$limit_cold" "$limit_cold_mean"
echo
printf '  %-28s %8s   target >= 0.6   %s   stretch >= 0.8   %s\n' "slsim / reference" "$ratio" \
    "$(verdict "$ratio" '>=' 0.6)" "$(verdict "$ratio" '>=' 0.8)"
printf '  %-28s %8.3f\n' "slsim / limit" \
    "$(awk -v a="$slsim_best" -v b="$limit_best" 'BEGIN { print a / b }')"
printf '  %-28s %8s   target <= 64    %s\n' "slsim peak RSS (MiB)" "$rss_mib" \
    "$(verdict "$rss_mib" '<=' 64)"
# Same model, so the cold-start ratios should agree to within sampling noise
# (about 1800 cold starts in 2e7 requests: a few per cent).
awk -v a="$slsim_cold" -v b="$ref_cold" 'BEGIN {
    d = (a > b ? a - b : b - a) / (a > b ? a : b)
    if (a == b) d = 0
    printf "  %-28s %8.1f%%   %s\n", "cold-ratio difference", 100 * d,
        d <= 0.25 ? "(same model, within noise)" : "(larger than noise: do the models differ?)"
}'
# Long-run guard: the probe for 1e9 requests (1e7 s of arrivals at 100/s). Memory is
# bounded by live state, so its peak RSS must match the 2e7-request run's: a structure
# that grows with the run (a per-request record, a dense series) shows up here as a
# difference of hundreds of MiB. BENCH_QUICK=1 skips it (about 150 s of one core).
if [ "${BENCH_QUICK:-0}" != 1 ]; then
    echo
    echo "long run: $scenario for 1e9 requests (duration 10000000s), one core"
    "$out/rss" "$out/rss-long.txt" "$bin" run "$scenario" --set duration=10000000s --jobs 1 \
        --quiet --format csv >"$out/long.csv" || die "the 1e9-request run failed"
    long_line=$(cat "$out/rss-long.txt")
    long_kb=$(field maxrss_kb "$long_line")
    long_wall=$(field wall_s "$long_line")
    long_req=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "requests") c = i }
                        NR == 2 { print $c }' "$out/long.csv")
    awk -v n="$long_req" -v w="$long_wall" -v k="$long_kb" -v s="$slsim_rss_kb" 'BEGIN {
        d = (k - s) / 1024
        printf "  %d requests in %.1f s (%.0f req/s), peak RSS %.1f MiB (%+.1f MiB against 2e7 requests)   %s\n",
            n, w, n / w, k / 1024, d, (d <= 8 ? "PASS (bounded)" : "MISS (grows with the run)") }'
fi
scripts/bench/replay.sh "$bin" "$out" "$out/rss" || die "the replay benchmark failed"
exit 0
