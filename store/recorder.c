/* SPDX-License-Identifier: MIT */
/*
 * store/recorder.c - drains ring segments (tracer/ring.h) into the
 * recording's spool (store/spool.h) while the programs run, then has the
 * spool converted into the trace file: `vstrace record`, the
 * VSTRACE_OUTPUT drain and the in-process recorder of `vstrace run`.
 *
 * Invariants: a ring slot is freed only once its record is in a spool
 * file (the visitor's commit); no SQLite work happens while a program
 * runs; a segment is finalized (last committed slots recovered, process
 * end written) only once its producer is dead - or closed, for the drain,
 * whose traced process waits for it - and, for PROG itself, reaped; the
 * recording ends only when every segment is finalized and a rescan of the
 * directory finds no new one (a fork child's segment exists before its
 * parent's lock is released, so none is missed).  On failure no trace file
 * is left (the output appears only when the converted trace is renamed
 * into place).
 */
#include "store/recorder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/spool.h"
#include "tracer/ring.h"
#include "vs/sink.h"
#include "vs/internal/util.h"

#define COMMIT_EVERY_NS 250000000ll /* flush the spool this often (run file) */
#define IDLE_SLEEP_MIN_NS 20000l
#define IDLE_SLEEP_MAX_NS 200000l /* a default ring fills in ~6 ms at 10 M events/s */

struct rec_seg {
	vs_ring_reader *rd;
	char *name; /* file name inside the directory */
	int64_t pid;
	uint32_t proc; /* 0 until registered */
	int done;
	int end_seen; /* a PROCESS_END event was read */
	int end_status;
};

struct reaped {
	pid_t pid;
	int status;
};

struct vs_recorder {
	vs_spooler *w; /* the spool; converted into the trace at the end */
	const char *output;
	char dir[PATH_MAX];
	int lockfd;
	struct rec_seg *segs;
	size_t nseg, capseg;
	int final_on_closed; /* drain mode: a closed segment is finished */
	int meta_from_ring;  /* drain mode: mode and ring size come from PROG */
	pid_t root_pid;      /* record mode: PROG */
	int root_reaped, root_status;
	struct reaped *reaped;
	size_t nreaped, capreaped;
	vs_recorder_result res;
	/* in-process mode */
	vs_ring_sink *sink;
	pthread_t thread;
	int thread_running;
	_Atomic int stop;
	int thread_rc;
	vs_error thread_err;
};

/* visitor context: one segment at a time */
struct visit {
	vs_recorder *rec;
	struct rec_seg *sg;
	vs_error *err;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void sleep_ns(long ns)
{
	struct timespec ts = {0, ns};
	nanosleep(&ts, NULL);
}

/* ------------------------------------------------------ the directory */

/* the spool learns a ring directory's name before it exists: `vstrace
 * recover` removes it after a crash */
static int announce_dir(void *ctx, const char *dir)
{
	vs_recorder *rec = ctx;
	vs_error e;
	return rec->w ? vs_spooler_meta(rec->w, VS_SPOOL_META_RING_DIR, dir, &e) : 0;
}

/* the private ring directory: /dev/shm, or next to the output when /dev/shm
 * is short of space */
static int make_dir(vs_recorder *rec, uint32_t slots, vs_error *err)
{
	char lock[PATH_MAX + 32], outdir[PATH_MAX];
	const char *slash = rec->output ? strrchr(rec->output, '/') : NULL;
	snprintf(outdir, sizeof outdir, "%.*s",
	         slash ? (int)(slash - rec->output) + (slash == rec->output) : 1,
	         slash ? rec->output : ".");
	vs_ring_dir_announce an = {announce_dir, rec};
	int rc = vs_ring_dir_create(rec->dir, sizeof rec->dir, slots, outdir, &an, err);
	if (rc < 0) {
		rec->dir[0] = '\0';
		return rc;
	}
	snprintf(lock, sizeof lock, "%s/%s", rec->dir, VS_RING_LOCK_NAME);
	rec->lockfd = open(lock, O_RDONLY | O_CLOEXEC);
	if (rec->lockfd < 0 || flock(rec->lockfd, LOCK_EX) != 0)
		return vs_error_set(err, VS_ERR_IO, "'%s': %s", lock, strerror(errno));
	return 0;
}

/* takes the recorder lock of a directory made by the traced process */
static int adopt_dir(vs_recorder *rec, const char *dir, vs_error *err)
{
	char lock[PATH_MAX + 32];
	if (strlen(dir) >= sizeof rec->dir)
		return vs_error_set(err, VS_ERR_INVALID, "'%s': path too long", dir);
	strcpy(rec->dir, dir);
	snprintf(lock, sizeof lock, "%s/%s", rec->dir, VS_RING_LOCK_NAME);
	rec->lockfd = open(lock, O_RDONLY | O_CREAT | O_CLOEXEC, 0600);
	if (rec->lockfd < 0 || flock(rec->lockfd, LOCK_EX | LOCK_NB) != 0)
		return vs_error_set(err, VS_ERR_IO, "'%s': %s", lock, strerror(errno));
	return 0;
}

/* removes the directory and everything in it (segments, lock) */
static void remove_dir(vs_recorder *rec)
{
	if (!rec->dir[0])
		return;
	DIR *d = opendir(rec->dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			unlinkat(dirfd(d), de->d_name, 0);
		}
		closedir(d);
	}
	rmdir(rec->dir);
	rec->dir[0] = '\0';
}

