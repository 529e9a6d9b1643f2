# lib.sh - shared by the PostgreSQL test scripts: the CLI tests' helpers,
# and a database of the script's own on the server tests/pg/run.sh started.
. "$(dirname "$0")/../cli/lib.sh"
: "${EG_TEST_PG_URI:?tests/pg/run.sh sets it}"

# pg_database NAME: creates database NAME and sets db to it and PG to its
# URI (the one given, "scheme://auth/DB?params", with DB replaced).
pg_database() {
	db=$1
	psql "$EG_TEST_PG_URI" -qc "CREATE DATABASE $db" >/dev/null || fail "cannot create $db"
	base=${EG_TEST_PG_URI%%\?*}
	query=${EG_TEST_PG_URI#"$base"}
	PG="${base%/*}/$db$query"
}
