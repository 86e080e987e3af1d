/* SPDX-License-Identifier: MIT */
/*
 * store/reader.c - read-only access to a trace: validation (through
 * store/schema.c), the process table, the interned strings (following fork
 * parents) and a streaming event cursor that merges the lost-event markers
 * into the stream.
 * Invariants: nothing is loaded whole except the process table; a string
 * returned by vs_db_reader_string stays valid (cached) until close.
 */
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/schema.h"
#include "vs/internal/util.h"

/* open-addressing cache: key proc << 32 | id -> text (NULL = known absent) */
struct str_slot {
	uint64_t key; /* 0 = empty (id 0 is never cached) */
	char *s;
};

struct meta_item {
	char *key, *value;
};

struct vs_db_reader {
	sqlite3 *db;
	char *path;
	vs_db_process *procs;
	uint32_t nprocs;
	int complete;
	uint64_t ts_base;
	sqlite3_stmt *str_stmt, *site_stmt;
	struct str_slot *slots;
	size_t nslots, used;
	struct meta_item *meta;
	size_t nmeta;
	int failed; /* a string or site lookup hit an SQLite error (sticky):
	             * the cursor reports it, so no reader acts on a name it
	             * could not read as if the name were absent */
};

struct vs_db_cursor {
	vs_db_reader *r;
	sqlite3_stmt *ev, *lost;
	int ev_state, lost_state; /* SQLITE_ROW: a row is pending; else done */
	uint64_t last_ts;
};

static int sql_fail(vs_db_reader *r, int rc, vs_error *err, const char *what)
{
	vs_db_sqlite_error(r->db, rc, err, what);
	return vs_error_prefix(err, "'%s'", r->path);
}

static int load_procs(vs_db_reader *r, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int ret = -1, rc;
	uint32_t n = 0;
	rc = sqlite3_prepare_v2(r->db, "SELECT count(*) FROM procs", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 c = sqlite3_column_int64(st, 0);
		if (c < 0 || c > (sqlite3_int64)VS_DB_PROC_MAX) {
			ret = vs_error_set(err, VS_ERR_FORMAT,
			                   "'%s': corrupt trace (bad process count)", r->path);
			goto cleanup;
		}
		n = (uint32_t)c;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		goto sqlfail;
	sqlite3_finalize(st);
	st = NULL;
	r->procs = calloc(n ? n : 1, sizeof *r->procs);
	if (!r->procs) {
		ret = vs_error_nomem(err);
		goto cleanup;
	}
	rc = sqlite3_prepare_v2(r->db,
	                        "SELECT p.proc, p.pid, p.ppid, p.parent_proc, p.fork_seq,"
	                        " p.exit_code, p.signal, p.truncated,"
	                        " (SELECT COALESCE(SUM(n), 0) FROM lost l WHERE l.proc = p.proc)"
	                        " FROM procs p ORDER BY p.proc",
	                        -1, &st, NULL);
	if (rc != SQLITE_OK)
		goto sqlfail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && r->nprocs < n) {
		vs_db_process *p = &r->procs[r->nprocs];
		p->proc = (uint32_t)sqlite3_column_int64(st, 0);
		p->pid = sqlite3_column_int64(st, 1);
		p->ppid = sqlite3_column_int64(st, 2);
		p->parent_proc = (uint32_t)sqlite3_column_int64(st, 3);
		p->fork_seq = (uint64_t)sqlite3_column_int64(st, 4);
		p->exit_code = sqlite3_column_int(st, 5);
		p->signal = sqlite3_column_int(st, 6);
		p->truncated = sqlite3_column_int(st, 7);
		p->lost = (uint64_t)sqlite3_column_int64(st, 8);
		if (p->proc != r->nprocs + 1 || p->parent_proc >= p->proc) {
			ret = vs_error_set(err, VS_ERR_FORMAT,
			                   "'%s': corrupt trace (bad process %u)", r->path,
			                   p->proc);
			goto cleanup;
		}
		r->nprocs++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		goto sqlfail;
	ret = 0;
	goto cleanup;
sqlfail:
	ret = sql_fail(r, rc, err, "cannot read processes");
cleanup:
	sqlite3_finalize(st);
	return ret;
}

static int load_meta(vs_db_reader *r, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int ret = -1;
	int rc = sqlite3_prepare_v2(r->db, "SELECT key, value FROM meta ORDER BY key", -1, &st,
	                            NULL);
	if (rc != SQLITE_OK)
		goto sqlfail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		const char *v = (const char *)sqlite3_column_text(st, 1);
		if (!k)
			continue;
		if (VS_GROW(r->meta, cap, r->nmeta + 1) < 0)
			goto nomem;
		r->meta[r->nmeta].key = strdup(k);
		r->meta[r->nmeta].value = strdup(v ? v : "");
		r->nmeta++;
		if (!r->meta[r->nmeta - 1].key || !r->meta[r->nmeta - 1].value)
			goto nomem;
	}
	if (rc != SQLITE_DONE)
		goto sqlfail;
	{
		const char *c = vs_db_reader_meta(r, "complete");
		const char *b = vs_db_reader_meta(r, "ts_base_ns");
		r->complete = c && !strcmp(c, "1");
		r->ts_base = b ? strtoull(b, NULL, 10) : 0;
	}
	ret = 0;
	goto cleanup;
nomem:
	ret = vs_error_nomem(err);
	goto cleanup;
sqlfail:
	ret = sql_fail(r, rc, err, "cannot read meta");
cleanup:
	sqlite3_finalize(st);
	return ret;
}

