/* cmd_batch.c - `exportgate screen --batch`: every row of a CSV file screened on all cores, the hits written as CSV in input order. */
#include "batch_csv.h"
#include "cli.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/caps.h"

#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Memory: the file is read twice. The first pass only checks it (a
 * malformed file, a missing column, a row over a cap fail before anything
 * is screened or written, as they always did) and counts its rows for the
 * progress bar. The second streams: a reader thread hands each row to a
 * ring of BATCH_QUEUE_PER_THREAD slots per worker; the workers screen the
 * slots in turn; the calling thread writes them out in input order and
 * frees each slot for the reader. So at most the ring's rows are in memory
 * at once, whatever the number of rows.
 *
 * Invariant of the ring, under bt->lock: written <= taken <= queued <=
 * written + cap; slot i % cap holds row i for written <= i < queued; the
 * reader alone fills slots in [queued, written + cap), a worker alone
 * touches the slot it took until it marks it done, and the writer alone
 * reads and empties done slots at written.
 */
#define BATCH_QUEUE_PER_THREAD 16
#define BATCH_QUEUE_MIN 64
/* A slot's buffers are kept for the next row unless they grew past this. */
#define BATCH_SLOT_KEEP_BYTES ((size_t)64 << 10)

/* The CSV lines of one row's hits (at most --limit lines). */
#define BATCH_ROW_OUT_MAX ((size_t)16 << 20)
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


typedef struct batch_opts {
	const char *path;
	const char *out_path;
	const char *name_col;
	const char *id_col;
	const char *type_col;
	size_t threads;
	eg_screen_options so;
} batch_opts;

/* --- screening ------------------------------------------------------------ */

enum { SLOT_QUEUED = 0, SLOT_SCREENED, SLOT_REJECTED };

/* One row in flight: what the reader read, then what a worker made of it. */
typedef struct slot {
	batch_row row;         /* name_off and id_off index text */
	eg__buf text;          /* the row's name and id, each followed by a NUL */
	eg__buf out;           /* result: the CSV lines of its hits */
	uint32_t n_hits;
	int state;             /* SLOT_* */
} slot;

