/* SPDX-License-Identifier: MIT */
/*
 * scenario/ast.h - the scenario program as a validated tree (internal to
 * scenario/: load.c builds it, exec.c and expect.c walk it).
 *
 * Invariant: a vs_scn that load.c hands out is fully validated: every step
 * kind, key, value type and enum is known, every reference (graph, scope,
 * op, template, store, variable, cm, getter, creator, function, thread)
 * names something the program binds or declares, and every node carries
 * the file:line:col it came from.  The executor never sees bad input.
 */
#ifndef VS_SCENARIO_AST_H
#define VS_SCENARIO_AST_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"
#include "vs/vs.h"

typedef struct vs_scn_pos {
	int line, col; /* 1-based */
} vs_scn_pos;

/* What a name bound with `as:` (or declared at top level) refers to. */
typedef enum vs_scn_ns {
	VS_SCN_NS_NONE = 0,
	VS_SCN_NS_GRAPH,
	VS_SCN_NS_SCOPE,
	VS_SCN_NS_OP,
	VS_SCN_NS_TEMPLATE,
	VS_SCN_NS_STORE,
	VS_SCN_NS_VAR,
	VS_SCN_NS_CM,
	VS_SCN_NS_GETTER,   /* top-level getters: */
	VS_SCN_NS_CREATOR,  /* top-level creators: */
	VS_SCN_NS_FUNCTION, /* top-level functions: */
	VS_SCN_NS_THREAD,   /* top-level threads: */
	VS_SCN_NS_VARSTORE, /* a _VariableStore (var_store, capture_store) */
	VS_SCN_NS_FUNCOBJ,  /* a traced function object (def_function) */
	VS_SCN_NS__COUNT
} vs_scn_ns;

/* Step kinds.  Keep in the order of the table in load.c. */
typedef enum vs_scn_kind {
	VS_SCN_GRAPH,
	VS_SCN_FUNC_GRAPH,
	VS_SCN_AS_DEFAULT,
	VS_SCN_EAGER_MODE,
	VS_SCN_GRAPH_MODE,
	VS_SCN_RESET_DEFAULT_GRAPH,
	VS_SCN_INIT_SCOPE,
	VS_SCN_NAME_SCOPE,
	VS_SCN_OP,
	VS_SCN_UNIQUE_NAME,
	VS_SCN_CONTROL_DEPENDENCIES,
	VS_SCN_COND,
	VS_SCN_WHILE_LOOP,
	VS_SCN_GRADIENT_TAPE,
	VS_SCN_STOP_RECORDING,
	VS_SCN_VARIABLE_SCOPE,
	VS_SCN_CAPTURE_SCOPE,
	VS_SCN_CAPTURE_GRAPH,
	VS_SCN_REUSE_VARIABLES,
	VS_SCN_SCOPE_SET,
	VS_SCN_CREATOR_SCOPE,
	VS_SCN_GET_VARIABLE,
	VS_SCN_GET_LOCAL_VARIABLE,
	VS_SCN_VARIABLE,
	VS_SCN_MAKE_TEMPLATE,
	VS_SCN_CALL,
	VS_SCN_EAGER_STORE,
	VS_SCN_EAGER_STORE_COPY,
	VS_SCN_EAGER_STORE_SCOPE,
	VS_SCN_DEVICE,
	VS_SCN_DEF_FUNCTION,
	VS_SCN_RAISE,
	VS_SCN_VAR_STORE,
	VS_SCN_CAPTURE_STORE,
	VS_SCN_STORE_GET_VARIABLE,
	VS_SCN_START,
	VS_SCN_JOIN,
	VS_SCN_YIELD,
	VS_SCN_EXIT,
	VS_SCN_CHECK,
	VS_SCN_KIND__COUNT
} vs_scn_kind;

/* reuse: invalid - a value outside enum vs_reuse, modelling a reuse
 * argument that is not a bool, None or AUTO_REUSE (TensorFlow raises
 * "The reuse parameter must be True or False or None.", docs/semantics.md
 * section 3.2). */
#define VS_SCN_REUSE_INVALID ((vs_reuse)99)

