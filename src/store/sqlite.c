/* store/sqlite.c - the embedded store: list versions and entities in one SQLite file.
 *
 * Invariants:
 *  - entity ids of one version increase in the order the parser produced the
 *    entities, so "ORDER BY entity.id" is the original order, and the child
 *    rows (name, address, program, country, attr) are keyed (entity_id, ord)
 *    with ord the index in the entity's array;
 *  - list_version.first_entity_id is set only when the version's entity ids
 *    were found contiguous (first .. first + entities - 1) when it was
 *    written; position k of the version is then entity id first + k, and
 *    every use checks the row's version_id;
 *  - every write happens between BEGIN IMMEDIATE and COMMIT; on any failure
 *    the transaction is rolled back before the function returns, so no
 *    function leaves a transaction open;
 *  - every prepared statement is reset after use, success or not.
 * The schema, its migration and the choices below are documented in
 * docs/store.md. */
#include "store.h"
#include "../util/alloc.h"
#include "../util/caps.h"
#include "../util/date.h"
#include "../util/error.h"
#include "../util/hash.h"
#include "rows_digest.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* PRAGMA user_version of the schema this file writes. Schemas 1 to 3 are
 * still read (read-only) and migrated (writable). */
#define STORE_SCHEMA_VERSION 4
#define STORE_SCHEMA_OLDEST 1
/* Milliseconds a writer waits for another connection's lock. */
#define STORE_BUSY_TIMEOUT_MS 10000
/* Bytes the -wal file is cut back to after a checkpoint (it is kept, see
 * open_db). */
#define STORE_WAL_SIZE_LIMIT (64 * 1024 * 1024)

/* The SQL below writes the EG_CARRIES_* flags as numbers. */
_Static_assert(EG_CARRIES_ALIASES == 1 && EG_CARRIES_ADDRESSES == 2 && EG_CARRIES_DATES == 4 &&
               EG_CARRIES_COUNTRIES == 8 && EG_CARRIES_PROGRAMS == 16,
               "CARRIES_OF writes the flag values");
_Static_assert(EG_TYPE_UNKNOWN == 5, "the entity.type CHECK allows 0..5");

/* The entity table of schema 2 (type 5 is EG_TYPE_UNKNOWN), under a name,
 * so the migration can build it beside the old one. */
#define ENTITY_TABLE(name)                                                   \
	"CREATE TABLE " name " ("                                                \
	" id INTEGER PRIMARY KEY,"                                               \
	" version_id INTEGER NOT NULL REFERENCES list_version(id) ON DELETE CASCADE," \
	" uid TEXT NOT NULL,"                                                    \
	" type INTEGER NOT NULL CHECK (type BETWEEN 0 AND 5),"                   \
	" remarks TEXT,"                                                         \
	" start_date TEXT,"                                                      \
	" end_date TEXT,"                                                        \
	" UNIQUE (version_id, uid));"
/* Rows of one version in id order (an index carries the rowid last). */
#define ENTITY_INDEX "CREATE INDEX entity_by_version ON entity(version_id);"

/* The columns schema 2 adds to list_version (appended, so a migrated table
 * and a new one have the same columns in the same order). */
#define CARRIES_COLUMN " carries INTEGER NOT NULL DEFAULT 0 CHECK (carries >= 0)"
#define FIRST_COLUMN " first_entity_id INTEGER"
/* The column schema 3 adds: the digest of the version's rows (rows_digest
 * below), NULL for a version imported before schema 3 ("not recorded"). */
#define ROWS_DIGEST_COLUMN " rows_sha256 TEXT CHECK (rows_sha256 IS NULL OR" \
	" length(rows_sha256) = 64)"

/* Schema 4: the attempts log of eg_refresh, one row per attempt to
 * refresh a source (outcome: the eg_refresh_outcome value). */
#define REFRESH_TABLE                                                        \
	"CREATE TABLE IF NOT EXISTS refresh_attempt ("                                         \
	" id INTEGER PRIMARY KEY,"                                               \
	" source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 31),"         \
	" time TEXT NOT NULL CHECK (length(time) = 20),"                         \
	" millis INTEGER NOT NULL,"                                              \
	" outcome INTEGER NOT NULL CHECK (outcome BETWEEN 0 AND 4),"             \
	" http_status INTEGER NOT NULL,"                                         \
	" bytes INTEGER NOT NULL CHECK (bytes >= 0),"                            \
	" sha256 TEXT NOT NULL CHECK (sha256 = '' OR length(sha256) = 64),"      \
	" version_id INTEGER NOT NULL,"                                          \
	" url TEXT NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL,"   \
	" reason TEXT NOT NULL, held_path TEXT NOT NULL);"                       \
	"CREATE INDEX IF NOT EXISTS refresh_attempt_by_source ON refresh_attempt(source, id);"
_Static_assert(EG_REFRESH_IMPORTED == 0 && EG_REFRESH_FAILED == 4,
               "refresh_attempt.outcome CHECK allows 0..4");

static const char schema_sql[] =
	"CREATE TABLE list_version ("
	" id INTEGER PRIMARY KEY,"
	" source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 31),"
	" format TEXT NOT NULL DEFAULT '' CHECK (length(format) <= 31),"
	" published TEXT CHECK (published IS NULL OR published GLOB"
	"  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),"
	" imported TEXT NOT NULL CHECK (length(imported) = 20),"
	" sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	" entities INTEGER NOT NULL,"
	" names INTEGER NOT NULL,"
	CARRIES_COLUMN ","
	FIRST_COLUMN ","
	ROWS_DIGEST_COLUMN ","
	" UNIQUE (source, sha256));"
	ENTITY_TABLE("entity")
	ENTITY_INDEX
	"CREATE TABLE name ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),"
	" weak INTEGER NOT NULL CHECK (weak IN (0, 1)),"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE address ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" street TEXT, city TEXT, country TEXT, remarks TEXT,"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE program ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE country ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE attr ("
	" entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" key TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (entity_id, ord)) WITHOUT ROWID;"
	REFRESH_TABLE;

/* The EG_CARRIES_* flags of the version whose id is the SQL expression lv,
 * computed from its rows; what schema 1 did not record. Each EXISTS stops
 * at its first row (entity_by_version, then the child's primary key). */
#define HAS_CHILD(lv, table, cond)                                           \
	"EXISTS (SELECT 1 FROM entity e JOIN " table " c ON c.entity_id = e.id"  \
	" WHERE e.version_id = " lv cond ")"
#define CARRIES_OF(lv)                                                       \
	"(" HAS_CHILD(lv, "name", " AND c.kind <> 0")                            \
	" + 2 * " HAS_CHILD(lv, "address", "")                                   \
	" + 4 * EXISTS (SELECT 1 FROM entity e WHERE e.version_id = " lv         \
	"  AND (COALESCE(e.start_date, '') <> '' OR COALESCE(e.end_date, '') <> ''))" \
	" + 8 * (" HAS_CHILD(lv, "country", "")                                  \
	"   OR " HAS_CHILD(lv, "address", " AND COALESCE(c.country, '') <> ''") ")" \
	" + 16 * " HAS_CHILD(lv, "program", "") ")"
/* The smallest entity id of version lv when its ids are contiguous and as
 * many as it recorded; NULL otherwise (and for an empty version). */
#define FIRST_IF_CONTIGUOUS(lv)                                              \
	"(SELECT CASE WHEN count(*) = list_version.entities"                     \
	" AND max(id) - min(id) + 1 = count(*) THEN min(id) END"                 \
	" FROM entity WHERE version_id = " lv ")"

/* Schema 1 -> 2 (docs/store.md), the steps of "Making Other Kinds Of Table
 * Schema Changes" (sqlite.org/lang_altertable.html): SQLite cannot change a
 * CHECK constraint, so entity is rebuilt under a new name, filled, the old
 * table dropped and the new one renamed; foreign keys are off meanwhile
 * (set outside the transaction by migrate) and checked before COMMIT. */
static const char migrate_1_2_sql[] =
	"ALTER TABLE list_version ADD COLUMN" CARRIES_COLUMN ";"
	"ALTER TABLE list_version ADD COLUMN" FIRST_COLUMN ";"
	ENTITY_TABLE("entity_v2")
	"INSERT INTO entity_v2 (id, version_id, uid, type, remarks, start_date, end_date)"
	" SELECT id, version_id, uid, type, remarks, start_date, end_date FROM entity;"
	"DROP TABLE entity;"
	"ALTER TABLE entity_v2 RENAME TO entity;"
	ENTITY_INDEX
	"UPDATE list_version SET carries = " CARRIES_OF("list_version.id") ","
	" first_entity_id = " FIRST_IF_CONTIGUOUS("list_version.id") ";";

/* Schema 2 -> 3: the rows' digest, not recorded for the versions already
 * there (computing it now would vouch for rows nobody checked). */
static const char migrate_2_3_sql[] =
	"ALTER TABLE list_version ADD COLUMN" ROWS_DIGEST_COLUMN ";";

/* Schema 3 -> 4: the attempts log, empty. */
static const char migrate_3_4_sql[] = REFRESH_TABLE;

/* The date a version takes effect: its publication date, or lacking one the
 * day it was imported (the as-of rule of store.h). */
