#!/bin/sh
# headroom forecast: exact header, one row per series and future step on
# the series' grid, series in input order with names verbatim, nested
# intervals, every input kind, usage errors.
. "$HR_TOP/tests/cli/lib.sh"
cd "$T" || exit 1

# two hourly series, 3 weeks, daily seasonality; the second listed first
awk 'BEGIN { srand(3); print "timestamp,series,value"
  for (i = 0; i < 24*21; i++) { t = 1735689600 + 3600*i
    printf "%d,\"zeta{a=\"\"1,2\"\"}\",%.3f\n", t, 50 + 10*sin(2*3.14159265*(i%24)/24) + rand()
    printf "%d,alpha,%.3f\n", t, 20 + 0.01*i + rand() } }' >two.csv
expect_rc 0 "$H" forecast --horizon 48 --season 24 --levels 80,95 -o fc.csv two.csv
expect_no_err
head -1 fc.csv >hdr
printf 'series,timestamp,mean,lo80,hi80,lo95,hi95\n' >want
expect_same hdr want
[ "$(wc -l <fc.csv)" = 97 ] && ok || bad "want 96 rows + header, got $(wc -l <fc.csv)"
# input order: zeta first (first seen), names verbatim (CSV-quoted)
sed -n 2p fc.csv | grep -q '^"zeta{a=""1,2""}",2025-01-22T00:00:00Z,' && ok || bad "first row: $(sed -n 2p fc.csv)"
sed -n 49p fc.csv | grep -q '^"zeta{a=""1,2""}",2025-01-23T23:00:00Z,' && ok || bad "row 49: $(sed -n 49p fc.csv)"
sed -n 50p fc.csv | grep -q '^alpha,2025-01-22T00:00:00Z,' && ok || bad "row 50: $(sed -n 50p fc.csv)"
# nested, finite intervals on every row
awk -F, 'NR > 1 { n = NF; if (!($(n-1) <= $(n-3) && $(n-3) <= $(n-4) && $(n-4) <= $(n-2) && $(n-2) <= $n)) bad++ }
         END { exit bad > 0 }' fc.csv && ok || bad "intervals not nested: $(sed -n 2,4p fc.csv)"
