/* test_eu_fsf_xml.c - tests of the EU financial sanctions files (FSF) XML parser. */
#include <criterion/criterion.h>
