/* SPDX-License-Identifier: MIT */
/*
 * store/timeline.c - `vstrace show`: every process's events in seq order,
 * one line each, indented by the thread's nesting (scopes, context
 * switches, creator/getter calls, get_variable) like `uftrace replay`,
 * with outcomes and call sites.  Reads through the public cursor, so it
 * works on incomplete traces too.
 * Invariant: a thread's depth grows at each ENTER, CALL or PUSH kind and shrinks
 * at the matching kind + 1 (never below 0), whether or not it is printed.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/evdesc.h"
#include "store/meter.h"
#include "store/report.h"
#include "store/schema.h"
#include "store/stacks.h"
#include "vs/internal/util.h"
#include "vs/vs.h"

#define MAX_INDENT 40 /* nesting levels shown as indentation */

struct tl_thread {
	uint32_t tid;
	uint32_t last_site; /* site of the last event shown (--stacks) */
	unsigned depth;     /* nesting of every event */
	unsigned vdepth;    /* nesting of the lines shown (folding skips some) */
	uint32_t *scopes;   /* variable-scope name ids, innermost last */
	size_t nscopes, cap;
	uint32_t *calls; /* call sites of the open user-level calls, innermost last */
	size_t ncalls, capcalls;
	unsigned char *hidden; /* per open call: folded (a default creator, the true getter) */
	size_t caphidden;
};

struct tl {
	vs_db_reader *r;
	vs_db_stacks *stacks; /* --stacks */
	uint32_t proc;
	struct tl_thread *threads;
	size_t nthreads, cap;
	uint32_t *vs_cms; /* folding: cm ids of the process's variable_scope calls, sorted */
	size_t ncms, capcms;
	/* folding: a get_variable/Variable enter not printed yet; its exit, when
	 * it is the next line of its thread, is printed on the same line */
	vs_event pend;
	unsigned pend_depth;
	int has_pend;
	int fold_calls; /* fold the default creator and true getter (no --kind given) */
	vs_meter meter; /* --progress: events read */
	char meter_label[128];
	char line[4096];
	size_t len;
};

