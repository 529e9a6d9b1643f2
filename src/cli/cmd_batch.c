/* cmd_batch.c - `exportgate screen --batch`: every row of a CSV file screened on all cores, the hits written as CSV in input order. */
#include "cli.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/caps.h"

#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Memory: the file is read in full first, keeping of each row only the
 * name, id and type fields (in one pool) and a fixed-size record; so the
 * memory is bounded by the input, under the caps below. Results are written
 * in input order as soon as every earlier row is done, so at most the rows
 * finished in the last progress tick (~0.1 s of work) wait in memory.
 */

/* The kept bytes of all rows (names, ids, types, with their NULs). This cap
 * belongs in util/caps.h; it is local until that header gains it. */
#define BATCH_KEPT_BYTES_MAX ((size_t)1 << 30)
/* The CSV lines of one row's hits (at most --limit lines). */
#define BATCH_ROW_OUT_MAX ((size_t)16 << 20)
/* libcsv grows its field buffer through csv_realloc_capped; refusing past
 * this makes csv_parse stop with CSV_ENOMEM, reported as a field too long. */
#define BATCH_ENTRY_MAX ((size_t)EG__CAP_FIELD_BYTES + 256)
#define MAX_REJECT_LINES 20
#define MAX_THREADS 1024
#define DEFAULT_LIMIT 3

static const char usage[] =
	"usage: exportgate screen --batch FILE.csv --column NAME [options]\n"
	"\n"
	"Screens the NAME column of every row of FILE.csv (UTF-8, a header row,\n"
	"RFC 4180 quoting) on all cores and writes one CSV line per hit at or above\n"
	"the threshold, in input order:\n"
	"  row,id,query,score,source,uid,type,primary_name,matched_name,programs\n"
	"A row whose name is bad (empty, invalid UTF-8, control characters, too\n"
	"long) is reported on stderr as FILE:LINE and skipped. A summary ends on\n"
	"stderr, with a progress bar before it when stderr is a terminal.\n"
	"Exit code 1 when any row has a hit, 0 when none, 2 for a bad command line\n"
	"or a column missing from the header, 3 for a missing, unreadable or\n"
	"malformed FILE, 4 for a store error, 5 when the output cannot be written.\n"
	"\n"
	"  --column C       the column holding the names (required)\n"
	"  --out FILE       write the hits there (default: stdout)\n"
	"  --id-column C    copy this column into the id field of each hit\n"
	"  --type T         individual, entity, vessel or aircraft (default: any)\n"
	"  --type-column C  the type of each row from this column (empty: any)\n"
	"  --source S       one source only (default: every source)\n"
	"  --as-of DATE     the list versions in force on YYYY-MM-DD (default: newest)\n"
	"  --country C      only entities naming this country (as the list writes it)\n"
	"  --min-score S    threshold in [0,1] (default: the calibrated default)\n"
	"  --limit N        at most N hits per row (default 3, at most 1000)\n"
	"  --threads N      worker threads (default: the online CPUs)\n";

enum { ROW_PENDING = 0, ROW_SCREENED, ROW_REJECTED };

/* One data row. Read-only for the workers except the result fields, which
 * only the worker that took the row writes, before it publishes state with
 * release order; the main thread reads them after an acquire load. */
typedef struct batch_row {
	size_t name_off;       /* into the pool, NUL-terminated */
	size_t id_off;         /* into the pool; SIZE_MAX: no id */
	uint32_t name_len;
	uint32_t id_len;
	unsigned long line;    /* physical line where the record starts */
	eg_entity_type type;
	uint32_t n_hits;       /* result: hits written to out */
	_Atomic unsigned char state; /* ROW_* */
	char *out;             /* result: CSV lines of the hits, or NULL; owned */
	size_t out_len;
	char *reason;          /* "field NAME: why" when rejected; owned */
} batch_row;

typedef struct batch_opts {
	const char *path;
	const char *out_path;
	const char *name_col;
	const char *id_col;
	const char *type_col;
	size_t threads;
	eg_screen_options so;
} batch_opts;

/* The libcsv driver state. Records are fed in slices that never cross a
 * line feed, so each record knows the physical line it starts on. */
