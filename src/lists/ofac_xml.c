/* ofac_xml.c - OFAC's classic sdnList XML (SDN.XML, CONSOLIDATED.XML).
 *
 * Mapping: uid = sdnEntry/uid; primary name and aliases written as OFAC's
 * CSV files write them: "lastName, firstName" when there is a first name,
 * else lastName; aka category "weak" is a weak alias, type f.k.a./n.k.a. a
 * former/new name; type from sdnType; programs from programList; countries
 * from nationalities, citizenships and address countries; ids as attributes
 * "id:TYPE"; published = publshInformation/Publish_Date (sic) as YYYY-MM-DD.
 * The same schema serves SDN.XML, whose source is us-ofac-sdn: the import
 * names it, the format's default is the consolidated list. */
#include "xml_formats.h"
#include "xmlread.h"
#include "../util/alloc.h"
#include "../util/date.h"
#include "../util/error.h"

#include <stddef.h>
#include <string.h>

enum {
	T_NONE = 0, T_ROOT, T_PUB, T_PUB_DATE, T_PUB_COUNT, T_ENTRY,
	T_UID, T_FIRST, T_LAST, T_TITLE, T_TYPE, T_REMARKS,
	T_PROGRAMS, T_PROGRAM,
	T_IDS, T_ID, T_ID_UID, T_ID_TYPE, T_ID_NUMBER, T_ID_COUNTRY, T_ID_ISSUE, T_ID_EXPIRY,
	T_AKAS, T_AKA, T_AKA_UID, T_AKA_TYPE, T_AKA_CATEGORY, T_AKA_LAST, T_AKA_FIRST,
	T_ADDRS, T_ADDR, T_AD_UID, T_AD_1, T_AD_2, T_AD_3, T_AD_CITY, T_AD_STATE,
	T_AD_POSTAL, T_AD_COUNTRY, T_AD_REGION,
	T_NATS, T_NAT, T_CITS, T_CIT, T_CO_UID, T_CO_COUNTRY, T_CO_MAIN,
	T_DOBS, T_DOB, T_DOB_UID, T_DOB_VALUE, T_DOB_MAIN,
	T_POBS, T_POB, T_POB_UID, T_POB_VALUE, T_POB_MAIN,
	T_VESSEL, T_V_CALLSIGN, T_V_TYPE, T_V_FLAG, T_V_OWNER, T_V_TONNAGE, T_V_GRT
};

