/* sources.h - the official sources exportgate knows (DATA/sources.json). */
#ifndef EG_CATALOG_SOURCES_H
#define EG_CATALOG_SOURCES_H

#include "exportgate.h"

/* Sets *known to 1 when source is an id of DATA_DIR/sources.json. A
 * missing or malformed file is an error naming the file (and the JSON
 * path of a bad field). */
int eg__source_known(const char *data_dir, const char *source, int *known, eg_error *err);

/* What sources.json says about downloading a source (its "download"). */
#define EG__SOURCE_FILES_MAX 8     /* files of one publication */
#define EG__SOURCE_FORMATS_MAX 8   /* formats a source is published in */
#define EG__SOURCE_URL_MAX 1024    /* bytes of one URL */
typedef struct eg__source_download {
	char id[32];
	char format[32];           /* the format of the files downloaded */
	char formats[EG__SOURCE_FORMATS_MAX][32]; /* every format of the source */
	size_t n_formats;
	size_t n_files;
	char name[EG__SOURCE_FILES_MAX][64];   /* local file name: [A-Za-z0-9._-] */
	char url[EG__SOURCE_FILES_MAX][EG__SOURCE_URL_MAX]; /* https:// */
} eg__source_download;

/* Every source of DATA_DIR/sources.json that has a "download", in the
 * file's order, in *out (free with eg__free; NULL when none) and their
 * number in *count. A malformed download (a file name that could leave its
 * directory, a URL not https://, a format the source does not list, too
 * many files) is EG_EPARSE naming the file and the JSON path. */
int eg__source_downloads(const char *data_dir, eg__source_download **out, size_t *count,
                         eg_error *err);

#endif
