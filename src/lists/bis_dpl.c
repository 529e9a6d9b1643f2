/* bis_dpl.c - the BIS Denied Persons List, tab-separated with every field double-quoted.
 *
 * The file has one row per (person, address); a denial order covers all of
 * a person's addresses. So one entity is made per denial order, keyed by
 * Name and Effective_Date: uid "NAME/YYYY-MM-DD" (the raw effective date when
 * it does not parse), and the rows of one order add their addresses to it.
 * Of the order's facts (expiry, FR citation, action, last update), the row
 * with the newest believable Last_Update wins; the end date is the latest
 * expiry of the order's rows. The type is not in the data: unknown, which
 * every type filter keeps. */
#include "csv_formats.h"
#include "csvread.h"
#include "../util/date.h"
#include "../util/alloc.h"
#include "../util/error.h"

#include <stdio.h>
#include <errno.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>

enum {
	D_NAME, D_STREET, D_CITY, D_STATE, D_COUNTRY, D_POSTAL, D_EFFECTIVE, D_EXPIRY,
	D_STDORDER, D_LASTUPDATE, D_ACTION, D_FR, D_N
};

static const char *const known[D_N] = {
	"Name", "Street_Address", "City", "State", "Country", "Postal_Code",
	"Effective_Date", "Expiration_Date", "Standard_Order", "Last_Update", "Action",
	"FR_Citation",
};

typedef struct dpl_state {
	eg__parse_ctx *ctx;
	const char *name;
	eg_error *err;
	char today[11];
	int have_header;
	size_t n_cols;
	int cols[D_N];
	eg__buf f[D_N];
	eg__buf uid;
	eg__buf city;
	char published[11]; /* "" until a believable Last_Update is seen */
} dpl_state;

static const char *fld(const dpl_state *st, int k, size_t *len)
{
	*len = st->f[k].len;
	return eg__buf_str(&st->f[k]);
}

/* Sets attribute key of e to (v, len), replacing an earlier value. */
static int set_attr(dpl_state *st, eg__entity *e, const char *key, const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < e->n_attrs; i++)
		if (strcmp(e->attrs[i].key, key) == 0) {
			if (len == 0)
				return 0;
			return eg__entity_set_str(st->ctx->set, &e->attrs[i].value, v, len);
		}
	return eg__entity_add_attr(st->ctx->set, e, key, v, len);
}

static int on_header(dpl_state *st, const eg__csv_row *row)
{
	int rc = eg__csv_header_map(row, known, D_N, st->cols, st->ctx, st->name, st->err);

	if (rc != 0)
		return rc;
	if (st->cols[D_NAME] < 0 || st->cols[D_EFFECTIVE] < 0)
		return eg__error_set(st->err, EG_EPARSE,
		                     "%s:%lu: the header lacks \"Name\" or \"Effective_Date\"",
		                     st->name, row->line);
	st->n_cols = row->n;
	st->have_header = 1;
	return 0;
}

/* Appends ", "-joined non-empty parts to st->city. */
static int join_city(dpl_state *st)
{
	static const int parts[] = {D_CITY, D_STATE, D_POSTAL};
	size_t i, len;
	int rc;

	eg__buf_reset(&st->city);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *s = fld(st, parts[i], &len);

		if (len == 0)
			continue;
		if (st->city.len > 0 && (rc = eg__buf_add(&st->city, ", ", 2)) != 0)
			return rc;
		if ((rc = eg__buf_add(&st->city, s, len)) != 0)
			return rc;
	}
	return 0;
}

/* Converts a MM/DD/YYYY field to out; warns once per bad value. */
static int row_date(dpl_state *st, int k, unsigned long line, char out[11])
{
	size_t len;
	const char *s = fld(st, k, &len);

	if (len == 0)
		return 0;
	if (eg__date_from_mdy(out, s, len) == 0)
		return 1;
	eg__parse_warn(st->ctx, "%s:%lu: field %s: \"%.*s\" is not MM/DD/YYYY", st->name, line,
	               known[k], (int)(len > 40 ? 40 : len), s);
	return 0;
}

