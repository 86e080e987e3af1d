/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_info.c - `vstrace info TRACE.db`: argument parsing only; the
 * summary is rendered by store/info.c.  Exit status: VS_EXIT_OK,
 * VS_EXIT_USAGE for bad usage or a trace that cannot be read (missing,
 * foreign, corrupt, too new), VS_EXIT_INTERNAL for an internal failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/report.h"
#include "vs/internal/util.h"

enum { OPT_HELP = 'h', OPT_JSON = 256 };

static const vs_cli_opt info_opts[] = {
	{"json", 0, NULL, "print the summary as one JSON object", OPT_JSON},
	{"help", 'h', NULL, "show this help", OPT_HELP},
};

static const char *const info_synopsis[] = {"TRACE.db [--json]", NULL};

static const vs_cli_cmd info_cmd = {
	"vstrace",
	"info",
	info_synopsis,
	"Summarizes a trace: program, command line, exit status, duration,\n"
	"processes, threads, variables, lost events and event counts per kind.\n",
	info_opts,
	sizeof info_opts / sizeof info_opts[0],
	NULL,
	0,
};

int vs_cmd_info(int argc, char **argv)
{
	vs_db_reader *r = NULL;
	vs_db_progress *prog = NULL;
	vs_cli_parser p;
	vs_error err;
	const char *v;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = NULL;
	int c, ret, first, json = 0;
	vs_error_init(&err);
	vs_cli_begin(&p, &info_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		if (c == VS_CLI_ERROR)
			return VS_EXIT_USAGE;
		if (c == OPT_JSON) {
			json = 1;
			continue;
		}
		vs_cli_help(stdout, &info_cmd); /* OPT_HELP */
		return VS_EXIT_OK;
	}
	first = vs_cli_operand(&p);
	if (argc - first != 1)
		return vs_cli_usage_error(&info_cmd, "expected one trace file");
	if (vs_db_reader_open(&r, argv[first], &err) < 0)
		goto fail;
	/* rendered into memory first, so the progress line never mixes in */
	mem = open_memstream(&buf, &len);
	if (!mem) {
		vs_error_nomem(&err);
		goto fail;
	}
	prog = vs_db_progress_start(r, isatty(STDERR_FILENO) ? stderr : NULL,
	                            "vstrace: reading trace");
	c = json ? vs_db_info_json(r, mem, &err) : vs_db_info_print(r, mem, &err);
	vs_db_progress_stop(prog);
	fclose(mem);
	if (c < 0)
		goto fail;
	fwrite(buf, 1, len, stdout);
	ret = VS_EXIT_OK;
	goto cleanup;
fail:
	ret = vs_cli_fail("vstrace", err.code, &err);
cleanup:
	free(buf);
	vs_db_reader_close(r);
	return ret;
}
