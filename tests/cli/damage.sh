# damage.sh - a damaged store is refused with exit 4 naming the version,
# never answered "no hit" (issue 13 item 2): a listed name's row changed
# with the sqlite3 tool, then an entity row deleted.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "no sqlite3 tool: skipped"; exit 0; }

expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-01-01 tests/data/ofac_csv/good
expect_exit 1 "$EG" screen "Banco Nacional de Cuba"

sqlite3 "$EXPORTGATE_STORE" "UPDATE name SET text = 'BANCO NACIONAL DE CUBX' WHERE text = 'BANCO NACIONAL DE CUBA'" ||
	fail "sqlite3 could not change the store"
# With the index file that the first screen saved, the index (built from
# the rows as they were verified) still finds the party: never "no hit".
"$EG" screen "Banco Nacional de Cuba" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 0 ] && fail "a damaged store answered no hit"
# Without it, the version is loaded from the store and refused.
rm -rf "$EXPORTGATE_STORE.idx"
expect_exit 4 "$EG" screen "Banco Nacional de Cuba"
expect_err 'version 1 of us-ofac-sdn: [0-9]+ entities, digest mismatch: the store is damaged'
[ -s "$TMP/out" ] && { cat "$TMP/out" >&2; fail "a damaged store printed an answer"; }

sqlite3 "$EXPORTGATE_STORE" "UPDATE name SET text = 'BANCO NACIONAL DE CUBA' WHERE text = 'BANCO NACIONAL DE CUBX'"
expect_exit 1 "$EG" screen "Banco Nacional de Cuba"
sqlite3 "$EXPORTGATE_STORE" "DELETE FROM entity WHERE uid = '306'"
expect_exit 4 "$EG" screen "Banco Nacional de Cuba"   # the mapped index: the row is missing
rm -rf "$EXPORTGATE_STORE.idx"
expect_exit 4 "$EG" screen "Banco Nacional de Cuba"
expect_err 'version 1 of us-ofac-sdn: [0-9]+ entities, [0-9]+ recorded at import: the store is damaged'
exit 0
