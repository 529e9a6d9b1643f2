/* test_sqlite.c - tests of the SQLite store: round trip, as-of, duplicates, atomicity, bad files. */
#include <criterion/criterion.h>

#include "store/store.h"
#include "store_fixture.h"
#include "util/alloc.h"
#include "util/hash.h"

#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[256];
static char db_path[300];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/eg-sqlite-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/store.db", dir);
}

/* Removes every file of the temporary directory, then the directory. */
static void remove_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char p[600];

	if (d == NULL)
		return;
	while ((ent = readdir(d)) != NULL) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, ent->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

TestSuite(sqlite, .init = make_dir, .fini = remove_dir);

static eg__store *open_store(int read_only)
{
	eg__store *st = NULL;
	eg_error err = {0};
	int rc = eg__store_open_sqlite(&st, db_path, read_only, &err);

	cr_assert_eq(rc, 0, "open: %s", err.message);
	cr_assert_not_null(st);
	return st;
}

/* A digest of every row of every table (and the schema), read through a
 * separate connection, so a failed import can be shown to change nothing. */
static void store_digest(char hex[65])
{
	sqlite3 *db = NULL;
	sqlite3_stmt *tables = NULL;
	eg__sha256 h;

	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(eg__sha256_init(&h), 0);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_master ORDER BY name",
	                                -1, &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		const char *sql = (const char *)sqlite3_column_text(tables, 1);
		char q[256];
		sqlite3_stmt *rows = NULL;
		long nrows = 0;

		eg__sha256_update(&h, name, strlen(name) + 1);
		if (sql != NULL)
			eg__sha256_update(&h, sql, strlen(sql) + 1);
		if (sql == NULL || strncmp(sql, "CREATE TABLE", 12) != 0)
			continue;
		snprintf(q, sizeof(q), "SELECT * FROM \"%s\"", name);
		cr_assert_eq(sqlite3_prepare_v2(db, q, -1, &rows, NULL), SQLITE_OK);
		while (sqlite3_step(rows) == SQLITE_ROW) {
			int c, nc = sqlite3_column_count(rows);
			for (c = 0; c < nc; c++) {
				unsigned char type = (unsigned char)sqlite3_column_type(rows, c);
				const unsigned char *t = sqlite3_column_text(rows, c);
				eg__sha256_update(&h, &type, 1);
				if (t != NULL)
					eg__sha256_update(&h, t, (size_t)sqlite3_column_bytes(rows, c) + 1);
			}
			nrows++;
		}
		sqlite3_finalize(rows);
		eg__sha256_update(&h, &nrows, sizeof(nrows));
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	cr_assert_eq(eg__sha256_final(&h, hex), 0);
}

static size_t count_rows(const char *table)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	char q[128];
	size_t n;

	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	snprintf(q, sizeof(q), "SELECT count(*) FROM %s", table);
	cr_assert_eq(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	n = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

Test(sqlite, round_trip_every_field)
{
	eg__store *st = open_store(0);
	eg__entity_set in, out, again;
	eg_list_version v = version_of("us-ofac-sdn", "2024-05-01", 'a');
	eg_list_version got;
	eg_error err = {0};
	size_t i;

	build_set(&in);
	add_ok(st, &v, &in);
	cr_assert_gt(v.id, 0);
	cr_assert_eq(v.entities, 3);
	cr_assert_eq(v.names, 8);
	cr_assert_eq(v.created, 1);
	cr_assert_eq(strlen(v.imported), 20, "imported %s", v.imported);
	for (i = 0; i < 20; i++) {
		const char *shape = "dddd-dd-ddTdd:dd:ddZ";
		if (shape[i] == 'd')
			cr_assert(v.imported[i] >= '0' && v.imported[i] <= '9', "imported %s", v.imported);
		else
			cr_assert_eq(v.imported[i], shape[i], "imported %s", v.imported);
	}

	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), 0, "%s", err.message);
	assert_sets_equal(&in, &out);
	cr_assert_str_eq(out.published, "2024-05-01");

	cr_assert_eq(eg__store_version_by_id(st, &got, v.id, &err), 0, "%s", err.message);
	assert_version_eq(&got, &v);
	eg__store_close(st);

	/* A second connection, read-only, sees the committed version. */
	st = open_store(1);
	eg__entity_set_init(&again);
	cr_assert_eq(eg__store_load(st, &again, v.id, &err), 0, "%s", err.message);
	assert_sets_equal(&in, &again);
	eg__store_close(st);

	eg__entity_set_free(&in);
	eg__entity_set_free(&out);
	eg__entity_set_free(&again);
}

Test(sqlite, durability_settings_and_schema_version)
{
	eg__store *st = open_store(0);
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;

	eg__store_close(st);
	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(s, 0), 4);
	sqlite3_finalize(s);
	sqlite3_close(db);

	/* Reopening an existing store keeps it (no re-creation error). */
	st = open_store(0);
	eg__store_close(st);
}

