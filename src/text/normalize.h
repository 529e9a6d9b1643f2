/* normalize.h - names to comparable tokens.
 *
 * A name (UTF-8) becomes lowercase ASCII tokens: NFKC, case folding,
 * transliteration to Latin then ASCII (ICU "Any-Latin; Latin-ASCII", skipped
 * for input that is ASCII already), punctuation to spaces, apostrophes
 * dropped. Legal forms (Ltd, Limited, LLC, OOO, GmbH, S.A., ...) become one
 * canonical token of class EG__TOK_LEGAL; honorifics and name particles
 * (al, bin, van, de, ...) are classed too. The tables are data files under
 * data/text/, compiled in. Numbers are kept as tokens of their own class.
 *
 * Thread-safety: every function may be called from any thread; ICU objects
 * are kept one per thread and reused. */
#ifndef EG_NORMALIZE_H
#define EG_NORMALIZE_H

#include "exportgate.h"
#include "../util/caps.h"

#include <stddef.h>
#include <stdint.h>

#define EG__NORM_MAX_TOKENS 64

typedef enum eg__tok_class {
	EG__TOK_WORD = 0,
	EG__TOK_NUMBER,    /* all digits: must match exactly */
	EG__TOK_LEGAL,     /* canonical legal form: "llc", "ltd", "sa", "gmbh", ... */
	EG__TOK_PARTICLE,  /* al, el, bin, ibn, abu, abd, van, von, de, ... */
	EG__TOK_HONORIFIC, /* mr, dr, sheikh, general, ... */
	EG__TOK_ORGWORD    /* generic organisation word: "group", "holding",
	                      "trading", "international"; weak evidence */
} eg__tok_class;

#define EG__SCRIPT_ABJAD 1
#define EG__SCRIPT_SYLLABIC 2
#define EG__SCRIPT_TRANSCRIBED 3

typedef struct eg__token {
	const char *text; /* NUL-terminated lowercase ASCII, inside the result */
	uint16_t len;
	uint8_t cls;      /* eg__tok_class */
	uint8_t abjad;    /* EG__SCRIPT_ABJAD: transliterated from Arabic, Hebrew
	                     or Syriac script, so short vowels may be missing;
	                     EG__SCRIPT_SYLLABIC: from Han or Hangul, one
	                     syllable per character;
	                     EG__SCRIPT_TRANSCRIBED: a foreign name spelt
	                     sound by sound in Kana, or in Han or Hangul
	                     (its syllables joined into one word), so l and
	                     r, b and v, k and g, t and d may stand for one
	                     another; 0 otherwise */
	uint32_t native;  /* the Han character or Hangul syllable the token was
	                     transliterated from, else 0: lists spell 정 and 종
	                     both "jong", 石 and 市 both "shi" */
} eg__token;

typedef struct eg__norm {
	char buf[EG__CAP_NORM_BYTES];         /* private: token storage */
	eg__token tok[EG__NORM_MAX_TOKENS];    /* read-only */
	size_t n;                              /* read-only: tokens */
	int truncated;                         /* read-only: 1 if tokens were cut */
} eg__norm;

/*
 * Normalises len bytes of UTF-8 into out. Returns 0, or EG_EUTF8 (invalid
 * UTF-8, the message gives the byte offset), EG_EINVAL (a C0/C1 control
 * character or DEL, tab and newline included: parsers collapse white space
 * first), EG_ETOOBIG (input over EG__CAP_NORM_INPUT_BYTES, or tokens over
 * EG__CAP_NORM_BYTES after normalisation), EG_ENOMEM or EG_EUNICODE; on
 * error out holds 0 tokens. A name with no letters or digits gives 0
 * tokens, not an error. Past EG__NORM_MAX_TOKENS tokens the rest is
 * dropped and out->truncated set. Token texts point into out->buf, so they
 * are valid while out is, and not in a copy of it.
 */
int eg__text_normalize(eg__norm *out, const char *in, size_t len, eg_error *err);

