/* text/normalize.c - names to classed lowercase ASCII tokens, skeletons and phonetic keys. */
#include "text/normalize.h"
#include "text/tables.h"
#include "util/alloc.h"
#include "util/error.h"

#include <pthread.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

/*
 * The pipeline: validate the UTF-8 bytes; collect raw tokens (ASCII input
 * directly, anything else through NFKC_Casefold and the per-thread ICU
 * transliterators, see icu_tokens); then classify the raw tokens,
 * merging multi-word table variants into their canonical token(s).
 *
 * Raw tokens are kept apart from the result because a table variant may be
 * shorter or longer than its canonical form ("limited liability company"
 * -> "llc", "bn" -> "bin"), and several raw tokens may merge into one.
 */

/* Raw tokens collected before merging: twice the result's token budget,
 * so variants of several words can still collapse into the kept ones. */
#define RAW_MAX_TOKENS (2 * EG__NORM_MAX_TOKENS)
#define RAW_MAX_BYTES (2 * EG__CAP_NORM_BYTES)

/* The ICU path's UTF-16 working buffers may grow to this many code units
 * (NFKC can expand one code point to 18, transliteration a Han character to
 * a pinyin syllable and a space); longer is EG_ETOOBIG. */
#define WORK_MAX_UNITS (4 * EG__CAP_NORM_INPUT_BYTES)

typedef struct raw_tokens {
	size_t used;                  /* bytes of buf in use, NULs included */
	uint16_t off[RAW_MAX_TOKENS]; /* start of token i in buf */
	uint16_t len[RAW_MAX_TOKENS];
	uint8_t abjad[RAW_MAX_TOKENS];
	uint32_t native[RAW_MAX_TOKENS]; /* see eg__token.native */
	size_t n;                     /* complete tokens */
	int open;                     /* token n is being written */
	int truncated;                /* more than RAW_MAX_TOKENS tokens */
	int toobig;                   /* more than RAW_MAX_BYTES bytes */
	/* RAW_MAX_BYTES bytes, allocated with the struct and ending it, so a
	 * write past them leaves the allocation, where AddressSanitizer sees
	 * it. Invariant: an open token always has room for its NUL. */
	char buf[];
} raw_tokens;

/* --- raw token collection ------------------------------------------------ */

/* Appends one lowercase ASCII letter or digit to the current token, opening
 * one if none is open. Past the token budget the character is dropped and
 * truncated set; past the byte budget toobig is set. */
static void raw_putc(raw_tokens *r, char c, int abjad)
{
	/* keep one byte for the token's NUL: checked before a token is
	 * opened, so that closing it never writes past buf */
	if (r->used + 2 > RAW_MAX_BYTES) {
		r->toobig = 1;
		return;
	}
	if (!r->open) {
		if (r->n == RAW_MAX_TOKENS) {
			r->truncated = 1;
			return;
		}
		r->off[r->n] = (uint16_t)r->used;
		r->len[r->n] = 0;
		r->abjad[r->n] = (uint8_t)abjad;
		r->native[r->n] = 0;
		r->open = 1;
	}
	r->buf[r->used++] = c;
	r->len[r->n]++;
}

/* Closes the current token, if any. */
static void raw_end(raw_tokens *r)
{
	if (!r->open)
		return;
	r->buf[r->used++] = '\0';
	r->n++;
	r->open = 0;
}

/* What one ASCII character does to a name: 'k' kept (the lowercase form
 * written to *lower), 'd' dropped without separating (apostrophes and
 * backticks: O'Brien -> obrien), 's' separates tokens. */
static char ascii_role(unsigned c, char *lower)
{
	if (c >= 'a' && c <= 'z') {
		*lower = (char)c;
		return 'k';
	}
	if (c >= 'A' && c <= 'Z') {
		*lower = (char)(c - 'A' + 'a');
		return 'k';
	}
	if (c >= '0' && c <= '9') {
		*lower = (char)c;
		return 'k';
	}
	if (c == '\'' || c == '`')
		return 'd';
	return 's';
}

/* The ASCII fast path: no ICU call. The input is validated already. */
static void ascii_tokens(raw_tokens *r, const char *in, size_t len)
{
	size_t i;
	char lower = 0;

	for (i = 0; i < len; i++) {
		switch (ascii_role((unsigned char)in[i], &lower)) {
		case 'k':
			raw_putc(r, lower, 0);
			break;
		case 'd':
			break;
		default:
			raw_end(r);
			break;
		}
	}
	raw_end(r);
}

/* Tokenises transliterated UTF-16 text. ASCII is handled as on the fast
 * path; of what is left, apostrophe-like punctuation, modifier letters
 * (U+02BF ayn, U+02BE hamza, U+02B9 soft sign), marks, format characters
 * and letters ICU could not transliterate are dropped without separating;
 * any other character separates tokens. */
static void utf16_tokens(raw_tokens *r, const UChar *s, int32_t n, int abjad)
{
	int32_t i = 0;
	char lower = 0;

	while (i < n) {
		UChar32 c;

		U16_NEXT(s, i, n, c);
		if (c < 0x80) {
			char role = ascii_role((unsigned)c, &lower);
			if (role == 'k')
				raw_putc(r, lower, abjad);
			else if (role == 's')
				raw_end(r);
			continue;
		}
		if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x2032)
			continue;
		switch (u_charType(c)) {
		case U_MODIFIER_LETTER:
		case U_NON_SPACING_MARK:
		case U_ENCLOSING_MARK:
		case U_COMBINING_SPACING_MARK:
		case U_FORMAT_CHAR:
		case U_UPPERCASE_LETTER:
		case U_LOWERCASE_LETTER:
		case U_TITLECASE_LETTER:
		case U_OTHER_LETTER:
			break;
		default:
			raw_end(r);
			break;
		}
	}
	raw_end(r);
}

