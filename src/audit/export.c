/* export.c - the audit log as JSON for independent verifiers (format: docs/audit.md). */
#include "verify.h"

#include "util/alloc.h"
#include "util/error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define HLEN EG__MERKLE_HASH_LEN

static json_t *hex_json(const uint8_t h[HLEN])
{
	char hex[2 * HLEN + 1];

	eg__merkle_hex(hex, h);
	return json_string(hex);
}

static json_t *path_json(const eg__merkle_proof *p)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < p->len; i++)
		if (json_array_append_new(a, hex_json(p->hash[i])) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* Adds one record of the export. */
static int add_record(json_t *records, eg__audit_log *log, uint64_t i, eg_error *err)
{
	eg__audit_record rec;
	json_t *o;
	int rc;

	if ((rc = eg__audit_get(log, &rec, i, err)) != 0)
		return rc;
	o = json_pack("{s:I, s:I, s:s%, s:o}", "index", (json_int_t)i, "time_ms", (json_int_t)rec.time_ms,
	              "payload", rec.payload, rec.len, "leaf_hash", hex_json(rec.leaf_hash));
	if (o == NULL || json_array_append_new(records, o) != 0)
		return eg__error_set(err, EG_EINVAL, "audit export: record %llu: payload is not UTF-8 text",
		                     (unsigned long long)i);
	return 0;
}

int eg__audit_export_json(char **out, eg__audit_log *log, const eg__audit_export_options *opts,
                          eg_error *err)
{
	json_t *doc = NULL, *records, *incl, *cons;
	uint8_t root[HLEN];
	char *cp_text = NULL, *dumped = NULL;
	uint64_t size, i;
	eg__merkle_proof p;
	int rc;

	*out = NULL;
	size = opts->size;
	rc = eg__audit_latest_checkpoint(log, &cp_text, err);
	if (rc != 0 && rc != EG_ENOTFOUND)
		return rc;
	eg__error_clear(err);
	if (size == 0) {
		eg__checkpoint cp;
		if (cp_text != NULL && eg__checkpoint_parse(&cp, cp_text, strlen(cp_text), err) == 0)
			size = cp.size;
		else
			size = eg__audit_size(log);
		eg__error_clear(err);
	}
	if ((rc = eg__audit_root(log, root, size, err)) != 0)
		goto done;
	doc = json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:[], s:[], s:[]}",
	                "format", "exportgate-audit-export/1",
	                "leaf_data", "'exportgate-audit-v1\\n' || u64be(index) || i64be(time_ms) || u64be(len(payload)) || payload",
	                "size", (json_int_t)size, "root", hex_json(root),
	                "checkpoint", cp_text ? json_string(cp_text) : json_null(),
	                "public_key", json_null(),
	                "records", "inclusion", "consistency");
	if (doc == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "audit export: out of memory");
		goto done;
	}
	if (opts->key != NULL) {
		char hex[65];
		eg__checkpoint_key_public_hex(hex, opts->key);
		json_object_set_new(doc, "public_key", json_string(hex));
	}
	records = json_object_get(doc, "records");
	incl = json_object_get(doc, "inclusion");
	cons = json_object_get(doc, "consistency");
	for (i = 0; i < size; i++)
		if ((rc = add_record(records, log, i, err)) != 0)
			goto done;
	for (i = 0; i < (opts->prove ? opts->n_prove : size); i++) {
		uint64_t idx = opts->prove ? opts->prove[i] : i;
		if ((rc = eg__audit_prove_inclusion(log, &p, idx, size, err)) != 0)
			goto done;
		json_array_append_new(incl, json_pack("{s:I, s:I, s:o}", "index", (json_int_t)idx,
		                                      "size", (json_int_t)size, "path", path_json(&p)));
	}
	for (i = 0; i < opts->n_old; i++) {
		uint8_t old_root[HLEN];
		uint64_t m = opts->old_sizes[i];
		if ((rc = eg__audit_root(log, old_root, m, err)) != 0 ||
		    (rc = eg__audit_prove_consistency(log, &p, m, size, err)) != 0)
			goto done;
		json_array_append_new(cons, json_pack("{s:I, s:o, s:I, s:o}", "old_size", (json_int_t)m,
		                                      "old_root", hex_json(old_root), "size", (json_int_t)size,
		                                      "path", path_json(&p)));
	}
	dumped = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (dumped == NULL || (*out = eg__strdup(dumped)) == NULL)
		rc = eg__error_set(err, EG_ENOMEM, "audit export: out of memory");
done:
	free(dumped);
	json_decref(doc);
	eg__free(cp_text);
	return rc;
}
