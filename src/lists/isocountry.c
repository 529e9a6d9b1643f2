/* isocountry.c - country text to ISO 3166-1 alpha-2 code, by a table
 * compiled in from data/text/iso_countries.tsv.
 *
 * A query is folded to the key the generator built for every name (the rule
 * is stated once, in scripts/embed_countries.py; the two must agree) and
 * binary-searched. Only text holding a non-ASCII byte goes through ICU
 * (NFKD, marks dropped); ASCII text is folded in place, so a lookup costs
 * a few hundred nanoseconds and no allocation. */
#include "isocountry.h"
#include "util/hash.h"

#include <pthread.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#define MAX_WORDS 16

typedef struct word {
	const char *p;
	size_t n;
} word;

static int is_stop(const word *w)
{
	return (w->n == 3 && (memcmp(w->p, "the", 3) == 0 || memcmp(w->p, "and", 3) == 0)) ||
	       (w->n == 2 && memcmp(w->p, "of", 2) == 0);
}

static int word_cmp(const word *a, const word *b)
{
	int c = memcmp(a->p, b->p, a->n < b->n ? a->n : b->n);

	if (c != 0)
		return c;
	return a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
}

/* Folds UTF-8 text to NFKD without non-spacing marks, into out (cap bytes).
 * Returns the length, or -1 for invalid UTF-8 or a result over cap. */
static long fold_unicode(char *out, size_t cap, const char *text, size_t len)
{
	UChar in16[EG__ISO_MAX_TEXT], nfkd[EG__ISO_MAX_TEXT * 4];
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfkd_norm;
	int32_t n16, nn, i = 0;
	size_t w = 0;

	u_strFromUTF8(in16, EG__ISO_MAX_TEXT, &n16, text, (int32_t)len, &st);
	if (U_FAILURE(st))
		return -1;
	nfkd_norm = unorm2_getNFKDInstance(&st);
	if (U_FAILURE(st))
		return -1;
	nn = unorm2_normalize(nfkd_norm, in16, n16, nfkd, EG__ISO_MAX_TEXT * 4, &st);
	if (U_FAILURE(st))
		return -1;
	while (i < nn) {
		UChar32 c;
		UBool bad = 0;
		U16_NEXT(nfkd, i, nn, c);
		if (u_charType(c) == U_NON_SPACING_MARK)
			continue;
		if (c >= 0x80 && !u_isalnum(c))
			c = ' '; /* a typographic apostrophe, a no-break space */
		if (w + U8_MAX_LENGTH > cap)
			return -1;
		U8_APPEND((uint8_t *)out, w, cap, c, bad);
		if (bad)
			return -1;
	}
	return (long)w;
}

/* The key of text[0..len) (see scripts/embed_countries.py) into key, NUL
 * terminated. Returns 0, or -1 when the text cannot be a name of the table
 * (too long, too many words, invalid UTF-8). */
static int key_of(char key[EG__ISO_MAX_KEY + 1], const char *text, size_t len)
{
	char folded[EG__ISO_MAX_TEXT * 4];
	word words[MAX_WORDS], tmp;
	size_t i, j, n = 0, kept = 0, w = 0;
	long flen = (long)len;

	if (len > EG__ISO_MAX_TEXT)
		return -1;
	for (i = 0; i < len && (unsigned char)text[i] < 0x80; i++)
		;
	if (i < len) {
		if ((flen = fold_unicode(folded, sizeof(folded), text, len)) < 0)
			return -1;
	} else {
		memcpy(folded, text, len);
	}
	/* Lower ASCII letters; every other ASCII byte but a digit separates. */
	for (i = 0; i < (size_t)flen;) {
		size_t start;
		while (i < (size_t)flen && (unsigned char)folded[i] < 0x80 &&
		       !((folded[i] >= 'a' && folded[i] <= 'z') ||
		         (folded[i] >= 'A' && folded[i] <= 'Z') ||
		         (folded[i] >= '0' && folded[i] <= '9')))
			i++;
		if (i == (size_t)flen)
			break;
		start = i;
		for (; i < (size_t)flen; i++) {
			char c = folded[i];
			if (c >= 'A' && c <= 'Z')
				folded[i] = (char)(c - 'A' + 'a');
			else if ((unsigned char)c < 0x80 && !(c >= 'a' && c <= 'z') &&
			         !(c >= '0' && c <= '9'))
				break;
		}
		if (n == MAX_WORDS)
			return -1;
		words[n].p = folded + start;
		words[n].n = i - start;
		kept += !is_stop(&words[n]);
		n++;
	}
	if (n == 0)
		return -1;
	if (kept > 0) { /* drop the stop words unless nothing else is left */
		for (i = j = 0; i < n; i++)
			if (!is_stop(&words[i]))
				words[j++] = words[i];
		n = j;
	}
	for (i = 1; i < n; i++) /* insertion sort: a handful of words */
		for (j = i; j > 0 && word_cmp(&words[j - 1], &words[j]) > 0; j--) {
			tmp = words[j];
			words[j] = words[j - 1];
			words[j - 1] = tmp;
		}
	for (i = 0; i < n; i++) {
		if (w + words[i].n + (i > 0) > EG__ISO_MAX_KEY)
			return -1;
		if (i > 0)
			key[w++] = ' ';
		memcpy(key + w, words[i].p, words[i].n);
		w += words[i].n;
	}
	key[w] = '\0';
	return 0;
}

