/* store/pg_batch.c - batch screening of a table of parties in PostgreSQL: runs, chunks claimed with FOR UPDATE SKIP LOCKED, results written in the chunk's transaction.
 *
 * See pg_batch.h for the invariants. The results of a chunk travel as
 * arrays (one text literal per column) to one INSERT ... SELECT FROM
 * unnest(...) per table: two round trips for a chunk's results whatever
 * its size, every statement prepared. */
#include "pg_batch.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/error.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most bytes of one column's array literal for one chunk. */
#define PGB_ARRAY_CAP ((size_t)512 << 20)
/* Distinct versions and skipped sources a chunk summarises. */
#define PGB_SUMMARY_MAX 64
/* Bytes of a table name as given. */
#define PGB_TABLE_MAX 127

enum { B_BEGIN, B_ASYNC, B_COMMIT, B_ROLLBACK, B_REGCLASS, B_COLUMNS, B_UNIQUE_ID, B_INS_RUN, B_NEWEST,
       B_NEWEST_PENDING, B_RUN, B_INS_RESULT, B_INS_HIT, B_DONE, B_NOTIFY, B_LISTEN,
       B_NEWEST_FREE, B__COUNT };

#define DONE_COUNTS \
	"count(c.chunk) FILTER (WHERE c.state = 'done'), COALESCE(sum(c.screened), 0)," \
	" COALESCE(sum(c.rejected), 0), COALESCE(sum(c.with_hits), 0), COALESCE(sum(c.hits), 0)"

static const char *const bsql[B__COUNT] = {
	[B_BEGIN] = "BEGIN ISOLATION LEVEL READ COMMITTED",
	/* A chunk's commit does not wait for the WAL flush (see claim). */
	[B_ASYNC] = "SELECT set_config('synchronous_commit', 'off', true)",
	[B_COMMIT] = "COMMIT",
	[B_ROLLBACK] = "ROLLBACK",
	[B_REGCLASS] = "SELECT to_regclass($1::text)::text",
	[B_COLUMNS] = "SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute"
	              " WHERE attrelid = to_regclass($1::text) AND attnum > 0 AND NOT attisdropped",
	[B_UNIQUE_ID] = "SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a"
	                " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
	                " WHERE i.indrelid = to_regclass($1::text) AND i.indisunique"
	                " AND i.indnatts = 1 AND i.indpred IS NULL AND a.attname = 'id')",
	[B_INS_RUN] = "INSERT INTO batch_run (tbl, has_type, chunk_rows, min_score, hit_limit,"
	              " since) VALUES ($1, $2::boolean, $3::integer, $4::double precision,"
	              " $5::integer, $6::bigint) RETURNING id",
	[B_NEWEST] = "SELECT COALESCE(max(id), 0) FROM batch_run",
	[B_NEWEST_PENDING] = "SELECT COALESCE(max(run_id), 0) FROM batch_chunk"
	                     " WHERE state = 'pending'",
	[B_RUN] = "SELECT r.id, r.tbl, r.has_type,"
	          " to_char(r.created AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	          " r.chunk_rows, r.chunks, r.rows, r.min_score, r.hit_limit, " DONE_COUNTS ","
	          " (SELECT COALESCE(string_agg(DISTINCT v, ' ' ORDER BY v), '') FROM batch_chunk c2,"
	          "   unnest(string_to_array(c2.versions, ' ')) v WHERE c2.run_id = r.id),"
	          " (SELECT COALESCE(string_agg(DISTINCT s, E'\\n' ORDER BY s), '') FROM batch_chunk c3,"
	          "   unnest(string_to_array(c3.skipped, E'\\n')) s WHERE c3.run_id = r.id)"
	          " , COALESCE(r.since, 0)"
	          " FROM batch_run r LEFT JOIN batch_chunk c ON c.run_id = r.id"
	          " WHERE r.id = $1::bigint GROUP BY r.id",
	[B_INS_RESULT] = "INSERT INTO batch_result (run_id, party_id, chunk, hits, versions,"
	                 " skipped, rejected)"
	                 " SELECT $1::bigint, p, $2::integer, h, v::bigint[], s, r FROM"
	                 " unnest($3::bigint[], $4::integer[], $5::text[], $6::text[], $7::text[])"
	                 " AS t(p, h, v, s, r)",
	[B_INS_HIT] = "INSERT INTO batch_hit (run_id, party_id, rank, score, source, uid,"
	              " version_id, matched_name, primary_name)"
	              " SELECT $1::bigint, p, k, sc, so, ud, v, m, pn FROM"
	              " unnest($2::bigint[], $3::integer[], $4::real[], $5::text[], $6::text[],"
	              " $7::bigint[], $8::text[], $9::text[]) AS t(p, k, sc, so, ud, v, m, pn)",
	/* Marks the claimed chunk done. It must still be pending (its row lock
	 * makes it so): were it not, 1 / 0 fails the statement, and with it
	 * the transaction, so the COMMIT sent behind it in the same pipeline
	 * rolls back instead. */
	[B_DONE] = "WITH d AS (UPDATE batch_chunk SET state = 'done', claimed_by = $3,"
	           " claimed_at = now(), done_at = clock_timestamp(), screened = $4::integer,"
	           " rejected = $5::integer, with_hits = $6::integer, hits = $7::integer,"
	           " versions = $8, skipped = $9"
	           " WHERE run_id = $1::bigint AND chunk = $2::integer AND state = 'pending'"
	           " RETURNING 1) SELECT 1 / count(*) FROM d",
	/* Sent in the run's transaction: delivered to the listeners at its
	 * commit, never for a run rolled back. */
	[B_NOTIFY] = "SELECT pg_notify('" EG__PGBATCH_CHANNEL "', $1)",
	[B_LISTEN] = "LISTEN " EG__PGBATCH_CHANNEL,
	/* The newest run with a pending chunk that no worker holds now (the
	 * row lock taken here ends with the statement's own transaction). */
	[B_NEWEST_FREE] = "SELECT COALESCE((SELECT run_id FROM batch_chunk WHERE state = 'pending'"
	                  " ORDER BY run_id DESC LIMIT 1 FOR UPDATE SKIP LOCKED), 0)",
};

