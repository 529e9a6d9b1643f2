/* engine.c - ties the store, the list parsers and the candidate index into
 * the public API of exportgate.h.
 *
 * Invariant: a cached version (entities and index) is immutable once
 * published in the cache and lives until the engine is freed, so screens
 * read it without holding the lock; the lock guards the store handle and
 * the cache's array. */
#include "exportgate.h"
#include "lists/countries.h"
#include "lists/diff.h"
#include "lists/format.h"
#include "match/index.h"
#include "store/store.h"
#include "text/normalize.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/date.h"
#include "util/error.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 1000
#define DEFAULT_THRESHOLD 0.76

typedef struct cached {
	eg_list_version v;
	eg__entity_set set;
	eg__index *ix;
} cached;

struct eg_engine {
	eg__store *store;
	pthread_mutex_t lock;
	cached **cache;
	size_t n_cache, cap_cache;
	/* The store's version list, read once and again after each import,
	 * so a screen asks the store nothing once its lists are indexed. */
	eg_list_version *versions;
	size_t n_versions;
	int versions_valid;
	/* Country lists, loaded from data_dir on first use; then read-only. */
	char *data_dir;
	eg__country_lists *countries;
	eg__iso_codes iso;
	eg_country_list_info *country_info;
	size_t n_country_info;
};

/* The public eg_hits and the memory its strings live in. */
typedef struct hits_block {
	eg_hits pub;
	eg__arena arena;
} hits_block;

double eg_default_threshold(void)
{
	return DEFAULT_THRESHOLD;
}

const char *eg_type_name(eg_entity_type type)
{
	switch (type) {
	case EG_TYPE_INDIVIDUAL: return "individual";
	case EG_TYPE_ENTITY: return "entity";
	case EG_TYPE_VESSEL: return "vessel";
	case EG_TYPE_AIRCRAFT: return "aircraft";
	case EG_TYPE_UNKNOWN: return "unknown";
	case EG_TYPE_ANY: break;
	}
	return "any";
}

int eg_type_parse(eg_entity_type *out, const char *name)
{
	static const struct { const char *name; eg_entity_type type; } names[] = {
		{"any", EG_TYPE_ANY}, {"individual", EG_TYPE_INDIVIDUAL},
		{"person", EG_TYPE_INDIVIDUAL}, {"entity", EG_TYPE_ENTITY},
		{"organization", EG_TYPE_ENTITY}, {"organisation", EG_TYPE_ENTITY},
		{"company", EG_TYPE_ENTITY}, {"vessel", EG_TYPE_VESSEL},
		{"aircraft", EG_TYPE_AIRCRAFT}, {"unknown", EG_TYPE_UNKNOWN},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].type;
			return 0;
		}
	}
	return EG_EINVAL;
}

int eg_engine_open(eg_engine **out, const eg_open_options *opts, eg_error *err)
{
	eg_open_options defaults = EG_OPEN_OPTIONS_INIT;
	eg_engine *e;
	int rc;

	*out = NULL;
	eg__error_clear(err);
	if (opts == NULL)
		opts = &defaults;
	if (opts->version != EG_OPEN_OPTIONS_VERSION)
		return eg__error_set(err, EG_EINVAL, "eg_open_options: version %u, expected %u",
		                     opts->version, EG_OPEN_OPTIONS_VERSION);
	eg__formats_init();
	e = eg__calloc(1, sizeof(*e));
	if (e == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	rc = eg__store_open_sqlite(&e->store,
	                           opts->store_path ? opts->store_path : "var/exportgate.db",
	                           opts->read_only, err);
	if (rc != 0) {
		eg__free(e);
		return rc;
	}
	e->data_dir = eg__strdup(opts->data_dir ? opts->data_dir : "data");
	if (e->data_dir == NULL) {
		eg__store_close(e->store);
		eg__free(e);
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&e->lock, NULL);
	*out = e;
	return 0;
}

void eg_engine_free(eg_engine *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n_cache; i++) {
		eg__index_free(e->cache[i]->ix);
		eg__entity_set_free(&e->cache[i]->set);
		eg__free(e->cache[i]);
	}
	eg__free(e->cache);
	eg__free(e->versions);
	eg__free(e->country_info);
	eg__countries_free(e->countries);
	eg__free(e->data_dir);
	eg__store_close(e->store);
	pthread_mutex_destroy(&e->lock);
	eg__free(e);
}

