/* test_normalize.c - tests of the normalize module. */
#include <criterion/criterion.h>

#include "text/normalize.h"
#include "text/tables.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tokens of a name joined by one space; fails the test on error. */
static const char *joined(eg__norm *n, const char *name)
{
	static char out[EG__CAP_NORM_BYTES + EG__NORM_MAX_TOKENS];
	eg_error err = {0};
	size_t i, o = 0;
	int rc = eg__text_normalize(n, name, strlen(name), &err);

	cr_assert_eq(rc, 0, "normalize(%s): %d %s", name, rc, err.message);
	out[0] = '\0';
	for (i = 0; i < n->n; i++) {
		if (i > 0)
			out[o++] = ' ';
		cr_assert_eq(strlen(n->tok[i].text), n->tok[i].len);
		memcpy(out + o, n->tok[i].text, n->tok[i].len);
		o += n->tok[i].len;
		out[o] = '\0';
	}
	return out;
}

static eg__norm *new_norm(void)
{
	eg__norm *n = malloc(sizeof(*n));
	cr_assert_not_null(n);
	return n;
}

/* Keys in a ring of buffers, so one assertion may compare two. */
static char key_ring[4][256];
static int key_next;

static const char *skel(const char *tok)
{
	char *out = key_ring[key_next++ % 4];
	eg__text_skeleton(out, tok, strlen(tok));
	return out;
}

static const char *phon(const char *tok)
{
	char *out = key_ring[key_next++ % 4];
	eg__text_phonetic(out, tok, strlen(tok));
	return out;
}

Test(normalize, ascii_fast_path)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "PUTIN, Vladimir Vladimirovich"), "putin vladimir vladimirovich");
	cr_assert_eq(n->n, 3);
	cr_assert_eq(n->tok[0].cls, EG__TOK_WORD);
	cr_assert_eq(n->tok[0].abjad, 0);
	cr_assert_eq(n->truncated, 0);
	cr_assert_str_eq(joined(n, "  Smith ;; John/Paul  "), "smith john paul");
	free(n);
}

Test(normalize, latin_diacritics)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "Nicolás MADURO Moros"), "nicolas maduro moros");
	cr_assert_str_eq(joined(n, "Straße Łódź Ørsted"), "strasse lodz orsted");
	cr_assert_eq(n->tok[0].abjad, 0);
	free(n);
}

Test(normalize, cyrillic)
{
	eg__norm *n = new_norm();

	/* what ICU's "Any-Latin; Latin-ASCII" gives (ISO 9 based) */
	cr_assert_str_eq(joined(n, "Владимир Путин"), "vladimir putin");
	cr_assert_str_eq(joined(n, "Владимир Владимирович ПУТИН"), "vladimir vladimirovic putin");
	cr_assert_str_eq(joined(n, "Михаил Горбачёв"), "mihail gorbacev");
	cr_assert_eq(n->tok[0].abjad, 0);
	free(n);
}

Test(normalize, arabic_abjad)
{
	eg__norm *a = new_norm(), *l = new_norm();
	size_t i;

	cr_assert_str_eq(joined(a, "محمد بن سلمان"), "mhmd bin slman");
	cr_assert_str_eq(joined(l, "mohammed bin salman"), "mohammed bin salman");
	cr_assert_eq(a->n, l->n);
	for (i = 0; i < a->n; i++) {
		char sa[64], sl[64], pa[64], pl[64];
		cr_assert_eq(a->tok[i].abjad, 1, "token %zu", i);
		cr_assert_eq(l->tok[i].abjad, 0, "token %zu", i);
		eg__text_skeleton(sa, a->tok[i].text, a->tok[i].len);
		eg__text_skeleton(sl, l->tok[i].text, l->tok[i].len);
		cr_assert_str_eq(sa, sl, "token %zu", i);
		eg__text_phonetic(pa, a->tok[i].text, a->tok[i].len);
		eg__text_phonetic(pl, l->tok[i].text, l->tok[i].len);
		cr_assert_str_eq(pa, pl, "token %zu", i);
	}
	cr_assert_eq(a->tok[1].cls, EG__TOK_PARTICLE);
	cr_assert_eq(a->tok[0].cls, EG__TOK_WORD);
	free(a);
	free(l);
}

Test(normalize, mixed_scripts_mark_only_abjad_runs)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "محمد bin Salman Путин"), "mhmd bin salman putin");
	cr_assert_eq(n->tok[0].abjad, 1);
	cr_assert_eq(n->tok[1].abjad, 0);
	cr_assert_eq(n->tok[2].abjad, 0);
	cr_assert_eq(n->tok[3].abjad, 0);
	cr_assert_str_eq(joined(n, "Ivan أبو بكر"), "ivan abu bkr");
	cr_assert_eq(n->tok[0].abjad, 0);
	cr_assert_eq(n->tok[1].abjad, 1);
	cr_assert_eq(n->tok[1].cls, EG__TOK_PARTICLE);
	cr_assert_eq(n->tok[2].abjad, 1);
	free(n);
}

Test(normalize, hebrew)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "בנימין נתניהו"), "bnymyn ntnyhw");
	cr_assert_eq(n->tok[0].abjad, 1);
	cr_assert_eq(n->tok[1].abjad, 1);
	cr_assert_str_eq(phon("ntnyhw"), phon("netanyahu"));
	cr_assert_str_eq(phon("bnymyn"), phon("binyamin"));
	free(n);
}

