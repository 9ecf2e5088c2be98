#!/bin/sh
# ingest: bad inputs and bad command lines. Every rejected row must be
# reported as file:line:column: reason (locations below computed by hand),
# a file over --max-bad-share fails with 65 and leaves the store exactly as
# it was, and nothing may crash.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

# every stderr line of the last command is 'headroom: LEVEL: text'
expect_err_format() {
    if grep -qvE '^headroom: (error|warning|info|debug): ' "$T/err"; then
        bad "stderr line not in 'headroom: LEVEL: text' form: $(grep -vE '^headroom: (error|warning|info|debug): ' "$T/err" | head -3)"
    else ok; fi
}
# snap STORE: remember md5 and dump; unchanged STORE: both still the same
snap() { md5sum <"$1" >"$T/snap.md5"; "$H" dump "$1" >"$T/snap.dump" 2>&1; }
unchanged() {
    md5sum <"$1" >"$T/now.md5"; "$H" dump "$1" >"$T/now.dump" 2>&1
    if cmp -s "$T/snap.md5" "$T/now.md5" && cmp -s "$T/snap.dump" "$T/now.dump"; then ok; else
        bad "store $1 changed: $(diff "$T/snap.dump" "$T/now.dump" | head -6)"
    fi
}

# a store with some data, to check that failures leave it alone
printf 'timestamp,series,value\n2024-06-01T00:00:00Z,keep,1.5\n2024-06-01T00:01:00Z,keep,2.5\n' >seed.csv
expect_rc 0 "$H" ingest --store s.h5 seed.csv
snap s.h5

# ---- empty, blank, header only --------------------------------------------
: >empty.csv
expect_rc 65 "$H" ingest --store s.h5 empty.csv
err_is <<'EOF'
headroom: error: empty.csv:1:1: empty file: no header
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF
unchanged s.h5
expect_rc 65 "$H" ingest --store new_empty.h5 empty.csv
expect_absent new_empty.h5
printf '\n\r\n\n' >blank.csv
expect_rc 65 "$H" ingest --store s.h5 blank.csv
expect_err 'headroom: error: blank.csv:'
unchanged s.h5
# header only: nothing to do, a warning, exit 0, store untouched
printf 'timestamp,series,value\n' >hdr.csv
expect_rc 0 "$H" ingest --store s.h5 hdr.csv
err_is <<'EOF'
headroom: warning: hdr.csv: no data rows
EOF
unchanged s.h5
expect_rc 0 "$H" ingest -q --store s.h5 hdr.csv
expect_no_err
printf '"Time","a"\r\n' >hdrwide.csv
expect_rc 0 "$H" ingest --store s.h5 hdrwide.csv
err_is <<'EOF'
headroom: warning: hdrwide.csv: no data rows
EOF
printf '{"status":"success","data":{"resultType":"matrix","result":[]}}\n' >hdr.json
expect_rc 0 "$H" ingest --store s.h5 hdr.json
err_is <<'EOF'
headroom: warning: hdr.json: no data rows
EOF
unchanged s.h5

