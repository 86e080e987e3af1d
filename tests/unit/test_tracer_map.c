/* SPDX-License-Identifier: MIT */
/*
 * tests for tracer/map.c: the pointer-keyed map (libvs's tables and the
 * Python extension's code-object and variable tables) and the pointer
 * vector.
 */
#include <stdint.h>

#include "tests/unit/harness.h"
#include "tracer/alloc.h"
#include "tracer/map.h"
#include "vs/error.h"

#define NKEYS 1000 /* enough to double a 16-slot table six times */

static char g_keys[NKEYS];

static void test_empty_map(void)
{
	rt_map m = {0};
	VS_ASSERT_INT(rt_map_get(&m, &g_keys[0], -7), -7);
	VS_ASSERT_INT(rt_map_has(&m, &g_keys[0]), 0);
	rt_map_free(&m);
	VS_ASSERT_INT(m.cap, 0);
}

static void test_put_get_overwrite(void)
{
	rt_map m = {0};
	VS_ASSERT_INT(rt_map_put(&m, &g_keys[1], 11), 0);
	VS_ASSERT_INT(rt_map_put(&m, &g_keys[2], 0), 0);
	VS_ASSERT_INT(rt_map_get(&m, &g_keys[1], -1), 11);
	/* a key stored with 0 is present: has() tells it from an absent one */
	VS_ASSERT_INT(rt_map_get(&m, &g_keys[2], -1), 0);
	VS_ASSERT_INT(rt_map_has(&m, &g_keys[2]), 1);
	VS_ASSERT_INT(rt_map_has(&m, &g_keys[3]), 0);
	VS_ASSERT_INT(rt_map_put(&m, &g_keys[1], 12), 0);
	VS_ASSERT_INT(rt_map_get(&m, &g_keys[1], -1), 12);
	VS_ASSERT_INT(m.n, 2);
	rt_map_free(&m);
	VS_ASSERT_INT(m.n, 0);
	VS_ASSERT_INT(rt_map_has(&m, &g_keys[1]), 0);
	/* reusable after free */
	VS_ASSERT_INT(rt_map_put(&m, &g_keys[1], 5), 0);
	VS_ASSERT_INT(rt_map_get(&m, &g_keys[1], -1), 5);
	rt_map_free(&m);
}

/* neighbouring addresses (what a table of objects gives) through many grows */
static void test_many_keys(void)
{
	rt_map m = {0};
	for (int i = 0; i < NKEYS; i++)
		VS_ASSERT_INT(rt_map_put(&m, &g_keys[i], i * 3), 0);
	VS_ASSERT_INT(m.n, NKEYS);
	VS_ASSERT_INT(m.cap, 2048); /* never more than half full */
	int wrong = 0, seen = 0;
	for (int i = 0; i < NKEYS; i++)
		wrong += rt_map_get(&m, &g_keys[i], -1) != i * 3;
	for (size_t i = 0; i < m.cap; i++)
		seen += m.slots[i].key != NULL;
	VS_ASSERT_INT(wrong, 0);
	VS_ASSERT_INT(seen, NKEYS);
	VS_ASSERT_INT(rt_map_has(&m, &g_keys[NKEYS - 1] + 1), 0);
	rt_map_free(&m);
}

static void test_copy_is_independent(void)
{
	rt_map a = {0}, b;
	VS_ASSERT_INT(rt_map_copy(&b, &a), 0); /* an empty map copies to an empty one */
	VS_ASSERT_INT(b.cap, 0);
	VS_ASSERT_INT(rt_map_put(&a, &g_keys[1], 1), 0);
	VS_ASSERT_INT(rt_map_copy(&b, &a), 0);
	VS_ASSERT_INT(rt_map_put(&b, &g_keys[1], 2), 0);
	VS_ASSERT_INT(rt_map_put(&b, &g_keys[2], 3), 0);
	VS_ASSERT_INT(rt_map_get(&a, &g_keys[1], -1), 1);
	VS_ASSERT_INT(rt_map_has(&a, &g_keys[2]), 0);
	VS_ASSERT_INT(rt_map_get(&b, &g_keys[1], -1), 2);
	VS_ASSERT_INT(b.n, 2);
	rt_map_free(&a);
	rt_map_free(&b);
}

static void test_out_of_memory(void)
{
	rt_map m = {0}, c;
	rt_alloc_fail_after(0);
	VS_ASSERT_INT(rt_map_put(&m, &g_keys[1], 1), VS_ERR_NOMEM);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(m.n, 0);
	/* fill the 16-slot table to half; the ninth key needs a grow */
	for (int i = 0; i < 8; i++)
		VS_ASSERT_INT(rt_map_put(&m, &g_keys[i], i), 0);
	rt_alloc_fail_after(0);
	VS_ASSERT_INT(rt_map_put(&m, &g_keys[8], 8), VS_ERR_NOMEM);
	VS_ASSERT_INT(rt_map_put(&m, &g_keys[7], 70), 0); /* overwriting never allocates */
	VS_ASSERT_INT(rt_map_copy(&c, &m), VS_ERR_NOMEM);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(m.n, 8);
	VS_ASSERT_INT(rt_map_has(&m, &g_keys[8]), 0);
	VS_ASSERT_INT(rt_map_get(&m, &g_keys[7], -1), 70);
	VS_ASSERT_INT(rt_map_get(&m, &g_keys[0], -1), 0);
	rt_map_free(&m);
}

static void test_vector(void)
{
	rt_vec v = {0};
	for (int i = 0; i < NKEYS; i++)
		VS_ASSERT_INT(rt_vec_push(&v, &g_keys[i]), 0);
	VS_ASSERT_INT(v.n, NKEYS);
	VS_ASSERT_INT(v.items[0] == &g_keys[0] && v.items[NKEYS - 1] == &g_keys[NKEYS - 1], 1);
	rt_alloc_fail_after(0);
	size_t cap = v.cap;
	for (size_t i = v.n; i < cap; i++) /* room left: no allocation */
		VS_ASSERT_INT(rt_vec_push(&v, NULL), 0);
	VS_ASSERT_INT(rt_vec_push(&v, NULL), VS_ERR_NOMEM);
	rt_alloc_fail_after(-1);
	VS_ASSERT_INT(v.n, cap);
	rt_vec_free(&v);
	VS_ASSERT_INT(v.n, 0);
	VS_ASSERT_INT(v.items == NULL, 1);
}

VS_SUITE_FN(tracer_map)
{
	static const vs_test_case cases[] = {VS_TEST(test_empty_map),
	                                     VS_TEST(test_put_get_overwrite),
	                                     VS_TEST(test_many_keys),
	                                     VS_TEST(test_copy_is_independent),
	                                     VS_TEST(test_out_of_memory),
	                                     VS_TEST(test_vector),
	                                     VS_TEST_END};
	vs_test_add_suite("tracer_map", NULL, NULL, cases);
}