/* --- the per-thread transliterators -------------------------------------- */

/* ICU transliterators are not thread-safe and cost milliseconds to build
 * and microseconds to run, so each thread builds its own on first use and
 * keeps them until it exits (the key's destructor) or calls
 * eg__text_thread_cleanup. Two are kept instead of the compound
 * "Any-Latin; Latin-ASCII": Latin-ASCII is the costlier half and is only
 * needed for the few Latin letters that NFD does not take apart (ø, đ, ł,
 * æ, ı, ...), so it runs only on text that still holds one. */
typedef struct thread_icu {
	UTransliterator *any_latin;   /* "Any-Latin" */
	UTransliterator *latin_ascii; /* "Latin-ASCII" */
} thread_icu;

static pthread_once_t icu_once = PTHREAD_ONCE_INIT;
static pthread_key_t icu_key;
static int icu_key_ok;

static void thread_icu_free(void *p)
{
	thread_icu *t = p;

	if (t == NULL)
		return;
	if (t->any_latin != NULL)
		utrans_close(t->any_latin);
	if (t->latin_ascii != NULL)
		utrans_close(t->latin_ascii);
	eg__free(t);
}

static void icu_key_init(void)
{
	icu_key_ok = pthread_key_create(&icu_key, thread_icu_free) == 0;
}

static UTransliterator *open_trans(const char *id, eg_error *err)
{
	UChar uid[32];
	UTransliterator *t;
	UErrorCode st = U_ZERO_ERROR;

	u_uastrncpy(uid, id, (int32_t)(sizeof(uid) / sizeof(uid[0])));
	t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st) || t == NULL) {
		eg__error_set(err, EG_EUNICODE, "name: ICU transliterator %s: %s", id,
		              u_errorName(st));
		return NULL;
	}
	return t;
}

/* Sets *out to this thread's transliterators, building them on first use.
 * Returns 0, or EG_ENOMEM/EG_EUNICODE with err set. */
static int thread_icu_get(thread_icu **out, eg_error *err)
{
	thread_icu *t;

	*out = NULL;
	if (pthread_once(&icu_once, icu_key_init) != 0 || !icu_key_ok)
		return eg__error_set(err, EG_EUNICODE, "name: cannot create a thread key for ICU");
	t = pthread_getspecific(icu_key);
	if (t != NULL) {
		*out = t;
		return 0;
	}
	t = eg__calloc(1, sizeof(*t));
	if (t == NULL)
		return eg__error_set(err, EG_ENOMEM, "name: out of memory");
	t->any_latin = open_trans("Any-Latin", err);
	if (t->any_latin != NULL)
		t->latin_ascii = open_trans("Latin-ASCII", err);
	if (t->latin_ascii == NULL) {
		thread_icu_free(t);
		return EG_EUNICODE;
	}
	if (pthread_setspecific(icu_key, t) != 0) {
		thread_icu_free(t);
		return eg__error_set(err, EG_EUNICODE, "name: cannot keep the ICU transliterators");
	}
	*out = t;
	return 0;
}

void eg__text_thread_cleanup(void)
{
	thread_icu *t;

	if (pthread_once(&icu_once, icu_key_init) != 0 || !icu_key_ok)
		return;
	t = pthread_getspecific(icu_key);
	if (t != NULL) {
		pthread_setspecific(icu_key, NULL);
		thread_icu_free(t);
	}
}

/* --- the ICU path -------------------------------------------------------- */

static int is_space16(UChar32 c)
{
	return c == ' ' || u_isUWhiteSpace(c);
}

/* Grows *buf to hold at least need code units (need <= WORK_MAX_UNITS). */
static int grow_units(UChar **buf, int32_t *cap, int32_t need, eg_error *err)
{
	UChar *p;

	if (need <= *cap)
		return 0;
	if (need > WORK_MAX_UNITS)
		return eg__error_set(err, EG_ETOOBIG,
		                     "name: longer than %d UTF-16 units once normalised",
		                     WORK_MAX_UNITS);
	p = eg__realloc(*buf, (size_t)need * sizeof(UChar));
	if (p == NULL)
		return eg__error_set(err, EG_ENOMEM, "name: out of memory");
	*buf = p;
	*cap = need;
	return 0;
}

/* Writes s[0..n) normalised by nf into *dst (grown as needed); the length
 * goes to *dlen. */
static int normalize_into(const UNormalizer2 *nf, const UChar *s, int32_t n, UChar **dst,
                          int32_t *dcap, int32_t *dlen, eg_error *err)
{
	int rc = grow_units(dst, dcap, n + n / 2 + 16 < WORK_MAX_UNITS ?
	                    n + n / 2 + 16 : WORK_MAX_UNITS, err);

	while (rc == 0) {
		UErrorCode st = U_ZERO_ERROR;
		*dlen = unorm2_normalize(nf, s, n, *dst, *dcap, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR) {
			rc = grow_units(dst, dcap, *dlen + 1, err);
			continue;
		}
		if (U_FAILURE(st))
			rc = eg__error_set(err, EG_EUNICODE, "name: ICU normalisation: %s",
			                   u_errorName(st));
		break;
	}
	return rc;
}

/* Transliterates s[0..n) with trans into *dst (grown as needed; s must not
 * point into *dst); the length goes to *dlen. */
