/* test_ofac_csv.c - tests of the ofac_csv module. */
#include <criterion/criterion.h>
