/* test_index_file.c - tests of the saved, mapped index (src/match/index_file.c). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lists/entity.h"
#include "lists/format.h"
#include "match/index.h"
#include "match/index_impl.h"
#include "text/normalize.h"

#define KEY "42:03ff290ee1a0"

/* A fresh directory for one test's files, and a path in it. */
static char g_dir[64];

static void make_dir(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(g_dir, sizeof(g_dir), "%s/eg-ixfile-XXXXXX", t && strlen(t) < 40 ? t : "/tmp");
	cr_assert(mkdtemp(g_dir) != NULL);
}

static void remove_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
	cr_assert_eq(system(cmd), 0);
}

static const char *path_in(const char *name)
{
	static char p[128];
	snprintf(p, sizeof(p), "%s/%s", g_dir, name);
	return p;
}

TestSuite(index_file, .init = make_dir, .fini = remove_dir);

/* The test vectors of the Fletcher-64 article (Wikipedia, "Fletcher's
 * checksum"): ASCII strings as little-endian 32-bit words, zero-padded. */
Test(index_file, checksum_is_fletcher64)
{
	static const char *const in[] = {"abcde", "abcdef", "abcdefgh"};
	static const uint64_t want[] = {0xc8c6c527646362c6ULL, 0xc8c72b276463c8c6ULL,
	                                0x312e2b28cccac8c6ULL};
	unsigned char big[300000];
	eg__index_sum s;
	size_t i;

	for (i = 0; i < 3; i++)
		cr_assert_eq(eg__index_checksum(in[i], strlen(in[i])), want[i], "%s", in[i]);
	/* in chunks of any length, and past a reduction block, the same */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 7 + (i >> 9));
	eg__index_sum_init(&s);
	for (i = 0; i < sizeof(big);) {
		size_t k = (i % 13) + 1 < sizeof(big) - i ? (i % 13) + 1 : sizeof(big) - i;
		if (i > 1000)
			k = sizeof(big) - i < 70001 ? sizeof(big) - i : 70001;
		eg__index_sum_update(&s, big + i, k);
		i += k;
	}
	cr_assert_eq(eg__index_sum_final(&s), eg__index_checksum(big, sizeof(big)));
	big[123456] ^= 1;
	cr_assert_neq(eg__index_sum_final(&s), eg__index_checksum(big, sizeof(big)));
}

/* The SDN of 2021-07, with every entity in a country and a date. */
static eg__index *build_sdn(eg__entity_set *set)
{
	const char *dir = "data/lists/ofac_sdn_2021-07";
	const eg__format *fmt;
	eg__parse_ctx ctx;
	eg__index *ix;
	eg_error err;
	size_t i;

	eg__formats_init();
	eg__entity_set_init(set);
	memset(&ctx, 0, sizeof(ctx));
	ctx.set = set;
	fmt = eg__format_detect(dir);
	cr_assert(fmt != NULL);
	cr_assert_eq(fmt->parse(&ctx, dir, &err), 0, "%s", err.message);
	for (i = 0; i < set->n; i++) {
		eg__entity *e = &set->v[i];
		e->iso = eg__arena_calloc(&set->arena, 2, sizeof(uint16_t));
		cr_assert(e->iso != NULL);
		e->iso[0] = i % 3 == 0 ? EG__ISO_PACK('R', 'U') : EG__ISO_PACK('I', 'R');
		e->n_iso = i % 5 == 0 ? 2 : 1;
		e->iso[1] = EG__ISO_PACK('V', 'E');
	}
	cr_assert_eq(eg__index_from_set(&ix, set, &err), 0, "%s", err.message);
	return ix;
}

