/* SPDX-License-Identifier: MIT */
/*
 * checker/check.c - the driver (see check.h): event sources -> shadow model
 * -> rule-set filter -> deduplicated finding list.
 *
 * Sources: a trace file through store/db.h (process by process; a fork
 * child first replays its parent's events up to the fork point, quietly),
 * or an in-memory event array.  Invariant: the shadow model is reset
 * before every process, so state never leaks between processes.
 */
#include "checker/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checker/inline.h"
#include "checker/map.h"
#include "store/db.h"
#include "store/stacks.h"
#include "vs/internal/util.h"

struct vs_check {
	vs_rule_set *rs;
	vs_rule_baseline *baseline;
	vs_inline *inl; /* the program's own suppression comments */
	vs_shadow *shadow;
	/* the source being replayed */
	const char *cur_trace; /* owned copy, in traces[] */
	uint32_t cur_proc;
	vs_shadow_resolve_fn cur_resolve;
	void *cur_rctx;
	vs_db_reader *reader;
	vs_db_stacks *stacks; /* the trace's call stacks (NULL: none) */
	vs_error stack_err;   /* the first failure to read a stack (code 0: none) */
	int cur_lost_seen;
	/* the stacks of the finding being kept (moved into it, or freed) */
	vs_check_frame *pend, *pend_rel;
	size_t npend, npend_rel;
	uint32_t pend_stack;
	/* results */
	vs_check_finding *f;
	size_t n, cap;
	vs_check_map *dedup; /* hash(rule, file, line, message) -> index + 1 */
	char **traces;
	size_t n_traces, cap_traces;
	/* per trace (parallel to traces): the anchor of its trace-level
	 * findings (see vs_check_finding) and whether it is in main() */
	struct anchor {
		char *file;
		int line, in_main;
	} * anchors;
	size_t cap_anchors;
	vs_check_summary sum;
	int nomem;
	int finished;
	vs_check_progress_fn *progress;
	void *progress_ctx;
	uint64_t progress_every;
};

static char *xstrdup(vs_check *c, const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		c->nomem = 1;
	return d;
}

static void finding_release(vs_check_finding *f)
{
	vs_check_frames_free(f->frames, f->nframes);
	vs_check_frames_free(f->related, f->nrelated);
	free(f->message);
	free(f->file);
	free(f->function);
	free(f->scope);
	free(f->variable);
}

/* resolver trampoline: the shadow's resolver is the current source's */
static const char *resolve_current(void *ctx, uint32_t id)
{
	vs_check *c = ctx;
	return c->cur_resolve ? c->cur_resolve(c->cur_rctx, id) : NULL;
}

static vs_check_finding *append(vs_check *c)
{
	if (VS_GROW(c->f, c->cap, c->n + 1) < 0) {
		c->nomem = 1;
		return NULL;
	}
	vs_check_finding *f = &c->f[c->n++];
	memset(f, 0, sizeof *f);
	return f;
}

/*
 * Rules whose message names a per-occurrence detail (a uniquified name
 * scope, a thread number, an event number): repeats at one place fold into
 * one finding whatever the message says.  Other rules fold only identical
 * messages.
 */
static int folds_by_place(vs_rule_id rule)
{
	switch (rule) {
	case VS_RULE_TRACE_INCONSISTENT:
	case VS_RULE_THREAD_NAME_COLLISION:
	case VS_RULE_THREAD_SCOPE_NOT_ENTERED:
	case VS_RULE_OP_SCOPE_DIVERGES:
	case VS_RULE_THREAD_GLOBAL_GRAPH:
	case VS_RULE_CREATOR_MULTIPLE: return 1;
	default: return 0;
	}
}

