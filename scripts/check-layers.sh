#!/bin/sh
# check-layers.sh - the layering of sim/, checked.
#
# Reads the layer table from docs/ARCHITECTURE.md (the ```layers block: a layer's name,
# its folder under sim/, and the public headers of include/slsim/ it owns, lowest layer
# first) and every #include "..." of every file under sim/. A file may include headers
# of its own layer and of layers below it, never above; every slsim/ header must belong
# to a layer; and no file under sim/ may be longer than MAX_LINES lines. Prints each
# violation as FILE:LINE: message and exits 1 if there is any.
#
# Usage: scripts/check-layers.sh [ROOT]   (ROOT: the repository, default .)
#        scripts/check-layers.sh --self-test   (plants each kind of violation in a
#        scratch tree and fails unless every one is caught and a clean tree passes)
set -eu
if [ "${1:-}" = --self-test ]; then
    T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
    mkdir -p "$T/docs" "$T/include/slsim" "$T/sim/low" "$T/sim/high"
    printf '# map\n\n```layers\nlow   sim/low   a.h\nhigh  sim/high  b.h\n```\n' > "$T/docs/ARCHITECTURE.md"
    printf '#include "slsim/a.h"\n' > "$T/include/slsim/b.h"
    : > "$T/include/slsim/a.h"
    printf '#include "slsim/a.h"\n#include "../low/x.h"\n' > "$T/sim/high/y.c"
    : > "$T/sim/low/x.h"
    "$0" "$T" > "$T/out" 2>&1 || { echo "check-layers self-test: a clean tree failed:"; cat "$T/out"; exit 1; }
    printf '#include "slsim/b.h"\n' > "$T/sim/low/up.c"          # an include upwards
    printf '#include "../high/z.h"\n' > "$T/sim/low/up2.c"       # the same, by path
    : > "$T/sim/high/z.h"
    printf '#include "slsim/c.h"\n' > "$T/sim/high/unknown.c"    # a header in no layer
    awk 'BEGIN { for (i = 0; i < 701; i++) print "int x;" }' > "$T/sim/high/long.c"
    if "$0" "$T" > "$T/out" 2>&1; then echo "check-layers self-test: violations passed"; exit 1; fi
    for want in 'sim/low/up.c:1:' 'sim/low/up2.c:1:' 'sim/high/unknown.c:1:' 'sim/high/long.c:701:'; do
        grep -q "^$want" "$T/out" || { echo "check-layers self-test: missed $want"; cat "$T/out"; exit 1; }
    done
    echo "check-layers self-test: every planted violation caught"
    exit 0
fi
ROOT=${1:-.}
MAX_LINES=700
DOC="$ROOT/docs/ARCHITECTURE.md"
[ -f "$DOC" ] || { echo "check-layers: $DOC not found" >&2; exit 2; }

TABLE=$(awk '/^```layers$/ {on = 1; next} on && /^```/ {exit} on && NF' "$DOC")
[ -n "$TABLE" ] || { echo "check-layers: no \`\`\`layers block in $DOC" >&2; exit 2; }

cd "$ROOT"
{ find sim -type f \( -name '*.c' -o -name '*.h' \); find include/slsim -type f -name '*.h'; } |
    LC_ALL=C sort | awk -v table="$TABLE" -v max="$MAX_LINES" '
BEGIN {
    n = split(table, rows, "\n")
    for (i = 1; i <= n; i++) {
        m = split(rows[i], w, /[ \t]+/)
        rank[w[1]] = i; name[i] = w[1]; folder[w[2]] = w[1]
        for (k = 3; k <= m; k++) {
            if (w[k] in owner) { printf "docs/ARCHITECTURE.md: header %s is in two layers\n", w[k]; bad = 1 }
            owner[w[k]] = w[1]
        }
    }
}
# The layer of a file under sim/: the folder it sits in, "sim" for the files at the top.
function layer_of(path,    d, h) {
    if (path ~ /^include\/slsim\//) { h = path; sub(/^include\/slsim\//, "", h); return (h in owner) ? owner[h] : "" }
    d = path; sub(/\/[^\/]*$/, "", d)
    return (d in folder) ? folder[d] : ""
}
# A relative include resolved against the including file s folder.
function resolve(dir, inc,    parts, n, i, out, k) {
    n = split(dir "/" inc, parts, "/"); k = 0
    for (i = 1; i <= n; i++) {
        if (parts[i] == "..") { if (k) k--; continue }
        if (parts[i] == "." || parts[i] == "") continue
        out[++k] = parts[i]
    }
    s = out[1]; for (i = 2; i <= k; i++) s = s "/" out[i]
    return s
}
{
    file = $0
    me = layer_of(file)
    if (me == "") { printf "%s:1: in no layer of docs/ARCHITECTURE.md\n", file; bad = 1; next }
    lines = 0
    dir = file; sub(/\/[^\/]*$/, "", dir)
    while ((getline line < file) > 0) {
        lines++
        if (line !~ /^[ \t]*#[ \t]*include[ \t]*"/) continue
        inc = line; sub(/^[^"]*"/, "", inc); sub(/".*$/, "", inc)
        if (inc ~ /^slsim\//) {
            h = inc; sub(/^slsim\//, "", h)
            if (!(h in owner)) { printf "%s:%d: %s is in no layer of docs/ARCHITECTURE.md\n", file, lines, inc; bad = 1; continue }
            them = owner[h]
        } else {
            target = resolve(dir, inc)
            them = layer_of(target)
            if (them == "") { printf "%s:%d: %s resolves to %s, in no layer\n", file, lines, inc, target; bad = 1; continue }
        }
        if (rank[them] > rank[me]) {
            printf "%s:%d: %s (%s) includes %s (%s), a layer above it\n", file, lines, file, me, inc, them
            bad = 1
        }
    }
    close(file)
    if (file ~ /^sim\// && lines > max) { printf "%s:%d: %d lines, over the limit of %d\n", file, lines, lines, max; bad = 1 }
}
END { exit bad ? 1 : 0 }
'
