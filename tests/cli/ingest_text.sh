#!/bin/sh
# ingest: the line-oriented readers -- OpenMetrics / Prometheus text with
# timestamps (create-blocks-from input, `promtool tsdb dump` and
# `dump-openmetrics` output) and VictoriaMetrics /api/v1/export JSON lines.
# Every point is checked at its exact UTC time and value with `headroom
# dump --raw`, counter kinds with `headroom info`, errors by their
# file:line:column.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

# same_ways FILE FORMAT: FILE read with --format FORMAT, gzip-compressed,
# and gzip-compressed through standard input gives FILE.h5 again
same_ways() {
    expect_rc 0 "$H" ingest --format "$2" --store "$1.f.h5" "$1"
    expect_same "$1.h5" "$1.f.h5"
    gzip -c "$1" >"$1.gz"
    expect_rc 0 "$H" ingest --store "$1.z.h5" "$1.gz"
    expect_same "$1.h5" "$1.z.h5"
    expect_rc 0 sh -c "'$H' ingest --store '$1.s.h5' - <'$1.gz'"
    expect_same "$1.h5" "$1.s.h5"
}

# ---- OpenMetrics 1.0 -----------------------------------------------------
# HELP/TYPE/UNIT, a counter (x_total kept, x_created skipped), a gauge with
# escaped label values, a histogram (buckets, _count and _sum are counters),
# an info and a summary; fractional seconds, an exemplar, # EOF
cat >om.txt <<'OM'
# TYPE http_requests counter
# UNIT http_requests requests
# HELP http_requests Requests served, by "method" \\ and \n code.
http_requests_total{method="GET",code="200"} 1027 1717200000.25
http_requests_created{method="GET",code="200"} 1717100000.5 1717200000.25
http_requests_total{method="GET",code="200"} 1087 1717200060.25 # {trace_id="a1b2"} 1 1717200059.9
http_requests_created{method="GET",code="200"} 1717100000.5 1717200060.25
http_requests_total{method="GET",code="200"} 1147.5 1717200120.25
# TYPE disk_used_ratio gauge
# UNIT disk_used_ratio ratio
disk_used_ratio{mount="/var",host="db\"1\\"} 0.713 1717200000
disk_used_ratio{mount="/var",host="db\"1\\"} 0.715 1717200300
disk_used_ratio{mount="/var",host="db\"1\\"} 7.2e-1 1717200600
# TYPE rpc_seconds histogram
rpc_seconds_bucket{le="0.1"} 3 1717200000.5
rpc_seconds_bucket{le="+Inf"} 5 1717200000.5
rpc_seconds_count 5 1717200000.5
rpc_seconds_sum 0.75 1717200000.5
rpc_seconds_created 1717100000 1717200000.5
rpc_seconds_bucket{le="0.1"} 4 1717200030.5
rpc_seconds_bucket{le="+Inf"} 7 1717200030.5
rpc_seconds_count 7 1717200030.5
rpc_seconds_sum 1.25 1717200030.5
rpc_seconds_created 1717100000 1717200030.5
# TYPE build info
build_info{version="1.2",note="line1\nline2"} 1 1717200000
# TYPE rpc_latency summary
rpc_latency{quantile="0.99"} NaN 1717200000
rpc_latency{quantile="0.99"} 0.25 1717200060
rpc_latency_count 10 1717200000
# EOF
OM
quiet_ok --store om.txt.h5 om.txt
dump_is om.txt.h5 --raw <<'EOF'
timestamp,series,value
2024-06-01T00:00:00.250Z,"http_requests_total{code=""200"",method=""GET""}",1027
2024-06-01T00:01:00.250Z,"http_requests_total{code=""200"",method=""GET""}",1087
2024-06-01T00:02:00.250Z,"http_requests_total{code=""200"",method=""GET""}",1147.5
2024-06-01T00:00:00Z,"disk_used_ratio{host=""db\""1\\"",mount=""/var""}",0.713
2024-06-01T00:05:00Z,"disk_used_ratio{host=""db\""1\\"",mount=""/var""}",0.715
2024-06-01T00:10:00Z,"disk_used_ratio{host=""db\""1\\"",mount=""/var""}",0.72
2024-06-01T00:00:00.500Z,"rpc_seconds_bucket{le=""0.1""}",3
2024-06-01T00:00:30.500Z,"rpc_seconds_bucket{le=""0.1""}",4
2024-06-01T00:00:00.500Z,"rpc_seconds_bucket{le=""+Inf""}",5
2024-06-01T00:00:30.500Z,"rpc_seconds_bucket{le=""+Inf""}",7
2024-06-01T00:00:00.500Z,rpc_seconds_count,5
2024-06-01T00:00:30.500Z,rpc_seconds_count,7
2024-06-01T00:00:00.500Z,rpc_seconds_sum,0.75
2024-06-01T00:00:30.500Z,rpc_seconds_sum,1.25
2024-06-01T00:00:00Z,"build_info{note=""line1\nline2"",version=""1.2""}",1
2024-06-01T00:01:00Z,"rpc_latency{quantile=""0.99""}",0.25
2024-06-01T00:00:00Z,rpc_latency_count,10
EOF
expect_rc 0 "$H" info om.txt.h5
expect_out 'http_requests_total{code="200",method="GET"}	counter	60	2024-06-01T00:00:00.250Z	2024-06-01T00:02:00.250Z	3	0'
expect_out 'disk_used_ratio{host="db\"1\\",mount="/var"}	gauge	300	'
expect_out 'rpc_seconds_bucket{le="0.1"}	counter	30	'
expect_out 'rpc_seconds_bucket{le="+Inf"}	counter	30	'
expect_out 'rpc_seconds_count	counter	30	'
expect_out 'rpc_seconds_sum	counter	30	'
expect_out 'build_info{note="line1\nline2",version="1.2"}	gauge	'
expect_out 'rpc_latency{quantile="0.99"}	gauge	60	2024-06-01T00:00:00Z	2024-06-01T00:01:00Z	2	1'
expect_out 'rpc_latency_count	counter	'
expect_out 'total: 9 series, 18 points, 1 gaps'
# the counter reads back as a rate: 60 requests per 60 s, then 60.5
dump_is om.txt.h5 --series 'http_requests_total{code="200",method="GET"}' <<'EOF'
timestamp,series,value
2024-06-01T00:01:00.250Z,"http_requests_total{code=""200"",method=""GET""}",1
2024-06-01T00:02:00.250Z,"http_requests_total{code=""200"",method=""GET""}",1.0083333333333333
EOF
# -v names the format; _created samples are not rows
expect_rc 0 "$H" ingest -v --store om_v.h5 om.txt
err_is <<'EOF'
headroom: info: om.txt: openmetrics, 18 rows, 0 rejected, 18 samples, 9 series
headroom: info: store om_v.h5: 9 series (9 new)
EOF
same_ways om.txt openmetrics

