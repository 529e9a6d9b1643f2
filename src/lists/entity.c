/* entity.c - the entity model: an arena-backed set with a uid index.
 * Invariant: slots[] holds index+1 of every entity, n_slots is a power of
 * two and at least twice n, so probing always ends at an empty slot. */
#include "entity.h"
#include "isocountry.h"
#include "../util/alloc.h"
#include "../util/caps.h"
#include "../util/error.h"
#include "../util/hash.h"

#include <string.h>

void eg__entity_set_init(eg__entity_set *s)
{
	memset(s, 0, sizeof(*s));
	eg__arena_init(&s->arena, 64 * 1024);
}

void eg__entity_set_free(eg__entity_set *s)
{
	if (s == NULL)
		return;
	eg__arena_clear(&s->arena);
	eg__free(s->slots);
	eg__free(s->v);
	memset(s, 0, sizeof(*s));
}

static size_t slot_of(const eg__entity_set *s, const char *uid, size_t len)
{
	size_t mask = s->n_slots - 1;
	size_t i = (size_t)eg__hash_bytes(uid, len) & mask;

	for (;;) {
		uint32_t v = s->slots[i];
		if (v == 0)
			return i;
		{
			const char *u = s->v[v - 1].uid;
			if (strlen(u) == len && memcmp(u, uid, len) == 0)
				return i;
		}
		i = (i + 1) & mask;
	}
}

static int rehash(eg__entity_set *s)
{
	size_t nslots = s->n_slots ? s->n_slots * 2 : 1024;
	uint32_t *old = s->slots;
	size_t i;

	s->slots = eg__calloc(nslots, sizeof(uint32_t));
	if (s->slots == NULL) {
		s->slots = old;
		return EG_ENOMEM;
	}
	s->n_slots = nslots;
	for (i = 0; i < s->n; i++) {
		const char *u = s->v[i].uid;
		s->slots[slot_of(s, u, strlen(u))] = (uint32_t)(i + 1);
	}
	eg__free(old);
	return 0;
}

eg__entity *eg__entity_set_find(const eg__entity_set *s, const char *uid, size_t uid_len)
{
	size_t i;

	if (s->n_slots == 0)
		return NULL;
	i = slot_of(s, uid, uid_len);
	return s->slots[i] ? &s->v[s->slots[i] - 1] : NULL;
}

int eg__entity_set_reserve(eg__entity_set *s, size_t cap)
{
	size_t bytes;
	eg__entity *nv;

	if (cap <= s->cap)
		return 0;
	if (eg__mul_overflow(&bytes, cap, sizeof(*nv)) != 0 ||
	    (nv = eg__realloc(s->v, bytes)) == NULL)
		return EG_ENOMEM;
	s->v = nv;
	s->cap = cap;
	return 0;
}

eg__entity *eg__entity_set_add(eg__entity_set *s, const char *uid, size_t uid_len, int *dup)
{
	eg__entity *e;
	size_t i;

	if (dup != NULL)
		*dup = 0;
	if (s->n >= EG__CAP_ENTITIES)
		return NULL;
	if ((s->n + 1) * 2 > s->n_slots && rehash(s) != 0)
		return NULL;
	i = slot_of(s, uid, uid_len);
	if (s->slots[i] != 0) {
		if (dup != NULL)
			*dup = 1;
		return NULL;
	}
	if (s->n == s->cap) {
		/* Outside the arena, so growing frees the old array. */
		size_t ncap = s->cap ? s->cap + s->cap / 2 : 64, bytes;
		eg__entity *nv;
		if (eg__mul_overflow(&bytes, ncap, sizeof(*nv)) != 0 ||
		    (nv = eg__realloc(s->v, bytes)) == NULL)
			return NULL;
		s->v = nv;
		s->cap = ncap;
	}
	e = &s->v[s->n];
	memset(e, 0, sizeof(*e));
	e->uid = eg__arena_strndup(&s->arena, uid, uid_len);
	if (e->uid == NULL)
		return NULL;
	e->type = EG_TYPE_ENTITY;
	s->slots[i] = (uint32_t)(s->n + 1);
	s->n++;
	return e;
}

