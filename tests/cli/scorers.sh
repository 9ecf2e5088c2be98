#!/bin/sh
# The benchmark scorers against hand-computed cases: NAB (bench/nab.c) and
# TCPD F1/Cover (bench/tcpd.c). Their own --selftest modes print
# "<name>: N passed, N failed"; this script adds their counts. Then the
# synthetic change-point set (bench/cpsynth.c): the same seed writes the
# same files, another seed other ones, and bench/tcpd reads and scores it.
. "$HR_TOP/tests/cli/lib.sh"
for b in nab tcpd; do
    "$HR_BUILD/bench/$b" --selftest >"$T/st" 2>&1; rc=$?
    line=$(grep ' passed, [0-9]* failed$' "$T/st" | tail -n 1)
    p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ] || [ "$rc" != 0 ]; then bad "$b --selftest: exit $rc: $(tail -3 "$T/st")"; continue; fi
    pass=$((pass + p)); fail=$((fail + f))
    [ "$f" = 0 ] || bad "$b --selftest: $line"
done

G="$HR_BUILD/bench/cpsynth"
if "$G" --seed 5 "$T/cs1" >/dev/null && "$G" --seed 5 "$T/cs2" >/dev/null && "$G" --seed 6 "$T/cs3" >/dev/null; then
    ok
    if diff -r "$T/cs1" "$T/cs2" >/dev/null; then ok; else bad "cpsynth --seed 5 differs between runs"; fi
    if diff -q "$T/cs1/annotations.json" "$T/cs3/annotations.json" >/dev/null; then bad "cpsynth: seeds 5 and 6 give the same truth"; else ok; fi
    n=$(ls "$T/cs1/csv" | wc -l)
    if [ "$n" = 80 ]; then ok; else bad "cpsynth: $n series, want 80"; fi
    if "$HR_BUILD/bench/tcpd" --no-speed "$T/cs1" >"$T/sc" 2>&1 && grep -q '^mean .*(80 series)$' "$T/sc" &&
        grep -q '^series without a change given a break: [0-9]* of 24$' "$T/sc"; then ok; else bad "tcpd on cpsynth: $(tail -3 "$T/sc")"; fi
else
    bad "cpsynth failed"
fi
summary scorers
