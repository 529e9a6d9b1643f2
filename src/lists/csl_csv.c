/* csl_csv.c - the US Consolidated Screening List CSV (trade.gov), plain or gzip-compressed.
 *
 * One entity per row. The `_id` column is not unique in real files (an
 * entity on several lists appears once per list, and one CAP row is
 * repeated), so the uid is "ABBR:_id" where ABBR is the list's abbreviation
 * taken from the `source` column ("SDN", "EL", "CAP", ...), with "#2",
 * "#3", ... appended to a uid already used in the file. Without an id
 * column, entity_number stands in for _id, and failing that the row's line.
 * List-valued fields are "; "-separated; alt_names also split at a bare ';'
 * (two rows of the 2022 file write "...OAO;OJSC Concern Kalashnikov"). */
#include "csv_formats.h"
#include "csvread.h"
#include "../util/date.h"
#include "../util/alloc.h"
#include "../util/error.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

enum {
	C_ID, C_ID2, C_SOURCE, C_ENTNUM, C_TYPE, C_PROGRAMS, C_NAME, C_TITLE, C_ADDRESSES,
	C_FRN, C_START, C_END, C_STDORDER, C_LICREQ, C_LICPOL, C_CALLSIGN, C_VTYPE,
	C_GT, C_GRT, C_VFLAG, C_VOWNER, C_REMARKS, C_SLURL, C_ALT, C_CITIZEN, C_DOB,
	C_NAT, C_POB, C_SIURL, C_IDS, C_N
};

static const char *const known[C_N] = {
	"_id", "id", "source", "entity_number", "type", "programs", "name", "title",
	"addresses", "federal_register_notice", "start_date", "end_date", "standard_order",
	"license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage",
	"gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks",
	"source_list_url", "alt_names", "citizenships", "dates_of_birth", "nationalities",
	"places_of_birth", "source_information_url", "ids",
};

/* Columns kept whole as attributes, under these keys. */
static const struct { int col; const char *key; } attr_cols[] = {
	{C_SOURCE, "list"}, {C_ENTNUM, "entity_number"}, {C_TITLE, "title"},
	{C_FRN, "federal_register_notice"}, {C_START, "start_date"}, {C_END, "end_date"},
	{C_STDORDER, "standard_order"}, {C_LICREQ, "license_requirement"},
	{C_LICPOL, "license_policy"}, {C_CALLSIGN, "call_sign"}, {C_VTYPE, "vessel_type"},
	{C_GT, "gross_tonnage"}, {C_GRT, "gross_registered_tonnage"},
	{C_VFLAG, "vessel_flag"}, {C_VOWNER, "vessel_owner"}, {C_REMARKS, "remarks"},
	{C_SLURL, "source_list_url"}, {C_SIURL, "source_information_url"},
	{C_DOB, "dates_of_birth"}, {C_POB, "places_of_birth"}, {C_IDS, "ids"},
};

/* Beyond this many rows sharing one base uid the file is not believed. */
#define CSL_MAX_UID_REPEATS 1000

/* Attribute values repeat heavily (13 list names, a few URLs and licence
 * texts serve 14,160 rows): values up to CSL_INTERN_MAX_LEN bytes are stored
 * once per set, through a table that doubles from CSL_INTERN_MIN_SLOTS up to
 * CSL_INTERN_MAX_SLOTS, kept at most half full. */
#define CSL_INTERN_MAX_LEN 512
#define CSL_INTERN_MIN_SLOTS 1024u
#define CSL_INTERN_MAX_SLOTS (64u * 1024)

typedef struct csl_state {
	eg__parse_ctx *ctx;
	const char *name;
	eg_error *err;
	int have_header;
	size_t n_cols;
	int cols[C_N];
	eg__buf f[C_N];    /* the cleaned fields of the current row */
	eg__buf uid;
	eg__buf uid2;      /* uid with its "#n" suffix */
	eg__buf scratch;   /* one address item */
	int warned_type;
	const char **intern;  /* open-addressed, n_slots (a power of two), NULL = empty */
	size_t n_slots;
	size_t n_intern;
} csl_state;

/* The set's copy of (s, len): shared with an equal earlier value when
 * possible. NULL when out of memory. */
