/* SPDX-License-Identifier: MIT */
/*
 * tracer/stack.c - call-stack capture, stack interning and the module table
 * (tracer/stack.h; the design is in docs/recording.md, "Call stacks").
 *
 * Invariants: a module table is immutable once published (a rescan
 * publishes a new one and retires the old one until shutdown), so the
 * capture path reads it without a lock; a STACK node is emitted (under
 * g_stack_mu) before its id is returned, and its MODULE before it; node and
 * module ids are never reused within a process.
 */
#include "tracer/stack.h"

#include <execinfo.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The frame walk reads stack words that a function without frame pointers
 * never wrote: valid for us (every value is checked before use) but
 * "uninitialised" to memcheck.  The copies the walk makes are marked
 * defined (the program's own memory is left alone). */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define WALK_DEFINED(x) VALGRIND_MAKE_MEM_DEFINED(&(x), sizeof(x))
#endif
#endif
#ifndef WALK_DEFINED
#define WALK_DEFINED(x) ((void)0)
#endif

#include "tracer/alloc.h"
#include "tracer/emit.h"
#include "tracer/rt.h"
#include "vs/internal/util.h"

/* ---- configuration ------------------------------------------------------- */
static _Atomic unsigned g_depth = RT_STACK_DEFAULT_DEPTH;
static _Atomic int g_unwind = VS_UNWIND_AUTO;
static pthread_once_t g_cfg_once = PTHREAD_ONCE_INIT;

static int env_number(const char *name, unsigned lo, unsigned hi, unsigned *out)
{
	const char *v = getenv(name);
	if (!v)
		return 0;
	char *end;
	unsigned long n = strtoul(v, &end, 10);
	if (!*v || *end || n < lo || n > hi) {
		fprintf(stderr,
		        "vstrace: %s: expected a number from %u to %u, got '%s'; call stacks off\n",
		        name, lo, hi, v);
		return -1;
	}
	*out = (unsigned)n;
	return 1;
}

static void cfg_init(void)
{
	unsigned depth = RT_STACK_DEFAULT_DEPTH, on = 1;
	const char *u = getenv("VSTRACE_STACK_UNWIND");
	if (env_number("VSTRACE_STACKS", 0, 1, &on) < 0 ||
	    env_number("VSTRACE_STACK_DEPTH", 1, RT_STACK_MAX, &depth) < 0)
		on = 0;
	if (u && strcmp(u, "auto") && strcmp(u, "fp") && strcmp(u, "unwind")) {
		fprintf(stderr,
		        "vstrace: VSTRACE_STACK_UNWIND: expected auto, fp or unwind, got '%s';"
		        " call stacks off\n",
		        u);
		on = 0;
	} else if (u) {
		atomic_store(&g_unwind, !strcmp(u, "fp")       ? VS_UNWIND_FP
		                        : !strcmp(u, "unwind") ? VS_UNWIND_CFI
		                                               : VS_UNWIND_AUTO);
	}
	atomic_store(&g_depth, on ? depth : 0);
}

int vs_trace_set_stacks(unsigned depth, int unwind, vs_error *err)
{
	if (depth > RT_STACK_MAX)
		return vs_error_set(err, VS_ERR_INVALID, "stack depth %u is more than %d", depth,
		                    RT_STACK_MAX);
	if (unwind != VS_UNWIND_AUTO && unwind != VS_UNWIND_FP && unwind != VS_UNWIND_CFI)
		return vs_error_set(err, VS_ERR_INVALID, "unknown unwind method %d", unwind);
	pthread_once(&g_cfg_once, cfg_init);
	atomic_store(&g_depth, depth);
	atomic_store(&g_unwind, unwind);
	return 0;
}

unsigned vs_trace_stack_depth(void)
{
	pthread_once(&g_cfg_once, cfg_init);
	return atomic_load_explicit(&g_depth, memory_order_relaxed);
}

/* ---- modules ------------------------------------------------------------- */
typedef struct rt_module {
	uintptr_t lo, hi; /* executable span [lo, hi) */
	uintptr_t bias;   /* load bias (dlpi_addr) */
	uint32_t id;
	rt_istr path, build_id;
} rt_module;

typedef struct rt_modtab {
	struct rt_modtab *retired; /* older tables, freed at shutdown */
	unsigned long long adds, subs;
	uintptr_t libc_lo, libc_hi; /* the module holding libc's exit() */
	size_t n;
	rt_module m[]; /* sorted by lo */
} rt_modtab;

static pthread_mutex_t g_stack_mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(rt_modtab *) g_mods;
static uint32_t g_nmod_ids; /* under g_stack_mu */

/* "0123abcd..." from the module's NT_GNU_BUILD_ID note (in its own memory) */
static void build_id_hex(const struct dl_phdr_info *info, char *out, size_t cap)
{
	out[0] = '\0';
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		const unsigned char *end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
			size_t nsz = (nh->n_namesz + 3) & ~3u, dsz = (nh->n_descsz + 3) & ~3u;
			const unsigned char *name = p + sizeof *nh, *desc = name + nsz;
			if (desc + dsz > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    !memcmp(name, "GNU", 4) && nh->n_descsz * 2 + 1 <= cap) {
				for (unsigned k = 0; k < nh->n_descsz; k++)
					snprintf(out + 2 * k, 3, "%02x", desc[k]);
				return;
			}
			p = desc + dsz;
		}
	}
}

