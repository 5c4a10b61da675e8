/* unwind-probe: unwinds from main with libunwind, then lists glibc's
 * backtrace() from main the same way, "frame SYMBOL FILE ADDR" (SYMBOL:
 * dladdr's, linked -rdynamic so that main and _start are exported). Its
 * library libunwctor.so.1 unwinds from a constructor first. */
#define _GNU_SOURCE
#include <execinfo.h>
#include "walk.h"

/* Whether a file is mapped at the interpreter path (ldshim in the
 * simulated NixOS, so that "no frame in ldshim" is not vacuous), and how
 * the real ld.so is mapped elsewhere ("ldso PERMS OFFSET" per mapping, as
 * unwinders that read /proc/self/maps see it). */
static void maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096], perms[8];
	unsigned long off;
	int seen = 0;
	printf("== maps\n");
	while (f && fgets(line, sizeof line, f)) {
		if (strstr(line, " /lib64/ld-linux-x86-64.so.2\n") ||
		    strstr(line, " /usr/lib64/ld-linux-x86-64.so.2\n"))
			seen = 1;
		else if (strstr(line, "/ld-linux-x86-64.so.2\n") &&
		         sscanf(line, "%*s %7s %lx", perms, &off) == 2)
			printf("ldso %s %#lx\n", perms, off);
	}
	if (f)
		fclose(f);
	printf("end maps\n== interpreter path mapped: %s\n", seen ? "yes" : "no");
}

int main(void)
{
	walk("main");
	void *ips[64];
	int n = backtrace(ips, 64);
	printf("== backtrace\n");
	for (int i = 0; i < n; i++) {
		Dl_info di;
		const char *sym = "?";
		char path[4096];
		uintptr_t ip = (uintptr_t)ips[i], base = 0;
		if (dladdr((void *)(ip - 1), &di)) {
			if (di.dli_sname)
				sym = di.dli_sname;
			base = (uintptr_t)di.dli_fbase;
		}
		walk_object(ip, path, sizeof path);
		printf("frame %s %s %#lx\n", sym, path[0] ? path : "?",
		       (unsigned long)(ip - 1 - base));
	}
	printf("end %d\n", n);
	maps();
	return 0;
}
