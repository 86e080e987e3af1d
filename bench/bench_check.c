/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_check.c - checker throughput and memory.
 *
 *   bench_check [EVENTS] [TRACE]   (default 1000000 events, a temp file)
 *
 * Generates a trace of EVENTS events (a training-loop-like stream: scopes
 * entered with AUTO_REUSE, get_variable reusing 512 variables, name scopes
 * and ops, two threads) in a child process, then in this process, three
 * times alternately, keeping the best of each:
 *   - a bare ordered read of the same raw events table (one prepared
 *     SELECT ... ORDER BY id, every column read into a vs_event), and
 *   - vs_check_trace (reader cursor + shadow model + rules + findings).
 * Prints events/s of both, their ratio (target >= 0.5) and the peak RSS of
 * this process (the generator ran in the child, so it does not count).
 * The trace is kept when TRACE is given, else deleted.
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checker/check.h"
#include "store/db.h"

#define N_VARS 512
#define N_SCOPES 64

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int gen_event(vs_db_writer *w, uint64_t *seq, uint32_t tid, unsigned kind, unsigned flags,
                     uint32_t site, const uint32_t p[8], vs_error *err)
{
	vs_event ev;
	memset(&ev, 0, sizeof ev);
	ev.seq = ++*seq;
	ev.ts_ns = 1700000000000000000ull + ev.seq * 1000;
	ev.tid = tid;
	ev.kind = (uint16_t)kind;
	ev.flags = (uint16_t)flags;
	ev.site = site;
	ev.graph = 1;
	memcpy(ev.p, p, sizeof ev.p);
	return vs_db_writer_event(w, 1, &ev, err);
}

#define G(kind, flags, site, ...)                                                       \
	do {                                                                            \
		if (gen_event(w, &seq, tid, (kind), (flags), (site),                    \
		              (const uint32_t[8]){__VA_ARGS__}, &err) != 0)            \
			goto fail;                                                      \
	} while (0)

/* string ids: 1 file, 2 function, 3.. scope names, then keys */
static uint32_t scope_str(int i) { return 3 + (uint32_t)i; }
static uint32_t key_str(int i) { return 3 + N_SCOPES + (uint32_t)i; }
static uint32_t req_str(int i) { return 3 + N_SCOPES + N_VARS + (uint32_t)(i % 8); }

static int generate(const char *path, uint64_t n_events)
{
	vs_error err;
	vs_db_writer *w = NULL;
	uint32_t proc = 0;
	uint64_t seq = 0;
	uint32_t tid = 1, call = 0, cm = 0;
	char buf[64];

	if (vs_db_writer_open(&w, path, 1, &err) != 0)
		goto fail;
	if (vs_db_writer_process_begin(w, &proc, getpid(), getppid(), 0, 0, &err) != 0)
		goto fail;
	vs_db_writer_string(w, proc, 1, "bench/model.py", 14, &err);
	vs_db_writer_string(w, proc, 2, "build", 5, &err);
	for (int i = 0; i < N_SCOPES; i++) {
		int len = snprintf(buf, sizeof buf, "layer%d", i);
		vs_db_writer_string(w, proc, scope_str(i), buf, (uint32_t)len, &err);
	}
	for (int i = 0; i < N_VARS; i++) {
		int len = snprintf(buf, sizeof buf, "layer%d/w%d", i % N_SCOPES, i / N_SCOPES);
		vs_db_writer_string(w, proc, key_str(i), buf, (uint32_t)len, &err);
	}
	for (int i = 0; i < 8; i++) {
		int len = snprintf(buf, sizeof buf, "w%d", i);
		vs_db_writer_string(w, proc, req_str(i), buf, (uint32_t)len, &err);
	}
	G(VS_EV_PROCESS_START, 0, 0, (uint32_t)getpid());
	for (uint32_t s = 1; s <= 16; s++)
		G(VS_EV_SITE, 0, 0, s, 1, 10 * s, 2);
	G(VS_EV_GRAPH_CREATE, VS_EVF_GLOBAL_DEFAULT, 0, 1, 0, 0);
	tid = 2;
	G(VS_EV_THREAD_START, 0, 0, 99, 1, 0, 1);
	for (uint64_t step = 0; seq + 8 < n_events; step++) {
		int v = (int)(step % N_VARS);
		int sc = v % N_SCOPES;
		tid = 1 + (uint32_t)(step & 1);
		uint32_t site = 1 + (uint32_t)(step % 16);
		uint32_t reuse = 3; /* AUTO_REUSE: the first pass creates, later ones reuse */
		++cm;
		G(VS_EV_VARSCOPE_ENTER, 0, site, scope_str(sc), scope_str(sc), 3, 3, 0, 0, cm, cm);
		++call;
		G(VS_EV_GETVAR_ENTER, 0, site, req_str(v), key_str(v), 0, 3, reuse, call, 0, 7);
		if (step < N_VARS)
			G(VS_EV_VAR_CREATE, VS_EVF_TRAINABLE, site, (uint32_t)v + 1, key_str(v), key_str(v), 0,
			  3, 0, 1, 0);
		G(VS_EV_GETVAR_EXIT, 0, site, req_str(v), key_str(v), (uint32_t)v + 1,
		  step < N_VARS ? VS_OUT_CREATED : VS_OUT_REUSED, reuse, call, 0, 3);
		G(VS_EV_OP_CREATE, 0, site, key_str(v), 2, 0, (uint32_t)step);
		G(VS_EV_VARSCOPE_EXIT, 0, site, 0, scope_str(sc), 0, 0, 0, 0, cm, cm);
	}
	if (vs_db_writer_process_end(w, proc, 0, 0, 0, &err) != 0 ||
	    vs_db_writer_close(w, &err) != 0) {
		w = NULL;
		goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "bench_check: generating %s: %s\n", path, err.msg);
	if (w)
		vs_db_writer_abort(w);
	return -1;
}

