/* SPDX-License-Identifier: MIT */
/*
 * store/export_dot.c - `vstrace export --format dot`: a Graphviz digraph
 * of the variable sharing of a trace, for `dot -Tsvg`.
 *
 *  - the variable-scope tree: one box per scope path ("" = the root),
 *    from the scopes entered and the variables' names, edges parent ->
 *    child;
 *  - one ellipse per variable (name, shape, dtype, creating call site),
 *    under the scope its name lives in; direct variables (made by
 *    Variable(), bypassing the variable store) filled red and dashed;
 *  - one node per call site that reused variables, with an edge to each
 *    variable it got ("reused xN");
 *  - errors (red octagons) and findings stored by `vscheck
 *    --write-findings` (yellow notes) attached to the scope they
 *    happened in.
 * Reads the public views only (derived in memory for an incomplete
 * trace).  The picture is not streamed: its size is the number of scopes,
 * variables, reusing sites, errors and findings, which the graph shows
 * anyway.  Invariant: every edge's two ends are declared nodes.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/derive.h"
#include "store/export.h"
#include "store/schema.h"
#include "vs/internal/util.h"

struct dot {
	vs_db_reader *r;
	sqlite3 *db;
	FILE *out;
	char **scopes; /* the scope paths declared so far */
	size_t nscopes, cap;
};

/* s as the inside of a double-quoted DOT string: at most max bytes, then
 * "..." (labels); ids use dq_n (exactly n bytes, no mark) */
static void dq_n(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fputc('\\', out);
		if (s[i] == '\n')
			fputs("\\n", out);
		else
			fputc(s[i], out);
	}
}

