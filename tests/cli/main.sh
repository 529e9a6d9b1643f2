# main.sh - the top-level command: --help lists every command, global
# options work before and after the command, each error is one line.
. "$(dirname "$0")/lib.sh"

# --help: every command and form, one line each; the same for `help`.
expect_exit 0 "$EG" --help
for form in 'import \[--source' 'import --bundled' 'lists \[--json\]' 'lists diff ' \
            'lists member ' 'screen NAME' 'screen --batch ' 'compare NAME1' 'eval \[DIR\]' \
            'help  '; do
	expect_out "^  $form"
done
expect_exit 0 "$EG" help
expect_out '^  lists member '

# Global options after the command, in both spellings; the store named
# there is the one used (lists reads it; the default store is not touched).
expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-07-07 \
	tests/data/ofac_csv/good --store "$TMP/after.db"
[ -f "$TMP/after.db" ] || fail "import --store after the command did not use it"
[ ! -f "$EXPORTGATE_STORE" ] || fail "import --store after the command used the default store"
expect_exit 0 "$EG" lists --store "$TMP/after.db"
expect_out '^us-ofac-sdn +1 '
expect_exit 0 "$EG" lists --store="$TMP/after.db" --json
expect_out '"source": "us-ofac-sdn"'
expect_exit 1 "$EG" screen "Banco Nacional de Cuba" --store "$TMP/after.db"
expect_out 'BANCO NACIONAL DE CUBA'
expect_exit 4 "$EG" screen "Banco Nacional de Cuba"   # the default store does not exist
expect_exit 1 "$EG" screen --data data "Banco Nacional de Cuba" --store "$TMP/after.db"
# after "--", "--store" is an argument like any other (here: a name)
expect_exit 0 "$EG" --store "$TMP/after.db" screen -- --store
expect_out 'no hit for "--store"'
expect_exit 2 "$EG" lists --store
expect_err '^exportgate lists: option "--store" needs a value'

# One line per error, naming what is wrong.
one_line() { [ "$(wc -l <"$TMP/err")" -eq 1 ] || { cat "$TMP/err" >&2; fail "$1: not one line"; }; }
expect_exit 2 "$EG" nosuch
expect_err '^exportgate: unknown command "nosuch"'; one_line "unknown command"
expect_exit 2 "$EG"
one_line "no command"
expect_exit 2 "$EG" --bogus lists
expect_err '^exportgate: unknown option "--bogus"'; one_line "unknown global option"
expect_exit 2 "$EG" lists --bogus
expect_err '^exportgate lists: unknown option "--bogus" \(see `exportgate lists --help`\)$'
one_line "lists --bogus"
expect_exit 2 "$EG" lists member il-cyber-exempt FR --as-of
expect_err 'option "--as-of" needs a value'; one_line "member --as-of"
expect_exit 2 "$EG" lists diff us-ofac-sdn --nope
expect_err 'unknown option "--nope"'; one_line "diff --nope"
expect_exit 2 "$EG" eval -x
expect_err 'unknown option "-x"'; one_line "eval -x"
expect_exit 2 "$EG" screen --limit 0 "A B"
one_line "screen --limit 0"
expect_exit 3 "$EG" lists member no-such-list FR
one_line "unknown country list"

# screen --help prints the default threshold of the library, which the
# documentation does not repeat as a number that could drift.
expect_exit 0 "$EG" screen --help
expect_out '^the default threshold \(--min-score\): 0\.[0-9][0-9]$'
expect_out '^global options'
expect_exit 0 "$EG" screen "Zzyzx Quorblat" --store "$TMP/after.db"
t=$(sed -n 's/.* at or above \([0-9.]*\) .*/\1/p' "$TMP/out")
expect_exit 0 "$EG" screen --help
expect_out "^the default threshold \\(--min-score\\): $t\$"
# docs/cli.md: the --min-score row and the example outputs name this value.
grep -E '^\| `--min-score S` .*default' docs/cli.md | grep -q "$t" ||
	fail "docs/cli.md: the --min-score row does not say the default is $t"
for v in $(grep -oE 'at or above 0\.[0-9]+' docs/cli.md | sed 's/at or above //'); do
	[ "$v" = "$t" ] || fail "docs/cli.md: an example says \"at or above $v\", the default is $t"
done
