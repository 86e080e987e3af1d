/* SPDX-License-Identifier: MIT */
/*
 * store/symbolize.c - return addresses to module, function, file and line
 * with elfutils libdwfl (store/symbolize.h), and the frame_tab derivation.
 *
 * One Dwfl session per module file and load bias, opened on first use and
 * kept until vs_sym_free; a file that cannot be used is remembered as such.
 * Results are cached per (module, pc), so each distinct address costs one
 * lookup however many stacks share it.
 */
#include "store/symbolize.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/schema.h"
#include "vs/internal/util.h"

typedef struct sym_mod {
	char *path;
	uint64_t bias;
	Dwfl *dwfl;          /* NULL: unusable (missing, not ELF, other build) */
	Dwfl_Module *mod;
} sym_mod;

typedef struct sym_hit {
	const sym_mod *m;
	uint64_t pc;
	vs_sym_frame f;
} sym_hit;

struct vs_sym {
	sym_mod *mods;
	size_t nmods, capmods;
	sym_hit *hits; /* open addressing on (m, pc); f.offset + 1 marks a used slot */
	size_t nhits, caphits;
	char **texts;  /* owned copies of names */
	size_t ntexts, captexts;
};

static const Dwfl_Callbacks g_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

int vs_sym_new(vs_sym **out, vs_error *err)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : vs_error_nomem(err);
}

void vs_sym_free(vs_sym *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nmods; i++) {
		if (s->mods[i].dwfl)
			dwfl_end(s->mods[i].dwfl);
		free(s->mods[i].path);
	}
	for (size_t i = 0; i < s->ntexts; i++)
		free(s->texts[i]);
	free(s->mods);
	free(s->hits);
	free(s->texts);
	free(s);
}

/* the file's build id as hex, "" when it has none */
static void file_build_id(Dwfl_Module *mod, char *out, size_t cap)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(mod, &bits, &vaddr);
	out[0] = '\0';
	for (int i = 0; n > 0 && i < n && (size_t)(2 * i + 2) < cap; i++)
		snprintf(out + 2 * i, 3, "%02x", bits[i]);
}

static sym_mod *mod_open(vs_sym *s, const char *path, uint64_t bias, const char *build_id)
{
	for (size_t i = 0; i < s->nmods; i++)
		if (s->mods[i].bias == bias && !strcmp(s->mods[i].path, path))
			return &s->mods[i];
	if (VS_GROW(s->mods, s->capmods, s->nmods + 1) < 0)
		return NULL;
	sym_mod *m = &s->mods[s->nmods];
	memset(m, 0, sizeof *m);
	if (!(m->path = strdup(path)))
		return NULL;
	m->bias = bias;
	s->nmods++;
	m->dwfl = dwfl_begin(&g_callbacks);
	if (!m->dwfl)
		return m;
	dwfl_report_begin(m->dwfl);
	m->mod = dwfl_report_elf(m->dwfl, path, path, -1, (GElf_Addr)bias, false);
	dwfl_report_end(m->dwfl, NULL, NULL);
	char bid[129];
	if (m->mod)
		file_build_id(m->mod, bid, sizeof bid);
	if (!m->mod || (build_id && *build_id && strcmp(bid, build_id) != 0)) {
		dwfl_end(m->dwfl); /* missing, or rebuilt since the run */
		m->dwfl = NULL;
		m->mod = NULL;
	}
	return m;
}

static const char *keep(vs_sym *s, const char *text, int *nomem)
{
	if (!text)
		return NULL;
	for (size_t i = s->ntexts; i-- > 0 && i + 8 >= s->ntexts;)
		if (!strcmp(s->texts[i], text))
			return s->texts[i];
	char *t = strdup(text);
	if (!t || VS_GROW(s->texts, s->captexts, s->ntexts + 1) < 0) {
		free(t);
		*nomem = 1;
		return NULL;
	}
	s->texts[s->ntexts++] = t;
	return t;
}