#define EFFECTIVE "COALESCE(NULLIF(published, ''), substr(imported, 1, 10))"
#define BASE_COLS "id, source, format, published, imported, sha256, entities, names"
/* Schema 2 reads carries; schema 1 (read-only) computes it. */
#define COLS_V2 BASE_COLS ", carries"
#define COLS_V1 BASE_COLS ", " CARRIES_OF("list_version.id")

enum {
	/* Statements reading versions: their text depends on the schema. */
	ST_FIND_VERSION,
	ST_VERSION_BY_ID,
	ST_AS_OF,
	ST_NEWEST,
	ST_VERSIONS,
	ST_PREVIOUS,
	ST_SPAN,
	ST__VERSION_END,
	/* Statements of every open. */
	ST_ENTITY_RANGE = ST__VERSION_END,
	ST_LOAD_ENTITY,
	ST_ENTITY_BY_ID,
	ST_ENTITY_AT,
	ST_LOAD_NAME,
	ST_LOAD_ADDRESS,
	ST_LOAD_PROGRAM,
	ST_LOAD_COUNTRY,
	ST_LOAD_ATTR,
	ST_DATA_VERSION,
	ST_ROWS_DIGEST,
	ST_BEGIN,
	ST_ROLLBACK,
	ST__READ_END,
	/* Statements of writable opens (always schema 2). */
	ST_INS_VERSION = ST__READ_END,
	ST_INS_ENTITY,
	ST_INS_NAME,
	ST_INS_ADDRESS,
	ST_INS_PROGRAM,
	ST_INS_COUNTRY,
	ST_INS_ATTR,
	ST_SET_FIRST,
	ST_SET_DIGEST,
	ST__COUNT
};

#define VERSION_STMTS(COLS, FIRST)                                               \
	[ST_FIND_VERSION] = "SELECT " COLS " FROM list_version"                      \
	                    " WHERE source = ?1 AND sha256 = ?2",                    \
	[ST_VERSION_BY_ID] = "SELECT " COLS " FROM list_version WHERE id = ?1",      \
	[ST_AS_OF] = "SELECT " COLS " FROM list_version"                             \
	             " WHERE source = ?1 AND " EFFECTIVE " <= ?2"                    \
	             " ORDER BY " EFFECTIVE " DESC, id DESC LIMIT 1",                \
	[ST_NEWEST] = "SELECT " COLS " FROM list_version WHERE source = ?1"          \
	              " ORDER BY " EFFECTIVE " DESC, id DESC LIMIT 1",               \
	[ST_VERSIONS] = "SELECT " COLS " FROM list_version"                          \
	                " ORDER BY source, " EFFECTIVE " DESC, id DESC",             \
	[ST_PREVIOUS] = "SELECT " COLS " FROM list_version WHERE source = ?1"        \
	                " AND (" EFFECTIVE ", id) < (SELECT " EFFECTIVE ", id"       \
	                "  FROM list_version WHERE id = ?2)"                         \
	                " ORDER BY " EFFECTIVE " DESC, id DESC LIMIT 1",             \
	[ST_SPAN] = "SELECT entities, " FIRST " FROM list_version WHERE id = ?1"

static const char *const version_sql[2][ST__VERSION_END] = {
	{VERSION_STMTS(COLS_V1, "NULL")},
	{VERSION_STMTS(COLS_V2, "first_entity_id")},
};

/* The child rows of the entity ids [?1, ?2] in (entity id, ord) order: one
 * range scan of a table clustered on (entity_id, ord), no sort, no join. The
 * ids of one version are contiguous in practice (one writer inserts them in
 * one transaction); rows of other versions' entities inside the range, were
 * there any, are skipped by the loader, which knows its version's ids. */
#define CHILD_SQL(cols, table)                                               \
	"SELECT entity_id, " cols " FROM " table                                 \
	" WHERE entity_id BETWEEN ?1 AND ?2 ORDER BY entity_id, ord"
/* Columns of an entity row, as entity_from_row reads them. */
#define ENTITY_COLS "id, uid, type, remarks, start_date, end_date, version_id"

static const char *const stmt_sql[ST__COUNT] = {
	/* Two subqueries, so each uses the min/max optimisation of the index. */
	[ST_ENTITY_RANGE] = "SELECT (SELECT min(id) FROM entity WHERE version_id = ?1),"
	                    " (SELECT max(id) FROM entity WHERE version_id = ?1)",
	/* "+version_id": scan the rowid range, filter by version, no index. */
	[ST_LOAD_ENTITY] = "SELECT " ENTITY_COLS
	                   " FROM entity WHERE id BETWEEN ?2 AND ?3 AND +version_id = ?1"
	                   " ORDER BY id",
	[ST_ENTITY_BY_ID] = "SELECT " ENTITY_COLS " FROM entity WHERE id = ?1",
	/* Without a recorded first id: the ?2-th of the version, by its index. */
	[ST_ENTITY_AT] = "SELECT " ENTITY_COLS " FROM entity WHERE version_id = ?1"
	                 " ORDER BY id LIMIT 1 OFFSET ?2",
	[ST_LOAD_NAME] = CHILD_SQL("text, kind, weak", "name"),
	[ST_LOAD_ADDRESS] = CHILD_SQL("street, city, country, remarks", "address"),
	[ST_LOAD_PROGRAM] = CHILD_SQL("text", "program"),
	[ST_LOAD_COUNTRY] = CHILD_SQL("text", "country"),
	[ST_LOAD_ATTR] = CHILD_SQL("key, value", "attr"),
	[ST_DATA_VERSION] = "PRAGMA data_version",
	/* schemas 1 and 2 (read-only opens) have no digest: see prepare_all */
	[ST_ROWS_DIGEST] = "SELECT rows_sha256 FROM list_version WHERE id = ?1",
	/* a read transaction of a screen's entity loads, prepared once */
	[ST_BEGIN] = "BEGIN",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_INS_VERSION] = "INSERT INTO list_version (source, format, published,"
	                   " imported, sha256, entities, names, carries)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_INS_ENTITY] = "INSERT INTO entity (version_id, uid, type, remarks,"
	                  " start_date, end_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_INS_NAME] = "INSERT INTO name (entity_id, ord, text, kind, weak)"
	                " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_INS_ADDRESS] = "INSERT INTO address (entity_id, ord, street, city,"
	                   " country, remarks) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_INS_PROGRAM] = "INSERT INTO program (entity_id, ord, text) VALUES (?1, ?2, ?3)",
	[ST_INS_COUNTRY] = "INSERT INTO country (entity_id, ord, text) VALUES (?1, ?2, ?3)",
	[ST_INS_ATTR] = "INSERT INTO attr (entity_id, ord, key, value)"
	                " VALUES (?1, ?2, ?3, ?4)",
	[ST_SET_FIRST] = "UPDATE list_version SET first_entity_id = ?2 WHERE id = ?1",
	[ST_SET_DIGEST] = "UPDATE list_version SET rows_sha256 = ?2 WHERE id = ?1",
};

typedef struct sqlite_store {
	eg__store base;               /* first: the interface's handle */
	sqlite3 *db;
	char *path;                   /* the file, for messages */
	int read_only;
	int schema;                   /* PRAGMA user_version: 1 to 4 */
	int schema_at_open;           /* ... before this open's migration */
	sqlite3_int64 data_version;   /* PRAGMA data_version at the last look */
	unsigned long commits;        /* this connection's commits ... */
	unsigned long commits_seen;   /* ... and their number at the last look */
	sqlite3_stmt *stmt[ST__COUNT]; /* prepared at open, reused */
	int has_keys, has_reviews;    /* api_key, review seen to exist */
	sqlite3_stmt *review_stmt;    /* review_listings's, prepared at its first use
	                                 (the table may come later), reused */
} sqlite_store;

static const eg__store_ops sqlite_ops;

static sqlite_store *SQ(eg__store *s)
{
	return (sqlite_store *)s;
}

/* Every failure of SQLite but memory is a failure of the store: a full
 * disk, an I/O error, corruption, a foreign or unopenable or read-only
 * file, a lock held too long, a constraint. */
static int code_of(int rc)
{
	return (rc & 0xff) == SQLITE_NOMEM ? EG_ENOMEM : EG_ESTORE;
}

/* Sets err from the connection's last error: "store PATH: WHAT: message". */
static int db_fail(sqlite_store *st, eg_error *err, const char *what)
{
	int rc = sqlite3_extended_errcode(st->db);

	return eg__error_set(err, code_of(rc), "store %s: %s: %s", st->path, what,
	                     eg__store_sqlite_error(st->db));
}

/* Runs SQL without results (transaction control, pragmas, schema). */
static int exec(sqlite_store *st, const char *sql, const char *what, eg_error *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, err, what);
	return 0;
}

/* Commits, and counts the commit for eg__store_changed (SQLite's
 * data_version does not count a connection's own commits). */
static int commit(sqlite_store *st, const char *what, eg_error *err)
{
	int rc = exec(st, "COMMIT", what, err);

	if (rc == 0)
		st->commits++;
	return rc;
}

