/* SPDX-License-Identifier: MIT */
/*
 * rules/baseline.c - baseline file load, match and write (format in
 * baseline.h).  Entries live in a flat array; lookups are linear, which is
 * fine for the few hundred entries a baseline holds and keeps the order
 * stable.  Invariant: no two entries share a key (add merges counts).
 */
#include "rules/baseline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vs/internal/util.h"

#define BASELINE_MAGIC "vscheck-baseline 1"

typedef struct entry {
	char *f[4]; /* code, file, function, variable ("" = unknown) */
	unsigned long total, left;
} entry;

struct vs_rule_baseline {
	entry *e;
	size_t n, cap;
};

vs_rule_baseline *vs_rule_baseline_new(void)
{
	return calloc(1, sizeof(vs_rule_baseline));
}

void vs_rule_baseline_free(vs_rule_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		for (int k = 0; k < 4; k++)
			free(b->e[i].f[k]);
	free(b->e);
	free(b);
}

static int same(const entry *e, const char *const k[4])
{
	for (int i = 0; i < 4; i++)
		if (strcmp(e->f[i], k[i] ? k[i] : "") != 0)
			return 0;
	return 1;
}

int vs_rule_baseline_add(vs_rule_baseline *b, const char *code, const char *file,
                         const char *function, const char *variable, unsigned long count,
                         vs_error *err)
{
	const char *k[4] = {code, file, function, variable};
	for (size_t i = 0; i < b->n; i++)
		if (same(&b->e[i], k)) {
			b->e[i].total += count;
			b->e[i].left += count;
			return 0;
		}
	if (VS_GROW(b->e, b->cap, b->n + 1) < 0)
		return vs_error_nomem(err);
	entry *e = &b->e[b->n];
	memset(e, 0, sizeof *e);
	for (int i = 0; i < 4; i++) {
		e->f[i] = strdup(k[i] ? k[i] : "");
		if (!e->f[i]) {
			for (int j = 0; j < i; j++)
				free(e->f[j]);
			return vs_error_nomem(err);
		}
	}
	e->total = e->left = count;
	b->n++;
	return 0;
}

int vs_rule_baseline_take(vs_rule_baseline *b, const char *code, const char *file, const char *function,
                     const char *variable)
{
	const char *k[4] = {code, file, function, variable};
	for (size_t i = 0; i < b->n; i++)
		if (same(&b->e[i], k) && b->e[i].left) {
			b->e[i].left--;
			return 1;
		}
	return 0;
}

size_t vs_rule_baseline_count(const vs_rule_baseline *b)
{
	return b->n;
}

void vs_rule_baseline_entry(const vs_rule_baseline *b, size_t i, const char **code, const char **file,
                       const char **function, const char **variable, unsigned long *left,
                       unsigned long *total)
{
	const entry *e = &b->e[i];
	*code = e->f[0];
	*file = e->f[1];
	*function = e->f[2];
	*variable = e->f[3];
	*left = e->left;
	*total = e->total;
}

/* unescapes field in place; "-" means unknown (""); 0 or -1 on a bad escape */
static int unescape(char *s)
{
	char *w = s;
	if (strcmp(s, "-") == 0) {
		*s = '\0';
		return 0;
	}
	for (char *r = s; *r; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		r++;
		if (*r == 't')
			*w++ = '\t';
		else if (*r == 'n')
			*w++ = '\n';
		else if (*r == '\\')
			*w++ = '\\';
		else
			return -1;
	}
	*w = '\0';
	return 0;
}