typedef struct batch {
	eg_engine *e;
	const batch_opts *o;
	size_t total;          /* rows counted by the first pass (progress only) */
	slot *slots;
	size_t cap;            /* slots in the ring */
	pthread_mutex_t lock;  /* guards everything below */
	pthread_cond_t can_read;  /* a slot was freed, or stop */
	pthread_cond_t can_work;  /* a row was queued, or the input ended, or stop */
	pthread_cond_t can_write; /* a row is done, or a worker ended */
	size_t queued, taken, written; /* rows, see the invariant */
	size_t in_flight_max;  /* the most rows queued and not yet written */
	int eof;               /* the reader has queued every row */
	int stop;              /* a fatal error: everyone stops */
	size_t running;        /* workers not yet ended */
	int have_fatal;
	eg_error fatal;        /* the first error that is not the row's fault */
	int read_rc;           /* the second pass's exit code */
	batch_csv rd;          /* the second pass's reader (its msg) */
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

/* Appends the CSV lines of the hits of row r (in slot sl) to b. */
static int format_hits(eg__buf *b, const slot *sl, size_t r, const eg_hits *hits,
                       uint32_t *n_out)
{
	const batch_row *row = &sl->row;
	const char *pool = eg__buf_str(&sl->text);
	const char *name = pool + row->name_off;
	const char *id = row->id_off != SIZE_MAX ? pool + row->id_off : "";
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

/* Called with bt->lock held. */
static void set_stop(batch *bt)
{
	bt->stop = 1;
	pthread_cond_broadcast(&bt->can_read);
	pthread_cond_broadcast(&bt->can_work);
	pthread_cond_broadcast(&bt->can_write);
}

static void set_fatal(batch *bt, const eg_error *err)
{
	pthread_mutex_lock(&bt->lock);
	if (!bt->have_fatal) {
		bt->fatal = *err;
		bt->have_fatal = 1;
	}
	set_stop(bt);
	pthread_mutex_unlock(&bt->lock);
}

/* Screens row r, held in sl, filling its result fields. Returns
 * SLOT_SCREENED or SLOT_REJECTED, or -1 with err set for a failure that
 * is not the row's. */
static int screen_row(batch *bt, slot *sl, size_t r, eg_error *err)
{
	batch_row *row = &sl->row;
	eg_screen_options so = bt->o->so;
	eg_hits *hits = NULL;
	int rc;

	if (row->reason != NULL)
		return SLOT_REJECTED;
	so.type = row->type;
	rc = eg_screen(bt->e, &hits, eg__buf_str(&sl->text) + row->name_off, row->name_len,
	               &so, err);
	if (rc == EG_EUTF8 || rc == EG_EINVAL || rc == EG_EEMPTY || rc == EG_ETOOBIG) {
		row->reason = batch_csv_reason("field %s: %s", bt->o->name_col,
		                            strip_field(err->message));
		if (row->reason == NULL)
			goto nomem;
		return SLOT_REJECTED;
	}
	if (rc != 0)
		return -1;
	eg__buf_reset(&sl->out);
	rc = format_hits(&sl->out, sl, r, hits, &sl->n_hits);
	eg_hits_free(hits);
	if (rc != 0)
		goto nomem;
	return SLOT_SCREENED;
nomem:
	err->code = EG_ENOMEM;
	snprintf(err->message, sizeof(err->message), "row %zu: out of memory", r + 1);
	return -1;
}

/* Screens queued rows, in turn, until the input ends or one fails. */
static void *worker(void *arg)
{
	batch *bt = arg;
	eg_error err;

	pthread_mutex_lock(&bt->lock);
	for (;;) {
		size_t r;
		slot *sl;
		int state;

		while (!bt->stop && bt->taken == bt->queued && !bt->eof)
			pthread_cond_wait(&bt->can_work, &bt->lock);
		if (bt->stop || bt->taken == bt->queued)
			break;
		r = bt->taken++;
		sl = &bt->slots[r % bt->cap];
		pthread_mutex_unlock(&bt->lock);
		state = screen_row(bt, sl, r, &err);
		if (state < 0) {
			set_fatal(bt, &err);
			pthread_mutex_lock(&bt->lock);
			break;
		}
		pthread_mutex_lock(&bt->lock);
		sl->state = state;
		if (r == bt->written)
			pthread_cond_signal(&bt->can_write);
	}
	bt->running--;
	pthread_cond_signal(&bt->can_write);
	pthread_mutex_unlock(&bt->lock);
	return NULL;
}

/* The sink of the second pass: copies the row into the next free slot,
 * waiting while the ring is full. */
static int queue_row(void *ud, batch_row *row, const char *pool)
{
	batch *bt = ud;
	slot *sl;
	int rc = 0;

	pthread_mutex_lock(&bt->lock);
	while (!bt->stop && bt->queued - bt->written == bt->cap)
		pthread_cond_wait(&bt->can_read, &bt->lock);
	if (bt->stop) {
		pthread_mutex_unlock(&bt->lock);
		eg__free(row->reason);
		return EXIT_FAIL;
	}
	sl = &bt->slots[bt->queued % bt->cap];
	pthread_mutex_unlock(&bt->lock);

	/* The slot is free: only this thread touches it until it is queued. */
	eg__buf_reset(&sl->text);
	sl->row = *row;
	sl->row.name_off = 0;
	rc = eg__buf_add(&sl->text, pool + row->name_off, row->name_len);
	if (rc == 0)
		rc = eg__buf_addc(&sl->text, '\0');
	if (rc == 0 && row->id_off != SIZE_MAX) {
		sl->row.id_off = sl->text.len;
		rc = eg__buf_add(&sl->text, pool + row->id_off, row->id_len);
		if (rc == 0)
			rc = eg__buf_addc(&sl->text, '\0');
	}
	sl->n_hits = 0;
	sl->state = SLOT_QUEUED;
	if (rc != 0) {
		eg_error err;
		eg__free(row->reason);
		sl->row.reason = NULL;
		err.code = EG_ENOMEM;
		snprintf(err.message, sizeof(err.message), "%s:%lu: out of memory", bt->o->path,
		         row->line);
		set_fatal(bt, &err);
		return EXIT_FAIL;
	}
	pthread_mutex_lock(&bt->lock);
	bt->queued++;
	if (bt->queued - bt->written > bt->in_flight_max)
		bt->in_flight_max = bt->queued - bt->written;
	pthread_cond_signal(&bt->can_work);
	pthread_mutex_unlock(&bt->lock);
	return 0;
}

/* The reader thread: the second pass over the file. */
static void *reader(void *arg)
{
	batch *bt = arg;
	batch_csv_opts co;
	int rc;

	memset(&co, 0, sizeof(co));
	co.path = bt->o->path;
	co.name_col = bt->o->name_col;
	co.id_col = bt->o->id_col;
	co.type_col = bt->o->type_col;
	co.type = bt->o->so.type;
	co.sink = queue_row;
	co.sink_ud = bt;
	rc = batch_csv_read_file(&bt->rd, &co);
	pthread_mutex_lock(&bt->lock);
	bt->read_rc = rc;
	bt->eof = 1;
	if (rc != 0 && bt->rd.msg[0] != '\0')
		set_stop(bt); /* the file changed since the first pass */
	pthread_cond_broadcast(&bt->can_work);
	pthread_cond_broadcast(&bt->can_write);
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

/* Writes the results of the rows done, in order, up to the first one not
 * done, and frees their slots. Called with bt->lock held; drops it while
 * writing. */
static void flush_ready(batch *bt, FILE *out, batch_stats *st, int progress)
{
	while (st->written < bt->queued) {
		slot *sl = &bt->slots[st->written % bt->cap];
		if (sl->state == SLOT_QUEUED)
			break;
		pthread_mutex_unlock(&bt->lock);
		if (sl->state == SLOT_REJECTED) {
			st->rejected++;
			if (st->rejected <= MAX_REJECT_LINES) {
				clear_progress(progress);
				fprintf(stderr, "%s:%lu: %s\n", bt->o->path, sl->row.line,
				        sl->row.reason);
			}
		} else {
			st->screened++;
			if (sl->n_hits > 0) {
				st->with_hits++;
				st->hits += sl->n_hits;
				fwrite(sl->out.ptr, 1, sl->out.len, out);
			}
		}
		eg__free(sl->row.reason);
		sl->row.reason = NULL;
		sl->state = SLOT_QUEUED;
		if (sl->out.len > BATCH_SLOT_KEEP_BYTES)
			eg__buf_free(&sl->out);
		if (sl->text.len > BATCH_SLOT_KEEP_BYTES)
			eg__buf_free(&sl->text);
		pthread_mutex_lock(&bt->lock);
		st->written++;
		bt->written = st->written;
		pthread_cond_signal(&bt->can_read);
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

/* Runs the reader and the workers; the calling thread writes results in
 * order and draws the progress bar, about ten times a second. Returns 0 or
 * an exit code. */
static int run_batch(batch *bt, FILE *out, batch_stats *st, size_t threads, double t0)
{
	pthread_t tid[MAX_THREADS], rtid;
	int progress = isatty(2) && bt->total > 0;
	size_t started = 0, i;
	int rc = 0, have_reader = 0;

	pthread_mutex_lock(&bt->lock);
	for (i = 0; i < threads; i++) {
		if (pthread_create(&tid[i], NULL, worker, bt) != 0)
			break;
		started++;
		bt->running++;
	}
	if (started > 0 && pthread_create(&rtid, NULL, reader, bt) == 0)
		have_reader = 1;
	if (!have_reader) {
		set_stop(bt);
		pthread_mutex_unlock(&bt->lock);
		for (i = 0; i < started; i++)
			pthread_join(tid[i], NULL);
		fprintf(stderr, "exportgate screen: cannot start a thread\n");
		return EXIT_FAIL;
	}
	/* Until every worker has ended and every queued row is written. */
	while (bt->running > 0 || st->written < bt->queued) {
		struct timespec until;
		flush_ready(bt, out, st, progress);
		if (bt->stop && bt->running == 0)
			break;
		if (progress) {
			size_t done = st->written;
			pthread_mutex_unlock(&bt->lock);
			draw_progress(done, bt->total, now_seconds() - t0);
			pthread_mutex_lock(&bt->lock);
		}
		if (bt->running == 0 && st->written == bt->queued)
			break;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&bt->can_write, &bt->lock, &until);
	}
	/* A reader waiting for a slot after a failure must not wait forever. */
	set_stop(bt);
	pthread_mutex_unlock(&bt->lock);
	pthread_join(rtid, NULL);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	clear_progress(progress);
	if (bt->have_fatal) {
		rc = cli_fail(&bt->fatal);
	} else if (bt->read_rc != 0 && bt->rd.msg[0] != '\0') {
		fprintf(stderr, "exportgate screen: %s\n", bt->rd.msg);
		rc = bt->read_rc;
	}
	return rc;
}

/* The sink of the first pass: counts the rows. */
static int count_row(void *ud, batch_row *row, const char *pool)
{
	(void)pool;
	eg__free(row->reason);
	(*(size_t *)ud)++;
	return 0;
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
		default: return cli_bad_option("screen", argv);
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
	batch_csv_opts co;
	batch_csv *r = NULL;
	batch bt;
	batch_stats st;
	eg_engine *e = NULL;
	eg_hits *probe = NULL;
	eg_error err;
	eg__buf line;
	FILE *out = stdout;
	double t0, t1, t2;
	long ncpu;
	size_t threads, total = 0, i;
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
	memset(&co, 0, sizeof(co));
	co.path = o.path;
	co.name_col = o.name_col;
	co.id_col = o.id_col;
	co.type_col = o.type_col;
	co.type = o.so.type;
	co.sink = count_row;
	co.sink_ud = &total;
	if ((rc = batch_csv_read_file(r, &co)) != 0) {
		fprintf(stderr, "exportgate screen: %s\n", r->msg);
		goto done;
	}
	if ((rc = cli_open(&e, g, 1)) != 0)
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
	bt.total = total;
	threads = o.threads < total ? o.threads : total;
	if (threads == 0)
		threads = 1;
	bt.cap = threads * BATCH_QUEUE_PER_THREAD;
	if (bt.cap < BATCH_QUEUE_MIN)
		bt.cap = BATCH_QUEUE_MIN;
	if ((bt.slots = eg__calloc(bt.cap, sizeof(*bt.slots))) == NULL) {
		fprintf(stderr, "exportgate screen: out of memory\n");
		rc = EXIT_FAIL;
		goto done;
	}
	for (i = 0; i < bt.cap; i++) {
		eg__buf_init(&bt.slots[i].text, 2 * (size_t)EG__CAP_FIELD_BYTES + 2);
		eg__buf_init(&bt.slots[i].out, BATCH_ROW_OUT_MAX);
	}
	pthread_mutex_init(&bt.lock, NULL);
	pthread_cond_init(&bt.can_read, NULL);
	pthread_cond_init(&bt.can_work, NULL);
	pthread_cond_init(&bt.can_write, NULL);
	sync_inited = 1;
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
	        "%zu thread%s, %.2f s wall (%.2f s screening), %.0f rows/s\n", o.path, st.written,
	        st.screened, st.rejected, st.with_hits, st.hits, threads,
	        threads == 1 ? "" : "s", t2 - t0, t2 - t1,
	        t2 > t1 ? (double)st.written / (t2 - t1) : 0.0);
	if (getenv("EG_BATCH_TRACE") != NULL)
		fprintf(stderr, "%s: queue of %zu rows, at most %zu in flight\n", o.path, bt.cap,
		        bt.in_flight_max);
	if (rc == 0)
		rc = st.with_hits > 0 ? EXIT_HITS : EXIT_OK;
done:
	if (sync_inited) {
		pthread_cond_destroy(&bt.can_write);
		pthread_cond_destroy(&bt.can_work);
		pthread_cond_destroy(&bt.can_read);
		pthread_mutex_destroy(&bt.lock);
		for (i = 0; i < bt.cap; i++) {
			eg__free(bt.slots[i].row.reason);
			eg__buf_free(&bt.slots[i].text);
			eg__buf_free(&bt.slots[i].out);
		}
		batch_csv_free(&bt.rd);
	}
	eg__free(sync_inited ? bt.slots : NULL);
	if (out != stdout && fclose(out) != 0 && (rc == EXIT_OK || rc == EXIT_HITS)) {
		fprintf(stderr, "exportgate screen: %s: write error: %s\n", o.out_path,
		        strerror(errno));
		rc = EXIT_FAIL;
	}
	if (r != NULL) {
		batch_csv_free(r);
		eg__free(r);
	}
	eg__buf_free(&line);
	eg_engine_free(e);
	return rc;
}
