/* fuzz_ftm_json.c - feeds arbitrary bytes to the ftm-json parser; it must neither crash nor leak. */
#include "lists/csv_formats.h"

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
	(void)eg__ftm_json_parse_mem(&ctx, (const char *)data, size, "fuzz.json", &err);
	eg__entity_set_free(&set);
	return 0;
}
