/* SPDX-License-Identifier: MIT */
/* bench/lib/stack_chain.h - see stack_chain.c */
#ifndef VS_BENCH_STACK_CHAIN_H
#define VS_BENCH_STACK_CHAIN_H

#include "vs/vs.h"

void nofp_h1(int i);
void nofp_h2(int i);
void nofp_h3(int i);
void nofp_h4(int i);
void nofp_h5(int i);

#endif
