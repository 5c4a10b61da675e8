/* The debuggee: a foreign program that dlopen()s a plugin by soname from
 * the Nix library path, calls it, and (with an argument) crashes. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	void *h = dlopen("libplugin.so", RTLD_NOW);
	if (!h) {
		fprintf(stderr, "debuggee: %s\n", dlerror());
		return 1;
	}
	int (*answer)(void) = (int (*)(void))dlsym(h, "plugin_answer");
	printf("debuggee: plugin says %d\n", answer());
	if (argc > 1)
		*(volatile int *)0 = 1;
	return 0;
}