/* Searches q in both indexes and requires the very same answer. */
static void same_answer(const eg__index *a, const eg__index *b, const char *q,
                        const eg__search_opts *o)
{
	eg__match ma[20], mb[20];
	eg__norm norm;
	eg_error err;
	size_t na = 0, nb = 0, sa = 0, sb = 0, i, k;

	if (eg__text_normalize(&norm, q, strlen(q), &err) != 0)
		return;
	cr_assert_eq(eg__index_search(a, ma, 20, &na, &sa, &norm, o, &err), 0);
	cr_assert_eq(eg__index_search(b, mb, 20, &nb, &sb, &norm, o, &err), 0);
	cr_assert_eq(na, nb, "%s: %zu and %zu matches", q, na, nb);
	cr_assert_eq(sa, sb, "%s", q);
	for (i = 0; i < na; i++) {
		cr_assert_eq(ma[i].entity, mb[i].entity, "%s: match %zu", q, i);
		cr_assert_eq(ma[i].name_id, mb[i].name_id, "%s: match %zu", q, i);
		cr_assert_eq(ma[i].score, mb[i].score, "%s: match %zu", q, i);
		cr_assert_eq(ma[i].align.query_cover, mb[i].align.query_cover, "%s", q);
		cr_assert_eq(ma[i].align.name_cover, mb[i].align.name_cover, "%s", q);
		for (k = 0; k < norm.n; k++) {
			cr_assert_eq(ma[i].align.match[k], mb[i].align.match[k], "%s", q);
			cr_assert_eq(ma[i].align.sim[k], mb[i].align.sim[k], "%s", q);
			cr_assert_eq(ma[i].wq[k], mb[i].wq[k], "%s", q);
		}
	}
}

Test(index_file, mapped_index_answers_as_the_built_one, .timeout = 120)
{
	eg__entity_set set;
	eg__index *built = build_sdn(&set), *mapped = NULL;
	uint16_t ve = EG__ISO_PACK('V', 'E');
	eg__search_opts plain = {.min_score = 0.6};
	eg__search_opts filt = {.min_score = 0.5, .countries = &ve, .n_countries = 1,
	                        .date = 20210101, .type = EG_TYPE_INDIVIDUAL};
	eg_error err;
	size_t i, n_queries = 0;

	cr_assert_eq(eg__index_save(built, path_in("sdn.egix"), KEY, &err), 0, "%s", err.message);
	cr_assert_eq(eg__index_map(&mapped, path_in("sdn.egix"), KEY, &err), 0, "%s",
	             err.message);
	cr_assert_eq(eg__index_names(mapped), eg__index_names(built));
	cr_assert_eq(eg__index_vocabulary(mapped), eg__index_vocabulary(built));
	cr_assert_eq(eg__index_entities(mapped), set.n);
	cr_assert_eq(eg__index_memory(mapped), eg__index_memory(built));
	/* every 7th listed name as written, with a letter dropped, and its
	 * tokens reversed */
	for (i = 0; i < set.n; i += 7) {
		const char *name = set.v[i].names[0].text;
		char q[256];
		size_t len = strlen(name) < sizeof(q) - 1 ? strlen(name) : sizeof(q) - 1, cut;
		const char *sp;
		same_answer(built, mapped, name, &plain);
		same_answer(built, mapped, name, &filt);
		cut = len / 2;
		memcpy(q, name, cut);
		memcpy(q + cut, name + cut + 1, len - cut - 1);
		q[len - 1] = '\0';
		same_answer(built, mapped, q, &plain);
		sp = strchr(name, ' ');
		if (sp != NULL) {
			snprintf(q, sizeof(q), "%s %.*s", sp + 1, (int)(sp - name), name);
			same_answer(built, mapped, q, &plain);
		}
		n_queries += 4;
	}
	cr_assert_gt(n_queries, 3000);
	{
		eg__norm a, b;
		cr_assert_eq(eg__text_normalize(&a, "Nicolas Maduro", 14, &err), 0);
		cr_assert_eq(eg__text_normalize(&b, "MADURO MOROS, Nicolas", 21, &err), 0);
		cr_assert_eq(eg__index_compare(built, &a, &b), eg__index_compare(mapped, &a, &b));
		cr_assert_str_eq(eg__index_name_token(built, 5, 0), eg__index_name_token(mapped, 5, 0));
	}
	eg__index_free(mapped);
	eg__index_free(built);
	eg__entity_set_free(&set);
}

