/* verify.h - checking a whole audit log against its tree and signed checkpoints; its JSON export. */
#ifndef EG_AUDIT_VERIFY_H
#define EG_AUDIT_VERIFY_H

#include "audit/checkpoint.h"
#include "audit/log.h"

/* What eg__audit_verify found. */
typedef struct eg__audit_report {
	int ok;                   /* 1 when no problem was found */
	uint64_t records;         /* records the store holds (1 + its highest index) */
	uint64_t checked;         /* records recomputed and found good, from index 0 */
	uint64_t checkpoint_size; /* size signed by the latest checkpoint; 0 if none */
	int has_checkpoint;       /* 1 when a checkpoint of the key was found and verified */
	int grew_from_old;        /* 1 when an older checkpoint was given and the log only grew since */
	uint64_t first_bad;       /* the first bad record index; UINT64_MAX if none */
	uint64_t bad_last;        /* the last index of the range that holds the fault
	                             (first_bad itself when the record is known) */
	char problem[512];        /* the first problem, one line; "" when ok */
} eg__audit_report;

/*
 * Walks every record of the log in index order and recomputes its leaf hash
 * and every complete node of the tree, comparing each with what the store
 * holds; checks the latest checkpoint's signature with `key` and that the
 * recomputed root of its size is the root it signed; with old_checkpoint
 * (text a regulator kept, NULL if none; signed by the same key) checks that
 * the first old-size records still hash to its root and that a consistency
 * proof from the stored tree verifies (RFC 9162 2.1.4.2) from it to the
 * latest root: the log only grew.
 *
 * Finds a changed, deleted, inserted or reordered record, a truncated tail,
 * a checkpoint of another key. Returns 0 when the walk could be made,
 * whatever it found: the verdict is in *out (ok, first_bad, problem).
 * Returns a negative EG_E* only when the store cannot be read.
 * key may be NULL only for a log without checkpoints.
 * Cost: one read per record and per node, two hashes per record.
 */
int eg__audit_verify(eg__audit_report *out, eg__audit_log *log, const eg__checkpoint_key *key,
                     const char *old_checkpoint, size_t old_len, eg_error *err);

/* What eg__audit_export_json puts in the export. */
typedef struct eg__audit_export_options {
	uint64_t size;              /* tree size to export; 0: the latest checkpoint's, else all */
	const uint64_t *prove;      /* inclusion proofs of these indexes; NULL: of every record */
	size_t n_prove;
	const uint64_t *old_sizes;  /* consistency proofs from these sizes to `size` */
	size_t n_old;
	const eg__checkpoint_key *key; /* optional: its public half (hex) goes in the export */
} eg__audit_export_options;

/*
 * Writes the log as JSON text into *out (freed with eg__free), for
 * independent verifiers (tests/audit_verify.py; docs/audit.md defines it):
 * the records of the first `size` with their leaf hashes, the root, the
 * latest checkpoint's text, the inclusion and consistency proofs asked for.
 * EG_EINVAL when a size or index is beyond the log.
 */
int eg__audit_export_json(char **out, eg__audit_log *log, const eg__audit_export_options *opts,
                          eg_error *err);

#endif
