#!/bin/sh
# ingest: the readers (long CSV, Grafana wide CSV, old ';' Grafana layouts,
# Prometheus query_range JSON), encodings and line ends, timestamp formats,
# NaN/Inf, the duplicate rule and counters. Every case checks the exact
# `headroom dump` output and the exact stderr (silent on success).
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

# dump_is STORE [ARGS]: `headroom dump [ARGS] STORE` exits 0 and prints stdin
# err_is: the last command's stderr is exactly stdin
# quiet_ok ARGS...: `headroom ingest ARGS` exits 0 and prints nothing at all

# ---- long CSV, series column kept verbatim ------------------------------
printf 'timestamp,series,value\n2024-06-01T00:00:00Z,db1.disk_used_pct,71.3\n2024-06-01T00:05:00Z,db1.disk_used_pct,71.5\n2024-06-01T00:10:00Z,db1.disk_used_pct,72\n2024-06-01T00:00:00Z,weird key {x} ok,1\n2024-06-01T00:05:00Z,weird key {x} ok,2\n' >long.csv
quiet_ok --store long.h5 long.csv
dump_is long.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,db1.disk_used_pct,71.3
2024-06-01T00:05:00Z,db1.disk_used_pct,71.5
2024-06-01T00:10:00Z,db1.disk_used_pct,72
2024-06-01T00:00:00Z,weird key {x} ok,1
2024-06-01T00:05:00Z,weird key {x} ok,2
EOF
expect_rc 0 "$H" info long.h5
expect_out 'db1.disk_used_pct	gauge	300	2024-06-01T00:00:00Z	2024-06-01T00:10:00Z	3	0'
expect_out 'total: 2 series, 5 points, 0 gaps'

# -v reports per file and store totals
expect_rc 0 "$H" ingest -v --store long_v.h5 long.csv
err_is <<'EOF'
headroom: info: long.csv: long, 5 rows, 0 rejected, 5 samples, 2 series
headroom: info: store long_v.h5: 2 series (2 new)
EOF

# ---- long CSV, metric + label columns ----------------------------------
# labels sorted by name whatever the column order, empty label dropped,
# quotes and backslashes in label values escaped; header names any case
printf 'Timestamp,metric,zone,host,Value\n1717200000,cpu,eu,web1,1\n1717200060,cpu,eu,web1,2\n1717200000,cpu,,web2,5\n1717200000,cpu,us,"a""b\\\\c",7\n' >labels.csv
quiet_ok --store labels.h5 labels.csv
dump_is labels.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"cpu{host=""web1"",zone=""eu""}",1
2024-06-01T00:01:00Z,"cpu{host=""web1"",zone=""eu""}",2
2024-06-01T00:00:00Z,"cpu{host=""web2""}",5
2024-06-01T00:00:00Z,"cpu{host=""a\""b\\\\c"",zone=""us""}",7
EOF
expect_rc 0 "$H" info labels.h5
expect_out 'cpu{host="a\"b\\\\c",zone="us"}	gauge	0	'

# __name__ as the metric column, no labels: the key is the bare name
printf 'timestamp,__name__,value\n1717200000,up,1\n1717200060,up,1\n' >name.csv
quiet_ok --store name.h5 name.csv
dump_is name.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,up,1
2024-06-01T00:01:00Z,up,1
EOF

# ---- Grafana wide CSV ---------------------------------------------------
# CRLF, quoted header with doubled quotes, an empty cell is no sample,
# a column that never has a value does not become a series
printf '"Time","cpu{host=""web1""}","cpu{host=""web2""}","never"\r\n1717200000000,41.5,38.2,\r\n1717200060000,43.0,,\r\n1717200120000,44.25,39,\r\n' >wide.csv
quiet_ok --store wide.h5 wide.csv
dump_is wide.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"cpu{host=""web1""}",41.5
2024-06-01T00:01:00Z,"cpu{host=""web1""}",43
2024-06-01T00:02:00Z,"cpu{host=""web1""}",44.25
2024-06-01T00:00:00Z,"cpu{host=""web2""}",38.2
2024-06-01T00:02:00Z,"cpu{host=""web2""}",39
EOF
expect_rc 0 "$H" info wide.h5
# web2's empty cell is a gap on its 60 s grid; "never" is no series
expect_out 'cpu{host="web2"}	gauge	60	2024-06-01T00:00:00Z	2024-06-01T00:02:00Z	3	1'
expect_out 'total: 2 series, 6 points, 1 gaps'
# forced --format wide gives the same store
quiet_ok --format wide --store wide2.h5 wide.csv
expect_same wide.h5 wide2.h5