Test(sqlite, load_keeps_large_order)
{
	eg__store *st = open_store(0);
	eg__entity_set in, out;
	eg_list_version v = version_of("un-sc", "", 'b');
	eg_error err = {0};

	build_plain(&in, 3000, "x");
	add_ok(st, &v, &in);
	cr_assert_eq(v.names, 6000);
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), 0, "%s", err.message);
	assert_sets_equal(&in, &out);
	cr_assert_null(out.published, "unknown publication date stays unset");
	eg__entity_set_free(&in);
	eg__entity_set_free(&out);
	eg__store_close(st);
}

Test(sqlite, empty_version_and_missing_version)
{
	eg__store *st = open_store(0);
	eg__entity_set in, out;
	eg_list_version v = version_of("eu-fsf", "2024-01-01", 'c');
	eg_error err = {0};

	eg__entity_set_init(&in);
	add_ok(st, &v, &in);
	cr_assert_eq(v.entities, 0);
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), 0, "%s", err.message);
	cr_assert_eq(out.n, 0);
	cr_assert_eq(eg__store_load(st, &out, v.id + 100, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
	cr_assert_eq(eg__store_version_by_id(st, &v, 9999, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "9999"), "%s", err.message);
	eg__entity_set_free(&in);
	eg__entity_set_free(&out);
	eg__store_close(st);
}

Test(sqlite, as_of_two_versions)
{
	eg__store *st = open_store(0);
	eg__entity_set a, b, other;
	/* The later publication is imported first: order is by date, not id. */
	eg_list_version v2 = version_of("us-ofac-sdn", "2024-03-05", '2');
	eg_list_version v1 = version_of("us-ofac-sdn", "2024-01-10", '1');
	eg_list_version vo = version_of("us-csl", "2025-01-01", '3');
	eg_list_version got;
	eg_error err = {0};

	build_plain(&a, 3, "a");
	build_plain(&b, 4, "b");
	build_plain(&other, 2, "o");
	add_ok(st, &v2, &b);
	add_ok(st, &v1, &a);
	add_ok(st, &vo, &other);
	cr_assert_gt(v1.id, v2.id);

	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2024-01-09", &err),
	             EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "us-ofac-sdn"), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "2024-01-09"), "%s", err.message);

	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2024-01-10", &err), 0);
	cr_assert_eq(got.id, v1.id, "published on the day is in force");
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2024-02-15", &err), 0);
	cr_assert_eq(got.id, v1.id);
	cr_assert_eq(got.entities, 3);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2024-03-05", &err), 0);
	cr_assert_eq(got.id, v2.id);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2099-12-31", &err), 0);
	cr_assert_eq(got.id, v2.id);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", NULL, &err), 0);
	cr_assert_eq(got.id, v2.id, "newest by publication date, not by import order");
	cr_assert_str_eq(got.published, "2024-03-05");

	cr_assert_eq(eg__store_version_as_of(st, &got, "no-such-source", NULL, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "no-such-source"), "%s", err.message);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2024-1-9", &err), EG_EINVAL);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", "2024-01-09x", &err),
	             EG_EINVAL);

	eg__entity_set_free(&a);
	eg__entity_set_free(&b);
	eg__entity_set_free(&other);
	eg__store_close(st);
}

Test(sqlite, as_of_without_publication_date_uses_import_day)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version v = version_of("un-sc", "", 'd');
	eg_list_version old = version_of("un-sc", "2001-01-01", 'e');
	eg_list_version got;
	eg_error err = {0};
	char day[11];

	build_plain(&a, 1, "u");
	add_ok(st, &v, &a);
	add_ok(st, &old, &a);
	today(day);
	cr_assert_eq(eg__store_version_as_of(st, &got, "un-sc", day, &err), 0, "%s", err.message);
	cr_assert_eq(got.id, v.id);
	cr_assert_str_eq(got.published, "");
	cr_assert_eq(eg__store_version_as_of(st, &got, "un-sc", NULL, &err), 0);
	cr_assert_eq(got.id, v.id);
	cr_assert_eq(eg__store_version_as_of(st, &got, "un-sc", "2010-06-01", &err), 0);
	cr_assert_eq(got.id, old.id);
	cr_assert_eq(eg__store_version_as_of(st, &got, "un-sc", "2000-12-31", &err), EG_ENOTFOUND);
	eg__entity_set_free(&a);
	eg__store_close(st);
}

