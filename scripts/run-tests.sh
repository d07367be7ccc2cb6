#!/bin/sh
# Run each Criterion test binary given, keep going after a failure, and finish with
# one summary line ("N passed, N failed") that counts test binaries.
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