static void keep(vs_check *c, vs_rule_id rule, const char *message, const char *file, int line,
                 const char *function, const char *scope, const char *variable, uint32_t tid,
                 uint64_t seq)
{
	vs_level level = vs_rule_set_level(c->rs, rule);
	if (level == VS_LEVEL_OFF) {
		c->sum.disabled++;
		return;
	}
	if (vs_rule_set_suppressed(c->rs, rule, scope, variable, file)) {
		c->sum.suppressed++;
		return;
	}
	int nomem = 0;
	if (vs_inline_match(c->inl, rule, file, line, &nomem)) {
		c->sum.suppressed++;
		return;
	}
	if (nomem)
		c->nomem = 1;
	/* one finding per trace, process, rule, place, scope and variable (and
	 * message, see folds_by_place): a loop that repeats a mistake folds into
	 * a count, so memory stays bounded by the program, not by the trace.
	 * Keyed by a 64-bit hash: a collision would fold two findings, with odds
	 * of about 1e-13 for a million distinct findings. */
	uint64_t h = vs_check_hash(VS_CHECK_HASH0, &rule, sizeof rule);
	h = vs_check_hash(h, &c->cur_trace, sizeof c->cur_trace);
	h = vs_check_hash(h, &c->cur_proc, sizeof c->cur_proc);
	h = vs_check_hash(h, file ? file : "", file ? strlen(file) + 1 : 0);
	h = vs_check_hash(h, &line, sizeof line);
	h = vs_check_hash(h, scope ? scope : "", scope ? strlen(scope) + 1 : 0);
	h = vs_check_hash(h, variable ? variable : "", variable ? strlen(variable) + 1 : 0);
	if (!file || !*file || !line || !folds_by_place(rule))
		h = vs_check_hash(h, message, strlen(message));
	int created = 0;
	size_t *slot = vs_check_map_put(c->dedup, h, &created);
	if (!slot) {
		c->nomem = 1;
		return;
	}
	if (!created) {
		c->f[*slot - 1].count++;
		c->sum.duplicates++;
		return;
	}
	vs_check_finding *f = append(c);
	if (!f) {
		vs_check_map_del(c->dedup, h);
		return;
	}
	*slot = c->n;
	f->rule = rule;
	f->level = level;
	f->message = xstrdup(c, message);
	f->file = xstrdup(c, file);
	f->line = line;
	f->function = xstrdup(c, function);
	f->scope = xstrdup(c, scope);
	f->variable = xstrdup(c, variable);
	f->trace = c->cur_trace;
	f->proc = c->cur_proc;
	f->tid = tid;
	f->seq = seq;
	f->count = 1;
	f->stack = c->pend_stack;
	f->frames = c->pend;
	f->nframes = c->npend;
	f->related = c->pend_rel;
	f->nrelated = c->npend_rel;
	c->pend = c->pend_rel = NULL;
	c->npend = c->npend_rel = 0;
}

/* drops the pending stacks (the finding folded or was filtered) */
static void pend_clear(vs_check *c)
{
	vs_check_frames_free(c->pend, c->npend);
	vs_check_frames_free(c->pend_rel, c->npend_rel);
	c->pend = c->pend_rel = NULL;
	c->npend = c->npend_rel = 0;
	c->pend_stack = 0;
}

/* the frames of call site `site` of the current process, copied */
static vs_check_frame *load_frames(vs_check *c, uint32_t site, size_t *n, uint32_t *stack)
{
	vs_db_frame fr[64];
	vs_error err;
	uint32_t id = 0;
	*n = 0;
	vs_error_init(&err);
	int k = vs_db_stacks_site(c->stacks, c->cur_proc, site, &id, fr, 64, &err);
	if (stack)
		*stack = id;
	if (k < 0 && !c->stack_err.code) /* unreadable: the check fails with it */
		vs_error_copy(&c->stack_err, &err);
	if (k <= 0)
		return NULL;
	vs_check_frame *out = calloc((size_t)k, sizeof *out);
	if (!out) {
		c->nomem = 1;
		return NULL;
	}
	for (int i = 0; i < k; i++) {
		out[i].function = fr[i].function ? strdup(fr[i].function) : NULL;
		out[i].file = fr[i].file ? strdup(fr[i].file) : NULL;
		out[i].module = fr[i].module ? strdup(fr[i].module) : NULL;
		out[i].line = fr[i].line;
		out[i].offset = fr[i].offset;
		if ((fr[i].function && !out[i].function) || (fr[i].file && !out[i].file) ||
		    (fr[i].module && !out[i].module))
			c->nomem = 1;
	}
	*n = (size_t)k;
	return out;
}

