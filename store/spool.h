/* SPDX-License-Identifier: MIT */
/*
 * store/spool.h - the recording spool: what the recorder writes while the
 * traced program runs, and the converter that turns it into a SQLite trace.
 *
 * The recorder never does SQLite work while it holds ring slots: it copies
 * published ring records into append-only spool files (buffered, written
 * with plain write(2)), frees the slots once the bytes are in the file, and
 * the converter loads the spool into the trace when the program has ended
 * (or, after a crash of the recorder, `vstrace recover`).
 *
 * A spool is a directory "NAME.spool-XXXXXX" next to the output NAME (in
 * sight: a spool left behind is a recording to recover):
 *   run.spool       META records (program, argv, mode, output, ...),
 *                   INCOMPLETE records (why events are missing), END
 *                   (the recorder finished normally);
 *   proc-N.spool    one per traced process, N = its trace process number
 *                   (1, 2, ... in registration order, parents first):
 *                   PROC_BEGIN, then STRING / EVENTS / LOST records in the
 *                   order the recorder drained them, then PROC_END.
 *
 * File: a 16-byte header ("VSSPOOL1", u32 version, u32 event size), then
 * records: u32 type, u32 length, length bytes of payload, zero padding to a
 * multiple of 8.  An EVENTS record is n raw 64-byte vs_event records (the
 * ring slots as the program wrote them).  Invariant: a record is written
 * whole by one write(2) of the buffer or not at all, except when the
 * recorder dies inside that call; a reader stops at the first incomplete
 * record and reports the file as torn.  Nothing in a spool is trusted by
 * the reader: lengths and counts are checked against the file.
 */
#ifndef VS_STORE_SPOOL_H
#define VS_STORE_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "vs/error.h"
#include "vs/event.h"

#define VS_SPOOL_VERSION 1
#define VS_SPOOL_RUN_NAME "run.spool"
#define VS_SPOOL_PROC_FMT "proc-%u.spool"
#define VS_SPOOL_DIR_TAG ".spool-"  /* "NAME.spool-XXXXXX" */
#define VS_SPOOL_BUF (256u * 1024u) /* writer buffer = largest record */

enum vs_spool_type {
	VS_SPOOL_META = 1,       /* key NUL value (no NUL at the end) */
	VS_SPOOL_PROC_BEGIN = 2, /* struct vs_spool_proc */
	VS_SPOOL_STRING = 3,     /* u32 id, then the text */
	VS_SPOOL_EVENTS = 4,     /* n * sizeof(vs_event) */
	VS_SPOOL_LOST = 5,       /* struct vs_spool_lost */
	VS_SPOOL_PROC_END = 6,   /* struct vs_spool_end */
	VS_SPOOL_INCOMPLETE = 7, /* u64 events dropped (UINT64_MAX unknown), cause text */
	VS_SPOOL_END = 8         /* empty: the recording finished normally */
};

struct vs_spool_proc {
	uint32_t proc, parent_proc;
	int64_t pid, ppid;
	uint64_t fork_seq;
};
struct vs_spool_lost {
	uint32_t tid, pad;
	uint64_t n, after_seq;
};
struct vs_spool_end {
	int32_t exit_code, signal;
	uint32_t truncated, pad;
};

/* ------------------------------------------------------------- writer */

typedef struct vs_spool vs_spool;

/*
 * Creates the spool file path (it must not exist) and writes its header.
 * Records are buffered (VS_SPOOL_BUF) and reach the file on
 * vs_spool_flush, when the buffer is full, and on close.  After a failed
 * write every later call fails with the same error (sticky), so a caller
 * may check only the flushes.
 */
int vs_spool_create(vs_spool **out, const char *path, vs_error *err);
int vs_spool_meta(vs_spool *s, const char *key, const char *value, vs_error *err);
int vs_spool_proc_begin(vs_spool *s, const struct vs_spool_proc *p, vs_error *err);
int vs_spool_string(vs_spool *s, uint32_t id, const char *str, uint32_t len, vs_error *err);
/* Consecutive events share one EVENTS record. */
int vs_spool_event(vs_spool *s, const vs_event *ev, vs_error *err);
/* n events at once (the same records as n vs_spool_event calls); *taken
 * receives how many were buffered, also on failure */
