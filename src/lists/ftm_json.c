/* ftm_json.c - OpenSanctions FollowTheMoney entities, one JSON object per line.
 *
 * Parties (Person, LegalEntity, Organization, Company, PublicBody, Vessel,
 * Airplane) become entities with the FtM id as uid; other schemas (Address,
 * Sanction, Identification, relations, ...) are skipped and counted, with
 * one warning. The format names no source: the user gives it. */
#include "csv_formats.h"
#include "csvread.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/date.h"
#include "../util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

typedef struct ftm_state {
	eg__parse_ctx *ctx;
	const char *name;
	eg_error *err;
	unsigned long line;
	eg__buf join;          /* values joined by "; " for one attribute */
	size_t skipped;        /* records of non-party schemas */
	char first_skipped[64];
	unsigned long first_skipped_line;
} ftm_state;

static const struct { const char *schema; eg_entity_type type; } parties[] = {
	{"Person", EG_TYPE_INDIVIDUAL}, {"LegalEntity", EG_TYPE_ENTITY},
	{"Organization", EG_TYPE_ENTITY}, {"Company", EG_TYPE_ENTITY},
	{"PublicBody", EG_TYPE_ENTITY}, {"Vessel", EG_TYPE_VESSEL},
	{"Airplane", EG_TYPE_AIRCRAFT},
};

/* Calls fn on every non-empty string of properties[prop] (an array of
 * strings in FtM; a lone string is accepted too). A non-string value is
 * EG_EPARSE naming the property. */
typedef int (*value_fn)(ftm_state *st, eg__entity *e, const char *s, size_t len, void *arg);

/* A value over the cap every list format has on a field (a CSV field, an
 * XML text): EG_ETOOBIG, as in those. */
static int over_cap(ftm_state *st, const char *prop)
{
	return eg__error_set(st->err, EG_ETOOBIG, "%s:%lu: field properties.%s: a value over %d bytes",
	                     st->name, st->line, prop, EG__CAP_FIELD_BYTES);
}

static int each_value(ftm_state *st, eg__entity *e, json_t *props, const char *prop,
                      value_fn fn, void *arg)
{
	json_t *v = props != NULL ? json_object_get(props, prop) : NULL;
	json_t *item;
	size_t i;
	int rc;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		if (json_string_length(v) > EG__CAP_FIELD_BYTES)
			return over_cap(st, prop);
		return fn(st, e, json_string_value(v), json_string_length(v), arg);
	}
	if (!json_is_array(v))
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field properties.%s: not an array",
		                     st->name, st->line, prop);
	json_array_foreach(v, i, item) {
		const char *s;
		size_t len;

		if (!json_is_string(item))
			return eg__error_set(st->err, EG_EPARSE,
			                     "%s:%lu: field properties.%s[%zu]: not a string",
			                     st->name, st->line, prop, i);
		s = json_string_value(item);
		len = json_string_length(item);
		if (len > EG__CAP_FIELD_BYTES)
			return over_cap(st, prop);
		eg__csv_trim(&s, &len);
		if (len > 0 && (rc = fn(st, e, s, len, arg)) != 0)
			return rc;
	}
	return 0;
}

static int fail_add(ftm_state *st, int rc, const char *prop)
{
	return eg__error_set(st->err, rc, "%s:%lu: field properties.%s: %s", st->name, st->line,
	                     prop, rc == EG_ETOOBIG ? "too many values" : "out of memory");
}

typedef struct name_arg {
	eg__name_kind kind;
	int weak;
	const char *prop;
} name_arg;

static int v_name(ftm_state *st, eg__entity *e, const char *s, size_t len, void *arg)
{
	const name_arg *na = arg;
	eg__name_kind kind = na->kind;
	int rc;

	/* The first `name` is the primary name; the others are aliases. */
	if (kind == EG__NAME_PRIMARY && e->n_names > 0)
		kind = EG__NAME_AKA;
	rc = eg__entity_add_name(st->ctx->set, e, s, len, kind, na->weak);
	return rc != 0 ? fail_add(st, rc, na->prop) : 0;
}

