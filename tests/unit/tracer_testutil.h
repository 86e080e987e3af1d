/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/tracer_testutil.h - helpers shared by the libvs conformance
 * suites (tests/unit/test_tracer_*.c): one-line "enter this scope, it must
 * succeed" wrappers that report the caller's line, and TensorFlow's exact
 * error texts (docs/semantics.md §10.1) as string-literal macros.
 * Header only, every helper static: each suite file gets its own copy.
 * Only the public API (include/vs/ headers) is used.
 */
#ifndef VS_TESTS_TRACER_TESTUTIL_H
#define VS_TESTS_TRACER_TESTUTIL_H

#include <string.h>

#include "tests/unit/harness.h"
#include "vs/error.h"
#include "vs/vs.h"

/* ---------------------------------------------------------------- texts */
#define RTT_E1(n)                                                              \
	"Variable " n " already exists, disallowed. Did you mean to set reuse=True or " \
	"reuse=tf.AUTO_REUSE in VarScope?"
#define RTT_E2(n)                                                              \
	"Variable " n " does not exist, or was not created with tf.get_variable(). Did " \
	"you mean to set reuse=tf.AUTO_REUSE in VarScope?"
#define RTT_E3(n, spec, found)                                                 \
	"Trying to share variable " n ", but specified shape " spec " and found shape " found "."
#define RTT_E4(n, spec, found)                                                 \
	"Trying to share variable " n ", but specified dtype " spec " and found dtype " found "."
#define RTT_E5 "If initializer is a constant, do not specify shape."
#define RTT_E6(init, expl) "Initializer type '" init "' and explicit dtype '" expl "' don't match."
#define RTT_E7                                                                 \
	"The initializer passed is not valid. It should be a callable with no arguments and the " \
	"shape should not be provided or an instance of `tf.keras.initializers.*' and `shape` " \
	"should be fully defined."
#define RTT_E8(n, dt) "An initializer for variable " n " of " dt " is required"
#define RTT_E9 "Passed a custom_getter which is not callable: "
#define RTT_E10 "Partitioner must be callable, but received: "
#define RTT_E11                                                                \
	"When eager execution is enabled variable reuse is only supported when an " \
	"EagerVariableStore is active. See the documentation on EagerVariableStore for " \
	"example usage."
#define RTT_E12 "If default_name is None then name_or_scope is required"
#define RTT_E13 "The reuse parameter must be True or False or None."
#define RTT_E14 "The auxiliary_name_scope must be `True` or `False`, while get "
#define RTT_E15 "VariableScope: name_or_scope must be a string or VariableScope."
#define RTT_E16 "reuse=True cannot be used without a name_or_scope"
#define RTT_E17 "Improper nesting of variable_scope."
#define RTT_E18 "Exiting variable_creator_scope without proper nesting."
#define RTT_E19_GLOBAL "The global graph is building a function."
#define RTT_E19_ALL                                                            \
	"All graphs are building functions, and no eager context was previously active."
#define RTT_SCOPE_RE "^[A-Za-z0-9_.\\\\/>-]*$"
#define RTT_ROOT_RE "^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$"
#define RTT_E20_ROOT(n)                                                        \
	"'" n "' is not a valid root scope name. A root scope name has to match the " \
	"following pattern: " RTT_ROOT_RE
#define RTT_E20(n)                                                             \
	"'" n "' is not a valid scope name. A scope name has to match the following " \
	"pattern: " RTT_SCOPE_RE
#define RTT_E21 "At least one of name (None) and default_name (None) must be provided."
#define RTT_E22 "name cannot be None."
#define RTT_E23                                                                \
	"Trainable variable created when calling a template after the first time, perhaps " \
	"you used tf.Variable when you meant tf.get_variable: "
#define RTT_E24 "\n\noriginally defined at:\n"
#define RTT_E25 "unique_name_ cannot be used when eager execution is enabled."
#define RTT_E29                                                                \
	"Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared " \
	"graph, exit the nesting and create a new graph."

/* ------------------------------------------------------------- asserts */

