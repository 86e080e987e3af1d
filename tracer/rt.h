/* SPDX-License-Identifier: MIT */
/*
 * tracer/rt.h - libvs's internal model: the object layouts shared by the
 * runtime's modules and their internal entry points.
 *
 * Ownership: every model object (graph, variable, scope, op, template, eager
 * store, getter node, copied option) is allocated through rt_obj_new and
 * lives in the runtime registry until vs_runtime_reset/shutdown.  A vs_cm is
 * allocated by rt_cm_new in its enter call and freed by vs_exit (or at
 * reset).  Per-thread state (rt_tls) is owned by its thread and freed by the
 * thread-exit destructor.
 *
 * Locking: the registry and the global graph under rt_global_mu; a graph
 * family's op names and collections under its root graph's mu; a variable
 * store under its own mu.  No lock is held while user callbacks (getters,
 * creators, regularizers, partitioners, template functions) run.
 *
 * Lock order (a lock is only ever taken while holding locks above it):
 *   1. rt_global_mu   (tracer/runtime.c: registry, options, global graph)
 *   2. vs_graph.mu    (any graph; never two at once outside fork)
 *   3. rt_store.mu    (any store; never two at once outside fork)
 *   4. vs_template.mu (any template; never two at once outside fork)
 *   5. g_cm_mu        (tracer/context.c: live context managers)
 *   6. g_attach_mu    (tracer/emit.c: sink attach/detach)
 *   7. g_site_mu      (tracer/emit.c: call-site table)
 *   7b. g_stack_mu    (tracer/stack.c: stack nodes, module table)
 *   8. g_intern_mu    (tracer/emit.c: string table)
 *   9. sink locks     (memsink mu, ring str_mu: leaves, taken by the sink
 *                      callbacks run under 6-8 and by emission)
 * Nesting that occurs outside fork: graph mu -> g_intern_mu (names.c interns
 * a unique name), g_attach_mu -> g_site_mu -> g_intern_mu (attach replay),
 * g_site_mu -> g_intern_mu (new site), 6/7/8 -> sink locks (callbacks).
 * rt_global_mu, store, template and cm locks are leaves in normal operation;
 * nothing that allocates a registry object runs under a graph mu.
 * rt_fork_prepare (tracer/thread.c; registered once by tracer/emit.c, the
 * process's only pthread_atfork registration) takes 1-8 in this order,
 * graphs, stores and templates enumerated through the registry; the parent
 * handler releases them, the child re-initialises them.  Sink locks other
 * than the ring's str_mu (re-initialised by its fork_child callback) are the
 * sink's own business.
 */
#ifndef VS_TRACER_RT_H
#define VS_TRACER_RT_H

#include <pthread.h>
#include <stdatomic.h>

#include "tracer/emit.h"
#include "tracer/map.h"
#include "vs/error.h"
#include "vs/event.h"
#include "vs/internal/util.h"
#include "vs/vs.h"

/* ---- registry (tracer/runtime.c) ---------------------------------------- */
/* A zeroed object owned by the registry; dtor (may be NULL) runs at reset. */
void *rt_obj_new(size_t size, void (*dtor)(void *));
/* Kinds of registry object that own a mutex, in lock order. */
typedef enum rt_lock_rank { RT_LK_NONE, RT_LK_GRAPH, RT_LK_STORE, RT_LK_TEMPLATE } rt_lock_rank;
/* rt_obj_new for an object whose pthread_mutex_t sits at byte mu_off: the
 * mutex is initialised here, before the object is published, and the fork
 * handlers take/release/re-initialise it (see "Lock order" above). */
void *rt_obj_new_mu(size_t size, void (*dtor)(void *), rt_lock_rank rank, size_t mu_off);
/* Fork handling of rt_global_mu and every object mutex: PREPARE locks them
 * in rank order, PARENT unlocks them, CHILD re-initialises them and repairs
 * store state left by the vanished threads (tid: the forking thread's id). */
