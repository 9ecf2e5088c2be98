#!/bin/sh
# Crash safety: `kill -9` an ingest at many moments (while reading, merging,
# writing the temporary file, around the rename); the store must always be
# readable and hold either the old data (A) or the new (A+B), never a mix,
# and the next normal run must finish the job. Kill times are fractions of
# a measured uninterrupted run, so the test scales to slow (ASan) builds;
# half of the kills are aimed at the write phase by waiting for STORE.tmp.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

now_ms() { echo $(($(date +%s%N) / 1000000)); }
secs() { awk -v ms="$1" -v f="$2" 'BEGIN { printf "%.3f", ms * f / 1000 }'; }

# A: 200 series x 100 points on day 1. B: 2000 series x 200 points on day 2
# (the first 200 continue A's series, the rest are new).
awk 'BEGIN { print "timestamp,series,value"
             for (s = 0; s < 200; s++) for (i = 0; i < 100; i++)
                 printf "%d,s%04d,%d.5\n", 1717200000 + 60 * i, s, (7 * s + i) % 97 }' >A.csv
awk 'BEGIN { print "timestamp,series,value"
             for (s = 0; s < 2000; s++) for (i = 0; i < 200; i++)
                 printf "%d,s%04d,%d.25\n", 1717286400 + 60 * i, s, (3 * s + i) % 89 }' >B.csv

# reference states
expect_rc 0 "$H" ingest --store A.h5 A.csv
expect_no_err
"$H" dump A.h5 >A.dump || bad "dump of A failed"
cp A.h5 AB.h5
t0=$(now_ms)
expect_rc 0 "$H" ingest --store AB.h5 B.csv
t1=$(now_ms)
expect_no_err
D=$((t1 - t0))
[ "$D" -gt 0 ] || D=1
"$H" dump AB.h5 >AB.dump || bad "dump of A+B failed"
if cmp -s A.dump AB.dump; then bad "A and A+B dumps are identical: the test proves nothing"; else ok; fi
if [ "$(wc -l <AB.dump)" = $((1 + 200 * 100 + 2000 * 200)) ]; then ok; else bad "A+B dump has $(wc -l <AB.dump) lines"; fi

n_a=0; n_ab=0; k=0; seen=
# time-based kills (fractions of D), then kills aimed at the write phase
# (extra delay, as a fraction of D, after STORE.tmp appears)
for spec in t:0.05 t:0.2 t:0.4 t:0.6 t:0.75 t:0.85 t:0.92 t:0.98 t:1.1 \
            w:0 w:0.02 w:0.05 w:0.1 w:0.15 w:0.2; do
    k=$((k + 1))
    mode=${spec%%:*}; f=${spec#*:}
    cp A.h5 S.h5
    [ "$mode" = w ] && rm -f S.h5.tmp
    "$H" ingest --store S.h5 B.csv >/dev/null 2>"$T/bg.err" &
    pid=$!
    if [ "$mode" = t ]; then
        sleep "$(secs "$D" "$f")"
    else
        i=0
        while [ ! -e S.h5.tmp ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 5000000 ]; do i=$((i + 1)); done
        [ "$f" = 0 ] || sleep "$(secs "$D" "$f")"
    fi
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null; rc=$?
    case $rc in
        0|137) ok ;;
        *) bad "kill $k ($spec): ingest exited $rc before the kill: $(head -c 300 "$T/bg.err")" ;;
    esac
    "$H" dump S.h5 >S.dump 2>"$T/dump.err"; r=$?
    if [ $r != 0 ]; then
        bad "kill $k ($spec): dump after kill -9 exited $r: $(head -c 300 "$T/dump.err")"
    elif cmp -s S.dump A.dump; then
        ok; n_a=$((n_a + 1)); seen="$seen $spec=A"
    elif cmp -s S.dump AB.dump; then
        ok; n_ab=$((n_ab + 1)); seen="$seen $spec=AB"
    else
        bad "kill $k ($spec): store is neither A nor A+B ($(wc -l <S.dump) dump lines)"
    fi
done
echo "kill: D=${D}ms; after kill -9 the store held A $n_a times and A+B $n_ab times:$seen"

# the next normal run completes the job, despite a leftover S.h5.tmp
expect_rc 0 "$H" ingest --store S.h5 B.csv
expect_no_err
"$H" dump S.h5 >S.dump 2>"$T/dump.err"; r=$?
if [ $r = 0 ] && cmp -s S.dump AB.dump; then ok; else bad "final ingest: dump (exit $r) differs from A+B"; fi
expect_same AB.h5 S.h5
if [ -e S.h5.tmp ]; then bad "S.h5.tmp left behind by a completed run"; else ok; fi
# and a further run changes nothing
expect_rc 0 "$H" ingest --store S.h5 A.csv B.csv
expect_no_err
expect_same AB.h5 S.h5

summary kill
