/* stress-parent CHILD: a foreign program (started through ldshim) that
 * checks it sees no injected variable, then becomes CHILD, passing its
 * environment on unchanged. Exit 3 if LD_LIBRARY_PATH is visible. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (getenv("LD_LIBRARY_PATH")) {
		fprintf(stderr, "stress-parent: LD_LIBRARY_PATH leaked: %s\n",
		        getenv("LD_LIBRARY_PATH"));
		return 3;
	}
	execve(argv[1], argv + 1, environ);
	perror(argv[1]);
	return 127;
}
