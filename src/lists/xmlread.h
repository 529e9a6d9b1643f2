/* xmlread.h - the streaming XML reader shared by the XML list parsers.
 *
 * Wraps libxml2's xmlTextReader so a parser sees a flat sequence of element
 * START and END events, each with its depth and the element path from the
 * root ("CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL/FIRST_NAME"), and, at END,
 * the element's own text, trimmed and capped at EG__CAP_FIELD_BYTES. Memory
 * stays bounded: no tree is kept, only the open elements' names, one text
 * and the entity being read (eg__xr_entity).
 *
 * Every byte libxml2 reads passes through one read callback that adds it to
 * ctx->sha; eg__xr_finish() hashes any trailing bytes, so the digest covers
 * the whole input exactly. The network, DTD loading and entity substitution
 * are off: an external entity is never fetched, an entity reference is left
 * unexpanded with one warning.
 *
 * Errors name "FILE:LINE: PATH: what". Not thread-safe per reader; several
 * readers may run in parallel once libxml2 is initialised (xmlInitParser). */
#ifndef EG_XMLREAD_H
#define EG_XMLREAD_H

#include "format.h"

#include <stdio.h>

#define EG__XR_MAX_DEPTH   64    /* nesting of elements; deeper is EG_ETOOBIG */
#define EG__XR_PATH_BYTES  4096  /* the element path text; longer is EG_ETOOBIG */
#define EG__XR_MAX_WARNED  64    /* distinct names warned about, then silence */
#define EG__XR_HEAD_BYTES  2048  /* bytes detect() looks at */
/* Bounds on what libxml2 builds before the reader sees it (the input is
 * scanned as it is read, ahead of the parser). Its reader parses on until
 * the next tag, keeping a node (~200 bytes) for each comment, processing
 * instruction or CDATA section and the text between them: so their number
 * in a row is capped. It parses a whole tag, with its attributes (checked
 * for duplicates in quadratic time), and a whole document type declaration
 * at once: so their bytes are capped. Over any cap is EG_ETOOBIG. */
#define EG__XR_MAX_RUN        4096              /* comments, PIs, CDATA in a row */
#define EG__XR_MAX_TAG_BYTES  (64 * 1024)       /* one tag with its attributes */
#define EG__XR_MAX_DECL_BYTES (64 * 1024)       /* <!DOCTYPE ...> with its subset */

typedef enum eg__xr_event {
	EG__XR_EOF = 0,   /* the document ended well-formed */
	EG__XR_START = 1, /* an element opened: depth, name, path, attributes */
	EG__XR_END = 2    /* an element closed: depth, name, path, text */
} eg__xr_event;

typedef struct eg__xr {
	/* read-only, valid after eg__xr_next() returned START or END: */
	int depth;          /* the current element's depth; the root is 1 */
	const char *name;   /* its local name (namespaces are ignored) */
	const char *text;   /* on END: its text, trimmed, NUL-terminated */
	size_t text_len;
	eg__parse_ctx *ctx; /* the caller's context */

	/* private */
	void *reader;       /* xmlTextReaderPtr */
	const char *file;   /* the name used in messages */
	FILE *f;            /* file input, or NULL */
	const char *mem;    /* memory input, or NULL */
	size_t mem_len, mem_pos;
	unsigned long long total; /* bytes read so far */
	int io_err;         /* EG_E* code from the read callback, 0 if none */
	char io_msg[160];   /* why, when the scan of the input set io_err */
	int draining;       /* eg__xr_finish reads the rest: no scan */
	struct {
		int state;          /* where the scan is (see scan() in xmlread.c) */
		char quote;         /* the open quote in a tag or declaration, or 0 */
		int lead;           /* bytes after "<!" looked at */
		int depth;          /* '[' open in a declaration */
		unsigned win;       /* the last 4 bytes */
		size_t bytes;       /* of the current tag or declaration */
		size_t run;         /* comments, PIs, CDATA since the last tag */
		unsigned long line; /* line of the byte scanned last */
	} sc;
	int pending_end;    /* an empty element's END is due */
	int pop;            /* the element of the last END is still on the stack */
	int skip_depth;     /* > 0: events inside this element are swallowed */
	int root_seen;      /* the root element started: the DTD was checked */
	int tags[EG__XR_MAX_DEPTH + 1];     /* the parser's tag per open element */
	size_t off[EG__XR_MAX_DEPTH + 1];   /* start of each name in path */
	char path[EG__XR_PATH_BYTES];
	size_t path_len;
	char *tbuf;         /* text of the current element, eg__malloc'd */
	size_t tlen, tcap;
	char *warned[EG__XR_MAX_WARNED];
	size_t n_warned;
	int xml_failed;     /* libxml2 reported an error */
	int xml_line;
	char xml_msg[256];
	char xml_path[EG__XR_PATH_BYTES]; /* open elements where libxml2 failed */
} eg__xr;

