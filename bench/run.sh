#!/bin/sh
# bench/run.sh -- headroom's benchmarks, run by `make bench` from the repo
# root after it has built every bench/*.c into BUILD/bench/<name>.
# Usage: sh bench/run.sh BUILD HEADROOM
#
# The script is a sequence of sections; each is a shell function
# section_<name> that prints its own "== title ==" block. To add a bench,
# write a section_<name> function below and append <name> to SECTIONS.
#
# Environment:
#   BENCH_SECTIONS  sections to run, space-separated (default: all, in order)
#   BENCH_MB        size of the generated export in MB of 10^6 bytes (300)
#   BENCH_RUNS      runs per tool; the fastest is reported (2)
#   BENCH_MEM_MB    size of the files of section ingest_mem, MB (40)
#   BENCH_MEM_FORMATS  its inputs (default: csv prometheus datadog cloudwatch graphite)
#   BENCH_SERVICES  services of the fleet of sections run, e2e, ingest_formats, mpi (1667: 10,002 series)
#
# Generated data and stores live in bench/out/ (gitignored). The export is
# reused while its size target and bench/gen_export.c are unchanged.
# shellcheck disable=SC2317 # sections are called indirectly, as section_$name
set -eu

SECTIONS="ingest ingest_formats ingest_mem run e2e mpi growth tcpd forecast nab problems"

