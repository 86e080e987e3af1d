/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_record.c - `vstrace record`: argument parsing and dispatch to the
 * recorder (store/recorder.h), which runs PROG and drains its rings.
 *
 *   vstrace record [-o TRACE.db] [-f] [--buffer-size N] [--mode block|discard]
 *                  [--] PROG [ARGS...]
 *
 * Exit status: PROG's exit status, 128+N when PROG was killed by signal N,
 * VS_EXIT_USAGE for bad usage or input (unknown flag, missing or
 * unexecutable PROG, existing or uncreatable output), VS_EXIT_INTERNAL for
 * an internal failure.  Invariant:
 * no trace file is left behind on an error.  The hidden form `record --drain DIR
 * --done-fd N -o TRACE` is the drain libvs spawns for VSTRACE_OUTPUT.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/meter.h"
#include "store/recorder.h"
#include "tracer/ring.h"
#include "vs/internal/util.h"

/* vstrace never traces itself (see tracer/autotrace.c) */
const int vs_autotrace_off = 1;

#define DEFAULT_OUTPUT "vstrace.db"

enum {
	OPT_OUTPUT = 'o',
	OPT_FORCE = 'f',
	OPT_HELP = 'h',
	OPT_BUFFER_SIZE = 256,
	OPT_MODE,
	OPT_NO_STACKS,
	OPT_DRAIN,
	OPT_DONE_FD
};

/* the help text spells the ring limits out */
_Static_assert(VS_RING_MIN_SLOTS == 4 && VS_RING_MAX_SLOTS == 1048576 &&
                       VS_RING_DEFAULT_SLOTS == 65536,
               "update the --buffer-size help text");

static const vs_cli_opt record_opts[] = {
	{"output", 'o', "TRACE", "trace file to write (default " DEFAULT_OUTPUT ")", OPT_OUTPUT},
	{"force", 'f', NULL, "replace TRACE if it exists", OPT_FORCE},
	{"buffer-size", 0, "N",
         "events per thread ring, a power of two in 4..1048576\n(default 65536)", OPT_BUFFER_SIZE},
	{"mode", 0, "block|discard",
         "block: a full ring makes the program wait (default);\n"
         "discard: a full ring drops events; drops are counted",
         OPT_MODE},
	{"no-stacks", 0, NULL, "record no call stacks (same as VSTRACE_STACKS=0)", OPT_NO_STACKS},
	{"help", 'h', NULL, "show this help", OPT_HELP},
	/* the drain libvs spawns for VSTRACE_OUTPUT (tracer/autotrace.c) */
	{"drain", 0, "DIR", NULL, OPT_DRAIN},
	{"done-fd", 0, "N", NULL, OPT_DONE_FD},
};

static const char *const record_synopsis[] = {
	"[-o TRACE.db] [-f] [--buffer-size N] [--mode block|discard] [--no-stacks] [--] PROG"
	" [ARGS...]",
	NULL};

static const vs_cli_cmd record_cmd = {
	"vstrace",
	"record",
	record_synopsis,
	NULL,
	record_opts,
	sizeof record_opts / sizeof record_opts[0],
	"Exits with PROG's status (128+N if PROG was killed by signal N).\n",
	1,
};

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

static int is_pow2(uint32_t v) { return v && !(v & (v - 1)); }

struct record_args {
	vs_recorder_opts opts;
	const char *drain_dir;
	int done_fd;
};

/* One option into a; VS_EXIT_OK, or the exit status after an error. */
static int record_option(struct record_args *a, int c, const char *v)
{
	uint32_t fd;
	switch (c) {
	case OPT_FORCE: a->opts.overwrite = 1; break;
	case OPT_OUTPUT:
		if (!*v)
			return vs_cli_usage_error(&record_cmd,
			                          "option '--output' needs a file name");
		if (vs_cli_no_stdout(&record_cmd, "-o", v,
		                     "a trace is a database file, not a stream") != 0)
			return VS_EXIT_USAGE;
		a->opts.output = v;
		break;
	case OPT_BUFFER_SIZE:
		if (parse_u32(v, VS_RING_MIN_SLOTS, VS_RING_MAX_SLOTS, &a->opts.ring_slots) < 0 ||
		    !is_pow2(a->opts.ring_slots))
			return vs_cli_usage_error(&record_cmd,
			                          "invalid --buffer-size '%s': want a power of two"
			                          " from %u to %u",
			                          v, VS_RING_MIN_SLOTS, VS_RING_MAX_SLOTS);
		break;
	case OPT_MODE:
		if (!strcmp(v, "block"))
			a->opts.mode = VS_RECORDER_BLOCK;
		else if (!strcmp(v, "discard"))
			a->opts.mode = VS_RECORDER_DISCARD;
		else
			return vs_cli_usage_error(&record_cmd,
			                          "invalid --mode '%s': want 'block' or 'discard'",
			                          v);
		break;
	case OPT_NO_STACKS: a->opts.no_stacks = 1; break;
	case OPT_DRAIN: a->drain_dir = v; break;
	case OPT_DONE_FD:
		if (parse_u32(v, 0, INT_MAX, &fd) < 0)
			return vs_cli_usage_error(&record_cmd,
			                          "option '--done-fd' needs a descriptor number");
		a->done_fd = (int)fd;
		break;
	default: VS_BUG("option %d not handled", c);
	}
	return VS_EXIT_OK;
}

/* The drain libvs spawns: it has no user input, so any failure is internal. */
static int drain(const struct record_args *a)
{
	vs_recorder_result res;
	vs_error err;
	vs_error_init(&err);
	/* the traced process may be gone before the drain says "ready" */
	signal(SIGPIPE, SIG_IGN);
	int rc = vs_recorder_drain_dir(&a->opts, a->drain_dir, a->done_fd, &res, &err);
	if (rc < 0) {
		vs_cli_fail("vstrace", rc, &err);
		return VS_EXIT_INTERNAL;
	}
	return VS_EXIT_OK;
}

