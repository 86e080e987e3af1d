/* SPDX-License-Identifier: MIT */
/*
 * scenario/sched.c - scenario threads: start, join, yield, and the baton
 * that makes the deterministic interleaving.
 *
 * Each scenario thread is a real pthread (vs_thread_create).  In
 * deterministic mode exactly one scenario thread runs steps at any time:
 * the one whose index is run->holder.  The baton moves only at `yield:`
 * (to the named thread), `join:` (to the joined thread until it has
 * finished) and at the end of a thread (back to run->from[it], the thread
 * that last handed it over and is waiting for it; if that one has ended,
 * as when two threads yielded to each other, along its own from[] chain,
 * else to main).  So the order
 * of every libvs call is the order written in the file.  In free mode
 * there is no baton: yield is sched_yield() and join is pthread_join().
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "scenario/run.h"
#include "vs/internal/util.h"

/* deterministic mode: hand the baton to thread `to` and wait to get it back */
static void baton_hand(vs_scn_exec *r, int me, int to)
{
	pthread_mutex_lock(&r->mu);
	r->from[to] = me;
	r->holder = to;
	pthread_cond_broadcast(&r->cv);
	while (r->holder != me)
		pthread_cond_wait(&r->cv, &r->mu);
	pthread_mutex_unlock(&r->mu);
}

/* Under r->mu: who gets the baton when thread me ends: the thread that
 * handed it over, or, when that one has ended too (two threads that
 * yielded to each other), the one that handed it to that one, and so on;
 * main when the chain holds only ended threads. */
static int baton_return(const vs_scn_exec *r, int me)
{
	int to = r->from[me];
	for (size_t n = 0; n < r->nts && r->ts[to].finished; n++)
		to = r->from[to];
	return r->ts[to].finished ? 0 : to;
}

static void *thread_main(void *arg)
{
	vs_scn_thr *ts = arg;
	vs_scn_exec *r = ts->run;
	if (r->s->interleave == VS_SCN_DETERMINISTIC) {
		pthread_mutex_lock(&r->mu);
		while (r->holder != ts->idx)
			pthread_cond_wait(&r->cv, &r->mu);
		pthread_mutex_unlock(&r->mu);
	}
	/* the thread's outermost frame: its definition, named after it */
	int pushed = vs_scn_frame_push(ts, ts->def->pos.line, ts->name);
	int rc = vs_scn_exec_list(ts, &ts->def->body);
	vs_scn_frame_pop(ts, pushed, NULL);
	if (rc < 0 && ts->err_pending)
		vs_scn_run_note(r, ts->name, VS_SCN_ENT_UNCAUGHT, ts->err_pos, "%s: %s",
		                vs_err_name(ts->err.code), ts->err.msg);
	pthread_mutex_lock(&r->mu);
	ts->finished = 1;
	if (r->s->interleave == VS_SCN_DETERMINISTIC && r->holder == ts->idx)
		r->holder = baton_return(r, ts->idx);
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/*
 * me claims the join of t: 1 when t is running and nobody joins it yet
 * (me now does), 0 when t is not joinable, -1 when t is (transitively)
 * joining me, so that joining it would never end.
 */
static int claim_join(vs_scn_exec *r, vs_scn_thr *me, vs_scn_thr *t)
{
	int ok;
	pthread_mutex_lock(&r->mu);
	ok = t->idx != 0 && t->started && !t->joined;
	for (const vs_scn_thr *x = t; x && ok == 1; x = x->joining)
		if (x == me)
			ok = -1;
	if (ok == 1) {
		t->joined = 1;
		me->joining = t;
	}
	pthread_mutex_unlock(&r->mu);
	return ok;
}

static int thread_join(vs_scn_thr *me, vs_scn_thr *t)
{
	vs_scn_exec *r = me->run;
	if (r->s->interleave == VS_SCN_DETERMINISTIC) {
		for (;;) {
			pthread_mutex_lock(&r->mu);
			int fin = t->finished;
			pthread_mutex_unlock(&r->mu);
			if (fin)
				break;
			baton_hand(r, me->idx, t->idx);
		}
	}
	pthread_join(t->th, NULL);
	pthread_mutex_lock(&r->mu);
	me->joining = NULL;
	pthread_mutex_unlock(&r->mu);
	return 0;
}

/* a misuse of the scenario's threads: the run stops with a scenario error */
static void set_fatal(vs_scn_exec *r)
{
	pthread_mutex_lock(&r->mu);
	r->fatal = 1;
	pthread_mutex_unlock(&r->mu);
}

int vs_scn_sched_fatal(vs_scn_exec *r)
{
	pthread_mutex_lock(&r->mu);
	int f = r->fatal;
	pthread_mutex_unlock(&r->mu);
	return f;
}

static vs_scn_thr *find_ts(vs_scn_exec *r, const char *name)
{
	if (!strcmp(name, "main"))
		return &r->ts[0];
	int i = vs_scn_find_thread(r->s, name);
	return i >= 0 ? &r->ts[i + 1] : NULL;
}

int vs_scn_sched_step(vs_scn_thr *ts, const vs_scn_step *st, vs_site site)
{
	vs_scn_exec *r = ts->run;
	const char *name = st->a[VS_SCN_A_THREAD].str;
	vs_scn_thr *t = find_ts(r, name);
	VS_ASSERT(t); /* the loader checked every thread reference */
	switch (st->kind) {
	case VS_SCN_START: {
		pthread_mutex_lock(&r->mu);
		int ok = t->idx != 0 && !t->started;
		t->started = 1;
		pthread_mutex_unlock(&r->mu);
		if (!ok) {
			set_fatal(r);
			return vs_error_set(&ts->err, VS_ERR_STATE,
			                    "thread '%s' was already started", name);
		}
		if (vs_thread_create_at(site, &t->th, NULL, thread_main, t) != 0) { /* an errno */
			pthread_mutex_lock(&r->mu);
			t->started = 0;
			pthread_mutex_unlock(&r->mu);
			set_fatal(r);
			return vs_error_set(&ts->err, VS_ERR_IO, "cannot start thread '%s'", name);
		}
		return 0;
	}
	case VS_SCN_JOIN: {
		int ok = t == ts ? 0 : claim_join(r, ts, t);
		if (ok <= 0) {
			set_fatal(r);
			if (ok < 0)
				return vs_error_set(&ts->err, VS_ERR_STATE,
				                    "joining thread '%s' would never "
				                    "end (it is joining this thread)",
				                    name);
			return vs_error_set(&ts->err, VS_ERR_STATE,
			                    "thread '%s' cannot be joined here "
			                    "(not started, already joined, or itself)",
			                    name);
		}
		return thread_join(ts, t);
	}
	default: /* yield */
		if (r->s->interleave == VS_SCN_FREE) {
			sched_yield();
			return 0;
		}
		if (t == ts)
			return 0;
		pthread_mutex_lock(&r->mu);
		int started = t->started;
		pthread_mutex_unlock(&r->mu);
		if (!started) {
			set_fatal(r);
			return vs_error_set(&ts->err, VS_ERR_STATE, "thread '%s' is not started",
			                    name);
		}
		pthread_mutex_lock(&r->mu);
		int fin = t->finished;
		pthread_mutex_unlock(&r->mu);
		if (!fin)
			baton_hand(r, ts->idx, t->idx);
		return 0;
	}
}

void vs_scn_sched_join_all(vs_scn_exec *r)
{
	for (size_t i = 1; i < r->nts; i++)
		if (claim_join(r, &r->ts[0], &r->ts[i]) == 1)
			thread_join(&r->ts[0], &r->ts[i]);
}
