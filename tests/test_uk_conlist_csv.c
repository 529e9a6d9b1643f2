/* test_uk_conlist_csv.c - tests of the UK HM Treasury ConList CSV parser. */
#include <criterion/criterion.h>
