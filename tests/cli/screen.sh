# screen.sh - `exportgate screen` on the real SDN list: the table, JSON,
# explanations, exit codes and bad queries.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" screen --help
expect_exit 4 "$EG" screen "Nicolas Maduro Moros"
expect_err 'no store at'
[ ! -e "$EXPORTGATE_STORE" ] || fail "screen created a store"
expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-07-07 data/lists/ofac_sdn_2021-07

expect_exit 1 "$EG" screen "Nicolas Maduro Moros"
[ "$(sed -n 2p "$TMP/out" | grep -c 'MADURO MOROS, Nicolas')" -eq 1 ] || { cat "$TMP/out"; fail "Maduro not first"; }
expect_exit 1 "$EG" screen "maduro moros nicolas" --limit 1 --explain
expect_out 'maduro +-> maduro +similarity 1.00'
expect_exit 1 "$EG" screen "Nicolas Maduro Moros" --json --type individual
expect_out '"primary_name": "MADURO MOROS, Nicolas"'
expect_exit 0 "$EG" screen "Nicolas Maduro Moros" --type vessel
expect_out 'no hit'
expect_exit 0 "$EG" screen "Zzyzx Quorblat"
expect_out 'no hit'

# bad queries and options
expect_exit 3 "$EG" screen "$(printf 'bad\377name')"
expect_err 'UTF-8'
expect_exit 3 "$EG" screen ""
expect_exit 3 "$EG" screen "$(printf 'a\001b')"
expect_exit 3 "$EG" screen "$(head -c 3000 /dev/zero | tr '\0' a)"
expect_exit 2 "$EG" screen "x" --limit 0
expect_exit 2 "$EG" screen "x" --min-score 2
expect_exit 2 "$EG" screen "x" --min-score nan
expect_exit 2 "$EG" screen "x" --type robot
expect_exit 3 "$EG" screen "x" --as-of 2021-02-30
expect_exit 2 "$EG" screen
expect_exit 2 "$EG" frobnicate
