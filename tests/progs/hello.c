/* hello: the smallest foreign program; prints its environment. */
#include <stdio.h>
extern char **environ;
int main(void)
{
	puts("hello from a foreign program");
	for (char **e = environ; *e; e++)
		printf("env %s\n", *e);
	return 0;
}
