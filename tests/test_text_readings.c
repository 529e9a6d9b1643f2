/* test_text_readings.c - tests of the other readings of a token
 * (src/text/han.c) and of what they find through the index. */
#include <criterion/criterion.h>
#include <string.h>

#include "lists/entity.h"
#include "match/index.h"
#include "text/normalize.h"

#include "index_fixture.h"

typedef struct collected {
	char text[8][16];
	size_t n;
} collected;

static void collect(void *ud, const char *text, size_t len)
{
	collected *c = ud;

	cr_assert_lt(len, sizeof(c->text[0]));
	if (c->n < 8) {
		memcpy(c->text[c->n], text, len);
		c->text[c->n++][len] = '\0';
	}
}

static int has(const collected *c, const char *s)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->text[i], s) == 0)
			return 1;
	return 0;
}

/* The Han character of a one-character name, and its pinyin token. */
static const eg__token *han_token(eg__norm *norm, const char *s)
{
	eg_error err;

	cr_assert_eq(eg__text_normalize(norm, s, strlen(s), &err), 0);
	cr_assert_eq(norm->n, 1);
	cr_assert_neq(norm->tok[0].native, 0);
	return &norm->tok[0];
}

Test(text_readings, han_characters_have_their_korean_readings)
{
	collected c = {0};
	eg__norm norm;
	const eg__token *t;

	t = han_token(&norm, "金");
	cr_assert_eq(eg__text_han_readings(t->native, t->text, t->len, collect, &c), 2);
	cr_assert(has(&c, "kim") && has(&c, "kum"));
	/* a simplified character is read as its traditional form: 龙 as 龍 */
	c.n = 0;
	t = han_token(&norm, "龙");
	eg__text_han_readings(t->native, t->text, t->len, collect, &c);
	cr_assert(has(&c, "ryong"), "龙: %zu readings", c.n);
	/* the pinyin spelling itself is not repeated; Hangul, Latin: none */
	c.n = 0;
	t = han_token(&norm, "海"); /* hai; Korean hae */
	eg__text_han_readings(t->native, t->text, t->len, collect, &c);
	cr_assert(has(&c, "hae") && !has(&c, "hai"));
	cr_assert_eq(eg__text_han_readings(0xC815 /* 정 */, "jong", 4, collect, &c), 0);
	cr_assert_eq(eg__text_han_readings('a', "a", 1, collect, &c), 0);
}

/* The generated table spells a reading as the normaliser spells the
 * Hangul syllable (scripts/make_han_korean.py mirrors eg__romanize_hangul). */
Test(text_readings, readings_are_spelt_as_hangul_is)
{
	static const char *const pairs[][2] = {
		{"金", "김"}, {"正", "정"}, {"恩", "은"}, {"崔", "최"}, {"龍", "룡"},
		{"與", "여"}, {"朴", "박"}, {"海", "해"},
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		collected c = {0};
		eg__norm han, hangul;
		const eg__token *t = han_token(&han, pairs[i][0]);
		eg_error err;
		cr_assert_eq(eg__text_normalize(&hangul, pairs[i][1], strlen(pairs[i][1]), &err), 0);
		cr_assert_eq(hangul.n, 1);
		eg__text_han_readings(t->native, t->text, t->len, collect, &c);
		cr_assert(has(&c, hangul.tok[0].text) || strcmp(t->text, hangul.tok[0].text) == 0,
		          "%s: no reading %s", pairs[i][0], hangul.tok[0].text);
	}
}

/* Issue 12 item 4: a Korean name in Hanja meets its listed spelling; a
 * Chinese name of other characters does not. */
