/* SPDX-License-Identifier: MIT */
/*
 * tests for checker/shadow.c through checker/check.c: for every rule a
 * minimal hand-built event stream that triggers it, and a near miss that
 * must not.
 */
#include "tests/unit/checker_testutil.h"

enum { STORE = 100 }; /* a variable-store id */

#define E1_MSG                                                                                 \
	"Variable m/w already exists, disallowed. Did you mean to set reuse=True or "               \
	"reuse=tf.AUTO_REUSE in VarScope?"
#define E2_MSG                                                                                 \
	"Variable m/w does not exist, or was not created with tf.get_variable(). Did you mean to " \
	"set reuse=tf.AUTO_REUSE in VarScope?"

static void prelude(tb *b)
{
	tb_init(b);
	EVP(b, VS_EV_PROCESS_START, 0, process_start, .pid = 4242, .parent_pid = 1);
	tb_site(b, 1, "train.py", 10, "build");
	tb_graph(b, 1, VS_EVF_GLOBAL_DEFAULT);
}

static void test_create_in_reuse_scope(void)
{
	tb b;
	prelude(&b);
	tb_vs_enter(&b, "m", "m", VS_REUSE_TRUE, VS_REUSE_TRUE, 1, 0, "m/");
	tb_getvar(&b, "w", "m/w", VS_REUSE_TRUE, STORE, VS_OUT_ERROR, 0, VS_TFE_VAR_MISSING, E2_MSG,
	          0);
	uint64_t err_seq = b.seq;
	tb_vs_exit(&b, "m", 1);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 1);
	const vs_check_finding *f = tb_find(&r, VS_RULE_CREATE_IN_REUSE_SCOPE);
	VS_ASSERT_STR(f->message, E2_MSG);
	VS_ASSERT_STR(f->file, "train.py");
	VS_ASSERT_INT(f->line, 10);
	VS_ASSERT_STR(f->function, "build");
	VS_ASSERT_STR(f->scope, "m");
	VS_ASSERT_STR(f->variable, "m/w");
	VS_ASSERT_INT(f->level, VS_LEVEL_ERROR);
	VS_ASSERT_INT(f->seq, err_seq);
	VS_ASSERT_INT(vs_check_count(r.c), 1);
	tb_done(&r);

	/* near miss: created first, then reused */
	prelude(&b);
	tb_vs_enter(&b, "m", "m", 0, VS_REUSE_FALSE, 1, 0, "m/");
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_vs_exit(&b, "m", 1);
	tb_vs_enter(&b, "m", "m", VS_REUSE_TRUE, VS_REUSE_TRUE, 2, 0, "m/");
	tb_getvar(&b, "w", "m/w", VS_REUSE_TRUE, STORE, VS_OUT_REUSED, 7, 0, NULL, 0);
	tb_vs_exit(&b, "m", 2);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_variable_exists_and_built_twice(void)
{
	tb b;
	/* E1 from another call site: variable-already-exists */
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_site(&b, 2, "train.py", 20, "build_again");
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_ERROR, 0, VS_TFE_VAR_EXISTS, E1_MSG,
	          0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_VARIABLE_EXISTS), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_VARIABLE_EXISTS), E1_MSG);
	VS_ASSERT_INT(tb_find(&r, VS_RULE_VARIABLE_EXISTS)->line, 20);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_MODEL_BUILT_TWICE), 0);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TRACE_INCONSISTENT), 0);
	tb_done(&r);

	/* E1 from the same call site: the model was built twice */
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_ERROR, 0, VS_TFE_VAR_EXISTS, E1_MSG,
	          0);
	r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_VARIABLE_EXISTS), 0);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_MODEL_BUILT_TWICE), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_MODEL_BUILT_TWICE),
	              "the code that created 'm/w' runs again in the same graph (model built twice, or a "
	              "second call without reuse=True): first created at train.py:10, created again "
	              "at train.py:10: " E1_MSG);
	tb_done(&r);

	/* near miss: two stores (two graphs) each create m/w once */
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_graph(&b, 2, 0);
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE + 1, VS_OUT_CREATED, 8, 0, NULL, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_shape_and_dtype_mismatch(void)
{
	static const char shape_msg[] = "Trying to share variable m/w, but specified shape (178, 150) "
	                                "and found shape (300, 150).";
	static const char dtype_msg[] = "Trying to share variable m/w, but specified dtype "
	                                "<dtype: 'float32'> and found dtype <dtype: 'int64'>.";
	tb b;
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_getvar(&b, "w", "m/w", VS_REUSE_AUTO, STORE, VS_OUT_ERROR, 0, VS_TFE_SHARE_SHAPE,
	          shape_msg, 0);
	tb_getvar(&b, "w", "m/w", VS_REUSE_AUTO, STORE, VS_OUT_ERROR, 0, VS_TFE_SHARE_DTYPE,
	          dtype_msg, 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_SHAPE_MISMATCH), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_SHAPE_MISMATCH), shape_msg);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_DTYPE_MISMATCH), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_DTYPE_MISMATCH), dtype_msg);
	tb_done(&r);

	/* near miss: a matching reuse */
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_getvar(&b, "w", "m/w", VS_REUSE_AUTO, STORE, VS_OUT_REUSED, 7, 0, NULL, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_root_reuse_variables(void)
{
	tb b;
	prelude(&b);
	EVP(&b, VS_EV_REUSE_VARIABLES, VS_EVF_ROOT_SCOPE, reuse_variables, .scope_id = 1,
	    .full_name = S(&b, ""));
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_ROOT_REUSE_VARIABLES), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_ROOT_REUSE_VARIABLES),
	              "reuse_variables() on the root variable scope: every later scope of thread 1 "
	              "reuses");
	VS_ASSERT_INT(tb_find(&r, VS_RULE_ROOT_REUSE_VARIABLES)->level, VS_LEVEL_WARNING);
	tb_done(&r);

	/* near miss: on a named scope */
	prelude(&b);
	tb_vs_enter(&b, "m", "m", 0, VS_REUSE_FALSE, 1, 0, "m/");
	EVP(&b, VS_EV_REUSE_VARIABLES, 0, reuse_variables, .scope_id = 1, .full_name = S(&b, "m"));
	tb_getvar(&b, "w", "m/w", VS_REUSE_TRUE, STORE, VS_OUT_ERROR, 0, VS_TFE_VAR_MISSING, E2_MSG,
	          0);
	r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_ROOT_REUSE_VARIABLES), 0);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 1);
	tb_done(&r);
}

