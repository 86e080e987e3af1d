/* SPDX-License-Identifier: MIT */
/*
 * tests for rules/catalog.c, rules/ruleset.c, rules/config.c and
 * rules/baseline.c: rule lookup, select/ignore/severity, the strict
 * .vscheck.yml loader (exact file:line:col errors), suppressions, the
 * baseline file, and VS004/VS005 through the checker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/baseline.h"
#include "rules/rules.h"
#include "tests/unit/checker_testutil.h"

static char *write_tmp(const char *suffix, const char *text)
{
	char *path = vs_test_tmp_path(suffix);
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* loads text as a config; returns the error message ("" when it loaded) */
static const char *load_text(vs_rule_set *rs, const char *text, char **path_out)
{
	static vs_error err;
	char *path = write_tmp(".yml", text);
	vs_error_init(&err);
	int rc = vs_rule_set_load(rs, path, &err);
	CU_ASSERT((rc == 0) == (err.code == 0));
	if (path_out)
		*path_out = path;
	else {
		unlink(path);
		free(path);
	}
	/* strip the directory so messages compare independently of TMPDIR */
	const char *base = strrchr(err.msg, '/');
	return base ? base + 1 : err.msg;
}

static void test_catalog_lookup(void)
{
	VS_ASSERT_INT(vs_rule_find("VS101"), VS_RULE_CREATE_IN_REUSE_SCOPE);
	VS_ASSERT_INT(vs_rule_find("vs101"), VS_RULE_CREATE_IN_REUSE_SCOPE);
	VS_ASSERT_INT(vs_rule_find("create-in-reuse-scope"), VS_RULE_CREATE_IN_REUSE_SCOPE);
	VS_ASSERT_INT(vs_rule_find("VS999"), -1);
	VS_ASSERT_INT(vs_rule_find(NULL), -1);
	VS_ASSERT_INT(vs_rule_matches(VS_RULE_FUNCTION_NOT_LIFTED, "VS3"), 1);
	VS_ASSERT_INT(vs_rule_matches(VS_RULE_THREAD_GLOBAL_GRAPH, "VS30"), 0);
	VS_ASSERT_INT(vs_rule_matches(VS_RULE_THREAD_GLOBAL_GRAPH, "all"), 1);
	VS_ASSERT_INT(vs_rule_spec_valid("VS9"), 0);
	VS_ASSERT_INT(vs_rule_spec_valid("VS"), 1);
	/* invariants of the table: unique sorted codes, unique kebab names */
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		const vs_rule *r = vs_rule_get((vs_rule_id)i);
		CU_ASSERT(strlen(r->code) == 5 && strncmp(r->code, "VS", 2) == 0);
		CU_ASSERT(r->summary[strlen(r->summary) - 1] != '.');
		CU_ASSERT(r->bad && *r->bad && r->good && *r->good && *r->explanation);
		for (const char *p = r->name; *p; p++)
			CU_ASSERT((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
		if (i)
			CU_ASSERT(strcmp(vs_rule_get((vs_rule_id)(i - 1))->code, r->code) < 0);
		for (int j = 0; j < i; j++) {
			CU_ASSERT(strcmp(vs_rule_get((vs_rule_id)j)->code, r->code) != 0);
			CU_ASSERT(strcmp(vs_rule_get((vs_rule_id)j)->name, r->name) != 0);
		}
	}
	CU_ASSERT_PTR_NULL(vs_rule_get(VS_RULE__COUNT));
}

static void test_select_ignore_severity(void)
{
	vs_error err;
	vs_rule_set *rs = vs_rule_set_new();
	const char *sel[] = {"VS2", "tape-variable"};
	VS_ASSERT_INT(vs_rule_set_select(rs, sel, 2, &err), 0);
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_TEMPLATE_UNIQUE_NAME), VS_LEVEL_ERROR);
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_TAPE_VARIABLE), VS_LEVEL_WARNING);
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_VARIABLE_EXISTS), VS_LEVEL_OFF);
	const char *ign[] = {"VS20"};
	VS_ASSERT_INT(vs_rule_set_ignore(rs, ign, 1, &err), 0);
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_TEMPLATE_UNIQUE_NAME), VS_LEVEL_OFF);
	VS_ASSERT_INT(vs_rule_set_severity(rs, "VS303=error", &err), 0);
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_TAPE_VARIABLE), VS_LEVEL_ERROR);
	VS_ASSERT_INT(vs_rule_set_severity(rs, "VS1=note", &err), 0);
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_VARIABLE_EXISTS), VS_LEVEL_NOTE);

	const char *bad[] = {"VS9"};
	VS_ASSERT_INT(vs_rule_set_select(rs, bad, 1, &err), VS_ERR_USAGE);
	VS_ASSERT_STR(err.msg, "unknown rule 'VS9'");
	VS_ASSERT_INT(vs_rule_set_severity(rs, "VS101=loud", &err), VS_ERR_USAGE);
	VS_ASSERT_STR(err.msg, "unknown level 'loud' (expected off, note, warning or error)");
	VS_ASSERT_INT(vs_rule_set_severity(rs, "VS101", &err), VS_ERR_USAGE);
	VS_ASSERT_STR(err.msg, "bad severity 'VS101' (expected RULE=LEVEL)");
	VS_ASSERT_INT(vs_rule_set_severity(rs, "nope=note", &err), VS_ERR_USAGE);
	VS_ASSERT_STR(err.msg, "unknown rule 'nope'");
	vs_rule_set_free(rs);
}

