/* test_store_damage.c - a damaged store is refused, never screened against
 * (issue 13 item 2): rows of a version changed, lost, added or moved, or
 * bytes of the file overwritten, make eg__store_load fail with EG_ESTORE
 * naming the version; a version imported before schema 3 (no digest
 * recorded) still loads, and a schema-2 store is migrated to 4. */
#include <criterion/criterion.h>

#include "store/store.h"
#include "util/error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];
static char db_path[300];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/eg-damage-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
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

TestSuite(store_damage, .init = make_dir, .fini = remove_dir);

/* A set of n entities with every kind of child row. */
static void build(eg__entity_set *s, size_t n)
{
	char buf[64];
	size_t i;

	eg__entity_set_init(s);
	for (i = 0; i < n; i++) {
		eg__address a = {"1 Main St", "Havana", "Cuba", NULL};
		int len = snprintf(buf, sizeof(buf), "uid-%zu", i);
		eg__entity *e = eg__entity_set_add(s, buf, (size_t)len, NULL);

		cr_assert_not_null(e);
		e->type = EG_TYPE_ENTITY;
		len = snprintf(buf, sizeof(buf), "ZEBRAFIRM %zu TRADING", i);
		cr_assert_eq(eg__entity_add_name(s, e, buf, (size_t)len, EG__NAME_PRIMARY, 0), 0);
		len = snprintf(buf, sizeof(buf), "ALIAS %zu", i);
		cr_assert_eq(eg__entity_add_name(s, e, buf, (size_t)len, EG__NAME_AKA, 1), 0);
		cr_assert_eq(eg__entity_add_address(s, e, &a), 0);
		cr_assert_eq(eg__entity_add_program(s, e, "CUBA", 4), 0);
		cr_assert_eq(eg__entity_add_country(s, e, "Cuba", 4), 0);
		cr_assert_eq(eg__entity_add_attr(s, e, "title", "Director", 8), 0);
	}
}

/* Imports a version of 5 entities; returns its id. */
static int64_t import_one(void)
{
	eg__store *st = NULL;
	eg__entity_set set;
	eg_list_version v = {0};
	eg_error err = {0};

	cr_assert_eq(eg__store_open_sqlite(&st, db_path, 0, &err), 0, "%s", err.message);
	build(&set, 5);
	snprintf(v.source, sizeof(v.source), "us-ofac-sdn");
	snprintf(v.published, sizeof(v.published), "2021-07-07");
	memset(v.sha256, 'a', 64);
	cr_assert_eq(eg__store_add_version(st, &v, &set, &err), 0, "%s", err.message);
	eg__entity_set_free(&set);
	eg__store_close(st);
	return v.id;
}

/* Runs sql on the store from another connection (as the sqlite3 tool would:
 * foreign keys off, so nothing cascades). */
static void run_sql(const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;

	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql,
	             msg ? msg : "");
	sqlite3_close(db);
}

/* Loads version id; returns the code, the message in err. */
static int load(int64_t id, eg_error *err)
{
	eg__store *st = NULL;
	eg__entity_set out;
	int rc;

	cr_assert_eq(eg__store_open_sqlite(&st, db_path, 1, err), 0, "%s", err->message);
	eg__entity_set_init(&out);
	rc = eg__store_load(st, &out, id, err);
	eg__entity_set_free(&out);
	eg__store_close(st);
	return rc;
}

static void expect_damaged(int64_t id, const char *what)
{
	eg_error err = {0};
	char want[128];
	int rc = load(id, &err);

	snprintf(want, sizeof(want), ": version %lld of us-ofac-sdn: ", (long long)id);
	cr_assert_eq(rc, EG_ESTORE, "%s: rc %d: %s", what, rc, err.message);
	cr_assert_not_null(strstr(err.message, db_path), "%s", err.message);
	cr_assert_not_null(strstr(err.message, want), "%s: %s", what, err.message);
	cr_assert_not_null(strstr(err.message, "the store is damaged"), "%s", err.message);
}

static void expect_mismatch(int64_t id, const char *what)
{
	eg_error err = {0};

	expect_damaged(id, what);
	load(id, &err);
	cr_assert_not_null(strstr(err.message, "5 entities, digest mismatch: the store is damaged"),
	                   "%s: %s", what, err.message);
}

Test(store_damage, intact_version_loads)
{
	eg_error err = {0};
	int64_t id = import_one();

	cr_assert_eq(load(id, &err), 0, "%s", err.message);
}

Test(store_damage, digest_recorded_at_import)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;

	import_one();
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT rows_sha256 FROM list_version", -1, &s, NULL),
	             SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_bytes(s, 0), 64);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

Test(store_damage, changed_name_refused)
{
	int64_t id = import_one();

	run_sql("UPDATE name SET text = 'ZEBRAFIRM 9 TRADING' WHERE text = 'ZEBRAFIRM 3 TRADING'");
	expect_mismatch(id, "a name changed");
}

Test(store_damage, lost_name_refused)
{
	int64_t id = import_one();

	run_sql("DELETE FROM name WHERE text = 'ZEBRAFIRM 2 TRADING'");
	expect_mismatch(id, "a name lost");
}

Test(store_damage, name_moved_to_another_entity_refused)
{
	int64_t id = import_one();

	run_sql("UPDATE name SET entity_id = entity_id + 1, ord = 7 WHERE text = 'ALIAS 1'");
	expect_mismatch(id, "a name moved");
}

