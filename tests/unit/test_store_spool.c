/* SPDX-License-Identifier: MIT */
/* tests for store/spool.c (the spool file writer and reader) and
 * store/convert.c (spool -> SQLite trace, recover) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/db.h"
#include "store/spool.h"
#include "tests/unit/harness.h"
#include "tests/unit/store_fixture.h"

static char *spool_path(void)
{
	char *p = vs_test_tmp_path(".spool");
	unlink(p);
	return p;
}

/* reads every record of path: counts per type, the events' seqs summed */
struct tally {
	unsigned n[16];
	uint64_t events, seq_sum;
	int torn, rc;
	char last_string[64];
};

static struct tally read_all(const char *path)
{
	struct tally t;
	vs_spool_reader *r = NULL;
	vs_spool_rec rec;
	vs_error err;
	memset(&t, 0, sizeof t);
	t.rc = vs_spool_reader_open(&r, path, &err);
	if (t.rc < 0)
		return t;
	while ((t.rc = vs_spool_reader_next(r, &rec, &err)) > 0) {
		t.n[rec.type & 15]++;
		if (rec.type == VS_SPOOL_EVENTS) {
			for (uint32_t off = 0; off < rec.len; off += 64) {
				vs_event ev;
				memcpy(&ev, (const char *)rec.data + off, sizeof ev);
				t.events++;
				t.seq_sum += ev.seq;
			}
		} else if (rec.type == VS_SPOOL_STRING) {
			snprintf(t.last_string, sizeof t.last_string, "%.*s", (int)rec.len - 4,
			         (const char *)rec.data + 4);
		}
	}
	t.torn = vs_spool_reader_torn(r);
	vs_spool_reader_close(r);
	return t;
}

static int write_events(vs_spool *s, uint64_t from, uint64_t n, vs_error *err)
{
	for (uint64_t i = 0; i < n; i++) {
		vs_event ev = vs_test_ev(from + i, 1, VS_EV_OP_CREATE, 0, 0, NULL);
		if (vs_spool_event(s, &ev, err) < 0)
			return -1;
	}
	return 0;
}

/* 10000 events span several buffers; other records split the EVENTS runs */
static void test_roundtrip(void)
{
	char *path = spool_path();
	vs_spool *s = NULL;
	vs_error err;
	struct vs_spool_proc p = {1, 0, 4242, 1, 0};
	CU_ASSERT_FATAL(vs_spool_create(&s, path, &err) == 0);
	CU_ASSERT(vs_spool_proc_begin(s, &p, &err) == 0);
	CU_ASSERT(vs_spool_string(s, 1, "foo/bar", 7, &err) == 0);
	CU_ASSERT(write_events(s, 1, 6000, &err) == 0);
	CU_ASSERT(vs_spool_lost(s, 1, 3, 6000, &err) == 0);
	CU_ASSERT(write_events(s, 6004, 3997, &err) == 0);
	CU_ASSERT(vs_spool_proc_end(s, 0, 0, 0, &err) == 0);
	CU_ASSERT(vs_spool_close(s, &err) == 0);
	struct tally t = read_all(path);
	VS_ASSERT_INT(t.rc, 0);
	VS_ASSERT_INT(t.events, 9997);
	/* 1..6000 and 6004..10000 */
	VS_ASSERT_INT(t.seq_sum, 6000ull * 6001 / 2 + (10000ull * 10001 / 2 - 6003ull * 6004 / 2));
	VS_ASSERT_INT(t.n[VS_SPOOL_PROC_BEGIN], 1);
	VS_ASSERT_INT(t.n[VS_SPOOL_STRING], 1);
	VS_ASSERT_INT(t.n[VS_SPOOL_LOST], 1);
	VS_ASSERT_INT(t.n[VS_SPOOL_PROC_END], 1);
	CU_ASSERT(t.n[VS_SPOOL_EVENTS] >= 3); /* split by the LOST record and the buffer */
	VS_ASSERT_STR(t.last_string, "foo/bar");
	VS_ASSERT_INT(t.torn, 0);
	unlink(path);
	free(path);
}

/* vs_spool_events writes the same bytes as one vs_spool_event per event,
 * across buffer boundaries and around other records */