/* --- import -------------------------------------------------------------- */

static void warn_stderr(void *ud, const char *msg)
{
	(void)ud;
	fprintf(stderr, "exportgate: warning: %s\n", msg);
}

int eg_import(eg_engine *e, eg_list_version *out, const eg_import_options *opts,
              eg_error *err)
{
	const eg__format *fmt;
	eg__entity_set set;
	eg__sha256 sha;
	eg__parse_ctx ctx;
	eg_list_version v;
	const char *source;
	int rc;

	eg__error_clear(err);
	memset(out, 0, sizeof(*out));
	if (opts == NULL || opts->version != EG_IMPORT_OPTIONS_VERSION || opts->path == NULL)
		return eg__error_set(err, EG_EINVAL, "eg_import: options with a path are required");
	if (opts->published != NULL &&
	    !eg__date_valid(opts->published, strlen(opts->published)))
		return eg__error_set(err, EG_EINVAL, "published date \"%s\": expected YYYY-MM-DD",
		                     opts->published);
	fmt = eg__format_detect(opts->path);
	if (fmt == NULL)
		return eg__error_set(err, EG_EUNSUPPORTED,
		                     "%s: not a list format exportgate reads (see `exportgate import --help`)",
		                     opts->path);
	source = opts->source ? opts->source : fmt->default_source;
	if (source == NULL)
		return eg__error_set(err, EG_EINVAL, "%s: format %s needs --source", opts->path,
		                     fmt->name);
	if (strlen(source) >= sizeof(v.source) || source[0] == '\0')
		return eg__error_set(err, EG_EINVAL, "source \"%s\": 1 to %zu characters", source,
		                     sizeof(v.source) - 1);

	eg__entity_set_init(&set);
	memset(&v, 0, sizeof(v));
	if ((rc = eg__sha256_init(&sha)) != 0) {
		rc = eg__error_set(err, rc, "out of memory");
		goto done;
	}
	ctx.set = &set;
	ctx.sha = &sha;
	ctx.warn = warn_stderr;
	ctx.warn_ud = NULL;
	if ((rc = fmt->parse(&ctx, opts->path, err)) != 0)
		goto done;
	if (set.n == 0) {
		rc = eg__error_set(err, EG_EEMPTY, "%s: no entities found", opts->path);
		goto done;
	}
	snprintf(v.source, sizeof(v.source), "%s", source);
	snprintf(v.format, sizeof(v.format), "%s", fmt->name);
	if ((rc = eg__sha256_final(&sha, v.sha256)) != 0) {
		rc = eg__error_set(err, rc, "hashing failed");
		goto done;
	}
	if (opts->published != NULL)
		snprintf(v.published, sizeof(v.published), "%s", opts->published);
	else if (set.published != NULL)
		snprintf(v.published, sizeof(v.published), "%s", set.published);

	pthread_mutex_lock(&e->lock);
	rc = eg__store_find_version(e->store, out, v.source, v.sha256, err);
	if (rc == 0) {
		out->created = 0;
	} else if (rc == EG_ENOTFOUND) {
		eg__error_clear(err);
		rc = eg__store_add_version(e->store, &v, &set, err);
		if (rc == 0) {
			*out = v;
			out->created = 1;
			e->versions_valid = 0;
		}
	}
	pthread_mutex_unlock(&e->lock);
done:
	eg__sha256_dispose(&sha);
	eg__entity_set_free(&set);
	return rc;
}

int eg_list_versions(eg_engine *e, eg_list_version **out, size_t *count, eg_error *err)
{
	eg_list_version *v = NULL;
	size_t n = 0;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	*count = 0;
	pthread_mutex_lock(&e->lock);
	rc = eg__store_versions(e->store, &v, &n, err);
	pthread_mutex_unlock(&e->lock);
	if (rc != 0)
		return rc;
	*out = v;
	*count = n;
	return 0;
}

