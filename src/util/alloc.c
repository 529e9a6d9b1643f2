/* alloc.c - routes every allocation through the caller's hook. */
#include "exportgate.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static void *std_malloc(size_t size, void *ud) { (void)ud; return malloc(size); }
static void *std_realloc(void *p, size_t size, void *ud) { (void)ud; return realloc(p, size); }
static void std_free(void *p, void *ud) { (void)ud; free(p); }

static eg_allocator current = {std_malloc, std_realloc, std_free, NULL};

void eg_set_allocator(const eg_allocator *alloc)
{
	if (alloc == NULL) {
		current.malloc_fn = std_malloc;
		current.realloc_fn = std_realloc;
		current.free_fn = std_free;
		current.ud = NULL;
	} else {
		current = *alloc;
	}
}

void *eg__malloc(size_t size)
{
	return current.malloc_fn(size ? size : 1, current.ud);
}

void *eg__calloc(size_t n, size_t size)
{
	size_t total;
	void *p;

	if (eg__mul_overflow(&total, n, size) != 0)
		return NULL;
	p = eg__malloc(total);
	if (p != NULL)
		memset(p, 0, total);
	return p;
}

void *eg__realloc(void *ptr, size_t size)
{
	return current.realloc_fn(ptr, size ? size : 1, current.ud);
}

void eg__free(void *ptr)
{
	if (ptr != NULL)
		current.free_fn(ptr, current.ud);
}

char *eg__strndup(const char *s, size_t len)
{
	char *p = eg__malloc(len + 1);

	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *eg__strdup(const char *s)
{
	return eg__strndup(s, strlen(s));
}

int eg__mul_overflow(size_t *out, size_t a, size_t b)
{
	if (a != 0 && b > (size_t)-1 / a)
		return -1;
	*out = a * b;
	return 0;
}
