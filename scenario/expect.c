/* SPDX-License-Identifier: MIT */
/*
 * scenario/expect.c - checks a step's `expect:` against what the step did
 * and the runtime's current state, and notes each difference as a failed
 * expectation at the position of its key.
 *
 * Invariant: every expectation key that was evaluated counts once in the
 * report's `checks`, and at most once in `failed`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/run.h"

#define LIST_MAX 256
#define TEXT_MAX 4096

typedef struct ctx {
	vs_scn_exec *r;
	const char *thread;
	const vs_scn_step *st;
	size_t checks;
} ctx;

static const char *bool_name(int b)
{
	return b ? "true" : "false";
}

static void check_bool(ctx *c, int key, const char *what, int got)
{
	c->checks++;
	if (!!got == !!c->st->ex.b[key])
		return;
	vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, c->st->ex.pos[key],
	                "%s: expected %s, got %s", what, bool_name(c->st->ex.b[key]), bool_name(got));
}

static void check_int(ctx *c, int key, const char *what, long long got)
{
	c->checks++;
	if (got == c->st->ex.i[key])
		return;
	vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, c->st->ex.pos[key],
	                "%s: expected %lld, got %lld", what, c->st->ex.i[key], got);
}

static void note_str(ctx *c, int key, const char *what, const char *want, const char *got)
{
	vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, c->st->ex.pos[key],
	                "%s: expected '%s', got %s%s%s", what, want, got ? "'" : "",
	                got ? got : "nothing", got ? "'" : "");
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
	vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, pos, "%s: expected %s, got %s", what, a,
	                b);
}

static vs_reuse norm_reuse(vs_reuse r)
{
	return r == VS_REUSE_INHERIT ? VS_REUSE_FALSE : r;
}

static int tmpl_which(const char *key, vs_tmpl_vars *out)
{
	static const struct { const char *k; vs_tmpl_vars w; } map[] = {
		{"global", VS_TMPL_GLOBAL}, {"trainable", VS_TMPL_TRAINABLE}, {"local", VS_TMPL_LOCAL},
		{"variables", VS_TMPL_VARIABLES}, {"non_trainable", VS_TMPL_NON_TRAINABLE}};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(map[i].k, key)) {
			*out = map[i].w;
			return 0;
		}
	return -1;
}

/* a variable expectation on a step that produced none */
static void note_no_var(ctx *c, int key, const char *what)
{
	c->checks++;
	vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, c->st->ex.pos[key],
	                "%s: the step produced no variable", what);
}

static void check_state(ctx *c, const vs_scn_outcome *o)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_var *v = o->var;
	vs_varscope *cur = vs_get_variable_scope();
	vs_varscope *sc = o->scope ? o->scope : cur;
	vs_var *buf[LIST_MAX];
	char a[64], b[64];
