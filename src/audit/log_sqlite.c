/* log_sqlite.c - the audit log's record store in SQLite tables of the caller's database.
 *
 * Tables (created when missing):
 *   audit_record(idx PRIMARY KEY, time_ms, payload BLOB, leaf_hash BLOB)
 *   audit_node(level, idx, hash BLOB, PRIMARY KEY(level, idx)) WITHOUT ROWID
 *   audit_checkpoint(size PRIMARY KEY, time_ms, text)
 * Leaf hashes live with their records (level 0 of the tree); audit_node
 * holds the complete nodes of levels 1 and up. Every statement is prepared
 * once and reset after each use, so no read stays open between calls. */
#include "log.h"

#include "store/store.h"

#include "util/alloc.h"
#include "util/error.h"

#include <sqlite3.h>
#include <string.h>

#define HLEN EG__MERKLE_HASH_LEN

enum { S_INS_REC, S_GET_REC, S_INS_NODE, S_GET_NODE, S_GET_LEAF, S_COUNT, S_INS_CP, S_GET_CP, S_N };

static const char *const sql[S_N] = {
	"INSERT INTO audit_record(idx, time_ms, payload, leaf_hash) VALUES (?, ?, ?, ?)",
	"SELECT time_ms, payload, leaf_hash FROM audit_record WHERE idx = ?",
	"INSERT INTO audit_node(level, idx, hash) VALUES (?, ?, ?)",
	"SELECT hash FROM audit_node WHERE level = ? AND idx = ?",
	"SELECT leaf_hash FROM audit_record WHERE idx = ?",
	"SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_record",
	"INSERT OR REPLACE INTO audit_checkpoint(size, time_ms, text) VALUES (?, ?, ?)",
	"SELECT text FROM audit_checkpoint ORDER BY size DESC, time_ms DESC LIMIT 1",
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS audit_record(idx INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,"
	" payload BLOB NOT NULL, leaf_hash BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS audit_node(level INTEGER NOT NULL, idx INTEGER NOT NULL,"
	" hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS audit_checkpoint(size INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,"
	" text TEXT NOT NULL);";

typedef struct sq {
	sqlite3 *db;
	sqlite3_stmt *st[S_N];
	char *buf;      /* the payload of the last get_record */
	size_t buf_cap;
} sq;

static int db_error(sq *s, int code, const char *what, eg_error *err)
{
	return eg__error_set(err, code, "audit store: %s: %s", what, eg__store_sqlite_error(s->db));
}

static int exec(sq *s, const char *q, eg_error *err)
{
	if (sqlite3_exec(s->db, q, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, EG_ESTORE, q, err);
	return 0;
}

static int op_begin(void *ctx, eg_error *err)
{
	return exec(ctx, "BEGIN IMMEDIATE", err);
}

static int op_commit(void *ctx, eg_error *err)
{
	return exec(ctx, "COMMIT", err);
}

static void op_rollback(void *ctx)
{
	sq *s = ctx;

	if (!sqlite3_get_autocommit(s->db))
		(void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs a statement that returns no row (an insert). */
static int run(sq *s, sqlite3_stmt *st, const char *what, eg_error *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return db_error(s, (rc & 0xff) == SQLITE_CONSTRAINT ? EG_EEXISTS : EG_ESTORE, what, err);
	return 0;
}

static int op_count(void *ctx, uint64_t *out, eg_error *err)
{
	sq *s = ctx;
	sqlite3_stmt *st = s->st[S_COUNT];
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*out = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_error(s, EG_ESTORE, "counting records", err);
}

static int op_put_record(void *ctx, const eg__audit_record *rec, eg_error *err)
{
	sq *s = ctx;
	sqlite3_stmt *st = s->st[S_INS_REC];

	sqlite3_bind_int64(st, 1, (sqlite3_int64)rec->index);
	sqlite3_bind_int64(st, 2, rec->time_ms);
	sqlite3_bind_blob(st, 3, rec->len ? rec->payload : "", (int)rec->len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, rec->leaf_hash, HLEN, SQLITE_STATIC);
	return run(s, st, "inserting a record", err);
}

/* Copies a hash column, refusing one of another width. */
static int hash_col(sq *s, sqlite3_stmt *st, int col, uint8_t out[HLEN], const char *what, eg_error *err)
{
	const void *h = sqlite3_column_blob(st, col);

	if (h == NULL || sqlite3_column_bytes(st, col) != HLEN) {
		(void)s;
		return eg__error_set(err, EG_EPARSE, "audit store: %s: a hash of %d bytes", what,
		                     sqlite3_column_bytes(st, col));
	}
	memcpy(out, h, HLEN);
	return 0;
}

static int op_get_record(void *ctx, uint64_t index, eg__audit_record *out, eg_error *err)
{
	sq *s = ctx;
	sqlite3_stmt *st = s->st[S_GET_REC];
	int rc;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)index);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return eg__error_set(err, EG_ENOTFOUND, "audit store: no record %llu", (unsigned long long)index);
	}
	if (rc != SQLITE_ROW) {
		rc = db_error(s, EG_ESTORE, "reading a record", err);
		sqlite3_reset(st);
		return rc;
	}
	{
		const void *p = sqlite3_column_blob(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1);
		if (n + 1 > s->buf_cap) {
			char *nb = eg__realloc(s->buf, n + 1);
			if (nb == NULL) {
				sqlite3_reset(st);
				return eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
			}
			s->buf = nb;
			s->buf_cap = n + 1;
		}
		if (n > 0)
			memcpy(s->buf, p, n);
		s->buf[n] = '\0';
		out->index = index;
		out->time_ms = sqlite3_column_int64(st, 0);
		out->payload = s->buf;
		out->len = n;
		rc = hash_col(s, st, 2, out->leaf_hash, "record", err);
	}
	sqlite3_reset(st);
	return rc;
}

static int op_put_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[HLEN], eg_error *err)
{
	sq *s = ctx;
	sqlite3_stmt *st = s->st[S_INS_NODE];

	sqlite3_bind_int(st, 1, (int)level);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
	sqlite3_bind_blob(st, 3, hash, HLEN, SQLITE_STATIC);
	return run(s, st, "inserting a node", err);
}

static int op_get_node(void *ctx, unsigned level, uint64_t index, uint8_t out[HLEN], eg_error *err)
{
	sq *s = ctx;
	sqlite3_stmt *st = s->st[level == 0 ? S_GET_LEAF : S_GET_NODE];
	int rc;

	if (level == 0) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)index);
	} else {
		sqlite3_bind_int(st, 1, (int)level);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = hash_col(s, st, 0, out, "node", err);
	else if (rc == SQLITE_DONE)
		rc = eg__error_set(err, EG_ENOTFOUND, "audit store: no node at level %u index %llu", level,
		                   (unsigned long long)index);
	else
		rc = db_error(s, EG_ESTORE, "reading a node", err);
	sqlite3_reset(st);
	return rc;
}

