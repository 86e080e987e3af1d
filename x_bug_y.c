/* SPDX */
/*
 * examples/x_bug_y.c - y
 */
int a;
long b; /* BUG */
int c;
/* BUG: no d */
