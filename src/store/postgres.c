/* store/postgres.c - the shared store: list versions and entities in PostgreSQL (libpq).
 *
 * Invariants:
 *  - an entity is keyed (version_id, pos), pos its 0-based position in the
 *    version (the parser's order); the child rows (name, address, program,
 *    country, attr) are keyed (version_id, pos, ord) with ord the index in
 *    the entity's array. "ORDER BY pos, ord" gives a version back exactly as
 *    it was read, and position k of a version is one primary-key lookup;
 *  - every statement but transaction-free DDL of a migration and COPY is
 *    prepared once per connection (prepare_all) and run by name; nothing is
 *    ever interpolated into SQL text;
 *  - every write happens between BEGIN and COMMIT on this connection; on any
 *    failure the transaction is rolled back before the function returns, so
 *    no function leaves a transaction open;
 *  - add_version announces the new version with pg_notify inside its
 *    transaction (delivered only if it commits); the connection LISTENs from
 *    its open, so `changed` sees every process's imports;
 *  - a connection found broken is reset once at the start of the next
 *    operation (prepared statements and LISTEN redone) and `changed` then
 *    answers 1, since notifications may have been lost meanwhile.
 * The schema, its migrations and the choices below are documented in
 * docs/store.md ("PostgreSQL"). */
#include "store.h"
#include "rows_digest.h"
#include "../util/alloc.h"
#include "../util/caps.h"
#include "../util/error.h"
#include "../util/num.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The schema this file writes: the number of the last migration below. */
#define PG_SCHEMA_VERSION 5
/* The NOTIFY channel of new versions; the payload is the version id. */
#define PG_CHANNEL "exportgate_store"
/* The key of the transaction-scoped advisory lock that serialises
 * migrations ("EGMI"). */
#define PG_MIGRATE_LOCK "1162300745"
/* Milliseconds between two attempts to reconnect a broken connection. */
#define PG_RETRY_MS 1000
/* Bytes gathered before one PQputCopyData. */
#define PG_COPY_CHUNK (256 * 1024)

/* The migrations, in order: migrations[k] takes a store from schema k to
 * k + 1. Each runs in the one transaction that records it in
 * schema_version. A migration once released is never edited: a change is
 * a new migration. */
static const char *const migrations[PG_SCHEMA_VERSION] = {
	/* 1: the tables of docs/store.md ("PostgreSQL"). */
	"CREATE TABLE list_version ("
	" id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	" source text NOT NULL CHECK (length(source) BETWEEN 1 AND 31),"
	" format text NOT NULL DEFAULT '' CHECK (length(format) <= 31),"
	" published text CHECK (published ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),"
	" imported text NOT NULL CHECK (length(imported) = 20),"
	" sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),"
	" entities bigint NOT NULL CHECK (entities >= 0),"
	" names bigint NOT NULL CHECK (names >= 0),"
	" carries integer NOT NULL DEFAULT 0 CHECK (carries >= 0),"
	" rows_sha256 text CHECK (rows_sha256 ~ '^[0-9a-f]{64}$'),"
	" UNIQUE (source, sha256));"
	"CREATE TABLE entity ("
	" version_id bigint NOT NULL REFERENCES list_version(id),"
	" pos integer NOT NULL CHECK (pos >= 0),"
	" uid text NOT NULL,"
	" type smallint NOT NULL CHECK (type BETWEEN 0 AND 5),"
	" remarks text, start_date text, end_date text,"
	" PRIMARY KEY (version_id, pos),"
	" UNIQUE (version_id, uid));"
	"CREATE TABLE name ("
	" version_id bigint NOT NULL, pos integer NOT NULL, ord integer NOT NULL,"
	" text text NOT NULL,"
	" kind smallint NOT NULL CHECK (kind BETWEEN 0 AND 3),"
	" weak smallint NOT NULL CHECK (weak IN (0, 1)),"
	" PRIMARY KEY (version_id, pos, ord),"
	" FOREIGN KEY (version_id, pos) REFERENCES entity(version_id, pos));"
	"CREATE TABLE address ("
	" version_id bigint NOT NULL, pos integer NOT NULL, ord integer NOT NULL,"
	" street text, city text, country text, remarks text,"
	" PRIMARY KEY (version_id, pos, ord),"
	" FOREIGN KEY (version_id, pos) REFERENCES entity(version_id, pos));"
	"CREATE TABLE program ("
	" version_id bigint NOT NULL, pos integer NOT NULL, ord integer NOT NULL,"
	" text text NOT NULL,"
	" PRIMARY KEY (version_id, pos, ord),"
	" FOREIGN KEY (version_id, pos) REFERENCES entity(version_id, pos));"
	"CREATE TABLE country ("
	" version_id bigint NOT NULL, pos integer NOT NULL, ord integer NOT NULL,"
	" text text NOT NULL,"
	" PRIMARY KEY (version_id, pos, ord),"
	" FOREIGN KEY (version_id, pos) REFERENCES entity(version_id, pos));"
	"CREATE TABLE attr ("
	" version_id bigint NOT NULL, pos integer NOT NULL, ord integer NOT NULL,"
	" key text NOT NULL, value text NOT NULL,"
	" PRIMARY KEY (version_id, pos, ord),"
	" FOREIGN KEY (version_id, pos) REFERENCES entity(version_id, pos));",
	/* 2: the decision log (src/audit/log_pg.c, docs/audit.md): records
	 * with their leaf hashes, the complete nodes of levels 1 and up, the
	 * signed checkpoints. */
	"CREATE TABLE audit_record ("
	" idx bigint PRIMARY KEY CHECK (idx >= 0),"
	" time_ms bigint NOT NULL,"
	" payload bytea NOT NULL,"
	" leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32));"
	"CREATE TABLE audit_node ("
	" level integer NOT NULL CHECK (level >= 1),"
	" idx bigint NOT NULL CHECK (idx >= 0),"
	" hash bytea NOT NULL CHECK (length(hash) = 32),"
	" PRIMARY KEY (level, idx));"
	"CREATE TABLE audit_checkpoint ("
	" size bigint PRIMARY KEY CHECK (size >= 0),"
	" time_ms bigint NOT NULL,"
	" text text NOT NULL);",
	/* 3: the attempts log of eg_refresh (docs/refresh.md), as SQLite's
	 * schema 4 keeps it. */
	"CREATE TABLE refresh_attempt ("
	" id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	" source text NOT NULL, time text NOT NULL, millis bigint NOT NULL,"
	" outcome smallint NOT NULL, http_status bigint NOT NULL, bytes bigint NOT NULL,"
	" sha256 text NOT NULL, version_id bigint NOT NULL, url text NOT NULL,"
	" etag text NOT NULL, last_modified text NOT NULL, reason text NOT NULL,"
	" held_path text NOT NULL);"
	"CREATE INDEX refresh_attempt_source ON refresh_attempt (source, id);",
	/* 4: batch screening of a table of parties (src/store/pg_batch.c,
	 * docs/scale.md): a run, its chunks (ranges of party ids) that workers
	 * claim with FOR UPDATE SKIP LOCKED, one result per party screened and
	 * its hits, all written in the chunk's transaction. Results carry no
	 * foreign key to their chunk: they are only ever written in the
	 * transaction that holds the chunk's row lock, and the check would
	 * double the cost of writing them (5.5 of 10 us a row, measured). */
	"CREATE TABLE batch_run ("
	" id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	" tbl text NOT NULL,"
	" has_type boolean NOT NULL,"
	" created timestamptz NOT NULL DEFAULT now(),"
	" chunk_rows integer NOT NULL CHECK (chunk_rows > 0),"
	" chunks integer NOT NULL DEFAULT 0,"
	" rows bigint NOT NULL DEFAULT 0,"
	" min_score double precision NOT NULL,"
	" hit_limit integer NOT NULL CHECK (hit_limit BETWEEN 1 AND 1000),"
	" since bigint CHECK (since > 0));"
	"CREATE TABLE batch_chunk ("
	" run_id bigint NOT NULL REFERENCES batch_run(id),"
	" chunk integer NOT NULL CHECK (chunk >= 0),"
	" lo bigint NOT NULL, hi bigint NOT NULL CHECK (hi >= lo),"
	" rows integer NOT NULL,"
	" state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),"
	" claimed_by text, claimed_at timestamptz, done_at timestamptz,"
	" screened integer, rejected integer, with_hits integer, hits integer,"
	" versions text, skipped text,"
	" PRIMARY KEY (run_id, chunk));"
	"CREATE INDEX batch_chunk_pending ON batch_chunk (run_id, chunk) WHERE state = 'pending';"
	"CREATE TABLE batch_result ("
	" run_id bigint NOT NULL, party_id bigint NOT NULL, chunk integer NOT NULL,"
	" hits integer NOT NULL CHECK (hits >= 0),"
	" versions bigint[] NOT NULL,"
	" skipped text, rejected text,"
	" PRIMARY KEY (run_id, party_id));"
	"CREATE TABLE batch_hit ("
	" run_id bigint NOT NULL, party_id bigint NOT NULL, rank integer NOT NULL,"
	" score real NOT NULL, source text NOT NULL, uid text NOT NULL,"
	" version_id bigint NOT NULL, matched_name text NOT NULL, primary_name text NOT NULL,"
	" PRIMARY KEY (run_id, party_id, rank));",
	/* 5: the server's API keys (engine_keys.c: a key's SHA-256, never the
	 * key; one key in force per name) and the reviews of hits
	 * (engine_review.c), as SQLite keeps them (docs/store.md, "API keys
	 * and reviews"). */
	"CREATE TABLE api_key ("
	" id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	" name text NOT NULL, roles integer NOT NULL,"
	" sha256 bytea NOT NULL CHECK (length(sha256) = 32),"
	" prefix text NOT NULL, created text NOT NULL, revoked text);"
	"CREATE UNIQUE INDEX api_key_in_force ON api_key (name) WHERE revoked IS NULL;"
	"CREATE TABLE review ("
	" party text NOT NULL, source text NOT NULL, uid text NOT NULL,"
	" listing text NOT NULL CHECK (length(listing) = 64),"
	" verdict text NOT NULL CHECK (verdict IN ('false-positive', 'true-match')),"
	" log_index bigint NOT NULL CHECK (log_index >= 0),"
	" PRIMARY KEY (party, source, uid, listing));",
};

