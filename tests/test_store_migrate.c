/* test_store_migrate.c - a schema-1 store, written by the v1 DDL kept here
 * verbatim, read as it is (read-only) and migrated to schema 4 (writable). */
#include <criterion/criterion.h>

#include "store/store.h"
#include "util/alloc.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The schema of version 1, exactly as src/store/sqlite.c created it. */
static const char v1_schema_sql[] =
	"CREATE TABLE IF NOT EXISTS list_version ("
	" id INTEGER PRIMARY KEY,"
	" source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 31),"
	" format TEXT NOT NULL DEFAULT '' CHECK (length(format) <= 31),"
	" published TEXT CHECK (published IS NULL OR published GLOB"
	"  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
	" imported TEXT NOT NULL CHECK (length(imported) = 20),"
	" sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	" entities INTEGER NOT NULL,"
	" names INTEGER NOT NULL,"
	" UNIQUE (source, sha256));"
	"CREATE TABLE IF NOT EXISTS entity ("
	" id INTEGER PRIMARY KEY,"
	" version_id INTEGER NOT NULL REFERENCES list_version(id) ON DELETE CASCADE,"
	" uid TEXT NOT NULL,"
	" type INTEGER NOT NULL CHECK (type BETWEEN 0 AND 4),"
	" remarks TEXT,"
	" start_date TEXT,"
	" end_date TEXT,"
	" UNIQUE (version_id, uid));"
	/* Rows of one version in id order (an index carries the rowid last). */
	"CREATE INDEX IF NOT EXISTS entity_by_version ON entity(version_id);"
	"CREATE TABLE IF NOT EXISTS name ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),"
	" weak INTEGER NOT NULL CHECK (weak IN (0, 1)),"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS address ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" street TEXT, city TEXT, country TEXT, remarks TEXT,"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS program ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS country ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS attr ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" key TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;";

/* Rows as schema 1 held them: version 1 carries everything (an alias, an
 * address, a listing date, a country, a program); version 2 primary names
 * only; version 3 a country only through an address; version 4 is empty. */
static const char v1_rows_sql[] =
	"INSERT INTO list_version VALUES (1, 'us-ofac-sdn', 'ofac-csv', '2024-01-10',"
	" '2024-01-11T10:00:00Z', '" "1111111111111111111111111111111111111111111111111111111111111111"
	"', 2, 3);"
	"INSERT INTO list_version VALUES (2, 'us-ofac-sdn', 'ofac-csv', '2024-05-01',"
	" '2024-05-02T10:00:00Z', '" "2222222222222222222222222222222222222222222222222222222222222222"
	"', 2, 2);"
	"INSERT INTO list_version VALUES (3, 'us-csl', 'csl-csv', NULL,"
	" '2024-06-02T10:00:00Z', '" "3333333333333333333333333333333333333333333333333333333333333333"
	"', 1, 1);"
	"INSERT INTO list_version VALUES (4, 'un-sc', 'un-xml', '2024-07-01',"
	" '2024-07-02T10:00:00Z', '" "4444444444444444444444444444444444444444444444444444444444444444"
	"', 0, 0);"
	"INSERT INTO entity VALUES (1, 1, '306', 2, 'remark', '1962-02-07', NULL);"
	"INSERT INTO entity VALUES (2, 1, '10001', 1, NULL, NULL, NULL);"
	"INSERT INTO entity VALUES (3, 2, '306', 2, NULL, NULL, NULL);"
	"INSERT INTO entity VALUES (4, 2, '10001', 1, NULL, NULL, NULL);"
	"INSERT INTO entity VALUES (5, 3, 'csl-1', 0, NULL, NULL, NULL);"
	"INSERT INTO name VALUES (1, 0, 'BANCO NACIONAL DE CUBA', 0, 0);"
	"INSERT INTO name VALUES (1, 1, 'BNC', 1, 1);"
	"INSERT INTO name VALUES (2, 0, 'IVAN PETROV', 0, 0);"
	"INSERT INTO name VALUES (3, 0, 'BANCO NACIONAL DE CUBA', 0, 0);"
	"INSERT INTO name VALUES (4, 0, 'IVAN PETROV', 0, 0);"
	"INSERT INTO name VALUES (5, 0, 'ACME TRADING', 0, 0);"
	"INSERT INTO address VALUES (1, 0, 'Calle 23', 'Havana', NULL, NULL);"
	"INSERT INTO address VALUES (5, 0, NULL, 'Moscow', 'Russia', NULL);"
	"INSERT INTO program VALUES (1, 0, 'CUBA');"
	"INSERT INTO country VALUES (2, 0, 'Russia');"
	"INSERT INTO attr VALUES (1, 0, 'federal_register_notice', '89 FR 1234');"
	"PRAGMA user_version = 1;";

