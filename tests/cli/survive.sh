#!/bin/sh
# Nights that survive (issue 13): [ingest] on_bad_file = skip publishes
# the night's reports without the bad export, names it with its located
# error in the Data problems section of both reports (md, html, json) and
# exits 2; everything else in the reports is what a night without that
# file gives, byte for byte. on_bad_file = fail (the default) keeps the
# all-or-nothing rule. A series that stopped 3 days before the others is
# listed as stale and gets no saturation date or order.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1
NOW=2025-04-01T03:00:00Z
"$HR_BUILD/datasets/gen_fleet" --out fleet --seed 7 --services 3 --days 90 >/dev/null || bad "gen_fleet failed"
mv fleet/exports exports
mkdir good
cp exports/* good/
# a good start, then a quote never closed at the end: the rows before it
# (one of a series the other files have, one of a new series) must not land
printf 'timestamp,series,value\n2025-03-31T23:00:00Z,cpu_used_cores{service="checkout"},99\n2025-03-01T00:00:00Z,ghost,1\n2025-03-01T01:00:00Z,"ghost,2\n' \
    >exports/zz_broken.csv
BAD='exports/zz_broken.csv:4:22: quoted field never closed (the file ends inside its quotes)'
# python3 (make deps installs it) checks the JSON and the Markdown against
# it; without it those checks are skipped, except under CI=true
have_py() {
    command -v python3 >/dev/null 2>&1 && return 0
    if [ "${CI:-}" = true ]; then bad "python3 is not installed (make deps installs it)"; else
        echo "survive: python3 not installed: $1 skipped" >&2; fi
    return 1
}
# md_json DIR: the Markdown reports agree with the JSON (data problems too)
md_json() {
    have_py "md-json $1" || return 0
    if python3 "$HR_TOP/tools/report_check.py" md-json "$1" >mj.out 2>mj.err; then ok; else bad "md-json $1: $(head -5 mj.err)"; fi
}
# ini NAME EXPORTS [INGEST-LINES]: a config with its own store and output
ini() {
    cat >"$1.ini" <<EOF
[store]
path = $1.h5
[ingest]
exports = $2
$3
[inventory]
path = fleet/inventory.csv
[events]
path = fleet/events.csv
[output]
dir = $1
EOF
}
files="capacity.html capacity.json capacity.md problems.html problems.json problems.md summary.csv"
# strip FILE: the report without its data problems (Markdown section,
# HTML section and table-of-contents entry, JSON key)
strip() {
    case $1 in
    *.md) awk '/^## / { skip = ($0 == "## Data problems") } !skip' "$1" ;;
    *.html) sed -e '/^<section id="data-problems">$/,/^<\/section>$/d' \
                -e 's|<a href="#data-problems">Data problems</a>||' "$1" ;;
    *.json) sed '/^  "data_problems": {$/,/^  },$/d' "$1" ;;
    *) cat "$1" ;;
    esac
}

# ---- skip: one bad file among good ones ---------------------------------
ini skip 'exports/*.csv exports/*.json' 'on_bad_file = skip'
ini ref 'good/*.csv good/*.json'
expect_rc 2 "$H" run --config skip.ini --now $NOW
expect_err "headroom: error: $BAD"
expect_err "headroom: warning: reports written to skip/20250401T030000Z without 1 skipped input file (see Data problems)"
expect_rc 0 "$H" run --config ref.ini --now $NOW
expect_no_err
for f in $files; do
    if [ -s skip/latest/$f ]; then ok; else bad "skip/latest/$f missing"; fi
done
[ "$(readlink skip/latest)" = 20250401T030000Z ] && ok || bad "skip: latest -> '$(readlink skip/latest)'"
# named, with its located error, first in both reports, in every format
for r in capacity problems; do
    md=skip/latest/$r.md html=skip/latest/$r.html json=skip/latest/$r.json
    grep -qxF "| \`exports/zz_broken.csv\` | $BAD |" $md && ok || bad "$r.md: no row for the skipped file: $(grep -A8 'Data problems' $md)"
    first=$(grep -m1 '^## ' $md)
    [ "$first" = "## Data problems" ] && ok || bad "$r.md opens with '$first'"
    grep -qF '### Skipped files' $md && ok || bad "$r.md: no Skipped files"
    grep -qF "<tr><td><code>exports/zz_broken.csv</code></td><td class=\"w\">$BAD</td></tr>" $html && ok ||
        bad "$r.html: no row for the skipped file"
    dp=$(grep -n 'id="data-problems"' $html | head -1 | cut -d: -f1)
    sm=$(grep -n 'id="summary"' $html | head -1 | cut -d: -f1)
    [ -n "$dp" ] && [ -n "$sm" ] && [ "$dp" -lt "$sm" ] && ok || bad "$r.html: data problems ($dp) not before the summary ($sm)"
    grep -qF '<nav class="toc"><a href="#data-problems">Data problems</a>' $html && ok || bad "$r.html: not in the contents"
    grep -qF '"path": "exports/zz_broken.csv"' $json && ok || bad "$r.json: skipped file not named"
    grep -qF "\"error\": \"$BAD\"" $json && ok || bad "$r.json: located error missing"
    grep -qF '"first_rejected_row": null' $json && ok || bad "$r.json: first_rejected_row"
done
md_json skip/latest
# ... and the rest of the night's reports is the night without the file
for f in $files; do
    strip skip/latest/$f >s.$f
    strip ref/latest/$f >r.$f
    expect_same s.$f r.$f
    if [ $f = summary.csv ]; then continue; fi
    if cmp -s skip/latest/$f ref/latest/$f; then bad "$f: no data problems in the skip run"; else ok; fi
done
grep -q 'Data problems' ref/latest/capacity.md ref/latest/problems.html && bad "data problems shown without any" || ok
grep -q '"skipped_files": \[\],\{0,1\}$' ref/latest/capacity.json && ok || bad "ref: skipped_files not an empty list"
if grep -q ghost skip/latest/*.json skip/latest/summary.csv; then bad "a row of the skipped file was stored"; else ok; fi
"$H" dump skip.h5 >skip.dump
"$H" dump ref.h5 >ref.dump
expect_same skip.dump ref.dump

# a file over its share of rejected rows: the first rejected row is given
printf 'timestamp,series,value\n2025-03-01T00:00:00Z,pct,45.2%%\n2025-03-01T01:00:00Z,pct,46\n' >exports/yy_units.csv
expect_rc 2 "$H" run --config skip.ini --now $NOW
expect_err "without 2 skipped input files"
md=skip/latest/capacity.md
grep -qF '2 exports failed and were left out whole' $md && ok || bad "capacity.md: count of skipped files"
grep -qF '| `exports/yy_units.csv` | exports/yy_units.csv: 1 of 2 rows rejected (50.00%), over the limit of 1%: file not ingested; first rejected row: exports/yy_units.csv:2:26: ' $md &&
    ok || bad "capacity.md: the share failure without its first rejected row: $(grep yy_units $md)"
grep -qF '"first_rejected_row": "exports/yy_units.csv:2:26: ' skip/latest/problems.json && ok || bad "problems.json: first_rejected_row"
# input order: yy before zz
a=$(grep -n '"path": "exports/yy_units.csv"' skip/latest/problems.json | cut -d: -f1)
b=$(grep -n '"path": "exports/zz_broken.csv"' skip/latest/problems.json | cut -d: -f1)
[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] && ok || bad "skipped files not in input order"
md_json skip/latest
rm exports/yy_units.csv

# ---- fail (the default, and said explicitly): today's behaviour ---------
for mode in '' 'on_bad_file = fail'; do
    rm -rf fail fail.h5
    ini fail 'good/*.csv good/*.json' "$mode"
    expect_rc 0 "$H" run --config fail.ini --now 2025-04-01T01:00:00Z
    first=$(readlink fail/latest)
    "$H" dump fail.h5 >before.dump
    ini fail 'exports/*.csv exports/*.json' "$mode"
    expect_rc 65 "$H" run --config fail.ini --now $NOW
    expect_err "headroom: error: $BAD"
    expect_err "not changed: 1 of 4 files failed"
    [ "$(readlink fail/latest)" = "$first" ] && ok || bad "fail ($mode): latest moved to $(readlink fail/latest)"
    n=$(ls -A fail | wc -l)
    [ "$n" = 2 ] && ok || bad "fail ($mode): want the first report directory and latest, got: $(ls -a fail)"
    "$H" dump fail.h5 >after.dump
    expect_same before.dump after.dump
done
rm exports/zz_broken.csv

# ---- stale: one series ends 3 days before the others --------------------
MEM='mem_used_bytes{service="checkout"}'
awk -F, '!($2 == "mem_used_bytes" && $3 == "checkout" && $1 > "2025-03-28T23:00:00Z")' good/cpu_mem_disk.csv \
    >exports/cpu_mem_disk.csv
ini stale 'exports/*.csv exports/*.json'
expect_rc 0 "$H" run --config stale.ini --now $NOW
j=stale/latest/capacity.json
if have_py "the stale JSON checks"; then
python3 - "$j" "$MEM" >py.out 2>&1 <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
dp = j["data_problems"]
assert dp["stale_after_s"] == 172800, dp
assert dp["stale_series"] == [{"series": sys.argv[2], "last_point": "2025-03-28T23:00:00Z", "age_s": 259200,
                               "status_at_last_point": "saturated"}], dp
r = [x for x in j["resources"] if x["series"] == sys.argv[2]][0]
assert r["stale"] is True and r["last_point"] == "2025-03-28T23:00:00Z", r["stale"]
s, rec = r["saturation"], r["recommendation"]
assert s["status"] == "stale" and s["p10"] is s["p50"] is s["p90"] is None, s
assert s["forecast_peak_at_horizon"] is None, s
assert rec["order_by"] is None and rec["units_to_add"] is None and not rec["order_overdue"], rec
assert r["chart"]["forecast_peak_median"] == [], r["chart"]
assert all(sys.argv[2] not in json.dumps(a) for a in j["actions"] if a["rule"] in ("order_capacity", "reclaim_capacity"))
assert all(x["stale"] is False for x in j["resources"] if x["series"] != sys.argv[2])
p = json.load(open(sys.argv[1].replace("capacity", "problems")))
assert p["data_problems"] == dp, p["data_problems"]
EOF
[ $? = 0 ] && ok || bad "stale: capacity.json: $(tail -3 py.out)"
fi
md_json stale/latest
for r in capacity problems; do
    grep -qxF "| \`$MEM\` | 2025-03-28T23:00:00Z | 3.0 d | saturated |" stale/latest/$r.md && ok || bad "$r.md: stale series not listed"
    grep -qF '1 series ends more than 2.0 d before the newest data (as of 2025-03-31T23:00:00Z)' stale/latest/$r.md && ok ||
        bad "$r.md: stale series sentence"
    grep -qF '<h3>Stale series</h3>' stale/latest/$r.html && ok || bad "$r.html: no Stale series"
done
grep -qF "| \`$MEM\` | stale | " stale/latest/capacity.md && ok || bad "capacity.md: resource row not marked stale"
grep -qF '<span class="st-stale">stale</span>' stale/latest/capacity.html && ok || bad "capacity.html: resource not marked stale"
grep -q '^"mem_used_bytes{service=""checkout""}",.*,stale,,,,,,no,[0-9]*$' stale/latest/summary.csv && ok ||
    bad "summary.csv: not stale: $(grep checkout stale/latest/summary.csv | grep mem)"
if grep -F "$MEM" stale/latest/capacity.md | grep -q 'Order\|order by'; then bad "an order from stale data"; else ok; fi
# the same series, fresh enough under a longer stale_after: dated, ordered
ini stale2 'exports/*.csv exports/*.json'
printf '[input]\nstale_after = 4d\n' >>stale2.ini
expect_rc 0 "$H" run --config stale2.ini --now $NOW
grep -qF '"stale_series": []' stale2/latest/capacity.json && ok || bad "stale_after = 4d: still stale"
grep -F "$MEM" stale2/latest/capacity.md | grep -q '| saturated |' && ok || bad "stale_after = 4d: not saturated"
grep -F "$MEM" stale2/latest/capacity.md | grep -q "^| [0-9-]* (overdue) | \`" && ok || bad "stale_after = 4d: no order"
summary survive