static void test_events_bulk(void)
{
	char *a = spool_path(), *b = vs_test_tmp_path(".spool2");
	vs_spool *sa = NULL, *sb = NULL;
	vs_error err;
	size_t taken = 0;
	enum { N = 9000 };
	vs_event *evs = calloc(N, sizeof *evs);
	CU_ASSERT_FATAL(evs != NULL);
	unlink(b);
	for (size_t i = 0; i < N; i++)
		evs[i] = vs_test_ev(i + 1, 1 + (uint32_t)(i % 3 == 0), VS_EV_OP_CREATE, 0, 0, NULL);
	CU_ASSERT_FATAL(vs_spool_create(&sa, a, &err) == 0);
	CU_ASSERT_FATAL(vs_spool_create(&sb, b, &err) == 0);
	for (size_t i = 0; i < N; i++) {
		CU_ASSERT(vs_spool_event(sa, &evs[i], &err) == 0);
		if (i == 99)
			CU_ASSERT(vs_spool_string(sa, 7, "seven", 5, &err) == 0);
	}
	VS_ASSERT_INT(vs_spool_events(sb, evs, 100, &taken, &err), 0);
	VS_ASSERT_INT(taken, 100);
	CU_ASSERT(vs_spool_string(sb, 7, "seven", 5, &err) == 0);
	VS_ASSERT_INT(vs_spool_events(sb, evs + 100, N - 100, &taken, &err), 0);
	VS_ASSERT_INT(taken, N - 100);
	CU_ASSERT(vs_spool_close(sa, &err) == 0);
	CU_ASSERT(vs_spool_close(sb, &err) == 0);
	char *ca = NULL, *cb = NULL;
	size_t la = 0, lb = 0;
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	CU_ASSERT_FATAL(fa && fb);
	ca = malloc(N * 64 + 65536);
	cb = malloc(N * 64 + 65536);
	la = fread(ca, 1, N * 64 + 65536, fa);
	lb = fread(cb, 1, N * 64 + 65536, fb);
	fclose(fa);
	fclose(fb);
	VS_ASSERT_INT(lb, la);
	CU_ASSERT(la > N * 64 && memcmp(ca, cb, la) == 0);
	struct tally t = read_all(b);
	VS_ASSERT_INT(t.events, N);
	VS_ASSERT_INT(t.seq_sum, (uint64_t)N * (N + 1) / 2);
	VS_ASSERT_STR(t.last_string, "seven");
	free(ca);
	free(cb);
	free(evs);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
}

/* a file cut inside its last record: the whole records, then "torn" */
static void test_torn_tail(void)
{
	char *path = spool_path();
	vs_spool *s = NULL;
	vs_error err;
	struct stat sb;
	CU_ASSERT_FATAL(vs_spool_create(&s, path, &err) == 0);
	CU_ASSERT(vs_spool_meta(s, "program", "/bin/x", &err) == 0);
	CU_ASSERT(write_events(s, 1, 10, &err) == 0);
	CU_ASSERT(vs_spool_close(s, &err) == 0);
	CU_ASSERT_FATAL(stat(path, &sb) == 0);
	/* header 16 + meta (8 + 16) + events (8 + 640) */
	VS_ASSERT_INT(sb.st_size, 16 + 24 + 648);
	CU_ASSERT(truncate(path, sb.st_size - 5) == 0);
	struct tally t = read_all(path);
	VS_ASSERT_INT(t.rc, 0);
	VS_ASSERT_INT(t.n[VS_SPOOL_META], 1);
	VS_ASSERT_INT(t.events, 0);
	VS_ASSERT_INT(t.torn, 1);
	unlink(path);
	free(path);
}

/* the reader follows a file that grows (a converter tailing the recorder) */
static void test_tail_growing(void)
{
	char *path = spool_path();
	vs_spool *s = NULL;
	vs_spool_reader *r = NULL;
	vs_spool_rec rec;
	vs_error err;
	CU_ASSERT_FATAL(vs_spool_create(&s, path, &err) == 0);
	CU_ASSERT(vs_spool_flush(s, &err) == 0);
	CU_ASSERT_FATAL(vs_spool_reader_open(&r, path, &err) == 0);
	VS_ASSERT_INT(vs_spool_reader_next(r, &rec, &err), 0);
	VS_ASSERT_INT(vs_spool_reader_torn(r), 0);
	CU_ASSERT(write_events(s, 1, 2, &err) == 0);
	CU_ASSERT(vs_spool_flush(s, &err) == 0);
	VS_ASSERT_INT(vs_spool_reader_next(r, &rec, &err), 1);
	VS_ASSERT_INT(rec.type, VS_SPOOL_EVENTS);
	VS_ASSERT_INT(rec.len, 128);
	VS_ASSERT_INT(vs_spool_reader_next(r, &rec, &err), 0);
	CU_ASSERT(vs_spool_end(s, &err) == 0);
	CU_ASSERT(vs_spool_close(s, &err) == 0);
	VS_ASSERT_INT(vs_spool_reader_next(r, &rec, &err), 1);
	VS_ASSERT_INT(rec.type, VS_SPOOL_END);
	VS_ASSERT_INT(rec.len, 0);
	vs_spool_reader_close(r);
	unlink(path);
	free(path);
}

/* a string longer than the writer's buffer goes straight to the file */
static void test_long_string(void)
{
	char *path = spool_path();
	size_t len = VS_SPOOL_BUF + 1000;
	char *big = malloc(len);
	vs_spool *s = NULL;
	vs_spool_reader *r = NULL;
	vs_spool_rec rec;
	vs_error err;
	CU_ASSERT_FATAL(big != NULL);
	for (size_t i = 0; i < len; i++)
		big[i] = (char)('a' + i % 26);
	CU_ASSERT_FATAL(vs_spool_create(&s, path, &err) == 0);
	CU_ASSERT(write_events(s, 1, 1, &err) == 0);
	CU_ASSERT(vs_spool_string(s, 77, big, (uint32_t)len, &err) == 0);
	CU_ASSERT(write_events(s, 2, 1, &err) == 0);
	CU_ASSERT(vs_spool_close(s, &err) == 0);
	CU_ASSERT_FATAL(vs_spool_reader_open(&r, path, &err) == 0);
	VS_ASSERT_INT(vs_spool_reader_next(r, &rec, &err), 1);
	VS_ASSERT_INT(rec.type, VS_SPOOL_EVENTS);
	VS_ASSERT_INT(vs_spool_reader_next(r, &rec, &err), 1);
	VS_ASSERT_INT(rec.type, VS_SPOOL_STRING);
	VS_ASSERT_INT(rec.len, len + 4);
	CU_ASSERT(memcmp((const char *)rec.data + 4, big, len) == 0);
	VS_ASSERT_INT(vs_spool_reader_next(r, &rec, &err), 1);
	VS_ASSERT_INT(rec.type, VS_SPOOL_EVENTS);
	VS_ASSERT_INT(vs_spool_reader_next(r, &rec, &err), 0);
	vs_spool_reader_close(r);
	free(big);
	unlink(path);
	free(path);
}