static size_t intern_slot(const char **t, size_t n_slots, const char *s, size_t len)
{
	size_t i = (size_t)eg__hash_bytes(s, len) & (n_slots - 1);

	while (t[i] != NULL &&
	       !(strncmp(t[i], s, len) == 0 && t[i][len] == '\0'))
		i = (i + 1) & (n_slots - 1);
	return i;
}

/* Doubles the table (or makes the first); 0, or -1 when it may not grow. */
static int intern_grow(csl_state *st)
{
	size_t n = st->n_slots ? st->n_slots * 2 : CSL_INTERN_MIN_SLOTS, i;
	const char **t;

	if (n > CSL_INTERN_MAX_SLOTS)
		return -1;
	t = eg__calloc(n, sizeof(*t));
	if (t == NULL)
		return -1;
	for (i = 0; i < st->n_slots; i++)
		if (st->intern[i] != NULL)
			t[intern_slot(t, n, st->intern[i], strlen(st->intern[i]))] = st->intern[i];
	eg__free(st->intern);
	st->intern = t;
	st->n_slots = n;
	return 0;
}

/* The set's copy of (s, len): shared with an equal earlier value when
 * possible. NULL when out of memory. (s, len) holds no NUL byte. */
static const char *intern(csl_state *st, const char *s, size_t len)
{
	eg__arena *a = &st->ctx->set->arena;
	size_t i;
	char *p;

	if (len > CSL_INTERN_MAX_LEN ||
	    ((st->n_intern + 1) * 2 > st->n_slots && intern_grow(st) != 0))
		return eg__arena_strndup(a, s, len); /* not shared, still correct */
	i = intern_slot(st->intern, st->n_slots, s, len);
	if (st->intern[i] != NULL)
		return st->intern[i];
	p = eg__arena_strndup(a, s, len);
	if (p != NULL) {
		st->intern[i] = p;
		st->n_intern++;
	}
	return p;
}

/* Appends an attribute whose key is a static string and whose value is
 * interned; e->attrs was sized by the caller, this grows it if needed. */
static int push_attr(csl_state *st, eg__entity *e, const char *key, const char *v,
                     size_t len)
{
	eg__attr at;

	if (len == 0)
		return 0;
	if (e->n_attrs == e->cap_attrs) {
		size_t cap = e->cap_attrs;
		eg__attr *na = eg__arena_grow(&st->ctx->set->arena, e->attrs, e->n_attrs, &cap,
		                              sizeof(*na));
		if (na == NULL || cap > UINT32_MAX)
			return EG_ENOMEM;
		e->attrs = na;
		e->cap_attrs = (uint32_t)cap;
	}
	at.key = key;
	at.value = intern(st, v, len);
	if (at.value == NULL)
		return EG_ENOMEM;
	e->attrs[e->n_attrs++] = at;
	return 0;
}

/* Gives e->names room for n names at once, sparing the doubling copies
 * that would stay in the arena. */
static int reserve_names(csl_state *st, eg__entity *e, size_t n)
{
	eg__name *v;

	if (n <= e->cap_names || n > EG__CAP_NAMES_PER_ENTITY)
		return 0;
	v = eg__arena_calloc(&st->ctx->set->arena, n, sizeof(*v));
	if (v == NULL)
		return EG_ENOMEM;
	if (e->n_names > 0)
		memcpy(v, e->names, e->n_names * sizeof(*v));
	e->names = v;
	e->cap_names = (uint32_t)n;
	return 0;
}
/* The number of ';'-separated items of (s, len), for reservations. */
static size_t count_items(const char *s, size_t len)
{
	size_t i, n = len > 0;

	for (i = 0; i < len; i++)
		n += s[i] == ';';
	return n;
}

/* The slice of field k of the current row ("" when absent). */
static const char *fld(const csl_state *st, int k, size_t *len)
{
	*len = st->f[k].len;
	return eg__buf_str(&st->f[k]);
}

/* Calls fn on every "; "-separated (with bare 1: every ';'-separated),
 * trimmed, non-empty item of (s, len). */
typedef int (*item_fn)(csl_state *st, eg__entity *e, const char *s, size_t len,
                       int last, int index);

