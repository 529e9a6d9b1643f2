/* arena.c - region allocator. Invariant: head->used <= head->size, and every
 * pointer handed out lies inside one block, aligned to ARENA_ALIGN except
 * the strings of eg__arena_strndup, which are packed byte to byte. */
#include "arena.h"
#include "alloc.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#define ARENA_ALIGN alignof(max_align_t)

struct eg__arena_block {
	eg__arena_block *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

void eg__arena_init(eg__arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 64 * 1024;
	a->used_bytes = 0;
	a->reserved_bytes = 0;
}

/* Returns size bytes at an offset that is a multiple of align (1 or
 * ARENA_ALIGN) in the head block, opening a block when needed. */
static void *arena_take(eg__arena *a, size_t size, size_t align)
{
	eg__arena_block *b = a->head;
	size_t start = b ? (b->used + align - 1) & ~(align - 1) : 0;
	void *p;

	if (size > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	if (b == NULL || start > b->size || b->size - start < size) {
		size_t payload = size > a->block_size ? size : a->block_size;
		if (payload > SIZE_MAX - sizeof(*b))
			return NULL;
		b = eg__malloc(sizeof(*b) + payload);
		if (b == NULL)
			return NULL;
		b->size = payload;
		b->used = 0;
		/* A large one-off block goes behind the head so the head's free
		 * room stays usable for small allocations. */
		if (a->head != NULL && payload > a->block_size) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
		a->reserved_bytes += sizeof(*b) + payload;
		start = 0;
	}
	p = b->data + start;
	a->used_bytes += start + size - b->used;
	b->used = start + size;
	return p;
}

void *eg__arena_alloc(eg__arena *a, size_t size)
{
	return arena_take(a, size ? size : 1, ARENA_ALIGN);
}

void *eg__arena_calloc(eg__arena *a, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (eg__mul_overflow(&total, n, size) != 0)
		return NULL;
	p = eg__arena_alloc(a, total);
	if (p != NULL)
		memset(p, 0, total);
	return p;
}

char *eg__arena_strndup(eg__arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	/* text needs no alignment: strings are packed */
	p = arena_take(a, len + 1, 1);
	if (p != NULL) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *eg__arena_strdup(eg__arena *a, const char *s)
{
	return eg__arena_strndup(a, s, strlen(s));
}

void *eg__arena_grow(eg__arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p;

	if (ncap < *cap)
		return NULL;
	p = eg__arena_calloc(a, ncap, size);
	if (p == NULL)
		return NULL;
	if (n > 0)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

/* Frees the blocks of the list from b on. */
static void free_blocks(eg__arena_block *b)
{
	while (b != NULL) {
		eg__arena_block *next = b->next;
		eg__free(b);
		b = next;
	}
}

void eg__arena_rewind(eg__arena *a)
{
	eg__arena_block *keep = a->head;

	if (keep == NULL || keep->size != a->block_size) {
		eg__arena_clear(a);
		return;
	}
	free_blocks(keep->next);
	keep->next = NULL;
	keep->used = 0;
	a->used_bytes = 0;
	a->reserved_bytes = sizeof(*keep) + keep->size;
}

void eg__arena_clear(eg__arena *a)
{
	free_blocks(a->head);
	a->head = NULL;
	a->used_bytes = 0;
	a->reserved_bytes = 0;
}
