/* SPDX-License-Identifier: MIT */
/*
 * rules/config.c - the strict .vscheck.yml loader (libyaml document API).
 *
 *   version: 1                      # required
 *   select: [VS1, template-direct-variable]
 *   ignore: [VS111]
 *   fail-on: warning
 *   rules:
 *     VS109: off                    # a level ...
 *     creator-creates-many:         # ... or a mapping
 *       level: warning
 *       max-created: 2              # the rule's option
 *   suppress:
 *     - rule: VS102                 # optional; any of scope/variable/path
 *       scope: 'tower_*'            # globs (fnmatch, '*' crosses '/')
 *       reason: towers share by design   # required
 *
 * Invariant: the rule set is modified only after the whole file parsed and
 * validated, so a config error leaves rs as it was.  Every error names
 * path:line:col of the offending node (1-based, from libyaml's marks).
 */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "rules/rules.h"
#include "rules/ruleset_impl.h"
#include "vs/internal/util.h"
#include "vs/internal/yaml_limits.h"

#define CONFIG_NAME ".vscheck.yml"

typedef struct loader {
	const char *path;
	yaml_document_t doc;
	vs_error *err;
} loader;

static int fail_at(loader *ld, const yaml_node_t *n, const char *fmt, ...) VS_PRINTF(3, 4);

static int fail_at(loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return vs_error_set(ld->err, VS_ERR_FORMAT, "%s:%zu:%zu: %s", ld->path,
	                    n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1, what);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(loader *ld, int i) { return yaml_document_get_node(&ld->doc, i); }

/* a scalar or a sequence of scalars, each a valid rule spec */
static int load_specs(loader *ld, yaml_node_t *n, const char ***out, size_t *n_out)
{
	size_t cap = 1, k = 0;
	if (n->type == YAML_SEQUENCE_NODE)
		cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1;
	else if (n->type != YAML_SCALAR_NODE)
		return fail_at(ld, n, "expected a rule or a list of rules");
	const char **v = calloc(cap, sizeof *v);
	if (!v)
		return vs_error_nomem(ld->err);
	if (n->type == YAML_SCALAR_NODE) {
		v[k++] = scalar(n);
	} else {
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *e = node(ld, *it);
			if (!scalar(e)) {
				free(v);
				return fail_at(ld, e, "expected a rule code or name");
			}
			v[k++] = scalar(e);
		}
	}
	for (size_t i = 0; i < k; i++)
		if (!vs_rule_spec_valid(v[i])) {
			/* find the node again for its mark */
			yaml_node_t *e = n;
			if (n->type == YAML_SEQUENCE_NODE)
				e = node(ld, n->data.sequence.items.start[i]);
			int rc = fail_at(ld, e, "unknown rule '%s'", v[i]);
			free(v);
			return rc;
		}
	*out = v;
	*n_out = k;
	return 0;
}

static int parse_level(loader *ld, yaml_node_t *n, vs_level *out)
{
	int l = vs_level_from_name(scalar(n));
	if (l < 0)
		return scalar(n) ? fail_at(ld, n,
		                           "unknown level '%s' (expected off, note, warning or "
		                           "error)",
		                           scalar(n))
		                 : fail_at(ld, n, "expected a level");
	*out = (vs_level)l;
	return 0;
}

static int parse_int(loader *ld, yaml_node_t *n, int *out)
{
	const char *s = scalar(n);
	char *end;
	if (!s || !*s)
		return fail_at(ld, n, "expected an integer");
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || errno || v < 0 || v > INT_MAX)
		return fail_at(ld, n, "expected a non-negative integer, got '%s'", s);
	*out = (int)v;
	return 0;
}

/* the staged result of a parse, applied only when everything is valid */
typedef struct staged {
	const char **select, **ignore;
	size_t n_select, n_ignore;
	int has_select;
	int set_level[VS_RULE__COUNT];
	vs_level level[VS_RULE__COUNT];
	int set_option[VS_RULE__COUNT];
	int option[VS_RULE__COUNT];
	vs_level fail_on;
	vs_suppression *supp;
	size_t n_supp;
} staged;