/* Rolls back after a failure; err already holds the first cause and is kept. */
static void rollback(sqlite_store *st)
{
	if (sqlite3_get_autocommit(st->db))
		return;
	if (st->stmt[ST_ROLLBACK] != NULL) {
		sqlite3_step(st->stmt[ST_ROLLBACK]);
		sqlite3_reset(st->stmt[ST_ROLLBACK]);
	} else {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* Begins a read transaction with the prepared BEGIN. */
static int begin_read(sqlite_store *st, const char *what, eg_error *err)
{
	int rc = sqlite3_step(st->stmt[ST_BEGIN]);

	sqlite3_reset(st->stmt[ST_BEGIN]);
	return rc == SQLITE_DONE ? 0 : db_fail(st, err, what);
}

/* Binds a C string, or NULL for a NULL pointer. The text must outlive the step. */
static int bind_str(sqlite3_stmt *s, int i, const char *text)
{
	if (text == NULL)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
}

/* Steps an insert of the entity numbered `ord` (from 1) to completion and
 * resets it. Returns 0 or sets err naming the entity. */
static int step_insert(sqlite_store *st, sqlite3_stmt *s, size_t ord, const eg__entity *e,
                       const char *what, eg_error *err)
{
	int rc = 0;

	/* The message is read before reset, so it names this failure. */
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = eg__error_set(err, code_of(sqlite3_extended_errcode(st->db)),
		                   "store %s: entity %zu (uid %s): %s: %s", st->path, ord,
		                   e->uid ? e->uid : "(none)", what, eg__store_sqlite_error(st->db));
	sqlite3_reset(s);
	return rc;
}

/* Copies a text column into a fixed field; NULL becomes "". A value that
 * does not fit means the file was not written by this module. */
static int copy_col(sqlite_store *st, char *dst, size_t size, sqlite3_stmt *s, int col,
                    const char *field, eg_error *err)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t len = (size_t)sqlite3_column_bytes(s, col);

	if (t == NULL) {
		if (sqlite3_errcode(st->db) == SQLITE_NOMEM)
			return eg__error_set(err, EG_ENOMEM, "store %s: list_version.%s: out of memory",
			                     st->path, field);
		len = 0;
	}
	if (len >= size)
		return eg__error_set(err, EG_ESTORE,
		                     "store %s: list_version %lld: field %s is %zu bytes, over %zu",
		                     st->path, (long long)sqlite3_column_int64(s, 0), field, len,
		                     size - 1);
	if (len > 0)
		memcpy(dst, t, len);
	dst[len] = '\0';
	return 0;
}

/* Fills *out from a row of COLS_V1 or COLS_V2. */
static int read_version(sqlite_store *st, sqlite3_stmt *s, eg_list_version *out, eg_error *err)
{
	eg_list_version v;
	sqlite3_int64 ents = sqlite3_column_int64(s, 6), names = sqlite3_column_int64(s, 7);
	sqlite3_int64 carries = sqlite3_column_int64(s, 8);
	int rc;

	memset(&v, 0, sizeof(v));
	v.id = sqlite3_column_int64(s, 0);
	if ((rc = copy_col(st, v.source, sizeof(v.source), s, 1, "source", err)) != 0 ||
	    (rc = copy_col(st, v.format, sizeof(v.format), s, 2, "format", err)) != 0 ||
	    (rc = copy_col(st, v.published, sizeof(v.published), s, 3, "published", err)) != 0 ||
	    (rc = copy_col(st, v.imported, sizeof(v.imported), s, 4, "imported", err)) != 0 ||
	    (rc = copy_col(st, v.sha256, sizeof(v.sha256), s, 5, "sha256", err)) != 0)
		return rc;
	if (ents < 0 || names < 0)
		return eg__error_set(err, EG_ESTORE, "store %s: list_version %lld: negative count",
		                     st->path, (long long)v.id);
	if (carries < 0 || (carries & ~(sqlite3_int64)EG_CARRIES_ALL) != 0)
		return eg__error_set(err, EG_ESTORE, "store %s: list_version %lld: carries %lld has "
		                     "unknown flags", st->path, (long long)v.id, (long long)carries);
	v.entities = (size_t)ents;
	v.names = (size_t)names;
	v.carries = (unsigned)carries;
	*out = v;
	return 0;
}

/* Runs a statement expected to return at most one version row (already
 * bound), fills *out, resets it. Returns 0, 1 when there was no row, or an
 * error code with err set. */
static int query_version(sqlite_store *st, sqlite3_stmt *s, eg_list_version *out,
                         const char *what, eg_error *err)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		rc = read_version(st, s, out, err);
	else if (rc == SQLITE_DONE)
		rc = 1;
	else
		rc = db_fail(st, err, what);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/* Runs a one-row, one-integer statement (a pragma) into *out. */
static int query_int(sqlite_store *st, const char *sql, sqlite3_int64 *out, const char *what,
                     eg_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, what);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = 0;
	} else {
		rc = db_fail(st, err, what);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Reads PRAGMA user_version; 0 for a new file. */
static int read_user_version(sqlite_store *st, int *out, eg_error *err)
{
	sqlite3_int64 v = 0;
	int rc = query_int(st, "PRAGMA user_version", &v, "reading the schema version", err);

	*out = (int)v;
	return rc;
}

static int set_user_version(sqlite_store *st, int version, eg_error *err)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	return exec(st, sql, "setting the schema version", err);
}

/* Fails when PRAGMA foreign_key_check finds a row whose parent is missing. */
static int check_foreign_keys(sqlite_store *st, eg_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "checking foreign keys");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		rc = eg__error_set(err, EG_ESTORE, "store %s: migration: table %s row %lld has no "
		                   "parent in %s", st->path, (const char *)sqlite3_column_text(s, 0),
		                   (long long)sqlite3_column_int64(s, 1),
		                   (const char *)sqlite3_column_text(s, 2));
	else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = db_fail(st, err, "checking foreign keys");
	sqlite3_finalize(s);
	return rc;
}

/* Migrates schema 1, 2 or 3 to 4 in one transaction (see migrate_1_2_sql,
 * migrate_2_3_sql and migrate_3_4_sql). Foreign
 * keys cannot be switched inside a transaction: they are off around it and
 * on again whatever happened. */
static int migrate(sqlite_store *st, eg_error *err)
{
	eg_error again = {0};
	int version = 0, rc;

	if ((rc = exec(st, "PRAGMA foreign_keys = OFF", "migrating the schema", err)) != 0)
		return rc;
	if ((rc = exec(st, "BEGIN IMMEDIATE", "migrating the schema", err)) != 0)
		goto done;
	/* Another connection may have migrated it while we waited for the lock. */
	if ((rc = read_user_version(st, &version, err)) != 0)
		goto done;
	if (version == 1 &&
	    ((rc = exec(st, migrate_1_2_sql, "migrating the schema from version 1", err)) != 0 ||
	     (rc = check_foreign_keys(st, err)) != 0))
		goto done;
	if ((version == 1 || version == 2) &&
	    (rc = exec(st, migrate_2_3_sql, "migrating the schema from version 2", err)) != 0)
		goto done;
	if (version >= 1 && version <= 3 &&
	    ((rc = exec(st, migrate_3_4_sql, "migrating the schema from version 3", err)) != 0 ||
	     (rc = set_user_version(st, 4, err)) != 0))
		goto done;
	rc = commit(st, "migrating the schema", err);
done:
	if (rc != 0)
		rollback(st);
	/* The first cause is kept: a failure here only counts after a success. */
	if (exec(st, "PRAGMA foreign_keys = ON", "enabling foreign keys", &again) != 0 && rc == 0) {
		*err = again;
		rc = again.code;
	}
	return rc;
}

/* Creates the schema in a new file, migrates an old one (writable), or
 * checks its version; sets st->schema. */
static int ensure_schema(sqlite_store *st, eg_error *err)
{
	int version = 0, rc;

	if ((rc = read_user_version(st, &version, err)) != 0)
		return rc;
	st->schema_at_open = version;
	if (version > STORE_SCHEMA_VERSION)
		return eg__error_set(err, EG_EUNSUPPORTED,
		                     "store %s: schema version %d is newer than this program's (%d)",
		                     st->path, version, STORE_SCHEMA_VERSION);
	if (version == 0 && st->read_only)
		return eg__error_set(err, EG_ESTORE,
		                     "store %s: not an exportgate store (no schema; open it "
		                     "writable once to create one)", st->path);
	if (version == 0) {
		if ((rc = exec(st, "BEGIN IMMEDIATE", "creating the schema", err)) != 0)
			return rc;
		/* Another connection may have created it while we waited for the lock. */
		if ((rc = read_user_version(st, &version, err)) == 0 && version == 0 &&
		    (rc = exec(st, schema_sql, "creating the schema", err)) == 0)
			rc = set_user_version(st, STORE_SCHEMA_VERSION, err);
		if (rc == 0)
			rc = commit(st, "creating the schema", err);
		if (rc != 0) {
			rollback(st);
			return rc;
		}
		if ((rc = read_user_version(st, &version, err)) != 0)
			return rc;
	}
	if (version < STORE_SCHEMA_VERSION && !st->read_only) {
		if ((rc = migrate(st, err)) != 0 || (rc = read_user_version(st, &version, err)) != 0)
			return rc;
	}
	if (version < STORE_SCHEMA_OLDEST || version > STORE_SCHEMA_VERSION)
		return eg__error_set(err, EG_ESTORE, "store %s: schema version %d cannot be read",
		                     st->path, version);
	st->schema = version;
	return 0;
}

