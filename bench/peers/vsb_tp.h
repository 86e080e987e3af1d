/* SPDX-License-Identifier: MIT */
/*
 * bench/peers/vsb_tp.h - the LTTng-UST tracepoint provider of the peers
 * benchmark: the two events vstrace records for one get_variable call
 * (enter and exit), each carrying the call's payload - variable name,
 * shape, dtype, reuse mode and the call site (file, line, function) - so
 * that LTTng-UST does the same work per call that vstrace does.
 * Provider "vs_bench"; built into the workload only with -DVSB_LTTNG.
 */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER vs_bench

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "bench/peers/vsb_tp.h"

#if !defined(VSB_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define VSB_TP_H

#include <stdint.h>

#include <lttng/tracepoint.h>

LTTNG_UST_TRACEPOINT_EVENT_CLASS(
	vs_bench, getvar,
	LTTNG_UST_TP_ARGS(const char *, name, const int64_t *, dims, unsigned int, rank, int, dtype,
	                  int, reuse, const char *, file, int, line, const char *, func),
	LTTNG_UST_TP_FIELDS(lttng_ust_field_string(name, name)
	                    lttng_ust_field_sequence(int64_t, shape, dims, unsigned int, rank)
	                    lttng_ust_field_integer(int, dtype, dtype)
	                    lttng_ust_field_integer(int, reuse, reuse)
	                    lttng_ust_field_string(file, file)
	                    lttng_ust_field_integer(int, line, line)
	                    lttng_ust_field_string(func, func)))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(
	vs_bench, getvar, vs_bench, getvar_enter,
	LTTNG_UST_TP_ARGS(const char *, name, const int64_t *, dims, unsigned int, rank, int, dtype,
	                  int, reuse, const char *, file, int, line, const char *, func))

LTTNG_UST_TRACEPOINT_EVENT_INSTANCE(
	vs_bench, getvar, vs_bench, getvar_exit,
	LTTNG_UST_TP_ARGS(const char *, name, const int64_t *, dims, unsigned int, rank, int, dtype,
	                  int, reuse, const char *, file, int, line, const char *, func))

#endif /* VSB_TP_H */

#include <lttng/tracepoint-event.h>
