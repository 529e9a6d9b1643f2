/* table.c - column output for the terminal. */
#include "cli.h"

#include <string.h>

size_t cli_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
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
	size_t w = 0, i = 0;

	if (width == 0)
		return;
	if (cli_width(s) <= width) {
		cli_pad(f, s, width);
		return;
	}
	/* Keep width - 1 code points and mark the cut with "~". */
	while (s[i] != '\0') {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (w == width - 1)
				break;
			w++;
		}
		i++;
	}
	fwrite(s, 1, i, f);
	fputc('~', f);
}
