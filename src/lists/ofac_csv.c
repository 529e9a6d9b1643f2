/* ofac_csv.c - the OFAC legacy CSV parser: sdn.csv or cons_prim.csv with their address, alias and comments files. */
#include "ofac_csv.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/caps.h"
#include "../util/error.h"

#include <csv.h>
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

#define MAX_FIELDS 12          /* the widest layout */
#define UID_MAX_DIGITS 20      /* ent_num, add_num, alt_num */
#define CSV_BLOCK 4096         /* libcsv buffer growth step */
/* libcsv's field buffer may not grow past this: a longer field is
 * EG_ETOOBIG before it is ever copied. */
#define CSV_BUFFER_MAX (EG__CAP_FIELD_BYTES + 2 * CSV_BLOCK)
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

/* The state of one file being parsed. Invariant: fields 0..min(nf,
 * n_fields)-1 of the current row are in row, each followed by a NUL, at
 * off[i] with length len[i]. */
typedef struct file_state {
	eg__parse_ctx *ctx;
	eg_error *err;
	const char *name;      /* base name for messages */
	const char *prim_name; /* the primary file's base name */
	int kind;              /* F_* */
	const struct layout *lay;
	size_t line;           /* 1-based line of the bytes being fed */
	size_t row_line;       /* 1-based line where the current row started */
	int need_start;        /* the next content begins a row */
	size_t row_bytes;      /* bytes fed of the current row, line ends included */
	size_t nf;             /* fields seen in the current row */
	size_t off[MAX_FIELDS];
	size_t len[MAX_FIELDS];
	eg__buf row;
	size_t rows;           /* rows processed */
	int rc;                /* first error, 0 if none */
} file_state;

static void *csv_realloc_capped(void *p, size_t size)
{
	if (size > CSV_BUFFER_MAX)
		return NULL;
	return eg__realloc(p, size);
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
	st->rc = eg__error_set(st->err, code, "%s:%zu: field %s: %s", st->name,
	                       st->row_line, colname, msg);
	return st->rc;
}

/* 1 when s[0..n) is valid UTF-8 without NUL bytes (no overlongs, no
 * surrogates, nothing past U+10FFFF). */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k, need;
		unsigned long cp;

		if (c - 1u < 0x7Fu) {
			i++;
			continue;
		}
		if (c == 0)
			return 0;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (n - i - 1 < need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		i += need + 1;
	}
	return 1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The column as a slice, with p NULL for the null marker. */
static field get(const file_state *st, size_t col)
{
	field f;
	size_t a = 0, b;

	f.p = st->row.ptr + st->off[col];
	f.n = st->len[col];
	b = f.n;
	while (a < b && is_space(f.p[a]))
		a++;
	while (b > a && is_space(f.p[b - 1]))
		b--;
	if (b - a == 3 && memcmp(f.p + a, "-0-", 3) == 0)
		f.p = NULL, f.n = 0;
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

static void on_field(void *data, size_t n, void *ud)
{
	file_state *st = ud;
	size_t col = st->nf++;
	int rc;

	if (st->rc != 0 || col >= st->lay->n_fields)
		return;
	if (n > EG__CAP_FIELD_BYTES) {
		row_error(st, EG_ETOOBIG, col, "over %d bytes", EG__CAP_FIELD_BYTES);
		return;
	}
	if (n > 0 && !valid_utf8(data, n)) {
		row_error(st, EG_EPARSE, col, "invalid UTF-8 or NUL byte");
		return;
	}
	st->off[col] = st->row.len;
	st->len[col] = n;
	if ((rc = eg__buf_add(&st->row, data, n)) != 0 ||
	    (rc = eg__buf_addc(&st->row, '\0')) != 0)
		row_error(st, rc, col, "%s", eg_strerror(rc));
}

static void on_row(int term, void *ud)
{
	file_state *st = ud;
	size_t want = st->lay->n_fields;

	(void)term;
	if (st->rc == 0) {
		if (st->nf < want)
			row_error(st, EG_EPARSE, st->nf, "missing, the row has %zu fields of %zu",
			          st->nf, want);
		else if (st->nf > want)
			row_error(st, EG_EPARSE, want, "unexpected, the row has %zu fields of %zu",
			          st->nf, want);
		else if (st->kind == F_PRIM)
			prim_row(st);
		else if (st->kind == F_ADD)
			add_row(st);
		else if (st->kind == F_ALT)
			alt_row(st);
		else
			comments_row(st);
		st->rows++;
	}
	st->nf = 0;
	eg__buf_reset(&st->row);
	st->need_start = 1;
}

/* The length of data without the DOS end-of-file mark: a lone 0x1A as the
 * last line, possibly followed by line ends. */
static size_t strip_eof(const char *data, size_t n)
{
	size_t end = n;

	while (end > 0 && (data[end - 1] == '\r' || data[end - 1] == '\n'))
		end--;
	if (end > 0 && data[end - 1] == 0x1A &&
	    (end == 1 || data[end - 2] == '\r' || data[end - 2] == '\n'))
		return end - 1;
	return n;
}

/* 1 when the line holds more than blanks and line ends. */
static int has_content(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_space(s[i]) && s[i] != '\r' && s[i] != '\n')
			return 1;
	return 0;
}

