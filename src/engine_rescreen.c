/* engine_rescreen.c - re-screening on a list update (delta screening): the
 * parties of every logged decision screened against only the entries a new
 * version added or changed, and the decisions they touch decided again
 * with today's lists, to say which would now come out differently.
 *
 * The new entries get an index of their own (a few hundred names for an
 * SDN update), so each logged party costs one normalisation and one small
 * search, not a screen of every list. */
#include "engine_impl.h"
#include "lists/diff.h"
#include "match/index.h"
#include "store/store.h"
#include "text/normalize.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Matches of one party kept at most, per update. */
#define RESCREEN_MATCHES 8

typedef eg__update update;

typedef struct rescreen {
	eg_engine *e;
	update *u;
	size_t n_u;
	eg__norm *q;
	eg__match m[RESCREEN_MATCHES];
	json_t *hits;               /* [{decision, party, name, source, uid, ...}] */
	json_t *touched;            /* decision indexes, each once, in order */
	uint64_t decisions, parties;
} rescreen;

void eg__update_dispose(eg__update *u)
{
	eg__index_free(u->ix);
	eg__free(u->ents);
	eg__entity_set_free(&u->set);
}

int eg__update_prepare(eg_engine *e, eg__update *u, const eg_list_version *v, eg_error *err)
{
	eg__entity_set prev;
	eg__arena arena;
	eg_diff d;
	eg__store *store;
	size_t i;
	int rc;

	memset(u, 0, sizeof(*u));
	u->to = *v;
	eg__entity_set_init(&u->set);
	eg__entity_set_init(&prev);
	eg__arena_init(&arena, 64 * 1024);
	store = eg__catalog_lock(e->cat);
	rc = eg__store_previous_version(store, &u->from, v, err);
	if (rc == EG_ENOTFOUND) {
		eg__error_clear(err);
		u->first = 1;
		rc = 0;
	}
	if (rc == 0)
		rc = eg__store_load(store, &u->set, v->id, err);
	if (rc == 0 && !u->first)
		rc = eg__store_load(store, &prev, u->from.id, err);
	eg__catalog_unlock(e->cat);
	if (rc == 0 && (rc = eg__entity_set_resolve_countries(&u->set, NULL, err)) == 0 &&
	    !u->first)
		rc = eg__entity_set_resolve_countries(&prev, NULL, err);
	if (rc != 0)
		goto done;
	memset(&d, 0, sizeof(d));
	d.from = u->from;
	d.to = u->to;
	if (!u->first && (rc = eg__diff_sets(&d, &arena, &prev, &u->set)) != 0) {
		rc = eg__error_set(err, rc, "rescreen: diff: out of memory");
		goto done;
	}
	u->ents = eg__calloc(u->first ? u->set.n + 1 : d.count + 1, sizeof(*u->ents));
	if (u->ents == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; u->first && i < u->set.n; i++)
		u->ents[u->n_ents++] = &u->set.v[i];
	u->added = u->first ? u->set.n : d.added;
	u->changed = d.changed;
	for (i = 0; !u->first && i < d.count; i++) {
		const eg_diff_entry *en = &d.entries[i];
		const eg__entity *x;
		if (en->kind == EG_DIFF_REMOVED)
			continue;
		if ((x = eg__entity_set_find(&u->set, en->uid, strlen(en->uid))) != NULL)
			u->ents[u->n_ents++] = x;
	}
	{
		eg__index_builder *b = NULL;
		size_t k;
		if ((rc = eg__index_builder_new(&b, err)) != 0)
			goto done;
		for (i = 0; rc == 0 && i < u->n_ents; i++)
			for (k = 0; rc == 0 && k < u->ents[i]->n_names; k++) {
				const eg__name *nm = &u->ents[i]->names[k];
				rc = eg__index_builder_add(b, (uint32_t)i, (uint16_t)k, u->ents[i]->type,
				                           nm->weak, nm->text, strlen(nm->text), err);
				if (rc == EG_EUTF8 || rc == EG_EINVAL || rc == EG_ETOOBIG) {
					eg__error_clear(err);
					rc = 0; /* a name the index cannot take is skipped, as at import */
				}
			}
		if (rc != 0) {
			eg__index_builder_free(b);
			goto done;
		}
		rc = eg__index_builder_finish(b, &u->ix, err);
	}
done:
	eg__arena_clear(&arena);
	eg__entity_set_free(&prev);
	return rc;
}

/* 1 when the decision screened version id already: its entries are not
 * new to it. */
static int consulted(const json_t *lists, int64_t id)
{
	const json_t *v;
	size_t i;

	json_array_foreach(lists, i, v)
		if (json_integer_value(json_object_get(v, "version_id")) == id)
			return 1;
	return 0;
}

/* Screens one party name against every update the decision has not seen. */
static int screen_party(rescreen *r, uint64_t index, const json_t *lists, size_t party,
                        const char *name, eg_error *err)
{
	eg__search_opts so;
	eg__index_qprep *qp = NULL;
	size_t i, k, n;
	int rc = 0, hit = 0;

	if (eg__text_normalize(r->q, name, strlen(name), err) != 0 || r->q->n == 0) {
		eg__error_clear(err);
		return 0; /* a logged name that no longer normalises cannot match */
	}
	r->parties++;
	if ((rc = eg__index_qprep_new(&qp, r->q, err)) != 0)
		return rc;
	memset(&so, 0, sizeof(so));
	so.min_score = eg_default_threshold();
	so.qprep = qp;
	for (i = 0; i < r->n_u; i++) {
		if (r->u[i].n_ents == 0 || consulted(lists, r->u[i].to.id))
			continue;
		if ((rc = eg__index_search(r->u[i].ix, r->m, RESCREEN_MATCHES, &n, NULL, r->q, &so,
		                           err)) != 0)
			break;
		for (k = 0; k < n; k++) {
			const eg__entity *x = r->u[i].ents[r->m[k].entity];
			json_array_append_new(r->hits, json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:f}",
			    "decision", (json_int_t)index, "party", (json_int_t)party, "party_name", name,
			    "source", r->u[i].to.source, "version_id", (json_int_t)r->u[i].to.id,
			    "uid", x->uid, "matched_name", x->names[r->m[k].name_no].text,
			    "score", r->m[k].score));
			hit = 1;
		}
	}
	if (hit) {
		json_t *last = json_array_get(r->touched, json_array_size(r->touched) - 1);
		if (last == NULL || (uint64_t)json_integer_value(last) != index)
			json_array_append_new(r->touched, json_integer((json_int_t)index));
	}
	eg__index_qprep_free(qp);
	return rc;
}

