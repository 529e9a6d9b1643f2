/* fuzz_parse.h - the body of a fuzz target that feeds the bytes to one
 * format's in-memory entry point and frees everything. */
#ifndef EG_FUZZ_PARSE_H
#define EG_FUZZ_PARSE_H

#include "lists/format.h"
#include "invariants.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef int (*fuzz_parse_fn)(eg__parse_ctx *ctx, const char *data, size_t len,
                             const char *name, eg_error *err);

/* Parses size bytes at data, called name, with fn into a fresh set, the
 * input hashed when hash is 1; a set parsed without error must meet
 * invariants.h (abort otherwise), and crashes and leaks count. Returns 0,
 * as libFuzzer wants. */
static inline int fuzz_parse(fuzz_parse_fn fn, const uint8_t *data, size_t size,
                             const char *name, int hash)
{
	eg__entity_set set;
	eg__sha256 sha;
	eg__parse_ctx ctx;
	eg_error err;
	char hex[65];

	eg__entity_set_init(&set);
	memset(&ctx, 0, sizeof(ctx));
	memset(&err, 0, sizeof(err));
	ctx.set = &set;
	if (hash && eg__sha256_init(&sha) == 0)
		ctx.sha = &sha;
	fuzz_check_or_abort(fn(&ctx, (const char *)data, size, name, &err), &set, name);
	if (ctx.sha != NULL)
		(void)eg__sha256_final(&sha, hex);
	eg__entity_set_free(&set);
	return 0;
}

#endif