Test(normalize, greek_chinese_korean)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "Ελληνικά"), "ellinika"); /* η as Modern Greek: i */
	cr_assert_str_eq(joined(n, "Αλέξης Τσίπρας"), "alexis tsipras"); /* as the press spells him */
	cr_assert_str_eq(joined(n, "习近平"), "xi jin ping");
	/* Hangul: a token a syllable, spelt as lists spell Korean names, each
	 * knowing its syllable (정 and 종 are both "jong") */
	cr_assert_str_eq(joined(n, "김정은"), "kim jong un");
	cr_assert_eq(n->tok[0].abjad, EG__SCRIPT_SYLLABIC);
	cr_assert_eq(n->tok[1].native, 0xC815);
	cr_assert_str_eq(joined(n, "최룡해"), "choe ryong hae");
	cr_assert_str_eq(joined(n, "박봉주"), "pak pong ju");
	/* a long Hangul word spells a foreign name: one word, read as it
	 * sounds (no added eu, l before l once) */
	cr_assert_str_eq(joined(n, "블라디미르"), "bladimir");
	cr_assert_eq(n->tok[0].abjad, EG__SCRIPT_TRANSCRIBED);
	cr_assert_eq(n->tok[0].native, 0);
	/* a Han syllable is never a table word (早 zao is not ZAO) */
	cr_assert_str_eq(joined(n, "高市早苗"), "gao shi zao miao");
	cr_assert_eq(n->tok[2].cls, EG__TOK_WORD);
	cr_assert_eq(n->tok[1].native, 0x5E02);
	/* Kana spell words sound by sound: words, not syllables */
	cr_assert_str_eq(joined(n, "バラク・オバマ"), "barak obama"); /* the loanword's final vowel dropped */
	cr_assert_eq(n->tok[0].abjad, EG__SCRIPT_TRANSCRIBED);
	cr_assert_eq(n->tok[0].native, 0);
	cr_assert_str_eq(joined(n, "Αλέξης"), "alexis");
	cr_assert_eq(n->tok[0].abjad, 0);
	free(n);
}

/* Scripts ICU has no transliterator for are spelt from character names. */
Test(normalize, scripts_without_a_transliterator)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "ប៉ុល ពត"), "bul pot");          /* Khmer: Pol Pot */
	cr_assert_str_eq(joined(n, "ហ៊ុន ម៉ាណែត"), "hun manaet");   /* Khmer: Hun Manet */
	cr_assert_str_eq(joined(n, "អាហ្មាត់"), "ahmat");           /* coeng, glottal stop */
	cr_assert_str_eq(joined(n, "ສີສຸກ"), "sisuk");               /* Lao */
	cr_assert_str_eq(joined(n, "ᏣᎳᎩ"), "tsalagi");              /* Cherokee: a syllabary */
	cr_assert_str_eq(joined(n, "Путин ពត"), "putin pot");        /* mixed */
	free(n);
}

Test(normalize, initials_are_joined_unless_a_legal_form)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "A.S.P. BUILDERS"), "asp builders");
	cr_assert_eq(n->tok[0].cls, EG__TOK_WORD);
	cr_assert_str_eq(joined(n, "J. P. Morgan & Co."), "jp morgan co");
	cr_assert_str_eq(joined(n, "Concord L.L.C."), "concord llc");
	cr_assert_eq(n->tok[1].cls, EG__TOK_LEGAL);
	cr_assert_str_eq(joined(n, "John F Kennedy"), "john f kennedy");
	free(n);
}

Test(normalize, misspelt_legal_words_still_read_as_legal_forms)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "A-TEAM CHEMICALS COMPANY LIMITNED"), "a team chemicals co ltd");
	cr_assert_eq(n->tok[4].cls, EG__TOK_LEGAL);
	cr_assert_str_eq(joined(n, "adam trade limited litbility company"), "adam trading llc");
	cr_assert_str_eq(joined(n, "petrobarrancos sa de c.v."), "petrobarrancos sadecv");
	/* a long name word one edit from nothing in the tables stays */
	cr_assert_str_eq(joined(n, "Petrobarrancos"), "petrobarrancos");
	free(n);
}

/* Every long word of the tables is read back from a misspelling, the last
 * of them too: the keys of the misspellings were once capped at 8,192,
 * and the words past the cap (the last of the sorted tables) were dropped
 * without a word once the tables grew. The last 40 one-word variants of
 * seven letters or more, each with its second letter dropped, are read as
 * the word itself (one whose misspelling is itself a table variant is
 * skipped: it is read as that one). */
Test(normalize, misspelt_table_words_read_to_the_last)
{
	eg__norm *n = new_norm();
	size_t i, checked = 0;

	for (i = eg__text_entry_count; i-- > 0 && checked < 40;) {
		const eg__text_entry *t = &eg__text_entries[i];
		char word[80], typo[80], want[EG__CAP_NORM_BYTES + EG__NORM_MAX_TOKENS];
		size_t len = strlen(t->variant), j;
		int listed = 0;
		if (t->words != 1 || len < 7 || len >= sizeof(word) ||
		    (t->cls != EG__TOK_LEGAL && t->cls != EG__TOK_ORGWORD && t->cls != EG__TOK_WORD))
			continue;
		memcpy(word, t->variant, len + 1);
		typo[0] = word[0];
		memcpy(typo + 1, word + 2, len - 1);
		for (j = 0; j < eg__text_entry_count && !listed; j++)
			listed = strcmp(eg__text_entries[j].variant, typo) == 0;
		if (listed)
			continue;
		snprintf(want, sizeof(want), "%s", joined(n, word));
		cr_assert_str_eq(joined(n, typo), want, "\"%s\" (from %s) is read as \"%s\"", typo, word,
		                 want);
		checked++;
	}
	cr_assert_eq(checked, 40);
	free(n);
}

Test(normalize, legal_forms)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "ACME Holdings Co., Ltd."), "acme holding co ltd");
	cr_assert_eq(n->tok[0].cls, EG__TOK_WORD);
	cr_assert_eq(n->tok[1].cls, EG__TOK_ORGWORD);
	cr_assert_eq(n->tok[2].cls, EG__TOK_LEGAL);
	cr_assert_eq(n->tok[3].cls, EG__TOK_LEGAL);
	cr_assert_str_eq(joined(n, "Grupo Industrial S.A. de C.V."), "grupo industrial sadecv");
	cr_assert_eq(n->n, 3);
	cr_assert_eq(n->tok[2].cls, EG__TOK_LEGAL);
	cr_assert_str_eq(joined(n, "Banco S.A."), "bank sa"); /* words.tsv */
	cr_assert_str_eq(joined(n, "Concord Limited Liability Company"), "concord llc");
	cr_assert_str_eq(joined(n, "Concord L.L.C."), "concord llc");
	cr_assert_str_eq(joined(n, "Siemens Gesellschaft mit beschränkter Haftung"), "siemens gmbh");
	cr_assert_str_eq(joined(n, "Siemens G.m.b.H."), "siemens gmbh");
	cr_assert_str_eq(joined(n, "ABC Private Limited"), "abc pvt ltd");
	cr_assert_eq(n->tok[1].cls, EG__TOK_LEGAL);
	cr_assert_eq(n->tok[2].cls, EG__TOK_LEGAL);
	cr_assert_str_eq(joined(n, "Rosneft Oil Company"), "rosneft oil co");
	cr_assert_str_eq(joined(n, "Trading Corporation Incorporated"), "trading corp inc");
	cr_assert_eq(n->tok[0].cls, EG__TOK_ORGWORD);
	free(n);
}

