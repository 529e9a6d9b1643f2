/* xmlread.c - the streaming XML reader shared by the XML list parsers.
 *
 * Invariants: path[0..path_len) holds the names of the open elements joined
 * by '/', off[d] is where the name at depth d starts, and path is
 * NUL-terminated at path_len, so r->name (path + off[depth]) is a C string.
 * When pop is set, the element of the last END is still on the stack and
 * comes off at the next call. */
#include "xmlread.h"
#include "../util/alloc.h"
#include "../util/caps.h"
#include "../util/error.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#if LIBXML_VERSION >= 21200
#define EG__XML_CONST const
#else
#define EG__XML_CONST
#endif

/* Network off; no DTD loading, no entity substitution, no XInclude: the
 * absence of XML_PARSE_NOENT and XML_PARSE_DTDLOAD is what keeps external
 * entities from being read. */
#define XR_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_COMPACT | \
                    XML_PARSE_BIG_LINES)

/* ---- the scan ahead of libxml2 ----
 *
 * A lexer of just enough XML to see tags, comments, processing
 * instructions, CDATA sections and declarations, byte by byte, so that
 * every token may be split across reads. It counts: it never decides what
 * is well-formed (libxml2 does). Where it could be confused (a quote in a
 * comment of a DTD), it can only count less, never refuse a document the
 * caps do not name. */
enum { SC_TEXT, SC_LT, SC_BANG, SC_TAG, SC_COMMENT, SC_PI, SC_CDATA, SC_DECL,
       SC_DECL_COMMENT };

static int scan_fail(eg__xr *r, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
static int scan_fail(eg__xr *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->io_msg, sizeof(r->io_msg), fmt, ap);
	va_end(ap);
	r->io_err = EG_ETOOBIG;
	return -1;
}

static int scan_run(eg__xr *r)
{
	if (++r->sc.run > EG__XR_MAX_RUN)
		return scan_fail(r, "more than %d comments, processing instructions or CDATA "
		                 "sections in a row", EG__XR_MAX_RUN);
	return 0;
}

