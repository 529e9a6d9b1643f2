/* ofac_enhanced_xml.c - OFAC's enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML).
 *
 * Mapping: uid = entity/@id (the same number as the classic uid / CSV
 * ent_num); type from generalInfo/entityType; the primary translation of
 * the primary name is the primary name (formattedFullName, "LAST, First"
 * like the CSV), every other translation of it (Cyrillic, Chinese, ...) a
 * strong a.k.a.; alias names keep their aliasType (A.K.A./F.K.A./N.K.A.)
 * and isLowQuality (weak), in every translation; programs from
 * sanctionsPrograms; addresses from their primary translation; countries
 * from address countries and the Nationality/Citizenship/Registration
 * features; start_date = the earliest sanctionsList/@datePublished;
 * published = publicationInfo/dataAsOf. Other features become attributes
 * ("dob", "pob", "gender", else "feature:TYPE"), identity documents
 * "id:TYPE" and relationships "related:TYPE" = "NAME (entity id)". */
#include "xml_formats.h"
#include "xmlread.h"
#include "../util/alloc.h"
#include "../util/caps.h"
#include "../util/date.h"
#include "../util/error.h"

#include <stddef.h>
#include <string.h>

enum {
	T_NONE = 0, T_ROOT, T_PUBINFO, T_DATA_AS_OF, T_IGNORED, T_ENTITIES, T_ENTITY,
	T_GENERAL, T_IDENTITY_ID, T_ENTITY_TYPE, T_GENERAL_REMARKS, T_GENERAL_TITLE,
	T_LISTS, T_LIST, T_PROGRAMS, T_PROGRAM, T_STYPES, T_STYPE, T_AUTHS, T_AUTH,
	T_NAMES, T_NAME, T_NM_PRIMARY, T_NM_ALIAS_TYPE, T_NM_LOW, T_NM_TRS, T_NM_TR,
	T_NT_PRIMARY, T_NT_SCRIPT, T_NT_FIRST, T_NT_LAST, T_NT_FULL, T_NT_PARTS, T_NT_PART,
	T_NP_TYPE, T_NP_VALUE,
	T_ADDRS, T_ADDR, T_AD_COUNTRY, T_AD_TRS, T_AD_TR, T_AT_PRIMARY, T_AT_SCRIPT,
	T_AT_PARTS, T_AT_PART, T_AP_TYPE, T_AP_VALUE,
	T_FEATURES, T_FEATURE, T_FT_TYPE, T_FT_VERSION, T_FT_VALUE, T_FT_DATE, T_FT_DATE_PART,
	T_FT_REF, T_FT_PRIMARY, T_FT_RELIABILITY, T_FT_COMMENTS,
	T_DOCS, T_DOC, T_DC_TYPE, T_DC_NAME, T_DC_NUMBER, T_DC_VALID, T_DC_AUTHORITY,
	T_DC_COUNTRY, T_DC_LOCATION, T_DC_ISSUE, T_DC_EXPIRY,
	T_RELS, T_REL, T_RL_TYPE, T_RL_ENTITY, T_RL_QUALITY, T_RL_COMMENTS
};

