/* SPDX-License-Identifier: MIT */
/*
 * tracer/autotrace.c - turns tracing on from the environment when libvs is
 * loaded, so programs need no code to be recorded.
 *
 *   VSTRACE_SHM=dir      (set by `vstrace record`): attach a ring sink whose
 *                        segment lives in dir; the vstrace parent drains it.
 *   VSTRACE_OUTPUT=path  (no VSTRACE_SHM): make a shared-memory directory,
 *                        spawn `vstrace record --drain` (VSTRACE_BIN, else
 *                        vstrace from PATH) to drain it into path, and attach
 *                        the same ring sink.  libvs itself never links SQLite.
 *   neither              tracing stays off.
 * Invariant: the process never writes into a ring nobody will drain: the
 * drain confirms it holds the recorder lock before the sink is attached.
 * This is the one place libvs prints: a single stderr line when the
 * environment asks for tracing that cannot be set up (there is no caller to
 * return an error to), and tracing then stays off.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
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

#define DRAIN_DONE_FD 3          /* the drain's end of the done pipe */
#define DRAIN_START_TIMEOUT_MS 10000
#define DRAIN_FINISH_TIMEOUT_MS 30000

extern char **environ;

static vs_ring_sink *auto_sink;   /* NULL once closed or replaced */
static int auto_done_fd = -1;     /* read end: EOF when the drain is done */
static pid_t auto_root_pid;       /* the process that started the drain */

static void read_config(vs_ring_config *cfg, const char *dir)
{
	const char *mode = getenv(VS_ENV_MODE), *buf = getenv(VS_ENV_BUFFER);
	memset(cfg, 0, sizeof *cfg);
	cfg->dir = dir;
	cfg->discard = mode && !strcmp(mode, "discard");
	if (buf && *buf) {
		char *end;
		unsigned long n = strtoul(buf, &end, 10);
		if (!*end && n >= VS_RING_MIN_SLOTS && n <= VS_RING_MAX_SLOTS)
			cfg->slots = (uint32_t)n;
	}
}

static int attach(vs_ring_sink *s)
{
	vs_error err;
	if (vs_trace_attach(vs_ring_sink_ops(), s, &err) < 0)
		return -1;
	auto_sink = s;
	vs_ring_sink_set_owner(s, &auto_sink);
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

static void start_drain(const char *output)
{
	char dir[PATH_MAX], lock[PATH_MAX + 32], fdarg[16];
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	const char *bin = getenv(VS_ENV_BIN);
	vs_ring_sink *s = NULL;
	vs_ring_config cfg;
	vs_error err;
	int pfd[2] = {-1, -1}, lfd;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	pid_t pid;

	snprintf(dir, sizeof dir, "%s/vstrace-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "vstrace: '%s': %s: tracing is off\n", dir, strerror(errno));
		return;
	}
	snprintf(lock, sizeof lock, "%s/%s", dir, VS_RING_LOCK_NAME);
	lfd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (lfd >= 0)
		close(lfd);
	read_config(&cfg, dir);
	if (lfd < 0 || vs_ring_sink_open(&s, &cfg, &err) < 0 || pipe2(pfd, O_CLOEXEC) < 0) {
		fprintf(stderr, "vstrace: '%s': cannot set up the trace rings: tracing is off\n",
		        dir);
		goto fail;
	}
	snprintf(fdarg, sizeof fdarg, "%d", DRAIN_DONE_FD);
	char *argv[] = {(char *)(uintptr_t)(bin && *bin ? bin : "vstrace"),
	                (char *)(uintptr_t)"record", (char *)(uintptr_t)"--drain", dir,
	                (char *)(uintptr_t)"--done-fd", fdarg, (char *)(uintptr_t)"-f",
	                (char *)(uintptr_t)"-o", (char *)(uintptr_t)output, NULL};
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], DRAIN_DONE_FD);
	posix_spawnattr_init(&sa);
	/* its own process group: a Ctrl-C for the program does not stop it */
	posix_spawnattr_setpgroup(&sa, 0);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETPGROUP);
	int rc = posix_spawnp(&pid, argv[0], &fa, &sa, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	close(pfd[1]);
	pfd[1] = -1;
	if (rc != 0) {
		fprintf(stderr, "vstrace: '%s': %s: tracing is off\n", argv[0], strerror(rc));
		goto fail;
	}
	if (wait_byte(pfd[0], DRAIN_START_TIMEOUT_MS) != 'R')
		goto fail; /* the drain said why on stderr */
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
	if (auto_sink) {
		vs_ring_sink_exiting(auto_sink, status & 0xff);
		if (auto_done_fd >= 0 && getpid() == auto_root_pid) {
			/* the drain closes its end once the trace file is complete */
			while (wait_byte(auto_done_fd, DRAIN_FINISH_TIMEOUT_MS) >= 0)
				;
		}
	}
}

__attribute__((constructor)) static void autotrace_init(void)
{
	const char *shm = getenv(VS_ENV_SHM), *out = getenv(VS_ENV_OUTPUT);
	if (&vs_autotrace_off != NULL && vs_autotrace_off)
		return;
	if (shm && *shm) {
		vs_ring_config cfg;
		vs_ring_sink *s = NULL;
		vs_error err;
		read_config(&cfg, shm);
		if (vs_ring_sink_open(&s, &cfg, &err) < 0) {
			fprintf(stderr, "vstrace: %s: tracing is off\n", err.msg);
			return;
		}
		if (attach(s) < 0) {
			vs_ring_sink_free(s);
			return;
		}
	} else if (out && *out) {
		start_drain(out);
	} else {
		return;
	}
	on_exit(autotrace_exit, NULL); /* like atexit, and gets the status */
}
