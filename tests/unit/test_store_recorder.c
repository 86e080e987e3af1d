/* SPDX-License-Identifier: MIT */
/*
 * tests for store/recorder.c: `vstrace record` on programs without libvs
 * (exit code, signal, bad program, bad output), the VSTRACE_OUTPUT drain fed
 * by a ring sink in this process (events, strings, exit status, losses),
 * and the in-process recorder of `vstrace run` (store_recorder_thread).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "store/recorder.h"
#include "tests/unit/harness.h"
#include "tracer/ring.h"
#include "vs/sink.h"

/* a string literal as an argv element (execvp wants char *) */
#define ARG(s) ((char *)(uintptr_t)(s))

static vs_db_reader *open_trace(const char *path)
{
	vs_db_reader *r = NULL;
	vs_error err;
	int rc = vs_db_reader_open(&r, path, &err);
	if (rc < 0)
		fprintf(stderr, "\n%s\n", err.msg);
	VS_ASSERT_INT(rc, 0);
	return r;
}

static void check_process(vs_db_reader *r, uint32_t i, int exit_code, int sig, int truncated,
                          uint64_t lost)
{
	vs_db_process p;
	vs_error err;
	VS_ASSERT_INT(vs_db_reader_process(r, i, &p, &err), 0);
	VS_ASSERT_INT(p.exit_code, exit_code);
	VS_ASSERT_INT(p.signal, sig);
	VS_ASSERT_INT(p.truncated, truncated);
	VS_ASSERT_INT(p.lost, lost);
}

/* events of proc (LOST markers excluded) */
static size_t count_events(vs_db_reader *r, uint32_t proc, uint64_t *last_seq)
{
	vs_db_cursor *c = NULL;
	vs_event ev;
	vs_error err;
	size_t n = 0;
	VS_ASSERT_INT(vs_db_cursor_open(r, &c, proc, 0, &err), 0);
	while (c && vs_db_cursor_next(c, &ev, &err) == 1)
		if (ev.kind != VS_EV_LOST) {
			n++;
			*last_seq = ev.seq;
		}
	vs_db_cursor_close(c);
	return n;
}

static int record(const char *out, char **argv, vs_recorder_result *res, vs_error *err)
{
	vs_recorder_opts o = {.output = out, .overwrite = 1, .mode = VS_RECORDER_BLOCK};
	return vs_recorder_record(&o, argv, res, err);
}

static void test_record_exit_code(void)
{
	char *out = vs_test_tmp_path(".db");
	char *argv[] = {ARG("/bin/sh"), ARG("-c"), ARG("exit 7"), NULL};
	vs_recorder_result res;
	vs_error err;
	VS_ASSERT_INT(record(out, argv, &res, &err), 0);
	VS_ASSERT_INT(res.exit_code, 7);
	VS_ASSERT_INT(res.signal, 0);
	VS_ASSERT_INT(res.processes, 1);
	VS_ASSERT_INT(res.events, 0);
	vs_db_reader *r = open_trace(out);
	if (r) {
		VS_ASSERT_INT(vs_db_reader_process_count(r), 1);
		check_process(r, 0, 7, 0, 0, 0);
		vs_db_reader_close(r);
	}
	unlink(out);
	free(out);
}

/* the first line of file path into buf */
static void first_line(const char *path, char *buf, size_t cap)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(fgets(buf, (int)cap, f));
	fclose(f);
}

/* opts.python_path leads PROG's PYTHONPATH, the user's entries after it;
 * without it PYTHONPATH is passed on untouched */
static void test_record_python_path(void)
{
	char *out = vs_test_tmp_path(".db"), *txt = vs_test_tmp_path(".txt");
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "printf %%s \"$PYTHONPATH\" > '%s'", txt);
	char *argv[] = {ARG("/bin/sh"), ARG("-c"), cmd, NULL};
	const char *old = getenv("PYTHONPATH");
	char *saved = old ? strdup(old) : NULL;
	vs_recorder_result res;
	vs_error err;
	char got[256] = "";
	setenv("PYTHONPATH", "/user/lib", 1);
	vs_recorder_opts o = {.output = out, .overwrite = 1, .python_path = "/vs/python"};
	VS_ASSERT_INT(vs_recorder_record(&o, argv, &res, &err), 0);
	first_line(txt, got, sizeof got);
	VS_ASSERT_STR(got, "/vs/python:/user/lib");
	o.python_path = NULL;
	VS_ASSERT_INT(vs_recorder_record(&o, argv, &res, &err), 0);
	first_line(txt, got, sizeof got);
	VS_ASSERT_STR(got, "/user/lib");
	unsetenv("PYTHONPATH");
	o.python_path = "/vs/python";
	VS_ASSERT_INT(vs_recorder_record(&o, argv, &res, &err), 0);
	first_line(txt, got, sizeof got);
	VS_ASSERT_STR(got, "/vs/python");
	if (saved)
		setenv("PYTHONPATH", saved, 1);
	free(saved);
	unlink(out);
	unlink(txt);
	free(out);
	free(txt);
}

