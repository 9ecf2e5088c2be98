#!/bin/sh
# Fault injection, the short version (`make faults` tries every point; see
# tests/faults/run.sh and README, Fault injection): per command (ingest,
# run) and kind (write, fsync, rename, create, malloc) the first, the last
# and two points in between, then the points that found a defect:
#   ingest:write:2       a chunk flush failing in H5Dclose was ignored: exit 0
#                        and a store missing values (engine/store.c write_file)
#   ingest:fsync:-1      the store folder's fsync failing after the rename
#                        was ignored (engine/fileio.c hr_file_commit)
#   run:fsync:-2, run:create:-1, run:rename:-1
#                        the folder's sync, the symlink or the rename of
#                        latest failing left a complete report folder beside
#                        latest, and the rerun made <stamp>-2 (engine/run.c
#                        publish)
#   run:malloc:1@jansson, run:malloc:30@jansson
#                        out of memory reading the previous report was taken
#                        for a bad report: exit 0 with changes against nothing
#                        (engine/prevrun.c load)
#   ingest:malloc:1@H5Fopen
#                        HDF5 out of memory opening the store was reported as a
#                        corrupt store, exit 65 (engine/store.c corrupt)
# Under ASan the malloc kind is skipped (run.sh says why).
. "$HR_TOP/tests/cli/lib.sh"
pts="ingest:write:2 ingest:fsync:-1 run:fsync:-2 run:create:-1 run:rename:-1"
ldd "$HEADROOM" 2>/dev/null | grep -q libasan || pts="$pts run:malloc:1@jansson run:malloc:30@jansson ingest:malloc:1@H5Fopen"
sh "$HR_TOP/tests/faults/run.sh" "$HR_BUILD" "$HEADROOM" short $pts >"$T/out" 2>&1
rc=$?
grep -v '^faults: [0-9]* passed' "$T/out" | grep -v '^KNOWN' | grep -v '^/'
pass=$(awk '/^faults: [0-9]+ passed/ { print $2 }' "$T/out")
fail=$(awk '/^faults: [0-9]+ passed/ { print $4 }' "$T/out")
[ -n "$pass" ] || { pass=0 fail=1; echo "faults: the driver failed: $(tail -3 "$T/out")" >&2; }
[ $rc = 0 ] || [ "$fail" != 0 ] || fail=1
summary faults
