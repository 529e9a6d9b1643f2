/* batch_csv.c - reads `screen --batch` input through libcsv, keeping of each row its name, id and type fields. */
#include "batch_csv.h"

#include "util/alloc.h"
#include "util/caps.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The kept bytes of all rows (names, ids, types, with their NULs). This cap
 * belongs in util/caps.h; it is local until that header gains it. */
#define BATCH_KEPT_BYTES_MAX ((size_t)1 << 30)
/* libcsv grows its field buffer through csv_realloc_capped; refusing past
 * this makes csv_parse stop with CSV_ENOMEM, reported as a field too long. */
#define BATCH_ENTRY_MAX ((size_t)EG__CAP_FIELD_BYTES + 256)
/* The slices the file is read in. */
#define BATCH_CHUNK_BYTES ((size_t)1 << 16)

/* The libcsv driver state. Records are fed in slices that never cross a
 * line feed, so each record knows the physical line it starts on. */
typedef struct reader {
	struct csv_parser p;
	int inited;
	const batch_csv_opts *o;
	batch_csv *b;          /* the rows, the pool and the message */
	int exit_code;         /* nonzero: stop; b->msg says why */
	unsigned long line;    /* line feeds fed so far */
	unsigned long rec_line;
	int rec_pending;       /* the next non-blank byte starts a record */
	int in_header;         /* the first record is the header */
	eg__buf header;        /* header names, each followed by a NUL */
	size_t n_header;
	long name_col, id_col, type_col; /* -1: none */
	size_t field_no;       /* fields of the current record so far */
	int have_name, have_id;
	batch_row cur;
	char type_text[32];
	size_t type_len;       /* > sizeof(type_text) - 1: too long */
	size_t cap_rows;       /* of b->rows */
} reader;

static void *csv_realloc_capped(void *p, size_t n)
{
	if (n > BATCH_ENTRY_MAX)
		return NULL;
	return eg__realloc(p, n);
}

static void csv_free_hook(void *p)
{
	eg__free(p);
}

