/* SPDX-License-Identifier: MIT */
/*
 * store/convert.c - the spool converter (store/spool.h): loads a spool
 * directory into a SQLite trace through the trace writer, off the traced
 * program's critical path; also `vstrace recover`.
 *
 * Invariants: the trace is built under a unique temporary name in the
 * output's directory and renamed over the output only once it is closed,
 * so concurrent recordings to one path never see or delete each other's
 * work (the last rename wins); a spool that does not prove the recording
 * finished (END record, every process ended, no torn file, no INCOMPLETE
 * record) gives a trace marked incomplete with the cause.  Memory does
 * not grow with the spool: records are streamed one buffer at a time.
 */
#include "store/meter.h"
#include "store/spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "tracer/ring.h"
#include "vs/internal/util.h"

#define TMP_TAG ".tmp-" /* ".NAME.tmp-XXXXXX": a trace being made */

/* what run.spool says */
struct run_info {
	char output[PATH_MAX];
	char ring_dir[PATH_MAX]; /* the recorder's ring directory */
	int ended;               /* END record seen */
	uint64_t dropped;        /* events the recorder could not spool */
	int dropped_unknown;
	char cause[512];
};

/* appends what to the "; "-separated causes, once */
static void add_cause(char *cause, size_t cap, const char *what)
{
	size_t n = strlen(cause), wl = strlen(what);
	for (const char *p = cause; (p = strstr(p, what)); p++)
		if ((p == cause || p[-1] == ' ') && (p[wl] == '\0' || p[wl] == ';'))
			return;
	snprintf(cause + n, cap - n, "%s%s", n ? "; " : "", what);
}

/* the meta records of run.spool go to the writer (w may be NULL: only
 * read the output and the end state) */
static int load_run(const char *dir, vs_db_writer *w, struct run_info *ri, vs_error *err)
{
	char path[PATH_MAX + 32];
	vs_spool_reader *r = NULL;
	vs_spool_rec rec;
	int rc;
	snprintf(path, sizeof path, "%s/%s", dir, VS_SPOOL_RUN_NAME);
	if ((rc = vs_spool_reader_open(&r, path, err)) < 0)
		return rc;
	while ((rc = vs_spool_reader_next(r, &rec, err)) > 0) {
		const char *d = rec.data;
		if (rec.type == VS_SPOOL_META) {
			const char *nul = memchr(d, '\0', rec.len);
			char value[4096];
			if (!nul) {
				rc = vs_error_set(err, VS_ERR_FORMAT, "'%s': corrupt meta record",
				                  path);
				break;
			}
			size_t vl = rec.len - (size_t)(nul + 1 - d);
			snprintf(value, sizeof value, "%.*s", (int)vl, nul + 1);
			if (!strcmp(d, "output")) {
				/* the path asked for wins (the trace may be made
				 * elsewhere: its directory was removed) */
				if (!ri->output[0])
					snprintf(ri->output, sizeof ri->output, "%s", value);
			} else if (!strcmp(d, VS_SPOOL_META_RING_DIR))
				snprintf(ri->ring_dir, sizeof ri->ring_dir, "%s", value);
			else if (w && (rc = vs_db_writer_meta(w, d, value, err)) < 0)
				break;
		} else if (rec.type == VS_SPOOL_INCOMPLETE && rec.len >= 8) {
			uint64_t n;
			char cause[256];
			memcpy(&n, d, sizeof n);
			if (n == UINT64_MAX)
				ri->dropped_unknown = 1;
			else
				ri->dropped += n;
			snprintf(cause, sizeof cause, "%.*s", (int)(rec.len - 8), d + 8);
			add_cause(ri->cause, sizeof ri->cause, cause);
		} else if (rec.type == VS_SPOOL_END) {
			ri->ended = 1;
		}
	}
	if (rc == 0 && vs_spool_reader_torn(r))
		add_cause(ri->cause, sizeof ri->cause, "the recorder stopped while writing");
	vs_spool_reader_close(r);
	return rc;
}

