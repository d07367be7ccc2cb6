#!/bin/sh
# scripts/bench/sweep.sh BIN OUTDIR RSS_WRAPPER - the speed-up of `slsim sweep` on two
# processors against the machine's own (part of `make bench`; run.sh calls it after
# building OUTDIR/rss).
#
# A 200-point sweep of scenarios/bench/sweep.yaml (the quickstart model on one Lambda
# deployment: 20 memory sizes x 10 keep-alives, about a tenth of a second of one core
# per point) is timed with --jobs 1, with --jobs 2, and, when mpirun exists and BIN was
# built with Open MPI, as `mpirun -np 2 BIN sweep ... --jobs 1` (rank 0 serves the
# points from its main thread and simulates on a second, so two processes simulate).
# Points per second = 200 / wall time of the whole command (start-up, every point, the
# output file; mpirun's launch included).
#
# Two processors seldom give twice the throughput of one (a shared machine, a shared
# cache, memory bandwidth, frequency scaling), so the target is stated against this
# machine's own control: the same work in two independent processes. The control runs
# a 100-point sweep with --jobs 1 alone, then two copies of it at once; its speed-up is
# the throughput of the pair over that of one alone, 2 x T(one) / T(two at once). The
# sweep's speed-up is (points/s with --jobs 2) / (points/s with --jobs 1), likewise for
# mpirun -np 2. Target: the sweep's speed-up >= 0.9 x the control's (the control taken
# as at most 2, the most two processes can do).
#
# The five commands alternate, BENCH_RUNS rounds (default 3), and the median wall time
# of each is kept (a busy machine slows some rounds; the median drops them without
# favouring any command). The machine's load (/proc/loadavg) and nproc are printed
# before and after; the CPU time of each command (user + system, rss.c) is printed
# beside its wall time, and their medians' ratio (the processors it had), not judged.
# The outputs of --jobs 1, --jobs 2 and mpirun must be the same bytes (cmp).
set -eu
[ $# -eq 3 ] || { echo "usage: $0 BIN OUTDIR RSS_WRAPPER" >&2; exit 2; }
bin=$1
out=$2
rss=$3
# shellcheck source=scripts/bench/lib.sh
. "$(dirname "$0")/lib.sh"
summary=$out/summary.txt
runs=${BENCH_RUNS:-3}
scenario=scenarios/bench/sweep.yaml
[ -f "$scenario" ] || die "$scenario: missing"
points=200
# 20 x 10 = 200 points; the control's 10 x 10 = 100 points per copy.
mem=512MiB:10240MiB:512MiB
mem_control=1024MiB:10240MiB:1024MiB
keep=1m:10m:1m
control_points=100
ratio_target=0.9

# median FILE: the median of the numbers in FILE, one per line (the mean of the middle
# two when their count is even).
median() {
    sort -g "$1" | awk '{ v[NR] = $1 }
        END { if (NR == 0) exit 1; m = int((NR + 1) / 2);
              print (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

# timed NAME COMMAND [ARG...]: run COMMAND under rss.c, append its wall and CPU seconds
# to OUTDIR/sweep-NAME.wall and .cpu, print them.
timed() {
    name=$1
    shift
    "$rss" "$out/rss-sweep.txt" "$@" || die "$name failed: $*"
    w=$(wall_of "$out/rss-sweep.txt")
    c=$(cpu_of "$out/rss-sweep.txt")
    echo "$w" >>"$out/sweep-$name.wall"
    echo "$c" >>"$out/sweep-$name.cpu"
    printf '    %-22s wall %7.3f s   cpu %7.3f s\n' "$name" "$w" "$c"
}

# sweep_args MEMORY_VALUES OUTFILE: the sweep's arguments after `BIN sweep`.
sweep_args() {
    echo "$scenario --vary deployments.fn.memory=$1 --vary deployments.fn.keep_alive=$keep --quiet --force --out $2"
}

mpi=0
if command -v mpirun >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -q 'with MPI'; then
    mpi=1
    # Open MPI refuses root without these; harmless otherwise.
    OMPI_ALLOW_RUN_AS_ROOT=1
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
fi

echo
echo "sweep: $scenario, $points points (memory x keep-alive), $runs rounds alternating (median kept)"
echo "  $(nproc) processors; load before: $(cat /proc/loadavg)"
[ "$mpi" = 1 ] || echo "  mpirun -np 2: skipped (no mpirun, or $bin built without MPI)"
rm -f "$out"/sweep-*.wall "$out"/sweep-*.cpu
# shellcheck disable=SC2046 # sweep_args is split into words on purpose (no spaces in its paths)
for i in $(seq "$runs"); do
    echo "  round $i/$runs"
    timed control-one "$bin" sweep $(sweep_args "$mem_control" "$out/sweep-c1.csv") --jobs 1
    timed control-two sh -c "\"\$0\" sweep $(sweep_args "$mem_control" "$out/sweep-c2.csv") --jobs 1 & a=\$!
        \"\$0\" sweep $(sweep_args "$mem_control" "$out/sweep-c3.csv") --jobs 1 & b=\$!
        wait \$a && wait \$b" "$bin"
    timed jobs-1 "$bin" sweep $(sweep_args "$mem" "$out/sweep-j1.csv") --jobs 1
    timed jobs-2 "$bin" sweep $(sweep_args "$mem" "$out/sweep-j2.csv") --jobs 2
    [ "$mpi" = 0 ] ||
        timed mpirun-np-2 mpirun --oversubscribe -np 2 "$bin" sweep \
            $(sweep_args "$mem" "$out/sweep-mpi.csv") --jobs 1
done
echo "  load after: $(cat /proc/loadavg)"

t_one=$(median "$out/sweep-control-one.wall")
t_two=$(median "$out/sweep-control-two.wall")
t_j1=$(median "$out/sweep-jobs-1.wall")
t_j2=$(median "$out/sweep-jobs-2.wall")
control=$(awk -v a="$t_one" -v b="$t_two" 'BEGIN { printf "%.3f", 2 * a / b }')
# Two processes cannot do more than twice the work of one: a control above 2 means its
# lone copy was slowed by other load, so the target is judged against at most 2.
control_judged=$(min "$control" 2)
pps() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n / t }'; }
p_j1=$(pps "$points" "$t_j1")
p_j2=$(pps "$points" "$t_j2")
s_j2=$(awk -v a="$t_j1" -v b="$t_j2" 'BEGIN { printf "%.3f", a / b }')
r_j2=$(awk -v s="$s_j2" -v c="$control_judged" 'BEGIN { printf "%.3f", s / c }')

echo
# The last column: median CPU seconds over median wall seconds, the processors a command
# had on average (below 2 for a pair: the machine was busy; not judged).
used() { awk -v c="$(median "$out/sweep-$1.cpu")" -v w="$2" 'BEGIN { printf "%.2f", c / w }'; }
printf '  %-34s %10s %10s %10s %10s\n' "median of $runs" "wall (s)" "points/s" "speed-up" \
    "cpu/wall"
printf '  %-34s %10.3f %10.1f %10s %10s\n' "control: one --jobs 1 alone" "$t_one" \
    "$(pps "$control_points" "$t_one")" "1" "$(used control-one "$t_one")"
printf '  %-34s %10.3f %10.1f %10.3f %10s\n' "control: two --jobs 1 at once" "$t_two" \
    "$(pps $((2 * control_points)) "$t_two")" "$control" "$(used control-two "$t_two")"
printf '  %-34s %10.3f %10.1f %10s %10s\n' "sweep --jobs 1" "$t_j1" "$p_j1" "1" \
    "$(used jobs-1 "$t_j1")"
printf '  %-34s %10.3f %10.1f %10.3f %10s\n' "sweep --jobs 2" "$t_j2" "$p_j2" "$s_j2" \
    "$(used jobs-2 "$t_j2")"
if [ "$mpi" = 1 ]; then
    t_mpi=$(median "$out/sweep-mpirun-np-2.wall")
    s_mpi=$(awk -v a="$t_j1" -v b="$t_mpi" 'BEGIN { printf "%.3f", a / b }')
    r_mpi=$(awk -v s="$s_mpi" -v c="$control_judged" 'BEGIN { printf "%.3f", s / c }')
    printf '  %-34s %10.3f %10.1f %10.3f %10s\n' "mpirun -np 2 sweep --jobs 1" "$t_mpi" \
        "$(pps "$points" "$t_mpi")" "$s_mpi" "$(used mpirun-np-2 "$t_mpi")"
fi
echo
[ "$control_judged" = "$control" ] ||
    echo "  control speed-up $control is above 2 (its lone copy was slowed): judged against 2"
printf '  %-34s %8s   target >= %s   %s\n' "jobs 2 speed-up / control" "$r_j2" "$ratio_target" \
    "$(summarize "sweep jobs 2 speed-up / control" "$r_j2" '>=' "$ratio_target")"
if [ "$mpi" = 1 ]; then
    printf '  %-34s %8s   target >= %s   %s\n' "mpirun -np 2 speed-up / control" "$r_mpi" \
        "$ratio_target" \
        "$(summarize "sweep mpirun -np 2 speed-up / control" "$r_mpi" '>=' "$ratio_target")"
else
    printf '%s|-|>= %s|skipped (no MPI)\n' "sweep mpirun -np 2 speed-up / control" \
        "$ratio_target" >>"$summary"
fi

# The output does not depend on --jobs or on MPI: the same bytes (last round's files).
same=yes
cmp -s "$out/sweep-j1.csv" "$out/sweep-j2.csv" || same=no
[ "$mpi" = 0 ] || cmp -s "$out/sweep-j1.csv" "$out/sweep-mpi.csv" || same=no
what="jobs 1, jobs 2"
[ "$mpi" = 0 ] || what="$what, mpirun"
v=MISS
[ "$same" = no ] || v=PASS
printf '  %-34s %8s   %s\n' "outputs byte-identical ($what)" "$same" "$v"
printf '%s|%s|same bytes|%s\n' "sweep outputs identical ($what)" "$same" "$v" >>"$summary"
