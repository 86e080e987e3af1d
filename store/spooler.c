/* SPDX-License-Identifier: MIT */
/*
 * store/spooler.c - the recorder's spool (store/spool.h): one directory per
 * recording next to the output, run.spool plus one append-only file per
 * traced process, fed with the trace writer's calls while the program
 * runs; closing it converts the spool into the trace.
 *
 * Invariants: no call ever fails for I/O: the first failed write is kept
 * as the cause (and said once on stderr), the recording goes on counting
 * what it is given as lost per thread, and the trace made at the end says
 * why it is incomplete.  Memory is bounded by the live processes (one
 * write buffer each) and the threads that lost events, not by the trace.
 */
#include "store/spool.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "vs/internal/util.h"

struct sp_proc {
	vs_spool *f; /* NULL once ended (or failed to open) */
	int fd;      /* the file, kept open once f is done (-1 none) */
	int ended;   /* how it ended, kept for a spool that failed */
	int exit_code, signal, truncated;
};

/* one thread's events: the last one given, the last one known to be in
 * the file, and what it lost after that (drop_after) */
struct sp_thread {
	uint32_t proc, tid;
	uint64_t last_seq, durable_seq;
	uint64_t dropped, drop_after;
};

struct vs_spooler {
	char *output;
	char dir[PATH_MAX];
	vs_spool *run;
	struct sp_proc *procs; /* by proc - 1 */
	size_t nprocs, cap_procs;
	struct sp_thread *threads;
	size_t nthreads, cap_threads, last_thread;
	int failed;
	uint64_t dropped;
	char cause[512];
	int had_output; /* the output existed at open (-f) ... */
	dev_t out_dev;  /* ... as this file */
	ino_t out_ino;
	char reserve[PATH_MAX + 32]; /* space kept for the conversion ("" none) */
	int64_t dir_checked;         /* when the directory was last looked at */
	int dir_gone;                /* the spool directory was removed */
	int relocated;               /* ... and the spool was copied elsewhere */
	int run_fd;                  /* run.spool, kept open once run is done */
	size_t kept_fds;
};

/* Spool files stay open until the trace is made, so that a removed
 * directory does not take the events with it; past this many (a program
 * that forks a lot) an ended process's file is closed. */
#define KEEP_FDS_MAX 256
#define DIR_CHECK_NS 100000000ll /* look for a removed directory this often */

#define RESERVE_MAX (4u << 20) /* at most, and at most a quarter of the free space */
#define RESERVE_NAME ".reserve"

