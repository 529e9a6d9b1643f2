/* uk_conlist_csv.c - HM Treasury OFSI Consolidated List of financial sanctions targets, CSV (ConList.csv).
 *
 * The file opens with a line "Last Updated,DD/MM/YYYY" (possibly padded with
 * empty fields), then a header row, then one row per name: the rows sharing
 * a Group ID are one listing, and need not be adjacent. Mapping: uid =
 * Group ID; type from Group Type (Individual, Entity, Ship); each row's name
 * is Name 1 .. Name 5 then Name 6 (the family name, or an entity's whole
 * name) joined by single spaces; the group's first row of Alias Type
 * "Primary name" (or the older "Prime Alias") is the primary name, wherever
 * it comes, and is kept first; "FKA" is a former name; every other row an
 * a.k.a., weak when Alias Quality begins "Low"; a group without a primary
 * row gets its first name as primary, with a warning. Name Non-Latin Script
 * is a strong a.k.a.; programs = Regime; countries = Nationality and Country
 * as written; start_date = UK Sanctions List Date Designated, else Listed
 * On (DD/MM/YYYY); remarks = the first Other Information; published = the
 * date of the first line. Per-listing facts repeat on every row; the first
 * value of each is kept, and distinct addresses and attributes once each. */
#include "euuk_formats.h"
#include "csvread.h"
#include "../util/date.h"
#include "../util/alloc.h"
#include "../util/error.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum {
	C_NAME6, C_NAME1, C_NAME2, C_NAME3, C_NAME4, C_NAME5, C_TITLE, C_NONLATIN,
	C_NONLATIN_TYPE, C_NONLATIN_LANG, C_DOB, C_TOWN, C_COB, C_NATIONALITY, C_PASSNUM,
	C_PASSDET, C_NIN, C_NIDET, C_POSITION, C_ADDR1, C_ADDR2, C_ADDR3, C_ADDR4, C_ADDR5,
	C_ADDR6, C_POSTCODE, C_COUNTRY, C_OTHER, C_GROUPTYPE, C_ALIASTYPE, C_QUALITY,
	C_REGIME, C_LISTED, C_DESIGNATED, C_LASTUPD, C_GROUPID, C_N
};

/* The 2022-format header, in the file's order. */
static const char *const known[C_N] = {
	"Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title",
	"Name Non-Latin Script", "Non-Latin Script Type", "Non-Latin Script Language", "DOB",
	"Town of Birth", "Country of Birth", "Nationality", "Passport Number",
	"Passport Details", "National Identification Number",
	"National Identification Details", "Position", "Address 1", "Address 2", "Address 3",
	"Address 4", "Address 5", "Address 6", "Post/Zip Code", "Country", "Other Information",
	"Group Type", "Alias Type", "Alias Quality", "Regime", "Listed On",
	"UK Sanctions List Date Designated", "Last Updated", "Group ID",
};

/* Columns kept as one attribute each (every distinct value). */
static const struct {
	int col;
	const char *key;
} col_attrs[] = {
	{C_TITLE, "title"}, {C_PASSNUM, "passport"}, {C_NIN, "national_id"},
	{C_POSITION, "position"},
};

#define WARN_KEYS 32

typedef struct conlist_state {
	eg__parse_ctx *ctx;
	const char *name;
	eg_error *err;
	int stage;            /* 0: the "Last Updated" line is due, 1: the header, 2: rows */
	size_t n_cols;
	int cols[C_N];
	eg__buf f[C_N];       /* the current row's cleaned fields */
	eg__buf tmp, tmp2;
	char published[11];
	size_t first;         /* the set's size before this parse */
	char warned[WARN_KEYS][48];
	size_t n_warned;
} conlist_state;

static const char *fld(const conlist_state *st, int k, size_t *len)
{
	*len = st->f[k].len;
	return eg__buf_str(&st->f[k]);
}

