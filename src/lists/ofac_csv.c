/* ofac_csv.c - the OFAC legacy CSV parser: sdn.csv or cons_prim.csv with their address, alias and comments files. */
#include "ofac_csv.h"
#include "csvread.h"
#include "../util/alloc.h"
#include "../util/caps.h"
#include "../util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The four files of a publication, in the order their bytes are hashed. */
enum { F_PRIM, F_ADD, F_ALT, F_COMMENTS, F_COUNT };

static const char *const prim_fields[] = {
	"ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign",
	"Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"
};
static const char *const add_fields[] = {
	"ent_num", "add_num", "address", "city", "country", "add_remarks"
};
static const char *const alt_fields[] = {
	"ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"
};
static const char *const comments_fields[] = {"ent_num", "remarks"};

static const struct layout {
	const char *const *fields;
	size_t n_fields;
} layouts[F_COUNT] = {
	{prim_fields, sizeof(prim_fields) / sizeof(prim_fields[0])},
	{add_fields, sizeof(add_fields) / sizeof(add_fields[0])},
	{alt_fields, sizeof(alt_fields) / sizeof(alt_fields[0])},
	{comments_fields, sizeof(comments_fields) / sizeof(comments_fields[0])},
};

#define UID_MAX_DIGITS 20      /* ent_num, add_num, alt_num */
#define MAX_ADDRESSES EG__CAP_NAMES_PER_ENTITY  /* per entity */
#define MAX_COUNTRIES EG__CAP_NAMES_PER_ENTITY  /* per entity */
#define MAX_PROGRAMS 256        /* per entity; OFAC's most is 8 */
#define MAX_COUNTRY_BYTES 128   /* a `nationality X` fact longer is not one */

/* The primary file's attributes, by column. */
static const struct {
	size_t col;
	const char *key;
} prim_attrs[] = {
	{4, "title"}, {5, "call_sign"}, {6, "vessel_type"}, {7, "tonnage"},
	{8, "grt"}, {9, "vessel_flag"}, {10, "vessel_owner"},
};

/* A field of the current row; p is NULL for the null marker "-0-". */
typedef struct field {
	const char *p;
	size_t n;
} field;

/* The state of one file being parsed. */
typedef struct file_state {
	eg__parse_ctx *ctx;
	eg_error *err;
	const char *name;      /* base name for messages */
	const char *prim_name; /* the primary file's base name */
	int kind;              /* F_* */
	const struct layout *lay;
	const eg__csv_row *row; /* the current row */
	size_t rows;           /* rows processed */
	int rc;                /* first error, 0 if none */
} file_state;

/* OFAC's CSV: no header, fields in a fixed order, "-0-" for null, spaces
 * around fields not part of them, every field UTF-8, a last 0x1A line. */
static void dialect_of(eg__csv_dialect *d, const struct layout *lay)
{
	memset(d, 0, sizeof(*d));
	d->delim = ',';
	d->trim_spaces = 1;
	d->null_marker = "-0-";
	d->eof_mark = 1;
	d->utf8 = 1;
	d->keep_fields = lay->n_fields;
	d->field_names = lay->fields;
	d->skip_bom = 1;
}

/* Copies at most 40 bytes of v into out as printable text for a message,
 * never cutting a UTF-8 sequence. */
static const char *show(char out[64], const char *v, size_t n)
{
	size_t i, k = 0, lim = n > 40 ? 40 : n;

	if (lim < n)
		while (lim > 0 && ((unsigned char)v[lim] & 0xC0) == 0x80)
			lim--;
	for (i = 0; i < lim; i++) {
		unsigned char c = (unsigned char)v[i];
		out[k++] = (c < 0x20 || c == 0x7F || c == '"') ? '?' : (char)c;
	}
	if (lim < n) {
		out[k++] = '.';
		out[k++] = '.';
		out[k++] = '.';
	}
	out[k] = '\0';
	return out;
}

/* Sets the error of the current row: "file:line: field F: message".
 * Returns code and remembers it as the state's first error. */
static int row_error(file_state *st, int code, size_t col, const char *fmt, ...)
	EG__PRINTF(4, 5);