typedef struct reader {
	struct csv_parser p;
	int inited;
	const batch_opts *o;
	int exit_code;         /* nonzero: stop; msg says why */
	char msg[EG_ERROR_MESSAGE_MAX + 256];
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
	batch_row *rows;
	size_t n_rows, cap_rows;
	eg__buf pool;
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
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
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
	*off = r->pool.len;
	if (eg__buf_add(&r->pool, data != NULL ? data : "", data != NULL ? len : 0) != 0 ||
	    eg__buf_addc(&r->pool, '\0') != 0) {
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

static char *reason_printf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

static char *reason_printf(const char *fmt, ...)
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
	if (r->n_rows == EG__CAP_BATCH_ROWS) {
		reader_fail(r, EXIT_INPUT, "%s:%lu: more than %u rows, the cap of a batch",
		            r->o->path, r->rec_line, (unsigned)EG__CAP_BATCH_ROWS);
		return;
	}
	if (r->n_rows == r->cap_rows) {
		size_t ncap = r->cap_rows ? r->cap_rows * 2 : 1024, bytes;
		batch_row *nr;
		if (ncap > EG__CAP_BATCH_ROWS)
			ncap = EG__CAP_BATCH_ROWS;
		if (eg__mul_overflow(&bytes, ncap, sizeof(*nr)) != 0 ||
		    (nr = eg__realloc(r->rows, bytes)) == NULL) {
			reader_fail(r, EXIT_FAIL, "%s:%lu: out of memory", r->o->path, r->rec_line);
			return;
		}
		r->rows = nr;
		r->cap_rows = ncap;
	}
	row = &r->rows[r->n_rows];
	*row = r->cur;
	row->line = r->rec_line;
	row->type = r->o->so.type;
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
		row->reason = reason_printf("field %s: missing (the row has %zu field%s)",
		                            r->o->name_col, nf, nf == 1 ? "" : "s");
	} else if (r->type_col >= 0 && r->type_len > 0 &&
	           (r->type_len >= sizeof(r->type_text) ||
	            eg_type_parse(&row->type, r->type_text) != 0)) {
		char shown[sizeof(r->type_text) * 4];
		want_reason = 1;
		shown_text(shown, sizeof(shown), r->type_text, strlen(r->type_text));
		row->reason = reason_printf("field %s: unknown type \"%s%s\" (individual, entity, "
		                            "vessel, aircraft or any)", r->o->type_col, shown,
		                            r->type_len < sizeof(r->type_text) ? "" : "...");
	}
	if (want_reason && row->reason == NULL) {
		reader_fail(r, EXIT_FAIL, "%s:%lu: out of memory", r->o->path, r->rec_line);
		return;
	}
	atomic_init(&row->state, ROW_PENDING);
	r->n_rows++;
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

/* Reads the whole file into r. Returns 0 or an exit code (r->msg says why). */
static int read_file(reader *r)
{
	char *chunk = NULL;
	FILE *f = NULL;
	size_t got;

	r->in_header = 1;
	r->rec_pending = 1;
	r->name_col = r->id_col = r->type_col = -1;
	eg__buf_init(&r->header, EG__CAP_LINE_BYTES);
	eg__buf_init(&r->pool, BATCH_KEPT_BYTES_MAX);
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		reader_fail(r, EXIT_FAIL, "out of memory");
		goto done;
	}
	r->inited = 1;
	csv_set_realloc_func(&r->p, csv_realloc_capped);
	csv_set_free_func(&r->p, csv_free_hook);
	csv_set_blk_size(&r->p, 4096);
	if ((f = fopen(r->o->path, "rb")) == NULL) {
		reader_fail(r, EXIT_INPUT, "%s: cannot open: %s", r->o->path, strerror(errno));
		goto done;
	}
	if ((chunk = eg__malloc(1 << 16)) == NULL) {
		reader_fail(r, EXIT_FAIL, "out of memory");
		goto done;
	}
	while (r->exit_code == 0 && (got = fread(chunk, 1, 1 << 16, f)) > 0) {
		size_t pos = 0;
		while (r->exit_code == 0 && pos < got) {
			const char *nl = memchr(chunk + pos, '\n', got - pos);
			size_t n = nl != NULL ? (size_t)(nl - (chunk + pos)) + 1 : got - pos;
			feed_slice(r, chunk + pos, n);
			pos += n;
		}
	}
	if (r->exit_code == 0 && ferror(f)) {
		reader_fail(r, EXIT_INPUT, "%s: cannot read: %s", r->o->path, strerror(errno));
		goto done;
	}
	if (r->exit_code == 0 && csv_fini(&r->p, on_field, on_row, r) != 0)
		csv_failure(r, 1);
	if (r->exit_code == 0 && r->in_header)
		reader_fail(r, EXIT_INPUT, "%s: empty: no header row", r->o->path);
done:
	eg__free(chunk);
	if (f != NULL)
		fclose(f);
	if (r->inited) {
		csv_free(&r->p);
		r->inited = 0;
	}
	eg__buf_free(&r->header);
	return r->exit_code;
}

