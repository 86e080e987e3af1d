/* SPDX-License-Identifier: MIT */
/* tests for store/writer.c and store/derive.c: what a written trace holds,
 * read back through the public SQL views (the fixture lives here too) */
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/db.h"
#include "tests/unit/harness.h"
#include "tests/unit/store_fixture.h"

vs_event vs_test_ev(uint64_t seq, uint32_t tid, unsigned kind, unsigned flags, uint32_t site,
                    const uint32_t p[8])
{
	vs_event e;
	memset(&e, 0, sizeof e);
	e.seq = seq;
	e.ts_ns = FIX_TS0 + seq * 1000;
	e.tid = tid;
	e.kind = (uint16_t)kind;
	e.flags = (uint16_t)flags;
	e.site = site;
	e.graph = 1;
	if (p)
		memcpy(e.p, p, sizeof e.p);
	return e;
}

struct fix_ev {
	uint32_t proc;
	uint64_t seq;
	uint32_t tid;
	unsigned kind, flags;
	uint32_t site;
	uint32_t p[8];
};

static const struct fix_ev fix_events[] = {
	{1, 1, 1, VS_EV_PROCESS_START, 0, 0, {4242}},
	{1, 2, 1, VS_EV_THREAD_START, 0, 0, {100}},
	{1, 3, 1, VS_EV_SITE, 0, 0, {1, 1, 10, 2}},
	{1, 4, 1, VS_EV_VARSCOPE_ENTER, 0, 1, {3, 3, 0, 3, 0, 0, 1, 1}},
	{1, 5, 1, VS_EV_GETVAR_ENTER, 0, 1, {8, 4, 6, 3, 3, 1, 1, 1}},
	{1, 6, 1, VS_EV_CREATOR_CALL, VS_EVF_TRAINABLE, 1, {0, 0, 4, 3, 6, 2}},
	{1, 7, 1, VS_EV_VAR_CREATE, VS_EVF_TRAINABLE | VS_EVF_RESOURCE, 1, {1, 5, 4, 6, 3, 7, 1, 0}},
	{1, 8, 1, VS_EV_CREATOR_RETURN, 0, 1, {0, 0, 1, 0, 0, 2, VS_OUT_CREATED, 1}},
	{1, 9, 1, VS_EV_GETVAR_EXIT, 0, 1, {8, 4, 1, VS_OUT_CREATED, 3, 1, 6, 3}},
	{1, 10, 1, VS_EV_VARSCOPE_EXIT, 0, 1, {0, 3, 0, 0, 0, 0, 1, 1}},
	{1, 11, 2, VS_EV_THREAD_START, 0, 0, {101, 1}},
	{1, 12, 2, VS_EV_GETVAR_ENTER, 0, 0, {9, 9, 0, 0, 0, 3, 0, 1}},
	{1, 13, 2, VS_EV_ERROR, 0, 0, {1, 10, 12}},
	{1, 14, 2, VS_EV_GETVAR_EXIT, 0, 0, {9, 9, 0, VS_OUT_ERROR, 0, 3}},
	/* seq 15-17: lost (thread 2, after seq 14) */
	{1, 18, 1, VS_EV_VAR_CREATE, VS_EVF_DIRECT, 1, {2, 11, 0, 0, 3, 7, 1, 0}},
	{1, 19, 2, VS_EV_THREAD_END, 0, 0, {0}},
	{1, 20, 1, VS_EV_PROCESS_END, 0, 0, {0}},
	/* the fork child: numbering continues after the fork point (seq 10) */
	{2, 11, 1, VS_EV_VARSCOPE_ENTER, 0, 1, {3, 3, 0, 2, 0, 0, 2, 5}},
	{2, 12, 1, VS_EV_NAME_SCOPE_ENTER, 0, 0, {13, 0, 13, 6}},
	{2, 13, 1, VS_EV_ERROR, 0, 1, {1, 10, 0}},
};

static const struct fix_str {
	uint32_t proc, id;
	const char *s;
} fix_strings[] = {
	{1, 1, "main.c"}, {1, 2, "main"}, {1, 3, "foo"}, {1, 4, "foo/v"}, {1, 5, "foo/v:0"},
	{1, 6, "[2,3]"}, {1, 7, "variables,trainable_variables"}, {1, 8, "v"}, {1, 9, "w"},
	{1, 10, FIX_ERR_MSG}, {1, 11, FIX_NAME_ODD}, {2, 10, "child ten"}, {2, 13, "bar/"},
};