# UTF-8 BOM and Excel's "sep=," first line ("Download for Excel"); the
# sep line still counts for line numbers
printf '\357\273\277sep=,\r\n"Time","cpu{host=""web1""}","x,y"\r\n1717200000000,41.5,1\r\n1717200060000,43.0,2\r\n' >excel.csv
quiet_ok --store excel.h5 excel.csv
dump_is excel.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"cpu{host=""web1""}",41.5
2024-06-01T00:01:00Z,"cpu{host=""web1""}",43
2024-06-01T00:00:00Z,"x,y",1
2024-06-01T00:01:00Z,"x,y",2
EOF
printf '\357\273\277sep=,\r\n"Time","cpu{host=""web1""}","x,y"\r\n1717200000000,41.5,1\r\n1717200060000,oops,2\r\n' >excel_bad.csv
expect_rc 65 "$H" ingest --store excel_bad.h5 excel_bad.csv
err_is <<'EOF'
headroom: error: excel_bad.csv:4:15: expected a number, got "oops"
headroom: error: excel_bad.csv: 1 of 2 rows rejected (50.00%), over the limit of 1%: file not ingested
headroom: error: store excel_bad.h5 not changed: 1 of 1 files failed
EOF
# a quoted "sep=;" line switches the delimiter
printf '"sep=;"\nTime;a;b\n2024-06-01 00:00:00;1;2\n2024-06-01 00:01:00;3;4\n' >excel_semi.csv
quiet_ok --store excel_semi.h5 excel_semi.csv
dump_is excel_semi.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1
2024-06-01T00:01:00Z,a,3
2024-06-01T00:00:00Z,b,2
2024-06-01T00:01:00Z,b,4
EOF

# ---- CRLF and BOM on long CSV --------------------------------------------
printf '\357\273\277timestamp,series,value\r\n1717200000,a,1\r\n1717200060,a,2\r\n' >bomcrlf.csv
quiet_ok --store bomcrlf.h5 bomcrlf.csv
dump_is bomcrlf.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1
2024-06-01T00:01:00Z,a,2
EOF
# the CR is not part of the last field: the excerpt shows just "x"
printf 'timestamp,series,value\r\n1717200000,a,1\r\n1717200060,a,x\r\n' >crlf_bad.csv
expect_rc 65 "$H" ingest --store crlf_bad.h5 crlf_bad.csv
expect_err 'headroom: error: crlf_bad.csv:3:14: expected a number, got "x"'
# and a CRLF file gives the same store as the LF one
printf 'timestamp,series,value\n1717200000,a,1\n1717200060,a,2\n' >lf.csv
quiet_ok --store lf.h5 lf.csv
expect_same lf.h5 bomcrlf.h5

# ---- quoted fields with commas, quotes and line breaks --------------------
printf 'timestamp,series,value\n1717200000,"a,""b""",1\n1717200060,"a,""b""",2\n"1717200000","multi\nline"," 3 "\n' >quoted.csv
quiet_ok --store quoted.h5 quoted.csv
dump_is quoted.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"a,""b""",1
2024-06-01T00:01:00Z,"a,""b""",2
2024-06-01T00:00:00Z,"multi
line",3
EOF
# Prometheus-style keys with quotes, unquoted (hand-made CSV): kept verbatim
printf 'timestamp,series,value\n1717200000,cpu{host="a"},1\n1717200060,cpu{host="a"},2\n' >unquoted.csv
quiet_ok --store unquoted.h5 unquoted.csv
dump_is unquoted.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"cpu{host=""a""}",1
2024-06-01T00:01:00Z,"cpu{host=""a""}",2
EOF
# a record spanning lines: the next record's line number is still physical
printf 'timestamp,series,value\n1717200000,"multi\nline",1\n1717200060,"multi\nline",zz\n' >multiline.csv
expect_rc 65 "$H" ingest --store multiline.h5 multiline.csv
expect_err 'headroom: error: multiline.csv:5:7: expected a number, got "zz"'

