/* SPDX-License-Identifier: MIT */
/*
 * tracer/event.c - names of event kinds and outcomes (vs/event.h).
 *
 * The names come from VS_EV_KIND_LIST, so they are the enum names without
 * the VS_EV_ prefix, for every kind.
 */
#include <strings.h>

#include "vs/event.h"

static const char *const kind_names[VS_EV__COUNT] = {
#define KIND_NAME_(name, num, member) [VS_EV_##name] = #name,
	VS_EV_KIND_LIST(KIND_NAME_)
#undef KIND_NAME_
};

const char *vs_ev_kind_name(unsigned kind) { return kind < VS_EV__COUNT ? kind_names[kind] : NULL; }

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