static void test_bad_files(void)
{
	char *path = spool_path();
	vs_spool_reader *r = NULL;
	vs_spool_rec rec;
	vs_error err;
	char msg[600];
	int fd;
	VS_ASSERT_INT(vs_spool_reader_open(&r, path, &err), VS_ERR_NOT_FOUND);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(write(fd, "SQLite format 3\0", 16) == 16);
	close(fd);
	VS_ASSERT_INT(vs_spool_reader_open(&r, path, &err), VS_ERR_FORMAT);
	snprintf(msg, sizeof msg, "'%s': not a vstrace spool file of version 1", path);
	VS_ASSERT_STR(err.msg, msg);
	/* a valid header, then a record claiming 2 GiB */
	unlink(path);
	vs_spool *s = NULL;
	CU_ASSERT_FATAL(vs_spool_create(&s, path, &err) == 0);
	CU_ASSERT(vs_spool_close(s, &err) == 0);
	fd = open(path, O_WRONLY | O_APPEND);
	uint32_t hdr[2] = {VS_SPOOL_EVENTS, 0x80000000u};
	CU_ASSERT(write(fd, hdr, sizeof hdr) == (ssize_t)sizeof hdr);
	close(fd);
	CU_ASSERT_FATAL(vs_spool_reader_open(&r, path, &err) == 0);
	VS_ASSERT_INT(vs_spool_reader_next(r, &rec, &err), VS_ERR_FORMAT);
	snprintf(msg, sizeof msg, "'%s': corrupt spool record at offset 16", path);
	VS_ASSERT_STR(err.msg, msg);
	vs_spool_reader_close(r);
	/* the spool file must not exist yet */
	VS_ASSERT_INT(vs_spool_create(&s, path, &err), VS_ERR_IO);
	snprintf(msg, sizeof msg, "'%s': File exists", path);
	VS_ASSERT_STR(err.msg, msg);
	unlink(path);
	free(path);
}

/* a write that fails (file size limit) fails every later call the same way */
static int sticky_child(const char *path)
{
	struct rlimit rl = {100000, 100000};
	vs_spool *s = NULL;
	vs_error err;
	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0 || vs_spool_create(&s, path, &err) < 0)
		return 10;
	if (write_events(s, 1, 5000, &err) == 0) /* 320 KB: the first flush fails */
		return 11;
	if (err.code != VS_ERR_IO || !strstr(err.msg, "File too large"))
		return 12;
	if (vs_spool_meta(s, "k", "v", &err) != VS_ERR_IO || !strstr(err.msg, "File too large"))
		return 13;
	if (vs_spool_close(s, &err) != VS_ERR_IO)
		return 14;
	return 0;
}

/* a write that fails (file size limit) fails every later call the same way */
static void test_sticky_failure(void)
{
	char *path = spool_path();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int rc = sticky_child(path);
		free(path); /* the child's copy */
		_exit(rc);
	}
	int status = -1;
	CU_ASSERT(waitpid(pid, &status, 0) == pid);
	CU_ASSERT(WIFEXITED(status));
	VS_ASSERT_INT(WEXITSTATUS(status), 0);
	unlink(path);
	free(path);
}

/* ---------------------------------------------------------- converter */

struct spool_fix {
	char dir[400], out[400];
};

static void mkspool(struct spool_fix *f)
{
	char *base = vs_test_tmp_path(".d");
	snprintf(f->dir, sizeof f->dir, "%s", base);
	snprintf(f->out, sizeof f->out, "%s/t.db", base);
	free(base);
	CU_ASSERT_FATAL(mkdir(f->dir, 0700) == 0);
	char sp[400];
	if (snprintf(sp, sizeof sp, "%.300s/t.db" VS_SPOOL_DIR_TAG "abc123", f->dir) >= (int)sizeof sp)
		abort();
	CU_ASSERT_FATAL(mkdir(sp, 0700) == 0);
	snprintf(f->dir, sizeof f->dir, "%s", sp);
}

static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[1024];
		struct stat sb;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rm_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static void fix_done(struct spool_fix *f)
{
	char *slash = strrchr(f->out, '/');
	*slash = '\0';
	rm_tree(f->out);
}

static vs_spool *open_file(const struct spool_fix *f, const char *name)
{
	char p[1024];
	vs_spool *s = NULL;
	vs_error err;
	snprintf(p, sizeof p, "%s/%s", f->dir, name);
	if (vs_spool_create(&s, p, &err) < 0)
		return NULL;
	return s;
}

