#!/bin/sh
# The HTML reports as a person sees them: runs the demo fleet, checks that
# capacity.html and problems.html are self-contained (no script, no
# http(s):// or url() reference, nothing loaded from elsewhere), renders
# each in headless Chromium and fails on a blank, near-uniform or broken
# screenshot, checks that every inline SVG is well-formed XML and the
# document's tags balance, and that the numbers of the Markdown reports
# match the JSON (tools/report_check.py). Without chromium (or python3)
# the rendering checks are skipped with a message, except under CI=true,
# where they fail: `make deps` installs both.
. "$HR_TOP/tests/cli/lib.sh"
H=$HEADROOM
CHK=$HR_TOP/tools/report_check.py
CHROMIUM=${CHROMIUM:-chromium}
cd "$HR_TOP" || exit 1

# The demo run, with its store in $T (the demo config keeps it in out/,
# shared with `make demo`, whose lock would make a concurrent run exit 75)
awk -v st="$T/demo.h5" '
    /^\[/ { sec = $0 }
    sec == "[store]" && /^[ \t]*path[ \t]*=/ { print "path = " st; next }
    { print }' datasets/demo/demo.ini >"$T/demo.ini"
expect_rc 0 "$H" run --config "$T/demo.ini" --out "$T/rep"
R=$T/rep/latest

have() { command -v "$1" >/dev/null 2>&1; }
# what a checker printed, without the temporary paths
short() { sed -e "s|$R/||g" -e "s|$T/||g" -e 's/^/report_view: /' "$@"; }
# check CMD...: expect_rc 0 CMD, and on failure all of its findings (stderr)
check() {
    f0=$fail
    expect_rc 0 "$@"
    [ "$fail" = "$f0" ] || head -n 60 "$T/err" | short >&2
}
# needs NAME WHY: the tool is there; else skip (a failure under CI=true)
needs() {
    have "$1" && return 0
    if [ "${CI:-}" = true ]; then
        bad "$1 is not installed ($2; make deps installs it)"
    else
        echo "report_view: skipped: $1 is not installed ($2; make deps installs it)"
    fi
    return 1
}

for f in capacity problems; do
    h=$R/$f.html
    if [ -s "$h" ]; then ok; else bad "$f.html missing or empty in $(readlink "$R")/"; continue; fi
    # self-contained: no script, nothing fetched (SVG namespace names and
    # same-document url(#id) references are not fetches)
    if grep -n -i '<script' "$h" >"$T/hits"; then bad "$f.html has a script: $(head -c 200 "$T/hits")"; else ok; fi
    if sed -E 's#xmlns(:[A-Za-z]+)?="https?://www\.w3\.org/[^"]*"##g' "$h" |
        grep -n -i -E 'https?://' >"$T/hits"; then
        bad "$f.html references http(s)://: $(head -c 200 "$T/hits")"
    else ok; fi
    if sed -E "s/url\\([\"']?#[^)]*\\)//g" "$h" | grep -n -i 'url(' >"$T/hits"; then
        bad "$f.html has a url() reference: $(head -c 200 "$T/hits")"
    else ok; fi
    if grep -n -i -E '<(link|iframe|object|embed)[ >/]|@import|[ "]src="?[^d"#]' "$h" >"$T/hits"; then
        bad "$f.html loads something: $(head -c 200 "$T/hits")"
    else ok; fi
done

if needs python3 "the report checks need it"; then
    for f in capacity problems; do
        [ -s "$R/$f.html" ] || continue
        check python3 "$CHK" svg "$R/$f.html"
        short "$T/out"
    done
    check python3 "$CHK" md-json "$R"
    tail -n 1 "$T/out" | short
    check python3 "$HR_TOP/tools/services_check.py" "$R"
    tail -n 1 "$T/out" | short
fi

# Headless Chromium as root in a container: no sandbox, no GPU, a HOME and
# profile of its own, /tmp instead of a small /dev/shm.
if needs "$CHROMIUM" "renders the HTML reports" && have python3; then
    mkdir -p "$T/home"
    for f in capacity problems; do
        [ -s "$R/$f.html" ] || continue
        rm -f "$T/$f.png"
        HOME=$T/home timeout -k 10 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu \
            --hide-scrollbars --window-size=1280,2400 --force-device-scale-factor=1 \
            --disable-dev-shm-usage --no-first-run --disable-extensions \
            --user-data-dir="$T/home/profile" --screenshot="$T/$f.png" "file://$R/$f.html" \
            >"$T/chromium.log" 2>&1
        rc=$?
        if [ $rc = 0 ] && [ -s "$T/$f.png" ]; then ok; else
            [ $rc = 124 ] && rc="timeout after 120 s"
            bad "chromium on $f.html: exit $rc, $([ -s "$T/$f.png" ] || echo 'no screenshot, ')log: $(grep -v -e dbus -e '^$' "$T/chromium.log" | tail -n 5 | head -c 600)"
            continue
        fi
        # 1280x2400 as asked; not blank: 8+ colours, 2%+ of the pixels not background
        # (a report page has about 10%; a page showing only its heading 0.3%)
        check python3 "$CHK" png --min-width 1280 --min-height 2400 --min-colours 8 --min-share 0.02 "$T/$f.png"
        short "$T/out"
    done
fi
summary report_view
