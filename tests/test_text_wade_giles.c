/* test_text_wade_giles.c - Chinese names in Wade-Giles (data/text/wade_giles.tsv,
 * chinese_syllables.tsv, wade_giles_forms.tsv; classify.c's
 * eg__classify_join_chinese) and what they find through the index. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "lists/entity.h"
#include "match/index.h"
#include "text/normalize.h"

#include "index_fixture.h"
#include "norm_fixture.h"

/* The tokens of a name joined by one space. */
static const char *tokens(const char *name)
{
	static char out[512];

	norm_tokens(name, out, sizeof(out));
	return out;
}

/* A syllable only Wade-Giles spells so is read as its pinyin, alone or
 * in a hyphenated given name, with or without the apostrophe and umlaut;
 * a hyphenated pair of syllables is one word, as pinyin writes a given
 * name. */
Test(text_wade_giles, syllables_are_read_as_pinyin)
{
	cr_assert_str_eq(tokens("Hsieh"), "xie");
	cr_assert_str_eq(tokens("Mao Tse-tung"), "mao zedong");
	cr_assert_str_eq(tokens("Chang Hsiao-ming"), "chang xiaoming");
	cr_assert_str_eq(tokens("Chu Yueh-chun"), "chu yuejun");
}

/* An apostrophe after the initial marks an aspirated consonant: "ch'",
 * "k'", "p'", "t'" are pinyin q or ch, k, p, t; without it they are j or
 * zh, g, b, d. Who writes the apostrophe writes the umlaut too, which
 * accent removal drops: "ch'ün" is qun. */
Test(text_wade_giles, the_apostrophe_tells_an_aspirated_consonant)
{
	cr_assert_str_eq(tokens("Chang Chi-ch'eng"), "chang jicheng");
	cr_assert_str_eq(tokens("Chang K'o-p'ing"), "chang keping");
	cr_assert_str_eq(tokens("Chang Ko-ping"), "chang gebing");
	cr_assert_str_eq(tokens("Chang T\u2019ao-t\u2019ao"), "chang taotao");
	cr_assert_str_eq(tokens("Chu Yüeh-ch'ün"), "chu yuequn");
}

/* Korean names keep their hyphenated syllables apart (not both Mandarin
 * syllables), and so do words of other languages. */
Test(text_wade_giles, other_names_stay_as_written)
{
	cr_assert_str_eq(tokens("Kim Jong-un"), "kim jong un");
	cr_assert_str_eq(tokens("Ri Pyong-chol"), "ri pyong chol");
	cr_assert_str_eq(tokens("Jean-Marie Le Pen"), "jean marie le pen");
	cr_assert_str_eq(tokens("Chang"), "chang");
}

/* Listed pinyin names are found from their Wade-Giles spellings, and a
 * Wade-Giles surname that is a pinyin syllable too ("Lo", "Chu") meets
 * its pinyin reading. */
Test(text_wade_giles, a_listed_pinyin_name_is_found_from_wade_giles)
{
	static const char *const list[] = {
		"ZHOU, Jianshu", "ZHENG, Yanxiong", "LUO, Huining", "ZHU, Yuequn",
		"WANG, Wei", "LI, Ming", "KIM, Jong Un",
	};
	eg__index *ix = index_fixture_build(list, sizeof(list) / sizeof(list[0]));
	uint32_t ent = 99;
	double s;

	s = index_fixture_top(ix, "Chou Chien-shu", &ent);
	cr_assert_eq(ent, 0);
	cr_assert_geq(s, 0.76, "%f", s);
	s = index_fixture_top(ix, "Cheng Yen-hsiung", &ent);
	cr_assert_eq(ent, 1);
	cr_assert_geq(s, 0.76, "%f", s);
	s = index_fixture_top(ix, "Lo Hui-ning", &ent);
	cr_assert_eq(ent, 2);
	cr_assert_geq(s, 0.76, "%f", s);
	s = index_fixture_top(ix, "Chu Yüeh-ch'ün", &ent);
	cr_assert_eq(ent, 3);
	cr_assert_geq(s, 0.76, "%f", s);
	eg__index_free(ix);
}
