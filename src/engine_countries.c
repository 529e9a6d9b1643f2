/* engine_countries.c - the country lists of the public API: which lists
 * there are, whether a country is a member on a date, what a version
 * changed. The lists are loaded from the data directory on first use. */
#include "engine_impl.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

/* --- country lists -------------------------------------------------------- */

const char *eg_basis_name(eg_basis basis)
{
	return basis == EG_BASIS_INFERRED ? "inferred"
	       : basis == EG_BASIS_UNVERIFIED ? "unverified" : "verified";
}

const char *eg_membership_name(eg_membership m)
{
	return eg__countries_answer_name((eg__country_answer)m);
}

/* Loads the country lists once. Called with the lock held. */
int eg__engine_countries_load(eg_engine *e, eg_error *err)
{
	char dir[4096];
	size_t i, n;
	int rc;

	if (e->countries != NULL)
		return 0;
	if ((size_t)snprintf(dir, sizeof(dir), "%s/countries", e->data_dir) >= sizeof(dir))
		return eg__error_set(err, EG_EINVAL, "data directory path too long");
	if ((rc = eg__countries_iso_load(&e->iso, NULL, err)) != 0 ||
	    (rc = eg__countries_load_dir(&e->countries, dir, &e->iso, err)) != 0)
		return rc;
	n = eg__countries_count(e->countries);
	e->country_info = eg__calloc(n ? n : 1, sizeof(*e->country_info));
	if (e->country_info == NULL) {
		eg__countries_free(e->countries);
		e->countries = NULL;
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		const eg__country_list *l = eg__countries_at(e->countries, i);
		const eg__country_version *v = &l->versions[l->n_versions - 1];
		eg_country_list_info *info = &e->country_info[i];
		info->name = l->name;
		info->title = l->title;
		info->n_versions = l->n_versions;
		info->effective = v->effective;
		info->partial = v->partial;
		info->size = v->size_known ? (long)v->size : -1;
		info->known_members = v->n_members;
	}
	e->n_country_info = n;
	return 0;
}

/* Loads the country lists (and the ISO codes) once, under the engine's
 * lock; then they are read-only. */
static int countries_ready(eg_engine *e, eg_error *err)
{
	int rc;

	pthread_mutex_lock(&e->lock);
	rc = eg__engine_countries_load(e, err);
	pthread_mutex_unlock(&e->lock);
	return rc;
}

int eg_country_lists(eg_engine *e, const eg_country_list_info **out, size_t *count,
                     eg_error *err)
{
	int rc;

	eg__error_clear(err);
	rc = countries_ready(e, err);
	*out = rc == 0 ? e->country_info : NULL;
	*count = rc == 0 ? e->n_country_info : 0;
	return rc;
}

int eg_country_member(eg_engine *e, eg_membership *out, char effective[11],
                      const char *list, const char *code, const char *as_of, eg_error *err)
{
	eg_basis basis;

	return eg_country_member_basis(e, out, &basis, effective, list, code, as_of, err);
}

int eg_country_member_basis(eg_engine *e, eg_membership *out, eg_basis *basis,
                            char effective[11], const char *list, const char *code,
                            const char *as_of, eg_error *err)
{
	const eg__country_version *v = NULL;
	eg__country_answer a;
	int rc;

	eg__error_clear(err);
	rc = countries_ready(e, err);
	if (rc == 0 && !eg__countries_iso_has(&e->iso, code, strlen(code)))
		rc = eg__error_set(err, EG_EINVAL, "\"%s\" is not an ISO 3166-1 alpha-2 code", code);
	if (rc == 0)
		rc = eg__countries_member(&a, &v, e->countries, list, code, as_of, err);
	if (rc != 0)
		return rc;
	*out = (eg_membership)a;
	*basis = (eg_basis)eg__countries_basis(v, code);
	snprintf(effective, 11, "%s", v->effective);
	return 0;
}

typedef struct members_block {
	eg_country_members pub;
	const char **members, **unknown;
	char codes[26 * 26][3];
} members_block;

void eg_country_members_free(eg_country_members *m)
{
	members_block *b = (members_block *)m;

	if (b == NULL)
		return;
	eg__free(b->members);
	eg__free(b->unknown);
	eg__free(b);
}