# ---- missing or unusable columns ------------------------------------------
printf 'series,value\na,1\n' >nots.csv
expect_rc 65 "$H" ingest --store s.h5 nots.csv
expect_err 'headroom: error: nots.csv:1:1: long CSV header has no timestamp column'
printf 'timestamp,value,host\n1717200000,1,web1\n' >noser.csv
expect_rc 65 "$H" ingest --store s.h5 noser.csv
expect_err 'headroom: error: noser.csv:1:1: long CSV header has no series (or metric) column'
printf 'timestamp,series\n1717200000,a\n' >noval.csv
expect_rc 65 "$H" ingest --format long --store s.h5 noval.csv
expect_err 'headroom: error: noval.csv:1:1: long CSV header has no value column'
# without --format: 'series' names a long CSV, so the missing value column
# is what must be reported (not one bad number per row)
expect_rc 65 "$H" ingest --store s.h5 noval.csv
expect_err 'headroom: error: noval.csv:1:1: long CSV header has no value column'
printf 'foo,bar\n1,2\n' >nolayout.csv
expect_rc 65 "$H" ingest --store s.h5 nolayout.csv
expect_err 'headroom: error: nolayout.csv:1:1: cannot tell the layout from the header'
printf 'Time\n1717200000\n' >timeonly.csv
expect_rc 65 "$H" ingest --store s.h5 timeonly.csv
expect_err 'headroom: error: timeonly.csv:1:1: wide CSV header has no series columns'
printf 'value,Time,a\n1,1717200000,2\n' >widefirst.csv
expect_rc 65 "$H" ingest --format wide --store s.h5 widefirst.csv
expect_err 'headroom: error: widefirst.csv:1:1: wide CSV must start with a Time column'
printf 'Time,a,a\n1717200000,1,2\n' >dupcol.csv
expect_rc 65 "$H" ingest --store s.h5 dupcol.csv
expect_err 'headroom: error: dupcol.csv:1:8: series "a" appears twice in header'
printf 'Time,a,\n1717200000,1,2\n' >emptycol.csv
expect_rc 65 "$H" ingest --store s.h5 emptycol.csv
expect_err 'headroom: error: emptycol.csv:1:8: empty series name in header'
printf 'timestamp,metric,,value\n1717200000,cpu,x,1\n' >emptylab.csv
expect_rc 65 "$H" ingest --store s.h5 emptylab.csv
expect_err 'headroom: error: emptylab.csv:1:18: empty label column name'
printf 'timestamp,metric,host,host,value\n1717200000,cpu,a,b,1\n' >duplab.csv
expect_rc 65 "$H" ingest --store s.h5 duplab.csv
expect_err 'headroom: error: duplab.csv:1:1: label column "host" appears twice'
unchanged s.h5

# ---- not UTF-8 ----------------------------------------------------------------
printf 'timestamp,series,value\n1717200000,a\377b,1\n' >u_key.csv
expect_rc 65 "$H" ingest --store s.h5 u_key.csv
expect_err 'headroom: error: u_key.csv:2:12: series key is not valid UTF-8'
# overlong encoding of '/' and a UTF-16 surrogate are not UTF-8 either
printf 'timestamp,series,value\n1717200000,a\300\257b,1\n1717200000,x\355\240\200,1\n' >u_overlong.csv
expect_rc 65 "$H" ingest --store s.h5 u_overlong.csv
expect_err 'headroom: error: u_overlong.csv:2:12: series key is not valid UTF-8'
expect_err 'headroom: error: u_overlong.csv:3:12: series key is not valid UTF-8'
printf 'timestamp,metric,host,value\n1717200000,cpu,w\377,1\n' >u_label.csv
expect_rc 65 "$H" ingest --store s.h5 u_label.csv
expect_err 'headroom: error: u_label.csv:2:16: column "host" is not valid UTF-8'
printf '"Time","a\377"\n1717200000,1\n' >u_head.csv
expect_rc 65 "$H" ingest --store s.h5 u_head.csv
expect_err 'headroom: error: u_head.csv:1:8: column name is not valid UTF-8'
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"a\377"},"values":[[1717200000,"1"]]}]}}\n' >u_prom.json
expect_rc 65 "$H" ingest --store s.h5 u_prom.json
expect_err 'headroom: error: u_prom.json:1:'
# valid multi-byte UTF-8 is fine
printf 'timestamp,series,value\n1717200000,temp_\303\251t\303\251_\342\202\254,1\n' >u_ok.csv
expect_rc 0 "$H" ingest --store u_ok.h5 u_ok.csv
expect_no_err
unchanged s.h5

# ---- a bad value, located --------------------------------------------------------
printf 'timestamp,series,value\n2024-06-01T00:00:00Z,web1,1\n2024-06-01T00:01:00Z,web1,oops\n' >fleet.csv
expect_rc 65 "$H" ingest --store s.h5 fleet.csv
err_is <<'EOF'
headroom: error: fleet.csv:3:27: expected a number, got "oops"
headroom: error: fleet.csv: 1 of 2 rows rejected (50.00%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF
unchanged s.h5
# columns count bytes; quoted fields are located at their opening quote
printf 'timestamp,series,value\n"2024-06-01T00:00:00Z","web 1","x"\n' >fleetq.csv
expect_rc 65 "$H" ingest --store s.h5 fleetq.csv
expect_err 'headroom: error: fleetq.csv:2:32: expected a number, got "x"'
# units (Grafana "Formatted data") are rejected with a hint
printf '"Time","cpu"\n1717200000000,45.2%%\n1717200060000,1\n' >pct.csv
expect_rc 65 "$H" ingest --store s.h5 pct.csv
expect_err 'headroom: error: pct.csv:2:15: expected a number (units such as %'
expect_err 'turn off Grafana'\''s "Formatted data"), got "45.2%"'
if grep -q '%%' "$T/err"; then bad "a doubled %% in: $(cat "$T/err")"; else ok; fi
printf 'timestamp,series,value\n1717200000,lat,12ms\n' >ms.csv
expect_rc 65 "$H" ingest --store s.h5 ms.csv
expect_err 'headroom: error: ms.csv:2:16: expected a number'
expect_err 'got "12ms"'
# control characters in the excerpt are escaped
printf 'timestamp,series,value\n1717200000,a,"1\0032"\n' >ctl.csv
expect_rc 65 "$H" ingest --store s.h5 ctl.csv
expect_err 'headroom: error: ctl.csv:2:14: expected a number'
expect_err 'got "1\x032"'
unchanged s.h5

