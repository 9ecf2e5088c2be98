#!/bin/sh
# Runs libFuzzer harnesses (`make fuzz`): each target SECONDS seconds over
# a fresh copy of its corpus tests/fuzz/corpus/TARGET/, crash reproducers
# into tests/fuzz/crashes/TARGET/, then one line per target:
#   TARGET: EXECS execs in S s (EXECS/S per s), corpus N -> M files, findings: ...
# and the total. Exits 1 when any target found something.
# Usage: tests/fuzz/run.sh BUILD SECONDS TARGET...
set -u
build=$1; secs=$2; shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
work="$build/fuzz/work"
status=0
for t in "$@"; do
    bin="$build/fuzz/$t"
    if [ ! -x "$bin" ]; then
        echo "$t: not built ($bin)" >&2; status=1; continue
    fi
    rm -rf "$work/$t"
    mkdir -p "$work/$t/corpus" "tests/fuzz/crashes/$t"
    [ -d "tests/fuzz/corpus/$t" ] && cp tests/fuzz/corpus/"$t"/* "$work/$t/corpus/" 2>/dev/null
    n0=$(ls "$work/$t/corpus" | wc -l)
    ls "tests/fuzz/crashes/$t" >"$work/$t/before"
    # one process, no forking: -rss_limit_mb guards memory, -timeout hangs;
    # OMP_NUM_THREADS=1 keeps the harnesses to one core (fuzz_csv_long sets
    # its own two threads) and passive waiting keeps idle OpenMP threads
    # from spinning; a small ASan quarantine and no malloc fill double the
    # rate of the readers, whose per-file buffers (64 KiB head, zlib's
    # 128 KiB) dominate a small input
    ASAN_OPTIONS=${ASAN_OPTIONS:-max_malloc_fill_size=0:quarantine_size_mb=16} \
    LSAN_OPTIONS=suppressions=$top/tests/fuzz/lsan.supp \
    OMP_NUM_THREADS=1 OMP_WAIT_POLICY=passive "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="tests/fuzz/crashes/$t/" "$work/$t/corpus" >"$work/$t/log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" | tail -n 1)
    n1=$(ls "$work/$t/corpus" | wc -l)
    ls "tests/fuzz/crashes/$t" >"$work/$t/after"
    new=$(comm -13 "$work/$t/before" "$work/$t/after" | sed "s|^|tests/fuzz/crashes/$t/|" | tr '\n' ' ')
    [ -d "tests/fuzz/crashes/$t" ] && rmdir "tests/fuzz/crashes/$t" 2>/dev/null
    if [ -n "$new" ]; then
        find="$(echo $new | wc -w) ($new)"; status=1
    elif [ $rc != 0 ]; then
        find="exit $rc without a reproducer, see $work/$t/log"; status=1
    else
        find="none"
    fi
    execs=${execs:-0}
    line="$t: $execs execs in $secs s ($((execs / (secs > 0 ? secs : 1)))/s), corpus $n0 -> $n1 files, findings: $find"
    echo "$line"
done
exit $status
