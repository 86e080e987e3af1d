/* SPDX-License-Identifier: MIT */
/*
 * tracer/ring.c - the shared-memory ring transport: segment layout, the
 * producer-side sink libvs emits into, and the consumer-side reader.
 *
 * Invariants: each ring has one producer thread and one consumer; a slot is
 * written only when the consumer's tail says it is free, and its commit word
 * is set to the slot's lap number (release) after the bytes, so a reader
 * that sees the lap sees the whole slot.  The producer publishes its head
 * in batches; after the producer is gone the reader follows commit words
 * past the head.  The hot path (ring_event) takes no lock, makes no system
 * call and allocates nothing.  Pages are allocated (posix_fallocate) before
 * they are touched, so a full file system costs events, never a SIGBUS.
 * Like tracer/autotrace.c, the sink prints one stderr line when recording
 * cannot go as asked (smaller rings, a thread without a ring, a recorder
 * gone): the traced program is not the caller that could be told.
 */
#include "tracer/ring.h"
#include "tracer/alloc.h"
#include "vs/internal/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>

#define SEG_MAGIC 0x3147455347525356ull /* "VSRGSEG1" */
#define STR_TAG 0x31525453u             /* "STR1" */
#define STR_HEAD_TEXT 48u               /* text bytes in a string's first slot */
#define COMMIT_BUSY 0x80000000u         /* slot being written (lap | BUSY) */
#define BATCH_MAX 64u
#define CLAIM_WAIT_SLEEPS 20000u /* ~1 s waiting for a free ring */
#define SLOTS_FALLBACK_MIN 64u   /* smallest ring tried when space is short */

enum { SEG_LIVE = 1, SEG_CLOSED = 2 };
/* ring states: FREE -> ACTIVE -> ENDED (recycled to FREE by the consumer)
 * or ACTIVE -> EXITED (the thread that ran exit; never recycled) */
enum { RING_FREE = 0, RING_ACTIVE = 1, RING_ENDED = 2, RING_EXITED = 3 };

/* the segment header, at offset 0 (128 bytes) */
struct seg_hdr {
	_Atomic uint64_t magic; /* stored last, release */
	uint32_t version;
	uint32_t nrings;
	uint32_t slots;
	uint32_t str_slots;
	uint32_t discard;
	uint32_t reserved;
	int64_t pid;
	int64_t ppid;
	int64_t fork_parent;
	uint64_t ring_off;    /* first thread ring */
	uint64_t ring_stride; /* bytes per thread ring */
	uint64_t str_off;     /* the string ring */
	uint64_t size;        /* file size */
	_Atomic uint32_t state;
	_Atomic uint32_t claimed;    /* high-water mark of thread rings used */
	_Atomic uint64_t unringed;   /* events dropped: no ring free (discard) */
	_Atomic int32_t exit_status; /* as passed to exit(), when has_exit */
	_Atomic uint32_t has_exit;
	_Atomic uint32_t backed; /* thread rings [0, backed) have their pages allocated */
	uint32_t reserved2;
	uint8_t pad[128 - 120];
};
_Static_assert(sizeof(struct seg_hdr) == 128, "segment header is 128 bytes");

/* a ring header: producer line, consumer line; then commit words, slots */
struct ring_hdr {
	_Atomic uint64_t head;    /* published write position */
	_Atomic uint64_t dropped; /* events dropped here so far (discard) */
	_Atomic uint32_t state;
	uint32_t tid; /* runtime thread number of the owner */
	int64_t os_tid;
	uint8_t pad0[64 - 32];
	_Atomic uint64_t tail; /* consumer position */
	uint8_t pad1[64 - 8];
};
_Static_assert(sizeof(struct ring_hdr) == 128, "ring header is 128 bytes");

struct str_head {
	uint32_t tag, id, len, nslots;
	char text[STR_HEAD_TEXT];
};
_Static_assert(sizeof(struct str_head) == VS_RING_SLOT, "string head is one slot");

/* producer-private position of one ring (only its owner thread touches it) */
struct ring_local {
	uint64_t wpos;       /* next slot to write */
	uint64_t tail_cache; /* last tail seen */
	uint64_t last_seq;   /* seq of the last event written */
	uint64_t pending;    /* drops not yet reported in-band */
	uint32_t unpub;      /* written since the last publish */
} __attribute__((aligned(64)));

struct vs_ring_sink {
	uint64_t gen; /* matches vs_ring_tls.gen of threads with a ring */
	int fd, lockfd;
	uint8_t *map;
	size_t size;
	struct seg_hdr *seg;
	uint32_t nrings, slots, mask, shift, str_slots, batch;
	int discard;
	_Atomic int dead;     /* the recorder is gone: drop everything */
	int orphan;           /* fork child without a segment: write nothing */
	int linger;           /* close keeps the segment (vs_ring_sink_set_linger) */
	vs_ring_sink **owner; /* cleared when the sink is closed */
	pthread_mutex_t str_mu;
	pthread_mutex_t back_mu; /* serialises allocating ring pages (rare) */
	int back_warned;         /* said once that the ring directory is full */
	struct ring_local *loc;  /* nrings + 1 (the string ring last) */
	char *dir;
	char path[PATH_MAX];
};

struct vs_ring_reader {
	int fd;
	uint8_t *map;
	size_t size;
	struct seg_hdr *seg;
	uint32_t nrings, slots, mask, shift, str_slots;
	struct {
		uint64_t last_seq, lost_reported;
		uint32_t tid;   /* of the last record read (the producer's own field
		               * may be rewritten when the ring is recycled) */
		uint32_t state; /* snapshot taken before the strings are drained */
		uint64_t head;
	} * rs;
	char *strbuf;
	vs_ring_stats st;
};

/* per-thread ring binding: valid while gen equals the sink's gen; the
 * pointers are cached so the hot path computes no addresses */
