/* SPDX-License-Identifier: MIT */
/* tests for cli/clicommon.c: option tables (parsing with getopt_long, the
 * generated --help), command-line error lines and exit statuses */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/clicommon.h"
#include "tests/unit/harness.h"

enum { T_OUT = 'o', T_FORCE = 'f', T_MODE = 256, T_SECRET };

static const vs_cli_opt t_opts[] = {
	{"output", 'o', "FILE", "write FILE", T_OUT},
	{"force", 'f', NULL, "replace FILE", T_FORCE},
	{"mode", 0, "M", "first line\nsecond line", T_MODE},
	{"secret", 0, NULL, NULL, T_SECRET}, /* hidden */
};
static const char *const t_synopsis[] = {"[-o FILE] ARG...", "-f ARG", NULL};
static const vs_cli_cmd t_cmd = {
	"tool", "sub", t_synopsis, "About text.\n", t_opts, sizeof t_opts / sizeof t_opts[0],
	"Footer.\n", 0,
};
static const vs_cli_cmd t_cmd_stop = {
	"tool", NULL, t_synopsis, NULL, t_opts, sizeof t_opts / sizeof t_opts[0], NULL, 1,
};

/* stderr of fn(arg) as a string (caller frees) */
static char *capture_stderr(int (*fn)(void *), void *arg, int *ret)
{
	char *path = vs_test_tmp_path(".err");
	char *buf = calloc(1, 4096);
	int saved = dup(STDERR_FILENO), fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	*ret = fn(arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	if (read(fd, buf, 4095) < 0)
		buf[0] = '\0';
	close(fd);
	unlink(path);
	free(path);
	return buf;
}

/* a writable copy of a NULL-terminated argument list (getopt permutes it) */
static char **args(const char *const *src, int *argc)
{
	int n = 0;
	while (src[n])
		n++;
	char **v = calloc((size_t)n + 1, sizeof *v);
	for (int i = 0; i < n; i++)
		v[i] = strdup(src[i]);
	*argc = n;
	return v;
}

static void args_free(char **v)
{
	for (int i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

struct run {
	const vs_cli_cmd *cmd;
	int argc;
	char **argv;
	int ids[8], n;
	const char *values[8];
	int operand;
};

/* parses r->argv into r->ids/values; returns the last vs_cli_next result */
static int parse(void *arg)
{
	struct run *r = arg;
	vs_cli_parser p;
	const char *v;
	int c;
	vs_cli_begin(&p, r->cmd, r->argc, r->argv);
	while ((c = vs_cli_next(&p, &v)) > 0 && r->n < 8) {
		r->ids[r->n] = c;
		r->values[r->n++] = v;
	}
	r->operand = vs_cli_operand(&p);
	return c;
}

static void test_parse_options(void)
{
	static const char *const src[] = {"sub", "-f", "x", "--output=a.db", "--mode", "m1",
	                                  "-ob.db", "--secret", "y", NULL};
	struct run r = {&t_cmd, 0, NULL, {0}, 0, {0}, 0};
	char **argv = r.argv = args(src, &r.argc);
	int ret;
	char *err = capture_stderr(parse, &r, &ret);
	VS_ASSERT_INT(ret, VS_CLI_END);
	VS_ASSERT_STR(err, "");
	VS_ASSERT_INT(r.n, 5);
	VS_ASSERT_INT(r.ids[0], T_FORCE);
	CU_ASSERT_PTR_NULL(r.values[0]);
	VS_ASSERT_INT(r.ids[1], T_OUT);
	VS_ASSERT_STR(r.values[1], "a.db");
	VS_ASSERT_INT(r.ids[2], T_MODE);
	VS_ASSERT_STR(r.values[2], "m1");
	VS_ASSERT_INT(r.ids[3], T_OUT);
	VS_ASSERT_STR(r.values[3], "b.db");
	VS_ASSERT_INT(r.ids[4], T_SECRET); /* hidden options still parse */
	/* operands are moved after the options: x, y */
	VS_ASSERT_INT(r.operand, 7);
	VS_ASSERT_STR(argv[7], "x");
	VS_ASSERT_STR(argv[8], "y");
	free(err);
	args_free(argv);
}

static void test_operand_ends_options(void)
{
	static const char *const src[] = {"tool", "-f", "prog", "-o", "x", NULL};
	struct run r = {&t_cmd_stop, 0, NULL, {0}, 0, {0}, 0};
	char **argv = r.argv = args(src, &r.argc);
	int ret;
	char *err = capture_stderr(parse, &r, &ret);
	VS_ASSERT_INT(ret, VS_CLI_END);
	VS_ASSERT_INT(r.n, 1);
	VS_ASSERT_INT(r.ids[0], T_FORCE);
	VS_ASSERT_INT(r.operand, 2);
	VS_ASSERT_STR(argv[r.operand], "prog");
	VS_ASSERT_STR(argv[r.operand + 1], "-o"); /* the program's own option */
	free(err);
	args_free(argv);
}

static void test_parse_errors(void)
{
	static const struct {
		const char *arg;
		const char *err;
	} cases[] = {
		{"--bogus", "tool: sub: unknown option '--bogus' (see 'tool sub --help')\n"},
		{"--bogus=1", "tool: sub: unknown option '--bogus' (see 'tool sub --help')\n"},
		{"-x", "tool: sub: unknown option '-x' (see 'tool sub --help')\n"},
		{"-o", "tool: sub: option '-o' needs a value (see 'tool sub --help')\n"},
		{"--mode", "tool: sub: option '--mode' needs a value (see 'tool sub --help')\n"},
		{"--force=1", "tool: sub: unknown option '--force' (see 'tool sub --help')\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *const src[] = {"sub", cases[i].arg, NULL};
		struct run r = {&t_cmd, 0, NULL, {0}, 0, {0}, 0};
		int ret;
		r.argv = args(src, &r.argc);
		char *err = capture_stderr(parse, &r, &ret);
		VS_ASSERT_INT(ret, VS_CLI_ERROR);
		VS_ASSERT_STR(err, cases[i].err);
		free(err);
		args_free(r.argv);
	}
}

static void test_help_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	vs_cli_help(f, &t_cmd);
	fclose(f);
	VS_ASSERT_STR(buf, "usage: tool sub [-o FILE] ARG...\n"
	                   "       tool sub -f ARG\n"
	                   "\n"
	                   "About text.\n"
	                   "\n"
	                   "options:\n"
	                   "  -o, --output FILE  write FILE\n"
	                   "  -f, --force        replace FILE\n"
	                   "      --mode M       first line\n"
	                   "                     second line\n"
	                   "\n"
	                   "Footer.\n");
	free(buf);
}

static int usage_error(void *arg)
{
	(void)arg;
	return vs_cli_usage_error(&t_cmd_stop, "bad %s '%d'", "thing", 7);
}

static void test_usage_error_and_status(void)
{
	int ret;
	char *err = capture_stderr(usage_error, NULL, &ret);
	VS_ASSERT_INT(ret, VS_EXIT_USAGE);
	VS_ASSERT_STR(err, "tool: bad thing '7' (see 'tool --help')\n");
	free(err);
	VS_ASSERT_INT(vs_cli_exit_status(VS_ERR_NOMEM), VS_EXIT_INTERNAL);
	VS_ASSERT_INT(vs_cli_exit_status(VS_ERR_INTERNAL), VS_EXIT_INTERNAL);
	VS_ASSERT_INT(vs_cli_exit_status(VS_ERR_NOT_FOUND), VS_EXIT_USAGE);
	VS_ASSERT_INT(vs_cli_exit_status(VS_ERR_FORMAT), VS_EXIT_USAGE);
	VS_ASSERT_INT(VS_EXIT_OK, 0);
	VS_ASSERT_INT(VS_EXIT_FINDINGS, 1);
	VS_ASSERT_INT(VS_EXIT_USAGE, 2);
	VS_ASSERT_INT(VS_EXIT_INTERNAL, 3);
}

struct fail_arg {
	int code;
	vs_error err;
};

static int fail_fn(void *arg)
{
	struct fail_arg *a = arg;
	return vs_cli_fail("tool", a->code, &a->err);
}

static void test_fail_line(void)
{
	struct fail_arg a;
	int ret;
	char *err;
	vs_error_init(&a.err);
	a.code = vs_error_set(&a.err, VS_ERR_NOT_FOUND, "'x.db': no such file");
	err = capture_stderr(fail_fn, &a, &ret);
	VS_ASSERT_INT(ret, VS_EXIT_USAGE);
	VS_ASSERT_STR(err, "tool: 'x.db': no such file\n");
	free(err);
	vs_error_init(&a.err); /* empty message: the code's name */
	a.code = VS_ERR_NOMEM;
	err = capture_stderr(fail_fn, &a, &ret);
	VS_ASSERT_INT(ret, VS_EXIT_INTERNAL);
	{
		char want[128];
		snprintf(want, sizeof want, "tool: %s\n", vs_err_name(VS_ERR_NOMEM));
		VS_ASSERT_STR(err, want);
	}
	free(err);
}

VS_SUITE_FN(cli_options)
{
	static const vs_test_case cases[] = {
		VS_TEST(test_parse_options),
		VS_TEST(test_operand_ends_options),
		VS_TEST(test_parse_errors),
		VS_TEST(test_help_text),
		VS_TEST(test_usage_error_and_status),
		VS_TEST(test_fail_line),
		VS_TEST_END};
	vs_test_add_suite("cli_options", NULL, NULL, cases);
}