void eg_list_versions_free(eg_list_version *versions)
{
	eg__free(versions);
}

/* --- diff ----------------------------------------------------------------- */

typedef struct diff_block {
	eg_diff pub;
	eg__arena arena;
} diff_block;

/* Resolves a version spec of source: an id, a date, or NULL for the newest.
 * Called with the lock held. */
static int resolve_version(eg_engine *e, eg_list_version *out, const char *source,
                           const char *spec, eg_error *err)
{
	size_t len = spec ? strlen(spec) : 0, i;
	int digits = len > 0 && len < 19;

	for (i = 0; i < len; i++)
		digits &= spec[i] >= '0' && spec[i] <= '9';
	if (spec == NULL || eg__date_valid(spec, len))
		return eg__store_version_as_of(e->store, out, source, spec, err);
	if (!digits)
		return eg__error_set(err, EG_EINVAL,
		                     "version \"%s\": give a version id or a date YYYY-MM-DD", spec);
	if (eg__store_version_by_id(e->store, out, (int64_t)strtoll(spec, NULL, 10), err) != 0)
		return err->code;
	if (strcmp(out->source, source) != 0)
		return eg__error_set(err, EG_ENOTFOUND, "version %s is of %s, not of %s", spec,
		                     out->source, source);
	return 0;
}

/* The version of source just older than v, by the as-of order. */
static int previous_version(eg_engine *e, eg_list_version *out, const eg_list_version *v,
                            eg_error *err)
{
	eg_list_version *all = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = eg__store_versions(e->store, &all, &n, err)) != 0)
		return rc;
	rc = eg__error_set(err, EG_ENOTFOUND, "%s: version %lld is the oldest: name FROM",
	                   v->source, (long long)v->id);
	/* newest first per source: the predecessor follows v */
	for (i = 0; i + 1 < n; i++) {
		if (all[i].id == v->id && strcmp(all[i + 1].source, v->source) == 0) {
			*out = all[i + 1];
			eg__error_clear(err);
			rc = 0;
			break;
		}
	}
	eg__free(all);
	return rc;
}

