/* SPDX-License-Identifier: MIT */
/*
 * store/spool.c - spool files (store/spool.h): the buffered append-only
 * writer the recorder uses while the program runs, and the reader the
 * converter uses afterwards.
 *
 * Invariants: the writer's buffer always holds whole records except for
 * the open EVENTS record, whose length word is patched when it is closed
 * (before every flush); a failed write makes the writer fail every later
 * call (sticky) so that nothing is appended after a hole.  The reader
 * trusts nothing: a length beyond VS_SPOOL_REC_MAX is a format error, a
 * record cut by the end of the file is "torn" (not an error).
 */
#include "store/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "vs/internal/util.h"

#define SPOOL_MAGIC "VSSPOOL1"
#define HDR_BYTES 16u
#define REC_HDR 8u
#define REC_MAX (64u * 1024u * 1024u) /* no record is larger (strings <= 1 MiB) */
#define NO_OPEN SIZE_MAX

struct vs_spool {
	int fd;
	char *path;
	uint8_t *buf;
	size_t used;
	size_t ev_at;   /* offset of the open EVENTS record's header, or NO_OPEN */
	uint32_t ev_n;  /* events in it */
	uint64_t bytes; /* handed to the file */
	size_t kept;    /* after a failed flush: buffer bytes that reached the file */
	int failed;
	vs_error ferr;
};

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, sizeof v); }

static int fail(vs_spool *s, vs_error *err, int e)
{
	if (!s->failed) {
		vs_error_set(&s->ferr, VS_ERR_IO, "'%s': %s", s->path, strerror(e));
		s->failed = 1;
	}
	return vs_error_copy(err, &s->ferr);
}

/* writes n bytes at p (all of them or an error; *done counts the bytes
 * that reached the file) */
static int write_all(vs_spool *s, const uint8_t *p, size_t n, size_t *done, vs_error *err)
{
	*done = 0;
	while (n) {
		ssize_t w = write(s->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return fail(s, err, w < 0 ? errno : EIO);
		p += w;
		n -= (size_t)w;
		*done += (size_t)w;
		s->bytes += (uint64_t)w;
	}
	return 0;
}

static void close_events(vs_spool *s)
{
	if (s->ev_at == NO_OPEN)
		return;
	put_u32(s->buf + s->ev_at + 4, s->ev_n * (uint32_t)sizeof(vs_event));
	s->ev_at = NO_OPEN;
	s->ev_n = 0;
}

int vs_spool_flush(vs_spool *s, vs_error *err)
{
	if (s->failed)
		return vs_error_copy(err, &s->ferr);
	close_events(s);
	int rc = write_all(s, s->buf, s->used, &s->kept, err);
	if (rc == 0)
		s->used = 0; /* else the buffer stays, for vs_spool_unwritten */
	return rc;
}

void vs_spool_unwritten(vs_spool *s, void (*fn)(void *ctx, const vs_event *ev, int lost), void *ctx)
{
	size_t off = 0, from = s->failed ? s->kept : 0;
	close_events(s);
	while (off + REC_HDR <= s->used) {
		uint32_t type, len;
		memcpy(&type, s->buf + off, sizeof type);
		memcpy(&len, s->buf + off + 4, sizeof len);
		size_t end = off + REC_HDR + pad8(len);
		/* a record cut by the end of what was written is lost whole */
		if (type == VS_SPOOL_EVENTS)
			for (size_t e = off + REC_HDR; e + sizeof(vs_event) <= off + REC_HDR + len;
			     e += sizeof(vs_event)) {
				vs_event ev;
				memcpy(&ev, s->buf + e, sizeof ev);
				fn(ctx, &ev, end > from);
			}
		off = end;
	}
	s->used = 0;
	s->kept = 0;
}

uint64_t vs_spool_bytes(const vs_spool *s) { return s->bytes; }

/* appends one record (header, the two payload parts, padding) */
static int put_rec(vs_spool *s, uint32_t type, const void *a, size_t alen, const void *b,
                   size_t blen, vs_error *err)
{
	size_t len = alen + blen, total = REC_HDR + pad8(len);
	uint8_t hdr[REC_HDR], zero[8] = {0};
	if (s->failed)
		return vs_error_copy(err, &s->ferr);
	if (len > REC_MAX)
		return vs_error_set(err, VS_ERR_INVALID, "spool record of %zu bytes", len);
	close_events(s);
	if (s->used + total > VS_SPOOL_BUF && vs_spool_flush(s, err) < 0)
		return s->ferr.code;
	put_u32(hdr, type);
	put_u32(hdr + 4, (uint32_t)len);
	if (total > VS_SPOOL_BUF) {
		/* larger than the buffer (a long string): straight to the file */
		struct iovec iov[4] = {{hdr, REC_HDR},
		                       {(void *)(uintptr_t)a, alen},
		                       {(void *)(uintptr_t)b, blen},
		                       {zero, pad8(len) - len}};
		uint8_t *tmp = malloc(total);
		size_t off = 0;
		if (!tmp)
			return vs_error_nomem(err);
		for (int i = 0; i < 4; i++) {
			if (iov[i].iov_len)
				memcpy(tmp + off, iov[i].iov_base, iov[i].iov_len);
			off += iov[i].iov_len;
		}
		size_t done;
		int rc = write_all(s, tmp, total, &done, err);
		free(tmp);
		return rc;
	}
	uint8_t *p = s->buf + s->used;
	memcpy(p, hdr, REC_HDR);
	if (alen)
		memcpy(p + REC_HDR, a, alen);
	if (blen)
		memcpy(p + REC_HDR + alen, b, blen);
	memset(p + REC_HDR + len, 0, pad8(len) - len);
	s->used += total;
	return 0;
}

int vs_spool_create(vs_spool **out, const char *path, vs_error *err)
{
	uint8_t hdr[HDR_BYTES];
	uint32_t v = VS_SPOOL_VERSION, esz = sizeof(vs_event);
	vs_spool *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s || !(s->path = strdup(path)) || !(s->buf = malloc(VS_SPOOL_BUF))) {
		if (s)
			free(s->path);
		free(s);
		return vs_error_nomem(err);
	}
	s->ev_at = NO_OPEN;
	s->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_APPEND, 0600);
	if (s->fd < 0) {
		int ret = vs_error_set(err, VS_ERR_IO, "'%s': %s", path, strerror(errno));
		vs_spool_discard(s);
		return ret;
	}
	memcpy(hdr, SPOOL_MAGIC, 8);
	put_u32(hdr + 8, v);
	put_u32(hdr + 12, esz);
	/* the header at once: a file that exists says what it is */
	size_t done;
	int rc = write_all(s, hdr, HDR_BYTES, &done, err);
	if (rc < 0) {
		unlink(path);
		vs_spool_discard(s);
		return rc;
	}
	*out = s;
	return 0;
}

