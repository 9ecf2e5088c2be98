#!/bin/sh
# ingest: the streaming JSON readers -- Prometheus (members in any order,
# the bare result list), Datadog /api/v1/query, CloudWatch get-metric-data
# and Graphite render?format=json. Files follow each API's documented
# structure with our own values, pretty-printed and minified, with nulls
# and members in varied order; every point is checked at its exact UTC
# time and value with `headroom dump`. Also: detection (and what it must
# not claim), located errors (syntax line:column, bad points by JSON
# path, the 1% rule), gzip input.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

# err_lacks TEXT: the last command's stderr does not contain TEXT
err_lacks() { if grep -qF -- "$1" "$T/err"; then bad "stderr has '$1': $(head -c 600 "$T/err")"; else ok; fi; }
# same_as A B [FORMAT]: ingesting B (with --format FORMAT when given) gives the store of A
same_as() {
    rm -f "$T/same.h5"
    if [ -n "${3:-}" ]; then "$H" ingest -q --format "$3" --store "$T/same.h5" "$2"; else "$H" ingest -q --store "$T/same.h5" "$2"; fi
    "$H" dump "$T/same.h5" >"$T/same.dump" 2>&1
    "$H" dump "$1" >"$T/ref.dump" 2>&1
    expect_same "$T/ref.dump" "$T/same.dump"
}

