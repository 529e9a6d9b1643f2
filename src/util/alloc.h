/* alloc.h - the one allocation hook of the library (see eg_set_allocator). */
#ifndef EG_ALLOC_H
#define EG_ALLOC_H

#include <stddef.h>

void *eg__malloc(size_t size);
void *eg__calloc(size_t n, size_t size); /* overflow-checked, zeroed */
void *eg__realloc(void *ptr, size_t size);
void eg__free(void *ptr);
char *eg__strdup(const char *s);
char *eg__strndup(const char *s, size_t len);
/* Sets *out = a * b; returns 0, or -1 when it overflows size_t. */
int eg__mul_overflow(size_t *out, size_t a, size_t b);

#endif