/* Writes the fixture; with !finish, commits instead of closing and leaves
 * the writer open (the caller is a child about to be killed). */
static int fixture_write(const char *path, int finish, vs_error *err)
{
	vs_db_writer *w = NULL;
	uint32_t p1 = 0, p2 = 0;
	int ret;
	if ((ret = vs_db_writer_open(&w, path, 1, err)))
		return ret;
	if ((ret = vs_db_writer_meta(w, "program", "/usr/bin/prog", err)) ||
	    (ret = vs_db_writer_meta(w, "argv", "prog --flag 'x y'", err)) ||
	    (ret = vs_db_writer_meta(w, "start_time", "2023-11-14T22:13:20Z", err)) ||
	    (ret = vs_db_writer_process_begin(w, &p1, 4242, 4000, 0, 0, err)))
		goto fail;
	for (size_t i = 0; i < sizeof fix_strings / sizeof fix_strings[0]; i++) {
		const struct fix_str *s = &fix_strings[i];
		if (s->proc == 2 && !p2 &&
		    (ret = vs_db_writer_process_begin(w, &p2, 4243, 4242, p1, 10, err)))
			goto fail;
		if ((ret = vs_db_writer_string(w, s->proc, s->id, s->s, (uint32_t)strlen(s->s), err)))
			goto fail;
	}
	for (size_t i = 0; i < sizeof fix_events / sizeof fix_events[0]; i++) {
		const struct fix_ev *f = &fix_events[i];
		vs_event e = vs_test_ev(f->seq, f->tid, f->kind, f->flags, f->site, f->p);
		if ((ret = vs_db_writer_event(w, f->proc, &e, err)))
			goto fail;
		if (f->proc == 1 && f->seq == 14 && (ret = vs_db_writer_lost(w, 1, 2, 3, 14, err)))
			goto fail;
	}
	if ((ret = vs_db_writer_process_end(w, p1, 0, 0, 0, err)) ||
	    (ret = vs_db_writer_process_end(w, p2, 0, 9, 1, err)))
		goto fail;
	if (!finish)
		return vs_db_writer_commit(w, err);
	return vs_db_writer_close(w, err);
fail:
	vs_db_writer_abort(w);
	return ret;
}

void vs_test_unlink_trace(const char *path)
{
	char journal[1024];
	snprintf(journal, sizeof journal, "%s-journal", path);
	unlink(path);
	unlink(journal);
}

int vs_test_store_fixture(const char *path, vs_error *err)
{
	return fixture_write(path, 1, err);
}

int vs_test_store_fixture_killed(const char *path)
{
	pid_t pid;
	int status = 0;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (fixture_write(path, 0, NULL))
			_exit(3);
		raise(SIGKILL); /* the recorder dies before closing */
		_exit(4);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : -1;
}

