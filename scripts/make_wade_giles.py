#!/usr/bin/env python3
"""make_wade_giles.py - writes data/text/wade_giles.tsv: the Wade-Giles
spellings of Mandarin syllables, as the press writes them without the
apostrophe, umlaut and circumflex, that are no pinyin syllable, each read as
its pinyin (class EG__TOK_WORD, as words.tsv: only the spelling is made one).

Usage: make_wade_giles.py data/text/wade_giles.tsv data/text/chinese_syllables.tsv \
           data/text/wade_giles_forms.tsv

It also writes chinese_syllables.tsv: every Mandarin syllable as pinyin or
as Wade-Giles without its marks writes it, one a line, a Wade-Giles
spelling with its pinyin readings after a tab: unaspirated, then aspirated
(also where the spelling is a pinyin syllable too: "chi" ji qi, "chang"
zhang chang, "tung" dong tong); the aspirated one where an apostrophe
followed the initial ("ch'i" qi). The normaliser
writes a hyphenated pair of syllables ("Chi-cheng", "Hsiao-ming") as one
word, as lists write a given name in pinyin ("Jicheng", "Xiaoming"),
reading each as Wade-Giles: a hyphenated Chinese given name is Taiwan's and
Hong Kong's habit, and of the older press, not pinyin's.

And wade_giles_forms.tsv (PINYIN<TAB>WADE-GILES, the format of
name_forms.tsv, its pairs taken both ways): the Wade-Giles spellings that
are pinyin syllables too, or -ung, so wade_giles.tsv cannot rewrite them
("Chu", "Lo", "Kao", "Chang"), beside each pinyin reading (chu: zhu, ju,
qu; aspirated or not, since the apostrophe is mostly dropped): they meet
as a given name and its diminutive do (0.90), standing alone.

Every pinyin syllable is respelt by the Wade-Giles rules below (initials
b p d t g k z c zh ch j q x r as p p' t t' k k' ts ts' ch ch' ch ch' hs j;
-i after z c s as -u, after zh ch sh r as -ih; -ong -iong as -ung -iung;
-ian as -ien; -ie as -ieh; u, un, uan, ue after j q x y as u, un, uan, ueh;
-uo as -o but after g k h sh; -e after g k h as -o; yan, ye, you, yi, yong,
er as yen, yeh, yu, i, yung, erh). Where the apostrophe is gone, an
aspirated and an unaspirated syllable are spelt alike: the table reads the
unaspirated one (the one Wade-Giles writes without a mark), so "Ch'ing" and
"Ching" both read "jing"; a one-letter difference a spelling match absorbs.
A Wade-Giles spelling that is itself a pinyin syllable ("chang", "chen",
"lo") is left as it is: both readings are names. Written for exportgate
from general knowledge of the two systems; no table was copied.
"""
import sys

FINALS = {
    "": "a ai an ang ao e ei en eng er o ou",
    "b": "a ai an ang ao ei en eng i ian iao ie in ing o u",
    "p": "a ai an ang ao ei en eng i ian iao ie in ing o ou u",
    "m": "a ai an ang ao e ei en eng i ian iao ie in ing iu o ou u",
    "f": "a an ang ei en eng o ou u",
    "d": "a ai an ang ao e ei en eng i ian iao ie ing iu ong ou u uan ui un uo",
    "t": "a ai an ang ao e eng i ian iao ie ing ong ou u uan ui un uo",
    "n": "a ai an ang ao e ei en eng i ian iang iao ie in ing iu ong ou u uan ue uo v",
    "l": "a ai an ang ao e ei eng i ia ian iang iao ie in ing iu o ong ou u uan ue un uo v",
    "g": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "k": "a ai an ang ao e en eng ong ou u ua uai uan uang ui un uo",
    "h": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "z": "a ai an ang ao e ei en eng i ong ou u uan ui un uo",
    "c": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "s": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "zh": "a ai an ang ao e ei en eng i ong ou u ua uai uan uang ui un uo",
    "ch": "a ai an ang ao e en eng i ong ou u ua uai uan uang ui un uo",
    "sh": "a ai an ang ao e ei en eng i ou u ua uai uan uang ui un uo",
    "r": "an ang ao e en eng i ong ou u uan ui un uo",
    "j": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "q": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "x": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "y": "a an ang ao e i in ing o ong ou u uan ue un",
    "w": "a ai an ang ei en eng o u",
}
INITIAL = {"b": "p", "p": "p'", "d": "t", "t": "t'", "g": "k", "k": "k'", "z": "ts",
           "c": "ts'", "zh": "ch", "ch": "ch'", "j": "ch", "q": "ch'", "x": "hs", "r": "j"}
UNASPIRATED = set("b d g z zh j".split()) | {"", "m", "f", "n", "l", "h", "s", "sh", "r",
                                             "y", "w"}


