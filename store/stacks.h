/* SPDX-License-Identifier: MIT */
/*
 * store/stacks.h - reading the call stacks of a trace: the symbolized
 * frames of a call site's stack, for `vstrace show --stacks` and vscheck's
 * findings.  Frames come from frame_tab, which the writer fills at close
 * (store/symbolize.c); on an incomplete trace (recorder killed) they are
 * derived into the connection's temporary schema when the reader is opened
 * here, from the files on disk.
 */
#ifndef VS_STORE_STACKS_H
#define VS_STORE_STACKS_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* One frame, innermost (the user's call into libvs) = frame 0.  Texts are
 * valid until vs_db_stacks_close. */
typedef struct vs_db_frame {
	const char *function; /* NULL: unknown (stripped module) */
	const char *file;     /* NULL: no line information */
	int line;
	const char *module; /* module file path, NULL unknown */
	uint64_t offset;    /* address in the module file */
} vs_db_frame;

typedef struct vs_db_stacks vs_db_stacks;

/* Prepares stack lookups on r (which must outlive it). */
int vs_db_stacks_open(vs_db_reader *r, vs_db_stacks **out, vs_error *err);
void vs_db_stacks_close(vs_db_stacks *s);

/*
 * The stack of call site `site` of proc (following fork parents): its id in
 * *stack (0: none recorded) and up to max frames in out; returns the number
 * of frames (0 when none), <0 on error.
 */
int vs_db_stacks_site(vs_db_stacks *s, uint32_t proc, uint32_t site, uint32_t *stack,
                      vs_db_frame *out, size_t max, vs_error *err);

/* The same for a stack id of proc. */
int vs_db_stacks_get(vs_db_stacks *s, uint32_t proc, uint32_t stack, vs_db_frame *out, size_t max,
                     vs_error *err);

#endif
