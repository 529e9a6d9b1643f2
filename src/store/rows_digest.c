/* rows_digest.c - the digest of a version's rows (rows_digest.h). */
#include "rows_digest.h"
#include "../util/error.h"

#include <string.h>

int eg__rows_digest_init(eg__rows_digest *d)
{
	d->rc = 0;
	return eg__sha256_init(&d->sha);
}

static void put_bytes(eg__rows_digest *d, const void *p, size_t n)
{
	if (d->rc == 0)
		d->rc = eg__sha256_update(&d->sha, p, n);
}

static void put_u64(eg__rows_digest *d, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	put_bytes(d, b, sizeof(b));
}

void eg__rows_digest_row(eg__rows_digest *d, char tag, size_t position)
{
	put_bytes(d, &tag, 1);
	put_u64(d, (uint64_t)position);
}

void eg__rows_digest_text(eg__rows_digest *d, const char *t, size_t len)
{
	if (t == NULL) {
		put_bytes(d, "N", 1);
		return;
	}
	put_bytes(d, "T", 1);
	put_u64(d, (uint64_t)len);
	put_bytes(d, t, len);
}

void eg__rows_digest_str(eg__rows_digest *d, const char *t)
{
	eg__rows_digest_text(d, t, t != NULL ? strlen(t) : 0);
}

void eg__rows_digest_int(eg__rows_digest *d, int64_t v)
{
	put_bytes(d, "I", 1);
	put_u64(d, (uint64_t)v);
}

int eg__rows_digest_finish(eg__rows_digest *d, char hex[65])
{
	int rc;

	if (d->rc != 0) {
		eg__sha256_dispose(&d->sha);
		return d->rc;
	}
	rc = eg__sha256_final(&d->sha, hex);
	return rc;
}

void eg__rows_digest_dispose(eg__rows_digest *d)
{
	eg__sha256_dispose(&d->sha);
}

int eg__rows_digest_of_set(const eg__entity_set *set, char hex[65], const char *store,
                           eg_error *err)
{
	eg__rows_digest d;
	size_t i, k;
	int rc;

	if ((rc = eg__rows_digest_init(&d)) != 0)
		return eg__error_set(err, rc, "store %s: digest of the rows: %s", store,
		                     eg_strerror(rc));
	for (i = 0; i < set->n; i++) {
		const eg__entity *e = &set->v[i];
		eg__rows_digest_row(&d, EG__ROWS_TAG_ENTITY, i);
		eg__rows_digest_str(&d, e->uid);
		eg__rows_digest_int(&d, (int64_t)e->type);
		eg__rows_digest_str(&d, e->remarks);
		eg__rows_digest_str(&d, e->start_date);
		eg__rows_digest_str(&d, e->end_date);
	}
	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->v[i].n_names; k++) {
			eg__rows_digest_row(&d, EG__ROWS_TAG_NAME, i);
			eg__rows_digest_str(&d, set->v[i].names[k].text);
			eg__rows_digest_int(&d, (int64_t)set->v[i].names[k].kind);
			eg__rows_digest_int(&d, (int64_t)set->v[i].names[k].weak);
		}
	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->v[i].n_addresses; k++) {
			const eg__address *a = &set->v[i].addresses[k];
			eg__rows_digest_row(&d, EG__ROWS_TAG_ADDRESS, i);
			eg__rows_digest_str(&d, a->street);
			eg__rows_digest_str(&d, a->city);
			eg__rows_digest_str(&d, a->country);
			eg__rows_digest_str(&d, a->remarks);
		}
	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->v[i].n_programs; k++) {
			eg__rows_digest_row(&d, EG__ROWS_TAG_PROGRAM, i);
			eg__rows_digest_str(&d, set->v[i].programs[k]);
		}
	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->v[i].n_countries; k++) {
			eg__rows_digest_row(&d, EG__ROWS_TAG_COUNTRY, i);
			eg__rows_digest_str(&d, set->v[i].countries[k]);
		}
	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->v[i].n_attrs; k++) {
			eg__rows_digest_row(&d, EG__ROWS_TAG_ATTR, i);
			eg__rows_digest_str(&d, set->v[i].attrs[k].key);
			eg__rows_digest_str(&d, set->v[i].attrs[k].value);
		}
	if ((rc = eg__rows_digest_finish(&d, hex)) != 0)
		return eg__error_set(err, rc, "store %s: digest of the rows: %s", store,
		                     eg_strerror(rc));
	return 0;
}

int eg__rows_digest_check(eg__rows_digest *d, const char *store, const eg_list_version *v,
                          size_t n, const char *recorded, eg_error *err)
{
	char hex[65];
	int rc;

	if ((rc = eg__rows_digest_finish(d, hex)) != 0)
		return eg__error_set(err, rc, "store %s: version %lld of %s: digest of the rows: %s",
		                     store, (long long)v->id, v->source, eg_strerror(rc));
	if (n != v->entities)
		return eg__error_set(err, EG_ESTORE, "store %s: version %lld of %s: %zu entities, "
		                     "%zu recorded at import: the store is damaged", store,
		                     (long long)v->id, v->source, n, v->entities);
	if (recorded[0] != '\0' && memcmp(hex, recorded, 64) != 0)
		return eg__error_set(err, EG_ESTORE, "store %s: version %lld of %s: %zu entities, "
		                     "digest mismatch: the store is damaged", store,
		                     (long long)v->id, v->source, n);
	return 0;
}
