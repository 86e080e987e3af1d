/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/checker_testutil.h - hand-built event streams for the checker
 * suites: a builder that interns strings, numbers events, and helpers for
 * the common event sequences; then runs them through vs_check_events.
 * Header-only (static inline), used by test_checker_*.c.
 */
#ifndef VS_TESTS_CHECKER_TESTUTIL_H
#define VS_TESTS_CHECKER_TESTUTIL_H

#include <stdlib.h>
#include <string.h>

#include "checker/check.h"
#include "tests/unit/harness.h"

#define TB_MAX_EV 512
#define TB_MAX_STR 256

typedef struct tb {
	vs_event ev[TB_MAX_EV];
	size_t n;
	const char *str[TB_MAX_STR]; /* id i -> text (borrowed literals) */
	uint32_t nstr;
	uint64_t seq;
	uint32_t tid, site, graph, call;
} tb;

static inline void tb_init(tb *b)
{
	memset(b, 0, sizeof *b);
	b->tid = 1;
	b->nstr = 1; /* id 0 = none */
}

/* interns text (NULL -> 0) */
static inline uint32_t S(tb *b, const char *text)
{
	if (!text)
		return 0;
	for (uint32_t i = 1; i < b->nstr; i++)
		if (strcmp(b->str[i], text) == 0)
			return i;
	b->str[b->nstr] = text;
	return b->nstr++;
}

static inline const char *tb_resolve(void *ctx, uint32_t id)
{
	tb *b = ctx;
	return id && id < b->nstr ? b->str[id] : NULL;
}

static inline vs_event *tb_add(tb *b, unsigned kind, unsigned flags, const uint32_t p[8])
{
	vs_event *e = &b->ev[b->n++];
	memset(e, 0, sizeof *e);
	e->seq = ++b->seq;
	e->tid = b->tid;
	e->kind = (uint16_t)kind;
	e->flags = (uint16_t)flags;
	e->site = b->site;
	e->graph = b->graph;
	memcpy(e->p, p, sizeof e->p);
	return e;
}

/* an event with its payload by name (include/vs/event.h):
 * EVP(b, VS_EV_ERROR, 0, error, .message = m, .tf_error = VS_TFE_VAR_EXISTS) */
#define EVP(b, kind, flags, member, ...) \
	tb_add((b), (kind), (flags), (vs_ev_payload){.member = {__VA_ARGS__}}.p)

/* a SITE event and make it current */
static inline void tb_site(tb *b, uint32_t id, const char *file, uint32_t line, const char *fn)
{
	EVP(b, VS_EV_SITE, 0, site_def, .site_id = id, .file = S(b, file), .line = line,
	    .function = S(b, fn));
	b->site = id;
}

static inline void tb_graph(tb *b, uint32_t id, unsigned flags)
{
	EVP(b, VS_EV_GRAPH_CREATE, flags, graph_create, .graph_id = id, .name = S(b, "g"));
	b->graph = id;
}

/* variable_scope enter: requested, resolved, asked, effective reuse, cm */
static inline void tb_vs_enter(tb *b, const char *req, const char *full, uint32_t asked,
                               uint32_t eff, uint32_t cm, unsigned flags, const char *ns)
{
	EVP(b, VS_EV_VARSCOPE_ENTER, flags, varscope, .requested = S(b, req), .full_name = S(b, full),
	    .reuse_asked = asked, .reuse = eff, .name_scope = S(b, ns), .scope_id = cm, .cm = cm);
}

static inline void tb_vs_exit(tb *b, const char *full, uint32_t cm)
{
	EVP(b, VS_EV_VARSCOPE_EXIT, 0, varscope, .full_name = S(b, full), .scope_id = cm, .cm = cm);
}

/*
 * A get_variable call on store: outcome created/reused/error.  For
 * created a VAR_CREATE (var id = var) is emitted; for error an ERROR with
 * TF catalogue number enum and message msg.
 */
