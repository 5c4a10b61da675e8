/* whoprog [spawn]: a foreign program that needs libwho.so.1. Prints the
 * library it got, its argv and its environment, one line each. With
 * "spawn" it then runs itself again (argv[0], argument "child") with its
 * environ unchanged, so the child's lines show what a child inherits. */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;
const char *who(void);

int main(int argc, char **argv)
{
	printf("who: %s\n", who());
	for (int i = 0; i < argc; i++)
		printf("argv[%d]: %s\n", i, argv[i]);
	for (char **e = environ; *e; e++)
		printf("env: %s\n", *e);
	fflush(stdout);
	if (argc > 1 && strcmp(argv[1], "spawn") == 0) {
		char *cargv[] = { argv[0], "child", 0 };
		pid_t pid;
		int st;
		if (posix_spawn(&pid, argv[0], 0, 0, cargv, environ) != 0 ||
		    waitpid(pid, &st, 0) != pid)
			return 2;
		return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
	}
	return 0;
}
