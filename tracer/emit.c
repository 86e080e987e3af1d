/* SPDX-License-Identifier: MIT */
/*
 * tracer/emit.c - string interning, call-site registry, sequence numbers and
 * the sink dispatch (vs/sink.h, tracer/emit.h).
 *
 * Invariants: a string is sent to the sink under g_intern_mu before its id
 * can be handed to anyone while that sink is attached (attach replays every
 * earlier string under the same lock); a SITE event is emitted under
 * g_site_mu before the site id is returned; PROCESS_START is the first event
 * a newly attached sink sees.  Attach/detach must not race with emission
 * from other threads (documented in docs/runtime.md).
 */
#include "tracer/alloc.h"
#include "tracer/emit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tracer/ring.h"
#include "tracer/rt.h"
#include "tracer/stack.h"

/* keeps tracer/autotrace.o (the env-var auto-start) linked into static users */
const void *const rt_autotrace_keep = &vs_autotrace_anchor;

_Atomic(const vs_sink_ops *) rt_global_sink_ops;
static void *g_ctx;
static _Atomic uint64_t g_seq;
static _Atomic uint32_t g_gen = 1;
static pthread_mutex_t g_attach_mu = PTHREAD_MUTEX_INITIALIZER;

/* ---- interning ----------------------------------------------------------- */
static pthread_mutex_t g_intern_mu = PTHREAD_MUTEX_INITIALIZER;
static rt_str **g_strs; /* by id - 1 */
static size_t g_nstrs, g_capstrs;
static uint32_t *g_tab; /* open addressing: id or 0 */
static size_t g_tabcap;

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int tab_grow(void)
{
	size_t ncap = g_tabcap ? g_tabcap * 2 : 1024;
	uint32_t *nt = rt_calloc(ncap, sizeof *nt);
	if (!nt)
		return VS_ERR_NOMEM;
	for (size_t i = 0; i < g_nstrs; i++) {
		size_t j = (size_t)g_strs[i]->hash & (ncap - 1);
		while (nt[j])
			j = (j + 1) & (ncap - 1);
		nt[j] = g_strs[i]->id;
	}
	free(g_tab);
	g_tab = nt;
	g_tabcap = ncap;
	return 0;
}

static rt_str *intern_locked(const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len);
	if (g_tabcap) {
		size_t j = (size_t)h & (g_tabcap - 1);
		while (g_tab[j]) {
			rt_str *e = g_strs[g_tab[j] - 1];
			if (e->hash == h && e->len == len && memcmp(e->text, s, len) == 0)
				return e;
			j = (j + 1) & (g_tabcap - 1);
		}
	}
	if ((g_nstrs + 1) * 2 > g_tabcap && tab_grow() < 0)
		return NULL;
	if (VS_GROW(g_strs, g_capstrs, g_nstrs + 1) < 0)
		return NULL;
	rt_str *e = rt_malloc(sizeof *e + len + 1);
	if (!e)
		return NULL;
	e->id = (uint32_t)g_nstrs + 1;
	e->len = (uint32_t)len;
	e->hash = h;
	atomic_init(&e->slash_id, 0);
	memcpy(e->text, s, len);
	e->text[len] = '\0';
	g_strs[g_nstrs++] = e;
	size_t j = (size_t)h & (g_tabcap - 1);
	while (g_tab[j])
		j = (j + 1) & (g_tabcap - 1);
	g_tab[j] = e->id;
	const vs_sink_ops *ops = atomic_load_explicit(&rt_global_sink_ops, memory_order_acquire);
	if (ops && ops->string)
		ops->string(g_ctx, e->id, e->text, e->len);
	return e;
}

rt_istr rt_intern(const char *s, size_t len)
{
	pthread_mutex_lock(&g_intern_mu);
	rt_str *e = intern_locked(s ? s : "", s ? len : 0);
	pthread_mutex_unlock(&g_intern_mu);
	return e ? e->text : NULL;
}

static _Atomic(rt_istr) g_empty;

rt_istr rt_empty(void)
{
	rt_istr e = atomic_load_explicit(&g_empty, memory_order_acquire);
	if (__builtin_expect(e != NULL, 1))
		return e;
	e = rt_intern("", 0);
	atomic_store_explicit(&g_empty, e, memory_order_release);
	return e;
}