void rt_registry_atfork(rt_fork_phase phase, uint32_t tid);
/* The single set of pthread_atfork handlers (tracer/thread.c). */
void rt_fork_prepare(void);
void rt_fork_parent(void);
void rt_fork_child(void);
/* Registry-owned copies (NULL in -> NULL out; NULL on OOM sets *nomem). */
const vs_initializer *rt_initializer_dup(const vs_initializer *i, int *nomem);
const vs_regularizer *rt_regularizer_dup(const vs_regularizer *r, int *nomem);
const vs_partitioner *rt_partitioner_dup(const vs_partitioner *p, int *nomem);
const vs_constraint *rt_constraint_dup(const vs_constraint *c, int *nomem);

extern pthread_mutex_t rt_global_mu;
extern vs_runtime_opts rt_global_opts; /* eager / use_resource defaults */
extern int rt_global_used;             /* model state exists: configure is too late */

typedef struct rt_ids {
	_Atomic uint32_t graph, scope, var, op, tmpl, store, cm, call, tape;
} rt_ids;
extern rt_ids rt_global_ids;

/* ---- variable stores ----------------------------------------------------- */
typedef struct vs_var_store { /* the public vs_var_store */
	uint32_t id;
	int store_eager; /* _store_eager_variables */
	pthread_mutex_t mu;
	rt_map vars;           /* store key -> vs_var * */
	rt_map parts;          /* partitioned key -> vs_var * */
	rt_map pending;        /* store key -> tid creating it now (0 = none) */
	_Atomic int has_part0; /* some key ends in "/part_0" (gates a lookup) */
	pthread_cond_t cv;     /* signalled when a pending creation ends */
} rt_store;
rt_store *rt_store_new(int store_eager);
/* In a fork child: a fresh condition variable, and no key stays reserved by
 * a thread other than tid (those threads do not exist in the child). */
void rt_store_fork_child(rt_store *s, uint32_t tid);

/* ---- graphs -------------------------------------------------------------- */
typedef struct rt_collection {
	rt_istr key;
	rt_vec items; /* vs_var * */
} rt_collection;

struct vs_graph {
	uint32_t id;
	rt_istr name;
	int building_function;
	vs_graph *outer;    /* function graphs: the graph traced in (eager: the global graph) */
	vs_graph *root;     /* owner of the shared store/varscope state: self or outer's root */
	pthread_mutex_t mu; /* names and this graph's collections */
	rt_map names;       /* lower-cased name -> count (names_in_use) */
	rt_collection *colls;
	size_t ncolls, capcolls;
	rt_store *store;    /* root only */
	rt_store *override; /* root only: EagerVariableStore.as_default, under mu */
};

/* adds v to collection key of g (variable collections go to g's root) */
VS_MUST_CHECK int rt_collection_add(vs_graph *g, rt_istr key, vs_var *v);
/* a function graph's start: copies of the outer graph's collections except
 * the variable ones, which stay shared (FuncGraph.__init__) */
VS_MUST_CHECK int rt_collection_copy_outer(vs_graph *g);

/* ---- variables ----------------------------------------------------------- */
struct vs_var {
	uint32_t id;
	rt_istr name;    /* "foo/v:0"; partitioned: "foo/v" */
	rt_istr op_name; /* "foo/v" */
	rt_istr key;     /* store key or NULL */
	vs_shape shape;
	vs_dtype dtype;
	int trainable, resource, eager;
	vs_graph *graph;
	const vs_initializer *init;
	const vs_constraint *constraint;
	rt_istr caching_device;
	rt_istr device; /* placement at creation ("" none) */
	vs_op *init_op; /* variable.initializer (NULL eager / partitioned) */
	vs_site site;
	uint32_t birth_tid, birth_n; /* made by thread birth_tid as its birth_n-th */
	size_t nparts;
	vs_var **parts;
	int part_rank;
	int64_t partitions[VS_MAX_RANK];
};

/* ---- variable scopes ----------------------------------------------------- */
typedef struct rt_getter {
	vs_getter g;             /* label interned */
	struct rt_getter *outer; /* next getter to call (NULL: true getter) */
} rt_getter;

