/* text/romanize.c - romanisation ICU does not give: Hangul as lists spell it, letters of scripts ICU lacks, Indo-Aryan inherent vowels, Thai and Burmese as names are spelt. */
#include "text/norm_internal.h"
#include "text/rules.h"
#include "util/error.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>


/* Rewrites the syllables ICU romanised from Hangul the way lists spell
 * Korean names (McCune-Reischauer without its marks, as DPRK names are
 * published: 김정은 "gim jeong eun" -> "kim jong un", 박 "bag" -> "pak",
 * 룡 "lyong" -> "ryong"): eo -> o, eu -> u, an initial g, d, b, l -> k, t,
 * p, r and a final g (not ng), d, b -> k, t, p. In place: a token never
 * grows. */
void eg__romanize_hangul(eg__raw_tokens *r, size_t from)
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

/* --- Korean syllables in the Revised Romanization ------------------------
 * South Korea's romanisation writes the vowels 어 and 으 "eo" and "eu",
 * which the lists (McCune-Reischauer without its marks, as above) write
 * "o" and "u": Kim Jeong-eun, Hwang Byeong-seo are KIM Jong Un, HWANG
 * Pyong So. A Latin word that is exactly one Korean syllable so spelt (an
 * initial consonant but l, "eo", "yeo" or "eu", a final of k n t l m p
 * ng) is respelt; the rest of the word keeps its letters. No other
 * language spells a whole word so but for a few short ones ("geo",
 * "neo"), which are respelt on both sides alike. */
static size_t rr_prefix(const char *t, size_t n, const char *const *set, size_t count)
{
	size_t i, best = 0;

	for (i = 0; i < count; i++) {
		size_t l = strlen(set[i]);
		if (l > best && l <= n && memcmp(t, set[i], l) == 0)
			best = l;
	}
	return best;
}

void eg__romanize_korean_rr(eg__raw_tokens *r)
{
	static const char *const initials[] = {"kk", "tt", "pp", "ss", "jj", "ch", "g", "n", "d",
	                                       "r", "m", "b", "s", "j", "k", "t", "p", "h"};
	static const char *const finals[] = {"k", "n", "t", "l", "m", "p", "ng"};
	size_t i;

	for (i = 0; i < r->n; i++) {
		char *t = r->buf + r->off[i];
		size_t n = r->len[i], a, v, f;
		const char *e;
		if (n < 2 || n > 7 || r->abjad[i] != 0 || r->native[i] != 0)
			continue;
		/* most words hold no "eo" or "eu": one scan says so */
		e = memchr(t, 'e', n);
		if (e == NULL || e + 1 == t + n || (e[1] != 'o' && e[1] != 'u'))
			continue;
		a = rr_prefix(t, n, initials, sizeof(initials) / sizeof(initials[0]));
		if (n - a >= 3 && memcmp(t + a, "yeo", 3) == 0)
			v = 3;
		else if (n - a >= 2 && (memcmp(t + a, "eo", 2) == 0 || memcmp(t + a, "eu", 2) == 0))
			v = 2;
		else
			continue;
		f = n - a - v;
		if (f > 0 && (rr_prefix(t + a + v, f, finals, sizeof(finals) / sizeof(finals[0])) != f))
			continue;
		/* drop the e of eo, yeo, eu */
		memmove(t + a + v - 2, t + a + v - 1, f + 1);
		t[n - 1] = '\0';
		r->len[i] = (uint16_t)(n - 1);
	}
}

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

