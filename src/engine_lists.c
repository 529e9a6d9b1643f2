/* engine_lists.c - list versions in the public API: importing a
 * publication, listing the versions, diffing two versions of a source. */
#include "engine_impl.h"
#include "catalog/sources.h"
#include "lists/diff.h"
#include "lists/format.h"
#include "store/store.h"
#include "text/normalize.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/date.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- import -------------------------------------------------------------- */

/* Parser warnings go to the engine's log. */
static void warn_log(void *ud, const char *msg)
{
	eg__engine_log(ud, EG_LOG_WARNING, "%s", msg);
}

/* A source the data directory's sources.json names, or one the store
 * holds already; any other only when the caller says it is new. */
static int check_source(eg_engine *e, const char *source, int new_source, eg_error *err)
{
	eg__versions *vs = NULL;
	size_t i;
	int known = 0, rc;

	if (new_source)
		return 0;
	if ((rc = eg__source_known(e->data_dir, source, &known, err)) != 0 || known)
		return rc;
	/* the catalog's snapshot of the stored versions names their sources */
	rc = eg__catalog_versions(e->cat, &vs, err);
	for (i = 0; rc == 0 && i < vs->n_sources && !known; i++)
		known = strcmp(vs->sources[i], source) == 0;
	eg__versions_release(vs);
	if (rc == 0 && !known)
		rc = eg__error_set(err, EG_EINVAL,
		                   "source \"%s\" is not one exportgate knows (see %s/sources.json) "
		                   "nor in the store: check its spelling, or create it with "
		                   "--new-source", source, e->data_dir);
	return rc;
}

/* A publication date after today (UTC) is refused. */
static int check_published(const char *date, eg_error *err)
{
	char today[11];

	eg__date_today(today);
	if (strcmp(date, today) > 0)
		return eg__error_set(err, EG_EINVAL,
		                     "publication date %s is in the future (today is %s)", date, today);
	return 0;
}

/* Every name of set must be one the screening can read: the index leaves
 * out a name the normaliser refuses (over EG__CAP_NORM_INPUT_BYTES, or over
 * EG__CAP_NORM_BYTES once normalised), and an entry known only by such a
 * name would be stored yet never found. Such an import is refused, naming
 * the entry. Returns 0, EG_ETOOBIG (or the normaliser's code) or EG_ENOMEM. */