static void put_ev(vs_spool *s, uint64_t seq, uint32_t tid, unsigned kind, unsigned flags,
                   uint32_t site, const uint32_t p[8])
{
	vs_error err;
	vs_event ev = vs_test_ev(seq, tid, kind, flags, site, p);
	CU_ASSERT(vs_spool_event(s, &ev, &err) == 0);
}

/* proc 1: scope "foo" entered, foo/v created, scope left; proc 2 forked
 * after seq 3, enters "foo" (inherited string 1) and dies unfinished */
static void write_fixture(const struct spool_fix *f, int finished)
{
	vs_error err;
	vs_spool *run = open_file(f, VS_SPOOL_RUN_NAME);
	vs_spool *p1 = open_file(f, "proc-1.spool");
	CU_ASSERT_FATAL(run && p1);
	CU_ASSERT(vs_spool_meta(run, "program", "/bin/prog", &err) == 0);
	CU_ASSERT(vs_spool_meta(run, "output", f->out, &err) == 0);
	struct vs_spool_proc b1 = {1, 0, 500, 400, 0};
	CU_ASSERT(vs_spool_proc_begin(p1, &b1, &err) == 0);
	CU_ASSERT(vs_spool_string(p1, 1, "foo", 3, &err) == 0);
	CU_ASSERT(vs_spool_string(p1, 2, "foo/v:0", 7, &err) == 0);
	CU_ASSERT(vs_spool_string(p1, 3, "main.c", 6, &err) == 0);
	put_ev(p1, 1, 1, VS_EV_SITE, 0, 0, (uint32_t[8]){1, 3, 12, 0});
	put_ev(p1, 2, 1, VS_EV_VARSCOPE_ENTER, 0, 1,
	       (uint32_t[8]){1, 1, VS_REUSE_AUTO, VS_REUSE_AUTO, 0, 0, 1, 7});
	put_ev(p1, 3, 1, VS_EV_VAR_CREATE, VS_EVF_TRAINABLE, 1,
	       (uint32_t[8]){1, 2, 0, 0, VS_DT_FLOAT32, 0, 1, 0});
	CU_ASSERT(vs_spool_lost(p1, 1, 2, 3, &err) == 0);
	put_ev(p1, 6, 1, VS_EV_VARSCOPE_EXIT, 0, 1, (uint32_t[8]){0, 1, 0, 0, 0, 0, 1, 7});
	CU_ASSERT(vs_spool_proc_end(p1, 3, 0, 0, &err) == 0);
	CU_ASSERT(vs_spool_close(p1, &err) == 0);
	vs_spool *p2 = open_file(f, "proc-2.spool");
	CU_ASSERT_FATAL(p2 != NULL);
	struct vs_spool_proc b2 = {2, 1, 501, 500, 3};
	CU_ASSERT(vs_spool_proc_begin(p2, &b2, &err) == 0);
	put_ev(p2, 4, 1, VS_EV_VARSCOPE_ENTER, 0, 1,
	       (uint32_t[8]){1, 1, 0, VS_REUSE_FALSE, 0, 0, 2, 9});
	if (finished) {
		CU_ASSERT(vs_spool_proc_end(p2, -1, 9, 1, &err) == 0);
		CU_ASSERT(vs_spool_end(run, &err) == 0);
	}
	CU_ASSERT(vs_spool_close(p2, &err) == 0);
	CU_ASSERT(vs_spool_close(run, &err) == 0);
}

static void assert_rows(const char *path, const char *sql, const char *want)
{
	char *got = vs_test_sql_rows(path, sql);
	VS_ASSERT_STR(got, want);
	free(got);
}

static void test_convert_complete(void)
{
	struct spool_fix f;
	vs_spool_summary sum;
	vs_error err;
	char *written = NULL;
	mkspool(&f);
	write_fixture(&f, 1);
	CU_ASSERT_FATAL(vs_spool_convert(f.dir, NULL, 0, &sum, &written, &err) == 0);
	VS_ASSERT_STR(written, f.out);
	VS_ASSERT_INT(sum.processes, 2);
	VS_ASSERT_INT(sum.events, 5);
	VS_ASSERT_INT(sum.lost, 2);
	VS_ASSERT_INT(sum.complete, 1);
	VS_ASSERT_STR(sum.cause, "");
	CU_ASSERT(access(f.dir, F_OK) != 0); /* the spool is gone */
	assert_rows(f.out, "SELECT proc, pid, events, lost, exit_code, signal, truncated, complete"
	                   " FROM stats ORDER BY proc",
	            "1|500|4|2|3|0|0|1\n2|501|1|0|-1|9|1|1");
	assert_rows(f.out, "SELECT name, shape, dtype, file, line, proc, tid FROM variables",
	            "foo/v:0|-|float32|main.c|12|1|1");
	assert_rows(f.out, "SELECT proc, thread, kind, name, reuse, enter_seq, exit_seq, depth"
	                   " FROM scopes ORDER BY id",
	            "1|1|variable_scope|foo|AUTO_REUSE|2|6|0\n"
	            "2|1|variable_scope|foo|False|4|-|0");
	assert_rows(f.out, "SELECT value FROM meta WHERE key IN ('program', 'incomplete_cause')",
	            "/bin/prog");
	free(written);
	fix_done(&f);
}

