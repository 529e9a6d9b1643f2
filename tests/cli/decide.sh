# decide.sh - `exportgate decide`: the November 2021 question on the bundled
# lists and policies; bad deals refused with the JSON path, exit 3.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" import --bundled
deal() { # date name -> a deal file
	printf '{"date": "%s", "exporter": {"name": "Cyber Exporter Ltd", "country": "IL"},
 "items": [{"classification": "4D004"}], "destination": "AE",
 "parties": [{"role": "end_user", "name": "%s", "country": "IL", "type": "private"}],
 "end_use": {"statements": [], "flags": []}, "policies": ["us-ear-cyber"]}\n' "$1" "$2" \
		>"$TMP/deal.json"
}
# NSO Group on the Entity List from 2021-11-04 (86 FR 60760): the bundled CSL
# is of 2022, so the list on those days is reconstructed, and said so.
deal 2021-11-04 "NSO Group"
expect_exit 1 "$EG" decide "$TMP/deal.json"
expect_out '^decision: deny'
expect_out 'NSO Group.*listed 2021-11-04'
expect_out 'us-csl version [0-9]+ \(2022-05-16\) reconstructed'
deal 2021-11-03 "NSO Group"
"$EG" decide "$TMP/deal.json" --json >"$TMP/out" 2>"$TMP/err"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
assert d["decision"] != "deny", d["decision"]
assert any(l["source"] == "us-csl" and l["reconstructed"] for l in d["lists"])' "$TMP/out" ||
	fail "decide 2021-11-03: NSO Group must not be denied before its listing"
# bad deals: the JSON path, exit 3
printf '{"date": "2021-13-01"}' >"$TMP/bad.json"
expect_exit 3 "$EG" decide "$TMP/bad.json"
expect_err '\$\.'
expect_exit 3 "$EG" decide "$TMP/none.json"
expect_err 'none.json'
# --batch: one answer per deal, in input order, the line numbers of the file
deal 2021-11-04 "NSO Group"
{ tr -d '\n' <"$TMP/deal.json"; printf '\n\n'; deal 2021-11-03 "Acme Trading"
  tr -d '\n' <"$TMP/deal.json"; printf '\n{"date": "x"}\n'; } >"$TMP/deals.jsonl"
expect_exit 3 "$EG" decide --batch "$TMP/deals.jsonl" --threads 2
python3 -c 'import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["line"] for r in rows] == [1, 3, 4], rows
assert rows[0]["decision"]["decision"] == "deny"
assert "audit" in rows[0]["decision"] and rows[0]["decision"]["audit"]["index"] >= 0
assert rows[2]["error"]["code"] == "EG_EINVAL"' "$TMP/out" || fail "decide --batch: wrong answers"