int vs_spool_events(vs_spool *s, const vs_event *evs, size_t n, size_t *taken, vs_error *err);
int vs_spool_lost(vs_spool *s, uint32_t tid, uint64_t n, uint64_t after_seq, vs_error *err);
int vs_spool_proc_end(vs_spool *s, int exit_code, int signal, int truncated, vs_error *err);
int vs_spool_incomplete(vs_spool *s, uint64_t dropped, const char *cause, vs_error *err);
int vs_spool_end(vs_spool *s, vs_error *err);
/* Writes the buffer to the file: 0 once every record so far is in it. */
int vs_spool_flush(vs_spool *s, vs_error *err);
/* The buffered events, in order, with lost = 1 for those not (wholly) in
 * the file: after a failed flush, those of the records the failure cut or
 * never wrote; else every buffered one.  Then empties the buffer. */
void vs_spool_unwritten(vs_spool *s, void (*fn)(void *ctx, const vs_event *ev, int lost),
                        void *ctx);
/* Bytes handed to the file so far (header included). */
uint64_t vs_spool_bytes(const vs_spool *s);
/* Flushes, closes and frees (s is freed on failure too). */
int vs_spool_close(vs_spool *s, vs_error *err);
/* Closes and frees without flushing (what is buffered is dropped). */
void vs_spool_discard(vs_spool *s);
/* Frees s without flushing and hands its file descriptor to the caller
 * (who closes it): what is in the file stays reachable through it even
 * after the file is unlinked. */
int vs_spool_take_fd(vs_spool *s);

/* ------------------------------------------------------------- reader */

typedef struct vs_spool_reader vs_spool_reader;

typedef struct vs_spool_rec {
	uint32_t type;    /* enum vs_spool_type (unknown types are skipped) */
	uint32_t len;     /* payload bytes */
	const void *data; /* valid until the next call */
} vs_spool_rec;

int vs_spool_reader_open(vs_spool_reader **out, const char *path, vs_error *err);
/*
 * The next whole record: 1 and *rec filled, 0 at the end of what is in
 * the file, VS_ERR_FORMAT for a record that cannot be valid (err names the
 * file and offset).  After 0, vs_spool_reader_torn tells whether the file
 * ends inside a record (the writer died while writing it).
 */
int vs_spool_reader_next(vs_spool_reader *r, vs_spool_rec *rec, vs_error *err);
int vs_spool_reader_torn(const vs_spool_reader *r);
/* The file offset of the next record. */
uint64_t vs_spool_reader_offset(const vs_spool_reader *r);
void vs_spool_reader_close(vs_spool_reader *r);

typedef struct vs_spool_summary {
	uint32_t processes;  /* processes loaded */
	uint64_t events;     /* events loaded */
	uint64_t lost;       /* events counted as lost (LOST records and drops) */
	int complete;        /* the trace was marked complete */
	int replaced_other;  /* the output was written by someone else meanwhile
	                      * (a concurrent recording): this one replaced it */
	char cause[512];     /* why not ("" when complete) */
	char ring_dir[4096]; /* the recorder's ring directory ("" unknown) */
	char output[4096];   /* vs_spooler_close: where the trace was written (not
	                      * the asked path when its directory was removed) */
} vs_spool_summary;

/* run.spool meta keys that stay out of the trace */
#define VS_SPOOL_META_RING_DIR "ring_dir" /* the recorder's ring directory */

/* ------------------------------------------------------------ spooler */

/*
 * The recorder's side: one recording's spool directory, with the trace
 * writer's shape (vs_db_writer_*), so the recorder feeds it the same calls.
 * It never blocks and never fails the traced program: when a write fails
 * (disk full, directory removed) it says so once on stderr, keeps the
 * cause, and from then on counts every event it is given as lost, per
 * thread (written into the trace as LOST rows after the last spooled event
 * of that thread).  Calls after such a failure return 0.
 */
typedef struct vs_spooler vs_spooler;

/* Creates "NAME.spool-XXXXXX" next to output (which must not exist
 * unless overwrite: "OUTPUT: file exists"). */
int vs_spooler_open(vs_spooler **out, const char *output, int overwrite, vs_error *err);
int vs_spooler_meta(vs_spooler *sp, const char *key, const char *value, vs_error *err);
int vs_spooler_process_begin(vs_spooler *sp, uint32_t *proc_out, int64_t pid, int64_t ppid,
                             uint32_t parent_proc, uint64_t fork_seq, vs_error *err);