static size_t hit_slot(const vs_sym *s, const sym_mod *m, uint64_t pc)
{
	uint64_t h = pc * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)m * 0xc2b2ae3d27d4eb4fULL;
	size_t j = (size_t)(h ^ (h >> 29)) & (s->caphits - 1);
	while (s->hits[j].m && (s->hits[j].m != m || s->hits[j].pc != pc))
		j = (j + 1) & (s->caphits - 1);
	return j;
}

static int hits_grow(vs_sym *s)
{
	size_t ncap = s->caphits ? 2 * s->caphits : 256, ocap = s->caphits;
	sym_hit *old = s->hits, *nh = calloc(ncap, sizeof *nh);
	if (!nh)
		return -1;
	s->hits = nh;
	s->caphits = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].m)
			s->hits[hit_slot(s, old[i].m, old[i].pc)] = old[i];
	free(old);
	return 0;
}

/* file as the compiler was given it: libdw joins relative names to the
 * compilation directory, which is cut off again (so frames read like
 * __FILE__ and the call sites of events: "tests/progs/x.c") */
static const char *relative(Dwfl_Module *mod, GElf_Addr a, const char *file)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(mod, a, &bias);
	Dwarf_Attribute at;
	const char *dir = cu ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &at)) : NULL;
	size_t n = dir ? strlen(dir) : 0;
	if (n && !strncmp(file, dir, n) && file[n] == '/' && file[n + 1])
		return file + n + 1;
	return file;
}

/* The source-level name of the function holding a: the innermost
 * subprogram or inlined subroutine in the debug information (so a clone
 * such as dense.constprop.0 reads dense, and inlined code its own
 * function); without debug information the symbol, clone suffix cut. */
static const char *function_name(Dwfl_Module *mod, GElf_Addr a, char *buf, size_t cap)
{
	Dwarf_Addr bias;
	Dwarf_Die *cu = dwfl_module_addrdie(mod, a, &bias), *scopes = NULL;
	int n = cu ? dwarf_getscopes(cu, a - bias, &scopes) : 0;
	const char *name = NULL;
	for (int i = 0; i < n && !name; i++) {
		int tag = dwarf_tag(&scopes[i]);
		Dwarf_Attribute at;
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
			name = dwarf_formstring(dwarf_attr_integrate(&scopes[i], DW_AT_name, &at));
	}
	free(scopes);
	if (!name) {
		GElf_Off off;
		GElf_Sym sym;
		name = dwfl_module_addrinfo(mod, a, &off, &sym, NULL, NULL, NULL);
	}
	if (!name)
		return NULL;
	snprintf(buf, cap, "%s", name);
	char *dot = buf[0] != '.' ? strchr(buf, '.') : NULL; /* .constprop.0, .isra.0, .cold */
	if (dot)
		*dot = '\0';
	return buf;
}

/* function, file, line of the call instruction before return address pc */
static void lookup(vs_sym *s, const sym_mod *m, uint64_t pc, vs_sym_frame *f, int *nomem)
{
	if (!m->mod || pc == 0)
		return;
	GElf_Addr a = (GElf_Addr)pc - 1;
	char name[512];
	f->function = keep(s, function_name(m->mod, a, name, sizeof name), nomem);
	Dwfl_Line *l = dwfl_module_getsrc(m->mod, a);
	int line = 0;
	const char *file = l ? dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL) : NULL;
	if (file && line > 0) {
		f->file = keep(s, relative(m->mod, a, file), nomem);
		f->line = line;
	}
}

int vs_sym_resolve(vs_sym *s, const char *path, uint64_t bias, const char *build_id,
                   uint64_t pc, vs_sym_frame *out, vs_error *err)
{
	memset(out, 0, sizeof *out);
	out->offset = pc - bias;
	if (!path || !*path)
		return 0;
	const sym_mod *m = mod_open(s, path, bias, build_id);
	if (!m)
		return vs_error_nomem(err);
	if ((s->nhits + 1) * 2 > s->caphits && hits_grow(s) < 0)
		return vs_error_nomem(err);
	size_t j = hit_slot(s, m, pc);
	if (s->hits[j].m) {
		*out = s->hits[j].f;
		return 0;
	}
	int nomem = 0;
	lookup(s, m, pc, out, &nomem);
	if (nomem)
		return vs_error_nomem(err);
	s->hits[j] = (sym_hit){m, pc, *out};
	s->nhits++;
	return 0;
}