/* one conversion */
struct conv {
	const char *dir;
	vs_db_writer *w;
	struct run_info *ri;
	vs_spool_summary *sum;
	unsigned flags;
	vs_spool_live live;
};

/* the state of one process file while it loads */
/* the last seq loaded of one thread (the ring salvage skips up to it) */
struct tseq {
	uint32_t tid;
	uint64_t seq;
};

struct proc_load {
	vs_db_writer *w;
	uint32_t proc; /* as the writer numbered it */
	int begun, ended;
	vs_spool_summary *sum;
	const char *path;
	uint64_t since_punch; /* events loaded since the file was last punched */
	int64_t pid;
	struct tseq *threads;
	size_t nthreads, cap_threads;
};

static struct tseq *tseq_of(struct proc_load *pl, uint32_t tid)
{
	for (size_t i = 0; i < pl->nthreads; i++)
		if (pl->threads[i].tid == tid)
			return &pl->threads[i];
	if (VS_GROW(pl->threads, pl->cap_threads, pl->nthreads + 1) < 0)
		return NULL;
	pl->threads[pl->nthreads] = (struct tseq){tid, 0};
	return &pl->threads[pl->nthreads++];
}

#define PUNCH_EVERY 256u /* events: 16 KiB of spool */

/* space is short: commit, then give the file system back the spool bytes
 * already in the trace (a hole from the start to the current record) */
static int punch_loaded(struct proc_load *pl, vs_spool_reader *r, vs_error *err)
{
	int rc = vs_db_writer_commit(pl->w, err);
	if (rc < 0)
		return rc;
	int fd = open(pl->path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		off_t upto = (off_t)(vs_spool_reader_offset(r) & ~(uint64_t)4095);
		if (upto > 0)
			fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, upto);
		close(fd);
	}
	pl->since_punch = 0;
	return 0;
}

static int load_events(struct proc_load *pl, const vs_spool_rec *rec, vs_error *err)
{
	vs_event ev;
	if (!pl->begun || rec->len % sizeof ev)
		return vs_error_set(err, VS_ERR_FORMAT, "'%s': corrupt events record", pl->path);
	vs_meter_add(vs_meter_current, rec->len / sizeof ev); /* progress line (store/meter.h) */
	for (uint32_t off = 0; off < rec->len; off += (uint32_t)sizeof ev) {
		memcpy(&ev, (const uint8_t *)rec->data + off, sizeof ev);
		int rc = vs_db_writer_event(pl->w, pl->proc, &ev, err);
		if (rc < 0)
			return rc;
		pl->sum->events++;
		pl->since_punch++;
		struct tseq *t = tseq_of(pl, ev.tid);
		if (!t)
			return vs_error_nomem(err);
		if (ev.seq > t->seq)
			t->seq = ev.seq;
	}
	return 0;
}