/* Opens path (a regular file of at most EG__CAP_LIST_FILE_BYTES) for
 * reading. Returns 0, or an error naming the file; r needs eg__xr_close()
 * in both cases. */
int eg__xr_open_file(eg__xr *r, eg__parse_ctx *ctx, const char *path, eg_error *err);
/* Opens len bytes at data, called name in messages; data must outlive r. */
int eg__xr_open_mem(eg__xr *r, eg__parse_ctx *ctx, const char *data, size_t len,
                    const char *name, eg_error *err);
/* Advances to the next START or END of an element. Returns an eg__xr_event,
 * or a negative EG_E* code with err naming file, line and element path:
 * EG_EPARSE for malformed XML or a document type that declares entities
 * (no list format does; refused so that references to them cannot fill the
 * memory), EG_ETOOBIG for text over EG__CAP_FIELD_BYTES, nesting over
 * EG__XR_MAX_DEPTH or input over EG__CAP_LIST_FILE_BYTES. */
int eg__xr_next(eg__xr *r, eg_error *err);
/* The path of the current element below its ancestor at depth d ("" when d
 * is the current depth or deeper), e.g. "akaList/aka/lastName". */
const char *eg__xr_rel(const eg__xr *r, int d);
/* The whole path of the current element. */
const char *eg__xr_path(const eg__xr *r);
/* On START: the value of an unprefixed attribute, or NULL. Valid until the
 * next call on r. */
const char *eg__xr_attr(eg__xr *r, const char *name);
/* A parser's own integer for the current element (set at START, read back
 * at END), and for its ancestor at depth d. Untagged elements hold 0. */
void eg__xr_set_tag(eg__xr *r, int tag);
int eg__xr_tag(const eg__xr *r);
int eg__xr_tag_at(const eg__xr *r, int d);
/* On START: swallows the element and everything in it, END included. */
void eg__xr_skip(eg__xr *r);
/* On START: warns once per distinct element name that it is unknown and
 * ignored, then skips it. */