[ $# -eq 2 ] || { echo "usage: sh bench/run.sh BUILD HEADROOM" >&2; exit 64; }
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=$1
HEADROOM="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
export LC_ALL=C TZ=UTC
PY=/usr/bin/python3            # Debian python3 with python3-pandas, not pyenv's
OUT=bench/out
SHARED=${SHARED:-$(cd "$top/.." && pwd)/shared}  # ../shared beside the repository
BENCH_MB=${BENCH_MB:-300}
BENCH_RUNS=${BENCH_RUNS:-2}
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- helpers ----------------------------------------------------------------

if [ -x /usr/bin/time ] && /usr/bin/time -f '%e' -o /dev/null true 2>/dev/null; then
    MEASURED_BY="GNU time"
else
    MEASURED_BY="python getrusage(RUSAGE_CHILDREN)"
fi

# measure RESULT CMD...: runs CMD (stdout to $tmp/cmd.out, stderr to
# $tmp/cmd.err) and writes "wall_s peak_rss_kb cpu_s" to RESULT.
# Returns CMD's exit status.
measure() {
    m_res=$1
    shift
    if [ "$MEASURED_BY" = "GNU time" ]; then
        /usr/bin/time -f '%e %M %U %S' -o "$m_res.raw" "$@" >"$tmp/cmd.out" 2>"$tmp/cmd.err" || return $?
        awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$m_res.raw" >"$m_res"
    else
        "$PY" -c '
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
w = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.3f %d %.2f\n" % (w, u.ru_maxrss, u.ru_utime + u.ru_stime))
sys.exit(rc)' "$m_res" "$@" >"$tmp/cmd.out" 2>"$tmp/cmd.err" || return $?
    fi
}

# best_of RESULT PREP CMD...: runs PREP (a shell command, untimed) then CMD,
# BENCH_RUNS times. RESULT gets "best_wall_s max_peak_rss_kb cpu_s_of_best";
# the last run's stdout/stderr stay in $tmp/cmd.out and $tmp/cmd.err.
best_of() {
    b_res=$1 b_prep=$2
    shift 2
    : >"$b_res.all"
    i=0
    while [ "$i" -lt "$BENCH_RUNS" ]; do
        eval "$b_prep"
        if ! measure "$b_res.one" "$@"; then
            echo "bench: error: '$*' failed:" >&2
            sed 's/^/  /' "$tmp/cmd.err" >&2
            return 1
        fi
        cat "$b_res.one" >>"$b_res.all"
        i=$((i + 1))
    done
    awk 'NR == 1 || $1 < w { w = $1; c = $3 } $2 > m { m = $2 } END { print w, m, c }' "$b_res.all" >"$b_res"
}

# kv KEY FILE: the value of KEY=value in a one-line key=value file
kv() { tr ' ' '\n' <"$2" | sed -n "s/^$1=//p"; }

# export_file MB: prints the path of a generated long-CSV export of at least
# MB megabytes, generating it only when missing, truncated, or older than
# bench/gen_export.c (not the binary: it is relinked whenever engine/ changes).
export_file() {
    gen="$build/bench/gen_export"
    f="$OUT/export_${1}MB.csv"
    if [ -f "$f" ] && [ -f "$f.meta" ] && [ -z "$(find bench/gen_export.c -newer "$f")" ] &&
        [ "$(wc -c <"$f" | tr -d ' ')" = "$(kv bytes "$f.meta")" ]; then
        echo "bench: reusing $f" >&2
    else
        echo "bench: generating $f ($1 MB)" >&2
        rm -f "$f" "$f.meta"
        "$gen" "$f" "$1" >"$f.meta.tmp" || { echo "bench: error: $gen failed" >&2; return 1; }
        mv "$f.meta.tmp" "$f.meta"
    fi
    echo "$f"
}

# ---- section: ingest throughput ---------------------------------------------

section_ingest() {
    echo "== ingest throughput =="
    csv=$(export_file "$BENCH_MB") || return 1
    meta="$csv.meta"
    bytes=$(kv bytes "$meta")
    rows=$(kv rows "$meta")
    store="$OUT/ingest.h5"
    echo "input:   $csv: long CSV, $(kv series "$meta") series, $rows rows, $(kv steps "$meta") steps of" \
        "$(kv step_s "$meta") s from $(kv first "$meta") to $(kv last "$meta")"
    cat "$csv" >/dev/null # into the page cache, so every tool reads it warm

    rm_store="rm -f '$store' '$store.lock' '$store.tmp'"
    best_of "$tmp/hr" "$rm_store" "$HEADROOM" ingest -v --store "$store" "$csv" || return 1
    hr_rows=$(sed -n 's/.*: long, \([0-9]*\) rows, \([0-9]*\) rejected.*/\1/p' "$tmp/cmd.err")
    hr_bad=$(sed -n 's/.*: long, \([0-9]*\) rows, \([0-9]*\) rejected.*/\2/p' "$tmp/cmd.err")
    store_bytes=$(wc -c <"$store" | tr -d ' ')
    store_series=$("$HEADROOM" info "$store" | sed -n 's/^total: \([0-9]*\) series.*/\1/p')

    best_of "$tmp/pp" ":" "$PY" bench/pandas_peer.py parse "$csv" || return 1
    cp "$tmp/cmd.out" "$tmp/pp.kv"
    best_of "$tmp/pf" ":" "$PY" bench/pandas_peer.py full "$csv" || return 1
    cp "$tmp/cmd.out" "$tmp/pf.kv"

    for x in "headroom:$hr_rows" "pandas parse:$(kv rows "$tmp/pp.kv")" "pandas full:$(kv rows "$tmp/pf.kv")"; do
        [ "${x#*:}" = "$rows" ] ||
            echo "bench: warning: ${x%%:*} read ${x#*:} rows, the generator wrote $rows" >&2
    done
    [ "${hr_bad:-0}" = 0 ] || echo "bench: warning: headroom rejected $hr_bad rows" >&2

    echo "method:  best of $BENCH_RUNS runs per tool (the machine is noisy); wall clock of the whole"
    echo "         process incl. startup (python+pandas import ~$(kv import_s "$tmp/pp.kv") s); input warm in the"
    echo "         page cache; peak RSS = the highest over the runs ($MEASURED_BY); MB = 10^6 bytes"
    awk -v bytes="$bytes" -v rows="$rows" \
        -v hr="$(cat "$tmp/hr")" -v pp="$(cat "$tmp/pp")" -v pf="$(cat "$tmp/pf")" '
        function line(name, r,   f, s, mbs) {
            split(r, f, " ")
            s = f[1] > 0 ? f[1] : 0.005
            printf "%-44s %8.2f %8.1f %10.0f %9.1f %7.2f\n", name, f[1], bytes / 1e6 / s,
                rows / s, f[2] / 1024, f[3]
            return s
        }
        BEGIN {
            printf "file:    %.1f MB (%d bytes), %d rows\n\n", bytes / 1e6, bytes, rows
            printf "%-44s %8s %8s %10s %9s %7s\n", "tool", "seconds", "MB/s", "rows/s", "peakRSS", "CPU s"
            h = line("headroom ingest (fresh store, HDF5 written)", hr)
            p = line("pandas read_csv (parse only)", pp)
            q = line("pandas read_csv+to_datetime+groupby(series)", pf)
            printf "\nheadroom/pandas throughput: %.2fx vs read_csv only, %.2fx vs read_csv+to_datetime+groupby\n",
                p / h, q / h
            print "(>1 means headroom is faster; pandas writes nothing, headroom also grids the series and writes the store)"
        }'
    printf 'pandas %s in-process phases (best run): read_csv %s s, to_datetime %s s (%s), groupby %s s\n' \
        "$(kv pandas "$tmp/pf.kv")" "$(kv read_s "$tmp/pf.kv")" "$(kv todatetime_s "$tmp/pf.kv")" \
        "$(kv ts_format "$tmp/pf.kv")" "$(kv groupby_s "$tmp/pf.kv")"
    awk -v b="$store_bytes" -v c="$bytes" -v s="$store" -v n="$store_series" 'BEGIN {
        printf "store:   %s: %.1f MB (%d bytes), %d series, %.1fx smaller than the CSV\n", s, b / 1e6, b, n, c / b }'
}

