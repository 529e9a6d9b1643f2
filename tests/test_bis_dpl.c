/* test_bis_dpl.c - tests of the BIS Denied Persons List (tab-separated) parser. */
#include <criterion/criterion.h>
