#!/bin/sh
# scripts/bench/run.sh BIN - slsim's simulation speed and peak memory (`make bench`).
#
# One run measures every target of the engine-speed work against the limit probe
# scripts/bench/limit.c (the least work a simulator of this model must do per request),
# built here from the project's own copy, and ends with a table of every target, its
# value and PASS or MISS. A miss is reported, not failed: exits 0 unless something fails
# to build or run. The machine's load (/proc/loadavg) and nproc are printed before and
# after. BENCH_RUNS (default 3) sets the rounds of each alternating comparison;
# BENCH_QUICK=1 skips the long runs (the 1e9-request probe, the 1e8-invocation replay).
# Dynamic batching (scenarios/bench/batching.yaml) is measured against the same
# run's limit probe.
#
# 1. Probe (here): scenarios/bench/probe.yaml with BIN (build/slsim), our own minimal
#    loop of its model scripts/bench/reference.c, and limit.c, alternating, the best
#    requests/s of each kept:
#      slsim:     requests of deployments[0] in its JSON report / wall time of the whole
#                 `slsim run` process (start-up, YAML, simulation, report);
#      reference: what it prints (wall time of its simulation loop only);
#      limit:     what it prints (likewise).
#    Targets: slsim/limit >= 0.9; slsim/reference >= 0.6 (stretch 0.8); slsim peak RSS
#    <= 64 MiB; a 1e9-request run within 8 MiB of the peak RSS of the 2e7-request one.
#    Wall time and peak RSS of slsim come from scripts/bench/rss.c (fork, exec, wait4,
#    ru_maxrss), so no GNU time package is needed. Verdicts use wall times, as the
#    targets are stated; beside them, not judged, the ratios by CPU time (user + system
#    of each whole process, rss.c), which waiting for a processor does not inflate.
# 2. Live instances and Zipf functions (scripts/bench/axes.sh): growth of the time per
#    request from about 10 to about 100,000 live instances against limit's growth, and
#    from 1 to 100,000 functions.
# 3. Replay (scripts/bench/replay.sh): a synthesized Azure-2019 day, one deployment and
#    four, and the 1e8-invocation memory guard.
# 4. LLM serving (scripts/bench/llm.sh): processed tokens per CPU second of the
#    conversation trace on an L40S fleet (target >= 2e6), and peak RSS flat at 5x.
# 5. Sweep (scripts/bench/sweep.sh): points per second of a 200-point `slsim sweep` with
#    --jobs 1, --jobs 2 and mpirun -np 2, whose speed-up on two processors must be at
#    least 0.9 of the machine's own (two copies of one process at once against one
#    alone); the three outputs must be the same bytes.
set -eu
# shellcheck source=scripts/bench/lib.sh
. "$(dirname "$0")/lib.sh"

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
[ -f "$scenario" ] || die "$scenario: missing"

out=build/bench
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"
runs=${BENCH_RUNS:-3}
echo "bench: $(nproc) processors; load before: $(cat /proc/loadavg)"
cc=${CC:-cc}
"$cc" -O2 -o "$out/reference" scripts/bench/reference.c -lm || die "cannot build reference.c"
"$cc" -O2 -o "$out/rss" scripts/bench/rss.c || die "cannot build rss.c"
"$cc" -O2 -o "$out/limit" scripts/bench/limit.c -lm || die "cannot build limit.c"

ref_best=0 ref_cold='' ref_cpu=''
slsim_best=0 slsim_cold='' slsim_rss_kb=0 slsim_requests='' slsim_cpu=''
limit_best=0 limit_cold='' limit_cpu=''

run_reference() {
    line=$("$out/rss" "$out/rss.txt" "$out/reference" "$requests" "$rate" "$warm_mean" "$cold" \
        "$keep_alive") || die "reference failed"
    cpu=$(cpu_of "$out/rss.txt")
    ref_cpu=$(min "$ref_cpu" "$cpu")
    rps=$(field requests_per_s "$line")
    ref_cold=$(field cold_ratio "$line")
    [ -n "$rps" ] && [ -n "$ref_cold" ] || die "reference: unexpected output: $line"
    ref_best=$(max "$ref_best" "$rps")
    printf '  %-9s %12.0f req/s   cold ratio %.3e   cpu %.3f s\n' reference "$rps" "$ref_cold" "$cpu"
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
    cpu=$(field cpu_s "$rss_line")
    kb=$(field maxrss_kb "$rss_line")
    [ -n "$slsim_requests" ] && [ -n "$cold_starts" ] && [ -n "$wall" ] && [ -n "$kb" ] ||
        die "slsim: cannot read requests/cold_starts from $out/slsim.json or $out/rss.txt"
    [ "$slsim_requests" -gt 0 ] || die "slsim simulated no requests"
    rps=$(awk -v n="$slsim_requests" -v w="$wall" 'BEGIN { printf "%.0f", n / w }')
    slsim_cold=$(awk -v c="$cold_starts" -v n="$slsim_requests" 'BEGIN { printf "%.6e", c / n }')
    slsim_best=$(max "$slsim_best" "$rps")
    slsim_rss_kb=$(max "$slsim_rss_kb" "$kb")
    slsim_cpu=$(min "$slsim_cpu" "$cpu")
    printf '  %-9s %12.0f req/s   cold ratio %.3e   cpu %.3f s   %d requests in %.3f s, peak RSS %.1f MiB\n' \
        slsim "$rps" "$slsim_cold" "$cpu" "$slsim_requests" "$wall" \
        "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
}

