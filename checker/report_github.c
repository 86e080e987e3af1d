/* SPDX-License-Identifier: MIT */
/*
 * checker/report_github.c - GitHub Actions workflow commands:
 *   ::error file=F,line=L,title=VS101 create-in-reuse-scope::message
 * Data is escaped as the runner expects (% CR LF; properties also : and ,).
 * Notes become "notice" annotations.  Invariant: one command line per
 * shown finding, written only to the caller's FILE *.
 */
#include "checker/report_impl.h"

static void esc(FILE *out, const char *s, int property)
{
	for (; s && *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (property && *s == ':')
			fputs("%3A", out);
		else if (property && *s == ',')
			fputs("%2C", out);
		else
			fputc(*s, out);
	}
}

void vs_check_report_github(const vs_check *c, const vs_report_opts *o, FILE *out)
{
	(void)o;
	for (size_t i = 0; i < vs_check_count(c); i++) {
		const vs_check_finding *f = vs_check_at(c, i);
		const vs_rule *r = vs_rule_get(f->rule);
		if (f->baselined)
			continue;
		fprintf(out, "::%s file=",
		        f->level == VS_LEVEL_NOTE ? "notice" : vs_level_name(f->level));
		esc(out, f->file, 1);
		if (f->line > 0)
			fprintf(out, ",line=%d", f->line);
		fputs(",title=", out);
		esc(out, r->code, 1);
		fputc(' ', out);
		esc(out, r->name, 1);
		fputs("::", out);
		esc(out, f->message, 0);
		if (f->scope && *f->scope) {
			fputs(" (scope ", out);
			esc(out, f->scope, 0);
			fputc(')', out);
		}
		fputc('\n', out);
	}
}
