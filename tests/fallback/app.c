/* Says which libfoo.so.1 it was linked with, which one dlopen() gives,
 * which one libbar's dependency got, and whether LD_AUDIT is visible. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

const char *foo_version(void);

int main(void)
{
	printf("linked %s\n", foo_version());
	void *h = dlopen("libfoo.so.1", RTLD_NOW);
	const char *(*f)(void) = h ? (const char *(*)(void))dlsym(h, "foo_version") : 0;
	printf("dlopen %s\n", f ? f() : dlerror());
	void *b = dlopen("libbar.so.1", RTLD_NOW);
	const char *(*g)(void) = b ? (const char *(*)(void))dlsym(b, "bar_version") : 0;
	printf("bar %s\n", g ? g() : dlerror());
	printf("LD_AUDIT %s\n", getenv("LD_AUDIT") ? getenv("LD_AUDIT") : "unset");
	return 0;
}
