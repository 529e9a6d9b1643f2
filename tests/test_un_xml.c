/* test_un_xml.c - tests of the UN Security Council consolidated XML parser. */
#include <criterion/criterion.h>
