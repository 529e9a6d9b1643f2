/* verify.c - checking a whole audit log against its tree and signed checkpoints.
 *
 * The walk rebuilds the tree from the records alone, left to right, with an
 * edge (log.h) and compares every complete node it makes with the stored
 * one as soon as it is made. A record's leaf data holds its index, so a
 * record moved to another place no longer matches its own leaf hash; a
 * record whose leaf hash was forged with it is caught by the first stored
 * node above it, which names the range it covers; a tree rewritten from
 * top to bottom is caught by the signed root. */
#include "verify.h"

#include "util/alloc.h"
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define HLEN EG__MERKLE_HASH_LEN
#define STOP 1 /* a node callback's "found a fault, stop the walk" */

static void bad(eg__audit_report *r, uint64_t first, uint64_t last, const char *fmt, ...)
	EG__PRINTF(4, 5);

static void bad(eg__audit_report *r, uint64_t first, uint64_t last, const char *fmt, ...)
{
	va_list ap;

	if (!r->ok)
		return; /* the first problem is the one reported */
	r->ok = 0;
	r->first_bad = first;
	r->bad_last = last;
	va_start(ap, fmt);
	vsnprintf(r->problem, sizeof(r->problem), fmt, ap);
	va_end(ap);
}

typedef struct walk {
	eg__audit_log *log;
	eg__audit_report *r;
} walk;

static int check_node(void *arg, unsigned level, uint64_t index, const uint8_t hash[HLEN], eg_error *err)
{
	walk *w = arg;
	uint8_t stored[HLEN];
	uint64_t first = index << level, last = ((index + 1) << level) - 1;
	int rc = eg__audit_node(w->log, stored, level, index, err);

	if (rc == EG_ENOTFOUND) {
		bad(w->r, first, last, "records %llu..%llu: the tree node above them (level %u, index %llu) is missing",
		    (unsigned long long)first, (unsigned long long)last, level, (unsigned long long)index);
		return STOP;
	}
	if (rc == EG_EPARSE) { /* a stored hash of the wrong width: damage, reported */
		bad(w->r, first, last, "records %llu..%llu: the tree node above them (level %u, index %llu) "
		    "is damaged: %s", (unsigned long long)first, (unsigned long long)last, level,
		    (unsigned long long)index, err->message);
		eg__error_clear(err);
		return STOP;
	}
	if (rc != 0)
		return rc;
	if (memcmp(stored, hash, HLEN) != 0) {
		bad(w->r, first, last,
		    "records %llu..%llu do not hash to the stored tree node above them (level %u, index %llu): "
		    "one of them was changed, inserted, removed or reordered",
		    (unsigned long long)first, (unsigned long long)last, level, (unsigned long long)index);
		return STOP;
	}
	return 0;
}

/* Reads and verifies a checkpoint; a failure is a finding, not an error. */
static int load_checkpoint(eg__checkpoint *cp, const char *text, size_t len, const eg__checkpoint_key *key,
                           const char *which, eg__audit_report *r)
{
	eg_error e = {0};

	if (key == NULL) {
		bad(r, UINT64_MAX, UINT64_MAX, "%s checkpoint cannot be checked: no public key given", which);
		return -1;
	}
	if (eg__checkpoint_verify(cp, text, len, key, &e) != 0) {
		bad(r, UINT64_MAX, UINT64_MAX, "%s checkpoint refused: %s", which, e.message);
		return -1;
	}
	return 0;
}