/* one record of a proc-N.spool file */
static int load_record(struct proc_load *pl, const vs_spool_rec *rec, vs_error *err)
{
	const uint8_t *d = rec->data;
	if (rec->type == VS_SPOOL_PROC_BEGIN && rec->len == sizeof(struct vs_spool_proc) &&
	    !pl->begun) {
		struct vs_spool_proc p;
		memcpy(&p, d, sizeof p);
		int rc = vs_db_writer_process_begin(pl->w, &pl->proc, p.pid, p.ppid, p.parent_proc,
		                                    p.fork_seq, err);
		if (rc < 0)
			return rc;
		pl->begun = 1;
		pl->pid = p.pid;
		pl->sum->processes++;
		return 0;
	}
	if (rec->type == VS_SPOOL_EVENTS)
		return load_events(pl, rec, err);
	if (!pl->begun || pl->ended)
		return vs_error_set(err, VS_ERR_FORMAT, "'%s': record of type %u out of place",
		                    pl->path, rec->type);
	if (rec->type == VS_SPOOL_STRING && rec->len >= 4) {
		uint32_t id;
		memcpy(&id, d, sizeof id);
		return vs_db_writer_string(pl->w, pl->proc, id, (const char *)d + 4, rec->len - 4,
		                           err);
	}
	if (rec->type == VS_SPOOL_LOST && rec->len == sizeof(struct vs_spool_lost)) {
		struct vs_spool_lost l;
		memcpy(&l, d, sizeof l);
		pl->sum->lost += l.n;
		return vs_db_writer_lost(pl->w, pl->proc, l.tid, l.n, l.after_seq, err);
	}
	if (rec->type == VS_SPOOL_PROC_END && rec->len == sizeof(struct vs_spool_end)) {
		struct vs_spool_end e;
		memcpy(&e, d, sizeof e);
		pl->ended = 1;
		return vs_db_writer_process_end(pl->w, pl->proc, e.exit_code, e.signal,
		                                e.truncated != 0, err);
	}
	return vs_error_set(err, VS_ERR_FORMAT, "'%s': corrupt record of type %u", pl->path,
	                    rec->type);
}

/* the drops the live recorder counted for process n: LOST rows */
static int load_drops(struct conv *cv, uint32_t n, vs_error *err)
{
	for (size_t i = 0; i < cv->live.ndrops; i++) {
		const vs_spool_drop *d = &cv->live.drops[i];
		if (d->proc != n || !d->n)
			continue;
		int rc = vs_db_writer_lost(cv->w, n, d->tid, d->n, d->after_seq, err);
		if (rc < 0)
			return rc;
		cv->sum->lost += d->n;
	}
	return 0;
}

/* ---- salvage: what a dead recorder left in the rings ---- */

struct salvage_ctx {
	struct proc_load *pl;
	vs_error *err;
};

static int sv_string(void *ctx, uint32_t id, const char *s, uint32_t len)
{
	struct salvage_ctx *c = ctx;
	return vs_db_writer_string(c->pl->w, c->pl->proc, id, s, len, c->err);
}

static int sv_event(void *ctx, const vs_event *ev)
{
	struct salvage_ctx *c = ctx;
	struct tseq *t = tseq_of(c->pl, ev->tid);
	if (!t)
		return vs_error_nomem(c->err);
	if (ev->seq <= t->seq) /* spooled already (its slot was not freed yet) */
		return 0;
	t->seq = ev->seq;
	c->pl->sum->events++;
	return vs_db_writer_event(c->pl->w, c->pl->proc, ev, c->err);
}

static int sv_lost(void *ctx, uint32_t tid, uint64_t n, uint64_t after_seq)
{
	struct salvage_ctx *c = ctx;
	c->pl->sum->lost += n;
	return vs_db_writer_lost(c->pl->w, c->pl->proc, tid, n, after_seq, c->err);
}

/* the events of pl's process still in the dead recorder's ring directory
 * (written, never spooled): loaded after the spooled ones; the process's
 * end, too, when its program stored its exit status */
static int salvage(struct proc_load *pl, const char *ring_dir, vs_error *err)
{
	char prefix[64], path[PATH_MAX + 300];
	int rc = 0;
	DIR *d = opendir(ring_dir);
	if (!d)
		return 0;
	snprintf(prefix, sizeof prefix, VS_RING_SEG_PREFIX "%lld-", (long long)pl->pid);
	struct dirent *de;
	while (rc >= 0 && (de = readdir(d))) {
		vs_ring_reader *rd = NULL;
		vs_error e2;
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof path, "%s/%s", ring_dir, de->d_name);
		if (vs_ring_reader_open(&rd, path, &e2) < 0)
			continue; /* not a whole segment: nothing to take */
		int final = !vs_ring_reader_alive(rd) || vs_ring_reader_closed(rd);
		struct salvage_ctx c = {pl, err};
		vs_ring_visitor v = {&c, sv_string, sv_event, sv_lost, NULL, NULL};
		long n = vs_ring_reader_drain(rd, final, &v, err);
		int status;
		if (n < 0)
			rc = (int)n;
		else if (final && !pl->ended && vs_ring_reader_exit_status(rd, &status)) {
			vs_ring_stats st;
			vs_ring_reader_stats(rd, &st);
			rc = vs_db_writer_process_end(pl->w, pl->proc, status, 0, st.truncated > 0,
			                              err);
			pl->ended = rc >= 0;
		}
		vs_ring_reader_close(rd);
	}
	closedir(d);
	return rc;
}