/* ---- frame_tab ------------------------------------------------------------ */
enum { Q_STACKS, Q_NODE, Q_MODULE, Q_STRING, Q_PARENT, Q_SITE, Q_INSERT, Q__COUNT };

struct symctx {
	sqlite3 *db;
	sqlite3_stmt *q[Q__COUNT];
	vs_sym *sym;
};

/* Runs q (bound with proc, id) in proc and then its fork ancestors, which
 * hold what the child inherited; SQLITE_ROW with the row current. */
static int find_inherited(struct symctx *c, sqlite3_stmt *q, int64_t proc, int64_t id)
{
	for (int hops = 0; proc > 0 && hops < 64; hops++) {
		sqlite3_reset(q);
		sqlite3_bind_int64(q, 1, proc);
		sqlite3_bind_int64(q, 2, id);
		int rc = sqlite3_step(q);
		if (rc != SQLITE_DONE)
			return rc;
		sqlite3_stmt *p = c->q[Q_PARENT];
		sqlite3_reset(p);
		sqlite3_bind_int64(p, 1, proc);
		proc = sqlite3_step(p) == SQLITE_ROW ? sqlite3_column_int64(p, 0) : 0;
	}
	return SQLITE_DONE;
}

/* the text of string id in proc (following fork parents) into buf */
static const char *string_of(struct symctx *c, int64_t proc, int64_t id, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (id && find_inherited(c, c->q[Q_STRING], proc, id) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(c->q[Q_STRING], 0);
		snprintf(buf, cap, "%s", t ? (const char *)t : "");
	}
	sqlite3_reset(c->q[Q_STRING]);
	return buf;
}

