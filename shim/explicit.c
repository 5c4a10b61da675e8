/* Run as a command (AT_BASE == 0): `ldshim PROG ARGS`, `ldshim --list
 * PROG`, ldd. The real ld.so gets what it needs on its command line, never
 * through the environment, so nothing can leak to the program's children:
 *
 * fallback mode (the default): the library cache, as for an interpreter
 * start (prepare.c); without one, the last resort's library path.
 *
 * the last resort and override mode: --library-path. It replaces
 * LD_LIBRARY_PATH for ld.so, so the path given is the one ld.so would have
 * used (the user's last --library-path, else LD_LIBRARY_PATH), then (the
 * last resort) the program's own RUNPATH, then the Nix path.
 */
#include "elfdef.h"
#include "arch.h"
#include "cache.h"
#include "config.h"
#include "env.h"
#include "explicit.h"
#include "ldpatch.h"
#include "ldshim.h"
#include "prepare.h"
#include "progid.h"
#include "ldso.h"
#include "log.h"
#include "out.h"
#include "stack.h"
#include "str.h"
#include "sys.h"

#ifndef LDSHIM_VERSION
#define LDSHIM_VERSION "0.1"
#endif

/* The library path ld.so gets (the last resort, override mode). */
static char *libpath;
/* The library cache ld.so reads (fallback mode), or NULL. */
static const char *cache;
/* The program's RUNPATH went into libpath. */
static int with_own;

/* ld.so's options that take an argument (glibc 2.36 rtld.c). */
static int takes_arg(const char *o)
{
	return str_eq(o, "--library-path") || str_eq(o, "--inhibit-rpath") ||
	       str_eq(o, "--audit") || str_eq(o, "--preload") || str_eq(o, "--argv0") ||
	       str_eq(o, "--glibc-hwcaps-prepend") || str_eq(o, "--glibc-hwcaps-mask");
}

/* The value a variable counts with: the first non-empty one for NIX_LD*
 * (as env_scan), the last for LD_LIBRARY_PATH (as ld.so). */
static const char *value_of(const struct image *im, const char *name, int last)
{
	const char *found = 0, *v;
	for (long i = 0; i < im->envc; i++)
		if ((v = str_value_of(im->envp[i], name)) && (last || (*v && !found)))
			found = v;
	return found;
}

static void show_var(struct out *o, const struct image *im, const char *name,
                     int last)
{
	const char *v = value_of(im, name, last);
	out_put(o, "  ");
	out_put(o, name);
	out_put(o, v ? "=" : " (unset)");
	out_put(o, v ? v : "");
	out_put(o, "\n");
}

static void show_choice(struct out *o, const struct env_plan *plan, long n,
                        const char *user, const char *user_from, int fallback)
{
	out_put(o, "real ld.so ");
	out_put(o, plan->ldso);
	out_put(o, " (");
	out_put(o, plan->ldso_from);
	if (fallback && cache) {
		out_put(o, "), fallback mode: Nix library path ");
		out_put(o, plan->nix_path);
		out_put(o, " (");
		out_put(o, plan->nix_path_from);
		out_put(o, ") searched where ld.so's own search ends, from the library cache ");
		out_put(o, cache);
		return;
	}
	out_put(o, fallback ? "), last resort (no library cache): library path "
	                : "), override mode: library path ");
	if (n >= 0) {
		out_put(o, libpath);
		out_put(o, " (");
		if (user) {
			out_put(o, user_from);
			out_put(o, " + ");
		}
		out_put(o, with_own ? "the program's RUNPATH + " : "");
		out_put(o, plan->nix_path_from);
		out_put(o, ")");
	} else {
		out_put(o, user ? user : "(none)");
		out_put(o, user ? " (" : "");
		out_put(o, user ? user_from : "");
		out_put(o, user ? ", nothing added)" : "");
	}
}

/* `ldshim --config`, after the settings: each library cache named for
 * the Nix path, and whether it serves it. */
