#!/usr/bin/env bash
# run-batch-pg.sh - batch screening through PostgreSQL workers (`exportgate
# batch work`) beside `exportgate screen --batch` on the same rows from a
# local CSV file, in the same run, on a throwaway server (tests/pg/run.sh),
# every bundled list. Prints rows/s of each (screening only: both figures
# leave out loading the lists' indexes), the ratio to the CSV baseline
# (target >= 80 %), and 2 workers against 1 (target >= 1.8x; a 2-core
# machine shared with other work shows what it can).
# The N rows (default 100,000) are made as bench/run-batch.sh makes them,
# from the eval set's queries (seed 7).
# Each configuration runs ROUNDS (default 2) times, alternating; the best
# of each is printed.
# CHUNK (default 1000): parties per chunk.
# Usage: [ROUNDS=2] [CHUNK=1000] bench/run-batch-pg.sh [BUILD_DIR] [N] [EVAL_DIR]   (from the repository root)
set -eu
build=${1:-build}
n=${2:-100000}
eval_dir=${3:-../shared/eval}
rounds=${ROUNDS:-2}
chunk=${CHUNK:-1000}
[ -x "$build/exportgate" ] || { echo "run-batch-pg.sh: build first (ninja -C $build)" >&2; exit 1; }
exec tests/pg/run.sh bash -c '
set -eu
build=$1 n=$2 eval_dir=$3 rounds=$4 chunk=$5
eg="$build/exportgate"
tmp=$(mktemp -d)
trap "rm -rf \$tmp" EXIT
psql "$EG_TEST_PG_URI" -qc "CREATE DATABASE eg_bench" >/dev/null
base=${EG_TEST_PG_URI%%\?*}
pg="${base%/*}/eg_bench${EG_TEST_PG_URI#"$base"}"
python3 - "$eval_dir/screen.tsv" "$tmp/names.csv" "$n" <<PY
import csv, random, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(7)
with open(src, encoding="utf-8") as f:
    rows = list(csv.reader(f, delimiter="\t"))[1:]
names = [r[2] for r in rows]
words = [w for q in names for w in q.split()]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "name"])
    for i in range(n):
        if i % 3 == 0:
            name = random.choice(names)
        else:
            name = " ".join(random.choice(words) for _ in range(random.randint(2, 4)))
        w.writerow([i + 1, name])
PY
"$eg" --store "$pg" import --bundled >/dev/null
psql "$pg" -qc "CREATE TABLE parties (id bigint PRIMARY KEY, name text)" \
	-c "\\copy parties FROM $tmp/names.csv WITH (FORMAT csv, HEADER true)"
rate() { sed -n "s/.* \([0-9][0-9]*\) rows\/s\$/\1/p" "$1" | tail -1; }
echo "run-batch-pg: $n rows, every bundled list, $(nproc) cores, best of $rounds rounds, chunks of $chunk"

