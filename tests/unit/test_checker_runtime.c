/* SPDX-License-Identifier: MIT */
/*
 * tests for the shadow model against the real runtime: libvs calls are
 * captured by a vs_memsink and checked in process.  The model must agree
 * with the runtime (no VS003 on correct and on failing programs) and find
 * the mistakes by their rules.
 */
#include <stdlib.h>

#include "checker/check.h"
#include "tests/unit/harness.h"
#include "vs/sink.h"
#include "vs/vs.h"

static vs_memsink *ms;
static size_t start; /* first event of the current test */

static void begin(void)
{
	vs_error e;
	vs_runtime_reset();
	if (!ms)
		ms = vs_memsink_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
	VS_ASSERT_INT(vs_memsink_attach(ms, &e), 0);
	start = vs_memsink_count(ms);
}

static int suite_clean(void)
{
	vs_trace_attach(NULL, NULL, NULL);
	vs_memsink_free(ms);
	ms = NULL;
	vs_runtime_reset();
	return 0;
}

static const char *resolve(void *ctx, uint32_t id)
{
	return vs_memsink_string(ctx, id);
}

typedef struct run {
	vs_rule_set *rs;
	vs_check *c;
} run;

/* checks everything captured since begin(), after the SITE events of the
 * earlier tests (a call site is announced once per process) */
static run check_captured(void)
{
	run r;
	vs_error e;
	size_t total = vs_memsink_count(ms), n = 0;
	vs_event *ev = calloc(total ? total : 1, sizeof *ev);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	for (size_t i = 0; i < total; i++)
		if (i >= start || vs_memsink_at(ms, i)->kind == VS_EV_SITE)
			ev[n++] = *vs_memsink_at(ms, i);
	r.rs = vs_rule_set_new();
	r.c = vs_check_new(r.rs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.c);
	VS_ASSERT_INT(vs_check_events(r.c, "memsink", ev, n, resolve, ms, &e), 0);
	VS_ASSERT_INT(vs_check_finish(r.c, NULL), 0);
	free(ev);
	return r;
}

static void done(run *r)
{
	vs_check_free(r->c);
	vs_rule_set_free(r->rs);
}

static int count(const run *r, vs_rule_id id)
{
	int n = 0;
	for (size_t i = 0; i < vs_check_count(r->c); i++)
		n += vs_check_at(r->c, i)->rule == id;
	return n;
}

static const vs_check_finding *find(const run *r, vs_rule_id id)
{
	for (size_t i = 0; i < vs_check_count(r->c); i++)
		if (vs_check_at(r->c, i)->rule == id)
			return vs_check_at(r->c, i);
	return NULL;
}

/* variable_scope(name, reuse) { get_variable(var, shape (3,)) }; returns rc */
static int scoped_get(const char *scope, vs_reuse reuse, const char *var, vs_error *e)
{
	vs_cm *cm = NULL;
	vs_var *v = NULL;
	const vs_varscope_opts so = {.reuse = reuse};
	const vs_var_opts vo = {.shape = VS_SHAPE(3)};
	int rc = vs_variable_scope(&cm, scope, &so, e);
	if (rc)
		return rc;
	rc = vs_get_variable(&v, var, &vo, e);
	vs_exit(cm, NULL);
	return rc;
}

static void test_runtime_sharing(void)
{
	vs_error e;
	begin();
	VS_ASSERT_INT(scoped_get("m", VS_REUSE_INHERIT, "w", &e), 0);
	VS_ASSERT_INT(scoped_get("m", VS_REUSE_TRUE, "w", &e), 0);
	VS_ASSERT_INT(scoped_get("m", VS_REUSE_AUTO, "w", &e), 0);
	VS_ASSERT_INT(scoped_get("n", VS_REUSE_AUTO, "w", &e), 0);
	run r = check_captured();
	VS_ASSERT_INT(count(&r, VS_RULE_TRACE_INCONSISTENT), 0);
	VS_ASSERT_INT(count(&r, VS_RULE_VARIABLE_EXISTS), 0);
	VS_ASSERT_INT(count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 0);
	/* re-entering 'm' opens name scopes m_1/, m_2/ (one folded note) */
	VS_ASSERT_INT(count(&r, VS_RULE_OP_SCOPE_DIVERGES), 1);
	VS_ASSERT_STR(find(&r, VS_RULE_OP_SCOPE_DIVERGES)->message,
	              "op name scope 'm_1/' differs from variable scope 'm/'");
	VS_ASSERT_INT(find(&r, VS_RULE_OP_SCOPE_DIVERGES)->count, 2);
	done(&r);
}

