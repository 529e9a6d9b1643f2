/* buf.h - a growable byte buffer with a named size cap (after curl's dynbuf).
 * The content is always NUL-terminated once anything was added. */
#ifndef EG_BUF_H
#define EG_BUF_H

#include <stddef.h>

typedef struct eg__buf {
	char *ptr;     /* read-only: content, NUL-terminated, or NULL if empty */
	size_t len;    /* read-only: bytes of content, without the NUL */
	size_t alloc;  /* private */
	size_t cap;    /* private: the most bytes of content allowed */
} eg__buf;

/* Initialises an empty buffer that may hold up to cap bytes. Cannot fail. */
void eg__buf_init(eg__buf *b, size_t cap);
/* Appends len bytes. Returns 0, EG_ETOOBIG past the cap or EG_ENOMEM;
 * on error the buffer is unchanged. */
int eg__buf_add(eg__buf *b, const void *data, size_t len);
int eg__buf_adds(eg__buf *b, const char *s);
int eg__buf_addc(eg__buf *b, char c);
int eg__buf_printf(eg__buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Empties the buffer, keeping its memory. */
void eg__buf_reset(eg__buf *b);
/* Frees the memory; the buffer is empty and reusable. */
void eg__buf_free(eg__buf *b);
/* Returns the content ("" if empty); never NULL. */
const char *eg__buf_str(const eg__buf *b);

#endif
