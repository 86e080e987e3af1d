/* SPDX-License-Identifier: MIT */
/*
 * checker/report_stack.c - a finding's call stacks in the reports.
 *
 * text:  "    #0 dense tests/progs/m.c:23" lines under the finding (like the
 *        sanitizers), at most vs_report_opts.stack_depth of them, and the
 *        related stack under "    first created at:" indented once more;
 *        frames after the outermost one with a source line (libc's start-up)
 *        are left out, a frame without a line shows module+offset.
 * JSON:  "stack" and "related_stack" arrays of {function, file, line,
 *        module, offset}, every recorded frame.
 * SARIF: codeFlows (one threadFlow from the outermost shown frame to the
 *        call into libvs, each step named by its function) and
 *        relatedLocations (the creation's call, outermost differing frame),
 *        artifact URIs relative to the source root like the result's own
 *        location (report_sarif.c).
 */
#include "checker/report_impl.h"

static void text_frames(FILE *out, const vs_check_frame *f, size_t n, int depth, const char *indent)
{
	size_t shown = vs_check_stack_shown(f, n);
	for (size_t i = 0; i < shown && (int)i < depth; i++) {
		fprintf(out, "%s#%zu %s", indent, i, f[i].function ? f[i].function : "??");
		if (f[i].file && f[i].line > 0)
			fprintf(out, " %s:%d\n", f[i].file, f[i].line);
		else
			fprintf(out, " (%s+0x%llx)\n", f[i].module ? f[i].module : "??",
			        (unsigned long long)f[i].offset);
	}
}

void vs_check_report_text_stack(FILE *out, const vs_check_finding *f, int depth)
{
	if (depth <= 0 || !f->nframes)
		return;
	text_frames(out, f->frames, f->nframes, depth, "    ");
	if (f->nrelated) {
		fputs("    first created at:\n", out);
		text_frames(out, f->related, f->nrelated, depth, "      ");
	}
}

static void json_frames(FILE *out, const vs_check_frame *f, size_t n)
{
	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", {\"function\": " : "{\"function\": ", out);
		if (f[i].function)
			vs_check_report_json_str(out, f[i].function);
		else
			fputs("null", out);
		fputs(", \"file\": ", out);
		if (f[i].file)
			vs_check_report_json_str(out, f[i].file);
		else
			fputs("null", out);
		fprintf(out, ", \"line\": %d, \"module\": ", f[i].line);
		if (f[i].module)
			vs_check_report_json_str(out, f[i].module);
		else
			fputs("null", out);
		fprintf(out, ", \"offset\": %llu}", (unsigned long long)f[i].offset);
	}
	fputc(']', out);
}

void vs_check_report_json_stack(FILE *out, const vs_check_finding *f)
{
	fprintf(out, ", \"stack_id\": %u, \"stack\": ", f->stack);
	json_frames(out, f->frames, f->nframes);
	fputs(", \"related_stack\": ", out);
	json_frames(out, f->related, f->nrelated);
}

static void sarif_location(FILE *out, const vs_check_frame *f, const char *text, const char *root)
{
	fputs("{\"physicalLocation\": {\"artifactLocation\": ", out);
	vs_check_report_sarif_artifact(out, f->file, root);
	fprintf(out, ", \"region\": {\"startLine\": %d}}", f->line);
	if (text) {
		fputs(", \"message\": {\"text\": ", out);
		vs_check_report_json_str(out, text);
		fputc('}', out);
	}
	fputc('}', out);
}

void vs_check_report_sarif_stack(FILE *out, const vs_check_finding *f, const char *root)
{
	size_t shown = vs_check_stack_shown(f->frames, f->nframes);
	int any = 0;
	for (size_t i = 0; i < shown; i++)
		any |= f->frames[i].file && f->frames[i].line > 0;
	if (any) {
		fputs(", \"codeFlows\": [{\"threadFlows\": [{\"locations\": [", out);
		int first = 1;
		for (size_t i = shown; i-- > 0;) {
			const vs_check_frame *fr = &f->frames[i];
			if (!fr->file || fr->line <= 0)
				continue;
			fputs(first ? "{\"nestingLevel\": " : ", {\"nestingLevel\": ", out);
			fprintf(out, "%zu, \"location\": ", shown - 1 - i);
			sarif_location(out, fr, fr->function ? fr->function : "??", root);
			fputc('}', out);
			first = 0;
		}
		fputs("]}]}]", out);
	}
	/* the creation: its outermost frame with a line that the finding's
	 * stack does not share (where the first build was called from) */
	if (!f->nrelated)
		return;
	size_t k = vs_check_stack_divergence(f->frames, f->nframes, f->related, f->nrelated);
	const vs_check_frame *rel = &f->related[k];
	size_t rshown = vs_check_stack_shown(f->related, f->nrelated);
	if (!rel->file || rel->line <= 0)
		for (size_t i = 0; i < rshown && (!rel->file || rel->line <= 0); i++)
			rel = &f->related[i];
	if (!rel->file || rel->line <= 0)
		return;
	char text[512];
	snprintf(text, sizeof text, "first created at %s", rel->function ? rel->function : "??");
	fputs(", \"relatedLocations\": [{\"id\": 1, ", out);
	fputs("\"physicalLocation\": {\"artifactLocation\": ", out);
	vs_check_report_sarif_artifact(out, rel->file, root);
	fprintf(out, ", \"region\": {\"startLine\": %d}}, \"message\": {\"text\": ", rel->line);
	vs_check_report_json_str(out, text);
	fputs("}}]", out);
}

const char *vs_check_report_thread(const vs_check_finding *f)
{
	const vs_check_frame *o = f->nframes ? &f->frames[f->nframes - 1] : NULL;
	return o && o->function && vs_check_scenario_file(o->file) ? o->function : NULL;
}