static void sq_close(eg__store *store)
{
	sqlite_store *st = SQ(store);
	size_t i;

	for (i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_finalize(st->review_stmt);
	sqlite3_close(st->db);
	eg__free(st->path);
	eg__free(st);
}

/* Opens the connection. A WAL database is readable only where its -wal and
 * -shm files exist or can be created (sqlite.org/wal.html, "Read-Only
 * Databases"): a writable connection therefore keeps them when it closes
 * (SQLITE_FCNTL_PERSIST_WAL), so that a reader in a directory it cannot
 * write, or a reader without write permission on the files, can still open
 * the store (SQLite then maps the -shm read-only). "immutable=1" would let a
 * reader ignore them, but also ignore another process's commits: wrong for
 * a store that is written while read. */
static int open_db(sqlite_store *st, const char *path, eg_error *err)
{
	int flags, one = 1, rc;
	struct stat sb;

	/* A reader must not create anything: not the file, not its -wal/-shm. */
	if (st->read_only && stat(path, &sb) != 0 && errno == ENOENT)
		return eg__error_set(err, EG_ESTORE, "no store at %s; run `exportgate import` first",
		                     path);
	/* NOMUTEX: a store is used by one thread at a time (store.h). */
	flags = (st->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
	        SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		if (st->db == NULL)
			return eg__error_set(err, EG_ENOMEM, "store %s: out of memory", path);
		return db_fail(st, err, st->read_only ? "cannot open for reading" : "cannot open");
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	if (!st->read_only) {
		char sql[64];
		/* The first statement reads the header: a file that is not SQLite fails here. */
		if ((rc = exec(st, "PRAGMA journal_mode = WAL", "setting WAL mode", err)) != 0)
			return rc;
		if (sqlite3_file_control(st->db, "main", SQLITE_FCNTL_PERSIST_WAL, &one) != SQLITE_OK)
			return db_fail(st, err, "keeping the -wal file");
		snprintf(sql, sizeof(sql), "PRAGMA journal_size_limit = %d", STORE_WAL_SIZE_LIMIT);
		if ((rc = exec(st, sql, "limiting the -wal file", err)) != 0)
			return rc;
	}
	if ((rc = exec(st, "PRAGMA synchronous = FULL", "setting synchronous", err)) != 0 ||
	    (rc = exec(st, "PRAGMA foreign_keys = ON", "enabling foreign keys", err)) != 0)
		return rc;
	return 0;
}

static int prepare_all(sqlite_store *st, eg_error *err)
{
	int i, end = st->read_only ? ST__READ_END : ST__COUNT;

	for (i = 0; i < end; i++) {
		const char *sql = i < ST__VERSION_END ? version_sql[st->schema == 1 ? 0 : 1][i]
		                                      : stmt_sql[i];
		if (i == ST_ROWS_DIGEST && st->schema < 3)
			sql = "SELECT NULL";
		if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[i],
		                       NULL) != SQLITE_OK)
			return db_fail(st, err, "preparing a statement (schema mismatch?)");
	}
	return 0;
}

/* Reads PRAGMA data_version into *out. */
static int data_version(sqlite_store *st, sqlite3_int64 *out, eg_error *err)
{
	sqlite3_stmt *s = st->stmt[ST_DATA_VERSION];
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = 0;
	} else {
		rc = db_fail(st, err, "reading the data version");
	}
	sqlite3_reset(s);
	return rc;
}

int eg__store_open_sqlite(eg__store **out, const char *path, int read_only,
                          eg_error *err)
{
	sqlite_store *st = NULL;
	int rc;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return eg__error_set(err, EG_EINVAL, "store: empty path");
	st = eg__calloc(1, sizeof(*st));
	if (st == NULL)
		return eg__error_set(err, EG_ENOMEM, "store %s: out of memory", path);
	st->base.ops = &sqlite_ops;
	st->read_only = read_only ? 1 : 0;
	st->path = eg__strdup(path);
	if (st->path == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory", path);
		goto done;
	}
	if ((rc = open_db(st, path, err)) != 0 || (rc = ensure_schema(st, err)) != 0 ||
	    (rc = prepare_all(st, err)) != 0 ||
	    (rc = data_version(st, &st->data_version, err)) != 0)
		goto done;
	st->commits_seen = st->commits;
	rc = 0;
done:
	if (rc != 0) {
		sq_close(&st->base);
		return rc;
	}
	*out = &st->base;
	return 0;
}

struct sqlite3 *eg__store_sqlite_db(eg__store *store)
{
	return store != NULL && store->ops == &sqlite_ops ? SQ(store)->db : NULL;
}

/* SQLite says "database or disk is full" and "disk I/O error" whatever
 * failed; the user needs the cause first, then what SQLite said. */
const char *eg__store_sqlite_error(struct sqlite3 *db)
{
	switch (sqlite3_extended_errcode(db) & 0xff) {
	case SQLITE_FULL:
		return "disk full (SQLite: database or disk is full)";
	case SQLITE_IOERR:
		return "I/O error: the store's file or its -wal could not be read, written, "
		       "synced or locked (SQLite: disk I/O error)";
	default:
		return sqlite3_errmsg(db);
	}
}

static int sq_find_version(eg__store *store, eg_list_version *out, const char *source,
                           const char *sha256, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = st->stmt[ST_FIND_VERSION];
	int rc;

	bind_str(s, 1, source);
	bind_str(s, 2, sha256);
	rc = query_version(st, s, out, "finding a version", err);
	if (rc == 1)
		return eg__error_set(err, EG_ENOTFOUND, "store %s: source %s has no version with sha256 %s",
		                     st->path, source, sha256);
	return rc;
}

static int sq_version_by_id(eg__store *store, eg_list_version *out, int64_t id, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = st->stmt[ST_VERSION_BY_ID];
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = query_version(st, s, out, "reading a version", err);
	if (rc == 1)
		return eg__error_set(err, EG_ENOTFOUND, "store %s: no list version %lld",
		                     st->path, (long long)id);
	return rc;
}

static int sq_version_as_of(eg__store *store, eg_list_version *out, const char *source,
                            const char *date, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s;
	int rc;

	if (date != NULL && !eg__store_is_date(date))
		return eg__error_set(err, EG_EINVAL, "store %s: as-of date \"%.20s\" is not YYYY-MM-DD",
		                     st->path, date);
	s = st->stmt[date != NULL ? ST_AS_OF : ST_NEWEST];
	bind_str(s, 1, source);
	if (date != NULL)
		bind_str(s, 2, date);
	rc = query_version(st, s, out, "finding the version in force", err);
	if (rc == 1) {
		if (date != NULL)
			return eg__error_set(err, EG_ENOTFOUND,
			                     "store %s: source %s has no version published on or before %s",
			                     st->path, source, date);
		return eg__error_set(err, EG_ENOTFOUND, "store %s: source %s has no version",
		                     st->path, source);
	}
	return rc;
}

static int sq_previous_version(eg__store *store, eg_list_version *out,
                               const eg_list_version *v, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = st->stmt[ST_PREVIOUS];
	eg_list_version cur;
	int rc;

	if ((rc = sq_version_by_id(store, &cur, v->id, err)) != 0)
		return rc;
	if (strncmp(cur.source, v->source, sizeof(cur.source)) != 0)
		return eg__error_set(err, EG_EINVAL, "store %s: version %lld is of %s, not %.31s",
		                     st->path, (long long)v->id, cur.source, v->source);
	bind_str(s, 1, cur.source);
	sqlite3_bind_int64(s, 2, cur.id);
	rc = query_version(st, s, out, "finding the previous version", err);
	if (rc == 1)
		return eg__error_set(err, EG_ENOTFOUND, "%s: version %lld is the oldest", cur.source,
		                     (long long)cur.id);
	return rc;
}

static int sq_versions(eg__store *store, eg_list_version **out, size_t *count, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = st->stmt[ST_VERSIONS];
	eg_list_version *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16, bytes;
			eg_list_version *nv;
			if (eg__mul_overflow(&bytes, ncap, sizeof(*v)) != 0 ||
			    (nv = eg__realloc(v, bytes)) == NULL) {
				rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory listing versions",
				                   st->path);
				goto done;
			}
			v = nv;
			cap = ncap;
		}
		if ((rc = read_version(st, s, &v[n], err)) != 0)
			goto done;
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(st, err, "listing versions");
		goto done;
	}
	rc = 0;
done:
	sqlite3_reset(s);
	if (rc != 0) {
		eg__free(v);
		return rc;
	}
	*out = v;
	*count = n;
	return 0;
}

/* --- the rows' digest (rows_digest.h) ------------------------------------- */

typedef eg__rows_digest rows_digest;

/* Column col of a row as the serialisation has it: NULL, or its text. */
static void dg_col_text(rows_digest *d, sqlite3_stmt *s, int col)
{
	const char *t;

	if (sqlite3_column_type(s, col) == SQLITE_NULL) {
		eg__rows_digest_text(d, NULL, 0);
		return;
	}
	t = (const char *)sqlite3_column_text(s, col);
	if (t == NULL && d->rc == 0)
		d->rc = EG_ENOMEM; /* a conversion to text failed */
	eg__rows_digest_text(d, t != NULL ? t : "", (size_t)sqlite3_column_bytes(s, col));
}

/* The columns of a child row of statement `which` (after its entity_id),
 * in the order the insert statements write them. */
static void dg_child_cols(rows_digest *d, int which, sqlite3_stmt *s)
{
	switch (which) {
	case ST_LOAD_NAME:
		dg_col_text(d, s, 1);
		eg__rows_digest_int(d, sqlite3_column_int64(s, 2));
		eg__rows_digest_int(d, sqlite3_column_int64(s, 3));
		break;
	case ST_LOAD_ADDRESS:
		dg_col_text(d, s, 1);
		dg_col_text(d, s, 2);
		dg_col_text(d, s, 3);
		dg_col_text(d, s, 4);
		break;
	case ST_LOAD_ATTR:
		dg_col_text(d, s, 1);
		dg_col_text(d, s, 2);
		break;
	default: /* program, country */
		dg_col_text(d, s, 1);
		break;
	}
}

