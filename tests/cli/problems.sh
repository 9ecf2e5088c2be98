#!/bin/sh
# headroom run: the problem-management stage on a hand-computed case. One
# service, 40 days of hourly request and error counters (100 req/s, 0.05%
# errors, a 2-hour burst of 5% errors), an SLO of 99.9% over 30 days and an
# incident log with known MTTD/MTTR/MTBF; and the bad inputs that must stop
# a run with a located error (65 for the data, 78 for the configuration).
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1
# 2024-01-01T00:00:00Z + h hours; the burst is day 35, 10:00-12:00 (hours
# 850 and 851): its increments are those of the slots ending there
awk 'BEGIN {
    print "timestamp,metric,service,value"
    t0 = 1704067200; req = 0; err = 0
    for (h = 0; h < 960; h++) {
        if (h > 0) { req += 360000; err += (h == 850 || h == 851) ? 18000 : 180 }
        printf "%d,http_requests_total,a,%d\n", t0 + 3600 * h, req
        printf "%d,http_errors_total,a,%d\n", t0 + 3600 * h, err
    }
}' >m.csv
cat >inc.csv <<'EOF2'
start,end,detected,resolved,service,title
2024-01-21T03:00:00Z,2024-01-21T04:00:00Z,2024-01-21T03:30:00Z,2024-01-21T04:00:00Z,a,queue backlog
2024-02-05T10:00:00Z,2024-02-05T12:00:00Z,2024-02-05T10:06:00Z,2024-02-05T12:30:00Z,a,5xx burst <script>alert(1)</script> & co
EOF2
cat >ok.ini <<EOF2
[store]
path = $T/s.h5
[ingest]
exports = $T/m.csv
counter = http_*_total
[incidents]
path = $T/inc.csv
[slo avail]
total = http_requests_total{service="a"}
bad = http_errors_total{service="a"}
objective = 99.9
window_days = 30
service = a
[output]
dir = $T/rep
EOF2
expect_rc 0 "$H" run --config ok.ini
P=rep/latest/problems.json
# window: the last 720 hourly points; events of a slot = rate x 3600 s:
# total 720 x 360000 = 259200000, bad 718 x 180 + 2 x 18000 = 165240
# SLI = 1 - 165240 / 259200000; consumed = 165240 / (0.001 x 259200000) = 0.6375
jq_num() { grep -o "\"$1\": [-0-9.e+]*" "$P" | head -1 | sed 's/.*: //'; }
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
for kv in "total_events 259200000 1e-3" "bad_events 165240 1e-6" "budget_consumed 0.6375 1e-9" \
          "budget_remaining 0.3625 1e-9" "sli 0.99936250 1e-9"; do
    set -- $kv
    v=$(jq_num "$1")
    if [ -n "$v" ] && near "$v" "$2" "$3"; then ok; else bad "$1 = '$v', want $2"; fi
done
grep -q '"window_start": "2024-01-11T00:00:00Z"' $P && ok || bad "SLO window start"
# both page rules fire over the burst hours [10:00, 12:00)
n=$(grep -c '"start": "2024-02-05T10:00:00Z"' $P)
[ "$n" -ge 2 ] && ok || bad "want 2 alerts starting at the burst, got $n"
grep -q '"rule": "1h/5m"' $P && ok || bad "no 1h/5m alert"
grep -q '"rule": "6h/30m"' $P && ok || bad "no 6h/30m alert"
grep -q '"end": "2024-02-05T12:00:00Z"' $P && ok || bad "alert end"
# the incident log: MTTD (30 + 6 min) / 2 = 1080 s; MTTR (1 h + 2.5 h) / 2 = 6300 s;
# MTBF: 2024-01-21T03:00 to 2024-02-05T10:00 = 15 d 7 h = 1321200 s
for kv in "mttd_s 1080" "mttr_s 6300" "mtbf_s 1321200"; do
    set -- $kv
    v=$(jq_num "$1")
    if [ -n "$v" ] && near "$v" "$2" 1e-6; then ok; else bad "$1 = '$v', want $2"; fi