# ---- section: ingest throughput per format on the review's exports -----------

# Each export of the review's fleet (section e2e's) on its own: `headroom
# ingest` into a fresh store on both cores, best of BENCH_RUNS; MB/s of
# input (10^6 bytes) including the grids and the HDF5 write.
section_ingest_formats() {
    echo "== ingest throughput per format: the exports of the ${BENCH_SERVICES:-1667}-service fleet, 2 threads =="
    fl=$(fleet_exports) || return 1
    store="$OUT/ingest_fmt.h5"
    printf '%-34s %10s %9s %8s %8s %9s\n' "file" "MB" "seconds" "MB/s" "CPU s" "peakRSS"
    for f in "$fl"/exports/*; do
        cat "$f" >/dev/null # warm in the page cache
        best_of "$tmp/fmt" "rm -f '$store' '$store.lock'" env OMP_NUM_THREADS=2 "$HEADROOM" ingest --store "$store" "$f" || return 1
        awk -v b="$(wc -c <"$f" | tr -d ' ')" -v n="$(basename "$f")" '{
            printf "%-34s %10.1f %9.2f %8.1f %8.2f %8.0fM\n", n, b / 1e6, $1, b / 1e6 / $1, $3, $2 / 1024 }' "$tmp/fmt"
    done
    rm -f "$store" "$store.lock"
    echo "(goals of the scale issue: long CSV 300 MB/s, Prometheus JSON 100 MB/s on 2 cores)"
}

# ---- section: ingest memory per MB of input -----------------------------------

# Peak RSS of `headroom ingest` (one child process, fresh store) per MB of
# input, for a long CSV (gen_export) and for each JSON layout (gen_json) of
# about BENCH_MEM_MB MB. A streaming reader keeps the points, not the text:
# its peak grows with the points kept (16 bytes per sample while reading,
# then the grids), so the MB-per-MB figure falls as the text per point
# grows. The files are made afresh in bench/out/ (a few seconds).
section_ingest_mem() {
    echo "== ingest memory: peak RSS per MB of input =="
    mb=${BENCH_MEM_MB:-40}
    csv=$(export_file "$mb") || return 1
    echo "method:  one \`headroom ingest\` per file into a fresh store, peak RSS of the child"
    echo "         ($MEASURED_BY), the highest of $BENCH_RUNS runs; MB = 10^6 bytes; points = samples read"
    printf '%-12s %9s %10s %8s %11s %12s %12s\n' "format" "input MB" "points" "seconds" "peakRSS MB" "RSS MB/MB in" "RSS B/point"
    for fmt in ${BENCH_MEM_FORMATS:-csv prometheus datadog cloudwatch graphite}; do
        if [ "$fmt" = csv ]; then
            f=$csv
            pts=$(kv rows "$csv.meta")
        else
            f="$OUT/mem_$fmt.json"
            "$build/bench/gen_json" "$fmt" "$f" "$mb" >"$tmp/gen.kv" || { echo "bench: error: gen_json $fmt failed" >&2; return 1; }
            pts=$(kv points "$tmp/gen.kv")
        fi
        store="$OUT/mem_$fmt.h5"
        best_of "$tmp/mem" "rm -f '$store' '$store.lock' '$store.tmp'" "$HEADROOM" ingest --store "$store" "$f" || return 1
        awk -v b="$(wc -c <"$f")" -v p="$pts" -v r="$(cat "$tmp/mem")" -v n="$fmt" 'BEGIN {
            split(r, x, " "); printf "%-12s %9.1f %10d %8.2f %11.1f %12.2f %12.1f\n", n, b / 1e6, p, x[1],
                x[2] / 1024, x[2] * 1024 / b, x[2] * 1024 / p }'
        rm -f "$store"
    done
    rm -f "$OUT"/mem_*.json
}

# ---- section: the nightly run on a large fleet ------------------------------

# BENCH_SERVICES services x 6 resources (default 1667: 10,002 series) x a
# year of hourly points, written straight into a store by the demo
# generator, then `headroom run` with no exports: load, analyse every
# series, write the reports. Reused while the generator is unchanged.
section_run() {
    echo "== nightly run: 10,000 series x 8,760 hours =="
    svc=${BENCH_SERVICES:-1667}
    gen="$build/datasets/gen_fleet"
    store="$OUT/fleet_$svc.h5"
    if [ ! -s "$store" ] || [ "$gen" -nt "$store" ]; then
        rm -f "$store" "$store.lock" "$store.truth.json"
        "$gen" --store "$store" --services "$svc" || { echo "bench: error: $gen failed" >&2; return 1; }
    fi
    npts=$("$HEADROOM" info "$store" | sed -n 's/^total: \([0-9]*\) series, \([0-9]*\) points.*/\1 \2/p')
    nser=${npts% *}
    points=${npts#* }
    printf '[store]\npath = %s\n[output]\ndir = %s\n' "$store" "$OUT/run_out" >"$tmp/run.ini"
    for th in 1 2; do
        best_of "$tmp/run$th" "rm -rf '$OUT/run_out'" env OMP_NUM_THREADS=$th "$HEADROOM" run --config "$tmp/run.ini" || return 1
    done
    echo "input:   $store: $nser series, $points points (hourly, one year each)"
    echo "method:  best of $BENCH_RUNS runs; whole process: load the HDF5 store, analyse every series"
    echo "         (baseline models), write the five reports; peak RSS ($MEASURED_BY)"
    awk -v p="$points" -v a="$(cat "$tmp/run1")" -v b="$(cat "$tmp/run2")" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        printf "%-22s %9s %14s %16s %10s\n", "threads", "seconds", "ns/point", "ns/point/core", "peakRSS MB"
        printf "%-22s %9.2f %14.1f %16.1f %10.0f\n", "OMP_NUM_THREADS=1", x[1], x[1] * 1e9 / p, x[1] * 1e9 / p, x[2] / 1024
        printf "%-22s %9.2f %14.1f %16.1f %10.0f\n", "OMP_NUM_THREADS=2", y[1], y[1] * 1e9 / p, 2 * y[1] * 1e9 / p, y[2] / 1024
        printf "speed-up on 2 threads: %.2fx\n", x[1] / y[1] }'
    # a second night: the folder of the last run is there to compare with
    # (changes.json), as it is every night after the first; -v times stages
    measure "$tmp/run2b" env OMP_NUM_THREADS=2 "$HEADROOM" run -v --config "$tmp/run.ini" || return 1
    awk -v p="$points" '{ printf "second night (compared with the first), 2 threads: %.2f s wall, %.1f CPU ns/point, %.0f MB\n", $1, $3 * 1e9 / p, $2 / 1024 }' "$tmp/run2b"
    sed -n 's/^headroom: info: \(.*: [0-9.]* s wall, [0-9.]* s CPU\)$/  \1/p' "$tmp/cmd.err"
    rm -rf "$OUT/run_out"
}

