/* SPDX-License-Identifier: MIT */
/*
 * vs/event.h - the event vocabulary: the contract between the runtime
 * (producer), the recorder and store (transport, persistence) and the
 * checker (consumer).
 *
 * Every state change of the runtime is one fixed-size 64-byte vs_event.
 * Strings (names, paths, messages, shapes) are interned once per process and
 * referred to by a 32-bit id; id 0 always means "no string" (Python None).
 * A string's text reaches the sink before the first event that refers to it.
 * Object ids (graphs, scopes, variables, templates, ...) are per-process,
 * start at 1, are never reused within a process; 0 means "none".
 *
 * Invariants the producer keeps (the checker relies on them):
 *  - seq is process-wide, starts at 1 and has no gaps unless LOST says so;
 *  - every *_ENTER or *_CALL is matched by its *_EXIT or *_RETURN on the same
 *    thread unless the process died (the trace is then marked truncated);
 *  - an ERROR event precedes the *_EXIT whose outcome is VS_OUT_ERROR.
 *
 * Bump VS_EVENT_ABI when a layout or a meaning below changes: the trace
 * format version (store/) follows it.
 */
#ifndef VS_EVENT_H
#define VS_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "vs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 2: MODULE, STACK, SITE's stack word; VAR_STORE_NEW.  3: VAR_ARGS, VAR_INFO */
#define VS_EVENT_ABI 3

/* Values carried in payloads (and taken by the runtime API, vs/vs.h). */
typedef enum vs_reuse {
	VS_REUSE_INHERIT = 0, /* reuse=None: inherit the parent's flag */
	VS_REUSE_FALSE = 1,   /* reuse=False: same as None since TF 1.1 (scopes) */
	VS_REUSE_TRUE = 2,
	VS_REUSE_AUTO = 3 /* tf.AUTO_REUSE */
} vs_reuse;

typedef enum vs_dtype {
	VS_DT_NONE = 0, /* not given */
	VS_DT_FLOAT16,
	VS_DT_BFLOAT16,
	VS_DT_FLOAT32,
	VS_DT_FLOAT64,
	VS_DT_INT8,
	VS_DT_INT16,
	VS_DT_INT32,
	VS_DT_INT64,
	VS_DT_UINT8,
	VS_DT_UINT16,
	VS_DT_UINT32,
	VS_DT_UINT64,
	VS_DT_BOOL,
	VS_DT_STRING,
	VS_DT_COMPLEX64,
	VS_DT_COMPLEX128,
	VS_DT_RESOURCE,
	VS_DT_VARIANT,
	VS_DT__COUNT
} vs_dtype;

/*
 * The payload, named per kind.  Every kind's eight 32-bit words are one
 * struct below; "str" = interned string id, "id" = object id, unlisted
 * words are 0 (unnamed padding keeps each documented word at its slot,
 * which the trace format and the store's SQL depend on: VS_EVP_SLOT pins
 * them).  p[] is the raw view, for code that moves events without reading
 * them (rings, the store's raw table).
 */
#define VS_EVP_PAD \
uint32_t:          \
	32

/* SITE: a call site interned (reaches the sink before its first use);
 * stack = the call stack of the call (a STACK id, 0 none): the same source
 * line reached through two call paths is two sites */
struct vs_evp_site {
	uint32_t site_id, file, line, function, stack;
};
/* MODULE: an executable or shared library loaded in the process (reaches
 * the sink before a STACK frame in it): path (str), load bias (64 bits),
 * its executable span [bias + text_start, + text_size), build_id (str, hex
 * of NT_GNU_BUILD_ID, 0 none) */
struct vs_evp_module {
	uint32_t module_id, path, bias_lo, bias_hi, text_start, text_size, build_id;
};
/* STACK: one interned frame of a call stack: the return address pc (64
 * bits) in module (0 unknown) and the rest of the stack, caller (a STACK
 * id, 0 = outermost).  A stack id names the chain from its frame outwards;
 * frame 0 is the user's call into libvs.  A symbolic frame (pushed with
 * vs_trace_frame_push: a scenario step, a binding's source line) has pc 0
 * and names its place as site, a SITE without a stack */
struct vs_evp_stack {
	uint32_t stack_id, caller, pc_lo, pc_hi, module, site;
};
/* PROCESS_START: parent_last_seq = the parent's last seq before fork (0 if
 * not a fork child) */