Test(sqlite, versions_ordered_by_source_then_newest)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version vs[4] = {
		version_of("us-ofac-sdn", "2024-01-10", '1'),
		version_of("un-sc", "2023-05-01", '2'),
		version_of("us-ofac-sdn", "2024-03-05", '3'),
		version_of("un-sc", "2024-02-01", '4'),
	};
	eg_list_version *list = NULL;
	size_t n = 99, i;
	eg_error err = {0};

	cr_assert_eq(eg__store_versions(st, &list, &n, &err), 0);
	cr_assert_eq(n, 0);
	eg__free(list);

	build_plain(&a, 2, "v");
	for (i = 0; i < 4; i++)
		add_ok(st, &vs[i], &a);
	cr_assert_eq(eg__store_versions(st, &list, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 4);
	cr_assert_eq(list[0].id, vs[3].id);
	cr_assert_eq(list[1].id, vs[1].id);
	cr_assert_eq(list[2].id, vs[2].id);
	cr_assert_eq(list[3].id, vs[0].id);
	cr_assert_str_eq(list[0].source, "un-sc");
	cr_assert_str_eq(list[0].format, "ofac-csv");
	cr_assert_str_eq(list[0].sha256, vs[3].sha256);
	cr_assert_eq(list[0].entities, 2);
	cr_assert_eq(list[0].names, 4);
	eg__free(list);
	eg__entity_set_free(&a);
	eg__store_close(st);
}

Test(sqlite, find_version_by_sha)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version v = version_of("us-csl", "2024-06-01", 'f');
	eg_list_version got;
	eg_error err = {0};
	char other[65];

	build_plain(&a, 2, "f");
	add_ok(st, &v, &a);
	cr_assert_eq(eg__store_find_version(st, &got, "us-csl", v.sha256, &err), 0, "%s",
	             err.message);
	cr_assert_eq(got.id, v.id);
	cr_assert_str_eq(got.imported, v.imported);
	cr_assert_eq(eg__store_find_version(st, &got, "us-ofac-sdn", v.sha256, &err), EG_ENOTFOUND);
	memset(other, '0', 64);
	other[64] = '\0';
	cr_assert_eq(eg__store_find_version(st, &got, "us-csl", other, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "us-csl"), "%s", err.message);
	eg__entity_set_free(&a);
	eg__store_close(st);
}

Test(sqlite, duplicate_content_rejected_cleanly)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version v = version_of("us-csl", "2024-06-01", 'f');
	eg_list_version dup = version_of("us-csl", "2024-07-01", 'f');
	eg_list_version same_sha_other_source = version_of("uk-hmt", "2024-07-01", 'f');
	eg_error err = {0};
	char before[65], after[65];

	build_plain(&a, 5, "d");
	add_ok(st, &v, &a);
	store_digest(before);
	dup.id = -5;
	cr_assert_eq(eg__store_add_version(st, &dup, &a, &err), EG_EEXISTS);
	cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "us-csl"), "%s", err.message);
	cr_assert_eq(dup.id, -5, "the version is untouched on failure");
	cr_assert_eq(dup.imported[0], '\0');
	store_digest(after);
	cr_assert_str_eq(before, after);
	add_ok(st, &same_sha_other_source, &a);
	cr_assert_eq(count_rows("list_version"), 2);
	eg__entity_set_free(&a);
	eg__store_close(st);
}

Test(sqlite, invalid_version_fields_rejected)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version v = version_of("us-csl", "2024/06/01", 'f');
	eg_error err = {0};

	build_plain(&a, 1, "i");
	cr_assert_eq(eg__store_add_version(st, &v, &a, &err), EG_EINVAL);
	v = version_of("us-csl", "2024-06-01", 'F');
	cr_assert_eq(eg__store_add_version(st, &v, &a, &err), EG_EINVAL);
	v = version_of("", "2024-06-01", 'f');
	cr_assert_eq(eg__store_add_version(st, &v, &a, &err), EG_EINVAL);
	cr_assert_eq(count_rows("list_version"), 0);
	cr_assert_eq(count_rows("entity"), 0);
	eg__entity_set_free(&a);
	eg__store_close(st);
}

enum breakage { BREAK_DUP_UID, BREAK_NULL_ATTR_KEY };

/* Imports a set broken on its last entity, after thousands of rows were
 * written, and checks the store is logically unchanged and still usable. */
static void check_atomic(enum breakage how)
{
	eg__store *st = open_store(0);
	eg__entity_set good, bad;
	eg_list_version v0 = version_of("us-ofac-sdn", "2024-01-10", '1');
	eg_list_version v = version_of("us-ofac-sdn", "2024-02-10", '2');
	eg_list_version later = version_of("us-ofac-sdn", "2024-03-10", '3');
	eg_list_version *before_list = NULL, *after_list = NULL;
	size_t n_before = 0, n_after = 0;
	eg_error err = {0};
	char before[65], after[65];
	eg__entity *last;
	int rc;

	build_plain(&good, 10, "g");
	add_ok(st, &v0, &good);
	cr_assert_eq(eg__store_versions(st, &before_list, &n_before, &err), 0);
	store_digest(before);

	build_plain(&bad, 2000, "b");
	last = &bad.v[bad.n - 1];
	if (how == BREAK_DUP_UID) {
		last->uid = bad.v[0].uid; /* bypasses the set's own uid check */
	} else {
		cr_assert_eq(eg__entity_add_attr(&bad, last, "k", "v", 1), 0);
		last->attrs[0].key = NULL;
	}
	v.id = -7;
	rc = eg__store_add_version(st, &v, &bad, &err);
	cr_assert_eq(rc, EG_ESTORE, "rc %d: %s", rc, err.message);
	cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "entity 2000"), "%s", err.message);
	cr_assert_eq(v.id, -7);

	store_digest(after);
	cr_assert_str_eq(before, after, "a failed import left rows behind");
	cr_assert_eq(eg__store_versions(st, &after_list, &n_after, &err), 0);
	cr_assert_eq(n_after, n_before);
	for (size_t i = 0; i < n_before; i++)
		assert_version_eq(&before_list[i], &after_list[i]);
	cr_assert_eq(count_rows("entity"), 10);
	cr_assert_eq(count_rows("name"), 20);

	/* No transaction is left open: the next import works. */
	add_ok(st, &later, &good);
	cr_assert_eq(count_rows("list_version"), 2);
	eg__free(before_list);
	eg__free(after_list);
	eg__entity_set_free(&good);
	eg__entity_set_free(&bad);
	eg__store_close(st);
}