static void test_reuse_false_ignored(void)
{
	tb b;
	prelude(&b);
	tb_vs_enter(&b, "a", "a", VS_REUSE_TRUE, VS_REUSE_TRUE, 1, 0, "a/");
	tb_vs_enter(&b, "b", "a/b", VS_REUSE_FALSE, VS_REUSE_TRUE, 2, 0, "a/b/");
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_REUSE_FALSE_NO_EFFECT), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_REUSE_FALSE_NO_EFFECT),
	              "reuse=False has no effect: variable scope 'a/b' reuses because its parent "
	              "scope reuses");
	VS_ASSERT_STR(tb_find(&r, VS_RULE_REUSE_FALSE_NO_EFFECT)->scope, "a");
	tb_done(&r);

	/* near miss: reuse=False under a non-reusing parent */
	prelude(&b);
	tb_vs_enter(&b, "a", "a", 0, VS_REUSE_FALSE, 1, 0, "a/");
	tb_vs_enter(&b, "b", "a/b", VS_REUSE_FALSE, VS_REUSE_FALSE, 2, 0, "a/b/");
	tb_vs_exit(&b, "a/b", 2);
	tb_vs_exit(&b, "a", 1);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_thread_name_collision(void)
{
	tb b;
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_AUTO, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	b.tid = 2;
	EVP(&b, VS_EV_THREAD_START, 0, thread_start, .os_tid = 99, .parent_tid = 1,
	    .parent_graph = 1);
	tb_getvar(&b, "w", "m/w", VS_REUSE_AUTO, STORE, VS_OUT_REUSED, 7, 0, NULL, 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_THREAD_NAME_COLLISION), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_THREAD_NAME_COLLISION),
	              "thread 2 silently shares variable 'm/w' created by thread 1 at train.py:10");
	VS_ASSERT_INT(tb_find(&r, VS_RULE_THREAD_NAME_COLLISION)->tid, 2);
	tb_done(&r);

	/* near miss: explicit reuse=True is intended sharing */
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_AUTO, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	b.tid = 2;
	EVP(&b, VS_EV_THREAD_START, 0, thread_start, .os_tid = 99, .parent_tid = 1,
	    .parent_graph = 1);
	tb_getvar(&b, "w", "m/w", VS_REUSE_TRUE, STORE, VS_OUT_REUSED, 7, 0, NULL, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_thread_scope_not_entered(void)
{
	tb b;
	prelude(&b);
	tb_vs_enter(&b, "model", "model", 0, VS_REUSE_FALSE, 1, 0, "model/");
	b.tid = 2;
	EVP(&b, VS_EV_THREAD_START, 0, thread_start, .os_tid = 99, .parent_tid = 1,
	    .parent_scope = S(&b, "model"), .parent_graph = 1);
	tb_getvar(&b, "w", "w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_THREAD_SCOPE_NOT_ENTERED), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_THREAD_SCOPE_NOT_ENTERED),
	              "thread 2 creates 'w' under its own root scope while its parent thread was in "
	              "scope 'model'");
	tb_done(&r);

	/* the parent reused its root scope; the thread opens its own 'conv1' and
	 * collides (E1) */
	prelude(&b);
	tb_getvar(&b, "weights", "conv1/weights", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL,
	          0);
	EVP(&b, VS_EV_REUSE_VARIABLES, VS_EVF_ROOT_SCOPE, reuse_variables, .scope_id = 1,
	    .full_name = S(&b, ""));
	b.tid = 2;
	EVP(&b, VS_EV_THREAD_START, 0, thread_start, .os_tid = 99, .parent_tid = 1,
	    .parent_scope = S(&b, ""), .parent_graph = 1);
	tb_vs_enter(&b, "conv1", "conv1", 0, VS_REUSE_FALSE, 1, 0, "conv1/");
	tb_getvar(&b, "weights", "conv1/weights", VS_REUSE_FALSE, STORE, VS_OUT_ERROR, 0,
	          VS_TFE_VAR_EXISTS, "Variable conv1/weights already exists, disallowed.", 0);
	tb_vs_exit(&b, "conv1", 1);
	r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_THREAD_SCOPE_NOT_ENTERED), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_THREAD_SCOPE_NOT_ENTERED),
	              "thread 2 creates 'conv1/weights' under its own non-reusing root scope while its "
	              "parent thread's root scope reuses");
	tb_done(&r);

	/* the parent is inside a re-entered root scope (name "") that reuses */
	prelude(&b);
	EVP(&b, VS_EV_VARSCOPE_ENTER, 0, varscope, .full_name = S(&b, ""), .reuse = VS_REUSE_FALSE,
	    .captured_scope = 1, .scope_id = 1, .cm = 1);
	EVP(&b, VS_EV_REUSE_VARIABLES, 0, reuse_variables, .scope_id = 1, .full_name = S(&b, ""));
	b.tid = 2;
	EVP(&b, VS_EV_THREAD_START, 0, thread_start, .os_tid = 99, .parent_tid = 1,
	    .parent_scope = S(&b, ""), .parent_graph = 1);
	tb_getvar(&b, "w", "w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	b.tid = 1;
	EVP(&b, VS_EV_VARSCOPE_EXIT, 0, varscope, .full_name = S(&b, ""), .scope_id = 1, .cm = 1);
	r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_THREAD_SCOPE_NOT_ENTERED), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_THREAD_SCOPE_NOT_ENTERED),
	              "thread 2 creates 'w' under its own root scope while its parent thread was "
	              "inside a re-entered root scope that reuses");
	VS_ASSERT_INT(vs_check_count(r.c), 1);
	tb_done(&r);

	/* near miss: the thread re-enters the captured scope */
	prelude(&b);
	tb_vs_enter(&b, "model", "model", 0, VS_REUSE_FALSE, 1, 0, "model/");
	b.tid = 2;
	EVP(&b, VS_EV_THREAD_START, 0, thread_start, .os_tid = 99, .parent_tid = 1,
	    .parent_scope = S(&b, "model"), .parent_graph = 1);
	EVP(&b, VS_EV_VARSCOPE_ENTER, 0, varscope, .requested = S(&b, "model"),
	    .full_name = S(&b, "model"), .reuse = VS_REUSE_FALSE, .captured_scope = 1,
	    .name_scope = S(&b, "model_1/"), .scope_id = 2, .cm = 2);
	tb_getvar(&b, "w", "model/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_THREAD_SCOPE_NOT_ENTERED), 0);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_OP_SCOPE_DIVERGES), 1);
	tb_done(&r);
}

