# cli.sh - the command on a PostgreSQL store: `store migrate`, import of
# the bundled lists, lists, screen, a server that sees another process's
# import, and the faults (a server that is down, a newer schema) as exit 4.
# Needs EG (the binary) and EG_TEST_PG_URI (tests/pg/run.sh sets it):
#   tests/pg/run.sh env EG=$PWD/build/exportgate bash tests/pg/cli.sh
. "$(dirname "$0")/lib.sh"

pg_database "eg_cli_$$"

# A reader never migrates: it says what to run.
expect_exit 4 "$EG" --store "$PG" lists
expect_err 'run `exportgate store migrate` first'
expect_exit 0 "$EG" --store "$PG" store migrate
expect_out '^store schema version 5, migrated from 0$'
expect_exit 0 "$EG" --store "$PG" store migrate
expect_out '^store schema version 5: up to date$'
expect_exit 2 "$EG" --store "$PG" store
expect_exit 2 "$EG" --store "$PG" store frobnicate

# Two importers at once (servers starting together): each publication is
# stored once, the loser of each race told it is already there.
"$EG" --store "$PG" import --bundled >"$TMP/imp1" 2>&1 & imp1=$!
"$EG" --store "$PG" import --bundled >"$TMP/imp2" 2>&1 & imp2=$!
wait $imp1 || { cat "$TMP/imp1" >&2; fail "the first importer failed"; }
wait $imp2 || { cat "$TMP/imp2" >&2; fail "the second importer failed"; }
[ "$(psql "$PG" -Atc 'SELECT count(*) FROM list_version')" = 8 ] ||
	fail "two importers stored a publication twice"
expect_exit 0 "$EG" --store "$PG" lists
expect_out '^us-ofac-sdn +[0-9]+ +2024-05-03 '
expect_out '^us-csl '
expect_exit 1 "$EG" --store "$PG" screen "Nicolas Maduro Moros"
expect_out 'MADURO MOROS, Nicolas'
# Indexes: built in memory, none written anywhere, unless
# EXPORTGATE_INDEX_DIR names a directory; then built once and mapped after.
expect_exit 1 env EXPORTGATE_INDEX_DIR="$TMP/idx" "$EG" --store "$PG" screen "Nicolas Maduro Moros"
ls "$TMP/idx"/*.egx >/dev/null 2>&1 || fail "no index file in EXPORTGATE_INDEX_DIR"
expect_exit 1 env EXPORTGATE_INDEX_DIR="$TMP/idx" "$EG" --store "$PG" screen "Nicolas Maduro Moros"
expect_out 'MADURO MOROS, Nicolas'
# Importing the same publications again adds nothing.
expect_exit 0 "$EG" --store "$PG" import --bundled
[ "$(psql "$PG" -Atc 'SELECT count(*) FROM list_version')" = 8 ] || fail "a second import added versions"

# A server on the store sees a version another process imports.
"$EG" --store "$PG" serve --listen 127.0.0.1:0 --no-auth >"$TMP/serve.out" 2>"$TMP/serve.err" &
srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; rm -rf "$TMP"' EXIT
port=""
for _ in $(seq 100); do
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve.err")
	[ -n "$port" ] && break
	kill -0 $srv 2>/dev/null || { cat "$TMP/serve.err" >&2; fail "the server exited"; }
	sleep 0.2
done
[ -n "$port" ] || { cat "$TMP/serve.err" >&2; fail "the server did not start"; }
get() { python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' "http://127.0.0.1:$port$1"; }
get /readyz | grep '"list_versions":8' >/dev/null || fail "the server does not answer from 8 versions"
expect_exit 0 "$EG" --store "$PG" import --source us-ofac-sdn --published 2025-01-01 tests/data/ofac_csv/good
new=$(sed -n 's/^us-ofac-sdn imported: version \([0-9]*\),.*/\1/p' "$TMP/out")
[ -n "$new" ] || { cat "$TMP/out" >&2; fail "no new version imported"; }
seen=""
for _ in $(seq 100); do   # announced by NOTIFY; up to 20 s on a loaded machine
	if get /readyz | grep "\"us-ofac-sdn\":$new[,}]" >/dev/null; then seen=1; break; fi
	sleep 0.2
