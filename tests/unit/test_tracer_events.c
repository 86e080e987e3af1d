/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for the events libvs emits (include/vs/event.h), seen
 * through the in-memory sink: GETVAR_ENTER/EXIT with outcomes, VAR_CREATE
 * flags and payload, VARSCOPE_ENTER/EXIT, REUSE_VARIABLES, creator and
 * getter call/return depths, ERROR events with the catalogue number, and
 * the ordering invariants (seq, ERROR before its *_EXIT).
 */
#include "tests/unit/tracer_testutil.h"
#include "vs/event.h"
#include "vs/sink.h"

static vs_memsink *ms;

/* fresh runtime, memory sink attached and empty */
static void ev_begin(void)
{
	vs_error e;
	vs_error_init(&e);
	rtt_reset();
	if (!ms)
		ms = vs_memsink_new();
	VS_ASSERT_INT(ms != NULL, 1);
	VS_ASSERT_INT(vs_memsink_attach(ms, &e), 0);
	vs_memsink_clear(ms);
}

static void ev_begin_resource(void)
{
	vs_error e;
	vs_error_init(&e);
	rtt_reset_config(VS_UNSET, VS_TRUE);
	if (!ms)
		ms = vs_memsink_new();
	VS_ASSERT_INT(vs_memsink_attach(ms, &e), 0);
	vs_memsink_clear(ms);
}

static int ev_suite_clean(void)
{
	vs_trace_attach(NULL, NULL, NULL);
	vs_memsink_free(ms);
	ms = NULL;
	vs_runtime_reset();
	return 0;
}

/* text of string id (NULL for 0) */
static const char *S(uint32_t id)
{
	return id ? vs_memsink_string(ms, id) : NULL;
}

/* the first event of kind at or after *pos; advances *pos past it */
static const vs_event *next_ev(unsigned kind, size_t *pos)
{
	long i = vs_memsink_find(ms, kind, *pos);
	if (i < 0)
		return NULL;
	*pos = (size_t)i + 1;
	return vs_memsink_at(ms, (size_t)i);
}

#define NEED(ev)                                                               \
	do {                                                                   \
		VS_ASSERT_INT((ev) != NULL, 1);                                \
		if (!(ev))                                                     \
			return;                                                \
	} while (0)

static void test_getvar_create_events(void)
{
	ev_begin();
	vs_cm *a = VSCOPE("foo", NULL);
	vs_varscope *scope = vs_get_variable_scope();
	vs_memsink_clear(ms);
	vs_var *v = GETVAR("v", (&(vs_var_opts){.shape = VS_SHAPE(2), .dtype = VS_DT_FLOAT32}));
	size_t pos = 0;
	const vs_event *en = next_ev(VS_EV_GETVAR_ENTER, &pos);
	NEED(en);
	size_t enter_at = pos;
	VS_ASSERT_STR(S(en->getvar_enter.requested), "v");
	VS_ASSERT_STR(S(en->getvar_enter.full_name), "foo/v");
	VS_ASSERT_STR(S(en->getvar_enter.shape), "(2,)");
	VS_ASSERT_INT(en->getvar_enter.dtype, VS_DT_FLOAT32);
	VS_ASSERT_INT(en->getvar_enter.reuse, VS_REUSE_FALSE);
	VS_ASSERT_INT(en->getvar_enter.scope_id, vs_varscope_id(scope));
	VS_ASSERT_INT(en->flags & (VS_EVF_LOCAL | VS_EVF_PARTITIONED | VS_EVF_EAGER), 0);
	VS_ASSERT_INT(en->tid, vs_thread_id());
	VS_ASSERT_INT(en->graph, vs_graph_id(vs_default_graph()));
	VS_ASSERT_INT(en->site != 0, 1);
	const vs_event *cr = next_ev(VS_EV_VAR_CREATE, &pos);
	NEED(cr);
	VS_ASSERT_INT(cr->var_create.variable, vs_var_id(v));
	VS_ASSERT_STR(S(cr->var_create.name), "foo/v:0");
	VS_ASSERT_STR(S(cr->var_create.key), "foo/v");
	VS_ASSERT_STR(S(cr->var_create.shape), "(2,)");
	VS_ASSERT_INT(cr->var_create.dtype, VS_DT_FLOAT32);
	VS_ASSERT_STR(S(cr->var_create.collections), "variables,trainable_variables");
	VS_ASSERT_INT(cr->var_create.graph_id, vs_graph_id(vs_default_graph()));
	VS_ASSERT_INT(cr->var_create.template_id, 0);
	VS_ASSERT_INT(cr->flags & VS_EVF_TRAINABLE, VS_EVF_TRAINABLE);
	VS_ASSERT_INT(cr->flags & (VS_EVF_RESOURCE | VS_EVF_DIRECT | VS_EVF_LOCAL | VS_EVF_EAGER),
	              0);
	const vs_event *ex = next_ev(VS_EV_GETVAR_EXIT, &pos);
	NEED(ex);
	VS_ASSERT_STR(S(ex->getvar_exit.requested), "v");
	VS_ASSERT_STR(S(ex->getvar_exit.full_name), "foo/v");
	VS_ASSERT_INT(ex->getvar_exit.variable, vs_var_id(v));
	VS_ASSERT_INT(ex->getvar_exit.outcome, VS_OUT_CREATED);
	VS_ASSERT_INT(ex->getvar_exit.reuse, VS_REUSE_FALSE);
	VS_ASSERT_INT(ex->getvar_exit.call_id, en->getvar_enter.call_id);
	VS_ASSERT_STR(S(ex->getvar_exit.shape), "(2,)");
	VS_ASSERT_INT(ex->getvar_exit.dtype, VS_DT_FLOAT32);
	VS_ASSERT_INT(ex->seq > en->seq, 1);
	VS_ASSERT_INT(enter_at < pos, 1);
	/* one of each */
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_GETVAR_ENTER), 1);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_VAR_CREATE), 1);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_GETVAR_EXIT), 1);
	EXIT(a);
}