#define HAS(k) (ex->set & (UINT32_C(1) << VS_SCN_E_##k))
	if (HAS(NAME)) {
		const char *got = o->name ? o->name : v ? vs_var_name(v) : NULL;
		check_named_str(c, VS_SCN_E_NAME, "name", got);
	}
	if (HAS(SCOPE))
		check_named_str(c, VS_SCN_E_SCOPE, "scope", vs_varscope_name(cur));
	if (HAS(NAME_SCOPE))
		check_named_str(c, VS_SCN_E_NAME_SCOPE, "name_scope", vs_get_name_scope());
	if (HAS(ORIGINAL_NAME_SCOPE))
		check_named_str(c, VS_SCN_E_ORIGINAL_NAME_SCOPE, "original_name_scope",
		                vs_varscope_original_name_scope(sc));
	if (HAS(REUSE)) {
		vs_reuse got = vs_varscope_reuse(sc);
		c->checks++;
		if (norm_reuse(got) != norm_reuse(ex->reuse))
			vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, ex->pos[VS_SCN_E_REUSE],
			                "reuse: expected %s, got %s", vs_scn_reuse_name(norm_reuse(ex->reuse)),
			                vs_scn_reuse_name(norm_reuse(got)));
	}
	for (int k = VS_SCN_E_SAME_AS; k <= VS_SCN_E_NOT_SAME_AS; k++) {
		if (!(ex->set & (UINT32_C(1) << k)))
			continue;
		const char *what = k == VS_SCN_E_SAME_AS ? "same_as" : "not_same_as";
		vs_var *other = vs_scn_run_lookup(c->r, VS_SCN_NS_VAR, ex->str[k]);
		if (!v) {
			note_no_var(c, k, what);
			continue;
		}
		c->checks++;
		if (!other)
			vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, ex->pos[k],
			                "%s: variable '%s' is not bound yet", what, ex->str[k]);
		else if ((other == v) != (k == VS_SCN_E_SAME_AS))
			vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, ex->pos[k],
			                "%s: '%s' is %s, and '%s' is %s", what, vs_var_name(v),
			                k == VS_SCN_E_SAME_AS ? "a different variable" : "the same variable",
			                ex->str[k], vs_var_name(other));
	}
	if (HAS(CREATED)) {
		if (v)
			check_bool(c, VS_SCN_E_CREATED, "created", o->created);
		else
			note_no_var(c, VS_SCN_E_CREATED, "created");
	}
	if (HAS(TRAINABLE)) {
		if (v)
			check_bool(c, VS_SCN_E_TRAINABLE, "trainable", vs_var_trainable(v));
		else
			note_no_var(c, VS_SCN_E_TRAINABLE, "trainable");
	}
	if (HAS(RESOURCE)) {
		if (v)
			check_bool(c, VS_SCN_E_RESOURCE, "resource", vs_var_is_resource(v));
		else
			note_no_var(c, VS_SCN_E_RESOURCE, "resource");
	}
	if (HAS(PARTITIONS)) {
		if (v)
			check_int(c, VS_SCN_E_PARTITIONS, "partitions", (long long)vs_var_num_partitions(v));
		else
			note_no_var(c, VS_SCN_E_PARTITIONS, "partitions");
	}
	if (HAS(SHAPE)) {
		if (!v) {
			note_no_var(c, VS_SCN_E_SHAPE, "shape");
		} else {
			const vs_shape *got = vs_var_shape(v);
			int same = got && got->rank == ex->shape.rank;
			for (int i = 0; same && i < got->rank; i++)
				same = got->dims[i] == ex->shape.dims[i];
			c->checks++;
			if (!same) {
				vs_shape_format(&ex->shape, a, sizeof a);
				vs_shape_format(got, b, sizeof b);
				vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, ex->pos[VS_SCN_E_SHAPE],
				                "shape: expected %s, got %s", a, b);
			}
		}
	}
	if (HAS(DTYPE)) {
		if (!v) {
			note_no_var(c, VS_SCN_E_DTYPE, "dtype");
		} else {
			c->checks++;
			if (vs_var_dtype(v) != ex->dtype) {
				const char *g = vs_dtype_name(vs_var_dtype(v));
				vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, ex->pos[VS_SCN_E_DTYPE],
				                "dtype: expected %s, got %s", vs_dtype_name(ex->dtype),
				                g ? g : "none");
			}
		}
	}
	for (int k = VS_SCN_E_INITIALIZER; k <= VS_SCN_E_CACHING_DEVICE; k++) {
		if (!(ex->set & (UINT32_C(1) << k)))
			continue;
		static const char *const what[] = {"initializer", "constraint", "caching_device"};
		const char *w = what[k - VS_SCN_E_INITIALIZER];
		if (!v) {
			note_no_var(c, k, w);
			continue;
		}
		const char *got = NULL;
		if (k == VS_SCN_E_INITIALIZER) {
			const vs_initializer *in = vs_var_initializer(v);
			got = in && in->kind != VS_INIT_NONE ? vs_init_kind_name(in->kind) : NULL;
		} else if (k == VS_SCN_E_CONSTRAINT) {
			const vs_constraint *cn = vs_var_constraint(v);
			got = cn ? cn->label : NULL;
		} else {
			got = vs_var_caching_device(v);
		}
		c->checks++;
		if (ex->null & (UINT32_C(1) << k)) {
			if (got)
				vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, ex->pos[k],
				                "%s: expected none, got '%s'", w, got);
		} else if (!got || strcmp(got, ex->str[k])) {
			note_str(c, k, w, ex->str[k], got);
		}
	}
	for (size_t i = 0; i < ex->ncoll; i++) {
		const vs_scn_namedlist *nl = &ex->coll[i];
		size_t n = vs_collection_size(NULL, nl->key);
		for (size_t j = 0; j < n && j < LIST_MAX; j++)
			buf[j] = vs_collection_get(NULL, nl->key, j);
		char what[256];
		snprintf(what, sizeof what, "collection '%s'", nl->key);
		check_list(c, nl->pos, what, &nl->names, buf, n);
	}
	if (HAS(TEMPLATE)) {
		vs_template *t = vs_scn_run_lookup(c->r, VS_SCN_NS_TEMPLATE, ex->tmpl_ref);
		if (!t) {
			c->checks++;
			vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, ex->pos[VS_SCN_E_TEMPLATE],
			                "template: '%s' is not bound yet", ex->tmpl_ref);
		} else {
			if (ex->tmpl_scope) {
				const char *got = vs_template_variable_scope_name(t);
				c->checks++;
				if (!got || strcmp(got, ex->tmpl_scope))
					note_str(c, VS_SCN_E_TEMPLATE, "template scope", ex->tmpl_scope, got);
			}
			if (ex->tmpl_calls >= 0) {
				c->checks++;
				if ((long long)vs_template_calls(t) != ex->tmpl_calls)
					vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED,
					                ex->pos[VS_SCN_E_TEMPLATE],
					                "template calls: expected %lld, got %u", ex->tmpl_calls,
					                vs_template_calls(t));
			}
			for (size_t i = 0; i < ex->ntmpl_lists; i++) {
				const vs_scn_namedlist *nl = &ex->tmpl_lists[i];
				vs_tmpl_vars w = VS_TMPL_GLOBAL;
				tmpl_which(nl->key, &w);
				size_t n = vs_template_variables(t, w, buf, LIST_MAX);
				char what[256];
				snprintf(what, sizeof what, "template %s variables", nl->key);
				check_list(c, nl->pos, what, &nl->names, buf, n);
			}
		}
	}
	if (HAS(EAGER_STORE)) {
		vs_eager_store *es = vs_scn_run_lookup(c->r, VS_SCN_NS_STORE, ex->es_ref);
		for (size_t i = 0; i < ex->nes_lists; i++) {
			const vs_scn_namedlist *nl = &ex->es_lists[i];
			if (!es) {
				c->checks++;
				vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, nl->pos,
				                "eager_store: '%s' is not bound yet", ex->es_ref);
				continue;
			}
			vs_tmpl_vars w = !strcmp(nl->key, "variables") ? VS_TMPL_VARIABLES
			                 : !strcmp(nl->key, "trainable") ? VS_TMPL_TRAINABLE
			                                                 : VS_TMPL_NON_TRAINABLE;
			size_t n = vs_eager_store_variables(es, w, buf, LIST_MAX);
			char what[256];
			snprintf(what, sizeof what, "eager store %s", nl->key);
			check_list(c, nl->pos, what, &nl->names, buf, n);
		}
	}
	if (HAS(SCOPE_COLLECTION)) {
		vs_varscope *vsc = vs_scn_run_lookup(c->r, VS_SCN_NS_SCOPE, ex->sc_ref);
		for (size_t i = 0; i < ex->nsc_lists; i++) {
			const vs_scn_namedlist *nl = &ex->sc_lists[i];
			char what[256];
			snprintf(what, sizeof what, "scope '%s' collection '%s'", ex->sc_ref, nl->key);
			if (!vsc) {
				c->checks++;
				vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, nl->pos,
				                "%s: the scope is not bound yet", what);
				continue;
			}
			size_t n = vs_varscope_collection(vsc, nl->key, buf, LIST_MAX);
			check_list(c, nl->pos, what, &nl->names, buf, n);
		}
	}
	if (HAS(EAGER))
		check_bool(c, VS_SCN_E_EAGER, "eager", vs_executing_eagerly());
	if (HAS(CONTROL_INPUTS))
		check_int(c, VS_SCN_E_CONTROL_INPUTS, "control_inputs",
		          (long long)vs_control_inputs_count());
	if (HAS(CONTEXT_SWITCHES))
		check_int(c, VS_SCN_E_CONTEXT_SWITCHES, "context_switches",
		          (long long)vs_context_switches_depth());
	if (HAS(IN_CONTROL_FLOW))
		check_bool(c, VS_SCN_E_IN_CONTROL_FLOW, "in_control_flow", vs_in_control_flow());
	if (HAS(TAPE_RECORDING))
		check_bool(c, VS_SCN_E_TAPE_RECORDING, "tape_recording", vs_tape_recording());
	if (HAS(BUILDING_FUNCTION))
		check_bool(c, VS_SCN_E_BUILDING_FUNCTION, "building_function",
		           vs_graph_building_function(vs_default_graph()));
	if (HAS(GRAPH)) {
		vs_graph *g = vs_scn_run_lookup(c->r, VS_SCN_NS_GRAPH, ex->str[VS_SCN_E_GRAPH]);
		vs_graph *d = vs_default_graph();
		c->checks++;
		if (g != d)
			vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, ex->pos[VS_SCN_E_GRAPH],
			                "graph: the default graph is '%s', not '%s'",
			                vs_graph_name(d) ? vs_graph_name(d) : "?", ex->str[VS_SCN_E_GRAPH]);
	}
	for (size_t i = 0; i < ex->ncalls; i++) {
		const vs_scn_namedlist *nl = &ex->calls[i];
		long long got = vs_scn_run_calls(c->r, nl->key);
		c->checks++;
		if (got != nl->count)
			vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, nl->pos,
			                "calls of '%s': expected %lld, got %lld", nl->key, nl->count, got);
	}