/* The columns of one INSERT, each an array literal being built. */
enum { R_PARTY, R_HITS, R_VERSIONS, R_SKIPPED, R_REJECTED, R__N };
enum { H_PARTY, H_RANK, H_SCORE, H_SOURCE, H_UID, H_VERSION, H_MATCHED, H_PRIMARY, H__N };

struct eg__pgbatch {
	PGconn *conn;
	const char *name;
	int64_t rows_run;         /* the run whose rows statement is prepared */
	PGresult *parties;        /* the claimed chunk's parties */
	int64_t run;
	int chunk;
	int in_tx;
	eg__buf r[R__N], h[H__N];
	size_t n_hit_rows;
	size_t screened, rejected, with_hits, hits;
	char *summary_v[PGB_SUMMARY_MAX];  /* distinct "source:id" consulted */
	size_t n_v;
	char *summary_s[PGB_SUMMARY_MAX];  /* distinct "source: reason" skipped */
	size_t n_s;
	size_t summary_over;               /* distinct entries past the max */
	char last_vers[512];               /* the previous party's versions */
	size_t last_vers_len;              /* SIZE_MAX: none */
};

/* A whole decimal int64 (what PostgreSQL prints for a bigint): 0 or -1. */
static int parse_i64(int64_t *out, const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	*out = (int64_t)v;
	return 0;
}

static void bname(char out[24], int i)
{
	snprintf(out, 24, "eg_batch_%d", i);
}

static const char *first_line(char *buf, size_t size, const char *msg)
{
	size_t n = 0;

	while (msg[n] != '\0' && msg[n] != '\n' && n + 1 < size) {
		buf[n] = msg[n];
		n++;
	}
	buf[n] = '\0';
	return buf;
}

static int db_fail(eg__pgbatch *b, const PGresult *res, const char *what, eg_error *err)
{
	const char *msg = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char line[400];

	if (msg == NULL)
		msg = PQerrorMessage(b->conn);
	return eg__error_set(err, EG_ESTORE, "store %s: %s: %s", b->name, what,
	                     first_line(line, sizeof(line), msg));
}

/* Runs prepared statement `stmt` (a name) with text parameters. */
static int run_named(eg__pgbatch *b, const char *stmt, int n, const char *const *params,
                     PGresult **out, const char *what, eg_error *err)
{
	PGresult *res = PQexecPrepared(b->conn, stmt, n, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	int rc;

	if (out != NULL)
		*out = NULL;
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		if (out != NULL)
			*out = res;
		else
			PQclear(res);
		return 0;
	}
	rc = db_fail(b, res, what, err);
	PQclear(res);
	return rc;
}

static int run(eg__pgbatch *b, int i, int n, const char *const *params, PGresult **out,
               const char *what, eg_error *err)
{
	char name[24];

	bname(name, i);
	return run_named(b, name, n, params, out, what, err);
}

/* One statement of a pipeline. */
typedef struct step {
	const char *stmt;            /* prepared statement's name */
	int n;
	const char *const *params;
} step;

/* Sends the n statements in one pipeline and one Sync (one round trip);
 * res[k] (may be NULL: discarded) gets statement k's result. The first
 * failure is the error; the statements after it are not run (the server
 * aborts the rest of the pipeline). */
