/* store/sqlite.c - the embedded store: list versions and entities in one SQLite file.
 *
 * Invariants:
 *  - entity ids of one version increase in the order the parser produced the
 *    entities, so "ORDER BY entity.id" is the original order, and the child
 *    rows (name, address, program, country, attr) are keyed (entity_id, ord)
 *    with ord the index in the entity's array;
 *  - every write happens between BEGIN IMMEDIATE and COMMIT; on any failure
 *    the transaction is rolled back before the function returns, so no
 *    function leaves a transaction open;
 *  - every prepared statement is reset after use, success or not.
 * The schema is documented in docs/store.md. */
#include "store.h"
#include "../util/alloc.h"
#include "../util/caps.h"
#include "../util/error.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* PRAGMA user_version of the schema this file writes and reads. */
#define STORE_SCHEMA_VERSION 1
/* Milliseconds a writer waits for another connection's lock. */
#define STORE_BUSY_TIMEOUT_MS 10000

static const char schema_sql[] =
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

/* The date a version takes effect: its publication date, or lacking one the
 * day it was imported. The as-of rule and the "newest" order both use it. */
#define EFFECTIVE "COALESCE(NULLIF(published, ''), substr(imported, 1, 10))"
#define VERSION_COLS "id, source, format, published, imported, sha256, entities, names"

enum {
	ST_FIND_VERSION,
	ST_VERSION_BY_ID,
	ST_AS_OF,
	ST_NEWEST,
	ST_VERSIONS,
	ST_INS_VERSION,
	ST_INS_ENTITY,
	ST_INS_NAME,
	ST_INS_ADDRESS,
	ST_INS_PROGRAM,
	ST_INS_COUNTRY,
	ST_INS_ATTR,
	ST_ENTITY_RANGE,
	ST_LOAD_ENTITY,
	ST_LOAD_NAME,
	ST_LOAD_ADDRESS,
	ST_LOAD_PROGRAM,
	ST_LOAD_COUNTRY,
	ST_LOAD_ATTR,
	ST__COUNT
};

/* The child rows of the entity ids [?1, ?2] in (entity id, ord) order: one
 * range scan of a table clustered on (entity_id, ord), no sort, no join. The
 * ids of one version are contiguous in practice (one writer inserts them in
 * one transaction); rows of other versions' entities inside the range, were
 * there any, are skipped by the loader, which knows its version's ids. */
#define CHILD_SQL(cols, table)                                               \
	"SELECT entity_id, " cols " FROM " table                                 \
	" WHERE entity_id BETWEEN ?1 AND ?2 ORDER BY entity_id, ord"

static const char *const stmt_sql[ST__COUNT] = {
	[ST_FIND_VERSION] = "SELECT " VERSION_COLS " FROM list_version"
	                    " WHERE source = ?1 AND sha256 = ?2",
	[ST_VERSION_BY_ID] = "SELECT " VERSION_COLS " FROM list_version WHERE id = ?1",
	[ST_AS_OF] = "SELECT " VERSION_COLS " FROM list_version"
	             " WHERE source = ?1 AND " EFFECTIVE " <= ?2"
	             " ORDER BY " EFFECTIVE " DESC, id DESC LIMIT 1",
	[ST_NEWEST] = "SELECT " VERSION_COLS " FROM list_version WHERE source = ?1"
	              " ORDER BY " EFFECTIVE " DESC, id DESC LIMIT 1",
	[ST_VERSIONS] = "SELECT " VERSION_COLS " FROM list_version"
	                " ORDER BY source, " EFFECTIVE " DESC, id DESC",
	[ST_INS_VERSION] = "INSERT INTO list_version (source, format, published,"
	                   " imported, sha256, entities, names)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
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
	/* Two subqueries, so each uses the min/max optimisation of the index. */
	[ST_ENTITY_RANGE] = "SELECT (SELECT min(id) FROM entity WHERE version_id = ?1),"
	                    " (SELECT max(id) FROM entity WHERE version_id = ?1)",
	/* "+version_id": scan the rowid range, filter by version, no index. */
	[ST_LOAD_ENTITY] = "SELECT id, uid, type, remarks, start_date, end_date"
	                   " FROM entity WHERE id BETWEEN ?2 AND ?3 AND +version_id = ?1"
	                   " ORDER BY id",
	[ST_LOAD_NAME] = CHILD_SQL("text, kind, weak", "name"),
	[ST_LOAD_ADDRESS] = CHILD_SQL("street, city, country, remarks", "address"),
	[ST_LOAD_PROGRAM] = CHILD_SQL("text", "program"),
	[ST_LOAD_COUNTRY] = CHILD_SQL("text", "country"),
	[ST_LOAD_ATTR] = CHILD_SQL("key, value", "attr"),
};

