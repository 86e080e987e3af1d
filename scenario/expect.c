/* SPDX-License-Identifier: MIT */
/*
 * scenario/expect.c - checks a step's `expect:` against what the step did
 * and the runtime's current state, and notes each difference as a failed
 * expectation at the position of its key.  Each key has one handler in
 * expect_kinds (indexed by vs_scn_ekey); keys are evaluated in enum order.
 *
 * Invariant: every expectation key that was evaluated counts once in the
 * report's `checks`, and at most once in `failed`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/run.h"
#include "vs/internal/util.h"

#define LIST_MAX 256
#define TEXT_MAX 4096

typedef struct ctx {
	vs_scn_exec *r;
	const char *thread;
	const vs_scn_step *st;
	size_t checks;
	vs_var *v;       /* the step's variable result, or NULL */
	vs_varscope *sc; /* the scope the step entered, else the current one */
} ctx;

/* notes a failed expectation of this step at pos */
VS_PRINTF(3, 4)
static void note_fail(ctx *c, vs_scn_pos pos, const char *fmt, ...)
{
	char buf[VS_ERROR_MSG_MAX + 256]; /* as vs_scn_run_note's */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, pos, "%s", buf);
}

static const char *bool_name(int b) { return b ? "true" : "false"; }

static void check_bool(ctx *c, int key, const char *what, int got)
{
	c->checks++;
	if (!!got == !!c->st->ex.b[key])
		return;
	note_fail(c, c->st->ex.pos[key], "%s: expected %s, got %s", what,
	          bool_name(c->st->ex.b[key]), bool_name(got));
}

static void check_int(ctx *c, int key, const char *what, long long got)
{
	c->checks++;
	if (got == c->st->ex.i[key])
		return;
	note_fail(c, c->st->ex.pos[key], "%s: expected %lld, got %lld", what, c->st->ex.i[key],
	          got);
}

static void note_str(ctx *c, int key, const char *what, const char *want, const char *got)
{
	note_fail(c, c->st->ex.pos[key], "%s: expected '%s', got %s%s%s", what, want,
	          got ? "'" : "", got ? got : "nothing", got ? "'" : "");
}

static void check_named_str(ctx *c, int key, const char *what, const char *got)
{
	const char *want = c->st->ex.str[key];
	c->checks++;
	if (got && !strcmp(got, want))
		return;
	note_str(c, key, what, want, got);
}

/* "[a, b]" into buf */
static void fmt_list(char *buf, size_t n, const char *const *v, size_t cnt)
{
	size_t at = 0;
	at += (size_t)snprintf(buf, n, "[");
	for (size_t i = 0; i < cnt && at < n; i++)
		at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? ", " : "", v[i]);
	if (at < n)
		snprintf(buf + at, n - at, "]");
}

static void check_list(ctx *c, vs_scn_pos pos, const char *what, const vs_scn_strlist *want,
                       vs_var **got, size_t ngot)
{
	const char *names[LIST_MAX];
	char a[TEXT_MAX], b[TEXT_MAX];
	size_t n = ngot < LIST_MAX ? ngot : LIST_MAX;
	int same = ngot == want->n;
	c->checks++;
	for (size_t i = 0; i < n; i++) {
		names[i] = vs_var_name(got[i]);
		if (same && strcmp(names[i], want->v[i]))
			same = 0;
	}
	if (same)
		return;
	fmt_list(a, sizeof a, (const char *const *)want->v, want->n);
	fmt_list(b, sizeof b, names, n);
	note_fail(c, pos, "%s: expected %s, got %s", what, a, b);
}

static vs_reuse norm_reuse(vs_reuse r) { return r == VS_REUSE_INHERIT ? VS_REUSE_FALSE : r; }

/* the template and eager-store variable lists by their YAML key (the loader
 * admits no other key) */