# ---- Prometheus: members in any order ----------------------------------------
# "data" before "status", "result" before "resultType", "values" before
# "metric" (the points wait for the labels), extra members ignored
cat >prom_order.json <<'EOF'
{
  "data": {
    "result": [
      {
        "values": [ [ 1717200000.25, "0.25" ], [ 1717200060.25, "0.5" ], [ "1717200120.25", "NaN" ] ],
        "metric": { "instance": "web1:9100", "__name__": "node_load1" }
      },
      { "metric": { "__name__": "up", "job": "api" }, "values": [ [ 1717200000, "1" ], [ 1717200060, 0 ] ] }
    ],
    "resultType": "matrix",
    "analysis": {}
  },
  "warnings": [ "some warning" ],
  "status": "success"
}
EOF
quiet_ok --store prom_order.h5 prom_order.json
dump_is prom_order.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00.250Z,"node_load1{instance=""web1:9100""}",0.25
2024-06-01T00:01:00.250Z,"node_load1{instance=""web1:9100""}",0.5
2024-06-01T00:00:00Z,"up{job=""api""}",1
2024-06-01T00:01:00Z,"up{job=""api""}",0
EOF
# minified, with the usual member order: the same store
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"node_load1","instance":"web1:9100"},"values":[[1717200000.25,"0.25"],[1717200060.25,"0.5"],[1717200120.25,"NaN"]]},{"metric":{"__name__":"up","job":"api"},"values":[[1717200000,"1"],[1717200060,"0"]]}]}}' >prom_min.json
same_as prom_order.h5 prom_min.json
same_as prom_order.h5 prom_min.json prometheus
# the bare result list, as query tools save it
printf '[{"metric":{"__name__":"node_load1","instance":"web1:9100"},"values":[[1717200000.25,"0.25"],[1717200060.25,"0.5"],[1717200120.25,"NaN"]]},\n {"values":[[1717200000,"1"],[1717200060,"0"]],"metric":{"job":"api","__name__":"up"}}]\n' >prom_bare.json
same_as prom_order.h5 prom_bare.json
# a status that comes last still fails the file
printf '{"data":{"resultType":"matrix","result":[{"metric":{"__name__":"x"},"values":[[1717200000,"1"]]}]},"status":"error","errorType":"timeout","error":"query timed out"}' >prom_late_err.json
expect_rc 65 "$H" ingest --store prom_late_err.h5 prom_late_err.json
expect_err 'headroom: error: prom_late_err.json: Prometheus returned an error: timeout: query timed out'
expect_absent prom_late_err.h5
# resultType checked wherever it comes
printf '{"status":"success","data":{"result":[],"resultType":"streams"}}' >prom_rtype.json
expect_rc 65 "$H" ingest --store prom_rtype.h5 prom_rtype.json
expect_err 'headroom: error: prom_rtype.json: data.resultType is "streams"; want matrix (query_range) or vector'
printf '{"status":"success","data":{"resultType":"scalar","result":[1717200000,"1"]}}' >prom_scalar.json
expect_rc 65 "$H" ingest --store prom_scalar.h5 prom_scalar.json
expect_err 'headroom: error: prom_scalar.json: data.resultType is "scalar"; want matrix (query_range) or vector'
# a result without labels, or without values
printf '{"status":"success","data":{"resultType":"matrix","result":[{"values":[[1717200000,"1"]]}]}}' >prom_nometric.json
expect_rc 65 "$H" ingest --store s.h5 prom_nometric.json
expect_err 'headroom: error: prom_nometric.json: data.result[0]: no "metric" object'
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"a"},"values":[]},{"metric":{"__name__":"b"}}]}}' >prom_novalues.json
expect_rc 65 "$H" ingest --store s.h5 prom_novalues.json
expect_err 'headroom: error: prom_novalues.json: data.result[1]: no "values" list'
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1717200000,"1"]]}]}}' >prom_noname.json
expect_rc 65 "$H" ingest --store s.h5 prom_noname.json
expect_err 'headroom: error: prom_noname.json: data.result[0]: series has no name and no labels'
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"a","n":5},"values":[]}]}}' >prom_labnum.json
expect_rc 65 "$H" ingest --store s.h5 prom_labnum.json
expect_err 'headroom: error: prom_labnum.json: data.result[0].metric.n: label value is not a string'
# bad points, each named by its JSON path
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"a"},"values":[[1717200000,"1"],[1717200060,"x"],[true,"2"],[1717200180],{"t":1},7,[-5,"2"],[1717200240,"3",4],[[1],"5"]]}]}}' >prom_badpts.json
expect_rc 65 "$H" ingest --store s.h5 prom_badpts.json
err_is <<'EOF'
headroom: error: prom_badpts.json: data.result[0].values[1]: expected a number, got "x"
headroom: error: prom_badpts.json: data.result[0].values[2]: time is not a number
headroom: error: prom_badpts.json: data.result[0].values[3]: expected [time, "value"]
headroom: error: prom_badpts.json: data.result[0].values[4]: expected [time, "value"]
headroom: error: prom_badpts.json: data.result[0].values[5]: expected [time, "value"]
headroom: error: prom_badpts.json: data.result[0].values[6]: timestamp out of range (before 1970 or after 2200)
headroom: error: prom_badpts.json: data.result[0].values[7]: expected [time, "value"]
headroom: error: prom_badpts.json: data.result[0].values[8]: expected [time, "value"]
headroom: error: prom_badpts.json: 8 of 9 rows rejected (88.89%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF

# ---- Datadog /api/v1/query ------------------------------------------------------
# pretty, as the API documents it: times in ms (floats), null values are
# gaps, labels from tag_set; the second series has no tag_set, so its
# labels come from scope (a tag without ':' becomes name="true"); the
# third one lists its members in another order and a multi-valued tag
cat >dd.json <<'EOF'
{
  "status": "ok",
  "res_type": "time_series",
  "resp_version": 1,
  "query": "avg:system.cpu.user{env:prod} by {host}",
  "message": "",
  "from_date": 1717200000000,
  "to_date": 1717200060000,
  "group_by": [ "host" ],
  "series": [
    {
      "metric": "system.cpu.user",
      "display_name": "system.cpu.user",
      "unit": [ { "family": "percentage", "scale_factor": 1.0, "name": "percent", "short_name": "%" }, null ],
      "pointlist": [ [ 1717200000000.0, 12.5 ], [ 1717200020000.0, null ], [ 1717200040000.0, 13.75 ] ],
      "start": 1717200000000,
      "end": 1717200059000,
      "interval": 20,
      "length": 3,
      "aggr": "avg",
      "scope": "env:prod,host:web-1",
      "expression": "avg:system.cpu.user{env:prod,host:web-1}",
      "tag_set": [ "host:web-1" ],
      "query_index": 0,
      "attributes": {}
    },
    {
      "metric": "system.cpu.user",
      "pointlist": [ [ 1717200000123.0, 7 ], [ 1717200020123.0, 8.5e-1 ] ],
      "scope": "env:prod, host:web-2,canary",
      "interval": 20
    },
    {
      "pointlist": [ [ 1717200000000, -3.25 ] ],
      "tag_set": [ "role:web", "host:web-3", "role:db" ],
      "expression": "avg:system.load.1{host:web-3}",
      "metric": "system.load.1"
    }
  ],
  "values": [],
  "times": []
}
EOF
quiet_ok --store dd.h5 dd.json
dump_is dd.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"system.cpu.user{host=""web-1""}",12.5
2024-06-01T00:00:40Z,"system.cpu.user{host=""web-1""}",13.75
2024-06-01T00:00:00.123Z,"system.cpu.user{canary=""true"",env=""prod"",host=""web-2""}",7
2024-06-01T00:00:20.123Z,"system.cpu.user{canary=""true"",env=""prod"",host=""web-2""}",0.85
2024-06-01T00:00:00Z,"system.load.1{host=""web-3"",role=""db,web""}",-3.25
EOF
# the null is a gap on the series' 20 s grid
expect_rc 0 "$H" info dd.h5
expect_out 'system.cpu.user{host="web-1"}	gauge	20	2024-06-01T00:00:00Z	2024-06-01T00:00:40Z	3	1'
# minified with members reordered (pointlist before metric and tag_set):
# the same store; --format datadog too
printf '{"series":[{"pointlist":[[1717200000000,12.5],[1717200020000,null],[1717200040000,13.75]],"tag_set":["host:web-1"],"metric":"system.cpu.user"},{"scope":"env:prod,host:web-2,canary","tag_set":[],"pointlist":[[1717200000123,7],[1717200020123,0.85]],"metric":"system.cpu.user"},{"metric":"system.load.1","tag_set":["role:db","host:web-3","role:web","role:db"],"pointlist":[[1.717200000E12,-3.25]]}],"status":"ok","res_type":"time_series"}' >dd_min.json
same_as dd.h5 dd_min.json
same_as dd.h5 dd_min.json datadog
# an error answer
printf '{"errors": ["Forbidden"]}' >dd_err.json
expect_rc 65 "$H" ingest --format datadog --store s.h5 dd_err.json
expect_err 'headroom: error: dd_err.json: Datadog returned an error: Forbidden'
printf '{"status":"error","res_type":"time_series","error":"Error parsing query: unable to parse avg:: Rule avg"}' >dd_err2.json
expect_rc 65 "$H" ingest --store s.h5 dd_err2.json
expect_err 'headroom: error: dd_err2.json: Datadog returned an error: Error parsing query: unable to parse avg:: Rule avg'
# bad points by path
printf '{"status":"ok","res_type":"time_series","series":[{"metric":"m","tag_set":[],"pointlist":[[1717200000000,1],["x",2],[1717200040000,"y"],[1717200060000],[1717200080000,true]]}]}' >dd_bad.json
expect_rc 65 "$H" ingest --store s.h5 dd_bad.json
err_is <<'EOF'
headroom: error: dd_bad.json: series[0].pointlist[1]: time is not a number
headroom: error: dd_bad.json: series[0].pointlist[2]: expected a number, got "y"
headroom: error: dd_bad.json: series[0].pointlist[3]: expected [time, value]
headroom: error: dd_bad.json: series[0].pointlist[4]: value is not a number
headroom: error: dd_bad.json: 4 of 5 rows rejected (80.00%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF

# ---- CloudWatch get-metric-data ---------------------------------------------------
# as the AWS CLI prints it (4-space indent), newest first, ISO 8601 with
# offsets and fractions; two queries with the same Label stay apart by id
cat >cw.json <<'EOF'
{
    "MetricDataResults": [
        {
            "Id": "cpu_web1",
            "Label": "CPUUtilization",
            "Timestamps": [
                "2024-06-01T00:10:00+00:00",
                "2024-06-01T02:05:00+02:00",
                "2024-05-31T19:00:00-05:00"
            ],
            "Values": [
                37.125,
                35,
                3.58e1
            ],
            "StatusCode": "Complete"
        },
        {
            "Id": "cpu_web2",
            "Label": "CPUUtilization",
            "Timestamps": [
                "2024-06-01T00:05:00.250000+00:00",
                "2024-06-01T00:00:00.25Z"
            ],
            "Values": [
                0.5,
                -1
            ],
            "StatusCode": "Complete"
        },
        {
            "Id": "m3",
            "Label": "",
            "Timestamps": [],
            "Values": [],
            "StatusCode": "Complete"
        }
    ],
    "Messages": []
}
EOF
quiet_ok --store cw.h5 cw.json
dump_is cw.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"CPUUtilization{id=""cpu_web1""}",35.8
2024-06-01T00:05:00Z,"CPUUtilization{id=""cpu_web1""}",35
2024-06-01T00:10:00Z,"CPUUtilization{id=""cpu_web1""}",37.125
2024-06-01T00:00:00.250Z,"CPUUtilization{id=""cpu_web2""}",-1
2024-06-01T00:05:00.250Z,"CPUUtilization{id=""cpu_web2""}",0.5
EOF
# minified, members reordered (Values before Timestamps); --format too
printf '{"Messages":[],"MetricDataResults":[{"StatusCode":"Complete","Values":[37.125,35,35.8],"Timestamps":["2024-06-01T00:10:00Z","2024-06-01T00:05:00Z","2024-06-01T00:00:00Z"],"Label":"CPUUtilization","Id":"cpu_web1"},{"Id":"cpu_web2","Values":[0.5,-1],"Label":"CPUUtilization","Timestamps":["2024-06-01T00:05:00.250Z","2024-06-01T00:00:00.250+00:00"]}]}' >cw_min.json
same_as cw.h5 cw_min.json
same_as cw.h5 cw_min.json cloudwatch
# the CLI's joined pages: one Id in several results is one series; a
# result left PartialData by its last page, CloudWatch's messages and a
# NextToken are warnings; an empty Label names the series by its Id
cat >cw_pages.json <<'EOF'
{"MetricDataResults":[
 {"Id":"a","Label":"Disk","Timestamps":["2024-06-01T00:10:00Z","2024-06-01T00:05:00Z"],"Values":[3,2],"StatusCode":"PartialData"},
 {"Id":"b","Label":"","Timestamps":["2024-06-01T00:10:00Z"],"Values":[9],"StatusCode":"PartialData","Messages":[{"Code":"ArithmeticError","Value":"one or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)"}]},
 {"Id":"a","Label":"Disk","Timestamps":["2024-06-01T00:00:00Z"],"Values":[1],"StatusCode":"Complete"}],
 "NextToken":"token-of-the-next-page","Messages":[]}
EOF
expect_rc 0 "$H" ingest --store cw_pages.h5 cw_pages.json
err_is <<'EOF'
headroom: warning: cw_pages.json: MetricDataResults[1].Messages[0]: CloudWatch says: ArithmeticError: one or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)
headroom: warning: cw_pages.json: MetricDataResults[1] (Id b): StatusCode PartialData: points of this result may be missing
headroom: warning: cw_pages.json: NextToken present: this is one page of a longer answer and only it is read (the AWS CLI joins all pages unless --no-paginate or --max-items is given)
EOF
dump_is cw_pages.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"Disk{id=""a""}",1
2024-06-01T00:05:00Z,"Disk{id=""a""}",2
2024-06-01T00:10:00Z,"Disk{id=""a""}",3
2024-06-01T00:10:00Z,"b{id=""b""}",9
EOF
# lists of different lengths: which value is at which time is unknown
printf '{"MetricDataResults":[{"Id":"a","Label":"x","Timestamps":["2024-06-01T00:00:00Z","2024-06-01T00:05:00Z"],"Values":[1]}]}' >cw_len.json
expect_rc 65 "$H" ingest --store s.h5 cw_len.json
expect_err 'headroom: error: cw_len.json: MetricDataResults[0]: 2 Timestamps but 1 Values (the lists must be parallel)'
# bad entries by path, one message per point
printf '{"MetricDataResults":[{"Id":"a","Label":"x","Timestamps":["2024-06-01T00:00:00Z","yesterday","2024-06-01T00:10:00Z","2024-06-31T00:00:00Z"],"Values":[1,2,"z",4]}]}' >cw_bad.json
expect_rc 65 "$H" ingest --store s.h5 cw_bad.json
err_is <<'EOF'
headroom: error: cw_bad.json: MetricDataResults[0].Timestamps[1]: unrecognised timestamp, got "yesterday"
headroom: error: cw_bad.json: MetricDataResults[0].Timestamps[3]: no such date, got "2024-06-31T00:00:00Z"
headroom: error: cw_bad.json: MetricDataResults[0].Values[2]: expected a number, got "z"
headroom: error: cw_bad.json: 3 of 4 rows rejected (75.00%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF

# ---- Graphite render?format=json ---------------------------------------------------
# [value, time]; nulls are gaps; an untagged series is keyed by its
# target, a tagged one by tags.name with its other tags as labels
cat >gr.json <<'EOF'
[
  {
    "target": "servers.web1.cpu.user",
    "tags": { "name": "servers.web1.cpu.user" },
    "datapoints": [ [ 12.5, 1717200000 ], [ null, 1717200060 ], [ 13, 1717200120 ], [ null, 1717200180 ] ]
  },
  {
    "datapoints": [ [ 1, 1717200000 ], [ 2.5e-3, 1717200060 ] ],
    "tags": { "server": "web01", "name": "disk.used", "datacenter": "dc1" },
    "target": "disk.used;datacenter=dc1;server=web01"
  },
  {
    "target": "alias(old.graphite, 'no tags member')",
    "datapoints": [ [ 7, 1717200000 ] ]
  }
]
EOF
quiet_ok --store gr.h5 gr.json
dump_is gr.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,servers.web1.cpu.user,12.5
2024-06-01T00:02:00Z,servers.web1.cpu.user,13
2024-06-01T00:00:00Z,"disk.used{datacenter=""dc1"",server=""web01""}",1
2024-06-01T00:01:00Z,"disk.used{datacenter=""dc1"",server=""web01""}",0.0025
2024-06-01T00:00:00Z,"alias(old.graphite, 'no tags member')",7
EOF
expect_rc 0 "$H" info gr.h5
expect_out 'servers.web1.cpu.user	gauge	60	2024-06-01T00:00:00Z	2024-06-01T00:03:00Z	4	2'
printf '[{"datapoints":[[12.5,1717200000],[null,1717200060],[13,1717200120],[null,1717200180]],"target":"servers.web1.cpu.user"},{"tags":{"datacenter":"dc1","name":"disk.used","server":"web01"},"datapoints":[[1,1717200000.0],[0.0025,1717200060]]},{"datapoints":[[7,1717200000]],"target":"alias(old.graphite, '"'"'no tags member'"'"')"}]' >gr_min.json
same_as gr.h5 gr_min.json
same_as gr.h5 gr_min.json graphite
printf '{"target":"x","datapoints":[]}' >gr_obj.json
expect_rc 65 "$H" ingest --format graphite --store s.h5 gr_obj.json
expect_err 'headroom: error: gr_obj.json: not a Graphite render?format=json output (top level is not a list)'
printf '[{"target":"a","datapoints":[[1,1717200000],[2,"now"],[1717200120,3,4],[null,null]]}]' >gr_bad.json
expect_rc 65 "$H" ingest --store s.h5 gr_bad.json
err_is <<'EOF'
headroom: error: gr_bad.json: [0].datapoints[1]: time is not a number
headroom: error: gr_bad.json: [0].datapoints[2]: expected [value, time]
headroom: error: gr_bad.json: [0].datapoints[3]: time is not a number
headroom: error: gr_bad.json: 3 of 4 rows rejected (75.00%), over the limit of 1%: file not ingested
headroom: error: store s.h5 not changed: 1 of 1 files failed
EOF

# ---- the 1% rule: one bad point in 200 is reported, the file is taken ---------
awk 'BEGIN { printf "[{\"target\":\"a\",\"datapoints\":["
    for (i = 0; i < 200; i++) printf "%s[%s,%d]", i ? "," : "", i == 7 ? "\"x\"" : i, 1717200000 + 60 * i
    print "]}]" }' >gr_200.json
expect_rc 0 "$H" ingest --store gr_200.h5 gr_200.json
err_is <<'EOF'
headroom: error: gr_200.json: [0].datapoints[7]: expected a number, got "x"
EOF
expect_rc 0 "$H" info gr_200.h5
expect_out 'total: 1 series, 200 points, 1 gaps'

# ---- malformed JSON: line and column, counted across the reader's chunks --------
printf '{\n  "MetricDataResults": [\n    {"Id": "a", "Values": [1, 2,, 3]}\n  ]\n}\n' >cw_syntax.json
expect_rc 65 "$H" ingest --store s.h5 cw_syntax.json
expect_err 'headroom: error: cw_syntax.json:3:33: malformed JSON: '
# past the first 64 KiB chunk: ~90 KB of points, then a stray character
awk 'BEGIN { printf "{\"status\":\"ok\",\"res_type\":\"time_series\",\"series\":[{\"metric\":\"m\",\"pointlist\":[\n"
    for (i = 0; i < 4000; i++) printf "[%d,%d],\n", 1717200000000 + 60000 * i, i
    print "[1717440000000,1]]}],\"oops\" \"x\"}" }' >dd_syntax.json
