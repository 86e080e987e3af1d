/* SPDX-License-Identifier: MIT */
/*
 * store/export_chrome.c - `vstrace export --format chrome`: the Chrome
 * trace-event JSON format (the "JSON Array/Object Format" that Perfetto UI
 * and chrome://tracing load).
 *
 * Mapping: pid = the process's OS pid, tid = the runtime thread number;
 * every ENTER/CALL/PUSH kind opens a B slice and its EXIT/RETURN/POP closes
 * it (E, with the outcome in args); kinds without a pair are thread-scoped
 * instants (i); a VAR_CREATE starts a flow (s, id = proc << 32 | variable)
 * and every get_variable that reuses the variable adds a step (t) bound to
 * the get_variable slice, so the UI draws creation -> reuse -> reuse.
 * Findings stored by `vscheck --write-findings` are instants right after
 * their event.  ts is microseconds since the trace's clock origin
 * (meta ts_base_ns), with nanosecond decimals.
 *
 * Invariants the output keeps (tests/unit/test_store_export.c checks them):
 * every B has its E on the same thread, properly nested (an exit whose
 * enter is not open is dropped; slices still open at the end of a process,
 * e.g. of a killed thread, are closed at the thread's last timestamp); ts
 * never decreases on a thread (a clock step back is clamped); metadata
 * (process_name, thread_name) precedes a track's first event.
 * Streaming: one cursor per process, state per thread (the open slices)
 * only.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/evdesc.h"
#include "store/export.h"
#include "store/report.h"
#include "store/schema.h"
#include "vs/internal/util.h"

struct cx_thread {
	uint32_t tid;
	uint64_t last_ts;
	vs_event *open; /* the entering events of the open slices, innermost last */
	size_t nopen, cap;
};

struct cx {
	vs_db_reader *r;
	FILE *out;
	uint32_t proc;
	long long pid;
	uint64_t base;
	struct cx_thread *th;
	size_t nth, cap;
	int nargs;     /* args written in the current event */
	uint64_t nout; /* trace events written */
	sqlite3_stmt *fnd;
	int fnd_state;
	char **sites; /* site id -> "file:line function" of this process (cache) */
	size_t capsites;
};

/* starts the next element of traceEvents */
static void sep(struct cx *c) { fputs(c->nout++ ? ",\n" : "", c->out); }

static void put_str(struct cx *c, const char *s)
{
	vs_db_json_string(c->out, s ? s : "", s ? strlen(s) : 0);
}

static const char *str(struct cx *c, uint32_t id)
{
	const char *s = id ? vs_db_reader_string(c->r, c->proc, id) : NULL;
	return s ? s : "";
}

static void put_ts(struct cx *c, uint64_t ts)
{
	uint64_t rel = ts > c->base ? ts - c->base : 0;
	fprintf(c->out, "%llu.%03u", (unsigned long long)(rel / 1000), (unsigned)(rel % 1000));
}

/* Opens one trace event: {"name": NAME, "cat": CAT, "ph": PH, "ts":, "pid":, "tid": */
static void ev_open(struct cx *c, const char *ph, const char *cat, const char *name1,
                    const char *name2, uint32_t tid, uint64_t ts)
{
	sep(c);
	fputs("{\"name\": ", c->out);
	if (name2 && *name2) {
		size_t n1 = strlen(name1), n2 = strlen(name2);
		char buf[512];
		snprintf(buf, sizeof buf, "%s %s", name1, name2);
		vs_db_json_string(c->out, buf,
		                  n1 + 1 + n2 < sizeof buf ? n1 + 1 + n2 : sizeof buf - 1);
	} else {
		put_str(c, name1);
	}
	fprintf(c->out, ", \"cat\": \"%s\", \"ph\": \"%s\", \"ts\": ", cat, ph);
	put_ts(c, ts);
	fprintf(c->out, ", \"pid\": %lld, \"tid\": %u", c->pid, tid);
	c->nargs = 0;
}

static void arg_key(struct cx *c, const char *key)
{
	fputs(c->nargs++ ? ", " : ", \"args\": {", c->out);
	fprintf(c->out, "\"%s\": ", key);
}

static void arg_s(struct cx *c, const char *key, const char *v)
{
	arg_key(c, key);
	put_str(c, v);
}

/* a string id: omitted when 0 (None) */
static void arg_id(struct cx *c, const char *key, uint32_t id)
{
	if (id)
		arg_s(c, key, str(c, id));
}

