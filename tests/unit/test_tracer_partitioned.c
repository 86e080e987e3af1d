/* SPDX-License-Identifier: MIT */
/*
 * Conformance tests for partitioned variables (docs/semantics.md §2.7 and
 * E10): shard names and shapes, reuse with and without the partitioner, the
 * store errors (partitioned vs unpartitioned, exists, missing, shape, dtype,
 * partitions) and _call_partitioner's validation texts.
 */
#include "tests/unit/tracer_testutil.h"

static size_t n_global(void)
{
	return vs_collection_size(NULL, VS_GLOBAL_VARIABLES);
}

/* a partitioner that returns the fixed list in ud (terminated by -2) */
static int list_partitioner(void *ud, const vs_shape *shape, vs_dtype dtype, int64_t *parts,
                            int max_parts)
{
	const int64_t *want = ud;
	int n = 0;
	if (want[0] == -1)
		return -1; /* "not a sequence" */
	while (want[n] != -2 && n < max_parts) {
		parts[n] = want[n];
		n++;
	}
	return n;
}

static vs_var *get_part_at(int line, const char *file, const char *name, const vs_shape *shape,
                           const vs_partitioner *p)
{
	return rtt_getvar_at(line, file, name,
	                     (&(vs_var_opts){.shape = shape, .partitioner = p}));
}
#define GET_PART(name, shape, p) get_part_at(__LINE__, __FILE__, (name), (shape), (p))

static int try_get(const char *name, const vs_shape *shape, vs_dtype dt, const vs_partitioner *p,
                   vs_error *e)
{
	vs_var *out = NULL;
	vs_error_init(e);
	return vs_get_variable(&out, name,
	                       (&(vs_var_opts){.shape = shape, .dtype = dt, .partitioner = p}), e);
}

static void test_create_shards(void)
{
	rtt_reset();
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	vs_cm *a = VSCOPE("s", NULL);
	vs_var *v = GET_PART("v", VS_SHAPE(10), &p);
	EXIT(a);
	VS_ASSERT_STR(vs_var_name(v), "s/v");
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(v)), "(10,)");
	VS_ASSERT_INT(vs_var_num_partitions(v), 2);
	vs_var *p0 = vs_var_partition(v, 0);
	vs_var *p1 = vs_var_partition(v, 1);
	VS_ASSERT_STR(p0 ? vs_var_name(p0) : NULL, "s/v/part_0:0");
	VS_ASSERT_STR(p1 ? vs_var_name(p1) : NULL, "s/v/part_1:0");
	VS_ASSERT_STR(p0 ? vs_var_store_key(p0) : NULL, "s/v/part_0");
	VS_ASSERT_STR(p0 ? rtt_shape_str(vs_var_shape(p0)) : NULL, "(5,)");
	VS_ASSERT_STR(p1 ? rtt_shape_str(vs_var_shape(p1)) : NULL, "(5,)");
	VS_ASSERT_INT(n_global(), 2);
	VS_ASSERT_INT(vs_collection_get(NULL, VS_GLOBAL_VARIABLES, 0) == p0, 1);
	VS_ASSERT_INT(vs_collection_size(NULL, VS_TRAINABLE_VARIABLES), 2);
}

static void test_uneven_shards(void)
{
	rtt_reset();
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	vs_var *v = GET_PART("v", VS_SHAPE(5, 3), &p);
	VS_ASSERT_INT(vs_var_num_partitions(v), 2);
	/* the excess goes to the first shards */
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(vs_var_partition(v, 0))), "(3, 3)");
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(vs_var_partition(v, 1))), "(2, 3)");
	vs_partitioner p3 = vs_fixed_size_partitioner(3, 1);
	vs_var *w = GET_PART("w", VS_SHAPE(2, 7), &p3);
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(vs_var_partition(w, 0))), "(2, 3)");
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(vs_var_partition(w, 1))), "(2, 2)");
	VS_ASSERT_STR(rtt_shape_str(vs_var_shape(vs_var_partition(w, 2))), "(2, 2)");
}