run_limit() {
    line=$("$out/rss" "$out/rss.txt" "$out/limit" "$requests" "$rate" "$warm_mean" \
        "$limit_cold_mean" "$keep_alive") || die "limit failed"
    cpu=$(cpu_of "$out/rss.txt")
    limit_cpu=$(min "$limit_cpu" "$cpu")
    rps=$(field requests_per_s "$line")
    limit_cold=$(field cold_ratio "$line")
    [ -n "$rps" ] && [ -n "$limit_cold" ] || die "limit: unexpected output: $line"
    limit_best=$(max "$limit_best" "$rps")
    printf '  %-9s %12.0f req/s   cold ratio %.3e   cpu %.3f s\n' limit "$rps" "$limit_cold" "$cpu"
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

ratio=$(awk -v a="$slsim_best" -v b="$ref_best" 'BEGIN { printf "%.3f", a / b }')
lratio=$(awk -v a="$slsim_best" -v b="$limit_best" 'BEGIN { printf "%.3f", a / b }')
rss_mib=$(awk -v k="$slsim_rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
echo
echo "slsim $bin"
printf '  %-28s %14s   %s\n' "" "requests/s" "cold-start ratio"
printf '  %-28s %14.0f   %.3e\n' "slsim" "$slsim_best" "$slsim_cold"
printf '  %-28s %14.0f   %.3e\n' "reference (same model)" "$ref_best" "$ref_cold"
printf '  %-28s %14.0f   %.3e  (cold service exponential, mean %s s)\n' \
    "limit (shared yardstick)" "$limit_best" "$limit_cold" "$limit_cold_mean"
echo
printf '  %-28s %8s   target >= 0.9   %s\n' "slsim / limit" "$lratio" \
    "$(summarize "probe: slsim / limit requests/s" "$lratio" '>=' 0.9)"
printf '  %-28s %8s   target >= 0.6   %s   stretch >= 0.8   %s\n' "slsim / reference" "$ratio" \
    "$(summarize "probe: slsim / reference requests/s" "$ratio" '>=' 0.6)" \
    "$(verdict "$ratio" '>=' 0.8)"
printf '  %-28s %8s   target <= 64    %s\n' "slsim peak RSS (MiB)" "$rss_mib" \
    "$(summarize "probe: slsim peak RSS (MiB)" "$rss_mib" '<=' 64)"
# Requests per CPU second of each whole process (fastest of each; equal request counts
# but slsim's Poisson count, hence the ratio of its requests to theirs).
awk -v s="$slsim_cpu" -v l="$limit_cpu" -v r="$ref_cpu" -v n="$slsim_requests" -v m="$requests" 'BEGIN {
    printf "  %-28s %8.3f   slsim / reference %.3f   (not judged)\n", "by CPU time: slsim / limit",
        (n / s) / (m / l), (n / s) / (m / r) }'
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
    long_kb=$(kb_of "$out/rss-long.txt")
    long_wall=$(wall_of "$out/rss-long.txt")
    long_req=$(csv_requests "$out/long.csv")
    d=$(awk -v k="$long_kb" -v s="$slsim_rss_kb" 'BEGIN { printf "%.1f", (k - s) / 1024 }')
    awk -v n="$long_req" -v w="$long_wall" -v k="$long_kb" -v d="$d" 'BEGIN {
        printf "  %d requests in %.1f s (%.0f req/s), peak RSS %.1f MiB (%+.1f MiB against 2e7 requests)   target <= 8   ",
            n, w, n / w, k / 1024, d }'
    summarize "probe 1e9 requests: peak RSS - 2e7's (MiB)" "$d" '<=' 8
else
    skipped "probe 1e9 requests: peak RSS - 2e7's (MiB)" '<=' 8
fi

# Dynamic batching: scenarios/bench/batching.yaml (1e7 requests on a batching fleet,
# max_batch_size 32) against the limit probe's requests per second of this run, best
# of 3. Target: >= 0.5 x the probe.
echo
echo "batching: scenarios/bench/batching.yaml (1e7 requests, max_batch_size 32), 3 runs (best kept)"
batch_best=0
for i in 1 2 3; do
    "$out/rss" "$out/rss-batch.txt" "$bin" run scenarios/bench/batching.yaml --jobs 1 --quiet \
        --format csv >"$out/batch.csv" || die "the batching run failed"
    n=$(csv_requests "$out/batch.csv")
    w=$(wall_of "$out/rss-batch.txt")
    rps=$(awk -v n="$n" -v w="$w" 'BEGIN { printf "%.0f", n / w }')
    batch_best=$(max "$batch_best" "$rps")
    printf '  run %d: %d requests in %.3f s, %.0f req/s\n' "$i" "$n" "$w" "$rps"
done
bratio=$(awk -v a="$batch_best" -v b="$limit_best" 'BEGIN { printf "%.3f", a / b }')
printf '  batching / limit probe requests/s: %s   target >= 0.5   %s\n' "$bratio" \
    "$(summarize "batching: slsim / limit requests/s" "$bratio" '>=' 0.5)"

scripts/bench/llm.sh "$bin" "$out" || die "the LLM benchmark failed"
scripts/bench/axes.sh "$bin" "$out" || die "the live-instance and function benchmark failed"
scripts/bench/replay.sh "$bin" "$out" "$out/rss" || die "the replay benchmark failed"
scripts/bench/sweep.sh "$bin" "$out" "$out/rss" || die "the sweep benchmark failed"

echo
echo "bench: $(nproc) processors; load after: $(cat /proc/loadavg)"
echo
echo "summary (slsim $bin)"
awk -F'|' '{ printf "  %-46s %14s   %-12s %s\n", $1, $2, $3, $4 }
           BEGIN { printf "  %-46s %14s   %-12s %s\n", "target", "value", "goal", "verdict" }' \
    "$summary"
exit 0
