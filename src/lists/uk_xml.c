/* uk_xml.c - the UK Sanctions List published by the FCDO, XML (root "Designations").
 *
 * Mapping: uid = UniqueID; type from IndividualEntityShip (Individual,
 * Entity, Ship); each Names/Name is Name1 .. Name5 then Name6 (the family
 * name, or the whole name of an entity or ship) joined by single spaces, as
 * the FCDO writes full names; the first NameType "Primary Name" is the
 * primary name (with none, the first name is, with one warning); other names
 * are a.k.a.s, weak when AliasStrength begins "Low quality"; NameType is
 * compared case-insensitively, since the list writes "Primary name",
 * "Primary Name Variation" and "ALias" too. NonLatinNames/NonLatinName/
 * NameNonLatinScript is a strong a.k.a. programs = RegimeName; countries =
 * AddressCountry and Nationality as written; start_date = DateDesignated
 * (DD/MM/YYYY); remarks = OtherInformation; published = DateGenerated. */
#include "euuk_formats.h"
#include "xmlread.h"
#include "../util/alloc.h"
#include "../util/date.h"
#include "../util/error.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

enum {
	T_NONE = 0, T_ROOT, T_DATEGEN, T_DES, T_QUIET,
	/* Designation leaves */
	T_LASTUPD, T_DATEDES, T_UID, T_GROUPID, T_UNREF, T_REGIME, T_TYPE, T_SOURCE,
	T_IMPOSED, T_OTHER, T_REASONS,
	/* containers */
	T_NAMES, T_NAME, T_NONLATINS, T_NONLATIN, T_TITLES, T_ADDRS, T_ADDR, T_INDDETAILS,
	T_IND, T_DOBS, T_NATS, T_PASSPORTS, T_PASSPORT, T_NIDS, T_NID, T_POSITIONS,
	T_GENDERS, T_BIRTHS, T_BIRTH, T_SHIPDETAILS, T_SHIP, T_IMOS,
	/* group leaves */
	T_N1, T_N2, T_N3, T_N4, T_N5, T_N6, T_NAMETYPE, T_STRENGTH, T_NONLATIN_TEXT,
	T_TITLE, T_AL1, T_AL2, T_AL3, T_AL4, T_AL5, T_AL6, T_POSTCODE, T_ADCOUNTRY, T_DOB,
	T_NATIONALITY, T_PASSNUM, T_NIDNUM, T_POSITION, T_GENDER, T_TOWN, T_COB, T_IMO
};

