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
		r->hyphen[r->n] = 0;
		r->apos[r->n] = 0;
		r->open = 1;
	}
	r->buf[r->used++] = c;
	r->len[r->n]++;
}

/* Notes an apostrophe dropped inside the open token, if any. */
static void raw_apostrophe(eg__raw_tokens *r)
{
	if (r->open && r->len[r->n] < 8)
		r->apos[r->n] |= (uint8_t)(1u << r->len[r->n]);
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
			raw_apostrophe(r);
			break;
		default:
			if (in[i] == '-' && r->open && i + 1 < len) {
				raw_end(r);
				r->hyphen[r->n - 1] = 1;
			}
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
			if (role == 'k') {
				raw_putc(r, lower, abjad);
			} else if (role == 'd') {
				raw_apostrophe(r);
			} else if (role == 's') {
				if (c == '-' && r->open && i < n) {
					raw_end(r);
					r->hyphen[r->n - 1] = 1;
				}
				raw_end(r);
			}
			continue;
		}
		if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x2032) {
			raw_apostrophe(r);
			continue;
		}
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

	if (non_latin && eg__romanize_has_myanmar(s, n)) {
		/* into b->b, which Any-Latin then reads into b->a */
		rc = eg__romanize_myanmar(s, n, &b->b, &b->bcap, &tlen, err);
		if (rc != 0)
			return rc;
		s = b->b;
		n = tlen;
	} else if (non_latin && eg__romanize_has_thai(s, n)) {
		/* into b->b, which Any-Latin then reads into b->a */
		rc = eg__romanize_thai(s, n, &b->b, &b->bcap, &tlen, err);
		if (rc != 0)
			return rc;
		s = b->b;
		n = tlen;
	} else if (non_latin) {
		/* a Chinese or a Korean name in Cyrillic, into b->b as the
		 * others */
		rc = eg__romanize_chinese_cyrillic(s, n, &b->b, &b->bcap, &tlen, err);
		if (rc == 0)
			rc = eg__romanize_korean_cyrillic(s, n, &b->b, &b->bcap, &tlen, err);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			s = b->b;
			n = tlen;
		}
	}
	if (non_latin) {
		rc = eg__icu_translit(ti->any_latin, s, n, &b->a, &b->acap, &tlen, err);
		if (rc != 0)
			return rc;
		text = b->a;
		int indic = eg__romanize_has_indic(s, n);
		if (indic) {
			rc = eg__romanize_indic(text, tlen, indic == 2, &b->b, &b->bcap, &tlen, err);
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

/* --- foreign names written in Han and Hangul -----------------------------
 * Chinese and Korean write a foreign name sound by sound, a syllable a
 * character: 巴沙尔·阿萨德 Bashar al-Assad, 바샤르 알아사드. Read as a
 * Chinese or Korean name, a token a syllable, such a name meets nothing;
 * read as one word, its syllables joined, it meets its Latin spelling. A
 * word of Han or Hangul is taken for a transcription when
 *  - its run holds a name dot (·, ・), which Chinese and Japanese put
 *    between a foreign name's parts, or
 *  - it holds a syllable that writes a lone consonant: in Han one of the
 *    characters Chinese transcription keeps for them (尔 r, 斯 s, 夫 f,
 *    姆 m, 兹 z, 茨 ts) after its first; in Hangul a syllable of the vowel
 *    eu, which Korean adds to a consonant no vowel follows (르 r, 스 s), or
 *  - (Hangul) it has four syllables or more, or two or three whose first
 *    is not a Korean family name (람잔 Ramzan, 알리 Ali; 정은 stays).
 * The joined word is spelt as transcriptions sound: Hangul by its letters
 * (the Revised Romanisation, without the added eu, sya as sha, l before
 * l once), Han in pinyin with the consonant characters (also 克 k, 特 t,
 * 德 d, 格 g, 什 sh) as their consonant; 普 and 布 are as often pu and bu
 * (普京 Putin) and stay syllables. */

static int name_dot(UChar32 c)
{
	return c == 0xB7 || c == 0x30FB || c == 0x2027 || c == 0x2022 || c == 0x2E31 ||
	       c == 0x22C5 || c == 0x2219;
}

/* The consonant a Han character writes in a transcription, or NULL;
 * *marker: it is one only such words use. */
static const char *han_consonant(UChar32 c, int *marker)
{
	static const struct {
		UChar32 c;
		const char *s;
		int marker;
	} t[] = {
		{0x5C14, "r", 1},  /* 尔 */ {0x723E, "r", 1},  /* 爾 */
		{0x65AF, "s", 1},  /* 斯 */ {0x592B, "f", 1},  /* 夫 */
		{0x59C6, "m", 1},  /* 姆 */ {0x5179, "z", 1},  /* 兹 */
		{0x8332, "ts", 1}, /* 茨 */ {0x514B, "k", 0},  /* 克 */
		{0x7279, "t", 0},  /* 特 */ {0x5FB7, "d", 0},  /* 德 */
		{0x683C, "g", 0},  /* 格 */ {0x4EC0, "sh", 0}, /* 什 */
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].c == c) {
			*marker = t[i].marker;
			return t[i].s;
		}
	*marker = 0;
	return NULL;
}

/* Common Korean family names: a Hangul word of two or three syllables
 * starting with one is a Korean name (김정은), else a transcription
 * (마두로). */
static int korean_family_name(UChar c)
{
	static const UChar names[] = {
		0xAE40, 0xC774, 0xBC15, 0xCD5C, 0xC815, 0xAC15, 0xC870, 0xC724, 0xC7A5, 0xC784,
		0xD55C, 0xC624, 0xC11C, 0xC2E0, 0xAD8C, 0xD669, 0xC548, 0xC1A1, 0xB958, 0xC720,
		0xC804, 0xD64D, 0xACE0, 0xBB38, 0xC591, 0xC190, 0xBC30, 0xBC31, 0xD5C8, 0xB0A8,
		0xC2EC, 0xB178, 0xACFD, 0xC131, 0xCC28, 0xC8FC, 0xC6B0, 0xAD6C, 0xBBFC, 0xC9C4,
		0xC9C0, 0xC5C4, 0xCC44, 0xC6D0, 0xCC9C, 0xBC29, 0xACF5, 0xD604, 0xD568, 0xBCC0,
		0xC5FC, 0xC5EC, 0xCD94, 0xB3C4, 0xC18C, 0xC11D, 0xC120, 0xC124, 0xAE38, 0xC5F0,
		0xC704, 0xD45C, 0xBA85, 0xAE30, 0xBC18, 0xC655, 0xAE08, 0xC625, 0xC721, 0xC778,
		0xB9F9, 0xC81C, 0xBAA8, 0xD0C1, 0xAD6D, 0xB9AC,
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i] == c)
			return 1;
	return 0;
}

