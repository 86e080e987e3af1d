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
	Dwfl *dwfl; /* NULL: unusable (missing, not ELF, other build) */
	Dwfl_Module *mod;
} sym_mod;

/* inlined calls expanded per return address, at most */
#define SYM_INLINE_MAX 8

typedef struct sym_hit {
	const sym_mod *m;
	uint64_t pc;
	int n;                          /* frames (>= 1) */
	vs_sym_frame f[SYM_INLINE_MAX]; /* innermost first */
} sym_hit;

struct vs_sym {
	sym_mod *mods;
	size_t nmods, capmods;
	sym_hit *hits; /* open addressing on (m, pc); m NULL = free slot */
	size_t nhits, caphits;
	char **texts; /* owned copies of names */
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
static const char *relative(const char *dir, const char *file)
{
	size_t n = dir ? strlen(dir) : 0;
	if (file && n && !strncmp(file, dir, n) && file[n] == '/' && file[n + 1])
		return file + n + 1;
	return file;
}

/* a function's source name (following abstract origins: a clone such as
 * dense.constprop.0 reads dense) */
static const char *die_name(Dwarf_Die *d)
{
	Dwarf_Attribute at;
	return dwarf_formstring(dwarf_attr_integrate(d, DW_AT_name, &at));
}

/* the symbol at a, clone suffix (.constprop.0, .isra.0, .cold) cut */
static const char *symbol_name(Dwfl_Module *mod, GElf_Addr a, char *buf, size_t cap)
{
	GElf_Off off;
	GElf_Sym sym;
	const char *name = dwfl_module_addrinfo(mod, a, &off, &sym, NULL, NULL, NULL);
	if (!name)
		return NULL;
	snprintf(buf, cap, "%s", name);
	char *dot = buf[0] != '.' ? strchr(buf, '.') : NULL;
	if (dot)
		*dot = '\0';
	return buf;
}

/* where an inlined call was made: its DW_AT_call_file (a CU file index)
 * and DW_AT_call_line */
static const char *call_place(Dwarf_Die *cu, Dwarf_Die *inl, int *line)
{
	Dwarf_Attribute at;
	Dwarf_Word fidx = 0, ln = 0;
	Dwarf_Files *files;
	size_t nfiles;
	*line = 0;
	if (dwarf_formudata(dwarf_attr(inl, DW_AT_call_line, &at), &ln) != 0 ||
	    dwarf_formudata(dwarf_attr(inl, DW_AT_call_file, &at), &fidx) != 0 ||
	    dwarf_getsrcfiles(cu, &files, &nfiles) != 0 || fidx >= nfiles)
		return NULL;
	*line = (int)ln;
	return dwarf_filesrc(files, fidx, NULL, NULL);
}

/*
 * The frames of the call instruction before return address pc: the
 * function holding it with the line-table line, and, when that code was
 * inlined, one more frame per inlined call (the caller at the call's line),
 * up to the real function.  Innermost first; n frames into f (max), 0 when
 * the module has nothing (f[0] keeps only its offset).
 */
static int lookup(vs_sym *s, const sym_mod *m, uint64_t pc, vs_sym_frame *f, int max, int *nomem)
{
	if (!m->mod || pc == 0)
		return 0;
	GElf_Addr a = (GElf_Addr)pc - 1;
	Dwfl_Line *l = dwfl_module_getsrc(m->mod, a);
	int line = 0;
	const char *file = l ? dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL) : NULL;
	Dwarf_Addr cubias;
	Dwarf_Die *cu = dwfl_module_addrdie(m->mod, a, &cubias), *scopes = NULL;
	Dwarf_Attribute at;
	const char *dir = cu ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &at)) : NULL;
	int ns = cu ? dwarf_getscopes(cu, a - cubias, &scopes) : 0, n = 0;
	/* past an inlined instance dwarf_getscopes goes on with its abstract
	 * origin's scopes; the chain of callers comes from the instance */
	for (int i = 0; i < ns; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag == DW_TAG_inlined_subroutine) {
			Dwarf_Die inst = scopes[i], *chain = NULL;
			int nc = dwarf_getscopes_die(&inst, &chain);
			free(scopes);
			scopes = chain;
			ns = nc > 0 ? nc : 0;
			break;
		}
		if (tag == DW_TAG_subprogram)
			break;
	}
	for (int i = 0; i < ns && n < max; i++) {
		int tag = dwarf_tag(&scopes[i]);
		if (tag != DW_TAG_subprogram && tag != DW_TAG_inlined_subroutine)
			continue;
		f[n].offset = f[0].offset;
		f[n].function = keep(s, die_name(&scopes[i]), nomem);
		if (file && line > 0) {
			f[n].file = keep(s, relative(dir, file), nomem);
			f[n].line = line;
		}
		n++;
		if (tag == DW_TAG_subprogram)
			break;
		file = call_place(cu, &scopes[i], &line); /* the caller's line */
	}
	free(scopes);
	if (n == 0) { /* no debug information for a: the symbol, the line if any */
		char name[512];
		f[0].function = keep(s, symbol_name(m->mod, a, name, sizeof name), nomem);
		if (file && line > 0) {
			f[0].file = keep(s, relative(dir, file), nomem);
			f[0].line = line;
		}
		n = f[0].function || f[0].file;
	}
	return n;
}