int eg__audit_verify(eg__audit_report *r, eg__audit_log *log, const eg__checkpoint_key *key,
                     const char *old_checkpoint, size_t old_len, eg_error *err)
{
	eg__checkpoint cp, old;
	eg__audit_edge edge;
	uint8_t root[HLEN];
	char *text = NULL;
	int have_cp = 0, have_old = 0, rc;
	uint64_t i, upto;
	walk w;

	memset(r, 0, sizeof(*r));
	r->ok = 1;
	r->first_bad = r->bad_last = UINT64_MAX;
	if ((rc = eg__audit_stored_count(log, &r->records, err)) != 0)
		return rc;
	rc = eg__audit_latest_checkpoint(log, &text, err);
	if (rc == 0) {
		have_cp = load_checkpoint(&cp, text, strlen(text), key, "the latest", r) == 0;
		eg__free(text);
	} else if (rc != EG_ENOTFOUND) {
		return rc;
	}
	eg__error_clear(err);
	if (have_cp) {
		r->has_checkpoint = 1;
		r->checkpoint_size = cp.size;
	}
	if (old_checkpoint != NULL)
		have_old = load_checkpoint(&old, old_checkpoint, old_len, key, "the older", r) == 0;
	memset(&edge, 0, sizeof(edge));
	w.log = log;
	w.r = r;
	for (i = 0; i < r->records && r->ok; i++) {
		eg__audit_record rec;
		uint8_t leaf[HLEN];
		rc = eg__audit_get(log, &rec, i, err);
		if (rc == EG_ENOTFOUND) {
			bad(r, i, i, "record %llu is missing (deleted)", (unsigned long long)i);
			break;
		}
		if (rc == EG_EPARSE) { /* its row is not of the log's shape: damage, reported */
			bad(r, i, i, "record %llu is damaged: %s", (unsigned long long)i, err->message);
			eg__error_clear(err);
			break;
		}
		if (rc != 0)
			return rc;
		if ((rc = eg__audit_leaf_hash(leaf, i, rec.time_ms, rec.payload, rec.len)) != 0)
			return eg__error_set(err, rc, "audit verify: record %llu: cannot hash", (unsigned long long)i);
		if (memcmp(leaf, rec.leaf_hash, HLEN) != 0) {
			bad(r, i, i, "record %llu does not match its leaf hash (changed, or moved from another index)",
			    (unsigned long long)i);
			break;
		}
		rc = eg__audit_edge_push(&edge, leaf, check_node, &w, err);
		if (rc == STOP)
			break;
		if (rc != 0)
			return rc;
		r->checked = i + 1;
		if ((have_cp && i + 1 == cp.size) || (have_old && i + 1 == old.size)) {
			if (eg__audit_edge_root(&edge, root) != 0)
				return eg__error_set(err, EG_EIO, "audit verify: SHA-256 failed");
			if (have_cp && i + 1 == cp.size && memcmp(root, cp.root, HLEN) != 0)
				bad(r, 0, i, "records 0..%llu do not hash to the root the latest checkpoint signed: "
				    "the log was rewritten", (unsigned long long)i);
			if (have_old && i + 1 == old.size && memcmp(root, old.root, HLEN) != 0)
				bad(r, 0, i, "records 0..%llu do not hash to the root the older checkpoint signed: "
				    "the log did not only grow", (unsigned long long)i);
		}
	}
	/* After the walk: a record found bad below the cut is the first bad one. */
	if (have_cp && have_old && old.size > cp.size)
		bad(r, cp.size, old.size - 1,
		    "the latest checkpoint (size %llu) is smaller than the older one (size %llu): the log was cut back",
		    (unsigned long long)cp.size, (unsigned long long)old.size);
	if (have_old && old.size > r->records)
		bad(r, r->records, old.size - 1,
		    "truncated: the log holds %llu records, the older checkpoint signed %llu",
		    (unsigned long long)r->records, (unsigned long long)old.size);
	if (have_cp && cp.size > r->records)
		bad(r, r->records, cp.size - 1,
		    "truncated: the log holds %llu records, its latest checkpoint signed %llu",
		    (unsigned long long)r->records, (unsigned long long)cp.size);

	if (have_old && r->ok) {
		/* The proof a regulator would be given, checked the RFC's way. */
		eg__merkle_proof p;
		upto = have_cp ? cp.size : r->records;
		if (upto < old.size) {
			bad(r, upto, old.size - 1, "the log is smaller than the older checkpoint");
		} else {
			if (have_cp)
				memcpy(root, cp.root, HLEN);
			else if ((rc = eg__audit_root(log, root, upto, err)) != 0)
				return rc;
			if ((rc = eg__audit_prove_consistency(log, &p, old.size, upto, err)) != 0)
				return rc;
			if (!eg__merkle_verify_consistency(old.size, upto, old.root, root, &p))
				bad(r, 0, upto - 1, "the consistency proof from size %llu to %llu does not verify",
				    (unsigned long long)old.size, (unsigned long long)upto);
			else
				r->grew_from_old = 1;
		}
	}
	return 0;
}