/* vs_shadow_thread_name_fn: a scenario thread's name is the function of
 * the outermost frame of its calls' stacks (its body; checker/stackloc.h) */
static int thread_name(void *ctx, uint32_t site, char *buf, size_t cap)
{
	vs_check *c = ctx;
	vs_db_frame fr[64];
	vs_error err;
	uint32_t id = 0;
	vs_error_init(&err);
	int k = c->stacks ? vs_db_stacks_site(c->stacks, c->cur_proc, site, &id, fr, 64, &err) : 0;
	if (k <= 0 || !fr[k - 1].function || !vs_check_scenario_file(fr[k - 1].file))
		return 0;
	snprintf(buf, cap, "%s", fr[k - 1].function);
	return 1;
}

/* rules whose finding is "the same code ran again": placed where the
 * second run's stack leaves the first's */
static int built_twice(vs_rule_id rule)
{
	return rule == VS_RULE_MODEL_BUILT_TWICE || rule == VS_RULE_AUTO_REUSE_OTHER_SITE;
}

/* a shared variable asked for with another shape or dtype by the very line
 * that created it (a helper such as linear() reached from two calls): the
 * call that passed the other input is where the two paths part */
static int same_call_other_input(vs_rule_id rule, const vs_check_frame *a, size_t na,
                                 const vs_check_frame *b, size_t nb)
{
	if (rule != VS_RULE_SHAPE_MISMATCH && rule != VS_RULE_DTYPE_MISMATCH)
		return 0;
	if (!na || !nb)
		return 0;
	if (a[0].module || b[0].module) /* machine frames: the same instruction */
		return a[0].module && b[0].module && a[0].offset == b[0].offset &&
		       !strcmp(a[0].module, b[0].module);
	return a[0].line == b[0].line && a[0].file && b[0].file && !strcmp(a[0].file, b[0].file);
}

static void on_finding(void *ctx, const vs_shadow_finding *sf)
{
	vs_check *c = ctx;
	if (sf->rule == VS_RULE_TRACE_LOSSY)
		c->cur_lost_seen = 1;
	const char *file = sf->file, *function = sf->function;
	int line = sf->line;
	if (c->stacks && sf->site) {
		c->pend = load_frames(c, sf->site, &c->npend, &c->pend_stack);
		if (sf->other_site)
			c->pend_rel = load_frames(c, sf->other_site, &c->npend_rel, NULL);
		if ((built_twice(sf->rule) ||
		     same_call_other_input(sf->rule, c->pend_rel, c->npend_rel, c->pend,
		                           c->npend)) &&
		    !sf->relocated && c->npend && c->npend_rel) {
			size_t k = vs_check_stack_divergence(c->pend_rel, c->npend_rel, c->pend,
			                                     c->npend);
			if (c->pend[k].file && c->pend[k].line > 0) {
				file = c->pend[k].file;
				line = c->pend[k].line;
				function = c->pend[k].function;
			}
		}
	}
	keep(c, sf->rule, sf->message, file ? file : c->cur_trace, file ? line : 0, function,
	     sf->scope, sf->variable, sf->tid, sf->seq);
	pend_clear(c);
}

vs_check *vs_check_new(vs_rule_set *rs)
{
	vs_check *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->rs = rs;
	c->shadow = vs_shadow_new(resolve_current, c, on_finding, c);
	if (c->shadow)
		vs_shadow_set_thread_names(c->shadow, thread_name, c);
	c->dedup = vs_check_map_new(sizeof(size_t));
	c->inl = vs_inline_new();
	if (!c->shadow || !c->dedup || !c->inl) {
		vs_check_free(c);
		return NULL;
	}
	vs_shadow_set_max_created(c->shadow, vs_rule_set_option(rs, VS_RULE_CREATOR_MULTIPLE));
	c->progress_every = UINT64_MAX;
	return c;
}

void vs_check_free(vs_check *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		finding_release(&c->f[i]);
	free(c->f);
	for (size_t i = 0; i < c->n_traces; i++) {
		free(c->traces[i]);
		free(c->anchors[i].file);
	}
	free(c->traces);
	free(c->anchors);
	vs_check_map_free(c->dedup);
	vs_inline_free(c->inl);
	vs_shadow_free(c->shadow);
	free(c);
}

