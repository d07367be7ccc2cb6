#!/bin/sh
# Run libFuzzer targets built by `make fuzz` (build-fuzz/fuzz_*), each for SECONDS,
# on a working copy of its seed corpus, and sum up executions.
#
#   tests/fuzz/run.sh SECONDS TARGET...   from the repository root
#   tests/fuzz/run.sh --probe [CC]        exit 0 when CC (clang) links -fsanitize=fuzzer
#
# The committed seeds (tests/fuzz/corpus/TARGET/) are copied into
# build-fuzz/corpus/TARGET/, which keeps what earlier runs found; the fuzzer only
# ever writes there. With FUZZ_FRESH=1 (the short run of `make check`) each target
# starts from the seeds alone, in build-fuzz/corpus-fresh/TARGET/, with a fixed
# random seed: the run then tries the same inputs on every machine, in the order a
# faster machine only carries further, and not what earlier long runs collected. A crash, leak, timeout or out-of-memory input is written to
# build-fuzz/crashes/TARGET/ and named in the output; the run then fails (exit 1).
# Reproduce one with `build-fuzz/TARGET FILE`. Limits per input: 10 s and 2 GB.
set -u

if [ "${1:-}" = "--probe" ]; then
    cc=${2:-clang}
    dir=$(mktemp -d) || exit 1
    printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\n%s\n' \
        'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; return (int)(n & 0); }' \
        > "$dir/probe.c"
    "$cc" -fsanitize=fuzzer "$dir/probe.c" -o "$dir/probe" >/dev/null 2>&1
    rc=$?
    rm -rf "$dir"
    exit $rc
fi

seconds=$1
shift
build=build-fuzz
failed=0
total=0
for t in "$@"; do
    corpus=$build/corpus/$t
    seed=
    if [ "${FUZZ_FRESH:-0}" = 1 ]; then
        corpus=$build/corpus-fresh/$t
        rm -rf "$corpus"
        seed=-seed=1
    fi
    crashes=$build/crashes/$t
    log=$build/logs/$t.log
    mkdir -p "$corpus" "$crashes" "$build/logs"
    cp -R tests/fuzz/corpus/"$t"/. "$corpus"/ 2>/dev/null
    case $t in
    fuzz_scenario) dict=tests/fuzz/scenario.dict ;;
    fuzz_catalog) dict=tests/fuzz/catalog.dict ;;
    *) dict=tests/fuzz/trace.dict ;;
    esac
    # ASan's leak check and LeakSanitizer suppressions as the test suite has them.
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp} \
        "$build/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=16384 -print_final_stats=1 -dict="$dict" $seed \
        -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    runs=${runs:-0}
    total=$((total + runs))
    rate=$((runs / (seconds > 0 ? seconds : 1)))
    if [ $rc -eq 0 ]; then
        echo "fuzz: $t: $runs executions in ${seconds}s ($rate/s)"
    else
        failed=1
        echo "fuzz: $t: FAILED (exit $rc) after $runs executions; log $log"
        grep -E 'ERROR: |fuzz invariant broken|SUMMARY: |^  ' "$log" | head -n 8 | sed 's/^/    /'
        grep -E 'Test unit written to|artifact_prefix' "$log" | sed 's/^/    /'
        art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        [ -n "$art" ] && echo "    reproduce: $build/$t $art"
    fi
done
echo "fuzz: $total executions in all ($# targets, ${seconds}s each)"
exit $failed
