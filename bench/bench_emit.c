/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_emit.c - what recording costs.
 *
 *  1. emit: ns per event through libvs's emission layer into the ring sink
 *     (sequence number, timestamp, thread lookup, ring slot, commit word),
 *     against a bare shared-memory ring push with a timestamp, and the ring
 *     sink called directly with an event built the same way as the bare
 *     one; a consumer thread drains each concurrently.  Producer thread CPU
 *     time, best of three.  Target: libvs <= 2x bare.
 *  2. record: `vstrace record` end to end (this binary re-executed as the
 *     traced program, rings drained into SQLite): events/s, bytes per event
 *     on disk.
 * Usage: bench_emit [EVENTS]   (default 2000000).  Not a test: prints figures.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/recorder.h"
#include "tracer/emit.h"
#include "tracer/ring.h"
#include "vs/sink.h"

#define BARE_SLOTS 4096u

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the calling thread: the emit figures do not count the time
 * the producer was preempted (the machine may be busy) */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------- the bare baseline */

struct bare_ring {
	_Atomic uint64_t head;
	uint8_t pad0[56];
	_Atomic uint64_t tail;
	uint8_t pad1[56];
	vs_event slot[BARE_SLOTS];
};

static _Atomic int g_stop;

/* both consumers poll like the recorder: a short sleep when idle */
static void idle_wait(void)
{
	struct timespec ts = {0, 20000};
	nanosleep(&ts, NULL);
}

static void *bare_consumer(void *arg)
{
	struct bare_ring *b = arg;
	volatile uint64_t sink = 0;
	for (;;) {
		uint64_t t = atomic_load_explicit(&b->tail, memory_order_relaxed);
		uint64_t h = atomic_load_explicit(&b->head, memory_order_acquire);
		if (t == h) {
			if (atomic_load(&g_stop))
				break;
			idle_wait();
			continue;
		}
		for (; t < h; t++)
			sink += b->slot[t & (BARE_SLOTS - 1)].seq;
		atomic_store_explicit(&b->tail, t, memory_order_release);
	}
	(void)sink;
	return NULL;
}

