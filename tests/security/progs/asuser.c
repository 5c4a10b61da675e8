/* asuser UID GID CMD [ARGS...]: drop every group, become UID:GID for good
 * and exec CMD with this process's environment unchanged. Static, so that
 * it runs inside the simulated NixOS where no system loader exists (which
 * setpriv and runuser, being dynamically linked, would need). */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: asuser UID GID CMD [ARGS...]\n");
		return 2;
	}
	uid_t uid = (uid_t)atol(argv[1]);
	gid_t gid = (gid_t)atol(argv[2]);
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid)) {
		perror("asuser");
		return 126;
	}
	execve(argv[3], argv + 3, environ);
	perror(argv[3]);
	return 127;
}