_Atomic uint32_t rt_intern_epoch = 1;

uint32_t rt_str_slash_id(rt_istr s)
{
	rt_str *e = (rt_str *)(uintptr_t)(s - offsetof(rt_str, text));
	uint32_t id = atomic_load_explicit(&e->slash_id, memory_order_relaxed);
	if (id)
		return id;
	pthread_mutex_lock(&g_intern_mu);
	char *buf = rt_malloc((size_t)e->len + 2);
	rt_str *r = NULL;
	if (buf) {
		memcpy(buf, e->text, e->len);
		buf[e->len] = '/';
		r = intern_locked(buf, (size_t)e->len + 1);
		free(buf);
	}
	id = r ? r->id : 0;
	atomic_store_explicit(&e->slash_id, id, memory_order_relaxed);
	pthread_mutex_unlock(&g_intern_mu);
	return id;
}

rt_istr rt_intern_cstr(const char *s) { return s ? rt_intern(s, strlen(s)) : NULL; }

/* the strings this thread interned last for events, by address: a
 * caller's name passed again (a literal, a reused buffer) is compared, not
 * hashed and looked up under the lock; valid within one interning epoch */
#define STR_MEMO 64
static _Thread_local struct str_memo {
	const char *p;
	rt_istr s;
	uint32_t epoch;
} str_memo[STR_MEMO];

uint32_t rt_str_id_cstr(const char *s)
{
	if (!RT_TRACING() || !s)
		return 0;
	uint32_t epoch = atomic_load_explicit(&rt_intern_epoch, memory_order_relaxed);
	uintptr_t a = (uintptr_t)s;
	struct str_memo *m = &str_memo[((a >> 4) ^ (a >> 10)) % STR_MEMO];
	if (m->p == s && m->epoch == epoch && strcmp(m->s, s) == 0)
		return rt_str_id(m->s);
	rt_istr r = rt_intern_cstr(s);
	if (r)
		*m = (struct str_memo){s, r, epoch};
	return rt_str_id(r);
}

uint32_t vs_trace_intern(const char *s, size_t len) { return rt_str_id(rt_intern(s, len)); }

const char *vs_trace_string(uint32_t id)
{
	const char *r = NULL;
	pthread_mutex_lock(&g_intern_mu);
	if (id >= 1 && id <= g_nstrs)
		r = g_strs[id - 1]->text;
	pthread_mutex_unlock(&g_intern_mu);
	return r;
}

uint32_t rt_id_next(_Atomic uint32_t *counter)
{
	return atomic_fetch_add_explicit(counter, 1, memory_order_relaxed) + 1;
}

uint32_t rt_emit_generation(void) { return atomic_load_explicit(&g_gen, memory_order_acquire); }

/* ---- events -------------------------------------------------------------- */
static void emit_raw(const vs_sink_ops *ops, rt_tls *t, unsigned kind, unsigned flags,
                     uint32_t site, uint32_t graph, const uint32_t *p)
{
	if (t && t->in_sink)
		return;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	vs_event ev;
	ev.seq = atomic_fetch_add_explicit(&g_seq, 1, memory_order_relaxed) + 1;
	ev.ts_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	ev.tid = t ? t->tid : 0;
	ev.kind = (uint16_t)kind;
	ev.flags = (uint16_t)flags;
	ev.site = site;
	ev.graph = graph;
	memcpy(ev.p, p, sizeof ev.p);
	if (t)
		t->in_sink = 1;
	ops->event(g_ctx, &ev);
	if (t)
		t->in_sink = 0;
}

static void thread_start(const vs_sink_ops *ops, rt_tls *t, uint32_t gen)
{
	t->gen = gen;
	vs_ev_payload p = {.thread_start = {.os_tid = (uint32_t)syscall(SYS_gettid),
	                                    .parent_tid = t->parent_tid,
	                                    .parent_scope = t->parent_scope_sid,
	                                    .parent_graph = t->parent_graph}};
	emit_raw(ops, t, VS_EV_THREAD_START, 0, 0, 0, p.p);
}