struct vs_evp_process_start {
	uint32_t pid, parent_pid, parent_last_seq;
};
/* PROCESS_END: exit_status as passed to exit */
struct vs_evp_process_end {
	uint32_t exit_status;
};
/* THREAD_START: parent_tid = parent runtime tid (0 unknown); parent_scope =
 * the parent's current variable-scope name (str) at spawn; parent_graph =
 * the graph id the parent had as default at spawn */
struct vs_evp_thread_start {
	uint32_t os_tid, parent_tid, parent_scope, parent_graph;
};
/* THREAD_END and other kinds without payload */
struct vs_evp_none {
	VS_EVP_PAD;
};
/* LOST: events lost here, written by the transport, not the runtime */
struct vs_evp_lost {
	uint32_t count_lo, count_hi;
};
/* GRAPH_CREATE: outer_graph for function graphs; flags BUILDING_FUNCTION,
 * GLOBAL_DEFAULT */
struct vs_evp_graph_create {
	uint32_t graph_id, outer_graph, name;
};
/* CTX_PUSH / CTX_POP: ctx_kind = enum vs_ctx_kind; graph_id 0 = eager;
 * log_depth = context-switch log depth after the push or pop; flags
 * BUILDING_FUNCTION */
struct vs_evp_ctx {
	uint32_t ctx_kind, graph_id, log_depth, cm;
};
/* RESET_GRAPH: the global default graph replaced */
struct vs_evp_reset_graph {
	uint32_t old_graph, new_graph;
};
/* INIT_SCOPE_ENTER (all words) / INIT_SCOPE_EXIT (cm only): the context
 * lifted to (ctx_kind, graph_id), the name scope carried over (str), the
 * graph lifted from (0 eager); flags LIFTED (left a function graph),
 * FALLBACK_GLOBAL (outer context = global graph) */
struct vs_evp_init_scope {
	uint32_t ctx_kind, graph_id, name_scope, cm, from_graph;
};
/* CONTROL_DEPS_ENTER (n_inputs, cm) / _EXIT (cm); flags CLEARED
 * (control_dependencies(None)) */
struct vs_evp_control_deps {
	uint32_t n_inputs;
	VS_EVP_PAD;
	VS_EVP_PAD;
	uint32_t cm;
};
/* CFLOW_ENTER / CFLOW_EXIT: cflow_kind = enum vs_cflow_kind */
struct vs_evp_cflow {
	uint32_t cflow_kind;
	VS_EVP_PAD;
	VS_EVP_PAD;
	uint32_t cm;
};
/* TAPE_PUSH / TAPE_POP */
struct vs_evp_tape {
	uint32_t tape_id;
	VS_EVP_PAD;
	VS_EVP_PAD;
	uint32_t cm;
};
/* TAPE_PAUSE / TAPE_RESUME (stop_recording entered / exited): stopped = 1
 * if this, the outermost one, stopped the tapes */
struct vs_evp_tape_pause {
	uint32_t stopped;
	VS_EVP_PAD;
	VS_EVP_PAD;
	uint32_t cm;
};
/* NAME_SCOPE_ENTER: requested, default_name, resolved (strs; resolved has
 * a trailing '/', "" = root).  NAME_SCOPE_EXIT: resolved = the name scope
 * restored, cm */
struct vs_evp_name_scope {
	uint32_t requested, default_name, resolved, cm;
};
/* OP_CREATE: name, type (strs); flags IN_CFLOW, TAPE_RECORDING,
 * BUILDING_FUNCTION */
struct vs_evp_op_create {
	uint32_t name, type, n_control_inputs, op_id;
};
/* VARSCOPE_ENTER: requested (name or default_name str), full_name (str),
 * reuse_asked and reuse (effective: FALSE/TRUE/AUTO) as enum vs_reuse,
 * captured_scope (0 = by string), name_scope opened (str, 0 none),
 * scope_id of the new scope object, cm; flags DEFAULT_NAME,
 * NO_AUX_NAME_SCOPE.  VARSCOPE_EXIT: full_name, scope_id, cm */
struct vs_evp_varscope {
	uint32_t requested, full_name, reuse_asked, reuse, captured_scope, name_scope, scope_id, cm;
};
/* REUSE_VARIABLES: reuse_variables() on a scope; flags ROOT_SCOPE (the
 * thread's root scope object itself, not a re-entered copy) */
struct vs_evp_reuse_variables {
	uint32_t scope_id, full_name;
};
/* CREATOR_SCOPE_ENTER (all) / _EXIT (label, cm): depth of the creator
 * stack after entry */
