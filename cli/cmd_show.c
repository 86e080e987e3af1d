/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_show.c - `vstrace show TRACE.db [--proc P] [--thread T]
 * [--kind K] [--scope GLOB]`: argument parsing only; the timeline is
 * rendered by store/timeline.c.  Exit status: VS_EXIT_OK, VS_EXIT_USAGE for
 * bad usage or an unreadable trace, VS_EXIT_INTERNAL for an internal failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/report.h"
#include "vs/event.h"
#include "vs/internal/util.h"

enum { OPT_HELP = 'h', OPT_KIND = 'k', OPT_PROC = 'p', OPT_SCOPE = 's', OPT_THREAD = 't' };

static const vs_cli_opt show_opts[] = {
	{"proc", 'p', "P", "only process P (1 = the traced program, 2... = fork children)", OPT_PROC},
	{"thread", 't', "T", "only runtime thread T (1 = the first thread)", OPT_THREAD},
	{"kind", 'k', "K", "only events of kind K (e.g. GETVAR_ENTER, VAR_CREATE, SITE)", OPT_KIND},
	{"scope", 's', "GLOB", "only events inside a variable scope matching GLOB (e.g. 'foo/*')",
	 OPT_SCOPE},
	{"help", 'h', NULL, "show this help", OPT_HELP},
};

static const char *const show_synopsis[] = {
	"TRACE.db [--proc P] [--thread T] [--kind K] [--scope GLOB]", NULL};

static const vs_cli_cmd show_cmd = {
	"vstrace", "show", show_synopsis,
	"Prints the trace as an indented per-thread timeline: scopes, context\n"
	"switches, creator and getter calls, get_variable with outcomes and call sites.\n",
	show_opts, sizeof show_opts / sizeof show_opts[0], NULL, 0,
};

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;
	if (!*s || *s == '-')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v == 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* One option into o; VS_EXIT_OK, or the exit status after an error. */
static int show_option(vs_db_show_opts *o, int c, const char *v)
{
	switch (c) {
	case OPT_PROC:
		if (parse_u32(v, &o->proc) < 0)
			return vs_cli_usage_error(&show_cmd, "bad process number '%s'", v);
		break;
	case OPT_THREAD:
		if (parse_u32(v, &o->tid) < 0)
			return vs_cli_usage_error(&show_cmd, "bad thread number '%s'", v);
		break;
	case OPT_KIND:
		if ((o->kind = vs_ev_kind_from_name(v)) < 0)
			return vs_cli_usage_error(&show_cmd, "unknown event kind '%s'", v);
		break;
	case OPT_SCOPE: o->scope_glob = v; break;
	default: VS_BUG("option %d not handled", c);
	}
	return VS_EXIT_OK;
}

int vs_cmd_show(int argc, char **argv)
{
	vs_db_show_opts o = {0, 0, -1, NULL};
	vs_db_reader *r = NULL;
	vs_db_progress *prog = NULL;
	vs_cli_parser p;
	vs_error err;
	const char *v;
	int c, ret;
	vs_error_init(&err);
	vs_cli_begin(&p, &show_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		if (c == VS_CLI_ERROR)
			return VS_EXIT_USAGE;
		if (c == OPT_HELP) {
			vs_cli_help(stdout, &show_cmd);
			return VS_EXIT_OK;
		}
		if ((ret = show_option(&o, c, v)) != VS_EXIT_OK)
			return ret;
	}
	if (argc - vs_cli_operand(&p) != 1)
		return vs_cli_usage_error(&show_cmd, "expected one trace file");
	if (vs_db_reader_open(&r, argv[vs_cli_operand(&p)], &err) < 0)
		goto fail;
	/* a progress line only when the timeline does not go to the terminal */
	if (isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO))
		prog = vs_db_progress_start(r, stderr, "vstrace: reading trace");
	c = vs_db_show_print(r, &o, stdout, &err);
	vs_db_progress_stop(prog);
	if (c < 0)
		goto fail;
	ret = fflush(stdout) ? VS_EXIT_INTERNAL : VS_EXIT_OK;
	goto cleanup;
fail:
	ret = vs_cli_fail("vstrace", err.code, &err);
cleanup:
	vs_db_reader_close(r);
	return ret;
}