/* Warns once per key (truncated to 47 bytes), up to WARN_KEYS keys. */
static void warn_once(conlist_state *st, const char *key, unsigned long line, const char *what,
                      const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < st->n_warned; i++)
		if (strncmp(st->warned[i], key, sizeof(st->warned[i]) - 1) == 0)
			return;
	if (st->n_warned == WARN_KEYS)
		return;
	snprintf(st->warned[st->n_warned++], sizeof(st->warned[0]), "%s", key);
	eg__parse_warn(st->ctx, "%s:%lu: %s \"%.*s\"", st->name, line, what,
	               (int)(n > 60 ? 60 : n), v);
}

static int fail(conlist_state *st, unsigned long line, int rc)
{
	return eg__error_set(st->err, rc, "%s:%lu: %s", st->name, line,
	                     rc == EG_ETOOBIG ? "too many names or too large" : eg_strerror(rc));
}

static int set_attr(conlist_state *st, eg__entity *e, const char *key, const char *v, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < e->n_attrs; i++)
		if (strcmp(e->attrs[i].key, key) == 0 && strlen(e->attrs[i].value) == n &&
		    memcmp(e->attrs[i].value, v, n) == 0)
			return 0;
	return eg__entity_add_attr(st->ctx->set, e, key, v, n);
}

static int trim_eq(const char *s, size_t n, const char *want)
{
	eg__csv_trim(&s, &n);
	return strlen(want) == n && strncasecmp(s, want, n) == 0;
}

static int on_first_line(conlist_state *st, const eg__csv_row *row)
{
	const char *s = row->n > 0 ? row->fields[0] : "";
	size_t n = row->n > 0 ? row->lens[0] : 0;
	char iso[11];

	eg__csv_trim(&s, &n);
	if (n > 0 && s[n - 1] == ':')
		n--;
	if (n != 12 || strncasecmp(s, "Last Updated", 12) != 0)
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field Last Updated: the first line "
		                     "is not \"Last Updated,DD/MM/YYYY\"", st->name, row->line);
	s = row->n > 1 ? row->fields[1] : "";
	n = row->n > 1 ? row->lens[1] : 0;
	eg__csv_trim(&s, &n);
	if (eg__date_from_dmy(iso, s, n) != 0)
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field Last Updated: \"%.*s\" is not "
		                     "a DD/MM/YYYY date", st->name, row->line, (int)(n > 40 ? 40 : n), s);
	memcpy(st->published, iso, sizeof(iso));
	st->stage = 1;
	return 0;
}

static int on_header(conlist_state *st, const eg__csv_row *row)
{
	static const int required[] = {C_NAME6, C_GROUPTYPE, C_GROUPID};
	size_t i;
	int rc = eg__csv_header_map(row, known, C_N, st->cols, st->ctx, st->name, st->err);

	if (rc != 0)
		return rc;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (st->cols[required[i]] < 0)
			return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field %s: the header row lacks "
			                     "this column", st->name, row->line, known[required[i]]);
	st->n_cols = row->n;
	st->stage = 2;
	return 0;
}

/* Joins the non-empty fields cols[0..n) into out with sep. */
static int join(conlist_state *st, eg__buf *out, const int *cols, size_t n, const char *sep)
{
	size_t i, len;
	int rc;

	eg__buf_reset(out);
	for (i = 0; i < n; i++) {
		const char *s = fld(st, cols[i], &len);
		if (len == 0)
			continue;
		if (out->len > 0 && (rc = eg__buf_adds(out, sep)) != 0)
			return rc;
		if ((rc = eg__buf_add(out, s, len)) != 0)
			return rc;
	}
	return 0;
}

/* Makes (text, len) e's primary name, first in names[]. */
static int make_primary(conlist_state *st, eg__entity *e, const char *text, size_t len)
{
	eg__name n;
	size_t i;
	int rc;

	for (i = 0; i < e->n_names; i++)
		if (strlen(e->names[i].text) == len && memcmp(e->names[i].text, text, len) == 0)
			break;
	if (i == e->n_names) {
		if ((rc = eg__entity_add_name(st->ctx->set, e, text, len, EG__NAME_PRIMARY, 0)) != 0)
			return rc;
		i = e->n_names - 1;
	}
	n = e->names[i];
	n.kind = EG__NAME_PRIMARY;
	n.weak = 0;
	memmove(e->names + 1, e->names, i * sizeof(e->names[0]));
	e->names[0] = n;
	return 0;
}

