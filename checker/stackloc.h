/* SPDX-License-Identifier: MIT */
/*
 * checker/stackloc.h - where a finding's call stack says to look.
 *
 * A finding carries the call stack of the event that raised it (frame 0 is
 * the user's call into libvs).  Most findings are explained by that call
 * itself.  A "built twice" finding (VS113, VS109) is explained by where the
 * second build's path left the first one's: comparing the two stacks from
 * their outermost frames inwards, the first frame that differs (the second
 * decoder() call in main, not the get_variable inside dense() both builds
 * share).
 */
#ifndef VS_CHECK_STACKLOC_H
#define VS_CHECK_STACKLOC_H

#include <stddef.h>
#include <stdint.h>

/* One frame as a finding keeps it (texts owned by the finding; NULL
 * unknown). */
typedef struct vs_check_frame {
	char *function, *file, *module;
	int line;
	uint64_t offset; /* address in the module file */
} vs_check_frame;

/*
 * The frame of stack b (nb frames, innermost first) where b departs from a
 * (na frames): the frames vs_check_stack_shown keeps of each (the
 * program's, not libc's entry frames) are compared from the outermost ones
 * inwards by module and offset (symbolic frames, without a module, by
 * file, line and function).  Returns the index in b of the innermost frame
 * still outside the shared part, i.e. the outermost differing frame; 0
 * when the stacks are the same or either is empty.
 */
size_t vs_check_stack_divergence(const vs_check_frame *a, size_t na, const vs_check_frame *b,
                                 size_t nb);

/* Frames worth printing: up to the outermost frame with a source line
 * outside the system libraries (/lib, /usr/lib: libc's start-up and
 * thread frames are dropped, whether or not their debug information is
 * installed) and not past main, or all of them when none has one (a
 * stripped program: module + offset is all there is). */
size_t vs_check_stack_shown(const vs_check_frame *f, size_t n);

/* 1 when file is a scenario's (".yaml", ".yml"): `vstrace run` records the
 * scenario's functions as frames, the outermost one being the thread's
 * body ("main", or the thread's name under `threads:`). */
int vs_check_scenario_file(const char *file);

/* Frees the texts of n frames and the array. */
void vs_check_frames_free(vs_check_frame *f, size_t n);

#endif