static int is_segment_name(const char *n)
{
	size_t len = strlen(n), pl = strlen(VS_RING_SEG_PREFIX), sl = strlen(VS_RING_SEG_SUFFIX);
	return len > pl + sl && !strncmp(n, VS_RING_SEG_PREFIX, pl) &&
	       !strcmp(n + len - sl, VS_RING_SEG_SUFFIX);
}

static int known_segment(const vs_recorder *rec, const char *name)
{
	for (size_t i = 0; i < rec->nseg; i++)
		if (!strcmp(rec->segs[i].name, name))
			return 1;
	return 0;
}

static int add_segment(vs_recorder *rec, const char *name, vs_error *err)
{
	char path[PATH_MAX + 300];
	vs_ring_reader *rd = NULL;
	snprintf(path, sizeof path, "%s/%s", rec->dir, name);
	int rc = vs_ring_reader_open(&rd, path, err);
	if (rc < 0)
		return rc;
	if (VS_GROW(rec->segs, rec->capseg, rec->nseg + 1) < 0) {
		vs_ring_reader_close(rd);
		return vs_error_nomem(err);
	}
	struct rec_seg *sg = &rec->segs[rec->nseg];
	memset(sg, 0, sizeof *sg);
	sg->rd = rd;
	sg->pid = vs_ring_reader_pid(rd);
	sg->name = strdup(name);
	if (!sg->name) {
		vs_ring_reader_close(rd);
		return vs_error_nomem(err);
	}
	rec->nseg++;
	return 0;
}

/* start time of a segment's process: its first event's timestamp, or the
 * largest value while nothing is readable yet */
static uint64_t segment_start(const struct rec_seg *sg)
{
	vs_event first;
	return vs_ring_reader_peek_first(sg->rd, &first) ? first.ts_ns : UINT64_MAX;
}