static void arg_u(struct cx *c, const char *key, unsigned long long v)
{
	arg_key(c, key);
	fprintf(c->out, "%llu", v);
}

static void ev_close(struct cx *c) { fputs(c->nargs ? "}}" : "}", c->out); }

static void sites_reset(struct cx *c)
{
	for (size_t i = 0; i < c->capsites; i++)
		free(c->sites[i]);
	free(c->sites);
	c->sites = NULL;
	c->capsites = 0;
}

/* The call site as text, looked up once per site (a query per event would
 * dominate the export).  NULL when unknown or out of memory. */
static const char *site_text(struct cx *c, uint32_t site)
{
	const char *file, *fn;
	int line;
	char buf[1024];
	if (site >= c->capsites) {
		size_t cap = 2 * (size_t)site + 64;
		char **n = realloc(c->sites, cap * sizeof *n);
		if (!n)
			return NULL;
		memset(n + c->capsites, 0, (cap - c->capsites) * sizeof *n);
		c->sites = n;
		c->capsites = cap;
	}
	if (!c->sites[site]) {
		if (vs_db_reader_site(c->r, c->proc, site, &file, &line, &fn) < 0)
			snprintf(buf, sizeof buf, "?");
		else
			snprintf(buf, sizeof buf, "%s:%d%s%s", file ? file : "?", line,
			         fn ? " " : "", fn ? fn : "");
		c->sites[site] = strdup(buf);
	}
	return c->sites[site];
}

static void arg_site(struct cx *c, uint32_t site)
{
	const char *s = site ? site_text(c, site) : NULL;
	if (s && strcmp(s, "?"))
		arg_s(c, "site", s);
}

static struct cx_thread *thread_of(struct cx *c, uint32_t tid)
{
	for (size_t i = 0; i < c->nth; i++)
		if (c->th[i].tid == tid)
			return &c->th[i];
	if (VS_GROW(c->th, c->cap, c->nth + 1) < 0)
		return NULL;
	memset(&c->th[c->nth], 0, sizeof c->th[0]);
	c->th[c->nth].tid = tid;
	c->th[c->nth].last_ts = c->base;
	sep(c);
	fprintf(c->out,
	        "{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": %lld, \"tid\": %u,"
	        " \"args\": {\"name\": \"thread %u\"}}",
	        c->pid, tid, tid);
	sep(c);
	fprintf(c->out,
	        "{\"name\": \"thread_sort_index\", \"ph\": \"M\", \"pid\": %lld,"
	        " \"tid\": %u, \"args\": {\"sort_index\": %u}}",
	        c->pid, tid, tid);
	return &c->th[c->nth++];
}

/* the thread's timestamp for an event at ts: never before its last one */
static uint64_t thread_ts(struct cx_thread *t, uint64_t ts)
{
	if (ts > t->last_ts)
		t->last_ts = ts;
	return t->last_ts;
}

/* The opening event kinds (their closing kind is the next number;
 * store/evdesc.h). */
static int opens_slice(unsigned kind) { return vs_db_kind_desc_of(kind)->nest > 0; }

static const char *ctx_name(unsigned k)
{
	return k == VS_CTX_GRAPH ? "as_default" : k == VS_CTX_EAGER ? "eager_mode" : "graph_mode";
}

/* A slice's category and name, from its opening event (shared by B and E):
 * the kind's category and word (store/evdesc.h), and what the event names. */
static void slice_name(struct cx *c, const vs_event *e, const char **cat, const char **n1,
                       const char **n2, char *buf, size_t cap)
{
	*cat = vs_db_kind_desc_of(e->kind)->cat;
	*n1 = vs_db_event_word(e);
	*n2 = NULL;
	switch (e->kind) {
	case VS_EV_CTX_PUSH:
		snprintf(buf, cap, "%s (graph #%u)", ctx_name(e->ctx.ctx_kind), e->ctx.graph_id);
		*n1 = e->ctx.ctx_kind == VS_CTX_GRAPH ? buf : ctx_name(e->ctx.ctx_kind);
		break;
	case VS_EV_NAME_SCOPE_ENTER: *n2 = str(c, e->name_scope.resolved); break;
	case VS_EV_VARSCOPE_ENTER: *n2 = str(c, e->varscope.full_name); break;
	case VS_EV_CREATOR_SCOPE_ENTER: *n2 = str(c, e->creator_scope.label); break;
	case VS_EV_CREATOR_CALL: *n2 = str(c, e->creator_call.label); break;
	case VS_EV_GETTER_CALL: *n2 = str(c, e->getter_call.label); break;
	case VS_EV_GETVAR_ENTER: *n2 = str(c, e->getvar_enter.full_name); break;
	case VS_EV_VARIABLE_ENTER: *n2 = str(c, e->variable_enter.requested); break;
	case VS_EV_TEMPLATE_CALL_ENTER: *n2 = str(c, e->template_enter.scope_name); break;
	case VS_EV_EAGER_STORE_ENTER:
		snprintf(buf, cap, "%s #%u", *n1, e->eager_store.store_id);
		*n1 = buf;
		break;
	default: break;
	}
}