/* loads proc-n.spool: 1 loaded, 0 no such file, <0 error */
static int load_proc(struct conv *cv, uint32_t n, vs_error *err)
{
	char path[PATH_MAX + 32];
	vs_spool_reader *r = NULL;
	vs_spool_rec rec;
	struct run_info *ri = cv->ri;
	struct proc_load pl = {cv->w, 0, 0, 0, cv->sum, path, 0, 0, NULL, 0, 0};
	int rc;
	snprintf(path, sizeof path, "%s/" VS_SPOOL_PROC_FMT, cv->dir, n);
	if ((rc = vs_spool_reader_open(&r, path, err)) < 0)
		return rc == VS_ERR_NOT_FOUND ? 0 : rc;
	while ((rc = vs_spool_reader_next(r, &rec, err)) > 0) {
		if ((rc = load_record(&pl, &rec, err)) < 0)
			break;
		if ((cv->flags & VS_SPOOL_PUNCH) && pl.since_punch >= PUNCH_EVERY &&
		    (rc = punch_loaded(&pl, r, err)) < 0)
			break;
	}
	if (rc == 0 && vs_spool_reader_torn(r))
		add_cause(ri->cause, sizeof ri->cause, "the recorder stopped while writing");
	vs_spool_reader_close(r);
	if (rc >= 0 && pl.begun && (cv->flags & VS_SPOOL_SALVAGE) && ri->ring_dir[0])
		rc = salvage(&pl, ri->ring_dir, err);
	free(pl.threads);
	if (rc < 0)
		return rc;
	if (!pl.begun) /* the recorder died before the process was registered */
		return 1;
	for (size_t i = 0; !pl.ended && i < cv->live.nendings; i++) {
		const vs_spool_ending *e = &cv->live.endings[i];
		if (e->proc == n) {
			if ((rc = vs_db_writer_process_end(cv->w, pl.proc, e->exit_code, e->signal,
			                                   e->truncated, err)) < 0)
				return rc;
			pl.ended = 1;
		}
	}
	if (!pl.ended) {
		char what[96];
		snprintf(what, sizeof what, "the recorder did not finish process %u", pl.proc);
		add_cause(ri->cause, sizeof ri->cause, what);
	}
	if (pl.proc != n)
		return vs_error_set(err, VS_ERR_FORMAT, "'%s': process %u loaded as %u", path, n,
		                    pl.proc);
	rc = load_drops(cv, n, err);
	return rc < 0 ? rc : 1;
}

/* a unique temporary file next to output: ".NAME.tmp-XXXXXX", flock'ed
 * while it is being made (recover removes only unlocked ones); the
 * descriptor (>= 0) or <0 */
static int temp_next_to(const char *output, char *tmp, size_t cap, vs_error *err)
{
	const char *slash = strrchr(output, '/');
	int dl = slash ? (int)(slash - output + 1) : 0;
	if (snprintf(tmp, cap, "%.*s.%s" TMP_TAG "XXXXXX", dl, output, output + dl) >= (int)cap)
		return vs_error_set(err, VS_ERR_INVALID, "'%s': path too long", output);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return vs_error_set(err, VS_ERR_IO, "'%s': cannot create trace: %s", output,
		                    strerror(errno));
	flock(fd, LOCK_EX);
	return fd;
}