struct vs_evp_creator_scope {
	uint32_t label, priority, depth, cm;
};
/* CREATOR_CALL: depth in the chain (0 = first called), label (str, 0 =
 * default creator), the kwargs' name (str), dtype, shape (str); flags
 * TRAINABLE, RESOURCE */
struct vs_evp_creator_call {
	uint32_t depth, label, name, dtype, shape, call_id;
};
/* CREATOR_RETURN: variable returned (0 none), outcome (enum vs_outcome),
 * n_created = variables created inside this call */
struct vs_evp_creator_return {
	uint32_t depth, label, variable;
	VS_EVP_PAD;
	VS_EVP_PAD;
	uint32_t call_id, outcome, n_created;
};
/* GETTER_CALL: depth (0 = innermost, called first), label (str, 0 = the
 * true getter), name passed (str), reuse (enum vs_reuse) */
struct vs_evp_getter_call {
	uint32_t depth, label, name, reuse;
	VS_EVP_PAD;
	uint32_t call_id;
};
/* GETTER_RETURN: variable (0 none), the returned variable's store key
 * (str), outcome */
struct vs_evp_getter_return {
	uint32_t depth, label, variable, key;
	VS_EVP_PAD;
	uint32_t call_id, outcome;
};
/* GETVAR_ENTER (get_variable / get_local_variable): requested name,
 * full_name = store key (strs), shape (str, 0 = None), dtype (enum vs_dtype,
 * 0 None), effective reuse, scope_id of the current variable scope,
 * store_id; flags LOCAL, PARTITIONED, EAGER, STORE_CALL (a direct
 * _VariableStore.get_variable: no scope, scope_id 0, reuse as asked) */
struct vs_evp_getvar_enter {
	uint32_t requested, full_name, shape, dtype, reuse, call_id, scope_id, store_id;
};
/* GETVAR_EXIT: variable (0 none), outcome, the result's shape and dtype */
struct vs_evp_getvar_exit {
	uint32_t requested, full_name, variable, outcome, reuse, call_id, shape, dtype;
};
/* VARIABLE_ENTER (direct Variable()): requested name, the current name
 * scope (strs); flags TRAINABLE, V2, NO_LIFT */
struct vs_evp_variable_enter {
	uint32_t requested, name_scope;
	VS_EVP_PAD;
	VS_EVP_PAD;
	VS_EVP_PAD;
	uint32_t call_id;
};
/* VARIABLE_EXIT: variable, outcome */
struct vs_evp_variable_exit {
	VS_EVP_PAD;
	VS_EVP_PAD;
	uint32_t variable, outcome;
	VS_EVP_PAD;
	uint32_t call_id;
};
/* VAR_CREATE: a variable object came to exist (default creator): name
 * ("foo/v:0"), store key (0 direct), shape (strs), dtype, collections (str,
 * comma-joined), graph_id it lives in (0 eager), template_id it was created
 * under (0 none); flags TRAINABLE, RESOURCE, DIRECT, LOCAL, LIFTED,
 * PARTITIONED (a shard), EAGER, IN_CONTROL_DEPS */
struct vs_evp_var_create {
	uint32_t variable, name, key, shape, dtype, collections, graph_id, template_id;
};
/* VAR_ARGS (ABI 3): the arguments of a get_variable / get_local_variable /
 * direct store call (after its GETVAR_ENTER) or of a Variable() call (after
 * its VARIABLE_ENTER, same call_id) that those events do not carry; emitted
 * only when one of them was given (no VAR_ARGS: all defaults).
 * initializer (str, VS_INIT_TEXT below; Variable: the initial value),
 * regularizer, constraint, partitioner (their labels, strs),
 * collections (str, comma-joined; given when VS_VARG_COLLECTIONS is set in
 * packed, else None), caching_device (str), packed = VS_VARG_* fields:
 * trainable, validate_shape, use_resource (vs_tristate), synchronization,
 * aggregation (vs_sync, vs_agg), Variable's dtype */