static int each_item(csl_state *st, eg__entity *e, const char *s, size_t len, int bare,
                     item_fn fn)
{
	size_t pos = 0;
	int index = 0, rc;

	while (pos < len) {
		const char *start = s + pos, *sep = NULL;
		size_t rest = len - pos, n, i;

		for (i = 0; i < rest; i++)
			if (start[i] == ';' && (bare || (i + 1 < rest && start[i + 1] == ' '))) {
				sep = start + i;
				break;
			}
		n = sep != NULL ? (size_t)(sep - start) : rest;
		pos += sep != NULL ? n + 1 : n; /* the space after ';' is trimmed */
		{
			const char *p = start;
			size_t m = n;

			eg__csv_trim(&p, &m);
			if (m > 0 && (rc = fn(st, e, p, m, sep == NULL, index++)) != 0)
				return rc;
		}
	}
	return 0;
}

static int add_alias(csl_state *st, eg__entity *e, const char *s, size_t len, int last,
                     int index)
{
	/* Entity List alias lists end "...; and Last Alias Ltd.": the "and" is
	 * the list's prose, not part of the name. */
	if (last && index > 0 && len > 4 && memcmp(s, "and ", 4) == 0) {
		s += 4;
		len -= 4;
	}
	return eg__entity_add_name(st->ctx->set, e, s, len, EG__NAME_AKA, 0);
}

static int add_country(csl_state *st, eg__entity *e, const char *s, size_t len, int last,
                       int index)
{
	(void)last;
	(void)index;
	return eg__entity_add_country(st->ctx->set, e, s, len);
}

static int add_program(csl_state *st, eg__entity *e, const char *s, size_t len, int last,
                       int index)
{
	(void)last;
	(void)index;
	return eg__entity_add_program(st->ctx->set, e, s, len);
}

static int is_country_code(const char *s, size_t len)
{
	return len == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

/* An address item is "street, city, state, postal, country"-ish: the whole
 * item is kept as the street; a final two-letter code is its country. */
static int add_address(csl_state *st, eg__entity *e, const char *s, size_t len, int last,
                       int index)
{
	const char *tail = s;
	size_t tl = len, i;
	char cc[3];
	eg__address a;
	int rc;

	(void)last;
	(void)index;
	for (i = len; i > 0; i--)
		if (s[i - 1] == ',') {
			tail = s + i;
			tl = len - i;
			break;
		}
	eg__csv_trim(&tail, &tl);
	memset(&a, 0, sizeof(a));
	/* eg__entity_add_address copies: the street goes through a scratch buffer. */
	eg__buf_reset(&st->scratch);
	if ((rc = eg__buf_add(&st->scratch, s, len)) != 0)
		return rc;
	a.street = eg__buf_str(&st->scratch);
	if (is_country_code(tail, tl)) {
		cc[0] = tail[0];
		cc[1] = tail[1];
		cc[2] = '\0';
		a.country = cc;
		if ((rc = eg__entity_add_country(st->ctx->set, e, cc, 2)) != 0)
			return rc;
	}
	return eg__entity_add_address(st->ctx->set, e, &a);
}

/* The list abbreviation: the first word inside the first parentheses of
 * the source ("Entity List (EL) - ..." gives "EL"), else the whole source. */
static void source_abbr(const char *s, size_t len, const char **out, size_t *out_len)
{
	const char *open = memchr(s, '(', len);
	size_t i;

	*out = s;
	*out_len = len;
	if (open == NULL)
		return;
	for (i = 1; open + i < s + len; i++)
		if (open[i] == ')' || open[i] == ' ')
			break;
	if (i > 1 && open + i < s + len) {
		*out = open + 1;
		*out_len = i - 1;
	}
}

static eg_entity_type type_of(csl_state *st, const char *s, size_t len, unsigned long line)
{
	/* The 3,625 rows of the 2022 CSL without a type (the DPL and Entity
	 * List rows among them): the list does not say, so neither do we. */
	if (len == 0)
		return EG_TYPE_UNKNOWN;
	if (len == 10 && strncmp(s, "Individual", 10) == 0)
		return EG_TYPE_INDIVIDUAL;
	if (len == 6 && strncmp(s, "Entity", 6) == 0)
		return EG_TYPE_ENTITY;
	if (len == 6 && strncmp(s, "Vessel", 6) == 0)
		return EG_TYPE_VESSEL;
	if (len == 8 && strncmp(s, "Aircraft", 8) == 0)
		return EG_TYPE_AIRCRAFT;
	if (!st->warned_type) {
		st->warned_type = 1;
		eg__parse_warn(st->ctx, "%s:%lu: unknown type \"%.*s\" read as unknown", st->name,
		               line, (int)(len > 40 ? 40 : len), s);
	}
	return EG_TYPE_UNKNOWN;
}

static int on_header(csl_state *st, const eg__csv_row *row)
{
	int rc;

	rc = eg__csv_header_map(row, known, C_N, st->cols, st->ctx, st->name, st->err);
	if (rc != 0)
		return rc;
	if (st->cols[C_ID] < 0)
		st->cols[C_ID] = st->cols[C_ID2];
	st->cols[C_ID2] = -1;
	if (st->cols[C_NAME] < 0)
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: no \"name\" column in the header",
		                     st->name, row->line);
	if (st->cols[C_ID] < 0 && st->cols[C_SOURCE] < 0)
		return eg__error_set(st->err, EG_EPARSE,
		                     "%s:%lu: no \"_id\" or \"source\" column in the header",
		                     st->name, row->line);
	st->n_cols = row->n;
	st->have_header = 1;
	return 0;
}