# # EOF is optional; lines after it are read too (exports concatenated);
# the classic text format names a counter's samples after the family
printf '# TYPE jobs_done counter\njobs_done{q="a"} 7 1717200000\n# EOF\njobs_done{q="a"} 9 1717200060\n' >noeof.txt
quiet_ok --store noeof.h5 noeof.txt
dump_is noeof.h5 --raw <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"jobs_done{q=""a""}",7
2024-06-01T00:01:00Z,"jobs_done{q=""a""}",9
EOF
expect_rc 0 "$H" info noeof.h5
expect_out 'jobs_done{q="a"}	counter	60	'

# ---- promtool tsdb dump (label set, value, milliseconds) -----------------
# Go-quoted label values (\t, \u00e9, raw UTF-8), %g values (1.234567e+06,
# NaN, +Inf), CRLF, trailing blanks, blank lines; a series without the
# name label; a native histogram sample is skipped with a warning
printf '{__name__="node_load1", instance="db1:9100", job="node"} 0.52 1717200000000\r\n' >dump.txt
printf '{__name__="node_load1", instance="db1:9100", job="node"} 0.61 1717200015000  \r\n\r\n' >>dump.txt
printf '{__name__="node_load1", instance="db1:9100", job="node"} NaN 1717200030000\r\n' >>dump.txt
printf '{__name__="node_load1", instance="db1:9100", job="node"} 1.5e-05 1717200045000\r\n' >>dump.txt
printf '{__name__="rx_bytes_total", dev="eth0", note="caf\\u00e9\\ttab \303\251"} 1.234567e+06 1717200000123\r\n' >>dump.txt
printf '{__name__="rx_bytes_total", dev="eth0", note="caf\\u00e9\\ttab \303\251"} +Inf 1717200060123\r\n' >>dump.txt
printf '{__name__="rx_bytes_total", dev="eth0", note="caf\\u00e9\\ttab \303\251"} 1.2468e+06 1717200120123\r\n' >>dump.txt
printf '{__name__="lat", job="api"} {count:3, sum:1.5, [-0.5,0.5]:3} 1717200000000\r\n' >>dump.txt
printf '{job="noname"} 2 1717200000000\r\n\r\n' >>dump.txt
expect_rc 0 "$H" ingest --store dump.h5 dump.txt
err_is <<'EOF'
headroom: warning: dump.txt: 1 native histogram samples skipped, the first on line 9 (headroom reads float samples)
headroom: warning: dump.txt: 1 values were +Inf or -Inf; they are kept as gaps
EOF
dump_is dump.h5 --raw <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"node_load1{instance=""db1:9100"",job=""node""}",0.52
2024-06-01T00:00:15Z,"node_load1{instance=""db1:9100"",job=""node""}",0.61
2024-06-01T00:00:45Z,"node_load1{instance=""db1:9100"",job=""node""}",1.5e-05
2024-06-01T00:00:00.123Z,"rx_bytes_total{dev=""eth0"",note=""café	tab é""}",1234567
2024-06-01T00:02:00.123Z,"rx_bytes_total{dev=""eth0"",note=""café	tab é""}",1246800
2024-06-01T00:00:00Z,"{job=""noname""}",2
EOF
expect_rc 0 "$H" info dump.h5
expect_out 'rx_bytes_total{dev="eth0",note="café	tab é"}	counter	60	2024-06-01T00:00:00.123Z	2024-06-01T00:02:00.123Z	3	1'
expect_out 'node_load1{instance="db1:9100",job="node"}	gauge	15	2024-06-01T00:00:00Z	2024-06-01T00:00:45Z	4	1'