# CPU seconds: of a command (/usr/bin/time -f "%U %S"), and of every
# PostgreSQL process that exited (children the postmaster reaped), in
# clock ticks.
cpu() { tail -1 "$1" | awk "{ printf \"%.2f\n\", \$1 + \$2 }"; }
pm=$(head -1 "$EG_TEST_PG_DIR/data/postmaster.pid")
dbcpu() { awk "{ print \$16 + \$17 }" "/proc/$pm/stat"; }
hz=$(getconf CLK_TCK)
# Until the backends of the worker have exited (and so been reaped).
settle() {
	until [ "$(psql "$pg" -Atc "SELECT count(*) FROM pg_stat_activity
		WHERE application_name = \$\$exportgate\$\$")" = 0 ]; do sleep 0.05; done
}
# Indexes built once and mapped after, so that the CPU of every run is its
# screening, not building the indexes of the lists again.
export EXPORTGATE_INDEX_DIR="$tmp/idx"
# Each configuration ROUNDS times, alternating, the best of each kept:
# this machine is shared, and its load changes from second to second.
best() { sort -n | tail -1; }
run() { "$eg" --store "$pg" batch enqueue --chunk "$chunk" | sed -n "s/^batch run \([0-9]*\):.*/\1/p"; }
for round in $(seq "$rounds"); do
	# The baseline: the same rows from a local CSV, 2 threads and 1.
	for t in 2 1; do
		rc=0
		d0=$(dbcpu)
		/usr/bin/time -f "%U %S" -o "$tmp/time" "$eg" --store "$pg" screen --batch \
			"$tmp/names.csv" --column name --threads $t --out "$tmp/hits.csv" 2>"$tmp/e" || rc=$?
		[ "$rc" -le 1 ] || { cat "$tmp/e" >&2; exit 1; }
		settle
		d1=$(dbcpu)
		rate "$tmp/e" >>"$tmp/csv$t"
		cpu "$tmp/time" >>"$tmp/csvcpu$t"
		echo $((d1 - d0)) >>"$tmp/csvdb$t"
		# Through PostgreSQL: one worker of t threads (a run of its own),
		# and the CPU the database spent meanwhile: the backends, reaped
		# by the postmaster when the worker disconnects.
		r=$(run)
		d0=$(dbcpu)
		/usr/bin/time -f "%U %S" -o "$tmp/time" "$eg" --store "$pg" batch work --run "$r" \
			--threads $t 2>"$tmp/e"
		settle
		d1=$(dbcpu)
		rate "$tmp/e" >>"$tmp/pg$t"
		cpu "$tmp/time" >>"$tmp/pgcpu$t"
		echo $((d1 - d0)) >>"$tmp/dbcpu$t"
	done
	# Two worker processes of 1 thread each at once, one run: the rows of
	# both over the span from the first claim to the last completion, from
	# the chunk table (the database clock).
	r=$(run)
	"$eg" --store "$pg" batch work --run "$r" --threads 1 --worker p1 2>"$tmp/pp1" & a=$!
	"$eg" --store "$pg" batch work --run "$r" --threads 1 --worker p2 2>"$tmp/pp2" & b=$!
	wait $a; wait $b
	psql "$pg" -Atc "SELECT round(sum(screened + rejected)
		/ extract(epoch FROM max(done_at) - min(claimed_at)))::bigint FROM batch_chunk
		WHERE run_id = $r" >>"$tmp/both"
	[ "$(psql "$pg" -Atc "SELECT count(*) FROM batch_result WHERE run_id = $r")" = "$n" ] ||
		{ echo "run-batch-pg: the two workers did not screen every row once" >&2; exit 1; }
done
both=$(best <"$tmp/both")
c2=$(best <"$tmp/csv2"); c1=$(best <"$tmp/csv1"); p2=$(best <"$tmp/pg2"); p1=$(best <"$tmp/pg1")
awk -v c2="$c2" -v c1="$c1" -v p2="$p2" -v p1="$p1" -v both="$both" "BEGIN {
	printf \"screen --batch from CSV, 2 threads:        %7d rows/s\n\", c2
	printf \"screen --batch from CSV, 1 thread:         %7d rows/s\n\", c1
	printf \"batch work through PostgreSQL, 2 threads:  %7d rows/s  %5.1f %% of CSV (target >= 80 %%: %s)\n\", p2, 100 * p2 / c2, (p2 >= 0.8 * c2 ? \"met\" : \"NOT met\")
	printf \"batch work through PostgreSQL, 1 thread:   %7d rows/s  %5.1f %% of CSV\n\", p1, 100 * p1 / c1
	printf \"2 worker processes of 1 thread at once:    %7d rows/s  %4.2fx one worker (target >= 1.8x: %s)\n\", both, both / p1, (both >= 1.8 * p1 ? \"met\" : \"NOT met\")
	printf \"1 worker, 2 threads against 1 thread:                    %4.2fx\n\", p2 / p1
}"
# CPU per 1,000 rows (the medians over the rounds of whole commands, list
# loading included, with what the database spent for each: the CSV run
# reads its hits from the store too): independent of the load of the
# machine.
med() { sort -n | awk "{ v[NR] = \$1 } END { print v[int((NR + 1) / 2)] }"; }
for t in 1 2; do
	awk -v n="$n" -v hz="$hz" -v c="$(med <"$tmp/csvcpu$t")" -v cd="$(med <"$tmp/csvdb$t")" \
		-v w="$(med <"$tmp/pgcpu$t")" -v d="$(med <"$tmp/dbcpu$t")" -v t=$t "BEGIN {
		c += cd / hz; w += d / hz
		printf \"CPU per 1,000 rows, %d thread(s), the database included: screen --batch %.1f ms (database %.1f); batch work %.1f ms (database %.1f): %.1f %%\n\",
			t, 1e6 * c / n, 1e6 * cd / hz / n, 1e6 * w / n, 1e6 * d / hz / n, 100 * w / c }"
done
' _ "$build" "$n" "$eval_dir" "$rounds" "$chunk"
