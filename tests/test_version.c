/* test_version.c - the version macros and eg_version(). (That the macros
 * equal meson.build's project version is checked when src/version.c is
 * compiled, and against exportgate.pc by tests/install/install.sh.) */
#include "exportgate.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

Test(version, string_is_major_minor_patch)
{
	char s[64];

	snprintf(s, sizeof(s), "%d.%d.%d", EG_VERSION_MAJOR, EG_VERSION_MINOR, EG_VERSION_PATCH);
	cr_assert_str_eq(EG_VERSION_STRING, s);
}

Test(version, library_matches_header)
{
	cr_assert_not_null(eg_version());
	cr_assert_str_eq(eg_version(), EG_VERSION_STRING);
}

/* The build's identity, which the index files beside a store carry in their
 * key, names the sources and tables by digest, not only by revision: two
 * builds of one changed tree ("<commit>-dirty") must not share an index. */
#include "build_id.h"

Test(version, build_id_names_the_sources_by_digest)
{
	const char *plus = strrchr(EG__BUILD_ID, '+');
	size_t i;

	cr_assert_not_null(plus, "%s", EG__BUILD_ID);
	cr_assert_eq(strlen(plus + 1), 16, "%s", EG__BUILD_ID);
	for (i = 1; plus[i] != '\0'; i++)
		cr_assert(strchr("0123456789abcdef", plus[i]) != NULL, "%s", EG__BUILD_ID);
}