/* A Hangul syllable of the vowel eu and no final consonant: 르, 스, 드. */
static int hangul_bare_consonant(UChar c)
{
	unsigned sy = (unsigned)c - 0xAC00;
	return (sy % 588) / 28 == 18 && sy % 28 == 0;
}

/* Writes the transcription reading of the Hangul word s[0..n) as one
 * token. */
static void hangul_reading(eg__raw_tokens *r, const UChar *s, int32_t n)
{
	static const char *const ini[] = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
	                                  "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
	static const char *const med[] = {"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o",
	                                  "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
	                                  "eu", "ui", "i"};
	static const char *const fin[] = {"", "k", "k", "k", "n", "n", "n", "t", "l", "l",
	                                  "l", "l", "l", "l", "l", "l", "m", "p", "p", "t",
	                                  "t", "ng", "t", "t", "k", "t", "p", "t"};
	int32_t i;
	int prev_l = 0;

	for (i = 0; i < n; i++) {
		unsigned sy = (unsigned)s[i] - 0xAC00, L = sy / 588, V = (sy % 588) / 28, T = sy % 28;
		const char *in = ini[L], *v = med[V], *p;

		if (prev_l && L == 5)
			in = ""; /* l + r: one l (니콜라스 nikolas) */
		if (V == 4 || V == 6)
			v = V == 4 ? "o" : "yo"; /* eo transcribes o */
		else if (V == 18 && n > 1)
			v = ""; /* the added eu */
		if (v[0] == 'y' && v[1] != '\0' && (L == 9 || L == 10 || L == 12 || L == 14)) {
			/* sya, jya, chya: sha, ja, cha */
			if (L == 9 || L == 10)
				in = "sh";
			v++;
		}
		for (p = in; *p; p++)
			raw_putc(r, *p, EG__SCRIPT_TRANSCRIBED);
		for (p = v; *p; p++)
			raw_putc(r, *p, EG__SCRIPT_TRANSCRIBED);
		for (p = fin[T]; *p; p++)
			raw_putc(r, *p, EG__SCRIPT_TRANSCRIBED);
		prev_l = T == 8;
	}
	raw_end(r);
}

