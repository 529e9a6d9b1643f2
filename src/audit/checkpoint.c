/* checkpoint.c - signed checkpoints of the audit log: (size, root, time) under an Ed25519 key.
 *
 * The text follows the C2SP signed-note and tlog-checkpoint layout so that
 * a reader who knows those formats can check it by hand; the one extension
 * line "time <ms>" is allowed by tlog-checkpoint ("other data" after the
 * root). The key id binds the signature to the origin and the key, so a
 * signature of another key or under another name is told apart from a
 * changed body. */
#include "checkpoint.h"

#include "util/alloc.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIG_LEN 64
#define PUB_LEN 32
#define KEYID_LEN 4
static const char em_dash[] = "\xe2\x80\x94"; /* U+2014, the signature line's mark */

struct eg__checkpoint_key {
	EVP_PKEY *pkey;
	int has_private;
	uint8_t pub[PUB_LEN];
};

static int key_wrap(eg__checkpoint_key **out, EVP_PKEY *pkey, int has_private, eg_error *err)
{
	eg__checkpoint_key *k;
	size_t n = PUB_LEN;

	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(pkey);
		return eg__error_set(err, EG_EINVAL, "checkpoint key: not an Ed25519 key");
	}
	k = eg__calloc(1, sizeof(*k));
	if (k == NULL) {
		EVP_PKEY_free(pkey);
		return eg__error_set(err, EG_ENOMEM, "checkpoint key: out of memory");
	}
	if (EVP_PKEY_get_raw_public_key(pkey, k->pub, &n) != 1 || n != PUB_LEN) {
		EVP_PKEY_free(pkey);
		eg__free(k);
		return eg__error_set(err, EG_EIO, "checkpoint key: cannot read the public key");
	}
	k->pkey = pkey;
	k->has_private = has_private;
	*out = k;
	return 0;
}

void eg__checkpoint_key_free(eg__checkpoint_key *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	eg__free(key);
}

static int key_load(eg__checkpoint_key **out, const char *path, int fd, eg_error *err)
{
	char buf[EG__CHECKPOINT_KEY_FILE_MAX];
	size_t len = 0;
	struct stat st;
	EVP_PKEY *pkey;
	BIO *bio;

	if (fstat(fd, &st) != 0)
		return eg__error_set(err, EG_EIO, "%s: %s", path, strerror(errno));
	if ((st.st_mode & 077) != 0)
		return eg__error_set(err, EG_EINVAL, "%s: key file readable by others (mode %03o); chmod 600 it",
		                     path, (unsigned)(st.st_mode & 0777));
	for (;;) {
		ssize_t r = read(fd, buf + len, sizeof(buf) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return eg__error_set(err, EG_EIO, "%s: %s", path, strerror(errno));
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == sizeof(buf))
			return eg__error_set(err, EG_ETOOBIG, "%s: key file over %d bytes", path,
			                     EG__CHECKPOINT_KEY_FILE_MAX);
	}
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio == NULL)
		return eg__error_set(err, EG_ENOMEM, "%s: out of memory", path);
	pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (pkey == NULL)
		return eg__error_set(err, EG_EPARSE, "%s: not a PEM private key", path);
	if (key_wrap(out, pkey, 1, err) != 0)
		return eg__error_prefix(err, "%s: ", path);
	return 0;
}

/* Writes all of buf to fd. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Writes a new key to a private temporary file and links it to path.
 * Returns 0, EG_EEXISTS when another process linked its key first, or an error. */