static int cmp_segment_start(const void *a, const void *b)
{
	const struct rec_seg *x = a, *y = b;
	uint64_t tx = segment_start(x), ty = segment_start(y);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/*
 * opens segments that appeared since the last scan: number found, or <0.
 * Several found in one scan are ordered by process start, not directory
 * order, so trace process numbers follow the order processes started.
 */
static int scan_dir(vs_recorder *rec, vs_error *err)
{
	DIR *d = opendir(rec->dir);
	int found = 0;
	size_t first_new = rec->nseg;
	if (!d)
		return vs_error_set(err, VS_ERR_IO, "'%s': %s", rec->dir, strerror(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!is_segment_name(de->d_name) || known_segment(rec, de->d_name))
			continue;
		int rc = add_segment(rec, de->d_name, err);
		if (rc < 0) {
			closedir(d);
			return rc;
		}
		found++;
	}
	closedir(d);
	if (found > 1)
		qsort(rec->segs + first_new, (size_t)found, sizeof *rec->segs, cmp_segment_start);
	return found;
}

/* ------------------------------------------------------------ visitor */

static int on_string(void *ctx, uint32_t id, const char *s, uint32_t len)
{
	struct visit *v = ctx;
	return vs_spooler_string(v->rec->w, v->sg->proc, id, s, len, v->err);
}

static int on_event(void *ctx, const vs_event *ev)
{
	struct visit *v = ctx;
	if (ev->kind == VS_EV_PROCESS_END) {
		v->sg->end_seen = 1;
		v->sg->end_status = (int)ev->process_end.exit_status;
	}
	v->rec->res.events++;
	return vs_spooler_event(v->rec->w, v->sg->proc, ev, v->err);
}

static int on_events(void *ctx, const vs_event *evs, size_t n)
{
	struct visit *v = ctx;
	for (size_t i = 0; i < n; i++)
		if (evs[i].kind == VS_EV_PROCESS_END) {
			v->sg->end_seen = 1;
			v->sg->end_status = (int)evs[i].process_end.exit_status;
		}
	v->rec->res.events += n;
	return vs_spooler_events(v->rec->w, v->sg->proc, evs, n, v->err);
}

static int on_lost(void *ctx, uint32_t tid, uint64_t n, uint64_t after_seq)
{
	struct visit *v = ctx;
	v->rec->res.lost += n;
	return vs_spooler_lost(v->rec->w, v->sg->proc, tid, n, after_seq, v->err);
}

/* the ring slots are freed only once what they held is in the spool */
static int on_commit(void *ctx)
{
	struct visit *v = ctx;
	return vs_spooler_flush(v->rec->w, v->err);
}

/* ----------------------------------------------------------- segments */

static uint32_t proc_of_pid(const vs_recorder *rec, int64_t pid)
{
	uint32_t proc = 0;
	for (size_t i = 0; i < rec->nseg; i++)
		if (rec->segs[i].pid == pid && rec->segs[i].proc)
			proc = rec->segs[i].proc;
	return proc;
}

/* some segment of pid is known but not registered yet */
static int pid_is_pending(const vs_recorder *rec, int64_t pid)
{
	for (size_t i = 0; i < rec->nseg; i++)
		if (rec->segs[i].pid == pid && !rec->segs[i].proc && !rec->segs[i].done)
			return 1;
	return 0;
}

/* drain mode: program and argv of the traced process, while it lives */
static int meta_from_proc(vs_recorder *rec, int64_t pid, vs_error *err)
{
	char path[64], buf[4096];
	size_t n = 0;
	snprintf(path, sizeof path, "/proc/%lld/cmdline", (long long)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	if (n == 0)
		return 0;
	buf[n] = '\0';
	int rc = vs_spooler_meta(rec->w, "program", buf, err);
	for (size_t i = 0; i + 1 < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	if (rc == 0)
		rc = vs_spooler_meta(rec->w, "argv", buf, err);
	return rc;
}

/*
 * Registers sg as a trace process once its parent (for a fork child) is
 * registered and its PROCESS_START (carrying the fork point) is readable,
 * or it is gone without one.  1 registered, 0 not yet, <0 error.
 */
static int register_segment(vs_recorder *rec, struct rec_seg *sg, int final, vs_error *err)
{
	int64_t parent = vs_ring_reader_fork_parent(sg->rd);
	uint32_t parent_proc = 0;
	uint64_t fork_seq = 0;
	vs_event first;
	if (parent) {
		parent_proc = proc_of_pid(rec, parent);
		if (!parent_proc && pid_is_pending(rec, parent))
			return 0; /* the parent comes first, even for a dead child */
		int have = vs_ring_reader_peek_first(sg->rd, &first);
		if (!final && (!have || !parent_proc))
			return 0;
		if (have && first.kind == VS_EV_PROCESS_START)
			fork_seq = first.process_start.parent_last_seq;
	}
	int rc = vs_spooler_process_begin(rec->w, &sg->proc, sg->pid, vs_ring_reader_ppid(sg->rd),
	                                  parent_proc, fork_seq, err);
	if (rc < 0)
		return rc;
	if (rec->meta_from_ring) {
		char num[16];
		snprintf(num, sizeof num, "%u", vs_ring_reader_slots(sg->rd));
		if ((rc = vs_spooler_meta(rec->w, "mode",
		                          vs_ring_reader_discard(sg->rd) ? "discard" : "block",
		                          err)) < 0 ||
		    (rc = vs_spooler_meta(rec->w, "ring_slots", num, err)) < 0)
			return rc;
		rec->meta_from_ring = 0;
		if ((rc = meta_from_proc(rec, sg->pid, err)) < 0)
			return rc;
	}
	rec->res.processes++;
	return 1;
}

static const struct reaped *find_reaped(const vs_recorder *rec, int64_t pid)
{
	for (size_t i = 0; i < rec->nreaped; i++)
		if (rec->reaped[i].pid == pid)
			return &rec->reaped[i];
	return NULL;
}

static void status_to_exit(int status, int *code, int *sig)
{
	if (WIFSIGNALED(status)) {
		*code = -1;
		*sig = WTERMSIG(status);
	} else {
		*code = WEXITSTATUS(status);
		*sig = 0;
	}
}

/* the final drain of a dead or closed segment, then its process end */
static int finish_segment(vs_recorder *rec, struct rec_seg *sg, vs_error *err)
{
	struct visit vc = {rec, sg, err};
	vs_ring_visitor v = {&vc, on_string, on_event, on_lost, on_commit, on_events};
	vs_ring_stats st;
	int code = -1, sig = 0, status;
	long n = vs_ring_reader_drain(sg->rd, 1, &v, err);
	if (n < 0)
		return (int)n;
	vs_ring_reader_stats(sg->rd, &st);
	const struct reaped *rp = find_reaped(rec, sg->pid);
	if (rec->root_pid && sg->pid == rec->root_pid && rec->root_reaped)
		status_to_exit(rec->root_status, &code, &sig);
	else if (rp)
		status_to_exit(rp->status, &code, &sig);
	else if (vs_ring_reader_exit_status(sg->rd, &status))
		code = status;
	else if (sg->end_seen)
		code = sg->end_status;
	rec->res.recovered += st.recovered;
	rec->res.truncated += st.truncated;
	sg->done = 1;
	return vs_spooler_process_end(rec->w, sg->proc, code, sig, st.truncated > 0, err);
}

/* collects exited children (PROG and, as subreaper, orphaned forks) */
static int reap_children(vs_recorder *rec, vs_error *err)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == rec->root_pid) {
			rec->root_reaped = 1;
			rec->root_status = status;
			continue;
		}
		if (VS_GROW(rec->reaped, rec->capreaped, rec->nreaped + 1) < 0)
			return vs_error_nomem(err);
		rec->reaped[rec->nreaped].pid = pid;
		rec->reaped[rec->nreaped++].status = status;
	}
	return 0;
}

