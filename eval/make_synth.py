#!/usr/bin/env python3
"""make_synth.py - writes eval/synth/screen.tsv: names of the bundled OFAC SDN
of 2021-07 changed the ways the shared set's `sdn-2021-07:OPS` rows are
(natural order, a middle name dropped, words reordered, a legal form written
otherwise, one typo, and their combinations; the case changed), drawn at
random with a fixed seed, so that `exportgate eval eval/synth` measures those
categories on rows no rule was written for. The shared set holds a few
hundred such rows and its other half more; this set holds 2,000.

Usage: python3 eval/make_synth.py [SEED [OUT [respaced]]]   (from the
project's root; OUT defaults to eval/synth/screen.tsv: another seed written
elsewhere is a draw to check a change on, as `exportgate eval DIR` measures
it). With `respaced`, each row is a name with a space a typist lost between
two words or put into a word of 7 letters or more, alone or with one typo
(`respaced:*`): `exportgate eval DIR` then also says how many hits a screen
at 0.70 finds that the default threshold's search misses.

Written for exportgate; the operations are described in ../shared/eval's
README, the code and the random draws are this script's own. Edit the
script, not the TSV.
"""
import csv
import os
import random
import sys

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 20261203
N = 2000
SDN = "data/lists/ofac_sdn_2021-07/sdn.csv"
OUT = sys.argv[2] if len(sys.argv) > 2 else "eval/synth/screen.tsv"

# a legal form as lists write it, and other ways to write it
LEGAL = {
    "LTD.": ["Limited", "Ltd", "LTD"], "LTD": ["Limited", "Ltd."], "LIMITED": ["Ltd", "Ltd."],
    "CO.": ["Company", "Co"], "CO": ["Company", "Co."], "COMPANY": ["Co.", "Co"],
    "S.A.": ["SA", "S A", "Sociedad Anonima"], "SA": ["S.A."],
    "LLC": ["L.L.C.", "Limited Liability Company"], "L.L.C.": ["LLC"],
    "INC.": ["Incorporated", "Inc"], "INC": ["Inc."], "CORP.": ["Corporation", "Corp"],
    "CORPORATION": ["Corp.", "Corp"], "GMBH": ["G.m.b.H.", "GmbH"], "OOO": ["O.O.O.", "LLC"],
    "S.L.": ["SL", "S L"], "SAL": ["S.A.L.", "S.A.L"], "LTDA.": ["Ltda", "Limitada"],
    "FZE": ["F.Z.E."], "JSC": ["J.S.C.", "Joint Stock Company"], "PJSC": ["P.J.S.C."],
    "AG": ["A.G."], "B.V.": ["BV"], "S.R.L.": ["SRL"], "PLC": ["P.L.C."],
}
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(word, rnd):
    """One edit of a word of three letters or more: a letter dropped, added,
    changed or two neighbours swapped, not the first letter's place only."""
    if len(word) < 3:
        return None
    i = rnd.randrange(len(word))
    op = rnd.choice("dast")
    upper = word.isupper()
    c = rnd.choice(LETTERS)
    c = c.upper() if upper else c
    if op == "d":
        out = word[:i] + word[i + 1:]
    elif op == "a":
        out = word[:i] + c + word[i:]
    elif op == "s":
        out = word[:i] + c + word[i + 1:]
    else:
        if i + 1 >= len(word):
            i -= 1
        out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return out if out.lower() != word.lower() else None


def with_typo(words, rnd):
    cand = [k for k, w in enumerate(words) if len(w) >= 3 and w.isalpha()]
    if not cand:
        return None
    k = rnd.choice(cand)
    t = typo(words[k], rnd)
    if t is None:
        return None
    return words[:k] + [t] + words[k + 1:]


def typo_op(words, ops, rnd):
    """words with one typo, "typo" added to ops; None when none can be made."""
    t = with_typo(words, rnd)
    if t is not None:
        ops.append("typo")
    return t


def recase(s, rnd):
    r = rnd.random()
    if r < 0.4:
        return s
    if r < 0.7:
        return s.title()
    if r < 0.85:
        return s.lower()
    return s.upper()


def person_forms(name, rnd):
    """(ops, query) for a person "SURNAME, Given Middle"."""
    if ", " not in name:
        return None
    sur, given = name.split(", ", 1)
    gw = given.split()
    ops = []
    if len(gw) >= 2 and rnd.random() < 0.4:
        gw = gw[:1]
        ops.append("drop-middle")
    words = gw + sur.split()
    ops.insert(0, "natural-order")
    if rnd.random() < 0.35:
        rnd.shuffle(words)
        ops.append("reorder")
    if rnd.random() < 0.6:
        words = typo_op(words, ops, rnd)
    return (ops, recase(" ".join(words), rnd)) if words else None


def org_forms(name, rnd):
    words = name.split()
    ops = []
    legal = [k for k, w in enumerate(words) if w.upper().rstrip(",") in LEGAL]
    if legal and rnd.random() < 0.6:
        k = rnd.choice(legal)
        key = words[k].upper().rstrip(",")
        words = words[:k] + [rnd.choice(LEGAL[key])] + words[k + 1:]
        ops.append("legal-form")
    if not ops or rnd.random() < 0.6:
        words = typo_op(words, ops, rnd)
    return (ops, recase(" ".join(words), rnd)) if words else None


def respaced_forms(name, rnd):
    """A space lost between two words or put into a long word, and maybe a
    typo; None when the name has neither place."""
    words = name.split()
    if len(words) >= 2 and rnd.random() < 0.5:
        i = rnd.randrange(len(words) - 1)
        ops, words = ["joined"], words[:i] + [words[i] + words[i + 1]] + words[i + 2:]
    else:
        longs = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
        if not longs:
            return None
        i = rnd.choice(longs)
        cut = rnd.randrange(3, len(words[i]) - 2)
        ops = ["split"]
        words = words[:i] + [words[i][:cut], words[i][cut:]] + words[i + 1:]
    if rnd.random() < 0.3:
        ops.append("typo")
        words = with_typo(words, rnd)
        if words is None:
            return None
    return ops, " ".join(words)


def main():
    respaced = len(sys.argv) > 3 and sys.argv[3] == "respaced"
    rnd = random.Random(SEED)
    people, orgs = [], []
    with open(SDN, encoding="utf-8", errors="replace", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 4:
                continue
            name, kind = row[1].strip(), row[2].strip().lower()
            if kind == "individual":
                people.append(name)
            elif kind == "-0-":
                orgs.append(name)
    rows, seen = [], set()
    while len(rows) < N:
        person = rnd.random() < 0.55
        name = rnd.choice(people if person else orgs)
        if respaced:
            got = respaced_forms(name, rnd)
        else:
            got = person_forms(name, rnd) if person else org_forms(name, rnd)
        if got is None:
            continue
        ops, q = got
        if q.lower() == name.lower() or (q, name) in seen:
            continue
        seen.add((q, name))
        rows.append(("us-ofac-sdn", q, "Person" if person else "Organization", name,
                     ("respaced:" if respaced else "synth:") + "+".join(ops)))
    os.makedirs(os.path.dirname(OUT) or ".", exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("id\tlist\tquery\tschema\texpect\tdob\tcountry\torigin\n")
        for i, (lst, q, schema, expect, origin) in enumerate(rows, 1):
            out.write("%d\t%s\t%s\t%s\t%s\t\t\t%s\n" % (i, lst, q, schema, expect, origin))


if __name__ == "__main__":
    main()