Test(normalize, russian_legal_forms)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "OOO Romashka"), "ooo romashka");
	cr_assert_eq(n->tok[0].cls, EG__TOK_LEGAL);
	cr_assert_str_eq(joined(n, "ООО \"Ромашка\""), "ooo romaska");
	cr_assert_eq(n->tok[0].cls, EG__TOK_LEGAL);
	cr_assert_str_eq(joined(n, "Общество с ограниченной ответственностью Ромашка"),
	                 "ooo romaska");
	cr_assert_str_eq(joined(n, "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU NEOBIT"),
	                 "ooo neobit");
	cr_assert_str_eq(joined(n, "Публичное акционерное общество Сбербанк"), "jsc sberbank");
	cr_assert_str_eq(joined(n, "PAO Sberbank"), "jsc sberbank");
	cr_assert_str_eq(joined(n, "OJSC Sberbank"), "jsc sberbank");
	cr_assert_str_eq(joined(n, "Joint-Stock Company Sberbank"), "jsc sberbank");
	cr_assert_eq(n->tok[0].cls, EG__TOK_LEGAL);
	free(n);
}

Test(normalize, honorifics_and_particles)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "Shaykh Abu Bakr al-Baghdadi"), "sheikh abu bakr al baghdadi");
	cr_assert_eq(n->tok[0].cls, EG__TOK_HONORIFIC);
	cr_assert_eq(n->tok[1].cls, EG__TOK_PARTICLE);
	cr_assert_eq(n->tok[2].cls, EG__TOK_WORD);
	cr_assert_eq(n->tok[3].cls, EG__TOK_PARTICLE);
	cr_assert_str_eq(joined(n, "Dr. Ayman El-Zawahiri"), "dr ayman al zawahiri");
	cr_assert_eq(n->tok[0].cls, EG__TOK_HONORIFIC);
	cr_assert_eq(n->tok[2].cls, EG__TOK_PARTICLE);
	cr_assert_str_eq(joined(n, "Osama ibn Laden"), "osama bin laden");
	cr_assert_str_eq(joined(n, "Ludwig van Beethoven"), "ludwig van beethoven");
	cr_assert_eq(n->tok[1].cls, EG__TOK_PARTICLE);
	/* abdul is kept a word on purpose (see data/text/particles.tsv) */
	cr_assert_str_eq(joined(n, "Abdul Karim"), "abdul karim");
	cr_assert_eq(n->tok[0].cls, EG__TOK_WORD);
	free(n);
}

Test(normalize, apostrophes_and_hyphens)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "O'Brien"), "obrien");
	cr_assert_str_eq(joined(n, "O’Brien"), "obrien");
	cr_assert_str_eq(joined(n, "Ng`ang'a"), "nganga");
	cr_assert_str_eq(joined(n, "AL-QAIDA"), "al qaida");
	cr_assert_eq(n->tok[0].cls, EG__TOK_PARTICLE);
	cr_assert_eq(n->tok[1].cls, EG__TOK_WORD);
	cr_assert_str_eq(joined(n, "ʿAbd al-ʿAziz"), "abd al aziz");
	free(n);
}

Test(normalize, numbers)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "11420 CORP."), "11420 corp");
	cr_assert_eq(n->tok[0].cls, EG__TOK_NUMBER);
	cr_assert_eq(n->tok[1].cls, EG__TOK_LEGAL);
	cr_assert_str_eq(joined(n, "Vessel A1B2 No. 7"), "vessel a1b2 no 7");
	cr_assert_eq(n->tok[1].cls, EG__TOK_WORD);
	cr_assert_eq(n->tok[3].cls, EG__TOK_NUMBER);
	cr_assert_str_eq(joined(n, "Ⅻ ①②"), "xii 12");
	cr_assert_eq(n->tok[1].cls, EG__TOK_NUMBER);
	free(n);
}

Test(normalize, no_tokens_is_not_an_error)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, ""), "");
	cr_assert_eq(n->n, 0);
	cr_assert_str_eq(joined(n, " ... -- "), "");
	cr_assert_str_eq(joined(n, "★ ☆"), "");
	cr_assert_eq(n->n, 0);
	free(n);
}

Test(normalize, invalid_utf8)
{
	eg__norm *n = new_norm();
	static const struct {
		const char *s;
		size_t len;
		const char *where;
	} bad[] = {
		{"abc\xff", 4, "byte 3"},
		{"Jos\xc3", 4, "byte 3"},            /* truncated sequence */
		{"\xc0\xaf", 2, "byte 0"},           /* overlong */
		{"ab\xed\xa0\x80", 5, "byte 2"},     /* UTF-16 surrogate */
		{"\xf4\x90\x80\x80", 4, "byte 0"},   /* above U+10FFFF */
		{"Путин\x80", 11, "byte 10"},        /* stray continuation */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		eg_error err = {0};
		cr_assert_eq(eg__text_normalize(n, bad[i].s, bad[i].len, &err), EG_EUTF8, "case %zu", i);
		cr_assert_eq(err.code, EG_EUTF8);
		cr_assert_not_null(strstr(err.message, bad[i].where), "case %zu: %s", i, err.message);
		cr_assert_eq(n->n, 0);
		cr_assert_eq(eg__text_check_query(bad[i].s, bad[i].len, &err), EG_EUTF8);
	}
	free(n);
}

Test(normalize, control_characters)
{
	eg__norm *n = new_norm();
	static const char *bad[] = {"a\tb", "a\nb", "\x01", "a\x7f", "Jos\xc2\x85\x65", "x\r"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		eg_error err = {0};
		cr_assert_eq(eg__text_normalize(n, bad[i], strlen(bad[i]), &err), EG_EINVAL,
		             "case %zu", i);
		cr_assert_not_null(strstr(err.message, "control"), "%s", err.message);
		cr_assert_eq(eg__text_check_query(bad[i], strlen(bad[i]), &err), EG_EINVAL);
	}
	{
		eg_error err = {0};
		cr_assert_eq(eg__text_normalize(n, "a\0b", 3, &err), EG_EINVAL);
	}
	free(n);
}

