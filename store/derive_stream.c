/* SPDX-License-Identifier: MIT */
/*
 * store/derive_stream.c - the helper tables (scope_tab, var_tab) derived
 * while the trace loads, one event at a time, instead of by SQL over the
 * whole event table when it closes (store/derive.h).
 *
 * Invariants: events of one thread arrive in seq order (each thread has
 * one ring, drained in order); a thread's open scopes are a stack (kept in
 * memory, written once left, or at the end as never left) paired
 * by kind and context-manager id, as in derive.c, so an exit closes the
 * innermost matching scope and the scopes above it stay open (an error
 * unwound them); names are resolved through the strings already loaded
 * (a fork child's inherited ones are copied when the child is registered,
 * vs_derive_stream_inherit).  Memory: the open scopes of live threads.
 */
#include "store/derive.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/schema.h"
#include "vs/event.h"
#include "vs/internal/util.h"

#define MAX_UNWIND 64 /* as derive.c: bounds the search on malformed input */

/* an open scope: its row is written once it is left (or at the end), with
 * the id it was given when it was entered, so a scope costs one insert */
struct ds_scope {
	int64_t row, parent;
	uint64_t key, enter_seq;
	const char *kind;
	uint32_t name;
	int reuse;
	uint16_t exit_kind;
};

struct ds_thread {
	uint32_t proc, tid;
	struct ds_scope *stack;
	size_t depth, cap;
};

enum { DS_SCOPE_INS, DS_VAR, DS_VAR_INFO, DS_INHERIT_STR, DS_INHERIT_SITE, DS__COUNT };

static const char *const ds_sql[DS__COUNT] = {
	[DS_SCOPE_INS] =
		"INSERT INTO scope_tab(id, proc, tid, kind, name, reuse, enter_seq,"
		" exit_seq, parent, depth) VALUES(?9, ?1, ?2, ?3,"
		" (SELECT s FROM strings WHERE proc = ?1 AND id = ?4), ?5, ?6, ?10, ?7, ?8)",
	/* the var_tab row of the VAR_CREATE just loaded */
	[DS_VAR] = "INSERT OR REPLACE INTO var_tab" VS_DERIVE_VAR_ROW " WHERE e.id = ?1",
	/* the VAR_INFO columns of the variable of the VAR_INFO just loaded
	 * (slots pinned in derive.c) */
	[DS_VAR_INFO] = "UPDATE var_tab SET"
			" initializer = (SELECT s FROM strings WHERE proc = ?1 AND id = ?3),"
			" constraint_label = (SELECT s FROM strings WHERE proc = ?1 AND id = ?4),"
			" caching_device = (SELECT s FROM strings WHERE proc = ?1 AND id = ?5),"
			" device = (SELECT s FROM strings WHERE proc = ?1 AND id = ?6)"
			" WHERE proc = ?1 AND var_id = ?2",
	[DS_INHERIT_STR] = VS_DERIVE_INHERIT_STRINGS,
	[DS_INHERIT_SITE] = VS_DERIVE_INHERIT_SITES,
};

struct vs_derive_stream {
	sqlite3 *db;
	sqlite3_stmt *st[DS__COUNT];
	struct ds_thread *threads;
	size_t nthreads, cap_threads, last;
	int64_t next_row; /* scope_tab ids, in the order scopes are entered */
};

int vs_derive_stream_open(vs_derive_stream **out, sqlite3 *db, vs_error *err)
{
	vs_derive_stream *d = calloc(1, sizeof *d);
	*out = NULL;
	if (!d)
		return vs_error_nomem(err);
	d->db = db;
	d->next_row = 1;
	for (int i = 0; i < DS__COUNT; i++) {
		int rc = sqlite3_prepare_v3(db, ds_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &d->st[i],
		                            NULL);
		if (rc != SQLITE_OK) {
			int ret = vs_db_sqlite_error(db, rc, err, "derive");
			vs_derive_stream_close(d);
			return ret;
		}
	}
	*out = d;
	return 0;
}

