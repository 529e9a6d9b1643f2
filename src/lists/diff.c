/* diff.c - entity-by-entity comparison of two versions of a list.
 *
 * Each field of an entity is a small multiset of items (names with their
 * kind, programmes, addresses, ...). A field changed when an item of one side
 * has no equal on the other; only then are the differing items formatted
 * into the result's arena, so unchanged entities cost no memory. */
#include "diff.h"
#include "isocountry.h"
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

/* What both sets carry, for the comparison under way: a kind of field one
 * publication never carries (OFAC's sdn.csv alone has no alias, address or
 * country; the legacy CSV has no listing date, the enhanced XML no remarks;
 * the legacy CSV writes no name in a non-Latin script) is not compared, or
 * every entity would look changed. Passed explicitly to keep diff pure. */
typedef struct diff_ctx {
	unsigned carries;        /* EG_CARRIES_* of both sets */
	int remarks, start, end; /* both sets carry the field somewhere */
	int nonlatin;            /* both sets hold a name with a non-ASCII byte */
	const eg__entity_set *from, *to;
} diff_ctx;

static int str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Walks the significant characters of up to four strings in turn: ASCII
 * letters lowered, ASCII digits and every non-ASCII byte kept, the rest
 * (spaces, punctuation) skipped. */
typedef struct sig_iter {
	const char *part[4];
	int k, n;
	const char *p;
} sig_iter;

static void sig_init(sig_iter *it, const char *a, const char *b, const char *c,
                     const char *d)
{
	it->part[0] = a;
	it->part[1] = b;
	it->part[2] = c;
	it->part[3] = d;
	it->n = 4;
	it->k = 0;
	it->p = a;
}

static int sig_next(sig_iter *it)
{
	for (;;) {
		unsigned char c;
		if (it->p == NULL || *it->p == '\0') {
			if (++it->k >= it->n)
				return -1;
			it->p = it->part[it->k];
			continue;
		}
		c = (unsigned char)*it->p++;
		if (c >= 'A' && c <= 'Z')
			return c - 'A' + 'a';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
			return c;
	}
}

static int sig_eq(sig_iter *x, sig_iter *y)
{
	int a, b;

	do {
		a = sig_next(x);
		b = sig_next(y);
		if (a != b)
			return 0;
	} while (a != -1);
	return 1;
}

/* Equal but for case, spaces and punctuation ("Moscow, 119121" is
 * "Moscow 119121"). NULL equals only NULL. */
static int norm_eq(const char *a, const char *b)
{
	sig_iter x, y;

	if (a == NULL || b == NULL)
		return a == b;
	sig_init(&x, a, NULL, NULL, NULL);
	sig_init(&y, b, NULL, NULL, NULL);
	return sig_eq(&x, &y);
}

/* Two country texts name the same country: the same ISO code when both
 * resolve ("Gaza" and "Region: Gaza" are PS), else the same text but for
 * case and punctuation. */
static int country_eq(const char *a, const char *b)
{
	uint16_t x, y;

	if (a == NULL || b == NULL)
		return a == b;
	if (eg__isocountry_code_listed(a, strlen(a), &x) == 0 &&
	    eg__isocountry_code_listed(b, strlen(b), &y) == 0)
		return x == y;
	return norm_eq(a, b);
}

/* The street, city and remarks read as one text (formats split them
 * differently), and the country by country_eq. */
static int address_eq(const eg__address *a, const eg__address *b)
{
	sig_iter x, y;

	if (!country_eq(a->country, b->country))
		return 0;
	sig_init(&x, a->street, a->city, a->remarks, NULL);
	sig_init(&y, b->street, b->city, b->remarks, NULL);
	return sig_eq(&x, &y);
}

static int non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

static int has_key(const eg__entity_set *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n_keys; i++)
		if (strcmp(s->keys[i], key) == 0)
			return 1;
	return 0;
}