static void test_auto_reuse_other_site(void)
{
	tb b;
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_AUTO, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_site(&b, 2, "decoder.py", 5, "decode");
	tb_getvar(&b, "w", "m/w", VS_REUSE_AUTO, STORE, VS_OUT_REUSED, 7, 0, NULL, 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_AUTO_REUSE_OTHER_SITE), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_AUTO_REUSE_OTHER_SITE),
	              "AUTO_REUSE returns 'm/w', first created at train.py:10");
	VS_ASSERT_INT(tb_find(&r, VS_RULE_AUTO_REUSE_OTHER_SITE)->level, VS_LEVEL_NOTE);
	tb_done(&r);

	/* near miss: the same site in a loop */
	prelude(&b);
	for (int i = 0; i < 3; i++)
		tb_getvar(&b, "w", "m/w", VS_REUSE_AUTO, STORE, i ? VS_OUT_REUSED : VS_OUT_CREATED,
		          7, 0, NULL, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_default_name_collision(void)
{
	tb b;
	prelude(&b);
	tb_getvar(&b, "v", "foo/bar/v", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_vs_enter(&b, "bar", "foo/bar", 0, VS_REUSE_FALSE, 1, VS_EVF_DEFAULT_NAME, "foo/bar/");
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_DEFAULT_NAME_COLLISION), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_DEFAULT_NAME_COLLISION),
	              "default_name scope 'foo/bar' lands on a name that already holds variables");
	tb_done(&r);

	/* near miss: uniquified to foo/bar_1; and a named (not default) re-entry */
	prelude(&b);
	tb_getvar(&b, "v", "foo/bar/v", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_vs_enter(&b, "bar", "foo/bar_1", 0, VS_REUSE_FALSE, 1, VS_EVF_DEFAULT_NAME,
	            "foo/bar_1/");
	tb_vs_exit(&b, "foo/bar_1", 1);
	tb_vs_enter(&b, "foo", "foo", 0, VS_REUSE_FALSE, 2, 0, "foo/");
	tb_vs_exit(&b, "foo", 2);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_op_scope_diverges(void)
{
	tb b;
	prelude(&b);
	tb_vs_enter(&b, "foo", "foo", 0, VS_REUSE_FALSE, 1, 0, "foo_1/");
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_OP_SCOPE_DIVERGES), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_OP_SCOPE_DIVERGES),
	              "op name scope 'foo_1/' differs from variable scope 'foo/'");
	tb_done(&r);

	/* near miss: same prefix; no aux name scope at all */
	prelude(&b);
	tb_vs_enter(&b, "foo", "foo", 0, VS_REUSE_FALSE, 1, 0, "foo/");
	tb_vs_enter(&b, "bar", "foo/bar", 0, VS_REUSE_FALSE, 2, VS_EVF_NO_AUX_NAME_SCOPE, NULL);
	tb_vs_exit(&b, "foo/bar", 2);
	tb_vs_exit(&b, "foo", 1);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_direct_variable_collision(void)
{
	tb b;
	/* direct Variable first, then the store key */
	prelude(&b);
	tb_direct(&b, "foo/", "v", "foo/v:0", 7, VS_EVF_TRAINABLE, 0);
	tb_getvar(&b, "v", "foo/v", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 8, 0, NULL, 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_DIRECT_VARIABLE_COLLISION), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_DIRECT_VARIABLE_COLLISION),
	              "get_variable key 'foo/v' collides with a tf.Variable of the same name; the "
	              "variable is named 'foo/v'");
	tb_done(&r);

	/* store key first, then the direct Variable */
	prelude(&b);
	tb_getvar(&b, "v", "foo/v", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 8, 0, NULL, 0);
	tb_direct(&b, "foo/", "v", "foo/v_1:0", 9, VS_EVF_TRAINABLE, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_DIRECT_VARIABLE_COLLISION), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_DIRECT_VARIABLE_COLLISION),
	              "tf.Variable named 'foo/v' collides with a get_variable key of the same name");
	tb_done(&r);

	/* near miss: different names; a prefix is not a collision */
	prelude(&b);
	tb_getvar(&b, "v", "foo/v", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 8, 0, NULL, 0);
	tb_direct(&b, "foo/", "u", "foo/u:0", 9, VS_EVF_TRAINABLE, 0);
	tb_direct(&b, "", "foo", "foo:0", 10, VS_EVF_TRAINABLE, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void template_call(tb *b, uint32_t tmpl, uint32_t index)
{
	EVP(b, VS_EV_TEMPLATE_CALL_ENTER, 0, template_enter, .template_id = tmpl,
	    .call_index = index, .scope_name = S(b, "f"), .first_call = index == 1);
}

static void template_exit(tb *b, uint32_t tmpl, uint32_t index)
{
	EVP(b, VS_EV_TEMPLATE_CALL_EXIT, 0, template_exit, .template_id = tmpl, .call_index = index,
	    .outcome = VS_OUT_OTHER);
}

static void test_template_direct_variable(void)
{
	tb b;
	prelude(&b);
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 5, .name = S(&b, "f"));
	template_call(&b, 5, 1);
	tb_direct(&b, "f/", "Variable", "f/Variable:0", 7, VS_EVF_TRAINABLE, 5);
	template_exit(&b, 5, 1);
	template_call(&b, 5, 2);
	tb_direct(&b, "f_1/", "Variable", "f_1/Variable:0", 8, VS_EVF_TRAINABLE, 5);
	template_exit(&b, 5, 2);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TEMPLATE_TRAINABLE_VARIABLE), 2);
	VS_ASSERT_STR(tb_msg_at(&r, 0),
	              "trainable tf.Variable 'f/Variable:0' created inside template 'f': it is not "
	              "shared, and TensorFlow raises from the second call");
	VS_ASSERT_STR(tb_msg_at(&r, 1),
	              "Trainable variable created when calling a template after the first time, "
	              "perhaps you used tf.Variable when you meant tf.get_variable: f_1/Variable:0");
	tb_done(&r);

	/* near miss: a non-trainable Variable on the first call; get_variable */
	prelude(&b);
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 5, .name = S(&b, "f"));
	template_call(&b, 5, 1);
	tb_direct(&b, "f/", "c", "f/c:0", 7, 0, 5);
	tb_getvar(&b, "w", "f/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 8, 0, NULL, 0);
	template_exit(&b, 5, 1);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_template_late_variable(void)
{
	tb b;
	prelude(&b);
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 5, .name = S(&b, "f"));
	template_call(&b, 5, 1);
	tb_direct(&b, "f/", "c", "f/c:0", 7, 0, 5);
	template_exit(&b, 5, 1);
	template_call(&b, 5, 2);
	tb_direct(&b, "f_1/", "c", "f_1/c:0", 8, 0, 5);
	template_exit(&b, 5, 2);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TEMPLATE_LATE_VARIABLE), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_TEMPLATE_LATE_VARIABLE),
	              "non-trainable variable 'f_1/c:0' created by call 2 of template 'f'");
	VS_ASSERT_INT(vs_check_count(r.c), 1);
	tb_done(&r);
}

