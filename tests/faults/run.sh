#!/bin/sh
# Fault injection (issue 16): makes the n-th write, fsync, rename, create
# (open with O_CREAT, mkdir, symlink) or malloc fail, for every n (full)
# or a sample (short), over an `ingest` and a `run` of a small fleet,
# through the LD_PRELOAD shim tests/faults/shim.c. Each injection point
# starts from a copy of the old state (a store and a report folder from
# a first run, and new exports) and passes when:
#   - the exit code is documented (0, 65, 66, 70, 73, 74, 75, 78; never a
#     signal) and a failure says `headroom: error:`; no sanitizer report;
#   - the store dumps as exactly the old or exactly the new data, and
#     `latest` holds exactly the old or the new report folder (file list
#     and checksums); with exit 0, both are the new state;
#   - no complete report folder is left beside `latest` that it does not
#     point to;
#   - a clean rerun of the same command then exits 0 and leaves exactly
#     the new state: the same store, the same folders, and nothing
#     half-made (STORE.h5.tmp, OUT/.<stamp>.partial, OUT/.latest.tmp).
# Prints per command and kind the injection points tried, the exit codes
# seen and the failures, then "faults: N passed, N failed" (one point,
# one test). A crash or exit(-1) inside libhdf5 or libyajl after a failed
# malloc (they do not check all their allocations), libgomp's exit(1)
# when it cannot allocate a thread team (gomp_fatal: "libgomp: Out of
# memory"), and glibc's abort on a heap libhdf5 left damaged after its
# own failed malloc are listed as KNOWN and pass when the state checks
# pass. Under AddressSanitizer (libasan linked) libasan is preloaded
# first, so its malloc shadows the shim's and the malloc kind is skipped.
# Usage: tests/faults/run.sh BUILD HEADROOM [short|full] [POINT...]
#   POINT is CMD:KIND:N[@OBJECT], e.g. run:rename:2 (CMD ingest or run;
#   N < 0 counts from the last call, -1 the last; @OBJECT: see shim.c).
set -u
build=$1 hr=$2
shift 2
mode=${1:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $hr in /*) ;; *) hr=$top/$hr ;; esac
case $build in /*) ;; *) build=$top/$build ;; esac
so=$build/faults/libhrfault.so
W=$(mktemp -d)
# FAULTS_KEEP=1 keeps the work folder (old/ is the state each point starts from)
if [ "${FAULTS_KEEP:-}" = 1 ]; then echo "faults: work folder $W" >&2; else trap 'rm -rf "$W"' EXIT; fi
export TZ=UTC LC_ALL=C OMP_NUM_THREADS=1
unset HR_FAULT HR_FAULT_COUNT HR_FAULT_TRACE
T1=2025-02-20T03:00:00Z T2=2025-03-02T03:00:00Z
kinds="write fsync rename create malloc"
preload=$so
asan=$(ldd "$hr" 2>/dev/null | awk '/libasan/ { print $3; exit }')
if [ -n "$asan" ]; then
    preload="$asan $so"
    kinds="write fsync rename create"
    # leaks on a failed run's way out are not what is tested here
    export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
fi
[ -f "$so" ] || { echo "faults: $so not built" >&2; echo "faults: 0 passed, 1 failed"; exit 1; }

# ---- the old state: a small fleet (1 service, 6 series, 60 days hourly);
# days 1-50 ingested and reported at T1; the new exports (days 51-60 and
# the request counters) wait in in/
mkdir -p "$W/gen" "$W/old/in"
"$build/datasets/gen_fleet" --out "$W/gen" --seed 7 --services 1 --days 60 >/dev/null ||
    { echo "faults: gen_fleet failed"; exit 1; }
cd "$W/old" || exit 1
cp "$W/gen/inventory.csv" "$W/gen/events.csv" .
x=$W/gen/exports
awk -F, 'NR == 1 || $1 < "2025-02-20"' "$x/cpu_mem_disk.csv" >in/cpu_mem_disk.csv
awk -F, 'NR == 1 || $1 + 0 < 1739923200000' "$x/latency_grafana.csv" >in/latency_grafana.csv
cat >cfg.ini <<EOF
[store]
path = store.h5
[ingest]
exports = in/*
[inventory]
path = inventory.csv
[events]
path = events.csv
[output]
dir = rep
EOF
"$hr" run --config cfg.ini --now $T1 2>/dev/null || { echo "faults: the first run failed"; exit 1; }
rm in/*
awk -F, 'NR == 1 || $1 >= "2025-02-20"' "$x/cpu_mem_disk.csv" >in/cpu_mem_disk.csv
awk -F, 'NR == 1 || $1 + 0 >= 1739923200000' "$x/latency_grafana.csv" >in/latency_grafana.csv
cp "$x/requests_prometheus.json" in/

# cmd CMD: the command under test, in the current folder
cmd() {
    case $1 in
    ingest) "$hr" ingest --store store.h5 in/cpu_mem_disk.csv in/latency_grafana.csv in/requests_prometheus.json ;;
    run) "$hr" run --config cfg.ini --now $T2 ;;
    esac
}
# store_sig, latest_sig, listing: what a state is, in the current folder
store_sig() { "$hr" dump store.h5 2>/dev/null | cksum || echo unreadable; }
latest_sig() {
    [ -d rep/latest ] || { echo none; return; }
    (cd rep/latest && find . | LC_ALL=C sort && find . -type f | LC_ALL=C sort | xargs cksum)
}
listing() { (find . -path ./in -prune -o -print | LC_ALL=C sort; readlink rep/latest) | grep -v '^\./store\.h5\.lock$'; }
complete_folders() { for d in rep/*/; do [ -f "$d/capacity.json" ] && [ ! -L "${d%/}" ] && echo "${d%/}"; done; }