Test(normalize, check_query)
{
	eg_error err = {0};
	char big[EG__CAP_QUERY_BYTES + 1];

	cr_assert_eq(eg__text_check_query("Vladimir Putin", 14, &err), 0);
	cr_assert_eq(eg__text_check_query("Путин", strlen("Путин"), &err), 0);
	cr_assert_eq(eg__text_check_query("", 0, &err), EG_EEMPTY);
	cr_assert_eq(eg__text_check_query(NULL, 0, &err), EG_EEMPTY);
	cr_assert_eq(eg__text_check_query("   ", 3, &err), EG_EEMPTY);
	cr_assert_eq(err.code, EG_EEMPTY);
	/* U+3000 ideographic space and U+00A0 no-break space */
	cr_assert_eq(eg__text_check_query("\xe3\x80\x80\xc2\xa0", 5, &err), EG_EEMPTY);
	memset(big, 'a', sizeof(big));
	cr_assert_eq(eg__text_check_query(big, EG__CAP_QUERY_BYTES, &err), 0);
	cr_assert_eq(eg__text_check_query(big, EG__CAP_QUERY_BYTES + 1, &err), EG_ETOOBIG);
	cr_assert_eq(err.code, EG_ETOOBIG);
}

Test(normalize, truncation_and_caps)
{
	eg__norm *n = new_norm();
	eg_error err = {0};
	char *s = malloc(EG__CAP_NORM_INPUT_BYTES + 2);
	size_t i, o = 0;

	cr_assert_not_null(s);
	/* exactly the token budget: not truncated */
	for (i = 0; i < EG__NORM_MAX_TOKENS; i++)
		o += (size_t)snprintf(s + o, 16, "w%zu ", i);
	cr_assert_eq(eg__text_normalize(n, s, o, &err), 0);
	cr_assert_eq(n->n, EG__NORM_MAX_TOKENS);
	cr_assert_eq(n->truncated, 0);
	/* one more: truncated, the first ones kept */
	o += (size_t)snprintf(s + o, 16, "extra");
	cr_assert_eq(eg__text_normalize(n, s, o, &err), 0);
	cr_assert_eq(n->n, EG__NORM_MAX_TOKENS);
	cr_assert_eq(n->truncated, 1);
	cr_assert_str_eq(n->tok[0].text, "w0");
	cr_assert_str_eq(n->tok[EG__NORM_MAX_TOKENS - 1].text, "w63");
	/* many tokens, non-ASCII path */
	o = 0;
	for (i = 0; i < 200; i++)
		o += (size_t)snprintf(s + o, 16, "Ж%zu ", i);
	cr_assert_eq(eg__text_normalize(n, s, o, &err), 0);
	cr_assert_eq(n->n, EG__NORM_MAX_TOKENS);
	cr_assert_eq(n->truncated, 1);
	cr_assert_str_eq(n->tok[0].text, "z0");
	/* one token over the byte cap */
	memset(s, 'a', EG__CAP_NORM_BYTES + 10);
	cr_assert_eq(eg__text_normalize(n, s, EG__CAP_NORM_BYTES + 10, &err), EG_ETOOBIG);
	cr_assert_eq(n->n, 0);
	/* the same through ICU: Cyrillic letters */
	for (i = 0; i < 2 * (EG__CAP_NORM_BYTES + 100); i += 2)
		memcpy(s + i, "ж", 2);
	cr_assert_eq(eg__text_normalize(n, s, i, &err), EG_ETOOBIG);
	/* input over its cap */
	memset(s, 'a', EG__CAP_NORM_INPUT_BYTES + 1);
	cr_assert_eq(eg__text_normalize(n, s, EG__CAP_NORM_INPUT_BYTES + 1, &err), EG_ETOOBIG);
	cr_assert_eq(err.code, EG_ETOOBIG);
	free(s);
	free(n);
}

Test(normalize, skeleton)
{
	cr_assert_str_eq(skel("mohammed"), "mhmd");
	cr_assert_str_eq(skel("muhammad"), "mhmd");
	cr_assert_str_eq(skel("mohamed"), "mhmd");
	cr_assert_str_eq(skel("mhmd"), "mhmd");
	cr_assert_str_eq(skel("ahmed"), "ahmd");
	cr_assert_str_eq(skel("hassan"), "hsn");
	cr_assert_str_eq(skel("11420"), "11420");
	cr_assert_str_eq(skel("a"), "a");
	cr_assert_str_eq(skel(""), "");
}

Test(normalize, phonetic)
{
	cr_assert_str_eq(phon("mohammed"), phon("muhammad"));
	cr_assert_str_eq(phon("mohamed"), phon("muhammad"));
	cr_assert_str_eq(phon("mhmd"), phon("muhammad"));
	cr_assert_str_eq(phon("yevgeniy"), phon("evgeny"));
	cr_assert_str_eq(phon("evgenii"), phon("evgeny"));
	cr_assert_str_eq(phon("evgenij"), phon("yevgeny"));
	cr_assert_str_eq(phon("sergej"), phon("sergei"));
	cr_assert_str_eq(phon("mikhail"), phon("mihail"));
	cr_assert_str_eq(phon("vladimir"), phon("wladimir"));
	cr_assert_str_eq(phon("putin"), phon("poutine"));
	cr_assert_str_eq(phon("vladimirovich"), phon("vladimirovic"));
	cr_assert_str_eq(phon("chernov"), phon("cernov"));
	cr_assert_str_eq(phon("shchukin"), phon("sukin"));
	cr_assert_str_eq(phon("khaled"), phon("haled"));
	cr_assert_str_eq(phon("ahmed"), phon("akhmed"));
	cr_assert_str_eq(phon("ahmad"), phon("ahmed"));
	cr_assert_str_eq(phon("abdullah"), phon("abdalla"));
	cr_assert_str_eq(phon("philip"), phon("filip"));
	cr_assert_str_eq(phon("jusuf"), phon("yusuf"));
	cr_assert_str_eq(phon("djamal"), phon("jamal"));
	cr_assert_str_eq(phon("qaddafi"), phon("kaddafi"));
	cr_assert_str_eq(phon("zaid"), phon("said"));
	cr_assert_str_eq(phon("ivanow"), phon("ivanov"));
	cr_assert_str_eq(phon("bwtyn"), phon("putin"));
	cr_assert_str_eq(phon("11420"), "11420");
	cr_assert_str_eq(phon("mohammed"), "mhmt");
	cr_assert_str_eq(phon("evgeny"), "afgn");
	cr_assert_str_eq(phon("jin"), "jn");
	cr_assert_str_eq(phon(""), "");
	/* mikhail and michael are close, not equal: one code apart */
	{
		const char *a = "mhl";
		char b[16];
		cr_assert_str_eq(phon("mikhail"), a);
		eg__text_phonetic(b, "michael", 7);
		cr_assert_eq(strlen(b), strlen(a));
		cr_assert_eq((b[0] != a[0]) + (b[1] != a[1]) + (b[2] != a[2]), 1, "%s", b);
	}
	cr_assert_str_neq(phon("putin"), phon("patel"));
	cr_assert_str_neq(phon("ivan"), phon("ivanov"));
}

