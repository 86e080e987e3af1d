/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_store.c - store ingest: events per second through
 * vs_db_writer_event against a bare SQLite insert loop of the same rows
 * into the same raw table with tuned settings (one transaction, no
 * journal, no sync), in one run, plus the bytes per event on disk.
 *
 *   bench_store [EVENTS] [DIR]     (default 1000000 events, $TMPDIR or /tmp)
 *
 * Each side runs three times alternately; the best run counts.  Output is
 * one line per figure (see docs/performance.md, "store ingest").
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"

#define RUNS 3
#define NSTRINGS 2000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A plausible event stream: 4 threads, small ids, ~1 us apart. */
static void make_event(uint64_t s, vs_event *e)
{
	static const uint16_t kinds[] = {VS_EV_VARSCOPE_ENTER, VS_EV_GETVAR_ENTER,
	                                 VS_EV_CREATOR_CALL,   VS_EV_VAR_CREATE,
	                                 VS_EV_CREATOR_RETURN, VS_EV_GETVAR_EXIT,
	                                 VS_EV_VARSCOPE_EXIT,  VS_EV_OP_CREATE};
	memset(e, 0, sizeof *e);
	e->seq = s;
	e->ts_ns = UINT64_C(1700000000000000000) + s * 1000 + (s * 7919) % 500;
	e->tid = 1 + (uint32_t)(s % 4);
	e->kind = kinds[s % 8];
	e->flags = (uint16_t)(s % 3 ? 0 : 1u << 10);
	e->site = 1 + (uint32_t)(s % 300);
	e->graph = 1;
	e->p[0] = 1 + (uint32_t)(s % NSTRINGS);
	e->p[1] = 1 + (uint32_t)((s * 31) % NSTRINGS);
	e->p[2] = (uint32_t)(s % 5);
	e->p[3] = 3;
	e->p[4] = (uint32_t)(s % 4);
	e->p[5] = (uint32_t)(s / 8);
	e->p[6] = e->kind == VS_EV_VAR_CREATE ? 1 : 0;
	e->p[7] = (uint32_t)(s / 8 + 1);
}

