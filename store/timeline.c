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

#include "store/report.h"
#include "store/schema.h"
#include "store/stacks.h"
#include "vs/vs.h"

#define MAX_INDENT 40 /* nesting levels shown as indentation */

struct tl_thread {
	uint32_t tid;
	uint32_t last_site; /* site of the last event shown (--stacks) */
	unsigned depth;
	uint32_t *scopes; /* variable-scope name ids, innermost last */
	size_t nscopes, cap;
};

struct tl {
	vs_db_reader *r;
	vs_db_stacks *stacks; /* --stacks */
	uint32_t proc;
	struct tl_thread *threads;
	size_t nthreads, cap;
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
		t->len += (size_t)n < sizeof t->line - t->len ? (size_t)n : sizeof t->line - t->len - 1;
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
	if (t->nthreads == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		struct tl_thread *n = realloc(t->threads, cap * sizeof *n);
		if (!n)
			return NULL;
		t->threads = n;
		t->cap = cap;
	}
	memset(&t->threads[t->nthreads], 0, sizeof t->threads[0]);
	t->threads[t->nthreads].tid = tid;
	return &t->threads[t->nthreads++];
}

static void threads_reset(struct tl *t)
{
	for (size_t i = 0; i < t->nthreads; i++)
		free(t->threads[i].scopes);
	t->nthreads = 0;
}

/* 1 entering, -1 leaving, 0 neither */
static int nesting(unsigned kind)
{
	switch (kind) {
	case VS_EV_CTX_PUSH: case VS_EV_INIT_SCOPE_ENTER: case VS_EV_CONTROL_DEPS_ENTER:
	case VS_EV_CFLOW_ENTER: case VS_EV_TAPE_PUSH: case VS_EV_TAPE_PAUSE:
	case VS_EV_NAME_SCOPE_ENTER: case VS_EV_VARSCOPE_ENTER: case VS_EV_CREATOR_SCOPE_ENTER:
	case VS_EV_CREATOR_CALL: case VS_EV_GETTER_CALL: case VS_EV_GETVAR_ENTER:
	case VS_EV_VARIABLE_ENTER: case VS_EV_TEMPLATE_CALL_ENTER: case VS_EV_EAGER_STORE_ENTER:
		return 1;
	case VS_EV_CTX_POP: case VS_EV_INIT_SCOPE_EXIT: case VS_EV_CONTROL_DEPS_EXIT:
	case VS_EV_CFLOW_EXIT: case VS_EV_TAPE_POP: case VS_EV_TAPE_RESUME:
	case VS_EV_NAME_SCOPE_EXIT: case VS_EV_VARSCOPE_EXIT: case VS_EV_CREATOR_SCOPE_EXIT:
	case VS_EV_CREATOR_RETURN: case VS_EV_GETTER_RETURN: case VS_EV_GETVAR_EXIT:
	case VS_EV_VARIABLE_EXIT: case VS_EV_TEMPLATE_CALL_EXIT: case VS_EV_EAGER_STORE_EXIT:
		return -1;
	default:
		return 0;
	}
}

static const char *ctx_name(uint32_t k)
{
	return k == VS_CTX_GRAPH ? "graph" : k == VS_CTX_EAGER ? "eager_mode"
	                                   : k == VS_CTX_GRAPH_MODE ? "graph_mode" : "?";
}

static void put_outcome(struct tl *t, uint32_t outcome)
{
	const char *o = vs_db_outcome_name(outcome);
	put(t, "} = %s", *o ? o : "none");
}

