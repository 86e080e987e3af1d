/* SPDX-License-Identifier: MIT */
/*
 * store/progress.c - a progress line on a terminal while SQLite works on a
 * trace: a SQLite progress handler that redraws "label ... N M steps" at
 * most ten times a second, starting after half a second; the same handler
 * enforces a time limit (vs_db_progress_limit).
 * Invariant: the line is erased (and the handler removed) on stop, so the
 * command's real output never mixes with it.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

#include "store/report.h"

struct vs_db_progress {
	sqlite3 *db;
	FILE *tty;
	const char *label;
	uint64_t ticks;
	double start, last;
	double limit; /* seconds, 0 = none */
	int shown, expired;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int on_progress(void *ud)
{
	static const char spin[] = "|/-\\";
	vs_db_progress *p = ud;
	double t = now_s();
	p->ticks++;
	if (p->limit > 0 && t - p->start > p->limit) {
		p->expired = 1;
		return 1; /* SQLite stops the statement with SQLITE_INTERRUPT */
	}
	if (!p->tty || t - p->start < 0.5 || t - p->last < 0.1)
		return 0;
	p->last = t;
	p->shown = 1;
	fprintf(p->tty, "\r%s %c %.1f s", p->label, spin[p->ticks % 4], t - p->start);
	fflush(p->tty);
	return 0;
}

vs_db_progress *vs_db_progress_start(vs_db_reader *r, FILE *tty, const char *label)
{
	vs_db_progress *p;
	if (!r)
		return NULL;
	p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->db = vs_db_reader_sqlite(r);
	p->tty = tty;
	p->label = label ? label : "reading trace";
	p->start = p->last = now_s();
	sqlite3_progress_handler(p->db, 20000, on_progress, p);
	return p;
}

void vs_db_progress_limit(vs_db_progress *p, double seconds)
{
	if (p) {
		p->limit = seconds > 0 ? seconds : 0;
		sqlite3_progress_handler(p->db, p->limit > 0 && p->limit < 1 ? 1000 : 20000,
		                         on_progress, p);
	}
}

int vs_db_progress_expired(const vs_db_progress *p) { return p ? p->expired : 0; }

void vs_db_progress_stop(vs_db_progress *p)
{
	if (!p)
		return;
	sqlite3_progress_handler(p->db, 0, NULL, NULL);
	if (p->shown) {
		fputs("\r\033[K", p->tty);
		fflush(p->tty);
	}
	free(p);
}