# ---- the same points in three layouts give the same series ---------------
# dump-openmetrics (%.3f seconds), tsdb dump (ms), VictoriaMetrics (ms)
printf 'up{instance="a:9100",job="api"} 1 1717200000.000\nup{instance="a:9100",job="api"} 0 1717200015.000\nreq_total{job="api"} 10 1717200000.000\nreq_total{job="api"} 25 1717200015.000\n# EOF\n' >same.om
printf '{__name__="up", instance="a:9100", job="api"} 1 1717200000000\n{__name__="up", instance="a:9100", job="api"} 0 1717200015000\n{__name__="req_total", job="api"} 10 1717200000000\n{__name__="req_total", job="api"} 25 1717200015000\n' >same.dump
printf '{"metric":{"__name__":"up","job":"api","instance":"a:9100"},"values":[1,0],"timestamps":[1717200000000,1717200015000]}\n{"metric":{"__name__":"req_total","job":"api"},"values":[10,25],"timestamps":[1717200000000,1717200015000]}\n' >same.jsonl
for f in same.om same.dump same.jsonl; do
    quiet_ok --store "$f.h5" "$f"
    dump_is "$f.h5" --raw <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"up{instance=""a:9100"",job=""api""}",1
2024-06-01T00:00:15Z,"up{instance=""a:9100"",job=""api""}",0
2024-06-01T00:00:00Z,"req_total{job=""api""}",10
2024-06-01T00:00:15Z,"req_total{job=""api""}",25
EOF
done
expect_same same.om.h5 same.dump.h5
expect_same same.om.h5 same.jsonl.h5

# ---- VictoriaMetrics /api/v1/export JSON lines ---------------------------
# several series; one comes back on two lines out of time order; null is a
# gap, bare NaN / +Inf / -Inf (older versions) are gaps too; CRLF, blank
# lines, blanks inside the JSON
cat >vm.jsonl <<'VM'
{"metric":{"__name__":"node_filesystem_avail_bytes","instance":"db1:9100","mountpoint":"/var"},"values":[55000000000,52500000000,null],"timestamps":[1717200300000,1717200600000,1717200900000]}
{"metric":{"__name__":"http_requests_total","job":"api","code":"200"},"values":[1042,1090.5,NaN,+Inf,1200],"timestamps":[1717200000000,1717200060000,1717200120000,1717200180000,1717200240000]}

