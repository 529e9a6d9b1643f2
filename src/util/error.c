/* error.c - error codes, their names and texts, and message helpers. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *eg_strerror(int code)
{
	switch (code) {
#define X(name, value, text) case value: return text;
	EG_ERRORS(X)
#undef X
	default: return "unknown error";
	}
}

const char *eg_err_name(int code)
{
	switch (code) {
#define X(name, value, text) case value: return "EG_" #name;
	EG_ERRORS(X)
#undef X
	default: return "EG_EUNKNOWN";
	}
}

int eg__error_set(eg_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void eg__error_clear(eg_error *err)
{
	if (err != NULL) {
		err->code = EG_OK;
		err->message[0] = '\0';
	}
}

int eg__error_prefix(eg_error *err, const char *fmt, ...)
{
	char prefix[EG_ERROR_MESSAGE_MAX];
	char old[EG_ERROR_MESSAGE_MAX];
	va_list ap;

	if (err == NULL)
		return EG_EINVAL;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->message, sizeof(old));
	{
		size_t n = strlen(prefix), m = strnlen(old, sizeof(old) - 1);
		if (n > sizeof(err->message) - 1)
			n = sizeof(err->message) - 1;
		if (m > sizeof(err->message) - 1 - n)
			m = sizeof(err->message) - 1 - n;
		memcpy(err->message, prefix, n);
		memcpy(err->message + n, old, m);
		err->message[n + m] = '\0';
	}
	return err->code;
}
