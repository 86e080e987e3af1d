/* SPDX-License-Identifier: MIT */
/*
 * tests for the rules of issue 17 (vscheck on real-world bugs) and for the
 * documented examples of every rule: programs (scenarios, or C on the
 * runtime) are run with a vs_memsink attached and their events checked in
 * process.  Exact outcomes: rule, line, message.
 *
 * test_rule_examples runs the bad and the good scenario of every rule of
 * the catalogue (the ones --explain and docs/rules/ show): the bad one must
 * raise its rule, the good one must not, and both must run as written
 * (their `expect:` hold).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/check.h"
#include "rules/rules.h"
#include "scenario/scenario.h"
#include "tests/unit/harness.h"
#include "vs/sink.h"
#include "vs/vs.h"

static vs_memsink *ms;

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

/* a checked run: the findings of the events captured since `start` */
typedef struct run {
	vs_rule_set *rs;
	vs_check *c;
	vs_scn *scn; /* kept until the findings are read: sites point into it */
	int ran_ok;  /* the scenario's expectations held */
} run;

static size_t begin(void)
{
	vs_error e;
	vs_runtime_reset();
	if (!ms)
		ms = vs_memsink_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(ms);
	VS_ASSERT_INT(vs_memsink_attach(ms, &e), 0);
	return vs_memsink_count(ms);
}

/* checks the events captured since start (plus the SITE events of earlier
 * runs: a call site is announced once per process) */
static void check_since(run *r, size_t start)
{
	vs_error e;
	size_t total = vs_memsink_count(ms), n = 0;
	vs_event *ev = calloc(total ? total : 1, sizeof *ev);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	for (size_t i = 0; i < total; i++)
		if (i >= start || vs_memsink_at(ms, i)->kind == VS_EV_SITE)
			ev[n++] = *vs_memsink_at(ms, i);
	r->rs = vs_rule_set_new();
	r->c = vs_check_new(r->rs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r->c);
	VS_ASSERT_INT(vs_check_events(r->c, "memsink", ev, n, resolve, ms, &e), 0);
	VS_ASSERT_INT(vs_check_finish(r->c, &e), 0);
	free(ev);
}

/* runs the scenario text (named x.yaml in call sites) and checks it */
static run check_yaml(const char *yaml)
{
	run r = {0};
	vs_error e;
	vs_scn_report *rep = NULL;
	size_t start = begin();
	vs_error_init(&e);
	int rc = vs_scn_load_string(&r.scn, "x.yaml", yaml, strlen(yaml), &e);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(e.msg, "");
	if (rc == 0) {
		VS_ASSERT_INT(vs_scn_run(r.scn, &rep, &e), 0);
		r.ran_ok = rep && vs_scn_report_ok(rep);
		vs_scn_report_free(rep);
	}
	check_since(&r, start);
	return r;
}