int vs_spool_meta(vs_spool *s, const char *key, const char *value, vs_error *err)
{
	return put_rec(s, VS_SPOOL_META, key, strlen(key) + 1, value, strlen(value), err);
}

int vs_spool_proc_begin(vs_spool *s, const struct vs_spool_proc *p, vs_error *err)
{
	return put_rec(s, VS_SPOOL_PROC_BEGIN, p, sizeof *p, NULL, 0, err);
}

int vs_spool_string(vs_spool *s, uint32_t id, const char *str, uint32_t len, vs_error *err)
{
	return put_rec(s, VS_SPOOL_STRING, &id, sizeof id, str, len, err);
}

int vs_spool_event(vs_spool *s, const vs_event *ev, vs_error *err)
{
	if (s->failed)
		return vs_error_copy(err, &s->ferr);
	if (s->ev_at == NO_OPEN || s->used + sizeof *ev > VS_SPOOL_BUF) {
		close_events(s);
		if (s->used + REC_HDR + sizeof *ev > VS_SPOOL_BUF && vs_spool_flush(s, err) < 0)
			return s->ferr.code;
		s->ev_at = s->used;
		put_u32(s->buf + s->used, VS_SPOOL_EVENTS);
		s->used += REC_HDR;
	}
	memcpy(s->buf + s->used, ev, sizeof *ev);
	s->used += sizeof *ev;
	s->ev_n++;
	return 0;
}

int vs_spool_events(vs_spool *s, const vs_event *evs, size_t n, size_t *taken, vs_error *err)
{
	*taken = 0;
	while (n) {
		if (s->failed)
			return vs_error_copy(err, &s->ferr);
		if (s->ev_at == NO_OPEN || s->used + sizeof *evs > VS_SPOOL_BUF) {
			int rc = vs_spool_event(s, evs, err); /* opens a record */
			if (rc < 0)
				return rc;
			evs++;
			n--;
			++*taken;
			continue;
		}
		size_t fit = (VS_SPOOL_BUF - s->used) / sizeof *evs;
		if (fit > n)
			fit = n;
		memcpy(s->buf + s->used, evs, fit * sizeof *evs);
		s->used += fit * sizeof *evs;
		s->ev_n += (uint32_t)fit;
		evs += fit;
		n -= fit;
		*taken += fit;
	}
	return 0;
}

int vs_spool_lost(vs_spool *s, uint32_t tid, uint64_t n, uint64_t after_seq, vs_error *err)
{
	struct vs_spool_lost l = {tid, 0, n, after_seq};
	return put_rec(s, VS_SPOOL_LOST, &l, sizeof l, NULL, 0, err);
}

int vs_spool_proc_end(vs_spool *s, int exit_code, int signal, int truncated, vs_error *err)
{
	struct vs_spool_end e = {exit_code, signal, truncated != 0, 0};
	return put_rec(s, VS_SPOOL_PROC_END, &e, sizeof e, NULL, 0, err);
}