static void test_config_valid(void)
{
	vs_rule_set *rs = vs_rule_set_new();
	const char *msg = load_text(rs,
	                            "version: 1\n"
	                            "select: [VS1, VS3]\n"
	                            "ignore: auto-reuse-other-site\n"
	                            "fail-on: warning\n"
	                            "rules:\n"
	                            "  VS105: error\n"
	                            "  creator-creates-many:\n"
	                            "    level: warning\n"
	                            "    max-created: 3\n"
	                            "suppress:\n"
	                            "  - rule: VS102\n"
	                            "    scope: 'tower_*'\n"
	                            "    reason: towers share by design\n"
	                            "  - path: 'legacy/*'\n"
	                            "    reason: old code\n",
	                            NULL);
	VS_ASSERT_STR(msg, "");
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_ROOT_REUSE_VARIABLES), VS_LEVEL_ERROR);
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_AUTO_REUSE_OTHER_SITE), VS_LEVEL_OFF);
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_TEMPLATE_UNIQUE_NAME), VS_LEVEL_OFF);
	VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_CREATOR_MULTIPLE), VS_LEVEL_WARNING);
	VS_ASSERT_INT(vs_rule_set_option(rs, VS_RULE_CREATOR_MULTIPLE), 3);
	VS_ASSERT_INT(vs_rule_set_fail_on(rs), VS_LEVEL_WARNING);
	VS_ASSERT_INT(vs_rule_set_suppression_count(rs), 2);
	const vs_suppression *s = vs_rule_set_suppression_at(rs, 0);
	VS_ASSERT_STR(s->reason, "towers share by design");
	VS_ASSERT_INT(s->line, 11);
	VS_ASSERT_INT(s->col, 5);
	/* matching: rule + scope glob; the path glob for any rule */
	CU_ASSERT_PTR_EQUAL(vs_rule_set_suppressed(rs, VS_RULE_VARIABLE_EXISTS, "tower_1", "w", "a.c"),
	                    s);
	CU_ASSERT_PTR_NULL(vs_rule_set_suppressed(rs, VS_RULE_VARIABLE_EXISTS, "model", "w", "a.c"));
	CU_ASSERT_PTR_NULL(vs_rule_set_suppressed(rs, VS_RULE_VARIABLE_EXISTS, NULL, "w", "a.c"));
	CU_ASSERT_PTR_EQUAL(vs_rule_set_suppressed(rs, VS_RULE_TAPE_VARIABLE, "", NULL, "legacy/x.c"),
	                    vs_rule_set_suppression_at(rs, 1));
	VS_ASSERT_INT(s->used, 1);
	char *dump = vs_rule_set_dump(rs);
	CU_ASSERT_PTR_NOT_NULL(strstr(dump, "  VS307:  # creator-creates-many\n    level: warning\n"
	                                    "    max-created: 3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dump, "  - rule: 'VS102'\n    scope: 'tower_*'\n"));
	free(dump);
	vs_rule_set_free(rs);
}

static void test_config_errors(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"version: 1\ncolour: red\n", "2:1: unknown key 'colour'"},
		{"version: 2\n", "1:10: unsupported version '2' (expected 1)"},
		{"select: [VS1]\n", "1:1: missing 'version: 1'"},
		{"", "1:1: empty config (expected 'version: 1')"},
		{"- 1\n", "1:1: the config must be a mapping"},
		{"version: 1\nrules:\n  VS999: error\n", "3:3: unknown rule 'VS999'"},
		{"version: 1\nrules:\n  VS101: loud\n",
		 "3:10: unknown level 'loud' (expected off, note, warning or error)"},
		{"version: 1\nrules:\n  VS101:\n    colour: 1\n", "4:5: unknown key 'colour' for this rule"},
		{"version: 1\nrules:\n  VS307:\n    max-created: many\n",
		 "4:18: expected a non-negative integer, got 'many'"},
		{"version: 1\nselect: [VS1, VS9]\n", "2:15: unknown rule 'VS9'"},
		{"version: 1\nsuppress:\n  - rule: VS101\n", "3:5: suppression without a 'reason'"},
		{"version: 1\nsuppress:\n  - reason: x\n    glob: y\n",
		 "4:5: unknown key 'glob' in suppression"},
		{"version: 1\nsuppress:\n  - reason: x\n",
		 "3:5: suppression needs at least one of 'rule', 'scope', 'variable', 'path'"},
		{"version: 1\nversion: 1\n", "2:1: duplicate key 'version'"},
		{"version: 1\nfail-on: off\n", "2:10: fail-on must be error, warning or note"},
		{"version: 1\nrules: [\n", "3:1: did not find expected node content"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vs_rule_set *rs = vs_rule_set_new();
		const char *msg = load_text(rs, cases[i].text, NULL);
		/* message = "<tmpname>:<line>:<col>: what": compare from the first ':' */
		const char *colon = strchr(msg, ':');
		VS_ASSERT_STR(colon ? colon + 1 : msg, cases[i].msg);
		/* a failed load leaves the rule set untouched */
		VS_ASSERT_INT(vs_rule_set_level(rs, VS_RULE_CREATE_IN_REUSE_SCOPE), VS_LEVEL_ERROR);
		CU_ASSERT_PTR_NULL(vs_rule_set_config_path(rs));
		vs_rule_set_free(rs);
	}
	vs_error err;
	vs_rule_set *rs = vs_rule_set_new();
	VS_ASSERT_INT(vs_rule_set_load(rs, "/nonexistent/.vscheck.yml", &err), VS_ERR_NOT_FOUND);
	VS_ASSERT_STR(err.msg,
	              "'/nonexistent/.vscheck.yml': cannot open config: No such file or directory");
	vs_rule_set_free(rs);
}