/* The arguments of a slice's opening event. */
static void enter_args(struct cx *c, const vs_event *e)
{
	switch (e->kind) {
	case VS_EV_VARSCOPE_ENTER:
		arg_id(c, "requested", e->varscope.requested);
		arg_s(c, "reuse", vs_db_reuse_name(e->varscope.reuse));
		arg_s(c, "reuse_asked", vs_db_reuse_name(e->varscope.reuse_asked));
		break;
	case VS_EV_NAME_SCOPE_ENTER:
		arg_id(c, "requested", e->name_scope.requested);
		arg_id(c, "default_name", e->name_scope.default_name);
		break;
	case VS_EV_INIT_SCOPE_ENTER:
		arg_u(c, "graph", e->init_scope.graph_id);
		arg_u(c, "from_graph", e->init_scope.from_graph);
		break;
	case VS_EV_CREATOR_SCOPE_ENTER: arg_u(c, "priority", e->creator_scope.priority); break;
	case VS_EV_CREATOR_CALL:
		arg_id(c, "name", e->creator_call.name);
		arg_id(c, "shape", e->creator_call.shape);
		if (e->creator_call.dtype)
			arg_s(c, "dtype", vs_db_dtype_name(e->creator_call.dtype));
		arg_u(c, "depth", e->creator_call.depth);
		break;
	case VS_EV_GETTER_CALL:
		arg_id(c, "name", e->getter_call.name);
		arg_s(c, "reuse", vs_db_reuse_name(e->getter_call.reuse));
		arg_u(c, "depth", e->getter_call.depth);
		break;
	case VS_EV_GETVAR_ENTER:
		arg_id(c, "requested", e->getvar_enter.requested);
		arg_id(c, "full_name", e->getvar_enter.full_name);
		arg_s(c, "shape", e->getvar_enter.shape ? str(c, e->getvar_enter.shape) : "None");
		if (e->getvar_enter.dtype)
			arg_s(c, "dtype", vs_db_dtype_name(e->getvar_enter.dtype));
		arg_s(c, "reuse", vs_db_reuse_name(e->getvar_enter.reuse));
		break;
	case VS_EV_TEMPLATE_CALL_ENTER: arg_u(c, "call_index", e->template_enter.call_index); break;
	default: break;
	}
	arg_u(c, "seq", e->seq);
	arg_site(c, e->site);
}

/* The arguments of a slice's closing event (merged into the slice by the UI). */
static void exit_args(struct cx *c, const vs_event *e)
{
	unsigned outcome = 0, var = 0;
	int has = 1;
	switch (e->kind) {
	case VS_EV_GETVAR_EXIT:
		outcome = e->getvar_exit.outcome;
		var = e->getvar_exit.variable;
		break;
	case VS_EV_VARIABLE_EXIT:
		outcome = e->variable_exit.outcome;
		var = e->variable_exit.variable;
		break;
	case VS_EV_CREATOR_RETURN:
		outcome = e->creator_return.outcome;
		var = e->creator_return.variable;
		break;
	case VS_EV_GETTER_RETURN:
		outcome = e->getter_return.outcome;
		var = e->getter_return.variable;
		break;
	case VS_EV_TEMPLATE_CALL_EXIT: outcome = e->template_exit.outcome; break;
	default: has = 0; break;
	}
	if (has) {
		const char *o = vs_db_outcome_name(outcome);
		arg_s(c, "outcome", *o ? o : "none");
		if (var)
			arg_u(c, "variable", var);
	}
	if (e->kind == VS_EV_GETVAR_EXIT && e->getvar_exit.shape)
		arg_s(c, "result_shape", str(c, e->getvar_exit.shape));
}

