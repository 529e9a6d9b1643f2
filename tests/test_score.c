/* test_score.c - tests of the score module. */
#include <criterion/criterion.h>
