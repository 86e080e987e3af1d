/* SPDX-License-Identifier: MIT */
/*
 * tests for scenario/load.c: every malformed scenario is rejected with the
 * expected code, message and line:col, and well-formed ones load.
 */
#include <stdlib.h>

#include "scenario/ast.h"
#include "scenario/scenario.h"
#include "tests/unit/harness.h"

static const struct bad_case {
	const char *yaml;
	int code;
	const char *msg;
} bad_cases[] = {
	/* YAML itself */
	{"steps: [", VS_ERR_FORMAT,
	 "t.yaml:2:1: invalid yaml: did not find expected node content while parsing a flow node"},
	{"", VS_ERR_FORMAT, "t.yaml:1:1: empty scenario (expected a mapping with 'steps')"},
	{"steps: []\n---\nsteps: []", VS_ERR_FORMAT, "t.yaml:2:1: more than one YAML document"},
	{"- a", VS_ERR_FORMAT, "t.yaml:1:1: a scenario must be a mapping with 'steps', not a list"},
	/* top level */
	{"foo: 1", VS_ERR_FORMAT,
	 "t.yaml:1:1: unknown key 'foo' (expected scenario, description, config, interleave, "
	 "getters, creators, functions, threads, steps)"},
	{"scenario: x", VS_ERR_FORMAT, "t.yaml:1:1: a scenario needs 'steps'"},
	{"steps: 3", VS_ERR_FORMAT, "t.yaml:1:8: 'steps' must be a list, not a scalar"},
	{"steps: {}", VS_ERR_FORMAT, "t.yaml:1:8: 'steps' must be a list, not a mapping"},
	{"config: {eager: yes}\nsteps: []", VS_ERR_FORMAT,
	 "t.yaml:1:17: 'eager' must be true or false"},
	{"config: {graph: true}\nsteps: []", VS_ERR_FORMAT,
	 "t.yaml:1:10: unknown key 'graph' in 'config' (expected eager, use_resource)"},
	{"interleave: random\nsteps: []", VS_ERR_FORMAT,
	 "t.yaml:1:13: 'interleave' must be deterministic or free"},
	{"steps: []\nsteps: []", VS_ERR_FORMAT, "t.yaml:2:1: duplicate key 'steps'"},
	/* steps */
	{"steps:\n  - 3", VS_ERR_FORMAT,
	 "t.yaml:2:5: a step must be a mapping like '- get_variable: {name: v}', not a scalar"},
	{"steps:\n  - get_variabel: v", VS_ERR_FORMAT, "t.yaml:2:5: unknown step 'get_variabel'"},
	{"steps:\n  - name: v", VS_ERR_FORMAT,
	 "t.yaml:2:5: 'name' belongs inside the step's mapping (indent it under the step kind)"},
	{"steps:\n  - get_variable: v\n    variable_scope: x", VS_ERR_FORMAT,
	 "t.yaml:3:5: step has two kinds, 'get_variable' and 'variable_scope'"},
	{"steps:\n  - expect: {scope: ''}", VS_ERR_FORMAT,
	 "t.yaml:2:5: step has no kind (only 'expect')"},
	{"steps:\n  - get_variable: {name: v, shape: [1], bogus: 2}", VS_ERR_FORMAT,
	 "t.yaml:2:41: unknown key 'bogus' in 'get_variable'"},
	{"steps:\n  - op: {type: Add, body: []}", VS_ERR_FORMAT,
	 "t.yaml:2:21: unknown key 'body' in 'op'"},
	{"steps:\n  - get_variable: {name: v, name: w}", VS_ERR_FORMAT,
	 "t.yaml:2:29: duplicate key 'name'"},
	{"steps:\n  - get_variable: ~", VS_ERR_FORMAT, "t.yaml:2:5: 'get_variable' needs 'name'"},
	{"steps:\n  - get_variable: {name: ~}", VS_ERR_FORMAT,
	 "t.yaml:2:26: 'name' must not be null"},
	{"steps:\n  - make_template: {name: t}", VS_ERR_FORMAT,
	 "t.yaml:2:5: 'make_template' needs 'function'"},
	{"steps:\n  - reset_default_graph: x", VS_ERR_FORMAT,
	 "t.yaml:2:26: 'reset_default_graph' takes a mapping, not a scalar"},
	{"steps:\n  - op: [a]", VS_ERR_FORMAT, "t.yaml:2:9: 'op' takes a mapping or a scalar, not a list"},
	{"functions:\n  f: []\nsteps:\n  - call: {template: t, function: f}", VS_ERR_FORMAT,
	 "t.yaml:4:5: 'call' needs exactly one of 'template', 'function' and 'traced'"},
	{"steps:\n  - op: Add\n    body: []", VS_ERR_FORMAT, "t.yaml:3:5: 'op' has no body"},
	{"steps:\n  - cond: {body: []}\n    body: []", VS_ERR_FORMAT, "t.yaml:3:5: 'cond' has two bodies"},
	{"steps:\n  - cond: &x {body: [{cond: *x}]}", VS_ERR_FORMAT,
	 "t.yaml:2:21: steps nested more than 64 deep"},
	/* value types */
	{"steps:\n  - get_variable: {name: v, shape: x}", VS_ERR_FORMAT,
	 "t.yaml:2:36: 'shape' must be a list of dimensions or 'unknown'"},
	{"steps:\n  - get_variable: {name: v, shape: [1, -2]}", VS_ERR_FORMAT,
	 "t.yaml:2:40: 'dimension' must be an integer >= 0"},
	{"steps:\n - get_variable: {name: v, shape: [1,2,3,4,5,6,7,8,9]}", VS_ERR_FORMAT,
	 "t.yaml:2:52: 'shape' has more than 8 dimensions"},
	{"steps:\n  - get_variable: {name: v, trainable: maybe}", VS_ERR_FORMAT,
	 "t.yaml:2:40: 'trainable' must be true or false"},
	{"steps:\n  - get_variable: {name: v, dtype: float33}", VS_ERR_FORMAT,
	 "t.yaml:2:36: unknown dtype 'float33'"},
	{"steps:\n  - get_variable: {name: v, initializer: xavier}", VS_ERR_FORMAT,
	 "t.yaml:2:42: unknown initializer 'xavier'"},
	{"steps:\n  - get_variable: {name: v, initializer: {kind: constant, value: abc}}",
	 VS_ERR_FORMAT, "t.yaml:2:66: 'value' must be a number"},
	{"steps:\n  - get_variable: {name: v, partitioner: {axis: 0}}", VS_ERR_FORMAT,
	 "t.yaml:2:42: 'partitioner' needs exactly one of 'shards' and 'parts'"},
	{"steps:\n  - variable_scope: {name: a, reuse: maybe}", VS_ERR_FORMAT,
	 "t.yaml:2:38: 'reuse' must be none, false, true, auto or invalid"},
	{"steps:\n  - creator_scope: {creator: c, priority: high}", VS_ERR_FORMAT,
	 "t.yaml:2:43: 'priority' must be an integer"},
	/* expectations */
	{"steps:\n  - get_variable: v\n    expect: {nam: x}", VS_ERR_FORMAT,
	 "t.yaml:3:14: unknown expectation 'nam'"},
	{"steps:\n  - get_variable: v\n    expect: {error: Valu}", VS_ERR_FORMAT,
	 "t.yaml:3:21: unknown error kind 'Valu' (expected ValueError, RuntimeError, TypeError, "
	 "AssertionError, NotImplementedError or AttributeError)"},
	{"steps:\n  - get_variable: v\n    expect: {error: {kind: ValueError, message: a, prefix: b}}",
	 VS_ERR_FORMAT, "t.yaml:3:21: 'error' takes one of 'message', 'prefix' or 'contains'"},
	{"steps:\n  - get_variable: v\n    expect: {error: {kind: ValueError, prefix: a, contains: b}}",
	 VS_ERR_FORMAT, "t.yaml:3:21: 'error' takes one of 'message', 'prefix' or 'contains'"},
	{"steps:\n  - check: ~\n    expect: {scope_attr: {colour: red}}", VS_ERR_FORMAT,
	 "t.yaml:3:27: unknown scope attribute 'colour' (expected scope, name, original_name_scope, "
	 "reuse, initializer, regularizer, partitioner, caching_device, custom_getter, constraint, "
	 "dtype, use_resource)"},
	{"steps:\n  - check: ~\n    expect: {scope_attr: {scope: nope}}", VS_ERR_NOT_FOUND,
	 "t.yaml:3:34: undefined scope 'nope'"},
	{"steps:\n  - check: ~\n    expect: {graph_stack: deep}", VS_ERR_FORMAT,
	 "t.yaml:3:27: 'graph_stack' must be an integer >= 0"},
	{"steps:\n  - raise: Oops", VS_ERR_FORMAT,
	 "t.yaml:2:12: unknown error kind 'Oops' (expected ValueError, RuntimeError, TypeError, "
	 "AssertionError, NotImplementedError or AttributeError)"},
	{"steps:\n  - call: {function: f, args: [a]}\nfunctions:\n  f: []", VS_ERR_FORMAT,
	 "t.yaml:2:31: 'args' must be a mapping, not a list"},
	{"steps:\n  - store_get_variable: {name: v, reuse: invalid}", VS_ERR_FORMAT,
	 "t.yaml:2:42: 'reuse' of 'store_get_variable' must be none, false, true or auto"},
	{"steps:\n  - check: ~\n    expect: {received: {g: {colour: red}}}\ngetters:\n  g: ~",
	 VS_ERR_FORMAT,
	 "t.yaml:3:29: unknown key 'colour' in 'received' (expected call or a keyword argument: "
	 "name, shape, dtype, initializer, regularizer, reuse, trainable, collections, "
	 "caching_device, partitioner, validate_shape, use_resource, constraint, synchronization, "
	 "aggregation, v2, no_lifting)"},
	{"steps:\n  - check: ~\n    expect: {op: {name: x}}", VS_ERR_FORMAT,
	 "t.yaml:3:18: 'op' needs 'op'"},
	/* a key the runner cannot apply is rejected: TF's VariableScope has no set_constraint */
	{"steps:\n  - scope_set: {constraint: c}", VS_ERR_FORMAT,
	 "t.yaml:2:17: unknown key 'constraint' in 'scope_set'"},
	{"steps:\n  - get_variable: v\n    expect: {collection: [a]}", VS_ERR_FORMAT,
	 "t.yaml:3:26: 'collection' must be a mapping, not a list"},
	{"steps:\n  - get_variable: v\n    expect: {template: {scope: x}}", VS_ERR_FORMAT,
	 "t.yaml:3:24: 'template' needs 'template'"},
	{"steps:\n  - check: ~\n    expect: {scope_collection: {variables: []}}", VS_ERR_FORMAT,
	 "t.yaml:3:32: 'scope_collection' needs 'scope'"},
	{"steps:\n  - unique_name: {name: a, mark_as_used: 2}", VS_ERR_FORMAT,
	 "t.yaml:2:42: 'mark_as_used' must be true or false"},
	{"steps:\n  - get_variable: v\n    expect: {constraint: [a]}", VS_ERR_FORMAT,
	 "t.yaml:3:26: 'constraint' must be a string, not a list"},
	{"steps:\n  - join: main", VS_ERR_FORMAT, "t.yaml:2:11: the main thread cannot be joined"},
	{"steps:\n  - get_variable: {name: v, synchronization: sometimes}", VS_ERR_FORMAT,
	 "t.yaml:2:46: unknown synchronization 'sometimes'"},
	{"steps:\n  - get_variable: {name: v, aggregation: [sum]}", VS_ERR_FORMAT,
	 "t.yaml:2:42: 'aggregation' must be none, sum, mean or only_first_replica, not a list"},
	{"steps:\n  - get_variable: {name: v, initializer: None}", VS_ERR_FORMAT,
	 "t.yaml:2:42: unknown initializer 'None'"},
	{"steps:\n  - check: ~\n    expect: {error: success}", VS_ERR_FORMAT,
	 "t.yaml:3:21: unknown error kind 'success' (expected ValueError, RuntimeError, TypeError, "
	 "AssertionError, NotImplementedError or AttributeError)"},
	/* declarations */
	{"getters:\n  g: {delegate: sometimes}\nsteps: []", VS_ERR_FORMAT,
	 "t.yaml:2:17: 'delegate' must be true or false"},
	{"getters:\n  g: {set: {colour: red}}\nsteps: []", VS_ERR_FORMAT,
	 "t.yaml:2:13: unknown key 'colour' in 'set' of getter 'g'"},
	{"creators:\n  c: {not_callable: true}\nsteps: []", VS_ERR_FORMAT,
	 "t.yaml:2:7: unknown key 'not_callable' in creator 'c'"},
	{"getters:\n  g: ~\n  g: ~\nsteps: []", VS_ERR_FORMAT, "t.yaml:3:3: duplicate key 'g'"},
	{"threads:\n  main: []\nsteps: []", VS_ERR_FORMAT,
	 "t.yaml:2:3: 'main' is the name of the main thread"},
	/* references */
	{"steps:\n  - variable_scope: {scope: outer, body: []}", VS_ERR_NOT_FOUND,
	 "t.yaml:2:29: undefined scope 'outer'"},
	{"steps:\n  - call: t", VS_ERR_NOT_FOUND, "t.yaml:2:11: undefined template 't'"},
	{"steps:\n  - call: {function: f}", VS_ERR_NOT_FOUND, "t.yaml:2:22: undefined function 'f'"},
	{"steps:\n  - creator_scope: c", VS_ERR_NOT_FOUND, "t.yaml:2:20: undefined creator 'c'"},
	{"steps:\n  - get_variable: {name: v, custom_getter: g}", VS_ERR_NOT_FOUND,
	 "t.yaml:2:44: undefined getter 'g'"},
	{"steps:\n- get_variable: {name: v, as: a}\n  expect: {same_as: b}", VS_ERR_NOT_FOUND,
	 "t.yaml:3:21: undefined variable 'b'"},
	{"threads:\n  t1: [{yield: main}]\nsteps: [{start: t1}, {join: t2}]", VS_ERR_NOT_FOUND,
	 "t.yaml:3:29: undefined thread 't2'"},
	{"steps:\n  - exit: c", VS_ERR_NOT_FOUND, "t.yaml:2:11: undefined context manager 'c'"},
	{"steps:\n  - control_dependencies: {inputs: [a, ~], body: []}", VS_ERR_NOT_FOUND,
	 "t.yaml:2:36: undefined op 'a'"},
	{"steps:\n  - as_default: g", VS_ERR_NOT_FOUND, "t.yaml:2:17: undefined graph 'g'"},
	{"steps:\n  - check: ~\n    expect: {calls: {nobody: 1}}", VS_ERR_NOT_FOUND,
	 "t.yaml:3:22: undefined getter or creator 'nobody'"},
};

