/* test_csl_csv.c - tests of the US Consolidated Screening List CSV (optionally gzipped) parser. */
#include <criterion/criterion.h>
