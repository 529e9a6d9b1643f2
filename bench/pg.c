/* pg.c - the pg_trgm baseline: load the names with COPY, index them, query over libpq. */
#include "pg.h"

#include "util/alloc.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXTOID 25
#define COPY_CHUNK (1u << 20)

struct bench_pg {
	PGconn *conn;
	char version[32];
};

static int exec_ok(bench_pg *pg, const char *sql)
{
	PGresult *r = PQexec(pg->conn, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "bench-screen: postgres: %s: %s", sql, PQerrorMessage(pg->conn));
		rc = -1;
	}
	PQclear(r);
	return rc;
}

int bench_pg_open(bench_pg **out, const char *conninfo)
{
	bench_pg *pg = bench_xmalloc(sizeof(*pg));
	const char *v;

	memset(pg, 0, sizeof(*pg));
	*out = NULL;
	pg->conn = PQconnectdb(conninfo);
	if (PQstatus(pg->conn) != CONNECTION_OK) {
		fprintf(stderr, "bench-screen: postgres: cannot connect (%s): %s", conninfo,
		        PQerrorMessage(pg->conn));
		bench_pg_close(pg);
		return -1;
	}
	v = PQparameterStatus(pg->conn, "server_version");
	snprintf(pg->version, sizeof(pg->version), "%s", v != NULL ? v : "?");
	if (exec_ok(pg, "SET client_min_messages = warning") != 0 ||
	    exec_ok(pg, "CREATE EXTENSION IF NOT EXISTS pg_trgm") != 0 ||
	    exec_ok(pg, "SET pg_trgm.similarity_threshold = 0.3") != 0) {
		bench_pg_close(pg);
		return -1;
	}
	*out = pg;
	return 0;
}

void bench_pg_close(bench_pg *pg)
{
	if (pg == NULL)
		return;
	PQfinish(pg->conn);
	eg__free(pg);
}

const char *bench_pg_version(const bench_pg *pg)
{
	return pg->version;
}

/* Appends s to buf in COPY's text format (backslash escapes). */
static size_t copy_escape(char *buf, size_t at, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char ch = s[i];
		switch (ch) {
		case '\\': buf[at++] = '\\'; buf[at++] = '\\'; break;
		case '\t': buf[at++] = '\\'; buf[at++] = 't'; break;
		case '\n': buf[at++] = '\\'; buf[at++] = 'n'; break;
		case '\r': buf[at++] = '\\'; buf[at++] = 'r'; break;
		default: buf[at++] = ch;
		}
	}
	return at;
}

static int copy_names(bench_pg *pg, const bench_corpus *c)
{
	PGresult *r = PQexec(pg->conn, "COPY names (id, entity, name) FROM STDIN");
	char *buf = NULL;
	size_t at = 0, i;
	int rc = -1;

	if (PQresultStatus(r) != PGRES_COPY_IN) {
		fprintf(stderr, "bench-screen: postgres: COPY: %s", PQerrorMessage(pg->conn));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	buf = bench_xmalloc(COPY_CHUNK);
	for (i = 0; i < c->n; i++) {
		/* a row: two numbers, the name escaped (at most doubled), tabs, \n */
		if (at + 2 * (size_t)c->len[i] + 64 > COPY_CHUNK) {
			if (PQputCopyData(pg->conn, buf, (int)at) != 1)
				goto fail;
			at = 0;
		}
		at += (size_t)snprintf(buf + at, 48, "%zu\t%u\t", i, (unsigned)c->entity[i]);
		at = copy_escape(buf, at, bench_corpus_name(c, i), c->len[i]);
		buf[at++] = '\n';
	}
	if ((at > 0 && PQputCopyData(pg->conn, buf, (int)at) != 1) ||
	    PQputCopyEnd(pg->conn, NULL) != 1)
		goto fail;
	r = PQgetResult(pg->conn);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "bench-screen: postgres: COPY: %s", PQerrorMessage(pg->conn));
		PQclear(r);
		goto done;
	}
	PQclear(r);
	while ((r = PQgetResult(pg->conn)) != NULL)
		PQclear(r);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "bench-screen: postgres: COPY: %s", PQerrorMessage(pg->conn));
done:
	eg__free(buf);
	return rc;
}

int bench_pg_load(bench_pg *pg, const bench_corpus *c, bench_pg_mode mode,
                  double *copy_s, double *index_s)
{
	static const char *const sql[] = {
		"SELECT entity, similarity(lower(name), lower($1)) AS s FROM names "
		"WHERE lower(name) % lower($1) ORDER BY s DESC LIMIT 10",
		"SELECT entity, similarity(lower(name), lower($1)) AS s FROM names "
		"ORDER BY lower(name) <-> lower($1) LIMIT 10",
	};
	Oid types[1] = {TEXTOID};
	PGresult *r;
	uint64_t t0;

	if (exec_ok(pg, "DEALLOCATE ALL") != 0 ||
	    exec_ok(pg, "DROP TABLE IF EXISTS names") != 0 ||
	    exec_ok(pg, "CREATE UNLOGGED TABLE names (id int NOT NULL, entity int NOT NULL, "
	                "name text NOT NULL)") != 0)
		return -1;
	t0 = bench_now_ns();
	if (copy_names(pg, c) != 0)
		return -1;
	*copy_s = (double)(bench_now_ns() - t0) / 1e9;
	t0 = bench_now_ns();
	if (exec_ok(pg, mode == BENCH_PG_GIN
	                    ? "CREATE INDEX names_trgm ON names USING gin (lower(name) gin_trgm_ops)"
	                    : "CREATE INDEX names_trgm ON names USING gist (lower(name) gist_trgm_ops)") != 0 ||
	    exec_ok(pg, "ANALYZE names") != 0)
		return -1;
	*index_s = (double)(bench_now_ns() - t0) / 1e9;
	r = PQprepare(pg->conn, "q", sql[mode], 1, types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "bench-screen: postgres: prepare: %s", PQerrorMessage(pg->conn));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

int bench_pg_search(bench_pg *pg, const char *q, bench_result *out)
{
	const char *params[1] = {q};
	PGresult *r = PQexecPrepared(pg->conn, "q", 1, params, NULL, NULL, 0);
	int i, n, rc = 0;

	out->n = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "bench-screen: postgres: query: %s", PQerrorMessage(pg->conn));
		PQclear(r);
		return -1;
	}
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		char *end;
		unsigned long ent;
		double s;
		errno = 0;
		ent = strtoul(PQgetvalue(r, i, 0), &end, 10);
		if (errno != 0 || *end != '\0' || ent > UINT32_MAX) {
			rc = -1;
			break;
		}
		s = strtod(PQgetvalue(r, i, 1), &end);
		if (*end != '\0') {
			rc = -1;
			break;
		}
		bench_result_offer(out, (uint32_t)ent, s);
	}
	if (rc != 0)
		fprintf(stderr, "bench-screen: postgres: unexpected row value\n");
	PQclear(r);
	return rc;
}
