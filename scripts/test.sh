#!/usr/bin/env bash
# Runs every test of the given build directories (normal, then sanitizers):
# the Criterion unit tests, the fuzz corpora replayed, the header test and
# the CLI tests of tests/cli/. The last line is `N passed, N failed`.
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

for build in "$@"; do
	echo "== $build: unit tests"
	out=$(mktemp)
	"$build/tests/eg-tests" --jobs 2 2>&1 | tee "$out" | grep -E '^\[(FAIL|----)\]|Synthesis|Assertion' | head -60
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
