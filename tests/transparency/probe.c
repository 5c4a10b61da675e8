/* probe: prints every view a program has of its own start, one
 * "key: value" line each, in a fixed order, so that two runs can be
 * compared line by line (t-differential.sh: directly under the real ld.so,
 * and through ldshim).
 *
 * No raw address is ever printed: addresses become offsets from the
 * program's or ld.so's base, yes/no relations, or the bytes they point to.
 * Strings are printed with every byte outside printable ASCII (and '\')
 * escaped as \xNN, so an entry with a newline stays one line.
 *
 * The entry state (stack pointer, rtld_fini register, frame pointer) is
 * recorded by entry-<arch>.S, linked as the program's entry point.
 *
 * Built for another architecture (tests/cross), with
 *   -DNIX_SYSTEM='"aarch64_linux"'   the NIX_LD_<system> name getenv shows
 *   -DPROBE_CHILD_HELPER='"/qemu-exec"'  the child is started through that
 *       guest path, a host program that runs this probe under qemu-user
 *       again (tests/cross/qemu-exec.c): without binfmt_misc a foreign
 *       child cannot be executed directly.
 *
 * Lines the test treats on their own (see t-differential.sh):
 *   procauxv-differs:  whether /proc/self/auxv's AT_BASE differs from
 *                      getauxval's (documented limit: through ldshim the
 *                      kernel's copy keeps the shim's base)
 *   environ-at-stack:, environ-auxv:  views that depend on environ being
 *                      the envp of the stack image at the entry sp
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef NIX_SYSTEM
#define NIX_SYSTEM "x86_64_linux"
#endif

extern char **environ;
extern const char __ehdr_start[];       /* the program's base */
extern char probe_entry[];              /* entry-<arch>.S */
extern uintptr_t probe_entry_sp, probe_entry_fini, probe_entry_fp;

static uintptr_t prog_base, prog_end, ldso_base;
static uintptr_t stack_lo, stack_hi;    /* the mapping holding the entry sp */
static unsigned long arg_start, arg_end, env_start, env_end;

static const char *yesno(int b) { return b ? "yes" : "no"; }

static void put_str(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\')
			putchar(*p);
		else
			printf("\\x%02x", *p);
	}
}

static void line_str(const char *key, long i, const char *s)
{
	if (i >= 0)
		printf("%s[%ld]: ", key, i);
	else
		printf("%s: ", key);
	if (s)
		put_str(s);
	else
		fputs("(null)", stdout);
	putchar('\n');
}

/* The whole of a /proc file (they report size 0). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = 4096, n = 0, r;
	char *buf = malloc(cap + 1);
	*len = 0;
	if (!f || !buf)
		return NULL;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0)
		if ((n += r) == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* The mapping holding addr: its bounds and whether it is executable. */
static int find_map(uintptr_t addr, uintptr_t *lo, uintptr_t *hi, int *exec)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char l[512];
	int found = 0;
	while (f && fgets(l, sizeof l, f)) {
		unsigned long a, b;
		char perm[8];
		if (sscanf(l, "%lx-%lx %7s", &a, &b, perm) == 3 && addr >= a && addr < b) {
			*lo = a, *hi = b, *exec = perm[2] == 'x';
			found = 1;
			break;
		}
	}
	if (f)
		fclose(f);
	return found;
}

/* arg_start, arg_end, env_start, env_end: fields 48-51 of /proc/self/stat,
 * where the kernel put the argument and environment strings. */
static void read_stat(void)
{
	size_t n;
	char *s = slurp("/proc/self/stat", &n), *p;
	if (!s || !(p = strrchr(s, ')')))
		return;
	p += 2;                                 /* field 3 */
	for (int field = 3; field < 48 && p; field++)
		if ((p = strchr(p, ' ')))
			p++;
	if (p)
		sscanf(p, "%lu %lu %lu %lu", &arg_start, &arg_end, &env_start, &env_end);
	free(s);
}