static void slice_end(struct cx *c, struct cx_thread *t, const vs_event *exit_ev, uint64_t ts)
{
	const char *cat, *n1, *n2;
	char buf[64];
	const vs_event *b = &t->open[--t->nopen];
	slice_name(c, b, &cat, &n1, &n2, buf, sizeof buf);
	ev_open(c, "E", cat, n1, n2, t->tid, ts);
	if (exit_ev) {
		exit_args(c, exit_ev);
		arg_u(c, "exit_seq", exit_ev->seq);
	}
	ev_close(c);
}

static int slice_begin(struct cx *c, struct cx_thread *t, const vs_event *e, uint64_t ts)
{
	const char *cat, *n1, *n2;
	char buf[64];
	if (VS_GROW(t->open, t->cap, t->nopen + 1) < 0)
		return -1;
	t->open[t->nopen++] = *e;
	slice_name(c, e, &cat, &n1, &n2, buf, sizeof buf);
	ev_open(c, "B", cat, n1, n2, t->tid, ts);
	enter_args(c, e);
	ev_close(c);
	return 0;
}

/* A closing kind: closes its slice (and any left open inside it). */
static void slice_exit(struct cx *c, struct cx_thread *t, const vs_event *e, uint64_t ts)
{
	size_t i = t->nopen;
	while (i > 0 && t->open[i - 1].kind + 1u != e->kind)
		i--;
	if (i == 0)
		return; /* its enter is not open (lost, or before a fork): dropped */
	while (t->nopen > i)
		slice_end(c, t, NULL, ts);
	if (e->kind == VS_EV_GETVAR_EXIT && e->getvar_exit.outcome == VS_OUT_REUSED &&
	    e->getvar_exit.variable) {
		/* the flow step, bound to the enclosing get_variable slice */
		ev_open(c, "t", "flow", "reuse", NULL, t->tid, ts);
		fprintf(c->out, ", \"id\": %llu, \"bp\": \"e\"}",
		        (unsigned long long)c->proc << 32 | e->getvar_exit.variable);
	}
	slice_end(c, t, e, ts);
}

/* Opens an instant event of scope 't' (thread) or 'p' (process). */
static void inst_open(struct cx *c, char scope, const char *cat, const char *name1,
                      const char *name2, uint32_t tid, uint64_t ts)
{
	ev_open(c, "i", cat, name1, name2, tid, ts);
	fprintf(c->out, ", \"s\": \"%c\"", scope);
}

