/* fuzz_ofac_csv.c - fuzz target of the OFAC legacy CSV parser: the input is
 * split at its first three 0x00 bytes into the primary, address, alternate
 * name and comments files (absent when there are fewer parts). */
#include "lists/ofac_csv.h"
#include "invariants.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *part[4] = {NULL, NULL, NULL, NULL};
	size_t len[4] = {0, 0, 0, 0};
	const char *p = size > 0 ? (const char *)data : "";
	size_t left = size;
	eg__entity_set set;
	eg__sha256 sha;
	eg__parse_ctx ctx;
	eg_error err;
	int i, have_sha, rc;

	for (i = 0; i < 4; i++) {
		const char *nul = i < 3 ? memchr(p, 0, left) : NULL;
		part[i] = p;
		len[i] = nul != NULL ? (size_t)(nul - p) : left;
		if (nul == NULL)
			break;
		left -= len[i] + 1;
		p = nul + 1;
	}
	eg__entity_set_init(&set);
	have_sha = eg__sha256_init(&sha) == 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.set = &set;
	ctx.sha = have_sha ? &sha : NULL;
	memset(&err, 0, sizeof(err));
	rc = eg__ofac_csv_parse_mem(&ctx, part[0] != NULL ? part[0] : "", len[0], part[1], len[1],
	                             part[2], len[2], part[3], len[3], &err);
	fuzz_check_or_abort(rc, &set, "ofac_csv");
	if (have_sha)
		eg__sha256_dispose(&sha);
	eg__entity_set_free(&set);
	return 0;
}
