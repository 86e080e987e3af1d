/* SPDX-License-Identifier: MIT */
/*
 * scenario/load.c - YAML text -> validated scenario tree (scenario/ast.h).
 *
 * libyaml's document API gives a node graph with a mark on every node; this
 * file walks it once against the tables below (step kinds, their keys and
 * value types, expectation keys), copies everything it needs, and then
 * checks every reference against the names the program binds or declares.
 * Invariant: the first problem found is the one reported ("path:line:col:
 * what"), and a tree is only handed out when nothing was wrong.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "scenario/ast.h"
#include "vs/internal/util.h"
#include "vs/internal/yaml_limits.h"

#define MAX_DEPTH 64

/* ------------------------------------------------------------------ tables */

typedef enum atype {
	T_STR,
	T_BOOL,
	T_INT,
	T_REUSE,
	T_DTYPE,
	T_SHAPE,
	T_INIT,
	T_REG,
	T_PART,
	T_SYNC,
	T_AGG,
	T_AUX,
	T_STRLIST,
	T_OPLIST,
	T_STEPS,
	T_REF,
	T_BIND,
	T_ARGS
} atype;

static const struct argspec {
	const char *key;
	atype type;
	vs_scn_ns ns; /* refs */
	int nullable;
} args[VS_SCN_A__COUNT] = {
	[VS_SCN_A_NAME] = {"name", T_STR, 0, 1},
	[VS_SCN_A_DEFAULT_NAME] = {"default_name", T_STR, 0, 0},
	[VS_SCN_A_SCOPE] = {"scope", T_REF, VS_SCN_NS_SCOPE, 0},
	[VS_SCN_A_GRAPH] = {"graph", T_REF, VS_SCN_NS_GRAPH, 0},
	[VS_SCN_A_REUSE] = {"reuse", T_REUSE, 0, 1},
	[VS_SCN_A_INITIALIZER] = {"initializer", T_INIT, 0, 1},
	[VS_SCN_A_INITIAL_VALUE] = {"initial_value", T_INIT, 0, 0},
	[VS_SCN_A_REGULARIZER] = {"regularizer", T_REG, 0, 1},
	[VS_SCN_A_CACHING_DEVICE] = {"caching_device", T_STR, 0, 1},
	[VS_SCN_A_PARTITIONER] = {"partitioner", T_PART, 0, 1},
	[VS_SCN_A_CUSTOM_GETTER] = {"custom_getter", T_REF, VS_SCN_NS_GETTER, 1},
	[VS_SCN_A_DTYPE] = {"dtype", T_DTYPE, 0, 0},
	[VS_SCN_A_USE_RESOURCE] = {"use_resource", T_BOOL, 0, 0},
	[VS_SCN_A_CONSTRAINT] = {"constraint", T_STR, 0, 0},
	[VS_SCN_A_AUX_NAME_SCOPE] = {"auxiliary_name_scope", T_AUX, 0, 0},
	[VS_SCN_A_SHAPE] = {"shape", T_SHAPE, 0, 0},
	[VS_SCN_A_TRAINABLE] = {"trainable", T_BOOL, 0, 0},
	[VS_SCN_A_COLLECTIONS] = {"collections", T_STRLIST, 0, 0},
	[VS_SCN_A_VALIDATE_SHAPE] = {"validate_shape", T_BOOL, 0, 0},
	[VS_SCN_A_SYNCHRONIZATION] = {"synchronization", T_SYNC, 0, 0},
	[VS_SCN_A_AGGREGATION] = {"aggregation", T_AGG, 0, 0},
	[VS_SCN_A_V2] = {"v2", T_BOOL, 0, 0},
	[VS_SCN_A_VALUES] = {"values", T_BOOL, 0, 0},
	[VS_SCN_A_TYPE] = {"type", T_STR, 0, 0},
	[VS_SCN_A_INPUTS] = {"inputs", T_OPLIST, VS_SCN_NS_OP, 1},
	[VS_SCN_A_CREATOR] = {"creator", T_REF, VS_SCN_NS_CREATOR, 0},
	[VS_SCN_A_PRIORITY] = {"priority", T_INT, 0, 0},
	[VS_SCN_A_FUNCTION] = {"function", T_REF, VS_SCN_NS_FUNCTION, 0},
	[VS_SCN_A_TEMPLATE] = {"template", T_REF, VS_SCN_NS_TEMPLATE, 0},
	[VS_SCN_A_CREATE_SCOPE_NOW] = {"create_scope_now", T_BOOL, 0, 0},
	[VS_SCN_A_UNIQUE_NAME] = {"unique_name", T_STR, 0, 0},
	[VS_SCN_A_MARK_AS_USED] = {"mark_as_used", T_BOOL, 0, 0},
	[VS_SCN_A_STORE] = {"store", T_REF, VS_SCN_NS_STORE, 0},
	[VS_SCN_A_FROM] = {"from", T_REF, VS_SCN_NS_STORE, 0},
	[VS_SCN_A_VAR_STORE] = {"var_store", T_REF, VS_SCN_NS_VARSTORE, 0},
	[VS_SCN_A_TRACED] = {"traced", T_REF, VS_SCN_NS_FUNCOBJ, 0},
	[VS_SCN_A_ARGS] = {"args", T_ARGS, 0, 0},
	[VS_SCN_A_TF_FUNCTION] = {"tf_function", T_BOOL, 0, 0},
	[VS_SCN_A_CREATE_GRAPH_FUNCTION] = {"create_graph_function", T_BOOL, 0, 0},
	[VS_SCN_A_ERROR] = {"error", T_STR, 0, 0},
	[VS_SCN_A_MESSAGE] = {"message", T_STR, 0, 0},
	[VS_SCN_A_WHEN] = {"when", T_BOOL, 0, 0},
	[VS_SCN_A_THREAD] = {"thread", T_REF, VS_SCN_NS_THREAD, 0},
	[VS_SCN_A_CM] = {"cm", T_BIND, VS_SCN_NS_CM, 0},
	[VS_SCN_A_AS] = {"as", T_BIND, 0, 0},
	[VS_SCN_A_BODY] = {"body", T_STEPS, 0, 0},
};

#define A(x) (UINT64_C(1) << VS_SCN_A_##x)
#define CTX (A(BODY) | A(CM))
#define VAROPTS                                                                           \
	(A(NAME) | A(SHAPE) | A(DTYPE) | A(INITIALIZER) | A(REGULARIZER) | A(TRAINABLE) | \
	 A(COLLECTIONS) | A(CACHING_DEVICE) | A(PARTITIONER) | A(VALIDATE_SHAPE) |        \
	 A(USE_RESOURCE) | A(CUSTOM_GETTER) | A(CONSTRAINT) | A(SYNCHRONIZATION) |        \
	 A(AGGREGATION) | A(AS))
#define SCOPEDEFS                                                                                  \
	(A(INITIALIZER) | A(REGULARIZER) | A(CACHING_DEVICE) | A(PARTITIONER) | A(CUSTOM_GETTER) | \
	 A(DTYPE) | A(USE_RESOURCE))

static const struct kindspec {
	const char *name;
	uint64_t allowed, required;
	int primary;     /* the key a scalar value stands for, or -1 */
	vs_scn_ns binds; /* what `as:` binds */
	int context;     /* enters a context manager (body/cm) */
} kinds[VS_SCN_KIND__COUNT] = {
	[VS_SCN_GRAPH] = {"graph", A(NAME) | A(AS) | CTX, 0, VS_SCN_A_AS, VS_SCN_NS_GRAPH, 1},
	[VS_SCN_FUNC_GRAPH] = {"func_graph", A(NAME) | A(AS) | CTX, 0, VS_SCN_A_AS, VS_SCN_NS_GRAPH,
                               1},
	[VS_SCN_AS_DEFAULT] = {"as_default", A(GRAPH) | CTX, A(GRAPH), VS_SCN_A_GRAPH, 0, 1},
	[VS_SCN_EAGER_MODE] = {"eager_mode", CTX, 0, -1, 0, 1},
	[VS_SCN_GRAPH_MODE] = {"graph_mode", CTX, 0, -1, 0, 1},
	[VS_SCN_RESET_DEFAULT_GRAPH] = {"reset_default_graph", 0, 0, -1, 0, 0},
	[VS_SCN_INIT_SCOPE] = {"init_scope", CTX, 0, -1, 0, 1},
	[VS_SCN_NAME_SCOPE] = {"name_scope", A(NAME) | A(DEFAULT_NAME) | A(VALUES) | CTX, 0,
                               VS_SCN_A_NAME, 0, 1},
	[VS_SCN_OP] = {"op", A(TYPE) | A(NAME) | A(AS), A(TYPE), VS_SCN_A_TYPE, VS_SCN_NS_OP, 0},
	[VS_SCN_UNIQUE_NAME] = {"unique_name", A(NAME) | A(MARK_AS_USED), A(NAME), VS_SCN_A_NAME, 0,
                                0},
	[VS_SCN_CONTROL_DEPENDENCIES] = {"control_dependencies", A(INPUTS) | CTX, A(INPUTS), -1, 0,
                                         1},
	[VS_SCN_COND] = {"cond", CTX, 0, -1, 0, 1},
	[VS_SCN_WHILE_LOOP] = {"while_loop", CTX, 0, -1, 0, 1},
	[VS_SCN_GRADIENT_TAPE] = {"gradient_tape", CTX, 0, -1, 0, 1},
	[VS_SCN_STOP_RECORDING] = {"stop_recording", CTX, 0, -1, 0, 1},
	[VS_SCN_VARIABLE_SCOPE] = {"variable_scope",
                                   A(NAME) | A(DEFAULT_NAME) | A(SCOPE) | A(REUSE) | SCOPEDEFS |
                                           A(CONSTRAINT) | A(AUX_NAME_SCOPE) | A(AS) | CTX,
                                   0, VS_SCN_A_NAME, VS_SCN_NS_SCOPE, 1},
	[VS_SCN_CAPTURE_SCOPE] = {"capture_scope", A(AS), A(AS), VS_SCN_A_AS, VS_SCN_NS_SCOPE, 0},
	[VS_SCN_CAPTURE_GRAPH] = {"capture_graph", A(AS), A(AS), VS_SCN_A_AS, VS_SCN_NS_GRAPH, 0},
	[VS_SCN_REUSE_VARIABLES] = {"reuse_variables", A(SCOPE), 0, VS_SCN_A_SCOPE, 0, 0},
	[VS_SCN_SCOPE_SET] = {"scope_set", A(SCOPE) | SCOPEDEFS, 0, -1, 0, 0},
	[VS_SCN_CREATOR_SCOPE] = {"creator_scope", A(CREATOR) | A(PRIORITY) | CTX, A(CREATOR),
                                  VS_SCN_A_CREATOR, 0, 1},
	[VS_SCN_GET_VARIABLE] = {"get_variable", VAROPTS, A(NAME), VS_SCN_A_NAME, VS_SCN_NS_VAR, 0},
	[VS_SCN_GET_LOCAL_VARIABLE] = {"get_local_variable", VAROPTS, A(NAME), VS_SCN_A_NAME,
                                       VS_SCN_NS_VAR, 0},
	[VS_SCN_VARIABLE] = {"variable",
                             A(NAME) | A(INITIAL_VALUE) | A(TRAINABLE) | A(COLLECTIONS) |
                                     A(VALIDATE_SHAPE) | A(CACHING_DEVICE) | A(DTYPE) |
                                     A(CONSTRAINT) | A(USE_RESOURCE) | A(SYNCHRONIZATION) |
                                     A(AGGREGATION) | A(SHAPE) | A(V2) | A(AS),
                             0, VS_SCN_A_NAME, VS_SCN_NS_VAR, 0},
	[VS_SCN_MAKE_TEMPLATE] = {"make_template",
                                  A(NAME) | A(FUNCTION) | A(CREATE_SCOPE_NOW) | A(UNIQUE_NAME) |
                                          A(CUSTOM_GETTER) | A(CREATE_GRAPH_FUNCTION) | A(AS),
                                  A(NAME) | A(FUNCTION), -1, VS_SCN_NS_TEMPLATE, 0},
	[VS_SCN_CALL] = {"call", A(TEMPLATE) | A(FUNCTION) | A(TRACED) | A(ARGS), 0,
                         VS_SCN_A_TEMPLATE, 0, 0},
	[VS_SCN_RAISE] = {"raise", A(ERROR) | A(MESSAGE) | A(WHEN), A(ERROR), VS_SCN_A_ERROR, 0, 0},
	[VS_SCN_DEF_FUNCTION] = {"def_function", A(NAME) | A(FUNCTION) | A(TF_FUNCTION) | A(AS),
                                 A(FUNCTION) | A(AS), VS_SCN_A_FUNCTION, VS_SCN_NS_FUNCOBJ, 0},
	[VS_SCN_EAGER_STORE] = {"eager_store", A(FROM) | A(VAR_STORE) | A(AS), 0, VS_SCN_A_AS,
                                VS_SCN_NS_STORE, 0},
	[VS_SCN_EAGER_STORE_COPY] = {"eager_store_copy", A(STORE) | A(AS), A(STORE) | A(AS), -1,
                                     VS_SCN_NS_STORE, 0},
	[VS_SCN_EAGER_STORE_SCOPE] = {"eager_store_scope", A(STORE) | CTX, A(STORE), VS_SCN_A_STORE,
                                      0, 1},
	[VS_SCN_DEVICE] = {"device", A(NAME) | CTX, 0, VS_SCN_A_NAME, 0, 1},
	[VS_SCN_VAR_STORE] = {"var_store", A(AS), A(AS), VS_SCN_A_AS, VS_SCN_NS_VARSTORE, 0},
	[VS_SCN_CAPTURE_STORE] = {"capture_store", A(AS), A(AS), VS_SCN_A_AS, VS_SCN_NS_VARSTORE,
                                  0},
	[VS_SCN_STORE_GET_VARIABLE] = {"store_get_variable", VAROPTS | A(VAR_STORE) | A(REUSE),
                                       A(NAME), VS_SCN_A_NAME, VS_SCN_NS_VAR, 0},
	[VS_SCN_START] = {"start", A(THREAD), A(THREAD), VS_SCN_A_THREAD, 0, 0},
	[VS_SCN_JOIN] = {"join", A(THREAD), A(THREAD), VS_SCN_A_THREAD, 0, 0},
	[VS_SCN_YIELD] = {"yield", A(THREAD), A(THREAD), VS_SCN_A_THREAD, 0, 0},
	[VS_SCN_EXIT] = {"exit", A(CM), A(CM), VS_SCN_A_CM, 0, 0},
	[VS_SCN_CHECK] = {"check", 0, 0, -1, 0, 0},
};

