/* norm_fixture.h - what the tests of the text layer share: a name's
 * normalised tokens joined by one space. Included by one test file each. */
#ifndef EG_TEST_NORM_FIXTURE_H
#define EG_TEST_NORM_FIXTURE_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "text/normalize.h"

/* The tokens of name joined by one space, into out. */
static void norm_tokens(const char *name, char *out, size_t cap)
{
	eg__norm *n = malloc(sizeof(*n));
	eg_error err = {0};
	size_t i, o = 0;

	cr_assert_not_null(n);
	cr_assert_eq(eg__text_normalize(n, name, strlen(name), &err), 0, "%s", err.message);
	out[0] = '\0';
	for (i = 0; i < n->n && o + n->tok[i].len + 2 < cap; i++) {
		if (i > 0)
			out[o++] = ' ';
		memcpy(out + o, n->tok[i].text, n->tok[i].len);
		o += n->tok[i].len;
		out[o] = '\0';
	}
	free(n);
}

#endif