/* Builds the row's uid in st->uid and adds the entity. */
static int add_entity(csl_state *st, const eg__csv_row *row, eg__entity **out)
{
	const char *src, *abbr, *id;
	size_t src_len, abbr_len, id_len;
	unsigned n;
	int rc, dup;

	src = fld(st, C_SOURCE, &src_len);
	source_abbr(src, src_len, &abbr, &abbr_len);
	id = fld(st, C_ID, &id_len);
	if (id_len == 0)
		id = fld(st, C_ENTNUM, &id_len);
	eg__buf_reset(&st->uid);
	if (abbr_len > 0 && ((rc = eg__buf_add(&st->uid, abbr, abbr_len)) != 0 ||
	                     (rc = eg__buf_addc(&st->uid, ':')) != 0))
		goto oom;
	if (id_len > 0)
		rc = eg__buf_add(&st->uid, id, id_len);
	else
		rc = eg__buf_printf(&st->uid, "line%lu", row->line);
	if (rc != 0)
		goto oom;
	for (n = 1; n <= CSL_MAX_UID_REPEATS; n++) {
		const eg__buf *u = &st->uid;

		if (n > 1) {
			eg__buf_reset(&st->uid2);
			if ((rc = eg__buf_add(&st->uid2, st->uid.ptr, st->uid.len)) != 0 ||
			    (rc = eg__buf_printf(&st->uid2, "#%u", n)) != 0)
				goto oom;
			u = &st->uid2;
		}
		*out = eg__entity_set_add(st->ctx->set, u->ptr, u->len, &dup);
		if (*out != NULL)
			return 0;
		if (!dup)
			return eg__error_set(st->err, EG_ENOMEM, "%s:%lu: out of memory (or over %u entities)",
			                     st->name, row->line, EG__CAP_ENTITIES);
	}
	return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field _id: \"%.*s\" repeated over %d times",
	                     st->name, row->line, (int)(id_len > 64 ? 64 : id_len), id,
	                     CSL_MAX_UID_REPEATS);
oom:
	return eg__error_set(st->err, rc, "%s:%lu: uid too long", st->name, row->line);
}

/* A listing date (start_date, end_date) into out; 1 when there is one. One
 * that is not a calendar date YYYY-MM-DD is left out with a warning naming
 * the line, as the BIS DPL's: a policy asking whether a party was listed by
 * a deal's date then finds the date unknown, never a wrong one. */
static int list_date(csl_state *st, const eg__csv_row *row, char out[11], const char *s,
                     size_t len, const char *field)
{
	if (len == 0)
		return 0;
	if (eg__date_iso(out, s, len) == 0)
		return 1;
	eg__parse_warn(st->ctx, "%s:%lu: field %s: \"%.*s\" is not a date (YYYY-MM-DD): left out",
	               st->name, row->line, field, (int)(len > 40 ? 40 : len), s);
	return 0;
}