static inline void tb_getvar(tb *b, const char *req, const char *key, uint32_t reuse,
                             uint32_t store, uint32_t outcome, uint32_t var, uint32_t enumber,
                             const char *msg, unsigned flags)
{
	uint32_t call = ++b->call;
	EVP(b, VS_EV_GETVAR_ENTER, flags, getvar_enter, .requested = S(b, req),
	    .full_name = S(b, key), .shape = S(b, "(3,)"), .dtype = VS_DT_FLOAT32, .reuse = reuse,
	    .call_id = call, .store_id = store);
	if (outcome == VS_OUT_CREATED)
		EVP(b, VS_EV_VAR_CREATE, VS_EVF_TRAINABLE | (flags & VS_EVF_EAGER), var_create,
		    .variable = var, .name = S(b, key), .key = S(b, key), .shape = S(b, "(3,)"),
		    .dtype = VS_DT_FLOAT32, .graph_id = b->graph);
	if (outcome == VS_OUT_ERROR)
		EVP(b, VS_EV_ERROR, 0, error, .code = 1, .message = S(b, msg), .tf_error = enumber);
	EVP(b, VS_EV_GETVAR_EXIT, 0, getvar_exit, .requested = S(b, req), .full_name = S(b, key),
	    .variable = outcome == VS_OUT_ERROR ? 0 : var, .outcome = outcome, .reuse = reuse,
	    .call_id = call, .shape = S(b, "(3,)"), .dtype = VS_DT_FLOAT32);
}

/* a direct tf.Variable: name scope ns, requested name, created var name */
static inline void tb_direct(tb *b, const char *ns, const char *req, const char *name,
                             uint32_t var, unsigned flags, uint32_t tmpl)
{
	uint32_t call = ++b->call;
	EVP(b, VS_EV_VARIABLE_ENTER, flags, variable_enter, .requested = S(b, req),
	    .name_scope = S(b, ns), .call_id = call);
	EVP(b, VS_EV_VAR_CREATE, flags | VS_EVF_DIRECT, var_create, .variable = var,
	    .name = S(b, name), .shape = S(b, "()"), .dtype = VS_DT_FLOAT32, .graph_id = b->graph,
	    .template_id = tmpl);
	EVP(b, VS_EV_VARIABLE_EXIT, 0, variable_exit, .variable = var, .outcome = VS_OUT_CREATED,
	    .call_id = call);
}

/* runs b through a default rule set; the caller frees with tb_done */
typedef struct tb_run {
	vs_rule_set *rs;
	vs_check *c;
} tb_run;

static inline tb_run tb_check(tb *b)
{
	tb_run r;
	vs_error err;
	r.rs = vs_rule_set_new();
	r.c = vs_check_new(r.rs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.c);
	VS_ASSERT_INT(vs_check_events(r.c, "test", b->ev, b->n, tb_resolve, b, &err), 0);
	VS_ASSERT_INT(vs_check_finish(r.c, NULL), 0);
	return r;
}

static inline void tb_done(tb_run *r)
{
	vs_check_free(r->c);
	vs_rule_set_free(r->rs);
}

static inline int tb_count(const tb_run *r, vs_rule_id id)
{
	int n = 0;
	for (size_t i = 0; i < vs_check_count(r->c); i++)
		n += vs_check_at(r->c, i)->rule == id;
	return n;
}

/* the message of the first finding of rule id, NULL if none */
static inline const char *tb_msg(const tb_run *r, vs_rule_id id)
{
	for (size_t i = 0; i < vs_check_count(r->c); i++)
		if (vs_check_at(r->c, i)->rule == id)
			return vs_check_at(r->c, i)->message;
	return NULL;
}

/* the message of finding i, NULL past the end */
static inline const char *tb_msg_at(const tb_run *r, size_t i)
{
	return i < vs_check_count(r->c) ? vs_check_at(r->c, i)->message : NULL;
}

static inline const vs_check_finding *tb_find(const tb_run *r, vs_rule_id id)
{
	for (size_t i = 0; i < vs_check_count(r->c); i++)
		if (vs_check_at(r->c, i)->rule == id)
			return vs_check_at(r->c, i);
	return NULL;
}

#endif