struct vs_varscope {
	uint32_t id;
	rt_istr name;
	rt_istr ons; /* original_name_scope */
	vs_reuse reuse;
	const vs_initializer *init;
	const vs_regularizer *reg;
	rt_istr caching;
	const vs_partitioner *part;
	rt_getter *getter;
	vs_dtype dtype;
	vs_tristate use_resource;
	const vs_constraint *constraint;
	int is_root; /* the (graph, thread) root scope object itself, not a copy */
};

vs_varscope *rt_varscope_root(void);

/* ---- creator stacks ------------------------------------------------------ */
typedef struct rt_creator_entry {
	int prio;
	vs_creator c; /* label interned */
} rt_creator_entry;

typedef struct rt_creator_stack {
	size_t n;
	rt_creator_entry e[];
} rt_creator_stack;

/* ---- per-thread state ---------------------------------------------------- */
/* state of one thread in one graph: name stack, control deps, cond/while; on
 * a root graph also the current variable scope, the scope-name counts and the
 * creator stack */
typedef struct rt_graph_thread {
	struct rt_graph_thread *next;
	vs_graph *g;
	rt_istr name_stack; /* no trailing '/', "" = root */
	rt_vec ctl_ops;     /* distinct control inputs in effect (vs_op *) */
	rt_vec devs;        /* device stack: merged device per entry (rt_istr) */
	int cflow;          /* cond/while depth */
	vs_varscope *scope; /* current variable scope */
	rt_map counts;      /* full scope name -> count */
	rt_creator_stack *creators;
} rt_graph_thread;

typedef struct rt_switch {
	int building_function;
	vs_graph *graph; /* NULL: the eager context */
} rt_switch;

typedef struct rt_site_cache {
	const char *file, *func;
	int line;
	uint32_t id;
	uint32_t stack; /* the call stack the site was reached through */
} rt_site_cache;

#define RT_SITE_CACHE 64

typedef struct rt_tls {
	/* emission */
	uint32_t tid;
	uint32_t gen; /* sink generation THREAD_START was sent for */
	uint32_t parent_tid, parent_scope_sid, parent_graph;
	int in_sink; /* inside ops->event: events from there are dropped */
	rt_site_cache sites[RT_SITE_CACHE];
	/* model */
	int ready;
	rt_vec gstack; /* vs_graph * (default-graph stack) */
	rt_switch *sw;
	size_t nsw, capsw;
	int is_eager;
	rt_istr eager_scope;            /* eager name scope, "" or "a/b/" */
	rt_vec eager_devs;              /* the eager context's device stack (rt_istr) */
	int tapes;                      /* active GradientTapes */
	int stop_depth;                 /* nested stop_recording */
	rt_graph_thread *graph_threads; /* all records (owned) */
	rt_map graph_thread_by_graph;   /* vs_graph * -> rt_graph_thread * */
	rt_vec tmpl;                    /* vs_template * being called */
	uint32_t created;               /* variables created by this thread */
	int exiting;
} rt_tls;

/* The calling thread's state (created on first use); NULL on OOM. */
rt_tls *rt_tls_get(void);
/* As rt_tls_get with the model part initialised (the default mode etc.). */
rt_tls *rt_tls_model(void);
/* Frees the calling thread's whole state (shutdown). */
void rt_tls_free_self(void);
/* resets the global graph (reset) */
void rt_context_reset(void);
/* Frees the calling thread's model state (reset). */
void rt_tls_reset_model(rt_tls *t);

/* the per-(graph, thread) state; NULL on OOM */
rt_graph_thread *rt_graph_thread_get(rt_tls *t, vs_graph *g);
/* the (root graph, thread) state holding varscope and creators */
rt_graph_thread *rt_graph_thread_root(rt_tls *t, vs_graph *g);

/* ---- contexts (tracer/context.c) ----------------------------------------- */
vs_graph *rt_graph_default(rt_tls *t);
uint32_t rt_event_graph(void); /* event graph field: default graph id or 0 eager */

/* pushes/pops g as default (graph.as_default) */
VS_MUST_CHECK int rt_graph_push(rt_tls *t, vs_graph *g);
VS_MUST_CHECK int rt_switch_push(rt_tls *t, int building_function, vs_graph *g);
/* graph.as_default's exit: restores the eager flag, pops the switch and the
 * stack (VS_TFE_STACK_NESTING when g is not on top); emits CTX_POP */
