/* csvread.c - the libcsv driver shared by the CSV list parsers: line tracking, caps, header map. */
#include "csvread.h"
#include "../util/date.h"
#include "../util/alloc.h"
#include "../util/error.h"

#include <string.h>
#include <unicode/utf8.h>

/* libcsv grows its field buffer by blk_size through this hook; refusing past
 * the cap makes csv_parse stop with CSV_ENOMEM, reported as EG_ETOOBIG. */
#define CSVREAD_ENTRY_MAX ((size_t)EG__CAP_FIELD_BYTES + 256)

static void *csv_realloc_capped(void *p, size_t n)
{
	if (n > CSVREAD_ENTRY_MAX)
		return NULL;
	return eg__realloc(p, n);
}

static void csv_free_hook(void *p)
{
	eg__free(p);
}

/* Spaces around unquoted fields are kept by libcsv (trimming is the
 * parsers' business, after control characters are replaced). */
static int csv_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void on_field(void *data, size_t len, void *ud)
{
	eg__csvread *r = ud;
	int rc;

	if (r->rc != 0)
		return;
	if (r->n_fields >= EG__CAP_ROW_FIELDS) {
		r->rc = eg__error_set(r->err, EG_ETOOBIG, "%s:%lu: more than %d fields",
		                      r->name, r->rec_line,
		                      EG__CAP_ROW_FIELDS);
		return;
	}
	if (len > EG__CAP_FIELD_BYTES) {
		r->rc = eg__error_set(r->err, EG_ETOOBIG, "%s:%lu: field %zu over %d bytes",
		                      r->name, r->rec_line, r->n_fields + 1, EG__CAP_FIELD_BYTES);
		return;
	}
	r->offs[r->n_fields] = r->bytes.len;
	r->lens[r->n_fields] = len;
	rc = eg__buf_add(&r->bytes, data != NULL ? data : "", data != NULL ? len : 0);
	if (rc == 0)
		rc = eg__buf_addc(&r->bytes, '\0');
	if (rc == EG_ETOOBIG) {
		r->rc = eg__error_set(r->err, rc, "%s:%lu: row over %d bytes", r->name, r->rec_line,
		                      EG__CAP_LINE_BYTES);
		return;
	}
	if (rc != 0) {
		/* an allocation failure is said as one, never as a size */
		r->rc = eg__error_set(r->err, rc, "%s:%lu: %s", r->name, r->rec_line,
		                      eg_strerror(rc));
		return;
	}
	r->n_fields++;
}

static void on_row(int c, void *ud)
{
	eg__csvread *r = ud;
	eg__csv_row row;
	size_t i;

	(void)c;
	if (r->rc == 0) {
		for (i = 0; i < r->n_fields; i++) {
			row.fields[i] = r->bytes.ptr + r->offs[i];
			row.lens[i] = r->lens[i];
		}
		row.n = r->n_fields;
		row.line = r->rec_line;
		r->rc = r->row_fn(r->ud, &row);
	}
	r->n_fields = 0;
	eg__buf_reset(&r->bytes);
	r->rec_pending = 1;
}

int eg__csvread_init(eg__csvread *r, unsigned char delim, const char *name,
                     eg__csv_row_fn row_fn, void *ud, eg_error *err)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->row_fn = row_fn;
	r->ud = ud;
	r->err = err;
	r->rec_pending = 1;
	r->rec_line = 1;
	eg__buf_init(&r->bytes, EG__CAP_LINE_BYTES);
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return eg__error_set(err, EG_ENOMEM, "%s: out of memory", name);
	r->inited = 1;
	csv_set_delim(&r->p, delim);
	csv_set_space_func(&r->p, csv_no_space);
	csv_set_realloc_func(&r->p, csv_realloc_capped);
	csv_set_free_func(&r->p, csv_free_hook);
	csv_set_blk_size(&r->p, 4096);
	return 0;
}

/* Maps libcsv's status after a short csv_parse or a failed csv_fini. */
static int csv_failure(eg__csvread *r)
{
	int e = csv_error(&r->p);

	if (r->rc != 0)
		return r->rc;
	if (e == CSV_EPARSE)
		r->rc = eg__error_set(r->err, EG_EPARSE, "%s:%lu: malformed quoting",
		                      r->name, r->line + 1);
	else if (e == CSV_ENOMEM && r->p.entry_size + r->p.blk_size > CSVREAD_ENTRY_MAX)
		r->rc = eg__error_set(r->err, EG_ETOOBIG, "%s:%lu: field over %d bytes",
		                      r->name, r->rec_line, EG__CAP_FIELD_BYTES);
	else if (e == CSV_ENOMEM)
		r->rc = eg__error_set(r->err, EG_ENOMEM, "%s:%lu: out of memory",
		                      r->name, r->rec_line);
	else
		r->rc = eg__error_set(r->err, EG_EPARSE, "%s:%lu: %s", r->name,
		                      r->rec_line, csv_strerror(e));
	return r->rc;
}

/* Feeds one slice that holds at most one line feed, as its last byte. */
static int feed_slice(eg__csvread *r, const char *s, size_t len)
{
	size_t i;

	if (r->rec_pending) {
		for (i = 0; i < len; i++)
			if (s[i] != '\n' && s[i] != '\r')
				break;
		if (i < len) {
			r->rec_pending = 0;
			r->rec_line = r->line + 1;
		}
	}
	if (csv_parse(&r->p, s, len, on_field, on_row, r) != len)
		return csv_failure(r);
	if (r->rc != 0)
		return r->rc;
	if (len > 0 && s[len - 1] == '\n')
		r->line++;
	return 0;
}