static int add_name(conlist_state *st, eg__entity *e, unsigned long line)
{
	static const int parts[] = {C_NAME1, C_NAME2, C_NAME3, C_NAME4, C_NAME5, C_NAME6};
	const char *type, *quality;
	size_t tl, ql;
	eg__name_kind kind = EG__NAME_AKA;
	int rc, primary = 0, weak;

	if ((rc = join(st, &st->tmp, parts, 6, " ")) != 0)
		return fail(st, line, rc);
	if (st->tmp.len == 0)
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field Name 6: the row has no name "
		                     "in Name 1 .. Name 6", st->name, line);
	type = fld(st, C_ALIASTYPE, &tl);
	quality = fld(st, C_QUALITY, &ql);
	weak = ql >= 3 && strncasecmp(quality, "Low", 3) == 0;
	if (trim_eq(type, tl, "Primary name") || trim_eq(type, tl, "Prime Alias"))
		primary = 1;
	else if (trim_eq(type, tl, "FKA"))
		kind = EG__NAME_FKA;
	else if (tl > 0 && !trim_eq(type, tl, "AKA") && !trim_eq(type, tl, "Primary name variation"))
		warn_once(st, type, line, "field Alias Type: unknown value read as an a.k.a.:", type, tl);
	if (primary && (e->n_names == 0 || e->names[0].kind != EG__NAME_PRIMARY))
		rc = make_primary(st, e, st->tmp.ptr, st->tmp.len);
	else
		rc = eg__entity_add_name(st->ctx->set, e, st->tmp.ptr, st->tmp.len, kind,
		                         primary ? 0 : weak);
	if (rc == 0) {
		const char *s = fld(st, C_NONLATIN, &tl);
		rc = eg__entity_add_name(st->ctx->set, e, s, tl, EG__NAME_AKA, 0);
	}
	return rc != 0 ? fail(st, line, rc) : 0;
}

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int add_address(conlist_state *st, eg__entity *e)
{
	static const int street[] = {C_ADDR1, C_ADDR2, C_ADDR3};
	static const int city[] = {C_ADDR4, C_ADDR5, C_ADDR6, C_POSTCODE};
	eg__address a;
	size_t i, cl;
	int rc;

	if ((rc = join(st, &st->tmp, street, 3, ", ")) != 0 ||
	    (rc = join(st, &st->tmp2, city, 4, ", ")) != 0)
		return rc;
	memset(&a, 0, sizeof(a));
	a.street = st->tmp.len > 0 ? st->tmp.ptr : NULL;
	a.city = st->tmp2.len > 0 ? st->tmp2.ptr : NULL;
	a.country = fld(st, C_COUNTRY, &cl);
	if (cl == 0)
		a.country = NULL;
	for (i = 0; i < e->n_addresses; i++)
		if (same(e->addresses[i].street, a.street) && same(e->addresses[i].city, a.city) &&
		    same(e->addresses[i].country, a.country))
			return 0;
	return eg__entity_add_address(st->ctx->set, e, &a);
}

/* The ISO date of column k, or NULL (with one warning per column) when the
 * field is not DD/MM/YYYY. */
static const char *row_date(conlist_state *st, int k, unsigned long line, char out[11])
{
	size_t n;
	const char *s = fld(st, k, &n);

	if (n == 0)
		return NULL;
	if (eg__date_from_dmy(out, s, n) == 0)
		return out;
	warn_once(st, known[k], line, known[k], s, n);
	return NULL;
}