# ---- old Grafana (before 7.0): ';'-separated ------------------------------
printf 'Series;Time;Value\ncpu.web1;2024-06-01 00:00:00;41.5\ncpu.web1;2024-06-01 00:01:00;43\ncpu.web2;2024-06-01 00:00:00;38.2\n' >oldrows.csv
quiet_ok --store oldrows.h5 oldrows.csv
dump_is oldrows.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,cpu.web1,41.5
2024-06-01T00:01:00Z,cpu.web1,43
2024-06-01T00:00:00Z,cpu.web2,38.2
EOF
printf 'Time;cpu.web1;cpu.web2\n2024-06-01 00:00:00;41.5;38.2\n2024-06-01 00:01:00;43;\n' >oldcols.csv
quiet_ok --store oldcols.h5 oldcols.csv
dump_is oldcols.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,cpu.web1,41.5
2024-06-01T00:01:00Z,cpu.web1,43
2024-06-01T00:00:00Z,cpu.web2,38.2
EOF
# columns are counted with the ';' delimiter
printf 'Series;Time;Value\ncpu.web1;2024-06-01 00:00:00;41.5\ncpu.web1;2024-06-01 00:01:00;x\n' >oldbad.csv
expect_rc 65 "$H" ingest --store oldbad.h5 oldbad.csv
expect_err 'headroom: error: oldbad.csv:3:30: expected a number, got "x"'
# a decimal comma is not a number (Grafana's locale formatting)
printf 'Series;Time;Value\ncpu.web1;2024-06-01 00:00:00;41,5\n' >oldcomma.csv
expect_rc 65 "$H" ingest --store oldcomma.h5 oldcomma.csv
expect_err 'headroom: error: oldcomma.csv:2:30: '
expect_err 'got "41,5"'

# ---- tab-separated, blank lines, blanks around fields ------------------------
printf 'timestamp\tseries\tvalue\n1717200000\ta b\t1\n1717200060\ta b\t2\n' >tabs.tsv
quiet_ok --store tabs.h5 tabs.tsv
dump_is tabs.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a b,1
2024-06-01T00:01:00Z,a b,2
EOF
# blank lines (LF or CRLF) are skipped; unquoted fields are trimmed, quoted
# ones kept as they are
printf '\ntimestamp,series,value\r\n1717200000, a ,1\r\n\r\n1717200060,a,2\r\n\r\n1717200000," b ",3\r\n\n' >blanks.csv
quiet_ok --store blanks.h5 blanks.csv
expect_rc 0 "$H" info blanks.h5
expect_out 'a	gauge	60	2024-06-01T00:00:00Z	2024-06-01T00:01:00Z	2	0'
expect_out ' b 	gauge	0	2024-06-01T00:00:00Z	2024-06-01T00:00:00Z	1	0'
expect_out 'total: 2 series, 3 points, 0 gaps'
# a rejected record after blank lines is placed on its own line (the blank
# lines are not part of it)
printf 'timestamp,series,value\n1717200000,a,1\n\n \r\n\nx1717200060,a,2\n' >blankbad.csv
expect_rc 65 "$H" ingest --store blankbad.h5 blankbad.csv
expect_err 'headroom: error: blankbad.csv:6:1: unrecognised timestamp, got "x1717200060"'