/* --- screening ------------------------------------------------------------ */

typedef struct batch {
	eg_engine *e;
	const batch_opts *o;
	batch_row *rows;
	size_t n;
	const char *pool;
	atomic_size_t next;    /* the next row to take */
	atomic_size_t done;    /* rows finished */
	atomic_int stop;       /* a fatal error: workers stop taking rows */
	pthread_mutex_t lock;  /* guards the fields below */
	pthread_cond_t cond;   /* signalled when a worker ends */
	size_t running;
	int have_fatal;
	eg_error fatal;        /* the first error that is not the row's fault */
} batch;

/* RFC 4180 needs quotes around , " CR LF; leading or trailing blanks are
 * quoted too, since many readers trim unquoted ones. */
static int needs_quotes(const char *s, size_t len)
{
	size_t i;

	if (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t'))
		return 1;
	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

static int add_field(eg__buf *b, const char *s, size_t len, int first)
{
	char small[512], *tmp = small;
	size_t need;
	int rc;

	if (!first && (rc = eg__buf_addc(b, ',')) != 0)
		return rc;
	if (!needs_quotes(s, len))
		return eg__buf_add(b, s, len);
	need = csv_write(NULL, 0, s, len);
	if (need == SIZE_MAX)
		return EG_ETOOBIG;
	if (need > sizeof(small) && (tmp = eg__malloc(need)) == NULL)
		return EG_ENOMEM;
	csv_write(tmp, need, s, len);
	rc = eg__buf_add(b, tmp, need);
	if (tmp != small)
		eg__free(tmp);
	return rc;
}

static int add_fields(eg__buf *b, const char *const *v, size_t n)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i++)
		rc = add_field(b, v[i], strlen(v[i]), i == 0);
	if (rc == 0)
		rc = eg__buf_addc(b, '\n');
	return rc;
}

/* Appends the CSV lines of the hits of row r to b. */
static int format_hits(eg__buf *b, const batch *bt, size_t r, const eg_hits *hits,
                       uint32_t *n_out)
{
	const batch_row *row = &bt->rows[r];
	const char *name = bt->pool + row->name_off;
	const char *id = row->id_off != SIZE_MAX ? bt->pool + row->id_off : "";
	size_t i;
	int rc = 0;

	*n_out = 0;
	for (i = 0; rc == 0 && i < hits->count; i++) {
		const eg_hit *h = &hits->hits[i];
		char rowno[24], score[16];
		const char *v[7];
		if (h->score < hits->threshold)
			continue;
		snprintf(rowno, sizeof(rowno), "%zu", r + 1);
		snprintf(score, sizeof(score), "%.3f", h->score);
		rc = add_field(b, rowno, strlen(rowno), 1);
		if (rc == 0)
			rc = add_field(b, id, row->id_off != SIZE_MAX ? row->id_len : 0, 0);
		if (rc == 0)
			rc = add_field(b, name, row->name_len, 0);
		if (rc == 0)
			rc = add_field(b, score, strlen(score), 0);
		v[0] = h->source;
		v[1] = h->uid;
		v[2] = eg_type_name(h->type);
		v[3] = h->primary_name;
		v[4] = h->matched_name;
		v[5] = h->programs;
		if (rc == 0)
			rc = eg__buf_addc(b, ',');
		if (rc == 0)
			rc = add_fields(b, v, 6);
		(*n_out)++;
	}
	return rc;
}

/* Drops "name: " or "query: " from a message of eg_screen: the caller
 * names the field itself. */
static const char *strip_field(const char *msg)
{
	if (strncmp(msg, "name: ", 6) == 0)
		return msg + 6;
	if (strncmp(msg, "query: ", 7) == 0)
		return msg + 7;
	return msg;
}

static void set_fatal(batch *bt, const eg_error *err)
{
	pthread_mutex_lock(&bt->lock);
	if (!bt->have_fatal) {
		bt->fatal = *err;
		bt->have_fatal = 1;
	}
	pthread_mutex_unlock(&bt->lock);
	atomic_store(&bt->stop, 1);
}

/* Screens row r, filling its result fields. Returns ROW_SCREENED or
 * ROW_REJECTED, or -1 with err set for a failure that is not the row's. */
