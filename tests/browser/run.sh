#!/usr/bin/env bash
# run.sh BUILD - the web page in Debian's chromium, driven by playwright-core
# from npm (no browser download): starts `exportgate serve` on a free
# loopback port with a temporary store of the bundled lists and a key, runs
# page.test.js at 1280 px and 390 px, saves screenshots in BUILD/browser/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: run.sh BUILD}" && pwd)
EG="$build/exportgate"
command -v npm >/dev/null || { echo "skipped: npm is not installed"; exit 0; }
chrome=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chrome" ] || { echo "FAIL: no chromium at $chrome (scripts/deps.sh test)"; exit 1; }
(cd "$here" && npm ci --no-audit --no-fund --silent)
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
"$EG" --store "$tmp/s.db" --data "$root/data" import --bundled >/dev/null 2>&1
key=$("$EG" --store "$tmp/s.db" keys add browser --role admin 2>/dev/null)
"$EG" --store "$tmp/s.db" --data "$root/data" serve --listen 127.0.0.1:0 --web "$root/web" 2>"$tmp/serve.log" &
pid=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/serve.log"; echo "FAIL: the server did not start"; exit 1; }
mkdir -p "$build/browser"
BASE="http://127.0.0.1:$port" KEY="$key" OUT="$build/browser" CHROMIUM="$chrome" \
	PROFILE="$tmp/profile" node "$here/page.test.js"
kill -TERM "$pid"
wait "$pid"
pid=
