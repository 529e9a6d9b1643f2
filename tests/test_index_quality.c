/* test_index_quality.c - issue 12 behaviours of the candidate index's query
 * preparation (src/match/index_query.c): how a query token is weighed. */
#include <criterion/criterion.h>
#include <string.h>

#include "lists/entity.h"
#include "match/index.h"
#include "text/normalize.h"

static eg__index *build_from(const char *const *list, size_t n)
{
	eg__index_builder *b;
	eg__index *ix;
	eg_error err;
	size_t i;

	cr_assert_eq(eg__index_builder_new(&b, &err), 0);
	for (i = 0; i < n; i++)
		cr_assert_eq(eg__index_builder_add(b, (uint32_t)i, 0, EG_TYPE_UNKNOWN, 0, list[i],
		                                   strlen(list[i]), &err),
		             0, "%s", err.message);
	cr_assert_eq(eg__index_builder_finish(b, &ix, &err), 0);
	return ix;
}

static double top(const eg__index *ix, const char *q, uint32_t *entity)
{
	eg__norm norm;
	eg__match m[8];
	eg__search_opts o = {.type = EG_TYPE_ANY, .min_score = 0.5, .max_candidates = 0};
	eg_error err;
	size_t n;

	cr_assert_eq(eg__text_normalize(&norm, q, strlen(q), &err), 0);
	cr_assert_eq(eg__index_search(ix, m, 8, &n, NULL, &norm, &o, &err), 0);
	if (n == 0)
		return 0.0;
	*entity = m[0].entity;
	return m[0].score;
}

/* An honorific of the query that looks like a listed word ("prof" one
 * letter from a listed "pro") keeps an honorific's weight: it costs the
 * name beside it little, as an unseen honorific does. */
Test(index_quality, an_honorific_like_a_listed_word_weighs_as_an_honorific)
{
	static const char *const list[] = {
		"SAEED, Hafiz Muhammad", "PRO TRADING", "ABC",
	};
	eg__index *ix = build_from(list, sizeof(list) / sizeof(list[0]));
	uint32_t ent = 99;
	double plain = top(ix, "Hafiz Muhammad Saeed", &ent), titled;

	cr_assert_eq(ent, 0);
	titled = top(ix, "Professor Hafiz Muhammad Saeed", &ent);
	cr_assert_eq(ent, 0);
	cr_assert_gt(titled, 0.9, "the title hid the name: %f", titled);
	cr_assert_gt(titled, plain - 0.1);
	eg__index_free(ix);
}
