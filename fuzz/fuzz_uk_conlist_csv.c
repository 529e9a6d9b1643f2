/* fuzz_uk_conlist_csv.c - fuzz target of the OFSI ConList CSV parser, through its in-memory entry point. */
#include "lists/euuk_formats.h"
#include "fuzz_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse(eg__uk_conlist_csv_parse_mem, data, size, "fuzz.csv", 1);
}
