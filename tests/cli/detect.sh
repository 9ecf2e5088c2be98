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
summary detect_cli
