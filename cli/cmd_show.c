/* SPDX-License-Identifier: MIT */
/*
 * cli/cmd_show.c - `vstrace show TRACE.db [--proc P] [--thread T,...]
 * [--kind K,...] [--scope GLOB] [--all] [--around SEQ[:N]] [--from SEQ]
 * [--to SEQ] [--depth N] [--color WHEN] [--no-pager] [--stacks
 * [--stack-depth N]]`: argument parsing,
 * colour and pager choice only; the timeline is rendered by
 * store/timeline.c.  Exit status: VS_EXIT_OK, VS_EXIT_USAGE for bad usage
 * or an unreadable trace, VS_EXIT_INTERNAL for an internal failure.
 * On a terminal the output goes through a pager like git's ($PAGER, else
 * "less -FRX": it exits at once when the timeline fits the screen).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "cli/cmds.h"
#include "store/report.h"
#include "vs/event.h"
#include "vs/internal/util.h"

#define MAX_THREADS 64
#define AROUND_DEFAULT 10 /* events on each side of --around SEQ */

enum {
	OPT_HELP = 'h',
	OPT_KIND = 'k',
	OPT_PROC = 'p',
	OPT_SCOPE = 's',
	OPT_THREAD = 't',
	OPT_ALL = 256,
	OPT_AROUND,
	OPT_FROM,
	OPT_TO,
	OPT_DEPTH,
	OPT_COLOR,
	OPT_NO_PAGER,
	OPT_STACKS,
	OPT_STACK_DEPTH
};

static const vs_cli_opt show_opts[] = {
	{"proc", 'p', "P", "only process P (1 = the traced program, 2... = fork children)",
         OPT_PROC},
	{"thread", 't', "T,...",
         "only runtime threads T (1 = the first thread; comma-separated, repeatable)", OPT_THREAD},
	{"kind", 'k', "K,...", "only events of kinds K (e.g. GETVAR_ENTER,VAR_CREATE; repeatable)",
         OPT_KIND},
	{"scope", 's', "GLOB", "only events inside a variable scope matching GLOB (e.g. 'foo/*')",
         OPT_SCOPE},
	{"all", 0, NULL,
         "also the internal sub-events of calls (a variable_scope's graph push and\n"
         "name scope, get_variable's name scope, a constructor's init_scope, the\n"
         "default creator), each call's enter and exit on lines of their own",
         OPT_ALL},
	{"around", 0, "SEQ[:N]", "only the N events (default 10) each side of event SEQ",
         OPT_AROUND},
	{"from", 0, "SEQ", "only events from SEQ on", OPT_FROM},
	{"to", 0, "SEQ", "only events up to SEQ", OPT_TO},
	{"depth", 0, "N", "only lines nested less than N levels deep", OPT_DEPTH},
	{"color", 0, "WHEN", "colours: auto (on a terminal, unless NO_COLOR is set), always, never",
         OPT_COLOR},
	{"no-pager", 0, NULL, "do not page the output on a terminal", OPT_NO_PAGER},
	{"stacks", 0, NULL, "the call stack under the first event of each call", OPT_STACKS},
	{"stack-depth", 0, "N", "with --stacks: at most N frames (default 16)", OPT_STACK_DEPTH},
	{"help", 'h', NULL, "show this help", OPT_HELP},
};

static const char *const show_synopsis[] = {"TRACE.db [OPTIONS]", NULL};

static const vs_cli_cmd show_cmd = {
	"vstrace",
	"show",
	show_synopsis,
	"Prints the trace as an indented per-thread timeline, one line per call:\n"
	"scopes, context switches, creator and getter calls, get_variable with\n"
	"outcomes and call sites.  On a terminal it is coloured and paged.\n",
	show_opts,
	sizeof show_opts / sizeof show_opts[0],
	NULL,
	0,
};

typedef struct show_args {
	vs_db_show_opts o;
	uint32_t tids[MAX_THREADS];
	int color; /* -1 auto */
	int no_pager;
} show_args;

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end || v == 0)
		return -1;
	*out = v;
	return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	if (parse_u64(s, &v) < 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* "unknown event kind 'X' (kinds: SITE, PROCESS_START, ...)" */
static int bad_kind(const char *name)
{
	char list[2048];
	size_t n = 0;
	list[0] = '\0';
	for (unsigned k = 0; k < VS_EV__COUNT && n < sizeof list; k++) {
		const char *kn = vs_ev_kind_name(k);
		if (kn && *kn && *kn != '?')
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", kn);
	}
	return vs_cli_usage_error(&show_cmd, "unknown event kind '%s' (kinds: %s)", name, list);
}

/* a comma-separated list of kinds or thread numbers into a */
static int parse_list(show_args *a, int c, const char *v)
{
	char item[64];
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, ",");
		if (n == 0 || n >= sizeof item)
			return c == OPT_KIND
			               ? bad_kind(v)
			               : vs_cli_usage_error(&show_cmd, "bad thread number '%s'", v);
		memcpy(item, p, n);
		item[n] = '\0';
		p += n + (p[n] == ',');
		if (c == OPT_KIND) {
			int k = vs_ev_kind_from_name(item);
			if (k < 0 || k >= 128)
				return bad_kind(item);
			a->o.kinds[k / 64] |= 1ull << (k % 64);
		} else {
			uint32_t tid;
			if (parse_u32(item, &tid) < 0)
				return vs_cli_usage_error(&show_cmd, "bad thread number '%s'",
				                          item);
			if (a->o.ntids >= MAX_THREADS)
				return vs_cli_usage_error(&show_cmd,
				                          "too many threads (at most %d)",
				                          MAX_THREADS);
			a->tids[a->o.ntids++] = tid;
		}
	}
	return VS_EXIT_OK;
}

