# refresh.sh - `exportgate refresh` against a local HTTP server
# (tests/refresh/server.py) serving the bundled files, a changed file, a
# 304, a 500, a redirect loop, a stall, a truncated file, oversized files,
# files of the wrong format and one with under half the entries: for each
# the exit code, the message, the attempts log and the versions kept.
. "$(dirname "$0")/lib.sh"

WWW=$TMP/www
mkdir -p "$WWW/ok/us-bis-dpl" "$WWW/ok/us-ofac-cons" "$WWW/changed/us-bis-dpl" \
	"$WWW/half/us-bis-dpl" "$WWW/wrong/us-bis-dpl" "$WWW/wrongfmt/uk-hmt"
cp data/lists/us_bis_dpl_2023-11/dpl.txt "$WWW/ok/us-bis-dpl/"
cp data/lists/ofac_cons_2025-12/*.csv "$WWW/ok/us-ofac-cons/"
# one address changed
sed '2s/FCI SEAGOVILLE, /FCI SEAGOVILLE EAST, /' data/lists/us_bis_dpl_2023-11/dpl.txt >"$WWW/changed/us-bis-dpl/dpl.txt"
cmp -s "$WWW/ok/us-bis-dpl/dpl.txt" "$WWW/changed/us-bis-dpl/dpl.txt" && fail "the changed file is not changed"
# the first 150 lines: well under half of the 547 entities
head -n 150 data/lists/us_bis_dpl_2023-11/dpl.txt >"$WWW/half/us-bis-dpl/dpl.txt"
# an error page where the list should be, and a list of another source
printf '<!DOCTYPE html>\n<html><body>Page moved</body></html>\n' >"$WWW/wrong/us-bis-dpl/dpl.txt"
cp data/lists/us_csl_2022/consolidated.csv.gz "$WWW/wrongfmt/uk-hmt/ConList.csv"

python3 tests/refresh/server.py "$WWW" "$TMP/port" "$TMP/requests" 2>"$TMP/server.err" &
SRV=$!
SP=
TLS=
trap 'kill $SRV $SP $TLS 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || { cat "$TMP/server.err" >&2; fail "the test server did not start"; }
B="http://127.0.0.1:$(cat "$TMP/port")"
R="$EG refresh --work-dir $TMP/refresh-work"

# versions: the number of list versions in the store
versions() { "$EG" lists --json | grep -c '"id"'; }
# last_log: the newest line of the attempts log
last_log() { "$EG" refresh --log --limit 1 >"$TMP/log" && cat "$TMP/log"; }

expect_exit 0 "$EG" refresh --help
expect_out 'usage: exportgate refresh'
expect_exit 2 $R --stall forever
expect_exit 2 $R --bogus
expect_exit 3 $R --source no-such-source --url-base "$B/ok/"
expect_err 'no-such-source.*has no download'
expect_exit 3 $R --source us-bis-dpl --url-base "ftp://127.0.0.1/"

# the bundled files: imported, one line per source
expect_exit 0 $R --source us-bis-dpl --source us-ofac-cons --url-base "$B/ok/"
expect_out '^us-bis-dpl: imported version=1 http=200 bytes=170618 '
expect_out '^us-ofac-cons: imported version=2 http=200 bytes=353975 '
[ "$(versions)" -eq 2 ] || fail "two versions expected"

# again: a conditional request for every file, answered 304
expect_exit 0 $R --source us-bis-dpl --source us-ofac-cons --url-base "$B/ok/"
expect_out '^us-bis-dpl: not-modified version=1 http=304 bytes=0 '
expect_out '^us-ofac-cons: not-modified version=2 http=304 '
[ "$(grep -c 'GET /ok/us-ofac-cons/.* INM="' "$TMP/requests")" -eq 4 ] ||
	fail "not every file of us-ofac-cons was asked with If-None-Match"
last_log | grep -qE '^[0-9]+ [0-9TZ:-]{20} us-ofac-cons not-modified version=2 http=304 .*etag="[0-9a-f]{16}",' ||
	fail "the attempts log lacks the 304: $(cat "$TMP/log")"

# the same bytes without ETag (no condition): the digest says unchanged
expect_exit 0 $R --source us-bis-dpl --url-base "$B/noetag/"
expect_out '^us-bis-dpl: unchanged version=1 http=200 bytes=170618 '
[ "$(versions)" -eq 2 ] || fail "an unchanged download added a version"

# failures: exit 7, the source, URL and cause named; the versions stay
check_failed() { # URL-PART PATTERN
	expect_out "^us-bis-dpl: failed .*reason: $B/$1/us-bis-dpl/dpl.txt: $2"
	expect_err "refresh us-bis-dpl: failed: $B/$1/us-bis-dpl/dpl.txt: $2"
	last_log | grep -qE "us-bis-dpl failed .*url=$B/$1/us-bis-dpl/dpl.txt reason: .*$2" ||
		fail "the attempts log lacks the failure: $(cat "$TMP/log")"
	[ "$(versions)" -eq 2 ] || fail "a failed refresh changed the versions"
	[ -z "$(ls "$TMP/refresh-work" | grep -v '^held$')" ] || fail "a failed download was left behind"
}
expect_exit 7 $R --source us-bis-dpl --url-base "$B/500/"
check_failed 500 'HTTP 500'
expect_out 'http=500'
expect_exit 7 $R --source us-bis-dpl --url-base "$B/loop/"
check_failed loop 'more than 5 redirects \(a redirect loop\?\)'
expect_exit 7 $R --source us-bis-dpl --url-base "$B/stall/" --stall 2s
check_failed stall 'stalled: under 1 bytes a second for 2 s'
expect_exit 7 $R --source us-bis-dpl --url-base "$B/truncated/"
check_failed truncated 'truncated: 85309 of the 170618 bytes announced'
expect_exit 7 $R --source us-bis-dpl --url-base "$B/noetag/" --max-bytes 100000
check_failed noetag 'larger than the cap of 100000 bytes \(announced\)'
expect_exit 7 $R --source us-bis-dpl --url-base "$B/bigstream/" --max-bytes 100000
check_failed bigstream 'larger than the cap of 100000 bytes$'
expect_exit 7 $R --source us-bis-dpl --url-base "$B/wrong/"
check_failed wrong 'the download is not a list format exportgate reads \(expected bis-dpl; an error page\?\)'
expect_exit 7 $R --source uk-hmt --url-base "$B/wrongfmt/"
expect_out "^uk-hmt: failed .*reason: $B/wrongfmt/uk-hmt/ConList.csv: the download is in format csl-csv, not one uk-hmt is published in \(uk-conlist-csv expected\)"
[ "$(versions)" -eq 2 ] || fail "a download of the wrong format added a version"

# one source failing does not stop the others; the exit code says so
expect_exit 7 $R --source us-ofac-cons --source us-bis-dpl --url-base "$B/500/"
expect_out '^us-ofac-cons: failed '
expect_out '^us-bis-dpl: failed '
# the log of a source of four files names the four URLs, the first failing
expect_exit 0 "$EG" refresh --log --source us-ofac-cons --limit 1
expect_out "us-ofac-cons failed .*url=$B/500/us-ofac-cons/cons_prim.csv,$B/500/us-ofac-cons/cons_add.csv,$B/500/us-ofac-cons/cons_alt.csv,$B/500/us-ofac-cons/cons_comments.csv reason: $B/500/us-ofac-cons/cons_prim.csv: HTTP 500"

# under half the entities: held, kept, not imported (exit 8)
expect_exit 8 $R --source us-bis-dpl --url-base "$B/half/"
expect_out '^us-bis-dpl: held .*held='"$TMP"'/refresh-work/held/us-bis-dpl-[0-9]{8}T[0-9]{6}Z-[A-Za-z0-9]{6}/dpl.txt'
expect_out 'reason: [0-9]+ entities, under the 274 required \(half of version 1.s 547\): held for review, not imported; to import it anyway: exportgate import --source us-bis-dpl '
expect_err 'refresh us-bis-dpl: held: '
[ "$(versions)" -eq 2 ] || fail "a held publication was imported"
held=$(sed -n 's/.* held=\([^ ]*\) .*/\1/p' "$TMP/out")
cmp -s "$held" "$WWW/half/us-bis-dpl/dpl.txt" || fail "the held file is not the download"
last_log | grep -qE "us-bis-dpl held .*held=$held reason: " || fail "the attempts log lacks the hold"

