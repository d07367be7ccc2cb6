#!/bin/sh
# Install what slsim needs to build and test, when pkg-config cannot find it.
# Debian package names; exits 2 with the exact command when it needs root and has none.
set -eu

need=""
command -v cc >/dev/null 2>&1 || need="$need gcc make"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
have() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
have gsl       || need="$need libgsl-dev"
have yaml-0.1  || need="$need libyaml-dev"
have libcjson  || need="$need libcjson-dev"
have criterion || need="$need libcriterion-dev"
# Open MPI, for `mpirun -np N slsim sweep` (slsim builds without it; with it the
# sweep's MPI tests run too).
have ompi-c    || need="$need libopenmpi-dev"
command -v mpirun >/dev/null 2>&1 || need="$need openmpi-bin"
# gnuplot draws --plot (its svg, pngcairo and pdfcairo terminals, with a DejaVu font);
# the tests check its pictures with xmllint and pdfinfo.
command -v gnuplot >/dev/null 2>&1 || need="$need gnuplot-nox"
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need="$need fonts-dejavu-core"
command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
command -v pdfinfo >/dev/null 2>&1 || need="$need poppler-utils"
# `make fuzz` (and the short fuzz run of `make check`) needs clang with libFuzzer,
# whose runtime Debian ships apart from clang (clang only recommends it).
if ! command -v clang >/dev/null 2>&1; then
    need="$need clang libclang-rt-14-dev"
elif ! "$(dirname "$0")/../tests/fuzz/run.sh" --probe clang; then
    major=$(clang -dumpversion | cut -d. -f1)
    need="$need libclang-rt-${major:-14}-dev"
fi

[ -z "$need" ] && exit 0

cmd="apt-get install -y --no-install-recommends$need"
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "slsim: missing build dependencies:$need" >&2
    echo "slsim: run as root:  apt-get update && $cmd" >&2
    exit 2
fi
echo "slsim: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo $cmd
