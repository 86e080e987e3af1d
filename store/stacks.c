/* SPDX-License-Identifier: MIT */
/*
 * store/stacks.c - call-stack lookups on an open trace (store/stacks.h).
 * Texts are copied once into an owned pool (strings repeat a lot: a
 * timeline asks for the same few stacks again and again) and stay valid
 * until close.
 */
#include "store/stacks.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/schema.h"
#include "store/symbolize.h"
#include "vs/internal/util.h"

struct vs_db_stacks {
	vs_db_reader *r;
	sqlite3 *db;
	sqlite3_stmt *site, *frames;
	char **texts;
	size_t ntexts, captexts;
};

void vs_db_stacks_close(vs_db_stacks *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->site);
	sqlite3_finalize(s->frames);
	for (size_t i = 0; i < s->ntexts; i++)
		free(s->texts[i]);
	free(s->texts);
	free(s);
}

/* an incomplete trace has no frame_tab rows: derive them in temp */
static int derive_temp(vs_db_stacks *s, vs_error *err)
{
	sqlite3_stmt *st = NULL;
	int have = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM temp.sqlite_master WHERE name = 'frame_tab'",
	                       -1, &st, NULL) == SQLITE_OK)
		have = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (have)
		return 0;
	int ret = vs_db_exec(s->db, "CREATE TEMP TABLE frame_tab" VS_DB_FRAME_TAB_COLS, err);
	if (ret < 0)
		return ret;
	return vs_db_symbolize(s->db, "temp", err);
}

int vs_db_stacks_open(vs_db_reader *r, vs_db_stacks **out, vs_error *err)
{
	*out = NULL;
	vs_db_stacks *s = calloc(1, sizeof *s);
	if (!s)
		return vs_error_nomem(err);
	s->r = r;
	s->db = vs_db_reader_sqlite(r);
	int ret = 0;
	if (!vs_db_reader_complete(r) && (ret = derive_temp(s, err)) < 0)
		goto fail;
	int rc = sqlite3_prepare_v2(s->db, "SELECT stack FROM sites WHERE proc = ? AND site = ?",
	                            -1, &s->site, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db,
		                        "SELECT function, file, line, module, offset FROM frame_tab"
		                        " WHERE proc = ? AND stack = ? ORDER BY frame",
		                        -1, &s->frames, NULL);
	if (rc != SQLITE_OK) {
		ret = vs_db_sqlite_error(s->db, rc, err, "stacks");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	vs_db_stacks_close(s);
	return ret;
}

static const char *keep(vs_db_stacks *s, const unsigned char *t, int *nomem)
{
	if (!t)
		return NULL;
	for (size_t i = s->ntexts; i-- > 0 && i + 16 >= s->ntexts;)
		if (!strcmp(s->texts[i], (const char *)t))
			return s->texts[i];
	char *c = strdup((const char *)t);
	if (!c || VS_GROW(s->texts, s->captexts, s->ntexts + 1) < 0) {
		free(c);
		*nomem = 1;
		return NULL;
	}
	s->texts[s->ntexts++] = c;
	return c;
}

static uint32_t parent_of(vs_db_stacks *s, uint32_t proc)
{
	vs_db_process p;
	if (proc == 0 || vs_db_reader_process(s->r, proc - 1, &p, NULL) < 0)
		return 0;
	return p.parent_proc;
}

int vs_db_stacks_get(vs_db_stacks *s, uint32_t proc, uint32_t stack, vs_db_frame *out, size_t max,
                     vs_error *err)
{
	size_t n = 0;
	int rc = SQLITE_DONE, nomem = 0;
	/* a fork child's inherited stacks are under the parent in a trace
	 * whose recorder died before copying them */
	for (uint32_t p = proc; p && stack && n == 0; p = parent_of(s, p)) {
		sqlite3_reset(s->frames);
		sqlite3_bind_int64(s->frames, 1, p);
		sqlite3_bind_int64(s->frames, 2, stack);
		while (n < max && (rc = sqlite3_step(s->frames)) == SQLITE_ROW) {
			vs_db_frame *f = &out[n++];
			f->function = keep(s, sqlite3_column_text(s->frames, 0), &nomem);
			f->file = keep(s, sqlite3_column_text(s->frames, 1), &nomem);
			f->line = sqlite3_column_int(s->frames, 2);
			f->module = keep(s, sqlite3_column_text(s->frames, 3), &nomem);
			f->offset = (uint64_t)sqlite3_column_int64(s->frames, 4);
		}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			break;
	}
	sqlite3_reset(s->frames);
	if (nomem)
		return vs_error_nomem(err);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vs_db_sqlite_error(s->db, rc, err, "stacks");
	return (int)n;
}

int vs_db_stacks_site(vs_db_stacks *s, uint32_t proc, uint32_t site, uint32_t *stack,
                      vs_db_frame *out, size_t max, vs_error *err)
{
	*stack = 0;
	for (uint32_t p = proc; p && site && !*stack; p = parent_of(s, p)) {
		sqlite3_reset(s->site);
		sqlite3_bind_int64(s->site, 1, p);
		sqlite3_bind_int64(s->site, 2, site);
		int rc = sqlite3_step(s->site);
		if (rc == SQLITE_ROW) {
			*stack = (uint32_t)sqlite3_column_int64(s->site, 0);
			sqlite3_reset(s->site);
			return vs_db_stacks_get(s, proc, *stack, out, max, err);
		}
		if (rc != SQLITE_DONE) {
			sqlite3_reset(s->site);
			return vs_db_sqlite_error(s->db, rc, err, "stacks");
		}
	}
	sqlite3_reset(s->site);
	return 0;
}