/* every process file in order, then the completeness verdict */
static int load_all(struct conv *cv, vs_error *err)
{
	struct run_info *ri = cv->ri;
	vs_spool_summary *sum = cv->sum;
	int rc;
	for (uint32_t n = 1;; n++) {
		if ((rc = load_proc(cv, n, err)) < 0)
			return rc;
		if (rc == 0)
			break;
	}
	if (!ri->ended)
		add_cause(ri->cause, sizeof ri->cause, "the recorder did not finish the recording");
	if (ri->dropped_unknown || ri->dropped) {
		char what[128];
		if (ri->dropped_unknown)
			snprintf(what, sizeof what, "an unknown number of events was not recorded");
		else
			snprintf(what, sizeof what, "%llu events were not recorded",
			         (unsigned long long)ri->dropped);
		add_cause(ri->cause, sizeof ri->cause, what);
	}
	sum->complete = ri->cause[0] == '\0';
	snprintf(sum->cause, sizeof sum->cause, "%s", ri->cause);
	return 0;
}

int vs_spool_convert(const char *dir, const char *output, unsigned flags, vs_spool_summary *sum,
                     char **written, vs_error *err)
{
	return vs_spool_convert_ex(dir, output, flags, NULL, sum, written, err);
}

/* the output to make: the one asked for, else the one the spool names;
 * checked against an existing file (unless overwriting) */
static int target_output(const char *dir, const char *output, unsigned flags, struct run_info *ri,
                         vs_error *err)
{
	struct stat sb;
	int rc = load_run(dir, NULL, ri, err);
	if (rc < 0)
		return rc;
	if (output && *output)
		snprintf(ri->output, sizeof ri->output, "%s", output);
	const char *tag = strstr(dir, VS_SPOOL_DIR_TAG);
	if (!ri->output[0] && tag) /* cut before it said: NAME.spool-XXXXXX -> NAME */
		snprintf(ri->output, sizeof ri->output, "%.*s", (int)(tag - dir), dir);
	if (!ri->output[0])
		return vs_error_set(err, VS_ERR_INVALID, "'%s': the spool names no output", dir);
	if (!(flags & VS_SPOOL_OVERWRITE) && lstat(ri->output, &sb) == 0)
		return vs_error_set(err, VS_ERR_IO, "'%s': file exists", ri->output);
	/* read again for real, into the trace */
	char keep[PATH_MAX];
	memcpy(keep, ri->output, sizeof keep);
	memset(ri, 0, sizeof *ri);
	memcpy(ri->output, keep, sizeof keep);
	return 0;
}

/*
 * Loads the spool into a new trace at tmp and closes it.  Without a
 * journal unless space is short: then a failed commit leaves the last one
 * intact, and a trace that cannot hold everything keeps what is committed,
 * marked incomplete.  The writer is gone afterwards, either way.
 */
static int build_trace(struct conv *cv, const char *tmp, vs_error *err)
{
	vs_db_writer *w = NULL;
	struct run_info *ri = cv->ri;
	vs_spool_summary *sum = cv->sum;
	int rc;
	if ((rc = vs_db_writer_open(&w, tmp, 1, err)) < 0)
		return rc;
	if ((!(cv->flags & VS_SPOOL_PUNCH) && (rc = vs_db_writer_bulk(w, err)) < 0) ||
	    (rc = load_run(cv->dir, w, ri, err)) < 0) {
		vs_db_writer_abort(w);
		return rc;
	}
	cv->w = w;
	if ((rc = load_all(cv, err)) < 0 && (cv->flags & VS_SPOOL_PUNCH)) {
		char what[VS_ERROR_MSG_MAX + 64];
		vs_error e3;
		snprintf(what, sizeof what, "the trace could not hold every event (%s)", err->msg);
		add_cause(ri->cause, sizeof ri->cause, what);
		sum->complete = 0;
		snprintf(sum->cause, sizeof sum->cause, "%s", ri->cause);
		vs_db_writer_incomplete(w, sum->cause, &e3);
		vs_db_writer_close(w, &e3); /* keeps the last commit if it fails */
		return 0;
	}
	/* the recorder saw the recording to its end and counted every drop:
	 * the incomplete trace's loss is known exactly (info says so) */
	if (rc >= 0 && !sum->complete && ri->ended && !ri->dropped_unknown)
		rc = vs_db_writer_meta(w, "lost_counted", "1", err);
	if (rc < 0 || (!sum->complete && (rc = vs_db_writer_incomplete(w, sum->cause, err)) < 0)) {
		vs_db_writer_abort(w);
		return rc;
	}
	vs_meter_phase(vs_meter_current, "indexing");
	return vs_db_writer_close(w, err);
}

