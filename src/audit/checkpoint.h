/* checkpoint.h - signed checkpoints of the audit log: (size, root, time) under an Ed25519 key. */
#ifndef EG_AUDIT_CHECKPOINT_H
#define EG_AUDIT_CHECKPOINT_H

#include "exportgate.h"
#include "audit/merkle.h"

#include <stddef.h>
#include <stdint.h>

#define EG__CHECKPOINT_ORIGIN_MAX 128   /* bytes of an origin (the log's name) */
#define EG__CHECKPOINT_TEXT_MAX   4096  /* bytes of a checkpoint's text */
#define EG__CHECKPOINT_KEY_FILE_MAX 4096 /* bytes of a PEM key file */

/* An Ed25519 key: a private key (which can sign and verify) or a public
 * key (which can only verify). Immutable once made: threads may share one. */
typedef struct eg__checkpoint_key eg__checkpoint_key;

/* What a checkpoint says: the log `origin` had `size` records whose Merkle
 * Tree Hash was `root` at `time_ms` (Unix milliseconds, UTC). */
typedef struct eg__checkpoint {
	char origin[EG__CHECKPOINT_ORIGIN_MAX + 1]; /* NUL-terminated */
	uint64_t size;
	uint8_t root[EG__MERKLE_HASH_LEN];
	int64_t time_ms;
} eg__checkpoint;

/*
 * Loads the Ed25519 private key of the PEM (PKCS#8) file at path, or, when
 * there is no file, creates one: a new key written to a temporary file of
 * mode 0600 in the same folder, synced, then linked to path, so a reader
 * never sees a partial key and two processes racing to create it agree on
 * one (the loser loads the winner's). *created (if not NULL) tells which.
 * A key file readable by group or others, or holding another kind of key,
 * is refused (EG_EINVAL); unreadable files are EG_EIO. *out is freed with
 * eg__checkpoint_key_free.
 */
int eg__checkpoint_key_load_or_create(eg__checkpoint_key **out, int *created, const char *path,
                                      eg_error *err);
/* A public key from its PEM (SubjectPublicKeyInfo) text. EG_EPARSE if it is
 * not an Ed25519 public key. */
int eg__checkpoint_key_from_public_pem(eg__checkpoint_key **out, const char *pem, size_t len,
                                       eg_error *err);
/* A public key from its 32 raw bytes as 64 hex digits. EG_EPARSE otherwise. */
int eg__checkpoint_key_from_public_hex(eg__checkpoint_key **out, const char *hex, size_t len,
                                       eg_error *err);
/* The public half as PEM text into *out (NUL-terminated, freed with
 * eg__free). Returns 0, EG_ENOMEM or EG_EIO. */
int eg__checkpoint_key_public_pem(char **out, const eg__checkpoint_key *key, eg_error *err);
/* The public half as 64 hex digits and a NUL. */
void eg__checkpoint_key_public_hex(char out[65], const eg__checkpoint_key *key);
/* NULL-safe. */
void eg__checkpoint_key_free(eg__checkpoint_key *key);

/*
 * Signs cp with a private key and writes its text into *out (freed with
 * eg__free), in the manner of a C2SP signed note (tlog-checkpoint):
 *
 *     <origin>\n<size>\n<base64 root>\ntime <time_ms>\n\n— <origin> <base64 sig>\n
 *
 * where the signature covers the four body lines (with their newlines) and
 * its base64 blob is the 4-byte key id, SHA-256(origin || "\n" || 0x01 ||
 * public key)[0:4], then the 64-byte Ed25519 signature. The origin is 1..128
 * bytes of [A-Za-z0-9._:/-]; anything else is EG_EINVAL.
 */
int eg__checkpoint_sign(char **out, const eg__checkpoint *cp, const eg__checkpoint_key *key,
                        eg_error *err);
/* Parses a checkpoint's text without checking any signature (to show it, or
 * to read what a regulator kept before choosing the key). EG_EPARSE, naming
 * the line, when the text is not a checkpoint. */
int eg__checkpoint_parse(eg__checkpoint *out, const char *text, size_t len, eg_error *err);
/* Parses the text and checks that it carries a valid signature of `key`
 * under its origin. Returns 0 when it does; EG_EPARSE for malformed text;
 * EG_EINVAL when no signature line is of this key or the signature does not
 * verify (another key, or a changed body). *out is filled only on success. */
int eg__checkpoint_verify(eg__checkpoint *out, const char *text, size_t len,
                          const eg__checkpoint_key *key, eg_error *err);

#endif
