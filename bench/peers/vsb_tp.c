/* SPDX-License-Identifier: MIT */
/* bench/peers/vsb_tp.c - instantiates the LTTng-UST probes of vsb_tp.h
 * (linked into the LTTng build of the workload only). */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "bench/peers/vsb_tp.h"