static int screen_row(batch *bt, size_t r, eg__buf *out, eg_error *err)
{
	batch_row *row = &bt->rows[r];
	eg_screen_options so = bt->o->so;
	eg_hits *hits = NULL;
	int rc;

	if (row->reason != NULL)
		return ROW_REJECTED;
	so.type = row->type;
	rc = eg_screen(bt->e, &hits, bt->pool + row->name_off, row->name_len, &so, err);
	if (rc == EG_EUTF8 || rc == EG_EINVAL || rc == EG_EEMPTY || rc == EG_ETOOBIG) {
		row->reason = reason_printf("field %s: %s", bt->o->name_col,
		                            strip_field(err->message));
		if (row->reason == NULL)
			goto nomem;
		return ROW_REJECTED;
	}
	if (rc != 0)
		return -1;
	eg__buf_reset(out);
	rc = format_hits(out, bt, r, hits, &row->n_hits);
	eg_hits_free(hits);
	if (rc != 0)
		goto nomem;
	if (row->n_hits > 0) {
		if ((row->out = eg__strndup(out->ptr, out->len)) == NULL)
			goto nomem;
		row->out_len = out->len;
	}
	return ROW_SCREENED;
nomem:
	err->code = EG_ENOMEM;
	snprintf(err->message, sizeof(err->message), "row %zu: out of memory", r + 1);
	return -1;
}

/* Takes rows from the shared counter until none is left or one fails. */
static void *worker(void *arg)
{
	batch *bt = arg;
	eg__buf out;
	eg_error err;

	eg__buf_init(&out, BATCH_ROW_OUT_MAX);
	while (!atomic_load_explicit(&bt->stop, memory_order_relaxed)) {
		size_t r = atomic_fetch_add_explicit(&bt->next, 1, memory_order_relaxed);
		int state;

		if (r >= bt->n)
			break;
		state = screen_row(bt, r, &out, &err);
		if (state < 0) {
			set_fatal(bt, &err);
			break;
		}
		atomic_store_explicit(&bt->rows[r].state, (unsigned char)state,
		                      memory_order_release);
		atomic_fetch_add_explicit(&bt->done, 1, memory_order_relaxed);
	}
	eg__buf_free(&out);
	pthread_mutex_lock(&bt->lock);
	bt->running--;
	pthread_cond_signal(&bt->cond);
	pthread_mutex_unlock(&bt->lock);
	return NULL;
}

typedef struct batch_stats {
	size_t written;        /* rows flushed, in order */
	size_t screened, rejected, with_hits, hits;
} batch_stats;

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_progress(int progress)
{
	if (progress)
		fputs("\r\033[K", stderr);
}

/* Writes the results of the rows done, in order, up to the first pending. */
static void flush_ready(batch *bt, FILE *out, batch_stats *st, int progress)
{
	while (st->written < bt->n) {
		batch_row *row = &bt->rows[st->written];
		unsigned char s = atomic_load_explicit(&row->state, memory_order_acquire);
		if (s == ROW_PENDING)
			break;
		if (s == ROW_REJECTED) {
			st->rejected++;
			if (st->rejected <= MAX_REJECT_LINES) {
				clear_progress(progress);
				fprintf(stderr, "%s:%lu: %s\n", bt->o->path, row->line, row->reason);
			}
		} else {
			st->screened++;
			if (row->n_hits > 0) {
				st->with_hits++;
				st->hits += row->n_hits;
				fwrite(row->out, 1, row->out_len, out);
			}
		}
		eg__free(row->out);
		eg__free(row->reason);
		row->out = row->reason = NULL;
		st->written++;
	}
}

