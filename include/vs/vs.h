/* SPDX-License-Identifier: MIT */
/*
 * vs/vs.h - libvs, an instrumented C model of TensorFlow 1.x variable
 * sharing (TF 1.15 / tf.compat.v1 semantics, see docs/semantics.md).
 *
 * The model keeps TensorFlow's state, not its math: graphs, the eager
 * context, per-thread default-graph stacks and context-switch logs, name and
 * variable scopes, the per-graph variable store shared by all threads,
 * creator chains, custom getters, templates and eager stores.  Values and
 * shapes are metadata.
 *
 * Conventions
 *  - Every fallible call returns 0 or a negative vs_err (vs/error.h).  A
 *    failing call leaves TensorFlow's exception kind in err->code and its
 *    exact message in err->msg, and leaves the runtime state as it was.
 *  - Calls are variadic macros that capture the call site (file, line,
 *    function): vs_get_variable(...) expands to vs_get_variable_at(VS_HERE,
 *    ...), so compound-literal options with several designated fields can be
 *    written inline: &(vs_var_opts){.shape = VS_SHAPE(2), .dtype = VS_DT_INT32}.
 *  - Python context managers are enter calls that hand back a vs_cm; leave
 *    it with vs_exit(cm, err).  Exiting in the wrong order gives TF's
 *    nesting errors where TF has them.  A cm is freed by a vs_exit that
 *    succeeds; one whose exit failed stays entered, as in TF, and can be
 *    exited again later (docs/semantics.md section 3.4).
 *  - Objects (graphs, variables, scopes, templates, ops, eager stores) are
 *    owned by the runtime and stay valid until vs_runtime_reset() or
 *    vs_runtime_shutdown().  Strings returned by accessors likewise.
 *  - State is per thread where TF's is (scope stacks, default-graph stack,
 *    context switches, eager flag, tape) and shared where TF's is (the
 *    variable store and op names of a graph, collections); shared state is
 *    protected by mutexes.  All calls are thread-safe.
 *  - Option structs are zero-initialised by designated initialisers, and
 *    zero always means "not given" (Python None).
 */
#ifndef VS_VS_H
#define VS_VS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "vs/error.h"
#include "vs/event.h"

#ifdef __cplusplus
#include <initializer_list>
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Call sites
 */
typedef struct vs_site {
	const char *file; /* a string literal (__FILE__) or NULL */
	int line;
	const char *func; /* a string literal (__func__) or NULL */
} vs_site;

#ifdef __cplusplus
#define VS_HERE (vs_site{__FILE__, __LINE__, __func__})
#define VS_NOSITE (vs_site{NULL, 0, NULL})
#else
#define VS_HERE ((vs_site){__FILE__, __LINE__, __func__})
#define VS_NOSITE ((vs_site){NULL, 0, NULL})
#endif

/* ------------------------------------------------------------------------
 * Opaque handles (all owned by the runtime)
 */
typedef struct vs_graph vs_graph;             /* a Graph or a function-building graph */
typedef struct vs_cm vs_cm;                   /* an entered context manager */
typedef struct vs_var vs_var;                 /* a variable (or a PartitionedVariable) */
typedef struct vs_varscope vs_varscope;       /* a VariableScope object */
typedef struct vs_op vs_op;                   /* an operation (name and type only) */
typedef struct vs_template vs_template;       /* make_template's result */
typedef struct vs_eager_store vs_eager_store; /* an EagerVariableStore */
typedef struct vs_var_store vs_var_store;     /* a _VariableStore */
typedef struct vs_function vs_function;       /* a defun / tf.function object */

/* ------------------------------------------------------------------------
 * Values: tri-states, reuse, dtypes, shapes
 */
typedef enum vs_tristate { VS_UNSET = 0, VS_FALSE = 1, VS_TRUE = 2 } vs_tristate;

/* enum vs_reuse and enum vs_dtype are event payload values: vs/event.h */

/* "float32", ...; NULL for an invalid value */
VS_API const char *vs_dtype_name(vs_dtype dt);
/* the dtype named name ("float32", "int32", ...), or VS_DT_NONE */
VS_API vs_dtype vs_dtype_from_name(const char *name);

#define VS_MAX_RANK 8
#define VS_DIM_UNKNOWN (-1)

typedef struct vs_shape {
	int rank;                  /* -1: unknown rank */
	int64_t dims[VS_MAX_RANK]; /* VS_DIM_UNKNOWN for an unknown dimension */
} vs_shape;

/* VS_SHAPE(2, 3) -> pointer to a compound-literal shape (2, 3); VS_SCALAR -> ()
 * (C++: see "C++" below for how long the pointed-to shape lives) */
#ifndef __cplusplus
#define VS_SHAPE(...)                                                                   \
	(&(vs_shape){.rank = (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t)), \
	             .dims = {__VA_ARGS__}})
#define VS_SCALAR (&(vs_shape){.rank = 0})
#define VS_SHAPE_UNKNOWN_RANK (&(vs_shape){.rank = -1})
#endif

/*
 * Formats a shape the way TF 1.x prints it: "(2, 3)", "(2,)", "()", "(?, 3)",
 * "<unknown>" for unknown rank; NULL shape prints "None".  Returns the length
 * that would have been written (snprintf semantics).
 */
VS_API int vs_shape_format(const vs_shape *s, char *buf, size_t n);

/* ------------------------------------------------------------------------
 * Initializers, regularizers, partitioners, constraints (metadata only)
 */
typedef enum vs_init_kind {
	VS_INIT_NONE = 0, /* not given */
	VS_INIT_ZEROS,    /* callable initializers */
	VS_INIT_ONES,
	VS_INIT_CONSTANT, /* tf.constant_initializer(value): callable */
	VS_INIT_GLOROT_UNIFORM,
	VS_INIT_RANDOM_NORMAL,
	VS_INIT_RANDOM_UNIFORM,
	VS_INIT_TRUNCATED_NORMAL,
	VS_INIT_KERAS,  /* an instance of tf.keras.initializers.* */
	VS_INIT_LAMBDA, /* a callable with no arguments */
	VS_INIT_VALUE   /* a Tensor / Python value: NOT callable */
} vs_init_kind;