static _Thread_local struct {
	uint64_t gen;
	uint32_t idx;
	struct ring_hdr *r;
	struct ring_local *l;
	_Atomic uint32_t *commit;
	uint8_t *slots;
} vs_ring_tls;

static _Atomic uint64_t vs_ring_gen_counter = 1;

/* ------------------------------------------------------------ layout */

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t p = VS_RING_MIN_SLOTS;
	while (p < n && p < VS_RING_MAX_SLOTS)
		p <<= 1;
	return p;
}

static uint32_t log2u(uint32_t p)
{
	uint32_t s = 0;
	while ((1u << s) < p)
		s++;
	return s;
}

static uint64_t ring_bytes(uint32_t slots)
{
	uint64_t commit = ((uint64_t)slots * 4 + 63) / 64 * 64;
	return sizeof(struct ring_hdr) + commit + (uint64_t)slots * VS_RING_SLOT;
}

static struct ring_hdr *ring_at(uint8_t *map, const struct seg_hdr *h, uint32_t idx)
{
	if (idx == h->nrings)
		return (struct ring_hdr *)(void *)(map + h->str_off);
	return (struct ring_hdr *)(void *)(map + h->ring_off + (uint64_t)idx * h->ring_stride);
}

static _Atomic uint32_t *ring_commit(struct ring_hdr *r)
{
	return (_Atomic uint32_t *)(void *)((uint8_t *)r + sizeof *r);
}

static uint8_t *ring_slot(struct ring_hdr *r, uint32_t slots, uint64_t pos)
{
	uint64_t commit = ((uint64_t)slots * 4 + 63) / 64 * 64;
	return (uint8_t *)r + sizeof *r + commit + (pos & (slots - 1)) * VS_RING_SLOT;
}

static uint32_t lap_of(uint64_t pos, uint32_t shift)
{
	return (uint32_t)((pos >> shift) + 1) & ~COMMIT_BUSY;
}

static void pause_briefly(unsigned *spins)
{
	if (++*spins < 64)
		return;
	struct timespec ts = {0, 50 * 1000};
	nanosleep(&ts, NULL);
}

/* ---------------------------------------------------------- producer */

/* the recorder still holds its lock (checked only while waiting) */
static int recorder_alive(vs_ring_sink *s)
{
	if (s->lockfd < 0)
		return 1;
	if (flock(s->lockfd, LOCK_SH | LOCK_NB) == 0) {
		flock(s->lockfd, LOCK_UN);
		if (!atomic_exchange(&s->dead, 1))
			fprintf(stderr,
			        "vstrace: the recorder of '%s' is gone: this program's events are"
			        " no longer recorded ('vstrace recover' makes a trace of those"
			        " written so far)\n",
			        s->dir);
		return 0;
	}
	return 1;
}

static void publish(struct ring_hdr *r, struct ring_local *l)
{
	atomic_store_explicit(&r->head, l->wpos, memory_order_release);
	l->unpub = 0;
}

/* room for need slots; in block mode (or force) waits for the consumer */
static int make_room(vs_ring_sink *s, struct ring_hdr *r, struct ring_local *l, uint32_t slots,
                     uint32_t need, int wait)
{
	unsigned spins = 0, sleeps = 0;
	publish(r, l);
	for (;;) {
		l->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
		if (l->wpos + need - l->tail_cache <= slots)
			return 1;
		if (!wait || atomic_load_explicit(&s->dead, memory_order_relaxed))
			return 0;
		pause_briefly(&spins);
		if (spins >= 64 && ++sleeps % 1024 == 0 && !recorder_alive(s))
			return 0;
	}
}

static void write_slot(struct ring_hdr *r, uint32_t slots, uint32_t shift, uint64_t pos,
                       const void *src)
{
	_Atomic uint32_t *c = &ring_commit(r)[pos & (slots - 1)];
	uint32_t lap = lap_of(pos, shift);
	atomic_store_explicit(c, lap | COMMIT_BUSY, memory_order_relaxed);
	memcpy(ring_slot(r, slots, pos), src, VS_RING_SLOT);
	atomic_store_explicit(c, lap, memory_order_release);
}

static void write_lost(vs_ring_sink *s, struct ring_hdr *r, struct ring_local *l)
{
	vs_event lost;
	memset(&lost, 0, sizeof lost);
	lost.seq = l->last_seq;
	lost.tid = r->tid;
	lost.kind = VS_EV_LOST;
	lost.lost.count_lo = (uint32_t)l->pending;
	lost.lost.count_hi = (uint32_t)(l->pending >> 32);
	write_slot(r, s->slots, s->shift, l->wpos++, &lost);
	l->pending = 0;
}

/*
 * Allocates the pages of thread ring idx (rings are backed in order, when
 * a thread first needs one): a ring whose pages were never allocated is
 * never touched, so a full shared-memory file system costs events (counted
 * as lost), never a SIGBUS.  0 ok (idx < backed afterwards), -1 no space.
 */
static int back_ring(vs_ring_sink *s, uint32_t idx)
{
	int ok = 1;
	pthread_mutex_lock(&s->back_mu);
	uint32_t backed = atomic_load_explicit(&s->seg->backed, memory_order_relaxed);
	if (idx >= backed) {
		const struct seg_hdr *h = s->seg;
		int e = posix_fallocate(s->fd,
		                        (off_t)(h->ring_off + (uint64_t)backed * h->ring_stride),
		                        (off_t)h->ring_stride);
		ok = e == 0;
		if (ok)
			atomic_store_explicit(&s->seg->backed, backed + 1, memory_order_release);
		else if (!s->back_warned) {
			s->back_warned = 1;
			fprintf(stderr,
			        "vstrace: '%s': %s: no ring for another thread; its events are "
			        "counted"
			        " as lost\n",
			        s->dir, strerror(e));
		}
	}
	pthread_mutex_unlock(&s->back_mu);
	return ok ? 0 : -1;
}