static void dq(FILE *out, const char *s, size_t max)
{
	size_t n = 0;
	for (; s && *s && n < max; s++, n++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
	if (s && *s)
		fputs("...", out);
}

static int scope_known(struct dot *d, const char *path, size_t n)
{
	for (size_t i = 0; i < d->nscopes; i++)
		if (strlen(d->scopes[i]) == n && !memcmp(d->scopes[i], path, n))
			return 1;
	return 0;
}

/* Declares the scope path[0..n) and its ancestors (root first). */
static int scope_add(struct dot *d, const char *path, size_t n)
{
	const char *slash;
	size_t pn;
	char *copy;
	if (scope_known(d, path, n))
		return 0;
	slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (path[i] == '/')
			slash = path + i;
	pn = slash ? (size_t)(slash - path) : 0;
	if (n && scope_add(d, path, pn) < 0)
		return -1;
	if (VS_GROW(d->scopes, d->cap, d->nscopes + 1) < 0 || !(copy = strndup(path, n)))
		return -1;
	d->scopes[d->nscopes++] = copy;
	fputs("  \"s:", d->out);
	dq(d->out, copy, SIZE_MAX);
	fputs("\" [shape=box, style=rounded, label=\"", d->out);
	dq(d->out, n ? copy + (slash ? pn + 1 : 0) : "(root scope)", 200);
	fputs("\"];\n", d->out);
	if (n) {
		fputs("  \"s:", d->out);
		dq_n(d->out, copy, pn);
		fputs("\" -> \"s:", d->out);
		dq(d->out, copy, SIZE_MAX);
		fputs("\";\n", d->out);
	}
	return 0;
}

/* the scope a variable's name lives in: "a/b/v:0" -> "a/b" */
static size_t var_scope_len(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? (size_t)(slash - name) : 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? s : "";
}

static int prepare(struct dot *d, sqlite3_stmt **st, const char *sql, vs_error *err)
{
	int rc = sqlite3_prepare_v2(d->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		vs_db_sqlite_error(d->db, rc, err, "export");
		return vs_error_prefix(err, "%s", vs_db_reader_path(d->r));
	}
	return 0;
}

static int finish(struct dot *d, sqlite3_stmt *st, int rc, vs_error *err)
{
	sqlite3_finalize(st);
	if (rc == -1)
		return vs_error_nomem(err);
	if (rc != SQLITE_DONE) {
		vs_db_sqlite_error(d->db, rc, err, "export");
		return vs_error_prefix(err, "%s", vs_db_reader_path(d->r));
	}
	return 0;
}

static int scopes_part(struct dot *d, vs_error *err)
{
	sqlite3_stmt *st;
	int rc, ret;
	if ((ret = prepare(d, &st,
	                   "SELECT DISTINCT name FROM scopes WHERE kind = 'variable_scope'"
	                   " ORDER BY name",
	                   err)) < 0)
		return ret;
	if (scope_add(d, "", 0) < 0)
		return finish(d, st, -1, err);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (scope_add(d, col(st, 0), strlen(col(st, 0))) < 0) {
			rc = -1;
			break;
		}
	return finish(d, st, rc, err);
}

static int variables_part(struct dot *d, vs_error *err)
{
	sqlite3_stmt *st;
	int rc, ret;
	if ((ret = prepare(d, &st,
	                   "SELECT proc, var_id, name, COALESCE(shape, 'None'), dtype, created_by,"
	                   " file, line, flags FROM variables ORDER BY proc, create_seq",
	                   err)) < 0)
		return ret;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = col(st, 2);
		int direct = (sqlite3_column_int(st, 8) & VS_EVF_DIRECT) != 0;
		if (scope_add(d, name, var_scope_len(name)) < 0) {
			rc = -1;
			break;
		}
		fprintf(d->out, "  \"v:%lld:%lld\" [shape=ellipse, label=\"",
		        (long long)sqlite3_column_int64(st, 0),
		        (long long)sqlite3_column_int64(st, 1));
		dq(d->out, name, 200);
		fputs("\\n", d->out);
		dq(d->out, col(st, 3), 100);
		fputc(' ', d->out);
		dq(d->out, col(st, 4), 40);
		if (direct)
			fputs("\\ndirect Variable()", d->out);
		if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
			fputs("\\n", d->out);
			dq(d->out, col(st, 6), 200);
			fprintf(d->out, ":%d", sqlite3_column_int(st, 7));
		}
		fputs(direct ? "\", style=\"filled,dashed\", fillcolor=\"#f4b4b4\", color=red];\n"
		             : "\", style=filled, fillcolor=\"#dbe8f7\"];\n",
		      d->out);
		fputs("  \"s:", d->out);
		dq_n(d->out, name, var_scope_len(name));
		fprintf(d->out, "\" -> \"v:%lld:%lld\" [arrowhead=none, color=gray50];\n",
		        (long long)sqlite3_column_int64(st, 0),
		        (long long)sqlite3_column_int64(st, 1));
	}
	return finish(d, st, rc, err);
}

static int reuses_part(struct dot *d, vs_error *err)
{
	sqlite3_stmt *st;
	char sql[512];
	int rc, ret;
	snprintf(sql, sizeof sql,
	         "SELECT e.proc, e.p%d, COALESCE(e.file, '?'), COALESCE(e.line, 0),"
	         " COALESCE(e.function, ''), count(*) FROM events e"
	         " JOIN variables v ON v.proc = e.proc AND v.var_id = e.p%d"
	         " WHERE e.kind = 'GETVAR_EXIT' AND e.outcome = 'reused'"
	         " GROUP BY 1, 2, 3, 4, 5 ORDER BY 3, 4, 1, 2",
	         (int)VS_EVP_SLOT(getvar_exit, variable), (int)VS_EVP_SLOT(getvar_exit, variable));
	if ((ret = prepare(d, &st, sql, err)) < 0)
		return ret;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* the call site node (declared again per edge: DOT merges them) */
		fputs("  \"c:", d->out);
		dq(d->out, col(st, 2), SIZE_MAX);
		fprintf(d->out, ":%d\" [shape=cds, style=filled, fillcolor=\"#e2f2dc\", label=\"",
		        sqlite3_column_int(st, 3));
		dq(d->out, col(st, 2), 200);
		fprintf(d->out, ":%d", sqlite3_column_int(st, 3));
		if (*col(st, 4)) {
			fputs("\\n", d->out);
			dq(d->out, col(st, 4), 100);
		}
		fputs("\"];\n  \"c:", d->out);
		dq(d->out, col(st, 2), SIZE_MAX);
		fprintf(d->out,
		        ":%d\" -> \"v:%lld:%lld\" [color=darkgreen, label=\"reused x%lld\"];\n",
		        sqlite3_column_int(st, 3), (long long)sqlite3_column_int64(st, 0),
		        (long long)sqlite3_column_int64(st, 1),
		        (long long)sqlite3_column_int64(st, 5));
	}
	return finish(d, st, rc, err);
}

