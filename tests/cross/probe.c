/* probe: what a program sees of its own start, one "key: value" line each
 * in a fixed order, so that a direct run (PT_INTERP = the real ld.so) and
 * a run through ldshim can be compared line by line under qemu-user.
 *
 * No raw address is printed: only yes/no relations and the strings.
 * Lines starting "x-" depend on who started the program and are checked
 * on their own (the frame pointer: ldshim clears it, ld.so may not; the
 * address of the envp array when ld.so had to run on a copy).
 *
 *   probe            the views
 *   probe children   then the environment two children get: through
 *                    system() and through fork+execve, both running the
 *                    host's /usr/bin/env (qemu-user runs a host binary
 *                    natively), so they show what execve was given.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
extern char probe_entry[];                        /* entry-<arch>.S */
extern uintptr_t probe_entry_sp, probe_entry_fini, probe_entry_fp;

static const char *yesno(int b) { return b ? "yes" : "no"; }

static void put(const char *key, long i, const char *s)
{
	printf(i >= 0 ? "%s[%ld]: " : "%s: ", key, i);
	for (const unsigned char *p = (const unsigned char *)(s ? s : "(null)"); *p; p++)
		printf(*p >= 0x20 && *p < 0x7f && *p != '\\' ? "%c" : "\\x%02x", *p);
	putchar('\n');
}

static uintptr_t ldso_base;
static int find_ldso(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (info->dlpi_name && strstr(info->dlpi_name, "/ld-linux"))
		ldso_base = info->dlpi_addr;
	return 0;
}

static int in_ldso(uintptr_t p)
{
	Dl_info di;
	return p && dladdr((void *)p, &di) && di.dli_fname &&
	       strstr(di.dli_fname, "/ld-linux") != NULL;
}

int main(int argc, char **argv, char **envp)
{
	uintptr_t *sp = (uintptr_t *)probe_entry_sp;

	printf("argc: %d\n", argc);
	for (int i = 0; i < argc; i++)
		put("argv", i, argv[i]);
	for (long i = 0; envp[i]; i++)
		put("envp", i, envp[i]);
	for (long i = 0; environ[i]; i++)
		put("environ", i, environ[i]);
	printf("environ-is-envp: %s\n", yesno(environ == envp));

	/* The stack image at the entry sp, as Go and other runtimes read it. */
	printf("sp-aligned-16: %s\n", yesno(((uintptr_t)sp & 15) == 0));
	printf("sp-argc: %s\n", yesno(sp[0] == (uintptr_t)argc));
	char **sargv = (char **)(sp + 1), **senv = sargv + sp[0] + 1;
	printf("sp-argv-is-argv: %s\n", yesno(sargv == argv));
	printf("x-sp-envp-is-environ: %s\n", yesno(senv == environ));
	long n = 0;
	for (; senv[n]; n++)
		put("sp-envp", n, senv[n]);
	uintptr_t *aux = (uintptr_t *)(senv + n + 1);
	int agree = 1;
	long count = 0;
	for (; aux[0] != AT_NULL; aux += 2, count++)
		if (getauxval(aux[0]) != aux[1]) {
			agree = 0;
			printf("sp-auxv-differs: type %lu\n", (unsigned long)aux[0]);
		}
	printf("sp-auxv-agrees-with-getauxval: %s\n", yesno(agree));
	printf("sp-auxv-count: %ld\n", count);

	dl_iterate_phdr(find_ldso, 0);
	printf("at-entry-is-entry: %s\n", yesno(getauxval(AT_ENTRY) == (uintptr_t)probe_entry));
	printf("at-base-is-ldso: %s\n", yesno(ldso_base && getauxval(AT_BASE) == ldso_base));
	printf("rtld-fini-in-ldso: %s\n", yesno(in_ldso(probe_entry_fini)));
	printf("x-fp-zero: %s\n", yesno(probe_entry_fp == 0));
	fflush(stdout);

	if (argc > 1 && strcmp(argv[1], "children") == 0) {
		puts("--- system");
		fflush(stdout);
		if (system("exec /usr/bin/env") != 0)
			puts("system failed");
		puts("--- execve");
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			char *cargv[] = { "env", NULL };
			execve("/usr/bin/env", cargv, environ);
			_exit(127);
		}
		int st;
		waitpid(pid, &st, 0);
		printf("--- end %d\n", st);
	}
	return 0;
}