static void test_getvar_reuse_events(void)
{
	ev_begin();
	vs_cm *a = VSCOPE_REUSE("foo", VS_REUSE_AUTO);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_memsink_clear(ms);
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(1)) == v, 1);
	size_t pos = 0;
	const vs_event *en = next_ev(VS_EV_GETVAR_ENTER, &pos);
	NEED(en);
	VS_ASSERT_INT(en->getvar_enter.reuse, VS_REUSE_AUTO);
	const vs_event *ex = next_ev(VS_EV_GETVAR_EXIT, &pos);
	NEED(ex);
	VS_ASSERT_INT(ex->getvar_exit.outcome, VS_OUT_REUSED);
	VS_ASSERT_INT(ex->getvar_exit.variable, vs_var_id(v));
	VS_ASSERT_INT(ex->getvar_exit.reuse, VS_REUSE_AUTO);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_VAR_CREATE), 0);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_CREATOR_CALL), 0);
	EXIT(a);
}

static void test_error_event_e1(void)
{
	ev_begin_resource();
	GETVAR_SHAPE("v", VS_SHAPE(1));
	vs_memsink_clear(ms);
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	int rc = vs_get_variable(&out, "v", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E1("v"));
	size_t pos = 0;
	const vs_event *er = next_ev(VS_EV_ERROR, &pos);
	NEED(er);
	size_t err_at = pos;
	VS_ASSERT_INT(er->error.code, -VS_ERR_VALUE);
	VS_ASSERT_STR(S(er->error.message), RTT_E1("v"));
	VS_ASSERT_INT(er->error.tf_error, VS_TFE_VAR_EXISTS);
	const vs_event *ex = next_ev(VS_EV_GETVAR_EXIT, &pos);
	NEED(ex);
	VS_ASSERT_INT(ex->getvar_exit.outcome, VS_OUT_ERROR);
	VS_ASSERT_INT(ex->getvar_exit.variable, 0);
	VS_ASSERT_INT(err_at < pos, 1);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_VAR_CREATE), 0);
}

static void test_error_event_numbers(void)
{
	ev_begin();
	vs_var *out = NULL;
	vs_cm *cm = NULL;
	vs_error e;
	size_t pos = 0;
	const vs_event *er;

	vs_cm *a = VSCOPE_REUSE("r", VS_REUSE_TRUE);
	vs_memsink_clear(ms);
	vs_error_init(&e);
	vs_get_variable(&out, "missing", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e);
	er = next_ev(VS_EV_ERROR, &pos);
	NEED(er);
	VS_ASSERT_INT(er->error.tf_error, VS_TFE_VAR_MISSING);
	VS_ASSERT_STR(S(er->error.message), RTT_E2("r/missing"));
	EXIT(a);

	vs_memsink_clear(ms);
	pos = 0;
	vs_error_init(&e);
	vs_variable_scope(&cm, NULL, (&(vs_varscope_opts){.default_name = "d",
	                                                 .reuse = VS_REUSE_TRUE}), &e);
	er = next_ev(VS_EV_ERROR, &pos);
	NEED(er);
	VS_ASSERT_INT(er->error.code, -VS_ERR_VALUE);
	VS_ASSERT_INT(er->error.tf_error, VS_TFE_DEFAULT_NAME_REUSE);
	VS_ASSERT_STR(S(er->error.message), RTT_E16);

	vs_memsink_clear(ms);
	pos = 0;
	vs_error_init(&e);
	vs_variable_scope(&cm, NULL, (&(vs_varscope_opts){0}), &e);
	er = next_ev(VS_EV_ERROR, &pos);
	NEED(er);
	VS_ASSERT_INT(er->error.code, -VS_ERR_TYPE);
	VS_ASSERT_INT(er->error.tf_error, VS_TFE_SCOPE_NAME_REQUIRED);

	vs_memsink_clear(ms);
	pos = 0;
	vs_error_init(&e);
	vs_get_variable(&out, "u", (&(vs_var_opts){0}), &e);
	er = next_ev(VS_EV_ERROR, &pos);
	NEED(er);
	VS_ASSERT_INT(er->error.tf_error, VS_TFE_BAD_INITIALIZER);
	VS_ASSERT_STR(S(er->error.message), RTT_E7);
}

