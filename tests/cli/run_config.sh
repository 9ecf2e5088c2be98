#!/bin/sh
# headroom run: configuration errors (exit 78 with file:line), missing
# inputs (66), bad tables (65), output layout, and byte-identical reports
# at 1 and 4 threads. Uses the small bundled sample exports.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1
S=$HR_TOP/datasets/sample
cat >ok.ini <<EOF
[store]
path = $T/s.h5
[ingest]
exports = $S/*.csv
exports = $S/*.json
[inventory]
path = $T/inv.csv
[events]
path = $T/ev.csv
[analysis]
horizon_days = 400
[output]
dir = $T/rep
EOF
cat >inv.csv <<'EOF'
series,capacity,target_utilization
"cpu_utilisation_pct{host=""web-03"",service=""search""}",100,0.8
mem_used_bytes{host="web-01"},9e9,0.85
not_there,5,0.5
EOF
cat >ev.csv <<'EOF'
date,name,scope,expected_change_pct
2024-07-01,search launch,"cpu_utilisation_pct{host=""web-03""",20
2024-05-01,old,cpu,
EOF

# a good run: exit 0, the five reports, latest link
expect_rc 0 "$H" run --config ok.ini
if grep -q 'not_there' "$T/err"; then ok; else bad "no warning for an inventory series without data"; fi
for f in capacity.html capacity.json capacity.md problems.html problems.json problems.md summary.csv; do
    if [ -s rep/latest/$f ]; then ok; else bad "rep/latest/$f missing"; fi
done
d1=$(readlink rep/latest)
case "$d1" in [0-9]*T[0-9]*Z) ok ;; *) bad "latest -> '$d1' is not a stamp" ;; esac
grep -q '"as_of": "2024-06-14T23:00:00Z"' rep/latest/capacity.json && ok || bad "as_of not the last data point"
grep -q '"inventory_without_data"' rep/latest/capacity.json && ok || bad "inventory_without_data missing"
grep -q '"name": "search launch"' rep/latest/capacity.json && ok || bad "planned event not attached"
if grep -q '"old"' rep/latest/capacity.json; then bad "past event listed as planned"; else ok; fi
if grep -qi 'nan' rep/latest/capacity.json rep/latest/problems.json; then bad "NaN in JSON"; else ok; fi

# --out overrides [output] dir; runs at 1 and 4 threads give identical
# bytes; --now pins the run's clock (the stamp and the header line on the
# data's age), without it only that line differs between runs
OMP_NUM_THREADS=1 "$H" run --config ok.ini --out "$T/o1" --now 2024-06-15T02:15:00Z 2>/dev/null
OMP_NUM_THREADS=4 "$H" run --config ok.ini --out "$T/o4" --now 1718417700 2>/dev/null
[ "$(readlink o1/latest)" = 20240615T021500Z ] && ok || bad "--now: latest -> '$(readlink o1/latest)'"
for f in capacity.html capacity.json capacity.md problems.html problems.json problems.md summary.csv; do
    expect_same o1/latest/$f o4/latest/$f
    grep -v 'Newest data ' o1/latest/$f >o1.$f
    grep -v 'Newest data ' rep/latest/$f >rep.$f
    expect_same o1.$f rep.$f
done
grep -qF 'Newest data 3.2 h before this run (2024-06-15T02:15:00Z).' o1/latest/capacity.md && ok || bad "capacity.md: no data age line"
grep -qF '<p class="meta">Newest data 3.2 h before this run (2024-06-15T02:15:00Z).</p>' o1/latest/problems.html && ok ||
    bad "problems.html: no data age line"
if grep -q 'Newest data\|before this run' o1/latest/*.json o1/latest/summary.csv; then bad "the run's clock in JSON or CSV"; else ok; fi
"$H" run --config ok.ini --out "$T/o5" --now 2024-06-20T00:00:00Z 2>/dev/null
grep -qF 'Newest data 5.0 d before this run (2024-06-20T00:00:00Z), more than stale_after (2.0 d): are the exports still arriving?' \
    o5/latest/capacity.md && ok || bad "capacity.md: old data not flagged: $(grep 'Newest' o5/latest/capacity.md)"
"$H" run --config ok.ini --out "$T/o5" --now 2024-06-14T21:00:00Z 2>/dev/null
grep -qF 'Newest data 2.0 h after this run'"'"'s clock (2024-06-14T21:00:00Z)' o5/latest/problems.md && ok ||
    bad "problems.md: data from the future not flagged: $(grep 'Newest' o5/latest/problems.md)"
for v in yesterday 2024-13-01 0; do
    expect_rc 64 "$H" run --config ok.ini --now "$v"
    expect_err "--now: want an RFC 3339 time or epoch seconds, got '$v'"
done
# a second run in the same folder makes a new directory and moves latest
"$H" run --config ok.ini --out "$T/o1" 2>/dev/null
n=$(ls -d o1/2* | wc -l)
[ "$n" = 2 ] && ok || bad "want 2 report directories in o1, got $n"
[ "$(readlink o1/latest)" != "$(readlink o4/latest)" ] || [ "$n" = 2 ] && ok || bad "latest not moved"

# --print-config shows the effective values
expect_rc 0 "$H" run --config ok.ini --print-config
expect_out "horizon_days = 400"
expect_out "trend_window_days = 90"
expect_out "on_bad_file = fail"
expect_out "stale_after = 2d"
# the two keys of nights that survive: [ingest] on_bad_file, [input] stale_after
sed 's/^\[analysis\]/[input]\nstale_after = 36h\n[analysis]/; s/^\[inventory\]/on_bad_file = skip\n[inventory]/' ok.ini >keys.ini
expect_rc 0 "$H" run --config keys.ini --print-config
expect_out "on_bad_file = skip"
expect_out "stale_after = 36h"
printf '[store]\npath = x.h5\n[input]\nstale_after = 90m\n[ingest]\non_bad_file = fail\n' >keys2.ini
expect_rc 0 "$H" run --config keys2.ini --print-config
expect_out "stale_after = 90m"
expect_out "on_bad_file = fail"

# configuration errors: 78 with file:line
printf '[store]\npath = x.h5\n[analysis]\nhorizon_dayz = 3\n' >bad1.ini
expect_rc 78 "$H" run --config bad1.ini
expect_err 'headroom: error: bad1.ini:4: unknown key "horizon_dayz" in [analysis]'
printf '[store]\npath = x.h5\n[analysis]\nhorizon_days = -3\n' >bad2.ini
expect_rc 78 "$H" run --config bad2.ini
expect_err 'bad2.ini:4: [analysis] horizon_days: want 1 to 3650, got "-3"'
printf '[store]\npath = x.h5\n[nonsense]\na = 1\n' >bad3.ini
expect_rc 78 "$H" run --config bad3.ini
expect_err 'bad3.ini:4: unknown section [nonsense]'
printf '[analysis]\nhorizon_days = 30\n' >bad4.ini
expect_rc 78 "$H" run --config bad4.ini
expect_err 'bad4.ini: [store] path is required'
printf '[store]\npath = x.h5\nthis is not ini\n' >bad5.ini
expect_rc 78 "$H" run --config bad5.ini
expect_err 'bad5.ini:3: syntax error'
printf '[store]\npath = x.h5\n[slo avail]\nobjective = 100\ngood = a\ntotal = b\n' >bad6.ini
expect_rc 78 "$H" run --config bad6.ini
expect_err 'bad6.ini:4: [slo] objective: want a percentage above 0 and below 100'
sed 's/^\[output\]/[slo avail]\ngood = nope{a="b"}\ntotal = mem_used_bytes{host="web-01"}\nobjective = 99.9\n[output]/' ok.ini >bad7.ini
expect_rc 78 "$H" run --config bad7.ini
expect_err '[slo avail]: series "nope{a="b"}" is not in the store'
printf '[store]\npath = x.h5\n[ingest]\non_bad_file = ignore\n' >bad8.ini
expect_rc 78 "$H" run --config bad8.ini
expect_err 'bad8.ini:4: [ingest] on_bad_file: want fail or skip, got "ignore"'
printf '[store]\npath = x.h5\n[ingest]\non_bad_file =\n' >bad9.ini
expect_rc 78 "$H" run --config bad9.ini
expect_err 'bad9.ini:4: [ingest] on_bad_file: want fail or skip, got ""'
for v in 0 -5h 2x 30s 3651d; do
    printf '[store]\npath = x.h5\n[input]\nstale_after = %s\n' "$v" >bad10.ini
    expect_rc 78 "$H" run --config bad10.ini
    expect_err "bad10.ini:4: [input] stale_after: want a duration from 1m to 3650d (e.g. 48h), got \"$v\""
done
printf '[store]\npath = x.h5\n[input]\nstale_aftr = 4h\n' >bad11.ini
expect_rc 78 "$H" run --config bad11.ini
expect_err 'bad11.ini:4: unknown key "stale_aftr" in [input]'
for v in 0 -1 2.5 abc 100001 ''; do
    printf '[store]\npath = x.h5\n[output]\nkeep = %s\n' "$v" >bad12.ini
    expect_rc 78 "$H" run --config bad12.ini
    expect_err "bad12.ini:4: [output] keep: want a whole number of report folders from 1 to 100000, got \"$v\""
done
printf '[store]\npath = x.h5\n[output]\nkeep = 14\n' >keep.ini
expect_rc 0 "$H" run --config keep.ini --print-config
expect_out "keep = 14"
expect_rc 66 "$H" run --config nonexistent.ini
expect_rc 64 "$H" run
expect_err "headroom: error: --config is required"

# missing exports and tables
sed "s|^exports = $S/\*.json|exports = $T/none/*.json|" ok.ini >miss.ini
expect_rc 66 "$H" run --config miss.ini
expect_err "no file matches \"$T/none/*.json\""
printf 'series,capacity\ncpu,abc\n' >badinv.csv
sed "s|$T/inv.csv|$T/badinv.csv|" ok.ini >badinv.ini
expect_rc 65 "$H" run --config badinv.ini
expect_err 'badinv.csv:2:5: capacity: want a number'
printf 'date,name,scope\n2024-13-45,x,cpu\n' >badev.csv
sed "s|$T/ev.csv|$T/badev.csv|" ok.ini >badev.ini
expect_rc 65 "$H" run --config badev.ini
expect_err 'badev.csv:2:1: no such date'

# the lock: a run while another process holds the store's lock exits 75
# what a killed run left: a half-written report folder, a half-made
# latest link and a STORE.h5.tmp; the next run removes them (holding the
# lock) and says so, and keeps the finished folders and latest
mkdir -p "$T/rep/.20240101T000000Z.partial/postmortems"
echo half >"$T/rep/.20240101T000000Z.partial/capacity.json"
ln -sf nowhere "$T/rep/.latest.tmp"
head -c 100000 /dev/urandom >"$T/s.h5.tmp"
before=$(ls "$T/rep" | grep -vc latest)
expect_rc 0 "$H" run --config ok.ini -v
expect_err "removed 1 report folder a killed run left half written"
if [ -e "$T/rep/.20240101T000000Z.partial" ] || [ -L "$T/rep/.latest.tmp" ] || [ -e "$T/s.h5.tmp" ]; then
    bad "leftovers still there: $(ls -a "$T/rep") $(ls "$T" | grep tmp)"
else ok; fi
[ "$(ls "$T/rep" | grep -vc latest)" = $((before + 1)) ] && ok || bad "finished report folders lost: $(ls "$T/rep")"
[ -d "$T/rep/latest/" ] && ok || bad "latest lost"

# a section or key given twice, a NUL byte: 78 with file:line (list keys
# may repeat: exports above)
printf '[store]\npath = a.h5\n[output]\ndir = o\n[store]\npath = b.h5\n' >dup1.ini
expect_rc 78 "$H" run --config dup1.ini
expect_err "dup1.ini:5: section [store] again (first at line 1): give each section once"
printf '[store]\npath = a.h5\n; a comment\npath = b.h5\n' >dup2.ini
expect_rc 78 "$H" run --config dup2.ini
expect_err 'dup2.ini:4: key "path" again in [store] (first at line 2): give each key once'
printf '[store]\npath = a\000b.h5\n' >nul.ini
expect_rc 78 "$H" run --config nul.ini
expect_err "nul.ini:2: a NUL byte in the configuration"
printf '[store]\npath = x.h5\n[slo a]\nobjective = 99\n[slo b]\nobjective = 99\n[slo a]\nobjective = 98\n' >dup3.ini
expect_rc 78 "$H" run --config dup3.ini --print-config
expect_err "dup3.ini:7: section [slo a] again (first at line 3)"

flock "$T/s.h5.lock" sleep 3 &
sleep 0.3
expect_rc 75 "$H" run --config ok.ini
wait
summary run_config