static void test_runtime_errors(void)
{
	vs_error e;
	begin();
	VS_ASSERT_INT(scoped_get("m", VS_REUSE_INHERIT, "w", &e), 0);
	VS_ASSERT_INT(scoped_get("m", VS_REUSE_INHERIT, "w", &e), VS_ERR_VALUE); /* E1 */
	VS_ASSERT_INT(scoped_get("m", VS_REUSE_TRUE, "u", &e), VS_ERR_VALUE);    /* E2 */
	run r = check_captured();
	VS_ASSERT_INT(count(&r, VS_RULE_TRACE_INCONSISTENT), 0);
	/* the same helper line creates m/w twice: the model-built-twice rule */
	VS_ASSERT_INT(count(&r, VS_RULE_MODEL_BUILT_TWICE), 1);
	const vs_check_finding *f = find(&r, VS_RULE_MODEL_BUILT_TWICE);
	VS_ASSERT_STR(f->variable, "m/w");
	VS_ASSERT_STR(f->file, "tests/unit/test_checker_runtime.c");
	VS_ASSERT_STR(f->function, "scoped_get");
	VS_ASSERT_STR(f->scope, "m");
	VS_ASSERT_INT(count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 1);
	VS_ASSERT_STR(find(&r, VS_RULE_CREATE_IN_REUSE_SCOPE)->message,
	              "Variable m/u does not exist, or was not created with tf.get_variable(). Did "
	              "you mean to set reuse=tf.AUTO_REUSE in VarScope?");
	done(&r);
}

static void test_runtime_root_reuse(void)
{
	vs_error e;
	begin();
	VS_ASSERT_INT(vs_varscope_reuse_variables(vs_get_variable_scope(), &e), 0);
	VS_ASSERT_INT(scoped_get("opt", VS_REUSE_FALSE, "slot", &e), VS_ERR_VALUE);
	run r = check_captured();
	VS_ASSERT_INT(count(&r, VS_RULE_TRACE_INCONSISTENT), 0);
	VS_ASSERT_INT(count(&r, VS_RULE_ROOT_REUSE_VARIABLES), 1);
	VS_ASSERT_INT(count(&r, VS_RULE_REUSE_FALSE_NO_EFFECT), 1);
	VS_ASSERT_STR(find(&r, VS_RULE_REUSE_FALSE_NO_EFFECT)->message,
	              "reuse=False has no effect: variable scope 'opt' reuses because "
	              "reuse_variables() was called on the root scope");
	VS_ASSERT_INT(count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 1);
	done(&r);
}

static int tmpl_body(void *ud, void *call_arg, vs_error *err)
{
	vs_var *v = NULL;
	const vs_var_opts vo = {.shape = VS_SHAPE(2)};
	return vs_get_variable(&v, "kernel", &vo, err);
}

static void test_runtime_template(void)
{
	vs_error e;
	vs_template *t = NULL;
	begin();
	VS_ASSERT_INT(vs_make_template(&t, "net", tmpl_body, NULL, NULL, &e), 0);
	VS_ASSERT_INT(vs_template_call(t, NULL, &e), 0);
	VS_ASSERT_INT(vs_template_call(t, NULL, &e), 0);
	VS_ASSERT_INT(vs_template_call(t, NULL, &e), 0);
	run r = check_captured();
	/* a correct template: the model agrees and nothing is reported */
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	done(&r);
}

VS_SUITE_FN(checker_runtime)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_runtime_sharing),
		VS_TEST(test_runtime_errors),
		VS_TEST(test_runtime_root_reuse),
		VS_TEST(test_runtime_template),
		VS_TEST_END};
	vs_test_add_suite("checker_runtime", NULL, suite_clean, cases);
}
