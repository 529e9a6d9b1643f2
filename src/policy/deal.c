/* deal.c - parsing and validating a deal (see deal.h, docs/deals.md). */
#include "deal.h"
#include "jsonv.h"
#include "../util/alloc.h"
#include "../util/arena.h"
#include "../util/error.h"

#include <stdio.h>
#include <string.h>

const char *const eg__deal_roles[] = {"end_user", "consignee", "intermediate", "purchaser",
                                      NULL};
const char *const eg__deal_types[] = {"government", "private", "bank", "insurer", "health",
                                      "us-subsidiary", NULL};

/* The deal and the arena its strings live in; pub first, so a deal pointer
 * is the block's. */
typedef struct deal_block {
	eg__deal pub;
	eg__arena arena;
} deal_block;

typedef struct parser {
	eg__jv jv;
	const eg__items *items;
	const eg__iso_codes *iso;
} parser;

void eg__deal_free(eg__deal *deal)
{
	deal_block *b = (deal_block *)deal;

	if (b == NULL)
		return;
	eg__arena_clear(&b->arena);
	eg__free(b);
}

/* "a, b, c" of a NULL-terminated set, for messages. */
static void set_text(char *out, size_t size, const char *const *set)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; set[i] != NULL && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? ", " : "", set[i]);
}

/* A string member that must be one of set (NULL-terminated). */
static int parse_enum(const char **out, const parser *ps, const json_t *obj,
                      const eg__jpath *path, const char *key, const char *what,
                      const char *const *set)
{
	eg__jpath p;
	char all[256];
	size_t n = 0;
	int rc;

	if ((rc = eg__jv_string(out, &ps->jv, obj, path, key, 1, EG__DEAL_CAP_ID_BYTES)) != 0)
		return rc;
	while (set[n] != NULL)
		n++;
	if (eg__jv_in(*out, set, n))
		return 0;
	eg__jpath_key(&p, path, key);
	set_text(all, sizeof(all), set);
	return eg__jv_fail(&ps->jv, EG_EINVAL, &p, "\"%s\" is not a %s (%s)", *out, what, all);
}

/* A member holding an ISO 3166-1 alpha-2 code known to iso-codes. */
static int parse_country(char out[3], const parser *ps, const json_t *obj,
                         const eg__jpath *path, const char *key)
{
	const char *s;
	eg__jpath p;
	int rc;

	if ((rc = eg__jv_string(&s, &ps->jv, obj, path, key, 1, EG__DEAL_CAP_ID_BYTES)) != 0)
		return rc;
	if (!eg__countries_iso_has(ps->iso, s, strlen(s))) {
		eg__jpath_key(&p, path, key);
		return eg__jv_fail(&ps->jv, EG_EINVAL, &p,
		                   "\"%s\" is not an ISO 3166-1 alpha-2 country code", s);
	}
	memcpy(out, s, 3);
	return 0;
}

static int parse_exporter(eg__deal *d, const parser *ps, const json_t *root)
{
	static const char *const allowed[] = {"name", "country", NULL};
	const json_t *o = json_object_get(root, "exporter");
	eg__jpath p;
	int rc;

	eg__jpath_key(&p, NULL, "exporter");
	if (o == NULL)
		return eg__jv_fail(&ps->jv, EG_EINVAL, &p, "missing");
	if ((rc = eg__jv_object(&ps->jv, o, &p, allowed)) != 0 ||
	    (rc = eg__jv_string(&d->exporter_name, &ps->jv, o, &p, "name", 1,
	                        EG__DEAL_CAP_NAME_BYTES)) != 0)
		return rc;
	return parse_country(d->exporter_country, ps, o, &p, "country");
}

/* The item's categories: the table's for its classification, then the
 * deal's own, duplicates dropped. */
static int item_categories(eg__deal_item *it, const parser *ps, const eg__item_entry *e,
                           const char **given, size_t n_given, const eg__jpath *p)
{
	size_t n_table = e ? e->n_categories : 0, i, n = 0;
	const char **cats;

	cats = eg__arena_calloc(ps->jv.arena, n_table + n_given + 1, sizeof(*cats));
	if (cats == NULL)
		return eg__jv_fail(&ps->jv, EG_ENOMEM, p, "out of memory");
	for (i = 0; i < n_table; i++)
		cats[n++] = e->categories[i];
	for (i = 0; i < n_given; i++)
		if (!eg__jv_in(given[i], cats, n))
			cats[n++] = given[i];
	it->categories = cats;
	it->n_categories = n;
	return 0;
}

