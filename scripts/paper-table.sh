#!/bin/sh
# paper-table.sh SLSIM README: replace the README's "Published results" tables with
# what `slsim paper` prints now. The tables sit between the marker lines
#   <!-- paper:NAME begin -->  and  <!-- paper:NAME end -->
# one pair per paper; everything else is left as it is. The README is written whole
# (a temporary file renamed over it), and only when every paper ran.
set -eu
slsim=$1
readme=$2
tmp=$(mktemp "${readme}.XXXXXX")
trap 'rm -f "$tmp" "$tmp".*' EXIT
papers=$(sed -n 's/^<!-- paper:\([a-z0-9_-]*\) begin -->$/\1/p' "$readme")
[ -n "$papers" ] || { echo "paper-table.sh: no <!-- paper:NAME begin --> marker in $readme" >&2; exit 2; }
for p in $papers; do
    "$slsim" paper "$p" --format md --quiet > "$tmp.$p"
done
awk -v tmp="$tmp" '
    /^<!-- paper:[a-z0-9_-]* begin -->$/ {
        print
        name = $0; sub(/^<!-- paper:/, "", name); sub(/ begin -->$/, "", name)
        while ((getline line < (tmp "." name)) > 0) print line
        skipping = 1
        next
    }
    /^<!-- paper:[a-z0-9_-]* end -->$/ { skipping = 0 }
    !skipping { print }
' "$readme" > "$tmp"
mv "$tmp" "$readme"
