#!/bin/sh
# The store across runs: idempotent re-ingest, next-day append, backfill,
# conflicting values (kept with a warning, or --replace), counters across
# days, dump options, corrupt stores, cannot-create (73) and the run lock (75).
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
cd "$T" || exit 1

snap() { md5sum <"$1" >"$T/snap.md5"; "$H" dump "$1" >"$T/snap.dump" 2>&1; stat -c '%i %Y' "$1" >"$T/snap.stat"; }
# unchanged STORE: same bytes, same dump, and not even rewritten (same inode)
unchanged() {
    md5sum <"$1" >"$T/now.md5"; "$H" dump "$1" >"$T/now.dump" 2>&1; stat -c '%i %Y' "$1" >"$T/now.stat"
    if cmp -s "$T/snap.md5" "$T/now.md5" && cmp -s "$T/snap.dump" "$T/now.dump"; then ok; else
        bad "store $1 changed: $(diff "$T/snap.dump" "$T/now.dump" | head -6)"
    fi
    if cmp -s "$T/snap.stat" "$T/now.stat"; then ok; else bad "store $1 was rewritten (inode/mtime changed)"; fi
}

# day 1: two gauges and a counter; day 2: the next day, plus a new series
printf '%s\n' 'timestamp,series,value' \
    '2024-06-01T00:00:00Z,a,1.5' '2024-06-01T00:01:00Z,a,2.5' '2024-06-01T00:02:00Z,a,3.5' \
    '2024-06-01T00:00:00Z,b,10.5' '2024-06-01T00:01:00Z,b,11.5' '2024-06-01T00:02:00Z,b,12.5' \
    '2024-06-01T00:00:00Z,req_total,0' '2024-06-01T00:01:00Z,req_total,60' '2024-06-01T00:02:00Z,req_total,120' >day1.csv
printf '%s\n' 'timestamp,series,value' \
    '2024-06-02T00:00:00Z,a,4.5' '2024-06-02T00:01:00Z,a,5.5' '2024-06-02T00:02:00Z,a,6.5' \
    '2024-06-02T00:00:00Z,req_total,86400' '2024-06-02T00:01:00Z,req_total,86460' '2024-06-02T00:02:00Z,req_total,0' \
    '2024-06-02T00:00:00Z,d,7.25' '2024-06-02T00:01:00Z,d,8.25' >day2.csv

quiet_ok --store s.h5 day1.csv
dump_is s.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1.5
2024-06-01T00:01:00Z,a,2.5
2024-06-01T00:02:00Z,a,3.5
2024-06-01T00:00:00Z,b,10.5
2024-06-01T00:01:00Z,b,11.5
2024-06-01T00:02:00Z,b,12.5
2024-06-01T00:01:00Z,req_total,1
2024-06-01T00:02:00Z,req_total,1
EOF
expect_absent s.h5.tmp

# ---- idempotent re-ingest ---------------------------------------------------
snap s.h5
quiet_ok --store s.h5 day1.csv
unchanged s.h5
expect_rc 0 "$H" ingest -v --store s.h5 day1.csv
err_is <<'EOF'
headroom: info: day1.csv: long, 9 rows, 0 rejected, 9 samples, 3 series
headroom: info: store s.h5: 3 series (0 new), unchanged
EOF
unchanged s.h5
# the same export in another row order, and a subset of it: still nothing
{ head -n 1 day1.csv; tail -n +2 day1.csv | sort -r; } >day1_shuffled.csv
quiet_ok --store s.h5 day1_shuffled.csv
unchanged s.h5
{ head -n 1 day1.csv; sed -n 3,4p day1.csv; } >day1_part.csv
quiet_ok --store s.h5 day1_part.csv
unchanged s.h5
# the same data in another format (wide) is the same data
printf 'Time,a,b\n1717200000000,1.5,10.5\n1717200060000,2.5,11.5\n' >day1_wide.csv
quiet_ok --store s.h5 day1_wide.csv
unchanged s.h5

