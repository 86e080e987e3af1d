/* SPDX-License-Identifier: MIT */
/*
 * store/usage.c - `vstrace report`: like `uftrace report` or `strace -c`,
 * one pass over every process's events aggregated per variable scope and
 * per call site: variable calls (get_variable, Variable), variables
 * created and reused, TensorFlow errors, events, and time.
 *
 * Scope time is inclusive (from a variable_scope's enter to its exit, nested
 * scopes counted in their parents too) and ENTRIES counts its entries;
 * site time is the time spent inside the variable calls made there.
 * Events count where they happen: in the innermost variable scope of their
 * thread and at their own call site (events without one are not in the
 * site table); the trace's own records (SITE, and the MODULE and STACK
 * records of call stacks) are not events of the program and are not
 * counted, so the figures do not depend on whether stacks were recorded.  Rows are keyed by name, so a scope entered by several
 * threads or processes is one row.
 * Invariant: memory is bounded by the number of distinct scopes and sites
 * and the nesting depth, never by the number of events.
 */
#include <stdlib.h>
#include <string.h>

#include "store/report.h"
#include "vs/internal/util.h"

typedef struct row {
	char *key;      /* scope name ("" root) or "file:line" */
	char *function; /* sites: the enclosing function */
	unsigned long entries, calls, created, reused, errors, events;
	uint64_t ns;
} row;

typedef struct table {
	row *rows;
	size_t n, cap;
	size_t *slots; /* open addressing: index + 1, 0 empty */
	size_t nslots;
} table;

typedef struct frame {
	uint32_t kind; /* VARSCOPE_ENTER or a call's enter kind */
	size_t row;    /* scope row (VARSCOPE) or site row + 1 (0: no site) */
	uint64_t ts;
} frame;

typedef struct thr {
	uint32_t tid;
	frame *f;
	size_t n, cap;
	size_t scope_row; /* innermost scope's row */
} thr;

typedef struct agg {
	vs_db_reader *r;
	uint32_t proc;
	table scopes, sites;
	thr *threads;
	size_t nthreads, capthreads;
} agg;

