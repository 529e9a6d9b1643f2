/* tables.h - the name tables compiled in from the data files of data/text.
 *
 * The arrays are generated at build time by scripts/embed_tables.py (see its
 * header for the file format). Invariants the generator guarantees: both
 * arrays are sorted bytewise by their string and hold no duplicates; every
 * variant and canonical string is lowercase ASCII words ([a-z0-9]+)
 * separated by one space, at most EG__TEXT_MAX_VARIANT bytes; a variant has
 * at most EG__TEXT_MAX_WORDS words. */
#ifndef EG_TEXT_TABLES_H
#define EG_TEXT_TABLES_H

#include "text/normalize.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define EG__TEXT_MAX_WORDS 8
#define EG__TEXT_MAX_VARIANT 63

typedef struct eg__text_entry {
	const char *variant; /* words as normalisation produces them */
	const char *canon;   /* canonical token(s) that replace the variant */
	uint8_t cls;         /* eg__tok_class of the canonical token(s) */
	uint8_t words;       /* words in variant, 1..EG__TEXT_MAX_WORDS */
} eg__text_entry;

typedef struct eg__text_first {
	const char *word;    /* a first word of some variant */
	uint8_t max_words;   /* most words of a variant starting with it */
} eg__text_first;

typedef struct eg__text_nickname {
	const char *nick;    /* a diminutive: "ted" */
	const char *name;    /* a name it stands for: "theodore" */
} eg__text_nickname;

typedef struct eg__text_han {
	uint32_t cp;         /* a Han character */
	const char *readings; /* its Korean readings, words separated by one
	                         space, as lists spell Korean names: "kim kum" */
} eg__text_han;

extern const eg__text_han eg__text_han_korean[]; /* by code point */
extern const size_t eg__text_han_korean_count;
extern const eg__text_nickname eg__text_nick_pairs[]; /* by nick, then name */
extern const eg__text_nickname eg__text_nick_by_name[]; /* by name, then nick */
extern const size_t eg__text_nickname_count; /* pairs in each */
typedef struct eg__text_syllable {
	const char *syl;     /* a Mandarin syllable, pinyin or Wade-Giles */
	const char *pinyin;  /* its pinyin, read as Wade-Giles where it is that */
	const char *aspirated; /* the same after "ch'", "k'", "p'", "t'", "ts'" */
} eg__text_syllable;

/* every Mandarin syllable in pinyin or in Wade-Giles without its marks,
 * sorted by syl (data/text/chinese_syllables.tsv) */
extern const eg__text_syllable eg__text_syllables[];
extern const size_t eg__text_syllable_count;
/* A rule of a respelling habit (data/text/respellings.tsv): from[] read as
 * to[] by the writers of one language. The rules are grouped by habit (the
 * same habit string, in consecutive entries), each group sorted by from. */
#define EG__RESPELL_AT_START 1
#define EG__RESPELL_AT_END 2
typedef struct eg__text_respell {
	const char *habit;   /* "de", "fr", ... */
	const char *from;    /* 1 to 8 lowercase ASCII letters */
	const char *to;      /* 0 to 8 lowercase ASCII letters */
	uint8_t anchors;     /* EG__RESPELL_AT_START | EG__RESPELL_AT_END */
} eg__text_respell_rule;

extern const eg__text_respell_rule eg__text_respells[];
extern const size_t eg__text_respell_count;
extern const eg__text_entry eg__text_entries[];
extern const size_t eg__text_entry_count;
extern const eg__text_first eg__text_firsts[];
extern const size_t eg__text_first_count;

/* Compares the slice k[0..n) with the NUL-terminated s, bytewise, as the
 * tables are sorted. */
static inline int eg__text_slice_cmp(const char *k, size_t n, const char *s)
{
	size_t m = strlen(s);
	int c = memcmp(k, s, n < m ? n : m);

	if (c != 0)
		return c;
	return n < m ? -1 : n > m ? 1 : 0;
}

#endif
