/* test_uk_xml.c - tests of the UK Sanctions List XML (FCDO) parser. */
#include <criterion/criterion.h>