static void test_template_unique_name(void)
{
	tb b;
	prelude(&b);
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 5, .name = S(&b, "a"),
	    .unique_name = S(&b, "net"));
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 6, .name = S(&b, "b"),
	    .unique_name = S(&b, "net"));
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TEMPLATE_UNIQUE_NAME), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_TEMPLATE_UNIQUE_NAME),
	              "template 'b' uses unique_name_ 'net' already used by template 'a'");
	tb_done(&r);

	/* near miss: distinct unique names, same unique name in another graph */
	prelude(&b);
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 5, .name = S(&b, "a"),
	    .unique_name = S(&b, "net_a"));
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 6, .name = S(&b, "b"),
	    .unique_name = S(&b, "net_b"));
	tb_graph(&b, 2, 0);
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 7, .name = S(&b, "c"),
	    .unique_name = S(&b, "net_a"));
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_template_missing_variable(void)
{
	tb b;
	prelude(&b);
	EVP(&b, VS_EV_TEMPLATE_MAKE, 0, template_make, .template_id = 5, .name = S(&b, "f"));
	template_call(&b, 5, 1);
	template_exit(&b, 5, 1);
	template_call(&b, 5, 2);
	tb_getvar(&b, "w", "m/w", VS_REUSE_TRUE, STORE, VS_OUT_ERROR, 0, VS_TFE_VAR_MISSING, E2_MSG,
	          0);
	template_exit(&b, 5, 2);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TEMPLATE_MISSING_VARIABLE), 1);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 0);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_TEMPLATE_MISSING_VARIABLE),
	              "call 2 of a template gets 'm/w', which its first call never created: " E2_MSG);
	tb_done(&r);

	/* near miss: the same error outside any template is VS101 */
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_TRUE, STORE, VS_OUT_ERROR, 0, VS_TFE_VAR_MISSING, E2_MSG,
	          0);
	r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TEMPLATE_MISSING_VARIABLE), 0);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_CREATE_IN_REUSE_SCOPE), 1);
	tb_done(&r);
}

