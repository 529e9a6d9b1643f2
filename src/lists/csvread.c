/* csvread.c - the one libcsv driver of the CSV list parsers: lines, caps, dialects, header map. */
#include "csvread.h"
#include "../util/date.h"
#include "../util/alloc.h"
#include "../util/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unicode/utf8.h>

/* libcsv grows its field buffer by blk_size through this hook (halving the
 * step when refused); refusing past the cap makes csv_parse stop with
 * CSV_ENOMEM, reported as EG_ETOOBIG. A field that fits is checked against
 * EG__CAP_FIELD_BYTES when it is complete. */
#define CSVREAD_BLOCK 4096
#define CSVREAD_ENTRY_MAX ((size_t)EG__CAP_FIELD_BYTES + 2 * CSVREAD_BLOCK)
/* The bytes read from a file at a time by eg__csvread_path. */
#define CSVREAD_READ_BLOCK (64 * 1024)

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

static int is_line_end(char c)
{
	return c == '\r' || c == '\n';
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

/* Sets the first error: "FILE:LINE: field NAME: MSG" in a dialect with
 * field names (field col, 0-based), else "FILE:LINE: PLAIN". Returns it. */
static int field_error(eg__csvread *r, int code, size_t col, const char *msg,
                       const char *plain)
{
	if (r->rc != 0)
		return r->rc;
	if (r->d.field_names != NULL && col < r->d.keep_fields)
		r->rc = eg__error_set(r->err, code, "%s:%lu: field %s: %s", r->name, r->rec_line,
		                      r->d.field_names[col], msg);
	else if (r->d.field_names != NULL)
		r->rc = eg__error_set(r->err, code, "%s:%lu: field %zu: %s", r->name, r->rec_line,
		                      col + 1, msg);
	else
		r->rc = eg__error_set(r->err, code, "%s:%lu: %s", r->name, r->rec_line, plain);
	return r->rc;
}

static void on_field(void *data, size_t len, void *ud)
{
	eg__csvread *r = ud;
	size_t col = r->n_all++;
	char msg[64];
	int rc;

	if (r->rc != 0)
		return;
	if (r->d.keep_fields > 0 && col >= r->d.keep_fields)
		return;
	if (r->n_fields >= EG__CAP_ROW_FIELDS) {
		snprintf(msg, sizeof(msg), "more than %d fields", EG__CAP_ROW_FIELDS);
		field_error(r, EG_ETOOBIG, col, msg, msg);
		return;
	}
	if (len > EG__CAP_FIELD_BYTES) {
		char plain[64];

		snprintf(msg, sizeof(msg), "over %d bytes", EG__CAP_FIELD_BYTES);
		snprintf(plain, sizeof(plain), "field %zu over %d bytes", col + 1,
		         EG__CAP_FIELD_BYTES);
		field_error(r, EG_ETOOBIG, col, msg, plain);
		return;
	}
	if (r->d.utf8 && len > 0 && !valid_utf8(data, len)) {
		field_error(r, EG_EPARSE, col, "invalid UTF-8 or NUL byte",
		            "invalid UTF-8 or NUL byte");
		return;
	}
	r->offs[r->n_fields] = r->bytes.len;
	r->lens[r->n_fields] = len;
	rc = eg__buf_add(&r->bytes, data != NULL ? data : "", data != NULL ? len : 0);
	if (rc == 0)
		rc = eg__buf_addc(&r->bytes, '\0');
	if (rc == EG_ETOOBIG && r->d.field_names == NULL) {
		snprintf(msg, sizeof(msg), "row over %d bytes", EG__CAP_LINE_BYTES);
		field_error(r, rc, col, msg, msg);
		return;
	}
	if (rc != 0) {
		/* an allocation failure is said as one, never as a size */
		field_error(r, rc, col, eg_strerror(rc), eg_strerror(rc));
		return;
	}
	r->n_fields++;
}

/* 1 when (s, len), spaces and tabs around it aside, is the null marker. */
static int is_null(const char *marker, const char *s, size_t len)
{
	size_t n = strlen(marker);

	while (len > 0 && (s[0] == ' ' || s[0] == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len == n && memcmp(s, marker, n) == 0;
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
			if (r->d.null_marker != NULL &&
			    is_null(r->d.null_marker, row.fields[i], row.lens[i])) {
				row.fields[i] = NULL;
				row.lens[i] = 0;
			}
		}
		row.n = r->n_fields;
		row.n_all = r->n_all;
		row.line = r->rec_line;
		r->rc = r->row_fn(r->ud, &row);
	}
	r->n_fields = 0;
	r->n_all = 0;
	eg__buf_reset(&r->bytes);
	r->rec_pending = 1;
}

int eg__csvread_init_dialect(eg__csvread *r, const eg__csv_dialect *d, const char *name,
                             eg__csv_row_fn row_fn, void *ud, eg_error *err)
{
	memset(r, 0, sizeof(*r));
	r->d = *d;
	if (r->d.keep_fields > EG__CAP_ROW_FIELDS)
		r->d.keep_fields = EG__CAP_ROW_FIELDS;
	if (r->d.keep_fields == 0)
		r->d.field_names = NULL;
	r->name = name;
	r->row_fn = row_fn;
	r->ud = ud;
	r->err = err;
	r->rec_pending = 1;
	r->rec_line = 1;
	r->at_line_start = 1;
	r->bom_seen = r->d.skip_bom ? 0 : SIZE_MAX;
	eg__buf_init(&r->bytes, EG__CAP_LINE_BYTES);
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return eg__error_set(err, EG_ENOMEM, "%s: out of memory", name);
	r->inited = 1;
	csv_set_delim(&r->p, d->delim);
	if (!d->trim_spaces)
		csv_set_space_func(&r->p, csv_no_space);
	csv_set_realloc_func(&r->p, csv_realloc_capped);
	csv_set_free_func(&r->p, csv_free_hook);
	csv_set_blk_size(&r->p, CSVREAD_BLOCK);
	return 0;
}

int eg__csvread_init(eg__csvread *r, unsigned char delim, const char *name,
                     eg__csv_row_fn row_fn, void *ud, eg_error *err)
{
	eg__csv_dialect d;

	memset(&d, 0, sizeof(d));
	d.delim = delim;
	return eg__csvread_init_dialect(r, &d, name, row_fn, ud, err);
}

/* Maps libcsv's status after a short csv_parse or a failed csv_fini. */
static int csv_failure(eg__csvread *r, int at_end)
{
	size_t col = r->n_all;
	int e = csv_error(&r->p);
	char msg[64];

	if (r->rc != 0)
		return r->rc;
	if (r->d.keep_fields > 0 && col > r->d.keep_fields)
		col = r->d.keep_fields;
	snprintf(msg, sizeof(msg), "over %d bytes", EG__CAP_FIELD_BYTES);
	if (e == CSV_EPARSE && r->d.field_names == NULL)
		r->rc = eg__error_set(r->err, EG_EPARSE, "%s:%lu: malformed quoting",
		                      r->name, r->line + 1);
	else if (e == CSV_EPARSE)
		field_error(r, EG_EPARSE, col, at_end ? "unterminated quoted value"
		                                      : "malformed quoting", NULL);
	else if ((e == CSV_ENOMEM && r->p.entry_size + 1 > CSVREAD_ENTRY_MAX) ||
	         e == CSV_ETOOBIG) {
		char plain[64];

		snprintf(plain, sizeof(plain), "field over %d bytes", EG__CAP_FIELD_BYTES);
		field_error(r, EG_ETOOBIG, col, msg, plain);
	} else if (e == CSV_ENOMEM)
		field_error(r, EG_ENOMEM, col, eg_strerror(EG_ENOMEM), "out of memory");
	else
		field_error(r, EG_EPARSE, col, csv_strerror(e), csv_strerror(e));
	return r->rc;
}

/* 1 when the line holds a byte that is neither a line end nor, in a
 * dialect that trims them, a space or tab. */
static int has_content(const eg__csvread *r, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_line_end(s[i]) && !(r->d.trim_spaces && (s[i] == ' ' || s[i] == '\t')))
			return 1;
	return 0;
}