static vs_tmpl_vars tmpl_which(const char *key)
{
	static const struct {
		const char *k;
		vs_tmpl_vars w;
	} map[] = {{"global", VS_TMPL_GLOBAL},
	           {"trainable", VS_TMPL_TRAINABLE},
	           {"local", VS_TMPL_LOCAL},
	           {"variables", VS_TMPL_VARIABLES},
	           {"non_trainable", VS_TMPL_NON_TRAINABLE}};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(map[i].k, key))
			return map[i].w;
	VS_BUG("unknown variable list '%s'", key);
}

/* a variable expectation on a step that produced none */
static void note_no_var(ctx *c, int key, const char *what)
{
	c->checks++;
	note_fail(c, c->st->ex.pos[key], "%s: the step produced no variable", what);
}

/* ------------------------------------------------------- state expectations */

/*
 * One handler per expectation key: k is the key, what its name in
 * messages, c->v the step's variable (never NULL for keys whose table
 * entry says needs_var: a step without one fails those with
 * note_no_var).
 */
typedef void expect_fn(ctx *c, const vs_scn_outcome *o, int k, const char *what);

static void ex_name(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const char *got = o->name ? o->name : c->v ? vs_var_name(c->v) : NULL;
	if (c->st->ex.null & VS_SCN_EBIT(k)) { /* name: ~ - the result is None */
		c->checks++;
		if (got)
			note_fail(c, c->st->ex.pos[k], "%s: expected none, got '%s'", what, got);
		return;
	}
	check_named_str(c, k, what, got);
}

static void ex_scope(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_named_str(c, k, what, vs_varscope_name(vs_get_variable_scope()));
}

static void ex_name_scope(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_named_str(c, k, what, vs_get_name_scope());
}

static void ex_original_name_scope(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_named_str(c, k, what, vs_varscope_original_name_scope(c->sc));
}

static void ex_reuse(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_reuse got = norm_reuse(vs_varscope_reuse(c->sc)), want = norm_reuse(ex->reuse);
	c->checks++;
	if (got != want)
		note_fail(c, ex->pos[k], "%s: expected %s, got %s", what, vs_scn_reuse_name(want),
		          vs_scn_reuse_name(got));
}

/* same_as / not_same_as */
static void ex_same_as(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	int same = k == VS_SCN_E_SAME_AS;
	vs_var *other = vs_scn_run_lookup(c->r, VS_SCN_NS_VAR, ex->str[k]);
	c->checks++;
	if (!other)
		note_fail(c, ex->pos[k], "%s: variable '%s' is not bound yet", what, ex->str[k]);
	else if ((other == c->v) != same)
		note_fail(c, ex->pos[k], "%s: '%s' is %s, and '%s' is %s", what, vs_var_name(c->v),
		          same ? "a different variable" : "the same variable", ex->str[k],
		          vs_var_name(other));
}

static void ex_created(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_bool(c, k, what, o->created);
}

static void ex_trainable(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_bool(c, k, what, vs_var_trainable(c->v));
}

static void ex_resource(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_bool(c, k, what, vs_var_is_resource(c->v));
}

static void ex_partitions(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_int(c, k, what, (long long)vs_var_num_partitions(c->v));
}

static void ex_shape(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	const vs_shape *got = vs_var_shape(c->v);
	char a[64], b[64];
	int same = got && got->rank == ex->shape.rank;
	for (int i = 0; same && i < got->rank; i++)
		same = got->dims[i] == ex->shape.dims[i];
	c->checks++;
	if (same)
		return;
	vs_shape_format(&ex->shape, a, sizeof a);
	vs_shape_format(got, b, sizeof b);
	note_fail(c, ex->pos[k], "%s: expected %s, got %s", what, a, b);
}

static void ex_dtype(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_dtype got = vs_var_dtype(c->v);
	c->checks++;
	if (got == ex->dtype)
		return;
	const char *g = vs_dtype_name(got);
	note_fail(c, ex->pos[k], "%s: expected %s, got %s", what, vs_dtype_name(ex->dtype),
	          g ? g : "none");
}