static const eg__xr_known known[] = {
	{T_NONE, "Designations", T_ROOT},
	{T_ROOT, "DateGenerated", T_DATEGEN},
	{T_ROOT, "Designation", T_DES},
	{T_DES, "LastUpdated", T_LASTUPD},
	{T_DES, "DateDesignated", T_DATEDES},
	{T_DES, "UniqueID", T_UID},
	{T_DES, "OFSIGroupID", T_GROUPID},
	{T_DES, "UNReferenceNumber", T_UNREF},
	{T_DES, "Names", T_NAMES},
	{T_DES, "NonLatinNames", T_NONLATINS},
	{T_DES, "Titles", T_TITLES},
	{T_DES, "RegimeName", T_REGIME},
	{T_DES, "IndividualEntityShip", T_TYPE},
	{T_DES, "DesignationSource", T_SOURCE},
	{T_DES, "SanctionsImposed", T_IMPOSED},
	{T_DES, "SanctionsImposedIndicators", T_QUIET},
	{T_DES, "OtherInformation", T_OTHER},
	{T_DES, "UKStatementofReasons", T_REASONS},
	{T_DES, "Addresses", T_ADDRS},
	{T_DES, "PhoneNumbers", T_QUIET},
	{T_DES, "EmailAddresses", T_QUIET},
	{T_DES, "Websites", T_QUIET},
	{T_DES, "IndividualDetails", T_INDDETAILS},
	{T_DES, "EntityDetails", T_QUIET},
	{T_DES, "ShipDetails", T_SHIPDETAILS},
	{T_NAMES, "Name", T_NAME},
	{T_NAME, "Name1", T_N1},
	{T_NAME, "Name2", T_N2},
	{T_NAME, "Name3", T_N3},
	{T_NAME, "Name4", T_N4},
	{T_NAME, "Name5", T_N5},
	{T_NAME, "Name6", T_N6},
	{T_NAME, "NameType", T_NAMETYPE},
	{T_NAME, "AliasStrength", T_STRENGTH},
	{T_NONLATINS, "NonLatinName", T_NONLATIN},
	{T_NONLATIN, "NameNonLatinScript", T_NONLATIN_TEXT},
	{T_NONLATIN, "NonLatinScriptType", T_QUIET},
	{T_NONLATIN, "NonLatinScriptLanguage", T_QUIET},
	{T_TITLES, "Title", T_TITLE},
	{T_ADDRS, "Address", T_ADDR},
	{T_ADDR, "AddressLine1", T_AL1},
	{T_ADDR, "AddressLine2", T_AL2},
	{T_ADDR, "AddressLine3", T_AL3},
	{T_ADDR, "AddressLine4", T_AL4},
	{T_ADDR, "AddressLine5", T_AL5},
	{T_ADDR, "AddressLine6", T_AL6},
	{T_ADDR, "AddressPostalCode", T_POSTCODE},
	{T_ADDR, "AddressCountry", T_ADCOUNTRY},
	{T_INDDETAILS, "Individual", T_IND},
	{T_IND, "DOBs", T_DOBS},
	{T_IND, "Nationalities", T_NATS},
	{T_IND, "PassportDetails", T_PASSPORTS},
	{T_IND, "NationalIdentifierDetails", T_NIDS},
	{T_IND, "Positions", T_POSITIONS},
	{T_IND, "Genders", T_GENDERS},
	{T_IND, "BirthDetails", T_BIRTHS},
	{T_DOBS, "DOB", T_DOB},
	{T_NATS, "Nationality", T_NATIONALITY},
	{T_PASSPORTS, "Passport", T_PASSPORT},
	{T_PASSPORT, "PassportNumber", T_PASSNUM},
	{T_PASSPORT, "PassportAdditionalInformation", T_QUIET},
	{T_NIDS, "NationalIdentifier", T_NID},
	{T_NID, "NationalIdentifierNumber", T_NIDNUM},
	{T_NID, "NationalIdentifierAdditionalInformation", T_QUIET},
	{T_POSITIONS, "Position", T_POSITION},
	{T_GENDERS, "Gender", T_GENDER},
	{T_BIRTHS, "Location", T_BIRTH},
	{T_BIRTH, "TownOfBirth", T_TOWN},
	{T_BIRTH, "CountryOfBirth", T_COB},
	{T_SHIPDETAILS, "Ship", T_SHIP},
	{T_SHIP, "IMONumbers", T_IMOS},
	{T_SHIP, "CurrentOwnerOperators", T_QUIET},
	{T_SHIP, "CurrentBelievedFlagOfShips", T_QUIET},
	{T_SHIP, "PreviousFlags", T_QUIET},
	{T_SHIP, "TypeOfShipDetails", T_QUIET},
	{T_SHIP, "TonnageOfShipDetails", T_QUIET},
	{T_SHIP, "LengthOfShips", T_QUIET},
	{T_SHIP, "YearsBuilt", T_QUIET},
	{T_SHIP, "HINNumbers", T_QUIET},
	{T_IMOS, "IMONumber", T_IMO},
};

/* Leaves kept as one attribute each (every distinct value). */
static const struct {
	int tag;
	const char *key;
} leaf_attrs[] = {
	{T_GROUPID, "ofsi_group_id"}, {T_UNREF, "un_id"}, {T_SOURCE, "designation_source"},
	{T_IMPOSED, "sanctions_imposed"}, {T_REASONS, "statement_of_reasons"},
	{T_TITLE, "title"}, {T_POSITION, "position"}, {T_GENDER, "gender"},
	{T_PASSNUM, "passport"}, {T_NIDNUM, "national_id"}, {T_IMO, "imo"},
};

typedef struct uk_state {
	eg__xr r;
	eg__xr_entity p;
	const char *g[8];  /* the fields of the Name, Address or Location being read */
	int has_type;      /* the current Designation had IndividualEntityShip */
	int has_dob;       /* ... a DOB already kept */
} uk_state;

static const char *const markers[] = {"<Designations", NULL};

/* Adds attribute key = (v, n) unless empty or already present. */
static int attr(uk_state *st, const char *key, const char *v, size_t n)
{
	eg__entity *e = &st->p.e;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < e->n_attrs; i++)
		if (strcmp(e->attrs[i].key, key) == 0 && strlen(e->attrs[i].value) == n &&
		    memcmp(e->attrs[i].value, v, n) == 0)
			return 0;
	return eg__entity_add_attr(&st->p.scratch, e, key, v, n);
}

static int keep(uk_state *st, int k)
{
	return eg__xr_keep(&st->p, &st->g[k], st->r.text, st->r.text_len);
}

