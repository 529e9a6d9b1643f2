# import.sh - `exportgate import` and `exportgate lists` on the real lists,
# and the refusals of bad input.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" import --help
expect_out 'usage: exportgate import'
# a reading command on a store that does not exist fails and creates nothing
expect_exit 4 "$EG" lists
expect_err 'no store at .*run `exportgate import`'
[ ! -e "$EXPORTGATE_STORE" ] || fail "lists created a store"

expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-07-07 data/lists/ofac_sdn_2021-07
expect_out 'us-ofac-sdn imported: version 1, published 2021-07-07, 8976 entries'
expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-07-07 data/lists/ofac_sdn_2021-07
expect_out 'unchanged'

expect_exit 0 "$EG" lists
expect_out '^us-ofac-sdn +1  2021-07-07 .* 8976 '
expect_exit 0 "$EG" lists --json
expect_out '"entities": 8976'

# bad input: nothing changes, the message names the file
expect_exit 3 "$EG" import --source us-ofac-sdn "$TMP/nowhere"
expect_err 'nowhere'
mkdir "$TMP/empty"
expect_exit 3 "$EG" import --source us-ofac-sdn "$TMP/empty"
mkdir "$TMP/bad"
cp data/lists/ofac_sdn_2021-07/*.csv "$TMP/bad/"
printf '99999,"BROKEN ROW\r\n' >>"$TMP/bad/sdn.csv"
expect_exit 3 "$EG" import --source us-ofac-sdn "$TMP/bad"
expect_err 'sdn.csv'
expect_exit 0 "$EG" lists --json
[ "$(grep -c '"id"' "$TMP/out")" -eq 1 ] || fail "a failed import left a version"
expect_exit 2 "$EG" import
expect_exit 2 "$EG" import --bogus x
expect_exit 3 "$EG" import --published 2021-13-01 data/lists/ofac_sdn_2021-07
expect_err 'published'

# lists diff: what the 2024-05 publication changed
expect_exit 0 "$EG" import --source us-ofac-sdn --published 2024-05-03 data/lists/ofac_sdn_2024-05
expect_exit 0 "$EG" lists diff us-ofac-sdn --summary
expect_out 'version 1 \(published 2021-07-07\) -> version 2 \(published 2024-05-03\)'
expect_out '^[0-9]+ added, [0-9]+ removed, [0-9]+ changed, [0-9]+ unchanged'
expect_exit 0 "$EG" lists diff us-ofac-sdn 1 2 --json
expect_out '"not_compared": "aliases, addresses, countries"'
expect_exit 2 "$EG" lists diff us-ofac-sdn 2 1 2
expect_exit 3 "$EG" lists diff us-ofac-sdn 7 1
expect_exit 3 "$EG" lists diff no-such-source

# A kill in the middle of an import: whenever it lands, the store holds the
# whole version or none of it, and stays sound.
"$EG" import data/lists/us_csl_2022/consolidated.csv.gz --published 2022-05-16 >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$(sqlite3 "$EXPORTGATE_STORE" 'PRAGMA integrity_check')" = ok ] || fail "store not sound after a kill"
n=$(sqlite3 "$EXPORTGATE_STORE" "SELECT count(*) FROM list_version WHERE source = 'us-csl'")
case "$n" in
0) ;;
1) [ "$(sqlite3 "$EXPORTGATE_STORE" "SELECT count(*) FROM entity e JOIN list_version v ON v.id = e.version_id WHERE v.source = 'us-csl'")" -eq 14160 ] ||
	fail "a killed import left part of a version" ;;
*) fail "$n versions of us-csl after one import" ;;
esac
expect_exit 0 "$EG" import data/lists/us_csl_2022/consolidated.csv.gz --published 2022-05-16
expect_out '14160 entries'
# a version that lacks whole kinds of field says so at import, in lists and
# in every screen built on it (issue 9 item 7): the 2024-05 SDN is sdn.csv alone
expect_exit 0 "$EG" import --source us-ofac-sdn --published 2024-05-03 data/lists/ofac_sdn_2024-05
expect_err 'warning: us-ofac-sdn version 2 carries no aliases, addresses'
expect_exit 0 "$EG" lists
expect_out '^us-ofac-sdn +2 .* aliases, addresses, dates$'
expect_exit 0 "$EG" lists --json
expect_out '"lacks": "aliases, addresses, dates"'
expect_exit 1 "$EG" screen "Banco Nacional de Cuba"
expect_out '^warning: us-ofac-sdn version 2 carries no aliases'
