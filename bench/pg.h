/* pg.h - the PostgreSQL pg_trgm baseline, over libpq.
 *
 * The names go into a table names(id int, entity int, name text) loaded
 * with COPY, indexed on lower(name) with pg_trgm (GIN for the similarity
 * operator %, or GiST for the distance operator <-> and its nearest-
 * neighbour scan), then ANALYZEd. A search runs one prepared statement
 * and reads back at most 10 (entity, similarity) rows. Errors are printed
 * on stderr; functions return 0 or -1. */
#ifndef BENCH_PG_H
#define BENCH_PG_H

#include "corpus.h"
#include "results.h"

typedef struct bench_pg bench_pg;

typedef enum bench_pg_mode {
	BENCH_PG_GIN = 0, /* WHERE lower(name) % q ORDER BY similarity DESC, threshold 0.3 */
	BENCH_PG_GIST     /* ORDER BY lower(name) <-> q (k nearest neighbours) */
} bench_pg_mode;

/* Connects with a libpq conninfo string; the database must allow
 * CREATE EXTENSION pg_trgm (or have it already). */
int bench_pg_open(bench_pg **out, const char *conninfo);
void bench_pg_close(bench_pg *pg);
/* (Re)creates the table from c, builds the index of mode, ANALYZEs and
 * prepares the query; *copy_s and *index_s get the wall times of the COPY
 * and of CREATE INDEX + ANALYZE. */
int bench_pg_load(bench_pg *pg, const bench_corpus *c, bench_pg_mode mode,
                  double *copy_s, double *index_s);
/* Runs the prepared query for q (NUL-terminated UTF-8). */
int bench_pg_search(bench_pg *pg, const char *q, bench_result *out);
/* The server's version string ("15.18"), or "?". */
const char *bench_pg_version(const bench_pg *pg);

#endif