static void test_bad_inputs(void)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
		const struct bad_case *c = &bad_cases[i];
		vs_scn *s = (vs_scn *)1;
		vs_error e;
		vs_error_init(&e);
		int rc = vs_scn_load_string(&s, "t.yaml", c->yaml, strlen(c->yaml), &e);
		VS_ASSERT_INT(rc, c->code);
		VS_ASSERT_INT(e.code, c->code);
		VS_ASSERT_STR(e.msg, c->msg);
		CU_ASSERT_PTR_NULL(s);
		vs_scn_free(s);
	}
}

static vs_scn *load_ok(const char *yaml)
{
	vs_scn *s = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_scn_load_string(&s, "ok.yaml", yaml, strlen(yaml), &e);
	VS_ASSERT_INT(rc, 0);
	VS_ASSERT_STR(e.msg, "");
	return s;
}

static void test_tree(void)
{
	vs_scn *s = load_ok("scenario: demo\n"
	                    "config: {eager: false, use_resource: true}\n"
	                    "getters:\n  g: {set: {trainable: false}}\n"
	                    "functions:\n  f:\n    - get_variable: {name: w, shape: [2, ~]}\n"
	                    "steps:\n"
	                    "  - variable_scope: {name: foo, reuse: auto, as: sc}\n"
	                    "    body:\n"
	                    "      - get_variable: {name: v, shape: [1], initializer: zeros}\n"
	                    "        expect: {name: foo/v:0, error: ValueError}\n"
	                    "  - cond:\n      - op: Add\n"
	                    "  - make_template: {name: t, function: f, as: tt}\n"
	                    "  - call: tt\n");
	if (!s)
		return;
	VS_ASSERT_STR(vs_scn_title(s), "demo");
	VS_ASSERT_STR(vs_scn_path(s), "ok.yaml");
	VS_ASSERT_INT(s->config.use_resource, VS_TRUE);
	VS_ASSERT_INT(s->config.eager, VS_FALSE);
	VS_ASSERT_INT(s->steps.n, 4);
	const vs_scn_step *vsc = &s->steps.v[0];
	VS_ASSERT_INT(vsc->kind, VS_SCN_VARIABLE_SCOPE);
	VS_ASSERT_INT(vsc->pos.line, 9);
	VS_ASSERT_INT(vsc->pos.col, 5);
	VS_ASSERT_STR(vsc->a[VS_SCN_A_NAME].str, "foo");
	VS_ASSERT_INT(vsc->a[VS_SCN_A_REUSE].reuse, VS_REUSE_AUTO);
	VS_ASSERT_INT(vsc->a[VS_SCN_A_BODY].body.n, 1);
	const vs_scn_step *gv = &vsc->a[VS_SCN_A_BODY].body.v[0];
	VS_ASSERT_INT(gv->kind, VS_SCN_GET_VARIABLE);
	VS_ASSERT_INT(gv->pos.line, 11);
	VS_ASSERT_INT(gv->a[VS_SCN_A_SHAPE].shape.rank, 1);
	VS_ASSERT_INT(gv->a[VS_SCN_A_INITIALIZER].init.kind, VS_INIT_ZEROS);
	VS_ASSERT_INT(gv->has_expect, 1);
	VS_ASSERT_STR(gv->ex.str[VS_SCN_E_NAME], "foo/v:0");
	VS_ASSERT_INT(gv->ex.err_code, VS_ERR_VALUE);
	VS_ASSERT_INT(gv->ex.pos[VS_SCN_E_NAME].line, 12);
	/* a list value for a context step is its body; a scalar its primary key */
	VS_ASSERT_INT(s->steps.v[1].a[VS_SCN_A_BODY].body.n, 1);
	VS_ASSERT_STR(s->steps.v[1].a[VS_SCN_A_BODY].body.v[0].a[VS_SCN_A_TYPE].str, "Add");
	VS_ASSERT_STR(s->steps.v[3].a[VS_SCN_A_TEMPLATE].str, "tt");
	VS_ASSERT_INT(s->nfuncs, 1);
	VS_ASSERT_INT(s->funcs[0].body.v[0].a[VS_SCN_A_SHAPE].shape.dims[1], VS_DIM_UNKNOWN);
	VS_ASSERT_INT(s->nbehaves, 1);
	VS_ASSERT_INT(s->behaves[0].set_trainable_given, 1);
	vs_scn_free(s);
}