char *vs_test_sql_rows(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t cap = 256, len = 0;
	char *out = malloc(cap);
	int rc;
	if (!out)
		abort();
	out[0] = '\0';
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			size_t n;
			if (!v)
				v = "-";
			n = strlen(v);
			while (len + n + 3 > cap) {
				cap *= 2;
				if (!(out = realloc(out, cap)))
					abort();
			}
			if (i)
				out[len++] = '|';
			else if (len)
				out[len++] = '\n';
			memcpy(out + len, v, n + 1);
			len += n;
		}
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_OK) {
		const char *m = db ? sqlite3_errmsg(db) : "open failed";
		free(out);
		out = malloc(strlen(m) + 8);
		if (!out)
			abort();
		sprintf(out, "error: %s", m);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

#define ASSERT_ROWS(path, sql, expected)                                              \
	do {                                                                          \
		char *rows_ = vs_test_sql_rows((path), (sql));                        \
		VS_ASSERT_STR(rows_, (expected));                                     \
		free(rows_);                                                          \
	} while (0)

static char *fixture(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_error err;
	vs_error_init(&err);
	VS_ASSERT_INT(vs_test_store_fixture(path, &err), 0);
	VS_ASSERT_STR(err.msg, "");
	return path;
}

static void test_events_view(void)
{
	char *path = fixture();
	ASSERT_ROWS(path,
	            "SELECT seq, tid, kind, scope, name, outcome, file, line, function"
	            " FROM events WHERE proc = 1 AND kind NOT IN ('SITE') ORDER BY seq",
	            "1|1|PROCESS_START||-|-|-|-|-\n"
	            "2|1|THREAD_START||-|-|-|-|-\n"
	            "4|1|VARSCOPE_ENTER|foo|foo|-|main.c|10|main\n"
	            "5|1|GETVAR_ENTER|foo|foo/v|-|main.c|10|main\n"
	            "6|1|CREATOR_CALL|foo|foo/v|-|main.c|10|main\n"
	            "7|1|VAR_CREATE|foo|foo/v:0|-|main.c|10|main\n"
	            "8|1|CREATOR_RETURN|foo|-|created|main.c|10|main\n"
	            "9|1|GETVAR_EXIT|foo|foo/v|created|main.c|10|main\n"
	            "10|1|VARSCOPE_EXIT|foo|foo|-|main.c|10|main\n"
	            "11|2|THREAD_START||-|-|-|-|-\n"
	            "12|2|GETVAR_ENTER||w|-|-|-|-\n"
	            "13|2|ERROR||" FIX_ERR_MSG "|-|-|-|-\n"
	            "14|2|GETVAR_EXIT||w|error|-|-|-\n"
	            "18|1|VAR_CREATE||" FIX_NAME_ODD "|-|main.c|10|main\n"
	            "19|2|THREAD_END||-|-|-|-|-\n"
	            "20|1|PROCESS_END||-|-|-|-|-");
	ASSERT_ROWS(path, "SELECT ts_ns, pid FROM events WHERE proc = 1 AND seq = 7",
	            "1700000000000007000|4242");
	unlink(path);
	free(path);
}

static void test_variables_view(void)
{
	char *path = fixture();
	ASSERT_ROWS(path,
	            "SELECT name, shape, dtype, trainable, collections, graph, created_by,"
	            " create_seq, file, line, function, proc, tid FROM variables"
	            " ORDER BY proc, create_seq",
	            "foo/v:0|[2,3]|float32|1|variables,trainable_variables|1|get_variable|7|"
	            "main.c|10|main|1|1\n" FIX_NAME_ODD
	            "|-|float32|0|variables,trainable_variables|1|Variable|18|main.c|10|main|1|1");
	/* bound parameters only: the odd name is stored verbatim, ev survives */
	ASSERT_ROWS(path, "SELECT count(*) FROM ev", "20");
	unlink(path);
	free(path);
}

static void test_scopes_view(void)
{
	char *path = fixture();
	ASSERT_ROWS(path,
	            "SELECT proc, thread, kind, name, reuse, enter_seq, exit_seq, parent, depth"
	            " FROM scopes ORDER BY proc, enter_seq",
	            "1|1|variable_scope|foo|AUTO_REUSE|4|10|-|0\n"
	            "2|1|variable_scope|foo|True|11|-|-|0\n"
	            "2|1|name_scope|bar/|-|12|-|2|1");
	unlink(path);
	free(path);
}

static void test_threads_processes_stats(void)
{
	char *path = fixture();
	ASSERT_ROWS(path,
	            "SELECT proc, tid, events, first_seq, last_seq, os_tid, parent_tid, ended"
	            " FROM threads ORDER BY proc, tid",
	            "1|1|12|1|20|100|0|0\n1|2|5|11|19|101|1|1\n2|1|3|11|13|-|-|0");
	ASSERT_ROWS(path,
	            "SELECT proc, pid, ppid, parent_proc, fork_seq, exit_code, signal, truncated,"
	            " ended FROM processes ORDER BY proc",
	            "1|4242|4000|0|0|0|0|0|1\n2|4243|4242|1|10|0|9|1|1");
	ASSERT_ROWS(path,
	            "SELECT proc, pid, events, lost, truncated, exit_code, signal, complete"
	            " FROM stats ORDER BY proc",
	            "1|4242|17|3|0|0|0|1\n2|4243|3|0|1|0|9|1");
	ASSERT_ROWS(path, "SELECT value FROM meta WHERE key = 'argv'", "prog --flag 'x y'");
	unlink(path);
	free(path);
}

static void test_fork_child_inherits(void)
{
	char *path = fixture();
	/* "foo" and the site come from the parent; id 10 is the child's own */
	ASSERT_ROWS(path,
	            "SELECT seq, kind, scope, name, file, line, function FROM events"
	            " WHERE proc = 2 ORDER BY seq",
	            "11|VARSCOPE_ENTER|foo|foo|main.c|10|main\n"
	            "12|NAME_SCOPE_ENTER|foo|bar/|-|-|-\n"
	            "13|ERROR|foo|child ten|main.c|10|main");
	unlink(path);
	free(path);
}

static void test_exists_and_overwrite(void)
{
	char *path = fixture();
	vs_db_writer *w = NULL;
	vs_error err;
	char want[600];
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 0, &err), VS_ERR_IO);
	snprintf(want, sizeof want, "'%s': file exists", path);
	VS_ASSERT_STR(err.msg, want);
	CU_ASSERT_PTR_NULL(w);
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 1, &err), 0);
	VS_ASSERT_INT(vs_db_writer_close(w, &err), 0);
	ASSERT_ROWS(path, "SELECT count(*) FROM events", "0");
	ASSERT_ROWS(path, "SELECT value FROM meta WHERE key = 'complete'", "1");
	unlink(path);
	free(path);
}

