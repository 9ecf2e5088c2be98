#!/bin/sh
# headroom run with a changes log ([changes]): one service with a 2-hour
# burst of 5% errors on 2024-02-05 from 10:00 (as tests/cli/problems.sh),
# a deploy 20 minutes before it and its rollback: the incident is linked
# to the deploy (lag 1200 s), the deploy failed, problems.md and the
# postmortem say so; then the bad logs that must stop a run with exit 65
# and file:line:column before anything is published, and bad [changes]
# keys (78).
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1
awk 'BEGIN {
    print "timestamp,metric,service,value"
    t0 = 1704067200; req = 0; err = 0
    for (h = 0; h < 960; h++) {
        if (h > 0) { req += 360000; err += (h == 850 || h == 851) ? 18000 : 180 }
        printf "%d,http_requests_total,a,%d\n", t0 + 3600 * h, req
        printf "%d,http_errors_total,a,%d\n", t0 + 3600 * h, err
    }
}' >m.csv
cat >chg.csv <<'EOF2'
time,service,id,kind,commit_time,rollback_of,description
2024-01-10T09:00:00Z,a,d0,deploy,2024-01-09T09:00:00Z,,routine
2024-02-05T09:40:00Z,a,d1,deploy,2024-02-05T07:40:00Z,,"new pool, v2"
2024-02-05T11:00:00Z,a,d2,deploy,,d1,rollback
2024-02-06T09:00:00Z,a,f1,flag,,,flag off
EOF2
cat >ok.ini <<EOF2
[store]
path = $T/s.h5
[ingest]
exports = $T/m.csv
counter = http_*_total
[changes]
path = $T/chg.csv
[output]
dir = $T/rep
EOF2
expect_rc 0 "$H" run --config ok.ini
P=rep/latest/problems.json
python3 - "$P" <<'EOP' >py.out 2>&1 && ok || bad "problems.json changes: $(cat py.out)"
import json, sys
j = json.load(open(sys.argv[1]))
c = j["changes"]
assert c["window_s"] == 7200, c["window_s"]
assert [(l["change"], l["lag_s"]) for l in c["links"]] == [("d1", 1200)], c["links"]
inc = [x for x in j["incidents"] if x["changes"]]
assert len(inc) == 1 and inc[0]["start"] == "2024-02-05T10:00:00Z", inc
assert [f["change"] for f in c["failed"]] == ["d1"], c["failed"]
assert c["failed"][0]["rolled_back_by"] == "d2", c["failed"][0]
a = c["all"]
# 4 changes, 3 deploys over the data's 958 h (a counter's first rate is at hour 1);
# failed d1 only; leads 24 h and 2 h
assert (a["n_changes"], a["n_deploys"], a["n_failed"]) == (4, 3, 1), a
assert abs(a["deploys_per_week"] - 3 / (958 / 168.0)) < 1e-12, a["deploys_per_week"]
assert a["change_failure_rate"] == 0.25, a
assert a["lead_time_h_p50"] == 13.0 and abs(a["lead_time_h_p90"] - 21.8) < 1e-12, a
EOP
expect_rc 0 grep -qF '| started 20 min after deploy d1 of a |' rep/latest/problems.md
expect_rc 0 grep -qF '## Change management' rep/latest/problems.md
expect_rc 0 grep -qF 'id="deploys"' rep/latest/problems.html

# bad changes logs: 65 with file:line:column, nothing published
printf 'time,service,id\n2024-01-21T03:00:00Z,a,x\n2024-01-21T04:00:00Z,a,x\n' >bad1.csv
sed "s|$T/chg.csv|$T/bad1.csv|" ok.ini >bad1.ini
expect_rc 65 "$H" run --config bad1.ini --out "$T/r1"
expect_err 'bad1.csv:3:24: change id "x" is listed twice'
expect_absent r1/latest
printf 'time,service,id,kind\n2024-01-21T03:00:00Z,a,x,release\n' >bad2.csv
sed "s|$T/chg.csv|$T/bad2.csv|" ok.ini >bad2.ini
expect_rc 65 "$H" run --config bad2.ini --out "$T/r2"
expect_err 'bad2.csv:2:26: kind: want deploy, config, flag or infra'
expect_absent r2/latest
printf 'time,service,id,rollback_of\n2024-01-21T03:00:00Z,a,x,y\n' >bad3.csv
sed "s|$T/chg.csv|$T/bad3.csv|" ok.ini >bad3.ini
expect_rc 65 "$H" run --config bad3.ini --out "$T/r3"
expect_err 'bad3.csv:2:26: rollback_of: no change "y" listed before this row'
expect_absent r3/latest
printf 'time,service,id,commit_time\n2024-01-21T03:00:00Z,a,x,2024-01-21T04:00:00Z\n' >bad4.csv
sed "s|$T/chg.csv|$T/bad4.csv|" ok.ini >bad4.ini
expect_rc 65 "$H" run --config bad4.ini
expect_err 'bad4.csv:2:26: commit_time is after time'
sed "s|$T/chg.csv|$T/none.csv|" ok.ini >bad5.ini
expect_rc 66 "$H" run --config bad5.ini

# bad [changes] keys: 78
sed 's/^\[changes\]/[changes]\nwindow = 0s/' ok.ini >c1.ini
expect_rc 78 "$H" run --config c1.ini
expect_err '[changes] window: want a duration from 1m to 7d'
sed 's/^\[changes\]/[changes]\nmax_failure_rate = -1/' ok.ini >c2.ini
expect_rc 78 "$H" run --config c2.ini
expect_err '[changes] max_failure_rate: want a share from 0 to 1'
# the good store and reports are intact after all of these
expect_rc 0 "$H" run --config ok.ini --out "$T/again"
expect_same rep/latest/problems.json again/latest/problems.json
summary deploys
