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

#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unwind.h>

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
/* The same reads may land in an AddressSanitizer redzone of the program's
 * frames (the unwind cache scans whole frames for a saved %rbp): the
 * functions that read the program's stack are not instrumented. */
#define WALK_NO_ASAN __attribute__((no_sanitize_address))

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
static _Atomic unsigned long g_unwinds; /* CFI unwinds run (rt_stack_unwinds) */

/*
 * The unwind cache (auto mode, x86-64; docs/recording.md, "Call stacks"): a
 * stack the CFI unwinder found, keyed by the user's call into libvs (its
 * return address and stack pointer, both exact since libvs keeps frame
 * pointers), with the words that pin it: the stack slot of every return
 * address and, where a frame's position hangs on its frame pointer, the
 * words holding that register.  A later call with the same key whose
 * words all still hold the same values has the same stack.
 */
#define UW_CACHE 8
#define UW_CHECKS (RT_STACK_MAX + 8)

typedef struct uw_entry {
	uintptr_t pc0, frame; /* key: return address, public entry's frame */
	uint32_t id, epoch;   /* id 0: empty */
	unsigned depth, nchk;
	uint32_t off[UW_CHECKS]; /* word at frame + off[k] must be val[k] */
	uintptr_t val[UW_CHECKS];
} uw_entry;

typedef struct stack_tls {
	uintptr_t lo, hi; /* this thread's stack */
	int bounds;       /* 1 known, -1 unknown */
	unsigned nvirt;   /* symbolic frames pushed (vs_trace_frame_push) */
	/* inside rt_stack_id: a signal handler tracing now uses no cache */
	volatile sig_atomic_t busy;
	unsigned uw_next; /* round-robin victim */
	vs_site virt[RT_STACK_MAX];
	const char *callee[RT_STACK_MAX]; /* the function each frame entered */
	stack_cache cache[STACK_CACHE];
	uw_entry uw[UW_CACHE];
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

/* 1 when the walk ended where a correct stack ends: the depth limit or a
 * frame of libc (the process's or a thread's entry).  A zero frame pointer
 * elsewhere is not an end: code without frame pointers may hold 0 in %rbp
 * (a loop counter), which would cut the stack short. */
WALK_NO_ASAN static int walk_fp(const stack_tls *s, const void *frame, uintptr_t *pcs, unsigned max,
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
		if (next <= fp) /* a 0 too: glibc's entries end in libc, above */
			break;
		fp = next;
	}
	*n_out = n;
	return clean || n == max;
}

/* One CFI unwind from the first user frame on (the frames up to the public
 * entry are libvs's own; first is its return address).  sp[i] is frame i's
 * stack pointer at its call (the CFA of frame i - 1), rbp[i] the frame
 * pointer register's value in frame i. */
typedef struct uw_walk {
	uintptr_t first;
	uintptr_t *pcs;
	unsigned max, n, before;
	int gap; /* a frame outside every module was left out, or a frame
	            was interrupted by a signal: not pinned */
	uintptr_t sp[RT_STACK_MAX], rbp[RT_STACK_MAX];
} uw_walk;

static _Unwind_Reason_Code uw_frame(struct _Unwind_Context *ctx, void *arg)
{
	uw_walk *w = arg;
	int before_insn = 0; /* 1: interrupted by a signal, not a call */
	uintptr_t ip = _Unwind_GetIPInfo(ctx, &before_insn);
	if (!w->n && !w->gap && ip != w->first)
		return ++w->before < 16 ? _URC_NO_REASON : _URC_END_OF_STACK;
	if (!ip)
		return _URC_END_OF_STACK;
	int known = mod_of(ip) != NULL;
	if (before_insn || !known)
		w->gap = 1;
	if (!known)
		return _URC_NO_REASON;
	w->pcs[w->n] = ip;
	w->sp[w->n] = _Unwind_GetCFA(ctx);
#if defined(__x86_64__)
	w->rbp[w->n] = _Unwind_GetGR(ctx, 6); /* DWARF register 6: %rbp */
#else
	w->rbp[w->n] = 0;
#endif
	return ++w->n < w->max ? _URC_NO_REASON : _URC_END_OF_STACK;
}

static unsigned walk_cfi(uw_walk *w, uintptr_t first, uintptr_t *pcs, unsigned max)
{
	*w = (uw_walk){.first = first, .pcs = pcs, .max = max};
	atomic_fetch_add_explicit(&g_unwinds, 1, memory_order_relaxed);
	_Unwind_Backtrace(uw_frame, w);
	return w->n;
}

