#!/bin/sh
# headroom changepoints and headroom capacity: exact headers and columns,
# series names verbatim, every input kind (long/wide/prometheus/store,
# timestamp,value files, TCPD-style t,<label> files), too-short series,
# usage errors.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

# a year of hourly data with a +30% step on day 200 at 14:00, as long CSV
awk 'BEGIN { srand(7); print "timestamp,series,value"
  for (i = 0; i < 24*365; i++) { t = 1735689600 + 3600*i
    x = 100 * exp(i/720*log(1.02)) * (1 + 0.3*sin(2*3.14159265*((i%24)-9)/24))
    if (i >= 24*200+14) x *= 1.3
    x *= 1 + 0.02*(rand()+rand()+rand()-1.5)
    printf "%d,\"cpu{host=\"\"a,b\"\"}\",%.4f\n", t, x } }' >long.csv
expect_rc 0 "$H" changepoints -o cp.csv long.csv
expect_no_err
head -1 cp.csv >hdr
printf 'series,index,timestamp,kind,delta,delta_pct\n' >want_hdr
expect_same hdr want_hdr
# the step: row 4814 (day 200, 14:00), within a day, about +30%
awk -F, 'NR > 1 && $NF+0 > 25 && $NF+0 < 35 { print }' cp.csv >big
n=$(wc -l <big)
[ "$n" = 1 ] && ok || bad "want one ~30% step, got: $(cat cp.csv)"
idx=$(awk -F, '{ print $(NF-4) }' big)
[ "$idx" -ge 4790 ] && [ "$idx" -le 4838 ] && ok || bad "step index $idx not within a day of 4814"
grep -q '^"cpu{host=""a,b""}",' big && ok || bad "series name not verbatim (CSV-quoted): $(cat big)"
ts=$(awk -F, '{ print $(NF-3) }' big)
case "$ts" in 2025-07-19T*Z|2025-07-20T*Z) ok ;; *) bad "timestamp $ts" ;; esac
# stdout without -o is the same CSV
"$H" changepoints long.csv >cp2.csv 2>/dev/null
expect_same cp.csv cp2.csv

# the same data from a store gives the same rows
"$H" ingest --store s.h5 long.csv
expect_rc 0 "$H" changepoints -o cp3.csv s.h5
expect_same cp.csv cp3.csv

# a timestamp,value file (NAB layout): one series named after the file
awk 'BEGIN { print "timestamp,value"; for (i = 0; i < 400; i++) printf "2014-04-%02d %02d:%02d:00,%d\n", 1 + int(i/288), int((i%288)/12), (i%12)*5, (i < 250 ? 10 : 30) }' >nab_like.csv
expect_rc 0 "$H" changepoints nab_like.csv
expect_out 'nab_like,250,2014-04-01T20:50:00Z,level,'

# TCPD layout t,<label> with a missing value: index counts rows of INPUT
printf 't,V1\n' >tcpd.csv
i=0; while [ $i -lt 60 ]; do
  if [ $i = 12 ]; then printf '%d,\n' $i; elif [ $i -lt 35 ]; then printf '%d,%s\n' $i "5$((i % 3))"; else printf '%d,%s\n' $i "9$((i % 3))"; fi
  i=$((i+1)); done >>tcpd.csv
expect_rc 0 "$H" changepoints tcpd.csv
expect_out 'V1,35,'

# monthly dates: calendar months are uneven, rows are placed by order;
# index 150 is the 151st row, the time within days of 2002-07-01
awk 'BEGIN { srand(5); print "date,unemp"; for (i = 0; i < 240; i++) printf "%d-%02d-01,%.3f\n", 1990 + int(i/12), i%12 + 1, 5 + (i >= 150 ? 3 : 0) + 0.2*(rand()+rand()+rand()-1.5) }' >monthly.csv
expect_rc 0 "$H" changepoints monthly.csv
expect_out 'unemp,150,2002-07-0'