int vs_spool_convert_ex(const char *dir, const char *output, unsigned flags,
                        const vs_spool_live *live, vs_spool_summary *sum, char **written,
                        vs_error *err)
{
	static const vs_spool_live none;
	struct run_info *ri = calloc(1, sizeof *ri);
	char tmp[PATH_MAX];
	int rc, tmpfd = -1;
	memset(sum, 0, sizeof *sum);
	if (written)
		*written = NULL;
	if (!ri)
		return vs_error_nomem(err);
	tmp[0] = '\0';
	if (!live)
		live = &none;
	if ((rc = target_output(dir, output, flags, ri, err)) < 0 ||
	    (rc = tmpfd = temp_next_to(ri->output, tmp, sizeof tmp, err)) < 0)
		goto done;
	if (live->cause && *live->cause)
		add_cause(ri->cause, sizeof ri->cause, live->cause);
	struct conv cv = {dir, NULL, ri, sum, flags, *live};
	vs_meter_begin(vs_meter_current, 0);
	if ((rc = build_trace(&cv, tmp, err)) < 0)
		goto done;
	if (rename(tmp, ri->output) != 0) {
		rc = vs_error_set(err, VS_ERR_IO, "'%s': %s", ri->output, strerror(errno));
		goto done;
	}
	tmp[0] = '\0';
	if (written && !(*written = strdup(ri->output))) {
		rc = vs_error_nomem(err);
		goto done;
	}
	snprintf(sum->ring_dir, sizeof sum->ring_dir, "%s", ri->ring_dir);
	if (!(flags & VS_SPOOL_KEEP))
		vs_spool_remove_dir(dir);
done:
	if (tmp[0])
		vs_db_writer_unlink(tmp);
	if (tmpfd >= 0)
		close(tmpfd);
	free(ri);
	return rc < 0 ? rc : 0;
}

void vs_spool_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

static int is_spool_dir(const char *path)
{
	char run[PATH_MAX + 32];
	struct stat sb;
	snprintf(run, sizeof run, "%s/%s", path, VS_SPOOL_RUN_NAME);
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && access(run, R_OK) == 0;
}

/* a temporary trace ".NAME.tmp-*" whose converter died (nobody holds its
 * lock) is removed */
static void remove_stale_temp(const char *dirpath, const char *entry, const char *name)
{
	char prefix[NAME_MAX + 32], full[PATH_MAX + NAME_MAX + 2];
	snprintf(prefix, sizeof prefix, ".%s" TMP_TAG, name);
	if (strncmp(entry, prefix, strlen(prefix)))
		return;
	snprintf(full, sizeof full, "%s/%s", dirpath, entry);
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		vs_db_writer_unlink(full);
	close(fd);
}

/* every stale temporary trace of output in its directory */
static void clean_temps(const char *output)
{
	const char *slash = strrchr(output, '/');
	char dirpath[PATH_MAX];
	snprintf(dirpath, sizeof dirpath, "%.*s",
	         slash ? (int)(slash - output) + (slash == output) : 1, slash ? output : ".");
	DIR *d = opendir(dirpath);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)))
		remove_stale_temp(dirpath, de->d_name, slash ? slash + 1 : output);
	closedir(d);
}