/* the segment's producer is gone (or, for the drain, closed) */
static int segment_final(const vs_recorder *rec, const struct rec_seg *sg)
{
	int final = !vs_ring_reader_alive(sg->rd) ||
	            (rec->final_on_closed && vs_ring_reader_closed(sg->rd));
	/* PROG's own segment waits for its exit status */
	if (final && rec->root_pid && sg->pid == rec->root_pid && !rec->root_reaped)
		final = 0;
	return final;
}

/* registers every segment that can be, parents before children */
static int register_all(vs_recorder *rec, vs_error *err)
{
	int progress;
	do {
		progress = 0;
		for (size_t i = 0; i < rec->nseg; i++) {
			struct rec_seg *sg = &rec->segs[i];
			if (sg->proc || sg->done)
				continue;
			int rc = register_segment(rec, sg, segment_final(rec, sg), err);
			if (rc < 0)
				return rc;
			progress |= rc;
		}
	} while (progress);
	return 0;
}

/* one pass over every segment: records delivered, or <0 */
static long drain_pass(vs_recorder *rec, vs_error *err)
{
	long total = 0;
	int rc = register_all(rec, err);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < rec->nseg; i++) {
		struct rec_seg *sg = &rec->segs[i];
		if (sg->done || !sg->proc)
			continue;
		if (segment_final(rec, sg)) {
			if ((rc = finish_segment(rec, sg, err)) < 0)
				return rc;
			total++;
			continue;
		}
		struct visit vc = {rec, sg, err};
		vs_ring_visitor v = {&vc, on_string, on_event, on_lost, on_commit, on_events};
		long n = vs_ring_reader_drain(sg->rd, 0, &v, err);
		if (n < 0)
			return n;
		total += n;
	}
	return total;
}

static int all_done(const vs_recorder *rec)
{
	for (size_t i = 0; i < rec->nseg; i++)
		if (!rec->segs[i].done)
			return 0;
	return 1;
}

/*
 * After a drain pass that moved n events: commits when the last commit is
 * older than COMMIT_EVERY_NS, then sleeps with exponential backoff while
 * idle (n == 0) or resets the backoff.  Returns 0 or the commit's error.
 */
static int pace(vs_recorder *rec, long n, int64_t *last_commit, long *idle, vs_error *err)
{
	if (now_ns() - *last_commit > COMMIT_EVERY_NS) {
		int rc = vs_spooler_flush(rec->w, err);
		if (rc < 0)
			return rc;
		*last_commit = now_ns();
	}
	if (n > 0) {
		*idle = IDLE_SLEEP_MIN_NS;
	} else {
		sleep_ns(*idle);
		if (*idle < IDLE_SLEEP_MAX_NS)
			*idle *= 2;
	}
	return 0;
}