/* A symbolic frame: file, line and function of its site. */
static int symbolic_frame(struct symctx *c, int64_t proc, int64_t top, int frame, int64_t site,
                          vs_error *err)
{
	char file[4096], fn[512];
	int line = 0;
	file[0] = fn[0] = '\0';
	if (find_inherited(c, c->q[Q_SITE], proc, site) == SQLITE_ROW) {
		sqlite3_stmt *q = c->q[Q_SITE];
		int64_t f = sqlite3_column_int64(q, 0), g = sqlite3_column_int64(q, 2);
		line = sqlite3_column_int(q, 1);
		sqlite3_reset(q);
		string_of(c, proc, f, file, sizeof file);
		string_of(c, proc, g, fn, sizeof fn);
	}
	sqlite3_reset(c->q[Q_SITE]);
	sqlite3_stmt *ins = c->q[Q_INSERT];
	sqlite3_bind_int64(ins, 1, proc);
	sqlite3_bind_int64(ins, 2, top);
	sqlite3_bind_int(ins, 3, frame);
	sqlite3_bind_int64(ins, 4, 0);
	sqlite3_bind_null(ins, 5);
	sqlite3_bind_int64(ins, 6, 0);
	if (fn[0])
		sqlite3_bind_text(ins, 7, fn, -1, SQLITE_TRANSIENT);
	if (file[0]) {
		sqlite3_bind_text(ins, 8, file, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(ins, 9, line);
	}
	int rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	return rc == SQLITE_DONE ? 0 : vs_db_sqlite_error(c->db, rc, err, "symbolize");
}

/* Inserts the frames of stack top in proc; 0 or <0. */
static int one_stack(struct symctx *c, int64_t proc, int64_t top, vs_error *err)
{
	int64_t node = top;
	char path[4096], bid[160];
	for (int frame = 0; node > 0 && frame < 256; frame++) {
		if (find_inherited(c, c->q[Q_NODE], proc, node) != SQLITE_ROW)
			break; /* the node's record was lost with a killed process */
		sqlite3_stmt *n = c->q[Q_NODE];
		int64_t caller = sqlite3_column_int64(n, 0);
		uint64_t pc = (uint64_t)sqlite3_column_int64(n, 1);
		int64_t module = sqlite3_column_int64(n, 2), site = sqlite3_column_int64(n, 3);
		sqlite3_reset(n);
		if (site > 0) {
			int ret = symbolic_frame(c, proc, top, frame, site, err);
			if (ret < 0)
				return ret;
			node = caller;
			continue;
		}
		uint64_t bias = 0;
		path[0] = bid[0] = '\0';
		if (module && find_inherited(c, c->q[Q_MODULE], proc, module) == SQLITE_ROW) {
			sqlite3_stmt *m = c->q[Q_MODULE];
			int64_t pid = sqlite3_column_int64(m, 0), bidid = sqlite3_column_int64(m, 2);
			bias = (uint64_t)sqlite3_column_int64(m, 1);
			sqlite3_reset(m);
			string_of(c, proc, pid, path, sizeof path);
			string_of(c, proc, bidid, bid, sizeof bid);
		}
		sqlite3_reset(c->q[Q_MODULE]);
		vs_sym_frame f;
		if (vs_sym_resolve(c->sym, path, bias, bid, pc, &f, err) < 0)
			return VS_ERR_NOMEM;
		sqlite3_stmt *ins = c->q[Q_INSERT];
		sqlite3_bind_int64(ins, 1, proc);
		sqlite3_bind_int64(ins, 2, top);
		sqlite3_bind_int(ins, 3, frame);
		sqlite3_bind_int64(ins, 4, (int64_t)pc);
		if (path[0])
			sqlite3_bind_text(ins, 5, path, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(ins, 5);
		sqlite3_bind_int64(ins, 6, (int64_t)f.offset);
		sqlite3_bind_text(ins, 7, f.function, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, f.file, -1, SQLITE_STATIC);
		if (f.file)
			sqlite3_bind_int(ins, 9, f.line);
		else
			sqlite3_bind_null(ins, 9);
		int rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		if (rc != SQLITE_DONE)
			return vs_db_sqlite_error(c->db, rc, err, "symbolize");
		node = caller;
	}
	return 0;
}

int vs_db_symbolize(sqlite3 *db, const char *schema, vs_error *err)
{
	char ins[256], del[64];
	snprintf(ins, sizeof ins, "INSERT OR REPLACE INTO %s.frame_tab VALUES(?,?,?,?,?,?,?,?,?)",
	         schema);
	snprintf(del, sizeof del, "DELETE FROM %s.frame_tab", schema);
	const char *sql[Q__COUNT] = {
		[Q_STACKS] = "SELECT DISTINCT proc, stack FROM sites WHERE stack > 0 ORDER BY 1, 2",
		[Q_NODE] = "SELECT caller, pc, module, site FROM stack_tab WHERE proc = ? AND node = ?",
		[Q_SITE] = "SELECT file, line, function FROM sites WHERE proc = ? AND site = ?",
		[Q_MODULE] = "SELECT path, bias, build_id FROM module_tab WHERE proc = ? AND module = ?",
		[Q_STRING] = "SELECT s FROM strings WHERE proc = ? AND id = ?",
		[Q_PARENT] = "SELECT parent_proc FROM procs WHERE proc = ?",
		[Q_INSERT] = ins,
	};
	struct symctx c = {db, {NULL}, NULL};
	int ret = vs_db_exec(db, del, err), rc = SQLITE_OK;
	if (ret < 0)
		return ret;
	for (int i = 0; i < Q__COUNT && rc == SQLITE_OK; i++)
		rc = sqlite3_prepare_v2(db, sql[i], -1, &c.q[i], NULL);
	if (rc != SQLITE_OK) {
		ret = vs_db_sqlite_error(db, rc, err, "symbolize");
		goto out;
	}
	if ((ret = vs_sym_new(&c.sym, err)) < 0)
		goto out;
	while ((rc = sqlite3_step(c.q[Q_STACKS])) == SQLITE_ROW) {
		int64_t proc = sqlite3_column_int64(c.q[Q_STACKS], 0);
		int64_t top = sqlite3_column_int64(c.q[Q_STACKS], 1);
		if ((ret = one_stack(&c, proc, top, err)) < 0)
			goto out;
	}
	ret = rc == SQLITE_DONE ? 0 : vs_db_sqlite_error(db, rc, err, "symbolize");
out:
	for (int i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(c.q[i]);
	vs_sym_free(c.sym);
	return ret;
}