static void put(struct tl *t, const char *fmt, ...) VS_PRINTF(2, 3);
static void put(struct tl *t, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (t->len >= sizeof t->line - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->line + t->len, sizeof t->line - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n < sizeof t->line - t->len ? (size_t)n
		                                              : sizeof t->line - t->len - 1;
}

/* a string id as a double-quoted, escaped literal ("?" when unknown) */
static void put_str(struct tl *t, uint32_t id)
{
	const char *s = vs_db_reader_string(t->r, t->proc, id);
	if (!id) {
		put(t, "None");
		return;
	}
	if (!s) {
		put(t, "?%u", id);
		return;
	}
	put(t, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			put(t, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			put(t, "\\x%02x", c);
		else
			put(t, "%c", c);
	}
	put(t, "\"");
}

static struct tl_thread *thread_of(struct tl *t, uint32_t tid)
{
	for (size_t i = 0; i < t->nthreads; i++)
		if (t->threads[i].tid == tid)
			return &t->threads[i];
	if (VS_GROW(t->threads, t->cap, t->nthreads + 1) < 0)
		return NULL;
	memset(&t->threads[t->nthreads], 0, sizeof t->threads[0]);
	t->threads[t->nthreads].tid = tid;
	return &t->threads[t->nthreads++];
}

static void threads_reset(struct tl *t)
{
	for (size_t i = 0; i < t->nthreads; i++) {
		free(t->threads[i].scopes);
		free(t->threads[i].calls);
		free(t->threads[i].hidden);
	}
	t->nthreads = 0;
}

/* 1 entering, -1 leaving, 0 neither (store/evdesc.h) */
static int nesting(unsigned kind) { return vs_db_kind_desc_of(kind)->nest; }

static const char *ctx_name(uint32_t k)
{
	return k == VS_CTX_GRAPH        ? "graph"
	       : k == VS_CTX_EAGER      ? "eager_mode"
	       : k == VS_CTX_GRAPH_MODE ? "graph_mode"
	                                : "?";
}

static void put_outcome(struct tl *t, uint32_t outcome)
{
	const char *o = vs_db_outcome_name(outcome);
	put(t, "} = %s", *o ? o : "none");
}

/* " key=STR" when id is a string, nothing for None */
static void put_opt_str(struct tl *t, const char *key, uint32_t id)
{
	if (!id)
		return;
	put(t, " %s=", key);
	put_str(t, id);
}

static void put_dtype(struct tl *t, uint32_t dtype)
{
	if (dtype)
		put(t, " dtype=%s", vs_db_dtype_name(dtype));
}

/* One describer per kind: the text of the event (without indentation or
 * call site). */
typedef void describe_fn(struct tl *t, const vs_event *e);

static void d_site(struct tl *t, const vs_event *e)
{
	put(t, "site #%u = ", e->site_def.site_id);
	put_str(t, e->site_def.file);
	put(t, ":%u ", e->site_def.line);
	put_str(t, e->site_def.function);
}

static void d_process_start(struct tl *t, const vs_event *e)
{
	put(t, "process start (pid %u)", e->process_start.pid);
}

static void d_process_end(struct tl *t, const vs_event *e)
{
	put(t, "process end (exit %d)", (int)e->process_end.exit_status);
}

static void d_thread_start(struct tl *t, const vs_event *e)
{
	put(t, "thread start (os tid %u", e->thread_start.os_tid);
	put(t, e->thread_start.parent_tid ? ", from thread %u)" : ")", e->thread_start.parent_tid);
}

static void d_lost(struct tl *t, const vs_event *e)
{
	put(t, "*** %llu events lost ***",
	    (unsigned long long)e->lost.count_lo | (unsigned long long)e->lost.count_hi << 32);
}

static void d_graph_create(struct tl *t, const vs_event *e)
{
	put(t, "graph #%u created", e->graph_create.graph_id);
	if (e->graph_create.name) {
		put(t, " ");
		put_str(t, e->graph_create.name);
	}
}

static void d_ctx_push(struct tl *t, const vs_event *e)
{
	put(t, "%s (graph #%u) {", ctx_name(e->ctx.ctx_kind), e->ctx.graph_id);
}

static void d_ctx_pop(struct tl *t, const vs_event *e)
{
	put(t, "} %s", ctx_name(e->ctx.ctx_kind));
}

static void d_reset_graph(struct tl *t, const vs_event *e)
{
	put(t, "reset_default_graph: graph #%u -> #%u", e->reset_graph.old_graph,
	    e->reset_graph.new_graph);
}

static void d_init_scope_enter(struct tl *t, const vs_event *e)
{
	if (e->init_scope.ctx_kind == VS_CTX_EAGER || !e->init_scope.graph_id)
		put(t, "init_scope (to eager) {");
	else
		put(t, "init_scope (to graph #%u) {", e->init_scope.graph_id);
}

static void d_control_deps_enter(struct tl *t, const vs_event *e)
{
	if (e->flags & VS_EVF_CLEARED)
		put(t, "control_dependencies(None) {");
	else
		put(t, "control_dependencies(%u inputs) {", e->control_deps.n_inputs);
}

static void d_tape_push(struct tl *t, const vs_event *e)
{
	put(t, "%s #%u {", vs_db_event_word(e), e->tape.tape_id);
}

static void d_name_scope_enter(struct tl *t, const vs_event *e)
{
	put(t, "%s ", vs_db_event_word(e));
	put_str(t, e->name_scope.resolved);
	put(t, " {");
}

static void d_op_create(struct tl *t, const vs_event *e)
{
	put(t, "op ");
	put_str(t, e->op_create.name);
	put(t, " type ");
	put_str(t, e->op_create.type);
}

static void d_varscope_enter(struct tl *t, const vs_event *e)
{
	put(t, "%s ", vs_db_event_word(e));
	put_str(t, e->varscope.full_name);
	put(t, " reuse=%s {", vs_db_reuse_name(e->varscope.reuse));
}

static void d_reuse_variables(struct tl *t, const vs_event *e)
{
	put(t, "reuse_variables() on ");
	put_str(t, e->reuse_variables.full_name);
}

static void d_creator_scope_enter(struct tl *t, const vs_event *e)
{
	put(t, "%s ", vs_db_event_word(e));
	put_str(t, e->creator_scope.label);
	put(t, " {");
}

/* "creator LABEL name=NAME {", or "default creator name=NAME {" without a
 * label (the word says which) */
static void put_call(struct tl *t, const vs_event *e, uint32_t label, uint32_t name)
{
	put(t, "%s", vs_db_event_word(e));
	if (label) {
		put(t, " ");
		put_str(t, label);
	}
	put(t, " name=");
	put_str(t, name);
	put(t, " {");
}

static void d_creator_call(struct tl *t, const vs_event *e)
{
	put_call(t, e, e->creator_call.label, e->creator_call.name);
}

static void d_getter_call(struct tl *t, const vs_event *e)
{
	put_call(t, e, e->getter_call.label, e->getter_call.name);
}

static void put_return(struct tl *t, uint32_t outcome, uint32_t variable)
{
	put_outcome(t, outcome);
	if (variable)
		put(t, " (variable #%u)", variable);
}

static void d_creator_return(struct tl *t, const vs_event *e)
{
	put_return(t, e->creator_return.outcome, e->creator_return.variable);
}

static void d_getter_return(struct tl *t, const vs_event *e)
{
	put_return(t, e->getter_return.outcome, e->getter_return.variable);
}

static void d_variable_exit(struct tl *t, const vs_event *e)
{
	put_return(t, e->variable_exit.outcome, e->variable_exit.variable);
}

static void d_getvar_enter(struct tl *t, const vs_event *e)
{
	put(t, "%s ", vs_db_event_word(e));
	put_str(t, e->getvar_enter.full_name);
	put_opt_str(t, "shape", e->getvar_enter.shape);
	put_dtype(t, e->getvar_enter.dtype);
	put(t, " reuse=%s {", vs_db_reuse_name(e->getvar_enter.reuse));
}

static void d_getvar_exit(struct tl *t, const vs_event *e)
{
	put_outcome(t, e->getvar_exit.outcome);
	put(t, " ");
	put_str(t, e->getvar_exit.full_name);
}

static void d_variable_enter(struct tl *t, const vs_event *e)
{
	put(t, "%s name=", vs_db_event_word(e));
	put_str(t, e->variable_enter.requested);
	put(t, " {");
}

static void d_var_create(struct tl *t, const vs_event *e)
{
	put(t, "create ");
	put_str(t, e->var_create.name);
	put_opt_str(t, "shape", e->var_create.shape);
	put_dtype(t, e->var_create.dtype);
	put(t, "%s", (e->flags & VS_EVF_TRAINABLE) ? " trainable" : " not trainable");
}

static void d_var_args(struct tl *t, const vs_event *e)
{
	put(t, "arguments of call #%u", e->var_args.call_id);
	put_opt_str(t, "initializer", e->var_args.initializer);
	put_opt_str(t, "regularizer", e->var_args.regularizer);
	put_opt_str(t, "constraint", e->var_args.constraint);
	put_opt_str(t, "partitioner", e->var_args.partitioner);
	put_opt_str(t, "collections", e->var_args.collections);
	put_opt_str(t, "caching_device", e->var_args.caching_device);
}

static void d_var_info(struct tl *t, const vs_event *e)
{
	put(t, "variable #%u", e->var_info.variable);
	put_opt_str(t, "initializer", e->var_info.initializer);
	put_opt_str(t, "constraint", e->var_info.constraint);
	put_opt_str(t, "caching_device", e->var_info.caching_device);
	put_opt_str(t, "device", e->var_info.device);
}

static void d_template_make(struct tl *t, const vs_event *e)
{
	put(t, "make_template #%u ", e->template_make.template_id);
	put_str(t, e->template_make.name);
}

static void d_template_enter(struct tl *t, const vs_event *e)
{
	put(t, "template #%u call %u ", e->template_enter.template_id,
	    e->template_enter.call_index);
	put_str(t, e->template_enter.scope_name);
	put(t, " {");
}

static void d_template_exit(struct tl *t, const vs_event *e)
{
	put_outcome(t, e->template_exit.outcome);
}

static void d_eager_store_new(struct tl *t, const vs_event *e)
{
	put(t, "EagerVariableStore #%u created", e->eager_store_new.store_id);
}

static void d_var_store_new(struct tl *t, const vs_event *e)
{
	put(t, "_VariableStore #%u created", e->var_store_new.store_id);
}

static void d_eager_store_enter(struct tl *t, const vs_event *e)
{
	put(t, "%s #%u {", vs_db_event_word(e), e->eager_store.store_id);
}

static void d_error(struct tl *t, const vs_event *e)
{
	const char *m = vs_db_reader_string(t->r, t->proc, e->error.message);
	put(t, "!! %s: %s", vs_err_name(-(int)e->error.code), m ? m : "?");
}

/*
 * What `show` prints per kind: a describer, or a fixed text.  Kinds with
 * neither print their word (store/evdesc.h): "WORD {" when they open a
 * nesting level, "} WORD" when they close one, else their kind name.
 */
static const struct kind_view {
	describe_fn *fn;
	const char *text;
} kind_views[VS_EV__COUNT] = {
	[VS_EV_SITE] = {d_site, NULL},
	[VS_EV_PROCESS_START] = {d_process_start, NULL},
	[VS_EV_PROCESS_END] = {d_process_end, NULL},
	[VS_EV_THREAD_START] = {d_thread_start, NULL},
	[VS_EV_THREAD_END] = {NULL, "thread end"},
	[VS_EV_LOST] = {d_lost, NULL},
	[VS_EV_GRAPH_CREATE] = {d_graph_create, NULL},
	[VS_EV_CTX_PUSH] = {d_ctx_push, NULL},
	[VS_EV_CTX_POP] = {d_ctx_pop, NULL},
	[VS_EV_RESET_GRAPH] = {d_reset_graph, NULL},
	[VS_EV_INIT_SCOPE_ENTER] = {d_init_scope_enter, NULL},
	[VS_EV_CONTROL_DEPS_ENTER] = {d_control_deps_enter, NULL},
	[VS_EV_TAPE_PUSH] = {d_tape_push, NULL},
	[VS_EV_NAME_SCOPE_ENTER] = {d_name_scope_enter, NULL},
	[VS_EV_OP_CREATE] = {d_op_create, NULL},
	[VS_EV_VARSCOPE_ENTER] = {d_varscope_enter, NULL},
	[VS_EV_REUSE_VARIABLES] = {d_reuse_variables, NULL},
	[VS_EV_CREATOR_SCOPE_ENTER] = {d_creator_scope_enter, NULL},
	[VS_EV_CREATOR_CALL] = {d_creator_call, NULL},
	[VS_EV_CREATOR_RETURN] = {d_creator_return, NULL},
	[VS_EV_GETTER_CALL] = {d_getter_call, NULL},
	[VS_EV_GETTER_RETURN] = {d_getter_return, NULL},
	[VS_EV_GETVAR_ENTER] = {d_getvar_enter, NULL},
	[VS_EV_GETVAR_EXIT] = {d_getvar_exit, NULL},
	[VS_EV_VARIABLE_ENTER] = {d_variable_enter, NULL},
	[VS_EV_VARIABLE_EXIT] = {d_variable_exit, NULL},
	[VS_EV_VAR_CREATE] = {d_var_create, NULL},
	[VS_EV_VAR_ARGS] = {d_var_args, NULL},
	[VS_EV_VAR_INFO] = {d_var_info, NULL},
	[VS_EV_TEMPLATE_MAKE] = {d_template_make, NULL},
	[VS_EV_TEMPLATE_CALL_ENTER] = {d_template_enter, NULL},
	[VS_EV_TEMPLATE_CALL_EXIT] = {d_template_exit, NULL},
	[VS_EV_EAGER_STORE_NEW] = {d_eager_store_new, NULL},
	[VS_EV_EAGER_STORE_ENTER] = {d_eager_store_enter, NULL},
	[VS_EV_VAR_STORE_NEW] = {d_var_store_new, NULL},
	[VS_EV_ERROR] = {d_error, NULL},
};

/* The text of one event (without indentation or call site). */
static void describe(struct tl *t, const vs_event *e)
{
	const struct kind_view *v = e->kind < VS_EV__COUNT ? &kind_views[e->kind] : NULL;
	const char *name = vs_db_kind_name(e->kind), *word = vs_db_event_word(e);
	int n = nesting(e->kind);
	if (v && v->fn)
		v->fn(t, e);
	else if (v && v->text)
		put(t, "%s", v->text);
	else if (n < 0)
		put(t, word ? "} %s" : "}", word);
	else if (n > 0 && word)
		put(t, "%s {", word);
	else
		put(t, "%s", name ? name : "?");
}

/* a user-level call (its sub-events share its call site) */
static int call_nesting(unsigned kind)
{
	switch (kind) {
	case VS_EV_GETVAR_ENTER:
	case VS_EV_VARIABLE_ENTER:
	case VS_EV_CREATOR_CALL:
	case VS_EV_GETTER_CALL:
	case VS_EV_TEMPLATE_CALL_ENTER: return 1;
	case VS_EV_GETVAR_EXIT:
	case VS_EV_VARIABLE_EXIT:
	case VS_EV_CREATOR_RETURN:
	case VS_EV_GETTER_RETURN:
	case VS_EV_TEMPLATE_CALL_EXIT: return -1;
	default: return 0;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * An internal sub-event of a public call (event.h, "Events of composite
 * calls"): the graph push and name scope a variable_scope opens (they carry
 * its cm id), and the name scopes and init_scope that get_variable and the
 * variable constructors open (at the call's own site).
 */
static int sub_event(const struct tl *t, const struct tl_thread *th, const vs_event *e)
{
	uint32_t cm;
	int in_hidden = th->ncalls && th->hidden[th->ncalls - 1];
	switch (e->kind) {
	/* the default creator and the true getter are how get_variable and
	 * Variable work, not calls of the user's: folded with what they do */
	case VS_EV_CREATOR_CALL: return t->fold_calls && !e->creator_call.label;
	case VS_EV_GETTER_CALL: return t->fold_calls && !e->getter_call.label;
	/* a call's further arguments and what its creation got: annotations of
	 * the call, shown with --all or asked for with --kind */
	case VS_EV_VAR_ARGS:
	case VS_EV_VAR_INFO: return t->fold_calls;
	case VS_EV_CREATOR_RETURN:
	case VS_EV_GETTER_RETURN:
	case VS_EV_VAR_CREATE:
	case VS_EV_OP_CREATE: return in_hidden;
	case VS_EV_CTX_PUSH:
	case VS_EV_CTX_POP: cm = e->ctx.cm; break;
	case VS_EV_NAME_SCOPE_ENTER:
	case VS_EV_NAME_SCOPE_EXIT: cm = e->name_scope.cm; break;
	case VS_EV_INIT_SCOPE_ENTER:
	case VS_EV_INIT_SCOPE_EXIT: cm = e->init_scope.cm; break;
	default: return 0;
	}
	if (th->ncalls && e->site && th->calls[th->ncalls - 1] == e->site)
		return 1;
	return cm && t->ncms && bsearch(&cm, t->vs_cms, t->ncms, sizeof cm, cmp_u32);
}

/* folding: the cm ids of the process's variable_scope calls.  0 or < 0. */
static int collect_cms(struct tl *t, uint32_t proc, vs_error *err)
{
	vs_db_cursor *c = NULL;
	vs_event e;
	int rc = vs_db_cursor_open(t->r, &c, proc, 0, err);
	t->ncms = 0;
	if (rc < 0)
		return rc;
	while ((rc = vs_db_cursor_next(c, &e, err)) == 1) {
		vs_meter_add(&t->meter, 1);
		if (e.kind != VS_EV_VARSCOPE_ENTER || !e.varscope.cm)
			continue;
		if (VS_GROW(t->vs_cms, t->capcms, t->ncms + 1) < 0) {
			rc = vs_error_nomem(err);
			break;
		}
		t->vs_cms[t->ncms++] = e.varscope.cm;
	}
	vs_db_cursor_close(c);
	if (t->ncms)
		qsort(t->vs_cms, t->ncms, sizeof *t->vs_cms, cmp_u32);
	return rc < 0 ? rc : 0;
}

/* Updates the thread's state for e; *depth_out is the line's indentation
 * (counting only shown lines when visible says which are), *scope_out its
 * variable scope id.  0 or VS_ERR_NOMEM. */
static int advance(struct tl_thread *th, const vs_event *e, int shown, unsigned *depth_out,
                   uint32_t *scope_out)
{
	int n = nesting(e->kind), call = call_nesting(e->kind);
	if (n < 0 && th->depth)
		th->depth--;
	if (n < 0 && shown && th->vdepth)
		th->vdepth--;
	*depth_out = th->vdepth;
	if (n > 0)
		th->depth++;
	if (n > 0 && shown)
		th->vdepth++;
	if (call > 0) {
		if (VS_GROW(th->calls, th->capcalls, th->ncalls + 1) < 0 ||
		    VS_GROW(th->hidden, th->caphidden, th->ncalls + 1) < 0)
			return VS_ERR_NOMEM;
		th->hidden[th->ncalls] = !shown;
		th->calls[th->ncalls++] = e->site;
	} else if (call < 0 && th->ncalls) {
		th->ncalls--;
	}
	if (e->kind == VS_EV_VARSCOPE_ENTER) {
		if (VS_GROW(th->scopes, th->cap, th->nscopes + 1) < 0)
			return VS_ERR_NOMEM;
		th->scopes[th->nscopes++] = e->varscope.full_name;
	}
	*scope_out = th->nscopes ? th->scopes[th->nscopes - 1] : 0;
	if (e->kind == VS_EV_VARSCOPE_EXIT && th->nscopes)
		th->nscopes--;
	return 0;
}

/* the call stack of e's call under its line, indented 4 columns past the
 * event text (ind: the columns print_line wrote before that text) */
static int show_stack(struct tl *t, const vs_event *e, int ind, uint32_t max, FILE *out,
                      vs_error *err)
{
	vs_db_frame fr[64];
	uint32_t stack;
	int n = vs_db_stacks_site(t->stacks, t->proc, e->site, &stack, fr, max < 64 ? max : 64,
	                          err);
	for (int i = 0; i < n; i++) {
		fprintf(out, "%*s#%d %s", ind + 4, "", i, fr[i].function ? fr[i].function : "??");
		if (fr[i].file && fr[i].line > 0)
			fprintf(out, " %s:%d\n", fr[i].file, fr[i].line);
		else
			fprintf(out, " (%s+0x%llx)\n", fr[i].module ? fr[i].module : "??",
			        (unsigned long long)fr[i].offset);
	}
	return n < 0 ? n : 0;
}

/* e passes the thread, kind and seq filters of o */
static int selected(const vs_db_show_opts *o, const vs_event *e)
{
	int thread_ok = !o->tid && !o->ntids;
	if (o->tid && e->tid == o->tid)
		thread_ok = 1;
	for (size_t i = 0; i < o->ntids && !thread_ok; i++)
		thread_ok = o->tids[i] == e->tid;
	if (!thread_ok || (o->from && e->seq < o->from) || (o->to && e->seq > o->to))
		return 0;
	if (o->kinds[0] || o->kinds[1])
		return e->kind < 128 && (o->kinds[e->kind / 64] >> (e->kind % 64) & 1);
	if (o->kind >= 0)
		return e->kind == (unsigned)o->kind;
	return e->kind != VS_EV_SITE && e->kind != VS_EV_MODULE && e->kind != VS_EV_STACK;
}

#define C_RESET "\033[0m"

/* the colour of an event's line: errors red, created green, reused cyan */
static const char *line_color(const vs_event *e)
{
	uint32_t outcome = 0;
	switch (e->kind) {
	case VS_EV_ERROR:
	case VS_EV_LOST: return "\033[1;31m";
	case VS_EV_GETVAR_EXIT: outcome = e->getvar_exit.outcome; break;
	case VS_EV_VARIABLE_EXIT: outcome = e->variable_exit.outcome; break;
	case VS_EV_VAR_CREATE: return "\033[32m";
	default: return NULL;
	}
	return outcome == VS_OUT_CREATED  ? "\033[32m"
	       : outcome == VS_OUT_REUSED ? "\033[36m"
	       : outcome == VS_OUT_ERROR  ? "\033[31m"
	                                  : NULL;
}

/* Prints one event line: a multi-line text (a TensorFlow message) goes on
 * continuation lines aligned under the event column, so columns hold.
 * colour_of: the event whose outcome colours the line (e, or a merged
 * line's exit).  Returns the columns before the event text. */
static int print_line(struct tl *t, const vs_event *e, const vs_event *colour_of, unsigned depth,
                      const vs_db_show_opts *o, FILE *out)
{
	const char *file, *fn, *col = o->color ? line_color(colour_of) : NULL;
	int line, width;
	unsigned ind = 2 * (depth > MAX_INDENT ? MAX_INDENT : depth);
	width = fprintf(out, o->color ? "\033[2m%10llu\033[0m  [%u]  %*s" : "%10llu  [%u]  %*s",
	                (unsigned long long)e->seq, e->tid, (int)ind, "");
	if (o->color)
		width -= 8; /* the escape sequences take no column */
	if (col)
		fputs(col, out);
	for (const char *p = t->line; *p; p++) {
		fputc(*p, out);
		if (*p != '\n')
			continue;
		while (p[1] == '\n') /* blank lines would break the columns too */
			p++;
		fprintf(out, "%*s", width + 3, ""); /* under the text after "!! " */
	}
	if (col)
		fputs(C_RESET, out);
	if (e->site && !vs_db_reader_site(t->r, t->proc, e->site, &file, &line, &fn))
		fprintf(out, o->color ? "  \033[2m@ %s:%d%s%s\033[0m" : "  @ %s:%d%s%s",
		        file ? file : "?", line, fn ? " " : "", fn ? fn : "");
	fputc('\n', out);
	return width;
}

/* A call's enter and exit on one line, as `uftrace` folds a leaf call:
 * the enter's text without its " {", then the exit's without its "}":
 * `get_variable "a/w" shape="(3,)" reuse=False = created` (the name is not
 * repeated), `creator "c" name="a/w" = created (variable #1)`. */
static void merge_exit(struct tl *t, const vs_event *x)
{
	size_t at;
	if (t->len >= 2 && !strcmp(t->line + t->len - 2, " {"))
		t->line[t->len -= 2] = '\0';
	if (x->kind == VS_EV_GETVAR_EXIT) {
		const char *o = vs_db_outcome_name(x->getvar_exit.outcome);
		put(t, " = %s", *o ? o : "none");
		return;
	}
	at = t->len;
	describe(t, x);
	if (t->line[at] == '}') {
		memmove(t->line + at, t->line + at + 1, t->len - at);
		t->len--;
	}
}

/* Prints e's line (merged with its exit x when x is not NULL) and, with
 * --stacks, the call stack under it.  0 or < 0. */
static int print_event(struct tl *t, struct tl_thread *th, const vs_event *e, const vs_event *x,
                       unsigned depth, const vs_db_show_opts *o, FILE *out, vs_error *err)
{
	int ret;
	t->len = 0;
	if (depth > MAX_INDENT) /* keep lines short on absurd nesting */
		put(t, "(depth %u) ", depth);
	describe(t, e);
	if (x)
		merge_exit(t, x);
	int width = print_line(t, e, x ? x : e, depth, o, out);
	if (t->stacks && e->site && e->site != th->last_site &&
	    (ret = show_stack(t, e, width, o->stacks, out, err)) < 0)
		return ret;
	th->last_site = e->site;
	return 0;
}

_Static_assert(VS_EV_GETVAR_EXIT == VS_EV_GETVAR_ENTER + 1 &&
                       VS_EV_VARIABLE_EXIT == VS_EV_VARIABLE_ENTER + 1 &&
                       VS_EV_CREATOR_RETURN == VS_EV_CREATOR_CALL + 1 &&
                       VS_EV_GETTER_RETURN == VS_EV_GETTER_CALL + 1 &&
                       VS_EV_TEMPLATE_CALL_EXIT == VS_EV_TEMPLATE_CALL_ENTER + 1,
               "a call's exit kind follows its enter kind");

/* the pending enter's line, alone */
static int flush_pend(struct tl *t, const vs_db_show_opts *o, FILE *out, vs_error *err)
{
	struct tl_thread *th = t->has_pend ? thread_of(t, t->pend.tid) : NULL;
	if (!t->has_pend)
		return 0;
	t->has_pend = 0;
	if (!th)
		return vs_error_nomem(err);
	return print_event(t, th, &t->pend, NULL, t->pend_depth, o, out, err);
}

/* e is the exit of the pending enter (the next line of its thread) */
static int closes_pend(const struct tl *t, const vs_event *e, unsigned depth)
{
	/* every call kind's exit is the next kind (include/vs/event.h) */
	return t->has_pend && e->tid == t->pend.tid && depth == t->pend_depth &&
	       e->kind == t->pend.kind + 1u;
}

/* e passes every filter of o (it is shown at this depth, in this scope) */
static int printable(struct tl *t, const vs_db_show_opts *o, const vs_event *e, unsigned depth,
                     uint32_t scope)
{
	if (!selected(o, e) || (o->max_depth && depth >= o->max_depth))
		return 0;
	if (o->scope_glob) {
		const char *s = scope ? vs_db_reader_string(t->r, t->proc, scope) : "";
		if (!s || fnmatch(o->scope_glob, s, 0) != 0)
			return 0;
	}
	return 1;
}

/* One event of the cursor: the thread's state, then its line (folded:
 * sub-events hidden, a call's enter kept back until its thread's next
 * line shows whether its exit can share the line).  0 or < 0. */
static int show_event(struct tl *t, const vs_event *e, const vs_db_show_opts *o, FILE *out,
                      vs_error *err)
{
	struct tl_thread *th = thread_of(t, e->tid);
	unsigned depth;
	uint32_t scope;
	int ret, shown = th && !(o->fold && sub_event(t, th, e));
	if (!th || advance(th, e, shown, &depth, &scope) < 0)
		return vs_error_nomem(err);
	if (!shown)
		return 0;
	int printed = printable(t, o, e, depth, scope);
	if (t->has_pend && (e->tid == t->pend.tid || printed)) {
		if (printed && closes_pend(t, e, depth)) {
			t->has_pend = 0;
			return print_event(t, th, &t->pend, e, depth, o, out, err);
		}
		if ((ret = flush_pend(t, o, out, err)) < 0)
			return ret;
	}
	if (!printed)
		return 0;
	if (o->fold && call_nesting(e->kind) > 0) {
		t->pend = *e;
		t->pend_depth = depth;
		t->has_pend = 1;
		return 0;
	}
	return print_event(t, th, e, NULL, depth, o, out, err);
}

/* the last seq of process proc: about its number of events, cheaply (the
 * rowid's high bits are the process) -- the progress line's total */
static uint64_t last_seq(vs_db_reader *r, uint32_t proc)
{
	sqlite3 *db = vs_db_reader_sqlite(r);
	sqlite3_stmt *st = NULL;
	uint64_t n = 0;
	if (sqlite3_prepare_v2(db, "SELECT max(id) FROM ev WHERE id BETWEEN ?1 AND ?2", -1, &st,
	                       NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)proc << 40);
	sqlite3_bind_int64(st, 2, ((sqlite3_int64)proc << 40) + ((1LL << 40) - 1));
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER)
		n = (uint64_t)sqlite3_column_int64(st, 0) & ((1ULL << 40) - 1);
	sqlite3_finalize(st);
	return n;
}

/* the progress line of one process (a pass to collect the scopes first
 * when folding, then the timeline) */
static void meter_start(struct tl *t, const vs_db_show_opts *o, uint32_t proc)
{
	uint64_t total = o->progress ? last_seq(t->r, proc) : 0;
	if (o->to && o->to < total)
		total = o->to;
	snprintf(t->meter_label, sizeof t->meter_label, "vstrace: reading process %u", proc);
	vs_meter_init(&t->meter, o->progress, t->meter_label, o->fold ? 2 * total : total);
}

static int show_proc(struct tl *t, const vs_db_process *p, const vs_db_show_opts *o, FILE *out,
                     vs_error *err)
{
	vs_db_cursor *c = NULL;
	vs_event e;
	int rc, ret;
	const char *prog = vs_db_reader_meta(t->r, "program");
	t->proc = p->proc;
	t->has_pend = 0;
	/* asked for by kind, the default creator's events are shown */
	t->fold_calls = o->fold && !o->kinds[0] && !o->kinds[1] && o->kind < 0;
	threads_reset(t);
	meter_start(t, o, p->proc);
	if (o->fold && (ret = collect_cms(t, p->proc, err)) < 0)
		return ret;
	fprintf(out, "# proc %u: pid %lld", p->proc, (long long)p->pid);
	if (p->parent_proc)
		fprintf(out, ", fork of proc %u after seq %llu", p->parent_proc,
		        (unsigned long long)p->fork_seq);
	else if (prog)
		fprintf(out, " (%s)", prog);
	fputs("\n#      SEQ  TID  EVENT\n", out);
	if ((ret = vs_db_cursor_open(t->r, &c, p->proc, o->to, err)) < 0)
		return ret;
	while ((rc = vs_db_cursor_next(c, &e, err)) == 1) {
		vs_meter_add(&t->meter, 1);
		if ((rc = show_event(t, &e, o, out, err)) < 0)
			break;
	}
	vs_db_cursor_close(c);
	vs_meter_end(&t->meter);
	if (rc >= 0)
		rc = flush_pend(t, o, out, err);
	return rc < 0 ? rc : 0;
}

int vs_db_show_print(vs_db_reader *r, const vs_db_show_opts *opts, FILE *out, vs_error *err)
{
	struct tl t;
	vs_db_show_opts all = {.kind = -1};
	uint32_t n = vs_db_reader_process_count(r);
	int ret = 0;
	if (!opts)
		opts = &all;
	if (opts->proc > n)
		return vs_error_set(err, VS_ERR_NOT_FOUND, "'%s': no process %u in trace",
		                    vs_db_reader_path(r), opts->proc);
	memset(&t, 0, sizeof t);
	t.r = r;
	if (opts->stacks && (ret = vs_db_stacks_open(r, &t.stacks, err)) < 0)
		return ret;
	for (uint32_t i = 0; i < n && ret >= 0; i++) {
		vs_db_process p;
		if ((ret = vs_db_reader_process(r, i, &p, err)) < 0)
			break;
		if (opts->proc && p.proc != opts->proc)
			continue;
		if (i && !opts->proc)
			fputc('\n', out);
		ret = show_proc(&t, &p, opts, out, err);
		vs_meter_end(&t.meter); /* also after a failure: the error line follows */
	}
	threads_reset(&t);
	free(t.threads);
	vs_db_stacks_close(t.stacks);
	free(t.vs_cms);
	return ret;
}