static long long file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* bytes of table ev (from dbstat; -1 when SQLite lacks it) */
static double table_bytes(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	double v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT SUM(pgsize) FROM dbstat WHERE name = 'ev'", -1, &st,
	                       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static int run_writer(const char *path, uint64_t n, double *load_s, double *close_s)
{
	vs_db_writer *w = NULL;
	vs_error err;
	uint32_t proc = 0;
	vs_event e;
	double t0;
	char s[32];
	vs_error_init(&err);
	unlink(path);
	t0 = now_s();
	if (vs_db_writer_open(&w, path, 1, &err) ||
	    vs_db_writer_process_begin(w, &proc, 1, 0, 0, 0, &err))
		goto fail;
	for (uint32_t i = 1; i <= NSTRINGS; i++) {
		int len = snprintf(s, sizeof s, "scope_%u/var", i);
		if (vs_db_writer_string(w, proc, i, s, (uint32_t)len, &err))
			goto fail;
	}
	for (uint64_t i = 1; i <= n; i++) {
		make_event(i, &e);
		if (vs_db_writer_event(w, proc, &e, &err))
			goto fail;
	}
	if (vs_db_writer_commit(w, &err))
		goto fail;
	*load_s = now_s() - t0;
	t0 = now_s();
	if (vs_db_writer_close(w, &err)) {
		w = NULL;
		goto fail;
	}
	*close_s = now_s() - t0;
	return 0;
fail:
	fprintf(stderr, "bench_store: %s\n", err.msg);
	vs_db_writer_abort(w);
	return -1;
}

static int run_bare(const char *path, uint64_t n, double *load_s)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL, *str = NULL;
	vs_event e;
	double t0;
	char s[32];
	int rc;
	unlink(path);
	t0 = now_s();
	rc = sqlite3_open(path, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db,
		                  "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
		                  " PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -32768;"
		                  " CREATE TABLE strings(proc INTEGER, id INTEGER, s TEXT,"
		                  "  PRIMARY KEY(proc, id)) WITHOUT ROWID;"
		                  " CREATE TABLE ev(id INTEGER PRIMARY KEY, ts INTEGER, tid INTEGER,"
		                  "  kind INTEGER, flags INTEGER, site INTEGER, graph INTEGER,"
		                  "  vscope INTEGER, p0 INTEGER, p1 INTEGER, p2 INTEGER, p3 INTEGER,"
		                  "  p4 INTEGER, p5 INTEGER, p6 INTEGER, p7 INTEGER);"
		                  " BEGIN;",
		                  NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO ev VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		                        -1, &ins, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "INSERT INTO strings VALUES(1,?,?)", -1, &str, NULL);
	for (uint32_t i = 1; rc == SQLITE_OK && i <= NSTRINGS; i++) {
		int len = snprintf(s, sizeof s, "scope_%u/var", i);
		sqlite3_bind_int64(str, 1, i);
		sqlite3_bind_text(str, 2, s, len, SQLITE_STATIC);
		rc = sqlite3_step(str) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(str);
	}
	for (uint64_t i = 1; rc == SQLITE_OK && i <= n; i++) {
		make_event(i, &e);
		sqlite3_bind_int64(ins, 1, (int64_t)(UINT64_C(1) << 40 | e.seq));
		sqlite3_bind_int64(ins, 2, (int64_t)(e.ts_ns - UINT64_C(1700000000000000000)));
		sqlite3_bind_int64(ins, 3, e.tid);
		sqlite3_bind_int(ins, 4, e.kind);
		sqlite3_bind_int(ins, 5, e.flags);
		sqlite3_bind_int64(ins, 6, e.site);
		sqlite3_bind_int64(ins, 7, e.graph);
		sqlite3_bind_int64(ins, 8, 0);
		for (int k = 0; k < 8; k++)
			sqlite3_bind_int64(ins, 9 + k, e.p[k]);
		rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(ins);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "bench_store: bare loop: %s\n", sqlite3_errmsg(db));
	sqlite3_finalize(ins);
	sqlite3_finalize(str);
	sqlite3_close(db);
	*load_s = now_s() - t0;
	return rc == SQLITE_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	const char *dir = argc > 2 ? argv[2] : getenv("TMPDIR");
	char wpath[4096], bpath[4096];
	double best_w = 1e30, best_b = 1e30, best_close = 1e30, wb, bb;
	if (!dir || !*dir)
		dir = "/tmp";
	if (n == 0) {
		fprintf(stderr, "usage: bench_store [EVENTS] [DIR]\n");
		return 2;
	}
	snprintf(wpath, sizeof wpath, "%s/bench-store-%ld-writer.db", dir, (long)getpid());
	snprintf(bpath, sizeof bpath, "%s/bench-store-%ld-bare.db", dir, (long)getpid());
	for (int r = 0; r < RUNS; r++) {
		double lw = 0, cw = 0, lb = 0;
		if (run_bare(bpath, n, &lb) || run_writer(wpath, n, &lw, &cw)) {
			unlink(wpath);
			unlink(bpath);
			return 1;
		}
		if (lb < best_b)
			best_b = lb;
		if (lw < best_w)
			best_w = lw;
		if (cw < best_close)
			best_close = cw;
	}
	wb = table_bytes(wpath);
	bb = table_bytes(bpath);
	printf("store ingest: %llu events, best of %d runs\n", (unsigned long long)n, RUNS);
	printf("  %-34s %8.3f M events/s\n", "bare SQLite insert loop (tuned)", (double)n / best_b / 1e6);
	printf("  %-34s %8.3f M events/s  (%.2fx the bare loop)\n", "vs_db_writer_event",
	       (double)n / best_w / 1e6, best_b / best_w);
	printf("  %-34s %8.1f ms  (derived tables, indexes)\n", "vs_db_writer_close",
	       best_close * 1e3);
	if (wb > 0)
		printf("  %-34s %8.1f bytes/event  (bare loop %.1f)\n", "raw event table on disk",
		       wb / (double)n, bb / (double)n);
	printf("  %-34s %8.1f bytes/event  (whole file, with indexes and derived tables)\n",
	       "trace file", (double)file_size(wpath) / (double)n);
	unlink(wpath);
	unlink(bpath);
	return 0;
}