int eg__csvread_feed(eg__csvread *r, const char *data, size_t len)
{
	size_t pos = 0;
	int rc;

	if (r->rc != 0)
		return r->rc;
	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (data + pos)) + 1 : len - pos;

		if ((rc = feed_slice(r, data + pos, n)) != 0)
			return rc;
		pos += n;
	}
	return 0;
}

int eg__csvread_finish(eg__csvread *r)
{
	if (r->rc != 0)
		return r->rc;
	if (csv_fini(&r->p, on_field, on_row, r) != 0)
		return csv_failure(r);
	return r->rc;
}

void eg__csvread_dispose(eg__csvread *r)
{
	if (r->inited) {
		csv_free(&r->p);
		r->inited = 0;
	}
	eg__buf_free(&r->bytes);
}

void eg__csv_trim(const char **p, size_t *len)
{
	const char *s = *p;
	size_t n = *len;

	while (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
	                 s[n - 1] == '\n'))
		n--;
	*p = s;
	*len = n;
}

int eg__csv_header_map(const eg__csv_row *hdr, const char *const *known, size_t n_known,
                       int *cols, eg__parse_ctx *ctx, const char *name, eg_error *err)
{
	size_t i, j, k;

	for (k = 0; k < n_known; k++)
		cols[k] = -1;
	for (i = 0; i < hdr->n; i++) {
		const char *h = hdr->fields[i];
		size_t hl = hdr->lens[i];
		int found = 0;

		eg__csv_trim(&h, &hl);
		for (j = 0; j < i; j++) {
			const char *o = hdr->fields[j];
			size_t ol = hdr->lens[j];

			eg__csv_trim(&o, &ol);
			if (ol == hl && memcmp(o, h, hl) == 0)
				return eg__error_set(err, EG_EPARSE,
				                     "%s:%lu: header column %zu repeats \"%.*s\"",
				                     name, hdr->line, i + 1, (int)(hl > 64 ? 64 : hl), h);
		}
		for (k = 0; k < n_known; k++) {
			if (strlen(known[k]) == hl && memcmp(known[k], h, hl) == 0) {
				cols[k] = (int)i;
				found = 1;
				break;
			}
		}
		if (!found)
			eg__parse_warn(ctx, "%s:%lu: unknown column \"%.*s\" ignored", name,
			               hdr->line, (int)(hl > 64 ? 64 : hl), h);
	}
	return 0;
}

static int is_blank_byte(char c)
{
	unsigned char u = (unsigned char)c;

	return u <= 0x20 || u == 0x7f;
}

int eg__csv_clean_field(eg__buf *out, const eg__csv_row *row, int col,
                        const char *field_name, const char *name, eg_error *err)
{
	const char *s;
	size_t len;
	int32_t off = 0;
	int rc;

	eg__buf_reset(out);
	if (col < 0 || (size_t)col >= row->n)
		return 0;
	s = row->fields[col];
	len = row->lens[col];
	/* Control characters and spaces at either end are dropped: all are
	 * single bytes, so this never splits a UTF-8 sequence. */
	while (len > 0 && is_blank_byte(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_blank_byte(s[len - 1]))
		len--;
	/* len <= EG__CAP_FIELD_BYTES, so it fits U8_NEXT's int32_t offsets.
	 * Runs of ordinary characters are copied at once, from run to off. */
	{
		int32_t run = 0;

		while ((size_t)off < len) {
			int32_t start = off;
			UChar32 c;

			U8_NEXT(s, off, (int32_t)len, c);
			if (c < 0)
				return eg__error_set(err, EG_EPARSE,
				                     "%s:%lu: field %s: invalid UTF-8 at byte %d",
				                     name, row->line, field_name, (int)start + 1);
			if (c >= 0x20 && c != 0x7f)
				continue;
			rc = eg__buf_add(out, s + run, (size_t)(start - run));
			if (rc == 0)
				rc = eg__buf_addc(out, ' ');
			if (rc != 0)
				goto oom;
			run = off;
		}
		if (off > run && (rc = eg__buf_add(out, s + run, (size_t)(off - run))) != 0)
			goto oom;
	}
	return 0;
oom:
	return eg__error_set(err, rc, "%s:%lu: field %s: out of memory", name, row->line,
	                     field_name);
}

int eg__csv_date_iso(const char *s, size_t len, char out[11])
{
	/* a calendar date: "2023-02-30" is not one (found by the fuzz invariants) */
	if (len != 10 || !eg__date_valid(s, len))
		return 0;
	memcpy(out, s, 10);
	out[10] = '\0';
	return 1;
}

int eg__csv_row_fields(eg__buf *out, size_t n, const eg__csv_row *row, size_t n_cols,
                       const int *cols, const char *const *names, const char *name,
                       eg_error *err)
{
	size_t k;
	int rc;

	if (row->n != n_cols)
		return eg__error_set(err, EG_EPARSE, "%s:%lu: expected %zu fields, got %zu", name,
		                     row->line, n_cols, row->n);
	for (k = 0; k < n; k++)
		if ((rc = eg__csv_clean_field(&out[k], row, cols[k], names[k], name, err)) != 0)
			return rc;
	return 0;
}

int eg__csv_date_mdy(const char *s, size_t len, char out[11])
{
	return eg__date_from_slashes(out, s, len, 0) == 0;
}