# ---- section: the whole night from the exports ------------------------------

# The review's measure: gen_fleet --out with 1667 services (10,002 series x
# 8,760 hours as a long CSV of 2.44 GB, a Grafana wide CSV of 83 MB and a
# Prometheus JSON of 721 MB, with inventory, events and incident log), then
# `headroom run` from an empty store: ingest, analysis, problem management,
# reports. Best of BENCH_RUNS at 1 and 2 threads. Needs about 3.3 GB of
# disk in bench/out; reused while the generator is unchanged.
# fleet_exports: prints the folder of the review's fleet as exports
# (gen_fleet --out, BENCH_SERVICES services), generating it when missing or
# older than the generator.
fleet_exports() {
    svc=${BENCH_SERVICES:-1667}
    gen="$build/datasets/gen_fleet"
    fl="$OUT/fleet_exports_$svc"
    if [ ! -s "$fl/truth.json" ] || [ "$gen" -nt "$fl/truth.json" ]; then
        rm -rf "$fl"
        "$gen" --out "$fl" --services "$svc" >/dev/null || { echo "bench: error: $gen failed" >&2; return 1; }
    fi
    echo "$fl"
}

section_e2e() {
    echo "== the whole night: ${BENCH_SERVICES:-1667} services x 6 series from their exports, run end to end =="
    svc=${BENCH_SERVICES:-1667}
    fl=$(fleet_exports) || return 1
    bytes=$(cat "$fl"/exports/* | wc -c)
    printf '[store]\npath = %s\n[ingest]\nexports = %s/exports/*.csv %s/exports/*.json\n[inventory]\npath = %s/inventory.csv\n[events]\npath = %s/events.csv\n[incidents]\npath = %s/incidents.csv\n[output]\ndir = %s\n' \
        "$OUT/e2e.h5" "$fl" "$fl" "$fl" "$fl" "$fl" "$OUT/e2e_out" >"$tmp/e2e.ini"
    for th in 1 2; do
        best_of "$tmp/e2e$th" "rm -rf '$OUT/e2e_out' '$OUT/e2e.h5'" env OMP_NUM_THREADS=$th "$HEADROOM" run -v --config "$tmp/e2e.ini" || return 1
    done
    cp "$tmp/cmd.err" "$tmp/e2e.err" # the last 2-thread run's stage times
    points=$("$HEADROOM" info "$OUT/e2e.h5" | sed -n 's/^total: [0-9]* series, \([0-9]*\) points.*/\1/p')
    echo "input:   $fl/exports: $bytes bytes, $points points in the store"
    echo "method:  best of $BENCH_RUNS runs from an empty store; peak RSS ($MEASURED_BY)"
    awk -v p="$points" -v a="$(cat "$tmp/e2e1")" -v b="$(cat "$tmp/e2e2")" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        printf "%-22s %9s %12s %14s %10s\n", "threads", "wall s", "CPU s", "CPU ns/point", "peakRSS MB"
        printf "%-22s %9.2f %12.2f %14.1f %10.0f\n", "OMP_NUM_THREADS=1", x[1], x[3], x[3] * 1e9 / p, x[2] / 1024
        printf "%-22s %9.2f %12.2f %14.1f %10.0f\n", "OMP_NUM_THREADS=2", y[1], y[3], y[3] * 1e9 / p, y[2] / 1024
        printf "speed-up on 2 threads: %.2fx (goal: 30 s wall, 2 GB, 500 ns CPU per point, 1.7x)\n", x[1] / y[1] }'
    echo "stages of the last 2-thread run (run -v):"
    sed -n 's/^headroom: info: \(.*: [0-9.]* s wall, [0-9.]* s CPU\)$/  \1/p' "$tmp/e2e.err"
    rm -rf "$OUT/e2e_out"
}