static uint64_t hash_str(const char *a, const char *b)
{
	uint64_t h = 14695981039346656037ull;
	for (const char *s = a; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (const char *s = b ? b : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int rehash(table *t)
{
	size_t n = t->nslots ? 2 * t->nslots : 64;
	size_t *s = calloc(n, sizeof *s);
	if (!s)
		return VS_ERR_NOMEM;
	for (size_t i = 0; i < t->n; i++) {
		size_t j = hash_str(t->rows[i].key, t->rows[i].function) & (n - 1);
		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = i + 1;
	}
	free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

/* the row of (key, function), added when new; its index or < 0 */
static long row_of(table *t, const char *key, const char *function)
{
	if ((t->n + 1) * 2 > t->nslots && rehash(t) < 0)
		return VS_ERR_NOMEM;
	size_t j = hash_str(key, function) & (t->nslots - 1);
	for (; t->slots[j]; j = (j + 1) & (t->nslots - 1)) {
		row *r = &t->rows[t->slots[j] - 1];
		if (strcmp(r->key, key) == 0 &&
		    strcmp(r->function ? r->function : "", function ? function : "") == 0)
			return (long)(t->slots[j] - 1);
	}
	if (VS_GROW(t->rows, t->cap, t->n + 1) < 0)
		return VS_ERR_NOMEM;
	row *r = &t->rows[t->n];
	memset(r, 0, sizeof *r);
	r->key = strdup(key);
	r->function = function ? strdup(function) : NULL;
	if (!r->key || (function && !r->function)) {
		free(r->key);
		free(r->function);
		return VS_ERR_NOMEM;
	}
	t->slots[j] = ++t->n;
	return (long)(t->n - 1);
}

static void table_free(table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->rows[i].key);
		free(t->rows[i].function);
	}
	free(t->rows);
	free(t->slots);
}

static thr *thread_of(agg *a, uint32_t tid, size_t root_row)
{
	for (size_t i = 0; i < a->nthreads; i++)
		if (a->threads[i].tid == tid)
			return &a->threads[i];
	if (VS_GROW(a->threads, a->capthreads, a->nthreads + 1) < 0)
		return NULL;
	thr *t = &a->threads[a->nthreads++];
	memset(t, 0, sizeof *t);
	t->tid = tid;
	t->scope_row = root_row;
	return t;
}

static void threads_reset(agg *a)
{
	for (size_t i = 0; i < a->nthreads; i++)
		free(a->threads[i].f);
	a->nthreads = 0;
}

/* the site row + 1 of e (0 when it has no call site) */
static long site_row(agg *a, const vs_event *e)
{
	const char *file, *fn;
	int line;
	char key[1024];
	if (!e->site || vs_db_reader_site(a->r, a->proc, e->site, &file, &line, &fn) != 0)
		return 0;
	snprintf(key, sizeof key, "%s:%d", file ? file : "?", line);
	long i = row_of(&a->sites, key, fn ? fn : "");
	return i < 0 ? i : i + 1;
}

static int push(thr *t, uint32_t kind, size_t at, uint64_t ts)
{
	if (VS_GROW(t->f, t->cap, t->n + 1) < 0)
		return VS_ERR_NOMEM;
	t->f[t->n++] = (frame){kind, at, ts};
	return 0;
}

/* the innermost frame of kind, popped (with the ones above it: a trace cut
 * short leaves calls open); NULL when none */
static frame *pop(thr *t, uint32_t kind)
{
	for (size_t i = t->n; i-- > 0;)
		if (t->f[i].kind == kind) {
			t->n = i;
			return &t->f[i];
		}
	return NULL;
}

static void restore_scope(thr *t, size_t root_row)
{
	t->scope_row = root_row;
	for (size_t i = t->n; i-- > 0;)
		if (t->f[i].kind == VS_EV_VARSCOPE_ENTER) {
			t->scope_row = t->f[i].row;
			return;
		}
}

/* records of the trace's own (call sites, stacks), not events of the program */
static int bookkeeping(uint32_t kind)
{
	return kind == VS_EV_SITE || kind == VS_EV_MODULE || kind == VS_EV_STACK;
}

/* one event into the tables; 0 or VS_ERR_NOMEM */
static int add_event(agg *a, const vs_event *e, size_t root_row)
{
	thr *t = thread_of(a, e->tid, root_row);
	long site = site_row(a, e), sc;
	frame *f;
	uint32_t outcome = 0;
	if (!t || site < 0)
		return VS_ERR_NOMEM;
	switch (e->kind) {
	case VS_EV_VARSCOPE_ENTER: {
		const char *name = vs_db_reader_string(a->r, a->proc, e->varscope.full_name);
		if ((sc = row_of(&a->scopes, name ? name : "?", NULL)) < 0 ||
		    push(t, e->kind, (size_t)sc, e->ts_ns) < 0)
			return VS_ERR_NOMEM;
		a->scopes.rows[sc].entries++;
		t->scope_row = (size_t)sc;
		break;
	}
	case VS_EV_GETVAR_ENTER:
	case VS_EV_VARIABLE_ENTER:
		if (push(t, e->kind, (size_t)site, e->ts_ns) < 0)
			return VS_ERR_NOMEM;
		break;
	case VS_EV_GETVAR_EXIT: outcome = e->getvar_exit.outcome; break;
	case VS_EV_VARIABLE_EXIT: outcome = e->variable_exit.outcome; break;
	default: break;
	}
	row *s = &a->scopes.rows[t->scope_row];
	row *c = site ? &a->sites.rows[site - 1] : NULL;
	s->events++;
	if (c)
		c->events++;
	if (e->kind == VS_EV_ERROR) {
		s->errors++;
		if (c)
			c->errors++;
	}
	if (e->kind == VS_EV_GETVAR_EXIT || e->kind == VS_EV_VARIABLE_EXIT) {
		f = pop(t,
		        e->kind == VS_EV_GETVAR_EXIT ? VS_EV_GETVAR_ENTER : VS_EV_VARIABLE_ENTER);
		s->calls++;
		s->created += outcome == VS_OUT_CREATED;
		s->reused += outcome == VS_OUT_REUSED;
		if (c) {
			c->calls++;
			c->created += outcome == VS_OUT_CREATED;
			c->reused += outcome == VS_OUT_REUSED;
			if (f && e->ts_ns >= f->ts)
				c->ns += e->ts_ns - f->ts;
		}
		restore_scope(t, root_row);
	} else if (e->kind == VS_EV_VARSCOPE_EXIT) {
		if ((f = pop(t, VS_EV_VARSCOPE_ENTER)) != NULL && e->ts_ns >= f->ts)
			a->scopes.rows[f->row].ns += e->ts_ns - f->ts;
		restore_scope(t, root_row);
	}
	return 0;
}

/* ------------------------------------------------------------ output */

/* qsort has no context argument: the key and table of the sort running */
static const char *sort_key = "time";
static const table *sort_table;

static uint64_t metric(const row *r, const char *key)
{
	if (strcmp(key, "created") == 0)
		return r->created;
	if (strcmp(key, "reused") == 0)
		return r->reused;
	if (strcmp(key, "errors") == 0)
		return r->errors;
	if (strcmp(key, "events") == 0)
		return r->events;
	if (strcmp(key, "calls") == 0)
		return r->calls;
	if (strcmp(key, "entries") == 0)
		return r->entries;
	return r->ns;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const row *x = &sort_table->rows[*(const size_t *)pa];
	const row *y = &sort_table->rows[*(const size_t *)pb];
	if (strcmp(sort_key, "name") != 0) {
		uint64_t mx = metric(x, sort_key), my = metric(y, sort_key);
		if (mx != my)
			return mx < my ? 1 : -1;
	}
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->function ? x->function : "", y->function ? y->function : "");
}

/* the row order of t under key (malloc'd; NULL on OOM) */
static size_t *order(const table *t, const char *key)
{
	size_t *o = malloc((t->n ? t->n : 1) * sizeof *o);
	if (!o)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		o[i] = i;
	sort_key = key;
	sort_table = t;
	qsort(o, t->n, sizeof *o, cmp_rows);
	return o;
}

static void print_table(FILE *out, const table *t, const size_t *o, int sites)
{
	int w = sites ? 4 : 5; /* "SITE" / "SCOPE" */
	int wf = 8;            /* "FUNCTION" */
	for (size_t i = 0; i < t->n; i++) {
		int n = (int)strlen(t->rows[i].key);
		w = n > w ? n : w;
		if (sites && t->rows[i].function && (int)strlen(t->rows[i].function) > wf)
			wf = (int)strlen(t->rows[i].function);
	}
	w = w > 60 ? 60 : w;
	fprintf(out, "%-*s  ", w, sites ? "SITE" : "SCOPE");
	if (sites)
		fprintf(out, "%-*s  ", wf, "FUNCTION");
	fprintf(out, "%7s  %7s  %7s  %7s  %8s  %10s\n", sites ? "CALLS" : "ENTRIES", "CREATED",
	        "REUSED", "ERRORS", "EVENTS", "TIME(ms)");
	for (size_t k = 0; k < t->n; k++) {
		const row *r = &t->rows[o[k]];
		fprintf(out, "%-*s  ", w, *r->key ? r->key : "(root)");
		if (sites)
			fprintf(out, "%-*s  ", wf, r->function ? r->function : "");
		fprintf(out, "%7lu  %7lu  %7lu  %7lu  %8lu  %10.3f\n",
		        sites ? r->calls : r->entries, r->created, r->reused, r->errors, r->events,
		        (double)r->ns / 1e6);
	}
}

static void print_json(FILE *out, const table *t, const size_t *o, int sites)
{
	fprintf(out, "  \"%s\": [", sites ? "sites" : "scopes");
	for (size_t k = 0; k < t->n; k++) {
		const row *r = &t->rows[o[k]];
		fputs(k ? ",\n    {" : "\n    {", out);
		fputs(sites ? "\"site\": " : "\"scope\": ", out);
		vs_db_json_string(out, r->key, strlen(r->key));
		if (sites) {
			fputs(", \"function\": ", out);
			vs_db_json_string(out, r->function ? r->function : "",
			                  r->function ? strlen(r->function) : 0);
		}
		if (!sites)
			fprintf(out, ", \"entries\": %lu", r->entries);
		fprintf(out,
		        ", \"calls\": %lu, \"created\": %lu, \"reused\": %lu, \"errors\": %lu, "
		        "\"events\": %lu, \"time_ns\": %llu}",
		        r->calls, r->created, r->reused, r->errors, r->events,
		        (unsigned long long)r->ns);
	}
	fputs(t->n ? "\n  ]" : "]", out);
}

static int aggregate(agg *a, vs_error *err)
{
	uint32_t np = vs_db_reader_process_count(a->r);
	long root = row_of(&a->scopes, "", NULL);
	if (root < 0)
		return vs_error_nomem(err);
	for (uint32_t i = 0; i < np; i++) {
		vs_db_process p;
		vs_db_cursor *c = NULL;
		vs_event e;
		int rc = vs_db_reader_process(a->r, i, &p, err);
		if (rc < 0 || (rc = vs_db_cursor_open(a->r, &c, p.proc, 0, err)) < 0)
			return rc;
		a->proc = p.proc;
		threads_reset(a);
		while ((rc = vs_db_cursor_next(c, &e, err)) == 1)
			if (!bookkeeping(e.kind) && add_event(a, &e, (size_t)root) < 0) {
				rc = vs_error_nomem(err);
				break;
			}
		vs_db_cursor_close(c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int vs_db_report_print(vs_db_reader *r, const vs_db_report_opts *o, FILE *out, vs_error *err)
{
	agg a;
	size_t *os = NULL, *oc = NULL;
	const char *key = o && o->sort ? o->sort : "time";
	int ret;
	memset(&a, 0, sizeof a);
	a.r = r;
	ret = aggregate(&a, err);
	if (ret >= 0) {
		os = order(&a.scopes, key);
		oc = order(&a.sites, key);
		if (!os || !oc)
			ret = vs_error_nomem(err);
	}
	if (ret >= 0 && o && o->json) {
		fputs("{\n", out);
		print_json(out, &a.scopes, os, 0);
		fputs(",\n", out);
		print_json(out, &a.sites, oc, 1);
		fputs("\n}\n", out);
	} else if (ret >= 0) {
		print_table(out, &a.scopes, os, 0);
		fputc('\n', out);
		print_table(out, &a.sites, oc, 1);
	}
	free(os);
	free(oc);
	threads_reset(&a);
	free(a.threads);
	table_free(&a.scopes);
	table_free(&a.sites);
	return ret;
}

int vs_db_report_sort_valid(const char *key)
{
	static const char *const keys[] = {"time",   "events", "created", "reused",
	                                   "errors", "calls",  "entries", "name"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}
