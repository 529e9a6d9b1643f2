#!/usr/bin/env bash
# run-pg-switch.sh - the version switch on a PostgreSQL store: three servers
# answering from the bundled lists, each screened without a pause, another
# process importing a changed SDN publication (one name altered: a new
# version of 14,965 entities); prints the import's time, when each server's
# /readyz first names the new version and when each first answers a screen
# from it, counted from the import's return, the time until every server
# answers from it, and the slowest screen of each server meanwhile (a
# screen that waited for the new index to be built). Also the import of the bundled lists
# into PostgreSQL beside SQLite. On a throwaway server (tests/pg/run.sh).
# Usage: bench/run-pg-switch.sh [BUILDDIR]   (from the repository root)
set -eu
build=${1:-build}
[ -x "$build/exportgate" ] || { echo "run-pg-switch.sh: build first (ninja -C $build)" >&2; exit 1; }
exec tests/pg/run.sh bash -c '
set -eu
build=$1
tmp=$(mktemp -d)
trap "kill \$srv 2>/dev/null; wait; rm -rf \$tmp" EXIT
psql "$EG_TEST_PG_URI" -qc "CREATE DATABASE eg_bench" >/dev/null
base=${EG_TEST_PG_URI%%\?*}
pg="${base%/*}/eg_bench${EG_TEST_PG_URI#"$base"}"
s=$(date +%s.%N)
"$build/exportgate" --store "$pg" import --bundled >/dev/null 2>&1
e=$(date +%s.%N)
awk -v s="$s" -v e="$e" "BEGIN { printf \"import --bundled into PostgreSQL: %.2f s\\n\", e - s }"
s=$(date +%s.%N)
"$build/exportgate" --store "$tmp/s.db" import --bundled >/dev/null 2>&1
e=$(date +%s.%N)
awk -v s="$s" -v e="$e" "BEGIN { printf \"import --bundled into SQLite:     %.2f s\\n\", e - s }"
mkdir "$tmp/sdn"
sed "0,/MADURO MOROS/s/MADURO MOROS/MADURO MOROZ/" data/lists/ofac_sdn_2024-05/sdn.csv >"$tmp/sdn/sdn.csv"
for k in 0 1 2; do
	"$build/exportgate" --store "$pg" serve --listen 127.0.0.1:0 --no-auth 2>"$tmp/serve$k.err" &
	srv="${srv:-} $!"
done
ports=""
for k in 0 1 2; do
	for _ in $(seq 300); do grep -q "listening on" "$tmp/serve$k.err" && break; sleep 0.1; done
	ports="$ports $(sed -n "s/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p" "$tmp/serve$k.err")"
done
python3 - "$pg" "$build/exportgate" "$tmp/sdn" $ports <<PY
import json, subprocess, sys, threading, time, urllib.request
uri, eg, sdn = sys.argv[1:4]
ports = sys.argv[4:]
def get(port, p):
    return json.loads(urllib.request.urlopen("http://127.0.0.1:" + port + p, timeout=60).read())
def new_hit(hits):
    # the SDN's listing: a hit, or another listing of the CSL's hit that repeats it
    return any(x["primary_name"] == "MADURO MOROZ, Nicolas"
               for h in hits for x in [h] + h.get("also_in", []))
for port in ports:
    get(port, "/v1/screen?name=Nicolas+Maduro+Moros")
old = get(ports[0], "/readyz")["current"]["us-ofac-sdn"]
stop = threading.Event()
screens = {p: [] for p in ports}   # (end, seconds, from the new version)
def load(port):
    while not stop.is_set():
        s = time.time()
        hits = get(port, "/v1/screen?name=Nicolas+Maduro+Moros")["hits"]
        e = time.time()
        screens[port].append((e, e - s, new_hit(hits)))
        time.sleep(0.005)
threads = [threading.Thread(target=load, args=(p,)) for p in ports]
for t in threads:
    t.start()
time.sleep(0.5)
t0 = time.time()
subprocess.run([eg, "--store", uri, "import", "--source", "us-ofac-sdn", "--published",
                "2026-06-01", sdn], check=True, capture_output=True)
t1 = time.time()
ready = {}
while len(ready) < len(ports) and time.time() - t1 < 60:
    for port in ports:
        if port not in ready and get(port, "/readyz")["current"]["us-ofac-sdn"] != old:
            ready[port] = time.time() - t1
    time.sleep(0.005)
while time.time() - t1 < 60 and not all(any(n for _, _, n in screens[p]) for p in ports):
    time.sleep(0.01)
time.sleep(0.3)
stop.set()
for t in threads:
    t.join()
print(f"import of the changed SDN (14,965 entities): {t1 - t0:.2f} s")
first = {p: min(e for e, _, n in screens[p] if n) - t1 for p in ports}
worst = {p: max(d for e, d, _ in screens[p] if e >= t0) for p in ports}
print("/readyz names the new version, per server: " +
      ", ".join(f"{ready[p]:.3f}" for p in ports) + " s after the import returned")
print("first screen answered from it, per server:  " +
      ", ".join(f"{first[p]:.3f}" for p in ports) + " s after the import returned")
print(f"every server answering from the new version: {max(first.values()):.3f} s after the import returned")
print("slowest screen during the switch, per server: " +
      ", ".join(f"{worst[p] * 1000:.0f}" for p in ports) + " ms")
PY
' _ "$build"