/* Whether field f (attribute key for F_ATTR) is compared at all. */
static int compared(const diff_ctx *c, int f, const char *key)
{
	switch (f) {
	case F_TYPE: return 1;
	case F_NAMES: return 1;
	case F_PROGRAMS: return (c->carries & EG_CARRIES_PROGRAMS) != 0;
	case F_COUNTRIES: return (c->carries & EG_CARRIES_COUNTRIES) != 0;
	case F_ADDRESSES: return (c->carries & EG_CARRIES_ADDRESSES) != 0;
	case F_REMARKS: return c->remarks;
	case F_START: return c->start;
	case F_END: return c->end;
	default: /* an attribute, by its key (GCC at -O3 cannot tell it has one) */
		return key != NULL && has_key(c->from, key) && has_key(c->to, key);
	}
}

/* Items of field f of entity e (key for F_ATTR), counting those that
 * included() may still leave out. The countries of an entity are its
 * listed countries and then its addresses' countries: formats differ in
 * which of the two they fill. */
static size_t n_items(const eg__entity *e, int f, const char *key)
{
	size_t i, n = 0;

	switch (f) {
	case F_TYPE: return 1;
	case F_NAMES: return e->n_names;
	case F_PROGRAMS: return e->n_programs;
	case F_COUNTRIES: return (size_t)e->n_countries + e->n_addresses;
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

static const char *country_at(const eg__entity *e, size_t i)
{
	return i < e->n_countries ? e->countries[i] : e->addresses[i - e->n_countries].country;
}

/* Whether item i of field f of e takes part: aliases only when both sets
 * carry aliases, names in a non-Latin script only when both carry such
 * names, an address without a country is no country. */
static int included(const diff_ctx *c, const eg__entity *e, size_t i, int f)
{
	if (f == F_NAMES) {
		if (i > 0 && !(c->carries & EG_CARRIES_ALIASES))
			return 0;
		return c->nonlatin || !non_ascii(e->names[i].text);
	}
	if (f == F_COUNTRIES)
		return country_at(e, i) != NULL;
	return 1;
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
	case F_TYPE: /* a list that gives no type says nothing of it */
		return a->type == b->type || a->type == EG_TYPE_UNKNOWN ||
		       b->type == EG_TYPE_UNKNOWN;
	case F_NAMES:
		return a->names[i].kind == b->names[j].kind && a->names[i].weak == b->names[j].weak &&
		       norm_eq(a->names[i].text, b->names[j].text);
	case F_PROGRAMS: return norm_eq(a->programs[i], b->programs[j]);
	case F_COUNTRIES: return country_eq(country_at(a, i), country_at(b, j));
	case F_ADDRESSES: return address_eq(&a->addresses[i], &b->addresses[j]);
	case F_REMARKS: return norm_eq(a->remarks, b->remarks);
	case F_START: return str_eq(a->start_date, b->start_date);
	case F_END: return str_eq(a->end_date, b->end_date);
	default: return norm_eq(attr_at(a, key, i)->value, attr_at(b, key, j)->value);
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
	case F_COUNTRIES: return eg__arena_strdup(ar, country_at(e, i));
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

/* 1 when an earlier item of a's field equals item i (a country both
 * listed and in an address is one country). */
static int seen_before(const diff_ctx *c, const eg__entity *a, size_t i, int f,
                       const char *key)
{
	size_t k;

	for (k = 0; k < i; k++)
		if (included(c, a, k, f) && item_eq(a, k, a, i, f, key))
			return 1;
	return 0;
}

/* Items of a not equal to any item of b, as text, into *out. Returns the
 * count, or (size_t)-1 when out of memory. count_only: no text. */
static size_t one_side(const diff_ctx *c, eg__arena *ar, const char ***out,
                       const eg__entity *a, const eg__entity *b, int f, const char *key,
                       int count_only)
{
	size_t na = n_items(a, f, key), nb = n_items(b, f, key), i, j, n = 0;
	const char **v = NULL;

	for (i = 0; i < na; i++) {
		if (!included(c, a, i, f) || seen_before(c, a, i, f, key))
			continue;
		for (j = 0; j < nb; j++)
			if (included(c, b, j, f) && item_eq(a, i, b, j, f, key))
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

	if (!compared(c, f, key))
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
		/* an attribute has its key (GCC at -O3 cannot tell) */
		const char *k = key != NULL ? key : "";
		name = eg__arena_alloc(ar, strlen(k) + 6);
		if (name == NULL)
			return EG_ENOMEM;
		memcpy(name, "attr:", 5);
		memcpy(name + 5, k, strlen(k) + 1);
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

/* What a set holds somewhere, beyond eg__entity_set_carries. */
typedef struct holds {
	int remarks, start, end, nonlatin;
} holds;

static holds holds_of(const eg__entity_set *s)
{
	holds h = {0, 0, 0, 0};
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		const eg__entity *e = &s->v[i];
		h.remarks |= e->remarks != NULL;
		h.start |= e->start_date != NULL;
		h.end |= e->end_date != NULL;
		for (j = 0; j < e->n_names && !h.nonlatin; j++)
			h.nonlatin = non_ascii(e->names[j].text);
	}
	return h;
}

/* Appends ", word" (or "word" when first) to the text in buf[0..cap). */
static void list_word(char *buf, size_t cap, const char *word)
{
	size_t n = strlen(buf);

	snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", word);
}

/* Fills c for comparing from with to, and *not_compared (in ar) with the
 * kinds of field one set carries and the other does not. */
static int setup(diff_ctx *c, eg__arena *ar, const char **not_compared,
                 const char *const formats[2], const eg__entity_set *from,
                 const eg__entity_set *to)
{
	static const struct {
		unsigned flag;
		const char *word;
	} kinds[] = {
		{EG_CARRIES_ALIASES, "aliases"}, {EG_CARRIES_ADDRESSES, "addresses"},
		{EG_CARRIES_COUNTRIES, "countries"}, {EG_CARRIES_PROGRAMS, "programs"},
	};
	unsigned cf = eg__entity_set_carries(from), ct = eg__entity_set_carries(to);
	holds hf = holds_of(from), ht = holds_of(to);
	char buf[512] = "";
	size_t k, attrs = 0;

	c->carries = cf & ct;
	/* Most formats fill an entity's countries from its addresses as well
	 * (OFAC's add.csv): with addresses on one side only, the countries are
	 * not the same kind of field either. */
	if ((cf ^ ct) & EG_CARRIES_ADDRESSES)
		c->carries &= ~EG_CARRIES_COUNTRIES;
	/* Each parser composes remarks its own way (the legacy CSV's hold the
	 * dates and features the XML gives as fields): across formats they are
	 * different kinds of field. */
	c->remarks = hf.remarks && ht.remarks && strcmp(formats[0], formats[1]) == 0;
	c->start = hf.start && ht.start;
	c->end = hf.end && ht.end;
	c->nonlatin = hf.nonlatin && ht.nonlatin;
	c->from = from;
	c->to = to;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if ((cf | ct) & ~c->carries & kinds[k].flag)
			list_word(buf, sizeof(buf), kinds[k].word);
	if ((hf.nonlatin || ht.nonlatin) && !c->nonlatin)
		list_word(buf, sizeof(buf), "names in non-Latin scripts");
	if ((hf.start || ht.start) && !c->start)
		list_word(buf, sizeof(buf), "start_date");
	if ((hf.end || ht.end) && !c->end)
		list_word(buf, sizeof(buf), "end_date");
	if ((hf.remarks || ht.remarks) && !c->remarks)
		list_word(buf, sizeof(buf), "remarks");
	for (k = 0; k < from->n_keys; k++)
		attrs += !has_key(to, from->keys[k]);
	for (k = 0; k < to->n_keys; k++)
		attrs += !has_key(from, to->keys[k]);
	if (attrs > 0) {
		char word[64];
		snprintf(word, sizeof(word), "%zu attribute%s", attrs, attrs == 1 ? "" : "s");
		list_word(buf, sizeof(buf), word);
	}
	*not_compared = eg__arena_strdup(ar, buf);
	return *not_compared == NULL ? EG_ENOMEM : 0;
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
	const char *formats[2];
	diff_ctx c;
	int rc;

	out->added = out->removed = out->changed = out->unchanged = 0;
	formats[0] = out->from.format;
	formats[1] = out->to.format;
	if ((rc = setup(&c, ar, &out->not_compared, formats, from, to)) != 0)
		return rc;
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
