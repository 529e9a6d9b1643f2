/* fuzz_un_xml.c - fuzz target of the UN consolidated XML parser, through its in-memory entry point. */
#include "lists/xml_formats.h"
#include "fuzz_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse(eg__un_xml_parse_mem, data, size, "fuzz.xml", 1);
}
