/* fuzz_csl_csv.c - feeds arbitrary bytes to the csl-csv parser (plain or gzip bytes); it must neither crash nor leak. */
#include "lists/csv_formats.h"
#include "fuzz_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_parse(eg__csl_csv_parse_mem, data, size, "fuzz.csv", 0);
}