struct eg__store {
	sqlite3 *db;
	char *path;                   /* the file, for messages */
	int read_only;
	sqlite3_stmt *stmt[ST__COUNT]; /* prepared at open, reused */
};

static int code_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM: return EG_ENOMEM;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL: return EG_EIO;
	default: return EG_ESTORE;
	}
}

/* Sets err from the connection's last error: "store PATH: WHAT: message". */
static int db_fail(eg__store *st, eg_error *err, const char *what)
{
	int rc = sqlite3_extended_errcode(st->db);

	return eg__error_set(err, code_of(rc), "store %s: %s: %s", st->path, what,
	                     sqlite3_errmsg(st->db));
}

/* Runs SQL without results (transaction control, pragmas, schema). */
static int exec(eg__store *st, const char *sql, const char *what, eg_error *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, err, what);
	return 0;
}

/* Rolls back after a failure; err already holds the first cause and is kept. */
static void rollback(eg__store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
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
static int step_insert(eg__store *st, sqlite3_stmt *s, size_t ord, const eg__entity *e,
                       const char *what, eg_error *err)
{
	int rc = 0;

	/* The message is read before reset, so it names this failure. */
	if (sqlite3_step(s) != SQLITE_DONE)
		rc = eg__error_set(err, code_of(sqlite3_extended_errcode(st->db)),
		                   "store %s: entity %zu (uid %s): %s: %s", st->path, ord,
		                   e->uid ? e->uid : "(none)", what, sqlite3_errmsg(st->db));
	sqlite3_reset(s);
	return rc;
}

/* Copies a text column into a fixed field; NULL becomes "". A value that
 * does not fit means the file was not written by this module. */
static int copy_col(eg__store *st, char *dst, size_t size, sqlite3_stmt *s, int col,
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

/* Fills *out from a row of VERSION_COLS. */
static int read_version(eg__store *st, sqlite3_stmt *s, eg_list_version *out, eg_error *err)
{
	eg_list_version v;
	sqlite3_int64 ents = sqlite3_column_int64(s, 6), names = sqlite3_column_int64(s, 7);
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
	v.entities = (size_t)ents;
	v.names = (size_t)names;
	*out = v;
	return 0;
}

/* Runs a statement expected to return at most one version row (already
 * bound), fills *out, resets it. Returns 0, 1 when there was no row, or an
 * error code with err set. */
static int query_version(eg__store *st, sqlite3_stmt *s, eg_list_version *out,
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

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "YYYY-MM-DD" (shape only: the as-of rule compares these as strings). */
static int is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return 0;
	}
	return s[i] == '\0';
}

static int is_sha256_hex(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return 0;
	return s[64] == '\0';
}

/* Reads PRAGMA user_version; 0 for a new file. */
static int read_user_version(eg__store *st, int *out, eg_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading the schema version");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(s, 0);
		rc = 0;
	} else {
		rc = db_fail(st, err, "reading the schema version");
	}
	sqlite3_finalize(s);
	return rc;
}

/* Creates the schema in a new file, or checks the version of an old one. */
static int ensure_schema(eg__store *st, eg_error *err)
{
	char sql[64];
	int version = 0, rc;

	if ((rc = read_user_version(st, &version, err)) != 0)
		return rc;
	if (version > STORE_SCHEMA_VERSION)
		return eg__error_set(err, EG_EUNSUPPORTED,
		                     "store %s: schema version %d is newer than this program's (%d)",
		                     st->path, version, STORE_SCHEMA_VERSION);
	if (version == STORE_SCHEMA_VERSION)
		return 0;
	if (st->read_only)
		return eg__error_set(err, EG_ESTORE,
		                     "store %s: not an exportgate store (no schema; open it "
		                     "writable once to create one)", st->path);
	if ((rc = exec(st, "BEGIN IMMEDIATE", "creating the schema", err)) != 0)
		return rc;
	/* Another connection may have created it while we waited for the lock. */
	if ((rc = read_user_version(st, &version, err)) != 0)
		goto done;
	if (version == 0) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
		if ((rc = exec(st, schema_sql, "creating the schema", err)) != 0 ||
		    (rc = exec(st, sql, "setting the schema version", err)) != 0)
			goto done;
	}
	rc = exec(st, "COMMIT", "creating the schema", err);
