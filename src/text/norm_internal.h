/* text/norm_internal.h - what the files of the normaliser share: raw tokens,
 * the per-thread ICU objects and the steps of the pipeline.
 *
 * Private to src/text/: the public contract is normalize.h. The pipeline
 * (normalize.c) validates a name, collects raw tokens (tokenize.c: ASCII
 * directly, anything else through icu.c's per-thread transliterators and
 * romanize.c's romanisations ICU does not give), then classifies them
 * through the tables of data/text/ (classify.c). keys.c holds the keys a
 * matcher compares tokens by. */
#ifndef EG_TEXT_NORM_INTERNAL_H
#define EG_TEXT_NORM_INTERNAL_H

#include "text/normalize.h"

#include <stddef.h>
#include <stdint.h>

#include <unicode/unorm2.h>
#include <unicode/utrans.h>

/* Raw tokens collected before merging: twice the result's token budget,
 * so variants of several words can still collapse into the kept ones. */
#define RAW_MAX_TOKENS (2 * EG__NORM_MAX_TOKENS)
#define RAW_MAX_BYTES (2 * EG__CAP_NORM_BYTES)

/* The ICU path's UTF-16 working buffers may grow to this many code units
 * (NFKC can expand one code point to 18, transliteration a Han character to
 * a pinyin syllable and a space); longer is EG_ETOOBIG. */
#define WORK_MAX_UNITS (4 * EG__CAP_NORM_INPUT_BYTES)

typedef struct eg__raw_tokens {
	size_t used;                  /* bytes of buf in use, NULs included */
	uint16_t off[RAW_MAX_TOKENS]; /* start of token i in buf */
	uint16_t len[RAW_MAX_TOKENS];
	uint8_t abjad[RAW_MAX_TOKENS];
	uint32_t native[RAW_MAX_TOKENS]; /* see eg__token.native */
	uint8_t hyphen[RAW_MAX_TOKENS];  /* a hyphen joins token i to token i + 1 */
	uint8_t apos[RAW_MAX_TOKENS];    /* bit k: an apostrophe after letter k
	                                    (k < 8; Wade-Giles "ch'ing") */
	size_t n;                     /* complete tokens */
	int open;                     /* token n is being written */
	int truncated;                /* more than RAW_MAX_TOKENS tokens */
	int toobig;                   /* more than RAW_MAX_BYTES bytes */
	/* RAW_MAX_BYTES bytes, allocated with the struct and ending it, so a
	 * write past them leaves the allocation, where AddressSanitizer sees
	 * it. Invariant: an open token always has room for its NUL. */
	char buf[];
} eg__raw_tokens;

/* This thread's transliterators (icu.c explains why two). */
typedef struct eg__thread_icu {
	UTransliterator *any_latin;   /* "Any-Latin" */
	UTransliterator *latin_ascii; /* "Latin-ASCII" */
} eg__thread_icu;

/* The scratch buffers of one call of the ICU path. */
typedef struct eg__icu_bufs {
	UChar *a, *b;
	int32_t acap, bcap;
} eg__icu_bufs;

static inline int eg__text_all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* --- icu.c ---------------------------------------------------------------- */

/* Sets *out to this thread's transliterators, building them on first use.
 * Returns 0, or EG_ENOMEM/EG_EUNICODE with err set. */
int eg__icu_get(eg__thread_icu **out, eg_error *err);

/* Grows *buf to hold at least need code units; over WORK_MAX_UNITS is
 * EG_ETOOBIG, a failed allocation EG_ENOMEM (*buf kept). */
int eg__icu_grow(UChar **buf, int32_t *cap, int32_t need, eg_error *err);

/* Writes s[0..n) normalised by nf into *dst (grown as needed); the length
 * goes to *dlen. Returns 0 or a negative EG_E* code with err set. */
int eg__icu_normalize(const UNormalizer2 *nf, const UChar *s, int32_t n, UChar **dst,
                      int32_t *dcap, int32_t *dlen, eg_error *err);

/* Transliterates s[0..n) with trans into *dst (grown as needed; s must not
 * point into *dst); the length goes to *dlen. Returns 0 or a negative
 * EG_E* code with err set. */
int eg__icu_translit(UTransliterator *trans, const UChar *s, int32_t n, UChar **dst,
                     int32_t *dcap, int32_t *dlen, eg_error *err);

/* --- romanize.c ----------------------------------------------------------- */

/* Respells raw tokens from..r->n, romanised by ICU from Hangul, as lists
 * spell Korean names. In place: a token never grows. */
void eg__romanize_hangul(eg__raw_tokens *r, size_t from);
/* Respells the Latin words of r that are one Korean syllable in the
 * Revised Romanization as the lists spell Korean names: "jeong" "jong",
 * "eun" "un", "byeong" "byong" (romanize.c). */
void eg__romanize_korean_rr(eg__raw_tokens *r);

/* Whether s[0..n) holds a letter of a script Any-Latin leaves as it is. */
int eg__romanize_has_foreign(const UChar *s, int32_t n);

/* Writes s[0..n) into *dst (grown as needed) with every letter of a script
 * Any-Latin leaves spelt from its Unicode character name; the length goes
 * to *dlen. Returns 0 or EG_ETOOBIG/EG_ENOMEM with err set. */
int eg__romanize_by_names(const UChar *s, int32_t n, UChar **dst, int32_t *dcap,
                          int32_t *dlen, eg_error *err);

/* Whether s[0..n) holds a letter of Devanagari, Bengali, Gurmukhi or
 * Gujarati: 2 if of Bengali, 1 if of the others only, else 0. */
