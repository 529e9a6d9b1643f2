#!/usr/bin/env bash
# run-pg-switch.sh - the version switch on a PostgreSQL store: a server
# answering from the bundled lists, another process importing a changed SDN
# publication (one name altered: a new version of 14,965 entities); prints
# the import's time, when /readyz first names the new version (the NOTIFY
# seen) and when a screen is first answered from it (its index built), each
# counted from the import's return. Also the import of the bundled lists
# into PostgreSQL beside SQLite. On a throwaway server (tests/pg/run.sh).
# Usage: bench/run-pg-switch.sh [BUILDDIR]   (from the repository root)
set -eu
build=${1:-build}
[ -x "$build/exportgate" ] || { echo "run-pg-switch.sh: build first (ninja -C $build)" >&2; exit 1; }
exec tests/pg/run.sh bash -c '
set -eu
build=$1
tmp=$(mktemp -d)
trap "kill \$srv 2>/dev/null; rm -rf \$tmp" EXIT
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
"$build/exportgate" --store "$pg" serve --listen 127.0.0.1:0 --no-auth 2>"$tmp/serve.err" &
srv=$!
for _ in $(seq 100); do grep -q "listening on" "$tmp/serve.err" && break; sleep 0.1; done
port=$(sed -n "s/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p" "$tmp/serve.err")
python3 - "$port" "$pg" "$build/exportgate" "$tmp/sdn" <<PY
import json, subprocess, sys, time, urllib.request
port, uri, eg, sdn = sys.argv[1:5]
def get(p):
    return json.loads(urllib.request.urlopen("http://127.0.0.1:" + port + p, timeout=60).read())
get("/v1/screen?name=Nicolas+Maduro+Moros")
old = get("/readyz")["current"]["us-ofac-sdn"]
t0 = time.time()
subprocess.run([eg, "--store", uri, "import", "--source", "us-ofac-sdn", "--published",
                "2026-06-01", sdn], check=True, capture_output=True)
t1 = time.time()
while get("/readyz")["current"]["us-ofac-sdn"] == old:
    time.sleep(0.005)
t2 = time.time()
hits = get("/v1/screen?name=Nicolas+Maduro+Moros")["hits"]
t3 = time.time()
# the SDN's listing: a hit, or another listing of the CSL's hit that repeats it
assert any(x["primary_name"] == "MADURO MOROZ, Nicolas"
           for h in hits for x in [h] + h.get("also_in", [])), hits
print(f"import of the changed SDN (14,965 entities): {t1 - t0:.2f} s")
print(f"/readyz names the new version: {t2 - t1:.3f} s after the import returned")
print(f"first screen answered from it (index built): {t3 - t1:.2f} s after the import returned")
PY
' _ "$build"