Test(text_readings, a_korean_name_in_hanja_meets_its_listed_spelling)
{
	static const char *const list[] = {
		"KIM, Jong Un", "CHOE, Ryong Hae", "KIM, Yo Jong", "JIN, Zheng",
	};
	eg__index *ix = index_fixture_build(list, sizeof(list) / sizeof(list[0]));
	uint32_t ent = 99;

	cr_assert_gt(index_fixture_top(ix, "金正恩", &ent), 0.76);
	cr_assert_eq(ent, 0);
	cr_assert_gt(index_fixture_top(ix, "崔龙海", &ent), 0.76);
	cr_assert_eq(ent, 1);
	cr_assert_gt(index_fixture_top(ix, "金與正", &ent), 0.76);
	cr_assert_eq(ent, 2);
	/* its pinyin still meets a Chinese listed name */
	cr_assert_gt(index_fixture_top(ix, "金正", &ent), 0.76);
	cr_assert_eq(ent, 3);
	/* other characters: 金正日 is not 金正恩 */
	ent = 99;
	if (index_fixture_top(ix, "金正日", &ent) >= 0.76)
		cr_assert_neq(ent, 0);
	eg__index_free(ix);
}

/* Issue 12 item 2: a Russian given name as other languages write it
 * (data/text/name_forms.tsv) meets the lists' spelling, through the index. */
Test(text_readings, given_names_of_other_languages)
{
	static const char *const list[] = {
		"KOVALCHUK, Yuri Valentinovich", "ROTENBERG, Arkady", "YURIEV, Petr",
	};
	eg__index *ix = index_fixture_build(list, sizeof(list) / sizeof(list[0]));
	uint32_t ent = 99;

	cr_assert(eg__text_nickname_pair("jurijus", 7, "yuri", 4));
	cr_assert(eg__text_nickname_pair("yuri", 4, "urij", 4)); /* ICU's Юрий */
	cr_assert(!eg__text_nickname_pair("jurijus", 7, "yurijev", 7));
	/* Arabic names: Russian, French, Turkish spellings, and list
	 * spellings among themselves */
	cr_assert(eg__text_nickname_pair("ibragim", 7, "ibrahim", 7));
	cr_assert(eg__text_nickname_pair("kassem", 6, "qasem", 5));
	cr_assert(eg__text_nickname_pair("daud", 4, "dawood", 6));
	cr_assert(eg__text_nickname_pair("cevad", 5, "javad", 5));
	cr_assert_gt(index_fixture_top(ix, "Jurijus Kovalčiukas", &ent), 0.76);
	cr_assert_eq(ent, 0);
	cr_assert_gt(index_fixture_top(ix, "Arkādijs Rotenbergs", &ent), 0.76);
	cr_assert_eq(ent, 1);
	eg__index_free(ix);
}

/* Korean surnames as the South and the Revised Romanization write them
 * (Lee, Park, Choi, Jeong, Gim) meet the lists' North Korean spellings (RI,
 * PAK, CHOE, CHONG, KIM), through the index; a one- or two-letter spelling
 * is no pair (Ko / Go, O / Oh), and two surnames stay two. */
Test(text_readings, korean_surnames_of_either_romanization)
{
	static const char *const list[] = {
		"RI SU YONG", "PAK BONG NAM", "CHOE CHUN SIK", "KIM WON HONG", "HAN JANG SU",
	};
	eg__index *ix = index_fixture_build(list, sizeof(list) / sizeof(list[0]));
	uint32_t ent = 99;

	cr_assert(eg__text_nickname_pair("lee", 3, "ri", 2));
	cr_assert(eg__text_nickname_pair("ri", 2, "yi", 2));
	cr_assert(eg__text_nickname_pair("park", 4, "bak", 3));
	cr_assert(eg__text_nickname_pair("jeong", 5, "chong", 5));
	cr_assert(!eg__text_nickname_pair("ko", 2, "go", 2));
	cr_assert(!eg__text_nickname_pair("kim", 3, "pak", 3));
	cr_assert_gt(index_fixture_top(ix, "Lee Su-yong", &ent), 0.76);
	cr_assert_eq(ent, 0);
	cr_assert_gt(index_fixture_top(ix, "Park Bong-nam", &ent), 0.76);
	cr_assert_eq(ent, 1);
	cr_assert_gt(index_fixture_top(ix, "Choi Chun-sik", &ent), 0.76);
	cr_assert_eq(ent, 2);
	cr_assert_gt(index_fixture_top(ix, "Gim Won-hong", &ent), 0.76);
	cr_assert_eq(ent, 3);
	eg__index_free(ix);
}