int vs_spool_incomplete(vs_spool *s, uint64_t dropped, const char *cause, vs_error *err)
{
	return put_rec(s, VS_SPOOL_INCOMPLETE, &dropped, sizeof dropped, cause, strlen(cause), err);
}

int vs_spool_end(vs_spool *s, vs_error *err)
{
	return put_rec(s, VS_SPOOL_END, NULL, 0, NULL, 0, err);
}

int vs_spool_close(vs_spool *s, vs_error *err)
{
	int rc = vs_spool_flush(s, err);
	if (close(s->fd) != 0 && rc == 0)
		rc = vs_error_set(err, VS_ERR_IO, "'%s': %s", s->path, strerror(errno));
	s->fd = -1;
	vs_spool_discard(s);
	return rc;
}

int vs_spool_take_fd(vs_spool *s)
{
	int fd = s->fd;
	s->fd = -1;
	vs_spool_discard(s);
	return fd;
}

void vs_spool_discard(vs_spool *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	free(s->path);
	free(s);
}

/* ------------------------------------------------------------- reader */

struct vs_spool_reader {
	int fd;
	char *path;
	uint8_t *buf;
	size_t cap, start, end; /* unread bytes: buf[start..end) */
	uint64_t off;           /* file offset of buf[start] */
	int torn;
};

/* reads until `need` unread bytes are buffered: 1 yes, 0 the file ends
 * first, <0 error */
static int fill(vs_spool_reader *r, size_t need, vs_error *err)
{
	if (r->end - r->start >= need)
		return 1;
	if (r->start) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (need > r->cap) {
		size_t cap = r->cap;
		if (VS_GROW(r->buf, cap, need) < 0)
			return vs_error_nomem(err);
		r->cap = cap;
	}
	while (r->end < need) {
		ssize_t n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vs_error_set(err, VS_ERR_IO, "'%s': %s", r->path, strerror(errno));
		if (n == 0)
			return 0;
		r->end += (size_t)n;
	}
	return 1;
}

int vs_spool_reader_open(vs_spool_reader **out, const char *path, vs_error *err)
{
	uint32_t v, esz;
	int rc;
	vs_spool_reader *r = calloc(1, sizeof *r);
	*out = NULL;
	if (!r || !(r->path = strdup(path)) || !(r->buf = malloc(VS_SPOOL_BUF))) {
		if (r)
			free(r->path);
		free(r);
		return vs_error_nomem(err);
	}
	r->cap = VS_SPOOL_BUF;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		rc = vs_error_set(err, errno == ENOENT ? VS_ERR_NOT_FOUND : VS_ERR_IO, "'%s': %s",
		                  path, strerror(errno));
		goto fail;
	}
	rc = fill(r, HDR_BYTES, err);
	if (rc < 0)
		goto fail;
	if (rc == 0 && memcmp(r->buf, SPOOL_MAGIC, r->end) == 0) {
		/* cut inside its header (its writer died making it): no records */
		r->start = r->end;
		r->off = r->end;
		r->torn = 1;
		*out = r;
		return 0;
	}
	memcpy(&v, r->buf + 8, sizeof v);
	memcpy(&esz, r->buf + 12, sizeof esz);
	if (rc == 0 || memcmp(r->buf, SPOOL_MAGIC, 8) != 0 || v != VS_SPOOL_VERSION ||
	    esz != sizeof(vs_event)) {
		rc = vs_error_set(err, VS_ERR_FORMAT,
		                  "'%s': not a vstrace spool file of version %d", path,
		                  VS_SPOOL_VERSION);
		goto fail;
	}
	r->start = HDR_BYTES;
	r->off = HDR_BYTES;
	*out = r;
	return 0;
fail:
	vs_spool_reader_close(r);
	return rc;
}

int vs_spool_reader_next(vs_spool_reader *r, vs_spool_rec *rec, vs_error *err)
{
	uint32_t type, len;
	int rc = fill(r, REC_HDR, err);
	if (rc <= 0) {
		r->torn = rc == 0 && r->end > r->start;
		return rc;
	}
	memcpy(&type, r->buf + r->start, sizeof type);
	memcpy(&len, r->buf + r->start + 4, sizeof len);
	if (len > REC_MAX || type == 0)
		return vs_error_set(err, VS_ERR_FORMAT, "'%s': corrupt spool record at offset %llu",
		                    r->path, (unsigned long long)r->off);
	size_t total = REC_HDR + pad8(len);
	if ((rc = fill(r, total, err)) <= 0) {
		r->torn = rc == 0;
		return rc;
	}
	rec->type = type;
	rec->len = len;
	rec->data = r->buf + r->start + REC_HDR;
	r->start += total;
	r->off += total;
	r->torn = 0;
	return 1;
}

int vs_spool_reader_torn(const vs_spool_reader *r) { return r->torn; }

uint64_t vs_spool_reader_offset(const vs_spool_reader *r) { return r->off; }

void vs_spool_reader_close(vs_spool_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->buf);
	free(r->path);
	free(r);
}