expect_rc 65 "$H" ingest --store s.h5 dd_syntax.json
expect_err 'headroom: error: dd_syntax.json:4002:31: malformed JSON: '
printf '[{"target":"a","datapoints":[[1,1717200000]' >gr_trunc.json
expect_rc 65 "$H" ingest --store s.h5 gr_trunc.json
expect_err 'headroom: error: gr_trunc.json:1:44: malformed JSON: premature EOF'

# ---- gzip: the same store as the plain file ------------------------------------------
for f in prom_order dd cw gr; do
    gzip -c $f.json >$f.json.gz
    same_as $f.h5 $f.json.gz
done
expect_rc 0 sh -c "gzip -c dd.json | '$H' ingest -q --store dd_stdin.h5 -"
"$H" dump dd.h5 >dd.dump
"$H" dump dd_stdin.h5 >dd_stdin.dump
expect_same dd.dump dd_stdin.dump

# ---- detection -------------------------------------------------------------------
# -v names the format read; auto tells the four apart
for f in prom_order:prometheus prom_bare:prometheus dd:datadog dd_min:datadog cw:cloudwatch cw_min:cloudwatch gr:graphite gr_min:graphite; do
    expect_rc 0 "$H" ingest -v --store "det_${f%%:*}.h5" "${f%%:*}.json"
    expect_err "headroom: info: ${f%%:*}.json: ${f#*:}, "
