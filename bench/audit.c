/* bench/audit.c - the decision log: durable appends one commit per record
 * (the baseline) beside batches of 64 (group commit), then inclusion and
 * consistency proofs and a full verify over a log of N records.
 *
 * Usage: bench-audit [N [DIR]]   (N defaults to 1000000; DIR to $TMPDIR or /tmp) */
#include "audit/log.h"
#include "audit/verify.h"
#include "util/alloc.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const eg_error *err)
{
	fprintf(stderr, "bench-audit: %s: %s\n", what, err ? err->message : "");
	exit(1);
}

typedef struct db {
	sqlite3 *db;
	eg__audit_store st;
	eg__audit_log *log;
	char path[512];
} db;

static void db_open(db *d, const char *dir, const char *name)
{
	eg_error err = {0};

	snprintf(d->path, sizeof(d->path), "%s/%s", dir, name);
	unlink(d->path);
	if (sqlite3_open(d->path, &d->db) != SQLITE_OK ||
	    sqlite3_exec(d->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		die("open", NULL);
	if (eg__audit_sqlite_open(&d->st, d->db, &err) != 0 || eg__audit_open(&d->log, &d->st, &err) != 0)
		die("open log", &err);
}

static void db_close(db *d)
{
	char p[600];

	eg__audit_close(d->log);
	eg__audit_sqlite_close(&d->st);
	sqlite3_close(d->db);
	unlink(d->path);
	snprintf(p, sizeof(p), "%s-wal", d->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", d->path);
	unlink(p);
}

/* A decision record of about 600 bytes, as the decide path will write. */
static int payload(char *buf, size_t size, uint64_t i)
{
	return snprintf(buf, size,
	                "{\"time\":\"2021-12-01T10:00:00Z\",\"key\":\"bench\",\"deal\":{\"date\":\"2021-12-01\","
	                "\"exporter\":{\"name\":\"Exporter %llu Ltd\",\"country\":\"IL\"},\"items\":[{\"classification\":\"4D004\"}],"
	                "\"destination\":\"AE\",\"parties\":[{\"role\":\"end_user\",\"name\":\"Party %llu\",\"country\":\"AE\","
	                "\"type\":\"government\"}]},\"decision\":\"licence_required\",\"reasons\":[{\"policy\":\"il-deca-cyber\","
	                "\"rule\":\"outside-exemption-list\",\"outcome\":\"licence_required\",\"citation\":\"DECA notice 2021-11\"}],"
	                "\"lists\":[{\"source\":\"us-csl\",\"version\":\"2022-05-16\"},{\"source\":\"us-ofac-sdn\",\"version\":\"2024-01-05\"}],"
	                "\"policies\":[{\"id\":\"il-deca-cyber\",\"version\":\"2021-11-01\"}]}",
	                (unsigned long long)i, (unsigned long long)(i * 7919));
}

static void append_batches(db *d, uint64_t n, size_t batch)
{
	static eg__audit_entry e[EG__AUDIT_BATCH_MAX];
	static char buf[EG__AUDIT_BATCH_MAX][1024];
	eg_error err = {0};
	uint64_t done = 0;

	while (done < n) {
		size_t k = n - done < batch ? (size_t)(n - done) : batch, j;
		for (j = 0; j < k; j++) {
			e[j].len = (size_t)payload(buf[j], sizeof(buf[j]), done + j);
			e[j].payload = buf[j];
			e[j].time_ms = 1638352800000 + (int64_t)(done + j);
		}
		if (eg__audit_append_batch(d->log, e, k, &err) != 0)
			die("append", &err);
		done += k;
	}
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	const char *tmp = getenv("TMPDIR");
	const char *dir = argc > 2 ? argv[2] : (tmp && tmp[0] ? tmp : "/tmp");
	eg__checkpoint_key *key = NULL;
	eg__merkle_proof p;
	eg__audit_report r;
	eg_error err = {0};
	char keypath[600], *cp = NULL, *old = NULL;
	double t0, t1, one, grouped;
	uint64_t i, probes = 2000;
	db d;

	if (n < 1000) {
		fprintf(stderr, "bench-audit: N must be at least 1000\n");
		return 2;
	}
	printf("bench-audit: SQLite WAL, synchronous=FULL, payloads of ~700 bytes, dir %s\n", dir);

	/* Baseline: one durable commit per record. */
	db_open(&d, dir, "bench-audit-one.db");
	t0 = now();
	append_batches(&d, 300, 1);
	t1 = now();
	one = 300 / (t1 - t0);
	printf("append, one commit per record (baseline): %8.0f records/s  (%.2f ms each, 300 records)\n",
	       one, (t1 - t0) / 300 * 1e3);
	db_close(&d);
	/* Group commit: 64 records per transaction. */
	db_open(&d, dir, "bench-audit-64.db");
	t0 = now();
	append_batches(&d, 64 * 100, 64);
	t1 = now();
	grouped = 6400 / (t1 - t0);
	printf("append, batches of 64 (group commit):     %8.0f records/s  (%.2fx the baseline, 6400 records)\n",
	       grouped, grouped / one);
	db_close(&d);

	/* A log of n records, built in batches of 4096. */
	db_open(&d, dir, "bench-audit-n.db");
	snprintf(keypath, sizeof(keypath), "%s/bench-audit.key", dir);
	unlink(keypath);
	if (eg__checkpoint_key_load_or_create(&key, NULL, keypath, &err) != 0)
		die("key", &err);
	t0 = now();
	append_batches(&d, n / 2, EG__AUDIT_BATCH_MAX);
	if (eg__audit_checkpoint(d.log, &old, key, "bench/audit", 1, &err) != 0)
		die("checkpoint", &err);
	append_batches(&d, n - n / 2, EG__AUDIT_BATCH_MAX);
	if (eg__audit_checkpoint(d.log, &cp, key, "bench/audit", 2, &err) != 0)
		die("checkpoint", &err);
	t1 = now();
	printf("log of %llu records built in batches of %d: %.1f s (%.0f records/s)\n", (unsigned long long)n,
	       EG__AUDIT_BATCH_MAX, t1 - t0, n / (t1 - t0));

	srand(42);
	t0 = now();
	for (i = 0; i < probes; i++) {
		uint64_t idx = ((uint64_t)rand() * 65536u + (uint64_t)rand()) % n;
		if (eg__audit_prove_inclusion(d.log, &p, idx, n, &err) != 0)
			die("inclusion", &err);
	}
	t1 = now();
	printf("inclusion proof in a tree of %llu (SQLite nodes): %.3f ms mean over %llu random leaves\n",
	       (unsigned long long)n, (t1 - t0) / probes * 1e3, (unsigned long long)probes);
	t0 = now();
	for (i = 0; i < probes; i++) {
		uint64_t m = 1 + ((uint64_t)rand() * 65536u + (uint64_t)rand()) % (n - 1);
		if (eg__audit_prove_consistency(d.log, &p, m, n, &err) != 0)
			die("consistency", &err);
	}
	t1 = now();
	printf("consistency proof to %llu (SQLite nodes):       %.3f ms mean over %llu random old sizes\n",
	       (unsigned long long)n, (t1 - t0) / probes * 1e3, (unsigned long long)probes);

	t0 = now();
	if (eg__audit_verify(&r, d.log, key, old, strlen(old), &err) != 0)
		die("verify", &err);
	t1 = now();
	printf("audit verify of %llu records (every leaf and node, both checkpoints): %.2f s  -> %s\n",
	       (unsigned long long)n, t1 - t0, r.ok ? "ok" : r.problem);

	eg__free(cp);
	eg__free(old);
	eg__checkpoint_key_free(key);
	unlink(keypath);
	db_close(&d);
	return r.ok ? 0 : 1;
}