static int row_error(file_state *st, int code, size_t col, const char *fmt, ...)
{
	char msg[EG_ERROR_MESSAGE_MAX];
	char colname[32];
	va_list ap;

	if (st->rc != 0)
		return st->rc;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (col < st->lay->n_fields)
		snprintf(colname, sizeof(colname), "%s", st->lay->fields[col]);
	else
		snprintf(colname, sizeof(colname), "%zu", col + 1);
	st->rc = eg__error_set(st->err, code, "%s:%lu: field %s: %s", st->name,
	                       st->row->line, colname, msg);
	return st->rc;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The column as a slice, with p NULL for the null marker. */
static field get(const file_state *st, size_t col)
{
	field f;

	f.p = st->row->fields[col];
	f.n = st->row->lens[col];
	return f;
}

/* 1 when f is 1 to UID_MAX_DIGITS ASCII digits. */
static int is_number(field f)
{
	size_t i;

	if (f.p == NULL || f.n == 0 || f.n > UID_MAX_DIGITS)
		return 0;
	for (i = 0; i < f.n; i++)
		if (f.p[i] < '0' || f.p[i] > '9')
			return 0;
	return 1;
}

static int eq_nocase(field f, const char *s)
{
	size_t i, n = strlen(s);

	if (f.p == NULL || f.n != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = f.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != s[i])
			return 0;
	}
	return 1;
}

static int need_number(file_state *st, size_t col, field f)
{
	char v[64];

	if (f.p == NULL)
		return row_error(st, EG_EPARSE, col, "missing (null marker)");
	if (!is_number(f))
		return row_error(st, EG_EPARSE, col, "not a number \"%s\"", show(v, f.p, f.n));
	return 0;
}

/* The entity an add/alt/comments row refers to, or an error. */
static int linked_entity(file_state *st, field id, eg__entity **out)
{
	int rc = need_number(st, 0, id);

	if (rc != 0)
		return rc;
	*out = eg__entity_set_find(st->ctx->set, id.p, id.n);
	if (*out == NULL)
		return row_error(st, EG_EPARSE, 0, "no entry %.*s in %s", (int)id.n, id.p,
		                 st->prim_name);
	return 0;
}

/* Maps an entity-layer failure to the row's error. */
static int add_failed(file_state *st, size_t col, int rc)
{
	if (rc == EG_ETOOBIG)
		return row_error(st, rc, col, "too many values for one entry");
	return row_error(st, rc, col, "%s", eg_strerror(rc));
}

/* Splits "IRAN] [SDGT] [IFSR" (brackets and spaces are separators). */
static int add_programs(file_state *st, eg__entity *e, field f)
{
	size_t i = 0;
	int rc;

	while (f.p != NULL && i < f.n) {
		size_t a, b;
		while (i < f.n && (f.p[i] == '[' || f.p[i] == ']' || is_space(f.p[i])))
			i++;
		a = i;
		while (i < f.n && f.p[i] != '[' && f.p[i] != ']')
			i++;
		b = i;
		while (b > a && is_space(f.p[b - 1]))
			b--;
		if (b > a && e->n_programs >= MAX_PROGRAMS)
			return row_error(st, EG_ETOOBIG, 3, "more than %d programs", MAX_PROGRAMS);
		if (b > a && (rc = eg__entity_add_program(st->ctx->set, e, f.p + a, b - a)) != 0)
			return add_failed(st, 3, rc);
	}
	return 0;
}

static int prim_row(file_state *st)
{
	eg__entity_set *set = st->ctx->set;
	field id = get(st, 0), name = get(st, 1), type = get(st, 2), rem = get(st, 11);
	eg__entity *e;
	eg_entity_type t;
	char v[64];
	size_t i;
	int rc, dup;

	if ((rc = need_number(st, 0, id)) != 0)
		return rc;
	if (name.p == NULL || name.n == 0)
		return row_error(st, EG_EPARSE, 1, "empty");
	if (type.p == NULL || eq_nocase(type, "entity"))
		t = EG_TYPE_ENTITY;
	else if (eq_nocase(type, "individual"))
		t = EG_TYPE_INDIVIDUAL;
	else if (eq_nocase(type, "vessel"))
		t = EG_TYPE_VESSEL;
	else if (eq_nocase(type, "aircraft"))
		t = EG_TYPE_AIRCRAFT;
	else
		return row_error(st, EG_EPARSE, 2, "unknown value \"%s\"", show(v, type.p, type.n));
	e = eg__entity_set_add(set, id.p, id.n, &dup);
	if (e == NULL) {
		if (dup)
			return row_error(st, EG_EPARSE, 0, "duplicate value \"%.*s\"", (int)id.n, id.p);
		if (set->n >= EG__CAP_ENTITIES)
			return row_error(st, EG_ETOOBIG, 0, "more than %u entries", EG__CAP_ENTITIES);
		return row_error(st, EG_ENOMEM, 0, "%s", eg_strerror(EG_ENOMEM));
	}
	e->type = t;
	if ((rc = eg__entity_add_name(set, e, name.p, name.n, EG__NAME_PRIMARY, 0)) != 0)
		return add_failed(st, 1, rc);
	if ((rc = add_programs(st, e, get(st, 3))) != 0)
		return rc;
	for (i = 0; i < sizeof(prim_attrs) / sizeof(prim_attrs[0]); i++) {
		field f = get(st, prim_attrs[i].col);
		if (f.p != NULL &&
		    (rc = eg__entity_add_attr(set, e, prim_attrs[i].key, f.p, f.n)) != 0)
			return add_failed(st, prim_attrs[i].col, rc);
	}
	if (rem.p != NULL && rem.n > 0 &&
	    (rc = eg__entity_set_str(set, &e->remarks, rem.p, rem.n)) != 0)
		return add_failed(st, 11, rc);
	return 0;
}

