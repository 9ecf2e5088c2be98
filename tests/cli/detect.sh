#!/bin/sh
# headroom detect: one row per input row in input order (repeated and
# backward timestamps too), timestamp and value text unchanged, scores in
# [0,1] and never NaN, the series column when the input names series.
. "$HR_TOP/tests/cli/lib.sh"
cd "$T" || exit 1

# NAB layout: two weeks of 5-minute data with a spike, one repeated and
# one backward timestamp
awk 'BEGIN { srand(11); print "timestamp,value"
  for (i = 0; i < 4032; i++) { s = 1396310400 + 300*i
    if (i == 2000) s -= 300; if (i == 2001) s -= 900
    v = 50 + 10*sin(2*3.14159265*(i%288)/288) + rand()
    if (i == 3500) v += 60
    printf "%s,%.2f\n", strftime("%Y-%m-%d %H:%M:%S", s, 1), v } }' >nab.csv
expect_rc 0 "$H" detect -o d.csv nab.csv
expect_no_err
[ "$(wc -l <d.csv)" = "$(wc -l <nab.csv)" ] && ok || bad "rows: $(wc -l <d.csv) vs $(wc -l <nab.csv)"
head -1 d.csv | grep -qx 'timestamp,value,anomaly_score' && ok || bad "header: $(head -1 d.csv)"
# timestamps and values copied unchanged, in order
cut -d, -f1,2 d.csv | tail -n +2 >got
tail -n +2 nab.csv >want
expect_same got want
awk -F, 'NR > 1 && !($3 >= 0 && $3 <= 1) { bad++ } END { exit bad > 0 }' d.csv && ok || bad "score outside [0,1]"
grep -qi nan d.csv && bad "NaN score" || ok
# the spike scores higher than anything before it
awk -F, 'NR > 1 && NR - 2 < 3500 { if ($3 > m) m = $3 } NR - 2 == 3500 { s = $3 } END { exit !(s > m) }' d.csv && ok ||
    bad "spike not the highest score"
# causal: scoring a prefix gives the same scores for it
head -3001 nab.csv >prefix.csv
"$H" detect prefix.csv >dp.csv 2>/dev/null
if [ "$(head -3001 d.csv | md5sum)" = "$(md5sum <dp.csv)" ]; then ok; else bad "prefix scores differ"; fi
# long CSV with a series column: series column, per-series scores, input order kept
awk 'BEGIN { print "timestamp,series,value"; for (i = 0; i < 300; i++) { printf "%d,a,%d\n", 1700000000 + 60*i, i % 5; printf "%d,\"b,c\",%d\n", 1700000000 + 60*i, 7 } }' >long.csv
expect_rc 0 "$H" detect long.csv
head -1 "$T/out" | grep -qx 'timestamp,value,anomaly_score,series' && ok || bad "long header: $(head -1 "$T/out")"
[ "$(wc -l <"$T/out")" = 601 ] && ok || bad "long rows"
sed -n 3p "$T/out" | grep -q '^1700000000,7,[0-9.e-]*,"b,c"$' && ok || bad "row 3: $(sed -n 3p "$T/out")"
# a rejected row still has its row, scored 0, when under --max-bad-share
printf 'timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,oops\n2014-04-01 00:10:00,2\n' >bad.csv
expect_rc 0 "$H" detect --max-bad-share 1 bad.csv
expect_out '2014-04-01 00:05:00,oops,0'
expect_err 'bad.csv:3:21: expected a number, got "oops"'
expect_rc 65 "$H" detect bad.csv
expect_rc 66 "$H" detect nope.csv
expect_rc 64 "$H" detect
expect_rc 0 "$H" detect --help
expect_out 'timestamp,value,anomaly_score[,series]'

# --spans: one row per anomaly span. Three series of ~10 days of 5-minute
# points (a noisy daily sine), in input order web, db, idle: a spike
# (20 sd) at row 1500 of web, a level shift (+50 sd, 5 times the daily
# amplitude, so the span's direction is clear) from row 2300 of db,
# idle clean. The long file and the same data as a wide file (the grid
# path) must give the same spans. The spike and the shift are in separate
# series on purpose: after one big event the detector's calibration is
# dulled for its whole history, which is not what this checks.
awk 'BEGIN { srand(5); print "Time,web,db,idle" > "wide.csv"
  print "timestamp,series,value"
  for (i = 0; i < 3000; i++) { s = 1700006400 + 300*i; d = 20*sin(2*3.14159265*(i%288)/288)
    for (k = 0; k < 3; k++) { g[k] = sqrt(-2*log(1-rand()))*cos(6.2831853*rand()); v[k] = 100 + d + 2*g[k] }
    if (i == 1500) v[0] += 40
    if (i >= 2300) v[1] += 100
    printf "%d,web,%.3f\n%d,db,%.3f\n%d,idle,%.3f\n", s, v[0], s, v[1], s, v[2]
    printf "%d,%.3f,%.3f,%.3f\n", s, v[0], v[1], v[2] > "wide.csv" } }' >fleet.csv
