#!/usr/bin/env python3
"""embed_tables.py - compiles the name tables of data/text/ into C source.

Usage: embed_tables.py OUTPUT.c TABLE.tsv...

Each TABLE.tsv holds one entry a line, VARIANT<TAB>CANONICAL (CANONICAL may
be omitted: it is then VARIANT); lines starting with '#' and blank lines are
ignored. VARIANT is lowercase ASCII words ([a-z0-9]+) separated by one
space; CANONICAL is one or more such words. The class of every entry comes
from the file's name:

    legal_forms.tsv  EG__TOK_LEGAL
    org_words.tsv    EG__TOK_ORGWORD
    honorifics.tsv   EG__TOK_HONORIFIC
    particles.tsv    EG__TOK_PARTICLE

A variant may appear once across all files (the build fails otherwise, naming
both lines), so which class wins is decided in the data, not in code.

nicknames.tsv is a table of another kind: NICKNAME<TAB>NAME, one given-name
word each ([a-z]+), a nickname on as many lines as the names it stands for.
It becomes eg__text_nick_pairs, sorted by nickname then name, and
eg__text_nick_by_name, sorted by name then nickname, with no duplicate
pair.

The output defines the arrays declared in src/text/tables.h: every entry
sorted by variant (bytewise, as strcmp/memcmp order them) and every distinct
first word with the most words of a variant starting with it, so the
normaliser can binary-search both.
"""
import os
import re
import sys

CLASSES = {
    "legal_forms": "EG__TOK_LEGAL",
    "org_words": "EG__TOK_ORGWORD",
    "honorifics": "EG__TOK_HONORIFIC",
    "particles": "EG__TOK_PARTICLE",
}
# Must agree with EG__TEXT_MAX_WORDS and EG__TEXT_MAX_VARIANT in tables.h;
# the generated file checks both with _Static_assert.
MAX_WORDS = 8
MAX_VARIANT = 63
WORDS = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")


def fail(where, msg):
    sys.stderr.write("%s: %s\n" % (where, msg))
    sys.exit(1)


def data_lines(path):
    """Yields (where, tab-separated fields) of every line that is neither
    blank nor a comment."""
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield "%s:%d" % (path, lineno), line.split("\t")


def read_table(path):
    stem = os.path.splitext(os.path.basename(path))[0]
    if stem not in CLASSES:
        fail(path, "unknown table (expected one of %s)" % ", ".join(sorted(CLASSES)))
    cls = CLASSES[stem]
    for where, fields in data_lines(path):
        if len(fields) > 2:
            fail(where, "more than two tab-separated fields")
        variant = fields[0]
        canon = fields[1] if len(fields) == 2 else variant
        for name, value in (("variant", variant), ("canonical", canon)):
            if not WORDS.match(value):
                fail(where, "%s %r is not lowercase ASCII words separated by one space"
                     % (name, value))
        nwords = variant.count(" ") + 1
        if nwords > MAX_WORDS or len(variant) > MAX_VARIANT:
            fail(where, "variant %r longer than %d words or %d bytes"
                 % (variant, MAX_WORDS, MAX_VARIANT))
        if len(canon) > MAX_VARIANT:
            fail(where, "canonical %r longer than %d bytes" % (canon, MAX_VARIANT))
        yield variant, canon, cls, nwords, where


NICKNAMES = "nicknames"
NICK_WORD = re.compile(r"^[a-z]+$")


def read_nicknames(path):
    pairs = {}
    for where, fields in data_lines(path):
        if len(fields) != 2:
            fail(where, "expected NICKNAME<TAB>NAME")
        for value in fields:
            if not NICK_WORD.match(value) or len(value) > MAX_VARIANT:
                fail(where, "%r is not one lowercase ASCII word" % value)
        if fields[0] == fields[1]:
            fail(where, "a nickname equal to its name")
        key = (fields[0], fields[1])
        if key in pairs:
            fail(where, "pair already given at %s" % pairs[key])
        pairs[key] = where
    return sorted(pairs, key=lambda p: (p[0].encode("ascii"), p[1].encode("ascii")))


def c_string(s):
    return '"' + s + '"'  # validated: [a-z0-9 ] only


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    out_path, inputs = argv[1], argv[2:]
    entries = {}
    nicknames = []
    for path in inputs:
        if os.path.splitext(os.path.basename(path))[0] == NICKNAMES:
            nicknames = read_nicknames(path)
            continue
        for variant, canon, cls, nwords, where in read_table(path):
            if variant in entries:
                fail(where, "variant %r already given at %s" % (variant, entries[variant][3]))
            entries[variant] = (canon, cls, nwords, where)
    if not entries:
        fail(out_path, "no entries in %s" % " ".join(inputs))

    keys = sorted(entries, key=lambda s: s.encode("ascii"))
    firsts = {}
    for v in keys:
        w = v.split(" ")[0]
        firsts[w] = max(firsts.get(w, 0), entries[v][2])
    first_keys = sorted(firsts, key=lambda s: s.encode("ascii"))

    lines = [
        "/* Generated by scripts/embed_tables.py from data/text/; do not edit. */",
        '#include "text/tables.h"',
        "",
        "_Static_assert(%d <= EG__TEXT_MAX_WORDS, \"variant with too many words\");"
        % max(e[2] for e in entries.values()),
        "_Static_assert(%d <= EG__TEXT_MAX_VARIANT, \"variant too long\");"
        % max(len(v) for v in keys),
        "",
        "const eg__text_entry eg__text_entries[] = {",
    ]
    for v in keys:
        canon, cls, nwords, _ = entries[v]
        lines.append("\t{%s, %s, %s, %d}," % (c_string(v), c_string(canon), cls, nwords))
    lines += [
        "};",
        "const size_t eg__text_entry_count = %d;" % len(keys),
        "",
        "const eg__text_first eg__text_firsts[] = {",
    ]
    for w in first_keys:
        lines.append("\t{%s, %d}," % (c_string(w), firsts[w]))
    lines += [
        "};",
        "const size_t eg__text_first_count = %d;" % len(first_keys),
        "",
        "const eg__text_nickname eg__text_nick_pairs[] = {",
    ]
    for nick, name in nicknames:
        lines.append("\t{%s, %s}," % (c_string(nick), c_string(name)))
    if not nicknames:
        lines.append("\t{\"\", \"\"},")
    lines += [
        "};",
        "const size_t eg__text_nickname_count = %d;" % len(nicknames),
        "",
        "/* the same pairs by name, then nickname */",
        "const eg__text_nickname eg__text_nick_by_name[] = {",
    ]
    for nick, name in sorted(nicknames, key=lambda p: (p[1].encode("ascii"),
                                                       p[0].encode("ascii"))):
        lines.append("\t{%s, %s}," % (c_string(nick), c_string(name)))
    if not nicknames:
        lines.append("\t{\"\", \"\"},")
    lines += [
        "};",
        "",
    ]
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("\n".join(lines))
    os.replace(tmp, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
