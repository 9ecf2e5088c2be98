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
