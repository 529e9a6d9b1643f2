/* items.c - loading and querying the item table (see items.h, docs/policies.md). */
#include "items.h"
#include "jsonv.h"
#include "../util/alloc.h"
#include "../util/arena.h"
#include "../util/error.h"

#include <string.h>

struct eg__items {
	eg__arena arena;
	const char *version;
	const char **categories; size_t n_categories;
	const char **flags;      size_t n_flags;
	eg__item_entry *entries; size_t n_entries;
};

void eg__items_free(eg__items *items)
{
	if (items == NULL)
		return;
	eg__arena_clear(&items->arena);
	eg__free(items);
}

/* Reads an array of {"id", "description", ...} declarations into ids. */
static int parse_decls(const char ***ids, size_t *n, const eg__jv *jv, const json_t *root,
                       const char *key)
{
	static const char *const allowed[] = {"id", "description", "citation", NULL};
	eg__jpath p, pi;
	const json_t *arr = json_object_get(root, key);
	size_t i, count;
	int rc;

	eg__jpath_key(&p, NULL, key);
	if (!json_is_array(arr))
		return eg__jv_fail(jv, EG_EINVAL, &p, arr ? "not an array" : "missing");
	count = json_array_size(arr);
	if (count > EG__ITEMS_CAP_ENTRIES)
		return eg__jv_fail(jv, EG_ETOOBIG, &p, "more than %d entries", EG__ITEMS_CAP_ENTRIES);
	*ids = eg__arena_calloc(jv->arena, count ? count : 1, sizeof(**ids));
	if (*ids == NULL)
		return eg__jv_fail(jv, EG_ENOMEM, &p, "out of memory");
	for (i = 0; i < count; i++) {
		const json_t *o = json_array_get(arr, i);
		const char *desc;

		eg__jpath_idx(&pi, &p, i);
		if ((rc = eg__jv_object(jv, o, &pi, allowed)) != 0 ||
		    (rc = eg__jv_string(&(*ids)[i], jv, o, &pi, "id", 1, EG__ITEMS_CAP_ID_BYTES)) != 0 ||
		    (rc = eg__jv_string(&desc, jv, o, &pi, "description", 1,
		                        EG__ITEMS_CAP_TEXT_BYTES)) != 0)
			return rc;
		if (eg__jv_in((*ids)[i], *ids, i))
			return eg__jv_fail(jv, EG_EINVAL, &pi, "\"%s\" declared twice", (*ids)[i]);
	}
	*n = count;
	return 0;
}

static int parse_entry(eg__items *items, eg__item_entry *e, const eg__jv *jv,
                       const json_t *o, const eg__jpath *p)
{
	static const char *const allowed[] = {"classification", "regime", "description",
		"categories", "citation", "unverified", "unverified_reason", NULL};
	static const char *const regimes[] = {"us-ear", "wassenaar"};
	const char *desc, *why;
	const char **cats;
	eg__jpath pc, pci;
	size_t i;
	int rc;

	if ((rc = eg__jv_object(jv, o, p, allowed)) != 0 ||
	    (rc = eg__jv_string(&e->classification, jv, o, p, "classification", 1,
	                        EG__ITEMS_CAP_ID_BYTES)) != 0 ||
	    (rc = eg__jv_string(&e->regime, jv, o, p, "regime", 1, EG__ITEMS_CAP_ID_BYTES)) != 0 ||
	    (rc = eg__jv_string(&desc, jv, o, p, "description", 1, EG__ITEMS_CAP_TEXT_BYTES)) != 0 ||
	    (rc = eg__jv_string(&e->citation, jv, o, p, "citation", 1,
	                        EG__ITEMS_CAP_TEXT_BYTES)) != 0 ||
	    (rc = eg__jv_bool(&e->unverified, jv, o, p, "unverified", 0)) != 0 ||
	    (rc = eg__jv_string(&why, jv, o, p, "unverified_reason", e->unverified,
	                        EG__ITEMS_CAP_TEXT_BYTES)) != 0 ||
	    (rc = eg__jv_strings(&cats, &e->n_categories, jv, o, p, "categories", 1, 1, 64,
	                         EG__ITEMS_CAP_ID_BYTES)) != 0)
		return rc;
	if (!eg__jv_in(e->regime, regimes, 2)) {
		eg__jpath_key(&pc, p, "regime");
		return eg__jv_fail(jv, EG_EINVAL, &pc, "\"%s\" is not a regime (us-ear, wassenaar)",
		                   e->regime);
	}
	eg__jpath_key(&pc, p, "categories");
	for (i = 0; i < e->n_categories; i++) {
		if (!eg__items_has_category(items, cats[i])) {
			eg__jpath_idx(&pci, &pc, i);
			return eg__jv_fail(jv, EG_EINVAL, &pci, "\"%s\" is not a declared category",
			                   cats[i]);
		}
	}
	e->categories = cats;
	return 0;
}

