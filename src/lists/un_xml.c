/* un_xml.c - the UN Security Council consolidated list (CONSOLIDATED_LIST XML).
 *
 * Mapping: uid = REFERENCE_NUMBER ("QDi.001"; unique in the published list,
 * unlike nothing else that is stable across versions); primary name =
 * FIRST_NAME .. FOURTH_NAME joined by single spaces, in that order, as the
 * UN writes it; NAME_ORIGINAL_SCRIPT is a strong a.k.a.; an ALIAS_NAME or
 * NAME_ORIGINAL_SCRIPT holding several names "A; B; C" (27 aliases of the
 * 2026-02 list) gives one name each, and so does a primary name (the
 * first is the primary one); an alias of
 * QUALITY "Low" is weak, "f.k.a." is a former name, every other quality a
 * strong a.k.a.; programs = UN_LIST_TYPE; countries = NATIONALITY values
 * and address countries; start_date = LISTED_ON; published = the date part
 * of CONSOLIDATED_LIST/@dateGenerated. */
#include "xml_formats.h"
#include "xmlread.h"
#include "../util/alloc.h"
#include "../util/date.h"
#include "../util/error.h"

#include <stddef.h>
#include <string.h>

enum {
	T_NONE = 0, T_ROOT, T_INDIVIDUALS, T_ENTITIES, T_INDIVIDUAL, T_ENTITY,
	/* leaves of a record */
	T_DATAID, T_VERSIONNUM, T_NAME1, T_NAME2, T_NAME3, T_NAME4, T_UN_LIST_TYPE,
	T_REF, T_LISTED_ON, T_ORIGINAL, T_COMMENTS, T_GENDER, T_SUBMITTED_BY,
	T_SORT_KEY, T_SORT_KEY_LAST_MOD,
	/* VALUE lists */
	T_NATIONALITY, T_NATIONALITY_V, T_LIST_TYPE, T_LIST_TYPE_V, T_LAST_DAY,
	T_LAST_DAY_V, T_TITLE, T_TITLE_V, T_DESIGNATION, T_DESIGNATION_V,
	/* groups and their fields */
	T_ALIAS, T_AL_QUALITY, T_AL_NAME, T_AL_NOTE, T_AL_DOB, T_AL_CITY_OF_BIRTH,
	T_AL_COUNTRY_OF_BIRTH,
	T_ADDR, T_AD_STREET, T_AD_CITY, T_AD_STATE, T_AD_ZIP, T_AD_COUNTRY, T_AD_NOTE,
	T_DOB, T_DOB_TYPE, T_DOB_DATE, T_DOB_YEAR, T_DOB_FROM, T_DOB_TO, T_DOB_NOTE,
	T_POB, T_POB_STREET, T_POB_CITY, T_POB_STATE, T_POB_ZIP, T_POB_COUNTRY, T_POB_NOTE,
	T_DOC, T_DOC_TYPE, T_DOC_TYPE2, T_DOC_NUMBER, T_DOC_ISSUING_COUNTRY,
	T_DOC_COUNTRY_OF_ISSUE, T_DOC_DATE_OF_ISSUE, T_DOC_CITY_OF_ISSUE, T_DOC_NOTE
};