/* Step arguments (keys inside the step's mapping). */
typedef enum vs_scn_arg {
	VS_SCN_A_NAME,
	VS_SCN_A_DEFAULT_NAME,
	VS_SCN_A_SCOPE, /* ref scope */
	VS_SCN_A_GRAPH, /* ref graph */
	VS_SCN_A_REUSE,
	VS_SCN_A_INITIALIZER,
	VS_SCN_A_INITIAL_VALUE,
	VS_SCN_A_REGULARIZER,
	VS_SCN_A_CACHING_DEVICE,
	VS_SCN_A_PARTITIONER,
	VS_SCN_A_CUSTOM_GETTER, /* ref getter */
	VS_SCN_A_DTYPE,
	VS_SCN_A_USE_RESOURCE,
	VS_SCN_A_CONSTRAINT,
	VS_SCN_A_AUX_NAME_SCOPE,
	VS_SCN_A_SHAPE,
	VS_SCN_A_TRAINABLE,
	VS_SCN_A_COLLECTIONS,
	VS_SCN_A_VALIDATE_SHAPE,
	VS_SCN_A_SYNCHRONIZATION,
	VS_SCN_A_AGGREGATION,
	VS_SCN_A_V2,
	VS_SCN_A_VALUES,
	VS_SCN_A_TYPE,
	VS_SCN_A_INPUTS,  /* op refs (NULL entries allowed), or null = clear */
	VS_SCN_A_CREATOR, /* ref creator */
	VS_SCN_A_PRIORITY,
	VS_SCN_A_FUNCTION, /* ref function */
	VS_SCN_A_TEMPLATE, /* ref template */
	VS_SCN_A_CREATE_SCOPE_NOW,
	VS_SCN_A_UNIQUE_NAME,
	VS_SCN_A_MARK_AS_USED,
	VS_SCN_A_STORE,     /* ref store */
	VS_SCN_A_FROM,      /* ref store */
	VS_SCN_A_VAR_STORE, /* ref variable store */
	VS_SCN_A_TRACED,    /* ref function object */
	VS_SCN_A_ARGS,      /* call arguments: {NAME: scalar} (list = names, argvals) */
	VS_SCN_A_TF_FUNCTION,
	VS_SCN_A_CREATE_GRAPH_FUNCTION,
	VS_SCN_A_ERROR, /* raise: a TF exception kind name */
	VS_SCN_A_MESSAGE,
	VS_SCN_A_WHEN,   /* raise: only when true */
	VS_SCN_A_THREAD, /* ref thread */
	VS_SCN_A_CM,     /* binds (on context steps) or refers to (exit) a cm */
	VS_SCN_A_AS,     /* binds the step's result */
	VS_SCN_A_BODY,
	VS_SCN_A__COUNT
} vs_scn_arg;

typedef struct vs_scn_step vs_scn_step;

typedef struct vs_scn_list {
	vs_scn_step *v;
	size_t n;
} vs_scn_list;

typedef struct vs_scn_strlist {
	char **v; /* entries may be NULL (YAML null) where a key allows it */
	size_t n;
} vs_scn_strlist;

typedef enum vs_scn_part_kind {
	VS_SCN_PART_FIXED,
	VS_SCN_PART_PARTS,
	VS_SCN_PART_NOT_CALLABLE,
	VS_SCN_PART_NOT_SEQUENCE
} vs_scn_part_kind;

typedef struct vs_scn_part {
	vs_scn_part_kind kind;
	int shards, axis; /* FIXED */
	int nparts;       /* PARTS */
	int64_t parts[VS_MAX_RANK];
} vs_scn_part;

/* One argument value; which member is valid follows from the key's type. */
typedef struct vs_scn_val {
	int set;
	vs_scn_pos pos;
	int is_null; /* given as YAML null (None) */
	char *str;   /* strings and refs */
	int b;       /* booleans */
	long long i; /* integers */
	vs_reuse reuse;
	vs_dtype dtype;
	vs_shape shape;
	vs_initializer init; /* init.shape points at init_shape when set */
	vs_shape init_shape;
	int init_has_shape;
	int regularizer_adds; /* regularizer: adds_loss (1) / returns_none (0) */
	vs_scn_part part;
	vs_sync sync;
	vs_agg agg;
	int aux_bad;            /* auxiliary_name_scope: not a boolean (str: its text) */
	int not_str;            /* a plain scalar YAML reads as a number or boolean
	                       * (variable_scope's name: E15, str: its text) */
	vs_scn_strlist list;    /* collections, inputs; args: the names */
	vs_scn_strlist argvals; /* args: the values (text), parallel to list */
	char *param;            /* `$NAME`: the value is the call argument NAME */
	vs_scn_list body;
} vs_scn_val;