/* errors (kind 0) and findings (kind 1), attached to their scope */
static int notes_part(struct dot *d, int findings, vs_error *err)
{
	sqlite3_stmt *st;
	int rc, ret;
	if ((ret = prepare(d, &st,
	                   findings ? "SELECT proc, COALESCE(seq, 0), COALESCE(scope, ''),"
	                              " code || ' ' || severity, message, file, line"
	                              " FROM findings ORDER BY proc, seq"
	                            : "SELECT proc, seq, scope, 'error', name, file, line"
	                              " FROM events WHERE kind = 'ERROR' ORDER BY proc, seq",
	                   err)) < 0)
		return ret;
	for (long long i = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; i++) {
		const char *scope = col(st, 2);
		if (scope_add(d, scope, strlen(scope)) < 0) {
			rc = -1;
			break;
		}
		fprintf(d->out, "  \"%c:%lld\" [shape=%s, style=filled, fillcolor=\"%s\", label=\"",
		        findings ? 'f' : 'e', i, findings ? "note" : "octagon",
		        findings ? "#fff3b0" : "#ff9c9c");
		dq(d->out, col(st, 3), 60);
		fputs("\\n", d->out);
		dq(d->out, col(st, 4), 120);
		if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
			fputs("\\n", d->out);
			dq(d->out, col(st, 5), 200);
			fprintf(d->out, ":%d", sqlite3_column_int(st, 6));
		}
		fputs("\"];\n  \"s:", d->out);
		dq(d->out, scope, SIZE_MAX);
		fprintf(d->out, "\" -> \"%c:%lld\" [style=dashed, color=%s];\n",
		        findings ? 'f' : 'e', i, findings ? "goldenrod" : "red");
	}
	return finish(d, st, rc, err);
}

int vs_db_export_dot(vs_db_reader *r, FILE *out, vs_error *err)
{
	struct dot d;
	const char *prog = vs_db_reader_meta(r, "program");
	int ret;
	memset(&d, 0, sizeof d);
	d.r = r;
	d.db = vs_db_reader_sqlite(r);
	d.out = out;
	if (!vs_db_reader_complete(r) && (ret = vs_db_derive_temp(d.db, err)) < 0)
		return vs_error_prefix(err, "%s", vs_db_reader_path(r));
	fputs("digraph vstrace {\n  rankdir=LR;\n  labelloc=t;\n  label=\"", out);
	dq(out, prog ? prog : vs_db_reader_path(r), 200);
	fputs(": variable sharing\";\n  node [fontname=\"Helvetica\", fontsize=10];\n"
	      "  edge [fontname=\"Helvetica\", fontsize=9];\n",
	      out);
	if ((ret = scopes_part(&d, err)) == 0 && (ret = variables_part(&d, err)) == 0 &&
	    (ret = reuses_part(&d, err)) == 0 && (ret = notes_part(&d, 0, err)) == 0)
		ret = notes_part(&d, 1, err);
	for (size_t i = 0; i < d.nscopes; i++)
		free(d.scopes[i]);
	free(d.scopes);
	if (ret < 0)
		return ret;
	fputs("}\n", out);
	if (fflush(out) != 0 || ferror(out))
		return vs_error_set(err, VS_ERR_IO, "cannot write the export");
	return 0;
}
