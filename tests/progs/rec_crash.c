/* SPDX-License-Identifier: MIT */
/* tests/progs/rec_crash.c - N (argv[2]) get_variable calls on the main
 * thread and, with argv[3] = T, T threads that each make N calls and wait,
 * then dies by argv[1]: "kill" (SIGKILL itself) or "segv" (a NULL write).
 * Nothing is flushed: the last events are committed but unpublished. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "tests/progs/progs.h"

static int n_calls;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int done;

static void *worker(void *arg)
{
	char scope[16];
	snprintf(scope, sizeof scope, "t%d", (int)(long)arg);
	prog_work(scope, n_calls);
	pthread_mutex_lock(&mu);
	done++;
	pthread_cond_broadcast(&cv);
	for (;;) /* stays alive: its thread is unfinished at the crash */
		pthread_cond_wait(&cv, &mu);
	return NULL;
}

int main(int argc, char **argv)
{
	int t = prog_count(argc, argv, 3, 0);
	pthread_t th;
	n_calls = prog_count(argc, argv, 2, 10);
	if (argc < 2)
		return 2;
	prog_work("main", n_calls);
	for (int i = 0; i < t; i++)
		if (vs_thread_create(&th, NULL, worker, (void *)(long)i) != 0)
			return 3;
	pthread_mutex_lock(&mu);
	while (done < t)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	if (!strcmp(argv[1], "kill"))
		raise(SIGKILL);
	if (!strcmp(argv[1], "segv")) {
		/* a real fault at an unmapped address (not NULL: the undefined
		 * behaviour sanitizer would catch that before the fault) */
		volatile uintptr_t bad = 8;
		*(volatile int *)bad = 1;
	}
	return 2;
}