struct vs_evp_var_args {
	uint32_t call_id, initializer, regularizer, constraint, partitioner, collections,
		caching_device, packed;
};
#define VS_VARG_TRAINABLE(p) ((p)&3u)               /* vs_tristate */
#define VS_VARG_VALIDATE_SHAPE(p) (((p) >> 2) & 3u) /* vs_tristate */
#define VS_VARG_USE_RESOURCE(p) (((p) >> 4) & 3u)   /* vs_tristate */
#define VS_VARG_SYNC(p) (((p) >> 6) & 7u)           /* vs_sync */
#define VS_VARG_AGG(p) (((p) >> 9) & 7u)            /* vs_agg */
#define VS_VARG_COLLECTIONS (1u << 12)              /* collections given (maybe empty) */
#define VS_VARG_DTYPE(p) (((p) >> 13) & 31u)        /* Variable's dtype (vs_dtype) */
#define VS_VARG_PACK(trainable, validate, resource, sync, agg, cols, dtype)                   \
	((uint32_t)(trainable) | (uint32_t)(validate) << 2 | (uint32_t)(resource) << 4 |      \
	 (uint32_t)(sync) << 6 | (uint32_t)(agg) << 9 | ((cols) ? VS_VARG_COLLECTIONS : 0u) | \
	 (uint32_t)(dtype) << 13)
/* VS_INIT_TEXT: an initializer as text, its kind's name (vs_init_kind_name:
 * "zeros", "glorot_uniform", "value", ...) followed, when it has any, by
 * its arguments: "constant(value=0.5)", "zeros(dtype=int32)",
 * "value(value=3, dtype=int32, shape=(2,))" (value with %.17g, the shape as
 * TensorFlow prints it; a value without shape is a scalar: "shape=()") */
/* VAR_INFO (ABI 3): right after a VAR_CREATE, what the variable was made
 * with beyond it: its initializer (str, VS_INIT_TEXT: the one given,
 * inherited from the scope, or the default: "glorot_uniform" for a float
 * get_variable without one), constraint (label str), caching_device
 * and device (strs, 0 none) */
struct vs_evp_var_info {
	uint32_t variable, initializer, constraint, caching_device, device;
};
/* TEMPLATE_MAKE: name, unique_name (strs), scope_id captured now (0), its
 * scope_name (str); flags CREATE_SCOPE_NOW, HAS_GETTER, EAGER */
struct vs_evp_template_make {
	uint32_t template_id, name, unique_name, scope_id, scope_name;
};
/* TEMPLATE_CALL_ENTER: call_index (1 = first), scope_name (str),
 * first_call = 1 if the first call runs */
struct vs_evp_template_enter {
	uint32_t template_id, call_index, scope_name, first_call;
};
/* TEMPLATE_CALL_EXIT: outcome, new trainable and new global variables */
struct vs_evp_template_exit {
	uint32_t template_id, call_index;
	VS_EVP_PAD;
	uint32_t outcome, n_trainable, n_global;
};
/* EAGER_STORE_NEW: copied_from = store id (0 none) */
struct vs_evp_eager_store_new {
	uint32_t store_id, copied_from;
};
/* EAGER_STORE_ENTER / EAGER_STORE_EXIT */
struct vs_evp_eager_store {
	uint32_t store_id;
	VS_EVP_PAD;
	VS_EVP_PAD;
	uint32_t cm;
};
/* ERROR: code = -vs_err (positive), message (str), tf_error = enum
 * vs_tf_error (0 = not one of TF's catalogued errors) */
struct vs_evp_error {
	uint32_t code, message, tf_error;
};
/* VAR_STORE_NEW: a fresh _VariableStore() (vs_var_store_new), store_id in
 * the id space of GETVAR_ENTER's store_id (ABI 2) */
struct vs_evp_var_store_new {
	uint32_t store_id;
};

/*
 * The one list of kinds: X(NAME, number, payload member).  It generates
 * enum vs_ev_kind (VS_EV_NAME = number), the kind names ("NAME") and the
 * store's kind table, so a kind is added in one place.  Numbers are part
 * of the trace format: never renumber, never reuse.
 */
