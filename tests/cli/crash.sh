# crash.sh - crash consistency (issue 13 item 14): `import`, `decide`,
# `decide --batch` and `review` killed with SIGKILL at random points, CRASH_N
# times (20 in `make test`, TORTURE_N in `make torture`). After each kill the
# store passes PRAGMA integrity_check, `audit verify` passes, every version
# listed loads whole (screening it never exits 4), and everything that was
# acknowledged is there: an import that printed its version, a decision or
# review that printed its log record (index and leaf hash) before the kill.
# CRASH_SEED replays a run (the seed is printed). Every CRASH_EPOCH kills (50)
# the run starts over on a fresh store: each check reads and verifies the
# whole log, which `decide --batch` grows by up to 2,000 records a kill, so
# one store for 1,000 kills would make the run quadratic (at kill 76 its
# export was 114 MB and each check took seconds).
. "$(dirname "$0")/lib.sh"

n=${CRASH_N:-20}
epoch=${CRASH_EPOCH:-50}
seed=${CRASH_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$seed
echo "crash: $n kills, seed $seed (CRASH_SEED=$seed replays it)"
command -v sqlite3 >/dev/null || fail "the sqlite3 tool is needed (scripts/deps.sh test)"

acked=$TMP/acked            # "INDEX LEAF" of every acknowledged log record
imported=$TMP/imported      # "NAME ENTRIES" of every acknowledged import
acked_all=0 imported_all=0  # over every store of the run
: >"$acked"
: >"$imported"

# A fresh store: the 2021 SDN and one decision.
fresh_store() {
	acked_all=$((acked_all + $(wc -l <"$acked")))
	imported_all=$((imported_all + $(wc -l <"$imported")))
	: >"$acked"
	: >"$imported"
	rm -rf -- "${EXPORTGATE_STORE:?}" "$EXPORTGATE_STORE"-* "$EXPORTGATE_STORE".idx
	expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-07-07 data/lists/ofac_sdn_2021-07
	expect_exit 1 "$EG" decide "$TMP/deal.json"
}

printf '{"date": "2021-12-01", "exporter": {"name": "X Ltd", "country": "IL"},
 "items": [{"classification": "4D004"}], "destination": "AE",
 "parties": [{"role": "end_user", "name": "Nicolas Maduro Moros", "country": "AE",
 "type": "private"}], "end_use": {"statements": [], "flags": []}}\n' >"$TMP/deal.json"
fresh_store
tr -d '\n' <"$TMP/deal.json" >"$TMP/deal1"
for k in $(seq 1 2000); do cat "$TMP/deal1"; echo; done >"$TMP/deals.jsonl"

# A random delay of 0 to $1 milliseconds.
pause() { sleep "$(printf '0.%03d' $((RANDOM % $1)))"; }

# The acknowledged records of a decide's or review's output file.
ack_text() { sed -n 's/^decision log: record \([0-9]*\), leaf \([0-9a-f]*\)$/\1 \2/p' "$1" >>"$acked"; }
ack_json() {
	python3 - "$1" >>"$acked" <<'EOF'
import json, sys
text = open(sys.argv[1], errors="replace").read()
try:
    docs = [json.loads(text)]            # a review: one document
except ValueError:
    docs = []
    for line in text.splitlines():       # decide --batch: one a line
        try:
            docs.append(json.loads(line))
        except ValueError:
            pass                         # the last line, cut by the kill
for d in docs:
    if not isinstance(d, dict):
        continue
    inner = d.get("decision")
    a = (inner if isinstance(inner, dict) else d).get("audit")
    if isinstance(a, dict):
        print(a["index"], a["leaf_hash"])
EOF
}

# Runs the command "$@" in a loop in the background, each run's output
# acknowledged by $ack once it has exited; kills the loop and its current
# command after a random delay of up to $delay ms. The loop runs in a
# process group of its own (set -m), killed whole and waited for: a command
# the loop had just started, its pid not yet recorded, would otherwise live
# on and hold the store while it is checked.
loop_and_kill() {
	ack=$1 delay=$2
	shift 2
	set -m
	(
		k=0
		while :; do
			k=$((k + 1))
			"$@" >"$TMP/run.out" 2>"$TMP/run.err" &
			wait $!
			rc=$?
			[ "$rc" -le 1 ] || { cat "$TMP/run.err" >&2; echo "exit $rc" >"$TMP/loop.fail"; exit 1; }
			$ack "$TMP/run.out"
		done
	) &
	loop=$!
	set +m
	pause "$delay"
	kill -KILL -- "-$loop" 2>/dev/null
	{ wait "$loop"; } 2>/dev/null # no "Killed" notice from the shell
	# The loop's command is not this shell's child: wait until it is gone or
	# a zombie (its locks released; zombies are not always reaped here). On
	# a loaded machine a killed process can hold the store for a while, and
	# the check's sqlite3 would find it locked.
	while ps -eo pgid=,stat= | awk -v g="$loop" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'
	do
		sleep 0.01
	done
	[ ! -e "$TMP/loop.fail" ] || fail "a run before the kill failed: $(cat "$TMP/loop.fail")"
}

