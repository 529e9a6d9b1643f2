# keys.sh - API keys and reviews on a PostgreSQL store, as on SQLite:
# `keys add/list/revoke` (the store holds the key's SHA-256, never the key),
# a review of a logged decision's hit (a log record, then a row; the next
# decision suppresses the hit), and `serve` checking keys (401 without one,
# 200 with one, 401 once revoked, 403 for a role the key lacks), also while
# the database is away (screening goes on for the keys it knew, decisions
# are 503).
# Needs EG (the binary) and EG_TEST_PG_URI (tests/pg/run.sh sets it):
#   tests/pg/run.sh env EG=$PWD/build/exportgate bash tests/pg/keys.sh
. "$(dirname "$0")/lib.sh"

pg_database "eg_keys_$$"
srv=""
cleanup() {
	[ -z "$srv" ] || { kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; }
	psql "$EG_TEST_PG_URI" -qc "ALTER DATABASE $db ALLOW_CONNECTIONS true" >/dev/null 2>&1
	psql "$EG_TEST_PG_URI" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
export EXPORTGATE_AUDIT_KEY="$TMP/audit.key"

expect_exit 0 "$EG" --store "$PG" store migrate
expect_exit 0 "$EG" --store "$PG" import --source us-csl --published 2022-05-16 \
	data/lists/us_csl_2022/consolidated.csv.gz

# --- keys ----------------------------------------------------------------
expect_exit 0 "$EG" --store "$PG" keys list
expect_out '^no key yet'
for spec in admin:admin screener:screen decider:decide reviewer:review gone:screen; do
	expect_exit 0 "$EG" --store "$PG" keys add "${spec%%:*}" --role "${spec#*:}"
	grep -qE '^egk_[0-9a-f]{64}$' "$TMP/out" || fail "keys add ${spec%%:*}: $(cat "$TMP/out")"
	eval "key_${spec%%:*}=\$(cat \"\$TMP/out\")"
done
# one key in force per name: exit 5 (EG_EEXISTS, as on SQLite), nothing added
expect_exit 5 "$EG" --store "$PG" keys add admin --role screen
expect_err 'key admin exists already'
[ "$(psql "$PG" -Atc 'SELECT count(*) FROM api_key')" = 5 ] || fail "a refused key was stored"
# the store holds the key's SHA-256 and its first 12 characters, never the key
[ "$(psql "$PG" -Atc "SELECT encode(sha256, 'hex') = encode(sha256(convert_to('$key_admin', 'UTF8')), 'hex')
	FROM api_key WHERE name = 'admin'")" = t ] || fail "the stored hash is not the key's SHA-256"
psql "$PG" -Atc 'SELECT * FROM api_key' | grep -q "$key_admin" && fail "the store holds a key"
expect_exit 0 "$EG" --store "$PG" keys list --json
python3 - "$TMP/out" <<'PY' || fail "keys list --json"
import json, sys
keys = json.load(open(sys.argv[1]))
keys = keys["keys"] if isinstance(keys, dict) else keys
assert [k["name"] for k in keys] == ["admin", "screener", "decider", "reviewer", "gone"], keys
assert all(not k["revoked"] for k in keys), keys
PY
expect_exit 0 "$EG" --store "$PG" keys revoke gone
expect_exit 3 "$EG" --store "$PG" keys revoke gone
expect_err 'no key in force named "gone"'
expect_exit 0 "$EG" --store "$PG" keys list
expect_out '^gone .* 20[0-9-]{8}T[0-9:]{8}Z +20[0-9-]{8}T[0-9:]{8}Z$'
expect_out '^admin .* 20[0-9-]{8}T[0-9:]{8}Z +-$'

# --- a review --------------------------------------------------------------
printf '{"date": "2021-12-01", "exporter": {"name": "X Ltd", "country": "IL"},
 "items": [{"classification": "4D004"}], "destination": "AE",
 "parties": [{"role": "end_user", "name": "NSO Group", "country": "AE", "type": "private"}],
 "end_use": {"statements": [], "flags": []}}\n' >"$TMP/deal.json"
expect_exit 1 "$EG" --store "$PG" decide "$TMP/deal.json"
expect_exit 0 "$EG" --store "$PG" audit show 0
cp "$TMP/out" "$TMP/rec"
uid=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["payload"]["decision"]
print(next(e["uid"] for r in d["reasons"] for e in r["evidence"] if e.get("kind") == "screening"))' "$TMP/rec") ||
	fail "no screening evidence in record 0"
expect_exit 3 "$EG" --store "$PG" review 0 --party 0 --entity nosuch --verdict false-positive --by analyst
expect_err 'raised no hit of entity nosuch'
[ "$(psql "$PG" -Atc 'SELECT count(*) FROM audit_record')" = 1 ] || fail "a refused review was logged"
expect_exit 0 "$EG" --store "$PG" review 0 --party 0 --entity "$uid" --verdict false-positive --by analyst --note test
expect_out '"record": "review"'
expect_out '"index": 1'
# the row names the log record that holds it
[ "$(psql "$PG" -Atc "SELECT verdict || ' ' || log_index FROM review WHERE uid = '$uid'")" = "false-positive 1" ] ||
	fail "the review's row: $(psql "$PG" -Atc 'SELECT * FROM review')"
