#!/bin/sh
# Runs every test binary in BUILD/tests and every tests/cli/*.sh script with
# HEADROOM pointing at the binary under test, then prints the total line
# "N passed, N failed" (the line CI reads). Exits 1 on any failure.
# Usage: tests/run.sh BUILD HEADROOM
set -u
build=$1
export HEADROOM="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
export TZ=UTC LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
export HR_TOP="$top"
export HR_BUILD="$top/$build"
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    case "$t" in *.o|*.d) continue ;; esac
    "$t" >"$tmp/out" 2>"$tmp/err"; rc=$?
    cat "$tmp/err" >&2
    cat "$tmp/out"
    tail -n 1 "$tmp/out" >>"$tmp/summary"
    if [ $rc != 0 ]; then
        status=1
        grep -q ' passed, [0-9]* failed$' "$tmp/out" || echo "$(basename "$t"): 0 passed, 1 failed (exit $rc)" >>"$tmp/summary"
    fi
done
for t in tests/cli/*.sh; do
    [ "$(basename "$t")" = lib.sh ] && continue
    [ -f "$t" ] || continue
    sh "$t" >"$tmp/out" 2>"$tmp/err"; rc=$?
    cat "$tmp/err" >&2
    cat "$tmp/out"
    tail -n 1 "$tmp/out" >>"$tmp/summary"
    if [ $rc != 0 ]; then
        status=1
        grep -q ' passed, [0-9]* failed$' "$tmp/out" || echo "$(basename "$t"): 0 passed, 1 failed (exit $rc)" >>"$tmp/summary"
    fi
done
awk '/ passed, [0-9]+ failed/ { for (i = 1; i <= NF; i++) { if ($i == "passed,") p += $(i-1); if ($i == "failed" || $i == "failed,") f += $(i-1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$tmp/summary"
exit $status