/* The instant kinds; 0 when the kind is not shown. */
static int instant(struct cx *c, struct cx_thread *t, const vs_event *e, uint64_t ts)
{
	char buf[96];
	const char *cat = vs_db_kind_desc_of(e->kind)->cat, *word = vs_db_event_word(e);
	switch (e->kind) {
	case VS_EV_VAR_CREATE:
		inst_open(c, 't', cat, word, str(c, e->var_create.name), t->tid, ts);
		arg_id(c, "store_key", e->var_create.key);
		arg_s(c, "shape", e->var_create.shape ? str(c, e->var_create.shape) : "None");
		if (e->var_create.dtype)
			arg_s(c, "dtype", vs_db_dtype_name(e->var_create.dtype));
		arg_u(c, "trainable", !!(e->flags & VS_EVF_TRAINABLE));
		arg_u(c, "direct", !!(e->flags & VS_EVF_DIRECT));
		arg_u(c, "variable", e->var_create.variable);
		break;
	case VS_EV_ERROR:
		inst_open(c, 't', cat, vs_err_name(-(int)e->error.code), NULL, t->tid, ts);
		arg_id(c, "message", e->error.message);
		arg_u(c, "tf_error", e->error.tf_error);
		break;
	case VS_EV_LOST:
		snprintf(buf, sizeof buf, "%llu events lost",
		         (unsigned long long)e->lost.count_lo | (unsigned long long)e->lost.count_hi
		                                                        << 32);
		inst_open(c, 'p', cat, buf, NULL, t->tid, ts);
		break;
	case VS_EV_REUSE_VARIABLES:
		inst_open(c, 't', cat, word, str(c, e->reuse_variables.full_name), t->tid, ts);
		break;
	case VS_EV_GRAPH_CREATE:
		snprintf(buf, sizeof buf, "graph #%u created", e->graph_create.graph_id);
		inst_open(c, 't', cat, buf, str(c, e->graph_create.name), t->tid, ts);
		break;
	case VS_EV_RESET_GRAPH:
		snprintf(buf, sizeof buf, "%s #%u -> #%u", word, e->reset_graph.old_graph,
		         e->reset_graph.new_graph);
		inst_open(c, 't', cat, buf, NULL, t->tid, ts);
		break;
	case VS_EV_TEMPLATE_MAKE:
		inst_open(c, 't', cat, word, str(c, e->template_make.name), t->tid, ts);
		arg_id(c, "unique_name", e->template_make.unique_name);
		break;
	case VS_EV_OP_CREATE:
		inst_open(c, 't', cat, word, str(c, e->op_create.name), t->tid, ts);
		arg_id(c, "type", e->op_create.type);
		break;
	case VS_EV_EAGER_STORE_NEW:
		snprintf(buf, sizeof buf, "EagerVariableStore #%u created",
		         e->eager_store_new.store_id);
		inst_open(c, 't', cat, buf, NULL, t->tid, ts);
		break;
	case VS_EV_VAR_STORE_NEW:
		snprintf(buf, sizeof buf, "_VariableStore #%u created", e->var_store_new.store_id);
		inst_open(c, 't', cat, buf, NULL, t->tid, ts);
		break;
	case VS_EV_PROCESS_START:
	case VS_EV_PROCESS_END:
	case VS_EV_THREAD_START:
	case VS_EV_THREAD_END:
		inst_open(c, 't', cat, vs_db_kind_name(e->kind), NULL, t->tid, ts);
		if (e->kind == VS_EV_PROCESS_END)
			arg_u(c, "exit_status", e->process_end.exit_status);
		if (e->kind == VS_EV_THREAD_START)
			arg_u(c, "os_tid", e->thread_start.os_tid);
		break;
	default: return 0;
	}
	if (e->kind != VS_EV_LOST)
		arg_u(c, "seq", e->seq);
	arg_site(c, e->site);
	ev_close(c);
	if (e->kind == VS_EV_VAR_CREATE) { /* the flow's start, bound to the enclosing slice */
		ev_open(c, "s", "flow", "reuse", NULL, t->tid, ts);
		fprintf(c->out, ", \"id\": %llu}",
		        (unsigned long long)c->proc << 32 | e->var_create.variable);
	}
	return 1;
}

/* Findings whose event is at or before seq, as instants on their thread. */
static int findings_upto(struct cx *c, uint64_t seq, uint32_t cur_tid, uint64_t ts)
{
	while (c->fnd && c->fnd_state == SQLITE_ROW &&
	       (uint64_t)sqlite3_column_int64(c->fnd, 10) <= seq) {
		sqlite3_stmt *s = c->fnd;
		uint32_t tid = (uint32_t)sqlite3_column_int64(s, 9);
		struct cx_thread *t = thread_of(c, tid ? tid : cur_tid);
		if (!t)
			return -1;
		ev_open(c, "i", "finding", (const char *)sqlite3_column_text(s, 0),
		        (const char *)sqlite3_column_text(s, 1), t->tid, thread_ts(t, ts));
		fputs(", \"s\": \"t\"", c->out);
		arg_s(c, "severity", (const char *)sqlite3_column_text(s, 2));
		arg_s(c, "message", (const char *)sqlite3_column_text(s, 3));
		if (sqlite3_column_type(s, 4) != SQLITE_NULL) {
			char buf[1024];
			snprintf(buf, sizeof buf, "%s:%d", sqlite3_column_text(s, 4),
			         sqlite3_column_int(s, 5));
			arg_s(c, "site", buf);
		}
		arg_s(c, "scope", (const char *)sqlite3_column_text(s, 7));
		arg_u(c, "seq", (unsigned long long)sqlite3_column_int64(s, 10));
		ev_close(c);
		c->fnd_state = sqlite3_step(s);
	}
	return 0;
}

static int findings_open(struct cx *c)
{
	sqlite3_finalize(c->fnd);
	c->fnd = NULL;
	/* a trace without the findings table has none: not an error */
	if (sqlite3_prepare_v2(vs_db_reader_sqlite(c->r),
	                       "SELECT code, name, severity, message, file, line, function, scope,"
	                       " proc, tid, COALESCE(seq, 0) FROM findings WHERE proc = ?"
	                       " ORDER BY COALESCE(seq, 0)",
	                       -1, &c->fnd, NULL) != SQLITE_OK) {
		sqlite3_finalize(c->fnd);
		c->fnd = NULL;
		return 0;
	}
	sqlite3_bind_int64(c->fnd, 1, c->proc);
	c->fnd_state = sqlite3_step(c->fnd);
	return 0;
}

