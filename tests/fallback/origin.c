/* A program linked with libmid, a library in a vendor directory of the Nix
 * path whose RUNPATH is $ORIGIN/sub (where its libsub is). It prints what
 * the libraries answer, the names dl_iterate_phdr and dladdr report, and
 * then dlopens and dlcloses a library found through the Nix path three
 * times (ld.so frees the name it keeps for it at each dlclose). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

const char *mid(void);

static int show(struct dl_phdr_info *i, size_t size, void *data)
{
	(void)size; (void)data;
	if (strstr(i->dlpi_name, "libmid") || strstr(i->dlpi_name, "libsub"))
		printf("phdr %s\n", i->dlpi_name);
	return 0;
}

int main(void)
{
	printf("mid %s\n", mid());
	dl_iterate_phdr(show, 0);
	Dl_info d;
	if (dladdr((void *)mid, &d))
		printf("dladdr %s\n", d.dli_fname);
	for (int k = 0; k < 3; k++) {
		void *h = dlopen("libplug.so", RTLD_NOW);
		if (!h) { printf("dlopen %s\n", dlerror()); return 1; }
		struct link_map *m;
		dlinfo(h, RTLD_DI_LINKMAP, &m);
		printf("plug %s\n", m->l_name);
		dlclose(h);
	}
	return 0;
}