static void test_varscope_events(void)
{
	ev_begin();
	vs_cm *a = VSCOPE_REUSE("foo", VS_REUSE_TRUE);
	vs_varscope *foo = vs_get_variable_scope();
	vs_cm *b = VSCOPE("bar", NULL);
	vs_varscope *bar = vs_get_variable_scope();
	EXIT(b);
	EXIT(a);
	size_t pos = 0;
	const vs_event *e1 = next_ev(VS_EV_VARSCOPE_ENTER, &pos);
	NEED(e1);
	VS_ASSERT_STR(S(e1->varscope.requested), "foo");
	VS_ASSERT_STR(S(e1->varscope.full_name), "foo");
	VS_ASSERT_INT(e1->varscope.reuse_asked, VS_REUSE_TRUE);
	VS_ASSERT_INT(e1->varscope.reuse, VS_REUSE_TRUE);
	VS_ASSERT_INT(e1->varscope.captured_scope, 0);
	VS_ASSERT_STR(S(e1->varscope.name_scope), "foo/");
	VS_ASSERT_INT(e1->varscope.scope_id, vs_varscope_id(foo));
	VS_ASSERT_INT(e1->flags & (VS_EVF_DEFAULT_NAME | VS_EVF_NO_AUX_NAME_SCOPE), 0);
	const vs_event *e2 = next_ev(VS_EV_VARSCOPE_ENTER, &pos);
	NEED(e2);
	VS_ASSERT_STR(S(e2->varscope.requested), "bar");
	VS_ASSERT_STR(S(e2->varscope.full_name), "foo/bar");
	VS_ASSERT_INT(e2->varscope.reuse_asked, VS_REUSE_INHERIT);
	VS_ASSERT_INT(e2->varscope.reuse, VS_REUSE_TRUE);
	VS_ASSERT_STR(S(e2->varscope.name_scope), "foo/bar/");
	VS_ASSERT_INT(e2->varscope.scope_id, vs_varscope_id(bar));
	const vs_event *x2 = next_ev(VS_EV_VARSCOPE_EXIT, &pos);
	NEED(x2);
	VS_ASSERT_STR(S(x2->varscope.full_name), "foo/bar");
	VS_ASSERT_INT(x2->varscope.scope_id, vs_varscope_id(bar));
	VS_ASSERT_INT(x2->varscope.cm, e2->varscope.cm);
	const vs_event *x1 = next_ev(VS_EV_VARSCOPE_EXIT, &pos);
	NEED(x1);
	VS_ASSERT_INT(x1->varscope.cm, e1->varscope.cm);
	VS_ASSERT_INT(e1->varscope.cm != e2->varscope.cm, 1);
}

static void test_varscope_default_captured_noaux_events(void)
{
	ev_begin();
	vs_cm *a = VSCOPE_DEFAULT("layer");
	vs_varscope *layer = vs_cm_varscope(a);
	EXIT(a);
	vs_memsink_clear(ms);
	a = VSCOPE_DEFAULT("layer");
	EXIT(a);
	size_t pos = 0;
	const vs_event *en = next_ev(VS_EV_VARSCOPE_ENTER, &pos);
	NEED(en);
	VS_ASSERT_STR(S(en->varscope.requested), "layer");
	VS_ASSERT_STR(S(en->varscope.full_name), "layer_1");
	VS_ASSERT_INT(en->flags & VS_EVF_DEFAULT_NAME, VS_EVF_DEFAULT_NAME);

	vs_memsink_clear(ms);
	a = VSCOPE("outer", NULL);
	vs_cm *c = VSCOPE_CAPTURED(layer);
	EXIT(c);
	EXIT(a);
	pos = 0;
	next_ev(VS_EV_VARSCOPE_ENTER, &pos);
	en = next_ev(VS_EV_VARSCOPE_ENTER, &pos);
	NEED(en);
	VS_ASSERT_INT(en->varscope.captured_scope, vs_varscope_id(layer));
	VS_ASSERT_STR(S(en->varscope.full_name), "layer");
	VS_ASSERT_STR(S(en->varscope.name_scope), "outer/layer/");
	VS_ASSERT_INT(en->flags & VS_EVF_DEFAULT_NAME, 0);

	/* auxiliary_name_scope=False re-enters the current name scope */
	a = VSCOPE("out2", NULL);
	vs_memsink_clear(ms);
	vs_cm *na = VSCOPE("na", (&(vs_varscope_opts){.auxiliary_name_scope = VS_FALSE}));
	EXIT(na);
	EXIT(a);
	pos = 0;
	en = next_ev(VS_EV_VARSCOPE_ENTER, &pos);
	NEED(en);
	VS_ASSERT_STR(S(en->varscope.full_name), "out2/na");
	VS_ASSERT_INT(en->flags & VS_EVF_NO_AUX_NAME_SCOPE, VS_EVF_NO_AUX_NAME_SCOPE);
	VS_ASSERT_STR(S(en->varscope.name_scope), "out2/");
}

static void test_reuse_variables_event(void)
{
	ev_begin();
	vs_error e;
	vs_varscope *root = vs_get_variable_scope();
	vs_cm *a = VSCOPE("s", NULL);
	vs_varscope *s = vs_get_variable_scope();
	vs_memsink_clear(ms);
	vs_error_init(&e);
	VS_ASSERT_INT(vs_varscope_reuse_variables(s, &e), 0);
	VS_ASSERT_INT(vs_varscope_reuse_variables(root, &e), 0);
	EXIT(a);
	size_t pos = 0;
	const vs_event *r1 = next_ev(VS_EV_REUSE_VARIABLES, &pos);
	NEED(r1);
	VS_ASSERT_INT(r1->reuse_variables.scope_id, vs_varscope_id(s));
	VS_ASSERT_STR(S(r1->reuse_variables.full_name), "s");
	VS_ASSERT_INT(r1->flags & VS_EVF_ROOT_SCOPE, 0);
	const vs_event *r2 = next_ev(VS_EV_REUSE_VARIABLES, &pos);
	NEED(r2);
	VS_ASSERT_INT(r2->reuse_variables.scope_id, vs_varscope_id(root));
	VS_ASSERT_INT(r2->flags & VS_EVF_ROOT_SCOPE, VS_EVF_ROOT_SCOPE);
}