/* keeps some space for making the trace when the disk fills up */
static void reserve_space(vs_spooler *sp)
{
	struct statvfs sv;
	snprintf(sp->reserve, sizeof sp->reserve, "%s/" RESERVE_NAME, sp->dir);
	uint64_t avail = statvfs(sp->dir, &sv) == 0 ? (uint64_t)sv.f_bavail * sv.f_frsize : 0;
	uint64_t want = avail / 4 < RESERVE_MAX ? avail / 4 : RESERVE_MAX;
	int fd = want ? open(sp->reserve, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
	if (fd < 0 || posix_fallocate(fd, 0, (off_t)want) != 0) {
		if (fd >= 0)
			unlink(sp->reserve);
		sp->reserve[0] = '\0';
	}
	if (fd >= 0)
		close(fd);
}

static void release_space(vs_spooler *sp)
{
	if (sp->reserve[0])
		unlink(sp->reserve);
	sp->reserve[0] = '\0';
}

static struct sp_thread *thread_of(vs_spooler *sp, uint32_t proc, uint32_t tid);

/* n events of (proc, tid) that will not be in the trace: counted on the
 * thread, in-band after its last event in the file (or after `after` for
 * a LOST record that could not be written) */
static void count_drop(vs_spooler *sp, uint32_t proc, uint32_t tid, uint64_t n, int has_after,
                       uint64_t after)
{
	struct sp_thread *t = thread_of(sp, proc, tid);
	sp->dropped += n;
	if (!t)
		return; /* out of memory: still counted in the total */
	if (!t->dropped)
		t->drop_after = has_after ? after : t->durable_seq;
	t->dropped += n;
}

struct unwritten_ctx {
	vs_spooler *sp;
	uint32_t proc;
};

static void count_unwritten(void *ctx, const vs_event *ev, int lost)
{
	struct unwritten_ctx *u = ctx;
	if (!lost) { /* reached the file before the failure */
		struct sp_thread *t = thread_of(u->sp, u->proc, ev->tid);
		if (t)
			t->durable_seq = ev->seq;
		return;
	}
	count_drop(u->sp, u->proc, ev->tid, 1, 0, 0);
}

/* every event of proc given so far is in its file */
static void mark_durable(vs_spooler *sp, uint32_t proc)
{
	for (size_t i = 0; i < sp->nthreads; i++)
		if (sp->threads[i].proc == proc)
			sp->threads[i].durable_seq = sp->threads[i].last_seq;
}

/*
 * The first I/O failure: remembered and said once.  What was buffered but
 * not written, in every process's file, is counted as lost; later events
 * are counted as they come.
 */
static void sp_fail(vs_spooler *sp, const vs_error *why)
{
	if (sp->failed)
		return;
	sp->failed = 1;
	release_space(sp); /* room to make the trace of what was written */
	snprintf(sp->cause, sizeof sp->cause, "%.500s", why->msg);
	fprintf(stderr,
	        "vstrace: '%s': cannot write the recording (%s); the program goes on, its events"
	        " are counted as lost from now on\n",
	        sp->output, why->msg);
	for (size_t i = 0; i < sp->nprocs; i++) {
		struct unwritten_ctx u = {sp, (uint32_t)i + 1};
		if (sp->procs[i].f)
			vs_spool_unwritten(sp->procs[i].f, count_unwritten, &u);
	}
}

/* a spool call's result: I/O failures switch to counting, others stay */
static void dir_removed(vs_spooler *sp);

/* the spool directory is no longer there (removed, or replaced by a file) */
static int dir_gone_now(const vs_spooler *sp)
{
	return access(sp->dir, F_OK) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

static int sp_check(vs_spooler *sp, int rc, const vs_error *why)
{
	if (rc >= 0 || rc == VS_ERR_NOMEM || rc == VS_ERR_INVALID)
		return rc;
	/* a file that cannot be made because the directory went away */
	if (!sp->failed && dir_gone_now(sp))
		dir_removed(sp);
	else
		sp_fail(sp, why);
	return 0;
}

int vs_spooler_open(vs_spooler **out, const char *output, int overwrite, vs_error *err)
{
	struct stat sb;
	const char *slash;
	vs_spooler *sp;
	vs_error e2;
	*out = NULL;
	if (!output || !*output)
		return vs_error_set(err, VS_ERR_INVALID, "empty trace path");
	if (lstat(output, &sb) == 0) {
		if (!overwrite)
			return vs_error_set(err, VS_ERR_IO, "'%s': file exists", output);
		if (!S_ISREG(sb.st_mode))
			return vs_error_set(err, VS_ERR_IO, "'%s': not a regular file", output);
	}
	if (!(sp = calloc(1, sizeof *sp)) || !(sp->output = strdup(output))) {
		free(sp);
		return vs_error_nomem(err);
	}
	sp->run_fd = -1;
	if (lstat(output, &sb) == 0) {
		sp->had_output = 1;
		sp->out_dev = sb.st_dev;
		sp->out_ino = sb.st_ino;
	}
	slash = strrchr(output, '/');
	if (snprintf(sp->dir, sizeof sp->dir, "%.*s%s" VS_SPOOL_DIR_TAG "XXXXXX",
	             slash ? (int)(slash - output + 1) : 0, output,
	             slash ? slash + 1 : output) >= (int)sizeof sp->dir) {
		vs_spooler_abort(sp);
		return vs_error_set(err, VS_ERR_INVALID, "'%s': path too long", output);
	}
	if (!mkdtemp(sp->dir)) {
		int e = errno;
		sp->dir[0] = '\0';
		vs_spooler_abort(sp);
		return vs_error_set(err, VS_ERR_IO, "'%s': cannot create trace: %s", output,
		                    strerror(e));
	}
	char run[PATH_MAX + 32];
	snprintf(run, sizeof run, "%s/%s", sp->dir, VS_SPOOL_RUN_NAME);
	int rc = vs_spool_create(&sp->run, run, &e2);
	if (rc >= 0)
		rc = vs_spool_meta(sp->run, "output", output, &e2);
	if (rc >= 0)
		rc = vs_spool_flush(sp->run, &e2);
	if (rc < 0) {
		vs_spooler_abort(sp);
		return vs_error_set(err, rc, "'%s': cannot create trace: %s", output, e2.msg);
	}
	reserve_space(sp);
	*out = sp;
	return 0;
}

const char *vs_spooler_dir(const vs_spooler *sp) { return sp->dir; }

const char *vs_spooler_cause(const vs_spooler *sp) { return sp->cause; }

uint64_t vs_spooler_dropped(const vs_spooler *sp) { return sp->dropped; }

int vs_spooler_meta(vs_spooler *sp, const char *key, const char *value, vs_error *err)
{
	vs_error e2;
	if (sp->failed)
		return 0;
	/* meta is rare and a recovery needs it: straight to the file */
	int rc = vs_spool_meta(sp->run, key, value, &e2);
	if (rc >= 0)
		rc = vs_spool_flush(sp->run, &e2);
	rc = sp_check(sp, rc, &e2);
	return rc < 0 ? vs_error_copy(err, &e2) : 0;
}

int vs_spooler_process_begin(vs_spooler *sp, uint32_t *proc_out, int64_t pid, int64_t ppid,
                             uint32_t parent_proc, uint64_t fork_seq, vs_error *err)
{
	char path[PATH_MAX + 32];
	vs_error e2;
	if (parent_proc > sp->nprocs)
		return vs_error_set(err, VS_ERR_INVALID, "unknown parent process %u", parent_proc);
	if (VS_GROW(sp->procs, sp->cap_procs, sp->nprocs + 1) < 0)
		return vs_error_nomem(err);
	uint32_t proc = (uint32_t)sp->nprocs + 1;
	struct sp_proc *p = &sp->procs[sp->nprocs++];
	memset(p, 0, sizeof *p);
	p->fd = -1;
	*proc_out = proc;
	if (sp->failed)
		return 0;
	struct vs_spool_proc b = {proc, parent_proc, pid, ppid, fork_seq};
	snprintf(path, sizeof path, "%s/" VS_SPOOL_PROC_FMT, sp->dir, proc);
	int rc = vs_spool_create(&p->f, path, &e2);
	if (rc >= 0)
		rc = vs_spool_proc_begin(p->f, &b, &e2);
	if (sp_check(sp, rc, &e2) < 0)
		return vs_error_copy(err, &e2);
	return 0;
}

/* the spool files can still be written: nothing failed, or only the
 * directory went away (its files are open); the events are counted as
 * lost in both cases, but a process's end and the run's END still go in */
static int files_ok(const vs_spooler *sp) { return !sp->failed || sp->dir_gone; }

/* fd, or -1 (closed) once KEEP_FDS_MAX are kept */
static int keep_fd(vs_spooler *sp, int fd)
{
	if (fd >= 0 && sp->kept_fds >= KEEP_FDS_MAX) {
		close(fd);
		return -1;
	}
	sp->kept_fds += fd >= 0;
	return fd;
}

static struct sp_proc *proc_at(vs_spooler *sp, uint32_t proc)
{
	return proc >= 1 && proc <= sp->nprocs ? &sp->procs[proc - 1] : NULL;
}

int vs_spooler_process_end(vs_spooler *sp, uint32_t proc, int exit_code, int signal, int truncated,
                           vs_error *err)
{
	struct sp_proc *p = proc_at(sp, proc);
	vs_error e2;
	if (!p)
		return vs_error_set(err, VS_ERR_INVALID, "unknown process %u", proc);
	p->ended = 1;
	p->exit_code = exit_code;
	p->signal = signal;
	p->truncated = truncated != 0;
	if (!p->f)
		return 0;
	int rc = !files_ok(sp) ? 0 : vs_spool_proc_end(p->f, exit_code, signal, truncated, &e2);
	if (rc >= 0 && files_ok(sp))
		rc = vs_spool_flush(p->f, &e2);
	p->fd = keep_fd(sp, vs_spool_take_fd(p->f));
	p->f = NULL;
	if (sp_check(sp, rc, &e2) < 0)
		return vs_error_copy(err, &e2);
	return 0;
}

int vs_spooler_string(vs_spooler *sp, uint32_t proc, uint32_t id, const char *s, uint32_t len,
                      vs_error *err)
{
	struct sp_proc *p = proc_at(sp, proc);
	vs_error e2;
	if (!p)
		return vs_error_set(err, VS_ERR_INVALID, "unknown process %u", proc);
	if (sp->failed || !p->f)
		return 0;
	if (sp_check(sp, vs_spool_string(p->f, id, s, len, &e2), &e2) < 0)
		return vs_error_copy(err, &e2);
	return 0;
}

/* the thread record of (proc, tid); NULL when out of memory */
static struct sp_thread *thread_of(vs_spooler *sp, uint32_t proc, uint32_t tid)
{
	struct sp_thread *t = sp->last_thread < sp->nthreads ? &sp->threads[sp->last_thread] : NULL;
	if (t && t->proc == proc && t->tid == tid)
		return t;
	for (size_t i = 0; i < sp->nthreads; i++)
		if (sp->threads[i].proc == proc && sp->threads[i].tid == tid) {
			sp->last_thread = i;
			return &sp->threads[i];
		}
	if (VS_GROW(sp->threads, sp->cap_threads, sp->nthreads + 1) < 0)
		return NULL;
	t = &sp->threads[sp->nthreads];
	memset(t, 0, sizeof *t);
	t->proc = proc;
	t->tid = tid;
	sp->last_thread = sp->nthreads++;
	return t;
}

int vs_spooler_event(vs_spooler *sp, uint32_t proc, const vs_event *ev, vs_error *err)
{
	struct sp_proc *p = proc_at(sp, proc);
	vs_error e2;
	if (!p)
		return vs_error_set(err, VS_ERR_INVALID, "unknown process %u", proc);
	if (!sp->failed && p->f) {
		struct sp_thread *t = thread_of(sp, proc, ev->tid);
		if (!t)
			return vs_error_nomem(err);
		int rc = vs_spool_event(p->f, ev, &e2);
		if (rc >= 0) {
			t->last_seq = ev->seq;
			return 0;
		}
		if (sp_check(sp, rc, &e2) < 0)
			return vs_error_copy(err, &e2);
	}
	count_drop(sp, proc, ev->tid, 1, 0, 0);
	return 0;
}

int vs_spooler_events(vs_spooler *sp, uint32_t proc, const vs_event *evs, size_t n, vs_error *err)
{
	struct sp_proc *p = proc_at(sp, proc);
	vs_error e2;
	if (!p)
		return vs_error_set(err, VS_ERR_INVALID, "unknown process %u", proc);
	while (n && !sp->failed && p->f) {
		/* one thread's run at a time: its last seq is what it has spooled */
		size_t k = 1;
		while (k < n && evs[k].tid == evs[0].tid)
			k++;
		struct sp_thread *t = thread_of(sp, proc, evs[0].tid);
		if (!t)
			return vs_error_nomem(err);
		size_t taken;
		int rc = vs_spool_events(p->f, evs, k, &taken, &e2);
		if (rc < 0) {
			/* those buffered are counted by the failure (sp_fail) */
			if (taken)
				t->last_seq = evs[taken - 1].seq;
			evs += taken;
			n -= taken;
			if (sp_check(sp, rc, &e2) < 0)
				return vs_error_copy(err, &e2);
			break; /* failed: the rest is counted below */
		}
		t->last_seq = evs[k - 1].seq;
		evs += k;
		n -= k;
	}
	for (size_t i = 0; i < n; i++)
		count_drop(sp, proc, evs[i].tid, 1, 0, 0);
	return 0;
}

int vs_spooler_lost(vs_spooler *sp, uint32_t proc, uint32_t tid, uint64_t n, uint64_t after_seq,
                    vs_error *err)
{
	struct sp_proc *p = proc_at(sp, proc);
	vs_error e2;
	if (!p)
		return vs_error_set(err, VS_ERR_INVALID, "unknown process %u", proc);
	if (!sp->failed && p->f) {
		if (sp_check(sp, vs_spool_lost(p->f, tid, n, after_seq, &e2), &e2) < 0)
			return vs_error_copy(err, &e2);
		if (!sp->failed)
			return 0;
	}
	count_drop(sp, proc, tid, n, 1, after_seq);
	return 0;
}

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/*
 * The spool directory is gone (its files were unlinked but are open):
 * what is buffered still goes into them, then the recording counts its
 * events as lost; the trace of what was written is made elsewhere at the
 * end (relocate).
 */
static void dir_removed(vs_spooler *sp)
{
	vs_error e2;
	const char *slash = strrchr(sp->output, '/');
	for (size_t i = 0; i < sp->nprocs; i++)
		if (sp->procs[i].f && vs_spool_flush(sp->procs[i].f, &e2) == 0)
			mark_durable(sp, (uint32_t)i + 1);
	if (sp->run)
		vs_spool_flush(sp->run, &e2);
	sp->dir_gone = 1;
	vs_error_set(&e2, VS_ERR_IO, "the output directory '%.*s' was removed during the recording",
	             slash ? (int)(slash - sp->output) + (slash == sp->output) : 1,
	             slash ? sp->output : ".");
	sp_fail(sp, &e2);
}

/* writes into a removed directory succeed (the files are open): look,
 * now and then (force: now) */
static void check_dir(vs_spooler *sp, int force)
{
	int64_t now = mono_ns();
	if (sp->failed || (!force && now - sp->dir_checked < DIR_CHECK_NS))
		return;
	sp->dir_checked = now;
	if (dir_gone_now(sp))
		dir_removed(sp);
}

int vs_spooler_flush(vs_spooler *sp, vs_error *err)
{
	vs_error e2;
	check_dir(sp, 0);
	if (sp->failed)
		return 0;
	for (size_t i = 0; i < sp->nprocs && !sp->failed; i++)
		if (sp->procs[i].f && sp_check(sp, vs_spool_flush(sp->procs[i].f, &e2), &e2) == 0 &&
		    !sp->failed)
			mark_durable(sp, (uint32_t)i + 1);
	if (!sp->failed)
		sp_check(sp, vs_spool_flush(sp->run, &e2), &e2);
	(void)err;
	return 0;
}

/* closes every file; the run file says how the recording ended */
static void close_files(vs_spooler *sp)
{
	vs_error e2;
	check_dir(sp, 1);
	for (size_t i = 0; i < sp->nprocs; i++) {
		if (!sp->procs[i].f)
			continue;
		if (files_ok(sp))
			sp_check(sp, vs_spool_flush(sp->procs[i].f, &e2), &e2);
		sp->procs[i].fd = keep_fd(sp, vs_spool_take_fd(sp->procs[i].f));
		sp->procs[i].f = NULL;
	}
	if (!sp->run)
		return;
	if (files_ok(sp))
		sp_check(sp, vs_spool_end(sp->run, &e2), &e2);
	if (files_ok(sp))
		sp_check(sp, vs_spool_flush(sp->run, &e2), &e2);
	sp->run_fd = vs_spool_take_fd(sp->run);
	sp->run = NULL;
}

/* copies the open file fd (also when unlinked) to a new file path */
static int copy_fd(int fd, const char *path, vs_error *err)
{
	char src[64];
	int ret = 0, in, out;
	ssize_t n = 0;
	snprintf(src, sizeof src, "/proc/self/fd/%d", fd);
	char *buf = malloc(VS_SPOOL_BUF);
	if (!buf)
		return vs_error_nomem(err);
	in = open(src, O_RDONLY | O_CLOEXEC);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (in < 0 || out < 0)
		ret = vs_error_set(err, VS_ERR_IO, "'%s': %s", in < 0 ? src : path,
		                   strerror(errno));
	while (ret == 0 && (n = read(in, buf, VS_SPOOL_BUF)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write(out, buf, (size_t)n) != n)
			ret = vs_error_set(err, VS_ERR_IO, "'%s': %s", path,
			                   n < 0 ? strerror(errno) : "short write");
	}
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && ret == 0)
		ret = vs_error_set(err, VS_ERR_IO, "'%s': %s", path, strerror(errno));
	free(buf);
	return ret;
}

/* mkdir -p path (mode 0777 before the umask): 0, or -1 */
static int make_dirs(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = '\0';
		struct stat sb;
		int ok = mkdir(path, 0777) == 0 ||
		         (errno == EEXIST && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
		*p = c;
		if (!ok)
			return -1;
		if (!c)
			return 0;
	}
}

/* a new spool directory for the trace NAME in base: 0 with out (the
 * trace's path) and dir (the spool's) set, or -1 */
static int relocate_in(const char *base, const char *name, char *out, char *dir)
{
	if (snprintf(out, PATH_MAX, "%s/%s", base, name) >= PATH_MAX ||
	    snprintf(dir, PATH_MAX, "%s" VS_SPOOL_DIR_TAG "XXXXXX", out) >= PATH_MAX)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

/*
 * The spool directory was removed: the files, still open, are copied into
 * a new spool, next to the output (its directory made again) or, when
 * that cannot be, in a new directory under $TMPDIR (or /tmp); the trace is
 * made from there, under the output's name in that directory.
 */
static int relocate(vs_spooler *sp, vs_error *err)
{
	char base[PATH_MAX], out[PATH_MAX], dir[PATH_MAX], file[PATH_MAX + 32];
	const char *slash = strrchr(sp->output, '/');
	const char *name = slash ? slash + 1 : sp->output;
	const char *tmp = secure_getenv("TMPDIR");
	int rc = -1;
	snprintf(base, sizeof base, "%.*s", slash ? (int)(slash - sp->output) : 1,
	         slash ? sp->output : ".");
	if (!base[0])
		snprintf(base, sizeof base, "/");
	if (make_dirs(base) == 0)
		rc = relocate_in(base, name, out, dir);
	if (rc < 0) {
		snprintf(base, sizeof base, "%s/vstrace-rescue-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(base) || relocate_in(base, name, out, dir) < 0)
			return vs_error_set(err, VS_ERR_IO,
			                    "'%s': cannot make a directory for the trace"
			                    " of what was recorded: %s",
			                    sp->output, strerror(errno));
	}
	snprintf(file, sizeof file, "%s/%s", dir, VS_SPOOL_RUN_NAME);
	rc = sp->run_fd >= 0 ? copy_fd(sp->run_fd, file, err) : 0;
	for (size_t i = 0; rc == 0 && i < sp->nprocs; i++) {
		snprintf(file, sizeof file, "%s/" VS_SPOOL_PROC_FMT, dir, (unsigned)i + 1);
		if (sp->procs[i].fd >= 0)
			rc = copy_fd(sp->procs[i].fd, file, err);
	}
	char *o = strdup(out);
	if (rc < 0 || !o) {
		free(o);
		vs_spool_remove_dir(dir);
		return rc < 0 ? rc : vs_error_nomem(err);
	}
	free(sp->output);
	sp->output = o;
	snprintf(sp->dir, sizeof sp->dir, "%s", dir);
	sp->relocated = 1;
	return 0;
}

static void spooler_free(vs_spooler *sp)
{
	for (size_t i = 0; i < sp->nprocs; i++)
		if (sp->procs[i].fd >= 0)
			close(sp->procs[i].fd);
	if (sp->run_fd >= 0)
		close(sp->run_fd);
	free(sp->procs);
	free(sp->threads);
	free(sp->output);
	free(sp);
}

int vs_spooler_close(vs_spooler *sp, vs_spool_summary *sum, vs_error *err)
{
	vs_spool_drop *drops = NULL;
	vs_spool_ending *ends = NULL;
	size_t nd = 0, ne = 0;
	char asked[PATH_MAX];
	close_files(sp);
	release_space(sp);
	snprintf(asked, sizeof asked, "%s", sp->output);
	if (sp->dir_gone) {
		int rc = relocate(sp, err);
		if (rc < 0) {
			vs_error_prefix(err, "no trace (the output directory was removed during"
			                     " the recording)");
			vs_spooler_abort(sp);
			return rc;
		}
	}
	if ((sp->nthreads && !(drops = calloc(sp->nthreads, sizeof *drops))) ||
	    (sp->nprocs && !(ends = calloc(sp->nprocs, sizeof *ends)))) {
		free(drops);
		vs_spooler_abort(sp);
		return vs_error_nomem(err);
	}
	for (size_t i = 0; i < sp->nthreads; i++)
		if (sp->threads[i].dropped)
			drops[nd++] = (vs_spool_drop){sp->threads[i].proc, sp->threads[i].tid,
			                              sp->threads[i].dropped,
			                              sp->threads[i].drop_after};
	for (size_t i = 0; i < sp->nprocs; i++)
		if (sp->procs[i].ended)
			ends[ne++] = (vs_spool_ending){(uint32_t)i + 1, sp->procs[i].exit_code,
			                               sp->procs[i].signal, sp->procs[i].truncated};
	vs_spool_live live = {sp->cause, drops, nd, ends, ne};
	unsigned flags = VS_SPOOL_OVERWRITE | (sp->failed ? VS_SPOOL_PUNCH : 0);
	/* a file that appeared (or changed) since the start is another
	 * recording's finished trace: ours replaces it, and says so */
	struct stat sb;
	int other = !sp->relocated && lstat(sp->output, &sb) == 0 &&
	            (!sp->had_output || sb.st_dev != sp->out_dev || sb.st_ino != sp->out_ino);
	int rc = vs_spool_convert_ex(sp->dir, sp->output, flags, &live, sum, NULL, err);
	free(drops);
	free(ends);
	sum->replaced_other = rc == 0 && other;
	if (rc == 0) {
		snprintf(sum->output, sizeof sum->output, "%s", sp->output);
		if (sp->relocated)
			fprintf(stderr,
			        "vstrace: '%s': the events recorded before its directory was "
			        "removed"
			        " are in '%s' (a trace marked incomplete)\n",
			        asked, sp->output);
	}
	if (rc < 0 && access(sp->dir, F_OK) == 0)
		vs_error_prefix(err,
		                "the recording is kept in '%s' ('vstrace recover %s' makes the"
		                " trace)",
		                sp->dir, sp->output);
	else if (rc < 0)
		vs_error_prefix(err, "no trace (the output directory was removed during the"
		                     " recording)");
	spooler_free(sp);
	return rc;
}

void vs_spooler_abort(vs_spooler *sp)
{
	if (!sp)
		return;
	for (size_t i = 0; i < sp->nprocs; i++)
		vs_spool_discard(sp->procs[i].f);
	vs_spool_discard(sp->run);
	if (sp->dir[0])
		vs_spool_remove_dir(sp->dir);
	spooler_free(sp);
}