/* The SQL below writes the EG_CARRIES_* flags and entity types as numbers. */
_Static_assert(EG_TYPE_UNKNOWN == 5, "the entity.type CHECK allows 0..5");
_Static_assert(EG__NAME_NKA == 3, "the name.kind CHECK allows 0..3");

/* The date a version takes effect: its publication date, or lacking one the
 * day it was imported (the as-of rule of store.h). */
#define EFFECTIVE "COALESCE(NULLIF(published, ''), substr(imported, 1, 10))"
#define COLS "id, source, format, published, imported, sha256, entities, names, carries"
#define ENTITY_COLS "pos, uid, type, remarks, start_date, end_date"
/* The child rows of a version, or of some of its positions ($2, an array),
 * in (pos, ord) order: one range scan of the primary key. */
#define CHILD_ALL(cols, table) \
	"SELECT pos, " cols " FROM " table " WHERE version_id = $1 ORDER BY pos, ord"
#define CHILD_AT(cols, table) \
	"SELECT pos, " cols " FROM " table " WHERE version_id = $1" \
	" AND pos = ANY ($2::integer[]) ORDER BY pos, ord"

enum {
	ST_BEGIN_READ,
	ST_BEGIN_WRITE,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_FIND_VERSION,
	ST_VERSION_BY_ID,
	ST_AS_OF,
	ST_NEWEST,
	ST_VERSIONS,
	ST_PREVIOUS,
	ST_RECORDED,
	ST_LOAD_ENTITY,
	ST_LOAD_NAME,
	ST_LOAD_ADDRESS,
	ST_LOAD_PROGRAM,
	ST_LOAD_COUNTRY,
	ST_LOAD_ATTR,
	ST_ENTITY_AT,
	ST_NAME_AT,
	ST_ADDRESS_AT,
	ST_PROGRAM_AT,
	ST_COUNTRY_AT,
	ST_ATTR_AT,
	ST_CHECK,
	ST_INS_VERSION,
	ST_NOTIFY,
	ST_INS_REFRESH,
	ST_REFRESH_LIST,
	ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
	/* One snapshot for every statement of a read. */
	[ST_BEGIN_READ] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	[ST_BEGIN_WRITE] = "BEGIN",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_FIND_VERSION] = "SELECT " COLS " FROM list_version WHERE source = $1 AND sha256 = $2",
	[ST_VERSION_BY_ID] = "SELECT " COLS " FROM list_version WHERE id = $1",
	[ST_AS_OF] = "SELECT " COLS " FROM list_version WHERE source = $1 AND " EFFECTIVE
	             " <= $2 ORDER BY " EFFECTIVE " DESC, id DESC LIMIT 1",
	[ST_NEWEST] = "SELECT " COLS " FROM list_version WHERE source = $1"
	              " ORDER BY " EFFECTIVE " DESC, id DESC LIMIT 1",
	[ST_VERSIONS] = "SELECT " COLS " FROM list_version"
	                " ORDER BY source COLLATE \"C\", " EFFECTIVE " DESC, id DESC",
	[ST_PREVIOUS] = "SELECT " COLS " FROM list_version WHERE source = $1"
	                " AND (" EFFECTIVE ", id) < (SELECT " EFFECTIVE ", id"
	                "  FROM list_version WHERE id = $2)"
	                " ORDER BY " EFFECTIVE " DESC, id DESC LIMIT 1",
	[ST_RECORDED] = "SELECT rows_sha256 FROM list_version WHERE id = $1",
	[ST_LOAD_ENTITY] = "SELECT " ENTITY_COLS " FROM entity WHERE version_id = $1 ORDER BY pos",
	[ST_LOAD_NAME] = CHILD_ALL("text, kind, weak", "name"),
	[ST_LOAD_ADDRESS] = CHILD_ALL("street, city, country, remarks", "address"),
	[ST_LOAD_PROGRAM] = CHILD_ALL("text", "program"),
	[ST_LOAD_COUNTRY] = CHILD_ALL("text", "country"),
	[ST_LOAD_ATTR] = CHILD_ALL("key, value", "attr"),
	[ST_ENTITY_AT] = "SELECT " ENTITY_COLS " FROM entity WHERE version_id = $1"
	                 " AND pos = ANY ($2::integer[]) ORDER BY pos",
	[ST_NAME_AT] = CHILD_AT("text, kind, weak", "name"),
	[ST_ADDRESS_AT] = CHILD_AT("street, city, country, remarks", "address"),
	[ST_PROGRAM_AT] = CHILD_AT("text", "program"),
	[ST_COUNTRY_AT] = CHILD_AT("text", "country"),
	[ST_ATTR_AT] = CHILD_AT("key, value", "attr"),
	/* The first version whose rows disagree with what it recorded. */
	[ST_CHECK] = "SELECT v.id, v.source, v.entities, COALESCE(e.n, 0), v.names,"
	             " COALESCE(m.n, 0) FROM list_version v"
	             " LEFT JOIN (SELECT version_id, count(*) AS n FROM entity GROUP BY 1) e"
	             "  ON e.version_id = v.id"
	             " LEFT JOIN (SELECT version_id, count(*) AS n FROM name GROUP BY 1) m"
	             "  ON m.version_id = v.id"
	             " WHERE COALESCE(e.n, 0) <> v.entities OR COALESCE(m.n, 0) <> v.names"
	             " ORDER BY v.id LIMIT 1",
	/* The database's clock, one for every server writing the store. */
	[ST_INS_VERSION] = "INSERT INTO list_version (source, format, published, imported,"
	                   " sha256, entities, names, carries, rows_sha256) VALUES ($1, $2, $3,"
	                   " to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	                   " $4, $5, $6, $7, $8) RETURNING id, imported",
	[ST_NOTIFY] = "SELECT pg_notify('" PG_CHANNEL "', $1)",
	[ST_INS_REFRESH] = "INSERT INTO refresh_attempt (source, time, millis, outcome,"
	                   " http_status, bytes, sha256, version_id, url, etag, last_modified,"
	                   " reason, held_path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	                   " $11, $12, $13) RETURNING id",
	/* outcomes 0, 1, 2: imported, unchanged, not modified (accepted) */
	[ST_REFRESH_LIST] = "SELECT id, source, time, millis, outcome, http_status, bytes, sha256,"
	                    " version_id, url, etag, last_modified, reason, held_path"
	                    " FROM refresh_attempt WHERE ($1::text IS NULL OR source = $1)"
	                    " AND ($2::integer = 0 OR outcome IN (0, 1, 2))"
	                    " ORDER BY id DESC LIMIT $3::bigint",
};

/* The prepared statement names: "eg_" and the index. */
static void stmt_name(char out[16], int i)
{
	snprintf(out, 16, "eg_%d", i);
}

/* The statements of API keys and reviews (migration 5), numbered from
 * KS__BASE so that they are named apart from the list's ("eg_1000", ...)
 * and run by the same `run`. The database's clock stamps keys, one clock
 * for every server. */
#define PG_NOW "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
enum {
	KS__BASE = 1000,
	KS_KEY_ADD = KS__BASE,
	KS_KEY_LIST,
	KS_KEY_REVOKE,
	KS_KEY_COUNT,
	KS_KEYS_IN_FORCE,
	KS_REVIEW_PUT,
	KS_REVIEW_LISTINGS,
	KS__END
};
_Static_assert((int)ST__COUNT < (int)KS__BASE, "statement numbers stay apart");

static const char *const key_stmt_sql[KS__END - KS__BASE] = {
	[KS_KEY_ADD - KS__BASE] = "INSERT INTO api_key (name, roles, sha256, prefix, created)"
	                          " VALUES ($1, $2, decode($3, 'hex'), $4, " PG_NOW ")",
	[KS_KEY_LIST - KS__BASE] = "SELECT name, roles, created, revoked, prefix FROM api_key"
	                           " ORDER BY id",
	[KS_KEY_REVOKE - KS__BASE] = "UPDATE api_key SET revoked = " PG_NOW
	                             " WHERE name = $1 AND revoked IS NULL",
	[KS_KEY_COUNT - KS__BASE] = "SELECT count(*) FROM api_key WHERE revoked IS NULL",
	[KS_KEYS_IN_FORCE - KS__BASE] = "SELECT name, roles, encode(sha256, 'hex') FROM api_key"
	                                " WHERE revoked IS NULL ORDER BY id",
	/* a later review of the same listing replaces the earlier, as SQLite's
	 * INSERT OR REPLACE does */
	[KS_REVIEW_PUT - KS__BASE] = "INSERT INTO review (party, source, uid, listing, verdict,"
	                             " log_index) VALUES ($1, $2, $3, $4, $5, $6)"
	                             " ON CONFLICT (party, source, uid, listing) DO UPDATE SET"
	                             " verdict = EXCLUDED.verdict, log_index = EXCLUDED.log_index",
	/* the primary key's prefix (party): one range of the index */
	[KS_REVIEW_LISTINGS - KS__BASE] = "SELECT listing FROM review WHERE party = $1"
	                                  " AND verdict = $2 ORDER BY listing",
};

typedef struct pg_store {
	eg__store base;              /* first: the interface's handle */
	PGconn *conn;
	char *name;                  /* the URI without its password, for messages */
	int read_only;
	int schema_at_open;          /* schema_version before this open's migration */
	int schema;                  /* schema_version now */
	int missed;                  /* reset since the last `changed`: notifications may be lost */
	int64_t retried_ms;          /* the last reconnection attempt that failed (monotonic) */
	unsigned long commits;       /* this connection's commits ... */
	unsigned long commits_seen;  /* ... and their number at the last `changed` */
} pg_store;

static const eg__store_ops pg_ops;

static pg_store *PG(eg__store *s)
{
	return (pg_store *)s;
}

/* The first line of a libpq message (they end with a newline, and a
 * server's error may add DETAIL lines), at most size - 1 bytes. */
static const char *first_line(char *buf, size_t size, const char *msg)
{
	size_t n = 0;

	if (msg == NULL)
		msg = "(no message)";
	while (msg[n] != '\0' && msg[n] != '\n' && n + 1 < size) {
		buf[n] = msg[n];
		n++;
	}
	buf[n] = '\0';
	return buf;
}

/* Sets err from a failed result (or the connection when res is NULL):
 * "store NAME: WHAT: message". Every failure is EG_ESTORE: the server's
 * refusal, a lost connection, a full disk, a constraint. */
