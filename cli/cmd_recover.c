/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_recover.c - `vstrace recover`: turns the spool a recording left
 * behind (its recorder was killed, or the trace could not be written) into
 * a trace, marked incomplete with the cause (store/spool.h).
 *
 *   vstrace recover [-o TRACE.db] SPOOL_DIR_OR_TRACE
 *
 * SPOOL_DIR_OR_TRACE is a spool directory (".NAME.spool-XXXXXX") or the
 * trace path the recording was writing, whose spools next to it are
 * converted.  Exit status: 0 a trace was made, 2 bad usage or nothing to
 * recover, 3 internal error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/spool.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: vstrace recover [-o TRACE.db] SPOOL_DIR_OR_TRACE\n"
	           "\n"
	           "  -o, --output TRACE   trace file to write (default: the recording's own)\n"
	           "\n"
	           "Makes a trace of what a recording wrote before it stopped (its recorder\n"
	           "was killed, or the trace could not be written); the trace says why it is\n"
	           "incomplete ('vstrace info').\n");
}

int vs_cmd_recover(int argc, char **argv)
{
	const char *out = NULL, *path = NULL;
	vs_spool_summary sum;
	vs_error err;
	char *written = NULL;
	vs_error_init(&err);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (i + 1 >= argc || !*argv[i + 1]) {
				fprintf(stderr, "vstrace: recover: option '%s' needs a file name"
				                " (see 'vstrace recover --help')\n", a);
				return 2;
			}
			out = argv[++i];
		} else if (!strncmp(a, "--output=", 9)) {
			out = a + 9;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "vstrace: recover: unknown option '%s'"
			                " (see 'vstrace recover --help')\n", a);
			return 2;
		} else if (!path) {
			path = a;
		} else {
			fprintf(stderr, "vstrace: recover: one spool or trace only"
			                " (see 'vstrace recover --help')\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "vstrace: recover: missing spool or trace"
		                " (see 'vstrace recover --help')\n");
		return 2;
	}
	int rc = vs_spool_recover(path, out, &sum, &written, &err);
	if (rc < 0)
		return vs_cli_fail("vstrace", rc, &err);
	printf("%s: %llu events, %llu lost, %s%s%s\n", written, (unsigned long long)sum.events,
	       (unsigned long long)sum.lost, sum.complete ? "complete" : "incomplete (",
	       sum.complete ? "" : sum.cause, sum.complete ? "" : ")");
	free(written);
	return 0;
}