static int parse_item(eg__deal_item *it, const parser *ps, const json_t *o,
                      const eg__jpath *p)
{
	static const char *const allowed[] = {"classification", "categories", NULL};
	const json_t *cv = json_object_get(o, "classification");
	const eg__item_entry *e = NULL;
	const char **given;
	size_t n_given, i;
	eg__jpath pc, pci;
	int rc;

	if ((rc = eg__jv_object(&ps->jv, o, p, allowed)) != 0)
		return rc;
	eg__jpath_key(&pc, p, "classification");
	if (cv == NULL)
		return eg__jv_fail(&ps->jv, EG_EINVAL, &pc,
		                   "missing (null for an item on no control list)");
	if (!json_is_null(cv)) {
		if ((rc = eg__jv_string(&it->classification, &ps->jv, o, p, "classification", 1,
		                        EG__DEAL_CAP_ID_BYTES)) != 0)
			return rc;
		e = eg__items_find(ps->items, it->classification);
		if (e == NULL)
			return eg__jv_fail(&ps->jv, EG_EINVAL, &pc,
			                   "\"%s\" is not a classification of the item table (%s)",
			                   it->classification, eg__items_version(ps->items));
	}
	if ((rc = eg__jv_strings(&given, &n_given, &ps->jv, o, p, "categories", e == NULL, e == NULL,
	                         EG__DEAL_CAP_CATEGORIES, EG__DEAL_CAP_ID_BYTES)) != 0)
		return rc;
	eg__jpath_key(&pc, p, "categories");
	for (i = 0; i < n_given; i++) {
		if (!eg__items_has_category(ps->items, given[i])) {
			eg__jpath_idx(&pci, &pc, i);
			return eg__jv_fail(&ps->jv, EG_EINVAL, &pci,
			                   "\"%s\" is not a category of the item table", given[i]);
		}
	}
	return item_categories(it, ps, e, given, n_given, p);
}

static int parse_items(eg__deal *d, const parser *ps, const json_t *root)
{
	const json_t *arr = json_object_get(root, "items");
	eg__deal_item *items;
	eg__jpath p, pi;
	size_t i, n;
	int rc;

	eg__jpath_key(&p, NULL, "items");
	if (!json_is_array(arr))
		return eg__jv_fail(&ps->jv, EG_EINVAL, &p, arr ? "not an array" : "missing");
	n = json_array_size(arr);
	if (n == 0)
		return eg__jv_fail(&ps->jv, EG_EINVAL, &p, "no items");
	if (n > EG__DEAL_CAP_ITEMS)
		return eg__jv_fail(&ps->jv, EG_ETOOBIG, &p, "%zu items, more than the cap of %d", n,
		                   EG__DEAL_CAP_ITEMS);
	items = eg__arena_calloc(ps->jv.arena, n, sizeof(*items));
	if (items == NULL)
		return eg__jv_fail(&ps->jv, EG_ENOMEM, &p, "out of memory");
	for (i = 0; i < n; i++) {
		eg__jpath_idx(&pi, &p, i);
		if ((rc = parse_item(&items[i], ps, json_array_get(arr, i), &pi)) != 0)
			return rc;
	}
	d->items = items;
	d->n_items = n;
	return 0;
}

static int parse_party(eg__deal_party *pa, const parser *ps, const json_t *o,
                       const eg__jpath *p)
{
	static const char *const allowed[] = {"role", "name", "country", "type", NULL};
	int rc;

	if ((rc = eg__jv_object(&ps->jv, o, p, allowed)) != 0 ||
	    (rc = parse_enum(&pa->role, ps, o, p, "role", "role", eg__deal_roles)) != 0 ||
	    (rc = eg__jv_string(&pa->name, &ps->jv, o, p, "name", 1, EG__DEAL_CAP_NAME_BYTES)) != 0 ||
	    (rc = parse_country(pa->country, ps, o, p, "country")) != 0)
		return rc;
	return parse_enum(&pa->type, ps, o, p, "type", "party type", eg__deal_types);
}

static int parse_parties(eg__deal *d, const parser *ps, const json_t *root)
{
	const json_t *arr = json_object_get(root, "parties");
	eg__deal_party *parties;
	eg__jpath p, pi;
	size_t i, n;
	int rc;

	eg__jpath_key(&p, NULL, "parties");
	if (!json_is_array(arr))
		return eg__jv_fail(&ps->jv, EG_EINVAL, &p, arr ? "not an array" : "missing");
	n = json_array_size(arr);
	if (n == 0)
		return eg__jv_fail(&ps->jv, EG_EINVAL, &p, "no parties (a deal names at least its end user)");
	if (n > EG__DEAL_CAP_PARTIES)
		return eg__jv_fail(&ps->jv, EG_ETOOBIG, &p, "%zu parties, more than the cap of %d", n,
		                   EG__DEAL_CAP_PARTIES);
	parties = eg__arena_calloc(ps->jv.arena, n, sizeof(*parties));
	if (parties == NULL)
		return eg__jv_fail(&ps->jv, EG_ENOMEM, &p, "out of memory");
	for (i = 0; i < n; i++) {
		eg__jpath_idx(&pi, &p, i);
		if ((rc = parse_party(&parties[i], ps, json_array_get(arr, i), &pi)) != 0)
			return rc;
	}
	d->parties = parties;
	d->n_parties = n;
	return 0;
}

