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
