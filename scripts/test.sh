#!/usr/bin/env bash
# Runs every test of the given build directories (normal, then sanitizers):
# the Criterion unit tests, the store tests and the command on a throwaway
# PostgreSQL (tests/pg), the fuzz corpora replayed, the header test and
# the CLI tests of tests/cli/, screening from several threads
# (tests/threads.c), also for each `--tsan DIR` (a ThreadSanitizer build);
# and the installed-library test
# (tests/install/install.sh) against the first build directory. The last line is
# `N passed, N failed`.
# Usage: scripts/test.sh BUILD... [--tsan TSAN-BUILD]...
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
failures=()

ok()   { passed=$((passed + 1)); }
bad()  { failed=$((failed + 1)); failures+=("$1"); echo "FAIL: $1" >&2; }

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
export TSAN_OPTIONS=halt_on_error=1:exitcode=66:second_deadlock_stack=1

builds=()
tsan_builds=()
while [ $# -gt 0 ]; do
	case "$1" in
	--tsan) [ $# -ge 2 ] || { echo "usage: $0 BUILD... [--tsan DIR]" >&2; exit 2; }
	        tsan_builds+=("$2"); shift 2 ;;
	*)      builds+=("$1"); shift ;;
	esac
done

# unit_tests BUILD [CRITERION-ARGS...]: runs BUILD's eg-tests and adds its
# Criterion synthesis to the counts. A build without eg-tests (configured
# without Criterion) is a failure, named as such.
unit_tests() {
	local build=$1 out syn p f c
	shift
	if [ ! -x "$build/tests/eg-tests" ]; then
		bad "$build: no unit tests built (configure with -Dtests=enabled; is Criterion installed?)"
		return
	fi
	out=$(mktemp)
	"$build/tests/eg-tests" --jobs 2 "$@" 2>&1 | tee "$out" |
		grep -E '^\[(FAIL|----)\]|Synthesis|Assertion|WARNING: ThreadSanitizer' | head -60
	syn=$(grep -a 'Synthesis' "$out" | tail -1)
	if [ -z "$syn" ]; then
		bad "$build: eg-tests produced no synthesis"
	else
		p=$(echo "$syn" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
		f=$(echo "$syn" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
		c=$(echo "$syn" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" -eq 0 ] || failures+=("$build: $f unit test(s) failed")
		# Criterion counts a crash among the failures already.
		[ "${c:-0}" -eq 0 ] || failures+=("$build: $c unit test(s) crashed")
	fi
	rm -f "$out"
}

# pg_tests BUILD: the store tests (suite store_pg of eg-tests), the
# command (tests/pg/cli.sh), API keys, reviews and a server checking keys
# (tests/pg/keys.sh), batch screening of a table (tests/pg/batch.sh)
# and three servers under load through a list import (tests/pg/multi.py) against a real, throwaway PostgreSQL that
# tests/pg/run.sh starts and removes. A server that cannot be started, or a
# suite that ran no test, is a failure: never a silent skip.
pg_tests() {
	local build=$1 log="$1/pg.log" rc syn p f
	if [ ! -x "$build/tests/eg-tests" ]; then
		bad "$build: no unit tests built for PostgreSQL"
		return
	fi
	tests/pg/run.sh bash -c '"$0/tests/eg-tests" --jobs 2 --filter "store_pg/*" 2>&1
		echo "cli: $(EG="$PWD/$0/exportgate" bash tests/pg/cli.sh 2>&1 | tail -1)"
		echo "keys: $(EG="$PWD/$0/exportgate" bash tests/pg/keys.sh 2>&1 | tail -1)"
		echo "batch: $(EG="$PWD/$0/exportgate" bash tests/pg/batch.sh 2>&1 | tail -1)"
		echo "multi: $(EG="$PWD/$0/exportgate" python3 tests/pg/multi.py 2>&1 | tail -1)"' \
		"$build" >"$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		bad "$build: PostgreSQL could not be started or stopped (exit $rc, see $log)"
		return
	fi
	grep -E '^\[(FAIL|----)\]|Synthesis|^cli:|^keys:' "$log" | head -40
	syn=$(grep -a 'Synthesis' "$log" | tail -1)
	p=$(echo "$syn" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$syn" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	if [ -z "$syn" ] || [ "${p:-0}" -eq 0 ]; then
		bad "$build: no store test ran against PostgreSQL (see $log)"
	else
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" -eq 0 ] || failures+=("$build: $f store test(s) failed on PostgreSQL (see $log)")
	fi
	if grep -q '^cli: ok$' "$log"; then ok; else bad "$build: tests/pg/cli.sh (see $log)"; fi
	if grep -q '^keys: ok$' "$log"; then ok; else bad "$build: tests/pg/keys.sh (see $log)"; fi
	if grep -q '^batch: ok$' "$log"; then ok; else bad "$build: tests/pg/batch.sh (see $log)"; fi
	if grep -q '^multi: ok$' "$log"; then ok; else bad "$build: tests/pg/multi.py (see $log)"; fi
}

# threads BUILD: screening from several threads on one engine
# (tests/threads.c); under ThreadSanitizer a race report fails it.
threads() {
	local build=$1
	if [ ! -x "$build/tests/eg-threads" ]; then
		bad "$build: no tests/eg-threads built"
	elif "$build/tests/eg-threads" >"$build/threads.log" 2>&1; then
		ok; echo "   $(tail -1 "$build/threads.log")"
	else
		bad "$build: tests/eg-threads (see $build/threads.log)"
	fi
}

for build in "${builds[@]}"; do
	echo "== $build: unit tests"
	unit_tests "$build"
	echo "== $build: the store on a throwaway PostgreSQL (tests/pg)"
	pg_tests "$build"
	echo "== $build: screening from several threads"
	threads "$build"

	echo "== $build: fuzz corpora replayed"
	for corpus in fuzz/corpus/*/; do
		name=$(basename "$corpus")
		bin="$build/fuzz/fuzz-$name"
		if [ ! -x "$bin" ]; then bad "$build: no fuzz target $name"; continue; fi
		n=$(find "$corpus" -type f | wc -l)
		if "$bin" "$corpus" >/dev/null 2>"$build/fuzz-$name.log"; then
			passed=$((passed + n)); echo "   $name: $n inputs"
		else
			bad "$build: fuzz replay $name (see $build/fuzz-$name.log)"
		fi
	done

	echo "== $build: CLI tests"
	for t in tests/cli/*.sh; do
		[ "$(basename "$t")" = lib.sh ] && continue
		if EG="$PWD/$build/exportgate" bash "$t" >"$build/cli-$(basename "$t").log" 2>&1; then
			ok
		else
			bad "$build: $t (see $build/cli-$(basename "$t").log)"
		fi
	done

	echo "== $build: the HTTP server over a real socket (tests/server)"
	if EG="$PWD/$build/exportgate" python3 tests/server/test_server.py >"$build/server.log" 2>&1; then
		ok; echo "   $(tail -1 "$build/server.log")"
	else
		bad "$build: tests/server/test_server.py (see $build/server.log)"
	fi
done

if [ ${#builds[@]} -gt 0 ]; then
	build=${builds[0]}
	echo "== $build: the web page in Debian's chromium (tests/browser)"
	if ! command -v npm >/dev/null 2>&1; then
		echo "   skipped: npm is not installed (scripts/deps.sh test)"
	elif bash tests/browser/run.sh "$build" >"$build/browser.log" 2>&1; then
		ok; echo "   $(tail -1 "$build/browser.log")"
	else
		bad "$build: tests/browser/run.sh (see $build/browser.log)"
	fi

	echo "== $build: the library installed, a program built with pkg-config"
	if grep -q -- '-fsanitize' "$build/build.ninja"; then
		# A program built by plain cc cannot link a sanitizer-instrumented
		# library; the normal build covers the install.
		echo "   skipped: a sanitizer build"
	elif bash tests/install/install.sh "$build" >"$build/install.log" 2>&1; then
		ok; tail -1 "$build/install.log"
	else
		bad "$build: tests/install/install.sh (see $build/install.log)"
	fi
fi

# Criterion's runner does not start under ThreadSanitizer (its BoxFort
# arena cannot be mapped: Snaipe/Criterion#274), so a ThreadSanitizer build
# runs the threaded program only.
for build in "${tsan_builds[@]}"; do
	echo "== $build: screening from several threads, under ThreadSanitizer"
	threads "$build"
done

echo "== lint: banned functions, machine paths"
if scripts/lint.sh; then ok; else bad "lint"; fi

echo "== header test: exportgate.h alone, pedantic, as C11 and C++"
hdr=$(mktemp -d)
printf '#include "exportgate.h"\nint main(void) { eg_error e; (void)e; return eg_strerror(0) == 0; }\n' >"$hdr/h.c"
if cc -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude -c "$hdr/h.c" -o "$hdr/h.o"; then ok; else bad "header as C11"; fi
cp "$hdr/h.c" "$hdr/h.cpp"
if c++ -std=c++11 -pedantic -Wall -Wextra -Werror -Iinclude -c "$hdr/h.cpp" -o "$hdr/hpp.o"; then ok; else bad "header as C++"; fi
rm -rf "$hdr"

if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