static int add_facts(conlist_state *st, eg__entity *e, unsigned long line)
{
	eg__entity_set *set = st->ctx->set;
	char d1[11], d2[11], d3[11];
	const char *listed, *designated, *updated, *s;
	size_t i, n;
	int rc;

	listed = row_date(st, C_LISTED, line, d1);
	designated = row_date(st, C_DESIGNATED, line, d2);
	updated = row_date(st, C_LASTUPD, line, d3);
	if (e->start_date == NULL && (designated != NULL || listed != NULL) &&
	    (rc = eg__entity_set_str(set, &e->start_date, designated ? designated : listed, 10)) != 0)
		return rc;
	if ((listed && (rc = set_attr(st, e, "listed_on", listed, 10)) != 0) ||
	    (designated && (rc = set_attr(st, e, "date_designated", designated, 10)) != 0) ||
	    (updated && (rc = set_attr(st, e, "last_updated", updated, 10)) != 0))
		return rc;
	s = fld(st, C_REGIME, &n);
	if ((rc = eg__entity_add_program(set, e, s, n)) != 0)
		return rc;
	s = fld(st, C_NATIONALITY, &n);
	if ((rc = eg__entity_add_country(set, e, s, n)) != 0)
		return rc;
	s = fld(st, C_COUNTRY, &n);
	if ((rc = eg__entity_add_country(set, e, s, n)) != 0)
		return rc;
	if ((rc = add_address(st, e)) != 0)
		return rc;
	s = fld(st, C_OTHER, &n);
	if (n > 0 && e->remarks == NULL && (rc = eg__entity_set_str(set, &e->remarks, s, n)) != 0)
		return rc;
	for (i = 0; i < sizeof(col_attrs) / sizeof(col_attrs[0]); i++) {
		s = fld(st, col_attrs[i].col, &n);
		if ((rc = set_attr(st, e, col_attrs[i].key, s, n)) != 0)
			return rc;
	}
	s = fld(st, C_DOB, &n);
	if (n > 0 && eg__entity_attr(e, "dob") == NULL) {
		size_t k = (size_t)eg__date_dmy_or_year(d1, s, n);

		rc = k > 0 ? set_attr(st, e, "dob", d1, k) : set_attr(st, e, "dob", s, n);
		if (rc != 0)
			return rc;
	}
	{
		static const int pob[] = {C_TOWN, C_COB};
		if ((rc = join(st, &st->tmp, pob, 2, ", ")) != 0 ||
		    (rc = set_attr(st, e, "pob", eg__buf_str(&st->tmp), st->tmp.len)) != 0)
			return rc;
	}
	return 0;
}

static int type_of(const char *s, size_t n, eg_entity_type *out)
{
	if (trim_eq(s, n, "Individual"))
		*out = EG_TYPE_INDIVIDUAL;
	else if (trim_eq(s, n, "Entity"))
		*out = EG_TYPE_ENTITY;
	else if (trim_eq(s, n, "Ship"))
		*out = EG_TYPE_VESSEL;
	else
		return 0;
	return 1;
}

static int on_row(void *ud, const eg__csv_row *row)
{
	conlist_state *st = ud;
	eg__entity_set *set = st->ctx->set;
	eg__entity *e;
	eg_entity_type type;
	const char *gid, *gt;
	size_t gl, tl;
	int rc, dup;

	if (st->stage == 0)
		return on_first_line(st, row);
	if (st->stage == 1)
		return on_header(st, row);
	if ((rc = eg__csv_row_fields(st->f, C_N, row, st->n_cols, st->cols, known, st->name,
	                             st->err)) != 0)
		return rc;
	gid = fld(st, C_GROUPID, &gl);
	if (gl == 0)
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field Group ID: empty", st->name,
		                     row->line);
	gt = fld(st, C_GROUPTYPE, &tl);
	if (!type_of(gt, tl, &type))
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field Group Type: unknown value "
		                     "\"%.*s\" (expected Individual, Entity or Ship)", st->name,
		                     row->line, (int)(tl > 40 ? 40 : tl), gt);
	e = eg__entity_set_find(set, gid, gl);
	if (e == NULL) {
		if (set->n >= EG__CAP_ENTITIES)
			return eg__error_set(st->err, EG_ETOOBIG, "%s:%lu: more than %u groups",
			                     st->name, row->line, EG__CAP_ENTITIES);
		e = eg__entity_set_add(set, gid, gl, &dup);
		if (e == NULL)
			return fail(st, row->line, EG_ENOMEM);
		e->type = type;
	} else if (e->type != type) {
		warn_once(st, "(group type)", row->line,
		          "field Group Type: differs between rows of one group; the first kept:", gt, tl);
	}
	if ((rc = add_name(st, e, row->line)) != 0)
		return rc;
	if ((rc = add_facts(st, e, row->line)) != 0)
		return fail(st, row->line, rc);
	return 0;
}