static int key_create(const char *path, eg_error *err)
{
	char tmp[4096];
	EVP_PKEY *pkey = NULL;
	BIO *bio = NULL;
	char *pem = NULL;
	long pem_len;
	int fd = -1, rc = 0, n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return eg__error_set(err, EG_ETOOBIG, "%s: path too long", path);
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (pkey == NULL) {
		rc = eg__error_set(err, EG_EIO, "%s: cannot generate an Ed25519 key", path);
		goto done;
	}
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL || PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL) != 1) {
		rc = eg__error_set(err, EG_EIO, "%s: cannot encode the key", path);
		goto done;
	}
	pem_len = BIO_get_mem_data(bio, &pem);
	unlink(tmp); /* a stale file of a dead process with our pid */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = eg__error_set(err, EG_EIO, "%s: %s", tmp, strerror(errno));
		goto done;
	}
	if (write_all(fd, pem, (size_t)pem_len) != 0 || fsync(fd) != 0) {
		rc = eg__error_set(err, EG_EIO, "%s: %s", tmp, strerror(errno));
		goto done;
	}
	if (link(tmp, path) != 0) {
		rc = errno == EEXIST ? EG_EEXISTS : eg__error_set(err, EG_EIO, "%s: %s", path, strerror(errno));
		goto done;
	}
	{
		/* Make the new name durable: sync the folder. */
		char dir[4096];
		char *slash;
		int dfd;
		memcpy(dir, path, strlen(path) + 1);
		slash = strrchr(dir, '/');
		if (slash == NULL)
			memcpy(dir, ".", 2);
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
done:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	return rc;
}

int eg__checkpoint_key_load_or_create(eg__checkpoint_key **out, int *created, const char *path,
                                      eg_error *err)
{
	int attempt, rc;

	*out = NULL;
	if (created != NULL)
		*created = 0;
	if (strlen(path) >= 4000)
		return eg__error_set(err, EG_ETOOBIG, "key file path too long");
	for (attempt = 0; attempt < 2; attempt++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			rc = key_load(out, path, fd, err);
			close(fd);
			return rc;
		}
		if (errno != ENOENT)
			return eg__error_set(err, EG_EIO, "%s: %s", path, strerror(errno));
		rc = key_create(path, err);
		if (rc == 0 && created != NULL)
			*created = 1;
		if (rc != 0 && rc != EG_EEXISTS)
			return rc;
		/* Created, or another process won the race: load what is there. */
	}
	return eg__error_set(err, EG_EIO, "%s: key file vanished while being created", path);
}

int eg__checkpoint_key_from_public_pem(eg__checkpoint_key **out, const char *pem, size_t len,
                                       eg_error *err)
{
	EVP_PKEY *pkey;
	BIO *bio;

	*out = NULL;
	if (len > EG__CHECKPOINT_KEY_FILE_MAX)
		return eg__error_set(err, EG_ETOOBIG, "public key: over %d bytes", EG__CHECKPOINT_KEY_FILE_MAX);
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio == NULL)
		return eg__error_set(err, EG_ENOMEM, "public key: out of memory");
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (pkey == NULL)
		return eg__error_set(err, EG_EPARSE, "public key: not a PEM public key");
	return key_wrap(out, pkey, 0, err);
}

int eg__checkpoint_key_from_public_hex(eg__checkpoint_key **out, const char *hex, size_t len,
                                       eg_error *err)
{
	uint8_t raw[PUB_LEN];
	EVP_PKEY *pkey;

	*out = NULL;
	/* 32 bytes, the same width as a hash: reuse the hash parser. */
	if (eg__merkle_unhex(raw, hex, len) != 0)
		return eg__error_set(err, EG_EPARSE, "public key: not 64 hex digits");
	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, PUB_LEN);
	if (pkey == NULL)
		return eg__error_set(err, EG_EPARSE, "public key: not an Ed25519 public key");
	return key_wrap(out, pkey, 0, err);
}

int eg__checkpoint_key_public_pem(char **out, const eg__checkpoint_key *key, eg_error *err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;

	*out = NULL;
	if (bio == NULL)
		return eg__error_set(err, EG_ENOMEM, "public key: out of memory");
	if (PEM_write_bio_PUBKEY(bio, key->pkey) != 1) {
		BIO_free(bio);
		return eg__error_set(err, EG_EIO, "public key: cannot encode");
	}
	n = BIO_get_mem_data(bio, &data);
	*out = eg__strndup(data, (size_t)n);
	BIO_free(bio);
	return *out != NULL ? 0 : eg__error_set(err, EG_ENOMEM, "public key: out of memory");
}

void eg__checkpoint_key_public_hex(char out[65], const eg__checkpoint_key *key)
{
	eg__merkle_hex(out, key->pub);
}

static int origin_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > EG__CHECKPOINT_ORIGIN_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == ':' || c == '/' || c == '-'))
			return 0;
	}
	return 1;
}