Test(sqlite, atomic_on_duplicate_uid)
{
	check_atomic(BREAK_DUP_UID);
}

Test(sqlite, atomic_on_invalid_row)
{
	check_atomic(BREAK_NULL_ATTR_KEY);
}

Test(sqlite, read_only_missing_file_fails_cleanly)
{
	eg__store *st = (eg__store *)&st;
	eg_error err = {0};
	struct stat sb;
	int rc = eg__store_open_sqlite(&st, db_path, 1, &err);

	cr_assert_lt(rc, 0);
	cr_assert_null(st);
	cr_assert_eq(err.code, rc);
	cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
	cr_assert_neq(stat(db_path, &sb), 0, "read-only open must not create the file");
}

Test(sqlite, read_only_store_refuses_writes)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version v = version_of("us-csl", "2024-06-01", 'f');
	eg_list_version got;
	eg_error err = {0};

	build_plain(&a, 2, "r");
	add_ok(st, &v, &a);
	eg__store_close(st);
	st = open_store(1);
	v = version_of("us-csl", "2024-07-01", 'e');
	cr_assert_lt(eg__store_add_version(st, &v, &a, &err), 0);
	cr_assert_not_null(strstr(err.message, "read-only"), "%s", err.message);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-csl", NULL, &err), 0, "%s", err.message);
	cr_assert_str_eq(got.published, "2024-06-01");
	eg__entity_set_free(&a);
	eg__store_close(st);
}

static void write_garbage(void)
{
	FILE *f = fopen(db_path, "wb");
	size_t i;

	cr_assert_not_null(f);
	for (i = 0; i < 300; i++)
		fputs("this is not an SQLite database; ", f);
	fclose(f);
}

Test(sqlite, garbage_file_named_in_error)
{
	eg__store *st = NULL;
	eg_error err = {0};
	char before[65], after[65];
	int ro;

	write_garbage();
	{
		FILE *f = fopen(db_path, "rb");
		char buf[64];
		cr_assert_not_null(f);
		cr_assert_eq(fread(buf, 1, sizeof(buf), f), sizeof(buf));
		fclose(f);
		memcpy(before, buf, sizeof(before) - 1);
		before[64] = '\0';
	}
	for (ro = 0; ro <= 1; ro++) {
		int rc = eg__store_open_sqlite(&st, db_path, ro, &err);
		cr_assert_eq(rc, EG_ESTORE, "read_only=%d rc=%d %s", ro, rc, err.message);
		cr_assert_null(st);
		cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
		cr_assert_not_null(strstr(err.message, "not a database"), "%s", err.message);
	}
	{
		FILE *f = fopen(db_path, "rb");
		cr_assert_not_null(f);
		cr_assert_eq(fread(after, 1, 64, f), 64);
		fclose(f);
		after[64] = '\0';
	}
	cr_assert_str_eq(before, after, "the foreign file is left alone");
}

Test(sqlite, newer_schema_refused)
{
	eg__store *st = open_store(0);
	sqlite3 *db = NULL;
	eg_error err = {0};

	eg__store_close(st);
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = NULL;
	cr_assert_eq(eg__store_open_sqlite(&st, db_path, 0, &err), EG_EUNSUPPORTED);
	cr_assert_null(st);
	cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "99"), "%s", err.message);
}

Test(sqlite, missing_directory_fails_cleanly)
{
	eg__store *st = NULL;
	eg_error err = {0};
	char p[400];

	snprintf(p, sizeof(p), "%s/no/such/dir/store.db", dir);
	cr_assert_eq(eg__store_open_sqlite(&st, p, 0, &err), EG_ESTORE, "%s", err.message);
	cr_assert_null(st);
	cr_assert_not_null(strstr(err.message, p), "%s", err.message);
	eg__store_close(NULL);
}

/* The allocation hook: fails the allocation numbered fail_at (0-based). */
static long alloc_count, fail_at = -1;