/* binds a free ring to the calling thread; 0 ok, -1 none available.  In
 * block mode it waits for a ring to be recycled, but only so long (all
 * rings held by live threads would never free one): then the thread is
 * bound to no ring and its events are counted as lost. */
static int claim_ring(vs_ring_sink *s, const vs_event *ev)
{
	unsigned spins = 0, sleeps = 0;
	if (s->orphan)
		return -1;
	for (;;) {
		for (uint32_t i = 0; i < s->nrings; i++) {
			if (i >= atomic_load_explicit(&s->seg->backed, memory_order_acquire) &&
			    back_ring(s, i) < 0)
				break;
			struct ring_hdr *r = ring_at(s->map, s->seg, i);
			uint32_t want = RING_FREE;
			if (atomic_load_explicit(&r->state, memory_order_relaxed) != RING_FREE ||
			    !atomic_compare_exchange_strong(&r->state, &want, RING_ACTIVE))
				continue;
			struct ring_local *l = &s->loc[i];
			r->tid = ev->tid;
			r->os_tid = (int64_t)gettid();
			l->wpos = atomic_load_explicit(&r->head, memory_order_acquire);
			l->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
			l->last_seq = 0;
			l->pending = 0;
			l->unpub = 0;
			uint32_t hw = atomic_load(&s->seg->claimed);
			while (hw < i + 1 &&
			       !atomic_compare_exchange_weak(&s->seg->claimed, &hw, i + 1))
				;
			vs_ring_tls.gen = s->gen;
			vs_ring_tls.idx = i;
			vs_ring_tls.r = r;
			vs_ring_tls.l = l;
			vs_ring_tls.commit = ring_commit(r);
			vs_ring_tls.slots = ring_slot(r, s->slots, 0);
			return 0;
		}
		if (s->discard || atomic_load(&s->dead) || sleeps > CLAIM_WAIT_SLEEPS)
			break;
		pause_briefly(&spins);
		if (spins >= 64 && ++sleeps % 1024 == 0 && !recorder_alive(s))
			break;
	}
	/* no ring: every later event of this thread is counted, not written */
	vs_ring_tls.gen = s->gen;
	vs_ring_tls.idx = UINT32_MAX;
	vs_ring_tls.r = NULL;
	vs_ring_tls.l = NULL;
	return -1;
}

static void ring_event(void *ctx, const vs_event *ev)
{
	vs_ring_sink *s = ctx;
	if (__builtin_expect(vs_ring_tls.gen != s->gen, 0) && claim_ring(s, ev) < 0) {
		if (!s->orphan)
			atomic_fetch_add_explicit(&s->seg->unringed, 1, memory_order_relaxed);
		return;
	}
	struct ring_local *l = vs_ring_tls.l;
	if (__builtin_expect(l == NULL, 0)) { /* bound to no ring (all taken) */
		atomic_fetch_add_explicit(&s->seg->unringed, 1, memory_order_relaxed);
		return;
	}
	uint32_t need = l->pending ? 2 : 1;
	if (__builtin_expect(l->wpos + need - l->tail_cache > s->slots, 0) &&
	    !make_room(s, vs_ring_tls.r, l, s->slots, need, !s->discard)) {
		l->pending++;
		atomic_fetch_add_explicit(&vs_ring_tls.r->dropped, 1, memory_order_relaxed);
		return;
	}
	if (__builtin_expect(l->pending != 0, 0))
		write_lost(s, vs_ring_tls.r, l);
	/* inline write_slot with the cached addresses */
	uint64_t pos = l->wpos++;
	uint32_t i = (uint32_t)pos & s->mask, lap = lap_of(pos, s->shift);
	atomic_store_explicit(&vs_ring_tls.commit[i], lap | COMMIT_BUSY, memory_order_relaxed);
	memcpy(vs_ring_tls.slots + (size_t)i * VS_RING_SLOT, ev, VS_RING_SLOT);
	atomic_store_explicit(&vs_ring_tls.commit[i], lap, memory_order_release);
	l->last_seq = ev->seq;
	if (++l->unpub >= s->batch)
		publish(vs_ring_tls.r, l);
}

/* finishes the calling thread's ring with final state */
static void finish_ring(vs_ring_sink *s, uint32_t state)
{
	if (vs_ring_tls.gen != s->gen || !vs_ring_tls.l)
		return;
	uint32_t idx = vs_ring_tls.idx;
	struct ring_hdr *r = ring_at(s->map, s->seg, idx);
	struct ring_local *l = &s->loc[idx];
	if (l->pending && make_room(s, r, l, s->slots, 1, 1))
		write_lost(s, r, l);
	publish(r, l);
	atomic_store_explicit(&r->state, state, memory_order_release);
	if (state == RING_ENDED)
		vs_ring_tls.gen = 0;
}

static int ring_string(void *ctx, uint32_t id, const char *str, uint32_t len)
{
	vs_ring_sink *s = ctx;
	uint32_t idx = s->nrings;
	struct ring_hdr *r = ring_at(s->map, s->seg, idx);
	struct ring_local *l = &s->loc[idx];
	uint64_t cap = STR_HEAD_TEXT + (uint64_t)(s->str_slots - 1) * VS_RING_SLOT;
	if (len > cap)
		len = (uint32_t)cap; /* a string longer than the whole ring is cut */
	if (s->orphan)
		return 0;
	uint32_t nslots = 1 + (len > STR_HEAD_TEXT
	                               ? (len - STR_HEAD_TEXT + VS_RING_SLOT - 1) / VS_RING_SLOT
	                               : 0);
	pthread_mutex_lock(&s->str_mu);
	if (l->wpos + nslots - l->tail_cache > s->str_slots &&
	    !make_room(s, r, l, s->str_slots, nslots, 1)) {
		pthread_mutex_unlock(&s->str_mu);
		return 0; /* recorder gone: nothing will read it */
	}
	uint32_t shift = log2u(s->str_slots);
	struct str_head h;
	memset(&h, 0, sizeof h);
	h.tag = STR_TAG;
	h.id = id;
	h.len = len;
	h.nslots = nslots;
	uint32_t first = len < STR_HEAD_TEXT ? len : STR_HEAD_TEXT;
	memcpy(h.text, str, first);
	write_slot(r, s->str_slots, shift, l->wpos++, &h);
	for (uint32_t off = first; off < len; off += VS_RING_SLOT) {
		uint8_t buf[VS_RING_SLOT] = {0};
		uint32_t n = len - off < VS_RING_SLOT ? len - off : VS_RING_SLOT;
		memcpy(buf, str + off, n);
		write_slot(r, s->str_slots, shift, l->wpos++, buf);
	}
	publish(r, l);
	pthread_mutex_unlock(&s->str_mu);
	return 0;
}