static int on_row(void *ud, const eg__csv_row *row)
{
	dpl_state *st = ud;
	eg__entity_set *set = st->ctx->set;
	eg__entity *e;
	eg__address a;
	const char *s;
	size_t len;
	char eff[11], exp[11], upd[11];
	int rc, dup, have_eff, have_exp, have_upd = 0, newer;

	if (!st->have_header)
		return on_header(st, row);
	if ((rc = eg__csv_row_fields(st->f, D_N, row, st->n_cols, st->cols, known, st->name,
	                             st->err)) != 0)
		return rc;
	s = fld(st, D_NAME, &len);
	if (len == 0)
		return eg__error_set(st->err, EG_EPARSE, "%s:%lu: field Name: empty", st->name,
		                     row->line);
	have_eff = row_date(st, D_EFFECTIVE, row->line, eff);
	have_exp = row_date(st, D_EXPIRY, row->line, exp);
	{
		size_t ul;
		const char *u = fld(st, D_LASTUPDATE, &ul);

		if (ul > 0) {
			have_upd = eg__date_iso(upd, u, ul) == 0;
			if (!have_upd)
				eg__parse_warn(st->ctx, "%s:%lu: field Last_Update: \"%.*s\" is not YYYY-MM-DD",
				               st->name, row->line, (int)(ul > 40 ? 40 : ul), u);
			else if (strcmp(upd, st->today) > 0) {
				/* e.g. 3033-09-30 in the 2023-11 file: a typo of the official data. */
				eg__parse_warn(st->ctx, "%s:%lu: field Last_Update: %s is in the future; "
				               "not used as the publication date", st->name, row->line, upd);
				have_upd = 0;
			}
		}
		if (have_upd && strcmp(upd, st->published) > 0)
			memcpy(st->published, upd, sizeof(upd));
	}

	eg__buf_reset(&st->uid);
	if ((rc = eg__buf_add(&st->uid, s, len)) != 0 || (rc = eg__buf_addc(&st->uid, '/')) != 0)
		goto fail;
	if (have_eff)
		rc = eg__buf_add(&st->uid, eff, 10);
	else {
		const char *r = fld(st, D_EFFECTIVE, &len);
		rc = eg__buf_add(&st->uid, r, len);
	}
	if (rc != 0)
		goto fail;

	e = eg__entity_set_find(set, st->uid.ptr, st->uid.len);
	newer = 1;
	if (e == NULL) {
		e = eg__entity_set_add(set, st->uid.ptr, st->uid.len, &dup);
		if (e == NULL) {
			rc = EG_ENOMEM;
			goto fail;
		}
		e->type = EG_TYPE_UNKNOWN;
		s = fld(st, D_NAME, &len);
		if ((rc = eg__entity_add_name(set, e, s, len, EG__NAME_PRIMARY, 0)) != 0)
			goto fail;
		if (have_eff && (rc = eg__entity_set_str(set, &e->start_date, eff, 10)) != 0)
			goto fail;
	} else {
		const char *prev = eg__entity_attr(e, "last_update");
		char pd[11];

		newer = have_upd && (prev == NULL || eg__date_iso(pd, prev, strlen(prev)) != 0 ||
		                     strcmp(pd, st->today) > 0 || strcmp(upd, pd) > 0);
	}
	if (have_exp && (e->end_date == NULL || strcmp(exp, e->end_date) > 0) &&
	    (rc = eg__entity_set_str(set, &e->end_date, exp, 10)) != 0)
		goto fail;
	if (newer) {
		static const struct { int col; const char *key; } attrs[] = {
			{D_FR, "federal_register_notice"}, {D_ACTION, "action"},
			{D_STDORDER, "standard_order"}, {D_EFFECTIVE, "effective_date"},
			{D_EXPIRY, "expiration_date"},
		};
		size_t i;

		for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
			s = fld(st, attrs[i].col, &len);
			if ((rc = set_attr(st, e, attrs[i].key, s, len)) != 0)
				goto fail;
		}
		s = fld(st, D_LASTUPDATE, &len);
		if ((rc = set_attr(st, e, "last_update", s, len)) != 0)
			goto fail;
	}

	if ((rc = join_city(st)) != 0)
		goto fail;
	memset(&a, 0, sizeof(a));
	a.street = eg__buf_str(&st->f[D_STREET]);
	a.city = eg__buf_str(&st->city);
	a.country = eg__buf_str(&st->f[D_COUNTRY]);
	if ((rc = eg__entity_add_address(set, e, &a)) != 0)
		goto fail;
	s = fld(st, D_COUNTRY, &len);
	if ((rc = eg__entity_add_country(set, e, s, len)) != 0)
		goto fail;
	return 0;
fail:
	return eg__error_set(st->err, rc, "%s:%lu: %s", st->name, row->line,
	                     rc == EG_ETOOBIG ? "too large" : "out of memory");
}

