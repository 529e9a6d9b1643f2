/* text/tokenize.c - raw tokens: the ASCII fast path and the ICU path, run by run of one script kind. */
#include "text/norm_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

/* --- raw token collection ------------------------------------------------ */

/* Appends one lowercase ASCII letter or digit to the current token, opening
 * one if none is open. Past the token budget the character is dropped and
 * truncated set; past the byte budget toobig is set. */
static void raw_putc(eg__raw_tokens *r, char c, int abjad)
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
static void raw_end(eg__raw_tokens *r)
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
void eg__tokenize_ascii(eg__raw_tokens *r, const char *in, size_t len)
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
static void utf16_tokens(eg__raw_tokens *r, const UChar *s, int32_t n, int abjad)
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

/* --- the ICU path -------------------------------------------------------- */

static int is_space16(UChar32 c)
{
	return c == ' ' || u_isUWhiteSpace(c);
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
/* Turns one piece s[0..n) of NFKC-casefolded text into tokens: Any-Latin
 * if it holds a non-Latin letter; NFD, whose marks the tokeniser drops;
 * and Latin-ASCII only if a non-ASCII letter is left after that. s must
 * not point into b. */
static int translit_piece(eg__raw_tokens *r, eg__thread_icu *ti, const UNormalizer2 *nfd,
                          const UChar *s, int32_t n, int abjad, int non_latin, eg__icu_bufs *b,
                          eg_error *err)
{
	const UChar *text = s;
	int32_t tlen = n, flen = 0;
	int rc;

	if (non_latin) {
		rc = eg__icu_translit(ti->any_latin, s, n, &b->a, &b->acap, &tlen, err);
		if (rc != 0)
			return rc;
		text = b->a;
		if (eg__romanize_has_indic(s, n)) {
			rc = eg__romanize_indic(text, tlen, &b->b, &b->bcap, &tlen, err);
			if (rc != 0)
				return rc;
			rc = eg__icu_grow(&b->a, &b->acap, tlen, err);
			if (rc != 0)
				return rc;
			memcpy(b->a, b->b, (size_t)tlen * sizeof(UChar));
		}
		if (eg__romanize_has_foreign(text, tlen)) {
			rc = eg__romanize_by_names(text, tlen, &b->b, &b->bcap, &tlen, err);
			if (rc != 0)
				return rc;
			/* back into b->a, which the steps below read */
			rc = eg__icu_grow(&b->a, &b->acap, tlen, err);
			if (rc != 0)
				return rc;
			memcpy(b->a, b->b, (size_t)tlen * sizeof(UChar));
		}
	}
	rc = eg__icu_normalize(nfd, text, tlen, &b->b, &b->bcap, &flen, err);
	if (rc != 0)
		return rc;
	if (!has_non_ascii_letter(b->b, flen)) {
		utf16_tokens(r, b->b, flen, abjad);
		return 0;
	}
	/* text may live in b->a: move it to b->b, then transliterate back */
	rc = eg__icu_grow(&b->b, &b->bcap, tlen, err);
	if (rc != 0)
		return rc;
	memmove(b->b, text, (size_t)tlen * sizeof(UChar));
	rc = eg__icu_translit(ti->latin_ascii, b->b, tlen, &b->a, &b->acap, &flen, err);
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
static int process_run(eg__raw_tokens *r, eg__thread_icu *ti, const UNormalizer2 *nfd, const UChar *s,
                       int32_t n, int abjad, int non_latin, eg__icu_bufs *b, eg_error *err)
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
			eg__romanize_hangul(r, from);
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
int eg__tokenize_icu(eg__raw_tokens *r, const char *in, size_t len, eg_error *err)
{
	UChar *src = NULL, *norm = NULL;
	int32_t srclen = 0, srccap = 0, normlen = 0, normcap = 0, pos;
	const UNormalizer2 *nfkc, *nfd;
	eg__icu_bufs bufs = {NULL, NULL, 0, 0};
	eg__thread_icu *ti;
	UErrorCode st = U_ZERO_ERROR;
	int rc = 0;

	rc = eg__icu_get(&ti, err);
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
	rc = eg__icu_normalize(nfkc, src, srclen, &norm, &normcap, &normlen, err);
	if (rc != 0)
		goto done;
	/* the rewrites of data/text/script_rules.tsv, into src (free now),
	 * which then takes norm's place */
	srccap = (int32_t)len + 1;
	rc = eg__romanize_rules(norm, normlen, &src, &srccap, &srclen, err);
	if (rc != 0)
		goto done;
	{
		UChar *t = norm;
		norm = src;
		src = t;
		normlen = srclen;
	}

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