static int add_row(file_state *st)
{
	field street = get(st, 2), city = get(st, 3), country = get(st, 4), rem = get(st, 5);
	eg__address a;
	eg__entity *e = NULL;
	int rc;

	if ((rc = linked_entity(st, get(st, 0), &e)) != 0 ||
	    (rc = need_number(st, 1, get(st, 1))) != 0)
		return rc;
	if (e->n_addresses >= MAX_ADDRESSES)
		return row_error(st, EG_ETOOBIG, 0, "more than %d addresses for one entry",
		                 MAX_ADDRESSES);
	/* Fields are NUL-terminated in the row buffer; the null marker is NULL. */
	a.street = street.p;
	a.city = city.p;
	a.country = country.p;
	a.remarks = rem.p;
	if ((rc = eg__entity_add_address(st->ctx->set, e, &a)) != 0)
		return add_failed(st, 2, rc);
	if (country.p != NULL && country.n > 0) {
		if (e->n_countries >= MAX_COUNTRIES)
			return row_error(st, EG_ETOOBIG, 4, "more than %d countries for one entry",
			                 MAX_COUNTRIES);
		if ((rc = eg__entity_add_country(st->ctx->set, e, country.p, country.n)) != 0)
			return add_failed(st, 4, rc);
	}
	return 0;
}

static int alt_row(file_state *st)
{
	field type = get(st, 2), name = get(st, 3);
	eg__name_kind kind;
	eg__entity *e = NULL;
	char v[64];
	int rc;

	if ((rc = linked_entity(st, get(st, 0), &e)) != 0 ||
	    (rc = need_number(st, 1, get(st, 1))) != 0)
		return rc;
	if (eq_nocase(type, "aka"))
		kind = EG__NAME_AKA;
	else if (eq_nocase(type, "fka"))
		kind = EG__NAME_FKA;
	else if (eq_nocase(type, "nka"))
		kind = EG__NAME_NKA;
	else if (type.p == NULL)
		return row_error(st, EG_EPARSE, 2, "missing (null marker)");
	else
		return row_error(st, EG_EPARSE, 2, "unknown value \"%s\"", show(v, type.p, type.n));
	if (name.p == NULL || name.n == 0)
		return row_error(st, EG_EPARSE, 3, "empty");
	if ((rc = eg__entity_add_name(st->ctx->set, e, name.p, name.n, kind, 0)) != 0)
		return add_failed(st, 3, rc);
	return 0;
}

/* Appends the continuation as-is to the entity's remarks. */
static int comments_row(file_state *st)
{
	field more = get(st, 1);
	eg__entity *e = NULL;
	size_t old;
	char *p;
	int rc;

	if ((rc = linked_entity(st, get(st, 0), &e)) != 0)
		return rc;
	if (more.p == NULL || more.n == 0)
		return 0;
	old = e->remarks != NULL ? strlen(e->remarks) : 0;
	if (old > EG__CAP_LINE_BYTES || more.n > EG__CAP_LINE_BYTES - old)
		return row_error(st, EG_ETOOBIG, 1, "remarks over %d bytes", EG__CAP_LINE_BYTES);
	p = eg__arena_alloc(&st->ctx->set->arena, old + more.n + 1);
	if (p == NULL)
		return row_error(st, EG_ENOMEM, 1, "%s", eg_strerror(EG_ENOMEM));
	if (old > 0)
		memcpy(p, e->remarks, old);
	memcpy(p + old, more.p, more.n);
	p[old + more.n] = '\0';
	e->remarks = p;
	return 0;
}