static void test_function_not_lifted(void)
{
	tb b;
	prelude(&b);
	EVP(&b, VS_EV_GRAPH_CREATE, VS_EVF_BUILDING_FUNCTION, graph_create, .graph_id = 2,
	    .outer_graph = 1, .name = S(&b, "fn"));
	b.graph = 2;
	tb_direct(&b, "", "v", "v:0", 7, VS_EVF_TRAINABLE, 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_FUNCTION_NOT_LIFTED), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_FUNCTION_NOT_LIFTED),
	              "variable 'v:0' created inside function graph 'fn' without init_scope");
	tb_done(&r);

	/* near miss: lifted by init_scope into graph 1 */
	prelude(&b);
	EVP(&b, VS_EV_GRAPH_CREATE, VS_EVF_BUILDING_FUNCTION, graph_create, .graph_id = 2,
	    .outer_graph = 1, .name = S(&b, "fn"));
	b.graph = 2;
	EVP(&b, VS_EV_INIT_SCOPE_ENTER, VS_EVF_LIFTED, init_scope, .ctx_kind = VS_CTX_GRAPH,
	    .graph_id = 1, .cm = 9, .from_graph = 2);
	b.graph = 1;
	tb_direct(&b, "", "v", "v:0", 7, VS_EVF_TRAINABLE | VS_EVF_LIFTED, 0);
	EVP(&b, VS_EV_INIT_SCOPE_EXIT, 0, init_scope, .cm = 9);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_control_flow_variable(void)
{
	tb b;
	prelude(&b);
	EVP(&b, VS_EV_CONTROL_DEPS_ENTER, 0, control_deps, .n_inputs = 1, .cm = 7);
	tb_direct(&b, "", "v", "v:0", 7, VS_EVF_TRAINABLE, 0);
	EVP(&b, VS_EV_CONTROL_DEPS_EXIT, 0, control_deps, .cm = 7);
	EVP(&b, VS_EV_CFLOW_ENTER, 0, cflow, .cflow_kind = VS_CFLOW_WHILE, .cm = 8);
	tb_direct(&b, "", "u", "u:0", 8, VS_EVF_TRAINABLE, 0);
	EVP(&b, VS_EV_CFLOW_EXIT, 0, cflow, .cflow_kind = VS_CFLOW_WHILE, .cm = 8);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_CONTROL_DEPS_VARIABLE), 2);
	VS_ASSERT_STR(tb_msg_at(&r, 0),
	              "variable 'v:0' created under control dependencies without init_scope");
	/* a tf.Variable in a loop body: at its call, once (not again at the
	 * creation its constructor lifts out) */
	VS_ASSERT_STR(tb_msg_at(&r, 1),
	              "tf.Variable 'u' is created inside cond/while_loop: its initial value comes "
	              "from inside a control-flow construct (TF: \"Initializer for variable ... is "
	              "from inside a control-flow construct\"); create it outside, or pass a "
	              "callable initial value");
	tb_done(&r);

	/* near miss: init_scope inside; control_dependencies(None); after the exit */
	prelude(&b);
	EVP(&b, VS_EV_CONTROL_DEPS_ENTER, 0, control_deps, .n_inputs = 1, .cm = 7);
	EVP(&b, VS_EV_INIT_SCOPE_ENTER, 0, init_scope, .ctx_kind = VS_CTX_GRAPH, .graph_id = 1,
	    .cm = 9, .from_graph = 1);
	tb_direct(&b, "", "v", "v:0", 7, VS_EVF_TRAINABLE, 0);
	EVP(&b, VS_EV_INIT_SCOPE_EXIT, 0, init_scope, .cm = 9);
	EVP(&b, VS_EV_CONTROL_DEPS_ENTER, VS_EVF_CLEARED, control_deps, .cm = 10);
	tb_direct(&b, "", "u", "u:0", 8, VS_EVF_TRAINABLE, 0);
	EVP(&b, VS_EV_CONTROL_DEPS_EXIT, 0, control_deps, .cm = 10);
	EVP(&b, VS_EV_CONTROL_DEPS_EXIT, 0, control_deps, .cm = 7);
	tb_direct(&b, "", "x", "x:0", 9, VS_EVF_TRAINABLE, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_tape_variable(void)
{
	tb b;
	prelude(&b);
	EVP(&b, VS_EV_TAPE_PUSH, 0, tape, .tape_id = 1, .cm = 3);
	tb_direct(&b, "", "v", "v:0", 7, VS_EVF_TRAINABLE, 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TAPE_VARIABLE), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_TAPE_VARIABLE),
	              "variable 'v:0' created while a gradient tape records");
	tb_done(&r);

	/* near miss: stop_recording; after the tape popped */
	prelude(&b);
	EVP(&b, VS_EV_TAPE_PUSH, 0, tape, .tape_id = 1, .cm = 3);
	EVP(&b, VS_EV_TAPE_PAUSE, 0, tape_pause, .stopped = 1, .cm = 4);
	tb_direct(&b, "", "v", "v:0", 7, VS_EVF_TRAINABLE, 0);
	EVP(&b, VS_EV_TAPE_RESUME, 0, tape_pause, .stopped = 1, .cm = 4);
	EVP(&b, VS_EV_TAPE_POP, 0, tape, .tape_id = 1, .cm = 3);
	tb_direct(&b, "", "u", "u:0", 8, VS_EVF_TRAINABLE, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_init_scope_fallback(void)
{
	tb b;
	prelude(&b);
	tb_graph(&b, 2, 0); /* the caller builds graph 2: the fallback leaves it */
	EVP(&b, VS_EV_INIT_SCOPE_ENTER, VS_EVF_FALLBACK_GLOBAL, init_scope,
	    .ctx_kind = VS_CTX_GRAPH, .graph_id = 1, .cm = 9, .from_graph = 2);
	EVP(&b, VS_EV_INIT_SCOPE_EXIT, 0, init_scope, .cm = 9);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_INIT_SCOPE_FALLBACK), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_INIT_SCOPE_FALLBACK),
	              "init_scope found no outer context and fell back to the global default graph "
	              "1, not graph 2 the caller was building");
	VS_ASSERT_INT(vs_check_count(r.c), 1);
	tb_done(&r);

	/* near miss: the caller builds the global graph itself (plain TF1), or a
	 * function graph nested in it; no fallback */
	prelude(&b);
	EVP(&b, VS_EV_INIT_SCOPE_ENTER, VS_EVF_FALLBACK_GLOBAL, init_scope,
	    .ctx_kind = VS_CTX_GRAPH, .graph_id = 1, .cm = 9, .from_graph = 1);
	EVP(&b, VS_EV_INIT_SCOPE_EXIT, 0, init_scope, .cm = 9);
	EVP(&b, VS_EV_GRAPH_CREATE, VS_EVF_BUILDING_FUNCTION, graph_create, .graph_id = 3,
	    .outer_graph = 1, .name = S(&b, "fn"));
	b.graph = 3;
	EVP(&b, VS_EV_INIT_SCOPE_ENTER, VS_EVF_FALLBACK_GLOBAL | VS_EVF_LIFTED, init_scope,
	    .ctx_kind = VS_CTX_GRAPH, .graph_id = 1, .cm = 10, .from_graph = 3);
	EVP(&b, VS_EV_INIT_SCOPE_EXIT, 0, init_scope, .cm = 10);
	EVP(&b, VS_EV_INIT_SCOPE_ENTER, 0, init_scope, .ctx_kind = VS_CTX_GRAPH, .graph_id = 1,
	    .cm = 11, .from_graph = 3);
	EVP(&b, VS_EV_INIT_SCOPE_EXIT, 0, init_scope, .cm = 11);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_eager_no_store(void)
{
	static const char e11[] = "When eager execution is enabled variable reuse is only supported "
	                          "when an EagerVariableStore is active. See the documentation on "
	                          "EagerVariableStore for example usage.";
	tb b;
	prelude(&b);
	b.graph = 0;
	tb_getvar(&b, "w", "w", VS_REUSE_FALSE, 0, VS_OUT_CREATED, 7, 0, NULL, VS_EVF_EAGER);
	tb_site(&b, 2, "train.py", 11, "build");
	tb_getvar(&b, "w", "w", VS_REUSE_TRUE, 0, VS_OUT_ERROR, 0, VS_TFE_EAGER_REUSE, e11,
	          VS_EVF_EAGER);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_EAGER_NO_STORE), 2);
	VS_ASSERT_STR(tb_msg_at(&r, 0),
	              "get_variable('w') in eager mode without an EagerVariableStore or template: "
	              "every call creates a new variable");
	VS_ASSERT_STR(tb_msg_at(&r, 1), e11);
	tb_done(&r);

	/* near miss: inside an EagerVariableStore */
	prelude(&b);
	b.graph = 0;
	EVP(&b, VS_EV_EAGER_STORE_NEW, 0, eager_store_new, .store_id = 30);
	EVP(&b, VS_EV_EAGER_STORE_ENTER, 0, eager_store, .store_id = 30, .cm = 11);
	tb_getvar(&b, "w", "w", VS_REUSE_FALSE, 30, VS_OUT_CREATED, 7, 0, NULL, VS_EVF_EAGER);
	tb_getvar(&b, "w", "w", VS_REUSE_TRUE, 30, VS_OUT_REUSED, 7, 0, NULL, VS_EVF_EAGER);
	EVP(&b, VS_EV_EAGER_STORE_EXIT, 0, eager_store, .store_id = 30, .cm = 11);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void creator_request(tb *b, const char *label, uint32_t var, uint32_t outcome,
                            uint32_t created)
{
	uint32_t call = ++b->call;
	EVP(b, VS_EV_CREATOR_CALL, 0, creator_call, .label = S(b, label), .name = S(b, "w"),
	    .dtype = VS_DT_FLOAT32, .shape = S(b, "(3,)"), .call_id = call);
	EVP(b, VS_EV_CREATOR_RETURN, 0, creator_return, .label = S(b, label), .variable = var,
	    .call_id = call, .outcome = outcome, .n_created = created);
}