typedef enum etype {
	E_STR,
	E_BOOL,
	E_INT,
	E_REUSE,
	E_SHAPE,
	E_DTYPE,
	E_REF,
	E_ERROR,
	E_COLL,
	E_TEMPLATE,
	E_ESTORE,
	E_CALLS,
	E_SCOLL,
	E_OPTSTR,
	E_SATTR,
	E_OPPROPS,
	E_RECV
} etype;

static const struct expspec {
	const char *key;
	etype type;
	vs_scn_ns ns;
} expkeys[VS_SCN_E__COUNT] = {
	[VS_SCN_E_NAME] = {"name", E_STR, 0},
	[VS_SCN_E_SCOPE] = {"scope", E_STR, 0},
	[VS_SCN_E_NAME_SCOPE] = {"name_scope", E_STR, 0},
	[VS_SCN_E_ORIGINAL_NAME_SCOPE] = {"original_name_scope", E_STR, 0},
	[VS_SCN_E_REUSE] = {"reuse", E_REUSE, 0},
	[VS_SCN_E_SAME_AS] = {"same_as", E_REF, VS_SCN_NS_VAR},
	[VS_SCN_E_NOT_SAME_AS] = {"not_same_as", E_REF, VS_SCN_NS_VAR},
	[VS_SCN_E_CREATED] = {"created", E_BOOL, 0},
	[VS_SCN_E_TRAINABLE] = {"trainable", E_BOOL, 0},
	[VS_SCN_E_SHAPE] = {"shape", E_SHAPE, 0},
	[VS_SCN_E_DTYPE] = {"dtype", E_DTYPE, 0},
	[VS_SCN_E_RESOURCE] = {"resource", E_BOOL, 0},
	[VS_SCN_E_PARTITIONS] = {"partitions", E_INT, 0},
	[VS_SCN_E_ERROR] = {"error", E_ERROR, 0},
	[VS_SCN_E_COLLECTION] = {"collection", E_COLL, 0},
	[VS_SCN_E_TEMPLATE] = {"template", E_TEMPLATE, 0},
	[VS_SCN_E_EAGER_STORE] = {"eager_store", E_ESTORE, 0},
	[VS_SCN_E_EAGER] = {"eager", E_BOOL, 0},
	[VS_SCN_E_CONTROL_INPUTS] = {"control_inputs", E_INT, 0},
	[VS_SCN_E_IN_CONTROL_FLOW] = {"in_control_flow", E_BOOL, 0},
	[VS_SCN_E_TAPE_RECORDING] = {"tape_recording", E_BOOL, 0},
	[VS_SCN_E_BUILDING_FUNCTION] = {"building_function", E_BOOL, 0},
	[VS_SCN_E_GRAPH] = {"graph", E_REF, VS_SCN_NS_GRAPH},
	[VS_SCN_E_CALLS] = {"calls", E_CALLS, 0},
	[VS_SCN_E_TRACES] = {"traces", E_CALLS, VS_SCN_NS_FUNCOBJ},
	[VS_SCN_E_RECEIVED] = {"received", E_RECV, 0},
	[VS_SCN_E_SCOPE_COLLECTION] = {"scope_collection", E_SCOLL, 0},
	[VS_SCN_E_INITIALIZER] = {"initializer", E_OPTSTR, 0},
	[VS_SCN_E_CONSTRAINT] = {"constraint", E_OPTSTR, 0},
	[VS_SCN_E_CACHING_DEVICE] = {"caching_device", E_OPTSTR, 0},
	[VS_SCN_E_CONTEXT_SWITCHES] = {"context_switches", E_INT, 0},
	[VS_SCN_E_GRAPH_STACK] = {"graph_stack", E_INT, 0},
	[VS_SCN_E_DEVICE] = {"device", E_STR, 0},
	[VS_SCN_E_INITIALIZER_OP] = {"initializer_op", E_OPPROPS, 0},
	[VS_SCN_E_OP] = {"op", E_OPPROPS, VS_SCN_NS_OP},
	[VS_SCN_E_EAGER_OUTSIDE_FUNCTIONS] = {"eager_outside_functions", E_BOOL, 0},
	[VS_SCN_E_SCOPE_ATTR] = {"scope_attr", E_SATTR, 0},
};

static const char *const ns_names[VS_SCN_NS__COUNT] = {
	[VS_SCN_NS_NONE] = "name",
	[VS_SCN_NS_GRAPH] = "graph",
	[VS_SCN_NS_SCOPE] = "scope",
	[VS_SCN_NS_OP] = "op",
	[VS_SCN_NS_TEMPLATE] = "template",
	[VS_SCN_NS_STORE] = "eager store",
	[VS_SCN_NS_VAR] = "variable",
	[VS_SCN_NS_CM] = "context manager",
	[VS_SCN_NS_GETTER] = "getter",
	[VS_SCN_NS_CREATOR] = "creator",
	[VS_SCN_NS_FUNCTION] = "function",
	[VS_SCN_NS_THREAD] = "thread",
	[VS_SCN_NS_VARSTORE] = "variable store",
	[VS_SCN_NS_FUNCOBJ] = "function object",
};

const char *vs_scn_kind_name(vs_scn_kind k)
{
	return (unsigned)k < VS_SCN_KIND__COUNT ? kinds[k].name : "?";
}

const char *vs_scn_reuse_name(vs_reuse r)
{
	switch (r) {
	case VS_REUSE_INHERIT: return "none";
	case VS_REUSE_FALSE: return "false";
	case VS_REUSE_TRUE: return "true";
	case VS_REUSE_AUTO: return "auto";
	}
	return "invalid";
}

/* ------------------------------------------------------------------ state */

typedef struct ref {
	vs_scn_ns ns;
	char *name; /* borrowed from the tree */
	vs_scn_pos pos;
	int either_behave; /* calls: a getter or a creator */
} ref;

/*
 * A hash index of (tag, name) -> value, so that every duplicate and
 * reference check of the loader costs O(1) and loading stays linear in the
 * file however many keys, steps or declarations it holds.  Tags: a
 * mapping's node id (> 0) for its keys; the negative TAG_* values below for
 * the program's namespaces.  Names are borrowed (from the YAML document or
 * the tree), and live as long as the loader.
 */
typedef struct name_ent {
	const char *name;
	int tag;
	int val;
} name_ent;

typedef struct names {
	name_ent *v;
	size_t cap, n; /* cap: 0 or a power of two */
} names;

/* a `call:` step inside function `from`: of function `callee`, or of the
 * template bound to the name `callee` (via_template) */
typedef struct call_edge {
	int from;
	const char *callee;
	int via_template;
	vs_scn_pos pos;
} call_edge;

/* template name -> the function a make_template step gave it */
typedef struct tmpl_fn {
	const char *tmpl, *func;
} tmpl_fn;

#define TAG_BIND(ns) (-1 - (int)(ns)) /* names bound in namespace ns */
#define TAG_BEHAVE(c) (-100 - (c))    /* getters (0) / creators (1) */
#define TAG_FUNC (-102)
#define TAG_THREAD (-103)
#define TAG_TMPL_FIRST (-104) /* first tmpls[] entry of a template name */

typedef struct loader {
	const char *path;
	yaml_document_t doc;
	vs_error *err;
	vs_scn *s;
	ref *refs;
	size_t nrefs, caprefs;
	int depth;
	int cur_func;     /* index of the function being parsed, or -1 */
	call_edge *calls; /* `call:` steps inside functions */
	size_t ncalls, capcalls;
	tmpl_fn *tmpls; /* `make_template: {function: F, as: T}` */
	size_t ntmpls, captmpls;
	names idx; /* map keys, bindings and declarations, for linear-time lookups */
} loader;

static vs_scn_pos pos_of(const yaml_node_t *n)
{
	vs_scn_pos p = {(int)n->start_mark.line + 1, (int)n->start_mark.column + 1};
	return p;
}

VS_PRINTF(4, 5)
static int fail_at(loader *L, vs_scn_pos p, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return vs_error_set(L->err, code, "%s:%d:%d: %s", L->path, p.line, p.col, msg);
}

#define fail(L, n, ...) fail_at((L), pos_of(n), VS_ERR_FORMAT, __VA_ARGS__)

/* "path: out of memory" */
static int oom(loader *L)
{
	vs_error_nomem(L->err);
	vs_error_prefix(L->err, "%s", L->path);
	return VS_ERR_NOMEM;
}

static yaml_node_t *node(loader *L, int id) { return yaml_document_get_node(&L->doc, id); }

static const char *sval(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

static int is_null(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	const char *v = sval(n);
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
	       !strcmp(v, "NULL");
}

static const char *type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE: return "a mapping";
	case YAML_SEQUENCE_NODE: return "a list";
	default: return is_null(n) ? "null" : "a scalar";
	}
}

static int want_scalar(loader *L, const yaml_node_t *n, const char *key, const char *what)
{
	if (n->type == YAML_SCALAR_NODE && !is_null(n))
		return 0;
	return fail(L, n, "'%s' must be %s, not %s", key, what, type_name(n));
}

static int want_map(loader *L, const yaml_node_t *n, const char *key)
{
	if (n->type == YAML_MAPPING_NODE)
		return 0;
	return fail(L, n, "'%s' must be a mapping, not %s", key, type_name(n));
}

static int want_seq(loader *L, const yaml_node_t *n, const char *key)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return 0;
	return fail(L, n, "'%s' must be a list, not %s", key, type_name(n));
}

static int dup_str(loader *L, char **out, const char *s)
{
	*out = strdup(s);
	return *out ? 0 : oom(L);
}

static int get_str(loader *L, const yaml_node_t *n, const char *key, char **out)
{
	int rc = want_scalar(L, n, key, "a string");
	return rc < 0 ? rc : dup_str(L, out, sval(n));
}

