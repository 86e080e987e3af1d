/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_export.c - `vstrace export --format chrome` on a large trace:
 * events per second and peak memory, to show that the export streams.
 *
 *   bench_export [EVENTS] [DIR]   (default 10000000 events, $TMPDIR or /tmp)
 *
 * Writes a synthetic trace (4 threads, each repeating variable_scope {
 * get_variable { creator { create } } } with 2000 distinct names, so the
 * nesting, the flows and the string cache look like a real program's),
 * and a second one of EVENTS/10, and exports each in a child process
 * (to /dev/null), reporting the time and the child's peak RSS
 * (ru_maxrss).  Constant memory = the two peaks are close.
 * Output: one line per figure (docs/performance.md, "export").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/db.h"
#include "store/export.h"

#define NSTRINGS 2000
#define PER_CALL 7 /* events per variable_scope { get_variable { ... } } */

/* Event s of the stream: thread (s / PER_CALL) % 4 runs one call. */
static void make_event(uint64_t s, vs_event *e)
{
	uint64_t call = (s - 1) / PER_CALL, step = (s - 1) % PER_CALL;
	uint32_t name = 1 + (uint32_t)(call % NSTRINGS);
	uint32_t var = 1 + (uint32_t)(call % NSTRINGS);
	int first = call < NSTRINGS;
	memset(e, 0, sizeof *e);
	e->seq = s;
	e->ts_ns = UINT64_C(1700000000000000000) + s * 1000;
	e->tid = 1 + (uint32_t)(call % 4);
	e->site = 1;
	e->graph = 1;
	switch (step) {
	case 0:
		e->kind = VS_EV_VARSCOPE_ENTER;
		e->varscope.full_name = name;
		e->varscope.reuse = first ? VS_REUSE_FALSE : VS_REUSE_TRUE;
		e->varscope.cm = (uint32_t)call + 1;
		break;
	case 1:
		e->kind = VS_EV_GETVAR_ENTER;
		e->getvar_enter.requested = name;
		e->getvar_enter.full_name = name;
		break;
	case 2:
		e->kind = VS_EV_CREATOR_CALL;
		e->creator_call.name = name;
		break;
	case 3:
		if (first) {
			e->kind = VS_EV_VAR_CREATE;
			e->var_create.variable = var;
			e->var_create.name = name;
		} else {
			e->kind = VS_EV_OP_CREATE;
			e->op_create.name = name;
			e->op_create.type = name;
		}
		break;
	case 4:
		e->kind = VS_EV_CREATOR_RETURN;
		e->creator_return.variable = var;
		e->creator_return.outcome = VS_OUT_CREATED;
		break;
	case 5:
		e->kind = VS_EV_GETVAR_EXIT;
		e->getvar_exit.full_name = name;
		e->getvar_exit.variable = var;
		e->getvar_exit.outcome = first ? VS_OUT_CREATED : VS_OUT_REUSED;
		break;
	default:
		e->kind = VS_EV_VARSCOPE_EXIT;
		e->varscope.full_name = name;
		e->varscope.cm = (uint32_t)call + 1;
		break;
	}
}

static int write_trace_here(const char *path, uint64_t n)
{
	vs_db_writer *w = NULL;
	vs_error err;
	uint32_t proc;
	char s[32];
	vs_error_init(&err);
	if (vs_db_writer_open(&w, path, 1, &err) < 0 ||
	    vs_db_writer_process_begin(w, &proc, 1, 0, 0, 0, &err) < 0)
		goto fail;
	for (uint32_t i = 1; i <= NSTRINGS; i++) {
		int len = snprintf(s, sizeof s, "model/layer%u/w", i);
		if (vs_db_writer_string(w, proc, i, s, (uint32_t)len, &err) < 0)
			goto fail;
	}
	for (uint64_t i = 1; i <= n; i++) {
		vs_event e;
		make_event(i, &e);
		if (vs_db_writer_event(w, proc, &e, &err) < 0)
			goto fail;
	}
	if (vs_db_writer_process_end(w, proc, 0, 0, 0, &err) < 0 ||
	    vs_db_writer_close(w, &err) < 0) {
		w = NULL;
		goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "bench_export: %s\n", err.msg);
	if (w)
		vs_db_writer_abort(w);
	return -1;
}

/* Written in a child, so this process stays small for the exports' children. */
static int write_trace(const char *path, uint64_t n)
{
	int status;
	pid_t pid = fork();
	if (pid == 0)
		_exit(write_trace_here(path, n) < 0 ? 1 : 0);
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	                       WEXITSTATUS(status) == 0
	               ? 0
	               : -1;
}

/* Exports path in a child; *secs (its CPU time: the machine may be shared)
 * and *rss_kb (its peak). */
static int export_child(const char *path, double *secs, long *rss_kb)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();
	if (pid == 0) {
		vs_db_reader *r = NULL;
		FILE *out = fopen("/dev/null", "w");
		if (!out || vs_db_reader_open(&r, path, NULL) < 0 ||
		    vs_db_export_chrome(r, out, NULL) < 0)
			_exit(1);
		vs_db_reader_close(r);
		fclose(out);
		_exit(0);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	*secs = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	        (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	*rss_kb = ru.ru_maxrss;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000u;
	const char *dir = argc > 2 ? argv[2] : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char small[4096], big[4096];
	double ts, tb;
	long rs, rb;
	int ret = 1;
	n -= n % PER_CALL;
	snprintf(small, sizeof small, "%s/bench_export_small_%d.db", dir, (int)getpid());
	snprintf(big, sizeof big, "%s/bench_export_big_%d.db", dir, (int)getpid());
	if (write_trace(small, n / 10 - (n / 10) % PER_CALL) < 0 || write_trace(big, n) < 0)
		goto done;
	if (export_child(small, &ts, &rs) < 0 || export_child(big, &tb, &rb) < 0) {
		fprintf(stderr, "bench_export: the export failed\n");
		goto done;
	}
	printf("chrome export: %llu events in %.2f s of CPU (%.2f Mevents/s)\n",
	       (unsigned long long)n, tb, (double)n / tb / 1e6);
	printf("chrome export peak RSS: %.1f MiB at %llu events, %.1f MiB at %llu events\n",
	       (double)rs / 1024, (unsigned long long)(n / 10), (double)rb / 1024,
	       (unsigned long long)n);
	ret = 0;
done:
	unlink(small);
	unlink(big);
	return ret;
}