# ---- next-day append: the dump shows the union --------------------------------
quiet_ok --store s.h5 day2.csv
dump_is s.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1.5
2024-06-01T00:01:00Z,a,2.5
2024-06-01T00:02:00Z,a,3.5
2024-06-02T00:00:00Z,a,4.5
2024-06-02T00:01:00Z,a,5.5
2024-06-02T00:02:00Z,a,6.5
2024-06-01T00:00:00Z,b,10.5
2024-06-01T00:01:00Z,b,11.5
2024-06-01T00:02:00Z,b,12.5
2024-06-01T00:01:00Z,req_total,1
2024-06-01T00:02:00Z,req_total,1
2024-06-02T00:00:00Z,req_total,1
2024-06-02T00:01:00Z,req_total,1
2024-06-02T00:02:00Z,req_total,0
2024-06-02T00:00:00Z,d,7.25
2024-06-02T00:01:00Z,d,8.25
EOF
expect_rc 0 "$H" info s.h5
expect_out 'a	gauge	60	2024-06-01T00:00:00Z	2024-06-02T00:02:00Z	1443	1437'
expect_out 'req_total	counter	60	2024-06-01T00:00:00Z	2024-06-02T00:02:00Z	1443	1437'
expect_out 'd	gauge	60	2024-06-02T00:00:00Z	2024-06-02T00:01:00Z	2	0'
expect_out 'total: 4 series, 2891 points, 2874 gaps'
cp s.h5 union.h5
# both days again: nothing changes
snap s.h5
quiet_ok --store s.h5 day1.csv day2.csv
unchanged s.h5
quiet_ok --store s.h5 day2.csv
unchanged s.h5
# both days in one run into a new store: the same bytes
quiet_ok --store one_run.h5 day1.csv day2.csv
expect_same union.h5 one_run.h5
# backfill: day 2 first, then day 1; same data (series order is first seen)
quiet_ok --store back.h5 day2.csv
quiet_ok --store back.h5 day1.csv
"$H" dump back.h5 | sort >"$T/back.sorted"
"$H" dump union.h5 | sort >"$T/union.sorted"
expect_same "$T/back.sorted" "$T/union.sorted"
expect_rc 0 "$H" info back.h5
expect_out 'a	gauge	60	2024-06-01T00:00:00Z	2024-06-02T00:02:00Z	1443	1437'

# ---- a conflicting value: warned, stored value kept ------------------------------
printf 'timestamp,series,value\n2024-06-01T00:01:00Z,a,9.5\n2024-06-01T00:00:00Z,a,1.5\n2024-06-01T00:02:00Z,a,8.5\n2024-06-01T00:03:00Z,a,7.5\n' >conflict.csv
snap s.h5
expect_rc 0 "$H" ingest --store s.h5 conflict.csv
err_is <<'EOF'
headroom: warning: series a: 2 values differ from the stored ones (first at 2024-06-01T00:01:00Z); kept the stored values (use --replace to overwrite)
EOF
# 00:03 was a gap: it is filled; 00:01 and 00:02 keep 2.5 and 3.5
dump_is s.h5 --series a <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1.5
2024-06-01T00:01:00Z,a,2.5
2024-06-01T00:02:00Z,a,3.5
2024-06-01T00:03:00Z,a,7.5
2024-06-02T00:00:00Z,a,4.5
2024-06-02T00:01:00Z,a,5.5
2024-06-02T00:02:00Z,a,6.5
EOF
# only conflicts: the store is not touched at all
printf 'timestamp,series,value\n2024-06-01T00:00:00Z,b,99.5\n' >conflict_only.csv
snap s.h5
expect_rc 0 "$H" ingest --store s.h5 conflict_only.csv
err_is <<'EOF'
headroom: warning: series b: 1 values differ from the stored ones (first at 2024-06-01T00:00:00Z); kept the stored values (use --replace to overwrite)
EOF
unchanged s.h5
expect_rc 0 "$H" ingest -q --store s.h5 conflict_only.csv
expect_no_err
# --replace overwrites, silently by default, with an info line under -v
quiet_ok --replace --store s.h5 conflict.csv
dump_is s.h5 --series a <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1.5
2024-06-01T00:01:00Z,a,9.5
2024-06-01T00:02:00Z,a,8.5
2024-06-01T00:03:00Z,a,7.5
2024-06-02T00:00:00Z,a,4.5
2024-06-02T00:01:00Z,a,5.5
2024-06-02T00:02:00Z,a,6.5
EOF
expect_rc 0 "$H" ingest -v --replace --store s.h5 conflict_only.csv
expect_err 'headroom: info: series b: replaced 1 stored values'
dump_is s.h5 --series b <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,b,99.5
2024-06-01T00:01:00Z,b,11.5
2024-06-01T00:02:00Z,b,12.5
EOF
# a NaN or empty value never erases a stored value, even with --replace
printf 'timestamp,series,value\n2024-06-01T00:00:00Z,b,NaN\n2024-06-01T00:01:00Z,b,\n2024-06-01T00:02:00Z,b,+Inf\n' >erase.csv
snap s.h5
expect_rc 0 "$H" ingest --replace --store s.h5 erase.csv
expect_err 'erase.csv: 1 values were +Inf or -Inf'
unchanged s.h5