static void *failing_malloc(size_t size, void *ud)
{
	(void)ud;
	return alloc_count++ == fail_at ? NULL : malloc(size);
}

static void *failing_realloc(void *p, size_t size, void *ud)
{
	(void)ud;
	return alloc_count++ == fail_at ? NULL : realloc(p, size);
}

static void plain_free(void *p, void *ud)
{
	(void)ud;
	free(p);
}

static void fail_allocation(long n)
{
	eg_allocator a = {failing_malloc, failing_realloc, plain_free, NULL};

	alloc_count = 0;
	fail_at = n;
	eg_set_allocator(&a);
}

Test(sqlite, allocation_failures_fail_cleanly)
{
	eg__store *st = open_store(0);
	eg__entity_set in, out;
	eg_list_version v = version_of("us-ofac-sdn", "2024-05-01", 'a');
	eg_list_version *list = NULL;
	size_t n = 0;
	eg_error err = {0};
	long i;
	int rc, succeeded = 0;

	build_plain(&in, 1500, "m");
	add_ok(st, &v, &in);
	eg__store_close(st);

	for (i = 0; !succeeded && i < 10000; i++) {
		st = (eg__store *)&st;
		fail_allocation(i);
		rc = eg__store_open_sqlite(&st, db_path, 1, &err);
		if (rc == 0) {
			eg__entity_set_init(&out);
			rc = eg__store_load(st, &out, v.id, &err);
			if (rc == 0) {
				rc = eg__store_versions(st, &list, &n, &err);
				eg__free(list);
			}
			eg_set_allocator(NULL);
			if (rc == 0) {
				assert_sets_equal(&in, &out);
				succeeded = 1;
			}
			eg__entity_set_free(&out);
			eg__store_close(st);
		} else {
			eg_set_allocator(NULL);
			cr_assert_null(st);
		}
		eg_set_allocator(NULL);
		if (!succeeded) {
			cr_assert_eq(rc, EG_ENOMEM, "allocation %ld: rc %d: %s", i, rc, err.message);
			cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
		}
	}
	cr_assert(succeeded, "no run got through");
	cr_assert_gt(i, 10, "the loop failed several allocations before succeeding");
	eg__entity_set_free(&in);
}

/* Entity ids of versions interleave only if something other than
 * eg__store_add_version wrote them; loading must still be exact. (That
 * writer updates the version's count and records no digest: rows added
 * behind the version's record are damage, see test_store_damage.c.) */
Test(sqlite, load_with_interleaved_entity_ids)
{
	eg__store *st = open_store(0);
	eg__entity_set a, b, out;
	eg_list_version va = version_of("us-csl", "2024-01-01", '1');
	eg_list_version vb = version_of("us-csl", "2024-02-01", '2');
	eg_error err = {0};
	sqlite3 *db = NULL;
	char sql[512];
	eg__entity *e;

	build_plain(&a, 3, "a");
	build_plain(&b, 3, "b");
	add_ok(st, &va, &a);
	add_ok(st, &vb, &b);
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO entity (id, version_id, uid, type) VALUES (1000, %lld, 'late', 1);"
	         "INSERT INTO name VALUES (1000, 0, 'LATE ENTRY', 0, 0);"
	         /* that writer keeps the version's record true (no digest) */
	         "UPDATE list_version SET entities = 4, rows_sha256 = NULL WHERE id = %lld;",
	         (long long)va.id, (long long)va.id);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);

	e = eg__entity_set_add(&a, "late", 4, NULL);
	cr_assert_not_null(e);
	e->type = EG_TYPE_INDIVIDUAL;
	add_name(&a, e, "LATE ENTRY", EG__NAME_PRIMARY, 0);
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, va.id, &err), 0, "%s", err.message);
	assert_sets_equal(&a, &out);
	eg__entity_set_free(&a);
	eg__entity_set_free(&b);
	eg__entity_set_free(&out);
	eg__store_close(st);
}

/* ---- schema 2: carries, unknown type ---- */

Test(sqlite, carries_stored_as_given_and_read_everywhere)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version v = version_of("us-ofac-sdn", "2024-05-01", 'a');
	eg_list_version got, *list = NULL;
	size_t n = 0;
	eg_error err = {0};
	unsigned flags = EG_CARRIES_ALIASES | EG_CARRIES_PROGRAMS;

	build_plain(&a, 2, "c");
	v.carries = EG_CARRIES_ALL + 1;
	cr_assert_eq(eg__store_add_version(st, &v, &a, &err), EG_EINVAL);
	cr_assert_not_null(strstr(err.message, "carries"), "%s", err.message);
	v.carries = flags;
	add_ok(st, &v, &a);
	cr_assert_eq(eg__store_version_by_id(st, &got, v.id, &err), 0);
	cr_assert_eq(got.carries, flags);
	cr_assert_eq(eg__store_version_as_of(st, &got, "us-ofac-sdn", NULL, &err), 0);
	cr_assert_eq(got.carries, flags);
	cr_assert_eq(eg__store_find_version(st, &got, "us-ofac-sdn", v.sha256, &err), 0);
	cr_assert_eq(got.carries, flags);
	cr_assert_eq(eg__store_versions(st, &list, &n, &err), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(list[0].carries, flags);
	eg__free(list);
	eg__entity_set_free(&a);
	eg__store_close(st);
}

