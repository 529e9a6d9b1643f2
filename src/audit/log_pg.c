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
 * right edge of the tree there and continues them (the count and the edge
 * in one statement). Group commit across processes: an append holds the
 * lock only while it writes, never while the disk flushes. BEGIN, the
 * append's commit made asynchronous, the lock and the count (with the
 * edge) go in one round trip;
 * the records' and nodes' INSERTs are queued and sent with the COMMIT in
 * one pipeline; that COMMIT releases the lock without waiting for the WAL
 * flush; then a synchronous transaction of its own (an id, so a commit
 * record) waits until the WAL is flushed past the append's commit record,
 * and only then does commit return and a decision get its answer. The
 * flushes of several processes meet in PostgreSQL's own WAL group flush.
 * A caller may take that last step off the append (eg__audit_pg_defer_flush)
 * and flush on a connection of its own (eg__audit_pg_flush) while the next
 * append goes on: engine_audit.c does, for its group commit.
 * A database that crashes before the flush loses the append and every
 * later one (the WAL is one sequence), none of which was answered; the
 * next append finds the count and the edge the database kept. A server
 * configured with synchronous_commit off overall is the operator's choice.
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
/* EG__AUDIT_LEAF_MAGIC as the body of an SQL E'' string. */
#define EG__AUDIT_LEAF_MAGIC_SQL "exportgate-audit-v1\\n"
/* The key of the advisory lock that orders appends ("EGAU"). */
#define AUDIT_LOCK "1162297685"

enum { S_BEGIN, S_LOCK, S_COMMIT, S_ROLLBACK, S_INS_REC, S_GET_REC, S_INS_NODE, S_GET_NODE,
       S_GET_LEAF, S_COUNT, S_INS_CP, S_GET_CP, S_ASYNC, S_XID, S_INS_RECS, S_INS_NODES, S_LZ4, S_MKFUNC, S_APPEND,
       S_N };

/* Bytes of the arrays of one append's rows sent as one statement's
 * parameters; a batch over it is sent a row a statement. */
