/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_show.c - `vstrace show TRACE.db [--proc P] [--thread T]
 * [--kind K] [--scope GLOB]`: argument parsing only; the timeline is
 * rendered by store/timeline.c.  Exit status: 0, 2 for bad usage or an
 * unreadable trace, 3 for an internal failure.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/report.h"
#include "store/schema.h"

static void usage(FILE *f, int full)
{
	fputs("usage: vstrace show TRACE.db [--proc P] [--thread T] [--kind K] [--scope GLOB]"
	      " [--stacks[=N]]\n",
	      f);
	if (full)
		fputs("\n"
		      "Prints the trace as an indented per-thread timeline: scopes, context\n"
		      "switches, creator and getter calls, get_variable with outcomes and call sites.\n"
		      "\n"
		      "  --proc P       only process P (1 = the traced program, 2... = fork children)\n"
		      "  --thread T     only runtime thread T (1 = the first thread)\n"
		      "  --kind K       only events of kind K (e.g. GETVAR_ENTER, VAR_CREATE, SITE)\n"
		      "  --scope GLOB   only events inside a variable scope matching GLOB (e.g. 'foo/*')\n"
		      "  --stacks[=N]   the call stack under the first event of each call, at most N\n"
		      "                 frames (default 16)\n",
		      f);
}

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

static int bad(const char *what, const char *arg)
{
	fprintf(stderr, "vstrace: show: %s '%s'\n", what, arg);
	usage(stderr, 0);
	return 2;
}

int vs_cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"proc", required_argument, NULL, 'p'}, {"thread", required_argument, NULL, 't'},
		{"kind", required_argument, NULL, 'k'}, {"scope", required_argument, NULL, 's'},
		{"stacks", optional_argument, NULL, 'S'}, {"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0}};
	vs_db_show_opts o = {0, 0, -1, NULL, 0};
	vs_db_reader *r = NULL;
	vs_db_progress *prog = NULL;
	vs_error err;
	int c, ret = 2;
	vs_error_init(&err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:t:k:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_u32(optarg, &o.proc))
				return bad("bad process number", optarg);
			break;
		case 't':
			if (parse_u32(optarg, &o.tid))
				return bad("bad thread number", optarg);
			break;
		case 'k':
			if ((o.kind = vs_db_kind_from_name(optarg)) < 0)
				return bad("unknown event kind", optarg);
			break;
		case 's': o.scope_glob = optarg; break;
		case 'S':
			o.stacks = 16;
			if (optarg && parse_u32(optarg, &o.stacks))
				return bad("bad stack depth", optarg);
			break;
		case 'h': usage(stdout, 1); return 0;
		case ':': return bad("missing value for", argv[optind - 1]);
		default: return bad("unknown option", argv[optind - 1]);
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "vstrace: show: expected one trace file\n");
		usage(stderr, 0);
		return 2;
	}
	if (vs_db_reader_open(&r, argv[optind], &err))
		goto fail;
	/* a progress line only when the timeline does not go to the terminal */
	if (isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO))
		prog = vs_db_progress_start(r, stderr, "vstrace: reading trace");
	c = vs_db_show_print(r, &o, stdout, &err);
	vs_db_progress_stop(prog);
	if (c)
		goto fail;
	ret = fflush(stdout) ? 3 : 0;
	goto cleanup;
fail:
	ret = vs_cli_fail("vstrace", err.code, &err);
cleanup:
	vs_db_reader_close(r);
	return ret;
}