# ---- Prometheus query_range JSON --------------------------------------------
cat >prom.json <<'EOF'
{"status":"success","data":{"resultType":"matrix","result":[
 {"metric":{"__name__":"node_filesystem_avail_bytes","mountpoint":"/var","instance":"db1:9100"},
  "values":[[1717200000,"5.5e+10"],[1717200300,"5.25e+10"],[1717200600,"NaN"],[1717200900,"+Inf"],[1717201200,"5e10"]]},
 {"metric":{"job":"api","__name__":"up"},"values":[[1717200000.5,"1"],["1717200060.5","0"]]},
 {"metric":{"job":"noname"},"values":[[1717200000,"-Inf"],[1717200060,"2.5"]]}]}}
EOF
expect_rc 0 "$H" ingest --store prom.h5 prom.json
expect_no_out
err_is <<'EOF'
headroom: warning: prom.json: 2 values were +Inf or -Inf; they are kept as gaps
EOF
dump_is prom.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"node_filesystem_avail_bytes{instance=""db1:9100"",mountpoint=""/var""}",55000000000
2024-06-01T00:05:00Z,"node_filesystem_avail_bytes{instance=""db1:9100"",mountpoint=""/var""}",52500000000
2024-06-01T00:20:00Z,"node_filesystem_avail_bytes{instance=""db1:9100"",mountpoint=""/var""}",50000000000
2024-06-01T00:00:00.500Z,"up{job=""api""}",1
2024-06-01T00:01:00.500Z,"up{job=""api""}",0
2024-06-01T00:01:00Z,"{job=""noname""}",2.5
EOF
expect_rc 0 "$H" info prom.h5
expect_out 'total: 3 series, 9 points, 3 gaps'
# explicit --format prometheus gives the same store
expect_rc 0 "$H" ingest --format prometheus --store prom2.h5 prom.json
expect_same prom.h5 prom2.h5
# JSON saved with a UTF-8 BOM (Windows tools) and leading blank lines
printf '\357\273\277{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1717200000,"1"],[1717200060,"0"]]}]}}\n' >prom_bom.json
quiet_ok --store prom_bom.h5 prom_bom.json
dump_is prom_bom.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,up,1
2024-06-01T00:01:00Z,up,0
EOF
printf '\n  \n{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1717200000,"1"],[1717200060,"0"]]}]}}\n' >prom_ws.json
quiet_ok --store prom_ws.h5 prom_ws.json
dump_is prom_ws.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,up,1
2024-06-01T00:01:00Z,up,0
EOF
# instant vector
printf '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"api"},"value":[1717200000,"1"]}]}}\n' >vector.json
quiet_ok --store vector.h5 vector.json
dump_is vector.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"up{job=""api""}",1
EOF
# status error: errorType and error are reported
printf '{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:1: parse error"}\n' >prom_err.json
expect_rc 65 "$H" ingest --store prom_err.h5 prom_err.json
err_is <<'EOF'
headroom: error: prom_err.json: Prometheus returned an error: bad_data: invalid parameter "query": 1:1: parse error
headroom: error: store prom_err.h5 not changed: 1 of 1 files failed
EOF
expect_rc 66 "$H" dump prom_err.h5
# a bad value is located by its JSON path
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x"},"values":[[1717200000,"1"],[1717200060,"abc"]]}]}}\n' >prom_bad.json
expect_rc 65 "$H" ingest --store prom_bad.h5 prom_bad.json
err_is <<'EOF'
headroom: error: prom_bad.json: data.result[0].values[1]: expected a number, got "abc"
headroom: error: prom_bad.json: 1 of 2 rows rejected (50.00%), over the limit of 1%: file not ingested
headroom: error: store prom_bad.h5 not changed: 1 of 1 files failed
EOF
# malformed JSON: jansson's line and column
printf '{"status":"success",\n "data": {"resultType":"matrix"\n,,}}' >prom_syntax.json
expect_rc 65 "$H" ingest --store prom_syntax.h5 prom_syntax.json
expect_err 'headroom: error: prom_syntax.json:3:2: '
# not a query_range response
printf '{"hello":"world"}\n' >prom_other.json
expect_rc 65 "$H" ingest --store prom_other.h5 prom_other.json
expect_err 'not a Prometheus query_range response'