static void draw_progress(size_t done, size_t total, double elapsed)
{
	double rate = elapsed > 0 ? (double)done / elapsed : 0.0;
	double pct = total ? 100.0 * (double)done / (double)total : 100.0;
	char eta[32] = "--:--";
	int width = 30, filled = (int)(pct / 100.0 * width), i;

	if (rate > 0 && done < total) {
		unsigned long s = (unsigned long)((double)(total - done) / rate + 0.5);
		snprintf(eta, sizeof(eta), "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
	} else if (done == total) {
		snprintf(eta, sizeof(eta), "0:00:00");
	}
	fputs("\r[", stderr);
	for (i = 0; i < width; i++)
		fputc(i < filled ? '#' : ' ', stderr);
	fprintf(stderr, "] %zu/%zu rows %5.1f%%  %.0f rows/s  ETA %s\033[K", done, total, pct,
	        rate, eta);
	fflush(stderr);
}

/* Runs the workers; the calling thread writes results in order and draws
 * the progress bar, about ten times a second. Returns 0 or an exit code. */
static int run_batch(batch *bt, FILE *out, batch_stats *st, size_t threads, double t0)
{
	pthread_t tid[MAX_THREADS];
	int progress = isatty(2) && bt->n > 0;
	size_t started = 0, i;
	int rc = 0;

	bt->running = 0;
	pthread_mutex_lock(&bt->lock);
	for (i = 0; i < threads; i++) {
		if (pthread_create(&tid[i], NULL, worker, bt) != 0)
			break;
		started++;
		bt->running++;
	}
	if (started == 0) {
		pthread_mutex_unlock(&bt->lock);
		fprintf(stderr, "exportgate screen: cannot start a thread\n");
		return EXIT_FAIL;
	}
	while (bt->running > 0) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&bt->cond, &bt->lock, &until);
		pthread_mutex_unlock(&bt->lock);
		flush_ready(bt, out, st, progress);
		if (progress)
			draw_progress(atomic_load(&bt->done), bt->n, now_seconds() - t0);
		pthread_mutex_lock(&bt->lock);
	}
	pthread_mutex_unlock(&bt->lock);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	flush_ready(bt, out, st, progress);
	clear_progress(progress);
	if (bt->have_fatal)
		rc = cli_fail(&bt->fatal);
	return rc;
}

/* --- the command ----------------------------------------------------------- */