# a changed file is imported (asked without a condition: its URL is not
# the one of the last accepted download), then answered 304
: >"$TMP/requests"
expect_exit 0 $R --source us-bis-dpl --url-base "$B/changed/"
expect_out '^us-bis-dpl: imported version=3 http=200 '
grep -q 'INM="' "$TMP/requests" && fail "a new URL was asked with a condition of another"
[ "$(versions)" -eq 3 ] || fail "the changed file was not imported"
expect_exit 0 "$EG" lists diff us-bis-dpl --summary
expect_out '0 added, 0 removed, 1 changed'
expect_exit 0 $R --source us-bis-dpl --url-base "$B/changed/"
expect_out '^us-bis-dpl: not-modified version=3 http=304 '

# the operator imports the held file by hand
expect_exit 0 "$EG" import --source us-bis-dpl "$held"
expect_out 'us-bis-dpl imported: version 4'

# the log: newest first, per source, as JSON
expect_exit 0 "$EG" refresh --log --source us-ofac-cons
[ "$(grep -c ' us-ofac-cons ' "$TMP/out")" -eq 3 ] || fail "us-ofac-cons has 3 attempts"
grep -q ' us-bis-dpl ' "$TMP/out" && fail "--log --source shows another source"
expect_exit 0 "$EG" refresh --log --json --limit 2
expect_out '"outcome": "imported"'
expect_out '"http_status": 304'
[ "$(grep -c '"id"' "$TMP/out")" -eq 2 ] || fail "--limit 2"

