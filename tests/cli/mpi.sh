#!/bin/sh
# Past one machine (issue 15): ./headroom-mpi under `mpirun -n 3` writes
# the same bytes as the single-process run -- the golden fleet's nine
# reports and postmortem drafts (tools/golden.sh, two runs a day apart)
# at 1 and 2 threads per rank, against tests/golden/; more ranks than
# series and one rank give them too; a failure on the ranks (a store that
# is not there, the store's lock held) is reported once by rank 0 with
# the single-process exit code, by every rank; other commands run on rank
# 0 alone. Without mpirun the script is skipped with a message, except
# under CI=true, where it fails (`make deps` installs Open MPI).
. "$HR_TOP/tests/cli/lib.sh"
MPI_BIN=$(dirname "$HEADROOM")/headroom-mpi
G=$HR_TOP/tests/golden
if ! command -v mpirun >/dev/null 2>&1 || [ ! -x "$MPI_BIN" ]; then
    if [ "${CI:-}" = true ]; then bad "mpirun or $MPI_BIN missing (make deps; make mpi)"; else
        echo "mpi: skipped: mpirun or $MPI_BIN missing (make deps; make mpi)"
    fi
    summary mpi
    exit $?
fi
# a wrapper with mpirun's options, as tools/golden.sh takes one program:
# root in CI, more ranks than cores, shared memory only; LeakSanitizer off
# for the ranks (Open MPI keeps its own allocations to the end)
mk() { # mk NAME RANKS THREADS
    cat >"$T/$1" <<EOF
#!/bin/sh
exec mpirun --oversubscribe --allow-run-as-root -n $2 --mca btl self,vader \
    -x OMP_NUM_THREADS=$3 -x ASAN_OPTIONS=detect_leaks=0 -x UBSAN_OPTIONS "$MPI_BIN" "\$@"
EOF
    chmod +x "$T/$1"
}
mk r3t1 3 1
mk r3t2 3 2
mk r1t2 1 2
for w in r3t1 r3t2 r1t2; do
    rm -rf "$T/$w.g"
    if sh "$HR_TOP/tools/golden.sh" "$HR_BUILD" "$T/$w" "$T/$w.g" >"$T/out" 2>&1; then ok; else
        bad "$w: the golden run failed: $(tail -c 600 "$T/out")"
        continue
    fi
    if diff -r "$G" "$T/$w.g/rep/latest" >"$T/diff" 2>&1; then ok; else
        bad "$w: the reports differ from tests/golden/: $(head -c 600 "$T/diff")"
    fi
done

# rank 0 says how the series were split (36 series: 12 per rank)
cd "$T/r3t1.g" || exit 1
expect_rc 0 "$T/r3t1" run --config golden.ini --now 2025-05-02T02:15:00Z -v
expect_err "36 series analysed on 3 ranks (rank 0: 12, the last: 12); peak RSS per rank (MB):"
if [ "$(grep -c 'reports written' "$T/err")" = 1 ]; then ok; else bad "want one 'reports written' line: $(cat "$T/err")"; fi

# more ranks than series: a rank with none sends none
mkdir -p "$T/few" && cd "$T/few" || exit 1
awk 'BEGIN { print "timestamp,series,value"
    for (i = 0; i < 24 * 30; i++) { printf "%d,a,%d\n", 1735689600 + 3600 * i, 10 + i % 24
                                    printf "%d,b,%d\n", 1735689600 + 3600 * i, 50 + (i % 7) } }' >x.csv
printf '[store]\npath = s.h5\n[ingest]\nexports = x.csv\n[output]\ndir = rep\n' >few.ini
expect_rc 0 "$HEADROOM" run --config few.ini --now 2025-02-01T00:00:00Z --out one
expect_rc 0 "$T/r3t1" run --config few.ini --now 2025-02-01T00:00:00Z --out three
if diff -r one/latest three/latest >"$T/diff" 2>&1; then ok; else bad "2 series on 3 ranks differ: $(head -c 400 "$T/diff")"; fi
cd "$T/r3t1.g" || exit 1

# failures: the single-process exit code, said once
sed -e 's#^path = store.h5#path = nowhere/none.h5#' -e '/^exports/d' golden.ini >none.ini
expect_rc 66 "$HEADROOM" run --config none.ini
expect_rc 66 "$T/r3t1" run --config none.ini
if [ "$(grep -c 'error' "$T/err")" = 1 ]; then ok; else bad "want the error once: $(cat "$T/err")"; fi
exec 9>store.h5.lock
if flock -n 9; then
    expect_rc 75 "$T/r3t1" run --config golden.ini
    expect_err "another headroom run holds the lock"
    flock -u 9
else bad "cannot take the store lock for the test"; fi
exec 9>&-

# another command: rank 0 alone (one line of output, not three)
expect_rc 0 "$T/r3t1" info store.h5
if [ "$(grep -c '^total:' "$T/out")" = 1 ]; then ok; else bad "info printed $(grep -c '^total:' "$T/out") totals"; fi
summary mpi