struct scan {
	rt_modtab *t;
	size_t cap;
	int nomem;
};

static int scan_one(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct scan *s = arg;
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
		s->t->adds = info->dlpi_adds;
		s->t->subs = info->dlpi_subs;
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;
		lo = a < lo ? a : lo;
		hi = a + ph->p_memsz > hi ? a + ph->p_memsz : hi;
	}
	if (lo >= hi || s->t->n == s->cap)
		return 0;
	rt_module *m = &s->t->m[s->t->n];
	char path[PATH_MAX], bid[129];
	const char *name = info->dlpi_name;
	if (!name || !*name) { /* the main program */
		ssize_t k = readlink("/proc/self/exe", path, sizeof path - 1);
		path[k > 0 ? k : 0] = '\0';
		name = path;
	}
	build_id_hex(info, bid, sizeof bid);
	*m = (rt_module){lo,
	                 hi,
	                 info->dlpi_addr,
	                 0,
	                 rt_intern_cstr(name),
	                 bid[0] ? rt_intern_cstr(bid) : NULL};
	if (!m->path)
		s->nomem = 1;
	s->t->n++;
	return 0;
}

static int count_one(struct dl_phdr_info *info, size_t size, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

static int cmp_mod(const void *a, const void *b)
{
	const rt_module *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void emit_module(const vs_sink_ops *ops, const rt_module *m)
{
	vs_ev_payload p = {.module = {.module_id = m->id,
	                              .path = rt_str_id(m->path),
	                              .bias_lo = (uint32_t)m->bias,
	                              .bias_hi = (uint32_t)((uint64_t)m->bias >> 32),
	                              .text_start = (uint32_t)(m->lo - m->bias),
	                              .text_size = (uint32_t)(m->hi - m->lo),
	                              .build_id = rt_str_id(m->build_id)}};
	rt_emit_meta(ops, VS_EV_MODULE, p.p);
}

/* Rebuilds the module table (under g_stack_mu); new modules get ids and
 * MODULE events; returns the current table (the old one on failure). */
static rt_modtab *rescan_locked(void)
{
	rt_modtab *old = atomic_load_explicit(&g_mods, memory_order_acquire);
	size_t cap = 0;
	dl_iterate_phdr(count_one, &cap);
	cap += 4;
	struct scan s = {rt_calloc(1, sizeof *s.t + cap * sizeof(rt_module)), cap, 0};
	if (!s.t)
		return old;
	dl_iterate_phdr(scan_one, &s);
	if (s.nomem) {
		free(s.t);
		return old;
	}
	qsort(s.t->m, s.t->n, sizeof s.t->m[0], cmp_mod);
	uintptr_t libc = (uintptr_t)&exit;
	for (size_t i = 0; i < s.t->n; i++) {
		rt_module *m = &s.t->m[i];
		for (size_t j = 0; old && j < old->n && !m->id; j++)
			if (old->m[j].bias == m->bias && old->m[j].path == m->path &&
			    old->m[j].lo == m->lo)
				m->id = old->m[j].id;
		if (!m->id) {
			m->id = ++g_nmod_ids;
			emit_module(NULL, m);
		}
		if (libc >= m->lo && libc < m->hi) {
			s.t->libc_lo = m->lo;
			s.t->libc_hi = m->hi;
		}
	}
	s.t->retired = old;
	atomic_store_explicit(&g_mods, s.t, memory_order_release);
	return s.t;
}

static const rt_module *mod_find(const rt_modtab *t, uintptr_t pc)
{
	size_t lo = 0, hi = t ? t->n : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pc < t->m[mid].lo)
			hi = mid;
		else if (pc >= t->m[mid].hi)
			lo = mid + 1;
		else
			return &t->m[mid];
	}
	return NULL;
}