static void test_values(void)
{
	vs_scn *s = load_ok("steps:\n"
	                    "  - variable_scope: {name: a, reuse: ~, auxiliary_name_scope: 3}\n"
	                    "  - get_variable: {name: v, shape: unknown, partitioner: {parts: [2, 1]},\n"
	                    "      initializer: {kind: value, value: 1.5, dtype: int32, shape: [2]},\n"
	                    "      regularizer: adds_loss, synchronization: on_read,\n"
	                    "      aggregation: mean, collections: [a, b]}\n"
	                    "  - variable_scope: {name: b, reuse: invalid}\n"
	                    "  - get_variable: v\n"
	                    "    expect: {constraint: ~, initializer: zeros}\n");
	if (!s)
		return;
	const vs_scn_step *a = &s->steps.v[0], *g = &s->steps.v[1];
	VS_ASSERT_INT(a->a[VS_SCN_A_REUSE].reuse, VS_REUSE_INHERIT);
	VS_ASSERT_INT(a->a[VS_SCN_A_AUX_NAME_SCOPE].aux_bad, 1);
	VS_ASSERT_STR(a->a[VS_SCN_A_AUX_NAME_SCOPE].str, "3");
	VS_ASSERT_INT(g->a[VS_SCN_A_SHAPE].shape.rank, -1);
	VS_ASSERT_INT(g->a[VS_SCN_A_PARTITIONER].part.kind, VS_SCN_PART_PARTS);
	VS_ASSERT_INT(g->a[VS_SCN_A_PARTITIONER].part.nparts, 2);
	VS_ASSERT_INT(g->a[VS_SCN_A_INITIALIZER].init.kind, VS_INIT_VALUE);
	VS_ASSERT_INT(g->a[VS_SCN_A_INITIALIZER].init.dtype, VS_DT_INT32);
	VS_ASSERT_INT(g->a[VS_SCN_A_INITIALIZER].init_has_shape, 1);
	VS_ASSERT_INT(g->a[VS_SCN_A_REGULARIZER].regularizer_adds, 1);
	VS_ASSERT_INT(g->a[VS_SCN_A_SYNCHRONIZATION].sync, VS_SYNC_ON_READ);
	VS_ASSERT_INT(g->a[VS_SCN_A_AGGREGATION].agg, VS_AGG_MEAN);
	VS_ASSERT_INT(g->a[VS_SCN_A_COLLECTIONS].list.n, 2);
	VS_ASSERT_STR(g->a[VS_SCN_A_COLLECTIONS].list.v[1], "b");
	CU_ASSERT_PTR_NULL(g->a[VS_SCN_A_COLLECTIONS].list.v[2]); /* NULL-terminated */
	VS_ASSERT_INT(s->steps.v[2].a[VS_SCN_A_REUSE].reuse, VS_SCN_REUSE_INVALID);
	/* null for an optional-string expectation means "expects none" */
	const vs_scn_expect *ex = &s->steps.v[3].ex;
	VS_ASSERT_INT(!!(ex->null & (1u << VS_SCN_E_CONSTRAINT)), 1);
	VS_ASSERT_STR(ex->str[VS_SCN_E_INITIALIZER], "zeros");
	vs_scn_free(s);
}