static void test_find_config(void)
{
	char *root = vs_test_tmp_path("cfgdir");
	char sub[1024], cfg[1024];
	snprintf(sub, sizeof sub, "%s/a/b", root);
	CU_ASSERT_FATAL(mkdir(root, 0700) == 0);
	snprintf(cfg, sizeof cfg, "%s/a", root);
	CU_ASSERT_FATAL(mkdir(cfg, 0700) == 0);
	CU_ASSERT_FATAL(mkdir(sub, 0700) == 0);
	char *none = vs_rule_set_find_config(sub);
	/* nothing in the tree (a config above TMPDIR would be found: skip then) */
	if (none)
		CU_ASSERT(strncmp(none, root, strlen(root)) != 0);
	free(none);
	snprintf(cfg, sizeof cfg, "%s/a/.vscheck.yml", root);
	FILE *f = fopen(cfg, "w");
	fputs("version: 1\n", f);
	fclose(f);
	char *found = vs_rule_set_find_config(sub);
	char *real = realpath(cfg, NULL);
	VS_ASSERT_STR(found, real);
	free(found);
	free(real);
	unlink(cfg);
	rmdir(sub);
	snprintf(cfg, sizeof cfg, "%s/a", root);
	rmdir(cfg);
	rmdir(root);
	free(root);
}

