/* test_normalize.c - tests of the normalize module. */
#include <criterion/criterion.h>