check() {
	what=$1
	ic=$(sqlite3 "$EXPORTGATE_STORE" 'PRAGMA integrity_check' 2>&1)
	[ "$ic" = ok ] || fail "after killing $what: integrity_check: $ic"
	"$EG" audit verify >"$TMP/verify" 2>&1 || { cat "$TMP/verify" >&2; fail "after killing $what: audit verify"; }
	"$EG" audit export >"$TMP/export.json" 2>"$TMP/err" || { cat "$TMP/err" >&2; fail "after killing $what: audit export"; }
	python3 - "$TMP/export.json" "$acked" <<'EOF' || fail "after killing $what: an acknowledged record is missing"
import json, sys
recs = json.load(open(sys.argv[1]))["records"]
have = {r["index"]: r["leaf_hash"] for r in recs}
for line in open(sys.argv[2]):
    i, leaf = line.split()
    if have.get(int(i)) != leaf:
        sys.exit(f"record {i} (leaf {leaf[:12]}) acknowledged, log has {have.get(int(i))}")
EOF
	# every version listed loads whole; every acknowledged import is there
	"$EG" lists >"$TMP/lists.out" 2>"$TMP/err" || { cat "$TMP/err" >&2; fail "after killing $what: lists"; }
	while read -r name entries; do
		"$EG" screen "$name HOLDINGS" --source us-ofac-sdn >/dev/null 2>&1
		[ $? -eq 1 ] || fail "after killing $what: the import of $name ($entries entries) was acknowledged; screening finds no hit"
	done <"$imported"
	"$EG" screen "Zzyzx Quorblat" --source us-ofac-sdn >/dev/null 2>"$TMP/err"
	rc=$?
	[ "$rc" -le 1 ] || { cat "$TMP/err" >&2; fail "after killing $what: screen exited $rc"; }
}

landed=0  # imports and batches killed before they ended (loops always are)
for i in $(seq 1 "$n"); do
	[ "$i" -eq 1 ] || [ $(((i - 1) % epoch)) -ne 0 ] || fresh_store
	case $((i % 4)) in
	1)  what="import ($i)"
	    # new content each time (a row of its own), so every import writes
	    rm -rf "$TMP/sdn"; cp -r data/lists/ofac_sdn_2021-07 "$TMP/sdn"
	    { printf '%d,"CRASHTEST ZQXW%d HOLDINGS",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n' \
	        $((900000 + i)) "$i"; cat data/lists/ofac_sdn_2021-07/sdn.csv; } >"$TMP/sdn/sdn.csv"
	    "$EG" import --source us-ofac-sdn --published 2021-07-07 "$TMP/sdn" >"$TMP/imp.out" 2>&1 &
	    pid=$!
	    pause 500
	    kill -KILL "$pid" 2>/dev/null
	    { wait "$pid"; } 2>/dev/null
	    rc=$?
	    [ "$rc" -ne 137 ] || landed=$((landed + 1))
	    [ "$rc" -eq 0 ] || [ "$rc" -eq 137 ] || { cat "$TMP/imp.out" >&2; fail "import exited $rc before the kill"; }
	    entries=$(sed -n 's/.* \([0-9]*\) entries.*/\1/p' "$TMP/imp.out")
	    [ -z "$entries" ] || echo "CRASHTEST ZQXW$i $entries" >>"$imported" ;;
	2)  what="decide ($i)"
	    loop_and_kill ack_text 999 "$EG" decide "$TMP/deal.json" ;;
	3)  what="decide --batch ($i)"
	    "$EG" decide --batch "$TMP/deals.jsonl" --threads 2 >"$TMP/batch.out" 2>"$TMP/batch.err" &
	    pid=$!
	    pause 800
	    kill -KILL "$pid" 2>/dev/null
	    { wait "$pid"; } 2>/dev/null
	    [ $? -ne 137 ] || landed=$((landed + 1))
	    ack_json "$TMP/batch.out" ;;
	0)  what="review ($i)"
	    size=$("$EG" audit verify 2>/dev/null | sed -n 's/.*"records": \([0-9]*\).*/\1/p')
	    loop_and_kill ack_json 600 "$EG" review 0 --party 0 --entity 22790 --verdict true-match \
	        --by crash --note "kill $i of $size" ;;
	esac
	check "$what"
done
echo "crash: $n kills survived ($landed of the imports and batches killed before their end);" \
	"$((acked_all + $(wc -l <"$acked"))) acknowledged log records and" \
	"$((imported_all + $(wc -l <"$imported"))) imports checked, $(((n + epoch - 1) / epoch)) stores"