/* dtype, initializer, exception, synchronization and aggregation names: the
 * loader takes TensorFlow's spellings, from libvs's one table of each */
static void test_value_names(void)
{
	static const struct { const char *name; vs_dtype dt; } dtypes[] = {
		{"float16", VS_DT_FLOAT16}, {"bfloat16", VS_DT_BFLOAT16}, {"float32", VS_DT_FLOAT32},
		{"float64", VS_DT_FLOAT64}, {"int8", VS_DT_INT8}, {"int64", VS_DT_INT64},
		{"uint16", VS_DT_UINT16}, {"bool", VS_DT_BOOL}, {"string", VS_DT_STRING},
		{"complex128", VS_DT_COMPLEX128}, {"resource", VS_DT_RESOURCE},
		{"variant", VS_DT_VARIANT}};
	static const struct { const char *name; vs_init_kind k; } inits[] = {
		{"zeros", VS_INIT_ZEROS}, {"glorot_uniform", VS_INIT_GLOROT_UNIFORM},
		{"truncated_normal", VS_INIT_TRUNCATED_NORMAL}, {"keras", VS_INIT_KERAS},
		{"value", VS_INIT_VALUE}};
	static const struct { const char *name; int code; } errs[] = {
		{"ValueError", VS_ERR_VALUE}, {"RuntimeError", VS_ERR_RUNTIME},
		{"TypeError", VS_ERR_TYPE}, {"AssertionError", VS_ERR_ASSERTION},
		{"NotImplementedError", VS_ERR_NOT_IMPLEMENTED}, {"AttributeError", VS_ERR_ATTRIBUTE}};
	char yaml[256];
	for (size_t i = 0; i < sizeof dtypes / sizeof *dtypes; i++) {
		snprintf(yaml, sizeof yaml, "steps: [{get_variable: {name: v, dtype: %s}}]",
		         dtypes[i].name);
		vs_scn *s = load_ok(yaml);
		if (s)
			VS_ASSERT_INT(s->steps.v[0].a[VS_SCN_A_DTYPE].dtype, dtypes[i].dt);
		vs_scn_free(s);
	}
	for (size_t i = 0; i < sizeof inits / sizeof *inits; i++) {
		snprintf(yaml, sizeof yaml, "steps: [{get_variable: {name: v, initializer: %s}}]",
		         inits[i].name);
		vs_scn *s = load_ok(yaml);
		if (s)
			VS_ASSERT_INT(s->steps.v[0].a[VS_SCN_A_INITIALIZER].init.kind, inits[i].k);
		vs_scn_free(s);
	}
	for (size_t i = 0; i < sizeof errs / sizeof *errs; i++) {
		snprintf(yaml, sizeof yaml, "steps: [{check: ~, expect: {error: %s}}]", errs[i].name);
		vs_scn *s = load_ok(yaml);
		if (s)
			VS_ASSERT_INT(s->steps.v[0].ex.err_code, errs[i].code);
		vs_scn_free(s);
	}
	vs_scn *s = load_ok("steps: [{variable: {synchronization: on_write, aggregation: "
	                    "only_first_replica}}, {variable: {synchronization: auto, "
	                    "aggregation: none}}]");
	if (!s)
		return;
	VS_ASSERT_INT(s->steps.v[0].a[VS_SCN_A_SYNCHRONIZATION].sync, VS_SYNC_ON_WRITE);
	VS_ASSERT_INT(s->steps.v[0].a[VS_SCN_A_AGGREGATION].agg, VS_AGG_ONLY_FIRST_REPLICA);
	VS_ASSERT_INT(s->steps.v[1].a[VS_SCN_A_SYNCHRONIZATION].sync, VS_SYNC_AUTO);
	VS_ASSERT_INT(s->steps.v[1].a[VS_SCN_A_AGGREGATION].agg, VS_AGG_NONE);
	vs_scn_free(s);
}

