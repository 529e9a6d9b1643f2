/* test_text_offices.c - office words, titles and forms of address of many
 * languages are classed as honorifics (data/text/honorifics.tsv), so that
 * "Presidente X" and "Президент X" weigh as X (issue 12 item 1). */
#include <criterion/criterion.h>

#include "text/normalize.h"

#include <stdlib.h>
#include <string.h>

/* The class of the token of name whose text is tok; -1 when absent. */
static int class_of(const char *name, const char *tok)
{
	eg__norm *n = malloc(sizeof(*n));
	eg_error err = {0};
	int cls = -1;
	size_t i;

	cr_assert_not_null(n);
	cr_assert_eq(eg__text_normalize(n, name, strlen(name), &err), 0, "%s", err.message);
	for (i = 0; i < n->n; i++)
		if (strcmp(n->tok[i].text, tok) == 0)
			cls = n->tok[i].cls;
	free(n);
	return cls;
}

Test(text_offices, president_in_many_languages)
{
	static const char *names[] = {
		"Presidente Nicolás Maduro", "Präsident Nicolás Maduro", "Президент Николас Мадуро",
		"Maduro elnök Nicolás", "Prezydent Nicolás Maduro", "Cumhurbaşkanı Nicolás Maduro",
		"Președintele Nicolás Maduro", "Predsjednik Nicolás Maduro",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cr_expect_eq(class_of(names[i], "president"), EG__TOK_HONORIFIC, "%s", names[i]);
		cr_expect_eq(class_of(names[i], "maduro"), EG__TOK_WORD, "%s", names[i]);
	}
}

Test(text_offices, other_offices_and_occupations)
{
	cr_expect_eq(class_of("Председатель Ким Чен Ын", "chairman"), EG__TOK_HONORIFIC);
	cr_expect_eq(class_of("Prime Minister Ismail Haniyeh", "primeminister"), EG__TOK_HONORIFIC);
	cr_expect_eq(class_of("Oligarch Viktor Vekselberg", "oligarch"), EG__TOK_HONORIFIC);
	cr_expect_eq(class_of("Бизнесмен Виктор Вексельберг", "businessman"), EG__TOK_HONORIFIC);
	cr_expect_eq(class_of("Ajatollah Ali Chamenei", "ayatollah"), EG__TOK_HONORIFIC);
	cr_expect_eq(class_of("Secretary-General Hassan Nasrallah", "secgen"), EG__TOK_HONORIFIC);
}

Test(text_offices, name_parts_are_not_offices)
{
	/* words that are also names stay words */
	cr_expect_eq(class_of("Amir Khan", "amir"), EG__TOK_WORD);
	/* sayyid (seyyed, syed) is a title of descent, written or left out
	 * before the same name: an honorific (honorifics.tsv) */
	cr_expect_eq(class_of("Seyyed Mohammad Atabak", "sayyid"), EG__TOK_HONORIFIC);
	cr_expect_eq(class_of("Premier Oil", "premier"), EG__TOK_WORD);
	cr_expect_eq(class_of("Stephen King", "king"), EG__TOK_WORD);
}
