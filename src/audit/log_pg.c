/* log_pg.c - the audit log's record store in PostgreSQL tables of the caller's connection.
 *
 * Tables (created by the store's migration 2, src/store/postgres.c):
 *   audit_record(idx PRIMARY KEY, time_ms, payload bytea, leaf_hash bytea)
 *   audit_node(level, idx, hash bytea, PRIMARY KEY(level, idx))
 *   audit_checkpoint(size PRIMARY KEY, time_ms, text)
 * as log_sqlite.c's. Appends of every process form one order: begin takes
 * a transaction-scoped advisory lock (pg_advisory_xact_lock), which the
 * next appender waits for; it is released by COMMIT or ROLLBACK, never
 * left behind by a process that dies (its session ends, and the lock with
 * it). The transaction is READ COMMITTED, so the statements after the lock
 * see what the previous holder committed: the log reads the count and the
 * right edge of the tree there and continues them. COMMIT returns once the
 * server has flushed the commit record (synchronous_commit on, the
 * default; a server configured otherwise is the operator's choice).
 * Every statement is prepared once on the connection; values travel as
 * binary parameters, so payload bytes are stored exactly. */
#include "log.h"

#include "util/alloc.h"
#include "util/error.h"
#include "util/num.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define HLEN EG__MERKLE_HASH_LEN
/* The key of the advisory lock that orders appends ("EGAU"). */
#define AUDIT_LOCK "1162297685"

enum { S_BEGIN, S_LOCK, S_COMMIT, S_ROLLBACK, S_INS_REC, S_GET_REC, S_INS_NODE, S_GET_NODE,
       S_GET_LEAF, S_COUNT, S_INS_CP, S_GET_CP, S_N };

static const char *const sql[S_N] = {
	[S_BEGIN] = "BEGIN ISOLATION LEVEL READ COMMITTED",
	[S_LOCK] = "SELECT pg_advisory_xact_lock(" AUDIT_LOCK ")",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_INS_REC] = "INSERT INTO audit_record (idx, time_ms, payload, leaf_hash)"
	              " VALUES ($1::bigint, $2::bigint, $3::bytea, $4::bytea)",
	[S_GET_REC] = "SELECT time_ms, payload, leaf_hash FROM audit_record WHERE idx = $1::bigint",
	[S_INS_NODE] = "INSERT INTO audit_node (level, idx, hash)"
	               " VALUES ($1::integer, $2::bigint, $3::bytea)",
	[S_GET_NODE] = "SELECT hash FROM audit_node WHERE level = $1::integer AND idx = $2::bigint",
	[S_GET_LEAF] = "SELECT leaf_hash FROM audit_record WHERE idx = $1::bigint",
	[S_COUNT] = "SELECT COALESCE(max(idx) + 1, 0) FROM audit_record",
	[S_INS_CP] = "INSERT INTO audit_checkpoint (size, time_ms, text)"
	             " VALUES ($1::bigint, $2::bigint, $3::text) ON CONFLICT (size) DO UPDATE"
	             " SET time_ms = excluded.time_ms, text = excluded.text",
	[S_GET_CP] = "SELECT text FROM audit_checkpoint ORDER BY size DESC, time_ms DESC LIMIT 1",
};

typedef struct pgl {
	PGconn *conn;
	const char *name;  /* the store, for messages (owned by the store) */
	char *buf;         /* the payload of the last get_record */
	size_t buf_cap;
	int64_t retried_ms; /* the last reconnection attempt that failed (monotonic) */
} pgl;

static void stmt_name(char out[24], int i)
{
	snprintf(out, 24, "eg_audit_%d", i);
}

static int db_error(pgl *s, const PGresult *res, int code, const char *what, eg_error *err)
{
	const char *msg = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char line[512];
	size_t n = 0;

	if (msg == NULL)
		msg = PQerrorMessage(s->conn);
	while (msg[n] != '\0' && msg[n] != '\n' && n + 1 < sizeof(line)) {
		line[n] = msg[n];
		n++;
	}
	line[n] = '\0';
	return eg__error_set(err, code, "audit store %s: %s: %s", s->name, what, line);
}

