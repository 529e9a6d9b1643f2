/* deal.h - a deal to decide (docs/deals.md): parsed, validated, every fault named by its JSON path.
 *
 * A deal names its date, exporter, items, destination, parties and end use,
 * and optionally the policies to apply. Parsing checks every field: dates
 * are calendar dates, countries ISO 3166-1 alpha-2 codes present in the
 * iso-codes table, classifications present in the item table, categories and
 * end-use flags declared in it, roles and party types from the fixed sets of
 * the format. Sizes are capped (EG__DEAL_CAP_*); reaching a cap is
 * EG_ETOOBIG, never a silent cut.
 *
 * Ownership: an eg__deal owns all its strings until eg__deal_free. */
#ifndef EG_POLICY_DEAL_H
#define EG_POLICY_DEAL_H

#include "exportgate.h"
#include "items.h"
#include "../lists/countries.h"

#include <jansson.h>
#include <stddef.h>

#define EG__DEAL_CAP_BYTES      (256u * 1024) /* one deal document */
#define EG__DEAL_CAP_ITEMS      64
#define EG__DEAL_CAP_PARTIES    64
#define EG__DEAL_CAP_CATEGORIES 16    /* categories given for one item */
#define EG__DEAL_CAP_STATEMENTS 32
#define EG__DEAL_CAP_FLAGS      32
#define EG__DEAL_CAP_POLICIES   16
#define EG__DEAL_CAP_NAME_BYTES 1024  /* a party or exporter name (EG__CAP_QUERY_BYTES) */
#define EG__DEAL_CAP_TEXT_BYTES 4096  /* one end-use statement or reference */
#define EG__DEAL_CAP_ID_BYTES   64    /* a classification, category, flag or policy id */

/* The roles and types of the format, in the order messages list them. */
extern const char *const eg__deal_roles[];   /* NULL-terminated */
extern const char *const eg__deal_types[];   /* NULL-terminated */

typedef struct eg__deal_item {
	const char *classification;    /* NULL for a non-listed item */
	/* The categories the item table gives its classification, then those
	 * the deal adds, without duplicates. */
	const char *const *categories;
	size_t n_categories;
} eg__deal_item;

typedef struct eg__deal_party {
	const char *role;   /* one of eg__deal_roles */
	const char *name;
	char country[3];
	const char *type;   /* one of eg__deal_types */
} eg__deal_party;

typedef struct eg__deal {
	char date[11];
	const char *reference;        /* NULL when none */
	const char *exporter_name;
	char exporter_country[3];
	const eg__deal_item *items;   size_t n_items;     /* >= 1 */
	char destination[3];
	const eg__deal_party *parties; size_t n_parties;  /* >= 1 */
	const char *const *statements; size_t n_statements;
	const char *const *flags;      size_t n_flags;
	const char *const *policies;   size_t n_policies; /* 0: the exporter's */
} eg__deal;

/* Parses and validates the deal held in data[0..len) (not NUL-terminated)
 * into a new *out. items and iso are required. Malformed JSON is EG_EPARSE
 * (line and column); any invalid field EG_EINVAL and a cap EG_ETOOBIG, the
 * message naming the JSON path, e.g.
 *   deal: $.parties[1].role: "buyer" is not a role (end_user, ...)
 * On error *out is NULL. Thread-safe (items and iso are only read). */
int eg__deal_parse(eg__deal **out, const char *data, size_t len, const eg__items *items,
                   const eg__iso_codes *iso, eg_error *err);
/* The same from a jansson tree (not modified, not kept). */
int eg__deal_from_json(eg__deal **out, const json_t *root, const eg__items *items,
                       const eg__iso_codes *iso, eg_error *err);
void eg__deal_free(eg__deal *deal); /* NULL: no-op */

#endif
