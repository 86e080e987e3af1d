/* SPDX-License-Identifier: MIT */
/*
 * tracer/emit.h - the runtime's event emission layer: string interning, call
 * sites, the sequence counter and dispatch to the attached sink.
 *
 * Invariants: an interned string never moves and keeps its id for the life
 * of the process (until vs_runtime_shutdown); its text reaches the sink (under
 * the intern lock) before any event that refers to it; seq is taken from one
 * atomic counter.  With no sink attached RT_TRACING() is one predictable
 * branch and nothing else happens.
 */
#ifndef VS_TRACER_EMIT_H
#define VS_TRACER_EMIT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "vs/event.h"
#include "vs/sink.h"
#include "vs/vs.h"

/* An interned string: compare by pointer, get its id with rt_str_id(). */
typedef const char *rt_istr;

typedef struct rt_str {
	uint32_t id;
	uint32_t len;
	uint64_t hash;
	_Atomic uint32_t slash_id; /* id of text + "/" once asked (rt_str_slash_id) */
	char text[];
} rt_str;

/* Bumped when the interned strings are freed (rt_emit_shutdown): ids
 * cached outside the strings themselves are valid only within an epoch. */
extern _Atomic uint32_t rt_intern_epoch;

/* The id of s + "/" (s non-empty), interned once and cached on s; 0 when
 * out of memory. */
uint32_t rt_str_slash_id(rt_istr s);

/* Interns len bytes of s; NULL on allocation failure. */
rt_istr rt_intern(const char *s, size_t len);
/* The interned empty string (cached). */
rt_istr rt_empty(void);

/* Interns a NUL-terminated string; NULL for NULL (or allocation failure). */
rt_istr rt_intern_cstr(const char *s);
/* Nonzero when interning s ran out of memory: s was given, r is NULL. */
static inline int rt_intern_failed(const char *s, rt_istr r) { return s && !r; }

/* The id of an interned string (0 for NULL). */
static inline uint32_t rt_str_id(rt_istr s)
{
	return s ? ((const rt_str *)(const void *)(s - offsetof(rt_str, text)))->id : 0;
}

/* Interns for an event payload only: 0 when tracing is off. */
uint32_t rt_str_id_cstr(const char *s);

extern _Atomic(const vs_sink_ops *) rt_global_sink_ops;

#define RT_TRACING() \
	__builtin_expect(atomic_load_explicit(&rt_global_sink_ops, memory_order_acquire) != NULL, 0)

/*
 * The site id of s called through the current call stack (registering the
 * pair and emitting VS_EV_SITE once; the stack's STACK/MODULE events come
 * first, tracer/stack.h); 0 when off.  Call it in the public `_at` entry
 * itself (or in a helper inlined into it): frame is that function's own
 * frame, whose return address is the user's call.
 */
uint32_t rt_site_id_fp(vs_site s, const void *frame);
#define rt_site_id(s) rt_site_id_fp((s), __builtin_frame_address(0))
/* The site id of s with no stack (symbolic frames name their places so). */
uint32_t rt_site_plain(vs_site s);

/* Emits a bookkeeping event (MODULE, STACK: no site, no graph) to ops (NULL:
 * the attached sink) from the calling thread. */
void rt_emit_meta(const vs_sink_ops *ops, unsigned kind, const uint32_t *p);

/* Emits one event (p: 8 payload words).  Call only under RT_TRACING(). */
void rt_emit_(unsigned kind, unsigned flags, uint32_t site, const uint32_t *p);

/*
 * RT_EMIT(VS_EV_GETVAR_EXIT, flags, site, .getvar_exit = {.full_name = ...,
 * .outcome = ...}): the payload is a vs_ev_payload initializer naming the
 * kind's member (vs/event.h), so every word is written by name.
 */
#define RT_EMIT(kind, flags, site, ...)                                                          \
	do {                                                                                     \
		if (RT_TRACING())                                                                \
			rt_emit_((kind), (flags), (site), (const vs_ev_payload){__VA_ARGS__}.p); \
	} while (0)

/* Emits THREAD_END for the calling thread and tells the sink (thread exit). */
void rt_emit_thread_end(uint32_t tid, int started);

/* Fresh object id for a counter (per-kind counters, never reused). */
uint32_t rt_id_next(_Atomic uint32_t *counter);

/* Emits THREAD_START for the calling thread now if it has not yet. */
void rt_emit_thread_start(void);

/* The three moments of a fork, as pthread_atfork calls them: before it in
 * the forking thread, then after it in the parent and in the child. */
typedef enum rt_fork_phase {
	RT_FORK_PREPARE, /* take the locks (in lock order) */
	RT_FORK_PARENT,  /* release them */
	RT_FORK_CHILD    /* re-initialise them: their owners do not exist here */
} rt_fork_phase;

/* Registers the fork handlers (idempotent; called on first use). */
void rt_emit_init_once(void);
/* Fork handling of the emission locks (attach, site, intern, in that order):
 * PREPARE locks, PARENT unlocks, CHILD re-initialises them, tells the sink
 * and emits the child's PROCESS_START.  Called only by rt_fork_*. */
void rt_emit_atfork(rt_fork_phase phase);

/* Frees the intern table and site registry, detaching the sink first. */
void rt_emit_shutdown(void);

/* Sink generation: bumped on each attach and in a fork child; a thread emits
 * THREAD_START when its recorded generation differs. */
uint32_t rt_emit_generation(void);

#endif
