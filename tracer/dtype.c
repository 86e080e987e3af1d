/* SPDX-License-Identifier: MIT */
/*
 * tracer/dtype.c - dtypes, shapes and initializer names as TF 1.x prints
 * them, and tf.fixed_size_partitioner.
 *
 * Invariant: the name tables cover every enum value; formatting follows
 * snprintf semantics (returns the full length).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracer/rt.h"

static const char *const dt_names[VS_DT__COUNT] = {
	[VS_DT_FLOAT16] = "float16",     [VS_DT_BFLOAT16] = "bfloat16",
	[VS_DT_FLOAT32] = "float32",     [VS_DT_FLOAT64] = "float64",
	[VS_DT_INT8] = "int8",           [VS_DT_INT16] = "int16",
	[VS_DT_INT32] = "int32",         [VS_DT_INT64] = "int64",
	[VS_DT_UINT8] = "uint8",         [VS_DT_UINT16] = "uint16",
	[VS_DT_UINT32] = "uint32",       [VS_DT_UINT64] = "uint64",
	[VS_DT_BOOL] = "bool",           [VS_DT_STRING] = "string",
	[VS_DT_COMPLEX64] = "complex64", [VS_DT_COMPLEX128] = "complex128",
	[VS_DT_RESOURCE] = "resource",   [VS_DT_VARIANT] = "variant",
};

const char *vs_dtype_name(vs_dtype dt) { return (unsigned)dt < VS_DT__COUNT ? dt_names[dt] : NULL; }

vs_dtype vs_dtype_from_name(const char *name)
{
	if (!name)
		return VS_DT_NONE;
	for (unsigned i = 1; i < VS_DT__COUNT; i++)
		if (strcmp(dt_names[i], name) == 0)
			return (vs_dtype)i;
	return VS_DT_NONE;
}

const char *rt_dtype_repr(vs_dtype dt, char *buf, size_t n)
{
	const char *nm = vs_dtype_name(dt);
	snprintf(buf, n, "<dtype: '%s'>", nm ? nm : "invalid");
	return buf;
}

int vs_shape_format(const vs_shape *s, char *buf, size_t n)
{
	if (!s)
		return snprintf(buf, n, "None");
	if (s->rank < 0)
		return snprintf(buf, n, "<unknown>");
	/* hand-rolled: this runs for every traced get_variable */
	char tmp[VS_MAX_RANK * 24 + 8];
	size_t len = 0;
	tmp[len++] = '(';
	int rank = s->rank > VS_MAX_RANK ? VS_MAX_RANK : s->rank;
	for (int i = 0; i < rank; i++) {
		if (i) {
			tmp[len++] = ',';
			tmp[len++] = ' ';
		}
		if (s->dims[i] < 0) {
			tmp[len++] = '?';
			continue;
		}
		char digits[24];
		size_t nd = 0;
		uint64_t d = (uint64_t)s->dims[i];
		do {
			digits[nd++] = (char)('0' + d % 10);
			d /= 10;
		} while (d);
		while (nd)
			tmp[len++] = digits[--nd];
	}
	if (rank == 1)
		tmp[len++] = ',';
	tmp[len++] = ')';
	tmp[len] = '\0';
	if (n) {
		size_t c = len < n - 1 ? len : n - 1;
		memcpy(buf, tmp, c);
		buf[c] = '\0';
	}
	return (int)len;
}

/* the ids of the shapes this thread formatted last (shapes repeat: a
 * model asks for the same few shapes over and over); valid within one
 * interning epoch */
#define SHAPE_CACHE 8
static _Thread_local struct shape_memo {
	uint32_t epoch, id;
	int rank;
	int64_t dims[VS_MAX_RANK];
} shape_cache[SHAPE_CACHE];

uint32_t rt_shape_str_id(const vs_shape *s)
{
	if (!s || !RT_TRACING())
		return 0;
	uint32_t epoch = atomic_load_explicit(&rt_intern_epoch, memory_order_relaxed);
	size_t n = s->rank > 0 ? (size_t)(s->rank < VS_MAX_RANK ? s->rank : VS_MAX_RANK) : 0;
	uint64_t h = (uint64_t)(s->rank + 1);
	for (size_t i = 0; i < n; i++)
		h = h * 31 + (uint64_t)s->dims[i];
	struct shape_memo *m = &shape_cache[h % SHAPE_CACHE];
	if (m->epoch == epoch && m->rank == s->rank &&
	    (n == 0 || memcmp(m->dims, s->dims, n * sizeof s->dims[0]) == 0))
		return m->id;
	char buf[256];
	vs_shape_format(s, buf, sizeof buf);
	uint32_t id = rt_str_id(rt_intern_cstr(buf));
	if (id) {
		m->epoch = epoch;
		m->id = id;
		m->rank = s->rank;
		memcpy(m->dims, s->dims, n * sizeof s->dims[0]);
	}
	return id;
}