/* A small index saved into name; returns the file's size. */
static size_t save_small(const char *name)
{
	static const char *const names[] = {"MADURO MOROS, Nicolas", "BANCO NACIONAL DE CUBA",
	                                    "ACME TRADING CO., LTD.", "SMITH, John"};
	eg__index_builder *b;
	eg__index *ix;
	eg_error err;
	struct stat st;
	uint16_t cu = EG__ISO_PACK('C', 'U');
	size_t i;

	cr_assert_eq(eg__index_builder_new(&b, &err), 0);
	for (i = 0; i < 4; i++)
		cr_assert_eq(eg__index_builder_add(b, (uint32_t)i, 0, EG_TYPE_ENTITY, 0, names[i],
		                                   strlen(names[i]), &err), 0);
	cr_assert_eq(eg__index_builder_entity(b, 1, EG_TYPE_ENTITY, &cu, 1, 19600101, 0, &err), 0);
	cr_assert_eq(eg__index_builder_finish(b, &ix, &err), 0);
	cr_assert_eq(eg__index_save(ix, path_in(name), KEY, &err), 0, "%s", err.message);
	eg__index_free(ix);
	cr_assert_eq(stat(path_in(name), &st), 0);
	/* nothing left behind */
	{
		char tmp[160];
		snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path_in(name), (long)getpid());
		cr_assert_neq(access(tmp, F_OK), 0);
	}
	return (size_t)st.st_size;
}

