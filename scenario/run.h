/* SPDX-License-Identifier: MIT */
/*
 * scenario/run.h - the state of one run, shared by the executor (exec.c),
 * the thread scheduler (sched.c), the getter/creator behaviours (behave.c)
 * and the expectation checker (expect.c); internal to scenario/.
 *
 * The run owns the name bindings (`as:` results), the behaviours' call
 * counters, the report and the baton; all are shared by the scenario's
 * threads and guarded by the run's mutex.  A vs_scn_thr is touched only by
 * its own thread, except started/joined/finished (under the mutex).
 */
#ifndef VS_SCENARIO_RUN_H
#define VS_SCENARIO_RUN_H

#include <pthread.h>

#include "scenario/ast.h"

typedef struct vs_scn_exec vs_scn_exec;

/* The keyword arguments one getter/creator call received, as text (NULL
 * for None): the keys of vs_scn_recv_keys, in that order. */
enum { VS_SCN_RECV_N = 17 };
extern const char *const vs_scn_recv_keys[VS_SCN_RECV_N];
typedef struct vs_scn_received {
	char *v[VS_SCN_RECV_N];
} vs_scn_received;

/* a declared getter/creator at run time: the callbacks' user data */
typedef struct vs_scn_beh {
	vs_scn_exec *run;
	const vs_scn_behave *def;
	long long calls;       /* under run->mu */
	vs_scn_received *recv; /* per call, in call order (under run->mu) */
	size_t nrecv, caprecv;
	vs_getter getter; /* fn NULL for a not_callable getter */
	vs_creator creator;
} vs_scn_beh;

/* a function at run time: the template callback's user data */
typedef struct vs_scn_fn {
	vs_scn_exec *run;
	const vs_scn_func *def;
} vs_scn_fn;

/* the resolved arguments of one call (`args:`); names and values are
 * borrowed from the tree (or from an outer frame) */
typedef struct vs_scn_argframe {
	const char *const *names;
	const char **vals;
	size_t n;
} vs_scn_argframe;

/* one scenario thread (index 0 = main) */
typedef struct vs_scn_thr {
	vs_scn_exec *run;
	int idx;
	const char *name;
	const vs_scn_func *def; /* NULL for main */
	const char *fn;         /* the scenario function running (call sites and
	                         * symbolic frames name it): the thread's name, "main",
	                         * or a `functions:` entry (vs_scn_frame_push) */
	int call_line;          /* the call step whose function is about to run
	                         * (exec.c: exec_function's frame), else 0 */
	pthread_t th;
	int started, joined, finished;  /* under run->mu */
	struct vs_scn_thr *joining;     /* the thread it is joining (under run->mu) */
	struct vs_scn_argframe *frames; /* call arguments, innermost last */
	size_t nframes, capframes;
	vs_error err;       /* the error being propagated */
	int err_pending;    /* an uncaught error is unwinding */
	vs_scn_pos err_pos; /* where it was raised */
	int depth;          /* step lists being run (bodies, calls) */
} vs_scn_thr;

/* Step lists (bodies and function or template calls) nest at most this
 * deep on one thread at run time; deeper, the step raises RuntimeError
 * (Python's RecursionError is one), so no input can exhaust the stack.
 * The loader already rejects recursion and steps nested past 64 in one
 * list; this bounds chains of calls. */
#define VS_SCN_MAX_RUN_DEPTH 256

struct vs_scn_exec {
	const vs_scn *s;
	vs_scn_report *rep;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct vs_scn_binding *binds;
	size_t nbinds, capbinds;
	size_t *bind_idx;      /* hash index over binds: index + 1, 0 empty */
	size_t nbind_idx;      /* 0 or a power of two >= 2 * nbinds */
	const vs_var **seen;   /* hash set of the variables seen (NULL empty) */
	size_t nseen, capseen; /* capseen: 0 or a power of two >= 2 * nseen */
	vs_scn_beh *behaves;   /* parallel to s->behaves */
	vs_scn_fn *funcs;      /* parallel to s->funcs */
	vs_scn_thr *ts;        /* main + s->threads */
	size_t nts;
	int holder; /* deterministic: index of the thread holding the baton */
	int *from;  /* who handed the baton to thread i */
	int fatal;  /* a misuse of threads stops the run */
};

