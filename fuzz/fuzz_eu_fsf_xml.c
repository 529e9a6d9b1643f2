/* fuzz_eu_fsf_xml.c - fuzz target of the EU FSF XML parser, through its in-memory entry point. */
#include "lists/euuk_formats.h"
#include "fuzz_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse(eg__eu_fsf_xml_parse_mem, data, size, "fuzz.xml", 1);
}
