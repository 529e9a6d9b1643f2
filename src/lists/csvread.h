/* csvread.h - the one libcsv driver of the CSV list parsers (ofac-csv,
 * csl-csv, bis-dpl, uk-conlist-csv).
 *
 * It feeds libcsv one physical line at a time (a line ends at LF, CR or
 * CRLF, also when a CR ends one chunk and its LF starts the next), so every
 * record is reported with the line it starts on; it caps the bytes of one
 * field (EG__CAP_FIELD_BYTES), the fields of one row (EG__CAP_ROW_FIELDS)
 * and the bytes of one row, all its lines (EG__CAP_CSV_ROW_BYTES), so that
 * memory stays bounded whatever the input; it maps header names to column
 * numbers. What differs between formats is said by an eg__csv_dialect.
 * Quoting errors are EG_EPARSE naming the file and line. Not thread-safe
 * per reader; readers are independent. */
#ifndef EG_CSVREAD_H
#define EG_CSVREAD_H

#include "format.h"
#include "../util/buf.h"
#include "../util/caps.h"
#include "../util/hash.h"

#include <csv.h>
#include <stddef.h>

/* What a format's CSV is like. The default (eg__csvread_init) is a plain
 * delimited file: spaces are data, every field is kept, errors name fields
 * by number. */
typedef struct eg__csv_dialect {
	unsigned char delim;      /* ',' or '\t' */
	int trim_spaces;          /* spaces and tabs around unquoted fields and around
	                           * quotes are dropped (libcsv's default), and a line
	                           * of only those holds no record; 0: they are data */
	const char *null_marker;  /* a field equal to this, spaces and tabs around it
	                           * aside, is given as NULL (length 0); NULL: none */
	int eof_mark;             /* a last line holding a lone 0x1A (the DOS end of
	                           * file), line ends after it, is not a record */
	int utf8;                 /* every kept field must be valid UTF-8 without NUL
	                           * bytes (EG_EPARSE); 0: the parser checks */
	size_t keep_fields;       /* 0: a row of more than EG__CAP_ROW_FIELDS fields is
	                           * EG_ETOOBIG; else (<= EG__CAP_ROW_FIELDS) the first
	                           * keep_fields fields are kept and the rest counted */
	const char *const *field_names; /* keep_fields names: errors then read
	                           * "FILE:LINE: field NAME: ..." (a field past them by
	                           * its 1-based number); NULL: the plain messages */
	int skip_bom;             /* a UTF-8 byte order mark opening the input is
	                           * not data (a file saved by a Windows editor) */
} eg__csv_dialect;

/* One record: fields[i] is NUL-terminated and lens[i] long (a field may
 * contain NUL bytes; lens is authoritative), or NULL (length 0) for the
 * dialect's null marker. Valid during the callback. */
typedef struct eg__csv_row {
	const char *fields[EG__CAP_ROW_FIELDS];
	size_t lens[EG__CAP_ROW_FIELDS];
	size_t n;              /* number of fields in fields and lens */
	size_t n_all;          /* fields of the record: n, or more when the dialect's
	                        * keep_fields dropped some */
	unsigned long line;    /* 1-based physical line where the record starts */
} eg__csv_row;

/* Called once per record. Returns 0 to go on, or a negative EG_E* code
 * (after filling the reader's err) to stop the parse with that code. */
typedef int (*eg__csv_row_fn)(void *ud, const eg__csv_row *row);

/* Line ends held after a 0x1A that starts a line (eof_mark) until the
 * input tells whether they end it; past this many the 0x1A is an ordinary
 * line. */
#define EG__CSVREAD_TAIL_MAX 4096

typedef struct eg__csvread {
	struct csv_parser p;   /* private */
	eg__csv_dialect d;     /* private: a copy */
	const char *name;      /* file name used in messages */
	eg__csv_row_fn row_fn; /* private */
	void *ud;              /* private */
	eg_error *err;         /* private */
	int rc;                /* private: first error, 0 if none */
	unsigned long line;    /* private: line ends fed so far */
	unsigned long rec_line; /* private: line where the current record starts */
	int rec_pending;       /* private: the next non-blank line starts a record */
	size_t rec_bytes;      /* private: bytes fed of the current record */
	int at_line_start;     /* private: the next byte starts a line */
	size_t bom_seen;       /* private: bytes of a byte order mark matched at the
	                        * start; SIZE_MAX once the start is past */
	char tail[EG__CSVREAD_TAIL_MAX + 1]; /* private: a CR that ended the last
	                        * chunk, or a 0x1A starting a line and the line ends
	                        * after it, not yet fed */
	size_t tail_n;         /* private */
	eg__buf bytes;         /* private: the current row's fields, NUL-separated */
	size_t offs[EG__CAP_ROW_FIELDS]; /* private: field offsets into bytes */
	size_t lens[EG__CAP_ROW_FIELDS]; /* private */
	size_t n_fields;       /* private: fields kept of the current row */
	size_t n_all;          /* private: fields seen of the current row */
	int inited;            /* private: p needs csv_free */
} eg__csvread;

/* Prepares r to read records separated by delim (',' or '\t') from a file
 * called name (kept by pointer, for messages), in the default dialect.
 * Returns 0 or EG_ENOMEM. */
int eg__csvread_init(eg__csvread *r, unsigned char delim, const char *name,
                     eg__csv_row_fn row_fn, void *ud, eg_error *err);
/* Like eg__csvread_init, in dialect d (copied; its strings are kept by
 * pointer and must outlive r). */
int eg__csvread_init_dialect(eg__csvread *r, const eg__csv_dialect *d, const char *name,
                             eg__csv_row_fn row_fn, void *ud, eg_error *err);
/* Parses the next len bytes (any chunking). Returns 0 or the first error. */
int eg__csvread_feed(eg__csvread *r, const char *data, size_t len);
/* Ends the input: reports a last record without a line end, and fails on an
 * unterminated quoted field. Returns 0 or the first error. */
int eg__csvread_finish(eg__csvread *r);
/* The last len bytes of the input, then eg__csvread_finish: a final 0x1A
 * line (eof_mark) is dropped however many line ends follow it. */
int eg__csvread_feed_last(eg__csvread *r, const char *data, size_t len);
/* Reads the file at path a block at a time (hashing its bytes into sha when
 * not NULL), feeds it and finishes: neither the file nor any line of it is
 * ever in memory whole. Returns 0, EG_ENOTFOUND or EG_EIO (cannot open, read
 * error; the message names path), EG_ENOMEM, or the first parse error. */
int eg__csvread_path(eg__csvread *r, const char *path, eg__sha256 *sha);
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

#endif