# ---- section: past one machine (MPI ranks) ----------------------------------

# The store of section run analysed by ./headroom-mpi on 1, 2 and 3 ranks
# of this machine (2 cores: 1 rank x 2 threads, 2 x 1, 3 x 1
# oversubscribed), with each rank's peak RSS as rank 0 reports it (-v).
section_mpi() {
    echo "== past one machine: the store of section run on 1, 2 and 3 MPI ranks =="
    mpib="$(dirname "$HEADROOM")/headroom-mpi"
    if ! command -v mpirun >/dev/null 2>&1 || [ ! -x "$mpib" ]; then
        echo "bench: error: mpirun or $mpib missing (make deps; make mpi)" >&2
        return 1
    fi
    svc=${BENCH_SERVICES:-1667}
    store="$OUT/fleet_$svc.h5"
    [ -s "$store" ] || "$build/datasets/gen_fleet" --store "$store" --services "$svc" >/dev/null || return 1
    points=$("$HEADROOM" info "$store" | sed -n 's/^total: [0-9]* series, \([0-9]*\) points.*/\1/p')
    printf '[store]\npath = %s\n[output]\ndir = %s\n' "$store" "$OUT/mpi_out" >"$tmp/mpi.ini"
    printf "%-8s %-8s %9s %12s %14s  %s\n" ranks threads "wall s" "CPU s" "CPU ns/point" "peak RSS per rank MB"
    for rt in "1 2" "2 1" "3 1"; do
        set -- $rt
        best_of "$tmp/mpi$1" "rm -rf '$OUT/mpi_out'" mpirun --oversubscribe --allow-run-as-root -n "$1" \
            --mca btl self,vader -x OMP_NUM_THREADS="$2" "$mpib" run --config "$tmp/mpi.ini" -v || return 1
        rss=$(sed -n 's/.*peak RSS per rank (MB)://p' "$tmp/cmd.err")
        [ -n "$rss" ] || rss=" $(awk '{ printf "%.0f", $2 / 1024 }' "$tmp/mpi$1") (the largest process)"
        awk -v p="$points" -v r="$1" -v t="$2" -v rss="$rss" '{ printf "%-8s %-8s %9.2f %12.2f %14.1f %s\n", r, t, $1, $3, $3 * 1e9 / p, rss }' "$tmp/mpi$1"
    done
    rm -rf "$OUT/mpi_out"
}

