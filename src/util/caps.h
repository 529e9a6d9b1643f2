/* caps.h - every size cap on input-grown memory, in one place.
 * Going over one is EG_ETOOBIG (HTTP 413 at the server). */
#ifndef EG_CAPS_H
#define EG_CAPS_H

#define EG__CAP_QUERY_BYTES      1024      /* one screened name */
#define EG__CAP_QUERY_TOKENS     32        /* tokens of one normalised name */
#define EG__CAP_FIELD_BYTES      (64 * 1024)  /* one CSV field or XML text */
#define EG__CAP_ROW_FIELDS       64        /* fields in one CSV row */
#define EG__CAP_LIST_FILE_BYTES  (512u * 1024 * 1024) /* one list file */
#define EG__CAP_ENTITIES         (4u * 1024 * 1024)   /* entities per version */
#define EG__CAP_NAMES_PER_ENTITY 4096
#define EG__CAP_BATCH_ROWS       (16u * 1024 * 1024)  /* rows of a batch file */
#define EG__CAP_LINE_BYTES       (1024 * 1024)        /* one text line */
#define EG__CAP_CSV_ROW_BYTES    (1024u * 1024)       /* one CSV row, all its lines */
#define EG__CAP_NORM_BYTES       4096      /* one normalised name */
#define EG__CAP_NORM_INPUT_BYTES (16 * 1024) /* one name given to normalise */

#endif
