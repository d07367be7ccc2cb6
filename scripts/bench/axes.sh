#!/bin/sh
# scripts/bench/axes.sh BIN OUTDIR - how slsim's time per request grows with the live
# instances and with the number of functions (part of `make bench`; run.sh calls it
# after building OUTDIR/rss and OUTDIR/limit).
#
# Live instances: the probe's model (scenarios/bench/probe.yaml, mean service 1.991 s)
# at arrival rate 5/s (about 10 busy instances) and 50,000/s (about 100,000), the same
# number of requests at both rates and for both sides (duration = requests / rate),
# slsim and scripts/bench/limit.c alternating, BENCH_RUNS rounds (default 3), the
# fastest of each kept. Growth = ns/request at 50,000/s over ns/request at 5/s;
# target: slsim's growth <= 1.2 x limit's growth.
#
# Zipf functions: the probe at its 100/s with workload.functions = 1 and 100,000,
# alternating, the fastest kept; target: ns/request at 100,000 <= 2 x at 1.
#
# slsim's time per request is the wall time of the whole `slsim run` process (rss.c)
# minus that of a 100-request run of the same settings (start-up, YAML, setting up the
# functions, the report), fastest of each, divided by the requests of the long run;
# the start-up subtracted is printed. limit's is its own loop's time (what it prints).
# Its busy instances are given by Little's law (rate x mean service), as it counts none.
# Verdicts use these wall times, as the targets are stated; beside them, not judged,
# the same from CPU time (user + system, rss.c; limit's is its whole process, start-up
# under a millisecond), which waiting for a processor on a busy machine does not inflate.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 BIN OUTDIR" >&2; exit 2; }
bin=$1
out=$2
# shellcheck source=scripts/bench/lib.sh
. "$(dirname "$0")/lib.sh"
summary=$out/summary.txt
rss=$out/rss
limit=$out/limit
scenario=scenarios/bench/probe.yaml
runs=${BENCH_RUNS:-3}
requests=5000000
warm_mean=1.991        # the probe's mean warm service, s
limit_cold_mean=2.244  # limit.c: cold service one exponential, 0.253 + 1.991 s
keep_alive=600
log=$out/axes.log
: >"$log"

# slsim_once KEY SET...: one `slsim run` of the probe with --set SET... (no spaces in a
# SET); appends "slsim KEY wall_s W requests R ..." (deployment0's fields) to the log.
slsim_once() {
    key=$1
    shift
    sets=''
    for s in "$@"; do sets="$sets --set $s"; done
    # shellcheck disable=SC2086 # $sets is a list of words
    "$rss" "$out/axes-rss.txt" "$bin" run "$scenario" $sets --format json >"$out/axes.json" ||
        die "slsim run $scenario$sets failed"
    line="slsim $key wall_s $(wall_of "$out/axes-rss.txt") cpu_s $(cpu_of "$out/axes-rss.txt")"
    line="$line $(deployment0 "$out/axes.json")"
    [ -n "$(field requests "$line")" ] && [ -n "$(field inst_mean "$line")" ] ||
        die "slsim run $scenario$sets: cannot read its JSON report ($out/axes.json)"
    echo "$line" >>"$log"
    echo "$line"
}

# slsim_point KEY RATE DURATION_S SET...: the long run and its 100-request twin.
slsim_point() {
    key=$1 rate=$2 dur=$3
    shift 3
    line=$(slsim_once "$key" "workload.rate=$rate/s" "duration=${dur}s" "$@")
    tiny=$(slsim_once "$key-tiny" "workload.rate=$rate/s" "duration=$(calc "100 / $rate")s" "$@")
    awk -v l="$line" -v t="$tiny" -v rate="$rate" 'BEGIN {
        n = split(l, a, " "); for (i = 1; i < n; i += 2) v[a[i]] = a[i + 1]
        n = split(t, b, " "); for (i = 1; i < n; i += 2) w[b[i]] = b[i + 1]
        printf "  slsim %6d/s %6d fn %9d requests %7.3f s, cpu %7.3f s (100 requests: %.3f s)   live %.1f peak %d   busy %.1f\n",
            rate, v["functions"], v["requests"], v["wall_s"], v["cpu_s"], w["wall_s"],
            v["inst_mean"], v["inst_peak"], v["busy_s"] / v["measured_s"] }'
}

# limit_point KEY RATE: one limit run; appends "limit KEY requests N ns W cpu_s C" to
# the log (ns: its loop's wall time per request; cpu_s: its process's CPU time).
limit_point() {
    line=$("$rss" "$out/axes-rss.txt" "$limit" "$requests" "$2" "$warm_mean" \
        "$limit_cold_mean" "$keep_alive") || die "limit failed"
    rps=$(field requests_per_s "$line")
    [ -n "$rps" ] || die "limit: unexpected output: $line"
    cpu=$(cpu_of "$out/axes-rss.txt")
    echo "limit $1 requests $requests ns $(calc "1e9 / $rps") cpu_s $cpu" >>"$log"
    printf '  limit %6d/s %9s %9d requests %7.3f s, cpu %7.3f s   busy %.1f (rate x mean service)\n' \
        "$2" '' "$requests" "$(field wall_s "$line")" "$cpu" "$(calc "$2 * $warm_mean")"
}

