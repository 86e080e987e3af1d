/* SPDX-License-Identifier: MIT */
/*
 * rules/ruleset_impl.h - the rule set's layout, shared by rules/ruleset.c
 * and rules/config.c only (everyone else uses the opaque vs_rule_set).
 */
#ifndef VS_RULES_RULESET_IMPL_H
#define VS_RULES_RULESET_IMPL_H

#include "rules/rules.h"

struct vs_rule_set {
	vs_level level[VS_RULE__COUNT];
	int option[VS_RULE__COUNT];
	vs_level fail_on;     /* from the config; OFF = not set */
	char *config_path;    /* owned; NULL = none loaded */
	vs_suppression *supp; /* owned array */
	size_t n_supp, cap_supp;
};

/* select/ignore without validation (specs already checked) */
void vs_rule_set_apply_select(vs_rule_set *rs, const char *const *specs, size_t n);
void vs_rule_set_apply_ignore(vs_rule_set *rs, const char *const *specs, size_t n);
/* appends *s, taking ownership of its strings (s is zeroed); 0 or
 * VS_ERR_NOMEM */
int vs_rule_set_add_suppression(vs_rule_set *rs, vs_suppression *s, vs_error *err);
/* frees the strings of s */
void vs_rule_set_suppression_release(vs_suppression *s);

#endif
