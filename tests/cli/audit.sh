# audit.sh - the decision log through the CLI: each decision a durable
# record, a signed checkpoint, verification (and growth since a kept
# checkpoint), tampering found and named, a refused deal leaving no record,
# an export checked by the independent Python verifier.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" import --source us-csl --published 2022-05-16 data/lists/us_csl_2022/consolidated.csv.gz
deal() { # name -> $TMP/deal.json
	printf '{"date": "2021-12-01", "exporter": {"name": "X Ltd", "country": "IL"},
 "items": [{"classification": "4D004"}], "destination": "AE",
 "parties": [{"role": "end_user", "name": "%s", "country": "AE", "type": "private"}],
 "end_use": {"statements": [], "flags": []}}\n' "$1" >"$TMP/deal.json"
}
for n in "NSO Group" "Candiru" "Acme Trading"; do
	deal "$n"
	"$EG" decide "$TMP/deal.json" >"$TMP/out" 2>"$TMP/err"
	grep -q '^decision log: record' "$TMP/out" || fail "decide $n: no log record"
done
expect_exit 0 "$EG" audit checkpoint
cp "$TMP/out" "$TMP/cp.txt"
expect_out '^exportgate/decision-log$'
expect_out '^3$'
# a refused deal leaves no record
printf '{"date": "2021-02-30"}' >"$TMP/bad.json"
expect_exit 3 "$EG" decide "$TMP/bad.json"
deal "Positive Technologies"
expect_exit 1 "$EG" decide "$TMP/deal.json"
expect_exit 0 "$EG" audit show 3
expect_out '"Positive Technologies"'
expect_exit 0 "$EG" audit verify --checkpoint "$TMP/cp.txt"
expect_out '"grew_from_old": true'
expect_out '"records": 4'
expect_exit 0 "$EG" audit prove 1
expect_out '"inclusion_proof"'
expect_exit 0 "$EG" audit export
python3 tests/audit_verify.py "$TMP/out" >"$TMP/py.out" 2>&1 || { cat "$TMP/py.out" >&2; fail "the Python verifier refused the export"; }
# replay: the recorded versions give the same decision
expect_exit 0 "$EG" decide --replay 0
expect_out '"same": true'
expect_exit 0 "$EG" decide --replay 3 --now
expect_out '"mode": "today'
# review: a false positive keeps the same party name off that entity
"$EG" audit show 0 >"$TMP/rec" || fail "audit show 0"
uid=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["payload"]["decision"]
print(next(e["uid"] for r in d["reasons"] for e in r["evidence"] if e.get("kind") == "screening"))' "$TMP/rec")
expect_exit 3 "$EG" review 0 --party 0 --entity nosuch --verdict false-positive --by analyst
expect_err 'raised no hit of entity nosuch'
expect_exit 0 "$EG" review 0 --party 0 --entity "$uid" --verdict false-positive --by analyst --note test
expect_out '"record": "review"'
deal "NSO Group"
"$EG" decide "$TMP/deal.json" --json >"$TMP/out" 2>"$TMP/err"
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["suppressed_by_review"] and d["suppressed_by_review"][0]["uid"] == sys.argv[2], d["suppressed_by_review"]
assert all(e.get("uid") != sys.argv[2] for r in d["reasons"] for e in r["evidence"])' "$TMP/out" "$uid" ||
	fail "a reviewed false positive was raised again"
expect_exit 0 "$EG" audit verify
# tampering: a changed payload is found and named
sqlite3 "$EXPORTGATE_STORE" "UPDATE audit_record SET payload = replace(payload, 'Candiru', 'Candirx') WHERE idx = 1"
expect_exit 1 "$EG" audit verify
expect_out '"first_bad": 1'
expect_err 'does NOT verify'
