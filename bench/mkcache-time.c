/* The shim's automatic cache writer (shim/mkcache.c's mkcache_write),
 * timed: the shim's own code, compiled hosted as ldshim-check compiles
 * it (build/check-tool/libcheck.a), so that bench/cache-gen.sh can time
 * it on the same directories as ldshim-cache. A start that writes the
 * cache spends this on top of its usual time, once per library path.
 *
 *   mkcache-time FILE PATH RUNS    prints each run's wall time in µs */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mkcache.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: mkcache-time FILE PATH RUNS\n", stderr);
		return 2;
	}
	for (int i = 0, runs = atoi(argv[3]); i < runs; i++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		const char *why = mkcache_write(argv[1], argv[2]);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (why) {
			fprintf(stderr, "mkcache-time: %s: %s\n", argv[1], why);
			return 1;
		}
		printf("%ld\n", (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000);
	}
	return 0;
}