static int db_fail(pg_store *st, const PGresult *res, const char *what, eg_error *err)
{
	char line[512], where[128];
	const char *msg = NULL, *context = NULL;

	if (res != NULL) {
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		/* For a COPY, "COPY entity, line 2000": the row that failed. */
		context = PQresultErrorField(res, PG_DIAG_CONTEXT);
	}
	if (msg == NULL)
		msg = PQerrorMessage(st->conn);
	if (context != NULL && strncmp(context, "COPY ", 5) == 0)
		return eg__error_set(err, EG_ESTORE, "store %s: %s: %s (%s)", st->name, what,
		                     first_line(line, sizeof(line), msg),
		                     first_line(where, sizeof(where), context));
	return eg__error_set(err, EG_ESTORE, "store %s: %s: %s", st->name, what,
	                     first_line(line, sizeof(line), msg));
}

/* Runs prepared statement i with text parameters; *out gets the result
 * when it has the status expected (PGRES_TUPLES_OK or PGRES_COMMAND_OK),
 * else err is set and the result freed. */
static int run(pg_store *st, int i, int nparams, const char *const *params, PGresult **out,
               const char *what, eg_error *err)
{
	char name[16];
	PGresult *res;
	ExecStatusType s;

	*out = NULL;
	stmt_name(name, i);
	res = PQexecPrepared(st->conn, name, nparams, params, NULL, NULL, 0);
	s = PQresultStatus(res);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		int rc = db_fail(st, res, what, err);
		PQclear(res);
		return rc;
	}
	*out = res;
	return 0;
}

/* Runs a prepared statement whose result is not needed. */
static int run_cmd(pg_store *st, int i, const char *what, eg_error *err)
{
	PGresult *res;
	int rc = run(st, i, 0, NULL, &res, what, err);

	PQclear(res);
	return rc;
}

static int commit(pg_store *st, const char *what, eg_error *err)
{
	int rc = run_cmd(st, ST_COMMIT, what, err);

	if (rc == 0)
		st->commits++;
	return rc;
}

/* Ends a failed or read transaction; err already holds the first cause and
 * is kept. */
static void rollback(pg_store *st)
{
	if (PQtransactionStatus(st->conn) != PQTRANS_IDLE) {
		eg_error ignored;
		run_cmd(st, ST_ROLLBACK, "rolling back", &ignored);
	}
}

/* Runs one statement of the open or of a migration's frame (no
 * parameters, nothing interpolated), expecting no rows it needs. Used once
 * per connection, so not prepared (PQexecParams: one statement only). */