done:
	if (rc != 0)
		rollback(st);
	return rc;
}

void eg__store_close(eg__store *store)
{
	size_t i;

	if (store == NULL)
		return;
	for (i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(store->stmt[i]);
	sqlite3_close(store->db);
	eg__free(store->path);
	eg__free(store);
}

int eg__store_open_sqlite(eg__store **out, const char *path, int read_only,
                          eg_error *err)
{
	eg__store *st = NULL;
	int flags, rc, i;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return eg__error_set(err, EG_EINVAL, "store: empty path");
	st = eg__calloc(1, sizeof(*st));
	if (st == NULL)
		return eg__error_set(err, EG_ENOMEM, "store %s: out of memory", path);
	st->read_only = read_only ? 1 : 0;
	st->path = eg__strdup(path);
	if (st->path == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory", path);
		goto done;
	}
	/* NOMUTEX: a store is used by one thread at a time (store.h). */
	flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
	        SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		if (st->db == NULL) {
			rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory", path);
			goto done;
		}
		rc = db_fail(st, err, read_only ? "cannot open for reading" : "cannot open");
		goto done;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
	/* The first statement reads the header: a file that is not SQLite fails here. */
	if (!read_only &&
	    (rc = exec(st, "PRAGMA journal_mode = WAL", "setting WAL mode", err)) != 0)
		goto done;
	if ((rc = exec(st, "PRAGMA synchronous = FULL", "setting synchronous", err)) != 0 ||
	    (rc = exec(st, "PRAGMA foreign_keys = ON", "enabling foreign keys", err)) != 0 ||
	    (rc = ensure_schema(st, err)) != 0)
		goto done;
	for (i = 0; i < ST__COUNT; i++) {
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                       &st->stmt[i], NULL) != SQLITE_OK) {
			rc = db_fail(st, err, "preparing a statement (schema mismatch?)");
			goto done;
		}
	}
	rc = 0;
done:
	if (rc != 0) {
		eg__store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

int eg__store_find_version(eg__store *store, eg_list_version *out,
                           const char *source, const char *sha256, eg_error *err)
{
	sqlite3_stmt *s = store->stmt[ST_FIND_VERSION];
	int rc;

	bind_str(s, 1, source);
	bind_str(s, 2, sha256);
	rc = query_version(store, s, out, "finding a version", err);
	if (rc == 1)
		return eg__error_set(err, EG_ENOTFOUND, "store %s: source %s has no version with sha256 %s",
		                     store->path, source, sha256);
	return rc;
}

int eg__store_version_by_id(eg__store *store, eg_list_version *out, int64_t id,
                            eg_error *err)
{
	sqlite3_stmt *s = store->stmt[ST_VERSION_BY_ID];
	int rc;

	sqlite3_bind_int64(s, 1, id);
	rc = query_version(store, s, out, "reading a version", err);
	if (rc == 1)
		return eg__error_set(err, EG_ENOTFOUND, "store %s: no list version %lld",
		                     store->path, (long long)id);
	return rc;
}

int eg__store_version_as_of(eg__store *store, eg_list_version *out,
                            const char *source, const char *date, eg_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (date != NULL && !is_date(date))
		return eg__error_set(err, EG_EINVAL, "store %s: as-of date \"%.20s\" is not YYYY-MM-DD",
		                     store->path, date);
	s = store->stmt[date != NULL ? ST_AS_OF : ST_NEWEST];
	bind_str(s, 1, source);
	if (date != NULL)
		bind_str(s, 2, date);
	rc = query_version(store, s, out, "finding the version in force", err);
	if (rc == 1) {
		if (date != NULL)
			return eg__error_set(err, EG_ENOTFOUND,
			                     "store %s: source %s has no version published on or before %s",
			                     store->path, source, date);
		return eg__error_set(err, EG_ENOTFOUND, "store %s: source %s has no version",
		                     store->path, source);
	}
	return rc;
}

int eg__store_versions(eg__store *store, eg_list_version **out, size_t *count,
                       eg_error *err)
{
	sqlite3_stmt *s = store->stmt[ST_VERSIONS];
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
				                   store->path);
				goto done;
			}
			v = nv;
			cap = ncap;
		}
		if ((rc = read_version(store, s, &v[n], err)) != 0)
			goto done;
		n++;
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(store, err, "listing versions");
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

/* Inserts one entity (numbered ord from 1, for messages) and its child rows
 * into the version version_id. */