int eg__romanize_has_foreign(const UChar *s, int32_t n)
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
int eg__romanize_by_names(const UChar *s, int32_t n, UChar **dst, int32_t *dcap,
                             int32_t *dlen, eg_error *err)
{
	int32_t i = 0, o = 0, inh = 0; /* inh: inherent vowel letters just written */
	int rc = eg__icu_grow(dst, dcap, n * 16 + 1 < WORK_MAX_UNITS ? n * 16 + 1 : WORK_MAX_UNITS,
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

/* --- rewrites before transliteration (data/text/script_rules.tsv) -------
 * Where ICU's romanisation is not how names are spelt (Greek μπ "b", the
 * Arabic article joined to its word, a Kana loanword's final vowel) or a
 * company word of a script should meet its Latin table word, the text is
 * rewritten before Any-Latin. The rules are sorted by `from`, so those that
 * start with one code unit are contiguous: found by binary search. */

static int letter_or_mark(UChar32 c)
{
	switch (u_charType(c)) {
	case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER:
	case U_MODIFIER_LETTER: case U_OTHER_LETTER: case U_NON_SPACING_MARK:
	case U_COMBINING_SPACING_MARK: case U_ENCLOSING_MARK:
		return 1;
	default:
		return 0;
	}
}

/* The first rule whose from starts with the code unit u; the rules after it
 * that do too follow it. NULL if none. */
static const eg__text_rule *rules_from(UChar u)
{
	size_t lo = 0, hi = eg__text_rule_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (eg__text_rules[mid].from[0] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < eg__text_rule_count && eg__text_rules[lo].nfrom > 0 &&
	       eg__text_rules[lo].from[0] == u ? &eg__text_rules[lo] : NULL;
}

int eg__romanize_rules(const UChar *s, int32_t n, UChar **dst, int32_t *dcap, int32_t *dlen,
                       eg_error *err)
{
	int32_t i = 0, o = 0;
	int rc = eg__icu_grow(dst, dcap, n * 2 + 16 < WORK_MAX_UNITS ? n * 2 + 16 : WORK_MAX_UNITS,
	                      err);

	while (rc == 0 && i < n) {
		const eg__text_rule *r = s[i] >= 0x80 ? rules_from(s[i]) : NULL, *best = NULL;
		int start = 1;

		if (r != NULL && o > 0) {
			int32_t p = o;
			UChar32 c;
			U16_PREV(*dst, 0, p, c);
			start = !letter_or_mark(c);
		}
		for (; r != NULL && r < eg__text_rules + eg__text_rule_count && r->from[0] == s[i];
		     r++) {
			/* the longest wins; of two as long, the anchored one
			 * (ντ$ d before ντ nd) */
			if (r->nfrom > n - i ||
			    (best != NULL && (r->nfrom < best->nfrom ||
			                      (r->nfrom == best->nfrom && r->anchors <= best->anchors))) ||
			    memcmp(r->from, s + i, r->nfrom * sizeof(UChar)) != 0)
				continue;
			if ((r->anchors & EG__RULE_WORD_START) && !start)
				continue;
			if (r->anchors & EG__RULE_WORD_END) {
				int32_t k = i + r->nfrom;
				UChar32 c;
				if (k < n) {
					U16_NEXT(s, k, n, c);
					if (letter_or_mark(c))
						continue;
				}
			}
			best = r;
		}
		if (o + (best != NULL ? best->nto : 2) > *dcap) {
			rc = eg__icu_grow(dst, dcap, *dcap * 2 < WORK_MAX_UNITS ? *dcap * 2 : WORK_MAX_UNITS,
			                  err);
			if (rc == 0 && o + (best != NULL ? best->nto : 2) > *dcap)
				rc = eg__error_set(err, EG_ETOOBIG, "name: too long to transliterate");
			continue;
		}
		if (best != NULL) {
			memcpy(*dst + o, best->to, best->nto * sizeof(UChar));
			o += best->nto;
			i += best->nfrom;
		} else {
			(*dst)[o++] = s[i++];
		}
	}
	if (rc == 0)
		*dlen = o;
	return rc;
}

/* --- Indo-Aryan scripts: the inherent vowel ------------------------------
 * ICU romanises Devanagari, Bengali, Gurmukhi and Gujarati letter by
 * letter (ISO 15919): every consonant without a vowel sign or virama
 * carries its inherent vowel, written a: हसन "hasana", रमज़ान "ramazāna".
 * Hindi, Bengali, Punjabi and Gujarati do not pronounce it at the end of a
 * word nor between two syllables that keep theirs, and names are spelt as
 * said: Hasan, Ramzan, Nasrallah. The rules (after Ohala's account of
 * Hindi schwa deletion, simplified):
 *  1. a final inherent a after one consonant, or after a nasal and a
 *     consonant (सिंघ Singh, जोंग Jong), is dropped when the word has
 *     another vowel; after another cluster it stays (नरेंद्र Narendra);
 *  2. then, left to right, an inherent a between two single consonants
 *     with a vowel on each side (V C a C V) is dropped.
 * A written a is ā in ICU's output and never dropped; an independent अ
 * follows no consonant. The consonants are then spelt as names are: ś and
 * ṣ sh, c ch (and ch chh), nasals n, r̥ ri, the rest without their marks. */

#define INDIC_MAX_UNITS 64

typedef struct indic_unit {
	char text[4];  /* ASCII spelling, NUL-terminated */
	uint8_t vowel; /* 1 vowel, 0 consonant */
	uint8_t schwa; /* an inherent (plain) a */
	uint8_t nasal; /* n, m or a nasal sign */
	uint8_t anusvara; /* the nasal sign ṁ (ICU writes it at a word's end) */
} indic_unit;

/* Sets a unit's text to t (at most 3 letters). */
static void unit_text(indic_unit *u, const char *t)
{
	size_t n = strlen(t);

	if (n > sizeof(u->text) - 1)
		n = sizeof(u->text) - 1;
	memcpy(u->text, t, n);
	u->text[n] = '\0';
}

static int indic_script(UChar32 c)
{
	UErrorCode st = U_ZERO_ERROR;

	switch (uscript_getScript(c, &st)) {
	case USCRIPT_DEVANAGARI: case USCRIPT_BENGALI: case USCRIPT_GURMUKHI:
	case USCRIPT_GUJARATI:
		return 1;
	default:
		return 0;
	}
}

int eg__romanize_has_indic(const UChar *s, int32_t n)
{
	int32_t i = 0;
	int found = 0;

	while (i < n) {
		UChar32 c;
		U16_NEXT(s, i, n, c);
		if (c >= 0x980 && c < 0xA00)
			return 2;
		if (c >= 0x900 && c < 0xB00 && indic_script(c))
			found = 1;
	}
	return found;
}

/* Applies the rules above to one word's units; returns the new count. */
static size_t indic_drop_schwa(indic_unit *u, size_t n)
{
	size_t i, v = 0, k;

	for (i = 0; i < n; i++)
		v += u[i].vowel;
	if (n >= 3 && v >= 2 && u[n - 1].schwa && !u[n - 2].vowel) {
		for (k = 0; k < n - 1 && !u[n - 2 - k].vowel; k++)
			;
		if (k == 1 || (k == 2 && u[n - 3].nasal))
			n--;
	}
	for (i = 2; i + 2 < n; i++) {
		if (u[i].schwa && !u[i - 1].vowel && u[i - 2].vowel && !u[i + 1].vowel &&
		    u[i + 2].vowel) {
			memmove(u + i, u + i + 1, (n - i - 1) * sizeof(*u));
			n--;
		}
	}
	return n;
}

/* The unit of one code point of ICU's output (NFC); 0 if it writes none
 * (a mark or an apostrophe ICU puts between letters). */
static int indic_unit_of(UChar32 c, indic_unit *u)
{
	UChar dec[8];
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
	int32_t dl;
	char b;

	memset(u, 0, sizeof(*u));
	if (U_FAILURE(st))
		return 0;
	switch (c) {
	case 0x15B: case 0x1E63: /* ś ṣ */
		unit_text(u, "sh");
		return 1;
	case 0x1E45: case 0xF1: case 0x1E47: case 0x1E41: case 0x1E43: /* ṅ ñ ṇ ṁ ṃ */
		unit_text(u, "n");
		u->nasal = 1;
		u->anusvara = c == 0x1E41 || c == 0x1E43;
		return 1;
	case 'c':
		unit_text(u, "ch");
		return 1;
	case 'a':
		unit_text(u, "a");
		u->vowel = u->schwa = 1;
		return 1;
	default:
		break;
	}
	dl = unorm2_getDecomposition(nfd, c, dec, 8, &st);
	b = (char)(c < 0x80 ? c : (U_SUCCESS(st) && dl > 0 && dec[0] < 0x80 ? dec[0] : 0));
	if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
		return 0;
	if (b >= 'A' && b <= 'Z')
		b = (char)(b - 'A' + 'a');
	u->text[0] = b;
	u->vowel = strchr("aeiou", b) != NULL;
	u->nasal = b == 'n' || b == 'm';
	return 1;
}

/* Writes the units of one word into dst at *o. */
static void indic_emit(const indic_unit *u, size_t n, UChar *dst, int32_t *o)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; u[i].text[k] != '\0'; k++)
			dst[(*o)++] = (UChar)u[i].text[k];
		/* a final anusvara after a short a is ng (অং ang); after
		 * another vowel it nasalises it (हैं hain) */
		if (u[i].anusvara && i + 1 == n && i > 0 && u[i - 1].schwa)
			dst[(*o)++] = 'g';
	}
}