/* Issue 12 items 2 and 5: the phonetic key reads a Baltic nominative
 * ending and a plural as the bare word, and keeps two classes of a vowel
 * at the start apart, so yu- and ya- are not one sound. */
Test(normalize, phonetic_across_languages)
{
	cr_assert_str_eq(phon("vekselbergas"), phon("vekselberg"));
	cr_assert_str_eq(phon("kadirovs"), phon("kadyrov"));
	cr_assert_str_eq(phon("viktoras"), phon("viktor"));
	cr_assert_str_eq(phon("technologies"), phon("technology"));
	/* not after other consonants, nor when the key would shrink to three */
	cr_assert_str_neq(phon("petropars"), phon("petroperu"));
	cr_assert_str_eq(phon("nikalas"), "nkls");
	/* the vowel of an iotated start */
	cr_assert_str_neq(phon("yushchenko"), phon("yatsenko"));
	cr_assert_str_eq(phon("usama"), phon("osama"));
	cr_assert_str_eq(phon("yusuf"), phon("usuf"));
	cr_assert_str_eq(phon("iurii"), phon("yuriy"));
	cr_assert_str_eq(phon("iakov"), phon("yakov"));
	cr_assert_str_eq(phon("ibrahim"), phon("ebrahim"));
	cr_assert_str_eq(phon("umar"), phon("omar"));
}

/* Issue 12: an organisation's industry word as other languages write it,
 * or misspelt, is the lists' word (data/text/words.tsv). */
Test(normalize, industry_words_of_other_languages)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "Banque Melli Iran"), "bank melli iran");
	cr_assert_eq(n->tok[0].cls, EG__TOK_WORD);
	cr_assert_str_eq(joined(n, "Τράπεζα Σαντεράτ"), "bank sanderat");
	cr_assert_str_eq(joined(n, "Mahan Airlines"), "mahan air");
	cr_assert_str_eq(joined(n, "Türk Hava Yolları"), "turk air");
	cr_assert_str_eq(joined(n, "Dena Arways"), "dena air");
	cr_assert_str_eq(joined(n, "Каспиан Эйрлайнз"), "kaspian air");
	cr_assert_str_eq(joined(n, "Huawei Tech Co Ltd"), "huawei technology co ltd");
	cr_assert_str_eq(joined(n, "Sina Ceramic Inustries"), "sina ceramic industry");
	cr_assert_str_eq(joined(n, "Compagnie nationale iranienne"), "co national iranian");
	/* a name that is only near such a word stays itself, and so does an
	 * English word one edit from another language's */
	cr_assert_str_eq(joined(n, "Bianco"), "bianco");
	cr_assert_str_eq(joined(n, "Grupo Industrial"), "grupo industrial");
	free(n);
}

/* Issue 12 item 2: Korean names in the Revised Romanization meet the
 * lists' spelling ("eo", "eu" as "o", "u"); other words keep theirs. */
Test(normalize, korean_revised_romanization)
{
	eg__norm *n = new_norm();

	cr_assert_str_eq(joined(n, "Kim Jeong-eun"), "kim jong un");
	cr_assert_str_eq(joined(n, "Hwang Byeong-seo"), "hwang byong so");
	cr_assert_str_eq(joined(n, "Kim Yeo-jeong"), "kim yo jong");
	cr_assert_str_eq(joined(n, "Ri Pyong-cheol"), "ri pyong chol");
	/* not a syllable so spelt: kept */
	cr_assert_str_eq(joined(n, "Leon Theodore Seoul Eugene"), "leon theodore seoul eugene");
	free(n);
}

Test(normalize, keys_never_longer_than_token)
{
	static const char *toks[] = {"x", "ax", "xx", "xyx", "tschx", "a", "y", "jo", "dzh", "h"};
	size_t i;

	for (i = 0; i < sizeof(toks) / sizeof(toks[0]); i++) {
		char out[16];
		size_t len = strlen(toks[i]);
		memset(out, '#', sizeof(out));
		cr_assert_leq(eg__text_phonetic(out, toks[i], len), len, "%s", toks[i]);
		cr_assert_eq(out[len + 1], '#', "%s", toks[i]);
		cr_assert_leq(eg__text_skeleton(out, toks[i], len), len, "%s", toks[i]);
		cr_assert_eq(out[len + 1], '#', "%s", toks[i]);
	}
}

/* Every line of the nomenklatura fixture (Putin's name in some 80
 * scripts and spellings, 81 lines) normalises; measured: 75 of 81 hold a
 * token (or two Hangul syllables) with Putin's phonetic key and 57 one
 * with Vladimir's (the misses are Chinese syllables, Baltic case endings
 * "Putinas", Belarusian "Pucin", Japanese "puchin" and an Urdu spelling). */