VS_MUST_CHECK int rt_graph_pop(rt_tls *t, uint32_t sid, vs_graph *g, int old_eager, uint32_t cm,
                               vs_error *err);

/* init_scope, internal form */
typedef struct rt_init_scope {
	int active;
	int eager_fast;
	int pushed_graph; /* graph pushed on the stack (and a switch) */
	int pushed_eager; /* eager switch pushed */
	int old_eager;
	vs_graph *target;              /* NULL eager */
	rt_graph_thread *graph_thread; /* the target graph's (graph target) */
	rt_istr old_ns;                /* target's name stack / eager scope before */
	rt_vec saved_ctl;              /* target's control inputs, restored on exit */
	rt_vec saved_devs;             /* target's device stack, restored on exit */
	int swapped_devs;              /* the target's device stack was replaced */
	int old_cflow;
	uint32_t cm;
	int lifted, fallback;
} rt_init_scope;
VS_MUST_CHECK int rt_init_scope_enter(rt_tls *t, uint32_t site, rt_init_scope *s, vs_error *err);
void rt_init_scope_exit(rt_tls *t, uint32_t site, rt_init_scope *s);

/* ---- devices (tracer/device.c) ------------------------------------------- */
/* the device of a stack's top entry ("" for an empty stack) */
rt_istr rt_device_top(const rt_vec *devs);
/* the device new ops get in the current context */
rt_istr rt_device_current(rt_tls *t);
/* tf.device's exit: the stack back to its size at entry */
void rt_device_exit(rt_tls *t, vs_cm *cm);

/* ---- names (tracer/names.c) ---------------------------------------------- */
typedef struct rt_name_scope {
	int active;
	int eager;
	rt_graph_thread *graph_thread;
	rt_istr old;      /* previous name stack (graph) or eager scope */
	rt_istr resolved; /* "foo_1/" or "" */
	uint32_t cm;
} rt_name_scope;
/* Enters name_scope(name, default_name) in the current context (no values
 * argument); changes nothing when it fails. */
VS_MUST_CHECK int rt_name_scope_enter(rt_tls *t, uint32_t site, rt_name_scope *ns, const char *name,
                                      const char *default_name, uint32_t cm, vs_error *err);
void rt_name_scope_exit(rt_tls *t, uint32_t site, rt_name_scope *ns);
/* an op of type named name (NULL: the type) in the current context, as
 * vs_op does; sid is the call site */
VS_MUST_CHECK int rt_op_new(rt_tls *t, uint32_t sid, vs_op **out, const char *type,
                            const char *name, vs_error *err);
/* current name scope, no trailing '/', interned */
rt_istr rt_name_scope_current(rt_tls *t);

/* ---- errors (tracer/runtime.c) ------------------------------------------- */
/* Sets err, emits VS_EV_ERROR (error.tf_error = tf_error, VS_TFE_NONE for an
 * error TensorFlow does not catalogue) and returns code. */
int rt_raise(uint32_t site, vs_error *err, int code, enum vs_tf_error tf_error, const char *fmt,
             ...) VS_PRINTF(5, 6);
/* emits VS_EV_ERROR for an error already in err */
void rt_raised(uint32_t site, const vs_error *err, enum vs_tf_error tf_error);

/* ---- variable scopes (tracer/varscope.c) ---------------------------------- */
vs_varscope *rt_varscope_current(rt_tls *t);
typedef struct rt_pure_scope {
	int active;
	int captured;
	rt_graph_thread *graph_thread;
	vs_varscope *scope, *old;
	rt_map snapshot;
	uint32_t cm;
} rt_pure_scope;
typedef struct rt_pure_scope_args {
	const char *name;          /* string path */
	vs_varscope *captured;     /* captured path */
	vs_reuse reuse;            /* INHERIT / TRUE / AUTO */
	const vs_varscope_opts *o; /* overrides (may be NULL) */
	rt_istr old_name_scope;    /* NULL = not given */
	int dtype_f32_default;     /* _pure_variable_scope's dtype=float32 default */
	/* event payload */
	const char *ev_requested;
	vs_reuse ev_reuse_asked;
	rt_istr ev_ns; /* name scope opened, NULL none */
	unsigned ev_flags;
} rt_pure_scope_args;
/* _pure_variable_scope.__enter__ (no name scope, no events; the caller
 * emits VARSCOPE_ENTER); changes nothing when it fails */
