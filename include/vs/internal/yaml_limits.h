/* SPDX-License-Identifier: MIT */
/*
 * vs/internal/yaml_limits.h - the limits every YAML input of vstrace obeys
 * (scenarios, .vscheck.yml), checked in one streaming pass before the
 * document is built.  Internal, not installed; header-only because its two
 * users (scenario/ and rules/) share no library that links libyaml.
 *
 * Why a separate pass: libyaml's document loader (and its scanner, which
 * rechecks every open flow collection on each token) costs time quadratic in
 * the nesting depth, so a deeply nested file of a few hundred KB took tens of
 * seconds before any check of ours ran; and an alias (*x) makes the
 * document a graph whose walk can be exponential in its size ("billion
 * laughs").  This pass reads events only, stops at the first collection
 * nested deeper than VS_YAML_MAX_DEPTH or the first alias, and so costs
 * O(size * VS_YAML_MAX_DEPTH) at worst: loading stays linear in the file.
 */
#ifndef VS_INTERNAL_YAML_LIMITS_H
#define VS_INTERNAL_YAML_LIMITS_H

#include <stddef.h>
#include <yaml.h>

/* Lists and mappings nest at most this deep (documented in
 * docs/scenario-format.md and docs/vscheck.md). */
#define VS_YAML_MAX_DEPTH 200

typedef struct vs_yaml_limit_hit {
	size_t line, col; /* 1-based position of the offending node */
	const char *what; /* "nested more than 200 levels deep", ... */
} vs_yaml_limit_hit;

/*
 * Streams the text (or, with text NULL, the file f, rewound afterwards)
 * through libyaml's event parser.  Returns 1 with *hit filled when a limit
 * is exceeded; 0 otherwise, including on a syntax error or out of memory,
 * which the document load that follows reports with its own position.
 */
static inline int vs_yaml_check_limits(const char *text, size_t len, FILE *f,
                                       vs_yaml_limit_hit *hit)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, found = 0, done = 0;
	if (!yaml_parser_initialize(&p))
		return 0;
	if (text)
		yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	else
		yaml_parser_set_input_file(&p, f);
	while (!done && !found) {
		if (!yaml_parser_parse(&p, &ev))
			break;
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > VS_YAML_MAX_DEPTH) {
				found = 1;
				hit->what = "lists and mappings nested more than "
					    "200 levels deep";
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: depth--; break;
		case YAML_ALIAS_EVENT:
			found = 1;
			hit->what = "YAML aliases (*name) are not supported";
			break;
		case YAML_STREAM_END_EVENT: done = 1; break;
		default: break;
		}
		if (found) {
			hit->line = ev.start_mark.line + 1;
			hit->col = ev.start_mark.column + 1;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (!text)
		rewind(f);
	return found;
}

_Static_assert(VS_YAML_MAX_DEPTH == 200, "keep the message above in step");

#endif /* VS_INTERNAL_YAML_LIMITS_H */
