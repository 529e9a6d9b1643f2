# batch.sh - `exportgate batch` on a PostgreSQL table of parties: bad input
# (exit 4, nothing written), two workers at once (every chunk completed
# once, every party one result), a worker killed with SIGKILL mid-chunk and
# another run after it (nothing lost, nothing twice), a delta run, and a
# worker waiting for runs (`--wait`) stopped by SIGTERM.
# Needs EG (the binary) and EG_TEST_PG_URI (tests/pg/run.sh sets it):
#   tests/pg/run.sh env EG=$PWD/build/exportgate bash tests/pg/batch.sh
. "$(dirname "$0")/lib.sh"

pg_database "eg_batch_$$"
q() { psql "$PG" -Atqc "$1"; }
cleanup() {
	[ -n "${locker:-}" ] && kill "$locker" 2>/dev/null
	psql "$EG_TEST_PG_URI" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

expect_exit 0 "$EG" --store "$PG" store migrate
expect_exit 0 "$EG" --store "$PG" import --bundled

# 2,000 parties: listed names among invented ones, an empty name, a NULL
# name and a bad type (rejected with the reason, never dropped).
q "CREATE TABLE parties (id bigint PRIMARY KEY, name text, type text, country text);
   INSERT INTO parties SELECT i,
     CASE WHEN i % 100 = 0 THEN 'Nicolas Maduro Moros'
          WHEN i % 100 = 1 THEN 'Banco Nacional de Cuba'
          ELSE 'Trading ' || substr(md5(i::text), 1, 8) || ' Holdings' END,
     CASE WHEN i % 100 = 1 THEN 'entity' END, 'DE'
   FROM generate_series(1, 2000) i;
   UPDATE parties SET name = '' WHERE id = 5;
   UPDATE parties SET name = NULL WHERE id = 6;
   UPDATE parties SET type = 'spaceship' WHERE id = 7;
   CREATE TABLE nameless (id bigint PRIMARY KEY, label text);
   CREATE TABLE dupes (id bigint, name text);" || fail "cannot create the parties"

# Bad input: exit 4, one clear line naming the table or column, no run.
expect_exit 4 "$EG" --store "$PG" batch enqueue --table nosuch
expect_err 'table "nosuch": no such table'
expect_exit 4 "$EG" --store "$PG" batch enqueue --table nameless
expect_err 'nameless: no column "name"'
expect_exit 4 "$EG" --store "$PG" batch enqueue --table dupes
expect_err 'dupes: column id has no PRIMARY KEY or UNIQUE index'
expect_exit 4 "$EG" --store "$PG" batch enqueue --table 'parties; DROP TABLE parties'
expect_err 'not a table name'
[ "$(q 'SELECT count(*) FROM batch_run') $(q 'SELECT count(*) FROM batch_chunk')" = "0 0" ] ||
	fail "a refused enqueue left a run behind"
down="postgresql://eg@/eg?host=$TMP/no-server"
expect_exit 4 "$EG" --store "$down" batch enqueue
expect_err 'cannot connect'
expect_exit 4 "$EG" --store "$down" batch work
expect_exit 4 "$EG" --store "$down" batch status
expect_exit 3 "$EG" --store "$TMP/store.db" batch enqueue
expect_err 'needs a PostgreSQL store'
expect_exit 2 "$EG" --store "$PG" batch
expect_exit 2 "$EG" --store "$PG" batch frobnicate
expect_exit 2 "$EG" --store "$PG" batch enqueue --threads 2
expect_exit 2 "$EG" --store "$PG" batch work --chunk 0

# Run 1: two workers at once. Every chunk completed exactly once, every
# party exactly one result, the hits and the versions consulted recorded.
expect_exit 0 "$EG" --store "$PG" batch enqueue --chunk 50
expect_out '^batch run 1: parties, 2000 parties in 40 chunks of 50$'
"$EG" --store "$PG" batch work --run 1 --threads 1 --worker A >"$TMP/wa" 2>&1 & wa=$!
"$EG" --store "$PG" batch work --run 1 --threads 1 --worker B >"$TMP/wb" 2>&1 & wb=$!
wait $wa || { cat "$TMP/wa" >&2; fail "worker A failed"; }
wait $wb || { cat "$TMP/wb" >&2; fail "worker B failed"; }
[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id = 1 AND state = 'done'")" = 40 ] ||
	fail "not every chunk is done"
[ "$(q 'SELECT count(*), count(DISTINCT party_id) FROM batch_result WHERE run_id = 1')" = "2000|2000" ] ||
	fail "run 1: not one result per party"
[ "$(q "SELECT sum(screened + rejected) FROM batch_chunk WHERE run_id = 1")" = 2000 ] ||
	fail "the chunks' counts do not add up to the parties"
[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id = 1 AND claimed_by NOT IN ('A/0', 'B/0')")" = 0 ] ||
	fail "a chunk was completed by neither worker"
# Maduro (20 parties) found on the SDN, from a version the store holds.
[ "$(q "SELECT count(DISTINCT h.party_id) FROM batch_hit h JOIN list_version v ON v.id = h.version_id
        WHERE h.run_id = 1 AND h.source = 'us-ofac-sdn' AND h.primary_name LIKE 'MADURO MOROS%'
        AND v.source = 'us-ofac-sdn'")" = 20 ] || fail "the listed parties were not all found"
[ "$(q "SELECT count(*) FROM batch_result r JOIN parties p ON p.id = r.party_id
        WHERE r.run_id = 1 AND p.id % 100 = 0 AND r.hits = 0")" = 0 ] || fail "a listed party without a hit"
# Every screened party names the versions it consulted: as many as there
# are sources in force.
[ "$(q "SELECT count(*) FROM batch_result WHERE run_id = 1 AND rejected IS NULL
        AND cardinality(versions) <> (SELECT count(DISTINCT source) FROM list_version)")" = 0 ] ||
	fail "a result does not name every version consulted"
# Rejected names say why; no hit for them, and no silent "no hit".
[ "$(q "SELECT party_id || ': ' || rejected FROM batch_result WHERE run_id = 1 AND rejected IS NOT NULL ORDER BY party_id")" = \
"5: column name: empty name
6: column name: NULL
7: column type: \"spaceship\": individual, entity, vessel, aircraft or any" ] ||
	fail "rejections: $(q "SELECT party_id, rejected FROM batch_result WHERE run_id = 1 AND rejected IS NOT NULL")"
expect_exit 0 "$EG" --store "$PG" batch status --run 1 --json
expect_out '"chunks_done": 40'
expect_out '"screened": 1997'
expect_out '"rejected": 3'
expect_out '"versions": ".*us-ofac-sdn:[0-9]+'
expect_exit 0 "$EG" --store "$PG" batch work --run 1
expect_err 'run 1: 0 chunks'

# Run 2: a worker completes 3 chunks and leaves; another claims the next
# chunk, screens it and is killed with SIGKILL as it writes the results
# (held there by a lock the test takes on batch_result, so the kill falls
# mid-chunk whatever the machine's speed); then a third worker finishes
# the run. Nothing lost, nothing twice.
expect_exit 0 "$EG" --store "$PG" batch enqueue --chunk 50
expect_out '^batch run 2: '
expect_exit 0 "$EG" --store "$PG" batch work --run 2 --threads 1 --max-chunks 3 --worker first
expect_err 'run 2: 3 chunks, 147 parties screened, 3 rejected'
psql "$PG" -qc "BEGIN; LOCK TABLE batch_result IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT" \
	>/dev/null 2>&1 & locker=$!
for _ in $(seq 100); do
	[ "$(q "SELECT count(*) FROM pg_locks WHERE relation = 'batch_result'::regclass AND granted")" -ge 1 ] && break
	sleep 0.1
done
"$EG" --store "$PG" batch work --run 2 --threads 1 --worker killed >"$TMP/wk" 2>&1 & wk=$!
victim=""
for _ in $(seq 300); do   # the worker claimed chunk 3, screened it, waits to write
	victim=$(q "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'
	            AND query LIKE 'INSERT INTO batch_result%'")
	[ -n "$victim" ] && break
	kill -0 $wk 2>/dev/null || { cat "$TMP/wk" >&2; fail "the worker to kill exited"; }
	sleep 0.1
done
[ -n "$victim" ] || fail "the worker never claimed a chunk"
kill -KILL $wk; wait $wk 2>/dev/null
q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(120)%'
   AND pid <> pg_backend_pid()" >/dev/null
wait $locker 2>/dev/null; locker=""
for _ in $(seq 100); do   # the killed worker's session ends, its transaction rolled back
	[ -z "$(q "SELECT pid FROM pg_stat_activity WHERE pid = $victim")" ] && break
	sleep 0.1
done
[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id = 2 AND state = 'done'")" = 3 ] ||
	fail "the killed worker's chunk was completed"
[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id = 2 AND claimed_by IS NOT NULL AND state = 'pending'")" = 0 ] ||
	fail "the killed worker's claim outlived it"
[ "$(q "SELECT count(*) FROM batch_result WHERE run_id = 2")" = 150 ] ||
	fail "the killed worker left results behind"
expect_exit 0 "$EG" --store "$PG" batch work --run 2 --threads 2 --worker last
expect_err 'run 2: 37 chunks, 1850 parties screened, 0 rejected'
[ "$(q 'SELECT count(*), count(DISTINCT party_id) FROM batch_result WHERE run_id = 2')" = "2000|2000" ] ||
	fail "run 2: not one result per party"
[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id = 2 AND state = 'done'")" = 40 ] ||
	fail "run 2: not every chunk is done"
[ "$(q "SELECT string_agg(DISTINCT split_part(claimed_by, '/', 1), ',' ORDER BY split_part(claimed_by, '/', 1))
        FROM batch_chunk WHERE run_id = 2")" = "first,last" ] || fail "run 2: a chunk of the killed worker"

# A delta run: a new SDN version (MADURO MOROS spelt MOROZ: one entry
# changed); every party screened against that entry only. The 20 Maduro
# parties are hit by it, from the new version; no other party is; every
# party's result names the one version consulted.
before=$(q "SELECT max(id) FROM list_version")
mkdir "$TMP/sdn"
sed "0,/MADURO MOROS/s/MADURO MOROS/MADURO MOROZ/" data/lists/ofac_sdn_2024-05/sdn.csv >"$TMP/sdn/sdn.csv"
expect_exit 0 "$EG" --store "$PG" import --source us-ofac-sdn --published 2026-06-01 "$TMP/sdn"
new=$(q "SELECT max(id) FROM list_version")
expect_exit 3 "$EG" --store "$PG" batch enqueue --since "$new"
expect_err 'no list version is newer'
expect_exit 3 "$EG" --store "$PG" batch enqueue --since 999999
expect_err 'no such list version'
expect_exit 0 "$EG" --store "$PG" batch enqueue --chunk 500 --since "$before"
expect_out "against what the versions after $before added or changed"
delta=$(sed -n 's/^batch run \([0-9]*\):.*/\1/p' "$TMP/out")
expect_exit 0 "$EG" --store "$PG" batch work --run "$delta" --threads 2
expect_err "run $delta: 4 chunks, 1997 parties screened, 3 rejected, 20 with hits"
[ "$(q "SELECT count(DISTINCT party_id) FROM batch_hit WHERE run_id = $delta
        AND version_id = $new AND primary_name = 'MADURO MOROZ, Nicolas'")" = 20 ] ||
	fail "the delta run did not find the changed entry"
[ "$(q "SELECT count(*) FROM batch_result WHERE run_id = $delta AND rejected IS NULL
        AND versions <> ARRAY[$new]::bigint[]")" = 0 ] || fail "a delta result names other versions"
expect_exit 0 "$EG" --store "$PG" batch status --run "$delta" --json
expect_out "\"since\": $before"
expect_out "\"versions\": \"us-ofac-sdn:$new\""

# A waiting worker (`batch work --wait`): started when no chunk is free, it
# stays; it works a run enqueued after it started (announced by NOTIFY), and
# then another; SIGTERM in the middle of a third run ends it after its chunk
# in progress, exit 0, with no chunk half done; a worker after it finishes
# the run. Every party of the three runs screened once.
expect_exit 2 "$EG" --store "$PG" batch work --wait 0
expect_err '--wait "0": seconds'
expect_exit 2 "$EG" --store "$PG" batch work --wait=-1
expect_exit 2 "$EG" --store "$PG" batch work --wait soon
expect_exit 2 "$EG" --store "$PG" batch status --wait
t0=$(date +%s%N)
expect_exit 0 "$EG" --store "$PG" batch work --wait 0.5
expect_err 'no run with chunks left \(waited\)'
[ $(( ($(date +%s%N) - t0) / 1000000 )) -ge 500 ] || fail "--wait 0.5 left before 0.5 s"
"$EG" --store "$PG" batch work --wait --threads 1 --worker W >"$TMP/ww" 2>&1 & ww=$!
sleep 1
kill -0 $ww 2>/dev/null || { cat "$TMP/ww" >&2; fail "the waiting worker left with no chunk free"; }
waited_runs=""
for k in 1 2; do
	expect_exit 0 "$EG" --store "$PG" batch enqueue --chunk 200
	r=$(sed -n 's/^batch run \([0-9]*\):.*/\1/p' "$TMP/out")
	waited_runs="$waited_runs${waited_runs:+,}$r"
	for _ in $(seq 600); do
		[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id = $r AND state = 'done'")" = 10 ] && break
		kill -0 $ww 2>/dev/null || { cat "$TMP/ww" >&2; fail "the waiting worker exited"; }
		sleep 0.1
	done
	[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id = $r AND state = 'done' AND claimed_by = 'W/0'")" = 10 ] ||
		fail "run $r: not worked by the waiting worker"
	echo "run $r: first chunk done $(q "SELECT round(extract(epoch FROM min(c.done_at) - min(r.created))::numeric, 3)
	      FROM batch_chunk c JOIN batch_run r ON r.id = c.run_id WHERE c.run_id = $r") s after the enqueue" >&2
done
expect_exit 0 "$EG" --store "$PG" batch enqueue --chunk 2   # 1,000 chunks: time to stop it in
r3=$(sed -n 's/^batch run \([0-9]*\):.*/\1/p' "$TMP/out")
for _ in $(seq 600); do
	[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id = $r3 AND state = 'done'")" -ge 2 ] && break
	sleep 0.05
done
kill -TERM $ww
wait $ww || { cat "$TMP/ww" >&2; fail "the waiting worker did not exit 0 on SIGTERM"; }
grep -q 'stopped by a signal' "$TMP/ww" || { cat "$TMP/ww" >&2; fail "no word of the signal"; }
done3=$(q "SELECT count(*) FROM batch_chunk WHERE run_id = $r3 AND state = 'done'")
[ "$done3" -lt 1000 ] || fail "SIGTERM did not stop the worker before the run's end"
[ "$(q "SELECT count(*) FROM batch_result WHERE run_id = $r3")" = $((done3 * 2)) ] ||
	fail "SIGTERM left a chunk half written"
[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id = $r3 AND state = 'pending' AND claimed_by IS NOT NULL")" = 0 ] ||
	fail "SIGTERM left a chunk claimed"
# Waiting on one run: it ends when that run is done.
expect_exit 0 "$EG" --store "$PG" batch work --run "$r3" --threads 2 --worker after --wait
expect_err "run $r3: $((1000 - done3)) chunks"
[ "$(q "SELECT count(*), count(DISTINCT (run_id, party_id)) FROM batch_result WHERE run_id IN ($waited_runs, $r3)")" = "6000|6000" ] ||
	fail "the waited runs: not one result per party"
[ "$(q "SELECT count(*) FROM batch_chunk WHERE run_id IN ($waited_runs, $r3) AND state <> 'done'")" = 0 ] ||
	fail "the waited runs: a chunk not done"
# SIGTERM while waiting ends it at once, exit 0.
"$EG" --store "$PG" batch work --wait --worker idle >"$TMP/wi" 2>&1 & wi=$!
for _ in $(seq 300); do   # it looked for a free chunk: it waits now
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%FOR UPDATE SKIP LOCKED), 0)'")" = 1 ] && break
	sleep 0.1
done
kill -TERM $wi
wait $wi || { cat "$TMP/wi" >&2; fail "the idle waiting worker did not exit 0 on SIGTERM"; }

# The database goes away under a worker: exit 4, the chunk rolled back.
expect_exit 0 "$EG" --store "$PG" batch enqueue --chunk 500
last=$(sed -n 's/^batch run \([0-9]*\):.*/\1/p' "$TMP/out")
psql "$EG_TEST_PG_URI" -qc "ALTER DATABASE $db ALLOW_CONNECTIONS false" >/dev/null
expect_exit 4 "$EG" --store "$PG" batch work --run "$last"
psql "$EG_TEST_PG_URI" -qc "ALTER DATABASE $db ALLOW_CONNECTIONS true" >/dev/null
[ "$(q "SELECT count(*) FROM batch_result WHERE run_id = $last")" = 0 ] || fail "results without the database"
echo "ok"