/* the spool directories of trace path: count, or <0 */
static int find_spools(const char *path, char ***out, vs_error *err)
{
	const char *slash = strrchr(path, '/');
	char dirpath[PATH_MAX], prefix[NAME_MAX + 32];
	size_t n = 0, cap = 0;
	char **list = NULL;
	snprintf(dirpath, sizeof dirpath, "%.*s", slash ? (int)(slash - path) : 1,
	         slash ? path : ".");
	if (slash && slash == path)
		snprintf(dirpath, sizeof dirpath, "/");
	snprintf(prefix, sizeof prefix, "%s" VS_SPOOL_DIR_TAG, slash ? slash + 1 : path);
	DIR *d = opendir(dirpath);
	if (!d)
		return vs_error_set(err, VS_ERR_NOT_FOUND, "'%s': %s", dirpath, strerror(errno));
	struct dirent *de;
	while ((de = readdir(d))) {
		char full[PATH_MAX + NAME_MAX + 2];
		remove_stale_temp(dirpath, de->d_name, slash ? slash + 1 : path);
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(full, sizeof full, "%s/%s", dirpath, de->d_name);
		if (!is_spool_dir(full)) {
			rmdir(full); /* a recorder killed as it made it: empty, removed */
			continue;
		}
		if (VS_GROW(list, cap, n + 1) < 0 || !(list[n] = strdup(full))) {
			closedir(d);
			for (size_t i = 0; i < n; i++)
				free(list[i]);
			free(list);
			return vs_error_nomem(err);
		}
		n++;
	}
	closedir(d);
	*out = list;
	return (int)n;
}

/* the ring directory of a recorder that died: removed once no recorder
 * holds it (a program still writing keeps its mapping; nothing reads it) */
static void remove_dead_rings(const char *ring_dir)
{
	vs_error e;
	if (!ring_dir[0] || access(ring_dir, F_OK) != 0)
		return;
	/* the spool named it, so it is this recording's: gone unless a
	 * recorder holds it (also when the recorder died before locking it) */
	if (vs_ring_dir_check(ring_dir, &e) < 0)
		vs_spool_remove_dir(ring_dir);
}

int vs_spool_recover(const char *path, const char *output, vs_spool_summary *sum, char **written,
                     vs_error *err)
{
	char **list = NULL;
	int rc, n;
	if (written)
		*written = NULL;
	if (is_spool_dir(path)) {
		char *made = NULL;
		rc = vs_spool_convert(path, output, VS_SPOOL_OVERWRITE | VS_SPOOL_SALVAGE, sum,
		                      &made, err);
		if (rc == 0) {
			remove_dead_rings(sum->ring_dir);
			clean_temps(made);
		}
		if (written)
			*written = made;
		else
			free(made);
		return rc;
	}
	struct stat sb;
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && strstr(path, VS_SPOOL_DIR_TAG)) {
		/* a spool its recorder did not get to write into: nothing in it */
		rmdir(path);
		return vs_error_set(
			err, VS_ERR_NOT_FOUND,
			"'%s': nothing to recover (the recorder stopped before writing)", path);
	}
	if ((n = find_spools(path, &list, err)) < 0)
		return n;
	if (n == 0)
		return vs_error_set(err, VS_ERR_NOT_FOUND, "'%s': nothing to recover (no spool)",
		                    path);
	rc = 0;
	for (int i = 0; i < n && rc >= 0; i++) {
		if (written) {
			free(*written);
			*written = NULL;
		}
		rc = vs_spool_convert(list[i], output ? output : path,
		                      VS_SPOOL_OVERWRITE | VS_SPOOL_SALVAGE, sum, written, err);
		if (rc == 0)
			remove_dead_rings(sum->ring_dir);
	}
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}