static int scan(eg__xr *r, const unsigned char *s, size_t n)
{
	static const char cdata[] = "[CDATA[";
	size_t i;

	if (r->total == 0 && n >= 2 && (s[0] == 0 || s[1] == 0 || (s[0] == 0xFE && s[1] == 0xFF) ||
	                                (s[0] == 0xFF && s[1] == 0xFE))) {
		snprintf(r->io_msg, sizeof(r->io_msg), "UTF-16 or UTF-32 (list formats are UTF-8)");
		r->io_err = EG_EPARSE;
		return -1;
	}
	for (i = 0; i < n; i++) {
		unsigned c = s[i];
		r->sc.win = (r->sc.win << 8) | c;
		if (c == '\n')
			r->sc.line++;
		switch (r->sc.state) {
		case SC_TEXT:
			if (c == '<') {
				r->sc.state = SC_LT;
				r->sc.bytes = 1;
			}
			break;
		case SC_LT:
			if (c == '!') {
				r->sc.state = SC_BANG;
				r->sc.lead = 0;
			} else if (c == '?') {
				r->sc.state = SC_PI;
				if (scan_run(r) != 0)
					return -1;
			} else {
				r->sc.state = SC_TAG;
				r->sc.quote = 0;
				i--; /* the byte is the tag's */
				r->sc.win >>= 8;
				if (c == '\n')
					r->sc.line--;
			}
			break;
		case SC_BANG:
			/* "<!--", "<![CDATA[" or a declaration; lead: bytes after "<!" */
			if (r->sc.lead == 0 && (c == '-' || c == '[')) {
				r->sc.lead = 1;
				r->sc.depth = c; /* which of the two */
			} else if (r->sc.lead > 0 && r->sc.depth == '-' && c == '-') {
				r->sc.state = SC_COMMENT;
				r->sc.win = 0; /* "<!-->" does not end it */
				if (scan_run(r) != 0)
					return -1;
			} else if (r->sc.lead > 0 && r->sc.depth == '[' && c == (unsigned char)cdata[r->sc.lead]) {
				if (++r->sc.lead == 7) {
					r->sc.state = SC_CDATA;
					r->sc.win = 0;
					if (scan_run(r) != 0)
						return -1;
				}
			} else {
				r->sc.state = SC_DECL;
				r->sc.quote = 0;
				r->sc.depth = 0;
				r->sc.bytes = 2 + (size_t)r->sc.lead;
				i--; /* the byte is the declaration's */
				r->sc.win >>= 8;
				if (c == '\n')
					r->sc.line--;
			}
			break;
		case SC_COMMENT:
			if ((r->sc.win & 0xffffff) == 0x2d2d3e) /* "-->" */
				r->sc.state = SC_TEXT;
			break;
		case SC_PI:
			if ((r->sc.win & 0xffff) == 0x3f3e) /* "?>" */
				r->sc.state = SC_TEXT;
			break;
		case SC_CDATA:
			if ((r->sc.win & 0xffffff) == 0x5d5d3e) /* "]]>" */
				r->sc.state = SC_TEXT;
			break;
		case SC_TAG:
			if (++r->sc.bytes > EG__XR_MAX_TAG_BYTES)
				return scan_fail(r, "a tag longer than %d bytes", EG__XR_MAX_TAG_BYTES);
			if (r->sc.quote != 0) {
				if (c == (unsigned char)r->sc.quote)
					r->sc.quote = 0;
			} else if (c == '"' || c == '\'') {
				r->sc.quote = (char)c;
			} else if (c == '>') {
				r->sc.state = SC_TEXT;
				r->sc.run = 0;
			}
			break;
		case SC_DECL:
			if (++r->sc.bytes > EG__XR_MAX_DECL_BYTES)
				return scan_fail(r, "a declaration (<!...>) longer than %d bytes",
				                 EG__XR_MAX_DECL_BYTES);
			if (r->sc.quote != 0) {
				if (c == (unsigned char)r->sc.quote)
					r->sc.quote = 0;
			} else if (r->sc.win == 0x3c212d2d) { /* "<!--" in the subset */
				r->sc.state = SC_DECL_COMMENT;
				r->sc.win = 0;
			} else if (c == '"' || c == '\'') {
				r->sc.quote = (char)c;
			} else if (c == '[') {
				r->sc.depth++;
			} else if (c == ']' && r->sc.depth > 0) {
				r->sc.depth--;
			} else if (c == '>' && r->sc.depth == 0) {
				r->sc.state = SC_TEXT;
			}
			break;
		case SC_DECL_COMMENT:
			if (++r->sc.bytes > EG__XR_MAX_DECL_BYTES)
				return scan_fail(r, "a declaration (<!...>) longer than %d bytes",
				                 EG__XR_MAX_DECL_BYTES);
			if ((r->sc.win & 0xffffff) == 0x2d2d3e)
				r->sc.state = SC_DECL;
			break;
		}
	}
	return 0;
}

static int read_cb(void *ud, char *buf, int len)
{
	eg__xr *r = ud;
	size_t got;

	if (r->io_err != 0 || len <= 0)
		return r->io_err != 0 ? -1 : 0;
	if (r->f != NULL) {
		got = fread(buf, 1, (size_t)len, r->f);
		if (got == 0 && ferror(r->f)) {
			r->io_err = EG_EIO;
			return -1;
		}
	} else {
		got = r->mem_len - r->mem_pos;
		if (got > (size_t)len)
			got = (size_t)len;
		if (got > 0)
			memcpy(buf, r->mem + r->mem_pos, got);
		r->mem_pos += got;
	}
	if (!r->draining && got > 0 && scan(r, (const unsigned char *)buf, got) != 0)
		return -1;
	r->total += got;
	if (r->total > EG__CAP_LIST_FILE_BYTES) {
		r->io_err = EG_ETOOBIG;
		return -1;
	}
	if (got > 0 && r->ctx->sha != NULL && eg__sha256_update(r->ctx->sha, buf, got) != 0) {
		r->io_err = EG_EIO;
		return -1;
	}
	return (int)got;
}

/* The parser's own stack of open elements: it runs ahead of the reader,
 * so this, not r->path, is where a syntax error is. */
static void parser_path(eg__xr *r, EG__XML_CONST xmlError *e)
{
	xmlParserCtxtPtr c = e->domain == XML_FROM_PARSER ? e->ctxt : NULL;
	size_t len = 0, n;
	int i;

	r->xml_path[0] = '\0';
	if (c == NULL || c->nameTab == NULL)
		return;
	for (i = 0; i < c->nameNr; i++) {
		const char *name = (const char *)c->nameTab[i];
		n = name != NULL ? strlen(name) : 0;
		if (len + n + 2 > sizeof(r->xml_path))
			break;
		if (i > 0)
			r->xml_path[len++] = '/';
		memcpy(r->xml_path + len, name, n);
		len += n;
		r->xml_path[len] = '\0';
	}
}