Test(normalize, putin_names)
{
	FILE *f = fopen("../shared/data/name_matching/nomenklatura_putin_names.txt", "r");
	eg__norm *n = new_norm();
	char line[1024], kp[64], kv[64];
	int lines = 0, putin = 0, vladimir = 0;

	cr_assert_not_null(f, "fixture not found (run from the repository root)");
	eg__text_phonetic(kp, "putin", 5);
	eg__text_phonetic(kv, "vladimir", 8);
	while (fgets(line, sizeof(line), f) != NULL) {
		eg_error err = {0};
		size_t i, len = strcspn(line, "\r\n");
		int hp = 0, hv = 0;

		cr_assert_eq(eg__text_normalize(n, line, len, &err), 0, "%s: %s", line, err.message);
		lines++;
		for (i = 0; i < n->n; i++) {
			char k[EG__CAP_NORM_BYTES], two[EG__CAP_NORM_BYTES];
			eg__text_phonetic(k, n->tok[i].text, n->tok[i].len);
			hp |= strcmp(n->tok[i].text, "putin") == 0 || strcmp(k, kp) == 0;
			hv |= strcmp(n->tok[i].text, "vladimir") == 0 || strcmp(k, kv) == 0;
			/* two syllables the matcher joins (Hangul 푸틴 "pu tin") */
			if (i + 1 < n->n) {
				snprintf(two, sizeof(two), "%s%s", n->tok[i].text, n->tok[i + 1].text);
				hp |= strcmp(two, "putin") == 0;
			}
		}
		putin += hp;
		vladimir += hv;
	}
	fclose(f);
	cr_assert_eq(lines, 81);
	cr_assert_geq(putin, 75, "putin: %d of %d", putin, lines);
	cr_assert_geq(vladimir, 57, "vladimir: %d of %d", vladimir, lines);
	free(n);
}

/* --- threads ------------------------------------------------------------- */

static const char *thread_names[] = {
	"Владимир Владимирович Путин", "محمد بن سلمان", "习近平", "בנימין נתניהו",
	"Nicolás MADURO Moros", "ACME Holdings Co., Ltd.", "Ελληνικά", "OOO Romashka",
	"Общество с ограниченной ответственностью Ромашка", "O'Brien",
};
#define N_THREAD_NAMES (sizeof(thread_names) / sizeof(thread_names[0]))

typedef struct thread_job {
	char expect[N_THREAD_NAMES][512];
	int cleanup;  /* call eg__text_thread_cleanup at the end */
	int failures;
} thread_job;

static void flatten(const eg__norm *n, char *out, size_t cap)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < n->n; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s/%d/%d ", n->tok[i].text,
		                      n->tok[i].cls, n->tok[i].abjad);
}

static void *thread_main(void *arg)
{
	thread_job *job = arg;
	eg__norm *n = malloc(sizeof(*n));
	int round;
	size_t i;

	if (n == NULL) {
		job->failures++;
		return NULL;
	}
	for (round = 0; round < 50; round++) {
		for (i = 0; i < N_THREAD_NAMES; i++) {
			eg_error err = {0};
			char got[512];
			if (eg__text_normalize(n, thread_names[i], strlen(thread_names[i]), &err) != 0) {
				job->failures++;
				continue;
			}
			flatten(n, got, sizeof(got));
			if (strcmp(got, job->expect[i]) != 0)
				job->failures++;
		}
	}
	free(n);
	if (job->cleanup)
		eg__text_thread_cleanup();
	return NULL;
}

Test(normalize, two_threads_agree)
{
	thread_job jobs[2];
	pthread_t th[2];
	eg__norm *n = new_norm();
	size_t i;
	int t;

	for (i = 0; i < N_THREAD_NAMES; i++) {
		eg_error err = {0};
		cr_assert_eq(eg__text_normalize(n, thread_names[i], strlen(thread_names[i]), &err), 0);
		flatten(n, jobs[0].expect[i], sizeof(jobs[0].expect[i]));
		cr_assert_gt(strlen(jobs[0].expect[i]), 0);
	}
	memcpy(&jobs[1], &jobs[0], sizeof(jobs[0]));
	for (t = 0; t < 2; t++) {
		jobs[t].failures = 0;
		jobs[t].cleanup = t; /* one thread relies on the key destructor */
		cr_assert_eq(pthread_create(&th[t], NULL, thread_main, &jobs[t]), 0);
	}
	for (t = 0; t < 2; t++) {
		cr_assert_eq(pthread_join(th[t], NULL), 0);
		cr_assert_eq(jobs[t].failures, 0, "thread %d: %d failures", t, jobs[t].failures);
	}
	eg__text_thread_cleanup();
	/* usable again after cleanup: a new transliterator is made */
	cr_assert_str_eq(joined(n, "Путин"), "putin");
	eg__text_thread_cleanup();
	free(n);
}

/* --- allocation failures ------------------------------------------------- */

static int alloc_countdown;

static void *failing_malloc(size_t size, void *ud)
{
	(void)ud;
	if (alloc_countdown-- == 0)
		return NULL;
	return malloc(size);
}

static void *failing_realloc(void *p, size_t size, void *ud)
{
	(void)ud;
	if (alloc_countdown-- == 0)
		return NULL;
	return realloc(p, size);
}

static void plain_free(void *p, void *ud)
{
	(void)ud;
	free(p);
}

Test(normalize, every_allocation_may_fail)
{
	eg_allocator a = {failing_malloc, failing_realloc, plain_free, NULL};
	eg__norm *n = new_norm();
	const char *name = "Владимир محمد 习近平 Ltd";
	int k, failed = 0;

	eg_set_allocator(&a);
	for (k = 0; k < 20; k++) {
		eg_error err = {0};
		int rc;
		alloc_countdown = k;
		rc = eg__text_normalize(n, name, strlen(name), &err);
		if (rc != 0) {
			cr_assert_eq(rc, EG_ENOMEM, "k=%d: %d %s", k, rc, err.message);
			cr_assert_eq(n->n, 0);
			failed++;
		} else {
			cr_assert_eq(n->n, 6); /* vladimir mhmd xi jin ping ltd */
		}
	}
	eg_set_allocator(NULL);
	cr_assert_geq(failed, 2);
	eg__text_thread_cleanup();
	free(n);
}

static void count_name(void *ud, const char *text, size_t len)
{
	int *found = ud;

	if (len == 3 && memcmp(text, "ted", 3) == 0)
		*found += 1;
}

Test(normalize, nicknames_both_ways)
{
	int found = 0;

	cr_assert_eq(eg__text_nickname_pair("ted", 3, "theodore", 8), 1);
	cr_assert_eq(eg__text_nickname_pair("theodore", 8, "ted", 3), 1);
	cr_assert_eq(eg__text_nickname_pair("bill", 4, "william", 7), 1);
	cr_assert_eq(eg__text_nickname_pair("ted", 3, "john", 4), 0);
	cr_assert_eq(eg__text_nickname_pair("", 0, "john", 4), 0);
	cr_assert_geq(eg__text_nicknames("theodore", 8, count_name, &found), 1);
	cr_assert_eq(found, 1);
	cr_assert_geq(eg__text_nicknames("ted", 3, count_name, &found), 3); /* theodore, edward, ... */
	cr_assert_eq(eg__text_nicknames("zzzz", 4, count_name, &found), 0);
}