static const char *aux_name(unsigned long t)
{
	static char buf[24];
	switch (t) {
	case AT_NULL: return "AT_NULL";
	case AT_IGNORE: return "AT_IGNORE";
	case AT_EXECFD: return "AT_EXECFD";
	case AT_PHDR: return "AT_PHDR";
	case AT_PHENT: return "AT_PHENT";
	case AT_PHNUM: return "AT_PHNUM";
	case AT_PAGESZ: return "AT_PAGESZ";
	case AT_BASE: return "AT_BASE";
	case AT_FLAGS: return "AT_FLAGS";
	case AT_ENTRY: return "AT_ENTRY";
	case AT_NOTELF: return "AT_NOTELF";
	case AT_UID: return "AT_UID";
	case AT_EUID: return "AT_EUID";
	case AT_GID: return "AT_GID";
	case AT_EGID: return "AT_EGID";
	case AT_PLATFORM: return "AT_PLATFORM";
	case AT_HWCAP: return "AT_HWCAP";
	case AT_CLKTCK: return "AT_CLKTCK";
	case AT_SECURE: return "AT_SECURE";
	case AT_BASE_PLATFORM: return "AT_BASE_PLATFORM";
	case AT_RANDOM: return "AT_RANDOM";
	case AT_HWCAP2: return "AT_HWCAP2";
	case AT_EXECFN: return "AT_EXECFN";
	case AT_SYSINFO: return "AT_SYSINFO";
	case AT_SYSINFO_EHDR: return "AT_SYSINFO_EHDR";
	case 27: return "AT_RSEQ_FEATURE_SIZE";
	case 28: return "AT_RSEQ_ALIGN";
	case 29: return "AT_HWCAP3";
	case 30: return "AT_HWCAP4";
	case 51: return "AT_MINSIGSTKSZ";
	}
	snprintf(buf, sizeof buf, "AT_%lu", t);
	return buf;
}

static int in_stack(uintptr_t a) { return a >= stack_lo && a < stack_hi; }

/* An auxv value as a line can show it: addresses relative to a base or
 * as what they point to, everything else as it is. */
static void put_aux(unsigned long t, uintptr_t v)
{
	switch (t) {
	case AT_PHDR: case AT_ENTRY:
		if (v < prog_base || v >= prog_end) {
			fputs("outside the program", stdout);
			return;
		}
		printf("prog+%#lx%s", (unsigned long)(v - prog_base),
		       v == (uintptr_t)probe_entry ? " (entry stub)" : "");
		return;
	case AT_BASE:
		if (v == ldso_base)
			fputs("ld.so base", stdout);
		else
			printf("not ld.so's base (%s)", v ? "nonzero" : "0");
		return;
	case AT_RANDOM:
		fputs(in_stack(v) ? "in stack" : "not in stack", stdout);
		return;
	case AT_PLATFORM: case AT_BASE_PLATFORM: case AT_EXECFN:
		if (!in_stack(v)) {
			fputs("not in stack", stdout);
			return;
		}
		putchar('"');
		put_str((const char *)v);
		putchar('"');
		return;
	case AT_SYSINFO_EHDR: case AT_SYSINFO:
		fputs(v && memcmp((const void *)v, ELFMAG, SELFMAG) == 0
		      ? "an ELF header" : "not an ELF header", stdout);
		return;
	}
	printf("%#lx", (unsigned long)v);
}

/* Compares an auxv (pairs up to AT_NULL) with getauxval; prints the types
 * that differ, or "none". Returns the number of entries. */
static long aux_vs_getauxval(const uintptr_t *av, long max)
{
	long n = 0, bad = 0;
	for (; n < max && av[2 * n] != AT_NULL; n++)
		if (getauxval(av[2 * n]) != av[2 * n + 1])
			printf("%s%s", bad++ ? " " : "", aux_name(av[2 * n]));
	if (!bad)
		fputs("none", stdout);
	return n;
}