int eg_list_diff(eg_engine *e, eg_diff **out, const char *source, const char *from,
                 const char *to, eg_error *err)
{
	eg__entity_set a, b;
	diff_block *db = NULL;
	eg_list_version vf, vt;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	if (source == NULL)
		return eg__error_set(err, EG_EINVAL, "diff: name a source");
	eg__entity_set_init(&a);
	eg__entity_set_init(&b);
	pthread_mutex_lock(&e->lock);
	rc = resolve_version(e, &vt, source, to, err);
	if (rc == 0)
		rc = from ? resolve_version(e, &vf, source, from, err)
		          : previous_version(e, &vf, &vt, err);
	if (rc == 0)
		rc = eg__store_load(e->store, &a, vf.id, err);
	if (rc == 0)
		rc = eg__store_load(e->store, &b, vt.id, err);
	pthread_mutex_unlock(&e->lock);
	if (rc != 0)
		goto done;
	db = eg__calloc(1, sizeof(*db));
	if (db == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	eg__arena_init(&db->arena, 64 * 1024);
	db->pub.from = vf;
	db->pub.to = vt;
	if ((rc = eg__diff_sets(&db->pub, &db->arena, &a, &b)) != 0) {
		rc = eg__error_set(err, rc, "diff: out of memory");
		eg_diff_free(&db->pub);
		goto done;
	}
	*out = &db->pub;
done:
	eg__entity_set_free(&a);
	eg__entity_set_free(&b);
	return rc;
}

void eg_diff_free(eg_diff *diff)
{
	diff_block *db = (diff_block *)diff;

	if (db == NULL)
		return;
	eg__arena_clear(&db->arena);
	eg__free(db);
}

/* --- country lists -------------------------------------------------------- */

const char *eg_membership_name(eg_membership m)
{
	return eg__countries_answer_name((eg__country_answer)m);
}

/* Loads the country lists once. Called with the lock held. */
static int countries_load(eg_engine *e, eg_error *err)
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

int eg_country_lists(eg_engine *e, const eg_country_list_info **out, size_t *count,
                     eg_error *err)
{
	int rc;

	eg__error_clear(err);
	pthread_mutex_lock(&e->lock);
	rc = countries_load(e, err);
	pthread_mutex_unlock(&e->lock);
	*out = rc == 0 ? e->country_info : NULL;
	*count = rc == 0 ? e->n_country_info : 0;
	return rc;
}

int eg_country_member(eg_engine *e, eg_membership *out, char effective[11],
                      const char *list, const char *code, const char *as_of, eg_error *err)
{
	const eg__country_version *v = NULL;
	eg__country_answer a;
	int rc;

	eg__error_clear(err);
	pthread_mutex_lock(&e->lock);
	rc = countries_load(e, err);
	pthread_mutex_unlock(&e->lock);
	if (rc == 0 && !eg__countries_iso_has(&e->iso, code, strlen(code)))
		rc = eg__error_set(err, EG_EINVAL, "\"%s\" is not an ISO 3166-1 alpha-2 code", code);
	if (rc == 0)
		rc = eg__countries_member(&a, &v, e->countries, list, code, as_of, err);
	if (rc != 0)
		return rc;
	*out = (eg_membership)a;
	snprintf(effective, 11, "%s", v->effective);
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
	pthread_mutex_lock(&e->lock);
	rc = countries_load(e, err);
	pthread_mutex_unlock(&e->lock);
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

/* --- screening ----------------------------------------------------------- */

/* Reads the store's version list if an import made the copy stale. Called
 * with the lock held. */
static int versions_refresh(eg_engine *e, eg_error *err)
{
	eg_list_version *v = NULL;
	size_t n = 0;
	int rc;

	if (e->versions_valid)
		return 0;
	if ((rc = eg__store_versions(e->store, &v, &n, err)) != 0)
		return rc;
	eg__free(e->versions);
	e->versions = v;
	e->n_versions = n;
	e->versions_valid = 1;
	return 0;
}

/* The version of source in force on date (NULL: the newest), by the
 * store's rule (store.h): the newest whose publication date, or lacking
 * one its import date, is on or before date. Called with the lock held. */
static int versions_as_of(eg_engine *e, eg_list_version *out, const char *source,
                          const char *date, eg_error *err)
{
	const eg_list_version *best = NULL;
	const char *best_key = NULL;
	size_t i;
	int rc;

	if ((rc = versions_refresh(e, err)) != 0)
		return rc;
	for (i = 0; i < e->n_versions; i++) {
		const eg_list_version *v = &e->versions[i];
		char key[11];
		int c;
		if (strcmp(v->source, source) != 0)
			continue;
		snprintf(key, sizeof(key), "%.10s", v->published[0] ? v->published : v->imported);
		if (date != NULL && strcmp(key, date) > 0)
			continue;
		c = best_key ? strcmp(key, best_key) : 1;
		if (c > 0 || (c == 0 && v->id > best->id)) {
			best = v;
			best_key = best->published[0] ? best->published : best->imported;
		}
	}
	if (best == NULL)
		return eg__error_set(err, EG_ENOTFOUND, "%s: no version %s%s", source,
		                     date ? "in force on " : "stored", date ? date : "");
	*out = *best;
	return 0;
}

/* The cached version of source in force on as_of, loading and indexing it
 * on first use. Called with the lock held. */
static int version_get(eg_engine *e, cached **out, const char *source, const char *as_of,
                       eg_error *err)
{
	eg_list_version v;
	cached *c;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = versions_as_of(e, &v, source, as_of, err)) != 0)
		return rc;
	for (i = 0; i < e->n_cache; i++) {
		if (e->cache[i]->v.id == v.id) {
			*out = e->cache[i];
			return 0;
		}
	}
	if (e->n_cache == e->cap_cache) {
		size_t ncap = e->cap_cache ? e->cap_cache * 2 : 8;
		cached **nc = eg__realloc(e->cache, ncap * sizeof(*nc));
		if (nc == NULL)
			return eg__error_set(err, EG_ENOMEM, "out of memory");
		e->cache = nc;
		e->cap_cache = ncap;
	}
	c = eg__calloc(1, sizeof(*c));
	if (c == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	c->v = v;
	eg__entity_set_init(&c->set);
	if ((rc = eg__store_load(e->store, &c->set, v.id, err)) != 0 ||
	    (rc = eg__index_from_set(&c->ix, &c->set, err)) != 0) {
		eg__entity_set_free(&c->set);
		eg__free(c);
		return rc;
	}
	e->cache[e->n_cache++] = c;
	*out = c;
	return 0;
}

/* The distinct sources of the store. Called with the lock held. */
static int sources_of(eg_engine *e, char (*src)[32], size_t max, size_t *n, eg_error *err)
{
	size_t i, j;
	int rc;

	*n = 0;
	if ((rc = versions_refresh(e, err)) != 0)
		return rc;
	for (i = 0; i < e->n_versions; i++) {
		const char *s = e->versions[i].source;
		for (j = 0; j < *n; j++)
			if (strcmp(src[j], s) == 0)
				break;
		if (j == *n && *n < max)
			snprintf(src[(*n)++], 32, "%s", s);
	}
	return 0;
}

/* 1 when the entity's own listing dates cover the date (today when the
 * caller named none). */
static int covers_date(const eg__entity *ent, const char *as_of)
{
	char today[11];

	if (as_of == NULL) {
		eg__date_today(today);
		as_of = today;
	}
	if (ent->start_date != NULL && strcmp(ent->start_date, as_of) > 0)
		return 0;
	if (ent->end_date != NULL && strcmp(ent->end_date, as_of) < 0)
		return 0;
	return 1;
}

static int country_ok(const eg__entity *ent, const char *country)
{
	size_t i;

	if (country == NULL || country[0] == '\0')
		return 1;
	for (i = 0; i < ent->n_countries; i++)
		if (strcasecmp(ent->countries[i], country) == 0)
			return 1;
	for (i = 0; i < ent->n_addresses; i++)
		if (ent->addresses[i].country != NULL &&
		    strcasecmp(ent->addresses[i].country, country) == 0)
			return 1;
	return 0;
}

/* Joins strs with "; " into the arena. */
static const char *join(eg__arena *a, const char *const *strs, size_t n)
{
	size_t i, len = 0;
	char *p, *w;

	for (i = 0; i < n; i++)
		len += strlen(strs[i]) + 2;
	p = eg__arena_alloc(a, len + 1);
	if (p == NULL)
		return NULL;
	w = p;
	for (i = 0; i < n; i++) {
		size_t l = strlen(strs[i]);
		if (i > 0) {
			memcpy(w, "; ", 2);
			w += 2;
		}
		memcpy(w, strs[i], l);
		w += l;
	}
	*w = '\0';
	return p;
}

/* Countries of an entity: its listed countries, else its address countries. */
static const char *entity_countries(eg__arena *a, const eg__entity *ent)
{
	const char *tmp[64];
	size_t i, j, n = 0;

	for (i = 0; i < ent->n_countries && n < 64; i++)
		tmp[n++] = ent->countries[i];
	for (i = 0; i < ent->n_addresses && n < 64; i++) {
		const char *c = ent->addresses[i].country;
		if (c == NULL)
			continue;
		for (j = 0; j < n; j++)
			if (strcasecmp(tmp[j], c) == 0)
				break;
		if (j == n)
			tmp[n++] = c;
	}
	return join(a, tmp, n);
}

static int add_hit(hits_block *hb, eg_hit *h, const cached *c, const eg__match *m,
                   const eg__norm *q)
{
	const eg__entity *ent = &c->set.v[m->entity];
	eg_token_match *tm;
	size_t i;

	h->source = c->v.source;
	h->published = c->v.published;
	h->version_id = c->v.id;
	h->uid = ent->uid;
	h->type = ent->type;
	h->primary_name = ent->n_names > 0 ? ent->names[0].text : "";
	h->matched_name = ent->names[m->name_no].text;
	h->programs = join(&hb->arena, ent->programs, ent->n_programs);
	h->countries = entity_countries(&hb->arena, ent);
	h->score = m->score;
	h->n_tokens = q->n;
	{
		const char **names = eg__arena_calloc(&hb->arena, ent->n_names + 1, sizeof(*names));
		if (names == NULL)
			return EG_ENOMEM;
		for (i = 0; i < ent->n_names; i++)
			names[i] = ent->names[i].text;
		h->names = names;
		h->n_names = ent->n_names;
	}
	tm = eg__arena_calloc(&hb->arena, q->n ? q->n : 1, sizeof(*tm));
	if (tm == NULL || h->programs == NULL || h->countries == NULL)
		return EG_ENOMEM;
	for (i = 0; i < q->n; i++) {
		const char *nt = "";
		if (m->align.match[i] != EG__NO_MATCH)
			nt = eg__index_name_token(c->ix, m->name_id, m->align.match[i]);
		tm[i].query_token = eg__arena_strdup(&hb->arena, q->tok[i].text);
		tm[i].name_token = nt ? nt : "";
		tm[i].similarity = m->align.sim[i];
		tm[i].weight = m->wq[i];
		if (tm[i].query_token == NULL)
			return EG_ENOMEM;
	}
	h->tokens = tm;
	return 0;
}

static int cmp_hit(const void *a, const void *b)
{
	const eg_hit *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->source, y->source);
}