static void patch(const char *name, long off, const void *bytes, size_t n)
{
	FILE *f = fopen(path_in(name), "r+b");

	cr_assert(f != NULL);
	cr_assert_eq(fseek(f, off, off < 0 ? SEEK_END : SEEK_SET), 0);
	cr_assert_eq(fwrite(bytes, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
}

static int map_err(const char *name, const char *key, eg_error *err)
{
	eg__index *ix = (eg__index *)1;
	int rc = eg__index_map(&ix, path_in(name), key, err);

	if (rc == 0)
		eg__index_free(ix);
	else
		cr_assert_null(ix);
	return rc;
}

Test(index_file, small_index_round_trip_keeps_entities)
{
	eg__index *ix;
	eg__match m[4];
	eg__norm norm;
	eg_error err;
	uint16_t cu = EG__ISO_PACK('C', 'U');
	eg__search_opts o = {.min_score = 0.5, .countries = &cu, .n_countries = 1,
	                     .date = 20200101};
	size_t n;

	save_small("s.egix");
	cr_assert_eq(eg__index_map(&ix, path_in("s.egix"), KEY, &err), 0, "%s", err.message);
	cr_assert_eq(eg__index_entities(ix), 4);
	cr_assert_eq(eg__text_normalize(&norm, "Banco Nacional de Cuba", 22, &err), 0);
	cr_assert_eq(eg__index_search(ix, m, 4, &n, NULL, &norm, &o, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(m[0].entity, 1);
	o.date = 19590101; /* before its listing */
	cr_assert_eq(eg__index_search(ix, m, 4, &n, NULL, &norm, &o, &err), 0);
	cr_assert_eq(n, 0);
	eg__index_free(ix);
}

static unsigned char *slurp(const char *name, size_t *size)
{
	FILE *f = fopen(path_in(name), "rb");
	unsigned char *buf;

	cr_assert(f != NULL);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	*size = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*size + 1);
	cr_assert(buf != NULL);
	cr_assert_eq(fread(buf, 1, *size, f), *size);
	fclose(f);
	return buf;
}

/* An allocator whose new blocks hold different garbage each time, so that
 * a byte the index leaves unset shows as a difference. */
static unsigned char g_garbage = 0x5A;

static void *garbage_malloc(size_t size, void *ud)
{
	void *p = malloc(size);
	(void)ud;
	if (p != NULL)
		memset(p, g_garbage++, size);
	return p;
}

static void *garbage_realloc(void *p, size_t size, void *ud)
{
	return p == NULL ? garbage_malloc(size, ud) : realloc(p, size);
}

static void garbage_free(void *p, void *ud)
{
	(void)ud;
	free(p);
}

Test(index_file, the_same_names_save_the_same_bytes)
{
	eg_allocator g = {garbage_malloc, garbage_realloc, garbage_free, NULL};
	size_t na, nb;
	unsigned char *a, *b;

	eg_set_allocator(&g);
	save_small("a.egix");
	g_garbage = 0xC3;
	save_small("b.egix");
	eg_set_allocator(NULL);
	a = slurp("a.egix", &na);
	b = slurp("b.egix", &nb);
	cr_assert_eq(na, nb);
	cr_assert_eq(memcmp(a, b, na), 0);
	free(a);
	free(b);
}

Test(index_file, a_flipped_byte_is_refused)
{
	size_t size = save_small("f.egix"), off;
	eg_error err;

	/* anywhere after the header's fixed checks: key excepted, which says stale */
	for (off = 200; off < size; off += size / 7) {
		unsigned char c;
		FILE *f = fopen(path_in("f.egix"), "rb");
		cr_assert(f != NULL);
		cr_assert_eq(fseek(f, (long)off, SEEK_SET), 0);
		cr_assert_eq(fread(&c, 1, 1, f), 1);
		fclose(f);
		c ^= 0x10;
		patch("f.egix", (long)off, &c, 1);
		cr_assert_eq(map_err("f.egix", KEY, &err), EG_EPARSE, "offset %zu", off);
		cr_assert(strstr(err.message, "checksum mismatch") != NULL, "%s", err.message);
		cr_assert(strstr(err.message, "f.egix") != NULL, "%s", err.message);
		c ^= 0x10;
		patch("f.egix", (long)off, &c, 1);
		cr_assert_eq(map_err("f.egix", KEY, &err), 0, "%s", err.message);
	}
	/* a count in the header */
	{
		unsigned char c = 0x7F;
		patch("f.egix", 64, &c, 1);
		cr_assert_eq(map_err("f.egix", KEY, &err), EG_EPARSE);
	}
}

Test(index_file, a_truncated_file_is_refused)
{
	size_t size = save_small("t.egix");
	size_t cuts[] = {size - 1, size / 2, 100, 10, 4, 0};
	eg_error err;
	size_t i;

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		cr_assert_eq(truncate(path_in("t.egix"), (off_t)cuts[i]), 0);
		cr_assert_eq(map_err("t.egix", KEY, &err), EG_EPARSE, "cut at %zu", cuts[i]);
		cr_assert(strstr(err.message, "t.egix") != NULL, "%s", err.message);
	}
}

Test(index_file, a_stale_or_missing_file_is_not_found)
{
	eg_error err;

	save_small("k.egix");
	cr_assert_eq(map_err("k.egix", "43:03ff290ee1a0", &err), EG_ENOTFOUND);
	cr_assert(strstr(err.message, "stale") != NULL, "%s", err.message);
	cr_assert_eq(map_err("k.egix", "42:03ff290ee1a", &err), EG_ENOTFOUND);
	cr_assert_eq(map_err("nosuch.egix", KEY, &err), EG_ENOTFOUND);
	cr_assert(strstr(err.message, "nosuch.egix") != NULL, "%s", err.message);
}

Test(index_file, another_format_version_is_stale_another_magic_refused)
{
	uint32_t v = 1;
	eg_error err;

	/* a file of an older build (format version 1: 32-bit hash slots) is
	 * rebuilt, like one of another key, not refused */
	save_small("v.egix");
	patch("v.egix", 8, &v, sizeof(v));
	cr_assert_eq(map_err("v.egix", KEY, &err), EG_ENOTFOUND);
	cr_assert(strstr(err.message, "stale (format version 1, this build reads 2)") != NULL, "%s",
	          err.message);
	patch("v.egix", 0, "NOTANIDX", 8);
	cr_assert_eq(map_err("v.egix", KEY, &err), EG_EPARSE);
	cr_assert(strstr(err.message, "magic") != NULL, "%s", err.message);
}

Test(index_file, saving_where_it_cannot_names_the_file)
{
	eg__index_builder *b;
	eg__index *ix;
	eg_error err;

	cr_assert_eq(eg__index_builder_new(&b, &err), 0);
	cr_assert_eq(eg__index_builder_add(b, 0, 0, EG_TYPE_ENTITY, 0, "ACME", 4, &err), 0);
	cr_assert_eq(eg__index_builder_finish(b, &ix, &err), 0);
	cr_assert_eq(eg__index_save(ix, path_in("no/such/dir/x.egix"), KEY, &err), EG_EIO);
	cr_assert(strstr(err.message, "x.egix") != NULL, "%s", err.message);
	/* an empty index saves and maps */
	cr_assert_eq(eg__index_save(ix, path_in("one.egix"), "", &err), 0, "%s", err.message);
	eg__index_free(ix);
	cr_assert_eq(eg__index_map(&ix, path_in("one.egix"), "", &err), 0, "%s", err.message);
	cr_assert_eq(eg__index_names(ix), 1);
	eg__index_free(ix);
}

/* A file whose checksum matches but whose content was not written by
 * eg__index_save: a posting past the names is refused, not followed. */
Test(index_file, a_forged_file_with_a_good_checksum_is_refused)
{
	size_t size = save_small("x.egix");
	unsigned char *buf = malloc(size);
	uint64_t table_off, post_off, sum;
	uint32_t bad = 0xFFFFFFF0u;
	eg_error err;
	FILE *f = fopen(path_in("x.egix"), "rb");

	cr_assert(f != NULL && buf != NULL);
	cr_assert_eq(fread(buf, 1, size, f), size);
	fclose(f);
	memcpy(&table_off, buf + 48, 8);           /* file_header.table_off */
	memcpy(&post_off, buf + table_off + 4 * 24 + 8, 8); /* section 4 (post): offset */
	memcpy(buf + post_off, &bad, 4);
	sum = eg__index_checksum(buf, size - 8);
	memcpy(buf + size - 8, &sum, 8);
	patch("x.egix", 0, buf, size);
	cr_assert_eq(map_err("x.egix", KEY, &err), EG_EPARSE);
	cr_assert(strstr(err.message, "out of bounds") != NULL, "%s", err.message);
	free(buf);
}

/* --- allocation failures ------------------------------------------------- */

static int alloc_countdown;

static void *failing_malloc(size_t size, void *ud)
{
	(void)ud;
	if (alloc_countdown-- == 0)
		return NULL;
	return malloc(size);
}

static void *failing_realloc(void *p, size_t size, void *ud)
{
	(void)ud;
	if (alloc_countdown-- == 0)
		return NULL;
	return realloc(p, size);
}

static void plain_free(void *p, void *ud)
{
	(void)ud;
	free(p);
}

/* Building, saving, mapping and searching with each allocation failing in
 * turn: EG_ENOMEM, never a crash or a leak (the sanitizer build checks). */
Test(index_file, every_allocation_may_fail)
{
	eg_allocator a = {failing_malloc, failing_realloc, plain_free, NULL};
	static const char *const cu[] = {"CU"};
	eg__entity_set set;
	eg__norm norm;
	eg__match m[4];
	uint16_t want = EG__ISO_PACK('C', 'U');
	eg__search_opts o = {.min_score = 0.5, .countries = &want, .n_countries = 1};
	eg_error err;
	int k, done = 0;

	eg__entity_set_init(&set);
	{
		int dup = 0;
		eg__entity *e = eg__entity_set_add(&set, "1", 1, &dup);
		cr_assert(e != NULL);
		cr_assert_eq(eg__entity_add_name(&set, e, "BANCO NACIONAL DE CUBA", 22,
		                                 EG__NAME_PRIMARY, 0), 0);
		e->iso = eg__arena_calloc(&set.arena, 1, sizeof(uint16_t));
		e->iso[0] = EG__ISO_PACK(cu[0][0], cu[0][1]);
		e->n_iso = 1;
	}
	cr_assert_eq(eg__text_normalize(&norm, "Banco Nacional Cuba", 19, &err), 0);
	for (k = 0; k < 400 && !done; k++) {
		eg__index *ix = NULL, *mx = NULL;
		size_t n = 0;
		int rc;
		eg_set_allocator(&a);
		alloc_countdown = k;
		rc = eg__index_from_set(&ix, &set, &err);
		if (rc == 0)
			rc = eg__index_save(ix, path_in("a.egix"), KEY, &err);
		if (rc == 0)
			rc = eg__index_map(&mx, path_in("a.egix"), KEY, &err);
		if (rc == 0)
			rc = eg__index_search(mx, m, 4, &n, NULL, &norm, &o, &err);
		done = alloc_countdown >= 0; /* nothing failed: every step passed */
		eg_set_allocator(NULL);
		cr_assert(rc == 0 || rc == EG_ENOMEM, "k=%d: %d %s", k, rc, err.message);
		if (rc == 0)
			cr_assert_eq(n, 1, "k=%d", k);
		eg__index_free(mx);
		eg__index_free(ix);
	}
	cr_assert(done, "still failing after %d allocations", k);
	eg__entity_set_free(&set);
}

/* Forged files (a byte changed, the checksum made to match), at many
 * places: each is refused or, if it maps, searched without reading out of
 * bounds (the sanitizer build checks) or looping forever. */
Test(index_file, forged_files_never_crash_a_search, .timeout = 120)
{
	size_t size = save_small("z.egix"), off, refused = 0;
	unsigned char *buf = malloc(size), *orig = malloc(size);
	static const char *const queries[] = {"Nicolas Maduro", "Banco Nacional de Cuba",
	                                      "Acme Trading", "J Smith", "mdr"};
	FILE *f = fopen(path_in("z.egix"), "rb");
	eg_error err;

	cr_assert(f != NULL && buf != NULL && orig != NULL);
	cr_assert_eq(fread(orig, 1, size, f), size);
	fclose(f);
	for (off = 0; off < size - 8; off += 11) {
		eg__index *ix = NULL;
		uint64_t sum;
		int rc;
		memcpy(buf, orig, size);
		buf[off] ^= 0xA5;
		sum = eg__index_checksum(buf, size - 8);
		memcpy(buf + size - 8, &sum, 8);
		patch("z.egix", 0, buf, size);
		rc = eg__index_map(&ix, path_in("z.egix"), KEY, &err);
		cr_assert(rc == 0 || rc == EG_EPARSE || rc == EG_ENOTFOUND, "offset %zu: %d", off, rc);
		if (rc != 0) {
			refused++;
			continue;
		}
		{
			uint16_t cu = EG__ISO_PACK('C', 'U');
			eg__search_opts o = {.min_score = 0.3, .countries = &cu, .n_countries = 1,
			                     .date = 20200101};
			eg__search_opts p = {.min_score = 0.0};
			eg__match m[8];
			eg__norm norm;
			size_t i, n;
			for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
				cr_assert_eq(eg__text_normalize(&norm, queries[i], strlen(queries[i]), &err),
				             0);
				cr_assert_eq(eg__index_search(ix, m, 8, &n, NULL, &norm, &p, &err), 0);
				cr_assert_eq(eg__index_search(ix, m, 8, &n, NULL, &norm, &o, &err), 0);
			}
		}
		eg__index_free(ix);
	}
	cr_assert_gt(refused, 10);
	free(buf);
	free(orig);
}