# best "SIDE KEY": "ns N cpu_ns C requests R inst_mean M inst_peak P busy B startup_s S"
# for slsim, "ns N cpu_ns C requests R" for limit: the fastest run of each, by wall time
# and, separately, by CPU time.
best() {
    awk -v side="${1%% *}" -v key="${1#* }" '
        function get(name,   i) { for (i = 3; i < NF; i += 2) if ($i == name) return $(i + 1) }
        $1 == side && $2 == key {
            w = (side == "limit") ? get("ns") : get("wall_s")
            c = get("cpu_s")
            if (bc == "" || c < bc) bc = c
            if (bw == "" || w < bw) { bw = w; n = get("requests"); m = get("inst_mean")
                                      p = get("inst_peak"); b = get("busy_s") / get("measured_s") }
        }
        $1 == side && $2 == key "-tiny" {
            w = get("wall_s"); if (bt == "" || w < bt) bt = w
            c = get("cpu_s"); if (ct == "" || c < ct) ct = c
        }
        END {
            if (side == "limit") { printf "ns %.1f cpu_ns %.1f requests %d\n", bw, 1e9 * bc / n, n; exit }
            printf "ns %.1f cpu_ns %.1f requests %d inst_mean %.1f inst_peak %d busy %.1f startup_s %.4f\n",
                1e9 * (bw - bt) / n, 1e9 * (bc - ct) / n, n, m, p, b, bt }' "$log"
}

low=5 high=50000
echo
echo "live instances: the probe's model at $low/s and $high/s, $requests requests per run," \
    "$runs rounds alternating (fastest kept)"
i=1
while [ "$i" -le "$runs" ]; do
    echo "round $i/$runs"
    for rate in $low $high; do
        slsim_point "r$rate" "$rate" "$(calc "$requests / $rate")"
        limit_point "r$rate" "$rate"
    done
    i=$((i + 1))
done
s_lo=$(best "slsim r$low") s_hi=$(best "slsim r$high")
l_lo=$(best "limit r$low") l_hi=$(best "limit r$high")
printf '  %-6s %8s %11s %10s %10s %11s %11s %10s\n' side rate live-mean live-peak busy-mean \
    ns/request cpu-ns/req start-up
row() { # SIDE RATE BEST_LINE
    if [ "$1" = slsim ]; then
        printf '  %-6s %6d/s %11.1f %10d %10.1f %11.1f %11.1f %7.1f ms\n' "$1" "$2" \
            "$(field inst_mean "$3")" "$(field inst_peak "$3")" "$(field busy "$3")" \
            "$(field ns "$3")" "$(field cpu_ns "$3")" "$(calc "1000 * $(field startup_s "$3")")"
    else
        printf '  %-6s %6d/s %11s %10s %10.1f %11.1f %11.1f   (busy: rate x %s s)\n' "$1" "$2" - - \
            "$(calc "$2 * $warm_mean")" "$(field ns "$3")" "$(field cpu_ns "$3")" "$warm_mean"
    fi
}
row slsim $low "$s_lo"
row limit $low "$l_lo"
row slsim $high "$s_hi"
row limit $high "$l_hi"
sgrowth=$(calc "$(field ns "$s_hi") / $(field ns "$s_lo")")
lgrowth=$(calc "$(field ns "$l_hi") / $(field ns "$l_lo")")
rel=$(awk -v s="$sgrowth" -v l="$lgrowth" 'BEGIN { printf "%.3f", s / l }')
printf '  growth %d/s -> %d/s: slsim %.2fx, limit %.2fx; slsim/limit %s   target <= 1.2   %s\n' \
    $low $high "$sgrowth" "$lgrowth" "$rel" \
    "$(summarize "instances 10->1e5: slsim growth / limit growth" "$rel" '<=' 1.2)"
awk -v a="$(field cpu_ns "$s_hi")" -v b="$(field cpu_ns "$s_lo")" \
    -v c="$(field cpu_ns "$l_hi")" -v d="$(field cpu_ns "$l_lo")" 'BEGIN {
    printf "  by CPU time (not judged): slsim %.2fx, limit %.2fx; slsim/limit %.3f\n",
        a / b, c / d, (a / b) / (c / d) }'

echo
fn_rate=100
echo "Zipf functions: the probe at $fn_rate/s with workload.functions 1 and 100000," \
    "$requests requests per run, $runs rounds alternating (fastest kept)"
i=1
while [ "$i" -le "$runs" ]; do
    echo "round $i/$runs"
    for fn in 1 100000; do
        slsim_point "f$fn" $fn_rate "$(calc "$requests / $fn_rate")" "workload.functions=$fn"
    done
    i=$((i + 1))
done
f1=$(best "slsim f1") fn=$(best "slsim f100000")
printf '  %-9s %12s %12s %12s %12s\n' functions live-mean ns/request cpu-ns/req start-up
for pair in "1 $f1" "100000 $fn"; do
    b=${pair#* }
    printf '  %-9s %12.1f %12.1f %12.1f %9.1f ms\n' "${pair%% *}" "$(field inst_mean "$b")" \
        "$(field ns "$b")" "$(field cpu_ns "$b")" "$(calc "1000 * $(field startup_s "$b")")"
done
zratio=$(awk -v a="$(field ns "$fn")" -v b="$(field ns "$f1")" 'BEGIN { printf "%.3f", a / b }')
printf '  ns/request at 100000 functions / at 1: %s   target <= 2   %s\n' "$zratio" \
    "$(summarize "Zipf functions 1e5 / 1: ns per request" "$zratio" '<=' 2)"
awk -v a="$(field cpu_ns "$fn")" -v b="$(field cpu_ns "$f1")" \
    'BEGIN { printf "  by CPU time (not judged): %.3f\n", a / b }'