int vs_db_reader_open(vs_db_reader **out, const char *path, vs_error *err)
{
	vs_db_reader *r = NULL;
	int ret = -1, rc;
	*out = NULL;
	if (!path)
		return vs_error_set(err, VS_ERR_INVALID, "vs_db_reader_open: NULL path");
	r = calloc(1, sizeof *r);
	if (!r || !(r->path = strdup(path))) {
		free(r);
		return vs_error_nomem(err);
	}
	if ((ret = vs_db_schema_open(&r->db, path, SQLITE_OPEN_READONLY, err)) < 0)
		goto fail;
	if ((ret = load_meta(r, err)) < 0 || (ret = load_procs(r, err)) < 0)
		goto fail;
	rc = sqlite3_prepare_v3(r->db, "SELECT s FROM strings WHERE proc = ? AND id = ?", -1,
	                        SQLITE_PREPARE_PERSISTENT, &r->str_stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(r->db,
		                        "SELECT file, line, function FROM sites WHERE proc = ? AND"
		                        " site = ?",
		                        -1, SQLITE_PREPARE_PERSISTENT, &r->site_stmt, NULL);
	if (rc != SQLITE_OK) {
		ret = sql_fail(r, rc, err, "prepare");
		goto fail;
	}
	*out = r;
	return 0;
fail:
	vs_db_reader_close(r);
	return ret;
}

void vs_db_reader_close(vs_db_reader *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->str_stmt);
	sqlite3_finalize(r->site_stmt);
	sqlite3_close(r->db);
	for (size_t i = 0; i < r->nslots; i++)
		free(r->slots[i].s);
	free(r->slots);
	for (size_t i = 0; i < r->nmeta; i++) {
		free(r->meta[i].key);
		free(r->meta[i].value);
	}
	free(r->meta);
	free(r->procs);
	free(r->path);
	free(r);
}

sqlite3 *vs_db_reader_sqlite(vs_db_reader *r) { return r ? r->db : NULL; }

const char *vs_db_reader_path(vs_db_reader *r) { return r ? r->path : NULL; }

int vs_db_reader_complete(vs_db_reader *r) { return r ? r->complete : 0; }