static void test_creator_rules(void)
{
	tb b;
	prelude(&b);
	creator_request(&b, "log_creator", 0, VS_OUT_OTHER, 0);
	creator_request(&b, "twice", 8, VS_OUT_CREATED, 2);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_CREATOR_NO_VARIABLE), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_CREATOR_NO_VARIABLE),
	              "variable creator 'log_creator' returned no variable for 'w'");
	VS_ASSERT_INT(tb_count(&r, VS_RULE_CREATOR_MULTIPLE), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_CREATOR_MULTIPLE), "one request for 'w' created 2 variables");
	tb_done(&r);

	/* near miss: delegating creators, one variable each; an error outcome */
	prelude(&b);
	creator_request(&b, "ok", 8, VS_OUT_CREATED, 1);
	creator_request(&b, "raising", 0, VS_OUT_ERROR, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_getter_renames(void)
{
	tb b;
	prelude(&b);
	EVP(&b, VS_EV_GETTER_CALL, 0, getter_call, .label = S(&b, "ema_getter"),
	    .name = S(&b, "m/w"), .call_id = 9);
	EVP(&b, VS_EV_GETTER_CALL, 0, getter_call, .depth = 1, .name = S(&b, "m/w_ema"),
	    .call_id = 9);
	EVP(&b, VS_EV_GETTER_RETURN, 0, getter_return, .depth = 1, .variable = 7,
	    .key = S(&b, "m/w_ema"), .call_id = 9, .outcome = VS_OUT_CREATED);
	EVP(&b, VS_EV_GETTER_RETURN, 0, getter_return, .label = S(&b, "ema_getter"), .variable = 7,
	    .key = S(&b, "m/w_ema"), .call_id = 9, .outcome = VS_OUT_CREATED);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_GETTER_RENAMES), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_GETTER_RENAMES),
	              "custom getter 'ema_getter' was asked for 'm/w' and returned 'm/w_ema': the "
	              "variable lives under a name the caller never asked for");
	tb_done(&r);

	/* near miss: the getter passes the name through */
	prelude(&b);
	EVP(&b, VS_EV_GETTER_CALL, 0, getter_call, .label = S(&b, "log_getter"),
	    .name = S(&b, "m/w"), .call_id = 9);
	EVP(&b, VS_EV_GETTER_CALL, 0, getter_call, .depth = 1, .name = S(&b, "m/w"), .call_id = 9);
	EVP(&b, VS_EV_GETTER_RETURN, 0, getter_return, .depth = 1, .variable = 7,
	    .key = S(&b, "m/w"), .call_id = 9, .outcome = VS_OUT_CREATED);
	EVP(&b, VS_EV_GETTER_RETURN, 0, getter_return, .label = S(&b, "log_getter"), .variable = 7,
	    .key = S(&b, "m/w"), .call_id = 9, .outcome = VS_OUT_CREATED);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_improper_nesting(void)
{
	tb b;
	prelude(&b);
	tb_vs_enter(&b, "a", "a", 0, VS_REUSE_FALSE, 1, 0, "a/");
	tb_vs_enter(&b, "b", "a/b", 0, VS_REUSE_FALSE, 2, 0, "a/b/");
	tb_vs_exit(&b, "a", 1);
	EVP(&b, VS_EV_ERROR, 0, error, .code = 2,
	    .message = S(&b, "Exiting variable_creator_scope without proper nesting."),
	    .tf_error = VS_TFE_CREATOR_NESTING);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_IMPROPER_NESTING), 2);
	VS_ASSERT_STR(tb_msg_at(&r, 0),
	              "Improper nesting of variable_scope. ('a' exited while 'a/b' is still open)");
	VS_ASSERT_STR(tb_msg_at(&r, 1),
	              "Exiting variable_creator_scope without proper nesting.");
	tb_done(&r);

	/* near miss: proper nesting, and an exit never entered is VS003 */
	prelude(&b);
	tb_vs_enter(&b, "a", "a", 0, VS_REUSE_FALSE, 1, 0, "a/");
	tb_vs_enter(&b, "b", "a/b", 0, VS_REUSE_FALSE, 2, 0, "a/b/");
	tb_vs_exit(&b, "a/b", 2);
	tb_vs_exit(&b, "a", 1);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_thread_global_graph(void)
{
	tb b;
	prelude(&b);
	tb_graph(&b, 2, 0);
	EVP(&b, VS_EV_CTX_PUSH, 0, ctx, .ctx_kind = VS_CTX_GRAPH, .graph_id = 2, .log_depth = 1,
	    .cm = 4);
	b.tid = 2;
	b.graph = 1;
	EVP(&b, VS_EV_THREAD_START, 0, thread_start, .os_tid = 99, .parent_tid = 1,
	    .parent_graph = 2);
	tb_direct(&b, "", "v", "v:0", 7, VS_EVF_TRAINABLE, 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_THREAD_GLOBAL_GRAPH), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_THREAD_GLOBAL_GRAPH),
	              "thread 2 creates 'v:0' in the global default graph, not in graph 2 its parent "
	              "was building");
	tb_done(&r);

	/* near miss: the thread enters the parent's graph */
	prelude(&b);
	tb_graph(&b, 2, 0);
	EVP(&b, VS_EV_CTX_PUSH, 0, ctx, .ctx_kind = VS_CTX_GRAPH, .graph_id = 2, .log_depth = 1,
	    .cm = 4);
	b.tid = 2;
	EVP(&b, VS_EV_THREAD_START, 0, thread_start, .os_tid = 99, .parent_tid = 1,
	    .parent_graph = 2);
	EVP(&b, VS_EV_CTX_PUSH, 0, ctx, .ctx_kind = VS_CTX_GRAPH, .graph_id = 2, .log_depth = 1,
	    .cm = 5);
	tb_direct(&b, "", "v", "v:0", 7, VS_EVF_TRAINABLE, 0);
	EVP(&b, VS_EV_CTX_POP, 0, ctx, .ctx_kind = VS_CTX_GRAPH, .graph_id = 2, .cm = 5);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 0);
	tb_done(&r);
}