/* v with the fewest digits (up to 17) that read back as v */
static void value_text(char *buf, size_t n, double v)
{
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* the initializers this thread printed last (a layer passes the same one
 * on every call); valid within one interning epoch */
#define INIT_CACHE 8
static _Thread_local struct init_memo {
	uint32_t epoch, id;
	vs_initializer init;
	vs_shape shape;
} init_cache[INIT_CACHE];

static int init_same(const struct init_memo *m, const vs_initializer *i)
{
	if (m->init.kind != i->kind || memcmp(&m->init.value, &i->value, sizeof i->value) ||
	    m->init.dtype != i->dtype)
		return 0;
	if (i->kind != VS_INIT_VALUE || !i->shape)
		return !m->init.shape;
	int r = i->shape->rank;
	size_t n = r > 0 ? (size_t)(r < VS_MAX_RANK ? r : VS_MAX_RANK) : 0;
	return m->init.shape && m->shape.rank == r &&
	       (n == 0 || !memcmp(m->shape.dims, i->shape->dims, n * sizeof m->shape.dims[0]));
}

static uint32_t init_text_id(const vs_initializer *init);

uint32_t rt_init_str_id(const vs_initializer *init)
{
	if (!init || init->kind == VS_INIT_NONE || !RT_TRACING())
		return 0;
	uint32_t epoch = atomic_load_explicit(&rt_intern_epoch, memory_order_relaxed);
	uint64_t bits;
	memcpy(&bits, &init->value, sizeof bits);
	struct init_memo *m = &init_cache[((uint64_t)init->kind * 31u + (uint64_t)init->dtype +
	                                   (bits ^ bits >> 29)) %
	                                  INIT_CACHE];
	if (m->id && m->epoch == epoch && init_same(m, init))
		return m->id;
	uint32_t id = init_text_id(init);
	if (id) {
		m->epoch = epoch;
		m->id = id;
		m->init = *init;
		memset(&m->shape, 0, sizeof m->shape);
		if (init->kind == VS_INIT_VALUE && init->shape) {
			m->shape = *init->shape;
			m->init.shape = &m->shape;
		} else {
			m->init.shape = NULL;
		}
	}
	return id;
}

static uint32_t init_text_id(const vs_initializer *init)
{
	char buf[320], num[32], shape[256];
	size_t len;
	int args = 0;
	len = (size_t)snprintf(buf, sizeof buf, "%s", vs_init_kind_name(init->kind));
	if (init->kind == VS_INIT_CONSTANT || init->kind == VS_INIT_VALUE) {
		value_text(num, sizeof num, init->value);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "(value=%s", num);
		args = 1;
	}
	if (init->dtype && vs_dtype_name(init->dtype) && len < sizeof buf)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%sdtype=%s",
		                        args++ ? ", " : "(", vs_dtype_name(init->dtype));
	if (init->kind == VS_INIT_VALUE && len < sizeof buf) {
		vs_shape scalar = {.rank = 0};
		vs_shape_format(init->shape ? init->shape : &scalar, shape, sizeof shape);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%sshape=%s",
		                        args++ ? ", " : "(", shape);
	}
	if (args && len < sizeof buf)
		snprintf(buf + len, sizeof buf - len, ")");
	return rt_str_id(rt_intern_cstr(buf));
}

int rt_shape_fully_defined(const vs_shape *s)
{
	if (!s || s->rank < 0)
		return 0;
	for (int i = 0; i < s->rank && i < VS_MAX_RANK; i++)
		if (s->dims[i] < 0)
			return 0;
	return 1;
}

int rt_shape_compatible(const vs_shape *a, const vs_shape *b)
{
	if (!a || !b || a->rank < 0 || b->rank < 0)
		return 1;
	if (a->rank != b->rank)
		return 0;
	for (int i = 0; i < a->rank && i < VS_MAX_RANK; i++)
		if (a->dims[i] >= 0 && b->dims[i] >= 0 && a->dims[i] != b->dims[i])
			return 0;
	return 1;
}

const char *vs_init_kind_name(vs_init_kind k)
{
	switch (k) {
	case VS_INIT_NONE: return "None";
	case VS_INIT_ZEROS: return "zeros";
	case VS_INIT_ONES: return "ones";
	case VS_INIT_CONSTANT: return "constant";
	case VS_INIT_GLOROT_UNIFORM: return "glorot_uniform";
	case VS_INIT_RANDOM_NORMAL: return "random_normal";
	case VS_INIT_RANDOM_UNIFORM: return "random_uniform";
	case VS_INIT_TRUNCATED_NORMAL: return "truncated_normal";
	case VS_INIT_KERAS: return "keras";
	case VS_INIT_LAMBDA: return "lambda";
	case VS_INIT_VALUE: return "value";
	}
	return "unknown";
}

/* ud packs (num_shards << 8) | axis */
static int fixed_size_fn(void *ud, const vs_shape *shape, vs_dtype dtype, int64_t *parts,
                         int max_parts)
{
	intptr_t packed = (intptr_t)ud;
	int num_shards = (int)(packed >> 8), axis = (int)(packed & 0xff);
	int rank = shape ? shape->rank : 0;
	if (rank > max_parts)
		rank = max_parts;
	for (int i = 0; i < rank; i++)
		parts[i] = 1;
	if (axis < rank) {
		int64_t d = shape->dims[axis];
		parts[axis] = d >= 0 && d < num_shards ? d : num_shards;
	}
	return rank;
}

vs_partitioner vs_fixed_size_partitioner(int num_shards, int axis)
{
	vs_partitioner p = {fixed_size_fn, (void *)(((intptr_t)num_shards << 8) | (axis & 0xff)),
	                    "fixed_size_partitioner"};
	return p;
}
