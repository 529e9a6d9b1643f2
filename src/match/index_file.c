/* index_file.c - the index saved to a file and mapped back without parsing.
 *
 * Layout of format version 2 (version 1 had 32-bit hash slots), every number in the writer's byte order and
 * word size (both recorded, and checked by the reader):
 *
 *   header      file_header below: magic, format version, byte-order mark,
 *               word size, the file's size, where the key and the section
 *               table are, the index's scalar fields
 *   key         the caller's key string (not NUL-terminated), padded to 8
 *   table       N_SECTIONS section_entry: id, element size, offset, count
 *   sections    each array of struct eg__index as it is in memory, in the
 *               order of enum section, each starting at a multiple of
 *               SECTION_ALIGN bytes; the optional entity arrays (header
 *               flags) have no element when absent
 *   checksum    8 bytes: Fletcher-64 (eg__index_sum) of every byte before
 *
 * The reader maps the file read-only and points the index's arrays into the
 * mapping; nothing is copied. The whole file's checksum is verified at map
 * time, before any array is used: a lazy, per-section check would leave a
 * window where a search reads bytes not yet verified. A file is never
 * modified in place (eg__index_save writes a new file and renames it over
 * the old), so a mapping stays valid while other processes replace the
 * file. */
#include "index_impl.h"
#include "util/alloc.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MAGIC "EGINDEX\032"
#define FILE_VERSION 2u
#define BYTE_ORDER_MARK 0x01020304u
#define SECTION_ALIGN 64
#define MAX_KEY 4096 /* bytes of the caller's key */
#define WRITE_BUF (64 * 1024)

/* --- Fletcher-64 ------------------------------------------------------- */

/* Words summed between two reductions modulo 2^32 - 1: with both sums
 * below 2^32 at the start, after n words s1 < (n + 1) 2^32 and
 * s2 < (1 + n (n + 3) / 2) 2^32, below 2^64 for n = 65536. */
#define SUM_BLOCK 65536

static void sum_words(eg__index_sum *s, const unsigned char *p, size_t n_words)
{
	uint64_t s1 = s->s1, s2 = s->s2;

	while (n_words > 0) {
		size_t n = n_words < SUM_BLOCK ? n_words : SUM_BLOCK, i;
		for (i = 0; i < n; i++) {
			uint32_t w;
			memcpy(&w, p + 4 * i, 4);
			s1 += w;
			s2 += s1;
		}
		s1 %= 0xFFFFFFFFu;
		s2 %= 0xFFFFFFFFu;
		p += 4 * n;
		n_words -= n;
	}
	s->s1 = s1;
	s->s2 = s2;
}

void eg__index_sum_init(eg__index_sum *s)
{
	memset(s, 0, sizeof(*s));
}

void eg__index_sum_update(eg__index_sum *s, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (s->n_pend > 0) {
		while (s->n_pend < 4 && len > 0) {
			s->pend[s->n_pend++] = *p++;
			len--;
		}
		if (s->n_pend < 4)
			return;
		sum_words(s, s->pend, 1);
		s->n_pend = 0;
	}
	sum_words(s, p, len / 4);
	p += len / 4 * 4;
	len %= 4;
	memcpy(s->pend, p, len);
	s->n_pend = (unsigned)len;
}

uint64_t eg__index_sum_final(eg__index_sum *s)
{
	if (s->n_pend > 0) {
		memset(s->pend + s->n_pend, 0, 4 - s->n_pend);
		sum_words(s, s->pend, 1);
		s->n_pend = 0;
	}
	return (s->s2 << 32) | s->s1;
}

uint64_t eg__index_checksum(const void *data, size_t len)
{
	eg__index_sum s;

	eg__index_sum_init(&s);
	eg__index_sum_update(&s, data, len);
	return eg__index_sum_final(&s);
}

/* --- layout ------------------------------------------------------------- */

typedef struct file_header {
	char magic[8];
	uint32_t version;       /* FILE_VERSION; always at offset 8 */
	uint32_t byte_order;    /* BYTE_ORDER_MARK as written */
	uint32_t word_size;     /* sizeof(size_t) */
	uint32_t header_size;   /* sizeof(file_header) */
	uint64_t file_size;     /* the whole file, checksum included */
	uint64_t key_off;
	uint32_t key_len;
	uint32_t n_sections;
	uint64_t table_off;
	uint64_t n_vocab, pool_len, n_voc_slots, n_names, n_fuzzy, n_fz_slots, n_ents;
	float w_unknown;
	uint32_t flags;         /* FLAG_*: which optional arrays are present */
} file_header;