static void test_reuse_without_partitioner(void)
{
	rtt_reset();
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	vs_cm *a = VSCOPE("s", NULL);
	vs_varscope *s = vs_cm_varscope(a);
	vs_var *v = GET_PART("v", VS_SHAPE(10), &p);
	EXIT(a);
	a = VSCOPE(NULL, (&(vs_varscope_opts){.scope = s, .reuse = VS_REUSE_TRUE}));
	VS_ASSERT_INT(GETVAR_SHAPE("v", VS_SHAPE(10)) == v, 1);
	VS_ASSERT_INT(GETVAR("v", NULL) == v, 1);
	VS_ASSERT_INT(GET_PART("v", VS_SHAPE(10), &p) == v, 1);
	EXIT(a);
	a = VSCOPE(NULL, (&(vs_varscope_opts){.scope = s, .reuse = VS_REUSE_AUTO}));
	VS_ASSERT_INT(GET_PART("v", VS_SHAPE(10), &p) == v, 1);
	EXIT(a);
	VS_ASSERT_INT(n_global(), 2);
}

static void test_no_partitioner_but_partitioned_found(void)
{
	rtt_reset();
	vs_error e;
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	GET_PART("v", VS_SHAPE(10), &p);
	int rc = try_get("v", VS_SHAPE(10), VS_DT_NONE, NULL, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "No partitioner was provided, but a partitioned version of the variable was "
	               "found: v/part_0. Perhaps a variable of the same name was already created "
	               "with partitioning?");
	/* AUTO_REUSE is not "reuse is True": same error */
	vs_cm *a = VSCOPE(NULL, (&(vs_varscope_opts){.scope = vs_get_variable_scope(),
	                                            .reuse = VS_REUSE_AUTO}));
	rc = try_get("v", VS_SHAPE(10), VS_DT_NONE, NULL, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, "No partitioner was provided, but a partitioned version");
	EXIT(a);
	VS_ASSERT_INT(n_global(), 2);
}

static void test_partitioner_but_unpartitioned_found(void)
{
	rtt_reset();
	vs_error e;
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	GETVAR_SHAPE("v", VS_SHAPE(10));
	int rc = try_get("v", VS_SHAPE(10), VS_DT_NONE, &p, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "A partitioner was provided, but an unpartitioned version of the variable was "
	               "found: v.  Perhaps a variable of the same name was already created without "
	               "partitioning?");
	VS_ASSERT_INT(n_global(), 1);
}

static void test_partitioned_exists(void)
{
	rtt_reset();
	vs_error e;
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	GET_PART("v", VS_SHAPE(10), &p);
	int rc = try_get("v", VS_SHAPE(10), VS_DT_NONE, &p, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Partitioned variable with name v already exists. Did you mean to set "
	               "reuse=True or reuse=tf.AUTO_REUSE in VarScope?");
	VS_ASSERT_INT(n_global(), 2);
}

static void test_partitioned_missing(void)
{
	rtt_reset();
	vs_error e;
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	vs_cm *a = VSCOPE_REUSE("s", VS_REUSE_TRUE);
	int rc = try_get("v", VS_SHAPE(10), VS_DT_NONE, &p, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "PartitionedVariable s/v does not exist, or was not created with "
	               "tf.get_variable(). Did you mean to set reuse=False or reuse=tf.AUTO_REUSE "
	               "in VarScope?");
	EXIT(a);
	VS_ASSERT_INT(n_global(), 0);
}

static void test_partitioned_reuse_mismatches(void)
{
	rtt_reset();
	vs_error e;
	vs_partitioner p2 = vs_fixed_size_partitioner(2, 0);
	vs_partitioner p3 = vs_fixed_size_partitioner(3, 0);
	vs_cm *a = VSCOPE_REUSE("s", VS_REUSE_AUTO);
	GET_PART("v", VS_SHAPE(12), &p2);
	int rc = try_get("v", VS_SHAPE(10), VS_DT_NONE, &p2, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Trying to reuse partitioned variable s/v, but specified shape (10,) and "
	               "found shape (12,).");
	rc = try_get("v", VS_SHAPE(12), VS_DT_INT32, &p2, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Trying to reuse partitioned variable s/v, but specified dtype int32 and "
	               "found dtype float32.");
	rc = try_get("v", VS_SHAPE(12), VS_DT_NONE, &p3, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Trying to reuse partitioned variable s/v, but specified partitions [3] and "
	               "found partitions [2].");
	EXIT(a);
	VS_ASSERT_INT(n_global(), 2);
}

