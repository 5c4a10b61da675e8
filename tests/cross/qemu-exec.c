/* qemu-exec: a host program that runs a guest program under qemu-user,
 * so that a guest can start a child of its own architecture on a machine
 * without binfmt_misc (qemu-user's execve runs the file natively, and a
 * foreign ELF fails with ENOEXEC). The guest executes this file instead
 * (its path is a host path, or a guest path opened and run by fd), and it
 * goes on as
 *
 *   QEMU -L ROOT -0 argv[0] -E <environ, last first> PROG argv[1..]
 *
 * built with -DQEMU=... -DROOT=... and -DPROG=... ; without PROG the
 * guest program is argv[1] and its arguments follow. The environment is
 * passed with -E from an empty one (qemu's own environment stays empty,
 * so no LD_LIBRARY_PATH of the guest's reaches the host qemu); qemu builds
 * the guest's list in reverse order of the -E options, hence last first.
 * Limit: qemu keeps one entry per name and drops entries without '='. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int envc = 0, i, k = 0;
	while (environ[envc])
		envc++;
	char **a = calloc((size_t)(argc + 2 * envc + 8), sizeof *a);
	if (!a)
		return 126;
	a[k++] = QEMU;
	a[k++] = "-L";
	a[k++] = ROOT;
	a[k++] = "-0";
	a[k++] = argv[0];
	for (i = envc - 1; i >= 0; i--) {
		a[k++] = "-E";
		a[k++] = environ[i];
	}
#ifdef PROG
	a[k++] = PROG;
	i = 1;
#else
	if (argc < 2) {
		fprintf(stderr, "usage: qemu-exec GUEST-PROGRAM [ARGS...]\n");
		return 126;
	}
	i = 1;
#endif
	for (; i < argc; i++)
		a[k++] = argv[i];
	char *none[] = { NULL };
	execve(QEMU, a, none);
	perror(QEMU);
	return 127;
}
