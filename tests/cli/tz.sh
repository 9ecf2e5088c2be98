#!/bin/sh
# --tz ZONE and [input] tz: timestamps without a UTC offset read as local
# time in an IANA zone (Grafana "Formatted data" exports), the DST gap and
# overlap rules with their file:line:column warnings, offsets and epochs
# untouched, unknown zones (64 on the command line, 78 in a config), and
# the same instants through every command that reads exports.
. "$HR_TOP/tests/cli/lib.sh"
cd "$T" || exit 1

# ---- a Grafana wide CSV in Europe/Berlin local time ---------------------
# Formatted times (quoted header, CRLF), winter and summer: CET is +01:00,
# CEST +02:00
printf '"Time","cpu{host=""web1""}"\r\n2024-01-15 12:00:00,41.5\r\n2024-01-15 12:05:00,43\r\n2024-06-01 00:00:00,40\r\n2024-06-01 00:05:00,42\r\n' >berlin.csv
quiet_ok --tz Europe/Berlin --store berlin.h5 berlin.csv
dump_is berlin.h5 <<'EOF'
timestamp,series,value
2024-01-15T11:00:00Z,"cpu{host=""web1""}",41.5
2024-01-15T11:05:00Z,"cpu{host=""web1""}",43
2024-05-31T22:00:00Z,"cpu{host=""web1""}",40
2024-05-31T22:05:00Z,"cpu{host=""web1""}",42
EOF
# without --tz the same file is UTC, as before
quiet_ok --store berlin_utc.h5 berlin.csv
dump_is berlin_utc.h5 <<'EOF'
timestamp,series,value
2024-01-15T12:00:00Z,"cpu{host=""web1""}",41.5
2024-01-15T12:05:00Z,"cpu{host=""web1""}",43
2024-06-01T00:00:00Z,"cpu{host=""web1""}",40
2024-06-01T00:05:00Z,"cpu{host=""web1""}",42
EOF
# --tz UTC changes nothing and needs no zone file
quiet_ok --tz UTC --store berlin_utc2.h5 berlin.csv
expect_same berlin_utc.h5 berlin_utc2.h5

# A real local-time export across the spring-forward night (every 30 min
# from 2024-03-30 22:00Z to 2024-03-31 04:00Z, formatted by the C library
# in Europe/Berlin: 01:30 is followed by 03:00) lands on the UTC grid with
# no gap and no warning
TZ=Europe/Berlin awk 'BEGIN { printf "\"Time\",\"load\"\r\n"
  for (i = 0; i <= 12; i++) { s = 1711836000 + 1800*i
    printf "%s,%d\r\n", strftime("%Y-%m-%d %H:%M:%S", s), i } }' >spring.csv
grep -q '^2024-03-31 01:30:00,5' spring.csv && grep -q '^2024-03-31 03:00:00,6' spring.csv && ok ||
    bad "spring.csv not as expected: $(tr '\r\n' '  ' <spring.csv)"
quiet_ok --tz Europe/Berlin --store spring.h5 spring.csv
awk 'BEGIN { print "timestamp,series,value"
  for (i = 0; i <= 12; i++) printf "%s,load,%d\n", strftime("%Y-%m-%dT%H:%M:%SZ", 1711836000 + 1800*i, 1), i }' >spring.want
dump_is spring.h5 <spring.want
expect_rc 0 "$H" info spring.h5
expect_out 'load	gauge	1800	2024-03-30T22:00:00Z	2024-03-31T04:00:00Z	13	0'