static char child_tag(int which)
{
	switch (which) {
	case ST_LOAD_NAME: return EG__ROWS_TAG_NAME;
	case ST_LOAD_ADDRESS: return EG__ROWS_TAG_ADDRESS;
	case ST_LOAD_PROGRAM: return EG__ROWS_TAG_PROGRAM;
	case ST_LOAD_COUNTRY: return EG__ROWS_TAG_COUNTRY;
	default: return EG__ROWS_TAG_ATTR;
	}
}

/* Records the digest of the version's rows (set, as just inserted). */
static int record_digest(sqlite_store *st, int64_t version_id, const eg__entity_set *set,
                         eg_error *err)
{
	sqlite3_stmt *s = st->stmt[ST_SET_DIGEST];
	char hex[65];
	int rc;

	if ((rc = eg__rows_digest_of_set(set, hex, st->path, err)) != 0)
		return rc;
	sqlite3_bind_int64(s, 1, version_id);
	sqlite3_bind_text(s, 2, hex, 64, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, err, "recording the digest of the rows");
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/* The digest the version recorded into hex, or hex[0] = '\0' when none was
 * (a version imported before schema 3, or a store read at schema 1 or 2). */
static int recorded_digest(sqlite_store *st, int64_t version_id, char hex[65], eg_error *err)
{
	sqlite3_stmt *s = st->stmt[ST_ROWS_DIGEST];
	int rc = 0;

	hex[0] = '\0';
	sqlite3_bind_int64(s, 1, version_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		if (t != NULL && sqlite3_column_bytes(s, 0) == 64)
			memcpy(hex, t, 65);
		else if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			memset(hex, '?', 64), hex[64] = '\0'; /* damaged: never matches */
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = db_fail(st, err, "reading the digest of the rows");
	}
	sqlite3_reset(s);
	return rc;
}

/* Inserts one entity (numbered ord from 1, for messages) and its child rows
 * into the version version_id; *id is the entity's new id. */
static int insert_entity(sqlite_store *st, int64_t version_id, size_t ord, const eg__entity *e,
                         sqlite3_int64 *id, eg_error *err)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	s = st->stmt[ST_INS_ENTITY];
	sqlite3_bind_int64(s, 1, version_id);
	bind_str(s, 2, e->uid);
	sqlite3_bind_int(s, 3, (int)e->type);
	bind_str(s, 4, e->remarks);
	bind_str(s, 5, e->start_date);
	bind_str(s, 6, e->end_date);
	if ((rc = step_insert(st, s, ord, e, "writing an entity", err)) != 0)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);

	s = st->stmt[ST_INS_NAME];
	sqlite3_bind_int64(s, 1, *id);
	for (i = 0; i < e->n_names; i++) {
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_str(s, 3, e->names[i].text);
		sqlite3_bind_int(s, 4, e->names[i].kind);
		sqlite3_bind_int(s, 5, e->names[i].weak);
		if ((rc = step_insert(st, s, ord, e, "writing a name", err)) != 0)
			return rc;
	}
	s = st->stmt[ST_INS_ADDRESS];
	sqlite3_bind_int64(s, 1, *id);
	for (i = 0; i < e->n_addresses; i++) {
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_str(s, 3, e->addresses[i].street);
		bind_str(s, 4, e->addresses[i].city);
		bind_str(s, 5, e->addresses[i].country);
		bind_str(s, 6, e->addresses[i].remarks);
		if ((rc = step_insert(st, s, ord, e, "writing an address", err)) != 0)
			return rc;
	}
	s = st->stmt[ST_INS_PROGRAM];
	sqlite3_bind_int64(s, 1, *id);
	for (i = 0; i < e->n_programs; i++) {
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_str(s, 3, e->programs[i]);
		if ((rc = step_insert(st, s, ord, e, "writing a program", err)) != 0)
			return rc;
	}
	s = st->stmt[ST_INS_COUNTRY];
	sqlite3_bind_int64(s, 1, *id);
	for (i = 0; i < e->n_countries; i++) {
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_str(s, 3, e->countries[i]);
		if ((rc = step_insert(st, s, ord, e, "writing a country", err)) != 0)
			return rc;
	}
	s = st->stmt[ST_INS_ATTR];
	sqlite3_bind_int64(s, 1, *id);
	for (i = 0; i < e->n_attrs; i++) {
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_str(s, 3, e->attrs[i].key);
		bind_str(s, 4, e->attrs[i].value);
		if ((rc = step_insert(st, s, ord, e, "writing an attribute", err)) != 0)
			return rc;
	}
	return 0;
}

/* The bindings of the insert statements point into the caller's set; they
 * are cleared so no statement keeps a pointer past the call. */
static void clear_insert_bindings(sqlite_store *st)
{
	int i;

	for (i = ST_INS_VERSION; i <= ST_INS_ATTR; i++)
		sqlite3_clear_bindings(st->stmt[i]);
}

static int check_new_version(sqlite_store *st, const eg_list_version *v, eg_error *err)
{
	if (st->read_only)
		return eg__error_set(err, EG_EINVAL, "store %s: opened read-only, cannot add a version",
		                     st->path);
	return eg__store_check_new_version(st->path, v, err);
}

/* Records the version's first entity id when its n ids, min .. max, are
 * contiguous (the invariant at the top of this file). */
static int record_first(sqlite_store *st, int64_t version_id, size_t n, sqlite3_int64 min,
                        sqlite3_int64 max, eg_error *err)
{
	sqlite3_stmt *s = st->stmt[ST_SET_FIRST];
	int rc = 0;

	if (n == 0 || (sqlite3_uint64)(max - min) != (sqlite3_uint64)(n - 1))
		return 0;
	sqlite3_bind_int64(s, 1, version_id);
	sqlite3_bind_int64(s, 2, min);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, err, "recording the first entity");
	sqlite3_reset(s);
	return rc;
}

static int sq_add_version(eg__store *store, eg_list_version *v, const eg__entity_set *set,
                          eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s;
	char imported[sizeof(v->imported)];
	size_t names = eg__entity_set_names(set), i;
	sqlite3_int64 eid = 0, min = 0, max = 0;
	int64_t id = 0;
	struct tm tm;
	time_t now;
	int rc;

	if ((rc = check_new_version(st, v, err)) != 0)
		return rc;
	now = time(NULL);
	if (now == (time_t)-1 || gmtime_r(&now, &tm) == NULL ||
	    strftime(imported, sizeof(imported), "%Y-%m-%dT%H:%M:%SZ", &tm) != sizeof(imported) - 1)
		return eg__error_set(err, EG_EIO, "store %s: cannot read the UTC time", st->path);

	if ((rc = exec(st, "BEGIN IMMEDIATE", "starting the import", err)) != 0)
		return rc;
	s = st->stmt[ST_INS_VERSION];
	bind_str(s, 1, v->source);
	bind_str(s, 2, v->format);
	bind_str(s, 3, v->published[0] != '\0' ? v->published : NULL);
	bind_str(s, 4, imported);
	bind_str(s, 5, v->sha256);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)set->n);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)names);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)v->carries);
	if (sqlite3_step(s) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE)
			rc = eg__error_set(err, EG_EEXISTS,
			                   "store %s: source %s already has a version with sha256 %s",
			                   st->path, v->source, v->sha256);
		else
			rc = db_fail(st, err, "writing the version");
		sqlite3_reset(s);
		goto done;
	}
	sqlite3_reset(s);
	id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < set->n; i++) {
		if ((rc = insert_entity(st, id, i + 1, &set->v[i], &eid, err)) != 0)
			goto done;
		if (i == 0 || eid < min)
			min = eid;
		if (i == 0 || eid > max)
			max = eid;
	}
	if ((rc = record_first(st, id, set->n, min, max, err)) != 0 ||
	    (rc = record_digest(st, id, set, err)) != 0)
		goto done;
	rc = commit(st, "committing the import", err);
done:
	clear_insert_bindings(st);
	if (rc != 0) {
		rollback(st);
		return rc;
	}
	v->id = id;
	memcpy(v->imported, imported, sizeof(imported));
	v->entities = set->n;
	v->names = names;
	v->created = 1;
	return 0;
}

/* Maps the child rows of a version onto the entities loaded from it.
 * ids[k] is the store id of set->v[base + k], increasing; rows come in
 * entity id order, so one forward cursor finds each row's entity. */
typedef struct load_ctx {
	sqlite_store *st;
	eg__entity_set *set;
	size_t base;
	const int64_t *ids;
	size_t n;
	size_t cursor; /* first entity whose id may still match a row */
	sqlite3_int64 first, last; /* the smallest and largest entity id to read */
	rows_digest *digest;       /* NULL, or the digest of the rows read */
} load_ctx;

/* The entity a child row with this entity id belongs to, or NULL. */
static eg__entity *entity_of(load_ctx *c, int64_t entity_id)
{
	while (c->cursor < c->n && c->ids[c->cursor] < entity_id)
		c->cursor++;
	if (c->cursor < c->n && c->ids[c->cursor] == entity_id)
		return &c->set->v[c->base + c->cursor];
	return NULL;
}

