# rescreen.sh - delta screening: decisions logged before the CSL was
# imported are screened against only its entries; the deal of a party the
# Entity List names would now be denied, and rescreen says so (exit 1).
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-07-07 data/lists/ofac_sdn_2021-07
for n in "Positive Technologies" "Acme Widgets GmbH"; do
	printf '{"date": "2022-01-10", "exporter": {"name": "X", "country": "US"},
 "items": [{"classification": "4D004"}], "destination": "DE",
 "parties": [{"role": "end_user", "name": "%s", "country": "DE", "type": "private"}],
 "end_use": {"statements": [], "flags": []}}\n' "$n" >"$TMP/deal.json"
	"$EG" decide "$TMP/deal.json" >/dev/null 2>&1
done
# nothing new yet: the decisions saw the SDN version already
expect_exit 0 "$EG" rescreen
expect_out '"differ": 0'
expect_exit 0 "$EG" import --source us-csl --published 2022-05-16 data/lists/us_csl_2022/consolidated.csv.gz
expect_exit 1 "$EG" rescreen
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["decisions_read"] == 2 and d["parties_screened"] == 2, d
assert any(h["decision"] == 0 and h["source"] == "us-csl" for h in d["hits"]), d["hits"]
assert not any(h["decision"] == 1 for h in d["hits"]), d["hits"]
x = [x for x in d["decisions"] if x["decision"] == 0][0]
assert x["then"] != "deny" and x["now"] == "deny", x' "$TMP/out" || fail "rescreen: wrong answer"
