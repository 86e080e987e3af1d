/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_record.c - `vstrace record`: argument parsing and dispatch to the
 * recorder (store/recorder.h), which runs PROG and drains its rings.
 *
 *   vstrace record [-o TRACE.db] [-f] [--buffer-size N] [--mode block|discard]
 *                  [--] PROG [ARGS...]
 *
 * Exit status: PROG's exit status, 128+N when PROG was killed by signal N,
 * 2 for bad usage or input (unknown flag, missing or unexecutable PROG,
 * existing or uncreatable output), 3 for an internal failure.  Invariant:
 * no trace file is left behind on an error.  The hidden form `record --drain DIR
 * --done-fd N -o TRACE` is the drain libvs spawns for VSTRACE_OUTPUT.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/recorder.h"
#include "tracer/ring.h"

/* vstrace never traces itself (see tracer/autotrace.c) */
const int vs_autotrace_off = 1;

#define DEFAULT_OUTPUT "vstrace.db"

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: vstrace record [-o TRACE.db] [-f] [--buffer-size N]"
	        " [--mode block|discard] [--] PROG [ARGS...]\n"
	        "\n"
	        "  -o, --output TRACE   trace file to write (default " DEFAULT_OUTPUT ")\n"
	        "  -f, --force          replace TRACE if it exists\n"
	        "  --buffer-size N      events per thread ring, a power of two in %u..%u\n"
	        "                       (default %u)\n"
	        "  --mode block         a full ring makes the program wait (default)\n"
	        "  --mode discard       a full ring drops events; drops are counted\n"
	        "\n"
	        "Exits with PROG's status (128+N if PROG was killed by signal N).\n",
	        VS_RING_MIN_SLOTS, VS_RING_MAX_SLOTS, VS_RING_DEFAULT_SLOTS);
}

static int bad_usage(const char *fmt, ...) VS_PRINTF(1, 2);
static int bad_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "vstrace: record: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see 'vstrace record --help')\n");
	va_end(ap);
	return 2;
}

/* the value of option argv[*i] (--opt=value or --opt value) */
static const char *opt_value(int argc, char **argv, int *i, const char *eq)
{
	if (eq)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_u32(const char *s, unsigned long lo, unsigned long hi, uint32_t *out)
{
	char *end;
	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

int vs_cmd_record(int argc, char **argv)
{
	vs_recorder_opts opts = {DEFAULT_OUTPUT, 0, VS_RECORDER_BLOCK, 0};
	vs_recorder_result res;
	vs_error err;
	const char *drain_dir = NULL;
	int done_fd = -1, i, rc;

	vs_error_init(&err);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1])
			break;
		char name[64];
		const char *eq = NULL;
		if (!strncmp(a, "--", 2) && (eq = strchr(a, '=')) != NULL) {
			size_t n = (size_t)(eq - a);
			if (n >= sizeof name)
				return bad_usage("unknown option '%s'", a);
			memcpy(name, a, n);
			name[n] = '\0';
		} else {
			snprintf(name, sizeof name, "%s", a);
		}
		if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(name, "-f") || !strcmp(name, "--force")) {
			opts.overwrite = 1;
		} else if (!strcmp(name, "-o") || !strcmp(name, "--output")) {
			opts.output = opt_value(argc, argv, &i, eq);
			if (!opts.output || !*opts.output)
				return bad_usage("option '%s' needs a file name", name);
		} else if (!strcmp(name, "--buffer-size")) {
			const char *v = opt_value(argc, argv, &i, eq);
			if (parse_u32(v, VS_RING_MIN_SLOTS, VS_RING_MAX_SLOTS, &opts.ring_slots) < 0 ||
			    !is_pow2(opts.ring_slots))
				return bad_usage("invalid --buffer-size '%s': want a power of two"
				                 " from %u to %u",
				                 v ? v : "", VS_RING_MIN_SLOTS, VS_RING_MAX_SLOTS);
		} else if (!strcmp(name, "--mode")) {
			const char *v = opt_value(argc, argv, &i, eq);
			if (v && !strcmp(v, "block"))
				opts.mode = VS_RECORDER_BLOCK;
			else if (v && !strcmp(v, "discard"))
				opts.mode = VS_RECORDER_DISCARD;
			else
				return bad_usage("invalid --mode '%s': want 'block' or 'discard'",
				                 v ? v : "");
		} else if (!strcmp(name, "--drain")) {
			drain_dir = opt_value(argc, argv, &i, eq);
			if (!drain_dir)
				return bad_usage("option '%s' needs a directory", name);
		} else if (!strcmp(name, "--done-fd")) {
			uint32_t fd;
			if (parse_u32(opt_value(argc, argv, &i, eq), 0, INT_MAX, &fd) < 0)
				return bad_usage("option '%s' needs a descriptor number", name);
			done_fd = (int)fd;
		} else {
			return bad_usage("unknown option '%s'", a);
		}
	}

	if (drain_dir) {
		/* the traced process may be gone before the drain says "ready" */
		signal(SIGPIPE, SIG_IGN);
		rc = vs_recorder_drain_dir(&opts, drain_dir, done_fd, &res, &err);
		if (rc < 0) {
			/* the drain has no user input: any failure is internal */
			vs_cli_fail("vstrace", rc, &err);
			return VS_EXIT_INTERNAL;
		}
		return 0;
	}
	if (i >= argc)
		return bad_usage("missing program to record");

	rc = vs_recorder_record(&opts, argv + i, &res, &err);
	if (rc < 0)
		return vs_cli_fail("vstrace", rc, &err);
	if (res.lost)
		fprintf(stderr, "vstrace: %s: %llu events lost (see 'vstrace info')\n", opts.output,
		        (unsigned long long)res.lost);
	if (res.signal)
		fprintf(stderr, "vstrace: %s: killed by signal %d (%s); trace kept%s\n", argv[i],
		        res.signal, strsignal(res.signal),
		        res.truncated ? ", marked truncated" : "");
	if (res.replaced_other)
		fprintf(stderr, "vstrace: %s: written by this recording (it replaced the trace of"
		                " another one that finished first)\n",
		        opts.output);
	int status = res.signal ? 128 + res.signal : res.exit_code;
	if (!res.complete) {
		/* PROG's own status is in the trace; a failed recording is not
		 * a success even when PROG succeeded */
		fprintf(stderr, "vstrace: %s: trace incomplete: %s (see 'vstrace info')\n",
		        opts.output, res.cause);
		if (status == 0)
			status = VS_EXIT_USAGE;
	}
	return status;
}
