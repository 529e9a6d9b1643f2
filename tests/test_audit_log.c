/* test_audit_log.c - the decision log in SQLite: appends, proofs, checkpoints,
 * verification against each kind of tampering, and the Python verifier. */
#include <criterion/criterion.h>

#include "audit/log.h"
#include "audit/verify.h"
#include "util/alloc.h"

#include <dirent.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define H EG__MERKLE_HASH_LEN
#define ORIGIN "exportgate.test/decisions"

static char dir[256];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/eg-audit-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	char p[600];

	if (d == NULL)
		return;
	while ((ent = readdir(d)) != NULL) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, ent->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

TestSuite(audit_log, .init = make_dir, .fini = remove_dir);

/* One open log: the database, its store and the log over it. */
typedef struct fixture {
	sqlite3 *db;
	eg__audit_store st;
	eg__audit_log *log;
} fixture;

static void fx_open(fixture *f, const char *name)
{
	char path[400];
	eg_error err = {0};

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(sqlite3_open(path, &f->db), SQLITE_OK);
	sqlite3_busy_timeout(f->db, 5000);
	cr_assert_eq(sqlite3_exec(f->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", NULL, NULL, NULL),
	             SQLITE_OK);
	cr_assert_eq(eg__audit_sqlite_open(&f->st, f->db, &err), 0, "%s", err.message);
	cr_assert_eq(eg__audit_open(&f->log, &f->st, &err), 0, "%s", err.message);
}

static void fx_close(fixture *f)
{
	eg__audit_close(f->log);
	eg__audit_sqlite_close(&f->st);
	sqlite3_close(f->db);
}

static eg__checkpoint_key *key(const char *name)
{
	char path[400];
	eg__checkpoint_key *k = NULL;
	eg_error err = {0};

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(eg__checkpoint_key_load_or_create(&k, NULL, path, &err), 0, "%s", err.message);
	return k;
}

/* A decision-like payload for record i, optionally altered. */
static int payload(char *buf, size_t size, uint64_t i, int altered)
{
	return snprintf(buf, size,
	                "{\"deal\":%llu,\"decision\":\"%s\",\"reasons\":[{\"policy\":\"il-deca-cyber\",\"rule\":\"r%llu\"}]}",
	                (unsigned long long)i, altered ? "deny!" : (i % 3 ? "allow" : "review"),
	                (unsigned long long)(i % 7));
}

static void append_n(fixture *f, uint64_t from, uint64_t n, uint64_t alter)
{
	eg_error err = {0};
	uint64_t i, idx;
	uint8_t leaf[H];
	char p[256];

	for (i = from; i < from + n; i++) {
		int len = payload(p, sizeof(p), i, i == alter);
		cr_assert_eq(eg__audit_append(f->log, &idx, leaf, 1638316800000 + (int64_t)i, p, (size_t)len, &err), 0,
		             "%s", err.message);
		cr_assert_eq(idx, i);
	}
}

static void sql(fixture *f, const char *q)
{
	char *msg = NULL;

	cr_assert_eq(sqlite3_exec(f->db, q, NULL, NULL, &msg), SQLITE_OK, "%s: %s", q, msg ? msg : "");
}

static eg__audit_report verify(fixture *f, const eg__checkpoint_key *k, const char *old)
{
	eg__audit_report r;
	eg_error err = {0};

	cr_assert_eq(eg__audit_verify(&r, f->log, k, old, old ? strlen(old) : 0, &err), 0, "%s", err.message);
	return r;
}

/* A log of 20 records with a checkpoint at 10 (returned) and one at 20. */
static char *twenty(fixture *f, const eg__checkpoint_key *k)
{
	eg_error err = {0};
	char *old = NULL, *latest = NULL;

	append_n(f, 0, 10, UINT64_MAX);
	cr_assert_eq(eg__audit_checkpoint(f->log, &old, k, ORIGIN, 1638316900000, &err), 0, "%s", err.message);
	append_n(f, 10, 10, UINT64_MAX);
	cr_assert_eq(eg__audit_checkpoint(f->log, &latest, k, ORIGIN, 1638317000000, &err), 0, "%s", err.message);
	eg__free(latest);
	return old;
}

Test(audit_log, leaf_serialisation_is_as_documented)
{
	/* "exportgate-audit-v1\n" || u64be(3) || i64be(-1) || u64be(2) || "{}" */
	unsigned char data[20 + 24 + 2];
	uint8_t a[H], b[H];

	memcpy(data, "exportgate-audit-v1\n", 20);
	memset(data + 20, 0, 24);
	data[27] = 3;
	memset(data + 28, 0xff, 8);
	data[43] = 2;
	memcpy(data + 44, "{}", 2);
	cr_assert_eq(eg__merkle_leaf_hash(a, data, sizeof(data)), 0);
	cr_assert_eq(eg__audit_leaf_hash(b, 3, -1, "{}", 2), 0);
	cr_assert_eq(memcmp(a, b, H), 0);
}

Test(audit_log, appends_persist_and_proofs_match_a_tree_in_memory)
{
	fixture f;
	eg__merkle_mem mem;
	eg__merkle_proof p, q;
	eg_error err = {0};
	uint8_t root[H], want[H];
	uint64_t n = 100, i, m;

	fx_open(&f, "a.db");
	append_n(&f, 0, n, UINT64_MAX);
	fx_close(&f);
	fx_open(&f, "a.db"); /* reopened: the right edge is read back */
	cr_assert_eq(eg__audit_size(f.log), n);
	memset(&mem, 0, sizeof(mem));
	for (i = 0; i < n; i++) {
		eg__audit_record rec;
		cr_assert_eq(eg__audit_get(f.log, &rec, i, &err), 0);
		cr_assert_eq(eg__merkle_mem_append(&mem, rec.leaf_hash), 0);
	}
	for (m = 1; m <= n; m++) {
		cr_assert_eq(eg__audit_root(f.log, root, m, &err), 0, "%s", err.message);
		cr_assert_eq(eg__merkle_root_at(want, m, eg__merkle_mem_node, &mem, &err), 0);
		cr_assert_eq(memcmp(root, want, H), 0, "root of %llu", (unsigned long long)m);
	}
	for (i = 0; i < n; i += 7) {
		cr_assert_eq(eg__audit_prove_inclusion(f.log, &p, i, n, &err), 0, "%s", err.message);
		cr_assert_eq(eg__merkle_inclusion_proof(&q, i, n, eg__merkle_mem_node, &mem, &err), 0);
		cr_assert_eq(p.len, q.len);
		cr_assert_eq(memcmp(p.hash, q.hash, p.len * H), 0);
		cr_assert_eq(eg__audit_prove_consistency(f.log, &p, i + 1, n, &err), 0, "%s", err.message);
		cr_assert_eq(eg__audit_root(f.log, want, i + 1, &err), 0);
		cr_assert(eg__merkle_verify_consistency(i + 1, n, want, root, &p));
	}
	/* More appends continue the same tree. */
	append_n(&f, n, 1, UINT64_MAX);
	cr_assert_eq(eg__audit_prove_inclusion(f.log, &p, n - 1, n + 1, &err), 0);
	cr_assert_eq(eg__audit_prove_inclusion(f.log, &p, n + 1, n + 1, &err), EG_EINVAL);
	cr_assert_eq(eg__audit_root(f.log, root, n + 2, &err), EG_EINVAL);
	eg__merkle_mem_dispose(&mem);
	fx_close(&f);
}

Test(audit_log, bad_payloads_refused_and_nothing_written)
{
	fixture f;
	eg_error err = {0};
	eg__audit_entry e[2];
	static char big[EG__AUDIT_PAYLOAD_MAX + 2];

	fx_open(&f, "b.db");
	memset(e, 0, sizeof(e));
	e[0].payload = "{\"ok\":1}";
	e[0].len = 8;
	e[1].payload = "{\"ok\":";
	e[1].len = 6;
	cr_assert_eq(eg__audit_append_batch(f.log, e, 2, &err), EG_EINVAL);
	cr_assert_not_null(strstr(err.message, "entry 1"), "%s", err.message);
	memset(big, ' ', sizeof(big));
	big[0] = '1';
	e[1].payload = big;
	e[1].len = sizeof(big);
	cr_assert_eq(eg__audit_append_batch(f.log, e, 2, &err), EG_ETOOBIG);
	cr_assert_eq(eg__audit_append_batch(f.log, e, 0, &err), EG_EINVAL);
	cr_assert_eq(eg__audit_size(f.log), 0);
	fx_close(&f);
}

Test(audit_log, a_batch_commits_all_at_once)
{
	fixture f;
	eg_error err = {0};
	eg__audit_entry e[64];
	char p[64][256];
	size_t i;

	fx_open(&f, "c.db");
	memset(e, 0, sizeof(e));
	for (i = 0; i < 64; i++) {
		e[i].len = (size_t)payload(p[i], sizeof(p[i]), i, 0);
		e[i].payload = p[i];
		e[i].time_ms = 1;
	}
	cr_assert_eq(eg__audit_append_batch(f.log, e, 64, &err), 0, "%s", err.message);
	for (i = 0; i < 64; i++)
		cr_assert_eq(e[i].index, i);
	cr_assert_eq(eg__audit_size(f.log), 64);
	/* A store failure mid-batch (a record already there) leaves nothing:
	 * another handle wrote record 64 behind this one's back, and this
	 * handle, re-reading the count under the lock, continues after it. */
	{
		fixture g;
		fx_open(&g, "c.db");
		append_n(&g, 64, 1, UINT64_MAX);
		fx_close(&g);
	}
	cr_assert_eq(eg__audit_append_batch(f.log, e, 3, &err), 0, "%s", err.message);
	cr_assert_eq(e[0].index, 65);
	cr_assert_eq(eg__audit_size(f.log), 68);
	cr_assert(verify(&f, NULL, NULL).ok);
	fx_close(&f);
}

typedef struct worker {
	eg__audit_log *log;
	int id;
	int failures;
} worker;

static void *append_many(void *arg)
{
	worker *w = arg;
	eg_error err = {0};
	char p[64];
	int i, n;

	for (i = 0; i < 25; i++) {
		n = snprintf(p, sizeof(p), "{\"worker\":%d,\"i\":%d}", w->id, i);
		if (eg__audit_append(w->log, NULL, NULL, i, p, (size_t)n, &err) != 0)
			w->failures++;
	}
	return NULL;
}

Test(audit_log, threads_append_through_one_log)
{
	fixture f;
	pthread_t t[4];
	worker w[4];
	int i;

	fx_open(&f, "t.db");
	for (i = 0; i < 4; i++) {
		w[i].log = f.log;
		w[i].id = i;
		w[i].failures = 0;
		cr_assert_eq(pthread_create(&t[i], NULL, append_many, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		cr_assert_eq(w[i].failures, 0);
	}
	cr_assert_eq(eg__audit_size(f.log), 100);
	cr_assert(verify(&f, NULL, NULL).ok);
	fx_close(&f);
}

Test(audit_log, an_untouched_log_verifies_and_only_grew)
{
	fixture f;
	eg__checkpoint_key *k = key("k1");
	eg__audit_report r;
	char *old;

	fx_open(&f, "v.db");
	r = verify(&f, k, NULL);
	cr_assert(r.ok, "%s", r.problem); /* empty, no checkpoint */
	old = twenty(&f, k);
	r = verify(&f, k, old);
	cr_assert(r.ok, "%s", r.problem);
	cr_assert_eq(r.records, 20);
	cr_assert_eq(r.checked, 20);
	cr_assert_eq(r.checkpoint_size, 20);
	cr_assert(r.has_checkpoint);
	cr_assert(r.grew_from_old);
	cr_assert_eq(r.first_bad, UINT64_MAX);
	/* Records after the latest checkpoint are checked against the tree too. */
	append_n(&f, 20, 5, UINT64_MAX);
	r = verify(&f, k, old);
	cr_assert(r.ok, "%s", r.problem);
	cr_assert_eq(r.checked, 25);
	eg__free(old);
	eg__checkpoint_key_free(k);
	fx_close(&f);
}

Test(audit_log, tampered_changed_payload)
{
	fixture f;
	eg__checkpoint_key *k = key("k1");
	eg__audit_report r;

	fx_open(&f, "t1.db");
	eg__free(twenty(&f, k));
	sql(&f, "UPDATE audit_record SET payload = CAST('{\"deal\":5,\"decision\":\"allow\"}' AS BLOB) WHERE idx = 5");
	r = verify(&f, k, NULL);
	cr_assert_not(r.ok);
	cr_assert_eq(r.first_bad, 5, "%s", r.problem);
	cr_assert_not_null(strstr(r.problem, "record 5 does not match its leaf hash"), "%s", r.problem);
	eg__checkpoint_key_free(k);
	fx_close(&f);
}

Test(audit_log, tampered_deleted_record)
{
	fixture f;
	eg__checkpoint_key *k = key("k1");
	eg__audit_report r;

	fx_open(&f, "t2.db");
	eg__free(twenty(&f, k));
	sql(&f, "DELETE FROM audit_record WHERE idx = 7");
	r = verify(&f, k, NULL);
	cr_assert_not(r.ok);
	cr_assert_eq(r.first_bad, 7, "%s", r.problem);
	cr_assert_not_null(strstr(r.problem, "record 7 is missing"), "%s", r.problem);
	/* Closing the gap (renumbering the rest) is found at the same place. */
	sql(&f, "UPDATE audit_record SET idx = idx + 1000 WHERE idx > 7; "
	        "UPDATE audit_record SET idx = idx - 1001 WHERE idx > 1000");
	r = verify(&f, k, NULL);
	cr_assert_eq(r.first_bad, 7, "%s", r.problem);
	eg__checkpoint_key_free(k);
	fx_close(&f);
}

Test(audit_log, tampered_inserted_record_with_a_forged_leaf_hash)
{
	fixture f;
	eg__checkpoint_key *k = key("k1");
	eg__audit_report r;
	uint8_t leaf[H];
	char q[512], hex[65];
	const char *p = "{\"deal\":99,\"decision\":\"allow\"}";

	fx_open(&f, "t3.db");
	eg__free(twenty(&f, k));
	/* The forger knows the leaf format and makes record 5 look right. */
	cr_assert_eq(eg__audit_leaf_hash(leaf, 5, 1638316800005, p, strlen(p)), 0);
	eg__merkle_hex(hex, leaf);
	sql(&f, "UPDATE audit_record SET idx = idx + 1000 WHERE idx >= 5; "
	        "UPDATE audit_record SET idx = idx - 999 WHERE idx >= 1000");
	snprintf(q, sizeof(q), "INSERT INTO audit_record VALUES (5, 1638316800005, CAST('%s' AS BLOB), X'%s')", p, hex);
	sql(&f, q);
	r = verify(&f, k, NULL);
	cr_assert_not(r.ok);
	/* Record 5's own hash is right; the node over records 4..5 is not. */
	cr_assert_eq(r.first_bad, 4, "%s", r.problem);
	cr_assert_eq(r.bad_last, 5, "%s", r.problem);
	cr_assert_not_null(strstr(r.problem, "records 4..5 do not hash to the stored tree node"), "%s", r.problem);
	eg__checkpoint_key_free(k);
	fx_close(&f);
}

Test(audit_log, tampered_two_records_swapped)
{
	fixture f;
	eg__checkpoint_key *k = key("k1");
	eg__audit_report r;

	fx_open(&f, "t4.db");
	eg__free(twenty(&f, k));
	sql(&f, "UPDATE audit_record SET idx = -1 WHERE idx = 3; UPDATE audit_record SET idx = 3 WHERE idx = 12; "
	        "UPDATE audit_record SET idx = 12 WHERE idx = -1");
	r = verify(&f, k, NULL);
	cr_assert_not(r.ok);
	cr_assert_eq(r.first_bad, 3, "%s", r.problem);
	eg__checkpoint_key_free(k);
	fx_close(&f);
}

Test(audit_log, tampered_truncated_tail)
{
	fixture f;
	eg__checkpoint_key *k = key("k1");
	eg__audit_report r;
	char *old;

	fx_open(&f, "t5.db");
	old = twenty(&f, k);
	sql(&f, "DELETE FROM audit_record WHERE idx >= 15");
	r = verify(&f, k, NULL);
	cr_assert_not(r.ok);
	cr_assert_eq(r.first_bad, 15, "%s", r.problem);
	cr_assert_not_null(strstr(r.problem, "truncated"), "%s", r.problem);
	/* The checkpoints removed too: the regulator's older one still tells. */
	sql(&f, "DELETE FROM audit_record WHERE idx >= 8; DELETE FROM audit_checkpoint");
	r = verify(&f, k, NULL);
	cr_assert(r.ok, "alone, a shorter log with no checkpoint looks whole: %s", r.problem);
	r = verify(&f, k, old);
	cr_assert_not(r.ok);
	cr_assert_eq(r.first_bad, 8, "%s", r.problem);
	eg__free(old);
	eg__checkpoint_key_free(k);
	fx_close(&f);
}

Test(audit_log, checkpoint_of_another_key_refused)
{
	fixture f;
	eg__checkpoint_key *k = key("k1"), *other = key("k2");
	eg__audit_report r;
	eg_error err = {0};

	fx_open(&f, "t6.db");
	eg__free(twenty(&f, k));
	append_n(&f, 20, 1, UINT64_MAX);
	cr_assert_eq(eg__audit_checkpoint(f.log, NULL, other, ORIGIN, 1638318000000, &err), 0);
	r = verify(&f, k, NULL);
	cr_assert_not(r.ok);
	cr_assert_not_null(strstr(r.problem, "latest checkpoint refused"), "%s", r.problem);
	eg__checkpoint_key_free(k);
	eg__checkpoint_key_free(other);
	fx_close(&f);
}

Test(audit_log, rewritten_log_caught_by_the_signed_root)
{
	fixture a, b;
	eg__checkpoint_key *k = key("k1");
	eg__audit_report r;
	eg_error err = {0};
	char *old, *latest = NULL, *q;
	sqlite3_stmt *st;

	/* b is a's log rebuilt whole with record 5 altered, under a's checkpoints. */
	fx_open(&a, "ra.db");
	old = twenty(&a, k);
	cr_assert_eq(eg__audit_latest_checkpoint(a.log, &latest, &err), 0);
	fx_open(&b, "rb.db");
	append_n(&b, 0, 20, 5);
	q = sqlite3_mprintf("INSERT INTO audit_checkpoint VALUES (20, 1, %Q)", latest);
	cr_assert_eq(sqlite3_prepare_v2(b.db, q, -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_free(q);
	r = verify(&b, k, NULL);
	cr_assert_not(r.ok);
	cr_assert_not_null(strstr(r.problem, "do not hash to the root the latest checkpoint signed"), "%s", r.problem);
	cr_assert_eq(r.first_bad, 0);
	cr_assert_eq(r.bad_last, 19);
	/* And the regulator's older checkpoint narrows it to the first 10. */
	sql(&b, "DELETE FROM audit_checkpoint");
	r = verify(&b, k, old);
	cr_assert_not(r.ok);
	cr_assert_eq(r.bad_last, 9, "%s", r.problem);
	eg__free(old);
	eg__free(latest);
	eg__checkpoint_key_free(k);
	fx_close(&a);
	fx_close(&b);
}

/* Writes text to dir/name and runs the Python verifier on it. */
static int run_python(const char *name, const char *text)
{
	char path[400], cmd[1000];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs(text, fp);
	fclose(fp);
	snprintf(cmd, sizeof(cmd), "python3 tests/audit_verify.py '%s' >'%s.out' 2>&1", path, path);
	return system(cmd);
}

Test(audit_log, python_verifier_agrees_and_refuses_a_changed_export)
{
	fixture f;
	eg__checkpoint_key *k = key("k1");
	eg__audit_export_options o;
	eg_error err = {0};
	uint64_t olds[] = {1, 5, 10, 16, 20, 36};
	char *text = NULL, *at;

	fx_open(&f, "py.db");
	eg__free(twenty(&f, k));
	append_n(&f, 20, 17, UINT64_MAX);
	cr_assert_eq(eg__audit_checkpoint(f.log, NULL, k, ORIGIN, 1638319000000, &err), 0);
	memset(&o, 0, sizeof(o));
	o.old_sizes = olds;
	o.n_old = sizeof(olds) / sizeof(olds[0]);
	o.key = k;
	cr_assert_eq(eg__audit_export_json(&text, f.log, &o, &err), 0, "%s", err.message);
	cr_assert_not_null(strstr(text, "\"size\": 37"));
	cr_assert_eq(run_python("good.json", text), 0, "the Python verifier refused a good export");
	/* One decision changed in the export: the verifier says no. */
	at = strstr(text, "allow");
	cr_assert_not_null(at);
	memcpy(at, "deny!", 5);
	cr_assert_neq(run_python("bad.json", text), 0, "the Python verifier accepted a changed export");
	eg__free(text);
	eg__checkpoint_key_free(k);
	fx_close(&f);
}