/* Appends one element to an arena array described by (v, n, cap), whose
 * first allocation holds `first` elements (most entities have one name and
 * one address: no room is set aside for more until it is needed). */
#define ENTITY_PUSH_FROM(s, v, n, cap, elem, first)                          \
	do {                                                                     \
		if ((n) == (cap)) {                                                  \
			size_t c_ = (cap) ? (size_t)(cap) : (size_t)(first) / 2;         \
			void *nv_;                                                       \
			if ((cap) >= UINT32_MAX / 2)                                     \
				return EG_ETOOBIG;                                           \
			if (c_ == 0) {                                                   \
				nv_ = eg__arena_calloc(&(s)->arena, 1, sizeof(*(v)));        \
				c_ = 1;                                                      \
			} else {                                                         \
				nv_ = eg__arena_grow(&(s)->arena, (v), (n), &c_,             \
				                     sizeof(*(v)));                          \
			}                                                                \
			if (nv_ == NULL)                                                 \
				return EG_ENOMEM;                                            \
			(v) = nv_;                                                       \
			(cap) = (uint32_t)c_;                                            \
		}                                                                    \
		(v)[(n)++] = (elem);                                                 \
	} while (0)
#define ENTITY_PUSH(s, v, n, cap, elem) ENTITY_PUSH_FROM(s, v, n, cap, elem, 1)

/* The bytes of a control character at text[i] (C0, DEL, or C1 as U+0080..
 * U+009F in UTF-8), 0 for any other. */
static size_t control_at(const char *text, size_t i, size_t len)
{
	unsigned char c = (unsigned char)text[i];

	if (c < 0x20 || c == 0x7f)
		return 1;
	if (c == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] >= 0x80 &&
	    (unsigned char)text[i + 1] <= 0x9F)
		return 2;
	return 0;
}

static int has_control(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (control_at(text, i, len))
			return 1;
	return 0;
}

/* Copies text into out (len + 1 bytes), each run of spaces and control
 * characters that holds a control character made one space (runs of spaces
 * alone stay as they are). A name a list wraps over lines (the UN list's
 * original-script names) or that holds a stray C1 control (a Windows-1252
 * quote decoded as Latin-1, in the CSL) is then one line of text to the
 * normaliser, which refuses control characters: the index would leave the
 * name out, and screening would never find it. Returns the copy's length
 * (>= 1 when len >= 1). */
static size_t one_line(char *out, const char *text, size_t len)
{
	size_t i = 0, j, k, w = 0;

	while (i < len) {
		int controls = 0;
		for (j = i; j < len; j += k) {
			if (text[j] == ' ')
				k = 1;
			else if ((k = control_at(text, j, len)) != 0)
				controls = 1;
			else
				break;
		}
		if (j == i) {
			out[w++] = text[i++];
		} else if (controls) {
			out[w++] = ' ';
			i = j;
		} else {
			memcpy(out + w, text + i, j - i);
			w += j - i;
			i = j;
		}
	}
	out[w] = '\0';
	return w;
}

