/* parse_helpers.c - the fixture shared by the list parsers' test suites. */
#include <criterion/criterion.h>

#include "parse_helpers.h"
#include "util/alloc.h"

#include <stdio.h>
#include <string.h>

eg__entity_set ph_set;
eg_error ph_err;
char ph_digest[65];
int ph_n_warn;
char ph_last_warn[512];

static void on_warn(void *ud, const char *message)
{
	(void)ud;
	ph_n_warn++;
	snprintf(ph_last_warn, sizeof(ph_last_warn), "%s", message);
}

void ph_setup(void)
{
	eg__entity_set_init(&ph_set);
	memset(&ph_err, 0, sizeof(ph_err));
	ph_digest[0] = '\0';
	ph_n_warn = 0;
	ph_last_warn[0] = '\0';
}

void ph_teardown(void)
{
	eg__entity_set_free(&ph_set);
}

void ph_init_ctx(eg__parse_ctx *ctx, eg__sha256 *sha)
{
	if (sha != NULL)
		cr_assert_eq(eg__sha256_init(sha), 0);
	memset(ctx, 0, sizeof(*ctx));
	ctx->set = &ph_set;
	ctx->sha = sha;
	ctx->warn = on_warn;
}

int ph_parse_path(const eg__format *fmt, const char *path)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	ph_init_ctx(&ctx, &sha);
	rc = fmt->parse(&ctx, path, &ph_err);
	cr_assert_eq(eg__sha256_final(&sha, ph_digest), 0);
	return rc;
}

int ph_parse_mem(ph_parse_mem_fn fn, const char *text, const char *name)
{
	eg__sha256 sha;
	eg__parse_ctx ctx;
	int rc;

	ph_init_ctx(&ctx, &sha);
	rc = fn(&ctx, text, strlen(text), name, &ph_err);
	cr_assert_eq(eg__sha256_final(&sha, ph_digest), 0);
	return rc;
}

void ph_file_digest(const char *path, char hex[65])
{
	eg__sha256 sha;
	eg_error e;
	char *data = NULL;
	size_t len = 0;

	cr_assert_eq(eg__sha256_init(&sha), 0);
	cr_assert_eq(eg__read_file(&data, &len, path, &sha, &e), 0, "%s", e.message);
	cr_assert_eq(eg__sha256_final(&sha, hex), 0);
	eg__free(data);
}

const eg__entity *ph_get(const char *uid)
{
	const eg__entity *e = eg__entity_set_find(&ph_set, uid, strlen(uid));

	cr_assert_not_null(e, "no entity %s", uid);
	return e;
}

const eg__name *ph_name_of(const eg__entity *e, const char *text)
{
	size_t i;

	for (i = 0; i < e->n_names; i++)
		if (strcmp(e->names[i].text, text) == 0)
			return &e->names[i];
	return NULL;
}

int ph_has_name(const eg__entity *e, const char *text, eg__name_kind kind)
{
	size_t i;

	for (i = 0; i < e->n_names; i++)
		if (strcmp(e->names[i].text, text) == 0 && e->names[i].kind == kind)
			return 1;
	return 0;
}

int ph_has(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

void ph_expect_error(const eg__format *fmt, const char *dir, const char *file, int code,
                     const char *where, const char *what)
{
	char path[256];

	snprintf(path, sizeof(path), "%s%s", dir, file);
	cr_assert_eq(ph_parse_path(fmt, path), code, "%s: %s", file, ph_err.message);
	cr_assert_eq(ph_err.code, code);
	cr_assert(strstr(ph_err.message, where) != NULL, "want \"%s\" in: %s", where, ph_err.message);
	cr_assert(strstr(ph_err.message, what) != NULL, "want \"%s\" in: %s", what, ph_err.message);
}