/* Keeps the first error libxml2 reports; warnings are ignored. */
static void error_cb(void *ud, EG__XML_CONST xmlError *e)
{
	eg__xr *r = ud;
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR || r->xml_failed)
		return;
	r->xml_failed = 1;
	r->xml_line = e->line;
	parser_path(r, e);
	/* The push parser calls an early end of input "extra content". */
	if (e->code == XML_ERR_DOCUMENT_END && r->depth > 0)
		snprintf(r->xml_msg, sizeof(r->xml_msg), "unexpected end of the document (truncated file?)");
	else
		snprintf(r->xml_msg, sizeof(r->xml_msg), "%s",
		         e->message != NULL ? e->message : "malformed XML");
	n = strlen(r->xml_msg);
	while (n > 0 && (r->xml_msg[n - 1] == '\n' || r->xml_msg[n - 1] == ' '))
		r->xml_msg[--n] = '\0';
}

static int open_reader(eg__xr *r, eg_error *err)
{
	xmlTextReaderPtr reader;

	xmlInitParser();
	reader = xmlReaderForIO(read_cb, NULL, r, NULL, NULL, XR_OPTIONS);
	if (reader == NULL)
		return eg__error_set(err, EG_ENOMEM, "%s: cannot start the XML reader", r->file);
	xmlTextReaderSetStructuredErrorHandler(reader, error_cb, r);
	r->reader = reader;
	return 0;
}

static void init(eg__xr *r, eg__parse_ctx *ctx, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	r->file = name;
	r->name = "";
	r->text = "";
}

int eg__xr_open_file(eg__xr *r, eg__parse_ctx *ctx, const char *path, eg_error *err)
{
	struct stat st;

	init(r, ctx, path);
	r->f = fopen(path, "rb");
	if (r->f == NULL)
		return eg__error_set(err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                     "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fileno(r->f), &st) != 0 || !S_ISREG(st.st_mode))
		return eg__error_set(err, EG_EIO, "%s: not a regular file", path);
	if ((unsigned long long)st.st_size > EG__CAP_LIST_FILE_BYTES)
		return eg__error_set(err, EG_ETOOBIG, "%s: %lld bytes, over the cap of %u",
		                     path, (long long)st.st_size, EG__CAP_LIST_FILE_BYTES);
	return open_reader(r, err);
}

int eg__xr_open_mem(eg__xr *r, eg__parse_ctx *ctx, const char *data, size_t len,
                    const char *name, eg_error *err)
{
	init(r, ctx, name);
	r->mem = data != NULL ? data : "";
	r->mem_len = data != NULL ? len : 0;
	if (r->mem_len > EG__CAP_LIST_FILE_BYTES)
		return eg__error_set(err, EG_ETOOBIG, "%s: %zu bytes, over the cap of %u",
		                     name, len, EG__CAP_LIST_FILE_BYTES);
	return open_reader(r, err);
}

void eg__xr_close(eg__xr *r)
{
	size_t i;

	if (r->reader != NULL)
		xmlFreeTextReader(r->reader);
	if (r->f != NULL)
		fclose(r->f);
	eg__free(r->tbuf);
	for (i = 0; i < r->n_warned; i++)
		eg__free(r->warned[i]);
	memset(r, 0, sizeof(*r));
}

const char *eg__xr_path(const eg__xr *r)
{
	return r->path;
}

const char *eg__xr_rel(const eg__xr *r, int d)
{
	if (d < 0 || d >= r->depth)
		return "";
	return r->path + r->off[d + 1];
}

/* The line of the current element's start tag; the parser's own line runs
 * ahead of the reader's node. */
static int line_of(const eg__xr *r)
{
	xmlNodePtr node;
	long line;

	if (r->reader == NULL)
		return 0;
	node = xmlTextReaderCurrentNode(r->reader);
	line = node != NULL ? xmlGetLineNo(node) : -1;
	if (line > 0 && line <= 0x7fffffff)
		return (int)line;
	return xmlTextReaderGetParserLineNumber(r->reader);
}

static int vfail(eg__xr *r, eg_error *err, int code, int line, const char *fmt, va_list ap)
{
	char msg[320];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return eg__error_set(err, code, "%s:%d: %s: %s", r->file, line,
	                     r->path_len > 0 ? r->path : "(document)", msg);
}

int eg__xr_fail(eg__xr *r, eg_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(r, err, code, line_of(r), fmt, ap);
	va_end(ap);
	return rc;
}

static int fail_at(eg__xr *r, eg_error *err, int code, int line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
static int fail_at(eg__xr *r, eg_error *err, int code, int line, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(r, err, code, line, fmt, ap);
	va_end(ap);
	return rc;
}

int eg__xr_check(eg__xr *r, int rc, eg_error *err)
{
	if (rc == 0)
		return 0;
	if (rc == EG_ETOOBIG)
		return eg__xr_fail(r, err, rc, "more than %d names", EG__CAP_NAMES_PER_ENTITY);
	return eg__xr_fail(r, err, rc, "%s", eg_strerror(rc));
}

void eg__xr_warn_once(eg__xr *r, const char *key, const char *fmt, ...)
{
	char msg[320];
	va_list ap;
	size_t i;

	for (i = 0; i < r->n_warned; i++)
		if (strcmp(r->warned[i], key) == 0)
			return;
	if (r->n_warned == EG__XR_MAX_WARNED)
		return;
	r->warned[r->n_warned] = eg__strdup(key);
	if (r->warned[r->n_warned] == NULL)
		return;
	r->n_warned++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->n_warned == EG__XR_MAX_WARNED)
		eg__parse_warn(r->ctx, "%s:%d: %s (further warnings not shown)", r->file,
		               line_of(r), msg);
	else
		eg__parse_warn(r->ctx, "%s:%d: %s", r->file, line_of(r), msg);
}

void eg__xr_skip(eg__xr *r)
{
	if (r->skip_depth == 0)
		r->skip_depth = r->depth;
}

void eg__xr_unknown(eg__xr *r)
{
	eg__xr_warn_once(r, r->name, "unknown element %s ignored", r->path);
	eg__xr_skip(r);
}

int eg__xr_lookup(const eg__xr_known *t, size_t n, int parent, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].parent == parent && strcmp(t[i].name, name) == 0)
			return t[i].tag;
	return 0;
}