void rt_emit_(unsigned kind, unsigned flags, uint32_t site, const uint32_t *p)
{
	const vs_sink_ops *ops = atomic_load_explicit(&rt_global_sink_ops, memory_order_acquire);
	if (!ops)
		return;
	rt_tls *t = rt_tls_get();
	if (!t || t->in_sink) /* a sink calling back into libvs is not traced */
		return;
	uint32_t gen = atomic_load_explicit(&g_gen, memory_order_acquire);
	if (t->gen != gen)
		thread_start(ops, t, gen);
	uint32_t graph = rt_event_graph();
	emit_raw(ops, t, kind, flags, site, graph, p);
}

void rt_emit_thread_end(uint32_t tid, int started)
{
	const vs_sink_ops *ops = atomic_load_explicit(&rt_global_sink_ops, memory_order_acquire);
	if (!ops)
		return;
	rt_tls *t = rt_tls_get();
	if (started && t && t->gen == atomic_load(&g_gen)) {
		static const vs_ev_payload no_payload; /* THREAD_END carries none */
		emit_raw(ops, t, VS_EV_THREAD_END, 0, 0, 0, no_payload.p);
	}
	if (ops->thread_end)
		ops->thread_end(g_ctx, tid);
}

void rt_emit_meta(const vs_sink_ops *ops, unsigned kind, const uint32_t *p)
{
	if (!ops)
		ops = atomic_load_explicit(&rt_global_sink_ops, memory_order_acquire);
	rt_tls *t = ops ? rt_tls_get() : NULL;
	if (!t)
		return;
	uint32_t gen = atomic_load_explicit(&g_gen, memory_order_acquire);
	if (t->gen != gen)
		thread_start(ops, t, gen);
	emit_raw(ops, t, kind, 0, 0, 0, p);
}

/* ---- sites --------------------------------------------------------------- */
typedef struct site_ent {
	const char *file, *func;
	int line;
	uint32_t id;
	uint32_t file_sid, func_sid; /* interned at registration (tracing was on) */
	uint32_t stack;              /* the call stack (tracer/stack.h), 0 none */
} site_ent;

static pthread_mutex_t g_site_mu = PTHREAD_MUTEX_INITIALIZER;
static site_ent *g_sites; /* open addressing, id 0 = free */
static size_t g_sitecap, g_nsites;
static site_ent *g_site_list; /* by id - 1 */
static size_t g_site_listcap;

static size_t site_hash(const char *file, int line, const char *func, uint32_t stack)
{
	uint64_t h = (uint64_t)(uintptr_t)file * 0x9e3779b97f4a7c15ULL;
	h ^= (uint64_t)(uintptr_t)func * 0xc2b2ae3d27d4eb4fULL;
	h ^= (uint64_t)(unsigned)line * 0x165667b19e3779f9ULL;
	h ^= (uint64_t)stack * 0x27d4eb2f165667c5ULL;
	h ^= h >> 29;
	return (size_t)h;
}

/* emits SITE for e (the calling thread's THREAD_START first if due) */
static void emit_site(const vs_sink_ops *ops, const site_ent *e)
{
	rt_tls *t = rt_tls_get();
	if (!t)
		return;
	uint32_t gen = atomic_load_explicit(&g_gen, memory_order_acquire);
	if (t->gen != gen)
		thread_start(ops, t, gen);
	vs_ev_payload p = {.site_def = {.site_id = e->id,
	                                .file = e->file_sid,
	                                .line = (uint32_t)e->line,
	                                .function = e->func_sid,
	                                .stack = e->stack}};
	emit_raw(ops, t, VS_EV_SITE, 0, 0, 0, p.p);
}

static int site_grow(void)
{
	size_t ncap = g_sitecap ? g_sitecap * 2 : 256;
	site_ent *ns = rt_calloc(ncap, sizeof *ns);
	if (!ns)
		return VS_ERR_NOMEM;
	for (size_t i = 0; i < g_sitecap; i++) {
		if (!g_sites[i].id)
			continue;
		size_t j = site_hash(g_sites[i].file, g_sites[i].line, g_sites[i].func,
		                     g_sites[i].stack) &
		           (ncap - 1);
		while (ns[j].id)
			j = (j + 1) & (ncap - 1);
		ns[j] = g_sites[i];
	}
	free(g_sites);
	g_sites = ns;
	g_sitecap = ncap;
	return 0;
}