/* initializer / constraint / caching_device: a label, or null = none */
static void ex_optstr(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	const char *got = NULL;
	if (k == VS_SCN_E_INITIALIZER) {
		const vs_initializer *in = vs_var_initializer(c->v);
		got = in && in->kind != VS_INIT_NONE ? vs_init_kind_name(in->kind) : NULL;
	} else if (k == VS_SCN_E_CONSTRAINT) {
		const vs_constraint *cn = vs_var_constraint(c->v);
		got = cn ? cn->label : NULL;
	} else {
		got = vs_var_caching_device(c->v);
	}
	c->checks++;
	if (ex->null & VS_SCN_EBIT(k)) {
		if (got)
			note_fail(c, ex->pos[k], "%s: expected none, got '%s'", what, got);
	} else if (!got || strcmp(got, ex->str[k])) {
		note_str(c, k, what, ex->str[k], got);
	}
}

/* the step's op or variable device, else the current device */
static void ex_device(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const char *got = o->op  ? vs_op_device(o->op)
	                  : c->v ? vs_var_device(c->v)
	                         : vs_current_device();
	check_named_str(c, k, what, got);
}

/* an op's properties (name, type, control_inputs, device) against props */
static void check_op_props(ctx *c, const char *label, const vs_op *op,
                           const vs_scn_namedlist *props, size_t n)
{
	char num[32];
	for (size_t i = 0; i < n; i++) {
		const vs_scn_namedlist *nl = &props[i];
		const char *got;
		c->checks++;
		if (!strcmp(nl->key, "name")) {
			got = vs_op_name(op);
		} else if (!strcmp(nl->key, "type")) {
			got = vs_op_type(op);
		} else if (!strcmp(nl->key, "device")) {
			got = vs_op_device(op);
		} else {
			snprintf(num, sizeof num, "%zu", vs_op_control_inputs(op));
			got = num;
		}
		if (!got || strcmp(got, nl->names.v[0]))
			note_fail(c, nl->pos, "%s %s: expected '%s', got '%s'", label, nl->key,
			          nl->names.v[0], got ? got : "");
	}
}

static void ex_initializer_op(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_op *op = vs_var_initializer_op(c->v);
	if (ex->null & VS_SCN_EBIT(k)) {
		c->checks++;
		if (op)
			note_fail(c, ex->pos[k], "%s: expected none, got '%s'", what,
			          vs_op_name(op));
		return;
	}
	if (!op) {
		c->checks++;
		note_fail(c, ex->pos[k], "%s: the variable has none", what);
		return;
	}
	check_op_props(c, what, op, ex->iop_props, ex->niop_props);
}

static void ex_op(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_op *op = vs_scn_run_lookup(c->r, VS_SCN_NS_OP, ex->op_ref);
	if (!op) {
		c->checks++;
		note_fail(c, ex->pos[k], "%s: '%s' is not bound yet", what, ex->op_ref);
		return;
	}
	char label[256];
	snprintf(label, sizeof label, "%s '%s'", what, ex->op_ref);
	check_op_props(c, label, op, ex->op_props, ex->nop_props);
}

static void ex_collection(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_var *buf[LIST_MAX];
	char label[256];
	for (size_t i = 0; i < ex->ncoll; i++) {
		const vs_scn_namedlist *nl = &ex->coll[i];
		size_t n = vs_collection_size(NULL, nl->key);
		for (size_t j = 0; j < n && j < LIST_MAX; j++)
			buf[j] = vs_collection_get(NULL, nl->key, j);
		snprintf(label, sizeof label, "%s '%s'", what, nl->key);
		check_list(c, nl->pos, label, &nl->names, buf, n);
	}
}

/* the variables of the list named key of a subject (template, eager
 * store, variable scope) into buf; returns how many there are */
typedef size_t list_fn(void *subject, const char *key, vs_var **buf, size_t max);

static size_t template_list(void *t, const char *key, vs_var **buf, size_t max)
{
	return vs_template_variables(t, tmpl_which(key), buf, max);
}

static size_t store_list(void *es, const char *key, vs_var **buf, size_t max)
{
	return vs_eager_store_variables(es, tmpl_which(key), buf, max);
}