/* rc is code and err holds exactly msg */
#define RTT_ASSERT_ERR(rc_, er_, ec_, em_)                                     \
	do {                                                                   \
		VS_ASSERT_INT((rc_), (ec_));                                   \
		VS_ASSERT_INT((er_).code, (ec_));                              \
		VS_ASSERT_STR((er_).msg, (em_));                               \
	} while (0)

/* rc is code and err's message starts with prefix */
#define RTT_ASSERT_ERR_PREFIX(rc_, er_, ec_, ep_)                              \
	do {                                                                   \
		VS_ASSERT_INT((rc_), (ec_));                                   \
		VS_ASSERT_INT((er_).code, (ec_));                              \
		rtt_assert_prefix(__LINE__, __FILE__, (er_).msg, (ep_));       \
	} while (0)

static inline void rtt_assert_prefix(int line, const char *file, const char *s,
                                     const char *prefix)
{
	size_t n = strlen(prefix);
	char head[VS_ERROR_MSG_MAX];
	snprintf(head, sizeof head, "%.*s", (int)n, s ? s : "(null)");
	vs_test_assert_str(line, file, "message prefix", head, prefix);
}

#define RTT_ASSERT_PREFIX(s, prefix) rtt_assert_prefix(__LINE__, __FILE__, (s), (prefix))

/* s contains needle */
#define RTT_ASSERT_CONTAINS(s, needle)                                         \
	vs_test_assert_int(__LINE__, __FILE__, "strstr(" #s ", " #needle ") != NULL", \
	                   (s) != NULL && strstr((s), (needle)) != NULL, 1)

/* ------------------------------------------------- must-succeed wrappers */

static inline void rtt_ok(int line, const char *file, const char *what, int rc,
                          const vs_error *e)
{
	if (rc != 0) {
		char buf[VS_ERROR_MSG_MAX + 64];
		snprintf(buf, sizeof buf, "%s failed: %s", what, e->msg);
		vs_test_assert_str(line, file, what, buf, "ok");
	}
	vs_test_assert_int(line, file, what, rc, 0);
}

static inline vs_cm *rtt_vscope_at(int line, const char *file, const char *name,
                                   const vs_varscope_opts *o)
{
	vs_cm *cm = NULL;
	vs_error e;
	vs_varscope_opts zero = {0};
	vs_error_init(&e);
	rtt_ok(line, file, "vs_variable_scope", vs_variable_scope(&cm, name, o ? o : &zero, &e),
	       &e);
	return cm;
}
/* variable_scope(name, **opts); opts may be NULL */
#define VSCOPE(name, o) rtt_vscope_at(__LINE__, __FILE__, (name), (o))
/* variable_scope(None, default_name=dn) */
#define VSCOPE_DEFAULT(dn) VSCOPE(NULL, (&(vs_varscope_opts){.default_name = (dn)}))
/* variable_scope(captured) */
#define VSCOPE_CAPTURED(s) VSCOPE(NULL, (&(vs_varscope_opts){.scope = (s)}))
/* variable_scope(name, reuse=r) */
#define VSCOPE_REUSE(name, r) VSCOPE((name), (&(vs_varscope_opts){.reuse = (r)}))

static inline vs_cm *rtt_nscope_at(int line, const char *file, const char *name,
                                   const char *default_name)
{
	vs_cm *cm = NULL;
	vs_error e;
	vs_name_scope_opts o = {.default_name = default_name};
	vs_error_init(&e);
	rtt_ok(line, file, "vs_name_scope", vs_name_scope(&cm, name, &o, &e), &e);
	return cm;
}
#define NSCOPE(name) rtt_nscope_at(__LINE__, __FILE__, (name), NULL)
#define NSCOPE_DEFAULT(dn) rtt_nscope_at(__LINE__, __FILE__, NULL, (dn))

static inline void rtt_exit_at(int line, const char *file, vs_cm *cm)
{
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_exit", vs_exit(cm, &e), &e);
}
#define EXIT(cm) rtt_exit_at(__LINE__, __FILE__, (cm))