VS_MUST_CHECK int rt_pure_scope_enter(rt_tls *t, uint32_t site, rt_pure_scope *p,
                                      const rt_pure_scope_args *a, vs_error *err);
/* __exit__: VS_TFE_SCOPE_NESTING when p's scope is not current (state then
 * unchanged and p still active, so a later exit in the right order works);
 * zeroes the counters below a string scope / restores a captured one's */
int rt_pure_scope_exit(rt_tls *t, uint32_t site, rt_pure_scope *p, vs_error *err);
/* _get_unique_variable_scope(prefix) */
rt_istr rt_varscope_unique_name(rt_tls *t, const char *prefix);

/* variable_scope(...) entry used by the public call and templates */
typedef struct rt_varscope_cm {
	int graph_pushed;
	vs_graph *graph;
	int old_eager;
	rt_name_scope ns;
	rt_pure_scope pure;
} rt_varscope_cm;
/* variable_scope.__enter__ (graph push, name scope, pure scope, events);
 * unwinds what it entered when it fails */
VS_MUST_CHECK int rt_varscope_enter(rt_tls *t, uint32_t site, rt_varscope_cm *c, const char *name,
                                    const vs_varscope_opts *opts, uint32_t cm, vs_error *err);
/* __exit__: pure scope, name scope, graph, in that order, all attempted (as
 * TF's try/finally chain); a failed pure-scope exit leaves the pure scope
 * entered: calling this again retries it alone (the others are done) */
int rt_varscope_exit(rt_tls *t, uint32_t site, rt_varscope_cm *c, vs_error *err);

/* ---- creators / getters / store ----------------------------------------- */
typedef struct rt_create_ctx {
	rt_istr store_key; /* NULL for a direct Variable() */
	int shard;         /* a partition of a partitioned variable */
	vs_site site;
	uint32_t site_id;
} rt_create_ctx;
/* runs the creator chain with args (VariableV1 / tf.Variable) */
VS_MUST_CHECK int rt_variable_create(rt_tls *t, vs_var **out, const vs_creator_args *args,
                                     const rt_create_ctx *cc, vs_error *err);

/* eager store objects */
struct vs_eager_store {
	uint32_t id;
	rt_store *store;
};

uint32_t rt_template_current_id(rt_tls *t); /* template being called, 0 none */
/* f(signature) as vs_function_call (err non-NULL) */
VS_MUST_CHECK int rt_function_call(rt_tls *t, vs_site site, uint32_t sid, vs_function *f,
                                   const char *signature, void *call_arg, vs_error *err);
/* '  File "f", line n, in fn' for a site ('' when unknown) */
void rt_frame_format(vs_site s, char *buf, size_t n);

/* ---- context managers ---------------------------------------------------- */
typedef enum rt_cm_kind {
	RT_CM_GRAPH = 1,
	RT_CM_EAGER,
	RT_CM_GRAPH_MODE,
	RT_CM_INIT_SCOPE,
	RT_CM_CONTROL_DEPS,
	RT_CM_COND,
	RT_CM_WHILE,
	RT_CM_TAPE,
	RT_CM_STOP_REC,
	RT_CM_NAME_SCOPE,
	RT_CM_VARSCOPE,
	RT_CM_CREATOR,
	RT_CM_EAGER_STORE,
	RT_CM_DEVICE
} rt_cm_kind;

/* A context manager: its kind and the state its exit needs, one union
 * member per kind (read only the member of cm->kind). */
