/* fuzz_uk_xml.c - fuzz target of the UK Sanctions List XML parser, through its in-memory entry point. */
#include "lists/euuk_formats.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	eg__entity_set set;
	eg__sha256 sha;
	eg__parse_ctx ctx;
	eg_error err;
	char hex[65];

	eg__entity_set_init(&set);
	ctx.set = &set;
	ctx.sha = eg__sha256_init(&sha) == 0 ? &sha : NULL;
	ctx.warn = NULL;
	ctx.warn_ud = NULL;
	(void)eg__uk_xml_parse_mem(&ctx, (const char *)data, size, "fuzz.xml", &err);
	if (ctx.sha != NULL)
		(void)eg__sha256_final(&sha, hex);
	eg__entity_set_free(&set);
	return 0;
}