static void test_lost_and_inconsistent(void)
{
	tb b;
	/* inconsistent outcomes: created twice, reused while missing */
	prelude(&b);
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 7, 0, NULL, 0);
	tb_getvar(&b, "w", "m/w", VS_REUSE_FALSE, STORE, VS_OUT_CREATED, 8, 0, NULL, 0);
	tb_getvar(&b, "u", "m/u", VS_REUSE_TRUE, STORE, VS_OUT_REUSED, 9, 0, NULL, 0);
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TRACE_INCONSISTENT), 2);
	VS_ASSERT_STR(tb_msg_at(&r, 0),
	              "GETVAR_EXIT event #9: recorded as created but the store already holds 'm/w'");
	VS_ASSERT_STR(tb_msg_at(&r, 1),
	              "GETVAR_EXIT event #11: recorded as reused but the store does not hold 'm/u'");
	tb_done(&r);

	/* after a LOST marker the model does not claim inconsistency */
	prelude(&b);
	EVP(&b, VS_EV_LOST, 0, lost, .count_lo = 5);
	tb_getvar(&b, "u", "m/u", VS_REUSE_TRUE, STORE, VS_OUT_REUSED, 9, 0, NULL, 0);
	r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 1);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TRACE_LOSSY), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_TRACE_LOSSY),
	              "5 events lost after event #4: later findings may be wrong");
	tb_done(&r);

	/* a scope still open at a clean process end is no contradiction:
	 * a note (VS006) at the scope */
	prelude(&b);
	tb_vs_enter(&b, "a", "a", 0, VS_REUSE_FALSE, 1, 0, "a/");
	r = tb_check(&b);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_TRACE_INCONSISTENT), 0);
	VS_ASSERT_INT(tb_count(&r, VS_RULE_SCOPE_LEFT_OPEN), 1);
	VS_ASSERT_STR(tb_msg(&r, VS_RULE_SCOPE_LEFT_OPEN),
	              "variable scope 'a' entered here was never exited: the process ended inside "
	              "it");
	tb_done(&r);
}

