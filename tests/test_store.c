/* test_store.c - opening a store by URI (src/store/store.c). */
#include <criterion/criterion.h>

#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];
static char db_path[300];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/eg-store-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/store.db", dir);
}

static void remove_dir(void)
{
	const char *sfx[] = {"", "-wal", "-shm"};
	char p[400];
	size_t k;

	for (k = 0; k < 3; k++) {
		snprintf(p, sizeof(p), "%s%s", db_path, sfx[k]);
		unlink(p);
	}
	rmdir(dir);
}

TestSuite(store, .init = make_dir, .fini = remove_dir);

static void open_ok(const char *uri, int read_only)
{
	eg__store *st = NULL;
	eg_error err = {0};

	cr_assert_eq(eg__store_open(&st, uri, read_only, &err), 0, "%s: %s", uri, err.message);
	cr_assert_not_null(st);
	cr_assert_not_null(eg__store_sqlite_db(st));
	eg__store_close(st);
}

static void open_fails(const char *uri, int code, const char *message)
{
	eg__store *st = (eg__store *)&st;
	eg_error err = {0};

	cr_assert_eq(eg__store_open(&st, uri, 0, &err), code, "%s: %s", uri, err.message);
	cr_assert_null(st);
	cr_assert_not_null(strstr(err.message, message), "%s: %s", uri, err.message);
	cr_assert_null(strstr(err.message, "secret"), "a password is never echoed: %s",
	               err.message);
}

Test(store, sqlite_uri_and_plain_path_open_one_store)
{
	char uri[400];

	snprintf(uri, sizeof(uri), "sqlite:%s", db_path);
	open_ok(uri, 0);
	open_ok(db_path, 1);
	snprintf(uri, sizeof(uri), "sqlite://%s", db_path);
	open_ok(uri, 1);
}

Test(store, other_schemes_are_refused)
{
	open_fails("postgresql://eg:secret@db.example/eg", EG_EUNSUPPORTED,
	           "PostgreSQL store: not built yet");
	open_fails("postgres://eg:secret@db.example/eg", EG_EUNSUPPORTED,
	           "PostgreSQL store: not built yet");
	open_fails("mysql://eg:secret@db.example/eg", EG_EUNSUPPORTED, "unknown scheme \"mysql\"");
	open_fails("sqlite:", EG_EINVAL, "no path");
	open_fails("", EG_EINVAL, "empty");
}
