/* The program the tools look at, a foreign binary started through ldshim.
 *   toolprog wait    print "ready PID" and block reading stdin (gdb -p)
 *   toolprog leak    lose a 4242-byte block (valgrind must find it), print
 *                    the environment as the program sees it
 *   toolprog spin N  burn CPU in the program and in its library (perf)
 *   toolprog calls   a few recognisable syscalls (strace) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

extern int tool_lib_ready;
unsigned long tool_lib_spin(unsigned long n);

__attribute__((noinline)) unsigned long tool_prog_spin(unsigned long n)
{
	volatile unsigned long x = 1;
	for (unsigned long i = 0; i < n; i++)
		x = x * 6364136223846793005u + i;
	return x;
}

__attribute__((noinline)) static void *lose(void)
{
	char *p = malloc(4242);
	memset(p, 7, 4242);
	return p;
}

void *volatile lost;

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "wait")) {
		char c;
		printf("ready %d\n", (int)getpid());
		fflush(stdout);
		while (read(0, &c, 1) > 0)
			;
		return 0;
	}
	if (!strcmp(mode, "leak")) {
		lost = lose();
		lost = 0;
		printf("toolprog: lib %d\n", tool_lib_ready);
		for (char **e = environ; *e; e++)
			printf("env %s\n", *e);
		return 0;
	}
	if (!strcmp(mode, "spin")) {
		unsigned long n = argc > 2 ? strtoul(argv[2], 0, 10) : 100000000;
		printf("toolprog: %lu %lu\n", tool_prog_spin(n), tool_lib_spin(n));
		return 0;
	}
	if (!strcmp(mode, "calls")) {
		int fd = open("/toolprog-no-such-file", O_RDONLY);
		printf("toolprog: open gave %d, lib %d\n", fd, tool_lib_ready);
		return 0;
	}
	fprintf(stderr, "usage: toolprog wait|leak|spin [N]|calls\n");
	return 2;
}