static uint32_t site_with_stack(vs_site s, const void *frame, int with_stack);

uint32_t rt_site_id_fp(vs_site s, const void *frame) { return site_with_stack(s, frame, 1); }

uint32_t rt_site_plain(vs_site s) { return site_with_stack(s, NULL, 0); }

static uint32_t site_with_stack(vs_site s, const void *frame, int with_stack)
{
	if (!RT_TRACING() || (!s.file && !s.func && !s.line))
		return 0;
	rt_tls *t = rt_tls_get();
	if (t && t->in_sink) /* not traced: do not register a site its sink never sees */
		return 0;
	uint32_t stack = with_stack ? rt_stack_id(frame, s) : 0;
	size_t h = site_hash(s.file, s.line, s.func, stack);
	rt_site_cache *c = t ? &t->sites[h & (RT_SITE_CACHE - 1)] : NULL;
	if (c && c->id && c->file == s.file && c->func == s.func && c->line == s.line &&
	    c->stack == stack)
		return c->id;
	uint32_t id = 0;
	pthread_mutex_lock(&g_site_mu);
	if (g_sitecap) {
		size_t j = h & (g_sitecap - 1);
		while (g_sites[j].id) {
			site_ent *e = &g_sites[j];
			if (e->file == s.file && e->func == s.func && e->line == s.line &&
			    e->stack == stack) {
				id = e->id;
				break;
			}
			j = (j + 1) & (g_sitecap - 1);
		}
	}
	if (!id && ((g_nsites + 1) * 2 <= g_sitecap || site_grow() >= 0)) {
		if (VS_GROW(g_site_list, g_site_listcap, g_nsites + 1) < 0)
			goto out;
		site_ent e = {s.file,
		              s.func,
		              s.line,
		              (uint32_t)g_nsites + 1,
		              s.file ? rt_str_id(rt_intern_cstr(s.file)) : 0,
		              s.func ? rt_str_id(rt_intern_cstr(s.func)) : 0,
		              stack};
		size_t j = h & (g_sitecap - 1);
		while (g_sites[j].id)
			j = (j + 1) & (g_sitecap - 1);
		g_sites[j] = e;
		g_site_list[g_nsites++] = e;
		id = e.id;
		const vs_sink_ops *ops = atomic_load_explicit(&rt_global_sink_ops,
		                                              memory_order_acquire);
		if (ops)
			emit_site(ops, &e);
	}
out:
	pthread_mutex_unlock(&g_site_mu);
	if (c && id) {
		c->file = s.file;
		c->func = s.func;
		c->line = s.line;
		c->stack = stack;
		c->id = id;
	}
	return id;
}

/* ---- attach / detach ----------------------------------------------------- */
static void emit_process_start(const vs_sink_ops *ops, uint32_t ppid, uint32_t pseq)
{
	vs_ev_payload p = {.process_start = {.pid = (uint32_t)getpid(),
	                                     .parent_pid = ppid,
	                                     .parent_last_seq = pseq}};
	emit_raw(ops, rt_tls_get(), VS_EV_PROCESS_START, 0, 0, 0, p.p);
}

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static void once_init(void)
{
	/* the process's only registration: one handler set keeps the whole
	 * runtime's lock order (tracer/rt.h) whichever module starts first */
	pthread_atfork(rt_fork_prepare, rt_fork_parent, rt_fork_child);
}