static int exec_sql(pg_store *st, const char *sql, const char *what, eg_error *err)
{
	PGresult *res = PQexecParams(st->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = db_fail(st, res, what, err);
	PQclear(res);
	return rc;
}

/* Runs a migration's script: several DDL statements, which only the
 * simple query protocol (PQexec) takes in one call. */
static int exec_script(pg_store *st, const char *sql, const char *what, eg_error *err)
{
	PGresult *res = PQexec(st->conn, sql);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = db_fail(st, res, what, err);
	PQclear(res);
	return rc;
}

/* --- values of a result ----------------------------------------------- */

/* Column c of row r as a number in [0, hi]; -1 when NULL or not one. */
static int get_u64(const PGresult *res, int r, int c, uint64_t hi, uint64_t *out)
{
	if (PQgetisnull(res, r, c))
		return -1;
	return eg__parse_u64(out, PQgetvalue(res, r, c), 0, hi);
}

/* Copies a text column into a fixed field; NULL becomes "". */
static int copy_col(pg_store *st, char *dst, size_t size, const PGresult *res, int r, int c,
                    const char *field, eg_error *err)
{
	size_t len = PQgetisnull(res, r, c) ? 0 : (size_t)PQgetlength(res, r, c);

	if (len >= size)
		return eg__error_set(err, EG_ESTORE,
		                     "store %s: list_version %s: field %s is %zu bytes, over %zu",
		                     st->name, PQgetvalue(res, r, 0), field, len, size - 1);
	memcpy(dst, PQgetvalue(res, r, c), len);
	dst[len] = '\0';
	return 0;
}

/* Fills *out from row r of a result of COLS. */
static int read_version(pg_store *st, const PGresult *res, int r, eg_list_version *out,
                        eg_error *err)
{
	eg_list_version v;
	uint64_t id, ents, names, carries;
	int rc;

	memset(&v, 0, sizeof(v));
	if (get_u64(res, r, 0, INT64_MAX, &id) != 0 || get_u64(res, r, 6, SIZE_MAX, &ents) != 0 ||
	    get_u64(res, r, 7, SIZE_MAX, &names) != 0 ||
	    get_u64(res, r, 8, EG_CARRIES_ALL, &carries) != 0)
		return eg__error_set(err, EG_ESTORE, "store %s: list_version %s: a count, id or "
		                     "carries is NULL, negative or has unknown flags", st->name,
		                     PQgetvalue(res, r, 0));
	v.id = (int64_t)id;
	if ((rc = copy_col(st, v.source, sizeof(v.source), res, r, 1, "source", err)) != 0 ||
	    (rc = copy_col(st, v.format, sizeof(v.format), res, r, 2, "format", err)) != 0 ||
	    (rc = copy_col(st, v.published, sizeof(v.published), res, r, 3, "published", err)) != 0 ||
	    (rc = copy_col(st, v.imported, sizeof(v.imported), res, r, 4, "imported", err)) != 0 ||
	    (rc = copy_col(st, v.sha256, sizeof(v.sha256), res, r, 5, "sha256", err)) != 0)
		return rc;
	v.entities = (size_t)ents;
	v.names = (size_t)names;
	v.carries = (unsigned)carries;
	*out = v;
	return 0;
}

/* Runs a statement of at most one version row; 0, 1 when there was none,
 * or an error. */
static int query_version(pg_store *st, int i, int nparams, const char *const *params,
                         eg_list_version *out, const char *what, eg_error *err)
{
	PGresult *res;
	int rc;

	if ((rc = run(st, i, nparams, params, &res, what, err)) != 0)
		return rc;
	rc = PQntuples(res) == 0 ? 1 : read_version(st, res, 0, out, err);
	PQclear(res);
	return rc;
}

/* --- opening ------------------------------------------------------------ */

/* The URI with its password (in the user part, or a password= parameter)
 * replaced by "***", for messages. NULL when out of memory. */
static char *redact(const char *uri)
{
	size_t len = strlen(uri), i, o = 0;
	const char *auth = strstr(uri, "://"), *at, *end, *colon;
	/* Each replacement grows the text by at most 3 bytes and consumes at
	 * least 2 ("password=" is 9): twice the length is always enough. */
	char *out = len < SIZE_MAX / 2 - 16 ? eg__malloc(2 * len + 16) : NULL;

	if (out == NULL)
		return NULL;
	auth = auth != NULL ? auth + 3 : uri;
	end = auth + strcspn(auth, "/?");
	at = memchr(auth, '@', (size_t)(end - auth));
	colon = at != NULL ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	for (i = 0; i < len;) {
		const char *p = uri + i;
		if (colon != NULL && p == colon) {
			memcpy(out + o, ":***", 4);
			o += 4;
			i = (size_t)(at - uri);
			continue;
		}
		if (p > end && (p[-1] == '?' || p[-1] == '&') && strncmp(p, "password=", 9) == 0) {
			memcpy(out + o, "password=***", 12);
			o += 12;
			i += 9 + strcspn(p + 9, "&");
			continue;
		}
		out[o++] = uri[i++];
	}
	out[o] = '\0';
	return out;
}

static void pg_close(eg__store *store)
{
	pg_store *st = PG(store);

	PQfinish(st->conn);
	eg__free(st->name);
	eg__free(st);
}

static int prepare_all(pg_store *st, eg_error *err)
{
	char name[16];
	int i;

	for (i = 0; i < ST__COUNT + (KS__END - KS__BASE); i++) {
		int k = i < ST__COUNT ? i : KS__BASE + (i - ST__COUNT);
		PGresult *res;
		int rc = 0;
		stmt_name(name, k);
		res = PQprepare(st->conn, name, k < ST__COUNT ? stmt_sql[k] : key_stmt_sql[k - KS__BASE],
		                0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = db_fail(st, res, "preparing a statement (schema mismatch?)", err);
		PQclear(res);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The schema version recorded in the database: 0 when it has no
 * schema_version table. Runs once per open (PQexecParams). */
static int read_schema(pg_store *st, int *out, eg_error *err)
{
	PGresult *res;
	uint64_t v = 0;
	int rc = 0;

	*out = 0;
	res = PQexecParams(st->conn, "SELECT to_regclass('schema_version') IS NOT NULL", 0, NULL,
	                   NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = db_fail(st, res, "reading the schema version", err);
		PQclear(res);
		return rc;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		PQclear(res);
		return 0;
	}
	PQclear(res);
	res = PQexecParams(st->conn, "SELECT COALESCE(max(version), 0) FROM schema_version", 0,
	                   NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = db_fail(st, res, "reading the schema version", err);
	else if (get_u64(res, 0, 0, 1000000, &v) != 0)
		rc = eg__error_set(err, EG_ESTORE, "store %s: schema_version holds \"%s\"", st->name,
		                   PQgetvalue(res, 0, 0));
	PQclear(res);
	*out = (int)v;
	return rc;
}

/* Applies every migration the database lacks, in one transaction under a
 * transaction-scoped advisory lock: a second process migrating at the same
 * time waits, then finds the work done (the version is re-read under the
 * lock). Any failure rolls all of it back. */
static int migrate(pg_store *st, eg_error *err)
{
	int version = 0, rc, k;

	if ((rc = exec_sql(st, "BEGIN", "migrating the schema", err)) != 0)
		return rc;
	if ((rc = exec_sql(st, "SELECT pg_advisory_xact_lock(" PG_MIGRATE_LOCK ")",
	                   "migrating the schema: taking the lock", err)) != 0 ||
	    (rc = exec_sql(st, "CREATE TABLE IF NOT EXISTS schema_version ("
	                   " version integer PRIMARY KEY,"
	                   " applied timestamptz NOT NULL DEFAULT now())",
	                   "creating schema_version", err)) != 0 ||
	    (rc = read_schema(st, &version, err)) != 0)
		goto done;
	if (version > PG_SCHEMA_VERSION) {
		rc = eg__error_set(err, EG_EUNSUPPORTED, "store %s: schema version %d is newer than "
		                   "this program's (%d)", st->name, version, PG_SCHEMA_VERSION);
		goto done;
	}
	for (k = version; k < PG_SCHEMA_VERSION; k++) {
		char what[64], num[16];
		const char *params[1] = {num};
		PGresult *res;
		snprintf(what, sizeof(what), "migrating the schema to version %d", k + 1);
		snprintf(num, sizeof(num), "%d", k + 1);
		if ((rc = exec_script(st, migrations[k], what, err)) != 0)
			goto done;
		res = PQexecParams(st->conn, "INSERT INTO schema_version (version) VALUES ($1)", 1,
		                   NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = db_fail(st, res, what, err);
		PQclear(res);
		if (rc != 0)
			goto done;
	}
	rc = exec_sql(st, "COMMIT", "migrating the schema", err);
	if (rc == 0)
		st->commits++;
done:
	if (rc != 0 && PQtransactionStatus(st->conn) != PQTRANS_IDLE)
		PQclear(PQexecParams(st->conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0));
	return rc;
}

/* Migrates (writable) or checks the schema; sets schema_at_open and schema. */
static int ensure_schema(pg_store *st, eg_error *err)
{
	int version = 0, rc;

	if ((rc = read_schema(st, &version, err)) != 0)
		return rc;
	st->schema_at_open = version;
	if (version > PG_SCHEMA_VERSION)
		return eg__error_set(err, EG_EUNSUPPORTED,
		                     "store %s: schema version %d is newer than this program's (%d)",
		                     st->name, version, PG_SCHEMA_VERSION);
	if (version < PG_SCHEMA_VERSION && st->read_only)
		return eg__error_set(err, EG_ESTORE, "store %s: schema version %d, this program "
		                     "reads %d; run `exportgate store migrate` first", st->name,
		                     version, PG_SCHEMA_VERSION);
	if (version < PG_SCHEMA_VERSION &&
	    ((rc = migrate(st, err)) != 0 || (rc = read_schema(st, &version, err)) != 0))
		return rc;
	if (version != PG_SCHEMA_VERSION)
		return eg__error_set(err, EG_EUNSUPPORTED, "store %s: schema version %d after "
		                     "migrating, expected %d", st->name, version, PG_SCHEMA_VERSION);
	st->schema = version;
	return 0;
}

/* What every connection sets up: LISTEN (before a read-only session, in
 * which it might be refused), the session's read-only flag, the
 * statements. */
static int session_setup(pg_store *st, eg_error *err)
{
	int rc;

	if ((rc = exec_sql(st, "LISTEN " PG_CHANNEL, "listening for new versions", err)) != 0)
		return rc;
	if (st->read_only &&
	    (rc = exec_sql(st, "SET default_transaction_read_only = on",
	                   "opening read-only", err)) != 0)
		return rc;
	return prepare_all(st, err);
}

/* The server's notices ("relation already exists, skipping") are not
 * errors; libpq would print them on stderr. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Connects. The URI's own parameters win over the defaults before it (a
 * connect timeout, so that an unreachable server is an error, not a hang);
 * the client encoding after it is always UTF-8, what the lists are in. */
static int connect_db(pg_store *st, const char *uri, eg_error *err)
{
	static const char *const keys[] = {"connect_timeout", "application_name", "dbname",
	                                   "client_encoding", NULL};
	const char *values[] = {"10", "exportgate", uri, "UTF8", NULL};
	char line[512];

	st->conn = PQconnectdbParams(keys, values, 1);
	if (st->conn == NULL)
		return eg__error_set(err, EG_ENOMEM, "store %s: out of memory", st->name);
	if (PQstatus(st->conn) != CONNECTION_OK)
		return eg__error_set(err, EG_ESTORE, "store %s: cannot connect: %s", st->name,
		                     first_line(line, sizeof(line), PQerrorMessage(st->conn)));
	PQsetNoticeProcessor(st->conn, ignore_notice, NULL);
	return 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reconnects a connection found broken (a restarted server, a network
 * cut) before an operation; `changed` answers 1 afterwards. At most one
 * attempt per PG_RETRY_MS: while the server stays away, calls fail at once
 * instead of each waiting for a connect timeout. */
static int ensure_conn(pg_store *st, eg_error *err)
{
	char line[512];
	int64_t now;

	if (PQstatus(st->conn) == CONNECTION_OK)
		return 0;
	now = mono_ms();
	if (st->retried_ms != 0 && now - st->retried_ms < PG_RETRY_MS)
		return eg__error_set(err, EG_ESTORE, "store %s: connection lost; reconnecting",
		                     st->name);
	st->retried_ms = now;
	PQreset(st->conn);
	if (PQstatus(st->conn) != CONNECTION_OK)
		return eg__error_set(err, EG_ESTORE, "store %s: connection lost, cannot reconnect: %s",
		                     st->name, first_line(line, sizeof(line),
		                                          PQerrorMessage(st->conn)));
	st->missed = 1;
	st->retried_ms = 0;
	return session_setup(st, err);
}

int eg__store_open_postgres(eg__store **out, const char *uri, int read_only, eg_error *err)
{
	pg_store *st;
	int rc;

	*out = NULL;
	st = eg__calloc(1, sizeof(*st));
	if (st == NULL)
		return eg__error_set(err, EG_ENOMEM, "store: out of memory");
	st->base.ops = &pg_ops;
	st->read_only = read_only ? 1 : 0;
	if ((st->name = redact(uri)) == NULL) {
		eg__free(st);
		return eg__error_set(err, EG_ENOMEM, "store: out of memory");
	}
	if ((rc = connect_db(st, uri, err)) != 0 || (rc = ensure_schema(st, err)) != 0 ||
	    (rc = session_setup(st, err)) != 0) {
		pg_close(&st->base);
		return rc;
	}
	/* Notifications queued before LISTEN are not ours; the first `changed`
	 * answers 0 unless something is committed after this point. */
	st->commits_seen = st->commits;
	*out = &st->base;
	return 0;
}

/* --- reading versions ------------------------------------------------------ */

static int pg_find_version(eg__store *store, eg_list_version *out, const char *source,
                           const char *sha256, eg_error *err)
{
	pg_store *st = PG(store);
	const char *params[2] = {source, sha256};
	int rc;

	if ((rc = ensure_conn(st, err)) != 0)
		return rc;
	rc = query_version(st, ST_FIND_VERSION, 2, params, out, "finding a version", err);
	if (rc == 1)
		return eg__error_set(err, EG_ENOTFOUND, "store %s: source %s has no version with "
		                     "sha256 %s", st->name, source, sha256);
	return rc;
}

static int pg_version_by_id(eg__store *store, eg_list_version *out, int64_t id, eg_error *err)
{
	pg_store *st = PG(store);
	char num[24];
	const char *params[1] = {num};
	int rc;

	if ((rc = ensure_conn(st, err)) != 0)
		return rc;
	snprintf(num, sizeof(num), "%lld", (long long)id);
	rc = query_version(st, ST_VERSION_BY_ID, 1, params, out, "reading a version", err);
	if (rc == 1)
		return eg__error_set(err, EG_ENOTFOUND, "store %s: no list version %lld", st->name,
		                     (long long)id);
	return rc;
}

static int pg_version_as_of(eg__store *store, eg_list_version *out, const char *source,
                            const char *date, eg_error *err)
{
	pg_store *st = PG(store);
	const char *params[2] = {source, date};
	int rc;

	if (date != NULL && !eg__store_is_date(date))
		return eg__error_set(err, EG_EINVAL, "store %s: as-of date \"%.20s\" is not YYYY-MM-DD",
		                     st->name, date);
	if ((rc = ensure_conn(st, err)) != 0)
		return rc;
	rc = query_version(st, date != NULL ? ST_AS_OF : ST_NEWEST, date != NULL ? 2 : 1, params,
	                   out, "finding the version in force", err);
	if (rc == 1) {
		if (date != NULL)
			return eg__error_set(err, EG_ENOTFOUND, "store %s: source %s has no version "
			                     "published on or before %s", st->name, source, date);
		return eg__error_set(err, EG_ENOTFOUND, "store %s: source %s has no version",
		                     st->name, source);
	}
	return rc;
}

static int pg_previous_version(eg__store *store, eg_list_version *out,
                               const eg_list_version *v, eg_error *err)
{
	pg_store *st = PG(store);
	eg_list_version cur;
	char num[24];
	const char *params[2] = {NULL, num};
	int rc;

	if ((rc = pg_version_by_id(store, &cur, v->id, err)) != 0)
		return rc;
	if (strncmp(cur.source, v->source, sizeof(cur.source)) != 0)
		return eg__error_set(err, EG_EINVAL, "store %s: version %lld is of %s, not %.31s",
		                     st->name, (long long)v->id, cur.source, v->source);
	params[0] = cur.source;
	snprintf(num, sizeof(num), "%lld", (long long)cur.id);
	rc = query_version(st, ST_PREVIOUS, 2, params, out, "finding the previous version", err);
	if (rc == 1)
		return eg__error_set(err, EG_ENOTFOUND, "%s: version %lld is the oldest", cur.source,
		                     (long long)cur.id);
	return rc;
}

static int pg_versions(eg__store *store, eg_list_version **out, size_t *count, eg_error *err)
{
	pg_store *st = PG(store);
	eg_list_version *v = NULL;
	PGresult *res = NULL;
	size_t n, i;
	int rc;

	*out = NULL;
	*count = 0;
	if ((rc = ensure_conn(st, err)) != 0 ||
	    (rc = run(st, ST_VERSIONS, 0, NULL, &res, "listing versions", err)) != 0)
		return rc;
	n = (size_t)PQntuples(res);
	if (n > 0 && (v = eg__calloc(n, sizeof(*v))) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory listing versions",
		                   st->name);
		goto done;
	}
	for (i = 0; i < n; i++)
		if ((rc = read_version(st, res, (int)i, &v[i], err)) != 0)
			goto done;
	rc = 0;
done:
	PQclear(res);
	if (rc != 0) {
		eg__free(v);
		return rc;
	}
	*out = v;
	*count = n;
	return 0;
}

/* --- writing a version ---------------------------------------------------- */

/* The rows of one COPY, gathered in a buffer and sent by chunks. */
typedef struct copy_out {
	pg_store *st;
	char *buf;
	size_t len, cap;
	int rc;               /* first failure; later calls do nothing */
	eg_error *err;
} copy_out;

static void co_reserve(copy_out *c, size_t more)
{
	size_t ncap;
	char *nb;

	if (c->rc != 0 || c->len + more <= c->cap)
		return;
	ncap = c->cap ? c->cap : PG_COPY_CHUNK + 1024;
	while (ncap < c->len + more) {
		if (ncap > SIZE_MAX / 2) {
			ncap = 0;
			break;
		}
		ncap *= 2;
	}
	if (ncap == 0 || (nb = eg__realloc(c->buf, ncap)) == NULL) {
		c->rc = eg__error_set(c->err, EG_ENOMEM, "store %s: out of memory writing rows",
		                      c->st->name);
		return;
	}
	c->buf = nb;
	c->cap = ncap;
}

/* Sends what is gathered once past a chunk (or always, with force). */
static void co_flush(copy_out *c, int force)
{
	if (c->rc != 0 || c->len == 0 || (!force && c->len < PG_COPY_CHUNK))
		return;
	if (PQputCopyData(c->st->conn, c->buf, (int)c->len) != 1) {
		c->rc = db_fail(c->st, NULL, "writing rows", c->err);
		return;
	}
	c->len = 0;
}

/* A field of COPY's text format: its separator, then \N for NULL or the
 * text with backslash, tab, newline and carriage return escaped. */
static void co_field(copy_out *c, const char *t, int first)
{
	size_t n = t != NULL ? strlen(t) : 0, i;

	co_reserve(c, 3 + 2 * n);
	if (c->rc != 0)
		return;
	if (!first)
		c->buf[c->len++] = '\t';
	if (t == NULL) {
		memcpy(c->buf + c->len, "\\N", 2);
		c->len += 2;
		return;
	}
	for (i = 0; i < n; i++) {
		char ch = t[i];
		switch (ch) {
		case '\\': c->buf[c->len++] = '\\'; c->buf[c->len++] = '\\'; break;
		case '\t': c->buf[c->len++] = '\\'; c->buf[c->len++] = 't'; break;
		case '\n': c->buf[c->len++] = '\\'; c->buf[c->len++] = 'n'; break;
		case '\r': c->buf[c->len++] = '\\'; c->buf[c->len++] = 'r'; break;
		default: c->buf[c->len++] = ch;
		}
	}
}

static void co_int(copy_out *c, long long v, int first)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", v);
	co_field(c, num, first);
}

static void co_end_row(copy_out *c)
{
	co_reserve(c, 1);
	if (c->rc != 0)
		return;
	c->buf[c->len++] = '\n';
	co_flush(c, 0);
}

/* The key of a child row: version, entity position, index in its array. */
static void co_key(copy_out *c, const char *version, size_t pos, size_t ord)
{
	co_field(c, version, 1);
	co_int(c, (long long)pos, 0);
	co_int(c, (long long)ord, 0);
}

/* The rows of one table of the set, as COPY text. */
enum { T_ENTITY, T_NAME, T_ADDRESS, T_PROGRAM, T_COUNTRY, T_ATTR, T__COUNT };

static const char *const copy_sql[T__COUNT] = {
	[T_ENTITY] = "COPY entity (version_id, pos, uid, type, remarks, start_date, end_date)"
	             " FROM STDIN",
	[T_NAME] = "COPY name (version_id, pos, ord, text, kind, weak) FROM STDIN",
	[T_ADDRESS] = "COPY address (version_id, pos, ord, street, city, country, remarks)"
	              " FROM STDIN",
	[T_PROGRAM] = "COPY program (version_id, pos, ord, text) FROM STDIN",
	[T_COUNTRY] = "COPY country (version_id, pos, ord, text) FROM STDIN",
	[T_ATTR] = "COPY attr (version_id, pos, ord, key, value) FROM STDIN",
};

static const char *const table_name[T__COUNT] = {
	"entity", "name", "address", "program", "country", "attr",
};

static void co_rows(copy_out *c, int table, const char *version, const eg__entity_set *set)
{
	size_t i, k;

	for (i = 0; i < set->n && c->rc == 0; i++) {
		const eg__entity *e = &set->v[i];
		switch (table) {
		case T_ENTITY:
			co_field(c, version, 1);
			co_int(c, (long long)i, 0);
			co_field(c, e->uid, 0);
			co_int(c, (long long)e->type, 0);
			co_field(c, e->remarks, 0);
			co_field(c, e->start_date, 0);
			co_field(c, e->end_date, 0);
			co_end_row(c);
			break;
		case T_NAME:
			for (k = 0; k < e->n_names; k++) {
				co_key(c, version, i, k);
				co_field(c, e->names[k].text, 0);
				co_int(c, e->names[k].kind, 0);
				co_int(c, e->names[k].weak, 0);
				co_end_row(c);
			}
			break;
		case T_ADDRESS:
			for (k = 0; k < e->n_addresses; k++) {
				co_key(c, version, i, k);
				co_field(c, e->addresses[k].street, 0);
				co_field(c, e->addresses[k].city, 0);
				co_field(c, e->addresses[k].country, 0);
				co_field(c, e->addresses[k].remarks, 0);
				co_end_row(c);
			}
			break;
		case T_PROGRAM:
			for (k = 0; k < e->n_programs; k++) {
				co_key(c, version, i, k);
				co_field(c, e->programs[k], 0);
				co_end_row(c);
			}
			break;
		case T_COUNTRY:
			for (k = 0; k < e->n_countries; k++) {
				co_key(c, version, i, k);
				co_field(c, e->countries[k], 0);
				co_end_row(c);
			}
			break;
		default:
			for (k = 0; k < e->n_attrs; k++) {
				co_key(c, version, i, k);
				co_field(c, e->attrs[k].key, 0);
				co_field(c, e->attrs[k].value, 0);
				co_end_row(c);
			}
			break;
		}
	}
}

/* Writes one table of the set with COPY (one statement, streamed: the
 * fastest way into PostgreSQL, and the rows stay inside the transaction). */
static int copy_table(pg_store *st, int table, const char *version, const eg__entity_set *set,
                      copy_out *c, eg_error *err)
{
	PGresult *res = PQexec(st->conn, copy_sql[table]);
	char what[48];
	int rc = 0;

	snprintf(what, sizeof(what), "writing the %s rows", table_name[table]);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = db_fail(st, res, what, err);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	c->rc = 0;
	c->len = 0;
	co_rows(c, table, version, set);
	co_flush(c, 1);
	/* On a failure of ours the COPY is ended with an error, so the server
	 * discards it; err keeps the first cause. */
	if (PQputCopyEnd(st->conn, c->rc != 0 ? "exportgate: import abandoned" : NULL) != 1 &&
	    c->rc == 0)
		c->rc = db_fail(st, NULL, what, err);
	while ((res = PQgetResult(st->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && c->rc == 0)
			c->rc = db_fail(st, res, what, err);
		PQclear(res);
	}
	return c->rc;
}

static int pg_add_version(eg__store *store, eg_list_version *v, const eg__entity_set *set,
                          eg_error *err)
{
	pg_store *st = PG(store);
	size_t names = eg__entity_set_names(set);
	char digest[65], ents[24], nnames[24], carries[16], version[24], imported[sizeof(v->imported)];
	const char *params[8];
	copy_out c;
	PGresult *res = NULL;
	uint64_t id = 0;
	int rc, t;

	memset(&c, 0, sizeof(c));
	c.st = st;
	c.err = err;
	if (st->read_only)
		return eg__error_set(err, EG_EINVAL, "store %s: opened read-only, cannot add a version",
		                     st->name);
	if ((rc = eg__store_check_new_version(st->name, v, err)) != 0 ||
	    (rc = eg__rows_digest_of_set(set, digest, st->name, err)) != 0 ||
	    (rc = ensure_conn(st, err)) != 0)
		return rc;
	snprintf(ents, sizeof(ents), "%zu", set->n);
	snprintf(nnames, sizeof(nnames), "%zu", names);
	snprintf(carries, sizeof(carries), "%u", v->carries);
	params[0] = v->source;
	params[1] = v->format;
	params[2] = v->published[0] != '\0' ? v->published : NULL;
	params[3] = v->sha256;
	params[4] = ents;
	params[5] = nnames;
	params[6] = carries;
	params[7] = digest;

	if ((rc = run_cmd(st, ST_BEGIN_WRITE, "starting the import", err)) != 0)
		return rc;
	{
		char name[16];
		stmt_name(name, ST_INS_VERSION);
		res = PQexecPrepared(st->conn, name, 8, params, NULL, NULL, 0);
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state != NULL && strcmp(state, "23505") == 0) /* unique_violation */
			rc = eg__error_set(err, EG_EEXISTS,
			                   "store %s: source %s already has a version with sha256 %s",
			                   st->name, v->source, v->sha256);
		else
			rc = db_fail(st, res, "writing the version", err);
		goto done;
	}
	if (get_u64(res, 0, 0, INT64_MAX, &id) != 0 || PQgetlength(res, 0, 1) != 20) {
		rc = eg__error_set(err, EG_ESTORE, "store %s: writing the version: unexpected id or "
		                   "time", st->name);
		goto done;
	}
	memcpy(imported, PQgetvalue(res, 0, 1), sizeof(imported));
	snprintf(version, sizeof(version), "%llu", (unsigned long long)id);
	PQclear(res);
	res = NULL;
	for (t = 0; t < T__COUNT; t++)
		if ((rc = copy_table(st, t, version, set, &c, err)) != 0)
			goto done;
	params[0] = version;
	if ((rc = run(st, ST_NOTIFY, 1, params, &res, "announcing the version", err)) != 0)
		goto done;
	rc = commit(st, "committing the import", err);
done:
	PQclear(res);
	eg__free(c.buf);
	if (rc != 0) {
		rollback(st);
		return rc;
	}
	v->id = (int64_t)id;
	memcpy(v->imported, imported, sizeof(imported));
	v->entities = set->n;
	v->names = names;
	v->created = 1;
	return 0;
}

/* --- loading -------------------------------------------------------------- */

/* Where the rows of one load go: the entity at position pos is
 * set->v[base + pos] (a whole version), or found in `at` (some positions). */
typedef struct load_ctx {
	pg_store *st;
	eg__entity_set *set;
	size_t base;
	size_t n;                   /* entities loaded */
	const struct at_pos *at;    /* NULL for a whole version */
	eg__rows_digest *digest;    /* NULL, or the digest of the rows read */
	const char *version;        /* the version id, a parameter */
	const char *positions;      /* "{1,2,...}", a parameter, or NULL */
} load_ctx;

typedef struct at_pos {
	uint32_t pos;
	size_t index;               /* in the set */
} at_pos;

static int cmp_at(const void *a, const void *b)
{
	uint32_t x = ((const at_pos *)a)->pos, y = ((const at_pos *)b)->pos;

	return x < y ? -1 : x > y;
}

/* The entity a row of position pos belongs to, or NULL (damage). */
static eg__entity *entity_at(load_ctx *c, uint64_t pos, size_t *position)
{
	at_pos key, *hit;

	if (c->at == NULL) {
		if (pos >= c->n)
			return NULL;
		*position = (size_t)pos;
		return &c->set->v[c->base + pos];
	}
	key.pos = (uint32_t)pos;
	hit = bsearch(&key, c->at, c->n, sizeof(*c->at), cmp_at);
	if (hit == NULL || pos > UINT32_MAX)
		return NULL;
	*position = (size_t)pos;
	return &c->set->v[hit->index];
}

static const char *val(const PGresult *res, int r, int col)
{
	return PQgetisnull(res, r, col) ? NULL : PQgetvalue(res, r, col);
}

/* Column col as the digest has it: NULL, or its text. */
static void dg_col(eg__rows_digest *d, const PGresult *res, int r, int col)
{
	eg__rows_digest_text(d, val(res, r, col), (size_t)PQgetlength(res, r, col));
}

/* Adds one child row of table t to its entity. */
static int child_row(load_ctx *c, int t, const PGresult *res, int r, eg__entity *e)
{
	eg__entity_set *set = c->set;
	const char *text = val(res, r, 1);
	size_t len = (size_t)PQgetlength(res, r, 1);
	uint64_t kind, weak;

	switch (t) {
	case T_NAME:
		if (text == NULL || get_u64(res, r, 2, EG__NAME_NKA, &kind) != 0 ||
		    get_u64(res, r, 3, 1, &weak) != 0)
			return EG_ESTORE;
		return eg__entity_add_name(set, e, text, len, (eg__name_kind)kind, weak != 0);
	case T_ADDRESS: {
		eg__address a;
		a.street = val(res, r, 1);
		a.city = val(res, r, 2);
		a.country = val(res, r, 3);
		a.remarks = val(res, r, 4);
		return eg__entity_add_address(set, e, &a);
	}
	case T_PROGRAM:
		return text == NULL ? EG_ESTORE : eg__entity_add_program(set, e, text, len);
	case T_COUNTRY:
		return text == NULL ? EG_ESTORE : eg__entity_add_country(set, e, text, len);
	default: {
		const char *value = val(res, r, 2);
		if (text == NULL || value == NULL)
			return EG_ESTORE;
		return eg__entity_add_attr(set, e, text, value, (size_t)PQgetlength(res, r, 2));
	}
	}
}

static void dg_child(eg__rows_digest *d, int t, const PGresult *res, int r)
{
	int col, ncol = PQnfields(res);

	for (col = 1; col < ncol; col++) {
		if (t == T_NAME && col >= 2)
			eg__rows_digest_int(d, (int64_t)strtoll(PQgetvalue(res, r, col), NULL, 10));
		else
			dg_col(d, res, r, col);
	}
}

/* Adds the rows of a result of table t's statement to their entities. */
static int children_of(load_ctx *c, int t, const PGresult *res, eg_error *err)
{
	static const char tags[T__COUNT] = {
		EG__ROWS_TAG_ENTITY, EG__ROWS_TAG_NAME, EG__ROWS_TAG_ADDRESS,
		EG__ROWS_TAG_PROGRAM, EG__ROWS_TAG_COUNTRY, EG__ROWS_TAG_ATTR,
	};
	int rc, r, nrows;

	nrows = PQntuples(res);
	for (r = 0; r < nrows; r++) {
		uint64_t pos = 0;
		size_t position = 0;
		eg__entity *e = NULL;
		if (get_u64(res, r, 0, UINT32_MAX, &pos) != 0 ||
		    (e = entity_at(c, pos, &position)) == NULL) {
			return eg__error_set(err, EG_ESTORE, "store %s: version %s: a %s row of position "
			                     "%s, which has no entity: the store is damaged", c->st->name,
			                     c->version, table_name[t], PQgetvalue(res, r, 0));
		}
		if (c->digest != NULL) {
			eg__rows_digest_row(c->digest, tags[t], position);
			dg_child(c->digest, t, res, r);
		}
		if ((rc = child_row(c, t, res, r, e)) != 0) {
			rc = eg__error_set(err, rc, "store %s: version %s: %s row of entity %s: %s",
			                   c->st->name, c->version, table_name[t], e->uid,
			                   rc == EG_ESTORE ? "NULL or invalid value" : eg_strerror(rc));
			return rc;
		}
	}
	return 0;
}

static int load_children(load_ctx *c, int t, eg_error *err)
{
	const char *params[1] = {c->version};
	PGresult *res;
	int rc;

	if ((rc = run(c->st, ST_LOAD_ENTITY + t, 1, params, &res, "loading entities", err)) != 0)
		return rc;
	rc = children_of(c, t, res, err);
	PQclear(res);
	return rc;
}

/* Appends the entity of row r (ENTITY_COLS), without its child rows.
 * dup_code: the error when the set already holds its uid. */
static int entity_from_row(load_ctx *c, const PGresult *res, int r, int dup_code,
                           eg_error *err)
{
	eg__entity_set *set = c->set;
	const char *uid = val(res, r, 1);
	uint64_t type;
	int dup = 0;
	eg__entity *e;

	if (uid == NULL || get_u64(res, r, 2, EG_TYPE_UNKNOWN, &type) != 0)
		return eg__error_set(err, EG_ESTORE, "store %s: version %s: entity at position %s: "
		                     "NULL uid or invalid type", c->st->name, c->version,
		                     PQgetvalue(res, r, 0));
	e = eg__entity_set_add(set, uid, (size_t)PQgetlength(res, r, 1), &dup);
	if (e == NULL)
		return eg__error_set(err, dup ? dup_code : EG_ENOMEM,
		                     "store %s: version %s: entity at position %s (uid %s): %s",
		                     c->st->name, c->version, PQgetvalue(res, r, 0), uid,
		                     dup ? "duplicate uid in the set" : "out of memory");
	e->type = (eg_entity_type)type;
	if ((val(res, r, 3) != NULL &&
	     eg__entity_set_str(set, &e->remarks, val(res, r, 3), (size_t)PQgetlength(res, r, 3))) ||
	    (val(res, r, 4) != NULL &&
	     eg__entity_set_str(set, &e->start_date, val(res, r, 4),
	                        (size_t)PQgetlength(res, r, 4))) ||
	    (val(res, r, 5) != NULL &&
	     eg__entity_set_str(set, &e->end_date, val(res, r, 5), (size_t)PQgetlength(res, r, 5))))
		return eg__error_set(err, EG_ENOMEM, "store %s: out of memory loading entities",
		                     c->st->name);
	return 0;
}

static int pg_load(eg__store *store, eg__entity_set *set, int64_t version_id, eg_error *err)
{
	pg_store *st = PG(store);
	char version[24], recorded[65];
	const char *params[1] = {version};
	eg_list_version v;
	eg__rows_digest d;
	PGresult *res = NULL;
	load_ctx c;
	int rc, r, nrows, hashing = 0, t;

	memset(&c, 0, sizeof(c));
	snprintf(version, sizeof(version), "%lld", (long long)version_id);
	if ((rc = ensure_conn(st, err)) != 0 ||
	    (rc = run_cmd(st, ST_BEGIN_READ, "loading entities", err)) != 0)
		return rc;
	if ((rc = pg_version_by_id(store, &v, version_id, err)) != 0 ||
	    (rc = run(st, ST_RECORDED, 1, params, &res, "reading the digest of the rows",
	              err)) != 0)
		goto done;
	recorded[0] = '\0';
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		if (PQgetlength(res, 0, 0) == 64)
			memcpy(recorded, PQgetvalue(res, 0, 0), 65);
		else
			memset(recorded, '?', 64), recorded[64] = '\0'; /* damaged: never matches */
	}
	PQclear(res);
	res = NULL;
	if ((rc = eg__rows_digest_init(&d)) != 0) {
		rc = eg__error_set(err, rc, "store %s: version %s: digest of the rows: %s", st->name,
		                   version, eg_strerror(rc));
		goto done;
	}
	hashing = 1;
	c.st = st;
	c.set = set;
	c.base = set->n;
	c.digest = &d;
	c.version = version;
	if ((rc = run(st, ST_LOAD_ENTITY, 1, params, &res, "loading entities", err)) != 0)
		goto done;
	nrows = PQntuples(res);
	if ((size_t)nrows > EG__CAP_ENTITIES) {
		rc = eg__error_set(err, EG_ETOOBIG, "store %s: version %s: %d entities, over %u",
		                   st->name, version, nrows, (unsigned)EG__CAP_ENTITIES);
		goto done;
	}
	for (r = 0; r < nrows; r++) {
		uint64_t pos;
		if (get_u64(res, r, 0, UINT32_MAX, &pos) != 0 || pos != (uint64_t)r) {
			rc = eg__error_set(err, EG_ESTORE, "store %s: version %s: entity %d of %d is at "
			                   "position %s: the store is damaged", st->name, version, r,
			                   nrows, PQgetvalue(res, r, 0));
			goto done;
		}
		if ((rc = entity_from_row(&c, res, r, EG_ESTORE, err)) != 0)
			goto done;
		eg__rows_digest_row(&d, EG__ROWS_TAG_ENTITY, (size_t)r);
		dg_col(&d, res, r, 1);
		eg__rows_digest_int(&d, (int64_t)strtoll(PQgetvalue(res, r, 2), NULL, 10));
		dg_col(&d, res, r, 3);
		dg_col(&d, res, r, 4);
		dg_col(&d, res, r, 5);
		c.n++;
	}
	PQclear(res);
	res = NULL;
	for (t = T_NAME; t < T__COUNT; t++)
		if ((rc = load_children(&c, t, err)) != 0)
			goto done;
	hashing = 0;
	if ((rc = eg__rows_digest_check(&d, st->name, &v, c.n, recorded, err)) != 0)
		goto done;
	if (v.published[0] != '\0' &&
	    eg__entity_set_str(set, &set->published, v.published, strlen(v.published)) != 0) {
		rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory loading entities",
		                   st->name);
		goto done;
	}
	rc = 0;
done:
	PQclear(res);
	if (hashing)
		eg__rows_digest_dispose(&d);
	rollback(st);
	return rc;
}

/* The statements of load_entities, sent at once in pipeline mode (one
 * round trip instead of nine), in this order; their results are read in
 * the same order. */
static const int at_stmts[] = {
	ST_BEGIN_READ, ST_VERSION_BY_ID, ST_ENTITY_AT, ST_NAME_AT, ST_ADDRESS_AT, ST_PROGRAM_AT,
	ST_COUNTRY_AT, ST_ATTR_AT, ST_ROLLBACK,
};
#define N_AT (sizeof(at_stmts) / sizeof(at_stmts[0]))

/* Sends every statement of at_stmts and gathers their results into res[]
 * (each freed by the caller). Returns 0 when every one succeeded, else
 * EG_ESTORE naming the first failure; the connection leaves pipeline mode
 * either way (a failed transaction is left for rollback() to end). */
static int pipeline_at(pg_store *st, const char *version, const char *positions,
                       PGresult *res[N_AT], eg_error *err)
{
	const char *params[2] = {version, positions};
	size_t k;
	int rc = 0, sent = 0;
	PGresult *r;

	memset(res, 0, N_AT * sizeof(res[0]));
	if (PQenterPipelineMode(st->conn) != 1)
		return db_fail(st, NULL, "loading entities: pipeline mode", err);
	for (k = 0; k < N_AT; k++) {
		char name[16];
		int np = at_stmts[k] == ST_BEGIN_READ || at_stmts[k] == ST_ROLLBACK ? 0
		         : at_stmts[k] == ST_VERSION_BY_ID ? 1 : 2;
		stmt_name(name, at_stmts[k]);
		if (PQsendQueryPrepared(st->conn, name, np, np ? params : NULL, NULL, NULL, 0) != 1) {
			rc = db_fail(st, NULL, "loading entities", err);
			break;
		}
		sent++;
	}
	if (PQpipelineSync(st->conn) != 1 && rc == 0)
		rc = db_fail(st, NULL, "loading entities", err);
	for (k = 0; k < (size_t)sent; k++) {
		ExecStatusType s;
		/* one result per statement, then NULL */
		res[k] = PQgetResult(st->conn);
		while ((r = PQgetResult(st->conn)) != NULL)
			PQclear(r);
		s = PQresultStatus(res[k]);
		if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK && rc == 0)
			rc = db_fail(st, res[k], "loading entities", err);
	}
	/* the Sync's own result, then the pipeline is idle */
	while ((r = PQgetResult(st->conn)) != NULL) {
		ExecStatusType s = PQresultStatus(r);
		PQclear(r);
		if (s == PGRES_PIPELINE_SYNC)
			break;
	}
	if (PQexitPipelineMode(st->conn) != 1 && rc == 0)
		rc = db_fail(st, NULL, "loading entities: leaving pipeline mode", err);
	return rc;
}

static int pg_load_entities(eg__store *store, eg__entity_set *set, int64_t version_id,
                            const uint32_t *ordinals, size_t n, eg_error *err)
{
	pg_store *st = PG(store);
	char version[24];
	eg_list_version v;
	at_pos *at = NULL;
	char *positions = NULL;
	PGresult *res[N_AT];
	load_ctx c;
	size_t k, len = 0, bytes;
	int rc, t, nrows, lo;

	memset(&c, 0, sizeof(c));
	memset(res, 0, sizeof(res));
	snprintf(version, sizeof(version), "%lld", (long long)version_id);
	if ((rc = ensure_conn(st, err)) != 0)
		return rc;
	if (eg__mul_overflow(&bytes, n, 11) != 0 || (positions = eg__malloc(bytes + 3)) == NULL ||
	    (at = eg__calloc(n ? n : 1, sizeof(*at))) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "store %s: out of memory loading entities",
		                   st->name);
		goto done;
	}
	positions[len++] = '{';
	for (k = 0; k < n; k++)
		len += (size_t)snprintf(positions + len, 12, "%s%lu", k ? "," : "",
		                        (unsigned long)ordinals[k]);
	positions[len++] = '}';
	positions[len] = '\0';
	/* One snapshot (BEGIN ... ROLLBACK inside the pipeline), one round trip. */
	if ((rc = pipeline_at(st, version, positions, res, err)) != 0)
		goto done;
	if (PQntuples(res[1]) == 0) {
		rc = eg__error_set(err, EG_ENOTFOUND, "store %s: no list version %lld", st->name,
		                   (long long)version_id);
		goto done;
	}
	if ((rc = read_version(st, res[1], 0, &v, err)) != 0)
		goto done;
	for (k = 0; k < n; k++)
		if ((size_t)ordinals[k] >= v.entities) {
			rc = eg__error_set(err, EG_ENOTFOUND, "store %s: version %lld has %zu entities: "
			                   "no entity at position %lu", st->name, (long long)version_id,
			                   v.entities, (unsigned long)ordinals[k]);
			goto done;
		}
	c.st = st;
	c.set = set;
	c.version = version;
	c.positions = positions;
	nrows = PQntuples(res[2]);
	/* Rows come by position; the entities go in the order given. */
	for (k = 0; k < n; k++) {
		int hi = nrows - 1, found = -1;
		lo = 0;
		while (lo <= hi) {
			int mid = lo + (hi - lo) / 2;
			uint64_t pos = 0;
			if (get_u64(res[2], mid, 0, UINT32_MAX, &pos) != 0) {
				rc = eg__error_set(err, EG_ESTORE, "store %s: version %s: invalid position",
				                   st->name, version);
				goto done;
			}
			if (pos == ordinals[k]) {
				found = mid;
				break;
			}
			if (pos < ordinals[k])
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		if (found < 0) {
			rc = eg__error_set(err, EG_ESTORE, "store %s: version %s: the entity at position "
			                   "%lu is missing", st->name, version, (unsigned long)ordinals[k]);
			goto done;
		}
		if ((rc = entity_from_row(&c, res[2], found, EG_EINVAL, err)) != 0)
			goto done;
		at[k].pos = ordinals[k];
		at[k].index = set->n - 1;
	}
	qsort(at, n, sizeof(*at), cmp_at);
	c.at = at;
	c.n = n;
	for (t = T_NAME; t < T__COUNT; t++)
		if ((rc = children_of(&c, t, res[2 + t], err)) != 0)
			goto done;
	rc = 0;
done:
	for (k = 0; k < N_AT; k++)
		PQclear(res[k]);
	eg__free(positions);
	eg__free(at);
	rollback(st);
	return rc;
}

/* --- changes, checks ------------------------------------------------------ */

static int pg_changed(eg__store *store, int *changed, eg_error *err)
{
	pg_store *st = PG(store);
	PGnotify *note;
	int got = 0, rc;

	*changed = 0;
	if ((rc = ensure_conn(st, err)) != 0)
		return rc;
	/* Reads what the server sent without waiting (libpq's socket does not
	 * block); a lost connection is found here and reset next time. */
	if (PQconsumeInput(st->conn) != 1)
		return db_fail(st, NULL, "reading notifications", err);
	while ((note = PQnotifies(st->conn)) != NULL) {
		got = 1;
		PQfreemem(note);
	}
	*changed = got || st->missed || st->commits != st->commits_seen;
	st->missed = 0;
	st->commits_seen = st->commits;
	return 0;
}

static int pg_check(eg__store *store, eg_error *err)
{
	pg_store *st = PG(store);
	PGresult *res;
	int rc;

	if ((rc = ensure_conn(st, err)) != 0 ||
	    (rc = run(st, ST_CHECK, 0, NULL, &res, "checking the store", err)) != 0)
		return rc;
	if (PQntuples(res) > 0)
		rc = eg__error_set(err, EG_ESTORE, "store %s: version %s of %s: %s entities and %s "
		                   "names recorded, %s and %s stored", st->name, PQgetvalue(res, 0, 0),
		                   PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 4),
		                   PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 5));
	PQclear(res);
	return rc;
}