/* The record children shared by INDIVIDUAL and ENTITY, listed under both. */
#define RECORD_CHILDREN(P, PFX)                                                   \
	{P, "DATAID", T_DATAID}, {P, "VERSIONNUM", T_VERSIONNUM},                     \
	{P, "FIRST_NAME", T_NAME1}, {P, "SECOND_NAME", T_NAME2},                      \
	{P, "THIRD_NAME", T_NAME3}, {P, "FOURTH_NAME", T_NAME4},                      \
	{P, "UN_LIST_TYPE", T_UN_LIST_TYPE}, {P, "REFERENCE_NUMBER", T_REF},          \
	{P, "LISTED_ON", T_LISTED_ON}, {P, "NAME_ORIGINAL_SCRIPT", T_ORIGINAL},       \
	{P, "COMMENTS1", T_COMMENTS}, {P, "GENDER", T_GENDER},                        \
	{P, "SUBMITTED_BY", T_SUBMITTED_BY}, {P, "SORT_KEY", T_SORT_KEY},             \
	{P, "SORT_KEY_LAST_MOD", T_SORT_KEY_LAST_MOD},                                \
	{P, "NATIONALITY", T_NATIONALITY}, {P, "LIST_TYPE", T_LIST_TYPE},             \
	{P, "LAST_DAY_UPDATED", T_LAST_DAY}, {P, "TITLE", T_TITLE},                   \
	{P, "DESIGNATION", T_DESIGNATION},                                            \
	{P, PFX "_ALIAS", T_ALIAS}, {P, PFX "_ADDRESS", T_ADDR}

static const eg__xr_known known[] = {
	{T_NONE, "CONSOLIDATED_LIST", T_ROOT},
	{T_ROOT, "INDIVIDUALS", T_INDIVIDUALS},
	{T_ROOT, "ENTITIES", T_ENTITIES},
	{T_INDIVIDUALS, "INDIVIDUAL", T_INDIVIDUAL},
	{T_ENTITIES, "ENTITY", T_ENTITY},
	RECORD_CHILDREN(T_INDIVIDUAL, "INDIVIDUAL"),
	RECORD_CHILDREN(T_ENTITY, "ENTITY"),
	{T_INDIVIDUAL, "INDIVIDUAL_DATE_OF_BIRTH", T_DOB},
	{T_INDIVIDUAL, "INDIVIDUAL_PLACE_OF_BIRTH", T_POB},
	{T_INDIVIDUAL, "INDIVIDUAL_DOCUMENT", T_DOC},
	{T_NATIONALITY, "VALUE", T_NATIONALITY_V},
	{T_LIST_TYPE, "VALUE", T_LIST_TYPE_V},
	{T_LAST_DAY, "VALUE", T_LAST_DAY_V},
	{T_TITLE, "VALUE", T_TITLE_V},
	{T_DESIGNATION, "VALUE", T_DESIGNATION_V},
	{T_ALIAS, "QUALITY", T_AL_QUALITY},
	{T_ALIAS, "ALIAS_NAME", T_AL_NAME},
	{T_ALIAS, "NOTE", T_AL_NOTE},
	{T_ALIAS, "DATE_OF_BIRTH", T_AL_DOB},
	{T_ALIAS, "CITY_OF_BIRTH", T_AL_CITY_OF_BIRTH},
	{T_ALIAS, "COUNTRY_OF_BIRTH", T_AL_COUNTRY_OF_BIRTH},
	{T_ADDR, "STREET", T_AD_STREET},
	{T_ADDR, "CITY", T_AD_CITY},
	{T_ADDR, "STATE_PROVINCE", T_AD_STATE},
	{T_ADDR, "ZIP_CODE", T_AD_ZIP},
	{T_ADDR, "COUNTRY", T_AD_COUNTRY},
	{T_ADDR, "NOTE", T_AD_NOTE},
	{T_DOB, "TYPE_OF_DATE", T_DOB_TYPE},
	{T_DOB, "DATE", T_DOB_DATE},
	{T_DOB, "YEAR", T_DOB_YEAR},
	{T_DOB, "FROM_YEAR", T_DOB_FROM},
	{T_DOB, "TO_YEAR", T_DOB_TO},
	{T_DOB, "NOTE", T_DOB_NOTE},
	{T_POB, "STREET", T_POB_STREET},
	{T_POB, "CITY", T_POB_CITY},
	{T_POB, "STATE_PROVINCE", T_POB_STATE},
	{T_POB, "ZIP_CODE", T_POB_ZIP},
	{T_POB, "COUNTRY", T_POB_COUNTRY},
	{T_POB, "NOTE", T_POB_NOTE},
	{T_DOC, "TYPE_OF_DOCUMENT", T_DOC_TYPE},
	{T_DOC, "TYPE_OF_DOCUMENT2", T_DOC_TYPE2},
	{T_DOC, "NUMBER", T_DOC_NUMBER},
	{T_DOC, "ISSUING_COUNTRY", T_DOC_ISSUING_COUNTRY},
	{T_DOC, "COUNTRY_OF_ISSUE", T_DOC_COUNTRY_OF_ISSUE},
	{T_DOC, "DATE_OF_ISSUE", T_DOC_DATE_OF_ISSUE},
	{T_DOC, "CITY_OF_ISSUE", T_DOC_CITY_OF_ISSUE},
	{T_DOC, "NOTE", T_DOC_NOTE},
};