int vs_spooler_process_end(vs_spooler *sp, uint32_t proc, int exit_code, int signal, int truncated,
                           vs_error *err);
int vs_spooler_string(vs_spooler *sp, uint32_t proc, uint32_t id, const char *s, uint32_t len,
                      vs_error *err);
int vs_spooler_event(vs_spooler *sp, uint32_t proc, const vs_event *ev, vs_error *err);
/* n events at once, as n vs_spooler_event calls */
int vs_spooler_events(vs_spooler *sp, uint32_t proc, const vs_event *evs, size_t n, vs_error *err);
int vs_spooler_lost(vs_spooler *sp, uint32_t proc, uint32_t tid, uint64_t n, uint64_t after_seq,
                    vs_error *err);
/* Everything given so far is in the files (or counted lost): ring slots
 * may be freed.  0, or <0 only for a bug (never for I/O). */
int vs_spooler_flush(vs_spooler *sp, vs_error *err);
/* The spool directory's path. */
const char *vs_spooler_dir(const vs_spooler *sp);
/* Why events are missing ("" none) and how many were counted so. */
const char *vs_spooler_cause(const vs_spooler *sp);
uint64_t vs_spooler_dropped(const vs_spooler *sp);
/*
 * Ends the recording and converts the spool into the trace (see
 * vs_spool_convert); frees sp.  On a conversion failure the spool is kept
 * and err says where it is and that `vstrace recover` converts it.
 */
int vs_spooler_close(vs_spooler *sp, vs_spool_summary *sum, vs_error *err);
/* Drops the recording: removes the spool, frees sp (no trace is made). */
void vs_spooler_abort(vs_spooler *sp);

/* ---------------------------------------------------------- converter */

enum {
	VS_SPOOL_KEEP = 1,      /* leave the spool directory in place */
	VS_SPOOL_OVERWRITE = 2, /* replace an existing output (else VS_ERR_IO) */
	VS_SPOOL_PUNCH = 4,     /* space is short: free spool bytes once they are in the trace */
	VS_SPOOL_SALVAGE = 8    /* also load what the (dead) recorder left in its rings */
};

/*
 * Loads the spool directory dir into a new trace at output (NULL: the
 * output the recorder named in run.spool).  The trace is written under a
 * unique temporary name in output's directory and renamed over output only
 * when it is finished, so output is either absent, the previous file, or a
 * whole trace; never a partial or empty one.  A spool whose recorder did
 * not finish (no END, a process without PROC_END, a torn file, an
 * INCOMPLETE record) gives a readable trace marked incomplete, with the
 * cause in meta 'incomplete_cause'.  The spool is removed afterwards unless
 * VS_SPOOL_KEEP.  *written (may be NULL) receives the path of the trace
 * (malloc'd, caller frees).
 */
int vs_spool_convert(const char *dir, const char *output, unsigned flags, vs_spool_summary *sum,
                     char **written, vs_error *err);

/* Events the recorder counted but could not spool, per thread: added to the
 * trace as LOST rows after the thread's last loaded event. */
typedef struct vs_spool_drop {
	uint32_t proc, tid;
	uint64_t n, after_seq;
} vs_spool_drop;

/* How a process ended, when its PROC_END record could not be written. */
typedef struct vs_spool_ending {
	uint32_t proc;
	int exit_code, signal, truncated;
} vs_spool_ending;

/* What the live recorder knows beyond the files. */
typedef struct vs_spool_live {
	const char *cause; /* why events are missing (NULL none) */
	const vs_spool_drop *drops;
	size_t ndrops;
	const vs_spool_ending *endings;
	size_t nendings;
} vs_spool_live;

/* vs_spool_convert with what the live recorder knows (live may be NULL). */
int vs_spool_convert_ex(const char *dir, const char *output, unsigned flags,
                        const vs_spool_live *live, vs_spool_summary *sum, char **written,
                        vs_error *err);

/*
 * `vstrace recover PATH`: PATH is a spool directory, or a trace path whose
 * spool directories ("NAME.spool-*" next to it) are converted in turn
 * (the last one written wins, as with concurrent recordings).  VS_ERR_NOT_FOUND
 * when there is nothing to recover.
 */
int vs_spool_recover(const char *path, const char *output, vs_spool_summary *sum, char **written,
                     vs_error *err);

/* Removes a spool directory and the files in it (best effort). */
void vs_spool_remove_dir(const char *dir);

#endif /* VS_STORE_SPOOL_H */