static const eg__xr_known known[] = {
	{T_NONE, "sdnList", T_ROOT},
	{T_ROOT, "publshInformation", T_PUB},
	{T_ROOT, "publishInformation", T_PUB},
	{T_PUB, "Publish_Date", T_PUB_DATE},
	{T_PUB, "Record_Count", T_PUB_COUNT},
	{T_ROOT, "sdnEntry", T_ENTRY},
	{T_ENTRY, "uid", T_UID},
	{T_ENTRY, "firstName", T_FIRST},
	{T_ENTRY, "lastName", T_LAST},
	{T_ENTRY, "title", T_TITLE},
	{T_ENTRY, "sdnType", T_TYPE},
	{T_ENTRY, "remarks", T_REMARKS},
	{T_ENTRY, "programList", T_PROGRAMS},
	{T_PROGRAMS, "program", T_PROGRAM},
	{T_ENTRY, "idList", T_IDS},
	{T_IDS, "id", T_ID},
	{T_ID, "uid", T_ID_UID},
	{T_ID, "idType", T_ID_TYPE},
	{T_ID, "idNumber", T_ID_NUMBER},
	{T_ID, "idCountry", T_ID_COUNTRY},
	{T_ID, "issueDate", T_ID_ISSUE},
	{T_ID, "expirationDate", T_ID_EXPIRY},
	{T_ENTRY, "akaList", T_AKAS},
	{T_AKAS, "aka", T_AKA},
	{T_AKA, "uid", T_AKA_UID},
	{T_AKA, "type", T_AKA_TYPE},
	{T_AKA, "category", T_AKA_CATEGORY},
	{T_AKA, "lastName", T_AKA_LAST},
	{T_AKA, "firstName", T_AKA_FIRST},
	{T_ENTRY, "addressList", T_ADDRS},
	{T_ADDRS, "address", T_ADDR},
	{T_ADDR, "uid", T_AD_UID},
	{T_ADDR, "address1", T_AD_1},
	{T_ADDR, "address2", T_AD_2},
	{T_ADDR, "address3", T_AD_3},
	{T_ADDR, "city", T_AD_CITY},
	{T_ADDR, "stateOrProvince", T_AD_STATE},
	{T_ADDR, "postalCode", T_AD_POSTAL},
	{T_ADDR, "country", T_AD_COUNTRY},
	{T_ADDR, "region", T_AD_REGION},
	{T_ENTRY, "nationalityList", T_NATS},
	{T_NATS, "nationality", T_NAT},
	{T_ENTRY, "citizenshipList", T_CITS},
	{T_CITS, "citizenship", T_CIT},
	{T_NAT, "uid", T_CO_UID},
	{T_NAT, "country", T_CO_COUNTRY},
	{T_NAT, "mainEntry", T_CO_MAIN},
	{T_CIT, "uid", T_CO_UID},
	{T_CIT, "country", T_CO_COUNTRY},
	{T_CIT, "mainEntry", T_CO_MAIN},
	{T_ENTRY, "dateOfBirthList", T_DOBS},
	{T_DOBS, "dateOfBirthItem", T_DOB},
	{T_DOB, "uid", T_DOB_UID},
	{T_DOB, "dateOfBirth", T_DOB_VALUE},
	{T_DOB, "mainEntry", T_DOB_MAIN},
	{T_ENTRY, "placeOfBirthList", T_POBS},
	{T_POBS, "placeOfBirthItem", T_POB},
	{T_POB, "uid", T_POB_UID},
	{T_POB, "placeOfBirth", T_POB_VALUE},
	{T_POB, "mainEntry", T_POB_MAIN},
	{T_ENTRY, "vesselInfo", T_VESSEL},
	{T_VESSEL, "callSign", T_V_CALLSIGN},
	{T_VESSEL, "vesselType", T_V_TYPE},
	{T_VESSEL, "vesselFlag", T_V_FLAG},
	{T_VESSEL, "vesselOwner", T_V_OWNER},
	{T_VESSEL, "tonnage", T_V_TONNAGE},
	{T_VESSEL, "grossRegisteredTonnage", T_V_GRT},
};

/* The fields of the group (id, aka, address) being read. */
typedef struct group {
	const char *a, *b, *c, *d, *e, *f, *g;
} group;

typedef struct ofac_state {
	eg__xr r;
	eg__xr_entity p;
	const char *first, *last; /* of the entry */
	group g;
	size_t entries;           /* sdnEntry elements read */
	const char *count;        /* Record_Count as written, or NULL */
	char count_buf[24];
} ofac_state;

static const char *const markers[] = {"<sdnList", NULL};

static int keep(ofac_state *st, const char **out)
{
	return eg__xr_keep(&st->p, out, st->r.text, st->r.text_len);
}

static int attr(ofac_state *st, const char *key)
{
	return eg__entity_add_attr(&st->p.scratch, &st->p.e, key, st->r.text, st->r.text_len);
}

/* "LAST, First" or whichever part there is, as OFAC's CSV writes names. */
static int full_name(ofac_state *st, const char **out, const char *last, const char *first)
{
	return eg__xr_join(&st->p, out, last, ", ", first);
}

static int set_type(ofac_state *st)
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
		eg__xr_warn_once(&st->r, t, "%s: unknown sdnType \"%s\" read as unknown",
		                 eg__xr_path(&st->r), t);
	return 0;
}