static int insert_entity(eg__store *st, int64_t version_id, size_t ord, const eg__entity *e,
                         eg_error *err)
{
	sqlite3_stmt *s;
	sqlite3_int64 id;
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
	id = sqlite3_last_insert_rowid(st->db);

	s = st->stmt[ST_INS_NAME];
	sqlite3_bind_int64(s, 1, id);
	for (i = 0; i < e->n_names; i++) {
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_str(s, 3, e->names[i].text);
		sqlite3_bind_int(s, 4, e->names[i].kind);
		sqlite3_bind_int(s, 5, e->names[i].weak);
		if ((rc = step_insert(st, s, ord, e, "writing a name", err)) != 0)
			return rc;
	}
	s = st->stmt[ST_INS_ADDRESS];
	sqlite3_bind_int64(s, 1, id);
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
	sqlite3_bind_int64(s, 1, id);
	for (i = 0; i < e->n_programs; i++) {
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_str(s, 3, e->programs[i]);
		if ((rc = step_insert(st, s, ord, e, "writing a program", err)) != 0)
			return rc;
	}
	s = st->stmt[ST_INS_COUNTRY];
	sqlite3_bind_int64(s, 1, id);
	for (i = 0; i < e->n_countries; i++) {
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_str(s, 3, e->countries[i]);
		if ((rc = step_insert(st, s, ord, e, "writing a country", err)) != 0)
			return rc;
	}
	s = st->stmt[ST_INS_ATTR];
	sqlite3_bind_int64(s, 1, id);
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
static void clear_insert_bindings(eg__store *st)
{
	int i;

	for (i = ST_INS_VERSION; i <= ST_INS_ATTR; i++)
		sqlite3_clear_bindings(st->stmt[i]);
}

int eg__store_add_version(eg__store *store, eg_list_version *v,
                          const eg__entity_set *set, eg_error *err)
{
	sqlite3_stmt *s = store->stmt[ST_INS_VERSION];
	char imported[sizeof(v->imported)];
	size_t names = eg__entity_set_names(set), i;
	int64_t id = 0;
	struct tm tm;
	time_t now;
	int rc;

	if (store->read_only)
		return eg__error_set(err, EG_EINVAL, "store %s: opened read-only, cannot add a version",
		                     store->path);
	if (memchr(v->source, '\0', sizeof(v->source)) == NULL || v->source[0] == '\0' ||
	    memchr(v->format, '\0', sizeof(v->format)) == NULL)
		return eg__error_set(err, EG_EINVAL, "store %s: version: empty or unterminated source "
		                     "or format", store->path);
	if (memchr(v->published, '\0', sizeof(v->published)) == NULL ||
	    (v->published[0] != '\0' && !is_date(v->published)))
		return eg__error_set(err, EG_EINVAL, "store %s: version of %s: published date "
		                     "\"%.10s\" is not YYYY-MM-DD", store->path, v->source, v->published);
	if (memchr(v->sha256, '\0', sizeof(v->sha256)) == NULL || !is_sha256_hex(v->sha256))
		return eg__error_set(err, EG_EINVAL, "store %s: version of %s: sha256 is not 64 "
		                     "lowercase hex digits", store->path, v->source);
	now = time(NULL);
	if (now == (time_t)-1 || gmtime_r(&now, &tm) == NULL ||
	    strftime(imported, sizeof(imported), "%Y-%m-%dT%H:%M:%SZ", &tm) != sizeof(imported) - 1)
		return eg__error_set(err, EG_EIO, "store %s: cannot read the UTC time", store->path);

	if ((rc = exec(store, "BEGIN IMMEDIATE", "starting the import", err)) != 0)
		return rc;
	bind_str(s, 1, v->source);
	bind_str(s, 2, v->format);
	bind_str(s, 3, v->published[0] != '\0' ? v->published : NULL);
	bind_str(s, 4, imported);
	bind_str(s, 5, v->sha256);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)set->n);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)names);
	if (sqlite3_step(s) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(store->db) == SQLITE_CONSTRAINT_UNIQUE)
			rc = eg__error_set(err, EG_EEXISTS,
			                   "store %s: source %s already has a version with sha256 %s",
			                   store->path, v->source, v->sha256);
		else
			rc = db_fail(store, err, "writing the version");
		sqlite3_reset(s);
		goto done;
	}
	sqlite3_reset(s);
	id = sqlite3_last_insert_rowid(store->db);
	for (i = 0; i < set->n; i++) {
		if ((rc = insert_entity(store, id, i + 1, &set->v[i], err)) != 0)
			goto done;
	}
	rc = exec(store, "COMMIT", "committing the import", err);