static void ring_thread_end(void *ctx, uint32_t tid) { finish_ring(ctx, RING_ENDED); }

static void ring_flush(void *ctx)
{
	vs_ring_sink *s = ctx;
	if (vs_ring_tls.gen == s->gen && vs_ring_tls.l)
		publish(vs_ring_tls.r, vs_ring_tls.l);
}

/* the header of a new segment (its magic last, release) */
static void seg_init(struct seg_hdr *h, const vs_ring_sink *s, pid_t pid, int64_t fork_parent,
                     uint64_t size)
{
	h->version = VS_RING_VERSION;
	h->nrings = s->nrings;
	h->slots = s->slots;
	h->str_slots = s->str_slots;
	h->discard = (uint32_t)s->discard;
	h->pid = pid;
	h->ppid = getppid();
	h->fork_parent = fork_parent;
	h->ring_off = sizeof(struct seg_hdr);
	h->ring_stride = ring_bytes(s->slots);
	h->str_off = h->ring_off + h->ring_stride * s->nrings;
	h->size = size;
	atomic_store(&h->backed, 1);
	atomic_store(&h->state, SEG_LIVE);
	atomic_store_explicit(&h->magic, SEG_MAGIC, memory_order_release);
}

/* creates, sizes, maps, locks and initializes a segment file, then makes
 * it visible under its final name */
static int seg_create(vs_ring_sink *s, int64_t fork_parent, vs_error *err)
{
	int ret = VS_ERR_IO;
	char tmp[PATH_MAX];
	int fd = -1;
	uint8_t *map = MAP_FAILED;
	pid_t pid = getpid();
	uint64_t ring_off = sizeof(struct seg_hdr), stride = ring_bytes(s->slots);
	uint64_t str_off = ring_off + stride * s->nrings;
	uint64_t size = str_off + ring_bytes(s->str_slots);

	for (unsigned n = 0; fd < 0 && n < 1000; n++) {
		snprintf(tmp, sizeof tmp, "%s/.tmp-%ld-%u", s->dir, (long)pid, n);
		fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		vs_error_set(err, VS_ERR_IO, "'%s': %s", s->dir, strerror(errno));
		goto cleanup;
	}
	if (flock(fd, LOCK_EX) != 0 || ftruncate(fd, (off_t)size) != 0) {
		ret = errno == EFBIG || errno == ENOSPC ? VS_ERR_NOMEM : VS_ERR_IO;
		vs_error_set(err, ret, "'%s': %s", s->dir, strerror(errno));
		goto cleanup;
	}
	/* the pages written from now on exist before they are touched: the
	 * header, the string ring and the first thread's ring (the others when
	 * a thread claims them, back_ring) */
	int e = posix_fallocate(fd, 0, (off_t)(ring_off + stride));
	if (e == 0)
		e = posix_fallocate(fd, (off_t)str_off, (off_t)(size - str_off));
	if (e != 0) {
		ret = e == ENOSPC || e == EFBIG ? VS_ERR_NOMEM : VS_ERR_IO;
		vs_error_set(err, ret, "'%s': %s", s->dir, strerror(e));
		goto cleanup;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		vs_error_set(err, VS_ERR_IO, "'%s': mmap: %s", tmp, strerror(errno));
		goto cleanup;
	}
	struct seg_hdr *h = (struct seg_hdr *)(void *)map;
	seg_init(h, s, pid, fork_parent, size);
	for (unsigned n = 0;; n++) {
		snprintf(s->path, sizeof s->path,
		         "%s/" VS_RING_SEG_PREFIX "%ld-%u" VS_RING_SEG_SUFFIX, s->dir, (long)pid,
		         n);
		if (link(tmp, s->path) == 0)
			break;
		if (errno != EEXIST || n > 1000) {
			vs_error_set(err, VS_ERR_IO, "'%s': %s", s->path, strerror(errno));
			goto cleanup;
		}
	}
	unlink(tmp);
	s->fd = fd;
	s->map = map;
	s->size = size;
	s->seg = h;
	fd = -1;
	map = MAP_FAILED;
	ret = 0;
cleanup:
	if (map != MAP_FAILED)
		munmap(map, size);
	if (fd >= 0) {
		unlink(tmp);
		close(fd);
	}
	return ret;
}

static void set_slots(vs_ring_sink *s, uint32_t slots)
{
	s->slots = slots;
	s->mask = slots - 1;
	s->shift = log2u(slots);
	s->batch = slots / 4 < BATCH_MAX ? slots / 4 : BATCH_MAX;
}

