/* SPDX-License-Identifier: MIT */
/*
 * tracer/autotrace.c - turns tracing on from the environment when libvs is
 * loaded, so programs need no code to be recorded.
 *
 *   VSTRACE_SHM=dir      (set by `vstrace record`): attach a ring sink whose
 *                        segment lives in dir; the vstrace parent drains it.
 *   VSTRACE_OUTPUT=path  (no VSTRACE_SHM): make a private ring directory,
 *                        spawn `vstrace record --drain` (VSTRACE_BIN, else
 *                        vstrace from PATH) to drain it into path, and attach
 *                        the same ring sink.  libvs itself never links SQLite.
 *   neither              tracing stays off.
 * VSTRACE_MODE and VSTRACE_BUFFER are validated like `vstrace record`'s
 * --mode and --buffer-size; every variable is read with secure_getenv.
 * Invariants: the process never writes into a ring nobody will drain (the
 * drain confirms it holds the recorder lock before the sink is attached,
 * and VSTRACE_SHM must name a private directory whose recorder lock is
 * held), and never creates ring files anywhere else.  This file and the
 * ring sink (tracer/ring.c: rings smaller than asked, a thread without a
 * ring, a recorder gone) are the only places libvs prints: one stderr line
 * each, when recording cannot go as asked and there is no caller to
 * return an error to; the program runs all the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tracer/ring.h"
#include "vs/sink.h"

/* see tracer/ring.h: referenced by the runtime so this file is linked */
const char vs_autotrace_anchor = 1;

/* Defined (as 1) by programs that must never trace themselves: vstrace. */
extern const int vs_autotrace_off __attribute__((weak));

#define DRAIN_DONE_FD 3 /* the drain's end of the done pipe */
#define DRAIN_START_TIMEOUT_MS 10000
#define DRAIN_FINISH_TIMEOUT_MS 10000 /* of silence: the drain beats while it converts */

extern char **environ;

static vs_ring_sink *auto_sink; /* attached; NULL once closed or replaced */
static vs_ring_sink *auto_keep; /* the same sink, kept (lingering) until exit */
static int auto_done_fd = -1;   /* read end: EOF when the drain is done */
static pid_t auto_root_pid;     /* the process that started the drain */

/* "vstrace: MESSAGE; tracing is off" */
static void off(const char *fmt, ...) VS_PRINTF(1, 2);
static void off(const char *fmt, ...)
{
	char msg[PATH_MAX + 256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "vstrace: %s; tracing is off\n", msg);
}

/* the ring configuration from VSTRACE_MODE and VSTRACE_BUFFER, checked as
 * `vstrace record` checks --mode and --buffer-size: 0, or -1 (said why) */
static int read_config(vs_ring_config *cfg, const char *dir)
{
	const char *mode = secure_getenv(VS_ENV_MODE), *buf = secure_getenv(VS_ENV_BUFFER);
	memset(cfg, 0, sizeof *cfg);
	cfg->dir = dir;
	if (mode && *mode) {
		if (strcmp(mode, "block") && strcmp(mode, "discard")) {
			off("invalid " VS_ENV_MODE " '%s': want 'block' or 'discard'", mode);
			return -1;
		}
		cfg->discard = !strcmp(mode, "discard");
	}
	if (buf && *buf) {
		char *end;
		errno = 0;
		unsigned long n = buf[0] >= '0' && buf[0] <= '9' ? strtoul(buf, &end, 10) : 0;
		if (errno || n == 0 || *end || n < VS_RING_MIN_SLOTS || n > VS_RING_MAX_SLOTS ||
		    (n & (n - 1))) {
			off("invalid " VS_ENV_BUFFER " '%s': want a power of two from %u to %u",
			    buf, VS_RING_MIN_SLOTS, VS_RING_MAX_SLOTS);
			return -1;
		}
		cfg->slots = (uint32_t)n;
	}
	return 0;
}

static int attach(vs_ring_sink *s)
{
	vs_error err;
	if (vs_trace_attach(vs_ring_sink_ops(), s, &err) < 0)
		return -1;
	auto_sink = s;
	auto_keep = s;
	vs_ring_sink_set_owner(s, &auto_sink);
	/* vs_runtime_shutdown before exit: the exit hook still closes the
	 * segment with the real status */
	vs_ring_sink_set_linger(s, 1);
	return 0;
}

/* removes the directory made for a drain that did not start */
static void remove_dir(const char *dir, const char *seg_path)
{
	char p[PATH_MAX + 32];
	if (seg_path)
		unlink(seg_path);
	snprintf(p, sizeof p, "%s/%s", dir, VS_RING_LOCK_NAME);
	unlink(p);
	rmdir(dir);
}

/* waits up to ms for one byte (or EOF) on fd: the byte, or -1 */
static int wait_byte(int fd, int ms)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	char c;
	for (;;) {
		int n = poll(&pfd, 1, ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		return r == 1 ? (unsigned char)c : -1;
	}
}

