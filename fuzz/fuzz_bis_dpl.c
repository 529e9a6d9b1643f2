/* fuzz_bis_dpl.c - feeds arbitrary bytes to the bis-dpl parser; it must neither crash nor leak, and what it parses must meet invariants.h. */
#include "lists/csv_formats.h"
#include "invariants.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eg__entity_set set;
	eg__parse_ctx ctx;
	eg_error err;

	eg__entity_set_init(&set);
	memset(&ctx, 0, sizeof(ctx));
	memset(&err, 0, sizeof(err));
	ctx.set = &set;
	fuzz_check_or_abort(eg__bis_dpl_parse_mem(&ctx, (const char *)data, size, "fuzz.txt",
	                                          "2025-01-01", &err),
	                    &set, "bis_dpl");
	eg__entity_set_free(&set);
	return 0;
}
