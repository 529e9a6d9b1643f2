/* eu_fsf_xml.c - the EU Financial Sanctions Files (FSF) XML, schema 1.1 (root "export").
 *
 * The facts of this format are in attributes, so they are read at each
 * element's START; only remark carries text. Mapping: uid = the
 * sanctionEntity's logicalId; type from subjectType/@code ("person" an
 * individual, "enterprise" an entity); names from nameAlias: wholeName, or
 * firstName middleName lastName when wholeName is empty; the first strong
 * one (strong absent or "true") is the primary name, every other one an
 * a.k.a., weak when strong="false"; with no strong name the first name is
 * the primary. programs = regulation/@programme; countries = the ISO 3166
 * alpha-2 codes of citizenship and address as written ("00", the file's
 * "unknown", is left out and the description used instead unless it is
 * "UNKNOWN"); start_date = @designationDate; attrs eu_reference_number,
 * un_id, dob (the first birthdate, or its year), pob, remark, regulation,
 * gender, title, function, id:TYPE; published = the date part of
 * export/@generationDate. The default namespace is ignored (local names). */
#include "euuk_formats.h"
#include "xmlread.h"
#include "../util/alloc.h"
#include "../util/date.h"
#include "../util/error.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

enum {
	T_NONE = 0, T_ROOT, T_ENTITY, T_REMARK, T_REG, T_SUBJECT, T_NAME, T_CITIZEN,
	T_BIRTH, T_ADDR, T_IDENT, T_QUIET
};

/* T_QUIET elements are known and carry nothing this model keeps: skipped
 * without a warning. */
static const eg__xr_known known[] = {
	{T_NONE, "export", T_ROOT},
	{T_ROOT, "sanctionEntity", T_ENTITY},
	{T_ENTITY, "remark", T_REMARK},
	{T_ENTITY, "regulation", T_REG},
	{T_ENTITY, "subjectType", T_SUBJECT},
	{T_ENTITY, "nameAlias", T_NAME},
	{T_ENTITY, "citizenship", T_CITIZEN},
	{T_ENTITY, "birthdate", T_BIRTH},
	{T_ENTITY, "address", T_ADDR},
	{T_ENTITY, "identification", T_IDENT},
	{T_REG, "publicationUrl", T_QUIET},
	{T_NAME, "regulationSummary", T_QUIET},
	{T_NAME, "remark", T_QUIET},
	{T_CITIZEN, "regulationSummary", T_QUIET},
	{T_CITIZEN, "remark", T_QUIET},
	{T_BIRTH, "regulationSummary", T_QUIET},
	{T_BIRTH, "remark", T_QUIET},
	{T_ADDR, "regulationSummary", T_QUIET},
	{T_ADDR, "remark", T_QUIET},
	{T_ADDR, "contactInfo", T_QUIET},
	{T_IDENT, "regulationSummary", T_QUIET},
	{T_IDENT, "remark", T_QUIET},
};

typedef struct eu_state {
	eg__xr r;
	eg__xr_entity p;
	int has_subject; /* the current entity had a subjectType */
	int has_dob;     /* ... a birthdate already kept as dob */
} eu_state;

static const char *const markers[] = {"fsd/export", "<sanctionEntity", NULL};

/* *out = a scratch copy of attribute key, trimmed of ASCII spaces, or NULL
 * when absent or blank. */
static int get(eu_state *st, const char *key, const char **out)
{
	const char *v = eg__xr_attr(&st->r, key);
	size_t n;

	*out = NULL;
	if (v == NULL)
		return 0;
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' ||
	                 v[n - 1] == '\r'))
		n--;
	return eg__xr_keep(&st->p, out, v, n);
}

/* Adds attribute key = value unless value is NULL or already present. */
static int attr(eu_state *st, const char *key, const char *value)
{
	eg__entity *e = &st->p.e;
	size_t i;

	if (value == NULL)
		return 0;
	for (i = 0; i < e->n_attrs; i++)
		if (strcmp(e->attrs[i].key, key) == 0 && strcmp(e->attrs[i].value, value) == 0)
			return 0;
	return eg__entity_add_attr(&st->p.scratch, e, key, value, strlen(value));
}