static size_t scope_list(void *sc, const char *key, vs_var **buf, size_t max)
{
	return vs_varscope_collection(sc, key, buf, max);
}

/* The lists' expectations about subject, labelled PRE KEY POST.  When the
 * subject is not bound, each list fails with `unbound` (or, when NULL,
 * with its label) followed by ": the ... is not bound yet" text `tail`. */
typedef struct list_check {
	void *subject;
	list_fn *fn;
	const char *pre, *post;
	const char *unbound, *tail;
} list_check;

static void check_lists(ctx *c, const list_check *lc, const vs_scn_namedlist *lists, size_t n)
{
	vs_var *buf[LIST_MAX];
	char label[256];
	for (size_t i = 0; i < n; i++) {
		const vs_scn_namedlist *nl = &lists[i];
		snprintf(label, sizeof label, "%s%s%s", lc->pre, nl->key, lc->post);
		if (!lc->subject) {
			c->checks++;
			note_fail(c, nl->pos, "%s%s", lc->unbound ? lc->unbound : label, lc->tail);
			continue;
		}
		size_t got = lc->fn(lc->subject, nl->key, buf, LIST_MAX);
		check_list(c, nl->pos, label, &nl->names, buf, got);
	}
}

static void ex_template(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_template *t = vs_scn_run_lookup(c->r, VS_SCN_NS_TEMPLATE, ex->tmpl_ref);
	if (!t) {
		c->checks++;
		note_fail(c, ex->pos[k], "%s: '%s' is not bound yet", what, ex->tmpl_ref);
		return;
	}
	if (ex->tmpl_scope) {
		const char *got = vs_template_variable_scope_name(t);
		c->checks++;
		if (!got || strcmp(got, ex->tmpl_scope))
			note_str(c, k, "template scope", ex->tmpl_scope, got);
	}
	if (ex->tmpl_scope_none) { /* template.variable_scope is None */
		vs_varscope *got = vs_template_variable_scope(t);
		c->checks++;
		if (got)
			note_fail(c, ex->pos[k], "template scope: expected none, got '%s'",
			          vs_varscope_name(got));
	}
	if (ex->tmpl_calls >= 0) {
		c->checks++;
		if ((long long)vs_template_calls(t) != ex->tmpl_calls)
			note_fail(c, ex->pos[k], "template calls: expected %lld, got %u",
			          ex->tmpl_calls, vs_template_calls(t));
	}
	list_check lc = {t, template_list, "template ", " variables", NULL, ""};
	check_lists(c, &lc, ex->tmpl_lists, ex->ntmpl_lists);
}

static void ex_eager_store(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	char unbound[512];
	snprintf(unbound, sizeof unbound, "%s: '%s'", what, ex->es_ref);
	list_check lc = {vs_scn_run_lookup(c->r, VS_SCN_NS_STORE, ex->es_ref),
	                 store_list,
	                 "eager store ",
	                 "",
	                 unbound,
	                 " is not bound yet"};
	check_lists(c, &lc, ex->es_lists, ex->nes_lists);
}

static void ex_scope_collection(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	char pre[512];
	snprintf(pre, sizeof pre, "scope '%s' collection '", ex->sc_ref);
	vs_varscope *sc = vs_scn_run_lookup(c->r, VS_SCN_NS_SCOPE, ex->sc_ref);
	list_check lc = {sc, scope_list, pre, "'", NULL, ": the scope is not bound yet"};
	check_lists(c, &lc, ex->sc_lists, ex->nsc_lists);
}

static void ex_eager(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_bool(c, k, what, vs_executing_eagerly());
}

static void ex_control_inputs(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_int(c, k, what, (long long)vs_control_inputs_count());
}

static void ex_context_switches(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_int(c, k, what, (long long)vs_context_switches_depth());
}

static void ex_eager_outside_functions(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_bool(c, k, what, vs_executing_eagerly_outside_functions());
}

static void ex_graph_stack(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_int(c, k, what, (long long)vs_default_graph_stack_depth());
}

