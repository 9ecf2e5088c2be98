#!/bin/sh
# The README's main command: ingests the bundled sample exports into a store
# under out/ and prints the store summary. (The nightly `run` job replaces
# this once it exists.)
set -eu
cd "$(dirname "$0")/.."
mkdir -p out
./headroom ingest --store out/sample.h5 datasets/sample/cpu_long.csv \
    datasets/sample/mem_grafana.csv datasets/sample/requests_prometheus.json
./headroom info out/sample.h5
echo "store: out/sample.h5 (headroom dump out/sample.h5 writes it as CSV)"
