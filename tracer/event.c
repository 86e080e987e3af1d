/* SPDX-License-Identifier: MIT */
/*
 * tracer/event.c - names of event kinds and outcomes (vs/event.h).
 *
 * Invariant: the table covers every kind of enum vs_ev_kind; names are the
 * enum names without the VS_EV_ prefix.
 */
#include <strings.h>

#include "vs/event.h"

static const char *const kind_names[VS_EV__COUNT] = {
	[VS_EV_SITE] = "SITE",
	[VS_EV_PROCESS_START] = "PROCESS_START",
	[VS_EV_PROCESS_END] = "PROCESS_END",
	[VS_EV_THREAD_START] = "THREAD_START",
	[VS_EV_THREAD_END] = "THREAD_END",
	[VS_EV_LOST] = "LOST",
	[VS_EV_GRAPH_CREATE] = "GRAPH_CREATE",
	[VS_EV_CTX_PUSH] = "CTX_PUSH",
	[VS_EV_CTX_POP] = "CTX_POP",
	[VS_EV_RESET_GRAPH] = "RESET_GRAPH",
	[VS_EV_INIT_SCOPE_ENTER] = "INIT_SCOPE_ENTER",
	[VS_EV_INIT_SCOPE_EXIT] = "INIT_SCOPE_EXIT",
	[VS_EV_CONTROL_DEPS_ENTER] = "CONTROL_DEPS_ENTER",
	[VS_EV_CONTROL_DEPS_EXIT] = "CONTROL_DEPS_EXIT",
	[VS_EV_CFLOW_ENTER] = "CFLOW_ENTER",
	[VS_EV_CFLOW_EXIT] = "CFLOW_EXIT",
	[VS_EV_TAPE_PUSH] = "TAPE_PUSH",
	[VS_EV_TAPE_POP] = "TAPE_POP",
	[VS_EV_TAPE_PAUSE] = "TAPE_PAUSE",
	[VS_EV_TAPE_RESUME] = "TAPE_RESUME",
	[VS_EV_NAME_SCOPE_ENTER] = "NAME_SCOPE_ENTER",
	[VS_EV_NAME_SCOPE_EXIT] = "NAME_SCOPE_EXIT",
	[VS_EV_OP_CREATE] = "OP_CREATE",
	[VS_EV_VARSCOPE_ENTER] = "VARSCOPE_ENTER",
	[VS_EV_VARSCOPE_EXIT] = "VARSCOPE_EXIT",
	[VS_EV_REUSE_VARIABLES] = "REUSE_VARIABLES",
	[VS_EV_CREATOR_SCOPE_ENTER] = "CREATOR_SCOPE_ENTER",
	[VS_EV_CREATOR_SCOPE_EXIT] = "CREATOR_SCOPE_EXIT",
	[VS_EV_CREATOR_CALL] = "CREATOR_CALL",
	[VS_EV_CREATOR_RETURN] = "CREATOR_RETURN",
	[VS_EV_GETTER_CALL] = "GETTER_CALL",
	[VS_EV_GETTER_RETURN] = "GETTER_RETURN",
	[VS_EV_GETVAR_ENTER] = "GETVAR_ENTER",
	[VS_EV_GETVAR_EXIT] = "GETVAR_EXIT",
	[VS_EV_VARIABLE_ENTER] = "VARIABLE_ENTER",
	[VS_EV_VARIABLE_EXIT] = "VARIABLE_EXIT",
	[VS_EV_VAR_CREATE] = "VAR_CREATE",
	[VS_EV_TEMPLATE_MAKE] = "TEMPLATE_MAKE",
	[VS_EV_TEMPLATE_CALL_ENTER] = "TEMPLATE_CALL_ENTER",
	[VS_EV_TEMPLATE_CALL_EXIT] = "TEMPLATE_CALL_EXIT",
	[VS_EV_EAGER_STORE_NEW] = "EAGER_STORE_NEW",
	[VS_EV_EAGER_STORE_ENTER] = "EAGER_STORE_ENTER",
	[VS_EV_EAGER_STORE_EXIT] = "EAGER_STORE_EXIT",
	[VS_EV_ERROR] = "ERROR",
};

const char *vs_ev_kind_name(unsigned kind)
{
	return kind < VS_EV__COUNT ? kind_names[kind] : NULL;
}

int vs_ev_kind_from_name(const char *name)
{
	if (!name)
		return -1;
	for (unsigned k = 0; k < VS_EV__COUNT; k++)
		if (kind_names[k] && strcasecmp(kind_names[k], name) == 0)
			return (int)k;
	return -1;
}

const char *vs_outcome_name(unsigned outcome)
{
	switch (outcome) {
	case VS_OUT_CREATED: return "created";
	case VS_OUT_REUSED: return "reused";
	case VS_OUT_ERROR: return "error";
	case VS_OUT_OTHER: return "other";
	default: return "";
	}
}