static int names_screenable(const eg__entity_set *set, const char *path, eg_error *err)
{
	eg__norm *norm = eg__malloc(sizeof(*norm));
	size_t i, j;
	int rc = 0;

	if (norm == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	for (i = 0; i < set->n && rc == 0; i++) {
		const eg__entity *en = &set->v[i];
		for (j = 0; j < en->n_names && rc == 0; j++) {
			const char *t = en->names[j].text;
			size_t len = strlen(t);
			rc = eg__text_normalize(norm, t, len, err);
			if (rc != 0 && rc != EG_ENOMEM) {
				char why[sizeof(err->message)];
				memcpy(why, err->message, sizeof(why));
				rc = eg__error_set(err, rc, "%s: entry %.64s: a name of %zu bytes the "
				                   "screening cannot read (%s): it would never be found",
				                   path, en->uid, len, why);
			}
		}
	}
	eg__free(norm);
	return rc;
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
	eg__store *store;
	size_t unresolved = 0;
	int rc;

	eg__error_clear(err);
	memset(out, 0, sizeof(*out));
	if (opts == NULL || opts->version < 1 || opts->version > EG_IMPORT_OPTIONS_VERSION ||
	    opts->path == NULL)
		return eg__error_set(err, EG_EINVAL, "eg_import: options with a path are required");
	if (opts->published != NULL &&
	    !eg__date_valid(opts->published, strlen(opts->published)))
		return eg__error_set(err, EG_EINVAL, "published date \"%s\": expected YYYY-MM-DD",
		                     opts->published);
	if ((rc = eg__format_for_path(&fmt, opts->path, err)) != 0)
		return rc;
	source = opts->source ? opts->source : fmt->default_source;
	if (source == NULL)
		return eg__error_set(err, EG_EINVAL, "%s: format %s needs --source", opts->path,
		                     fmt->name);
	if (strlen(source) >= sizeof(v.source) || source[0] == '\0')
		return eg__error_set(err, EG_EINVAL, "source \"%s\": 1 to %zu characters", source,
		                     sizeof(v.source) - 1);
	if ((rc = check_source(e, source, opts->version >= 2 && opts->new_source, err)) != 0 ||
	    (opts->published && (rc = check_published(opts->published, err)) != 0))
		return rc;

	eg__entity_set_init(&set);
	memset(&v, 0, sizeof(v));
	if ((rc = eg__sha256_init(&sha)) != 0) {
		rc = eg__error_set(err, rc, "out of memory");
		goto done;
	}
	ctx.set = &set;
	ctx.sha = &sha;
	ctx.warn = warn_log;
	ctx.warn_ud = e;
	if ((rc = fmt->parse(&ctx, opts->path, err)) != 0)
		goto done;
	if (set.n == 0) {
		rc = eg__error_set(err, EG_EEMPTY, "%s: no entities found", opts->path);
		goto done;
	}
	if (opts->version >= 3 && set.n < opts->min_entities) {
		rc = eg__error_set(err, EG_EEMPTY, "%s: %zu entities, under the %zu required",
		                   opts->path, set.n, opts->min_entities);
		goto done;
	}
	if ((rc = names_screenable(&set, opts->path, err)) != 0)
		goto done;
	if ((rc = eg__entity_set_resolve_countries(&set, &unresolved, err)) != 0)
		goto done;
	if (unresolved > 0)
		eg__engine_log(e, EG_LOG_INFO, "%s: %zu country texts name no ISO 3166-1 country "
		               "(kept as published)", opts->path, unresolved);
	v.carries = eg__entity_set_carries(&set);
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
	if (v.published[0] && (rc = check_published(v.published, err)) != 0)
		goto done;

	store = eg__catalog_lock(e->cat);
	rc = eg__store_find_version(store, out, v.source, v.sha256, err);
	if (rc == 0) {
		out->created = 0;
	} else if (rc == EG_ENOTFOUND) {
		eg__error_clear(err);
		rc = eg__store_add_version(store, &v, &set, err);
		if (rc == 0) {
			*out = v;
			out->created = 1;
		} else if (rc == EG_EEXISTS) {
			/* another process stored the same content meanwhile: that
			 * is its version, not a failure */
			eg__error_clear(err);
			if ((rc = eg__store_find_version(store, out, v.source, v.sha256, err)) == 0)
				out->created = 0;
		}
	}
	eg__catalog_unlock(e->cat);
	if (rc == 0 && out->created)
		eg__catalog_changed(e->cat);
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
	rc = eg__store_versions(eg__catalog_lock(e->cat), &v, &n, err);
	eg__catalog_unlock(e->cat);
	if (rc != 0)
		return rc;
	*out = v;
	*count = n;
	return 0;
}

int eg_list_versions_current(eg_engine *e, eg_list_version **out, size_t *count,
                             eg_error *err)
{
	eg__error_clear(err);
	return eg__catalog_current(e->cat, out, count, err);
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
 * */
static int resolve_version(eg__store *store, eg_list_version *out, const char *source,
                           const char *spec, eg_error *err)
{
	size_t len = spec ? strlen(spec) : 0, i;
	int digits = len > 0 && len < 19;

	for (i = 0; i < len; i++)
		digits &= spec[i] >= '0' && spec[i] <= '9';
	if (spec == NULL || eg__date_valid(spec, len))
		return eg__store_version_as_of(store, out, source, spec, err);
	if (!digits)
		return eg__error_set(err, EG_EINVAL,
		                     "version \"%s\": give a version id or a date YYYY-MM-DD", spec);
	if (eg__store_version_by_id(store, out, (int64_t)strtoll(spec, NULL, 10), err) != 0)
		return err->code;
	if (strcmp(out->source, source) != 0)
		return eg__error_set(err, EG_ENOTFOUND, "version %s is of %s, not of %s", spec,
		                     out->source, source);
	return 0;
}

int eg_list_diff(eg_engine *e, eg_diff **out, const char *source, const char *from,
                 const char *to, eg_error *err)
{
	eg__entity_set a, b;
	diff_block *db = NULL;
	eg_list_version vf, vt;
	eg__store *store;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	if (source == NULL)
		return eg__error_set(err, EG_EINVAL, "diff: name a source");
	eg__entity_set_init(&a);
	eg__entity_set_init(&b);
	store = eg__catalog_lock(e->cat);
	rc = resolve_version(store, &vt, source, to, err);
	if (rc == 0)
		rc = from ? resolve_version(store, &vf, source, from, err)
		          : eg__store_previous_version(store, &vf, &vt, err);
	if (rc == 0)
		rc = eg__store_load(store, &a, vf.id, err);
	if (rc == 0)
		rc = eg__store_load(store, &b, vt.id, err);
	eg__catalog_unlock(e->cat);
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

