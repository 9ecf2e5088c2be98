#!/bin/sh
# ingest: InfluxDB exports. "influx" is InfluxDB 2 annotated CSV (Flux
# results: annotation rows, several tables per file, blank lines between
# blocks) and plain Flux CSV; "influxql" is InfluxDB 1 InfluxQL CSV (the
# influx CLI's -format csv and the /query endpoint's application/csv).
# Every point is checked at its UTC time with `headroom dump`, every
# rejection at its file:line:column.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

# ---- InfluxDB 2 annotated CSV -------------------------------------------------
# three blocks, each with its own annotations and header: mem (tag host;
# table 1 has an empty _value without a default: a gap), diskio (tags host
# and name, long values, a #default for _value, times with an offset and
# nanosecond fractions), net (boolean values, dateTime:number times)
cat >flux.csv <<'EOF'
#group,false,false,true,true,false,false,true,true,true
#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string
#default,_result,,,,,,,,
,result,table,_start,_stop,_time,_value,_field,_measurement,host
,,0,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T00:00:00Z,61.25,used_percent,mem,db1
,,0,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T00:05:00Z,62.5,used_percent,mem,db1
,,0,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T00:10:00Z,63.75,used_percent,mem,db1
,,1,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T00:00:00Z,40.125,used_percent,mem,db2
,,1,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T00:05:00Z,41,used_percent,mem,db2
,,1,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T00:10:00Z,,used_percent,mem,db2
,,1,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T00:15:00Z,42.5,used_percent,mem,db2

#group,false,false,true,true,false,false,true,true,true,true
#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339Nano,long,string,string,string,string
#default,_result,,,,,0,,,,
,result,table,_start,_stop,_time,_value,_field,_measurement,host,name
,,2,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T02:00:00.000000000+02:00,1042,reads,diskio,db1,sda
,,2,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T00:01:00.000000000Z,,reads,diskio,db1,sda
,,2,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-06-01T00:02:00.000000000Z,1107,reads,diskio,db1,sda
,,3,2024-06-01T00:00:00Z,2024-06-02T00:00:00Z,2024-05-31T20:00:00.000000000-04:00,7,reads,diskio,db2,nvme0n1

#datatype,string,long,dateTime:number,boolean,string,string,string
#group,false,false,false,false,true,true,true
#default,_result,,,,,,
,result,table,_time,_value,_field,_measurement,host
,,4,1717200000000000000,true,up,net,db1
,,4,1717200060000000000,false,up,net,db1
,,4,1717200120000000000,true,up,net,db1

EOF
quiet_ok --store flux.h5 flux.csv
dump_is flux.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"mem_used_percent{host=""db1""}",61.25
2024-06-01T00:05:00Z,"mem_used_percent{host=""db1""}",62.5
2024-06-01T00:10:00Z,"mem_used_percent{host=""db1""}",63.75
2024-06-01T00:00:00Z,"mem_used_percent{host=""db2""}",40.125
2024-06-01T00:05:00Z,"mem_used_percent{host=""db2""}",41
2024-06-01T00:15:00Z,"mem_used_percent{host=""db2""}",42.5
2024-06-01T00:00:00Z,"diskio_reads{host=""db1"",name=""sda""}",1042
2024-06-01T00:01:00Z,"diskio_reads{host=""db1"",name=""sda""}",0
2024-06-01T00:02:00Z,"diskio_reads{host=""db1"",name=""sda""}",1107
2024-06-01T00:00:00Z,"diskio_reads{host=""db2"",name=""nvme0n1""}",7
2024-06-01T00:00:00Z,"net_up{host=""db1""}",1
2024-06-01T00:01:00Z,"net_up{host=""db1""}",0
2024-06-01T00:02:00Z,"net_up{host=""db1""}",1
EOF
# the empty _value is a gap on db2's 5-minute grid
expect_rc 0 "$H" info flux.h5
expect_out 'mem_used_percent{host="db2"}	gauge	300	2024-06-01T00:00:00Z	2024-06-01T00:15:00Z	4	1'
expect_out 'total: 5 series, 14 points, 1 gaps'
# -v names the format; 14 records, 14 samples (the gap is one)
expect_rc 0 "$H" ingest -v --store flux_v.h5 flux.csv
expect_err 'headroom: info: flux.csv: influx, 14 rows, 0 rejected, 14 samples, 5 series'
# --format influx, CRLF line ends (what /api/v2/query sends) and gzip give
# the same store
quiet_ok --format influx --store flux2.h5 flux.csv
expect_same flux.h5 flux2.h5
sed 's/$/\r/' flux.csv >flux_crlf.csv
quiet_ok --store flux3.h5 flux_crlf.csv
expect_same flux.h5 flux3.h5
gzip -c flux.csv >flux.csv.gz
quiet_ok --store fluxgz.h5 flux.csv.gz
expect_same flux.h5 fluxgz.h5
expect_rc 0 sh -c "gzip -c flux.csv | '$H' ingest --store fluxpipe.h5 -"
expect_same flux.h5 fluxpipe.h5

