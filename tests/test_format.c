/* test_format.c - tests of the format registry (src/lists/format.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "lists/format.h"

Test(format, a_missing_path_is_reported_missing)
{
	const eg__format *f = &eg__format_ofac_csv;
	eg_error err;

	memset(&err, 0, sizeof(err));
	cr_assert_eq(eg__format_for_path(&f, "tests/data/no-such-list.csv", &err), EG_EIO);
	cr_assert_null(f);
	cr_assert_str_eq(err.message, "tests/data/no-such-list.csv: no such file or directory");
	cr_assert_eq(eg__format_for_path(&f, "no/such/dir/", &err), EG_EIO);
	cr_assert_not_null(strstr(err.message, "no/such/dir/: no such file or directory"));
}

Test(format, a_file_of_no_format_is_unsupported)
{
	const eg__format *f;
	eg_error err;

	memset(&err, 0, sizeof(err));
	cr_assert_eq(eg__format_for_path(&f, "meson.build", &err), EG_EUNSUPPORTED);
	cr_assert_null(f);
	cr_assert_not_null(strstr(err.message, "meson.build: not a list format"));
	cr_assert_eq(eg__format_for_path(&f, "data/lists/un_sc_2026-02", &err), 0, "%s",
	             err.message);
	cr_assert_str_eq(f->name, "un-xml");
}