grep -q ',,' fc.csv && bad "empty value in a forecast" || ok
# the seasonal series is forecast with its daily shape: the peak hour (06:00) above the trough (18:00)
p=$(grep '^"zeta' fc.csv | sed -n 7p | cut -d, -f4); q=$(grep '^"zeta' fc.csv | sed -n 19p | cut -d, -f4)
awk -v p="$p" -v q="$q" 'BEGIN { exit !(p > q + 10) }' && ok || bad "seasonal shape lost: 06:00 $p vs 18:00 $q"
# one level, a store as input, stdout
"$H" ingest --store s.h5 two.csv
expect_rc 0 "$H" forecast -H 5 --levels 90 s.h5
expect_out 'series,timestamp,mean,lo90,hi90'
[ "$(wc -l <"$T/out")" = 11 ] && ok || bad "store input: $(wc -l <"$T/out") lines"
# a 5-minute timestamp,value file continues its own grid
awk 'BEGIN { print "timestamp,value"; for (i = 0; i < 600; i++) printf "2014-04-%02d %02d:%02d:00,%d\n", 1 + int(i/288), int((i%288)/12), (i%12)*5, 10 + i%7 }' >five.csv
expect_rc 0 "$H" forecast -H 2 five.csv
expect_out 'five,2014-04-03T02:00:00Z,'
expect_out 'five,2014-04-03T02:05:00Z,'
# all-NaN series: rows with empty values and a warning
printf 'timestamp,series,value\n1735689600,nan_only,NaN\n1735693200,nan_only,NaN\n' >nan.csv
expect_rc 0 "$H" forecast -H 2 nan.csv
expect_err 'series nan_only: no finite value'
expect_out 'nan_only,2025-01-01T02:00:00Z,,,,,'
# usage errors
expect_rc 64 "$H" forecast two.csv
expect_err '--horizon is required'
expect_rc 64 "$H" forecast -H 0 two.csv
expect_rc 64 "$H" forecast -H 5 --levels 100 two.csv
expect_rc 64 "$H" forecast -H 5 --season 1 two.csv
expect_rc 66 "$H" forecast -H 5 nope.csv
expect_rc 0 "$H" forecast --help
expect_out 'series,timestamp,mean,lo80,hi80,lo95,hi95'
# ---- durations: --horizon and --season in time, counted in each series' steps
expect_rc 0 "$H" forecast --horizon 2d --season 1d -o fcd.csv two.csv
expect_no_err
expect_same fc.csv fcd.csv
expect_rc 0 "$H" forecast --horizon 2850m -o x.csv two.csv
[ "$(wc -l <x.csv)" = 97 ] && ok || bad "2850m at 1h steps: want 48 rows per series (rounded up), got $(wc -l <x.csv)"
expect_rc 64 "$H" forecast --horizon 2x two.csv
expect_err "bad --horizon '2x' (want 1 to 100000 steps, or a duration such as 7d)"
expect_rc 0 "$H" forecast --horizon 90m -o f90.csv two.csv
[ "$(wc -l <f90.csv)" = 5 ] && ok || bad "90m at 1h steps: want 2 rows per series, got $(($(wc -l <f90.csv) - 1)) rows"
expect_rc 0 "$H" forecast --horizon 1w --season 24,1w -o fw.csv two.csv
[ "$(wc -l <fw.csv)" = 337 ] && ok || bad "1w at 1h: want 168 rows per series, got $(wc -l <fw.csv)"
# a season the data cannot support: warned per series, not silently flat;
# with none left the seasons are detected, as without --season
expect_rc 0 "$H" forecast --horizon 48 --season 8760 -o fs.csv two.csv
expect_err 'headroom: warning: series alpha: season 8760 (8760 points) needs two cycles, 17520 points; the series has 504: not used'
expect_err 'headroom: warning: series alpha: no season given fits it: its seasons are detected'
expect_rc 0 "$H" forecast --horizon 48 -o fdet.csv two.csv
expect_same fs.csv fdet.csv
expect_rc 0 "$H" forecast --horizon 48 --season 365d -o fs2.csv two.csv
expect_err 'season 365d (8760 points) needs two cycles'
expect_rc 0 "$H" forecast --horizon 48 --season 30m -o fs3.csv two.csv
expect_err 'series zeta{a="1,2"}: season 30m is under two of its steps: not used'
expect_rc 64 "$H" forecast -H 5 --season 1d,1q two.csv

# ---- --explain: the model and its components, by hand on a line with a daily wave
awk 'BEGIN { print "timestamp,value"
  for (i = 0; i < 24*28; i++) printf "%d,%.6f\n", 1735689600 + 3600*i, 100 + 0.5*i + 10*sin(2*3.14159265358979*(i%24)/24) }' >line.csv
expect_rc 0 "$H" forecast --horizon 48 --season 24 --explain ex.csv -o fl.csv line.csv
head -1 ex.csv >hdr
printf 'series,model,combination,scale,season,second_season,regime_start,points,level,trend_per_day,seasonal_amplitude,holdout_mase,holdout_origins,gaps_filled\n' >want
expect_same hdr want
[ "$(wc -l <ex.csv)" = 2 ] && ok || bad "explain: want 1 row, got $(wc -l <ex.csv)"
# level, trend and amplitude are what the forecast itself says: recomputed
# here from its mean column (level: mean of the first day ahead; trend:
# least-squares slope over the 48 hours, per day; amplitude: range of the
# first day around that line); the line goes on at 0.5 an hour (12 a day,
# a damped trend a little less) with its wave of range 20
awk -F, 'NR > 1 { m[NR - 2] = $3 } END { for (h = 0; h < 48; h++) { sx += h; sy += m[h]; sxx += h*h; sxy += h*m[h] }
  b = (48*sxy - sx*sy) / (48*sxx - sx*sx); a = (sy - b*sx) / 48; lo = 1e300; hi = -1e300
  for (h = 0; h < 24; h++) { lev += m[h]; r = m[h] - a - b*h; if (r < lo) lo = r; if (r > hi) hi = r }
  printf "%.6f %.6f %.6f\n", lev / 24, b * 24, hi - lo }' fl.csv >want.comp
