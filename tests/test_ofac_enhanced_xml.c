/* test_ofac_enhanced_xml.c - tests of the OFAC enhanced XML parser. */
#include <criterion/criterion.h>
