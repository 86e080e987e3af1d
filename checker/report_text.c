/* SPDX-License-Identifier: MIT */
/*
 * checker/report_text.c - the human report and the gcc one-liners.
 *
 *   file:line: severity: message [VS101 create-in-reuse-scope]
 *       scope 'model', thread 2, in build(); event #57 of process 1: vstrace show T
 *       --proc 1 --thread 2
 *       #0 dense layers.h:40         (the call stack, checker/report_stack.c)
 *   vscheck: failed: ...
 *
 * gcc: "file:line:1: severity: message [VS101 name]" and nothing else, for
 * editors that parse compiler output (line 0 when unknown; a multi-line
 * TensorFlow message folded onto the line).  text: the first line always
 * ends with the rule tag; a message's further lines follow, indented.  Invariant: baselined findings are
 * never shown, and output goes only to the caller's FILE *.
 */
#include "checker/report_impl.h"

#include <string.h>

/* gcc always has :line:col: (line 0 when there is none), for the
 * errorformats that require it */
static void location(FILE *out, const vs_check_finding *f, int gcc)
{
	if (gcc)
		fprintf(out, "%s:%d:1: ", f->file, f->line > 0 ? f->line : 0);
	else if (f->line > 0)
		fprintf(out, "%s:%d: ", f->file, f->line);
	else
		fprintf(out, "%s: ", f->file);
}

/* One finding, one line: msg's first line and the rule tag end the line;
 * gcc folds the other lines onto it, text indents them below it. */
static void message(FILE *out, const char *msg, const vs_rule *r, int gcc)
{
	size_t first = strcspn(msg, "\n");
	const char *rest = msg + first;
	fwrite(msg, 1, first, out);
	if (gcc)
		for (; *rest; rest++) {
			if (*rest != '\n') {
				fputc(*rest, out);
				continue;
			}
			fputc(' ', out); /* blank lines and indentation fold into it */
			while (rest[1] == ' ' || rest[1] == '\t' || rest[1] == '\n')
				rest++;
		}
	fprintf(out, " [%s %s]\n", r->code, r->name);
	if (gcc || !*rest)
		return;
	for (rest++; *rest; rest++) {
		size_t n = strcspn(rest, "\n");
		if (n) /* blank lines would only break the report's shape */
			fprintf(out, "    %.*s\n", (int)n, rest);
		rest += n;
		if (!*rest)
			break;
	}
}

void vs_check_report_text(const vs_check *c, const vs_report_opts *o, FILE *out, int gcc)
{
	for (size_t i = 0; i < vs_check_count(c); i++) {
		const vs_check_finding *f = vs_check_at(c, i);
		const vs_rule *r = vs_rule_get(f->rule);
		if (f->baselined)
			continue;
		location(out, f, gcc);
		fprintf(out, "%s: ", vs_level_name(f->level));
		message(out, f->message, r, gcc);
		if (gcc)
			continue;
		if (f->seq) {
			const char *th = vs_check_report_thread(f);
			fprintf(out, "    scope '%s', ", *f->scope ? f->scope : "(root)");
			if (th)
				fprintf(out, "thread '%s'", th);
			else
				fprintf(out, "thread %u", f->tid);
			if (f->function && *f->function)
				fprintf(out, ", in %s()", f->function);
			fprintf(out,
			        "; event #%llu of process %u: vstrace show %s --proc %u --thread "
			        "%u "
			        "--around %llu\n",
			        (unsigned long long)f->seq, f->proc, f->trace ? f->trace : "-",
			        f->proc, f->tid, (unsigned long long)f->seq);
		}
		if (f->count > 1)
			fprintf(out, "    (%lu times)\n", f->count);
		vs_check_report_text_stack(out, f, o->stack_depth);
	}
	if (gcc)
		return;
	if (o->statistics) {
		vs_check_summary s;
		vs_check_summary_get(c, &s);
		fprintf(out, "statistics:\n");
		for (int i = 0; i < VS_RULE__COUNT; i++)
			if (s.by_rule[i])
				fprintf(out, "  %-6s %-32s %lu\n", vs_rule_get((vs_rule_id)i)->code,
				        vs_rule_get((vs_rule_id)i)->name, s.by_rule[i]);
		fprintf(out,
		        "  %llu events in %lu process%s checked in %.3f s (%.0f events/s); peak "
		        "live "
		        "variables %zu, threads %zu\n"
		        "  %lu duplicates folded, %lu suppressed, %lu baselined, %lu from disabled "
		        "rules\n",
		        (unsigned long long)s.events, s.processes, s.processes == 1 ? "" : "es",
		        s.seconds, s.seconds > 0 ? (double)s.events / s.seconds : 0.0,
		        s.peak_variables, s.peak_threads, s.duplicates, s.suppressed, s.baselined,
		        s.disabled);
	}
	char verdict[512];
	vs_check_report_verdict(c, o->fail_on, verdict, sizeof verdict);
	fprintf(out, "%s\n", verdict);
}
