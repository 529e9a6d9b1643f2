/* engine_screen.c - screening and comparing names in the public API:
 * the versions in force are taken from the catalog, each searched through
 * its index, and the hits, the versions consulted and the sources that
 * could not be consulted gathered into one answer. */
#include "engine_impl.h"
#include "lists/isocountry.h"
#include "match/index.h"
#include "store/asof.h"
#include "text/normalize.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/date.h"
#include "util/error.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 1000
#define DEFAULT_THRESHOLD 0.76

/* The public eg_hits and the memory its strings live in. */
typedef struct hits_block {
	eg_hits pub;
	eg__arena arena;
} hits_block;

double eg_default_threshold(void)
{
	return DEFAULT_THRESHOLD;
}

/* --- screening ----------------------------------------------------------- */

/* Joins strs with "; " into the arena. */
static const char *join(eg__arena *a, const char *const *strs, size_t n)
{
	size_t i, len = 0;
	char *p, *w;

	for (i = 0; i < n; i++)
		len += strlen(strs[i]) + 2;
	p = eg__arena_alloc(a, len + 1);
	if (p == NULL)
		return NULL;
	w = p;
	for (i = 0; i < n; i++) {
		size_t l = strlen(strs[i]);
		if (i > 0) {
			memcpy(w, "; ", 2);
			w += 2;
		}
		memcpy(w, strs[i], l);
		w += l;
	}
	*w = '\0';
	return p;
}

/* Countries of an entity: its listed countries, else its address countries. */
static const char *entity_countries(eg__arena *a, const eg__entity *ent)
{
	const char *tmp[64];
	size_t i, j, n = 0;

	for (i = 0; i < ent->n_countries && n < 64; i++)
		tmp[n++] = ent->countries[i];
	for (i = 0; i < ent->n_addresses && n < 64; i++) {
		const char *c = ent->addresses[i].country;
		if (c == NULL)
			continue;
		for (j = 0; j < n; j++)
			if (strcasecmp(tmp[j], c) == 0)
				break;
		if (j == n)
			tmp[n++] = c;
	}
	return join(a, tmp, n);
}

/* Copies strs[0..n) into the arena. */
static const char *const *copy_strs(eg__arena *a, const char *const *strs, size_t n)
{
	const char **v = eg__arena_calloc(a, n + 1, sizeof(*v));
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		if ((v[i] = eg__arena_strdup(a, strs[i])) == NULL)
			return NULL;
	return v;
}

/* A copy of s in the arena; NULL stays NULL. Sets *oom on failure. */
static const char *dup_opt(eg__arena *a, const char *s, int *oom)
{
	const char *d;

	if (s == NULL)
		return NULL;
	if ((d = eg__arena_strdup(a, s)) == NULL)
		*oom = 1;
	return d;
}

/* The ISO codes of an entity as strings. */
static const char *const *iso_strs(eg__arena *a, const eg__entity *ent)
{
	const char **v = eg__arena_calloc(a, ent->n_iso + 1, sizeof(*v));
	size_t i;

	for (i = 0; v != NULL && i < ent->n_iso; i++) {
		char *c = eg__arena_alloc(a, 3);
		if (c == NULL)
			return NULL;
		c[0] = EG__ISO_FIRST(ent->iso[i]);
		c[1] = EG__ISO_SECOND(ent->iso[i]);
		c[2] = '\0';
		v[i] = c;
	}
	return v;
}

/* Fills h from the match: every string is copied into the answer's arena,
 * as the version may be evicted once the answer is returned. */