int eg__romanize_has_indic(const UChar *s, int32_t n);

/* Writes s[0..n), ICU's romanisation of Indo-Aryan text, into *dst (grown
 * as needed) as names in those languages are spelt: the inherent vowel
 * dropped where it is not said, consonants without their marks (romanize.c
 * gives the rules; bengali: the text was Bengali); the length goes to *dlen. s must not point into *dst.
 * Returns 0 or EG_ETOOBIG/EG_ENOMEM with err set. */
int eg__romanize_indic(const UChar *s, int32_t n, int bengali, UChar **dst, int32_t *dcap,
                       int32_t *dlen, eg_error *err);

/* Whether s[0..n) holds a Thai letter. */
int eg__romanize_has_thai(const UChar *s, int32_t n);

/* Writes s[0..n) into *dst (grown as needed) with Thai respelt as the
 * press spells Thai and foreign names (romanize.c gives the rules), the
 * rest as it is; the length goes to *dlen. s must not point into *dst.
 * Returns 0 or EG_ETOOBIG/EG_ENOMEM with err set. */
int eg__romanize_thai(const UChar *s, int32_t n, UChar **dst, int32_t *dcap, int32_t *dlen,
                      eg_error *err);

/* Whether s[0..n) holds a Burmese letter. */
int eg__romanize_has_myanmar(const UChar *s, int32_t n);

/* Writes s[0..n) into *dst (grown as needed) with Burmese respelt a
 * syllable a word, as Burmese names are romanised (romanize.c gives the
 * rules), the rest as it is; the length goes to *dlen. s must not point
 * into *dst. Returns 0 or EG_ETOOBIG/EG_ENOMEM with err set. */
int eg__romanize_myanmar(const UChar *s, int32_t n, UChar **dst, int32_t *dcap,
                         int32_t *dlen, eg_error *err);

/* Writes s[0..n) into *dst (grown as needed) rewritten by the rules of
 * data/text/script_rules.tsv; the length goes to *dlen. s must not point
 * into *dst. Returns 0 or EG_ETOOBIG/EG_ENOMEM with err set. */
/* Korean names in Cyrillic, a syllable a word (Ким Чен Ын): two or more
 * such words in a row of s[0..n) are written in Latin as lists spell
 * Korean names, into *dst; the rest is copied. Returns 1 when it wrote,
 * 0 when s holds no such words (nothing written), or an error. */
int eg__romanize_korean_cyrillic(const UChar *s, int32_t n, UChar **dst, int32_t *dcap,
                                 int32_t *dlen, eg_error *err);

/* Chinese names in Cyrillic (Palladius: Чжан Сяомин): two or more words in
 * a row of s[0..n) that are each one to three syllables so spelt, one of
 * them with what only Chinese writes, are written in pinyin into *dst; the
 * rest is copied. Returns 1 when it wrote, 0 when not, or an error. */
int eg__romanize_chinese_cyrillic(const UChar *s, int32_t n, UChar **dst, int32_t *dcap,
                                  int32_t *dlen, eg_error *err);

/* The pinyin of w[0..n) (UTF-8, lowercase) when it is one to three
 * syllables in Palladius' Cyrillic ("сяомин" "xiaoming"), into out (64
 * bytes); the number of syllables, or 0. */
size_t eg__romanize_chinese_word(const char *w, size_t n, char *out);

/* The Latin reading of w[0..n) (UTF-8, lowercase) when it is one Korean
 * syllable in Cyrillic (Kontsevich: "чхоль" "chol", "чен" "jong"), into
 * out (16 bytes or more); its length, or 0 when it is not. */
size_t eg__romanize_korean_syllable(const char *w, size_t n, char *out);

int eg__romanize_rules(const UChar *s, int32_t n, UChar **dst, int32_t *dcap, int32_t *dlen,
                       eg_error *err);

/* --- tokenize.c ----------------------------------------------------------- */

/* The ASCII fast path: no ICU call. in[0..len) is validated already. */
void eg__tokenize_ascii(eg__raw_tokens *r, const char *in, size_t len);

/* The path for validated input with any non-ASCII byte. Returns 0 or a
 * negative EG_E* code with err set. */
int eg__tokenize_icu(eg__raw_tokens *r, const char *in, size_t len, eg_error *err);

/* --- classify.c ----------------------------------------------------------- */

/* Replaces misspelt long table words of r by the words they misspell. */
void eg__classify_correct(eg__raw_tokens *r);
/* Splits a legal form or organisation word off the word it was written
 * onto ("kavoshyarcompany"), and joins two words that together are one
 * ("comp any"): see classify.c. */
void eg__classify_respace(eg__raw_tokens *r);

/* Joins runs of one-letter words that no table variant covers. */
void eg__classify_join_initials(eg__raw_tokens *r);

/* Writes a hyphenated pair of Mandarin syllables ("Chi-cheng", "Hsiao-ming",
 * "Ze-min") as one word, each syllable in Wade-Giles read as its pinyin
 * (data/text/wade_giles.tsv), as lists write a Chinese given name:
 * "jicheng", "xiaoming", "zemin". A pair that is not two syllables of
 * data/text/chinese_syllables.tsv (Korean "Jong-un", "Pyong-chol") stays. */
void eg__classify_join_chinese(eg__raw_tokens *r);

/* Turns raw tokens into out's tokens, classed through the tables. Returns
 * 0 or EG_ETOOBIG with err set. */
int eg__classify(eg__norm *out, const eg__raw_tokens *r, eg_error *err);

#endif
