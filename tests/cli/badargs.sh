# badargs.sh - the bad-input matrix of docs/robustness.md for command-line
# arguments (issue 13 item 15): numbers that overflow, are negative, in
# exponent form or not numbers; dates out of range; overlong and non-UTF-8
# names. Each is refused with its exit code (2: usage, 3: bad input) and a
# message naming the option or value; never a crash and never an answer.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$EG" import --source us-ofac-sdn --published 2021-07-07 tests/data/ofac_csv/good
# numbers
for v in 99999999999999999999 -1 1e3 0x10 "" " 5"; do
	expect_exit 2 "$EG" screen x --limit "$v"; expect_err 'limit'
done
for v in nan inf -0.5 1.5 1e-400 x; do
	expect_exit 2 "$EG" screen x --min-score "$v"; expect_err 'min-score'
done
expect_exit 2 "$EG" screen --batch tests/data/batch/names.csv --column name --threads 99999999999
expect_err 'threads'
expect_exit 2 "$EG" decide --batch /dev/null --threads 100000
expect_err 'threads'
expect_exit 2 "$EG" audit show 18446744073709551616
expect_err 'index'
expect_exit 2 "$EG" audit show -1
expect_exit 2 "$EG" review 0 --party 99999999999999999999 --entity x --verdict false-positive --by a
expect_err 'party'
expect_exit 3 "$EG" lists diff us-ofac-sdn 999999999 1
expect_err 'no list version 999999999'
# dates
for d in 2021-02-30 0000-01-01 99999-01-01 2021-1-1 1900-02-29 "2021-01-01 "; do
	expect_exit 3 "$EG" screen x --as-of "$d"; expect_err 'date'
	expect_exit 3 "$EG" lists member il-cyber-exempt FR --as-of "$d"; expect_err 'date'
done
expect_exit 3 "$EG" import --published 2021-02-30 tests/data/ofac_csv/good
expect_err 'published date "2021-02-30"'
# names: overlong, not UTF-8, control characters, empty
expect_exit 3 "$EG" screen "$(head -c 100000 /dev/zero | tr '\0' a)"
expect_err 'over the cap of 1024'
expect_exit 3 "$EG" screen "$(printf 'M\374ller')"
expect_err 'UTF-8'
expect_exit 3 "$EG" screen "$(printf 'a\033[2Jb')"
expect_exit 3 "$EG" compare "$(printf '\377')" "x"
# a source nobody knows
expect_exit 3 "$EG" import --source nosuch tests/data/ofac_csv/good
expect_err 'source "nosuch"'
echo "badargs: passed"
