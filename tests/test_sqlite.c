/* test_sqlite.c - tests of the sqlite module. */
#include <criterion/criterion.h>
