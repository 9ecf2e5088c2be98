#!/bin/sh
# Installs the Debian packages headroom needs and a fresh machine lacks.
# Does nothing (and needs no root) when everything is present.
# Usage: tools/deps.sh [bench|fuzz]   ("bench" adds the peers bench/ compares
# with; "fuzz" adds clang with libFuzzer, its sanitizers and OpenMP for `make fuzz`)
set -eu
# libdeflate: the store's chunks are deflated by it (zlib format, twice
# zlib's speed); HDF5 inflates them with zlib as any deflate chunk
# tzdata: --tz and [input] tz read the zones from /usr/share/zoneinfo
# chromium, python3 and a font: tests/cli/report_view.sh renders the HTML
# reports headless and checks them (tools/report_check.py, stdlib only)
pkgs="build-essential pkg-config libgsl-dev libcsv-dev libhdf5-dev libjansson-dev libinih-dev zlib1g-dev libyajl-dev libdeflate-dev tzdata"
pkgs="$pkgs chromium fonts-dejavu-core python3"
# Open MPI: `make mpi` (./headroom-mpi) and tests/cli/mpi.sh
pkgs="$pkgs libopenmpi-dev openmpi-bin"
[ "${1:-}" = bench ] && pkgs="$pkgs python3-pandas r-cran-forecast time"
[ "${1:-}" = fuzz ] && pkgs="$pkgs clang libclang-rt-dev libomp-dev"
missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "headroom: info: installing Debian packages:$missing" >&2
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "headroom: error: run as root (or install:$missing)" >&2; exit 1
    fi
else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
}
