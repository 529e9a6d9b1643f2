/* engine.c - the public API of exportgate.h, a thin facade over the
 * catalog (list versions and their indexes, src/catalog), the lists, the
 * match layer and, next, policies and the decision log. This file opens and
 * frees an engine; its siblings engine_*.c hold the rest (engine_impl.h).
 *
 * Invariant: everything a screen reads (a snapshot of the versions, a
 * loaded version) is immutable and reference-counted, so screens hold no
 * lock while they search. */
#include "engine_impl.h"
#include "lists/format.h"
#include "policy/items.h"
#include "policy/policy.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

const char *eg_carries_missing(unsigned missing, char *buf, size_t size)
{
	static const struct { unsigned flag; const char *name; } kinds[] = {
		{EG_CARRIES_ALIASES, "aliases"}, {EG_CARRIES_ADDRESSES, "addresses"},
		{EG_CARRIES_DATES, "dates"}, {EG_CARRIES_COUNTRIES, "countries"},
		{EG_CARRIES_PROGRAMS, "programs"},
	};
	size_t i, len = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int w;
		if (!(missing & kinds[i].flag))
			continue;
		w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", kinds[i].name);
		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	return buf;
}

void eg__engine_log(const eg_engine *e, eg_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (e->log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e->log(e->log_ud, level, msg);
}

/* The index directory of opts: given, or beside a SQLite file. */
static char *index_dir_of(const eg_open_options *o, const char *store)
{
	char *dir;
	size_t len;

	if (o->version >= 2 && o->index_dir != NULL)
		return o->index_dir[0] ? eg__strdup(o->index_dir) : NULL;
	if ((store = eg__store_sqlite_path(store)) == NULL || store[0] == '\0')
		return NULL; /* not a file: no index files beside it */
	len = strlen(store);
	if ((dir = eg__malloc(len + 5)) == NULL)
		return NULL;
	memcpy(dir, store, len);
	memcpy(dir + len, ".idx", 5);
	return dir;
}

int eg_engine_open(eg_engine **out, const eg_open_options *opts, eg_error *err)
{
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg__catalog_options co = {NULL, 0, EG__CATALOG_REFRESH_MS, 0, NULL, NULL};
	eg__store *store = NULL;
	const char *path;
	eg_engine *e;
	int rc;

	*out = NULL;
	eg__error_clear(err);
	if (opts != NULL) {
		if (opts->version < 1 || opts->version > EG_OPEN_OPTIONS_VERSION)
			return eg__error_set(err, EG_EINVAL,
			                     "eg_open_options: version %u, expected 1 to %u",
			                     opts->version, EG_OPEN_OPTIONS_VERSION);
		/* the fields the caller's version knows */
		memcpy(&o, opts, opts->version == 1
		                     ? offsetof(eg_open_options, log) : sizeof(o));
		o.version = opts->version;
	}
	eg__formats_init();
	e = eg__calloc(1, sizeof(*e));
	if (e == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	path = o.store_path ? o.store_path : "var/exportgate.db";
	e->data_dir = eg__strdup(o.data_dir ? o.data_dir : "data");
	e->store_path = eg__strdup(path);
	e->read_only = o.read_only;
	co.index_dir = index_dir_of(&o, path);
	co.log = o.version >= 2 ? o.log : NULL;
	co.log_ud = o.version >= 2 ? o.log_ud : NULL;
	if (e->data_dir == NULL || e->store_path == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = eg__store_open(&store, path, o.read_only, err)) != 0 ||
	    (rc = eg__catalog_open(&e->cat, store, &co, err)) != 0)
		goto fail;
	e->log = o.version >= 2 ? o.log : NULL;
	e->log_ud = o.version >= 2 ? o.log_ud : NULL;
	pthread_mutex_init(&e->lock, NULL);
	pthread_mutex_init(&e->keys_lock, NULL);
	eg__free((char *)co.index_dir);
	*out = e;
	return 0;
fail:
	eg__free((char *)co.index_dir);
	eg__free(e->data_dir);
	eg__free(e->store_path);
	eg__free(e);
	return rc;
}

int eg_engine_watch(eg_engine *e, eg_error *err)
{
	eg__error_clear(err);
	return eg__catalog_watch(e->cat, err);
}

int eg_store_migrate(const char *store_path, int *from, int *to, eg_error *err)
{
	eg__store *store = NULL;
	int rc;

	eg__error_clear(err);
	*from = *to = 0;
	if ((rc = eg__store_open(&store, store_path ? store_path : "var/exportgate.db", 0,
	                         err)) != 0)
		return rc;
	rc = eg__store_schema(store, from, to);
	eg__store_close(store);
	return rc;
}

void eg_engine_free(eg_engine *e)
{
	if (e == NULL)
		return;
	eg__dlog_free(e->dlog);
	eg__store_close(e->keys);
	eg__free(e->keys_last);
	pthread_mutex_destroy(&e->keys_lock);
	eg__catalog_free(e->cat);
	eg__policies_release(e->policies);
	eg__items_free(e->items);
	eg__free(e->country_info);
	eg__countries_free(e->countries);
	eg__free(e->data_dir);
	eg__free(e->store_path);
	pthread_mutex_destroy(&e->lock);
	eg__free(e);
}