done
[ -n "$seen" ] || fail "the server never saw the other process's import"
get /metrics | grep "^exportgate_list_version_current{source=\"us-ofac-sdn\"} $new\$" >/dev/null ||
	fail "/metrics does not say the server answers from version $new"
get "/v1/screen?name=BANCO+NACIONAL+DE+CUBA" | grep "\"version_id\":$new," >/dev/null ||
	fail "the server does not screen against the new version"
kill $srv; wait $srv 2>/dev/null

# The decision log in the store: two processes deciding at once append to
# one log, which verifies; the signing key is the file
# $EXPORTGATE_AUDIT_KEY names.
export EXPORTGATE_AUDIT_KEY="$TMP/audit.key"
for w in 1 2; do
	( for deal in docs/examples/deal-nso-2021-11-04.json docs/examples/deal-il-de-2021-12-01.json; do
		"$EG" --store "$PG" decide "$deal" >/dev/null 2>&1
		[ $? -le 1 ] || exit 1
	done ) &
	eval "writer$w=\$!"
done
wait "$writer1" || fail "the first decider failed"
wait "$writer2" || fail "the second decider failed"
expect_exit 0 "$EG" --store "$PG" audit verify
expect_out '"ok": true'
expect_out '"records": 4'
expect_exit 0 "$EG" --store "$PG" audit checkpoint
expect_exit 0 "$EG" --store "$PG" audit verify
expect_out '"checkpoint_verified": true'
unset EXPORTGATE_AUDIT_KEY

# A server that loses the database keeps screening from what it loaded,
# answers 503 for a decision (never an unlogged one), and recovers.
"$EG" --store "$PG" serve --listen 127.0.0.1:0 --no-auth >"$TMP/serve.out" 2>"$TMP/serve2.err" &
srv=$!
port=""
for _ in $(seq 100); do
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve2.err")
	[ -n "$port" ] && break
	sleep 0.2
done
[ -n "$port" ] || { cat "$TMP/serve2.err" >&2; fail "the second server did not start"; }
status() { # status METHOD PATH [BODY-FILE]: the HTTP status of one request
	python3 - "$@" <<'PY'
import sys, urllib.error, urllib.request
method, path = sys.argv[1], sys.argv[2]
body = open(sys.argv[3], "rb").read() if len(sys.argv) > 3 else None
req = urllib.request.Request("http://127.0.0.1:" + __import__("os").environ["port"] + path,
                             data=body, method=method,
                             headers={"Content-Type": "application/json"})
try:
    print(urllib.request.urlopen(req, timeout=30).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
}
export port
deal=docs/examples/deal-nso-2021-11-04.json
[ "$(status GET "/v1/screen?name=Nicolas+Maduro+Moros")" = 200 ] || fail "screen before the outage"
[ "$(status POST /v1/decide "$deal")" = 200 ] || fail "decide before the outage"
psql "$EG_TEST_PG_URI" -qc "ALTER DATABASE $db ALLOW_CONNECTIONS false" \
	-c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db'" >/dev/null
[ "$(status GET "/v1/screen?name=Nicolas+Maduro+Moros")" = 200 ] ||
	fail "screening stopped when the database went away"
[ "$(status POST /v1/decide "$deal")" = 503 ] || fail "a decision without its log was not 503"
psql "$EG_TEST_PG_URI" -qc "ALTER DATABASE $db ALLOW_CONNECTIONS true" >/dev/null
ok=""
for _ in $(seq 50); do
	if [ "$(status POST /v1/decide "$deal")" = 200 ]; then ok=1; break; fi
	sleep 0.2
done
[ -n "$ok" ] || fail "decisions did not come back with the database"
kill $srv; wait $srv 2>/dev/null

# Faults: exit 4, one clear line, nothing written.
down="postgresql://eg:secret@/eg?host=$TMP/no-server"
expect_exit 4 "$EG" --store "$down" lists
expect_err 'cannot connect'
grep -q secret "$TMP/err" && fail "the password was printed"
expect_exit 4 "$EG" --store "$down" import --bundled
expect_exit 4 "$EG" --store "$down" store migrate
psql "$PG" -qc "INSERT INTO schema_version (version) VALUES (99)" || fail "psql"
expect_exit 4 "$EG" --store "$PG" lists
expect_err 'schema version 99 is newer'
expect_exit 4 "$EG" --store "$PG" store migrate
psql "$EG_TEST_PG_URI" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
echo "ok"
