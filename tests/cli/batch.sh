# batch.sh - `exportgate screen --batch` on the real SDN list: hits as CSV in
# input order, rejected rows with their line numbers, exit codes, and the
# same output whatever the thread count.
. "$(dirname "$0")/lib.sh"

D=tests/data/batch
expect_exit 0 "$EG" screen --batch x --help
expect_out 'usage: exportgate screen --batch'
expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-07-07 data/lists/ofac_sdn_2021-07

# names.csv plus a row with an invalid UTF-8 byte (line 12).
cp "$D/names.csv" "$TMP/in.csv"
printf 'A10,Bad\377Name,\n' >>"$TMP/in.csv"

expect_exit 1 "$EG" screen --batch "$TMP/in.csv" --column name --id-column ref \
	--type-column kind --out "$TMP/hits.csv" --threads 2
head -1 "$TMP/hits.csv" | grep -qx 'row,id,query,score,source,uid,type,primary_name,matched_name,programs' ||
	fail "header: $(head -1 "$TMP/hits.csv")"
# The listed names hit, in input order; the unlisted ones do not.
grep -qE '^1,A1,Nicolas Maduro Moros,[01]\.[0-9]{3},us-ofac-sdn,[0-9]+,individual,"MADURO MOROS, Nicolas",' "$TMP/hits.csv" ||
	{ cat "$TMP/hits.csv"; fail "Maduro row"; }
grep -qE '^3,A3,BANCO NACIONAL DE CUBA,[01]\.[0-9]{3},us-ofac-sdn,[0-9]+,entity,BANCO NACIONAL DE CUBA,' "$TMP/hits.csv" ||
	{ cat "$TMP/hits.csv"; fail "Banco row"; }
# The quoted name with a comma and a quote is read whole and written back quoted.
grep -qE '^5,A5,"Maduro Moros, ""Nicolas""",[01]\.[0-9]{3},us-ofac-sdn,[0-9]+,individual,"MADURO MOROS, Nicolas",' "$TMP/hits.csv" ||
	{ cat "$TMP/hits.csv"; fail "quoted row"; }
grep -qE '^(2|4|7),' "$TMP/hits.csv" && { cat "$TMP/hits.csv"; fail "an unlisted name hit"; }
rows=$(tail -n +2 "$TMP/hits.csv" | cut -d, -f1 | uniq | tr '\n' ' ')
[ "$rows" = "1 3 5 " ] || { cat "$TMP/hits.csv"; fail "rows with hits, in order: \"$rows\""; }
# --limit: at most 3 hits per row by default.
[ "$(grep -c '^1,' "$TMP/hits.csv")" -le 3 ] || fail "more than 3 hits for row 1"
# Rejected rows: the empty name, the type, the line break, the bad byte; in order.
expect_err "in.csv:7: field name: empty name"
expect_err "in.csv:9: field name: control character U\+000A"
expect_err "in.csv:11: field kind: unknown type \"robot\""
expect_err "in.csv:12: field name: invalid UTF-8 at byte 3"
lines=$(grep -oE 'in\.csv:[0-9]+:' "$TMP/err" | tr '\n' ' ')
[ "$lines" = "in.csv:7: in.csv:9: in.csv:11: in.csv:12: " ] || { cat "$TMP/err"; fail "rejections: $lines"; }
expect_err '10 rows, 6 screened, 4 rejected, 3 with hits, [0-9]+ hits; 2 threads'

# stdout when no --out; one thread and two give the same bytes.
expect_exit 1 "$EG" screen --batch "$TMP/in.csv" --column name --id-column ref --type-column kind --threads 1
cp "$TMP/out" "$TMP/t1.csv"
cmp -s "$TMP/t1.csv" "$TMP/hits.csv" || fail "stdout differs from --out"
# Many rows, so the threads interleave: 40 copies of the fixture.
for i in $(seq 40); do tail -n +2 "$D/names.csv"; done | sed '1i ref,name,kind' >"$TMP/big.csv"
expect_exit 1 "$EG" screen --batch "$TMP/big.csv" --column name --threads 1
cp "$TMP/out" "$TMP/b1.csv"
expect_exit 1 "$EG" screen --batch "$TMP/big.csv" --column name --threads 2
cmp -s "$TMP/b1.csv" "$TMP/out" || fail "--threads 1 and --threads 2 differ"
[ "$(tail -n +2 "$TMP/b1.csv" | cut -d, -f1 | uniq | wc -l)" -eq 120 ] || fail "big: 3 rows with hits per copy"
expect_err 'big.csv: 360 rows, 280 screened, 80 rejected, 120 with hits'
expect_err '60 more rejected rows not shown'

# --type narrows; --min-score 1 leaves only exact names.
expect_exit 0 "$EG" screen --batch "$TMP/in.csv" --column name --type vessel
[ "$(wc -l <"$TMP/out")" -eq 1 ] || fail "--type vessel: hits"

# No hit: exit 0, only the header.
expect_exit 0 "$EG" screen --batch "$D/unlisted.csv" --column name
[ "$(wc -l <"$TMP/out")" -eq 1 ] || fail "unlisted: output beyond the header"
expect_err '3 rows, 3 screened, 0 rejected, 0 with hits, 0 hits'

# Errors: missing column (2), missing file (3), unterminated quote (3), usage (2).
expect_exit 2 "$EG" screen --batch "$D/unlisted.csv" --column nom
expect_err '--column "nom": no such column in the header \(columns: "name"\)'
expect_exit 2 "$EG" screen --batch "$TMP/in.csv" --column name --id-column id
expect_err '"ref", "name", "kind"'
expect_exit 3 "$EG" screen --batch "$TMP/absent.csv" --column name
expect_err 'absent.csv: cannot open'
expect_exit 3 "$EG" screen --batch "$D/unterminated.csv" --column name
expect_err 'unterminated.csv:3: malformed CSV'
expect_exit 2 "$EG" screen --batch "$TMP/in.csv"
expect_exit 2 "$EG" screen --batch "$TMP/in.csv" --column name --threads 0
expect_exit 2 "$EG" screen --batch "$TMP/in.csv" --column name "extra name"
expect_exit 3 "$EG" screen --batch "$TMP/in.csv" --column name --as-of 2021-02-30
: >"$TMP/empty.csv"
expect_exit 3 "$EG" screen --batch "$TMP/empty.csv" --column name
expect_err 'no header row'
# Not a terminal: no progress bar.
grep -q $'\r' "$TMP/err" && fail "progress output on a non-terminal"
exit 0