/* spawns the drain over dir with fd 3 = wfd; 0 or an errno */
static int spawn_drain(const char *dir, const char *output, int wfd)
{
	const char *bin = secure_getenv(VS_ENV_BIN);
	char fdarg[16];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	pid_t pid;
	snprintf(fdarg, sizeof fdarg, "%d", DRAIN_DONE_FD);
	char *argv[] = {(char *)(uintptr_t)(bin && *bin ? bin : "vstrace"),
	                (char *)(uintptr_t) "record",
	                (char *)(uintptr_t) "--drain",
	                (char *)(uintptr_t)dir,
	                (char *)(uintptr_t) "--done-fd",
	                fdarg,
	                (char *)(uintptr_t) "-f",
	                (char *)(uintptr_t) "-o",
	                (char *)(uintptr_t)output,
	                NULL};
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, wfd, DRAIN_DONE_FD);
	posix_spawnattr_init(&sa);
	/* its own process group: a Ctrl-C for the program does not stop it */
	posix_spawnattr_setpgroup(&sa, 0);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETPGROUP);
	int rc = posix_spawnp(&pid, argv[0], &fa, &sa, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	if (rc != 0)
		off("'%s': %s", argv[0], strerror(rc));
	return rc;
}

static void start_drain(const char *output)
{
	char dir[PATH_MAX] = "", outdir[PATH_MAX];
	const char *slash = strrchr(output, '/');
	vs_ring_sink *s = NULL;
	vs_ring_config cfg;
	vs_error err;
	int pfd[2] = {-1, -1};

	if (read_config(&cfg, dir) < 0)
		return;
	/* the output's directory is where rings go when /dev/shm is short */
	snprintf(outdir, sizeof outdir, "%.*s",
	         slash ? (int)(slash - output) + (slash == output) : 1, slash ? output : ".");
	if (vs_ring_dir_create(dir, sizeof dir, cfg.slots, outdir, NULL, &err) < 0) {
		off("%s", err.msg);
		return;
	}
	if (vs_ring_sink_open(&s, &cfg, &err) < 0 || pipe2(pfd, O_CLOEXEC) < 0) {
		off("'%s': cannot set up the trace rings: %s", dir, s ? strerror(errno) : err.msg);
		goto fail;
	}
	int rc = spawn_drain(dir, output, pfd[1]);
	close(pfd[1]);
	pfd[1] = -1;
	if (rc != 0)
		goto fail;
	if (wait_byte(pfd[0], DRAIN_START_TIMEOUT_MS) != 'R')
		goto fail;          /* the drain said why on stderr */
	setenv(VS_ENV_SHM, dir, 1); /* exec'd descendants join this drain */
	if (attach(s) < 0)
		goto fail;
	auto_done_fd = pfd[0];
	auto_root_pid = getpid();
	return;
fail:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	remove_dir(dir, s ? vs_ring_sink_path(s) : NULL);
	vs_ring_sink_free(s);
}

static void autotrace_exit(int status, void *arg)
{
	(void)arg;
	vs_ring_sink *s = auto_keep;
	if (!s)
		return;
	vs_ring_sink_exiting(s, status & 0xff);
	if (!auto_sink) { /* detached earlier (vs_runtime_shutdown): ours to free */
		auto_keep = NULL;
		vs_ring_sink_free(s);
	}
	if (auto_done_fd >= 0 && getpid() == auto_root_pid) {
		/* the drain closes its end once the trace file is complete, and
		 * writes a byte every half second while it makes it */
		while (wait_byte(auto_done_fd, DRAIN_FINISH_TIMEOUT_MS) >= 0)
			;
	}
}

/* a fork child keeps a sink only if it is attached (the runtime gave the
 * child a segment of its own); a detached one is the parent's */
static void autotrace_atfork_child(void)
{
	if (!auto_sink)
		auto_keep = NULL;
}

static void attach_shm(const char *shm)
{
	vs_ring_config cfg;
	vs_ring_sink *s = NULL;
	vs_error err;
	if (vs_ring_dir_check(shm, &err) < 0) {
		off(VS_ENV_SHM ": %s", err.msg);
		return;
	}
	if (read_config(&cfg, shm) < 0)
		return;
	if (vs_ring_sink_open(&s, &cfg, &err) < 0) {
		off("%s", err.msg);
		return;
	}
	if (attach(s) < 0)
		vs_ring_sink_free(s);
}

__attribute__((constructor)) static void autotrace_init(void)
{
	const char *shm = secure_getenv(VS_ENV_SHM), *out = secure_getenv(VS_ENV_OUTPUT);
	if (&vs_autotrace_off != NULL && vs_autotrace_off)
		return;
	if (shm && *shm)
		attach_shm(shm);
	else if (out && *out)
		start_drain(out);
	if (!auto_keep)
		return;
	pthread_atfork(NULL, NULL, autotrace_atfork_child);
	on_exit(autotrace_exit, NULL); /* like atexit, and gets the status */
}
