# lib.sh - shared by the CLI tests: a temporary store and assertions.
# Each test script sources this, runs $EG (the exportgate binary) and exits
# non-zero on the first failed expectation.
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export EXPORTGATE_STORE="$TMP/store.db"

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE CMD...: runs CMD, output in $TMP/out and $TMP/err.
expect_exit() {
	want=$1; shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	[ "$got" -eq "$want" ] || { cat "$TMP/out" "$TMP/err" >&2; fail "$* exited $got, expected $want"; }
}
expect_out() { grep -qE -- "$1" "$TMP/out" || { cat "$TMP/out" >&2; fail "stdout lacks /$1/"; }; }
expect_err() { grep -qE -- "$1" "$TMP/err" || { cat "$TMP/err" >&2; fail "stderr lacks /$1/"; }; }