/* The text of one event (without indentation or call site). */
static void describe(struct tl *t, const vs_event *e)
{
	const uint32_t *p = e->p;
	switch (e->kind) {
	case VS_EV_SITE:
		put(t, "site #%u = ", p[0]);
		put_str(t, p[1]);
		put(t, ":%u ", p[2]);
		put_str(t, p[3]);
		break;
	case VS_EV_PROCESS_START: put(t, "process start (pid %u)", p[0]); break;
	case VS_EV_PROCESS_END: put(t, "process end (exit %d)", (int)p[0]); break;
	case VS_EV_THREAD_START:
		put(t, "thread start (os tid %u", p[0]);
		put(t, p[1] ? ", from thread %u)" : ")", p[1]);
		break;
	case VS_EV_THREAD_END: put(t, "thread end"); break;
	case VS_EV_LOST:
		put(t, "*** %llu events lost ***", (unsigned long long)p[0] | (unsigned long long)p[1] << 32);
		break;
	case VS_EV_GRAPH_CREATE:
		put(t, "graph #%u created", p[0]);
		if (p[2]) {
			put(t, " ");
			put_str(t, p[2]);
		}
		break;
	case VS_EV_CTX_PUSH: put(t, "%s (graph #%u) {", ctx_name(p[0]), p[1]); break;
	case VS_EV_CTX_POP: put(t, "} %s", ctx_name(p[0])); break;
	case VS_EV_RESET_GRAPH: put(t, "reset_default_graph: graph #%u -> #%u", p[0], p[1]); break;
	case VS_EV_INIT_SCOPE_ENTER:
		if (p[0] == VS_CTX_EAGER || !p[1])
			put(t, "init_scope (to eager) {");
		else
			put(t, "init_scope (to graph #%u) {", p[1]);
		break;
	case VS_EV_CONTROL_DEPS_ENTER:
		put(t, (e->flags & VS_EVF_CLEARED) ? "control_dependencies(None) {"
		                                   : "control_dependencies(%u inputs) {",
		    p[0]);
		break;
	case VS_EV_CFLOW_ENTER: put(t, "%s {", p[0] == VS_CFLOW_WHILE ? "while_loop" : "cond"); break;
	case VS_EV_TAPE_PUSH: put(t, "GradientTape #%u {", p[0]); break;
	case VS_EV_TAPE_PAUSE: put(t, "stop_recording {"); break;
	case VS_EV_NAME_SCOPE_ENTER:
		put(t, "name_scope ");
		put_str(t, p[2]);
		put(t, " {");
		break;
	case VS_EV_OP_CREATE:
		put(t, "op ");
		put_str(t, p[0]);
		put(t, " type ");
		put_str(t, p[1]);
		break;
	case VS_EV_VARSCOPE_ENTER:
		put(t, "variable_scope ");
		put_str(t, p[1]);
		put(t, " reuse=%s {", vs_db_reuse_name(p[3]));
		break;
	case VS_EV_REUSE_VARIABLES:
		put(t, "reuse_variables() on ");
		put_str(t, p[1]);
		break;
	case VS_EV_CREATOR_SCOPE_ENTER:
		put(t, "variable_creator_scope ");
		put_str(t, p[0]);
		put(t, " {");
		break;
	case VS_EV_CREATOR_CALL:
		if (p[1]) {
			put(t, "creator ");
			put_str(t, p[1]);
		} else {
			put(t, "default creator");
		}
		put(t, " name=");
		put_str(t, p[2]);
		put(t, " {");
		break;
	case VS_EV_CREATOR_RETURN:
	case VS_EV_GETTER_RETURN:
	case VS_EV_VARIABLE_EXIT:
		put_outcome(t, p[e->kind == VS_EV_VARIABLE_EXIT ? 3 : 6]);
		if (p[2])
			put(t, " (variable #%u)", p[2]);
		break;
	case VS_EV_GETTER_CALL:
		if (p[1]) {
			put(t, "custom getter ");
			put_str(t, p[1]);
		} else {
			put(t, "true getter");
		}
		put(t, " name=");
		put_str(t, p[2]);
		put(t, " {");
		break;
	case VS_EV_GETVAR_ENTER:
		put(t, "%s ", (e->flags & VS_EVF_LOCAL) ? "get_local_variable" : "get_variable");
		put_str(t, p[1]);
		if (p[2]) {
			put(t, " shape=");
			put_str(t, p[2]);
		}
		if (p[3])
			put(t, " dtype=%s", vs_db_dtype_name(p[3]));
		put(t, " reuse=%s {", vs_db_reuse_name(p[4]));
		break;
	case VS_EV_GETVAR_EXIT:
		put_outcome(t, p[3]);
		put(t, " ");
		put_str(t, p[1]);
		break;
	case VS_EV_VARIABLE_ENTER:
		put(t, "Variable name=");
		put_str(t, p[0]);
		put(t, " {");
		break;
	case VS_EV_VAR_CREATE:
		put(t, "create ");
		put_str(t, p[1]);
		if (p[3]) {
			put(t, " shape=");
			put_str(t, p[3]);
		}
		if (p[4])
			put(t, " dtype=%s", vs_db_dtype_name(p[4]));
		put(t, "%s", (e->flags & VS_EVF_TRAINABLE) ? " trainable" : " not trainable");
		break;
	case VS_EV_TEMPLATE_MAKE:
		put(t, "make_template #%u ", p[0]);
		put_str(t, p[1]);
		break;
	case VS_EV_TEMPLATE_CALL_ENTER:
		put(t, "template #%u call %u ", p[0], p[1]);
		put_str(t, p[2]);
		put(t, " {");
		break;
	case VS_EV_TEMPLATE_CALL_EXIT: put_outcome(t, p[3]); break;
	case VS_EV_EAGER_STORE_NEW: put(t, "EagerVariableStore #%u created", p[0]); break;
	case VS_EV_EAGER_STORE_ENTER: put(t, "EagerVariableStore #%u {", p[0]); break;
	case VS_EV_ERROR:
		put(t, "!! %s: ", vs_err_name(-(int)p[0]));
		{
			const char *m = vs_db_reader_string(t->r, t->proc, p[1]);
			put(t, "%s", m ? m : "?");
		}
		break;
	case VS_EV_NAME_SCOPE_EXIT: put(t, "} name_scope"); break;
	case VS_EV_VARSCOPE_EXIT: put(t, "} variable_scope"); break;
	case VS_EV_INIT_SCOPE_EXIT: put(t, "} init_scope"); break;
	case VS_EV_CREATOR_SCOPE_EXIT: put(t, "} variable_creator_scope"); break;
	case VS_EV_CONTROL_DEPS_EXIT: put(t, "} control_dependencies"); break;
	case VS_EV_CFLOW_EXIT: put(t, "} %s", p[0] == VS_CFLOW_WHILE ? "while_loop" : "cond"); break;
	case VS_EV_TAPE_POP: put(t, "} GradientTape"); break;
	case VS_EV_TAPE_RESUME: put(t, "} stop_recording"); break;
	case VS_EV_EAGER_STORE_EXIT: put(t, "} EagerVariableStore"); break;
	default:
		if (nesting(e->kind) < 0)
			put(t, "}");
		else
			put(t, "%s", vs_db_kind_name(e->kind) ? vs_db_kind_name(e->kind) : "?");
		break;
	}
}

