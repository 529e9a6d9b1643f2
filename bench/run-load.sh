#!/usr/bin/env bash
# run-load.sh - the server under load (issue 13, item 16): wrk with 64
# connections for DURATION seconds screening a mix of names, while a new
# version of the SDN is imported every IMPORT_EVERY seconds by another
# process (the bundled 2021 SDN with one made-up entry added, so each is new
# content). Prints the requests, the failed ones (non-2xx and socket
# errors: both must be 0), the versions imported and seen by the server,
# and the server's resident memory after the warm-up and at the end (flat
# within 5 % is the target). With an AddressSanitizer build, the server's
# exit report is checked for leaks.
#
# Usage: bench/run-load.sh [BUILD [DURATION [IMPORT_EVERY]]]
#        (defaults: build 600 60; run from the repository root)
set -euo pipefail

builddir=${1:-build}
secs=${2:-600}
every=${3:-60}
eg="./$builddir/exportgate"
. "$(dirname "$0")/lib.sh"
need wrk curl python3
[ -x "$eg" ] || { echo "run-load.sh: $eg not found: build first" >&2; exit 1; }

tmp=$(mktemp -d /tmp/eg-load.XXXXXX)
spid= ipid= mpid=
cleanup() {
	[ -n "$mpid" ] && kill "$mpid" 2>/dev/null
	[ -n "$ipid" ] && kill "$ipid" 2>/dev/null
	[ -n "$spid" ] && kill -TERM "$spid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT


"$eg" --store "$tmp/s.db" import --bundled >/dev/null 2>&1
key=$("$eg" --store "$tmp/s.db" keys add load --role admin 2>/dev/null)
port=$(free_port)
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	"$eg" --store "$tmp/s.db" serve --listen "127.0.0.1:$port" 2>"$tmp/serve.log" &
spid=$!
wait_ready "$port"

cat >"$tmp/mix.lua" <<'EOF'
local names = {"Nicolas%20Maduro%20Moros", "NSO%20Group", "Hamburg%20Logistik%20GmbH",
               "Positive%20Technologies", "Mohammed%20Ali", "Banco%20Nacional%20de%20Cuba",
               "Zzyzx%20Quorblat%20Trading%20LLC", "Osama%20bin%20Laden"}
local i = 0
request = function()
	i = i + 1
	return wrk.format("GET", "/v1/screen?name=" .. names[(i % #names) + 1])
end
EOF

# The importer: one new SDN version every $every seconds, each with a
# made-up entry of its own, published on successive past days.
mkdir -p "$tmp/sdn"
(
	n=0
	while sleep "$every"; do
		n=$((n + 1))
		d="$tmp/sdn/v$n"
		mkdir -p "$d"
		cp data/lists/ofac_sdn_2021-07/*.csv "$d/"
		tr -d '\032' <data/lists/ofac_sdn_2021-07/sdn.csv >"$d/sdn.csv" # the end-of-file mark
		printf '%d,"LOAD TEST ENTRY %d TRADING",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n' \
			$((990000 + n)) "$n" >>"$d/sdn.csv"
		pub=$(date -u -d "2025-01-01 + $n days" +%F)
		if "$eg" --store "$tmp/s.db" import --source us-ofac-sdn --published "$pub" "$d" \
			>>"$tmp/import.log" 2>&1; then
			echo ok >>"$tmp/imports"
		else
			echo failed >>"$tmp/imports"
		fi
	done
) &
ipid=$!

# warm-up: the indexes mapped, the caches filled
wrk -t2 -c64 -d5s -s "$tmp/mix.lua" -H "Authorization: Bearer $key" "http://127.0.0.1:$port" >/dev/null
r0=$(rss_kb "$spid")
# the server's resident memory every 10 s
( while sleep 10; do rss_kb "$spid" >>"$tmp/rss" || break; done ) &
mpid=$!
wrk -t2 -c64 -d"${secs}s" --latency -s "$tmp/mix.lua" -H "Authorization: Bearer $key" \
	"http://127.0.0.1:$port" >"$tmp/wrk.txt"
r1=$(rss_kb "$spid")
kill "$ipid" "$mpid" 2>/dev/null; wait "$ipid" "$mpid" 2>/dev/null || true
ipid= mpid=

reqs=$(awk '/requests in/ {print $1}' "$tmp/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/wrk.txt")
sockerr=$(awk '/Socket errors/ {print}' "$tmp/wrk.txt")
imported=$(grep -c ok "$tmp/imports" 2>/dev/null || true)
ifailed=$(grep -c failed "$tmp/imports" 2>/dev/null || true)
newest=$(curl -sf -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/screen?name=LOAD%20TEST%20ENTRY%20${imported:-0}%20TRADING" |
	python3 -c 'import json, sys; h = json.load(sys.stdin)["hits"]; print(h[0]["matched_name"] if h else "none")')
echo "== run-load: ${secs} s, 64 connections, an SDN import every ${every} s =="
printf '%-44s %s\n' "requests" "$reqs ($(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.txt") req/s)"
printf '%-44s %s\n' "latency p50 / p99" "$(awk '$1 == "50%" {print $2}' "$tmp/wrk.txt") / $(awk '$1 == "99%" {print $2}' "$tmp/wrk.txt")"
printf '%-44s %s\n' "non-2xx answers" "${non2xx:-0}"
printf '%-44s %s\n' "socket errors" "${sockerr:-none}"
printf '%-44s %s\n' "versions imported (failed)" "${imported:-0} (${ifailed:-0})"
printf '%-44s %s\n' "newest entry found by the server" "$newest"
printf '%-44s %s KB after warm-up, %s KB at the end (%+.1f %%)\n' "resident memory" "$r0" "$r1" \
	"$(awk -v a="$r0" -v b="$r1" 'BEGIN {print (b - a) * 100 / a}')"
# flat after the first import: the spread of the samples from then on
awk -v skip=$((every / 10 + 1)) 'NR > skip {if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1}
	END {if (min != "") printf "%-44s %d to %d KB (spread %.1f %%)\n", "resident memory after the first import", min, max, (max - min) * 100 / min}' "$tmp/rss"
printf '%-44s %s\n' "samples every 10 s (KB)" "$(tr '\n' ' ' <"$tmp/rss")"
kill -TERM "$spid"
wait "$spid" || true
spid=
if grep -q "LeakSanitizer\|ERROR: AddressSanitizer" "$tmp/serve.log"; then
	echo "sanitizer report at exit:"
	grep -A20 "LeakSanitizer\|ERROR: AddressSanitizer" "$tmp/serve.log" | head -40
	exit 1
fi
printf '%-44s %s\n' "sanitizer report at exit" "none"