static void key_id(uint8_t out[KEYID_LEN], const char *origin, size_t len, const uint8_t pub[PUB_LEN])
{
	unsigned char buf[EG__CHECKPOINT_ORIGIN_MAX + 2 + PUB_LEN];
	uint8_t md[SHA256_DIGEST_LENGTH];

	memcpy(buf, origin, len);
	buf[len] = '\n';
	buf[len + 1] = 0x01; /* the signed-note algorithm byte of Ed25519 */
	memcpy(buf + len + 2, pub, PUB_LEN);
	SHA256(buf, len + 2 + PUB_LEN, md);
	memcpy(out, md, KEYID_LEN);
}

/* The four body lines; returns their length or -1 when they do not fit. */
static int body_text(char *buf, size_t size, const eg__checkpoint *cp)
{
	char root64[64];
	int n;

	EVP_EncodeBlock((unsigned char *)root64, cp->root, EG__MERKLE_HASH_LEN);
	n = snprintf(buf, size, "%s\n%" PRIu64 "\n%s\ntime %" PRId64 "\n", cp->origin, cp->size, root64,
	             cp->time_ms);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

int eg__checkpoint_sign(char **out, const eg__checkpoint *cp, const eg__checkpoint_key *key,
                        eg_error *err)
{
	char text[EG__CHECKPOINT_TEXT_MAX];
	unsigned char blob[KEYID_LEN + SIG_LEN], blob64[128];
	size_t olen = strnlen(cp->origin, sizeof(cp->origin)), siglen = SIG_LEN;
	EVP_MD_CTX *ctx;
	int n, m, ok;

	*out = NULL;
	if (!origin_ok(cp->origin, olen))
		return eg__error_set(err, EG_EINVAL, "checkpoint: origin \"%.*s\" is not 1..%d bytes of [A-Za-z0-9._:/-]",
		                     (int)olen, cp->origin, EG__CHECKPOINT_ORIGIN_MAX);
	if (!key->has_private)
		return eg__error_set(err, EG_EINVAL, "checkpoint: a public key cannot sign");
	if ((n = body_text(text, sizeof(text), cp)) < 0)
		return eg__error_set(err, EG_ETOOBIG, "checkpoint: text over %d bytes", EG__CHECKPOINT_TEXT_MAX);
	key_id(blob, cp->origin, olen, key->pub);
	ctx = EVP_MD_CTX_new();
	ok = ctx != NULL && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	     EVP_DigestSign(ctx, blob + KEYID_LEN, &siglen, (const unsigned char *)text, (size_t)n) == 1 &&
	     siglen == SIG_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return eg__error_set(err, EG_EIO, "checkpoint: Ed25519 signing failed");
	EVP_EncodeBlock(blob64, blob, sizeof(blob));
	m = snprintf(text + n, sizeof(text) - (size_t)n, "\n%s %s %s\n", em_dash, cp->origin, (char *)blob64);
	if (m < 0 || (size_t)m >= sizeof(text) - (size_t)n)
		return eg__error_set(err, EG_ETOOBIG, "checkpoint: text over %d bytes", EG__CHECKPOINT_TEXT_MAX);
	*out = eg__strndup(text, (size_t)(n + m));
	return *out != NULL ? 0 : eg__error_set(err, EG_ENOMEM, "checkpoint: out of memory");
}

/* Decodes standard padded base64 of exactly `want` bytes. */
static int b64_exact(uint8_t *out, size_t want, const char *s, size_t len)
{
	unsigned char buf[128];
	size_t pad = 0;
	int n;

	if (len == 0 || len % 4 != 0 || len > 168 || (len / 4) * 3 > sizeof(buf))
		return -1;
	if (s[len - 1] == '=')
		pad++;
	if (len > 1 && s[len - 2] == '=')
		pad++;
	n = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)len);
	if (n < 0 || (size_t)n - pad != want)
		return -1;
	memcpy(out, buf, want);
	return 0;
}

static int parse_u64(uint64_t *out, const char *s, size_t len)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* Parses the text into cp and finds where the body ends and signatures
 * start. */