"$EG" --store "$PG" decide "$TMP/deal.json" --json >"$TMP/out" 2>"$TMP/err"
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["suppressed_by_review"] and d["suppressed_by_review"][0]["uid"] == sys.argv[2], d["suppressed_by_review"]
assert all(e.get("uid") != sys.argv[2] for r in d["reasons"] for e in r["evidence"])' "$TMP/out" "$uid" ||
	fail "a reviewed false positive was raised again on PostgreSQL"
expect_exit 0 "$EG" --store "$PG" audit verify
expect_out '"ok": true'
expect_out '"records": 3'

# --- serve checks keys -------------------------------------------------------
"$EG" --store "$PG" serve --listen 127.0.0.1:0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
srv=$!
port=""
for _ in $(seq 150); do
	port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$TMP/serve.err")
	[ -n "$port" ] && break
	kill -0 $srv 2>/dev/null || { cat "$TMP/serve.err" >&2; fail "the server exited"; }
	sleep 0.2
done
[ -n "$port" ] || { cat "$TMP/serve.err" >&2; fail "the server did not start"; }
grep -q 'NO KEYS ARE CHECKED' "$TMP/serve.err" && fail "the server runs without keys"
export port
status() { # status METHOD PATH KEY [BODY-FILE]: the HTTP status of one request
	python3 - "$@" <<'PY'
import os, sys, urllib.error, urllib.request
method, path, key = sys.argv[1], sys.argv[2], sys.argv[3]
body = open(sys.argv[4], "rb").read() if len(sys.argv) > 4 else None
headers = {"Content-Type": "application/json"}
if key:
    headers["Authorization"] = "Bearer " + key
req = urllib.request.Request("http://127.0.0.1:" + os.environ["port"] + path, data=body,
                             method=method, headers=headers)
try:
    print(urllib.request.urlopen(req, timeout=30).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
}
screen="/v1/screen?name=NSO+Group"
[ "$(status GET "$screen" "")" = 401 ] || fail "a request without a key was not 401"
[ "$(status GET "$screen" "egk_0000")" = 401 ] || fail "a wrong key was not 401"
[ "$(status GET "$screen" "$key_gone")" = 401 ] || fail "a revoked key was not 401"
[ "$(status GET "$screen" "$key_screener")" = 200 ] || fail "the screener's key was refused"
[ "$(status GET /v1/whoami "$key_decider")" = 200 ] || fail "whoami with a key"
[ "$(status POST /v1/decide "$key_screener" "$TMP/deal.json")" = 403 ] ||
	fail "a screen key may decide"
[ "$(status POST /v1/decide "$key_decider" "$TMP/deal.json")" = 200 ] || fail "the decider's key was refused"
printf '{"decision": 0, "party": 0, "entity": "%s", "verdict": "true-match"}\n' "$uid" >"$TMP/review.json"
[ "$(status POST /v1/reviews "$key_reviewer" "$TMP/review.json")" = 201 ] || fail "a review through the API"
# a key revoked by another process is refused once the server's cache
# (1 s) has passed
expect_exit 0 "$EG" --store "$PG" keys revoke screener
sleep 1.5
[ "$(status GET "$screen" "$key_screener")" = 401 ] || fail "a key revoked meanwhile still works"
# a key added by another process works at once (nothing cached for it)
expect_exit 0 "$EG" --store "$PG" keys add screener --role screen
key_screener=$(cat "$TMP/out")
[ "$(status GET "$screen" "$key_screener")" = 200 ] || fail "a key added meanwhile is refused"

# The database away: screening goes on for the keys last read (past the
# cache), decisions are 503; without a key still 401.
psql "$EG_TEST_PG_URI" -qc "ALTER DATABASE $db ALLOW_CONNECTIONS false" \
	-c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db'" >/dev/null
sleep 1.5
[ "$(status GET "$screen" "$key_screener")" = 200 ] ||
	fail "screening with a key stopped when the database went away"
[ "$(status GET "$screen" "")" = 401 ] || fail "no key while the database is away was not 401"
grep -q 'keys in force when the store was last read' "$TMP/serve.err" ||
	{ cat "$TMP/serve.err" >&2; fail "the key check did not say it answered from the keys last read"; }
[ "$(status POST /v1/decide "$key_decider" "$TMP/deal.json")" = 503 ] ||
	fail "a decision without its log was not 503"
psql "$EG_TEST_PG_URI" -qc "ALTER DATABASE $db ALLOW_CONNECTIONS true" >/dev/null
ok=""
for _ in $(seq 50); do
	if [ "$(status POST /v1/decide "$key_decider" "$TMP/deal.json")" = 200 ]; then ok=1; break; fi
	sleep 0.2
done
[ -n "$ok" ] || fail "decisions did not come back with the database"
kill $srv; wait $srv 2>/dev/null; srv=""
expect_exit 0 "$EG" --store "$PG" audit verify
expect_out '"ok": true'
echo ok