static int op_put_checkpoint(void *ctx, uint64_t size, int64_t time_ms, const char *text, eg_error *err)
{
	sq *s = ctx;
	sqlite3_stmt *st = s->st[S_INS_CP];

	sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
	sqlite3_bind_int64(st, 2, time_ms);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	return run(s, st, "inserting a checkpoint", err);
}

static int op_latest_checkpoint(void *ctx, char **text, eg_error *err)
{
	sq *s = ctx;
	sqlite3_stmt *st = s->st[S_GET_CP];
	int rc = sqlite3_step(st);

	*text = NULL;
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		*text = eg__strndup(t ? (const char *)t : "", (size_t)sqlite3_column_bytes(st, 0));
		rc = *text != NULL ? 0 : eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
	} else if (rc == SQLITE_DONE) {
		rc = eg__error_set(err, EG_ENOTFOUND, "audit store: no checkpoint");
	} else {
		rc = db_error(s, EG_ESTORE, "reading the latest checkpoint", err);
	}
	sqlite3_reset(st);
	return rc;
}

void eg__audit_sqlite_close(eg__audit_store *store)
{
	sq *s;
	int i;

	if (store == NULL || store->ctx == NULL)
		return;
	s = store->ctx;
	for (i = 0; i < S_N; i++)
		sqlite3_finalize(s->st[i]);
	eg__free(s->buf);
	eg__free(s);
	store->ctx = NULL;
}

int eg__audit_sqlite_open(eg__audit_store *out, sqlite3 *db, eg_error *err)
{
	sq *s;
	int i, rc;

	memset(out, 0, sizeof(*out));
	s = eg__calloc(1, sizeof(*s));
	if (s == NULL)
		return eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
	s->db = db;
	out->ctx = s;
	if ((rc = exec(s, schema, err)) != 0)
		goto fail;
	for (i = 0; i < S_N; i++)
		if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL) != SQLITE_OK) {
			rc = db_error(s, EG_ESTORE, sql[i], err);
			goto fail;
		}
	out->begin = op_begin;
	out->commit = op_commit;
	out->rollback = op_rollback;
	out->count = op_count;
	out->put_record = op_put_record;
	out->get_record = op_get_record;
	out->put_node = op_put_node;
	out->get_node = op_get_node;
	out->put_checkpoint = op_put_checkpoint;
	out->latest_checkpoint = op_latest_checkpoint;
	return 0;
fail:
	eg__audit_sqlite_close(out);
	return rc;
}