# ---- the DST rules, with a warning per row naming file:line:column ------
# Gap: 2024-03-31 02:30 does not exist in Berlin; read with the offset
# before the change (+01:00), as if the clock had not moved yet.
# Overlap: 2024-10-27 02:30 occurs twice; read as the first occurrence
# (+02:00, summer time). The rows are kept, not rejected.
printf 'timestamp,series,value\n2024-03-31 01:30:00,a,1\n2024-03-31 02:30:00,a,2\n2024-10-27 02:30:00,b,3\n2024-10-27T03:30:00,b,4\n' >dst.csv
expect_rc 0 "$H" ingest -v --tz Europe/Berlin --store dst.h5 dst.csv
err_is <<'EOF'
headroom: warning: dst.csv:3:1: 2024-03-31 02:30:00 does not exist in Europe/Berlin (DST gap); read with the offset before the change, as 2024-03-31T01:30:00Z
headroom: warning: dst.csv:4:1: 2024-10-27 02:30:00 occurs twice in Europe/Berlin (DST overlap); read as the first occurrence, 2024-10-27T00:30:00Z
headroom: info: dst.csv: long, 4 rows, 0 rejected, 4 samples, 2 series
headroom: info: store dst.h5: 2 series (2 new)
EOF
dump_is dst.h5 <<'EOF'
timestamp,series,value
2024-03-31T00:30:00Z,a,1
2024-03-31T01:30:00Z,a,2
2024-10-27T00:30:00Z,b,3
2024-10-27T02:30:00Z,b,4
EOF
# America/New_York: gap 2024-03-10 02:30 (read as EST, 07:30Z), overlap
# 2024-11-03 01:30 (read as EDT, 05:30Z); the time column is not the first
printf 'Series;Time;Value\nq;2024-03-10 02:30:00;1\nq;2024-11-03 01:30:00;2\nq;2024-07-04 12:00:00;3\n' >ny.csv
expect_rc 0 "$H" ingest --tz America/New_York --store ny.h5 ny.csv
err_is <<'EOF'
headroom: warning: ny.csv:2:3: 2024-03-10 02:30:00 does not exist in America/New_York (DST gap); read with the offset before the change, as 2024-03-10T07:30:00Z
headroom: warning: ny.csv:3:3: 2024-11-03 01:30:00 occurs twice in America/New_York (DST overlap); read as the first occurrence, 2024-11-03T05:30:00Z
EOF
"$H" dump ny.h5 | grep -q '^2024-07-04T16:00:00Z,q,3$' && ok || bad "New York summer time not -04:00: $("$H" dump ny.h5)"
# -q hides the warnings
quiet_ok -q --tz America/New_York --store ny_q.h5 ny.csv
# a repeated local hour (what a formatted export shows at fall-back) lands
# on the first occurrence twice: the later row wins, as for any duplicate
printf '"Time","x"\r\n2024-10-27 01:00:00,1\r\n2024-10-27 02:00:00,2\r\n2024-10-27 02:00:00,3\r\n2024-10-27 03:00:00,4\r\n' >fall.csv
expect_rc 0 "$H" ingest --tz Europe/Berlin --store fall.h5 fall.csv
expect_err 'fall.csv:3:1: 2024-10-27 02:00:00 occurs twice in Europe/Berlin (DST overlap); read as the first occurrence, 2024-10-27T00:00:00Z'
expect_err 'fall.csv:4:1: 2024-10-27 02:00:00 occurs twice'
dump_is fall.h5 <<'EOF'
timestamp,series,value
2024-10-26T23:00:00Z,x,1
2024-10-27T00:00:00Z,x,3
2024-10-27T02:00:00Z,x,4
EOF

# ---- offsets, Z and epochs are kept; a date alone is local midnight ------
printf 'timestamp,series,value\n2024-06-01T00:00:00Z,z,1\n2024-06-01T02:00:00+02:00,o,1\n1717200000,e,1\n1717200000000,m,1\n2024-06-01,d,1\n' >keep.csv
quiet_ok --tz Asia/Tokyo --store keep.h5 keep.csv
dump_is keep.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,z,1
2024-06-01T00:00:00Z,o,1
2024-06-01T00:00:00Z,e,1
2024-06-01T00:00:00Z,m,1
2024-05-31T15:00:00Z,d,1
EOF
# Prometheus JSON is epoch seconds: --tz changes nothing
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1717200000,"1"]]}]}}' >p.json
quiet_ok --tz Europe/Berlin --store p.h5 p.json
dump_is p.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,up,1
EOF

# ---- unknown zones: usage error 64 naming the zone, nothing written ------
expect_rc 64 "$H" ingest --tz Mars/Olympus --store bad.h5 berlin.csv
err_is <<'EOF'
headroom: error: --tz: unknown time zone "Mars/Olympus": no file /usr/share/zoneinfo/Mars/Olympus (want an IANA name such as Europe/Berlin; is the tzdata package installed?)
headroom: error: try 'headroom ingest --help'
EOF
expect_absent bad.h5
expect_rc 64 "$H" ingest --tz ../../etc/passwd --store bad.h5 berlin.csv
expect_err 'unknown time zone "../../etc/passwd" (want an IANA name such as Europe/Berlin)'
expect_rc 64 "$H" ingest --tz Europe --store bad.h5 berlin.csv
expect_err 'unknown time zone "Europe": no file /usr/share/zoneinfo/Europe'
expect_rc 64 "$H" ingest --tz --store bad.h5 berlin.csv
expect_absent bad.h5
for cmd in detect forecast changepoints capacity; do
    expect_rc 64 "$H" $cmd --tz Nowhere/Atlantis berlin.csv
    expect_err 'unknown time zone "Nowhere/Atlantis"'
    expect_err "try 'headroom $cmd --help'"