static int pipeline(eg__pgbatch *b, const step *steps, size_t n, PGresult **res,
                    const char *what, eg_error *err)
{
	size_t k, sent = 0;
	int rc = 0;
	PGresult *r;

	for (k = 0; k < n && res != NULL; k++)
		res[k] = NULL;
	if (PQenterPipelineMode(b->conn) != 1)
		return db_fail(b, NULL, what, err);
	for (k = 0; k < n; k++) {
		if (PQsendQueryPrepared(b->conn, steps[k].stmt, steps[k].n, steps[k].params, NULL,
		                        NULL, 0) != 1) {
			rc = db_fail(b, NULL, what, err);
			break;
		}
		sent++;
	}
	if (PQpipelineSync(b->conn) != 1 && rc == 0)
		rc = db_fail(b, NULL, what, err);
	for (k = 0; k < sent; k++) {
		ExecStatusType st;
		PGresult *first = PQgetResult(b->conn);
		while ((r = PQgetResult(b->conn)) != NULL)
			PQclear(r);
		st = PQresultStatus(first);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && rc == 0)
			rc = db_fail(b, first, what, err);
		if (res != NULL && rc == 0)
			res[k] = first;
		else
			PQclear(first);
	}
	while ((r = PQgetResult(b->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		PQclear(r);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	if (PQexitPipelineMode(b->conn) != 1 && rc == 0)
		rc = db_fail(b, NULL, what, err);
	if (rc != 0 && res != NULL)
		for (k = 0; k < n; k++) {
			PQclear(res[k]);
			res[k] = NULL;
		}
	return rc;
}

static void rollback(eg__pgbatch *b)
{
	if (PQtransactionStatus(b->conn) != PQTRANS_IDLE) {
		char name[24];
		bname(name, B_ROLLBACK);
		PQclear(PQexecPrepared(b->conn, name, 0, NULL, NULL, NULL, 0));
	}
	b->in_tx = 0;
}

static void clear_chunk(eg__pgbatch *b)
{
	size_t i;

	PQclear(b->parties);
	b->parties = NULL;
	for (i = 0; i < R__N; i++)
		eg__buf_reset(&b->r[i]);
	for (i = 0; i < H__N; i++)
		eg__buf_reset(&b->h[i]);
	for (i = 0; i < b->n_v; i++)
		eg__free(b->summary_v[i]);
	for (i = 0; i < b->n_s; i++)
		eg__free(b->summary_s[i]);
	b->n_v = b->n_s = b->summary_over = 0;
	b->last_vers_len = SIZE_MAX;
	b->n_hit_rows = 0;
	b->screened = b->rejected = b->with_hits = b->hits = 0;
}

int eg__pgbatch_open(eg__pgbatch **out, struct pg_conn *conn, const char *name,
                     eg_error *err)
{
	eg__pgbatch *b;
	int i;

	*out = NULL;
	if ((b = eg__calloc(1, sizeof(*b))) == NULL)
		return eg__error_set(err, EG_ENOMEM, "batch: out of memory");
	b->conn = conn;
	b->name = name;
	for (i = 0; i < R__N; i++)
		eg__buf_init(&b->r[i], PGB_ARRAY_CAP);
	for (i = 0; i < H__N; i++)
		eg__buf_init(&b->h[i], PGB_ARRAY_CAP);
	for (i = 0; i < B__COUNT; i++) {
		char stmt[24];
		PGresult *res;
		int rc = 0;
		bname(stmt, i);
		res = PQprepare(conn, stmt, bsql[i], 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = db_fail(b, res, "preparing the batch statements (run `exportgate store "
			             "migrate`?)", err);
		PQclear(res);
		if (rc != 0) {
			eg__pgbatch_close(b);
			return rc;
		}
	}
	*out = b;
	return 0;
}

void eg__pgbatch_close(eg__pgbatch *b)
{
	size_t i;

	if (b == NULL)
		return;
	if (b->in_tx)
		rollback(b);
	clear_chunk(b);
	for (i = 0; i < R__N; i++)
		eg__buf_free(&b->r[i]);
	for (i = 0; i < H__N; i++)
		eg__buf_free(&b->h[i]);
	eg__free(b);
}

/* --- creating a run ---------------------------------------------------------- */

/* [schema.]table, each part an unquoted identifier: anything else is
 * refused before it reaches the server. */
static int valid_table(const char *t)
{
	size_t i, len = strlen(t), dots = 0;
	int start = 1;

	if (len == 0 || len > PGB_TABLE_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = t[i];
		if (c == '.') {
			if (start || ++dots > 1)
				return 0;
			start = 1;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      (!start && ((c >= '0' && c <= '9') || c == '$'))))
			return 0;
		start = 0;
	}
	return !start;
}

static int is_integer_type(const char *t)
{
	return strcmp(t, "bigint") == 0 || strcmp(t, "integer") == 0 || strcmp(t, "smallint") == 0;
}

static int is_text_type(const char *t)
{
	return strcmp(t, "text") == 0 || strncmp(t, "character varying", 17) == 0 ||
	       strncmp(t, "character", 9) == 0 || strcmp(t, "name") == 0;
}

/* Checks the parties table; *reg gets PostgreSQL's name of it (eg__free),
 * *has_type whether it has a type column. */
static int check_table(eg__pgbatch *b, const char *table, char **reg, int *has_type,
                       eg_error *err)
{
	const char *p[1] = {table};
	const char *id_type = NULL, *name_type = NULL, *type_type = NULL;
	PGresult *res = NULL;
	int rc, i, n;

	*reg = NULL;
	*has_type = 0;
	if (!valid_table(table))
		return eg__error_set(err, EG_ESTORE, "store %s: table \"%s\": not a table name "
		                     "([schema.]name of letters, digits and _)", b->name, table);
	if ((rc = run(b, B_REGCLASS, 1, p, &res, "looking up the parties table", err)) != 0)
		return rc;
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return eg__error_set(err, EG_ESTORE, "store %s: table \"%s\": no such table", b->name,
		                     table);
	}
	*reg = eg__strdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (*reg == NULL)
		return eg__error_set(err, EG_ENOMEM, "batch: out of memory");
	if ((rc = run(b, B_COLUMNS, 1, p, &res, "reading the parties table's columns", err)) != 0)
		goto fail;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		const char *col = PQgetvalue(res, i, 0), *type = PQgetvalue(res, i, 1);
		if (strcmp(col, "id") == 0)
			id_type = type;
		else if (strcmp(col, "name") == 0)
			name_type = type;
		else if (strcmp(col, "type") == 0)
			type_type = type;
	}
	if (id_type == NULL || name_type == NULL) {
		rc = eg__error_set(err, EG_ESTORE, "store %s: table %s: no column \"%s\" (needs id "
		                   "and name; type optional)", b->name, *reg,
		                   id_type == NULL ? "id" : "name");
	} else if (!is_integer_type(id_type)) {
		rc = eg__error_set(err, EG_ESTORE, "store %s: table %s: column id is %s, not an "
		                   "integer", b->name, *reg, id_type);
	} else if (!is_text_type(name_type)) {
		rc = eg__error_set(err, EG_ESTORE, "store %s: table %s: column name is %s, not text",
		                   b->name, *reg, name_type);
	} else if (type_type != NULL && !is_text_type(type_type)) {
		rc = eg__error_set(err, EG_ESTORE, "store %s: table %s: column type is %s, not text",
		                   b->name, *reg, type_type);
	}
	*has_type = type_type != NULL;
	PQclear(res);
	res = NULL;
	if (rc != 0)
		goto fail;
	if ((rc = run(b, B_UNIQUE_ID, 1, p, &res, "reading the parties table's indexes", err)) != 0)
		goto fail;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		rc = eg__error_set(err, EG_ESTORE, "store %s: table %s: column id has no PRIMARY KEY "
		                   "or UNIQUE index of its own (each party needs one id)", b->name,
		                   *reg);
	PQclear(res);
	if (rc == 0)
		return 0;
fail:
	eg__free(*reg);
	*reg = NULL;
	return rc;
}