/* a getter's `set: {initializer: {shape: ..}}` keeps pointing at its own
 * shape however many behaviours follow it (the array grows while loading) */
static void test_behave_init_shape(void)
{
	char yaml[1024] = "getters:\n  g0: {set: {initializer: {kind: ones, shape: [2, 3]}}}\n";
	for (int i = 1; i <= 40; i++)
		snprintf(yaml + strlen(yaml), sizeof yaml - strlen(yaml), "  g%d: ~\n", i);
	snprintf(yaml + strlen(yaml), sizeof yaml - strlen(yaml), "steps: []\n");
	vs_scn *s = load_ok(yaml);
	if (!s)
		return;
	VS_ASSERT_INT(s->nbehaves, 41);
	const vs_scn_behave *b = &s->behaves[0];
	CU_ASSERT_PTR_EQUAL(b->set_init.shape, &b->set_init_shape);
	VS_ASSERT_INT(b->set_init.shape->rank, 2);
	VS_ASSERT_INT(b->set_init.shape->dims[1], 3);
	CU_ASSERT_PTR_NULL(s->behaves[40].set_init.shape);
	vs_scn_free(s);
}

static void test_file(void)
{
	char *path = vs_test_tmp_path(".yaml");
	vs_scn *s = NULL;
	vs_error e;
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("steps:\n  - get_variable: {name: v, shape: [1]}\n  - bogus: 1\n", f);
	fclose(f);
	vs_error_init(&e);
	VS_ASSERT_INT(vs_scn_load_file(&s, path, &e), VS_ERR_FORMAT);
	char want[512];
	snprintf(want, sizeof want, "%s:3:5: unknown step 'bogus'", path);
	VS_ASSERT_STR(e.msg, want);
	remove(path);
	VS_ASSERT_INT(vs_scn_load_file(&s, path, &e), VS_ERR_IO);
	snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
	VS_ASSERT_STR(e.msg, want);
	free(path);
}

VS_SUITE_FN(scenario_load)
{
	static const vs_test_case cases[] = {VS_TEST(test_bad_inputs), VS_TEST(test_tree),
	                                     VS_TEST(test_values), VS_TEST(test_value_names),
	                                     VS_TEST(test_behave_init_shape),
	                                     VS_TEST(test_file), VS_TEST_END};
	vs_test_add_suite("scenario_load", NULL, NULL, cases);
}