def wade_giles(ini, fin):
    if ini == "y":
        special = {"an": "yen", "e": "yeh", "ou": "yu", "i": "i", "ong": "yung", "u": "yu",
                   "uan": "yuan", "ue": "yueh", "un": "yun"}
        if fin in special:
            return special[fin]
    if ini == "" and fin == "er":
        return "erh"
    w_ini = INITIAL.get(ini, ini)
    f = fin
    if fin == "i" and ini in ("z", "c", "s"):
        f = "u"
        w_ini = {"z": "tz", "c": "tz'", "s": "ss"}[ini]
    elif fin == "i" and ini in ("zh", "ch", "sh", "r"):
        f = "ih"
    elif fin.endswith("ong"):
        f = fin[:-3] + "ung"
    elif fin.endswith("ian"):
        f = fin[:-3] + "ien"
    elif fin == "ie":
        f = "ieh"
    elif fin == "ue":
        f = "ueh"
    elif fin == "v":
        f = "u"
    elif fin == "uo" and ini not in ("g", "k", "h", "sh"):
        f = "o"
    elif fin == "e" and ini in ("g", "k", "h"):
        f = "o"
    return w_ini + f


# Spellings that are as often a word or name of another language, left out:
# English words and number words ("ten", "no", "so", "to"), European given
# names and nicknames ("Jan", "Jo"), Korean and Japanese names ("Cho", "Ko",
# "Kei"), and the like.
EXCLUDE = set("jan ten no so to jo je ho ko cho kei tei tiu jou".split())


def main():
    pinyin = set()
    readings = {}
    for ini, fins in FINALS.items():
        for fin in fins.split():
            py = ini + ("u" if fin == "v" else fin)
            pinyin.add(py)
            w = wade_giles(ini, fin)
            bare = w.replace("'", "")
            umlaut = fin == "v" or (ini in ("j", "q", "x", "y") and fin.startswith("u"))
            readings.setdefault(bare, []).append((ini in UNASPIRATED, py, umlaut))
    # the other spellings of si (ssu, szu) and of zi, ci (tzu, tsu)
    readings.setdefault("szu", []).append((True, "si", False))
    out = ["# wade_giles.tsv - Mandarin syllables in Wade-Giles without its marks, read",
           "# as pinyin (class EG__TOK_WORD). Generated by scripts/make_wade_giles.py,",
           "# which gives the rules; written for exportgate from general knowledge of",
           "# the two systems. Edit the script, not this file.",
           ""]
    for bare in sorted(readings):
        # -ung (pinyin -ong) is how the lists spell Korean -ung too (hung,
        # sung, chung, jung: 흥, 승, 중): read as -ong it would part a Korean
        # name from its Hangul; -iung (hsiung) is Chinese only
        if bare in pinyin or len(bare) < 2 or bare in EXCLUDE or \
                (bare.endswith("ung") and not bare.endswith("iung")):
            continue
        best = sorted(readings[bare], key=lambda r: (not r[0], r[1]))[0][1]
        out.append("%s\t%s" % (bare, best))
    with open(sys.argv[1], "w", encoding="ascii") as f:
        f.write("\n".join(out) + "\n")
    forms = ["# wade_giles_forms.tsv - Wade-Giles spellings that are pinyin too, or -ung,",
             "# beside their pinyin reading (PINYIN<TAB>WADE-GILES, taken both ways).",
             "# Generated by scripts/make_wade_giles.py, which gives the rules; written",
             "# for exportgate from general knowledge of the two systems. Edit the",
             "# script, not this file.",
             ""]
    for bare in sorted(readings):
        if len(bare) < 2 or bare in EXCLUDE:
            continue
        if bare in pinyin or (bare.endswith("ung") and not bare.endswith("iung")):
            for py in sorted(set(r[1] for r in readings[bare]) - {bare}):
                forms.append("%s\t%s" % (py, bare))
    with open(sys.argv[3], "w", encoding="ascii") as f:
        f.write("\n".join(forms) + "\n")
    syl = ["# chinese_syllables.tsv - every Mandarin syllable as pinyin or as Wade-Giles",
           "# without its marks writes it, one a line; a Wade-Giles spelling with its",
           "# pinyin readings after a tab, unaspirated then aspirated. Generated by",
           "# scripts/make_wade_giles.py, which gives the rules; written for exportgate",
           "# from general knowledge of the two systems. Edit the script, not this file.",
           ""]
    for w in sorted(pinyin | set(readings)):
        if w in readings and len(w) >= 2:
            plain = sorted(readings[w], key=lambda r: (not r[0], r[1]))[0][1]
            # who writes the apostrophe writes the umlaut too, which the
            # normaliser's accent removal drops: "ch'un" is ch'ün, qun
            asp = sorted(readings[w], key=lambda r: (r[0], not r[2], r[1]))[0][1]
            syl.append("%s\t%s\t%s" % (w, plain, asp) if (plain, asp) != (w, w) else w)
        else:
            syl.append(w)
    with open(sys.argv[2], "w", encoding="ascii") as f:
        f.write("\n".join(syl) + "\n")


if __name__ == "__main__":
    main()