int eg__pgbatch_enqueue(eg__pgbatch *b, eg_batch_run *out, const char *table,
                        size_t chunk_rows, double min_score, size_t limit, int64_t since,
                        eg_error *err)
{
	char chunk_s[24], score_s[40], limit_s[24], run_s[24], since_s[24];
	char *reg = NULL, *sql = NULL;
	PGresult *res = NULL;
	int64_t id = 0;
	int rc, has_type = 0;

	memset(out, 0, sizeof(*out));
	if (chunk_rows == 0 || chunk_rows > 1000000 || limit == 0 || limit > 1000 ||
	    !(min_score >= 0.0 && min_score <= 1.0))
		return eg__error_set(err, EG_EINVAL, "batch: chunk of %zu rows (1..1000000), limit "
		                     "%zu (1..1000), min_score %g ([0,1])", chunk_rows, limit,
		                     min_score);
	if ((rc = run(b, B_BEGIN, 0, NULL, NULL, "creating a batch run", err)) != 0)
		return rc;
	b->in_tx = 1;
	if ((rc = check_table(b, table, &reg, &has_type, err)) != 0)
		goto done;
	snprintf(chunk_s, sizeof(chunk_s), "%zu", chunk_rows);
	snprintf(score_s, sizeof(score_s), "%.17g", min_score);
	snprintf(limit_s, sizeof(limit_s), "%zu", limit);
	snprintf(since_s, sizeof(since_s), "%lld", (long long)since);
	{
		const char *p[6] = {reg, has_type ? "t" : "f", chunk_s, score_s, limit_s,
		                    since > 0 ? since_s : NULL};
		if ((rc = run(b, B_INS_RUN, 6, p, &res, "creating a batch run", err)) != 0)
			goto done;
		if (parse_i64(&id, PQgetvalue(res, 0, 0)) != 0) {
			rc = eg__error_set(err, EG_ESTORE, "store %s: batch_run id \"%s\"", b->name,
			                   PQgetvalue(res, 0, 0));
			goto done;
		}
		PQclear(res);
		res = NULL;
	}
	/* The split: party ids in order, every chunk_rows-th a boundary. The
	 * table's name is PostgreSQL's quoting of the relation found above. */
	{
		static const char fmt[] =
			"WITH ins AS (INSERT INTO batch_chunk (run_id, chunk, lo, hi, rows)"
			" SELECT $1::bigint, (rn - 1) / $2::bigint, min(id), max(id), count(*)"
			" FROM (SELECT id::bigint AS id, row_number() OVER (ORDER BY id) AS rn"
			"       FROM %s WHERE id IS NOT NULL) s GROUP BY (rn - 1) / $2::bigint"
			" RETURNING rows)"
			" UPDATE batch_run SET chunks = (SELECT count(*) FROM ins),"
			" rows = (SELECT COALESCE(sum(rows), 0) FROM ins) WHERE id = $1::bigint";
		size_t len = sizeof(fmt) + strlen(reg);
		const char *p[2] = {run_s, chunk_s};
		snprintf(run_s, sizeof(run_s), "%lld", (long long)id);
		if ((sql = eg__malloc(len)) == NULL) {
			rc = eg__error_set(err, EG_ENOMEM, "batch: out of memory");
			goto done;
		}
		snprintf(sql, len, fmt, reg);
		res = PQprepare(b->conn, "", sql, 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			rc = db_fail(b, res, "splitting the parties into chunks", err);
			goto done;
		}
		PQclear(res);
		res = NULL;
		if ((rc = run_named(b, "", 2, p, NULL, "splitting the parties into chunks", err)) != 0)
			goto done;
	}
	{
		const char *p[1] = {run_s};
		if ((rc = run(b, B_NOTIFY, 1, p, NULL, "announcing the batch run", err)) != 0)
			goto done;
	}
	if ((rc = run(b, B_COMMIT, 0, NULL, NULL, "creating a batch run", err)) != 0)
		goto done;
	b->in_tx = 0;
	rc = eg__pgbatch_run(b, out, id, 0, err);
done:
	PQclear(res);
	if (rc != 0)
		rollback(b);
	eg__free(sql);
	eg__free(reg);
	return rc;
}

/* --- reading a run ------------------------------------------------------------ */

static int get_i64(eg__pgbatch *b, const PGresult *res, int r, int c, int64_t *out,
                   eg_error *err)
{
	if (parse_i64(out, PQgetvalue(res, r, c)) != 0)
		return eg__error_set(err, EG_ESTORE, "store %s: batch: a number reads \"%s\"", b->name,
		                     PQgetvalue(res, r, c));
	return 0;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		/* Cut at a character boundary and mark the cut. */
		n = size >= 4 ? size - 4 : 0;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
		memcpy(dst, src, n);
		memcpy(dst + n, "...", size >= 4 ? 4 : 0);
		if (size < 4 && size > 0)
			dst[0] = '\0';
		return;
	}
	memcpy(dst, src, n + 1);
}

