/* SPDX-License-Identifier: MIT */
/*
 * rules/rules.h - the vscheck rule catalogue and the rule set (which rules
 * are on, at which level, what is suppressed).
 *
 * The catalogue is one static table (rules/catalog.c): every rule has a
 * stable code "VSnnn" that is never reused, a kebab-case name, a default
 * level, a one-line summary and a long explanation with a bad and a good
 * example.  Codes and names are accepted everywhere a rule is named.
 * Invariant: enum vs_rule_id order == table order; codes are unique and
 * sorted.
 */
#ifndef VS_RULES_H
#define VS_RULES_H

#include <stddef.h>

#include "vs/error.h"

/* Severity levels, ordered: a finding "fails" when level >= --fail-on. */
typedef enum vs_level {
	VS_LEVEL_OFF = 0,
	VS_LEVEL_NOTE = 1,
	VS_LEVEL_WARNING = 2,
	VS_LEVEL_ERROR = 3
} vs_level;

/* "off", "note", "warning", "error" */
const char *vs_level_name(vs_level l);
/* the level named s, or -1 */
int vs_level_from_name(const char *s);

/* Rule identities, in catalogue order (see rules/catalog.c). */
typedef enum vs_rule_id {
	/* trace hygiene */
	VS_RULE_TRACE_LOSSY,        /* VS001 */
	VS_RULE_TRACE_TRUNCATED,    /* VS002 */
	VS_RULE_TRACE_INCONSISTENT, /* VS003 */
	VS_RULE_UNUSED_SUPPRESSION, /* VS004 */
	VS_RULE_STALE_BASELINE,     /* VS005 */
	VS_RULE_SCOPE_LEFT_OPEN,    /* VS006 */
	/* reuse and the store */
	VS_RULE_CREATE_IN_REUSE_SCOPE,     /* VS101 (E2) */
	VS_RULE_VARIABLE_EXISTS,           /* VS102 (E1) */
	VS_RULE_SHAPE_MISMATCH,            /* VS103 (E3) */
	VS_RULE_DTYPE_MISMATCH,            /* VS104 (E4) */
	VS_RULE_ROOT_REUSE_VARIABLES,      /* VS105 */
	VS_RULE_REUSE_FALSE_NO_EFFECT,     /* VS106 */
	VS_RULE_THREAD_NAME_COLLISION,     /* VS107 */
	VS_RULE_THREAD_SCOPE_NOT_ENTERED,  /* VS108 */
	VS_RULE_AUTO_REUSE_OTHER_SITE,     /* VS109 */
	VS_RULE_DEFAULT_NAME_COLLISION,    /* VS110 */
	VS_RULE_OP_SCOPE_DIVERGES,         /* VS111 */
	VS_RULE_DIRECT_VARIABLE_COLLISION, /* VS112 */
	VS_RULE_MODEL_BUILT_TWICE,         /* VS113 */
	VS_RULE_REUSE_SHARES_NOTHING,      /* VS114 */
	VS_RULE_REUSE_BINDS_OTHER_SITE,    /* VS115 */
	VS_RULE_VARIABLE_BYPASSES_REUSE,   /* VS116 */
	VS_RULE_COMPANION_UNDER_REUSE,     /* VS117 */
	VS_RULE_TF_ERROR,                  /* VS118 */
	/* templates */
	VS_RULE_TEMPLATE_TRAINABLE_VARIABLE, /* VS201 */
	VS_RULE_TEMPLATE_LATE_VARIABLE,      /* VS202 */
	VS_RULE_TEMPLATE_UNIQUE_NAME,        /* VS203 */
	VS_RULE_TEMPLATE_MISSING_VARIABLE,   /* VS204 */
	VS_RULE_TEMPLATE_MADE_AGAIN,         /* VS205 */
	/* contexts, init_scope, creators, eager */
	VS_RULE_FUNCTION_NOT_LIFTED,      /* VS301 */
	VS_RULE_CONTROL_DEPS_VARIABLE,    /* VS302 */
	VS_RULE_TAPE_VARIABLE,            /* VS303 */
	VS_RULE_INIT_SCOPE_FALLBACK,      /* VS304 */
	VS_RULE_EAGER_NO_STORE,           /* VS305 */
	VS_RULE_CREATOR_NO_VARIABLE,      /* VS306 */
	VS_RULE_CREATOR_MULTIPLE,         /* VS307 */
	VS_RULE_GETTER_RENAMES,           /* VS308 */
	VS_RULE_IMPROPER_NESTING,         /* VS309 */
	VS_RULE_THREAD_GLOBAL_GRAPH,      /* VS310 */
	VS_RULE_FUNCTION_RETRACE_CREATES, /* VS311 */
	VS_RULE_CREATOR_STACK_MISMATCH,   /* VS312 */
	VS_RULE__COUNT
} vs_rule_id;