# too short: header only, exit 0; empty input -> 65; missing -> 66; usage -> 64
printf 'timestamp,series,value\n1717200000,s,1\n1717203600,s,2\n' >short.csv
expect_rc 0 "$H" changepoints short.csv
[ "$(cat "$T/out")" = "series,index,timestamp,kind,delta,delta_pct" ] && ok || bad "short: $(cat "$T/out")"
: >empty.csv
expect_rc 65 "$H" changepoints empty.csv
expect_rc 66 "$H" changepoints nonexistent.csv
expect_rc 64 "$H" changepoints
expect_rc 64 "$H" changepoints --season x long.csv
expect_rc 0 "$H" changepoints --season 24,168 long.csv
expect_rc 0 "$H" changepoints --help
expect_out "series,index,timestamp,kind,delta,delta_pct"

# capacity: resources and events, DIR created, names verbatim, JSON fields
cat >res.csv <<'EOF'
series,capacity,target_utilization
"cpu{host=""a,b""}",400,0.8
EOF
cat >ev.csv <<'EOF'
date,name,scope,expected_change_pct
2025-07-20,big launch,cpu,30
2026-03-01,next launch,"cpu{host=""a,b""}",10
EOF
expect_rc 0 "$H" capacity --resources res.csv --events ev.csv --horizon 200 --out "$T/cap/new" long.csv
[ -s cap/new/capacity.json ] && [ -s cap/new/capacity.md ] && [ -s cap/new/capacity.html ] && ok || bad "capacity files missing"
/usr/bin/env grep -q '"series": "cpu{host=\\"a,b\\"}"' cap/new/capacity.json && ok || bad "series not verbatim in JSON"
grep -q '"organic_growth_pct_per_30d": 1\.9' cap/new/capacity.json || grep -q '"organic_growth_pct_per_30d": 2\.0' cap/new/capacity.json && ok || bad "organic growth not ~2%: $(grep organic_growth cap/new/capacity.json)"
grep -q '"event": "big launch"' cap/new/capacity.json && ok || bad "step not matched to its event"
grep -q '"kind": "level"' cap/new/capacity.json && ok || bad "no level step"
grep -q '"time": "2025-07-' cap/new/capacity.json && ok || bad "step time"
grep -q '"name": "next launch"' cap/new/capacity.json && ok || bad "planned event not listed"
grep -q 'big launch' cap/new/capacity.md && ok || bad "md lacks the attributed step"
# without events the step is unexplained
expect_rc 0 "$H" capacity --resources res.csv --out "$T/cap2" long.csv
grep -q '"event": null' cap2/capacity.json && ok || bad "unmatched step not null"
grep -q 'Unexplained steps' cap2/capacity.md && ok || bad "md lacks unexplained steps"
# a bounded metric: a utilisation ratio growing 20 % a month from 0.5
# reaches its bound 1 within the horizon; no path goes past it, and with
# capacity 1 and target 1 the bound is the saturation
awk 'BEGIN { print "timestamp,series,value"
  for (i = 0; i < 24*120; i++) printf "%d,cpu_utilization_ratio,%.5f\n", 1735689600 + 3600*i,
    0.4 * exp(i/720*log(1.2)) * (1 + 0.1*sin(2*3.14159265*(i%24)/24)) }' >ratio.csv
printf 'series,capacity,target_utilization\ncpu_utilization_ratio,1,1\n' >rres.csv
expect_rc 0 "$H" capacity --resources rres.csv --horizon 365 --out "$T/capr" ratio.csv
python3 - "$T/capr/capacity.json" <<'PY' && ok || bad "bounded metric: $(grep -A12 '"saturation"' capr/capacity.json | head -14)"
import json, sys
r = json.load(open(sys.argv[1]))["resources"][0]
s = r["saturation"]
assert s["bound"] == 1, s
assert s["bound_reached"] is not None and s["bound_reached"] == s["p50"], s
assert s["forecast_peak_at_horizon"] == 1, s
PY
grep -q 'reaches its bound 100 % on .*; its threshold is the bound itself, so this is its saturation' capr/capacity.md \
  && ok || bad "md lacks the bound: $(grep -A4 'Bounded' capr/capacity.md)"