int eg__pgbatch_run(eg__pgbatch *b, eg_batch_run *out, int64_t run_id, int pending_only,
                    eg_error *err)
{
	char id_s[24];
	const char *p[1] = {id_s};
	PGresult *res = NULL;
	int64_t v[11];
	int rc, i;

	memset(out, 0, sizeof(*out));
	if (run_id == 0) {
		if ((rc = run(b, pending_only == 2 ? B_NEWEST_FREE : pending_only ? B_NEWEST_PENDING
		                                                                    : B_NEWEST, 0, NULL, &res,
		              "finding the newest batch run", err)) != 0)
			return rc;
		rc = get_i64(b, res, 0, 0, &run_id, err);
		PQclear(res);
		if (rc != 0)
			return rc;
		if (run_id == 0)
			return eg__error_set(err, EG_ENOTFOUND, "store %s: no batch run%s", b->name,
			                     pending_only == 2 ? " with chunks free"
			                     : pending_only ? " with chunks left" : "");
	}
	snprintf(id_s, sizeof(id_s), "%lld", (long long)run_id);
	if ((rc = run(b, B_RUN, 1, p, &res, "reading a batch run", err)) != 0)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return eg__error_set(err, EG_ENOTFOUND, "store %s: no batch run %lld", b->name,
		                     (long long)run_id);
	}
	out->id = run_id;
	copy_str(out->table, sizeof(out->table), PQgetvalue(res, 0, 1));
	out->has_type = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	copy_str(out->created, sizeof(out->created), PQgetvalue(res, 0, 3));
	/* columns 4..6 and 8..13: integers; 7: the threshold */
	{
		static const int cols[11] = {4, 5, 6, 8, 9, 10, 11, 12, 13, 0, 0};
		for (i = 0; i < 9 && rc == 0; i++)
			rc = get_i64(b, res, 0, cols[i], &v[i], err);
	}
	if (rc == 0) {
		out->chunk_rows = (size_t)v[0];
		out->chunks = (size_t)v[1];
		out->rows = (uint64_t)v[2];
		out->limit = (size_t)v[3];
		out->chunks_done = (size_t)v[4];
		out->screened = (uint64_t)v[5];
		out->rejected = (uint64_t)v[6];
		out->with_hits = (uint64_t)v[7];
		out->hits = (uint64_t)v[8];
		out->min_score = strtod(PQgetvalue(res, 0, 7), NULL);
		copy_str(out->versions, sizeof(out->versions), PQgetvalue(res, 0, 14));
		copy_str(out->skipped, sizeof(out->skipped), PQgetvalue(res, 0, 15));
		rc = get_i64(b, res, 0, 16, &out->since, err);
	}
	PQclear(res);
	return rc;
}

/* --- a chunk ---------------------------------------------------------------------- */

/* Prepares the claim of run r: a pending chunk not locked by another
 * worker, locked, joined with its parties (one row with a NULL id when
 * the range holds none now), in one statement. The CTE is MATERIALIZED so
 * that it runs, and locks, exactly once. */
