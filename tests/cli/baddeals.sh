# baddeals.sh - the bad-input matrix of docs/robustness.md for deals and
# policies (issue 13 item 15): the example deal and the us-ear-cyber policy
# damaged byte by byte (tests/cli/baddeals.py), given to `exportgate decide`
# (a policy through --data). Each case exits as expected (1: a decision;
# 3: refused, the message holding the path or file), never 4, 5 or >= 128,
# and a refused deal adds nothing to the decision log.
# BADDEALS_SHOW=1 prints every case's exit code and message.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" import --source us-csl --published 2022-05-16 data/lists/us_csl_2022/consolidated.csv.gz
python3 "$(dirname "$0")/baddeals.py" "$TMP/cases" || fail "writing the variants"
n=0
while IFS='|' read -r kind name path code text; do
	n=$((n + 1))
	before=$("$EG" audit verify 2>/dev/null | sed -n 's/.*"records": \([0-9]*\).*/\1/p')
	if [ "$kind" = deal ]; then
		"$EG" decide "$path" >"$TMP/out" 2>"$TMP/err"
	else
		"$EG" --data "$path" decide docs/examples/deal-nso-2021-11-04.json >"$TMP/out" 2>"$TMP/err"
	fi
	rc=$?
	msg=$(head -c 200 "$TMP/err" | head -n 1)
	[ -z "${BADDEALS_SHOW:-}" ] || printf '%s/%s\t%s\t%s\n' "$kind" "$name" "$rc" "$msg"
	[ "$rc" -eq "$code" ] || fail "$kind $name: exit $rc, expected $code: $msg"
	if [ "$code" -eq 3 ]; then
		grep -qF -- "$text" "$TMP/err" || fail "$kind $name: the message lacks \"$text\": $msg"
		after=$("$EG" audit verify 2>/dev/null | sed -n 's/.*"records": \([0-9]*\).*/\1/p')
		[ "$before" = "$after" ] || fail "$kind $name: refused, yet the log grew ($before -> $after)"
	fi
done <"$TMP/cases/list"
[ "$n" -gt 25 ] || fail "only $n cases"
echo "baddeals: $n cases"
