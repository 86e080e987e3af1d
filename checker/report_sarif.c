/* SPDX-License-Identifier: MIT */
/*
 * checker/report_sarif.c - what SARIF needs beyond JSON text: artifact
 * URIs relative to a source root (originalUriBaseIds "SRCROOT") and
 * partial fingerprints that survive unrelated edits.
 *
 * URIs: a recorded path is made absolute against the current directory
 * (recorded relative paths are relative to where the program ran, which is
 * normally where vscheck runs) and cleaned of "." and ".." lexically; under
 * the root it becomes a root-relative URI with uriBaseId SRCROOT, elsewhere
 * an absolute file:// URI.  Without a root the path is written as recorded.
 *
 * Fingerprints ("vscheck/v2"): a 64-bit FNV-1a hash, in hex, of the rule,
 * the artifact URI, the enclosing function and variable scope with TF's
 * uniquification suffixes ("_1", "_2", ...) removed from every component,
 * the variable's base name (last component, no ":0", no suffix) and the
 * message with every digit removed (so no line, thread or event number
 * reaches it), followed by ":N", the rank of the result among those of the
 * run with the same hash (as CodeQL's primaryLocationLineHash does), which
 * keeps distinct results distinct.
 */
#include "checker/report_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker/map.h"

/* p cleaned lexically: "a/./b/../c" -> "a/c"; p must be absolute */
static void clean_path(char *p)
{
	char *out = p, *in = p;
	while (*in) {
		while (*in == '/')
			in++;
		char *end = strchr(in, '/');
		size_t n = end ? (size_t)(end - in) : strlen(in);
		if (n == 0)
			break;
		if (n == 1 && in[0] == '.') {
			/* skip */
		} else if (n == 2 && in[0] == '.' && in[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

char *vs_check_report_abs_path(const char *path)
{
	char cwd[4096];
	size_t n;
	char *abs;
	if (!path)
		return NULL;
	if (path[0] == '/') {
		abs = strdup(path);
	} else {
		if (!getcwd(cwd, sizeof cwd))
			return NULL;
		n = strlen(cwd) + strlen(path) + 2;
		abs = malloc(n);
		if (abs)
			snprintf(abs, n, "%s/%s", cwd, path);
	}
	if (abs)
		clean_path(abs);
	return abs;
}

/* s percent-encoded as a URI path (RFC 3986 unreserved characters and '/'
 * kept) */
static void uri_path(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p))
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
}

/* the URI of path under root (NULL: as recorded) into a malloc'd string;
 * *based = 1 when relative to SRCROOT */
static char *make_uri(const char *path, const char *root, int *based)
{
	char *buf = NULL, *abs = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	*based = 0;
	if (!m)
		return NULL;
	if (!root || !(abs = vs_check_report_abs_path(path))) {
		uri_path(m, path ? path : "");
	} else {
		size_t rn = strlen(root);
		while (rn > 1 && root[rn - 1] == '/')
			rn--;
		if (rn > 1 && strncmp(abs, root, rn) == 0 && abs[rn] == '/' && abs[rn + 1]) {
			uri_path(m, abs + rn + 1);
			*based = 1;
		} else if (rn == 1 && abs[1]) {
			uri_path(m, abs + 1);
			*based = 1;
		} else {
			fputs("file://", m);
			uri_path(m, abs);
		}
	}
	free(abs);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void vs_check_report_sarif_artifact(FILE *out, const char *path, const char *root)
{
	int based;
	char *uri = make_uri(path, root, &based);
	fputs("{\"uri\": ", out);
	vs_check_report_json_str(out, uri ? uri : path);
	if (based)
		fputs(", \"uriBaseId\": \"SRCROOT\"", out);
	fputc('}', out);
	free(uri);
}

void vs_check_report_sarif_base_ids(FILE *out, const char *root)
{
	if (!root)
		return;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return;
	fputs("file://", m);
	uri_path(m, root);
	if (!*root || root[strlen(root) - 1] != '/')
		fputc('/', m);
	if (fclose(m) != 0) {
		free(buf);
		return;
	}
	fputs("      \"originalUriBaseIds\": {\"SRCROOT\": {\"uri\": ", out);
	vs_check_report_json_str(out, buf);
	fputs("}},\n", out);
	free(buf);
}

/* hashes s with TF's "_N" uniquification suffix dropped from every
 * '/'-separated component (and, for a variable, only the last component,
 * without ":N") */
static uint64_t hash_normalised(uint64_t h, const char *s, int base_only)
{
	if (!s)
		s = "";
	if (base_only) {
		const char *slash = strrchr(s, '/');
		if (slash)
			s = slash + 1;
	}
	while (*s) {
		size_t n = strcspn(s, "/:");
		size_t k = n;
		while (k > 0 && isdigit((unsigned char)s[k - 1]))
			k--;
		if (k > 0 && k < n && s[k - 1] == '_')
			n = k - 1;
		h = vs_check_hash(h, s, n);
		h = vs_check_hash(h, "/", 1);
		s += strcspn(s, "/:");
		if (*s == ':')
			break;
		if (*s == '/')
			s++;
	}
	return vs_check_hash(h, "|", 1);
}

uint64_t vs_check_report_fingerprint(const vs_check_finding *f, const char *root)
{
	int based;
	char *uri = make_uri(f->file, root, &based);
	const char *code = vs_rule_get(f->rule)->code;
	uint64_t h = vs_check_hash(VS_CHECK_HASH0, code, strlen(code) + 1);
	if (uri)
		h = vs_check_hash(h, uri, strlen(uri) + 1);
	free(uri);
	h = hash_normalised(h, f->function, 0);
	h = hash_normalised(h, f->scope, 0);
	h = hash_normalised(h, f->variable, 1);
	for (const char *p = f->message ? f->message : ""; *p; p++)
		if (!isdigit((unsigned char)*p))
			h = vs_check_hash(h, p, 1);
	return h;
}

/* the ranks: a map hash -> results seen so far */
void *vs_check_report_rank_new(void) { return vs_check_map_new(sizeof(unsigned long)); }

unsigned long vs_check_report_rank(void *ranks, uint64_t h)
{
	int created = 0;
	unsigned long *n = ranks ? vs_check_map_put(ranks, h, &created) : NULL;
	if (!n)
		return 1;
	if (created)
		*n = 0;
	return ++*n;
}

void vs_check_report_rank_free(void *ranks) { vs_check_map_free(ranks); }