/* The fields of the group (alias, address, date or place of birth,
 * document) being read; reset at the group's start. */
typedef struct group {
	const char *a, *b, *c, *d, *e, *f;
} group;

typedef struct un_state {
	eg__xr r;
	eg__xr_entity p;
	const char *part[4]; /* FIRST_NAME .. FOURTH_NAME */
	group g;
} un_state;

static const char *const markers[] = {"<CONSOLIDATED_LIST", NULL};

/* Keeps the current text in *out (NULL when empty). */
static int keep(un_state *st, const char **out)
{
	return eg__xr_keep(&st->p, out, st->r.text, st->r.text_len);
}

static int attr(un_state *st, const char *key, const char *value)
{
	if (value == NULL)
		return 0;
	return eg__entity_add_attr(&st->p.scratch, &st->p.e, key, value, strlen(value));
}

static int add_alias(un_state *st)
{
	const char *quality = st->g.a, *name = st->g.b;
	eg__name_kind kind = EG__NAME_AKA;
	int weak = 0;

	if (name == NULL)
		return 0;
	if (quality == NULL || strcmp(quality, "Good") == 0 || strcmp(quality, "a.k.a.") == 0)
		kind = EG__NAME_AKA;
	else if (strcmp(quality, "Low") == 0)
		weak = 1;
	else if (strcmp(quality, "f.k.a.") == 0)
		kind = EG__NAME_FKA;
	else if (strcmp(quality, "n.k.a.") == 0)
		kind = EG__NAME_NKA;
	else
		eg__xr_warn_once(&st->r, quality, "%s: unknown alias QUALITY \"%s\" read as a.k.a.",
		                 eg__xr_path(&st->r), quality);
	return eg__entity_add_names_split(&st->p.scratch, &st->p.e, name, strlen(name), kind,
	                                  weak);
}

static int add_address(un_state *st)
{
	eg__address a;
	const char *city = NULL;
	int rc;

	/* a street, b city, c state, d zip, e country, f note */
	if ((rc = eg__xr_join(&st->p, &city, st->g.b, ", ", st->g.c)) != 0 ||
	    (rc = eg__xr_join(&st->p, &city, city, " ", st->g.d)) != 0)
		return rc;
	a.street = st->g.a;
	a.city = city;
	a.country = st->g.e;
	a.remarks = st->g.f;
	if ((rc = eg__entity_add_address(&st->p.scratch, &st->p.e, &a)) != 0)
		return rc;
	if (a.country != NULL)
		rc = eg__entity_add_country(&st->p.scratch, &st->p.e, a.country, strlen(a.country));
	return rc;
}

static int add_dob(un_state *st)
{
	const char *v = NULL;
	int rc;

	/* a date, b year, c from, d to */
	if (st->g.a != NULL)
		return attr(st, "dob", st->g.a);
	if (st->g.b != NULL)
		return attr(st, "dob", st->g.b);
	if (st->g.c == NULL && st->g.d == NULL)
		return 0;
	if ((rc = eg__xr_join(&st->p, &v, st->g.c, " to ", st->g.d)) != 0)
		return rc;
	return attr(st, "dob_range", v);
}

