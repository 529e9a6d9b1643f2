/* text/classify.c - raw tokens to classed tokens through the tables of data/text/. */
#include "text/norm_internal.h"
#include "text/tables.h"
#include "util/error.h"
#include "util/hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* --- classification ------------------------------------------------------ */

static const eg__text_entry *find_entry(const char *k, size_t n)
{
	size_t lo = 0, hi = eg__text_entry_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = eg__text_slice_cmp(k, n, eg__text_entries[mid].variant);
		if (c == 0)
			return &eg__text_entries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Most words of a variant starting with the word k[0..n); 0 if none. */
static unsigned first_max_words(const char *k, size_t n)
{
	size_t lo = 0, hi = eg__text_first_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = eg__text_slice_cmp(k, n, eg__text_firsts[mid].word);
		if (c == 0)
			return eg__text_firsts[mid].max_words;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* Appends a token to out. Past EG__NORM_MAX_TOKENS sets truncated and
 * returns 0; past EG__CAP_NORM_BYTES returns EG_ETOOBIG. */
static int emit(eg__norm *out, size_t *used, const char *s, size_t n, int cls,
                int abjad, uint32_t native, eg_error *err)
{
	eg__token *t;

	if (out->n == EG__NORM_MAX_TOKENS) {
		out->truncated = 1;
		return 0;
	}
	if (n + 1 > EG__CAP_NORM_BYTES - *used)
		return eg__error_set(err, EG_ETOOBIG, "name: over %d bytes once normalised",
		                     EG__CAP_NORM_BYTES);
	memcpy(out->buf + *used, s, n);
	out->buf[*used + n] = '\0';
	t = &out->tok[out->n++];
	t->text = out->buf + *used;
	t->len = (uint16_t)n;
	t->cls = (uint8_t)cls;
	t->abjad = (uint8_t)abjad;
	t->native = native;
	*used += n + 1;
	return 0;
}

/* --- misspelt table words ------------------------------------------------
 * A word one edit (deletion, insertion, substitution, transposition) away
 * from a long word of the tables ("limitned", "corponation", "arways") is
 * read as that word, so misspelt legal forms still weigh little and a
 * misspelt industry word is still read as the lists' word. Long words only: short
 * ones are too often real name parts one edit from a table word.
 * The keys are every table word of LONG_WORD letters or more and each of its
 * one-letter deletions, sorted; a word and its deletions are looked up. */
#define LONG_WORD 6
/* A letter changed (or two swapped), not dropped or added, is read as the
 * table word only from this length: six-letter names lie one letter from
 * the tables' six-letter words (BANIAS, a Syrian town, from Lithuanian
 * "bankas"), and a name so read meets nothing but its exact spelling. */
#define LONG_CHANGED_WORD 7

typedef struct long_key {
	char key[EG__TEXT_MAX_VARIANT + 1];
	const char *word; /* inside a table variant */
	uint8_t word_len;
} long_key;

static long_key *long_keys;
static size_t n_long_keys;
/* A bit per hash of the keys: most words and deletions looked up are no
 * key, and one bit says so without the binary search. 32 KiB: with the
 * keys of the tables' general vocabulary, a filter of 65,536 bits let
 * most lookups through to the search. */
#define LONG_FILTER_BITS 262144
static uint64_t long_filter[LONG_FILTER_BITS / 64];

static size_t long_filter_bit(const char *k, size_t n)
{
	return (size_t)eg__hash_bytes(k, n) & (LONG_FILTER_BITS - 1);
}
static pthread_once_t long_once = PTHREAD_ONCE_INIT;

static int cmp_long_key(const void *a, const void *b)
{
	return strcmp(((const long_key *)a)->key, ((const long_key *)b)->key);
}

/* Adds a key, or only counts it when long_keys is NULL. */
static void long_key_add(const char *key, size_t kl, const char *word, size_t wl)
{
	long_key *k;

	if (long_keys == NULL) {
		n_long_keys++;
		return;
	}
	k = &long_keys[n_long_keys++];
	long_filter[long_filter_bit(key, kl) / 64] |= (uint64_t)1 << (long_filter_bit(key, kl) % 64);
	memcpy(k->key, key, kl);
	k->key[kl] = '\0';
	k->word = word;
	k->word_len = (uint8_t)wl;
}

/* Every key of the tables' long words (counted, then added). */
static void long_keys_walk(void)
{
	size_t i, j;

	for (i = 0; i < eg__text_entry_count; i++) {
		const char *v = eg__text_entries[i].variant;
		/* legal forms, organisation words and the other languages'
		 * spellings of words.tsv ("arways" is "airways", so "air") */
		if (eg__text_entries[i].cls != EG__TOK_LEGAL &&
		    eg__text_entries[i].cls != EG__TOK_ORGWORD &&
		    eg__text_entries[i].cls != EG__TOK_WORD)
			continue;
		while (*v != '\0') {
			size_t wl = strcspn(v, " ");
			/* a variant is at most EG__TEXT_MAX_VARIANT bytes
			 * (scripts/embed_tables.py refuses a longer one) */
			if (wl >= LONG_WORD && wl <= EG__TEXT_MAX_VARIANT) {
				char del[EG__TEXT_MAX_VARIANT + 1];
				long_key_add(v, wl, v, wl);
				for (j = 0; j < wl; j++) {
					memcpy(del, v, j);
					memcpy(del + j, v + j + 1, wl - j - 1);
					long_key_add(del, wl - 1, v, wl);
				}
			}
			v += wl;
			if (*v == ' ')
				v++;
		}
	}
}

/* The keys, as many as the tables make: a fixed number of them once
 * dropped the words past it without a word (issue 13: no silent cap).
 * Allocated once per process and kept: static read-only data. */
static void long_keys_build(void)
{
	size_t n;

	n_long_keys = 0;
	long_keys_walk(); /* counts */
	n = n_long_keys;
	n_long_keys = 0;
	if ((long_keys = malloc((n ? n : 1) * sizeof(*long_keys))) == NULL)
		return;
	long_keys_walk();
	qsort(long_keys, n_long_keys, sizeof(*long_keys), cmp_long_key);
}
static const long_key *long_find(const char *k, size_t n)
{
	size_t lo = 0, hi = n_long_keys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = eg__text_slice_cmp(k, n, long_keys[mid].key);
		if (c == 0) {
			while (mid > 0 && eg__text_slice_cmp(k, n, long_keys[mid - 1].key) == 0)
				mid--;
			return &long_keys[mid];
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The table word w[0..n) is a misspelling of, or NULL. */
static const long_key *long_word_of(const char *w, size_t n)
{
	char del[EG__TEXT_MAX_VARIANT + 1];
	const long_key *k;
	size_t j;

	if (n < LONG_WORD || n > EG__TEXT_MAX_VARIANT)
		return NULL;
	pthread_once(&long_once, long_keys_build);
	if (long_keys == NULL || first_max_words(w, n) > 0)
		return NULL;
	for (j = 0; j <= n; j++) {
		size_t dl = j < n ? n - 1 : n;
		if (j < n) {
			memcpy(del, w, j);
			memcpy(del + j, w + j + 1, n - j - 1);
		} else {
			memcpy(del, w, n);
		}
		if (!(long_filter[long_filter_bit(del, dl) / 64] >> (long_filter_bit(del, dl) % 64) & 1))
			continue;
		for (k = long_find(del, dl); k != NULL && k < long_keys + n_long_keys &&
		     eg__text_slice_cmp(del, dl, k->key) == 0; k++)
			if (eg__text_one_edit(w, n, k->word, k->word_len) &&
			    (n != k->word_len || n >= LONG_CHANGED_WORD))
				return k;
	}
	return NULL;
}

/* The syllable w[0..n) of eg__text_syllables, or NULL. */
static const eg__text_syllable *chinese_syllable(const char *w, size_t n)
{
	size_t lo = 0, hi = eg__text_syllable_count;

	if (n == 0 || n > 6)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = eg__text_slice_cmp(w, n, eg__text_syllables[mid].syl);
		if (c == 0)
			return &eg__text_syllables[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Whether the syllable w[0..n) had an apostrophe after its initial
 * consonant: Wade-Giles's mark of an aspirated one ("ch'ing", "t'ao"). */
static int aspirated(const char *w, size_t n, unsigned apos)
{
	size_t k = n >= 2 && (memcmp(w, "ch", 2) == 0 || memcmp(w, "ts", 2) == 0 ||
	                      memcmp(w, "tz", 2) == 0) ? 2 : 1;

	return (apos >> k & 1) != 0;
}

/* Removes raw token i, the tokens after it moving down one place. */
static void raw_drop(eg__raw_tokens *r, size_t i)
{
	size_t k;

	for (k = i; k + 1 < r->n; k++) {
		r->off[k] = r->off[k + 1];
		r->len[k] = r->len[k + 1];
		r->abjad[k] = r->abjad[k + 1];
		r->native[k] = r->native[k + 1];
		r->hyphen[k] = r->hyphen[k + 1];
		r->apos[k] = r->apos[k + 1];
	}
	r->n--;
}

/* Opens place i for a raw token (r->n < RAW_MAX_TOKENS), the tokens from
 * it moving up one place; the new token's fields are the caller's. */
static void raw_open(eg__raw_tokens *r, size_t i)
{
	size_t k;

	for (k = r->n; k > i; k--) {
		r->off[k] = r->off[k - 1];
		r->len[k] = r->len[k - 1];
		r->abjad[k] = r->abjad[k - 1];
		r->native[k] = r->native[k - 1];
		r->hyphen[k] = r->hyphen[k - 1];
		r->apos[k] = r->apos[k - 1];
	}
	r->n++;
}

void eg__classify_join_chinese(eg__raw_tokens *r)
{
	size_t i;

	for (i = 0; i + 1 < r->n; i++) {
		const eg__text_syllable *sa, *sb;
		const char *pa, *pb;
		size_t al, bl;
		if (!r->hyphen[i] || r->abjad[i] != 0 || r->abjad[i + 1] != 0 || r->native[i] != 0 ||
		    r->native[i + 1] != 0 ||
		    (sa = chinese_syllable(r->buf + r->off[i], r->len[i])) == NULL ||
		    (sb = chinese_syllable(r->buf + r->off[i + 1], r->len[i + 1])) == NULL)
			continue;
		pa = aspirated(r->buf + r->off[i], r->len[i], r->apos[i]) ? sa->aspirated : sa->pinyin;
		pb = aspirated(r->buf + r->off[i + 1], r->len[i + 1], r->apos[i + 1]) ? sb->aspirated
		                                                                      : sb->pinyin;
		al = strlen(pa);
		bl = strlen(pb);
		/* the joined word at the end of the buffer, if it fits there;
		 * else the two stay as written */
		if (r->used + al + bl + 1 > RAW_MAX_BYTES || r->used > UINT16_MAX)
			continue;
		memcpy(r->buf + r->used, pa, al);
		memcpy(r->buf + r->used + al, pb, bl);
		r->buf[r->used + al + bl] = '\0';
		r->off[i] = (uint16_t)r->used;
		r->len[i] = (uint16_t)(al + bl);
		r->used += al + bl + 1;
		r->hyphen[i] = r->hyphen[i + 1];
		raw_drop(r, i + 1);
		/* a third syllable ("Ma Ying-jeou" is two) is no given name's */
		r->hyphen[i] = 0;
	}
}

int eg__text_is_syllable(const char *w, size_t n)
{
	return chinese_syllable(w, n) != NULL;
}

/* Copies the raw tokens with misspelt long table words corrected. */
void eg__classify_correct(eg__raw_tokens *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const long_key *k = long_word_of(r->buf + r->off[i], r->len[i]);
		if (k == NULL)
			continue;
		/* In place when no longer; a longer word goes at the end of the
		 * buffer, if it fits there, else the token stays as written. */
		if (k->word_len <= r->len[i]) {
			memcpy(r->buf + r->off[i], k->word, k->word_len);
			r->len[i] = k->word_len;
		} else if (r->used + k->word_len + 1 <= RAW_MAX_BYTES && r->used <= UINT16_MAX) {
			memcpy(r->buf + r->used, k->word, k->word_len);
			r->buf[r->used + k->word_len] = '\0';
			r->off[i] = (uint16_t)r->used;
			r->len[i] = k->word_len;
			r->used += k->word_len + 1;
		}
	}
}

/* --- words run together or split apart around a table word ---------------
 * A legal form or organisation word of RESPACE_MIN letters or more written
 * onto the word before it ("Kavoshyarcompany", "TRADINGCORPORATION") is a
 * word of its own; two words that together are such a table word, the
 * second of them no table word ("COMP ANY", "IN DUSTRIES"), are one. A
 * typist's space, added or lost, otherwise leaves a word no list holds and
 * takes the table word's light weight from it. */
#define RESPACE_MIN 5
#define RESPACE_PREFIX 3

/* The one-word table word w[0..n) of RESPACE_MIN letters or more, or
 * NULL: a legal form or organisation word, or with `any_word` a word of
 * another language's spelling too (words.tsv: "airlines", "technologies").
 * A word split in two is joined as any of them ("AIRLI NES"); only a legal
 * form or organisation word is split off the word before it, since a
 * misspelt word often ends as another language's word does
 * ("interacional", "servigricola"). */
static const eg__text_entry *respace_word(const char *w, size_t n, int any_word)
{
	const eg__text_entry *e;

	if (n < RESPACE_MIN || n > EG__TEXT_MAX_VARIANT)
		return NULL;
	e = find_entry(w, n);
	return e != NULL && e->words == 1 &&
	               (e->cls == EG__TOK_LEGAL || e->cls == EG__TOK_ORGWORD ||
	                (any_word && e->cls == EG__TOK_WORD))
	       ? e
	       : NULL;
}

static int latin_letters(const eg__raw_tokens *r, size_t i)
{
	size_t k;

	if (r->abjad[i] != 0 || r->native[i] != 0)
		return 0;
	for (k = 0; k < r->len[i]; k++)
		if (r->buf[r->off[i] + k] < 'a' || r->buf[r->off[i] + k] > 'z')
			return 0;
	return 1;
}

/* Copies text[0..n) to the end of the buffer as token i's; 0, or -1 when
 * it does not fit (the token is left as it was). */
static int respace_store(eg__raw_tokens *r, size_t i, const char *text, size_t n)
{
	if (r->used + n + 1 > RAW_MAX_BYTES || r->used > UINT16_MAX)
		return -1;
	memmove(r->buf + r->used, text, n);
	r->buf[r->used + n] = '\0';
	r->off[i] = (uint16_t)r->used;
	r->len[i] = (uint16_t)n;
	r->used += n + 1;
	return 0;
}

static void respace_join(eg__raw_tokens *r)
{
	size_t i;

	for (i = 0; i + 1 < r->n; i++) {
		char both[EG__TEXT_MAX_VARIANT + 1];
		size_t la = r->len[i], lb = r->len[i + 1];
		/* a letter alone is an initial ("HOLDING S.A." is no "holdings") */
		if (la < 2 || lb < 2 || la + lb > EG__TEXT_MAX_VARIANT || !latin_letters(r, i) ||
		    !latin_letters(r, i + 1) || find_entry(r->buf + r->off[i + 1], lb) != NULL)
			continue;
		memcpy(both, r->buf + r->off[i], la);
		memcpy(both + la, r->buf + r->off[i + 1], lb);
		if (respace_word(both, la + lb, 1) == NULL || respace_store(r, i, both, la + lb) != 0)
			continue;
		r->hyphen[i] = r->hyphen[i + 1];
		raw_drop(r, i + 1);
	}
}

static void respace_split(eg__raw_tokens *r)
{
	size_t i, s;

	for (i = 0; i < r->n && r->n < RAW_MAX_TOKENS; i++) {
		const char *w = r->buf + r->off[i];
		size_t n = r->len[i];
		if (n < RESPACE_MIN + RESPACE_PREFIX || !latin_letters(r, i) ||
		    find_entry(w, n) != NULL)
			continue;
		for (s = n - RESPACE_PREFIX; s >= RESPACE_MIN; s--)
			if (respace_word(w + n - s, s, 0) != NULL)
				break;
		if (s < RESPACE_MIN)
			continue;
		raw_open(r, i + 1);
		r->abjad[i + 1] = 0;
		r->native[i + 1] = 0;
		r->hyphen[i + 1] = r->hyphen[i];
		r->apos[i + 1] = 0;
		r->hyphen[i] = 0;
		if (respace_store(r, i + 1, w + n - s, s) != 0) {
			/* no room for the word: the token stays whole */
			raw_drop(r, i + 1);
			r->hyphen[i] = r->hyphen[i + 1];
			continue;
		}
		r->len[i] = (uint16_t)(n - s);
		r->buf[r->off[i] + n - s] = '\0';
		i++; /* the table word split off is not looked at again */
	}
}

void eg__classify_respace(eg__raw_tokens *r)
{
	respace_join(r);
	respace_split(r);
}

/* Length in words of the table variant that starts at raw token i, 0 if
 * none (the longest, as classify takes it). */
static unsigned table_match_at(const eg__raw_tokens *r, size_t i)
{
	unsigned k, maxw = first_max_words(r->buf + r->off[i], r->len[i]);

	if (maxw > r->n - i)
		maxw = (unsigned)(r->n - i);
	for (k = maxw; k >= 1; k--) {
		char key[EG__TEXT_MAX_VARIANT + 1];
		size_t kl = 0, j;
		for (j = i; j < i + k; j++) {
			if (kl + (j > i) + r->len[j] > EG__TEXT_MAX_VARIANT)
				break;
			if (j > i)
				key[kl++] = ' ';
			memcpy(key + kl, r->buf + r->off[j], r->len[j]);
			kl += r->len[j];
		}
		if (j == i + k && find_entry(key, kl) != NULL)
			return k;
	}
	return 0;
}

/* Joins a run of two or more one-letter words into one word: "A.B.C." and
 * "J. P." are as often written "ABC" and "JP". A run that a table variant
 * covers whole ("L.L.C.", "S.A. de C.V.") is left to the tables. The letters
 * of a run sit two bytes apart (letter, NUL), so the run is rewritten in
 * place at its first token. */
void eg__classify_join_initials(eg__raw_tokens *r)
{
	size_t i = 0, w = 0;

	while (i < r->n) {
		size_t j = i, k;
		while (j < r->n && r->len[j] == 1 && r->buf[r->off[j]] >= 'a' &&
		       r->buf[r->off[j]] <= 'z')
			j++;
		if (j - i >= 2 && table_match_at(r, i) < j - i) {
			char *dst = r->buf + r->off[i];
			for (k = i; k < j; k++)
				dst[k - i] = r->buf[r->off[k]];
			dst[j - i] = '\0';
			r->off[w] = r->off[i];
			r->len[w] = (uint16_t)(j - i);
			r->abjad[w] = r->abjad[i];
			r->native[w] = 0;
			w++;
			i = j;
		} else if (j - i >= 2) {
			for (k = i; k < j; k++, w++) {
				r->off[w] = r->off[k];
				r->len[w] = r->len[k];
				r->abjad[w] = r->abjad[k];
				r->native[w] = r->native[k];
			}
			i = j;
		} else {
			r->off[w] = r->off[i];
			r->len[w] = r->len[i];
			r->abjad[w] = r->abjad[i];
			r->native[w] = r->native[i];
			w++;
			i++;
		}
	}
	r->n = w;
}

/* Turns raw tokens into out's tokens: numbers classed; at each position
 * the longest table variant (greedy, up to EG__TEXT_MAX_WORDS words)
 * replaced by its canonical token(s); other tokens are words. */
int eg__classify(eg__norm *out, const eg__raw_tokens *r, eg_error *err)
{
	size_t i = 0, used = 0;
	int rc;

	while (i < r->n) {
		const char *t = r->buf + r->off[i];
		size_t tl = r->len[i];
		const eg__text_entry *e = NULL;
		unsigned k = 0, maxw;

		if (out->n == EG__NORM_MAX_TOKENS) {
			out->truncated = 1;
			break;
		}
		if (eg__text_all_digits(t, tl) || r->abjad[i] == EG__SCRIPT_SYLLABIC) {
			/* a Han or Hangul syllable is a name's syllable, never a
			 * table word: 早 "zao" is not the Russian legal form */
			rc = emit(out, &used, t, tl,
			          eg__text_all_digits(t, tl) ? EG__TOK_NUMBER : EG__TOK_WORD, r->abjad[i],
			          r->native[i], err);
			if (rc != 0)
				return rc;
			i++;
			continue;
		}
		maxw = first_max_words(t, tl);
		if (maxw > r->n - i)
			maxw = (unsigned)(r->n - i);
		for (k = maxw; k >= 1 && e == NULL; k--) {
			char key[EG__TEXT_MAX_VARIANT + 1];
			size_t kl = 0, j;
			int fits = 1;

			for (j = i; j < i + k; j++) {
				size_t wl = r->len[j];
				if (kl + (j > i) + wl > EG__TEXT_MAX_VARIANT) {
					fits = 0;
					break;
				}
				if (j > i)
					key[kl++] = ' ';
				memcpy(key + kl, r->buf + r->off[j], wl);
				kl += wl;
			}
			if (fits)
				e = find_entry(key, kl);
			if (e != NULL)
				break;
		}
		if (e == NULL) {
			rc = emit(out, &used, t, tl, EG__TOK_WORD, r->abjad[i], r->native[i], err);
			if (rc != 0)
				return rc;
			i++;
			continue;
		}
		{
			const char *c = e->canon;
			int abjad = 0;
			size_t j;

			for (j = i; j < i + k; j++)
				if (r->abjad[j] > abjad)
					abjad = r->abjad[j];
			while (*c != '\0') {
				size_t wl = strcspn(c, " ");
				rc = emit(out, &used, c, wl, e->cls, abjad, 0, err);
				if (rc != 0)
					return rc;
				c += wl;
				if (*c == ' ')
					c++;
			}
			i += k;
		}
	}
	if (r->truncated)
		out->truncated = 1;
	return 0;
}