static void done(run *r)
{
	vs_check_free(r->c);
	vs_rule_set_free(r->rs);
	vs_runtime_reset();
	vs_scn_free(r->scn);
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

/* the one finding of rule id is at line with message msg */
static void assert_finding(const run *r, vs_rule_id id, int line, const char *msg)
{
	const vs_check_finding *f = find(r, id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_INT(count(r, id), 1);
	VS_ASSERT_STR(f->file, "x.yaml");
	VS_ASSERT_INT(f->line, line);
	VS_ASSERT_STR(f->message, msg);
}

/* ------------------------------------------------------------ examples */

static void test_rule_examples(void)
{
	int executable = 0;
	for (int i = 0; i < VS_RULE__COUNT; i++) {
		const vs_rule *rule = vs_rule_get((vs_rule_id)i);
		if (!rule->bad_scenario) {
			/* a rule that cannot be a program says why */
			CU_ASSERT_PTR_NOT_NULL(rule->why_no_scenario);
			CU_ASSERT_PTR_NULL(rule->good_scenario);
			continue;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(rule->good_scenario);
		executable++;
		run bad = check_yaml(rule->bad_scenario);
		if (count(&bad, VS_RULE_TRACE_INCONSISTENT))
			fprintf(stderr, "\n%s: %s\n", rule->code,
			        find(&bad, VS_RULE_TRACE_INCONSISTENT)->message);
		if (!bad.ran_ok || count(&bad, (vs_rule_id)i) == 0)
			fprintf(stderr, "\n%s: bad example %s, %d findings of the rule\n", rule->code,
			        bad.ran_ok ? "ran" : "FAILED its expectations",
			        count(&bad, (vs_rule_id)i));
		CU_ASSERT(bad.ran_ok);
		CU_ASSERT(count(&bad, (vs_rule_id)i) > 0);
		/* a correct runtime never contradicts the model */
		VS_ASSERT_INT(count(&bad, VS_RULE_TRACE_INCONSISTENT), 0);
		done(&bad);
		run good = check_yaml(rule->good_scenario);
		if (!good.ran_ok || count(&good, (vs_rule_id)i) != 0)
			fprintf(stderr, "\n%s: good example %s, %d findings of the rule\n", rule->code,
			        good.ran_ok ? "ran" : "FAILED its expectations",
			        count(&good, (vs_rule_id)i));
		CU_ASSERT(good.ran_ok);
		VS_ASSERT_INT(count(&good, (vs_rule_id)i), 0);
		VS_ASSERT_INT(count(&good, VS_RULE_TRACE_INCONSISTENT), 0);
		done(&good);
	}
	/* all but the trace, config and baseline rules and the three the
	 * catalogue explains */
	VS_ASSERT_INT(executable, VS_RULE__COUNT - 9);
}

/* ------------------------------------------------------------ VS006, VS003 */

/* the README's first program, failing: returns at the error without
 * leaving its scopes.  A note at the outer scope, never VS003. */
static void test_scope_left_open(void)
{
	vs_error e;
	vs_cm *foo = NULL, *bar = NULL;
	vs_var *v = NULL;
	size_t start = begin();
	int foo_line = __LINE__ + 1;
	VS_ASSERT_INT(vs_variable_scope(&foo, "foo", &(vs_varscope_opts){.reuse = VS_REUSE_TRUE}, &e), 0);
	VS_ASSERT_INT(vs_variable_scope(&bar, "bar", NULL, &e), 0);
	VS_ASSERT_INT(vs_get_variable(&v, "v", &(vs_var_opts){.shape = VS_SHAPE(1)}, &e), VS_ERR_VALUE);
	/* return 1: foo and bar stay open */
	run r = {0};
	check_since(&r, start);
	VS_ASSERT_INT(count(&r, VS_RULE_TRACE_INCONSISTENT), 0);
	VS_ASSERT_INT(count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 1);
	const vs_check_finding *f = find(&r, VS_RULE_SCOPE_LEFT_OPEN);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_INT(count(&r, VS_RULE_SCOPE_LEFT_OPEN), 1);
	VS_ASSERT_INT(f->level, VS_LEVEL_NOTE);
	VS_ASSERT_STR(f->file, __FILE__);
	VS_ASSERT_INT(f->line, foo_line);
	VS_ASSERT_STR(f->message, "variable scope 'foo' entered here was never exited: the process "
	                          "ended inside it (and inside the scopes opened in it)");
	vs_check_free(r.c);
	vs_rule_set_free(r.rs);
	vs_runtime_reset();
}

/* a getter that passes name + "_fp16" down: the model follows the name it
 * passed (no VS003 on the reuse), and VS308 says what it returned */
static void test_renaming_getter(void)
{
	run r = check_yaml("getters:\n"
	                   "  fp16: {name_suffix: _fp16}\n"
	                   "steps:\n"
	                   "  - variable_scope: {name: model, custom_getter: fp16}\n"
	                   "    body:\n"
	                   "      - get_variable: {name: w, shape: [3, 3]}\n"
	                   "  - variable_scope: {name: model, custom_getter: fp16, reuse: true}\n"
	                   "    body:\n"
	                   "      - get_variable: {name: w, shape: [3, 3]}\n"
	                   "        expect: {name: \"model/w_fp16:0\", created: false}\n");
	CU_ASSERT(r.ran_ok);
	VS_ASSERT_INT(count(&r, VS_RULE_TRACE_INCONSISTENT), 0);
	VS_ASSERT_INT(count(&r, VS_RULE_GETTER_RENAMES), 2);
	const vs_check_finding *f = find(&r, VS_RULE_GETTER_RENAMES);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_INT(f->line, 6);
	VS_ASSERT_STR(f->message, "custom getter 'fp16' was asked for 'model/w' and returned "
	                          "'model/w_fp16': the variable lives under a name the caller never "
	                          "asked for");
	VS_ASSERT_INT(vs_check_max_level(r.c), VS_LEVEL_NOTE);
	done(&r);
}

/* a getter that keeps a second variable under another name but returns
 * the one asked for renames nothing */
static void test_getter_companion_not_renaming(void)
{
	run r = check_yaml("getters:\n"
	                   "  keep_avg: {suffixes: [\"\", /ExponentialMovingAverage]}\n"
	                   "steps:\n"
	                   "  - variable_scope: {name: model, custom_getter: keep_avg}\n"
	                   "    body:\n"
	                   "      - get_variable: {name: w, shape: [3]}\n");
	CU_ASSERT(r.ran_ok);
	VS_ASSERT_INT(count(&r, VS_RULE_TRACE_INCONSISTENT), 0);
	done(&r);
}

/* ------------------------------------------------------------ reuse intent */

static void test_shares_nothing_points_at_reuse(void)
{
	run r = check_yaml("functions:\n"
	                   "  conv2d:\n"
	                   "    - variable_scope: {default_name: conv2d}\n"
	                   "      body:\n"
	                   "        - get_variable: {name: kernel, shape: [3]}\n"
	                   "steps:\n"
	                   "  - variable_scope: {name: scope, reuse: auto}\n"
	                   "    body:\n"
	                   "      - call: {function: conv2d}\n"
	                   "      - call: {function: conv2d}\n");
	assert_finding(&r, VS_RULE_REUSE_SHARES_NOTHING, 7,
	               "variable_scope('scope', reuse=tf.AUTO_REUSE) at x.yaml:7 shares nothing: "
	               "default_name 'conv2d' was uniquified to 'scope/conv2d_1', so "
	               "'scope/conv2d_1/kernel' is created instead of reusing 'scope/conv2d/kernel' "
	               "(first created at x.yaml:5); name the layer, or enter the reusing scope once "
	               "per call");
	done(&r);
}

static void test_shares_nothing_reuse_true(void)
{
	run r = check_yaml("functions:\n"
	                   "  conv2d:\n"
	                   "    - variable_scope: {default_name: conv2d}\n"
	                   "      body:\n"
	                   "        - get_variable: {name: kernel, shape: [3]}\n"
	                   "steps:\n"
	                   "  - call: {function: conv2d}\n"
	                   "  - capture_scope: {as: root}\n"
	                   "  - variable_scope: {scope: root, reuse: true}\n"
	                   "    body:\n"
	                   "      - call: {function: conv2d}\n"
	                   "        expect: {error: ValueError}\n");
	CU_ASSERT(r.ran_ok);
	assert_finding(&r, VS_RULE_REUSE_SHARES_NOTHING, 9,
	               "variable_scope(tf.get_variable_scope(), reuse=True) at x.yaml:9 shares "
	               "nothing: default_name "
	               "'conv2d' was uniquified to 'conv2d_1', so 'conv2d_1/kernel' does not exist "
	               "instead of reusing 'conv2d/kernel' (first created at x.yaml:5); name the "
	               "layer, or enter the reusing scope once per call");
	VS_ASSERT_INT(count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 1);
	VS_ASSERT_INT(count(&r, VS_RULE_COMPANION_UNDER_REUSE), 0);
	done(&r);
}

/* TF's layers take their default-named scope once (Layer._set_scope) and
 * re-enter the captured object around each variable: the re-entries keep
 * the default-named origin, the finding is given once per layer, and the
 * reuse comes from the AUTO_REUSE scope around the layer call */
static void test_shares_nothing_captured_layer_scope(void)
{
	run r = check_yaml("functions:\n"
	                   "  conv2d:\n"
	                   "    - variable_scope: {default_name: conv2d, as: layer}\n"
	                   "      body: []\n"
	                   "    - variable_scope: {scope: layer}\n"
	                   "      body:\n"
	                   "        - get_variable: {name: kernel, shape: [3]}\n"
	                   "        - get_variable: {name: bias, shape: [3]}\n"
	                   "steps:\n"
	                   "  - variable_scope: {name: scope, reuse: auto}\n"
	                   "    body:\n"
	                   "      - call: {function: conv2d}\n"
	                   "      - call: {function: conv2d}\n");
	CU_ASSERT(r.ran_ok);
	assert_finding(&r, VS_RULE_REUSE_SHARES_NOTHING, 10,
	               "variable_scope('scope', reuse=tf.AUTO_REUSE) at x.yaml:10 shares nothing: "
	               "default_name 'conv2d' was uniquified to 'scope/conv2d_1', so "
	               "'scope/conv2d_1/kernel' is created instead of reusing 'scope/conv2d/kernel' "
	               "(first created at x.yaml:7); name the layer, or enter the reusing scope once "
	               "per call");
	done(&r);
}

/* a captured scope that was not made by default_name is no layer scope */
static void test_shares_nothing_not_for_named_capture(void)
{
	run r = check_yaml("steps:\n"
	                   "  - variable_scope: {name: scope, reuse: auto}\n"
	                   "    body:\n"
	                   "      - variable_scope: {name: conv2d_1, as: c}\n"
	                   "        body: []\n"
	                   "      - variable_scope: {name: conv2d}\n"
	                   "        body:\n"
	                   "          - get_variable: {name: kernel, shape: [3]}\n"
	                   "      - variable_scope: {scope: c}\n"
	                   "        body:\n"
	                   "          - get_variable: {name: kernel, shape: [3]}\n");
	CU_ASSERT(r.ran_ok);
	VS_ASSERT_INT(count(&r, VS_RULE_REUSE_SHARES_NOTHING), 0);
	done(&r);
}

static void test_companion_names_the_reuse(void)
{
	run r = check_yaml("steps:\n"
	                   "  - get_variable: {name: w, shape: [3]}\n"
	                   "  - reuse_variables:\n"
	                   "  - variable_scope: {default_name: w/Adam}\n"
	                   "    body:\n"
	                   "      - get_variable: {name: \"\", shape: [3], initializer: zeros}\n"
	                   "        expect: {error: ValueError}\n");
	CU_ASSERT(r.ran_ok);
	assert_finding(&r, VS_RULE_COMPANION_UNDER_REUSE, 3,
	               "'w/Adam/' (at x.yaml:6) is a companion variable, created by a library in the "
	               "fresh default-named scope 'w/Adam': it cannot exist under reuse, and reuse "
	               "leaked into it from reuse_variables() on the root scope at x.yaml:3; create "
	               "optimizer slots, moving averages and batch-norm statistics outside the "
	               "reusing scope");
	VS_ASSERT_INT(count(&r, VS_RULE_ROOT_REUSE_VARIABLES), 1);
	VS_ASSERT_INT(count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 1);
	done(&r);
}

/* the root scope re-entered as a captured object reuses because of the
 * root's reuse_variables(): that call is the source, not the re-entry */
static void test_companion_through_captured_root(void)
{
	run r = check_yaml("steps:\n"
	                   "  - get_variable: {name: w, shape: [3]}\n"
	                   "  - reuse_variables:\n"
	                   "  - capture_scope: {as: root}\n"
	                   "  - variable_scope: {scope: root}\n"
	                   "    body:\n"
	                   "      - variable_scope: {default_name: w/Adam}\n"
	                   "        body:\n"
	                   "          - get_variable: {name: \"\", shape: [3], initializer: zeros}\n"
	                   "            expect: {error: ValueError}\n");
	CU_ASSERT(r.ran_ok);
	const vs_check_finding *f = find(&r, VS_RULE_COMPANION_UNDER_REUSE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_INT(f->line, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(f->message, "reuse leaked into it from reuse_variables() on "
	                                          "the root scope at x.yaml:3;"));
	done(&r);
}

/* the second build differs from the first at the scope entered on line
 * 9: VS113 points there and names where the first copy was made */
static void test_built_twice_points_at_call(void)
{
	run r = check_yaml("functions:\n"
	                   "  dense:\n"
	                   "    - get_variable: {name: kernel, shape: [3]}\n"
	                   "steps:\n"
	                   "  - variable_scope: generator\n"
	                   "    body:\n"
	                   "      - call: {function: dense}\n"
	                   "  - op: Add\n"
	                   "  - variable_scope: generator\n"
	                   "    body:\n"
	                   "      - call: {function: dense}\n"
	                   "        expect: {error: ValueError}\n");
	CU_ASSERT(r.ran_ok);
	const vs_check_finding *f = find(&r, VS_RULE_MODEL_BUILT_TWICE);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_INT(f->line, 9);
	VS_ASSERT_STR(f->message,
	              "the code that created 'generator/kernel' runs again in the same graph (model "
	              "built twice, or a second call without reuse=True): first created at x.yaml:3, "
	              "created again at x.yaml:3: Variable generator/kernel already exists, "
	              "disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in "
	              "VarScope? Originally defined at:\n\n"
	              "  File \"x.yaml\", line 3, in dense" /* the scenario function */);
	done(&r);
}

static void test_binds_other_site(void)
{
	run r = check_yaml(vs_rule_get(VS_RULE_REUSE_BINDS_OTHER_SITE)->bad_scenario);
	assert_finding(&r, VS_RULE_REUSE_BINDS_OTHER_SITE, 5,
	               "reuse binds 'enc/kernel', first created at x.yaml:3 by another call, but "
	               "this call created 'dec/kernel' in the first build: two layers collapse onto "
	               "one name under reuse (unnamed layers?) and share the wrong weights");
	done(&r);
}

/* under reuse, a default name landing on existing variables is sharing */
static void test_default_name_under_reuse_is_sharing(void)
{
	run r = check_yaml("steps:\n"
	                   "  - variable_scope: {name: net, reuse: auto}\n"
	                   "    body:\n"
	                   "      - variable_scope: {default_name: dense}\n"
	                   "        body: [{get_variable: {name: k, shape: [1]}}]\n"
	                   "  - variable_scope: {name: net, reuse: auto}\n"
	                   "    body:\n"
	                   "      - variable_scope: {default_name: dense}\n"
	                   "        body: [{get_variable: {name: k, shape: [1]}}]\n");
	VS_ASSERT_INT(count(&r, VS_RULE_DEFAULT_NAME_COLLISION), 0);
	VS_ASSERT_INT(vs_check_max_level(r.c) <= VS_LEVEL_NOTE, 1);
	done(&r);
}

/* ------------------------------------------------------------ store bypass, context */

static void test_variable_bypasses_reuse(void)
{
	run r = check_yaml(vs_rule_get(VS_RULE_VARIABLE_BYPASSES_REUSE)->bad_scenario);
	assert_finding(&r, VS_RULE_VARIABLE_BYPASSES_REUSE, 7,
	               "tf.Variable 'q_1/Q' is created although the variable scope reuses "
	               "(variable_scope('q', reuse=True) at x.yaml:5): tf.Variable ignores reuse "
	               "and the variable store, so this makes a new variable instead of sharing "
	               "one; use tf.get_variable");
	done(&r);
}

/* the same tf.Variable call in a second, reusing build: the message says
 * what that call created the first time */
static void test_variable_bypasses_reuse_same_call(void)
{
	run r = check_yaml("functions:\n"
	                   "  build_q:\n"
	                   "    - variable: {name: Q, initial_value: {kind: value, value: 0.0}}\n"
	                   "steps:\n"
	                   "  - variable_scope: q\n"
	                   "    body: [{call: {function: build_q}}]\n"
	                   "  - variable_scope: {name: q, reuse: true}\n"
	                   "    body: [{call: {function: build_q}}]\n");
	assert_finding(&r, VS_RULE_VARIABLE_BYPASSES_REUSE, 3,
	               "tf.Variable 'q_1/Q' is created although the variable scope reuses "
	               "(variable_scope('q', reuse=True) at x.yaml:7): tf.Variable ignores reuse "
	               "and the variable store, so this makes a new variable instead of sharing "
	               "one; this call first created 'q/Q:0'; use tf.get_variable");
	done(&r);
}

/* non-trainable direct variables (Adam's beta1_power) are not flagged */
static void test_untrainable_variable_under_reuse(void)
{
	run r = check_yaml("steps:\n"
	                   "  - variable_scope: {name: q, reuse: auto}\n"
	                   "    body:\n"
	                   "      - variable: {name: beta1_power, trainable: false, initial_value: "
	                   "{kind: value, value: 0.9}}\n");
	VS_ASSERT_INT(count(&r, VS_RULE_VARIABLE_BYPASSES_REUSE), 0);
	done(&r);
}

static void test_control_flow_direct_variable(void)
{
	run r = check_yaml(vs_rule_get(VS_RULE_CONTROL_DEPS_VARIABLE)->bad_scenario);
	assert_finding(&r, VS_RULE_CONTROL_DEPS_VARIABLE, 3,
	               "tf.Variable 'w' is created inside cond/while_loop: its initial value "
	               "comes from inside a control-flow construct (TF: \"Initializer for variable "
	               "... is from inside a control-flow construct\"); create it outside, or pass a "
	               "callable initial value");
	done(&r);
}

static void test_function_retrace(void)
{
	run r = check_yaml(vs_rule_get(VS_RULE_FUNCTION_RETRACE_CREATES)->bad_scenario);
	const vs_check_finding *f = find(&r, VS_RULE_FUNCTION_RETRACE_CREATES);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	VS_ASSERT_INT(count(&r, VS_RULE_FUNCTION_RETRACE_CREATES), 1);
	VS_ASSERT_INT(f->line, 8);
	VS_ASSERT_INT(f->level, VS_LEVEL_ERROR);
	CU_ASSERT(strncmp(f->message,
	                  "tf.function-decorated function tried to create variables on non-first "
	                  "call: 'kernel' is created while function 'train_step' is traced again",
	                  100) == 0);
	done(&r);
}

/* the slot is made under the strategy's creator, its variable was not:
 * the finding is at the variable's creation (line 4) */
static void test_creator_mismatch_points_at_model(void)
{
	run r = check_yaml(vs_rule_get(VS_RULE_CREATOR_STACK_MISMATCH)->bad_scenario);
	assert_finding(&r, VS_RULE_CREATOR_STACK_MISMATCH, 4,
	               "'kernel' was created here under other variable creators than "
	               "'kernel/Adam/', which belongs to it (created at x.yaml:9 under {mirrored}): "
	               "create the model and its optimizer or moving averages under the same "
	               "creator scope (e.g. strategy.scope())");
	done(&r);
}

static void test_template_made_again(void)
{
	run r = check_yaml(vs_rule_get(VS_RULE_TEMPLATE_MADE_AGAIN)->bad_scenario);
	assert_finding(&r, VS_RULE_TEMPLATE_MADE_AGAIN, 5,
	               "make_template('net') runs again here: this new template shares nothing with "
	               "the one made here before; make the template once and call it again");
	done(&r);
}

/* ------------------------------------------------------------ VS118 */

static void test_tf_error_reported(void)
{
	run r = check_yaml(vs_rule_get(VS_RULE_TF_ERROR)->bad_scenario);
	assert_finding(&r, VS_RULE_TF_ERROR, 2,
	               "TensorFlow raised ValueError: If initializer is a constant, do not specify "
	               "shape.");
	VS_ASSERT_INT(vs_check_max_level(r.c), VS_LEVEL_ERROR);
	done(&r);
}

/* errors other rules explain are not repeated */
static void test_tf_error_explained(void)
{
	run r = check_yaml(vs_rule_get(VS_RULE_CREATE_IN_REUSE_SCOPE)->bad_scenario);
	VS_ASSERT_INT(count(&r, VS_RULE_TF_ERROR), 0);
	done(&r);
	r = check_yaml(vs_rule_get(VS_RULE_CREATOR_NO_VARIABLE)->bad_scenario);
	VS_ASSERT_INT(count(&r, VS_RULE_CREATOR_NO_VARIABLE), 1);
	VS_ASSERT_INT(count(&r, VS_RULE_TF_ERROR), 0);
	done(&r);
	r = check_yaml(vs_rule_get(VS_RULE_IMPROPER_NESTING)->bad_scenario);
	VS_ASSERT_INT(count(&r, VS_RULE_TF_ERROR), 0);
	done(&r);
	r = check_yaml(vs_rule_get(VS_RULE_TEMPLATE_TRAINABLE_VARIABLE)->bad_scenario);
	VS_ASSERT_INT(count(&r, VS_RULE_TF_ERROR), 0);
	done(&r);
}

/* TF's testVarScopeNestingError: a variable_scope exited while an inner one
 * is open raises E17 and stays entered; the graph its exit leaves in a
 * finally is the inner scope's graph too, so that pop is no E28, and the
 * exits that follow in the right order are clean: exactly one VS309 */
static void test_misnested_exit_one_finding(void)
{
	run r = check_yaml("steps:\n"
	                   "  - variable_scope: {name: a, cm: ca}\n"
	                   "  - variable_scope: {name: b, cm: cb}\n"
	                   "  - exit: ca\n"
	                   "    expect: {error: RuntimeError}\n"
	                   "  - exit: cb\n"
	                   "  - exit: ca\n"
	                   "    expect: {scope: ''}\n");
	CU_ASSERT(r.ran_ok);
	VS_ASSERT_INT(count(&r, VS_RULE_IMPROPER_NESTING), 1);
	assert_finding(&r, VS_RULE_IMPROPER_NESTING, 4, "Improper nesting of variable_scope.");
	VS_ASSERT_INT(count(&r, VS_RULE_TF_ERROR), 0);
	VS_ASSERT_INT(count(&r, VS_RULE_TRACE_INCONSISTENT), 0);
	done(&r);
	/* a graph really exited out of order is still E28 (near miss) */
	r = check_yaml("steps:\n"
	               "  - graph: {as: g1}\n"
	               "  - graph: {as: g2}\n"
	               "  - as_default: {graph: g1, cm: c1}\n"
	               "  - as_default: {graph: g2, cm: c2}\n"
	               "  - exit: c1\n"
	               "    expect: {error: AssertionError}\n");
	VS_ASSERT_INT(count(&r, VS_RULE_IMPROPER_NESTING), 1);
	done(&r);
}

/* a TensorFlow error outside any call (a scope argument) */
static void test_tf_error_scope_argument(void)
{
	run r = check_yaml("steps:\n"
	                   "  - variable_scope: {default_name: layer, reuse: auto}\n"
	                   "    expect: {error: ValueError}\n");
	CU_ASSERT(r.ran_ok);
	assert_finding(&r, VS_RULE_TF_ERROR, 2,
	               "TensorFlow raised ValueError: reuse=True cannot be used without a "
	               "name_or_scope");
	done(&r);
}

VS_SUITE_FN(checker_realworld)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_rule_examples),
		VS_TEST(test_misnested_exit_one_finding),
		VS_TEST(test_scope_left_open),
		VS_TEST(test_renaming_getter),
		VS_TEST(test_getter_companion_not_renaming),
		VS_TEST(test_shares_nothing_points_at_reuse),
		VS_TEST(test_shares_nothing_reuse_true),
		VS_TEST(test_shares_nothing_captured_layer_scope),
		VS_TEST(test_shares_nothing_not_for_named_capture),
		VS_TEST(test_companion_names_the_reuse),
		VS_TEST(test_companion_through_captured_root),
		VS_TEST(test_built_twice_points_at_call),
		VS_TEST(test_binds_other_site),
		VS_TEST(test_default_name_under_reuse_is_sharing),
		VS_TEST(test_variable_bypasses_reuse),
		VS_TEST(test_variable_bypasses_reuse_same_call),
		VS_TEST(test_untrainable_variable_under_reuse),
		VS_TEST(test_control_flow_direct_variable),
		VS_TEST(test_function_retrace),
		VS_TEST(test_creator_mismatch_points_at_model),
		VS_TEST(test_template_made_again),
		VS_TEST(test_tf_error_reported),
		VS_TEST(test_tf_error_explained),
		VS_TEST(test_tf_error_scope_argument),
		VS_TEST_END};
	vs_test_add_suite("checker_realworld", NULL, suite_clean, cases);
}