void vs_derive_stream_close(vs_derive_stream *d)
{
	if (!d)
		return;
	for (int i = 0; i < DS__COUNT; i++)
		sqlite3_finalize(d->st[i]);
	for (size_t i = 0; i < d->nthreads; i++)
		free(d->threads[i].stack);
	free(d->threads);
	free(d);
}

static int step(vs_derive_stream *d, sqlite3_stmt *st, vs_error *err)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : vs_db_sqlite_error(d->db, rc, err, "derive");
}

int vs_derive_stream_inherit(vs_derive_stream *d, uint32_t child, uint32_t parent, vs_error *err)
{
	for (int i = DS_INHERIT_STR; i <= DS_INHERIT_SITE; i++) {
		sqlite3_bind_int64(d->st[i], 1, child);
		sqlite3_bind_int64(d->st[i], 2, parent);
		int rc = step(d, d->st[i], err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static struct ds_thread *thread_of(vs_derive_stream *d, uint32_t proc, uint32_t tid)
{
	struct ds_thread *t = d->last < d->nthreads ? &d->threads[d->last] : NULL;
	if (t && t->proc == proc && t->tid == tid)
		return t;
	for (size_t i = 0; i < d->nthreads; i++)
		if (d->threads[i].proc == proc && d->threads[i].tid == tid) {
			d->last = i;
			return &d->threads[i];
		}
	if (VS_GROW(d->threads, d->cap_threads, d->nthreads + 1) < 0)
		return NULL;
	t = &d->threads[d->nthreads];
	memset(t, 0, sizeof *t);
	t->proc = proc;
	t->tid = tid;
	d->last = d->nthreads++;
	return t;
}

/* what a scope event means: its scope_tab kind (enters), name string,
 * reuse (variable scopes) and the key pairing enter and exit */
struct scope_ev {
	const char *kind; /* NULL for an exit */
	uint32_t name;
	int reuse; /* -1 none */
	uint64_t key;
};

/* 1 and *s filled for a scope enter or exit, 0 for other kinds */
static int scope_event(const vs_event *ev, struct scope_ev *s)
{
	memset(s, 0, sizeof *s);
	s->reuse = -1;
	switch (ev->kind) {
	case VS_EV_VARSCOPE_ENTER:
		s->kind = "variable_scope";
		s->name = ev->varscope.full_name;
		s->reuse = (int)ev->varscope.reuse;
		/* fallthrough */
	case VS_EV_VARSCOPE_EXIT: s->key = ev->varscope.cm; return 1;
	case VS_EV_NAME_SCOPE_ENTER:
		s->kind = "name_scope";
		s->name = ev->name_scope.resolved;
		/* fallthrough */
	case VS_EV_NAME_SCOPE_EXIT: s->key = ev->name_scope.cm; return 1;
	case VS_EV_CREATOR_SCOPE_ENTER:
		s->kind = "variable_creator_scope";
		s->name = ev->creator_scope.label;
		/* fallthrough */
	case VS_EV_CREATOR_SCOPE_EXIT: s->key = ev->creator_scope.cm; return 1;
	case VS_EV_INIT_SCOPE_ENTER:
		s->kind = "init_scope";
		s->name = ev->init_scope.name_scope;
		/* fallthrough */
	case VS_EV_INIT_SCOPE_EXIT: s->key = ev->init_scope.cm; return 1;
	case VS_EV_TEMPLATE_CALL_ENTER:
		s->kind = "template";
		s->name = ev->template_enter.scope_name;
		s->key = (uint64_t)ev->template_enter.template_id << 32 |
		         ev->template_enter.call_index;
		return 1;
	case VS_EV_TEMPLATE_CALL_EXIT:
		s->key = (uint64_t)ev->template_exit.template_id << 32 |
		         ev->template_exit.call_index;
		return 1;
	default: return 0;
	}
}

static int scope_open(vs_derive_stream *d, struct ds_thread *t, const vs_event *ev,
                      const struct scope_ev *s, vs_error *err)
{
	if (VS_GROW(t->stack, t->cap, t->depth + 1) < 0)
		return vs_error_nomem(err);
	struct ds_scope *o = &t->stack[t->depth];
	o->row = d->next_row++;
	o->parent = t->depth ? t->stack[t->depth - 1].row : 0;
	o->key = s->key;
	o->enter_seq = ev->seq;
	o->kind = s->kind;
	o->name = s->name;
	o->reuse = s->reuse;
	o->exit_kind = (uint16_t)(ev->kind + 1);
	t->depth++;
	return 0;
}

/* the scope_tab row of the open scope at depth i (exit_seq 0: never left) */
static int scope_write(vs_derive_stream *d, const struct ds_thread *t, size_t i, uint64_t exit_seq,
                       vs_error *err)
{
	const struct ds_scope *o = &t->stack[i];
	sqlite3_stmt *st = d->st[DS_SCOPE_INS];
	sqlite3_bind_int64(st, 1, t->proc);
	sqlite3_bind_int64(st, 2, t->tid);
	sqlite3_bind_text(st, 3, o->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, o->name);
	if (o->reuse >= 0)
		sqlite3_bind_text(st, 5, vs_db_reuse_name((unsigned)o->reuse), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (int64_t)o->enter_seq);
	if (o->parent)
		sqlite3_bind_int64(st, 7, o->parent);
	sqlite3_bind_int64(st, 8, (int64_t)i);
	sqlite3_bind_int64(st, 9, o->row);
	if (exit_seq)
		sqlite3_bind_int64(st, 10, (int64_t)exit_seq);
	return step(d, st, err);
}

/* an exit closes the innermost matching open scope; those above it never
 * exited (an error unwound them); an exit without its enter is ignored */
static int scope_close(vs_derive_stream *d, struct ds_thread *t, const vs_event *ev,
                       const struct scope_ev *s, vs_error *err)
{
	size_t i = t->depth, floor = t->depth > MAX_UNWIND ? t->depth - MAX_UNWIND : 0;
	while (i > floor &&
	       !(t->stack[i - 1].exit_kind == ev->kind && t->stack[i - 1].key == s->key))
		i--;
	if (i == floor)
		return 0;
	for (size_t k = t->depth; k > i; k--) {
		int rc = scope_write(d, t, k - 1, 0, err);
		if (rc < 0)
			return rc;
	}
	int rc = scope_write(d, t, i - 1, ev->seq, err);
	if (rc == 0)
		t->depth = i - 1;
	return rc;
}

int vs_derive_stream_finish(vs_derive_stream *d, vs_error *err)
{
	for (size_t n = 0; n < d->nthreads; n++) {
		struct ds_thread *t = &d->threads[n];
		for (; t->depth; t->depth--) {
			int rc = scope_write(d, t, t->depth - 1, 0, err);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int vs_derive_stream_event(vs_derive_stream *d, uint32_t proc, const vs_event *ev, int64_t row,
                           vs_error *err)
{
	struct scope_ev s;
	if (ev->kind == VS_EV_VAR_CREATE) {
		sqlite3_bind_int64(d->st[DS_VAR], 1, row);
		return step(d, d->st[DS_VAR], err);
	}
	if (ev->kind == VS_EV_VAR_INFO) {
		sqlite3_stmt *st = d->st[DS_VAR_INFO];
		sqlite3_bind_int64(st, 1, proc);
		sqlite3_bind_int64(st, 2, ev->var_info.variable);
		sqlite3_bind_int64(st, 3, ev->var_info.initializer);
		sqlite3_bind_int64(st, 4, ev->var_info.constraint);
		sqlite3_bind_int64(st, 5, ev->var_info.caching_device);
		sqlite3_bind_int64(st, 6, ev->var_info.device);
		return step(d, st, err);
	}
	if (!scope_event(ev, &s))
		return 0;
	struct ds_thread *t = thread_of(d, proc, ev->tid);
	if (!t)
		return vs_error_nomem(err);
	return s.kind ? scope_open(d, t, ev, &s, err) : scope_close(d, t, ev, &s, err);
}