const char *vs_db_reader_meta(vs_db_reader *r, const char *key)
{
	if (!r || !key)
		return NULL;
	for (size_t i = 0; i < r->nmeta; i++)
		if (!strcmp(r->meta[i].key, key))
			return r->meta[i].value;
	return NULL;
}

uint32_t vs_db_reader_process_count(vs_db_reader *r) { return r ? r->nprocs : 0; }

int vs_db_reader_process(vs_db_reader *r, uint32_t i, vs_db_process *out, vs_error *err)
{
	if (!r || !out || i >= r->nprocs)
		return vs_error_set(err, VS_ERR_INVALID, "no process %u", i);
	*out = r->procs[i];
	return 0;
}

/* ---------------------------------------------------------------- strings */

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= UINT64_C(0xff51afd7ed558ccd);
	k ^= k >> 33;
	return k;
}

static struct str_slot *slot_find(vs_db_reader *r, uint64_t key)
{
	size_t mask = r->nslots - 1, i = (size_t)mix(key) & mask;
	while (r->slots[i].key && r->slots[i].key != key)
		i = (i + 1) & mask;
	return &r->slots[i];
}

static int slots_grow(vs_db_reader *r)
{
	size_t n = r->nslots ? 2 * r->nslots : 256;
	struct str_slot *old = r->slots;
	size_t nold = r->nslots;
	r->slots = calloc(n, sizeof *r->slots);
	if (!r->slots) {
		r->slots = old;
		return -1;
	}
	r->nslots = n;
	for (size_t i = 0; i < nold; i++)
		if (old[i].key)
			*slot_find(r, old[i].key) = old[i];
	free(old);
	return 0;
}

/* Looks id up in proc itself (no parents); *found tells whether a row exists. */
static char *string_fetch(vs_db_reader *r, uint32_t proc, uint32_t id, int *found)
{
	char *s = NULL;
	*found = 0;
	sqlite3_bind_int64(r->str_stmt, 1, proc);
	sqlite3_bind_int64(r->str_stmt, 2, id);
	int rc = sqlite3_step(r->str_stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE && !r->failed)
		r->failed = rc;
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(r->str_stmt, 0);
		int n = sqlite3_column_bytes(r->str_stmt, 0);
		*found = 1;
		s = malloc((size_t)n + 1);
		if (s) {
			if (n)
				memcpy(s, t, (size_t)n);
			s[n] = '\0';
		}
	}
	sqlite3_reset(r->str_stmt);
	return s;
}

const char *vs_db_reader_string(vs_db_reader *r, uint32_t proc, uint32_t id)
{
	uint64_t key;
	struct str_slot *slot;
	char *s = NULL;
	uint32_t p = proc;
	int found = 0;
	if (!r || id == 0 || proc == 0 || proc > r->nprocs)
		return NULL;
	key = (uint64_t)proc << 32 | id;
	if (r->nslots) {
		slot = slot_find(r, key);
		if (slot->key)
			return slot->s;
	}
	/* a fork child's own definitions win over its ancestors' */
	while (p && !found && !r->failed) {
		s = string_fetch(r, p, id, &found);
		p = r->procs[p - 1].parent_proc;
	}
	if (r->failed) /* not cached: unknown, not absent */
		return NULL;
	if ((r->used + 1) * 2 > r->nslots && slots_grow(r)) {
		free(s);
		return NULL;
	}
	slot = slot_find(r, key);
	slot->key = key;
	slot->s = s;
	r->used++;
	return s;
}