static int parse_args(batch_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{"batch", required_argument, NULL, 'b'},
		{"column", required_argument, NULL, 'C'},
		{"out", required_argument, NULL, 'o'},
		{"id-column", required_argument, NULL, 'I'},
		{"type", required_argument, NULL, 't'},
		{"type-column", required_argument, NULL, 'T'},
		{"source", required_argument, NULL, 's'},
		{"as-of", required_argument, NULL, 'a'},
		{"country", required_argument, NULL, 'c'},
		{"limit", required_argument, NULL, 'l'},
		{"min-score", required_argument, NULL, 'm'},
		{"threads", required_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, have_type = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': o->path = optarg; break;
		case 'C': o->name_col = optarg; break;
		case 'o': o->out_path = optarg; break;
		case 'I': o->id_col = optarg; break;
		case 'T': o->type_col = optarg; break;
		case 't':
			if (eg_type_parse(&o->so.type, optarg) != 0)
				return cli_usage_error("screen", "--type \"%s\": individual, entity, "
				                       "vessel, aircraft or any", optarg);
			have_type = 1;
			break;
		case 's': o->so.source = optarg; break;
		case 'a': o->so.as_of = optarg; break;
		case 'c': o->so.country = optarg; break;
		case 'l':
			if (cli_parse_size(&o->so.limit, optarg, 1, 1000) != 0)
				return cli_usage_error("screen", "--limit \"%s\": a number from 1 to 1000",
				                       optarg);
			break;
		case 'm':
			if (cli_parse_double(&o->so.min_score, optarg, 0.0, 1.0) != 0)
				return cli_usage_error("screen", "--min-score \"%s\": a number in [0,1]",
				                       optarg);
			break;
		case 'j':
			if (cli_parse_size(&o->threads, optarg, 1, MAX_THREADS) != 0)
				return cli_usage_error("screen", "--threads \"%s\": a number from 1 to %d",
				                       optarg, MAX_THREADS);
			break;
		case 'h': fputs(usage, stdout); return -1;
		default: return cli_usage_error("screen", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error("screen", "--batch takes no NAME (\"%s\")", argv[optind]);
	if (o->path == NULL || o->path[0] == '\0')
		return cli_usage_error("screen", "--batch needs a FILE");
	if (o->name_col == NULL)
		return cli_usage_error("screen", "--batch needs --column NAME");
	if (have_type && o->type_col != NULL)
		return cli_usage_error("screen", "give --type or --type-column, not both");
	return 0;
}

int cmd_batch(const cli_global *g, int argc, char **argv)
{
	static const char *const header[] = {"row", "id", "query", "score", "source", "uid",
	                                      "type", "primary_name", "matched_name",
	                                      "programs"};
	batch_opts o;
	reader *r = NULL;
	batch bt;
	batch_stats st;
	eg_engine *e = NULL;
	eg_hits *probe = NULL;
	eg_error err;
	eg__buf line;
	FILE *out = stdout;
	double t0, t1, t2;
	long ncpu;
	size_t i, threads;
	int rc, sync_inited = 0;

	memset(&o, 0, sizeof(o));
	memset(&st, 0, sizeof(st));
	eg__buf_init(&line, 4096);
	o.so = (eg_screen_options)EG_SCREEN_OPTIONS_INIT;
	o.so.limit = DEFAULT_LIMIT;
	if ((rc = parse_args(&o, argc, argv)) != 0)
		return rc < 0 ? EXIT_OK : rc;
	if (o.threads == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		o.threads = ncpu < 1 ? 1 : ncpu > MAX_THREADS ? MAX_THREADS : (size_t)ncpu;
	}
	t0 = now_seconds();
	if ((r = eg__calloc(1, sizeof(*r))) == NULL) {
		fprintf(stderr, "exportgate screen: out of memory\n");
		return EXIT_FAIL;
	}
	r->o = &o;
	if ((rc = read_file(r)) != 0) {
		fprintf(stderr, "exportgate screen: %s\n", r->msg);
		goto done;
	}
	if ((rc = cli_open(&e, g, 0)) != 0)
		goto done;
	/* Options that no row can fix (no list, unknown source, bad date) fail
	 * here, once, rather than on every row. */
	if (eg_screen(e, &probe, "probe", 5, &o.so, &err) != 0) {
		rc = cli_fail(&err);
		goto done;
	}
	eg_hits_free(probe);
	if (o.out_path != NULL && (out = fopen(o.out_path, "wb")) == NULL) {
		fprintf(stderr, "exportgate screen: %s: cannot create: %s\n", o.out_path,
		        strerror(errno));
		out = stdout;
		rc = EXIT_FAIL;
		goto done;
	}
	if (add_fields(&line, header, sizeof(header) / sizeof(header[0])) != 0) {
		fprintf(stderr, "exportgate screen: out of memory\n");
		rc = EXIT_FAIL;
		goto done;
	}
	fwrite(line.ptr, 1, line.len, out);

	memset(&bt, 0, sizeof(bt));
	bt.e = e;
	bt.o = &o;
	bt.rows = r->rows;
	bt.n = r->n_rows;
	bt.pool = eg__buf_str(&r->pool);
	atomic_init(&bt.next, 0);
	atomic_init(&bt.done, 0);
	atomic_init(&bt.stop, 0);
	pthread_mutex_init(&bt.lock, NULL);
	pthread_cond_init(&bt.cond, NULL);
	sync_inited = 1;
	threads = o.threads < bt.n ? o.threads : bt.n;
	if (threads == 0)
		threads = 1;
	t1 = now_seconds();
	rc = run_batch(&bt, out, &st, threads, t1);
	t2 = now_seconds();
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "exportgate screen: %s: write error: %s\n",
		        o.out_path ? o.out_path : "stdout", strerror(errno));
		if (rc == 0)
			rc = EXIT_FAIL;
	}
	if (st.rejected > MAX_REJECT_LINES)
		fprintf(stderr, "%s: %zu more rejected rows not shown\n", o.path,
		        st.rejected - MAX_REJECT_LINES);
	fprintf(stderr, "%s: %zu rows, %zu screened, %zu rejected, %zu with hits, %zu hits; "
	        "%zu thread%s, %.2f s wall (%.2f s screening), %.0f rows/s\n", o.path, bt.n,
	        st.screened, st.rejected, st.with_hits, st.hits, threads,
	        threads == 1 ? "" : "s", t2 - t0, t2 - t1,
	        t2 > t1 ? (double)st.written / (t2 - t1) : 0.0);
	if (rc == 0)
		rc = st.with_hits > 0 ? EXIT_HITS : EXIT_OK;
done:
	if (sync_inited) {
		pthread_cond_destroy(&bt.cond);
		pthread_mutex_destroy(&bt.lock);
	}
	if (out != stdout && fclose(out) != 0 && (rc == EXIT_OK || rc == EXIT_HITS)) {
		fprintf(stderr, "exportgate screen: %s: write error: %s\n", o.out_path,
		        strerror(errno));
		rc = EXIT_FAIL;
	}
	if (r != NULL) {
		for (i = 0; i < r->n_rows; i++) {
			eg__free(r->rows[i].out);
			eg__free(r->rows[i].reason);
		}
		eg__free(r->rows);
		eg__buf_free(&r->pool);
		eg__free(r);
	}
	eg__buf_free(&line);
	eg_engine_free(e);
	return rc;
}
