/* test_csvread.c - tests of the csvread module, the one CSV driver: lines,
 * the row cap, and what a dialect changes. */
#include <criterion/criterion.h>

#include "lists/csvread.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

#define MAX_ROWS 16

/* What the rows seen so far were: their lines, field counts, first fields. */
typedef struct seen {
	size_t n;
	unsigned long line[MAX_ROWS];
	size_t n_fields[MAX_ROWS], n_all[MAX_ROWS];
	char first[MAX_ROWS][32];
	int null_second[MAX_ROWS];
} seen;

static int on_row(void *ud, const eg__csv_row *row)
{
	seen *s = ud;

	cr_assert_lt(s->n, MAX_ROWS);
	s->line[s->n] = row->line;
	s->n_fields[s->n] = row->n;
	s->n_all[s->n] = row->n_all;
	snprintf(s->first[s->n], sizeof(s->first[0]), "%.*s",
	         row->n > 0 && row->fields[0] != NULL ? (int)row->lens[0] : 0,
	         row->n > 0 && row->fields[0] != NULL ? row->fields[0] : "");
	s->null_second[s->n] = row->n > 1 && row->fields[1] == NULL;
	s->n++;
	return 0;
}

static eg_error err;

/* Parses the chunks in turn (NULL ends the list) in dialect d (NULL: plain CSV). */
static int run(seen *s, const eg__csv_dialect *d, const char *const *chunks)
{
	eg__csvread r;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(&err, 0, sizeof(err));
	rc = d != NULL ? eg__csvread_init_dialect(&r, d, "t.csv", on_row, s, &err)
	               : eg__csvread_init(&r, ',', "t.csv", on_row, s, &err);
	for (; rc == 0 && *chunks != NULL; chunks++)
		rc = eg__csvread_feed(&r, *chunks, strlen(*chunks));
	if (rc == 0)
		rc = eg__csvread_finish(&r);
	eg__csvread_dispose(&r);
	return rc;
}

static const char *const names[] = {"id", "name", "kind"};

static void ofac_like(eg__csv_dialect *d)
{
	memset(d, 0, sizeof(*d));
	d->delim = ',';
	d->trim_spaces = 1;
	d->null_marker = "-0-";
	d->eof_mark = 1;
	d->utf8 = 1;
	d->keep_fields = 3;
	d->field_names = names;
}

Test(csvread, lone_cr_and_crlf_split_across_chunks_end_one_line_each)
{
	static const char *const in[] = {"a,1\rb,2\r", "\nc,3\n", "\"d\n", "x\",4\r\n", NULL};
	seen s;

	cr_assert_eq(run(&s, NULL, in), 0, "%s", err.message);
	cr_assert_eq(s.n, 4);
	cr_assert_eq(s.line[0], 1);
	cr_assert_eq(s.line[1], 2);
	cr_assert_eq(s.line[2], 3);
	cr_assert_eq(s.line[3], 4);
	cr_assert_str_eq(s.first[3], "d\nx");
}

/* 40 quoted fields of 30,000 bytes over two lines each: every field and
 * line is under its cap, the record is not. */
Test(csvread, row_over_cap_names_its_first_line)
{
	static char field[30000];
	const char *in[2 + 3 * 40 + 1];
	size_t i, k = 0;

	memset(field, 'x', sizeof(field) - 1);
	in[k++] = "a,1\n";
	for (i = 0; i < 40; i++) {
		in[k++] = i == 0 ? "\"" : ",\"";
		in[k++] = field;
		in[k++] = "\n\"";
	}
	in[k++] = "\n";
	in[k] = NULL;
	cr_assert_eq(run(&(seen){0}, NULL, in), EG_ETOOBIG, "%s", err.message);
	cr_assert(strstr(err.message, "t.csv:2: row over") != NULL, "%s", err.message);
}

Test(csvread, dialect_null_marker_spaces_and_kept_fields)
{
	static const char *const in[] = {"  1 , -0- ,x\n \t \n2,\"-0-\",y,extra,more\n", NULL};
	eg__csv_dialect d;
	seen s;

	ofac_like(&d);
	cr_assert_eq(run(&s, &d, in), 0, "%s", err.message);
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.first[0], "1");
	cr_assert(s.null_second[0]);
	cr_assert_eq(s.line[1], 3);
	cr_assert_eq(s.n_fields[1], 3);
	cr_assert_eq(s.n_all[1], 5);
	cr_assert(s.null_second[1], "a quoted \"-0-\" is the marker too, as OFAC reads it");
}

