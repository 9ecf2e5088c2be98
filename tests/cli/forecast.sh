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
summary forecast_cli
