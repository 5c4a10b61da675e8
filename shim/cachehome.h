/* The homes of the automatic library cache (cachehome.c). */
#ifndef LDSHIM_CACHEHOME_H
#define LDSHIM_CACHEHOME_H

#include <stddef.h>
#include "env.h"

/* How many homes there are, and the longest name of a cache in one. */
#define CACHE_HOMES 5
#define CACHE_HOME_NAME_MAX 4096

/* The automatic cache of plan->nix_path, current (checked, else
 * written) in the first home that takes it, whose name fits in `room`
 * bytes: its name, or NULL when no home can have it (each refusal is
 * said at NIX_LD_LOG=info). Not for a secure program. */
const char *cache_home_auto(const struct env_plan *plan, size_t room);

/* The cache's name in a home: 16 hex digits of a hash of the
 * architecture and the directory list, and a NUL. */
#define CACHE_HOME_LEAF 17
void cache_home_leaf(char *buf, const char *path);

/* Home i (0 <= i < CACHE_HOMES) for this start judged by the rules
 * cache_home_auto applies, without a side effect (for ldshim-check): *dir
 * is its directory, NULL when that home does not apply to the start.
 * NULL when the home may be used (*missing: it would be made), else why
 * not, as cache_home_auto says it ("HOME: why"). */
const char *cache_home_judge(unsigned i, const struct env_plan *plan, size_t room,
                             const char **dir, int *missing);

#endif