static char tag_c1[] = "c1", tag_c2[] = "c2";
static int pass_creator(vs_var **out, vs_creator_next *next, const vs_creator_args *a,
                        void *ud, vs_error *err)
{
	return vs_creator_next_call(next, out, a, err);
}

static void test_creator_events(void)
{
	ev_begin();
	vs_error e;
	vs_creator c1 = {pass_creator, tag_c1, "c1"};
	vs_creator c2 = {pass_creator, tag_c2, "c2"};
	vs_cm *s1 = NULL, *s2 = NULL;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_variable_creator_scope(&s1, &c1, &e), 0);
	VS_ASSERT_INT(vs_variable_creator_scope(&s2, &c2, &e), 0);
	size_t pos = 0;
	const vs_event *se = next_ev(VS_EV_CREATOR_SCOPE_ENTER, &pos);
	NEED(se);
	VS_ASSERT_STR(S(se->creator_scope.label), "c1");
	VS_ASSERT_INT(se->creator_scope.priority, 100);
	VS_ASSERT_INT(se->creator_scope.depth, 1);
	se = next_ev(VS_EV_CREATOR_SCOPE_ENTER, &pos);
	NEED(se);
	VS_ASSERT_INT(se->creator_scope.depth, 2);
	vs_memsink_clear(ms);
	vs_var *v = VARIABLE(&(vs_creator_args){.name = "x"});
	EXIT(s2);
	EXIT(s1);
	pos = 0;
	const char *labels[] = {"c2", "c1", NULL};
	uint32_t ids[3] = {0};
	for (unsigned d = 0; d < 3; d++) {
		const vs_event *c = next_ev(VS_EV_CREATOR_CALL, &pos);
		NEED(c);
		VS_ASSERT_INT(c->creator_call.depth, d);
		VS_ASSERT_STR(S(c->creator_call.label), labels[d]);
		VS_ASSERT_STR(S(c->creator_call.name), "x");
		ids[d] = c->creator_call.call_id;
	}
	for (int d = 2; d >= 0; d--) {
		const vs_event *r = next_ev(VS_EV_CREATOR_RETURN, &pos);
		NEED(r);
		VS_ASSERT_INT(r->creator_return.depth, d);
		VS_ASSERT_STR(S(r->creator_return.label), labels[d]);
		VS_ASSERT_INT(r->creator_return.variable, vs_var_id(v));
		VS_ASSERT_INT(r->creator_return.call_id, ids[d]);
		VS_ASSERT_INT(r->creator_return.outcome, VS_OUT_CREATED);
		VS_ASSERT_INT(r->creator_return.n_created, 1);
	}
	VS_ASSERT_INT(ids[0] != ids[1] && ids[1] != ids[2], 1);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_VAR_CREATE), 1);
	pos = 0;
	const vs_event *ve = next_ev(VS_EV_VARIABLE_ENTER, &pos);
	NEED(ve);
	VS_ASSERT_STR(S(ve->variable_enter.requested), "x");
	const vs_event *cr = next_ev(VS_EV_VAR_CREATE, &pos);
	NEED(cr);
	VS_ASSERT_INT(cr->flags & VS_EVF_DIRECT, VS_EVF_DIRECT);
	VS_ASSERT_INT(cr->var_create.key, 0);
	VS_ASSERT_STR(S(cr->var_create.name), "x:0");
	const vs_event *vx = next_ev(VS_EV_VARIABLE_EXIT, &pos);
	NEED(vx);
	VS_ASSERT_INT(vx->variable_exit.variable, vs_var_id(v));
	VS_ASSERT_INT(vx->variable_exit.outcome, VS_OUT_CREATED);
	VS_ASSERT_INT(vx->variable_exit.call_id, ve->variable_enter.call_id);
}

static char tag_a[] = "A";
static int pass_getter(vs_var **out, vs_getter_next *next, const vs_getter_args *a, void *ud,
                       vs_error *err)
{
	return vs_getter_next_call(next, out, a, err);
}

static void test_getter_events(void)
{
	ev_begin();
	vs_getter g = {pass_getter, tag_a, "A"};
	vs_cm *a = VSCOPE("s", (&(vs_varscope_opts){.custom_getter = &g}));
	vs_memsink_clear(ms);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(a);
	size_t pos = 0;
	const vs_event *c0 = next_ev(VS_EV_GETTER_CALL, &pos);
	NEED(c0);
	VS_ASSERT_INT(c0->getter_call.depth, 0);
	VS_ASSERT_STR(S(c0->getter_call.label), "A");
	VS_ASSERT_STR(S(c0->getter_call.name), "s/v");
	VS_ASSERT_INT(c0->getter_call.reuse, VS_REUSE_FALSE);
	const vs_event *c1 = next_ev(VS_EV_GETTER_CALL, &pos);
	NEED(c1);
	VS_ASSERT_INT(c1->getter_call.depth, 1);
	VS_ASSERT_INT(c1->getter_call.label, 0); /* the true getter */
	const vs_event *r1 = next_ev(VS_EV_GETTER_RETURN, &pos);
	NEED(r1);
	VS_ASSERT_INT(r1->getter_return.depth, 1);
	VS_ASSERT_INT(r1->getter_return.variable, vs_var_id(v));
	VS_ASSERT_STR(S(r1->getter_return.key), "s/v");
	VS_ASSERT_INT(r1->getter_return.call_id, c1->getter_call.call_id);
	VS_ASSERT_INT(r1->getter_return.outcome, VS_OUT_CREATED);
	const vs_event *r0 = next_ev(VS_EV_GETTER_RETURN, &pos);
	NEED(r0);
	VS_ASSERT_INT(r0->getter_return.depth, 0);
	VS_ASSERT_INT(r0->getter_return.call_id, c0->getter_call.call_id);
	VS_ASSERT_INT(r0->getter_return.variable, vs_var_id(v));
	VS_ASSERT_INT(r0->getter_return.outcome, VS_OUT_CREATED);
	/* on reuse the getters report the reused variable */
	a = VSCOPE(NULL, (&(vs_varscope_opts){.scope = vs_get_variable_scope(),
	                                     .reuse = VS_REUSE_AUTO}));
	EXIT(a);
}

