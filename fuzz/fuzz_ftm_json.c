/* fuzz_ftm_json.c - feeds arbitrary bytes to the ftm-json parser; it must neither crash nor leak. */
#include "lists/csv_formats.h"
#include "fuzz_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse(eg__ftm_json_parse_mem, data, size, "fuzz.json", 0);
}