#define FLAG_ISO 1u    /* ent_iso_start and ent_iso (has_iso) */
#define FLAG_DATES 2u  /* ent_start and ent_end (has_dates) */

typedef struct section_entry {
	uint32_t id;            /* enum section */
	uint32_t elem_size;     /* bytes of one element */
	uint64_t offset;        /* from the start of the file */
	uint64_t count;         /* elements */
} section_entry;

/* The arrays of struct eg__index, in file order: a count may read an
 * array of an earlier section (post reads post_start). */
enum section {
	S_POOL, S_VOC, S_VOC_SLOTS, S_POST_START, S_POST, S_NAME_START, S_NAME_TOKS,
	S_NAME_ENTITY, S_NAME_NO, S_NAME_TYPE, S_NAME_WEAK, S_NAME_W, S_FUZZY, S_FZ_SLOTS,
	S_ENT_TYPE, S_ENT_ISO_START, S_ENT_ISO, S_ENT_START, S_ENT_END, N_SECTIONS
};

static const char *const section_names[N_SECTIONS] = {
	"pool", "voc", "voc_slots", "post_start", "post", "name_start", "name_toks",
	"name_entity", "name_no", "name_type", "name_weak", "name_w", "fuzzy", "fz_slots",
	"ent_type", "ent_iso_start", "ent_iso", "ent_start", "ent_end",
};

/* Where section s lives in ix, and the size of its elements. */
static void **section_field(eg__index *ix, int s, size_t *elem)
{
#define F(field) (*elem = sizeof(*ix->field), (void **)&ix->field)
	switch (s) {
	case S_POOL: return F(pool);
	case S_VOC: return F(voc);
	case S_VOC_SLOTS: return F(voc_slots);
	case S_POST_START: return F(post_start);
	case S_POST: return F(post);
	case S_NAME_START: return F(name_start);
	case S_NAME_TOKS: return F(name_toks);
	case S_NAME_ENTITY: return F(name_entity);
	case S_NAME_NO: return F(name_no);
	case S_NAME_TYPE: return F(name_type);
	case S_NAME_WEAK: return F(name_weak);
	case S_NAME_W: return F(name_w);
	case S_FUZZY: return F(fuzzy);
	case S_FZ_SLOTS: return F(fz_slots);
	case S_ENT_TYPE: return F(ent_type);
	case S_ENT_ISO_START: return F(ent_iso_start);
	case S_ENT_ISO: return F(ent_iso);
	case S_ENT_START: return F(ent_start);
	default: return F(ent_end);
	}
#undef F
}

/* The number of elements of section s, from ix's scalars and the arrays
 * of earlier sections. */
