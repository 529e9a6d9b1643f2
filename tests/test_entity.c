/* test_entity.c - tests of the entity module. */
#include <criterion/criterion.h>