/* converts the spool into the trace (the spooler is gone either way),
 * then hands out the result */
static int finish(vs_recorder *rec, vs_recorder_result *res, vs_error *err)
{
	vs_spool_summary sum;
	int rc = vs_spooler_close(rec->w, &sum, err);
	rec->w = NULL;
	if (rc < 0)
		return rc;
	rec->res.complete = sum.complete;
	rec->res.replaced_other = sum.replaced_other;
	rec->res.lost = sum.lost;
	snprintf(rec->res.cause, sizeof rec->res.cause, "%s", sum.cause);
	snprintf(rec->res.output, sizeof rec->res.output, "%s", sum.output);
	*res = rec->res;
	return 0;
}

/* drains until every segment is finished (and PROG reaped, in record mode) */
static int drain_loop(vs_recorder *rec, vs_error *err)
{
	int64_t last_commit = now_ns();
	long idle = IDLE_SLEEP_MIN_NS;
	for (;;) {
		int rc = scan_dir(rec, err);
		if (rc < 0)
			return rc;
		long n = drain_pass(rec, err);
		if (n < 0)
			return (int)n;
		if (rec->root_pid && (rc = reap_children(rec, err)) < 0)
			return rc;
		if (all_done(rec) && (!rec->root_pid || rec->root_reaped)) {
			/* a fork child's segment exists before its parent's lock goes */
			if ((rc = scan_dir(rec, err)) < 0)
				return rc;
			if (rc == 0)
				return 0;
			continue;
		}
		if ((rc = pace(rec, n, &last_commit, &idle, err)) < 0)
			return rc;
	}
}

static void recorder_free(vs_recorder *rec)
{
	if (!rec)
		return;
	for (size_t i = 0; i < rec->nseg; i++) {
		vs_ring_reader_close(rec->segs[i].rd);
		free(rec->segs[i].name);
	}
	free(rec->segs);
	free(rec->reaped);
	remove_dir(rec);
	if (rec->lockfd >= 0)
		close(rec->lockfd);
	free(rec);
}

static vs_recorder *recorder_new(void)
{
	vs_recorder *rec = calloc(1, sizeof *rec);
	if (rec)
		rec->lockfd = -1;
	return rec;
}

/* ------------------------------------------------------------- record */

static volatile sig_atomic_t g_forward_pid;

/* forwards a signal sent to vstrace to PROG; one from the terminal (not
 * sent by a process) already reached PROG, which is in the same group */
static void forward_signal(int sig, siginfo_t *si, void *uctx)
{
	(void)uctx;
	if (g_forward_pid > 0 && (si->si_code == SI_USER || si->si_code == SI_QUEUE))
		kill((pid_t)g_forward_pid, sig);
}

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern char **environ;
static char g_no_stacks_env[] = "VSTRACE_STACKS=0";

/* PROG's environment: ours without VSTRACE_* (but the user's VSTRACE_BIN
 * and VSTRACE_STACK* settings), plus the ring variables, and PYTHONPATH
 * led by opts->python_path when it is set.
 * Built before the fork (the child only execs).  Caller frees the array
 * and the strings from index *own on. */
static char **prog_environ(const vs_recorder *rec, const vs_recorder_opts *opts, size_t *own)
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 6, sizeof *env);
	if (!env)
		return NULL;
	const char *pypath = NULL;
	for (size_t i = 0; i < n; i++)
		if (opts->python_path && !strncmp(environ[i], "PYTHONPATH=", 11))
			pypath = environ[i] + 11;
		else if (strncmp(environ[i], "VSTRACE_", 8) ||
		         !strncmp(environ[i], "VSTRACE_BIN=", 12) ||
		         (!strncmp(environ[i], "VSTRACE_STACK", 13) && !opts->no_stacks))
			env[k++] = environ[i];
	if (opts->no_stacks)
		env[k++] = g_no_stacks_env;
	*own = k;
	if (opts->python_path) {
		/* the vstrace package first, then what the user had */
		size_t len = strlen(opts->python_path) + (pypath ? strlen(pypath) + 1 : 0) + 12;
		char *e = malloc(len);
		if (!e) {
			free(env);
			return NULL;
		}
		snprintf(e, len, "PYTHONPATH=%s%s%s", opts->python_path,
		         pypath && *pypath ? ":" : "", pypath ? pypath : "");
		env[k++] = e;
	}
	char buf[PATH_MAX + 32];
	snprintf(buf, sizeof buf, "%s=%s", VS_ENV_SHM, rec->dir);
	env[k++] = strdup(buf);
	snprintf(buf, sizeof buf, "%s=%s", VS_ENV_MODE,
	         opts->mode == VS_RECORDER_DISCARD ? "discard" : "block");
	env[k++] = strdup(buf);
	snprintf(buf, sizeof buf, "%s=%u", VS_ENV_BUFFER,
	         opts->ring_slots ? opts->ring_slots : VS_RING_DEFAULT_SLOTS);
	env[k++] = strdup(buf);
	if (!env[k - 1] || !env[k - 2] || !env[k - 3]) {
		for (size_t i = *own; i < k; i++)
			free(env[i]);
		free(env);
		return NULL;
	}
	return env;
}