int vs_db_reader_site(vs_db_reader *r, uint32_t proc, uint32_t site, const char **file, int *line,
                      const char **function)
{
	uint32_t p = proc;
	int found = 0;
	if (file)
		*file = NULL;
	if (function)
		*function = NULL;
	if (line)
		*line = 0;
	if (!r || site == 0 || proc == 0 || proc > r->nprocs)
		return VS_ERR_NOT_FOUND;
	while (p && !found) {
		sqlite3_bind_int64(r->site_stmt, 1, p);
		sqlite3_bind_int64(r->site_stmt, 2, site);
		int rc = sqlite3_step(r->site_stmt);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE && !r->failed)
			r->failed = rc;
		if (rc == SQLITE_ROW) {
			uint32_t f = (uint32_t)sqlite3_column_int64(r->site_stmt, 0);
			uint32_t fn = (uint32_t)sqlite3_column_int64(r->site_stmt, 2);
			found = 1;
			if (line)
				*line = sqlite3_column_int(r->site_stmt, 1);
			sqlite3_reset(r->site_stmt);
			/* the site's strings belong to the process that defined it */
			if (file)
				*file = vs_db_reader_string(r, p, f);
			if (function)
				*function = vs_db_reader_string(r, p, fn);
		} else {
			sqlite3_reset(r->site_stmt);
		}
		p = r->procs[p - 1].parent_proc;
	}
	return found ? 0 : VS_ERR_NOT_FOUND;
}

/* ----------------------------------------------------------------- cursor */

