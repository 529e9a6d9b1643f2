#!/bin/sh
# run-batch.sh - times batch screening: N names (default 1,000,000) against
# the bundled OFAC SDN list of 2021-07 with `exportgate screen --batch` on
# every core. The names are made reproducibly (seed 7) from the eval set's
# queries: a third of the rows are those queries as written (Latin, Arabic,
# Cyrillic, Han, Hangul, ...), the rest two to four of their words drawn at
# random. The store is a throwaway one in a temporary directory.
#
# Usage: bench/run-batch.sh BUILD_DIR [N] [EVAL_DIR]
set -eu
build=${1:?usage: bench/run-batch.sh BUILD_DIR [N] [EVAL_DIR]}
n=${2:-1000000}
eval_dir=${3:-../shared/eval}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 - "$eval_dir/screen.tsv" "$tmp/names.csv" "$n" <<'PY'
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
        w.writerow([i, name])
PY
"$build/exportgate" --store "$tmp/eg.db" import --bundled >/dev/null
echo "run-batch: $n names against us-ofac-sdn 2021-07, $(nproc) cores"
rc=0
"$build/exportgate" --store "$tmp/eg.db" screen --batch "$tmp/names.csv" --column name \
	--source us-ofac-sdn --as-of 2021-08-01 --out "$tmp/hits.csv" || rc=$?
# exit 1 means rows had hits, which is expected
[ "$rc" -le 1 ]