#define VS_EV_KIND_LIST(X)                         \
	/* bookkeeping */                          \
	X(SITE, 1, site_def)                       \
	X(PROCESS_START, 2, process_start)         \
	X(PROCESS_END, 3, process_end)             \
	X(THREAD_START, 4, thread_start)           \
	X(THREAD_END, 5, none)                     \
	X(LOST, 6, lost)                           \
	X(MODULE, 7, module)                       \
	X(STACK, 8, stack)                         \
	/* contexts */                             \
	X(GRAPH_CREATE, 10, graph_create)          \
	X(CTX_PUSH, 11, ctx)                       \
	X(CTX_POP, 12, ctx)                        \
	X(RESET_GRAPH, 13, reset_graph)            \
	X(INIT_SCOPE_ENTER, 14, init_scope)        \
	X(INIT_SCOPE_EXIT, 15, init_scope)         \
	X(CONTROL_DEPS_ENTER, 16, control_deps)    \
	X(CONTROL_DEPS_EXIT, 17, control_deps)     \
	X(CFLOW_ENTER, 18, cflow)                  \
	X(CFLOW_EXIT, 19, cflow)                   \
	X(TAPE_PUSH, 20, tape)                     \
	X(TAPE_POP, 21, tape)                      \
	X(TAPE_PAUSE, 22, tape_pause)              \
	X(TAPE_RESUME, 23, tape_pause)             \
	/* names */                                \
	X(NAME_SCOPE_ENTER, 30, name_scope)        \
	X(NAME_SCOPE_EXIT, 31, name_scope)         \
	X(OP_CREATE, 32, op_create)                \
	/* variable scopes */                      \
	X(VARSCOPE_ENTER, 40, varscope)            \
	X(VARSCOPE_EXIT, 41, varscope)             \
	X(REUSE_VARIABLES, 42, reuse_variables)    \
	/* creators and getters */                 \
	X(CREATOR_SCOPE_ENTER, 50, creator_scope)  \
	X(CREATOR_SCOPE_EXIT, 51, creator_scope)   \
	X(CREATOR_CALL, 52, creator_call)          \
	X(CREATOR_RETURN, 53, creator_return)      \
	X(GETTER_CALL, 54, getter_call)            \
	X(GETTER_RETURN, 55, getter_return)        \
	/* variables */                            \
	X(GETVAR_ENTER, 60, getvar_enter)          \
	X(GETVAR_EXIT, 61, getvar_exit)            \
	X(VARIABLE_ENTER, 62, variable_enter)      \
	X(VARIABLE_EXIT, 63, variable_exit)        \
	X(VAR_CREATE, 64, var_create)              \
	X(VAR_ARGS, 65, var_args)                  \
	X(VAR_INFO, 66, var_info)                  \
	/* templates and eager stores */           \
	X(TEMPLATE_MAKE, 70, template_make)        \
	X(TEMPLATE_CALL_ENTER, 71, template_enter) \
	X(TEMPLATE_CALL_EXIT, 72, template_exit)   \
	X(EAGER_STORE_NEW, 73, eager_store_new)    \
	X(EAGER_STORE_ENTER, 74, eager_store)      \
	X(EAGER_STORE_EXIT, 75, eager_store)       \
	X(VAR_STORE_NEW, 76, var_store_new)        \
	/* errors */                               \
	X(ERROR, 80, error)

/* The payload members, once (an anonymous union in vs_event, a named type
 * for producers' compound literals). */
#define VS_EV_PAYLOAD_MEMBERS                          \
	uint32_t p[8];                                 \
	struct vs_evp_site site_def;                   \
	struct vs_evp_process_start process_start;     \
	struct vs_evp_process_end process_end;         \
	struct vs_evp_thread_start thread_start;       \
	struct vs_evp_none none;                       \
	struct vs_evp_lost lost;                       \
	struct vs_evp_module module;                   \
	struct vs_evp_stack stack;                     \
	struct vs_evp_graph_create graph_create;       \
	struct vs_evp_ctx ctx;                         \
	struct vs_evp_reset_graph reset_graph;         \
	struct vs_evp_init_scope init_scope;           \
	struct vs_evp_control_deps control_deps;       \
	struct vs_evp_cflow cflow;                     \
	struct vs_evp_tape tape;                       \
	struct vs_evp_tape_pause tape_pause;           \
	struct vs_evp_name_scope name_scope;           \
	struct vs_evp_op_create op_create;             \
	struct vs_evp_varscope varscope;               \
	struct vs_evp_reuse_variables reuse_variables; \
	struct vs_evp_creator_scope creator_scope;     \
	struct vs_evp_creator_call creator_call;       \
	struct vs_evp_creator_return creator_return;   \
	struct vs_evp_getter_call getter_call;         \
	struct vs_evp_getter_return getter_return;     \
	struct vs_evp_getvar_enter getvar_enter;       \
	struct vs_evp_getvar_exit getvar_exit;         \
	struct vs_evp_variable_enter variable_enter;   \
	struct vs_evp_variable_exit variable_exit;     \
	struct vs_evp_var_create var_create;           \
	struct vs_evp_var_args var_args;               \
	struct vs_evp_var_info var_info;               \
	struct vs_evp_template_make template_make;     \
	struct vs_evp_template_enter template_enter;   \
	struct vs_evp_template_exit template_exit;     \
	struct vs_evp_eager_store_new eager_store_new; \
	struct vs_evp_eager_store eager_store;         \
	struct vs_evp_var_store_new var_store_new;     \
	struct vs_evp_error error;

