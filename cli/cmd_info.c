/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_info.c - `vstrace info TRACE.db`: argument parsing only; the
 * summary is rendered by store/info.c.  Exit status: 0, 2 for bad usage or
 * a trace that cannot be read (missing, foreign, corrupt, too new), 3 for
 * an internal failure.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/report.h"
#include "vs/internal/util.h"

static void usage(FILE *f, int full)
{
	fputs("usage: vstrace info TRACE.db\n", f);
	if (full)
		fputs("\n"
		      "Summarizes a trace: program, command line, exit status, duration,\n"
		      "processes, threads, variables, lost events and event counts per kind.\n",
		      f);
}

int vs_cmd_info(int argc, char **argv)
{
	static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
	vs_db_reader *r = NULL;
	vs_db_progress *prog = NULL;
	vs_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = NULL;
	int c, ret = 2;
	vs_error_init(&err);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout, 1);
			return 0;
		}
		fprintf(stderr, "vstrace: info: unknown option '%s'\n", argv[optind - 1]);
		usage(stderr, 0);
		return 2;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "vstrace: info: expected one trace file\n");
		usage(stderr, 0);
		return 2;
	}
	if (vs_db_reader_open(&r, argv[optind], &err))
		goto fail;
	/* rendered into memory first, so the progress line never mixes in */
	mem = open_memstream(&buf, &len);
	if (!mem) {
		vs_error_nomem(&err);
		goto fail;
	}
	prog = vs_db_progress_start(r, isatty(STDERR_FILENO) ? stderr : NULL,
	                            "vstrace: reading trace");
	c = vs_db_info_print(r, mem, &err);
	vs_db_progress_stop(prog);
	fclose(mem);
	if (c)
		goto fail;
	fwrite(buf, 1, len, stdout);
	ret = 0;
	goto cleanup;
fail:
	ret = vs_cli_fail("vstrace", err.code, &err);
cleanup:
	free(buf);
	vs_db_reader_close(r);
	return ret;
}