# ---- NaN and Inf in CSV ----------------------------------------------------
printf 'timestamp,series,value\n1717200000,a,1\n1717200060,a,NaN\n1717200120,a,+Inf\n1717200180,a,-inf\n1717200240,a,5\n1717200300,a,nan\n1717200360,a,6\n' >nan.csv
expect_rc 0 "$H" ingest --store nan.h5 nan.csv
err_is <<'EOF'
headroom: warning: nan.csv: 2 values were +Inf or -Inf; they are kept as gaps
EOF
dump_is nan.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1
2024-06-01T00:04:00Z,a,5
2024-06-01T00:06:00Z,a,6
EOF
expect_rc 0 "$H" info nan.h5
expect_out 'a	gauge	60	2024-06-01T00:00:00Z	2024-06-01T00:06:00Z	7	4'
# Inf in a wide file too
printf 'Time,a\n1717200000,Infinity\n1717200060,2\n1717200120,3\n' >wideinf.csv
expect_rc 0 "$H" ingest --store wideinf.h5 wideinf.csv
err_is <<'EOF'
headroom: warning: wideinf.csv: 1 values were +Inf or -Inf; they are kept as gaps
EOF
dump_is wideinf.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:01:00Z,a,2
2024-06-01T00:02:00Z,a,3
EOF

# ---- large and tiny magnitudes that are still accepted --------------------
printf 'timestamp,series,value\n1717200000,a,1e24\n1717200060,a,-1e24\n1717200120,a,1e-300\n1717200180,a,1e-999\n1717200240,a,.5\n1717200300,a,+7.\n' >mag.csv
quiet_ok --store mag.h5 mag.csv
dump_is mag.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1e+24
2024-06-01T00:01:00Z,a,-1e+24
2024-06-01T00:02:00Z,a,1e-300
2024-06-01T00:03:00Z,a,0
2024-06-01T00:04:00Z,a,0.5
2024-06-01T00:05:00Z,a,7
EOF

# ---- timestamp formats -----------------------------------------------------
# epoch s, epoch ms, RFC 3339 with offsets, 'YYYY-MM-DD HH:MM:SS', Z,
# fractions; every one is minute k of 2024-06-01 for series tk
printf '%s\n' 'timestamp,series,value' \
    '1717200000,t0,0' \
    '1717200060000,t1,1' \
    '2024-06-01T02:02:00+02:00,t2,2' \
    '2024-06-01 00:03:00,t3,3' \
    '2024-06-01T00:04:00Z,t4,4' \
    '2024-06-01T05:35:00+05:30,t5,5' \
    '2024-05-31T20:06:00-04:00,t6,6' \
    '2024-06-01T00:07:00.250Z,t7,7' \
    '1717200480.5,t8,8' \
    '2024-06-01t00:09:00z,t9,9' \
    '2024-06-01T01:10:00+0100,t10,10.5' \
    '2024-06-01,t11,11' >times.csv
quiet_ok --store times.h5 times.csv
dump_is times.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,t0,0
2024-06-01T00:01:00Z,t1,1
2024-06-01T00:02:00Z,t2,2
2024-06-01T00:03:00Z,t3,3
2024-06-01T00:04:00Z,t4,4
2024-06-01T00:05:00Z,t5,5
2024-06-01T00:06:00Z,t6,6
2024-06-01T00:07:00.250Z,t7,7
2024-06-01T00:08:00.500Z,t8,8
2024-06-01T00:09:00Z,t9,9
2024-06-01T00:10:00Z,t10,10.5
2024-06-01T00:00:00Z,t11,11
EOF
# the same instant written four ways is one grid point (last in input wins)
printf 'timestamp,series,value\n1717200000,a,1\n1717200000000,a,2\n2024-06-01T02:00:00+02:00,a,3\n2024-06-01 00:00:00,a,4\n1717200060,a,5\n' >sameinstant.csv
expect_rc 0 "$H" ingest --store sameinstant.h5 sameinstant.csv
expect_no_err
dump_is sameinstant.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,4
2024-06-01T00:01:00Z,a,5
EOF
# wide CSV with 'YYYY-MM-DD HH:MM:SS' and RFC 3339 times
printf 'Time,a\n2024-06-01 00:00:00,1\n2024-06-01T00:01:00Z,2\n' >widetimes.csv
quiet_ok --store widetimes.h5 widetimes.csv
dump_is widetimes.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1
2024-06-01T00:01:00Z,a,2
EOF

