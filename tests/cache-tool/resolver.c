/* resolver NAME...: dlopen each NAME as a program would and print where
 * the real ld.so found it, "NAME => PATH", or "NAME => error" (ld.so's
 * message on stderr). Each library is closed again before the next, so
 * that every name is searched for afresh (ld.so would otherwise match an
 * object already loaded from the same file). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		void *h = dlopen(argv[i], RTLD_LAZY | RTLD_LOCAL);
		struct link_map *map = 0;
		if (!h || dlinfo(h, RTLD_DI_LINKMAP, &map) != 0 || !map) {
			printf("%s => error\n", argv[i]);
			fprintf(stderr, "%s: %s\n", argv[i], dlerror());
			continue;
		}
		printf("%s => %s\n", argv[i], map->l_name);
		dlclose(h);
	}
	return 0;
}