struct vs_cm {
	rt_cm_kind kind;
	uint32_t id;
	int exit_failed;           /* an exit raised and left the cm entered (vs_exit_at) */
	struct vs_cm *prev, *next; /* live cms (freed at reset if never exited) */
	union {
		struct { /* GRAPH (graph), EAGER, GRAPH_MODE */
			vs_graph *graph;
			int old_eager;
		} context;
		rt_init_scope init_scope;              /* INIT_SCOPE */
		struct {                               /* CONTROL_DEPS */
			rt_graph_thread *graph_thread; /* NULL when eager */
			size_t old_ctl;                /* inputs in effect before */
			rt_vec saved_ctl; /* control_dependencies(None): the inputs it cleared */
			int old_cflow;
			size_t n_inputs;
			int cleared;
		} control_deps;
		struct { /* COND, WHILE */
			rt_graph_thread *graph_thread;
			int old_cflow;
		} cflow;
		struct { /* TAPE */
			uint32_t id;
		} tape;
		struct {             /* STOP_REC */
			int stopped; /* this one stopped the tapes */
		} stop_recording;
		rt_name_scope name_scope; /* NAME_SCOPE */
		rt_varscope_cm varscope;  /* VARSCOPE */
		struct {                  /* CREATOR */
			rt_graph_thread *graph_thread;
			rt_creator_stack *old_stack, *new_stack;
			rt_istr label;
		} creator;
		struct {                               /* DEVICE */
			rt_graph_thread *graph_thread; /* NULL: the eager stack */
			size_t depth;                  /* the stack's size before */
		} device;
		struct { /* EAGER_STORE */
			vs_eager_store *store;
			rt_store *old_override;
			vs_graph *root;
		} eager_store;
	};
};

/* a fresh cm of kind (NULL on OOM); rt_cm_free releases it (NULL ok) */
vs_cm *rt_cm_new(rt_cm_kind kind);
void rt_cm_free(vs_cm *cm);
/* frees every cm never exited (reset) */
void rt_cm_free_all(void);
/* fork handling of the live-cm list lock (locked, unlocked, re-initialised) */
void rt_cm_atfork(rt_fork_phase phase);
int rt_creator_scope_exit(rt_tls *t, uint32_t site, vs_cm *cm, vs_error *err);
int rt_eager_store_exit(rt_tls *t, uint32_t site, vs_cm *cm, vs_error *err);
/* nonzero when v was made by this thread after its creation count was `before` */
static inline int rt_var_new_since(const rt_tls *t, const vs_var *v, uint32_t before)
{
	return v && v->birth_tid == t->tid && v->birth_n > before;
}
/* the outcome word (VS_OUT_*) of a call that returned rc and v, when this
 * thread's creation count was `before` as the call began */
static inline unsigned rt_call_outcome(const rt_tls *t, int rc, const vs_var *v, uint32_t before)
{
	return rc < 0                           ? VS_OUT_ERROR
	       : !v                             ? VS_OUT_OTHER
	       : rt_var_new_since(t, v, before) ? VS_OUT_CREATED
	                                        : VS_OUT_REUSED;
}

/* dtypes and shapes as TF prints and compares them (tracer/dtype.c) */
const char *rt_dtype_repr(vs_dtype dt, char *buf, size_t n); /* "<dtype: 'int32'>" */
int rt_shape_fully_defined(const vs_shape *s);
int rt_shape_compatible(const vs_shape *a, const vs_shape *b);
uint32_t rt_shape_str_id(const vs_shape *s); /* interned shape text for events (0 None) */
/* The arguments VAR_ARGS carries (vs/event.h); labels as given (NULL none),
 * packed from VS_VARG_PACK without the collections bit */
typedef struct rt_var_args {
	const vs_initializer *init;
	const char *regularizer, *constraint, *partitioner;
	const char *const *collections;
	const char *caching_device;
	uint32_t packed;
} rt_var_args;
/* VAR_ARGS after a call's GETVAR_ENTER / VARIABLE_ENTER, when any is given */
void rt_emit_var_args(uint32_t sid, uint32_t call, const rt_var_args *a);
/* VAR_INFO after v's VAR_CREATE */
void rt_emit_var_info(const vs_var *v, uint32_t sid);
/* interned initializer text for events (VS_INIT_TEXT in vs/event.h; 0 None) */
uint32_t rt_init_str_id(const vs_initializer *init);

#endif