__attribute__((noreturn))
static void show_caches(const struct env_plan *plan, int secure, uintptr_t pagesz)
{
	struct out o = { .fd = 1, .n = 0 };
	char num[24];
	int fallback = start_fallback_mode(plan->mode), used = 0;
	if (!plan->ncache)
		out_put(&o, "library-cache = (none named)\n");
	for (unsigned i = 0; i < plan->ncache; i++) {
		const struct cache_cand *c = &plan->cache[i];
		const char *why = !fallback ? "override mode searches the Nix path first"
		                : used ? "an earlier one is used"
		                : ldcache_check(c->file, plan->nix_path, secure, secure ? 0 : -1);
		if (!why) {
			/* Whether ld.so can be pointed at it: as a start does. */
			struct ldso ld;
			out_flush(&o);
			elf_map(&ld, plan->ldso, pagesz, LDSO_MAP_RODATA);
			why = ldso_find_cache_path(&ld);
			if (!why)
				why = ldso_set_cache_path(&ld, c->file);
		}
		out_put(&o, "library-cache = ");
		out_put(&o, c->file);
		out_put(&o, " (");
		out_put(&o, c->src);
		if (c->line) {
			out_put(&o, ":");
			out_put(&o, str_num(num, c->line, 0));
		}
		out_put(&o, why ? "): not used: " : "): serves the library path");
		out_put(&o, why ? why : "");
		out_put(&o, "\n");
		used |= !why;
	}
	if (fallback && !used)
		out_put(&o, "without a library cache named here, the automatic one is tried, then the"
		    " last resort (a library path for ld.so)\n");
	out_flush(&o);
	sys_exit(0);
}

/* `ldshim` alone. glibc's ld.so without a program says "missing program
 * name" on stderr and exits 1; ldshim does the same, with its own usage. */
static void usage(const struct image *im, const struct env_plan *plan,
                  const struct ldso *ld, long n, int fallback)
{
	struct out o = { .fd = 2, .n = 0 };
	out_put(&o, "ldshim " LDSHIM_VERSION ": runs foreign programs on NixOS (it is the program\n"
	    "interpreter " ARCH_INTERP ") with the real ld.so and the Nix library path.\n"
	    "usage: ldshim [ld.so options] PROGRAM [ARGS...]\n"
	    "       ldshim --list PROGRAM | --verify PROGRAM | --version | --help\n"
	    "Options are those of the real ld.so (see its --help); ldshim adds the\n"
	    "library path with --library-path where no library cache serves the Nix\n"
	    "path, never through the environment.\n"
	    "variables (NIX_LD_MODE: fallback, override; NIX_LD_LOG: error, warn,\n"
	    "info, debug, trace):\n");
	show_var(&o, im, "NIX_LD_" ARCH_SYSTEM, 0);
	show_var(&o, im, "NIX_LD", 0);
	show_var(&o, im, "NIX_LD_LIBRARY_PATH_" ARCH_SYSTEM, 0);
	show_var(&o, im, "NIX_LD_LIBRARY_PATH", 0);
	show_var(&o, im, "LD_LIBRARY_PATH", 1);
	show_var(&o, im, "NIX_LD_MODE", 0);
	show_var(&o, im, "NIX_LD_LOG", 0);
	out_put(&o, "would load: ");
	show_choice(&o, plan, n, plan->user_path, "LD_LIBRARY_PATH", fallback);
	out_put(&o, "\n");
	if (!ld) {
		long fd = sys_open(plan->ldso);
		if (fd < 0) {
			out_put(&o, "but ");
			out_put(&o, plan->ldso);
			out_put(&o, ": ");
			out_put(&o, err_reason(fd));
			out_put(&o, "\n");
		} else {
			sys_close((int)fd);
		}
	}
	out_flush(&o);
	sys_exit(1);
}