static int adds_one(struct dl_phdr_info *info, size_t size, void *arg)
{
	unsigned long long *c = arg;
	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
		c[0] = info->dlpi_adds;
		c[1] = info->dlpi_subs;
	}
	return 1; /* the counters are the same in every entry: stop */
}

/* The module of pc, rescanning once when the loader's lists changed since
 * the last scan (a dlopen); NULL when pc is in no known executable span. */
static const rt_module *mod_of(uintptr_t pc)
{
	rt_modtab *t = atomic_load_explicit(&g_mods, memory_order_acquire);
	const rt_module *m = mod_find(t, pc);
	if (m)
		return m;
	unsigned long long c[2] = {0, 0};
	dl_iterate_phdr(adds_one, c);
	if (t && c[0] == t->adds && c[1] == t->subs)
		return NULL;
	pthread_mutex_lock(&g_stack_mu);
	t = atomic_load_explicit(&g_mods, memory_order_acquire);
	if (!t || c[0] != t->adds || c[1] != t->subs)
		t = rescan_locked();
	pthread_mutex_unlock(&g_stack_mu);
	return mod_find(t, pc);
}

/* ---- capture ------------------------------------------------------------- */
typedef struct stack_cache {
	uint64_t hash;
	uint32_t id, epoch;
	unsigned n;
	int symbolic; /* pcs are site ids of symbolic frames */
	uintptr_t pcs[RT_STACK_MAX];
} stack_cache;

#define STACK_CACHE 16
static _Atomic uint32_t g_epoch = 1;

typedef struct stack_tls {
	uintptr_t lo, hi; /* this thread's stack */
	int bounds;       /* 1 known, -1 unknown */
	unsigned nvirt;   /* symbolic frames pushed (vs_trace_frame_push) */
	vs_site virt[RT_STACK_MAX];
	const char *callee[RT_STACK_MAX]; /* the function each frame entered */
	stack_cache cache[STACK_CACHE];
} stack_tls;

static _Thread_local stack_tls g_stk;

static void bounds_init(stack_tls *s)
{
	pthread_attr_t a;
	void *addr;
	size_t size;
	s->bounds = -1;
	if (pthread_getattr_np(pthread_self(), &a) != 0)
		return;
	if (pthread_attr_getstack(&a, &addr, &size) == 0) {
		s->lo = (uintptr_t)addr;
		s->hi = (uintptr_t)addr + size;
		s->bounds = 1;
	}
	pthread_attr_destroy(&a);
}