static int parse_root(eg__items *items, const eg__jv *jv, const json_t *root)
{
	static const char *const allowed[] = {"table", "version", "description", "sources",
		"categories", "end_use_flags", "items", NULL};
	const char *s;
	const json_t *arr;
	eg__jpath p, pi;
	size_t i, count;
	int rc;

	if ((rc = eg__jv_object(jv, root, NULL, allowed)) != 0 ||
	    (rc = eg__jv_string(&s, jv, root, NULL, "table", 1, EG__ITEMS_CAP_ID_BYTES)) != 0 ||
	    (rc = eg__jv_string(&items->version, jv, root, NULL, "version", 1,
	                        EG__ITEMS_CAP_ID_BYTES)) != 0 ||
	    (rc = parse_decls(&items->categories, &items->n_categories, jv, root,
	                      "categories")) != 0 ||
	    (rc = parse_decls(&items->flags, &items->n_flags, jv, root, "end_use_flags")) != 0)
		return rc;
	if (strcmp(s, "items") != 0) {
		eg__jpath_key(&p, NULL, "table");
		return eg__jv_fail(jv, EG_EINVAL, &p, "must be \"items\"");
	}
	eg__jpath_key(&p, NULL, "items");
	arr = json_object_get(root, "items");
	if (!json_is_array(arr))
		return eg__jv_fail(jv, EG_EINVAL, &p, arr ? "not an array" : "missing");
	count = json_array_size(arr);
	if (count > EG__ITEMS_CAP_ENTRIES)
		return eg__jv_fail(jv, EG_ETOOBIG, &p, "more than %d items", EG__ITEMS_CAP_ENTRIES);
	items->entries = eg__arena_calloc(&items->arena, count ? count : 1,
	                                  sizeof(*items->entries));
	if (items->entries == NULL)
		return eg__jv_fail(jv, EG_ENOMEM, &p, "out of memory");
	for (i = 0; i < count; i++) {
		eg__jpath_idx(&pi, &p, i);
		if ((rc = parse_entry(items, &items->entries[i], jv, json_array_get(arr, i), &pi)) != 0)
			return rc;
		if (eg__items_find(items, items->entries[i].classification) != NULL)
			return eg__jv_fail(jv, EG_EINVAL, &pi, "\"%s\" listed twice",
			                   items->entries[i].classification);
		items->n_entries = i + 1;
	}
	return 0;
}

int eg__items_parse_mem(eg__items **out, const char *data, size_t len, const char *name,
                        eg_error *err)
{
	eg__items *items;
	json_t *root = NULL;
	eg__jv jv;
	int rc;

	*out = NULL;
	items = eg__calloc(1, sizeof(*items));
	if (items == NULL)
		return eg__error_set(err, EG_ENOMEM, "%s: out of memory", name);
	eg__arena_init(&items->arena, 0);
	jv.where = name;
	jv.arena = &items->arena;
	jv.err = err;
	if ((rc = eg__jv_parse(&root, &jv, data, len, EG__ITEMS_CAP_FILE_BYTES)) == 0 &&
	    (rc = parse_root(items, &jv, root)) == 0) {
		*out = items;
		items = NULL;
	}
	json_decref(root);
	eg__items_free(items);
	return rc;
}

int eg__items_load(eg__items **out, const char *path, eg_error *err)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = eg__jv_read_file(&data, &len, path, EG__ITEMS_CAP_FILE_BYTES, err)) != 0)
		return rc;
	rc = eg__items_parse_mem(out, data, len, path, err);
	eg__free(data);
	return rc;
}

const char *eg__items_version(const eg__items *items)
{
	return items->version;
}

const eg__item_entry *eg__items_find(const eg__items *items, const char *classification)
{
	size_t i;

	/* A linear scan: the table holds tens of entries. */
	for (i = 0; i < items->n_entries; i++)
		if (strcmp(items->entries[i].classification, classification) == 0)
			return &items->entries[i];
	return NULL;
}

int eg__items_has_category(const eg__items *items, const char *category)
{
	return eg__jv_in(category, items->categories, items->n_categories);
}

int eg__items_has_flag(const eg__items *items, const char *flag)
{
	return eg__jv_in(flag, items->flags, items->n_flags);
}