static void count_any(void *ud, const char *text, size_t len)
{
	(void)text;
	(void)len;
	*(size_t *)ud += 1;
}

/* The filter in front of the lookups turns no pair of the table away. */
Test(normalize, nicknames_every_pair_found)
{
	size_t i;

	cr_assert_gt(eg__text_nickname_count, 100);
	for (i = 0; i < eg__text_nickname_count; i++) {
		const char *nick = eg__text_nick_pairs[i].nick, *name = eg__text_nick_pairs[i].name;
		size_t n = 0;
		cr_assert(eg__text_nickname_pair(nick, strlen(nick), name, strlen(name)), "%s %s", nick,
		          name);
		cr_assert(eg__text_nickname_pair(name, strlen(name), nick, strlen(nick)), "%s %s", name,
		          nick);
		cr_assert_geq(eg__text_nicknames(nick, strlen(nick), count_any, &n), 1, "%s", nick);
		cr_assert_geq(eg__text_nicknames(name, strlen(name), count_any, &n), 1, "%s", name);
	}
}

/* Normalises `n` copies of the character ch (1 or 2 bytes of UTF-8)
 * followed by " b", and checks the answer: either every token within the
 * result's buffer and NUL-terminated, or EG_ETOOBIG. Returns the code. */
static int edge(const char *ch, size_t n)
{
	static eg__norm out;
	size_t w = strlen(ch), len = n * w + 2, i;
	char *in = malloc(len + 1);
	eg_error err = {0};
	int rc;

	cr_assert_not_null(in);
	for (i = 0; i < n; i++)
		memcpy(in + i * w, ch, w);
	memcpy(in + n * w, " b", 3);
	rc = eg__text_normalize(&out, in, len, &err);
	cr_assert(rc == 0 || rc == EG_ETOOBIG, "%zu x %s: %d %s", n, ch, rc, err.message);
	for (i = 0; rc == 0 && i < out.n; i++) {
		const char *t = out.tok[i].text;
		cr_assert(t >= out.buf && t + out.tok[i].len < out.buf + sizeof(out.buf));
		cr_assert_eq(t[out.tok[i].len], '\0');
	}
	free(in);
	return rc;
}

/* Issue 13 item 1: every byte budget of normalisation at its exact edge
 * (budget - 1, budget, budget + 1), followed by another token. The raw
 * token buffer holds 2 * EG__CAP_NORM_BYTES bytes (normalize.c,
 * RAW_MAX_BYTES); a token opened on a full buffer used to write its NUL
 * one byte past it (AddressSanitizer sees it now that the buffer ends the
 * allocation). The result's buffer holds EG__CAP_NORM_BYTES. */
Test(normalize, byte_budgets_at_their_edges)
{
	const size_t raw = 2 * EG__CAP_NORM_BYTES, norm = EG__CAP_NORM_BYTES;
	size_t d;

	for (d = 0; d < 4; d++) {
		edge("a", raw - 2 + d);         /* ASCII path */
		edge("\xc3\xa9", raw - 2 + d);  /* ICU path: é */
		edge("a", norm - 3 + d);
		edge("\xc3\xa9", norm - 3 + d);
	}
	/* a name whose tokens fit exactly is answered */
	cr_assert_eq(edge("a", norm - 4), 0);
	cr_assert_eq(edge("a", norm - 2), EG_ETOOBIG);
}

typedef struct readings {
	char text[EG__RESPELL_READINGS][EG__RESPELL_MAX + 1];
	size_t n;
} readings;

static void keep_reading(void *ud, const char *text, size_t len)
{
	readings *r = ud;

	cr_assert_lt(r->n, EG__RESPELL_READINGS);
	cr_assert_geq(len, EG__RESPELL_MIN);
	cr_assert_leq(len, EG__RESPELL_MAX);
	memcpy(r->text[r->n], text, len);
	r->text[r->n][len] = '\0';
	r->n++;
}

static int has_reading_of(const char *word, int script, const char *want)
{
	readings r = {.n = 0};
	size_t i, n = eg__text_respell(word, strlen(word), script, keep_reading, &r);

	cr_assert_eq(n, r.n);
	for (i = 0; i < r.n; i++) {
		size_t j;
		cr_assert_str_neq(r.text[i], word, "a reading equal to the word");
		for (j = 0; j < i; j++)
			cr_assert_str_neq(r.text[i], r.text[j], "a reading given twice");
	}
	for (i = 0; i < r.n; i++)
		if (strcmp(r.text[i], want) == 0)
			return 1;
	return 0;
}

static int has_reading(const char *word, const char *want)
{
	return has_reading_of(word, 0, want);
}

/* Each language's habit reads its spelling back into the lists' (data/text/
 * respellings.tsv): the longest rule wins at each place, anchors hold, and
 * what a rule wrote is not read again. */
Test(normalize, respellings_of_other_languages)
{
	readings r = {.n = 0};

	cr_assert(has_reading("setschin", "sechin"));   /* German tsch, before sch and ch */
	cr_assert(has_reading("chamenej", "khameney")); /* German ch, j */
	cr_assert(has_reading("prigojine", "prigozhin")); /* French j, final -ine */
	cr_assert(has_reading("evgueni", "evgeni"));    /* French gu before e */
	cr_assert(has_reading("jamenei", "khamenei"));  /* Spanish j */
	cr_assert(has_reading("szczegolew", "shchegolev")); /* Polish szcz before sz and cz */
	cr_assert(has_reading("szecsin", "sechin"));    /* Hungarian sz, cs */
	cr_assert(has_reading("tyimcsenko", "timchenko")); /* Hungarian ty */
	cr_assert(has_reading("setsjin", "sechin"));    /* Dutch tsj */
	cr_assert(has_reading("secinas", "secin"));     /* a Lithuanian ending */
	cr_assert(has_reading("kadirovs", "kadirov"));  /* a Latvian one */
	cr_assert_not(has_reading("vries", "vrie"));    /* a bare final s is no ending */
	cr_assert(has_reading("kowalski", "kovalski")); /* w anywhere */
	cr_assert(has_reading("kadyrow", "kadyrov"));
	/* nothing to read, too short, too long, not letters: no reading */
	cr_assert_eq(eg__text_respell("bardot", 6, 0, keep_reading, &r), 0);
	cr_assert_eq(eg__text_respell("jan", 3, 0, keep_reading, &r), 0);
	cr_assert_eq(eg__text_respell("jjjjjjjjjjjjjjjjjjjjjjjjj", 25, 0, keep_reading, &r), 0);
	cr_assert_eq(eg__text_respell("jose1", 5, 0, keep_reading, &r), 0);
	cr_assert_eq(r.n, 0);
}

