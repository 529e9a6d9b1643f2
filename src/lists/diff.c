/* diff.c - entity-by-entity comparison of two versions of a list.
 *
 * Each field of an entity is a small multiset of items (names with their
 * kind, programmes, addresses, ...). A field changed when an item of one side
 * has no equal on the other; only then are the differing items formatted
 * into the result's arena, so unchanged entities cost no memory. */
#include "diff.h"
#include "../util/alloc.h"

#include <stdio.h>
#include <string.h>

enum {
	F_TYPE, F_NAMES, F_PROGRAMS, F_COUNTRIES, F_ADDRESSES, F_REMARKS, F_START, F_END,
	F_ATTR, /* one per distinct attribute key */
	N_FIXED = F_ATTR
};

static const char *const field_names[] = {
	"type", "names", "programs", "countries", "addresses", "remarks", "start_date",
	"end_date",
};

/* Fields a whole publication may lack (OFAC's sdn.csv alone has no alias,
 * address or country file): such a field is compared only when both sets
 * carry it somewhere, or every entity would look changed. */
#define COVER_ALIASES 1
#define COVER_ADDRESSES 2

static unsigned coverage(const eg__entity_set *s)
{
	unsigned c = 0;
	size_t i, j;

	for (i = 0; i < s->n && c != (COVER_ALIASES | COVER_ADDRESSES); i++) {
		if (s->v[i].n_addresses > 0)
			c |= COVER_ADDRESSES;
		for (j = 1; j < s->v[i].n_names; j++)
			if (!s->v[i].names[j].weak)
				c |= COVER_ALIASES;
	}
	return c;
}

/* Set by eg__diff_sets for the comparison under way: the names field is
 * then the primary name alone. Passed explicitly to keep diff pure. */
typedef struct diff_ctx {
	unsigned cover;
} diff_ctx;

static int str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Items of field f of entity e (key for F_ATTR). */
static size_t n_items(const diff_ctx *c, const eg__entity *e, int f, const char *key)
{
	size_t i, n = 0;

	switch (f) {
	case F_TYPE: return 1;
	case F_NAMES: return (c->cover & COVER_ALIASES) ? e->n_names : e->n_names > 0;
	case F_PROGRAMS: return e->n_programs;
	case F_COUNTRIES: return e->n_countries;
	case F_ADDRESSES: return e->n_addresses;
	case F_REMARKS: return e->remarks != NULL;
	case F_START: return e->start_date != NULL;
	case F_END: return e->end_date != NULL;
	default:
		for (i = 0; i < e->n_attrs; i++)
			n += strcmp(e->attrs[i].key, key) == 0;
		return n;
	}
}

/* The i-th attribute of e with this key. */
static const eg__attr *attr_at(const eg__entity *e, const char *key, size_t i)
{
	size_t k;

	for (k = 0; k < e->n_attrs; k++)
		if (strcmp(e->attrs[k].key, key) == 0 && i-- == 0)
			return &e->attrs[k];
	return NULL;
}

static int item_eq(const eg__entity *a, size_t i, const eg__entity *b, size_t j, int f,
                   const char *key)
{
	switch (f) {
	case F_TYPE: return a->type == b->type;
	case F_NAMES:
		return a->names[i].kind == b->names[j].kind && a->names[i].weak == b->names[j].weak &&
		       strcmp(a->names[i].text, b->names[j].text) == 0;
	case F_PROGRAMS: return strcmp(a->programs[i], b->programs[j]) == 0;
	case F_COUNTRIES: return strcmp(a->countries[i], b->countries[j]) == 0;
	case F_ADDRESSES: {
		const eg__address *x = &a->addresses[i], *y = &b->addresses[j];
		return str_eq(x->street, y->street) && str_eq(x->city, y->city) &&
		       str_eq(x->country, y->country) && str_eq(x->remarks, y->remarks);
	}
	case F_REMARKS: return str_eq(a->remarks, b->remarks);
	case F_START: return str_eq(a->start_date, b->start_date);
	case F_END: return str_eq(a->end_date, b->end_date);
	default: return strcmp(attr_at(a, key, i)->value, attr_at(b, key, j)->value) == 0;
	}
}

