#!/bin/sh
# Rewrite tests/golden/ from the current build, after an intended change of output.
# Review the diff (git diff tests/golden) before committing it.
set -eu
cd "$(dirname "$0")/.."
bin=${SLSIM:-build/slsim}
for fmt in text json csv md; do
    "$bin" run scenarios/quickstart.yaml --format "$fmt" > "tests/golden/quickstart.$fmt"
done
rm -f tests/golden/quickstart-timeline.csv
"$bin" run scenarios/quickstart.yaml --timeline tests/golden/quickstart-timeline.csv \
    --timeline-interval 1h > /dev/null
echo "rewrote tests/golden/"
