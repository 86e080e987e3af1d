/* SPDX-License-Identifier: MIT */
/*
 * store/sqlout.c - `vstrace query`: runs user SQL on a trace, read-only,
 * and prints the rows as an aligned table, CSV or JSON.
 * For an incomplete trace, the derived tables are first built in the
 * temporary schema (store/derive.c), so scopes and variables answer.
 * Invariant: no statement that could change the file runs.  The connection
 * is opened read-only, an authorizer denies every write action while
 * preparing, and sqlite3_stmt_readonly is checked before the first step.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/derive.h"
#include "store/report.h"
#include "store/schema.h"
#include "vs/internal/util.h"

struct auth_state {
	int denied;
	char what[64];
};

/* pragmas whose argument names what to read, not a value to set */
static int is_read_pragma(const char *name)
{
	static const char *const ok[] = {"table_info",      "table_xinfo", "index_list",
	                                 "index_info",      "index_xinfo", "foreign_key_list",
	                                 "integrity_check", "quick_check"};
	for (size_t i = 0; name && i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(name, ok[i]))
			return 1;
	return 0;
}

static const char *action_name(int action)
{
	switch (action) {
	case SQLITE_INSERT: return "INSERT";
	case SQLITE_UPDATE: return "UPDATE";
	case SQLITE_DELETE: return "DELETE";
	case SQLITE_ATTACH: return "ATTACH";
	case SQLITE_DETACH: return "DETACH";
	case SQLITE_ALTER_TABLE: return "ALTER TABLE";
	case SQLITE_REINDEX: return "REINDEX";
	case SQLITE_ANALYZE: return "ANALYZE";
	case SQLITE_TRANSACTION: return "a transaction";
	case SQLITE_SAVEPOINT: return "SAVEPOINT";
	case SQLITE_CREATE_INDEX:
	case SQLITE_CREATE_TABLE:
	case SQLITE_CREATE_TEMP_INDEX:
	case SQLITE_CREATE_TEMP_TABLE:
	case SQLITE_CREATE_TEMP_TRIGGER:
	case SQLITE_CREATE_TEMP_VIEW:
	case SQLITE_CREATE_TRIGGER:
	case SQLITE_CREATE_VIEW:
	case SQLITE_CREATE_VTABLE: return "CREATE";
	case SQLITE_DROP_INDEX:
	case SQLITE_DROP_TABLE:
	case SQLITE_DROP_TEMP_INDEX:
	case SQLITE_DROP_TEMP_TABLE:
	case SQLITE_DROP_TEMP_TRIGGER:
	case SQLITE_DROP_TEMP_VIEW:
	case SQLITE_DROP_TRIGGER:
	case SQLITE_DROP_VIEW:
	case SQLITE_DROP_VTABLE: return "DROP";
	default: return "writing";
	}
}

static int authorize(void *ud, int action, const char *a, const char *b, const char *db,
                     const char *trigger)
{
	struct auth_state *s = ud;
	if (s->denied) /* keep the first refusal: it names the statement */
		return SQLITE_DENY;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_FUNCTION:
	case SQLITE_RECURSIVE: return SQLITE_OK;
	case SQLITE_INSERT:
	case SQLITE_UPDATE:
	case SQLITE_DELETE:
		/* SQLite's own schema bookkeeping (it also checks these while
		 * resolving a view); DDL is refused by its own action below */
		if (a && (!strcmp(a, "sqlite_master") || !strcmp(a, "sqlite_temp_master")))
			return SQLITE_OK;
		snprintf(s->what, sizeof s->what, "%s", action_name(action));
		break;
	case SQLITE_PRAGMA:
		/* reading a pragma is fine, setting one is not */
		if (!b || is_read_pragma(a))
			return SQLITE_OK;
		snprintf(s->what, sizeof s->what, "PRAGMA %s", a ? a : "");
		break;
	default: snprintf(s->what, sizeof s->what, "%s", action_name(action)); break;
	}
	s->denied = 1;
	return SQLITE_DENY;
}

/* ------------------------------------------------------------- table */

struct table {
	int ncols;
	char **cells;      /* row-major, header first; NULL = SQL NULL */
	size_t nrows, cap; /* rows including the header; cap counts cells */
	int *numeric;      /* column holds only numbers (right-aligned) */
};