int eg_screen(eg_engine *e, eg_hits **out, const char *name, size_t len,
              const eg_screen_options *opts, eg_error *err)
{
	eg_screen_options defaults = EG_SCREEN_OPTIONS_INIT;
	char sources[16][32];
	size_t n_sources = 0, i, k, limit, n_hits = 0, cap_hits = 0;
	cached *versions[16];
	eg__norm *q = NULL;
	eg__match *matches = NULL;
	hits_block *hb = NULL;
	eg_hit *hits = NULL;
	eg__search_opts so = {0};
	int rc;

	eg__error_clear(err);
	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	if (opts->version != EG_SCREEN_OPTIONS_VERSION)
		return eg__error_set(err, EG_EINVAL, "eg_screen_options: version %u, expected %u",
		                     opts->version, EG_SCREEN_OPTIONS_VERSION);
	if (opts->as_of != NULL && !eg__date_valid(opts->as_of, strlen(opts->as_of)))
		return eg__error_set(err, EG_EINVAL, "as-of date \"%s\": expected YYYY-MM-DD",
		                     opts->as_of);
	limit = opts->limit ? opts->limit : DEFAULT_LIMIT;
	if (limit > MAX_LIMIT)
		return eg__error_set(err, EG_EINVAL, "limit %zu: at most %d", limit, MAX_LIMIT);
	if ((rc = eg__text_check_query(name, len, err)) != 0)
		return rc;
	q = eg__malloc(sizeof(*q));
	hb = eg__calloc(1, sizeof(*hb));
	matches = eg__malloc(MAX_LIMIT * sizeof(*matches));
	if (q == NULL || hb == NULL || matches == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto fail;
	}
	eg__arena_init(&hb->arena, 16 * 1024);
	if ((rc = eg__text_normalize(q, name, len, err)) != 0)
		goto fail;
	if (q->n == 0) {
		rc = eg__error_set(err, EG_EEMPTY, "the name has no letters or digits");
		goto fail;
	}

	pthread_mutex_lock(&e->lock);
	if (opts->source != NULL) {
		snprintf(sources[0], sizeof(sources[0]), "%s", opts->source);
		n_sources = 1;
	} else {
		rc = sources_of(e, sources, 16, &n_sources, err);
	}
	for (i = 0; rc == 0 && i < n_sources; i++) {
		rc = version_get(e, &versions[i], sources[i], opts->as_of, err);
		/* Screening all sources as of a date before one existed skips it. */
		if (rc == EG_ENOTFOUND && opts->source == NULL) {
			eg__error_clear(err);
			versions[i] = NULL;
			rc = 0;
		}
	}
	pthread_mutex_unlock(&e->lock);
	if (rc != 0)
		goto fail;
	if (n_sources == 0) {
		rc = eg__error_set(err, EG_ENOTFOUND,
		                   "no list imported yet: run `exportgate import` first");
		goto fail;
	}

	so.type = opts->type;
	so.min_score = opts->min_score >= 0 ? opts->min_score : DEFAULT_THRESHOLD;
	so.max_candidates = 0;
	hb->pub.threshold = so.min_score;
	for (i = 0; i < n_sources; i++) {
		const cached *c = versions[i];
		size_t n = 0, scored = 0;
		if (c == NULL)
			continue;
		rc = eg__index_search(c->ix, matches, MAX_LIMIT, &n, &scored, q, &so, err);
		if (rc != 0)
			goto fail;
		hb->pub.candidates += scored;
		for (k = 0; k < n; k++) {
			const eg__entity *ent = &c->set.v[matches[k].entity];
			if (!covers_date(ent, opts->as_of) || !country_ok(ent, opts->country))
				continue;
			if (n_hits == cap_hits) {
				eg_hit *nh = eg__arena_grow(&hb->arena, hits, n_hits, &cap_hits,
				                            sizeof(*nh));
				if (nh == NULL) {
					rc = eg__error_set(err, EG_ENOMEM, "out of memory");
					goto fail;
				}
				hits = nh;
			}
			if (add_hit(hb, &hits[n_hits], c, &matches[k], q) != 0) {
				rc = eg__error_set(err, EG_ENOMEM, "out of memory");
				goto fail;
			}
			n_hits++;
		}
	}
	if (n_hits > 1)
		qsort(hits, n_hits, sizeof(*hits), cmp_hit);
	hb->pub.count = n_hits < limit ? n_hits : limit;
	hb->pub.hits = hits;
	*out = &hb->pub;
	eg__free(q);
	eg__free(matches);
	return 0;
fail:
	eg__free(q);
	eg__free(matches);
	if (hb != NULL) {
		eg__arena_clear(&hb->arena);
		eg__free(hb);
	}
	return rc;
}

