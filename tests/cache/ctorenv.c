/* A library constructor's view of the environment: it runs before the
 * program's entry (and before ldshim's trampoline, where there is one).
 * Prints every entry of environ, then LD_AUDIT and LD_LIBRARY_PATH as
 * getenv sees them. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

__attribute__((constructor)) static void show(void)
{
	for (char **e = environ; *e; e++)
		printf("ctor env %s\n", *e);
	printf("ctor LD_AUDIT %s\n", getenv("LD_AUDIT") ? getenv("LD_AUDIT") : "unset");
	printf("ctor LD_LIBRARY_PATH %s\n",
	       getenv("LD_LIBRARY_PATH") ? getenv("LD_LIBRARY_PATH") : "unset");
}

int ctorenv_linked(void)
{
	return 1;
}
