# eval.sh - `exportgate eval --json` prints the JSON alone on stdout (the
# import of the bundled lists reports on stderr).
. "$(dirname "$0")/lib.sh"

mkdir "$TMP/ev"
printf 'id\tlist\tquery\tschema\texpect\tdob\tcountry\torigin\n1\tus-ofac-sdn\tNicolas Maduro Moros\tPerson\tMADURO MOROS, Nicolas\t\tve\tt\n2\tus-ofac-sdn\tZzyzx Quorblat\tPerson\t\t\t\tt\n' \
	>"$TMP/ev/screen.tsv"
printf 'id\tschema\tname1\tname2\tis_match\torigin\n1\tPerson\tJon Smith\tJohn Smith\ttrue\tt\n' \
	>"$TMP/ev/pairs.tsv"
expect_exit 0 "$EG" eval "$TMP/ev" --json
expect_err 'us-ofac-sdn imported'
[ "$(head -c 1 "$TMP/out")" = "{" ] || { cat "$TMP/out" >&2; fail "eval --json: stdout does not start with the JSON"; }
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["screen"]["recall"] == 1.0; assert d["screen"]["threshold_consistency"] == {"inconsistent": 0, "expected": 0}' \
	"$TMP/out" || fail "eval --json: stdout is not the JSON alone"
# without --json the import reports stay on stdout, as before
rm -f "$EXPORTGATE_STORE"
expect_exit 0 "$EG" eval "$TMP/ev"
expect_out 'us-ofac-sdn imported'
# every origin is reported on its own: past the cap a row is an error that
# names its line, and the measurement exits 3, never merged into another
mkdir "$TMP/ev2"
python3 -c '
import sys
print("id\tlist\tquery\tschema\texpect\tdob\tcountry\torigin")
for i in range(257):
    print("%d\tus-ofac-sdn\tZzyzx Quorblat\tPerson\t\t\t\to%d" % (i + 1, i))' >"$TMP/ev2/screen.tsv"
expect_exit 3 "$EG" eval "$TMP/ev2"
expect_err 'screen.tsv:258: field origin: more than 256 origins'
expect_out 'rows in error: 1 screen, 0 pairs'
grep -q '^    o255 ' "$TMP/out" || fail "eval: origin o255 not reported"