static int add_hit(hits_block *hb, eg_hit *h, const eg_consulted *c, const eg__index *ix,
                   const eg__entity *ent, const eg__match *m, const eg__norm *q)
{
	eg__arena *a = &hb->arena;
	const char *const *names;
	eg_token_match *tm;
	int oom = 0;
	size_t i;

	memset(h, 0, sizeof(*h));
	h->size = sizeof(*h);
	h->source = c->source;
	h->published = c->published;
	h->version_id = c->version_id;
	h->uid = dup_opt(a, ent->uid, &oom);
	h->type = ent->type;
	h->score = m->score;
	h->n_tokens = q->n;
	{
		const char **nv = eg__arena_calloc(a, ent->n_names + 1, sizeof(*nv));
		if (nv == NULL)
			return EG_ENOMEM;
		for (i = 0; i < ent->n_names; i++)
			nv[i] = dup_opt(a, ent->names[i].text, &oom);
		names = nv;
	}
	h->names = names;
	h->n_names = ent->n_names;
	h->primary_name = ent->n_names > 0 ? names[0] : "";
	h->matched_name = m->name_no < ent->n_names ? names[m->name_no] : "";
	h->programs = join(a, ent->programs, ent->n_programs);
	h->countries = entity_countries(a, ent);
	h->program_list = copy_strs(a, ent->programs, h->n_programs = ent->n_programs);
	h->country_list = copy_strs(a, ent->countries, h->n_countries = ent->n_countries);
	h->country_codes = iso_strs(a, ent);
	h->n_country_codes = ent->n_iso;
	h->listed_on = dup_opt(a, ent->start_date ? ent->start_date
	                                          : eg__entity_attr(ent, "listed_on"), &oom);
	h->delisted_on = dup_opt(a, ent->end_date, &oom);
	h->list_name = dup_opt(a, eg__entity_attr(ent, "list"), &oom);
	h->citation = eg__entity_attr(ent, "federal_register_notice");
	h->citation = dup_opt(a, h->citation ? h->citation
	                                     : eg__entity_attr(ent, "legal_authority"), &oom);
	h->licence_policy = dup_opt(a, eg__entity_attr(ent, "license_policy"), &oom);
	tm = eg__arena_calloc(a, q->n ? q->n : 1, sizeof(*tm));
	if (oom || tm == NULL || h->programs == NULL || h->countries == NULL ||
	    h->program_list == NULL || h->country_list == NULL || h->country_codes == NULL)
		return EG_ENOMEM;
	for (i = 0; i < q->n; i++) {
		const char *nt = NULL;
		if (m->align.match[i] != EG__NO_MATCH)
			nt = eg__index_name_token(ix, m->name_id, m->align.match[i]);
		tm[i].query_token = eg__arena_strdup(a, q->tok[i].text);
		tm[i].name_token = nt ? eg__arena_strdup(a, nt) : "";
		tm[i].similarity = m->align.sim[i];
		tm[i].weight = m->wq[i];
		if (tm[i].query_token == NULL || tm[i].name_token == NULL)
			return EG_ENOMEM;
	}
	h->tokens = tm;
	return 0;
}

/* A match kept for the answer: which consulted version it came from. */
typedef struct cand {
	eg__match m;
	size_t from;        /* index into the consulted versions */
} cand;

static int cmp_cand(const void *a, const void *b)
{
	const cand *x = a, *y = b;

	if (x->m.score != y->m.score)
		return x->m.score > y->m.score ? -1 : 1;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->m.entity < y->m.entity ? -1 : x->m.entity > y->m.entity;
}

/* What one screen works with, freed by screen_dispose. */
typedef struct screen_ctx {
	eg_engine *e;
	const eg_screen_options *opts;
	eg__versions *vs;
	eg__loaded **loaded;   /* per consulted version */
	eg_consulted *consulted;
	eg_skipped *skipped;
	size_t n_consulted, n_skipped;
	cand *cands;
	size_t n_cands, cap_cands;
	eg__match *matches;    /* one search's: limit of them */
	uint16_t country;      /* the country filter's ISO code, 0: none */
	const eg__pin *pins;   /* versions fixed by the caller, or NULL */
	size_t n_pins;
	hits_block *hb;
	eg__norm *q;
	eg__index_qprep *qp;   /* q's preparation, shared by every search */
	int group;             /* eg_screen_options group (version 2 on) */
} screen_ctx;

static void screen_dispose(screen_ctx *s)
{
	size_t i;

	for (i = 0; s->loaded != NULL && i < s->n_consulted; i++)
		eg__loaded_release(s->loaded[i]);
	eg__free(s->loaded);
	eg__free(s->cands);
	eg__free(s->matches);
	eg__index_qprep_free(s->qp);
	eg__free(s->q);
	eg__versions_release(s->vs);
	if (s->hb != NULL) {
		eg__arena_clear(&s->hb->arena);
		eg__free(s->hb);
	}
}