int vs_trace_attach(const vs_sink_ops *ops, void *ctx, vs_error *err)
{
	if (ops && !ops->event)
		return vs_error_set(err, VS_ERR_INVALID, "sink has no event callback");
	pthread_once(&g_once, once_init);
	pthread_mutex_lock(&g_attach_mu);
	const vs_sink_ops *old = atomic_exchange(&rt_global_sink_ops, NULL);
	void *octx = g_ctx;
	if (old) {
		if (old->flush)
			old->flush(octx);
		if (old->close)
			old->close(octx);
	}
	if (ops) {
		/* Everything the new sink must see first is sent before the sink is
		 * published, under the site and intern locks (that order, as in
		 * rt_site_id): no other thread can emit or intern in between. */
		pthread_mutex_lock(&g_site_mu);
		rt_stack_lock(1);
		pthread_mutex_lock(&g_intern_mu);
		g_ctx = ctx;
		if (ops->string)
			for (size_t i = 0; i < g_nstrs; i++)
				ops->string(ctx, g_strs[i]->id, g_strs[i]->text, g_strs[i]->len);
		uint32_t gen = atomic_fetch_add(&g_gen, 1) + 1;
		emit_process_start(ops, 0, 0);
		rt_tls *t = rt_tls_get();
		if (t)
			thread_start(ops, t, gen);
		rt_stack_replay(ops);
		for (size_t i = 0; i < g_nsites; i++)
			emit_site(ops, &g_site_list[i]);
		atomic_store_explicit(&rt_global_sink_ops, ops, memory_order_release);
		pthread_mutex_unlock(&g_intern_mu);
		rt_stack_lock(0);
		pthread_mutex_unlock(&g_site_mu);
	} else {
		g_ctx = NULL;
	}
	pthread_mutex_unlock(&g_attach_mu);
	return 0;
}

int vs_trace_enabled(void)
{
	return atomic_load_explicit(&rt_global_sink_ops, memory_order_acquire) != NULL;
}

void vs_trace_flush(void)
{
	const vs_sink_ops *ops = atomic_load_explicit(&rt_global_sink_ops, memory_order_acquire);
	if (ops && ops->flush)
		ops->flush(g_ctx);
}

void rt_emit_shutdown(void)
{
	vs_trace_attach(NULL, NULL, NULL);
	rt_stack_shutdown();
	pthread_mutex_lock(&g_intern_mu);
	for (size_t i = 0; i < g_nstrs; i++)
		free(g_strs[i]);
	free(g_strs);
	free(g_tab);
	g_strs = NULL;
	g_tab = NULL;
	atomic_store(&g_empty, NULL);
	g_nstrs = g_capstrs = g_tabcap = 0;
	atomic_fetch_add(&rt_intern_epoch, 1);
	pthread_mutex_unlock(&g_intern_mu);
	pthread_mutex_lock(&g_site_mu);
	free(g_sites);
	free(g_site_list);
	g_sites = g_site_list = NULL;
	g_sitecap = g_nsites = g_site_listcap = 0;
	pthread_mutex_unlock(&g_site_mu);
	rt_tls *t = rt_tls_get();
	if (t)
		memset(t->sites, 0, sizeof t->sites);
}

/* ---- fork ---------------------------------------------------------------- */
void rt_emit_atfork(rt_fork_phase phase)
{
	if (phase == RT_FORK_PREPARE) {
		pthread_mutex_lock(&g_attach_mu);
		pthread_mutex_lock(&g_site_mu);
		rt_stack_lock(1);
		pthread_mutex_lock(&g_intern_mu);
		return;
	}
	if (phase == RT_FORK_PARENT) {
		pthread_mutex_unlock(&g_intern_mu);
		rt_stack_lock(0);
		pthread_mutex_unlock(&g_site_mu);
		pthread_mutex_unlock(&g_attach_mu);
		return;
	}
	pthread_mutex_init(&g_intern_mu, NULL);
	rt_stack_lock(2);
	pthread_mutex_init(&g_site_mu, NULL);
	pthread_mutex_init(&g_attach_mu, NULL);
	uint32_t ppid = (uint32_t)getppid();
	uint64_t last = atomic_load(&g_seq);
	atomic_store(&g_seq, 0);
	atomic_fetch_add(&g_gen, 1);
	const vs_sink_ops *ops = atomic_load_explicit(&rt_global_sink_ops, memory_order_acquire);
	if (!ops)
		return;
	if (ops->fork_child)
		ops->fork_child(g_ctx);
	emit_process_start(ops, ppid, (uint32_t)last);
}

void rt_emit_init_once(void) { pthread_once(&g_once, once_init); }

void rt_emit_thread_start(void)
{
	const vs_sink_ops *ops = atomic_load_explicit(&rt_global_sink_ops, memory_order_acquire);
	rt_tls *t = ops ? rt_tls_get() : NULL;
	if (!t)
		return;
	uint32_t gen = atomic_load_explicit(&g_gen, memory_order_acquire);
	if (t->gen != gen)
		thread_start(ops, t, gen);
}
