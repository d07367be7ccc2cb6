#!/bin/sh
# Run each Criterion test binary given, keep going after a failure, and finish with
# one summary line ("N passed, N failed") that counts test binaries.
# Under the sanitizers: stop at the first error, and ignore the test framework's own
# leaks (tests/lsan.supp), never slsim's.
here=$(cd "$(dirname "$0")/.." && pwd)
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$here/tests/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
passed=0
failed=0
for t in "$@"; do
    echo "== $(basename "$t")"
    if "$t" --jobs 2; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $t"
    fi
done
echo "programs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
