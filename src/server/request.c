/* request.c - what every handler uses to read a request and answer it:
 * errors as JSON, the body parsed, unknown fields refused. Apart from the
 * daemon (server.c) and libmicrohttpd, so that the handlers can be driven
 * without a socket (fuzz/fuzz_http.c gives them requests directly). */
#include "server.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s (1 to 4), 0 when s does not
 * start one: overlong forms, surrogates and code points past U+10FFFF are
 * refused, as jansson refuses them. */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
			return 0;
		return (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
			return 0;
		return (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* Makes s valid UTF-8 in place, each byte that starts no valid sequence
 * becoming '?'. A message quotes what the client sent ("%.64s" may also
 * cut a character in two), and jansson refuses a string that is not UTF-8:
 * the answer would be lost. */
static void utf8_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t n = utf8_seq(p);
		if (n == 0)
			*p++ = '?';
		else
			p += n;
	}
}

int srv_error(srv_req *r, int status, const char *code, const char *field,
              const char *fmt, ...)
{
	char msg[600], f[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utf8_clean(msg);
	if (field != NULL) {
		snprintf(f, sizeof(f), "%s", field);
		utf8_clean(f);
		field = f;
	}
	json_decref(r->json);
	r->json = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", msg,
	                    "field", field);
	r->status = status;
	return 0;
}

int srv_engine_error(srv_req *r, const eg_error *err, const char *field)
{
	const char *msg = err->message[0] ? err->message : eg_strerror(err->code);
	const char *path = strstr(msg, "$.");
	char f[128];
	int status;
	const char *code;

	if (path == NULL)
		path = strstr(msg, "$[");
	if (path != NULL) {
		size_t n = strcspn(path, ": ,\"");
		snprintf(f, sizeof(f), "%.*s", (int)(n < 120 ? n : 120), path);
		field = f;
	}
	switch (err->code) {
	case EG_EPARSE: status = 400; code = "bad_json"; break;
	case EG_EINVAL: case EG_EUTF8: case EG_EEMPTY: status = 422; code = "invalid"; break;
	case EG_ETOOBIG: status = 413; code = "too_big"; break;
	case EG_ENOTFOUND: status = 404; code = "not_found"; break;
	case EG_ESTORE: case EG_ENOMEM: case EG_EIO: status = 503; code = "unavailable"; break;
	case EG_EUNSUPPORTED: status = 422; code = "unsupported"; break;
	default: status = 500; code = "internal"; break;
	}
	return srv_error(r, status, code, field, "%s", msg);
}

json_t *srv_body_json(srv_req *r)
{
	json_error_t je;
	json_t *j;

	j = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL) {
		srv_error(r, 400, "bad_json", NULL, "the body is not JSON: line %d column %d: %s",
		          je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		srv_error(r, 422, "invalid", "$", "the body is a JSON object");
		return NULL;
	}
	return j;
}

int srv_only_keys(srv_req *r, json_t *obj, const char *prefix, const char *const *allowed)
{
	const char *k;
	json_t *v;
	size_t i;
	char f[96];

	json_object_foreach(obj, k, v) {
		int ok = 0;
		for (i = 0; allowed[i] != NULL && !ok; i++)
			ok = strcmp(k, allowed[i]) == 0;
		if (!ok) {
			snprintf(f, sizeof(f), "%s%.64s", prefix, k);
			srv_error(r, 422, "unknown_field", f, "unknown field \"%.64s\"", k);
			return -1;
		}
	}
	return 0;
}