static int on_row(void *ud, const eg__csv_row *row)
{
	file_state *st = ud;
	size_t want = st->lay->n_fields;

	st->row = row;
	if (row->n_all < want)
		row_error(st, EG_EPARSE, row->n_all, "missing, the row has %zu fields of %zu",
		          row->n_all, want);
	else if (row->n_all > want)
		row_error(st, EG_EPARSE, want, "unexpected, the row has %zu fields of %zu",
		          row->n_all, want);
	else if (st->kind == F_PRIM)
		prim_row(st);
	else if (st->kind == F_ADD)
		add_row(st);
	else if (st->kind == F_ALT)
		alt_row(st);
	else
		comments_row(st);
	st->rows++;
	return st->rc;
}

/* Parses one file, from memory (data) or streamed from path a block at a
 * time (hashing what it reads): neither the file nor any line of it is ever
 * in memory whole, a row being capped by EG__CAP_CSV_ROW_BYTES. */
static int parse_file(file_state *st, const char *data, size_t len, const char *path,
                      eg__sha256 *sha)
{
	eg__csv_dialect d;
	eg__csvread r;
	int rc;

	dialect_of(&d, st->lay);
	if ((rc = eg__csvread_init_dialect(&r, &d, st->name, on_row, st, st->err)) == 0) {
		if (path != NULL)
			rc = eg__csvread_path(&r, path, sha);
		else
			rc = eg__csvread_feed_last(&r, data, len);
	}
	eg__csvread_dispose(&r);
	return rc;
}

static int add_weak(eg__entity_set *set, eg__entity *e, const char *s, size_t n,
                    eg__name_kind kind)
{
	while (n > 0 && is_space(s[0]))
		s++, n--;
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'')
		s++, n -= 2;
	return eg__entity_add_name(set, e, s, n, kind, 1);
}

/* Adds the quoted a.k.a./f.k.a./n.k.a. names of the remarks as weak aliases.
 * A name ends at the first quote followed by ';', by '.' ending the fact,
 * or by the end of the remarks; names may hold apostrophes ('ABU 'AMMAR').
 * A name whose closing quote is missing (remarks cut) is skipped. */
static int remark_aliases(eg__entity_set *set, eg__entity *e, const char *r, size_t n)
{
	size_t i = 0;
	int rc;

	while (i + 8 <= n) {
		const char *hit = memchr(r + i + 1, '.', n - i - 8);
		eg__name_kind kind;
		size_t start, j;

		if (hit == NULL)
			break;
		i = (size_t)(hit - r) - 1;
		if (memcmp(hit, ".k.a. '", 7) != 0) {
			i++;
			continue;
		}
		if (i > 0 && r[i - 1] != ' ' && r[i - 1] != ';') {
			i++;
			continue;
		}
		if (r[i] == 'a')
			kind = EG__NAME_AKA;
		else if (r[i] == 'f')
			kind = EG__NAME_FKA;
		else if (r[i] == 'n')
			kind = EG__NAME_NKA;
		else {
			i++;
			continue;
		}
		start = i + 8;
		for (j = start; j < n; j++) {
			if (r[j] != '\'')
				continue;
			if (j + 1 == n || r[j + 1] == ';')
				break;
			if (r[j + 1] == '.' && (j + 2 == n || r[j + 2] == ' ' || r[j + 2] == ';'))
				break;
		}
		if (j >= n)
			break;
		if ((rc = add_weak(set, e, r + start, j - start, kind)) != 0)
			return rc;
		i = j + 1;
	}
	return 0;
}