typedef union vs_ev_payload {
	VS_EV_PAYLOAD_MEMBERS
} vs_ev_payload;

typedef struct vs_event {
	uint64_t seq;   /* process-wide sequence number, from 1 */
	uint64_t ts_ns; /* CLOCK_REALTIME, nanoseconds */
	uint32_t tid;   /* runtime thread number in the process: 1 = first thread */
	uint16_t kind;  /* enum vs_ev_kind */
	uint16_t flags; /* kind-specific VS_EVF_* bits */
	uint32_t site;  /* call-site id (see VS_EV_SITE), 0 = none */
	uint32_t graph; /* id of the default graph at the time, 0 = eager */
	union {         /* ev->getvar_enter.full_name, ...; ev->p[] raw */
		VS_EV_PAYLOAD_MEMBERS
	};
} vs_event;

/* _Static_assert in C, static_assert in C++ (the header is usable from both) */
#ifdef __cplusplus
#define VS_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define VS_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

VS_STATIC_ASSERT(sizeof(vs_event) == 64, "vs_event must stay 64 bytes");
VS_STATIC_ASSERT(sizeof(vs_ev_payload) == 8 * sizeof(uint32_t), "a payload is eight words");

/* The payload word index of a named field: VS_EVP_SLOT(getvar_exit, outcome)
 * == 3.  Code that must spell a slot as a number (SQL over the raw table's
 * p0..p7 columns) builds it from this. */
#define VS_EVP_SLOT(member, field) (offsetof(vs_ev_payload, member.field) / sizeof(uint32_t))

/* The documented slots, pinned: the trace format and the store's SQL read
 * these words by number. */
#define VS_EVP_PIN_(m, f, n) VS_STATIC_ASSERT(VS_EVP_SLOT(m, f) == (n), #m "." #f " is word " #n)
VS_EVP_PIN_(site_def, function, 3);
VS_EVP_PIN_(site_def, stack, 4);
VS_EVP_PIN_(module, build_id, 6);
VS_EVP_PIN_(stack, module, 4);
VS_EVP_PIN_(stack, site, 5);
VS_EVP_PIN_(thread_start, parent_graph, 3);
VS_EVP_PIN_(graph_create, name, 2);
VS_EVP_PIN_(ctx, cm, 3);
VS_EVP_PIN_(init_scope, from_graph, 4);
VS_EVP_PIN_(control_deps, cm, 3);
VS_EVP_PIN_(cflow, cm, 3);
VS_EVP_PIN_(tape, cm, 3);
VS_EVP_PIN_(tape_pause, cm, 3);
VS_EVP_PIN_(name_scope, resolved, 2);
VS_EVP_PIN_(op_create, op_id, 3);
VS_EVP_PIN_(varscope, cm, 7);
VS_EVP_PIN_(creator_scope, cm, 3);
VS_EVP_PIN_(creator_call, call_id, 5);
VS_EVP_PIN_(creator_return, call_id, 5);
VS_EVP_PIN_(creator_return, n_created, 7);
VS_EVP_PIN_(getter_call, call_id, 5);
VS_EVP_PIN_(getter_return, outcome, 6);
VS_EVP_PIN_(getvar_enter, store_id, 7);
VS_EVP_PIN_(getvar_exit, dtype, 7);
VS_EVP_PIN_(variable_enter, call_id, 5);
VS_EVP_PIN_(variable_exit, call_id, 5);
VS_EVP_PIN_(variable_exit, outcome, 3);
VS_EVP_PIN_(var_create, template_id, 7);
VS_EVP_PIN_(var_args, initializer, 1);
VS_EVP_PIN_(var_args, packed, 7);
VS_EVP_PIN_(var_info, initializer, 1);
VS_EVP_PIN_(var_info, device, 4);
VS_EVP_PIN_(template_make, scope_name, 4);
VS_EVP_PIN_(template_enter, first_call, 3);
VS_EVP_PIN_(template_exit, n_global, 5);
VS_EVP_PIN_(eager_store, cm, 3);
VS_EVP_PIN_(error, tf_error, 2);
#undef VS_EVP_PIN_