static int prepare_claim(eg__pgbatch *b, const eg_batch_run *r, eg_error *err)
{
	static const char fmt[] =
		"WITH c AS MATERIALIZED (SELECT chunk, lo, hi FROM batch_chunk"
		" WHERE run_id = $1::bigint AND state = 'pending' ORDER BY chunk LIMIT 1"
		" FOR UPDATE SKIP LOCKED)"
		" SELECT c.chunk, p.id::bigint, p.name::text, %s FROM c LEFT JOIN %s p"
		" ON p.id BETWEEN c.lo AND c.hi ORDER BY p.id";
	char stmt[48], *sql;
	size_t len = sizeof(fmt) + strlen(r->table) + 16;
	PGresult *res;
	int rc = 0;

	if (b->rows_run == r->id)
		return 0;
	if ((sql = eg__malloc(len)) == NULL)
		return eg__error_set(err, EG_ENOMEM, "batch: out of memory");
	snprintf(sql, len, fmt, r->has_type ? "p.type::text" : "NULL::text", r->table);
	snprintf(stmt, sizeof(stmt), "eg_batch_claim_%lld", (long long)r->id);
	res = PQprepare(b->conn, stmt, sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = db_fail(b, res, "reading the parties table", err);
	PQclear(res);
	eg__free(sql);
	if (rc == 0)
		b->rows_run = r->id;
	return rc;
}

int eg__pgbatch_claim(eg__pgbatch *b, const eg_batch_run *r, int *got, int *chunk,
                      size_t *n, eg_error *err)
{
	char run_s[24], stmt[48], begin[24], async[24];
	const char *p[1] = {run_s};
	step steps[3];
	PGresult *res[3];
	int64_t c = 0; /* set by get_i64 (GCC at -O3 cannot tell) */
	int rc;

	*got = 0;
	*n = 0;
	clear_chunk(b);
	if ((rc = prepare_claim(b, r, err)) != 0)
		return rc;
	snprintf(run_s, sizeof(run_s), "%lld", (long long)r->id);
	snprintf(stmt, sizeof(stmt), "eg_batch_claim_%lld", (long long)r->id);
	bname(begin, B_BEGIN);
	bname(async, B_ASYNC);
	/* BEGIN; the chunk's transaction commits without waiting for the
	 * flush of its WAL: the commit is atomic either way, so a crash of the
	 * database can lose only whole completions of the last chunks (at most
	 * about three wal_writer_delay), which are then pending again and
	 * screened again; never half a chunk, never a chunk twice; the claim
	 * with the parties. One round trip. */
	steps[0] = (step){begin, 0, NULL};
	steps[1] = (step){async, 0, NULL};
	steps[2] = (step){stmt, 1, p};
	b->in_tx = 1;
	if ((rc = pipeline(b, steps, 3, res, "claiming a chunk", err)) != 0) {
		rollback(b);
		return rc;
	}
	PQclear(res[0]);
	PQclear(res[1]);
	if (PQntuples(res[2]) == 0) {
		PQclear(res[2]);
		rollback(b);
		return 0;
	}
	if ((rc = get_i64(b, res[2], 0, 0, &c, err)) != 0) {
		PQclear(res[2]);
		rollback(b);
		return rc;
	}
	b->parties = res[2];
	b->run = r->id;
	b->chunk = (int)c;
	*got = 1;
	*chunk = b->chunk;
	*n = PQgetisnull(b->parties, 0, 1) ? 0 : (size_t)PQntuples(b->parties);
	return 0;
}

void eg__pgbatch_party(eg__pgbatch *b, size_t i, int64_t *id, const char **name,
                       size_t *len, const char **type)
{
	int r = (int)i;

	*id = 0;
	parse_i64(id, PQgetvalue(b->parties, r, 1));
	*name = PQgetisnull(b->parties, r, 2) ? NULL : PQgetvalue(b->parties, r, 2);
	*len = *name != NULL ? (size_t)PQgetlength(b->parties, r, 2) : 0;
	*type = PQgetisnull(b->parties, r, 3) ? NULL : PQgetvalue(b->parties, r, 3);
}

/* Appends one element to an array literal: NULL, or s quoted with \ and "
 * escaped. */
static int arr_sep(eg__buf *a)
{
	return eg__buf_addc(a, a->len == 0 ? '{' : ',');
}

static int arr_str(eg__buf *a, const char *s)
{
	int rc = arr_sep(a);

	if (rc != 0)
		return rc;
	if (s == NULL)
		return eg__buf_add(a, "NULL", 4);
	if ((rc = eg__buf_addc(a, '"')) != 0)
		return rc;
	/* Runs without " or \ copied at once; each of those escaped. */
	while (rc == 0 && *s != '\0') {
		size_t run = strcspn(s, "\"\\");
		if (run > 0 && (rc = eg__buf_add(a, s, run)) != 0)
			return rc;
		s += run;
		if (*s != '\0') {
			char esc[2] = {'\\', *s};
			rc = eg__buf_add(a, esc, 2);
			s++;
		}
	}
	return rc != 0 ? rc : eg__buf_addc(a, '"');
}

/* Appends the decimal digits of v. */
static int add_i64(eg__buf *a, long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	return eg__buf_add(a, p, (size_t)(tmp + sizeof(tmp) - p));
}

static int arr_int(eg__buf *a, long long v)
{
	int rc = arr_sep(a);

	return rc != 0 ? rc : add_i64(a, v);
}

static int arr_num(eg__buf *a, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static int arr_num(eg__buf *a, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int rc = arr_sep(a);

	if (rc != 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	return eg__buf_adds(a, tmp);
}

static const char *arr_end(eg__buf *a)
{
	if (a->len == 0)
		return "{}";
	if (eg__buf_addc(a, '}') != 0)
		return NULL;
	return eg__buf_str(a);
}

/* Adds s to a chunk summary list unless there. */
static int summary_add(eg__pgbatch *b, char **list, size_t *n, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(list[i], s) == 0)
			return 0;
	if (*n == PGB_SUMMARY_MAX) {
		b->summary_over++;
		return 0;
	}
	if ((list[*n] = eg__strdup(s)) == NULL)
		return EG_ENOMEM;
	(*n)++;
	return 0;
}

int eg__pgbatch_add(eg__pgbatch *b, size_t i, const eg_hits *hits, const char *rejected,
                    eg_error *err)
{
	int64_t id;
	const char *name, *type;
	char item[600];
	eg__buf vers;
	size_t len, k, nh = 0;
	int rc;

	eg__pgbatch_party(b, i, &id, &name, &len, &type);
	eg__buf_init(&vers, 1 << 16);
	rc = arr_int(&b->r[R_PARTY], (long long)id);
	if (hits == NULL) {
		b->rejected++;
		if (rc == 0) rc = arr_int(&b->r[R_HITS], 0);
		if (rc == 0) rc = arr_str(&b->r[R_VERSIONS], "{}");
		if (rc == 0) rc = arr_str(&b->r[R_SKIPPED], NULL);
		if (rc == 0) rc = arr_str(&b->r[R_REJECTED], rejected != NULL ? rejected : "");
		goto done;
	}
	b->screened++;
	for (k = 0; rc == 0 && k < hits->count; k++) {
		const eg_hit *h = eg_hits_at(hits, k);
		if (h == NULL || h->score < hits->threshold)
			continue;
		nh++;
		rc = arr_int(&b->h[H_PARTY], (long long)id);
		if (rc == 0) rc = arr_int(&b->h[H_RANK], (long long)nh);
		if (rc == 0) rc = arr_num(&b->h[H_SCORE], "%.4f", h->score);
		if (rc == 0) rc = arr_str(&b->h[H_SOURCE], h->source);
		if (rc == 0) rc = arr_str(&b->h[H_UID], h->uid);
		if (rc == 0) rc = arr_int(&b->h[H_VERSION], (long long)h->version_id);
		if (rc == 0) rc = arr_str(&b->h[H_MATCHED], h->matched_name);
		if (rc == 0) rc = arr_str(&b->h[H_PRIMARY], h->primary_name);
	}
	if (nh > 0) {
		b->with_hits++;
		b->hits += nh;
	}
	if (rc == 0) rc = arr_int(&b->r[R_HITS], (long long)nh);
	if (rc == 0) rc = eg__buf_addc(&vers, '{');
	for (k = 0; rc == 0 && k < hits->n_consulted; k++) {
		const eg_consulted *c = eg_hits_consulted(hits, k);
		if (c == NULL)
			continue;
		if (k > 0)
			rc = eg__buf_addc(&vers, ',');
		if (rc == 0)
			rc = add_i64(&vers, (long long)c->version_id);
	}
	if (rc == 0) rc = eg__buf_addc(&vers, '}');
	/* The chunk's summary of versions: only when this party's differ from
	 * the previous party's (nearly always they are the same). */
	if (rc == 0 && (vers.len != b->last_vers_len ||
	                memcmp(eg__buf_str(&vers), b->last_vers, vers.len) != 0)) {
		for (k = 0; rc == 0 && k < hits->n_consulted; k++) {
			const eg_consulted *c = eg_hits_consulted(hits, k);
			if (c == NULL)
				continue;
			snprintf(item, sizeof(item), "%s:%lld", c->source, (long long)c->version_id);
			rc = summary_add(b, b->summary_v, &b->n_v, item);
		}
		if (rc == 0 && vers.len < sizeof(b->last_vers)) {
			memcpy(b->last_vers, eg__buf_str(&vers), vers.len);
			b->last_vers_len = vers.len;
		} else {
			b->last_vers_len = SIZE_MAX;
		}
	}
	if (rc == 0) rc = arr_str(&b->r[R_VERSIONS], eg__buf_str(&vers));
	if (rc == 0 && hits->n_skipped > 0) {
		eg__buf_reset(&vers);
		for (k = 0; rc == 0 && k < hits->n_skipped; k++) {
			const eg_skipped *s = eg_hits_skipped(hits, k);
			if (s == NULL)
				continue;
			snprintf(item, sizeof(item), "%s: %s", s->source, s->reason);
			rc = eg__buf_printf(&vers, "%s%s", k > 0 ? "\n" : "", item);
			if (rc == 0)
				rc = summary_add(b, b->summary_s, &b->n_s, item);
		}
		if (rc == 0) rc = arr_str(&b->r[R_SKIPPED], eg__buf_str(&vers));
	} else if (rc == 0) {
		rc = arr_str(&b->r[R_SKIPPED], NULL);
	}
	if (rc == 0) rc = arr_str(&b->r[R_REJECTED], NULL);
	if (rc == 0)
		b->n_hit_rows += nh;
done:
	eg__buf_free(&vers);
	if (rc != 0)
		return eg__error_set(err, rc, "batch: party %lld: %s", (long long)id,
		                     rc == EG_ETOOBIG ? "the chunk's results are too large"
		                                      : "out of memory");
	return 0;
}

int eg__pgbatch_add_hits(eg__pgbatch *b, size_t i, const eg__pgbatch_hit *hits, size_t n,
                         const int64_t *versions, const char *const *labels, size_t n_versions,
                         eg_error *err)
{
	int64_t id;
	const char *name, *type;
	eg__buf vers;
	size_t len, k;
	int rc;

	eg__pgbatch_party(b, i, &id, &name, &len, &type);
	eg__buf_init(&vers, 1 << 16);
	b->screened++;
	rc = arr_int(&b->r[R_PARTY], (long long)id);
	for (k = 0; rc == 0 && k < n; k++) {
		const eg__pgbatch_hit *h = &hits[k];
		rc = arr_int(&b->h[H_PARTY], (long long)id);
		if (rc == 0) rc = arr_int(&b->h[H_RANK], (long long)k + 1);
		if (rc == 0) rc = arr_num(&b->h[H_SCORE], "%.4f", h->score);
		if (rc == 0) rc = arr_str(&b->h[H_SOURCE], h->source);
		if (rc == 0) rc = arr_str(&b->h[H_UID], h->uid);
		if (rc == 0) rc = arr_int(&b->h[H_VERSION], (long long)h->version_id);
		if (rc == 0) rc = arr_str(&b->h[H_MATCHED], h->matched_name);
		if (rc == 0) rc = arr_str(&b->h[H_PRIMARY], h->primary_name);
	}
	if (n > 0) {
		b->with_hits++;
		b->hits += n;
		b->n_hit_rows += n;
	}
	if (rc == 0) rc = arr_int(&b->r[R_HITS], (long long)n);
	if (rc == 0) rc = eg__buf_addc(&vers, '{');
	for (k = 0; rc == 0 && k < n_versions; k++) {
		if (k > 0)
			rc = eg__buf_addc(&vers, ',');
		if (rc == 0)
			rc = add_i64(&vers, (long long)versions[k]);
		if (rc == 0)
			rc = summary_add(b, b->summary_v, &b->n_v, labels[k]);
	}
	if (rc == 0) rc = eg__buf_addc(&vers, '}');
	if (rc == 0) rc = arr_str(&b->r[R_VERSIONS], eg__buf_str(&vers));
	if (rc == 0) rc = arr_str(&b->r[R_SKIPPED], NULL);
	if (rc == 0) rc = arr_str(&b->r[R_REJECTED], NULL);
	eg__buf_free(&vers);
	if (rc != 0)
		return eg__error_set(err, rc, "batch: party %lld: %s", (long long)id,
		                     rc == EG_ETOOBIG ? "the chunk's results are too large"
		                                      : "out of memory");
	return 0;
}

static int join(eg__buf *out, char **list, size_t n, const char *sep)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i++)
		rc = eg__buf_printf(out, "%s%s", i > 0 ? sep : "", list[i]);
	return rc;
}