static void test_local_and_resource_flags(void)
{
	ev_begin();
	vs_var *out = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_get_local_variable(&out, "l", (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e),
	              0);
	size_t pos = 0;
	const vs_event *en = next_ev(VS_EV_GETVAR_ENTER, &pos);
	NEED(en);
	VS_ASSERT_INT(en->flags & VS_EVF_LOCAL, VS_EVF_LOCAL);
	const vs_event *cr = next_ev(VS_EV_VAR_CREATE, &pos);
	NEED(cr);
	VS_ASSERT_INT(cr->flags & VS_EVF_LOCAL, VS_EVF_LOCAL);
	VS_ASSERT_INT(cr->flags & VS_EVF_TRAINABLE, 0);
	VS_ASSERT_STR(S(cr->var_create.collections), "local_variables");
	vs_memsink_clear(ms);
	GETVAR("r", (&(vs_var_opts){.shape = VS_SHAPE(1), .use_resource = VS_TRUE}));
	pos = 0;
	cr = next_ev(VS_EV_VAR_CREATE, &pos);
	NEED(cr);
	VS_ASSERT_INT(cr->flags & VS_EVF_RESOURCE, VS_EVF_RESOURCE);
}

static void test_eager_var_create(void)
{
	vs_error e;
	vs_error_init(&e);
	rtt_reset_config(VS_TRUE, VS_UNSET);
	if (!ms)
		ms = vs_memsink_new();
	VS_ASSERT_INT(vs_memsink_attach(ms, &e), 0);
	vs_memsink_clear(ms);
	GETVAR_SHAPE("v", VS_SHAPE(1));
	size_t pos = 0;
	const vs_event *en = next_ev(VS_EV_GETVAR_ENTER, &pos);
	NEED(en);
	VS_ASSERT_INT(en->flags & VS_EVF_EAGER, VS_EVF_EAGER);
	const vs_event *cr = next_ev(VS_EV_VAR_CREATE, &pos);
	NEED(cr);
	VS_ASSERT_INT(cr->flags & (VS_EVF_EAGER | VS_EVF_RESOURCE), VS_EVF_EAGER | VS_EVF_RESOURCE);
	VS_ASSERT_INT(cr->var_create.graph_id, 0);
	VS_ASSERT_INT(cr->graph, 0);
	rtt_reset();
}

static void test_sequence_and_pairing(void)
{
	ev_begin();
	vs_cm *a = VSCOPE("s", NULL);
	vs_cm *n = NSCOPE("n");
	GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(n);
	EXIT(a);
	size_t count = vs_memsink_count(ms);
	VS_ASSERT_INT(count > 0, 1);
	for (size_t i = 1; i < count; i++) {
		const vs_event *p = vs_memsink_at(ms, i - 1), *q = vs_memsink_at(ms, i);
		VS_ASSERT_INT(q->seq > p->seq, 1);
	}
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_VARSCOPE_ENTER),
	              vs_memsink_count_kind(ms, VS_EV_VARSCOPE_EXIT));
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_NAME_SCOPE_ENTER),
	              vs_memsink_count_kind(ms, VS_EV_NAME_SCOPE_EXIT));
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_GETVAR_ENTER),
	              vs_memsink_count_kind(ms, VS_EV_GETVAR_EXIT));
	/* the explicit name scope "n" inside "s" */
	size_t pos = 0;
	const vs_event *ns;
	int found = 0;
	while ((ns = next_ev(VS_EV_NAME_SCOPE_ENTER, &pos)) != NULL)
		if (ns->name_scope.requested && strcmp(S(ns->name_scope.requested), "n") == 0) {
			VS_ASSERT_STR(S(ns->name_scope.resolved), "s/n/");
			found = 1;
		}
	VS_ASSERT_INT(found, 1);
}

static int dummy_fn(void *ud, void *call_arg, vs_error *err)
{
	vs_var *v = NULL;
	return vs_get_variable(&v, "dummy", (&(vs_var_opts){.shape = VS_SHAPE(1)}), err);
}

