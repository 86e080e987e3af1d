/* SPDX-License-Identifier: MIT */
/*
 * checker/inline.c - inline suppressions (see inline.h): a table of the
 * source files met (keyed by a hash of the recorded path), each read once,
 * on demand, into a flat array of its suppression comments.
 * Invariant: the suppressions of one file are contiguous in `s`, in line
 * order, at [first, first + n) of that file.
 */
#include "checker/inline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker/map.h"
#include "vs/internal/util.h"

typedef struct inl_file {
	char *name;
	int loaded;
	size_t first, n;
} inl_file;

struct vs_inline {
	inl_file *f;
	size_t nf, capf;
	vs_check_map *by_name; /* hash(name) -> index + 1 */
	vs_inline_supp *s;
	size_t ns, caps;
};

vs_inline *vs_inline_new(void)
{
	vs_inline *in = calloc(1, sizeof *in);
	if (!in)
		return NULL;
	in->by_name = vs_check_map_new(sizeof(size_t));
	if (!in->by_name) {
		free(in);
		return NULL;
	}
	return in;
}

void vs_inline_free(vs_inline *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->ns; i++) {
		free(in->s[i].rules);
		free(in->s[i].reason);
	}
	for (size_t i = 0; i < in->nf; i++)
		free(in->f[i].name);
	free(in->s);
	free(in->f);
	vs_check_map_free(in->by_name);
	free(in);
}

/* the file's entry (added when new); NULL on OOM */
static inl_file *file_get(vs_inline *in, const char *name)
{
	uint64_t h = vs_check_hash(VS_CHECK_HASH0, name, strlen(name));
	int created = 0;
	size_t *slot = vs_check_map_put(in->by_name, h, &created);
	if (!slot)
		return NULL;
	if (!created)
		return &in->f[*slot - 1];
	char *copy = strdup(name);
	if (!copy || VS_GROW(in->f, in->capf, in->nf + 1) < 0) {
		free(copy);
		vs_check_map_del(in->by_name, h);
		return NULL;
	}
	in->f[in->nf] = (inl_file){copy, 0, 0, 0};
	*slot = ++in->nf;
	return &in->f[in->nf - 1];
}

int vs_inline_note_file(vs_inline *in, const char *file)
{
	if (!file || !*file)
		return 0;
	return file_get(in, file) ? 0 : VS_ERR_NOMEM;
}

/* every spec of the comma/space-separated list names some rule */
static int specs_valid(const char *list)
{
	char spec[64];
	while (*list) {
		size_t n = strcspn(list, ", \t");
		if (n > 0) {
			if (n >= sizeof spec)
				return 0;
			memcpy(spec, list, n);
			spec[n] = '\0';
			int any = 0;
			for (int i = 0; i < VS_RULE__COUNT && !any; i++)
				any = vs_rule_matches((vs_rule_id)i, spec);
			if (!any)
				return 0;
		}
		list += n;
		list += strspn(list, ", \t");
	}
	return 1;
}

/* s without leading and trailing blanks and a closing comment marker, as a
 * malloc'd string */
static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= 2 && s[n - 2] == '*' && s[n - 1] == '/')
		n -= 2;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* a suppression comment on line: "vscheck: ignore RULES -- REASON" after a
 * comment marker.  0 none, 1 added, VS_ERR_NOMEM. */
static int parse_line(vs_inline *in, inl_file *f, const char *line, int lineno)
{
	const char *tag = strstr(line, "vscheck:");
	if (!tag)
		return 0;
	const char *mark = strstr(line, "//"), *mark2 = strstr(line, "/*"),
		   *mark3 = strchr(line, '#');
	if (!((mark && mark < tag) || (mark2 && mark2 < tag) || (mark3 && mark3 < tag)))
		return 0;
	const char *p = tag + strlen("vscheck:");
	p += strspn(p, " \t");
	if (strncmp(p, "ignore", 6) != 0 || !isspace((unsigned char)p[6]))
		return 0;
	p += 6;
	const char *dash = strstr(p, "--");
	size_t rules_len = dash ? (size_t)(dash - p) : strcspn(p, "\r\n");
	if (VS_GROW(in->s, in->caps, in->ns + 1) < 0)
		return VS_ERR_NOMEM;
	vs_inline_supp *s = &in->s[in->ns];
	memset(s, 0, sizeof *s);
	s->file = f->name;
	s->line = lineno;
	s->rules = trimmed(p, rules_len);
	s->reason = trimmed(dash ? dash + 2 : "", dash ? strcspn(dash + 2, "\r\n") : 0);
	if (!s->rules || !s->reason) {
		free(s->rules);
		free(s->reason);
		return VS_ERR_NOMEM;
	}
	s->bad_rule = !*s->rules || !specs_valid(s->rules);
	in->ns++;
	return 1;
}

/* reads f's suppressions (once); 0 or VS_ERR_NOMEM */
static int load(vs_inline *in, inl_file *f)
{
	if (f->loaded)
		return 0;
	f->loaded = 1;
	f->first = in->ns;
	FILE *fp = fopen(f->name, "r");
	if (!fp)
		return 0;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0;
	while (getline(&line, &cap, fp) >= 0)
		if ((rc = parse_line(in, f, line, ++lineno)) < 0)
			break;
	free(line);
	fclose(fp);
	f->n = in->ns - f->first;
	return rc < 0 ? rc : 0;
}

/* the comment silences rule id */
static int covers(const vs_inline_supp *s, vs_rule_id id)
{
	char spec[64];
	if (!*s->reason || s->bad_rule)
		return 0;
	for (const char *p = s->rules; *p;) {
		size_t n = strcspn(p, ", \t");
		if (n > 0 && n < sizeof spec) {
			memcpy(spec, p, n);
			spec[n] = '\0';
			if (vs_rule_matches(id, spec))
				return 1;
		}
		p += n;
		p += strspn(p, ", \t");
	}
	return 0;
}

const vs_inline_supp *vs_inline_match(vs_inline *in, vs_rule_id id, const char *file, int line,
                                      int *nomem)
{
	if (!file || !*file || line <= 0)
		return NULL;
	inl_file *f = file_get(in, file);
	if (!f || load(in, f) < 0) {
		*nomem = 1;
		return NULL;
	}
	for (size_t i = f->first; i < f->first + f->n; i++) {
		vs_inline_supp *s = &in->s[i];
		if ((s->line == line || s->line == line - 1) && covers(s, id)) {
			s->used++;
			return s;
		}
	}
	return NULL;
}

int vs_inline_load_all(vs_inline *in)
{
	for (size_t i = 0; i < in->nf; i++)
		if (load(in, &in->f[i]) < 0)
			return VS_ERR_NOMEM;
	return 0;
}

size_t vs_inline_count(const vs_inline *in) { return in->ns; }

const vs_inline_supp *vs_inline_at(const vs_inline *in, size_t i)
{
	return i < in->ns ? &in->s[i] : NULL;
}
