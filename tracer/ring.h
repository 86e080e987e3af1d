/* SPDX-License-Identifier: MIT */
/*
 * tracer/ring.h - the shared-memory transport between a traced process
 * (producer: the ring sink, attached to libvs) and the recorder (consumer:
 * store/recorder.c).
 *
 * One segment file per process in a shared-memory directory (VSTRACE_SHM):
 * a header, one string ring and up to VS_RING_MAX_THREADS event rings of
 * 64-byte slots, each single-producer/single-consumer.  Invariant: a slot's
 * commit word equals its lap number only once the slot is completely
 * written (release), so the consumer can read every written slot of a dead
 * producer even when the producer never published it.  Layout and protocol:
 * docs/recording.md.
 */
#ifndef VS_TRACER_RING_H
#define VS_TRACER_RING_H

#include <stddef.h>
#include <stdint.h>

#include "vs/error.h"
#include "vs/event.h"
#include "vs/sink.h"

#define VS_RING_VERSION 2
#define VS_RING_SLOT 64              /* bytes per slot = sizeof(vs_event) */
#define VS_RING_MAX_THREADS 256      /* event rings per process segment */
#define VS_RING_DEFAULT_SLOTS 65536u /* per thread ring (4 MiB; backed when a thread claims it) */
#define VS_RING_MIN_SLOTS 4u
#define VS_RING_MAX_SLOTS (1u << 20) /* 64 MiB per ring */
#define VS_RING_STR_SLOTS 16384u     /* the string ring (1 MiB) */

/* segment file names inside the shared-memory directory */
#define VS_RING_SEG_PREFIX "seg-"
#define VS_RING_SEG_SUFFIX ".ring"
/* the recorder holds an exclusive flock on this file while it lives */
#define VS_RING_LOCK_NAME "recorder.lock"

/* Environment (set by `vstrace record` and by the VSTRACE_OUTPUT drain). */
#define VS_ENV_SHM "VSTRACE_SHM"       /* shared-memory directory */
#define VS_ENV_MODE "VSTRACE_MODE"     /* block | discard */
#define VS_ENV_BUFFER "VSTRACE_BUFFER" /* slots per thread ring */
#define VS_ENV_OUTPUT "VSTRACE_OUTPUT" /* trace file: in-process drain */
#define VS_ENV_BIN "VSTRACE_BIN"       /* the vstrace binary for the drain */

/* ----------------------------------------------------------- producer */

typedef struct vs_ring_sink vs_ring_sink;

typedef struct vs_ring_config {
	const char *dir; /* shared-memory directory (must exist) */
	uint32_t slots;  /* per thread ring; rounded up to a power of two */
	int discard;     /* nonzero: drop and count when a ring is full */
} vs_ring_config;

/*
 * Creates this process's segment in cfg->dir (holding its liveness lock)
 * and a sink writing to it.  Attach with vs_trace_attach(vs_ring_sink_ops(),
 * sink, err); the sink's close op frees it.  A sink never attached is freed
 * with vs_ring_sink_free.
 */
int vs_ring_sink_open(vs_ring_sink **out, const vs_ring_config *cfg, vs_error *err);
void vs_ring_sink_free(vs_ring_sink *s);
const vs_sink_ops *vs_ring_sink_ops(void);

/*
 * The process is exiting on the calling thread with status (-1 unknown):
 * publishes its ring and the string ring, marks that ring finished (further
 * events still land in it) and the segment closed.  Used by the exit hook
 * (tracer/autotrace.c) and by the sink's close op.
 */
void vs_ring_sink_exiting(vs_ring_sink *s, int status);

/* *ref is set to NULL when the sink is closed (detached or replaced) */
void vs_ring_sink_set_owner(vs_ring_sink *s, vs_ring_sink **ref);

/*
 * A lingering sink is not freed by its close op (vs_runtime_shutdown,
 * vs_trace_attach of another sink): close publishes every ring and marks
 * the threads finished, but the segment stays open until its owner calls
 * vs_ring_sink_exiting with the real exit status and then
 * vs_ring_sink_free.  The VSTRACE_OUTPUT exit hook uses it, so that a
 * program that shuts the runtime down before exit still gets its exit
 * status recorded and its drain waited for.
 */
void vs_ring_sink_set_linger(vs_ring_sink *s, int linger);

/* Told each candidate name of a ring directory before it is made (so that
 * a recorder killed right after still knows what to clean up); a negative
 * return stops the creation. */
typedef struct vs_ring_dir_announce {
	int (*fn)(void *ctx, const char *dir);
	void *ctx;
} vs_ring_dir_announce;