done
# JSON lines (VictoriaMetrics /api/v1/export, one series per line) are not
# claimed by these readers, even with labels that look like their keys
printf '{"metric":{"__name__":"http_requests_total","status":"success","pointlist":"datapoints","target":"MetricDataResults"},"values":[1,2],"timestamps":[1717200000000,1717200060000]}\n{"metric":{"__name__":"up"},"values":[1],"timestamps":[1717200000000]}\n' >vm.jsonl
"$H" ingest -v --store vm.h5 vm.jsonl >"$T/out" 2>"$T/err"
err_lacks 'prometheus'
err_lacks 'Prometheus'
err_lacks 'datadog'
err_lacks 'graphite'

# ---- the four layouts of one generated fleet give the same points ----------------
# (bench/gen_json: 240 series of a random walk; each layout holds a
# different number of steps, so the first ten minutes are compared)
G="$HR_BUILD/bench/gen_json"
for f in prometheus datadog cloudwatch graphite; do
    expect_rc 0 "$G" $f gen_$f.json 0.2
    expect_rc 0 "$H" ingest -q --store gen_$f.h5 gen_$f.json
    "$H" dump gen_$f.h5 | awk -F, 'NR > 1 && $1 < "2025-01-01T00:10" { print $1, $NF }' | sort >gen_$f.pts