static void reader_fail(reader *r, int exit_code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void reader_fail(reader *r, int exit_code, const char *fmt, ...)
{
	va_list ap;

	if (r->exit_code != 0)
		return;
	r->exit_code = exit_code;
	va_start(ap, fmt);
	vsnprintf(r->b->msg, sizeof(r->b->msg), fmt, ap);
	va_end(ap);
}

static long header_find(const reader *r, const char *name)
{
	const char *s = eg__buf_str(&r->header);
	size_t i;

	for (i = 0; i < r->n_header; i++) {
		if (strcmp(s, name) == 0)
			return (long)i;
		s += strlen(s) + 1;
	}
	return -1;
}

/* Resolves one --*-column option; on a miss, fails naming the header. */
static long header_column(reader *r, const char *option, const char *name)
{
	const char *s = eg__buf_str(&r->header);
	char cols[256];
	size_t i, used = 0;
	long c;

	if (name == NULL)
		return -1;
	if ((c = header_find(r, name)) >= 0)
		return c;
	cols[0] = '\0';
	for (i = 0; i < r->n_header && used < sizeof(cols) - 1; i++) {
		int n = snprintf(cols + used, sizeof(cols) - used, "%s\"%s\"", i ? ", " : "", s);
		if (n < 0)
			break;
		used += (size_t)n;
		s += strlen(s) + 1;
	}
	if (used >= sizeof(cols) - 1)
		snprintf(cols + sizeof(cols) - 5, 5, "...");
	reader_fail(r, EXIT_USAGE, "%s: %s \"%s\": no such column in the header (columns: %s)",
	            r->o->path, option, name, r->n_header ? cols : "none");
	return -1;
}

static int pool_add(reader *r, size_t *off, const void *data, size_t len)
{
	*off = r->b->pool.len;
	if (eg__buf_add(&r->b->pool, data != NULL ? data : "", data != NULL ? len : 0) != 0 ||
	    eg__buf_addc(&r->b->pool, '\0') != 0) {
		reader_fail(r, EXIT_INPUT, "%s:%lu: the names kept exceed %zu bytes", r->o->path,
		            r->rec_line, (size_t)BATCH_KEPT_BYTES_MAX);
		return -1;
	}
	return 0;
}

static void on_field(void *data, size_t len, void *ud)
{
	reader *r = ud;
	size_t col;

	if (r->exit_code != 0)
		return;
	col = r->field_no++;
	if (r->in_header) {
		const char *s = data != NULL ? data : "";
		if (col == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3; /* a UTF-8 byte order mark */
			len -= 3;
		}
		/* header names are looked up as C strings */
		if (memchr(s, '\0', len) != NULL) {
			reader_fail(r, EXIT_INPUT, "%s:%lu: header column %zu holds a NUL byte",
			            r->o->path, r->rec_line, col + 1);
			return;
		}
		if (eg__buf_add(&r->header, s, len) != 0 || eg__buf_addc(&r->header, '\0') != 0)
			reader_fail(r, EXIT_INPUT, "%s:%lu: header row over %d bytes", r->o->path,
			            r->rec_line, EG__CAP_LINE_BYTES);
		r->n_header++;
		return;
	}
	if (len > UINT32_MAX) /* unreachable: fields are capped by libcsv's hook */
		len = UINT32_MAX;
	if ((long)col == r->name_col) {
		if (pool_add(r, &r->cur.name_off, data, len) != 0)
			return;
		r->cur.name_len = (uint32_t)len;
		r->have_name = 1;
	}
	if ((long)col == r->id_col) {
		if (pool_add(r, &r->cur.id_off, data, len) != 0)
			return;
		r->cur.id_len = (uint32_t)len;
		r->have_id = 1;
	}
	if ((long)col == r->type_col) {
		size_t k = len < sizeof(r->type_text) - 1 ? len : sizeof(r->type_text) - 1;
		r->type_len = len;
		if (k > 0)
			memcpy(r->type_text, data, k);
		r->type_text[k] = '\0';
	}
}

char *batch_csv_reason(const char *fmt, ...)
{
	char tmp[EG_ERROR_MESSAGE_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	return eg__strdup(tmp);
}

/* Copies len bytes of s into out for a message, control characters, DEL
 * and quotes escaped as \xNN. */
static void shown_text(char *out, size_t size, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, size - o, "\\x%02X", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
}

static void end_header(reader *r)
{
	r->in_header = 0;
	r->name_col = header_column(r, "--column", r->o->name_col);
	r->id_col = header_column(r, "--id-column", r->o->id_col);
	r->type_col = header_column(r, "--type-column", r->o->type_col);
}

static void on_row(int c, void *ud)
{
	reader *r = ud;
	batch_row *row;
	size_t nf = r->field_no;
	int want_reason = 0;

	(void)c;
	r->field_no = 0;
	r->rec_pending = 1;
	if (r->exit_code != 0)
		return;
	if (r->in_header) {
		end_header(r);
		return;
	}
	if (r->b->n_rows == EG__CAP_BATCH_ROWS) {
		reader_fail(r, EXIT_INPUT, "%s:%lu: more than %u rows, the cap of a batch",
		            r->o->path, r->rec_line, (unsigned)EG__CAP_BATCH_ROWS);
		return;
	}
	if (r->o->sink == NULL && r->b->n_rows == r->cap_rows) {
		size_t ncap = r->cap_rows ? r->cap_rows * 2 : 1024, bytes;
		batch_row *nr;
		if (ncap > EG__CAP_BATCH_ROWS)
			ncap = EG__CAP_BATCH_ROWS;
		if (eg__mul_overflow(&bytes, ncap, sizeof(*nr)) != 0 ||
		    (nr = eg__realloc(r->b->rows, bytes)) == NULL) {
			reader_fail(r, EXIT_FAIL, "%s:%lu: out of memory", r->o->path, r->rec_line);
			return;
		}
		r->b->rows = nr;
		r->cap_rows = ncap;
	}
	row = r->o->sink != NULL ? &r->cur : &r->b->rows[r->b->n_rows];
	if (row != &r->cur)
		*row = r->cur;
	row->line = r->rec_line;
	row->type = r->o->type;
	if (!r->have_id)
		row->id_off = SIZE_MAX;
	if (!r->have_name) {
		size_t off;
		/* Keeps the pool offsets valid: an empty name stands in. */
		if (pool_add(r, &off, "", 0) != 0)
			return;
		row->name_off = off;
		row->name_len = 0;
		want_reason = 1;
		row->reason = batch_csv_reason("field %s: missing (the row has %zu field%s)",
		                            r->o->name_col, nf, nf == 1 ? "" : "s");
	} else if (r->type_col >= 0 && r->type_len > 0 &&
	           (r->type_len >= sizeof(r->type_text) ||
	            eg_type_parse(&row->type, r->type_text) != 0)) {
		char shown[sizeof(r->type_text) * 4];
		want_reason = 1;
		shown_text(shown, sizeof(shown), r->type_text, strlen(r->type_text));
		row->reason = batch_csv_reason("field %s: unknown type \"%s%s\" (individual, entity, "
		                            "vessel, aircraft or any)", r->o->type_col, shown,
		                            r->type_len < sizeof(r->type_text) ? "" : "...");
	}
	if (want_reason && row->reason == NULL) {
		reader_fail(r, EXIT_FAIL, "%s:%lu: out of memory", r->o->path, r->rec_line);
		return;
	}
	r->b->n_rows++;
	if (r->o->sink != NULL) {
		/* The pool holds this row only: the sink copies what it keeps. */
		int rc = r->o->sink(r->o->sink_ud, row, eg__buf_str(&r->b->pool));
		eg__buf_reset(&r->b->pool);
		if (rc != 0 && r->exit_code == 0)
			r->exit_code = rc;
	}
	memset(&r->cur, 0, sizeof(r->cur));
	r->have_name = r->have_id = 0;
	r->type_len = 0;
}

/* at_end: csv_fini failed, so a quoted field runs to the end of the file. */
static void csv_failure(reader *r, int at_end)
{
	int e = csv_error(&r->p);

	if (r->exit_code != 0)
		return;
	if (e == CSV_EPARSE && at_end)
		reader_fail(r, EXIT_INPUT, "%s:%lu: malformed CSV: a quoted field of the record "
		            "starting on this line is not closed before the end of the file",
		            r->o->path, r->rec_line);
	else if (e == CSV_EPARSE)
		reader_fail(r, EXIT_INPUT, "%s:%lu: malformed CSV: unterminated or stray quote in "
		            "the record starting on this line (seen at line %lu)", r->o->path,
		            r->rec_line, r->line + 1);
	else if (e == CSV_ENOMEM && r->p.entry_size + r->p.blk_size > BATCH_ENTRY_MAX)
		reader_fail(r, EXIT_INPUT, "%s:%lu: a field over %d bytes", r->o->path, r->rec_line,
		            EG__CAP_FIELD_BYTES);
	else
		reader_fail(r, EXIT_FAIL, "%s:%lu: %s", r->o->path, r->rec_line, csv_strerror(e));
}

/* Feeds one slice holding at most one line feed, as its last byte. */
static void feed_slice(reader *r, const char *s, size_t len)
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
		csv_failure(r, 0);
	if (len > 0 && s[len - 1] == '\n')
		r->line++;
}

/* Prepares r to read into b. Returns 0 or an exit code (b->msg says why). */
static int reader_begin(reader *r, batch_csv *b, const batch_csv_opts *o)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->b = b;
	r->in_header = 1;
	r->rec_pending = 1;
	r->name_col = r->id_col = r->type_col = -1;
	b->msg[0] = '\0';
	eg__buf_init(&r->header, EG__CAP_LINE_BYTES);
	eg__buf_init(&b->pool, BATCH_KEPT_BYTES_MAX);
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		reader_fail(r, EXIT_FAIL, "out of memory");
		return r->exit_code;
	}
	r->inited = 1;
	csv_set_realloc_func(&r->p, csv_realloc_capped);
	csv_set_free_func(&r->p, csv_free_hook);
	csv_set_blk_size(&r->p, 4096);
	return 0;
}