/* Feeds data, or the file f a chunk at a time (hashing what it reads into
 * sha), to the CSV reader; a UTF-8 byte order mark at the start is
 * skipped. The file is never in memory whole. */
static int feed_all(eg__csvread *r, const char *data, size_t len, FILE *f, eg__sha256 *sha,
                    const char *name, eg_error *err)
{
	char chunk[64 * 1024];
	size_t got;
	int first = 1, rc = 0;

	if (f == NULL) {
		if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
			data += 3;
			len -= 3;
		}
		return eg__csvread_feed(r, data, len);
	}
	while (rc == 0 && (got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		const char *p = chunk;
		if (sha != NULL && (rc = eg__sha256_update(sha, chunk, got)) != 0)
			return eg__error_set(err, rc, "%s: hashing failed", name);
		if (first && got >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
			p += 3;
			got -= 3;
		}
		first = 0;
		rc = eg__csvread_feed(r, p, got);
	}
	if (rc == 0 && ferror(f))
		rc = eg__error_set(err, EG_EIO, "%s: read error", name);
	return rc;
}

static int dpl_run(eg__parse_ctx *ctx, const char *data, size_t len, FILE *f,
                   const char *name, const char *today, eg_error *err)
{
	dpl_state st;
	eg__csvread r;
	int k, rc;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.name = name;
	st.err = err;
	if (today != NULL && strlen(today) == 10) {
		memcpy(st.today, today, 10);
	} else {
		time_t now = time(NULL);
		struct tm tm;

		if (gmtime_r(&now, &tm) == NULL ||
		    strftime(st.today, sizeof(st.today), "%Y-%m-%d", &tm) != 10)
			memcpy(st.today, "9999-12-31", 10);
	}
	st.today[10] = '\0';
	for (k = 0; k < D_N; k++)
		eg__buf_init(&st.f[k], EG__CAP_FIELD_BYTES);
	eg__buf_init(&st.uid, EG__CAP_FIELD_BYTES + 16);
	eg__buf_init(&st.city, 3 * EG__CAP_FIELD_BYTES + 8);
	if ((rc = eg__csvread_init(&r, '\t', name, on_row, &st, err)) != 0)
		goto done;
	rc = feed_all(&r, data, len, f, ctx->sha, name, err);
	if (rc == 0)
		rc = eg__csvread_finish(&r);
	if (rc == 0 && !st.have_header)
		rc = eg__error_set(err, EG_EEMPTY, "%s: no header row", name);
	if (rc == 0 && st.published[0] != '\0' &&
	    eg__entity_set_str(ctx->set, &ctx->set->published, st.published, 10) != 0)
		rc = eg__error_set(err, EG_ENOMEM, "%s: out of memory", name);
done:
	eg__csvread_dispose(&r);
	for (k = 0; k < D_N; k++)
		eg__buf_free(&st.f[k]);
	eg__buf_free(&st.uid);
	eg__buf_free(&st.city);
	return rc;
}

int eg__bis_dpl_parse_mem(eg__parse_ctx *ctx, const char *data, size_t len,
                          const char *name, const char *today, eg_error *err)
{
	return dpl_run(ctx, data, len, NULL, name, today, err);
}

static int parse(eg__parse_ctx *ctx, const char *path, eg_error *err)
{
	struct stat st;
	FILE *f;
	int rc;

	if ((f = fopen(path, "rb")) == NULL)
		return eg__error_set(err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                     "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		rc = eg__error_set(err, EG_EIO, "%s: not a regular file", path);
	else if ((unsigned long long)st.st_size > EG__CAP_LIST_FILE_BYTES)
		rc = eg__error_set(err, EG_ETOOBIG, "%s: %lld bytes, over the cap of %u", path,
		                   (long long)st.st_size, EG__CAP_LIST_FILE_BYTES);
	else
		rc = dpl_run(ctx, NULL, 0, f, path, NULL, err);
	fclose(f);
	return rc;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char dpl_header[] = "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t";

static int detect(const char *path)
{
	char head[sizeof(dpl_header) + 3];
	const char *h = head;
	size_t n;
	FILE *f;

	if (!ends_with(path, ".txt") && !ends_with(path, ".tsv"))
		return 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {
		h += 3;
		n -= 3;
	}
	return n >= sizeof(dpl_header) - 1 && memcmp(h, dpl_header, sizeof(dpl_header) - 1) == 0;
}

const eg__format eg__format_bis_dpl = {
	"bis-dpl", "us-bis-dpl", "BIS Denied Persons List (tab-separated)", detect, parse
};