/* the display width of n bytes of UTF-8 */
static size_t seg_width(const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* line k of a multi-line value (*n bytes; NULL past its last line) */
static const char *cell_line(const char *v, size_t k, size_t *n)
{
	if (!v)
		return NULL;
	for (; k > 0; k--) {
		v = strchr(v, '\n');
		if (!v)
			return NULL;
		v++;
	}
	*n = strcspn(v, "\n");
	return v;
}

/* the width of a value: of its widest line (a value may hold newlines) */
static size_t display_width(const char *s)
{
	size_t w = 0, n, k = 0;
	for (const char *l; (l = cell_line(s, k, &n)) != NULL; k++)
		if (seg_width(l, n) > w)
			w = seg_width(l, n);
	return w;
}

static size_t line_count(const char *s)
{
	size_t k = 1;
	for (; s && *s; s++)
		k += *s == '\n';
	return k;
}

static int table_add(struct table *t, sqlite3_stmt *st, int header)
{
	char **row;
	if (VS_GROW(t->cells, t->cap, (t->nrows + 1) * (size_t)t->ncols) < 0)
		return VS_ERR_NOMEM;
	row = t->cells + t->nrows * (size_t)t->ncols;
	for (int i = 0; i < t->ncols; i++) {
		const char *v = header ? sqlite3_column_name(st, i)
		                       : (const char *)sqlite3_column_text(st, i);
		int type = header ? SQLITE_TEXT : sqlite3_column_type(st, i);
		if (!header && type != SQLITE_INTEGER && type != SQLITE_FLOAT &&
		    type != SQLITE_NULL)
			t->numeric[i] = 0;
		row[i] = v ? strdup(v) : NULL;
		if (v && !row[i]) {
			for (int j = 0; j < i; j++)
				free(row[j]);
			return VS_ERR_NOMEM;
		}
	}
	t->nrows++;
	return 0;
}

/* physical line k of row r */
static void table_line(const struct table *t, size_t r, size_t k, const size_t *w, FILE *out)
{
	/* spaces are held back until more text follows: no trailing blanks */
	size_t pending = 0;
	for (int c = 0; c < t->ncols; c++) {
		size_t n = 0;
		const char *v = cell_line(t->cells[r * (size_t)t->ncols + c], k, &n);
		size_t pad = w[c] - (v ? seg_width(v, n) : 0);
		int right = t->numeric[c];
		if (c)
			pending += 2;
		if (right)
			pending += pad;
		if (v && n) {
			fprintf(out, "%*s%.*s", (int)pending, "", (int)n, v);
			pending = 0;
		}
		if (!right)
			pending += pad;
	}
	fputc('\n', out);
}

static void table_print(struct table *t, FILE *out)
{
	size_t *w = calloc((size_t)t->ncols, sizeof *w);
	if (!w)
		return;
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			size_t n = display_width(t->cells[r * (size_t)t->ncols + c]);
			if (n > w[c])
				w[c] = n;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		/* a value with newlines takes several lines, each cell's k-th line
		 * in its column, so the columns hold */
		size_t lines = 1;
		for (int c = 0; c < t->ncols; c++) {
			size_t k = line_count(t->cells[r * (size_t)t->ncols + c]);
			lines = k > lines ? k : lines;
		}
		for (size_t k = 0; k < lines; k++)
			table_line(t, r, k, w, out);
		if (r == 0) {
			for (int c = 0; c < t->ncols; c++) {
				if (c)
					fputs("  ", out);
				for (size_t i = 0; i < w[c]; i++)
					fputc('-', out);
			}
			fputc('\n', out);
		}
	}
	free(w);
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->numeric);
}

/* -------------------------------------------------------- csv, json */

static void csv_field(FILE *out, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void vs_db_json_string(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

static void json_value(FILE *out, sqlite3_stmt *st, int i)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL: fputs("null", out); break;
	case SQLITE_INTEGER: fprintf(out, "%lld", (long long)sqlite3_column_int64(st, i)); break;
	case SQLITE_FLOAT: {
		double d = sqlite3_column_double(st, i);
		if (isfinite(d))
			fprintf(out, "%.17g", d);
		else
			fputs("null", out);
		break;
	}
	case SQLITE_BLOB: {
		const unsigned char *b = sqlite3_column_blob(st, i);
		int n = sqlite3_column_bytes(st, i);
		fputc('"', out);
		for (int k = 0; k < n; k++)
			fprintf(out, "%02x", b[k]);
		fputc('"', out);
		break;
	}
	default: {
		const char *s = (const char *)sqlite3_column_text(st, i);
		vs_db_json_string(out, s ? s : "", (size_t)sqlite3_column_bytes(st, i));
	}
	}
}

void vs_db_csv_row(FILE *out, struct sqlite3_stmt *st, int names)
{
	for (int i = 0, n = sqlite3_column_count(st); i < n; i++) {
		if (i)
			fputc(',', out);
		csv_field(out, names ? sqlite3_column_name(st, i)
		                     : (const char *)sqlite3_column_text(st, i));
	}
}