int eg__romanize_indic(const UChar *s, int32_t n, int bengali, UChar **dst, int32_t *dcap,
                       int32_t *dlen, eg_error *err)
{
	indic_unit u[INDIC_MAX_UNITS];
	size_t nu = 0;
	int32_t i = 0, o = 0;
	/* a unit is at most 3 letters for one code point */
	int rc = eg__icu_grow(dst, dcap, n * 3 + 16 < WORK_MAX_UNITS ? n * 3 + 16 : WORK_MAX_UNITS,
	                      err);

	if (rc != 0)
		return rc;
	if (n * 3 + 16 > *dcap)
		return eg__error_set(err, EG_ETOOBIG, "name: too long to transliterate");
	while (i <= n) {
		UChar32 c = 0;
		indic_unit x;

		if (i < n)
			U16_NEXT(s, i, n, c);
		else
			i++;
		if (c != 0 && c != '\'' && c != 0x2019 && u_charType(c) == U_NON_SPACING_MARK) {
			/* r with a ring below is the vowel r̥: "ri" */
			if (c == 0x325 && nu > 0 && strcmp(u[nu - 1].text, "r") == 0) {
				unit_text(&u[nu - 1], "ri");
				u[nu - 1].vowel = 1;
			}
			continue;
		}
		if (c == '\'' || c == 0x2019)
			continue;
		if (nu == INDIC_MAX_UNITS) { /* a word this long is no name: as it is */
			indic_emit(u, nu, *dst, &o);
			nu = 0;
		}
		if (c != 0 && indic_unit_of(c, &x)) {
			/* an aspirate: kh, gh, ch (chh), jh, th, dh, ph, bh is one
			 * consonant */
			if (strcmp(x.text, "h") == 0 && nu > 0 && !u[nu - 1].vowel &&
			    strchr("kgcjtdpbr", u[nu - 1].text[0]) != NULL &&
			    strlen(u[nu - 1].text) < 3) {
				size_t l = strlen(u[nu - 1].text); /* ch + h: chh */
				u[nu - 1].text[l] = 'h';
				u[nu - 1].text[l + 1] = '\0';
				/* Bengali ফ is f in names (হাফিজ Hafiz) */
				if (bengali && strcmp(u[nu - 1].text, "ph") == 0)
					unit_text(&u[nu - 1], "f");
				continue;
			}
			u[nu++] = x;
			continue;
		}
		/* the end of a word */
		nu = indic_drop_schwa(u, nu);
		indic_emit(u, nu, *dst, &o);
		nu = 0;
		if (c != 0 && i <= n)
			U16_APPEND_UNSAFE(*dst, o, c);
	}
	*dlen = o;
	return 0;
}

/* --- Thai -------------------------------------------------------------------
 * ICU's Thai-Latin is a letter-for-letter transliteration (ISO 11940: อ
 * "x", ร์ "r̒") that no newsroom or list uses, and it splits words into
 * syllables. Thai is respelt here as the press spells names, close to the
 * Royal Thai General System: a consonant by its sound at the start of a
 * syllable (the aspirated ข ค ท พ as k t p, which is how Thai writes the
 * k, t, p of foreign names), a vowel written before its consonant (เ แ โ
 * ใ ไ) after it, with the vowel signs that complete it (เ-า ao, เ-ีย ia,
 * เ-ือ uea, เ-อ and เ-ิ oe), อ silent before a vowel and o after a
 * consonant, ว w before a vowel and ua or o elsewhere, ย i after a vowel,
 * a letter under the cancellation mark (์), not said in Thai, kept as the
 * foreign name's letter it writes, tone marks nothing.
 * Unwritten vowels are not guessed: the comparison of consonants forgives
 * them. */

static const char *const thai_cons[] = {
	/* 0E01 */ "k", "k", "k", "k", "k", "k", "ng", "ch", "ch", "ch", "s", "ch", "y",
	/* 0E0E */ "d", "t", "t", "t", "t", "n", "d", "t", "t", "t", "t", "n", "b",
	/* 0E1B */ "p", "p", "f", "p", "f", "p", "m", "y", "r", "rue", "l", "lue", "w",
	/* 0E28 */ "s", "s", "s", "h", "l", "", "h",
};

static int thai_consonant(UChar c) { return c >= 0x0E01 && c <= 0x0E2E; }
static int thai_tone(UChar c) { return c >= 0x0E48 && c <= 0x0E4B; }
/* a vowel sign written after, above or below its consonant */
static int thai_vowel_sign(UChar c)
{
	return (c >= 0x0E30 && c <= 0x0E39) || c == 0x0E47 || c == 0x0E45 || c == 0x0E4D;
}

int eg__romanize_has_thai(const UChar *s, int32_t n)
{
	int32_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 0x0E01 && s[i] <= 0x0E5B)
			return 1;
	return 0;
}

/* The index of the first unit at or after i that is not a tone mark. */
static int32_t thai_skip_tones(const UChar *s, int32_t n, int32_t i)
{
	while (i < n && thai_tone(s[i]))
		i++;
	return i;
}