/* Feeds one physical line, or the part of one a chunk holds, with its line
 * end if any. Every byte from the line where a record starts to its end
 * counts towards EG__CAP_CSV_ROW_BYTES, checked before libcsv sees it. */
static int feed_line(eg__csvread *r, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (r->rec_pending && has_content(r, s, len)) {
		r->rec_pending = 0;
		r->rec_line = r->line + 1;
		r->rec_bytes = 0;
	}
	if (!r->rec_pending) {
		if (len > EG__CAP_CSV_ROW_BYTES - r->rec_bytes)
			return r->rc = eg__error_set(r->err, EG_ETOOBIG,
			                             "%s:%lu: row over %u bytes (the cap on a CSV row)",
			                             r->name, r->rec_line, EG__CAP_CSV_ROW_BYTES);
		r->rec_bytes += len;
	}
	if (csv_parse(&r->p, s, len, on_field, on_row, r) != len)
		return csv_failure(r, 0);
	if (r->rc != 0)
		return r->rc;
	if (is_line_end(s[len - 1]))
		r->line++;
	return 0;
}

/* Feeds every line of s[0..n): a line ends after LF, CR or CRLF. */
static int feed_lines(eg__csvread *r, const char *s, size_t n)
{
	size_t pos = 0;
	int rc;

	while (pos < n) {
		size_t end = pos;

		while (end < n && !is_line_end(s[end]))
			end++;
		if (end < n && s[end] == '\r' && end + 1 < n && s[end + 1] == '\n')
			end++;
		if (end < n)
			end++;
		if ((rc = feed_line(r, s + pos, end - pos)) != 0)
			return rc;
		pos = end;
	}
	return 0;
}