static void threads_reset(struct cx *c)
{
	for (size_t i = 0; i < c->nth; i++)
		free(c->th[i].open);
	c->nth = 0;
}

static int one_event(struct cx *c, const vs_event *e)
{
	struct cx_thread *t;
	uint64_t ts;
	if (e->kind == VS_EV_SITE)
		return 0;
	if (!(t = thread_of(c, e->tid)))
		return -1;
	ts = thread_ts(t, e->ts_ns);
	if (opens_slice(e->kind)) {
		if (slice_begin(c, t, e, ts) < 0)
			return -1;
	} else if (opens_slice(e->kind - 1u) && e->kind > 0) {
		slice_exit(c, t, e, ts);
	} else {
		instant(c, t, e, ts);
	}
	return findings_upto(c, e->seq, e->tid, ts);
}

static int export_proc(struct cx *c, const vs_db_process *p, vs_error *err)
{
	vs_db_cursor *cur = NULL;
	vs_event e;
	int rc;
	const char *prog = vs_db_reader_meta(c->r, "program");
	char name[512];
	c->proc = p->proc;
	c->pid = p->pid;
	threads_reset(c);
	sites_reset(c);
	if (p->parent_proc)
		snprintf(name, sizeof name, "fork of proc %u (proc %u)", p->parent_proc, p->proc);
	else
		snprintf(name, sizeof name, "%s (proc %u)", prog ? prog : "program", p->proc);
	sep(c);
	fprintf(c->out,
	        "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": %lld, \"tid\": 0,"
	        " \"args\": {\"name\": ",
	        c->pid);
	put_str(c, name);
	fputs("}}", c->out);
	sep(c);
	fprintf(c->out,
	        "{\"name\": \"process_sort_index\", \"ph\": \"M\", \"pid\": %lld,"
	        " \"tid\": 0, \"args\": {\"sort_index\": %u}}",
	        c->pid, p->proc);
	findings_open(c);
	if ((rc = vs_db_cursor_open(c->r, &cur, p->proc, 0, err)) < 0)
		return rc;
	while ((rc = vs_db_cursor_next(cur, &e, err)) == 1)
		if (one_event(c, &e) < 0) {
			vs_db_cursor_close(cur);
			return vs_error_nomem(err);
		}
	vs_db_cursor_close(cur);
	if (rc < 0)
		return rc;
	/* slices left open (a killed thread), then findings after the last event */
	for (size_t i = 0; i < c->nth; i++)
		while (c->th[i].nopen)
			slice_end(c, &c->th[i], NULL, c->th[i].last_ts);
	if (c->nth && findings_upto(c, UINT64_MAX, c->th[0].tid, c->th[0].last_ts) < 0)
		return vs_error_nomem(err);
	return 0;
}

int vs_db_export_chrome(vs_db_reader *r, FILE *out, vs_error *err)
{
	struct cx c;
	uint32_t n = vs_db_reader_process_count(r);
	const char *base = vs_db_reader_meta(r, "ts_base_ns");
	int ret = 0;
	memset(&c, 0, sizeof c);
	c.r = r;
	c.out = out;
	c.base = base ? strtoull(base, NULL, 10) : 0;
	fputs("{\"displayTimeUnit\": \"ns\", \"otherData\": {\"trace\": ", out);
	put_str(&c, vs_db_reader_path(r));
	fputs(", \"program\": ", out);
	put_str(&c, vs_db_reader_meta(r, "program"));
	fprintf(out, ", \"ts_base_ns\": \"%llu\"},\n\"traceEvents\": [\n",
	        (unsigned long long)c.base);
	for (uint32_t i = 0; i < n && ret == 0; i++) {
		vs_db_process p;
		if ((ret = vs_db_reader_process(r, i, &p, err)) == 0)
			ret = export_proc(&c, &p, err);
	}
	threads_reset(&c);
	sites_reset(&c);
	free(c.th);
	sqlite3_finalize(c.fnd);
	if (ret < 0)
		return ret;
	fputs("\n]}\n", out);
	if (fflush(out) != 0 || ferror(out))
		return vs_error_set(err, VS_ERR_IO, "cannot write the export");
	return 0;
}