/* the bare ordered read: every row of the raw table, decoded, nothing else */
static int bare_read(const char *path, uint64_t *n_out, double *secs)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	uint64_t n = 0, sum = 0;
	double t0 = now();
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
	                       "SELECT id, ts, tid, kind, flags, site, graph, p0, p1, p2, p3, p4, p5,"
	                       " p6, p7 FROM ev ORDER BY id",
	                       -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_check: %s: %s\n", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		vs_event ev;
		ev.seq = (uint64_t)sqlite3_column_int64(st, 0);
		ev.ts_ns = (uint64_t)sqlite3_column_int64(st, 1);
		ev.tid = (uint32_t)sqlite3_column_int(st, 2);
		ev.kind = (uint16_t)sqlite3_column_int(st, 3);
		ev.flags = (uint16_t)sqlite3_column_int(st, 4);
		ev.site = (uint32_t)sqlite3_column_int(st, 5);
		ev.graph = (uint32_t)sqlite3_column_int(st, 6);
		for (int i = 0; i < 8; i++)
			ev.p[i] = (uint32_t)sqlite3_column_int64(st, 7 + i);
		sum += ev.kind + ev.p[1];
		n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	*secs = now() - t0;
	*n_out = n;
	/* keep the decoding observable so that it is not optimised away */
	if (sum == 0)
		fprintf(stderr, "bench_check: empty trace\n");
	return 0;
}

static int check_once(const char *path, double *secs, vs_check_summary *sum, size_t *findings)
{
	vs_error err;
	unsigned status = 0;
	int rc = -1;
	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = rs ? vs_check_new(rs) : NULL;
	double t0 = now();
	if (!c)
		goto out;
	if (vs_check_trace(c, path, &status, &err) != 0 || vs_check_finish(c, &err) < 0) {
		fprintf(stderr, "bench_check: %s\n", err.msg);
		goto out;
	}
	*secs = now() - t0;
	vs_check_summary_get(c, sum);
	*findings = vs_check_count(c);
	rc = 0;
out:
	vs_check_free(c);
	vs_rule_set_free(rs);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t n_events = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	char tmp[] = "/tmp/vs-bench-check-XXXXXX";
	const char *path = argc > 2 ? argv[2] : NULL;
	if (!path) {
		int fd = mkstemp(tmp);
		if (fd < 0) {
			perror("bench_check: mkstemp");
			return 1;
		}
		close(fd);
		path = tmp;
	}
	/* generate in a child so that the writer's memory is not our peak */
	double tg = now();
	pid_t pid = fork();
	if (pid == 0)
		_exit(generate(path, n_events) == 0 ? 0 : 1);
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_check: cannot generate the trace\n");
		return 1;
	}
	tg = now() - tg;

	double best_read = 1e30, best_check = 1e30;
	uint64_t n_read = 0;
	vs_check_summary sum;
	size_t findings = 0;
	memset(&sum, 0, sizeof sum);
	for (int round = 0; round < 3; round++) {
		double t;
		if (bare_read(path, &n_read, &t) != 0)
			return 1;
		if (t < best_read)
			best_read = t;
		if (check_once(path, &t, &sum, &findings) != 0)
			return 1;
		if (t < best_check)
			best_check = t;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double r_read = (double)n_read / best_read, r_check = (double)sum.events / best_check;
	printf("checker: %" PRIu64 " events (generated in %.1f s), best of 3 runs\n", n_read, tg);
	printf("  bare ordered read of the events table  %7.3f M events/s\n", r_read / 1e6);
	printf("  vscheck replay (reader + model + rules) %7.3f M events/s  (%.2fx the bare read)\n",
	       r_check / 1e6, r_check / r_read);
	printf("  peak RSS of the checking process        %7.1f MiB  (live variables %zu, threads "
	       "%zu, findings %zu)\n",
	       (double)ru.ru_maxrss / 1024.0, sum.peak_variables, sum.peak_threads, findings);
	if (!(argc > 2))
		unlink(path);
	return r_check / r_read >= 0.5 ? 0 : 2;
}