/* Feeds the held bytes: they did not end the input after all. */
static int flush_tail(eg__csvread *r)
{
	size_t n = r->tail_n;

	r->tail_n = 0;
	return feed_lines(r, r->tail, n);
}

/* 1 when s[0..n) holds line ends only. */
static int only_line_ends(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_line_end(s[i]))
			return 0;
	return 1;
}

/* Feeds data[0..len). A CR that ends a chunk is held until the next byte
 * tells whether an LF completes its line; in an eof_mark dialect, a 0x1A
 * that starts a line is held with the line ends after it until a byte
 * tells they are not the end (last: this chunk ends the input, so they are
 * dropped when only line ends follow). */
static int feed(eg__csvread *r, const char *data, size_t len, int last)
{
	size_t pos = 0, from;
	int rc;

	if (r->rc != 0)
		return r->rc;
	if (r->bom_seen != SIZE_MAX) {
		/* Matched a byte at a time, so a mark cut by a chunk's end is
		 * still found; bytes that begin a mark and then differ are data. */
		static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
		while (pos < len && r->bom_seen < 3 && data[pos] == bom[r->bom_seen]) {
			r->bom_seen++;
			pos++;
		}
		if (r->bom_seen == 3 || pos < len || last) {
			size_t partial = r->bom_seen == 3 ? 0 : r->bom_seen;
			r->bom_seen = SIZE_MAX;
			if (partial > 0) {
				r->at_line_start = 0;
				if ((rc = feed_lines(r, bom, partial)) != 0)
					return rc;
			}
		}
	}
	while (pos < len) {
		char c = data[pos];

		if (r->tail_n > 0) {
			if (is_line_end(c) && r->tail_n < EG__CSVREAD_TAIL_MAX) {
				r->tail[r->tail_n++] = c;
				r->at_line_start = 1;
				pos++;
				continue;
			}
			if ((rc = flush_tail(r)) != 0)
				return rc;
		}
		if (r->d.eof_mark && r->at_line_start && c == 0x1A) {
			if (last && only_line_ends(data + pos + 1, len - pos - 1))
				return 0;
			if (!last) {
				r->tail[r->tail_n++] = c;
				r->at_line_start = 0;
				pos++;
				continue;
			}
		}
		/* the run up to the next byte to hold: a 0x1A that starts a line,
		 * or a CR that ends the chunk */
		from = pos;
		while (pos < len) {
			c = data[pos];
			if (r->d.eof_mark && r->at_line_start && c == 0x1A && pos > from)
				break;
			if (c == '\r' && pos + 1 == len && !last)
				break;
			r->at_line_start = is_line_end(c);
			pos++;
		}
		if (pos > from && (rc = feed_lines(r, data + from, pos - from)) != 0)
			return rc;
		if (pos + 1 == len && data[pos] == '\r' && !last) {
			r->tail[r->tail_n++] = '\r';
			r->at_line_start = 1;
			pos++;
		}
	}
	return 0;
}

int eg__csvread_feed(eg__csvread *r, const char *data, size_t len)
{
	return feed(r, data, len, 0);
}

int eg__csvread_finish(eg__csvread *r)
{
	if (r->rc != 0)
		return r->rc;
	/* held bytes that start with 0x1A end the input: they are dropped */
	if (r->tail_n > 0 && r->tail[0] != 0x1A && flush_tail(r) != 0)
		return r->rc;
	r->tail_n = 0;
	if (csv_fini(&r->p, on_field, on_row, r) != 0)
		return csv_failure(r, 1);
	return r->rc;
}

int eg__csvread_feed_last(eg__csvread *r, const char *data, size_t len)
{
	int rc = feed(r, data, len, 1);

	return rc != 0 ? rc : eg__csvread_finish(r);
}

int eg__csvread_path(eg__csvread *r, const char *path, eg__sha256 *sha)
{
	char *block;
	FILE *f;
	size_t got;
	int rc = 0;

	if (r->rc != 0)
		return r->rc;
	if ((f = fopen(path, "rb")) == NULL)
		return r->rc = eg__error_set(r->err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                             "%s: cannot open: %s", path, strerror(errno));
	if ((block = eg__malloc(CSVREAD_READ_BLOCK)) == NULL) {
		fclose(f);
		return r->rc = eg__error_set(r->err, EG_ENOMEM, "%s: out of memory", r->name);
	}
	while (rc == 0 && (got = fread(block, 1, CSVREAD_READ_BLOCK, f)) > 0) {
		if (sha != NULL && (rc = eg__sha256_update(sha, block, got)) != 0)
			rc = r->rc = eg__error_set(r->err, rc, "%s: hashing failed", r->name);
		else
			rc = feed(r, block, got, 0);
	}
	if (rc == 0 && ferror(f))
		rc = r->rc = eg__error_set(r->err, EG_EIO, "%s: read error", path);
	eg__free(block);
	fclose(f);
	return rc != 0 ? rc : eg__csvread_finish(r);
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