/* Updates the thread's state for e; *depth_out is the line's indentation,
 * *scope_out its variable scope id. */
static int advance(struct tl_thread *th, const vs_event *e, unsigned *depth_out,
                   uint32_t *scope_out)
{
	int n = nesting(e->kind);
	if (n < 0 && th->depth)
		th->depth--;
	*depth_out = th->depth;
	if (n > 0)
		th->depth++;
	if (e->kind == VS_EV_VARSCOPE_ENTER) {
		if (th->nscopes == th->cap) {
			size_t cap = th->cap ? 2 * th->cap : 16;
			uint32_t *s = realloc(th->scopes, cap * sizeof *s);
			if (!s)
				return -1;
			th->scopes = s;
			th->cap = cap;
		}
		th->scopes[th->nscopes++] = e->p[1];
	}
	*scope_out = th->nscopes ? th->scopes[th->nscopes - 1] : 0;
	if (e->kind == VS_EV_VARSCOPE_EXIT && th->nscopes)
		th->nscopes--;
	return 0;
}

/* the call stack of e's call, under it, indented like it */
static int show_stack(struct tl *t, const vs_event *e, unsigned depth, uint32_t max, FILE *out,
                      vs_error *err)
{
	vs_db_frame fr[64];
	uint32_t stack;
	int n = vs_db_stacks_site(t->stacks, t->proc, e->site, &stack, fr, max < 64 ? max : 64, err);
	int ind = 2 * (int)(depth > MAX_INDENT ? MAX_INDENT : depth) + 21;
	for (int i = 0; i < n; i++) {
		fprintf(out, "%*s#%d %s", ind, "", i, fr[i].function ? fr[i].function : "??");
		if (fr[i].file && fr[i].line > 0)
			fprintf(out, " %s:%d\n", fr[i].file, fr[i].line);
		else
			fprintf(out, " (%s+0x%llx)\n", fr[i].module ? fr[i].module : "??",
			        (unsigned long long)fr[i].offset);
	}
	return n < 0 ? n : 0;
}