/* Item i of field f as text, in the arena. */
static const char *item_text(eg__arena *ar, const eg__entity *e, size_t i, int f,
                             const char *key)
{
	char buf[64];

	switch (f) {
	case F_TYPE: return eg_type_name(e->type);
	case F_NAMES: {
		const eg__name *n = &e->names[i];
		size_t len = strlen(n->text);
		char *p;
		if (n->kind == EG__NAME_PRIMARY && !n->weak)
			return eg__arena_strdup(ar, n->text);
		snprintf(buf, sizeof(buf), " [%s%s]", eg__name_kind_str((eg__name_kind)n->kind),
		         n->weak ? ", weak" : "");
		p = eg__arena_alloc(ar, len + strlen(buf) + 1);
		if (p != NULL) {
			memcpy(p, n->text, len);
			memcpy(p + len, buf, strlen(buf) + 1);
		}
		return p;
	}
	case F_PROGRAMS: return eg__arena_strdup(ar, e->programs[i]);
	case F_COUNTRIES: return eg__arena_strdup(ar, e->countries[i]);
	case F_ADDRESSES: {
		const eg__address *a = &e->addresses[i];
		const char *parts[4] = {a->street, a->city, a->country, a->remarks};
		size_t k, len = 0;
		char *p, *w;
		for (k = 0; k < 4; k++)
			len += parts[k] ? strlen(parts[k]) + 2 : 0;
		p = w = eg__arena_alloc(ar, len + 1);
		if (p == NULL)
			return NULL;
		for (k = 0; k < 4; k++) {
			if (parts[k] == NULL)
				continue;
			if (w != p) {
				memcpy(w, ", ", 2);
				w += 2;
			}
			memcpy(w, parts[k], strlen(parts[k]));
			w += strlen(parts[k]);
		}
		*w = '\0';
		return p;
	}
	case F_REMARKS: return eg__arena_strdup(ar, e->remarks);
	case F_START: return eg__arena_strdup(ar, e->start_date);
	case F_END: return eg__arena_strdup(ar, e->end_date);
	default: return eg__arena_strdup(ar, attr_at(e, key, i)->value);
	}
}

/* Items of a not equal to any item of b, as text, into *out. Returns the
 * count, or (size_t)-1 when out of memory. count_only: no text. */
static size_t one_side(const diff_ctx *c, eg__arena *ar, const char ***out,
                       const eg__entity *a, const eg__entity *b, int f, const char *key,
                       int count_only)
{
	size_t na = n_items(c, a, f, key), nb = n_items(c, b, f, key), i, j, n = 0;
	const char **v = NULL;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (item_eq(a, i, b, j, f, key))
				break;
		if (j < nb)
			continue;
		if (!count_only) {
			if (v == NULL && (v = eg__arena_calloc(ar, na, sizeof(*v))) == NULL)
				return (size_t)-1;
			if ((v[n] = item_text(ar, a, i, f, key)) == NULL)
				return (size_t)-1;
		}
		n++;
	}
	if (out != NULL)
		*out = v;
	return n;
}

/* Appends the field's change to *fields if it changed. */
static int diff_field(const diff_ctx *c, eg__arena *ar, eg_diff_field **fields, size_t *n,
                      size_t *cap, const eg__entity *from, const eg__entity *to, int f,
                      const char *key)
{
	eg_diff_field d;
	const char **removed, **added;
	char *name;

	if ((f == F_ADDRESSES || f == F_COUNTRIES) && !(c->cover & COVER_ADDRESSES))
		return 0;
	if (one_side(c, ar, NULL, from, to, f, key, 1) == 0 &&
	    one_side(c, ar, NULL, to, from, f, key, 1) == 0)
		return 0;
	d.n_removed = one_side(c, ar, &removed, from, to, f, key, 0);
	d.n_added = one_side(c, ar, &added, to, from, f, key, 0);
	if (d.n_removed == (size_t)-1 || d.n_added == (size_t)-1)
		return EG_ENOMEM;
	d.removed = removed;
	d.added = added;
	if (f < N_FIXED) {
		d.field = field_names[f];
	} else {
		name = eg__arena_alloc(ar, strlen(key) + 6);
		if (name == NULL)
			return EG_ENOMEM;
		memcpy(name, "attr:", 5);
		memcpy(name + 5, key, strlen(key) + 1);
		d.field = name;
	}
	if (*n == *cap) {
		eg_diff_field *nv = eg__arena_grow(ar, *fields, *n, cap, sizeof(*nv));
		if (nv == NULL)
			return EG_ENOMEM;
		*fields = nv;
	}
	(*fields)[(*n)++] = d;
	return 0;
}

