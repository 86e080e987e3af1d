/* SPDX-License-Identifier: MIT */
/*
 * checker/shadow.h - the shadow model: an independent re-implementation of
 * the runtime's bookkeeping, driven by the event stream of one process.
 *
 * It consumes events in seq order (all threads interleaved as recorded),
 * rebuilds per-thread context, graph, variable-scope and creator stacks,
 * control-dependency / cond / tape / init_scope state, per-store variables,
 * templates and eager stores, and reports rule findings through a callback.
 * It never calls libvs.  Strings are resolved through the caller's resolver
 * (a trace reader, or a vs_memsink in tests).
 *
 * Memory: proportional to live state (threads, open scopes, variables,
 * templates, sites), never to the number of events; apply allocates only
 * when a table grows.
 */
#ifndef VS_CHECK_SHADOW_H
#define VS_CHECK_SHADOW_H

#include <stddef.h>
#include <stdint.h>

#include "rules/rules.h"
#include "vs/error.h"
#include "vs/event.h"

typedef struct vs_shadow vs_shadow;

/* Text of string id (0 -> NULL); NULL when unknown. */
typedef const char *(*vs_shadow_resolve_fn)(void *ctx, uint32_t id);

/* A finding as the model sees it; every pointer is valid during the
 * callback only. */
typedef struct vs_shadow_finding {
	vs_rule_id rule;
	const char *message; /* TF's text where TF has one */
	const char *file;    /* call site, NULL unknown */
	int line;
	const char *function;
	const char *scope;    /* the thread's variable scope path, "" = root */
	const char *variable; /* the variable (store key or name), NULL none */
	uint32_t tid;
	uint64_t seq;        /* the event that triggered it */
	uint32_t site;       /* its call site id (with its call stack), 0 none */
	uint32_t other_site; /* a finding about a variable made elsewhere: the
	                       * creating call's site (related location), 0 none */
	int relocated;       /* file/line is another site than the event's (the
	                       * model found the cause itself, e.g. VS113's scope
	                       * chain); else the checker may refine it from the
	                       * call stack */
} vs_shadow_finding;

typedef void (*vs_shadow_report_fn)(void *ctx, const vs_shadow_finding *f);

/*
 * A new model.  resolve/rctx resolve string ids; report/fctx receive
 * findings (report may be NULL).  NULL on OOM.  Free with vs_shadow_free.
 */
vs_shadow *vs_shadow_new(vs_shadow_resolve_fn resolve, void *rctx, vs_shadow_report_fn report,
                         void *fctx);
void vs_shadow_free(vs_shadow *s);

/* Forgets all state (before replaying another process). */
void vs_shadow_reset(vs_shadow *s);

/* While quiet, events update the state but report nothing (used to replay a
 * fork parent's events up to the fork point). */
void vs_shadow_set_quiet(vs_shadow *s, int quiet);

/*
 * Thread names for messages: fn(ctx, site, buf, cap) writes into buf the
 * name of the thread whose event has call site `site` (a scenario's thread
 * body, from the outermost frame of the site's call stack) and returns 1,
 * or returns 0 when the thread has no name (a C program).  Messages then
 * say "thread 'worker'" instead of "thread 3".  Without fn: numbers.
 */
typedef int (*vs_shadow_thread_name_fn)(void *ctx, uint32_t site, char *buf, size_t cap);
void vs_shadow_set_thread_names(vs_shadow *s, vs_shadow_thread_name_fn fn, void *ctx);

/* Rule options (see the catalogue): creator-creates-many's max-created. */
void vs_shadow_set_max_created(vs_shadow *s, int n);

/* Applies one event: 0, or VS_ERR_NOMEM (err set).  Events of kinds the
 * model does not know are counted and otherwise ignored. */
int vs_shadow_apply(vs_shadow *s, const vs_event *ev, vs_error *err);

/*
 * End of the process's events: reports scopes still open on threads that
 * did not end (unless truncated: a crash explains them).
 */
void vs_shadow_finish(vs_shadow *s, int truncated);

/* Live-state counters (for --statistics and the memory test). */
typedef struct vs_shadow_stats {
	uint64_t events;
	size_t threads, variables, templates, sites, graphs;
} vs_shadow_stats;
void vs_shadow_stats_get(const vs_shadow *s, vs_shadow_stats *out);

#endif /* VS_CHECK_SHADOW_H */
