/* What both ways of starting share (main.c: as the program's interpreter;
 * explicit.c: run as a command): the mode, the library cache that serves
 * the Nix path, the real ld.so mapped with ldshim's changes, and the
 * library path of the last resort. Each start takes the first of:
 *
 *   the library cache    fallback mode, a cache named for the Nix path or
 *                        the automatic one (cachehome.c), and room for
 *                        its name in ld.so: nothing injected
 *   the last resort      no cache can be used: ld.so gets a library path,
 *                        the user's, then the program's own RUNPATH
 *                        (fallback mode), then the Nix path; the start
 *                        takes it away again before the program runs
 *   nothing              secure mode, or an empty Nix path
 */
#include "prepare.h"
#include "arch.h"
#include "cache.h"
#include "cachehome.h"
#include "debug.h"
#include "ldpatch.h"
#include "log.h"
#include "str.h"
#include "sys.h"

/* Room for the injected variable (and explicit invocation's library
 * path). Not on the stack: ld.so's own frames would overwrite it before
 * ld.so parses it. Usually short, so a small buffer that shares its page
 * with the rest of the shim's data (one page fault for all); a value up to
 * the kernel's cap (MAX_ARG_STRLEN, 32 pages, per string) gets a mapping
 * of its own rather than a bss that every start would map. */
static char small_buf[1024];
static char *buffer(size_t n)
{
	if (n <= sizeof small_buf)
		return small_buf;
	long m = sys_mmap(0, n, PROT_READ_ | PROT_WRITE_,
	                  MAP_PRIVATE_ | MAP_ANONYMOUS_, -1, 0);
	if (sys_failed(m))
		die("injected variable", err_reason(m));
	return (char *)m;
}

int start_fallback_mode(const char *mode)
{
	if (!mode || !*mode || str_eq(mode, "fallback"))
		return 1;
	if (str_eq(mode, "override"))
		return 0;
	say(LOG_WARN, "NIX_LD_MODE=", mode, ": unknown mode (fallback or override),"
	    " using fallback", (char *)0);
	return 1;
}

const char *start_pick_cache(const struct env_plan *plan, int secure)
{
	char num[24];
	for (unsigned i = 0; i < plan->ncache; i++) {
		const struct cache_cand *c = &plan->cache[i];
		const char *why = ldcache_check(c->file, plan->nix_path, secure, secure ? 0 : -1);
		const char *line = c->line ? str_num(num, c->line, 0) : "";
		if (!why) {
			say(LOG_DEBUG, "library cache ", c->file, " (", c->src, c->line ? ":" : "",
			    line, ") serves ", plan->nix_path, (char *)0);
			return c->file;
		}
		/* The built-in one missing is the usual case: not news. */
		int usual = !c->line && why == err_reason(-2) && str_eq(c->src, "built-in default");
		say(usual ? LOG_DEBUG : LOG_INFO, "library cache ", c->file, " (", c->src,
		    c->line ? ":" : "", line, ") not used: ", why, (char *)0);
	}
	return 0;
}

const char *start_map_ldso(struct ldso *ld, const struct env_plan *plan,
                           uintptr_t pagesz, int secure, int fallback,
                           const char *cache, unsigned flags)
{
	const char *why;
	/* A cache may serve the Nix path: a named one, or (not for a secure
	 * program: the homes are the user's) the automatic one. */
	int want = fallback && str_has_elem(plan->nix_path);
	int look = want && (cache || !secure);
	elf_map(ld, plan->ldso, pagesz, flags | (look ? LDSO_MAP_RODATA : 0));
	if (flags & LDSO_MAP_CODE)
		debug_hook(ld);
	if (look && (why = ldso_find_cache_path(ld))) {
		say(LOG_INFO, "no library cache: ", plan->ldso, ": ", why, (char *)0);
		cache = 0;
	} else if (look) {
		if (cache && (why = ldso_set_cache_path(ld, cache))) {
			say(LOG_INFO, "library cache ", cache, " not used: ", plan->ldso, ": ",
			    why, (char *)0);
			cache = 0;
		}
		if (!cache && !secure && (cache = cache_home_auto(plan, ld->cache_room)) &&
		    (why = ldso_set_cache_path(ld, cache)))
			cache = 0;
	}
	if (!(ldso_seal(ld) & LDSO_PATCH_CACHE) && cache) {
		say(LOG_INFO, "library cache ", cache, " not used: ld.so's code may not be"
		    " made executable again after the change (memory-deny-write-execute)",
		    (char *)0);
		cache = 0;
	}
	return cache;
}

long start_library_path(char **out, const char *prefix, const char *user,
                        const char *own, const char *nix)
{
	size_t pre = str_len(prefix);
	size_t cap = (user ? str_len(user) : 0) + (own ? str_len(own) : 0) +
	             str_len(nix) + 3;
	*out = buffer(pre + cap);
	long n = env_library_path(str_put(*out, prefix), cap, user, own, nix);
	if (n == -2)
		die(prefix[0] ? "LD_LIBRARY_PATH" : "--library-path", "too long");
	return n;
}
