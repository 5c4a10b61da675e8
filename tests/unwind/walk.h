/* walk(): unwind from the caller's own frame with libunwind and print one
 * line per frame: "frame NAME FILE ADDR": libunwind's procedure name, the
 * file the IP is mapped from, and the address in that file's own terms
 * (IP - 1 minus the load base: inside the call, for a debugger's symbol
 * lookup), then "end N" with unw_step's last result (0: the unwinder found
 * the outermost frame). A frame whose IP lies in the
 * interpreter the kernel mapped at /lib64 or /usr/lib64 (ldshim inside the
 * simulated NixOS) adds a line "IN-LDSHIM ...". Inlined, so that it adds no
 * frame of its own. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* dladdr */
#endif
#define UNW_LOCAL_ONLY
#include <dlfcn.h>
#include <libunwind.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The file IP is mapped from, per /proc/self/maps, or "" if anonymous. */
static const char *walk_object(unsigned long ip, char *path, size_t cap)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	path[0] = 0;
	while (f && fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		int off = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &off) < 2 || !off)
			continue;
		if (ip >= lo && ip < hi) {
			snprintf(path, cap, "%s", line + off);
			path[strcspn(path, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	return path;
}

static inline __attribute__((always_inline)) void walk(const char *label)
{
	unw_context_t uc;
	unw_cursor_t c;
	char name[256], path[4096];
	int r, depth = 0;

	printf("== %s\n", label);
	unw_getcontext(&uc);
	if ((r = unw_init_local(&c, &uc)) < 0) {
		printf("unw_init_local %d\n", r);
		return;
	}
	do {
		unw_word_t ip, off;
		unw_get_reg(&c, UNW_REG_IP, &ip);
		if (unw_get_proc_name(&c, name, sizeof name, &off) < 0)
			strcpy(name, "?");
		walk_object(ip, path, sizeof path);
		Dl_info di;
		uintptr_t base = dladdr((void *)(ip - 1), &di) ? (uintptr_t)di.dli_fbase : 0;
		printf("frame %s %s %#lx\n", name, path[0] ? path : "?",
		       (unsigned long)(ip - 1 - base));
		if (!strcmp(path, "/lib64/ld-linux-x86-64.so.2") ||
		    !strcmp(path, "/usr/lib64/ld-linux-x86-64.so.2"))
			printf("IN-LDSHIM ip %#lx in %s\n", (unsigned long)ip, path);
	} while ((r = unw_step(&c)) > 0 && ++depth < 64);
	printf("end %d\n", r);
	fflush(stdout);
}
