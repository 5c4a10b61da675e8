/* The library cache, as ldshim would choose it for a start (libcache.c).
 *
 * The rules are the shim's own code, compiled hosted (tool.mk):
 * shim/cache.c says whether a cache can serve a path and names the
 * automatic one, shim/ldso.c maps the real ld.so as the shim does,
 * shim/ldpatch.c finds its cache path string, shim/cachehome.c names the
 * automatic cache's homes, shim/mkcache.c writes an automatic cache (into
 * a temporary directory, to learn whether ldshim could).
 * tools/ldshim-cache/view.c reads the entries ld.so would look names up
 * in. Only the order of the decisions (shim/prepare.c, start_map_ldso;
 * shim/cachehome.c, cache_home_auto) is repeated here. */
#ifndef LIBCACHE_H
#define LIBCACHE_H

#include <stddef.h>
#include <stdint.h>
#include "settings.h"

/* A cache named for the Nix path, and why it cannot serve it (0: it can). */
struct lc_cand {
	char *file;
	char *src;		/* "NIX_LD_LIBRARY_CACHE", "--cache", "file:line", "built-in default" */
	char *why;
};

enum lc_way {
	LC_CACHE,		/* ld.so reads `file`: nothing injected */
	LC_WRITE,		/* ldshim writes the automatic cache `file`, then reads it */
	LC_LAST_RESORT,		/* no cache: ld.so gets a library path (the user's,
				   the program's RUNPATH, the Nix path) */
	LC_UNKNOWN,		/* the real ld.so cannot be mapped: the start fails */
	LC_UNMODELLED,		/* another system than the one ldshim-check was built for */
};

struct lc_plan {
	enum lc_way way;
	const char *way_why;	/* LC_UNKNOWN, LC_UNMODELLED: why */
	struct lc_cand cand[8];
	size_t n_cand;
	char *not_used;		/* why the usable cache in cand[] is not used, or 0 */
	char *file;		/* LC_CACHE, LC_WRITE: the cache */
	const char *src;	/* where it came from ("the automatic cache"...) */
	int automatic;		/* file is the automatic cache */
	int makes_dir;		/* LC_WRITE: the home directory is made too */
	char *auto_why;		/* why the automatic cache is not there or not used */
	char *homes_passed;	/* the homes passed over, a line each, or 0 */
	char *no_cache;		/* LC_LAST_RESORT: the shim's reason there is no cache */
	long room;		/* bytes of ld.so's cache path string; -1 unknown */
	const char *entries_why;	/* LC_CACHE: why its entries cannot be read */
	void *priv;
};

/* What ldshim does with the library cache in fallback mode for the Nix
 * library path NIX (as set, non-empty) and the real ld.so RTLD (0: none
 * set), for a program of SYSTEM ("x86_64_linux"). NAMED[N]: the caches
 * named for it, in the shim's order (settings.h: the environment or
 * --cache, the configuration files, the built-in default). Worked out
 * once per such set. */
const struct lc_plan *lc_plan_get(const char *nix, const char *rtld, const char *system,
				  const struct settings_cache *named, size_t n);

/* The file a cache that serves (LC_CACHE) gives for NAME, as ld.so's
 * lookup finds it, or 0. */
const char *lc_lookup(const struct lc_plan *p, const char *name);

#endif