int eg__pgbatch_finish(eg__pgbatch *b, const char *worker, uint64_t counts[4],
                       eg_error *err)
{
	char run_s[24], chunk_s[24], n1[24], n2[24], n3[24], n4[24], what[96];
	char s_res[24], s_hit[24], s_done[24], s_commit[24];
	eg__buf vs, ss;
	const char *rp[7], *hp[9], *dp[9];
	step steps[4];
	size_t ns = 0;
	int rc = 0, i;

	eg__buf_init(&vs, 1 << 20);
	eg__buf_init(&ss, 1 << 20);
	snprintf(run_s, sizeof(run_s), "%lld", (long long)b->run);
	snprintf(chunk_s, sizeof(chunk_s), "%d", b->chunk);
	bname(s_res, B_INS_RESULT);
	bname(s_hit, B_INS_HIT);
	bname(s_done, B_DONE);
	bname(s_commit, B_COMMIT);
	if (b->screened + b->rejected > 0) {
		rp[0] = run_s;
		rp[1] = chunk_s;
		for (i = 0; i < R__N; i++)
			if ((rp[2 + i] = arr_end(&b->r[i])) == NULL)
				rc = eg__error_set(err, EG_ENOMEM, "batch: out of memory");
		steps[ns++] = (step){s_res, 7, rp};
	}
	if (rc == 0 && b->n_hit_rows > 0) {
		hp[0] = run_s;
		for (i = 0; i < H__N; i++)
			if ((hp[1 + i] = arr_end(&b->h[i])) == NULL)
				rc = eg__error_set(err, EG_ENOMEM, "batch: out of memory");
		steps[ns++] = (step){s_hit, 9, hp};
	}
	if (rc == 0 &&
	    (join(&vs, b->summary_v, b->n_v, " ") != 0 ||
	     join(&ss, b->summary_s, b->n_s, "\n") != 0 ||
	     (b->summary_over > 0 &&
	      eg__buf_printf(&ss, "%s(%zu more not listed)", ss.len > 0 ? "\n" : "",
	                     b->summary_over) != 0)))
		rc = eg__error_set(err, EG_ENOMEM, "batch: out of memory");
	if (rc == 0) {
		snprintf(n1, sizeof(n1), "%zu", b->screened);
		snprintf(n2, sizeof(n2), "%zu", b->rejected);
		snprintf(n3, sizeof(n3), "%zu", b->with_hits);
		snprintf(n4, sizeof(n4), "%zu", b->hits);
		dp[0] = run_s;
		dp[1] = chunk_s;
		dp[2] = worker;
		dp[3] = n1;
		dp[4] = n2;
		dp[5] = n3;
		dp[6] = n4;
		dp[7] = eg__buf_str(&vs);
		dp[8] = ss.len > 0 ? eg__buf_str(&ss) : NULL;
		steps[ns++] = (step){s_done, 9, dp};
		steps[ns++] = (step){s_commit, 0, NULL};
		/* The results, the completion and the COMMIT in one round trip:
		 * a failure of any aborts the transaction, and the COMMIT then
		 * rolls it back. */
		snprintf(what, sizeof(what), "completing batch run %s chunk %s", run_s, chunk_s);
		rc = pipeline(b, steps, ns, NULL, what, err);
		if (rc != 0 && strstr(err->message, "division by zero") != NULL)
			eg__error_set(err, EG_ESTORE, "store %s: batch run %s chunk %s was completed by "
			              "another worker", b->name, run_s, chunk_s);
	}
	if (rc != 0) {
		rollback(b);
	} else {
		counts[0] = b->screened;
		counts[1] = b->rejected;
		counts[2] = b->with_hits;
		counts[3] = b->hits;
	}
	b->in_tx = 0;
	clear_chunk(b);
	eg__buf_free(&vs);
	eg__buf_free(&ss);
	return rc;
}

