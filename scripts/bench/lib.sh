# scripts/bench/lib.sh - helpers of the benchmark scripts (sourced; POSIX sh and awk).
#
# Each part of `make bench` appends its targets to the summary file $summary, one line
# "label|value|target|verdict", which run.sh prints as the closing table.

die() { echo "bench: $*" >&2; exit 1; }

# field NAME LINE: the value after the word NAME in a "name value name value" line.
field() { echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'; }

# max A B, min A B (min treats an empty A as "none yet").
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a ? b : a) }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a ? b : a) }'; }

# calc EXPR: the value of an awk expression, e.g. calc "1e9 * 3 / 7".
calc() { awk "BEGIN { print $1 }"; }

# verdict VALUE OP TARGET -> PASS or MISS (OP is >= or <=).
verdict() { awk -v v="$1" -v op="$2" -v t="$3" \
    'BEGIN { ok = (op == ">=") ? (v >= t) : (v <= t); print ok ? "PASS" : "MISS" }'; }

# summarize LABEL VALUE OP TARGET: record a target in the summary, print its verdict.
# shellcheck disable=SC2154 # $summary is set by the script that sources this file
summarize() {
    v=$(verdict "$2" "$3" "$4")
    printf '%s|%s|%s %s|%s\n' "$1" "$2" "$3" "$4" "$v" >>"$summary"
    echo "$v"
}

# skipped LABEL OP TARGET: a target of a part BENCH_QUICK=1 skips, listed as skipped.
skipped() { printf '%s|-|%s %s|skipped (BENCH_QUICK=1)\n' "$1" "$2" "$3" >>"$summary"; }

# wall_of REPORT, cpu_of REPORT, kb_of REPORT: wall seconds, CPU seconds (user + system)
# and peak RSS (KiB) from an rss.c report.
wall_of() { field wall_s "$(cat "$1")"; }
cpu_of() { field cpu_s "$(cat "$1")"; }
kb_of() { field maxrss_kb "$(cat "$1")"; }

# deployment0 JSON_FILE: counts of deployments[0] of an `slsim run --format json`
# report, as one line "requests R cold C functions F busy_s B inst_mean M inst_peak P
# measured_s S" (busy_s: busy instance-seconds; inst_*: live instances, busy or idle).
# The report is one object per line after splitting at , { } [ ]; the first key of a
# name after "deployments" is deployments[0]'s (the cost breakdown's "requests" and
# "instances" come after the deployment's own).
deployment0() {
    tr ',{}[]' '\n\n\n\n\n' <"$1" | awk -F: '
        function val(s) { gsub(/[ \t\r"]/, "", s); return s }
        !d && $1 ~ /"measured_s"/ { s = val($2) }
        /"deployments"/ { d = 1; next }
        !d { next }
        $1 ~ /"requests"/ && r == "" { r = val($2) }
        $1 ~ /"cold_starts"/ && c == "" { c = val($2) }
        $1 ~ /"functions"/ && f == "" { f = val($2) }
        $1 ~ /"busy_instance_s"/ && b == "" { b = val($2) }
        $1 ~ /"instances"/ && val($2) == "" && m == "" { inst = 1; next }
        inst && $1 ~ /"mean"/ { m = val($2) }
        inst && $1 ~ /"peak"/ { p = val($2); inst = 0 }
        END { print "requests", r, "cold", c, "functions", f, "busy_s", b,
                    "inst_mean", m, "inst_peak", p, "measured_s", s }'
}

# csv_requests CSV_FILE [ROW]: the "requests" column of data row ROW (default 1) of an
# `slsim run --format csv` report.
csv_requests() {
    awk -F, -v row="${2:-1}" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "requests") c = i }
                               NR == row + 1 { print $c }' "$1"
}