int eg__xr_classify(eg__xr *r, const eg__xr_known *t, size_t n)
{
	int tag = eg__xr_lookup(t, n, r->tags[r->depth - 1], r->name);

	if (tag == 0)
		eg__xr_unknown(r);
	r->tags[r->depth] = tag;
	return tag;
}

void eg__xr_set_tag(eg__xr *r, int tag)
{
	r->tags[r->depth] = tag;
}

int eg__xr_tag(const eg__xr *r)
{
	return r->tags[r->depth];
}

int eg__xr_tag_at(const eg__xr *r, int d)
{
	return d >= 0 && d <= r->depth ? r->tags[d] : 0;
}

const char *eg__xr_attr(eg__xr *r, const char *name)
{
	const char *v = NULL;

	if (xmlTextReaderMoveToAttribute(r->reader, (const xmlChar *)name) == 1) {
		v = (const char *)xmlTextReaderConstValue(r->reader);
		xmlTextReaderMoveToElement(r->reader);
	}
	return v;
}

static int push(eg__xr *r, const char *name, eg_error *err)
{
	size_t n = strlen(name), need = n + 1 + (r->depth > 0 ? 1 : 0);

	if (r->depth >= EG__XR_MAX_DEPTH)
		return eg__xr_fail(r, err, EG_ETOOBIG, "elements nested deeper than %d",
		                   EG__XR_MAX_DEPTH);
	if (need > sizeof(r->path) - r->path_len)
		return eg__xr_fail(r, err, EG_ETOOBIG, "element path longer than %d bytes",
		                   EG__XR_PATH_BYTES);
	if (r->depth > 0)
		r->path[r->path_len++] = '/';
	r->depth++;
	r->off[r->depth] = r->path_len;
	r->tags[r->depth] = 0;
	memcpy(r->path + r->path_len, name, n + 1);
	r->path_len += n;
	r->name = r->path + r->off[r->depth];
	r->tlen = 0;
	r->text = "";
	r->text_len = 0;
	return 0;
}