#undef HAS
}

static int check_error(ctx *c, const vs_scn_outcome *o)
{
	const vs_scn_expect *ex = &c->st->ex;
	vs_scn_pos p = ex->pos[VS_SCN_E_ERROR];
	const char *want = vs_err_name(ex->err_code);
	c->checks++;
	if (o->rc == 0) {
		vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, p, "error: expected %s, got no error",
		                want);
		return 0;
	}
	const vs_error *e = o->err;
	if (e->code != ex->err_code) {
		vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, p,
		                "error: expected %s, got %s: %s", want, vs_err_name(e->code), e->msg);
		return 1;
	}
	if (ex->err_message && strcmp(ex->err_message, e->msg))
		vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, p,
		                "error message: expected '%s', got '%s'", ex->err_message, e->msg);
	else if (ex->err_prefix && strncmp(ex->err_prefix, e->msg, strlen(ex->err_prefix)))
		vs_scn_run_note(c->r, c->thread, VS_SCN_ENT_FAILED, p,
		                "error message: expected to start with '%s', got '%s'", ex->err_prefix,
		                e->msg);
	return 1;
}

int vs_scn_expect_check(vs_scn_exec *r, const char *thread, const vs_scn_step *st,
                        const vs_scn_outcome *o, int phase)
{
	ctx c = {r, thread, st, 0};
	int handled = 0;
	if (phase == VS_SCN_PHASE_STATE)
		check_state(&c, o);
	else if (st->ex.err_code)
		handled = check_error(&c, o);
	vs_scn_run_count_checks(r, c.checks);
	return handled;
}