done

# ---- every command that reads exports sees the same instants ------------
# ten June days, hourly, with a level shift and a spike: local.csv in
# Berlin summer time (UTC+2) and utc.csv with the same instants in UTC
awk 'BEGIN { print "timestamp,series,value" >"local.csv"; print "timestamp,series,value" >"utc.csv"
  for (i = 0; i < 240; i++) { s = 1717200000 + 3600*i
    v = 50 + 8*sin(2*3.14159265*(i%24)/24) + (i >= 150 ? 30 : 0) + (i == 100 ? 70 : 0) + (i%7)/10
    printf "%s,disk_used_pct,%.2f\n", strftime("%Y-%m-%d %H:%M:%S", s + 7200, 1), v >"local.csv"
    printf "%s,disk_used_pct,%.2f\n", strftime("%Y-%m-%dT%H:%M:%SZ", s, 1), v >"utc.csv" } }'
"$H" forecast --horizon 3 utc.csv >f_utc.csv 2>/dev/null
expect_rc 0 "$H" forecast --horizon 3 --tz Europe/Berlin local.csv
expect_no_err
expect_same "$T/out" f_utc.csv
grep -q '^disk_used_pct,2024-06-11T00:00:00Z,' f_utc.csv && ok || bad "forecast: $(head -3 f_utc.csv)"
"$H" changepoints utc.csv >c_utc.csv 2>/dev/null
expect_rc 0 "$H" changepoints --tz Europe/Berlin local.csv
expect_same "$T/out" c_utc.csv
grep -q '2024-06-07T06:00:00Z' c_utc.csv && ok || bad "changepoints: $(cat c_utc.csv)"
"$H" detect --spans utc.csv >d_utc.csv 2>/dev/null
expect_rc 0 "$H" detect --spans --tz Europe/Berlin local.csv
expect_same "$T/out" d_utc.csv
grep -q '^disk_used_pct,2024-06-05T04:00:00Z,' d_utc.csv && ok || bad "detect spans: $(cat d_utc.csv)"
printf 'series,capacity\ndisk_used_pct,100\n' >inv.csv
"$H" capacity -r inv.csv -o cap_utc utc.csv 2>/dev/null
expect_rc 0 "$H" capacity -r inv.csv -o cap_local --tz Europe/Berlin local.csv
expect_same cap_local/capacity.json cap_utc/capacity.json

# ---- [input] tz in the config of run -------------------------------------
cat >tz.ini <<EOF
[store]
path = $T/run.h5
[ingest]
exports = $T/local.csv
[input]
tz = Europe/Berlin
[output]
dir = $T/rep
EOF
expect_rc 0 "$H" run --config tz.ini --print-config
expect_out 'tz = Europe/Berlin'
expect_rc 0 "$H" run --config tz.ini
"$H" ingest --store direct.h5 utc.csv 2>/dev/null
"$H" dump run.h5 >run.dump 2>/dev/null
"$H" dump direct.h5 >direct.dump 2>/dev/null
expect_same run.dump direct.dump
head -2 run.dump | tail -1 | grep -q '^2024-06-01T00:00:00Z,disk_used_pct,' && ok || bad "run store: $(head -2 run.dump)"
# no tz: not printed, and UTC as before
sed '/^tz = /d' tz.ini | sed "s|run.h5|run_utc.h5|" >notz.ini
expect_rc 0 "$H" run --config notz.ini --print-config
if grep -q '^tz' "$T/out"; then bad "tz printed without [input] tz"; else ok; fi
# an unknown zone in the config: configuration error 78 with file:line
printf '[store]\npath = x.h5\n[input]\ntz = Europe/Atlantis\n' >badtz.ini
expect_rc 78 "$H" run --config badtz.ini
expect_err 'headroom: error: badtz.ini:4: [input] tz: unknown time zone "Europe/Atlantis": no file /usr/share/zoneinfo/Europe/Atlantis'
expect_absent x.h5

summary tz
