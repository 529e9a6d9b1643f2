/* date.c - validation and conversion of calendar dates. */
#include "date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

static int ymd_valid(int y, int m, int d)
{
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

int eg__date_valid(const char *s, size_t len)
{
	int y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return 0;
	return ymd_valid(y, m, d);
}

/* Every screen asks for today: the day is worked out once a second per
 * thread, not formatted anew each time. */
void eg__date_today(char out[11])
{
	static _Thread_local time_t at = (time_t)-1;
	static _Thread_local char day[11];
	time_t t = time(NULL);

	if (t != at) {
		char now[21];
		eg__date_now(now);
		memcpy(day, now, 10);
		day[10] = '\0';
		at = t;
	}
	memcpy(out, day, 11);
}

void eg__date_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int eg__date_month_end(char out[11], int y, int m)
{
	if (y < 1 || y > 9999 || m < 1 || m > 12)
		return -1;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)days_in(y, m) % 100u);
	return 0;
}

int eg__date_from_slashes(char out[11], const char *s, size_t len, int day_first)
{
	size_t i, p1 = 0, p2 = 0;
	int y, a, b, m, d;

	for (i = 0; i < len; i++) {
		if (s[i] == '/') {
			if (p1 == 0)
				p1 = i;
			else if (p2 == 0)
				p2 = i;
			else
				return -1;
		}
	}
	if (p1 < 1 || p1 > 2 || p2 < p1 + 2 || p2 > p1 + 3 || len - p2 - 1 != 4)
		return -1;
	if (digits(s, p1, &a) || digits(s + p1 + 1, p2 - p1 - 1, &b) ||
	    digits(s + p2 + 1, 4, &y))
		return -1;
	m = day_first ? b : a;
	d = day_first ? a : b;
	if (!ymd_valid(y, m, d))
		return -1;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
	return 0;
}

int eg__date_from_mdy(char out[11], const char *s, size_t len)
{
	return eg__date_from_slashes(out, s, len, 0);
}

int eg__date_from_dmy(char out[11], const char *s, size_t len)
{
	return eg__date_from_slashes(out, s, len, 1);
}

int eg__date_iso(char out[11], const char *s, size_t len)
{
	if (!eg__date_valid(s, len))
		return -1;
	memcpy(out, s, 10);
	out[10] = '\0';
	return 0;
}

int eg__date_dmy_or_year(char out[11], const char *s, size_t len)
{
	int y;

	if (eg__date_from_slashes(out, s, len, 1) == 0)
		return 10;
	if (len >= 5 && s[len - 5] == '/' && digits(s + len - 4, 4, &y) == 0) {
		memcpy(out, s + len - 4, 4);
		out[4] = '\0';
		return 4;
	}
	return 0;
}
