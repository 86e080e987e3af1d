/* SPDX-License-Identifier: MIT */
/*
 * vs/error.h - the one error convention of the whole project.
 *
 * Every fallible function returns 0 on success or a negative vs_err code.
 * The human-readable detail goes into a caller-supplied vs_error, which is
 * left untouched on success, so calls can be chained and only the outermost
 * caller (cli/) prints it.  A NULL vs_error * is always accepted: the code is
 * still returned, the detail is dropped.
 *
 * The runtime (libvs) reports TensorFlow's exceptions as values: the code
 * gives the Python exception type (VS_ERR_VALUE is a ValueError, ...) and
 * msg holds TensorFlow's exact message text (docs/semantics.md §10.1).
 * Library code never prints and never exits (libvs's recording layer
 * excepted: one stderr line when tracing cannot go as the environment asks,
 * tracer/autotrace.c and tracer/ring.c).
 */
#ifndef VS_ERROR_H
#define VS_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define VS_API __attribute__((visibility("default")))
#define VS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define VS_API
#define VS_PRINTF(f, a)
#endif

typedef enum vs_err {
	VS_OK = 0,
	/* TensorFlow exception kinds raised by the modelled runtime. */
	VS_ERR_VALUE = -1,           /* ValueError */
	VS_ERR_RUNTIME = -2,         /* RuntimeError */
	VS_ERR_TYPE = -3,            /* TypeError */
	VS_ERR_ASSERTION = -4,       /* AssertionError */
	VS_ERR_NOT_IMPLEMENTED = -5, /* NotImplementedError */
	VS_ERR_ATTRIBUTE = -6,       /* AttributeError (added by rt: a creator chain
	                                that returned None where TF reads .name) */
	/* Errors of the C program and its environment. */
	VS_ERR_NOMEM = -10,     /* out of memory */
	VS_ERR_INVALID = -11,   /* invalid argument to a C function (a bug in the caller) */
	VS_ERR_IO = -12,        /* a file or system call failed */
	VS_ERR_FORMAT = -13,    /* malformed input: YAML, a foreign or corrupt trace */
	VS_ERR_VERSION = -14,   /* input from a newer format version */
	VS_ERR_NOT_FOUND = -15, /* a named thing (file, rule, scope) does not exist */
	VS_ERR_USAGE = -16,     /* bad command-line usage */
	VS_ERR_STATE = -17,     /* call not valid in the current state */
	VS_ERR_INTERNAL = -18   /* a bug in vstrace itself */
} vs_err;

#define VS_ERROR_MSG_MAX 2048

typedef struct vs_error {
	int code;                   /* a vs_err, 0 while no error is set */
	char msg[VS_ERROR_MSG_MAX]; /* NUL-terminated; truncated with "..." */
} vs_error;

/* Initializes err to "no error" (code 0, empty message). */
VS_API void vs_error_init(vs_error *err);

/*
 * Sets err (when not NULL) to code and the printf-formatted message and
 * returns code, so that a failing path can read `return vs_error_set(...)`.
 */
VS_API int vs_error_set(vs_error *err, int code, const char *fmt, ...) VS_PRINTF(3, 4);

/* Like vs_error_set but prefixes the existing message with "prefix: ". */
VS_API int vs_error_prefix(vs_error *err, const char *fmt, ...) VS_PRINTF(2, 3);

/* Copies src into dst (both may be NULL); returns src->code. */
VS_API int vs_error_copy(vs_error *dst, const vs_error *src);

/*
 * The name of a code: "ValueError", "RuntimeError", "TypeError",
 * "AssertionError", "NotImplementedError" for the TensorFlow kinds and a
 * lower-case description ("out of memory", "i/o error", ...) for the others.
 * Never NULL; a static string.
 */
VS_API const char *vs_err_name(int code);

/* True when code is one of TensorFlow's exception kinds. */
VS_API int vs_err_is_tf(int code);

#ifdef __cplusplus
}
#endif
#endif /* VS_ERROR_H */