# ---- plain Flux CSV (no annotation rows) --------------------------------------
# with the leading empty column, then (after a blank line) a table without
# it and with another tag set; types are guessed: true/false are 1/0
cat >plain.csv <<'EOF'
,result,table,_start,_stop,_time,_value,_field,_measurement,host
,_result,0,2024-06-01T00:00:00Z,2024-06-01T01:00:00Z,2024-06-01T00:00:00Z,3.5,load1,system,db1
,_result,0,2024-06-01T00:00:00Z,2024-06-01T01:00:00Z,2024-06-01T00:01:00Z,3.25,load1,system,db1
,_result,1,2024-06-01T00:00:00Z,2024-06-01T01:00:00Z,2024-06-01T00:00:00Z,0.75,load1,system,db2

result,table,_time,_value,_field,_measurement,path
_result,2,2024-06-01T00:00:00Z,false,ro,disk,/var
_result,2,2024-06-01T00:01:00Z,true,ro,disk,/var
EOF
quiet_ok --store plain.h5 plain.csv
dump_is plain.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"system_load1{host=""db1""}",3.5
2024-06-01T00:01:00Z,"system_load1{host=""db1""}",3.25
2024-06-01T00:00:00Z,"system_load1{host=""db2""}",0.75
2024-06-01T00:00:00Z,"disk_ro{path=""/var""}",0
2024-06-01T00:01:00Z,"disk_ro{path=""/var""}",1
EOF
quiet_ok --format influx --store plain2.h5 plain.csv
expect_same plain.h5 plain2.h5
# without _measurement the field alone names the series; a header repeated
# without a blank line (files concatenated) starts a new table
printf '_time,_value,_field\n2024-06-01T00:00:00Z,1.5,rss\n_time,_value,_field,pod\n2024-06-01T00:00:00Z,2.5,rss,api-7\n' >nomeas.csv
quiet_ok --store nomeas.h5 nomeas.csv
dump_is nomeas.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,rss,1.5
2024-06-01T00:00:00Z,"rss{pod=""api-7""}",2.5
EOF

# ---- InfluxDB 2: bad files ----------------------------------------------------
# a string field and an unparsable time: each record reported once, at the
# offending field; 2 of 4 rejected fails the file and writes nothing
cat >fluxbad.csv <<'EOF'
#datatype,string,long,dateTime:RFC3339,double,string,string
#default,_result,,,,,
,result,table,_time,_value,_field,_measurement
,,0,2024-06-01T00:00:00Z,1.5,free,mem
,,0,2024-06-31T00:01:00Z,2.5,free,mem
,,0,2024-06-01T00:02:00Z,3.5,free,mem

#datatype,string,long,dateTime:RFC3339,string,string,string
#default,_result,,,,,
,result,table,_time,_value,_field,_measurement
,,1,2024-06-01T00:00:00Z,ok,status,svc
EOF
expect_rc 65 "$H" ingest --store fluxbad.h5 fluxbad.csv
err_is <<'EOF'
headroom: error: fluxbad.csv:5:5: _time: no such date, got "2024-06-31T00:01:00Z"
headroom: error: fluxbad.csv:11:26: _value of field "status" is a string (#datatype string): only numbers can be ingested; filter string fields out of the query
headroom: error: fluxbad.csv: 2 of 4 rows rejected (50.00%), over the limit of 1%: file not ingested
headroom: error: store fluxbad.h5 not changed: 1 of 1 files failed
EOF
expect_absent fluxbad.h5
# a pivoted result has no _value: the file is unusable
printf ',result,table,_time,_measurement,used,free\n,_result,0,2024-06-01T00:00:00Z,mem,1,2\n' >pivot.csv
expect_rc 65 "$H" ingest --store pivot.h5 pivot.csv
expect_err 'headroom: error: pivot.csv:1:1: the table header has no _value column'
expect_absent pivot.h5
# a Flux error table fails the file with InfluxDB's message
printf '#datatype,string,string\n#group,true,true\n#default,,\n,error,reference\n,"failed to compile query: undefined identifier bukcet",897\n' >fluxerr.csv
expect_rc 65 "$H" ingest --store fluxerr.h5 fluxerr.csv
expect_err 'headroom: error: fluxerr.csv:5:2: InfluxDB returned an error: failed to compile query: undefined identifier bukcet (reference 897)'
# annotations that do not match the header
printf '#datatype,string,long,dateTime:RFC3339,double\n,result,table,_time,_value,_field\n' >fluxcols.csv
expect_rc 65 "$H" ingest --format influx --store fluxcols.h5 fluxcols.csv
expect_err 'headroom: error: fluxcols.csv:2:1: the header has 6 columns but its #datatype row 5'
# one bad record in 150 (under 1%) is reported and the rest ingested
awk 'BEGIN { print "#datatype,string,long,dateTime:RFC3339,double,string,string,string"
             print ",result,table,_time,_value,_field,_measurement,host"
             for (i = 0; i < 150; i++)
                 printf ",,0,2024-06-01T%02d:%02d:00Z,%s,used,swap,db1\n", int(i / 60), i % 60, (i == 7 ? "1.5.2" : i + 0.25) }' >fluxshare.csv