#define PGL_ARRAY_CAP ((size_t)64 << 20)
/* PostgreSQL's type oids of the arrays' elements (pg_type.dat). */
#define OID_INT4 23
#define OID_INT8 20
#define OID_BYTEA 17

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
	/* The count, and the right edge of the tree of that many records in
	 * the same statement (one row per set bit k of the count: the node of
	 * level k at index (count >> k) - 1, a leaf hash at level 0; one row of
	 * NULLs for an empty log), so that an appender who finds the log grown
	 * by another process reads the edge without a round trip per node. */
	[S_COUNT] = "WITH c AS (SELECT COALESCE(max(idx) + 1, 0) AS n FROM audit_record),"
	            " b AS (SELECT k, (c.n >> k) - 1 AS i FROM c, generate_series(0, 62) AS k"
	            "       WHERE ((c.n >> k) & 1) = 1)"
	            " SELECT c.n, b.k, CASE WHEN b.k = 0"
	            "  THEN (SELECT leaf_hash FROM audit_record WHERE idx = b.i)"
	            "  ELSE (SELECT hash FROM audit_node WHERE level = b.k AND idx = b.i) END"
	            " FROM c LEFT JOIN b ON true",
	[S_INS_CP] = "INSERT INTO audit_checkpoint (size, time_ms, text)"
	             " VALUES ($1::bigint, $2::bigint, $3::text) ON CONFLICT (size) DO UPDATE"
	             " SET time_ms = excluded.time_ms, text = excluded.text",
	[S_GET_CP] = "SELECT text FROM audit_checkpoint ORDER BY size DESC, time_ms DESC LIMIT 1",
	/* An append commits without waiting for its WAL to be flushed (so the
	 * append lock is released before the disk is waited for); commit then
	 * makes it durable before returning (see op_commit). */
	[S_ASYNC] = "SELECT set_config('synchronous_commit', 'off', true)",
	/* A transaction given an id commits with a commit record, and a
	 * synchronous commit waits for the WAL to be flushed up to it: so up to
	 * every earlier commit, the append's too. */
	[S_XID] = "SELECT pg_current_xact_id()",
	/* Every row of an append in one statement each: the columns as
	 * one-dimensional arrays (binary), unnested in step. */
	[S_INS_RECS] = "INSERT INTO audit_record (idx, time_ms, payload, leaf_hash)"
	               " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::bytea[])",
	[S_INS_NODES] = "INSERT INTO audit_node (level, idx, hash)"
	                " SELECT * FROM unnest($1::integer[], $2::bigint[], $3::bytea[])",
	/* A payload over about 2 kB is compressed when stored: with lz4, a
	 * fraction of pglz's time, which is spent with the append lock held.
	 * The session's default only (the column keeps the server's default
	 * for every other writer); refused by a server built without lz4,
	 * which then keeps pglz. */
	[S_LZ4] = "SELECT set_config('default_toast_compression', 'lz4', false)",
	/* The whole append in the server, in one statement: the lock, the
	 * count and the right edge read under it, each record's leaf hash and
	 * the nodes it completes computed exactly as eg__audit_leaf_hash and
	 * eg__audit_edge_push do (SHA-256 of 0x00, the magic, u64be index,
	 * i64be time, u64be length and the payload; of 0x01, left and right),
	 * the rows inserted. So the lock is held only while the server works,
	 * never across a round trip to this process (whose thread may wait for
	 * a core). Rows out: (0, index, leaf hash) per record, then (1, level,
	 * node) per node of the right edge after them. A temporary function:
	 * made per session, no schema change (see op_append_all). */
	[S_MKFUNC] =
		"CREATE OR REPLACE FUNCTION pg_temp.eg_audit_append(t bigint[], p bytea[])"
		" RETURNS TABLE (kind integer, n bigint, h bytea) LANGUAGE plpgsql AS $f$"
		" DECLARE"
		"  cnt bigint; k integer; i integer; idx bigint; leaf bytea; carry bytea;"
		"  edge bytea[] := array_fill(NULL::bytea, ARRAY[64]);"
		"  ridx bigint[] := '{}'; rleaf bytea[] := '{}';"
		"  nl integer[] := '{}'; ni bigint[] := '{}'; nh bytea[] := '{}';"
		" BEGIN"
		"  PERFORM pg_advisory_xact_lock(" AUDIT_LOCK ");"
		"  cnt := (SELECT COALESCE(max(a.idx) + 1, 0) FROM audit_record a);"
		"  FOR k IN 0..62 LOOP"
		"   IF ((cnt >> k) & 1) = 1 THEN"
		"    IF k = 0 THEN"
		"     edge[1] := (SELECT a.leaf_hash FROM audit_record a WHERE a.idx = cnt - 1);"
		"    ELSE"
		"     edge[k + 1] := (SELECT a.hash FROM audit_node a"
		"                     WHERE a.level = k AND a.idx = (cnt >> k) - 1);"
		"    END IF;"
		"    IF edge[k + 1] IS NULL OR length(edge[k + 1]) <> 32 THEN"
		"     RAISE EXCEPTION 'the node of level % at index % is missing', k, (cnt >> k) - 1;"
		"    END IF;"
		"   END IF;"
		"  END LOOP;"
		"  FOR i IN 1..COALESCE(array_length(p, 1), 0) LOOP"
		"   idx := cnt + i - 1;"
		"   leaf := sha256('\\x00'::bytea || convert_to(E'" EG__AUDIT_LEAF_MAGIC_SQL "', 'UTF8')"
		"           || int8send(idx) || int8send(t[i]) || int8send(length(p[i])::bigint) || p[i]);"
		"   ridx := ridx || idx; rleaf := rleaf || leaf;"
		"   carry := leaf; k := 0;"
		"   WHILE ((idx >> k) & 1) = 1 LOOP"
		"    carry := sha256('\\x01'::bytea || edge[k + 1] || carry);"
		"    nl := nl || (k + 1); ni := ni || (((idx + 1) >> (k + 1)) - 1); nh := nh || carry;"
		"    k := k + 1;"
		"   END LOOP;"
		"   edge[k + 1] := carry;"
		"  END LOOP;"
		"  INSERT INTO audit_record (idx, time_ms, payload, leaf_hash)"
		"   SELECT * FROM unnest(ridx, t, p, rleaf);"
		"  INSERT INTO audit_node (level, idx, hash) SELECT * FROM unnest(nl, ni, nh);"
		"  cnt := cnt + COALESCE(array_length(p, 1), 0);"
		"  RETURN QUERY SELECT 0, u.i, u.l FROM unnest(ridx, rleaf) AS u(i, l);"
		"  RETURN QUERY SELECT 1, g::bigint, edge[g + 1] FROM generate_series(0, 62) AS g"
		"   WHERE ((cnt >> g) & 1) = 1;"
		" END $f$",
	[S_APPEND] = "SELECT kind, n, h FROM pg_temp.eg_audit_append($1::bigint[], $2::bytea[])",
};