static int load_rules(loader *ld, yaml_node_t *n, staged *st)
{
	if (n->type != YAML_MAPPING_NODE)
		return fail_at(ld, n, "'rules' must be a mapping of rule to level");
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node(ld, p->key), *v = node(ld, p->value);
		int id = vs_rule_find(scalar(k));
		if (id < 0)
			return fail_at(ld, k, "unknown rule '%s'", scalar(k) ? scalar(k) : "?");
		if (st->set_level[id] || st->set_option[id])
			return fail_at(ld, k, "rule '%s' configured twice", scalar(k));
		if (v->type == YAML_SCALAR_NODE) {
			int rc = parse_level(ld, v, &st->level[id]);
			if (rc < 0)
				return rc;
			st->set_level[id] = 1;
			continue;
		}
		if (v->type != YAML_MAPPING_NODE)
			return fail_at(ld, v, "expected a level or a mapping");
		const vs_rule *r = vs_rule_get((vs_rule_id)id);
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
		     q < v->data.mapping.pairs.top; q++) {
			yaml_node_t *kk = node(ld, q->key), *vv = node(ld, q->value);
			const char *key = scalar(kk);
			int rc;
			if (key && (strcmp(key, "level") == 0 || strcmp(key, "severity") == 0)) {
				rc = parse_level(ld, vv, &st->level[id]);
				st->set_level[id] = 1;
			} else if (key && r->option && strcmp(key, r->option) == 0) {
				rc = parse_int(ld, vv, &st->option[id]);
				st->set_option[id] = 1;
			} else {
				rc = fail_at(ld, kk, "unknown key '%s' for this rule",
				             key ? key : "?");
			}
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int dup_field(loader *ld, yaml_node_t *v, char **dst)
{
	if (*dst)
		return fail_at(ld, v, "duplicate key");
	if (!scalar(v) || !*scalar(v))
		return fail_at(ld, v, "expected a non-empty string");
	*dst = strdup(scalar(v));
	return *dst ? 0 : vs_error_nomem(ld->err);
}

static int load_suppress(loader *ld, yaml_node_t *n, staged *st)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return fail_at(ld, n, "'suppress' must be a list");
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	st->supp = calloc(cap ? cap : 1, sizeof *st->supp);
	if (!st->supp)
		return vs_error_nomem(ld->err);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = node(ld, *it);
		vs_suppression *s = &st->supp[st->n_supp++];
		s->line = (int)e->start_mark.line + 1;
		s->col = (int)e->start_mark.column + 1;
		if (e->type != YAML_MAPPING_NODE)
			return fail_at(ld, e, "a suppression must be a mapping");
		for (yaml_node_pair_t *p = e->data.mapping.pairs.start;
		     p < e->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node(ld, p->key), *v = node(ld, p->value);
			const char *key = scalar(k);
			char **dst = NULL;
			if (!key)
				return fail_at(ld, k, "expected a key");
			if (strcmp(key, "rule") == 0)
				dst = &s->rule;
			else if (strcmp(key, "scope") == 0)
				dst = &s->scope;
			else if (strcmp(key, "variable") == 0)
				dst = &s->variable;
			else if (strcmp(key, "path") == 0)
				dst = &s->path;
			else if (strcmp(key, "reason") == 0)
				dst = &s->reason;
			else
				return fail_at(ld, k, "unknown key '%s' in suppression", key);
			int rc = dup_field(ld, v, dst);
			if (rc < 0)
				return rc;
			if (dst == &s->rule && !vs_rule_spec_valid(s->rule))
				return fail_at(ld, v, "unknown rule '%s'", s->rule);
		}
		if (!s->reason)
			return fail_at(ld, e, "suppression without a 'reason'");
		if (!s->scope && !s->variable && !s->path && !s->rule)
			return fail_at(
				ld, e,
				"suppression needs at least one of 'rule', 'scope', 'variable', "
				"'path'");
	}
	return 0;
}

static int load_root(loader *ld, yaml_node_t *root, staged *st)
{
	int seen_version = 0, rc = 0;
	if (!root)
		return vs_error_set(ld->err, VS_ERR_FORMAT,
		                    "%s:1:1: empty config (expected 'version: 1')", ld->path);
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(ld, root, "the config must be a mapping");
	const char *seen[8] = {0};
	size_t n_seen = 0;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node(ld, p->key), *v = node(ld, p->value);
		const char *key = scalar(k);
		if (!key)
			return fail_at(ld, k, "expected a key");
		for (size_t i = 0; i < n_seen; i++)
			if (strcmp(seen[i], key) == 0)
				return fail_at(ld, k, "duplicate key '%s'", key);
		if (n_seen < 8)
			seen[n_seen++] = key;
		if (strcmp(key, "version") == 0) {
			if (!scalar(v) || strcmp(scalar(v), "1") != 0)
				return fail_at(ld, v, "unsupported version '%s' (expected 1)",
				               scalar(v) ? scalar(v) : "?");
			seen_version = 1;
		} else if (strcmp(key, "select") == 0) {
			rc = load_specs(ld, v, &st->select, &st->n_select);
			st->has_select = 1;
		} else if (strcmp(key, "ignore") == 0) {
			rc = load_specs(ld, v, &st->ignore, &st->n_ignore);
		} else if (strcmp(key, "fail-on") == 0) {
			rc = parse_level(ld, v, &st->fail_on);
			if (rc >= 0 && st->fail_on == VS_LEVEL_OFF)
				rc = fail_at(ld, v, "fail-on must be error, warning or note");
		} else if (strcmp(key, "rules") == 0) {
			rc = load_rules(ld, v, st);
		} else if (strcmp(key, "suppress") == 0) {
			rc = load_suppress(ld, v, st);
		} else {
			rc = fail_at(ld, k, "unknown key '%s'", key);
		}
		if (rc < 0)
			return rc;
	}
	if (!seen_version)
		return fail_at(ld, root, "missing 'version: 1'");
	return 0;
}