static int add_trace_name(vs_check *c, const char *label, vs_error *err)
{
	if (VS_GROW(c->traces, c->cap_traces, c->n_traces + 1) < 0 ||
	    VS_GROW(c->anchors, c->cap_anchors, c->n_traces + 1) < 0)
		return vs_error_nomem(err);
	memset(&c->anchors[c->n_traces], 0, sizeof c->anchors[0]);
	c->traces[c->n_traces] = strdup(label);
	if (!c->traces[c->n_traces])
		return vs_error_nomem(err);
	c->cur_trace = c->traces[c->n_traces++];
	c->sum.traces++;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void note_peaks(vs_check *c)
{
	vs_shadow_stats st;
	vs_shadow_stats_get(c->shadow, &st);
	if (st.variables > c->sum.peak_variables)
		c->sum.peak_variables = st.variables;
	if (st.threads > c->sum.peak_threads)
		c->sum.peak_threads = st.threads;
}

/* a SITE event: its file may hold inline suppressions; the first call site
 * in main() (else the first one) of the current trace anchors its
 * trace-level findings */
static void note_site(vs_check *c, const vs_event *ev)
{
	struct anchor *a = &c->anchors[c->n_traces - 1];
	const char *file, *fn;
	if (!c->cur_resolve)
		return;
	file = c->cur_resolve(c->cur_rctx, ev->site_def.file);
	fn = c->cur_resolve(c->cur_rctx, ev->site_def.function);
	if (!file || !*file)
		return;
	if (vs_inline_note_file(c->inl, file) < 0)
		c->nomem = 1;
	if (a->in_main)
		return;
	int in_main = fn && strcmp(fn, "main") == 0;
	if (a->file && !in_main)
		return;
	char *copy = strdup(file);
	if (!copy) {
		c->nomem = 1;
		return;
	}
	free(a->file);
	a->file = copy;
	a->line = (int)ev->site_def.line;
	a->in_main = in_main;
}

int vs_check_events(vs_check *c, const char *label, const vs_event *ev, size_t n,
                    vs_shadow_resolve_fn resolve, void *rctx, vs_error *err)
{
	int rc = add_trace_name(c, label, err);
	if (rc < 0)
		return rc;
	double t0 = now_s();
	c->cur_resolve = resolve;
	c->cur_rctx = rctx;
	c->cur_proc = 1;
	vs_shadow_reset(c->shadow);
	vs_shadow_set_quiet(c->shadow, 0);
	for (size_t i = 0; i < n; i++) {
		if ((rc = vs_shadow_apply(c->shadow, &ev[i], err)) < 0)
			return rc;
		if (ev[i].kind == VS_EV_SITE)
			note_site(c, &ev[i]);
		if (c->progress && (c->sum.events + i + 1) % c->progress_every == 0)
			c->progress(c->progress_ctx, c->cur_trace, c->sum.events + i + 1);
	}
	vs_shadow_finish(c->shadow, 0);
	note_peaks(c);
	c->sum.events += n;
	c->sum.processes++;
	c->sum.seconds += now_s() - t0;
	if (c->nomem)
		return vs_error_nomem(err);
	return 0;
}

/* ------------------------------------------------------------ traces */

typedef struct db_ctx {
	vs_db_reader *r;
	uint32_t proc;
} db_ctx;

static const char *resolve_db(void *ctx, uint32_t id)
{
	db_ctx *d = ctx;
	return vs_db_reader_string(d->r, d->proc, id);
}

static int find_proc(vs_db_reader *r, uint32_t proc, vs_db_process *out, vs_error *err)
{
	uint32_t n = vs_db_reader_process_count(r);
	for (uint32_t i = 0; i < n; i++) {
		int rc = vs_db_reader_process(r, i, out, err);
		if (rc < 0)
			return rc;
		if (out->proc == proc)
			return 0;
	}
	return VS_ERR_NOT_FOUND;
}

/* replays proc's events up to max_seq (0 = all), after its fork ancestors */
static int replay(vs_check *c, db_ctx *d, const vs_db_process *p, uint64_t max_seq, int depth,
                  vs_error *err)
{
	int ret = 0;
	vs_db_cursor *cur = NULL;
	vs_event ev;
	if (p->parent_proc && p->fork_seq) {
		vs_db_process parent;
		if (depth > 64)
			return vs_error_set(err, VS_ERR_FORMAT,
			                    "'%s': fork chain too deep (cycle?)", c->cur_trace);
		if (find_proc(d->r, p->parent_proc, &parent, err) >= 0) {
			ret = replay(c, d, &parent, p->fork_seq, depth + 1, err);
			if (ret < 0)
				return ret;
		}
	}
	vs_shadow_set_quiet(c->shadow, depth > 0);
	d->proc = p->proc;
	ret = vs_db_cursor_open(d->r, &cur, p->proc, max_seq, err);
	if (ret < 0)
		return ret;
	while ((ret = vs_db_cursor_next(cur, &ev, err)) == 1) {
		if ((ret = vs_shadow_apply(c->shadow, &ev, err)) < 0)
			break;
		if (ev.kind == VS_EV_SITE)
			note_site(c, &ev);
		if (++c->sum.events % c->progress_every == 0 && c->progress)
			c->progress(c->progress_ctx, c->cur_trace, c->sum.events);
	}
	vs_db_cursor_close(cur);
	vs_shadow_set_quiet(c->shadow, 0);
	return ret < 0 ? ret : 0;
}

/* the status bits and trace-level findings of one replayed process */
static void process_status(vs_check *c, const char *path, const vs_db_process *pp, unsigned *status)
{
	const vs_db_process p = *pp;
	int truncated = p.truncated || p.signal;
	char msg[256];
	if (p.lost) {
		*status |= VS_CHECK_LOSSY;
		if (!c->cur_lost_seen) {
			snprintf(msg, sizeof msg, "process %u (pid %lld) lost %llu events", p.proc,
			         (long long)p.pid, (unsigned long long)p.lost);
			keep(c, VS_RULE_TRACE_LOSSY, msg, path, 0, "", "", "", 0, 0);
		}
	} else if (c->cur_lost_seen) {
		*status |= VS_CHECK_LOSSY;
	}
	if (truncated) {
		*status |= VS_CHECK_TRUNCATED;
		if (p.signal)
			snprintf(msg, sizeof msg,
			         "process %u (pid %lld) was killed by signal %d: the trace "
			         "ends "
			         "mid-run",
			         p.proc, (long long)p.pid, p.signal);
		else
			snprintf(msg, sizeof msg,
			         "process %u (pid %lld) did not finish its events: the "
			         "trace is "
			         "truncated",
			         p.proc, (long long)p.pid);
		keep(c, VS_RULE_TRACE_TRUNCATED, msg, path, 0, "", "", "", 0, 0);
	}
}

int vs_check_trace(vs_check *c, const char *path, unsigned *status, vs_error *err)
{
	int ret = 0;
	vs_db_reader *r = NULL;
	db_ctx d;
	double t0 = now_s();

	uint64_t events0 = c->sum.events;
	*status = 0;
	ret = vs_db_reader_open(&r, path, err);
	if (ret < 0)
		return ret;
	ret = add_trace_name(c, path, err);
	if (ret < 0)
		goto cleanup;
	ret = vs_db_stacks_open(r, &c->stacks, err);
	if (ret < 0)
		goto cleanup;
	vs_error_init(&c->stack_err);
	d.r = r;
	d.proc = 0;
	c->cur_resolve = resolve_db;
	c->cur_rctx = &d;
	uint32_t np = vs_db_reader_process_count(r);
	for (uint32_t i = 0; i < np; i++) {
		vs_db_process p;
		ret = vs_db_reader_process(r, i, &p, err);
		if (ret < 0)
			goto cleanup;
		c->cur_proc = p.proc;
		c->cur_lost_seen = 0;
		vs_shadow_reset(c->shadow);
		ret = replay(c, &d, &p, 0, 0, err);
		if (ret < 0)
			goto cleanup;
		int truncated = p.truncated || p.signal;
		vs_shadow_finish(c->shadow, truncated);
		note_peaks(c);
		c->sum.processes++;
		process_status(c, path, &p, status);
	}
	if (c->sum.events == events0)
		*status |= VS_CHECK_EMPTY;
	if (!vs_db_reader_complete(r)) {
		*status |= VS_CHECK_INCOMPLETE;
		keep(c, VS_RULE_TRACE_TRUNCATED,
		     "the recording stopped early (the recorder did not finish the trace): events "
		     "after its last commit are missing and their number is unknown",
		     path, 0, "", "", "", 0, 0);
	}
	if (c->stack_err.code)
		ret = vs_error_copy(err, &c->stack_err);
	if (c->nomem)
		ret = vs_error_nomem(err);
cleanup:
	c->cur_resolve = NULL;
	c->cur_rctx = NULL;
	c->sum.seconds += now_s() - t0;
	vs_db_stacks_close(c->stacks);
	c->stacks = NULL;
	vs_db_reader_close(r);
	return ret;
}

/* ------------------------------------------------------------ results */

void vs_check_set_progress(vs_check *c, vs_check_progress_fn *fn, void *ctx, uint64_t every)
{
	c->progress = fn;
	c->progress_ctx = ctx;
	c->progress_every = fn && every ? every : UINT64_MAX;
}

void vs_check_set_baseline(vs_check *c, vs_rule_baseline *b) { c->baseline = b; }

/* some rule matched by spec (NULL = every rule) is on: a suppression of
 * rules that are all off cannot be used, so it is not "unused" */
static int spec_enabled(const vs_rule_set *rs, const char *spec)
{
	for (int i = 0; i < VS_RULE__COUNT; i++)
		if ((!spec || vs_rule_matches((vs_rule_id)i, spec)) &&
		    vs_rule_set_level(rs, (vs_rule_id)i) != VS_LEVEL_OFF)
			return 1;
	return 0;
}

/* some rule of a comma/space-separated list of specs is on */
static int specs_enabled(const vs_rule_set *rs, const char *list)
{
	char spec[64];
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ", \t");
		if (n > 0 && n < sizeof spec) {
			memcpy(spec, p, n);
			spec[n] = '\0';
			if (spec_enabled(rs, spec))
				return 1;
		}
		p += n;
		p += strspn(p, ", \t");
	}
	return 0;
}

