/* buf.c - capped growable buffer. Invariant: len < alloc when ptr != NULL,
 * ptr[len] == '\0', and len <= cap. */
#include "exportgate.h"
#include "buf.h"
#include "alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void eg__buf_init(eg__buf *b, size_t cap)
{
	b->ptr = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
}

static int buf_reserve(eg__buf *b, size_t extra)
{
	size_t need, nalloc;
	char *p;

	if (extra > b->cap || b->len > b->cap - extra)
		return EG_ETOOBIG;
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	nalloc = b->alloc ? b->alloc : 32;
	while (nalloc < need)
		nalloc = nalloc > (size_t)-1 / 2 ? need : nalloc * 2;
	if (nalloc > b->cap + 1)
		nalloc = b->cap + 1;
	p = eg__realloc(b->ptr, nalloc);
	if (p == NULL)
		return EG_ENOMEM;
	b->ptr = p;
	b->alloc = nalloc;
	return 0;
}

int eg__buf_add(eg__buf *b, const void *data, size_t len)
{
	int rc = buf_reserve(b, len);

	if (rc != 0)
		return rc;
	if (len > 0)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int eg__buf_adds(eg__buf *b, const char *s)
{
	return eg__buf_add(b, s, strlen(s));
}

int eg__buf_addc(eg__buf *b, char c)
{
	return eg__buf_add(b, &c, 1);
}

int eg__buf_printf(eg__buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return EG_EINVAL;
	rc = buf_reserve(b, (size_t)n);
	if (rc != 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void eg__buf_reset(eg__buf *b)
{
	b->len = 0;
	if (b->ptr != NULL)
		b->ptr[0] = '\0';
}

void eg__buf_free(eg__buf *b)
{
	eg__free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->alloc = 0;
}

const char *eg__buf_str(const eg__buf *b)
{
	return b->ptr ? b->ptr : "";
}