/* Feeds len bytes, in slices that end at each line feed, until a failure. */
static void reader_feed(reader *r, const char *s, size_t len)
{
	size_t pos = 0;

	while (r->exit_code == 0 && pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (s + pos)) + 1 : len - pos;
		feed_slice(r, s + pos, n);
		pos += n;
	}
}

/* Ends the input: the last record, and a header required. */
static void reader_finish(reader *r)
{
	if (r->exit_code == 0 && csv_fini(&r->p, on_field, on_row, r) != 0)
		csv_failure(r, 1);
	if (r->exit_code == 0 && r->in_header)
		reader_fail(r, EXIT_INPUT, "%s: empty: no header row", r->o->path);
}

/* Frees the parser state, keeping b. Returns the exit code of the read. */
static int reader_end(reader *r)
{
	if (r->inited) {
		csv_free(&r->p);
		r->inited = 0;
	}
	eg__buf_free(&r->header);
	return r->exit_code;
}

int batch_csv_read_mem(batch_csv *b, const batch_csv_opts *o, const char *data, size_t len)
{
	reader r;

	if (reader_begin(&r, b, o) == 0) {
		reader_feed(&r, data, len);
		reader_finish(&r);
	}
	return reader_end(&r);
}

int batch_csv_read_file(batch_csv *b, const batch_csv_opts *o)
{
	char *chunk = NULL;
	FILE *f = NULL;
	size_t got;
	reader r;

	if (reader_begin(&r, b, o) != 0)
		goto done;
	if ((f = fopen(o->path, "rb")) == NULL) {
		reader_fail(&r, EXIT_INPUT, "%s: cannot open: %s", o->path, strerror(errno));
		goto done;
	}
	if ((chunk = eg__malloc(BATCH_CHUNK_BYTES)) == NULL) {
		reader_fail(&r, EXIT_FAIL, "out of memory");
		goto done;
	}
	while (r.exit_code == 0 && (got = fread(chunk, 1, BATCH_CHUNK_BYTES, f)) > 0)
		reader_feed(&r, chunk, got);
	if (r.exit_code == 0 && ferror(f)) {
		reader_fail(&r, EXIT_INPUT, "%s: cannot read: %s", o->path, strerror(errno));
		goto done;
	}
	reader_finish(&r);
done:
	eg__free(chunk);
	if (f != NULL)
		fclose(f);
	return reader_end(&r);
}

void batch_csv_free(batch_csv *b)
{
	size_t i;

	for (i = 0; b->rows != NULL && i < b->n_rows; i++)
		eg__free(b->rows[i].reason);
	eg__free(b->rows);
	eg__buf_free(&b->pool);
	memset(b, 0, sizeof(*b));
}