void eg__xr_unknown(eg__xr *r);
/* Warns once per distinct key (e.g. a value the parser does not know). */
void eg__xr_warn_once(eg__xr *r, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* One known element: name, under an element tagged parent (0 for the
 * root), and the tag it gets. */
typedef struct eg__xr_known {
	int parent;
	const char *name;
	int tag;
} eg__xr_known;
/* The tag of name under parent in table t of n rows, or 0 when unknown. */
int eg__xr_lookup(const eg__xr_known *t, size_t n, int parent, const char *name);
/* On START: tags the current element from t by its parent's tag and its
 * name and returns the tag; an unknown element is warned about once per
 * name, skipped, and gives 0. */
int eg__xr_classify(eg__xr *r, const eg__xr_known *t, size_t n);

/* Sets err to code and "FILE:LINE: PATH: message" and returns code. */
int eg__xr_fail(eg__xr *r, eg_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;
/* Turns a failed entity adder's code (EG_ENOMEM, EG_ETOOBIG) into an error
 * naming the current element; returns rc unchanged when 0. */
int eg__xr_check(eg__xr *r, int rc, eg_error *err);
/* After EOF: adds any bytes libxml2 did not read to ctx->sha. */
int eg__xr_finish(eg__xr *r, eg_error *err);
/* Frees everything r holds; the file is closed. Safe on a zeroed r. */
void eg__xr_close(eg__xr *r);

/* The file a format should parse for path: path itself when it is a
 * regular file ending in ".xml" (any case) whose first EG__XR_HEAD_BYTES
 * contain one of markers (NULL-terminated list), or the one such file of a
 * directory. Returns 1 and sets *out (eg__free it), 0 when there is none
 * or several, or EG_ENOMEM. */
int eg__xr_find(const char *path, const char *const *markers, char **out);
/* detect() for a format: 1 when eg__xr_find() finds a file. */
int eg__xr_detect(const char *path, const char *const *markers);
/* The file parse() should open for path: path itself for anything but a
 * directory, else the one matching file of the directory (*owned then holds
 * it for eg__free). Errors name the directory. */
int eg__xr_resolve(const char *path, const char *const *markers, const char **file,
                   char **owned, eg_error *err);

/* The entity being read: fields are collected in a scratch arena until its
 * closing tag, since the uid and the names may come in any order. */
typedef struct eg__xr_entity {
	eg__entity_set scratch; /* private: only its arena is used */
	eg__entity e;           /* names (aliases only), addresses, ... so far */
	const char *uid;        /* NULL until read */
	const char *primary;    /* the primary name, NULL until read */
} eg__xr_entity;

void eg__xr_entity_init(eg__xr_entity *p);
/* Empties p for the next entity (type EG_TYPE_ENTITY). */
void eg__xr_entity_reset(eg__xr_entity *p);
void eg__xr_entity_free(eg__xr_entity *p);
/* Sets *out to a scratch copy of s[0..len), or NULL when len is 0.
 * Returns 0 or EG_ENOMEM. */
int eg__xr_keep(eg__xr_entity *p, const char **out, const char *s, size_t len);
/* Sets *out to a scratch copy of "a SEP b", or of whichever is not NULL. */
int eg__xr_join(eg__xr_entity *p, const char **out, const char *a, const char *sep,
                const char *b);
/* Copies p into ctx->set: the primary name first, then the aliases. An
 * entity without uid or name, or with a uid already present, is EG_EPARSE
 * naming what (e.g. "REFERENCE_NUMBER"); more than EG__CAP_ENTITIES is
 * EG_ETOOBIG. */
int eg__xr_entity_commit(eg__xr *r, eg__xr_entity *p, const char *uid_what,
                         eg_error *err);

/* A parser's event handler: called at each start (on_start) or end
 * (on_end) of an element, with the parser's state. */
typedef int (*eg__xr_event_fn)(void *st, eg_error *err);
/* Reads every event of r, calling on_start and on_end with st, with the
 * scratch entity p set up for the pass and released after it; finishes the
 * reader at the end of input. Returns the first error or 0. */
int eg__xr_events(eg__xr *r, eg__xr_entity *p, eg__xr_event_fn on_start,
                  eg__xr_event_fn on_end, void *st, eg_error *err);

/* What an XML format's parser is to the reader: the size of its state
 * (zeroed for each pass) and where in it the reader and the scratch entity
 * lie, its event handlers, an optional check after the last event, and the
 * markers that tell its files (eg__xr_find). */
typedef struct eg__xr_parser {
	size_t state_size, r_off, p_off;
	eg__xr_event_fn on_start, on_end;
	eg__xr_event_fn finish; /* NULL: none */
	const char *const *markers;
} eg__xr_parser;

/* One pass of parser ps over len bytes at data (called name in messages).
 * Returns 0 or a negative EG_E* code, with err set. */
int eg__xr_parse_mem(const eg__xr_parser *ps, eg__parse_ctx *ctx, const char *data,
                     size_t len, const char *name, eg_error *err);
/* Likewise for path, a file or a directory resolved by eg__xr_resolve()
 * with ps->markers: parse() of a format. */
int eg__xr_parse_path(const eg__xr_parser *ps, eg__parse_ctx *ctx, const char *path,
                      eg_error *err);

#endif
