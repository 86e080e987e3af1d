/* SPDX */
/*
 * examples/x.c - x
 */
int a;
int b;
int c;
int d;
