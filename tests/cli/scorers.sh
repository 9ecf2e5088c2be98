#!/bin/sh
# The benchmark scorers against hand-computed cases: NAB (bench/nab.c) and
# TCPD F1/Cover (bench/tcpd.c). Their own --selftest modes print
# "<name>: N passed, N failed"; this script adds their counts.
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
summary scorers