Test(csvread, dialect_errors_name_the_field)
{
	static const char *const bad_utf8[] = {"1,\"ok\",x\n2,\"b\xff\",y\n", NULL};
	static const char *const bad_quote[] = {"1,\"a\"b,x\n", NULL};
	static const char *const open_quote[] = {"1,a,\"x\n", NULL};
	eg__csv_dialect d;
	seen s;

	ofac_like(&d);
	cr_assert_eq(run(&s, &d, bad_utf8), EG_EPARSE);
	cr_assert_str_eq(err.message, "t.csv:2: field name: invalid UTF-8 or NUL byte");
	cr_assert_eq(run(&s, &d, bad_quote), EG_EPARSE);
	cr_assert_str_eq(err.message, "t.csv:1: field name: malformed quoting");
	cr_assert_eq(run(&s, &d, open_quote), EG_EPARSE);
	cr_assert_str_eq(err.message, "t.csv:1: field kind: unterminated quoted value");
}

Test(csvread, eof_mark_dropped_only_when_last)
{
	static const char *const streamed[] = {"1,a,b\r\n\x1a", "\r\n\n", NULL};
	static const char *const not_last[] = {"1,a,b\r\n\x1a\n2,c,d\n", NULL};
	static char many[EG__CSVREAD_TAIL_MAX + 2];
	const char *too_many[] = {"1,a,b\n\x1a", many, NULL};
	eg__csv_dialect d;
	eg__csvread r;
	seen s;

	ofac_like(&d);
	cr_assert_eq(run(&s, &d, streamed), 0, "%s", err.message);
	cr_assert_eq(s.n, 1);
	cr_assert_eq(run(&s, &d, not_last), 0, "%s", err.message);
	cr_assert_eq(s.n, 3);
	cr_assert_str_eq(s.first[1], "\x1a");
	/* more line ends after it than are held: the 0x1A is a record when streamed */
	memset(many, '\n', sizeof(many) - 1);
	cr_assert_eq(run(&s, &d, too_many), 0, "%s", err.message);
	cr_assert_eq(s.n, 2);
	/* ... and dropped when the whole rest is known to be the last chunk */
	memset(&s, 0, sizeof(s));
	cr_assert_eq(eg__csvread_init_dialect(&r, &d, "t.csv", on_row, &s, &err), 0);
	cr_assert_eq(eg__csvread_feed(&r, "1,a,b\n", 6), 0);
	cr_assert_eq(eg__csvread_feed_last(&r, "\x1a", 1), 0);
	cr_assert_eq(eg__csvread_feed_last(&r, many, 0), 0);
	eg__csvread_dispose(&r);
	cr_assert_eq(s.n, 1);
}

Test(csvread, plain_dialect_keeps_a_0x1a_and_spaces)
{
	static const char *const in[] = {" a ,b\n\x1a\n", NULL};
	seen s;

	cr_assert_eq(run(&s, NULL, in), 0, "%s", err.message);
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.first[0], " a ");
	cr_assert_str_eq(s.first[1], "\x1a");
}

/* A UTF-8 byte order mark opening the input is dropped with skip_bom, also
 * when a chunk's end cuts it; its first bytes followed by others are data
 * (here refused as invalid UTF-8); without skip_bom it stays data. */
Test(csvread, byte_order_mark_skipped_whole_or_cut)
{
	static const char *const whole[] = {"\xEF\xBB\xBF" "a,b,c\n", NULL};
	static const char *const cut[] = {"\xEF", "\xBB", "\xBF" "a,b,c\n", "d,e,f\n", NULL};
	static const char *const half[] = {"\xEF\xBB", "a,b,c\n", NULL};
	static const char *const late[] = {"a,b,c\n\xEF\xBB\xBF" "d,e,f\n", NULL};
	eg__csv_dialect d;
	seen s;

	ofac_like(&d);
	d.skip_bom = 1;
	cr_assert_eq(run(&s, &d, whole), 0, "%s", err.message);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.first[0], "a");
	cr_assert_eq(run(&s, &d, cut), 0, "%s", err.message);
	cr_assert_eq(s.n, 2);
	cr_assert_str_eq(s.first[0], "a");
	cr_assert_eq(s.line[1], 2);
	cr_assert_eq(run(&s, &d, half), EG_EPARSE);
	cr_assert_not_null(strstr(err.message, "UTF-8"), "%s", err.message);
	cr_assert_eq(run(&s, &d, late), 0, "%s", err.message);
	cr_assert_str_eq(s.first[1], "\xEF\xBB\xBF" "d", "only the input's first bytes are a mark");
	d.skip_bom = 0;
	cr_assert_eq(run(&s, &d, whole), 0, "%s", err.message);
	cr_assert_str_eq(s.first[0], "\xEF\xBB\xBF" "a");
}