static int get_bool(loader *L, const yaml_node_t *n, const char *key, int *out)
{
	if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		const char *v = sval(n);
		if (!strcmp(v, "true") || !strcmp(v, "True")) {
			*out = 1;
			return 0;
		}
		if (!strcmp(v, "false") || !strcmp(v, "False")) {
			*out = 0;
			return 0;
		}
	}
	return fail(L, n, "'%s' must be true or false", key);
}

static int get_int(loader *L, const yaml_node_t *n, const char *key, long long lo, long long *out)
{
	if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		char *end;
		errno = 0;
		long long v = strtoll(sval(n), &end, 10);
		if (*sval(n) && !*end && !errno && v >= lo) {
			*out = v;
			return 0;
		}
	}
	if (lo == LLONG_MIN)
		return fail(L, n, "'%s' must be an integer", key);
	return fail(L, n, "'%s' must be an integer >= %lld", key, lo);
}

static int get_num(loader *L, const yaml_node_t *n, const char *key, double *out)
{
	if (n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		char *end;
		errno = 0;
		double v = strtod(sval(n), &end);
		if (*sval(n) && !*end && !errno) {
			*out = v;
			return 0;
		}
	}
	return fail(L, n, "'%s' must be a number", key);
}

/* Iterates the pairs of a mapping, rejecting duplicate and non-scalar keys. */
#define FOR_PAIRS(L, map, kn, vn, rc)                                                   \
	for (yaml_node_pair_t *p_##kn = (map)->data.mapping.pairs.start;                \
	     p_##kn < (map)->data.mapping.pairs.top && (rc) >= 0; p_##kn++)             \
		if (((kn) = node((L), p_##kn->key)), ((vn) = node((L), p_##kn->value)), \
		    ((rc) = check_key((L), (map), p_##kn)) < 0)                         \
			break;                                                          \
		else

static size_t name_hash(int tag, const char *name)
{
	uint64_t h = UINT64_C(1469598103934665603) ^ (uint32_t)tag;
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		h = (h ^ *c) * UINT64_C(1099511628211);
	return (size_t)(h ^ (h >> 29));
}

/* the entry of (tag, name), or NULL */
static name_ent *names_find(const names *x, int tag, const char *name)
{
	if (!x->cap)
		return NULL;
	for (size_t i = name_hash(tag, name) & (x->cap - 1);; i = (i + 1) & (x->cap - 1)) {
		name_ent *e = &x->v[i];
		if (!e->name)
			return NULL;
		if (e->tag == tag && !strcmp(e->name, name))
			return e;
	}
}

/* adds (tag, name) -> val unless present; *e (when e) is its entry */
static int names_put(loader *L, int tag, const char *name, int val, name_ent **e)
{
	names *x = &L->idx;
	if (2 * (x->n + 1) > x->cap) { /* keep the load at most 1/2 */
		size_t ncap = x->cap ? 2 * x->cap : 64;
		name_ent *nv = calloc(ncap, sizeof *nv);
		if (!nv)
			return oom(L);
		for (size_t i = 0; i < x->cap; i++) {
			if (!x->v[i].name)
				continue;
			size_t j = name_hash(x->v[i].tag, x->v[i].name) & (ncap - 1);
			while (nv[j].name)
				j = (j + 1) & (ncap - 1);
			nv[j] = x->v[i];
		}
		free(x->v);
		x->v = nv;
		x->cap = ncap;
	}
	size_t i = name_hash(tag, name) & (x->cap - 1);
	while (x->v[i].name && !(x->v[i].tag == tag && !strcmp(x->v[i].name, name)))
		i = (i + 1) & (x->cap - 1);
	if (!x->v[i].name) {
		x->v[i] = (name_ent){name, tag, val};
		x->n++;
	}
	if (e)
		*e = &x->v[i];
	return 0;
}

static int add_bind(loader *L, vs_scn_ns ns, const char *name)
{
	return names_put(L, TAG_BIND(ns), name, 0, NULL);
}

static int check_key(loader *L, const yaml_node_t *map, const yaml_node_pair_t *pair)
{
	yaml_node_t *k = node(L, pair->key);
	if (k->type != YAML_SCALAR_NODE || is_null(k))
		return fail(L, k, "mapping keys must be strings, not %s", type_name(k));
	/* the mapping's node id tags its keys; a key seen at another pair
	 * index of the same mapping is a duplicate (a mapping walked twice
	 * finds its own entries) */
	int map_id = (int)(map - L->doc.nodes.start) + 1;
	int at = (int)(pair - map->data.mapping.pairs.start);
	name_ent *e;
	int rc = names_put(L, map_id, sval(k), at, &e);
	if (rc < 0)
		return rc;
	if (e->val != at)
		return fail(L, k, "duplicate key '%s'", sval(k));
	return 0;
}

static int add_ref(loader *L, vs_scn_ns ns, char *name, vs_scn_pos pos, int either)
{
	if (VS_GROW(L->refs, L->caprefs, L->nrefs + 1) < 0)
		return oom(L);
	L->refs[L->nrefs++] = (ref){ns, name, pos, either};
	return 0;
}

static int enum_lookup(const char *const *list, int n, const char *v)
{
	for (int i = 0; i < n; i++)
		if (list[i] && !strcmp(list[i], v))
			return i;
	return -1;
}

/* ------------------------------------------------------------ value parsers */

static int parse_dtype(loader *L, const yaml_node_t *n, const char *key, vs_dtype *out)
{
	int rc = want_scalar(L, n, key, "a dtype name");
	if (rc < 0)
		return rc;
	vs_dtype dt = vs_dtype_from_name(sval(n));
	if (dt == VS_DT_NONE)
		return fail(L, n, "unknown dtype '%s'", sval(n));
	*out = dt;
	return 0;
}

static int parse_shape(loader *L, const yaml_node_t *n, const char *key, vs_shape *out)
{
	memset(out, 0, sizeof *out);
	if (n->type == YAML_SCALAR_NODE && !strcmp(sval(n), "unknown")) {
		out->rank = -1;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(L, n, "'%s' must be a list of dimensions or 'unknown'", key);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *d = node(L, *it);
		if (out->rank == VS_MAX_RANK)
			return fail(L, d, "'%s' has more than %d dimensions", key, VS_MAX_RANK);
		long long v;
		if (is_null(d) || (d->type == YAML_SCALAR_NODE && !strcmp(sval(d), "?"))) {
			out->dims[out->rank++] = VS_DIM_UNKNOWN;
			continue;
		}
		int rc = get_int(L, d, "dimension", 0, &v);
		if (rc < 0)
			return rc;
		out->dims[out->rank++] = v;
	}
	return 0;
}

static int parse_init(loader *L, const yaml_node_t *n, const char *key, vs_initializer *init,
                      vs_shape *shape, int *has_shape)
{
	memset(init, 0, sizeof *init);
	*has_shape = 0;
	const yaml_node_t *kn = n;
	if (n->type == YAML_MAPPING_NODE) {
		yaml_node_t *k, *v;
		int rc = 0;
		kn = NULL;
		FOR_PAIRS(L, n, k, v, rc)
		{
			const char *kk = sval(k);
			if (!strcmp(kk, "kind"))
				kn = v;
			else if (!strcmp(kk, "value"))
				rc = get_num(L, v, "value", &init->value);
			else if (!strcmp(kk, "dtype"))
				rc = parse_dtype(L, v, "dtype", &init->dtype);
			else if (!strcmp(kk, "shape")) {
				rc = parse_shape(L, v, "shape", shape);
				*has_shape = 1;
			} else
				rc = fail(L, k,
				          "unknown key '%s' in '%s' (expected kind, value, dtype, "
				          "shape)",
				          kk, key);
		}
		if (rc < 0)
			return rc;
		if (!kn)
			return fail(L, n, "'%s' needs a 'kind'", key);
	}
	int rc = want_scalar(L, kn, key, "an initializer kind");
	if (rc < 0)
		return rc;
	for (int k = VS_INIT_ZEROS; k <= VS_INIT_VALUE; k++)
		if (!strcmp(vs_init_kind_name((vs_init_kind)k), sval(kn))) {
			init->kind = (vs_init_kind)k;
			return 0;
		}
	return fail(L, kn, "unknown initializer '%s'", sval(kn));
}

static int parse_part(loader *L, const yaml_node_t *n, const char *key, vs_scn_part *out)
{
	memset(out, 0, sizeof *out);
	if (n->type == YAML_SCALAR_NODE) {
		if (!strcmp(sval(n), "not_callable"))
			out->kind = VS_SCN_PART_NOT_CALLABLE;
		else if (!strcmp(sval(n), "not_sequence"))
			out->kind = VS_SCN_PART_NOT_SEQUENCE;
		else
			return fail(L, n,
			            "unknown partitioner '%s' (expected a mapping, 'not_callable' "
			            "or 'not_sequence')",
			            sval(n));
		return 0;
	}
	int rc = want_map(L, n, key);
	yaml_node_t *k, *v;
	int have_shards = 0, have_parts = 0;
	out->kind = VS_SCN_PART_FIXED;
	FOR_PAIRS(L, n, k, v, rc)
	{
		long long x = 0; /* read below even when get_int fails */
		if (!strcmp(sval(k), "shards")) {
			rc = get_int(L, v, "shards", 0, &x);
			out->shards = (int)(x > INT_MAX ? INT_MAX : x);
			have_shards = 1;
		} else if (!strcmp(sval(k), "axis")) {
			rc = get_int(L, v, "axis", 0, &x);
			out->axis = (int)(x > VS_MAX_RANK ? VS_MAX_RANK : x);
		} else if (!strcmp(sval(k), "parts")) {
			vs_shape sh;
			rc = parse_shape(L, v, "parts", &sh);
			if (rc >= 0 && sh.rank < 0)
				rc = fail(L, v, "'parts' must be a list of integers");
			for (int i = 0; rc >= 0 && i < sh.rank; i++)
				out->parts[i] = sh.dims[i];
			out->nparts = sh.rank;
			out->kind = VS_SCN_PART_PARTS;
			have_parts = 1;
		} else
			rc = fail(L, k, "unknown key '%s' in '%s' (expected shards, axis, parts)",
			          sval(k), key);
	}
	if (rc >= 0 && have_shards == have_parts)
		rc = fail(L, n, "'%s' needs exactly one of 'shards' and 'parts'", key);
	return rc;
}

static int parse_strlist(loader *L, const yaml_node_t *n, const char *key, int nulls,
                         vs_scn_strlist *out)
{
	int rc = want_seq(L, n, key);
	if (rc < 0)
		return rc;
	size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	out->v = calloc(cnt + 1, sizeof *out->v);
	if (!out->v)
		return oom(L);
	for (size_t i = 0; i < cnt && rc >= 0; i++) {
		yaml_node_t *e = node(L, n->data.sequence.items.start[i]);
		if (nulls && is_null(e)) {
			out->n++;
			continue;
		}
		rc = get_str(L, e, key, &out->v[i]);
		if (rc >= 0)
			out->n++;
	}
	return rc;
}

static int parse_steps(loader *L, const yaml_node_t *n, const char *key, vs_scn_list *out);
static int parse_expect(loader *L, const yaml_node_t *n, vs_scn_expect *ex);

static int parse_reuse(loader *L, const yaml_node_t *n, const char *key, vs_reuse *out)
{
	if (is_null(n) || (n->type == YAML_SCALAR_NODE && !strcmp(sval(n), "none"))) {
		*out = VS_REUSE_INHERIT;
		return 0;
	}
	if (n->type == YAML_SCALAR_NODE) {
		const char *v = sval(n);
		if (!strcmp(v, "false") || !strcmp(v, "False")) {
			*out = VS_REUSE_FALSE;
			return 0;
		}
		if (!strcmp(v, "true") || !strcmp(v, "True")) {
			*out = VS_REUSE_TRUE;
			return 0;
		}
		if (!strcmp(v, "auto") || !strcmp(v, "AUTO_REUSE")) {
			*out = VS_REUSE_AUTO;
			return 0;
		}
		if (!strcmp(v, "invalid")) {
			*out = VS_SCN_REUSE_INVALID;
			return 0;
		}
	}
	return fail(L, n, "'%s' must be none, false, true, auto or invalid", key);
}

/* the YAML names of a C enum's values (0..count-1) */
typedef struct name_set {
	const char *const *names;
	int count;
	const char *what; /* the names as a message lists them */
	const char *kind; /* what a value is called: "unknown KIND 'x'" */
} name_set;

static const char *const sync_names[] = {[VS_SYNC_AUTO] = "auto",
                                         [VS_SYNC_NONE] = "none",
                                         [VS_SYNC_ON_WRITE] = "on_write",
                                         [VS_SYNC_ON_READ] = "on_read"};
static const name_set sync_set = {sync_names, 4, "auto, none, on_write or on_read",
                                  "synchronization"};
static const char *const agg_names[] = {[VS_AGG_NONE] = "none",
                                        [VS_AGG_SUM] = "sum",
                                        [VS_AGG_MEAN] = "mean",
                                        [VS_AGG_ONLY_FIRST_REPLICA] = "only_first_replica"};
static const name_set agg_set = {agg_names, 4, "none, sum, mean or only_first_replica",
                                 "aggregation"};

/* a scalar naming one value of set: its number in *out */
static int parse_name_of(loader *L, const yaml_node_t *n, const char *key, const name_set *set,
                         int *out)
{
	int rc = want_scalar(L, n, key, set->what);
	if (rc < 0)
		return rc;
	int i = enum_lookup(set->names, set->count, sval(n));
	if (i < 0)
		return fail(L, n, "unknown %s '%s'", set->kind, sval(n));
	*out = i;
	return 0;
}

/* auxiliary_name_scope: true/false, or any other scalar, which models a
 * non-bool Python value (TensorFlow's TypeError, E14) */
static int parse_aux(loader *L, const yaml_node_t *v, const char *key, vs_scn_val *val)
{
	if (v->type != YAML_SCALAR_NODE)
		return fail(L, v, "'%s' must be a scalar", key);
	if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (!strcmp(sval(v), "true") || !strcmp(sval(v), "false"))) {
		val->b = !strcmp(sval(v), "true");
		return 0;
	}
	val->aux_bad = 1;
	return dup_str(L, &val->str, sval(v));
}

/* a string that refers to something in namespace ns */
static int parse_ref(loader *L, const yaml_node_t *v, const char *key, vs_scn_ns ns,
                     vs_scn_val *val)
{
	int rc = get_str(L, v, key, &val->str);
	return rc < 0 ? rc : add_ref(L, ns, val->str, val->pos, 0);
}

/* `as:` binds the step's result; `cm:` binds its context manager, except
 * on `exit:`, where it refers to one */
static int parse_bind(loader *L, vs_scn_step *st, int a, const yaml_node_t *v, vs_scn_val *val)
{
	if (st->kind == VS_SCN_EXIT)
		return parse_ref(L, v, args[a].key, VS_SCN_NS_CM, val);
	int rc = get_str(L, v, args[a].key, &val->str);
	vs_scn_ns ns = a == VS_SCN_A_AS ? kinds[st->kind].binds : VS_SCN_NS_CM;
	return rc < 0 ? rc : add_bind(L, ns, val->str);
}

/* a plain scalar that YAML's core schema reads as an integer, a float or a
 * boolean, i.e. a Python value that is not a str */
static int plain_non_string(const yaml_node_t *v)
{
	if (v->type != YAML_SCALAR_NODE || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	const char *t = sval(v);
	static const char *const words[] = {"true", "True",  "TRUE",  "false", "False", "FALSE",
	                                    ".inf", "-.inf", "+.inf", ".nan",  ".NaN",  ".NAN"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (!strcmp(t, words[i]))
			return 1;
	char *end;
	errno = 0;
	(void)strtod(t, &end);
	return *t && !*end && t[strspn(t, "+-0123456789.eE")] == '\0';
}

/* args: {NAME: scalar, ...}: names in val->list, texts in val->argvals */
static int parse_call_args(loader *L, const yaml_node_t *v, const char *key, vs_scn_val *val)
{
	int rc = want_map(L, v, key);
	if (rc < 0)
		return rc;
	size_t cnt = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	val->list.v = calloc(cnt + 1, sizeof *val->list.v);
	val->argvals.v = calloc(cnt + 1, sizeof *val->argvals.v);
	if (!val->list.v || !val->argvals.v)
		return oom(L);
	yaml_node_t *k, *x;
	FOR_PAIRS(L, v, k, x, rc)
	{
		rc = dup_str(L, &val->list.v[val->list.n], sval(k));
		if (rc >= 0)
			rc = get_str(L, x, sval(k), &val->argvals.v[val->argvals.n]);
		val->list.n++;
		val->argvals.n++;
	}
	return rc;
}

/* argument types whose value may be a `$NAME` call argument */
static int param_type(atype t)
{
	return t == T_STR || t == T_BOOL || t == T_INT || t == T_REUSE || t == T_DTYPE;
}

int vs_scn_err_code(const char *kind)
{
	for (int code = VS_ERR_VALUE; kind && vs_err_is_tf(code); code--)
		if (!strcmp(vs_err_name(code), kind))
			return code;
	return 0;
}

int vs_scn_param_value(int arg, const char *text, vs_scn_val *v)
{
	if (arg < 0 || arg >= VS_SCN_A__COUNT || !text)
		return -1;
	switch (args[arg].type) {
	case T_STR: v->str = (char *)(uintptr_t)text; return 0;
	case T_BOOL:
		if (!strcmp(text, "true") || !strcmp(text, "True"))
			v->b = 1;
		else if (!strcmp(text, "false") || !strcmp(text, "False"))
			v->b = 0;
		else
			return -1;
		return 0;
	case T_INT: {
		char *end;
		v->i = strtoll(text, &end, 10);
		return *text && !*end ? 0 : -1;
	}
	case T_REUSE: {
		static const struct {
			const char *n;
			vs_reuse r;
		} m[] = {{"none", VS_REUSE_INHERIT},
		         {"false", VS_REUSE_FALSE},
		         {"true", VS_REUSE_TRUE},
		         {"auto", VS_REUSE_AUTO}};
		for (size_t i = 0; i < sizeof m / sizeof *m; i++)
			if (!strcmp(text, m[i].n)) {
				v->reuse = m[i].r;
				return 0;
			}
		return -1;
	}
	case T_DTYPE: v->dtype = vs_dtype_from_name(text); return v->dtype ? 0 : -1;
	default: return -1;
	}
}

static int parse_arg(loader *L, vs_scn_step *st, int a, const yaml_node_t *v)
{
	const struct argspec *sp = &args[a];
	vs_scn_val *val = &st->a[a];
	int rc = 0, num = 0;
	val->set = 1;
	val->pos = pos_of(v);
	if (param_type(sp->type) && v->type == YAML_SCALAR_NODE &&
	    v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && sval(v)[0] == '$' && sval(v)[1]) {
		st->has_params = 1; /* resolved when the step runs */
		return dup_str(L, &val->param, sval(v) + 1);
	}
	if (sp->type == T_ARGS)
		return parse_call_args(L, v, sp->key, val);
	if (is_null(v) && sp->type != T_REUSE) {
		if (!sp->nullable)
			return fail(L, v, "'%s' must not be null", sp->key);
		val->is_null = 1;
		return 0;
	}
	switch (sp->type) {
	case T_STR: val->not_str = plain_non_string(v); return get_str(L, v, sp->key, &val->str);
	case T_BOOL: return get_bool(L, v, sp->key, &val->b);
	case T_INT: return get_int(L, v, sp->key, LLONG_MIN, &val->i);
	case T_REUSE: return parse_reuse(L, v, sp->key, &val->reuse);
	case T_DTYPE: return parse_dtype(L, v, sp->key, &val->dtype);
	case T_SHAPE: return parse_shape(L, v, sp->key, &val->shape);
	case T_INIT:
		return parse_init(L, v, sp->key, &val->init, &val->init_shape,
		                  &val->init_has_shape);
	case T_REG:
		if (v->type == YAML_SCALAR_NODE && !strcmp(sval(v), "adds_loss"))
			val->regularizer_adds = 1;
		else if (!(v->type == YAML_SCALAR_NODE && !strcmp(sval(v), "returns_none")))
			return fail(L, v, "'%s' must be adds_loss or returns_none", sp->key);
		return 0;
	case T_PART: return parse_part(L, v, sp->key, &val->part);
	case T_SYNC:
		rc = parse_name_of(L, v, sp->key, &sync_set, &num);
		val->sync = (vs_sync)num;
		return rc;
	case T_AGG:
		rc = parse_name_of(L, v, sp->key, &agg_set, &num);
		val->agg = (vs_agg)num;
		return rc;
	case T_AUX: return parse_aux(L, v, sp->key, val);
	case T_STRLIST: return parse_strlist(L, v, sp->key, 0, &val->list);
	case T_OPLIST:
		rc = parse_strlist(L, v, sp->key, 1, &val->list);
		for (size_t i = 0; rc >= 0 && i < val->list.n; i++)
			if (val->list.v[i])
				rc = add_ref(L, VS_SCN_NS_OP, val->list.v[i], val->pos, 0);
		return rc;
	case T_STEPS: return parse_steps(L, v, sp->key, &val->body);
	case T_REF: return parse_ref(L, v, sp->key, sp->ns, val);
	case T_BIND: return parse_bind(L, st, a, v, val);
	case T_ARGS: break; /* parsed above */
	}
	VS_BUG("argument type %d", (int)sp->type);
}

static int find_kind(const char *name)
{
	for (int k = 0; k < VS_SCN_KIND__COUNT; k++)
		if (!strcmp(kinds[k].name, name))
			return k;
	return -1;
}

static int find_arg(const char *key)
{
	for (int a = 0; a < VS_SCN_A__COUNT; a++)
		if (!strcmp(args[a].key, key))
			return a;
	return -1;
}

/* the keys of a step's mapping: its kind (one), `body:` and `expect:` */
typedef struct step_keys {
	yaml_node_t *kindk, *kindv, *expv, *bodyk, *bodyv;
} step_keys;

static int sort_step_keys(loader *L, const yaml_node_t *n, vs_scn_step *st, step_keys *sk)
{
	yaml_node_t *k, *v;
	int rc = 0;
	memset(sk, 0, sizeof *sk);
	FOR_PAIRS(L, n, k, v, rc)
	{
		const char *key = sval(k);
		int kind;
		if (!strcmp(key, "expect")) {
			sk->expv = v;
		} else if (!strcmp(key, "body")) {
			sk->bodyk = k;
			sk->bodyv = v;
		} else if ((kind = find_kind(key)) >= 0) {
			if (sk->kindk)
				return fail(L, k, "step has two kinds, '%s' and '%s'",
				            sval(sk->kindk), key);
			sk->kindk = k;
			sk->kindv = v;
			st->kind = (vs_scn_kind)kind;
		} else if (find_arg(key) >= 0) {
			return fail(L, k,
			            "'%s' belongs inside the step's mapping (indent it under the "
			            "step kind)",
			            key);
		} else {
			return fail(L, k, "unknown step '%s'", key);
		}
	}
	if (rc < 0)
		return rc;
	if (!sk->kindk)
		return fail(L, n, "step has no kind (only 'expect')");
	return 0;
}

/* the value of the step kind: a mapping of arguments, a list (the body of
 * a context step) or a scalar (the kind's primary argument) */
static int parse_step_value(loader *L, vs_scn_step *st, const yaml_node_t *kindv)
{
	const struct kindspec *ks = &kinds[st->kind];
	yaml_node_t *k, *v;
	int rc = 0;
	if (kindv->type == YAML_MAPPING_NODE) {
		FOR_PAIRS(L, kindv, k, v, rc)
		{
			int a = find_arg(sval(k));
			if (a < 0 || !(ks->allowed & (UINT64_C(1) << a)))
				return fail(L, k, "unknown key '%s' in '%s'", sval(k), ks->name);
			rc = parse_arg(L, st, a, v);
		}
		return rc;
	}
	if (kindv->type == YAML_SEQUENCE_NODE) {
		if (!ks->context)
			return fail(L, kindv, "'%s' takes a mapping or a scalar, not a list",
			            ks->name);
		return parse_arg(L, st, VS_SCN_A_BODY, kindv); /* `cond: [steps]` = body */
	}
	if (is_null(kindv))
		return 0;
	if (ks->primary < 0)
		return fail(L, kindv, "'%s' takes a mapping, not a scalar", ks->name);
	return parse_arg(L, st, ks->primary, kindv);
}

/* required keys and the rules that involve more than one key */
static int check_step(loader *L, vs_scn_step *st, const yaml_node_t *kindk)
{
	const struct kindspec *ks = &kinds[st->kind];
	for (int a = 0; a < VS_SCN_A__COUNT; a++)
		if ((ks->required & (UINT64_C(1) << a)) && !st->a[a].set)
			return fail(L, kindk, "'%s' needs '%s'", ks->name, args[a].key);
	if ((st->kind == VS_SCN_GET_VARIABLE || st->kind == VS_SCN_GET_LOCAL_VARIABLE ||
	     st->kind == VS_SCN_STORE_GET_VARIABLE) &&
	    st->a[VS_SCN_A_NAME].is_null)
		return fail_at(L, st->a[VS_SCN_A_NAME].pos, VS_ERR_FORMAT,
		               "'name' must not be null");
	if (st->kind == VS_SCN_STORE_GET_VARIABLE && st->a[VS_SCN_A_REUSE].set &&
	    st->a[VS_SCN_A_REUSE].reuse == VS_SCN_REUSE_INVALID)
		return fail_at(L, st->a[VS_SCN_A_REUSE].pos, VS_ERR_FORMAT,
		               "'reuse' of 'store_get_variable' must be none, false, true or auto");
	if (st->kind == VS_SCN_RAISE && !st->a[VS_SCN_A_ERROR].param &&
	    vs_scn_err_code(st->a[VS_SCN_A_ERROR].str) == 0)
		return fail_at(
			L, st->a[VS_SCN_A_ERROR].pos, VS_ERR_FORMAT,
			"unknown error kind '%s' (expected ValueError, RuntimeError, TypeError, "
			"AssertionError, NotImplementedError or AttributeError)",
			st->a[VS_SCN_A_ERROR].str);
	if (st->kind == VS_SCN_EAGER_STORE && st->a[VS_SCN_A_FROM].set &&
	    st->a[VS_SCN_A_VAR_STORE].set)
		return fail(L, kindk, "'eager_store' takes 'from' or 'var_store', not both");
	if (st->kind == VS_SCN_CALL && st->a[VS_SCN_A_TEMPLATE].set + st->a[VS_SCN_A_FUNCTION].set +
	                                               st->a[VS_SCN_A_TRACED].set !=
	                                       1)
		return fail(L, kindk,
		            "'call' needs exactly one of 'template', 'function' and 'traced'");
	if ((st->kind == VS_SCN_START || st->kind == VS_SCN_JOIN) &&
	    !strcmp(st->a[VS_SCN_A_THREAD].str, "main"))
		return fail_at(L, st->a[VS_SCN_A_THREAD].pos, VS_ERR_FORMAT,
		               "the main thread cannot be %s",
		               st->kind == VS_SCN_START ? "started" : "joined");
	return 0;
}

/* remembers what a `call:` (inside a function) or `make_template:` step
 * calls, for find_recursion */
static int note_call(loader *L, const vs_scn_step *st)
{
	const vs_scn_val *a = st->a;
	if (st->kind == VS_SCN_MAKE_TEMPLATE && a[VS_SCN_A_AS].set) {
		if (VS_GROW(L->tmpls, L->captmpls, L->ntmpls + 1) < 0)
			return oom(L);
		L->tmpls[L->ntmpls++] = (tmpl_fn){a[VS_SCN_A_AS].str, a[VS_SCN_A_FUNCTION].str};
	}
	if (st->kind != VS_SCN_CALL || L->cur_func < 0)
		return 0;
	int via = a[VS_SCN_A_TEMPLATE].set;
	if (VS_GROW(L->calls, L->capcalls, L->ncalls + 1) < 0)
		return oom(L);
	L->calls[L->ncalls++] = (call_edge){L->cur_func,
	                                    a[via ? VS_SCN_A_TEMPLATE : VS_SCN_A_FUNCTION].str, via,
	                                    st->pos};
	return 0;
}

static int parse_step(loader *L, const yaml_node_t *n, vs_scn_step *st)
{
	step_keys sk;
	if (n->type != YAML_MAPPING_NODE)
		return fail(L, n,
		            "a step must be a mapping like '- get_variable: {name: v}', not %s",
		            type_name(n));
	st->pos = pos_of(n);
	int rc = sort_step_keys(L, n, st, &sk);
	if (rc < 0)
		return rc;
	st->pos = pos_of(sk.kindk);
	const struct kindspec *ks = &kinds[st->kind];
	if ((rc = parse_step_value(L, st, sk.kindv)) < 0)
		return rc;
	if (sk.bodyv) { /* `body:` next to the step kind, the block style */
		if (!ks->context)
			return fail(L, sk.bodyk, "'%s' has no body", ks->name);
		if (st->a[VS_SCN_A_BODY].set)
			return fail(L, sk.bodyk, "'%s' has two bodies", ks->name);
		if ((rc = parse_arg(L, st, VS_SCN_A_BODY, sk.bodyv)) < 0)
			return rc;
	}
	if ((rc = check_step(L, st, sk.kindk)) < 0)
		return rc;
	if ((rc = note_call(L, st)) < 0)
		return rc;
	if (st->kind == VS_SCN_VARIABLE_SCOPE && st->a[VS_SCN_A_NAME].is_null)
		st->a[VS_SCN_A_NAME].set = 0;
	if (sk.expv) {
		st->has_expect = 1;
		rc = parse_expect(L, sk.expv, &st->ex);
	}
	return rc;
}

static int parse_steps(loader *L, const yaml_node_t *n, const char *key, vs_scn_list *out)
{
	int rc = want_seq(L, n, key);
	if (rc < 0)
		return rc;
	if (++L->depth > MAX_DEPTH) {
		L->depth--;
		return fail(L, n, "steps nested more than %d deep", MAX_DEPTH);
	}
	size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	out->v = calloc(cnt ? cnt : 1, sizeof *out->v);
	if (!out->v) {
		rc = oom(L);
		goto done;
	}
	for (size_t i = 0; i < cnt && rc >= 0; i++) {
		rc = parse_step(L, node(L, n->data.sequence.items.start[i]), &out->v[i]);
		out->n++; /* counted even when half-parsed, so the free walks it */
	}
done:
	L->depth--;
	return rc;
}

/* ------------------------------------------------------------ expectations */

static int parse_error_exp(loader *L, const yaml_node_t *n, vs_scn_expect *ex)
{
	const yaml_node_t *kn = n;
	int rc = 0;
	if (n->type == YAML_MAPPING_NODE) {
		yaml_node_t *k, *v;
		kn = NULL;
		FOR_PAIRS(L, n, k, v, rc)
		{
			if (!strcmp(sval(k), "kind"))
				kn = v;
			else if (!strcmp(sval(k), "message"))
				rc = get_str(L, v, "message", &ex->err_message);
			else if (!strcmp(sval(k), "prefix"))
				rc = get_str(L, v, "prefix", &ex->err_prefix);
			else if (!strcmp(sval(k), "contains"))
				rc = get_str(L, v, "contains", &ex->err_contains);
			else
				rc = fail(L, k,
				          "unknown key '%s' in 'error' (expected kind, message, "
				          "prefix, contains)",
				          sval(k));
		}
		if (rc < 0)
			return rc;
		if (!kn)
			return fail(L, n, "'error' needs a 'kind'");
		if (!!ex->err_message + !!ex->err_prefix + !!ex->err_contains > 1)
			return fail(L, n, "'error' takes one of 'message', 'prefix' or 'contains'");
	}
	rc = want_scalar(L, kn, "error", "an exception kind");
	if (rc < 0)
		return rc;
	for (int code = VS_ERR_VALUE; vs_err_is_tf(code); code--) /* the TF exception kinds */
		if (!strcmp(vs_err_name(code), sval(kn))) {
			ex->err_code = code;
			return 0;
		}
	return fail(L, kn,
	            "unknown error kind '%s' (expected ValueError, RuntimeError, TypeError, "
	            "AssertionError, NotImplementedError or AttributeError)",
	            sval(kn));
}

static int push_named(loader *L, vs_scn_namedlist **arr, size_t *n, size_t *cap,
                      const yaml_node_t *k, vs_scn_namedlist **out)
{
	if (VS_GROW(*arr, *cap, *n + 1) < 0)
		return oom(L);
	*out = &(*arr)[(*n)++];
	memset(*out, 0, sizeof **out);
	(*out)->pos = pos_of(k);
	return dup_str(L, &(*out)->key, sval(k));
}

/* KEY: [names] into a new entry of arr */
static int parse_named_list(loader *L, vs_scn_namedlist **arr, size_t *cnt, size_t *cap,
                            const yaml_node_t *k, const yaml_node_t *v)
{
	vs_scn_namedlist *nl;
	int rc = push_named(L, arr, cnt, cap, k, &nl);
	return rc < 0 ? rc : parse_strlist(L, v, sval(k), 0, &nl->names);
}

/* {ref_key: ref, scope_key: str, calls: int, <list keys>: [names]} */
static int parse_subject_lists(loader *L, const yaml_node_t *n, const char *what,
                               const char *refkey, vs_scn_ns ns, char **ref_out,
                               const char *const *lists, vs_scn_namedlist **arr, size_t *cnt,
                               size_t *cap, char **scope_out, int *scope_null, long long *calls_out)
{
	int rc = want_map(L, n, what);
	yaml_node_t *k, *v;
	FOR_PAIRS(L, n, k, v, rc)
	{
		const char *kk = sval(k);
		if (!strcmp(kk, refkey)) {
			rc = get_str(L, v, kk, ref_out);
			if (rc >= 0)
				rc = add_ref(L, ns, *ref_out, pos_of(v), 0);
		} else if (scope_out && !strcmp(kk, "scope")) {
			if (is_null(v))
				*scope_null = 1; /* expects None */
			else
				rc = get_str(L, v, kk, scope_out);
		} else if (calls_out && !strcmp(kk, "calls")) {
			rc = get_int(L, v, kk, 0, calls_out);
		} else if (enum_lookup(lists, 8, kk) >= 0) {
			rc = parse_named_list(L, arr, cnt, cap, k, v);
		} else {
			rc = fail(L, k, "unknown key '%s' in '%s'", kk, what);
		}
	}
	if (rc >= 0 && !*ref_out)
		rc = fail(L, n, "'%s' needs '%s'", what, refkey);
	return rc;
}

/* collection: {NAME: [variables], ...} */
static int parse_coll_exp(loader *L, const yaml_node_t *v, const char *key, vs_scn_expect *ex)
{
	yaml_node_t *ck, *cv;
	int rc = want_map(L, v, key);
	FOR_PAIRS(L, v, ck, cv, rc)
	rc = parse_named_list(L, &ex->coll, &ex->ncoll, &ex->capcoll, ck, cv);
	return rc;
}

/* calls: {GETTER_OR_CREATOR: count, ...}; traces: {FUNCTION_OBJECT: count} */
static int parse_calls_exp(loader *L, const yaml_node_t *v, const char *key, vs_scn_expect *ex)
{
	yaml_node_t *ck, *cv;
	int rc = want_map(L, v, key);
	int traces = !strcmp(key, "traces");
	FOR_PAIRS(L, v, ck, cv, rc)
	{
		vs_scn_namedlist *nl;
		rc = traces ? push_named(L, &ex->traces, &ex->ntraces, &ex->captraces, ck, &nl)
		            : push_named(L, &ex->calls, &ex->ncalls, &ex->capcalls, ck, &nl);
		if (rc >= 0)
			rc = get_int(L, cv, sval(ck), 0, &nl->count);
		if (rc >= 0)
			rc = traces ? add_ref(L, VS_SCN_NS_FUNCOBJ, nl->key, nl->pos, 0)
			            : add_ref(L, VS_SCN_NS_GETTER, nl->key, nl->pos, 1);
	}
	return rc;
}

/* scope_collection: {scope: S, NAME: [variables], ...} */
static int parse_scoll_exp(loader *L, const yaml_node_t *v, const char *key, vs_scn_expect *ex)
{
	yaml_node_t *ck, *cv;
	int rc = want_map(L, v, key);
	FOR_PAIRS(L, v, ck, cv, rc)
	{
		if (!strcmp(sval(ck), "scope")) {
			rc = get_str(L, cv, "scope", &ex->sc_ref);
			if (rc >= 0)
				rc = add_ref(L, VS_SCN_NS_SCOPE, ex->sc_ref, pos_of(cv), 0);
			continue;
		}
		rc = parse_named_list(L, &ex->sc_lists, &ex->nsc_lists, &ex->capsc_lists, ck, cv);
	}
	if (rc >= 0 && !ex->sc_ref)
		rc = fail(L, v, "'%s' needs 'scope'", key);
	return rc;
}

/* scope_attr: {scope: S, ATTR: text or ~, ...}: a VariableScope's
 * attributes (S bound with `as:`; absent = the scope the step entered, else
 * the current one) */
static int parse_sattr_exp(loader *L, const yaml_node_t *v, const char *key, vs_scn_expect *ex)
{
	static const char *const attrs[] = {"name",           "original_name_scope", "reuse",
	                                    "initializer",    "regularizer",         "partitioner",
	                                    "caching_device", "custom_getter",       "constraint",
	                                    "dtype",          "use_resource"};
	yaml_node_t *ck, *cv;
	int rc = want_map(L, v, key);
	FOR_PAIRS(L, v, ck, cv, rc)
	{
		const char *kk = sval(ck);
		if (!strcmp(kk, "scope")) {
			rc = get_str(L, cv, kk, &ex->sa_ref);
			if (rc >= 0)
				rc = add_ref(L, VS_SCN_NS_SCOPE, ex->sa_ref, pos_of(cv), 0);
			continue;
		}
		if (enum_lookup(attrs, (int)(sizeof attrs / sizeof *attrs), kk) < 0) {
			rc = fail(L, ck,
			          "unknown scope attribute '%s' (expected scope, name, "
			          "original_name_scope, reuse, initializer, regularizer, "
			          "partitioner, "
			          "caching_device, custom_getter, constraint, dtype, use_resource)",
			          kk);
			continue;
		}
		vs_scn_namedlist *nl;
		rc = push_named(L, &ex->sa_attrs, &ex->nsa_attrs, &ex->capsa_attrs, ck, &nl);
		if (rc < 0)
			continue;
		nl->names.v = calloc(1, sizeof *nl->names.v);
		if (!nl->names.v) {
			rc = oom(L);
			continue;
		}
		nl->names.n = 1;
		if (!is_null(cv)) /* null: expects None */
			rc = get_str(L, cv, kk, &nl->names.v[0]);
	}
	return rc;
}

/* the keys a getter/creator call's record has (behave.c's order) */
static const char *const recv_keys[] = {"name",        "shape",           "dtype",
                                        "initializer", "regularizer",     "reuse",
                                        "trainable",   "collections",     "caching_device",
                                        "partitioner", "validate_shape",  "use_resource",
                                        "constraint",  "synchronization", "aggregation",
                                        "v2",          "no_lifting"};

/* one behaviour's {call: N, KEY: text or ~, ...} */
static int parse_recv_one(loader *L, const yaml_node_t *v, vs_scn_namedlist *nl)
{
	int rc = want_map(L, v, nl->key);
	if (rc < 0)
		return rc;
	size_t cnt = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	nl->names.v = calloc(2 * cnt + 1, sizeof *nl->names.v);
	if (!nl->names.v)
		return oom(L);
	yaml_node_t *k, *x;
	FOR_PAIRS(L, v, k, x, rc)
	{
		const char *kk = sval(k);
		if (!strcmp(kk, "call")) {
			rc = get_int(L, x, kk, 1, &nl->count);
			continue;
		}
		if (enum_lookup(recv_keys, (int)(sizeof recv_keys / sizeof *recv_keys), kk) < 0) {
			rc = fail(L, k,
			          "unknown key '%s' in 'received' (expected call or a keyword "
			          "argument: name, shape, dtype, initializer, regularizer, reuse, "
			          "trainable, collections, caching_device, partitioner, "
			          "validate_shape, "
			          "use_resource, constraint, synchronization, aggregation, v2, "
			          "no_lifting)",
			          kk);
			continue;
		}
		size_t at = nl->names.n;
		nl->names.n += 2;
		rc = dup_str(L, &nl->names.v[at], kk);
		if (rc >= 0 && !is_null(x))
			rc = get_str(L, x, kk, &nl->names.v[at + 1]);
	}
	return rc;
}

/* received: {GETTER_OR_CREATOR: {call: N, KEY: value, ...}, ...} */
static int parse_recv_exp(loader *L, const yaml_node_t *v, const char *key, vs_scn_expect *ex)
{
	yaml_node_t *ck, *cv;
	int rc = want_map(L, v, key);
	FOR_PAIRS(L, v, ck, cv, rc)
	{
		vs_scn_namedlist *nl;
		rc = push_named(L, &ex->recv, &ex->nrecv, &ex->caprecv, ck, &nl);
		if (rc >= 0)
			rc = add_ref(L, VS_SCN_NS_GETTER, nl->key, nl->pos, 1);
		if (rc >= 0)
			rc = parse_recv_one(L, cv, nl);
	}
	return rc;
}

/* {op: X (when ref), name, type, control_inputs, device}: an op's
 * properties, each as text */
static int parse_op_exp(loader *L, const yaml_node_t *v, const char *key, char **refp,
                        vs_scn_namedlist **arr, size_t *n, size_t *cap)
{
	static const char *const props[] = {"name", "type", "control_inputs", "device"};
	yaml_node_t *ck, *cv;
	int rc = want_map(L, v, key);
	FOR_PAIRS(L, v, ck, cv, rc)
	{
		const char *kk = sval(ck);
		if (refp && !strcmp(kk, "op")) {
			rc = get_str(L, cv, kk, refp);
			if (rc >= 0)
				rc = add_ref(L, VS_SCN_NS_OP, *refp, pos_of(cv), 0);
			continue;
		}
		if (enum_lookup(props, 4, kk) < 0) {
			rc = fail(L, ck,
			          "unknown key '%s' in '%s' (expected %sname, type, "
			          "control_inputs, device)",
			          kk, key, refp ? "op, " : "");
			continue;
		}
		vs_scn_namedlist *nl;
		rc = push_named(L, arr, n, cap, ck, &nl);
		if (rc >= 0 && !(nl->names.v = calloc(1, sizeof *nl->names.v)))
			rc = oom(L);
		if (rc < 0)
			continue;
		nl->names.n = 1;
		rc = get_str(L, cv, kk, &nl->names.v[0]);
	}
	if (rc >= 0 && refp && !*refp)
		rc = fail(L, v, "'%s' needs 'op'", key);
	return rc;
}

/* the value of expectation key e */
static int parse_expect_value(loader *L, int e, const yaml_node_t *v, vs_scn_expect *ex)
{
	static const char *const tlists[8] = {"global", "trainable", "local", "variables",
	                                      "non_trainable"};
	static const char *const elists[8] = {"variables", "trainable", "non_trainable"};
	const char *key = expkeys[e].key;
	int rc = 0;
	switch (expkeys[e].type) {
	case E_STR:
		if (e == VS_SCN_E_NAME && is_null(v) && sval(v)[0]) { /* name: ~ = None */
			ex->null |= VS_SCN_EBIT(e);
			return 0;
		}
		if (v->type == YAML_SCALAR_NODE)
			return dup_str(L, &ex->str[e], sval(v)); /* "" allowed (root) */
		return fail(L, v, "'%s' must be a string, not %s", key, type_name(v));
	case E_OPTSTR:
		if (!is_null(v))
			return get_str(L, v, key, &ex->str[e]);
		ex->null |= VS_SCN_EBIT(e);
		return 0;
	case E_BOOL: return get_bool(L, v, key, &ex->b[e]);
	case E_INT: return get_int(L, v, key, 0, &ex->i[e]);
	case E_REUSE: return parse_reuse(L, v, key, &ex->reuse);
	case E_SHAPE: return parse_shape(L, v, key, &ex->shape);
	case E_DTYPE: return parse_dtype(L, v, key, &ex->dtype);
	case E_REF:
		rc = get_str(L, v, key, &ex->str[e]);
		return rc < 0 ? rc : add_ref(L, expkeys[e].ns, ex->str[e], pos_of(v), 0);
	case E_ERROR: return parse_error_exp(L, v, ex);
	case E_COLL: return parse_coll_exp(L, v, key, ex);
	case E_CALLS: return parse_calls_exp(L, v, key, ex);
	case E_SCOLL: return parse_scoll_exp(L, v, key, ex);
	case E_SATTR: return parse_sattr_exp(L, v, key, ex);
	case E_RECV: return parse_recv_exp(L, v, key, ex);
	case E_OPPROPS:
		if (e == VS_SCN_E_INITIALIZER_OP && is_null(v)) { /* none: eager, partitioned */
			ex->null |= VS_SCN_EBIT(e);
			return 0;
		}
		return e == VS_SCN_E_OP ? parse_op_exp(L, v, key, &ex->op_ref, &ex->op_props,
		                                       &ex->nop_props, &ex->capop_props)
		                        : parse_op_exp(L, v, key, NULL, &ex->iop_props,
		                                       &ex->niop_props, &ex->capiop_props);
	case E_TEMPLATE:
		return parse_subject_lists(L, v, key, "template", VS_SCN_NS_TEMPLATE, &ex->tmpl_ref,
		                           tlists, &ex->tmpl_lists, &ex->ntmpl_lists,
		                           &ex->captmpl_lists, &ex->tmpl_scope,
		                           &ex->tmpl_scope_none, &ex->tmpl_calls);
	case E_ESTORE:
		return parse_subject_lists(L, v, key, "store", VS_SCN_NS_STORE, &ex->es_ref, elists,
		                           &ex->es_lists, &ex->nes_lists, &ex->capes_lists, NULL,
		                           NULL, NULL);
	}
	VS_BUG("expectation type %d", (int)expkeys[e].type);
}

static int parse_expect(loader *L, const yaml_node_t *n, vs_scn_expect *ex)
{
	int rc = want_map(L, n, "expect");
	yaml_node_t *k, *v;
	ex->tmpl_calls = -1;
	FOR_PAIRS(L, n, k, v, rc)
	{
		int e;
		for (e = 0; e < VS_SCN_E__COUNT; e++)
			if (!strcmp(expkeys[e].key, sval(k)))
				break;
		if (e == VS_SCN_E__COUNT)
			return fail(L, k, "unknown expectation '%s'", sval(k));
		ex->set |= VS_SCN_EBIT(e);
		ex->pos[e] = pos_of(k);
		rc = parse_expect_value(L, e, v, ex);
	}
	return rc;
}

/* ------------------------------------------------------- getters/creators */

static int parse_set(loader *L, const yaml_node_t *n, vs_scn_behave *b)
{
	int rc = want_map(L, n, "set");
	yaml_node_t *k, *v;
	FOR_PAIRS(L, n, k, v, rc)
	{
		const char *kk = sval(k);
		if (!strcmp(kk, "name")) {
			rc = get_str(L, v, kk, &b->set_name);
		} else if (!strcmp(kk, "trainable")) {
			rc = get_bool(L, v, kk, &b->set_trainable);
			b->set_trainable_given = 1;
		} else if (!strcmp(kk, "dtype")) {
			rc = parse_dtype(L, v, kk, &b->set_dtype);
		} else if (!strcmp(kk, "shape")) {
			rc = parse_shape(L, v, kk, &b->set_shape);
			b->set_shape_given = 1;
		} else if (!strcmp(kk, b->is_creator ? "initial_value" : "initializer")) {
			rc = parse_init(L, v, kk, &b->set_init, &b->set_init_shape,
			                &b->set_init_has_shape);
			b->set_init_given = 1;
		} else if (!strcmp(kk, "collections")) {
			rc = parse_strlist(L, v, kk, 0, &b->set_collections);
			b->set_collections_given = 1;
		} else if (!strcmp(kk, "use_resource")) {
			rc = get_bool(L, v, kk, &b->set_use_resource);
			b->set_use_resource_given = 1;
		} else if (!b->is_creator && !strcmp(kk, "reuse")) {
			rc = parse_reuse(L, v, kk, &b->set_reuse);
			b->set_reuse_given = 1;
		} else {
			rc = fail(L, k, "unknown key '%s' in 'set' of %s '%s'", kk,
			          b->is_creator ? "creator" : "getter", b->name);
		}
	}
	return rc;
}

static int parse_behave(loader *L, const yaml_node_t *k, const yaml_node_t *n, vs_scn_behave *b,
                        int is_creator)
{
	int rc = dup_str(L, &b->name, sval(k));
	yaml_node_t *kk, *v;
	b->pos = pos_of(k);
	b->is_creator = is_creator;
	b->delegate = 1;
	b->repeat = 1;
	if (rc < 0 || is_null(n))
		return rc;
	rc = want_map(L, n, b->name);
	FOR_PAIRS(L, n, kk, v, rc)
	{
		const char *key = sval(kk);
		long long x;
		if (!strcmp(key, "delegate")) {
			rc = get_bool(L, v, key, &b->delegate);
		} else if (!is_creator && !strcmp(key, "not_callable")) {
			rc = get_bool(L, v, key, &b->not_callable);
		} else if (!strcmp(key, "repr")) {
			rc = get_str(L, v, key, &b->repr);
		} else if (!strcmp(key, "repeat")) {
			rc = get_int(L, v, key, 1, &x);
			b->repeat = (int)(x > 64 ? 64 : x);
		} else if (!strcmp(key, "suffixes")) {
			rc = parse_strlist(L, v, key, 0, &b->suffixes);
		} else if (!strcmp(key, "name_prefix")) {
			rc = get_str(L, v, key, &b->name_prefix);
		} else if (!strcmp(key, "name_suffix")) {
			rc = get_str(L, v, key, &b->name_suffix);
		} else if (!strcmp(key, "return")) {
			rc = get_str(L, v, key, &b->return_ref);
			if (rc >= 0)
				rc = add_ref(L, VS_SCN_NS_VAR, b->return_ref, pos_of(v), 0);
		} else if (!strcmp(key, "return_none")) {
			rc = get_bool(L, v, key, &b->return_none);
		} else if (!strcmp(key, "error")) {
			vs_scn_expect tmp;
			memset(&tmp, 0, sizeof tmp);
			rc = parse_error_exp(L, v, &tmp);
			b->err_code = tmp.err_code;
			b->err_message = tmp.err_message ? tmp.err_message : tmp.err_prefix;
			if (tmp.err_message && tmp.err_prefix)
				free(tmp.err_prefix);
			if (rc >= 0 && !b->err_message)
				rc = dup_str(L, &b->err_message, "raised by a scenario behaviour");
		} else if (!strcmp(key, "set")) {
			rc = parse_set(L, v, b);
		} else {
			rc = fail(L, kk, "unknown key '%s' in %s '%s'", key,
			          is_creator ? "creator" : "getter", b->name);
		}
	}
	return rc;
}

static int parse_behaves(loader *L, const yaml_node_t *n, const char *key, int is_creator)
{
	int rc = want_map(L, n, key);
	yaml_node_t *k, *v;
	FOR_PAIRS(L, n, k, v, rc)
	{
		vs_scn *s = L->s;
		name_ent *e;
		if ((rc = names_put(L, TAG_BEHAVE(is_creator), sval(k), (int)s->nbehaves, &e)) < 0)
			return rc;
		if (e->val != (int)s->nbehaves)
			return fail(L, k, "%s '%s' is declared twice",
			            is_creator ? "creator" : "getter", sval(k));
		if (VS_GROW(s->behaves, s->capbehaves, s->nbehaves + 1) < 0)
			return oom(L);
		vs_scn_behave *b = &s->behaves[s->nbehaves++];
		memset(b, 0, sizeof *b);
		rc = parse_behave(L, k, v, b, is_creator);
	}
	return rc;
}

static int parse_funcs(loader *L, const yaml_node_t *n, const char *key, vs_scn_func **arr,
                       size_t *cnt, size_t *cap)
{
	int rc = want_map(L, n, key);
	yaml_node_t *k, *v;
	FOR_PAIRS(L, n, k, v, rc)
	{
		name_ent *e;
		int tag = !strcmp(key, "threads") ? TAG_THREAD : TAG_FUNC;
		if ((rc = names_put(L, tag, sval(k), (int)*cnt, &e)) < 0)
			return rc;
		if (e->val != (int)*cnt)
			return fail(L, k, "'%s' is declared twice in '%s'", sval(k), key);
		if (!strcmp(key, "threads") && !strcmp(sval(k), "main"))
			return fail(L, k, "'main' is the name of the main thread");
		if (VS_GROW(*arr, *cap, *cnt + 1) < 0)
			return oom(L);
		vs_scn_func *f = &(*arr)[(*cnt)++];
		memset(f, 0, sizeof *f);
		f->pos = pos_of(k);
		rc = dup_str(L, &f->name, sval(k));
		L->cur_func = tag == TAG_FUNC ? (int)(*cnt - 1) : -1;
		if (rc >= 0)
			rc = parse_steps(L, v, sval(k), &f->body);
		L->cur_func = -1;
	}
	return rc;
}

static int parse_config(loader *L, const yaml_node_t *n)
{
	int rc = want_map(L, n, "config");
	yaml_node_t *k, *v;
	FOR_PAIRS(L, n, k, v, rc)
	{
		int b = 0;
		if (!strcmp(sval(k), "eager")) {
			rc = get_bool(L, v, "eager", &b);
			L->s->config.eager = b ? VS_TRUE : VS_FALSE;
		} else if (!strcmp(sval(k), "use_resource")) {
			rc = get_bool(L, v, "use_resource", &b);
			L->s->config.use_resource = b ? VS_TRUE : VS_FALSE;
		} else {
			rc = fail(L, k,
			          "unknown key '%s' in 'config' (expected eager, use_resource)",
			          sval(k));
		}
	}
	return rc;
}

static int parse_root(loader *L, const yaml_node_t *root)
{
	yaml_node_t *k, *v, *steps = NULL;
	int rc = 0;
	if (root->type != YAML_MAPPING_NODE)
		return fail(L, root, "a scenario must be a mapping with 'steps', not %s",
		            type_name(root));
	FOR_PAIRS(L, root, k, v, rc)
	{
		const char *key = sval(k);
		if (!strcmp(key, "scenario"))
			rc = get_str(L, v, key, &L->s->title);
		else if (!strcmp(key, "description"))
			rc = want_scalar(L, v, key, "a string");
		else if (!strcmp(key, "config"))
			rc = parse_config(L, v);
		else if (!strcmp(key, "interleave")) {
			rc = want_scalar(L, v, key, "deterministic or free");
			if (rc >= 0 && !strcmp(sval(v), "free"))
				L->s->interleave = VS_SCN_FREE;
			else if (rc >= 0 && strcmp(sval(v), "deterministic"))
				rc = fail(L, v, "'interleave' must be deterministic or free");
		} else if (!strcmp(key, "getters"))
			rc = parse_behaves(L, v, key, 0);
		else if (!strcmp(key, "creators"))
			rc = parse_behaves(L, v, key, 1);
		else if (!strcmp(key, "functions"))
			rc = parse_funcs(L, v, key, &L->s->funcs, &L->s->nfuncs, &L->s->capfuncs);
		else if (!strcmp(key, "threads"))
			rc = parse_funcs(L, v, key, &L->s->threads, &L->s->nthreads,
			                 &L->s->capthreads);
		else if (!strcmp(key, "steps")) {
			steps = v;
			rc = parse_steps(L, v, key, &L->s->steps);
		} else
			rc = fail(L, k,
			          "unknown key '%s' (expected scenario, description, config, "
			          "interleave, getters, creators, functions, threads, steps)",
			          key);
	}
	if (rc >= 0 && !steps)
		rc = fail(L, root, "a scenario needs 'steps'");
	return rc;
}

/* Every reference names something bound or declared (first bad one wins). */
static int check_refs(loader *L)
{
	for (size_t i = 0; i < L->nrefs; i++) {
		const ref *r = &L->refs[i];
		int found = 0;
		const names *x = &L->idx;
		switch (r->ns) {
		case VS_SCN_NS_GETTER:
			found = names_find(x, TAG_BEHAVE(0), r->name) ||
			        (r->either_behave && names_find(x, TAG_BEHAVE(1), r->name));
			break;
		case VS_SCN_NS_CREATOR:
			found = names_find(x, TAG_BEHAVE(1), r->name) != NULL;
			break;
		case VS_SCN_NS_FUNCTION: found = names_find(x, TAG_FUNC, r->name) != NULL; break;
		case VS_SCN_NS_THREAD:
			found = names_find(x, TAG_THREAD, r->name) || !strcmp(r->name, "main");
			break;
		default: found = names_find(x, TAG_BIND(r->ns), r->name) != NULL;
		}
		if (!found)
			return fail_at(L, r->pos, VS_ERR_NOT_FOUND, "undefined %s '%s'",
			               r->either_behave ? "getter or creator" : ns_names[r->ns],
			               r->name);
	}
	return 0;
}

/*
 * A function that calls itself, directly or through other functions or
 * templates, would recurse without end (a scenario has no conditionals), so
 * it is a load error at the `call:` step that closes the cycle.  A template
 * call counts as a call of every function some make_template bound to that
 * name.  Iterative depth-first search over the call graph in CSR form:
 * linear in functions + calls, and no recursion of our own.
 */
typedef struct call_graph {
	size_t *first; /* edges of function f: edge[first[f] .. first[f + 1]) */
	int *to;       /* callee function */
	size_t *site;  /* index in L->calls (for the position) */
	size_t nedges;
} call_graph;

/* appends the edges from call c (to function indices) to g, or counts them */
static void call_targets(loader *L, const call_edge *c, call_graph *g, size_t *fill)
{
	if (!c->via_template) {
		name_ent *e = names_find(&L->idx, TAG_FUNC, c->callee);
		VS_ASSERT(e); /* check_refs ran */
		if (g->to) {
			g->to[*fill] = e->val;
			g->site[(*fill)++] = (size_t)(c - L->calls);
		} else
			g->first[c->from + 1]++;
		return;
	}
	name_ent *t = names_find(&L->idx, TAG_TMPL_FIRST, c->callee);
	for (size_t i = t ? (size_t)t->val : L->ntmpls; i < L->ntmpls; i++) {
		if (strcmp(L->tmpls[i].tmpl, c->callee))
			continue;
		name_ent *e = names_find(&L->idx, TAG_FUNC, L->tmpls[i].func);
		VS_ASSERT(e);
		if (g->to) {
			g->to[*fill] = e->val;
			g->site[(*fill)++] = (size_t)(c - L->calls);
		} else
			g->first[c->from + 1]++;
	}
}

static int build_call_graph(loader *L, call_graph *g)
{
	size_t nf = L->s->nfuncs, *fill = NULL;
	for (size_t i = 0; i < L->ntmpls; i++) /* first make_template of each name */
		if (names_put(L, TAG_TMPL_FIRST, L->tmpls[i].tmpl, (int)i, NULL) < 0)
			return VS_ERR_NOMEM;
	if (!(g->first = calloc(nf + 2, sizeof *g->first)))
		return oom(L);
	for (size_t i = 0; i < L->ncalls; i++)
		call_targets(L, &L->calls[i], g, NULL);
	for (size_t f = 0; f < nf; f++)
		g->first[f + 1] += g->first[f];
	g->nedges = g->first[nf];
	g->to = calloc(g->nedges + 1, sizeof *g->to);
	g->site = calloc(g->nedges + 1, sizeof *g->site);
	fill = calloc(nf + 1, sizeof *fill);
	if (!g->to || !g->site || !fill) {
		free(fill);
		return oom(L);
	}
	/* L->calls is in file order and grouped by nothing: place each edge */
	for (size_t i = 0; i < L->ncalls; i++) {
		const call_edge *c = &L->calls[i];
		size_t at = g->first[c->from] + fill[c->from], start = at;
		call_targets(L, c, g, &at);
		fill[c->from] += at - start;
	}
	free(fill);
	return 0;
}

/* the load error for the cycle that edge closes: stack[0..depth) is the
 * search path, and the cycle starts where the edge's target is on it; a
 * long cycle shows its first four and last three functions */
static int recursion_error(loader *L, const call_graph *g, const int *stack, size_t depth,
                           size_t edge)
{
	const vs_scn_func *fs = L->s->funcs;
	int target = g->to[edge];
	char chain[1024];
	size_t used = 0, start = depth;
	while (start > 0 && stack[start - 1] != target)
		start--;
	start = start ? start - 1 : 0;
	chain[0] = '\0';
	for (size_t i = start; i < depth && used < sizeof chain; i++) {
		if (depth - start > 8 && i == start + 4) {
			used += (size_t)snprintf(chain + used, sizeof chain - used, "... -> ");
			i = depth - 4;
			continue;
		}
		used += (size_t)snprintf(chain + used, sizeof chain - used, "'%.60s' -> ",
		                         fs[stack[i]].name);
	}
	if (used < sizeof chain)
		snprintf(chain + used, sizeof chain - used, "'%.60s'", fs[target].name);
	return fail_at(L, L->calls[g->site[edge]].pos, VS_ERR_FORMAT,
	               "recursive call: %s (a scenario function cannot call itself)", chain);
}

static int find_recursion(loader *L)
{
	size_t nf = L->s->nfuncs;
	call_graph g = {0};
	int *stack = NULL;
	size_t *next = NULL;
	unsigned char *state = NULL; /* 0 unseen, 1 on the stack, 2 done */
	int rc = 0;
	if (!L->ncalls || !nf)
		return 0;
	if ((rc = build_call_graph(L, &g)) < 0)
		goto out;
	stack = calloc(nf, sizeof *stack);
	next = calloc(nf, sizeof *next);
	state = calloc(nf, 1);
	if (!stack || !next || !state) {
		rc = oom(L);
		goto out;
	}
	for (size_t root = 0; root < nf && rc == 0; root++) {
		if (state[root])
			continue;
		size_t depth = 0;
		stack[depth++] = (int)root;
		state[root] = 1;
		next[root] = g.first[root];
		while (depth && rc == 0) {
			int f = stack[depth - 1];
			if (next[f] == g.first[f + 1]) {
				state[f] = 2;
				depth--;
				continue;
			}
			size_t e = next[f]++;
			int t = g.to[e];
			if (state[t] == 1) {
				rc = recursion_error(L, &g, stack, depth, e);
			} else if (!state[t]) {
				state[t] = 1;
				next[t] = g.first[t];
				stack[depth++] = t;
			}
		}
	}
out:
	free(g.first);
	free(g.to);
	free(g.site);
	free(stack);
	free(next);
	free(state);
	return rc;
}

/* ------------------------------------------------------------------- entry */

/* declaration kinds in s->decls: getter, creator, function, thread */
enum { DECL_GETTER, DECL_CREATOR, DECL_FUNC, DECL_THREAD };

static struct vs_scn_decl *decl_slot(const vs_scn *s, int kind, const char *name)
{
	size_t mask = s->capdecls - 1;
	for (size_t i = name_hash(kind, name) & mask;; i = (i + 1) & mask)
		if (!s->decls[i].name ||
		    (s->decls[i].kind == kind && !strcmp(s->decls[i].name, name)))
			return &s->decls[i];
}

/* builds s->decls once the declaration arrays stopped moving */
static int index_decls(loader *L)
{
	vs_scn *s = L->s;
	size_t n = s->nbehaves + s->nfuncs + s->nthreads, cap = 16;
	while (cap < 2 * n + 2)
		cap *= 2;
	if (!(s->decls = calloc(cap, sizeof *s->decls)))
		return oom(L);
	s->capdecls = cap;
	for (size_t i = 0; i < s->nbehaves; i++)
		*decl_slot(s, s->behaves[i].is_creator ? DECL_CREATOR : DECL_GETTER,
		           s->behaves[i].name) = (struct vs_scn_decl){s->behaves[i].name,
		                                                      s->behaves[i].is_creator
		                                                              ? DECL_CREATOR
		                                                              : DECL_GETTER,
		                                                      (int)i};
	for (size_t i = 0; i < s->nfuncs; i++)
		*decl_slot(s, DECL_FUNC, s->funcs[i].name) = (struct vs_scn_decl){s->funcs[i].name,
		                                                                  DECL_FUNC,
		                                                                  (int)i};
	for (size_t i = 0; i < s->nthreads; i++)
		*decl_slot(s, DECL_THREAD,
		           s->threads[i].name) = (struct vs_scn_decl){s->threads[i].name,
		                                                      DECL_THREAD, (int)i};
	return 0;
}

static int find_decl(const vs_scn *s, int kind, const char *name)
{
	if (!s->capdecls)
		return -1;
	const struct vs_scn_decl *d = decl_slot(s, kind, name);
	return d->name ? d->idx : -1;
}

int vs_scn_find_behave(const vs_scn *s, const char *name, int is_creator)
{
	return find_decl(s, is_creator ? DECL_CREATOR : DECL_GETTER, name);
}

int vs_scn_find_func(const vs_scn *s, const char *name) { return find_decl(s, DECL_FUNC, name); }

int vs_scn_find_thread(const vs_scn *s, const char *name)
{
	return find_decl(s, DECL_THREAD, name);
}

/* the document's tree into L->s, validated: syntax, references, no
 * recursion; then the lookup index */
static int build_tree(loader *L, const yaml_node_t *root)
{
	int rc = parse_root(L, root);
	if (rc >= 0)
		rc = check_refs(L);
	if (rc >= 0)
		rc = find_recursion(L);
	if (rc >= 0)
		rc = index_decls(L);
	/* the behaviours array has stopped moving: point the initializers
	 * `set:` gives at their shapes */
	for (size_t i = 0; rc >= 0 && i < L->s->nbehaves; i++) {
		vs_scn_behave *b = &L->s->behaves[i];
		b->set_init.shape = b->set_init_has_shape ? &b->set_init_shape : NULL;
	}
	return rc;
}

int vs_scn_load_string(vs_scn **out, const char *path, const char *text, size_t len, vs_error *err)
{
	loader L;
	yaml_parser_t parser;
	int parser_ok = 0, doc_ok = 0, rc = VS_ERR_NOMEM;
	memset(&L, 0, sizeof L);
	L.path = path;
	L.err = err;
	L.cur_func = -1;
	*out = NULL;
	L.s = calloc(1, sizeof *L.s);
	if (!L.s || !(L.s->path = strdup(path))) {
		rc = oom(&L);
		goto cleanup;
	}
	if (!yaml_parser_initialize(&parser)) {
		rc = oom(&L);
		goto cleanup;
	}
	parser_ok = 1;
	vs_yaml_limit_hit hit;
	if (vs_yaml_check_limits(text, len, NULL, &hit)) {
		vs_scn_pos p = {(int)hit.line, (int)hit.col};
		rc = fail_at(&L, p, VS_ERR_FORMAT, "%s", hit.what);
		goto cleanup;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &L.doc)) {
		vs_scn_pos p = {(int)parser.problem_mark.line + 1,
		                (int)parser.problem_mark.column + 1};
		rc = fail_at(&L, p, VS_ERR_FORMAT, "invalid yaml: %s%s%s",
		             parser.problem ? parser.problem : "parse error",
		             parser.context ? " " : "", parser.context ? parser.context : "");
		goto cleanup;
	}
	doc_ok = 1;
	yaml_node_t *root = yaml_document_get_root_node(&L.doc);
	if (!root) {
		vs_scn_pos p = {1, 1};
		rc = fail_at(&L, p, VS_ERR_FORMAT,
		             "empty scenario (expected a mapping with 'steps')");
		goto cleanup;
	}
	/* a second document is a mistake worth reporting, not ignoring */
	yaml_document_t extra;
	if (yaml_parser_load(&parser, &extra)) {
		int more = yaml_document_get_root_node(&extra) != NULL;
		vs_scn_pos p = {(int)extra.start_mark.line + 1, (int)extra.start_mark.column + 1};
		yaml_document_delete(&extra);
		if (more) {
			rc = fail_at(&L, p, VS_ERR_FORMAT, "more than one YAML document");
			goto cleanup;
		}
	}
	rc = build_tree(&L, root);
	if (rc >= 0) {
		*out = L.s;
		L.s = NULL;
	}
cleanup:
	if (doc_ok)
		yaml_document_delete(&L.doc);
	if (parser_ok)
		yaml_parser_delete(&parser);
	vs_scn_free(L.s);
	free(L.refs);
	free(L.calls);
	free(L.tmpls);
	free(L.idx.v);
	return rc;
}

int vs_scn_load_file(vs_scn **out, const char *path, vs_error *err)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;
	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		rc = vs_error_set(err, VS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
		goto cleanup;
	}
	for (;;) {
		if (len == cap && VS_GROW(buf, cap, len + 8192) < 0) {
			rc = vs_error_nomem(err);
			vs_error_prefix(err, "%s", path);
			goto cleanup;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = vs_error_set(err, VS_ERR_IO, "%s: read error: %s", path, strerror(errno));
		goto cleanup;
	}
	rc = vs_scn_load_string(out, path, buf, len, err);
cleanup:
	if (f)
		fclose(f);
	free(buf);
	return rc;
}

/* ------------------------------------------------------------------- free */

static void free_strlist(vs_scn_strlist *l)
{
	if (!l->v)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void free_named(vs_scn_namedlist *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].key);
		free_strlist(&a[i].names);
	}
	free(a);
}

static void free_list(vs_scn_list *l);

static void free_step(vs_scn_step *st)
{
	for (int a = 0; a < VS_SCN_A__COUNT; a++) {
		free(st->a[a].str);
		free(st->a[a].param);
		free_strlist(&st->a[a].list);
		free_strlist(&st->a[a].argvals);
		free_list(&st->a[a].body);
	}
	vs_scn_expect *ex = &st->ex;
	for (int e = 0; e < VS_SCN_E__COUNT; e++)
		free(ex->str[e]);
	free(ex->err_message);
	free(ex->err_prefix);
	free_named(ex->coll, ex->ncoll);
	free_named(ex->calls, ex->ncalls);
	free_named(ex->traces, ex->ntraces);
	free_named(ex->recv, ex->nrecv);
	free(ex->tmpl_ref);
	free(ex->tmpl_scope);
	free_named(ex->tmpl_lists, ex->ntmpl_lists);
	free(ex->es_ref);
	free_named(ex->es_lists, ex->nes_lists);
	free(ex->sc_ref);
	free_named(ex->sc_lists, ex->nsc_lists);
	free(ex->sa_ref);
	free_named(ex->sa_attrs, ex->nsa_attrs);
	free(ex->op_ref);
	free_named(ex->op_props, ex->nop_props);
	free_named(ex->iop_props, ex->niop_props);
	free(ex->err_contains);
}

static void free_list(vs_scn_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free_step(&l->v[i]);
	free(l->v);
}

void vs_scn_free(vs_scn *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nbehaves; i++) {
		vs_scn_behave *b = &s->behaves[i];
		free(b->name);
		free(b->repr);
		free_strlist(&b->suffixes);
		free(b->name_prefix);
		free(b->name_suffix);
		free(b->return_ref);
		free(b->err_message);
		free(b->set_name);
		free_strlist(&b->set_collections);
	}
	free(s->behaves);
	for (size_t i = 0; i < s->nfuncs; i++) {
		free(s->funcs[i].name);
		free_list(&s->funcs[i].body);
	}
	free(s->funcs);
	for (size_t i = 0; i < s->nthreads; i++) {
		free(s->threads[i].name);
		free_list(&s->threads[i].body);
	}
	free(s->threads);
	free_list(&s->steps);
	free(s->decls);
	free(s->title);
	free(s->path);
	free(s);
}

const char *vs_scn_path(const vs_scn *s) { return s->path; }

const char *vs_scn_title(const vs_scn *s) { return s->title; }