static int v_country(ftm_state *st, eg__entity *e, const char *s, size_t len, void *arg)
{
	int rc = eg__entity_add_country(st->ctx->set, e, s, len);

	return rc != 0 ? fail_add(st, rc, arg) : 0;
}

static int v_program(ftm_state *st, eg__entity *e, const char *s, size_t len, void *arg)
{
	int rc = eg__entity_add_program(st->ctx->set, e, s, len);

	return rc != 0 ? fail_add(st, rc, arg) : 0;
}

static int v_address(ftm_state *st, eg__entity *e, const char *s, size_t len, void *arg)
{
	eg__address a;
	int rc;

	eg__buf_reset(&st->join);
	if ((rc = eg__buf_add(&st->join, s, len)) != 0)
		return fail_add(st, rc, arg);
	memset(&a, 0, sizeof(a));
	a.street = eg__buf_str(&st->join);
	rc = eg__entity_add_address(st->ctx->set, e, &a);
	return rc != 0 ? fail_add(st, rc, arg) : 0;
}

/* Appends to st->join, "; "-separated. */
static int v_join(ftm_state *st, eg__entity *e, const char *s, size_t len, void *arg)
{
	int rc = 0;

	(void)e;
	if (st->join.len > 0)
		rc = eg__buf_add(&st->join, "; ", 2);
	if (rc == 0)
		rc = eg__buf_add(&st->join, s, len);
	return rc != 0 ? fail_add(st, rc, arg) : 0;
}

/* Keeps the first value only, in st->join. */
static int v_first(ftm_state *st, eg__entity *e, const char *s, size_t len, void *arg)
{
	int rc = 0;

	(void)e;
	if (st->join.len == 0)
		rc = eg__buf_add(&st->join, s, len);
	return rc != 0 ? fail_add(st, rc, arg) : 0;
}

/* Sets attribute key from property prop, joined (all values) or first. */
static int prop_attr(ftm_state *st, eg__entity *e, json_t *props, const char *prop,
                     const char *key, int all)
{
	int rc;

	eg__buf_reset(&st->join);
	if ((rc = each_value(st, e, props, prop, all ? v_join : v_first, (void *)prop)) != 0)
		return rc;
	rc = eg__entity_add_attr(st->ctx->set, e, key, eg__buf_str(&st->join), st->join.len);
	return rc != 0 ? fail_add(st, rc, prop) : 0;
}

/* Sets *field to the YYYY-MM-DD prefix of the first value of prop, if any. */
static int prop_date(ftm_state *st, eg__entity *e, json_t *props, const char *prop,
                     const char **field)
{
	char d[11];
	int rc;

	eg__buf_reset(&st->join);
	if ((rc = each_value(st, e, props, prop, v_first, (void *)prop)) != 0)
		return rc;
	if (st->join.len >= 10 && eg__date_iso(d, st->join.ptr, 10) == 0 &&
	    (rc = eg__entity_set_str(st->ctx->set, field, d, 10)) != 0)
		return fail_add(st, rc, prop);
	return 0;
}

/* Adds a top-level string or array of strings as an attribute. */
static int top_attr(ftm_state *st, eg__entity *e, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	json_t *item;
	size_t i;
	int rc;

	eg__buf_reset(&st->join);
	if (json_is_string(v)) {
		rc = eg__buf_add(&st->join, json_string_value(v), json_string_length(v));
		if (rc != 0)
			return fail_add(st, rc, key);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			if (json_is_string(item) &&
			    (rc = v_join(st, e, json_string_value(item), json_string_length(item),
			                 (void *)key)) != 0)
				return rc;
		}
	}
	rc = eg__entity_add_attr(st->ctx->set, e, key, eg__buf_str(&st->join), st->join.len);
	return rc != 0 ? fail_add(st, rc, key) : 0;
}