sig_old_store=$(store_sig) sig_old_latest=$(latest_sig)
listing >"$W/old.list"
for c in ingest run; do
    rm -rf "$W/new-$c"
    cp -a "$W/old" "$W/new-$c"
    (cd "$W/new-$c" && cmd $c >/dev/null 2>&1) || { echo "faults: clean $c failed"; exit 1; }
    (cd "$W/new-$c" && store_sig) >"$W/new-$c.store"
    (cd "$W/new-$c" && latest_sig) >"$W/new-$c.latest"
    (cd "$W/new-$c" && listing) >"$W/new-$c.list"
    # the injection points: how many calls of each kind the command makes
    rm -rf "$W/cnt-$c"
    cp -a "$W/old" "$W/cnt-$c"
    (cd "$W/cnt-$c" && LD_PRELOAD="$preload" HR_FAULT_COUNT="$W/$c.count" cmd $c >/dev/null 2>&1)
done
[ "$(cat "$W/new-run.store")" != "$sig_old_store" ] || { echo "faults: old and new stores are the same"; exit 1; }

pass=0 fail=0 nknown=0
# try CMD KIND N: one injection point; sets $rc, $verdict (empty: passed)
try() {
    c=$1 k=$2 n=$3 verdict= known=
    rm -rf "$W/t"
    cp -a "$W/old" "$W/t"
    cd "$W/t" || exit 1
    rm -f "$W/fired"
    LD_PRELOAD="$preload" HR_FAULT="$k:$n" HR_FAULT_COUNT="$W/fired" HR_FAULT_TRACE=1 cmd $c >"$W/out" 2>"$W/err"
    rc=$?
    fired=$(awk '$1 == "fired" { print $2 }' "$W/fired" 2>/dev/null)
    # a crash or an exit() with an undocumented code: the first frame
    # past the shim and libc
    crash_in=
    case $rc in 0|65|66|70|73|74|75|78) ;; *) crash_in=$(awk '/^hrfault: (crashed|exit called) here:/ { on = 1; next }
        on && !/libhrfault|libc\.so|linux-vdso|^\[0x/ { print; exit }' "$W/err") ;; esac
    # glibc's heap check aborting in a later free, after the failed
    # malloc was one of libhdf5's: the heap libhdf5 left (its error path
    # frees what it did not allocate), not the free that noticed
    inj_in=$(awk '/^hrfault: injecting here:/ { on = 1; next }
        on && !/libhrfault|libc\.so|linux-vdso|^\[0x/ { print; exit }' "$W/err")
    # glibc's glob freeing its own results twice after its allocation
    # failed (globfree inside glob64 aborts): before headroom sees them
    if [ "$rc" = 134 ] && awk '/^hrfault: crashed here:/ { on = 1; next } on && /headroom|libhrfault/ && !/libhrfault/ { exit } on && /globfree/ { f = 1 } on && /glob64/ && f { g = 1 } END { exit !g }' "$W/err"; then
        crash_in="glibc glob64 (its own double free after a failed allocation)"
    fi
    case $rc:$inj_in in
    134:*libhdf5*)
        ! grep -qE '^(corrupted |double free|free\(\): |malloc\(\): )' "$W/err" || crash_in="$inj_in (heap left damaged)" ;;
    esac
    case $rc:$crash_in in
    0:*|65:*|66:*|70:*|73:*|74:*|75:*|78:*) ;;
    *:*libhdf5*|*:*libyajl*|*:*libgomp*|*:*glob64*) known="exit $rc in ${crash_in%%(*}: $crash_in" ;;
    *) verdict="$verdict exit $rc${crash_in:+ in $crash_in};" ;;
    esac
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error|hrfault: HR_FAULT' "$W/err"; then
        verdict="$verdict sanitizer output;"
    fi
    [ $rc = 0 ] || [ -n "$known" ] || grep -q '^headroom: error: ' "$W/err" ||
        verdict="$verdict exit $rc without an error message;"
    s=$(store_sig)
    if [ "$s" = "$sig_old_store" ]; then st=old
    elif [ "$s" = "$(cat "$W/new-$c.store")" ]; then st=new
    else st=mixed; verdict="$verdict store neither old nor new;"; fi
    l=$(latest_sig)
    if [ "$l" = "$sig_old_latest" ]; then lt=old
    elif [ "$l" = "$(cat "$W/new-$c.latest")" ]; then lt=new
    else lt=mixed; verdict="$verdict latest neither old nor new;"; fi
    if [ $rc = 0 ] && [ "$st$lt" != newnew ] && [ "$c" = run ]; then verdict="$verdict exit 0 but store $st, latest $lt;"; fi
    if [ $rc = 0 ] && [ "$st" != new ] && [ "$c" = ingest ]; then verdict="$verdict exit 0 but store $st;"; fi
    nf=$(complete_folders | wc -l)
    if [ "$c" = run ] && [ "$lt" = old ] && [ "$nf" != 1 ]; then
        verdict="$verdict a report folder left beside latest: $(complete_folders | tr '\n' ' ');"
    fi
    # a clean rerun finishes the job and leaves nothing half-made (not
    # run when nothing changed: it would be the clean run above)
    if [ $rc != 0 ] && [ "$st$lt" = oldold ] && listing | cmp -s - "$W/old.list"; then
        :
    elif [ $rc != 0 ] && [ "$lt" != new ]; then
        if ! cmd $c >"$W/out2" 2>"$W/err2"; then
            verdict="$verdict clean rerun failed: $(grep error "$W/err2" | head -c 200);"
        elif [ "$(store_sig)" != "$(cat "$W/new-$c.store")" ] || [ "$(latest_sig)" != "$(cat "$W/new-$c.latest")" ]; then
            verdict="$verdict clean rerun did not give the new state;"
        elif ! listing | cmp -s - "$W/new-$c.list"; then
            verdict="$verdict after a clean rerun: $(listing | diff - "$W/new-$c.list" | grep '^[<>]' | head -3 | tr '\n' ' ');"
        fi
    elif [ $rc != 0 ]; then
        # published, then failed: a rerun makes another folder; only
        # check that nothing half-made stays
        cmd $c >/dev/null 2>&1 || verdict="$verdict clean rerun failed;"
        left=$(find . -name '*.tmp' -o -name '.*.partial' | head -3 | tr '\n' ' ')
        [ -z "$left" ] || verdict="$verdict left after a clean rerun: $left;"
    fi
    cd "$W" || exit 1
    if [ -z "$verdict" ]; then
        pass=$((pass + 1))
        if [ -n "$known" ]; then
            nknown=$((nknown + 1))
            echo "KNOWN $c:$k:$n (exit $rc, store $st, latest $lt): $known"
        fi
    else
        fail=$((fail + 1))
        echo "FAIL $c:$k:$n (exit $rc, fired ${fired:-?}, store $st, latest $lt):$verdict $(grep -m1 '^headroom: error' "$W/err" | head -c 200)"
    fi
}

