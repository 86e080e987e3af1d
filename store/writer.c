/* SPDX-License-Identifier: MIT */
/*
 * store/writer.c - loads a recorded run into a new trace file.
 *
 * Rows go in through prepared statements inside one open transaction that
 * is committed every VS_DB_BATCH events (and on vs_db_writer_commit), so a
 * killed writer leaves a trace holding every committed batch, with meta
 * 'complete' = 0.  The helper tables (scope_tab, var_tab) are derived as
 * the events load (store/derive_stream.c); close writes the scopes still
 * open, copies fork children's inherited strings, builds the two small
 * indexes and sets 'complete' (1, or 0 after vs_db_writer_incomplete) in
 * the last transaction.  Bulk mode (the spool converter's): no journal,
 * events inserted ROWS at a time.
 * Invariant: between calls the connection is always inside the load
 * transaction (w->in_tx), except after a failed commit.
 */
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "store/derive.h"
#include "store/symbolize.h"
#include "store/schema.h"
#include "vs/internal/util.h"

#define VS_DB_BATCH 65536
#define EV_COLS 16 /* columns of ev */
#define ROWS 32    /* event rows per INSERT in bulk mode */

enum {
	ST_EVENT,
	ST_STRING,
	ST_SITE,
	ST_META,
	ST_PROC_BEGIN,
	ST_PROC_END,
	ST_LOST,
	ST_MODULE,
	ST_STACK,
	ST__COUNT
};

static const char *const stmt_sql[ST__COUNT] = {
	[ST_EVENT] = "INSERT INTO ev VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_STRING] = "INSERT OR REPLACE INTO strings VALUES(?,?,?)",
	[ST_SITE] = "INSERT OR REPLACE INTO sites VALUES(?,?,?,?,?,?)",
	[ST_META] = "INSERT OR REPLACE INTO meta VALUES(?,?)",
	[ST_PROC_BEGIN] = "INSERT INTO procs(proc, pid, ppid, parent_proc, fork_seq, exit_code,"
			  " signal, truncated, ended) VALUES(?,?,?,?,?,NULL,NULL,0,0)",
	[ST_PROC_END] = "UPDATE procs SET exit_code = ?, signal = ?, truncated = ?, ended = 1"
			" WHERE proc = ?",
	[ST_LOST] = "INSERT INTO lost VALUES(?,?,?,?)",
	[ST_MODULE] = "INSERT OR REPLACE INTO module_tab VALUES(?,?,?,?,?,?,?)",
	[ST_STACK] = "INSERT OR REPLACE INTO stack_tab VALUES(?,?,?,?,?,?)",
};

/* The variable-scope stack of one thread: string ids of full scope names. */
struct thread_state {
	uint32_t proc, tid;
	uint32_t *stack;
	size_t depth, cap;
};

struct vs_db_writer {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[ST__COUNT];
	int in_tx;
	uint32_t nprocs;
	uint64_t batch; /* events since the last commit */
	int have_base;
	uint64_t ts_base;
	struct thread_state *threads;
	size_t nthreads, cap_threads, last_thread;
	int incomplete;       /* close marks the trace incomplete */
	vs_derive_stream *ds; /* scope_tab and var_tab, filled as events load */
	/* bulk mode: event rows go in ROWS at a time (one statement keeps its
	 * cursor at the end of the table instead of seeking per row) */
	sqlite3_stmt *multi;
	int64_t (*rows)[EV_COLS];
	int nrows;
};

static int sql_fail(vs_db_writer *w, int rc, vs_error *err, const char *what)
{
	vs_db_sqlite_error(w->db, rc, err, what);
	return vs_error_prefix(err, "'%s'", w->path);
}

static int step_reset(vs_db_writer *w, sqlite3_stmt *st, vs_error *err, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return sql_fail(w, rc, err, what);
	return 0;
}