static int one_record(ftm_state *st, json_t *obj)
{
	static const name_arg primary = {EG__NAME_PRIMARY, 0, "name"};
	static const name_arg aka = {EG__NAME_AKA, 0, "alias"};
	static const name_arg fka = {EG__NAME_FKA, 0, "previousName"};
	static const name_arg weak = {EG__NAME_AKA, 1, "weakAlias"};
	eg__entity_set *set = st->ctx->set;
	json_t *id, *schema, *props, *names;
	eg_entity_type type = EG_TYPE_ANY;
	const char *sch;
	eg__entity *e;
	size_t i;
	int rc, dup;

	if (!json_is_object(obj))
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: not a JSON object", st->name,
		                     st->line);
	schema = json_object_get(obj, "schema");
	if (!json_is_string(schema))
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field schema: missing",
		                     st->name, st->line);
	sch = json_string_value(schema);
	for (i = 0; i < sizeof(parties) / sizeof(parties[0]); i++)
		if (strcmp(sch, parties[i].schema) == 0)
			type = parties[i].type;
	if (type == EG_TYPE_ANY) {
		if (st->skipped++ == 0) {
			snprintf(st->first_skipped, sizeof(st->first_skipped), "%s", sch);
			st->first_skipped_line = st->line;
		}
		return 0;
	}
	id = json_object_get(obj, "id");
	if (!json_is_string(id) || json_string_length(id) == 0)
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field id: missing", st->name,
		                     st->line);
	props = json_object_get(obj, "properties");
	if (props != NULL && !json_is_object(props))
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field properties: not an object",
		                     st->name, st->line);
	names = props != NULL ? json_object_get(props, "name") : NULL;
	if (names == NULL || (json_is_array(names) && json_array_size(names) == 0))
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field properties.name: missing",
		                     st->name, st->line);
	e = eg__entity_set_add(set, json_string_value(id), json_string_length(id), &dup);
	if (e == NULL) {
		if (dup)
			return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field id: \"%.64s\" repeats",
			                     st->name, st->line, json_string_value(id));
		return eg__error_set(st->err, EG_ENOMEM, "%s:%lu: out of memory (or over %u entities)",
		                     st->name, st->line, EG__CAP_ENTITIES);
	}
	e->type = type;
	if ((rc = each_value(st, e, props, "name", v_name, (void *)&primary)) != 0)
		return rc;
	if (e->n_names == 0)
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field properties.name: empty",
		                     st->name, st->line);
	if ((rc = each_value(st, e, props, "alias", v_name, (void *)&aka)) != 0 ||
	    (rc = each_value(st, e, props, "previousName", v_name, (void *)&fka)) != 0 ||
	    (rc = each_value(st, e, props, "weakAlias", v_name, (void *)&weak)) != 0 ||
	    (rc = each_value(st, e, props, "country", v_country, "country")) != 0 ||
	    (rc = each_value(st, e, props, "nationality", v_country, "nationality")) != 0 ||
	    (rc = each_value(st, e, props, "citizenship", v_country, "citizenship")) != 0 ||
	    (rc = each_value(st, e, props, "program", v_program, "program")) != 0 ||
	    (rc = each_value(st, e, props, "programId", v_program, "programId")) != 0 ||
	    (rc = each_value(st, e, props, "address", v_address, "address")) != 0 ||
	    (rc = prop_attr(st, e, props, "topics", "topics", 1)) != 0 ||
	    (rc = prop_attr(st, e, props, "birthDate", "dob", 0)) != 0 ||
	    (rc = prop_attr(st, e, props, "sourceUrl", "source_url", 0)) != 0 ||
	    (rc = prop_attr(st, e, props, "notes", "remarks", 1)) != 0 ||
	    (rc = top_attr(st, e, obj, "datasets")) != 0 ||
	    (rc = top_attr(st, e, obj, "first_seen")) != 0 ||
	    (rc = top_attr(st, e, obj, "last_change")) != 0 ||
	    (rc = prop_date(st, e, props, "startDate", &e->start_date)) != 0 ||
	    (rc = prop_date(st, e, props, "endDate", &e->end_date)) != 0)
		return rc;
	e->remarks = eg__entity_attr(e, "remarks");
	return 0;
}