/* The country of a citizenship or address: the code unless it is the
 * file's "00" (unknown), else the description unless it is "UNKNOWN". */
static const char *country_of(const char *code, const char *desc)
{
	if (code != NULL && strcmp(code, "00") != 0)
		return code;
	if (desc != NULL && strcasecmp(desc, "UNKNOWN") != 0)
		return desc;
	return NULL;
}

static int add_country(eu_state *st, const char *c)
{
	if (c == NULL)
		return 0;
	return eg__entity_add_country(&st->p.scratch, &st->p.e, c, strlen(c));
}

static int on_root(eu_state *st, eg_error *err)
{
	const char *v = eg__xr_attr(&st->r, "generationDate");
	eg__entity_set *set = st->r.ctx->set;

	if (v != NULL && strlen(v) >= 10 && eg__date_valid(v, 10)) {
		set->published = eg__arena_strndup(&set->arena, v, 10);
		if (set->published == NULL)
			return eg__xr_fail(&st->r, err, EG_ENOMEM, "out of memory");
	} else if (v != NULL) {
		eg__xr_warn_once(&st->r, "@generationDate", "%s: generationDate \"%.40s\" is not a date",
		                 eg__xr_path(&st->r), v);
	}
	return 0;
}

static int on_entity(eu_state *st)
{
	eg__xr_entity *p = &st->p;
	const char *v;
	int rc;

	eg__xr_entity_reset(p);
	st->has_subject = 0;
	st->has_dob = 0;
	if ((rc = get(st, "logicalId", &p->uid)) != 0)
		return rc;
	if ((rc = get(st, "euReferenceNumber", &v)) != 0 ||
	    (rc = attr(st, "eu_reference_number", v)) != 0)
		return rc;
	if ((rc = get(st, "unitedNationId", &v)) != 0 || (rc = attr(st, "un_id", v)) != 0)
		return rc;
	if ((rc = get(st, "designationDetails", &v)) != 0 ||
	    (rc = attr(st, "designation_details", v)) != 0)
		return rc;
	if ((rc = get(st, "designationDate", &v)) != 0)
		return rc;
	if (v != NULL && strlen(v) == 10 && eg__date_valid(v, 10))
		p->e.start_date = v;
	else if (v != NULL)
		eg__xr_warn_once(&st->r, "@designationDate",
		                 "%s: attribute designationDate \"%.40s\" is not YYYY-MM-DD; ignored",
		                 eg__xr_path(&st->r), v);
	return 0;
}

static int on_subject(eu_state *st, eg_error *err)
{
	const char *code = eg__xr_attr(&st->r, "code");

	st->has_subject = 1;
	if (code != NULL && strcmp(code, "person") == 0)
		st->p.e.type = EG_TYPE_INDIVIDUAL;
	else if (code != NULL && strcmp(code, "enterprise") == 0)
		st->p.e.type = EG_TYPE_ENTITY;
	else
		return eg__xr_fail(&st->r, err, EG_EPARSE,
		                   "attribute code: unknown subject type \"%.40s\" "
		                   "(expected person or enterprise)", code != NULL ? code : "");
	return 0;
}

/* *weak = 1 for strong="false"; absent or "true" is strong. */
static int name_weak(eu_state *st, eg_error *err, int *weak)
{
	const char *strong = eg__xr_attr(&st->r, "strong");

	*weak = 0;
	if (strong == NULL || strcasecmp(strong, "true") == 0)
		return 0;
	if (strcasecmp(strong, "false") == 0) {
		*weak = 1;
		return 0;
	}
	return eg__xr_fail(&st->r, err, EG_EPARSE,
	                   "attribute strong: \"%.40s\" is not true or false", strong);
}