int eg__romanize_thai(const UChar *s, int32_t n, UChar **dst, int32_t *dcap, int32_t *dlen,
                      eg_error *err)
{
	int32_t i = 0, o = 0, cons_at = -1; /* where the last consonant's letters start */
	int vowel_since = 1; /* a vowel was written since the last consonant */
	int rc = eg__icu_grow(dst, dcap, n * 4 + 16 < WORK_MAX_UNITS ? n * 4 + 16 : WORK_MAX_UNITS,
	                      err);

#define PUT(str) do { const char *p_ = (str); while (*p_) (*dst)[o++] = (UChar)*p_++; } while (0)
	if (rc != 0)
		return rc;
	if (n * 4 + 16 > *dcap)
		return eg__error_set(err, EG_ETOOBIG, "name: too long to transliterate");
	while (i < n) {
		UChar c = s[i];

		if (c >= 0x0E40 && c <= 0x0E44 && i + 1 < n && thai_consonant(s[i + 1])) {
			/* a leading vowel: its consonant (and a cluster's r, l, w)
			 * first */
			int32_t j = i + 1, k;
			const char *v;
			PUT(thai_cons[s[j] - 0x0E01]);
			j++;
			if (j + 1 < n && (s[j] == 0x0E23 || s[j] == 0x0E25 || s[j] == 0x0E27) &&
			    thai_consonant(s[j + 1]) &&
			    !(j + 2 < n && s[j + 2] == 0x0E4C)) {
				PUT(thai_cons[s[j] - 0x0E01]);
				j++;
			}
			k = thai_skip_tones(s, n, j);
			if (c == 0x0E40 && k < n && s[k] == 0x0E32) {
				v = "ao";
				j = k + 1;
			} else if (c == 0x0E40 && k + 1 < n && s[k] == 0x0E35 && s[k + 1] == 0x0E22) {
				v = "ia";
				j = k + 2;
			} else if (c == 0x0E40 && k + 1 < n && s[k] == 0x0E37 && s[k + 1] == 0x0E2D) {
				v = "uea";
				j = k + 2;
			} else if (c == 0x0E40 && k < n && (s[k] == 0x0E34 || s[k] == 0x0E2D)) {
				v = "oe";
				j = k + 1;
			} else if (c == 0x0E40 && k < n && (s[k] == 0x0E47 || s[k] == 0x0E30)) {
				v = "e";
				j = k + 1;
			} else {
				v = c == 0x0E40 ? "e" : c == 0x0E41 ? "ae" : c == 0x0E42 ? "o" : "ai";
				if (k < n && s[k] == 0x0E30)
					j = k + 1;
			}
			PUT(v);
			vowel_since = 1;
			cons_at = -1;
			i = j;
			continue;
		}
		if (thai_consonant(c)) {
			int32_t k = thai_skip_tones(s, n, i + 1);
			int before_vowel = k < n && thai_vowel_sign(s[k]);
			if (k < n && s[k] == 0x0E4C) {
				/* cancelled: not said in Thai, but written for the
				 * final consonant of a foreign name (ชาร์ char,
				 * วิกตอร์ Viktor), which lists keep */
				PUT(thai_cons[c - 0x0E01]);
				i = k + 1;
				continue;
			}
			if (c == 0x0E2D) {
				/* o: at a syllable's start a silent carrier of its
				 * vowel (อิส is, อ่อง ong), after a consonant o */
				if (vowel_since || before_vowel) {
					vowel_since = 0;
				} else {
					PUT("o");
					vowel_since = 1;
				}
				cons_at = -1;
				i++;
				continue;
			}
			if (c == 0x0E27 && !before_vowel) { /* w: a vowel here */
				PUT(vowel_since ? "o" : "ua");
				vowel_since = 1;
				i++;
				continue;
			}
			if (c == 0x0E22 && vowel_since && !before_vowel && cons_at < 0 && o > 0) {
				PUT("i"); /* y after a vowel */
				i++;
				continue;
			}
			if (c == 0x0E23 && i + 1 < n && s[i + 1] == 0x0E23) { /* rr: an */
				PUT("an");
				vowel_since = 1;
				i += 2;
				continue;
			}
			cons_at = o;
			PUT(thai_cons[c - 0x0E01]);
			vowel_since = 0;
			i++;
			continue;
		}
		switch (c) {
		case 0x0E30: case 0x0E31: case 0x0E32: /* a */
			if (c == 0x0E31 && i + 1 < n && s[i + 1] == 0x0E27) {
				PUT("ua");
				i++;
			} else {
				PUT("a");
			}
			break;
		case 0x0E33: PUT("am"); break;
		case 0x0E4D: /* nikhahit: sara am as NFKC decomposes it, or m */
			PUT(i + 1 < n && s[i + 1] == 0x0E32 ? "am" : "m");
			if (i + 1 < n && s[i + 1] == 0x0E32)
				i++;
			break;
		case 0x0E34: case 0x0E35: PUT("i"); break;
		case 0x0E36: PUT("ue"); break;
		case 0x0E37:
			PUT("ue");
			if (i + 1 < n && s[i + 1] == 0x0E2D)
				i++;
			break;
		case 0x0E38: case 0x0E39: PUT("u"); break;
		case 0x0E4C: /* a cancellation mark after a vowel: the letter before */
			if (cons_at >= 0)
				o = cons_at;
			break;
		default:
			if (c >= 0x0E50 && c <= 0x0E59)
				(*dst)[o++] = (UChar)('0' + (c - 0x0E50));
			else if (c < 0x0E01 || c > 0x0E5B)
				(*dst)[o++] = c; /* not Thai: Any-Latin's */
			/* tone marks, repetition and abbreviation signs: nothing */
			if (c < 0x0E01 || c > 0x0E5B) {
				vowel_since = 1;
				cons_at = -1;
			}
			i++;
			continue;
		}
		if (c != 0x0E4C) {
			vowel_since = 1;
			cons_at = -1;
		}
		i++;
	}
#undef PUT
	*dlen = o;
	return 0;
}

/* --- Burmese ------------------------------------------------------------------
 * ICU's Myanmar-Latin writes letters, not syllables, and joins a name's
 * syllables (မင်းအောင်လှိုင် "mainnaaunglhaine"); Burmese names are
 * romanised a syllable a word, as the syllable sounds: "Min Aung Hlaing".
 * A syllable is a consonant (or the vowel carrier အ) with its medials (ျ ြ
 * y, ွ w, ှ an h before it), its vowel signs and a final consonant under
 * the killer (်) or stacked (္); its rime is read from the vowel and the
 * final together (ောင် aung, ိုင် aing, ိန် ein, ုန် on, ွန် un, က် et,
 * ည် i, no vowel a). Tone marks say nothing. */

