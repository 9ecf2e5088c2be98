#!/bin/sh
# Golden reports: `headroom run` on a small generated fleet (tools/golden.sh)
# must give byte for byte the nine files and postmortems/ in tests/golden/,
# at 1 and 3 threads, and the drafts pass tools/postmortem_check.py.
# `make golden` regenerates them after a deliberate change.
. "$HR_TOP/tests/cli/lib.sh"
G=$HR_TOP/tests/golden
for th in 1 3; do
    rm -rf "$T/g$th"
    if OMP_NUM_THREADS=$th sh "$HR_TOP/tools/golden.sh" "$HR_BUILD" "$HEADROOM" "$T/g$th"; then ok; else bad "golden run failed"; fi
    for f in capacity.html capacity.json capacity.md problems.html problems.json problems.md summary.csv \
        changes.json changes.md; do
        if [ ! -f "$G/$f" ]; then bad "tests/golden/$f missing (make golden)"; continue; fi
        if cmp -s "$G/$f" "$T/g$th/rep/latest/$f"; then ok; else
            bad "$f differs from tests/golden/$f at $th threads: $(diff "$G/$f" "$T/g$th/rep/latest/$f" | head -6)"
        fi
    done
    # the postmortem drafts: the same files, byte for byte
    if [ -d "$G/postmortems" ] && diff -r "$G/postmortems" "$T/g$th/rep/latest/postmortems" >"$T/pmdiff" 2>&1; then
        ok
    else
        bad "postmortems/ differs from tests/golden/postmortems at $th threads: $(head -c 600 "$T/pmdiff")"
    fi
done

# the drafts' structure against problems.json and problems.html; then a
# draft with a heading taken out and one too many must fail the checker
if command -v python3 >/dev/null 2>&1; then
    R=$T/g1/rep/latest
    expect_rc 0 python3 "$HR_TOP/tools/postmortem_check.py" "$R"
    grep -h '^postmortem_check:' "$T/out" | sed 's/^/golden: /'
    rm -rf "$T/pm" && cp -R "$(cd "$R" && pwd -P)" "$T/pm"
    d=$(ls "$T/pm/postmortems" | grep '\.md$' | head -n 1)
    sed -i '/^## Detection$/d' "$T/pm/postmortems/$d"
    cp "$T/pm/postmortems/$d" "$T/pm/postmortems/D-9999.md"
    expect_rc 1 python3 "$HR_TOP/tools/postmortem_check.py" "$T/pm"
    if grep -q "headings" "$T/err" && grep -q "D-9999" "$T/err"; then ok; else
        bad "postmortem_check missed a removed heading or a stray draft: $(head -c 400 "$T/err")"
    fi
elif [ "${CI:-}" = true ]; then
    bad "python3 is not installed (make deps installs it)"
fi

# The per-service rollup (reports/services.c) against the rest of the
# reports, computed again by tools/services_check.py; then two cases by
# hand: a service with an overdue order counts it, and an incident whose
# members span two services counts for both.
if command -v python3 >/dev/null 2>&1; then
    if python3 "$HR_TOP/tools/services_check.py" "$G" >"$T/out" 2>"$T/err"; then ok; else
        bad "services_check: $(head -c 600 "$T/err")"
    fi
    if python3 - "$G" >"$T/out" 2>&1 <<'PY'; then ok; else bad "services by hand: $(head -c 600 "$T/out")"; fi
import json, sys
d = sys.argv[1]
cap = json.load(open(d + "/capacity.json"))
pm = json.load(open(d + "/problems.json"))
svc = {s["service"]: s for s in cap["services"]}
over = {r["service"] for r in cap["resources"] if r["status"] == "order_overdue"}
assert over, "the golden fleet has no overdue order"
for n in over:
    assert svc[n]["order_overdue"] >= 1, (n, svc[n])
two = [i for i in pm["incidents"] if len({m["service"] for m in i["members"]}) >= 2]
assert two, "the golden fleet has no incident spanning two services"
for n in {m["service"] for m in two[0]["members"]}:
    assert svc[n]["incidents"][two[0]["level"]] >= 1, (n, two[0]["id"])
# every incident in at least one row, none in more rows than its services
tot = sum(sum(s["incidents"].values()) for s in cap["services"])
assert tot == sum(len({m["service"] for m in i["members"]}) for i in pm["incidents"]), tot
assert tot > len(pm["incidents"]), "no incident counted for two services"
PY
fi
summary golden