t_spike=$(awk 'BEGIN { print strftime("%Y-%m-%dT%H:%M:%SZ", 1700006400 + 300*1500, 1) }')
t_shift=$(awk 'BEGIN { print strftime("%Y-%m-%dT%H:%M:%SZ", 1700006400 + 300*2300, 1) }')
expect_rc 0 "$H" detect --spans fleet.csv
expect_no_err
cp "$T/out" sp.csv
[ "$(head -1 sp.csv)" = 'series,start,end,peak_time,peak_score,direction' ] && ok || bad "spans header: $(head -1 sp.csv)"
# every row: a known series, RFC 3339 times, start <= peak_time < end,
# end - start a whole number of 5-minute steps, score in [0.3,1] (the
# default threshold), a word
awk -F, 'function sec(x) { gsub(/[-:TZ]/, " ", x); return mktime(x) }
  NR > 1 { if ($1 !~ /^(web|db|idle)$/ || $2 !~ /^[0-9-]+T[0-9:]+Z$/ || $3 !~ /^[0-9-]+T[0-9:]+Z$/ ||
               $4 !~ /^[0-9-]+T[0-9:]+Z$/ || !($5 >= 0.3 && $5 <= 1) || $6 !~ /^(spike|dip|shift)$/ || NF != 6 ||
               !(sec($2) <= sec($4) && sec($4) < sec($3)) || (sec($3) - sec($2)) % 300) { print; bad++ } }
  END { exit bad > 0 }' sp.csv && ok || bad "span rows malformed: $(head -5 sp.csv)"
# the spike and the shift are found where they were injected (the span
# starts within 3 rows of it), with their direction words
near() { # near SERIES TIME DIRECTION: a span of SERIES starting within 15 min of TIME with DIRECTION
    awk -F, -v s="$1" -v t="$2" -v d="$3" 'function sec(x) { gsub(/[-:TZ]/, " ", x); return mktime(x) }
      NR > 1 && $1 == s && $6 == d && sec($2) >= sec(t) && sec($2) <= sec(t) + 900 { n++ } END { exit n != 1 }' sp.csv
}
near web "$t_spike" spike && ok || bad "no spike span of web near $t_spike: $(cat sp.csv)"
near db "$t_shift" shift && ok || bad "no shift span of db near $t_shift: $(cat sp.csv)"
grep -q '^idle,' sp.csv && bad "spans in the clean series: $(grep '^idle,' sp.csv)" || ok
# series in input order (web before db), each in order of start
awk -F, 'NR > 1 { r = ($1 == "web") ? 0 : ($1 == "db") ? 1 : 2; if (r < last || (r == last && $2 < prev)) bad++; last = r; prev = $2 }
  END { exit bad > 0 }' sp.csv && ok || bad "spans out of order: $(cat sp.csv)"
# the grid path (wide CSV) gives the same spans
expect_rc 0 "$H" detect --spans wide.csv
head -1 "$T/out" | grep -qx 'series,start,end,peak_time,peak_score,direction' && ok || bad "wide spans header"
tail -n +2 "$T/out" | sort >wide.sp; tail -n +2 sp.csv | sort >long.sp
expect_same wide.sp long.sp
# a clean series alone (timestamp,value: named after the file): the header only
awk -F, '$2 == "idle" || NR == 1 { print $1 "," $3 }' fleet.csv | sed 1s/.*/timestamp,value/ >clean.csv
expect_rc 0 "$H" detect --spans clean.csv
[ "$(cat "$T/out")" = 'series,start,end,peak_time,peak_score,direction' ] && ok || bad "clean spans: $(head -3 "$T/out")"
# the same file with the spike: the series is named after the file
awk -F, '$2 == "web" || NR == 1 { print $1 "," $3 }' fleet.csv | sed 1s/.*/timestamp,value/ >web-1.csv
expect_rc 0 "$H" detect --spans web-1.csv
awk -F, 'NR > 1 && $1 != "web-1" { bad++ } END { exit bad > 0 || NR < 2 }' "$T/out" && ok || bad "single-series key: $(head -3 "$T/out")"
# a higher threshold gives no more spans; --threshold alone changes nothing
n_def=$(($(wc -l <sp.csv) - 1))
expect_rc 0 "$H" detect --spans --threshold 1.0 fleet.csv
n_hi=$(($(wc -l <"$T/out") - 1))
[ "$n_hi" -le "$n_def" ] && ok || bad "--threshold 1.0: $n_hi spans, default $n_def"
expect_rc 0 "$H" detect --spans --threshold 0.01 fleet.csv
n_lo=$(($(wc -l <"$T/out") - 1))
[ "$n_lo" -ge "$n_def" ] && ok || bad "--threshold 0.01: $n_lo spans, default $n_def"
"$H" detect fleet.csv >rows.csv 2>/dev/null
expect_rc 0 "$H" detect --threshold 0.9 fleet.csv
expect_same "$T/out" rows.csv
# bad thresholds are usage errors, with or without --spans
for v in abc -1 2 0 '' 0.5x nan; do
    expect_rc 64 "$H" detect --spans --threshold "$v" fleet.csv
    expect_err "bad --threshold '$v' (want a score from 0.01 to 1)"
done
expect_rc 64 "$H" detect --threshold abc fleet.csv
expect_err "bad --threshold 'abc'"
expect_rc 64 "$H" detect --threshold=2 fleet.csv
expect_rc 64 "$H" detect --spans fleet.csv --threshold
expect_err "option '--threshold' requires an argument"
# -o: atomically, the same bytes as stdout; nothing left on failure
expect_rc 0 "$H" detect --spans -o spans.csv fleet.csv
expect_no_out
expect_same spans.csv sp.csv
expect_absent spans.csv.tmp
expect_rc 65 "$H" detect --spans -o badspans.csv bad.csv
expect_absent badspans.csv
expect_absent badspans.csv.tmp
expect_rc 73 "$H" detect --spans -o nodir/spans.csv fleet.csv
expect_absent nodir
expect_rc 0 "$H" detect --help
expect_out 'series,start,end,peak_time,peak_score,direction'
expect_out '--threshold T'
expect_out '--spans'
summary detect_cli