static const char *const my_initial[] = {
	/* 1000 */ "k", "kh", "g", "g", "ng", "s", "s", "z", "z", "ny", "ny", "t", "ht",
	/* 100D */ "d", "d", "n", "t", "ht", "d", "d", "n", "p", "ph", "b", "b", "m",
	/* 101A */ "y", "y", "l", "w", "th", "h", "l", "",
};

static int my_consonant(UChar c) { return c >= 0x1000 && c <= 0x1021; }

int eg__romanize_has_myanmar(const UChar *s, int32_t n)
{
	int32_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 0x1000 && s[i] <= 0x109F)
			return 1;
	return 0;
}

/* The rime of a syllable: vowel signs seen (e ေ, aa ာ ါ, i ိ ီ, u ု ူ, ai
 * ဲ, an ံ), w (medial ွ) and the final consonant (0 if none). */
static const char *my_rime(int e, int aa, int i, int u, int ai, int an, int w, UChar fin,
                           int *w_used)
{
	*w_used = 0;
	if (fin == 0) {
		if (an)
			return u ? "on" : i ? "ein" : "an";
		if (e && aa)
			return "aw";
		if (i && u)
			return "o";
		if (e || ai)
			return "e";
		if (i)
			return "i";
		if (u)
			return "u";
		return "a";
	}
	switch (fin) {
	case 0x1000: /* k */
		return e && aa ? "auk" : i && u ? "aik" : "et";
	case 0x1004: /* ng */
		return e && aa ? "aung" : i && u ? "aing" : "in";
	case 0x1005: /* s */
		return "it";
	case 0x100A: /* ny */
		return "i";
	case 0x1009:
		return "in";
	case 0x1010: case 0x1015: /* t, p */
		*w_used = w && !i && !u;
		return i ? "eik" : u ? "ok" : w ? "ut" : "at";
	case 0x1014: case 0x1019: case 0x100F: /* n, m */
		*w_used = w && !i && !u;
		return i ? "ein" : u ? "on" : w ? "un" : "an";
	case 0x101A: /* y */
		return "e";
	default:
		return "a";
	}
}

/* The index of the first unit at or after i that is not a tone mark. */
static int32_t my_skip_tones(const UChar *s, int32_t n, int32_t i)
{
	while (i < n && (s[i] == 0x1037 || s[i] == 0x1038))
		i++;
	return i;
}

int eg__romanize_myanmar(const UChar *s, int32_t n, UChar **dst, int32_t *dcap,
                         int32_t *dlen, eg_error *err)
{
	int32_t i = 0, o = 0;
	int rc = eg__icu_grow(dst, dcap, n * 6 + 16 < WORK_MAX_UNITS ? n * 6 + 16 : WORK_MAX_UNITS,
	                      err);

	if (rc != 0)
		return rc;
	if (n * 6 + 16 > *dcap)
		return eg__error_set(err, EG_ETOOBIG, "name: too long to transliterate");
	while (i < n) {
		UChar c = s[i];
		int y = 0, w = 0, h = 0, e = 0, aa = 0, vi = 0, u = 0, ai = 0, an = 0, w_used;
		UChar fin = 0;
		const char *ini, *rime, *p;
		int32_t k;

		if (!my_consonant(c) && (c < 0x1023 || c > 0x102A || c == 0x1028)) {
			if (c < 0x1000 || c > 0x109F)
				(*dst)[o++] = c; /* not Burmese: Any-Latin's */
			i++;
			continue;
		}
		/* independent vowels start a syllable of their own */
		ini = my_consonant(c) ? my_initial[c - 0x1000] : "";
		if (c == 0x1023 || c == 0x1024)
			vi = 1;
		else if (c == 0x1025 || c == 0x1026) /* ဥ ဦ: u, with its sign or not */
			u = 1;
		else if (c == 0x1027)
			e = 1;
		else if (c == 0x1029 || c == 0x102A)
			e = aa = 1;
		i++;
		for (; i < n; i++) {
			UChar m = s[i];
			if (m == 0x103B || m == 0x103C)
				y = 1;
			else if (m == 0x103D)
				w = 1;
			else if (m == 0x103E)
				h = 1;
			else if (m == 0x1031)
				e = 1;
			else if (m == 0x102B || m == 0x102C)
				aa = 1;
			else if (m == 0x102D || m == 0x102E)
				vi = !(u && ini[0] == '\0'); /* ဥ + ီ is ဦ: u */
			else if (m == 0x102F || m == 0x1030)
				u = 1;
			else if (m == 0x1032)
				ai = 1;
			else if (m == 0x1036)
				an = 1;
			else if (m == 0x1037 || m == 0x1038 || m == 0x103A)
				; /* tones; a killer on the vowel (ော်) */
			else if (my_consonant(m) && (k = my_skip_tones(s, n, i + 1)) < n &&
			         (s[k] == 0x103A || s[k] == 0x1039)) {
				fin = m;
				i = k;
				if (s[i] == 0x1039) {
					i++; /* stacked: the next syllable's consonant follows */
					break;
				}
			} else
				break;
		}
		rime = my_rime(e, aa, vi, u, ai, an, w, fin, &w_used);
		if (o > 0 && (*dst)[o - 1] != ' ')
			(*dst)[o++] = ' ';
		if (h)
			(*dst)[o++] = 'h';
		for (p = ini; *p; p++)
			(*dst)[o++] = (UChar)*p;
		if (y && ini[0] != '\0' && strcmp(ini, "y") != 0)
			(*dst)[o++] = 'y';
		if (w && !w_used)
			(*dst)[o++] = 'w';
		for (p = rime; *p; p++)
			(*dst)[o++] = (UChar)*p;
	}
	*dlen = o;
	return 0;
}