static long count(char **v)
{
	long n = 0;
	while (v[n])
		n++;
	return n;
}

/* A view of the environment compared with main's envp: "same entries",
 * or the whole view. */
static void env_view(const char *key, char **v, long n, char **envp, long envc)
{
	int same = n == envc;
	for (long i = 0; same && i < n; i++)
		same = strcmp(v[i], envp[i]) == 0;
	if (same) {
		printf("%s: same %ld entries as main's envp\n", key, n);
		return;
	}
	printf("%s: %ld entries, not main's envp's:\n", key, n);
	for (long i = 0; i < n; i++)
		line_str(key, i, v[i]);
}

/* The NUL-separated entries of a /proc file, as a vector. */
static char **split_nul(char *buf, size_t len, long *n)
{
	long c = 0;
	for (size_t i = 0; i < len; i++)
		c += buf[i] == 0;
	char **v = calloc((size_t)c + 1, sizeof *v);
	long k = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		v[k++] = buf + i;
	*n = k;
	return v;
}

/* A child started with posix_spawn and our environ (started through the
 * same loader again) prints its envp, NUL-separated, on a pipe. Returns
 * the entries, or NULL. */
static char **child_environ(long *n)
{
	int fd[2];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	char *args[4] = { "probe", "--child-environ", NULL };
	const char *exe = "/proc/self/exe";
#ifdef PROBE_CHILD_HELPER
	/* The helper runs argv[1] (this program's path) under qemu with
	 * argv[0] "probe". qemu does not map execve's path into the guest
	 * root, so the helper is opened (open does) and run by its fd. */
	static char self[4096], helper[64];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	int hfd = open(PROBE_CHILD_HELPER, O_RDONLY);
	if (sl <= 0 || hfd < 0)
		return NULL;
	self[sl] = 0;
	snprintf(helper, sizeof helper, "/proc/self/fd/%d", hfd);
	char *hargs[] = { "probe", self, "--child-environ", NULL };
	exe = helper;
	memcpy(args, hargs, sizeof hargs);
#endif
	if (pipe(fd) != 0)
		return NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	int err = posix_spawn(&pid, exe, &fa, NULL, args, environ);
	close(fd[1]);
	if (err)
		return NULL;
	FILE *f = fdopen(fd[0], "r");
	size_t cap = 4096, len = 0, r;
	char *buf = malloc(cap + 1);
	while ((r = fread(buf + len, 1, cap - len, f)) > 0)
		if ((len += r) == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	fclose(f);
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return NULL;
	return split_nul(buf, len, n);
}

static int ldso_by_name(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_INTERP)
			*(const char **)data = (const char *)(info->dlpi_addr +
			                                      info->dlpi_phdr[i].p_vaddr);
	if (*(const char **)data && strcmp(info->dlpi_name, *(const char **)data) == 0) {
		ldso_base = info->dlpi_addr;
		return 1;
	}
	return 0;
}