/* A catalogue entry (plain read-only data). */
typedef struct vs_rule {
	const char *code;        /* "VS101" */
	const char *name;        /* "create-in-reuse-scope" */
	vs_level level;          /* default level */
	const char *category;    /* "trace", "store", "template", "context" */
	const char *summary;     /* one line, no final period */
	const char *explanation; /* markdown paragraphs */
	const char *bad;         /* minimal bad example (pseudo-Python) */
	const char *good;        /* the fixed version */
	const char *option;      /* name of the rule's integer option, or NULL */
	int option_default;
	/* The bad and good examples as scenario programs (docs/scenario-format.md):
	 * the test suite runs them, the bad one must raise this rule and the good
	 * one must not, and --explain shows them; NULL when the rule is about a
	 * trace, a config or a baseline and cannot be written as a program (then
	 * `why_no_scenario` says why). */
	const char *bad_scenario;
	const char *good_scenario;
	const char *why_no_scenario;
} vs_rule;

/* Entry for id (0 <= id < VS_RULE__COUNT). */
const vs_rule *vs_rule_get(vs_rule_id id);

/* The rule whose code or name is s (case-insensitive for the code), or -1. */
int vs_rule_find(const char *s);

/*
 * True when s selects rule id: s is its code, its name, a code prefix
 * ("VS", "VS1", "VS10") or "ALL".
 */
int vs_rule_matches(vs_rule_id id, const char *s);

/* True when s names at least one rule (code, name, prefix or "ALL"). */
int vs_rule_spec_valid(const char *s);

/* ------------------------------------------------------------ rule set */

/*
 * A rule set: the effective level of every rule, per-rule options, and the
 * suppressions, built from defaults, then the config file, then the command
 * line.  Heap handle: vs_rule_set_new / vs_rule_set_free.
 */
typedef struct vs_rule_set vs_rule_set;

/* A rule set with every rule at its default level.  NULL on OOM. */
vs_rule_set *vs_rule_set_new(void);
void vs_rule_set_free(vs_rule_set *rs);

/*
 * Loads a .vscheck.yml into rs (strict: unknown keys, rules or levels are
 * VS_ERR_FORMAT errors "path:line:col: what").  Applies its select/ignore,
 * per-rule levels and options and adds its suppressions.
 */
int vs_rule_set_load(vs_rule_set *rs, const char *path, vs_error *err);

/*
 * Finds the config file: .vscheck.yml in dir or the nearest parent.
 * Returns a malloc'ed path (caller frees) or NULL when there is none.
 */
char *vs_rule_set_find_config(const char *dir);

/*
 * Restricts to the rules matched by any of specs (select), or turns off
 * the rules matched (ignore).  A spec that matches no rule is VS_ERR_USAGE.
 * Select keeps a rule's current level (a rule that is off by default is
 * turned on at warning).
 */
int vs_rule_set_select(vs_rule_set *rs, const char *const *specs, size_t n, vs_error *err);
int vs_rule_set_ignore(vs_rule_set *rs, const char *const *specs, size_t n, vs_error *err);
/* "RULE=LEVEL" (RULE may be a prefix). */
int vs_rule_set_severity(vs_rule_set *rs, const char *assign, vs_error *err);

vs_level vs_rule_set_level(const vs_rule_set *rs, vs_rule_id id);
/* The rule's integer option (its default unless configured). */
int vs_rule_set_option(const vs_rule_set *rs, vs_rule_id id);
/* The config file loaded, or NULL. */
const char *vs_rule_set_config_path(const vs_rule_set *rs);
/* The fail-on level set by the config (VS_LEVEL_OFF when not set). */
vs_level vs_rule_set_fail_on(const vs_rule_set *rs);

/* A suppression from the config (plain data, owned by the rule set). */
typedef struct vs_suppression {
	char *rule;         /* spec, NULL = every rule */
	char *scope;        /* glob over the scope path, or NULL */
	char *variable;     /* glob over the variable name, or NULL */
	char *path;         /* glob over the source path, or NULL */
	char *reason;       /* required */
	int line, col;      /* where it is in the config */
	unsigned long used; /* findings it silenced */
} vs_suppression;

/*
 * The suppression that silences a finding of rule id at this place (any
 * argument may be NULL = unknown, which never matches a glob), counting the
 * use; NULL when none does.
 */
const vs_suppression *vs_rule_set_suppressed(vs_rule_set *rs, vs_rule_id id, const char *scope,
                                             const char *variable, const char *path);
size_t vs_rule_set_suppression_count(const vs_rule_set *rs);
const vs_suppression *vs_rule_set_suppression_at(const vs_rule_set *rs, size_t i);

/* Writes the effective configuration as YAML (for --show-config) into a
 * malloc'ed string (caller frees); NULL on OOM. */
char *vs_rule_set_dump(const vs_rule_set *rs);

#endif /* VS_RULES_H */