{ "metric": {"__name__": "node_filesystem_avail_bytes", "mountpoint": "/var", "instance": "db1:9100"}, "values": [56000000000, -Inf], "timestamps": [1717200000000, 1717201200000] }
{"metric":{"__name__":"up","job":"api"},"values":[1],"timestamps":[1717200000500]}
VM
sed 's/$/\r/' vm.jsonl >vm_crlf.jsonl
expect_rc 0 "$H" ingest --store vm.jsonl.h5 vm.jsonl
err_is <<'EOF'
headroom: warning: vm.jsonl: 2 values were +Inf or -Inf; they are kept as gaps
EOF
dump_is vm.jsonl.h5 --raw <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"node_filesystem_avail_bytes{instance=""db1:9100"",mountpoint=""/var""}",56000000000
2024-06-01T00:05:00Z,"node_filesystem_avail_bytes{instance=""db1:9100"",mountpoint=""/var""}",55000000000
2024-06-01T00:10:00Z,"node_filesystem_avail_bytes{instance=""db1:9100"",mountpoint=""/var""}",52500000000
2024-06-01T00:00:00Z,"http_requests_total{code=""200"",job=""api""}",1042
2024-06-01T00:01:00Z,"http_requests_total{code=""200"",job=""api""}",1090.5
2024-06-01T00:04:00Z,"http_requests_total{code=""200"",job=""api""}",1200
2024-06-01T00:00:00.500Z,"up{job=""api""}",1
EOF
expect_rc 0 "$H" info vm.jsonl.h5
expect_out 'node_filesystem_avail_bytes{instance="db1:9100",mountpoint="/var"}	gauge	300	2024-06-01T00:00:00Z	2024-06-01T00:20:00Z	5	2'
expect_out 'http_requests_total{code="200",job="api"}	counter	60	2024-06-01T00:00:00Z	2024-06-01T00:04:00Z	5	2'
expect_out 'total: 3 series, 11 points, 4 gaps'
expect_rc 0 "$H" ingest -v --store vm_v.h5 vm.jsonl
expect_err 'headroom: info: vm.jsonl: victoriametrics, 11 rows, 0 rejected, 11 samples, 3 series'
# CRLF, forced --format, gzip and standard input give the same store
expect_rc 0 "$H" ingest --store vm_crlf.h5 vm_crlf.jsonl
expect_same vm.jsonl.h5 vm_crlf.h5
same_ways vm.jsonl victoriametrics

# ---- detection ------------------------------------------------------------
# a one-line Prometheus query_range response has "metric" and "values" but
# other top-level keys: still prometheus; a CSV whose first series looks
# like a metric is still CSV; comments before the first sample are fine
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[1717200000,"1"]]}]}}\n' >q.json
expect_rc 0 "$H" ingest -v --store q.h5 q.json
expect_err 'headroom: info: q.json: prometheus, 1 rows'
printf 'timestamp,series,value\n1717200000,up{job="a"},1\n' >m.csv
expect_rc 0 "$H" ingest -v --store m.h5 m.csv
expect_err 'headroom: info: m.csv: long, 1 rows'
printf '# scraped by hand\n\nup 1 1717200000\n' >plain.txt
expect_rc 0 "$H" ingest -v --store plain.h5 plain.txt
expect_err 'headroom: info: plain.txt: openmetrics, 1 rows, 0 rejected, 1 samples, 1 series'

# ---- bad files --------------------------------------------------------------
# two bad lines in 201 (1%): reported, the rest ingested; a series whose
# only sample was rejected leaves no empty series behind
awk 'BEGIN { for (i = 0; i < 200; i++)
                 printf "cpu{host=\"a\"} %s %d\n", (i == 120 ? "4O" : i + 0.5), 1717200000 + 60 * i
             print "cpu{host=\"b\"} 1" }' >onebad.txt
expect_rc 0 "$H" ingest --store onebad.h5 onebad.txt
err_is <<'EOF'
headroom: error: onebad.txt:121:15: expected a number, got "4O"
headroom: error: onebad.txt:201:16: sample has no timestamp (an export needs the time of every sample)
EOF
expect_rc 0 "$H" info onebad.h5
expect_out 'cpu{host="a"}	gauge	60	2024-06-01T00:00:00Z	2024-06-01T03:19:00Z	200	1'
expect_out 'total: 1 series, 200 points, 1 gaps'
# the same for VictoriaMetrics: a line whose one point is bad adds no series
awk 'BEGIN { printf "{\"metric\":{\"__name__\":\"cpu\"},\"values\":[0"
             for (i = 1; i < 150; i++) printf ",%d", i
             printf "],\"timestamps\":[1717200000000"
             for (i = 1; i < 150; i++) printf ",%.0f", 1717200000000 + 60000 * i
             print "]}"
             print "{\"metric\":{\"__name__\":\"mem\"},\"values\":[true],\"timestamps\":[1717200000000]}" }' >onebad.jsonl
