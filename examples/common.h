/* SPDX-License-Identifier: MIT */
/*
 * examples/common.h - what every example program prints, in one place.
 *
 * Header only, all static inline: each .c file in examples/ is a program of
 * its own, so shared code cannot live in a .c file here.  Output is a
 * transcript a test can compare: one line per variable the program got
 * back ("created foo/v:0 (2, 3) float32" or "reused ..."), "# ..." lines
 * naming the step being built, and on a TensorFlow error the line Python
 * would end with ("ValueError: <TF's exact message>") and exit status 1.
 *
 * "created" or "reused" is observed, not assumed: a variable is "reused"
 * when the program has met that object before, either returned by an
 * earlier call or present in the graph's variable collections at an
 * earlier report.  The bookkeeping is not thread-safe: report from one
 * thread only (the threaded example collects results and reports after
 * joining).
 */
#ifndef VS_EXAMPLES_COMMON_H
#define VS_EXAMPLES_COMMON_H

#include <stdarg.h>
#include <stdio.h>

#include "vs/vs.h"

#define EX_MAX_KNOWN 4096

struct ex_known {
	const vs_var *vars[EX_MAX_KNOWN];
	size_t n;
	int show_graph; /* ex_report adds where the variable lives */
};

/* The process-wide set of variables met so far, and the report style. */
static inline struct ex_known *ex_known_set(void)
{
	static struct ex_known known;
	return &known;
}

static inline int ex_is_known(const vs_var *v)
{
	const struct ex_known *k = ex_known_set();
	for (size_t i = 0; i < k->n; i++)
		if (k->vars[i] == v)
			return 1;
	return 0;
}

static inline void ex_remember(const vs_var *v)
{
	struct ex_known *k = ex_known_set();
	if (v && !ex_is_known(v) && k->n < EX_MAX_KNOWN)
		k->vars[k->n++] = v;
}

/* Remembers every variable now in the default graph's collections. */
static inline void ex_remember_collections(void)
{
	static const char *const keys[] = {VS_GLOBAL_VARIABLES, VS_LOCAL_VARIABLES};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		size_t n = vs_collection_size(NULL, keys[k]);
		for (size_t i = 0; i < n; i++)
			ex_remember(vs_collection_get(NULL, keys[k], i));
	}
}

/* Number of distinct variable objects the program has met. */
static inline size_t ex_known_count(void)
{
	return ex_known_set()->n;
}

/* Writes "name (shape) dtype", e.g. "dense/kernel:0 (784, 128) float32". */
static inline void ex_describe(const vs_var *v, char *buf, size_t n)
{
	char shape[128];
	const char *dt = vs_dtype_name(vs_var_dtype(v));
	vs_shape_format(vs_var_shape(v), shape, sizeof(shape));
	snprintf(buf, n, "%s %s %s", vs_var_name(v), shape, dt ? dt : "?");
}

/*
 * Prints "created|reused <name> <shape> <dtype>" for a variable just got,
 * followed by " in graph <name>" (or " eagerly") after ex_show_graphs(1);
 * `known` says whether the program had met it before.
 */
static inline void ex_report_known(const vs_var *v, int known)
{
	char desc[512];
	const vs_graph *g;

	if (!v) {
		printf("got None (not a variable)\n");
		return;
	}
	ex_describe(v, desc, sizeof(desc));
	printf("%s %s", known ? "reused" : "created", desc);
	if (ex_known_set()->show_graph) {
		g = vs_var_graph(v);
		if (g)
			printf(" in graph %s", vs_graph_name(g));
		else
			printf(" eagerly");
	}
	putchar('\n');
	ex_remember(v);
	ex_remember_collections();
}

static inline void ex_report(const vs_var *v)
{
	ex_report_known(v, v && ex_is_known(v));
}

/* Makes ex_report say which graph each variable lives in. */
static inline void ex_show_graphs(int on)
{
	ex_known_set()->show_graph = on;
}

/* Prints a "# ..." line naming the step the program is about to build. */
static inline void ex_step(const char *fmt, ...) VS_PRINTF(1, 2);
static inline void ex_step(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

/* Prints err the way the Python script would die: "ValueError: <message>". */
static inline void ex_print_error(const vs_error *err)
{
	if (vs_err_is_tf(err->code))
		printf("%s: %s\n", vs_err_name(err->code), err->msg);
	else
		printf("error: %s: %s\n", vs_err_name(err->code), err->msg);
}

/*
 * Leaves a context manager the way Python's `with` does: always, and
 * without letting the exit replace an error already raised inside.
 */
static inline int ex_leave(vs_cm *cm, int rc, vs_error *err)
{
	int rc_exit = vs_exit(cm, rc ? NULL : err);
	return rc ? rc : rc_exit;
}

enum ex_mode { EX_GRAPH, EX_EAGER };

/*
 * Configures the runtime.  Graph mode is "TF 2.x running tf.compat.v1 code
 * after tf.compat.v1.disable_eager_execution()": resource variables.  (With
 * TF 1.15's reference variables the "already exists" error also carries
 * "Originally defined at:" and the Python stack.)  Eager mode is TF 2.x as
 * it starts.
 */
static inline int ex_configure(enum ex_mode mode, vs_error *err)
{
	vs_runtime_opts opts = {
		.eager = mode == EX_EAGER ? VS_TRUE : VS_FALSE,
		.use_resource = VS_TRUE,
	};
	return vs_runtime_configure(&opts, err);
}

/* Ends main: prints the error if rc failed, frees the runtime, gives the exit status. */
static inline int ex_finish(int rc, const vs_error *err)
{
	if (rc)
		ex_print_error(err);
	fflush(stdout);
	vs_runtime_shutdown();
	return rc ? 1 : 0;
}

#endif /* VS_EXAMPLES_COMMON_H */