/*
 * Makes a private ring directory (mode 0700, with the recorder lock file)
 * for rings of `slots` slots: under /dev/shm when it has room for the
 * string ring and a few thread rings, else (one warning line on stderr)
 * under fallback_dir (the output's directory: file-backed rings), else
 * under $TMPDIR or /tmp.  out receives the path; an (may be NULL) hears
 * of every candidate name first.
 */
int vs_ring_dir_create(char *out, size_t cap, uint32_t slots, const char *fallback_dir,
                       const vs_ring_dir_announce *an, vs_error *err);

/*
 * Checks that dir is a ring directory a live recorder made for this user:
 * a real directory owned by us, not accessible to others, whose recorder
 * lock is held.  0, or VS_ERR_INVALID with the reason in err.
 */
int vs_ring_dir_check(const char *dir, vs_error *err);

/* the segment file's path (valid while s lives) */
const char *vs_ring_sink_path(const vs_ring_sink *s);

/* Anchor that pulls tracer/autotrace.o (the environment constructor) into
 * every program linked with libvs.a; referenced by the runtime. */
extern const char vs_autotrace_anchor;

/* ----------------------------------------------------------- consumer */

typedef struct vs_ring_reader vs_ring_reader;

/* callbacks of vs_ring_reader_drain; a negative return stops the drain */
typedef struct vs_ring_visitor {
	void *ctx;
	int (*string)(void *ctx, uint32_t id, const char *s, uint32_t len);
	int (*event)(void *ctx, const vs_event *ev);
	/* n events of thread tid were lost right after seq after_seq */
	int (*lost)(void *ctx, uint32_t tid, uint64_t n, uint64_t after_seq);
	/* optional: make everything delivered so far durable; called before
	 * the slots it came from are freed (the producer may then overwrite
	 * them), so a consumer that spools records loses none if it dies */
	int (*commit)(void *ctx);
	/* optional: n consecutive events of one ring at once (never LOST
	 * records), pointing into the ring: valid only during the call.  When
	 * set, event is not called (a consumer that copies in bulk saves a
	 * call and a copy per event) */
	int (*events)(void *ctx, const vs_event *evs, size_t n);
} vs_ring_visitor;

typedef struct vs_ring_stats {
	uint64_t events;    /* event records delivered */
	uint64_t strings;   /* string records delivered */
	uint64_t lost;      /* events reported lost (drops, torn slots) */
	uint64_t recovered; /* committed but unpublished slots read at the end */
	uint32_t torn;      /* slots found half-written after the producer died */
	uint32_t truncated; /* threads that had not finished at the end */
} vs_ring_stats;

/*
 * Maps the segment file at path.  VS_ERR_FORMAT when it is not a valid
 * segment of this version.  Caller closes with vs_ring_reader_close.
 */
int vs_ring_reader_open(vs_ring_reader **out, const char *path, vs_error *err);
void vs_ring_reader_close(vs_ring_reader *r);

/* the producer's pid, its parent's pid, and the pid of the traced process
 * it was forked from (0 when it was not started by a fork) */
int64_t vs_ring_reader_pid(const vs_ring_reader *r);
int64_t vs_ring_reader_ppid(const vs_ring_reader *r);
int64_t vs_ring_reader_fork_parent(const vs_ring_reader *r);

/* the producer's ring geometry and mode: slots per thread ring, discard */
uint32_t vs_ring_reader_slots(const vs_ring_reader *r);
int vs_ring_reader_discard(const vs_ring_reader *r);

/* 1 while some process holds the segment (the producer lives), else 0 */
int vs_ring_reader_alive(const vs_ring_reader *r);
/* 1 once the producer marked the segment closed (exit hook or detach) */
int vs_ring_reader_closed(const vs_ring_reader *r);

/* 1 and *status set when the producer recorded its exit status */
int vs_ring_reader_exit_status(const vs_ring_reader *r, int *status);

/*
 * The first event of the first thread ring without consuming it (the fork
 * child's PROCESS_START): 1 and *ev filled, 0 when not written yet.
 */
int vs_ring_reader_peek_first(const vs_ring_reader *r, vs_event *ev);

/*
 * Delivers everything published so far: strings first, then each thread
 * ring in order.  final: the producer is gone or closed; also delivers the
 * committed slots it never published, reports torn slots and unreported
 * drops as lost, and counts unfinished threads.  Returns the number of
 * records delivered, or the visitor's negative code (err set by it) /
 * VS_ERR_FORMAT for a corrupt record.
 */
long vs_ring_reader_drain(vs_ring_reader *r, int final, const vs_ring_visitor *v, vs_error *err);
/* totals so far */
void vs_ring_reader_stats(const vs_ring_reader *r, vs_ring_stats *out);

#endif /* VS_TRACER_RING_H */
