/* spawn CHILD DIR: a foreign parent. Writes the environment its main was
 * given to DIR/parent.env, then runs CHILD DIR/<how>.env three ways, each
 * passing the parent's environ unchanged: posix_spawn, system() (through
 * /bin/sh), and finally execve in place of itself. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void dump(const char *path, char **envp)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror(path);
		exit(2);
	}
	for (char **e = envp; *e; e++)
		if (write(fd, *e, strlen(*e) + 1) < 0)
			exit(2);
	close(fd);
}

static void status(const char *how, int st)
{
	if (WIFEXITED(st))
		printf("%s: exit %d\n", how, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: signal %d\n", how, WTERMSIG(st));
	fflush(stdout);
}

int main(int argc, char **argv, char **envp)
{
	char out[4096];
	if (argc < 3) {
		fprintf(stderr, "usage: spawn CHILD DIR\n");
		return 2;
	}
	const char *child = argv[1], *dir = argv[2];
	snprintf(out, sizeof out, "%s/parent.env", dir);
	dump(out, envp);
	fflush(stdout);

	snprintf(out, sizeof out, "%s/posix_spawn.env", dir);
	char *args[] = { (char *)child, out, NULL };
	pid_t pid;
	int st, r = posix_spawn(&pid, child, NULL, NULL, args, environ);
	if (r != 0) {
		printf("posix_spawn: %s\n", strerror(r));
	} else {
		waitpid(pid, &st, 0);
		status("posix_spawn", st);
	}

	char cmd[8192];
	snprintf(cmd, sizeof cmd, "%s %s/system.env", child, dir);
	status("system", system(cmd));

	snprintf(out, sizeof out, "%s/execve.env", dir);
	execve(child, args, environ);
	perror("execve");
	return 127;
}
