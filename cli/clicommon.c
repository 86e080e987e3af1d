/* SPDX-License-Identifier: MIT */
/*
 * cli/clicommon.c - option parsing, --help and error reporting shared by
 * vstrace and vscheck (see cli/clicommon.h).  Invariant: one line per
 * failure, one status mapping for both tools, one option table per command
 * from which getopt_long's arguments and the help text both come.
 */
#include <stdarg.h>
#include <string.h>

#include "cli/clicommon.h"
#include "vs/internal/util.h"

void vs_cli_begin(vs_cli_parser *p, const vs_cli_cmd *cmd, int argc, char **argv)
{
	size_t n = 0, nlong = 0;
	VS_ASSERT(cmd->nopts <= VS_CLI_MAX_OPTS);
	memset(p, 0, sizeof *p);
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	/* '+': stop at the first operand; ':': report a missing value as ':' */
	if (cmd->operands_end_options)
		p->shortopts[n++] = '+';
	p->shortopts[n++] = ':';
	for (size_t i = 0; i < cmd->nopts; i++) {
		const vs_cli_opt *o = &cmd->opts[i];
		VS_ASSERT(o->id > 0 && o->id != '?' && o->id != ':');
		VS_ASSERT(o->name || (o->short_name && !o->help));
		if (o->name) {
			p->longopts[nlong].name = o->name;
			p->longopts[nlong].has_arg = o->arg ? required_argument : no_argument;
			p->longopts[nlong].flag = NULL;
			p->longopts[nlong++].val = o->id;
		}
		if (o->short_name) {
			VS_ASSERT(o->short_name == o->id);
			p->shortopts[n++] = o->short_name;
			if (o->arg)
				p->shortopts[n++] = ':';
		}
	}
	p->shortopts[n] = '\0';
	optind = 0; /* a full reinitialisation (GNU getopt) */
	opterr = 0;
}

/* the option as the user wrote it: "-x", or "--name" without "=value" */
static void spelled(const vs_cli_parser *p, char *buf, size_t cap)
{
	const char *a = optind > 0 && optind <= p->argc ? p->argv[optind - 1] : "";
	if (optopt && !(a[0] == '-' && a[1] == '-')) {
		snprintf(buf, cap, "-%c", optopt);
		return;
	}
	snprintf(buf, cap, "%.*s", (int)strcspn(a, "="), a);
}

int vs_cli_next(vs_cli_parser *p, const char **value)
{
	char opt[128];
	int c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
	*value = NULL;
	if (c == -1)
		return VS_CLI_END;
	if (c != '?' && c != ':') {
		*value = optarg;
		return c;
	}
	spelled(p, opt, sizeof opt);
	if (c == ':')
		return vs_cli_usage_error(p->cmd, "option '%s' needs a value", opt), VS_CLI_ERROR;
	return vs_cli_usage_error(p->cmd, "unknown option '%s'", opt), VS_CLI_ERROR;
}

int vs_cli_operand(const vs_cli_parser *p) { return optind; }

/* "-o, --output FILE" or "    --mode block|discard" */
static void option_left(const vs_cli_opt *o, char *buf, size_t cap)
{
	char s[8] = "    ";
	if (o->short_name)
		snprintf(s, sizeof s, "-%c, ", o->short_name);
	snprintf(buf, cap, "%s--%s%s%s", s, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

static void print_options(FILE *f, const vs_cli_cmd *cmd)
{
	char left[96];
	int width = 0;
	for (size_t i = 0; i < cmd->nopts; i++) {
		option_left(&cmd->opts[i], left, sizeof left);
		if (cmd->opts[i].help && (int)strlen(left) > width)
			width = (int)strlen(left);
	}
	for (size_t i = 0; i < cmd->nopts; i++) {
		const char *h = cmd->opts[i].help;
		if (!h)
			continue;
		option_left(&cmd->opts[i], left, sizeof left);
		/* continuation lines of the help text line up with its first */
		for (int first = 1; *h; first = 0) {
			size_t n = strcspn(h, "\n");
			fprintf(f, "  %-*s  %.*s\n", width, first ? left : "", (int)n, h);
			h += n + (h[n] == '\n');
		}
	}
}

void vs_cli_help(FILE *f, const vs_cli_cmd *cmd)
{
	for (size_t i = 0; cmd->synopsis[i]; i++)
		fprintf(f, "%s %s%s%s %s\n", i ? "      " : "usage:", cmd->tool,
		        cmd->name ? " " : "", cmd->name ? cmd->name : "", cmd->synopsis[i]);
	if (cmd->about)
		fprintf(f, "\n%s", cmd->about);
	fputs("\noptions:\n", f);
	print_options(f, cmd);
	if (cmd->footer)
		fprintf(f, "\n%s", cmd->footer);
}

int vs_cli_usage_error(const vs_cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	const char *sep = cmd->name ? " " : "";
	const char *name = cmd->name ? cmd->name : "";
	fflush(stdout);
	fprintf(stderr, "%s: %s%s", cmd->tool, name, cmd->name ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s%s%s --help')\n", cmd->tool, sep, name);
	return VS_EXIT_USAGE;
}

int vs_cli_no_stdout(const vs_cli_cmd *cmd, const char *opt, const char *value, const char *why)
{
	if (!value || strcmp(value, "-") != 0)
		return 0;
	return vs_cli_usage_error(cmd, "%s -: %s", opt, why);
}

enum vs_exit vs_cli_exit_status(int code)
{
	return code == VS_ERR_NOMEM || code == VS_ERR_INTERNAL ? VS_EXIT_INTERNAL : VS_EXIT_USAGE;
}

int vs_cli_fail(const char *prog, int code, const vs_error *err)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", prog, err->msg[0] ? err->msg : vs_err_name(code));
	return (int)vs_cli_exit_status(code);
}