int vs_ring_sink_open(vs_ring_sink **out, const vs_ring_config *cfg, vs_error *err)
{
	int ret = VS_ERR_NOMEM;
	char lockpath[PATH_MAX];
	vs_ring_sink *s = rt_calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return vs_error_nomem(err);
	s->fd = s->lockfd = -1;
	s->nrings = VS_RING_MAX_THREADS;
	set_slots(s, pow2_at_least(cfg->slots ? cfg->slots : VS_RING_DEFAULT_SLOTS));
	s->str_slots = VS_RING_STR_SLOTS;
	s->discard = cfg->discard != 0;
	s->gen = atomic_fetch_add(&vs_ring_gen_counter, 1);
	pthread_mutex_init(&s->str_mu, NULL);
	pthread_mutex_init(&s->back_mu, NULL);
	size_t dirlen = strlen(cfg->dir) + 1;
	s->dir = rt_malloc(dirlen);
	if (s->dir)
		memcpy(s->dir, cfg->dir, dirlen);
	s->loc = rt_aligned_alloc(64, sizeof *s->loc * (s->nrings + 1));
	if (!s->dir || !s->loc) {
		vs_error_nomem(err);
		goto cleanup;
	}
	memset(s->loc, 0, sizeof *s->loc * (s->nrings + 1));
	snprintf(lockpath, sizeof lockpath, "%s/" VS_RING_LOCK_NAME, cfg->dir);
	s->lockfd = open(lockpath, O_RDONLY | O_CLOEXEC);
	ret = seg_create(s, 0, err);
	/* the directory is short of space: smaller rings, said once */
	while (ret == VS_ERR_NOMEM && s->slots > SLOTS_FALLBACK_MIN) {
		uint32_t want = s->slots;
		set_slots(s, s->slots / 4 > SLOTS_FALLBACK_MIN ? s->slots / 4 : SLOTS_FALLBACK_MIN);
		ret = seg_create(s, 0, err);
		if (ret == 0)
			fprintf(stderr,
			        "vstrace: '%s' is short of space: rings of %u events per thread"
			        " instead of %u\n",
			        s->dir, s->slots, want);
	}
	if (ret < 0)
		goto cleanup;
	*out = s;
	s = NULL;
	ret = 0;
cleanup:
	vs_ring_sink_free(s);
	return ret;
}

void vs_ring_sink_free(vs_ring_sink *s)
{
	if (!s)
		return;
	if (s->map)
		munmap(s->map, s->size);
	if (s->fd >= 0)
		close(s->fd);
	if (s->lockfd >= 0)
		close(s->lockfd);
	pthread_mutex_destroy(&s->str_mu);
	pthread_mutex_destroy(&s->back_mu);
	free(s->loc);
	free(s->dir);
	free(s);
}

void vs_ring_sink_exiting(vs_ring_sink *s, int status)
{
	if (s->orphan)
		return;
	if (status >= 0) {
		atomic_store(&s->seg->exit_status, status);
		atomic_store(&s->seg->has_exit, 1);
	}
	struct ring_hdr *sr = ring_at(s->map, s->seg, s->nrings);
	finish_ring(s, RING_EXITED);
	pthread_mutex_lock(&s->str_mu);
	publish(sr, &s->loc[s->nrings]);
	pthread_mutex_unlock(&s->str_mu);
	atomic_store_explicit(&s->seg->state, SEG_CLOSED, memory_order_release);
}

void vs_ring_sink_set_owner(vs_ring_sink *s, vs_ring_sink **ref) { s->owner = ref; }

void vs_ring_sink_set_linger(vs_ring_sink *s, int linger) { s->linger = linger != 0; }

static void ring_close(void *ctx)
{
	vs_ring_sink *s = ctx;
	if (s->owner)
		*s->owner = NULL;
	if (s->linger) {
		/* everything written is published; the owner closes the
		 * segment with the exit status */
		if (!s->orphan) {
			finish_ring(s, RING_EXITED);
			pthread_mutex_lock(&s->str_mu);
			publish(ring_at(s->map, s->seg, s->nrings), &s->loc[s->nrings]);
			pthread_mutex_unlock(&s->str_mu);
		}
		vs_ring_tls.gen = 0;
		return;
	}
	vs_ring_sink_exiting(s, -1);
	vs_ring_tls.gen = 0;
	vs_ring_sink_free(s);
}

/* in a fork child: a segment of its own; the parent's is released only
 * after the child's exists, so a drain never sees both gone */
static void ring_fork_child(void *ctx)
{
	vs_ring_sink *s = ctx;
	vs_error err;
	int old_fd = s->fd;
	uint8_t *old_map = s->map;
	size_t old_size = s->size;
	if (s->orphan)
		return;
	int64_t parent = s->seg->pid;

	pthread_mutex_init(&s->str_mu, NULL);
	pthread_mutex_init(&s->back_mu, NULL);
	s->gen = atomic_fetch_add(&vs_ring_gen_counter, 1);
	memset(s->loc, 0, sizeof *s->loc * (s->nrings + 1));
	s->fd = -1;
	s->map = NULL;
	if (seg_create(s, parent, &err) < 0) {
		/* no segment of its own: never write into the parent's rings;
		 * every op checks orphan (threads here have no ring yet) */
		s->orphan = 1;
		atomic_store(&s->dead, 1);
	}
	munmap(old_map, old_size);
	close(old_fd);
	if (s->orphan) {
		s->map = NULL;
		s->seg = NULL;
	}
}

static const vs_sink_ops ring_ops = {
	.string = ring_string,
	.event = ring_event,
	.thread_end = ring_thread_end,
	.flush = ring_flush,
	.fork_child = ring_fork_child,
	.close = ring_close,
};

const vs_sink_ops *vs_ring_sink_ops(void) { return &ring_ops; }

const char *vs_ring_sink_path(const vs_ring_sink *s) { return s->path; }

/* ---------------------------------------------------------- consumer */

