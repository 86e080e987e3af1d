/* SPDX-License-Identifier: MIT */
/*
 * store/evdesc.h - what vstrace calls each event kind, for every view that
 * shows events one by one: the timeline of `vstrace show`
 * (store/timeline.c) and the Chrome/Perfetto export
 * (store/export_chrome.c).  One row per kind: whether it opens or closes a
 * nesting level (a call, a scope, a context), its category, and its word
 * ("name_scope", "get_variable", ...).
 * Invariant: a kind that opens a level is closed by the next kind number
 * (the pairs of include/vs/event.h), and both rows carry the same word.
 */
#ifndef VS_STORE_EVDESC_H
#define VS_STORE_EVDESC_H

#include "vs/event.h"

typedef struct vs_db_kind_desc {
	int nest;         /* 1 opens a level, -1 closes one, 0 neither */
	const char *cat;  /* "scope", "context", "call", "variable", ...; NULL unknown */
	const char *word; /* what the pair or instant is; NULL: described elsewhere */
} vs_db_kind_desc;

/* The row of kind (an all-zero row for an unknown kind). */
const vs_db_kind_desc *vs_db_kind_desc_of(unsigned kind);

/* The word of event e, with the variants its payload chooses ("default
 * creator", "true getter", "get_local_variable", "while_loop"); NULL when
 * the kind has none. */
const char *vs_db_event_word(const vs_event *e);

#endif