/* one VariableScope attribute as text (NULL: None) */
static const char *scope_attr_text(const vs_varscope *s, const char *key)
{
	if (!strcmp(key, "name"))
		return vs_varscope_name(s);
	if (!strcmp(key, "original_name_scope"))
		return vs_varscope_original_name_scope(s);
	if (!strcmp(key, "reuse"))
		return vs_scn_reuse_name(norm_reuse(vs_varscope_reuse(s)));
	if (!strcmp(key, "initializer")) {
		const vs_initializer *in = vs_varscope_initializer(s);
		return in && in->kind != VS_INIT_NONE ? vs_init_kind_name(in->kind) : NULL;
	}
	if (!strcmp(key, "regularizer")) {
		const vs_regularizer *r = vs_varscope_regularizer(s);
		return r ? (r->label ? r->label : "?") : NULL;
	}
	if (!strcmp(key, "partitioner")) {
		const vs_partitioner *p = vs_varscope_partitioner(s);
		return p ? (p->label ? p->label : "?") : NULL;
	}
	if (!strcmp(key, "caching_device"))
		return vs_varscope_caching_device(s);
	if (!strcmp(key, "custom_getter")) {
		const vs_getter *g = vs_varscope_custom_getter(s);
		return g ? (g->label ? g->label : "?") : NULL;
	}
	if (!strcmp(key, "constraint")) {
		const vs_constraint *cn = vs_varscope_constraint(s);
		return cn ? cn->label : NULL;
	}
	if (!strcmp(key, "dtype"))
		return vs_dtype_name(vs_varscope_dtype(s));
	if (!strcmp(key, "use_resource")) {
		vs_tristate u = vs_varscope_use_resource(s);
		return u == VS_UNSET ? NULL : u == VS_TRUE ? "true" : "false";
	}
	VS_BUG("unknown scope attribute '%s'", key); /* the loader admits no other */
}

static void ex_scope_attr(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_varscope *sc = ex->sa_ref ? vs_scn_run_lookup(c->r, VS_SCN_NS_SCOPE, ex->sa_ref) : c->sc;
	for (size_t i = 0; i < ex->nsa_attrs; i++) {
		const vs_scn_namedlist *nl = &ex->sa_attrs[i];
		const char *want = nl->names.v[0];
		c->checks++;
		if (!sc) {
			note_fail(c, nl->pos, "%s %s: scope '%s' is not bound yet", what, nl->key,
			          ex->sa_ref);
			continue;
		}
		const char *got = scope_attr_text(sc, nl->key);
		if (!want && got)
			note_fail(c, nl->pos, "%s %s: expected none, got '%s'", what, nl->key, got);
		else if (want && (!got || strcmp(want, got)))
			note_fail(c, nl->pos, "%s %s: expected '%s', got %s%s%s", what, nl->key,
			          want, got ? "'" : "", got ? got : "none", got ? "'" : "");
	}
}

static void ex_in_control_flow(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_bool(c, k, what, vs_in_control_flow());
}

static void ex_tape_recording(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_bool(c, k, what, vs_tape_recording());
}

static void ex_building_function(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	check_bool(c, k, what, vs_graph_building_function(vs_default_graph()));
}

static void ex_graph(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_graph *g = vs_scn_run_lookup(c->r, VS_SCN_NS_GRAPH, ex->str[k]);
	vs_graph *d = vs_default_graph();
	c->checks++;
	if (g != d)
		note_fail(c, ex->pos[k], "%s: the default graph is '%s', not '%s'", what,
		          vs_graph_name(d) ? vs_graph_name(d) : "?", ex->str[k]);
}

static void ex_calls(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	for (size_t i = 0; i < ex->ncalls; i++) {
		const vs_scn_namedlist *nl = &ex->calls[i];
		long long got = vs_scn_run_calls(c->r, nl->key);
		c->checks++;
		if (got != nl->count)
			note_fail(c, nl->pos, "%s of '%s': expected %lld, got %lld", what, nl->key,
			          nl->count, got);
	}
}

