# output.sh - a command whose output cannot be written fails (issue 13 item 8):
# stdout on /dev/full gives exit 5 and a message naming the cause, for a
# listing, a screening, a batch and --help; the same commands on a working
# stdout exit as usual.
. "$(dirname "$0")/lib.sh"

[ -w /dev/full ] || { echo "no /dev/full: skipped"; exit 0; }

expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-01-01 tests/data/ofac_csv/good

full() {
	want=$1; shift
	"$@" >/dev/full 2>"$TMP/err"
	got=$?
	[ "$got" -eq "$want" ] || { cat "$TMP/err" >&2; fail "$* >/dev/full exited $got, expected $want"; }
	expect_err '(cannot write the output|write error): No space left on device'
	[ "$(grep -c 'No space left' "$TMP/err")" -eq 1 ] || fail "$*: the cause is said more than once"
}

expect_exit 0 "$EG" lists
full 5 "$EG" lists
full 5 "$EG" lists --json
full 5 "$EG" --help
full 5 "$EG" help
expect_exit 0 "$EG" screen "Zzyzx Quorblat Trading"
full 5 "$EG" screen "Zzyzx Quorblat Trading"
printf 'name\nZzyzx Quorblat\n' >"$TMP/in.csv"
full 5 "$EG" screen --batch "$TMP/in.csv" --column name
exit 0
