/* libprog: a foreign program with a DT_NEEDED library from the store.
 *   libprog            print which libgreet it got
 *   libprog dlopen     also dlopen libextra.so.1 by soname and call it */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

const char *greet_who(void);

int main(int argc, char **argv)
{
	printf("greet: %s\n", greet_who());
	if (argc > 1 && strcmp(argv[1], "dlopen") == 0) {
		void *h = dlopen("libextra.so.1", RTLD_NOW);
		if (!h) {
			printf("dlopen: %s\n", dlerror());
			return 1;
		}
		const char *(*who)(void) = (const char *(*)(void))dlsym(h, "extra_who");
		printf("dlopen: %s\n", who ? who() : dlerror());
	}
	return 0;
}