expect_rc 0 "$H" ingest --store onebadvm.h5 onebad.jsonl
err_is <<'EOF'
headroom: error: onebad.jsonl:2:40: values[0]: value is not a number
EOF
expect_rc 0 "$H" info onebadvm.h5
expect_out 'total: 1 series, 150 points, 0 gaps'
# samples without timestamps (a scrape, not an export), a timestamp in the
# other unit, a broken label set: each located; over 1% fails the file
printf 'up{job="a"} 1 1717200000\nup{job="a"} 1\nup{job="a"} 1 # {} 1\nup{job="a"} 1 1717200060000\nup{job="a} 1 1717200120\nup{job="a"} 1 1717200180 1717200181\nup{job="a"} 1 17172O0240\nup{job="a",job="b"} 1 1717200300\n' >bad.om
expect_rc 65 "$H" ingest --store bad.h5 bad.om
err_is <<'EOF'
headroom: error: bad.om:2:14: sample has no timestamp (an export needs the time of every sample)
headroom: error: bad.om:3:15: sample has no timestamp (an export needs the time of every sample)
headroom: error: bad.om:4:15: timestamp out of range (before 1970 or after 2200) in this file's unit, seconds (fixed by line 1), got "1717200060000"
headroom: error: bad.om:5:8: unterminated quoted string
headroom: error: bad.om:6:26: unexpected text after the timestamp, got "1717200181"
headroom: error: bad.om:7:15: expected a timestamp, got "17172O0240"
headroom: error: bad.om:8:1: a label appears twice
headroom: error: bad.om: 7 of 8 rows rejected (87.50%), over the limit of 1%: file not ingested
headroom: error: store bad.h5 not changed: 1 of 1 files failed
EOF
expect_absent bad.h5
# a first line that is not a metric line: the file is not this format
expect_rc 65 "$H" ingest --format openmetrics --store csv_om.h5 m.csv
err_is <<'EOF'
headroom: error: m.csv:1:10: not OpenMetrics or Prometheus text: expected a blank after the series
headroom: error: store csv_om.h5 not changed: 1 of 1 files failed
EOF
# VictoriaMetrics: a bad value, arrays of different lengths, a broken line,
# a bad timestamp, each at its column
printf '{"metric":{"__name__":"up"},"values":[1,2],"timestamps":[1717200000000,1717200015000]}\n{"metric":{"__name__":"up"},"values":[1,"x"],"timestamps":[1717200030000,1717200045000]}\n{"metric":{"__name__":"up"},"values":[1,2],"timestamps":[1717200060000]}\n{"metric":{"__name__":"up"}, "values":[1,2],,}\n{"metric":{"__name__":"up"},"values":[1,2],"timestamps":[1717200060000, true]}\n{"metric":{"__name__":"up","job":7},"values":[1],"timestamps":[1717200060000]}\n' >bad.jsonl
expect_rc 65 "$H" ingest --store badvm.h5 bad.jsonl
err_is <<'EOF'
headroom: error: bad.jsonl:2:41: values[1]: expected a number, got "x"
headroom: error: bad.jsonl:3:44: "values" has 2 entries but "timestamps" has 1: line skipped
headroom: error: bad.jsonl:4:45: string or '}' expected near ','
headroom: error: bad.jsonl:5:73: timestamps[1]: not a number
headroom: error: bad.jsonl:6:2: a label value in "metric" is not a string
headroom: error: bad.jsonl: 5 of 9 rows rejected (55.56%), over the limit of 1%: file not ingested
headroom: error: store badvm.h5 not changed: 1 of 1 files failed
EOF
# not JSON lines at all, or JSON of another shape, as victoriametrics
expect_rc 65 "$H" ingest --format victoriametrics --store csv_vm.h5 m.csv
expect_err 'headroom: error: m.csv:1:9: not a VictoriaMetrics export line: '
expect_rc 65 "$H" ingest --format victoriametrics --store q_vm.h5 q.json
expect_err 'headroom: error: q.json:1:1: not a VictoriaMetrics export line: no "metric" object'

summary ingest_text
