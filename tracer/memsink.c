/* SPDX-License-Identifier: MIT */
/*
 * tracer/memsink.c - the in-memory sink (vs/sink.h): keeps every event and
 * every string it is sent, for tests and `vstrace run`.
 *
 * Invariant: events are kept in emission order; all access is under mu.
 * Its arrays grow with plain realloc, not VS_GROW: the sink observes the
 * runtime, so the allocation-failure hook (rt_alloc_fail_after) that tests
 * aim at the runtime must not make the recording itself lose events.
 */
#include <stdlib.h>
#include <string.h>

#include "tracer/rt.h"
#include "vs/sink.h"

struct vs_memsink {
	pthread_mutex_t mu;
	vs_event *ev;
	size_t n, cap;
	char **strs; /* by id */
	size_t nstrs;
};

static int ms_string(void *ctx, uint32_t id, const char *s, uint32_t len)
{
	vs_memsink *ms = ctx;
	int rc = 0;
	pthread_mutex_lock(&ms->mu);
	if (id >= ms->nstrs) {
		size_t nn = ms->nstrs ? ms->nstrs : 256;
		while (nn <= id)
			nn *= 2;
		char **ns = realloc(ms->strs, nn * sizeof *ns);
		if (!ns) {
			rc = VS_ERR_NOMEM;
			goto out;
		}
		memset(ns + ms->nstrs, 0, (nn - ms->nstrs) * sizeof *ns);
		ms->strs = ns;
		ms->nstrs = nn;
	}
	if (!ms->strs[id]) {
		char *c = malloc((size_t)len + 1);
		if (!c) {
			rc = VS_ERR_NOMEM;
			goto out;
		}
		memcpy(c, s, len);
		c[len] = '\0';
		ms->strs[id] = c;
	}
out:
	pthread_mutex_unlock(&ms->mu);
	return rc;
}

static void ms_event(void *ctx, const vs_event *ev)
{
	vs_memsink *ms = ctx;
	pthread_mutex_lock(&ms->mu);
	if (ms->n == ms->cap) {
		size_t nc = ms->cap ? ms->cap * 2 : 1024;
		vs_event *ne = realloc(ms->ev, nc * sizeof *ne);
		if (!ne)
			goto out;
		ms->ev = ne;
		ms->cap = nc;
	}
	ms->ev[ms->n++] = *ev;
out:
	pthread_mutex_unlock(&ms->mu);
}

static const vs_sink_ops ms_ops = {
	.string = ms_string,
	.event = ms_event,
};

vs_memsink *vs_memsink_new(void)
{
	vs_memsink *ms = calloc(1, sizeof *ms);
	if (ms)
		pthread_mutex_init(&ms->mu, NULL);
	return ms;
}

void vs_memsink_free(vs_memsink *ms)
{
	if (!ms)
		return;
	for (size_t i = 0; i < ms->nstrs; i++)
		free(ms->strs[i]);
	free(ms->strs);
	free(ms->ev);
	pthread_mutex_destroy(&ms->mu);
	free(ms);
}

int vs_memsink_attach(vs_memsink *ms, vs_error *err)
{
	if (!ms)
		return vs_error_set(err, VS_ERR_INVALID, "no memory sink");
	return vs_trace_attach(&ms_ops, ms, err);
}

void vs_memsink_clear(vs_memsink *ms)
{
	pthread_mutex_lock(&ms->mu);
	ms->n = 0;
	pthread_mutex_unlock(&ms->mu);
}

size_t vs_memsink_count(const vs_memsink *ms)
{
	vs_memsink *m = (vs_memsink *)(uintptr_t)ms;
	pthread_mutex_lock(&m->mu);
	size_t n = m->n;
	pthread_mutex_unlock(&m->mu);
	return n;
}

const vs_event *vs_memsink_at(const vs_memsink *ms, size_t i)
{
	vs_memsink *m = (vs_memsink *)(uintptr_t)ms;
	pthread_mutex_lock(&m->mu);
	const vs_event *e = i < m->n ? &m->ev[i] : NULL;
	pthread_mutex_unlock(&m->mu);
	return e;
}

const char *vs_memsink_string(const vs_memsink *ms, uint32_t id)
{
	vs_memsink *m = (vs_memsink *)(uintptr_t)ms;
	pthread_mutex_lock(&m->mu);
	const char *s = id < m->nstrs ? m->strs[id] : NULL;
	pthread_mutex_unlock(&m->mu);
	return s;
}

long vs_memsink_find(const vs_memsink *ms, unsigned kind, size_t from)
{
	vs_memsink *m = (vs_memsink *)(uintptr_t)ms;
	long r = -1;
	pthread_mutex_lock(&m->mu);
	for (size_t i = from; i < m->n; i++)
		if (m->ev[i].kind == kind) {
			r = (long)i;
			break;
		}
	pthread_mutex_unlock(&m->mu);
	return r;
}

size_t vs_memsink_count_kind(const vs_memsink *ms, unsigned kind)
{
	vs_memsink *m = (vs_memsink *)(uintptr_t)ms;
	size_t c = 0;
	pthread_mutex_lock(&m->mu);
	for (size_t i = 0; i < m->n; i++)
		c += m->ev[i].kind == kind;
	pthread_mutex_unlock(&m->mu);
	return c;
}
