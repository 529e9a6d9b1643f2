/* hello.c - a program built against an installed exportgate, as a user
 * would build it: `cc hello.c $(pkg-config --cflags --libs exportgate)`.
 * Prints the versions, opens an engine on the store argv[1] and screens a
 * name, which must fail with EG_ENOTFOUND: no list is imported. */
#include <exportgate.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	eg_open_options o = EG_OPEN_OPTIONS_INIT;
	eg_engine *e = NULL;
	eg_hits *hits = NULL;
	eg_error err;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: hello STORE\n");
		return 2;
	}
	printf("header %s library %s\n", EG_VERSION_STRING, eg_version());
	o.store_path = argv[1];
	if (eg_engine_open(&e, &o, &err) != 0) {
		fprintf(stderr, "hello: %s\n", err.message);
		return 1;
	}
	rc = eg_screen(e, &hits, "Nicolas Maduro", strlen("Nicolas Maduro"), NULL, &err);
	printf("screen: %s: %s\n", eg_err_name(rc), err.message);
	eg_hits_free(hits);
	eg_engine_free(e);
	return rc == EG_ENOTFOUND ? 0 : 1;
}
