/* What the interpreter start (main.c) and the command (explicit.c) share:
 * choosing the way the Nix path is served and preparing the real ld.so
 * for it (prepare.c). */
#ifndef LDSHIM_PREPARE_H
#define LDSHIM_PREPARE_H

#include <stddef.h>
#include <stdint.h>
#include "env.h"
#include "ldso.h"

/* NIX_LD_MODE: 1 for fallback (the default), 0 for override; another
 * value is reported and means fallback. */
int start_fallback_mode(const char *mode);

/* The first library cache named for the Nix path (plan->cache) that can
 * serve it, or NULL; each refusal is said at NIX_LD_LOG=info. */
const char *start_pick_cache(const struct env_plan *plan, int secure);

/* Map the real ld.so and make the changes ldshim makes in it (ldso.h):
 * the debug hook (flags LDSO_MAP_CODE) and, in fallback mode, the cache
 * path: `cache`, else the automatic cache. Returns the cache ld.so will
 * read, or NULL when none can serve (then the last resort). */
const char *start_map_ldso(struct ldso *ld, const struct env_plan *plan,
                           uintptr_t pagesz, int secure, int fallback,
                           const char *cache, unsigned flags);

/* *out = prefix followed by the library path ld.so gets when no cache
 * serves (env_library_path: the user's path, the program's own RUNPATH
 * `own` or NULL, the Nix path), in memory that outlives the shim's
 * frames. The value's length, or -1 when nothing need be added. */
long start_library_path(char **out, const char *prefix, const char *user,
                        const char *own, const char *nix);

#endif