int eg__ftm_json_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                           const char *name, eg_error *err)
{
	ftm_state st;
	size_t pos = 0;
	int rc = 0;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.name = name;
	st.err = err;
	eg__buf_init(&st.join, EG__CAP_LINE_BYTES);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3; /* a UTF-8 byte order mark (RFC 8259 8.1: may be ignored) */
	while (pos < len) {
		const char *line = data + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - line) : len - pos;
		json_error_t jerr;
		json_t *obj;
		size_t i;

		pos += nl != NULL ? n + 1 : n;
		st.line++;
		if (n > EG__CAP_LINE_BYTES) {
			rc = eg__error_set(err, EG_ETOOBIG, "%s:%lu: line over %d bytes", name, st.line,
			                   EG__CAP_LINE_BYTES);
			goto done;
		}
		for (i = 0; i < n; i++)
			if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
				break;
		if (i == n)
			continue;
		obj = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);
		if (obj == NULL) {
			rc = eg__error_set(err, EG_EPARSE, "%s:%lu: column %d: %s", name, st.line,
			                   jerr.column, jerr.text);
			goto done;
		}
		rc = one_record(&st, obj);
		json_decref(obj);
		if (rc != 0)
			goto done;
	}
	if (ctx->set->n == 0 && st.skipped == 0) {
		rc = eg__error_set(err, EG_EEMPTY, "%s: no entities", name);
		goto done;
	}
	if (st.skipped > 0)
		eg__parse_warn(ctx, "%s: %zu records of schemas that are not parties skipped "
		               "(the first, line %lu: %s)", name, st.skipped,
		               st.first_skipped_line, st.first_skipped);
done:
	eg__buf_free(&st.join);
	return rc;
}

static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	rc = eg__read_file(&data, &len, path, ctx->sha, err);
	if (rc == 0)
		rc = eg__ftm_json_parse_mem(ctx, data, len, path, err);
	eg__free(data);
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* How much of the file detect() reads to find the first line. */
#define FTM_DETECT_BYTES (64 * 1024)

static int detect(const char *path)
{
	char *buf = NULL;
	const char *p, *nl;
	size_t n, i;
	json_t *obj = NULL;
	json_error_t jerr;
	FILE *f = NULL;
	int ok = 0;

	if (!ends_with(path, ".json") && !ends_with(path, ".jsonl"))
		return 0; /* ".ftm.json" ends with ".json" */
	f = fopen(path, "rb");
	if (f == NULL)
		goto done;
	if ((buf = eg__malloc(FTM_DETECT_BYTES)) == NULL) {
		ok = EG_ENOMEM;
		goto done;
	}
	n = fread(buf, 1, FTM_DETECT_BYTES, f);
	i = n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* a byte order mark */
	for (; i < n; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n')
			break;
	if (i == n || buf[i] != '{')
		goto done;
	p = buf + i;
	nl = memchr(p, '\n', n - i);
	obj = json_loadb(p, nl != NULL ? (size_t)(nl - p) : n - i, 0, &jerr);
	if (obj == NULL && json_error_code(&jerr) == json_error_out_of_memory)
		ok = EG_ENOMEM;
	else
		ok = json_is_object(obj) && json_is_string(json_object_get(obj, "schema"));
done:
	json_decref(obj);
	eg__free(buf);
	if (f != NULL)
		fclose(f);
	return ok;
}

const eg__format eg__format_ftm_json = {
	"ftm-json", NULL, "OpenSanctions FollowTheMoney JSON lines", detect, parse
};