# ---- section: growth split (decomposition + change points) -------------------

section_growth() {
    echo "== growth split: organic growth and inorganic steps =="
    svc=${BENCH_SERVICES:-1667}
    store="$OUT/fleet_$svc.h5"
    [ -s "$store" ] || "$build/datasets/gen_fleet" --store "$store" --services "$svc" || return 1
    echo "speed (periods + decomposition + change points + organic fit, first 1,000 series of $store):"
    "$build/bench/growth" speed "$store" 1000 || return 1
    echo "accuracy on the demo fleet (datasets/demo/generated, vs truth.json; 96 resources; horizon 730 d as the truth's):"
    G=datasets/demo/generated
    "$HEADROOM" capacity --resources $G/inventory.csv --events $G/events.csv --horizon 730 --out "$tmp/cap" \
        $G/exports/* || return 1
    "$build/bench/growth" accuracy $G/truth.json "$tmp/cap/capacity.json"
    for seed in 2 3; do
        echo "the same on gen_fleet --seed $seed:"
        rm -rf "$tmp/gf$seed"
        "$build/datasets/gen_fleet" --out "$tmp/gf$seed" --seed $seed >/dev/null || return 1
        "$HEADROOM" capacity --resources "$tmp/gf$seed/inventory.csv" --events "$tmp/gf$seed/events.csv" \
            --horizon 730 --out "$tmp/gf$seed/cap" "$tmp/gf$seed"/exports/* || return 1
        "$build/bench/growth" accuracy "$tmp/gf$seed/truth.json" "$tmp/gf$seed/cap/capacity.json"
    done
    echo "a yearly season: gen_fleet --seed 5 --days 1000 --yearly 0.3 (a December peak of +35%, an August lull):"
    rm -rf "$tmp/gfy"
    "$build/datasets/gen_fleet" --out "$tmp/gfy" --seed 5 --days 1000 --yearly 0.3 >/dev/null || return 1
    "$HEADROOM" capacity --resources "$tmp/gfy/inventory.csv" --events "$tmp/gfy/events.csv" \
        --horizon 730 --out "$tmp/gfy/cap" "$tmp/gfy"/exports/* || return 1
    "$build/bench/growth" accuracy "$tmp/gfy/truth.json" "$tmp/gfy/cap/capacity.json"
    rm -rf "$tmp/gfy"
}

# ---- section: change points on the TCPD development series -----------------

section_tcpd() {
    echo "== change points: TCPD development series and synthetic series (F1 margin 5, Cover; defaults) =="
    "$build/bench/tcpd" --selftest | tail -n 1
    # tcpd-dev, then series with known breaks of every kind TCPD has
    # (bench/cpsynth.c; seed 17; other seeds: build/bench/cpsynth --seed N)
    rm -rf "$OUT/cpsynth"
    "$build/bench/cpsynth" --seed 17 "$OUT/cpsynth" || return 1
    "$build/bench/tcpd" "$SHARED/datasets/tcpd-dev" "$OUT/cpsynth"
    echo "the same through the command (headroom changepoints on each csv/<name>.csv):"
    for f in $SHARED/datasets/tcpd-dev/csv/*.csv; do
        "$HEADROOM" changepoints "$f" | awk -F, -v f="$(basename "$f" .csv)" 'NR > 1 { s = s " " $2 } END { printf "  %-20s rows:%s\n", f, s }'
    done
}

# ---- section: incident grouping cost --------------------------------------

section_problems() {
    echo "== problem management: grouping anomaly spans into incidents =="
    "$build/bench/problems"
}

# ---- section: NAB development files ------------------------------------------

section_nab() {
    echo "== anomaly detection: NAB development files (standard profile) =="
    "$build/bench/nab" --selftest | tail -n 1
    # nab-dev at its best threshold, the leave-one-category-out estimate,
    # and synthetic cloud metrics (bench/cloudsynth) at the dev threshold
    rm -rf "$OUT/cloudsynth"
    "$build/bench/cloudsynth" "$OUT/cloudsynth" >/dev/null || return 1
    "$build/bench/nab" "$SHARED/datasets/nab-dev" "$OUT/cloudsynth"
    svc=${BENCH_SERVICES:-1667}
    store="$OUT/fleet_$svc.h5"
    [ -s "$store" ] || "$build/datasets/gen_fleet" --store "$store" --services "$svc" || return 1
    echo "detection cost on the 10,000-series fleet ($store, hourly, a year each):"
    "$build/bench/growth" detect-speed "$store"
}

# ---- section: short-horizon forecasts ------------------------------------------

section_forecast() {
    echo "== forecasts: M4-style sMAPE / MASE / OWA and interval coverage, horizon 48 =="
    "$build/bench/forecast" "$SHARED/datasets/nab-dev/data"
}

# ---- main -------------------------------------------------------------------

status=0
for s in ${BENCH_SECTIONS:-$SECTIONS}; do
    if ! command -v "section_$s" >/dev/null 2>&1; then
        echo "bench: error: no section '$s' (have: $SECTIONS)" >&2
        status=1
        continue
    fi
    "section_$s" || { echo "bench: error: section $s failed" >&2; status=1; }
    echo
done
exit $status
