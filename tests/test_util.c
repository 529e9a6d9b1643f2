/* test_util.c - tests of the util module. */
#include <criterion/criterion.h>
