/* test_ftm_json.c - tests of the OpenSanctions FollowTheMoney JSON lines parser. */
#include <criterion/criterion.h>