static double bench_bare(uint64_t n)
{
	struct bare_ring *b = mmap(NULL, sizeof *b, PROT_READ | PROT_WRITE,
	                           MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_t th;
	uint64_t w = 0, tail = 0;
	if (b == MAP_FAILED)
		return -1;
	atomic_store(&g_stop, 0);
	pthread_create(&th, NULL, bare_consumer, b);
	double t0 = cpu_s();
	for (uint64_t i = 1; i <= n; i++) {
		struct timespec ts;
		while (w - tail >= BARE_SLOTS)
			tail = atomic_load_explicit(&b->tail, memory_order_acquire);
		vs_event *e = &b->slot[w & (BARE_SLOTS - 1)];
		clock_gettime(CLOCK_REALTIME, &ts);
		memset(e, 0, sizeof *e);
		e->seq = i;
		e->ts_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		e->kind = VS_EV_OP_CREATE;
		e->p[0] = (uint32_t)i;
		atomic_store_explicit(&b->head, ++w, memory_order_release);
	}
	double t = cpu_s() - t0;
	atomic_store(&g_stop, 1);
	pthread_join(th, NULL);
	munmap(b, sizeof *b);
	return t * 1e9 / (double)n;
}

/* ------------------------------------------------ libvs into the ring */

static void *ring_consumer(void *arg)
{
	vs_ring_reader *r = arg;
	vs_ring_visitor v = {NULL, NULL, NULL, NULL, NULL, NULL};
	vs_error err;
	while (!atomic_load(&g_stop))
		if (vs_ring_reader_drain(r, 0, &v, &err) == 0)
			idle_wait();
	return NULL;
}

static void emit_n(uint64_t n)
{
	for (uint64_t i = 1; i <= n; i++)
		RT_EMIT(VS_EV_OP_CREATE, 0, 0, .op_create = {.name = (uint32_t)i, .type = 2, .op_id = (uint32_t)i});
}

/* the ring sink alone: the same event fields, no runtime layer */
static void sink_n(vs_ring_sink *s, uint64_t n)
{
	const vs_sink_ops *ops = vs_ring_sink_ops();
	static _Atomic uint64_t seq;
	for (uint64_t i = 1; i <= n; i++) {
		struct timespec ts;
		vs_event e;
		memset(&e, 0, sizeof e);
		clock_gettime(CLOCK_REALTIME, &ts);
		e.seq = atomic_fetch_add_explicit(&seq, 1, memory_order_relaxed) + 1;
		e.ts_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		e.tid = 1;
		e.kind = VS_EV_OP_CREATE;
		e.p[0] = (uint32_t)i;
		ops->event(s, &e);
	}
}

static double bench_libvs(uint64_t n, const char *dir, int direct)
{
	vs_ring_config cfg = {dir, 0, 0};
	vs_ring_sink *s = NULL;
	vs_ring_reader *r = NULL;
	vs_error err;
	pthread_t th;
	double ns = -1;
	if (vs_ring_sink_open(&s, &cfg, &err) < 0 ||
	    vs_ring_reader_open(&r, vs_ring_sink_path(s), &err) < 0 ||
	    (!direct && vs_trace_attach(vs_ring_sink_ops(), s, &err) < 0)) {
		fprintf(stderr, "bench_emit: %s\n", err.msg);
		vs_ring_sink_free(s);
		vs_ring_reader_close(r);
		return -1;
	}
	atomic_store(&g_stop, 0);
	pthread_create(&th, NULL, ring_consumer, r);
	if (direct) {
		sink_n(s, 1000);
		double t0 = cpu_s();
		sink_n(s, n);
		ns = (cpu_s() - t0) * 1e9 / (double)n;
		vs_ring_sink_ops()->close(s);
	} else {
		emit_n(1000); /* warm up: thread start, ring claim */
		double t0 = cpu_s();
		emit_n(n);
		ns = (cpu_s() - t0) * 1e9 / (double)n;
		vs_trace_attach(NULL, NULL, &err);
	}
	atomic_store(&g_stop, 1);
	pthread_join(th, NULL);
	vs_ring_reader_close(r);
	return ns;
}

/* ------------------------------------------------ end to end record */

static int bench_record(const char *self, uint64_t n, const char *out)
{
	char num[32];
	snprintf(num, sizeof num, "%llu", (unsigned long long)n);
	char *argv[] = {(char *)(uintptr_t)self, (char *)(uintptr_t)"--workload", num, NULL};
	vs_recorder_opts o = {.output = out, .overwrite = 1, .mode = VS_RECORDER_BLOCK};
	vs_recorder_result res;
	vs_error err;
	struct stat st;
	double t0 = now_s();
	if (vs_recorder_record(&o, argv, &res, &err) < 0) {
		fprintf(stderr, "bench_emit: %s\n", err.msg);
		return -1;
	}
	double t = now_s() - t0;
	if (stat(out, &st) != 0 || res.events == 0)
		return -1;
	printf("record   end to end          %8.2f M events/s  (%llu events in %.2f s)\n",
	       (double)res.events / t / 1e6, (unsigned long long)res.events, t);
	printf("record   on disk             %8.1f bytes/event (%lld bytes)\n",
	       (double)st.st_size / (double)res.events, (long long)st.st_size);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t n = 2000000;
	char dir[] = "/tmp/vs-bench-emit-XXXXXX";
	char out[PATH_MAX];
	char self[PATH_MAX];
	int rc = 1;

	if (argc == 3 && !strcmp(argv[1], "--workload")) {
		/* the traced program of bench_record: attached by the
		 * environment (VSTRACE_SHM) at load */
		emit_n(strtoull(argv[2], NULL, 10));
		return 0;
	}
	if (argc > 1)
		n = strtoull(argv[1], NULL, 10);
	if (n == 0 || !mkdtemp(dir))
		return 2;
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		goto cleanup;
	self[len] = '\0';

	/* best of three: the figures are for an unloaded machine */
	double bare = 0, lib = 0, sink = 0;
	for (int i = 0; i < 3; i++) {
		double b = bench_bare(n), l = bench_libvs(n, dir, 0), k = bench_libvs(n, dir, 1);
		if (b <= 0 || l <= 0 || k <= 0)
			goto cleanup;
		bare = i == 0 || b < bare ? b : bare;
		lib = i == 0 || l < lib ? l : lib;
		sink = i == 0 || k < sink ? k : sink;
	}
	printf("emit     bare shm ring push  %8.1f ns/event\n", bare);
	printf("emit     ring sink alone     %8.1f ns/event  (%.2fx bare)\n", sink, sink / bare);
	printf("emit     libvs -> ring sink  %8.1f ns/event  (%.2fx bare; target <= 2x)\n", lib,
	       lib / bare);
	snprintf(out, sizeof out, "%s/record.db", dir);
	if (bench_record(self, n, out) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	snprintf(out, sizeof out, "rm -rf '%s'", dir);
	if (system(out) != 0)
		rc = 1;
	return rc;
}
