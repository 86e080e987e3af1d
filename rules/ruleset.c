/* SPDX-License-Identifier: MIT */
/*
 * rules/ruleset.c - the effective rule set: one level and one option value
 * per rule, plus the suppressions loaded from the config.
 *
 * Invariant: level[i] is always a valid vs_level; suppressions keep their
 * config order and each owns its strings.
 */
#include "rules/rules.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/ruleset_impl.h"
#include "vs/internal/util.h"

vs_rule_set *vs_rule_set_new(void)
{
	vs_rule_set *rs = calloc(1, sizeof *rs);
	if (!rs)
		return NULL;
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		rs->level[i] = vs_rule_get((vs_rule_id)i)->level;
		rs->option[i] = vs_rule_get((vs_rule_id)i)->option_default;
	}
	return rs;
}

void vs_rule_set_suppression_release(vs_suppression *s)
{
	free(s->rule);
	free(s->scope);
	free(s->variable);
	free(s->path);
	free(s->reason);
}

void vs_rule_set_free(vs_rule_set *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n_supp; i++)
		vs_rule_set_suppression_release(&rs->supp[i]);
	free(rs->supp);
	free(rs->config_path);
	free(rs);
}

static int check_specs(const char *const *specs, size_t n, vs_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (!vs_rule_spec_valid(specs[i]))
			return vs_error_set(err, VS_ERR_USAGE, "unknown rule '%s'", specs[i]);
	return 0;
}

static int any_match(vs_rule_id id, const char *const *specs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (vs_rule_matches(id, specs[i]))
			return 1;
	return 0;
}

void vs_rule_set_apply_select(vs_rule_set *rs, const char *const *specs, size_t n)
{
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		if (!any_match((vs_rule_id)i, specs, n)) {
			rs->level[i] = VS_LEVEL_OFF;
		} else if (rs->level[i] == VS_LEVEL_OFF) {
			vs_level def = vs_rule_get((vs_rule_id)i)->level;
			rs->level[i] = def == VS_LEVEL_OFF ? VS_LEVEL_WARNING : def;
		}
	}
}

void vs_rule_set_apply_ignore(vs_rule_set *rs, const char *const *specs, size_t n)
{
	for (int i = 0; i < VS_RULE__COUNT; i++)
		if (any_match((vs_rule_id)i, specs, n))
			rs->level[i] = VS_LEVEL_OFF;
}

int vs_rule_set_select(vs_rule_set *rs, const char *const *specs, size_t n, vs_error *err)
{
	int rc = check_specs(specs, n, err);
	if (rc >= 0)
		vs_rule_set_apply_select(rs, specs, n);
	return rc;
}

int vs_rule_set_ignore(vs_rule_set *rs, const char *const *specs, size_t n, vs_error *err)
{
	int rc = check_specs(specs, n, err);
	if (rc >= 0)
		vs_rule_set_apply_ignore(rs, specs, n);
	return rc;
}

int vs_rule_set_severity(vs_rule_set *rs, const char *assign, vs_error *err)
{
	char spec[64];
	const char *eq = strchr(assign, '=');
	if (!eq || (size_t)(eq - assign) >= sizeof spec || eq == assign)
		return vs_error_set(err, VS_ERR_USAGE, "bad severity '%s' (expected RULE=LEVEL)",
		                    assign);
	memcpy(spec, assign, (size_t)(eq - assign));
	spec[eq - assign] = '\0';
	int level = vs_level_from_name(eq + 1);
	if (level < 0)
		return vs_error_set(err, VS_ERR_USAGE,
		                    "unknown level '%s' (expected off, note, warning or error)",
		                    eq + 1);
	if (!vs_rule_spec_valid(spec))
		return vs_error_set(err, VS_ERR_USAGE, "unknown rule '%s'", spec);
	for (int i = 0; i < VS_RULE__COUNT; i++)
		if (vs_rule_matches((vs_rule_id)i, spec))
			rs->level[i] = (vs_level)level;
	return 0;
}

vs_level vs_rule_set_level(const vs_rule_set *rs, vs_rule_id id)
{
	return (unsigned)id < VS_RULE__COUNT ? rs->level[id] : VS_LEVEL_OFF;
}

int vs_rule_set_option(const vs_rule_set *rs, vs_rule_id id)
{
	return (unsigned)id < VS_RULE__COUNT ? rs->option[id] : 0;
}

const char *vs_rule_set_config_path(const vs_rule_set *rs) { return rs->config_path; }

vs_level vs_rule_set_fail_on(const vs_rule_set *rs) { return rs->fail_on; }

static int glob_ok(const char *pat, const char *s)
{
	if (!pat)
		return 1;
	return s && fnmatch(pat, s, 0) == 0;
}

const vs_suppression *vs_rule_set_suppressed(vs_rule_set *rs, vs_rule_id id, const char *scope,
                                             const char *variable, const char *path)
{
	for (size_t i = 0; i < rs->n_supp; i++) {
		vs_suppression *s = &rs->supp[i];
		if (s->rule && !vs_rule_matches(id, s->rule))
			continue;
		if (!glob_ok(s->scope, scope) || !glob_ok(s->variable, variable) ||
		    !glob_ok(s->path, path))
			continue;
		s->used++;
		return s;
	}
	return NULL;
}

size_t vs_rule_set_suppression_count(const vs_rule_set *rs) { return rs->n_supp; }

const vs_suppression *vs_rule_set_suppression_at(const vs_rule_set *rs, size_t i)
{
	return i < rs->n_supp ? &rs->supp[i] : NULL;
}

int vs_rule_set_add_suppression(vs_rule_set *rs, vs_suppression *s, vs_error *err)
{
	if (VS_GROW(rs->supp, rs->cap_supp, rs->n_supp + 1) < 0)
		return vs_error_nomem(err);
	rs->supp[rs->n_supp++] = *s;
	memset(s, 0, sizeof *s);
	return 0;
}

/* YAML single-quoted scalar (doubling quotes) */
static void put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

char *vs_rule_set_dump(const vs_rule_set *rs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "# effective configuration%s%s\nversion: 1\n",
	        rs->config_path ? " from " : " (no config file)",
	        rs->config_path ? rs->config_path : "");
	if (rs->fail_on != VS_LEVEL_OFF)
		fprintf(f, "fail-on: %s\n", vs_level_name(rs->fail_on));
	fputs("rules:\n", f);
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		const vs_rule *r = vs_rule_get((vs_rule_id)i);
		fprintf(f, "  %s:  # %s\n    level: %s\n", r->code, r->name,
		        vs_level_name(rs->level[i]));
		if (r->option)
			fprintf(f, "    %s: %d\n", r->option, rs->option[i]);
	}
	if (rs->n_supp) {
		fputs("suppress:\n", f);
		for (size_t i = 0; i < rs->n_supp; i++) {
			const vs_suppression *s = &rs->supp[i];
			const char *keys[] = {"rule", "scope", "variable", "path", "reason"};
			const char *vals[] = {s->rule, s->scope, s->variable, s->path, s->reason};
			int first = 1;
			for (int k = 0; k < 5; k++) {
				if (!vals[k])
					continue;
				fprintf(f, "  %s %s: ", first ? "-" : " ", keys[k]);
				put_quoted(f, vals[k]);
				fputc('\n', f);
				first = 0;
			}
		}
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