int eg__entity_add_name(eg__entity_set *s, eg__entity *e, const char *text, size_t len,
                        eg__name_kind kind, int weak)
{
	eg__name n;
	char *copy = NULL;
	size_t i;

	if (len == 0)
		return 0;
	if (has_control(text, len)) {
		if ((copy = eg__arena_alloc(&s->arena, len + 1)) == NULL)
			return EG_ENOMEM;
		len = one_line(copy, text, len);
		text = copy;
	}
	for (i = 0; i < e->n_names; i++)
		if (strlen(e->names[i].text) == len && memcmp(e->names[i].text, text, len) == 0)
			return 0;
	if (e->n_names >= EG__CAP_NAMES_PER_ENTITY)
		return EG_ETOOBIG;
	n.text = copy != NULL ? copy : eg__arena_strndup(&s->arena, text, len);
	if (n.text == NULL)
		return EG_ENOMEM;

	n.kind = (uint8_t)kind;
	n.weak = weak ? 1 : 0;
	ENTITY_PUSH(s, e->names, e->n_names, e->cap_names, n);
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int eg__entity_add_names_split(eg__entity_set *s, eg__entity *e, const char *text,
                               size_t len, eg__name_kind kind, int weak)
{
	size_t pos = 0;
	int rc;

	while (pos < len) {
		const char *p = text + pos, *semi = memchr(p, ';', len - pos);
		size_t n = semi != NULL ? (size_t)(semi - p) : len - pos;

		pos += n + (semi != NULL);
		while (n > 0 && is_space(p[0])) {
			p++;
			n--;
		}
		while (n > 0 && is_space(p[n - 1]))
			n--;
		if ((rc = eg__entity_add_name(s, e, p, n, kind, weak)) != 0)
			return rc;
	}
	return 0;
}

static const char *dup_opt(eg__entity_set *s, const char *text, int *oom)
{
	char *p;

	if (text == NULL || text[0] == '\0')
		return NULL;
	p = eg__arena_strdup(&s->arena, text);
	if (p == NULL)
		*oom = 1;
	return p;
}

int eg__entity_add_address(eg__entity_set *s, eg__entity *e, const eg__address *a)
{
	eg__address c;
	int oom = 0;

	c.street = dup_opt(s, a->street, &oom);
	c.city = dup_opt(s, a->city, &oom);
	c.country = dup_opt(s, a->country, &oom);
	c.remarks = dup_opt(s, a->remarks, &oom);
	if (oom)
		return EG_ENOMEM;
	if (!c.street && !c.city && !c.country && !c.remarks)
		return 0;
	ENTITY_PUSH(s, e->addresses, e->n_addresses, e->cap_addresses, c);
	return 0;
}

static int push_unique(eg__entity_set *s, const char ***v, uint32_t *n, uint32_t *cap,
                       const char *text, size_t len)
{
	const char *p;
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < *n; i++)
		if (strlen((*v)[i]) == len && memcmp((*v)[i], text, len) == 0)
			return 0;
	p = eg__arena_strndup(&s->arena, text, len);
	if (p == NULL)
		return EG_ENOMEM;
	ENTITY_PUSH(s, *v, *n, *cap, p);
	return 0;
}

int eg__entity_add_program(eg__entity_set *s, eg__entity *e, const char *text, size_t len)
{
	return push_unique(s, &e->programs, &e->n_programs, &e->cap_programs, text, len);
}

int eg__entity_add_country(eg__entity_set *s, eg__entity *e, const char *text, size_t len)
{
	return push_unique(s, &e->countries, &e->n_countries, &e->cap_countries, text, len);
}

int eg__entity_add_attr(eg__entity_set *s, eg__entity *e, const char *key,
                        const char *value, size_t len)
{
	eg__attr a;

	size_t i;

	if (len == 0)
		return 0;
	/* Keys repeat on every entity: one copy each per set. */
	a.key = NULL;
	for (i = 0; i < s->n_keys; i++)
		if (strcmp(s->keys[i], key) == 0)
			a.key = s->keys[i];
	if (a.key == NULL) {
		const char *k = eg__arena_strdup(&s->arena, key);
		if (k == NULL)
			return EG_ENOMEM;
		if (s->n_keys == s->cap_keys) {
			const char **nk = eg__arena_grow(&s->arena, s->keys, s->n_keys, &s->cap_keys,
			                                 sizeof(*nk));
			if (nk == NULL)
				return EG_ENOMEM;
			s->keys = nk;
		}
		s->keys[s->n_keys++] = k;
		a.key = k;
	}
	a.value = eg__arena_strndup(&s->arena, value, len);
	if (a.key == NULL || a.value == NULL)
		return EG_ENOMEM;
	ENTITY_PUSH_FROM(s, e->attrs, e->n_attrs, e->cap_attrs, a, 4);
	return 0;
}

int eg__entity_set_str(eg__entity_set *s, const char **field, const char *text, size_t len)
{
	const char *p = eg__arena_strndup(&s->arena, text, len);

	if (p == NULL)
		return EG_ENOMEM;
	*field = p;
	return 0;
}