static int csv_failed(file_state *st, struct csv_parser *p, int at_end)
{
	size_t col = st->nf < st->lay->n_fields ? st->nf : st->lay->n_fields;
	int e = csv_error(p);

	if (e == CSV_EPARSE)
		return row_error(st, EG_EPARSE, col, at_end ? "unterminated quoted value"
		                                            : "malformed quoting");
	if (e == CSV_ENOMEM && csv_get_buffer_size(p) + 2 * CSV_BLOCK >= EG__CAP_FIELD_BYTES)
		return row_error(st, EG_ETOOBIG, col, "over %d bytes", EG__CAP_FIELD_BYTES);
	if (e == CSV_ETOOBIG)
		return row_error(st, EG_ETOOBIG, col, "over %d bytes", EG__CAP_FIELD_BYTES);
	return row_error(st, EG_ENOMEM, col, "%s", eg_strerror(EG_ENOMEM));
}

/* Parses one file's rows. Lines are fed to libcsv one at a time (split after
 * each CR, LF or CRLF) so that every row knows the line it starts on; libcsv
 * keeps its quoting state across calls. */
static int parse_begin(file_state *st, struct csv_parser *p)
{
	eg__buf_init(&st->row, EG__CAP_LINE_BYTES);
	if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return eg__error_set(st->err, EG_ENOMEM, "%s: out of memory", st->name);
	csv_set_realloc_func(p, csv_realloc_capped);
	csv_set_free_func(p, eg__free);
	csv_set_blk_size(p, CSV_BLOCK);
	st->line = 1;
	st->row_line = 1;
	st->need_start = 1;
	return 0;
}

/* Feeds one physical line (with its line end, if any) to the CSV parser,
 * keeping the line count, so a row knows the line it starts on even when a
 * quoted field spans lines. */
static int parse_line(file_state *st, struct csv_parser *p, const char *line, size_t len)
{
	if (len == 0)
		return 0;
	if (st->need_start && has_content(line, len)) {
		st->row_line = st->line;
		st->need_start = 0;
		st->row_bytes = 0;
	}
	if (!st->need_start) {
		if (len > EG__CAP_CSV_ROW_BYTES - st->row_bytes)
			return st->rc = eg__error_set(st->err, EG_ETOOBIG,
			                              "%s:%zu: row over %u bytes (the cap on a CSV row)",
			                              st->name, st->row_line, EG__CAP_CSV_ROW_BYTES);
		st->row_bytes += len;
	}
	if (csv_parse(p, line, len, on_field, on_row, st) != len && st->rc == 0)
		csv_failed(st, p, 0);
	if (st->rc != 0)
		return st->rc;
	if (line[len - 1] == '\r' || line[len - 1] == '\n')
		st->line++;
	return 0;
}

static int parse_end(file_state *st, struct csv_parser *p, int rc)
{
	if (rc == 0) {
		if (csv_fini(p, on_field, on_row, st) != 0 && st->rc == 0)
			csv_failed(st, p, 1);
		rc = st->rc;
	}
	csv_free(p);
	eg__buf_free(&st->row);
	return rc;
}

/* The end of the line that starts at data[pos], past its line end. */
static size_t line_end(const char *data, size_t pos, size_t n)
{
	size_t end = pos;

	while (end < n && data[end] != '\r' && data[end] != '\n')
		end++;
	if (end < n && data[end] == '\r' && end + 1 < n && data[end + 1] == '\n')
		end++;
	return end < n ? end + 1 : end;
}

/* Feeds every line of data[0..n) (a lone CR ends a line too). */
static int parse_lines(file_state *st, struct csv_parser *p, const char *data, size_t n)
{
	size_t pos = 0;
	int rc = 0;

	while (pos < n && rc == 0) {
		size_t end = line_end(data, pos, n);
		rc = parse_line(st, p, data + pos, end - pos);
		pos = end;
	}
	return rc;
}

static int parse_file(file_state *st, const char *data, size_t n)
{
	struct csv_parser p;
	int rc;

	n = strip_eof(data, n);
	if ((rc = parse_begin(st, &p)) != 0)
		return rc;
	return parse_end(st, &p, parse_lines(st, &p, data, n));
}

