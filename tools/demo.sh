#!/bin/sh
# The README's main command after `make deps all`: the nightly job on the
# bundled demo fleet, then where its reports are.
set -eu
cd "$(dirname "$0")/.."
./headroom run --config datasets/demo/demo.ini
echo "reports: out/latest/ ($(readlink out/latest)): capacity.html, capacity.md, capacity.json, problems.html, problems.md, problems.json, summary.csv, changes.json, changes.md, postmortems/"
