/* csvread.h - a libcsv driver shared by the CSV list parsers (csl-csv, bis-dpl).
 *
 * It feeds libcsv in slices that never cross a line feed, so every record
 * is reported with the physical line it starts on; it caps the bytes of one
 * field (EG__CAP_FIELD_BYTES) and the fields of one row (EG__CAP_ROW_FIELDS);
 * and it maps header names to column numbers. Quoting errors are EG_EPARSE
 * naming the file and line. Not thread-safe per reader; readers are
 * independent. */
#ifndef EG_CSVREAD_H
#define EG_CSVREAD_H

#include "format.h"
#include "../util/buf.h"
#include "../util/caps.h"

#include <csv.h>
#include <stddef.h>

/* One record: fields[i] is NUL-terminated and lens[i] long (a field may
 * contain NUL bytes; lens is authoritative). Valid during the callback. */
typedef struct eg__csv_row {
	const char *fields[EG__CAP_ROW_FIELDS];
	size_t lens[EG__CAP_ROW_FIELDS];
	size_t n;              /* number of fields */
	unsigned long line;    /* 1-based physical line where the record starts */
} eg__csv_row;

/* Called once per record. Returns 0 to go on, or a negative EG_E* code
 * (after filling the reader's err) to stop the parse with that code. */
typedef int (*eg__csv_row_fn)(void *ud, const eg__csv_row *row);

typedef struct eg__csvread {
	struct csv_parser p;   /* private */
	const char *name;      /* file name used in messages */
	eg__csv_row_fn row_fn; /* private */
	void *ud;              /* private */
	eg_error *err;         /* private */
	int rc;                /* private: first error, 0 if none */
	unsigned long line;    /* private: line feeds fed so far */
	unsigned long rec_line; /* private: line where the current record starts */
	int rec_pending;       /* private: the next non-blank byte starts a record */
	eg__buf bytes;         /* private: the current row's fields, NUL-separated */
	size_t offs[EG__CAP_ROW_FIELDS]; /* private: field offsets into bytes */
	size_t lens[EG__CAP_ROW_FIELDS]; /* private */
	size_t n_fields;       /* private */
	int inited;            /* private: p needs csv_free */
} eg__csvread;

/* Prepares r to read records separated by delim (',' or '\t') from a file
 * called name (kept by pointer, for messages). Returns 0 or EG_ENOMEM. */
int eg__csvread_init(eg__csvread *r, unsigned char delim, const char *name,
                     eg__csv_row_fn row_fn, void *ud, eg_error *err);
/* Parses the next len bytes (any chunking). Returns 0 or the first error. */
int eg__csvread_feed(eg__csvread *r, const char *data, size_t len);
/* Ends the input: reports a last record without a line end, and fails on an
 * unterminated quoted field. Returns 0 or the first error. */
int eg__csvread_finish(eg__csvread *r);
/* Releases the reader's memory. Safe after a failed init and twice. */
void eg__csvread_dispose(eg__csvread *r);

/* Maps a header row: cols[k] = the column whose name equals known[k], or
 * -1. Every header name not in known is reported once through ctx's warning
 * callback. Returns 0, or EG_EPARSE (err naming the line) when a header
 * name repeats. */
int eg__csv_header_map(const eg__csv_row *hdr, const char *const *known, size_t n_known,
                       int *cols, eg__parse_ctx *ctx, const char *name, eg_error *err);

/* The UTF-8 text of field col of row without spaces and control characters
 * at either end, every other control character (C0, DEL) replaced by a
 * space, written to out (reset first; out->ptr may stay NULL when empty). An absent column (col < 0 or past the row) gives "".
 * Returns 0, EG_ENOMEM, or EG_EPARSE naming file, line and field when the
 * bytes are not valid UTF-8. */
int eg__csv_clean_field(eg__buf *out, const eg__csv_row *row, int col,
                        const char *field_name, const char *name, eg_error *err);

/* The start of every data row of a parser that maps columns by header:
 * checks that row has n_cols fields (EG_EPARSE "FILE:LINE: expected N
 * fields, got M" otherwise) and cleans field k (column cols[k], named
 * names[k]) into out[k] for k < n, as eg__csv_clean_field does. */
int eg__csv_row_fields(eg__buf *out, size_t n, const eg__csv_row *row, size_t n_cols,
                       const int *cols, const char *const *names, const char *name,
                       eg_error *err);

/* Trims ASCII white space at both ends of the slice (*p, *len). */
void eg__csv_trim(const char **p, size_t *len);

/* 1 when (s, len) is a valid YYYY-MM-DD calendar date (eg__date_valid),
 * copied NUL-terminated into out; else 0. */
int eg__csv_date_iso(const char *s, size_t len, char out[11]);
/* 1 when (s, len) is an M/D/YYYY or MM/DD/YYYY date, written to out as
 * YYYY-MM-DD; else 0. */
int eg__csv_date_mdy(const char *s, size_t len, char out[11]);

#endif
