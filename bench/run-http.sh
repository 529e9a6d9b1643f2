#!/usr/bin/env bash
# run-http.sh - the HTTP API under wrk on loopback, beside nginx serving a
# static file of the same size, in one run (issue 11's targets).
#
# Usage: bench/run-http.sh [BUILDDIR] [SECONDS]   (from the repository root)
#
#  1. startup: `exportgate serve` with every bundled list, from exec to the
#     first 200 of /readyz and to the first answered /v1/screen (indexes
#     mapped or built);
#  2. GET /v1/screen?name=NSO%20Group at 64 connections for SECONDS (20);
#     beside it nginx (Debian's package, started here on a loopback port
#     with a throwaway configuration) serving a file of exactly the bytes
#     of that answer; resident memory of the server before and after;
#  3. POST /v1/decide (a 1-party deal, logged durably) at 64 connections.
set -euo pipefail

builddir=${1:-build}
secs=${2:-20}
eg="./$builddir/exportgate"
. "$(dirname "$0")/lib.sh"
need wrk nginx curl
[ -x "$eg" ] || { echo "run-http.sh: $eg not found: build first" >&2; exit 1; }

tmp=$(mktemp -d /tmp/eg-bench-http.XXXXXX)
chmod 0755 "$tmp"
spid= npid=
cleanup() {
	[ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null
	[ -n "$npid" ] && kill -QUIT "$npid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT


"$eg" --store "$tmp/s.db" import --bundled >/dev/null 2>&1
key=$("$eg" --store "$tmp/s.db" keys add bench --role admin 2>/dev/null)
port=$(free_port)

# 1. startup: the first start builds and saves the indexes, later ones map them
start() { # sets spid and ms: from exec to /readyz 200
	local t0
	t0=$(now_ms)
	"$eg" --store "$tmp/s.db" serve --listen "127.0.0.1:$port" 2>>"$tmp/serve.log" &
	spid=$!
	wait_ready "$port"
	ms=$(($(now_ms) - t0))
}
echo "== bench-http: every bundled list; wrk on loopback, 64 connections, ${secs} s =="
start
printf '%-48s %8s\n' "first start: exec to /readyz 200 (indexes built)" "$ms ms"
kill -TERM "$spid"; wait "$spid" || true
start
printf '%-48s %8s\n' "later start: exec to /readyz 200 (indexes mapped)" "$ms ms"
q="http://127.0.0.1:$port/v1/screen?name=NSO%20Group"
curl -sf -H "Authorization: Bearer $key" "$q" >"$tmp/answer.json"

# nginx serving a file of the same size, on its own port
nport=$(free_port)
mkdir -p "$tmp/www" "$tmp/ngx"
cp "$tmp/answer.json" "$tmp/www/answer.json"
cat >"$tmp/ngx/nginx.conf" <<EOF
worker_processes 2;
pid $tmp/ngx/nginx.pid;
error_log $tmp/ngx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $tmp/ngx/body;
	proxy_temp_path $tmp/ngx/proxy;
	fastcgi_temp_path $tmp/ngx/fastcgi;
	uwsgi_temp_path $tmp/ngx/uwsgi;
	scgi_temp_path $tmp/ngx/scgi;
	server {
		listen 127.0.0.1:$nport;
		location / { root $tmp/www; default_type application/json; }
	}
}
EOF
nginx -c "$tmp/ngx/nginx.conf" -g 'daemon off;' 2>"$tmp/ngx/stderr" &
npid=$!
until curl -sf "http://127.0.0.1:$nport/answer.json" >/dev/null 2>&1; do sleep 0.01; done

# 2. GET /v1/screen beside nginx
# warm: every thread of the pool has answered (each has its malloc arena)
# before the memory is read
wrk -t2 -c64 -d2s -H "Authorization: Bearer $key" "$q" >/dev/null
r0=$(rss_kb "$spid")
wrk -t2 -c64 -d"${secs}s" --latency -H "Authorization: Bearer $key" "$q" >"$tmp/wrk-screen.txt"
r1=$(rss_kb "$spid")
wrk -t2 -c64 -d"${secs}s" --latency "http://127.0.0.1:$nport/answer.json" >"$tmp/wrk-nginx.txt"
row() { # label file
	local rps p99 errs
	rps=$(awk '/^Requests\/sec/ {print $2}' "$2")
	p99=$(awk '$1 == "99%" {print $2}' "$2")
	errs=$(awk '/Non-2xx|Socket errors/ {print}' "$2" | tr '\n' ' ')
	printf '%-48s %12s req/s  p99 %8s  %s\n' "$1" "$rps" "$p99" "${errs:-0 errors}"
}
row "GET /v1/screen (NSO Group, $(wc -c <"$tmp/answer.json") bytes)" "$tmp/wrk-screen.txt"
row "baseline: nginx, a static file of those bytes" "$tmp/wrk-nginx.txt"
printf '%-48s %8s KB before, %s KB after (%+.1f %%)\n' "exportgate serve resident memory" "$r0" "$r1" \
	"$(awk -v a="$r0" -v b="$r1" 'BEGIN {print (b - a) * 100 / a}')"

# 3. POST /v1/decide, every decision logged durably
cat >"$tmp/decide.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"date": "2022-06-01", "exporter": {"name": "Bench Ltd", "country": "US"}, "items": [{"classification": "4D004"}], "destination": "DE", "parties": [{"role": "end_user", "name": "Hamburg Logistik GmbH", "country": "DE", "type": "private"}], "end_use": {"statements": [], "flags": []}}'
EOF
before=$(curl -sf -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/audit?limit=1" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["size"])')
wrk -t2 -c64 -d"${secs}s" --latency -s "$tmp/decide.lua" -H "Authorization: Bearer $key" \
	"http://127.0.0.1:$port/v1/decide" >"$tmp/wrk-decide.txt"
after=$(curl -sf -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/audit?limit=1" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["size"])')
row "POST /v1/decide (logged durably)" "$tmp/wrk-decide.txt"
printf '%-48s %8s records\n' "decision log grew by" "$((after - before))"