int vs_ring_reader_open(vs_ring_reader **out, const char *path, vs_error *err)
{
	int ret = VS_ERR_IO;
	struct stat st;
	vs_ring_reader *r = rt_calloc(1, sizeof *r);
	*out = NULL;
	if (!r)
		return vs_error_nomem(err);
	r->map = MAP_FAILED;
	r->fd = open(path, O_RDWR | O_CLOEXEC);
	if (r->fd < 0 || fstat(r->fd, &st) != 0) {
		vs_error_set(err, VS_ERR_IO, "'%s': %s", path, strerror(errno));
		goto cleanup;
	}
	ret = VS_ERR_FORMAT;
	if ((uint64_t)st.st_size < sizeof(struct seg_hdr)) {
		vs_error_set(err, ret, "'%s': not a vstrace ring segment", path);
		goto cleanup;
	}
	r->size = (size_t)st.st_size;
	r->map = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->map == MAP_FAILED) {
		vs_error_set(err, VS_ERR_IO, "'%s': mmap: %s", path, strerror(errno));
		ret = VS_ERR_IO;
		goto cleanup;
	}
	r->seg = (struct seg_hdr *)(void *)r->map;
	const struct seg_hdr *h = r->seg;
	if (atomic_load_explicit(&r->seg->magic, memory_order_acquire) != SEG_MAGIC ||
	    h->version != VS_RING_VERSION) {
		vs_error_set(err, ret, "'%s': not a vstrace ring segment of version %d", path,
		             VS_RING_VERSION);
		goto cleanup;
	}
	if (h->nrings == 0 || h->nrings > VS_RING_MAX_THREADS || h->slots < VS_RING_MIN_SLOTS ||
	    h->slots > VS_RING_MAX_SLOTS || (h->slots & (h->slots - 1)) ||
	    h->str_slots < VS_RING_MIN_SLOTS || (h->str_slots & (h->str_slots - 1)) ||
	    h->ring_stride != ring_bytes(h->slots) || h->ring_off != sizeof *h ||
	    h->str_off != h->ring_off + h->ring_stride * h->nrings ||
	    h->size != h->str_off + ring_bytes(h->str_slots) || h->size > r->size) {
		vs_error_set(err, ret, "'%s': corrupt ring segment header", path);
		goto cleanup;
	}
	r->nrings = h->nrings;
	r->slots = h->slots;
	r->mask = h->slots - 1;
	r->shift = log2u(h->slots);
	r->str_slots = h->str_slots;
	r->rs = rt_calloc(r->nrings, sizeof *r->rs);
	r->strbuf = rt_malloc((size_t)r->str_slots * VS_RING_SLOT);
	if (!r->rs || !r->strbuf) {
		ret = vs_error_nomem(err);
		goto cleanup;
	}
	*out = r;
	r = NULL;
	ret = 0;
cleanup:
	vs_ring_reader_close(r);
	return ret;
}

void vs_ring_reader_close(vs_ring_reader *r)
{
	if (!r)
		return;
	if (r->map != MAP_FAILED)
		munmap(r->map, r->size);
	if (r->fd >= 0)
		close(r->fd);
	free(r->rs);
	free(r->strbuf);
	free(r);
}

int64_t vs_ring_reader_pid(const vs_ring_reader *r) { return r->seg->pid; }
int64_t vs_ring_reader_ppid(const vs_ring_reader *r) { return r->seg->ppid; }
int64_t vs_ring_reader_fork_parent(const vs_ring_reader *r) { return r->seg->fork_parent; }

uint32_t vs_ring_reader_slots(const vs_ring_reader *r) { return r->slots; }
int vs_ring_reader_discard(const vs_ring_reader *r) { return r->seg->discard != 0; }

int vs_ring_reader_alive(const vs_ring_reader *r)
{
	if (flock(r->fd, LOCK_EX | LOCK_NB) == 0) {
		flock(r->fd, LOCK_UN);
		return 0;
	}
	return 1;
}

int vs_ring_reader_closed(const vs_ring_reader *r)
{
	return atomic_load_explicit(&r->seg->state, memory_order_acquire) == SEG_CLOSED;
}

int vs_ring_reader_exit_status(const vs_ring_reader *r, int *status)
{
	if (!atomic_load(&r->seg->has_exit))
		return 0;
	*status = atomic_load(&r->seg->exit_status);
	return 1;
}

int vs_ring_reader_peek_first(const vs_ring_reader *r, vs_event *ev)
{
	struct ring_hdr *rh = ring_at(r->map, r->seg, 0);
	if (atomic_load_explicit(&ring_commit(rh)[0], memory_order_acquire) != 1)
		return 0;
	memcpy(ev, ring_slot(rh, r->slots, 0), sizeof *ev);
	return 1;
}

/* slot pos is readable: published (pos < head) or, at the end, committed */
static int slot_ready(struct ring_hdr *rh, uint32_t shift, uint32_t slots, uint64_t pos,
                      uint64_t head, int final)
{
	uint32_t c = atomic_load_explicit(&ring_commit(rh)[pos & (slots - 1)],
	                                  memory_order_acquire);
	if (pos < head)
		return c == lap_of(pos, shift);
	return final && c == lap_of(pos, shift);
}

/* frees the consumed slots up to pos, once the visitor has made what it
 * was given durable (commit) */
static int release(struct ring_hdr *rh, uint64_t pos, const vs_ring_visitor *v)
{
	if (v->commit) {
		int rc = v->commit(v->ctx);
		if (rc < 0)
			return rc;
	}
	atomic_store_explicit(&rh->tail, pos, memory_order_release);
	return 0;
}