# ---- out-of-order and repeated timestamps: the duplicate rule ----------------
# newest-first input is sorted; for one grid point the latest timestamp
# wins (00:03:05 over 00:03:00 even though it comes first), and for equal
# timestamps the last in input order (22 over 2, 11 over 1)
printf 'timestamp,series,value\n1717200120,a,3\n1717200000,a,1\n1717200185,a,44\n1717200060,a,2\n1717200060,a,22\n1717200180,a,4\n1717200240,a,5\n1717200000,a,11\n' >dups.csv
expect_rc 0 "$H" ingest --store dups.h5 dups.csv
expect_no_err
dump_is dups.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,11
2024-06-01T00:01:00Z,a,22
2024-06-01T00:02:00Z,a,3
2024-06-01T00:03:00Z,a,44
2024-06-01T00:04:00Z,a,5
EOF
expect_rc 0 "$H" ingest -v --store dups_v.h5 dups.csv
expect_err 'headroom: info: series a: 3 samples superseded by a later sample for the same grid point'
# a NaN never replaces a value, even when it comes last
printf 'timestamp,series,value\n1717200000,a,1\n1717200000,a,NaN\n1717200060,a,2\n' >dupnan.csv
quiet_ok --store dupnan.h5 dupnan.csv
dump_is dupnan.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1
2024-06-01T00:01:00Z,a,2
EOF
# across files of one run, the later file is later in input order
printf 'timestamp,series,value\n1717200000,a,1\n1717200060,a,2\n' >ord1.csv
printf 'timestamp,series,value\n1717200060,a,5\n1717200000,a,NaN\n' >ord2.csv
quiet_ok --store ord.h5 ord1.csv ord2.csv
dump_is ord.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1
2024-06-01T00:01:00Z,a,5
EOF
# a sample far off the grid is moved to the nearest point, with a warning
printf 'timestamp,series,value\n1717200000,a,1\n1717200060,a,2\n1717200120,a,3\n1717200200,a,4\n' >offgrid.csv
expect_rc 0 "$H" ingest --store offgrid.h5 offgrid.csv
err_is <<'EOF'
headroom: warning: series a: 1 samples lie more than a quarter step off the 60000 ms grid; each was moved to the nearest grid point
EOF
dump_is offgrid.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1
2024-06-01T00:01:00Z,a,2
2024-06-01T00:02:00Z,a,3
2024-06-01T00:03:00Z,a,4
EOF