static int parse_end_use(eg__deal *d, const parser *ps, const json_t *root)
{
	static const char *const allowed[] = {"statements", "flags", NULL};
	const json_t *o = json_object_get(root, "end_use");
	const char **flags, **st;
	eg__jpath p, pf, pfi;
	size_t i;
	int rc;

	eg__jpath_key(&p, NULL, "end_use");
	if (o == NULL)
		return 0;
	if ((rc = eg__jv_object(&ps->jv, o, &p, allowed)) != 0 ||
	    (rc = eg__jv_strings(&st, &d->n_statements, &ps->jv, o, &p, "statements", 0, 0,
	                         EG__DEAL_CAP_STATEMENTS, EG__DEAL_CAP_TEXT_BYTES)) != 0 ||
	    (rc = eg__jv_strings(&flags, &d->n_flags, &ps->jv, o, &p, "flags", 0, 0,
	                         EG__DEAL_CAP_FLAGS, EG__DEAL_CAP_ID_BYTES)) != 0)
		return rc;
	eg__jpath_key(&pf, &p, "flags");
	for (i = 0; i < d->n_flags; i++) {
		if (!eg__items_has_flag(ps->items, flags[i])) {
			eg__jpath_idx(&pfi, &pf, i);
			return eg__jv_fail(&ps->jv, EG_EINVAL, &pfi,
			                   "\"%s\" is not an end-use flag of the item table", flags[i]);
		}
	}
	d->statements = st;
	d->flags = flags;
	return 0;
}

static int parse_root(eg__deal *d, const parser *ps, const json_t *root)
{
	static const char *const allowed[] = {"date", "reference", "exporter", "items",
		"destination", "parties", "end_use", "policies", NULL};
	const char **pol;
	int rc;

	if ((rc = eg__jv_object(&ps->jv, root, NULL, allowed)) != 0 ||
	    (rc = eg__jv_date(d->date, &ps->jv, root, NULL, "date", 1)) != 0 ||
	    (rc = eg__jv_string(&d->reference, &ps->jv, root, NULL, "reference", 0,
	                        EG__DEAL_CAP_TEXT_BYTES)) != 0 ||
	    (rc = parse_exporter(d, ps, root)) != 0 ||
	    (rc = parse_items(d, ps, root)) != 0 ||
	    (rc = parse_country(d->destination, ps, root, NULL, "destination")) != 0 ||
	    (rc = parse_parties(d, ps, root)) != 0 ||
	    (rc = parse_end_use(d, ps, root)) != 0 ||
	    (rc = eg__jv_strings(&pol, &d->n_policies, &ps->jv, root, NULL, "policies", 0, 1,
	                         EG__DEAL_CAP_POLICIES, EG__DEAL_CAP_ID_BYTES)) != 0)
		return rc;
	d->policies = pol;
	return 0;
}

int eg__deal_from_json(eg__deal **out, const json_t *root, const eg__items *items,
                       const eg__iso_codes *iso, eg_error *err)
{
	deal_block *b;
	parser ps;
	int rc;

	*out = NULL;
	b = eg__calloc(1, sizeof(*b));
	if (b == NULL)
		return eg__error_set(err, EG_ENOMEM, "deal: out of memory");
	eg__arena_init(&b->arena, 4096);
	ps.jv.where = "deal";
	ps.jv.arena = &b->arena;
	ps.jv.err = err;
	ps.items = items;
	ps.iso = iso;
	rc = parse_root(&b->pub, &ps, root);
	if (rc != 0) {
		eg__deal_free(&b->pub);
		return rc;
	}
	*out = &b->pub;
	return 0;
}

int eg__deal_parse(eg__deal **out, const char *data, size_t len, const eg__items *items,
                   const eg__iso_codes *iso, eg_error *err)
{
	json_t *root = NULL;
	eg__jv jv = {"deal", NULL, err};
	int rc;

	*out = NULL;
	if ((rc = eg__jv_parse(&root, &jv, data, len, EG__DEAL_CAP_BYTES)) != 0)
		return rc;
	rc = eg__deal_from_json(out, root, items, iso, err);
	json_decref(root);
	return rc;
}