PGconn *eg__store_pg_conn(eg__store *store)
{
	return store != NULL && store->ops == &pg_ops ? PG(store)->conn : NULL;
}

int eg__store_notify_fd(eg__store *store)
{
	if (store == NULL || store->ops != &pg_ops || PQstatus(PG(store)->conn) != CONNECTION_OK)
		return -1;
	return PQsocket(PG(store)->conn);
}

const char *eg__store_pg_name(eg__store *store)
{
	return store != NULL && store->ops == &pg_ops ? PG(store)->name : NULL;
}

static int pg_schema(eg__store *store, int *at_open, int *now)
{
	*at_open = PG(store)->schema_at_open;
	*now = PG(store)->schema;
	return 0;
}

/* --- the attempts log of eg_refresh (migration 3) ------------------------ */

static int pg_refresh_log_add(eg__store *store, eg_refresh_attempt *a, eg_error *err)
{
	pg_store *st = PG(store);
	char millis[24], outcome[8], status[24], bytes[24], vid[24];
	const char *params[13] = {a->source, a->time, millis, outcome, status, bytes, a->sha256,
	                          vid, a->url, a->etag, a->last_modified, a->reason,
	                          a->held_path};
	PGresult *res;
	int rc;

	if (st->read_only)
		return eg__error_set(err, EG_ESTORE, "store %s: opened read-only: cannot record a "
		                     "refresh attempt", st->name);
	if ((rc = ensure_conn(st, err)) != 0)
		return rc;
	snprintf(millis, sizeof(millis), "%lld", (long long)a->millis);
	snprintf(outcome, sizeof(outcome), "%d", (int)a->outcome);
	snprintf(status, sizeof(status), "%ld", a->http_status);
	snprintf(bytes, sizeof(bytes), "%llu", (unsigned long long)a->bytes);
	snprintf(vid, sizeof(vid), "%lld", (long long)a->version_id);
	if ((rc = run(st, ST_INS_REFRESH, 13, params, &res, "recording a refresh attempt",
	              err)) != 0)
		return rc;
	if (PQntuples(res) == 1)
		a->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	st->commits++; /* autocommit: durable on return */
	return 0;
}

