/* SPDX-License-Identifier: MIT */
/* tests/progs/rec_threads.c - T threads (argv[1], default 4), each making N
 * (argv[2], default 100) get_variable calls in its own scope "tK". */
#include <pthread.h>

#include "tests/progs/progs.h"

static int per_thread;

static void *worker(void *arg)
{
	char scope[16];
	snprintf(scope, sizeof scope, "t%d", (int)(long)arg);
	prog_work(scope, per_thread);
	return NULL;
}

int main(int argc, char **argv)
{
	int t = prog_count(argc, argv, 1, 4);
	pthread_t th[64];
	per_thread = prog_count(argc, argv, 2, 100);
	if (t < 1 || t > 64)
		return 2;
	for (int i = 0; i < t; i++)
		if (vs_thread_create(&th[i], NULL, worker, (void *)(long)i) != 0)
			return 3;
	for (int i = 0; i < t; i++)
		pthread_join(th[i], NULL);
	return 0;
}
