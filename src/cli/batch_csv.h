/* batch_csv.h - the reader of `screen --batch` input: a CSV file with a header row, each row kept as its name, id and type. */
#ifndef EG_CLI_BATCH_CSV_H
#define EG_CLI_BATCH_CSV_H

#include "cli.h"
#include "util/buf.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* One data row, as the reader saw it. */
typedef struct batch_row {
	size_t name_off;       /* into the pool, NUL-terminated */
	size_t id_off;         /* into the pool; SIZE_MAX: no id */
	uint32_t name_len;
	uint32_t id_len;
	unsigned long line;    /* physical line where the record starts */
	eg_entity_type type;
	char *reason;          /* "field NAME: why" when rejected by the reader; owned */
} batch_row;

/* Takes one row: row->name_off and row->id_off index pool, which is valid
 * only during the call; row->reason, when set, becomes the sink's to free.
 * Returns 0 to go on, or an exit code that stops the read (the sink then
 * writes the message into b->msg, or leaves it empty when the reason for
 * stopping is known elsewhere). */
typedef int (*batch_csv_sink)(void *ud, batch_row *row, const char *pool);

/* What to read; the strings are borrowed for the duration of the read. */
typedef struct batch_csv_opts {
	const char *path;      /* named in the messages (and opened by read_file) */
	const char *name_col;  /* the header name of the names column; required */
	const char *id_col;    /* NULL: no id column */
	const char *type_col;  /* NULL: no type column */
	eg_entity_type type;   /* of every row without a type of its own */
	batch_csv_sink sink;   /* NULL: keep every row in b->rows; else each row is
	                        * handed to sink and forgotten, so memory does not
	                        * grow with the rows */
	void *sink_ud;
} batch_csv_opts;

/* The rows read, in input order, and why a read stopped. */
typedef struct batch_csv {
	batch_row *rows;       /* n_rows of them (none with a sink); owned, with their reason */
	size_t n_rows;         /* rows read (handed to the sink, or kept) */
	eg__buf pool;          /* the kept fields, each followed by a NUL */
	char msg[EG_ERROR_MESSAGE_MAX + 256]; /* "PATH:LINE: why" when a read fails */
} batch_csv;

/* Reads len bytes of CSV (UTF-8, a header row, RFC 4180 quoting, an
 * optional byte order mark) into b, which must be zeroed or freed. Returns 0
 * or an exit code: EXIT_USAGE for a column missing from the header,
 * EXIT_INPUT for malformed or over-cap input, EXIT_FAIL for out of memory;
 * then b->msg says why, and b may hold the rows read before the failure
 * (batch_csv_free releases them either way). */
int batch_csv_read_mem(batch_csv *b, const batch_csv_opts *o, const char *data, size_t len);
/* The same for the file at o->path, read in slices; EXIT_INPUT too when it
 * cannot be opened or read. */
int batch_csv_read_file(batch_csv *b, const batch_csv_opts *o);
/* Formats the reason of a rejected row ("field NAME: why"); NULL when out
 * of memory. */
char *batch_csv_reason(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/* Frees the rows (with their reason) and the pool; b is then zeroed. */
void batch_csv_free(batch_csv *b);

#endif
