/* index_fixture.h - a small candidate index built from names, and the best
 * score a query reaches in it: shared by the tests of the index's query
 * side (test_index.c, test_index_quality.c, test_text_readings.c). */
#ifndef EG_TEST_INDEX_FIXTURE_H
#define EG_TEST_INDEX_FIXTURE_H

#include <criterion/criterion.h>
#include <string.h>

#include "match/index.h"
#include "text/normalize.h"

/* An index of list[0..n), name i of entity i, of no known type. */
static inline eg__index *index_fixture_build(const char *const *list, size_t n)
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

/* The best score of query q from 0.5 up (0: none), its entity in *entity. */
static inline double index_fixture_top(const eg__index *ix, const char *q, uint32_t *entity)
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

#endif
