#!/bin/sh
# ingest: files read ahead on a second thread (engine/ingest_ahead.c). JSON
# exports among CSV files are read beside them and absorbed in input
# order, so at OMP_NUM_THREADS=1 (no second thread) and 2 or 3 every case
# must give the same exit code, the same messages in the same order, the
# same dump and the same store bytes: the same series in several files
# (the later file's sample wins at a grid point), a series first named by
# a JSON file between CSV ones, rejected rows in the JSON files, counters
# by name, a grid refused naming the JSON file of its outlier, a file
# that fails, and on_bad_file = skip through run.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

prom() { # prom FILE SERIES-JSON...: a query_range document
    f=$1; shift
    printf '{"status":"success","data":{"resultType":"matrix","result":[' >"$f"
    sep=
    for s in "$@"; do printf '%s%s' "$sep" "$s" >>"$f"; sep=,; done
    printf ']}}\n' >>"$f"
}

# a.csv: s1 and s2 at 1717200000 + 60 k
{
    echo 'timestamp,series,value'
    for k in 0 1 2 3 4 5 6 7 8 9; do
        echo "$((1717200000 + 60 * k)),s1,$k"
        echo "$((1717200000 + 60 * k)),s2,$((k * 10))"
    done
} >a.csv
# p1.json: s2 again (later: its values win at the same points), s3 new,
# a counter, and one value that is not a number (a rejected row)
prom p1.json \
    '{"metric":{"__name__":"s2"},"values":[[1717200120,"200"],[1717200180,"300"],[1717200600,"1000"]]}' \
    '{"metric":{"__name__":"s3","job":"x"},"values":[[1717200000,"1"],[1717200060,"two"],[1717200120,"3"],[1717200180,"4"]]}' \
    '{"metric":{"__name__":"req_total"},"values":[[1717200000,"100"],[1717200060,"160"],[1717200120,"220"]]}'
# b.csv: s3 after p1 (CSV wins now) and s4
{
    echo 'timestamp,series,value'
    echo '1717200120,"s3{job=""x""}",33'
    echo '1717200000,s4,7'
    echo '1717200060,s4,8'
} >b.csv
# p2.json: s5, and s1 once more
prom p2.json \
    '{"metric":{"__name__":"s5"},"values":[[1717200000,"5"],[1717200300,"6"]]}' \
    '{"metric":{"__name__":"s1"},"values":[[1717200540,"-9"]]}'

# same NAME RC ARGS...: ingest ARGS at 1, 2 and 3 threads; exit codes,
# stderr (store name replaced), dumps and stores must agree
same() {
    name=$1 want=$2; shift 2
    for th in 1 2 3; do
        o=$name.$th
        rm -f "$o.h5"
        OMP_NUM_THREADS=$th "$H" ingest -v --max-bad-share 0.5 --store "$o.h5" "$@" >/dev/null 2>"$o.err"
        echo $? >"$o.rc"
        sed "s/store [^ ]*\.h5/store S/" "$o.err" >"$o.norm"
        "$H" dump --raw "$o.h5" >"$o.dump" 2>/dev/null
    done
    [ "$(cat "$name.1.rc")" = "$want" ] && ok || bad "$name: exit $(cat "$name.1.rc"), want $want: $(cat "$name.1.err")"
    for th in 2 3; do
        expect_same "$name.1.rc" "$name.$th.rc"
        expect_same "$name.1.norm" "$name.$th.norm"
        expect_same "$name.1.dump" "$name.$th.dump"
        if [ -e "$name.1.h5" ]; then expect_same "$name.1.h5" "$name.$th.h5"; fi
    done
    cp "$name.2.err" "$T/err"
}

same mix 0 a.csv p1.json b.csv p2.json
expect_err 'p1.json: data.result[1].values[1]'
expect_err 'headroom: info: p2.json: prometheus, 3 rows, 0 rejected, 3 samples, 2 series'
# the messages in input order: a.csv, p1.json, b.csv, p2.json, the store
awk -F': ' '/: info: [a-z0-9]*\.(csv|json): / { print $3 }' mix.2.err | tr '\n' ' ' >order
[ "$(cat order)" = "a.csv p1.json b.csv p2.json " ] && ok || bad "message order: $(cat order)"
# the later file wins at a grid point; the first naming orders the series
grep -q '^2024-06-01T00:02:00Z,s2,200$' mix.2.dump && ok || bad "s2 at 120 s: $(grep ',s2,' mix.2.dump | head -3)"
grep -q '^2024-06-01T00:02:00Z,"s3{job=""x""}",33$' mix.2.dump && ok || bad "s3 at 120 s: $(grep ',s3' mix.2.dump | head -3)"
grep -q '^2024-06-01T00:09:00Z,s1,-9$' mix.2.dump && ok || bad "s1 at 540 s not from p2.json"
"$H" info mix.2.h5 >"$T/out" 2>&1
awk 'NR > 1 && !/^total/ { printf "%s ", $1 }' "$T/out" >names
[ "$(cat names)" = 's1 s2 s3{job="x"} req_total s4 s5 ' ] && ok || bad "series order: $(cat names)"
expect_out 'req_total	counter'

# a Grafana wide CSV and a gzipped long CSV are read ahead too
{
    echo 'Time,s6,s1'
    echo '2024-06-01 00:00:00,1,100'
    echo '2024-06-01 00:01:00,2,'
    echo '2024-06-01 00:02:00,x,300'
} >w.csv
gzip -c b.csv >b.csv.gz
same wide 0 a.csv w.csv b.csv.gz p2.json
grep -q '^2024-06-01T00:02:00Z,s1,300$' wide.2.dump && ok || bad "s1 at 120 s not from w.csv"
expect_err 'w.csv:4:'

# JSON alone (every other file read ahead), long CSV alone (none)
same json 0 p1.json p2.json
same csv 0 a.csv b.csv

# a JSON file that fails (malformed) between CSV files: all or nothing
printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"q"},"values":[[1717200000,"1"]' >cut.json
same cut 65 a.csv cut.json b.csv p2.json
expect_err 'cut.json:1:'
expect_err 'not changed: 1 of 4 files failed'
[ ! -e cut.2.h5 ] && ok || bad "a failed ingest left a store"

# a JSON series far from its others: the refused grid names the JSON file
prom far.json '{"metric":{"__name__":"s1"},"values":[[1717200000,"0"],[2717200000,"1"]]}'
same far 65 a.csv far.json b.csv
expect_err '(in far.json) lies far'

# run with on_bad_file = skip: the bad JSON left out, the rest published
mkdir -p ex
cp a.csv b.csv p2.json ex/
cp cut.json ex/c_cut.json
for th in 1 2; do
    printf '[store]\npath = s%s.h5\n[ingest]\nexports = ex/*.csv ex/*.json\non_bad_file = skip\n[output]\ndir = out%s\n' "$th" "$th" >skip$th.ini
    OMP_NUM_THREADS=$th "$H" run --config skip$th.ini --now 2024-06-02T00:00:00Z >/dev/null 2>skip$th.err
    echo $? >skip$th.rc
    sed "s/out[12]/O/g; s/s[12]\.h5/S/g" skip$th.err >skip$th.norm
    "$H" dump --raw s$th.h5 >skip$th.dump 2>/dev/null
done
[ "$(cat skip1.rc)" = 2 ] && ok || bad "skip: exit $(cat skip1.rc): $(cat skip1.err)"
expect_same skip1.rc skip2.rc
expect_same skip1.norm skip2.norm
expect_same skip1.dump skip2.dump
grep -q ',s5,' skip2.dump && ok || bad "skip: p2.json's series missing"

summary ingest_ahead
