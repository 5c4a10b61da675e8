/* Run as a command (AT_BASE == 0): `ldshim PROG ARGS`, `ldshim --list
 * PROG`, ldd. The real ld.so gets the Nix library path through
 * --library-path on its command line, never through the environment, so
 * nothing can leak to the program's children. */
#include "elfdef.h"
#include "arch.h"
#include "env.h"
#include "ldso.h"
#include "log.h"
#include "stack.h"
#include "str.h"
#include "sys.h"

void ldshim_enter(uintptr_t entry, uintptr_t *sp) __attribute__((noreturn));
void ldshim_explicit(struct image *im, const struct env_plan *plan,
                     const struct ldso *ld) __attribute__((noreturn));

#define FRAME_MARGIN 16384
static char libpath[2 * 32 * 4096 + 2];

static int is(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* ld.so's options that take an argument (glibc 2.36 rtld.c). */
static int takes_arg(const char *o)
{
	return is(o, "--library-path") || is(o, "--inhibit-rpath") ||
	       is(o, "--audit") || is(o, "--preload") || is(o, "--argv0") ||
	       is(o, "--glibc-hwcaps-prepend") || is(o, "--glibc-hwcaps-mask");
}

static void usage(const struct env_plan *plan)
{
	say(LOG_ERROR, "ldshim: the program interpreter for foreign binaries on NixOS", (char *)0);
	say(LOG_ERROR, "usage: ldshim PROGRAM [ARGS...] | ldshim [ld.so options] PROGRAM [ARGS...]", (char *)0);
	say(LOG_ERROR, "  ld.so:        ", plan->ldso, " (", plan->ldso_from, ")", (char *)0);
	say(LOG_ERROR, "  library path: ", plan->nix_path, " (", plan->nix_path_from, ")", (char *)0);
	say(LOG_ERROR, "variables: NIX_LD_" ARCH_SYSTEM ", NIX_LD, NIX_LD_LIBRARY_PATH_"
	    ARCH_SYSTEM ", NIX_LD_LIBRARY_PATH, NIX_LD_LOG", (char *)0);
	sys_exit(127);
}

void ldshim_explicit(struct image *im, const struct env_plan *plan,
                     const struct ldso *ld)
{
	if (im->argc < 2)
		usage(plan);

	/* The last --library-path among the leading options is ld.so's: merge
	 * the Nix path into it, or add one of our own. */
	long user_opt = -1;
	for (long i = 1; i < im->argc && im->argv[i][0] == '-' && im->argv[i][1] == '-'; i++) {
		if (is(im->argv[i], "--library-path") && i + 1 < im->argc)
			user_opt = i + 1;
		if (takes_arg(im->argv[i]))
			i++;
	}
	long n = env_library_path(libpath, sizeof libpath,
	                          user_opt > 0 ? im->argv[user_opt] : 0, plan->nix_path);
	if (n == -2)
		die("--library-path", "too long");

	static char opt[] = "--library-path";
	char *ins[2] = { opt, libpath };
	long nins = 0;
	if (n >= 0) {
		say(LOG_INFO, "explicit invocation: --library-path ", libpath, (char *)0);
		if (user_opt < 0)
			nins = 2;
	}

	/* As when the kernel runs ld.so itself: AT_BASE 0, AT_ENTRY and
	 * AT_PHDR those of ld.so. */
	struct image a;
	uintptr_t below = (uintptr_t)__builtin_frame_address(0) - FRAME_MARGIN;
	image_copy(&a, im, below, ins, nins, 0);
	if (n >= 0 && user_opt > 0)
		a.argv[user_opt] = libpath;
	*aux_slot(&a, AT_ENTRY) = ld->entry;
	if (ld->phdr) {
		uintptr_t *p = aux_slot(&a, AT_PHDR), *c = aux_slot(&a, AT_PHNUM);
		if (p)
			*p = ld->phdr;
		if (c)
			*c = ld->phnum;
	}
	ldshim_enter(ld->entry, a.sp);
}
