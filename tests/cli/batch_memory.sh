#!/bin/sh
# batch_memory.sh - `screen --batch` streams (issue 13 item 9): rows pass
# through a bounded ring between the reader, the workers and the writer,
# so the rows in flight never exceed the ring, the hits come out in input
# order, and resident memory does not grow with the number of rows.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-07-07 data/lists/ofac_sdn_2021-07

# N rows: every 1000th names a listed person, the rest have an empty name
# (rejected at once, so the test is about the rows, not the screening).
rows() {
	awk -v n="$1" 'BEGIN { print "ref,name";
		for (i = 1; i <= n; i++) print i "," (i % 1000 == 0 ? "Nicolas Maduro Moros" : "") }'
}
rows 20000 >"$TMP/small.csv"
rows 300000 >"$TMP/large.csv"

for size in small large; do
	EG_BATCH_TRACE=1 expect_exit 1 "$EG" screen --batch "$TMP/$size.csv" --column name \
		--id-column ref --limit 1 --threads 2
	cp "$TMP/out" "$TMP/$size.out"
	# the queue is 16 rows a thread, at least 64
	expect_err "$size.csv: queue of 64 rows, at most [0-9]+ in flight"
	inflight=$(sed -n 's/.*at most \([0-9]*\) in flight.*/\1/p' "$TMP/err")
	[ "$inflight" -le 64 ] || fail "$inflight rows in flight, over the queue of 64"
done
expect_err 'large.csv: 300000 rows, 300 screened, 299700 rejected, 300 with hits'
# one hit per listed row, in input order: ids 1000, 2000, ...
awk -F, 'NR > 1 { n++; if ($2 != n * 1000 || $1 != $2) { print "row " NR ": " $0; exit 1 } }
	END { if (n != 300) { print n " hits"; exit 1 } }' "$TMP/large.out" ||
	fail "hits out of order or missing"

# A malformed row after many good ones: the first pass finds it, so
# nothing is screened or written (the streaming pass would have written).
{ rows 5000; echo '5001,"Nicolas Maduro'; } >"$TMP/bad.csv"
expect_exit 3 "$EG" screen --batch "$TMP/bad.csv" --column name
expect_err 'bad.csv:5002: malformed CSV'
[ ! -s "$TMP/out" ] || fail "a malformed file wrote hits"

# Resident memory: 15 times the rows, not 15 times the memory. Before the
# ring, every row was kept (300,000 rows: 20 MB more than 20,000 rows).
if [ -x /usr/bin/time ]; then
	for size in small large; do
		# Under AddressSanitizer, freed memory waits in a quarantine (256 MB)
		# that would count as resident: none for this measure.
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" \
		/usr/bin/time -f '%M' -o "$TMP/$size.rss" "$EG" screen --batch "$TMP/$size.csv" \
			--column name --limit 1 --threads 2 >/dev/null 2>&1
	done
	small=$(tail -n 1 "$TMP/small.rss")
	large=$(tail -n 1 "$TMP/large.rss")
	[ "$large" -le $((small + 4096)) ] ||
		fail "300,000 rows: $large kB resident, 20,000 rows: $small kB (over 4 MB more)"
fi
exit 0