/* VS004 for inline suppressions that silenced nothing (or cannot: no
 * reason, no such rule), in every source file of the checked programs */
static void unused_inline(vs_check *c)
{
	char msg[512];
	if (vs_inline_load_all(c->inl) < 0) {
		c->nomem = 1;
		return;
	}
	for (size_t i = 0; i < vs_inline_count(c->inl); i++) {
		const vs_inline_supp *s = vs_inline_at(c->inl, i);
		if (!*s->reason)
			snprintf(msg, sizeof msg,
			         "inline suppression of %s has no reason ('-- why'): it silences "
			         "nothing",
			         *s->rules ? s->rules : "no rule");
		else if (s->bad_rule)
			snprintf(msg, sizeof msg, "inline suppression names no known rule ('%s')",
			         s->rules);
		else if (!s->used && specs_enabled(c->rs, s->rules))
			snprintf(msg, sizeof msg,
			         "inline suppression of %s (%s) silenced nothing: delete it",
			         s->rules, s->reason);
		else
			continue;
		const char *file = s->file;
		int line = s->line;
		keep(c, VS_RULE_UNUSED_SUPPRESSION, msg, file, line, "", "", "", 0, 0);
	}
}

int vs_check_finish(vs_check *c, vs_error *err)
{
	char msg[512];
	if (c->finished)
		return 0;
	c->finished = 1;
	c->cur_trace = NULL;
	c->cur_proc = 0;
	if (c->baseline) {
		for (size_t i = 0; i < c->n; i++) {
			vs_check_finding *f = &c->f[i];
			for (unsigned long k = 0; k < f->count; k++)
				if (vs_rule_baseline_take(c->baseline, vs_rule_get(f->rule)->code,
				                          f->file, f->function, f->variable))
					f->baselined = 1;
		}
		for (size_t i = 0; i < vs_rule_baseline_count(c->baseline); i++) {
			const char *code, *file, *fn, *var;
			unsigned long left, total;
			vs_rule_baseline_entry(c->baseline, i, &code, &file, &fn, &var, &left,
			                       &total);
			if (!left)
				continue;
			snprintf(msg, sizeof msg,
			         "baseline entry %s %s%s%s%s matched %lu of %lu findings: "
			         "regenerate the "
			         "baseline",
			         code, *var ? "'" : "", var, *var ? "' in " : "in ",
			         *fn ? fn : file, total - left, total);
			keep(c, VS_RULE_STALE_BASELINE, msg, file, 0, fn, "", var, 0, 0);
		}
	}
	unused_inline(c);
	for (size_t i = 0; i < vs_rule_set_suppression_count(c->rs); i++) {
		const vs_suppression *s = vs_rule_set_suppression_at(c->rs, i);
		if (s->used || !spec_enabled(c->rs, s->rule))
			continue;
		snprintf(msg, sizeof msg, "suppression (%s) silenced nothing: delete it",
		         s->reason);
		keep(c, VS_RULE_UNUSED_SUPPRESSION, msg, vs_rule_set_config_path(c->rs), s->line,
		     "", "", "", 0, 0);
	}
	for (size_t i = 0; i < c->n; i++) {
		vs_check_finding *f = &c->f[i];
		for (size_t t = 0; f->trace && t < c->n_traces; t++)
			if (c->traces[t] == f->trace && strcmp(f->file, f->trace) == 0) {
				f->anchor_file = c->anchors[t].file;
				f->anchor_line = c->anchors[t].line;
			}
		if (f->baselined) {
			c->sum.baselined += f->count;
			continue;
		}
		c->sum.by_level[f->level] += f->count;
		c->sum.by_rule[f->rule] += f->count;
	}
	return c->nomem ? vs_error_nomem(err) : 0;
}