static inline vs_var *rtt_getvar_at(int line, const char *file, const char *name,
                                    const vs_var_opts *o)
{
	vs_var *v = NULL;
	vs_error e;
	vs_var_opts zero = {0};
	vs_error_init(&e);
	rtt_ok(line, file, "vs_get_variable", vs_get_variable(&v, name, o ? o : &zero, &e), &e);
	vs_test_assert_int(line, file, "variable returned", v != NULL, 1);
	return v;
}
/* get_variable(name, **opts) must succeed and return a variable */
#define GETVAR(name, o) rtt_getvar_at(__LINE__, __FILE__, (name), (o))
/* get_variable(name, shape) */
#define GETVAR_SHAPE(name, sh) GETVAR((name), (&(vs_var_opts){.shape = (sh)}))

static inline vs_var *rtt_variable_at(int line, const char *file, const vs_creator_args *a)
{
	vs_var *v = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_variable", vs_variable(&v, a, &e), &e);
	vs_test_assert_int(line, file, "variable returned", v != NULL, 1);
	return v;
}
/* tf.compat.v1.Variable(**args) must succeed */
#define VARIABLE(a) rtt_variable_at(__LINE__, __FILE__, (a))

static inline vs_op *rtt_op_at(int line, const char *file, const char *type, const char *name)
{
	vs_op *op = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_op", vs_op(&op, type, name, &e), &e);
	vs_test_assert_int(line, file, "op returned", op != NULL, 1);
	return op;
}
#define OP(type, name) rtt_op_at(__LINE__, __FILE__, (type), (name))

static inline vs_cm *rtt_as_default_at(int line, const char *file, vs_graph *g)
{
	vs_cm *cm = NULL;
	vs_error e;
	vs_error_init(&e);
	rtt_ok(line, file, "vs_graph_as_default", vs_graph_as_default(&cm, g, &e), &e);
	return cm;
}
#define AS_DEFAULT(g) rtt_as_default_at(__LINE__, __FILE__, (g))

static inline vs_graph *rtt_graph_at(int line, const char *file, const char *name, int func)
{
	vs_graph *g = NULL;
	vs_error e;
	vs_error_init(&e);
	if (func)
		rtt_ok(line, file, "vs_func_graph_new", vs_func_graph_new(&g, name, &e), &e);
	else
		rtt_ok(line, file, "vs_graph_new", vs_graph_new(&g, name, &e), &e);
	return g;
}
#define NEW_GRAPH(name) rtt_graph_at(__LINE__, __FILE__, (name), 0)
#define NEW_FUNC_GRAPH(name) rtt_graph_at(__LINE__, __FILE__, (name), 1)

/* get_variable_scope().name: the current variable scope's full name */
static inline const char *rtt_cur_scope(void)
{
	return vs_varscope_name(vs_get_variable_scope());
}

/* an initializer's kind, -1 for none (never dereferences NULL) */
static inline int rtt_kind(const vs_initializer *i)
{
	return i ? (int)i->kind : -1;
}

/* a constraint's label, NULL for none */
static inline const char *rtt_label(const vs_constraint *c)
{
	return c ? c->label : NULL;
}

/* formats shape s like TF (helper for comparisons) */
static inline const char *rtt_shape_str(const vs_shape *s)
{
	static _Thread_local char buf[128];
	if (!s)
		return NULL;
	vs_shape_format(s, buf, sizeof buf);
	return buf;
}

/* Resets the runtime to a fresh TF1 graph-mode process. */
static inline void rtt_reset(void)
{
	vs_runtime_reset();
}

/* Resets and configures the process defaults (eager / resource variables). */
static inline void rtt_reset_config(vs_tristate eager, vs_tristate use_resource)
{
	vs_error e;
	vs_runtime_opts o = {.eager = eager, .use_resource = use_resource};
	vs_runtime_reset();
	vs_error_init(&e);
	rtt_ok(__LINE__, __FILE__, "vs_runtime_configure", vs_runtime_configure(&o, &e), &e);
}

/* suite init/cleanup shared by every tracer suite */
static inline int rtt_suite_init(void)
{
	vs_runtime_reset();
	return 0;
}
static inline int rtt_suite_clean(void)
{
	vs_runtime_reset();
	return 0;
}

#endif