static int translit_into(UTransliterator *trans, const UChar *s, int32_t n, UChar **dst,
                         int32_t *dcap, int32_t *dlen, eg_error *err)
{
	int32_t want = n < WORK_MAX_UNITS / 4 ? n * 4 + 32 : WORK_MAX_UNITS;
	int rc;

	for (;;) {
		UErrorCode st = U_ZERO_ERROR;
		int32_t limit = n;

		if (want > WORK_MAX_UNITS)
			want = WORK_MAX_UNITS;
		rc = grow_units(dst, dcap, want, err);
		if (rc != 0)
			return rc;
		if (n > *dcap)
			return eg__error_set(err, EG_ETOOBIG, "name: too long to transliterate");
		memcpy(*dst, s, (size_t)n * sizeof(UChar));
		*dlen = n;
		utrans_transUChars(trans, *dst, dlen, *dcap, 0, &limit, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR || (U_SUCCESS(st) && *dlen > *dcap)) {
			if (*dcap >= WORK_MAX_UNITS)
				return eg__error_set(err, EG_ETOOBIG,
				                     "name: longer than %d UTF-16 units once transliterated",
				                     WORK_MAX_UNITS);
			want = *dlen > *dcap ? *dlen + 16 : *dcap * 2;
			continue;
		}
		if (U_FAILURE(st))
			return eg__error_set(err, EG_EUNICODE, "name: ICU transliteration: %s",
			                     u_errorName(st));
		return 0;
	}
}

/* Whether s[0..n) (NFD) still holds a non-ASCII letter other than a
 * modifier letter: one that dropping marks does not make ASCII. */
static int has_non_ascii_letter(const UChar *s, int32_t n)
{
	int32_t i = 0;

	while (i < n) {
		UChar32 c;
		U16_NEXT(s, i, n, c);
		if (c >= 0x80) {
			int8_t t = u_charType(c);
			if (t == U_UPPERCASE_LETTER || t == U_LOWERCASE_LETTER ||
			    t == U_TITLECASE_LETTER || t == U_OTHER_LETTER)
				return 1;
		}
	}
	return 0;
}

/* Rewrites the syllables ICU romanised from Hangul the way lists spell
 * Korean names (McCune-Reischauer without its marks, as DPRK names are
 * published: 김정은 "gim jeong eun" -> "kim jong un", 박 "bag" -> "pak",
 * 룡 "lyong" -> "ryong"): eo -> o, eu -> u, an initial g, d, b, l -> k, t,
 * p, r and a final g (not ng), d, b -> k, t, p. In place: a token never
 * grows. */
static void hangul_to_lists(raw_tokens *r, size_t from)
{
	size_t i, j, o;

	for (i = from; i < r->n; i++) {
		char *t = r->buf + r->off[i];
		size_t n = r->len[i];
		if (n == 0)
			continue;
		if (t[0] == 'g')
			t[0] = 'k';
		else if (t[0] == 'd')
			t[0] = 't';
		else if (t[0] == 'b')
			t[0] = 'p';
		else if (t[0] == 'l')
			t[0] = 'r';
		if (n > 1 && t[n - 1] == 'g' && t[n - 2] != 'n')
			t[n - 1] = 'k';
		else if (n > 1 && t[n - 1] == 'd')
			t[n - 1] = 't';
		else if (n > 1 && t[n - 1] == 'b')
			t[n - 1] = 'p';
		for (j = 0, o = 0; j < n; j++)
			if (!(t[j] == 'e' && j + 1 < n && (t[j + 1] == 'o' || t[j + 1] == 'u')))
				t[o++] = t[j];
		t[o] = '\0';
		r->len[i] = (uint16_t)o;
	}
}

/* The scratch buffers of one call of the ICU path. */
typedef struct icu_bufs {
	UChar *a, *b;
	int32_t acap, bcap;
} icu_bufs;

/* --- letters ICU cannot transliterate ----------------------------------
 * Any-Latin has no rules for Khmer, Lao, Tibetan, Sinhala, Mongolian,
 * Cherokee, Tifinagh and other scripts, and leaves their letters as they
 * are, which the tokeniser would drop: a name in Khmer would vanish. Such
 * letters are spelt from their Unicode character names instead, which ICU
 * holds: KHMER LETTER PO "po", KHMER VOWEL SIGN U "u", KHMER LETTER TA
 * "ta". In an abugida a consonant's name carries its inherent vowel, which
 * a vowel sign replaces and a virama or coeng (a consonant cluster) or the
 * end of a word drops: ពត "pot", ហ៊ុន "hun". A rough romanisation, but one
 * that fuzzy matching can meet a Latin spelling with. */

/* Whether c is a letter or mark that Any-Latin left in a non-Latin script. */
static int foreign_char(UChar32 c)
{
	UErrorCode st = U_ZERO_ERROR;
	UScriptCode sc;
	int8_t t = u_charType(c);

	if (c < 0x80 || (t != U_OTHER_LETTER && t != U_LOWERCASE_LETTER &&
	                 t != U_UPPERCASE_LETTER && t != U_NON_SPACING_MARK &&
	                 t != U_COMBINING_SPACING_MARK && t != U_DECIMAL_DIGIT_NUMBER))
		return 0;
	sc = uscript_getScript(c, &st);
	return U_SUCCESS(st) && sc != USCRIPT_LATIN && sc != USCRIPT_COMMON &&
	       sc != USCRIPT_INHERITED && sc != USCRIPT_GREEK && sc != USCRIPT_CYRILLIC;
}

static int has_foreign_letter(const UChar *s, int32_t n)
{
	int32_t i = 0;

	while (i < n) {
		UChar32 c;
		U16_NEXT(s, i, n, c);
		if (c >= 0x80 && foreign_char(c) && u_isalpha(c))
			return 1;
	}
	return 0;
}