void start_explicit(struct image *im, const struct env_plan *plan,
                     const struct ldso *ld)
{
	/* The leading options, as ld.so reads them: up to the first word
	 * that is not an option, or "--". The last --library-path is the
	 * one ld.so uses: merge the Nix path into it, or add one. */
	long user_opt = -1, ident = 0, inhibit = 0, i;
	struct env_plan cfg = *plan;
	if (im->argc >= 2 && str_eq(im->argv[1], "--config")) {
		config_print(&cfg, im, im->argc > 2 ? im->argv[2] : 0);
		show_caches(&cfg, aux_get(im, AT_SECURE, 0) != 0, aux_get(im, AT_PAGESZ, 4096));
	}
	for (i = 1; i < im->argc && im->argv[i][0] == '-' && im->argv[i][1] == '-'; i++) {
		const char *a = im->argv[i];
		if (!a[2])
			break;
		if (str_eq(a, "--library-path") && i + 1 < im->argc)
			user_opt = i + 1;
		if (str_eq(a, "--version") || str_eq(a, "--help"))
			ident = 1;
		/* ld.so then reads no cache, but still searches its default
		 * directories: the Nix path, for ldshim, as a library path. */
		if (str_eq(a, "--inhibit-cache"))
			inhibit = 1;
		if (takes_arg(a))
			i++;
	}
	/* The configuration files, for the program as named here. */
	long prog = i < im->argc && str_eq(im->argv[i], "--") ? i + 1 : i;
	config_apply_file(&cfg, im, prog < im->argc ? im->argv[prog] : 0);
	plan = &cfg;
	int fallback = start_fallback_mode(plan->mode);
	const char *user = user_opt > 0 ? im->argv[user_opt] : plan->user_path;
	const char *user_from = user_opt > 0 ? "--library-path" : "LD_LIBRARY_PATH";
	int secure = aux_get(im, AT_SECURE, 0) != 0;
	int want = str_has_elem(plan->nix_path);
	if (fallback && want && !inhibit)
		cache = start_pick_cache(plan, secure);

	struct ldso mapped;
	if (!ld && im->argc >= 2) {
		cache = start_map_ldso(&mapped, plan, aux_get(im, AT_PAGESZ, 4096),
		                       secure, fallback && !inhibit, cache, 0);
		ld = &mapped;
	}
	long n = -1;
	if (!(fallback && cache)) {
		const char *own = fallback && prog < im->argc ? runpath_from_file(im->argv[prog]) : 0;
		with_own = own && str_has_elem(own);
		n = start_library_path(&libpath, "", user, own, plan->nix_path);
	}
	if (im->argc < 2)
		usage(im, plan, ld, n, fallback);

	/* --version and --help go to the real ld.so, which prints its own
	 * text on stdout and exits 0 (ldd checks that status); one line
	 * before it says that ldshim stands in front of it. */
	if (ident) {
		struct out o = { .fd = 1, .n = 0 };
		out_put(&o, "ldshim " LDSHIM_VERSION ": ");
		show_choice(&o, plan, n, user, user_from, fallback);
		out_put(&o, "\n");
		out_flush(&o);
	}

	static char opt_path[] = "--library-path";
	char *ins[2] = { opt_path, libpath };
	long nins = 0;
	if (n < 0 && !cache) {
		say(LOG_INFO, "explicit invocation: no library path to add (",
		    plan->nix_path_from, " is empty)", (char *)0);
	} else if (cache) {
		say(LOG_INFO, "explicit invocation: nothing added (fallback mode: Nix library path ",
		    plan->nix_path, " from ", plan->nix_path_from, " served by the library cache ",
		    cache, ")", (char *)0);
	} else {
		say(LOG_INFO, "explicit invocation: --library-path ", libpath, " (",
		    user ? user_from : "", user ? " + " : "",
		    with_own ? "the program's RUNPATH + " : "", plan->nix_path_from,
		    fallback ? "; the last resort: no library cache" : "",
		    user_opt > 0 ? ", merged into the user's option)" : ")", (char *)0);
		if (user_opt < 0)
			nins = 2;
	}

	/* As when the kernel runs ld.so itself: AT_BASE 0, AT_ENTRY and
	 * AT_PHDR those of ld.so (ld.so knows it was run as a command by
	 * AT_ENTRY being its own entry point). */
	struct image a;
	uintptr_t below = (uintptr_t)__builtin_frame_address(0) - STACK_FRAME_MARGIN;
	image_copy(&a, im, below, ins, nins, 0);
	if (n >= 0 && !cache && user_opt > 0)
		a.argv[user_opt] = libpath;
	uintptr_t *entry = aux_slot(&a, AT_ENTRY);
	if (!entry)
		die("auxiliary vector", "no AT_ENTRY entry");
	*entry = ld->entry;
	if (ld->phdr) {
		uintptr_t *p = aux_slot(&a, AT_PHDR), *c = aux_slot(&a, AT_PHNUM);
		if (p)
			*p = ld->phdr;
		if (c)
			*c = ld->phnum;
	}
	char num[24], num2[24];
	say(LOG_DEBUG, "explicit invocation: ld.so image at ", str_num(num, (uintptr_t)a.sp, 1),
	    ": argc ", str_num(num2, (unsigned long)a.argc, 0),
	    ", AT_BASE 0, AT_ENTRY ld.so's", (char *)0);
	ldshim_enter(ld->entry, a.sp);
}