/* The parties of one logged record, when it is a decision. */
static int each_record(void *ud, uint64_t index, const char *payload, size_t len,
                       eg_error *err)
{
	rescreen *r = ud;
	json_t *rec = json_loadb(payload, len, 0, NULL), *p, *lists;
	const char *kind = json_string_value(json_object_get(rec, "record"));
	size_t i;
	int rc = 0;

	if (kind != NULL && strcmp(kind, "decision") == 0) {
		r->decisions++;
		lists = json_object_get(json_object_get(rec, "decision"), "lists");
		json_array_foreach(json_object_get(json_object_get(rec, "deal"), "parties"), i, p) {
			const char *name = json_string_value(json_object_get(p, "name"));
			if (name != NULL && (rc = screen_party(r, index, lists, i, name, err)) != 0)
				break;
		}
	}
	json_decref(rec);
	return rc;
}

/* The touched decisions decided again today: which come out differently. */
static json_t *redecide(eg_engine *e, const json_t *touched, size_t *differ, eg_error *err)
{
	json_t *out = json_array(), *ix;
	size_t i;

	*differ = 0;
	json_array_foreach(touched, i, ix) {
		char *text = NULL;
		json_t *o;
		if (eg_decide_replay(e, &text, (uint64_t)json_integer_value(ix), 1, err) != 0) {
			json_array_append_new(out, json_pack("{s:O, s:s}", "decision", ix, "error",
			                                     err->message));
			eg__error_clear(err);
			continue;
		}
		o = json_loads(text, 0, NULL);
		eg_free(text);
		if (!json_is_true(json_object_get(o, "same")))
			(*differ)++;
		json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:O, s:O}", "decision", ix,
		                                     "then", json_object_get(o, "original"), "now",
		                                     json_object_get(o, "replayed"), "same",
		                                     json_object_get(o, "same"), "changes",
		                                     json_object_get(o, "changes")));
		json_decref(o);
	}
	return out;
}

int eg_rescreen(eg_engine *e, char **json, int64_t since, size_t *differ, eg_error *err)
{
	eg__versions *vs = NULL;
	rescreen r;
	json_t *versions = NULL, *decisions = NULL, *o;
	struct timespec t0, t1;
	size_t i, cap;
	char *text;
	int rc;

	eg__error_clear(err);
	*json = NULL;
	*differ = 0;
	memset(&r, 0, sizeof(r));
	r.e = e;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = eg__catalog_versions(e->cat, &vs, err)) != 0)
		return rc;
	cap = vs->n ? vs->n : 1;
	r.u = eg__calloc(cap, sizeof(*r.u));
	r.q = eg__malloc(sizeof(*r.q));
	r.hits = json_array();
	r.touched = json_array();
	versions = json_array();
	if (r.u == NULL || r.q == NULL || !r.hits || !r.touched || !versions) {
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
		goto done;
	}
	/* since an id: every later version; else each source's newest */
	for (i = 0; i < vs->n; i++) {
		const eg_list_version *v = &vs->v[i];
		int take = since > 0 ? v->id > since
		                     : (i == 0 || strcmp(vs->v[i - 1].source, v->source) != 0);
		if (!take)
			continue;
		if ((rc = eg__update_prepare(e, &r.u[r.n_u], v, err)) != 0) {
			eg__update_dispose(&r.u[r.n_u]);
			goto done;
		}
		json_array_append_new(versions, json_pack("{s:s, s:I, s:o?, s:I, s:I}", "source",
		    v->source, "version_id", (json_int_t)v->id, "previous_id",
		    r.u[r.n_u].first ? NULL : json_integer((json_int_t)r.u[r.n_u].from.id),
		    "added", (json_int_t)r.u[r.n_u].added, "changed", (json_int_t)r.u[r.n_u].changed));
		r.n_u++;
	}
	if ((rc = eg__dlog_each(e, each_record, &r, err)) != 0)
		goto done;
	decisions = redecide(e, r.touched, differ, err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	o = json_pack("{s:o, s:I, s:I, s:O, s:o, s:I, s:f}", "versions", versions,
	              "decisions_read", (json_int_t)r.decisions, "parties_screened",
	              (json_int_t)r.parties, "hits", r.hits, "decisions", decisions,
	              "differ", (json_int_t)*differ, "seconds",
	              (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	versions = NULL;
	text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
	json_decref(o);
	if (text == NULL || (*json = eg__strdup(text)) == NULL)
		rc = eg__error_set(err, EG_ENOMEM, "out of memory");
	free(text);
done:
	for (i = 0; i < r.n_u; i++)
		eg__update_dispose(&r.u[i]);
	eg__free(r.u);
	eg__free(r.q);
	json_decref(r.hits);
	json_decref(r.touched);
	json_decref(versions);
	eg__versions_release(vs);
	return rc;
}
