/* fuzz_audit_log.c - the decision log's readers: the stored records and
 * nodes as log_sqlite.c reads them back, the verifier (src/audit/verify.c),
 * proofs, checkpoint texts and the JSON export.
 *
 * The input is up to three parts separated by 0xFF bytes:
 *   1. payloads, one a line (at most 32): each is appended to a log in an
 *      in-memory SQLite database through the real record store; a payload
 *      that is not JSON must be refused (EG_EINVAL) and leave the log as it
 *      was;
 *   2. damage, 4 bytes an operation: a record's payload, time or leaf hash
 *      changed, a record or a node deleted, a node changed, a payload made
 *      NULL or a number, a record added past the end, all with SQL;
 *   3. a checkpoint text, given as the regulator's old checkpoint.
 * Before the damage the log must verify, every inclusion and consistency
 * proof must verify against the root and fail with one hash changed, the
 * signed checkpoint must parse back to what was signed, and the export
 * must hold every record. After damage that changed something the verifier
 * must say so (ok 0, the problem described), never fail or answer "ok". An old
 * checkpoint is accepted only when its signature verifies. */
#include "audit/checkpoint.h"
#include "audit/log.h"
#include "audit/merkle.h"
#include "audit/verify.h"
#include "util/alloc.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECORDS 32
#define ORIGIN "exportgate/fuzz"

static eg__checkpoint_key *key;
static char key_dir[256], key_path[300];

static void violated(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz audit_log: invariant violated: %s%s%s\n", what,
	        detail ? ": " : "", detail ? detail : "");
	abort();
}

static void remove_key(void)
{
	unlink(key_path);
	rmdir(key_dir);
}