# points CMD KIND COUNT: the n tried (full: all; short: the first, the
# last and two in between)
# FAULTS_MALLOC_STEP=K (full) tries every K-th malloc only: every malloc
# of both commands is about 13,000 points, an hour or more.
points() {
    if [ "$mode" = full ]; then
        step=1
        [ "$2" != malloc ] || step=${FAULTS_MALLOC_STEP:-1}
        awk -v N="$3" -v K="$step" 'BEGIN { for (n = 1; n <= N; n++) if (n == 1 || n == N || n % K == 0) print n }'
        return
    fi
    awk -v N="$3" 'BEGIN { for (n = 1; n <= N; n++) if (n == 1 || n == N || n % int(N / 3 + 1) == 0) print n }'
}

case $mode in
full|short)
    for c in ingest run; do
        for k in $kinds; do
            N=$(awk -v k=$k '$1 == k { print $2 }' "$W/$c.count")
            p0=$pass f0=$fail
            : >"$W/codes"
            for n in $(points $c $k "${N:-0}"); do
                try $c $k $n
                echo "$rc" >>"$W/codes"
            done
            codes=$(sort -n "$W/codes" | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')
            echo "$c $k: $((pass - p0 + fail - f0)) of ${N:-0} injection points tried; exit codes: ${codes:-none}; $((fail - f0)) failed"
        done
    done
    shift ;;
esac
for p in "$@"; do
    IFS=: read -r c k n <<EOF
$p
EOF
    # a negative N counts from the last call of the kind
    case $n in -*) n=$(($(awk -v k=$k '$1 == k { print $2 }' "$W/$c.count") + 1 + n)) ;; esac
    try "$c" "$k" "$n"
    echo "$c:$k:$n: exit $rc, fired ${fired:-?}, store $st, latest $lt${verdict:+, FAILED}"
    [ "${FAULTS_KEEP:-}" != 1 ] || cat "$W/err"
done
echo "faults: $((pass + fail)) injection points tried"
[ $nknown = 0 ] || echo "faults: $nknown of the passed points crashed or exited inside libhdf5, libyajl or libgomp (a failed malloc these libraries do not survive; the state stayed old or new)"
echo "faults: $pass passed, $fail failed"
[ $fail = 0 ]