int main(int argc, char **argv, char **envp)
{
	uintptr_t *sp = (uintptr_t *)probe_entry_sp;
	uintptr_t lo, hi;
	int exec;
	Dl_info di;

	if (argc == 2 && strcmp(argv[1], "--child-environ") == 0) {
		for (char **e = envp; *e; e++)
			fwrite(*e, 1, strlen(*e) + 1, stdout);
		return 0;
	}
	prog_base = (uintptr_t)__ehdr_start;
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)prog_base;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(prog_base + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && prog_base + ph[i].p_vaddr + ph[i].p_memsz > prog_end)
			prog_end = prog_base + ph[i].p_vaddr + ph[i].p_memsz;
	const char *interp = NULL;
	dl_iterate_phdr(ldso_by_name, &interp);
	find_map((uintptr_t)sp, &stack_lo, &stack_hi, &exec);
	read_stat();

	/* argv and envp as main sees them. */
	printf("argc: %d\n", argc);
	for (int i = 0; i < argc; i++)
		line_str("argv", i, argv[i]);
	line_str("argv-end", -1, argv[argc] ? "not NULL" : "NULL");
	long envc = count(envp);
	printf("envp: %ld entries\n", envc);
	for (long i = 0; i < envc; i++)
		line_str("envp", i, envp[i]);
	printf("main-envp-is-environ: %s\n", yesno(envp == environ));
	if (envp != environ)
		env_view("environ", environ, count(environ), envp, envc);
	static const char *const vars[] = { "LD_LIBRARY_PATH", "NIX_LD",
		"NIX_LD_" NIX_SYSTEM, "NIX_LD_LIBRARY_PATH", "PATH", NULL };
	for (int i = 0; vars[i]; i++) {
		const char *v = getenv(vars[i]);
		printf("getenv(%s): ", vars[i]);
		if (v) {
			putchar('"');
			put_str(v);
			puts("\"");
		} else
			puts("unset");
	}

	/* The strings: where the kernel put them, untouched. */
	int ok = 1;
	for (int i = 0; i < argc; i++)
		ok &= (uintptr_t)argv[i] >= arg_start && (uintptr_t)argv[i] < arg_end;
	printf("argv-strings-in-arg-area: %s\n", yesno(ok));
	ok = 1;
	for (long i = 0; i < envc; i++)
		ok &= (uintptr_t)envp[i] >= env_start && (uintptr_t)envp[i] < env_end;
	printf("envp-strings-in-env-area: %s\n", yesno(ok));

	size_t len;
	long pn;
	char *buf = slurp("/proc/self/environ", &len);
	char **pv = split_nul(buf ? buf : "", len, &pn);
	env_view("proc-environ", pv, pn, envp, envc);
	buf = slurp("/proc/self/cmdline", &len);
	pv = split_nul(buf ? buf : "", len, &pn);
	ok = pn == argc;
	for (long i = 0; ok && i < pn; i++)
		ok = strcmp(pv[i], argv[i]) == 0;
	if (ok)
		printf("proc-cmdline: same %ld entries as argv\n", pn);
	else
		for (long i = 0; i < pn; i++)
			line_str("proc-cmdline", i, pv[i]);

	char **cv = child_environ(&pn);
	if (cv)
		env_view("child-environ", cv, pn, envp, envc);
	else
		puts("child-environ: the child did not run");

	/* The stack image at the entry sp, as Go and other runtimes read it. */
	printf("entry-sp-in-stack: %s\n", yesno(in_stack((uintptr_t)sp) && stack_lo));
	printf("entry-sp-mod-16: %lu\n", (unsigned long)((uintptr_t)sp % 16));
	printf("stack-argc: %lu\n", (unsigned long)sp[0]);
	char **sargv = (char **)(sp + 1);
	printf("main-argv-at-stack: %s\n", yesno(sargv == argv));
	ok = (long)sp[0] == argc;
	for (int i = 0; ok && i <= argc; i++)
		ok = sargv[i] == argv[i];
	printf("stack-argv-same-pointers: %s\n", yesno(ok));
	char **senvp = sargv + sp[0] + 1;
	long senvc = count(senvp);
	env_view("stack-envp", senvp, senvc, envp, envc);
	uintptr_t *sauxv = (uintptr_t *)(senvp + senvc + 1);
	long sauxc = 0;
	while (sauxv[2 * sauxc] != AT_NULL)
		sauxc++;
	printf("stack-auxv: %ld entries\n", sauxc);
	for (long i = 0; i < sauxc; i++) {
		printf("stack-auxv[%ld]: %s ", i, aux_name(sauxv[2 * i]));
		put_aux(sauxv[2 * i], sauxv[2 * i + 1]);
		putchar('\n');
	}
	fputs("stack-auxv-differs-from-getauxval: ", stdout);
	aux_vs_getauxval(sauxv, sauxc + 1);
	putchar('\n');

	/* getauxval, the view glibc itself uses. */
	static const unsigned long types[] = { AT_PHDR, AT_PHENT, AT_PHNUM,
		AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID,
		AT_EGID, AT_PLATFORM, AT_HWCAP, AT_HWCAP2, AT_CLKTCK, AT_SECURE,
		AT_RANDOM, AT_EXECFN, AT_SYSINFO_EHDR, 51, 0 };
	for (int i = 0; types[i]; i++) {
		printf("getauxval(%s): ", aux_name(types[i]));
		put_aux(types[i], getauxval(types[i]));
		putchar('\n');
	}
	uintptr_t entry = getauxval(AT_ENTRY), base = getauxval(AT_BASE);
	printf("AT_ENTRY-is-entry-stub: %s\n", yesno(entry == (uintptr_t)probe_entry));
	printf("AT_PHDR-is-program-headers: %s\n",
	       yesno(getauxval(AT_PHDR) == (uintptr_t)ph));
	printf("AT_BASE-is-interp-base: %s\n", yesno(base && base == ldso_base));
	uintptr_t rnd = getauxval(AT_RANDOM);
	printf("AT_RANDOM-below-arg-strings: %s\n",
	       yesno(in_stack(rnd) && in_stack(rnd + 15) && rnd + 16 <= arg_start &&
	          rnd > (uintptr_t)sp));
	uintptr_t fn = getauxval(AT_EXECFN);
	printf("AT_EXECFN-above-env-strings: %s\n", yesno(fn >= env_end && in_stack(fn)));
	printf("AT_EXECFN-is-argv0-path: %s\n",
	       yesno(argc > 0 && fn && strcmp((const char *)fn, argv[0]) == 0));

	/* The entry registers. */
	uintptr_t fini = probe_entry_fini;
	printf("entry-fini-nonzero: %s\n", yesno(fini != 0));
	int in_ldso = fini && dladdr((void *)fini, &di) && (uintptr_t)di.dli_fbase == ldso_base;
	printf("entry-fini-in-interp: %s\n", yesno(in_ldso));
	printf("entry-fini-executable: %s\n",
	       yesno(fini && find_map(fini, &lo, &hi, &exec) && exec));
	if (in_ldso)
		printf("entry-fini-offset: interp+%#lx\n", (unsigned long)(fini - ldso_base));
	printf("entry-fp-zero: %s\n", yesno(probe_entry_fp == 0));

	/* Views that need environ to be the envp of the entry stack image. */
	printf("environ-at-stack: %s\n", yesno(environ == senvp));
	uintptr_t *eauxv = (uintptr_t *)(environ + count(environ) + 1);
	long eauxc = 0;
	while (eauxc <= sauxc && eauxv[2 * eauxc] != AT_NULL)
		eauxc++;
	printf("environ-auxv: %ld entries (entry stack: %ld), differing from getauxval: ",
	       eauxc, sauxc);
	aux_vs_getauxval(eauxv, eauxc + 1);
	putchar('\n');

	/* The kernel's copy of auxv. Through ldshim it keeps the shim's
	 * AT_BASE (documented limit), so AT_BASE gets a line of its own. */
	buf = slurp("/proc/self/auxv", &len);
	if (!buf) {
		puts("procauxv: unreadable");
		return 0;
	}
	const uintptr_t *pa = (const uintptr_t *)buf;
	long pac = (long)(len / (2 * sizeof *pa)), base_differs = 0;
	fputs("procauxv-differs-but-AT_BASE: ", stdout);
	long bad = 0;
	for (long i = 0; i < pac && pa[2 * i] != AT_NULL; i++) {
		if (getauxval(pa[2 * i]) == pa[2 * i + 1])
			continue;
		if (pa[2 * i] == AT_BASE)
			base_differs = 1;
		else
			printf("%s%s", bad++ ? " " : "", aux_name(pa[2 * i]));
	}
	puts(bad ? "" : "none");
	printf("procauxv-differs: %s\n", base_differs ? "AT_BASE" : "none");
	return 0;
}