static void test_template_events(void)
{
	ev_begin();
	vs_template *t = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_make_template(&t, "tpl", dummy_fn, NULL, NULL, &e), 0);
	VS_ASSERT_INT(vs_template_call(t, NULL, &e), 0);
	VS_ASSERT_INT(vs_template_call(t, NULL, &e), 0);
	size_t pos = 0;
	const vs_event *mk = next_ev(VS_EV_TEMPLATE_MAKE, &pos);
	NEED(mk);
	VS_ASSERT_STR(S(mk->template_make.name), "tpl");
	VS_ASSERT_INT(mk->template_make.unique_name, 0);
	VS_ASSERT_INT(mk->template_make.scope_id, 0);
	VS_ASSERT_INT(mk->flags & VS_EVF_CREATE_SCOPE_NOW, 0);
	const vs_event *c1 = next_ev(VS_EV_TEMPLATE_CALL_ENTER, &pos);
	NEED(c1);
	VS_ASSERT_INT(c1->template_enter.template_id, mk->template_make.template_id);
	VS_ASSERT_INT(c1->template_enter.call_index, 1);
	VS_ASSERT_INT(c1->template_enter.first_call, 1);
	const vs_event *cr = next_ev(VS_EV_VAR_CREATE, &pos);
	NEED(cr);
	VS_ASSERT_STR(S(cr->var_create.name), "tpl/dummy:0");
	VS_ASSERT_INT(cr->var_create.template_id, mk->template_make.template_id);
	const vs_event *x1 = next_ev(VS_EV_TEMPLATE_CALL_EXIT, &pos);
	NEED(x1);
	VS_ASSERT_INT(x1->template_exit.call_index, 1);
	VS_ASSERT_INT(x1->template_exit.n_trainable, 1);
	VS_ASSERT_INT(x1->template_exit.n_global, 1);
	const vs_event *c2 = next_ev(VS_EV_TEMPLATE_CALL_ENTER, &pos);
	NEED(c2);
	VS_ASSERT_INT(c2->template_enter.call_index, 2);
	VS_ASSERT_STR(S(c2->template_enter.scope_name), "tpl");
	VS_ASSERT_INT(c2->template_enter.first_call, 0);
	const vs_event *x2 = next_ev(VS_EV_TEMPLATE_CALL_EXIT, &pos);
	NEED(x2);
	VS_ASSERT_INT(x2->template_exit.call_index, 2);
	VS_ASSERT_INT(x2->template_exit.n_trainable, 0);
	VS_ASSERT_INT(x2->template_exit.n_global, 0);
	VS_ASSERT_INT(vs_memsink_count_kind(ms, VS_EV_VAR_CREATE), 1);
}

static void test_init_scope_and_lift_events(void)
{
	ev_begin();
	vs_graph *g = NEW_GRAPH("g");
	vs_cm *d = AS_DEFAULT(g);
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	vs_cm *fd = AS_DEFAULT(f);
	vs_cm *n = NSCOPE("in_fn");
	vs_memsink_clear(ms);
	vs_cm *i = NULL;
	vs_error e;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_init_scope(&i, &e), 0);
	EXIT(i);
	size_t pos = 0;
	const vs_event *en = next_ev(VS_EV_INIT_SCOPE_ENTER, &pos);
	NEED(en);
	VS_ASSERT_INT(en->init_scope.ctx_kind, VS_CTX_GRAPH);
	VS_ASSERT_INT(en->init_scope.graph_id, vs_graph_id(g));
	VS_ASSERT_STR(S(en->init_scope.name_scope), "in_fn/");
	VS_ASSERT_INT(en->init_scope.from_graph, vs_graph_id(f));
	VS_ASSERT_INT(en->flags & VS_EVF_LIFTED, VS_EVF_LIFTED);
	VS_ASSERT_INT(en->flags & VS_EVF_FALLBACK_GLOBAL, 0);
	const vs_event *ex = next_ev(VS_EV_INIT_SCOPE_EXIT, &pos);
	NEED(ex);
	VS_ASSERT_INT(ex->init_scope.cm, en->init_scope.cm);
	/* a variable made while tracing f is lifted into g */
	vs_memsink_clear(ms);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(1));
	pos = 0;
	const vs_event *cr = next_ev(VS_EV_VAR_CREATE, &pos);
	NEED(cr);
	VS_ASSERT_INT(cr->var_create.variable, vs_var_id(v));
	VS_ASSERT_INT(cr->var_create.graph_id, vs_graph_id(g));
	VS_ASSERT_INT(cr->flags & VS_EVF_LIFTED, VS_EVF_LIFTED);
	EXIT(n);
	EXIT(fd);
	EXIT(d);
	/* empty graph stack: the global graph is installed; nothing is lifted */
	vs_memsink_clear(ms);
	vs_error_init(&e);
	VS_ASSERT_INT(vs_init_scope(&i, &e), 0);
	EXIT(i);
	pos = 0;
	en = next_ev(VS_EV_INIT_SCOPE_ENTER, &pos);
	NEED(en);
	VS_ASSERT_INT(en->init_scope.ctx_kind, VS_CTX_GRAPH);
	VS_ASSERT_INT(en->init_scope.graph_id, vs_graph_id(vs_default_graph()));
	VS_ASSERT_INT(en->init_scope.from_graph, vs_graph_id(vs_default_graph()));
	VS_ASSERT_INT(en->flags & (VS_EVF_LIFTED | VS_EVF_FALLBACK_GLOBAL), VS_EVF_FALLBACK_GLOBAL);
}