done
[ "$(wc -l <gen_prometheus.pts)" -eq 2400 ] && ok || bad "gen_json: $(wc -l <gen_prometheus.pts) points in ten minutes, want 2400"
for f in datadog cloudwatch graphite; do expect_same gen_prometheus.pts gen_$f.pts; done

# Prometheus: two result entries for one series and time: the later one
# wins, said as superseded (not as a conflict with stored values)
cat >"$T/pdup.json" <<'EOJ'
{"status":"success","data":{"resultType":"matrix","result":[
{"metric":{"__name__":"up","job":"a"},"values":[[1700000000,"1"],[1700000060,"2"],[1700000120,"3"]]},
{"metric":{"__name__":"up","job":"a"},"values":[[1700000060,"9"],[1700000180,"4"]]}]}}
EOJ
rm -f "$T/pdup.h5"
expect_rc 0 "$HEADROOM" ingest --store "$T/pdup.h5" "$T/pdup.json" -v
expect_err 'series up{job="a"}: 1 samples superseded by a later sample for the same grid point'
if grep -q "differ from the stored" "$T/err"; then bad "a duplicate called a conflict: $(cat "$T/err")"; else ok; fi
"$HEADROOM" dump "$T/pdup.h5" >"$T/pdup.csv" 2>/dev/null
grep -q '^2023-11-14T22:14:20Z,"up{job=""a""}",9$' "$T/pdup.csv" && ok || bad "the later sample did not win: $(cat "$T/pdup.csv")"

summary ingest_json
