# lists.sh - `lists diff --summary` (text and JSON) and `lists member`:
# exit codes 1 yes, 0 no, 6 unknown, --json, lower-case codes, and the end
# date ("until") of a country-list version.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-01-01 tests/data/ofac_csv/good
expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-02-01 tests/data/ofac_csv/utf8
expect_exit 0 "$EG" lists diff us-ofac-sdn --summary --json
expect_out '"removed": 5'
grep -q '"entries"' "$TMP/out" && fail "lists diff --summary --json prints the entries"
expect_exit 0 "$EG" lists diff us-ofac-sdn --json
expect_out '"entries"'
expect_exit 0 "$EG" lists diff us-ofac-sdn --summary
expect_out '^1 added, 5 removed, 0 changed'
grep -qE '^(added|removed) ' "$TMP/out" && fail "lists diff --summary prints the entries"
expect_exit 0 "$EG" lists diff il-cyber-exempt --summary --json
expect_out '"dropped": 4,'
expect_exit 0 "$EG" lists diff il-cyber-exempt --summary
expect_out '^dropped +4:$'

# yes 1, no 0, unknown 6; the code in any case
expect_exit 1 "$EG" lists member il-cyber-exempt in
expect_out '^IN is in il-cyber-exempt on [0-9-]{10}: yes \(version of 2021-11-01\)$'
expect_exit 0 "$EG" lists member il-cyber-exempt ae
expect_out ': no \(version of 2021-11-01\)$'
expect_exit 6 "$EG" lists member il-cyber-exempt BR --as-of 2021-10-15
expect_out '^BR may be in il-cyber-exempt on 2021-10-15: unknown \(version of 2017-01-01\)$'
expect_exit 1 "$EG" lists member il-cyber-exempt Ae --as-of 2021-10-15 --json
expect_out '"answer": "yes"'
expect_out '"code": "AE"'
expect_out '"version": "2017-01-01"'
expect_exit 6 "$EG" lists member il-cyber-exempt BR --as-of 2021-10-15 --json
expect_out '"answer": "unknown"'

# US Country Group E:1's version is vouched for until 2022-12-31: today (no
# --as-of) it answers unknown, not the 2022 answer.
expect_exit 1 "$EG" lists member us-cg-e1 ir --as-of 2022-06-01
expect_exit 6 "$EG" lists member us-cg-e1 IR
expect_out '^IR may be in us-cg-e1 on [0-9-]{10}: unknown \(.*vouched for until 2022-12-31, not on'
expect_exit 6 "$EG" lists member us-cg-e1 IR --json
expect_out '"version": null'
expect_out '"reason": ".*vouched for until 2022-12-31'
# before the first version: unknown too
expect_exit 6 "$EG" lists member il-cyber-exempt FR --as-of 2010-01-01

# bad input
expect_exit 3 "$EG" lists member il-cyber-exempt XX
expect_exit 3 "$EG" lists member il-cyber-exempt irn
expect_exit 3 "$EG" lists member no-such-list FR
expect_exit 3 "$EG" lists member il-cyber-exempt FR --as-of 2021-13-01
expect_exit 2 "$EG" lists member il-cyber-exempt
# an answer that the source does not state but that is inferred says so
expect_exit 1 "$EG" lists member il-cyber-exempt fr --as-of 2021-10-01
expect_out 'inferred, not stated by the source'
expect_exit 1 "$EG" lists member il-cyber-exempt FR --as-of 2021-10-01 --json
expect_out '"basis": "inferred"'
