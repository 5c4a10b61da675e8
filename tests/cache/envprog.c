/* Needs libctorenv.so.1 (whose constructor prints its view of the
 * environment); prints main's view after it. */
#include <stdio.h>

int ctorenv_linked(void);

int main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	ctorenv_linked();
	for (char **e = envp; *e; e++)
		printf("main env %s\n", *e);
	return 0;
}