/* Checks a query: non-empty, at most EG__CAP_QUERY_BYTES, valid UTF-8, no
 * control characters. Returns 0 or EG_EEMPTY/EG_ETOOBIG/EG_EUTF8/EG_EINVAL
 * with the reason in err. */
int eg__text_check_query(const char *in, size_t len, eg_error *err);

/* Writes the consonant skeleton of a token (vowels and doubled letters
 * dropped, first letter kept: "mohammed" -> "mhmd") into out, which holds at
 * least len + 1 bytes; returns its length. */
size_t eg__text_skeleton(char *out, const char *tok, size_t len);

/* Writes a phonetic key of a token (similar-sounding spellings share it:
 * mohammed/muhammad/mohamed, yevgeniy/evgeny) into out, which holds at least
 * len + 1 bytes; returns its length (at most len). A token of digits is its
 * own key. The rules are listed above its definition in keys.c. */
size_t eg__text_phonetic(char *out, const char *tok, size_t len);

/* 1 when a and b are at most one edit apart (a deletion, insertion,
 * substitution or transposition of neighbours), else 0. Linear. */
int eg__text_one_edit(const char *a, size_t alen, const char *b, size_t blen);

/* Calls fn for every name the given-name diminutive tok stands for and
 * every diminutive of the name tok ("ted": theodore, edward, ...;
 * "theodore": ted, teddy, theo), from data/text/nicknames.tsv; returns
 * how many. */
typedef void (*eg__text_name_fn)(void *ud, const char *text, size_t len);
size_t eg__text_nicknames(const char *tok, size_t len, eg__text_name_fn fn, void *ud);

/* Calls fn for every Korean reading of the Han character cp other than
 * the pinyin spelling tok[0..len) normalisation gave it, as lists spell
 * Korean names (金 "kim", "kum"; 正 "jong"; 龍 "ryong", "yong"), from
 * data/text/han_korean.tsv (Unihan's kHangul): a Korean name written in
 * Hanja (金正恩) meets its listed spelling (KIM Jong Un). The texts are
 * static. Returns how many; 0 for a code point that is no Han character
 * with a Korean reading. */
size_t eg__text_han_readings(uint32_t cp, const char *tok, size_t len, eg__text_name_fn fn,
                             void *ud);

/* Calls fn for every reading of the word tok[0..len) through the spelling
 * habits of other languages (data/text/respellings.tsv: German "setschin",
 * French "setchine", Hungarian "szecsin" read as "sechin") that differs
 * from tok and from the readings before it; returns how many, at most
 * EG__RESPELL_READINGS. script is the word's eg__token.abjad: a Latin
 * word (0) is read through the habits of Latin spelling, a transcription
 * (EG__SCRIPT_TRANSCRIBED: Kana "mishusuchin", Han "mishusjing") through
 * the habits of transcription ("mishustin", "mishusdin"), any other word
 * not at all. Only words of EG__RESPELL_MIN to EG__RESPELL_MAX letters a-z
 * are read, and only readings of that length are given. The text given to
 * fn is valid during the call only. */
#define EG__RESPELL_MIN 4
#define EG__RESPELL_MAX 24
#define EG__RESPELL_READINGS 8
size_t eg__text_respell(const char *tok, size_t len, int script, eg__text_name_fn fn,
                        void *ud);

/* 1 when w[0..n) is one Mandarin syllable as pinyin or Wade-Giles writes it
 * (data/text/chinese_syllables.tsv; many a Korean one too: kang, jang, hong,
 * song), else 0. */
int eg__text_is_syllable(const char *w, size_t n);

/* 1 when one of a and b is a diminutive of the other, else 0. */
int eg__text_nickname_pair(const char *a, size_t al, const char *b, size_t bl);

/* Releases this thread's ICU objects. Optional: they are also released
 * when the thread exits (but not for the main thread); the next call on
 * this thread builds them again. */
void eg__text_thread_cleanup(void);

#endif