size_t vs_check_count(const vs_check *c) { return c->n; }

const vs_check_finding *vs_check_at(const vs_check *c, size_t i)
{
	return i < c->n ? &c->f[i] : NULL;
}

int vs_check_baseline_fill(const vs_check *c, vs_rule_baseline *b, vs_error *err)
{
	for (size_t i = 0; i < c->n; i++) {
		const vs_check_finding *f = &c->f[i];
		if (f->rule == VS_RULE_STALE_BASELINE || f->rule == VS_RULE_UNUSED_SUPPRESSION)
			continue;
		int rc = vs_rule_baseline_add(b, vs_rule_get(f->rule)->code, f->file, f->function,
		                              f->variable, f->count, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int vs_check_write_findings(const vs_check *c, const char *path, vs_error *err)
{
	size_t n = 0;
	vs_db_finding *rows = calloc(c->n ? c->n : 1, sizeof *rows);
	if (!rows)
		return vs_error_nomem(err);
	for (size_t i = 0; i < c->n; i++) {
		const vs_check_finding *f = &c->f[i];
		if (!f->trace || strcmp(f->trace, path) != 0 || f->baselined)
			continue;
		const vs_rule *r = vs_rule_get(f->rule);
		rows[n++] = (vs_db_finding){
			.code = r->code,
			.name = r->name,
			.severity = vs_level_name(f->level),
			.message = f->message,
			.file = f->file,
			.line = f->line,
			.function = f->function,
			.scope = f->scope,
			.proc = f->proc,
			.tid = f->tid,
			.seq = f->seq,
			.stack = f->stack,
		};
	}
	int rc = vs_db_findings_write(path, rows, n, err);
	free(rows);
	return rc;
}

void vs_check_summary_get(const vs_check *c, vs_check_summary *out) { *out = c->sum; }

vs_level vs_check_max_level(const vs_check *c)
{
	vs_level m = VS_LEVEL_OFF;
	for (size_t i = 0; i < c->n; i++)
		if (!c->f[i].baselined && c->f[i].level > m)
			m = c->f[i].level;
	return m;
}
