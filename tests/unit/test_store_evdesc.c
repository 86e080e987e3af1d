/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_store_evdesc.c - the per-kind table that the timeline
 * (`vstrace show`) and the Chrome export share (store/evdesc.h).
 */
#include <string.h>

#include "store/evdesc.h"
#include "tests/unit/harness.h"

/* every opening kind is closed by the next kind, with its word and category */
static void test_pairs(void)
{
	int opening = 0;
	for (unsigned k = 0; k < VS_EV__COUNT; k++) {
		const vs_db_kind_desc *d = vs_db_kind_desc_of(k);
		if (d->nest <= 0)
			continue;
		const vs_db_kind_desc *x = vs_db_kind_desc_of(k + 1);
		opening++;
		VS_ASSERT_INT(x->nest, -1);
		VS_ASSERT_STR(x->cat, d->cat);
		CU_ASSERT(x->word == d->word);
	}
	/* the contexts, scopes and calls of include/vs/event.h */
	VS_ASSERT_INT(opening, 15);
	VS_ASSERT_INT(vs_db_kind_desc_of(VS_EV_VAR_CREATE)->nest, 0);
	VS_ASSERT_STR(vs_db_kind_desc_of(VS_EV_VAR_CREATE)->cat, "variable");
	VS_ASSERT_STR(vs_db_kind_desc_of(VS_EV_NAME_SCOPE_EXIT)->word, "name_scope");
	VS_ASSERT_STR(vs_db_kind_desc_of(VS_EV_TAPE_RESUME)->word, "stop_recording");
	VS_ASSERT_STR(vs_db_kind_desc_of(VS_EV_GETVAR_ENTER)->cat, "call");
	VS_ASSERT_STR(vs_db_kind_desc_of(VS_EV_INIT_SCOPE_ENTER)->cat, "context");
	/* an unknown kind: an empty row */
	const vs_db_kind_desc *u = vs_db_kind_desc_of(VS_EV__COUNT + 7);
	VS_ASSERT_INT(u->nest, 0);
	CU_ASSERT_PTR_NULL(u->cat);
	CU_ASSERT_PTR_NULL(u->word);
}

/* the words an event's payload chooses */
static void test_event_words(void)
{
	vs_event e;
	memset(&e, 0, sizeof e);
	e.kind = VS_EV_CREATOR_CALL;
	VS_ASSERT_STR(vs_db_event_word(&e), "default creator");
	e.creator_call.label = 3;
	VS_ASSERT_STR(vs_db_event_word(&e), "creator");
	memset(&e, 0, sizeof e);
	e.kind = VS_EV_GETTER_CALL;
	VS_ASSERT_STR(vs_db_event_word(&e), "true getter");
	e.getter_call.label = 3;
	VS_ASSERT_STR(vs_db_event_word(&e), "custom getter");
	memset(&e, 0, sizeof e);
	e.kind = VS_EV_GETVAR_ENTER;
	VS_ASSERT_STR(vs_db_event_word(&e), "get_variable");
	e.flags = VS_EVF_LOCAL;
	VS_ASSERT_STR(vs_db_event_word(&e), "get_local_variable");
	memset(&e, 0, sizeof e);
	e.kind = VS_EV_CFLOW_EXIT;
	e.cflow.cflow_kind = VS_CFLOW_WHILE;
	VS_ASSERT_STR(vs_db_event_word(&e), "while_loop");
	e.cflow.cflow_kind = VS_CFLOW_COND;
	VS_ASSERT_STR(vs_db_event_word(&e), "cond");
	e.kind = VS_EV_VARSCOPE_EXIT;
	VS_ASSERT_STR(vs_db_event_word(&e), "variable_scope");
	e.kind = VS_EV_ERROR;
	CU_ASSERT_PTR_NULL(vs_db_event_word(&e));
}

VS_SUITE_FN(store_evdesc)
{
	static const vs_test_case cases[] = {VS_TEST(test_pairs), VS_TEST(test_event_words),
	                                     VS_TEST_END};
	vs_test_add_suite("store_evdesc", NULL, NULL, cases);
}
