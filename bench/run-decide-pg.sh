#!/usr/bin/env bash
# run-decide-pg.sh - durable decisions logged through PostgreSQL from three
# processes at once (each an engine with T threads deciding, as three
# servers would: bench-decide --load-only), beside one process on
# PostgreSQL and one on SQLite, in the same run, on a throwaway server
# (tests/pg/run.sh). Every answer is given only once its log record is
# durable. Prints decisions/s of each and the log's growth (zero lost: it
# must equal the decisions answered; each process's one warm-up decision is
# logged too and not counted); then `exportgate audit verify`.
# Target (issue 14): three processes >= 2,000 decisions/s in all.
# BASELINE=DIR (another build's directory, e.g. of an older commit): its
# bench-decide's three processes too, alternating with this build's, twice
# each, on the same database, so that a change is measured in one run.
# Usage: [BASELINE=DIR] bench/run-decide-pg.sh [BUILD_DIR] [THREADS] [PER_THREAD]   (from the repository root)
set -eu
build=${1:-build}
threads=${2:-16}
per=${3:-100}
[ -x "$build/bench/bench-decide" ] || { echo "run-decide-pg.sh: build first (ninja -C $build)" >&2; exit 1; }
exec tests/pg/run.sh bash -c '
set -eu
build=$1 threads=$2 per=$3 baseline=$4
eg="$build/exportgate" bd="$build/bench/bench-decide"
tmp=$(mktemp -d)
trap "rm -rf \$tmp" EXIT
psql "$EG_TEST_PG_URI" -qc "CREATE DATABASE eg_bench" >/dev/null
base=${EG_TEST_PG_URI%%\?*}
pg="${base%/*}/eg_bench${EG_TEST_PG_URI#"$base"}"
export EXPORTGATE_AUDIT_KEY="$tmp/audit.key"
"$eg" --store "$pg" import --bundled >/dev/null 2>&1
"$eg" --store "$tmp/s.db" import --bundled >/dev/null 2>&1
echo "run-decide-pg: $(nproc) cores, $threads threads per process, $per decisions each"

# span FILE...: decisions/s over the span from the first start to the last
# end of the processes whose outputs are named.
span() { awk "/^span / { if (s == \"\" || \$2 < s) s = \$2; if (\$3 > e) e = \$3; n += \$4; f += \$5 }
	END { printf \"%d %.0f %d\", n, n / (e - s), f }" "$@"; }
# run K STORE [BENCH]: K processes at once on STORE; prints "decisions rate failed".
run() {
	local k=$1 store=$2 b=${3:-$bd} i
	rm -f "$tmp/go" "$tmp"/out.*
	for i in $(seq "$k"); do
		"$b" --exe "$eg" --store "$store" --load-only --go "$tmp/go" --threads "$threads" \
			--per-thread "$per" >"$tmp/out.$i" 2>"$tmp/err.$i" &
	done
	for i in $(seq "$k"); do
		until grep -q ready "$tmp/out.$i" 2>/dev/null; do sleep 0.05; done
	done
	touch "$tmp/go"
	wait
	span "$tmp"/out.*
}
size() { "$eg" --store "$1" audit verify | sed -n "s/.*\"records\": \([0-9]*\).*/\1/p"; }

b0=$(size "$pg")
read -r n3 r3 f3 <<<"$(run 3 "$pg")"
b1=$(size "$pg")
read -r n1 r1 f1 <<<"$(run 1 "$pg")"
b2=$(size "$pg")
s0=$(size "$tmp/s.db")
read -r ns rs fs <<<"$(run 1 "$tmp/s.db")"
s1=$(size "$tmp/s.db")
printf "%-46s %7s decisions/s  %6s decided  %6s logged  %s failed\n" \
	"3 processes on PostgreSQL at once:" "$r3" "$n3" "$((b1 - b0 - 3))" "$f3" \
	"1 process on PostgreSQL:" "$r1" "$n1" "$((b2 - b1 - 1))" "$f1" \
	"1 process on SQLite (the baseline):" "$rs" "$ns" "$((s1 - s0 - 1))" "$fs"
awk -v r="$r3" "BEGIN { printf \"target: 3 processes >= 2,000 decisions/s: %s\n\", (r >= 2000 ? \"met\" : \"NOT met\") }"
[ "$((b1 - b0 - 3))" -eq "$n3" ] && [ "$f3" -eq 0 ] || { echo "run-decide-pg: decisions lost" >&2; exit 1; }
"$eg" --store "$pg" audit verify | grep -q "\"ok\": true" || { echo "run-decide-pg: the log does not verify" >&2; exit 1; }
echo "the PostgreSQL log verifies: $b2 records"
if [ -n "$baseline" ]; then
	for round in 1 2; do
		read -r n r f <<<"$(run 3 "$pg")"
		printf "%-46s %7s decisions/s  %s failed\n" "3 processes, this build (round $round):" "$r" "$f"
		read -r n r f <<<"$(run 3 "$pg" "$baseline/bench/bench-decide")"
		printf "%-46s %7s decisions/s  %s failed\n" "3 processes, BASELINE (round $round):" "$r" "$f"
	done
	"$eg" --store "$pg" audit verify | grep -q "\"ok\": true" || { echo "run-decide-pg: the log does not verify" >&2; exit 1; }
	echo "the PostgreSQL log verifies: $(size "$pg") records"
fi
' _ "$build" "$threads" "$per" "${BASELINE:-}"