static const char *col_text(sqlite3_stmt *s, int col, size_t *len)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	*len = (size_t)sqlite3_column_bytes(s, col);
	return t;
}

/* Adds one child row (of statement kind `which`) to its entity. */
static int load_child_row(load_ctx *c, int which, sqlite3_stmt *s, eg__entity *e)
{
	eg__entity_set *set = c->set;
	const char *t;
	size_t len;
	int kind;

	switch (which) {
	case ST_LOAD_NAME:
		t = col_text(s, 1, &len);
		kind = sqlite3_column_int(s, 2);
		if (t == NULL || kind < EG__NAME_PRIMARY || kind > EG__NAME_NKA)
			return EG_ESTORE;
		return eg__entity_add_name(set, e, t, len, (eg__name_kind)kind,
		                           sqlite3_column_int(s, 3) != 0);
	case ST_LOAD_ADDRESS: {
		eg__address a;
		a.street = (const char *)sqlite3_column_text(s, 1);
		a.city = (const char *)sqlite3_column_text(s, 2);
		a.country = (const char *)sqlite3_column_text(s, 3);
		a.remarks = (const char *)sqlite3_column_text(s, 4);
		return eg__entity_add_address(set, e, &a);
	}
	case ST_LOAD_PROGRAM:
		t = col_text(s, 1, &len);
		return t == NULL ? EG_ESTORE : eg__entity_add_program(set, e, t, len);
	case ST_LOAD_COUNTRY:
		t = col_text(s, 1, &len);
		return t == NULL ? EG_ESTORE : eg__entity_add_country(set, e, t, len);
	case ST_LOAD_ATTR: {
		const char *key = (const char *)sqlite3_column_text(s, 1);
		t = col_text(s, 2, &len);
		if (key == NULL || t == NULL)
			return EG_ESTORE;
		return eg__entity_add_attr(set, e, key, t, len);
	}
	}
	return EG_EINVAL;
}

static int load_children(load_ctx *c, int which, const char *table, eg_error *err)
{
	sqlite3_stmt *s = c->st->stmt[which];
	int rc;

	c->cursor = 0;
	sqlite3_bind_int64(s, 1, c->first);
	sqlite3_bind_int64(s, 2, c->last);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t eid = sqlite3_column_int64(s, 0);
		eg__entity *e = entity_of(c, eid);

		if (e == NULL)
			continue; /* an entity of another version inside the id range */
		if (c->digest != NULL) {
			eg__rows_digest_row(c->digest, child_tag(which), c->cursor);
			dg_child_cols(c->digest, which, s);
		}
		if ((rc = load_child_row(c, which, s, e)) != 0) {
			rc = eg__error_set(err, rc, "store %s: %s row of entity %lld (uid %s): %s",
			                   c->st->path, table, (long long)eid, e->uid,
			                   rc == EG_ESTORE ? "NULL or invalid value" : eg_strerror(rc));
			goto done;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(c->st, err, "loading entities");
done:
	sqlite3_reset(s);
	return rc;
}

/* Every child table, in the order the loaders read them. */
static const struct child_table {
	int which;
	const char *table;
} child_tables[] = {
	{ST_LOAD_NAME, "name"}, {ST_LOAD_ADDRESS, "address"}, {ST_LOAD_PROGRAM, "program"},
	{ST_LOAD_COUNTRY, "country"}, {ST_LOAD_ATTR, "attr"},
};

static int load_all_children(load_ctx *c, eg_error *err)
{
	size_t k;
	int rc;

	for (k = 0; k < sizeof(child_tables) / sizeof(child_tables[0]); k++)
		if ((rc = load_children(c, child_tables[k].which, child_tables[k].table, err)) != 0)
			return rc;
	return 0;
}

/* Sets an optional string field from a column; NULL stays NULL. */
static int set_opt(eg__entity_set *set, const char **field, sqlite3_stmt *s, int col)
{
	size_t len;
	const char *t = col_text(s, col, &len);

	if (t == NULL)
		return 0;
	return eg__entity_set_str(set, field, t, len);
}

/* Appends the entity of a row of ENTITY_COLS (without its child rows).
 * dup_code: the error when the set already holds its uid. */
static int entity_from_row(sqlite_store *st, eg__entity_set *set, sqlite3_stmt *s,
                           int dup_code, eg_error *err)
{
	sqlite3_int64 id = sqlite3_column_int64(s, 0);
	const char *uid;
	size_t len;
	int type, dup = 0;
	eg__entity *e;

	uid = col_text(s, 1, &len);
	type = sqlite3_column_int(s, 2);
	if (uid == NULL || type < EG_TYPE_ANY || type > EG_TYPE_UNKNOWN)
		return eg__error_set(err, EG_ESTORE, "store %s: entity %lld: NULL uid or invalid type",
		                     st->path, (long long)id);
	e = eg__entity_set_add(set, uid, len, &dup);
	if (e == NULL)
		return eg__error_set(err, dup ? dup_code : EG_ENOMEM,
		                     "store %s: entity %lld (uid %s): %s", st->path, (long long)id,
		                     uid, dup ? "duplicate uid in the set" : "out of memory");
	e->type = (eg_entity_type)type;
	if (set_opt(set, &e->remarks, s, 3) != 0 || set_opt(set, &e->start_date, s, 4) != 0 ||
	    set_opt(set, &e->end_date, s, 5) != 0)
		return eg__error_set(err, EG_ENOMEM, "store %s: out of memory loading entities",
		                     st->path);
	return 0;
}

static int sq_load(eg__store *store, eg__entity_set *set, int64_t version_id, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *r = st->stmt[ST_ENTITY_RANGE], *s = st->stmt[ST_LOAD_ENTITY];
	eg_list_version v;
	load_ctx c;
	rows_digest d;
	char recorded[65];
	int64_t *ids = NULL;
	size_t cap = 0;
	int rc, empty, hashing = 0;

	memset(&c, 0, sizeof(c));
	/* One read transaction: every SELECT below sees the same snapshot. */
	if ((rc = exec(st, "BEGIN", "loading entities", err)) != 0)
		return rc;
	if ((rc = sq_version_by_id(store, &v, version_id, err)) != 0 ||
	    (rc = recorded_digest(st, version_id, recorded, err)) != 0)
		goto done;
	if ((rc = eg__rows_digest_init(&d)) != 0) {
		rc = eg__error_set(err, rc, "store %s: version %lld: digest of the rows: %s",
		                   st->path, (long long)version_id, eg_strerror(rc));
		goto done;
	}
	hashing = 1;
	c.digest = &d;
	c.st = st;
	c.set = set;
	c.base = set->n;
	sqlite3_bind_int64(r, 1, version_id);
	rc = sqlite3_step(r);
	if (rc != SQLITE_ROW) {
		rc = db_fail(st, err, "loading entities");
		goto done;
	}
	empty = sqlite3_column_type(r, 0) == SQLITE_NULL;
	c.first = sqlite3_column_int64(r, 0);
	c.last = sqlite3_column_int64(r, 1);
	sqlite3_reset(r);
	if (empty)
		goto published;
	sqlite3_bind_int64(s, 1, version_id);
	sqlite3_bind_int64(s, 2, c.first);
	sqlite3_bind_int64(s, 3, c.last);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (c.n == cap) {
			size_t ncap = cap ? cap * 2 : 1024, bytes;
			int64_t *nids;
			if (ncap > EG__CAP_ENTITIES || eg__mul_overflow(&bytes, ncap, sizeof(*ids)) != 0 ||
			    (nids = eg__realloc(ids, bytes)) == NULL) {
				rc = eg__error_set(err, EG_ENOMEM, "store %s: version %lld: out of memory "
				                   "loading entities", st->path, (long long)version_id);
				goto done;
			}
			ids = nids;
			cap = ncap;
		}
		if ((rc = entity_from_row(st, set, s, EG_ESTORE, err)) != 0)
			goto done;
		eg__rows_digest_row(&d, EG__ROWS_TAG_ENTITY, c.n);
		dg_col_text(&d, s, 1);
		eg__rows_digest_int(&d, sqlite3_column_int64(s, 2));
		dg_col_text(&d, s, 3);
		dg_col_text(&d, s, 4);
		dg_col_text(&d, s, 5);
		ids[c.n++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(st, err, "loading entities");
		goto done;
	}
	sqlite3_reset(s);
	c.ids = ids;
	if ((rc = load_all_children(&c, err)) != 0)
		goto done;
published:
	hashing = 0;
	if ((rc = eg__rows_digest_check(&d, st->path, &v, c.n, recorded, err)) != 0)
		goto done;
	if (v.published[0] != '\0' &&
	    eg__entity_set_str(set, &set->published, v.published, strlen(v.published)) != 0) {
		rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory loading entities",
		                   st->path);
		goto done;
	}
	rc = 0;
done:
	sqlite3_reset(r);
	sqlite3_reset(s);
	/* A read transaction has nothing to undo; ROLLBACK just ends it. */
	rollback(st);
	if (hashing)
		eg__rows_digest_dispose(&d);
	eg__free(ids);
	return rc;
}

/* The entity count a version recorded and its first entity id (*has_first
 * 0 when none was recorded). EG_ENOTFOUND when there is no such version. */