static long drain_strings(vs_ring_reader *r, int final, const vs_ring_visitor *v, vs_error *err)
{
	struct ring_hdr *rh = ring_at(r->map, r->seg, r->nrings);
	uint32_t slots = r->str_slots, shift = log2u(slots);
	uint64_t head = atomic_load_explicit(&rh->head, memory_order_acquire);
	uint64_t pos = atomic_load_explicit(&rh->tail, memory_order_relaxed);
	long n = 0;
	while (slot_ready(rh, shift, slots, pos, head, final)) {
		struct str_head h;
		memcpy(&h, ring_slot(rh, slots, pos), sizeof h);
		if (h.tag != STR_TAG || h.nslots == 0 || h.nslots > slots ||
		    h.len > STR_HEAD_TEXT + (uint64_t)(h.nslots - 1) * VS_RING_SLOT)
			return vs_error_set(err, VS_ERR_FORMAT, "corrupt string record in ring");
		uint32_t i;
		for (i = 1; i < h.nslots; i++)
			if (!slot_ready(rh, shift, slots, pos + i, head, final))
				break;
		if (i < h.nslots)
			break; /* incomplete (the producer died while writing it) */
		uint32_t first = h.len < STR_HEAD_TEXT ? h.len : STR_HEAD_TEXT;
		memcpy(r->strbuf, h.text, first);
		for (uint32_t k = 1, off = first; k < h.nslots; k++, off += VS_RING_SLOT) {
			uint32_t m = h.len - off < VS_RING_SLOT ? h.len - off : VS_RING_SLOT;
			memcpy(r->strbuf + off, ring_slot(rh, slots, pos + k), m);
		}
		if (pos >= head)
			r->st.recovered += h.nslots;
		int rc = v->string ? v->string(v->ctx, h.id, r->strbuf, h.len) : 0;
		if (rc < 0)
			return rc;
		pos += h.nslots;
		if (!v->commit)
			atomic_store_explicit(&rh->tail, pos, memory_order_release);
		r->st.strings++;
		n++;
	}
	if (v->commit && n) {
		int rc = release(rh, pos, v);
		if (rc < 0)
			return rc;
	}
	return n;
}

static int report_lost(vs_ring_reader *r, const vs_ring_visitor *v, uint32_t tid, uint64_t n,
                       uint64_t after)
{
	r->st.lost += n;
	return v->lost ? v->lost(v->ctx, tid, n, after) : 0;
}

/* delivers the record in slot pos (one event or a LOST marker) */
static int deliver_one(vs_ring_reader *r, uint32_t idx, struct ring_hdr *rh, uint64_t pos,
                       uint64_t head, const vs_ring_visitor *v)
{
	vs_event ev;
	memcpy(&ev, ring_slot(rh, r->slots, pos), sizeof ev);
	if (pos >= head)
		r->st.recovered++;
	r->rs[idx].tid = ev.tid;
	if (ev.kind == VS_EV_LOST) {
		uint64_t k = (uint64_t)ev.lost.count_lo | (uint64_t)ev.lost.count_hi << 32;
		r->rs[idx].lost_reported += k;
		return report_lost(r, v, ev.tid, k, ev.seq);
	}
	r->rs[idx].last_seq = ev.seq;
	r->st.events++;
	if (v->events)
		return v->events(v->ctx, &ev, 1);
	return v->event ? v->event(v->ctx, &ev) : 0;
}

/*
 * The run of ready event slots from pos, at most `max` and never across
 * the ring's end or a LOST marker, handed to v->events in place: the
 * number delivered (0: slot pos is a LOST marker), or <0.
 */
static long deliver_run(vs_ring_reader *r, uint32_t idx, struct ring_hdr *rh, uint64_t pos,
                        uint64_t head, int final, uint64_t max, const vs_ring_visitor *v)
{
	uint64_t to_end = r->slots - (pos & r->mask);
	const vs_event *evs = (const vs_event *)(const void *)ring_slot(rh, r->slots, pos);
	uint64_t k = 0;
	if (max > to_end)
		max = to_end;
	while (k < max && (k == 0 || slot_ready(rh, r->shift, r->slots, pos + k, head, final)) &&
	       evs[k].kind != VS_EV_LOST)
		k++;
	if (k == 0)
		return 0;
	if (pos + k > head)
		r->st.recovered += pos + k - (pos > head ? pos : head);
	r->rs[idx].tid = evs[k - 1].tid;
	r->rs[idx].last_seq = evs[k - 1].seq;
	r->st.events += k;
	int rc = v->events(v->ctx, evs, (size_t)k);
	return rc < 0 ? rc : (long)k;
}

static long drain_ring(vs_ring_reader *r, uint32_t idx, int final, const vs_ring_visitor *v)
{
	struct ring_hdr *rh = ring_at(r->map, r->seg, idx);
	uint32_t state = r->rs[idx].state;
	uint64_t head = r->rs[idx].head;
	uint64_t every = v->commit ? 1024 : 64;
	uint64_t pos = atomic_load_explicit(&rh->tail, memory_order_relaxed);
	uint64_t start = pos, released = pos;
	long n = 0, k;
	int rc;

	while (pos - start < r->slots && slot_ready(rh, r->shift, r->slots, pos, head, final)) {
		/* in bulk up to the next release point, else one record */
		uint64_t room = every - (pos - released);
		if (room > start + r->slots - pos)
			room = start + r->slots - pos;
		k = v->events ? deliver_run(r, idx, rh, pos, head, final, room, v) : 0;
		if (k == 0) {
			k = 1;
			rc = deliver_one(r, idx, rh, pos, head, v);
		} else
			rc = k < 0 ? (int)k : 0;
		if (rc < 0)
			return rc;
		pos += (uint64_t)k;
		n += k;
		if (pos - released >= every) {
			if ((rc = release(rh, pos, v)) < 0)
				return rc;
			released = pos;
		}
	}
	if ((rc = release(rh, pos, v)) < 0)
		return rc;
	if (final) {
		uint32_t c = atomic_load_explicit(&ring_commit(rh)[pos & r->mask],
		                                  memory_order_acquire);
		if (state != RING_FREE && c == (lap_of(pos, r->shift) | COMMIT_BUSY)) {
			r->st.torn++;
			if ((rc = report_lost(r, v, r->rs[idx].tid, 1, r->rs[idx].last_seq)) < 0)
				return rc;
		}
		uint64_t dropped = atomic_load(&rh->dropped);
		if (dropped > r->rs[idx].lost_reported) {
			uint64_t more = dropped - r->rs[idx].lost_reported;
			r->rs[idx].lost_reported = dropped;
			if ((rc = report_lost(r, v, r->rs[idx].tid, more, r->rs[idx].last_seq)) < 0)
				return rc;
		}
		if (state == RING_ACTIVE)
			r->st.truncated++;
	} else if (state == RING_ENDED && pos == head) {
		/* the thread finished and everything is read: recycle */
		uint32_t want = RING_ENDED;
		atomic_compare_exchange_strong(&rh->state, &want, RING_FREE);
	}
	return n;
}