/* Syllabaries among the scripts Any-Latin leaves: a letter's name is the
 * syllable it writes, vowel included. In the other scripts (abugidas,
 * alphabets) a consonant letter's name carries a vowel of its own. */
static int is_syllabary(UChar32 c)
{
	UErrorCode st = U_ZERO_ERROR;

	switch (uscript_getScript(c, &st)) {
	case USCRIPT_CHEROKEE: case USCRIPT_YI: case USCRIPT_VAI:
	case USCRIPT_CANADIAN_ABORIGINAL:
		return 1;
	default:
		return 0;
	}
}

static int vowel_ascii(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Copies the first word after `part` in the character name nm, lowercased,
 * into w (at most 15 letters); returns its length, 0 if part is absent. */
static size_t name_word(const char *nm, const char *part, char *w)
{
	const char *p = strstr(nm, part);
	size_t k = 0;

	if (p == NULL)
		return 0;
	for (p += strlen(part); *p >= 'A' && *p <= 'Z' && k < 15; p++)
		w[k++] = (char)(*p - 'A' + 'a');
	w[k] = '\0';
	return k;
}

/* Writes s[0..n) into *dst with every foreign_char spelt from its name. */
static int romanize_by_names(const UChar *s, int32_t n, UChar **dst, int32_t *dcap,
                             int32_t *dlen, eg_error *err)
{
	int32_t i = 0, o = 0, inh = 0; /* inh: inherent vowel letters just written */
	int rc = grow_units(dst, dcap, n * 16 + 1 < WORK_MAX_UNITS ? n * 16 + 1 : WORK_MAX_UNITS,
	                    err);

	while (rc == 0 && i < n) {
		char nm[128], w[16];
		UErrorCode st = U_ZERO_ERROR;
		UChar32 c;
		size_t k, wl;

		U16_NEXT(s, i, n, c);
		if (o + 17 > *dcap)
			return eg__error_set(err, EG_ETOOBIG, "name: too long to transliterate");
		if (!foreign_char(c)) {
			o -= inh; /* the end of a word drops the inherent vowel */
			inh = 0;
			U16_APPEND_UNSAFE(*dst, o, c);
			continue;
		}
		u_charName(c, U_UNICODE_CHAR_NAME, nm, (int32_t)sizeof(nm), &st);
		if (U_FAILURE(st))
			nm[0] = '\0';
		if (u_charDigitValue(c) >= 0) {
			o -= inh;
			inh = 0;
			(*dst)[o++] = (UChar)('0' + u_charDigitValue(c));
		} else if ((wl = name_word(nm, " VOWEL SIGN ", w)) > 0) {
			o -= inh;
			inh = 0;
			for (k = 0; k < wl; k++) /* long vowels "aa", "ii" as short */
				if (k == 0 || w[k] != w[k - 1])
					(*dst)[o++] = (UChar)w[k];
		} else if ((wl = name_word(nm, " LETTER ", w)) > 0 ||
		           (wl = name_word(nm, " INDEPENDENT VOWEL ", w)) > 0) {
			/* a glottal stop (KHMER LETTER QA) writes only its vowel */
			size_t start = w[0] == 'q' && wl > 1 ? 1 : 0, v = 0;
			int vowel_letter;
			while (v < wl - start && vowel_ascii(w[wl - 1 - v]))
				v++;
			vowel_letter = start == 0 && v == wl;
			/* a vowel letter after a consonant replaces its vowel */
			if (vowel_letter)
				o -= inh;
			for (k = start; k < wl; k++) /* "nno" (retroflex n) as "no" */
				if (k == start || w[k] != w[k - 1])
					(*dst)[o++] = (UChar)w[k];
			inh = !is_syllabary(c) && !vowel_letter && strstr(nm, " LETTER ") != NULL
			      ? (int32_t)v : 0;
		} else if (strstr(nm, "COENG") || strstr(nm, "VIRAMA") || strstr(nm, "HALANTA") ||
		           strstr(nm, "AL-LAKUNA") || strstr(nm, "PANGKON") || strstr(nm, "ASAT")) {
			o -= inh;
			inh = 0;
		} else if (strstr(nm, "NIKAHIT") || strstr(nm, "ANUSVARA")) {
			(*dst)[o++] = 'm';
			inh = 0;
		} else if (strstr(nm, "REAHMUK") || strstr(nm, "VISARGA")) {
			(*dst)[o++] = 'h';
			inh = 0;
		}
		/* other signs (tone marks, length, register shifters) spell nothing */
	}
	if (rc == 0) {
		o -= inh;
		*dlen = o;
	}
	return rc;
}

/* Turns one piece s[0..n) of NFKC-casefolded text into tokens: Any-Latin
 * if it holds a non-Latin letter; NFD, whose marks the tokeniser drops;
 * and Latin-ASCII only if a non-ASCII letter is left after that. s must
 * not point into b. */
static int translit_piece(raw_tokens *r, thread_icu *ti, const UNormalizer2 *nfd,
                          const UChar *s, int32_t n, int abjad, int non_latin, icu_bufs *b,
                          eg_error *err)
{
	const UChar *text = s;
	int32_t tlen = n, flen = 0;
	int rc;

	if (non_latin) {
		rc = translit_into(ti->any_latin, s, n, &b->a, &b->acap, &tlen, err);
		if (rc != 0)
			return rc;
		text = b->a;
		if (has_foreign_letter(text, tlen)) {
			rc = romanize_by_names(text, tlen, &b->b, &b->bcap, &tlen, err);
			if (rc != 0)
				return rc;
			/* back into b->a, which the steps below read */
			rc = grow_units(&b->a, &b->acap, tlen, err);
			if (rc != 0)
				return rc;
			memcpy(b->a, b->b, (size_t)tlen * sizeof(UChar));
		}
	}
	rc = normalize_into(nfd, text, tlen, &b->b, &b->bcap, &flen, err);
	if (rc != 0)
		return rc;
	if (!has_non_ascii_letter(b->b, flen)) {
		utf16_tokens(r, b->b, flen, abjad);
		return 0;
	}
	/* text may live in b->a: move it to b->b, then transliterate back */
	rc = grow_units(&b->b, &b->bcap, tlen, err);
	if (rc != 0)
		return rc;
	memmove(b->b, text, (size_t)tlen * sizeof(UChar));
	rc = translit_into(ti->latin_ascii, b->b, tlen, &b->a, &b->acap, &flen, err);
	if (rc != 0)
		return rc;
	utf16_tokens(r, b->a, flen, abjad);
	return 0;
}

static int is_hangul(UChar c)
{
	return c >= 0xAC00 && c <= 0xD7A3;
}

/* 1 for a Han character, 2 for a Hangul syllable, else 0. */
static int syllable_kind(UChar32 c)
{
	UErrorCode st = U_ZERO_ERROR;

	if (c <= 0xFFFF && is_hangul((UChar)c))
		return 2;
	return c >= 0x2E80 && uscript_getScript(c, &st) == USCRIPT_HAN && U_SUCCESS(st);
}

/* Turns one run s[0..n) of words into tokens (translit_piece). In a run of
 * Han or Hangul each syllable character becomes a token of its own, which
 * knows the character it came from (Hangul is written without spaces
 * between given-name syllables, and ICU joins them: "gimjeong-eun"). */
static int process_run(raw_tokens *r, thread_icu *ti, const UNormalizer2 *nfd, const UChar *s,
                       int32_t n, int abjad, int non_latin, icu_bufs *b, eg_error *err)
{
	int32_t i = 0, piece = 0;
	int rc;

	if (abjad != EG__SCRIPT_SYLLABIC)
		return translit_piece(r, ti, nfd, s, n, abjad, non_latin, b, err);
	while (i < n) {
		int32_t at = i;
		UChar32 c;
		size_t from;
		int kind;

		U16_NEXT(s, i, n, c);
		kind = syllable_kind(c);
		if (kind == 0)
			continue;
		if (kind == 2 && (at == 0 || !is_hangul(s[at - 1]))) {
			/* a Korean name is written in words of one to three
			 * syllables; a longer word spells a foreign name sound by
			 * sound (블라디미르 Vladimir) and is kept whole */
			int32_t end = at;
			while (end < n && is_hangul(s[end]))
				end++;
			if (end - at > 3) {
				i = end;
				continue;
			}
		}
		if (at > piece) {
			rc = translit_piece(r, ti, nfd, s + piece, at - piece, 0, 1, b, err);
			if (rc != 0)
				return rc;
		}
		raw_end(r);
		from = r->n;
		rc = translit_piece(r, ti, nfd, s + at, i - at, abjad, 1, b, err);
		if (rc != 0)
			return rc;
		raw_end(r);
		if (kind == 2)
			hangul_to_lists(r, from);
		for (; from < r->n; from++)
			r->native[from] = (uint32_t)c;
		piece = i;
	}
	if (n > piece)
		return translit_piece(r, ti, nfd, s + piece, n - piece, 0, 1, b, err);
	return 0;
}

/* What the scripts of one code point tell: bit 1 abjad (Arabic, Hebrew,
 * Syriac), bit 2 a script other than Latin that Any-Latin must handle,
 * bit 4 a syllabic script written one name syllable a character (Han,
 * Hangul), whose transliterated syllables differ by a letter when they are
 * different characters. Kana spell a word sound by sound
 * ("バラク" baraku), so their words are compared as words. */
static int script_flags(UChar32 c)
{
	UErrorCode st = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript(c, &st);

	if (U_FAILURE(st) || sc == USCRIPT_LATIN || sc == USCRIPT_COMMON ||
	    sc == USCRIPT_INHERITED)
		return 0;
	if (sc == USCRIPT_ARABIC || sc == USCRIPT_HEBREW || sc == USCRIPT_SYRIAC)
		return 3;
	if (sc == USCRIPT_HAN || sc == USCRIPT_HANGUL)
		return 6;
	return 2;
}


/* The path for input with any non-ASCII byte: NFKC with case folding, then
 * one run of consecutive words at a time, a run being words that all do or
 * all do not contain Arabic, Hebrew or Syriac letters (so each token knows
 * whether it came from an abjad). */
static int icu_tokens(raw_tokens *r, const char *in, size_t len, eg_error *err)
{
	UChar *src = NULL, *norm = NULL;
	int32_t srclen = 0, normlen = 0, normcap = 0, pos;
	const UNormalizer2 *nfkc, *nfd;
	icu_bufs bufs = {NULL, NULL, 0, 0};
	thread_icu *ti;
	UErrorCode st = U_ZERO_ERROR;
	int rc = 0;

	rc = thread_icu_get(&ti, err);
	if (rc != 0)
		goto done;
	nfkc = unorm2_getNFKCCasefoldInstance(&st);
	nfd = unorm2_getNFDInstance(&st);
	if (U_FAILURE(st)) {
		rc = eg__error_set(err, EG_EUNICODE, "name: ICU normaliser: %s", u_errorName(st));
		goto done;
	}
	/* UTF-16 never needs more units than UTF-8 has bytes */
	src = eg__malloc((len + 1) * sizeof(UChar));
	if (src == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "name: out of memory");
		goto done;
	}
	u_strFromUTF8(src, (int32_t)len + 1, &srclen, in, (int32_t)len, &st);
	if (U_FAILURE(st)) {
		rc = eg__error_set(err, EG_EUNICODE, "name: ICU UTF-8 conversion: %s",
		                   u_errorName(st));
		goto done;
	}
	rc = normalize_into(nfkc, src, srclen, &norm, &normcap, &normlen, err);
	if (rc != 0)
		goto done;

	pos = 0;
	while (pos < normlen) {
		int32_t run_start, run_end, i;
		int run_abjad = -1, run_flags = 0;

		/* skip spaces before the run */
		while (pos < normlen) {
			UChar32 c;
			i = pos;
			U16_NEXT(norm, i, normlen, c);
			if (!is_space16(c))
				break;
			pos = i;
		}
		if (pos >= normlen)
			break;
		run_start = run_end = pos;
		/* extend the run word by word while the abjad-ness stays the same */
		while (pos < normlen) {
			int32_t wstart = pos;
			int w_flags = 0;

			i = pos;
			while (i < normlen) {
				UChar32 c;
				int32_t at = i;
				U16_NEXT(norm, i, normlen, c);
				if (is_space16(c)) {
					i = at;
					break;
				}
				if (c >= 0x80)
					w_flags |= script_flags(c);
			}
			if (run_abjad >= 0 && (w_flags & 5) != run_abjad) {
				pos = wstart;
				break;
			}
			run_abjad = w_flags & 5;
			run_flags |= w_flags;
			run_end = i;
			/* past the word and the spaces after it */
			pos = i;
			while (pos < normlen) {
				UChar32 c;
				i = pos;
				U16_NEXT(norm, i, normlen, c);
				if (!is_space16(c))
					break;
				pos = i;
			}
		}
		rc = process_run(r, ti, nfd, norm + run_start, run_end - run_start,
		                 (run_abjad & 1) ? EG__SCRIPT_ABJAD
		                                 : (run_abjad & 4) ? EG__SCRIPT_SYLLABIC : 0,
		                 (run_flags & 2) != 0, &bufs, err);
		if (rc != 0)
			goto done;
	}

done:
	eg__free(bufs.b);
	eg__free(bufs.a);
	eg__free(norm);
	eg__free(src);
	return rc;
}