static int on_root_date(uk_state *st, eg_error *err)
{
	eg__xr *r = &st->r;
	eg__entity_set *set = r->ctx->set;
	char iso[11];

	if (!(eg__date_from_dmy(iso, r->text, r->text_len) == 0)) {
		eg__xr_warn_once(r, "DateGenerated", "%s: \"%.40s\" is not DD/MM/YYYY; no publication date",
		                 eg__xr_path(r), r->text);
		return 0;
	}
	set->published = eg__arena_strndup(&set->arena, iso, 10);
	if (set->published == NULL)
		return eg__xr_fail(r, err, EG_ENOMEM, "out of memory");
	return 0;
}

static int on_type(uk_state *st, eg_error *err)
{
	eg__xr *r = &st->r;

	st->has_type = 1;
	if (strcasecmp(r->text, "Individual") == 0)
		st->p.e.type = EG_TYPE_INDIVIDUAL;
	else if (strcasecmp(r->text, "Entity") == 0)
		st->p.e.type = EG_TYPE_ENTITY;
	else if (strcasecmp(r->text, "Ship") == 0)
		st->p.e.type = EG_TYPE_VESSEL;
	else
		return eg__xr_fail(r, err, EG_EPARSE, "unknown value \"%.40s\" "
		                   "(expected Individual, Entity or Ship)", r->text);
	return 0;
}