Test(store_damage, added_child_row_refused)
{
	int64_t id = import_one();

	run_sql("INSERT INTO program SELECT id, 1, 'SDGT' FROM entity WHERE uid = 'uid-4'");
	expect_mismatch(id, "a program added");
}

Test(store_damage, every_child_table_is_covered)
{
	static const char *const sql[] = {
		"UPDATE address SET city = 'Moscow' WHERE entity_id = (SELECT min(id) FROM entity)",
		"UPDATE program SET text = 'IRAN' WHERE entity_id = (SELECT min(id) FROM entity)",
		"UPDATE country SET text = 'Iran' WHERE entity_id = (SELECT min(id) FROM entity)",
		"UPDATE attr SET value = 'Nobody' WHERE entity_id = (SELECT min(id) FROM entity)",
		"UPDATE entity SET remarks = 'x' WHERE uid = 'uid-0'",
		"UPDATE entity SET type = 1 WHERE uid = 'uid-0'",
		"UPDATE entity SET uid = 'uid-9' WHERE uid = 'uid-0'",
		"UPDATE name SET weak = 0 WHERE text = 'ALIAS 1'",
		"UPDATE name SET kind = 0 WHERE text = 'ALIAS 1'",
	};
	size_t k;

	for (k = 0; k < sizeof(sql) / sizeof(sql[0]); k++) {
		int64_t id;

		remove_dir();
		make_dir();
		id = import_one();
		run_sql(sql[k]);
		expect_mismatch(id, sql[k]);
	}
}

Test(store_damage, lost_entity_refused_by_count)
{
	eg_error err = {0};
	int64_t id = import_one();

	run_sql("DELETE FROM entity WHERE uid = 'uid-2'");
	expect_damaged(id, "an entity lost");
	load(id, &err);
	cr_assert_not_null(strstr(err.message, "4 entities, 5 recorded at import"), "%s",
	                   err.message);
}

Test(store_damage, damaged_digest_column_refused)
{
	int64_t id = import_one();

	run_sql("UPDATE list_version SET rows_sha256 = substr(rows_sha256, 2) || '0'");
	expect_mismatch(id, "the digest itself damaged");
}

/* Bytes of a name overwritten in the file itself, below SQLite (which keeps
 * no checksum of its pages): the page still reads, the digest does not. */
Test(store_damage, overwritten_file_bytes_refused)
{
	static char buf[1 << 20];
	FILE *f;
	size_t n, i, hits = 0;
	int64_t id = import_one();

	run_sql("PRAGMA wal_checkpoint(TRUNCATE)");
	cr_assert_not_null(f = fopen(db_path, "r+b"));
	n = fread(buf, 1, sizeof(buf), f);
	cr_assert_lt(n, sizeof(buf));
	for (i = 0; i + 11 <= n; i++)
		if (memcmp(buf + i, "ZEBRAFIRM 3", 11) == 0) {
			buf[i] = 'Q'; /* same length: the record stays well-formed */
			hits++;
		}
	cr_assert_gt(hits, 0, "the name is not in the file");
	cr_assert_eq(fseek(f, 0, SEEK_SET), 0);
	cr_assert_eq(fwrite(buf, 1, n, f), n);
	fclose(f);
	expect_mismatch(id, "bytes overwritten");
}

/* A schema-2 store (made from a schema-3 one: the column dropped, the
 * version number set back) is migrated to 4 on a writable open; its
 * version has no digest recorded and loads (not checked); a version
 * imported after the migration records one and is checked. */
Test(store_damage, schema_2_migrated_digest_not_recorded)
{
	eg__store *st = NULL;
	eg_error err = {0};
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int64_t id = import_one(), id2;

	run_sql("ALTER TABLE list_version DROP COLUMN rows_sha256; PRAGMA user_version = 2;");
	/* read-only, at schema 2: loads without a digest */
	cr_assert_eq(load(id, &err), 0, "%s", err.message);
	run_sql("UPDATE name SET text = 'CHANGED' WHERE text = 'ALIAS 1'");
	cr_assert_eq(load(id, &err), 0, "not recorded, not checked: %s", err.message);
	cr_assert_eq(eg__store_open_sqlite(&st, db_path, 0, &err), 0, "%s", err.message);
	eg__store_close(st);
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT rows_sha256 IS NULL, (SELECT user_version"
	                                " FROM pragma_user_version) FROM list_version", -1, &s,
	                                NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(s, 0), 1, "the old version's digest is not recorded");
	cr_assert_eq(sqlite3_column_int(s, 1), 4);
	sqlite3_finalize(s);
	sqlite3_close(db);
	cr_assert_eq(load(id, &err), 0, "%s", err.message);

	/* a new version after the migration is checked */
	{
		eg__entity_set set;
		eg_list_version v = {0};

		cr_assert_eq(eg__store_open_sqlite(&st, db_path, 0, &err), 0, "%s", err.message);
		build(&set, 5);
		snprintf(v.source, sizeof(v.source), "us-ofac-sdn");
		memset(v.sha256, 'b', 64);
		cr_assert_eq(eg__store_add_version(st, &v, &set, &err), 0, "%s", err.message);
		eg__entity_set_free(&set);
		eg__store_close(st);
		id2 = v.id;
	}
	run_sql("UPDATE name SET text = 'CHANGED AGAIN' WHERE text = 'ALIAS 2' AND entity_id > 5");
	expect_mismatch(id2, "a version imported after the migration");
}