/* The bytes read from a file at a time: the reader's memory is this block,
 * the row being built (EG__CAP_CSV_ROW_BYTES at most) and libcsv's field
 * buffer (CSV_BUFFER_MAX), whatever the length of a line. */
#define READ_BLOCK (64 * 1024)
/* Line ends held after a final 0x1A before they are known to end the file;
 * past this many the 0x1A is an ordinary line. */
#define EOF_TAIL_MAX 4096

/* The pieces of a file being streamed that are not yet parsed: a CR ending
 * one block (its LF may start the next) or a 0x1A that starts a line, with
 * the line ends after it (dropped when the file ends there). */
typedef struct stream_tail {
	char bytes[EOF_TAIL_MAX + 1];
	size_t n;
	int at_line_start;     /* the next byte starts a line */
} stream_tail;

static int is_line_end(char c)
{
	return c == '\r' || c == '\n';
}

/* Parses the held bytes (they were not the end of the file after all). */
static int flush_tail(file_state *st, struct csv_parser *p, stream_tail *t)
{
	int rc = parse_lines(st, p, t->bytes, t->n);

	t->n = 0;
	return rc;
}

/* Feeds one block of a streamed file: every complete line is parsed, a CR
 * at the end of the block and a 0x1A line with its line ends are held in
 * t until the next block (or the end) tells what they are. */
static int stream_block(file_state *st, struct csv_parser *p, stream_tail *t,
                        const char *data, size_t n)
{
	size_t pos = 0, from;
	int rc;

	while (pos < n) {
		char c = data[pos];

		if (t->n > 0 && !(is_line_end(c) && t->n < EOF_TAIL_MAX) &&
		    (rc = flush_tail(st, p, t)) != 0)
			return rc;
		if (t->n > 0 || (t->at_line_start && c == 0x1A)) {
			t->bytes[t->n++] = c;
			t->at_line_start = is_line_end(c);
			pos++;
			continue;
		}
		/* the run up to the next held byte: a 0x1A at a line start, or a
		 * CR that ends the block */
		from = pos;
		while (pos < n) {
			c = data[pos];
			if (t->at_line_start && c == 0x1A && pos > from)
				break;
			if (c == '\r' && pos + 1 == n)
				break;
			t->at_line_start = is_line_end(c);
			pos++;
		}
		if (pos > from && (rc = parse_lines(st, p, data + from, pos - from)) != 0)
			return rc;
		if (pos + 1 == n && data[pos] == '\r') {
			t->bytes[t->n++] = '\r';
			t->at_line_start = 1;
			pos++;
		}
	}
	return 0;
}

/* Like parse_file, streaming path a block at a time and hashing what it
 * reads, so neither the file nor any line of it is ever in memory whole
 * (a row is capped by EG__CAP_CSV_ROW_BYTES in parse_line). The lone 0x1A
 * byte that ends OFAC's files is dropped when it is the last line. */
static int parse_path(file_state *st, const char *path, eg__sha256 *sha)
{
	struct csv_parser p;
	stream_tail *tail;
	char *block;
	FILE *f;
	size_t got;
	int rc;

	if ((f = fopen(path, "rb")) == NULL)
		return eg__error_set(st->err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                     "%s: cannot open: %s", path, strerror(errno));
	block = eg__malloc(READ_BLOCK);
	tail = eg__malloc(sizeof(*tail));
	if (block == NULL || tail == NULL) {
		eg__free(block);
		eg__free(tail);
		fclose(f);
		return eg__error_set(st->err, EG_ENOMEM, "%s: out of memory", st->name);
	}
	tail->n = 0;
	tail->at_line_start = 1;
	if ((rc = parse_begin(st, &p)) != 0) {
		eg__free(block);
		eg__free(tail);
		fclose(f);
		return rc;
	}
	while (rc == 0 && (got = fread(block, 1, READ_BLOCK, f)) > 0) {
		if (sha != NULL && (rc = eg__sha256_update(sha, block, got)) != 0)
			rc = eg__error_set(st->err, rc, "%s: hashing failed", st->name);
		else
			rc = stream_block(st, &p, tail, block, got);
	}
	if (rc == 0 && ferror(f))
		rc = eg__error_set(st->err, EG_EIO, "%s: read error", path);
	if (rc == 0 && tail->n > 0)
		rc = parse_lines(st, &p, tail->bytes, strip_eof(tail->bytes, tail->n));
	eg__free(block);
	eg__free(tail);
	fclose(f);
	return parse_end(st, &p, rc);
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
			rc = parse_path(&st, in[k].path, ctx->sha);
		else if (ctx->sha != NULL && (rc = eg__sha256_update(ctx->sha, data, len)) != 0)
			rc = eg__error_set(err, rc, "%s: hashing failed", in[k].name);
		else
			rc = parse_file(&st, data, len);
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
