/* bench/store/probe.c STORE NAME...: three ways to find which store
 * entries hold lib/NAME or lib64/NAME, timed on the same warm store.
 *   direct: for every name, one faccessat of <entry>/lib/NAME and
 *           <entry>/lib64/NAME per entry
 *   dirs:   one faccessat of <entry>/lib and <entry>/lib64 per entry,
 *           then one per name in each directory that exists
 *           (what ldshim-check does)
 *   index:  read every lib/ and lib64/ directory once (openat, getdents64)
 * The store listing (readdir, store names only, no regular files) is
 * common to all three and timed apart. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s STORE NAME...\n", argv[0]);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(dup(fd)) : 0;
	if (!d) {
		perror(argv[1]);
		return 2;
	}
	double t0 = now_ms();
	char **ents = 0;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_type == DT_REG || l < 34 || e->d_name[32] != '-' ||
		    (l > 4 && !strcmp(e->d_name + l - 4, ".drv")))
			continue;
		if (n == cap)
			ents = realloc(ents, (cap = cap ? 2 * cap : 1024) * sizeof *ents);
		ents[n++] = strdup(e->d_name);
	}
	closedir(d);
	double t1 = now_ms();
	char buf[4096];
	size_t hits = 0;
	for (int k = 2; k < argc; k++)
		for (size_t i = 0; i < n; i++)
			for (int s = 0; s < 2; s++) {
				snprintf(buf, sizeof buf, "%s/%s/%s", ents[i], s ? "lib64" : "lib", argv[k]);
				hits += faccessat(fd, buf, F_OK, 0) == 0;
			}
	double t2 = now_ms();
	char **dirs = malloc(2 * n * sizeof *dirs);
	size_t nd = 0, hits2 = 0;
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < 2; s++) {
			snprintf(buf, sizeof buf, "%s/%s", ents[i], s ? "lib64" : "lib");
			if (faccessat(fd, buf, F_OK, 0) == 0)
				dirs[nd++] = strdup(buf);
		}
	double t3 = now_ms();
	for (int k = 2; k < argc; k++)
		for (size_t i = 0; i < nd; i++) {
			snprintf(buf, sizeof buf, "%s/%s", dirs[i], argv[k]);
			hits2 += faccessat(fd, buf, F_OK, 0) == 0;
		}
	double t4 = now_ms();
	static char dents[1 << 16];
	size_t names = 0;
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < 2; s++) {
			snprintf(buf, sizeof buf, "%s/%s", ents[i], s ? "lib64" : "lib");
			int l = openat(fd, buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (l < 0)
				continue;
			long r;
			while ((r = syscall(SYS_getdents64, l, dents, sizeof dents)) > 0)
				for (long o = 0; o < r; o += *(unsigned short *)(dents + o + 16))
					names++;
			close(l);
		}
	double t5 = now_ms();
	int k = argc - 2;
	printf("listing: %zu entries worth a look, %.1f ms\n", n, t1 - t0);
	printf("direct:  %d name%s, %.1f ms (%zu found)\n", k, k == 1 ? "" : "s", t2 - t1, hits);
	printf("dirs:    %zu library directories, %.1f ms, then %d name%s, %.1f ms (%zu found)\n",
	       nd, t3 - t2, k, k == 1 ? "" : "s", t4 - t3, hits2);
	printf("index:   %zu directory entries read, %.1f ms\n", names, t5 - t4);
	return hits == hits2 ? 0 : 1;
}