/* The sound a pinyin syllable s[0..*len) stands for in a transcription
 * (in place; the new length in *len): Chinese writes a foreign vi, va, vo
 * as wei, wa, wo (维克托 Viktor), i as yi (伊), o after a consonant as uo
 * (罗 luo for ro), e as ei (梅 mei for me). */
static const char *han_syllable_sound(char *s, size_t *len)
{
	size_t n = *len;

	if (n == 2 && s[0] == 'y' && s[1] == 'i')
		return *len = 1, s + 1;
	if (n >= 2 && s[0] == 'w' && s[1] != 'u') {
		s[0] = 'v';
		if (n == 3 && s[1] == 'e' && s[2] == 'i') {
			s[1] = 'i';
			*len = 2;
		}
		return s;
	}
	if (n >= 3 && s[n - 2] == 'u' && s[n - 1] == 'o' && strchr("aeiouy", s[n - 3]) == NULL) {
		s[n - 2] = 'o';
		*len = n - 1;
	} else if (n >= 3 && s[n - 2] == 'e' && s[n - 1] == 'i' && strchr("aeiouy", s[n - 3]) == NULL) {
		*len = n - 1;
	}
	return s;
}

/* Writes the transcription reading of the Han word s[0..n) as one token:
 * each character's pinyin (ICU), a consonant character as its consonant. */
static int han_reading(eg__raw_tokens *r, eg__thread_icu *ti, const UNormalizer2 *nfd,
                       const UChar *s, int32_t n, eg__icu_bufs *b, eg_error *err)
{
	int32_t i = 0;

	while (i < n) {
		int32_t at = i, tl = 0, fl = 0, k;
		UChar32 c;
		int marker, rc;
		const char *cons, *p;
		char syl[16];
		size_t sl;

		U16_NEXT(s, i, n, c);
		cons = han_consonant(c, &marker);
		if (cons != NULL) {
			for (; *cons; cons++)
				raw_putc(r, *cons, EG__SCRIPT_TRANSCRIBED);
			continue;
		}
		rc = eg__icu_translit(ti->any_latin, s + at, i - at, &b->a, &b->acap, &tl, err);
		if (rc == 0)
			rc = eg__icu_normalize(nfd, b->a, tl, &b->b, &b->bcap, &fl, err);
		if (rc != 0)
			return rc;
		for (k = 0, sl = 0; k < fl && sl < sizeof(syl) - 1; k++) {
			UChar u = b->b[k];
			if (u >= 'a' && u <= 'z')
				syl[sl++] = (char)u;
			else if (u >= 'A' && u <= 'Z')
				syl[sl++] = (char)(u - 'A' + 'a');
		}
		syl[sl] = '\0';
		p = han_syllable_sound(syl, &sl);
		for (k = 0; k < (int32_t)sl; k++)
			raw_putc(r, p[k], EG__SCRIPT_TRANSCRIBED);
	}
	raw_end(r);
	return 0;
}