long vs_ring_reader_drain(vs_ring_reader *r, int final, const vs_ring_visitor *v, vs_error *err)
{
	/* Each ring's state and head first, the strings next: every string an
	 * event up to that head refers to was published before it, so it is
	 * delivered before the event (a string interned after the snapshot
	 * only serves events read in a later pass). */
	uint32_t used = atomic_load_explicit(&r->seg->claimed, memory_order_acquire);
	if (used > r->nrings)
		used = r->nrings;
	for (uint32_t i = 0; i < used; i++) {
		struct ring_hdr *rh = ring_at(r->map, r->seg, i);
		r->rs[i].state = atomic_load_explicit(&rh->state, memory_order_acquire);
		r->rs[i].head = atomic_load_explicit(&rh->head, memory_order_acquire);
	}
	long total = drain_strings(r, final, v, err);
	if (total < 0)
		return total;
	for (uint32_t i = 0; i < used; i++) {
		long n = drain_ring(r, i, final, v);
		if (n < 0)
			return n;
		total += n;
	}
	if (final) {
		uint64_t u = atomic_exchange(&r->seg->unringed, 0);
		if (u) {
			int rc = report_lost(r, v, 0, u, 0);
			if (rc < 0)
				return rc;
		}
	}
	return total;
}

void vs_ring_reader_stats(const vs_ring_reader *r, vs_ring_stats *out) { *out = r->st; }

/* ------------------------------------------------------- directories */

/* makes base/NAME-XXXXXX (mode 0700) with the lock file, each candidate
 * name announced before it is made: 0, or -errno */
static int dir_make(char *out, size_t cap, const char *base, const char *name,
                    const vs_ring_dir_announce *an)
{
	static const char digits[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static _Atomic uint32_t counter;
	char lock[PATH_MAX + 32], suffix[7];
	int made = 0;
	for (int tries = 0; !made && tries < 100; tries++) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t x = ((uint64_t)ts.tv_nsec << 20) ^ ((uint64_t)getpid() << 8) ^
		             atomic_fetch_add(&counter, 1) * 0x9e3779b97f4a7c15ull;
		for (int i = 0; i < 6; i++, x /= 62)
			suffix[i] = digits[x % 62];
		suffix[6] = '\0';
		if (snprintf(out, cap, "%s/%s-%s", base, name, suffix) >= (int)cap)
			return -ENAMETOOLONG;
		/* whoever may have to clean up after a crash learns the name first */
		if (an && an->fn(an->ctx, out) < 0)
			return -EIO;
		if (mkdir(out, 0700) == 0)
			made = 1;
		else if (errno != EEXIST)
			return -errno;
	}
	if (!made)
		return -EEXIST;
	snprintf(lock, sizeof lock, "%s/%s", out, VS_RING_LOCK_NAME);
	int fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		rmdir(out);
		return -e;
	}
	close(fd);
	return 0;
}

int vs_ring_dir_create(char *out, size_t cap, uint32_t slots, const char *fallback_dir,
                       const vs_ring_dir_announce *an, vs_error *err)
{
	struct statvfs sv;
	uint64_t need = ring_bytes(VS_RING_STR_SLOTS) +
	                4 * ring_bytes(pow2_at_least(slots ? slots : VS_RING_DEFAULT_SLOTS));
	int e = -ENOSPC;
	if (access("/dev/shm", W_OK) == 0 && statvfs("/dev/shm", &sv) == 0 &&
	    (uint64_t)sv.f_bavail * sv.f_frsize >= need)
		e = dir_make(out, cap, "/dev/shm", "vstrace", an);
	if (e < 0 && fallback_dir && *fallback_dir) {
		int f = dir_make(out, cap, fallback_dir, ".vstrace-rings", an);
		if (f == 0) {
			fprintf(stderr,
			        "vstrace: /dev/shm is short of space: ring files go to '%s'\n",
			        out);
			return 0;
		}
	}
	if (e < 0) {
		const char *tmp = getenv("TMPDIR");
		e = dir_make(out, cap, tmp && *tmp ? tmp : "/tmp", "vstrace", an);
	}
	if (e < 0)
		return vs_error_set(err, VS_ERR_IO, "cannot create the ring directory: %s",
		                    strerror(-e));
	return 0;
}

int vs_ring_dir_check(const char *dir, vs_error *err)
{
	struct stat sb;
	char lock[PATH_MAX + 32];
	if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return vs_error_set(err, VS_ERR_INVALID, "'%s': not a directory", dir);
	if (sb.st_uid != geteuid() || (sb.st_mode & 077))
		return vs_error_set(err, VS_ERR_INVALID, "'%s': not a private ring directory", dir);
	snprintf(lock, sizeof lock, "%s/%s", dir, VS_RING_LOCK_NAME);
	int fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return vs_error_set(err, VS_ERR_INVALID, "'%s': not a ring directory", dir);
	int free_lock = flock(fd, LOCK_SH | LOCK_NB) == 0;
	close(fd);
	if (free_lock)
		return vs_error_set(err, VS_ERR_INVALID, "'%s': no recorder is running", dir);
	return 0;
}