/* --- validation ---------------------------------------------------------- */

/* Checks len bytes of UTF-8: well-formed, no C0 or C1 control character
 * and no DEL. Sets *ascii (all bytes < 0x80) and *blank (only white space
 * or nothing). */
static int validate(const char *in, size_t len, int *ascii, int *blank, eg_error *err)
{
	const uint8_t *s = (const uint8_t *)in;
	int32_t i = 0, n = (int32_t)len;

	*ascii = 1;
	*blank = 1;
	while (i < n) {
		int32_t at = i;
		UChar32 c;

		if (s[i] < 0x80) {
			c = s[i++];
			if (c < 0x20 || c == 0x7f)
				return eg__error_set(err, EG_EINVAL,
				                     "name: control character U+%04X at byte %d",
				                     (unsigned)c, (int)at);
			if (c != ' ')
				*blank = 0;
			continue;
		}
		*ascii = 0;
		U8_NEXT(s, i, n, c);
		if (c < 0)
			return eg__error_set(err, EG_EUTF8, "name: invalid UTF-8 at byte %d", (int)at);
		if (c >= 0x80 && c <= 0x9f)
			return eg__error_set(err, EG_EINVAL,
			                     "name: control character U+%04X at byte %d",
			                     (unsigned)c, (int)at);
		if (*blank && !u_isUWhiteSpace(c))
			*blank = 0;
	}
	return 0;
}