/* Big-endian 8 bytes, PostgreSQL's binary form of a bigint. */
static void put_be64(char out[8], uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		out[i] = (char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t get_be64(const char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | (unsigned char)p[i];
	return v;
}

/* Runs statement i with binary parameters (and binary results when
 * binary_out); *out gets a result of the status expected. */
static int run(pgl *s, int i, int n, const char *const *values, const int *lengths,
               int binary_out, PGresult **out, const char *what, eg_error *err)
{
	static const int formats[4] = {1, 1, 1, 1};
	char name[24];
	PGresult *res;
	ExecStatusType st;
	int rc;

	*out = NULL;
	stmt_name(name, i);
	res = PQexecPrepared(s->conn, name, n, values, lengths, formats, binary_out);
	st = PQresultStatus(res);
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		*out = res;
		return 0;
	}
	{
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		rc = db_error(s, res, state != NULL && strcmp(state, "23505") == 0 ? EG_EEXISTS
		                                                                   : EG_ESTORE,
		              what, err);
	}
	PQclear(res);
	return rc;
}

static int run_cmd(pgl *s, int i, const char *what, eg_error *err)
{
	PGresult *res;
	int rc = run(s, i, 0, NULL, NULL, 0, &res, what, err);

	PQclear(res);
	return rc;
}

static int prepare_all(pgl *s, eg_error *err)
{
	int i, rc = 0;

	for (i = 0; i < S_N && rc == 0; i++) {
		char stmt[24];
		PGresult *res;
		stmt_name(stmt, i);
		res = PQprepare(s->conn, stmt, sql[i], 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = db_error(s, res, EG_ESTORE, "preparing a statement (is the store migrated?)",
			              err);
		PQclear(res);
	}
	return rc;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A connection found broken (the server restarted or was away) is reset,
 * at most once a second, and the statements prepared again; until then
 * every append fails with EG_ESTORE (the caller answers 503: a decision is
 * never given unlogged). */
static int ensure_conn(pgl *s, eg_error *err)
{
	int64_t now;

	if (PQstatus(s->conn) == CONNECTION_OK)
		return 0;
	now = mono_ms();
	if (s->retried_ms != 0 && now - s->retried_ms < 1000)
		return eg__error_set(err, EG_ESTORE, "audit store %s: connection lost; reconnecting",
		                     s->name);
	s->retried_ms = now;
	PQreset(s->conn);
	if (PQstatus(s->conn) != CONNECTION_OK)
		return db_error(s, NULL, EG_ESTORE, "connection lost, cannot reconnect", err);
	s->retried_ms = 0;
	return prepare_all(s, err);
}

static int op_begin(void *ctx, eg_error *err)
{
	pgl *s = ctx;
	int rc;

	if ((rc = ensure_conn(s, err)) != 0)
		return rc;
	if ((rc = run_cmd(s, S_BEGIN, "starting an append", err)) != 0)
		return rc;
	if ((rc = run_cmd(s, S_LOCK, "waiting for the append lock", err)) != 0) {
		eg_error ignored;
		run_cmd(s, S_ROLLBACK, "rolling back", &ignored);
	}
	return rc;
}

static int op_commit(void *ctx, eg_error *err)
{
	return run_cmd(ctx, S_COMMIT, "committing", err);
}

static void op_rollback(void *ctx)
{
	pgl *s = ctx;
	eg_error ignored;

	if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		run_cmd(s, S_ROLLBACK, "rolling back", &ignored);
}

static int op_count(void *ctx, uint64_t *out, eg_error *err)
{
	pgl *s = ctx;
	PGresult *res;
	int rc;

	if ((rc = run(s, S_COUNT, 0, NULL, NULL, 0, &res, "counting records", err)) != 0)
		return rc;
	if (PQntuples(res) != 1 || eg__parse_u64(out, PQgetvalue(res, 0, 0), 0, INT64_MAX) != 0)
		rc = eg__error_set(err, EG_ESTORE, "audit store %s: counting records: \"%s\"", s->name,
		                   PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return rc;
}

static int op_put_record(void *ctx, const eg__audit_record *rec, eg_error *err)
{
	pgl *s = ctx;
	char idx[8], t[8];
	const char *values[4] = {idx, t, rec->len ? rec->payload : "", (const char *)rec->leaf_hash};
	int lengths[4] = {8, 8, (int)rec->len, HLEN};
	PGresult *res;
	int rc;

	if (rec->len > EG__AUDIT_PAYLOAD_MAX)
		return eg__error_set(err, EG_ETOOBIG, "audit store %s: a payload of %zu bytes", s->name,
		                     rec->len);
	put_be64(idx, rec->index);
	put_be64(t, (uint64_t)rec->time_ms);
	rc = run(s, S_INS_REC, 4, values, lengths, 0, &res, "inserting a record", err);
	PQclear(res);
	return rc;
}

/* Copies a hash column (binary), refusing one of another width. */
static int hash_col(pgl *s, const PGresult *res, int col, uint8_t out[HLEN], const char *what,
                    eg_error *err)
{
	if (PQgetisnull(res, 0, col) || PQgetlength(res, 0, col) != HLEN)
		return eg__error_set(err, EG_EPARSE, "audit store %s: %s: a hash of %d bytes", s->name,
		                     what, PQgetlength(res, 0, col));
	memcpy(out, PQgetvalue(res, 0, col), HLEN);
	return 0;
}

static int op_get_record(void *ctx, uint64_t index, eg__audit_record *out, eg_error *err)
{
	pgl *s = ctx;
	char idx[8];
	const char *values[1] = {idx};
	int lengths[1] = {8};
	PGresult *res;
	size_t n;
	int rc;

	put_be64(idx, index);
	if ((rc = run(s, S_GET_REC, 1, values, lengths, 1, &res, "reading a record", err)) != 0)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return eg__error_set(err, EG_ENOTFOUND, "audit store %s: no record %llu", s->name,
		                     (unsigned long long)index);
	}
	if (PQgetlength(res, 0, 0) != 8) {
		PQclear(res);
		return eg__error_set(err, EG_EPARSE, "audit store %s: record %llu: a time of %d bytes",
		                     s->name, (unsigned long long)index, PQgetlength(res, 0, 0));
	}
	n = (size_t)PQgetlength(res, 0, 1);
	if (n + 1 > s->buf_cap) {
		char *nb = eg__realloc(s->buf, n + 1);
		if (nb == NULL) {
			PQclear(res);
			return eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
		}
		s->buf = nb;
		s->buf_cap = n + 1;
	}
	memcpy(s->buf, PQgetvalue(res, 0, 1), n);
	s->buf[n] = '\0';
	out->index = index;
	out->time_ms = (int64_t)get_be64(PQgetvalue(res, 0, 0));
	out->payload = s->buf;
	out->len = n;
	rc = hash_col(s, res, 2, out->leaf_hash, "record", err);
	PQclear(res);
	return rc;
}

static int op_put_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[HLEN],
                       eg_error *err)
{
	pgl *s = ctx;
	char lv[4], idx[8];
	const char *values[3] = {lv, idx, (const char *)hash};
	int lengths[3] = {4, 8, HLEN};
	PGresult *res;
	int rc;

	lv[0] = (char)(level >> 24);
	lv[1] = (char)(level >> 16);
	lv[2] = (char)(level >> 8);
	lv[3] = (char)level;
	put_be64(idx, index);
	rc = run(s, S_INS_NODE, 3, values, lengths, 0, &res, "inserting a node", err);
	PQclear(res);
	return rc;
}

static int op_get_node(void *ctx, unsigned level, uint64_t index, uint8_t out[HLEN],
                       eg_error *err)
{
	pgl *s = ctx;
	char lv[4], idx[8];
	const char *values[2];
	int lengths[2];
	PGresult *res;
	int rc;

	put_be64(idx, index);
	if (level == 0) {
		values[0] = idx;
		lengths[0] = 8;
		rc = run(s, S_GET_LEAF, 1, values, lengths, 1, &res, "reading a node", err);
	} else {
		lv[0] = (char)(level >> 24);
		lv[1] = (char)(level >> 16);
		lv[2] = (char)(level >> 8);
		lv[3] = (char)level;
		values[0] = lv;
		values[1] = idx;
		lengths[0] = 4;
		lengths[1] = 8;
		rc = run(s, S_GET_NODE, 2, values, lengths, 1, &res, "reading a node", err);
	}
	if (rc != 0)
		return rc;
	if (PQntuples(res) == 0)
		rc = eg__error_set(err, EG_ENOTFOUND, "audit store %s: no node at level %u index %llu",
		                   s->name, level, (unsigned long long)index);
	else
		rc = hash_col(s, res, 0, out, "node", err);
	PQclear(res);
	return rc;
}

static int op_put_checkpoint(void *ctx, uint64_t size, int64_t time_ms, const char *text,
                             eg_error *err)
{
	pgl *s = ctx;
	char sz[8], t[8];
	const char *values[3] = {sz, t, text};
	int lengths[3] = {8, 8, (int)strlen(text)};
	PGresult *res;
	int rc;

	put_be64(sz, size);
	put_be64(t, (uint64_t)time_ms);
	rc = run(s, S_INS_CP, 3, values, lengths, 0, &res, "inserting a checkpoint", err);
	PQclear(res);
	return rc;
}

static int op_latest_checkpoint(void *ctx, char **text, eg_error *err)
{
	pgl *s = ctx;
	PGresult *res;
	int rc;

	*text = NULL;
	if ((rc = run(s, S_GET_CP, 0, NULL, NULL, 0, &res, "reading the latest checkpoint",
	              err)) != 0)
		return rc;
	if (PQntuples(res) == 0)
		rc = eg__error_set(err, EG_ENOTFOUND, "audit store %s: no checkpoint", s->name);
	else if ((*text = eg__strndup(PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0))) ==
	         NULL)
		rc = eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
	PQclear(res);
	return rc;
}

void eg__audit_pg_close(eg__audit_store *store)
{
	pgl *s;

	if (store == NULL || store->ctx == NULL)
		return;
	s = store->ctx;
	eg__free(s->buf);
	eg__free(s);
	store->ctx = NULL;
}

int eg__audit_pg_open(eg__audit_store *out, struct pg_conn *conn, const char *name,
                      eg_error *err)
{
	pgl *s;
	int rc;

	memset(out, 0, sizeof(*out));
	s = eg__calloc(1, sizeof(*s));
	if (s == NULL)
		return eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
	s->conn = conn;
	s->name = name;
	out->ctx = s;
	if ((rc = prepare_all(s, err)) != 0) {
		eg__audit_pg_close(out);
		return rc;
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
}