static const eg__xr_known known[] = {
	{T_NONE, "sanctionsData", T_ROOT},
	{T_ROOT, "publicationInfo", T_PUBINFO},
	{T_PUBINFO, "dataAsOf", T_DATA_AS_OF},
	{T_PUBINFO, "filters", T_IGNORED},
	{T_ROOT, "referenceValues", T_IGNORED},
	{T_ROOT, "featureTypes", T_IGNORED},
	{T_ROOT, "entities", T_ENTITIES},
	{T_ENTITIES, "entity", T_ENTITY},
	{T_ENTITY, "generalInfo", T_GENERAL},
	{T_GENERAL, "identityId", T_IDENTITY_ID},
	{T_GENERAL, "entityType", T_ENTITY_TYPE},
	{T_GENERAL, "remarks", T_GENERAL_REMARKS},
	{T_GENERAL, "title", T_GENERAL_TITLE},
	{T_ENTITY, "sanctionsLists", T_LISTS},
	{T_LISTS, "sanctionsList", T_LIST},
	{T_ENTITY, "sanctionsPrograms", T_PROGRAMS},
	{T_PROGRAMS, "sanctionsProgram", T_PROGRAM},
	{T_ENTITY, "sanctionsTypes", T_STYPES},
	{T_STYPES, "sanctionsType", T_STYPE},
	{T_ENTITY, "legalAuthorities", T_AUTHS},
	{T_AUTHS, "legalAuthority", T_AUTH},
	{T_ENTITY, "names", T_NAMES},
	{T_NAMES, "name", T_NAME},
	{T_NAME, "isPrimary", T_NM_PRIMARY},
	{T_NAME, "aliasType", T_NM_ALIAS_TYPE},
	{T_NAME, "isLowQuality", T_NM_LOW},
	{T_NAME, "translations", T_NM_TRS},
	{T_NM_TRS, "translation", T_NM_TR},
	{T_NM_TR, "isPrimary", T_NT_PRIMARY},
	{T_NM_TR, "script", T_NT_SCRIPT},
	{T_NM_TR, "formattedFirstName", T_NT_FIRST},
	{T_NM_TR, "formattedLastName", T_NT_LAST},
	{T_NM_TR, "formattedFullName", T_NT_FULL},
	{T_NM_TR, "nameParts", T_NT_PARTS},
	{T_NT_PARTS, "namePart", T_NT_PART},
	{T_NT_PART, "type", T_NP_TYPE},
	{T_NT_PART, "value", T_NP_VALUE},
	{T_ENTITY, "addresses", T_ADDRS},
	{T_ADDRS, "address", T_ADDR},
	{T_ADDR, "country", T_AD_COUNTRY},
	{T_ADDR, "translations", T_AD_TRS},
	{T_AD_TRS, "translation", T_AD_TR},
	{T_AD_TR, "isPrimary", T_AT_PRIMARY},
	{T_AD_TR, "script", T_AT_SCRIPT},
	{T_AD_TR, "addressParts", T_AT_PARTS},
	{T_AT_PARTS, "addressPart", T_AT_PART},
	{T_AT_PART, "type", T_AP_TYPE},
	{T_AT_PART, "value", T_AP_VALUE},
	{T_ENTITY, "features", T_FEATURES},
	{T_FEATURES, "feature", T_FEATURE},
	{T_FEATURE, "type", T_FT_TYPE},
	{T_FEATURE, "versionId", T_FT_VERSION},
	{T_FEATURE, "value", T_FT_VALUE},
	{T_FEATURE, "valueDate", T_FT_DATE},
	{T_FT_DATE, "fromDateBegin", T_FT_DATE_PART},
	{T_FT_DATE, "fromDateEnd", T_FT_DATE_PART},
	{T_FT_DATE, "toDateBegin", T_FT_DATE_PART},
	{T_FT_DATE, "toDateEnd", T_FT_DATE_PART},
	{T_FT_DATE, "isApproximate", T_FT_DATE_PART},
	{T_FT_DATE, "isDateRange", T_FT_DATE_PART},
	{T_FEATURE, "valueRefId", T_FT_REF},
	{T_FEATURE, "isPrimary", T_FT_PRIMARY},
	{T_FEATURE, "reliability", T_FT_RELIABILITY},
	{T_FEATURE, "comments", T_FT_COMMENTS},
	{T_ENTITY, "identityDocuments", T_DOCS},
	{T_DOCS, "identityDocument", T_DOC},
	{T_DOC, "type", T_DC_TYPE},
	{T_DOC, "name", T_DC_NAME},
	{T_DOC, "documentNumber", T_DC_NUMBER},
	{T_DOC, "isValid", T_DC_VALID},
	{T_DOC, "issuingAuthority", T_DC_AUTHORITY},
	{T_DOC, "issuingCountry", T_DC_COUNTRY},
	{T_DOC, "issuingLocation", T_DC_LOCATION},
	{T_DOC, "issueDate", T_DC_ISSUE},
	{T_DOC, "expirationDate", T_DC_EXPIRY},
	{T_ENTITY, "relationships", T_RELS},
	{T_RELS, "relationship", T_REL},
	{T_REL, "type", T_RL_TYPE},
	{T_REL, "relatedEntity", T_RL_ENTITY},
	{T_REL, "quality", T_RL_QUALITY},
	{T_REL, "comments", T_RL_COMMENTS},
};

/* One translation of a name, kept until the name's end. */
typedef struct translation {
	const char *text;
	int primary;
} translation;

typedef struct enh_state {
	eg__xr r;
	eg__xr_entity p;
	/* the name being read */
	int nm_primary, nm_weak;
	eg__name_kind nm_kind;
	translation *trs;
	size_t n_trs, cap_trs;
	/* the translation (of a name or address) being read */
	int tr_primary;
	const char *tr_first, *tr_last, *tr_full, *tr_street, *tr_city;
	/* the address being read */
	const char *ad_country, *ad_street, *ad_city;
	int ad_chosen;   /* its primary translation was read */
	/* the group (address part, feature, document, relationship) being read */
	const char *g_type, *g_value, *g_extra;
} enh_state;