done
# the burst is detected and matched with the logged incident
grep -q '"status": "seen"' $P && ok || bad "the logged burst is not seen by the detector"
grep -q 'error budget consumed 63.8 %, remaining 36.2 %' rep/latest/problems.md && ok ||
    bad "problems.md SLO line: $(grep -m1 'budget consumed' rep/latest/problems.md)"

# a title from the incident log renders as text, never as HTML, in every
# Markdown file (problems.md, the drafts) and in problems.html
grep -q '5xx burst &lt;script&gt;alert(1)&lt;/script&gt; &amp; co' rep/latest/problems.md && ok ||
    bad "problems.md does not escape the title: $(grep -m1 '5xx burst' rep/latest/problems.md)"
if grep -rl --include='*.md' --include='*.html' '<script' rep/latest/ >"$T/hits" 2>/dev/null; then bad "<script> in $(cat "$T/hits")"; else ok; fi

# bad incident logs: 65 with file:line:column, nothing published
printf 'start,end,detected,resolved,service,title\n2024-01-21T03:00:00Z,2024-01-21T02:00:00Z,,,a,x\n' >bad1.csv
sed "s|$T/inc.csv|$T/bad1.csv|" ok.ini >bad1.ini
expect_rc 65 "$H" run --config bad1.ini --out "$T/r1"
expect_err 'bad1.csv:2:22: end is before start'
expect_absent r1/latest
printf 'start,end,detected,resolved,service,title\n2024-01-21T03:00:00Z,2024-01-21T04:00:00Z,2024-01-21T02:59:00Z,,a,x\n' >bad2.csv
sed "s|$T/inc.csv|$T/bad2.csv|" ok.ini >bad2.ini
expect_rc 65 "$H" run --config bad2.ini
expect_err 'bad2.csv:2:43: detected is before start'
printf 'start,end,detected,resolved,service,title\nyesterday,2024-01-21T04:00:00Z,,,a,x\n' >bad3.csv
sed "s|$T/inc.csv|$T/bad3.csv|" ok.ini >bad3.ini
expect_rc 65 "$H" run --config bad3.ini
expect_err 'bad3.csv:2:1: start:'
printf 'start,end,service\n2024-01-21T03:00:00Z,2024-01-21T04:00:00Z,\n' >bad4.csv
sed "s|$T/inc.csv|$T/bad4.csv|" ok.ini >bad4.ini
expect_rc 65 "$H" run --config bad4.ini
expect_err 'bad4.csv:2:43: empty service'
printf 'begin,end,service\n' >bad5.csv
sed "s|$T/inc.csv|$T/bad5.csv|" ok.ini >bad5.ini
expect_rc 65 "$H" run --config bad5.ini
expect_err 'bad5.csv:1:1: unknown column "begin"'

# bad SLO and incident configuration: 78
sed 's/^bad = .*/&\ngood = http_requests_total{service="a"}/' ok.ini >c1.ini
expect_rc 78 "$H" run --config c1.ini
expect_err '[slo avail]: give a total series with either good or bad'
sed 's/^bad = .*/bad = http_errors_total{service="zz"}/' ok.ini >c2.ini
expect_rc 78 "$H" run --config c2.ini
expect_err '[slo avail]: series "http_errors_total{service="zz"}" is not in the store'
sed 's/^objective = .*/objective = 100/' ok.ini >c3.ini
expect_rc 78 "$H" run --config c3.ini
expect_err '[slo] objective: want a percentage above 0 and below 100'
sed 's/^\[incidents\]/[incidents]\ngap = soon/' ok.ini >c4.ini
expect_rc 78 "$H" run --config c4.ini
expect_err '[incidents] gap: want a duration from 0s to 30d'
sed 's/^\[incidents\]/[incidents]\nrecurring_min = 1/' ok.ini >c5.ini
expect_rc 78 "$H" run --config c5.ini
expect_err '[incidents] recurring_min: want a whole number from 2 to 1000'
# the good store is intact after all of these
expect_rc 0 "$H" run --config ok.ini --out "$T/again"
expect_same rep/latest/problems.json again/latest/problems.json
summary problems