int vs_db_cursor_open(vs_db_reader *r, vs_db_cursor **out, uint32_t proc, uint64_t max_seq,
                      vs_error *err)
{
	vs_db_cursor *c;
	int rc;
	uint64_t lo, hi;
	*out = NULL;
	if (!r || proc == 0 || proc > r->nprocs)
		return vs_error_set(err, VS_ERR_INVALID, "no process %u in trace", proc);
	if (max_seq == 0 || max_seq > VS_DB_SEQ_MAX)
		max_seq = VS_DB_SEQ_MAX;
	c = calloc(1, sizeof *c);
	if (!c)
		return vs_error_nomem(err);
	c->r = r;
	lo = (uint64_t)proc << VS_DB_SEQ_BITS;
	hi = lo | max_seq;
	rc = sqlite3_prepare_v2(r->db,
	                        "SELECT id, ts, tid, kind, flags, site, graph, p0, p1, p2, p3, p4,"
	                        " p5, p6, p7 FROM ev WHERE id BETWEEN ? AND ? ORDER BY id",
	                        -1, &c->ev, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(r->db,
		                        "SELECT tid, n, after_seq FROM lost WHERE proc = ? AND"
		                        " after_seq <= ? ORDER BY after_seq, rowid",
		                        -1, &c->lost, NULL);
	if (rc != SQLITE_OK) {
		int ret = sql_fail(r, rc, err, "cannot read events");
		vs_db_cursor_close(c);
		return ret;
	}
	sqlite3_bind_int64(c->ev, 1, (int64_t)lo);
	sqlite3_bind_int64(c->ev, 2, (int64_t)hi);
	sqlite3_bind_int64(c->lost, 1, proc);
	sqlite3_bind_int64(c->lost, 2, (int64_t)max_seq);
	c->ev_state = sqlite3_step(c->ev);
	c->lost_state = sqlite3_step(c->lost);
	*out = c;
	return 0;
}

/*
 * The cursor's current ev row into *ev.  Every field read from a trace is
 * untrusted, and this is the one place events are decoded, so the ranges
 * every reader relies on are checked here once: each column an integer,
 * the 32-bit fields (thread, site, graph, payload words) in range, a kind
 * this version knows, and an ERROR code that negates back into an int (the
 * timeline and the checker turn it into a vs_err).  A row that fails is a
 * corrupt trace.
 */
static int decode_event(vs_db_cursor *c, vs_event *ev, vs_error *err)
{
	sqlite3_stmt *st = c->ev;
	const char *bad = NULL;
	sqlite3_int64 v[15];
	for (int i = 0; i < 15 && !bad; i++) {
		if (sqlite3_column_type(st, i) != SQLITE_INTEGER)
			bad = "a column that is not an integer";
		v[i] = sqlite3_column_int64(st, i);
	}
	for (int i = 2; i < 15 && !bad; i++) /* tid kind flags site graph p0..p7 */
		if (v[i] < 0 || v[i] > (sqlite3_int64)UINT32_MAX)
			bad = "a field out of range";
	if (!bad && (v[3] > UINT16_MAX || !vs_db_kind_name((unsigned)v[3])))
		bad = "an unknown kind";
	if (!bad && v[4] > UINT16_MAX)
		bad = "flags out of range";
	ev->seq = (uint64_t)v[0] & VS_DB_SEQ_MAX;
	if (!bad && v[3] == VS_EV_ERROR &&
	    (v[7 + VS_EVP_SLOT(error, code)] == 0 || v[7 + VS_EVP_SLOT(error, code)] > INT_MAX))
		bad = "an error code out of range";
	if (bad)
		return vs_error_set(err, VS_ERR_FORMAT,
		                    "'%s': corrupt trace (event %u:%llu has %s)", c->r->path,
		                    (unsigned)((uint64_t)v[0] >> VS_DB_SEQ_BITS),
		                    (unsigned long long)ev->seq, bad);
	ev->ts_ns = c->r->ts_base + (uint64_t)v[1];
	ev->tid = (uint32_t)v[2];
	ev->kind = (uint16_t)v[3];
	ev->flags = (uint16_t)v[4];
	ev->site = (uint32_t)v[5];
	ev->graph = (uint32_t)v[6];
	for (int i = 0; i < 8; i++)
		ev->p[i] = (uint32_t)v[7 + i];
	return 0;
}

int vs_db_cursor_next(vs_db_cursor *c, vs_event *ev, vs_error *err)
{
	int rc;
	if (!c || !ev)
		return vs_error_set(err, VS_ERR_INVALID, "vs_db_cursor_next: NULL argument");
	if (c->r->failed)
		return sql_fail(c->r, c->r->failed, err, "cannot read strings");
	if (c->ev_state != SQLITE_ROW && c->ev_state != SQLITE_DONE)
		return sql_fail(c->r, c->ev_state, err, "cannot read events");
	if (c->lost_state != SQLITE_ROW && c->lost_state != SQLITE_DONE)
		return sql_fail(c->r, c->lost_state, err, "cannot read lost events");
	memset(ev, 0, sizeof *ev);
	if (c->lost_state == SQLITE_ROW) {
		uint64_t after = (uint64_t)sqlite3_column_int64(c->lost, 2);
		uint64_t next = c->ev_state == SQLITE_ROW
		                        ? (uint64_t)sqlite3_column_int64(c->ev, 0) & VS_DB_SEQ_MAX
		                        : UINT64_MAX;
		if (sqlite3_column_int64(c->lost, 0) < 0 ||
		    sqlite3_column_int64(c->lost, 0) > (sqlite3_int64)UINT32_MAX ||
		    sqlite3_column_int64(c->lost, 1) < 0 || sqlite3_column_int64(c->lost, 2) < 0)
			return vs_error_set(
				err, VS_ERR_FORMAT,
				"'%s': corrupt trace (a lost-events record out of range)",
				c->r->path);
		if (after < next) {
			uint64_t n = (uint64_t)sqlite3_column_int64(c->lost, 1);
			ev->seq = after;
			ev->ts_ns = c->last_ts;
			ev->tid = (uint32_t)sqlite3_column_int64(c->lost, 0);
			ev->kind = VS_EV_LOST;
			ev->lost.count_lo = (uint32_t)n;
			ev->lost.count_hi = (uint32_t)(n >> 32);
			c->lost_state = sqlite3_step(c->lost);
			return 1;
		}
	}
	if (c->ev_state != SQLITE_ROW)
		return 0;
	if ((rc = decode_event(c, ev, err)) < 0)
		return rc;
	c->last_ts = ev->ts_ns;
	rc = sqlite3_step(c->ev);
	c->ev_state = rc;
	return 1;
}

void vs_db_cursor_close(vs_db_cursor *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->ev);
	sqlite3_finalize(c->lost);
	free(c);
}