static int version_span(sqlite_store *st, int64_t version_id, sqlite3_int64 *count,
                        sqlite3_int64 *first, int *has_first, eg_error *err)
{
	sqlite3_stmt *s = st->stmt[ST_SPAN];
	int rc;

	sqlite3_bind_int64(s, 1, version_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(s, 0);
		*has_first = sqlite3_column_type(s, 1) != SQLITE_NULL;
		*first = sqlite3_column_int64(s, 1);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = eg__error_set(err, EG_ENOTFOUND, "store %s: no list version %lld", st->path,
		                   (long long)version_id);
	} else {
		rc = db_fail(st, err, "reading a version");
	}
	sqlite3_reset(s);
	return rc;
}

/* Appends the entity at position ord of the version, with its child rows. */
static int load_one(sqlite_store *st, eg__entity_set *set, int64_t version_id, uint32_t ord,
                    sqlite3_int64 first, int has_first, eg_error *err)
{
	sqlite3_stmt *s;
	sqlite3_int64 id = first + (sqlite3_int64)ord, owner;
	load_ctx c;
	int64_t eid;
	int rc;

	if (has_first) {
		s = st->stmt[ST_ENTITY_BY_ID];
		sqlite3_bind_int64(s, 1, id);
	} else {
		s = st->stmt[ST_ENTITY_AT];
		sqlite3_bind_int64(s, 1, version_id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)ord);
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		rc = eg__error_set(err, EG_ESTORE, "store %s: version %lld: the entity at position "
		                   "%lu is missing", st->path, (long long)version_id,
		                   (unsigned long)ord);
		goto done;
	}
	if (rc != SQLITE_ROW) {
		rc = db_fail(st, err, "loading entities");
		goto done;
	}
	owner = sqlite3_column_int64(s, 6);
	if (owner != version_id) {
		rc = eg__error_set(err, EG_ESTORE, "store %s: version %lld: entity %lld at position "
		                   "%lu belongs to version %lld", st->path, (long long)version_id,
		                   (long long)id, (unsigned long)ord, (long long)owner);
		goto done;
	}
	eid = sqlite3_column_int64(s, 0);
	if ((rc = entity_from_row(st, set, s, EG_EINVAL, err)) != 0)
		goto done;
	sqlite3_reset(s);
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.set = set;
	c.base = set->n - 1;
	c.ids = &eid;
	c.n = 1;
	c.first = c.last = eid;
	rc = load_all_children(&c, err);
done:
	sqlite3_reset(s);
	return rc;
}

static int sq_load_entities(eg__store *store, eg__entity_set *set, int64_t version_id,
                            const uint32_t *ordinals, size_t n, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_int64 count = 0, first = 0;
	int has_first = 0, rc;
	size_t k;

	/* One read transaction: every SELECT below sees the same snapshot. */
	if ((rc = begin_read(st, "loading entities", err)) != 0)
		return rc;
	if ((rc = version_span(st, version_id, &count, &first, &has_first, err)) != 0)
		goto done;
	for (k = 0; k < n; k++) {
		if ((sqlite3_int64)ordinals[k] >= count) {
			rc = eg__error_set(err, EG_ENOTFOUND, "store %s: version %lld has %lld entities: "
			                   "no entity at position %lu", st->path, (long long)version_id,
			                   (long long)count, (unsigned long)ordinals[k]);
			goto done;
		}
		if ((rc = load_one(st, set, version_id, ordinals[k], first, has_first, err)) != 0)
			goto done;
	}
	rc = 0;
done:
	rollback(st);
	return rc;
}

static int sq_changed(eg__store *store, int *changed, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_int64 dv = 0;
	int rc;

	if ((rc = data_version(st, &dv, err)) != 0)
		return rc;
	*changed = dv != st->data_version || st->commits != st->commits_seen;
	st->data_version = dv;
	st->commits_seen = st->commits;
	return 0;
}

static int sq_check(eg__store *store, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = NULL;
	const char *msg;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "checking the store");
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = db_fail(st, err, "checking the store");
	} else {
		msg = (const char *)sqlite3_column_text(s, 0);
		if (msg != NULL && strcmp(msg, "ok") == 0)
			rc = 0;
		else
			rc = eg__error_set(err, EG_ESTORE, "store %s: quick_check: %s", st->path,
			                   msg != NULL ? msg : "(no message)");
	}
	sqlite3_finalize(s);
	return rc;
}

/* --- the attempts log of eg_refresh (schema 4) ------------------------------------ */

static int sq_refresh_log_add(eg__store *store, eg_refresh_attempt *a, eg_error *err)
{
	static const char sql[] =
		"INSERT INTO refresh_attempt (source, time, millis, outcome, http_status, bytes,"
		" sha256, version_id, url, etag, last_modified, reason, held_path)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (st->read_only)
		return eg__error_set(err, EG_ESTORE, "store %s: opened read-only: cannot record a "
		                     "refresh attempt", st->path);
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "recording a refresh attempt");
	bind_str(s, 1, a->source);
	bind_str(s, 2, a->time);
	sqlite3_bind_int64(s, 3, a->millis);
	sqlite3_bind_int(s, 4, (int)a->outcome);
	sqlite3_bind_int64(s, 5, a->http_status);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)a->bytes);
	bind_str(s, 7, a->sha256);
	sqlite3_bind_int64(s, 8, a->version_id);
	bind_str(s, 9, a->url);
	bind_str(s, 10, a->etag);
	bind_str(s, 11, a->last_modified);
	bind_str(s, 12, a->reason);
	bind_str(s, 13, a->held_path);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = db_fail(st, err, "recording a refresh attempt");
	else
		a->id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	return rc;
}

/* A text column, copied with eg__malloc ("" for NULL). */
static char *dup_col(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	return eg__strdup(t != NULL ? t : "");
}

static int sq_refresh_log_list(eg__store *store, eg_refresh_attempt **out, size_t *count,
                               const char *source, int accepted_only, size_t limit,
                               eg_error *err)
{
	static const char sql[] =
		"SELECT id, source, time, millis, outcome, http_status, bytes, sha256, version_id,"
		" url, etag, last_modified, reason, held_path FROM refresh_attempt"
		" WHERE (?1 IS NULL OR source = ?1) AND (?2 = 0 OR outcome IN (0, 1, 2))"
		" ORDER BY id DESC LIMIT ?3";
	sqlite_store *st = SQ(store);
	eg_refresh_attempt *v = NULL, *grown;
	size_t n = 0, cap = 0;
	sqlite3_stmt *s = NULL;
	int rc = 0, step;

	*out = NULL;
	*count = 0;
	if (st->schema < 4)
		return 0; /* a store read as it is, from before the log: no attempt */
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading the refresh attempts");
	bind_str(s, 1, source);
	sqlite3_bind_int(s, 2, accepted_only ? 1 : 0);
	sqlite3_bind_int64(s, 3, limit > 0 ? (sqlite3_int64)limit : -1);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		eg_refresh_attempt *a;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((grown = eg__realloc(v, cap * sizeof(*v))) == NULL)
				goto nomem;
			v = grown;
		}
		a = &v[n];
		memset(a, 0, sizeof(*a));
		n++;
		a->id = sqlite3_column_int64(s, 0);
		snprintf(a->source, sizeof(a->source), "%s", (const char *)sqlite3_column_text(s, 1));
		snprintf(a->time, sizeof(a->time), "%s", (const char *)sqlite3_column_text(s, 2));
		a->millis = sqlite3_column_int64(s, 3);
		a->outcome = (eg_refresh_outcome)sqlite3_column_int(s, 4);
		a->http_status = (long)sqlite3_column_int64(s, 5);
		a->bytes = (uint64_t)sqlite3_column_int64(s, 6);
		snprintf(a->sha256, sizeof(a->sha256), "%s", (const char *)sqlite3_column_text(s, 7));
		a->version_id = sqlite3_column_int64(s, 8);
		a->url = dup_col(s, 9);
		a->etag = dup_col(s, 10);
		a->last_modified = dup_col(s, 11);
		a->reason = dup_col(s, 12);
		a->held_path = dup_col(s, 13);
		if (!a->url || !a->etag || !a->last_modified || !a->reason || !a->held_path)
			goto nomem;
	}
	if (step != SQLITE_DONE)
		rc = db_fail(st, err, "reading the refresh attempts");
	goto done;
nomem:
	rc = eg__error_set(err, EG_ENOMEM, "store %s: reading the refresh attempts: out of memory",
	                   st->path);
done:
	sqlite3_finalize(s);
	if (rc != 0) {
		eg__store_refresh_attempts_free(v, n);
		return rc;
	}
	*out = v;
	*count = n;
	return 0;
}

/* --- API keys and reviews ----------------------------------------------------
 * Their tables are outside the numbered schema (user_version): created on
 * the first write that needs them, with these exact statements, so stores
 * written before this module held them keep working unchanged. */

#define KEY_TABLE_SQL                                                        \
	"CREATE TABLE IF NOT EXISTS api_key ("                                   \
	" id INTEGER PRIMARY KEY, name TEXT NOT NULL, roles INTEGER NOT NULL,"   \
	" sha256 BLOB NOT NULL, prefix TEXT NOT NULL, created TEXT NOT NULL,"    \
	" revoked TEXT);"                                                        \
	"CREATE UNIQUE INDEX IF NOT EXISTS api_key_in_force ON api_key(name)"    \
	" WHERE revoked IS NULL;"