void eg_hits_free(eg_hits *hits)
{
	hits_block *hb = (hits_block *)hits;

	if (hb == NULL)
		return;
	eg__arena_clear(&hb->arena);
	eg__free(hb);
}

int eg_compare(eg_engine *e, double *out, const char *a, size_t alen, const char *b,
               size_t blen, eg_error *err)
{
	eg__norm *na = NULL, *nb = NULL;
	char sources[16][32];
	size_t n_sources = 0, i;
	cached *best = NULL;
	int rc;

	eg__error_clear(err);
	*out = 0.0;
	if ((rc = eg__text_check_query(a, alen, err)) != 0 ||
	    (rc = eg__text_check_query(b, blen, err)) != 0)
		return rc;
	/* Token weights come from the largest list in the store. */
	pthread_mutex_lock(&e->lock);
	rc = sources_of(e, sources, 16, &n_sources, err);
	for (i = 0; rc == 0 && i < n_sources; i++) {
		cached *c;
		rc = version_get(e, &c, sources[i], NULL, err);
		if (rc == 0 && (best == NULL || eg__index_names(c->ix) > eg__index_names(best->ix)))
			best = c;
	}
	pthread_mutex_unlock(&e->lock);
	if (rc != 0)
		return rc;
	if (best == NULL)
		return eg__error_set(err, EG_ENOTFOUND,
		                     "no list imported yet: token weights come from the lists");
	na = eg__malloc(sizeof(*na));
	nb = eg__malloc(sizeof(*nb));
	if (na == NULL || nb == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = eg__text_normalize(na, a, alen, err)) != 0 ||
	    (rc = eg__text_normalize(nb, b, blen, err)) != 0)
		goto done;
	*out = eg__index_compare(best->ix, na, nb);
done:
	eg__free(na);
	eg__free(nb);
	return rc;
}