# ---- --max-bad-share (default 1%) ----------------------------------------------
# 100 rows with the bad one at line 3 (value at column 27): exactly 1% passes
awk 'BEGIN { print "timestamp,series,value"
             for (i = 0; i < 100; i++)
                 printf "2024-06-01T%02d:%02d:00Z,web1,%s\n", int(i / 60), i % 60, (i == 1 ? "oops" : i + 0.5) }' >share1.csv
expect_rc 0 "$H" ingest --store share1.h5 share1.csv
err_is <<'EOF'
headroom: error: share1.csv:3:27: expected a number, got "oops"
EOF
expect_rc 0 "$H" info share1.h5
expect_out 'web1	gauge	60	2024-06-01T00:00:00Z	2024-06-01T01:39:00Z	100	1'
# 2 of 100 fails and changes nothing
awk 'BEGIN { print "timestamp,series,value"
             for (i = 0; i < 100; i++)
                 printf "2024-06-02T%02d:%02d:00Z,web1,%s\n", int(i / 60), i % 60, (i == 1 || i == 98 ? "oops" : i + 0.5) }' >share2.csv
expect_rc 65 "$H" ingest --store s.h5 share2.csv
err_is <<'EOF'
headroom: error: share2.csv:3:27: expected a number, got "oops"
headroom: error: share2.csv:100:27: expected a number, got "oops"
headroom: error: share2.csv: 2 of 100 rows rejected (2.00%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF
unchanged s.h5
expect_absent s.h5.tmp
# a higher limit lets it through (the two rows still reported)
expect_rc 0 "$H" ingest --max-bad-share 0.05 --store share2.h5 share2.csv
expect_err 'headroom: error: share2.csv:100:27: expected a number, got "oops"'
expect_rc 0 "$H" info share2.h5
expect_out 'total: 1 series, 100 points, 2 gaps'
# --max-bad-share 0: any rejected row fails
expect_rc 65 "$H" ingest --max-bad-share 0 --store share0.h5 share1.csv
expect_err 'share1.csv: 1 of 100 rows rejected (1.00%), over the limit of 0%: file not ingested'
expect_absent share0.h5
# all or nothing across files: the good file is not ingested either
printf 'timestamp,series,value\n2024-06-03T00:00:00Z,other,1\n' >good.csv
expect_rc 65 "$H" ingest --store s.h5 good.csv share2.csv
expect_err 'headroom: error: store s.h5 not changed: 1 of 2 files failed'
unchanged s.h5
# the first 1000 rejected rows are shown; -v shows all
awk 'BEGIN { print "timestamp,series,value"
             for (i = 0; i < 1200; i++) printf "%d,a,bad\n", 1717200000 + 60 * i }' >many.csv
expect_rc 65 "$H" ingest --store s.h5 many.csv
if [ "$(grep -c 'many.csv:[0-9]*:14: expected a number, got "bad"' "$T/err")" = 1000 ]; then ok; else bad "want 1000 located lines"; fi
expect_err 'headroom: error: many.csv: 200 more rejected rows not shown (use -v to see all)'
expect_err 'headroom: error: many.csv:1001:14: expected a number, got "bad"'
expect_rc 65 "$H" ingest -v --store s.h5 many.csv
if [ "$(grep -c 'many.csv:[0-9]*:14: expected a number, got "bad"' "$T/err")" = 1200 ]; then ok; else bad "want 1200 located lines with -v"; fi
expect_err 'headroom: error: many.csv:1201:14: expected a number, got "bad"'
unchanged s.h5