unsigned long rt_stack_unwinds(void)
{
	return atomic_load_explicit(&g_unwinds, memory_order_relaxed);
}

static int uw_check(uw_entry *c, uintptr_t addr, uintptr_t val)
{
	if (c->nchk == UW_CHECKS || addr < c->frame || addr - c->frame > UINT32_MAX)
		return -1;
	c->off[c->nchk] = (uint32_t)(addr - c->frame);
	c->val[c->nchk++] = val;
	return 0;
}

/* The words holding the frame pointer value of frame k (k >= 1), which
 * frame k - 1 changed: every word of frame k - 1 equal to it (its save
 * slot is one of them).  -1 when there is none or too many. */
WALK_NO_ASAN static int uw_pin_saved(const uw_walk *w, unsigned k, uw_entry *c)
{
	int found = 0;
	for (uintptr_t a = w->sp[k - 1]; a < w->sp[k]; a += sizeof(uintptr_t)) {
		uintptr_t v = *(const uintptr_t *)a;
		WALK_DEFINED(v);
		if (v == w->rbp[k]) {
			if (uw_check(c, a, v) < 0)
				return -1;
			found = 1;
		}
	}
	return found ? 0 : -1;
}

/*
 * Fills c's checks for the stack w found below frame; -1 when it cannot be
 * pinned (the entry is then not cached: every such call unwinds).  Frame
 * i's return-address slot is at sp[i] - 8, which depends only on sp[0] and
 * the frames inside it when each frame's size is fixed by its code.  A
 * frame whose CFA is its frame pointer + 16 (alloca, a realigned stack)
 * can move at the same pc: then the frame pointer's value is pinned too,
 * in the caller's saved %rbp (frame[0]) or in the save slot of the frame
 * that last changed it.  A frame pointer inside a frame but elsewhere (a
 * DRAP frame) is not pinned: -1.
 */
WALK_NO_ASAN static int uw_pin(const stack_tls *s, const uw_walk *w, uw_entry *c)
{
#if defined(__x86_64__)
	const uintptr_t *frame = (const uintptr_t *)c->frame;
	uintptr_t saved_rbp = frame[0];
	WALK_DEFINED(saved_rbp);
	if (w->gap || !w->n || w->sp[0] != c->frame + 2 * sizeof(uintptr_t))
		return -1;
	for (unsigned i = 1; i < w->n; i++) {
		uintptr_t slot = w->sp[i] - sizeof(uintptr_t), v;
		if (w->sp[i] <= w->sp[i - 1] || w->sp[i] > s->hi)
			return -1;
		v = *(const uintptr_t *)slot;
		WALK_DEFINED(v);
		if (v != w->pcs[i] || uw_check(c, slot, v) < 0)
			return -1;
	}
	for (unsigned j = 0; j + 1 < w->n; j++) {
		uintptr_t cfa = w->sp[j + 1], fp = w->rbp[j];
		if (fp >= w->sp[j] && fp < cfa - 2 * sizeof(uintptr_t))
			return -1;
		if (fp != cfa - 2 * sizeof(uintptr_t))
			continue;
		unsigned k = j; /* frame k - 1 saved the value (or k is 0) */
		while (k > 0 && w->rbp[k - 1] == fp)
			k--;
		if (k == 0 ? (saved_rbp != fp || uw_check(c, c->frame, fp) < 0)
		           : uw_pin_saved(w, k, c) < 0)
			return -1;
	}
	return 0;
#else
	return -1;
#endif
}

/* The id of a pinned stack of the call whose public entry has frame, or 0. */
WALK_NO_ASAN static uint32_t uw_lookup(const stack_tls *s, uintptr_t frame, unsigned depth,
                                       uint32_t epoch)
{
	uintptr_t pc0 = ((const uintptr_t *)frame)[1];
	for (unsigned e = 0; e < UW_CACHE; e++) {
		const uw_entry *c = &s->uw[e];
		if (c->pc0 != pc0 || c->frame != frame || !c->id || c->epoch != epoch ||
		    c->depth != depth)
			continue;
		unsigned k = 0;
		for (; k < c->nchk; k++) {
			uintptr_t v = *(const uintptr_t *)(frame + c->off[k]);
			WALK_DEFINED(v);
			if (v != c->val[k])
				break;
		}
		if (k == c->nchk)
			return c->id;
	}
	return 0;
}

/*
 * The capture behind rt_stack_capture.  When pin is not NULL (auto mode, a
 * cacheable call) and the CFI unwinder ran, pin gets the checks of what it
 * found and pin->id is set to 1 (0: nothing to cache).
 */