void vs_db_json_row(FILE *out, struct sqlite3_stmt *st)
{
	fputc('{', out);
	for (int i = 0, n = sqlite3_column_count(st); i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		if (i)
			fputs(", ", out);
		vs_db_json_string(out, name ? name : "", name ? strlen(name) : 0);
		fputs(": ", out);
		json_value(out, st, i);
	}
	fputc('}', out);
}

/* ------------------------------------------------------------- driver */

/* An SQL error: a corrupt trace stays VS_ERR_FORMAT, anything else is the
 * query's fault (VS_ERR_USAGE), "PATH: query: what". */
static int query_error(vs_db_reader *r, int rc, vs_error *err)
{
	int code = vs_db_sqlite_error(vs_db_reader_sqlite(r), rc, err, "query");
	vs_error_prefix(err, "'%s'", vs_db_reader_path(r));
	if (code == VS_ERR_IO) {
		code = VS_ERR_USAGE;
		if (err)
			err->code = code;
	}
	return code;
}

static int run_one(vs_db_reader *r, sqlite3_stmt *st, vs_db_out_format fmt, FILE *out, int index,
                   vs_error *err)
{
	struct table t = {0};
	int ncols = sqlite3_column_count(st), rc, ret = 0;
	size_t nrows = 0;
	if (fmt == VS_DB_OUT_TABLE) {
		t.ncols = ncols;
		t.numeric = malloc((size_t)(ncols ? ncols : 1) * sizeof *t.numeric);
		if (!t.numeric)
			return vs_error_nomem(err);
		for (int i = 0; i < ncols; i++)
			t.numeric[i] = 1;
		if (ncols && table_add(&t, st, 1) < 0)
			goto nomem;
	} else if (fmt == VS_DB_OUT_CSV && ncols) {
		vs_db_csv_row(out, st, 1);
		fputs("\n", out); /* sqlite3 -csv on Unix */
	} else if (fmt == VS_DB_OUT_JSON) {
		fputs(index ? "\n[" : "[", out);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fmt == VS_DB_OUT_TABLE) {
			if (ncols && table_add(&t, st, 0) < 0) /* no growth for 0 columns */
				goto nomem;
		} else if (fmt == VS_DB_OUT_CSV) {
			vs_db_csv_row(out, st, 0);
			fputs("\n", out); /* sqlite3 -csv on Unix */
		} else {
			fputs(nrows ? ",\n " : "\n ", out);
			vs_db_json_row(out, st);
		}
		nrows++;
	}
	if (rc != SQLITE_DONE)
		ret = query_error(r, rc, err);
	if (fmt == VS_DB_OUT_TABLE) {
		if (ret >= 0 && ncols) {
			if (index)
				fputc('\n', out);
			table_print(&t, out);
		}
		table_free(&t);
	} else if (fmt == VS_DB_OUT_JSON) {
		fputs(nrows ? "\n]\n" : "]\n", out);
	}
	return ret;
nomem:
	table_free(&t);
	return vs_error_nomem(err);
}

int vs_db_query_run(vs_db_reader *r, const char *sql, vs_db_out_format fmt, FILE *out,
                    vs_error *err)
{
	sqlite3 *db = vs_db_reader_sqlite(r);
	struct auth_state auth = {0, ""};
	const char *tail = sql;
	int ret = 0, index = 0;
	if (!db || !sql)
		return vs_error_set(err, VS_ERR_INVALID, "vs_db_query_run: NULL argument");
	/* a trace whose recorder died has no derived tables: make them in memory */
	if (!vs_db_reader_complete(r) && (ret = vs_db_derive_temp(db, err)) < 0)
		return vs_error_prefix(err, "'%s'", vs_db_reader_path(r));
	sqlite3_set_authorizer(db, authorize, &auth);
	while (!ret && tail && *tail) {
		sqlite3_stmt *st = NULL;
		int rc = sqlite3_prepare_v2(db, tail, -1, &st, &tail);
		if (rc != SQLITE_OK) {
			if (auth.denied)
				ret = vs_error_set(
					err, VS_ERR_USAGE,
					"'%s': query: the trace is read-only (%s refused)",
					vs_db_reader_path(r), auth.what);
			else
				ret = query_error(r, rc, err);
			break;
		}
		if (!st) /* whitespace or a comment */
			continue;
		if (!sqlite3_stmt_readonly(st)) {
			ret = vs_error_set(err, VS_ERR_USAGE, "'%s': query: the trace is read-only",
			                   vs_db_reader_path(r));
		} else {
			ret = run_one(r, st, fmt, out, index++, err);
		}
		sqlite3_finalize(st);
	}
	sqlite3_set_authorizer(db, NULL, NULL);
	return ret;
}