/* --- waiting for runs -------------------------------------------------------- */

int eg__pgbatch_listen(eg__pgbatch *b, eg_error *err)
{
	return run(b, B_LISTEN, 0, NULL, NULL, "listening for new batch runs", err);
}

/* Reads what the server sent without blocking; *got 1 when a new run was
 * announced. Other channels' notifications (the store's, on the same
 * connection) are dropped. */
static int drain_notes(eg__pgbatch *b, int *got, eg_error *err)
{
	PGnotify *note;

	if (PQconsumeInput(b->conn) != 1)
		return db_fail(b, NULL, "waiting for new batch runs", err);
	while ((note = PQnotifies(b->conn)) != NULL) {
		if (strcmp(note->relname, EG__PGBATCH_CHANNEL) == 0)
			*got = 1;
		PQfreemem(note);
	}
	return 0;
}

int eg__pgbatch_wait(eg__pgbatch *b, int ms, int *got, eg_error *err)
{
	struct pollfd pfd;
	int rc, n;

	*got = 0;
	if ((rc = drain_notes(b, got, err)) != 0 || *got)
		return rc;
	if ((pfd.fd = PQsocket(b->conn)) < 0)
		return db_fail(b, NULL, "waiting for new batch runs", err);
	pfd.events = POLLIN;
	pfd.revents = 0;
	n = poll(&pfd, 1, ms < 0 ? 0 : ms);
	if (n < 0 && errno != EINTR)
		return eg__error_set(err, EG_ESTORE, "store %s: waiting for new batch runs: %s",
		                     b->name, strerror(errno));
	if (n > 0)
		return drain_notes(b, got, err);
	return 0;
}

void eg__pgbatch_abort(eg__pgbatch *b)
{
	rollback(b);
	clear_chunk(b);
}
