/* SPDX-License-Identifier: MIT */
/*
 * store/db.h - the SQLite trace file: one file per recorded run.
 *
 * Writer: the recorder (vstrace parent, or the in-process drain) feeds it
 * processes, strings and events in any interleaving; it loads them with
 * prepared statements inside large transactions, commits periodically so a
 * crash of the recorder itself still leaves a valid (incomplete-marked)
 * trace, and builds indexes after the load.  Reader: validates the file
 * (application_id, user_version, required tables) before anything else and
 * streams events in order without loading the trace whole.
 *
 * Identity: "proc" is the trace-local process number (1, 2, ...), assigned
 * by vs_db_writer_process_begin; string, site and object ids are scoped by
 * proc (a fork child inherits its parent's ids below its fork point).
 *
 * Format constants and the public SQL interface (views) live in
 * store/schema.c and are documented in docs/schema.md.
 */
#ifndef VS_STORE_DB_H
#define VS_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "vs/error.h"
#include "vs/event.h"

typedef struct vs_db_writer vs_db_writer;
typedef struct vs_db_reader vs_db_reader;

/* ------------------------------------------------------------- writer */

/*
 * Creates a new trace at path.  An existing file is replaced only when
 * overwrite is nonzero (else VS_ERR_IO "... exists").  Caller closes with
 * vs_db_writer_close (keep) or vs_db_writer_abort (delete the file).
 */
int vs_db_writer_open(vs_db_writer **out, const char *path, int overwrite, vs_error *err);

/* Free-form run metadata (program, argv joined, start time, ...). */
int vs_db_writer_meta(vs_db_writer *w, const char *key, const char *value, vs_error *err);

/*
 * Registers a traced process.  parent_proc/fork_seq: for a fork child, the
 * parent's proc and the parent's last seq before the fork (else 0, 0).
 */
int vs_db_writer_process_begin(vs_db_writer *w, uint32_t *proc_out, int64_t pid, int64_t ppid,
                               uint32_t parent_proc, uint64_t fork_seq, vs_error *err);
/* How the process ended: exit code, or the signal that killed it (0 none);
 * truncated: some thread did not finish its events. */
int vs_db_writer_process_end(vs_db_writer *w, uint32_t proc, int exit_code, int signal,
                             int truncated, vs_error *err);

int vs_db_writer_string(vs_db_writer *w, uint32_t proc, uint32_t id, const char *s, uint32_t len,
                        vs_error *err);
int vs_db_writer_event(vs_db_writer *w, uint32_t proc, const vs_event *ev, vs_error *err);
/* n events of thread tid were dropped (discard mode) right after seq. */
int vs_db_writer_lost(vs_db_writer *w, uint32_t proc, uint32_t tid, uint64_t n, uint64_t after_seq,
                      vs_error *err);

/* Commits what was written so far (durable); the writer stays open. */
int vs_db_writer_commit(vs_db_writer *w, vs_error *err);
/* Finishes: commits, builds indexes, marks the trace complete, closes, frees.
 * On failure w is freed all the same and the file keeps the last
 * commit, marked incomplete, like the trace of a killed recorder. */
int vs_db_writer_close(vs_db_writer *w, vs_error *err);
/* Rolls back, closes, frees and deletes the file (no half-written trace). */
void vs_db_writer_abort(vs_db_writer *w);
/* (capture) Close will mark the trace incomplete (meta complete = '0')
 * and record why in meta 'incomplete_cause' (shown by `vstrace info`);
 * everything loaded stays queryable, derived tables included. */
int vs_db_writer_incomplete(vs_db_writer *w, const char *cause, vs_error *err);
/* (capture) No rollback journal from now on, and events inserted in
 * groups: for a trace built from a durable source (the spool) under a
 * temporary name, where a crash loses nothing that cannot be rebuilt.
 * Faster; a killed writer leaves a file nobody should read (the converter
 * never renames it into place), and a duplicate event is reported by the
 * call that writes its group (a later vs_db_writer_event, a commit or the
 * close) rather than by its own. */