/* Adds the countries of the remarks' "nationality X" and "citizen X" facts. */
static int remark_countries(eg__entity_set *set, eg__entity *e, const char *r, size_t n)
{
	size_t i = 0;
	int rc;

	while (i < n) {
		size_t a = i, b, skip = 0;
		while (i < n && r[i] != ';')
			i++;
		b = i++;
		while (a < b && is_space(r[a]))
			a++;
		if (b - a > 12 && memcmp(r + a, "nationality ", 12) == 0)
			skip = 12;
		else if (b - a > 8 && memcmp(r + a, "citizen ", 8) == 0)
			skip = 8;
		if (skip == 0)
			continue;
		a += skip;
		while (b > a && (is_space(r[b - 1]) || r[b - 1] == '.'))
			b--;
		if (b == a || b - a > MAX_COUNTRY_BYTES)
			continue;
		if (e->n_countries >= MAX_COUNTRIES)
			return EG_ETOOBIG;
		if ((rc = eg__entity_add_country(set, e, r + a, b - a)) != 0)
			return rc;
	}
	return 0;
}

/* The facts read from the full remarks of entities [from, set->n). */
static int from_remarks(eg__parse_ctx *ctx, size_t from, const char *prim_name, eg_error *err)
{
	eg__entity_set *set = ctx->set;
	size_t i;
	int rc;

	for (i = from; i < set->n; i++) {
		eg__entity *e = &set->v[i];
		size_t n;
		if (e->remarks == NULL)
			continue;
		n = strlen(e->remarks);
		if ((rc = remark_aliases(set, e, e->remarks, n)) != 0 ||
		    (rc = remark_countries(set, e, e->remarks, n)) != 0)
			return eg__error_set(err, rc, "%s: entry %s: field Remarks: %s", prim_name,
			                     e->uid, rc == EG_ETOOBIG ? "too many names or countries"
			                                              : eg_strerror(rc));
	}
	return 0;
}

typedef struct input {
	const char *data; /* NULL when absent or still to be read from path */
	size_t len;
	const char *name; /* base name for messages */
	const char *path; /* read on demand when data is NULL; NULL: absent */
} input;

/* Parses the files in the order they are hashed: the primary file first,
 * then the files that refer to it. A file given by path is streamed a line
 * at a time, so no file is ever in memory whole. */
static int parse_inputs(eg__parse_ctx *ctx, const input in[F_COUNT], eg_error *err)
{
	static const int order[F_COUNT] = {F_PRIM, F_ADD, F_ALT, F_COMMENTS};
	size_t from = ctx->set->n;
	size_t i;
	int rc = 0;

	for (i = 0; i < F_COUNT && rc == 0; i++) {
		int k = order[i];
		const char *data = in[k].data;
		size_t len = in[k].len;
		file_state st;

		if (data == NULL && in[k].path == NULL)
			continue;
		memset(&st, 0, sizeof(st));
		st.ctx = ctx;
		st.err = err;
		st.name = in[k].name;
		st.prim_name = in[F_PRIM].name;
		st.kind = k;
		st.lay = &layouts[k];
		if (data == NULL)
			rc = parse_file(&st, NULL, 0, in[k].path, ctx->sha);
		else if (ctx->sha != NULL && (rc = eg__sha256_update(ctx->sha, data, len)) != 0)
			rc = eg__error_set(err, rc, "%s: hashing failed", in[k].name);
		else
			rc = parse_file(&st, data, len, NULL, NULL);
		if (rc == 0 && k == F_PRIM && st.rows == 0)
			rc = eg__error_set(err, EG_EEMPTY, "%s: no entries", in[k].name);
	}
	if (rc != 0)
		return rc;
	return from_remarks(ctx, from, in[F_PRIM].name, err);
}

int eg__ofac_csv_parse_mem(eg__parse_ctx *ctx,
                           const char *prim, size_t prim_len,
                           const char *add, size_t add_len,
                           const char *alt, size_t alt_len,
                           const char *comments, size_t comments_len,
                           eg_error *err)
{
	input in[F_COUNT];
	size_t i;

	if (ctx == NULL || ctx->set == NULL || prim == NULL)
		return eg__error_set(err, EG_EINVAL, "ofac-csv: no primary file given");
	in[F_PRIM].data = prim;
	in[F_PRIM].len = prim_len;
	in[F_PRIM].name = "sdn.csv";
	in[F_ADD].data = add;
	in[F_ADD].len = add_len;
	in[F_ADD].name = "add.csv";
	in[F_ALT].data = alt;
	in[F_ALT].len = alt_len;
	in[F_ALT].name = "alt.csv";
	in[F_COMMENTS].data = comments;
	in[F_COMMENTS].len = comments_len;
	in[F_COMMENTS].name = "sdn_comments.csv";
	for (i = 0; i < F_COUNT; i++)
		in[i].path = NULL;
	return parse_inputs(ctx, in, err);
}