/* forks and execs PROG; an exec failure comes back through a pipe */
static int spawn_prog(vs_recorder *rec, const vs_recorder_opts *opts, char *const argv[],
                      vs_error *err)
{
	int pfd[2] = {-1, -1}, e = 0, ret = VS_ERR_IO;
	size_t own = 0;
	char **env = prog_environ(rec, opts, &own);
	if (!env)
		return vs_error_nomem(err);
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		vs_error_set(err, VS_ERR_IO, "pipe: %s", strerror(errno));
		goto cleanup;
	}
	pid_t pid = fork();
	if (pid < 0) {
		vs_error_set(err, VS_ERR_IO, "fork: %s", strerror(errno));
		goto cleanup;
	}
	if (pid == 0) {
		execvpe(argv[0], argv, env);
		e = errno;
		if (write(pfd[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(pfd[1]);
	pfd[1] = -1;
	ssize_t n;
	do
		n = read(pfd[0], &e, sizeof e);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof e) {
		waitpid(pid, NULL, 0);
		ret = vs_error_set(err, VS_ERR_NOT_FOUND, "'%s': %s", argv[0], strerror(e));
		goto cleanup;
	}
	rec->root_pid = pid;
	g_forward_pid = pid;
	ret = 0;
cleanup:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	for (size_t i = own; env[i]; i++)
		free(env[i]);
	free(env);
	return ret;
}

/* meta.host: the machine's node name (uname -n), for a trace's identity in
 * exports (store/export_rows.c) and `vstrace info` */
static int write_host(vs_recorder *rec, vs_error *err)
{
	struct utsname u;
	if (uname(&u) < 0 || !u.nodename[0])
		return 0;
	return vs_spooler_meta(rec->w, "host", u.nodename, err);
}

static int write_meta(vs_recorder *rec, const vs_recorder_opts *opts, char *const argv[],
                      vs_error *err)
{
	char buf[4096], num[32];
	size_t used = 0;
	int rc;
	buf[0] = '\0';
	for (size_t i = 0; argv && argv[i] && used + 2 < sizeof buf; i++)
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? " " : "",
		                         argv[i]);
	snprintf(num, sizeof num, "%u",
	         opts->ring_slots ? opts->ring_slots : VS_RING_DEFAULT_SLOTS);
	if ((argv && argv[0] && (rc = vs_spooler_meta(rec->w, "program", argv[0], err)) < 0) ||
	    (argv && (rc = vs_spooler_meta(rec->w, "argv", buf, err)) < 0) ||
	    (rc = vs_spooler_meta(rec->w, "mode",
	                          opts->mode == VS_RECORDER_DISCARD ? "discard" : "block", err)) <
	            0 ||
	    (rc = vs_spooler_meta(rec->w, "ring_slots", num, err)) < 0 ||
	    (rc = write_host(rec, err)) < 0)
		return rc;
	return 0;
}

/* PROG without libvs (or one that never traced): still record how it ended */
static int record_untraced_root(vs_recorder *rec, vs_error *err)
{
	uint32_t proc;
	int code, sig, rc;
	for (size_t i = 0; i < rec->nseg; i++)
		if (rec->segs[i].pid == rec->root_pid)
			return 0;
	rc = vs_spooler_process_begin(rec->w, &proc, rec->root_pid, getpid(), 0, 0, err);
	if (rc < 0)
		return rc;
	rec->res.processes++;
	status_to_exit(rec->root_status, &code, &sig);
	return vs_spooler_process_end(rec->w, proc, code, sig, 0, err);
}

int vs_recorder_record(const vs_recorder_opts *opts, char *const argv[], vs_recorder_result *res,
                       vs_error *err)
{
	int ret = VS_ERR_NOMEM;
	struct sigaction old[sizeof forwarded / sizeof forwarded[0]];
	int handlers = 0, subreaper = 0;
	vs_recorder *rec = recorder_new();
	memset(res, 0, sizeof *res);
	if (!rec)
		return vs_error_nomem(err);
	if (!argv || !argv[0]) {
		ret = vs_error_set(err, VS_ERR_USAGE, "no program to record");
		goto cleanup;
	}
	rec->output = opts->output;
	if ((ret = vs_spooler_open(&rec->w, opts->output, opts->overwrite, err)) < 0 ||
	    (ret = write_meta(rec, opts, argv, err)) < 0 ||
	    (ret = make_dir(rec, opts->ring_slots, err)) < 0)
		goto cleanup;
	/* orphaned fork children are reparented to us: their status is known */
	subreaper = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
	for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = forward_signal;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART | SA_SIGINFO;
		sigaction(forwarded[i], &sa, &old[i]);
		handlers++;
	}
	if ((ret = spawn_prog(rec, opts, argv, err)) < 0)
		goto cleanup;
	if ((ret = drain_loop(rec, err)) < 0 || (ret = record_untraced_root(rec, err)) < 0)
		goto cleanup;
	status_to_exit(rec->root_status, &rec->res.exit_code, &rec->res.signal);
	remove_dir(rec); /* drained: a recorder killed while converting leaves only the spool */
	ret = finish(rec, res, err);
cleanup:
	if (ret < 0 && rec->root_pid && !rec->root_reaped) {
		kill(rec->root_pid, SIGKILL);
		waitpid(rec->root_pid, NULL, 0);
	}
	g_forward_pid = 0;
	for (int i = 0; i < handlers; i++)
		sigaction(forwarded[i], &old[i], NULL);
	if (subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 0);
	if (rec->w)
		vs_spooler_abort(rec->w);
	recorder_free(rec);
	return ret;
}

