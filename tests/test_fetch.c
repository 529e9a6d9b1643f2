/* test_fetch.c - the fetch module (src/fetch) against a small HTTP server
 * on loopback run by the test itself: the answer to a conditional request,
 * the headers kept, the status checked, the cap (announced or streamed), a
 * truncated body, a redirect loop, a stall, a refused connection; and the
 * downloads of sources.json checked (src/catalog/sources.c). */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "catalog/sources.h"
#include "fetch/fetch.h"
#include "util/alloc.h"

static int listener = -1;
static unsigned port;
static pthread_t thread;
static char dir[] = "/tmp/eg-fetch-XXXXXX";
static char last_request[4096];

static const char body[] = "0123456789abcdefghij"; /* 20 bytes */

static void send_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* One connection: reads the request head, answers by its path, closes. */
static void answer(int fd)
{
	char req[4096], out[512];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof(req) - 1 && (r = recv(fd, req + n, sizeof(req) - 1 - n, 0)) > 0) {
		n += (size_t)r;
		req[n] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	req[n] = '\0';
	memcpy(last_request, req, n + 1);
	if (strncmp(req, "GET /file ", 10) == 0) {
		if (strstr(req, "If-None-Match: \"v1\"") != NULL) {
			snprintf(out, sizeof(out), "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n"
			         "Connection: close\r\n\r\n");
			send_all(fd, out, strlen(out));
		} else {
			snprintf(out, sizeof(out), "HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nLast-Modified: "
			         "Wed, 02 Dec 2026 05:00:00 GMT\r\nContent-Length: %zu\r\n"
			         "Connection: close\r\n\r\n%s", sizeof(body) - 1, body);
			send_all(fd, out, strlen(out));
		}
	} else if (strncmp(req, "GET /error ", 11) == 0) {
		snprintf(out, sizeof(out), "HTTP/1.1 503 Unavailable\r\nContent-Length: 4\r\n"
		         "Connection: close\r\n\r\nbusy");
		send_all(fd, out, strlen(out));
	} else if (strncmp(req, "GET /loop ", 10) == 0) {
		snprintf(out, sizeof(out), "HTTP/1.1 301 Moved\r\nLocation: /loop\r\n"
		         "Content-Length: 0\r\nConnection: close\r\n\r\n");
		send_all(fd, out, strlen(out));
	} else if (strncmp(req, "GET /short ", 11) == 0) {
		snprintf(out, sizeof(out), "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n"
		         "Connection: close\r\n\r\n%s", body);
		send_all(fd, out, strlen(out));
	} else if (strncmp(req, "GET /stream ", 12) == 0) {
		/* no length: bytes until the client hangs up */
		static char chunk[4096];
		snprintf(out, sizeof(out), "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
		send_all(fd, out, strlen(out));
		memset(chunk, 'x', sizeof(chunk));
		for (n = 0; n < 1024; n++)
			send_all(fd, chunk, sizeof(chunk));
	} else if (strncmp(req, "GET /stall ", 11) == 0) {
		snprintf(out, sizeof(out), "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n"
		         "Connection: close\r\n\r\nabc");
		send_all(fd, out, strlen(out));
		{ /* nothing more, until the client gives up (at most 20 s) */
			struct timeval tv = {20, 0};
			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			while (recv(fd, req, sizeof(req), 0) > 0)
				;
		}
	} else {
		snprintf(out, sizeof(out), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
		         "Connection: close\r\n\r\n");
		send_all(fd, out, strlen(out));
	}
}

static void *serve(void *ud)
{
	int fd;

	(void)ud;
	while ((fd = accept(listener, NULL, NULL)) >= 0) {
		answer(fd);
		close(fd);
	}
	return NULL;
}

static void setup(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	cr_assert_not_null(mkdtemp(dir));
	listener = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(listener >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(listener, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(listener, 16), 0);
	cr_assert_eq(getsockname(listener, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	cr_assert_eq(pthread_create(&thread, NULL, serve, NULL), 0);
}

static void teardown(void)
{
	char cmd[128];

	shutdown(listener, SHUT_RDWR);
	pthread_join(thread, NULL);
	close(listener);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(fetch, .init = setup, .fini = teardown, .timeout = 60);

static int get(eg__fetch_result *res, const char *path, const char *etag,
               const eg__fetch_limits *lim, eg_error *err)
{
	char url[128], file[256];

	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", port, path);
	snprintf(file, sizeof(file), "%s/out", dir);
	return eg__fetch_file(res, url, file, etag, NULL, lim, err);
}

static size_t file_size(void)
{
	char file[256];
	struct stat st;

	snprintf(file, sizeof(file), "%s/out", dir);
	cr_assert_eq(stat(file, &st), 0);
	return (size_t)st.st_size;
}

Test(fetch, downloads_to_a_file_and_keeps_the_headers)
{
	eg__fetch_result res;
	eg_error err = {0};

	cr_assert_eq(get(&res, "/file", NULL, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(res.status, 200);
	cr_assert_eq(res.not_modified, 0);
	cr_assert_eq(res.bytes, 20);
	cr_assert_eq(file_size(), 20);
	cr_assert_str_eq(res.etag, "\"v1\"");
	cr_assert_str_eq(res.last_modified, "Wed, 02 Dec 2026 05:00:00 GMT");
	cr_assert_null(strstr(last_request, "If-None-Match"), "no condition unasked");
}

Test(fetch, a_matching_etag_is_not_modified)
{
	eg__fetch_result res;
	eg_error err = {0};

	cr_assert_eq(get(&res, "/file", "\"v1\"", NULL, &err), 0, "%s", err.message);
	cr_assert_not_null(strstr(last_request, "If-None-Match: \"v1\"\r\n"));
	cr_assert_eq(res.status, 304);
	cr_assert_eq(res.not_modified, 1);
	cr_assert_eq(file_size(), 0);
	cr_assert_eq(get(&res, "/file", "\"v0\"", NULL, &err), 0, "%s", err.message);
	cr_assert_eq(res.status, 200, "another ETag: the file");
	cr_assert_eq(res.not_modified, 0);
}

Test(fetch, an_error_status_is_an_error_naming_the_url)
{
	eg__fetch_result res;
	eg_error err = {0};

	cr_assert_eq(get(&res, "/error", NULL, NULL, &err), EG_EIO);
	cr_assert_eq(res.status, 503);
	cr_assert(strstr(err.message, "/error: HTTP 503") != NULL, "%s", err.message);
	cr_assert_eq(get(&res, "/nothing", NULL, NULL, &err), EG_EIO);
	cr_assert(strstr(err.message, "HTTP 404") != NULL, "%s", err.message);
}

Test(fetch, the_cap_announced_or_streamed)
{
	eg__fetch_limits lim = {0, 0, 0, 0, 0, 10, NULL};
	eg__fetch_result res;
	eg_error err = {0};

	cr_assert_eq(get(&res, "/file", NULL, &lim, &err), EG_ETOOBIG);
	cr_assert(strstr(err.message, "larger than the cap of 10 bytes (announced)") != NULL,
	          "%s", err.message);
	lim.max_bytes = 100000;
	cr_assert_eq(get(&res, "/stream", NULL, &lim, &err), EG_ETOOBIG);
	cr_assert(strstr(err.message, "larger than the cap of 100000 bytes") != NULL, "%s",
	          err.message);
	cr_assert(res.bytes <= 100000);
}

Test(fetch, truncated_loop_stall_and_refused)
{
	eg__fetch_limits lim = {2000, 0, 1, 1, 3, 0, NULL};
	eg__fetch_result res;
	eg_error err = {0};
	char url[64];

	cr_assert_eq(get(&res, "/short", NULL, &lim, &err), EG_EIO);
	cr_assert(strstr(err.message, "truncated: 20 of the 1000 bytes announced") != NULL, "%s",
	          err.message);
	cr_assert_eq(get(&res, "/loop", NULL, &lim, &err), EG_EIO);
	cr_assert(strstr(err.message, "more than 3 redirects (a redirect loop?)") != NULL, "%s",
	          err.message);
	cr_assert_eq(get(&res, "/stall", NULL, &lim, &err), EG_EIO);
	cr_assert(strstr(err.message, "stalled: under 1 bytes a second for 1 s") != NULL, "%s",
	          err.message);
	/* a closed port */
	snprintf(url, sizeof(url), "http://127.0.0.1:1/x");
	cr_assert_eq(eg__fetch_file(&res, url, "/dev/null", NULL, NULL, &lim, &err), EG_EIO);
	cr_assert(strncmp(err.message, "http://127.0.0.1:1/x: ", 22) == 0, "%s", err.message);
	/* only http and https */
	cr_assert_neq(eg__fetch_file(&res, "file:///etc/passwd", "/dev/null", NULL, NULL, &lim,
	                             &err), 0);
}

Test(fetch, a_cancel_flag_stops_a_download)
{
	volatile int cancel = 1;
	eg__fetch_limits lim = {0, 0, 0, 0, 0, 0, &cancel};
	eg__fetch_result res;
	eg_error err = {0};

	cr_assert_eq(get(&res, "/stall", NULL, &lim, &err), EG_EIO);
	cr_assert(strstr(err.message, "/stall: cancelled after ") != NULL, "%s", err.message);
}

/* sources.json: the bundled one, and what a bad download is told. */
static void write_sources(const char *json)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sources.json", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(json, f);
	fclose(f);
}

Test(fetch, the_downloads_of_sources_json)
{
	eg__source_download *d = NULL;
	eg_error err = {0};
	size_t n = 0, i;

	cr_assert_eq(eg__source_downloads("data", &d, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 8, "every bundled source has a download");
	for (i = 0; i < n; i++) {
		cr_assert(d[i].n_files >= 1);
		cr_assert_eq(strncmp(d[i].url[0], "https://", 8), 0);
	}
	cr_assert_str_eq(d[0].id, "us-ofac-sdn");
	cr_assert_eq(d[0].n_files, 4);
	cr_assert_str_eq(d[0].name[0], "sdn.csv");
	eg__free(d);

	write_sources("{\"sources\": [{\"id\": \"x\", \"formats\": [\"bis-dpl\"], \"download\": "
	              "{\"format\": \"bis-dpl\", \"files\": [{\"name\": \"../dpl.txt\", "
	              "\"url\": \"https://example.org/dpl.txt\"}]}}]}");
	cr_assert_eq(eg__source_downloads(dir, &d, &n, &err), EG_EPARSE);
	cr_assert(strstr(err.message, "$.sources[0].download.files[0].name") != NULL, "%s",
	          err.message);
	write_sources("{\"sources\": [{\"id\": \"x\", \"formats\": [\"bis-dpl\"], \"download\": "
	              "{\"format\": \"bis-dpl\", \"files\": [{\"name\": \"dpl.txt\", "
	              "\"url\": \"http://example.org/dpl.txt\"}]}}]}");
	cr_assert_eq(eg__source_downloads(dir, &d, &n, &err), EG_EPARSE);
	cr_assert(strstr(err.message, "an https:// URL expected") != NULL, "%s", err.message);
	write_sources("{\"sources\": [{\"id\": \"x\", \"formats\": [\"bis-dpl\"], \"download\": "
	              "{\"format\": \"un-xml\", \"files\": [{\"name\": \"dpl.txt\", "
	              "\"url\": \"https://example.org/dpl.txt\"}]}}]}");
	cr_assert_eq(eg__source_downloads(dir, &d, &n, &err), EG_EPARSE);
	cr_assert(strstr(err.message, "not among the source's formats") != NULL, "%s",
	          err.message);
}