/* --- Korean names in Cyrillic -------------------------------------------
 * The Russian press writes a Korean name a syllable a word in Kontsevich's
 * system (Ким Чен Ын, Чхве Рён Хэ, Хван Бён Со), which Any-Latin reads as
 * Russian ("kim cen yn", "hvan ben so"): nothing like the lists' McCune-
 * Reischauer (KIM Jong Un, CHOE Ryong Hae, HWANG Pyong So). Two or more
 * words in a row that are each one Korean syllable so spelt are read
 * syllable by syllable instead: the initial (чх ch, ч j, к г k, т д t,
 * п б p, л р r, х h, ...), the vowel (ё and the е Russian writes for it
 * yo, ы u, э ae, ва wa, во wo, ...), the final (к t п м н ль; н is ng
 * after o, as Korean names end so more often: Чон Jong, Ён Yong). A
 * Russian text rarely holds two such words in a row; a Chinese name in
 * Russian (Ли Пэн) reads much the same either way. */

typedef struct ko_part {
	const char *cyr; /* UTF-8, lowercase */
	const char *lat;
} ko_part;

/* longest first where one starts another */
static const ko_part ko_initials[] = {
	{"чх", "ch"}, {"кх", "k"},  {"тх", "t"},  {"пх", "p"},  {"кк", "kk"}, {"тт", "tt"},
	{"пп", "pp"}, {"сс", "ss"}, {"чч", "jj"}, {"чж", "j"},  {"дж", "j"},  {"ч", "j"},
	{"к", "k"},   {"г", "k"},   {"н", "n"},   {"т", "t"},   {"д", "t"},   {"р", "r"},
	{"л", "r"},   {"м", "m"},   {"п", "p"},   {"б", "p"},   {"с", "s"},   {"х", "h"},
};
static const ko_part ko_vowels[] = {
	{"ый", "ui"}, {"йе", "ye"}, {"вэ", "wae"}, {"ва", "wa"}, {"во", "wo"}, {"ве", "we"},
	{"ви", "wi"}, {"ё", "yo"},  {"е", "yo"},   {"э", "ae"},  {"я", "ya"},  {"а", "a"},
	{"о", "o"},   {"у", "u"},   {"ю", "yu"},   {"ы", "u"},   {"и", "i"},
};
static const ko_part ko_finals[] = {
	{"ль", "l"}, {"к", "k"}, {"т", "t"}, {"п", "p"}, {"м", "m"}, {"н", "n"},
};

static size_t ko_match(const char *w, size_t n, const ko_part *set, size_t count, size_t *which)
{
	size_t i, best = 0;

	for (i = 0; i < count; i++) {
		size_t l = strlen(set[i].cyr);
		if (l > best && l <= n && memcmp(w, set[i].cyr, l) == 0) {
			best = l;
			*which = i;
		}
	}
	return best;
}

/* The Latin reading of w[0..n) (UTF-8) when it is one Korean syllable in
 * Cyrillic, into out (16 bytes at least); its length, or 0. */
size_t eg__romanize_korean_syllable(const char *w, size_t n, char *out)
{
	size_t a, v, f, k = 0, wi = 0, wv = 0, wf = 0;
	const char *lat;

	a = ko_match(w, n, ko_initials, sizeof(ko_initials) / sizeof(ko_initials[0]), &wi);
	v = ko_match(w + a, n - a, ko_vowels, sizeof(ko_vowels) / sizeof(ko_vowels[0]), &wv);
	if (v == 0)
		return 0;
	f = ko_match(w + a + v, n - a - v, ko_finals, sizeof(ko_finals) / sizeof(ko_finals[0]),
	             &wf);
	if (a + v + f != n)
		return 0;
	if (a > 0) {
		memcpy(out, ko_initials[wi].lat, strlen(ko_initials[wi].lat));
		k = strlen(ko_initials[wi].lat);
	}
	lat = ko_vowels[wv].lat;
	/* after j and ch the y of yo, ya, yu is not written (Чен Jong) */
	if (lat[0] == 'y' && lat[1] != '\0' && k > 0 && out[k - 1] != 'y' &&
	    (out[0] == 'j' || (out[0] == 'c' && out[1] == 'h')))
		lat++;
	memcpy(out + k, lat, strlen(lat));
	k += strlen(lat);
	if (f > 0) {
		const char *fl = ko_finals[wf].lat;
		memcpy(out + k, fl, strlen(fl));
		k += strlen(fl);
		if (fl[0] == 'n' && out[k - 2] == 'o')
			out[k++] = 'g';
	}
	out[k] = '\0';
	return k;
}

static int cyrillic_letter(UChar c) { return c >= 0x0430 && c <= 0x045F; }

/* The words of lower-case Cyrillic letters in s[0..n), at most max:
 * word k is s[ws[k] .. we[k]). Returns their number. */
static size_t cyrillic_words(const UChar *s, int32_t n, int32_t *ws, int32_t *we, size_t max)
{
	int32_t i = 0;
	size_t nw = 0;

	while (i < n && nw < max) {
		if (!cyrillic_letter(s[i])) {
			i++;
			continue;
		}
		ws[nw] = i;
		while (i < n && cyrillic_letter(s[i]))
			i++;
		we[nw++] = i;
	}
	return nw;
}

/* Whether only spaces and hyphens stand between a word ending at end and
 * the next, starting at start. */
static int cyrillic_apart_by_space(const UChar *s, int32_t end, int32_t start)
{
	while (end < start && (s[end] == ' ' || s[end] == '-'))
		end++;
	return end == start;
}

/* Writes s[0..n) into dst with the kept words replaced by their readings
 * (lat: nw NUL-terminated strings, stride bytes apart); returns the units
 * written. dst holds enough. */
static int32_t cyrillic_write(const UChar *s, int32_t n, const int32_t *ws, const int32_t *we,
                              size_t nw, const int *keep, const char *lat, size_t stride,
                              UChar *dst)
{
	int32_t i = 0, o = 0;
	size_t w = 0;

	while (i < n) {
		if (w < nw && i == ws[w]) {
			if (keep[w]) {
				const char *c;
				for (c = lat + w * stride; *c != '\0'; c++)
					dst[o++] = (UChar)*c;
			} else {
				int32_t j;
				for (j = ws[w]; j < we[w]; j++)
					dst[o++] = s[j];
			}
			i = we[w];
			w++;
			continue;
		}
		dst[o++] = s[i++];
	}
	return o;
}