/* 1 when the walk ended where a correct stack ends: a zero frame pointer,
 * the depth limit, or a frame of libc (the process's or a thread's entry). */
static int walk_fp(const stack_tls *s, const void *frame, uintptr_t *pcs, unsigned max,
                   unsigned *n_out)
{
	const rt_modtab *t = atomic_load_explicit(&g_mods, memory_order_acquire);
	uintptr_t fp = (uintptr_t)frame;
	unsigned n = 0;
	int clean = 0;
	*n_out = 0;
	if (!t) /* the first scan ran out of memory */
		return 0;
	while (n < max) {
		if (fp < s->lo || fp + 2 * sizeof(uintptr_t) > s->hi ||
		    (fp & (sizeof(uintptr_t) - 1)))
			break;
		const uintptr_t *f = (const uintptr_t *)fp;
		uintptr_t pc = f[1], next = f[0];
		WALK_DEFINED(pc);
		WALK_DEFINED(next);
		if (!mod_of(pc))
			break;
		pcs[n++] = pc;
		if (pc >= t->libc_lo && pc < t->libc_hi) {
			clean = 1;
			break;
		}
		if (next == 0) {
			clean = 1;
			break;
		}
		if (next <= fp)
			break;
		fp = next;
	}
	*n_out = n;
	return clean || n == max;
}

/* glibc's backtrace() from the first user frame on (the frames up to the
 * public entry are libvs's own; first is its return address). */
static unsigned walk_cfi(uintptr_t first, uintptr_t *pcs, unsigned max)
{
	void *buf[RT_STACK_MAX + 16];
	int k = backtrace(buf, (int)(sizeof buf / sizeof buf[0]));
	int start = -1;
	for (int i = 0; i < k && start < 0 && i < 16; i++)
		if ((uintptr_t)buf[i] == first)
			start = i;
	if (start < 0)
		return 0;
	unsigned n = 0;
	for (int i = start; i < k && n < max; i++)
		if (mod_of((uintptr_t)buf[i]))
			pcs[n++] = (uintptr_t)buf[i];
	return n;
}

unsigned rt_stack_capture(const void *frame, uintptr_t *pcs, unsigned max)
{
	stack_tls *s = &g_stk;
	if (!s->bounds)
		bounds_init(s);
	if (s->bounds < 0 || !frame || !max)
		return 0;
	if (!atomic_load_explicit(&g_mods, memory_order_acquire)) {
		pthread_mutex_lock(&g_stack_mu);
		if (!atomic_load_explicit(&g_mods, memory_order_acquire))
			rescan_locked();
		pthread_mutex_unlock(&g_stack_mu);
	}
	unsigned n = 0;
	int unwind = atomic_load_explicit(&g_unwind, memory_order_relaxed);
	int clean = walk_fp(s, frame, pcs, max, &n);
	if (n > 0 && (unwind == VS_UNWIND_CFI || (!clean && unwind == VS_UNWIND_AUTO))) {
		uintptr_t tmp[RT_STACK_MAX];
		unsigned k = walk_cfi(pcs[0], tmp, max);
		if (k > 0) {
			memcpy(pcs, tmp, k * sizeof *pcs);
			n = k;
		}
	}
	return n;
}

/* ---- interning ----------------------------------------------------------- */
typedef struct stack_node {
	uintptr_t pc; /* return address; 0 for a symbolic frame */
	uint32_t caller, module;
	uint32_t site; /* symbolic frame: its site (stack 0); else 0 */
} stack_node;

static stack_node *g_nodes; /* by id - 1 */
static size_t g_nnodes, g_capnodes;
static uint32_t *g_ntab; /* open addressing: node id or 0 */
static size_t g_ntabcap;