/* -------------------------------------------------------------- drain */

/* while the drain converts, a byte every half second on the done pipe
 * tells the waiting program it is still at work (it gives up after some
 * seconds of silence, never while the trace is being made) */
struct heartbeat {
	int fd;
	_Atomic int stop;
	pthread_t thread;
};

static void *heartbeat_thread(void *arg)
{
	struct heartbeat *hb = arg;
	while (!atomic_load(&hb->stop)) {
		for (int i = 0; i < 10 && !atomic_load(&hb->stop); i++)
			sleep_ns(50000000l);
		if (!atomic_load(&hb->stop) && write(hb->fd, ".", 1) != 1)
			break; /* the program is gone */
	}
	return NULL;
}

/* finish() with the heartbeat running */
static int finish_beating(vs_recorder *rec, int done_fd, vs_recorder_result *res, vs_error *err)
{
	struct heartbeat hb = {.fd = done_fd};
	int beating = done_fd >= 0 && pthread_create(&hb.thread, NULL, heartbeat_thread, &hb) == 0;
	int ret = finish(rec, res, err);
	if (beating) {
		atomic_store(&hb.stop, 1);
		pthread_join(hb.thread, NULL);
	}
	return ret;
}

int vs_recorder_drain_dir(const vs_recorder_opts *opts, const char *shm_dir, int done_fd,
                          vs_recorder_result *res, vs_error *err)
{
	int ret = VS_ERR_NOMEM;
	vs_recorder *rec = recorder_new();
	memset(res, 0, sizeof *res);
	if (!rec)
		return vs_error_nomem(err);
	rec->final_on_closed = 1;
	rec->meta_from_ring = 1;
	if ((ret = adopt_dir(rec, shm_dir, err)) < 0)
		goto cleanup;
	rec->output = opts->output;
	if ((ret = vs_spooler_open(&rec->w, opts->output, opts->overwrite, err)) < 0 ||
	    (ret = vs_spooler_meta(rec->w, VS_SPOOL_META_RING_DIR, rec->dir, err)) < 0 ||
	    (ret = write_host(rec, err)) < 0)
		goto cleanup;
	if (done_fd >= 0 && write(done_fd, "R", 1) != 1) {
		ret = vs_error_set(err, VS_ERR_IO, "done pipe: %s", strerror(errno));
		goto cleanup;
	}
	if ((ret = drain_loop(rec, err)) < 0)
		goto cleanup;
	remove_dir(rec); /* drained: a drain killed while converting leaves only the spool */
	ret = finish_beating(rec, done_fd, res, err);
cleanup:
	if (rec->w)
		vs_spooler_abort(rec->w);
	recorder_free(rec);
	if (ret == 0 && done_fd >= 0)
		close(done_fd); /* the traced process may go on now */
	return ret;
}