awk -F, 'NR == 2 { printf "%.6f %.6f %.6f\n", $9, $10, $11 }' ex.csv >got.comp
expect_same want.comp got.comp
awk -F, 'NR == 2 { ok = $1 == "line" && $4 == "raw" && $5 == "24" && $7 == "2025-01-01T00:00:00Z" && $8 == 672 &&
  $9 > 436 && $9 < 446 && $10 > 4 && $10 <= 12.5 && $11 > 15 && $11 < 22 && $12 < 0.5 && $13 > 0 && $14 == 0; exit !ok }' ex.csv \
  && ok || bad "explain row off: $(sed -n 2p ex.csv)"
expect_rc 73 "$H" forecast --horizon 4 --explain nodir/ex.csv line.csv

# ---- a ratio cannot pass 1, nor can its intervals (hourly, climbing to 0.99)
awk 'BEGIN { print "timestamp,value"; for (i = 0; i < 24*60; i++) { x = 0.3 + 0.0006*i; if (x > 0.99) x = 0.99
  printf "%d,%.4f\n", 1735689600 + 3600*i, x } }' >cpu_utilization_ratio.csv
expect_rc 0 "$H" forecast --horizon 30d -o fr.csv cpu_utilization_ratio.csv
awk -F, 'NR > 1 { for (k = 3; k <= 7; k++) if ($k > 1) bad++; n++ } END { exit !(n == 720 && bad == 0) }' fr.csv \
  && ok || bad "a ratio forecast passes 1: $(sort -t, -k7 -g fr.csv | tail -1)"
awk -F, 'END { exit !($7 == 1) }' fr.csv && ok || bad "the ratio's fan should reach its bound: $(tail -1 fr.csv)"

# ---- backtest: rolling origins over the input's own history
expect_rc 0 "$H" backtest --horizon 24 --origins 3 -o bt.csv line.csv
expect_no_err
printf 'series,origins,horizon,points,smape,mase,coverage80,coverage95,model,season\n' >want
head -1 bt.csv >hdr
expect_same hdr want
# an exact line plus an exact wave: every origin scored, errors near zero,
# far better than the seasonal naive forecast (which misses the trend)
awk -F, 'NR == 2 { ok = $1 == "line" && $2 == 3 && $3 == 24 && $4 == 72 && $5 < 1 && $6 < 0.2 && $10 == 24; exit !ok }' bt.csv \
  && ok || bad "backtest row off: $(sed -n 2p bt.csv)"
# noise the models cannot know: coverage near the levels, MASE near 1 or below
awk 'BEGIN { srand(11); print "timestamp,value"
  for (i = 0; i < 24*60; i++) { u = rand(); v = rand(); z = sqrt(-2*log(u)) * cos(6.283185307*v)
    printf "%d,%.4f\n", 1735689600 + 3600*i, 50 + 8*sin(6.283185307*(i%24)/24) + 2*z } }' >noise.csv
expect_rc 0 "$H" backtest --horizon 1d --origins 20 --every 12 -o bn.csv noise.csv
awk -F, 'NR == 2 { ok = $2 == 20 && $4 == 480 && $6 < 1.1 && $7 > 0.6 && $7 < 0.95 && $8 > 0.85; exit !ok }' bn.csv \
  && ok || bad "backtest on noise off: $(sed -n 2p bn.csv)"
# the same answer at any thread count
OMP_NUM_THREADS=1 "$H" backtest --horizon 1d --origins 20 --every 12 -o bn1.csv noise.csv
OMP_NUM_THREADS=3 "$H" backtest --horizon 1d --origins 20 --every 12 -o bn3.csv noise.csv
expect_same bn1.csv bn3.csv
expect_same bn.csv bn1.csv
# too short for one origin (24 + 48 points needed): origins 0, empty scores, a warning
head -n 60 line.csv >short.csv
expect_rc 0 "$H" backtest --horizon 24 -o bs.csv short.csv
expect_err 'headroom: warning: series short: 59 points are too few for one origin (horizon 24 + 48)'
[ "$(sed -n 2p bs.csv)" = "short,0,24,0,,,,,," ] && ok || bad "short series row: $(sed -n 2p bs.csv)"
expect_rc 64 "$H" backtest line.csv
expect_rc 64 "$H" backtest --horizon 24 --origins 0 line.csv
expect_rc 64 "$H" backtest --horizon 24 --every 0 line.csv
expect_rc 66 "$H" backtest --horizon 24 nope.csv
expect_rc 0 "$H" backtest --help
expect_out 'series,origins,horizon,points,smape,mase,coverage80,coverage95,model,season'

summary forecast_cli