/* A text column of row r copied with eg__malloc ("" for NULL). */
static char *dup_val(const PGresult *res, int r, int c)
{
	return eg__strdup(PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c));
}

static int pg_refresh_log_list(eg__store *store, eg_refresh_attempt **out, size_t *count,
                               const char *source, int accepted_only, size_t limit,
                               eg_error *err)
{
	pg_store *st = PG(store);
	char acc[4], lim[24];
	const char *params[3] = {source, acc, limit > 0 ? lim : NULL};
	eg_refresh_attempt *v = NULL;
	PGresult *res;
	int rc, r, n;

	*out = NULL;
	*count = 0;
	if ((rc = ensure_conn(st, err)) != 0)
		return rc;
	snprintf(acc, sizeof(acc), "%d", accepted_only ? 1 : 0);
	snprintf(lim, sizeof(lim), "%zu", limit);
	if ((rc = run(st, ST_REFRESH_LIST, 3, params, &res, "reading the refresh attempts",
	              err)) != 0)
		return rc;
	n = PQntuples(res);
	if (n > 0 && (v = eg__calloc((size_t)n, sizeof(*v))) == NULL) {
		PQclear(res);
		return eg__error_set(err, EG_ENOMEM, "store %s: reading the refresh attempts: out "
		                     "of memory", st->name);
	}
	for (r = 0; r < n; r++) {
		eg_refresh_attempt *a = &v[r];
		a->id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
		snprintf(a->source, sizeof(a->source), "%s", PQgetvalue(res, r, 1));
		snprintf(a->time, sizeof(a->time), "%s", PQgetvalue(res, r, 2));
		a->millis = strtoll(PQgetvalue(res, r, 3), NULL, 10);
		a->outcome = (eg_refresh_outcome)strtol(PQgetvalue(res, r, 4), NULL, 10);
		a->http_status = strtol(PQgetvalue(res, r, 5), NULL, 10);
		a->bytes = strtoull(PQgetvalue(res, r, 6), NULL, 10);
		snprintf(a->sha256, sizeof(a->sha256), "%s", PQgetvalue(res, r, 7));
		a->version_id = strtoll(PQgetvalue(res, r, 8), NULL, 10);
		a->url = dup_val(res, r, 9);
		a->etag = dup_val(res, r, 10);
		a->last_modified = dup_val(res, r, 11);
		a->reason = dup_val(res, r, 12);
		a->held_path = dup_val(res, r, 13);
		if (!a->url || !a->etag || !a->last_modified || !a->reason || !a->held_path) {
			PQclear(res);
			eg__store_refresh_attempts_free(v, (size_t)r + 1);
			return eg__error_set(err, EG_ENOMEM, "store %s: reading the refresh attempts: "
			                     "out of memory", st->name);
		}
	}
	PQclear(res);
	*out = v;
	*count = (size_t)n;
	return 0;
}

