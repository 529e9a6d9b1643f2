/* proc.h - what the benchmarks that drive the exportgate command share:
 * a monotonic clock, quantiles, running a child process to its end. Small
 * and static, one copy per benchmark program. */
#ifndef BENCH_PROC_H
#define BENCH_PROC_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile of v[0..n), sorted in place (0 for none). */
static inline double bench_quantile(double *v, size_t n, double q)
{
	if (n == 0)
		return 0.0;
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

/* Runs argv to its end, stdout (and with quiet_err stderr) to /dev/null;
 * returns its exit status, or -1. */
static inline int bench_run(char *const argv[], int quiet_err)
{
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL ||
		    (quiet_err && freopen("/dev/null", "w", stderr) == NULL))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

#endif
