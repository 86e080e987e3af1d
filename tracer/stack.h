/* SPDX-License-Identifier: MIT */
/*
 * tracer/stack.h - call stacks: the caller's return addresses captured once
 * per public libvs call, interned per process, and the table of loaded
 * modules (executable, shared libraries) that lets a reader resolve them
 * later from files on disk (store/symbolize.c).
 *
 * Capture walks frame pointers from the public entry's own frame (its
 * return address is the user's call: libvs's frames are never part of a
 * stack).  Every frame is validated: the frame pointer lies inside the
 * calling thread's stack, is 8-aligned and strictly increasing, and the
 * return address lies inside an executable segment of a known module.  When
 * the walk breaks somewhere other than the process's or thread's entry (a
 * function built without frame pointers) the capture falls back to libgcc's
 * DWARF CFI unwinder (_Unwind_Backtrace, as glibc's backtrace()), which is
 * correct but costs microseconds; in auto mode its result is cached per
 * thread, keyed by the return address and stack pointer of the call into
 * libvs and pinned by the stack words that hold each return address (and
 * frame pointer values where a frame hangs on one), so a loop calling the
 * same code unwinds once (docs/recording.md, "Call stacks").
 * VSTRACE_STACK_UNWIND=fp|unwind forces one method (unwind: never cached).
 *
 * Interning: a stack is a chain of nodes (return address, caller node); a
 * node is emitted once per process as VS_EV_STACK, its module once as
 * VS_EV_MODULE before it.  A thread-local cache maps a captured address
 * list to its node id, so a loop calling the same code costs one walk, a
 * hash and a compare per call.
 *
 * Locking: g_stack_mu (tracer/stack.c) sits between g_site_mu and
 * g_intern_mu in the runtime's lock order (tracer/rt.h); it is taken only on
 * a cache miss, a module rescan, attach replay and fork.
 */
#ifndef VS_TRACER_STACK_H
#define VS_TRACER_STACK_H

#include <stdint.h>

#include "vs/sink.h"

/* Deepest stack a capture keeps (VSTRACE_STACK_DEPTH's upper bound). */
#define RT_STACK_MAX 64
/* Default depth. */
#define RT_STACK_DEFAULT_DEPTH 16

/*
 * The stack id (top node) of the caller of the public libvs function whose
 * frame is `frame` (its __builtin_frame_address(0)), called at site; 0 when
 * stacks are off, tracing is off, or nothing valid was found.  With
 * symbolic frames pushed on this thread, the stack is site followed by
 * them.  Emits MODULE / STACK events for what the sink has not seen.
 */
uint32_t rt_stack_id(const void *frame, vs_site site);

/*
 * Captures up to max return addresses starting at the caller of the
 * function whose frame is frame (fp walk, with the fallback described
 * above); returns how many.  Exposed for tests and the benchmark.
 */
unsigned rt_stack_capture(const void *frame, uintptr_t *pcs, unsigned max);

/* How many times the CFI unwinder has run in this process (tests). */
unsigned long rt_stack_unwinds(void);

/* Sends every module and stack node to ops (attach replay); the caller
 * holds g_stack_mu (rt_stack_lock). */
void rt_stack_replay(const vs_sink_ops *ops);

/* g_stack_mu for attach and fork: 1 lock, 0 unlock, 2 re-initialise (fork
 * child). */
void rt_stack_lock(int how);

/* Frees the node and module tables and invalidates every thread's cache. */
void rt_stack_shutdown(void);

#endif
