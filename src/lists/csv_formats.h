/* csv_formats.h - in-memory entry points of the csl-csv, bis-dpl and ftm-json
 * parsers, for the fuzz targets and tests.
 *
 * Each parses len bytes of data (not NUL-terminated; name is the file name
 * used in messages) into ctx->set exactly as the format's parse() does with a
 * file, except that it does not feed ctx->sha: parse() hashes the file bytes
 * as stored (for csl-csv, the gzip bytes) before calling these. Returns 0 or
 * a negative EG_E* code with err naming the file, line and field; on error
 * the set holds a partial result and is to be discarded by the caller. */
#ifndef EG_CSV_FORMATS_H
#define EG_CSV_FORMATS_H

#include "format.h"

#include <stddef.h>

/* data may be a plain CSV or gzip-compressed (detected by its magic bytes). */
int eg__csl_csv_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                          const char *name, eg_error *err);
/* today is the "YYYY-MM-DD" after which a Last_Update is not believed for
 * the publication date, or NULL for the current UTC date. */
int eg__bis_dpl_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                          const char *name, const char *today, eg_error *err);
int eg__ftm_json_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                           const char *name, eg_error *err);

#endif