# a source of several files where one changed: that one answers 200, the
# others 304 and are fetched again whole; the publication is imported
sed '1s/ (Russia); / (Russian Federation); /' data/lists/ofac_cons_2025-12/cons_comments.csv \
	>"$WWW/ok/us-ofac-cons/cons_comments.csv"
: >"$TMP/requests"
expect_exit 0 $R --source us-ofac-cons --url-base "$B/ok/"
expect_out '^us-ofac-cons: imported version=5 http=200 '
[ "$(grep -c 'GET /ok/us-ofac-cons/cons_prim.csv INM=$' "$TMP/requests")" -eq 1 ] ||
	fail "cons_prim.csv (answered 304) was not fetched again without a condition"
expect_exit 0 "$EG" lists diff us-ofac-cons --summary
expect_out '0 added, 0 removed, 1 changed'

# TLS is verified: a server whose certificate no authority signed fails
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1 || fail "openssl req"
python3 tests/refresh/server.py "$WWW" "$TMP/tlsport" "$TMP/requests" "$TMP/cert.pem" \
	"$TMP/key.pem" 2>"$TMP/tls.err" &
TLS=$!
for _ in $(seq 100); do [ -s "$TMP/tlsport" ] && break; sleep 0.1; done
[ -s "$TMP/tlsport" ] || { cat "$TMP/tls.err" >&2; fail "the TLS test server did not start"; }
T="https://127.0.0.1:$(cat "$TMP/tlsport")"
expect_exit 7 $R --source us-bis-dpl --url-base "$T/ok/"
expect_out "^us-bis-dpl: failed .*reason: $T/ok/us-bis-dpl/dpl.txt: TLS: the server could not be verified"
kill $TLS
[ "$(versions)" -eq 5 ] || fail "a refresh from an unverified server changed the versions"

# serve --refresh: refreshes in the background at start and every 1 s; a
# new version is imported and answered from; a failure is logged on stderr
# and in the attempts log, and the server goes on answering
serve_log() { # PATTERN: waits (at most 30 s) for PATTERN in the server's stderr
	for _ in $(seq 300); do grep -qE -- "$1" "$TMP/serve.log" && return 0; sleep 0.1; done
	cat "$TMP/serve.log" >&2
	fail "serve never logged /$1/"
}
get() { # PATH: the server's answer, or a failure
	python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
		"http://127.0.0.1:$port$1" >"$TMP/get" || fail "GET $1 failed"
}
mkdir -p "$WWW/changed2/us-bis-dpl"
sed '2s/FCI SEAGOVILLE, /FCI SEAGOVILLE WEST, /' data/lists/us_bis_dpl_2023-11/dpl.txt >"$WWW/changed2/us-bis-dpl/dpl.txt"
"$EG" serve --listen 127.0.0.1:0 --no-auth --refresh 1s --refresh-source us-bis-dpl \
	--refresh-url-base "$B/changed2/" 2>"$TMP/serve.log" &
SP=$!
serve_log 'refresh us-bis-dpl: imported \(version 6\)'
serve_log 'refresh us-bis-dpl: not-modified \(version 6\)'
port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/serve.log")
get /v1/lists
grep -q '"id": *6' "$TMP/get" || { cat "$TMP/get" >&2; fail "the server does not show version 6"; }
kill -TERM "$SP"
wait "$SP" || fail "serve --refresh did not stop cleanly"
SP=

"$EG" serve --listen 127.0.0.1:0 --no-auth --refresh 1s --refresh-source us-bis-dpl \
	--refresh-url-base "$B/500/" 2>"$TMP/serve.log" &
SP=$!
serve_log "refresh us-bis-dpl: failed: $B/500/us-bis-dpl/dpl.txt: HTTP 500"
serve_log 'listening on'
port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$TMP/serve.log")
get /healthz
kill -TERM "$SP"
wait "$SP" || fail "serve --refresh did not stop cleanly after a failed refresh"
SP=
[ "$(versions)" -eq 6 ] || fail "a failed background refresh changed the versions"
last_log | grep -qE "us-bis-dpl failed .*reason: $B/500/us-bis-dpl/dpl.txt: HTTP 500" ||
	fail "the attempts log lacks the server's failed refresh"

# SIGTERM during a stalled download: the download is abandoned, logged as
# cancelled, and the server stops
: >"$TMP/requests"
"$EG" serve --listen 127.0.0.1:0 --no-auth --refresh 1h --refresh-source us-bis-dpl \
	--refresh-url-base "$B/stall/" 2>"$TMP/serve.log" &
SP=$!
serve_log 'listening on'
for _ in $(seq 300); do grep -q 'GET /stall/' "$TMP/requests" && break; sleep 0.1; done
kill -TERM "$SP"
wait "$SP" || fail "serve did not stop cleanly during a refresh"
SP=
grep -qE "refresh us-bis-dpl: failed: $B/stall/us-bis-dpl/dpl.txt: cancelled after " "$TMP/serve.log" ||
	{ cat "$TMP/serve.log" >&2; fail "the stalled refresh was not cancelled at SIGTERM"; }
exit 0