static void test_baseline_roundtrip(void)
{
	vs_error err;
	char *path = vs_test_tmp_path(".baseline");
	vs_rule_baseline *b = vs_rule_baseline_new();
	VS_ASSERT_INT(vs_rule_baseline_add(b, "VS102", "train.py", "build", "m/w", 2, NULL), 0);
	VS_ASSERT_INT(vs_rule_baseline_add(b, "VS101", "a\tb.py", "", "x\\y", 1, NULL), 0);
	VS_ASSERT_INT(vs_rule_baseline_add(b, "VS102", "train.py", "build", "m/w", 1, NULL), 0);
	VS_ASSERT_INT(vs_rule_baseline_count(b), 2);
	VS_ASSERT_INT(vs_rule_baseline_write(b, path, &err), 0);
	vs_rule_baseline_free(b);

	FILE *f = fopen(path, "r");
	char text[512] = {0};
	CU_ASSERT_FATAL(f != NULL);
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	VS_ASSERT_STR(text, "vscheck-baseline 1\n"
	                    "# rule\tfile\tfunction\tvariable\tcount  (written by vscheck "
	                    "--write-baseline)\n"
	                    "VS101\ta\\tb.py\t-\tx\\\\y\t1\n"
	                    "VS102\ttrain.py\tbuild\tm/w\t3\n");

	b = vs_rule_baseline_new();
	VS_ASSERT_INT(vs_rule_baseline_load(b, path, &err), 0);
	VS_ASSERT_INT(vs_rule_baseline_take(b, "VS101", "a\tb.py", NULL, "x\\y"), 1);
	VS_ASSERT_INT(vs_rule_baseline_take(b, "VS101", "a\tb.py", NULL, "x\\y"), 0);
	VS_ASSERT_INT(vs_rule_baseline_take(b, "VS102", "train.py", "build", "m/w"), 1);
	const char *code, *file, *fn, *var;
	unsigned long left, total;
	vs_rule_baseline_entry(b, 1, &code, &file, &fn, &var, &left, &total);
	VS_ASSERT_STR(code, "VS102");
	VS_ASSERT_INT(left, 2);
	VS_ASSERT_INT(total, 3);
	vs_rule_baseline_free(b);

	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"nope\n", ":1: not a vscheck baseline (expected 'vscheck-baseline 1')"},
		{"vscheck-baseline 1\nVS101\ta\tb\n",
		 ":2: expected RULE, FILE, FUNCTION, VARIABLE, COUNT separated by tabs"},
		{"vscheck-baseline 1\nVS101\ta\tb\tc\t0\n",
		 ":2: expected RULE, FILE, FUNCTION, VARIABLE, COUNT separated by tabs"},
		{"vscheck-baseline 1\nVS101\ta\\q\tb\tc\t1\n", ":2: bad escape in field 2"},
		{"", ":1: empty baseline (expected 'vscheck-baseline 1')"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *p = write_tmp(".baseline", bad[i].text);
		b = vs_rule_baseline_new();
		VS_ASSERT_INT(vs_rule_baseline_load(b, p, &err), VS_ERR_FORMAT);
		VS_ASSERT_STR(err.msg + strlen(p), bad[i].msg);
		vs_rule_baseline_free(b);
		unlink(p);
		free(p);
	}
	unlink(path);
	free(path);
}