static int on_row(void *ud, const eg__csv_row *row)
{
	csl_state *st = ud;
	eg__entity_set *set = st->ctx->set;
	eg__entity *e = NULL;
	const char *s;
	size_t len, i;
	char date[11];
	int rc = 0;

	if (!st->have_header)
		return on_header(st, row);
	if ((rc = eg__csv_row_fields(st->f, C_N, row, st->n_cols, st->cols, known, st->name,
	                             st->err)) != 0)
		return rc;
	s = fld(st, C_NAME, &len);
	if (len == 0)
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field name: empty", st->name,
		                     row->line);
	if ((rc = add_entity(st, row, &e)) != 0)
		return rc;
	{
		const char *alt;
		size_t alt_len;
		size_t n_attrs = 1; /* dob */

		alt = fld(st, C_ALT, &alt_len);
		if ((rc = reserve_names(st, e, 1 + count_items(alt, alt_len))) != 0)
			goto fail;
		for (i = 0; i < sizeof(attr_cols) / sizeof(attr_cols[0]); i++)
			n_attrs += st->f[attr_cols[i].col].len > 0;
		e->attrs = eg__arena_alloc(&set->arena, n_attrs * sizeof(*e->attrs));
		if (e->attrs == NULL) {
			rc = EG_ENOMEM;
			goto fail;
		}
		e->cap_attrs = (uint32_t)n_attrs;
	}
	if ((rc = eg__entity_add_name(set, e, s, len, EG__NAME_PRIMARY, 0)) != 0)
		goto fail;
	s = fld(st, C_TYPE, &len);
	e->type = type_of(st, s, len, row->line);
	s = fld(st, C_ALT, &len);
	if ((rc = each_item(st, e, s, len, 1, add_alias)) != 0)
		goto fail;
	s = fld(st, C_ADDRESSES, &len);
	if ((rc = each_item(st, e, s, len, 0, add_address)) != 0)
		goto fail;
	s = fld(st, C_NAT, &len);
	if ((rc = each_item(st, e, s, len, 0, add_country)) != 0)
		goto fail;
	s = fld(st, C_CITIZEN, &len);
	if ((rc = each_item(st, e, s, len, 0, add_country)) != 0)
		goto fail;
	s = fld(st, C_PROGRAMS, &len);
	if ((rc = each_item(st, e, s, len, 0, add_program)) != 0)
		goto fail;
	for (i = 0; i < sizeof(attr_cols) / sizeof(attr_cols[0]); i++) {
		s = fld(st, attr_cols[i].col, &len);
		if ((rc = push_attr(st, e, attr_cols[i].key, s, len)) != 0)
			goto fail;
		if (attr_cols[i].col == C_REMARKS && len > 0)
			e->remarks = e->attrs[e->n_attrs - 1].value;
	}
	s = fld(st, C_DOB, &len);
	if (len > 0) {
		const char *semi = NULL;

		for (i = 0; i + 1 < len; i++)
			if (s[i] == ';' && s[i + 1] == ' ') {
				semi = s + i;
				break;
			}
		if ((rc = push_attr(st, e, "dob", s, semi ? (size_t)(semi - s) : len)) != 0)
			goto fail;
	}
	s = fld(st, C_START, &len);
	if (list_date(st, row, date, s, len, "start_date") &&
	    (rc = eg__entity_set_str(set, &e->start_date, date, 10)) != 0)
		goto fail;
	s = fld(st, C_END, &len);
	if (list_date(st, row, date, s, len, "end_date") &&
	    (rc = eg__entity_set_str(set, &e->end_date, date, 10)) != 0)
		goto fail;
	return 0;
fail:
	return eg__error_set(st->err, rc, "%s:%lu: %s", st->name, row->line,
	                     rc == EG_ETOOBIG ? "too many names" : "out of memory");
}

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return eg__calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	eg__free(p);
}

#define CSL_CHUNK (64u * 1024)

/* The bytes of one file as stored, fed in any chunking: plain text, or gzip
 * (one or more members) inflated a chunk at a time, so neither the file nor
 * its uncompressed text is ever held whole. */
