/* SPDX-License-Identifier: MIT */
/*
 * store/recorder.h - the consumer side of recording: drains the shared-memory
 * rings that libvs processes write (tracer/ring.h) into a spool
 * (store/spool.h), converted into a SQLite trace (store/db.h) at the end.
 *
 * Invariant: every slot a producer committed before it died reaches the
 * spool; a process is closed in the trace (exit code or signal, truncated
 * flag, lost count) only after its segment is dead or closed and its rings
 * are drained to the last committed slot.  See docs/recording.md.
 */
#ifndef VS_STORE_RECORDER_H
#define VS_STORE_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "vs/error.h"

typedef struct vs_recorder vs_recorder;

/* backpressure when a thread's ring is full */
typedef enum vs_recorder_mode {
	VS_RECORDER_BLOCK = 0,  /* the producer waits; nothing is lost */
	VS_RECORDER_DISCARD = 1 /* the event is dropped and counted (VS_EV_LOST) */
} vs_recorder_mode;

typedef struct vs_recorder_opts {
	const char *output; /* trace file to create */
	int overwrite;      /* replace an existing output file */
	vs_recorder_mode mode;
	uint32_t ring_slots;     /* 64-byte slots per thread ring; 0 = default */
	int no_stacks;           /* PROG records no call stacks (VSTRACE_STACKS=0) */
	const char *python_path; /* put first on PROG's PYTHONPATH (the vstrace
	                          * package's directory); NULL: leave it */
} vs_recorder_opts;

/* Result of a recorded run. */
typedef struct vs_recorder_result {
	int exit_code;      /* PROG's exit code (0..255), -1 if killed */
	int signal;         /* signal that killed PROG, 0 if it exited */
	uint32_t processes; /* processes seen (PROG and its fork children) */
	uint64_t events;    /* events written to the trace */
	uint64_t lost;      /* events dropped (discard mode) */
	uint64_t recovered; /* committed but unpublished slots read after death */
	uint32_t truncated; /* threads that did not finish */
	int complete;       /* the trace is complete (else cause says why) */
	int replaced_other; /* a concurrent recording had written the output */
	char cause[512];
	char output[4096]; /* where the trace is: the asked path, or another one
	                    * when its directory was removed during the recording */
} vs_recorder_result;

/*
 * `vstrace record`: runs argv[0] (searched in PATH) with argv, the ring
 * environment (VSTRACE_SHM, VSTRACE_MODE, VSTRACE_BUFFER) added, drains its
 * rings and those of its fork children into opts->output until all of them
 * are gone, and fills *res.  The trace is complete (closed) on success, even
 * when PROG died by a signal.  On failure (output not creatable, PROG not
 * executable, ...) no trace file is left behind; VS_ERR_NOT_FOUND means
 * PROG could not be executed (err names it).  SIGINT/SIGTERM/SIGHUP sent to
 * the recorder are forwarded to PROG.
 */
int vs_recorder_record(const vs_recorder_opts *opts, char *const argv[], vs_recorder_result *res,
                       vs_error *err);

/*
 * The drain behind VSTRACE_OUTPUT (`vstrace record --drain DIR`): drains the
 * segments that appear in the shared-memory directory shm_dir into
 * opts->output until every segment is closed or dead and none is left, then
 * removes shm_dir.  When done_fd >= 0, "R" is written to it once the trace
 * file is created, and it is closed once the trace is complete (the traced
 * process waits on it at exit); on failure it is left open so that the
 * caller can report the error before the traced process goes on.
 */
int vs_recorder_drain_dir(const vs_recorder_opts *opts, const char *shm_dir, int done_fd,
                          vs_recorder_result *res, vs_error *err);

/*
 * In-process recorder (`vstrace run`): creates the trace at path (replacing
 * it), attaches a ring sink to this very process (vs_trace_attach) and
 * drains it on a background thread.  Caller stops with vs_recorder_stop_self,
 * which also frees *out.  Only one may run at a time.
 */
int vs_recorder_start_self(vs_recorder **out, const char *path, vs_error *err);

/*
 * Detaches the sink (tracing off), drains everything that was emitted,
 * records this process as ended with exit_code, closes the trace and frees
 * rec (also on failure; then the trace file is removed).  Call after every
 * emitting thread has finished.
 */
int vs_recorder_stop_self(vs_recorder *rec, int exit_code, vs_error *err);

#endif /* VS_STORE_RECORDER_H */