const char *eg__entity_attr(const eg__entity *e, const char *key)
{
	size_t i;

	for (i = 0; i < e->n_attrs; i++)
		if (strcmp(e->attrs[i].key, key) == 0)
			return e->attrs[i].value;
	return NULL;
}

/* Adds code to e->iso[0..n_iso) unless present; the array has room for
 * every country and address of e. */
static void add_iso(eg__entity *e, uint16_t code)
{
	uint32_t i;

	for (i = 0; i < e->n_iso; i++)
		if (e->iso[i] == code)
			return;
	e->iso[e->n_iso++] = code;
}

static int resolve_entity(eg__entity_set *s, eg__entity *e, size_t *unresolved)
{
	size_t room = (size_t)e->n_countries + e->n_addresses, i;
	uint16_t code;

	e->iso = NULL;
	e->n_iso = 0;
	if (room == 0)
		return 0;
	e->iso = eg__arena_alloc(&s->arena, room * sizeof(*e->iso));
	if (e->iso == NULL)
		return EG_ENOMEM;
	for (i = 0; i < room; i++) {
		const char *t = i < e->n_countries ? e->countries[i]
		                                   : e->addresses[i - e->n_countries].country;
		if (t == NULL)
			continue;
		if (eg__isocountry_code_listed(t, strlen(t), &code) == 0)
			add_iso(e, code);
		else
			(*unresolved)++;
	}
	if (e->n_iso == 0)
		e->iso = NULL;
	return 0;
}

int eg__entity_set_resolve_countries(eg__entity_set *s, size_t *unresolved, eg_error *err)
{
	return eg__entity_set_resolve_countries_from(s, 0, unresolved, err);
}

int eg__entity_set_resolve_countries_from(eg__entity_set *s, size_t first, size_t *unresolved,
                                          eg_error *err)
{
	size_t i, missed = 0;

	for (i = first; i < s->n; i++)
		if (resolve_entity(s, &s->v[i], &missed) != 0)
			return eg__error_set(err, EG_ENOMEM,
			                     "resolving the countries of entity %s: out of memory",
			                     s->v[i].uid);
	if (unresolved != NULL)
		*unresolved = missed;
	return 0;
}

/* A name beyond the primary one that is not weak: weak aliases are read
 * from remarks, which even a publication without an alias file has. */
static int has_alias(const eg__entity *e)
{
	uint32_t i;

	for (i = 1; i < e->n_names; i++)
		if (!e->names[i].weak)
			return 1;
	return 0;
}

static unsigned carries_of(const eg__entity *e)
{
	unsigned c = 0;
	uint32_t i;

	if (has_alias(e))
		c |= EG_CARRIES_ALIASES;
	if (e->n_addresses > 0)
		c |= EG_CARRIES_ADDRESSES;
	if (e->start_date != NULL || e->end_date != NULL || eg__entity_attr(e, "dob") != NULL)
		c |= EG_CARRIES_DATES;
	if (e->n_countries > 0)
		c |= EG_CARRIES_COUNTRIES;
	for (i = 0; i < e->n_addresses && !(c & EG_CARRIES_COUNTRIES); i++)
		if (e->addresses[i].country != NULL)
			c |= EG_CARRIES_COUNTRIES;
	if (e->n_programs > 0)
		c |= EG_CARRIES_PROGRAMS;
	return c;
}

unsigned eg__entity_set_carries(const eg__entity_set *s)
{
	unsigned c = 0;
	size_t i;

	for (i = 0; i < s->n && c != EG_CARRIES_ALL; i++)
		c |= carries_of(&s->v[i]);
	return c;
}

size_t eg__entity_set_names(const eg__entity_set *s)
{
	size_t i, total = 0;

	for (i = 0; i < s->n; i++)
		total += s->v[i].n_names;
	return total;
}

const char *eg__name_kind_str(eg__name_kind kind)
{
	switch (kind) {
	case EG__NAME_PRIMARY: return "primary";
	case EG__NAME_AKA: return "aka";
	case EG__NAME_FKA: return "fka";
	case EG__NAME_NKA: return "nka";
	}
	return "aka";
}
