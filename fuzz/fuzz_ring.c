/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_ring.c - libFuzzer target: the ring decoder, the recorder's
 * view of a shared-memory segment that a malicious or corrupted program may
 * have filled with anything.  The input is the segment file; the reader
 * opens it and drains it as the recorder does at the end (final), handing
 * every record to a visitor that checks what it is given.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_util.h"
#include "tracer/ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_string(void *ctx, uint32_t id, const char *s, uint32_t len)
{
	(void)ctx;
	(void)id;
	/* the decoder promises len bytes of text (touch them all: ASan) */
	volatile char sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (char)(sum ^ s[i]);
	return 0;
}

static int on_event(void *ctx, const vs_event *ev)
{
	(*(uint64_t *)ctx)++;
	(void)ev;
	return 0;
}

static int on_lost(void *ctx, uint32_t tid, uint64_t n, uint64_t after_seq)
{
	(void)ctx;
	(void)tid;
	(void)n;
	(void)after_seq;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_path(0, "seg-1.ring");
	fuzz_write(path, data, size);
	vs_ring_reader *r = NULL;
	vs_error err;
	vs_error_init(&err);
	if (vs_ring_reader_open(&r, path, &err) < 0)
		return 0;
	uint64_t events = 0;
	vs_ring_visitor v = {.ctx = &events, .string = on_string, .event = on_event, .lost = on_lost};
	vs_event first;
	(void)vs_ring_reader_peek_first(r, &first);
	int status;
	(void)vs_ring_reader_exit_status(r, &status);
	(void)vs_ring_reader_drain(r, 0, &v, &err);
	(void)vs_ring_reader_drain(r, 1, &v, &err);
	vs_ring_stats st;
	vs_ring_reader_stats(r, &st);
	vs_ring_reader_close(r);
	return 0;
}