static int on_name(eu_state *st, int weak)
{
	eg__xr_entity *p = &st->p;
	const char *whole, *first, *middle, *last, *v;
	int rc;

	if ((rc = get(st, "wholeName", &whole)) != 0)
		return rc;
	if (whole == NULL) {
		if ((rc = get(st, "firstName", &first)) != 0 ||
		    (rc = get(st, "middleName", &middle)) != 0 ||
		    (rc = get(st, "lastName", &last)) != 0 ||
		    (rc = eg__xr_join(p, &whole, first, " ", middle)) != 0 ||
		    (rc = eg__xr_join(p, &whole, whole, " ", last)) != 0)
			return rc;
	}
	if ((rc = get(st, "gender", &v)) != 0 || (rc = attr(st, "gender", v)) != 0 ||
	    (rc = get(st, "title", &v)) != 0 || (rc = attr(st, "title", v)) != 0 ||
	    (rc = get(st, "function", &v)) != 0 || (rc = attr(st, "function", v)) != 0)
		return rc;
	if (whole == NULL)
		return 0;
	if (!weak && p->primary == NULL) {
		p->primary = whole;
		return 0;
	}
	return eg__entity_add_name(&p->scratch, &p->e, whole, strlen(whole), EG__NAME_AKA, weak);
}

static int on_citizen(eu_state *st)
{
	const char *code, *desc;
	int rc;

	if ((rc = get(st, "countryIso2Code", &code)) != 0 ||
	    (rc = get(st, "countryDescription", &desc)) != 0)
		return rc;
	return add_country(st, country_of(code, desc));
}

static int on_birth(eu_state *st)
{
	eg__xr_entity *p = &st->p;
	const char *date, *year, *city, *code, *desc, *pob = NULL;
	int rc;

	if ((rc = get(st, "birthdate", &date)) != 0 || (rc = get(st, "year", &year)) != 0 ||
	    (rc = get(st, "city", &city)) != 0 || (rc = get(st, "countryIso2Code", &code)) != 0 ||
	    (rc = get(st, "countryDescription", &desc)) != 0)
		return rc;
	if (!st->has_dob) {
		const char *dob = date != NULL ? date : year;
		if (dob != NULL) {
			if ((rc = attr(st, "dob", dob)) != 0)
				return rc;
			st->has_dob = 1;
		}
	}
	if ((rc = eg__xr_join(p, &pob, city, ", ", country_of(code, desc))) != 0)
		return rc;
	return attr(st, "pob", pob);
}

static int on_address(eu_state *st)
{
	eg__xr_entity *p = &st->p;
	const char *street, *pobox, *city, *zip, *region, *place, *code, *desc;
	const char *s = NULL, *c = NULL;
	eg__address a;
	int rc;

	if ((rc = get(st, "street", &street)) != 0 || (rc = get(st, "poBox", &pobox)) != 0 ||
	    (rc = get(st, "city", &city)) != 0 || (rc = get(st, "zipCode", &zip)) != 0 ||
	    (rc = get(st, "region", &region)) != 0 || (rc = get(st, "place", &place)) != 0 ||
	    (rc = get(st, "countryIso2Code", &code)) != 0 ||
	    (rc = get(st, "countryDescription", &desc)) != 0)
		return rc;
	if ((rc = eg__xr_join(p, &s, street, ", ", pobox)) != 0 ||
	    (rc = eg__xr_join(p, &c, place, ", ", city)) != 0 ||
	    (rc = eg__xr_join(p, &c, c, " ", zip)) != 0 ||
	    (rc = eg__xr_join(p, &c, c, ", ", region)) != 0)
		return rc;
	memset(&a, 0, sizeof(a));
	a.street = s;
	a.city = c;
	a.country = country_of(code, desc);
	if ((rc = eg__entity_add_address(&p->scratch, &p->e, &a)) != 0)
		return rc;
	return add_country(st, a.country);
}

static int on_ident(eu_state *st)
{
	const char *type, *number, *key = NULL;
	int rc;

	if ((rc = get(st, "identificationTypeCode", &type)) != 0 ||
	    (rc = get(st, "number", &number)) != 0)
		return rc;
	if (number == NULL && (rc = get(st, "latinNumber", &number)) != 0)
		return rc;
	if (number == NULL)
		return 0;
	if ((rc = eg__xr_join(&st->p, &key, "id", ":", type != NULL ? type : "other")) != 0)
		return rc;
	return attr(st, key, number);
}