/* traces: {FUNCTION_OBJECT: N} */
static void ex_traces(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	for (size_t i = 0; i < ex->ntraces; i++) {
		const vs_scn_namedlist *nl = &ex->traces[i];
		vs_function *f = vs_scn_run_lookup(c->r, VS_SCN_NS_FUNCOBJ, nl->key);
		c->checks++;
		if (!f)
			note_fail(c, nl->pos, "%s of '%s': not bound yet", what, nl->key);
		else if ((long long)vs_function_traces(f) != nl->count)
			note_fail(c, nl->pos, "%s of '%s': expected %lld, got %u", what, nl->key,
			          nl->count, vs_function_traces(f));
	}
}

/* received: what a getter/creator call got */
static void ex_received(ctx *c, const vs_scn_outcome *o, int k, const char *what)
{
	const vs_scn_expect *ex = &c->st->ex;
	char buf[1024], call[32];
	for (size_t i = 0; i < ex->nrecv; i++) {
		const vs_scn_namedlist *nl = &ex->recv[i];
		if (nl->count > 0)
			snprintf(call, sizeof call, "call %lld", nl->count);
		else
			snprintf(call, sizeof call, "last call");
		for (size_t j = 0; j + 1 < nl->names.n; j += 2) {
			const char *key = nl->names.v[j], *want = nl->names.v[j + 1], *got;
			c->checks++;
			if (vs_scn_run_received(c->r, nl->key, nl->count, key, buf, sizeof buf,
			                        &got) < 0)
				note_fail(c, nl->pos, "%s: '%s' has no %s", what, nl->key, call);
			else if (!want && got)
				note_fail(c, nl->pos, "%s %s of '%s' (%s): expected none, got '%s'",
				          what, key, nl->key, call, got);
			else if (want && (!got || strcmp(want, got)))
				note_fail(c, nl->pos,
				          "%s %s of '%s' (%s): expected '%s', got %s%s%s", what,
				          key, nl->key, call, want, got ? "'" : "",
				          got ? got : "none", got ? "'" : "");
		}
	}
}

static const struct expect_kind {
	expect_fn *fn;    /* NULL: not a state expectation (error) */
	const char *what; /* the key as messages name it */
	int needs_var;    /* fails with "the step produced no variable" without one */
} expect_kinds[VS_SCN_E__COUNT] = {
	[VS_SCN_E_NAME] = {ex_name, "name", 0},
	[VS_SCN_E_SCOPE] = {ex_scope, "scope", 0},
	[VS_SCN_E_NAME_SCOPE] = {ex_name_scope, "name_scope", 0},
	[VS_SCN_E_ORIGINAL_NAME_SCOPE] = {ex_original_name_scope, "original_name_scope", 0},
	[VS_SCN_E_REUSE] = {ex_reuse, "reuse", 0},
	[VS_SCN_E_SAME_AS] = {ex_same_as, "same_as", 1},
	[VS_SCN_E_NOT_SAME_AS] = {ex_same_as, "not_same_as", 1},
	[VS_SCN_E_CREATED] = {ex_created, "created", 1},
	[VS_SCN_E_TRAINABLE] = {ex_trainable, "trainable", 1},
	[VS_SCN_E_RESOURCE] = {ex_resource, "resource", 1},
	[VS_SCN_E_PARTITIONS] = {ex_partitions, "partitions", 1},
	[VS_SCN_E_SHAPE] = {ex_shape, "shape", 1},
	[VS_SCN_E_DTYPE] = {ex_dtype, "dtype", 1},
	[VS_SCN_E_INITIALIZER] = {ex_optstr, "initializer", 1},
	[VS_SCN_E_CONSTRAINT] = {ex_optstr, "constraint", 1},
	[VS_SCN_E_CACHING_DEVICE] = {ex_optstr, "caching_device", 1},
	[VS_SCN_E_DEVICE] = {ex_device, "device", 0},
	[VS_SCN_E_INITIALIZER_OP] = {ex_initializer_op, "initializer_op", 1},
	[VS_SCN_E_OP] = {ex_op, "op", 0},
	[VS_SCN_E_COLLECTION] = {ex_collection, "collection", 0},
	[VS_SCN_E_TEMPLATE] = {ex_template, "template", 0},
	[VS_SCN_E_EAGER_STORE] = {ex_eager_store, "eager_store", 0},
	[VS_SCN_E_SCOPE_COLLECTION] = {ex_scope_collection, "scope_collection", 0},
	[VS_SCN_E_EAGER] = {ex_eager, "eager", 0},
	[VS_SCN_E_CONTROL_INPUTS] = {ex_control_inputs, "control_inputs", 0},
	[VS_SCN_E_CONTEXT_SWITCHES] = {ex_context_switches, "context_switches", 0},
	[VS_SCN_E_IN_CONTROL_FLOW] = {ex_in_control_flow, "in_control_flow", 0},
	[VS_SCN_E_TAPE_RECORDING] = {ex_tape_recording, "tape_recording", 0},
	[VS_SCN_E_BUILDING_FUNCTION] = {ex_building_function, "building_function", 0},
	[VS_SCN_E_GRAPH] = {ex_graph, "graph", 0},
	[VS_SCN_E_GRAPH_STACK] = {ex_graph_stack, "graph_stack", 0},
	[VS_SCN_E_EAGER_OUTSIDE_FUNCTIONS] = {ex_eager_outside_functions, "eager_outside_functions",
                                              0},
	[VS_SCN_E_SCOPE_ATTR] = {ex_scope_attr, "scope_attr", 0},
	[VS_SCN_E_CALLS] = {ex_calls, "calls", 0},
	[VS_SCN_E_TRACES] = {ex_traces, "traces", 0},
	[VS_SCN_E_RECEIVED] = {ex_received, "received", 0},
	[VS_SCN_E_ERROR] = {NULL, "error", 0},
};