expect_rc 0 "$H" ingest --store fluxshare.h5 fluxshare.csv
err_is <<'EOF'
headroom: error: fluxshare.csv:10:26: _value: expected a number, got "1.5.2"
EOF
expect_rc 0 "$H" info fluxshare.h5
expect_out 'swap_used{host="db1"}	gauge	60	2024-06-01T00:00:00Z	2024-06-01T02:29:00Z	150	1'

# ---- InfluxDB 1 InfluxQL CSV: the influx CLI ----------------------------------
# GROUP BY host: the CLI repeats the header before each series; two fields;
# an empty cell is no sample; times in nanoseconds
cat >cli.csv <<'EOF'
name,tags,time,mean_usage_user,mean_usage_system
cpu,host=db1,1717200000000000000,12.5,3.25
cpu,host=db1,1717200060000000000,13,
cpu,host=db1,1717200120000000000,14.75,4
name,tags,time,mean_usage_user,mean_usage_system
cpu,host=db2,1717200000000000000,7.5,2
cpu,host=db2,1717200060000000000,8.25,2.5
EOF
quiet_ok --store cli.h5 cli.csv
dump_is cli.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"cpu_mean_usage_user{host=""db1""}",12.5
2024-06-01T00:01:00Z,"cpu_mean_usage_user{host=""db1""}",13
2024-06-01T00:02:00Z,"cpu_mean_usage_user{host=""db1""}",14.75
2024-06-01T00:00:00Z,"cpu_mean_usage_system{host=""db1""}",3.25
2024-06-01T00:02:00Z,"cpu_mean_usage_system{host=""db1""}",4
2024-06-01T00:00:00Z,"cpu_mean_usage_user{host=""db2""}",7.5
2024-06-01T00:01:00Z,"cpu_mean_usage_user{host=""db2""}",8.25
2024-06-01T00:00:00Z,"cpu_mean_usage_system{host=""db2""}",2
2024-06-01T00:01:00Z,"cpu_mean_usage_system{host=""db2""}",2.5
EOF
expect_rc 0 "$H" ingest -v --store cli_v.h5 cli.csv
expect_err 'headroom: info: cli.csv: influxql, 5 rows, 0 rejected, 9 samples, 4 series'
quiet_ok --format influxql --store cli2.h5 cli.csv
expect_same cli.h5 cli2.h5
gzip -c cli.csv >cli.csv.gz
quiet_ok --store cligz.h5 cli.csv.gz
expect_same cli.h5 cligz.h5
# no tags: the CLI leaves out the tags column; Go's %v writes 1.5e+10;
# several tags come quoted, sorted, unescaped
printf 'name,time,free,used_percent\ndisk,1717200000000000000,1.5e+10,71.25\ndisk,1717200300000000000,1.25e+10,72.5\nname,tags,time,bytes_recv\nnet,"host=db1,interface=eth0",1717200000000000000,1000\n' >notags.csv
quiet_ok --store notags.h5 notags.csv
dump_is notags.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,disk_free,15000000000
2024-06-01T00:05:00Z,disk_free,12500000000
2024-06-01T00:00:00Z,disk_used_percent,71.25
2024-06-01T00:05:00Z,disk_used_percent,72.5
2024-06-01T00:00:00Z,"net_bytes_recv{host=""db1"",interface=""eth0""}",1000
EOF
# -precision rfc3339
printf 'name,tags,time,value\nload,host=db1,2024-06-01T00:00:00Z,0.5\nload,host=db1,2024-06-01T00:01:00.000Z,0.75\n' >rfc.csv
quiet_ok --store rfc.h5 rfc.csv
dump_is rfc.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"load_value{host=""db1""}",0.5
2024-06-01T00:01:00Z,"load_value{host=""db1""}",0.75
EOF