int eg__romanize_korean_cyrillic(const UChar *s, int32_t n, UChar **dst, int32_t *dcap,
                                 int32_t *dlen, eg_error *err)
{
	/* per word: where it starts and ends, its reading */
	enum { MAX_WORDS = 32 };
	int32_t ws[MAX_WORDS], we[MAX_WORDS];
	char lat[MAX_WORDS][16];
	size_t ll[MAX_WORDS];
	int keep[MAX_WORDS] = {0};
	size_t nw = 0, w, run;
	int any = 0, rc;

	nw = cyrillic_words(s, n, ws, we, MAX_WORDS);
	for (w = 0; w < nw; w++) {
		char u8[24];
		int32_t ul = 0;
		UErrorCode ec = U_ZERO_ERROR;
		ll[w] = 0;
		lat[w][0] = '\0';
		if (we[w] - ws[w] <= 5) {
			u_strToUTF8(u8, (int32_t)sizeof(u8), &ul, s + ws[w], we[w] - ws[w], &ec);
			if (U_SUCCESS(ec) && ul < (int32_t)sizeof(u8))
				ll[w] = eg__romanize_korean_syllable(u8, (size_t)ul, lat[w]);
		}
	}
	if (nw < 2)
		return 0;
	/* runs of two or more read words, apart by spaces and hyphens only */
	for (w = 0; w < nw; w = run) {
		for (run = w + 1; run < nw && ll[run - 1] > 0 && ll[run] > 0; run++)
			if (!cyrillic_apart_by_space(s, we[run - 1], ws[run]))
				break;
		if (ll[w] > 0 && run - w >= 2) {
			size_t m;
			for (m = w; m < run; m++)
				keep[m] = 1;
			any = 1;
		}
	}
	/* a unit becomes two letters at most (ё yo, э ae) */
	if (!any || n * 2 + 16 > WORK_MAX_UNITS)
		return 0;
	rc = eg__icu_grow(dst, dcap, n * 2 + 16, err);
	if (rc != 0)
		return rc;
	*dlen = cyrillic_write(s, n, ws, we, nw, keep, lat[0], sizeof(lat[0]), *dst);
	return 1;
}

/* --- Chinese names in Cyrillic -------------------------------------------
 * The Russian press writes a Chinese name in Palladius' system, the given
 * name one word (Чжан Сяомин, Чэнь Цюаньго, Си Цзиньпин), which Any-Latin
 * reads as Russian ("czan sâomin"): the lists write pinyin (ZHANG,
 * Xiaoming). A run of two or more words that are each one to three
 * syllables of that system, one of them with what only Chinese has in it
 * (two syllables in a word, цз, юй, юэ, ао, оу, ай, эй, эн, a soft sign
 * but in ль), is read syllable by syllable into pinyin: цз, ц, с are j, q, x
 * before an i or ü and z, c, s otherwise, чж ch ш ж zh ch sh r; о is uo
 * after a consonant but b p m f w (го guo); ы is the i of zi, ci, si; a
 * final in н is never followed by a vowel without ъ (Хунань hu nan). */

typedef struct zh_final {
	const char *cyr; /* UTF-8 */
	const char *after; /* pinyin after an initial; NULL: not there */
	const char *alone; /* pinyin as a syllable of its own; NULL: not so */
	uint8_t palatal;   /* starts with i or ü: цз ц с read j q x */
} zh_final;

static const zh_final zh_finals[] = {
	{"юань", "uan", "yuan", 1}, {"уань", "uan", "wan", 0}, {"янь", "ian", "yan", 1},
	{"энь", "en", "en", 0},     {"инь", "in", "yin", 1},   {"унь", "un", "wen", 0},
	{"юнь", "un", "yun", 1},    {"ань", "an", "an", 0},    {"уан", "uang", "wang", 0},
	{"уай", "uai", "wai", 0},   {"уэй", "ui", "wei", 0},   {"юэ", "ue", "yue", 1},
	{"юй", "u", "yu", 1},       {"яо", "iao", "yao", 1},   {"ян", "iang", "yang", 1},
	{"юн", "iong", "yong", 1},  {"ин", "ing", "ying", 1},  {"ай", "ai", "ai", 0},
	{"эй", "ei", "ei", 0},      {"ао", "ao", "ao", 0},     {"оу", "ou", "ou", 0},
	{"ан", "ang", "ang", 0},    {"эн", "eng", "eng", 0},   {"ун", "ong", NULL, 0},
	{"эр", NULL, "er", 0},      {"уй", "ui", NULL, 0},     {"уа", "ua", "wa", 0},
	{"уо", "uo", "wo", 0},      {"я", "ia", "ya", 1},      {"е", "ie", "ye", 1},
	{"ю", "iu", "you", 1},      {"а", "a", "a", 0},        {"о", "o", "o", 0},
	{"э", "e", "e", 0},         {"и", "i", "yi", 1},       {"ы", "i", NULL, 0},
	{"у", "u", "wu", 0},
};

typedef struct zh_initial {
	const char *cyr;
	const char *plain;   /* pinyin */
	const char *palatal; /* before i or ü, when it differs */
	uint8_t labial;      /* о after it is o, not uo */
} zh_initial;

static const zh_initial zh_initials[] = {
	{"цз", "z", "j", 0}, {"чж", "zh", NULL, 0}, {"ц", "c", "q", 0},  {"с", "s", "x", 0},
	{"ч", "ch", NULL, 0}, {"ш", "sh", NULL, 0}, {"ж", "r", NULL, 0},  {"б", "b", NULL, 1},
	{"п", "p", NULL, 1},  {"м", "m", NULL, 1},  {"ф", "f", NULL, 1},  {"в", "w", NULL, 1},
	{"д", "d", NULL, 0},  {"т", "t", NULL, 0},  {"н", "n", NULL, 0},  {"л", "l", NULL, 0},
	{"г", "g", NULL, 0},  {"к", "k", NULL, 0},  {"х", "h", NULL, 0},
};