Test(sqlite, unknown_type_round_trips)
{
	eg__store *st = open_store(0);
	eg__entity_set a, out;
	eg_list_version v = version_of("us-bis-dpl", "2024-05-01", 'a');
	eg_error err = {0};

	build_plain(&a, 3, "t");
	a.v[1].type = EG_TYPE_UNKNOWN;
	add_ok(st, &v, &a);
	eg__entity_set_init(&out);
	cr_assert_eq(eg__store_load(st, &out, v.id, &err), 0, "%s", err.message);
	assert_sets_equal(&a, &out);
	cr_assert_eq(out.v[1].type, EG_TYPE_UNKNOWN);
	eg__entity_set_free(&a);
	eg__entity_set_free(&out);
	eg__store_close(st);
}

/* ---- previous version ---- */

Test(sqlite, previous_version_by_as_of_order)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	/* Imported out of date order, two on one day: (date, id) decides. */
	eg_list_version v3 = version_of("us-ofac-sdn", "2024-03-01", '3');
	eg_list_version v1 = version_of("us-ofac-sdn", "2024-01-01", '1');
	eg_list_version v2a = version_of("us-ofac-sdn", "2024-02-01", '2');
	eg_list_version v2b = version_of("us-ofac-sdn", "2024-02-01", '4');
	eg_list_version other = version_of("us-csl", "2024-02-15", '5');
	eg_list_version got, bogus;
	eg_error err = {0};
	char want[128];

	build_plain(&a, 1, "p");
	add_ok(st, &v3, &a);
	add_ok(st, &v1, &a);
	add_ok(st, &v2a, &a);
	add_ok(st, &v2b, &a);
	add_ok(st, &other, &a);
	cr_assert_eq(eg__store_previous_version(st, &got, &v3, &err), 0, "%s", err.message);
	cr_assert_eq(got.id, v2b.id, "the later import of the same day is newer");
	cr_assert_eq(eg__store_previous_version(st, &got, &v2b, &err), 0);
	cr_assert_eq(got.id, v2a.id);
	cr_assert_eq(eg__store_previous_version(st, &got, &v2a, &err), 0);
	cr_assert_eq(got.id, v1.id);
	cr_assert_str_eq(got.published, "2024-01-01");
	got.id = -5;
	cr_assert_eq(eg__store_previous_version(st, &got, &v1, &err), EG_ENOTFOUND);
	cr_assert_eq(got.id, -5, "out untouched on error");
	snprintf(want, sizeof(want), "us-ofac-sdn: version %lld is the oldest", (long long)v1.id);
	cr_assert_str_eq(err.message, want);
	cr_assert_eq(eg__store_previous_version(st, &got, &other, &err), EG_ENOTFOUND);

	bogus = v3;
	bogus.id = 999;
	cr_assert_eq(eg__store_previous_version(st, &got, &bogus, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "999"), "%s", err.message);
	bogus = v3;
	snprintf(bogus.source, sizeof(bogus.source), "us-csl");
	cr_assert_eq(eg__store_previous_version(st, &got, &bogus, &err), EG_EINVAL);
	eg__entity_set_free(&a);
	eg__store_close(st);
}

/* ---- change detection ---- */

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int changed_of(eg__store *st)
{
	eg_error err = {0};
	int c = -1;

	cr_assert_eq(eg__store_changed(st, &c, &err), 0, "%s", err.message);
	return c;
}

Test(sqlite, changed_sees_every_commit_once)
{
	eg__store *a = open_store(0), *b = open_store(0), *r;
	eg__entity_set s;
	eg_list_version v1 = version_of("un-sc", "2024-01-01", '1');
	eg_list_version v2 = version_of("un-sc", "2024-02-01", '2');
	eg_list_version v3 = version_of("un-sc", "2024-03-01", '3');
	eg_list_version bad = v1;
	eg_error err = {0};
	sqlite3 *db = NULL;
	double t0, t1;
	int i, n = 20000;

	r = open_store(1);
	build_plain(&s, 2, "d");
	cr_assert_eq(changed_of(a), 0, "first call after open");
	cr_assert_eq(changed_of(a), 0);
	add_ok(b, &v1, &s); /* another handle */
	cr_assert_eq(changed_of(a), 1);
	cr_assert_eq(changed_of(a), 0, "reported once");
	cr_assert_eq(changed_of(r), 1, "a read-only handle sees it too");
	add_ok(a, &v2, &s); /* this handle's own commit */
	cr_assert_eq(changed_of(a), 1);
	cr_assert_eq(changed_of(a), 0);
	cr_assert_eq(changed_of(b), 1);
	cr_assert_eq(eg__store_add_version(a, &bad, &s, &err), EG_EEXISTS);
	cr_assert_eq(changed_of(a), 0, "a rolled-back import is no change");
	cr_assert_eq(changed_of(b), 0);
	/* Another process's connection, writing directly. */
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 4", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(changed_of(a), 1);
	cr_assert_eq(changed_of(b), 1);
	add_ok(b, &v3, &s);
	cr_assert_eq(changed_of(r), 1);

	t0 = now_us();
	for (i = 0; i < n; i++)
		changed_of(a);
	t1 = now_us();
	cr_log_info("eg__store_changed: %.2f us per call (%d calls)", (t1 - t0) / n, n);
	fprintf(stderr, "measure: eg__store_changed %.2f us per call (%d calls)\n", (t1 - t0) / n, n);
	eg__entity_set_free(&s);
	eg__store_close(r);
	eg__store_close(b);
	eg__store_close(a);
}