static int add_pob(un_state *st)
{
	const char *v = NULL;
	int rc;

	/* a city, b state, c country */
	if ((rc = eg__xr_join(&st->p, &v, st->g.a, ", ", st->g.b)) != 0 ||
	    (rc = eg__xr_join(&st->p, &v, v, ", ", st->g.c)) != 0)
		return rc;
	return attr(st, "pob", v);
}

static int add_document(un_state *st)
{
	const char *key = NULL;
	int rc;

	/* a type, b number */
	if (st->g.b == NULL)
		return 0;
	if ((rc = eg__xr_join(&st->p, &key, "id", ":", st->g.a != NULL ? st->g.a : "document")) != 0)
		return rc;
	return attr(st, key, st->g.b);
}

/* An entity's FIRST_NAME may hold two names, "A (AB) ; B (BC)" (4 of the
 * 2026-02 list): the first non-empty part is the primary name, the others
 * strong a.k.a.s. */
static int split_primary(un_state *st, const char *name)
{
	size_t len = strlen(name), pos = 0;

	while (pos < len && st->p.primary == NULL) {
		const char *p = name + pos, *semi = strchr(p, ';');
		size_t n = semi != NULL ? (size_t)(semi - p) : len - pos;
		int rc;

		pos += n + (semi != NULL);
		while (n > 0 && p[0] == ' ') {
			p++;
			n--;
		}
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0 && (rc = eg__xr_keep(&st->p, &st->p.primary, p, n)) != 0)
			return rc;
	}
	return eg__entity_add_names_split(&st->p.scratch, &st->p.e, name + pos, len - pos,
	                                  EG__NAME_AKA, 0);
}

static int primary_name(un_state *st)
{
	const char *name = NULL;
	int i, rc;

	for (i = 0; i < 4; i++)
		if ((rc = eg__xr_join(&st->p, &name, name, " ", st->part[i])) != 0)
			return rc;
	if (name != NULL && strchr(name, ';') != NULL)
		return split_primary(st, name);
	st->p.primary = name;
	return 0;
}

static int on_start(void *arg, eg_error *err)
{
	un_state *st = arg;
	eg__xr *r = &st->r;
	const char *v;
	int tag;

	if (r->depth == 1 && strcmp(r->name, "CONSOLIDATED_LIST") != 0)
		return eg__xr_fail(r, err, EG_EPARSE,
		                   "not a UN consolidated list (root element %s)", r->name);
	tag = eg__xr_classify(r, known, sizeof(known) / sizeof(known[0]));
	switch (tag) {
	case T_ROOT:
		v = eg__xr_attr(r, "dateGenerated");
		if (v != NULL && strlen(v) >= 10 && eg__date_valid(v, 10)) {
			eg__entity_set *set = r->ctx->set;
			set->published = eg__arena_strndup(&set->arena, v, 10);
			if (set->published == NULL)
				return eg__xr_fail(r, err, EG_ENOMEM, "out of memory");
		}
		break;
	case T_INDIVIDUAL:
	case T_ENTITY:
		eg__xr_entity_reset(&st->p);
		memset(st->part, 0, sizeof(st->part));
		st->p.e.type = tag == T_INDIVIDUAL ? EG_TYPE_INDIVIDUAL : EG_TYPE_ENTITY;
		break;
	case T_ALIAS: case T_ADDR: case T_DOB: case T_POB: case T_DOC:
		memset(&st->g, 0, sizeof(st->g));
		break;
	default:
		break;
	}
	return 0;
}

