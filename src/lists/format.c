/* format.c - the registry of list formats and shared parser helpers. */
#include "format.h"
#include "../util/alloc.h"
#include "../util/caps.h"
#include "../util/error.h"

#include <errno.h>
#include <pthread.h>
#include <libxml/parser.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const eg__format *const formats[] = {
	&eg__format_ofac_csv,
	&eg__format_ofac_xml,
	&eg__format_ofac_enhanced_xml,
	&eg__format_un_xml,
	&eg__format_csl_csv,
	&eg__format_bis_dpl,
	&eg__format_ftm_json,
	&eg__format_eu_fsf_xml,
	&eg__format_uk_xml,
	&eg__format_uk_conlist_csv,
	NULL
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libraries(void)
{
	xmlInitParser();
}

void eg__formats_init(void)
{
	pthread_once(&init_once, init_libraries);
}

const eg__format *const *eg__formats(void)
{
	return formats;
}

const eg__format *eg__format_find(const char *name)
{
	size_t i;

	for (i = 0; formats[i] != NULL; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

const eg__format *eg__format_detect(const char *path)
{
	size_t i;

	for (i = 0; formats[i] != NULL; i++)
		if (formats[i]->detect(path) == 1)
			return formats[i];
	return NULL;
}

int eg__format_for_path(const eg__format **out, const char *path, eg_error *err)
{
	struct stat st;
	size_t i;

	*out = NULL;
	if (stat(path, &st) != 0)
		return eg__error_set(err, EG_EIO, "%s: %s", path,
		                     errno == ENOENT ? "no such file or directory" : strerror(errno));
	for (i = 0; formats[i] != NULL && *out == NULL; i++) {
		int rc = formats[i]->detect(path);
		if (rc < 0)
			return eg__error_set(err, rc, "%s: detecting the format (%s): %s", path,
			                     formats[i]->name, eg_strerror(rc));
		if (rc == 1)
			*out = formats[i];
	}
	if (*out == NULL)
		return eg__error_set(err, EG_EUNSUPPORTED,
		                     "%s: not a list format exportgate reads "
		                     "(see `exportgate import --help`)", path);
	return 0;
}

static int read_file(char **out, size_t *len, const char *path, size_t cap,
                     eg__sha256 *sha, eg_error *err);

void eg__parse_warn(eg__parse_ctx *ctx, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (ctx == NULL || ctx->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctx->warn(ctx->warn_ud, msg);
}

int eg__read_file(char **out, size_t *len, const char *path, eg__sha256 *sha,
                  eg_error *err)
{
	return read_file(out, len, path, EG__CAP_LIST_FILE_BYTES, sha, err);
}

int eg__read_file_capped(char **out, size_t *len, const char *path, size_t cap,
                         eg_error *err)
{
	return read_file(out, len, path, cap, NULL, err);
}

static int read_file(char **out, size_t *len, const char *path, size_t cap,
                     eg__sha256 *sha, eg_error *err)
{
	FILE *f = NULL;
	struct stat st;
	char *data = NULL;
	size_t size, got;
	int rc = 0;

	*out = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return eg__error_set(err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                     "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = eg__error_set(err, EG_EIO, "%s: not a regular file", path);
		goto done;
	}
	if ((unsigned long long)st.st_size > cap) {
		rc = eg__error_set(err, EG_ETOOBIG, "%s: %lld bytes, over the cap of %zu",
		                   path, (long long)st.st_size, cap);
		goto done;
	}
	size = (size_t)st.st_size;
	data = eg__malloc(size + 1);
	if (data == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	got = fread(data, 1, size, f);
	if (got != size || ferror(f)) {
		rc = eg__error_set(err, EG_EIO, "%s: read error", path);
		goto done;
	}
	data[size] = '\0';
	if (sha != NULL && (rc = eg__sha256_update(sha, data, size)) != 0) {
		rc = eg__error_set(err, rc, "%s: hashing failed", path);
		goto done;
	}
	*out = data;
	*len = size;
	data = NULL;
done:
	eg__free(data);
	fclose(f);
	return rc;
}
