/* sources.c - the official sources exportgate knows (sources.h). */
#include "sources.h"
#include "util/alloc.h"
#include "util/error.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Reads DATA/sources.json into *root (the caller frees it) and its
 * "sources" array into *list; path gets the file's name, for messages. */
static int load_sources(const char *data_dir, char path[4096], json_t **root, json_t **list,
                        eg_error *err)
{
	json_error_t je;

	*root = NULL;
	if ((size_t)snprintf(path, 4096, "%s/sources.json", data_dir) >= 4096)
		return eg__error_set(err, EG_EINVAL, "data directory path too long");
	if ((*root = json_load_file(path, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return eg__error_set(err, EG_EIO, "%s:%d: %s", path, je.line, je.text);
	*list = json_object_get(*root, "sources");
	if (!json_is_array(*list)) {
		json_decref(*root);
		*root = NULL;
		return eg__error_set(err, EG_EPARSE, "%s: $.sources: an array expected", path);
	}
	return 0;
}

int eg__source_known(const char *data_dir, const char *source, int *known, eg_error *err)
{
	char path[4096];
	json_t *root, *list;
	size_t i;
	int rc = 0;

	*known = 0;
	if ((rc = load_sources(data_dir, path, &root, &list, err)) != 0)
		return rc;
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

/* A file name that stays in its directory: [A-Za-z0-9._-], not starting
 * with a dot. */
static int safe_name(const char *s)
{
	size_t i;

	if (s[0] == '\0' || s[0] == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* Copies a JSON string into a fixed field; 0, or -1 when absent or too long. */
static int copy_str(char *dst, size_t size, json_t *v)
{
	const char *t = json_string_value(v);

	if (t == NULL || strlen(t) >= size || t[0] == '\0')
		return -1;
	memcpy(dst, t, strlen(t) + 1);
	return 0;
}

/* Reads $.sources[i] (a source with a "download") into *d. */
static int read_download(eg__source_download *d, json_t *src, const char *path, size_t i,
                         eg_error *err)
{
	json_t *dl = json_object_get(src, "download"), *formats, *files, *f;
	size_t k, j;
	int ok = 0;

	memset(d, 0, sizeof(*d));
	if (copy_str(d->id, sizeof(d->id), json_object_get(src, "id")) != 0)
		return eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].id: 1 to 31 characters", path,
		                     i);
	formats = json_object_get(src, "formats");
	if (!json_is_array(formats) || json_array_size(formats) == 0 ||
	    json_array_size(formats) > EG__SOURCE_FORMATS_MAX)
		return eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].formats: 1 to %d format names",
		                     path, i, EG__SOURCE_FORMATS_MAX);
	for (k = 0; k < json_array_size(formats); k++)
		if (copy_str(d->formats[k], sizeof(d->formats[k]), json_array_get(formats, k)) != 0)
			return eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].formats[%zu]: a format "
			                     "name expected", path, i, k);
	d->n_formats = json_array_size(formats);
	if (copy_str(d->format, sizeof(d->format), json_object_get(dl, "format")) != 0)
		return eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].download.format: a format "
		                     "name expected", path, i);
	for (k = 0; k < d->n_formats; k++)
		ok |= strcmp(d->formats[k], d->format) == 0;
	if (!ok)
		return eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].download.format: \"%s\" is "
		                     "not among the source's formats", path, i, d->format);
	files = json_object_get(dl, "files");
	if (!json_is_array(files) || json_array_size(files) == 0 ||
	    json_array_size(files) > EG__SOURCE_FILES_MAX)
		return eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].download.files: 1 to %d files",
		                     path, i, EG__SOURCE_FILES_MAX);
	for (k = 0; k < json_array_size(files); k++) {
		f = json_array_get(files, k);
		if (copy_str(d->name[k], sizeof(d->name[k]), json_object_get(f, "name")) != 0 ||
		    !safe_name(d->name[k]))
			return eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].download.files[%zu].name: "
			                     "a file name of [A-Za-z0-9._-], not starting with a dot",
			                     path, i, k);
		for (j = 0; j < k; j++)
			if (strcmp(d->name[j], d->name[k]) == 0)
				return eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].download.files[%zu]"
				                     ".name: \"%s\" given twice", path, i, k, d->name[k]);
		if (copy_str(d->url[k], sizeof(d->url[k]), json_object_get(f, "url")) != 0 ||
		    strncmp(d->url[k], "https://", 8) != 0)
			return eg__error_set(err, EG_EPARSE, "%s: $.sources[%zu].download.files[%zu].url: "
			                     "an https:// URL expected", path, i, k);
	}
	d->n_files = json_array_size(files);
	return 0;
}

int eg__source_downloads(const char *data_dir, eg__source_download **out, size_t *count,
                         eg_error *err)
{
	char path[4096];
	json_t *root, *list;
	eg__source_download *v = NULL;
	size_t i, n = 0;
	int rc = 0;

	*out = NULL;
	*count = 0;
	if ((rc = load_sources(data_dir, path, &root, &list, err)) != 0)
		return rc;
	if (json_array_size(list) > 0 &&
	    (v = eg__calloc(json_array_size(list), sizeof(*v))) == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	for (i = 0; i < json_array_size(list); i++) {
		json_t *src = json_array_get(list, i);
		if (json_object_get(src, "download") == NULL)
			continue;
		if ((rc = read_download(&v[n], src, path, i, err)) != 0)
			goto done;
		n++;
	}
done:
	json_decref(root);
	if (rc != 0 || n == 0) {
		eg__free(v);
		return rc;
	}
	*out = v;
	*count = n;
	return 0;
}