# ---- absurd values -------------------------------------------------------------
printf 'timestamp,series,value\n1717200000,a,1e300\n1717200060,a,1e999\n1717200120,a,-1e999\n1717200180,a,-2e24\n' >absurd.csv
expect_rc 65 "$H" ingest --store s.h5 absurd.csv
err_is <<'EOF'
headroom: error: absurd.csv:2:14: absurd value (magnitude above 1e24), got "1e300"
headroom: error: absurd.csv:3:14: number out of range, got "1e999"
headroom: error: absurd.csv:4:14: number out of range, got "-1e999"
headroom: error: absurd.csv:5:14: absurd value (magnitude above 1e24), got "-2e24"
headroom: error: absurd.csv: 4 of 4 rows rejected (100.00%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF
printf 'Time,a,b\n1717200000,1,1e300\n' >absurdw.csv
expect_rc 65 "$H" ingest --store s.h5 absurdw.csv
expect_err 'headroom: error: absurdw.csv:2:14: absurd value (magnitude above 1e24), got "1e300"'
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x"},"values":[[1717200000,"1e300"],[1717200060,"1e999"],[1717200120,1e300]]}]}}\n' >absurd.json
expect_rc 65 "$H" ingest --store s.h5 absurd.json
expect_err 'headroom: error: absurd.json: data.result[0].values[0]: absurd value (magnitude above 1e24), got "1e300"'
expect_err 'headroom: error: absurd.json: data.result[0].values[1]: number out of range, got "1e999"'
expect_err 'headroom: error: absurd.json: data.result[0].values[2]: absurd value (magnitude above 1e24)'
unchanged s.h5

# ---- bad timestamps ------------------------------------------------------------
printf '%s\n' 'timestamp,series,value' \
    '2024-06-31 00:00:00,a,1' \
    '2024-06-01 25:00:00,a,1' \
    '2024/06/01,a,1' \
    '1717200000.5e3,a,1' \
    '99999999999999999999,a,1' \
    '-5,a,1' \
    '2024-06-01T00:00:00+2,a,1' \
    '2023-02-29T00:00:00Z,a,1' \
    ',a,1' \
    '2201-01-01T00:00:00Z,a,1' >badtime.csv
expect_rc 65 "$H" ingest --store s.h5 badtime.csv
err_is <<'EOF'
headroom: error: badtime.csv:2:1: no such date, got "2024-06-31 00:00:00"
headroom: error: badtime.csv:3:1: no such time of day, got "2024-06-01 25:00:00"
headroom: error: badtime.csv:4:1: unrecognised timestamp, got "2024/06/01"
headroom: error: badtime.csv:5:1: unrecognised timestamp, got "1717200000.5e3"
headroom: error: badtime.csv:6:1: timestamp out of range (before 1970 or after 2200), got "99999999999999999999"
headroom: error: badtime.csv:7:1: timestamp out of range (before 1970 or after 2200), got "-5"
headroom: error: badtime.csv:8:1: unrecognised timestamp (want epoch seconds/ms, RFC 3339 or YYYY-MM-DD HH:MM:SS), got "2024-06-01T00:00:00+2"
headroom: error: badtime.csv:9:1: no such date, got "2023-02-29T00:00:00Z"
headroom: error: badtime.csv:10:1: empty timestamp, got ""
headroom: error: badtime.csv:11:1: timestamp out of range (before 1970 or after 2200), got "2201-01-01T00:00:00Z"
headroom: error: badtime.csv: 10 of 10 rows rejected (100.00%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF
# a stray timestamp that would blow the grid up fails the run, naming it
printf 'timestamp,series,value\n1717200000,a,1\n1717200060,a,2\n7258118400,a,3\n' >stray.csv
expect_rc 65 "$H" ingest --store s.h5 stray.csv
expect_err 'headroom: error: series a: 3 points would fill 3.2e-06 % of the 92348641 slots its span from 2024-06-01T00:00:00Z to 2200-01-01T00:00:00Z needs at a step of 60 s; its latest timestamp 2200-01-01T00:00:00Z (stray.csv:4) lies far from the others'
expect_err 'headroom: error: store s.h5 not changed'
unchanged s.h5

# ---- truncated last line -------------------------------------------------------
printf 'timestamp,series,value\n1717200000,a,1\n1717200060,a' >trunc.csv
expect_rc 65 "$H" ingest --store s.h5 trunc.csv
err_is <<'EOF'
headroom: error: trunc.csv:3:13: expected 3 fields, got 2
headroom: error: trunc.csv: 1 of 2 rows rejected (50.00%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF
printf 'timestamp,series,value\r\n1717200000,a,1\r\n1717200060,a' >trunc_crlf.csv
expect_rc 65 "$H" ingest --store s.h5 trunc_crlf.csv
expect_err 'headroom: error: trunc_crlf.csv:3:13: expected 3 fields, got 2'
printf 'timestamp,series,value\n1717200000,a,1\n17172' >trunc_ts.csv
expect_rc 65 "$H" ingest --store s.h5 trunc_ts.csv
expect_err 'headroom: error: trunc_ts.csv:3:6: expected 3 fields, got 1'
unchanged s.h5
# in a long file the truncated line is one rejected row under the limit
awk 'BEGIN { print "timestamp,series,value"
             for (i = 0; i < 100; i++) printf "%d,a,%d.5\n", 1717200000 + 60 * i, i
             printf "%d,a", 1717200000 + 6000 }' >trunc_long.csv
expect_rc 0 "$H" ingest --store trunc_long.h5 trunc_long.csv
err_is <<'EOF'
headroom: error: trunc_long.csv:102:13: expected 3 fields, got 2
EOF
expect_rc 0 "$H" info trunc_long.h5
expect_out 'a	gauge	60	2024-06-01T00:00:00Z	2024-06-01T01:39:00Z	100	0'
# a complete last line without its newline is fine
printf 'timestamp,series,value\n1717200000,a,1\n1717200060,a,2' >nonl.csv
expect_rc 0 "$H" ingest --store nonl.h5 nonl.csv
expect_no_err
dump_is nonl.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1
2024-06-01T00:01:00Z,a,2
EOF
# wide rows with too few or too many fields
printf 'Time,a,b\n1717200000,1\n1717200060,1,2,3\n1717200120,1,2\n' >widecount.csv
expect_rc 65 "$H" ingest --store s.h5 widecount.csv
expect_err 'headroom: error: widecount.csv:2:13: expected 3 fields, got 2'
expect_err 'headroom: error: widecount.csv:3:16: expected 3 fields, got 4'
# a bad wide cell drops that cell only
printf 'Time,a,b\n1717200000,x,2\n1717200060,1,3\n' >widecell.csv
expect_rc 0 "$H" ingest --max-bad-share 1 --store widecell.h5 widecell.csv
expect_err 'headroom: error: widecell.csv:2:12: expected a number, got "x"'
dump_is widecell.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,b,2
2024-06-01T00:01:00Z,b,3
2024-06-01T00:01:00Z,a,1
EOF
unchanged s.h5

# ---- unterminated and stray quotes -------------------------------------------------
# the file ends inside a quoted field opened at line 3, column 12
printf 'timestamp,series,value\n1717200000,a,1\n1717200060,"a,2\n' >unterm.csv
expect_rc 65 "$H" ingest --store s.h5 unterm.csv
expect_err 'headroom: error: unterm.csv:3:'
expect_err 'quote'
expect_err 'headroom: error: unterm.csv:3:12: '
unchanged s.h5
# same with more lines after it: they must not vanish into the field
printf 'timestamp,series,value\n1717200000,a,1\n1717200060,"a,2\n1717200120,a,3\n1717200180,a,4\n' >unterm2.csv
expect_rc 65 "$H" ingest --store s.h5 unterm2.csv
expect_err 'headroom: error: unterm2.csv:3:'
expect_err 'quote'
# text after a closing quote ("a"b): the record is rejected at line 2 and
# the rows after it are still read as rows (not swallowed into a key)
printf 'timestamp,series,value\n1717200000,"a"b,1\n1717200060,"c",2\n1717200120,"c",3\n' >stray_q.csv
expect_rc 65 "$H" ingest --store stray_q.h5 stray_q.csv
expect_err 'headroom: error: stray_q.csv:2:'
expect_absent stray_q.h5
expect_rc 0 "$H" ingest --max-bad-share 0.5 --store stray_q2.h5 stray_q.csv
dump_is stray_q2.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:01:00Z,c,2
2024-06-01T00:02:00Z,c,3
EOF

# ---- lines of several megabytes -------------------------------------------------
# One huge field costs libcsv a realloc per 128 bytes: fine natively, but
# minutes under ASan, where realloc always copies; so a sanitizer build gets
# 600 kB fields (the 5 MB line of many fields below stays 5 MB).
BIG=5000000
if grep -q __asan_init "$H" 2>/dev/null; then BIG=600000; fi
big() { head -c "$BIG" /dev/zero | tr '\0' "$1"; }
# a huge series key is a rejected row, located (keys are limited to 4096
# bytes: tests/cli/limits.sh)
{ printf 'timestamp,series,value\n1717200000,a,1\n1717200060,'; big k; printf ',2\n'; } >bigkey.csv
expect_rc 65 "$H" ingest --store bigkey.h5 bigkey.csv
expect_err "headroom: error: bigkey.csv:3:12: series key is longer than 4096 bytes ($BIG)"
expect_absent bigkey.h5
# a huge value field: a clean located error with a short excerpt
{ printf 'timestamp,series,value\n1717200000,a,1\n1717200060,a,'; big 7; printf '\n'; } >bigval.csv
expect_rc 65 "$H" ingest --store s.h5 bigval.csv
expect_err 'headroom: error: bigval.csv:3:14: '
expect_err 'got "7777777777777777777777777777777777777777..."'
# a huge timestamp
{ printf 'timestamp,series,value\n1717200000,a,1\n'; big 1; printf ',a,2\n'; } >bigts.csv
expect_rc 65 "$H" ingest --store s.h5 bigts.csv
expect_err 'headroom: error: bigts.csv:3:1: '
# a huge quoted field that never ends
{ printf 'timestamp,series,value\n1717200000,a,1\n1717200060,a,"'; big 7; printf '\n'; } >bigquote.csv
expect_rc 65 "$H" ingest --store s.h5 bigquote.csv
expect_err 'headroom: error: bigquote.csv:3:14: '
# a huge wide header: its column name would be a series key
{ printf 'Time,'; big c; printf '\n1717200000,1\n'; } >bighead.csv
expect_rc 65 "$H" ingest --store bighead.h5 bighead.csv
expect_err "headroom: error: bighead.csv:1:6: column name is longer than 4096 bytes ($BIG)"
expect_absent bighead.h5
# a 5 MB line of 50,003 fields: located at the first extra field
# ("1717200060," is 11 bytes, then two 100-byte fields and their commas)
{ printf 'timestamp,series,value\n1717200000,a,1\n1717200060,'
  head -c 5000000 /dev/zero | tr '\0' k | sed 's/k\{100\}/&,/g'; printf ',2\n'; } >bigline.csv
expect_rc 65 "$H" ingest --store s.h5 bigline.csv
err_is <<'EOF'
headroom: error: bigline.csv:3:214: expected 3 fields, got 50003
headroom: error: bigline.csv: 1 of 2 rows rejected (50.00%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF
unchanged s.h5

# ---- missing and unreadable inputs --------------------------------------------------
expect_rc 66 "$H" ingest --store s.h5 nothere.csv
err_is <<'EOF'
headroom: error: nothere.csv: cannot read: No such file or directory
EOF
expect_rc 66 "$H" ingest --store s.h5 seed.csv nothere.csv
expect_err 'headroom: error: nothere.csv: cannot read: No such file or directory'
expect_rc 66 "$H" ingest --store new66.h5 nothere.csv
expect_absent new66.h5
mkdir adir
expect_rc 66 "$H" ingest --store s.h5 adir
expect_err 'headroom: error: adir: not a regular file (a directory)'
# a read error (EIO) is 74
expect_rc 74 "$H" ingest --store s.h5 /proc/self/mem
expect_err 'headroom: error: /proc/self/mem:1: read error: Input/output error'
unchanged s.h5

# ---- bad command lines: 64 -------------------------------------------------------
expect_rc 64 "$H" ingest seed.csv
err_is <<'EOF'
headroom: error: --store is required
headroom: error: try 'headroom ingest --help'
EOF
expect_rc 64 "$H" ingest --store s.h5
expect_err 'headroom: error: no input files'
expect_rc 64 "$H" ingest --store s.h5 --format xml seed.csv
expect_err "headroom: error: unknown format 'xml' (want auto, long, wide, prometheus"
expect_rc 64 "$H" ingest --store s.h5 --max-bad-share 2 seed.csv
expect_err "headroom: error: bad --max-bad-share '2' (want a share from 0 to 1)"
expect_rc 64 "$H" ingest --store s.h5 --max-bad-share abc seed.csv
expect_rc 64 "$H" ingest --store s.h5 --step 5x seed.csv
expect_err "headroom: error: bad --step '5x' (want e.g. 60s, 5m, 1h)"
expect_rc 64 "$H" ingest --store s.h5 --step 0 seed.csv
expect_rc 64 "$H" ingest --store s.h5 --bogus seed.csv
expect_err "headroom: error: try 'headroom ingest --help'"
expect_err_format
expect_rc 64 "$H" ingest seed.csv --store
expect_err_format
expect_rc 64 "$H" dump --bogus s.h5
expect_err_format
expect_rc 64 "$H" dump
expect_err "headroom: error: want exactly one store"
expect_rc 64 "$H" info s.h5 s.h5
expect_err "headroom: error: want exactly one store"
expect_rc 64 "$H" frobnicate
expect_err "headroom: error: unknown command 'frobnicate'"
expect_err "headroom: error: try 'headroom --help'"
expect_rc 64 "$H"
unchanged s.h5

# ---- --help of each command: exit 0, exit codes listed ------------------------------
for c in "" ingest info dump; do
    # shellcheck disable=SC2086
    expect_rc 0 "$H" $c --help
    expect_out 'Exit codes'
    expect_out '75  another headroom run holds'
    expect_no_err
done
expect_rc 0 "$H" ingest -h
expect_out 'Usage: headroom ingest --store STORE.h5'

# only regular files (and '-'): a FIFO would block until a writer comes,
# /dev/zero never ends; both exit 66 at once (timeout: a hang fails)
mkfifo "$T/fifo"
expect_rc 66 timeout 20 "$H" ingest --store "$T/fifo.h5" "$T/fifo"
expect_err "fifo: not a regular file (a FIFO): headroom reads files, and standard input as '-'"
expect_rc 66 timeout 20 "$H" ingest --store "$T/fifo.h5" /dev/zero
expect_err "/dev/zero: not a regular file (a device)"
expect_rc 66 timeout 20 "$H" run --config "$T/fifo"
expect_err "fifo: not a regular file (a FIFO)"
printf '[store]\npath = %s\n[inventory]\npath = %s\n' "$T/fifo.h5" "$T/fifo" >"$T/fifo.ini"
printf 'timestamp,series,value\n2024-01-01T00:00:00Z,a,1\n2024-01-01T01:00:00Z,a,2\n' | "$H" ingest --store "$T/fifo.h5" - 2>/dev/null
expect_rc 66 timeout 20 "$H" run --config "$T/fifo.ini"
expect_err "fifo: not a regular file (a FIFO)"

# a wide header is read in linear time (it was quadratic: 80,000 columns
# took a minute, so 300,000 would take a quarter of an hour; the timeout
# only catches that), and an error in it still names its column
awk 'BEGIN { n = 300000; printf "Time"; for (i = 0; i < n; i++) printf ",s%d", i; printf "\n"
    printf "2024-01-01T00:00:00Z"; for (i = 0; i < n; i++) printf ",1"; printf "\n" }' >"$T/wide300k.csv"
expect_rc 0 timeout 120 "$H" ingest --store "$T/wide300k.h5" "$T/wide300k.csv"
awk 'BEGIN { n = 50000; printf "Time"; for (i = 0; i < n; i++) printf ",s%d", i; printf ",s7\n" }' >"$T/widedup.csv"
echo "2024-01-01T00:00:00Z$(awk 'BEGIN { for (i = 0; i <= 50000; i++) printf ",1" }')" >>"$T/widedup.csv"
col=$(head -n 1 "$T/widedup.csv" | awk '{ print length($0) - 1 }')
expect_rc 65 timeout 120 "$H" ingest --store "$T/widedup.h5" "$T/widedup.csv"
expect_err "widedup.csv:1:$col: series \"s7\" appears twice in header"

summary ingest_bad