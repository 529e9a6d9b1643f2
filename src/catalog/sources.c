/* sources.c - the official sources exportgate knows (sources.h). */
#include "sources.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

int eg__source_known(const char *data_dir, const char *source, int *known, eg_error *err)
{
	char path[4096];
	json_error_t je;
	json_t *root, *list;
	size_t i;
	int rc = 0;

	*known = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/sources.json", data_dir) >= sizeof(path))
		return eg__error_set(err, EG_EINVAL, "data directory path too long");
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return eg__error_set(err, EG_EIO, "%s:%d: %s", path, je.line, je.text);
	list = json_object_get(root, "sources");
	if (!json_is_array(list)) {
		rc = eg__error_set(err, EG_EPARSE, "%s: $.sources: an array expected", path);
		goto done;
	}
	for (i = 0; i < json_array_size(list); i++) {
		const char *id = json_string_value(json_object_get(json_array_get(list, i), "id"));
		if (id == NULL) {
			rc = eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].id: a string expected",
			                   path, i);
			goto done;
		}
		if (strcmp(id, source) == 0)
			*known = 1;
	}
done:
	json_decref(root);
	return rc;
}