static size_t node_hash(uintptr_t pc, uint32_t caller, uint32_t site)
{
	uint64_t h = (uint64_t)pc * 0x9e3779b97f4a7c15ULL ^
	             (uint64_t)caller * 0xc2b2ae3d27d4eb4fULL ^
	             (uint64_t)site * 0x165667b19e3779f9ULL;
	return (size_t)(h ^ (h >> 31));
}

static int ntab_grow(void)
{
	size_t ncap = g_ntabcap ? g_ntabcap * 2 : 1024;
	uint32_t *nt = rt_calloc(ncap, sizeof *nt);
	if (!nt)
		return -1;
	for (size_t i = 0; i < g_nnodes; i++) {
		size_t j = node_hash(g_nodes[i].pc, g_nodes[i].caller, g_nodes[i].site) &
		           (ncap - 1);
		while (nt[j])
			j = (j + 1) & (ncap - 1);
		nt[j] = (uint32_t)i + 1;
	}
	free(g_ntab);
	g_ntab = nt;
	g_ntabcap = ncap;
	return 0;
}

static void emit_node(const vs_sink_ops *ops, uint32_t id, const stack_node *e)
{
	vs_ev_payload p = {.stack = {.stack_id = id,
	                             .caller = e->caller,
	                             .pc_lo = (uint32_t)e->pc,
	                             .pc_hi = (uint32_t)((uint64_t)e->pc >> 32),
	                             .module = e->module,
	                             .site = e->site}};
	rt_emit_meta(ops, VS_EV_STACK, p.p);
}

/* The node (pc or symbolic site, caller), made and emitted when new; 0 on
 * allocation failure. */
static uint32_t node_locked(uintptr_t pc, uint32_t site, uint32_t caller)
{
	size_t h = node_hash(pc, caller, site);
	if (g_ntabcap)
		for (size_t j = h & (g_ntabcap - 1); g_ntab[j]; j = (j + 1) & (g_ntabcap - 1)) {
			const stack_node *e = &g_nodes[g_ntab[j] - 1];
			if (e->pc == pc && e->caller == caller && e->site == site)
				return g_ntab[j];
		}
	if ((g_nnodes + 1) * 2 > g_ntabcap && ntab_grow() < 0)
		return 0;
	if (VS_GROW(g_nodes, g_capnodes, g_nnodes + 1) < 0)
		return 0;
	const rt_module *m = pc ? mod_find(atomic_load_explicit(&g_mods, memory_order_acquire), pc)
	                        : NULL;
	stack_node *e = &g_nodes[g_nnodes++];
	*e = (stack_node){pc, caller, m ? m->id : 0, site};
	uint32_t id = (uint32_t)g_nnodes;
	size_t j = h & (g_ntabcap - 1);
	while (g_ntab[j])
		j = (j + 1) & (g_ntabcap - 1);
	g_ntab[j] = id;
	emit_node(NULL, id, e);
	return id;
}