#define REVIEW_TABLE_SQL                                                     \
	"CREATE TABLE IF NOT EXISTS review ("                                    \
	" party TEXT NOT NULL, source TEXT NOT NULL, uid TEXT NOT NULL,"         \
	" listing TEXT NOT NULL CHECK (length(listing) = 64),"                   \
	" verdict TEXT NOT NULL CHECK (verdict IN ('false-positive', 'true-match')),"\
	" log_index INTEGER NOT NULL,"                                           \
	" PRIMARY KEY (party, source, uid, listing))"

/* Whether the table exists (a store no key or review was ever written to
 * lacks it). A table once there stays: the answer is kept. */
static int has_table(sqlite_store *st, const char *table, int *known)
{
	sqlite3_stmt *s = NULL;
	int found = 0;

	if (*known)
		return 1;
	if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
	                       "name = ?1", -1, &s, NULL) == SQLITE_OK) {
		bind_str(s, 1, table);
		found = sqlite3_step(s) == SQLITE_ROW;
	}
	sqlite3_finalize(s);
	*known = found;
	return found;
}

/* Creates a table of this section (its name: table) on a writable handle. */
static int ensure_table(sqlite_store *st, const char *sql, const char *table, int *known,
                        eg_error *err)
{
	char what[64];

	if (st->read_only)
		return eg__error_set(err, EG_ESTORE, "store %s: opened read-only: cannot write the "
		                     "%s table", st->path, table);
	if (*known)
		return 0;
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(what, sizeof(what), "creating the %s table", table);
		return db_fail(st, err, what);
	}
	*known = 1;
	return 0;
}

static int sq_key_add(eg__store *store, const eg__store_key *k, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = NULL;
	char created[21];
	int rc;

	if ((rc = ensure_table(st, KEY_TABLE_SQL, "api_key", &st->has_keys,
	                       err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO api_key(name, roles, sha256, prefix, created) "
	                       "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "keys");
	eg__date_now(created);
	bind_str(s, 1, k->name);
	sqlite3_bind_int(s, 2, (int)k->roles);
	sqlite3_bind_blob(s, 3, k->sha256, 32, SQLITE_STATIC);
	bind_str(s, 4, k->prefix);
	bind_str(s, 5, created);
	rc = sqlite3_step(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		rc = eg__error_set(err, EG_EEXISTS, "key %s exists already (revoke it first)", k->name);
	else if (rc != SQLITE_DONE)
		rc = eg__error_set(err, code_of(sqlite3_extended_errcode(st->db)), "store %s: keys: "
		                   "adding %s: %s", st->path, k->name, eg__store_sqlite_error(st->db));
	else
		rc = 0;
	sqlite3_finalize(s);
	return rc;
}

static void copy_text(char *dst, size_t size, const unsigned char *src)
{
	snprintf(dst, size, "%s", src ? (const char *)src : "");
}

static int sq_key_list(eg__store *store, eg_key_info **out, size_t *count, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = NULL;
	eg_key_info *v = NULL, *nv;
	size_t n = 0, alloc = 0;
	int rc = 0, step;

	if (!has_table(st, "api_key", &st->has_keys))
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT name, roles, created, revoked, prefix FROM api_key "
	                       "ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "keys");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			if ((nv = eg__realloc(v, alloc * sizeof(*v))) == NULL) {
				rc = eg__error_set(err, EG_ENOMEM, "out of memory");
				goto done;
			}
			v = nv;
		}
		memset(&v[n], 0, sizeof(v[n]));
		copy_text(v[n].name, sizeof(v[n].name), sqlite3_column_text(s, 0));
		v[n].roles = (unsigned)sqlite3_column_int(s, 1);
		copy_text(v[n].created, sizeof(v[n].created), sqlite3_column_text(s, 2));
		copy_text(v[n].revoked, sizeof(v[n].revoked), sqlite3_column_text(s, 3));
		copy_text(v[n].prefix, sizeof(v[n].prefix), sqlite3_column_text(s, 4));
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(st, err, "keys");
		goto done;
	}
	*out = v;
	*count = n;
	v = NULL;
done:
	eg__free(v);
	sqlite3_finalize(s);
	return rc;
}

static int sq_key_revoke(eg__store *store, const char *name, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = NULL;
	char now[21];
	int rc;

	if ((rc = ensure_table(st, KEY_TABLE_SQL, "api_key", &st->has_keys,
	                       err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(st->db, "UPDATE api_key SET revoked = ?1 WHERE name = ?2 AND "
	                       "revoked IS NULL", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "keys");
	eg__date_now(now);
	bind_str(s, 1, now);
	bind_str(s, 2, name);
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = eg__error_set(err, code_of(sqlite3_extended_errcode(st->db)), "store %s: keys: "
		                   "revoking %s: %s", st->path, name, eg__store_sqlite_error(st->db));
	else if (sqlite3_changes(st->db) == 0)
		rc = eg__error_set(err, EG_ENOTFOUND, "no key in force named \"%s\"", name);
	sqlite3_finalize(s);
	return rc;
}

static int sq_key_count(eg__store *store, size_t *count, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = NULL;
	int rc = 0;

	if (!has_table(st, "api_key", &st->has_keys))
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM api_key WHERE revoked IS NULL", -1,
	                       &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
		rc = db_fail(st, err, "keys");
	else
		*count = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc;
}

static int sq_keys_in_force(eg__store *store, eg__store_key **out, size_t *count,
                            eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = NULL;
	eg__store_key *v = NULL, *nv;
	size_t n = 0, alloc = 0;
	int rc = 0, step;

	if (!has_table(st, "api_key", &st->has_keys))
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT name, roles, sha256 FROM api_key WHERE revoked IS NULL"
	                       " ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "keys");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(s, 2);
		if (b == NULL || sqlite3_column_bytes(s, 2) != 32)
			continue; /* no key hashes to it */
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			if ((nv = eg__realloc(v, alloc * sizeof(*v))) == NULL) {
				rc = eg__error_set(err, EG_ENOMEM, "out of memory");
				goto done;
			}
			v = nv;
		}
		memset(&v[n], 0, sizeof(v[n]));
		copy_text(v[n].name, sizeof(v[n].name), sqlite3_column_text(s, 0));
		v[n].roles = (unsigned)sqlite3_column_int(s, 1);
		memcpy(v[n].sha256, b, 32);
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(st, err, "keys");
		goto done;
	}
	*out = v;
	*count = n;
	v = NULL;
done:
	eg__free(v);
	sqlite3_finalize(s);
	return rc;
}

static int sq_review_table(eg__store *store, eg_error *err)
{
	sqlite_store *st = SQ(store);

	return ensure_table(st, REVIEW_TABLE_SQL, "review", &st->has_reviews, err);
}

static int sq_review_put(eg__store *store, const eg__store_review *r, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = sq_review_table(store, err)) != 0)
		return rc;
	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO review (party, source, uid, "
	                       "listing, verdict, log_index) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1,
	                       &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "review table");
	bind_str(s, 1, r->party);
	bind_str(s, 2, r->source);
	bind_str(s, 3, r->uid);
	bind_str(s, 4, r->listing);
	bind_str(s, 5, r->verdict);
	sqlite3_bind_int64(s, 6, r->log_index);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_fail(st, err, "review table");
	sqlite3_finalize(s);
	return rc;
}

static int sq_review_listings(eg__store *store, const char *party, const char *verdict,
                              char (**out)[65], size_t *count, eg_error *err)
{
	sqlite_store *st = SQ(store);
	sqlite3_stmt *s;
	char (*v)[65] = NULL, (*nv)[65];
	size_t n = 0, alloc = 0;
	int rc = 0, step;

	if (!has_table(st, "review", &st->has_reviews))
		return 0;
	/* the primary key's prefix (party): one range of the index; prepared
	 * once (a decision asks for each party with hits: the prepare cost
	 * 3 times the query) */
	if (st->review_stmt == NULL &&
	    sqlite3_prepare_v3(st->db, "SELECT listing FROM review WHERE party = ?1 AND "
	                       "verdict = ?2 ORDER BY listing", -1, SQLITE_PREPARE_PERSISTENT,
	                       &st->review_stmt, NULL) != SQLITE_OK)
		return db_fail(st, err, "review table");
	s = st->review_stmt;
	bind_str(s, 1, party);
	bind_str(s, 2, verdict);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			if ((nv = eg__realloc(v, alloc * sizeof(*v))) == NULL) {
				rc = eg__error_set(err, EG_ENOMEM, "out of memory");
				goto done;
			}
			v = nv;
		}
		copy_text(v[n], sizeof(v[n]), sqlite3_column_text(s, 0));
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(st, err, "review table");
		goto done;
	}
	*out = v;
	*count = n;
	v = NULL;
done:
	eg__free(v);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

static int sq_schema(eg__store *store, int *at_open, int *now)
{
	*at_open = SQ(store)->schema_at_open;
	*now = SQ(store)->schema;
	return 0;
}

static const eg__store_ops sqlite_ops = {
	"sqlite",
	sq_close,
	sq_find_version,
	sq_add_version,
	sq_versions,
	sq_version_as_of,
	sq_version_by_id,
	sq_previous_version,
	sq_load,
	sq_load_entities,
	sq_changed,
	sq_check,
	sq_refresh_log_add,
	sq_refresh_log_list,
	sq_schema,
	sq_key_add,
	sq_key_list,
	sq_key_revoke,
	sq_key_count,
	sq_keys_in_force,
	sq_review_table,
	sq_review_put,
	sq_review_listings,
};
