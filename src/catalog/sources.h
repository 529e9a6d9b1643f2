/* sources.h - the official sources exportgate knows (DATA/sources.json). */
#ifndef EG_CATALOG_SOURCES_H
#define EG_CATALOG_SOURCES_H

#include "exportgate.h"

/* Sets *known to 1 when source is an id of DATA_DIR/sources.json. A
 * missing or malformed file is an error naming the file (and the JSON
 * path of a bad field). */
int eg__source_known(const char *data_dir, const char *source, int *known, eg_error *err);

#endif
