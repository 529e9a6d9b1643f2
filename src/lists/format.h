/* format.h - one interface for every published list format.
 *
 * A format reads one publication (a file, or a directory of files) into an
 * entity set. It feeds every byte it reads, in a fixed order, into ctx->sha,
 * so identical content gives an identical digest. On error it returns a
 * negative EG_E* code with err naming the file, the line (or XML element
 * path) and the field; the set is then to be discarded by the caller.
 * Unknown columns or elements are tolerated, with one warning each through
 * ctx->warn. */
#ifndef EG_FORMAT_H
#define EG_FORMAT_H

#include "entity.h"
#include "../util/hash.h"

typedef struct eg__parse_ctx {
	eg__entity_set *set;   /* OUT: entities appended here */
	eg__sha256 *sha;       /* every input byte, may be NULL */
	void (*warn)(void *ud, const char *message); /* may be NULL */
	void *warn_ud;
} eg__parse_ctx;

typedef struct eg__format {
	const char *name;           /* e.g. "ofac-csv" */
	const char *default_source; /* source when the user names none, or NULL */
	const char *description;    /* one line for --help */
	/* 1 when path looks like this format (cheap: names, first bytes), 0
	 * when it does not, EG_ENOMEM when it cannot tell for lack of memory
	 * (never "no": an allocation failure is not an answer). */
	int (*detect)(const char *path);
	/* Parses path; see above. */
	int (*parse)(eg__parse_ctx *ctx, const char *path, eg_error *err);
} eg__format;

/* Initialises the parsers' libraries once per process (libxml2's parser
 * init is not thread-safe before its first call). Thread-safe. */
void eg__formats_init(void);

/* The format of this name, or NULL. */
const eg__format *eg__format_find(const char *name);
/* The first format whose detect() accepts path, or NULL (also when a
 * detector ran out of memory: use eg__format_for_path to tell). */
const eg__format *eg__format_detect(const char *path);
/* The format of the publication at path, in *out: EG_EIO with
 * "<path>: no such file or directory" (or the system's reason) when path
 * cannot be read, EG_EUNSUPPORTED "<path>: not a list format ..." when no
 * format accepts it; 0 otherwise. Import calls this rather than
 * eg__format_detect, so that a typo in a path is not reported as a format
 * problem. A detector out of memory is EG_ENOMEM, never "not a list
 * format". */
int eg__format_for_path(const eg__format **out, const char *path, eg_error *err);
/* All formats, NULL-terminated. */
const eg__format *const *eg__formats(void);

/* Calls ctx->warn with a formatted message, if set. */
void eg__parse_warn(eg__parse_ctx *ctx, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Reads a whole file (at most EG__CAP_LIST_FILE_BYTES) into *out (free with
 * eg__free) and its size into *len, adding its bytes to sha if not NULL.
 * Errors name the file. */
int eg__read_file(char **out, size_t *len, const char *path, eg__sha256 *sha,
                  eg_error *err);
/* The same with a cap of the caller's (EG_ETOOBIG over it) and no digest. */
int eg__read_file_capped(char **out, size_t *len, const char *path, size_t cap,
                         eg_error *err);

/* The formats, defined in their own files. */
extern const eg__format eg__format_ofac_csv;
extern const eg__format eg__format_ofac_xml;
extern const eg__format eg__format_ofac_enhanced_xml;
extern const eg__format eg__format_un_xml;
extern const eg__format eg__format_csl_csv;
extern const eg__format eg__format_bis_dpl;
extern const eg__format eg__format_ftm_json;
extern const eg__format eg__format_eu_fsf_xml;
extern const eg__format eg__format_uk_xml;
extern const eg__format eg__format_uk_conlist_csv;

#endif