static int on_end(void *arg, eg_error *err)
{
	un_state *st = arg;
	eg__xr *r = &st->r;
	eg__xr_entity *p = &st->p;
	const char *t = r->text;
	size_t n = r->text_len;
	int rc = 0;

	switch (eg__xr_tag(r)) {
	case T_INDIVIDUAL:
	case T_ENTITY:
		if ((rc = primary_name(st)) != 0)
			break;
		return eg__xr_entity_commit(r, p, "REFERENCE_NUMBER", err);
	case T_DATAID: rc = eg__entity_add_attr(&p->scratch, &p->e, "dataid", t, n); break;
	case T_NAME1: rc = keep(st, &st->part[0]); break;
	case T_NAME2: rc = keep(st, &st->part[1]); break;
	case T_NAME3: rc = keep(st, &st->part[2]); break;
	case T_NAME4: rc = keep(st, &st->part[3]); break;
	case T_UN_LIST_TYPE: rc = eg__entity_add_program(&p->scratch, &p->e, t, n); break;
	case T_REF:
		if ((rc = keep(st, &p->uid)) == 0)
			rc = eg__entity_add_attr(&p->scratch, &p->e, "reference_number", t, n);
		break;
	case T_LISTED_ON:
		if (n == 10 && eg__date_valid(t, n))
			rc = eg__entity_set_str(&p->scratch, &p->e.start_date, t, n);
		if (rc == 0)
			rc = eg__entity_add_attr(&p->scratch, &p->e, "listed_on", t, n);
		break;
	case T_ORIGINAL:
		rc = eg__entity_add_names_split(&p->scratch, &p->e, t, n, EG__NAME_AKA, 0);
		break;
	case T_COMMENTS:
		if (n > 0)
			rc = eg__entity_set_str(&p->scratch, &p->e.remarks, t, n);
		break;
	case T_GENDER: rc = eg__entity_add_attr(&p->scratch, &p->e, "gender", t, n); break;
	case T_NATIONALITY_V: rc = eg__entity_add_country(&p->scratch, &p->e, t, n); break;
	case T_TITLE_V: rc = eg__entity_add_attr(&p->scratch, &p->e, "title", t, n); break;
	case T_DESIGNATION_V:
		rc = eg__entity_add_attr(&p->scratch, &p->e, "designation", t, n);
		break;
	case T_AL_QUALITY: rc = keep(st, &st->g.a); break;
	case T_AL_NAME: rc = keep(st, &st->g.b); break;
	case T_ALIAS: rc = add_alias(st); break;
	case T_AD_STREET: rc = keep(st, &st->g.a); break;
	case T_AD_CITY: rc = keep(st, &st->g.b); break;
	case T_AD_STATE: rc = keep(st, &st->g.c); break;
	case T_AD_ZIP: rc = keep(st, &st->g.d); break;
	case T_AD_COUNTRY: rc = keep(st, &st->g.e); break;
	case T_AD_NOTE: rc = keep(st, &st->g.f); break;
	case T_ADDR: rc = add_address(st); break;
	case T_DOB_DATE: rc = keep(st, &st->g.a); break;
	case T_DOB_YEAR: rc = keep(st, &st->g.b); break;
	case T_DOB_FROM: rc = keep(st, &st->g.c); break;
	case T_DOB_TO: rc = keep(st, &st->g.d); break;
	case T_DOB: rc = add_dob(st); break;
	case T_POB_CITY: rc = keep(st, &st->g.a); break;
	case T_POB_STATE: rc = keep(st, &st->g.b); break;
	case T_POB_COUNTRY: rc = keep(st, &st->g.c); break;
	case T_POB: rc = add_pob(st); break;
	case T_DOC_TYPE: rc = keep(st, &st->g.a); break;
	case T_DOC_NUMBER: rc = keep(st, &st->g.b); break;
	case T_DOC: rc = add_document(st); break;
	default: break;
	}
	return eg__xr_check(r, rc, err);
}

static const eg__xr_parser parser = {
	sizeof(un_state), offsetof(un_state, r), offsetof(un_state, p), on_start, on_end, NULL, markers
};

int eg__un_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                         const char *name, eg_error *err)
{
	return eg__xr_parse_mem(&parser, ctx, data, len, name, err);
}

static int detect(const char *path)
{
	return eg__xr_detect(path, markers);
}

static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{
	return eg__xr_parse_path(&parser, ctx, path, err);
}

const eg__format eg__format_un_xml = {
	"un-xml", "un-sc", "UN Security Council consolidated list (XML)", detect, parse
};