/* --- files ---------------------------------------------------------------- */

/* A file family: the primary name and its siblings, in F_* order. */
static const char *const families[][F_COUNT] = {
	{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"},
	{"SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"},
	{"cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"},
	{"CONS_PRIM.CSV", "CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV"},
};
#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

/* The family whose primary file is named base, or -1. An exact name wins;
 * otherwise letter case is ignored and siblings are looked up in lower case. */
static int family_of(const char *base)
{
	size_t f;

	for (f = 0; f < N_FAMILIES; f++)
		if (strcmp(base, families[f][F_PRIM]) == 0)
			return (int)f;
	for (f = 0; f < N_FAMILIES; f++)
		if (strcasecmp(base, families[f][F_PRIM]) == 0)
			return (int)f;
	return -1;
}

/* Writes dir/name into out; 0, or EG_EINVAL when it does not fit. */
static int join(char *out, size_t size, const char *dir, size_t dir_len, const char *name)
{
	int k = snprintf(out, size, "%.*s/%s", (int)dir_len, dir, name);

	return (k < 0 || (size_t)k >= size) ? EG_EINVAL : 0;
}

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The family of the primary file found in directory dir, or -1. */
static int find_in_dir(const char *dir, size_t dir_len)
{
	char p[4096];
	size_t f;

	for (f = 0; f < N_FAMILIES; f++)
		if (join(p, sizeof(p), dir, dir_len, families[f][F_PRIM]) == 0 && is_file(p))
			return (int)f;
	return -1;
}

static int detect(const char *path)
{
	struct stat st;

	if (path == NULL || stat(path, &st) != 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return find_in_dir(path, strlen(path)) >= 0;
	return S_ISREG(st.st_mode) && family_of(base_name(path)) >= 0;
}

static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{
	char paths[F_COUNT][4096];
	input in[F_COUNT];
	const char *dir = path;
	size_t dir_len, i;
	struct stat st;
	int fam, rc = 0;

	if (stat(path, &st) != 0)
		return eg__error_set(err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                     "%s: cannot open: %s", path, strerror(errno));
	memset(in, 0, sizeof(in));
	if (S_ISDIR(st.st_mode)) {
		dir_len = strlen(path);
		while (dir_len > 1 && path[dir_len - 1] == '/')
			dir_len--;
		fam = find_in_dir(dir, dir_len);
		if (fam < 0)
			return eg__error_set(err, EG_ENOTFOUND,
			                     "%s: no sdn.csv or cons_prim.csv in this directory", path);
		if (fam < 2) {
			char p[4096];
			if (join(p, sizeof(p), dir, dir_len, "cons_prim.csv") == 0 && is_file(p))
				eg__parse_warn(ctx, "%s: both sdn.csv and cons_prim.csv; reading sdn.csv",
				               path);
		}
		if ((rc = join(paths[F_PRIM], sizeof(paths[F_PRIM]), dir, dir_len,
		               families[fam][F_PRIM])) != 0)
			return eg__error_set(err, rc, "%s: path too long", path);
	} else {
		const char *base = base_name(path);
		if (base == path) {
			dir = ".";
			dir_len = 1;
		} else {
			dir_len = (size_t)(base - path - 1);
			if (dir_len == 0)
				dir = "/", dir_len = 1;
		}
		fam = family_of(base);
		if (fam < 0)
			eg__parse_warn(ctx, "%s: not named sdn.csv or cons_prim.csv; "
			               "reading it alone, as a primary file", path);
		if (snprintf(paths[F_PRIM], sizeof(paths[F_PRIM]), "%s", path) >=
		    (int)sizeof(paths[F_PRIM]))
			return eg__error_set(err, EG_EINVAL, "%s: path too long", path);
	}
	for (i = 0; i < F_COUNT; i++) {
		if (i != F_PRIM) {
			if (fam < 0)
				continue;
			if (join(paths[i], sizeof(paths[i]), dir, dir_len, families[fam][i]) != 0 ||
			    !is_file(paths[i]))
				continue;
		}
		in[i].path = paths[i];
		in[i].name = base_name(paths[i]);
	}
	return parse_inputs(ctx, in, err);
}

const eg__format eg__format_ofac_csv = {
	"ofac-csv", "us-ofac-sdn",
	"OFAC legacy CSV (sdn.csv or cons_prim.csv, with add/alt/comments files)",
	detect, parse
};