/* applies a validated parse to rs, taking its suppressions (st keeps
 * those not taken when out of memory) */
static int apply_staged(vs_rule_set *rs, staged *st, vs_error *err)
{
	if (st->has_select)
		vs_rule_set_apply_select(rs, st->select, st->n_select);
	vs_rule_set_apply_ignore(rs, st->ignore, st->n_ignore);
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		if (st->set_level[i])
			rs->level[i] = st->level[i];
		if (st->set_option[i])
			rs->option[i] = st->option[i];
	}
	if (st->fail_on != VS_LEVEL_OFF)
		rs->fail_on = st->fail_on;
	for (size_t i = 0; i < st->n_supp; i++) {
		int rc = vs_rule_set_add_suppression(rs, &st->supp[i], err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void staged_release(staged *st)
{
	for (size_t i = 0; i < st->n_supp; i++)
		vs_rule_set_suppression_release(&st->supp[i]);
	free(st->supp);
	free(st->select);
	free(st->ignore);
}

/* parses the YAML document of f into ld->doc; 0 or VS_ERR_FORMAT/NOMEM */
static int parse_document(loader *ld, FILE *f)
{
	yaml_parser_t parser;
	int ret = 0;
	vs_yaml_limit_hit hit;
	if (vs_yaml_check_limits(NULL, 0, f, &hit))
		return vs_error_set(ld->err, VS_ERR_FORMAT, "%s:%zu:%zu: %s", ld->path, hit.line,
		                    hit.col, hit.what);
	if (!yaml_parser_initialize(&parser))
		return vs_error_nomem(ld->err);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &ld->doc))
		ret = vs_error_set(ld->err, VS_ERR_FORMAT, "%s:%zu:%zu: %s", ld->path,
		                   parser.problem_mark.line + 1, parser.problem_mark.column + 1,
		                   parser.problem ? parser.problem : "invalid YAML");
	yaml_parser_delete(&parser);
	return ret;
}

int vs_rule_set_load(vs_rule_set *rs, const char *path, vs_error *err)
{
	int ret;
	staged st;
	loader ld;
	char *path_copy = NULL;

	memset(&st, 0, sizeof st);
	memset(&ld, 0, sizeof ld);
	ld.path = path;
	ld.err = err;
	FILE *f = fopen(path, "rb");
	if (!f)
		return vs_error_set(err, errno == ENOENT ? VS_ERR_NOT_FOUND : VS_ERR_IO,
		                    "'%s': cannot open config: %s", path, strerror(errno));
	ret = parse_document(&ld, f);
	fclose(f);
	if (ret < 0)
		return ret;
	ret = load_root(&ld, yaml_document_get_root_node(&ld.doc), &st);
	if (ret < 0)
		goto cleanup;
	path_copy = strdup(path);
	if (!path_copy) {
		ret = vs_error_nomem(err);
		goto cleanup;
	}
	/* everything valid: apply */
	ret = apply_staged(rs, &st, err);
	if (ret < 0)
		goto cleanup;
	free(rs->config_path);
	rs->config_path = path_copy;
	path_copy = NULL;
cleanup:
	staged_release(&st);
	free(path_copy);
	yaml_document_delete(&ld.doc);
	return ret;
}

char *vs_rule_set_find_config(const char *dir)
{
	char *cur = realpath(dir ? dir : ".", NULL);
	while (cur) {
		size_t n = strlen(cur);
		char *cand = malloc(n + sizeof CONFIG_NAME + 1);
		if (!cand)
			break;
		snprintf(cand, n + sizeof CONFIG_NAME + 1, "%s/%s", strcmp(cur, "/") ? cur : "",
		         CONFIG_NAME);
		if (access(cand, F_OK) == 0) {
			free(cur);
			return cand;
		}
		free(cand);
		char *slash = strrchr(cur, '/');
		if (!slash || strcmp(cur, "/") == 0)
			break;
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(cur);
	return NULL;
}
