/* SPDX-License-Identifier: MIT */
/*
 * store/evdesc.c - the per-kind table of store/evdesc.h.
 */
#include "store/evdesc.h"

/* an opening kind and its closing kind (the next number) */
#define PAIR(open, close, cat, word) [open] = {1, cat, word}, [close] = {-1, cat, word}

static const vs_db_kind_desc descs[VS_EV__COUNT] = {
	PAIR(VS_EV_CTX_PUSH, VS_EV_CTX_POP, "context", NULL),
	PAIR(VS_EV_INIT_SCOPE_ENTER, VS_EV_INIT_SCOPE_EXIT, "context", "init_scope"),
	PAIR(VS_EV_CONTROL_DEPS_ENTER, VS_EV_CONTROL_DEPS_EXIT, "context", "control_dependencies"),
	PAIR(VS_EV_CFLOW_ENTER, VS_EV_CFLOW_EXIT, "context", "cond"),
	PAIR(VS_EV_TAPE_PUSH, VS_EV_TAPE_POP, "context", "GradientTape"),
	PAIR(VS_EV_TAPE_PAUSE, VS_EV_TAPE_RESUME, "context", "stop_recording"),
	PAIR(VS_EV_NAME_SCOPE_ENTER, VS_EV_NAME_SCOPE_EXIT, "scope", "name_scope"),
	PAIR(VS_EV_VARSCOPE_ENTER, VS_EV_VARSCOPE_EXIT, "scope", "variable_scope"),
	PAIR(VS_EV_CREATOR_SCOPE_ENTER, VS_EV_CREATOR_SCOPE_EXIT, "scope",
             "variable_creator_scope"),
	PAIR(VS_EV_CREATOR_CALL, VS_EV_CREATOR_RETURN, "call", "creator"),
	PAIR(VS_EV_GETTER_CALL, VS_EV_GETTER_RETURN, "call", "custom getter"),
	PAIR(VS_EV_GETVAR_ENTER, VS_EV_GETVAR_EXIT, "call", "get_variable"),
	PAIR(VS_EV_VARIABLE_ENTER, VS_EV_VARIABLE_EXIT, "call", "Variable"),
	PAIR(VS_EV_TEMPLATE_CALL_ENTER, VS_EV_TEMPLATE_CALL_EXIT, "call", "template"),
	PAIR(VS_EV_EAGER_STORE_ENTER, VS_EV_EAGER_STORE_EXIT, "scope", "EagerVariableStore"),
	[VS_EV_VAR_CREATE] = {0, "variable", "create"},
	[VS_EV_VAR_ARGS] = {0, "variable", "arguments"},
	[VS_EV_VAR_INFO] = {0, "variable", "variable info"},
	[VS_EV_ERROR] = {0, "error", NULL},
	[VS_EV_LOST] = {0, "lost", NULL},
	[VS_EV_REUSE_VARIABLES] = {0, "scope", "reuse_variables"},
	[VS_EV_GRAPH_CREATE] = {0, "context", NULL},
	[VS_EV_RESET_GRAPH] = {0, "context", "reset_default_graph"},
	[VS_EV_TEMPLATE_MAKE] = {0, "scope", "make_template"},
	[VS_EV_OP_CREATE] = {0, "op", "op"},
	[VS_EV_EAGER_STORE_NEW] = {0, "scope", NULL},
	[VS_EV_VAR_STORE_NEW] = {0, "scope", NULL},
	[VS_EV_PROCESS_START] = {0, "process", NULL},
	[VS_EV_PROCESS_END] = {0, "process", NULL},
	[VS_EV_THREAD_START] = {0, "process", NULL},
	[VS_EV_THREAD_END] = {0, "process", NULL},
};

/* the pairs rely on it */
_Static_assert(VS_EV_CTX_POP == VS_EV_CTX_PUSH + 1 &&
                       VS_EV_INIT_SCOPE_EXIT == VS_EV_INIT_SCOPE_ENTER + 1 &&
                       VS_EV_CONTROL_DEPS_EXIT == VS_EV_CONTROL_DEPS_ENTER + 1 &&
                       VS_EV_CFLOW_EXIT == VS_EV_CFLOW_ENTER + 1 &&
                       VS_EV_TAPE_POP == VS_EV_TAPE_PUSH + 1 &&
                       VS_EV_TAPE_RESUME == VS_EV_TAPE_PAUSE + 1 &&
                       VS_EV_NAME_SCOPE_EXIT == VS_EV_NAME_SCOPE_ENTER + 1 &&
                       VS_EV_VARSCOPE_EXIT == VS_EV_VARSCOPE_ENTER + 1 &&
                       VS_EV_CREATOR_SCOPE_EXIT == VS_EV_CREATOR_SCOPE_ENTER + 1 &&
                       VS_EV_CREATOR_RETURN == VS_EV_CREATOR_CALL + 1 &&
                       VS_EV_GETTER_RETURN == VS_EV_GETTER_CALL + 1 &&
                       VS_EV_GETVAR_EXIT == VS_EV_GETVAR_ENTER + 1 &&
                       VS_EV_VARIABLE_EXIT == VS_EV_VARIABLE_ENTER + 1 &&
                       VS_EV_TEMPLATE_CALL_EXIT == VS_EV_TEMPLATE_CALL_ENTER + 1 &&
                       VS_EV_EAGER_STORE_EXIT == VS_EV_EAGER_STORE_ENTER + 1,
               "an opening kind is closed by the next kind");

const vs_db_kind_desc *vs_db_kind_desc_of(unsigned kind)
{
	static const vs_db_kind_desc none;
	return kind < VS_EV__COUNT ? &descs[kind] : &none;
}

const char *vs_db_event_word(const vs_event *e)
{
	switch (e->kind) {
	case VS_EV_CREATOR_CALL: return e->creator_call.label ? "creator" : "default creator";
	case VS_EV_GETTER_CALL: return e->getter_call.label ? "custom getter" : "true getter";
	case VS_EV_GETVAR_ENTER:
		return (e->flags & VS_EVF_LOCAL) ? "get_local_variable" : "get_variable";
	case VS_EV_CFLOW_ENTER:
	case VS_EV_CFLOW_EXIT: return e->cflow.cflow_kind == VS_CFLOW_WHILE ? "while_loop" : "cond";
	default: return vs_db_kind_desc_of(e->kind)->word;
	}
}