static int add_aka(ofac_state *st)
{
	const char *type = st->g.a, *category = st->g.b, *name = NULL;
	eg__name_kind kind = EG__NAME_AKA;
	int weak, rc;

	/* a type, b category, c last, d first */
	if ((rc = full_name(st, &name, st->g.c, st->g.d)) != 0 || name == NULL)
		return rc;
	if (type != NULL && strcmp(type, "f.k.a.") == 0)
		kind = EG__NAME_FKA;
	else if (type != NULL && strcmp(type, "n.k.a.") == 0)
		kind = EG__NAME_NKA;
	else if (type != NULL && strcmp(type, "a.k.a.") != 0)
		eg__xr_warn_once(&st->r, type, "%s: unknown aka type \"%s\" read as a.k.a.",
		                 eg__xr_path(&st->r), type);
	weak = category != NULL && strcmp(category, "weak") == 0;
	return eg__entity_add_name(&st->p.scratch, &st->p.e, name, strlen(name), kind, weak);
}

static int add_address(ofac_state *st)
{
	eg__address a;
	const char *street = NULL, *city = NULL;
	int rc;

	/* a address1, b address2, c address3, d city, e state, f postal, g country */
	if ((rc = eg__xr_join(&st->p, &street, st->g.a, ", ", st->g.b)) != 0 ||
	    (rc = eg__xr_join(&st->p, &street, street, ", ", st->g.c)) != 0 ||
	    (rc = eg__xr_join(&st->p, &city, st->g.d, ", ", st->g.e)) != 0 ||
	    (rc = eg__xr_join(&st->p, &city, city, " ", st->g.f)) != 0)
		return rc;
	a.street = street;
	a.city = city;
	a.country = st->g.g;
	a.remarks = NULL;
	if ((rc = eg__entity_add_address(&st->p.scratch, &st->p.e, &a)) != 0)
		return rc;
	if (a.country != NULL)
		rc = eg__entity_add_country(&st->p.scratch, &st->p.e, a.country, strlen(a.country));
	return rc;
}

static int add_id(ofac_state *st)
{
	const char *key = NULL, *value = NULL;
	int rc;

	/* a type, b number */
	if (st->g.b == NULL)
		return 0;
	if ((rc = eg__xr_join(&st->p, &key, "id", ":", st->g.a != NULL ? st->g.a : "?")) != 0)
		return rc;
	value = st->g.b;
	return eg__entity_add_attr(&st->p.scratch, &st->p.e, key, value, strlen(value));
}

static int on_start(void *arg, eg_error *err)
{
	ofac_state *st = arg;
	eg__xr *r = &st->r;

	if (r->depth == 1 && strcmp(r->name, "sdnList") != 0)
		return eg__xr_fail(r, err, EG_EPARSE, "not an OFAC sdnList (root element %s)",
		                   r->name);
	switch (eg__xr_classify(r, known, sizeof(known) / sizeof(known[0]))) {
	case T_ENTRY:
		eg__xr_entity_reset(&st->p);
		st->first = st->last = NULL;
		st->entries++;
		break;
	case T_ID: case T_AKA: case T_ADDR:
		memset(&st->g, 0, sizeof(st->g));
		break;
	default:
		break;
	}
	return 0;
}