int vs_sym_resolve(vs_sym *s, const char *path, uint64_t bias, const char *build_id, uint64_t pc,
                   vs_sym_frame *out, int max, vs_error *err)
{
	if (max < 1)
		return 0;
	memset(out, 0, (size_t)max * sizeof *out);
	out->offset = pc - bias;
	if (!path || !*path)
		return 1;
	const sym_mod *m = mod_open(s, path, bias, build_id);
	if (!m)
		return vs_error_nomem(err);
	if ((s->nhits + 1) * 2 > s->caphits && hits_grow(s) < 0)
		return vs_error_nomem(err);
	size_t j = hit_slot(s, m, pc);
	sym_hit *h = &s->hits[j];
	if (!h->m) {
		int nomem = 0;
		vs_sym_frame f[SYM_INLINE_MAX];
		memset(f, 0, sizeof f);
		f[0].offset = out->offset;
		int n = lookup(s, m, pc, f, SYM_INLINE_MAX, &nomem);
		if (nomem)
			return vs_error_nomem(err);
		*h = (sym_hit){m, pc, n ? n : 1, {{0}}};
		memcpy(h->f, f, sizeof f);
		s->nhits++;
	}
	int n = h->n < max ? h->n : max;
	memcpy(out, h->f, (size_t)n * sizeof *out);
	return n;
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

/* one frame_tab row */
static int insert_frame(struct symctx *c, int64_t proc, int64_t top, int frame, uint64_t pc,
                        const char *path, const vs_sym_frame *f, vs_error *err)
{
	sqlite3_stmt *ins = c->q[Q_INSERT];
	sqlite3_bind_int64(ins, 1, proc);
	sqlite3_bind_int64(ins, 2, top);
	sqlite3_bind_int(ins, 3, frame);
	sqlite3_bind_int64(ins, 4, (int64_t)pc);
	if (path[0])
		sqlite3_bind_text(ins, 5, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(ins, 6, (int64_t)f->offset);
	sqlite3_bind_text(ins, 7, f->function, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 8, f->file, -1, SQLITE_STATIC);
	if (f->file)
		sqlite3_bind_int(ins, 9, f->line);
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
			int64_t pid = sqlite3_column_int64(m, 0),
				bidid = sqlite3_column_int64(m, 2);
			bias = (uint64_t)sqlite3_column_int64(m, 1);
			sqlite3_reset(m);
			string_of(c, proc, pid, path, sizeof path);
			string_of(c, proc, bidid, bid, sizeof bid);
		}
		sqlite3_reset(c->q[Q_MODULE]);
		vs_sym_frame f[SYM_INLINE_MAX];
		int nf = vs_sym_resolve(c->sym, path, bias, bid, pc, f, SYM_INLINE_MAX, err);
		if (nf < 0)
			return nf;
		for (int k = 0; k < nf; k++) {
			int ret = insert_frame(c, proc, top, frame + k, pc, path, &f[k], err);
			if (ret < 0)
				return ret;
		}
		frame += nf - 1;
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
		[Q_NODE] = "SELECT caller, pc, module, site FROM stack_tab"
			   " WHERE proc = ? AND node = ?",
		[Q_SITE] = "SELECT file, line, function FROM sites WHERE proc = ? AND site = ?",
		[Q_MODULE] =
			"SELECT path, bias, build_id FROM module_tab WHERE proc = ? AND module = ?",
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
