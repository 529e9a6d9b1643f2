/* entity.h - the entity model every list parser produces and the store keeps.
 *
 * An eg__entity_set owns one arena; every string and array of its entities
 * lives there and is freed with the set. Entities are appended by parsers in
 * file order; uids are unique within a set (eg__entity_set_find). */
#ifndef EG_ENTITY_H
#define EG_ENTITY_H

#include "exportgate.h"
#include "../util/arena.h"

#include <stddef.h>
#include <stdint.h>

typedef enum eg__name_kind {
	EG__NAME_PRIMARY = 0,
	EG__NAME_AKA,  /* also known as */
	EG__NAME_FKA,  /* formerly known as */
	EG__NAME_NKA   /* now known as */
} eg__name_kind;

typedef struct eg__name {
	const char *text;   /* as the list writes it, UTF-8 */
	uint8_t kind;       /* eg__name_kind */
	uint8_t weak;       /* 1 for a low-quality ("weak") alias */
} eg__name;

typedef struct eg__address {
	const char *street;  /* may be NULL */
	const char *city;    /* city, state, postal code; may be NULL */
	const char *country; /* as written; may be NULL */
	const char *remarks; /* may be NULL */
} eg__address;

/* A named extra fact of a listing (federal_register_notice, license_policy,
 * list name, ...), kept as text. */
typedef struct eg__attr {
	const char *key;
	const char *value;
} eg__attr;

typedef struct eg__entity {
	const char *uid;          /* the source's id, e.g. OFAC ent_num "306" */
	eg__name *names;          /* names[0] is the primary name */
	eg__address *addresses;
	const char **programs;    /* e.g. "IRAN", "SDGT" */
	const char **countries;   /* countries named by the listing, as written */
	eg__attr *attrs;
	const char *remarks;      /* may be NULL */
	const char *start_date;   /* YYYY-MM-DD the listing took effect, or NULL */
	const char *end_date;     /* YYYY-MM-DD it ended, or NULL */
	/* ISO 3166-1 alpha-2 codes of the countries the listing names and of
	 * its addresses' countries, distinct, each packed by EG__ISO_PACK;
	 * filled by eg__entity_set_resolve_countries (NULL before). */
	uint16_t *iso;
	eg_entity_type type;
	/* Counts and capacities of the arrays above: 32 bits, as every one is
	 * capped far below that (EG__CAP_NAMES_PER_ENTITY and the parsers'
	 * caps), which keeps the record at 120 bytes. */
	uint32_t n_names, cap_names;
	uint32_t n_addresses, cap_addresses;
	uint32_t n_programs, cap_programs;
	uint32_t n_countries, cap_countries;
	uint32_t n_attrs, cap_attrs;
	uint32_t n_iso;
} eg__entity;

/* Two upper-case ASCII letters of an alpha-2 code as one number, and back. */
#define EG__ISO_PACK(a, b) ((uint16_t)(((unsigned)(unsigned char)(a) << 8) | (unsigned char)(b)))
#define EG__ISO_FIRST(c) ((char)((c) >> 8))
#define EG__ISO_SECOND(c) ((char)((c) & 0xFF))

typedef struct eg__entity_set {
	eg__arena arena;      /* owns the entities' strings and arrays */
	eg__entity *v;        /* read-only: the entities (own allocation) */
	size_t n;             /* read-only */
	size_t cap;           /* private */
	uint32_t *slots;      /* private: open-addressed uid index, 0 = empty */
	size_t n_slots;       /* private */
	const char *published; /* YYYY-MM-DD read from the data, or NULL */
	const char **keys;     /* private: attribute keys, each copied once */
	size_t n_keys, cap_keys;
} eg__entity_set;

void eg__entity_set_init(eg__entity_set *s);
void eg__entity_set_free(eg__entity_set *s);

/* Makes room for cap entities (no-op when there is room already): until
 * the set holds more, adding one never moves the others. Returns 0 or
 * EG_ENOMEM. */
int eg__entity_set_reserve(eg__entity_set *s, size_t cap);
/* Appends a new entity with a copy of uid and returns it, or NULL when out
 * of memory or when uid is already present (*dup set to 1 then). */
eg__entity *eg__entity_set_add(eg__entity_set *s, const char *uid, size_t uid_len,
                               int *dup);
/* The entity with this uid, or NULL. */
eg__entity *eg__entity_set_find(const eg__entity_set *s, const char *uid, size_t uid_len);

/* Each adder copies its strings into the set's arena and returns 0 or
 * EG_ENOMEM / EG_ETOOBIG (over EG__CAP_NAMES_PER_ENTITY names). Empty text is
 * ignored (returns 0). A name equal to one already present is not added. */
int eg__entity_add_name(eg__entity_set *s, eg__entity *e, const char *text, size_t len,
                        eg__name_kind kind, int weak);
/* Adds every ';'-separated part of text[0..len), trimmed of ASCII spaces,
 * as a name (lists pack several names into one field: "A; B; C"); empty
 * parts are skipped. Returns 0 or the first adder's error. */
int eg__entity_add_names_split(eg__entity_set *s, eg__entity *e, const char *text,
                               size_t len, eg__name_kind kind, int weak);
int eg__entity_add_address(eg__entity_set *s, eg__entity *e, const eg__address *a);
int eg__entity_add_program(eg__entity_set *s, eg__entity *e, const char *text, size_t len);
int eg__entity_add_country(eg__entity_set *s, eg__entity *e, const char *text, size_t len);
int eg__entity_add_attr(eg__entity_set *s, eg__entity *e, const char *key,
                        const char *value, size_t len);
/* Sets a string field (remarks, dates) to a copy; returns 0 or EG_ENOMEM. */
int eg__entity_set_str(eg__entity_set *s, const char **field, const char *text, size_t len);
/* The value of an attribute, or NULL. */
const char *eg__entity_attr(const eg__entity *e, const char *key);

/* Resolves the countries of every entity (its listed countries, ISO codes
 * or names as the list writes them, and its addresses' countries) to ISO
 * 3166-1 alpha-2 codes in e->iso, by eg__isocountry_code_listed
 * (isocountry.h); the published text is kept as it was. Text that names no
 * country is left out (each such string counted in *unresolved when not
 * NULL). May be called again (e.g. after loading a version): the codes are
 * computed afresh. Returns 0 or EG_ENOMEM (err names the entity); the set
 * is then to be discarded. Not thread-safe for one set. */
int eg__entity_set_resolve_countries(eg__entity_set *s, size_t *unresolved, eg_error *err);
/* The same for the entities from position first on (those just appended). */
int eg__entity_set_resolve_countries_from(eg__entity_set *s, size_t first, size_t *unresolved,
                                          eg_error *err);

/* The EG_CARRIES_* kinds of field held by at least one entity of the set:
 * ALIASES a name beyond the primary one that is not weak (weak aliases come
 * from remarks, which a publication without an alias file still has);
 * ADDRESSES an address; DATES a start or end date or a "dob" attribute;
 * COUNTRIES a listed country or an address's country; PROGRAMS a program.
 * Pure; an empty set carries nothing. */
unsigned eg__entity_set_carries(const eg__entity_set *s);

/* Total names (primary and aliases) of the set. */
size_t eg__entity_set_names(const eg__entity_set *s);

const char *eg__name_kind_str(eg__name_kind kind);

#endif
