#!/bin/sh
# scripts/bench/llm.sh BIN OUTDIR - LLM serving's speed and memory (part of `make
# bench`; run.sh calls it after building OUTDIR/rss).
#
# scenarios/bench/llm.yaml: the Azure LLM conversation trace at 5.17 times its rate
# (about 1e5 requests and 1.4e8 processed tokens in an hour) on 8 L40S machines
# serving Llama-3-8B, BENCH_RUNS rounds (default 3), the fastest kept. Speed: the
# tokens processed (prompt + output of served requests, the CSV report's
# tokens_prompt + tokens_output) per second of CPU (user + system of the whole `slsim
# run` process, rss.c); target >= 2e6. Memory: peak RSS, and the same trace at 5
# times that rate (5e5 requests) on 5 times the machines, whose peak RSS must be
# within 8 MiB of the first's: memory follows the sequences in service, not the
# trace's length.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 BIN OUTDIR" >&2; exit 2; }
bin=$1
out=$2
# shellcheck source=scripts/bench/lib.sh
. "$(dirname "$0")/lib.sh"
summary=$out/summary.txt
runs=${BENCH_RUNS:-3}

# tokens CSV: tokens_prompt + tokens_output of data row 1.
tokens() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "tokens_prompt") p = i;
                                                    if ($i == "tokens_output") o = i } }
             NR == 2 { printf "%.0f", $p + $o }' "$1"
}

echo
echo "LLM: scenarios/bench/llm.yaml (Llama-3-8B, conversation trace x5.17, 8 x L40S), $runs runs (best kept)"
best=0
for i in $(seq "$runs"); do
    "$out/rss" "$out/rss-llm.txt" "$bin" run scenarios/bench/llm.yaml --jobs 1 --quiet \
        --format csv >"$out/llm.csv" || die "the LLM run failed"
    n=$(tokens "$out/llm.csv")
    c=$(cpu_of "$out/rss-llm.txt")
    tps=$(awk -v n="$n" -v c="$c" 'BEGIN { printf "%.0f", n / (c > 0 ? c : 1e-3) }')
    best=$(max "$best" "$tps")
    printf '  run %d: %d tokens in %.3f s of CPU, %.3g tokens/s\n' "$i" "$n" "$c" "$tps"
done
printf '  processed tokens per CPU second: %.3g   target >= 2e6   %s\n' "$best" \
    "$(summarize "LLM: processed tokens per CPU second" "$best" '>=' 2000000)"
kb=$(kb_of "$out/rss-llm.txt")
"$out/rss" "$out/rss-llm5.txt" "$bin" run scenarios/bench/llm.yaml --jobs 1 --quiet \
    --format csv --set workload.trace.rate_scale=25.85 --set deployments.fleet.count=40 \
    >"$out/llm5.csv" || die "the 5x LLM run failed"
kb5=$(kb_of "$out/rss-llm5.txt")
d=$(awk -v a="$kb5" -v b="$kb" 'BEGIN { printf "%.1f", (a - b) / 1024 }')
printf '  peak RSS %.1f MiB; at 5x the requests (%s tokens) %.1f MiB (%+.1f MiB)   target <= 8   %s\n' \
    "$(calc "$kb / 1024")" "$(tokens "$out/llm5.csv")" "$(calc "$kb5 / 1024")" "$d" \
    "$(summarize "LLM: peak RSS at 5x the requests - at 1x (MiB)" "$d" '<=' 8)"