static const unsigned want_carries[5] = {
	0,
	EG_CARRIES_ALIASES | EG_CARRIES_ADDRESSES | EG_CARRIES_DATES | EG_CARRIES_COUNTRIES |
		EG_CARRIES_PROGRAMS,
	0,
	EG_CARRIES_ADDRESSES | EG_CARRIES_COUNTRIES,
	0,
};

static char dir[256];
static char db_path[300];

static void make_v1(void)
{
	const char *tmp = getenv("TMPDIR");
	sqlite3 *db = NULL;

	snprintf(dir, sizeof(dir), "%s/eg-migrate-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/store.db", dir);
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, v1_schema_sql, NULL, NULL, NULL), SQLITE_OK, "%s",
	             sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_exec(db, v1_rows_sql, NULL, NULL, NULL), SQLITE_OK, "%s",
	             sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void remove_all(void)
{
	const char *sfx[] = {"", "-wal", "-shm", "-journal"};
	char p[400];
	size_t k;

	for (k = 0; k < 4; k++) {
		snprintf(p, sizeof(p), "%s%s", db_path, sfx[k]);
		unlink(p);
	}
	rmdir(dir);
}

TestSuite(migrate, .init = make_v1, .fini = remove_all);

/* Every row of the tables schema 1 had, as text, in key order. */
static void dump_rows(char *out, size_t size)
{
	static const char *const q[] = {
		("SELECT id, source, format, published, imported, sha256, entities, names"
		 " FROM list_version ORDER BY id"),
		"SELECT * FROM entity ORDER BY id", "SELECT * FROM name ORDER BY 1, 2",
		"SELECT * FROM address ORDER BY 1, 2", "SELECT * FROM program ORDER BY 1, 2",
		"SELECT * FROM country ORDER BY 1, 2", "SELECT * FROM attr ORDER BY 1, 2",
	};
	sqlite3 *db = NULL;
	size_t k, used = 0;

	out[0] = '\0';
	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (k = 0; k < sizeof(q) / sizeof(q[0]); k++) {
		sqlite3_stmt *s = NULL;
		cr_assert_eq(sqlite3_prepare_v2(db, q[k], -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW) {
			int c;
			for (c = 0; c < sqlite3_column_count(s); c++) {
				const char *t = (const char *)sqlite3_column_text(s, c);
				int w = snprintf(out + used, size - used, "%s|", t ? t : "NULL");
				cr_assert(w > 0 && (size_t)w < size - used, "dump buffer too small");
				used += (size_t)w;
			}
			cr_assert_lt(used + 1, size);
			out[used++] = '\n';
			out[used] = '\0';
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

static int user_version(void)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int v;

	cr_assert_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void check_carries(eg__store *st)
{
	eg_list_version *list = NULL;
	eg_error err = {0};
	size_t n = 0, k;

	cr_assert_eq(eg__store_versions(st, &list, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 4);
	for (k = 0; k < n; k++)
		cr_assert_eq(list[k].carries, want_carries[list[k].id],
		             "version %lld carries 0x%x, want 0x%x", (long long)list[k].id,
		             list[k].carries, want_carries[list[k].id]);
	eg__free(list);
}

static void load(eg__store *st, int64_t id, eg__entity_set *out)
{
	eg_error err = {0};

	eg__entity_set_init(out);
	cr_assert_eq(eg__store_load(st, out, id, &err), 0, "%s", err.message);
}

Test(migrate, read_only_open_reads_schema_1_as_it_is)
{
	eg__store *st = NULL;
	eg__entity_set set, part;
	eg_list_version prev, v2;
	eg_error err = {0};
	uint32_t ord[] = {1, 0};

	cr_assert_eq(eg__store_open_sqlite(&st, db_path, 1, &err), 0, "%s", err.message);
	check_carries(st);
	load(st, 1, &set);
	cr_assert_eq(set.n, 2);
	cr_assert_str_eq(set.v[0].names[1].text, "BNC");
	eg__entity_set_init(&part);
	cr_assert_eq(eg__store_load_entities(st, &part, 1, ord, 2, &err), 0, "%s", err.message);
	cr_assert_str_eq(part.v[0].uid, "10001");
	cr_assert_str_eq(part.v[1].uid, "306");
	cr_assert_eq(eg__store_version_by_id(st, &v2, 2, &err), 0);
	cr_assert_eq(eg__store_previous_version(st, &prev, &v2, &err), 0, "%s", err.message);
	cr_assert_eq(prev.id, 1);
	eg__entity_set_free(&set);
	eg__entity_set_free(&part);
	eg__store_close(st);
	cr_assert_eq(user_version(), 1, "a read-only open does not migrate");
}

Test(migrate, writable_open_migrates_schema_1_to_4)
{
	static char before[8192], after[8192];
	eg__store *st = NULL;
	eg__entity_set old1, new1, unk;
	eg_list_version v = {0};
	eg_error err = {0};
	sqlite3 *db;
	sqlite3_stmt *s = NULL;
	eg__entity *e;
	size_t k;

	dump_rows(before, sizeof(before));
	cr_assert_eq(eg__store_open_sqlite(&st, db_path, 1, &err), 0, "%s", err.message);
	load(st, 1, &old1);
	eg__store_close(st);

	cr_assert_eq(eg__store_open_sqlite(&st, db_path, 0, &err), 0, "%s", err.message);
	cr_assert_eq(user_version(), 4);
	dump_rows(after, sizeof(after));
	cr_assert_str_eq(before, after, "the migration changed rows");
	check_carries(st);
	load(st, 1, &new1);
	cr_assert_eq(old1.n, new1.n);
	for (k = 0; k < old1.n; k++) {
		cr_assert_str_eq(old1.v[k].uid, new1.v[k].uid);
		cr_assert_eq(old1.v[k].n_names, new1.v[k].n_names);
		cr_assert_eq(old1.v[k].n_addresses, new1.v[k].n_addresses);
		cr_assert_eq(old1.v[k].n_attrs, new1.v[k].n_attrs);
	}
	db = eg__store_sqlite_db(st);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_foreign_key_check", -1, &s,
	                                NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(s, 0), 0, "no orphan rows");
	sqlite3_finalize(s);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT first_entity_id FROM list_version ORDER BY id",
	                                -1, &s, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(s, 0), 1);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(s, 0), 3);
	sqlite3_finalize(s);
	cr_assert_eq(eg__store_check(st, &err), 0, "%s", err.message);

	/* Type 5 (unknown) is accepted now, and a delete still cascades. */
	eg__entity_set_init(&unk);
	e = eg__entity_set_add(&unk, "dpl-1", 5, NULL);
	cr_assert_not_null(e);
	e->type = EG_TYPE_UNKNOWN;
	cr_assert_eq(eg__entity_add_name(&unk, e, "NO TYPE LTD", 11, EG__NAME_PRIMARY, 0), 0);
	snprintf(v.source, sizeof(v.source), "us-bis-dpl");
	memset(v.sha256, '5', 64);
	cr_assert_eq(eg__store_add_version(st, &v, &unk, &err), 0, "%s", err.message);
	eg__entity_set_free(&unk);
	load(st, v.id, &unk);
	cr_assert_eq(unk.v[0].type, EG_TYPE_UNKNOWN);
	cr_assert_eq(sqlite3_exec(db, "DELETE FROM list_version WHERE id = 1", NULL, NULL, NULL),
	             SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM name WHERE entity_id IN (1, 2)",
	                                -1, &s, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(s, 0), 0, "foreign keys cascade through the new table");
	sqlite3_finalize(s);
	eg__entity_set_free(&unk);
	eg__entity_set_free(&old1);
	eg__entity_set_free(&new1);
	eg__store_close(st);

	/* A second writable open finds schema 4 and changes nothing. */
	cr_assert_eq(eg__store_open_sqlite(&st, db_path, 0, &err), 0, "%s", err.message);
	eg__store_close(st);
	cr_assert_eq(user_version(), 4);
}
