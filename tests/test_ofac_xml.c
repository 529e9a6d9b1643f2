/* test_ofac_xml.c - tests of the OFAC classic sdnList XML parser. */
#include <criterion/criterion.h>