/* Records that source could not be consulted, and why. */
static int skip_source(screen_ctx *s, const char *source, const char *reason)
{
	eg_skipped *k = &s->skipped[s->n_skipped++];

	k->size = sizeof(*k);
	k->source = eg__arena_strdup(&s->hb->arena, source);
	k->reason = eg__arena_strdup(&s->hb->arena, reason);
	return k->source && k->reason ? 0 : EG_ENOMEM;
}

/* Searches version i of the consulted and keeps its best `limit` matches
 * that pass the filters. */
static int search_one(screen_ctx *s, size_t i, const eg__search_opts *so, size_t limit,
                      eg_error *err)
{
	eg__search_opts o = *so;
	size_t n = 0, scored = 0, k;
	int rc;

	/* The filters apply inside the search, before its cuts: a match a
	 * filter drops never takes another's place, so the search is asked
	 * for `limit` matches. A list reconstructed from a later publication
	 * keeps only the entries known to have been listed on the date. */
	o.dated_only = s->consulted[i].reconstructed;
	if ((rc = eg__index_search(s->loaded[i]->ix, s->matches, limit, &n, &scored, s->q, &o,
	                           err)) != 0)
		return rc;
	s->hb->pub.candidates += scored;
	if (s->n_cands + n > s->cap_cands) {
		size_t ncap = s->cap_cands ? s->cap_cands : 16;
		cand *nc;
		while (ncap < s->n_cands + n)
			ncap *= 2;
		if ((nc = eg__realloc(s->cands, ncap * sizeof(*nc))) == NULL)
			return eg__error_set(err, EG_ENOMEM, "out of memory");
		s->cands = nc;
		s->cap_cands = ncap;
	}
	for (k = 0; k < n; k++) {
		s->cands[s->n_cands].m = s->matches[k];
		s->cands[s->n_cands].from = i;
		s->n_cands++;
	}
	return 0;
}


/* With no version of source published on or before the date, the list on
 * that date is reconstructed from the earliest later publication, when it
 * carries listing dates (docs/catalog.md). Sets *l, or records the skip. */
static int reconstruct(screen_ctx *s, const char *src, const eg_list_version **v,
                       eg__loaded **l, size_t *undated, eg_error *err)
{
	const eg_list_version *first = eg__version_first(s->vs->v, s->vs->n, src);
	char reason[256];
	size_t dated = 0;
	int rc;

	*l = NULL;
	if (first == NULL)
		return skip_source(s, src, "no version stored")
		           ? eg__error_set(err, EG_ENOMEM, "out of memory") : 0;
	if ((rc = eg__catalog_get(s->e->cat, l, first, err)) != 0 ||
	    (rc = eg__catalog_dated(s->e->cat, *l, &dated, undated, err)) != 0)
		return rc;
	if (dated > 0) {
		*v = first;
		return 0;
	}
	eg__loaded_release(*l);
	*l = NULL;
	snprintf(reason, sizeof(reason),
	         "no version in force on %s: its first version, of %.10s, carries no listing "
	         "dates, so the list on that date cannot be reconstructed from it",
	         s->opts->as_of, eg__version_effective(first));
	return skip_source(s, src, reason) ? eg__error_set(err, EG_ENOMEM, "out of memory") : 0;
}

/* Picks the version of every source in force on the date, loads it, or
 * records why it cannot be consulted. */