static void test_convert_incomplete(void)
{
	struct spool_fix f;
	vs_spool_summary sum;
	vs_error err;
	char p2[1024];
	struct stat sb;
	mkspool(&f);
	write_fixture(&f, 0);
	/* the recorder died inside its last write */
	snprintf(p2, sizeof p2, "%s/proc-2.spool", f.dir);
	CU_ASSERT_FATAL(stat(p2, &sb) == 0);
	CU_ASSERT(truncate(p2, sb.st_size - 8) == 0);
	CU_ASSERT_FATAL(vs_spool_convert(f.dir, NULL, 0, &sum, NULL, &err) == 0);
	VS_ASSERT_INT(sum.complete, 0);
	VS_ASSERT_STR(sum.cause, "the recorder stopped while writing; the recorder did not"
	                         " finish process 2; the recorder did not finish the recording");
	VS_ASSERT_INT(sum.events, 4);
	assert_rows(f.out, "SELECT proc, events, exit_code, complete FROM stats ORDER BY proc",
	            "1|4|3|0\n2|0|-|0");
	assert_rows(f.out, "SELECT value FROM meta WHERE key = 'incomplete_cause'", sum.cause);
	assert_rows(f.out, "SELECT name FROM variables", "foo/v:0");
	fix_done(&f);
}

/* an existing output is kept unless asked; nothing temporary is left */
static void test_convert_exists(void)
{
	struct spool_fix f;
	vs_spool_summary sum;
	vs_error err;
	char msg[1024], parent[600];
	mkspool(&f);
	write_fixture(&f, 1);
	FILE *o = fopen(f.out, "w");
	CU_ASSERT_FATAL(o != NULL);
	fputs("mine", o);
	fclose(o);
	VS_ASSERT_INT(vs_spool_convert(f.dir, NULL, 0, &sum, NULL, &err), VS_ERR_IO);
	snprintf(msg, sizeof msg, "'%s': file exists", f.out);
	VS_ASSERT_STR(err.msg, msg);
	snprintf(parent, sizeof parent, "%s", f.out);
	*strrchr(parent, '/') = '\0';
	DIR *d = opendir(parent);
	struct dirent *de;
	int others = 0;
	while (d && (de = readdir(d)))
		others += strstr(de->d_name, ".tmp-") != NULL;
	if (d)
		closedir(d);
	VS_ASSERT_INT(others, 0);
	CU_ASSERT(access(f.dir, F_OK) == 0); /* the spool is kept for another try */
	CU_ASSERT(vs_spool_convert(f.dir, NULL, VS_SPOOL_OVERWRITE, &sum, NULL, &err) == 0);
	assert_rows(f.out, "SELECT count(*) FROM events", "5");
	fix_done(&f);
}

/* recover by the trace's name finds the spool next to it */
static void test_recover(void)
{
	struct spool_fix f;
	vs_spool_summary sum;
	vs_error err;
	char *written = NULL, msg[1024];
	mkspool(&f);
	write_fixture(&f, 0);
	CU_ASSERT_FATAL(vs_spool_recover(f.out, NULL, &sum, &written, &err) == 0);
	VS_ASSERT_STR(written, f.out);
	VS_ASSERT_INT(sum.complete, 0);
	assert_rows(f.out, "SELECT count(*) FROM events", "5");
	free(written);
	VS_ASSERT_INT(vs_spool_recover(f.out, NULL, &sum, &written, &err), VS_ERR_NOT_FOUND);
	snprintf(msg, sizeof msg, "'%s': nothing to recover (no spool)", f.out);
	VS_ASSERT_STR(err.msg, msg);
	fix_done(&f);
}

/* ------------------------------------------------------------ spooler */

static int spool_events(vs_spooler *sp, uint32_t proc, uint64_t n, vs_error *err)
{
	for (uint64_t seq = 1; seq <= n; seq++) {
		vs_event ev = vs_test_ev(seq, 1 + (uint32_t)(seq & 1), VS_EV_OP_CREATE, 0, 0, NULL);
		if (vs_spooler_event(sp, proc, &ev, err) < 0)
			return -1;
		if (seq % 1000 == 0 && vs_spooler_flush(sp, err) < 0)
			return -1;
	}
	return 0;
}

