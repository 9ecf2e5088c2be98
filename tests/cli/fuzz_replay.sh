#!/bin/sh
# The fuzz corpus and every crash reproducer, replayed: each harness of
# tests/fuzz/ linked with tests/fuzz/replay.c by the normal compiler
# ($HR_BUILD/fuzz/replay_TARGET; under `make asan` with the sanitizers)
# runs over tests/fuzz/corpus/TARGET/ and tests/fuzz/crashes/TARGET/.
# One check per target: it fails on a non-zero exit, a missing replay
# binary, or a sanitizer report on stderr.
. "$HR_TOP/tests/cli/lib.sh"
cd "$HR_TOP" || exit 1
for src in tests/fuzz/fuzz_*.c; do
    t=$(basename "$src" .c)
    bin="$HR_BUILD/fuzz/replay_$t"
    if [ ! -x "$bin" ]; then
        bad "$t: no replay binary $bin"
        continue
    fi
    set --
    for f in tests/fuzz/corpus/"$t"/* tests/fuzz/crashes/"$t"/*; do
        [ -f "$f" ] && set -- "$@" "$f"
    done
    if [ $# = 0 ]; then
        bad "$t: no corpus in tests/fuzz/corpus/$t"
        continue
    fi
    # leaks inside libhdf5 on corrupted stores are HDF5's (tests/fuzz/lsan.supp)
    LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$HR_TOP/tests/fuzz/lsan.supp" \
        "$bin" "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ $rc != 0 ] || grep -qE 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:' "$T/err"; then
        bad "$t: replay of $# inputs: exit $rc; $(grep -E 'ERROR|runtime error|SUMMARY' "$T/err" | head -3)"
    else
        ok
    fi
done
summary fuzz_replay
