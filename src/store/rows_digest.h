/* rows_digest.h - the digest of a version's rows, shared by every back end.
 *
 * A version records, at import, the SHA-256 of a canonical serialisation of
 * its rows, and a load recomputes it from the rows it read: a row changed,
 * lost or moved to another entity is then a refused version, never a
 * silent "no hit". The serialisation (docs/store.md, "The rows' digest") is
 * the rows of entity, then of name, address, program, country and attr,
 * each table in (entity position, ord) order; a row is its table's tag byte
 * and its entity's 0-based position in the version (8 bytes,
 * little-endian), then its columns: NULL as 'N'; text as 'T', its length
 * (8 bytes, little-endian) and its bytes; an integer as 'I' and 8 bytes,
 * little-endian. Store ids are not in it (they are the store's, not the
 * list's), so every back end computes the same digest for the same list. */
#ifndef EG_STORE_ROWS_DIGEST_H
#define EG_STORE_ROWS_DIGEST_H

#include "exportgate.h"
#include "../lists/entity.h"
#include "../util/hash.h"

#include <stddef.h>
#include <stdint.h>

enum { EG__ROWS_TAG_ENTITY = 'e', EG__ROWS_TAG_NAME = 'n', EG__ROWS_TAG_ADDRESS = 'a',
       EG__ROWS_TAG_PROGRAM = 'p', EG__ROWS_TAG_COUNTRY = 'c', EG__ROWS_TAG_ATTR = 't' };

/* A digest being computed. The first failure of an update is kept in rc
 * and every later update is skipped; it is reported by _finish. */
typedef struct eg__rows_digest {
	eg__sha256 sha;
	int rc;
} eg__rows_digest;

/* Starts a digest. Returns 0 or EG_ENOMEM. */
int eg__rows_digest_init(eg__rows_digest *d);
/* A row of the table tagged `tag`, of the entity at `position`. */
void eg__rows_digest_row(eg__rows_digest *d, char tag, size_t position);
/* A text column of len bytes; NULL for a NULL column. */
void eg__rows_digest_text(eg__rows_digest *d, const char *t, size_t len);
/* A NUL-terminated text column, or NULL. */
void eg__rows_digest_str(eg__rows_digest *d, const char *t);
void eg__rows_digest_int(eg__rows_digest *d, int64_t v);
/* Writes the 64 hex digits and a NUL into hex and frees the context.
 * Returns 0 or the first failure (EG_EIO, EG_ENOMEM); the context is freed
 * either way. */
int eg__rows_digest_finish(eg__rows_digest *d, char hex[65]);
/* Frees a digest that will not be finished. */
void eg__rows_digest_dispose(eg__rows_digest *d);

/* The digest of the rows that storing set writes, into hex. Returns 0,
 * EG_ENOMEM or EG_EIO with err set, naming store. */
int eg__rows_digest_of_set(const eg__entity_set *set, char hex[65], const char *store,
                           eg_error *err);

/* Finishes d, the digest of what a load read of version v (n entities),
 * and compares it with what the version recorded at import: its entity
 * count, and its rows' digest when one was recorded (recorded[0] != '\0';
 * a version imported before digests were kept has none). Returns 0, or
 * EG_ESTORE "store STORE: version N of SOURCE: ...: the store is damaged".
 * d is freed either way. */
int eg__rows_digest_check(eg__rows_digest *d, const char *store, const eg_list_version *v,
                          size_t n, const char *recorded, eg_error *err);

#endif