/* VS004 unused suppression, VS005 stale baseline, and silencing */
static void test_unused_and_stale(void)
{
	tb b;
	vs_error err;
	tb_init(&b);
	tb_site(&b, 1, "train.py", 10, "build");
	EVP(&b, VS_EV_REUSE_VARIABLES, VS_EVF_ROOT_SCOPE, reuse_variables, .scope_id = 1,
	    .full_name = S(&b, ""));
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 5, .name = S(&b, "a"),
	    .unique_name = S(&b, "net"));
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 6, .name = S(&b, "b"),
	    .unique_name = S(&b, "net"));

	vs_rule_set *rs = vs_rule_set_new();
	char *cfg = NULL;
	VS_ASSERT_STR(load_text(rs,
	                        "version: 1\n"
	                        "suppress:\n"
	                        "  - rule: root-reuse-variables\n"
	                        "    path: 'train.*'\n"
	                        "    reason: top-level eval script\n"
	                        "  - variable: 'nothing/*'\n"
	                        "    reason: stale\n",
	                        &cfg),
	              "");
	vs_rule_baseline *base = vs_rule_baseline_new();
	vs_rule_baseline_add(base, "VS203", "train.py", "build", "", 1, NULL);
	vs_rule_baseline_add(base, "VS102", "gone.py", "old", "m/w", 1, NULL);
	vs_check *c = vs_check_new(rs);
	vs_check_set_baseline(c, base);
	VS_ASSERT_INT(vs_check_events(c, "t.db", b.ev, b.n, tb_resolve, &b, &err), 0);
	VS_ASSERT_INT(vs_check_finish(c, NULL), 0);
	VS_ASSERT_INT(vs_check_count(c), 3);
	const vs_check_finding *f = vs_check_at(c, 0);
	VS_ASSERT_INT(f->rule, VS_RULE_TEMPLATE_UNIQUE_NAME);
	VS_ASSERT_INT(f->baselined, 1);
	f = vs_check_at(c, 1);
	VS_ASSERT_INT(f->rule, VS_RULE_STALE_BASELINE);
	VS_ASSERT_STR(f->message,
	              "baseline entry VS102 'm/w' in old matched 0 of 1 findings: regenerate the "
	              "baseline");
	VS_ASSERT_STR(f->file, "gone.py");
	f = vs_check_at(c, 2);
	VS_ASSERT_INT(f->rule, VS_RULE_UNUSED_SUPPRESSION);
	VS_ASSERT_STR(f->message, "suppression (stale) silenced nothing: delete it");
	VS_ASSERT_STR(f->file, cfg);
	VS_ASSERT_INT(f->line, 6);
	vs_check_summary s;
	vs_check_summary_get(c, &s);
	VS_ASSERT_INT(s.suppressed, 1);
	VS_ASSERT_INT(s.baselined, 1);
	VS_ASSERT_INT(vs_check_max_level(c), VS_LEVEL_WARNING);
	vs_check_free(c);
	vs_rule_baseline_free(base);
	vs_rule_set_free(rs);
	unlink(cfg);
	free(cfg);
}

VS_SUITE_FN(rules_config)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_catalog_lookup),
		VS_TEST(test_select_ignore_severity),
		VS_TEST(test_config_valid),
		VS_TEST(test_config_errors),
		VS_TEST(test_find_config),
		VS_TEST(test_baseline_roundtrip),
		VS_TEST(test_unused_and_stale),
		VS_TEST_END};
	vs_test_add_suite("rules_config", NULL, NULL, cases);
}