static void pop(eg__xr *r)
{
	r->path_len = r->off[r->depth];
	if (r->path_len > 0)
		r->path_len--; /* the '/' before the name */
	r->path[r->path_len] = '\0';
	r->depth--;
	r->name = r->depth > 0 ? r->path + r->off[r->depth] : "";
	r->tlen = 0;
	r->text = "";
	r->text_len = 0;
}

static int add_text(eg__xr *r, const char *s, eg_error *err)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0)
		return 0;
	if (n > EG__CAP_FIELD_BYTES - r->tlen || r->tlen > EG__CAP_FIELD_BYTES)
		return eg__xr_fail(r, err, EG_ETOOBIG, "text longer than %d bytes",
		                   EG__CAP_FIELD_BYTES);
	if (r->tlen + n + 1 > r->tcap) {
		size_t cap = r->tcap ? r->tcap : 256;
		char *nb;
		while (cap < r->tlen + n + 1)
			cap *= 2;
		nb = eg__realloc(r->tbuf, cap);
		if (nb == NULL)
			return eg__xr_fail(r, err, EG_ENOMEM, "out of memory");
		r->tbuf = nb;
		r->tcap = cap;
	}
	memcpy(r->tbuf + r->tlen, s, n);
	r->tlen += n;
	r->tbuf[r->tlen] = '\0';
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Points r->text at the trimmed text; trimming the end writes a NUL. */
static void set_text(eg__xr *r)
{
	size_t a = 0, b = r->tlen;

	if (r->tbuf == NULL || b == 0) {
		r->text = "";
		r->text_len = 0;
		return;
	}
	while (a < b && is_space(r->tbuf[a]))
		a++;
	while (b > a && is_space(r->tbuf[b - 1]))
		b--;
	r->tbuf[b] = '\0';
	r->text = r->tbuf + a;
	r->text_len = b - a;
}

static int xml_error(eg__xr *r, eg_error *err)
{
	if (r->io_err != 0 && r->io_msg[0] != '\0')
		return eg__error_set(err, r->io_err, "%s:%lu: %s", r->file, r->sc.line + 1,
		                     r->io_msg);
	if (r->io_err == EG_ETOOBIG)
		return eg__xr_fail(r, err, EG_ETOOBIG, "input over the cap of %u bytes",
		                   EG__CAP_LIST_FILE_BYTES);
	if (r->io_err != 0)
		return eg__xr_fail(r, err, r->io_err, "read error");
	if (r->xml_failed && r->xml_path[0] != '\0')
		return eg__error_set(err, EG_EPARSE, "%s:%d: %s: %s", r->file,
		                     r->xml_line > 0 ? r->xml_line : line_of(r), r->xml_path,
		                     r->xml_msg);
	if (r->xml_failed)
		return fail_at(r, err, EG_EPARSE, r->xml_line > 0 ? r->xml_line : line_of(r),
		               "%s", r->xml_msg);
	return eg__xr_fail(r, err, EG_EPARSE, "malformed XML");
}

/* Refuses a document whose DTD declares entities: libxml2 keeps a node for
 * every reference to one (about 170 bytes for the 3 bytes of "&a;") until
 * the element holding them ends, and no list format declares any. Checked
 * until the root element starts, by when the internal subset is parsed. */
static int check_dtd(eg__xr *r, eg_error *err)
{
	/* Not xmlTextReaderCurrentDoc(): that hands the document over to the
	 * caller, so the reader would no longer free it. */
	xmlNodePtr node = xmlTextReaderCurrentNode(r->reader);
	xmlDocPtr doc = node != NULL ? node->doc : NULL;
	xmlDtdPtr dtd = doc != NULL ? doc->intSubset : NULL;

	if (dtd != NULL && (dtd->entities != NULL || dtd->pentities != NULL))
		return eg__error_set(err, EG_EPARSE,
		                     "%s: declares XML entities (not a list format)", r->file);
	return 0;
}