static uint64_t section_count(const eg__index *ix, int s)
{
	switch (s) {
	case S_POOL: return ix->pool_len;
	case S_VOC: return ix->n_vocab;
	case S_VOC_SLOTS: return ix->n_voc_slots;
	case S_POST_START: return (uint64_t)ix->n_vocab + 1;
	case S_POST: return ix->post_start[ix->n_vocab];
	case S_NAME_START: return (uint64_t)ix->n_names + 1;
	case S_NAME_TOKS: return ix->name_start[ix->n_names];
	case S_NAME_ENTITY: case S_NAME_NO: case S_NAME_TYPE: case S_NAME_WEAK:
	case S_NAME_W: return ix->n_names;
	case S_FUZZY: return ix->n_fuzzy;
	case S_FZ_SLOTS: return ix->n_fz_slots;
	case S_ENT_TYPE: return ix->n_ents;
	case S_ENT_ISO_START: return ix->has_iso ? (uint64_t)ix->n_ents + 1 : 0;
	case S_ENT_ISO: return ix->has_iso ? ix->ent_iso_start[ix->n_ents] : 0;
	default: return ix->has_dates ? ix->n_ents : 0; /* ent_start, ent_end */
	}
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* --- saving ------------------------------------------------------------- */

typedef struct writer {
	int fd;
	const char *path;       /* for errors */
	eg__index_sum sum;
	uint64_t off;           /* bytes given so far */
	size_t n;
	unsigned char buf[WRITE_BUF];
} writer;

static int flush(writer *w, eg_error *err)
{
	size_t done = 0;

	while (done < w->n) {
		ssize_t k = write(w->fd, w->buf + done, w->n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return eg__error_set(err, EG_EIO, "index file %s: write: %s", w->path,
			                     strerror(errno));
		done += (size_t)k;
	}
	w->n = 0;
	return 0;
}

/* Writes len bytes (summed into the checksum when sum is set). */
static int put(writer *w, const void *data, size_t len, int sum, eg_error *err)
{
	const unsigned char *p = data;
	int rc;

	if (len == 0) /* an absent array: data may be NULL */
		return 0;
	if (sum)
		eg__index_sum_update(&w->sum, data, len);
	w->off += len;
	while (len > 0) {
		size_t k = sizeof(w->buf) - w->n < len ? sizeof(w->buf) - w->n : len;
		memcpy(w->buf + w->n, p, k);
		w->n += k;
		p += k;
		len -= k;
		if (w->n == sizeof(w->buf) && (rc = flush(w, err)) != 0)
			return rc;
	}
	return 0;
}

/* Writes zeros up to offset `to`. */
static int pad_to(writer *w, uint64_t to, eg_error *err)
{
	static const unsigned char zeros[SECTION_ALIGN];
	int rc;

	while (w->off < to) {
		size_t k = to - w->off < sizeof(zeros) ? (size_t)(to - w->off) : sizeof(zeros);
		if ((rc = put(w, zeros, k, 1, err)) != 0)
			return rc;
	}
	return 0;
}

/* Fills the header and the table, and gives the file's size. */
static void plan(const eg__index *ix, size_t key_len, file_header *h,
                 section_entry table[N_SECTIONS])
{
	eg__index *mix = (eg__index *)ix; /* section_field only takes addresses */
	uint64_t off;
	int s;

	memset(h, 0, sizeof(*h));
	memcpy(h->magic, FILE_MAGIC, 8);
	h->version = FILE_VERSION;
	h->byte_order = BYTE_ORDER_MARK;
	h->word_size = (uint32_t)sizeof(size_t);
	h->header_size = (uint32_t)sizeof(*h);
	h->key_off = sizeof(*h);
	h->key_len = (uint32_t)key_len;
	h->table_off = align_up(h->key_off + key_len, 8);
	h->n_sections = N_SECTIONS;
	h->n_vocab = ix->n_vocab;
	h->pool_len = ix->pool_len;
	h->n_voc_slots = ix->n_voc_slots;
	h->n_names = ix->n_names;
	h->n_fuzzy = ix->n_fuzzy;
	h->n_fz_slots = ix->n_fz_slots;
	h->n_ents = ix->n_ents;
	h->w_unknown = ix->w_unknown;
	h->flags = (ix->has_iso ? FLAG_ISO : 0) | (ix->has_dates ? FLAG_DATES : 0);
	off = h->table_off + N_SECTIONS * sizeof(section_entry);
	for (s = 0; s < N_SECTIONS; s++) {
		size_t elem;
		section_field(mix, s, &elem);
		off = align_up(off, SECTION_ALIGN);
		table[s].id = (uint32_t)s;
		table[s].elem_size = (uint32_t)elem;
		table[s].offset = off;
		table[s].count = section_count(ix, s);
		off += table[s].count * elem;
	}
	h->file_size = align_up(off, 8) + 8;
}

/* Writes the whole file into w. */
static int write_index(writer *w, const eg__index *ix, const char *key, eg_error *err)
{
	eg__index *mix = (eg__index *)ix;
	section_entry table[N_SECTIONS];
	file_header h;
	uint64_t sum;
	int s, rc;

	plan(ix, strlen(key), &h, table);
	if ((rc = put(w, &h, sizeof(h), 1, err)) != 0 ||
	    (rc = put(w, key, h.key_len, 1, err)) != 0 || (rc = pad_to(w, h.table_off, err)) != 0 ||
	    (rc = put(w, table, sizeof(table), 1, err)) != 0)
		return rc;
	for (s = 0; s < N_SECTIONS; s++) {
		size_t elem;
		void **field = section_field(mix, s, &elem);
		if ((rc = pad_to(w, table[s].offset, err)) != 0 ||
		    (rc = put(w, *field, (size_t)table[s].count * elem, 1, err)) != 0)
			return rc;
	}
	if ((rc = pad_to(w, h.file_size - 8, err)) != 0)
		return rc;
	sum = eg__index_sum_final(&w->sum);
	if ((rc = put(w, &sum, sizeof(sum), 0, err)) != 0 || (rc = flush(w, err)) != 0)
		return rc;
	return 0;
}

/* fsyncs the directory holding path, so that a rename in it is durable. */
static int sync_dir(const char *path, eg_error *err)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, rc = 0;

	if (slash == NULL)
		dir = eg__strdup(".");
	else if (slash == path)
		dir = eg__strdup("/");
	else
		dir = eg__strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return eg__error_set(err, EG_ENOMEM, "index file %s: out of memory", path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0)
		rc = eg__error_set(err, EG_EIO, "index file %s: fsync of its directory %s: %s", path,
		                   dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	eg__free(dir);
	return rc;
}

int eg__index_save(const eg__index *ix, const char *path, const char *key, eg_error *err)
{
	writer *w = NULL;
	char *tmp = NULL;
	size_t len = strlen(path) + 32;
	int rc = 0, fd = -1;

	if (strlen(key) > MAX_KEY)
		return eg__error_set(err, EG_ETOOBIG, "index file %s: key of %zu bytes, at most %d",
		                     path, strlen(key), MAX_KEY);
	tmp = eg__malloc(len);
	w = eg__malloc(sizeof(*w));
	if (tmp == NULL || w == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "index file %s: out of memory", path);
		goto done;
	}
	snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = eg__error_set(err, EG_EIO, "index file %s: %s", tmp, strerror(errno));
		goto done;
	}
	w->fd = fd;
	w->path = tmp;
	w->off = 0;
	w->n = 0;
	eg__index_sum_init(&w->sum);
	if ((rc = write_index(w, ix, key, err)) != 0)
		goto done;
	if (fsync(fd) != 0) {
		rc = eg__error_set(err, EG_EIO, "index file %s: fsync: %s", tmp, strerror(errno));
		goto done;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = eg__error_set(err, EG_EIO, "index file %s: close: %s", tmp, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		rc = eg__error_set(err, EG_EIO, "index file %s: rename from %s: %s", path, tmp,
		                   strerror(errno));
		goto done;
	}
	rc = sync_dir(path, err);
done:
	if (fd >= 0)
		close(fd);
	if (rc != 0 && tmp != NULL)
		unlink(tmp);
	eg__free(tmp);
	eg__free(w);
	return rc;
}

/* --- mapping ------------------------------------------------------------ */

/* Checks the header: what a reader of this build can map at all. */
static int check_header(const file_header *h, const unsigned char *base, size_t size,
                        const char *path, eg_error *err)
{
	if (size < sizeof(FILE_MAGIC) - 1 || memcmp(base, FILE_MAGIC, 8) != 0)
		return eg__error_set(err, EG_EPARSE, "index file %s: not an exportgate index "
		                     "(bad magic)", path);
	if (size < 12)
		return eg__error_set(err, EG_EPARSE, "index file %s: truncated (%zu bytes)", path,
		                     size);
	/* written by another build: stale like a file of another key, so
	 * that the caller builds the index again and saves it over this */
	if (h->version != FILE_VERSION)
		return eg__error_set(err, EG_ENOTFOUND, "index file %s: stale (format version %u, "
		                     "this build reads %u)", path, h->version, FILE_VERSION);
	if (size < sizeof(*h) + 8)
		return eg__error_set(err, EG_EPARSE, "index file %s: truncated (%zu bytes)", path,
		                     size);
	if (h->byte_order != BYTE_ORDER_MARK || h->word_size != sizeof(size_t) ||
	    h->header_size != sizeof(*h))
		return eg__error_set(err, EG_EPARSE, "index file %s: written on a machine of "
		                     "another byte order or word size", path);
	if (h->file_size != size)
		return eg__error_set(err, EG_EPARSE, "index file %s: %zu bytes, its header says "
		                     "%llu (truncated?)", path, size,
		                     (unsigned long long)h->file_size);
	if (h->key_off != sizeof(*h) || h->key_len > MAX_KEY ||
	    h->key_off + h->key_len > size - 8)
		return eg__error_set(err, EG_EPARSE, "index file %s: key out of bounds", path);
	return 0;
}

/* Points ix's arrays into the mapping, checking each section's place and
 * count against the header (sections are in dependency order). */
static int map_sections(eg__index *ix, const file_header *h, const unsigned char *base,
                        size_t size, const char *path, eg_error *err)
{
	const section_entry *table;
	int s;

	if (h->n_sections != N_SECTIONS || h->table_off % 8 != 0 ||
	    h->table_off > size - 8 ||
	    (size - 8 - h->table_off) / sizeof(section_entry) < N_SECTIONS)
		return eg__error_set(err, EG_EPARSE, "index file %s: %u sections, expected %d",
		                     path, h->n_sections, N_SECTIONS);
	/* no array has more elements than the file has bytes: so a count + 1
	 * cannot wrap, and post_start[n_vocab] and the like are in bounds once
	 * their section's count is checked */
	if (h->n_vocab > size || h->pool_len > size || h->n_voc_slots > size ||
	    h->n_names > size || h->n_fuzzy > size || h->n_fz_slots > size || h->n_ents > size ||
	    (h->flags & ~(FLAG_ISO | FLAG_DATES)) != 0)
		return eg__error_set(err, EG_EPARSE, "index file %s: counts larger than the file "
		                     "or unknown flags", path);
	table = (const section_entry *)(base + h->table_off);
	ix->n_vocab = h->n_vocab;
	ix->pool_len = h->pool_len;
	ix->n_voc_slots = h->n_voc_slots;
	ix->n_names = h->n_names;
	ix->n_fuzzy = h->n_fuzzy;
	ix->n_fz_slots = h->n_fz_slots;
	ix->n_ents = h->n_ents;
	ix->w_unknown = h->w_unknown;
	ix->has_iso = (h->flags & FLAG_ISO) != 0;
	ix->has_dates = (h->flags & FLAG_DATES) != 0;
	for (s = 0; s < N_SECTIONS; s++) {
		const section_entry *e = &table[s];
		size_t elem;
		void **field = section_field(ix, s, &elem);
		uint64_t count = section_count(ix, s);
		if (e->id != (uint32_t)s || e->elem_size != elem || e->count != count ||
		    e->offset % SECTION_ALIGN != 0 || e->offset > size - 8 ||
		    count > (size - 8 - e->offset) / elem)
			return eg__error_set(err, EG_EPARSE, "index file %s: section %s: wrong "
			                     "place, size or count", path, section_names[s]);
		*field = (void *)(base + e->offset);
	}
	return 0;
}

/* Whether every value of v[0..n) is below limit. */
static int all_below(const uint32_t *v, size_t n, uint64_t limit)
{
	uint32_t max = 0;
	size_t i;

	for (i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	return n == 0 || max < limit;
}

/* Whether an open-addressing table of n slots (a power of two) holds an
 * empty slot, so that a probe ends, and in every other slot a value (the
 * low 32 bits; the high ones are a tag or a key) from 1 to limit. */
static int table_ok(const uint64_t *slots, size_t n, uint64_t limit)
{
	size_t i, used = 0;

	if (n == 0 || (n & (n - 1)) != 0)
		return 0;
	for (i = 0; i < n; i++) {
		used += slots[i] != 0;
		if (slots[i] != 0 && ((uint32_t)slots[i] == 0 || (uint32_t)slots[i] > limit))
			return 0;
	}
	return used < n;
}

/*
 * The checksum tells that the file is the one written, not that a file
 * with a matching checksum was written by eg__index_save. So that no
 * file, however made, can make a search read outside the mapping or loop
 * forever, every value used as an index or a bound is checked once here:
 * the delimiting arrays increase and end at their arrays' counts, token
 * texts and keys lie in the pool and end with a NUL, ids are below their
 * arrays' counts and every hash table has an empty slot. Linear in the
 * file, like the checksum (see bench-index-map for what it costs).
 */
static int check_bounds(const eg__index *ix, const char *path, eg_error *err)
{
	const char *what = NULL;
	size_t i;

	for (i = 0; i < ix->n_vocab && what == NULL; i++) {
		const eg__index_voc *v = &ix->voc[i];
		if (ix->post_start[i] > ix->post_start[i + 1] ||
		    (uint64_t)v->off + v->len >= ix->pool_len || ix->pool[v->off + v->len] != '\0' ||
		    (uint64_t)v->skel + v->skel_len >= ix->pool_len ||
		    (uint64_t)v->phon + v->phon_len >= ix->pool_len)
			what = "token";
	}
	for (i = 0; i < ix->n_names && what == NULL; i++)
		if (ix->name_start[i] > ix->name_start[i + 1])
			what = "name";
	for (i = 0; ix->has_iso && i < ix->n_ents && what == NULL; i++)
		if (ix->ent_iso_start[i] > ix->ent_iso_start[i + 1])
			what = "entity";
	if (what == NULL && (ix->pool_len == 0 || ix->pool[ix->pool_len - 1] != '\0'))
		what = "pool";
	if (what == NULL && (!all_below(ix->post, ix->post_start[ix->n_vocab], ix->n_names) ||
	                     !all_below(ix->name_toks, ix->name_start[ix->n_names], ix->n_vocab) ||
	                     !all_below(ix->name_entity, ix->n_names, ix->n_ents)))
		what = "posting or name token";
	for (i = 0; i < ix->n_fuzzy && what == NULL; i++)
		if (eg__index_fz_id(ix->fuzzy[i]) >= ix->n_vocab)
			what = "fuzzy key";
	if (what == NULL && (!table_ok(ix->voc_slots, ix->n_voc_slots, ix->n_vocab) ||
	                     !table_ok(ix->fz_slots, ix->n_fz_slots, ix->n_fuzzy)))
		what = "hash table";
	if (what != NULL)
		return eg__error_set(err, EG_EPARSE, "index file %s: a %s out of bounds", path, what);
	return 0;
}

int eg__index_map(eg__index **out, const char *path, const char *key, eg_error *err)
{
	eg__index *ix = NULL;
	const file_header *h;
	unsigned char *base = MAP_FAILED;
	struct stat st;
	size_t size = 0;
	uint64_t want, have;
	int fd, rc = 0, flags = MAP_PRIVATE;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return eg__error_set(err, errno == ENOENT ? EG_ENOTFOUND : EG_EIO,
		                     "index file %s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = eg__error_set(err, EG_EIO, "index file %s: %s", path, strerror(errno));
		goto done;
	}
	size = (size_t)st.st_size;
	if (size < sizeof(file_header) + 8) {
		/* too small to map as an index: still say why */
		file_header small;
		ssize_t got = pread(fd, &small, sizeof(small), 0);
		memset((char *)&small + (got > 0 ? got : 0), 0,
		       sizeof(small) - (size_t)(got > 0 ? got : 0));
		rc = check_header(&small, (const unsigned char *)&small, got > 0 ? (size_t)got : 0,
		                  path, err);
		if (rc == 0)
			rc = eg__error_set(err, EG_EPARSE, "index file %s: truncated", path);
		goto done;
	}
#ifdef MAP_POPULATE
	flags |= MAP_POPULATE; /* every page is read by the checksum at once */
#endif
	base = mmap(NULL, size, PROT_READ, flags, fd, 0);
	if (base == MAP_FAILED) {
		rc = eg__error_set(err, EG_EIO, "index file %s: mmap: %s", path, strerror(errno));
		goto done;
	}
	h = (const file_header *)base;
	if ((rc = check_header(h, base, size, path, err)) != 0)
		goto done;
	if (h->key_len != strlen(key) || memcmp(base + h->key_off, key, h->key_len) != 0) {
		rc = eg__error_set(err, EG_ENOTFOUND, "index file %s: stale (key \"%.*s\", "
		                   "expected \"%s\")", path, (int)h->key_len,
		                   (const char *)base + h->key_off, key);
		goto done;
	}
	want = eg__index_checksum(base, size - 8);
	memcpy(&have, base + size - 8, 8);
	if (want != have) {
		rc = eg__error_set(err, EG_EPARSE, "index file %s: checksum mismatch", path);
		goto done;
	}
	ix = eg__calloc(1, sizeof(*ix));
	if (ix == NULL) {
		rc = eg__error_set(err, EG_ENOMEM, "index file %s: out of memory", path);
		goto done;
	}
	if ((rc = map_sections(ix, h, base, size, path, err)) != 0 ||
	    (rc = check_bounds(ix, path, err)) != 0)
		goto done;
	/* The checksum read every page: give them back, so that the process
	 * holds the pages its searches touch, not the whole file (they stay
	 * in the page cache and come back on the next touch). */
	(void)madvise(base, size, MADV_DONTNEED);
	ix->map = base;
	ix->map_len = size;
	*out = ix;
	ix = NULL;
	base = MAP_FAILED;
done:
	eg__free(ix);
	if (base != MAP_FAILED)
		munmap(base, size);
	close(fd);
	return rc;
}
