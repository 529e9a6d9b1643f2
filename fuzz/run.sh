#!/bin/sh
# run.sh - the fuzz campaign of `make fuzz`: runs each libFuzzer target of a
# -Dfuzzing=true build for SECONDS, starting from its checked-in corpus
# (fuzz/corpus/NAME/) and its dictionary (fuzz/dict/NAME.dict, else the one
# of its format), then merges the inputs that reach new coverage into that
# corpus with -merge=1 (only those: the corpus stays minimal and every
# regression input kept in it stays). Prints per target the executions and
# the findings; a crash, leak or invariant failure leaves its input in
# BUILD/fuzz-out/NAME/ and makes the run fail.
#
# Usage: fuzz/run.sh BUILD [SECONDS] [TARGET...]
# FUZZ_RUNS=N ends a target after N executions if that comes first (the
# issue's bar of 10 million: FUZZ_RUNS=10000000 with SECONDS large).
set -u
build=${1:?usage: fuzz/run.sh BUILD [SECONDS] [TARGET...]}
seconds=${2:-60}
shift; [ $# -gt 0 ] && shift
targets=$*
[ -n "$targets" ] || targets=$(cd fuzz/corpus && ls)
failed=0
for t in $targets; do
	bin="$build/fuzz/fuzz-$t-libfuzzer"
	if [ ! -x "$bin" ]; then
		echo "fuzz: no $bin (configure $build with -Dfuzzing=true)" >&2
		failed=1
		continue
	fi
	out="$build/fuzz-out/$t"
	rm -rf "$out"
	mkdir -p "$out/new"
	dict=
	for d in "fuzz/dict/$t.dict" "fuzz/dict/$(echo "$t" | sed 's/.*_//').dict"; do
		if [ -f "$d" ]; then dict="-dict=$d"; break; fi
	done
	# New inputs go to the first directory; the corpus is only read.
	"$bin" -max_total_time="$seconds" ${FUZZ_RUNS:+-runs="$FUZZ_RUNS"} \
		-print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -artifact_prefix="$out/" $dict "$out/new" "fuzz/corpus/$t" \
		>"$out/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$out/log" | tail -n 1)
	before=$(ls "fuzz/corpus/$t" | wc -l)
	"$bin" -merge=1 -artifact_prefix="$out/merge-" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 "fuzz/corpus/$t" "$out/new" >"$out/merge.log" 2>&1
	added=$(( $(ls "fuzz/corpus/$t" | wc -l) - before ))
	if [ "$rc" -eq 0 ]; then
		secs=$(sed -n 's/^stat::.*time: *//p; s/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$out/log" | tail -n 1)
		echo "fuzz $t: ${execs:-?} executions in ${secs:-$seconds} s, $cov, $added inputs added, no finding"
	else
		echo "fuzz $t: FINDING after ${execs:-?} executions (exit $rc): $(ls "$out" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' | head -n 3 | tr '\n' ' ')see $out/log"
		failed=1
	fi
done
exit $failed