static int find_name(const char *key, uint16_t *out)
{
	size_t lo = 0, hi = eg__iso_name_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, eg__iso_names[mid].key);
		if (c == 0) {
			*out = eg__iso_names[mid].code;
			return 0;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return EG_ENOTFOUND;
}

int eg__isocountry_valid(uint16_t code)
{
	char a = EG__ISO_FIRST(code), b = EG__ISO_SECOND(code);

	if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
		return 0;
	return eg__iso_valid[(a - 'A') * 26 + (b - 'A')];
}

static int upper_letter(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int resolve(const char *text, size_t len, uint16_t *out, int any_case)
{
	char key[EG__ISO_MAX_KEY + 1];
	uint16_t code;

	if (len == 2) {
		char a = text[0], b = text[1];
		if (any_case) {
			a = (a >= 'a' && a <= 'z') ? (char)(a - 'a' + 'A') : a;
			b = (b >= 'a' && b <= 'z') ? (char)(b - 'a' + 'A') : b;
		}
		if (upper_letter(a) && upper_letter(b) &&
		    eg__isocountry_valid(code = EG__ISO_PACK(a, b))) {
			*out = code;
			return 0;
		}
	}
	if (key_of(key, text, len) != 0 || find_name(key, &code) != 0)
		return EG_ENOTFOUND;
	*out = code;
	return 0;
}

int eg__isocountry_code(const char *text, size_t len, uint16_t *out)
{
	return resolve(text, len, out, 1);
}

int eg__isocountry_code_listed(const char *text, size_t len, uint16_t *out)
{
	return resolve(text, len, out, 0);
}

/* --- a country's name as one word ------------------------------------------ */

/* A bit per hash of the names of one word: most words are no country,
 * and one bit says so without the binary search. */
#define WORD_FILTER_BITS 4096
static uint64_t word_filter[WORD_FILTER_BITS / 64];
static pthread_once_t word_once = PTHREAD_ONCE_INIT;

static size_t word_bit(const char *w, size_t n)
{
	return (size_t)eg__hash_bytes(w, n) & (WORD_FILTER_BITS - 1);
}

static void word_filter_build(void)
{
	size_t i, n, b;

	for (i = 0; i < eg__iso_name_count; i++) {
		const char *k = eg__iso_names[i].key;
		if (strchr(k, ' ') != NULL || (n = strlen(k)) < EG__ISO_MIN_WORD)
			continue;
		b = word_bit(k, n);
		word_filter[b / 64] |= (uint64_t)1 << (b % 64);
	}
}

uint16_t eg__isocountry_word(const char *w, size_t n)
{
	size_t lo = 0, hi = eg__iso_name_count, b;

	if (n < EG__ISO_MIN_WORD || n > EG__ISO_MAX_KEY)
		return 0;
	pthread_once(&word_once, word_filter_build);
	b = word_bit(w, n);
	if (!(word_filter[b / 64] >> (b % 64) & 1))
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = eg__iso_names[mid].key;
		int c = strncmp(w, k, n);
		if (c == 0 && k[n] != '\0')
			c = -1; /* w is a prefix of k */
		if (c == 0)
			return eg__iso_names[mid].code;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}