int eg__text_check_query(const char *in, size_t len, eg_error *err)
{
	int ascii, blank, rc;

	if (in == NULL || len == 0)
		return eg__error_set(err, EG_EEMPTY, "query: empty name");
	if (len > EG__CAP_QUERY_BYTES)
		return eg__error_set(err, EG_ETOOBIG, "query: name of %zu bytes, over the cap of %d",
		                     len, EG__CAP_QUERY_BYTES);
	rc = validate(in, len, &ascii, &blank, err);
	if (rc != 0)
		return rc;
	if (blank)
		return eg__error_set(err, EG_EEMPTY, "query: name is only white space");
	return 0;
}

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

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* --- misspelt table words ------------------------------------------------
 * A word one edit (deletion, insertion, substitution, transposition) away
 * from a long word of the tables ("limitned", "corponation") is read as that
 * word, so misspelt legal forms still weigh little. Long words only: short
 * ones are too often real name parts one edit from a table word.
 * The keys are every table word of LONG_WORD letters or more and each of its
 * one-letter deletions, sorted; a word and its deletions are looked up. */
#define LONG_WORD 6
#define MAX_LONG_KEYS 8192

typedef struct long_key {
	char key[EG__TEXT_MAX_VARIANT + 1];
	const char *word; /* inside a table variant */
	uint8_t word_len;
} long_key;

static long_key *long_keys;
static size_t n_long_keys;
static pthread_once_t long_once = PTHREAD_ONCE_INIT;

static int cmp_long_key(const void *a, const void *b)
{
	return strcmp(((const long_key *)a)->key, ((const long_key *)b)->key);
}

static void long_key_add(const char *key, size_t kl, const char *word, size_t wl)
{
	long_key *k;

	if (n_long_keys == MAX_LONG_KEYS || kl > EG__TEXT_MAX_VARIANT)
		return;
	k = &long_keys[n_long_keys++];
	memcpy(k->key, key, kl);
	k->key[kl] = '\0';
	k->word = word;
	k->word_len = (uint8_t)wl;
}

