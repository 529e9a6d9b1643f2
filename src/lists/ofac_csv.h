/* ofac_csv.h - the OFAC legacy CSV parser (sdn.csv / cons_prim.csv family)
 * read from memory, for tests and the fuzz target.
 *
 * The file-based entry point is eg__format_ofac_csv (format.h). */
#ifndef EG_OFAC_CSV_H
#define EG_OFAC_CSV_H

#include "format.h"

#include <stddef.h>

/*
 * Parses one OFAC legacy CSV publication held in memory and appends its
 * entities to ctx->set. prim is the primary file (sdn.csv layout, required);
 * add, alt and comments are the address, alternate-name and remarks
 * continuation files, each NULL when absent. Buffers are (pointer, length)
 * slices and need no terminating NUL; they stay owned by the caller.
 *
 * The bytes of the present files are fed to ctx->sha (when not NULL) in the
 * order prim, add, alt, comments. Error messages name the files sdn.csv,
 * add.csv, alt.csv and sdn_comments.csv.
 *
 * Returns 0, or EG_EPARSE (malformed row, message "file:line: field F: ..."),
 * EG_EEMPTY (no entries in prim), EG_ETOOBIG, EG_ENOMEM, EG_EIO (hashing);
 * on error the set holds a partial result and is to be discarded.
 * Thread-safe for distinct contexts.
 */
int eg__ofac_csv_parse_mem(eg__parse_ctx *ctx,
                           const char *prim, size_t prim_len,
                           const char *add, size_t add_len,
                           const char *alt, size_t alt_len,
                           const char *comments, size_t comments_len,
                           eg_error *err);

#endif
