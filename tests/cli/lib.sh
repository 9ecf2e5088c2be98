# Shared helpers for tests/cli/*.sh (sourced). $HEADROOM is the binary under
# test, $HR_TOP the repository. Each script ends with `summary NAME`.
pass=0; fail=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ok()   { pass=$((pass+1)); }
bad()  { fail=$((fail+1)); echo "$0: FAIL: $*" >&2; }
# expect_rc WANT CMD...: runs CMD, keeps stderr in $T/err, checks the exit code
expect_rc() {
    want=$1; shift
    "$@" >"$T/out" 2>"$T/err"; got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$* -> exit $got, want $want; stderr: $(head -c 600 "$T/err")"; fi
}
# expect_err TEXT: the last command's stderr contains TEXT (fixed string)
expect_err() { if grep -qF -- "$1" "$T/err"; then ok; else bad "stderr lacks '$1': $(head -c 600 "$T/err")"; fi; }
expect_out() { if grep -qF -- "$1" "$T/out"; then ok; else bad "stdout lacks '$1': $(head -c 600 "$T/out")"; fi; }
expect_no_err() { if [ -s "$T/err" ]; then bad "stderr not empty: $(head -c 600 "$T/err")"; else ok; fi; }
expect_same() { if cmp -s "$1" "$2"; then ok; else bad "$1 and $2 differ: $(diff "$1" "$2" | head -5)"; fi; }
summary() { echo "$1: $pass passed, $fail failed"; [ $fail = 0 ]; }

# Shared by the ingest/store scripts. $H is the binary under test.
H=$HEADROOM
dump_is() {
    st=$1; shift
    cat >"$T/want.dump"
    "$H" dump "$@" "$st" >"$T/got.dump" 2>"$T/dump.err"; r=$?
    if [ "$r" = 0 ] && cmp -s "$T/want.dump" "$T/got.dump"; then ok; else
        bad "dump $* $st: exit $r; diff want got: $(diff "$T/want.dump" "$T/got.dump" | head -12) $(head -c 300 "$T/dump.err")"
    fi
}
err_is() {
    cat >"$T/want.err"
    if cmp -s "$T/want.err" "$T/err"; then ok; else
        bad "stderr differs; diff want got: $(diff "$T/want.err" "$T/err" | head -12)"
    fi
}
expect_no_out() { if [ -s "$T/out" ]; then bad "stdout not empty: $(head -c 300 "$T/out")"; else ok; fi; }
expect_absent() { if [ -e "$1" ]; then bad "$1 exists but should not"; else ok; fi; }
quiet_ok() { expect_rc 0 "$H" ingest "$@"; expect_no_err; expect_no_out; }