static void long_keys_build(void)
{
	size_t i, j;

	/* Allocated once per process and kept: static read-only data. */
	long_keys = malloc(MAX_LONG_KEYS * sizeof(*long_keys));
	if (long_keys == NULL)
		return;
	for (i = 0; i < eg__text_entry_count; i++) {
		const char *v = eg__text_entries[i].variant;
		if (eg__text_entries[i].cls != EG__TOK_LEGAL &&
		    eg__text_entries[i].cls != EG__TOK_ORGWORD)
			continue;
		while (*v != '\0') {
			size_t wl = strcspn(v, " ");
			if (wl >= LONG_WORD) {
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
	qsort(long_keys, n_long_keys, sizeof(*long_keys), cmp_long_key);
}

int eg__text_one_edit(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0;

	if (al > bl + 1 || bl > al + 1)
		return 0;
	while (i < al && i < bl && a[i] == b[i])
		i++;
	if (i == al || i == bl)
		return al + bl - 2 * i <= 1;
	if (al == bl)
		return memcmp(a + i + 1, b + i + 1, al - i - 1) == 0 ||
		       (i + 1 < al && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		        memcmp(a + i + 2, b + i + 2, al - i - 2) == 0);
	if (al > bl)
		return memcmp(a + i + 1, b + i, bl - i) == 0;
	return memcmp(a + i, b + i + 1, al - i) == 0;
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
		for (k = long_find(del, dl); k != NULL && k < long_keys + n_long_keys &&
		     eg__text_slice_cmp(del, dl, k->key) == 0; k++)
			if (eg__text_one_edit(w, n, k->word, k->word_len))
				return k;
	}
	return NULL;
}

/* Copies the raw tokens with misspelt long table words corrected. */
static void correct_long_words(raw_tokens *r)
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

/* Length in words of the table variant that starts at raw token i, 0 if
 * none (the longest, as classify takes it). */
static unsigned table_match_at(const raw_tokens *r, size_t i)
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
static void join_initials(raw_tokens *r)
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
static int classify(eg__norm *out, const raw_tokens *r, eg_error *err)
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
		if (all_digits(t, tl) || r->abjad[i] == EG__SCRIPT_SYLLABIC) {
			/* a Han or Hangul syllable is a name's syllable, never a
			 * table word: 早 "zao" is not the Russian legal form */
			rc = emit(out, &used, t, tl,
			          all_digits(t, tl) ? EG__TOK_NUMBER : EG__TOK_WORD, r->abjad[i],
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

int eg__text_normalize(eg__norm *out, const char *in, size_t len, eg_error *err)
{
	raw_tokens *r = NULL;
	int ascii, blank, rc;

	out->n = 0;
	out->truncated = 0;
	if (in == NULL && len > 0)
		return eg__error_set(err, EG_EINVAL, "name: NULL with a length");
	if (len > EG__CAP_NORM_INPUT_BYTES)
		return eg__error_set(err, EG_ETOOBIG, "name: %zu bytes, over the cap of %d",
		                     len, EG__CAP_NORM_INPUT_BYTES);
	rc = validate(in, len, &ascii, &blank, err);
	if (rc != 0 || blank)
		return rc;
	/* about 10 KiB: on the heap, so deep callers' stacks stay small */
	r = eg__malloc(offsetof(raw_tokens, buf) + RAW_MAX_BYTES);
	if (r == NULL)
		return eg__error_set(err, EG_ENOMEM, "name: out of memory");
	r->used = 0;
	r->n = 0;
	r->open = 0;
	r->truncated = 0;
	r->toobig = 0;
	if (ascii)
		ascii_tokens(r, in, len);
	else {
		rc = icu_tokens(r, in, len, err);
		if (rc != 0)
			goto done;
	}
	if (r->toobig) {
		rc = eg__error_set(err, EG_ETOOBIG, "name: over %d bytes once normalised",
		                   EG__CAP_NORM_BYTES);
		goto done;
	}
	correct_long_words(r);
	join_initials(r);
	rc = classify(out, r, err);

done:
	if (rc != 0) {
		out->n = 0;
		out->truncated = 0;
	}
	eg__free(r);
	return rc;
}

/* --- keys ---------------------------------------------------------------- */

static char lower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int is_vowel_y(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

size_t eg__text_skeleton(char *out, const char *tok, size_t len)
{
	size_t i, o = 0;
	char last;

	if (len == 0 || all_digits(tok, len)) {
		memcpy(out, tok, len);
		out[len] = '\0';
		return len;
	}
	last = out[o++] = lower_ascii(tok[0]);
	for (i = 1; i < len; i++) {
		char c = lower_ascii(tok[i]);
		if (is_vowel_y(c) || c == last)
			continue;
		out[o++] = c;
		last = c;
	}
	out[o] = '\0';
	return o;
}

/*
 * The phonetic key. Rules, in order of application:
 *  1. A token of digits only is its own key.
 *  2. An iotated start is dropped: y, j, dj or dzh before a, e, o or u
 *     (yevgeniy ~ evgeny, jusuf ~ yusuf ~ usuf, djamal ~ jamal ~ amal;
 *     pinyin "jin" keeps its j).
 *  3. A vowel sound at the start (a e i o u y) becomes "a"; every other
 *     vowel, y included, is dropped (abjad spellings lack short vowels),
 *     and so are a w after a consonant with no vowel after it (the abjad
 *     vowel letter: ICU "bwtyn" ~ putin's b-t-n, "abw" ~ abu) and a j
 *     after a vowel with no vowel after it (ICU "evgenij" ~ evgeny).
 *  4. Letter groups, longest first: tsch shch sch tch sh ch zh ts tz cz sz
 *     -> s (the sibilants and affricates ICU and English spell differently:
 *     ICU "cernov", "sukin" for English "chernov", "shchukin"); dzh dj dz
 *     -> j; kh -> h (ICU's "mihail" for "mikhail"); gh -> g; ph -> f;
 *     th dh -> t; ck -> k.
 *  5. Single letters: c -> s before e i y and in a final "ic" (Slavic
 *     -ic ~ -ich: ICU "vladimirovic", "milosevic"), else k; q k -> k;
 *     x -> ks; v w f -> f; d t -> t; s z -> s; p b -> b (Arabic has no p:
 *     "bwtyn" for Putin); g j l m n r and digits stay.
 *  6. h (also from kh) is dropped after a vowel sound when no vowel
 *     sound follows
 *     (ahmed ~ akhmed ~ ahmad, abdallah ~ abdalla).
 *  7. A code equal to the previous code is not repeated, even across
 *     dropped vowels (mohammed ~ muhammad ~ mohamed ~ "mhmd" -> mhmt).
 * The key never exceeds len bytes (a trailing x may lose its s).
 */
/* The lowercase byte i of tok, or 0 past its end. */
static char at(const char *tok, size_t len, size_t i)
{
	return i < len ? lower_ascii(tok[i]) : 0;
}

/* Whether byte i of tok sounds as a vowel for the key: a e i o u y; a w
 * after a consonant with no vowel after it (the vowel letter of abjad
 * spellings: ICU "bwtyn" for Putin, "abw" for Abu; German "-ow"); a j
 * after a vowel with no vowel after it (ICU's Cyrillic short i: "sergej",
 * "evgenij" for sergei, evgeny). */
static int vowel_at(const char *tok, size_t len, size_t i)
{
	char c = at(tok, len, i), p;

	if (is_vowel_y(c))
		return 1;
	if ((c != 'w' && c != 'j') || i == 0 || is_vowel_y(at(tok, len, i + 1)))
		return 0;
	p = at(tok, len, i - 1);
	if (c == 'j')
		return is_vowel_y(p);
	return p >= 'a' && p <= 'z' && !is_vowel_y(p);
}

/* The vowels an iotated start (ya, ye, yo, yu, ja, ...) comes before; not
 * i, so pinyin "jin", "yi" keep their initial. */
static int iotated(char c)
{
	return c == 'a' || c == 'e' || c == 'o' || c == 'u';
}

size_t eg__text_phonetic(char *out, const char *tok, size_t len)
{
	static const struct {
		const char *from;
		size_t n;
		char to;
	} groups[] = {
		{"tsch", 4, 's'}, {"shch", 4, 's'}, {"sch", 3, 's'}, {"tch", 3, 's'},
		{"dzh", 3, 'j'}, {"sh", 2, 's'}, {"ch", 2, 's'}, {"zh", 2, 's'},
		{"ts", 2, 's'}, {"tz", 2, 's'}, {"cz", 2, 's'}, {"sz", 2, 's'},
		{"dj", 2, 'j'}, {"dz", 2, 'j'}, {"kh", 2, 'h'}, {"gh", 2, 'g'},
		{"ph", 2, 'f'}, {"th", 2, 't'}, {"dh", 2, 't'}, {"ck", 2, 'k'},
	};
	size_t i = 0, o = 0, g, k;
	char last = 0;

	if (all_digits(tok, len)) {
		memcpy(out, tok, len);
		out[len] = '\0';
		return len;
	}
	/* rule 2: an iotated start */
	if ((at(tok, len, 0) == 'y' || at(tok, len, 0) == 'j') && iotated(at(tok, len, 1)))
		i = 1;
	else if (at(tok, len, 0) == 'd' && at(tok, len, 1) == 'j' && iotated(at(tok, len, 2)))
		i = 2;
	else if (at(tok, len, 0) == 'd' && at(tok, len, 1) == 'z' && at(tok, len, 2) == 'h' &&
	         iotated(at(tok, len, 3)))
		i = 3;
	/* rule 3: a vowel sound at the start */
	if (i < len && is_vowel_y(at(tok, len, i)))
		last = out[o++] = 'a';
	while (i < len) {
		char c = at(tok, len, i), code[2] = {0, 0};
		size_t step = 1;

		if (vowel_at(tok, len, i)) {
			i++;
			continue;
		}
		for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
			if (groups[g].n <= len - i) {
				for (k = 0; k < groups[g].n && at(tok, len, i + k) == groups[g].from[k]; k++)
					;
				if (k == groups[g].n) {
					code[0] = groups[g].to;
					step = groups[g].n;
					break;
				}
			}
		}
		if (code[0] == 0) {
			char nx = at(tok, len, i + 1);
			switch (c) {
			case 'c':
				code[0] = (nx == 'e' || nx == 'i' || nx == 'y' ||
				           (nx == 0 && i > 0 && at(tok, len, i - 1) == 'i')) ? 's' : 'k';
				break;
			case 'p': code[0] = 'b'; break;
			case 'q': case 'k': code[0] = 'k'; break;
			case 'x': code[0] = 'k'; code[1] = 's'; break;
			case 'v': case 'w': case 'f': code[0] = 'f'; break;
			case 'd': case 't': code[0] = 't'; break;
			case 's': case 'z': code[0] = 's'; break;
			default:
				if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
					code[0] = c;
				break;
			}
		}
		/* rule 6: a silent h */
		if (code[0] == 'h' && i > 0 && vowel_at(tok, len, i - 1) &&
		    !vowel_at(tok, len, i + step))
			code[0] = 0;
		for (k = 0; k < 2 && code[k] != 0; k++) {
			if (code[k] == last || o >= len)
				continue;
			last = out[o++] = code[k];
		}
		i += step;
	}
	out[o] = '\0';
	return o;
}