/* Expectation keys (inside `expect:`), in the order expect.c evaluates
 * them, which is the order their failures are reported in; `error` is
 * evaluated apart, after the step (and its body) ran. */
typedef enum vs_scn_ekey {
	VS_SCN_E_NAME,
	VS_SCN_E_SCOPE,
	VS_SCN_E_NAME_SCOPE,
	VS_SCN_E_ORIGINAL_NAME_SCOPE,
	VS_SCN_E_REUSE,
	VS_SCN_E_SAME_AS,
	VS_SCN_E_NOT_SAME_AS,
	VS_SCN_E_CREATED,
	VS_SCN_E_TRAINABLE,
	VS_SCN_E_RESOURCE,
	VS_SCN_E_PARTITIONS,
	VS_SCN_E_SHAPE,
	VS_SCN_E_DTYPE,
	VS_SCN_E_INITIALIZER,
	VS_SCN_E_CONSTRAINT,
	VS_SCN_E_CACHING_DEVICE,
	VS_SCN_E_DEVICE,
	VS_SCN_E_INITIALIZER_OP,
	VS_SCN_E_OP,
	VS_SCN_E_COLLECTION,
	VS_SCN_E_TEMPLATE,
	VS_SCN_E_EAGER_STORE,
	VS_SCN_E_SCOPE_COLLECTION,
	VS_SCN_E_EAGER,
	VS_SCN_E_CONTROL_INPUTS,
	VS_SCN_E_CONTEXT_SWITCHES,
	VS_SCN_E_IN_CONTROL_FLOW,
	VS_SCN_E_TAPE_RECORDING,
	VS_SCN_E_BUILDING_FUNCTION,
	VS_SCN_E_GRAPH,
	VS_SCN_E_GRAPH_STACK,
	VS_SCN_E_EAGER_OUTSIDE_FUNCTIONS,
	VS_SCN_E_SCOPE_ATTR,
	VS_SCN_E_CALLS,
	VS_SCN_E_TRACES,
	VS_SCN_E_RECEIVED,
	VS_SCN_E_ERROR,
	VS_SCN_E__COUNT
} vs_scn_ekey;
_Static_assert(VS_SCN_E__COUNT <= 64, "vs_scn_expect.set has a bit per key");
#define VS_SCN_EBIT(k) (UINT64_C(1) << (k))

/* A named list of names: `collection: {trainable_variables: [..]}` etc. */
typedef struct vs_scn_namedlist {
	char *key;
	vs_scn_pos pos;
	vs_scn_strlist names;
	long long count; /* `calls:` counts */
} vs_scn_namedlist;

typedef struct vs_scn_expect {
	uint64_t set;  /* bit per vs_scn_ekey (VS_SCN_EBIT) */
	uint64_t null; /* bit per key given as null (expects "none") */
	vs_scn_pos pos[VS_SCN_E__COUNT];
	char *str[VS_SCN_E__COUNT]; /* string-valued keys, refs */
	int b[VS_SCN_E__COUNT];     /* boolean-valued keys */
	long long i[VS_SCN_E__COUNT];
	vs_reuse reuse;
	vs_shape shape;
	vs_dtype dtype;
	/* error: */
	int err_code;       /* a vs_err of a TF kind */
	char *err_message;  /* exact message, or NULL */
	char *err_prefix;   /* message prefix, or NULL */
	char *err_contains; /* a text the message contains, or NULL */
	/* collection:, calls: (maps) */
	vs_scn_namedlist *coll;
	size_t ncoll, capcoll;
	vs_scn_namedlist *calls;
	size_t ncalls, capcalls;
	vs_scn_namedlist *traces; /* traces: {FUNCTION_OBJECT: N} */
	size_t ntraces, captraces;
	/* received: {BEHAVIOUR: {call: N, KEY: value, ...}}: count = call (0 =
	 * the last), names = KEY, value, KEY, value, ... (value NULL: None) */
	vs_scn_namedlist *recv;
	size_t nrecv, caprecv;
	/* template: {template:, scope:, calls:, global:, trainable:, local:, ...} */
	char *tmpl_ref;
	char *tmpl_scope;
	int tmpl_scope_none;          /* scope: ~ (variable_scope is None: not called yet) */
	long long tmpl_calls;         /* -1 unless given */
	vs_scn_namedlist *tmpl_lists; /* key = global|trainable|local|variables|non_trainable */
	size_t ntmpl_lists, captmpl_lists;
	/* scope_collection: {scope: S, KEY: [names], ...} */
	char *sc_ref;
	vs_scn_namedlist *sc_lists;
	size_t nsc_lists, capsc_lists;
	/* initializer_op: {name:, type:, control_inputs:, device:} of the
	 * variable's initializer (null bit: expects none); op: {op: X, ...} of a
	 * bound op; names.v[0] of each entry is the expected text */
	vs_scn_namedlist *iop_props;
	size_t niop_props, capiop_props;
	char *op_ref;
	vs_scn_namedlist *op_props;
	size_t nop_props, capop_props;
	/* scope_attr: {scope: S, ATTR: value or null, ...}; names.v[0] of each
	 * entry is the expected text, NULL for None */
	char *sa_ref;
	vs_scn_namedlist *sa_attrs;
	size_t nsa_attrs, capsa_attrs;
	/* eager_store: {store:, variables:, trainable:, non_trainable:} */
	char *es_ref;
	vs_scn_namedlist *es_lists;
	size_t nes_lists, capes_lists;
} vs_scn_expect;