enum vs_ev_kind {
	VS_EV_NONE = 0,
#define VS_EV_ENUM_(name, num, member) VS_EV_##name = num,
	VS_EV_KIND_LIST(VS_EV_ENUM_)
#undef VS_EV_ENUM_
		VS_EV__COUNT
};

/* TensorFlow's catalogued errors (docs/semantics.md, "Errors"), carried in
 * ERROR's tf_error.  Numbers are part of the trace format. */
enum vs_tf_error {
	VS_TFE_NONE = 0,
	VS_TFE_VAR_EXISTS = 1,          /* Variable %s already exists, disallowed... */
	VS_TFE_VAR_MISSING = 2,         /* Variable %s does not exist, or was not created... */
	VS_TFE_SHARE_SHAPE = 3,         /* Trying to share variable %s, but specified shape */
	VS_TFE_SHARE_DTYPE = 4,         /* Trying to share variable %s, but specified dtype */
	VS_TFE_CONST_INIT_SHAPE = 5,    /* If initializer is a constant, do not specify shape. */
	VS_TFE_INIT_DTYPE = 6,          /* Initializer type '%s' and explicit dtype '%s' ... */
	VS_TFE_BAD_INITIALIZER = 7,     /* The initializer passed is not valid... */
	VS_TFE_NO_INITIALIZER = 8,      /* An initializer for variable %s of %s is required */
	VS_TFE_GETTER_NOT_CALLABLE = 9, /* Passed a custom_getter which is not callable */
	VS_TFE_PARTITIONER_NOT_CALLABLE = 10, /* Partitioner must be callable... */
	VS_TFE_EAGER_REUSE = 11,              /* eager reuse without an EagerVariableStore */
	VS_TFE_SCOPE_NAME_REQUIRED = 12,      /* If default_name is None then name_or_scope... */
	VS_TFE_BAD_REUSE = 13,            /* The reuse parameter must be True or False or None. */
	VS_TFE_BAD_AUX_NAME_SCOPE = 14,   /* The auxiliary_name_scope must be `True` or ... */
	VS_TFE_BAD_SCOPE_TYPE = 15,       /* name_or_scope must be a string or VariableScope. */
	VS_TFE_DEFAULT_NAME_REUSE = 16,   /* reuse=True cannot be used without a name_or_scope */
	VS_TFE_SCOPE_NESTING = 17,        /* Improper nesting of variable_scope. */
	VS_TFE_CREATOR_NESTING = 18,      /* Exiting variable_creator_scope without proper... */
	VS_TFE_INIT_SCOPE = 19,           /* init_scope: every graph is building a function */
	VS_TFE_BAD_SCOPE_NAME = 20,       /* '%s' is not a valid (root) scope name... */
	VS_TFE_NAME_SCOPE_ARGS = 21,      /* At least one of name and default_name... */
	VS_TFE_TEMPLATE_NAME = 22,        /* name cannot be None. */
	VS_TFE_TEMPLATE_TRAINABLE = 23,   /* Trainable variable created when calling a template */
	VS_TFE_TEMPLATE_WRAPPED = 24,     /* an error inside a template call, re-raised */
	VS_TFE_EAGER_UNIQUE_NAME = 25,    /* unique_name_ cannot be used when eager... */
	VS_TFE_EAGER_TEMPLATE_GRAPH = 26, /* EagerTemplate objects can only be used when eager */
	VS_TFE_EAGER_STORE_COPY = 27,     /* Cannot construct EagerVariableStore from ... */
	VS_TFE_STACK_NESTING = 28,        /* Nesting violated for default stack of %s objects */
	VS_TFE_RESET_NESTED = 29,         /* Do not use tf.reset_default_graph() to clear nested */
	VS_TFE_CONTROL_INPUT = 30,        /* Control input must be Operation or Tensor */
	VS_TFE_PARTITIONED = 31,          /* partitioned-variable errors */
	VS_TFE__COUNT
};

