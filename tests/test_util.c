/* test_util.c - tests of src/util: errors, allocation hook, arena, buffer,
 * SHA-256, dates. */
#include <criterion/criterion.h>
#include <string.h>
#include <stdlib.h>

#include "exportgate.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/error.h"
#include "util/hash.h"

Test(util, strerror_names_every_code)
{
	cr_assert_str_eq(eg_strerror(EG_ENOMEM), "out of memory");
	cr_assert_str_eq(eg_err_name(EG_ETOOBIG), "EG_ETOOBIG");
	cr_assert_str_eq(eg_strerror(12345), "unknown error");
	cr_assert_str_eq(eg_err_name(EG_OK), "EG_OK");
}

Test(util, error_set_and_prefix)
{
	eg_error err;

	cr_assert_eq(eg__error_set(&err, EG_EPARSE, "line %d: field %s", 3, "name"), EG_EPARSE);
	cr_assert_str_eq(err.message, "line 3: field name");
	eg__error_prefix(&err, "%s:", "sdn.csv");
	cr_assert_str_eq(err.message, "sdn.csv:line 3: field name");
	cr_assert_eq(eg__error_set(NULL, EG_EIO, "x"), EG_EIO);
}

static size_t allocs_left;
static void *failing_malloc(size_t n, void *ud) { (void)ud; if (allocs_left == 0) return NULL; allocs_left--; return malloc(n); }
static void *failing_realloc(void *p, size_t n, void *ud) { (void)ud; if (allocs_left == 0) return NULL; allocs_left--; return realloc(p, n); }
static void plain_free(void *p, void *ud) { (void)ud; free(p); }

Test(util, allocation_hook_can_fail_any_allocation)
{
	eg_allocator a = {failing_malloc, failing_realloc, plain_free, NULL};
	eg__buf b;

	eg_set_allocator(&a);
	allocs_left = 0;
	cr_assert_null(eg__malloc(10));
	eg__buf_init(&b, 100);
	cr_assert_eq(eg__buf_adds(&b, "abc"), EG_ENOMEM);
	cr_assert_eq(b.len, 0);
	allocs_left = 1;
	cr_assert_eq(eg__buf_adds(&b, "abc"), 0);
	eg_set_allocator(NULL);
	cr_assert_str_eq(eg__buf_str(&b), "abc");
	eg__buf_free(&b);
}

Test(util, buffer_cap_is_enforced)
{
	eg__buf b;

	eg__buf_init(&b, 5);
	cr_assert_eq(eg__buf_adds(&b, "12345"), 0);
	cr_assert_eq(eg__buf_addc(&b, '6'), EG_ETOOBIG);
	cr_assert_str_eq(eg__buf_str(&b), "12345");
	eg__buf_reset(&b);
	cr_assert_eq(eg__buf_printf(&b, "%d-%s", 12, "ab"), 0);
	cr_assert_str_eq(eg__buf_str(&b), "12-ab");
	cr_assert_eq(eg__buf_printf(&b, "%s", "toolong"), EG_ETOOBIG);
	eg__buf_free(&b);
	cr_assert_str_eq(eg__buf_str(&b), "");
}

Test(util, arena_aligns_and_grows)
{
	eg__arena a;
	size_t cap = 0, i;
	int *v = NULL;
	char *big;

	eg__arena_init(&a, 128);
	for (i = 0; i < 100; i++) {
		void *p = eg__arena_alloc(&a, 3);
		cr_assert_not_null(p);
		cr_assert_eq((uintptr_t)p % sizeof(void *), 0);
	}
	big = eg__arena_alloc(&a, 10000);
	cr_assert_not_null(big);
	memset(big, 1, 10000);
	for (i = 0; i < 50; i++) {
		if (i == cap)
			v = eg__arena_grow(&a, v, i, &cap, sizeof(int));
		v[i] = (int)i;
	}
	for (i = 0; i < 50; i++)
		cr_assert_eq(v[i], (int)i);
	cr_assert_str_eq(eg__arena_strndup(&a, "abcdef", 3), "abc");
	cr_assert_null(eg__arena_calloc(&a, SIZE_MAX / 2, 4));
	cr_assert_gt(a.reserved_bytes, 10000);
	eg__arena_clear(&a);
	cr_assert_eq(a.reserved_bytes, 0);
}

Test(util, arena_rewind_keeps_one_block_and_drops_the_large)
{
	eg__arena a;
	char *p, *q;

	eg__arena_init(&a, 256);
	eg__arena_rewind(&a); /* empty: nothing to keep */
	cr_assert_eq(a.reserved_bytes, 0);
	p = eg__arena_alloc(&a, 100);
	cr_assert_not_null(eg__arena_alloc(&a, 5000)); /* a large one-off block */
	cr_assert_gt(a.reserved_bytes, 5000);
	eg__arena_rewind(&a);
	cr_assert_eq(a.used_bytes, 0);
	cr_assert_lt(a.reserved_bytes, 5000, "the large block is freed");
	cr_assert_gt(a.reserved_bytes, 256, "the default block is kept");
	q = eg__arena_alloc(&a, 100);
	cr_assert_eq(q, p, "the kept block is used again from its start");
	eg__arena_clear(&a);
	cr_assert_eq(a.reserved_bytes, 0);
	/* a head of another size (a first allocation larger than a block) is
	 * not kept */
	cr_assert_not_null(eg__arena_alloc(&a, 1000));
	eg__arena_rewind(&a);
	cr_assert_eq(a.reserved_bytes, 0);
}

Test(util, sha256_known_vector)
{
	eg__sha256 h;
	char hex[65];

	cr_assert_eq(eg__sha256_init(&h), 0);
	cr_assert_eq(eg__sha256_update(&h, "abc", 3), 0);
	cr_assert_eq(eg__sha256_final(&h, hex), 0);
	cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(util, dates)
{
	char out[11];

	cr_assert(eg__date_valid("2024-02-29", 10));
	cr_assert_not(eg__date_valid("2023-02-29", 10));
	cr_assert_not(eg__date_valid("2023-13-01", 10));
	cr_assert_not(eg__date_valid("2023-1-01", 9));
	cr_assert_eq(eg__date_from_mdy(out, "11/4/2021", 9), 0);
	cr_assert_str_eq(out, "2021-11-04");
	cr_assert_eq(eg__date_from_mdy(out, "02/30/2021", 10), -1);
	cr_assert_eq(eg__date_from_mdy(out, "1/2/21", 6), -1);
	eg__date_today(out);
	cr_assert(eg__date_valid(out, 10));
	{
		/* the day kept for the second is today's, whole */
		char now[21], again[11];
		eg__date_now(now);
		eg__date_today(again);
		if (memcmp(now, again, 10) != 0) /* midnight between the two */
			eg__date_today(again), eg__date_now(now);
		cr_assert_eq(memcmp(now, again, 10), 0);
		cr_assert_eq(again[10], '\0');
	}
	cr_assert_eq(eg__date_month_end(out, 2024, 2), 0);
	cr_assert_str_eq(out, "2024-02-29");
	cr_assert_eq(eg__date_month_end(out, 2026, 2), 0);
	cr_assert_str_eq(out, "2026-02-28");
	cr_assert_eq(eg__date_month_end(out, 2021, 13), -1);
}