# a recurring event with a duration (a yearly sale of 4 days, +60 %): each
# occurrence in the horizon is planned, raises the forecast peak for its
# days only, and is where the resource first saturates
awk 'BEGIN { print "timestamp,series,value"; for (i = 0; i < 24*200; i++)
  printf "%d,web_cpu,%.3f\n", 1735689600 + 3600*i, 300*exp(i/720*log(1.05))*(1+0.2*sin(6.283*(i%24)/24)) }' >sale.csv
printf 'series,capacity,target_utilization\nweb_cpu,1000,0.8\n' >sres.csv
printf 'date,name,scope,expected_change_pct,duration,repeat\n2024-11-29,sale,web_cpu,60,4d,yearly\n' >sev.csv
expect_rc 0 "$H" capacity --resources sres.csv --events sev.csv --horizon 540 --out "$T/caps" sale.csv
python3 - "$T/caps/capacity.json" <<'PY' && ok || bad "recurring sale: $(grep -A10 '"saturation"' caps/capacity.json | head -12)"
import json, sys
r = json.load(open(sys.argv[1]))["resources"][0]
pe = r["planned_events"]
# 2024-11-29 is before the data ends; its next occurrences in the horizon
assert [e["date"] for e in pe] == ["2025-11-29", "2026-11-29"], pe
assert all(e["name"] == "sale" and e["expected_change_pct"] == 60 for e in pe), pe
s = r["saturation"]
assert s["p50"] == "2025-11-29", s
PY
# without the sale the organic path saturates later: the sale ended
printf 'date,name,scope,expected_change_pct,duration,repeat\n' >none.csv
expect_rc 0 "$H" capacity --resources sres.csv --events none.csv --horizon 540 --out "$T/capn" sale.csv
python3 - "$T/capn/capacity.json" <<'PY' && ok || bad "no sale: $(grep -A10 '"saturation"' capn/capacity.json | head -12)"
import json, sys
s = json.load(open(sys.argv[1]))["resources"][0]["saturation"]
assert s["p50"] is None or s["p50"] > "2025-12-03", s
PY
# bad rows: located
printf 'date,name,scope,expected_change_pct,duration,repeat\n2025-11-29,sale,web_cpu,60,,yearly\n' >e1.csv
expect_rc 65 "$H" capacity --resources sres.csv --events e1.csv --out "$T/x" sale.csv
expect_err 'e1.csv:2:29: a repeating event needs a duration (how long each occurrence lasts)'
printf 'date,name,scope,expected_change_pct,duration,repeat\n2025-11-29,sale,web_cpu,60,4d,daily\n' >e2.csv
expect_rc 65 "$H" capacity --resources sres.csv --events e2.csv --out "$T/x" sale.csv
expect_err 'e2.csv:2:31: repeat: want yearly, quarterly or monthly, got "daily"'
printf 'date,name,scope,expected_change_pct,duration,repeat\n2025-11-29,sale,web_cpu,60,40d,monthly\n' >e3.csv
expect_rc 65 "$H" capacity --resources sres.csv --events e3.csv --out "$T/x" sale.csv
expect_err 'e3.csv:2:28: duration: longer than the monthly repeat'
printf 'date,name,scope,expected_change_pct,duration\n2025-11-29,sale,web_cpu,60,4x\n' >e4.csv
expect_rc 65 "$H" capacity --resources sres.csv --events e4.csv --out "$T/x" sale.csv
expect_err 'e4.csv:2:28: duration: want 1m to 366d (e.g. 3d), got "4x"'
# errors
expect_rc 64 "$H" capacity --out "$T/x" long.csv
expect_err "--resources is required"
expect_rc 64 "$H" capacity --resources res.csv long.csv
expect_rc 66 "$H" capacity --resources nope.csv --out "$T/x" long.csv
printf 'series,capacity\ncpu,-5\n' >badres.csv
expect_rc 65 "$H" capacity --resources badres.csv --out "$T/x" long.csv
expect_err 'badres.csv:2:5: capacity: want a number'
expect_rc 64 "$H" capacity --resources res.csv --horizon 0 --out "$T/x" long.csv
summary growth_cmds
