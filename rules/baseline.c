/* SPDX-License-Identifier: MIT */
/*
 * rules/baseline.c - baseline file load, match and write (format in
 * baseline.h).  Entries live in a flat array (insertion order) with a hash
 * index over their keys, so loading a baseline of any size, even a hostile
 * one, stays linear.  Invariant: no two entries share a key (add merges
 * counts).
 */
#include "rules/baseline.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
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
	size_t *idx; /* open addressing: entry index + 1, 0 = empty */
	size_t nidx; /* 0 or a power of two, at least 2 * n */
};

static size_t key_hash(const char *const k[4])
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (int i = 0; i < 4; i++) {
		for (const unsigned char *c = (const unsigned char *)(k[i] ? k[i] : ""); *c; c++)
			h = (h ^ *c) * UINT64_C(1099511628211);
		h = (h ^ 0xff) * UINT64_C(1099511628211); /* field separator */
	}
	return (size_t)(h ^ (h >> 31));
}

vs_rule_baseline *vs_rule_baseline_new(void) { return calloc(1, sizeof(vs_rule_baseline)); }

void vs_rule_baseline_free(vs_rule_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		for (int k = 0; k < 4; k++)
			free(b->e[i].f[k]);
	free(b->e);
	free(b->idx);
	free(b);
}

static int same(const entry *e, const char *const k[4])
{
	for (int i = 0; i < 4; i++)
		if (strcmp(e->f[i], k[i] ? k[i] : "") != 0)
			return 0;
	return 1;
}

/* the index slot of key k: its entry's, or the empty slot it would take */
static size_t *slot_of(const vs_rule_baseline *b, const char *const k[4])
{
	size_t mask = b->nidx - 1;
	for (size_t i = key_hash(k) & mask;; i = (i + 1) & mask)
		if (!b->idx[i] || same(&b->e[b->idx[i] - 1], k))
			return &b->idx[i];
}

/* the entry of key k, or NULL */
static entry *find(const vs_rule_baseline *b, const char *const k[4])
{
	if (!b->nidx)
		return NULL;
	size_t *s = slot_of(b, k);
	return *s ? &b->e[*s - 1] : NULL;
}

/* room in the index for one more entry; 0 or VS_ERR_NOMEM */
static int index_reserve(vs_rule_baseline *b)
{
	if (2 * (b->n + 1) <= b->nidx)
		return 0;
	size_t n = b->nidx ? 2 * b->nidx : 64;
	size_t *old = b->idx, nold = b->nidx;
	if (!(b->idx = calloc(n, sizeof *b->idx))) {
		b->idx = old;
		return VS_ERR_NOMEM;
	}
	b->nidx = n;
	for (size_t i = 0; i < nold; i++)
		if (old[i]) {
			const entry *e = &b->e[old[i] - 1];
			*slot_of(b, (const char *const *)e->f) = old[i];
		}
	free(old);
	return 0;
}

int vs_rule_baseline_add(vs_rule_baseline *b, const char *code, const char *file,
                         const char *function, const char *variable, unsigned long count,
                         vs_error *err)
{
	const char *k[4] = {code, file, function, variable};
	entry *hit = find(b, k);
	if (hit) { /* counts saturate: a file cannot wrap them */
		hit->total += count < ULONG_MAX - hit->total ? count : ULONG_MAX - hit->total;
		hit->left += count < ULONG_MAX - hit->left ? count : ULONG_MAX - hit->left;
		return 0;
	}
	if (index_reserve(b) < 0 || VS_GROW(b->e, b->cap, b->n + 1) < 0)
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
	*slot_of(b, k) = b->n;
	return 0;
}

int vs_rule_baseline_take(vs_rule_baseline *b, const char *code, const char *file,
                          const char *function, const char *variable)
{
	const char *k[4] = {code, file, function, variable};
	entry *hit = find(b, k);
	if (hit && hit->left) {
		hit->left--;
		return 1;
	}
	return 0;
}

size_t vs_rule_baseline_count(const vs_rule_baseline *b) { return b->n; }

void vs_rule_baseline_entry(const vs_rule_baseline *b, size_t i, const char **code,
                            const char **file, const char **function, const char **variable,
                            unsigned long *left, unsigned long *total)
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

/* COUNT: decimal digits only, 1 .. ULONG_MAX (strtoul alone would take a
 * sign, blanks and wrap "-1" around) */
static int parse_count(const char *s, unsigned long *out)
{
	if (!*s)
		return -1;
	for (const char *c = s; *c; c++)
		if (*c < '0' || *c > '9')
			return -1;
	errno = 0;
	*out = strtoul(s, NULL, 10);
	return errno || *out == 0 ? -1 : 0;
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
				                   "%s:%ld: not a vscheck baseline (expected '%s')",
				                   path, lineno, BASELINE_MAGIC);
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
		for (;;) { /* exactly five fields: a sixth is an error, not ignored */
			if (n < 5)
				fld[n] = p;
			n++;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		unsigned long count = 0;
		if (n == 5 && parse_count(fld[4], &count) < 0)
			n = 0;
		if (n != 5) {
			ret = vs_error_set(err, VS_ERR_FORMAT,
			                   "%s:%ld: expected RULE, FILE, FUNCTION, VARIABLE, COUNT "
			                   "separated by tabs",
			                   path, lineno);
			goto cleanup;
		}
		for (int i = 0; i < 4; i++)
			if (unescape(fld[i]) < 0) {
				ret = vs_error_set(err, VS_ERR_FORMAT,
				                   "%s:%ld: bad escape in field %d", path, lineno,
				                   i + 1);
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
	fprintf(f,
	        "%s\n# rule\tfile\tfunction\tvariable\tcount  (written by vscheck "
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
