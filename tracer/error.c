/* SPDX-License-Identifier: MIT */
/*
 * tracer/error.c - the vs_error convention (vs/error.h).
 *
 * Invariant: a vs_error's msg is always NUL-terminated; a message that does
 * not fit ends in "...".
 */
#include "vs/error.h"
#include "vs/internal/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void mark_truncated(vs_error *err, int n)
{
	if (n >= (int)sizeof err->msg)
		memcpy(err->msg + sizeof err->msg - 4, "...", 4);
}

void vs_error_init(vs_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}

int vs_error_set(vs_error *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		err->msg[0] = '\0';
	mark_truncated(err, n);
	err->code = code;
	return code;
}

int vs_error_prefix(vs_error *err, const char *fmt, ...)
{
	if (!err)
		return VS_ERR_INTERNAL;
	char old[VS_ERROR_MSG_MAX];
	memcpy(old, err->msg, sizeof old);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof err->msg) {
		int m = snprintf(err->msg + n, sizeof err->msg - (size_t)n, ": %s", old);
		n += m;
	}
	mark_truncated(err, n);
	return err->code;
}

int vs_error_copy(vs_error *dst, const vs_error *src)
{
	if (!src)
		return VS_ERR_INTERNAL;
	if (dst && dst != src)
		memcpy(dst, src, sizeof *dst);
	return src->code;
}

const char *vs_err_name(int code)
{
	switch (code) {
	case VS_OK: return "success";
	case VS_ERR_VALUE: return "ValueError";
	case VS_ERR_RUNTIME: return "RuntimeError";
	case VS_ERR_TYPE: return "TypeError";
	case VS_ERR_ASSERTION: return "AssertionError";
	case VS_ERR_NOT_IMPLEMENTED: return "NotImplementedError";
	case VS_ERR_ATTRIBUTE: return "AttributeError";
	case VS_ERR_NOMEM: return "out of memory";
	case VS_ERR_INVALID: return "invalid argument";
	case VS_ERR_IO: return "i/o error";
	case VS_ERR_FORMAT: return "malformed input";
	case VS_ERR_VERSION: return "unsupported version";
	case VS_ERR_NOT_FOUND: return "not found";
	case VS_ERR_USAGE: return "usage error";
	case VS_ERR_STATE: return "invalid state";
	case VS_ERR_INTERNAL: return "internal error";
	default: return "unknown error";
	}
}

int vs_err_is_tf(int code) { return code <= VS_ERR_VALUE && code >= VS_ERR_ATTRIBUTE; }

int vs_error_nomem(vs_error *err) { return vs_error_set(err, VS_ERR_NOMEM, "out of memory"); }

void vs_bug_(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "vstrace: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