# ---- dump options -----------------------------------------------------------------
# a counter's rate spans the day boundary: (86400 - 120) / 86280 s = 1
dump_is union.h5 --series req_total <<'EOF'
timestamp,series,value
2024-06-01T00:01:00Z,req_total,1
2024-06-01T00:02:00Z,req_total,1
2024-06-02T00:00:00Z,req_total,1
2024-06-02T00:01:00Z,req_total,1
2024-06-02T00:02:00Z,req_total,0
EOF
expect_rc 0 "$H" dump --raw --series req_total union.h5
expect_out '2024-06-02T00:02:00Z,req_total,0'
if [ "$(wc -l <"$T/out")" = 7 ]; then ok; else bad "--raw: want 6 values: $(cat "$T/out")"; fi
expect_rc 65 "$H" dump --series nope union.h5
expect_err 'headroom: error: union.h5: no series "nope"'
expect_rc 0 "$H" dump -o dumped.csv union.h5
expect_no_err
expect_no_out
"$H" dump union.h5 >"$T/union.dump"
expect_same dumped.csv "$T/union.dump"
expect_absent dumped.csv.tmp
touch afile
expect_rc 73 "$H" dump -o afile/sub/x.csv union.h5
# a dump is long CSV that ingests back to the same gauges
grep -v _total day2.csv >day2_gauges.csv
quiet_ok --store gauges.h5 day1_wide.csv day2_gauges.csv
"$H" dump gauges.h5 >"$T/gauges.dump"
cp "$T/gauges.dump" gauges_dump.csv
# (counters would come back as rates, so only gauges round-trip)
if grep -q _total gauges_dump.csv; then bad "gauges dump has a counter"; else ok; fi
quiet_ok --store roundtrip.h5 gauges_dump.csv
"$H" dump roundtrip.h5 >"$T/roundtrip.dump"
expect_same "$T/gauges.dump" "$T/roundtrip.dump"
# quoted keys and fractional times survive the round trip too
printf '"Time","cpu{host=""web1""}","x,y"\r\n1717200000250,41.5,1\r\n1717200060250,43.25,2\r\n' >rt2.csv
quiet_ok --store rt2.h5 rt2.csv
"$H" dump -o rt2_dump.csv rt2.h5
quiet_ok --store rt2b.h5 rt2_dump.csv
expect_same rt2.h5 rt2b.h5

# keys with blanks at either end survive the round trip (the dump must
# quote them, since unquoted fields are trimmed on input)
printf 'timestamp,series,value\n1717200000," padded ",1.5\n1717200060," padded ",2.5\n' >pad.csv
quiet_ok --store pad.h5 pad.csv
"$H" dump -o pad_dump.csv pad.h5
quiet_ok --store pad2.h5 pad_dump.csv
dump_is pad2.h5 <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z," padded ",1.5
2024-06-01T00:01:00Z," padded ",2.5
EOF