/*
 * Events of composite calls (what the runtime emits inside one public call):
 *  - variable_scope in graph mode (default graph not building a function)
 *    enters graph.as_default(): CTX_PUSH(VS_CTX_GRAPH) before its
 *    NAME_SCOPE_ENTER and VARSCOPE_ENTER, CTX_POP after its VARSCOPE_EXIT
 *    and NAME_SCOPE_EXIT, all with the variable scope's cm id;
 *  - get_variable runs under name_scope(None): NAME_SCOPE_ENTER (resolved
 *    "") right after GETVAR_ENTER, NAME_SCOPE_EXIT right before GETVAR_EXIT;
 *  - the variable constructors (default creator) run in init_scope and
 *    name_scope(name, "Variable"): INIT_SCOPE_ENTER (unless no_lifting),
 *    NAME_SCOPE_ENTER, VAR_CREATE, OP_CREATE (the initializer "<name>/Assign",
 *    graph mode only), NAME_SCOPE_EXIT, INIT_SCOPE_EXIT;
 *  - an init_scope emits no CTX_PUSH/CTX_POP of its own: INIT_SCOPE_ENTER's
 *    payload describes the context it switched to;
 *  - a failing exit (E17, E18, E28) emits ERROR; E18 and E28 then emit
 *    their CREATOR_SCOPE_EXIT / CTX_POP anyway, E17 emits the name scope's
 *    and graph's exits but no VARSCOPE_EXIT: the scope stays entered and
 *    its VARSCOPE_EXIT comes with the exit that succeeds later; the state is
 *    what TF leaves (docs/semantics.md).
 * Internal context managers get fresh cm ids.
 */

/* flags (meaning depends on kind) */
enum {
	VS_EVF_BUILDING_FUNCTION = 1u << 0,
	VS_EVF_GLOBAL_DEFAULT = 1u << 1,
	VS_EVF_LIFTED = 1u << 2,
	VS_EVF_FALLBACK_GLOBAL = 1u << 3,
	VS_EVF_CLEARED = 1u << 4,
	VS_EVF_IN_CFLOW = 1u << 5,
	VS_EVF_TAPE_RECORDING = 1u << 6,
	VS_EVF_DEFAULT_NAME = 1u << 7,
	VS_EVF_NO_AUX_NAME_SCOPE = 1u << 8,
	VS_EVF_ROOT_SCOPE = 1u << 9,
	VS_EVF_TRAINABLE = 1u << 10,
	VS_EVF_RESOURCE = 1u << 11,
	VS_EVF_DIRECT = 1u << 12,
	VS_EVF_LOCAL = 1u << 13,
	VS_EVF_PARTITIONED = 1u << 14,
	VS_EVF_EAGER = 1u << 15
};
/* aliases for kinds whose flags reuse a bit */
#define VS_EVF_V2 VS_EVF_DIRECT
#define VS_EVF_NO_LIFT VS_EVF_LIFTED
#define VS_EVF_CREATE_SCOPE_NOW VS_EVF_DEFAULT_NAME
#define VS_EVF_HAS_GETTER VS_EVF_NO_AUX_NAME_SCOPE
#define VS_EVF_IN_CONTROL_DEPS VS_EVF_CLEARED /* on VAR_CREATE: made under control deps */
#define VS_EVF_STORE_CALL VS_EVF_DIRECT       /* on GETVAR_ENTER: _VariableStore.get_variable */

enum vs_ctx_kind {
	VS_CTX_GRAPH = 1,     /* graph.as_default(): pushes a context-switch entry */
	VS_CTX_EAGER = 2,     /* eager_mode(): pushes a context-switch entry */
	VS_CTX_GRAPH_MODE = 3 /* graph_mode(): sets graph mode, pushes no entry */
};

enum vs_cflow_kind { VS_CFLOW_COND = 1, VS_CFLOW_WHILE = 2 };

enum vs_outcome {
	VS_OUT_NONE = 0,
	VS_OUT_CREATED = 1, /* a new variable was made */
	VS_OUT_REUSED = 2,  /* an existing variable was returned */
	VS_OUT_ERROR = 3,   /* an error was raised (see the preceding ERROR) */
	VS_OUT_OTHER = 4    /* returned something that is not a variable, or nothing */
};

/* "GETVAR_ENTER", ...; NULL for an unknown kind. */
VS_API const char *vs_ev_kind_name(unsigned kind);
/* the kind for a name as printed by vs_ev_kind_name (case-insensitive), or -1 */
VS_API int vs_ev_kind_from_name(const char *name);
/* "created", "reused", "error", "other", "" */
VS_API const char *vs_outcome_name(unsigned outcome);

#ifdef __cplusplus
}
#endif
#endif /* VS_EVENT_H */