/* --around SEQ[:N] */
static int parse_around(show_args *a, const char *v)
{
	char buf[64];
	uint64_t seq, n = AROUND_DEFAULT;
	const char *colon = strchr(v, ':');
	size_t len = colon ? (size_t)(colon - v) : strlen(v);
	if (len >= sizeof buf)
		return vs_cli_usage_error(&show_cmd, "bad --around '%s' (expected SEQ or SEQ:N)",
		                          v);
	memcpy(buf, v, len);
	buf[len] = '\0';
	if (parse_u64(buf, &seq) < 0 ||
	    (colon && strcmp(colon + 1, "0") != 0 && parse_u64(colon + 1, &n) < 0))
		return vs_cli_usage_error(&show_cmd, "bad --around '%s' (expected SEQ or SEQ:N)",
		                          v);
	if (colon && strcmp(colon + 1, "0") == 0)
		n = 0;
	a->o.from = seq > n ? seq - n : 1;
	a->o.to = seq + n;
	return VS_EXIT_OK;
}

/* One option into a; VS_EXIT_OK, or the exit status after an error. */
static int show_option(show_args *a, int c, const char *v)
{
	uint64_t n;
	switch (c) {
	case OPT_PROC:
		if (parse_u32(v, &a->o.proc) < 0)
			return vs_cli_usage_error(&show_cmd, "bad process number '%s'", v);
		break;
	case OPT_THREAD:
	case OPT_KIND: return parse_list(a, c, v);
	case OPT_SCOPE: a->o.scope_glob = v; break;
	case OPT_ALL: a->o.fold = 0; break;
	case OPT_AROUND: return parse_around(a, v);
	case OPT_FROM:
	case OPT_TO:
		if (parse_u64(v, c == OPT_FROM ? &a->o.from : &a->o.to) < 0)
			return vs_cli_usage_error(&show_cmd, "bad event number '%s'", v);
		break;
	case OPT_DEPTH:
		if (parse_u64(v, &n) < 0 || n > 1000000)
			return vs_cli_usage_error(&show_cmd, "bad depth '%s'", v);
		a->o.max_depth = (unsigned)n;
		break;
	case OPT_STACKS: a->o.stacks = a->o.stacks ? a->o.stacks : 16; break;
	case OPT_STACK_DEPTH:
		if (parse_u32(v, &a->o.stacks) < 0 || a->o.stacks > 64)
			return vs_cli_usage_error(&show_cmd, "bad stack depth '%s' (1 to 64)", v);
		break;
	case OPT_COLOR:
		a->color = strcmp(v, "always") == 0  ? 1
		           : strcmp(v, "never") == 0 ? 0
		           : strcmp(v, "auto") == 0  ? -1
		                                     : -2;
		if (a->color == -2)
			return vs_cli_usage_error(
				&show_cmd, "bad --color '%s' (expected auto, always or never)", v);
		break;
	case OPT_NO_PAGER: a->no_pager = 1; break;
	default: VS_BUG("option %d not handled", c);
	}
	return VS_EXIT_OK;
}

/* A pager on stdout when it is a terminal: $PAGER (none when empty or
 * "cat"), else "less -FRX".  NULL: write to stdout directly. */
static FILE *open_pager(void)
{
	const char *pager = getenv("PAGER");
	if (!pager)
		pager = "less -FRX";
	if (!*pager || strcmp(pager, "cat") == 0)
		return NULL;
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN); /* quitting the pager early is not an error */
	return popen(pager, "w");
}

int vs_cmd_show(int argc, char **argv)
{
	show_args a;
	vs_db_reader *r = NULL;
	FILE *out = stdout, *pager = NULL;
	vs_cli_parser p;
	vs_error err;
	const char *v;
	int c, ret;
	memset(&a, 0, sizeof a);
	a.o.kind = -1;
	a.o.fold = 1;
	a.o.tids = a.tids;
	a.color = -1;
	vs_error_init(&err);
	vs_cli_begin(&p, &show_cmd, argc, argv);
	while ((c = vs_cli_next(&p, &v)) != VS_CLI_END) {
		if (c == VS_CLI_ERROR)
			return VS_EXIT_USAGE;
		if (c == OPT_HELP) {
			vs_cli_help(stdout, &show_cmd);
			return VS_EXIT_OK;
		}
		if ((ret = show_option(&a, c, v)) != VS_EXIT_OK)
			return ret;
	}
	if (argc - vs_cli_operand(&p) != 1)
		return vs_cli_usage_error(&show_cmd, "expected one trace file");
	if (a.o.from && a.o.to && a.o.from > a.o.to)
		return vs_cli_usage_error(&show_cmd, "--from %llu is after --to %llu",
		                          (unsigned long long)a.o.from, (unsigned long long)a.o.to);
	if (vs_db_reader_open(&r, argv[vs_cli_operand(&p)], &err) < 0)
		goto fail;
	int tty = isatty(STDOUT_FILENO);
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	a.o.color = a.color >= 0 ? a.color
	                         : tty && !(no_color && *no_color) &&
	                                   !(term && strcmp(term, "dumb") == 0);
	if (tty && !a.no_pager && (pager = open_pager()) != NULL)
		out = pager;
	/* a progress line only when the timeline does not go to the terminal */
	if (isatty(STDERR_FILENO) && !tty)
		a.o.progress = stderr;
	c = vs_db_show_print(r, &a.o, out, &err);
	if (c < 0)
		goto fail;
	ret = fflush(out) ? VS_EXIT_INTERNAL : VS_EXIT_OK;
	goto cleanup;
fail:
	ret = vs_cli_fail("vstrace", err.code, &err);
cleanup:
	if (pager)
		pclose(pager);
	vs_db_reader_close(r);
	return ret;
}