# ---- missing and corrupt stores ----------------------------------------------------
expect_rc 66 "$H" dump nostore.h5
expect_err 'headroom: error: nostore.h5: No such file or directory'
expect_rc 66 "$H" info nostore.h5
# garbage bytes: 65 for every command, and the file is left untouched
awk 'BEGIN { srand(7); for (i = 0; i < 3000; i++) printf "%c", 32 + int(rand() * 90) }' >garbage.h5
md5sum <garbage.h5 >"$T/garbage.md5"
expect_rc 65 "$H" ingest --store garbage.h5 day1.csv
err_is <<'EOF'
headroom: error: garbage.h5: not a valid headroom store: not an HDF5 file
EOF
md5sum <garbage.h5 >"$T/garbage.md5.after"
expect_same "$T/garbage.md5" "$T/garbage.md5.after"
expect_absent garbage.h5.tmp
expect_rc 65 "$H" ingest --replace --store garbage.h5 day1.csv
expect_rc 65 "$H" dump garbage.h5
expect_err 'headroom: error: garbage.h5: not a valid headroom store: not an HDF5 file'
expect_rc 65 "$H" info garbage.h5
md5sum <garbage.h5 >"$T/garbage.md5.after"
expect_same "$T/garbage.md5" "$T/garbage.md5.after"
# an empty store file is not a new store
: >zero.h5
expect_rc 65 "$H" ingest --store zero.h5 day1.csv
expect_err 'headroom: error: zero.h5: not a valid headroom store'
if [ -s zero.h5 ]; then bad "zero.h5 was written"; else ok; fi
# an HDF5 file that is not a headroom store
cp union.h5 other.h5
sed -i 's/headroom_store_version/headroom_store_versioX/' other.h5
md5sum <other.h5 >"$T/other.md5"
expect_rc 65 "$H" ingest --store other.h5 day1.csv
expect_err 'headroom: error: other.h5: not a valid headroom store: no headroom_store_version attribute'
md5sum <other.h5 >"$T/other.md5.after"
expect_same "$T/other.md5" "$T/other.md5.after"
# a truncated store: an error (bad data or I/O), never a crash, file untouched
head -c 6000 union.h5 >cut.h5
md5sum <cut.h5 >"$T/cut.md5"
"$H" ingest --store cut.h5 day2.csv >"$T/out" 2>"$T/err"; r=$?
case $r in 65|74) ok ;; *) bad "truncated store: exit $r, want 65 or 74: $(head -c 300 "$T/err")" ;; esac
expect_err 'headroom: error: cut.h5: '
md5sum <cut.h5 >"$T/cut.md5.after"
expect_same "$T/cut.md5" "$T/cut.md5.after"

# ---- cannot create the store: 73 --------------------------------------------------
# (tests run as root, so use a path below a regular file)
expect_rc 73 "$H" ingest --store afile/sub/s.h5 day1.csv
expect_err 'headroom: error: afile/sub/s.h5.lock: cannot create lock file: Not a directory'
expect_rc 73 "$H" ingest --store nodir/s.h5 day1.csv
expect_err 'headroom: error: nodir/s.h5.lock: cannot create lock file: No such file or directory'
expect_absent nodir
# the temporary file cannot be created (a directory is in the way)
cp union.h5 blocked.h5
snap blocked.h5
mkdir blocked.h5.tmp
expect_rc 73 "$H" ingest --store blocked.h5 conflict.csv
expect_err 'headroom: error: blocked.h5.tmp: cannot create'
unchanged blocked.h5
rmdir blocked.h5.tmp
# a stale temporary file from a crashed run is simply replaced
printf 'half-written junk' >stale.h5.tmp
quiet_ok --store stale.h5 day1.csv day2.csv
expect_absent stale.h5.tmp
expect_same union.h5 stale.h5

