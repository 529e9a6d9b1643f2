/* table.c - column output for the terminal: widths in terminal columns
 * (ICU's East Asian Width: wide and fullwidth characters take two). */
#include "cli.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Columns of the code point c. */
static size_t columns(UChar32 c)
{
	int ea;

	if (c < 0)
		return 1; /* an invalid byte shows as one replacement character */
	if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK)
		return 0;
	ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
	return ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
}

size_t cli_width(const char *s)
{
	int32_t i = 0, n = (int32_t)strlen(s);
	size_t w = 0;

	while (i < n) {
		UChar32 c;
		U8_NEXT(s, i, n, c);
		w += columns(c);
	}
	return w;
}

void cli_pad(FILE *f, const char *s, size_t width)
{
	size_t w = cli_width(s);

	fputs(s, f);
	for (; w < width; w++)
		fputc(' ', f);
}

void cli_cell(FILE *f, const char *s, size_t width)
{
	int32_t i = 0, n = (int32_t)strlen(s);
	size_t w = 0;

	if (width == 0)
		return;
	if (cli_width(s) <= width) {
		cli_pad(f, s, width);
		return;
	}
	/* Keep what fits in width - 1 columns and mark the cut with "~". */
	while (i < n) {
		int32_t next = i;
		UChar32 c;
		U8_NEXT(s, next, n, c);
		if (w + columns(c) > width - 1)
			break;
		w += columns(c);
		i = next;
	}
	fwrite(s, 1, (size_t)i, f);
	fputc('~', f);
	for (w++; w < width; w++)
		fputc(' ', f);
}