#define ZH_MAX_SYLLABLES 3

/* Parses w[pos..n) as syllables into out[o..) (64 bytes); after_n: the
 * syllable before ends in н. Returns the syllables parsed (all of w), or
 * 0 when w is not so written. */
static size_t zh_parse(const char *w, size_t n, size_t pos, int after_n, size_t count,
                       char *out, size_t o)
{
	size_t i, f;
	int hard = 0;

	if (pos == n) {
		out[o] = '\0';
		return count;
	}
	if (count == ZH_MAX_SYLLABLES)
		return 0;
	if (n - pos >= 2 && memcmp(w + pos, "ъ", 2) == 0) {
		pos += 2; /* the hard sign parts two syllables */
		hard = 1;
	}
	/* with an initial, or without (a final alone) */
	for (i = 0; i <= sizeof(zh_initials) / sizeof(zh_initials[0]); i++) {
		const zh_initial *ini = i < sizeof(zh_initials) / sizeof(zh_initials[0]) ? &zh_initials[i]
		                                                                            : NULL;
		size_t il = ini != NULL ? strlen(ini->cyr) : 0;
		if (ini != NULL && (il > n - pos || memcmp(w + pos, ini->cyr, il) != 0))
			continue;
		/* a final alone after one in н needs the hard sign */
		if (ini == NULL && after_n && !hard && count > 0)
			continue;
		for (f = 0; f < sizeof(zh_finals) / sizeof(zh_finals[0]); f++) {
			const zh_final *fi = &zh_finals[f];
			size_t fl = strlen(fi->cyr), k = o, r;
			const char *p, *rime;
			if (fl > n - pos - il || memcmp(w + pos + il, fi->cyr, fl) != 0)
				continue;
			rime = ini != NULL ? fi->after : fi->alone;
			if (rime == NULL || k + 8 > 63)
				continue;
			if (ini != NULL) {
				p = fi->palatal && ini->palatal != NULL ? ini->palatal : ini->plain;
				/* ы is the vowel of zi, ci, si only */
				if (strcmp(fi->cyr, "ы") == 0 && (ini->palatal == NULL || fi->palatal))
					continue;
				memcpy(out + k, p, strlen(p));
				k += strlen(p);
				/* о after a consonant but a labial is uo */
				if (strcmp(fi->cyr, "о") == 0 && !ini->labial)
					rime = "uo";
			}
			memcpy(out + k, rime, strlen(rime));
			k += strlen(rime);
			r = zh_parse(w, n, pos + il + fl, fi->cyr[fl - 2] == (char)0xD0 &&
			                                      fi->cyr[fl - 1] == (char)0xBD,
			             count + 1, out, k);
			if (r > 0)
				return r;
		}
	}
	return 0;
}

size_t eg__romanize_chinese_word(const char *w, size_t n, char *out)
{
	out[0] = '\0';
	return n == 0 ? 0 : zh_parse(w, n, 0, 0, 0, out, 0);
}

/* Whether a word (UTF-8) holds what only Chinese in Cyrillic writes. */
static int zh_marker(const char *w, size_t n)
{
	static const char *const marks[] = {"цз", "юй", "юэ", "ао", "оу", "ай", "эй", "эн"};
	size_t i, j;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		for (j = 0; j + strlen(marks[i]) <= n; j += 2)
			if (memcmp(w + j, marks[i], strlen(marks[i])) == 0)
				return 1;
	/* a soft sign but in ль */
	for (j = 2; j + 2 <= n; j += 2)
		if (memcmp(w + j, "ь", 2) == 0 && memcmp(w + j - 2, "л", 2) != 0)
			return 1;
	return 0;
}

int eg__romanize_chinese_cyrillic(const UChar *s, int32_t n, UChar **dst, int32_t *dcap,
                                  int32_t *dlen, eg_error *err)
{
	enum { MAX_WORDS = 32 };
	int32_t ws[MAX_WORDS], we[MAX_WORDS];
	char lat[MAX_WORDS][64];
	size_t syl[MAX_WORDS];
	int keep[MAX_WORDS] = {0};
	size_t nw = 0, w, run;
	int any = 0, rc;

	nw = cyrillic_words(s, n, ws, we, MAX_WORDS);
	for (w = 0; w < nw; w++) {
		char u8[64];
		int32_t ul = 0;
		UErrorCode ec = U_ZERO_ERROR;
		syl[w] = 0;
		lat[w][0] = '\0';
		if (we[w] - ws[w] <= 16) {
			u_strToUTF8(u8, (int32_t)sizeof(u8), &ul, s + ws[w], we[w] - ws[w], &ec);
			if (U_SUCCESS(ec) && ul < (int32_t)sizeof(u8)) {
				syl[w] = eg__romanize_chinese_word(u8, (size_t)ul, lat[w]);
				/* a word of two syllables or more is a mark itself */
				if (syl[w] > 0 && syl[w] < 2 && !zh_marker(u8, (size_t)ul))
					syl[w] |= 0x100; /* parsed, no mark */
			}
		}
	}
	if (nw < 2)
		return 0;
	/* runs of two or more read words, apart by spaces and hyphens only,
	 * one of them marked */
	for (w = 0; w < nw; w = run) {
		int marked;
		if (syl[w] == 0) {
			run = w + 1;
			continue;
		}
		marked = (syl[w] & 0x100) == 0;
		for (run = w + 1; run < nw && syl[run] > 0; run++) {
			if (!cyrillic_apart_by_space(s, we[run - 1], ws[run]))
				break;
			marked |= (syl[run] & 0x100) == 0;
		}
		if (run - w >= 2 && marked) {
			size_t m;
			for (m = w; m < run; m++)
				keep[m] = 1;
			any = 1;
		}
	}
	/* a unit becomes three letters at most (ю you) */
	if (!any || n * 3 + 16 > WORK_MAX_UNITS)
		return 0;
	rc = eg__icu_grow(dst, dcap, n * 3 + 16, err);
	if (rc != 0)
		return rc;
	*dlen = cyrillic_write(s, n, ws, we, nw, keep, lat[0], sizeof(lat[0]), *dst);
	return 1;
}