int vs_db_writer_bulk(vs_db_writer *w, vs_error *err);
/* (capture) Deletes a trace file and its rollback journal, if any. */
void vs_db_writer_unlink(const char *path);

/* ------------------------------------------------------------- reader */

/*
 * Opens an existing trace read-only.  A missing file, a file that is not a
 * vstrace trace (foreign SQLite or not SQLite), a corrupt one, one of a
 * newer format version, or one whose schema holds objects vstrace does not
 * create (VS_ERR_FORMAT "... refused: ...") fails with one clear message
 * naming the path (quoted, 'like/this').  The connection is defensive: no
 * triggers, no untrusted functions, no extensions (docs/reliability.md).
 * Every event the cursor returns has been range-checked once (a bad field
 * is VS_ERR_FORMAT "corrupt trace (event P:S has ...)").
 * A rollback journal left by a killed recorder is rolled back
 * first, which is the only write a reader ever does; the trace then holds
 * the recorder's last commit.
 */
int vs_db_reader_open(vs_db_reader **out, const char *path, vs_error *err);
void vs_db_reader_close(vs_db_reader *r);

/* The underlying connection (read-only), for `vstrace query`. */
struct sqlite3 *vs_db_reader_sqlite(vs_db_reader *r);

/* The path the reader was opened with; valid until close. */
const char *vs_db_reader_path(vs_db_reader *r);
/* 1 when the writer closed the trace normally, 0 when the
 * recording stopped early (recorder killed): the raw events are all there,
 * the derived tables (scopes, variables) are empty. */
int vs_db_reader_complete(vs_db_reader *r);
/* A meta value (e.g. "program", "argv"), NULL if absent;
 * valid until the reader is closed. */
const char *vs_db_reader_meta(vs_db_reader *r, const char *key);

typedef struct vs_db_process {
	uint32_t proc;
	int64_t pid, ppid;
	uint32_t parent_proc;
	uint64_t fork_seq;
	int exit_code, signal, truncated;
	uint64_t lost; /* events lost in this process */
} vs_db_process;

/* Number of processes, and process i (0-based, in proc order). */
uint32_t vs_db_reader_process_count(vs_db_reader *r);
int vs_db_reader_process(vs_db_reader *r, uint32_t i, vs_db_process *out, vs_error *err);

/*
 * Event cursor over process proc, in seq order, seq <= max_seq (0 = all).
 * next: 1 with *ev filled, 0 at the end, <0 on error.  Streaming: memory
 * does not grow with the trace.  Each vs_db_writer_lost record comes out
 * as a VS_EV_LOST event right after event after_seq: seq = after_seq,
 * ts_ns = that event's, tid = the thread that lost them, lost.count_lo/hi
 * = count.
 */
typedef struct vs_db_cursor vs_db_cursor;
int vs_db_cursor_open(vs_db_reader *r, vs_db_cursor **out, uint32_t proc, uint64_t max_seq,
                      vs_error *err);
int vs_db_cursor_next(vs_db_cursor *c, vs_event *ev, vs_error *err);
void vs_db_cursor_close(vs_db_cursor *c);

/* Text of string id in proc (following fork parents), NULL if unknown.
 * Valid until the reader is closed. */
const char *vs_db_reader_string(vs_db_reader *r, uint32_t proc, uint32_t id);

/*
 * Call site id of proc, following fork parents: *file and
 * *function are texts valid until the reader is closed (NULL if unknown),
 * *line the line.  0 when the site is known, VS_ERR_NOT_FOUND otherwise.
 */
int vs_db_reader_site(vs_db_reader *r, uint32_t proc, uint32_t site, const char **file, int *line,
                      const char **function);

/* Findings write-back (vscheck --write-findings): replaces earlier rows. */
typedef struct vs_db_finding {
	const char *code, *name, *severity, *message, *file, *function, *scope;
	int line;
	uint32_t proc, tid;
	uint64_t seq;
	uint32_t stack; /* the call stack (stacks view) of the event, 0 none */
} vs_db_finding;
int vs_db_findings_write(const char *path, const vs_db_finding *f, size_t n, vs_error *err);

#endif /* VS_STORE_DB_H */