/* Runs a step list on thread ts (exec.c); < 0 with ts->err when an error
 * went uncaught. */
int vs_scn_exec_list(vs_scn_thr *ts, const vs_scn_list *l);

/* Call stacks of scenario events (docs/recording.md, "Call stacks"): a
 * symbolic frame for the calling place (file, line, the function running
 * there), pushed while callee runs; 1 when pushed (pop with
 * vs_scn_frame_pop), 0 past the depth limit. */
int vs_scn_frame_push(vs_scn_thr *ts, int line, const char *callee);
void vs_scn_frame_pop(vs_scn_thr *ts, int pushed, const char *caller);

/* Fills b for the declared behaviour def (behave.c). */
void vs_scn_beh_init(vs_scn_beh *b, vs_scn_exec *r, const vs_scn_behave *def);

/* start:/join:/yield: of thread ts (sched.c); a misuse sets the run fatal. */
int vs_scn_sched_step(vs_scn_thr *ts, const vs_scn_step *st, vs_site site);
/* The end of main: joins every started, unjoined thread in order. */
void vs_scn_sched_join_all(vs_scn_exec *r);
/* nonzero once a thread misuse stopped the run */
int vs_scn_sched_fatal(vs_scn_exec *r);

/* What a step produced, for its expectations. */
typedef struct vs_scn_outcome {
	int rc;              /* 0 or the step's error code */
	const vs_error *err; /* the error when rc < 0 */
	vs_var *var;         /* variable result (get_variable, variable), or NULL */
	vs_op *op;           /* op result (op), or NULL */
	int has_var;         /* the step is one that yields a variable */
	int created;         /* var was not seen before in this run */
	const char *name;    /* the step's resolved name (op, name scope, scope, ...) */
	vs_varscope *scope;  /* the scope a variable_scope step entered */
	char namebuf[512];   /* storage for name when the runtime does not own it */
} vs_scn_outcome;

/* The object bound to name in namespace ns, or NULL when not bound (yet). */
void *vs_scn_run_lookup(vs_scn_exec *r, vs_scn_ns ns, const char *name);

/* Calls so far of the getters and creators named name. */
long long vs_scn_run_calls(vs_scn_exec *r, const char *name);

/* The value key had in call `call` (1-based; 0 = the last) of the getter or
 * creator named name, copied into buf (NULL: None); -1 when there was no
 * such call (behave.c). */
int vs_scn_run_received(vs_scn_exec *r, const char *name, long long call, const char *key,
                        char *buf, size_t n, const char **out);
/* frees what the behaviours recorded */
void vs_scn_beh_free(vs_scn_beh *b);

/* Appends a report entry (text formatted); thread is "main" or a thread name. */
void vs_scn_run_note(vs_scn_exec *r, const char *thread, vs_scn_entry_kind kind, vs_scn_pos pos,
                     const char *fmt, ...) VS_PRINTF(5, 6);

/* Adds n to the report's count of evaluated expectations. */
void vs_scn_run_count_checks(vs_scn_exec *r, size_t n);

/*
 * Checks the expectations of st against o and the current runtime state
 * and notes every failure.  Phase VS_SCN_PHASE_STATE checks everything but
 * `error` (for context steps: right after entering, before the body);
 * VS_SCN_PHASE_ERROR checks `error` against the step's final outcome and
 * returns 1 when the error was expected (it counts as handled), else 0.
 */
enum { VS_SCN_PHASE_STATE, VS_SCN_PHASE_ERROR };
int vs_scn_expect_check(vs_scn_exec *r, const char *thread, const vs_scn_step *st,
                        const vs_scn_outcome *o, int phase);

#endif /* VS_SCENARIO_RUN_H */