static void test_scalar_ignores_partitioner(void)
{
	rtt_reset();
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	vs_var *v = GET_PART("s", VS_SCALAR, &p);
	VS_ASSERT_STR(vs_var_name(v), "s:0");
	VS_ASSERT_INT(vs_var_num_partitions(v), 0);
	/* a non-callable partitioner is not even looked at for scalars */
	vs_partitioner bad = {NULL, NULL, "bad"};
	vs_var *w = GET_PART("t", VS_SCALAR, &bad);
	VS_ASSERT_STR(vs_var_name(w), "t:0");
}

static void test_e10_partitioner_not_callable(void)
{
	rtt_reset();
	vs_error e;
	vs_partitioner bad = {NULL, NULL, "not_a_partitioner"};
	int rc = try_get("v", VS_SHAPE(10), VS_DT_NONE, &bad, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, RTT_E10 "not_a_partitioner");
	VS_ASSERT_INT(n_global(), 0);
}

static void test_partitioner_validation(void)
{
	rtt_reset();
	vs_error e;
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	int rc = try_get("u", VS_SHAPE(VS_DIM_UNKNOWN), VS_DT_NONE, &p, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Shape of a new partitioned variable must be fully defined, but instead was "
	               "(?,).");
	rc = try_get("n", NULL, VS_DT_NONE, &p, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Shape of a new partitioned variable must be fully defined, but instead was "
	               "<unknown>.");
	static const int64_t two_two[] = {2, 2, -2};
	vs_partitioner pp = {list_partitioner, (void *)(uintptr_t)two_two, "two_two"};
	rc = try_get("a", VS_SHAPE(4, 4), VS_DT_NONE, &pp, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Can only slice a variable along one dimension: shape: (4, 4), "
	               "partitioning: [2, 2]");
	static const int64_t zero[] = {0, -2};
	vs_partitioner pz = {list_partitioner, (void *)(uintptr_t)zero, "zero"};
	rc = try_get("z", VS_SHAPE(4), VS_DT_NONE, &pz, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE, "Partitioner returned zero partitions for some axes: [0]");
	static const int64_t one[] = {2, -2};
	vs_partitioner p1 = {list_partitioner, (void *)(uintptr_t)one, "one"};
	rc = try_get("r", VS_SHAPE(4, 4), VS_DT_NONE, &p1, &e);
	RTT_ASSERT_ERR(rc, e, VS_ERR_VALUE,
	               "Partitioner returned a partition list that does not match the Variable's "
	               "rank: [2] vs. (4, 4)");
	static const int64_t notseq[] = {-1};
	vs_partitioner pn = {list_partitioner, (void *)(uintptr_t)notseq, "notseq"};
	rc = try_get("q", VS_SHAPE(4), VS_DT_NONE, &pn, &e);
	VS_ASSERT_INT(rc, VS_ERR_VALUE);
	RTT_ASSERT_PREFIX(e.msg, "Partitioner must return a sequence, but saw: ");
	VS_ASSERT_INT(n_global(), 0);
}

static void test_scope_partitioner_inherited(void)
{
	rtt_reset();
	vs_partitioner p = vs_fixed_size_partitioner(2, 0);
	vs_cm *a = VSCOPE("s", (&(vs_varscope_opts){.partitioner = &p}));
	vs_cm *b = VSCOPE("t", NULL);
	vs_var *v = GETVAR_SHAPE("v", VS_SHAPE(4));
	VS_ASSERT_STR(vs_var_name(v), "s/t/v");
	VS_ASSERT_INT(vs_var_num_partitions(v), 2);
	EXIT(b);
	EXIT(a);
}

VS_SUITE_FN(tracer_partitioned)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_create_shards),
		VS_TEST(test_uneven_shards),
		VS_TEST(test_reuse_without_partitioner),
		VS_TEST(test_no_partitioner_but_partitioned_found),
		VS_TEST(test_partitioner_but_unpartitioned_found),
		VS_TEST(test_partitioned_exists),
		VS_TEST(test_partitioned_missing),
		VS_TEST(test_partitioned_reuse_mismatches),
		VS_TEST(test_scalar_ignores_partitioner),
		VS_TEST(test_e10_partitioner_not_callable),
		VS_TEST(test_partitioner_validation),
		VS_TEST(test_scope_partitioner_inherited),
		VS_TEST_END};
	vs_test_add_suite("tracer_partitioned", rtt_suite_init, rtt_suite_clean, cases);
}