static int on_end(void *arg, eg_error *err)
{
	ofac_state *st = arg;
	eg__xr *r = &st->r;
	eg__xr_entity *p = &st->p;
	const char *t = r->text;
	size_t n = r->text_len;
	char date[11];
	int rc = 0;

	switch (eg__xr_tag(r)) {
	case T_PUB_DATE:
		if (eg__date_from_mdy(date, t, n) == 0) {
			eg__entity_set *set = r->ctx->set;
			set->published = eg__arena_strndup(&set->arena, date, 10);
			if (set->published == NULL)
				rc = EG_ENOMEM;
		} else {
			eg__xr_warn_once(r, "Publish_Date", "%s: Publish_Date \"%s\" is not MM/DD/YYYY",
			                 eg__xr_path(r), t);
		}
		break;
	case T_PUB_COUNT:
		snprintf(st->count_buf, sizeof(st->count_buf), "%.*s", (int)(n < 20 ? n : 20), t);
		st->count = st->count_buf;
		break;
	case T_ENTRY:
		if ((rc = full_name(st, &p->primary, st->last, st->first)) != 0)
			break;
		return eg__xr_entity_commit(r, p, "uid", err);
	case T_UID: rc = keep(st, &p->uid); break;
	case T_FIRST: rc = keep(st, &st->first); break;
	case T_LAST: rc = keep(st, &st->last); break;
	case T_TITLE: rc = attr(st, "title"); break;
	case T_TYPE: rc = set_type(st); break;
	case T_REMARKS:
		if (n > 0)
			rc = eg__entity_set_str(&p->scratch, &p->e.remarks, t, n);
		break;
	case T_PROGRAM: rc = eg__entity_add_program(&p->scratch, &p->e, t, n); break;
	case T_ID_TYPE: rc = keep(st, &st->g.a); break;
	case T_ID_NUMBER: rc = keep(st, &st->g.b); break;
	case T_ID: rc = add_id(st); break;
	case T_AKA_TYPE: rc = keep(st, &st->g.a); break;
	case T_AKA_CATEGORY: rc = keep(st, &st->g.b); break;
	case T_AKA_LAST: rc = keep(st, &st->g.c); break;
	case T_AKA_FIRST: rc = keep(st, &st->g.d); break;
	case T_AKA: rc = add_aka(st); break;
	case T_AD_1: rc = keep(st, &st->g.a); break;
	case T_AD_2: rc = keep(st, &st->g.b); break;
	case T_AD_3: rc = keep(st, &st->g.c); break;
	case T_AD_CITY: rc = keep(st, &st->g.d); break;
	case T_AD_STATE: rc = keep(st, &st->g.e); break;
	case T_AD_POSTAL: rc = keep(st, &st->g.f); break;
	case T_AD_COUNTRY: rc = keep(st, &st->g.g); break;
	case T_ADDR: rc = add_address(st); break;
	case T_CO_COUNTRY: rc = eg__entity_add_country(&p->scratch, &p->e, t, n); break;
	case T_DOB_VALUE: rc = attr(st, "dob"); break;
	case T_POB_VALUE: rc = attr(st, "pob"); break;
	case T_V_CALLSIGN: rc = attr(st, "vessel_call_sign"); break;
	case T_V_TYPE: rc = attr(st, "vessel_type"); break;
	case T_V_FLAG: rc = attr(st, "vessel_flag"); break;
	case T_V_OWNER: rc = attr(st, "vessel_owner"); break;
	case T_V_TONNAGE: rc = attr(st, "vessel_tonnage"); break;
	case T_V_GRT: rc = attr(st, "vessel_grt"); break;
	default: break;
	}
	return eg__xr_check(r, rc, err);
}

/* After the last event: Record_Count, which lives in the state (not in
 * the freed scratch entity), against the entries read. */
static int finish(void *arg, eg_error *err)
{
	ofac_state *st = arg;
	char counted[24];

	(void)err;
	snprintf(counted, sizeof(counted), "%zu", st->entries);
	if (st->count != NULL && strcmp(st->count, counted) != 0)
		eg__parse_warn(st->r.ctx, "%s: Record_Count says %s, the file holds %s sdnEntry",
		               st->r.file, st->count, counted);
	return 0;
}

static const eg__xr_parser parser = {
	sizeof(ofac_state), offsetof(ofac_state, r), offsetof(ofac_state, p), on_start, on_end,
	finish, markers
};

int eg__ofac_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
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

const eg__format eg__format_ofac_xml = {
	"ofac-xml", "us-ofac-cons", "OFAC classic sdnList XML (SDN.XML, CONSOLIDATED.XML)",
	detect, parse
};