/* The next START or END, skipping nothing. */
static int next_raw(eg__xr *r, eg_error *err)
{
	int rc, type;

	if (r->pending_end) {
		r->pending_end = 0;
		r->pop = 1;
		return EG__XR_END;
	}
	if (r->pop) {
		pop(r);
		r->pop = 0;
	}
	for (;;) {
		rc = xmlTextReaderRead(r->reader);
		if (rc < 0 || r->io_err != 0 || r->xml_failed)
			return xml_error(r, err);
		if (rc == 0) {
			if (r->depth != 0)
				return eg__xr_fail(r, err, EG_EPARSE, "document ends inside an element");
			return EG__XR_EOF;
		}
		type = xmlTextReaderNodeType(r->reader);
		if (!r->root_seen) {
			if ((rc = check_dtd(r, err)) != 0)
				return rc;
			r->root_seen = type == XML_READER_TYPE_ELEMENT;
		}
		switch (type) {
		case XML_READER_TYPE_ELEMENT: {
			const char *name = (const char *)xmlTextReaderConstLocalName(r->reader);
			if ((rc = push(r, name != NULL ? name : "", err)) != 0)
				return rc;
			if (xmlTextReaderIsEmptyElement(r->reader) == 1)
				r->pending_end = 1;
			return EG__XR_START;
		}
		case XML_READER_TYPE_END_ELEMENT:
			if (r->depth == 0)
				return eg__xr_fail(r, err, EG_EPARSE, "unbalanced end tag");
			set_text(r);
			r->pop = 1;
			return EG__XR_END;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			if (r->skip_depth == 0 &&
			    (rc = add_text(r, (const char *)xmlTextReaderConstValue(r->reader), err)) != 0)
				return rc;
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE: {
			const char *name = (const char *)xmlTextReaderConstName(r->reader);
			char key[80];
			snprintf(key, sizeof(key), "&%s;", name != NULL ? name : "");
			eg__xr_warn_once(r, key, "entity reference %s in %s not expanded", key,
			                 r->path_len > 0 ? r->path : "(document)");
			break;
		}
		default:
			break;
		}
	}
}

int eg__xr_next(eg__xr *r, eg_error *err)
{
	int ev;

	for (;;) {
		ev = next_raw(r, err);
		if (ev <= 0 || r->skip_depth == 0)
			return ev;
		if (ev == EG__XR_END && r->depth == r->skip_depth)
			r->skip_depth = 0;
	}
}

int eg__xr_finish(eg__xr *r, eg_error *err)
{
	char buf[16384];

	r->draining = 1;
	if (r->f != NULL) {
		while (read_cb(r, buf, (int)sizeof(buf)) > 0)
			;
	} else if (r->mem != NULL && r->mem_pos < r->mem_len) {
		size_t rest = r->mem_len - r->mem_pos;
		if (r->ctx->sha != NULL &&
		    eg__sha256_update(r->ctx->sha, r->mem + r->mem_pos, rest) != 0)
			r->io_err = EG_EIO;
		r->mem_pos = r->mem_len;
	}
	if (r->io_err != 0)
		return eg__error_set(err, r->io_err, "%s: %s", r->file,
		                     r->io_err == EG_ETOOBIG ? "input over the cap" : "read error");
	return 0;
}

/* ---- finding the file of a format ---- */

static int has_xml_ext(const char *name)
{
	size_t n = strlen(name);
	const char *e;

	if (n < 4)
		return 0;
	e = name + n - 4;
	return e[0] == '.' && (e[1] == 'x' || e[1] == 'X') && (e[2] == 'm' || e[2] == 'M') &&
	       (e[3] == 'l' || e[3] == 'L');
}