/* ---------------------------------------------------------- in-process */

static void *self_thread(void *arg)
{
	vs_recorder *rec = arg;
	long idle = IDLE_SLEEP_MIN_NS;
	int64_t last_commit = now_ns();
	while (!atomic_load(&rec->stop)) {
		struct rec_seg *sg = &rec->segs[0];
		struct visit vc = {rec, sg, &rec->thread_err};
		vs_ring_visitor v = {&vc, on_string, on_event, on_lost, on_commit, on_events};
		long n = vs_ring_reader_drain(sg->rd, 0, &v, &rec->thread_err);
		if (n < 0) {
			rec->thread_rc = (int)n;
			break;
		}
		if ((rec->thread_rc = pace(rec, n, &last_commit, &idle, &rec->thread_err)) < 0)
			break;
	}
	return NULL;
}

int vs_recorder_start_self(vs_recorder **out, const char *path, vs_error *err)
{
	int ret = VS_ERR_NOMEM;
	vs_ring_config cfg = {NULL, 0, 0};
	vs_recorder *rec = recorder_new();
	*out = NULL;
	if (!rec)
		return vs_error_nomem(err);
	rec->output = path;
	if ((ret = vs_spooler_open(&rec->w, path, 1, err)) < 0 ||
	    (ret = write_host(rec, err)) < 0 || (ret = make_dir(rec, 0, err)) < 0)
		goto cleanup;
	cfg.dir = rec->dir;
	if ((ret = vs_ring_sink_open(&rec->sink, &cfg, err)) < 0 || (ret = scan_dir(rec, err)) < 0)
		goto cleanup;
	if (rec->nseg != 1) {
		ret = vs_error_set(err, VS_ERR_INTERNAL, "'%s': expected one ring segment",
		                   rec->dir);
		goto cleanup;
	}
	if ((ret = register_segment(rec, &rec->segs[0], 1, err)) < 0)
		goto cleanup;
	if ((ret = vs_trace_attach(vs_ring_sink_ops(), rec->sink, err)) < 0)
		goto cleanup;
	rec->sink = NULL; /* owned by the runtime now: freed by its close op */
	if (pthread_create(&rec->thread, NULL, self_thread, rec) != 0) {
		vs_trace_attach(NULL, NULL, NULL);
		ret = vs_error_set(err, VS_ERR_NOMEM, "cannot start the drain thread");
		goto cleanup;
	}
	rec->thread_running = 1;
	*out = rec;
	rec = NULL;
	ret = 0;
cleanup:
	if (rec) {
		vs_ring_sink_free(rec->sink);
		if (rec->w)
			vs_spooler_abort(rec->w);
		recorder_free(rec);
	}
	return ret;
}

int vs_recorder_stop_self(vs_recorder *rec, int exit_code, vs_error *err)
{
	int ret = 0;
	if (!rec)
		return vs_error_set(err, VS_ERR_INVALID, "vs_recorder_stop_self: NULL recorder");
	vs_trace_attach(NULL, NULL, NULL); /* closes the sink: segment closed */
	atomic_store(&rec->stop, 1);
	if (rec->thread_running)
		pthread_join(rec->thread, NULL);
	if (rec->thread_rc < 0) {
		ret = vs_error_copy(err, &rec->thread_err);
		goto cleanup;
	}
	struct rec_seg *sg = &rec->segs[0];
	struct visit vc = {rec, sg, err};
	vs_ring_visitor v = {&vc, on_string, on_event, on_lost, on_commit, on_events};
	vs_ring_stats st;
	long n = vs_ring_reader_drain(sg->rd, 1, &v, err);
	if (n < 0) {
		ret = (int)n;
		goto cleanup;
	}
	vs_ring_reader_stats(sg->rd, &st);
	if ((ret = vs_spooler_process_end(rec->w, sg->proc, exit_code, 0, st.truncated > 0, err)) <
	    0)
		goto cleanup;
	{
		vs_spool_summary sum;
		remove_dir(rec);
		ret = vs_spooler_close(rec->w, &sum, err);
		rec->w = NULL;
	}
cleanup:
	if (rec->w)
		vs_spooler_abort(rec->w);
	recorder_free(rec);
	return ret;
}
