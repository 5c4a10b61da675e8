/* Reading the environment interface (NIX_LD*, LD_LIBRARY_PATH) and
 * building the injected variable. */
#ifndef LDSHIM_ENV_H
#define LDSHIM_ENV_H

#include <stddef.h>
#include <stdint.h>
#include "stack.h"

/* A library cache that may serve the Nix library path, and where it was
 * named: a variable (line 0) or a configuration file's line. */
struct cache_cand {
	const char *file;
	const char *src;
	unsigned line;
};
#define PLAN_CACHES 6

struct env_plan {
	const char *ldso;         /* path of the real ld.so */
	const char *ldso_from;    /* the variable it came from, or "built-in default" */
	const char *nix_path;     /* the Nix library path */
	const char *nix_path_from;
	const char *user_path;    /* the LD_LIBRARY_PATH ld.so would use, or NULL */
	long user_slot;           /* its envp index (the last one: ld.so's), or -1 */
	long spare_slot;          /* envp index of a NIX_LD* variable, or -1 */
	const char *log;          /* NIX_LD_LOG, or NULL */
	const char *mode;         /* NIX_LD_MODE, or NULL */
	/* Library caches named for the Nix path, most specific first: the
	 * environment (NIX_LD_LIBRARY_CACHE*), then the configuration files'
	 * matching sections and global keys. One is used only if it was
	 * built for exactly the effective Nix path (cache.c). */
	struct cache_cand cache[PLAN_CACHES];
	unsigned ncache;
	/* Where the automatic cache goes (not in secure mode), and whose. */
	const char *runtime_dir;  /* XDG_RUNTIME_DIR, or NULL */
	uint32_t uid;             /* AT_UID */
};

/* The library path and cache used when nothing names them. */
#ifndef DEFAULT_NIX_LD_LIBRARY_PATH
#define DEFAULT_NIX_LD_LIBRARY_PATH "/run/current-system/sw/share/nix-ld/lib"
#endif
#ifndef DEFAULT_NIX_LD_LIBRARY_CACHE
#define DEFAULT_NIX_LD_LIBRARY_CACHE DEFAULT_NIX_LD_LIBRARY_PATH "/ld.so.cache"
#endif

/* Add a cache candidate (ignored when the list is full). */
void plan_add_cache(struct env_plan *p, const char *file, const char *src,
                    unsigned line);

/* Fill *p from the environment. In secure mode (AT_SECURE) every NIX_LD*
 * variable is ignored: only the built-in defaults count. */
void env_scan(struct env_plan *p, const struct image *im, int secure);

/* Write the library path ld.so must see into buf: the user's path as
 * written, then the non-empty elements of `own` (the program's RUNPATH,
 * or NULL) and of the Nix path, joined by one ':' where two parts meet.
 * Returns its length, or -1 when ld.so needs no change (the Nix path is
 * empty) or -2 when it does not fit in cap. */
long env_library_path(char *buf, size_t cap, const char *user, const char *own,
                      const char *nix);

#endif