/* The directory that holds the vstrace Python package next to this
 * executable: the build tree's (build/vstrace, build/python) or an
 * installation's (PREFIX/bin/vstrace, PREFIX/lib/vstrace/python).  PROG
 * gets it first on its PYTHONPATH, so `python3 -m vstrace.run` needs no
 * setup.  NULL when there is none (the user's PYTHONPATH is left alone). */
static const char *python_package_dir(char *buf, size_t cap)
{
	static const char *const rel[] = {"python", "../lib/vstrace/python"};
	char exe[PATH_MAX], probe[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	for (size_t k = 0; k < sizeof rel / sizeof rel[0]; k++) {
		snprintf(probe, sizeof probe, "%s/%s/vstrace/__init__.py", exe, rel[k]);
		if (access(probe, R_OK) == 0 &&
		    (size_t)snprintf(buf, cap, "%s/%s", exe, rel[k]) < cap)
			return buf;
	}
	return NULL;
}

/* PROG is a Python script (NAME.py): it runs under the TF1 shim */
static int is_python_script(const char *prog)
{
	size_t n = strlen(prog);
	return n > 3 && !strcmp(prog + n - 3, ".py");
}

/* The progress line of the trace's conversion after PROG is gone, on a
 * terminal only (store/meter.h): the recording's close takes about a
 * second per million events. */
static vs_meter *record_meter(vs_meter *m, const char *out)
{
	static char label[512];
	if (!isatty(STDERR_FILENO))
		return NULL;
	snprintf(label, sizeof label, "vstrace: writing '%s'", out);
	vs_meter_init(m, stderr, label, 0);
	return m;
}

/* A program that never loaded libvs (not linked with it, a wrong
 * LD_LIBRARY_PATH, /bin/true) leaves a complete trace without events: say so
 * now rather than let the user find an empty trace later. */
static void warn_no_events(const char *out, const char *prog, const vs_recorder_result *res)
{
	if (res->events || res->lost || !res->complete)
		return;
	fprintf(stderr,
	        "vstrace: no events: '%s' never loaded libvs (a wrong LD_LIBRARY_PATH, or a"
	        " program not linked with libvs?); '%s' holds no events\n",
	        prog, out);
}

/* what a recording worth knowing about says on stderr; the exit status:
 * PROG's (128+N for signal N), and non-zero (2) when the trace is
 * incomplete although PROG succeeded (PROG's own status is in the trace) */
static int report(const struct record_args *a, const char *prog, const vs_recorder_result *res)
{
	/* the trace may have been written elsewhere (its directory removed) */
	const char *out = res->output[0] ? res->output : a->opts.output;
	int status = res->signal ? 128 + res->signal : res->exit_code;
	warn_no_events(out, prog, res);
	if (res->lost)
		fprintf(stderr, "vstrace: '%s': %llu events lost (see 'vstrace info')\n", out,
		        (unsigned long long)res->lost);
	if (res->signal)
		fprintf(stderr, "vstrace: '%s': killed by signal %d (%s); trace kept%s\n", prog,
		        res->signal, strsignal(res->signal),
		        res->truncated ? ", marked truncated" : "");
	if (res->replaced_other)
		fprintf(stderr,
		        "vstrace: '%s': written by this recording (it replaced the trace of"
		        " another one that finished first)\n",
		        out);
	if (!res->complete) {
		fprintf(stderr, "vstrace: '%s': trace incomplete: %s (see 'vstrace info')\n", out,
		        res->cause);
		if (status == 0)
			status = VS_EXIT_USAGE;
	}
	return status;
}

int vs_cmd_record(int argc, char **argv)
{
	struct record_args a = {{DEFAULT_OUTPUT, 0, VS_RECORDER_BLOCK, 0, 0, NULL}, NULL, -1};
	vs_recorder_result res;
	vs_cli_parser p;
	vs_error err;
	const char *v;
	int c, i, rc;

	vs_error_init(&err);
	vs_cli_begin(&p, &record_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		if (c == VS_CLI_ERROR)
			return VS_EXIT_USAGE;
		if (c == OPT_HELP) {
			vs_cli_help(stdout, &record_cmd);
			return VS_EXIT_OK;
		}
		if ((rc = record_option(&a, c, v)) != VS_EXIT_OK)
			return rc;
	}
	if (a.drain_dir)
		return drain(&a);
	i = vs_cli_operand(&p);
	if (i >= argc)
		return vs_cli_usage_error(&record_cmd, "missing program to record");

	char pydir[PATH_MAX];
	a.opts.python_path = python_package_dir(pydir, sizeof pydir);
	char **prog = argv + i, **py_argv = NULL;
	if (is_python_script(prog[0])) { /* train.py ARGS: through the shim */
		if (!(py_argv = calloc((size_t)(argc - i) + 4, sizeof *py_argv)))
			return vs_cli_fail("vstrace", vs_error_nomem(&err), &err);
		static char py[] = "python3", m[] = "-m", run[] = "vstrace.run";
		py_argv[0] = py;
		py_argv[1] = m;
		py_argv[2] = run;
		for (int k = i; k <= argc; k++)
			py_argv[3 + k - i] = argv[k];
		prog = py_argv;
	}

	vs_meter meter;
	vs_meter_current = record_meter(&meter, a.opts.output);
	rc = vs_recorder_record(&a.opts, prog, &res, &err);
	free(py_argv);
	vs_meter_end(vs_meter_current);
	vs_meter_current = NULL;
	if (rc < 0)
		return vs_cli_fail("vstrace", rc, &err);
	return report(&a, argv[i], &res);
}