/* Gives every group of this parse without a primary row its first name as
 * primary, warning about the first such group and the count. */
static void promote_missing_primaries(conlist_state *st)
{
	eg__entity_set *set = st->ctx->set;
	size_t i, count = 0;
	const char *first = NULL;

	for (i = st->first; i < set->n; i++) {
		eg__entity *e = &set->v[i];
		if (e->n_names == 0 || e->names[0].kind == EG__NAME_PRIMARY)
			continue;
		e->names[0].kind = EG__NAME_PRIMARY;
		e->names[0].weak = 0;
		if (count++ == 0)
			first = e->uid;
	}
	if (count > 0)
		eg__parse_warn(st->ctx, "%s: %zu group(s) without an Alias Type \"Primary name\" row "
		               "(first: Group ID %s); their first name is taken as primary",
		               st->name, count, first);
}

int eg__uk_conlist_csv_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                                 const char *name, eg_error *err)
{
	conlist_state st;
	eg__csvread r;
	int k, rc;

	memset(&st, 0, sizeof(st));
	memset(&r, 0, sizeof(r));
	st.ctx = ctx;
	st.name = name;
	st.err = err;
	st.first = ctx->set->n;
	for (k = 0; k < C_N; k++)
		eg__buf_init(&st.f[k], EG__CAP_FIELD_BYTES);
	eg__buf_init(&st.tmp, 8 * (size_t)EG__CAP_FIELD_BYTES);
	eg__buf_init(&st.tmp2, 8 * (size_t)EG__CAP_FIELD_BYTES);
	if (data == NULL)
		len = 0;
	if (len > EG__CAP_LIST_FILE_BYTES) {
		rc = eg__error_set(err, EG_ETOOBIG, "%s: %zu bytes, over the cap of %u", name, len,
		                   EG__CAP_LIST_FILE_BYTES);
		goto done;
	}
	if (ctx->sha != NULL && len > 0 && eg__sha256_update(ctx->sha, data, len) != 0) {
		rc = eg__error_set(err, EG_EIO, "%s: cannot hash the input", name);
		goto done;
	}
	if ((rc = eg__csvread_init(&r, ',', name, on_row, &st, err)) != 0)
		goto done;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (len > 0)
		rc = eg__csvread_feed(&r, data, len);
	if (rc == 0)
		rc = eg__csvread_finish(&r);
	if (rc == 0 && st.stage < 2)
		rc = eg__error_set(err, EG_EEMPTY, "%s:1: field Last Updated: %s", name,
		                   st.stage == 0 ? "empty file" : "no header row");
	if (rc != 0)
		goto done;
	promote_missing_primaries(&st);
	if (eg__entity_set_str(ctx->set, &ctx->set->published, st.published, 10) != 0)
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", name);
done:
	eg__csvread_dispose(&r);
	for (k = 0; k < C_N; k++)
		eg__buf_free(&st.f[k]);
	eg__buf_free(&st.tmp);
	eg__buf_free(&st.tmp2);
	return rc;
}

static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	rc = eg__read_file(&data, &len, path, NULL, err);
	if (rc == 0)
		rc = eg__uk_conlist_csv_parse_mem(ctx, data, len, path, err);
	eg__free(data);
	return rc;
}

/* A ".csv" file (any case) whose first line starts "Last Updated". */
static int detect(const char *path)
{
	static const char want[] = "Last Updated";
	char head[3 + 1 + sizeof(want)];
	const char *h = head;
	size_t n = strlen(path);
	FILE *f;

	if (n < 4 || strcasecmp(path + n - 4, ".csv") != 0)
		return 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (n >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) {
		h += 3;
		n -= 3;
	}
	if (n > 0 && h[0] == '"') {
		h++;
		n--;
	}
	return n >= sizeof(want) - 1 && memcmp(h, want, sizeof(want) - 1) == 0;
}

const eg__format eg__format_uk_conlist_csv = {
	"uk-conlist-csv", "uk-hmt", "UK HM Treasury ConList CSV", detect, parse
};