int vs_rule_baseline_load(vs_rule_baseline *b, const char *path, vs_error *err)
{
	int ret = VS_ERR_FORMAT;
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	int seen_magic = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return vs_error_set(err, errno == ENOENT ? VS_ERR_NOT_FOUND : VS_ERR_IO,
		                    "'%s': cannot open baseline: %s", path, strerror(errno));
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!seen_magic) {
			if (strcmp(line, BASELINE_MAGIC) != 0) {
				ret = vs_error_set(err, VS_ERR_FORMAT,
				                   "%s:%ld: not a vscheck baseline (expected '%s')", path,
				                   lineno, BASELINE_MAGIC);
				goto cleanup;
			}
			seen_magic = 1;
			continue;
		}
		if (len == 0 || line[0] == '#')
			continue;
		char *fld[5];
		int n = 0;
		char *p = line;
		while (n < 5) {
			fld[n++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		char *end = NULL;
		unsigned long count = n == 5 ? strtoul(fld[4], &end, 10) : 0;
		if (n != 5 || strchr(fld[4], '\t') || !end || *end || count == 0) {
			ret = vs_error_set(err, VS_ERR_FORMAT,
			                   "%s:%ld: expected RULE, FILE, FUNCTION, VARIABLE, COUNT "
			                   "separated by tabs",
			                   path, lineno);
			goto cleanup;
		}
		for (int i = 0; i < 4; i++)
			if (unescape(fld[i]) < 0) {
				ret = vs_error_set(err, VS_ERR_FORMAT, "%s:%ld: bad escape in field %d",
				                   path, lineno, i + 1);
				goto cleanup;
			}
		ret = vs_rule_baseline_add(b, fld[0], fld[1], fld[2], fld[3], count, err);
		if (ret < 0)
			goto cleanup;
	}
	if (!seen_magic) {
		ret = vs_error_set(err, VS_ERR_FORMAT, "%s:1: empty baseline (expected '%s')", path,
		                   BASELINE_MAGIC);
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(line);
	fclose(f);
	return ret;
}

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
	for (int i = 0; i < 4; i++) {
		int c = strcmp(x->f[i], y->f[i]);
		if (c)
			return c;
	}
	return 0;
}

static void put_field(FILE *f, const char *s)
{
	if (!*s) {
		fputc('-', f);
		return;
	}
	for (; *s; s++) {
		if (*s == '\t')
			fputs("\\t", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\\')
			fputs("\\\\", f);
		else
			fputc(*s, f);
	}
}

int vs_rule_baseline_write(const vs_rule_baseline *b, const char *path, vs_error *err)
{
	int ret = VS_ERR_IO;
	const entry **order = NULL;
	char *tmp = NULL;
	FILE *f = NULL;
	size_t n = strlen(path) + 16;

	tmp = malloc(n);
	order = malloc((b->n ? b->n : 1) * sizeof *order);
	if (!tmp || !order) {
		ret = vs_error_nomem(err);
		goto cleanup;
	}
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	for (size_t i = 0; i < b->n; i++)
		order[i] = &b->e[i];
	qsort(order, b->n, sizeof *order, cmp_entry);
	f = fopen(tmp, "w");
	if (!f) {
		ret = vs_error_set(err, VS_ERR_IO, "'%s': cannot write baseline: %s", path,
		                   strerror(errno));
		goto cleanup;
	}
	fprintf(f, "%s\n# rule\tfile\tfunction\tvariable\tcount  (written by vscheck "
	           "--write-baseline)\n",
	        BASELINE_MAGIC);
	for (size_t i = 0; i < b->n; i++) {
		for (int k = 0; k < 4; k++) {
			put_field(f, order[i]->f[k]);
			fputc('\t', f);
		}
		fprintf(f, "%lu\n", order[i]->total);
	}
	if (fclose(f) != 0) {
		f = NULL;
		ret = vs_error_set(err, VS_ERR_IO, "'%s': cannot write baseline: %s", path,
		                   strerror(errno));
		unlink(tmp);
		goto cleanup;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		ret = vs_error_set(err, VS_ERR_IO, "'%s': cannot write baseline: %s", path,
		                   strerror(errno));
		unlink(tmp);
		goto cleanup;
	}
	ret = 0;
cleanup:
	if (f) {
		fclose(f);
		unlink(tmp);
	}
	free(order);
	free(tmp);
	return ret;
}
