/* web.c - the web page: the files of web/ (HTML, CSS, JavaScript, SVG),
 * read once at start and served from memory. Only plain file names at the
 * folder's top are served, so no path of a request reaches the file system. */
#include "server.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WEB_MAX_FILES 32

typedef struct web_entry {
	char name[64];
	char *data;
	size_t len;
	const char *type;
} web_entry;

static web_entry files[WEB_MAX_FILES];
static size_t n_files;

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL)
		return NULL;
	if (strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (strcmp(dot, ".ico") == 0)
		return "image/x-icon";
	return NULL;
}

int web_load(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL && n_files < WEB_MAX_FILES) {
		web_entry *w = &files[n_files];
		struct stat st;
		FILE *f;
		const char *type = type_of(de->d_name);

		if (de->d_name[0] == '.' || type == NULL || strlen(de->d_name) >= sizeof(w->name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size > SRV_CAP_WEB_FILE_BYTES)
			continue;
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		w->data = malloc((size_t)st.st_size + 1);
		if (w->data == NULL ||
		    fread(w->data, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
			free(w->data);
			w->data = NULL;
			fclose(f);
			continue;
		}
		fclose(f);
		memcpy(w->name, de->d_name, strlen(de->d_name) + 1);
		w->len = (size_t)st.st_size;
		w->type = type;
		n_files++;
	}
	closedir(d);
	return n_files > 0 ? 0 : -1;
}

const char *web_file(const char *path, size_t *len, const char **type)
{
	size_t i;

	if (strcmp(path, "/") == 0)
		path = "/index.html";
	if (path[0] != '/' || strchr(path + 1, '/') != NULL)
		return NULL;
	for (i = 0; i < n_files; i++)
		if (strcmp(files[i].name, path + 1) == 0) {
			*len = files[i].len;
			*type = files[i].type;
			return files[i].data;
		}
	return NULL;
}

void web_free(void)
{
	size_t i;

	for (i = 0; i < n_files; i++)
		free(files[i].data);
	n_files = 0;
}