/* every key given, in key order (ast.h: the order failures are reported) */
static void check_state(ctx *c, const vs_scn_outcome *o)
{
	const vs_scn_expect *ex = &c->st->ex;
	for (int k = 0; k < VS_SCN_E__COUNT; k++) {
		const struct expect_kind *ek = &expect_kinds[k];
		if (!(ex->set & VS_SCN_EBIT(k)) || !ek->fn)
			continue;
		if (ek->needs_var && !c->v)
			note_no_var(c, k, ek->what);
		else
			ek->fn(c, o, k, ek->what);
	}
}

static int check_error(ctx *c, const vs_scn_outcome *o)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_scn_pos p = ex->pos[VS_SCN_E_ERROR];
	const char *want = vs_err_name(ex->err_code);
	c->checks++;
	if (o->rc == 0) {
		note_fail(c, p, "error: expected %s, got no error", want);
		return 0;
	}
	const vs_error *e = o->err;
	if (e->code != ex->err_code) {
		note_fail(c, p, "error: expected %s, got %s: %s", want, vs_err_name(e->code),
		          e->msg);
		return 1;
	}
	if (ex->err_message && strcmp(ex->err_message, e->msg))
		note_fail(c, p, "error message: expected '%s', got '%s'", ex->err_message, e->msg);
	else if (ex->err_prefix && strncmp(ex->err_prefix, e->msg, strlen(ex->err_prefix)))
		note_fail(c, p, "error message: expected to start with '%s', got '%s'",
		          ex->err_prefix, e->msg);
	else if (ex->err_contains && !strstr(e->msg, ex->err_contains))
		note_fail(c, p, "error message: expected to contain '%s', got '%s'",
		          ex->err_contains, e->msg);
	return 1;
}

int vs_scn_expect_check(vs_scn_exec *r, const char *thread, const vs_scn_step *st,
                        const vs_scn_outcome *o, int phase)
{
	ctx c = {r, thread, st, 0, o->var, NULL};
	int handled = 0;
	if (phase == VS_SCN_PHASE_STATE) {
		c.sc = o->scope ? o->scope : vs_get_variable_scope();
		check_state(&c, o);
	} else if (st->ex.err_code)
		handled = check_error(&c, o);
	vs_scn_run_count_checks(r, c.checks);
	return handled;
}
