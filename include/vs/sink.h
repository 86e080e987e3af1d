/* SPDX-License-Identifier: MIT */
/*
 * vs/sink.h - where libvs's events go.
 *
 * The runtime emits every event through one internal interface that ends in
 * the process's single active sink.  With no sink attached, tracing is off
 * and each instrumented call costs one predictable branch.
 *
 * Sinks: the shared-memory ring sink that `vstrace record` sets up through
 * the environment (tracer/ring.c), the in-process drain used when
 * VSTRACE_OUTPUT names a trace file, and the in-memory sink below that
 * tests and `vstrace run` use.
 *
 * Ordering contract: ops->string(id) is called (under the intern lock)
 * before any ops->event that refers to id; ops->event runs on the emitting
 * thread and must not call back into libvs.
 */
#ifndef VS_SINK_H
#define VS_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "vs/error.h"
#include "vs/event.h"
#include "vs/vs.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vs_sink_ops {
	/* a newly interned string; s is not NUL-terminated past len */
	int (*string)(void *ctx, uint32_t id, const char *s, uint32_t len);
	/* one event; may block (backpressure) but must not fail loudly */
	void (*event)(void *ctx, const vs_event *ev);
	/* the calling thread is about to stop emitting (thread exit): publish */
	void (*thread_end)(void *ctx, uint32_t tid);
	/* make everything emitted so far durable / visible */
	void (*flush)(void *ctx);
	/* in a fork child, before it emits anything (may be NULL) */
	void (*fork_child)(void *ctx);
	/* detach: flush and release; ctx is not used afterwards */
	void (*close)(void *ctx);
} vs_sink_ops;

/*
 * Makes ops/ctx the process's sink (ops NULL turns tracing off).  The old
 * sink is flushed and closed.  Every string interned so far is replayed to
 * the new sink's ops->string first, so a late sink still resolves ids.
 */
VS_API int vs_trace_attach(const vs_sink_ops *ops, void *ctx, vs_error *err);

/* Nonzero while a sink is attached. */
VS_API int vs_trace_enabled(void);

/* Flushes the attached sink (no-op when off). */
VS_API void vs_trace_flush(void);

/*
 * Interns s (len bytes) and returns its id (>= 1); the same text always gets
 * the same id within a process.  0 on allocation failure.  The text is sent
 * to the sink on first use.
 */
VS_API uint32_t vs_trace_intern(const char *s, size_t len);

/* the text of an interned id, NULL if unknown; valid for the process life */
VS_API const char *vs_trace_string(uint32_t id);

/*
 * Call stacks (docs/recording.md, "Call stacks").  Every public libvs call
 * records its caller's stack, up to depth frames (0 = off), as the stack of
 * its call site.  Defaults come from the environment at first use:
 * VSTRACE_STACKS=0 turns capture off, VSTRACE_STACK_DEPTH=N (1..64, default
 * 16) sets the depth, VSTRACE_STACK_UNWIND=auto|fp|unwind the method.
 */
enum vs_stack_unwind {
	VS_UNWIND_AUTO = 0, /* frame pointers; where they break, the CFI unwinder
	                       through a per-thread cache */
	VS_UNWIND_FP = 1,   /* frame pointers only (stops where they break) */
	VS_UNWIND_CFI = 2   /* always libgcc's CFI unwinder, never cached */
};
/* Sets the depth (0..64) and method (enum vs_stack_unwind); VS_ERR_INVALID
 * otherwise.  Applies to calls made after it returns. */
VS_API int vs_trace_set_stacks(unsigned depth, int unwind, vs_error *err);
/* The current depth (0 = stacks off). */
VS_API unsigned vs_trace_stack_depth(void);

/*
 * Symbolic frames, for programs whose stack is not the machine's (YAML
 * scenarios, an interpreter binding libvs): while the calling thread has
 * pushed frames, a call's stack is its own site followed by those frames,
 * innermost (last pushed) first, instead of return addresses.  call names
 * the calling place (file, line, the function it is in; a frame with line
 * 0 only marks an entry and is not part of stacks); callee (a string that
 * outlives the frame, NULL: call.func) is the function entered, which
 * names the frames above it.  Push fails with VS_ERR_INVALID past 64
 * frames; pop without a push does nothing.
 */
VS_API int vs_trace_frame_push(vs_site call, const char *callee, vs_error *err);
VS_API void vs_trace_frame_pop(void);

/* ------------------------------------------------------------------------
 * In-memory sink: keeps every event and string; thread-safe.
 */
typedef struct vs_memsink vs_memsink;

/* A new empty memory sink (not attached).  Caller frees with vs_memsink_free. */
VS_API vs_memsink *vs_memsink_new(void);
/* Frees ms; detach it first (vs_trace_attach(NULL, ...)) if it is attached. */
VS_API void vs_memsink_free(vs_memsink *ms);
/* Attaches ms as the process's sink. */
VS_API int vs_memsink_attach(vs_memsink *ms, vs_error *err);
/* Forgets the events captured so far (strings are kept). */
VS_API void vs_memsink_clear(vs_memsink *ms);
VS_API size_t vs_memsink_count(const vs_memsink *ms);
/* event i (0-based, in emission order); valid until the next clear/free */
VS_API const vs_event *vs_memsink_at(const vs_memsink *ms, size_t i);
/* text of string id as the sink received it, NULL if unknown */
VS_API const char *vs_memsink_string(const vs_memsink *ms, uint32_t id);
/* index of the first event of kind at or after index from, or -1 */
VS_API long vs_memsink_find(const vs_memsink *ms, unsigned kind, size_t from);
/* number of events of kind */
VS_API size_t vs_memsink_count_kind(const vs_memsink *ms, unsigned kind);

#ifdef __cplusplus
}
#endif
#endif /* VS_SINK_H */