# ---- counters: *_total stored raw, dumped as per-second rates ----------------
# 0,60,120,30 at a 60 s step: rates 1, 1, then a reset (30 from 0) 0.5
printf 'timestamp,series,value\n1717200000,"http_requests_total{job=""api""}",0\n1717200060,"http_requests_total{job=""api""}",60\n1717200120,"http_requests_total{job=""api""}",120\n1717200180,"http_requests_total{job=""api""}",30\n' >counter.csv
quiet_ok --store counter.h5 counter.csv
dump_is counter.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:01:00Z,"http_requests_total{job=""api""}",1
2024-06-01T00:02:00Z,"http_requests_total{job=""api""}",1
2024-06-01T00:03:00Z,"http_requests_total{job=""api""}",0.5
EOF
expect_rc 0 "$H" info counter.h5
expect_out 'http_requests_total{job="api"}	counter	60	2024-06-01T00:00:00Z	2024-06-01T00:03:00Z	4	0'
# --raw shows the stored cumulative values, written plainly
dump_is counter.h5 --raw <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"http_requests_total{job=""api""}",0
2024-06-01T00:01:00Z,"http_requests_total{job=""api""}",60
2024-06-01T00:02:00Z,"http_requests_total{job=""api""}",120
2024-06-01T00:03:00Z,"http_requests_total{job=""api""}",30
EOF
# metric + labels form, with a gap: the rate spans the gap (120 over 120 s)
printf 'timestamp,metric,job,value\n1717200000,http_requests_total,api,0\n1717200060,http_requests_total,api,60\n1717200180,http_requests_total,api,180\n1717200240,http_requests_total,api,30\n' >counter2.csv
quiet_ok --store counter2.h5 counter2.csv
dump_is counter2.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:01:00Z,"http_requests_total{job=""api""}",1
2024-06-01T00:03:00Z,"http_requests_total{job=""api""}",1
2024-06-01T00:04:00Z,"http_requests_total{job=""api""}",0.5
EOF
# --counter GLOB marks other series as counters; a gauge stays a gauge
printf 'timestamp,series,value\n1717200000,bytes_sent,100\n1717200060,bytes_sent,160\n1717200120,bytes_sent,100\n1717200000,temp,21.5\n1717200060,temp,22.5\n' >counter3.csv
quiet_ok --counter 'bytes_*' --store counter3.h5 counter3.csv
dump_is counter3.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:01:00Z,bytes_sent,1
2024-06-01T00:02:00Z,bytes_sent,1.6666666666666667
2024-06-01T00:00:00Z,temp,21.5
2024-06-01T00:01:00Z,temp,22.5
EOF
# a counter from Prometheus JSON (its __name__ ends in _total)
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"errors_total"},"values":[[1717200000,"10"],[1717200300,"40"],[1717200600,"70"]]}]}}\n' >counter.json
quiet_ok --store counterj.h5 counter.json
dump_is counterj.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:05:00Z,errors_total,0.1
2024-06-01T00:10:00Z,errors_total,0.1
EOF

# ---- dump writes numbers in their shortest plain form ----------------------
# (integers as integers: 60, not 6e+01)
printf 'timestamp,series,value\n1717200000,g,10\n1717200060,g,60\n1717200120,g,100\n1717200180,g,120\n1717200240,g,1000000\n1717200300,g,0.001\n1717200360,g,-250\n' >ints.csv
quiet_ok --store ints.h5 ints.csv
dump_is ints.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,g,10
2024-06-01T00:01:00Z,g,60
2024-06-01T00:02:00Z,g,100
2024-06-01T00:03:00Z,g,120
2024-06-01T00:04:00Z,g,1000000
2024-06-01T00:05:00Z,g,0.001
2024-06-01T00:06:00Z,g,-250
EOF

# ---- --step overrides the detected grid for new series ------------------------
printf 'timestamp,series,value\n1717200000,a,1\n1717200300,a,2\n' >step.csv
quiet_ok --step 1m --store step.h5 step.csv
expect_rc 0 "$H" info step.h5
expect_out 'a	gauge	60	2024-06-01T00:00:00Z	2024-06-01T00:05:00Z	6	4'

# ---- gzip (told by its magic bytes) and standard input ------------------------
# the same export plain, gzip-compressed and piped in gives the same store
printf 'timestamp,series,value\n1717200000,a,1\n1717200300,a,2\n1717200600,a,4\n' >z.csv
gzip -c z.csv >z.csv.gz
cp z.csv.gz z.bin # the name does not matter, the bytes do
quiet_ok --store zp.h5 z.csv
quiet_ok --store zg.h5 z.csv.gz
quiet_ok --store zb.h5 z.bin
expect_rc 0 sh -c "cat z.csv | '$H' ingest --store zs.h5 -"
expect_rc 0 sh -c "gzip -c z.csv | '$H' ingest --store zsg.h5 -"
"$H" dump zp.h5 >zp.dump
for st in zg zb zs zsg; do "$H" dump $st.h5 >$st.dump; expect_same zp.dump $st.dump; done
# a cut-off gzip file fails (exit 65) with a message naming it
head -c 20 z.csv.gz >zcut.gz
expect_rc 65 "$H" ingest --store zcut.h5 zcut.gz
expect_err 'zcut.gz: corrupt gzip data: unexpected end of file'
expect_absent zcut.h5

summary ingest_formats
