#!/bin/sh
# Resource limits (issue 16, defect 3): a tiny file must not make headroom
# allocate gigabytes. A grid its points would fill under 1 % of (from
# 65,536 slots) is bad input (65) naming series, span, step and the row of
# the outlying timestamp, before any grid is allocated; the grids of an
# ingest are checked against a memory budget (--memory, [ingest] memory);
# keys over 4096 bytes are rejected rows; a header over 2^20 columns is 65.
# Every failure leaves the store exactly as it was.
. "$HR_TOP/tests/cli/lib.sh"
cd "$T" || exit 1

snap() { md5sum <"$1" >"$T/snap.md5"; }
unchanged() { if md5sum <"$1" | cmp -s - "$T/snap.md5"; then ok; else bad "store $1 changed"; fi; }

printf 'timestamp,series,value\n2024-06-01T00:00:00Z,keep,1.5\n2024-06-01T00:01:00Z,keep,2.5\n' >seed.csv
expect_rc 0 "$H" ingest --store s.h5 seed.csv
snap s.h5

# ---- the review's 161-byte file: two points a minute apart, a third 30 years later
cat >years.csv <<'EOF'
time,series,value
2024-01-01T00:00:00Z,a,1
2024-01-01T00:01:00Z,a,2
2054-01-01T00:00:00Z,a,3
2024-01-01T00:00:00Z,b,1
2024-01-01T00:01:00Z,b,2
2054-01-01T00:00:00Z,b,3
EOF
expect_rc 65 "$H" ingest --store s.h5 years.csv
err_is <<'EOF'
headroom: error: series a: 3 points would fill 1.9e-05 % of the 15779521 slots its span from 2024-01-01T00:00:00Z to 2054-01-01T00:00:00Z needs at a step of 60 s; its latest timestamp 2054-01-01T00:00:00Z (years.csv:4) lies far from the others: fix or remove that row (a mistyped date?)
headroom: error: store s.h5 not changed
EOF
unchanged s.h5
expect_rc 65 "$H" ingest --store new.h5 years.csv
expect_absent new.h5

# ---- an epoch missing a digit (the earliest end is the outlier), via forecast
printf 'timestamp,value\n1700000000,1\n1700000060,2\n170000120,3\n' >digit.csv
expect_rc 65 "$H" forecast --horizon 10 digit.csv
expect_err "series digit: 3 points would fill"
expect_err "its earliest timestamp 1975-05-22T14:15:20Z (digit.csv:4) lies far from the others"
expect_no_out

# ---- the outlier in a later file, against a stored series: the row of that file
printf 'timestamp,series,value\n2090-06-01T00:00:00Z,keep,3\n' >late.csv
expect_rc 65 "$H" ingest --store s.h5 late.csv
expect_err "series keep: 3 points would fill"
expect_err "its latest timestamp 2090-06-01T00:00:00Z (late.csv:2) lies far"
unchanged s.h5

# ---- the same through the parallel long-CSV reader (small pieces, 2 threads)
awk 'BEGIN { print "time,series,value"; for (i = 0; i < 3000; i++) printf "%d,p,%d\n", 1717200000 + 60 * i, i;
             print "2717200000,p,1" }' >par.csv
expect_rc 65 env OMP_NUM_THREADS=2 HEADROOM_CSV_CHUNK=4096 "$H" ingest --store p.h5 par.csv
expect_err "series p: 3001 points would fill"
expect_err "(par.csv:3002) lies far"
expect_absent p.h5

# ---- a JSON export has no rows: the file is named
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1717200000,"1"],[1717200060,"1"],[2717200000,"1"]]}]}}' >far.json
expect_rc 65 "$H" ingest --store j.h5 far.json
expect_err "series up: 3 points would fill"
expect_err "its latest timestamp 2056-02-08T01:46:40Z (in far.json) lies far"