static void test_abort_deletes(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_writer *w = NULL;
	uint32_t proc = 0;
	struct stat sb;
	vs_event e = vs_test_ev(1, 1, VS_EV_PROCESS_START, 0, 0, NULL);
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 0, NULL), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &proc, 1, 0, 0, 0, NULL), 0);
	VS_ASSERT_INT(proc, 1);
	VS_ASSERT_INT(vs_db_writer_event(w, proc, &e, NULL), 0);
	VS_ASSERT_INT(vs_db_writer_commit(w, NULL), 0);
	VS_ASSERT_INT(stat(path, &sb), 0);
	vs_db_writer_abort(w);
	VS_ASSERT_INT(stat(path, &sb), -1);
	free(path);
}

static void test_bad_calls(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_writer *w = NULL;
	uint32_t proc = 0;
	vs_error err;
	vs_event e = vs_test_ev(5, 1, VS_EV_THREAD_START, 0, 0, NULL);
	char want[600];
	vs_error_init(&err);
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 0, &err), 0);
	VS_ASSERT_INT(vs_db_writer_event(w, 1, &e, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown process 1");
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &proc, 1, 0, 7, 0, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown parent process 7");
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &proc, 1, 0, 0, 0, &err), 0);
	VS_ASSERT_INT(vs_db_writer_event(w, proc, &e, &err), 0);
	VS_ASSERT_INT(vs_db_writer_event(w, proc, &e, &err), VS_ERR_FORMAT);
	snprintf(want, sizeof want, "'%s': duplicate event seq 5 in process 1", path);
	VS_ASSERT_STR(err.msg, want);
	e.seq = 0;
	VS_ASSERT_INT(vs_db_writer_event(w, proc, &e, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "event seq 0 out of range");
	VS_ASSERT_INT(vs_db_writer_string(w, proc, 0, "x", 1, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "invalid string id 0");
	/* the writer is still usable after rejected calls */
	e.seq = 6;
	VS_ASSERT_INT(vs_db_writer_event(w, proc, &e, &err), 0);
	VS_ASSERT_INT(vs_db_writer_close(w, &err), 0);
	ASSERT_ROWS(path, "SELECT group_concat(seq) FROM events", "5,6");
	unlink(path);
	free(path);
}

static void test_string_edges(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_writer *w = NULL;
	uint32_t proc = 0;
	static const char *const odd[] = {
		"a'b", "\"quoted\"", "x/y/z:0", "\xe5\x8f\x98\xe9\x87\x8f/\xf0\x9f\x98\x80",
		"'); DELETE FROM strings; --", "", "tab\there",
	};
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 0, NULL), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &proc, 1, 0, 0, 0, NULL), 0);
	for (uint32_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		VS_ASSERT_INT(vs_db_writer_string(w, proc, i + 1, odd[i], (uint32_t)strlen(odd[i]), NULL),
		              0);
	/* len counts bytes: a string is cut exactly there, not at a NUL */
	VS_ASSERT_INT(vs_db_writer_string(w, proc, 20, "abcdef", 3, NULL), 0);
	VS_ASSERT_INT(vs_db_writer_close(w, NULL), 0);
	ASSERT_ROWS(path, "SELECT s FROM strings ORDER BY id",
	            "a'b\n\"quoted\"\nx/y/z:0\n\xe5\x8f\x98\xe9\x87\x8f/\xf0\x9f\x98\x80\n"
	            "'); DELETE FROM strings; --\n\ntab\there\nabc");
	unlink(path);
	free(path);
}