typedef struct csl_input {
	eg__csvread *r;
	const char *name;
	eg_error *err;
	int mode;             /* 0 before the first bytes, 1 plain, 2 gzip */
	int zinit;            /* zs needs inflateEnd */
	int member_ended;     /* the last gzip member is complete */
	z_stream zs;
	unsigned char *out;   /* CSL_CHUNK bytes of inflated text */
	size_t total;         /* bytes of text so far, capped */
} csl_input;

static int text_out(csl_input *in, const char *data, size_t len)
{
	if (len > EG__CAP_LIST_FILE_BYTES - in->total)
		return eg__error_set(in->err, EG_ETOOBIG, "%s: text over %u bytes", in->name,
		                     EG__CAP_LIST_FILE_BYTES);
	if (in->total == 0 && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		/* A UTF-8 byte order mark is not part of the first column's name. */
		data += 3;
		len -= 3;
		in->total += 3;
	}
	in->total += len;
	return eg__csvread_feed(in->r, data, len);
}

static int gzip_in(csl_input *in, const unsigned char *data, uInt len)
{
	int zrc, rc;

	in->zs.next_in = (unsigned char *)(uintptr_t)data;
	in->zs.avail_in = len;
	for (;;) {
		size_t got;

		if (in->member_ended) {
			if (in->zs.avail_in == 0)
				return 0;
			/* Another member follows, as gzip(1) allows. */
			if (inflateReset(&in->zs) != Z_OK)
				return eg__error_set(in->err, EG_EPARSE, "%s: gzip: bad member", in->name);
			in->member_ended = 0;
		}
		in->zs.next_out = in->out;
		in->zs.avail_out = CSL_CHUNK;
		zrc = inflate(&in->zs, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR)
			return eg__error_set(in->err, zrc == Z_MEM_ERROR ? EG_ENOMEM : EG_EPARSE,
			                     "%s: gzip: %s", in->name,
			                     in->zs.msg != NULL ? in->zs.msg : "corrupt data");
		got = CSL_CHUNK - in->zs.avail_out;
		if (got > 0 && (rc = text_out(in, (const char *)in->out, got)) != 0)
			return rc;
		if (zrc == Z_STREAM_END)
			in->member_ended = 1;
		else if (in->zs.avail_in == 0 && in->zs.avail_out > 0)
			return 0; /* all input used, no output pending */
		else if (zrc == Z_BUF_ERROR && got == 0)
			return 0;
	}
}

static int input_feed(csl_input *in, const char *data, size_t len)
{
	if (len == 0)
		return 0;
	if (in->mode == 0) {
		in->mode = len >= 2 && (unsigned char)data[0] == 0x1f &&
		           (unsigned char)data[1] == 0x8b ? 2 : 1;
		if (in->mode == 2) {
			in->out = eg__malloc(CSL_CHUNK);
			in->zs.zalloc = z_alloc;
			in->zs.zfree = z_free;
			if (in->out == NULL || inflateInit2(&in->zs, 16 + MAX_WBITS) != Z_OK)
				return eg__error_set(in->err, EG_ENOMEM, "%s: out of memory", in->name);
			in->zinit = 1;
		}
	}
	if (in->mode == 1)
		return text_out(in, data, len);
	while (len > 0) {
		uInt n = len > CSL_CHUNK ? CSL_CHUNK : (uInt)len;
		int rc = gzip_in(in, (const unsigned char *)data, n);

		if (rc != 0)
			return rc;
		data += n;
		len -= n;
	}
	return 0;
}

static int input_finish(csl_input *in)
{
	if (in->mode == 2 && !in->member_ended)
		return eg__error_set(in->err, EG_EPARSE, "%s: gzip data truncated", in->name);
	return eg__csvread_finish(in->r);
}

static void input_dispose(csl_input *in)
{
	if (in->zinit)
		inflateEnd(&in->zs);
	eg__free(in->out);
}

/* Reads the file f a chunk at a time (f NULL: data holds it all), hashing
 * its bytes as stored and parsing them. */