static int parse(eg__checkpoint *cp, size_t *body_len, const char *text, size_t len, eg_error *err)
{
	const char *line[4];
	size_t llen[4];
	const char *p = text, *end = text + len;
	uint64_t t;
	int i;

	if (len > EG__CHECKPOINT_TEXT_MAX)
		return eg__error_set(err, EG_ETOOBIG, "checkpoint: over %d bytes", EG__CHECKPOINT_TEXT_MAX);
	for (i = 0; i < 4; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return eg__error_set(err, EG_EPARSE, "checkpoint line %d: missing", i + 1);
		line[i] = p;
		llen[i] = (size_t)(nl - p);
		p = nl + 1;
	}
	if (p >= end || *p != '\n')
		return eg__error_set(err, EG_EPARSE, "checkpoint line 5: not the blank line before the signatures");
	*body_len = (size_t)(p - text);
	memset(cp, 0, sizeof(*cp));
	if (!origin_ok(line[0], llen[0]))
		return eg__error_set(err, EG_EPARSE, "checkpoint line 1: not an origin");
	memcpy(cp->origin, line[0], llen[0]);
	if (parse_u64(&cp->size, line[1], llen[1]) != 0)
		return eg__error_set(err, EG_EPARSE, "checkpoint line 2: not a tree size");
	if (b64_exact(cp->root, EG__MERKLE_HASH_LEN, line[2], llen[2]) != 0)
		return eg__error_set(err, EG_EPARSE, "checkpoint line 3: not a base64 SHA-256 root");
	if (llen[3] < 6 || memcmp(line[3], "time ", 5) != 0 || parse_u64(&t, line[3] + 5, llen[3] - 5) != 0 ||
	    t > INT64_MAX)
		return eg__error_set(err, EG_EPARSE, "checkpoint line 4: not \"time <milliseconds>\"");
	cp->time_ms = (int64_t)t;
	return 0;
}

int eg__checkpoint_parse(eg__checkpoint *out, const char *text, size_t len, eg_error *err)
{
	size_t body;

	return parse(out, &body, text, len, err);
}

int eg__checkpoint_verify(eg__checkpoint *out, const char *text, size_t len,
                          const eg__checkpoint_key *key, eg_error *err)
{
	eg__checkpoint cp;
	uint8_t want_id[KEYID_LEN], blob[KEYID_LEN + SIG_LEN];
	size_t body, olen;
	const char *p, *end = text + len;
	int lineno = 6, rc, found = 0;

	if ((rc = parse(&cp, &body, text, len, err)) != 0)
		return rc;
	olen = strlen(cp.origin);
	key_id(want_id, cp.origin, olen, key->pub);
	/* Signature lines: "— <name> <base64>\n", after the blank line. */
	for (p = text + body + 1; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *sp;
		size_t ll;
		if (nl == NULL)
			return eg__error_set(err, EG_EPARSE, "checkpoint line %d: no newline at the end", lineno);
		ll = (size_t)(nl - p);
		if (ll < 4 || memcmp(p, em_dash, 3) != 0 || p[3] != ' ')
			return eg__error_set(err, EG_EPARSE, "checkpoint line %d: not a signature line", lineno);
		sp = memchr(p + 4, ' ', ll - 4);
		if (sp == NULL || b64_exact(blob, sizeof(blob), sp + 1, (size_t)(nl - sp - 1)) != 0)
			return eg__error_set(err, EG_EPARSE, "checkpoint line %d: not \"— name base64\"", lineno);
		if ((size_t)(sp - (p + 4)) == olen && memcmp(p + 4, cp.origin, olen) == 0 &&
		    memcmp(blob, want_id, KEYID_LEN) == 0) {
			EVP_MD_CTX *ctx = EVP_MD_CTX_new();
			int ok = ctx != NULL && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
			         EVP_DigestVerify(ctx, blob + KEYID_LEN, SIG_LEN, (const unsigned char *)text, body) == 1;
			EVP_MD_CTX_free(ctx);
			if (!ok)
				return eg__error_set(err, EG_EINVAL, "checkpoint line %d: the signature of key %02x%02x%02x%02x does not verify",
				                     lineno, blob[0], blob[1], blob[2], blob[3]);
			found = 1;
		}
		p = nl + 1;
	}
	if (!found)
		return eg__error_set(err, EG_EINVAL, "checkpoint: no signature of this key (id %02x%02x%02x%02x) for origin %s",
		                     want_id[0], want_id[1], want_id[2], want_id[3], cp.origin);
	*out = cp;
	return 0;
}
