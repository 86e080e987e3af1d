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

#include <stdint.h>

#include "vs/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VS_EVENT_ABI 1

typedef struct vs_event {
	uint64_t seq;   /* process-wide sequence number, from 1 */
	uint64_t ts_ns; /* CLOCK_REALTIME, nanoseconds */
	uint32_t tid;   /* runtime thread number in the process: 1 = first thread */
	uint16_t kind;  /* enum vs_ev_kind */
	uint16_t flags; /* kind-specific VS_EVF_* bits */
	uint32_t site;  /* call-site id (see VS_EV_SITE), 0 = none */
	uint32_t graph; /* id of the default graph at the time, 0 = eager */
	uint32_t p[8];  /* payload; meaning per kind, see the table below */
} vs_event;

_Static_assert(sizeof(vs_event) == 64, "vs_event must stay 64 bytes");

/*
 * Kinds and payloads.  "str" = interned string id, "id" = object id.
 * Unlisted p[] slots are 0.
 */
enum vs_ev_kind {
	VS_EV_NONE = 0,
	/* --- bookkeeping ------------------------------------------------- */
	VS_EV_SITE = 1,          /* p0 site id, p1 file str, p2 line, p3 function str */
	VS_EV_PROCESS_START = 2, /* p0 pid, p1 parent pid, p2 parent process's last seq
	                            before fork (0 if not a fork child) */
	VS_EV_PROCESS_END = 3,   /* p0 exit status (as passed to exit) */
	VS_EV_THREAD_START = 4,  /* p0 OS thread id, p1 parent runtime tid (0 unknown),
	                            p2 parent's current var-scope str at spawn,
	                            p3 graph id the parent had as default at spawn */
	VS_EV_THREAD_END = 5,    /* (none) */
	VS_EV_LOST = 6,          /* p0 events lost here (low 32 bits), p1 high 32 bits;
	                            written by the transport, not the runtime */
	/* --- contexts ---------------------------------------------------- */
	VS_EV_GRAPH_CREATE = 10, /* p0 graph id, p1 outer graph id (function graphs),
	                            p2 name str; flags BUILDING_FUNCTION, GLOBAL_DEFAULT */
	VS_EV_CTX_PUSH = 11,     /* p0 enum vs_ctx_kind, p1 graph id (0 eager),
	                            p2 context-switch log depth after the push,
	                            p3 cm id; flags BUILDING_FUNCTION */
	VS_EV_CTX_POP = 12,      /* p0 vs_ctx_kind, p1 graph id, p2 log depth after pop, p3 cm id */
	VS_EV_RESET_GRAPH = 13,  /* p0 old global graph id, p1 new global graph id */
	VS_EV_INIT_SCOPE_ENTER = 14, /* p0 vs_ctx_kind lifted to, p1 graph id lifted to,
	                            p2 name-scope str carried over, p3 cm id,
	                            p4 graph id lifted from (0 eager);
	                            flags LIFTED (left a function graph),
	                            FALLBACK_GLOBAL (outer context = global graph) */
	VS_EV_INIT_SCOPE_EXIT = 15,  /* p3 cm id */
	VS_EV_CONTROL_DEPS_ENTER = 16, /* p0 number of control inputs, p3 cm id;
	                            flags CLEARED (control_dependencies(None)) */
	VS_EV_CONTROL_DEPS_EXIT = 17,  /* p3 cm id */
	VS_EV_CFLOW_ENTER = 18,  /* p0 enum vs_cflow_kind, p3 cm id */
	VS_EV_CFLOW_EXIT = 19,   /* p0 vs_cflow_kind, p3 cm id */
	VS_EV_TAPE_PUSH = 20,    /* p0 tape id, p3 cm id */
	VS_EV_TAPE_POP = 21,     /* p0 tape id, p3 cm id */
	VS_EV_TAPE_PAUSE = 22,   /* stop_recording entered; p0 1 if it stopped tapes
	                            (outermost), p3 cm id */
	VS_EV_TAPE_RESUME = 23,  /* stop_recording exited; p0 as for PAUSE, p3 cm id */
	/* --- names ------------------------------------------------------- */
	VS_EV_NAME_SCOPE_ENTER = 30, /* p0 requested str, p1 default-name str,
	                            p2 resolved str (with trailing '/', "" = root),
	                            p3 cm id */
	VS_EV_NAME_SCOPE_EXIT = 31,  /* p2 name scope restored str, p3 cm id */
	VS_EV_OP_CREATE = 32,    /* p0 op name str, p1 op type str, p2 control inputs,
	                            p3 op id; flags IN_CFLOW, TAPE_RECORDING,
	                            BUILDING_FUNCTION */
	/* --- variable scopes --------------------------------------------- */
	VS_EV_VARSCOPE_ENTER = 40, /* p0 requested name str (or default_name),
	                            p1 resolved full scope name str,
	                            p2 reuse asked (vs_reuse), p3 reuse effective
	                            (vs_reuse: FALSE/TRUE/AUTO), p4 captured scope id
	                            (0 = by string), p5 name scope opened str (0 none),
	                            p6 new scope object id, p7 cm id;
	                            flags DEFAULT_NAME, NO_AUX_NAME_SCOPE */
	VS_EV_VARSCOPE_EXIT = 41,  /* p1 full name str, p6 scope id, p7 cm id */
	VS_EV_REUSE_VARIABLES = 42,/* reuse_variables() on a scope: p0 scope id,
	                            p1 scope full name str; flags ROOT_SCOPE (the
	                            thread's root scope object itself, not a
	                            re-entered copy of it) */
	/* --- creators and getters ---------------------------------------- */
	VS_EV_CREATOR_SCOPE_ENTER = 50, /* p0 creator label str, p1 priority, p2 depth
	                            of the creator stack after entry, p3 cm id */
	VS_EV_CREATOR_SCOPE_EXIT = 51,  /* p0 label str, p3 cm id */
	VS_EV_CREATOR_CALL = 52,   /* p0 depth in chain (0 = first called),
	                            p1 creator label str (0 = default creator),
	                            p2 kwargs name str, p3 dtype, p4 shape str,
	                            p5 call id; flags TRAINABLE, RESOURCE */
	VS_EV_CREATOR_RETURN = 53, /* p0 depth, p1 label str, p2 variable id returned
	                            (0 none), p5 call id, p6 enum vs_outcome,
	                            p7 variables created inside this call */
	VS_EV_GETTER_CALL = 54,    /* p0 depth (0 = innermost, called first),
	                            p1 getter label str (0 = true getter), p2 name str,
	                            p3 reuse (vs_reuse), p5 call id */
	VS_EV_GETTER_RETURN = 55,  /* p0 depth, p1 label str, p2 variable id (0 none),
	                            p3 returned variable's store key str,
	                            p5 call id, p6 vs_outcome */
	/* --- variables --------------------------------------------------- */
	VS_EV_GETVAR_ENTER = 60,   /* get_variable / get_local_variable:
	                            p0 requested name str, p1 full name (store key) str,
	                            p2 shape str (0 = None), p3 dtype (vs_dtype, 0 None),
	                            p4 effective reuse (vs_reuse), p5 call id,
	                            p6 current var-scope id, p7 store id;
	                            flags LOCAL, PARTITIONED, EAGER */
	VS_EV_GETVAR_EXIT = 61,    /* p0 requested str, p1 full name str, p2 variable id,
	                            p3 vs_outcome, p4 effective reuse, p5 call id,
	                            p6 result shape str, p7 result dtype */
	VS_EV_VARIABLE_ENTER = 62, /* direct Variable(): p0 requested name str,
	                            p1 current name scope str, p5 call id;
	                            flags TRAINABLE, V2, NO_LIFT */
	VS_EV_VARIABLE_EXIT = 63,  /* p2 variable id, p3 vs_outcome, p5 call id */
	VS_EV_VAR_CREATE = 64,     /* a variable object came to exist (default creator):
	                            p0 variable id, p1 variable name str ("foo/v:0"),
	                            p2 store key str (0 direct), p3 shape str,
	                            p4 dtype, p5 collections str (comma-joined),
	                            p6 graph id it lives in (0 eager),
	                            p7 template id it was created under (0 none);
	                            flags TRAINABLE, RESOURCE, DIRECT, LOCAL, LIFTED,
	                            PARTITIONED (a shard), EAGER */
	/* --- templates and eager stores ---------------------------------- */
	VS_EV_TEMPLATE_MAKE = 70,  /* p0 template id, p1 name str, p2 unique_name str,
	                            p3 scope id captured now (0), p4 scope full name str;
	                            flags CREATE_SCOPE_NOW, HAS_GETTER, EAGER */
	VS_EV_TEMPLATE_CALL_ENTER = 71, /* p0 template id, p1 call index (1 = first),
	                            p2 scope full name str, p3 1 if first call runs */
	VS_EV_TEMPLATE_CALL_EXIT = 72,  /* p0 template id, p1 call index, p3 vs_outcome,
	                            p4 new trainable, p5 new global variables */
	VS_EV_EAGER_STORE_NEW = 73,     /* p0 store id, p1 copied-from store id */
	VS_EV_EAGER_STORE_ENTER = 74,   /* p0 store id, p3 cm id */
	VS_EV_EAGER_STORE_EXIT = 75,    /* p0 store id, p3 cm id */
	/* --- errors ------------------------------------------------------ */
	VS_EV_ERROR = 80,          /* p0 -vs_err (positive), p1 message str,
	                            p2 TF error catalogue number (E1..E31, 0 other) */
	VS_EV__COUNT
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
 *    NAME_SCOPE_ENTER, VAR_CREATE, NAME_SCOPE_EXIT, INIT_SCOPE_EXIT;
 *  - an init_scope emits no CTX_PUSH/CTX_POP of its own: INIT_SCOPE_ENTER's
 *    payload describes the context it switched to;
 *  - a failing exit (E17, E18, E28) emits ERROR, then the *_EXIT / CTX_POP
 *    anyway; the state is what TF leaves (see SEMANTICS.md).
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

enum vs_ctx_kind {
	VS_CTX_GRAPH = 1,      /* graph.as_default(): pushes a context-switch entry */
	VS_CTX_EAGER = 2,      /* eager_mode(): pushes a context-switch entry */
	VS_CTX_GRAPH_MODE = 3  /* graph_mode(): sets graph mode, pushes no entry */
};

enum vs_cflow_kind { VS_CFLOW_COND = 1, VS_CFLOW_WHILE = 2 };

enum vs_outcome {
	VS_OUT_NONE = 0,
	VS_OUT_CREATED = 1,  /* a new variable was made */
	VS_OUT_REUSED = 2,   /* an existing variable was returned */
	VS_OUT_ERROR = 3,    /* an error was raised (see the preceding ERROR) */
	VS_OUT_OTHER = 4     /* returned something that is not a variable, or nothing */
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