static int seen_key(const eg__entity *e, size_t upto, const char *key)
{
	size_t k;

	for (k = 0; k < upto; k++)
		if (strcmp(e->attrs[k].key, key) == 0)
			return 1;
	return 0;
}

/* The changed fields of one entity, in *out (n_fields 0 when unchanged). */
static int diff_entity(const diff_ctx *c, eg__arena *ar, eg_diff_entry *out,
                       const eg__entity *from, const eg__entity *to)
{
	eg_diff_field *fields = NULL;
	size_t n = 0, cap = 0, k;
	int f, rc;

	for (f = 0; f < N_FIXED; f++)
		if ((rc = diff_field(c, ar, &fields, &n, &cap, from, to, f, NULL)) != 0)
			return rc;
	/* every attribute key of either side, once */
	for (k = 0; k < to->n_attrs; k++)
		if (!seen_key(to, k, to->attrs[k].key) &&
		    (rc = diff_field(c, ar, &fields, &n, &cap, from, to, F_ATTR,
		                     to->attrs[k].key)) != 0)
			return rc;
	for (k = 0; k < from->n_attrs; k++)
		if (!seen_key(from, k, from->attrs[k].key) &&
		    eg__entity_attr(to, from->attrs[k].key) == NULL &&
		    (rc = diff_field(c, ar, &fields, &n, &cap, from, to, F_ATTR,
		                     from->attrs[k].key)) != 0)
			return rc;
	out->fields = fields;
	out->n_fields = n;
	return 0;
}

static int push_entry(eg__arena *ar, eg_diff_entry **v, size_t *n, size_t *cap,
                      const eg_diff_entry *e)
{
	if (*n == *cap) {
		eg_diff_entry *nv = eg__arena_grow(ar, *v, *n, cap, sizeof(*nv));
		if (nv == NULL)
			return EG_ENOMEM;
		*v = nv;
	}
	(*v)[(*n)++] = *e;
	return 0;
}

static const char *primary(const eg__entity *e)
{
	return e->n_names > 0 ? e->names[0].text : "";
}

int eg__diff_sets(eg_diff *out, eg__arena *ar, const eg__entity_set *from,
                  const eg__entity_set *to)
{
	eg_diff_entry *v = NULL;
	size_t n = 0, cap = 0, i;
	diff_ctx c;
	int rc;

	out->added = out->removed = out->changed = out->unchanged = 0;
	c.cover = coverage(from) & coverage(to);
	out->not_compared = (c.cover & COVER_ALIASES)
	    ? ((c.cover & COVER_ADDRESSES) ? "" : "addresses, countries")
	    : ((c.cover & COVER_ADDRESSES) ? "aliases" : "aliases, addresses, countries");
	for (i = 0; i < to->n; i++) {
		const eg__entity *t = &to->v[i];
		const eg__entity *f = eg__entity_set_find(from, t->uid, strlen(t->uid));
		eg_diff_entry e;

		memset(&e, 0, sizeof(e));
		if (f == NULL) {
			e.kind = EG_DIFF_ADDED;
			out->added++;
		} else {
			if ((rc = diff_entity(&c, ar, &e, f, t)) != 0)
				return rc;
			if (e.n_fields == 0) {
				out->unchanged++;
				continue;
			}
			e.kind = EG_DIFF_CHANGED;
			out->changed++;
		}
		e.uid = eg__arena_strdup(ar, t->uid);
		e.name = eg__arena_strdup(ar, primary(t));
		if (e.uid == NULL || e.name == NULL || push_entry(ar, &v, &n, &cap, &e) != 0)
			return EG_ENOMEM;
	}
	for (i = 0; i < from->n; i++) {
		const eg__entity *f = &from->v[i];
		eg_diff_entry e;

		if (eg__entity_set_find(to, f->uid, strlen(f->uid)) != NULL)
			continue;
		memset(&e, 0, sizeof(e));
		e.kind = EG_DIFF_REMOVED;
		e.uid = eg__arena_strdup(ar, f->uid);
		e.name = eg__arena_strdup(ar, primary(f));
		if (e.uid == NULL || e.name == NULL || push_entry(ar, &v, &n, &cap, &e) != 0)
			return EG_ENOMEM;
		out->removed++;
	}
	out->entries = v;
	out->count = n;
	return 0;
}
