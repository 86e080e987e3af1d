/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_recover.c - `vstrace recover`: argument parsing only; the spool a
 * recording left behind (its recorder was killed, or the trace could not
 * be written) becomes a trace marked incomplete with the cause
 * (store/spool.h, vs_spool_recover).
 *
 * Exit status: VS_EXIT_OK a trace was made (or the trace named has no
 * spool left: nothing to do), VS_EXIT_USAGE for bad usage or nothing to
 * recover, VS_EXIT_INTERNAL for an internal failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/spool.h"
#include "vs/internal/util.h"

enum { OPT_HELP = 'h', OPT_OUTPUT = 'o' };

static const vs_cli_opt recover_opts[] = {
	{"output", 'o', "TRACE", "trace file to write (default: the one the recording was writing)",
         OPT_OUTPUT},
	{"help", 'h', NULL, "show this help", OPT_HELP},
};

static const char *const recover_synopsis[] = {"[-o TRACE] SPOOL_DIR", "[-o TRACE] TRACE", NULL};

static const vs_cli_cmd recover_cmd = {
	"vstrace",
	"recover",
	recover_synopsis,
	"Makes a trace of what a recording wrote before it stopped (its recorder was\n"
	"killed, or the trace could not be written): from its spool directory\n"
	"(NAME.spool-XXXXXX), or from the trace path the recording was writing.  The\n"
	"trace says why it is incomplete ('vstrace info').\n",
	recover_opts,
	sizeof recover_opts / sizeof recover_opts[0],
	NULL,
	0,
};

int vs_cmd_recover(int argc, char **argv)
{
	const char *out = NULL, *v;
	vs_spool_summary sum;
	vs_cli_parser p;
	vs_error err;
	char *written = NULL;
	int c, first;
	vs_error_init(&err);
	vs_cli_begin(&p, &recover_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		if (c == VS_CLI_ERROR)
			return VS_EXIT_USAGE;
		if (c == OPT_HELP) {
			vs_cli_help(stdout, &recover_cmd);
			return VS_EXIT_OK;
		}
		VS_ASSERT(c == OPT_OUTPUT);
		if (!*v)
			return vs_cli_usage_error(&recover_cmd,
			                          "option '--output' needs a file name");
		if (vs_cli_no_stdout(&recover_cmd, "-o", v,
		                     "a trace is a database file, not a stream") != 0)
			return VS_EXIT_USAGE;
		out = v;
	}
	first = vs_cli_operand(&p);
	if (argc - first != 1)
		return vs_cli_usage_error(&recover_cmd, "expected one spool directory or trace");
	if (vs_spool_recover(argv[first], out, &sum, &written, &err) < 0) {
		struct stat sb;
		/* a trace with no spool left next to it: its recording finished */
		if (err.code == VS_ERR_NOT_FOUND && stat(argv[first], &sb) == 0 &&
		    S_ISREG(sb.st_mode)) {
			printf("%s: nothing to recover (no spool next to it)\n", argv[first]);
			return VS_EXIT_OK;
		}
		return vs_cli_fail("vstrace", err.code, &err);
	}
	printf("%s: %llu events, %llu lost, ", written, (unsigned long long)sum.events,
	       (unsigned long long)sum.lost);
	if (sum.complete)
		printf("complete\n");
	else
		printf("incomplete (%s)\n", sum.cause);
	free(written);
	return VS_EXIT_OK;
}