/* memory follows live state: a long loop reusing a few variables keeps the
 * model's tables and the finding list at a constant size */
static void test_memory_bounded(void)
{
	enum { STEPS = 20000, VARS = 10 };
	static const char *const keys[VARS] = {"l/w0", "l/w1", "l/w2", "l/w3", "l/w4",
	                                       "l/w5", "l/w6", "l/w7", "l/w8", "l/w9"};
	tb *b = malloc(sizeof *b);
	vs_event *ev = malloc(sizeof *ev * (STEPS * 6 + 8)) /* at most 6 events a step */;
	size_t n = 0;
	vs_error err;
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	prelude(b);
	memcpy(ev, b->ev, b->n * sizeof *ev);
	n = b->n;
	for (int i = 0; i < STEPS; i++) {
		b->n = 0;
		tb_vs_enter(b, "l", "l", VS_REUSE_AUTO, VS_REUSE_AUTO, (uint32_t)i + 1, 0, "l/");
		tb_getvar(b, "w", keys[i % VARS], VS_REUSE_AUTO, STORE,
		          i < VARS ? VS_OUT_CREATED : VS_OUT_REUSED, (uint32_t)(i % VARS) + 1, 0,
		          NULL, 0);
		EVP(b, VS_EV_REUSE_VARIABLES, VS_EVF_ROOT_SCOPE, reuse_variables, .scope_id = 1,
		    .full_name = S(b, ""));
		tb_vs_exit(b, "l", (uint32_t)i + 1);
		memcpy(ev + n, b->ev, b->n * sizeof *ev);
		n += b->n;
	}
	vs_rule_set *rs = vs_rule_set_new();
	vs_check *c = vs_check_new(rs);
	VS_ASSERT_INT(vs_check_events(c, "loop", ev, n, tb_resolve, b, &err), 0);
	VS_ASSERT_INT(vs_check_finish(c, NULL), 0);
	vs_check_summary s;
	vs_check_summary_get(c, &s);
	VS_ASSERT_INT(s.events, n);
	VS_ASSERT_INT(s.peak_variables, VARS);
	VS_ASSERT_INT(s.peak_threads, 1);
	VS_ASSERT_INT(vs_check_count(c), 1); /* VS105, folded */
	VS_ASSERT_INT(vs_check_at(c, 0)->count, STEPS);
	vs_check_free(c);
	vs_rule_set_free(rs);
	free(ev);
	free(b);
}

static void test_dedup_counts(void)
{
	tb b;
	prelude(&b);
	for (int i = 0; i < 5; i++)
		EVP(&b, VS_EV_REUSE_VARIABLES, VS_EVF_ROOT_SCOPE, reuse_variables, .scope_id = 1,
		    .full_name = S(&b, ""));
	tb_run r = tb_check(&b);
	VS_ASSERT_INT(vs_check_count(r.c), 1);
	VS_ASSERT_INT(vs_check_at(r.c, 0)->count, 5);
	vs_check_summary s;
	vs_check_summary_get(r.c, &s);
	VS_ASSERT_INT(s.by_level[VS_LEVEL_WARNING], 5);
	VS_ASSERT_INT(s.duplicates, 4);
	tb_done(&r);
}

VS_SUITE_FN(checker_rules)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_create_in_reuse_scope),
		VS_TEST(test_variable_exists_and_built_twice),
		VS_TEST(test_shape_and_dtype_mismatch),
		VS_TEST(test_root_reuse_variables),
		VS_TEST(test_reuse_false_ignored),
		VS_TEST(test_thread_name_collision),
		VS_TEST(test_thread_scope_not_entered),
		VS_TEST(test_auto_reuse_other_site),
		VS_TEST(test_default_name_collision),
		VS_TEST(test_op_scope_diverges),
		VS_TEST(test_direct_variable_collision),
		VS_TEST(test_template_direct_variable),
		VS_TEST(test_template_late_variable),
		VS_TEST(test_template_unique_name),
		VS_TEST(test_template_missing_variable),
		VS_TEST(test_function_not_lifted),
		VS_TEST(test_control_flow_variable),
		VS_TEST(test_tape_variable),
		VS_TEST(test_init_scope_fallback),
		VS_TEST(test_eager_no_store),
		VS_TEST(test_creator_rules),
		VS_TEST(test_getter_renames),
		VS_TEST(test_improper_nesting),
		VS_TEST(test_thread_global_graph),
		VS_TEST(test_lost_and_inconsistent),
		VS_TEST(test_dedup_counts),
		VS_TEST(test_memory_bounded),
		VS_TEST_END};
	vs_test_add_suite("checker_rules", NULL, NULL, cases);
}