# ---- InfluxDB 1 InfluxQL CSV: the /query endpoint -----------------------------
# always name and tags (empty without tags), tags escaped with '\'; one
# statement's series share a header; a new statement or new columns come
# after a blank line with a new header
cat >http.csv <<'EOF'
name,tags,time,mean
mem,host=db1,1717200000000000000,61.5
mem,host=db1,1717200060000000000,62
mem,host=db2,1717200000000000000,40
mem,,1717200000000000000,50.75

name,tags,time,max,min
net,"host=db1,interface=eth\,0",1717200000000000000,9,1
net,"host=db1,interface=eth\,0",1717200060000000000,8.5,
EOF
quiet_ok --store http.h5 http.csv
dump_is http.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,"mem_mean{host=""db1""}",61.5
2024-06-01T00:01:00Z,"mem_mean{host=""db1""}",62
2024-06-01T00:00:00Z,"mem_mean{host=""db2""}",40
2024-06-01T00:00:00Z,mem_mean,50.75
2024-06-01T00:00:00Z,"net_max{host=""db1"",interface=""eth,0""}",9
2024-06-01T00:01:00Z,"net_max{host=""db1"",interface=""eth,0""}",8.5
2024-06-01T00:00:00Z,"net_min{host=""db1"",interface=""eth,0""}",1
EOF
gzip -c http.csv >http.csv.gz
quiet_ok --store httpgz.h5 http.csv.gz
expect_same http.h5 httpgz.h5

# ---- InfluxDB 1: bad files ------------------------------------------------------
# a string field, a time in seconds (-precision s), a short record: each
# reported once at its field
cat >qlbad.csv <<'EOF'
name,tags,time,status,load
svc,host=db1,1717200000000000000,ok,0.5
svc,host=db1,1717200060,1,0.5
svc,host=db1,1717200120000000000,1
svc,host=db1,1717200180000000000,2,0.25
EOF
expect_rc 65 "$H" ingest --store qlbad.h5 qlbad.csv
err_is <<'EOF'
headroom: error: qlbad.csv:2:34: field "status": expected a number, got "ok"
headroom: error: qlbad.csv:3:14: time: epoch time is not in nanoseconds (below 1e17, i.e. before 1973): export with the default precision (ns) or as RFC 3339, got "1717200060"
headroom: error: qlbad.csv:4:35: expected 5 fields as in the header, got 4
headroom: error: qlbad.csv: 3 of 4 rows rejected (75.00%), over the limit of 1%: file not ingested
headroom: error: store qlbad.h5 not changed: 1 of 1 files failed
EOF
expect_absent qlbad.h5
# malformed tags
printf 'name,tags,time,v\nx,host,1717200000000000000,1\n' >qltags.csv
expect_rc 65 "$H" ingest --store qltags.h5 qltags.csv
expect_err 'headroom: error: qltags.csv:2:3: tags: a tag is not key=value'
# a header without time is unusable
printf 'name,tags,ts,v\nx,,1717200000000000000,1\n' >qlnotime.csv
expect_rc 65 "$H" ingest --format influxql --store qlnotime.h5 qlnotime.csv
expect_err 'headroom: error: qlnotime.csv:1:11: unexpected column "ts" before time (want name,tags,time,<fields>)'
# the endpoint's error response
printf 'error\n"error parsing query: found FORM, expected FROM at line 1, char 9"\n' >qlerr.csv
expect_rc 65 "$H" ingest --format influxql --store qlerr.h5 qlerr.csv
expect_err 'headroom: error: qlerr.csv:2:1: InfluxDB returned an error: error parsing query: found FORM, expected FROM at line 1, char 9'
# one bad record in 150 (under 1%) is reported and the rest ingested
awk 'BEGIN { print "name,tags,time,used"
             for (i = 0; i < 150; i++)
                 printf "swap,host=db1,%d,%s\n", 1717200000 + 60 * i, (i == 3 ? "12..5" : i + 0.5) }' |
    sed 's/,\(17172[0-9]*\),/,\1000000000,/' >qlshare.csv
expect_rc 0 "$H" ingest --store qlshare.h5 qlshare.csv
err_is <<'EOF'
headroom: error: qlshare.csv:5:35: field "used": expected a number, got "12..5"
EOF
expect_rc 0 "$H" info qlshare.h5
expect_out 'swap_used{host="db1"}	gauge	60	2024-06-01T00:00:00Z	2024-06-01T02:29:00Z	150	1'

summary ingest_influx
