/* arena.h - a region allocator: many small allocations, freed at once.
 * Used per import (the entity set) and per request. */
#ifndef EG_ARENA_H
#define EG_ARENA_H

#include <stddef.h>

typedef struct eg__arena_block eg__arena_block;

typedef struct eg__arena {
	eg__arena_block *head; /* private: newest block first */
	size_t block_size;     /* private: default block payload */
	size_t used_bytes;     /* read-only: bytes handed out, for memory figures */
	size_t reserved_bytes; /* read-only: bytes obtained from the allocator */
} eg__arena;

/* Initialises an empty arena; block_size 0 picks 64 KiB. Cannot fail. */
void eg__arena_init(eg__arena *a, size_t block_size);
/* Returns size bytes aligned for any type, or NULL when out of memory
 * (the arena is then unchanged). Memory is not zeroed. */
void *eg__arena_alloc(eg__arena *a, size_t size);
/* Zeroed, overflow-checked n * size bytes, or NULL. */
void *eg__arena_calloc(eg__arena *a, size_t n, size_t size);
/* A NUL-terminated copy of len bytes of s, or NULL. Strings are packed
 * without alignment. */
char *eg__arena_strndup(eg__arena *a, const char *s, size_t len);
char *eg__arena_strdup(eg__arena *a, const char *s);
/* Grows an arena array: returns a copy of old (n elements of size) with
 * room for *cap elements, doubling *cap; NULL when out of memory. */
void *eg__arena_grow(eg__arena *a, void *old, size_t n, size_t *cap, size_t size);
/* Releases every block; the arena is empty and reusable. */
void eg__arena_clear(eg__arena *a);
/* Empties the arena but keeps its newest block of the default size for
 * the next allocations: for scratch space used over and over. Every
 * pointer handed out before is invalid. */
void eg__arena_rewind(eg__arena *a);

#endif