static int contains(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	if (m == 0 || m > n)
		return 0;
	for (i = 0; i + m <= n; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
			return 1;
	return 0;
}

static int file_matches(const char *path, const char *const *markers)
{
	char head[EG__XR_HEAD_BYTES];
	struct stat st;
	FILE *f;
	size_t n, i;

	if (!has_xml_ext(path) || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	for (i = 0; markers[i] != NULL; i++)
		if (contains(head, n, markers[i]))
			return 1;
	return 0;
}

int eg__xr_find(const char *path, const char *const *markers, char **out)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char *found = NULL, *child = NULL;
	int rc = 0, n = 0;

	*out = NULL;
	if (stat(path, &st) != 0)
		return 0;
	if (S_ISREG(st.st_mode)) {
		if (!file_matches(path, markers))
			return 0;
		*out = eg__strdup(path);
		return *out != NULL ? 1 : EG_ENOMEM;
	}
	if (!S_ISDIR(st.st_mode) || (d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t a = strlen(path), b = strlen(de->d_name);
		if (de->d_name[0] == '.' || !has_xml_ext(de->d_name))
			continue;
		child = eg__malloc(a + b + 2);
		if (child == NULL) {
			rc = EG_ENOMEM;
			goto done;
		}
		memcpy(child, path, a);
		child[a] = '/';
		memcpy(child + a + 1, de->d_name, b + 1);
		if (file_matches(child, markers)) {
			n++;
			eg__free(found);
			found = child;
		} else {
			eg__free(child);
		}
		child = NULL;
	}
	if (n == 1) {
		*out = found;
		found = NULL;
		rc = 1;
	}
done:
	closedir(d);
	eg__free(found);
	return rc;
}

int eg__xr_detect(const char *path, const char *const *markers)
{
	char *file = NULL;
	int rc = eg__xr_find(path, markers, &file);

	eg__free(file);
	return rc < 0 ? rc : rc == 1;
}

int eg__xr_resolve(const char *path, const char *const *markers, const char **file,
                   char **owned, eg_error *err)
{
	struct stat st;
	int rc;

	*file = path;
	*owned = NULL;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0;
	rc = eg__xr_find(path, markers, owned);
	if (rc < 0)
		return eg__error_set(err, rc, "%s: out of memory", path);
	if (rc == 0)
		return eg__error_set(err, EG_ENOTFOUND,
		                     "%s: no single XML file of this format in the directory", path);
	*file = *owned;
	return 0;
}

/* ---- whole passes ---- */

int eg__xr_events(eg__xr *r, eg__xr_entity *p, eg__xr_event_fn on_start,
                  eg__xr_event_fn on_end, void *st, eg_error *err)
{
	int ev, rc = 0;

	eg__xr_entity_init(p);
	while ((ev = eg__xr_next(r, err)) > 0) {
		rc = ev == EG__XR_START ? on_start(st, err) : on_end(st, err);
		if (rc != 0)
			goto done;
	}
	rc = ev < 0 ? ev : eg__xr_finish(r, err);
done:
	eg__xr_entity_free(p);
	return rc;
}

/* ---- the entity being read ---- */

void eg__xr_entity_init(eg__xr_entity *p)
{
	memset(p, 0, sizeof(*p));
	eg__arena_init(&p->scratch.arena, 16 * 1024);
	p->e.type = EG_TYPE_UNKNOWN; /* until the parser reads one */
}

void eg__xr_entity_reset(eg__xr_entity *p)
{
	eg__arena_clear(&p->scratch.arena);
	/* the interned attribute keys lived in the cleared arena */
	p->scratch.keys = NULL;
	p->scratch.n_keys = p->scratch.cap_keys = 0;
	memset(&p->e, 0, sizeof(p->e));
	p->e.type = EG_TYPE_UNKNOWN; /* until the parser reads one */
	p->uid = NULL;
	p->primary = NULL;
}

void eg__xr_entity_free(eg__xr_entity *p)
{
	eg__arena_clear(&p->scratch.arena);
	memset(p, 0, sizeof(*p));
}

int eg__xr_keep(eg__xr_entity *p, const char **out, const char *s, size_t len)
{
	*out = NULL;
	if (len == 0)
		return 0;
	*out = eg__arena_strndup(&p->scratch.arena, s, len);
	return *out != NULL ? 0 : EG_ENOMEM;
}

int eg__xr_join(eg__xr_entity *p, const char **out, const char *a, const char *sep,
                const char *b)
{
	size_t la, ls, lb;
	char *s;

	if (a == NULL || a[0] == '\0' || b == NULL || b[0] == '\0') {
		*out = (a != NULL && a[0] != '\0') ? a : (b != NULL && b[0] != '\0') ? b : NULL;
		return 0;
	}
	la = strlen(a);
	ls = strlen(sep);
	lb = strlen(b);
	s = eg__arena_alloc(&p->scratch.arena, la + ls + lb + 1);
	if (s == NULL)
		return EG_ENOMEM;
	memcpy(s, a, la);
	memcpy(s + la, sep, ls);
	memcpy(s + la + ls, b, lb + 1);
	*out = s;
	return 0;
}

static int copy_str(eg__entity_set *set, const char **dst, const char *src)
{
	if (src == NULL)
		return 0;
	return eg__entity_set_str(set, dst, src, strlen(src));
}

int eg__xr_entity_commit(eg__xr *r, eg__xr_entity *p, const char *uid_what,
                         eg_error *err)
{
	eg__entity_set *set = r->ctx->set;
	const eg__entity *s = &p->e;
	eg__entity *e;
	size_t i;
	int dup = 0, rc = 0;

	if (p->uid == NULL)
		return eg__xr_fail(r, err, EG_EPARSE, "entry without %s", uid_what);
	if (p->primary == NULL)
		return eg__xr_fail(r, err, EG_EPARSE, "entry %s has no name", p->uid);
	if (set->n >= EG__CAP_ENTITIES)
		return eg__xr_fail(r, err, EG_ETOOBIG, "more than %u entries", EG__CAP_ENTITIES);
	e = eg__entity_set_add(set, p->uid, strlen(p->uid), &dup);
	if (e == NULL && dup)
		return eg__xr_fail(r, err, EG_EPARSE, "duplicate %s %s", uid_what, p->uid);
	if (e == NULL)
		return eg__xr_fail(r, err, EG_ENOMEM, "out of memory");
	e->type = s->type;
	rc = eg__entity_add_name(set, e, p->primary, strlen(p->primary), EG__NAME_PRIMARY, 0);
	for (i = 0; rc == 0 && i < s->n_names; i++)
		rc = eg__entity_add_name(set, e, s->names[i].text, strlen(s->names[i].text),
		                         (eg__name_kind)s->names[i].kind, s->names[i].weak);
	for (i = 0; rc == 0 && i < s->n_addresses; i++)
		rc = eg__entity_add_address(set, e, &s->addresses[i]);
	for (i = 0; rc == 0 && i < s->n_programs; i++)
		rc = eg__entity_add_program(set, e, s->programs[i], strlen(s->programs[i]));
	for (i = 0; rc == 0 && i < s->n_countries; i++)
		rc = eg__entity_add_country(set, e, s->countries[i], strlen(s->countries[i]));
	for (i = 0; rc == 0 && i < s->n_attrs; i++)
		rc = eg__entity_add_attr(set, e, s->attrs[i].key, s->attrs[i].value,
		                         strlen(s->attrs[i].value));
	if (rc == 0)
		rc = copy_str(set, &e->remarks, s->remarks);
	if (rc == 0)
		rc = copy_str(set, &e->start_date, s->start_date);
	if (rc == 0)
		rc = copy_str(set, &e->end_date, s->end_date);
	return eg__xr_check(r, rc, err);
}

/* ---- one pass of a parser ---- */

/* Opens a zeroed state for ps, runs open() on its reader, the events and
 * ps->finish, and frees the state. */
static int parse_with(const eg__xr_parser *ps, int (*open)(eg__xr *r, const void *ud,
                                                           eg_error *err),
                      const void *ud, eg_error *err)
{
	char *st = eg__calloc(1, ps->state_size);
	eg__xr *r;
	int rc;

	if (st == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	r = (eg__xr *)(st + ps->r_off);
	if ((rc = open(r, ud, err)) == 0)
		rc = eg__xr_events(r, (eg__xr_entity *)(st + ps->p_off), ps->on_start, ps->on_end,
		                   st, err);
	if (rc == 0 && ps->finish != NULL)
		rc = ps->finish(st, err);
	eg__xr_close(r);
	eg__free(st);
	return rc;
}

typedef struct mem_src {
	eg__parse_ctx *ctx;
	const char *data, *name;
	size_t len;
} mem_src;

static int open_mem(eg__xr *r, const void *ud, eg_error *err)
{
	const mem_src *m = ud;

	return eg__xr_open_mem(r, m->ctx, m->data, m->len, m->name, err);
}

int eg__xr_parse_mem(const eg__xr_parser *ps, eg__parse_ctx *ctx, const char *data,
                     size_t len, const char *name, eg_error *err)
{
	mem_src m = {ctx, data, name, len};

	return parse_with(ps, open_mem, &m, err);
}

typedef struct file_src {
	eg__parse_ctx *ctx;
	const char *file;
} file_src;

static int open_file(eg__xr *r, const void *ud, eg_error *err)
{
	const file_src *f = ud;

	return eg__xr_open_file(r, f->ctx, f->file, err);
}

int eg__xr_parse_path(const eg__xr_parser *ps, eg__parse_ctx *ctx, const char *path,
                      eg_error *err)
{
	file_src f = {ctx, NULL};
	char *owned = NULL;
	int rc;

	if ((rc = eg__xr_resolve(path, ps->markers, &f.file, &owned, err)) != 0)
		return rc;
	rc = parse_with(ps, open_file, &f, err);
	eg__free(owned);
	return rc;
}
