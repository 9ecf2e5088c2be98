#!/bin/sh
# ingest: the parallel long-CSV reader (engine/read_csv_par.c) against the
# sequential one. A plain file goes to the parallel reader; the same bytes
# through gzip or standard input stay sequential. With tiny pieces
# (HEADROOM_CSV_CHUNK) at OMP_NUM_THREADS=1 and 3 every way must give the
# same exit code, the same messages (file names aside), the same dump and
# the same store bytes: bad rows in late pieces named by line and column,
# quoted fields among plain lines, a quoted field across lines, CRLF, no
# last line end, blank lines, DST warnings, a capped message list.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

# ways NAME ARGS...: NAME.csv read every way; each way's exit code, stderr
# (file name replaced by F) and dump must match the plain sequential one.
ways() {
    f=$1; shift
    gzip -c "$f.csv" >"$f.csv.gz"
    HEADROOM_CSV_CHUNK=1000000 "$H" ingest --store "$f.gz.h5" "$@" "$f.csv.gz" >/dev/null 2>"$f.gz.err"
    echo $? >"$f.gz.rc"
    sed "s/$f\.csv\.gz/F/g; s/store [^ ]*\.h5/store S/" "$f.gz.err" >"$f.gz.norm"
    "$H" dump --raw "$f.gz.h5" >"$f.gz.dump" 2>/dev/null
    sh -c "'$H' ingest --store '$f.in.h5' $* - <'$f.csv'" >/dev/null 2>"$f.in.err"
    echo $? >"$f.in.rc"
    sed "s/^headroom: \([a-z]*\): -/headroom: \1: F/; s/store [^ ]*\.h5/store S/" "$f.in.err" >"$f.in.norm"
    expect_same "$f.gz.rc" "$f.in.rc"
    expect_same "$f.gz.norm" "$f.in.norm"
    for way in 1:64 3:64 3:7 2:1 1:1000000 3:1000000; do
        th=${way%%:*}; ch=${way#*:}
        o=$f.$th.$ch
        OMP_NUM_THREADS=$th HEADROOM_CSV_CHUNK=$ch "$H" ingest --store "$o.h5" "$@" "$f.csv" >/dev/null 2>"$o.err"
        echo $? >"$o.rc"
        sed "s/$f\.csv/F/g; s/store [^ ]*\.h5/store S/" "$o.err" >"$o.norm"
        "$H" dump --raw "$o.h5" >"$o.dump" 2>/dev/null
        expect_same "$f.gz.rc" "$o.rc"
        expect_same "$f.gz.norm" "$o.norm"
        expect_same "$f.gz.dump" "$o.dump"
        if [ -e "$f.gz.h5" ]; then expect_same "$f.gz.h5" "$o.h5"; fi
    done
    cp "$f.1.64.err" "$T/err"
}

# ---- metric + labels, quoted fields, bad rows late in the file -------------
{
    echo 'timestamp,metric,host,value'
    i=0
    while [ $i -lt 300 ]; do
        t=$((1717200000 + i * 60))
        echo "$t,cpu,a,$i.5"
        echo "$t,\"cpu\",\"b,c\",$((i * 2))"
        echo "$t,mem,\"say \"\"hi\"\"\",0.$i"
        echo "$t,disk,x{y=\"z\"},$i"
        i=$((i + 1))
    done
    echo '1717300000,cpu,a,12abc'
    echo '1717300060,cpu,a'
    echo 'yesterday,cpu,a,1'
    echo '1717218000,cpu,a,7'
    echo '1717218000,cpu,a,8'
} >m.csv
ways m --max-bad-share 0.1
# the bad rows sit at lines 1202-1204, far past the first pieces
expect_err 'm.csv:1202:18: expected a number (units'
expect_err 'm.csv:1203:17: expected 4 fields, got 3'
expect_err 'm.csv:1204:1: unrecognised timestamp, got "yesterday"'
"$H" dump --raw m.1.64.h5 >m.dump
if grep -qxF '2024-06-01T05:00:00Z,"cpu{host=""a""}",8' m.dump; then ok; else bad "last sample of a grid point should win: $(grep 05:00:00 m.dump)"; fi
if grep -qF '"mem{host=""say \""hi\""""}",0.5' m.dump; then ok; else bad "quoted label with doubled quotes: $(grep mem m.dump | head -3)"; fi

# ---- series column, CRLF, blank lines, no last line end --------------------
{
    printf 'timestamp,series,value\r\n'
    i=0
    while [ $i -lt 200 ]; do
        printf '2024-06-01T%02d:%02d:00Z,s%d,%d.25\r\n' $((i / 60)) $((i % 60)) $((i % 3)) $i
        [ $((i % 50)) = 7 ] && printf '\r\n  \r\n'
        i=$((i + 1))
    done
    printf '2024-06-01T05:00:00Z,s0,,\r\n'
    printf '2024-06-01T05:01:00Z, s1 ,  9 '
} >c.csv
ways c
expect_err 'c.csv:210:26: expected 3 fields, got 4'

# ---- a quoted field across lines: the reader hands the rest back -----------
{
    echo 'timestamp,series,value'
    i=0
    while [ $i -lt 120 ]; do
        echo "$((1717200000 + i * 60)),s$((i % 2)),$i"
        i=$((i + 1))
    done
    printf '1717300000,"two\nlines",1\n'
    i=0
    while [ $i -lt 60 ]; do
        echo "$((1717400000 + i * 60)),s$((i % 2)),$i"
        i=$((i + 1))
    done
    echo '1717500000,s0,bad'
    printf '1717500060,"open,1\n'
} >q.csv
ways q --max-bad-share 0.5
expect_err 'q.csv:184:15: expected a number, got "bad"'
expect_err 'q.csv:185:12: quoted field never closed'

# ---- DST warnings and the message cap (--tz, -v off) -----------------------
{
    echo 'timestamp,series,value'
    i=0
    while [ $i -lt 1100 ]; do
        echo "2024-03-31 02:30:00,s$i,1"
        echo "2024-03-31 0x:30:00,s$i,1"
        i=$((i + 1))
    done
    echo '2024-04-01 00:00:00,last,1'
} >d.csv
ways d --tz Europe/Berlin --max-bad-share 0.6
expect_err 'd.csv:2:1: 2024-03-31 02:30:00 does not exist in Europe/Berlin'
expect_err 'd.csv: 100 more rejected rows not shown'
expect_err 'd.csv: 100 more DST warnings not shown'

# ---- series that change their cycle order, new ones midway, duplicates --
# (the reader tries the series that followed the previous one last time
# before hashing: a wrong guess must never be taken)
{
    echo 'timestamp,metric,host,value'
    i=0
    while [ $i -lt 200 ]; do
        t=$((1717200000 + i * 60))
        case $((i % 4)) in
        0) order='a b c' ;;
        1) order='c b a' ;;
        2) order='a c' ;;
        *) order='b a c ab' ;;
        esac
        [ $i -gt 120 ] && order="$order d"
        for h in $order; do echo "$t,cpu,$h,$i.25"; done
        [ $((i % 9)) = 0 ] && echo "$t,cpu,a,$((i + 1000))"
        i=$((i + 1))
    done
} >o.csv
ways o

# ---- old Mac line ends (CR only): one physical line, read sequentially -----
printf 'timestamp,series,value\r1717200000,a,1\r1717200060,a,2\r1717200120,a,x\r' >r.csv
ways r --max-bad-share 0.5
expect_err 'r.csv:1:18: expected a number, got "x"'

summary ingest_par