/* ---- loading entities by position ---- */

static void exec_sql(const char *sql)
{
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
	             sqlite3_errmsg(db));
	sqlite3_close(db);
}

Test(sqlite, load_entities_by_position)
{
	eg__store *st = open_store(0);
	eg__entity_set small, big, all;
	eg_list_version vs = version_of("us-ofac-sdn", "2024-01-01", '1');
	eg_list_version vb = version_of("us-ofac-sdn", "2024-02-01", '2');
	uint32_t ord[] = {2, 0, 1};
	uint32_t far[] = {17999, 0, 9000, 123, 4567, 17000, 1, 2, 3, 12345};
	uint32_t past[] = {1, 3};
	uint32_t twice[] = {1, 1};
	eg_error err = {0};
	char sql[256];
	double t0, t1;
	int i, reps = 200;

	build_set(&small);
	build_plain(&big, 18000, "s");
	add_ok(st, &vs, &small);
	add_ok(st, &vb, &big);
	check_positions(st, vs.id, &small, ord, 3);
	check_positions(st, vb.id, &big, far, 10);

	eg__entity_set_init(&all);
	cr_assert_eq(eg__store_load_entities(st, &all, vs.id, past, 2, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "position 3"), "%s", err.message);
	cr_assert_eq(eg__store_load_entities(st, &all, vs.id, twice, 2, &err), EG_EINVAL);
	cr_assert_eq(eg__store_load_entities(st, &all, 999, ord, 1, &err), EG_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, "999"), "%s", err.message);
	eg__entity_set_free(&all);

	t0 = now_us();
	for (i = 0; i < reps; i++) {
		eg__entity_set_init(&all);
		cr_assert_eq(eg__store_load_entities(st, &all, vb.id, far, 10, &err), 0);
		eg__entity_set_free(&all);
	}
	t1 = now_us();
	fprintf(stderr, "measure: eg__store_load_entities 10 of 18000: %.1f us per call\n",
	        (t1 - t0) / reps);

	/* Without a recorded first id (a schema-1 store) positions still hold. */
	snprintf(sql, sizeof(sql), "UPDATE list_version SET first_entity_id = NULL WHERE id = %lld",
	         (long long)vb.id);
	exec_sql(sql);
	check_positions(st, vb.id, &big, far, 10);

	/* A row moved to another version is a damaged store, never another entity. */
	snprintf(sql, sizeof(sql), "UPDATE list_version SET first_entity_id ="
	         " (SELECT min(id) FROM entity WHERE version_id = %lld) WHERE id = %lld;"
	         "UPDATE entity SET version_id = %lld WHERE id ="
	         " (SELECT min(id) + 2 FROM entity WHERE version_id = %lld);",
	         (long long)vb.id, (long long)vb.id, (long long)vs.id, (long long)vb.id);
	exec_sql(sql);
	eg__entity_set_init(&all);
	cr_assert_eq(eg__store_load_entities(st, &all, vb.id, far + 7, 1, &err), EG_ESTORE);
	cr_assert_not_null(strstr(err.message, "belongs to version"), "%s", err.message);
	eg__entity_set_free(&all);
	eg__entity_set_free(&small);
	eg__entity_set_free(&big);
	eg__store_close(st);
}

/* ---- errors of the store itself ---- */

Test(sqlite, full_disk_is_a_store_error_and_changes_nothing)
{
	eg__store *st = open_store(0);
	eg__entity_set good, big;
	eg_list_version v0 = version_of("us-ofac-sdn", "2024-01-10", '1');
	eg_list_version v = version_of("us-ofac-sdn", "2024-02-10", '2');
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	eg_error err = {0};
	char before[65], after[65], sql[64];
	int pages, rc;

	build_plain(&good, 10, "g");
	build_plain(&big, 3000, "f");
	add_ok(st, &v0, &good);
	store_digest(before);
	db = eg__store_sqlite_db(st);
	cr_assert_not_null(db);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &s, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	pages = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %d", pages + 2);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);

	rc = eg__store_add_version(st, &v, &big, &err);
	cr_assert_eq(rc, EG_ESTORE, "rc %d: %s", rc, err.message);
	cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "full"), "%s", err.message);
	store_digest(after);
	cr_assert_str_eq(before, after, "a full disk left rows behind");

	cr_assert_eq(sqlite3_exec(db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL),
	             SQLITE_OK);
	add_ok(st, &v, &big);
	eg__entity_set_free(&good);
	eg__entity_set_free(&big);
	eg__store_close(st);
}

