#!/bin/sh
# What changed since the last run (issue 14): action ids and first_seen
# stable over two runs of the same data; changes.json / changes.md against
# the previous report folder (latest, or --compare); an unexplained step
# whose event is added to the calendar closes its investigate_step action;
# [output] keep prunes the oldest report folders, never latest's.
. "$HR_TOP/tests/cli/lib.sh"
cd "$T" || exit 1
if ! command -v python3 >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then bad "python3 is not installed (make deps installs it)"; fi
    summary changes
    exit $?
fi
"$HR_BUILD/datasets/gen_fleet" --out fleet --seed 7 --services 6 --days 120 >/dev/null 2>&1 || bad "gen_fleet failed"
cat >c.ini <<'EOI'
[store]
path = store.h5
[ingest]
exports = fleet/exports/*.csv fleet/exports/*.json
[inventory]
path = fleet/inventory.csv
[events]
path = events.csv
[incidents]
path = fleet/incidents.csv
[analysis]
horizon_days = 365
[output]
dir = rep
EOI
cp fleet/events.csv events.csv
# py CHECK DIR...: runs a Python check (stdin) over report folders
py() { if python3 - "$@" >py.out 2>&1; then ok; else bad "$(head -c 900 py.out)"; fi; }

# 1. first run: nothing to compare with, every action new
expect_rc 0 "$H" run --config c.ini --now 2025-04-30T02:15:00Z
py rep/latest <<'EOP'
import json, sys
d = sys.argv[1]
c = json.load(open(d + "/changes.json"))
acts = json.load(open(d + "/capacity.json"))["actions"] + json.load(open(d + "/problems.json"))["actions"]
assert sorted(c) == ["actions", "incidents_new", "previous", "saturation_moved"], sorted(c)
assert sorted(c["actions"]) == ["closed", "new", "open"], c["actions"]
assert c["previous"] is None, c["previous"]
ids = [a["id"] for a in acts]
assert len(ids) > 5 and len(set(ids)) == len(ids), ids
assert sorted(c["actions"]["new"]) == sorted(ids) and c["actions"]["open"] == [] and c["actions"]["closed"] == []
assert any(a["rule"] == "investigate_step" for a in acts)
for a in acts:
    assert a["id"].startswith(a["rule"] + "-") and a["first_seen"] == "2025-04-30", a
EOP
grep -q 'No previous report folder' rep/latest/changes.md && ok || bad "changes.md: first run not said"
d1=$(readlink rep/latest)

# 2. the same data a day later: no new and no closed actions; ids and
# first_seen unchanged; both HTML reports open with the changes
expect_rc 0 "$H" run --config c.ini --now 2025-05-01T02:15:00Z
d2=$(readlink rep/latest)
py "rep/$d1" "rep/$d2" <<'EOP'
import json, sys
def acts(d):
    return {a["id"]: a for a in json.load(open(d + "/capacity.json"))["actions"] + json.load(open(d + "/problems.json"))["actions"]}
a1, a2 = acts(sys.argv[1]), acts(sys.argv[2])
c = json.load(open(sys.argv[2] + "/changes.json"))
assert c["previous"] == sys.argv[1].split("/")[-1], c["previous"]
assert c["actions"]["new"] == [] and c["actions"]["closed"] == [], c["actions"]
assert sorted(c["actions"]["open"]) == sorted(a1) == sorted(a2)
assert c["saturation_moved"] == [] and c["incidents_new"] == [], c
for k in a1:
    assert (a1[k]["first_seen"], a1[k]["title"]) == (a2[k]["first_seen"], a2[k]["title"]), k
EOP
for f in capacity.html problems.html; do
    grep -q '<section id="changes">' rep/latest/$f && ok || bad "$f: no changes section"
    awk '/<main>/{getline; print; exit}' rep/latest/$f | grep -q '<section id="changes">' && ok || bad "$f does not open with the changes"
done
grep -q "Compared with the report folder \`$d1\`" rep/latest/changes.md && ok || bad "changes.md: previous not named"

# 3. --compare DIR: first_seen carries over from the folder compared with
cp -R "rep/$d2" old
python3 - old/capacity.json old/problems.json <<'EOP'
import json, sys
for p in sys.argv[1:]:
    d = json.load(open(p))
    for a in d["actions"]:
        a["first_seen"] = "2025-01-15"
    json.dump(d, open(p, "w"))
EOP
expect_rc 0 "$H" run --config c.ini --now 2025-05-02T02:15:00Z --compare old
py rep/latest <<'EOP'
import json, sys
d = sys.argv[1]
c = json.load(open(d + "/changes.json"))
assert c["previous"] == "old", c["previous"]
for a in json.load(open(d + "/capacity.json"))["actions"] + json.load(open(d + "/problems.json"))["actions"]:
    assert a["first_seen"] == "2025-01-15", a
EOP
expect_rc 66 "$H" run --config c.ini --now 2025-05-02T03:15:00Z --compare nowhere
expect_err "nowhere/capacity.json: cannot read"

# 4. the step of 2025-02-18 in checkout gets its event: its investigate
# actions close, nothing else is new
printf '2025-02-18,checkout: cache cluster resize,service=checkout,\n' >>events.csv
expect_rc 0 "$H" run --config c.ini --now 2025-05-03T02:15:00Z
d4=$(readlink rep/latest)
py rep/latest <<'EOP'
import json, sys
d = sys.argv[1]
c = json.load(open(d + "/changes.json"))
acts = json.load(open(d + "/capacity.json"))["actions"]
closed = c["actions"]["closed"]
assert closed and all(i.startswith("investigate_step-") for i in closed), closed
assert not any(a["rule"] == "investigate_step" and "checkout" in a["title"] for a in acts)
assert not any(i.startswith("investigate_step-") for i in c["actions"]["new"]), c["actions"]["new"]
EOP
grep -q 'investigate_step-' rep/latest/changes.md && ok || bad "changes.md lacks the closed action"
grep -A12 '<section id="changes">' rep/latest/capacity.html | grep -q 'Closed' && ok || bad "capacity.html: closed not shown"

# 5. a broken previous folder: a warning, compared with nothing
echo '{' >"rep/$d4/capacity.json"
expect_rc 0 "$H" run --config c.ini --now 2025-05-04T02:15:00Z
expect_err "capacity.json:"
grep -q '"previous": null' rep/latest/changes.json && ok || bad "broken previous: previous not null"

# 6. [output] keep = 2: the two newest folders stay, and the one latest
# points to even when it is not among them; other files are left alone
printf 'keep = 2\n' >>c.ini   # [output] is the last section
: >rep/notes.txt
mkdir rep/scratch
expect_rc 0 "$H" run --config c.ini --now 2025-05-05T02:15:00Z
n=$(ls rep | grep -c '^2025')
[ "$n" = 2 ] && ok || bad "keep = 2 left $n report folders: $(ls rep)"
[ -e rep/notes.txt ] && [ -d rep/scratch ] && ok || bad "keep removed something not a report folder"
expect_rc 0 "$H" run --config c.ini --now 2025-04-01T00:00:00Z
[ "$(readlink rep/latest)" = 20250401T000000Z ] && ok || bad "latest -> $(readlink rep/latest)"
ls rep | grep '^2025' >left
printf '20250401T000000Z\n20250504T021500Z\n20250505T021500Z\n' >want
expect_same want left
summary changes