int eg_country_members_of(eg_engine *e, eg_country_members **out, const char *list,
                          const char *as_of, eg_error *err)
{
	const eg__country_version *v = NULL;
	members_block *b;
	size_t k;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	rc = countries_ready(e, err);
	if (rc != 0)
		return rc;
	if ((b = eg__calloc(1, sizeof(*b))) == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	if ((b->members = eg__calloc(e->iso.count + 1, sizeof(*b->members))) == NULL ||
	    (b->unknown = eg__calloc(e->iso.count + 1, sizeof(*b->unknown))) == NULL) {
		eg_country_members_free(&b->pub);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	b->pub.list = list;
	for (k = 0; k < 26 * 26; k++) {
		eg__country_answer a;
		char *code = b->codes[k];
		code[0] = (char)('A' + k / 26);
		code[1] = (char)('A' + k % 26);
		code[2] = '\0';
		if (!eg__countries_iso_has(&e->iso, code, 2))
			continue;
		/* the version in force, found (or refused, with its reason) once;
		 * then each code is only read from it */
		if (v == NULL &&
		    (rc = eg__countries_member(&a, &v, e->countries, list, code, as_of, err)) != 0) {
			eg_country_members_free(&b->pub);
			return rc;
		}
		a = eg__countries_answer(v, code);
		if (a == EG__COUNTRY_YES)
			b->members[b->pub.n_members++] = code;
		else if (a == EG__COUNTRY_UNKNOWN)
			b->unknown[b->pub.n_unknown++] = code;
		else
			b->pub.n_non_members++;
	}
	if (v == NULL) {
		eg_country_members_free(&b->pub);
		return eg__error_set(err, EG_ENOTFOUND, "no country codes loaded");
	}
	snprintf(b->pub.effective, sizeof(b->pub.effective), "%s", v->effective);
	b->pub.members = b->members;
	b->pub.unknown = b->unknown;
	*out = &b->pub;
	return 0;
}

typedef struct country_diff_block {
	eg_country_diff pub;
	eg__arena arena;
} country_diff_block;

/* Copies codes into the arena as a string array. */
static const char *const *code_strings(eg__arena *a, const eg__country_code *c, size_t n)
{
	const char **v = eg__arena_calloc(a, n ? n : 1, sizeof(*v));
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		if ((v[i] = eg__arena_strdup(a, c[i].c)) == NULL)
			return NULL;
	return v;
}

int eg_country_list_diff(eg_engine *e, eg_country_diff **out, const char *list,
                         const char *from, const char *to, eg_error *err)
{
	const eg__country_list *l;
	const eg__country_version *vf, *vt;
	eg__country_diff d;
	country_diff_block *b;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	rc = countries_ready(e, err);
	if (rc != 0)
		return rc;
	if ((l = eg__countries_find(e->countries, list)) == NULL)
		return eg__error_set(err, EG_ENOTFOUND, "no country list \"%s\"", list);
	vt = eg__countries_version_at(l, to);
	if (vt == NULL)
		return eg__error_set(err, EG_ENOTFOUND, "%s: no version in force on %s", list, to);
	if (from != NULL)
		vf = eg__countries_version_at(l, from);
	else
		vf = vt->index > 0 ? &l->versions[vt->index - 1] : NULL;
	if (vf == NULL)
		return eg__error_set(err, EG_ENOTFOUND, "%s: no version %s%s", list,
		                     from ? "in force on " : "before ",
		                     from ? from : vt->effective);
	if ((rc = eg__countries_diff(&d, vf, vt, err)) != 0)
		return rc;
	b = eg__calloc(1, sizeof(*b));
	if (b == NULL) {
		eg__countries_diff_dispose(&d);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	eg__arena_init(&b->arena, 4096);
	b->pub.list = l->name;
	snprintf(b->pub.from_effective, 11, "%s", vf->effective);
	snprintf(b->pub.to_effective, 11, "%s", vt->effective);
	b->pub.from_partial = vf->partial;
	b->pub.to_partial = vt->partial;
	b->pub.from_size = vf->size_known ? (long)vf->size : -1;
	b->pub.to_size = vt->size_known ? (long)vt->size : -1;
	b->pub.dropped = code_strings(&b->arena, d.dropped, b->pub.n_dropped = d.n_dropped);
	b->pub.added = code_strings(&b->arena, d.added, b->pub.n_added = d.n_added);
	b->pub.stayed = code_strings(&b->arena, d.stayed, b->pub.n_stayed = d.n_stayed);
	b->pub.unknown = code_strings(&b->arena, d.unknown, b->pub.n_unknown = d.n_unknown);
	b->pub.dropped_total = d.dropped_total;
	b->pub.dropped_unnamed = d.dropped_unnamed;
	b->pub.added_total = d.added_total;
	b->pub.added_unnamed = d.added_unnamed;
	eg__countries_diff_dispose(&d);
	if (!b->pub.dropped || !b->pub.added || !b->pub.stayed || !b->pub.unknown) {
		eg_country_diff_free(&b->pub);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	*out = &b->pub;
	return 0;
}

void eg_country_diff_free(eg_country_diff *diff)
{
	country_diff_block *b = (country_diff_block *)diff;

	if (b == NULL)
		return;
	eg__arena_clear(&b->arena);
	eg__free(b);
}