Test(sqlite, check_passes_then_finds_damage)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version v = version_of("us-ofac-sdn", "2024-01-10", '1');
	eg_error err = {0};
	char junk[4096];
	int fd, rc;

	build_plain(&a, 3000, "q");
	add_ok(st, &v, &a);
	cr_assert_eq(eg__store_check(st, &err), 0, "%s", err.message);
	eg__store_close(st);
	/* Overwrite pages in the middle of the file (checkpointed at close). */
	memset(junk, 0x5a, sizeof(junk));
	fd = open(db_path, O_WRONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pwrite(fd, junk, sizeof(junk), 20 * 4096), (ssize_t)sizeof(junk));
	close(fd);
	st = NULL;
	rc = eg__store_open_sqlite(&st, db_path, 1, &err);
	if (rc == 0) {
		rc = eg__store_check(st, &err);
		eg__store_close(st);
	}
	cr_assert_eq(rc, EG_ESTORE, "rc %d: %s", rc, err.message);
	cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
	eg__entity_set_free(&a);
}

/* ---- read-only opens (issue 13, items 6 and 7) ---- */

static size_t files_in_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	size_t n = 0;

	cr_assert_not_null(d);
	while ((ent = readdir(d)) != NULL)
		if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

Test(sqlite, read_only_open_of_no_store_creates_nothing)
{
	eg__store *st = (eg__store *)&st;
	eg_error err = {0};
	char want[400];

	cr_assert_eq(eg__store_open_sqlite(&st, db_path, 1, &err), EG_ESTORE);
	cr_assert_null(st);
	snprintf(want, sizeof(want), "no store at %s; run `exportgate import` first", db_path);
	cr_assert_str_eq(err.message, want);
	cr_assert_eq(files_in_dir(), 0, "no file, no -wal, no -shm");
}

Test(sqlite, writer_keeps_wal_and_shm_for_readers)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version v = version_of("un-sc", "2024-01-10", '1');
	char p[400];
	struct stat sb;

	build_plain(&a, 2, "w");
	add_ok(st, &v, &a);
	eg__store_close(st);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	cr_assert_eq(stat(p, &sb), 0, "the -wal file is kept");
	cr_assert_eq(sb.st_size, 0, "and emptied at close (journal_size_limit)");
	snprintf(p, sizeof(p), "%s-shm", db_path);
	cr_assert_eq(stat(p, &sb), 0, "the -shm file is kept");
	eg__entity_set_free(&a);
}

/* Opens the store read-only and loads its newest version: 0 when it works. */
static int read_as_reader(void)
{
	eg__store *st = NULL;
	eg__entity_set out;
	eg_list_version got;
	eg_error err = {0};
	int rc;

	if ((rc = eg__store_open_sqlite(&st, db_path, 1, &err)) != 0) {
		fprintf(stderr, "reader: %s\n", err.message);
		return 1;
	}
	eg__entity_set_init(&out);
	rc = eg__store_version_as_of(st, &got, "un-sc", NULL, &err);
	if (rc == 0)
		rc = eg__store_load(st, &out, got.id, &err);
	if (rc != 0)
		fprintf(stderr, "reader: %s\n", err.message);
	else if (out.n != 2)
		rc = 1;
	eg__entity_set_free(&out);
	eg__store_close(st);
	return rc != 0;
}

/* A store in a directory the reader cannot write, files it cannot write.
 * Root ignores file modes, so as root the reader is a child process that
 * drops to user and group 65534 (nobody). */
Test(sqlite, read_only_open_in_read_only_directory)
{
	eg__store *st = open_store(0);
	eg__entity_set a;
	eg_list_version v = version_of("un-sc", "2024-01-10", '1');
	char p[400];
	const char *sfx[] = {"", "-wal", "-shm"};
	int status = -1, k;
	pid_t pid;

	build_plain(&a, 2, "w");
	add_ok(st, &v, &a);
	eg__store_close(st);
	eg__entity_set_free(&a);
	for (k = 0; k < 3; k++) {
		snprintf(p, sizeof(p), "%s%s", db_path, sfx[k]);
		cr_assert_eq(chmod(p, 0444), 0);
	}
	cr_assert_eq(chmod(dir, 0555), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(77);
		_exit(read_as_reader());
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	chmod(dir, 0700);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		cr_skip_test("cannot drop root privileges here");
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "reader failed, status %d",
	          status);
}