static void test_eager_getvar_reuse_forced(void)
{
	vs_error e;
	vs_error_init(&e);
	rtt_reset_config(VS_TRUE, VS_UNSET);
	if (!ms)
		ms = vs_memsink_new();
	VS_ASSERT_INT(vs_memsink_attach(ms, &e), 0);
	vs_cm *a = VSCOPE_REUSE("s", VS_REUSE_TRUE);
	vs_memsink_clear(ms);
	GETVAR_SHAPE("v", VS_SHAPE(1));
	size_t pos = 0;
	const vs_event *en = next_ev(VS_EV_GETVAR_ENTER, &pos);
	NEED(en);
	/* eager without a store: reuse is forced to False */
	VS_ASSERT_INT(en->getvar_enter.reuse, VS_REUSE_FALSE);
	const vs_event *ex = next_ev(VS_EV_GETVAR_EXIT, &pos);
	NEED(ex);
	VS_ASSERT_INT(ex->getvar_exit.outcome, VS_OUT_CREATED);
	EXIT(a);
	vs_eager_store *s = NULL;
	VS_ASSERT_INT(vs_eager_store_new(&s, NULL, &e), 0);
	vs_cm *d = NULL;
	VS_ASSERT_INT(vs_eager_store_as_default(&d, s, &e), 0);
	vs_memsink_clear(ms);
	GETVAR_SHAPE("w", VS_SHAPE(1));
	pos = 0;
	en = next_ev(VS_EV_GETVAR_ENTER, &pos);
	NEED(en);
	/* with an EagerVariableStore: AUTO_REUSE */
	VS_ASSERT_INT(en->getvar_enter.reuse, VS_REUSE_AUTO);
	EXIT(d);
	rtt_reset();
}

static void test_context_events(void)
{
	ev_begin();
	vs_error e;
	vs_graph *g = NEW_GRAPH("g");
	size_t pos = 0;
	const vs_event *gc = next_ev(VS_EV_GRAPH_CREATE, &pos);
	NEED(gc);
	VS_ASSERT_INT(gc->graph_create.graph_id, vs_graph_id(g));
	VS_ASSERT_STR(S(gc->graph_create.name), "g");
	VS_ASSERT_INT(gc->flags & VS_EVF_BUILDING_FUNCTION, 0);
	vs_cm *d = AS_DEFAULT(g);
	const vs_event *push = next_ev(VS_EV_CTX_PUSH, &pos);
	NEED(push);
	VS_ASSERT_INT(push->ctx.ctx_kind, VS_CTX_GRAPH);
	VS_ASSERT_INT(push->ctx.graph_id, vs_graph_id(g));
	VS_ASSERT_INT(push->ctx.log_depth, 1);
	vs_graph *f = NEW_FUNC_GRAPH("fn");
	gc = next_ev(VS_EV_GRAPH_CREATE, &pos);
	NEED(gc);
	VS_ASSERT_INT(gc->graph_create.graph_id, vs_graph_id(f));
	VS_ASSERT_INT(gc->graph_create.outer_graph, vs_graph_id(g));
	VS_ASSERT_INT(gc->flags & VS_EVF_BUILDING_FUNCTION, VS_EVF_BUILDING_FUNCTION);
	EXIT(d);
	const vs_event *pop = next_ev(VS_EV_CTX_POP, &pos);
	NEED(pop);
	VS_ASSERT_INT(pop->ctx.ctx_kind, VS_CTX_GRAPH);
	VS_ASSERT_INT(pop->ctx.graph_id, vs_graph_id(g));
	VS_ASSERT_INT(pop->ctx.log_depth, 0);
	VS_ASSERT_INT(pop->ctx.cm, push->ctx.cm);
	/* reset_default_graph: old and new global graph ids */
	uint32_t old = vs_graph_id(vs_default_graph());
	vs_error_init(&e);
	VS_ASSERT_INT(vs_reset_default_graph(&e), 0);
	const vs_event *rg = next_ev(VS_EV_RESET_GRAPH, &pos);
	NEED(rg);
	VS_ASSERT_INT(rg->reset_graph.old_graph, old);
	VS_ASSERT_INT(rg->reset_graph.new_graph, vs_graph_id(vs_default_graph()));
	VS_ASSERT_INT(rg->reset_graph.new_graph != old, 1);
}

static void test_op_events_in_contexts(void)
{
	ev_begin();
	vs_error e;
	vs_op *a = OP("NoOp", "a");
	vs_cm *c = NULL, *cf = NULL, *tp = NULL, *i = NULL, *none = NULL;
	vs_error_init(&e);
	VS_ASSERT_INT(vs_control_dependencies(&c, &a, 1, &e), 0);
	VS_ASSERT_INT(vs_cond(&cf, &e), 0);
	VS_ASSERT_INT(vs_gradient_tape(&tp, &e), 0);
	vs_memsink_clear(ms);
	vs_op *in = OP("Add", NULL);
	VS_ASSERT_INT(vs_init_scope(&i, &e), 0);
	vs_op *lifted = OP("Add", NULL);
	EXIT(i);
	VS_ASSERT_INT(vs_control_dependencies(&none, NULL, 0, &e), 0);
	EXIT(none);
	EXIT(tp);
	EXIT(cf);
	EXIT(c);
	size_t pos = 0;
	const vs_event *o1 = next_ev(VS_EV_OP_CREATE, &pos);
	NEED(o1);
	VS_ASSERT_STR(S(o1->op_create.name), vs_op_name(in));
	VS_ASSERT_STR(S(o1->op_create.type), "Add");
	VS_ASSERT_INT(o1->op_create.n_control_inputs, 1);
	VS_ASSERT_INT(o1->flags & (VS_EVF_IN_CFLOW | VS_EVF_TAPE_RECORDING),
	              VS_EVF_IN_CFLOW | VS_EVF_TAPE_RECORDING);
	const vs_event *o2 = next_ev(VS_EV_OP_CREATE, &pos);
	NEED(o2);
	VS_ASSERT_STR(S(o2->op_create.name), vs_op_name(lifted));
	/* inside init_scope: no control inputs, no control flow, tape paused */
	VS_ASSERT_INT(o2->op_create.n_control_inputs, 0);
	VS_ASSERT_INT(o2->flags & (VS_EVF_IN_CFLOW | VS_EVF_TAPE_RECORDING), 0);
	const vs_event *cd = next_ev(VS_EV_CONTROL_DEPS_ENTER, &pos);
	NEED(cd);
	VS_ASSERT_INT(cd->control_deps.n_inputs, 0);
	VS_ASSERT_INT(cd->flags & VS_EVF_CLEARED, VS_EVF_CLEARED);
}