static uint64_t pcs_hash(const uintptr_t *pcs, unsigned n)
{
	uint64_t h = 0x84222325cbf29ce4ULL ^ n;
	for (unsigned i = 0; i < n; i++) {
		h ^= (uint64_t)pcs[i];
		h *= 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return h;
}

/* The symbolic stack of the calling thread: the call's site, then the
 * pushed frames innermost first, as site ids. */
static unsigned capture_symbolic(const stack_tls *st, vs_site site, uintptr_t *ids, unsigned max)
{
	unsigned n = 0;
	/* frame 0 is in the function the innermost frame entered */
	site.func = st->callee[st->nvirt - 1];
	uint32_t id = rt_site_plain(site);
	if (id)
		ids[n++] = id;
	for (unsigned i = st->nvirt; i-- > 0 && n < max;)
		if (st->virt[i].line > 0 && (id = rt_site_plain(st->virt[i])))
			ids[n++] = id;
	return n;
}

uint32_t rt_stack_id(const void *frame, vs_site site)
{
	unsigned depth = atomic_load_explicit(&g_depth, memory_order_relaxed);
	if (__builtin_expect(depth == 0 || !RT_TRACING(), 0))
		return 0;
	pthread_once(&g_cfg_once, cfg_init);
	depth = atomic_load_explicit(&g_depth, memory_order_relaxed);
	uintptr_t pcs[RT_STACK_MAX];
	stack_tls *st = &g_stk;
	int symbolic = st->nvirt > 0;
	unsigned n = symbolic ? capture_symbolic(st, site, pcs, depth)
	                      : rt_stack_capture(frame, pcs, depth);
	if (!n)
		return 0;
	uint64_t h = pcs_hash(pcs, n) ^ (uint64_t)symbolic;
	uint32_t epoch = atomic_load_explicit(&g_epoch, memory_order_relaxed);
	stack_cache *c = &st->cache[h & (STACK_CACHE - 1)];
	if (c->id && c->epoch == epoch && c->hash == h && c->n == n && c->symbolic == symbolic &&
	    !memcmp(c->pcs, pcs, n * sizeof *pcs))
		return c->id;
	uint32_t id = 0;
	pthread_mutex_lock(&g_stack_mu);
	for (unsigned i = n; i-- > 0;) {
		id = symbolic ? node_locked(0, (uint32_t)pcs[i], id) : node_locked(pcs[i], 0, id);
		if (!id)
			break;
	}
	pthread_mutex_unlock(&g_stack_mu);
	if (id) {
		c->hash = h;
		c->id = id;
		c->epoch = epoch;
		c->n = n;
		c->symbolic = symbolic;
		memcpy(c->pcs, pcs, n * sizeof *pcs);
	}
	return id;
}

int vs_trace_frame_push(vs_site call, const char *callee, vs_error *err)
{
	stack_tls *st = &g_stk;
	if (st->nvirt >= RT_STACK_MAX)
		return vs_error_set(err, VS_ERR_INVALID, "more than %d symbolic frames",
		                    RT_STACK_MAX);
	st->callee[st->nvirt] = callee ? callee : call.func;
	st->virt[st->nvirt++] = call;
	return 0;
}

void vs_trace_frame_pop(void)
{
	stack_tls *st = &g_stk;
	if (st->nvirt)
		st->nvirt--;
}

/* ---- replay, fork, shutdown ---------------------------------------------- */
void rt_stack_replay(const vs_sink_ops *ops)
{
	rt_modtab *t = atomic_load_explicit(&g_mods, memory_order_acquire);
	/* every id ever handed out: a retired table holds modules since unloaded */
	for (uint32_t id = 1; id <= g_nmod_ids; id++) {
		const rt_module *found = NULL;
		for (const rt_modtab *x = t; x && !found; x = x->retired)
			for (size_t i = 0; i < x->n && !found; i++)
				if (x->m[i].id == id)
					found = &x->m[i];
		if (found)
			emit_module(ops, found);
	}
	for (size_t i = 0; i < g_nnodes; i++)
		emit_node(ops, (uint32_t)i + 1, &g_nodes[i]);
}

void rt_stack_lock(int how)
{
	if (how == 1)
		pthread_mutex_lock(&g_stack_mu);
	else if (how == 0)
		pthread_mutex_unlock(&g_stack_mu);
	else
		pthread_mutex_init(&g_stack_mu, NULL);
}

void rt_stack_shutdown(void)
{
	pthread_mutex_lock(&g_stack_mu);
	rt_modtab *t = atomic_exchange(&g_mods, NULL);
	while (t) {
		rt_modtab *next = t->retired;
		free(t);
		t = next;
	}
	free(g_nodes);
	free(g_ntab);
	g_nodes = NULL;
	g_ntab = NULL;
	g_nnodes = g_capnodes = g_ntabcap = 0;
	g_nmod_ids = 0;
	atomic_fetch_add(&g_epoch, 1);
	pthread_mutex_unlock(&g_stack_mu);
}
