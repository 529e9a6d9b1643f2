/* test_engine.c - tests of the engine module. */
#include <criterion/criterion.h>