/* Whether the word s[at..end) of syllable kind kind (1 Han, 2 Hangul) is
 * a transcription; dotted: its run holds a name dot. */
static int transcription(const UChar *s, int32_t at, int32_t end, int kind, int dotted)
{
	int32_t i = at, nsyl = 0;
	int marked = 0;

	if (dotted)
		return 1;
	while (i < end) {
		int32_t here = i;
		UChar32 c;
		int marker = 0;
		U16_NEXT(s, i, end, c);
		if (kind == 1)
			marked |= here > at && han_consonant(c, &marker) != NULL && marker;
		else
			marked |= nsyl > 0 && hangul_bare_consonant((UChar)c);
		nsyl++;
	}
	if (kind == 1)
		return marked && nsyl >= 3;
	return marked || nsyl >= 4 || (nsyl >= 2 && !korean_family_name(s[at]));
}

/* Turns one run s[0..n) of words into tokens (translit_piece). In a run of
 * Han or Hangul each syllable character becomes a token of its own, which
 * knows the character it came from (Hangul is written without spaces
 * between given-name syllables, and ICU joins them: "gimjeong-eun"),
 * unless its word is a transcription of a foreign name (above): one
 * token. */
static int process_run(eg__raw_tokens *r, eg__thread_icu *ti, const UNormalizer2 *nfd, const UChar *s,
                       int32_t n, int abjad, int non_latin, eg__icu_bufs *b, eg_error *err)
{
	int32_t i = 0, piece = 0;
	int rc, dotted = 0;

	if (abjad != EG__SCRIPT_SYLLABIC)
		return translit_piece(r, ti, nfd, s, n, abjad, non_latin, b, err);
	while (i < n) {
		UChar32 c;
		U16_NEXT(s, i, n, c);
		dotted |= name_dot(c);
	}
	i = 0;
	while (i < n) {
		int32_t at = i;
		UChar32 c;
		size_t from;
		int kind, prev_kind = 0;

		U16_NEXT(s, i, n, c);
		kind = syllable_kind(c);
		if (kind == 0)
			continue;
		if (at > 0) {
			int32_t p = at;
			UChar32 pc;
			U16_PREV(s, 0, p, pc);
			prev_kind = syllable_kind(pc);
		}
		if (at == 0 || prev_kind != kind) {
			int32_t end = i;
			while (end < n) {
				int32_t e2 = end;
				UChar32 c2;
				U16_NEXT(s, e2, n, c2);
				if (syllable_kind(c2) != kind)
					break;
				end = e2;
			}
			if (transcription(s, at, end, kind, dotted)) {
				if (at > piece) {
					rc = translit_piece(r, ti, nfd, s + piece, at - piece, 0, 1, b, err);
					if (rc != 0)
						return rc;
				}
				raw_end(r);
				if (kind == 2)
					hangul_reading(r, s + at, end - at);
				else if ((rc = han_reading(r, ti, nfd, s + at, end - at, b, err)) != 0)
					return rc;
				i = piece = end;
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
 * different characters; bit 8 Kana and Thai, which spell a word sound by
 * sound ("バラク" baraku): their words are compared as words, as
 * transcriptions. */
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
	if (sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA || sc == USCRIPT_KATAKANA_OR_HIRAGANA ||
	    sc == USCRIPT_THAI)
		return 10;
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
			if (run_abjad >= 0 && (w_flags & 13) != run_abjad) {
				pos = wstart;
				break;
			}
			run_abjad = w_flags & 13;
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
		                 (run_abjad & 1)   ? EG__SCRIPT_ABJAD
		                 : (run_abjad & 4) ? EG__SCRIPT_SYLLABIC
		                 : (run_abjad & 8) ? EG__SCRIPT_TRANSCRIBED : 0,
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