static void test_spooler_record(void)
{
	char *dir = vs_test_tmp_path(".sd"), out[600];
	vs_spooler *sp = NULL;
	vs_spool_summary sum;
	vs_error err;
	uint32_t proc = 0;
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	snprintf(out, sizeof out, "%s/t.db", dir);
	CU_ASSERT_FATAL(vs_spooler_open(&sp, out, 0, &err) == 0);
	CU_ASSERT(strncmp(vs_spooler_dir(sp), dir, strlen(dir)) == 0);
	CU_ASSERT(strstr(vs_spooler_dir(sp), "/t.db.spool-") != NULL);
	CU_ASSERT(vs_spooler_meta(sp, "program", "/bin/p", &err) == 0);
	CU_ASSERT(vs_spooler_process_begin(sp, &proc, 77, 1, 0, 0, &err) == 0);
	VS_ASSERT_INT(proc, 1);
	CU_ASSERT(vs_spooler_string(sp, 1, 5, "abc", 3, &err) == 0);
	CU_ASSERT(spool_events(sp, 1, 5000, &err) == 0);
	CU_ASSERT(vs_spooler_process_end(sp, 1, 4, 0, 0, &err) == 0);
	VS_ASSERT_STR(vs_spooler_cause(sp), "");
	VS_ASSERT_INT(vs_spooler_dropped(sp), 0);
	CU_ASSERT_FATAL(vs_spooler_close(sp, &sum, &err) == 0);
	VS_ASSERT_INT(sum.complete, 1);
	VS_ASSERT_INT(sum.events, 5000);
	VS_ASSERT_INT(sum.replaced_other, 0);
	assert_rows(out, "SELECT count(*), max(seq), min(seq) FROM events", "5000|5000|1");
	assert_rows(out, "SELECT pid, exit_code, complete FROM stats", "77|4|1");
	assert_rows(out, "SELECT value FROM meta WHERE key = 'program'", "/bin/p");
	/* nothing but the trace is left */
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	while (d && (de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	VS_ASSERT_INT(n, 1);
	/* without overwrite an existing output is refused before anything */
	char msg[700];
	VS_ASSERT_INT(vs_spooler_open(&sp, out, 0, &err), VS_ERR_IO);
	snprintf(msg, sizeof msg, "'%s': file exists", out);
	VS_ASSERT_STR(err.msg, msg);
	rm_tree(dir);
	free(dir);
}

/* in a child with its own mount namespace: the output is on a 2 MiB
 * tmpfs that fills up while 60000 events are spooled.  The spooler never
 * fails a call; the trace holds what was written, marked incomplete with
 * the cause, and every other event is a LOST row right after its thread's
 * last recorded event. */
static int disk_full_child(const char *dir)
{
	char out[600];
	vs_spooler *sp = NULL;
	vs_spool_summary sum;
	vs_error err;
	uint32_t proc;
	if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", dir, "tmpfs", 0, "size=2m") != 0)
		return 77;
	snprintf(out, sizeof out, "%s/t.db", dir);
	if (vs_spooler_open(&sp, out, 0, &err) < 0 ||
	    vs_spooler_process_begin(sp, &proc, 77, 1, 0, 0, &err) < 0)
		return 10;
	if (spool_events(sp, proc, 60000, &err) < 0 || vs_spooler_process_end(sp, 1, 0, 0, 0, &err) < 0)
		return 11;
	if (!strstr(vs_spooler_cause(sp), "No space left on device") || !vs_spooler_dropped(sp))
		return 12;
	if (vs_spooler_close(sp, &sum, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 13;
	}
	if (sum.complete || !strstr(sum.cause, "No space left on device") || sum.events == 0 ||
	    sum.events + sum.lost != 60000)
		return 14;
	char *rows = vs_test_sql_rows(out,
	                              "SELECT e.tid, count(*) + l.n, max(e.seq) = l.after_seq"
	                              " FROM events e JOIN lost l ON l.tid = e.tid GROUP BY e.tid");
	int ok = rows && !strcmp(rows, "1|30000|1\n2|30000|1");
	free(rows);
	if (!ok)
		return 15;
	rows = vs_test_sql_rows(out, "SELECT complete FROM stats");
	ok = rows && !strcmp(rows, "0");
	free(rows);
	umount2(dir, MNT_DETACH);
	return ok ? 0 : 16;
}

static void test_spooler_disk_full(void)
{
	char *dir = vs_test_tmp_path(".full");
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int rc = disk_full_child(dir);
		free(dir); /* the child's copy */
		_exit(rc);
	}
	int status = -1;
	CU_ASSERT(waitpid(pid, &status, 0) == pid);
	CU_ASSERT(WIFEXITED(status));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
		fprintf(stderr, "(test_spooler_disk_full: no mount namespace, not run) ");
	else
		VS_ASSERT_INT(WEXITSTATUS(status), 0);
	rm_tree(dir);
	free(dir);
}

/* vs_spooler_events: interleaved runs of two threads, each thread's rows
 * in order; an unknown process is refused */
static void test_spooler_events(void)
{
	char *dir = vs_test_tmp_path(".se"), out[600];
	vs_spooler *sp = NULL;
	vs_spool_summary sum;
	vs_error err;
	uint32_t proc = 0;
	vs_event evs[10];
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	snprintf(out, sizeof out, "%s/t.db", dir);
	for (uint64_t i = 0; i < 10; i++) /* tids 1 1 1 2 2 1 1 2 2 2 */
		evs[i] = vs_test_ev(i + 1, (i >= 3 && i <= 4) || i >= 7 ? 2 : 1, VS_EV_OP_CREATE,
		                    0, 0, NULL);
	CU_ASSERT_FATAL(vs_spooler_open(&sp, out, 0, &err) == 0);
	CU_ASSERT(vs_spooler_process_begin(sp, &proc, 8, 1, 0, 0, &err) == 0);
	VS_ASSERT_INT(vs_spooler_events(sp, 3, evs, 10, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown process 3");
	VS_ASSERT_INT(vs_spooler_events(sp, proc, evs, 10, &err), 0);
	CU_ASSERT(vs_spooler_flush(sp, &err) == 0);
	CU_ASSERT(vs_spooler_process_end(sp, proc, 0, 0, 0, &err) == 0);
	CU_ASSERT_FATAL(vs_spooler_close(sp, &sum, &err) == 0);
	VS_ASSERT_INT(sum.events, 10);
	VS_ASSERT_INT(sum.complete, 1);
	VS_ASSERT_STR(sum.output, out);
	assert_rows(out, "SELECT tid, group_concat(seq) FROM (SELECT tid, seq FROM events"
	                 " ORDER BY seq) GROUP BY tid ORDER BY tid",
	            "1|1,2,3,6,7\n2|4,5,8,9,10");
	rm_tree(dir);
	free(dir);
}

/* the output's directory is removed while recording: the open spool files
 * keep what was written; events given after the spooler noticed are
 * counted lost; closing makes the directory again (or, when a file stands
 * in its way, a directory under $TMPDIR) and writes the trace there,
 * marked incomplete with the cause */
static void dir_removed_case(const char *top, int blocked, const char *tmpdir)
{
	char sub[600], out[700], want[800];
	vs_spooler *sp = NULL;
	vs_spool_summary sum;
	vs_error err;
	uint32_t proc = 0;
	snprintf(sub, sizeof sub, "%s/sub", top);
	snprintf(out, sizeof out, "%s/t.db", sub);
	CU_ASSERT_FATAL(mkdir(sub, 0700) == 0);
	CU_ASSERT_FATAL(vs_spooler_open(&sp, out, 0, &err) == 0);
	CU_ASSERT(vs_spooler_process_begin(sp, &proc, 9, 1, 0, 0, &err) == 0);
	CU_ASSERT(spool_events(sp, proc, 2000, &err) == 0); /* flushed at 1000, 2000 */
	rm_tree(sub);
	if (blocked)
		close(open(sub, O_WRONLY | O_CREAT, 0600));
	usleep(150000); /* the spooler looks every 100 ms */
	CU_ASSERT(vs_spooler_flush(sp, &err) == 0);
	snprintf(want, sizeof want, "the output directory '%s' was removed during the recording",
	         sub);
	VS_ASSERT_STR(vs_spooler_cause(sp), want);
	for (uint64_t seq = 2001; seq <= 2030; seq++) {
		vs_event ev = vs_test_ev(seq, 1, VS_EV_OP_CREATE, 0, 0, NULL);
		CU_ASSERT(vs_spooler_event(sp, proc, &ev, &err) == 0);
	}
	VS_ASSERT_INT(vs_spooler_dropped(sp), 30);
	CU_ASSERT(vs_spooler_process_end(sp, proc, 0, 0, 0, &err) == 0);
	CU_ASSERT_FATAL(vs_spooler_close(sp, &sum, &err) == 0);
	VS_ASSERT_INT(sum.complete, 0);
	VS_ASSERT_STR(sum.cause, want);
	VS_ASSERT_INT(sum.events, 2000);
	VS_ASSERT_INT(sum.lost, 30);
	if (!blocked) {
		VS_ASSERT_STR(sum.output, out);
	} else {
		snprintf(want, sizeof want, "%s/vstrace-rescue-", tmpdir);
		CU_ASSERT(strncmp(sum.output, want, strlen(want)) == 0);
		CU_ASSERT(strcmp(sum.output + strlen(sum.output) - 5, "/t.db") == 0);
	}
	assert_rows(sum.output, "SELECT events, lost, exit_code, complete FROM stats",
	            "2000|30|0|0");
	/* tid 1 holds the even seqs: its last one spooled is 2000 */
	assert_rows(sum.output, "SELECT tid, n, after_seq FROM lost", "1|30|2000");
	rm_tree(sub);
	unlink(sub);
}

static void test_spooler_dir_removed(void)
{
	char *top = vs_test_tmp_path(".dr"), tmp[600];
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	CU_ASSERT_FATAL(mkdir(top, 0700) == 0);
	dir_removed_case(top, 0, NULL);
	snprintf(tmp, sizeof tmp, "%s/tmp", top);
	CU_ASSERT_FATAL(mkdir(tmp, 0700) == 0);
	setenv("TMPDIR", tmp, 1);
	dir_removed_case(top, 1, tmp);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
	rm_tree(top);
	free(top);
}

/* LOST records reach the trace; an aborted recording leaves nothing */
static void test_spooler_lost_abort(void)
{
	char *dir = vs_test_tmp_path(".sl"), out[600], spool[700];
	vs_spooler *sp = NULL;
	vs_spool_summary sum;
	vs_error err;
	uint32_t proc = 0;
	CU_ASSERT_FATAL(mkdir(dir, 0700) == 0);
	snprintf(out, sizeof out, "%s/t.db", dir);
	CU_ASSERT_FATAL(vs_spooler_open(&sp, out, 0, &err) == 0);
	CU_ASSERT(vs_spooler_process_begin(sp, &proc, 5, 1, 0, 0, &err) == 0);
	CU_ASSERT(spool_events(sp, proc, 10, &err) == 0);
	CU_ASSERT(vs_spooler_lost(sp, proc, 2, 7, 10, &err) == 0);
	VS_ASSERT_INT(vs_spooler_lost(sp, 9, 2, 7, 10, &err), VS_ERR_INVALID);
	VS_ASSERT_STR(err.msg, "unknown process 9");
	CU_ASSERT(vs_spooler_process_end(sp, proc, 0, 0, 0, &err) == 0);
	CU_ASSERT_FATAL(vs_spooler_close(sp, &sum, &err) == 0);
	VS_ASSERT_INT(sum.lost, 7);
	VS_ASSERT_INT(sum.complete, 1);
	assert_rows(out, "SELECT tid, n, after_seq FROM lost", "2|7|10");
	assert_rows(out, "SELECT events, lost FROM stats", "10|7");
	unlink(out);
	CU_ASSERT_FATAL(vs_spooler_open(&sp, out, 0, &err) == 0);
	snprintf(spool, sizeof spool, "%s", vs_spooler_dir(sp));
	CU_ASSERT(vs_spooler_process_begin(sp, &proc, 5, 1, 0, 0, &err) == 0);
	CU_ASSERT(spool_events(sp, proc, 10, &err) == 0);
	vs_spooler_abort(sp);
	CU_ASSERT(access(spool, F_OK) != 0);
	CU_ASSERT(access(out, F_OK) != 0);
	rm_tree(dir);
	free(dir);
}

/* the converter's writer mode: no journal, events in groups of 32; a
 * duplicate is reported by the call that writes its group */
static void test_writer_bulk(void)
{
	char *path = vs_test_tmp_path(".db"), want[700], journal[700];
	vs_db_writer *w = NULL;
	vs_error err;
	uint32_t proc = 0;
	CU_ASSERT_FATAL(vs_db_writer_open(&w, path, 1, &err) == 0);
	VS_ASSERT_INT(vs_db_writer_bulk(w, &err), 0);
	snprintf(journal, sizeof journal, "%s-journal", path);
	CU_ASSERT(access(journal, F_OK) != 0);
	CU_ASSERT(vs_db_writer_process_begin(w, &proc, 9, 1, 0, 0, &err) == 0);
	for (uint64_t seq = 1; seq <= 40; seq++) {
		vs_event ev = vs_test_ev(seq, 1, VS_EV_OP_CREATE, 0, 0, NULL);
		VS_ASSERT_INT(vs_db_writer_event(w, proc, &ev, &err), 0);
	}
	/* 33 again: accepted now, refused when its group is written */
	vs_event dup = vs_test_ev(33, 1, VS_EV_OP_CREATE, 0, 0, NULL);
	VS_ASSERT_INT(vs_db_writer_event(w, proc, &dup, &err), 0);
	VS_ASSERT_INT(vs_db_writer_commit(w, &err), VS_ERR_FORMAT);
	snprintf(want, sizeof want, "'%s': duplicate event seq 33 in process 1", path);
	VS_ASSERT_STR(err.msg, want);
	vs_db_writer_abort(w);
	CU_ASSERT(access(path, F_OK) != 0);
	/* a whole group with a duplicate */
	CU_ASSERT_FATAL(vs_db_writer_open(&w, path, 1, &err) == 0);
	VS_ASSERT_INT(vs_db_writer_bulk(w, &err), 0);
	CU_ASSERT(vs_db_writer_process_begin(w, &proc, 9, 1, 0, 0, &err) == 0);
	int rc = 0;
	for (uint64_t seq = 1; seq <= 32 && rc == 0; seq++) {
		vs_event ev = vs_test_ev(seq == 32 ? 5 : seq, 1, VS_EV_OP_CREATE, 0, 0, NULL);
		rc = vs_db_writer_event(w, proc, &ev, &err);
	}
	VS_ASSERT_INT(rc, VS_ERR_FORMAT);
	snprintf(want, sizeof want, "'%s': duplicate event seq at or after 1 in process 1", path);
	VS_ASSERT_STR(err.msg, want);
	vs_db_writer_abort(w);
	/* and the rows of a good run all arrive */
	CU_ASSERT_FATAL(vs_db_writer_open(&w, path, 1, &err) == 0);
	VS_ASSERT_INT(vs_db_writer_bulk(w, &err), 0);
	CU_ASSERT(vs_db_writer_process_begin(w, &proc, 9, 1, 0, 0, &err) == 0);
	for (uint64_t seq = 1; seq <= 70; seq++) {
		vs_event ev = vs_test_ev(seq, 1, VS_EV_OP_CREATE, 0, 0, NULL);
		CU_ASSERT(vs_db_writer_event(w, proc, &ev, &err) == 0);
	}
	VS_ASSERT_INT(vs_db_writer_close(w, &err), 0);
	assert_rows(path, "SELECT count(*), sum(seq) FROM events", "70|2485");
	unlink(path);
	free(path);
}

VS_SUITE_FN(store_spool)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_roundtrip),       VS_TEST(test_torn_tail),
		VS_TEST(test_tail_growing),    VS_TEST(test_long_string),
		VS_TEST(test_bad_files),       VS_TEST(test_sticky_failure),
		VS_TEST(test_convert_complete), VS_TEST(test_convert_incomplete),
		VS_TEST(test_convert_exists),  VS_TEST(test_recover),
		VS_TEST(test_spooler_record),  VS_TEST(test_spooler_disk_full),
		VS_TEST(test_spooler_lost_abort), VS_TEST(test_writer_bulk),
		VS_TEST(test_events_bulk),     VS_TEST(test_spooler_events),
		VS_TEST(test_spooler_dir_removed),
		VS_TEST_END,
	};
	vs_test_add_suite("store_spool", NULL, NULL, cases);
}