/* A name Kana or Han spelt sound by sound is read back through the habits
 * of transcription, and only through them; a Latin word never is, and a
 * word of another script is read through none. */
Test(normalize, transcriptions_read_back)
{
	readings r = {.n = 0};

	/* Kana: the added vowel, chi for ti (ミシュスチン), ji for di or zh */
	cr_assert(has_reading_of("mishusuchin", EG__SCRIPT_TRANSCRIBED, "mishustin"));
	cr_assert(has_reading_of("timuchenko", EG__SCRIPT_TRANSCRIBED, "timchenko"));
	cr_assert(has_reading_of("arukaji", EG__SCRIPT_TRANSCRIBED, "arkadi"));
	cr_assert(has_reading_of("purigojin", EG__SCRIPT_TRANSCRIBED, "prigozhin"));
	/* Han: x, q, ji before a vowel, ie, a final ng (谢钦, 维亚切斯拉夫) */
	cr_assert(has_reading_of("xieqin", EG__SCRIPT_TRANSCRIBED, "sechin"));
	cr_assert(has_reading_of("viyaqieslaf", EG__SCRIPT_TRANSCRIBED, "vyacheslav"));
	cr_assert(has_reading_of("volojin", EG__SCRIPT_TRANSCRIBED, "volodin"));
	cr_assert(has_reading_of("jiliyanke", EG__SCRIPT_TRANSCRIBED, "kilyanko"));
	cr_assert(has_reading_of("mishusjing", EG__SCRIPT_TRANSCRIBED, "mishustin"));
	/* the habits of one kind of word are not read into the other */
	cr_assert_not(has_reading_of("xieqin", 0, "sechin"));
	cr_assert_not(has_reading_of("setschin", EG__SCRIPT_TRANSCRIBED, "sechin"));
	cr_assert_eq(eg__text_respell("xieqin", 6, EG__SCRIPT_ABJAD, keep_reading, &r), 0);
	cr_assert_eq(eg__text_respell("xieqin", 6, EG__SCRIPT_SYLLABIC, keep_reading, &r), 0);
	cr_assert_eq(r.n, 0);
}

/* A reading that grows past EG__RESPELL_MAX is not given (and nothing is
 * written past the buffer: this runs under ASan too). */
Test(normalize, respellings_at_the_length_edge)
{
	char word[EG__RESPELL_MAX + 1];
	readings r = {.n = 0};
	size_t n;

	memset(word, 'j', EG__RESPELL_MAX); /* each j may become "kh" or "zh" */
	word[EG__RESPELL_MAX] = '\0';
	n = eg__text_respell(word, EG__RESPELL_MAX, 0, keep_reading, &r);
	cr_assert_eq(n, r.n);
	for (size_t i = 0; i < r.n; i++)
		cr_assert_leq(strlen(r.text[i]), EG__RESPELL_MAX);
	cr_assert(has_reading("jjjj", "yyyy"));
	cr_assert(has_reading("jjjj", "khkhkhkh"));
}

/* A legal form or organisation word written onto the word before it is a
 * word of its own, and two words that together are one are that word; a
 * letter alone stays an initial, and a word that only ends like a table
 * word keeps its first three letters or less whole. */
Test(normalize, a_space_added_or_lost_around_a_table_word)
{
	static eg__norm n;

	cr_assert_str_eq(joined(&n, "KAVOSHYARCOMPANY"), "kavoshyar co");
	cr_assert_eq(n.tok[1].cls, EG__TOK_LEGAL);
	cr_assert_str_eq(joined(&n, "Namchongang Tradingcorporation"), "namchongang trading corp");
	cr_assert_str_eq(joined(&n, "DCB FINANCELIMITED"), "dcb finance ltd");
	cr_assert_str_eq(joined(&n, "Mesbah Energy Comp Any"), "mesbah energy co");
	cr_assert_eq(n.tok[2].cls, EG__TOK_LEGAL);
	/* the list's spellings give the same tokens */
	cr_assert_str_eq(joined(&n, "MESBAH ENERGY COMPANY"), "mesbah energy co");
	cr_assert_str_eq(joined(&n, "DCB FINANCE LIMITED"), "dcb finance ltd");
	/* "HOLDING S.A." is no "holdings", "accompany" no "ac company" */
	cr_assert_str_eq(joined(&n, "Alpha Holding S.A."), "alpha holding sa");
	cr_assert_str_eq(joined(&n, "Alpha Holding S A"), "alpha holding sa");
	cr_assert_eq(n.n, 3);
	cr_assert_str_eq(joined(&n, "Accompany"), "accompany");
	/* another language's word of the tables split in two is joined
	 * ("AIRLI NES": air), but no word is split before one: a misspelt
	 * word often ends as such a word does */
	cr_assert_str_eq(joined(&n, "SYRIAN ARAB AIRLINES"), "syrian arab air");
	cr_assert_str_eq(joined(&n, "Syrian Arab Airli nes"), "syrian arab air");
	cr_assert_str_eq(joined(&n, "Drex Technolo gies"), "drex technology");
	cr_assert_str_eq(joined(&n, "Aerocaribbeanairlines"), "aerocaribbeanairlines");
}

/* A word one changed letter from a table word is read as it from seven
 * letters only: six-letter names lie one letter from six-letter table words
 * (BANIAS, a town, from Lithuanian "bankas"); a letter dropped or added is
 * read so from six ("arways"). */
Test(normalize, a_six_letter_name_is_not_a_table_word_one_letter_off)
{
	static eg__norm n;

	cr_assert_str_eq(joined(&n, "BANIAS REFINERY"), "banias refinery");
	cr_assert_str_eq(joined(&n, "Banias"), "banias");
	cr_assert_str_eq(joined(&n, "Dena Arways"), "dena air");
	cr_assert_str_eq(joined(&n, "Mobin Compamy"), "mobin co");
}
