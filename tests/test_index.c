/* test_index.c - tests of the index module. */
#include <criterion/criterion.h>
