/* items.h - the item table (data/items.json): control classifications, their categories, and the end-use flags a deal may raise.
 *
 * The table maps each US ECCN ("4D004", "5A001.j") and Wassenaar entry
 * ("4.A.5") the bundled policies know to its categories
 * ("intrusion-software", "ip-surveillance", ...), declares every category
 * (also those of non-listed items, such as "cyber-surveillance") and every
 * end-use flag. Deals and policies are checked against it: an unknown
 * classification, category or flag is an error where it is written.
 *
 * Ownership: an eg__items owns everything it hands out until eg__items_free.
 * Read-only once loaded, so threads may share it. */
#ifndef EG_POLICY_ITEMS_H
#define EG_POLICY_ITEMS_H

#include "exportgate.h"

#include <stddef.h>

#define EG__ITEMS_CAP_FILE_BYTES (1024u * 1024)
#define EG__ITEMS_CAP_ENTRIES    4096  /* items, categories or flags */
#define EG__ITEMS_CAP_ID_BYTES   64    /* one classification, category or flag */
#define EG__ITEMS_CAP_TEXT_BYTES 4096  /* one description or citation */

typedef struct eg__item_entry {
	const char *classification;     /* exact spelling, e.g. "5A001.j" */
	const char *regime;             /* "us-ear" or "wassenaar" */
	const char *const *categories;  /* >= 1, each declared */
	size_t n_categories;
	const char *citation;
	int unverified;                 /* 1: the mapping is [U] in domain.md */
} eg__item_entry;

typedef struct eg__items eg__items;

/* Loads the table at path into a new *out. On error *out is NULL and err
 * names the file and the JSON path of the fault. */
int eg__items_load(eg__items **out, const char *path, eg_error *err);
/* The same from data[0..len); name is used in messages. Fuzzing entry. */
int eg__items_parse_mem(eg__items **out, const char *data, size_t len, const char *name,
                        eg_error *err);
void eg__items_free(eg__items *items); /* NULL: no-op */

const char *eg__items_version(const eg__items *items);
/* The entry of classification (exact match), or NULL. */
const eg__item_entry *eg__items_find(const eg__items *items, const char *classification);
/* 1 when category / flag is declared in the table. */
int eg__items_has_category(const eg__items *items, const char *category);
int eg__items_has_flag(const eg__items *items, const char *flag);

#endif
