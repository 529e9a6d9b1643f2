/* euuk_formats.h - in-memory entry points of the EU and UK list formats
 * (eu-fsf-xml, uk-xml, uk-conlist-csv), for the fuzz targets and the tests.
 *
 * Each parses len bytes at data (not NUL-terminated; name is the file name
 * used in messages) exactly as the format's parse() parses a file: entities
 * are appended to ctx->set, the publication date goes into
 * ctx->set->published, every byte of data is added to ctx->sha (if not
 * NULL), and unknown elements or columns give one warning each through
 * ctx->warn. Returns 0 or a negative EG_E* code with err naming the file,
 * the line, the element path (XML) and the field; on error the set holds a
 * partial result and is to be discarded by the caller. Not thread-safe per
 * ctx; calls on distinct contexts may run in parallel once
 * eg__formats_init() has run. */
#ifndef EG_EUUK_FORMATS_H
#define EG_EUUK_FORMATS_H

#include "format.h"

#include <stddef.h>

/* The EU Financial Sanctions Files XML, schema 1.1 (root "export"). */
int eg__eu_fsf_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                             const char *name, eg_error *err);
/* The FCDO UK Sanctions List XML (root "Designations"). */
int eg__uk_xml_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                         const char *name, eg_error *err);
/* HM Treasury OFSI Consolidated List CSV (ConList.csv, 2022 format). */
int eg__uk_conlist_csv_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                                 const char *name, eg_error *err);

#endif