typedef struct vs_initializer {
	vs_init_kind kind;
	double value;          /* CONSTANT / VALUE: the value */
	vs_dtype dtype;        /* VALUE: the tensor's dtype; callables: their dtype arg */
	const vs_shape *shape; /* VALUE: the tensor's shape (NULL = scalar) */
} vs_initializer;

#ifndef __cplusplus
#define VS_INIT(k) (&(vs_initializer){.kind = (k)})
#define VS_INIT_CONST(v) (&(vs_initializer){.kind = VS_INIT_CONSTANT, .value = (v)})
#else
} /* extern "C" */
/*
 * C++: C's compound literals do not exist, so the literal macros make
 * temporaries that live until the end of the full expression: pass them
 * straight to a call (vs_get_variable(&v, "w", &o, &err) with o filled in
 * the same statement is not enough).  To keep one, hold a value:
 *   vs_shape s = vs_make_shape({2, 3});   o.shape = &s;
 */
inline vs_shape vs_make_shape(std::initializer_list<int64_t> dims)
{
	vs_shape s = {0, {0}};
	for (int64_t d : dims)
		if (s.rank < VS_MAX_RANK)
			s.dims[s.rank++] = d;
	return s;
}
inline vs_initializer vs_make_init(vs_init_kind k, double value)
{
	vs_initializer i = {k, value, VS_DT_NONE, NULL};
	return i;
}
template <class T> inline const T *vs_addr_of_temporary_(const T &t) { return &t; }
#define VS_SHAPE(...) vs_addr_of_temporary_(vs_make_shape({__VA_ARGS__}))
#define VS_SCALAR vs_addr_of_temporary_(vs_make_shape({}))
#define VS_SHAPE_UNKNOWN_RANK vs_addr_of_temporary_(vs_shape{-1, {0}})
#define VS_INIT(k) vs_addr_of_temporary_(vs_make_init((k), 0.0))
#define VS_INIT_CONST(v) vs_addr_of_temporary_(vs_make_init(VS_INIT_CONSTANT, (v)))
extern "C" {
#endif

/* initializer name as TF prints it: "zeros", "glorot_uniform", ... */
VS_API const char *vs_init_kind_name(vs_init_kind k);

/*
 * A regularizer: called once on creation with the new variable; returning
 * nonzero adds a loss to REGULARIZATION_LOSSES (TF: regularizer(v) is not
 * None).  fn NULL means "always adds a loss".
 */
typedef struct vs_regularizer {
	int (*fn)(void *ud, vs_var *v);
	void *ud;
	const char *label;
} vs_regularizer;

/*
 * A partitioner: fills parts[0..rank-1] with the number of partitions per
 * axis for shape/dtype and returns the number of entries written, or a
 * negative number for "not a sequence" (TF's "Partitioner must return a
 * sequence").  fn NULL makes the partitioner "not callable" (for E10).
 */
typedef struct vs_partitioner {
	int (*fn)(void *ud, const vs_shape *shape, vs_dtype dtype, int64_t *parts, int max_parts);
	void *ud;
	const char *label;
} vs_partitioner;

/* tf.fixed_size_partitioner(num_shards, axis) as a vs_partitioner */
VS_API vs_partitioner vs_fixed_size_partitioner(int num_shards, int axis);

/* A constraint is an opaque tag (never called). */
typedef struct vs_constraint {
	const char *label;
} vs_constraint;

typedef enum vs_sync { VS_SYNC_AUTO = 0, VS_SYNC_NONE, VS_SYNC_ON_WRITE, VS_SYNC_ON_READ } vs_sync;
typedef enum vs_agg { VS_AGG_NONE = 0, VS_AGG_SUM, VS_AGG_MEAN, VS_AGG_ONLY_FIRST_REPLICA } vs_agg;

/* collection keys */
#define VS_GLOBAL_VARIABLES "variables"
#define VS_TRAINABLE_VARIABLES "trainable_variables"
#define VS_LOCAL_VARIABLES "local_variables"
#define VS_MODEL_VARIABLES "model_variables"
#define VS_REGULARIZATION_LOSSES "regularization_losses"

/* ------------------------------------------------------------------------
 * Runtime lifetime and process configuration
 */
typedef struct vs_runtime_opts {
	vs_tristate eager;        /* default execution mode; unset = graph (TF1) */
	vs_tristate use_resource; /* _DEFAULT_USE_RESOURCE; unset = false (TF1) */
} vs_runtime_opts;

/*
 * Configures the process defaults.  Must be called before any other call
 * (or right after vs_runtime_reset); otherwise TF1 defaults apply (graph
 * mode, reference variables).  Returns VS_ERR_STATE when too late.
 */
VS_API int vs_runtime_configure(const vs_runtime_opts *opts, vs_error *err);

/*
 * Discards all runtime state (graphs, variables, scopes, every thread's
 * stacks) and returns to the state of a fresh process.  Only valid while no
 * other thread uses the runtime.  Tracing keeps going.
 */
VS_API void vs_runtime_reset(void);

/* Frees everything the runtime holds and flushes and closes tracing. */
VS_API void vs_runtime_shutdown(void);

/* ------------------------------------------------------------------------
 * Context managers
 */

/*
 * Leaves an entered context manager and frees cm.  When the exit raises
 * (TF's nesting errors E17, E18, E28), cm stays valid and entered, as TF
 * leaves it: a variable_scope cm can be exited again once it is innermost
 * (that exit then succeeds and frees it); for the other kinds, whose TF
 * exit is a finished generator, a second vs_exit does nothing and frees
 * cm.  Never-exited cms are freed by vs_runtime_reset.
 */
VS_API int vs_exit_at(vs_site site, vs_cm *cm, vs_error *err);
#define vs_exit(...) vs_exit_at(VS_HERE, __VA_ARGS__)

/* The resolved name of a name scope cm ("foo_1/"), else NULL. */
VS_API const char *vs_cm_name(const vs_cm *cm);
/* The VariableScope entered by a variable_scope cm (the `as vs`), else NULL. */
VS_API vs_varscope *vs_cm_varscope(const vs_cm *cm);

/* ------------------------------------------------------------------------
 * Graphs and contexts
 */

/* A new, empty graph (tf.Graph()). */
VS_API int vs_graph_new_at(vs_site site, vs_graph **out, const char *name, vs_error *err);
#define vs_graph_new(...) vs_graph_new_at(VS_HERE, __VA_ARGS__)

/*
 * A new function-building graph (FuncGraph) whose outer graph is the current
 * default graph (when executing eagerly: the global default graph, as
 * FuncGraph's outer_graph = get_default_graph() is in TF).  It shares
 * the outer graph's variable store, variable-scope store and variable
 * collections, and borrows its creator stack, as TF does.
 */
VS_API int vs_func_graph_new_at(vs_site site, vs_graph **out, const char *name, vs_error *err);
#define vs_func_graph_new(...) vs_func_graph_new_at(VS_HERE, __VA_ARGS__)

/* graph.as_default() */
VS_API int vs_graph_as_default_at(vs_site site, vs_cm **out, vs_graph *g, vs_error *err);
#define vs_graph_as_default(...) vs_graph_as_default_at(VS_HERE, __VA_ARGS__)

/* context.eager_mode() / context.graph_mode() */
VS_API int vs_eager_mode_at(vs_site site, vs_cm **out, vs_error *err);
#define vs_eager_mode(...) vs_eager_mode_at(VS_HERE, __VA_ARGS__)
VS_API int vs_graph_mode_at(vs_site site, vs_cm **out, vs_error *err);
#define vs_graph_mode(...) vs_graph_mode_at(VS_HERE, __VA_ARGS__)

/* tf.compat.v1.reset_default_graph() */
VS_API int vs_reset_default_graph_at(vs_site site, vs_error *err);
#define vs_reset_default_graph(...) vs_reset_default_graph_at(VS_HERE, __VA_ARGS__)

/* tf.compat.v1.get_default_graph(): never NULL (the global graph if none) */
VS_API vs_graph *vs_default_graph(void);
/* tf.executing_eagerly() */
VS_API int vs_executing_eagerly(void);
/* ops.executing_eagerly_outside_functions(): executing eagerly, or the
 * context init_scope would lift to is eager */
VS_API int vs_executing_eagerly_outside_functions(void);
VS_API int vs_graph_building_function(const vs_graph *g);
VS_API vs_graph *vs_graph_outer(const vs_graph *g); /* NULL: not a function graph */
VS_API uint32_t vs_graph_id(const vs_graph *g);
VS_API const char *vs_graph_name(const vs_graph *g);

/* Number of entries in this thread's context_switches log. */
VS_API size_t vs_context_switches_depth(void);
/* Number of graphs on this thread's default-graph stack (as_default nesting;
 * 0 when the global default graph is in effect without being entered). */
VS_API size_t vs_default_graph_stack_depth(void);

/* tf.init_scope() */
VS_API int vs_init_scope_at(vs_site site, vs_cm **out, vs_error *err);
#define vs_init_scope(...) vs_init_scope_at(VS_HERE, __VA_ARGS__)

/*
 * tf.control_dependencies(inputs): n inputs; inputs NULL with n == 0 is
 * control_dependencies(None) (clears).  A NULL entry is not an op: TypeError.
 */
VS_API int vs_control_dependencies_at(vs_site site, vs_cm **out, vs_op *const *inputs, size_t n,
                                      vs_error *err);
#define vs_control_dependencies(...) vs_control_dependencies_at(VS_HERE, __VA_ARGS__)
/* number of control inputs new ops get in the current context */
VS_API size_t vs_control_inputs_count(void);

/*
 * tf.device(device): ops created inside get the merged device: the fields
 * device gives (job, replica, task, device type and index) over those of
 * the enclosing device scopes, canonical as TF prints it ("CPU:0" and
 * "/cpu:0" are "/device:CPU:0").  device NULL is tf.device(None): no device
 * from the enclosing scopes.  Per (graph, thread) in graph mode, per thread
 * in eager mode.  init_scope carries the innermost non-empty device stack
 * of the contexts it lifts out of (a function graph's) into its target.
 */
VS_API int vs_device_at(vs_site site, vs_cm **out, const char *device, vs_error *err);
#define vs_device(...) vs_device_at(VS_HERE, __VA_ARGS__)
/* the device new ops get in the current context ("" for none) */
VS_API const char *vs_current_device(void);

/* The inside of a tf.cond branch / tf.while_loop body. */
VS_API int vs_cond_at(vs_site site, vs_cm **out, vs_error *err);
#define vs_cond(...) vs_cond_at(VS_HERE, __VA_ARGS__)
VS_API int vs_while_loop_at(vs_site site, vs_cm **out, vs_error *err);
#define vs_while_loop(...) vs_while_loop_at(VS_HERE, __VA_ARGS__)
VS_API int vs_in_control_flow(void);

/* tf.GradientTape() and tape.stop_recording() / tf init_scope's pause */
VS_API int vs_gradient_tape_at(vs_site site, vs_cm **out, vs_error *err);
#define vs_gradient_tape(...) vs_gradient_tape_at(VS_HERE, __VA_ARGS__)
VS_API int vs_stop_recording_at(vs_site site, vs_cm **out, vs_error *err);
#define vs_stop_recording(...) vs_stop_recording_at(VS_HERE, __VA_ARGS__)
VS_API int vs_tape_recording(void); /* a tape is active and not stopped */

/* ------------------------------------------------------------------------
 * Name scopes and ops
 */

/*
 * tf.compat.v1.name_scope(name, default_name).  name NULL uses default_name;
 * both NULL resets to the root scope.  Resolved name: vs_cm_name(*out).
 * Set values_given to model name_scope(None, None, values) (ValueError).
 */
typedef struct vs_name_scope_opts {
	const char *default_name;
	int values_given;
} vs_name_scope_opts;
VS_API int vs_name_scope_at(vs_site site, vs_cm **out, const char *name,
                            const vs_name_scope_opts *opts, vs_error *err);
#define vs_name_scope(...) vs_name_scope_at(VS_HERE, __VA_ARGS__)

/* get_name_scope(): the current op name scope without trailing '/' */
VS_API const char *vs_get_name_scope(void);

/* graph.unique_name(name, mark_as_used) in the current default graph */
VS_API int vs_unique_name(const char *name, int mark_as_used, char *buf, size_t n, vs_error *err);

/* An op of type `type` named `name` (NULL = the type) in the current context. */
VS_API int vs_op_at(vs_site site, vs_op **out, const char *type, const char *name, vs_error *err);
#define vs_op(...) vs_op_at(VS_HERE, __VA_ARGS__)
VS_API const char *vs_op_name(const vs_op *op);
VS_API const char *vs_op_type(const vs_op *op);
VS_API size_t vs_op_control_inputs(const vs_op *op);
VS_API vs_graph *vs_op_graph(const vs_op *op);    /* NULL for an eager op */
VS_API const char *vs_op_device(const vs_op *op); /* "" for none */

/* ------------------------------------------------------------------------
 * Custom getters and variable creators (user callbacks)
 */

/* The keyword arguments a custom getter receives (and may rewrite). */
typedef struct vs_getter_args {
	const char *name;
	const vs_shape *shape;
	vs_dtype dtype;
	const vs_initializer *initializer;
	const vs_regularizer *regularizer;
	vs_reuse reuse; /* FALSE, TRUE or AUTO */
	vs_tristate trainable;
	const char *const *collections; /* NULL-terminated, NULL = default */
	const char *caching_device;
	const vs_partitioner *partitioner;
	vs_tristate validate_shape;
	vs_tristate use_resource;
	const vs_constraint *constraint;
	vs_sync synchronization;
	vs_agg aggregation;
} vs_getter_args;

typedef struct vs_getter_next vs_getter_next; /* the `getter` argument */

/*
 * A custom getter: getter(getter_next, name, **kwargs).  Set *out to the
 * result (NULL: "returned something that is not a variable") and return 0,
 * or return an error.
 */
typedef int (*vs_getter_fn)(vs_var **out, vs_getter_next *next, const vs_getter_args *args,
                            void *ud, vs_error *err);

typedef struct vs_getter {
	vs_getter_fn fn; /* NULL models a non-callable getter (E9) */
	void *ud;
	const char *label; /* for events and messages */
} vs_getter;

/* Calls the next getter in the chain (the true getter at the end). */
VS_API int vs_getter_next_call(vs_getter_next *next, vs_var **out, const vs_getter_args *args,
                               vs_error *err);

/* The keyword arguments of variable creators (VariableV1 / tf.Variable). */
typedef struct vs_creator_args {
	const char *name;
	const vs_initializer *initial_value;
	vs_tristate trainable;
	const char *const *collections;
	vs_tristate validate_shape;
	const char *caching_device;
	vs_dtype dtype;
	const vs_constraint *constraint;
	vs_tristate use_resource;
	vs_sync synchronization;
	vs_agg aggregation;
	const vs_shape *shape;
	int v2;         /* kwargs of tf.Variable (no collections/use_resource) */
	int no_lifting; /* experimental_enable_variable_lifting=False */
} vs_creator_args;

typedef struct vs_creator_next vs_creator_next; /* the `next_creator` argument */

typedef int (*vs_creator_fn)(vs_var **out, vs_creator_next *next, const vs_creator_args *args,
                             void *ud, vs_error *err);

typedef struct vs_creator {
	vs_creator_fn fn;
	void *ud;
	const char *label;
} vs_creator;

VS_API int vs_creator_next_call(vs_creator_next *next, vs_var **out, const vs_creator_args *args,
                                vs_error *err);

/* tf.variable_creator_scope(creator) (priority 100) */
VS_API int vs_variable_creator_scope_at(vs_site site, vs_cm **out, const vs_creator *creator,
                                        vs_error *err);
#define vs_variable_creator_scope(...) vs_variable_creator_scope_at(VS_HERE, __VA_ARGS__)
/* graph._variable_creator_scope(creator, priority) */
VS_API int vs_variable_creator_scope_prio_at(vs_site site, vs_cm **out, const vs_creator *creator,
                                             int priority, vs_error *err);
#define vs_variable_creator_scope_prio(...) vs_variable_creator_scope_prio_at(VS_HERE, __VA_ARGS__)

/* ------------------------------------------------------------------------
 * Variable scopes
 */
typedef struct vs_varscope_opts {
	const char *default_name;
	vs_varscope *scope; /* a captured scope: used instead of the name */
	vs_reuse reuse;
	const vs_initializer *initializer;
	const vs_regularizer *regularizer;
	const char *caching_device;
	const vs_partitioner *partitioner;
	const vs_getter *custom_getter;
	vs_dtype dtype;
	vs_tristate use_resource;
	const vs_constraint *constraint;
	vs_tristate auxiliary_name_scope; /* unset = True */
	int bad_auxiliary_name_scope;     /* nonzero models a non-bool value (E14) */
	/* the text of a non-bool auxiliary_name_scope value (its Python str(),
	 * which E14 quotes: "... while get maybe"); non-NULL models E14 by
	 * itself and wins over bad_auxiliary_name_scope (printed as a number) */
	const char *bad_auxiliary_name_scope_text;
	/* the text of a name_or_scope that is neither a string nor a
	 * VariableScope (variable_scope(123)): E15 TypeError when entered */
	const char *bad_name_or_scope;
} vs_varscope_opts;

/*
 * tf.compat.v1.variable_scope(name_or_scope, default_name, ...).  name NULL
 * and opts->scope NULL use opts->default_name.  Both name and opts->scope set
 * is a TypeError (name_or_scope must be a string or VariableScope).
 */
VS_API int vs_variable_scope_at(vs_site site, vs_cm **out, const char *name,
                                const vs_varscope_opts *opts, vs_error *err);
#define vs_variable_scope(...) vs_variable_scope_at(VS_HERE, __VA_ARGS__)

/* tf.compat.v1.get_variable_scope(): the current scope of (graph, thread) */
VS_API vs_varscope *vs_get_variable_scope(void);

VS_API const char *vs_varscope_name(const vs_varscope *s);
VS_API const char *vs_varscope_original_name_scope(const vs_varscope *s);
VS_API vs_reuse vs_varscope_reuse(const vs_varscope *s); /* FALSE/TRUE/AUTO */
VS_API vs_dtype vs_varscope_dtype(const vs_varscope *s);
VS_API const vs_initializer *vs_varscope_initializer(const vs_varscope *s);
VS_API vs_tristate vs_varscope_use_resource(const vs_varscope *s);
VS_API const vs_constraint *vs_varscope_constraint(const vs_varscope *s);
VS_API const vs_partitioner *vs_varscope_partitioner(const vs_varscope *s);
VS_API const char *vs_varscope_caching_device(const vs_varscope *s);
VS_API const vs_regularizer *vs_varscope_regularizer(const vs_varscope *s);
/* the scope's custom getter (the innermost of a composed chain), NULL for None */
VS_API const vs_getter *vs_varscope_custom_getter(const vs_varscope *s);
VS_API uint32_t vs_varscope_id(const vs_varscope *s);

/* scope.reuse_variables(): irreversible */
VS_API int vs_varscope_reuse_variables_at(vs_site site, vs_varscope *s, vs_error *err);
#define vs_varscope_reuse_variables(...) vs_varscope_reuse_variables_at(VS_HERE, __VA_ARGS__)
/*
 * scope.set_*(): the value is copied; a NULL pointer sets None.  Variables
 * created in the scope
 * afterwards use the new value; sub-scopes entered afterwards inherit it.
 * TF's VariableScope has no set_constraint.  In eager mode
 * set_use_resource(false) is a ValueError and set_caching_device a
 * NotImplementedError, as in TF.
 */
VS_API int vs_varscope_set_initializer(vs_varscope *s, const vs_initializer *init, vs_error *err);
VS_API int vs_varscope_set_regularizer(vs_varscope *s, const vs_regularizer *r, vs_error *err);
VS_API int vs_varscope_set_dtype(vs_varscope *s, vs_dtype dt, vs_error *err);
VS_API int vs_varscope_set_use_resource(vs_varscope *s, int use_resource, vs_error *err);
VS_API int vs_varscope_set_caching_device(vs_varscope *s, const char *dev, vs_error *err);
VS_API int vs_varscope_set_partitioner(vs_varscope *s, const vs_partitioner *p, vs_error *err);
VS_API int vs_varscope_set_custom_getter(vs_varscope *s, const vs_getter *g, vs_error *err);

/* ------------------------------------------------------------------------
 * Variables
 */
typedef struct vs_var_opts {
	const vs_shape *shape;
	vs_dtype dtype;
	const vs_initializer *initializer;
	const vs_regularizer *regularizer;
	vs_tristate trainable;
	const char *const *collections; /* NULL-terminated; NULL = default */
	const char *caching_device;
	const vs_partitioner *partitioner;
	vs_tristate validate_shape;
	vs_tristate use_resource;
	const vs_getter *custom_getter; /* replaces the scope's getter */
	const vs_constraint *constraint;
	vs_sync synchronization;
	vs_agg aggregation;
} vs_var_opts;

/*
 * tf.compat.v1.get_variable(name, ...).  *out is the variable (NULL when a
 * custom getter returned a non-variable).
 */
VS_API int vs_get_variable_at(vs_site site, vs_var **out, const char *name, const vs_var_opts *opts,
                              vs_error *err);
#define vs_get_variable(...) vs_get_variable_at(VS_HERE, __VA_ARGS__)

/* tf.compat.v1.get_local_variable(name, ...) */
VS_API int vs_get_local_variable_at(vs_site site, vs_var **out, const char *name,
                                    const vs_var_opts *opts, vs_error *err);
#define vs_get_local_variable(...) vs_get_local_variable_at(VS_HERE, __VA_ARGS__)

/*
 * Direct creation: tf.compat.v1.Variable(...) (args->v2 = 0) or tf.Variable
 * (args->v2 = 1), through the creator chain, named by the name scope.
 * args->name NULL = "Variable".
 */
VS_API int vs_variable_at(vs_site site, vs_var **out, const vs_creator_args *args, vs_error *err);
#define vs_variable(...) vs_variable_at(VS_HERE, __VA_ARGS__)

VS_API const char *vs_var_name(const vs_var *v);      /* "foo/bar/v:0"; partitioned: "foo/v" */
VS_API const char *vs_var_op_name(const vs_var *v);   /* "foo/bar/v" */
VS_API const char *vs_var_store_key(const vs_var *v); /* key in the store, NULL if direct */
VS_API const vs_shape *vs_var_shape(const vs_var *v);
VS_API vs_dtype vs_var_dtype(const vs_var *v);
VS_API int vs_var_trainable(const vs_var *v);
VS_API int vs_var_is_resource(const vs_var *v);
VS_API vs_graph *vs_var_graph(const vs_var *v); /* NULL for an eager variable */
VS_API uint32_t vs_var_id(const vs_var *v);
VS_API const vs_initializer *vs_var_initializer(const vs_var *v);
VS_API const vs_constraint *vs_var_constraint(const vs_var *v);
VS_API const char *vs_var_caching_device(const vs_var *v);
/* the device the variable was placed on ("" for none) */
VS_API const char *vs_var_device(const vs_var *v);
/*
 * variable.initializer: the op that assigns the initial value, named
 * "<op name>/Assign" (type Assign for a reference variable, AssignVariableOp
 * for a resource variable); NULL for an eager variable and a partitioned
 * variable (its shards have one each).  Made inside init_scope, so it has
 * no control inputs unless the variable was created without lifting.
 */
VS_API vs_op *vs_var_initializer_op(const vs_var *v);
/* partitioned variables: number of shards (0 if not partitioned) and shard i */
VS_API size_t vs_var_num_partitions(const vs_var *v);
VS_API vs_var *vs_var_partition(const vs_var *v, size_t i);

/* Collections of graph g (NULL = default graph); index is insertion order. */
VS_API size_t vs_collection_size(vs_graph *g, const char *key);
VS_API vs_var *vs_collection_get(vs_graph *g, const char *key, size_t i);
/* variables whose name matches the prefix regex use of VariableScope.get_collection */
VS_API size_t vs_varscope_collection(const vs_varscope *s, const char *key, vs_var **out,
                                     size_t max);

/* ------------------------------------------------------------------------
 * Variable stores (_VariableStore)
 */

/* a fresh _VariableStore(), not attached to any graph */
VS_API int vs_var_store_new_at(vs_site site, vs_var_store **out, vs_error *err);
#define vs_var_store_new(...) vs_var_store_new_at(VS_HERE, __VA_ARGS__)
/* _get_default_variable_store(): the default graph's store (the eager
 * store made default by vs_eager_store_as_default, if any) */
VS_API vs_var_store *vs_default_var_store(void);
/* store._store_eager_variables */
VS_API int vs_var_store_holds_eager(const vs_var_store *s);

/*
 * store.get_variable(name, reuse=reuse, ...): name is the full store key (no
 * variable scope is applied, nor its defaults: dtype float32, the default
 * initializer), reuse is the per-call argument: VS_REUSE_FALSE creates or
 * raises E1, VS_REUSE_TRUE returns an existing variable or raises E2,
 * VS_REUSE_AUTO and VS_REUSE_INHERIT (None) get or create.  When executing
 * eagerly a store that does not hold eager variables raises E11 for
 * reuse=True / AUTO_REUSE and remembers nothing; one that does (an
 * EagerVariableStore's) always gets or creates.  opts->custom_getter is
 * called as in TF.  The op name follows the current name scope (TF enters
 * no name_scope(None) here).
 */
VS_API int vs_var_store_get_variable_at(vs_site site, vs_var_store *s, vs_var **out,
                                        const char *name, vs_reuse reuse, const vs_var_opts *opts,
                                        vs_error *err);
#define vs_var_store_get_variable(...) vs_var_store_get_variable_at(VS_HERE, __VA_ARGS__)

/* ------------------------------------------------------------------------
 * Templates
 */
typedef int (*vs_template_fn)(void *ud, void *call_arg, vs_error *err);

typedef struct vs_template_opts {
	int create_scope_now;
	const char *unique_name;
	const vs_getter *custom_getter;
	/* make_template_internal(create_graph_function_=True): the function is
	 * a defun (vs_function), traced once per call signature; later calls
	 * with a traced signature run none of the body */
	int create_graph_function;
} vs_template_opts;

/* tf.compat.v1.make_template(name_, func_, ...): EagerTemplate when eager */
VS_API int vs_make_template_at(vs_site site, vs_template **out, const char *name, vs_template_fn fn,
                               void *ud, const vs_template_opts *opts, vs_error *err);
#define vs_make_template(...) vs_make_template_at(VS_HERE, __VA_ARGS__)

/* template(*args): call_arg is passed to fn */
VS_API int vs_template_call_at(vs_site site, vs_template *t, void *call_arg, vs_error *err);
#define vs_template_call(...) vs_template_call_at(VS_HERE, __VA_ARGS__)
/* template(*args) whose arguments have the input signature `signature`
 * (only a create_graph_function template's trace cache reads it; NULL =
 * no arguments) */
VS_API int vs_template_call_sig_at(vs_site site, vs_template *t, const char *signature,
                                   void *call_arg, vs_error *err);
#define vs_template_call_sig(...) vs_template_call_sig_at(VS_HERE, __VA_ARGS__)

VS_API const char *vs_template_name(const vs_template *t);
VS_API vs_varscope *vs_template_variable_scope(const vs_template *t);     /* NULL before */
VS_API const char *vs_template_variable_scope_name(const vs_template *t); /* "s1/" */
VS_API unsigned vs_template_calls(const vs_template *t);

typedef enum vs_tmpl_vars {
	VS_TMPL_GLOBAL,
	VS_TMPL_TRAINABLE,
	VS_TMPL_LOCAL,
	VS_TMPL_VARIABLES,
	VS_TMPL_NON_TRAINABLE
} vs_tmpl_vars;
/* template.global_variables etc.: writes up to max, returns the total count */
VS_API size_t vs_template_variables(const vs_template *t, vs_tmpl_vars which, vs_var **out,
                                    size_t max);

/* ------------------------------------------------------------------------
 * Traced functions (defun / tf.function)
 */
typedef struct vs_function_opts {
	/* 1: tf.function (def_function.Function): variables may only be created
	 * by the first call's trace; 0: defun (function.defun), no check */
	int tf_function;
} vs_function_opts;

/* A function object named name (NULL: "f") whose body is fn(ud, call_arg). */
VS_API int vs_function_new_at(vs_site site, vs_function **out, const char *name, vs_template_fn fn,
                              void *ud, const vs_function_opts *opts, vs_error *err);
#define vs_function_new(...) vs_function_new_at(VS_HERE, __VA_ARGS__)

/*
 * f(*args): signature names the input signature (NULL or "" = no
 * arguments).  A signature not traced yet traces the body into a fresh
 * function graph whose outer context is the current one (variables made by
 * get_variable are lifted by init_scope and shared through the outer
 * store); a traced signature runs none of the body.  tf.function: the
 * first call that creates variables traces again without variable creation
 * (TF's no-variable-creation function), so a body that always creates a
 * variable raises "tf.function-decorated function tried to create
 * variables on non-first call."; a later new signature whose trace creates
 * variables raises "Creating variables on a non-first call to a function
 * decorated with tf.function." (both ValueError).
 */
VS_API int vs_function_call_at(vs_site site, vs_function *f, const char *signature, void *call_arg,
                               vs_error *err);
#define vs_function_call(...) vs_function_call_at(VS_HERE, __VA_ARGS__)
VS_API unsigned vs_function_traces(const vs_function *f); /* traces so far */
VS_API unsigned vs_function_calls(const vs_function *f);  /* calls so far */
VS_API const char *vs_function_name(const vs_function *f);

/* ------------------------------------------------------------------------
 * Eager variable stores
 */
/* EagerVariableStore(store=from._store): from NULL = a fresh store */
VS_API int vs_eager_store_new_at(vs_site site, vs_eager_store **out, vs_eager_store *from,
                                 vs_error *err);
#define vs_eager_store_new(...) vs_eager_store_new_at(VS_HERE, __VA_ARGS__)
/*
 * EagerVariableStore(store=s) over an existing _VariableStore: ValueError
 * E27 unless s holds eager variables (an EagerVariableStore's store); the
 * new object shares s.
 */
VS_API int vs_eager_store_from_store_at(vs_site site, vs_eager_store **out, vs_var_store *s,
                                        vs_error *err);
#define vs_eager_store_from_store(...) vs_eager_store_from_store_at(VS_HERE, __VA_ARGS__)
/* the EagerVariableStore's _store */
VS_API vs_var_store *vs_eager_store_var_store(const vs_eager_store *es);
VS_API int vs_eager_store_as_default_at(vs_site site, vs_cm **out, vs_eager_store *s,
                                        vs_error *err);
#define vs_eager_store_as_default(...) vs_eager_store_as_default_at(VS_HERE, __VA_ARGS__)
VS_API int vs_eager_store_copy_at(vs_site site, vs_eager_store **out, vs_eager_store *s,
                                  vs_error *err);
#define vs_eager_store_copy(...) vs_eager_store_copy_at(VS_HERE, __VA_ARGS__)
/* variables() / trainable_variables() / non_trainable_variables(), sorted by name */
VS_API size_t vs_eager_store_variables(const vs_eager_store *s, vs_tmpl_vars which, vs_var **out,
                                       size_t max);

/* ------------------------------------------------------------------------
 * Threads
 */

/*
 * pthread_create that records the parent thread and what it had entered, so
 * traces can tell a thread that forgot to re-enter its parent's scope.  A
 * thread started with plain pthread_create works too (parent unknown).
 */
VS_API int vs_thread_create_at(vs_site site, pthread_t *th, const pthread_attr_t *attr,
                               void *(*fn)(void *), void *arg);
#define vs_thread_create(...) vs_thread_create_at(VS_HERE, __VA_ARGS__)
/* this thread's runtime number: 1 for the first thread that used libvs */
VS_API uint32_t vs_thread_id(void);

/* ========================================================================
 * Layers and optimizers (tracer/layers.c): TF 1.15's naming rules for the
 * library code that creates variables, so that C programs and the Python
 * shim (python/) name them exactly as TensorFlow does.  Built only on the
 * API above; every function records its work as ordinary scope and
 * get_variable events at the caller's site.
 */

/*
 * A tf.compat.v1.layers.Layer's scope state (tensorflow/python/layers/base.py).
 * Caller-owned: zero-initialise, set the inputs, keep it for the layer's
 * life; strings must outlive the first call.
 */
typedef struct vs_layer {
	const char *base_name;   /* name= or the snake-cased class name: "dense" */
	const char *scope_name;  /* _scope: the functional forms' name= (else NULL) */
	vs_reuse reuse;          /* the layer's _reuse */
	vs_tristate trainable;   /* the layer's trainable (unset = True) */
	vs_dtype dtype;          /* the layer's dtype (unset = float32) */
	vs_varscope *scope_from; /* _scope as a VariableScope object (contrib layers) */
	/* state */
	vs_varscope *scope; /* captured on the first call */
	int built;
	int depth;          /* calls entered and not left */
	vs_cm *cms[2][8];   /* the scopes entered by each open call */
	vs_var *weights[8]; /* what build() made, in order */
	size_t nweights;
} vs_layer;

/*
 * Layer.__init__: captures variable_scope(scope_from) or
 * variable_scope(scope_name) when one is set.
 */
VS_API int vs_layer_init_at(vs_site site, vs_layer *l, vs_error *err);
#define vs_layer_init(...) vs_layer_init_at(VS_HERE, __VA_ARGS__)

/*
 * Layer.__call__'s scopes: without a scope from vs_layer_init, captures one
 * on the first call (reuse ? variable_scope(base_name) :
 * variable_scope(None, default_name=base_name)), then enters variable_scope(captured, reuse=
 * built or reuse, auxiliary_name_scope=False) and name_scope(its
 * original_name_scope).  Leave with vs_layer_call_exit, which marks the
 * layer built when ok is nonzero.
 */
VS_API int vs_layer_call_enter_at(vs_site site, vs_layer *l, vs_error *err);
#define vs_layer_call_enter(...) vs_layer_call_enter_at(VS_HERE, __VA_ARGS__)
VS_API int vs_layer_call_exit_at(vs_site site, vs_layer *l, int ok, vs_error *err);
#define vs_layer_call_exit(...) vs_layer_call_exit_at(VS_HERE, __VA_ARGS__)

/*
 * Layer.add_weight(name, ...) inside a call: re-enters the layer's scope
 * (reuse = built or reuse) and gets the variable; initializer NULL uses the
 * scope's, else glorot_uniform (zeros for integer dtypes); ON_READ
 * synchronization makes it non-trainable (ValueError if trainable).
 */
VS_API int vs_layer_add_weight_at(vs_site site, vs_var **out, vs_layer *l, const char *name,
                                  const vs_var_opts *opts, vs_error *err);
#define vs_layer_add_weight(...) vs_layer_add_weight_at(VS_HERE, __VA_ARGS__)

typedef struct vs_layer_opts {
	vs_tristate use_bias;                     /* unset = True */
	const vs_initializer *kernel_initializer; /* NULL = scope's / glorot_uniform */
	const vs_initializer *bias_initializer;   /* NULL = zeros */
	const vs_regularizer *kernel_regularizer;
	const vs_regularizer *bias_regularizer;
	const vs_constraint *kernel_constraint;
	const vs_constraint *bias_constraint;
	/* batch normalization */
	vs_tristate center, scale; /* unset = True */
	const vs_initializer *beta_initializer, *gamma_initializer;
	const vs_initializer *moving_mean_initializer, *moving_variance_initializer;
	const vs_regularizer *beta_regularizer, *gamma_regularizer;
} vs_layer_opts;

/* tf.layers.Dense on in_dim features: "kernel" (in_dim, units), "bias" (units,) */
VS_API int vs_layer_dense_at(vs_site site, vs_layer *l, int64_t in_dim, int64_t units,
                             const vs_layer_opts *opts, vs_error *err);
#define vs_layer_dense(...) vs_layer_dense_at(VS_HERE, __VA_ARGS__)

/*
 * tf.layers.Conv{1,2,3}D (transpose = 0) / Conv2DTranspose (1): "kernel"
 * kernel_size + (in_ch, filters), transposed kernel_size + (filters, in_ch);
 * "bias" (filters,).
 */
VS_API int vs_layer_conv_at(vs_site site, vs_layer *l, int rank, const int64_t *kernel_size,
                            int64_t in_ch, int64_t filters, int transpose,
                            const vs_layer_opts *opts, vs_error *err);
#define vs_layer_conv(...) vs_layer_conv_at(VS_HERE, __VA_ARGS__)

/* tf.layers.BatchNormalization on `channels`: gamma, beta, moving_mean, moving_variance */
VS_API int vs_layer_batch_norm_at(vs_site site, vs_layer *l, int64_t channels,
                                  const vs_layer_opts *opts, vs_error *err);
#define vs_layer_batch_norm(...) vs_layer_batch_norm_at(VS_HERE, __VA_ARGS__)

/*
 * The builds alone, inside a call entered with vs_layer_call_enter (for
 * callers that make the layer's ops in its name scope); they do nothing
 * once the layer is built.  vs_layer_dense/conv/batch_norm = enter + build
 * + exit.
 */
VS_API int vs_layer_dense_build_at(vs_site site, vs_layer *l, int64_t in_dim, int64_t units,
                                   const vs_layer_opts *opts, vs_error *err);
#define vs_layer_dense_build(...) vs_layer_dense_build_at(VS_HERE, __VA_ARGS__)
VS_API int vs_layer_conv_build_at(vs_site site, vs_layer *l, int rank, const int64_t *kernel_size,
                                  int64_t in_ch, int64_t filters, int transpose,
                                  const vs_layer_opts *opts, vs_error *err);
#define vs_layer_conv_build(...) vs_layer_conv_build_at(VS_HERE, __VA_ARGS__)
VS_API int vs_layer_batch_norm_build_at(vs_site site, vs_layer *l, int64_t channels,
                                        const vs_layer_opts *opts, vs_error *err);
#define vs_layer_batch_norm_build(...) vs_layer_batch_norm_build_at(VS_HERE, __VA_ARGS__)

/*
 * slot_creator.create_slot_with_initializer / create_slot: the slot of
 * `primary` in variable_scope(None, default_name=<primary op name>/<op_name>)
 * (so a second slot of one optimizer becomes .../Adam_1), get_variable("")
 * non-trainable, resource iff the primary is, the scope's partitioner off.
 * A callable init gets the primary's shape and dtype; a VALUE init (EMA's
 * initialized_value) its own.
 */
VS_API int vs_slot_create_at(vs_site site, vs_var **out, const vs_var *primary, const char *op_name,
                             const vs_initializer *init, vs_error *err);
#define vs_slot_create(...) vs_slot_create_at(VS_HERE, __VA_ARGS__)

typedef enum vs_optimizer_kind {
	VS_OPT_GRADIENT_DESCENT = 0,
	VS_OPT_MOMENTUM, /* slot "momentum" */
	VS_OPT_ADAM,     /* beta1_power, beta2_power; slots "m", "v" */
	VS_OPT_RMSPROP,  /* slots "rms" (ones), ["mg" if centered], "momentum" */
	VS_OPT_ADAGRAD   /* slot "accumulator" */
} vs_optimizer_kind;

/*
 * A tf.compat.v1.train.Optimizer's slot bookkeeping (caller-owned; zero,
 * then set kind, and name: NULL = TF's default "Adam", "Momentum", ...).
 * Free the tables with vs_optimizer_free.
 */
typedef struct vs_optimizer {
	vs_optimizer_kind kind;
	const char *name;
	int centered; /* RMSProp */
	/* state */
	const vs_var **done; /* primaries whose slots exist */
	size_t ndone, capdone;
	vs_graph **nonslot; /* graphs that have the non-slot variables */
	size_t nnonslot, capnonslot;
} vs_optimizer;

/*
 * apply_gradients' variable creation: under init_scope, the non-slot
 * variables once per graph, then the slots of every primary not seen before,
 * in TF's order.  Ops are the caller's business.
 */
VS_API int vs_optimizer_create_slots_at(vs_site site, vs_optimizer *o, vs_var *const *vars,
                                        size_t n, vs_error *err);
#define vs_optimizer_create_slots(...) vs_optimizer_create_slots_at(VS_HERE, __VA_ARGS__)
VS_API void vs_optimizer_free(vs_optimizer *o);
/* TF's default name of an optimizer kind: "GradientDescent", "Adam", ... */
VS_API const char *vs_optimizer_default_name(vs_optimizer_kind k);

/* ExponentialMovingAverage.apply for one variable: the average slot, under init_scope */
VS_API int vs_ema_average_at(vs_site site, vs_var **out, const vs_var *var, const char *ema_name,
                             vs_error *err);
#define vs_ema_average(...) vs_ema_average_at(VS_HERE, __VA_ARGS__)

/* tf.compat.v1.train.get_or_create_global_step() in the default graph */
VS_API int vs_get_or_create_global_step_at(vs_site site, vs_var **out, vs_error *err);
#define vs_get_or_create_global_step(...) vs_get_or_create_global_step_at(VS_HERE, __VA_ARGS__)
/* ======================================================================== */

#ifdef __cplusplus
}
#endif
#endif /* VS_VS_H */