static int show_proc(struct tl *t, const vs_db_process *p, const vs_db_show_opts *o, FILE *out,
                     vs_error *err)
{
	vs_db_cursor *c = NULL;
	vs_event e;
	int rc, ret;
	const char *prog = vs_db_reader_meta(t->r, "program");
	t->proc = p->proc;
	threads_reset(t);
	fprintf(out, "# proc %u: pid %lld", p->proc, (long long)p->pid);
	if (p->parent_proc)
		fprintf(out, ", fork of proc %u after seq %llu", p->parent_proc,
		        (unsigned long long)p->fork_seq);
	else if (prog)
		fprintf(out, " (%s)", prog);
	fputs("\n#      SEQ  TID  EVENT\n", out);
	if ((ret = vs_db_cursor_open(t->r, &c, p->proc, 0, err)))
		return ret;
	while ((rc = vs_db_cursor_next(c, &e, err)) == 1) {
		struct tl_thread *th = thread_of(t, e.tid);
		unsigned depth;
		uint32_t scope;
		const char *file, *fn;
		int line;
		if (!th || advance(th, &e, &depth, &scope)) {
			vs_db_cursor_close(c);
			return vs_error_set(err, VS_ERR_NOMEM, "out of memory");
		}
		if (o->tid && e.tid != o->tid)
			continue;
		if (o->kind >= 0 ? e.kind != (unsigned)o->kind
		                 : e.kind == VS_EV_SITE || e.kind == VS_EV_MODULE || e.kind == VS_EV_STACK)
			continue;
		if (o->scope_glob) {
			const char *s = scope ? vs_db_reader_string(t->r, p->proc, scope) : "";
			if (!s || fnmatch(o->scope_glob, s, 0) != 0)
				continue;
		}
		t->len = 0;
		if (depth > MAX_INDENT) /* keep lines short on absurd nesting */
			put(t, "(depth %u) ", depth);
		describe(t, &e);
		fprintf(out, "%10llu  [%u]  %*s%s", (unsigned long long)e.seq, e.tid,
		        (int)(2 * (depth > MAX_INDENT ? MAX_INDENT : depth)), "", t->line);
		if (e.site && !vs_db_reader_site(t->r, p->proc, e.site, &file, &line, &fn))
			fprintf(out, "  @ %s:%d%s%s", file ? file : "?", line, fn ? " " : "",
			        fn ? fn : "");
		fputc('\n', out);
		if (t->stacks && e.site && e.site != th->last_site &&
		    (ret = show_stack(t, &e, depth, o->stacks, out, err)) < 0) {
			vs_db_cursor_close(c);
			return ret;
		}
		th->last_site = e.site;
	}
	vs_db_cursor_close(c);
	return rc < 0 ? rc : 0;
}

int vs_db_show_print(vs_db_reader *r, const vs_db_show_opts *opts, FILE *out, vs_error *err)
{
	struct tl t;
	vs_db_show_opts all = {0, 0, -1, NULL, 0};
	uint32_t n = vs_db_reader_process_count(r);
	int ret = 0;
	if (!opts)
		opts = &all;
	if (opts->proc > n)
		return vs_error_set(err, VS_ERR_NOT_FOUND, "%s: no process %u in trace",
		                    vs_db_reader_path(r), opts->proc);
	memset(&t, 0, sizeof t);
	t.r = r;
	if (opts->stacks && (ret = vs_db_stacks_open(r, &t.stacks, err)) < 0)
		return ret;
	for (uint32_t i = 0; i < n && !ret; i++) {
		vs_db_process p;
		if ((ret = vs_db_reader_process(r, i, &p, err)))
			break;
		if (opts->proc && p.proc != opts->proc)
			continue;
		if (i && !opts->proc)
			fputc('\n', out);
		ret = show_proc(&t, &p, opts, out, err);
	}
	threads_reset(&t);
	free(t.threads);
	vs_db_stacks_close(t.stacks);
	return ret;
}