/* The signing key, made once in a private temporary directory, removed at once. */
static void key_once(void)
{
	const char *tmp = getenv("TMPDIR");
	eg_error err;

	if (key != NULL)
		return;
	memset(&err, 0, sizeof(err));
	snprintf(key_dir, sizeof(key_dir), "%s/eg-fuzz-audit-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(key_dir) == NULL)
		violated("cannot make a temporary directory", key_dir);
	snprintf(key_path, sizeof(key_path), "%s/key.pem", key_dir);
	if (eg__checkpoint_key_load_or_create(&key, NULL, key_path, &err) != 0)
		violated("cannot make the signing key", err.message);
	remove_key(); /* the key is in memory: nothing is left behind, however the run ends */
}

/* The next part of the input, up to a 0xFF or the end. */
static const uint8_t *part(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *start = *p, *ff;

	if (start >= end) {
		*len = 0;
		return start;
	}
	ff = memchr(start, 0xFF, (size_t)(end - start));
	*len = (size_t)((ff ? ff : end) - start);
	*p = ff ? ff + 1 : end;
	return start;
}

static void proofs(eg__audit_log *log, uint64_t n)
{
	uint8_t root[EG__MERKLE_HASH_LEN], old_root[EG__MERKLE_HASH_LEN];
	eg__merkle_proof pr;
	eg__audit_record rec;
	eg_error err;
	uint64_t i;

	memset(&err, 0, sizeof(err));
	if (eg__audit_root(log, root, n, &err) != 0)
		violated("the root", err.message);
	for (i = 0; i < n; i++) {
		uint8_t leaf[EG__MERKLE_HASH_LEN];
		if (eg__audit_get(log, &rec, i, &err) != 0)
			violated("a record cannot be read back", err.message);
		memcpy(leaf, rec.leaf_hash, sizeof(leaf));
		if (eg__audit_prove_inclusion(log, &pr, i, n, &err) != 0)
			violated("an inclusion proof", err.message);
		if (!eg__merkle_verify_inclusion(leaf, i, n, &pr, root))
			violated("an inclusion proof does not verify", NULL);
		if (pr.len > 0) {
			pr.hash[i % pr.len][0] ^= 1;
			if (eg__merkle_verify_inclusion(leaf, i, n, &pr, root))
				violated("an inclusion proof with a changed hash verifies", NULL);
		}
		if (eg__audit_root(log, old_root, i + 1, &err) != 0 ||
		    eg__audit_prove_consistency(log, &pr, i + 1, n, &err) != 0)
			violated("a consistency proof", err.message);
		if (!eg__merkle_verify_consistency(i + 1, n, old_root, root, &pr))
			violated("a consistency proof does not verify", NULL);
		if (pr.len > 0) {
			pr.hash[pr.len - 1][5] ^= 0x80;
			if (eg__merkle_verify_consistency(i + 1, n, old_root, root, &pr))
				violated("a consistency proof with a changed hash verifies", NULL);
		}
	}
}

static void checkpoint_and_export(eg__audit_log *log, uint64_t n)
{
	eg__checkpoint cp, back;
	eg__audit_export_options eo;
	uint8_t root[EG__MERKLE_HASH_LEN];
	char *text = NULL, *out = NULL;
	json_t *j;
	eg_error err;

	memset(&err, 0, sizeof(err));
	if (eg__audit_checkpoint(log, &text, key, ORIGIN, 1700000000000, &err) != 0)
		violated("signing a checkpoint", err.message);
	if (eg__checkpoint_verify(&cp, text, strlen(text), key, &err) != 0 ||
	    eg__checkpoint_parse(&back, text, strlen(text), &err) != 0)
		violated("the checkpoint signed does not verify or parse", err.message);
	if (eg__audit_root(log, root, n, &err) != 0 || cp.size != n ||
	    memcmp(cp.root, root, sizeof(root)) != 0 || strcmp(cp.origin, ORIGIN) != 0 ||
	    cp.time_ms != 1700000000000 || memcmp(&cp, &back, sizeof(cp)) != 0)
		violated("the checkpoint does not say what was signed", text);
	memset(&eo, 0, sizeof(eo));
	eo.key = key;
	if (eg__audit_export_json(&out, log, &eo, &err) != 0)
		violated("the export", err.message);
	j = json_loads(out, 0, NULL);
	if (j == NULL || json_array_size(json_object_get(j, "records")) != n)
		violated("the export does not hold every record", NULL);
	json_decref(j);
	eg__free(out);
	eg__free(text);
}

/* Runs SQL with up to two blob parameters and an integer; the number of
 * rows it changed. */
static int damage_sql(sqlite3 *db, const char *sql, const void *a, int alen, sqlite3_int64 i)
{
	sqlite3_stmt *st = NULL;
	int changed = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		violated("damage SQL", sqlite3_errmsg(db));
	if (a != NULL)
		sqlite3_bind_blob(st, 1, a, alen, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, i);
	if (sqlite3_step(st) == SQLITE_DONE)
		changed = sqlite3_changes(db);
	sqlite3_finalize(st);
	return changed;
}

/* Applies the damage of 4-byte operations; 1 when something changed. */
static int damage(sqlite3 *db, const uint8_t *d, size_t len, uint64_t n)
{
	int changed = 0;
	size_t k;

	for (k = 0; k + 4 <= len && k < 64; k += 4) {
		sqlite3_int64 idx = (sqlite3_int64)(n ? d[k + 1] % n : 0);
		uint8_t h[40];
		size_t m;

		for (m = 0; m < sizeof(h); m++)
			h[m] = (uint8_t)(d[k + 2] * 31 + m * d[k + 3]);
		switch (d[k] % 9) {
		case 0: /* a byte of the payload changed (a SQL blob function) */
			changed += damage_sql(db, "UPDATE audit_record SET payload = CAST(substr(payload, 1, "
			                      "length(payload) - 1) || x'2e' AS BLOB) WHERE idx = ?2 AND "
			                      "length(payload) > 0 AND substr(payload, -1) != x'2e'",
			                      NULL, 0, idx);
			break;
		case 1: /* the time */
			changed += damage_sql(db, "UPDATE audit_record SET time_ms = time_ms + 1 WHERE idx = ?2",
			                      NULL, 0, idx);
			break;
		case 2: /* the leaf hash, of any length */
			m = d[k + 2] % sizeof(h);
			changed += damage_sql(db, "UPDATE audit_record SET leaf_hash = ?1 WHERE idx = ?2 AND "
			                      "leaf_hash IS NOT ?1", h, (int)m, idx);
			break;
		case 3: /* a record deleted */
			changed += damage_sql(db, "DELETE FROM audit_record WHERE idx = ?2", NULL, 0, idx);
			break;
		case 4: /* a node changed */
			changed += damage_sql(db, "UPDATE audit_node SET hash = ?1 WHERE (level, idx) IN (SELECT "
			                      "level, idx FROM audit_node ORDER BY level, idx LIMIT 1 OFFSET "
			                      "?2) AND hash IS NOT ?1", h, 32,
			                      idx);
			break;
		case 5: /* a node deleted */
			changed += damage_sql(db, "DELETE FROM audit_node WHERE (level, idx) IN (SELECT level, "
			                      "idx FROM audit_node ORDER BY level, idx LIMIT 1 OFFSET ?2)", NULL, 0, idx);
			break;
		case 6: /* the payload NULL */
			changed += damage_sql(db, "UPDATE audit_record SET payload = NULL WHERE idx = ?2", NULL, 0,
			                      idx);
			break;
		case 7: /* the payload a number */
			changed += damage_sql(db, "UPDATE audit_record SET payload = 42 WHERE idx = ?2", NULL, 0,
			                      idx);
			break;
		default: /* a record past the end, with a gap */
			changed += damage_sql(db, "INSERT INTO audit_record(idx, time_ms, payload, leaf_hash) "
			                      "VALUES (?2, 0, x'7b7d', ?1)", h, 32, (sqlite3_int64)n + 1 + d[k + 1]);
			break;
		}
	}
	return changed > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *pay, *dmg, *old;
	size_t pay_len, dmg_len, old_len, at = 0;
	sqlite3 *db = NULL;
	eg__audit_store st;
	eg__audit_log *log = NULL;
	eg__audit_report rep;
	eg_error err;
	uint64_t n = 0, idx;
	int rc, changed;

	memset(&err, 0, sizeof(err));
	key_once();
	pay = part(&p, end, &pay_len);
	dmg = part(&p, end, &dmg_len);
	old = part(&p, end, &old_len);
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		violated("cannot open SQLite in memory", NULL);
	sqlite3_extended_result_codes(db, 1);
	if (eg__audit_sqlite_open(&st, db, &err) != 0 || eg__audit_open(&log, &st, &err) != 0)
		violated("cannot open the log", err.message);
	while (at < pay_len && n < MAX_RECORDS) {
		const uint8_t *nl = memchr(pay + at, '\n', pay_len - at);
		size_t len = (size_t)((nl ? nl : pay + pay_len) - (pay + at));
		uint8_t leaf[EG__MERKLE_HASH_LEN];
		json_t *j = json_loadb((const char *)pay + at, len,
		                       JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
		rc = eg__audit_append(log, &idx, leaf, (int64_t)n * 1000, (const char *)pay + at, len,
		                      &err);
		if (j != NULL && (rc != 0 || idx != n))
			violated("a JSON payload refused or misplaced", err.message);
		if (j == NULL && rc != EG_EINVAL)
			violated("a payload that is not JSON accepted", NULL);
		if (rc == 0)
			n++;
		if (eg__audit_size(log) != n)
			violated("the log's size after an append", NULL);
		json_decref(j);
		at += len + 1;
	}
	memset(&rep, 0, sizeof(rep));
	if (eg__audit_verify(&rep, log, key, NULL, 0, &err) != 0 || !rep.ok || rep.records != n ||
	    rep.checked != n)
		violated("the log as written does not verify", rep.problem[0] ? rep.problem : err.message);
	proofs(log, n);
	checkpoint_and_export(log, n);
	{ /* a checkpoint text given as the old one */
		eg__checkpoint cp;
		int sig_ok = eg__checkpoint_verify(&cp, (const char *)old, old_len, key, &err) == 0;
		memset(&rep, 0, sizeof(rep));
		rc = eg__audit_verify(&rep, log, key, (const char *)old, old_len, &err);
		if (rc == 0 && rep.grew_from_old && !sig_ok)
			violated("an old checkpoint of no valid signature accepted", NULL);
		(void)eg__checkpoint_parse(&cp, (const char *)old, old_len, &err);
	}
	changed = damage(db, dmg, dmg_len, n);
	memset(&rep, 0, sizeof(rep));
	rc = eg__audit_verify(&rep, log, key, NULL, 0, &err);
	if (rc == 0 && changed && rep.ok)
		violated("a damaged log verifies", NULL);
	if (rc == 0 && !changed && !rep.ok)
		violated("an undamaged log does not verify", rep.problem);
	if (rc == 0 && !rep.ok && rep.problem[0] == '\0')
		violated("a problem not described", NULL);
	if (rc != 0) /* the database in memory can always be read: damage is a verdict */
		violated("the verifier failed instead of reporting the damage", err.message);
	eg__audit_close(log);
	eg__audit_sqlite_close(&st);
	sqlite3_close(db);
	return 0;
}
