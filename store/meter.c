/* SPDX-License-Identifier: MIT */
/*
 * store/meter.c - the counted progress line (see store/meter.h).
 * Invariant: nothing is written unless a terminal was given, and the line
 * is erased ("\r\033[K") before vs_meter_end returns.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/meter.h"

#define METER_STRIDE 4096 /* events between two looks at the clock */

vs_meter *vs_meter_current;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void vs_meter_init(vs_meter *m, FILE *tty, const char *label, uint64_t total)
{
	const char *now = getenv("VSTRACE_PROGRESS_NOW");
	memset(m, 0, sizeof *m);
	m->tty = tty;
	m->label = label;
	m->now = now && !strcmp(now, "1");
	vs_meter_begin(m, total);
}

void vs_meter_begin(vs_meter *m, uint64_t total)
{
	if (!m)
		return;
	m->done = 0;
	m->total = total;
	m->next = m->now ? 1 : METER_STRIDE;
	m->start = m->last = now_s();
}

/* "1234", "1.2 M" */
static void put_count(FILE *f, double n)
{
	if (n >= 1e6)
		fprintf(f, "%.1f M", n / 1e6);
	else
		fprintf(f, "%.0f", n);
}

static void draw(vs_meter *m, double t)
{
	double secs = t - m->start, rate = secs > 0 ? (double)m->done / secs : 0;
	fprintf(m->tty, "\r\033[K%s: %llu", m->label, (unsigned long long)m->done);
	if (m->total >= m->done && m->total)
		fprintf(m->tty, " of %llu events (%d%%)", (unsigned long long)m->total,
		        (int)(100.0 * (double)m->done / (double)m->total));
	else
		fputs(" events", m->tty);
	if (rate > 0) {
		fputs(", ", m->tty);
		put_count(m->tty, rate);
		fputs(" events/s", m->tty);
	}
	if (rate > 0 && m->total > m->done)
		fprintf(m->tty, ", ETA %.0f s", (double)(m->total - m->done) / rate);
	if (m->phase)
		fprintf(m->tty, "; %s", m->phase);
	fflush(m->tty);
	m->shown = 1;
}

/* the slow path of vs_meter_add: a look at the clock */
static void tick(vs_meter *m)
{
	double t = now_s();
	m->next = m->done + (m->now ? 1 : METER_STRIDE);
	if (!m->now && (t - m->start < 0.5 || t - m->last < 0.1))
		return;
	m->last = t;
	draw(m, t);
}

void vs_meter_add(vs_meter *m, uint64_t n)
{
	if (!m)
		return;
	m->done += n;
	if (m->tty && m->done >= m->next)
		tick(m);
}

void vs_meter_phase(vs_meter *m, const char *phase)
{
	if (!m)
		return;
	m->phase = phase;
	if (m->tty && (m->shown || m->now || now_s() - m->start >= 0.5))
		draw(m, now_s());
}

void vs_meter_end(vs_meter *m)
{
	if (!m || !m->shown)
		return;
	fputs("\r\033[K", m->tty);
	fflush(m->tty);
	m->shown = 0;
}