static void test_eager_store_events(void)
{
	vs_error e;
	vs_error_init(&e);
	rtt_reset_config(VS_TRUE, VS_UNSET);
	if (!ms)
		ms = vs_memsink_new();
	VS_ASSERT_INT(vs_memsink_attach(ms, &e), 0);
	vs_memsink_clear(ms);
	vs_eager_store *s = NULL, *c = NULL;
	vs_cm *d = NULL;
	VS_ASSERT_INT(vs_eager_store_new(&s, NULL, &e), 0);
	VS_ASSERT_INT(vs_eager_store_as_default(&d, s, &e), 0);
	GETVAR_SHAPE("v", VS_SHAPE(1));
	EXIT(d);
	VS_ASSERT_INT(vs_eager_store_copy(&c, s, &e), 0);
	size_t pos = 0;
	const vs_event *n1 = next_ev(VS_EV_EAGER_STORE_NEW, &pos);
	NEED(n1);
	VS_ASSERT_INT(n1->eager_store_new.copied_from, 0);
	const vs_event *en = next_ev(VS_EV_EAGER_STORE_ENTER, &pos);
	NEED(en);
	VS_ASSERT_INT(en->eager_store.store_id, n1->eager_store_new.store_id);
	const vs_event *ex = next_ev(VS_EV_EAGER_STORE_EXIT, &pos);
	NEED(ex);
	VS_ASSERT_INT(ex->eager_store.store_id, n1->eager_store_new.store_id);
	VS_ASSERT_INT(ex->eager_store.cm, en->eager_store.cm);
	const vs_event *n2 = next_ev(VS_EV_EAGER_STORE_NEW, &pos);
	NEED(n2);
	VS_ASSERT_INT(n2->eager_store_new.copied_from, n1->eager_store_new.store_id);
	VS_ASSERT_INT(n2->eager_store_new.store_id != n1->eager_store_new.store_id, 1);
	rtt_reset();
}

/* vs_var_store_new emits VAR_STORE_NEW with the id that the store's
 * get_variable calls carry in GETVAR_ENTER.store_id (the default store's
 * calls carry another) */
static void test_var_store_new_event(void)
{
	ev_begin();
	vs_error e;
	vs_error_init(&e);
	vs_var_store *s = NULL;
	vs_var *v = NULL, *d = NULL;
	vs_memsink_clear(ms);
	VS_ASSERT_INT(vs_var_store_new(&s, &e), 0);
	VS_ASSERT_INT(vs_var_store_get_variable(s, &v, "v", VS_REUSE_FALSE,
	                                        (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e),
	              0);
	VS_ASSERT_INT(vs_var_store_get_variable(vs_default_var_store(), &d, "d", VS_REUSE_INHERIT,
	                                        (&(vs_var_opts){.shape = VS_SHAPE(1)}), &e),
	              0);
	size_t pos = 0;
	const vs_event *n = next_ev(VS_EV_VAR_STORE_NEW, &pos);
	NEED(n);
	VS_ASSERT_INT(n->var_store_new.store_id != 0, 1);
	VS_ASSERT_INT(n->site != 0, 1);
	const vs_event *g1 = next_ev(VS_EV_GETVAR_ENTER, &pos);
	NEED(g1);
	VS_ASSERT_INT(g1->flags & VS_EVF_STORE_CALL, VS_EVF_STORE_CALL);
	VS_ASSERT_INT(g1->getvar_enter.store_id, n->var_store_new.store_id);
	const vs_event *g2 = next_ev(VS_EV_GETVAR_ENTER, &pos);
	NEED(g2);
	VS_ASSERT_INT(g2->getvar_enter.store_id != n->var_store_new.store_id, 1);
	VS_ASSERT_INT(next_ev(VS_EV_VAR_STORE_NEW, &pos) == NULL, 1);
	rtt_reset();
}

VS_SUITE_FN(tracer_events)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_getvar_create_events),
		VS_TEST(test_getvar_reuse_events),
		VS_TEST(test_error_event_e1),
		VS_TEST(test_error_event_numbers),
		VS_TEST(test_varscope_events),
		VS_TEST(test_varscope_default_captured_noaux_events),
		VS_TEST(test_reuse_variables_event),
		VS_TEST(test_creator_events),
		VS_TEST(test_getter_events),
		VS_TEST(test_local_and_resource_flags),
		VS_TEST(test_eager_var_create),
		VS_TEST(test_sequence_and_pairing),
		VS_TEST(test_template_events),
		VS_TEST(test_init_scope_and_lift_events),
		VS_TEST(test_eager_getvar_reuse_forced),
		VS_TEST(test_context_events),
		VS_TEST(test_op_events_in_contexts),
		VS_TEST(test_eager_store_events),
		VS_TEST(test_var_store_new_event),
		VS_TEST_END};
	vs_test_add_suite("tracer_events", rtt_suite_init, ev_suite_clean, cases);
}