static void test_record_signal(void)
{
	char *out = vs_test_tmp_path(".db");
	char *argv[] = {ARG("/bin/sh"), ARG("-c"), ARG("kill -9 $$"), NULL};
	vs_recorder_result res;
	vs_error err;
	VS_ASSERT_INT(record(out, argv, &res, &err), 0);
	VS_ASSERT_INT(res.exit_code, -1);
	VS_ASSERT_INT(res.signal, 9);
	vs_db_reader *r = open_trace(out);
	if (r) {
		check_process(r, 0, -1, 9, 0, 0);
		vs_db_reader_close(r);
	}
	unlink(out);
	free(out);
}

static void test_record_bad_program(void)
{
	char *out = vs_test_tmp_path(".db");
	char *argv[] = {ARG("/nonexistent/prog"), NULL};
	vs_recorder_result res;
	vs_error err;
	VS_ASSERT_INT(record(out, argv, &res, &err), VS_ERR_NOT_FOUND);
	VS_ASSERT_STR(err.msg, "'/nonexistent/prog': No such file or directory");
	VS_ASSERT_INT(access(out, F_OK), -1); /* no trace left behind */
	free(out);
}

static void test_record_bad_output(void)
{
	char *out = vs_test_tmp_path(".db");
	char *argv[] = {ARG("/bin/true"), NULL};
	char msg[600];
	vs_recorder_opts o = {.output = out, .overwrite = 0, .mode = VS_RECORDER_BLOCK};
	vs_recorder_result res;
	vs_error err;
	FILE *f = fopen(out, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs("keep me\n", f);
	fclose(f);
	VS_ASSERT_INT(vs_recorder_record(&o, argv, &res, &err), VS_ERR_IO);
	snprintf(msg, sizeof msg, "'%s': file exists", out);
	VS_ASSERT_STR(err.msg, msg);
	struct stat st;
	VS_ASSERT_INT(stat(out, &st), 0);
	VS_ASSERT_INT(st.st_size, 8); /* untouched */
	unlink(out);
	o.output = "/nonexistent-dir/t.db";
	VS_ASSERT_INT(vs_recorder_record(&o, argv, &res, &err), VS_ERR_IO);
	VS_ASSERT_STR(err.msg,
	              "'/nonexistent-dir/t.db': cannot create trace: No such file or directory");
	char *none[] = {NULL};
	o.output = out;
	VS_ASSERT_INT(vs_recorder_record(&o, none, &res, &err), VS_ERR_USAGE);
	VS_ASSERT_STR(err.msg, "no program to record");
	free(out);
}

/* a directory prepared like the VSTRACE_OUTPUT constructor does */
static char *drain_dir_new(void)
{
	char *dir = vs_test_tmp_path("-shm");
	char lock[600];
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	snprintf(lock, sizeof lock, "%s/%s", dir, VS_RING_LOCK_NAME);
	int fd = open(lock, O_RDONLY | O_CREAT, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	return dir;
}

static void emit(vs_ring_sink *s, uint64_t seq)
{
	vs_event ev;
	memset(&ev, 0, sizeof ev);
	ev.seq = seq;
	ev.tid = 1;
	ev.kind = VS_EV_OP_CREATE;
	ev.p[0] = 1;
	vs_ring_sink_ops()->event(s, &ev);
}

static void test_drain_dir(void)
{
	char *dir = drain_dir_new();
	char *out = vs_test_tmp_path(".db");
	vs_ring_config cfg = {dir, 64, 0};
	vs_ring_sink *s = NULL;
	vs_recorder_opts o = {.output = out, .overwrite = 1, .mode = VS_RECORDER_BLOCK};
	vs_recorder_result res;
	vs_error err;
	uint64_t last = 0;
	VS_ASSERT_INT(vs_ring_sink_open(&s, &cfg, &err), 0);
	CU_ASSERT_FATAL(s != NULL);
	VS_ASSERT_INT(vs_ring_sink_ops()->string(s, 1, "op", 2), 0);
	for (uint64_t q = 1; q <= 5; q++)
		emit(s, q);
	vs_ring_sink_exiting(s, 5); /* as exit(5) would */
	VS_ASSERT_INT(vs_recorder_drain_dir(&o, dir, -1, &res, &err), 0);
	VS_ASSERT_INT(res.events, 5);
	VS_ASSERT_INT(res.processes, 1);
	VS_ASSERT_INT(res.recovered, 0); /* the exit hook published the ring */
	VS_ASSERT_INT(access(dir, F_OK), -1); /* the drain removes its directory */
	vs_db_reader *r = open_trace(out);
	if (r) {
		VS_ASSERT_INT(vs_db_reader_process_count(r), 1);
		check_process(r, 0, 5, 0, 0, 0);
		VS_ASSERT_STR(vs_db_reader_string(r, 1, 1), "op");
		VS_ASSERT_INT(count_events(r, 1, &last), 5);
		VS_ASSERT_INT(last, 5);
		vs_db_reader_close(r);
	}
	vs_ring_sink_free(s);
	unlink(out);
	free(out);
	free(dir);
}

static void test_drain_dir_lost(void)
{
	char *dir = drain_dir_new();
	char *out = vs_test_tmp_path(".db");
	vs_ring_config cfg = {dir, 4, 1};
	vs_ring_sink *s = NULL;
	vs_recorder_opts o = {.output = out, .overwrite = 1, .mode = VS_RECORDER_DISCARD, .ring_slots = 4};
	vs_recorder_result res;
	vs_error err;
	uint64_t last = 0;
	VS_ASSERT_INT(vs_ring_sink_open(&s, &cfg, &err), 0);
	CU_ASSERT_FATAL(s != NULL);
	for (uint64_t q = 1; q <= 9; q++) /* 4 fit, 5 dropped */
		emit(s, q);
	vs_ring_sink_exiting(s, 0);
	VS_ASSERT_INT(vs_recorder_drain_dir(&o, dir, -1, &res, &err), 0);
	VS_ASSERT_INT(res.events, 4);
	VS_ASSERT_INT(res.lost, 5);
	vs_db_reader *r = open_trace(out);
	if (r) {
		check_process(r, 0, 0, 0, 0, 5);
		VS_ASSERT_INT(count_events(r, 1, &last), 4);
		VS_ASSERT_INT(last, 4);
		vs_db_reader_close(r);
	}
	vs_ring_sink_free(s);
	unlink(out);
	free(out);
	free(dir);
}

static void test_self_recorder(void)
{
	char *out = vs_test_tmp_path(".db");
	vs_recorder *rec = NULL;
	vs_error err;
	uint64_t last = 0;
	VS_ASSERT_INT(vs_recorder_start_self(&rec, out, &err), 0);
	CU_ASSERT_FATAL(rec != NULL);
	VS_ASSERT_INT(vs_trace_enabled(), 1);
	uint32_t id = vs_trace_intern("self/test", 9);
	CU_ASSERT(id != 0);
	VS_ASSERT_INT(vs_recorder_stop_self(rec, 4, &err), 0);
	VS_ASSERT_INT(vs_trace_enabled(), 0);
	vs_db_reader *r = open_trace(out);
	if (r) {
		VS_ASSERT_INT(vs_db_reader_process_count(r), 1);
		check_process(r, 0, 4, 0, 0, 0);
		VS_ASSERT_STR(vs_db_reader_string(r, 1, id), "self/test");
		CU_ASSERT(count_events(r, 1, &last) >= 1); /* PROCESS_START at least */
		vs_db_reader_close(r);
	}
	unlink(out);
	free(out);
}

VS_SUITE_FN(store_recorder)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_record_exit_code), VS_TEST(test_record_python_path), VS_TEST(test_record_signal),
		VS_TEST(test_record_bad_program), VS_TEST(test_record_bad_output),
		VS_TEST(test_drain_dir), VS_TEST(test_drain_dir_lost), VS_TEST_END};
	static const vs_test_case thread_cases[] = {VS_TEST(test_self_recorder), VS_TEST_END};
	vs_test_add_suite("store_recorder", NULL, NULL, cases);
	vs_test_add_suite("store_recorder_thread", NULL, NULL, thread_cases);
}