/* A write of the append in progress, sent at commit (binary parameters,
 * copied: the caller's buffers need not outlive the call). */
typedef struct wr {
	int stmt;
	int n;
	char *data;          /* the parameters' bytes, one block */
	int lengths[4];
} wr;

typedef struct pgl {
	PGconn *conn;
	const char *name;  /* the store, for messages (owned by the store) */
	char *buf;         /* the payload of the last get_record */
	size_t buf_cap;
	int64_t retried_ms; /* the last reconnection attempt that failed (monotonic) */
	wr *wr;            /* the append's writes, in order, sent by commit */
	size_t n_wr, cap_wr;
	/* The right edge read by the last count: node[k] of the tree of
	 * edge_size records, for each k with bit k of edge_mask set. A node of
	 * a complete subtree never changes once committed, so it stays valid. */
	uint64_t edge_size, edge_mask;
	uint8_t edge[64][HLEN];
	int count_ready;   /* begin read the count under the lock: count */
	uint64_t count;
	int defer_flush;   /* commit leaves the flush to eg__audit_pg_flush */
	int server_append; /* pg_temp.eg_audit_append made on this session */
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

/* Makes the session's pg_temp.eg_audit_append and prepares its call:
 * 0, or -1 (nothing to use; the connection is fine). */
static int make_server_append(pgl *s)
{
	char stmt[24];
	PGresult *res;
	int ok;

	stmt_name(stmt, S_MKFUNC);
	res = PQprepare(s->conn, stmt, sql[S_MKFUNC], 0, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok)
		return -1;
	res = PQexecPrepared(s->conn, stmt, 0, NULL, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok)
		return -1;
	stmt_name(stmt, S_APPEND);
	res = PQprepare(s->conn, stmt, sql[S_APPEND], 0, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

static int prepare_all(pgl *s, eg_error *err)
{
	int i, rc = 0;

	s->server_append = 0;
	for (i = 0; i < S_N && rc == 0; i++) {
		char stmt[24];
		PGresult *res;
		if (i == S_MKFUNC || i == S_APPEND)
			continue; /* below */
		stmt_name(stmt, i);
		res = PQprepare(s->conn, stmt, sql[i], 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = db_error(s, res, EG_ESTORE, "preparing a statement (is the store migrated?)",
			              err);
		PQclear(res);
	}
	if (rc == 0) {
		eg_error ignored;
		(void)run_cmd(s, S_LZ4, "choosing lz4", &ignored);
		/* The server-side append, when the session may make a temporary
		 * function (the TEMP privilege, granted to everyone by default);
		 * else appends go the way of begin, put and commit. */
		if (make_server_append(s) == 0)
			s->server_append = 1;
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

static void drop_writes(pgl *s)
{
	size_t i;

	for (i = 0; i < s->n_wr; i++)
		eg__free(s->wr[i].data);
	s->n_wr = 0;
}

/* Queues a write of the append: statement i with n binary parameters. */
static int queue_write(pgl *s, int i, int n, const char *const *values, const int *lengths,
                       eg_error *err)
{
	size_t total = 0, off = 0;
	int k;
	wr *w;

	if (s->n_wr == s->cap_wr) {
		size_t cap = s->cap_wr ? 2 * s->cap_wr : 64;
		wr *nw = eg__realloc(s->wr, cap * sizeof(*nw));
		if (nw == NULL)
			return eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
		s->wr = nw;
		s->cap_wr = cap;
	}
	for (k = 0; k < n; k++)
		total += (size_t)lengths[k];
	w = &s->wr[s->n_wr];
	if ((w->data = eg__malloc(total ? total : 1)) == NULL)
		return eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
	for (k = 0; k < n; k++) {
		memcpy(w->data + off, values[k], (size_t)lengths[k]);
		w->lengths[k] = lengths[k];
		off += (size_t)lengths[k];
	}
	w->stmt = i;
	w->n = n;
	s->n_wr++;
	return 0;
}

/* Sends the statements stmts[0..n) (the parameters of statement k, if
 * any, are those of writes[k]; NULL: none) in one pipeline and one Sync:
 * one round trip. The first failure is the error; the server skips the
 * statements after it. last (may be NULL) gets the last statement's
 * result, in binary, on success. */
static int pipeline_at(pgl *s, const int *stmts, const wr *const *writes, size_t n,
                       size_t want, PGresult **last, const char *what, eg_error *err);

static int pipeline(pgl *s, const int *stmts, const wr *const *writes, size_t n,
                    PGresult **last, const char *what, eg_error *err)
{
	return pipeline_at(s, stmts, writes, n, n - 1, last, what, err);
}

/* As pipeline, *last getting statement want's result instead. */
static int pipeline_at(pgl *s, const int *stmts, const wr *const *writes, size_t n,
                       size_t want, PGresult **last, const char *what, eg_error *err)
{
	static const int formats[4] = {1, 1, 1, 1};
	size_t k, sent = 0;
	int rc = 0;
	PGresult *r;

	if (last != NULL)
		*last = NULL;
	if (PQenterPipelineMode(s->conn) != 1)
		return db_error(s, NULL, EG_ESTORE, what, err);
	for (k = 0; k < n; k++) {
		const char *values[4];
		char name[24];
		const wr *w = writes != NULL ? writes[k] : NULL;
		int np = w != NULL ? w->n : 0, j;
		size_t off = 0;
		for (j = 0; j < np; j++) {
			values[j] = w->data + off;
			off += (size_t)w->lengths[j];
		}
		stmt_name(name, stmts[k]);
		if (PQsendQueryPrepared(s->conn, name, np, np ? values : NULL, np ? w->lengths : NULL,
		                        np ? formats : NULL, last != NULL && k == want) != 1) {
			rc = db_error(s, NULL, EG_ESTORE, what, err);
			break;
		}
		sent++;
	}
	if (PQpipelineSync(s->conn) != 1 && rc == 0)
		rc = db_error(s, NULL, EG_ESTORE, what, err);
	for (k = 0; k < sent; k++) {
		PGresult *first = PQgetResult(s->conn);
		ExecStatusType st = PQresultStatus(first);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && rc == 0) {
			const char *state = PQresultErrorField(first, PG_DIAG_SQLSTATE);
			rc = db_error(s, first, state != NULL && strcmp(state, "23505") == 0 ? EG_EEXISTS
			                                                                   : EG_ESTORE,
			              what, err);
		}
		if (last != NULL && k == want && rc == 0)
			*last = first;
		else
			PQclear(first);
		while ((r = PQgetResult(s->conn)) != NULL)
			PQclear(r);
	}
	while ((r = PQgetResult(s->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		PQclear(r);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	if (PQexitPipelineMode(s->conn) != 1 && rc == 0)
		rc = db_error(s, NULL, EG_ESTORE, what, err);
	if (rc != 0 && last != NULL) {
		PQclear(*last);
		*last = NULL;
	}
	return rc;
}

static int read_count(pgl *s, PGresult *res, uint64_t *out, eg_error *err);

/* BEGIN, the append's commit made asynchronous, the append lock, and the
 * count with the tree's edge under it (kept for the count the append asks
 * next): one round trip, the lock's wait included, so the lock is held
 * for one more round trip only, the commit's. */
static int op_begin(void *ctx, eg_error *err)
{
	static const int stmts[4] = {S_BEGIN, S_ASYNC, S_LOCK, S_COUNT};
	pgl *s = ctx;
	PGresult *res = NULL;
	int rc;

	drop_writes(s);
	s->count_ready = 0;
	if ((rc = ensure_conn(s, err)) != 0)
		return rc;
	rc = pipeline(s, stmts, NULL, 4, &res, "starting an append (waiting for the append lock)",
	              err);
	if (rc == 0 && (rc = read_count(s, res, &s->count, err)) == 0)
		s->count_ready = 1;
	if (rc != 0) {
		eg_error ignored;
		if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
			run_cmd(s, S_ROLLBACK, "rolling back", &ignored);
	}
	return rc;
}

/* A transaction of its own with an id, committed synchronously: its
 * commit returns once the WAL is flushed up to its commit record, so up to
 * every commit that returned before it began, on any connection. */
static int flush_wal(pgl *s, eg_error *err)
{
	static const int flush[3] = {S_BEGIN, S_XID, S_COMMIT};
	int rc;

	if ((rc = pipeline(s, flush, NULL, 3, NULL, "waiting for the append to be flushed",
	                   err)) != 0) {
		eg_error ignored;
		if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
			run_cmd(s, S_ROLLBACK, "rolling back", &ignored);
	}
	return rc;
}

void eg__audit_pg_defer_flush(eg__audit_store *store, int on)
{
	((pgl *)store->ctx)->defer_flush = on ? 1 : 0;
}

int eg__audit_pg_flush(eg__audit_store *store, eg_error *err)
{
	pgl *s = store->ctx;
	int rc;

	if ((rc = ensure_conn(s, err)) != 0)
		return rc;
	return flush_wal(s, err);
}

/* The append's writes and COMMIT in one round trip (every record in one
 * statement, every node in another, their columns as arrays); the COMMIT does not
 * wait for the disk, so the append lock is free for the next process at
 * once. Then, outside the lock, a transaction of its own with an id,
 * committed synchronously: its commit returns once the WAL is flushed up
 * to its commit record, so up to the append's. Only then does this return
 * 0, and a decision get its answer. Several processes' flushes meet in
 * PostgreSQL's own group flush of the WAL. A failure of the flush returns
 * an error: the caller answers 503, although the records may have been
 * made durable (logged, never answered: never the reverse). */
static void put_be32(char *out, uint32_t v)
{
	out[0] = (char)(v >> 24);
	out[1] = (char)(v >> 16);
	out[2] = (char)(v >> 8);
	out[3] = (char)v;
}

/* The bytes of the queued rows of statement stmt as the parameters of
 * `many` (the same columns, each an array: PostgreSQL's binary form of a
 * one-dimensional array, elements of types oids[]), into *out (data
 * freed by the caller). 1: they would be over PGL_ARRAY_CAP (nothing
 * built: the rows go one a statement). */
static int rows_as_arrays(pgl *s, int stmt, int many, int ncol, const unsigned *oids, wr *out,
                          eg_error *err)
{
	size_t size[4] = {0, 0, 0, 0}, total = 0, i, rows = 0, off[4];
	int c;

	for (i = 0; i < s->n_wr; i++) {
		if (s->wr[i].stmt != stmt)
			continue;
		rows++;
		for (c = 0; c < ncol; c++)
			size[c] += 4 + (size_t)s->wr[i].lengths[c];
	}
	for (c = 0; c < ncol; c++) {
		size[c] += 20; /* ndim, flags, element type, length, lower bound */
		total += size[c];
	}
	if (total > PGL_ARRAY_CAP || rows > INT32_MAX)
		return 1;
	memset(out, 0, sizeof(*out));
	if ((out->data = eg__malloc(total)) == NULL)
		return eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
	out->stmt = many;
	out->n = ncol;
	for (c = 0, total = 0; c < ncol; c++) {
		char *h = out->data + total;
		put_be32(h, 1);
		put_be32(h + 4, 0);
		put_be32(h + 8, oids[c]);
		put_be32(h + 12, (uint32_t)rows);
		put_be32(h + 16, 1);
		off[c] = total + 20;
		out->lengths[c] = (int)size[c];
		total += size[c];
	}
	for (i = 0; i < s->n_wr; i++) {
		const wr *w = &s->wr[i];
		size_t at = 0;
		if (w->stmt != stmt)
			continue;
		for (c = 0; c < ncol; c++) {
			put_be32(out->data + off[c], (uint32_t)w->lengths[c]);
			memcpy(out->data + off[c] + 4, w->data + at, (size_t)w->lengths[c]);
			off[c] += 4 + (size_t)w->lengths[c];
			at += (size_t)w->lengths[c];
		}
	}
	return 0;
}

/* The records' and the nodes' rows as one statement each, and COMMIT:
 * *sent 1 when so (else the caller sends a statement a row). */
static int commit_arrays(pgl *s, int *sent, eg_error *err)
{
	static const unsigned rec_oids[4] = {OID_INT8, OID_INT8, OID_BYTEA, OID_BYTEA};
	static const unsigned node_oids[3] = {OID_INT4, OID_INT8, OID_BYTEA};
	wr arr[2];
	const wr *writes[3];
	int stmts[3], rc, k, n = 0, has_nodes = 0;
	size_t i;

	*sent = 0;
	memset(arr, 0, sizeof(arr));
	for (i = 0; i < s->n_wr; i++)
		has_nodes |= s->wr[i].stmt == S_INS_NODE;
	if ((rc = rows_as_arrays(s, S_INS_REC, S_INS_RECS, 4, rec_oids, &arr[0], err)) != 0)
		return rc < 0 ? rc : 0;
	if (has_nodes &&
	    (rc = rows_as_arrays(s, S_INS_NODE, S_INS_NODES, 3, node_oids, &arr[1], err)) != 0) {
		eg__free(arr[0].data);
		return rc < 0 ? rc : 0;
	}
	for (k = 0; k < 1 + has_nodes; k++) {
		stmts[n] = arr[k].stmt;
		writes[n++] = &arr[k];
	}
	stmts[n] = S_COMMIT;
	writes[n++] = NULL;
	rc = pipeline(s, stmts, writes, (size_t)n, NULL, "writing and committing an append", err);
	for (k = 0; k < 2; k++)
		eg__free(arr[k].data);
	*sent = 1;
	return rc;
}

static int op_commit(void *ctx, eg_error *err)
{
	pgl *s = ctx;
	const wr **writes = NULL;
	int *stmts = NULL;
	size_t i, n = s->n_wr + 1;
	int rc, sent = 0;

	s->count_ready = 0;
	if ((rc = commit_arrays(s, &sent, err)) != 0 || sent) {
		drop_writes(s);
		if (rc != 0 || s->defer_flush)
			return rc;
		return flush_wal(s, err);
	}
	if ((stmts = eg__malloc(n * sizeof(*stmts))) == NULL ||
	    (writes = eg__malloc(n * sizeof(*writes))) == NULL) {
		eg__free(stmts);
		return eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
	}
	for (i = 0; i < s->n_wr; i++) {
		stmts[i] = s->wr[i].stmt;
		writes[i] = &s->wr[i];
	}
	stmts[s->n_wr] = S_COMMIT;
	writes[s->n_wr] = NULL;
	rc = pipeline(s, stmts, writes, n, NULL, "writing and committing an append", err);
	eg__free(stmts);
	eg__free(writes);
	drop_writes(s);
	if (rc != 0 || s->defer_flush)
		return rc;
	return flush_wal(s, err);
}

/* PostgreSQL's binary form of a one-dimensional array of n elements of
 * type oid, element k the bytes vals[k] of length lens[k], appended to
 * w's data as its parameter number w->n. */
static int add_array(wr *w, unsigned oid, size_t n, const char *const *vals, const size_t *lens,
                     eg_error *err)
{
	size_t size = 20, k, at;
	char *nd;

	for (k = 0; k < n; k++)
		size += 4 + lens[k];
	for (k = 0, at = 0; k < (size_t)w->n; k++)
		at += (size_t)w->lengths[k];
	if (size > PGL_ARRAY_CAP || n > INT32_MAX)
		return EG_EUNSUPPORTED; /* too big for one statement: the usual way */
	if ((nd = eg__realloc(w->data, at + size)) == NULL)
		return eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
	w->data = nd;
	nd += at;
	put_be32(nd, 1);
	put_be32(nd + 4, 0);
	put_be32(nd + 8, oid);
	put_be32(nd + 12, (uint32_t)n);
	put_be32(nd + 16, 1);
	nd += 20;
	for (k = 0; k < n; k++) {
		put_be32(nd, (uint32_t)lens[k]);
		memcpy(nd + 4, vals[k], lens[k]);
		nd += 4 + lens[k];
	}
	w->lengths[w->n++] = (int)size;
	return 0;
}

/* Reads the rows of pg_temp.eg_audit_append (binary) into the entries and
 * the edge, checking each leaf hash against this program's own. */
static int read_appended(pgl *s, const PGresult *res, struct eg__audit_entry *entries,
                         size_t n, eg__audit_edge *edge, eg_error *err)
{
	int r, rows = PQntuples(res);
	size_t got = 0;
	uint64_t mask = 0, size = 0;

	memset(edge, 0, sizeof(*edge));
	for (r = 0; r < rows; r++) {
		const char *kind = PQgetvalue(res, r, 0), *num = PQgetvalue(res, r, 1);
		uint64_t v;
		if (PQgetlength(res, r, 0) != 4 || PQgetlength(res, r, 1) != 8 ||
		    PQgetlength(res, r, 2) != HLEN)
			return eg__error_set(err, EG_ESTORE, "audit store %s: the append's row %d is "
			                     "malformed", s->name, r);
		v = get_be64(num);
		if (kind[3] == 0 && got < n) {
			uint8_t mine[HLEN];
			eg__audit_entry *e = &entries[got];
			if (got > 0 && v != entries[got - 1].index + 1)
				return eg__error_set(err, EG_ESTORE, "audit store %s: the append's records "
				                     "are not in order", s->name);
			if (eg__audit_leaf_hash(mine, v, e->time_ms, e->payload, e->len) != 0 ||
			    memcmp(mine, PQgetvalue(res, r, 2), HLEN) != 0)
				return eg__error_set(err, EG_ESTORE, "audit store %s: record %llu: the "
				                     "server's leaf hash differs from this program's",
				                     s->name, (unsigned long long)v);
			e->index = v;
			memcpy(e->leaf_hash, mine, HLEN);
			got++;
		} else if (kind[3] == 1 && v < 64) {
			memcpy(edge->node[v], PQgetvalue(res, r, 2), HLEN);
			mask |= (uint64_t)1 << v;
		}
	}
	if (got != n)
		return eg__error_set(err, EG_ESTORE, "audit store %s: the append returned %zu of %zu "
		                     "records", s->name, got, n);
	size = entries[n - 1].index + 1;
	if (mask != size)
		return eg__error_set(err, EG_ESTORE, "audit store %s: the append's right edge does "
		                     "not match its %llu records", s->name, (unsigned long long)size);
	edge->size = size;
	/* the edge cache of get_node, as a count would leave it */
	memcpy(s->edge, edge->node, sizeof(s->edge));
	s->edge_size = size;
	s->edge_mask = mask;
	return 0;
}

/* The append in one round trip: BEGIN, the commit made asynchronous,
 * pg_temp.eg_audit_append (lock, count, edge, hashes, rows) and COMMIT in
 * one pipeline: the append lock is held from inside the function to the
 * COMMIT that follows it in the server, never across the network; then
 * the flush, as op_commit (or deferred). */
static int op_append_all(void *ctx, struct eg__audit_entry *entries, size_t n,
                         struct eg__audit_edge *edge, eg_error *err)
{
	static const int stmts[4] = {S_BEGIN, S_ASYNC, S_APPEND, S_COMMIT};
	pgl *s = ctx;
	const char **vals = NULL;
	size_t *lens = NULL, i;
	char *times = NULL;
	const wr *writes[4] = {NULL, NULL, NULL, NULL};
	PGresult *res = NULL;
	wr w;
	int rc;

	memset(&w, 0, sizeof(w));
	if ((rc = ensure_conn(s, err)) != 0)
		return rc;
	if (!s->server_append || n == 0)
		return EG_EUNSUPPORTED;
	s->count_ready = 0;
	if ((vals = eg__malloc(n * sizeof(*vals))) == NULL ||
	    (lens = eg__malloc(n * sizeof(*lens))) == NULL ||
	    (times = eg__malloc(n * 8)) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "audit store: out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		put_be64(times + 8 * i, (uint64_t)entries[i].time_ms);
		vals[i] = times + 8 * i;
		lens[i] = 8;
	}
	w.stmt = S_APPEND;
	if ((rc = add_array(&w, OID_INT8, n, vals, lens, err)) != 0)
		goto done;
	for (i = 0; i < n; i++) {
		vals[i] = entries[i].len ? entries[i].payload : "";
		lens[i] = entries[i].len;
	}
	if ((rc = add_array(&w, OID_BYTEA, n, vals, lens, err)) != 0)
		goto done;
	writes[2] = &w;
	rc = pipeline_at(s, stmts, writes, 4, 2, &res, "appending (the append lock held in the "
	                 "server)", err);
	if (rc != 0) {
		eg_error ignored;
		if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
			run_cmd(s, S_ROLLBACK, "rolling back", &ignored);
		goto done;
	}
	/* committed: a row that does not add up is an error of this program's
	 * check, and `audit verify` finds what the server wrote */
	if ((rc = read_appended(s, res, entries, n, edge, err)) != 0)
		goto done;
	if (!s->defer_flush)
		rc = flush_wal(s, err);
done:
	PQclear(res);
	eg__free(w.data);
	eg__free(times);
	eg__free(lens);
	eg__free(vals);
	return rc;
}

static void op_rollback(void *ctx)
{
	pgl *s = ctx;
	eg_error ignored;

	drop_writes(s);
	s->count_ready = 0;
	if (PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		run_cmd(s, S_ROLLBACK, "rolling back", &ignored);
}

/* Reads a result of S_COUNT (released here): the count, and the edge. */
static int read_count(pgl *s, PGresult *res, uint64_t *out, eg_error *err)
{
	uint64_t n = 0, mask = 0;
	int r, rows;

	s->edge_mask = 0;
	rows = PQntuples(res);
	if (rows < 1 || PQgetlength(res, 0, 0) != 8) {
		PQclear(res);
		return eg__error_set(err, EG_ESTORE, "audit store %s: counting records: %d rows",
		                     s->name, rows);
	}
	n = get_be64(PQgetvalue(res, 0, 0));
	if (n > INT64_MAX) {
		PQclear(res);
		return eg__error_set(err, EG_ESTORE, "audit store %s: counting records: %llu",
		                     s->name, (unsigned long long)n);
	}
	for (r = 0; r < rows; r++) {
		const char *k = PQgetvalue(res, r, 1);
		unsigned level;
		if (PQgetisnull(res, r, 1) || PQgetlength(res, r, 1) != 4 || PQgetisnull(res, r, 2) ||
		    PQgetlength(res, r, 2) != HLEN)
			continue; /* an empty log, or a node missing: get_node says so */
		level = ((unsigned)(unsigned char)k[0] << 24) | ((unsigned)(unsigned char)k[1] << 16) |
		        ((unsigned)(unsigned char)k[2] << 8) | (unsigned)(unsigned char)k[3];
		if (level >= 64 || !((n >> level) & 1))
			continue;
		memcpy(s->edge[level], PQgetvalue(res, r, 2), HLEN);
		mask |= (uint64_t)1 << level;
	}
	PQclear(res);
	s->edge_size = n;
	s->edge_mask = mask;
	*out = n;
	return 0;
}

static int op_count(void *ctx, uint64_t *out, eg_error *err)
{
	pgl *s = ctx;
	PGresult *res;
	int rc;

	if (s->count_ready) { /* read by begin, under the lock */
		s->count_ready = 0;
		*out = s->count;
		return 0;
	}
	if ((rc = run(s, S_COUNT, 0, NULL, NULL, 1, &res, "counting records", err)) != 0)
		return rc;
	return read_count(s, res, out, err);
}

static int op_put_record(void *ctx, const eg__audit_record *rec, eg_error *err)
{
	pgl *s = ctx;
	char idx[8], t[8];
	const char *values[4] = {idx, t, rec->len ? rec->payload : "", (const char *)rec->leaf_hash};
	int lengths[4] = {8, 8, (int)rec->len, HLEN};

	if (rec->len > EG__AUDIT_PAYLOAD_MAX)
		return eg__error_set(err, EG_ETOOBIG, "audit store %s: a payload of %zu bytes", s->name,
		                     rec->len);
	put_be64(idx, rec->index);
	put_be64(t, (uint64_t)rec->time_ms);
	return queue_write(s, S_INS_REC, 4, values, lengths, err);
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

	lv[0] = (char)(level >> 24);
	lv[1] = (char)(level >> 16);
	lv[2] = (char)(level >> 8);
	lv[3] = (char)level;
	put_be64(idx, index);
	return queue_write(s, S_INS_NODE, 3, values, lengths, err);
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

	if (level < 64 && ((s->edge_mask >> level) & 1) && index == (s->edge_size >> level) - 1) {
		memcpy(out, s->edge[level], HLEN);
		return 0;
	}
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
	drop_writes(s);
	eg__free(s->wr);
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
	out->append_all = op_append_all;
	return 0;
}