# ---- sparse but small (43,201 slots, under 65,536): accepted
printf 'timestamp,series,value\n2024-06-01T00:00:00Z,m,1\n2024-06-01T00:01:00Z,m,2\n2024-07-01T00:00:00Z,m,3\n' >month.csv
expect_rc 0 "$H" ingest --store m.h5 month.csv
expect_rc 0 "$H" info m.h5
expect_out "$(printf 'm\tgauge\t60\t2024-06-01T00:00:00Z\t2024-07-01T00:00:00Z\t43201\t43198')"

# ---- the memory budget
expect_rc 65 "$H" ingest --store b.h5 --memory 100K month.csv
err_is <<'EOF'
headroom: error: the series' grids would take 337.5 KiB, over the memory budget of 100.0 KiB ([ingest] memory, --memory); the largest is m, 43201 points from 2024-06-01T00:00:00Z to 2024-07-01T00:00:00Z at a step of 60 s
headroom: error: store b.h5 not changed
EOF
expect_absent b.h5
expect_rc 0 "$H" ingest --store b.h5 --memory 0 month.csv
expect_rc 0 "$H" ingest --store b2.h5 --memory 1.5M month.csv
expect_rc 64 "$H" ingest --store b3.h5 --memory 12X month.csv
expect_err "bad --memory '12X' (want a size like 512M or 8G; 0: no limit)"
expect_rc 64 "$H" ingest --store b3.h5 --memory -1G month.csv
# the budget counts the stored grids too: keep (2 points) fits alone, not with m
snap s.h5
expect_rc 65 "$H" ingest --store s.h5 --memory 300K month.csv
expect_err "over the memory budget of 300.0 KiB"
unchanged s.h5
# and through run's config
mkdir -p cfg && cd cfg || exit 1
cp ../month.csv .
printf '[store]\npath = st.h5\n[ingest]\nexports = month.csv\nmemory = 64K\n[output]\ndir = rep\n' >r.ini
expect_rc 65 "$H" run --config r.ini
expect_err "over the memory budget of 64.0 KiB"
expect_absent st.h5
printf '[store]\npath = st.h5\n[ingest]\nexports = month.csv\nmemory = lots\n[output]\ndir = rep\n' >r2.ini
expect_rc 78 "$H" run --config r2.ini
expect_err "r2.ini:5: [ingest] memory: want a size like 512M or 8G (0: no limit), got \"lots\""
cd .. || exit 1

# ---- series keys: 4096 bytes accepted, 4097 a rejected row with its place
k4096=$(awk 'BEGIN { while (n++ < 4096) printf "k" }')
k4097="${k4096}k"
{ echo "time,series,value"; echo "2024-01-01T00:00:00Z,$k4096,1"; echo "2024-01-01T00:00:00Z,$k4097,1"; } >keys.csv
expect_rc 65 "$H" ingest --store k.h5 keys.csv
expect_err "keys.csv:3:22: series key is longer than 4096 bytes (4097)"
expect_rc 0 "$H" ingest --store k.h5 --max-bad-share 0.5 keys.csv
expect_rc 0 "$H" info k.h5
if [ "$(cut -f 1 "$T/out" | sed -n 2p)" = "$k4096" ] && [ "$(wc -l <"$T/out")" = 3 ]; then ok; else bad "4096-byte key not kept alone"; fi
# with labels, the rendered key counts
v=$(awk 'BEGIN { while (n++ < 4200) printf "v" }')
{ echo "time,metric,host,value"; echo "2024-01-01T00:00:00Z,cpu,$v,1"; } >lab.csv
expect_rc 65 "$H" ingest --store k2.h5 lab.csv
expect_err "lab.csv:2:22: series key is longer than 4096 bytes (4212)"

# ---- a header over 2^20 columns
awk 'BEGIN { printf "time"; for (i = 0; i < 1048576; i++) printf ",c%d", i; printf "\n2024-01-01T00:00:00Z,1\n" }' >wide.csv
expect_rc 65 "$H" ingest --store w.h5 wide.csv
expect_err "wide.csv:1:8326071: the header has 1048577 columns, more than the limit of 1048576"
expect_absent w.h5

summary limits
