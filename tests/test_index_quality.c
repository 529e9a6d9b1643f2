/* test_index_quality.c - issue 12 behaviours of the candidate index's query
 * preparation (src/match/index_query.c): how a query token is weighed. */
#include <criterion/criterion.h>
#include <string.h>

#include "lists/entity.h"
#include "match/index.h"
#include "text/normalize.h"

#include "index_fixture.h"

/* An honorific of the query that looks like a listed word ("prof" one
 * letter from a listed "pro") keeps an honorific's weight: it costs the
 * name beside it little, as an unseen honorific does. */
Test(index_quality, an_honorific_like_a_listed_word_weighs_as_an_honorific)
{
	static const char *const list[] = {
		"SAEED, Hafiz Muhammad", "PRO TRADING", "ABC",
	};
	eg__index *ix = index_fixture_build(list, sizeof(list) / sizeof(list[0]));
	uint32_t ent = 99;
	double plain = index_fixture_top(ix, "Hafiz Muhammad Saeed", &ent), titled;

	cr_assert_eq(ent, 0);
	titled = index_fixture_top(ix, "Professor Hafiz Muhammad Saeed", &ent);
	cr_assert_eq(ent, 0);
	cr_assert_gt(titled, 0.9, "the title hid the name: %f", titled);
	cr_assert_gt(titled, plain - 0.1);
	eg__index_free(ix);
}
