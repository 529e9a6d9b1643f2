/* invariants.c - the checker of invariants.h. It recomputes what it checks
 * in the plainest way, independently of the code under test. */
#include "invariants.h"
#include "lists/isocountry.h"
#include "util/date.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unicode/utf8.h>

static int fail(char *why, size_t cap, const eg__entity *e, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	n = (size_t)snprintf(why, cap, "entity %s: ", e != NULL && e->uid != NULL ? e->uid : "-");
	if (n < cap) {
		va_start(ap, fmt);
		vsnprintf(why + n, cap - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int utf8_ok(const char *s)
{
	int32_t i = 0, n = (int32_t)strlen(s);

	while (i < n) {
		UChar32 c;
		U8_NEXT(s, i, n, c);
		if (c < 0)
			return 0;
	}
	return 1;
}

/* NULL, or valid UTF-8. */
static int text_ok(const char *s)
{
	return s == NULL || utf8_ok(s);
}

static int date_ok(const char *s)
{
	return s == NULL || (strlen(s) == 10 && eg__date_valid(s, 10));
}

static int check_arrays(const eg__entity *e, char *why, size_t cap)
{
	if (e->n_names > e->cap_names || e->n_addresses > e->cap_addresses ||
	    e->n_programs > e->cap_programs || e->n_countries > e->cap_countries ||
	    e->n_attrs > e->cap_attrs)
		return fail(why, cap, e, "a count over its capacity");
	if ((e->n_names && !e->names) || (e->n_addresses && !e->addresses) ||
	    (e->n_programs && !e->programs) || (e->n_countries && !e->countries) ||
	    (e->n_attrs && !e->attrs) || (e->n_iso && !e->iso))
		return fail(why, cap, e, "an array with a count is NULL");
	return 0;
}

static int check_strings(const eg__entity *e, char *why, size_t cap)
{
	uint32_t i;

	for (i = 0; i < e->n_names; i++) {
		if (e->names[i].text == NULL || e->names[i].text[0] == '\0')
			return fail(why, cap, e, "name %u empty", (unsigned)i);
		if (!utf8_ok(e->names[i].text))
			return fail(why, cap, e, "name %u not UTF-8", (unsigned)i);
		if (e->names[i].kind > EG__NAME_NKA || e->names[i].weak > 1)
			return fail(why, cap, e, "name %u of kind %u", (unsigned)i, e->names[i].kind);
	}
	for (i = 0; i < e->n_addresses; i++) {
		const eg__address *a = &e->addresses[i];
		if (!text_ok(a->street) || !text_ok(a->city) || !text_ok(a->country) ||
		    !text_ok(a->remarks))
			return fail(why, cap, e, "address %u not UTF-8", (unsigned)i);
	}
	for (i = 0; i < e->n_programs; i++)
		if (e->programs[i] == NULL || !utf8_ok(e->programs[i]))
			return fail(why, cap, e, "program %u NULL or not UTF-8", (unsigned)i);
	for (i = 0; i < e->n_countries; i++)
		if (e->countries[i] == NULL || !utf8_ok(e->countries[i]))
			return fail(why, cap, e, "country %u NULL or not UTF-8", (unsigned)i);
	for (i = 0; i < e->n_attrs; i++)
		if (e->attrs[i].key == NULL || e->attrs[i].value == NULL ||
		    !utf8_ok(e->attrs[i].key) || !utf8_ok(e->attrs[i].value))
			return fail(why, cap, e, "attribute %u NULL or not UTF-8", (unsigned)i);
	if (!text_ok(e->remarks))
		return fail(why, cap, e, "remarks not UTF-8");
	if (!date_ok(e->start_date) || !date_ok(e->end_date))
		return fail(why, cap, e, "a date not YYYY-MM-DD");
	return 0;
}

static int check_entity(const eg__entity_set *s, const eg__entity *e, char *why, size_t cap)
{
	int rc;

	if (e->uid == NULL || e->uid[0] == '\0')
		return fail(why, cap, e, "empty uid");
	if (!utf8_ok(e->uid))
		return fail(why, cap, e, "uid not UTF-8");
	if (eg__entity_set_find(s, e->uid, strlen(e->uid)) != e)
		return fail(why, cap, e, "uid not unique or not found");
	if (e->type < EG_TYPE_INDIVIDUAL || e->type > EG_TYPE_UNKNOWN)
		return fail(why, cap, e, "type %d out of the enum", (int)e->type);
	if ((rc = check_arrays(e, why, cap)) != 0)
		return rc;
	if (e->n_names == 0)
		return fail(why, cap, e, "no name");
	if (e->names[0].kind != EG__NAME_PRIMARY)
		return fail(why, cap, e, "first name not primary");
	return check_strings(e, why, cap);
}

static int check_iso(const eg__entity *e, char *why, size_t cap)
{
	uint32_t i, j;

	if (e->n_iso > (size_t)e->n_countries + e->n_addresses)
		return fail(why, cap, e, "%u ISO codes for %u countries and %u addresses",
		            (unsigned)e->n_iso, (unsigned)e->n_countries, (unsigned)e->n_addresses);
	for (i = 0; i < e->n_iso; i++) {
		char a = EG__ISO_FIRST(e->iso[i]), b = EG__ISO_SECOND(e->iso[i]);
		if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || !eg__isocountry_valid(e->iso[i]))
			return fail(why, cap, e, "ISO code %u is 0x%04x", (unsigned)i,
			            (unsigned)e->iso[i]);
		for (j = 0; j < i; j++)
			if (e->iso[j] == e->iso[i])
				return fail(why, cap, e, "ISO code %c%c twice", a, b);
	}
	return 0;
}

/* The carries flags recomputed field by field (see entity.h). */
static unsigned carries_of(const eg__entity_set *s)
{
	unsigned c = 0;
	size_t i;
	uint32_t j;

	for (i = 0; i < s->n; i++) {
		const eg__entity *e = &s->v[i];
		for (j = 1; j < e->n_names; j++)
			if (!e->names[j].weak)
				c |= EG_CARRIES_ALIASES;
		if (e->n_addresses)
			c |= EG_CARRIES_ADDRESSES;
		if (e->start_date || e->end_date || eg__entity_attr(e, "dob"))
			c |= EG_CARRIES_DATES;
		if (e->n_countries)
			c |= EG_CARRIES_COUNTRIES;
		for (j = 0; j < e->n_addresses; j++)
			if (e->addresses[j].country)
				c |= EG_CARRIES_COUNTRIES;
		if (e->n_programs)
			c |= EG_CARRIES_PROGRAMS;
	}
	return c;
}

int fuzz_check_set(eg__entity_set *s, char *why, size_t cap)
{
	unsigned want, got;
	eg_error err;
	size_t i;
	int rc;

	if (s->n > s->cap || (s->n > 0 && s->v == NULL))
		return fail(why, cap, NULL, "set count %zu over capacity %zu", s->n, s->cap);
	if (!text_ok(s->published) || !date_ok(s->published))
		return fail(why, cap, NULL, "published not YYYY-MM-DD");
	for (i = 0; i < s->n; i++)
		if ((rc = check_entity(s, &s->v[i], why, cap)) != 0)
			return rc;
	memset(&err, 0, sizeof(err));
	if (eg__entity_set_resolve_countries(s, NULL, &err) != 0) {
		snprintf(why, cap, "%s", err.message);
		return -2;
	}
	for (i = 0; i < s->n; i++)
		if ((rc = check_iso(&s->v[i], why, cap)) != 0)
			return rc;
	want = carries_of(s);
	got = eg__entity_set_carries(s);
	if (want != got)
		return fail(why, cap, NULL, "carries 0x%02x, the content 0x%02x", got, want);
	return 0;
}

void fuzz_check_or_abort(int parse_rc, eg__entity_set *s, const char *target)
{
	char why[512];

	if (parse_rc != 0)
		return;
	if (fuzz_check_set(s, why, sizeof(why)) == -1) {
		fprintf(stderr, "%s: invariant broken: %s\n", target, why);
		abort();
	}
}