/* Writes 5000 events, commits after 3000 and is killed (SIGKILL) without
 * closing, in a child process, as a killed recorder would; 0 when the
 * child got that far. */
static int write_killed(const char *path)
{
	pid_t pid;
	int status = 0;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		vs_db_writer *w = NULL;
		uint32_t proc = 0;
		if (vs_db_writer_open(&w, path, 1, NULL) ||
		    vs_db_writer_meta(w, "program", "/usr/bin/prog", NULL) ||
		    vs_db_writer_process_begin(w, &proc, 77, 1, 0, 0, NULL))
			_exit(3);
		for (uint64_t s = 1; s <= 5000; s++) {
			vs_event e = vs_test_ev(s, 1, VS_EV_OP_CREATE, 0, 0, NULL);
			if (vs_db_writer_event(w, proc, &e, NULL))
				_exit(4);
			if (s == 3000 && vs_db_writer_commit(w, NULL))
				_exit(5);
		}
		raise(SIGKILL); /* no close: the recorder is killed */
		_exit(6);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		return 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The recorder dies after a commit and in the middle of the next batch:
 * the trace keeps the committed events and reads as incomplete. */
static void test_killed_writer_leaves_incomplete_trace(void)
{
	char *path = vs_test_tmp_path(".db");
	char journal[600];
	struct stat sb;
	VS_ASSERT_INT(write_killed(path), 0);
	/* the killed batch left a hot rollback journal: the reader rolls it back */
	snprintf(journal, sizeof journal, "%s-journal", path);
	CU_ASSERT(stat(journal, &sb) == 0 && sb.st_size > 0);
	{
		vs_db_reader *r = NULL;
		vs_error err;
		vs_error_init(&err);
		VS_ASSERT_INT(vs_db_reader_open(&r, path, &err), 0);
		VS_ASSERT_STR(err.msg, "");
		VS_ASSERT_INT(vs_db_reader_complete(r), 0);
		VS_ASSERT_INT(vs_db_reader_process_count(r), 1);
		vs_db_reader_close(r);
	}
	ASSERT_ROWS(path, "SELECT count(*), max(seq) FROM events", "3000|3000");
	ASSERT_ROWS(path, "SELECT complete, ended FROM stats", "0|0");
	CU_ASSERT(stat(journal, &sb) != 0 || sb.st_size == 0);
	vs_test_unlink_trace(path);
	free(path);
}

/* The raw event table stays within 64 bytes per event on disk (typical
 * payloads: small ids, a timestamp that grows by ~1 us per event). */
static void test_bytes_per_event(void)
{
	char *path = vs_test_tmp_path(".db");
	vs_db_writer *w = NULL;
	uint32_t proc = 0;
	const uint64_t n = 100000;
	char *rows, *end;
	double per;
	VS_ASSERT_INT(vs_db_writer_open(&w, path, 0, NULL), 0);
	VS_ASSERT_INT(vs_db_writer_process_begin(w, &proc, 1, 0, 0, 0, NULL), 0);
	for (uint64_t s = 1; s <= n; s++) {
		uint32_t p[8] = {(uint32_t)(s % 300), (uint32_t)(s % 1000), (uint32_t)(s % 7), 3,
		                 (uint32_t)(s % 4), (uint32_t)s, 0, 0};
		vs_event e = vs_test_ev(s, 1 + (uint32_t)(s % 4), VS_EV_GETVAR_ENTER + s % 5, 0,
		                        (uint32_t)(s % 200), p);
		if (vs_db_writer_event(w, proc, &e, NULL))
			break;
	}
	VS_ASSERT_INT(vs_db_writer_close(w, NULL), 0);
	rows = vs_test_sql_rows(path, "SELECT SUM(pgsize) FROM dbstat WHERE name = 'ev'");
	per = strtod(rows, &end) / (double)n;
	if (end != rows) {
		printf("\n    raw event table: %.1f bytes/event ", per);
		CU_ASSERT(per > 8.0 && per <= 64.0);
	}
	free(rows);
	unlink(path);
	free(path);
}

/* SQLite's allocator, failing the n-th allocation from now on when armed. */
static sqlite3_mem_methods real_mem;
static long fail_countdown = -1; /* -1: never fail */

static void *failing_malloc(int n)
{
	if (fail_countdown == 0)
		return NULL;
	if (fail_countdown > 0)
		fail_countdown--;
	return real_mem.xMalloc(n);
}

static void *failing_realloc(void *p, int n)
{
	if (fail_countdown == 0)
		return NULL;
	if (fail_countdown > 0)
		fail_countdown--;
	return real_mem.xRealloc(p, n);
}

/* Every allocation SQLite makes while the fixture is written fails in
 * turn: the writer reports an error, leaks nothing, and leaves either no
 * file (aborted) or a readable trace (a failed close keeps the last commit). */
static void test_alloc_failures(void)
{
	char *path = vs_test_tmp_path(".db");
	sqlite3_mem_methods failing;
	long n;
	int ok = 0, failures = 0, kept = 0;
	if (sqlite3_shutdown() != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK) {
		CU_FAIL("cannot reconfigure SQLite's allocator");
		free(path);
		return;
	}
	failing = real_mem;
	failing.xMalloc = failing_malloc;
	failing.xRealloc = failing_realloc;
	VS_ASSERT_INT(sqlite3_config(SQLITE_CONFIG_MALLOC, &failing), SQLITE_OK);
	VS_ASSERT_INT(sqlite3_initialize(), SQLITE_OK);
	for (n = 0; n < 100000 && !ok; n += 1 + n / 64) {
		vs_error err;
		struct stat sb;
		int rc;
		vs_error_init(&err);
		fail_countdown = n;
		rc = vs_test_store_fixture(path, &err);
		fail_countdown = -1;
		if (rc == 0) {
			ok = 1;
			break;
		}
		failures++;
		CU_ASSERT(rc < 0 && err.msg[0] != '\0');
		if (stat(path, &sb) == 0) {
			vs_db_reader *r = NULL;
			kept++;
			CU_ASSERT(vs_db_reader_open(&r, path, &err) == 0);
			CU_ASSERT(vs_db_reader_complete(r) == 0);
			vs_db_reader_close(r);
			vs_test_unlink_trace(path);
		}
	}
	VS_ASSERT_INT(ok, 1);
	CU_ASSERT(failures > 10);
	if (getenv("VS_TEST_VERBOSE"))
		printf("\n    %d failed runs, %d left a trace ", failures, kept);
	ASSERT_ROWS(path, "SELECT count(*) FROM events", "20");
	sqlite3_shutdown();
	sqlite3_config(SQLITE_CONFIG_MALLOC, &real_mem);
	sqlite3_initialize();
	vs_test_unlink_trace(path);
	free(path);
}

/* VS_STORE_FIXTURE=PATH: also leave the fixture at PATH (and a killed
 * recording at PATH.killed.db) for the e2e tests. */
static void test_fixture_export(void)
{
	const char *out = getenv("VS_STORE_FIXTURE");
	vs_error err;
	vs_error_init(&err);
	char *killed;
	if (!out)
		return;
	VS_ASSERT_INT(vs_test_store_fixture(out, &err), 0);
	VS_ASSERT_STR(err.msg, "");
	/* and PATH.killed.db: a trace whose recorder died */
	killed = malloc(strlen(out) + 16);
	if (!killed)
		abort();
	sprintf(killed, "%s.killed.db", out);
	VS_ASSERT_INT(vs_test_store_fixture_killed(killed), 0);
	free(killed);
}

VS_SUITE_FN(store_writer)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_events_view),
		VS_TEST(test_variables_view),
		VS_TEST(test_scopes_view),
		VS_TEST(test_threads_processes_stats),
		VS_TEST(test_fork_child_inherits),
		VS_TEST(test_exists_and_overwrite),
		VS_TEST(test_abort_deletes),
		VS_TEST(test_bad_calls),
		VS_TEST(test_string_edges),
		VS_TEST(test_killed_writer_leaves_incomplete_trace),
		VS_TEST(test_bytes_per_event),
		VS_TEST(test_alloc_failures),
		VS_TEST(test_fixture_export),
		VS_TEST_END};
	vs_test_add_suite("store_writer", NULL, NULL, cases);
}