static const char *const markers[] = {"ENHANCED_XML", "<sanctionsData", NULL};

static int keep(enh_state *st, const char **out)
{
	return eg__xr_keep(&st->p, out, st->r.text, st->r.text_len);
}

static int is_true(const eg__xr *r)
{
	return strcmp(r->text, "true") == 0;
}

static int attr(enh_state *st, const char *key, const char *value)
{
	if (value == NULL)
		return 0;
	return eg__entity_add_attr(&st->p.scratch, &st->p.e, key, value, strlen(value));
}

static int set_type(enh_state *st)
{
	const char *t = st->r.text;

	if (strcmp(t, "Individual") == 0)
		st->p.e.type = EG_TYPE_INDIVIDUAL;
	else if (strcmp(t, "Entity") == 0)
		st->p.e.type = EG_TYPE_ENTITY;
	else if (strcmp(t, "Vessel") == 0)
		st->p.e.type = EG_TYPE_VESSEL;
	else if (strcmp(t, "Aircraft") == 0)
		st->p.e.type = EG_TYPE_AIRCRAFT;
	else
		eg__xr_warn_once(&st->r, t, "%s: unknown entityType \"%s\" read as unknown",
		                 eg__xr_path(&st->r), t);
	return 0;
}

static int set_alias_type(enh_state *st)
{
	const char *t = st->r.text;

	if (strcmp(t, "A.K.A.") == 0)
		st->nm_kind = EG__NAME_AKA;
	else if (strcmp(t, "F.K.A.") == 0)
		st->nm_kind = EG__NAME_FKA;
	else if (strcmp(t, "N.K.A.") == 0)
		st->nm_kind = EG__NAME_NKA;
	else
		eg__xr_warn_once(&st->r, t, "%s: unknown aliasType \"%s\" read as A.K.A.",
		                 eg__xr_path(&st->r), t);
	return 0;
}

/* The earliest listing date is when the entity was first listed. */
static int list_date(enh_state *st)
{
	const char *d = eg__xr_attr(&st->r, "datePublished");
	const char *cur = st->p.e.start_date;

	if (d == NULL || strlen(d) < 10 || !eg__date_valid(d, 10))
		return 0;
	if (cur != NULL && memcmp(cur, d, 10) <= 0)
		return 0;
	return eg__entity_set_str(&st->p.scratch, &st->p.e.start_date, d, 10);
}

static int end_translation(enh_state *st)
{
	const char *text = st->tr_full;
	translation t;
	int rc;

	if (text == NULL && (rc = eg__xr_join(&st->p, &text, st->tr_last, ", ", st->tr_first)) != 0)
		return rc;
	if (text == NULL)
		return 0;
	if (st->n_trs >= EG__CAP_NAMES_PER_ENTITY)
		return EG_ETOOBIG;
	if (st->n_trs == st->cap_trs) {
		translation *nv = eg__arena_grow(&st->p.scratch.arena, st->trs, st->n_trs,
		                                 &st->cap_trs, sizeof(*nv));
		if (nv == NULL)
			return EG_ENOMEM;
		st->trs = nv;
	}
	t.text = text;
	t.primary = st->tr_primary;
	st->trs[st->n_trs++] = t;
	return 0;
}

/* The primary translation of the primary name becomes the primary name;
 * everything else an alias. */
static int end_name(enh_state *st)
{
	size_t i, pick = st->n_trs;
	int rc = 0;

	if (st->nm_primary && st->p.primary == NULL) {
		for (i = 0; i < st->n_trs && pick == st->n_trs; i++)
			if (st->trs[i].primary)
				pick = i;
		if (pick == st->n_trs && st->n_trs > 0)
			pick = 0;
		if (pick < st->n_trs)
			st->p.primary = st->trs[pick].text;
	}
	for (i = 0; rc == 0 && i < st->n_trs; i++) {
		const char *t = st->trs[i].text;
		if (i == pick)
			continue;
		if (st->nm_primary)
			rc = eg__entity_add_name(&st->p.scratch, &st->p.e, t, strlen(t), EG__NAME_AKA, 0);
		else
			rc = eg__entity_add_name(&st->p.scratch, &st->p.e, t, strlen(t), st->nm_kind,
			                         st->nm_weak);
	}
	return rc;
}