static int tx_begin(vs_db_writer *w, vs_error *err)
{
	int rc = sqlite3_exec(w->db, "BEGIN", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(w, rc, err, "begin");
	w->in_tx = 1;
	return 0;
}

static int flush_rows(vs_db_writer *w, vs_error *err);

static int tx_commit(vs_db_writer *w, vs_error *err)
{
	if (w->nrows && flush_rows(w, err) < 0)
		return err->code;
	int rc = sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(w, rc, err, "commit");
	w->in_tx = 0;
	w->batch = 0;
	return 0;
}

static void writer_free(vs_db_writer *w)
{
	for (int i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(w->st[i]);
	for (size_t i = 0; i < w->nthreads; i++)
		free(w->threads[i].stack);
	free(w->threads);
	vs_derive_stream_close(w->ds);
	sqlite3_finalize(w->multi);
	free(w->rows);
	sqlite3_close(w->db);
	free(w->path);
	free(w);
}

static void unlink_trace(const char *path)
{
	char j[PATH_MAX + 16];
	unlink(path);
	snprintf(j, sizeof j, "%s-journal", path);
	unlink(j);
}

int vs_db_writer_open(vs_db_writer **out, const char *path, int overwrite, vs_error *err)
{
	vs_db_writer *w = NULL;
	struct stat sb;
	int ret = -1, rc;
	*out = NULL;
	if (!path || !*path)
		return vs_error_set(err, VS_ERR_INVALID, "empty trace path");
	if (lstat(path, &sb) == 0) {
		if (!overwrite)
			return vs_error_set(err, VS_ERR_IO, "'%s': file exists", path);
		if (!S_ISREG(sb.st_mode))
			return vs_error_set(err, VS_ERR_IO, "'%s': not a regular file", path);
		unlink_trace(path);
	}
	w = calloc(1, sizeof *w);
	if (!w || !(w->path = strdup(path))) {
		free(w);
		return vs_error_nomem(err);
	}
	/* one thread uses the connection: no SQLite mutexes */
	rc = sqlite3_open_v2(path, &w->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		ret = vs_error_set(err, VS_ERR_IO, "'%s': cannot create trace: %s", path,
		                   w->db ? sqlite3_errmsg(w->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(w->db, 1);
	/*
	 * Rollback journal (so a killed recorder leaves the last commit intact)
	 * without fsync: durable against a crash of the recorder or the traced
	 * program, not against power loss.  Exclusive: nobody reads while loading.
	 */
	if ((ret = vs_db_exec(w->db,
	                      "PRAGMA page_size = 4096; PRAGMA journal_mode = TRUNCATE;"
	                      " PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
	                      " PRAGMA cache_size = -32768;",
	                      err)) < 0 ||
	    (ret = tx_begin(w, err)) < 0 || (ret = vs_db_schema_create(w->db, err)) < 0)
		goto prefixed;
	for (int i = 0; i < ST__COUNT; i++) {
		rc = sqlite3_prepare_v3(w->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                        &w->st[i], NULL);
		if (rc != SQLITE_OK) {
			ret = sql_fail(w, rc, err, "prepare");
			goto fail;
		}
	}
	if ((ret = vs_derive_stream_open(&w->ds, w->db, err)) < 0)
		goto fail;
	{
		char v[16];
		snprintf(v, sizeof v, "%d", VS_DB_VERSION);
		if ((ret = vs_db_writer_meta(w, "complete", "0", err)) < 0 ||
		    (ret = vs_db_writer_meta(w, "format_version", v, err)) < 0 ||
		    (ret = vs_db_writer_meta(w, "ts_base_ns", "0", err)) < 0)
			goto fail;
	}
	/* The empty trace is valid on disk before the first event. */
	if ((ret = tx_commit(w, err)) < 0 || (ret = tx_begin(w, err)) < 0)
		goto fail;
	*out = w;
	return 0;
prefixed:
	vs_error_prefix(err, "'%s'", path);
fail:
	writer_free(w);
	unlink_trace(path);
	return ret;
}

int vs_db_writer_meta(vs_db_writer *w, const char *key, const char *value, vs_error *err)
{
	sqlite3_stmt *st;
	if (!w || !key || !value)
		return vs_error_set(err, VS_ERR_INVALID, "vs_db_writer_meta: NULL argument");
	st = w->st[ST_META];
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
	return step_reset(w, st, err, "meta");
}

int vs_db_writer_process_begin(vs_db_writer *w, uint32_t *proc_out, int64_t pid, int64_t ppid,
                               uint32_t parent_proc, uint64_t fork_seq, vs_error *err)
{
	sqlite3_stmt *st;
	int ret;
	if (!w || !proc_out)
		return vs_error_set(err, VS_ERR_INVALID,
		                    "vs_db_writer_process_begin: NULL argument");
	if (parent_proc > w->nprocs)
		return vs_error_set(err, VS_ERR_INVALID, "unknown parent process %u", parent_proc);
	if (w->nprocs >= VS_DB_PROC_MAX)
		return vs_error_set(err, VS_ERR_INVALID, "too many processes");
	st = w->st[ST_PROC_BEGIN];
	sqlite3_bind_int64(st, 1, (int64_t)w->nprocs + 1);
	sqlite3_bind_int64(st, 2, pid);
	sqlite3_bind_int64(st, 3, ppid);
	sqlite3_bind_int64(st, 4, parent_proc);
	sqlite3_bind_int64(st, 5, (int64_t)fork_seq);
	if ((ret = step_reset(w, st, err, "process")) < 0)
		return ret;
	*proc_out = ++w->nprocs;
	if (parent_proc && (ret = vs_derive_stream_inherit(w->ds, w->nprocs, parent_proc, err)) < 0)
		return ret;
	return 0;
}

int vs_db_writer_process_end(vs_db_writer *w, uint32_t proc, int exit_code, int signal,
                             int truncated, vs_error *err)
{
	sqlite3_stmt *st;
	if (!w || proc == 0 || proc > w->nprocs)
		return vs_error_set(err, VS_ERR_INVALID, "unknown process %u", proc);
	st = w->st[ST_PROC_END];
	sqlite3_bind_int(st, 1, exit_code);
	sqlite3_bind_int(st, 2, signal);
	sqlite3_bind_int(st, 3, truncated != 0);
	sqlite3_bind_int64(st, 4, proc);
	return step_reset(w, st, err, "process end");
}

int vs_db_writer_string(vs_db_writer *w, uint32_t proc, uint32_t id, const char *s, uint32_t len,
                        vs_error *err)
{
	sqlite3_stmt *st;
	if (!w || proc == 0 || proc > w->nprocs)
		return vs_error_set(err, VS_ERR_INVALID, "unknown process %u", proc);
	if (id == 0 || (!s && len))
		return vs_error_set(err, VS_ERR_INVALID, "invalid string id %u", id);
	st = w->st[ST_STRING];
	sqlite3_bind_int64(st, 1, proc);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, s ? s : "", (int)len, SQLITE_STATIC);
	return step_reset(w, st, err, "string");
}

/* The scope stack of (proc, tid); NULL only when out of memory. */
static struct thread_state *thread_get(vs_db_writer *w, uint32_t proc, uint32_t tid)
{
	struct thread_state *t;
	if (w->last_thread < w->nthreads) {
		t = &w->threads[w->last_thread];
		if (t->proc == proc && t->tid == tid)
			return t;
	}
	for (size_t i = 0; i < w->nthreads; i++)
		if (w->threads[i].proc == proc && w->threads[i].tid == tid) {
			w->last_thread = i;
			return &w->threads[i];
		}
	if (VS_GROW(w->threads, w->cap_threads, w->nthreads + 1) < 0)
		return NULL;
	t = &w->threads[w->nthreads];
	memset(t, 0, sizeof *t);
	t->proc = proc;
	t->tid = tid;
	w->last_thread = w->nthreads++;
	return t;
}

/* The variable scope current for ev on its thread (a string id, 0 = root). */
static int track_scope(vs_db_writer *w, uint32_t proc, const vs_event *ev, uint32_t *scope,
                       vs_error *err)
{
	struct thread_state *t = thread_get(w, proc, ev->tid);
	if (!t)
		return vs_error_nomem(err);
	if (ev->kind == VS_EV_VARSCOPE_ENTER) {
		if (VS_GROW(t->stack, t->cap, t->depth + 1) < 0)
			return vs_error_nomem(err);
		t->stack[t->depth++] = ev->varscope.full_name;
		*scope = ev->varscope.full_name;
		return 0;
	}
	*scope = t->depth ? t->stack[t->depth - 1] : 0;
	if (ev->kind == VS_EV_VARSCOPE_EXIT && t->depth)
		t->depth--;
	return 0;
}

/* The row a SITE, MODULE or STACK record adds to its lookup table. */
static int side_table(vs_db_writer *w, uint32_t proc, const vs_event *ev, vs_error *err)
{
	sqlite3_stmt *st;
	if (ev->kind == VS_EV_SITE) {
		const struct vs_evp_site *p = &ev->site_def;
		st = w->st[ST_SITE];
		sqlite3_bind_int64(st, 1, proc);
		sqlite3_bind_int64(st, 2, p->site_id);
		sqlite3_bind_int64(st, 3, p->file);
		sqlite3_bind_int64(st, 4, p->line);
		sqlite3_bind_int64(st, 5, p->function);
		sqlite3_bind_int64(st, 6, p->stack);
		return step_reset(w, st, err, "site");
	}
	if (ev->kind == VS_EV_MODULE) {
		const struct vs_evp_module *p = &ev->module;
		st = w->st[ST_MODULE];
		sqlite3_bind_int64(st, 1, proc);
		sqlite3_bind_int64(st, 2, p->module_id);
		sqlite3_bind_int64(st, 3, p->path);
		sqlite3_bind_int64(st, 4, (int64_t)((uint64_t)p->bias_hi << 32 | p->bias_lo));
		sqlite3_bind_int64(st, 5, p->text_start);
		sqlite3_bind_int64(st, 6, p->text_size);
		sqlite3_bind_int64(st, 7, p->build_id);
		return step_reset(w, st, err, "module");
	}
	const struct vs_evp_stack *p = &ev->stack;
	st = w->st[ST_STACK];
	sqlite3_bind_int64(st, 1, proc);
	sqlite3_bind_int64(st, 2, p->stack_id);
	sqlite3_bind_int64(st, 3, p->caller);
	sqlite3_bind_int64(st, 4, (int64_t)((uint64_t)p->pc_hi << 32 | p->pc_lo));
	sqlite3_bind_int64(st, 5, p->module);
	sqlite3_bind_int64(st, 6, p->site);
	return step_reset(w, st, err, "stack");
}

/* binds n rows and runs st (one row, or the ROWS-row statement) */
static int insert_row(vs_db_writer *w, sqlite3_stmt *st, const int64_t (*rows)[EV_COLS], int n,
                      vs_error *err)
{
	for (int r = 0; r < n; r++)
		for (int c = 0; c < EV_COLS; c++)
			sqlite3_bind_int64(st, r * EV_COLS + c + 1, rows[r][c]);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		uint64_t id = (uint64_t)rows[0][0];
		return vs_error_set(err, VS_ERR_FORMAT,
		                    "'%s': duplicate event seq %s%llu in process %u", w->path,
		                    n > 1 ? "at or after " : "",
		                    (unsigned long long)(id & VS_DB_SEQ_MAX),
		                    (unsigned)(id >> VS_DB_SEQ_BITS));
	}
	return sql_fail(w, rc, err, "event");
}

/* the pending rows of bulk mode, into ev */
static int flush_rows(vs_db_writer *w, vs_error *err)
{
	int n = w->nrows, ret = 0;
	w->nrows = 0;
	if (n == ROWS)
		return insert_row(w, w->multi, (const int64_t(*)[EV_COLS])w->rows, ROWS, err);
	for (int r = 0; r < n && ret == 0; r++)
		ret = insert_row(w, w->st[ST_EVENT], (const int64_t(*)[EV_COLS]) & w->rows[r], 1,
		                 err);
	return ret;
}

int vs_db_writer_event(vs_db_writer *w, uint32_t proc, const vs_event *ev, vs_error *err)
{
	uint32_t scope = 0;
	int ret;
	if (!w || !ev)
		return vs_error_set(err, VS_ERR_INVALID, "no writer or no event");
	if (proc == 0 || proc > w->nprocs)
		return vs_error_set(err, VS_ERR_INVALID, "unknown process %u", proc);
	if (ev->seq == 0 || ev->seq > VS_DB_SEQ_MAX)
		return vs_error_set(err, VS_ERR_INVALID, "event seq %llu out of range",
		                    (unsigned long long)ev->seq);
	if (!w->in_tx && (ret = tx_begin(w, err)) < 0)
		return ret;
	if (!w->have_base) {
		char v[32];
		snprintf(v, sizeof v, "%llu", (unsigned long long)ev->ts_ns);
		if ((ret = vs_db_writer_meta(w, "ts_base_ns", v, err)) < 0)
			return ret;
		w->ts_base = ev->ts_ns;
		w->have_base = 1;
	}
	if ((ret = track_scope(w, proc, ev, &scope, err)) < 0)
		return ret;
	int64_t row[EV_COLS] = {(int64_t)(((uint64_t)proc << VS_DB_SEQ_BITS) | ev->seq),
	                        (int64_t)(ev->ts_ns - w->ts_base),
	                        ev->tid,
	                        ev->kind,
	                        ev->flags,
	                        ev->site,
	                        ev->graph,
	                        scope};
	for (int i = 0; i < 8; i++) /* the raw words, p0..p7 */
		row[8 + i] = ev->p[i];
	if (w->rows) {
		memcpy(w->rows[w->nrows++], row, sizeof row);
		/* the derivation of a VAR_CREATE reads its row */
		if ((w->nrows == ROWS || ev->kind == VS_EV_VAR_CREATE) &&
		    (ret = flush_rows(w, err)) < 0)
			return ret;
	} else if ((ret = insert_row(w, w->st[ST_EVENT], (const int64_t(*)[EV_COLS]) & row, 1,
	                             err)) < 0) {
		return ret;
	}
	if ((ret = vs_derive_stream_event(w->ds, proc, ev,
	                                  (int64_t)(((uint64_t)proc << VS_DB_SEQ_BITS) | ev->seq),
	                                  err)) < 0)
		return ret;
	if ((ev->kind == VS_EV_SITE || ev->kind == VS_EV_MODULE || ev->kind == VS_EV_STACK) &&
	    (ret = side_table(w, proc, ev, err)) < 0)
		return ret;
	if (++w->batch >= VS_DB_BATCH &&
	    ((ret = tx_commit(w, err)) < 0 || (ret = tx_begin(w, err)) < 0))
		return ret;
	return 0;
}

int vs_db_writer_lost(vs_db_writer *w, uint32_t proc, uint32_t tid, uint64_t n, uint64_t after_seq,
                      vs_error *err)
{
	sqlite3_stmt *st;
	if (!w || proc == 0 || proc > w->nprocs)
		return vs_error_set(err, VS_ERR_INVALID, "unknown process %u", proc);
	st = w->st[ST_LOST];
	sqlite3_bind_int64(st, 1, proc);
	sqlite3_bind_int64(st, 2, tid);
	sqlite3_bind_int64(st, 3, (int64_t)n);
	sqlite3_bind_int64(st, 4, (int64_t)after_seq);
	return step_reset(w, st, err, "lost");
}

int vs_db_writer_commit(vs_db_writer *w, vs_error *err)
{
	int ret;
	if (!w)
		return vs_error_set(err, VS_ERR_INVALID, "vs_db_writer_commit: NULL writer");
	if (w->in_tx && (ret = tx_commit(w, err)) < 0)
		return ret;
	return tx_begin(w, err);
}

int vs_db_writer_close(vs_db_writer *w, vs_error *err)
{
	int ret;
	if (!w)
		return vs_error_set(err, VS_ERR_INVALID, "vs_db_writer_close: NULL writer");
	if (w->in_tx && (ret = tx_commit(w, err)) < 0)
		goto cleanup;
	if ((ret = tx_begin(w, err)) < 0)
		goto cleanup;
	if ((ret = vs_derive_stream_finish(w->ds, err)) < 0 ||
	    (ret = vs_db_derive_inherit(w->db, err)) < 0 ||
	    (ret = vs_db_symbolize(w->db, "main", err)) < 0 ||
	    (ret = vs_db_schema_index(w->db, err)) < 0 ||
	    (ret = vs_db_writer_meta(w, "complete", w->incomplete ? "0" : "1", err)) < 0 ||
	    (ret = tx_commit(w, err)) < 0) {
		vs_error_prefix(err, "'%s'", w->path);
		goto cleanup;
	}
	/* a finished trace is one file: drop the (empty) rollback journal */
	vs_db_exec(w->db, "PRAGMA journal_mode = DELETE", NULL);
	ret = 0;
cleanup:
	/* On failure the trace keeps its last commit (marked incomplete). */
	if (w->in_tx)
		sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
	writer_free(w);
	return ret;
}

void vs_db_writer_abort(vs_db_writer *w)
{
	char *path;
	if (!w)
		return;
	if (w->in_tx)
		sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
	path = w->path;
	w->path = NULL;
	writer_free(w);
	unlink_trace(path);
	free(path);
}

int vs_db_writer_incomplete(vs_db_writer *w, const char *cause, vs_error *err)
{
	if (!w || !cause)
		return vs_error_set(err, VS_ERR_INVALID, "vs_db_writer_incomplete: NULL argument");
	w->incomplete = 1;
	return vs_db_writer_meta(w, "incomplete_cause", cause, err);
}

void vs_db_writer_unlink(const char *path) { unlink_trace(path); }

/* the ROWS-row INSERT of bulk mode and its row buffer */
static int prepare_multi(vs_db_writer *w, vs_error *err)
{
	char sql[ROWS * (EV_COLS * 2 + 4) + 64];
	size_t len = (size_t)snprintf(sql, sizeof sql, "INSERT INTO ev VALUES");
	for (int r = 0; r < ROWS; r++) {
		len += (size_t)snprintf(sql + len, sizeof sql - len, "%s(?", r ? "," : "");
		for (int c = 1; c < EV_COLS; c++)
			len += (size_t)snprintf(sql + len, sizeof sql - len, ",?");
		len += (size_t)snprintf(sql + len, sizeof sql - len, ")");
	}
	VS_ASSERT(len < sizeof sql);
	int rc = sqlite3_prepare_v3(w->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &w->multi, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(w, rc, err, "prepare");
	if (!(w->rows = malloc(sizeof *w->rows * ROWS)))
		return vs_error_nomem(err);
	return 0;
}

int vs_db_writer_bulk(vs_db_writer *w, vs_error *err)
{
	int ret;
	if (!w)
		return vs_error_set(err, VS_ERR_INVALID, "vs_db_writer_bulk: NULL writer");
	/* the journal can only be changed outside a transaction */
	if (w->in_tx && (ret = tx_commit(w, err)) < 0)
		return ret;
	if ((ret = vs_db_exec(w->db, "PRAGMA journal_mode = OFF", err)) < 0) {
		vs_error_prefix(err, "'%s'", w->path);
		return ret;
	}
	char j[PATH_MAX + 16];
	snprintf(j, sizeof j, "%s-journal", w->path);
	unlink(j); /* the (empty) journal of the first commits */
	if (!w->rows && (ret = prepare_multi(w, err)) < 0)
		return ret;
	return tx_begin(w, err);
}