/* --- API keys and reviews (migration 5) ------------------------------------ */

static int pg_writable(pg_store *st, const char *what, eg_error *err)
{
	if (st->read_only)
		return eg__error_set(err, EG_ESTORE, "store %s: opened read-only: cannot write the "
		                     "%s table", st->name, what);
	return ensure_conn(st, err);
}

static int pg_key_add(eg__store *store, const eg__store_key *k, eg_error *err)
{
	pg_store *st = PG(store);
	char roles[16], hex[65], name[16];
	const char *params[4] = {k->name, roles, hex, k->prefix};
	PGresult *res;
	size_t i;
	int rc;

	if ((rc = pg_writable(st, "api_key", err)) != 0)
		return rc;
	snprintf(roles, sizeof(roles), "%u", k->roles);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", k->sha256[i]);
	stmt_name(name, KS_KEY_ADD);
	res = PQexecPrepared(st->conn, name, 4, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (state != NULL && strcmp(state, "23505") == 0) /* unique_violation */
			rc = eg__error_set(err, EG_EEXISTS, "key %s exists already (revoke it first)",
			                   k->name);
		else
			rc = db_fail(st, res, "keys: adding a key", err);
	} else {
		st->commits++; /* autocommit: durable on return */
	}
	PQclear(res);
	return rc;
}

