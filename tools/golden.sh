#!/bin/sh
# The golden reports: a small generated fleet (6 services x 120 days, seed 7)
# run through `headroom run` with an SLO and the incident log, twice over
# the same data a day apart, so the second run compares itself with the
# first; the nine report files of the second run (changes.json and
# changes.md included) are kept in tests/golden/ and tests/cli/golden.sh
# fails on any byte of difference. After a deliberate change of the reports, run
# `make golden` (this script with "update"), read the diff, and commit it.
# Usage: tools/golden.sh BUILD HEADROOM OUTDIR
set -eu
build=$1 hr=$2 out=$3
top=$(cd "$(dirname "$0")/.." && pwd)
case $hr in /*) ;; *) hr=$top/$hr ;; esac
case $build in /*) ;; *) build=$top/$build ;; esac
mkdir -p "$out"
cd "$out"
rm -rf fleet rep store.h5
"$build/datasets/gen_fleet" --out fleet --seed 7 --services 6 --days 120
cat >golden.ini <<'EOI'
[store]
path = store.h5
[ingest]
exports = fleet/exports/*.csv fleet/exports/*.json
[inventory]
path = fleet/inventory.csv
[events]
path = fleet/events.csv
[incidents]
path = fleet/incidents.csv
[changes]
path = fleet/changes.csv
[analysis]
horizon_days = 365
[slo checkout-availability]
total = http_requests_total{service="checkout"}
bad = http_errors_total{service="checkout"}
objective = 99.5
window_days = 28
service = checkout
[slo checkout-latency]
latency = latency_p99_ms{service="checkout"}
threshold = 280
objective = 99
service = checkout
[output]
dir = rep
EOI
# --now: the reports say how old the data is against the run's clock; pinned
# 3.2 h after the last point so the goldens do not move with the wall clock.
# The first run, a day earlier, is the previous report folder of the second.
"$hr" run --config golden.ini --now 2025-04-30T02:15:00Z 2>/dev/null
"$hr" run --config golden.ini --now 2025-05-01T02:15:00Z 2>/dev/null