static int on_regulation(eu_state *st)
{
	const char *prog, *title;
	int rc;

	if ((rc = get(st, "programme", &prog)) != 0 || (rc = get(st, "numberTitle", &title)) != 0)
		return rc;
	if (prog != NULL &&
	    (rc = eg__entity_add_program(&st->p.scratch, &st->p.e, prog, strlen(prog))) != 0)
		return rc;
	return attr(st, "regulation", title);
}

static int on_start(void *arg, eg_error *err)
{
	eu_state *st = arg;
	eg__xr *r = &st->r;
	int rc = 0, weak;

	if (r->depth == 1 && strcmp(r->name, "export") != 0)
		return eg__xr_fail(r, err, EG_EPARSE,
		                   "not an EU financial sanctions file (root element %s)", r->name);
	switch (eg__xr_classify(r, known, sizeof(known) / sizeof(known[0]))) {
	case T_ROOT: return on_root(st, err);
	case T_ENTITY: rc = on_entity(st); break;
	case T_SUBJECT: return on_subject(st, err);
	case T_NAME:
		if ((rc = name_weak(st, err, &weak)) != 0)
			return rc;
		rc = on_name(st, weak);
		break;
	case T_CITIZEN: rc = on_citizen(st); break;
	case T_BIRTH: rc = on_birth(st); break;
	case T_ADDR: rc = on_address(st); break;
	case T_IDENT: rc = on_ident(st); break;
	case T_REG: rc = on_regulation(st); break;
	case T_QUIET: eg__xr_skip(r); break;
	default: break;
	}
	return eg__xr_check(r, rc, err);
}

/* With no strong name, the first a.k.a. becomes the primary name. */
static void promote_first(eg__xr_entity *p)
{
	eg__entity *e = &p->e;

	if (p->primary != NULL || e->n_names == 0)
		return;
	p->primary = e->names[0].text;
	memmove(e->names, e->names + 1, (e->n_names - 1) * sizeof(e->names[0]));
	e->n_names--;
}

static int on_end(void *arg, eg_error *err)
{
	eu_state *st = arg;
	eg__xr *r = &st->r;
	eg__xr_entity *p = &st->p;
	int rc = 0;

	switch (eg__xr_tag(r)) {
	case T_ENTITY:
		if (!st->has_subject)
			eg__xr_warn_once(r, "(no subjectType)",
			                 "%s: sanctionEntity %s without subjectType read as an entity",
			                 eg__xr_path(r), p->uid != NULL ? p->uid : "(no logicalId)");
		promote_first(p);
		return eg__xr_entity_commit(r, p, "logicalId", err);
	case T_REMARK:
		if (r->text_len == 0)
			break;
		if (p->e.remarks == NULL)
			rc = eg__entity_set_str(&p->scratch, &p->e.remarks, r->text, r->text_len);
		if (rc == 0)
			rc = attr(st, "remark", r->text);
		break;
	default:
		break;
	}
	return eg__xr_check(r, rc, err);
}

static const eg__xr_parser parser = {
	sizeof(eu_state), offsetof(eu_state, r), offsetof(eu_state, p), on_start, on_end, NULL,
	markers
};

int eg__eu_fsf_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                             const char *name, eg_error *err)
{
	return eg__xr_parse_mem(&parser, ctx, data, len, name, err);
}

/* An XML file whose head names the FSF namespace or a sanctionEntity, with
 * an "<export" root. */
static int detect(const char *path)
{
	static const char *const root[] = {"<export", NULL};
	char *file = NULL;
	int ok;

	ok = eg__xr_find(path, markers, &file);
	if (ok == 1)
		ok = eg__xr_detect(file, root);
	eg__free(file);
	return ok;
}

static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{
	return eg__xr_parse_path(&parser, ctx, path, err);
}

const eg__format eg__format_eu_fsf_xml = {
	"eu-fsf-xml", "eu-fsf", "EU financial sanctions files (FSF) XML", detect, parse
};
