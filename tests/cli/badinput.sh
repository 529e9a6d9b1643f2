# badinput.sh - the bad-input matrix of docs/robustness.md for every list
# format (issue 13 item 15): one small valid file per format, bent by each
# kind of damage (tests/cli/badinput.py writes the variants), imported into
# a fresh store. Each case expects one of:
#   read N     exit 0 with N entries (what the file still holds);
#   refused T  exit 3 (bad input), the message holding the text T and
#              naming the file;
# and never a crash, a store error or "other failure" (exit 4, 5, >= 128).
# BADINPUT_SHOW=1 prints every case's exit code and message (the matrix).
. "$(dirname "$0")/lib.sh"

python3 "$(dirname "$0")/badinput.py" "$TMP/cases" || fail "writing the variants"
n=0
while IFS='|' read -r name path source expect arg; do
	n=$((n + 1))
	rm -f "$TMP"/store.db*
	src=()
	[ -z "$source" ] || src=(--source "$source")
	"$EG" --store "$TMP/store.db" import "${src[@]}" --published 2024-01-01 "$path" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	msg=$(grep -av "^exportgate: warning" "$TMP/err" | tail -n 1 | cut -c1-300)
	got=$(sed -n 's/.* \([0-9]*\) entries.*/\1/p' "$TMP/out")
	[ -z "${BADINPUT_SHOW:-}" ] || printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "${got:--}" "$msg"
	case $expect in
	read)
		[ "$rc" -eq 0 ] && [ "$got" = "$arg" ] ||
			fail "$name: expected $arg entries read, got exit $rc, ${got:-no} entries: $msg" ;;
	refused)
		[ "$rc" -eq 3 ] || fail "$name: expected a refusal (exit 3), got exit $rc: $msg"
		grep -qF -- "$arg" "$TMP/err" || fail "$name: the message lacks \"$arg\": $msg"
		named=0 # the file, or for a directory itself or one of its files
		for f in "$path" "$path"/*; do
			[ -e "$f" ] && grep -qF -- "$(basename "$f")" "$TMP/err" && named=1
		done
		[ "$named" -eq 1 ] || fail "$name: the message does not name the file: $msg" ;;
	*)	fail "$name: unknown expectation $expect" ;;
	esac
done <"$TMP/cases/list"
[ "$n" -gt 100 ] || fail "only $n cases"
echo "badinput: $n cases"
