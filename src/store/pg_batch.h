/* pg_batch.h - batch screening of a table of parties in PostgreSQL: runs split into chunks that workers claim with FOR UPDATE SKIP LOCKED, and their results.
 *
 * Tables (migration 4 of postgres.c): batch_run, batch_chunk, batch_result,
 * batch_hit (docs/scale.md, "Batch screening through PostgreSQL").
 * Invariants:
 *  - a chunk is claimed, its parties read, their results written and the
 *    chunk marked done in ONE transaction on the handle's connection: a
 *    worker that dies mid-chunk leaves nothing (its transaction is rolled
 *    back when its session ends) and the chunk is claimable again;
 *  - the claim is SELECT ... FOR UPDATE SKIP LOCKED of a pending chunk, and
 *    the done update requires state = 'pending': no chunk is completed
 *    twice (batch_result's key (run_id, party_id) forbids a second result
 *    for a party too);
 *  - every statement is prepared on the connection; the only SQL text built
 *    at run time names the parties table, and that name is PostgreSQL's
 *    own quoting of an existing relation (to_regclass(...)::text).
 * A handle is used by one thread at a time. */
#ifndef EG_STORE_PG_BATCH_H
#define EG_STORE_PG_BATCH_H

#include "exportgate.h"

/* The NOTIFY channel of new runs; the payload is the run's id. */
#define EG__PGBATCH_CHANNEL "exportgate_batch"

struct pg_conn;
typedef struct eg__pgbatch eg__pgbatch;

/* Prepares the statements on conn (a PostgreSQL store's connection of
 * schema 4 or later, owned by the caller, which must outlive the handle);
 * name is the store's name for messages. */
int eg__pgbatch_open(eg__pgbatch **out, struct pg_conn *conn, const char *name,
                     eg_error *err);
/* NULL-safe; rolls back a chunk in progress. Does not close conn. */
void eg__pgbatch_close(eg__pgbatch *b);

/* Creates a run over table (a name [schema.]table of an existing table or
 * view with columns id (an integer type, unique: a PRIMARY KEY or UNIQUE
 * index on id alone) and name (text), and optionally type (text)), split
 * into chunks of chunk_rows parties by id, in one transaction. A table
 * that does not exist or lacks a column is EG_ESTORE naming it, and nothing
 * is written. out gets the run. */
int eg__pgbatch_enqueue(eg__pgbatch *b, eg_batch_run *out, const char *table,
                        size_t chunk_rows, double min_score, size_t limit, int64_t since,
                        eg_error *err);

/* Reads run `run` (0: for work, the newest run with a pending chunk, else
 * the newest run) with its counts into out. EG_ENOTFOUND when there is
 * none. pending_only: 0 picks the newest run whatever its state; 1 the
 * newest with a pending chunk; 2 the newest with a pending chunk that no
 * worker holds now. */
int eg__pgbatch_run(eg__pgbatch *b, eg_batch_run *out, int64_t run, int pending_only,
                    eg_error *err);

/* Begins a transaction and claims a pending chunk of run (read by
 * eg__pgbatch_run on this handle): *got 0 when none is left unclaimed
 * (the transaction is then ended), else 1 with the chunk's parties read
 * (*n of them, by id). Then eg__pgbatch_party, eg__pgbatch_add for each,
 * and eg__pgbatch_finish or eg__pgbatch_abort. */
int eg__pgbatch_claim(eg__pgbatch *b, const eg_batch_run *run, int *got, int *chunk,
                      size_t *n, eg_error *err);
/* Party i of the claimed chunk: its id, its name (NULL when NULL) and
 * type (NULL when the table has none or it is NULL). */
void eg__pgbatch_party(eg__pgbatch *b, size_t i, int64_t *id, const char **name,
                       size_t *len, const char **type);
/* Records the result of party i: its hits (hits NULL: rejected says why it
 * was not screened). Nothing is written before eg__pgbatch_finish. */
int eg__pgbatch_add(eg__pgbatch *b, size_t i, const eg_hits *hits, const char *rejected,
                    eg_error *err);
/* A hit of a delta run's party (the strings are copied). */
typedef struct eg__pgbatch_hit {
	double score;
	const char *source, *uid, *matched_name, *primary_name;
	int64_t version_id;
} eg__pgbatch_hit;
/* Records the result of party i of a delta run: its hits, best first, and
 * the versions whose updates it was screened against (ids, and
 * "source:id" labels for the chunk's summary). */
int eg__pgbatch_add_hits(eg__pgbatch *b, size_t i, const eg__pgbatch_hit *hits, size_t n,
                         const int64_t *versions, const char *const *labels, size_t n_versions,
                         eg_error *err);
/* Writes the results, marks the chunk done (by worker) and commits; on
 * success counts gets the chunk's parties screened, rejected, with hits,
 * and its hits. On failure everything of the chunk is rolled back. */
int eg__pgbatch_finish(eg__pgbatch *b, const char *worker, uint64_t counts[4],
                       eg_error *err);
/* LISTENs on the handle's connection for the runs that eg__pgbatch_enqueue
 * announces (EG__PGBATCH_CHANNEL, at the commit of the run). */
int eg__pgbatch_listen(eg__pgbatch *b, eg_error *err);
/* Waits at most ms milliseconds for a run to be announced (outside any
 * transaction, after eg__pgbatch_listen): *got 1 when one was (or had
 * been since the last call), 0 when the time ran out. A lost connection is
 * EG_ESTORE. */
int eg__pgbatch_wait(eg__pgbatch *b, int ms, int *got, eg_error *err);
/* Rolls back the chunk in progress, if any. */
void eg__pgbatch_abort(eg__pgbatch *b);

#endif