# ---- the run lock: 75 at once while held ------------------------------------------
cp union.h5 lk.h5
snap lk.h5
flock lk.h5.lock sleep 3 &
holder=$!
# wait until the holder has the lock
i=0
while [ $i -lt 50 ] && flock -n lk.h5.lock true; do sleep 0.05; i=$((i + 1)); done
expect_rc 75 "$H" ingest --store lk.h5 conflict.csv
err_is <<'EOF'
headroom: error: lk.h5.lock: another headroom run holds the lock
EOF
if kill -0 "$holder" 2>/dev/null; then ok; else bad "exit 75 came only after the lock holder ended"; fi
expect_rc 75 "$H" ingest --replace --store lk.h5 day1.csv day2.csv
# a new store is not created while locked either
flock new_lk.h5.lock sleep 3 &
holder2=$!
i=0
while [ $i -lt 50 ] && flock -n new_lk.h5.lock true; do sleep 0.05; i=$((i + 1)); done
expect_rc 75 "$H" ingest --store new_lk.h5 day1.csv
expect_absent new_lk.h5
wait "$holder" "$holder2"
unchanged lk.h5
# released: it works
expect_rc 0 "$H" ingest --replace --store lk.h5 conflict.csv
expect_no_err
dump_is lk.h5 --series a <<'EOF'
timestamp,series,value
2024-06-01T00:00:00Z,a,1.5
2024-06-01T00:01:00Z,a,9.5
2024-06-01T00:02:00Z,a,8.5
2024-06-01T00:03:00Z,a,7.5
2024-06-02T00:00:00Z,a,4.5
2024-06-02T00:01:00Z,a,5.5
2024-06-02T00:02:00Z,a,6.5
EOF
quiet_ok --store new_lk.h5 day1.csv


# a store cut short is bad input (65, "truncated"), not an I/O error; one
# that cannot be read for lack of permission is 66 and not called corrupt
rm -f tr.h5 && printf 'timestamp,series,value\n' >tr.csv
i=0; while [ $i -lt 3000 ]; do echo "$((1700000000 + i * 60)),s$((i % 7)),$i"; i=$((i + 1)); done >>tr.csv
quiet_ok --store tr.h5 tr.csv
sz=$(wc -c <tr.h5)
for cut in 2000 $((sz / 2)) $((sz - 100)); do
    head -c "$cut" tr.h5 >cut.h5
    expect_rc 65 "$H" info cut.h5
    if grep -q "cut.h5: not a valid headroom store: .*truncated" "$T/err"; then ok; else bad "cut at $cut: $(cat "$T/err")"; fi
done
cp tr.h5 "$T/noperm.h5" && chmod 000 "$T/noperm.h5"
if [ "$(id -u)" = 0 ]; then
    chmod 755 "$T" && cp "$HEADROOM" "$T/hr" && chmod 755 "$T/hr"
    su nobody -s /bin/sh -c "'$T/hr' info '$T/noperm.h5'" >"$T/out" 2>"$T/err"; rc=$?
else
    "$H" info "$T/noperm.h5" >"$T/out" 2>"$T/err"; rc=$?
fi
[ "$rc" = 66 ] && ok || bad "unreadable store: exit $rc, want 66: $(cat "$T/err")"
expect_err "noperm.h5: cannot read the store: Permission denied"
if grep -q "not a valid\|not an HDF5" "$T/err"; then bad "an unreadable store called corrupt: $(cat "$T/err")"; else ok; fi

# a write that fails (here the file size limit, as a full disk does) is
# exit 74 with the message, no crash in HDF5's shutdown, and the store as
# it was, the temporary file gone
rm -f fs.h5 fs.h5.tmp
printf 'timestamp,series,value\n2024-01-01T00:00:00Z,keep,1\n2024-01-01T01:00:00Z,keep,2\n' >fs_small.csv
quiet_ok --store fs.h5 fs_small.csv
"$H" dump fs.h5 >fs_before.csv
awk 'BEGIN { srand(7); print "timestamp,series,value"
    for (i = 0; i < 200000; i++) printf "%d,r%d,%.9f\n", 1704067200 + 60 * int(i / 20), i % 20, rand() }' >fs_big.csv
sh -c 'trap "" XFSZ; ulimit -f 1024; exec "$0" ingest --store fs.h5 fs_big.csv' "$H" >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" = 74 ] && ok || bad "failed write: exit $rc, want 74: $(head -c 300 "$T/err")"
expect_err "fs.h5.tmp: cannot write"
"$H" dump fs.h5 >fs_after.csv
expect_same fs_before.csv fs_after.csv
[ ! -e fs.h5.tmp ] && ok || bad "fs.h5.tmp left behind"

summary store_cli