static unsigned capture(stack_tls *s, const void *frame, uintptr_t *pcs, unsigned max,
                        uw_entry *pin)
{
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
		uw_walk w;
		unsigned k = walk_cfi(&w, pcs[0], tmp, max);
		if (k > 0) {
			memcpy(pcs, tmp, k * sizeof *pcs);
			n = k;
			if (pin && unwind == VS_UNWIND_AUTO) {
				pin->nchk = 0;
				pin->id = uw_pin(s, &w, pin) < 0 ? 0 : 1;
			}
		}
	}
	return n;
}

unsigned rt_stack_capture(const void *frame, uintptr_t *pcs, unsigned max)
{
	return capture(&g_stk, frame, pcs, max, NULL);
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

/* The node id of pcs[0..n) (n > 0), through the thread's address-list cache
 * when use_cache; 0 on allocation failure. */
static uint32_t intern_pcs(stack_tls *st, const uintptr_t *pcs, unsigned n, int symbolic,
                           uint32_t epoch, int use_cache)
{
	uint64_t h = pcs_hash(pcs, n) ^ (uint64_t)symbolic;
	stack_cache *c = &st->cache[h & (STACK_CACHE - 1)];
	if (use_cache && c->id && c->epoch == epoch && c->hash == h && c->n == n &&
	    c->symbolic == symbolic && !memcmp(c->pcs, pcs, n * sizeof *pcs))
		return c->id;
	uint32_t id = 0;
	pthread_mutex_lock(&g_stack_mu);
	for (unsigned i = n; i-- > 0;) {
		id = symbolic ? node_locked(0, (uint32_t)pcs[i], id) : node_locked(pcs[i], 0, id);
		if (!id)
			break;
	}
	pthread_mutex_unlock(&g_stack_mu);
	if (id && use_cache) {
		c->hash = h;
		c->id = id;
		c->epoch = epoch;
		c->n = n;
		c->symbolic = symbolic;
		memcpy(c->pcs, pcs, n * sizeof *pcs);
	}
	return id;
}

/* rt_stack_id with the thread's caches (not re-entered on this thread). */
static uint32_t stack_id_cached(stack_tls *st, const void *frame, vs_site site, unsigned depth,
                                uint32_t epoch)
{
	uintptr_t pcs[RT_STACK_MAX];
	unsigned n;
	if (st->nvirt > 0) {
		n = capture_symbolic(st, site, pcs, depth);
		return n ? intern_pcs(st, pcs, n, 1, epoch, 1) : 0;
	}
	if (atomic_load_explicit(&g_unwind, memory_order_relaxed) != VS_UNWIND_AUTO) {
		n = capture(st, frame, pcs, depth, NULL);
		return n ? intern_pcs(st, pcs, n, 0, epoch, 1) : 0;
	}
	uint32_t id = frame ? uw_lookup(st, (uintptr_t)frame, depth, epoch) : 0;
	if (id)
		return id;
	uw_entry pin; /* filled only when the unwinder runs */
	pin.pc0 = frame ? ((const uintptr_t *)frame)[1] : 0;
	pin.frame = (uintptr_t)frame;
	pin.epoch = epoch;
	pin.depth = depth;
	pin.id = 0;
	n = capture(st, frame, pcs, depth, &pin);
	id = n ? intern_pcs(st, pcs, n, 0, epoch, !pin.id) : 0;
	if (id && pin.id) {
		pin.id = id;
		st->uw[st->uw_next++ % UW_CACHE] = pin;
	}
	return id;
}

uint32_t rt_stack_id(const void *frame, vs_site site)
{
	unsigned depth = atomic_load_explicit(&g_depth, memory_order_relaxed);
	if (__builtin_expect(depth == 0 || !RT_TRACING(), 0))
		return 0;
	pthread_once(&g_cfg_once, cfg_init);
	depth = atomic_load_explicit(&g_depth, memory_order_relaxed);
	uint32_t epoch = atomic_load_explicit(&g_epoch, memory_order_relaxed);
	stack_tls *st = &g_stk;
	if (st->busy) { /* a signal handler interrupted rt_stack_id: no cache */
		uintptr_t pcs[RT_STACK_MAX];
		unsigned n = st->nvirt ? capture_symbolic(st, site, pcs, depth)
		                       : capture(st, frame, pcs, depth, NULL);
		return n ? intern_pcs(st, pcs, n, st->nvirt > 0, epoch, 0) : 0;
	}
	st->busy = 1;
	atomic_signal_fence(memory_order_seq_cst);
	uint32_t id = stack_id_cached(st, frame, site, depth, epoch);
	atomic_signal_fence(memory_order_seq_cst);
	st->busy = 0;
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