/* Records v (loaded as l) among the versions the answer consulted. */
static int add_consulted(screen_ctx *s, const eg_list_version *v, eg__loaded *l, int recon,
                         size_t undated, eg_error *err)
{
	eg_consulted *c;

	s->loaded[s->n_consulted] = l;
	c = &s->consulted[s->n_consulted++];
	c->reconstructed = recon;
	c->dropped_undated = recon ? undated : 0;
	c->size = sizeof(*c);
	c->source = eg__arena_strdup(&s->hb->arena, v->source);
	c->version_id = v->id;
	c->published = eg__arena_strdup(&s->hb->arena, v->published);
	c->imported = eg__arena_strdup(&s->hb->arena, v->imported);
	c->missing = EG_CARRIES_ALL & ~v->carries;
	if (c->source == NULL || c->published == NULL || c->imported == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	return 0;
}

/* The pinned version i: its stored version, loaded. */
static int consult_pin(screen_ctx *s, size_t i, const eg_list_version **v, eg__loaded **l,
                       size_t *undated, eg_error *err)
{
	const eg__versions *vs = s->vs;
	size_t k, dated;
	int rc;

	*v = NULL;
	for (k = 0; k < vs->n && *v == NULL; k++)
		if (vs->v[k].id == s->pins[i].version_id)
			*v = &vs->v[k];
	if (*v == NULL)
		return eg__error_set(err, EG_ENOTFOUND, "list version %lld is no longer in the store",
		                     (long long)s->pins[i].version_id);
	if ((rc = eg__catalog_get(s->e->cat, l, *v, err)) != 0)
		return rc;
	if (s->pins[i].reconstructed)
		return eg__catalog_dated(s->e->cat, *l, &dated, undated, err);
	return 0;
}

static int consult(screen_ctx *s, eg_error *err)
{
	const eg__versions *vs = s->vs;
	size_t i, n = s->pins ? s->n_pins : s->opts->source ? 1 : vs->n_sources;
	int rc;

	if (s->pins != NULL) {
		s->loaded = eg__calloc(n ? n : 1, sizeof(*s->loaded));
		s->consulted = eg__arena_calloc(&s->hb->arena, n ? n : 1, sizeof(*s->consulted));
		s->skipped = eg__arena_calloc(&s->hb->arena, 1, sizeof(*s->skipped));
		if (s->loaded == NULL || s->consulted == NULL || s->skipped == NULL)
			return eg__error_set(err, EG_ENOMEM, "out of memory");
		for (i = 0; i < n; i++) {
			const eg_list_version *v;
			eg__loaded *l = NULL;
			size_t undated = 0;
			if ((rc = consult_pin(s, i, &v, &l, &undated, err)) != 0)
				return rc;
			if ((rc = add_consulted(s, v, l, s->pins[i].reconstructed, undated, err)) != 0)
				return rc;
		}
		return 0;
	}
	s->loaded = eg__calloc(n ? n : 1, sizeof(*s->loaded));
	s->consulted = eg__arena_calloc(&s->hb->arena, n ? n : 1, sizeof(*s->consulted));
	s->skipped = eg__arena_calloc(&s->hb->arena, n ? n : 1, sizeof(*s->skipped));
	if (s->loaded == NULL || s->consulted == NULL || s->skipped == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		const char *src = s->opts->source ? s->opts->source : vs->sources[i];
		const eg_list_version *v = eg__version_pick(vs->v, vs->n, src, s->opts->as_of);
		eg__loaded *l = NULL;
		size_t undated = 0;
		int recon = v == NULL;
		if (recon) {
			if ((rc = reconstruct(s, src, &v, &l, &undated, err)) != 0)
				return rc;
			if (l == NULL)
				continue;
		} else if ((rc = eg__catalog_get(s->e->cat, &l, v, err)) != 0) {
			return rc;
		}
		if ((rc = add_consulted(s, v, l, recon, undated, err)) != 0)
			return rc;
	}
	return 0;
}

/* The error of a screen that could consult no version at all. */
static int none_consulted(const screen_ctx *s, eg_error *err)
{
	char msg[512];
	size_t i, len = 0;

	msg[0] = '\0';
	for (i = 0; i < s->n_skipped && len < sizeof(msg); i++) {
		int w = snprintf(msg + len, sizeof(msg) - len, "%s%s: %s", i ? "; " : "",
		                 s->skipped[i].source, s->skipped[i].reason);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	return eg__error_set(err, EG_ENOTFOUND, "no list could be screened: %s", msg);
}

/* Checks the options and the name, and normalises the name into s->q. */
static int screen_prepare(screen_ctx *s, const char *name, size_t len, size_t *limit,
                          eg_error *err)
{
	const eg_screen_options *opts = s->opts;
	int rc;

	if (opts->version < 1 || opts->version > EG_SCREEN_OPTIONS_VERSION)
		return eg__error_set(err, EG_EINVAL, "eg_screen_options: version %u, expected 1 to %u",
		                     opts->version, EG_SCREEN_OPTIONS_VERSION);
	s->group = opts->version >= 2 && opts->group; /* version 1 has no such field */
	if (opts->as_of != NULL && !eg__date_valid(opts->as_of, strlen(opts->as_of)))
		return eg__error_set(err, EG_EINVAL, "as-of date \"%s\": expected YYYY-MM-DD",
		                     opts->as_of);
	/* A threshold above 1 or not a number would answer "no hit" to every
	 * name, a listed one included: refused, never applied. */
	if (!(opts->min_score <= 1.0))
		return eg__error_set(err, EG_EINVAL, "min_score %g: a number from 0 to 1 (below 0: "
		                     "the default threshold)", opts->min_score);
	*limit = opts->limit ? opts->limit : DEFAULT_LIMIT;
	if (*limit > MAX_LIMIT)
		return eg__error_set(err, EG_EINVAL, "limit %zu: at most %d", *limit, MAX_LIMIT);
	if (opts->country != NULL && opts->country[0] != '\0' &&
	    eg__isocountry_code(opts->country, strlen(opts->country), &s->country) != 0)
		return eg__error_set(err, EG_EINVAL,
		                     "country \"%s\": not an ISO 3166-1 alpha-2 code or a country name",
		                     opts->country);
	if ((rc = eg__text_check_query(name, len, err)) != 0)
		return rc;
	s->q = eg__malloc(sizeof(*s->q));
	s->hb = eg__calloc(1, sizeof(*s->hb));
	s->matches = eg__malloc(*limit * sizeof(*s->matches));
	if (s->q == NULL || s->hb == NULL || s->matches == NULL)
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	eg__arena_init(&s->hb->arena, 16 * 1024);
	if ((rc = eg__text_normalize(s->q, name, len, err)) != 0)
		return rc;
	if (s->q->n == 0)
		return eg__error_set(err, EG_EEMPTY, "the name has no letters or digits");
	return eg__index_qprep_new(&s->qp, s->q, err);
}

/* Turns the best `limit` candidates into the answer's hits. */
/* --- one party, several listings ------------------------------------------ */

/* What tells whether two listings are of one party: the primary name with
 * ASCII letters and digits lowered and other ASCII dropped (other bytes
 * kept), the year of birth and the UN reference the listing gives. */
typedef struct party_id {
	char key[256];
	size_t key_len;   /* 0: the name is too long to compare */
	char year[5];     /* "" when not given */
	char un_id[64];   /* an EU or UK listing's UN reference, "" none */
} party_id;

static void party_id_of(party_id *p, const eg__entity *ent)
{
	const char *name = ent->n_names > 0 ? ent->names[0].text : "";
	const char *dob = eg__entity_attr(ent, "dob"), *un = eg__entity_attr(ent, "un_id");
	size_t i, w = 0;

	for (i = 0; name[i] != '\0' && w < sizeof(p->key); i++) {
		unsigned char c = (unsigned char)name[i];
		if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
			p->key[w++] = (char)c;
		else if (c >= 'A' && c <= 'Z')
			p->key[w++] = (char)(c - 'A' + 'a');
	}
	p->key_len = name[i] == '\0' ? w : 0;
	p->year[0] = '\0';
	if (dob != NULL && strlen(dob) >= 4 && dob[0] >= '0' && dob[0] <= '9' && dob[1] >= '0' &&
	    dob[1] <= '9' && dob[2] >= '0' && dob[2] <= '9' && dob[3] >= '0' && dob[3] <= '9') {
		memcpy(p->year, dob, 4);
		p->year[4] = '\0';
	}
	p->un_id[0] = '\0';
	if (un != NULL && strlen(un) < sizeof(p->un_id))
		memcpy(p->un_id, un, strlen(un) + 1);
}

/* Whether one listing names the other: the CSL repeats OFAC's entries as
 * "SDN:306" (or another OFAC program's prefix) for OFAC's "306"; an EU or
 * UK listing gives the UN's reference ("QDi.001"). */
static int cross_ref(const char *src_a, const char *uid_a, const party_id *a, const char *src_b,
                     const char *uid_b, const party_id *b)
{
	const char *c;

	if (strcmp(src_a, "us-csl") == 0 && strncmp(src_b, "us-ofac-", 8) == 0 &&
	    (c = strchr(uid_a, ':')) != NULL && strcmp(c + 1, uid_b) == 0)
		return 1;
	if (strcmp(src_a, "un-sc") == 0 && b->un_id[0] != '\0' && strcmp(b->un_id, uid_a) == 0)
		return 1;
	return a->un_id[0] != '\0' && strcmp(a->un_id, b->un_id) == 0;
}

/* Whether the listing ent (from source, party a) is another listing of hit
 * h's party (b): one names the other (cross_ref); else the same primary
 * name, compatible types, and for a person the same year of birth, for
 * anything else a country in common, each given by both. Two people of one
 * name are common: without a year of birth for both, their listings stay
 * apart. */
static int same_party(const eg_hit *h, const party_id *b, const char *source,
                      const eg__entity *ent, const party_id *a)
{
	eg_entity_type t = h->type != EG_TYPE_UNKNOWN ? h->type : ent->type;
	size_t i, j;

	if (cross_ref(source, ent->uid ? ent->uid : "", a, h->source, h->uid, b) ||
	    cross_ref(h->source, h->uid, b, source, ent->uid ? ent->uid : "", a))
		return 1;
	if (a->key_len == 0 || a->key_len != b->key_len || memcmp(a->key, b->key, a->key_len) != 0)
		return 0;
	if (h->type != ent->type && h->type != EG_TYPE_UNKNOWN && ent->type != EG_TYPE_UNKNOWN)
		return 0;
	if (t == EG_TYPE_INDIVIDUAL)
		return a->year[0] != '\0' && strcmp(a->year, b->year) == 0;
	for (i = 0; i < h->n_country_codes; i++)
		for (j = 0; j < ent->n_iso; j++)
			if (h->country_codes[i][0] == EG__ISO_FIRST(ent->iso[j]) &&
			    h->country_codes[i][1] == EG__ISO_SECOND(ent->iso[j]))
				return 1;
	return 0;
}

/* Whether hit h or one of its other listings comes from source. */
static int group_has(const eg_hit *h, const char *source)
{
	size_t i;

	if (strcmp(h->source, source) == 0)
		return 1;
	for (i = 0; i < h->n_also; i++)
		if (strcmp(h->also[i].source, source) == 0)
			return 1;
	return 0;
}

/* Adds the listing ent, matched by m in consulted version c, to h's other
 * listings (room for one per consulted version, made at the first). */
static int add_also(screen_ctx *s, eg_hit *h, const eg_consulted *c, const eg__entity *ent,
                    const eg__match *m)
{
	eg__arena *a = &s->hb->arena;
	eg_hit_also *al;
	int oom = 0;

	if (h->also == NULL &&
	    (h->also = eg__arena_calloc(a, s->n_consulted, sizeof(eg_hit_also))) == NULL)
		return EG_ENOMEM;
	al = (eg_hit_also *)&h->also[h->n_also++];
	al->size = sizeof(*al);
	al->source = c->source;
	al->published = c->published;
	al->version_id = c->version_id;
	al->uid = dup_opt(a, ent->uid, &oom);
	al->primary_name = dup_opt(a, ent->n_names > 0 ? ent->names[0].text : "", &oom);
	al->list_name = dup_opt(a, eg__entity_attr(ent, "list"), &oom);
	al->score = m->score;
	return oom ? EG_ENOMEM : 0;
}

/* Turns the best candidates into the answer's hits, at most limit of them.
 * Grouping, a candidate that is another listing of a hit's party joins that
 * hit (every candidate is looked at, so that a hit names all it can). */
static int make_hits(screen_ctx *s, size_t limit, eg_error *err)
{
	size_t cap = s->n_cands < limit ? s->n_cands : limit, n = 0, i, k;
	eg__entity_set scratch;
	party_id *ids = NULL, cur;
	eg_hit *hits;
	int rc = 0;

	if (s->n_cands > 1)
		qsort(s->cands, s->n_cands, sizeof(*s->cands), cmp_cand);
	hits = eg__arena_calloc(&s->hb->arena, cap ? cap : 1, sizeof(*hits));
	if (hits == NULL || (s->group && (ids = eg__malloc((cap ? cap : 1) * sizeof(*ids))) == NULL))
		return eg__error_set(err, EG_ENOMEM, "out of memory");
	eg__entity_set_init(&scratch);
	for (i = 0; rc == 0 && i < s->n_cands && (s->group || n < cap); i++) {
		const cand *c = &s->cands[i];
		const eg__loaded *l = s->loaded[c->from];
		const eg_consulted *co = &s->consulted[c->from];
		const eg__entity *ent;
		if ((rc = eg__catalog_entities(s->e->cat, l, &scratch, &c->m.entity, 1, &ent,
		                               err)) != 0)
			break;
		if (s->group) {
			party_id_of(&cur, ent);
			for (k = 0; k < n; k++)
				if (!group_has(&hits[k], co->source) &&
				    same_party(&hits[k], &ids[k], co->source, ent, &cur))
					break;
			if (k < n) {
				if (add_also(s, &hits[k], co, ent, &c->m) != 0)
					rc = eg__error_set(err, EG_ENOMEM, "out of memory");
				continue;
			}
			if (n == cap)
				continue;
			ids[n] = cur;
		}
		/* add_hit copies what it keeps: scratch goes below */
		if (add_hit(s->hb, &hits[n], co, l->ix, ent, &c->m, s->q) != 0)
			rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		n++;
	}
	eg__entity_set_free(&scratch);
	eg__free(ids);
	if (rc != 0)
		return rc;
	s->hb->pub.count = n;
	s->hb->pub.hits = hits;
	return 0;
}

int eg_screen(eg_engine *e, eg_hits **out, const char *name, size_t len,
              const eg_screen_options *opts, eg_error *err)
{
	return eg__screen_pinned(e, out, name, len, opts, NULL, 0, err);
}

int eg__screen_pinned(eg_engine *e, eg_hits **out, const char *name, size_t len,
                      const eg_screen_options *opts, const eg__pin *pins, size_t n_pins,
                      eg_error *err)
{
	eg_screen_options defaults = EG_SCREEN_OPTIONS_INIT;
	screen_ctx s;
	eg__search_opts so;
	char today[11];
	const char *date;
	size_t limit = 0, i;
	int rc;

	eg__error_clear(err);
	*out = NULL;
	memset(&s, 0, sizeof(s));
	s.e = e;
	s.opts = opts ? opts : &defaults;
	s.pins = pins;
	s.n_pins = n_pins;
	if ((rc = screen_prepare(&s, name, len, &limit, err)) != 0 ||
	    (rc = eg__catalog_versions(e->cat, &s.vs, err)) != 0)
		goto done;
	if (s.vs->n == 0) {
		rc = eg__error_set(err, EG_ENOTFOUND,
		                   "no list imported yet: run `exportgate import` first");
		goto done;
	}
	if ((rc = consult(&s, err)) != 0)
		goto done;
	if (s.n_consulted == 0) {
		rc = none_consulted(&s, err);
		goto done;
	}
	eg__date_today(today);
	date = s.opts->as_of ? s.opts->as_of : today;
	memset(&so, 0, sizeof(so));
	so.type = s.opts->type;
	so.countries = &s.country;
	so.n_countries = s.country != 0;
	so.date = (int32_t)strtol(date, NULL, 10) * 10000 + (int32_t)strtol(date + 5, NULL, 10) * 100 +
	          (int32_t)strtol(date + 8, NULL, 10);
	so.min_score = s.opts->min_score >= 0 ? s.opts->min_score : DEFAULT_THRESHOLD;
	so.max_candidates = 0;
	so.qprep = s.qp;
	s.hb->pub.threshold = so.min_score;
	for (i = 0; i < s.n_consulted; i++)
		if ((rc = search_one(&s, i, &so, limit, err)) != 0)
			goto done;
	if ((rc = make_hits(&s, limit, err)) != 0)
		goto done;
	s.hb->pub.size = sizeof(s.hb->pub);
	s.hb->pub.n_consulted = s.n_consulted;
	s.hb->pub.consulted = s.consulted;
	s.hb->pub.n_skipped = s.n_skipped;
	s.hb->pub.skipped = s.skipped;
	*out = &s.hb->pub;
	s.hb = NULL;
done:
	screen_dispose(&s);
	return rc;
}

void eg_hits_free(eg_hits *hits)
{
	hits_block *hb = (hits_block *)hits;

	if (hb == NULL)
		return;
	eg__arena_clear(&hb->arena);
	eg__free(hb);
}

const eg_hit *eg_hits_at(const eg_hits *hits, size_t i)
{
	return hits != NULL && i < hits->count ? &hits->hits[i] : NULL;
}

const eg_hit_also *eg_hit_also_at(const eg_hit *hit, size_t i)
{
	/* a hit of a library without `also` is shorter than this one's */
	if (hit == NULL || hit->size < offsetof(eg_hit, also) + sizeof(hit->also) ||
	    i >= hit->n_also)
		return NULL;
	return (const eg_hit_also *)(const void *)((const char *)hit->also +
	                                            i * hit->also[0].size);
}

const eg_consulted *eg_hits_consulted(const eg_hits *hits, size_t i)
{
	return hits != NULL && i < hits->n_consulted ? &hits->consulted[i] : NULL;
}

const eg_skipped *eg_hits_skipped(const eg_hits *hits, size_t i)
{
	return hits != NULL && i < hits->n_skipped ? &hits->skipped[i] : NULL;
}

int eg_prepare(eg_engine *e, size_t *loaded, eg_error *err)
{
	eg__versions *vs = NULL;
	char today[11];
	size_t i;
	int rc;

	eg__error_clear(err);
	*loaded = 0;
	if ((rc = eg__catalog_versions(e->cat, &vs, err)) != 0)
		return rc;
	eg__date_today(today);
	for (i = 0; rc == 0 && i < vs->n_sources; i++) {
		const eg_list_version *v = eg__version_pick(vs->v, vs->n, vs->sources[i], today);
		eg__loaded *l = NULL;
		if (v == NULL)
			continue;
		if ((rc = eg__catalog_get(e->cat, &l, v, err)) == 0)
			(*loaded)++;
		eg__loaded_release(l);
	}
	eg__versions_release(vs);
	return rc;
}

/* --- compare ------------------------------------------------------------- */

int eg_compare(eg_engine *e, double *out, const char *a, size_t alen, const char *b,
               size_t blen, eg_error *err)
{
	eg__norm *na = NULL, *nb = NULL;
	eg__versions *vs = NULL;
	eg__loaded *best = NULL;
	size_t i;
	int rc;

	eg__error_clear(err);
	*out = 0.0;
	if ((rc = eg__text_check_query(a, alen, err)) != 0 ||
	    (rc = eg__text_check_query(b, blen, err)) != 0)
		return rc;
	/* Token weights come from the largest newest version in the store. */
	if ((rc = eg__catalog_versions(e->cat, &vs, err)) != 0)
		return rc;
	for (i = 0; i < vs->n_sources; i++) {
		const eg_list_version *v = eg__version_pick(vs->v, vs->n, vs->sources[i], NULL);
		if (v != NULL && (best == NULL || v->names > best->v.names)) {
			eg__loaded *l;
			if ((rc = eg__catalog_get(e->cat, &l, v, err)) != 0)
				goto done;
			eg__loaded_release(best);
			best = l;
		}
	}
	if (best == NULL) {
		rc = eg__error_set(err, EG_ENOTFOUND,
		                   "no list imported yet: token weights come from the lists");
		goto done;
	}
	na = eg__malloc(sizeof(*na));
	nb = eg__malloc(sizeof(*nb));
	if (na == NULL || nb == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = eg__text_normalize(na, a, alen, err)) != 0 ||
	    (rc = eg__text_normalize(nb, b, blen, err)) != 0)
		goto done;
	*out = eg__index_compare(best->ix, na, nb);
done:
	eg__free(na);
	eg__free(nb);
	eg__loaded_release(best);
	eg__versions_release(vs);
	return rc;
}