static int end_address_part(enh_state *st)
{
	const char *type = st->g_type, *v = st->g_value;

	if (v == NULL)
		return 0;
	if (type != NULL && strncmp(type, "ADDRESS", 7) == 0)
		return eg__xr_join(&st->p, &st->tr_street, st->tr_street, ", ", v);
	if (type != NULL && strcmp(type, "CITY") != 0 && strcmp(type, "STATE/PROVINCE") != 0 &&
	    strcmp(type, "POSTAL CODE") != 0 && strcmp(type, "REGION") != 0)
		eg__xr_warn_once(&st->r, type, "%s: unknown addressPart type \"%s\" kept with the city",
		                 eg__xr_path(&st->r), type);
	return eg__xr_join(&st->p, &st->tr_city, st->tr_city, ", ", v);
}

/* The primary translation wins; else the first one. */
static int end_address_translation(enh_state *st)
{
	if (st->ad_chosen || (!st->tr_primary && (st->ad_street != NULL || st->ad_city != NULL)))
		return 0;
	st->ad_street = st->tr_street;
	st->ad_city = st->tr_city;
	st->ad_chosen = st->tr_primary;
	return 0;
}

static int end_address(enh_state *st)
{
	eg__address a;
	int rc;

	a.street = st->ad_street;
	a.city = st->ad_city;
	a.country = st->ad_country;
	a.remarks = NULL;
	if ((rc = eg__entity_add_address(&st->p.scratch, &st->p.e, &a)) != 0)
		return rc;
	if (a.country != NULL)
		rc = eg__entity_add_country(&st->p.scratch, &st->p.e, a.country, strlen(a.country));
	return rc;
}

static int end_feature(enh_state *st)
{
	const char *type = st->g_type, *v = st->g_value, *key = NULL;
	int rc;

	if (type == NULL || v == NULL)
		return 0;
	if (strcmp(type, "Birthdate") == 0)
		return attr(st, "dob", v);
	if (strcmp(type, "Place of Birth") == 0)
		return attr(st, "pob", v);
	if (strcmp(type, "Gender") == 0)
		return attr(st, "gender", v);
	if (strcmp(type, "Nationality Country") == 0 || strcmp(type, "Citizenship Country") == 0 ||
	    strcmp(type, "Nationality of Registration") == 0)
		return eg__entity_add_country(&st->p.scratch, &st->p.e, v, strlen(v));
	if ((rc = eg__xr_join(&st->p, &key, "feature", ":", type)) != 0)
		return rc;
	return attr(st, key, v);
}

static int end_document(enh_state *st)
{
	const char *key = NULL;
	int rc;

	if (st->g_value == NULL)
		return 0;
	if ((rc = eg__xr_join(&st->p, &key, "id", ":",
	                      st->g_type != NULL ? st->g_type : "document")) != 0)
		return rc;
	return attr(st, key, st->g_value);
}

static int end_relationship(enh_state *st)
{
	const char *key = NULL, *v = NULL, *id = NULL;
	int rc;

	if (st->g_value == NULL)
		return 0;
	if (st->g_extra != NULL) {
		if ((rc = eg__xr_join(&st->p, &id, "(", "", st->g_extra)) != 0 ||
		    (rc = eg__xr_join(&st->p, &id, id, "", ")")) != 0)
			return rc;
	}
	if ((rc = eg__xr_join(&st->p, &v, st->g_value, " ", id)) != 0 ||
	    (rc = eg__xr_join(&st->p, &key, "related", ":",
	                      st->g_type != NULL ? st->g_type : "?")) != 0)
		return rc;
	return attr(st, key, v);
}