struct vs_scn_step {
	vs_scn_kind kind;
	vs_scn_pos pos; /* the step's mapping */
	int has_params; /* some argument is a `$NAME` call argument */
	vs_scn_val a[VS_SCN_A__COUNT];
	int has_expect;
	vs_scn_expect ex;
};

/* A declared getter or creator behaviour (top-level getters:/creators:). */
typedef struct vs_scn_behave {
	char *name;
	vs_scn_pos pos;
	int is_creator;
	int delegate;            /* call next (default 1) */
	int not_callable;        /* getters: model a non-callable getter */
	char *repr;              /* the object's text in messages (E9); NULL: the name */
	int repeat;              /* number of delegations (default 1) */
	vs_scn_strlist suffixes; /* one delegation per suffix, appended to the name */
	char *name_prefix, *name_suffix;
	char *return_ref; /* return this bound variable instead of delegating */
	int return_none;  /* return a non-variable */
	int err_code;     /* raise instead (0 = no) */
	char *err_message;
	/* kwargs rewrites (set:) */
	char *set_name;
	int set_trainable_given, set_trainable;
	vs_dtype set_dtype;
	int set_shape_given;
	vs_shape set_shape;
	int set_init_given;
	vs_initializer set_init;
	vs_shape set_init_shape;
	int set_init_has_shape; /* set_init.shape points at set_init_shape */
	int set_collections_given;
	vs_scn_strlist set_collections;
	int set_use_resource_given, set_use_resource;
	int set_reuse_given;
	vs_reuse set_reuse;
} vs_scn_behave;

typedef struct vs_scn_func {
	char *name;
	vs_scn_pos pos;
	vs_scn_list body;
} vs_scn_func;

typedef enum vs_scn_interleave { VS_SCN_DETERMINISTIC = 0, VS_SCN_FREE } vs_scn_interleave;

struct vs_scn {
	char *path; /* as given; also the call-site file of every libvs call */
	char *title;
	vs_runtime_opts config;
	vs_scn_interleave interleave;
	vs_scn_behave *behaves;
	size_t nbehaves, capbehaves;
	vs_scn_func *funcs;
	size_t nfuncs, capfuncs;
	vs_scn_func *threads;
	size_t nthreads, capthreads;
	vs_scn_list steps;
	/* hash index of the declared names for vs_scn_find_* (open addressing,
	 * built when loading ends; names point into behaves/funcs/threads) */
	struct vs_scn_decl {
		const char *name;
		int kind, idx;
	} * decls;
	size_t capdecls; /* 0 or a power of two */
};

/* the YAML name of a step kind */
const char *vs_scn_kind_name(vs_scn_kind k);
/* index of the named behaviour / function / thread, or -1 */
int vs_scn_find_behave(const vs_scn *s, const char *name, int is_creator);
int vs_scn_find_func(const vs_scn *s, const char *name);
int vs_scn_find_thread(const vs_scn *s, const char *name);
/* the YAML name of a reuse value ("none", "true", "auto", ...) */
const char *vs_scn_reuse_name(vs_reuse r);
/* Sets the value of argument `arg` (a `$NAME` reference) from the call
 * argument's text, parsed as the argument's type; v->str borrows text.
 * 0, or -1 when the text is not a value of that type. */
int vs_scn_param_value(int arg, const char *text, vs_scn_val *v);
/* the vs_err of a TF exception kind name ("ValueError", ...), 0 if none */
int vs_scn_err_code(const char *kind);

#endif /* VS_SCENARIO_AST_H */