static int run(eg__parse_ctx *ctx, FILE *f, const char *data, size_t len, const char *name,
               eg_error *err)
{
	csl_state st;
	eg__csvread r;
	csl_input in;
	char *chunk = NULL;
	size_t stored = 0;
	int k, rc;

	memset(&st, 0, sizeof(st));
	memset(&in, 0, sizeof(in));
	st.ctx = ctx;
	st.name = name;
	st.err = err;
	for (k = 0; k < C_N; k++)
		eg__buf_init(&st.f[k], EG__CAP_FIELD_BYTES);
	eg__buf_init(&st.uid, EG__CAP_FIELD_BYTES + 256);
	eg__buf_init(&st.uid2, EG__CAP_FIELD_BYTES + 256);
	eg__buf_init(&st.scratch, EG__CAP_FIELD_BYTES);
	in.r = &r;
	in.name = name;
	in.err = err;
	if ((rc = eg__csvread_init(&r, ',', name, on_row, &st, err)) != 0)
		goto done;
	if (f == NULL) {
		rc = input_feed(&in, data, len);
	} else {
		chunk = eg__malloc(CSL_CHUNK);
		if (chunk == NULL) {
			rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", name);
			goto done;
		}
		while (rc == 0 && (len = fread(chunk, 1, CSL_CHUNK, f)) > 0) {
			stored += len;
			if (stored > EG__CAP_LIST_FILE_BYTES)
				rc = eg__error_set(err, EG_ETOOBIG, "%s: over %u bytes", name,
				                   EG__CAP_LIST_FILE_BYTES);
			else if (ctx->sha != NULL && (rc = eg__sha256_update(ctx->sha, chunk, len)) != 0)
				rc = eg__error_set(err, rc, "%s: hashing failed", name);
			else
				rc = input_feed(&in, chunk, len);
		}
		if (rc == 0 && ferror(f))
			rc = eg__error_set(err, EG_EIO, "%s: read error", name);
	}
	if (rc == 0)
		rc = input_finish(&in);
	if (rc == 0 && !st.have_header)
		rc = eg__error_set(err, EG_EEMPTY, "%s: no header row", name);
done:
	eg__free(chunk);
	input_dispose(&in);
	eg__csvread_dispose(&r);
	for (k = 0; k < C_N; k++)
		eg__buf_free(&st.f[k]);
	eg__buf_free(&st.uid);
	eg__buf_free(&st.uid2);
	eg__buf_free(&st.scratch);
	eg__free(st.intern);
	return rc;
}

int eg__csl_csv_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                          const char *name, eg_error *err)
{
	return run(ctx, NULL, data, len, name, err);
}

/* Streams the file rather than eg__read_file: the sha covers exactly the
 * bytes parsed, and memory stays one chunk whatever the file's size. */
static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{
	struct stat st;
	FILE *f;
	int rc;

	f = fopen(path, "rb");
	if (f == NULL)
		return eg__error_set(err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                     "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		rc = eg__error_set(err, EG_EIO, "%s: not a regular file", path);
	else
		rc = run(ctx, f, NULL, 0, path, err);
	fclose(f);
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The CSL header as trade.gov writes it; a file whose first line starts
 * with it is CSL, whatever its name. */
static const char csl_header_start[] = "_id,source,entity_number,type,programs,name,";

static int detect(const char *path)
{
	char head[sizeof(csl_header_start) + 3];
	const char *h = head;
	gzFile gz;
	int n;

	if (ends_with(path, "/consolidated.csv") || ends_with(path, "/consolidated.csv.gz") ||
	    strcmp(path, "consolidated.csv") == 0 || strcmp(path, "consolidated.csv.gz") == 0)
		return 1;
	if (!ends_with(path, ".csv") && !ends_with(path, ".gz"))
		return 0;
	gz = gzopen(path, "rb"); /* reads plain files as they are */
	if (gz == NULL)
		return 0;
	n = gzread(gz, head, (unsigned)sizeof(head));
	gzclose(gz);
	if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {
		h += 3;
		n -= 3;
	}
	return n >= (int)sizeof(csl_header_start) - 1 &&
	       memcmp(h, csl_header_start, sizeof(csl_header_start) - 1) == 0;
}

const eg__format eg__format_csl_csv = {
	"csl-csv", "us-csl", "US Consolidated Screening List CSV (optionally gzipped)",
	detect, parse
};
