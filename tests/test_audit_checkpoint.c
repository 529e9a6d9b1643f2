/* test_audit_checkpoint.c - Ed25519 key files and signed checkpoints. */
#include <criterion/criterion.h>

#include "audit/checkpoint.h"
#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];
static char key_path[300], key2_path[300];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/eg-ckpt-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(key_path, sizeof(key_path), "%s/audit.key", dir);
	snprintf(key2_path, sizeof(key2_path), "%s/other.key", dir);
}

static void remove_dir(void)
{
	unlink(key_path);
	unlink(key2_path);
	rmdir(dir);
}

TestSuite(audit_checkpoint, .init = make_dir, .fini = remove_dir);

static eg__checkpoint_key *load(const char *path, int want_created)
{
	eg__checkpoint_key *k = NULL;
	eg_error err = {0};
	int created = -1;

	cr_assert_eq(eg__checkpoint_key_load_or_create(&k, &created, path, &err), 0, "%s", err.message);
	cr_assert_eq(created, want_created);
	return k;
}

static eg__checkpoint sample(void)
{
	eg__checkpoint cp;
	size_t i;

	memset(&cp, 0, sizeof(cp));
	memcpy(cp.origin, "exportgate.test/audit", 22);
	cp.size = 1234567;
	for (i = 0; i < sizeof(cp.root); i++)
		cp.root[i] = (uint8_t)(i * 13);
	cp.time_ms = 1638316800123;
	return cp;
}

Test(audit_checkpoint, key_created_once_private_and_reloaded)
{
	eg__checkpoint_key *a = load(key_path, 1), *b = load(key_path, 0);
	char ha[65], hb[65];
	struct stat st;

	cr_assert_eq(stat(key_path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	eg__checkpoint_key_public_hex(ha, a);
	eg__checkpoint_key_public_hex(hb, b);
	cr_assert_str_eq(ha, hb);
	eg__checkpoint_key_free(a);
	eg__checkpoint_key_free(b);
}

Test(audit_checkpoint, key_readable_by_others_refused)
{
	eg__checkpoint_key *k = load(key_path, 1);
	eg_error err = {0};

	eg__checkpoint_key_free(k);
	k = NULL;
	cr_assert_eq(chmod(key_path, 0644), 0);
	cr_assert_eq(eg__checkpoint_key_load_or_create(&k, NULL, key_path, &err), EG_EINVAL);
	cr_assert_not_null(strstr(err.message, "readable by others"), "%s", err.message);
	cr_assert_null(k);
}

Test(audit_checkpoint, sign_then_verify_with_each_form_of_the_public_key)
{
	eg__checkpoint_key *k = load(key_path, 1), *pub = NULL, *pub2 = NULL;
	eg__checkpoint cp = sample(), got;
	eg_error err = {0};
	char *text = NULL, *pem = NULL, hex[65];

	cr_assert_eq(eg__checkpoint_sign(&text, &cp, k, &err), 0, "%s", err.message);
	cr_assert_eq(strncmp(text, "exportgate.test/audit\n1234567\n", 30), 0, "%s", text);
	cr_assert_not_null(strstr(text, "\ntime 1638316800123\n\n\xe2\x80\x94 exportgate.test/audit "), "%s", text);
	cr_assert_eq(eg__checkpoint_verify(&got, text, strlen(text), k, &err), 0, "%s", err.message);
	cr_assert_eq(eg__checkpoint_key_public_pem(&pem, k, &err), 0);
	cr_assert_not_null(strstr(pem, "BEGIN PUBLIC KEY"));
	cr_assert_eq(eg__checkpoint_key_from_public_pem(&pub, pem, strlen(pem), &err), 0, "%s", err.message);
	eg__checkpoint_key_public_hex(hex, k);
	cr_assert_eq(eg__checkpoint_key_from_public_hex(&pub2, hex, 64, &err), 0, "%s", err.message);
	memset(&got, 0, sizeof(got));
	cr_assert_eq(eg__checkpoint_verify(&got, text, strlen(text), pub, &err), 0, "%s", err.message);
	cr_assert_eq(eg__checkpoint_verify(&got, text, strlen(text), pub2, &err), 0, "%s", err.message);
	cr_assert_str_eq(got.origin, cp.origin);
	cr_assert_eq(got.size, cp.size);
	cr_assert_eq(got.time_ms, cp.time_ms);
	cr_assert_eq(memcmp(got.root, cp.root, sizeof(cp.root)), 0);
	/* A public key cannot sign. */
	eg__free(text);
	cr_assert_eq(eg__checkpoint_sign(&text, &cp, pub, &err), EG_EINVAL);
	eg__free(pem);
	eg__checkpoint_key_free(pub);
	eg__checkpoint_key_free(pub2);
	eg__checkpoint_key_free(k);
}

Test(audit_checkpoint, changed_body_or_other_key_refused)
{
	eg__checkpoint_key *k = load(key_path, 1), *other = load(key2_path, 1);
	eg__checkpoint cp = sample(), got;
	eg_error err = {0};
	char *text = NULL, *text2 = NULL;

	cr_assert_eq(eg__checkpoint_sign(&text, &cp, k, &err), 0);
	/* Another key: no signature of it. */
	cr_assert_eq(eg__checkpoint_verify(&got, text, strlen(text), other, &err), EG_EINVAL);
	cr_assert_not_null(strstr(err.message, "no signature of this key"), "%s", err.message);
	/* A changed size: the signature no longer verifies. */
	text[22 + 6] = '8';
	cr_assert_eq(eg__checkpoint_verify(&got, text, strlen(text), k, &err), EG_EINVAL);
	cr_assert_not_null(strstr(err.message, "does not verify"), "%s", err.message);
	/* Signed by the other key under the same origin: refused by ours. */
	cr_assert_eq(eg__checkpoint_sign(&text2, &cp, other, &err), 0);
	cr_assert_eq(eg__checkpoint_verify(&got, text2, strlen(text2), k, &err), EG_EINVAL);
	eg__free(text);
	eg__free(text2);
	eg__checkpoint_key_free(k);
	eg__checkpoint_key_free(other);
}

Test(audit_checkpoint, malformed_text_names_its_line)
{
	eg__checkpoint cp;
	eg_error err = {0};
	static const struct { const char *text; const char *want; } bad[] = {
		{"", "line 1: missing"},
		{"bad origin!\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 1\n\n", "line 1"},
		{"o\n-1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 1\n\n", "line 2"},
		{"o\n01\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 1\n\n", "line 2"},
		{"o\n99999999999999999999\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 1\n\n", "line 2"},
		{"o\n1\nAAAA\ntime 1\n\n", "line 3"},
		{"o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntimes 1\n\n", "line 4"},
		{"o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 1\nx\n", "line 5"},
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(eg__checkpoint_parse(&cp, bad[i].text, strlen(bad[i].text), &err), EG_EPARSE,
		             "case %zu", i);
		cr_assert_not_null(strstr(err.message, bad[i].want), "case %zu: %s", i, err.message);
	}
	{
		const char *ok = "o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 1\n\n";
		cr_assert_eq(eg__checkpoint_parse(&cp, ok, strlen(ok), &err), 0, "%s", err.message);
	}
	cr_assert_eq(cp.size, 1);
}