static int on_start(void *arg, eg_error *err)
{
	enh_state *st = arg;
	eg__xr *r = &st->r;
	const char *v;
	int rc = 0;

	if (r->depth == 1 && strcmp(r->name, "sanctionsData") != 0)
		return eg__xr_fail(r, err, EG_EPARSE,
		                   "not an OFAC enhanced XML (root element %s)", r->name);
	switch (eg__xr_classify(r, known, sizeof(known) / sizeof(known[0]))) {
	case T_IGNORED:
		eg__xr_skip(r);
		break;
	case T_ENTITY:
		eg__xr_entity_reset(&st->p);
		v = eg__xr_attr(r, "id");
		if (v != NULL)
			rc = eg__xr_keep(&st->p, &st->p.uid, v, strlen(v));
		break;
	case T_LIST:
		rc = list_date(st);
		break;
	case T_NAME:
		st->nm_primary = st->nm_weak = 0;
		st->nm_kind = EG__NAME_AKA;
		st->trs = NULL;
		st->n_trs = st->cap_trs = 0;
		break;
	case T_NM_TR:
	case T_AD_TR:
		st->tr_primary = 0;
		st->tr_first = st->tr_last = st->tr_full = st->tr_street = st->tr_city = NULL;
		break;
	case T_ADDR:
		st->ad_country = st->ad_street = st->ad_city = NULL;
		st->ad_chosen = 0;
		break;
	case T_AT_PART: case T_FEATURE: case T_DOC: case T_REL:
		st->g_type = st->g_value = st->g_extra = NULL;
		break;
	case T_RL_ENTITY:
		v = eg__xr_attr(r, "entityId");
		if (v != NULL)
			rc = eg__xr_keep(&st->p, &st->g_extra, v, strlen(v));
		break;
	default:
		break;
	}
	return eg__xr_check(r, rc, err);
}

static int on_end(void *arg, eg_error *err)
{
	enh_state *st = arg;
	eg__xr *r = &st->r;
	eg__xr_entity *p = &st->p;
	const char *t = r->text;
	size_t n = r->text_len;
	int rc = 0;

	switch (eg__xr_tag(r)) {
	case T_DATA_AS_OF:
		if (n >= 10 && eg__date_valid(t, 10)) {
			eg__entity_set *set = r->ctx->set;
			set->published = eg__arena_strndup(&set->arena, t, 10);
			if (set->published == NULL)
				rc = EG_ENOMEM;
		}
		break;
	case T_ENTITY: return eg__xr_entity_commit(r, p, "id", err);
	case T_IDENTITY_ID: rc = eg__entity_add_attr(&p->scratch, &p->e, "identity_id", t, n); break;
	case T_ENTITY_TYPE: rc = set_type(st); break;
	case T_GENERAL_REMARKS:
		if (n > 0)
			rc = eg__entity_set_str(&p->scratch, &p->e.remarks, t, n);
		break;
	case T_GENERAL_TITLE: rc = eg__entity_add_attr(&p->scratch, &p->e, "title", t, n); break;
	case T_LIST: rc = eg__entity_add_attr(&p->scratch, &p->e, "list", t, n); break;
	case T_PROGRAM: rc = eg__entity_add_program(&p->scratch, &p->e, t, n); break;
	case T_STYPE: rc = eg__entity_add_attr(&p->scratch, &p->e, "sanctions_type", t, n); break;
	case T_AUTH: rc = eg__entity_add_attr(&p->scratch, &p->e, "legal_authority", t, n); break;
	case T_NM_PRIMARY: st->nm_primary = is_true(r); break;
	case T_NM_ALIAS_TYPE: rc = set_alias_type(st); break;
	case T_NM_LOW: st->nm_weak = is_true(r); break;
	case T_NT_PRIMARY: case T_AT_PRIMARY: st->tr_primary = is_true(r); break;
	case T_NT_FIRST: rc = keep(st, &st->tr_first); break;
	case T_NT_LAST: rc = keep(st, &st->tr_last); break;
	case T_NT_FULL: rc = keep(st, &st->tr_full); break;
	case T_NM_TR: rc = end_translation(st); break;
	case T_NAME: rc = end_name(st); break;
	case T_AD_COUNTRY: rc = keep(st, &st->ad_country); break;
	case T_AP_TYPE: case T_FT_TYPE: case T_DC_TYPE: case T_RL_TYPE:
		rc = keep(st, &st->g_type);
		break;
	case T_AP_VALUE: case T_FT_VALUE: case T_DC_NUMBER: case T_RL_ENTITY:
		rc = keep(st, &st->g_value);
		break;
	case T_AT_PART: rc = end_address_part(st); break;
	case T_AD_TR: rc = end_address_translation(st); break;
	case T_ADDR: rc = end_address(st); break;
	case T_FEATURE: rc = end_feature(st); break;
	case T_DOC: rc = end_document(st); break;
	case T_REL: rc = end_relationship(st); break;
	default: break;
	}
	return eg__xr_check(r, rc, err);
}

static const eg__xr_parser parser = {
	sizeof(enh_state), offsetof(enh_state, r), offsetof(enh_state, p), on_start, on_end, NULL, markers
};

int eg__ofac_enhanced_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
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

const eg__format eg__format_ofac_enhanced_xml = {
	"ofac-enhanced-xml", "us-ofac-cons",
	"OFAC enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML)", detect, parse
};