done:
	clear_insert_bindings(store);
	if (rc != 0) {
		rollback(store);
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
	eg__store *st;
	eg__entity_set *set;
	size_t base;
	const int64_t *ids;
	size_t n;
	size_t cursor; /* first entity whose id may still match a row */
	sqlite3_int64 first, last; /* the version's smallest and largest entity id */
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

/* Sets an optional string field from a column; NULL stays NULL. */
static int set_opt(eg__entity_set *set, const char **field, sqlite3_stmt *s, int col)
{
	size_t len;
	const char *t = col_text(s, col, &len);

	if (t == NULL)
		return 0;
	return eg__entity_set_str(set, field, t, len);
}

int eg__store_load(eg__store *store, eg__entity_set *set, int64_t version_id,
                   eg_error *err)
{
	static const struct { int which; const char *table; } children[] = {
		{ST_LOAD_NAME, "name"}, {ST_LOAD_ADDRESS, "address"}, {ST_LOAD_PROGRAM, "program"},
		{ST_LOAD_COUNTRY, "country"}, {ST_LOAD_ATTR, "attr"},
	};
	sqlite3_stmt *r = store->stmt[ST_ENTITY_RANGE], *s = store->stmt[ST_LOAD_ENTITY];
	eg_list_version v;
	load_ctx c;
	int64_t *ids = NULL;
	size_t cap = 0, k;
	int rc, empty;

	memset(&c, 0, sizeof(c));
	/* One read transaction: every SELECT below sees the same snapshot. */
	if ((rc = exec(store, "BEGIN", "loading entities", err)) != 0)
		return rc;
	if ((rc = eg__store_version_by_id(store, &v, version_id, err)) != 0)
		goto done;
	c.st = store;
	c.set = set;
	c.base = set->n;
	sqlite3_bind_int64(r, 1, version_id);
	rc = sqlite3_step(r);
	if (rc != SQLITE_ROW) {
		rc = db_fail(store, err, "loading entities");
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
		const char *uid;
		size_t len;
		int type, dup = 0;
		eg__entity *e;

		if (c.n == cap) {
			size_t ncap = cap ? cap * 2 : 1024, bytes;
			int64_t *nids;
			if (ncap > EG__CAP_ENTITIES || eg__mul_overflow(&bytes, ncap, sizeof(*ids)) != 0 ||
			    (nids = eg__realloc(ids, bytes)) == NULL) {
				rc = eg__error_set(err, EG_ENOMEM, "store %s: version %lld: out of memory "
				                   "loading entities", store->path, (long long)version_id);
				goto done;
			}
			ids = nids;
			cap = ncap;
		}
		uid = col_text(s, 1, &len);
		type = sqlite3_column_int(s, 2);
		if (uid == NULL || type < EG_TYPE_ANY || type > EG_TYPE_AIRCRAFT) {
			rc = eg__error_set(err, EG_ESTORE, "store %s: entity %lld: NULL uid or invalid type",
			                   store->path, (long long)sqlite3_column_int64(s, 0));
			goto done;
		}
		e = eg__entity_set_add(set, uid, len, &dup);
		if (e == NULL) {
			rc = eg__error_set(err, dup ? EG_ESTORE : EG_ENOMEM,
			                   "store %s: entity %lld (uid %s): %s", store->path,
			                   (long long)sqlite3_column_int64(s, 0), uid,
			                   dup ? "duplicate uid in the set" : "out of memory");
			goto done;
		}
		e->type = (eg_entity_type)type;
		if (set_opt(set, &e->remarks, s, 3) != 0 || set_opt(set, &e->start_date, s, 4) != 0 ||
		    set_opt(set, &e->end_date, s, 5) != 0) {
			rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory loading entities",
			                   store->path);
			goto done;
		}
		ids[c.n++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE) {
		rc = db_fail(store, err, "loading entities");
		goto done;
	}
	sqlite3_reset(s);
	c.ids = ids;
	for (k = 0; k < sizeof(children) / sizeof(children[0]); k++)
		if ((rc = load_children(&c, children[k].which, children[k].table, err)) != 0)
			goto done;
published:
	if (v.published[0] != '\0' &&
	    eg__entity_set_str(set, &set->published, v.published, strlen(v.published)) != 0) {
		rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory loading entities",
		                   store->path);
		goto done;
	}
	rc = 0;
done:
	sqlite3_reset(r);
	sqlite3_reset(s);
	/* A read transaction has nothing to undo; ROLLBACK just ends it. */
	rollback(store);
	eg__free(ids);
	return rc;
}
