#!/bin/sh
# Regenerates docs/screenshots/capacity.png and docs/screenshots/problems.png:
# the top of each HTML report of the demo run (1280 x 1600 CSS pixels at
# scale 1) as headless Chromium renders it, then prints their paths.
# `make screenshots` runs it after `make deps all`. The run uses a store
# of its own (not out/demo.h5) and leaves nothing else behind.
# Usage: tools/screenshots.sh [HEADROOM]   (default ./headroom)
set -eu
cd "$(dirname "$0")/.."
hr=${1:-./headroom}
case $hr in */*) ;; *) hr=./$hr ;; esac
chromium=${CHROMIUM:-chromium}
if ! command -v "$chromium" >/dev/null 2>&1; then
    echo "headroom: error: $chromium is not installed (make deps installs it)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -v st="$tmp/demo.h5" '
    /^\[/ { sec = $0 }
    sec == "[store]" && /^[ \t]*path[ \t]*=/ { print "path = " st; next }
    { print }' datasets/demo/demo.ini >"$tmp/demo.ini"
"$hr" run --config "$tmp/demo.ini" --out "$tmp/rep"
mkdir -p "$tmp/home"
for f in capacity problems; do
    html=$tmp/rep/latest/$f.html
    if [ ! -s "$html" ]; then
        echo "headroom: error: the demo run wrote no $f.html" >&2
        exit 1
    fi
    # fixed viewport, scale, fonts and language, so the same report gives
    # the same picture; root in a container needs --no-sandbox
    if ! HOME=$tmp/home TZ=UTC LANG=C.UTF-8 timeout -k 10 120 "$chromium" --headless=new --no-sandbox \
        --disable-gpu --hide-scrollbars --window-size=1280,1600 --force-device-scale-factor=1 \
        --font-render-hinting=none --disable-lcd-text --lang=en-US --disable-dev-shm-usage \
        --no-first-run --disable-extensions --user-data-dir="$tmp/home/profile" \
        --screenshot="$tmp/$f.png" "file://$html" >"$tmp/chromium.log" 2>&1 || [ ! -s "$tmp/$f.png" ]; then
        echo "headroom: error: chromium could not render $f.html:" >&2
        grep -v -e dbus -e '^$' "$tmp/chromium.log" | tail -n 5 >&2
        exit 1
    fi
    if command -v python3 >/dev/null 2>&1; then
        python3 tools/report_check.py png --min-width 1280 --min-height 1600 "$tmp/$f.png" >/dev/null
    fi
    mkdir -p docs/screenshots
    mv "$tmp/$f.png" "docs/screenshots/$f.png"
    echo "docs/screenshots/$f.png"
done