/* Copies column c of row r into a fixed field, cut to fit ("" for NULL). */
static void copy_val(char *dst, size_t size, const PGresult *res, int r, int c)
{
	snprintf(dst, size, "%s", PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c));
}

static int pg_key_list(eg__store *store, eg_key_info **out, size_t *count, eg_error *err)
{
	pg_store *st = PG(store);
	eg_key_info *v = NULL;
	PGresult *res;
	uint64_t roles;
	int rc, r, n;

	if ((rc = ensure_conn(st, err)) != 0 ||
	    (rc = run(st, KS_KEY_LIST, 0, NULL, &res, "keys: listing", err)) != 0)
		return rc;
	n = PQntuples(res);
	if (n > 0 && (v = eg__calloc((size_t)n, sizeof(*v))) == NULL) {
		PQclear(res);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	for (r = 0; r < n; r++) {
		copy_val(v[r].name, sizeof(v[r].name), res, r, 0);
		v[r].roles = get_u64(res, r, 1, UINT32_MAX, &roles) == 0 ? (unsigned)roles : 0;
		copy_val(v[r].created, sizeof(v[r].created), res, r, 2);
		copy_val(v[r].revoked, sizeof(v[r].revoked), res, r, 3);
		copy_val(v[r].prefix, sizeof(v[r].prefix), res, r, 4);
	}
	PQclear(res);
	*out = v;
	*count = (size_t)n;
	return 0;
}

static int pg_key_revoke(eg__store *store, const char *name, eg_error *err)
{
	pg_store *st = PG(store);
	const char *params[1] = {name};
	PGresult *res;
	int rc;

	if ((rc = pg_writable(st, "api_key", err)) != 0 ||
	    (rc = run(st, KS_KEY_REVOKE, 1, params, &res, "keys: revoking a key", err)) != 0)
		return rc;
	if (strcmp(PQcmdTuples(res), "0") == 0)
		rc = eg__error_set(err, EG_ENOTFOUND, "no key in force named \"%s\"", name);
	else
		st->commits++;
	PQclear(res);
	return rc;
}

static int pg_key_count(eg__store *store, size_t *count, eg_error *err)
{
	pg_store *st = PG(store);
	PGresult *res;
	uint64_t n = 0;
	int rc;

	if ((rc = ensure_conn(st, err)) != 0 ||
	    (rc = run(st, KS_KEY_COUNT, 0, NULL, &res, "keys: counting", err)) != 0)
		return rc;
	if (PQntuples(res) != 1 || get_u64(res, 0, 0, SIZE_MAX, &n) != 0)
		rc = eg__error_set(err, EG_ESTORE, "store %s: keys: counting: no count", st->name);
	PQclear(res);
	*count = (size_t)n;
	return rc;
}

static int hex_nibble(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int pg_keys_in_force(eg__store *store, eg__store_key **out, size_t *count,
                            eg_error *err)
{
	pg_store *st = PG(store);
	eg__store_key *v = NULL;
	PGresult *res;
	uint64_t roles;
	size_t m = 0, i;
	int rc, r, n;

	if ((rc = ensure_conn(st, err)) != 0 ||
	    (rc = run(st, KS_KEYS_IN_FORCE, 0, NULL, &res, "keys: reading", err)) != 0)
		return rc;
	n = PQntuples(res);
	if (n > 0 && (v = eg__calloc((size_t)n, sizeof(*v))) == NULL) {
		PQclear(res);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	for (r = 0; r < n; r++) {
		const char *h = PQgetvalue(res, r, 2);
		eg__store_key *k = &v[m];
		if (PQgetlength(res, r, 2) != 64 || get_u64(res, r, 1, UINT32_MAX, &roles) != 0)
			continue; /* the table's CHECK keeps these out */
		for (i = 0; i < 32; i++) {
			int hi = hex_nibble(h[2 * i]), lo = hex_nibble(h[2 * i + 1]);
			if (hi < 0 || lo < 0)
				break;
			k->sha256[i] = (unsigned char)(hi << 4 | lo);
		}
		if (i < 32)
			continue;
		copy_val(k->name, sizeof(k->name), res, r, 0);
		k->roles = (unsigned)roles;
		m++;
	}
	PQclear(res);
	if (m == 0) {
		eg__free(v);
		v = NULL;
	}
	*out = v;
	*count = m;
	return 0;
}

static int pg_review_table(eg__store *store, eg_error *err)
{
	(void)store;
	(void)err;
	return 0; /* migration 5 made it */
}

static int pg_review_put(eg__store *store, const eg__store_review *r, eg_error *err)
{
	pg_store *st = PG(store);
	char idx[24];
	const char *params[6] = {r->party, r->source, r->uid, r->listing, r->verdict, idx};
	PGresult *res;
	int rc;

	if ((rc = pg_writable(st, "review", err)) != 0)
		return rc;
	snprintf(idx, sizeof(idx), "%lld", (long long)r->log_index);
	if ((rc = run(st, KS_REVIEW_PUT, 6, params, &res, "review table", err)) != 0)
		return rc;
	PQclear(res);
	st->commits++; /* autocommit: durable on return */
	return 0;
}

static int pg_review_listings(eg__store *store, const char *party, const char *verdict,
                              char (**out)[65], size_t *count, eg_error *err)
{
	pg_store *st = PG(store);
	const char *params[2] = {party, verdict};
	char (*v)[65] = NULL;
	PGresult *res;
	int rc, r, n;

	if ((rc = ensure_conn(st, err)) != 0 ||
	    (rc = run(st, KS_REVIEW_LISTINGS, 2, params, &res, "review table", err)) != 0)
		return rc;
	n = PQntuples(res);
	if (n > 0 && (v = eg__calloc((size_t)n, sizeof(*v))) == NULL) {
		PQclear(res);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	for (r = 0; r < n; r++)
		copy_val(v[r], sizeof(v[r]), res, r, 0);
	PQclear(res);
	*out = v;
	*count = (size_t)n;
	return 0;
}

static const eg__store_ops pg_ops = {
	"postgresql",
	pg_close,
	pg_find_version,
	pg_add_version,
	pg_versions,
	pg_version_as_of,
	pg_version_by_id,
	pg_previous_version,
	pg_load,
	pg_load_entities,
	pg_changed,
	pg_check,
	pg_refresh_log_add,
	pg_refresh_log_list,
	pg_schema,
	pg_key_add,
	pg_key_list,
	pg_key_revoke,
	pg_key_count,
	pg_keys_in_force,
	pg_review_table,
	pg_review_put,
	pg_review_listings,
};