static int starts_with_ci(const char *s, const char *prefix)
{
	return s != NULL && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* g[0..5] Name1..Name6, g[6] NameType, g[7] AliasStrength. */
static int add_name(uk_state *st)
{
	eg__xr_entity *p = &st->p;
	const char *text = NULL, *type = st->g[6];
	eg__name_kind kind = EG__NAME_AKA;
	int i, rc, weak = starts_with_ci(st->g[7], "Low");

	for (i = 0; i < 6; i++)
		if ((rc = eg__xr_join(p, &text, text, " ", st->g[i])) != 0)
			return rc;
	if (text == NULL)
		return 0;
	if (type != NULL && strcasecmp(type, "Primary Name") == 0) {
		if (p->primary == NULL) {
			p->primary = text;
			return 0;
		}
		weak = 0;
	} else if (type != NULL && strcasecmp(type, "FKA") == 0) {
		kind = EG__NAME_FKA;
	} else if (type != NULL && strcasecmp(type, "Alias") != 0 &&
	           strcasecmp(type, "Primary Name Variation") != 0) {
		eg__xr_warn_once(&st->r, type, "%s: unknown NameType \"%.40s\" read as an alias",
		                 eg__xr_path(&st->r), type);
	}
	return eg__entity_add_name(&p->scratch, &p->e, text, strlen(text), kind, weak);
}

/* g[0..5] AddressLine1..6, g[6] AddressPostalCode, g[7] AddressCountry. */
static int add_address(uk_state *st)
{
	eg__xr_entity *p = &st->p;
	const char *street = NULL, *city = NULL;
	eg__address a;
	int i, rc;

	for (i = 0; i < 3; i++)
		if ((rc = eg__xr_join(p, &street, street, ", ", st->g[i])) != 0)
			return rc;
	for (i = 3; i < 7; i++)
		if ((rc = eg__xr_join(p, &city, city, ", ", st->g[i])) != 0)
			return rc;
	memset(&a, 0, sizeof(a));
	a.street = street;
	a.city = city;
	a.country = st->g[7];
	if ((rc = eg__entity_add_address(&p->scratch, &p->e, &a)) != 0)
		return rc;
	if (a.country == NULL)
		return 0;
	return eg__entity_add_country(&p->scratch, &p->e, a.country, strlen(a.country));
}

static int on_start(void *arg, eg_error *err)
{
	uk_state *st = arg;
	eg__xr *r = &st->r;

	if (r->depth == 1 && strcmp(r->name, "Designations") != 0)
		return eg__xr_fail(r, err, EG_EPARSE,
		                   "not a UK Sanctions List (root element %s)", r->name);
	switch (eg__xr_classify(r, known, sizeof(known) / sizeof(known[0]))) {
	case T_DES:
		eg__xr_entity_reset(&st->p);
		st->has_type = 0;
		st->has_dob = 0;
		break;
	case T_NAME:
	case T_ADDR:
	case T_BIRTH:
		memset(st->g, 0, sizeof(st->g));
		break;
	case T_QUIET:
		eg__xr_skip(r);
		break;
	default:
		break;
	}
	return 0;
}

/* With no "Primary Name", the first other name becomes the primary. */
static void promote_first(uk_state *st)
{
	eg__xr_entity *p = &st->p;
	eg__entity *e = &p->e;

	if (p->primary != NULL || e->n_names == 0)
		return;
	eg__xr_warn_once(&st->r, "(no primary)", "%s: designation %s has no Primary Name; "
	                 "its first name is taken as primary", eg__xr_path(&st->r),
	                 p->uid != NULL ? p->uid : "(no UniqueID)");
	p->primary = e->names[0].text;
	memmove(e->names, e->names + 1, (e->n_names - 1) * sizeof(e->names[0]));
	e->n_names--;
}

static int on_end(void *arg, eg_error *err)
{
	uk_state *st = arg;
	eg__xr *r = &st->r;
	eg__xr_entity *p = &st->p;
	const char *t = r->text;
	size_t n = r->text_len, i;
	char iso[11];
	int tag = eg__xr_tag(r), rc = 0;

	for (i = 0; i < sizeof(leaf_attrs) / sizeof(leaf_attrs[0]); i++)
		if (leaf_attrs[i].tag == tag)
			return eg__xr_check(r, attr(st, leaf_attrs[i].key, t, n), err);
	switch (tag) {
	case T_DATEGEN: return on_root_date(st, err);
	case T_DES:
		if (!st->has_type)
			eg__xr_warn_once(r, "(no type)", "%s: designation %s without "
			                 "IndividualEntityShip read as an entity", eg__xr_path(r),
			                 p->uid != NULL ? p->uid : "(no UniqueID)");
		promote_first(st);
		return eg__xr_entity_commit(r, p, "UniqueID", err);
	case T_UID: rc = eg__xr_keep(p, &p->uid, t, n); break;
	case T_TYPE: return on_type(st, err);
	case T_REGIME: rc = eg__entity_add_program(&p->scratch, &p->e, t, n); break;
	case T_DATEDES:
		if (n == 0)
			break;
		if ((eg__date_from_dmy(iso, t, n) == 0))
			rc = eg__entity_set_str(&p->scratch, &p->e.start_date, iso, 10);
		else
			eg__xr_warn_once(r, "DateDesignated", "%s: \"%.40s\" is not DD/MM/YYYY; ignored",
			                 eg__xr_path(r), t);
		break;
	case T_LASTUPD:
		if ((eg__date_from_dmy(iso, t, n) == 0))
			rc = attr(st, "last_updated", iso, 10);
		else
			rc = attr(st, "last_updated", t, n);
		break;
	case T_OTHER:
		if (n > 0 && p->e.remarks == NULL)
			rc = eg__entity_set_str(&p->scratch, &p->e.remarks, t, n);
		break;
	case T_N1: case T_N2: case T_N3: case T_N4: case T_N5: case T_N6:
		rc = keep(st, tag - T_N1);
		break;
	case T_NAMETYPE: rc = keep(st, 6); break;
	case T_STRENGTH: rc = keep(st, 7); break;
	case T_NAME: rc = add_name(st); break;
	case T_NONLATIN_TEXT:
		rc = eg__entity_add_name(&p->scratch, &p->e, t, n, EG__NAME_AKA, 0);
		break;
	case T_AL1: case T_AL2: case T_AL3: case T_AL4: case T_AL5: case T_AL6:
		rc = keep(st, tag - T_AL1);
		break;
	case T_POSTCODE: rc = keep(st, 6); break;
	case T_ADCOUNTRY: rc = keep(st, 7); break;
	case T_ADDR: rc = add_address(st); break;
	case T_NATIONALITY: rc = eg__entity_add_country(&p->scratch, &p->e, t, n); break;
	case T_DOB:
		if (!st->has_dob && eg__date_dmy_or_year(iso, t, n) != 0) {
			st->has_dob = 1;
			rc = attr(st, "dob", iso, strlen(iso));
		}
		break;
	case T_TOWN: rc = keep(st, 0); break;
	case T_COB: rc = keep(st, 1); break;
	case T_BIRTH: {
		const char *pob = NULL;
		if ((rc = eg__xr_join(p, &pob, st->g[0], ", ", st->g[1])) == 0 && pob != NULL)
			rc = attr(st, "pob", pob, strlen(pob));
		break;
	}
	default:
		break;
	}
	return eg__xr_check(r, rc, err);
}

static const eg__xr_parser parser = {
	sizeof(uk_state), offsetof(uk_state, r), offsetof(uk_state, p), on_start, on_end, NULL, markers
};

int eg__uk_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
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

const eg__format eg__format_uk_xml = {
	"uk-xml", "uk-fcdo", "UK Sanctions List XML (FCDO)", detect, parse
};
